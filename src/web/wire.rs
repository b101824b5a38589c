//! Client and server messages of the WebSocket protocol (docs/protocol.md), and their mapping to domain commands.

use crate::domain::{Answer, Command};
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
        answer: Answer,
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
}

impl ClientMsg {
    pub fn id(&self) -> u64 {
        match self {
            ClientMsg::Hello { id, .. }
            | ClientMsg::Vote { id, .. }
            | ClientMsg::Open { id, .. }
            | ClientMsg::Close { id, .. }
            | ClientMsg::Reveal { id, .. }
            | ClientMsg::Revote { id, .. }
            | ClientMsg::Lock { id, .. }
            | ClientMsg::Reopen { id, .. }
            | ClientMsg::Goto { id, .. } => *id,
        }
    }

    /// The domain command this message asks for; `None` for `hello`, which is not a command.
    pub fn into_command(self) -> Option<Command> {
        Some(match self {
            ClientMsg::Hello { .. } => return None,
            ClientMsg::Vote {
                item,
                round,
                answer,
                ..
            } => Command::Vote {
                item,
                round,
                answer,
            },
            ClientMsg::Open { item, .. } => Command::Open { item },
            ClientMsg::Close { item, .. } => Command::Close { item },
            ClientMsg::Reveal { item, .. } => Command::Reveal { item },
            ClientMsg::Revote { item, .. } => Command::Revote { item },
            ClientMsg::Lock {
                item,
                level,
                note,
                dissent,
                ..
            } => {
                // Out-of-range numbers become a level no scale has, so the domain refuses them as `invalid_level`.
                Command::Lock {
                    item,
                    level: u8::try_from(level).unwrap_or(u8::MAX),
                    note,
                    dissent,
                }
            }
            ClientMsg::Reopen { item, .. } => Command::Reopen { item },
            ClientMsg::Goto { item, .. } => Command::Goto { item },
        })
    }
}

/// Reads a client message; on failure, the request id if one could be found, and what was wrong.
pub fn parse(text: &str) -> Result<ClientMsg, (Option<u64>, String)> {
    serde_json::from_str(text).map_err(|error| {
        #[derive(Deserialize)]
        struct JustId {
            id: Option<u64>,
        }
        let id = serde_json::from_str::<JustId>(text).ok().and_then(|j| j.id);
        (id, format!("could not read the message: {error}"))
    })
}

#[derive(Debug, Serialize)]
pub struct BallotWire {
    pub round: u32,
    pub answer: Answer,
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
        ballots: Option<BTreeMap<&'a str, BallotWire>>,
    },
    Ack {
        id: u64,
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
        let msg = parse(r#"{"type":"vote","id":7,"item":"L2","round":1,"answer":"not_relevant"}"#)
            .unwrap();
        assert_eq!(msg.id(), 7);
        assert_eq!(
            msg.into_command(),
            Some(Command::Vote {
                item: "L2".into(),
                round: 1,
                answer: Answer::NotRelevant
            })
        );
    }

    #[test]
    fn an_answer_far_off_the_scale_still_reads_so_the_domain_can_refuse_it() {
        let msg = parse(r#"{"type":"vote","id":1,"item":"L2","round":1,"answer":-3}"#).unwrap();
        assert!(matches!(
            msg.into_command(),
            Some(Command::Vote {
                answer: Answer::Level(255),
                ..
            })
        ));
    }

    #[test]
    fn a_malformed_message_keeps_its_id_when_it_has_one() {
        assert_eq!(parse(r#"{"type":"dance","id":9}"#).unwrap_err().0, Some(9));
        assert_eq!(parse("not json").unwrap_err().0, None);
        assert!(parse(r#"{"type":"vote","id":3,"item":"L2"}"#)
            .unwrap_err()
            .1
            .contains("round"));
    }
}
