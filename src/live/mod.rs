//! Live sessions: one actor task per session owns its state; cheap-clone handles talk to it over a bounded
//! channel; the registry finds handles by join code. Knows the store trait, never a database or a socket.

mod actor;
mod registry;

pub use actor::{phone_interval, Feed, Joined, SessionHandle};
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
}

impl LiveError {
    /// The stable code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            LiveError::Domain(e) => e.code(),
            LiveError::UnknownSession => "unknown_session",
            LiveError::WrongKey => "forbidden",
            LiveError::NotStored | LiveError::Store(_) | LiveError::Closed => "internal",
        }
    }
}
