//! The session as a state machine under random use: any sequence of commands from any actor leaves a session that
//! its own event log rebuilds exactly, with tallies that match the ballots.

use super::*;
use crate::domain::item::{agenda_from_input, ItemSetInput};
use proptest::prelude::*;

fn seminar() -> Session {
    let set: ItemSetInput = serde_json::from_str(
        r#"{"items": [
            {"id": "s", "kind": "scale", "title": "S", "scale": {"levels": [{"level": 1, "label": "1"}, {"level": 2, "label": "2"}, {"level": 3, "label": "3"}], "not_relevant": {"label": "-"}}},
            {"id": "c", "kind": "choice", "title": "C", "options": ["a", "b", "c"], "multiple": true},
            {"id": "w", "kind": "words", "title": "W", "max_words": 2},
            {"id": "p", "kind": "points", "title": "P", "options": ["a", "b"], "budget": 5}
        ]}"#,
    )
    .unwrap();
    let mut s =
        Session::new(SessionSpec::from_agenda("M", agenda_from_input(set.items, &BTreeMap::new()).unwrap()).unwrap());
    for p in 0..3 {
        let e = s.join(format!("t{p}"));
        s.apply(&e);
    }
    s
}

fn actor() -> impl Strategy<Value = Actor> {
    prop_oneof![Just(Actor::Facilitator), (1u32..=4).prop_map(Actor::Participant), Just(Actor::Screen)]
}

fn item() -> impl Strategy<Value = String> {
    prop_oneof![Just("s"), Just("c"), Just("w"), Just("p"), Just("x")].prop_map(String::from)
}

fn command() -> impl Strategy<Value = Command> {
    let raw = prop_oneof![
        (-2i64..6).prop_map(RawAnswer::Number),
        Just(RawAnswer::Word("not_relevant".into())),
        proptest::collection::vec(-1i64..7, 0..4).prop_map(RawAnswer::List),
    ];
    let room_word =
        proptest::option::of(prop_oneof![Just("kanel"), Just("KANEL"), Just("bulle")].prop_map(String::from));
    prop_oneof![
        (item(), 0u32..4, raw, room_word.clone()).prop_map(|(item, round, answer, room_word)| Command::Vote {
            item,
            round,
            answer,
            room_word
        }),
        (item(), 0u32..4, "[a-cå<> ]{0,5}", room_word.clone())
            .prop_map(|(item, round, text, room_word)| Command::Word { item, round, text, room_word }),
        room_word.prop_map(|word| Command::SetRoomWord { word }),
        proptest::collection::vec(0u32..5, 0..3).prop_map(|participants| Command::LeaveOut { participants }),
        proptest::collection::vec(0u32..5, 0..3).prop_map(|participants| Command::CountAgain { participants }),
        item().prop_map(|item| Command::Open { item }),
        item().prop_map(|item| Command::Close { item }),
        item().prop_map(|item| Command::Reveal { item }),
        item().prop_map(|item| Command::Revote { item }),
        (item(), 0u8..5).prop_map(|(item, level)| Command::Lock {
            item,
            level,
            note: "n".into(),
            dissent: None,
            by: None
        }),
        item().prop_map(|item| Command::Reopen { item }),
        (item(), "[a-c]{1,2}").prop_map(|(item, word)| Command::HideWord { item, word }),
        (item(), "[a-c]{1,2}", "[a-c]{1,2}").prop_map(|(item, word, into)| Command::MergeWords { item, word, into }),
        (item(), "[a-c]{1,2}").prop_map(|(item, word)| Command::UnmergeWord { item, word }),
        any::<bool>().prop_map(|enabled| Command::SetFilter { enabled }),
        (0u8..4).prop_map(|max_level| Command::StartPrioritisation { max_level, budget: 10 }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_sequence_of_commands_keeps_the_session_consistent(steps in proptest::collection::vec((actor(), command()), 0..60)) {
        let mut s = seminar();
        let mut log: Vec<Event> = (0..3).map(|p| Event::ParticipantJoined { participant: p + 1, token: format!("t{p}") }).collect();
        for (actor, command) in steps {
            let refused_for_others = actor != Actor::Facilitator && !matches!(command, Command::Vote { .. } | Command::Word { .. });
            match s.decide(actor, command, 1) {
                Ok(events) => {
                    prop_assert!(!refused_for_others, "a non-facilitator drove the session");
                    for e in &events {
                        s.apply(e);
                    }
                    log.extend(events);
                }
                Err(error) => prop_assert!(!error.to_string().is_empty(), "a refusal says why"),
            }
        }
        for state in &s.items {
            prop_assert!(state.rounds.iter().filter(|r| r.open).count() <= 1, "one open round at most");
            prop_assert!(!(state.consensus.is_some() && state.rounds.last().is_some_and(|r| r.open)), "locked while voting");
            for round in &state.rounds {
                match &round.tally {
                    RoundTally::Scale(t) => prop_assert_eq!(t.voters() as usize, round.ballots.len()),
                    RoundTally::Words(tally) => {
                        let sent: usize = round.words.values().map(Vec::len).sum();
                        prop_assert_eq!(tally.counts().values().sum::<u32>() as usize, sent);
                        prop_assert!(round.words.values().all(|w| w.len() <= 2));
                    }
                    RoundTally::Points(PointsTally { totals, .. }) => {
                        let given: u64 = round.ballots.values().map(|a| match a {
                            Answer::Points(PointsAnswer { points }) => points.iter().map(|&x| x as u64).sum(),
                            Answer::Scale(_) | Answer::Choice(_) => 0,
                        }).sum();
                        prop_assert_eq!(totals.iter().sum::<u64>(), given);
                    }
                    RoundTally::Choice(_) => {}
                }
            }
        }
        let rebuilt = Session::replay(seminar_spec(), &log);
        prop_assert_eq!(&rebuilt.items, &s.items);
        prop_assert_eq!(rebuilt.version, s.version);
    }
}

fn seminar_spec() -> SessionSpec {
    seminar().spec
}
