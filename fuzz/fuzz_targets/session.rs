//! The domain's command handling under arbitrary use: the input drives a sequence of commands from any
//! actor (facilitator, participants, a screen) against a session built from the built-in catalogue or a
//! seminar agenda with every kind of item. Whatever the sequence, nothing panics, every accepted command
//! moves the version by exactly its events, the public view shows no tally before its reveal, and the
//! event log (after the JSON round trip the store does) rebuilds the same views.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use samsyn::domain::item::{agenda_from_input, item_set, ItemInput, Results};
use samsyn::domain::session::ActionStatus;
use samsyn::domain::view::{render, Audience};
use samsyn::domain::{Actor, Command, Event, RawAnswer, Session, SessionSpec};
use serde_json::{json, Value};
use std::sync::OnceLock;

/// Commands per input: enough to open, vote, reveal, lock and prioritise; few enough to stay fast.
const MAX_STEPS: usize = 80;
/// Participants who may join; more adds nothing the first few do not.
const MAX_PARTICIPANTS: u32 = 6;

/// The two starting points, built once: the built-in workshop catalogue, and a seminar of every kind.
fn specs() -> &'static [SessionSpec; 2] {
    static SPECS: OnceLock<[SessionSpec; 2]> = OnceLock::new();
    SPECS.get_or_init(|| {
        let catalogue = samsyn::app::built_in_catalogues().remove(0);
        let workshop = SessionSpec::workshop(&catalogue, "Fuzz").expect("the built-in catalogue makes a workshop");
        let items: Vec<ItemInput> = serde_json::from_value(json!([
            {"id": "hot", "kind": "choice", "title": "Hot eller möjlighet?", "options": ["Hot", "Möjlighet"]},
            {"id": "many", "kind": "choice", "title": "Flera", "options": ["a", "b", "c"], "multiple": true},
            {"id": "ord", "kind": "words", "title": "Ett ord", "max_words": 2, "max_chars": 12},
            {"id": "prio", "kind": "points", "title": "Prioritera", "options": ["A", "B"], "budget": 10},
            {"id": "redo", "kind": "scale", "title": "Hur redo?", "scale": {"levels": [
                {"level": 1, "label": "1"}, {"level": 2, "label": "2"}, {"level": 3, "label": "3"}],
                "not_relevant": {"label": "-"}}}
        ]))
        .expect("seminar items");
        let agenda = agenda_from_input(items, &Default::default()).expect("a valid seminar");
        let seminar = SessionSpec::from_agenda("Fuzz", agenda).expect("a valid seminar");
        [workshop, seminar]
    })
}

/// Pieces of text that reach the word rules' corners: case, accents, markup, direction marks, emoji.
const PIECES: &[&str] = &[
    "framtid",
    "Framtid",
    " FRAMTID ",
    "får",
    "far",
    "a",
    "b",
    "å",
    "<b>",
    "&amp;",
    "\u{202e}",
    "\u{200b}",
    "\n",
    "\t",
    "🙂",
    "e\u{301}",
    "é",
    "ǅ",
    "ß",
    "İ",
    "fan",
    " ",
    "-",
    "'",
    "\"",
    "0",
    "2026-11-23",
];

fn text(u: &mut Unstructured) -> Result<String> {
    if u.ratio(1, 8)? {
        return Ok(u.arbitrary::<&str>()?.to_string());
    }
    let mut out = String::new();
    for _ in 0..u.int_in_range(0..=4)? {
        out.push_str(u.choose(PIECES)?);
    }
    Ok(out)
}

fn number(u: &mut Unstructured) -> Result<i64> {
    if u.ratio(1, 16)? {
        u.arbitrary()
    } else {
        u.int_in_range(-1..=12)
    }
}

/// An item id the session has (mostly), or one it does not.
fn item(u: &mut Unstructured, s: &Session) -> Result<String> {
    if s.spec.items.is_empty() || u.ratio(1, 16)? {
        return Ok(u.choose(&["x", "", "L1 "])?.to_string());
    }
    Ok(u.choose(&s.spec.items)?.id.clone())
}

fn date(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 => "2026-11-23".into(),
        1 => "2026-13-01".into(),
        2 => String::new(),
        _ => text(u)?,
    })
}

/// A new agenda the way the item-set import makes one: the current items exported, then some kept,
/// reordered, changed in kind or joined by new ones, then checked by the import rules.
fn agenda(u: &mut Unstructured, s: &Session) -> Result<Option<Command>> {
    let title = s.spec.title.clone();
    let current = s.agenda();
    let exported = serde_json::to_value(item_set(&title, &current)).expect("an item set serializes");
    let mut items: Vec<Value> = exported["items"].as_array().cloned().unwrap_or_default();
    items.retain(|_| u.ratio(7, 8).unwrap_or(true));
    if u.ratio(1, 4)? {
        items.reverse();
    }
    if !items.is_empty() && u.ratio(1, 4)? {
        let index = u.choose_index(items.len())?;
        items[index]["kind"] = json!(u.choose(&["choice", "words", "points", "scale"])?);
        items[index]["options"] = json!(["a", "b", "c"]);
    }
    for _ in 0..u.int_in_range(0..=2)? {
        let options: Vec<String> = (0..u.int_in_range(1..=13)?).map(|n| format!("o{n}")).collect();
        let id = if u.ratio(1, 2)? { Value::Null } else { json!(text(u)?) };
        items.push(match u.int_in_range(0..=2)? {
            0 => json!({"id": id, "kind": "choice", "title": "C", "options": options, "multiple": u.arbitrary::<bool>()?}),
            1 => json!({"id": id, "kind": "words", "title": "W", "max_words": u.int_in_range(0..=11)?}),
            _ => json!({"id": id, "kind": "points", "title": "P", "options": options, "budget": u.int_in_range(0..=1001)?}),
        });
    }
    let Ok(input) = serde_json::from_value::<Vec<ItemInput>>(Value::Array(items)) else { return Ok(None) };
    Ok(agenda_from_input(input, &s.spec.scales).ok().map(Command::SetAgenda))
}

fn answer(u: &mut Unstructured) -> Result<RawAnswer> {
    Ok(match u.int_in_range(0..=3)? {
        0 => RawAnswer::Number(number(u)?),
        1 => RawAnswer::Word(if u.ratio(3, 4)? { "not_relevant".into() } else { text(u)? }),
        _ => RawAnswer::List((0..u.int_in_range(0..=13)?).map(|_| number(u)).collect::<Result<_>>()?),
    })
}

/// One step: a command (or `None` for a new participant joining), and who sends it.
fn step(u: &mut Unstructured, s: &Session) -> Result<(Actor, Option<Command>)> {
    // Participants are only ever those who joined, as on a real socket.
    let joined = s.participant_count() as u32;
    let actor = match u.int_in_range(0..=9)? {
        0..=3 => Actor::Facilitator,
        n if n >= 5 && joined > 0 => Actor::Participant((n - 5) % joined + 1),
        _ => Actor::Screen,
    };
    let command = match u.int_in_range(0..=22)? {
        0 | 1 => Command::Vote { item: item(u, s)?, round: u.int_in_range(0..=4)?, answer: answer(u)? },
        2 => Command::Word { item: item(u, s)?, round: u.int_in_range(0..=4)?, text: text(u)? },
        3 => Command::Open { item: item(u, s)? },
        4 => Command::Close { item: item(u, s)? },
        5 => Command::Reveal { item: item(u, s)? },
        6 => Command::Revote { item: item(u, s)? },
        7 => Command::Lock {
            item: item(u, s)?,
            level: u.int_in_range(0..=6)?,
            note: text(u)?,
            dissent: if u.arbitrary()? { Some(text(u)?) } else { None },
        },
        8 => Command::Reopen { item: item(u, s)? },
        9 => Command::Goto { item: if u.ratio(1, 4)? { None } else { Some(item(u, s)?) } },
        10 => Command::HideWord { item: item(u, s)?, word: text(u)? },
        11 => Command::ShowWord { item: item(u, s)?, word: text(u)? },
        12 => Command::MergeWords { item: item(u, s)?, word: text(u)?, into: text(u)? },
        13 => Command::UnmergeWord { item: item(u, s)?, word: text(u)? },
        14 => Command::SetFilter { enabled: u.arbitrary()? },
        15 => match agenda(u, s)? {
            Some(command) => command,
            None => return Ok((actor, Some(Command::SetFilter { enabled: true }))),
        },
        16 => Command::ShareSummary { shared: u.arbitrary()? },
        17 => Command::Finish {
            organisation: text(u)?,
            field: if u.arbitrary()? { Some(text(u)?) } else { None },
            date: date(u)?,
        },
        18 => Command::SetAction {
            id: match u.int_in_range(0..=2)? {
                0 if !s.actions.is_empty() => Some(u.choose(&s.actions)?.id.clone()),
                1 => Some(text(u)?),
                _ => None,
            },
            item: item(u, s)?,
            text: text(u)?,
            owner: text(u)?,
            due: if u.arbitrary()? { Some(date(u)?) } else { None },
            status: *u.choose(&[ActionStatus::Todo, ActionStatus::Doing, ActionStatus::Done])?,
        },
        19 => Command::RemoveAction {
            id: if !s.actions.is_empty() && u.arbitrary()? { u.choose(&s.actions)?.id.clone() } else { text(u)? },
        },
        20 => Command::StartPrioritisation {
            max_level: u.int_in_range(0..=6)?,
            budget: if u.ratio(1, 8)? { u.arbitrary()? } else { u.int_in_range(0..=20)? },
        },
        _ => return Ok((actor, None)),
    };
    Ok((actor, Some(command)))
}

/// A rendered view as the JSON its audience would receive, so sessions compare by what they show.
fn view(s: &Session, audience: Audience) -> String {
    serde_json::to_string(&render(s, "123456", 3, audience)).expect("a view serializes")
}

fn run(data: &[u8]) -> Result<()> {
    let mut u = Unstructured::new(data);
    let spec = specs()[usize::from(u.arbitrary::<bool>()?)].clone();
    let mut s = Session::new(spec.clone());
    let mut log: Vec<Event> = Vec::new();
    let mut now = 1_700_000_000_000i64;
    for p in 0..2 {
        let joined = s.join(format!("token-{p}"));
        s.apply(&joined);
        log.push(joined);
    }
    for _ in 0..MAX_STEPS {
        if u.is_empty() {
            break;
        }
        let (actor, command) = step(&mut u, &s)?;
        now += 1000;
        let events = match command {
            None if s.participant_count() < MAX_PARTICIPANTS as usize => vec![s.join(format!("token-{now}"))],
            None => continue,
            Some(command) => {
                let drives = !matches!(command, Command::Vote { .. } | Command::Word { .. });
                match s.decide(actor, command, now) {
                    Ok(events) => {
                        assert!(!(drives && actor != Actor::Facilitator), "only the facilitator drives a session");
                        events
                    }
                    Err(error) => {
                        assert!(!samsyn::protocol::Code::from(&error).as_str().is_empty() && !error.to_string().is_empty());
                        continue;
                    }
                }
            }
        };
        let before = s.version;
        for event in &events {
            s.apply(event);
        }
        assert_eq!(s.version, before + events.len() as u64, "the version moves by one per event");
        log.extend(events);
    }

    for item in render(&s, "123456", 3, Audience::Public).items {
        if item.results == Results::AfterReveal {
            for round in &item.rounds {
                assert!(round.revealed || round.tally.is_none(), "a tally before its reveal: {}", item.id);
            }
        }
    }

    // The store keeps events as JSON; replaying what it would read back must give the same session.
    let stored = serde_json::to_string(&log).expect("events serialize");
    let read: Vec<Event> = serde_json::from_str(&stored).expect("stored events read back");
    assert_eq!(read, log);
    let rebuilt = Session::replay(spec, &read);
    assert_eq!(rebuilt.version, s.version);
    assert_eq!(rebuilt.items, s.items);
    assert_eq!(view(&rebuilt, Audience::Facilitator), view(&s, Audience::Facilitator));
    assert_eq!(view(&rebuilt, Audience::Public), view(&s, Audience::Public));
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});
