//! The durable facts a session is built from. Stored as JSON, so every name and field here is a storage format;
//! must not depend on how events are decided or applied.

use super::values::{Action, Occasion, ParticipantNo};
use crate::domain::catalogue::Scale;
use crate::domain::item::ItemSpec;
use crate::domain::kinds::words::Spellings;
use crate::domain::kinds::{Answer, RoundTally};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A durable fact. Stored in order; applying them in order rebuilds the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    ParticipantJoined {
        participant: ParticipantNo,
        token: String,
    },
    RoundOpened {
        item: String,
        round: u32,
    },
    BallotCast {
        item: String,
        round: u32,
        participant: ParticipantNo,
        answer: Answer,
    },
    WordAdded {
        item: String,
        round: u32,
        participant: ParticipantNo,
        /// The normalised form the word is grouped, counted and moderated by.
        word: String,
        /// How it was written (case kept), when that differs from `word`: the cloud shows the most common
        /// spelling. Absent in events stored before spellings were kept; those count as `word` itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        spelling: Option<String>,
    },
    RoundClosed {
        item: String,
        round: u32,
    },
    RoundRevealed {
        item: String,
        round: u32,
    },
    ConsensusLocked {
        item: String,
        level: u8,
        note: String,
        dissent: Option<String>,
        at: i64,
        /// The account id of the signed-in member who locked it; absent for a key link's holder and in
        /// events stored before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    ConsensusReopened {
        item: String,
        at: i64,
    },
    CurrentSet {
        item: Option<String>,
    },
    WordHidden {
        item: String,
        word: String,
    },
    WordShown {
        item: String,
        word: String,
    },
    WordsMerged {
        item: String,
        word: String,
        into: String,
    },
    WordUnmerged {
        item: String,
        word: String,
    },
    FilterSet {
        enabled: bool,
    },
    AgendaSet {
        scales: BTreeMap<String, Scale>,
        items: Vec<ItemSpec>,
    },
    SummaryShared {
        shared: bool,
    },
    OccasionRecorded {
        occasion: Occasion,
    },
    ActionSet {
        action: Action,
    },
    ActionRemoved {
        id: String,
    },
    RoomWordSet {
        word: Option<String>,
    },
    /// Participants left out of every count, their answers set aside.
    ParticipantsLeftOut {
        participants: Vec<ParticipantNo>,
    },
    ParticipantsCountedAgain {
        participants: Vec<ParticipantNo>,
    },
    /// A round's counts without the ballots behind them: what remains once raw ballots are no longer kept.
    RoundTallied {
        item: String,
        round: u32,
        tally: RoundTally,
        voters: u32,
        /// Spellings per normalised word (words rounds only), so a compacted cloud keeps its display forms.
        /// Absent in older stored events.
        #[serde(default, skip_serializing_if = "Spellings::is_empty")]
        spellings: Spellings,
    },
}
