//! The plain values that commands, events and a session's state share: who acts, participant numbers, an
//! item's phase, the action plan's actions and a finished occasion, and the limits on texts. Depends on
//! no other part of the session, so every part may depend on it.

use serde::{Deserialize, Serialize};

/// Longest note or dissent, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest session title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// A participant's number within one session. Anonymous: it stands for a resume token, not a person.
pub type ParticipantNo = u32;

/// Who sends a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Actor {
    Facilitator,
    Participant(ParticipantNo),
    Screen,
}

/// Where an item is in the flow. Derived from its rounds and consensus, never stored.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Pending,
    Voting,
    Closed,
    Revealed,
    Locked,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = match self {
            Phase::Pending => "pending",
            Phase::Voting => "voting",
            Phase::Closed => "closed",
            Phase::Revealed => "revealed",
            Phase::Locked => "locked",
        };
        f.write_str(word)
    }
}

/// Where an action of the action plan stands.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Todo,
    Doing,
    Done,
}

/// One action of the action plan, tied to an indicator.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    pub item: String,
    pub text: String,
    pub owner: String,
    /// A date, `YYYY-MM-DD`.
    pub due: Option<String>,
    pub status: ActionStatus,
}

/// What makes a finished assessment an occasion that later ones can be compared with.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occasion {
    pub organisation: String,
    /// Field of operation, e.g. Äldreomsorg.
    pub field: Option<String>,
    /// The date of the assessment, `YYYY-MM-DD`.
    pub date: String,
    pub finished_at: i64,
}

/// Most actions in one plan.
pub const MAX_ACTIONS: usize = 500;
