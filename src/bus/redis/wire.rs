//! What nodes send each other through Redis: forwarded requests (stream entries) and their replies (pub/sub).
//! JSON, so an operator can read a stream with `redis-cli XRANGE`.

use crate::domain::session::OwnAnswer;
use crate::domain::{Actor, Command, Event, ParticipantNo};
use crate::live::LiveError;
use crate::protocol::Code;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A request a relaying node appends to a session's command stream. `node` and `corr` say where the reply goes.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Forwarded {
    Join {
        node: String,
        corr: u64,
        token: Option<String>,
        /// Absent from a node of an older release: then any join may make a new participant.
        #[serde(default)]
        known_only: bool,
    },
    Leave {
        node: String,
        participant: ParticipantNo,
    },
    /// From a node of an earlier release, which had the session's owner pace its phones: each node paces
    /// its own now (`web::fanout`), so it is read and dropped.
    Delivered {},
    /// Participants a node saw join in a burst from one network (see `Request::Flag`).
    Flag {
        participants: Vec<ParticipantNo>,
    },
    /// A console of this node opened or closed (see `Request::Console`).
    Console {
        node: String,
        name: String,
        present: bool,
    },
    Command {
        node: String,
        corr: u64,
        actor: Actor,
        request: Option<u64>,
        command: Command,
    },
    Compact {
        node: String,
        corr: u64,
    },
    Stop,
    /// Publish the current frames again (a node started relaying, or lost its Redis connection for a while).
    Refresh,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Reply {
    pub corr: u64,
    pub outcome: Outcome,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Outcome {
    Joined {
        participant: ParticipantNo,
        token: String,
        answers: BTreeMap<String, OwnAnswer>,
        /// Absent from a node of an older release: then the first frame is not held back.
        #[serde(default)]
        version: u64,
        /// Whether the join made a new participant; absent from an older node (counted as not new).
        #[serde(default)]
        new: bool,
    },
    Events {
        events: Vec<Event>,
    },
    Done,
    Failed {
        #[serde(deserialize_with = "code_or_internal")]
        code: Code,
        message: String,
    },
}

impl Outcome {
    pub fn failed(error: &LiveError) -> Self {
        Outcome::Failed { code: error.code(), message: error.to_string() }
    }
}

/// A code this node does not know (a newer node's) reads as `internal`, so the reply still arrives.
fn code_or_internal<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
    Ok(Code::parse(&String::deserialize(deserializer)?).unwrap_or(Code::Internal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RawAnswer;

    #[test]
    fn a_forwarded_vote_reads_back_as_the_same_command() {
        let vote = Forwarded::Command {
            node: "n1".into(),
            corr: 7,
            actor: Actor::Participant(12),
            request: Some(3),
            command: Command::Vote { item: "L1".into(), round: 1, answer: RawAnswer::Number(4), room_word: None },
        };
        let json = serde_json::to_string(&vote).unwrap();
        let Forwarded::Command { actor, command, request, .. } = serde_json::from_str(&json).unwrap() else {
            panic!("not a command: {json}");
        };
        assert_eq!(actor, Actor::Participant(12));
        assert_eq!(request, Some(3));
        assert_eq!(
            command,
            Command::Vote { item: "L1".into(), round: 1, answer: RawAnswer::Number(4), room_word: None }
        );
    }

    #[test]
    fn a_write_out_time_from_a_node_of_an_earlier_release_is_read_and_carries_nothing() {
        let older = r#"{"kind":"delivered","node":"n2","micros":123456}"#;
        assert!(matches!(serde_json::from_str::<Forwarded>(older).unwrap(), Forwarded::Delivered {}));
    }

    #[test]
    fn a_failure_keeps_its_code_and_one_this_node_does_not_know_reads_as_internal() {
        let json = serde_json::to_string(&Outcome::failed(&LiveError::UnknownSession)).unwrap();
        assert!(matches!(serde_json::from_str(&json).unwrap(), Outcome::Failed { code: Code::UnknownSession, .. }));
        let newer = r#"{"kind":"failed","code":"a_code_from_a_newer_node","message":"?"}"#;
        assert!(matches!(serde_json::from_str(newer).unwrap(), Outcome::Failed { code: Code::Internal, .. }));
    }
}
