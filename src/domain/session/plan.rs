//! Deciding what a session yields beyond its items: the agenda, the action plan, the finished occasion, the shared
//! summary and a prioritisation of gaps. Must not depend on the flow, answers or moderation.

use super::spec::{checked_date, short_text};
use super::values::{Action, ActionStatus, Occasion, MAX_ACTIONS};
use super::{DomainError, Event, Session};
use crate::domain::catalogue::Text;
use crate::domain::item::{Agenda, ItemSpec, Results};
use crate::domain::kinds::points::{PointsKind, BUDGET};
use crate::domain::kinds::{ItemKind, OPTIONS};

impl Session {
    /// A new agenda may change texts and settings, add and reorder items, but an item that already has
    /// rounds keeps its kind and its number of options or levels, and stays.
    pub(super) fn decide_agenda(&self, agenda: Agenda) -> Result<Vec<Event>, DomainError> {
        for (spec, state) in self.spec.items.iter().zip(&self.items) {
            if !state.in_use() {
                continue;
            }
            let kept = agenda.items.iter().find(|new| new.id == spec.id).is_some_and(|new| {
                new.kind.name() == spec.kind.name()
                    && new.kind.slots(&agenda.scales) == spec.kind.slots(&self.spec.scales)
            });
            if !kept {
                return Err(DomainError::ItemInUse(spec.id.clone()));
            }
        }
        Ok(vec![Event::AgendaSet { scales: agenda.scales, items: agenda.items }])
    }

    /// Shows or hides the summary and plan from participants and screens; setting it to what it is stores nothing.
    pub(super) fn decide_share_summary(&self, shared: bool) -> Vec<Event> {
        if shared == self.summary_shared {
            vec![]
        } else {
            vec![Event::SummaryShared { shared }]
        }
    }

    /// Records what makes this assessment an occasion later ones can be compared with.
    pub(super) fn decide_finish(
        organisation: String,
        field: Option<String>,
        date: String,
        now: i64,
    ) -> Result<Vec<Event>, DomainError> {
        let organisation = short_text("organisation", &organisation, 1, 200)?;
        let field = field.map(|f| short_text("field", &f, 0, 200)).transpose()?.filter(|f| !f.is_empty());
        let date = checked_date("date", &date)?;
        Ok(vec![Event::OccasionRecorded { occasion: Occasion { organisation, field, date, finished_at: now } }])
    }

    /// Adds an action to a scale item (`id` is `None`) or replaces the action `id`.
    pub(super) fn decide_set_action(
        &self,
        id: Option<String>,
        item: String,
        text: String,
        owner: String,
        due: Option<String>,
        status: ActionStatus,
    ) -> Result<Vec<Event>, DomainError> {
        let (spec, _) = self.find(&item)?;
        if self.scale_of(spec).is_none() {
            return Err(DomainError::WrongKind { action: "an action", kind: spec.kind.name() });
        }
        let id = match id {
            Some(id) => {
                if !self.actions.iter().any(|a| a.id == id) {
                    return Err(DomainError::UnknownAction(id));
                }
                id
            }
            None if self.actions.len() >= MAX_ACTIONS => {
                return Err(DomainError::InvalidField(format!("a plan has at most {MAX_ACTIONS} actions")))
            }
            None => self.next_action_id(),
        };
        let text = short_text("text", &text, 1, 1000)?;
        let owner = short_text("owner", &owner, 0, 200)?;
        let due = due.filter(|d| !d.trim().is_empty()).map(|d| checked_date("due", &d)).transpose()?;
        Ok(vec![Event::ActionSet { action: Action { id, item, text, owner, due, status } }])
    }

    pub(super) fn decide_remove_action(&self, id: String) -> Result<Vec<Event>, DomainError> {
        if !self.actions.iter().any(|a| a.id == id) {
            return Err(DomainError::UnknownAction(id));
        }
        Ok(vec![Event::ActionRemoved { id }])
    }

    fn next_action_id(&self) -> String {
        let highest =
            self.actions.iter().filter_map(|a| a.id.strip_prefix('a')?.parse::<u32>().ok()).max().unwrap_or(0);
        format!("a{}", highest + 1)
    }

    /// A points item over the largest gaps: locked indicators at or below `max_level`, lowest first, at most 12.
    pub(super) fn decide_prioritisation(&self, max_level: u8, budget: u32) -> Result<Vec<Event>, DomainError> {
        if !BUDGET.contains(&budget) {
            return Err(DomainError::InvalidField("budget: must be 1 to 1000".into()));
        }
        let mut gaps: Vec<(u8, usize)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(index, state)| state.consensus.as_ref().map(|c| (c.level, index)))
            .filter(|(level, _)| *level <= max_level)
            .collect();
        if gaps.len() < 2 {
            return Err(DomainError::TooFewGaps(gaps.len()));
        }
        gaps.sort();
        gaps.truncate(*OPTIONS.end());
        gaps.sort_by_key(|(_, index)| *index);
        let chosen: Vec<&ItemSpec> = gaps.iter().map(|(_, index)| &self.spec.items[*index]).collect();
        let id = (1..).map(|n| format!("prio{n}")).find(|id| self.item_index(id).is_none()).expect("unbounded");
        let mut agenda = self.agenda();
        agenda.items.push(ItemSpec {
            id: id.clone(),
            area: None,
            title: Text {
                sv: "Vilka brister ska vi prioritera?".into(),
                en: "Which gaps should we prioritise?".into(),
            },
            description: Text {
                sv: format!("Fördela {budget} poäng på det som är viktigast att ta itu med."),
                en: format!("Spread {budget} points over what matters most to address."),
            },
            kind: ItemKind::Points(PointsKind {
                options: chosen.iter().map(|item| item.title.clone()).collect(),
                budget,
                targets: chosen.iter().map(|item| item.id.clone()).collect(),
            }),
            results: Results::AfterReveal,
            suggestions: vec![],
            replaces: vec![],
            notes: None,
        });
        Ok(vec![
            Event::AgendaSet { scales: agenda.scales, items: agenda.items },
            Event::RoundOpened { item: id.clone(), round: 1 },
            Event::CurrentSet { item: Some(id) },
        ])
    }
}
