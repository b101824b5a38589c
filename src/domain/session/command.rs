//! What a client asks of a session, who is asking, and who may ask for what. Must not depend on how a command is
//! decided. Its serde form is the message body of docs/protocol.md: the wire decodes straight into it.

use super::values::{ActionStatus, Actor, ParticipantNo};
use crate::domain::item::Agenda;
use crate::domain::kinds::RawAnswer;
use serde::{Deserialize, Deserializer, Serialize};

/// What a client asks for. Decided by [`Session::decide`](super::Session::decide) into events, or refused with a
/// [`DomainError`](super::DomainError).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    Vote {
        item: String,
        round: u32,
        answer: RawAnswer,
        /// The room word as the phone typed it, while the session has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        room_word: Option<String>,
    },
    Word {
        item: String,
        round: u32,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        room_word: Option<String>,
    },
    Open {
        item: String,
    },
    Close {
        item: String,
    },
    Reveal {
        item: String,
    },
    Revote {
        item: String,
    },
    Lock {
        item: String,
        #[serde(deserialize_with = "any_level")]
        level: u8,
        #[serde(default)]
        #[cfg_attr(test, ts(as = "Option<String>", optional))]
        note: String,
        #[cfg_attr(test, ts(optional = nullable))]
        dissent: Option<String>,
        /// Who locks: set by the server from the signed-in member (whatever a client sends is replaced).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(skip))]
        by: Option<String>,
    },
    Reopen {
        item: String,
    },
    Goto {
        item: Option<String>,
    },
    HideWord {
        item: String,
        word: String,
    },
    ShowWord {
        item: String,
        word: String,
    },
    MergeWords {
        item: String,
        word: String,
        into: String,
    },
    UnmergeWord {
        item: String,
        word: String,
    },
    SetFilter {
        enabled: bool,
    },
    /// Changes the agenda: over HTTP only (`PUT /api/sessions/{code}/items`), never a socket message.
    #[cfg_attr(test, ts(skip))]
    SetAgenda(Agenda),
    ShareSummary {
        shared: bool,
    },
    Finish {
        organisation: String,
        #[cfg_attr(test, ts(optional = nullable))]
        field: Option<String>,
        date: String,
    },
    SetAction {
        /// The action to change; a new one when absent.
        #[serde(rename = "action")]
        #[cfg_attr(test, ts(optional = nullable))]
        id: Option<String>,
        item: String,
        text: String,
        #[serde(default)]
        #[cfg_attr(test, ts(as = "Option<String>", optional))]
        owner: String,
        #[cfg_attr(test, ts(optional = nullable))]
        due: Option<String>,
        #[serde(default)]
        #[cfg_attr(test, ts(as = "Option<ActionStatus>", optional))]
        status: ActionStatus,
    },
    RemoveAction {
        #[serde(rename = "action")]
        id: String,
    },
    /// Adds a points item over the locked indicators at or below `max_level` and opens it.
    StartPrioritisation {
        max_level: u8,
        #[serde(default = "default_budget")]
        #[cfg_attr(test, ts(as = "Option<u32>", optional))]
        budget: u32,
    },
    /// Sets the word the screen shows and answers must carry (a new one turns the old away), or, with
    /// `null`, answers need none.
    SetRoomWord {
        #[cfg_attr(test, ts(optional = nullable))]
        word: Option<String>,
    },
    /// Leaves participants out of every count: their answers are set aside and they can answer no more.
    LeaveOut {
        participants: Vec<ParticipantNo>,
    },
    /// Counts participants left out again, with the answers they had given.
    CountAgain {
        participants: Vec<ParticipantNo>,
    },
    /// Leaves out every participant flagged as joining in a burst from one network. The flags live in
    /// memory beside the session, never in its log, so the wire carries no names: whoever runs the
    /// session fills `flagged` in before deciding.
    LeaveOutFlagged {
        #[serde(skip)]
        #[cfg_attr(test, ts(skip))]
        flagged: Vec<ParticipantNo>,
    },
    /// Counts every participant left out again.
    CountAllAgain,
}

fn default_budget() -> u32 {
    crate::domain::kinds::points::DEFAULT_BUDGET
}

/// A lock level as any JSON integer: one that fits no `u8` becomes a level no scale has, so deciding
/// refuses it as `invalid_level` rather than the message as unreadable.
fn any_level<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    Ok(u8::try_from(i64::deserialize(deserializer)?).unwrap_or(u8::MAX))
}

impl Command {
    /// Whether `actor` may send this command: participants only answer, the facilitator drives everything
    /// else, and screens only watch. Every command is listed, so a new one must say who may send it.
    pub fn allowed(&self, actor: Actor) -> bool {
        match self {
            Command::Vote { .. } | Command::Word { .. } => match actor {
                Actor::Participant(_) => true,
                Actor::Facilitator | Actor::Screen => false,
            },
            Command::Open { .. }
            | Command::Close { .. }
            | Command::Reveal { .. }
            | Command::Revote { .. }
            | Command::Lock { .. }
            | Command::Reopen { .. }
            | Command::Goto { .. }
            | Command::HideWord { .. }
            | Command::ShowWord { .. }
            | Command::MergeWords { .. }
            | Command::UnmergeWord { .. }
            | Command::SetFilter { .. }
            | Command::SetAgenda(_)
            | Command::ShareSummary { .. }
            | Command::Finish { .. }
            | Command::SetAction { .. }
            | Command::RemoveAction { .. }
            | Command::StartPrioritisation { .. }
            | Command::SetRoomWord { .. }
            | Command::LeaveOut { .. }
            | Command::CountAgain { .. }
            | Command::LeaveOutFlagged { .. }
            | Command::CountAllAgain => match actor {
                Actor::Facilitator => true,
                Actor::Participant(_) | Actor::Screen => false,
            },
        }
    }
}
