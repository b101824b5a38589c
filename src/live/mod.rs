//! Live sessions: one actor task per session owns its state; cheap-clone handles talk to it over a bounded
//! channel; the registry finds handles by join code. Knows the store and bus traits, never a database, Redis
//! or a socket.

mod actor;
mod answer;
mod bus;
mod demand;
mod handle;
mod recent;
mod registry;

pub use actor::state_interval;
pub use answer::{Answer, Outcome};
pub use bus::{Bus, Location};
pub use demand::Demand;
pub use handle::{Feed, Joined, Owner, Request, SessionHandle, REVOKED};
pub use registry::{Created, Registry};

use crate::domain::DomainError;
use crate::protocol::Code;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("no session has that code")]
    UnknownSession,
    #[error("the facilitator key is wrong")]
    WrongKey,
    /// A session of an organisation, asked for without its key by someone not signed in.
    #[error("sign in as a member of the session's organisation, or open it with its facilitator link")]
    NotSignedIn,
    #[error("the change could not be stored; nothing changed, try again")]
    NotStored,
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("the session is shutting down")]
    Closed,
    #[error("the node running this session did not answer in time; try again")]
    Unavailable,
    #[error("three wrong room words in a minute; ask for the word on the screen and try again in a minute")]
    GuessingRoomWords,
    /// An error from the node that runs the session, passed on with its code.
    #[error("{message}")]
    Remote { code: Code, message: String },
}

impl LiveError {
    /// The stable code clients see.
    pub fn code(&self) -> Code {
        match self {
            LiveError::Domain(e) => Code::from(e),
            LiveError::UnknownSession => Code::UnknownSession,
            LiveError::WrongKey => Code::Forbidden,
            LiveError::NotSignedIn => Code::Unauthorized,
            LiveError::NotStored | LiveError::Store(_) | LiveError::Closed => Code::Internal,
            LiveError::Unavailable => Code::Unavailable,
            LiveError::GuessingRoomWords => Code::RateLimited,
            LiveError::Remote { code, .. } => *code,
        }
    }
}
