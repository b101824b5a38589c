//! Tests of the session, one file per command family, and the fixtures they share. Time is a plain number here;
//! nothing touches I/O.

mod answers;
mod apply;
mod command;
mod flow;
mod machine;
mod moderation;
mod plan;
mod room;

use super::*;
use crate::domain::catalogue::{Area, Catalogue, Indicator, Level, NotRelevant, Scale, Text};
use crate::domain::item::{agenda_from_input, Agenda, ItemSetInput};
use crate::domain::kinds::choice::{ChoiceAnswer, ChoiceTally};
use crate::domain::kinds::points::{PointsAnswer, PointsTally};
use crate::domain::kinds::scale::ScaleAnswer;
use crate::domain::kinds::words::WordsKind;
use crate::domain::kinds::{Answer, ItemKind, RawAnswer, RoundTally};
use crate::domain::words::WordError;
use crate::domain::Tally;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn text(s: &str) -> Text {
    Text::both(s)
}

fn catalogue() -> Catalogue {
    Catalogue {
        id: "test".into(),
        version: "1".into(),
        title: text("Test"),
        scale: Scale {
            levels: (1..=5).map(|l| Level { level: l, label: text(&l.to_string()), definition: text("") }).collect(),
            not_relevant: Some(NotRelevant { label: text("n/a"), definition: text("") }),
        },
        areas: vec![Area {
            id: "L".into(),
            name: text("Ledning"),
            indicators: ["L1", "L2"]
                .iter()
                .map(|id| Indicator {
                    id: id.to_string(),
                    title: text(id),
                    description: text(""),
                    suggestions: vec![],
                    replaces: vec![],
                    notes: None,
                })
                .collect(),
        }],
    }
}

fn with_participants(mut s: Session, participants: u32) -> Session {
    for p in 0..participants {
        let event = s.join(format!("token-{p}"));
        s.apply(&event);
    }
    s
}

/// A workshop with `participants` joined, built by applying the events `decide` gives.
fn session(participants: u32) -> Session {
    with_participants(Session::new(SessionSpec::workshop(&catalogue(), "").unwrap()), participants)
}

fn seminar(participants: u32) -> Session {
    let set: ItemSetInput = serde_json::from_str(
        r#"{"items": [
            {"id": "hot", "kind": "choice", "title": "Hot eller möjlighet?", "options": ["Hot", "Möjlighet"]},
            {"id": "many", "kind": "choice", "title": "Vilka?", "options": ["A", "B", "C"], "multiple": true},
            {"id": "ord", "kind": "words", "title": "Ett ord", "max_words": 2, "max_chars": 20},
            {"id": "prio", "kind": "points", "title": "Prioritera", "options": ["A", "B"], "budget": 10}
        ]}"#,
    )
    .unwrap();
    let agenda = agenda_from_input(set.items, &BTreeMap::new()).unwrap();
    with_participants(Session::new(SessionSpec::from_agenda("Seminarium", agenda).unwrap()), participants)
}

fn run(s: &mut Session, actor: Actor, command: Command) -> Result<Vec<Event>, DomainError> {
    let events = s.decide(actor, command, 1000)?;
    for e in &events {
        s.apply(e);
    }
    Ok(events)
}

fn open(item: &str) -> Command {
    Command::Open { item: item.into() }
}

fn vote(item: &str, round: u32, answer: RawAnswer) -> Command {
    Command::Vote { item: item.into(), round, answer, room_word: None }
}

fn level(n: i64) -> RawAnswer {
    RawAnswer::Number(n)
}

fn word(item: &str, text: &str) -> Command {
    Command::Word { item: item.into(), round: 1, text: text.into(), room_word: None }
}

const F: Actor = Actor::Facilitator;
const P1: Actor = Actor::Participant(1);

/// A choice round's tally with these counts.
fn choice_tally(counts: &[u32]) -> RoundTally {
    RoundTally::Choice(ChoiceTally { counts: counts.to_vec() })
}

fn scale_tally(s: &Session, item: usize, round: usize) -> &Tally {
    match &s.items[item].rounds[round].tally {
        RoundTally::Scale(tally) => tally,
        other => panic!("not a scale tally: {other:?}"),
    }
}
