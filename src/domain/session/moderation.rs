//! Deciding the facilitator's moderation of words (hide, show, merge, unmerge) and the profanity filter. Must not
//! depend on the flow, answers or the plan.

use super::{DomainError, Event, ItemState, Session};
use crate::domain::kinds::ItemKind;
use crate::domain::words::{self, WordError};

impl Session {
    /// Hides a word's whole group from everyone but the facilitator.
    pub(super) fn decide_hide_word(&self, item: String, word: &str) -> Result<Vec<Event>, DomainError> {
        let (state, word) = self.moderated(&item, word, "hide_word")?;
        let group = state.moderation.group(&word).to_string();
        let hidden = state.moderation.hidden.contains(&group);
        Ok(if hidden { vec![] } else { vec![Event::WordHidden { item, word: group }] })
    }

    /// Shows a word's group, even where the filter would hide it.
    pub(super) fn decide_show_word(&self, item: String, word: &str) -> Result<Vec<Event>, DomainError> {
        let (state, word) = self.moderated(&item, word, "show_word")?;
        let group = state.moderation.group(&word).to_string();
        let shown = state.moderation.shown.contains(&group) && !state.moderation.hidden.contains(&group);
        Ok(if shown { vec![] } else { vec![Event::WordShown { item, word: group }] })
    }

    /// Counts `word` in the group of `into`; a group cannot be merged into one of its own variants.
    pub(super) fn decide_merge_words(&self, item: String, word: &str, into: &str) -> Result<Vec<Event>, DomainError> {
        let (state, word) = self.moderated(&item, word, "merge_words")?;
        let into = state.moderation.group(&words::normalize(into)).to_string();
        if into.is_empty() {
            return Err(DomainError::InvalidWord(WordError::Empty));
        }
        if into == word {
            return Err(DomainError::MergeCycle);
        }
        if state.moderation.merges.get(&word) == Some(&into) {
            return Ok(vec![]);
        }
        Ok(vec![Event::WordsMerged { item, word, into }])
    }

    pub(super) fn decide_unmerge_word(&self, item: String, word: &str) -> Result<Vec<Event>, DomainError> {
        let (state, word) = self.moderated(&item, word, "unmerge_word")?;
        let merged = state.moderation.merges.contains_key(&word);
        Ok(if merged { vec![Event::WordUnmerged { item, word }] } else { vec![] })
    }

    /// Turns the profanity filter on or off; setting it to what it is stores nothing.
    pub(super) fn decide_filter(&self, enabled: bool) -> Vec<Event> {
        if enabled == self.profanity_filter {
            vec![]
        } else {
            vec![Event::FilterSet { enabled }]
        }
    }

    /// A words item and the normalised word a moderation command is about.
    fn moderated(&self, item: &str, word: &str, action: &'static str) -> Result<(&ItemState, String), DomainError> {
        let (spec, state) = self.find(item)?;
        if !matches!(spec.kind, ItemKind::Words(_)) {
            return Err(DomainError::WrongKind { action, kind: spec.kind.name() });
        }
        let word = words::normalize(word);
        if word.is_empty() {
            return Err(DomainError::InvalidWord(WordError::Empty));
        }
        Ok((state, word))
    }
}
