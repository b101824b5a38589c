//! Every error code a client can see, over the WebSocket and over HTTP, with its HTTP status: the one
//! list. docs/protocol.md is checked against it below; the frontend gets it as `CODES` in the generated
//! `protocol.ts`, and its tests check that every code has a message.

use crate::domain::DomainError;
use serde::{Deserialize, Serialize};

/// Defines [`Code`] from one table, so a code, its wire name and its HTTP status cannot drift apart.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $status:literal;)*) => {
        /// A stable error code, snake_case on the wire.
        #[cfg_attr(test, derive(ts_rs::TS))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Code {
            $($(#[doc = $doc])* #[serde(rename = $name)] $variant,)*
        }

        impl Code {
            /// Every code, in the order of docs/protocol.md §5.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as clients see it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// The HTTP status an answer with this code carries.
            pub fn http_status(self) -> u16 {
                match self {
                    $(Code::$variant => $status,)*
                }
            }
        }
    };
}

codes! {
    /// Not JSON, an unknown `type`, a missing or wrongly typed field.
    BadMessage = "bad_message", 400;
    /// A message or request body over its size limit.
    TooLarge = "too_large", 413;
    /// A command before `hello`.
    NotJoined = "not_joined", 400;
    /// A second `hello`.
    AlreadyJoined = "already_joined", 400;
    UnknownSession = "unknown_session", 404;
    /// A command of another role, or a wrong facilitator key; a signed-in person outside the organisation
    /// or in a role that may not do this; a change made with the sign-in cookie but without its CSRF token.
    Forbidden = "forbidden", 403;
    /// Needs a signed-in member of staff (creating without `--allow-anonymous`, an organisation's pages),
    /// or a wrong email or password at sign-in.
    Unauthorized = "unauthorized", 401;
    UnknownItem = "unknown_item", 400;
    RoundClosed = "round_closed", 400;
    InvalidAnswer = "invalid_answer", 400;
    /// Not allowed in the item's phase or for its kind.
    InvalidTransition = "invalid_transition", 400;
    InvalidLevel = "invalid_level", 400;
    TextTooLong = "text_too_long", 400;
    InvalidWord = "invalid_word", 400;
    DuplicateWord = "duplicate_word", 400;
    TooManyWords = "too_many_words", 400;
    /// An item set or catalogue that breaks a rule.
    InvalidItems = "invalid_items", 400;
    /// An item with rounds cannot be removed or change kind; a catalogue version already stored.
    ItemInUse = "item_in_use", 409;
    InvalidField = "invalid_field", 400;
    UnknownCatalogue = "unknown_catalogue", 404;
    /// An invitation link that does not exist, was used already or has expired.
    UnknownInvitation = "unknown_invitation", 404;
    /// Two occasions that cannot be compared.
    NotComparable = "not_comparable", 400;
    RateLimited = "rate_limited", 429;
    /// An answer without the room word the screen shows, or with an old one.
    WrongRoomWord = "wrong_room_word", 403;
    /// An answer from a participant the facilitator left out of the counts.
    LeftOut = "left_out", 403;
    /// A request body that did not arrive in time.
    Timeout = "timeout", 408;
    /// The change could not be stored; nothing changed.
    Internal = "internal", 500;
    /// Another node could not be reached in time.
    Unavailable = "unavailable", 503;
}

impl Code {
    /// The code by its wire name.
    pub fn parse(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == name)
    }
}

impl From<&DomainError> for Code {
    fn from(error: &DomainError) -> Code {
        match error {
            DomainError::Forbidden => Code::Forbidden,
            DomainError::UnknownItem(_) => Code::UnknownItem,
            DomainError::RoundClosed { .. } => Code::RoundClosed,
            DomainError::InvalidAnswer => Code::InvalidAnswer,
            DomainError::InvalidTransition { .. }
            | DomainError::WrongKind { .. }
            | DomainError::MergeCycle
            | DomainError::TooFewGaps(_) => Code::InvalidTransition,
            DomainError::InvalidLevel(_) => Code::InvalidLevel,
            DomainError::TextTooLong => Code::TextTooLong,
            DomainError::InvalidWord(_) => Code::InvalidWord,
            DomainError::DuplicateWord => Code::DuplicateWord,
            DomainError::TooManyWords(_) => Code::TooManyWords,
            DomainError::ItemInUse(_) => Code::ItemInUse,
            DomainError::InvalidField(_) | DomainError::UnknownAction(_) => Code::InvalidField,
            DomainError::WrongRoomWord => Code::WrongRoomWord,
            DomainError::LeftOut => Code::LeftOut,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_written_on_the_wire_as_its_name_and_read_back() {
        for code in Code::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), *code);
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
        assert_eq!(Code::parse("no_such_code"), None);
    }

    #[test]
    fn every_code_is_listed_in_the_protocol_document() {
        let protocol = include_str!("../../docs/protocol.md");
        let section = &protocol[protocol.find("## 5. Error codes").expect("section 5")..];
        for code in Code::ALL {
            assert!(section.contains(&format!("| `{}` |", code.as_str())), "docs/protocol.md §5 lacks {code}");
        }
    }
}
