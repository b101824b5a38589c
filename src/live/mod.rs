//! Live sessions: one actor task per session owns its state; cheap-clone handles talk to it over a bounded
//! channel; the registry finds handles by join code. Knows the store and bus traits, never a database, Redis
//! or a socket.

mod actor;
mod bus;
mod registry;

pub use actor::{phone_interval, state_interval, Feed, Joined, Request, SessionHandle};
pub use bus::{Bus, Location};
pub use registry::{Created, Registry};

use crate::domain::DomainError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("no session has that code")]
    UnknownSession,
    #[error("the facilitator key is wrong")]
    WrongKey,
    #[error("the change could not be stored; nothing changed, try again")]
    NotStored,
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("the session is shutting down")]
    Closed,
    #[error("the node running this session did not answer in time; try again")]
    Unavailable,
    /// An error from the node that runs the session, passed on with its code.
    #[error("{message}")]
    Remote { code: &'static str, message: String },
}

impl LiveError {
    /// The stable code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            LiveError::Domain(e) => e.code(),
            LiveError::UnknownSession => "unknown_session",
            LiveError::WrongKey => "forbidden",
            LiveError::NotStored | LiveError::Store(_) | LiveError::Closed => "internal",
            LiveError::Unavailable => "unavailable",
            LiveError::Remote { code, .. } => code,
        }
    }

    /// Rebuilds an error another node reported by its code. Codes this node does not know become `internal`.
    pub fn remote(code: &str, message: String) -> Self {
        const KNOWN: &[&str] = &[
            "forbidden",
            "unknown_item",
            "round_closed",
            "invalid_answer",
            "invalid_transition",
            "invalid_level",
            "text_too_long",
            "invalid_word",
            "duplicate_word",
            "too_many_words",
            "item_in_use",
            "invalid_field",
            "unknown_session",
            "unavailable",
        ];
        let code = KNOWN.iter().find(|known| **known == code).copied().unwrap_or("internal");
        LiveError::Remote { code, message }
    }
}
