//! Reading an exported occasion back in: the facilitator's view of a finished session, turned into the
//! events that rebuild its outcome (rounds as counts, locks, moderation, plan, occasion) — never ballots,
//! because an export never has them.

use super::answer::RoundTally;
use super::item::Agenda;
use super::session::{Action, AreaSpec, CatalogueRef, Event, Occasion};
use super::spread::Tally;
use serde::Deserialize;
use std::collections::BTreeMap;

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

/// The tally shapes of docs/protocol.md, told apart by their fields.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ExportedTally {
    Scale { counts: Vec<u32>, not_relevant: u32 },
    Points { totals: Vec<u64>, supporters: Vec<u32> },
    Choice { counts: Vec<u32> },
    Words { words: Vec<ExportedWord> },
}

#[derive(Debug, Deserialize)]
pub struct ExportedWord {
    pub text: String,
    pub count: u32,
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub filtered: bool,
    #[serde(default)]
    pub variants: Vec<String>,
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
                let tally = match &round.tally {
                    Some(ExportedTally::Scale { counts, not_relevant }) => {
                        Some(RoundTally::Scale(Tally { counts: counts.clone(), not_relevant: *not_relevant }))
                    }
                    Some(ExportedTally::Choice { counts }) => Some(RoundTally::Choice(counts.clone())),
                    Some(ExportedTally::Points { totals, supporters }) => {
                        Some(RoundTally::Points { totals: totals.clone(), supporters: supporters.clone() })
                    }
                    Some(ExportedTally::Words { words }) => {
                        // Variants' own counts are not in an export: each group keeps its total under its own word.
                        let counts: BTreeMap<String, u32> = words.iter().map(|w| (w.text.clone(), w.count)).collect();
                        for word in words {
                            let group = || word.text.clone();
                            moderation.extend(word.variants.iter().map(|v| Event::WordsMerged {
                                item: id(),
                                word: v.clone(),
                                into: group(),
                            }));
                            if word.hidden && !word.filtered {
                                moderation.push(Event::WordHidden { item: id(), word: group() });
                            }
                            if word.filtered && !word.hidden {
                                moderation.push(Event::WordShown { item: id(), word: group() });
                            }
                        }
                        Some(RoundTally::Words(counts))
                    }
                    None => None,
                };
                let fits = |t: &RoundTally| match t {
                    RoundTally::Scale(t) => t.counts.len() == slots,
                    RoundTally::Choice(counts) => counts.len() == slots,
                    RoundTally::Points { totals, supporters } => totals.len() == slots && supporters.len() == slots,
                    RoundTally::Words(_) => slots == 0,
                };
                if let Some(tally) = tally.filter(fits) {
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

fn lock(item: String, lock: &ExportedLock) -> Event {
    Event::ConsensusLocked {
        item,
        level: lock.level,
        note: lock.note.clone(),
        dissent: lock.dissent.clone(),
        at: lock.locked_at,
    }
}
