//! Applying events to a session, the only way its state changes, and compacting a log to its outcome. Must not
//! depend on commands or on how they are decided.

use super::{Action, Consensus, Event, ItemState, PastConsensus, Round, Session};
use crate::domain::catalogue::Scale;
use crate::domain::item::ItemSpec;
use crate::domain::kinds::words::{add_spelling, Spellings};
use crate::domain::kinds::RoundTally;
use std::collections::{BTreeMap, HashMap};

impl Session {
    /// Applies a stored fact. Never fails: an event that no longer fits (which `decide` never produces) is skipped.
    ///
    /// Every event has its own arm and no arm catches the rest, so a new event without its effect does not compile.
    pub fn apply(&mut self, event: &Event) {
        self.version += 1;
        if self.shows(event) {
            self.public_version += 1;
        }
        match event {
            Event::ParticipantJoined { participant, token } => {
                self.tokens.insert(token.clone(), *participant);
            }
            Event::CurrentSet { item } => self.current = item.as_deref().and_then(|id| self.item_index(id)),
            Event::FilterSet { enabled } => self.profanity_filter = *enabled,
            Event::AgendaSet { scales, items } => self.set_agenda(scales, items),
            Event::SummaryShared { shared } => self.summary_shared = *shared,
            Event::OccasionRecorded { occasion } => self.occasion = Some(occasion.clone()),
            Event::ActionSet { action } => self.set_action(action),
            Event::ActionRemoved { id } => self.actions.retain(|a| a.id != *id),
            Event::RoundTallied { item, round, tally, voters, spellings } => {
                self.round_tallied(item, *round, tally, *voters, spellings)
            }
            Event::RoundOpened { item, round } => self.round_opened(item, *round),
            Event::BallotCast { item, round, participant, answer } => {
                let Some(r) = self.round_mut(item, *round) else { return };
                if let Some(old) = r.ballots.insert(*participant, answer.clone()) {
                    r.tally.count(&old, -1);
                }
                r.tally.count(answer, 1);
            }
            Event::WordAdded { item, round, participant, word, spelling } => {
                let Some(r) = self.round_mut(item, *round) else { return };
                r.words.entry(*participant).or_default().push(word.clone());
                r.tally.add_word(word);
                add_spelling(&mut r.spellings, word, spelling.as_deref().unwrap_or(word));
            }
            Event::RoundClosed { item, round } => {
                if let Some(r) = self.round_mut(item, *round) {
                    r.open = false;
                }
            }
            Event::RoundRevealed { item, round } => {
                if let Some(r) = self.round_mut(item, *round) {
                    r.open = false;
                    r.revealed = true;
                }
            }
            Event::ConsensusLocked { item, level, note, dissent, at, by } => {
                let consensus = Consensus {
                    level: *level,
                    note: note.clone(),
                    dissent: dissent.clone(),
                    locked_at: *at,
                    by: by.clone(),
                };
                self.consensus_locked(item, consensus);
            }
            Event::ConsensusReopened { item, at } => self.consensus_reopened(item, *at),
            Event::WordHidden { item, word } => {
                if let Some(state) = self.state_mut(item) {
                    state.moderation.shown.remove(word);
                    state.moderation.hidden.insert(word.clone());
                }
            }
            Event::WordShown { item, word } => {
                if let Some(state) = self.state_mut(item) {
                    state.moderation.hidden.remove(word);
                    state.moderation.shown.insert(word.clone());
                }
            }
            Event::WordsMerged { item, word, into } => self.words_merged(item, word, into),
            Event::WordUnmerged { item, word } => {
                if let Some(state) = self.state_mut(item) {
                    state.moderation.merges.remove(word);
                }
            }
            Event::RoomWordSet { word } => self.room_word_set(word.as_deref()),
            Event::ParticipantsLeftOut { participants } => self.participants_left_out(participants, true),
            Event::ParticipantsCountedAgain { participants } => self.participants_left_out(participants, false),
        }
    }

    /// Whether phones and screens can see that `event` happened (before it is applied). A participant who
    /// already answered in a round and answers again changes no figure they see before the reveal, and
    /// while results show live the changed counts show it anyway.
    fn shows(&self, event: &Event) -> bool {
        match event {
            Event::BallotCast { item, round, participant, .. } | Event::WordAdded { item, round, participant, .. } => {
                let answered =
                    self.item_index(item).and_then(|i| self.items[i].rounds.iter().find(|r| r.number == *round));
                !answered.is_some_and(|r| r.ballots.contains_key(participant) || r.words.contains_key(participant))
            }
            _ => true,
        }
    }

    /// An event log that rebuilds this session's outcome — every round's counts, locks and their history,
    /// moderation, the plan, the occasion — without individual ballots, words or resume tokens.
    /// Replayed on the session's stored spec it gives the same items, minus who answered what.
    pub fn compacted(&self) -> Vec<Event> {
        let mut events = vec![Event::AgendaSet { scales: self.spec.scales.clone(), items: self.spec.items.clone() }];
        if !self.profanity_filter {
            events.push(Event::FilterSet { enabled: false });
        }
        for (spec, state) in self.spec.items.iter().zip(&self.items) {
            let item = || spec.id.clone();
            // Earlier locks first: a lock closes the latest round, which must not touch rounds opened after a reopen.
            for past in &state.history {
                let c = &past.consensus;
                events.push(locked(c, item()));
                events.push(Event::ConsensusReopened { item: item(), at: past.reopened_at });
            }
            for round in &state.rounds {
                events.push(Event::RoundOpened { item: item(), round: round.number });
                let tally = round.tally.clone();
                let spellings = round.spellings.clone();
                events.push(Event::RoundTallied {
                    item: item(),
                    round: round.number,
                    tally,
                    voters: round.voters(),
                    spellings,
                });
                if !round.open {
                    events.push(Event::RoundClosed { item: item(), round: round.number });
                }
                if round.revealed {
                    events.push(Event::RoundRevealed { item: item(), round: round.number });
                }
            }
            if let Some(c) = &state.consensus {
                events.push(locked(c, item()));
            }
            let moderation = &state.moderation;
            events.extend(moderation.hidden.iter().map(|word| Event::WordHidden { item: item(), word: word.clone() }));
            events.extend(moderation.shown.iter().map(|word| Event::WordShown { item: item(), word: word.clone() }));
            events.extend(moderation.merges.iter().map(|(word, into)| Event::WordsMerged {
                item: item(),
                word: word.clone(),
                into: into.clone(),
            }));
        }
        events.push(Event::CurrentSet { item: self.current.map(|i| self.spec.items[i].id.clone()) });
        if self.summary_shared {
            events.push(Event::SummaryShared { shared: true });
        }
        if let Some(occasion) = &self.occasion {
            events.push(Event::OccasionRecorded { occasion: occasion.clone() });
        }
        events.extend(self.actions.iter().map(|action| Event::ActionSet { action: action.clone() }));
        if let Some(room) = &self.room_word {
            events.push(Event::RoomWordSet { word: Some(room.word.clone()) });
        }
        events
    }

    fn set_action(&mut self, action: &Action) {
        match self.actions.iter_mut().find(|a| a.id == action.id) {
            Some(existing) => *existing = action.clone(),
            None => self.actions.push(action.clone()),
        }
    }

    /// A round's counts replace its ballots and words, which a compacted log no longer holds.
    fn round_tallied(&mut self, item: &str, round: u32, tally: &RoundTally, voters: u32, spellings: &Spellings) {
        if let Some(r) = self.round_mut(item, round) {
            r.ballots.clear();
            r.words.clear();
            r.tally = tally.clone();
            r.spellings = spellings.clone();
            r.tallied_voters = voters;
        }
    }

    fn round_opened(&mut self, item: &str, round: u32) {
        let Some(index) = self.item_index(item) else { return };
        let tally = self.spec.items[index].kind.new_tally(self.scale_of(&self.spec.items[index]));
        self.items[index].rounds.push(Round {
            number: round,
            open: true,
            revealed: false,
            ballots: BTreeMap::new(),
            words: BTreeMap::new(),
            aside: Default::default(),
            tally,
            spellings: Spellings::new(),
            tallied_voters: 0,
        });
    }

    /// A lock also ends voting on the latest round.
    fn consensus_locked(&mut self, item: &str, consensus: Consensus) {
        if let Some(state) = self.state_mut(item) {
            if let Some(open) = state.rounds.last_mut() {
                open.open = false;
            }
            state.consensus = Some(consensus);
        }
    }

    /// A reopened lock moves to the history, so the group can see how its view moved.
    fn consensus_reopened(&mut self, item: &str, at: i64) {
        if let Some(state) = self.state_mut(item) {
            if let Some(consensus) = state.consensus.take() {
                state.history.push(PastConsensus { consensus, reopened_at: at });
            }
        }
    }

    fn words_merged(&mut self, item: &str, word: &str, into: &str) {
        if let Some(state) = self.state_mut(item) {
            let merges = &mut state.moderation.merges;
            // Keep every variant pointing straight at its group: what pointed at `word` now points at `into`.
            for target in merges.values_mut().filter(|t| t.as_str() == word) {
                *target = into.to_string();
            }
            merges.remove(into);
            merges.insert(word.to_string(), into.to_string());
        }
    }

    fn set_agenda(&mut self, scales: &BTreeMap<String, Scale>, items: &[ItemSpec]) {
        let current = self.current.map(|i| self.spec.items[i].id.clone());
        let mut old: HashMap<String, ItemState> =
            self.spec.items.iter().map(|s| s.id.clone()).zip(std::mem::take(&mut self.items)).collect();
        self.items = items.iter().map(|spec| old.remove(&spec.id).unwrap_or_default()).collect();
        self.spec.scales = scales.clone();
        self.spec.items = items.to_vec();
        self.current = current.and_then(|id| self.item_index(&id));
    }

    fn state_mut(&mut self, id: &str) -> Option<&mut ItemState> {
        let index = self.item_index(id)?;
        self.items.get_mut(index)
    }

    fn round_mut(&mut self, id: &str, number: u32) -> Option<&mut Round> {
        self.state_mut(id)?.rounds.iter_mut().find(|r| r.number == number)
    }
}

/// The event that locks `consensus` on `item`, as it was first recorded.
fn locked(consensus: &Consensus, item: String) -> Event {
    let Consensus { level, note, dissent, locked_at, by } = consensus.clone();
    Event::ConsensusLocked { item, level, note, dissent, at: locked_at, by }
}
