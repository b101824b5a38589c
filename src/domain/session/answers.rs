//! Deciding a participant's answers: a ballot on a scale, choice or points item, or a word on a words item. Must
//! not depend on the flow, moderation or the plan.

use super::{Actor, DomainError, Event, ParticipantNo, Session};
use crate::domain::kinds::{ItemKind, RawAnswer};
use crate::domain::words;

/// The participant an answer counts for. [`super::Command::allowed`] has already refused everyone else;
/// this only takes the number out of the actor.
pub(super) fn answering(actor: Actor) -> Result<ParticipantNo, DomainError> {
    match actor {
        Actor::Participant(participant) => Ok(participant),
        Actor::Facilitator | Actor::Screen => Err(DomainError::Forbidden),
    }
}

impl Session {
    pub(super) fn decide_vote(
        &self,
        participant: ParticipantNo,
        item: String,
        round: u32,
        raw: RawAnswer,
    ) -> Result<Vec<Event>, DomainError> {
        let (spec, state) = self.find(&item)?;
        let answer = spec.kind.check(&raw, self.scale_of(spec)).ok_or(DomainError::InvalidAnswer)?;
        let open = state.open_round(round).ok_or_else(|| DomainError::RoundClosed { item: item.clone(), round })?;
        if open.ballots.get(&participant) == Some(&answer) {
            // The same answer again (a resend after reconnect): nothing new to store.
            return Ok(vec![]);
        }
        Ok(vec![Event::BallotCast { item, round, participant, answer }])
    }

    pub(super) fn decide_word(
        &self,
        participant: ParticipantNo,
        item: String,
        round: u32,
        text: &str,
    ) -> Result<Vec<Event>, DomainError> {
        let (spec, state) = self.find(&item)?;
        let ItemKind::Words(settings) = &spec.kind else {
            return Err(DomainError::InvalidAnswer);
        };
        let (max_words, max_chars) = (settings.max_words, settings.max_chars);
        let word = words::accept(text, max_chars).map_err(DomainError::InvalidWord)?;
        let open = state.open_round(round).ok_or_else(|| DomainError::RoundClosed { item: item.clone(), round })?;
        let sent = open.words.get(&participant).map(Vec::as_slice).unwrap_or_default();
        if sent.contains(&word) {
            return Err(DomainError::DuplicateWord);
        }
        if sent.len() >= max_words as usize {
            return Err(DomainError::TooManyWords(max_words));
        }
        // Stored only when it differs, so most events stay as small as before.
        let spelling = Some(words::spelling(text)).filter(|s| *s != word);
        Ok(vec![Event::WordAdded { item, round, participant, word, spelling }])
    }
}
