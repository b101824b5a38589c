//! What a session knows of each item: its rounds, consensus, history and word moderation, and the phase they imply.
//! Plain state: must not depend on commands or on how they are decided.

use super::values::{ParticipantNo, Phase};
use crate::domain::kinds::words::Spellings;
use crate::domain::kinds::{Answer, RoundTally};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

// Moderation is the words kind's, kept per item here.
pub use crate::domain::kinds::words::Moderation;

/// One pass of private voting on an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub number: u32,
    pub open: bool,
    pub revealed: bool,
    /// One ballot per participant; a new ballot replaces the old while the round is open.
    pub ballots: BTreeMap<ParticipantNo, Answer>,
    /// Words each participant sent, in order (words items only).
    pub words: BTreeMap<ParticipantNo, Vec<String>>,
    /// Answers of participants left out of the counts, kept to count them again.
    pub aside: Aside,
    /// Kept in step with `ballots` and `words` so an answer costs O(1), not a recount.
    pub tally: RoundTally,
    /// How each normalised word was written, for the cloud's display form (words items only).
    pub spellings: Spellings,
    /// Voters counted in a stored tally whose ballots are no longer kept.
    pub tallied_voters: u32,
}

/// A round's answers from participants left out of the counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aside {
    pub ballots: BTreeMap<ParticipantNo, Answer>,
    pub words: BTreeMap<ParticipantNo, Vec<String>>,
}

impl Round {
    /// Participants who answered in this round.
    pub fn voters(&self) -> u32 {
        (self.ballots.len() + self.words.len()) as u32 + self.tallied_voters
    }
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consensus {
    pub level: u8,
    pub note: String,
    pub dissent: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub locked_at: i64,
    /// The account id of the signed-in member who locked it: shown only in the facilitator's view
    /// (`ItemView::locked_by`), never to phones, the screen or in exports; its name is the account's
    /// (`GET /api/sessions/{code}/people`), so removing the member removes the name too.
    #[serde(skip_serializing)]
    #[cfg_attr(test, ts(skip))]
    pub by: Option<String>,
}

/// A lock that was later reopened; kept so the group can see how its view moved.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PastConsensus {
    #[serde(flatten)]
    pub consensus: Consensus,
    pub reopened_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemState {
    pub rounds: Vec<Round>,
    pub consensus: Option<Consensus>,
    pub history: Vec<PastConsensus>,
    pub moderation: Moderation,
}

impl ItemState {
    pub fn phase(&self) -> Phase {
        if self.consensus.is_some() {
            return Phase::Locked;
        }
        match self.rounds.last() {
            None => Phase::Pending,
            Some(round) if round.open => Phase::Voting,
            Some(round) if round.revealed => Phase::Revealed,
            Some(_) => Phase::Closed,
        }
    }

    pub(super) fn open_round(&self, number: u32) -> Option<&Round> {
        self.rounds.last().filter(|r| r.open && r.number == number)
    }

    /// Whether the item has anything that an agenda edit must not break.
    pub(super) fn in_use(&self) -> bool {
        !self.rounds.is_empty() || self.consensus.is_some() || !self.history.is_empty()
    }
}

/// A participant's own answer in an item's latest round, for a reconnecting phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnAnswer {
    pub round: u32,
    pub answer: Option<Answer>,
    pub words: Vec<String>,
}
