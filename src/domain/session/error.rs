//! Why a command is refused. (The stable code clients see for each is the protocol's, `crate::protocol::Code`.)
//! Must not depend on commands, events or the session.

use super::values::{Phase, MAX_TEXT_CHARS};
use crate::domain::words::WordError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("only the facilitator may do that")]
    Forbidden,
    #[error("there is no item {0:?} in this session")]
    UnknownItem(String),
    #[error("voting on round {round} of {item} is not open")]
    RoundClosed { item: String, round: u32 },
    #[error("that answer does not fit this item")]
    InvalidAnswer,
    #[error("{action} is not possible while {item} is {phase}")]
    InvalidTransition { action: &'static str, item: String, phase: Phase },
    #[error("{action} does not apply to a {kind} item")]
    WrongKind { action: &'static str, kind: &'static str },
    #[error("level {0} is not on the scale")]
    InvalidLevel(u8),
    #[error("the text is longer than {MAX_TEXT_CHARS} characters")]
    TextTooLong,
    #[error("{0}")]
    InvalidWord(WordError),
    #[error("you have already sent that word")]
    DuplicateWord,
    #[error("you have already sent {0} words, the most this question takes")]
    TooManyWords(u8),
    #[error("a word cannot be merged into one of its own variants")]
    MergeCycle,
    #[error("item {0} already has answers: it cannot be removed or change kind or number of options")]
    ItemInUse(String),
    #[error("{0}")]
    InvalidField(String),
    #[error("only {0} locked indicators are at or below that level; a prioritisation needs 2 or more")]
    TooFewGaps(usize),
    #[error("there is no action {0:?}")]
    UnknownAction(String),
    #[error("type the room word shown on the screen")]
    WrongRoomWord,
    #[error("the facilitator has left this phone's answers out of the count")]
    LeftOut,
}
