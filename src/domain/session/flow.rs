//! Deciding an item's flow (open, close, reveal, re-vote, lock, reopen) and which item is current. Must not depend
//! on answers, moderation or the plan.

use super::{DomainError, Event, ItemState, Phase, Session, MAX_TEXT_CHARS};

/// The refusal for `action` on `item` in a phase that does not allow it.
fn refused(action: &'static str, item: String, phase: Phase) -> DomainError {
    DomainError::InvalidTransition { action, item, phase }
}

/// The number of the item's latest round; 0 before its first.
fn last_round(state: &ItemState) -> u32 {
    state.rounds.last().map(|r| r.number).unwrap_or(0)
}

impl Session {
    pub(super) fn decide_open(&self, item: String) -> Result<Vec<Event>, DomainError> {
        let (_, state) = self.find(&item)?;
        match state.phase() {
            Phase::Pending => {
                Ok(vec![Event::RoundOpened { item: item.clone(), round: 1 }, Event::CurrentSet { item: Some(item) }])
            }
            phase => Err(refused("open", item, phase)),
        }
    }

    pub(super) fn decide_close(&self, item: String) -> Result<Vec<Event>, DomainError> {
        let (_, state) = self.find(&item)?;
        match state.phase() {
            Phase::Voting => Ok(vec![Event::RoundClosed { round: last_round(state), item }]),
            phase => Err(refused("close", item, phase)),
        }
    }

    /// Reveals the latest round, closing it first if it is still open.
    pub(super) fn decide_reveal(&self, item: String) -> Result<Vec<Event>, DomainError> {
        let (_, state) = self.find(&item)?;
        let round = last_round(state);
        match state.phase() {
            Phase::Voting => {
                Ok(vec![Event::RoundClosed { item: item.clone(), round }, Event::RoundRevealed { item, round }])
            }
            Phase::Closed => Ok(vec![Event::RoundRevealed { item, round }]),
            phase => Err(refused("reveal", item, phase)),
        }
    }

    pub(super) fn decide_revote(&self, item: String) -> Result<Vec<Event>, DomainError> {
        let (_, state) = self.find(&item)?;
        match state.phase() {
            Phase::Closed | Phase::Revealed => Ok(vec![Event::RoundOpened { round: last_round(state) + 1, item }]),
            phase => Err(refused("revote", item, phase)),
        }
    }

    /// Locks the group's consensus on a scale item; only scale items have a level to lock.
    pub(super) fn decide_lock(
        &self,
        item: String,
        level: u8,
        note: String,
        dissent: Option<String>,
        by: Option<String>,
        now: i64,
    ) -> Result<Vec<Event>, DomainError> {
        let (spec, state) = self.find(&item)?;
        let Some(scale) = self.scale_of(spec) else {
            return Err(DomainError::WrongKind { action: "lock", kind: spec.kind.name() });
        };
        let phase = state.phase();
        if !matches!(phase, Phase::Pending | Phase::Closed | Phase::Revealed) {
            return Err(refused("lock", item, phase));
        }
        if !scale.contains(level) {
            return Err(DomainError::InvalidLevel(level));
        }
        let too_long = |text: &str| text.chars().count() > MAX_TEXT_CHARS;
        if too_long(&note) || dissent.as_deref().is_some_and(too_long) {
            return Err(DomainError::TextTooLong);
        }
        let dissent = dissent.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
        let by = by.map(|b| b.trim().to_string()).filter(|b| !b.is_empty());
        Ok(vec![Event::ConsensusLocked { item, level, note: note.trim().to_string(), dissent, at: now, by }])
    }

    pub(super) fn decide_reopen(&self, item: String, now: i64) -> Result<Vec<Event>, DomainError> {
        let (_, state) = self.find(&item)?;
        match state.phase() {
            Phase::Locked => Ok(vec![Event::ConsensusReopened { item, at: now }]),
            phase => Err(refused("reopen", item, phase)),
        }
    }

    /// Sets the item everyone looks at, or none.
    pub(super) fn decide_goto(&self, item: Option<String>) -> Result<Vec<Event>, DomainError> {
        if let Some(id) = &item {
            self.find(id)?;
        }
        Ok(vec![Event::CurrentSet { item }])
    }
}
