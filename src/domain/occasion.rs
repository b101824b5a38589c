//! Reading an exported occasion back in: the facilitator's view of a finished session, turned into the
//! events that rebuild its outcome (rounds as counts, locks, moderation, plan, occasion) — never ballots,
//! because an export never has them.

use super::item::Agenda;
use super::kinds::words::ExportedWords;
use super::kinds::ExportedTally;
use super::session::{Action, AreaSpec, CatalogueRef, Event, Occasion};
use serde::Deserialize;

/// The `session` part of an `export.json`, as far as an import needs it.
#[derive(Debug, Deserialize)]
pub struct ExportedSession {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    #[serde(default)]
    pub areas: Vec<AreaSpec>,
    #[serde(default)]
    pub current: Option<String>,
    #[serde(default = "yes")]
    pub profanity_filter: bool,
    #[serde(default)]
    pub summary_shared: bool,
    #[serde(default)]
    pub occasion: Option<Occasion>,
    #[serde(default)]
    pub actions: Option<Vec<Action>>,
    pub items: Vec<ExportedItem>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
pub struct ExportedItem {
    pub id: String,
    #[serde(default)]
    pub rounds: Vec<ExportedRound>,
    #[serde(default)]
    pub consensus: Option<ExportedLock>,
    #[serde(default)]
    pub history: Vec<ExportedLock>,
}

#[derive(Debug, Deserialize)]
pub struct ExportedRound {
    pub number: u32,
    pub open: bool,
    pub revealed: bool,
    pub voted: u32,
    pub tally: Option<ExportedTally>,
}

#[derive(Debug, Deserialize)]
pub struct ExportedLock {
    pub level: u8,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub dissent: Option<String>,
    pub locked_at: i64,
    #[serde(default)]
    pub reopened_at: Option<i64>,
}

impl ExportedSession {
    /// The events that rebuild this occasion on `agenda` (the export's item set). What does not fit the
    /// agenda — an unknown item, a tally of the wrong size, a level off the scale — is left out, so a
    /// tampered file cannot put the session in a state its rules forbid.
    pub fn events(&self, agenda: &Agenda) -> Vec<Event> {
        let find = |id: &str| agenda.items.iter().find(|i| i.id == id);
        let known_items: Vec<String> = agenda.items.iter().map(|i| i.id.clone()).collect();
        let mut events = Vec::new();
        for item in &self.items {
            let Some(spec) = find(&item.id) else { continue };
            let slots = spec.kind.slots(&agenda.scales);
            let scale = spec.kind.scale_name().and_then(|name| agenda.scales.get(name));
            let level_fits = |lock: &&ExportedLock| scale.is_some_and(|s| s.contains(lock.level));
            let id = || item.id.clone();
            for past in item.history.iter().filter(level_fits) {
                events.push(lock(id(), past));
                events.push(Event::ConsensusReopened { item: id(), at: past.reopened_at.unwrap_or(past.locked_at) });
            }
            let mut moderation = Vec::new();
            for round in &item.rounds {
                events.push(Event::RoundOpened { item: id(), round: round.number });
                if let Some(ExportedTally::Words(cloud)) = &round.tally {
                    moderation.extend(cloud_moderation(&item.id, cloud));
                }
                let tally = round.tally.as_ref().map(ExportedTally::to_tally);
                if let Some(tally) = tally.filter(|t| t.fits(slots)) {
                    let (voters, spellings) = (round.voted, Default::default());
                    events.push(Event::RoundTallied { item: id(), round: round.number, tally, voters, spellings });
                }
                if !round.open {
                    events.push(Event::RoundClosed { item: id(), round: round.number });
                }
                if round.revealed {
                    events.push(Event::RoundRevealed { item: id(), round: round.number });
                }
            }
            events.extend(moderation);
            if let Some(consensus) = item.consensus.as_ref().filter(level_fits) {
                events.push(lock(id(), consensus));
            }
        }
        if !self.profanity_filter {
            events.push(Event::FilterSet { enabled: false });
        }
        events.push(Event::CurrentSet { item: self.current.clone().filter(|c| known_items.contains(c)) });
        if self.summary_shared {
            events.push(Event::SummaryShared { shared: true });
        }
        if let Some(occasion) = &self.occasion {
            events.push(Event::OccasionRecorded { occasion: occasion.clone() });
        }
        for action in self.actions.iter().flatten().filter(|a| known_items.contains(&a.item)) {
            events.push(Event::ActionSet { action: action.clone() });
        }
        events
    }
}

/// The moderation an exported cloud shows, as the events that redo it: each group's variants merged into it, and
/// the group hidden or shown where that differs from what the filter would do.
fn cloud_moderation(item: &str, cloud: &ExportedWords) -> Vec<Event> {
    let mut events = Vec::new();
    for word in &cloud.words {
        let group = || word.text.clone();
        events.extend(word.variants.iter().map(|v| Event::WordsMerged {
            item: item.to_string(),
            word: v.clone(),
            into: group(),
        }));
        if word.hidden && !word.filtered {
            events.push(Event::WordHidden { item: item.to_string(), word: group() });
        }
        if word.filtered && !word.hidden {
            events.push(Event::WordShown { item: item.to_string(), word: group() });
        }
    }
    events
}

fn lock(item: String, lock: &ExportedLock) -> Event {
    Event::ConsensusLocked {
        item,
        level: lock.level,
        note: lock.note.clone(),
        dissent: lock.dissent.clone(),
        at: lock.locked_at,
        by: None,
    }
}
