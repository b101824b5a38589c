//! Keeping a room's answers the room's: the room word phones must type to answer, and participants the
//! facilitator leaves out of the counts (a burst of new phones from one network, say). Must not depend
//! on the flow, moderation or the plan.

use super::values::ParticipantNo;
use super::{DomainError, Event, Round, Session};
use serde::Serialize;

/// Most participants one `leave_out` or `count_again` names.
pub const MAX_LEFT_OUT_AT_ONCE: usize = 10_000;
/// A room word's length in characters: short enough to read off a projector and type on a phone.
pub const ROOM_WORD_CHARS: std::ops::RangeInclusive<usize> = 2..=24;

/// The word on the screen that answers must carry while it is set, and how many words the session has had,
/// so a phone knows that the word it remembers is an old one.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomWord {
    pub word: String,
    pub number: u32,
}

impl Session {
    /// Whether an answer carrying `given` may count: always when no room word is set; else when it is the
    /// word, in any case and with spaces around it.
    pub(super) fn check_room_word(&self, given: Option<&str>) -> Result<(), DomainError> {
        match &self.room_word {
            None => Ok(()),
            Some(room) if given.is_some_and(|given| same_word(given, &room.word)) => Ok(()),
            Some(_) => Err(DomainError::WrongRoomWord),
        }
    }

    /// Whether `participant`'s answers may count: not after the facilitator left them out.
    pub(super) fn check_counted(&self, participant: ParticipantNo) -> Result<(), DomainError> {
        if self.left_out.contains(&participant) {
            return Err(DomainError::LeftOut);
        }
        Ok(())
    }

    pub(super) fn decide_room_word(&self, word: Option<String>) -> Result<Vec<Event>, DomainError> {
        let word = match word.map(|w| w.trim().to_string()) {
            None => None,
            Some(w) if ROOM_WORD_CHARS.contains(&w.chars().count()) && w.chars().all(char::is_alphanumeric) => Some(w),
            Some(_) => {
                let (min, max) = (ROOM_WORD_CHARS.start(), ROOM_WORD_CHARS.end());
                return Err(DomainError::InvalidField(format!(
                    "a room word is one word of {min} to {max} letters or digits"
                )));
            }
        };
        if word.is_none() && self.room_word.is_none() {
            return Ok(vec![]);
        }
        Ok(vec![Event::RoomWordSet { word }])
    }

    /// Leaves participants out of every count (`out`), or counts them again.
    pub(super) fn decide_left_out(
        &self,
        participants: Vec<ParticipantNo>,
        out: bool,
    ) -> Result<Vec<Event>, DomainError> {
        if participants.is_empty() || participants.len() > MAX_LEFT_OUT_AT_ONCE {
            return Err(DomainError::InvalidField(format!("name 1 to {MAX_LEFT_OUT_AT_ONCE} participants at once")));
        }
        let known = self.participant_count() as ParticipantNo;
        if let Some(unknown) = participants.iter().find(|p| **p == 0 || **p > known) {
            return Err(DomainError::InvalidField(format!("there is no participant {unknown}")));
        }
        let mut changed: Vec<ParticipantNo> =
            participants.into_iter().filter(|p| self.left_out.contains(p) != out).collect();
        changed.sort_unstable();
        changed.dedup();
        if changed.is_empty() {
            return Ok(vec![]);
        }
        Ok(vec![if out {
            Event::ParticipantsLeftOut { participants: changed }
        } else {
            Event::ParticipantsCountedAgain { participants: changed }
        }])
    }

    /// Leaves out the flagged participants who still count; none is no change. Unlike a named list,
    /// `flagged` comes from the server, so it is neither limited nor refused for a name it does not know.
    pub(super) fn decide_leave_out_flagged(&self, flagged: Vec<ParticipantNo>) -> Vec<Event> {
        let known = self.participant_count() as ParticipantNo;
        let mut participants: Vec<ParticipantNo> =
            flagged.into_iter().filter(|p| (1..=known).contains(p) && !self.left_out.contains(p)).collect();
        participants.sort_unstable();
        participants.dedup();
        if participants.is_empty() {
            return vec![];
        }
        vec![Event::ParticipantsLeftOut { participants }]
    }

    /// Counts everyone left out again; nobody left out is no change.
    pub(super) fn decide_count_all_again(&self) -> Vec<Event> {
        if self.left_out.is_empty() {
            return vec![];
        }
        vec![Event::ParticipantsCountedAgain { participants: self.left_out.iter().copied().collect() }]
    }

    pub(super) fn room_word_set(&mut self, word: Option<&str>) {
        // Numbered across turning it off and on, so no new word takes an old one's number.
        if word.is_some() {
            self.room_words += 1;
        }
        self.room_word = word.map(|word| RoomWord { word: word.to_string(), number: self.room_words });
    }

    /// Moves the participants' answers out of every round's counts (or back in), keeping them aside, so
    /// counting them again restores exactly what they had answered.
    pub(super) fn participants_left_out(&mut self, participants: &[ParticipantNo], out: bool) {
        for participant in participants {
            let changed = if out { self.left_out.insert(*participant) } else { self.left_out.remove(participant) };
            if !changed {
                continue;
            }
            for round in self.items.iter_mut().flat_map(|item| item.rounds.iter_mut()) {
                if out {
                    set_aside(round, *participant);
                } else {
                    count_again(round, *participant);
                }
            }
        }
    }
}

fn same_word(given: &str, word: &str) -> bool {
    given.trim().to_lowercase() == word.to_lowercase()
}

fn set_aside(round: &mut Round, participant: ParticipantNo) {
    if let Some(answer) = round.ballots.remove(&participant) {
        round.tally.count(&answer, -1);
        round.aside.ballots.insert(participant, answer);
    }
    if let Some(words) = round.words.remove(&participant) {
        for word in &words {
            round.tally.remove_word(word);
        }
        round.aside.words.insert(participant, words);
    }
}

fn count_again(round: &mut Round, participant: ParticipantNo) {
    if let Some(answer) = round.aside.ballots.remove(&participant) {
        round.tally.count(&answer, 1);
        round.ballots.insert(participant, answer);
    }
    if let Some(words) = round.aside.words.remove(&participant) {
        for word in &words {
            round.tally.add_word(word);
        }
        round.words.insert(participant, words);
    }
}
