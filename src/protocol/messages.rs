//! Client and server messages of the WebSocket protocol (docs/protocol.md), and their mapping to domain commands.
//! Pure data and serde: no socket, no session, no database.

use super::Code;
use crate::domain::kinds::choice::ChoiceAnswer;
use crate::domain::kinds::points::PointsAnswer;
use crate::domain::kinds::scale::ScaleAnswer;
use crate::domain::session::OwnAnswer;
use crate::domain::{Answer, Command};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest message the server reads (8 KiB); larger ones get `too_large` and change nothing.
pub const MAX_MESSAGE_BYTES: usize = 8 * 1024;

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Participant,
    Screen,
    Facilitator,
}

/// A client message: its request id, then what it asks. Every message but `hello` is a domain
/// [`Command`], read straight into it and passed on unchanged to the session (and across nodes).
#[derive(Debug, PartialEq)]
pub struct Envelope {
    pub id: u64,
    pub message: ClientMsg,
}

#[derive(Debug, PartialEq)]
pub enum ClientMsg {
    /// Joins a session in a role; the first message of every connection.
    Hello(Hello),
    Command(Command),
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, PartialEq, Deserialize)]
pub struct Hello {
    pub role: Role,
    pub code: String,
    #[cfg_attr(test, ts(optional = nullable))]
    pub token: Option<String>,
    #[cfg_attr(test, ts(optional = nullable))]
    pub key: Option<String>,
}

/// Just the parts every message has, read first to choose how to read the rest.
#[derive(Deserialize)]
struct Head<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<std::borrow::Cow<'a, str>>,
    id: Option<u64>,
}

/// Reads a client message; on failure, the request id if one could be found, and what was wrong.
pub fn parse(text: &str) -> Result<Envelope, (Option<u64>, String)> {
    // serde would also read `["vote", 5, …]` (fields in declaration order); the protocol is objects only.
    if !text.trim_start().starts_with('{') {
        return Err((None, "a message is a JSON object, e.g. {\"type\": \"vote\", …}".into()));
    }
    let unreadable = |id, error: &dyn std::fmt::Display| (id, format!("could not read the message: {error}"));
    let head: Head = serde_json::from_str(text).map_err(|error| unreadable(None, &error))?;
    let Some(id) = head.id else { return Err(unreadable(None, &"missing field `id`")) };
    // The body is read from the whole text: a hello and every command ignore the `id` beside their fields
    // (no command has a field of that name on the wire), so nothing is buffered to take it out first.
    let message = match head.kind.as_deref() {
        Some("hello") => serde_json::from_str(text).map(ClientMsg::Hello),
        // The agenda changes over HTTP (PUT /api/sessions/{code}/items), never over the socket.
        Some("set_agenda") => return Err(unreadable(Some(id), &"unknown type `set_agenda`")),
        _ => serde_json::from_str(text).map(ClientMsg::Command),
    };
    let message = message.map_err(|error| unreadable(Some(id), &error))?;
    Ok(Envelope { id, message })
}

/// An answer as the protocol shows it: `3`, `"not_relevant"`, or a list of options or points.
#[cfg_attr(test, derive(ts_rs::TS))]
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
            Answer::Scale(ScaleAnswer::Level(level)) => AnswerWire::Level(*level),
            Answer::Scale(ScaleAnswer::NotRelevant) => AnswerWire::Word("not_relevant"),
            Answer::Choice(ChoiceAnswer { options }) => AnswerWire::List(options),
            Answer::Points(PointsAnswer { points }) => AnswerWire::Points(points),
        }
    }
}

/// A participant's own answer in `welcome.ballots`.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
pub struct BallotWire<'a> {
    pub round: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub answer: Option<AnswerWire<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    #[cfg_attr(test, ts(as = "Option<Vec<String>>", optional))]
    pub words: &'a [String],
}

impl<'a> From<&'a OwnAnswer> for BallotWire<'a> {
    fn from(own: &'a OwnAnswer) -> Self {
        BallotWire { round: own.round, answer: own.answer.as_ref().map(AnswerWire::from), words: &own.words }
    }
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg<'a> {
    Welcome {
        id: u64,
        role: Role,
        code: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        #[cfg_attr(test, ts(optional))]
        token: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        #[cfg_attr(test, ts(optional))]
        ballots: Option<BTreeMap<&'a str, BallotWire<'a>>>,
    },
    Ack {
        id: u64,
        /// The word as stored, for a `word` command.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        #[cfg_attr(test, ts(optional))]
        word: Option<&'a str>,
    },
    Error {
        id: Option<u64>,
        code: Code,
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
    use crate::domain::RawAnswer;

    fn command(text: &str) -> Command {
        match parse(text).unwrap().message {
            ClientMsg::Command(command) => command,
            other => panic!("not a command: {other:?}"),
        }
    }

    #[test]
    fn a_vote_reads_as_a_command() {
        let msg = parse(r#"{"type":"vote","id":7,"item":"L2","round":1,"answer":"not_relevant"}"#).unwrap();
        assert_eq!(msg.id, 7);
        let expected = Command::Vote {
            item: "L2".into(),
            round: 1,
            answer: RawAnswer::Word("not_relevant".into()),
            room_word: None,
        };
        assert_eq!(msg.message, ClientMsg::Command(expected));
        let vote = command(r#"{"type":"vote","id":8,"item":"prio","round":1,"answer":[50,-20]}"#);
        assert!(matches!(vote, Command::Vote { answer: RawAnswer::List(list), .. } if list == [50, -20]));
    }

    #[test]
    fn an_answer_is_read_by_its_shape_and_any_other_shape_says_what_an_answer_is() {
        let answer = |json: &str| command(&format!(r#"{{"type":"vote","id":1,"item":"a","round":1,"answer":{json}}}"#));
        let read = |json: &str| match answer(json) {
            Command::Vote { answer, .. } => answer,
            other => panic!("not a vote: {other:?}"),
        };
        assert_eq!(read("-3"), RawAnswer::Number(-3));
        assert_eq!(read("4"), RawAnswer::Number(4));
        assert_eq!(read(r#""not_relevant""#), RawAnswer::Word("not_relevant".into()));
        assert_eq!(read(r#""tr\u00e4d""#), RawAnswer::Word("träd".into()), "escaped text is read whole");
        assert_eq!(read("[2, -1, 0]"), RawAnswer::List(vec![2, -1, 0]));
        assert_eq!(read("[]"), RawAnswer::List(vec![]));
        for wrong in ["2.5", "18446744073709551615", "[1, [2]]", r#"["a"]"#, "{}", "null", "true"] {
            let text = format!(r#"{{"type":"vote","id":5,"item":"a","round":1,"answer":{wrong}}}"#);
            let (id, why) = parse(&text).unwrap_err();
            assert_eq!(id, Some(5), "{wrong}");
            assert!(why.contains("whole number"), "{wrong}: {why}");
        }
    }

    #[test]
    fn a_message_without_an_id_is_refused_whatever_it_asks() {
        for text in
            [r#"{"type":"vote","item":"a","round":1,"answer":1}"#, r#"{"type":"hello","role":"screen","code":"1"}"#]
        {
            let (id, why) = parse(text).unwrap_err();
            assert_eq!(id, None);
            assert!(why.contains("missing field `id`"), "{why}");
        }
    }

    #[test]
    fn a_hello_reads_with_its_role_and_credentials() {
        let msg = parse(r#"{"type":"hello","id":1,"role":"participant","code":"123456","token":"t"}"#).unwrap();
        let expected = Hello { role: Role::Participant, code: "123456".into(), token: Some("t".into()), key: None };
        assert_eq!(msg, Envelope { id: 1, message: ClientMsg::Hello(expected) });
    }

    #[test]
    fn optional_fields_take_their_defaults_and_wire_names_map_to_the_command() {
        let lock = command(r#"{"type":"lock","id":2,"item":"L1","level":3,"dissent":null}"#);
        assert_eq!(lock, Command::Lock { item: "L1".into(), level: 3, note: String::new(), dissent: None, by: None });
        let far = command(r#"{"type":"lock","id":3,"item":"L1","level":-4}"#);
        assert!(matches!(far, Command::Lock { level: u8::MAX, .. }), "out of range becomes a level no scale has");
        let action = command(r#"{"type":"set_action","id":4,"action":"a2","item":"L1","text":"Plan"}"#);
        let expected = Command::SetAction {
            id: Some("a2".into()),
            item: "L1".into(),
            text: "Plan".into(),
            owner: String::new(),
            due: None,
            status: crate::domain::session::ActionStatus::Todo,
        };
        assert_eq!(action, expected);
        let start = command(r#"{"type":"start_prioritisation","id":5,"max_level":2}"#);
        assert_eq!(
            start,
            Command::StartPrioritisation { max_level: 2, budget: crate::domain::kinds::points::DEFAULT_BUDGET }
        );
    }

    #[test]
    fn leaving_out_the_flagged_names_nobody_on_the_wire() {
        // The session fills the names in from its own memory; names a client sends are not read, and none
        // are written when the command crosses to another node.
        let sent = command(r#"{"type":"leave_out_flagged","id":7,"flagged":[1,2,3]}"#);
        assert_eq!(sent, Command::LeaveOutFlagged { flagged: vec![] });
        let forwarded = serde_json::to_string(&Command::LeaveOutFlagged { flagged: vec![4, 5] }).unwrap();
        assert_eq!(forwarded, r#"{"type":"leave_out_flagged"}"#);
        assert_eq!(command(r#"{"type":"count_all_again","id":8}"#), Command::CountAllAgain);
    }

    #[test]
    fn the_agenda_is_not_a_socket_message() {
        let (id, why) = parse(r#"{"type":"set_agenda","id":6,"items":[],"scales":{}}"#).unwrap_err();
        assert_eq!(id, Some(6));
        assert!(why.contains("set_agenda"), "{why}");
    }

    #[test]
    fn a_malformed_message_keeps_its_id_when_it_has_one() {
        assert_eq!(parse(r#"{"type":"dance","id":9}"#).unwrap_err().0, Some(9));
        assert_eq!(parse("not json").unwrap_err().0, None);
        assert!(parse(r#"{"type":"vote","id":3,"item":"L2"}"#).unwrap_err().1.contains("round"));
    }

    #[test]
    fn own_answers_show_in_protocol_form() {
        let own =
            OwnAnswer { round: 2, answer: Some(Answer::Choice(ChoiceAnswer { options: vec![1] })), words: vec![] };
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
                let _ = parse(&text);
            }
        }
    }
}
