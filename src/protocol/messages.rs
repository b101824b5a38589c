//! Client and server messages of the WebSocket protocol (docs/protocol.md), and their mapping to domain commands.
//! Pure data and serde: no socket, no session, no database.

use crate::domain::session::ActionStatus;
use crate::domain::session::OwnAnswer;
use crate::domain::{Answer, Command, RawAnswer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest message the server reads (8 KiB); larger ones get `too_large` and change nothing.
pub const MAX_MESSAGE_BYTES: usize = 8 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Participant,
    Screen,
    Facilitator,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    Hello {
        id: u64,
        role: Role,
        code: String,
        token: Option<String>,
        key: Option<String>,
    },
    Vote {
        id: u64,
        item: String,
        round: u32,
        answer: RawAnswer,
    },
    Word {
        id: u64,
        item: String,
        round: u32,
        text: String,
    },
    Open {
        id: u64,
        item: String,
    },
    Close {
        id: u64,
        item: String,
    },
    Reveal {
        id: u64,
        item: String,
    },
    Revote {
        id: u64,
        item: String,
    },
    Lock {
        id: u64,
        item: String,
        level: i64,
        #[serde(default)]
        note: String,
        dissent: Option<String>,
    },
    Reopen {
        id: u64,
        item: String,
    },
    Goto {
        id: u64,
        item: Option<String>,
    },
    HideWord {
        id: u64,
        item: String,
        word: String,
    },
    ShowWord {
        id: u64,
        item: String,
        word: String,
    },
    MergeWords {
        id: u64,
        item: String,
        word: String,
        into: String,
    },
    UnmergeWord {
        id: u64,
        item: String,
        word: String,
    },
    SetFilter {
        id: u64,
        enabled: bool,
    },
    ShareSummary {
        id: u64,
        shared: bool,
    },
    Finish {
        id: u64,
        organisation: String,
        field: Option<String>,
        date: String,
    },
    SetAction {
        id: u64,
        action: Option<String>,
        item: String,
        text: String,
        #[serde(default)]
        owner: String,
        due: Option<String>,
        #[serde(default)]
        status: ActionStatus,
    },
    RemoveAction {
        id: u64,
        action: String,
    },
    StartPrioritisation {
        id: u64,
        max_level: u8,
        #[serde(default = "default_budget")]
        budget: u32,
    },
}

fn default_budget() -> u32 {
    crate::domain::item::DEFAULT_BUDGET
}

impl ClientMsg {
    pub fn id(&self) -> u64 {
        match self {
            ClientMsg::Hello { id, .. }
            | ClientMsg::Vote { id, .. }
            | ClientMsg::Word { id, .. }
            | ClientMsg::Open { id, .. }
            | ClientMsg::Close { id, .. }
            | ClientMsg::Reveal { id, .. }
            | ClientMsg::Revote { id, .. }
            | ClientMsg::Lock { id, .. }
            | ClientMsg::Reopen { id, .. }
            | ClientMsg::Goto { id, .. }
            | ClientMsg::HideWord { id, .. }
            | ClientMsg::ShowWord { id, .. }
            | ClientMsg::MergeWords { id, .. }
            | ClientMsg::UnmergeWord { id, .. }
            | ClientMsg::SetFilter { id, .. }
            | ClientMsg::ShareSummary { id, .. }
            | ClientMsg::Finish { id, .. }
            | ClientMsg::SetAction { id, .. }
            | ClientMsg::RemoveAction { id, .. }
            | ClientMsg::StartPrioritisation { id, .. } => *id,
        }
    }

    /// The domain command this message asks for; `None` for `hello`, which is not a command.
    pub fn into_command(self) -> Option<Command> {
        Some(match self {
            ClientMsg::Hello { .. } => return None,
            ClientMsg::Vote { item, round, answer, .. } => Command::Vote { item, round, answer },
            ClientMsg::Word { item, round, text, .. } => Command::Word { item, round, text },
            ClientMsg::Open { item, .. } => Command::Open { item },
            ClientMsg::Close { item, .. } => Command::Close { item },
            ClientMsg::Reveal { item, .. } => Command::Reveal { item },
            ClientMsg::Revote { item, .. } => Command::Revote { item },
            ClientMsg::Lock { item, level, note, dissent, .. } => {
                // Out-of-range numbers become a level no scale has, so the domain refuses them as `invalid_level`.
                Command::Lock { item, level: u8::try_from(level).unwrap_or(u8::MAX), note, dissent }
            }
            ClientMsg::Reopen { item, .. } => Command::Reopen { item },
            ClientMsg::Goto { item, .. } => Command::Goto { item },
            ClientMsg::HideWord { item, word, .. } => Command::HideWord { item, word },
            ClientMsg::ShowWord { item, word, .. } => Command::ShowWord { item, word },
            ClientMsg::MergeWords { item, word, into, .. } => Command::MergeWords { item, word, into },
            ClientMsg::UnmergeWord { item, word, .. } => Command::UnmergeWord { item, word },
            ClientMsg::SetFilter { enabled, .. } => Command::SetFilter { enabled },
            ClientMsg::ShareSummary { shared, .. } => Command::ShareSummary { shared },
            ClientMsg::Finish { organisation, field, date, .. } => Command::Finish { organisation, field, date },
            ClientMsg::SetAction { action, item, text, owner, due, status, .. } => {
                Command::SetAction { id: action, item, text, owner, due, status }
            }
            ClientMsg::RemoveAction { action, .. } => Command::RemoveAction { id: action },
            ClientMsg::StartPrioritisation { max_level, budget, .. } => {
                Command::StartPrioritisation { max_level, budget }
            }
        })
    }
}

/// Reads a client message; on failure, the request id if one could be found, and what was wrong.
pub fn parse(text: &str) -> Result<ClientMsg, (Option<u64>, String)> {
    // serde would also read `["vote", 5, …]` (fields in declaration order); the protocol is objects only.
    if !text.trim_start().starts_with('{') {
        return Err((None, "a message is a JSON object, e.g. {\"type\": \"vote\", …}".into()));
    }
    serde_json::from_str(text).map_err(|error| {
        #[derive(Deserialize)]
        struct JustId {
            id: Option<u64>,
        }
        let id = serde_json::from_str::<JustId>(text).ok().and_then(|j| j.id);
        (id, format!("could not read the message: {error}"))
    })
}

/// An answer as the protocol shows it: `3`, `"not_relevant"`, or a list of options or points.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum AnswerWire<'a> {
    Level(u8),
    Word(&'static str),
    List(&'a [u8]),
    Points(&'a [u32]),
}

impl<'a> From<&'a Answer> for AnswerWire<'a> {
    fn from(answer: &'a Answer) -> Self {
        match answer {
            Answer::Level(level) => AnswerWire::Level(*level),
            Answer::NotRelevant => AnswerWire::Word("not_relevant"),
            Answer::Options(options) => AnswerWire::List(options),
            Answer::Points(points) => AnswerWire::Points(points),
        }
    }
}

/// A participant's own answer in `welcome.ballots`.
#[derive(Debug, Serialize)]
pub struct BallotWire<'a> {
    pub round: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerWire<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub words: &'a [String],
}

impl<'a> From<&'a OwnAnswer> for BallotWire<'a> {
    fn from(own: &'a OwnAnswer) -> Self {
        BallotWire { round: own.round, answer: own.answer.as_ref().map(AnswerWire::from), words: &own.words }
    }
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg<'a> {
    Welcome {
        id: u64,
        role: Role,
        code: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        token: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        ballots: Option<BTreeMap<&'a str, BallotWire<'a>>>,
    },
    Ack {
        id: u64,
        /// The word as stored, for a `word` command.
        #[serde(skip_serializing_if = "Option::is_none")]
        word: Option<&'a str>,
    },
    Error {
        id: Option<u64>,
        code: &'a str,
        message: String,
    },
}

impl ServerMsg<'_> {
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).expect("server messages always serialize")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vote_reads_as_a_command() {
        let msg = parse(r#"{"type":"vote","id":7,"item":"L2","round":1,"answer":"not_relevant"}"#).unwrap();
        assert_eq!(msg.id(), 7);
        let expected = Command::Vote { item: "L2".into(), round: 1, answer: RawAnswer::Word("not_relevant".into()) };
        assert_eq!(msg.into_command(), Some(expected));
        let msg = parse(r#"{"type":"vote","id":8,"item":"prio","round":1,"answer":[50,-20]}"#).unwrap();
        assert!(
            matches!(msg.into_command(), Some(Command::Vote { answer: RawAnswer::List(list), .. }) if list == [50, -20])
        );
    }

    #[test]
    fn a_malformed_message_keeps_its_id_when_it_has_one() {
        assert_eq!(parse(r#"{"type":"dance","id":9}"#).unwrap_err().0, Some(9));
        assert_eq!(parse("not json").unwrap_err().0, None);
        assert!(parse(r#"{"type":"vote","id":3,"item":"L2"}"#).unwrap_err().1.contains("round"));
    }

    #[test]
    fn own_answers_show_in_protocol_form() {
        let own = OwnAnswer { round: 2, answer: Some(Answer::Options(vec![1])), words: vec![] };
        assert_eq!(serde_json::to_string(&BallotWire::from(&own)).unwrap(), r#"{"round":2,"answer":[1]}"#);
        let own = OwnAnswer { round: 1, answer: None, words: vec!["framtid".into()] };
        assert_eq!(serde_json::to_string(&BallotWire::from(&own)).unwrap(), r#"{"round":1,"words":["framtid"]}"#);
    }
}

#[cfg(test)]
mod decoding {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever arrives, reading it either gives a message or an error: it never panics.
        #[test]
        fn any_text_reads_or_is_refused(text in "\\PC{0,200}") {
            let _ = parse(&text);
        }

        /// Near-misses of real messages, with fields of every JSON type, are refused or read, never a panic.
        #[test]
        fn messages_with_wrong_field_types_are_handled(
            kind in prop_oneof![Just("vote"), Just("word"), Just("lock"), Just("hello"), Just("set_action"), Just("x")],
            value in prop_oneof![Just("1".to_string()), Just("-1".to_string()), Just("1e400".to_string()), Just("\"s\"".to_string()),
                                 Just("[1,[2]]".to_string()), Just("{}".to_string()), Just("null".to_string()), Just("true".to_string())],
        ) {
            for field in ["id", "item", "round", "answer", "text", "level", "role", "code"] {
                let text = format!(r#"{{"type":"{kind}","id":1,"item":"a","round":1,"{field}":{value}}}"#);
                let _ = parse(&text).map(ClientMsg::into_command);
            }
        }
    }
}
