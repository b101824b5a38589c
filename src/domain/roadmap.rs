//! The living plan between occasions: an organisation's actions, each perhaps tied to an indicator,
//! with an owner, a due date, a quarter of the roadmap, a status and a short progress note, and the
//! history of how it moved. Actions come from a workshop's plan or are added later; two years on, the
//! next occasion shows them beside their indicators. Pure: validation and updates, nothing stored.

use super::session::{Action as SessionAction, ActionStatus};
use serde::{Deserialize, Serialize};

/// Longest action text and progress note, in characters.
pub const MAX_TEXT: usize = 500;
pub const MAX_NOTE: usize = 1000;
const MAX_OWNER: usize = 200;

/// Where an action stands (the LIKA practice's words: planned, started, done, dropped).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    #[default]
    Planned,
    Started,
    Done,
    Dropped,
}

impl From<ActionStatus> for PlanStatus {
    fn from(status: ActionStatus) -> Self {
        match status {
            ActionStatus::Todo => PlanStatus::Planned,
            ActionStatus::Doing => PlanStatus::Started,
            ActionStatus::Done => PlanStatus::Done,
        }
    }
}

/// One step in an action's history: when, who (a member's name, shown only inside the organisation),
/// and what it became.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStep {
    pub at: i64,
    pub by: String,
    pub status: PlanStatus,
    pub note: String,
}

/// An action of an organisation's plan.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanAction {
    pub id: String,
    pub text: String,
    /// The indicator it is for, by id in its catalogue (followed across versions through `replaces`).
    pub indicator: Option<String>,
    pub catalogue: Option<String>,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    /// The roadmap's quarter, `YYYY-Qn`.
    pub quarter: Option<String>,
    pub status: PlanStatus,
    /// The latest progress note.
    pub note: String,
    /// The workshop it came from (join code), if any.
    pub session: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Oldest first; the first step is its creation.
    pub history: Vec<PlanStep>,
}

/// What a member sends to add an action or change one; a field left out stays as it is.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanChange {
    pub text: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub indicator: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub catalogue: Option<Option<String>>,
    pub owner: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub due: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub quarter: Option<Option<String>>,
    pub status: Option<PlanStatus>,
    pub note: Option<String>,
}

/// Tells a field sent as `null` (`Some(None)`: clear it) from one left out (`None`: keep it).
fn present<'de, D: serde::Deserializer<'de>>(reader: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(reader).map(Some)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct PlanError {
    pub field: &'static str,
    pub message: String,
}

fn error(field: &'static str, message: impl Into<String>) -> PlanError {
    PlanError { field, message: message.into() }
}

fn bounded(value: &str, field: &'static str, most: usize) -> Result<String, PlanError> {
    let value = value.trim();
    if value.chars().count() > most {
        return Err(error(field, format!("at most {most} characters")));
    }
    Ok(value.to_string())
}

/// A calendar date `YYYY-MM-DD` with a month 1–12 and a day 1–31.
fn date(value: &str) -> Result<String, PlanError> {
    let parts: Vec<&str> = value.trim().split('-').collect();
    let ok = matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
        && [y, m, d].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && (1..=12).contains(&m.parse::<u8>().unwrap_or(0)) && (1..=31).contains(&d.parse::<u8>().unwrap_or(0)));
    if ok {
        Ok(value.trim().to_string())
    } else {
        Err(error("due", "a date such as 2027-03-31"))
    }
}

/// A quarter `YYYY-Qn`, n 1–4.
fn quarter(value: &str) -> Result<String, PlanError> {
    let value = value.trim().to_ascii_uppercase();
    let ok = value.len() == 7
        && value[..4].bytes().all(|b| b.is_ascii_digit())
        && &value[4..6] == "-Q"
        && matches!(&value[6..], "1" | "2" | "3" | "4");
    if ok {
        Ok(value)
    } else {
        Err(error("quarter", "a quarter such as 2027-Q2"))
    }
}

impl PlanAction {
    /// A new action from a member's fields; `text` is required.
    pub fn new(id: String, change: PlanChange, by: &str, now: i64) -> Result<PlanAction, PlanError> {
        let text = change.text.clone().unwrap_or_default();
        if text.trim().is_empty() {
            return Err(error("text", "an action needs a text"));
        }
        let mut action = PlanAction {
            id,
            text: String::new(),
            indicator: None,
            catalogue: None,
            owner: String::new(),
            due: None,
            quarter: None,
            status: PlanStatus::Planned,
            note: String::new(),
            session: None,
            created_at: now,
            updated_at: now,
            history: Vec::new(),
        };
        action.apply(change, by, now)?;
        Ok(action)
    }

    /// An action of a finished workshop's plan, on the organisation's plan, taken over by `by`.
    pub fn from_workshop(
        action: &SessionAction,
        session: &str,
        catalogue: Option<&str>,
        by: &str,
        now: i64,
    ) -> PlanAction {
        let status = PlanStatus::from(action.status);
        PlanAction {
            id: format!("{session}-{}", action.id),
            text: action.text.clone(),
            indicator: Some(action.item.clone()),
            catalogue: catalogue.map(str::to_string),
            owner: action.owner.clone(),
            due: action.due.clone(),
            quarter: None,
            status,
            note: String::new(),
            session: Some(session.to_string()),
            created_at: now,
            updated_at: now,
            history: vec![PlanStep { at: now, by: by.to_string(), status, note: String::new() }],
        }
    }

    /// Applies a change, all or nothing; a new status or note adds a step to the history.
    pub fn apply(&mut self, change: PlanChange, by: &str, now: i64) -> Result<(), PlanError> {
        let mut next = self.clone();
        if let Some(text) = &change.text {
            next.text = bounded(text, "text", MAX_TEXT)?;
            if next.text.is_empty() {
                return Err(error("text", "an action needs a text"));
            }
        }
        if let Some(indicator) = change.indicator {
            next.indicator = indicator.map(|i| i.trim().to_string()).filter(|i| !i.is_empty());
        }
        if let Some(catalogue) = change.catalogue {
            next.catalogue = catalogue.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
        }
        if let Some(owner) = &change.owner {
            next.owner = bounded(owner, "owner", MAX_OWNER)?;
        }
        if let Some(due) = change.due {
            next.due = due.filter(|d| !d.trim().is_empty()).map(|d| date(&d)).transpose()?;
        }
        if let Some(q) = change.quarter {
            next.quarter = q.filter(|q| !q.trim().is_empty()).map(|q| quarter(&q)).transpose()?;
        }
        if let Some(status) = change.status {
            next.status = status;
        }
        if let Some(note) = &change.note {
            next.note = bounded(note, "note", MAX_NOTE)?;
        }
        let moved = next.status != self.status || next.note != self.note || self.history.is_empty();
        if moved {
            next.history.push(PlanStep { at: now, by: by.to_string(), status: next.status, note: next.note.clone() });
        }
        next.updated_at = now;
        *self = next;
        Ok(())
    }

    /// Still to be done: planned or started.
    pub fn is_open(&self) -> bool {
        matches!(self.status, PlanStatus::Planned | PlanStatus::Started)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(json: &str) -> PlanChange {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_action_keeps_the_history_of_its_status_and_notes() {
        let mut action =
            PlanAction::new("a1".into(), change(r#"{"text":"Ta fram en strategi","indicator":"L1"}"#), "Anna", 10)
                .unwrap();
        assert_eq!((action.status, action.history.len()), (PlanStatus::Planned, 1));
        action.apply(change(r#"{"status":"started","note":"Utkast klart"}"#), "Bo", 20).unwrap();
        action.apply(change(r#"{"owner":"Cecilia"}"#), "Bo", 25).unwrap();
        action.apply(change(r#"{"status":"done","note":"Antagen i nämnden"}"#), "Anna", 30).unwrap();
        let steps: Vec<_> = action.history.iter().map(|s| (s.by.as_str(), s.status, s.note.as_str())).collect();
        assert_eq!(
            steps,
            [
                ("Anna", PlanStatus::Planned, ""),
                ("Bo", PlanStatus::Started, "Utkast klart"),
                ("Anna", PlanStatus::Done, "Antagen i nämnden")
            ],
            "a new owner alone is no step"
        );
        assert_eq!((action.owner.as_str(), action.updated_at), ("Cecilia", 30));
    }

    #[test]
    fn a_bad_field_is_named_and_changes_nothing() {
        let mut action = PlanAction::new("a1".into(), change(r#"{"text":"Utbildning"}"#), "Anna", 10).unwrap();
        let before = action.clone();
        for (bad, field) in [
            (r#"{"due":"2027-13-01","note":"x"}"#, "due"),
            (r#"{"quarter":"2027-Q5"}"#, "quarter"),
            (r#"{"text":"  "}"#, "text"),
        ] {
            assert_eq!(action.apply(change(bad), "Bo", 20).unwrap_err().field, field);
            assert_eq!(action, before, "{bad}");
        }
        assert!(PlanAction::new("a2".into(), change("{}"), "Anna", 10).is_err(), "no text");
        action.apply(change(r#"{"due":"2027-03-31","quarter":"2027-q1"}"#), "Bo", 20).unwrap();
        assert_eq!((action.due.as_deref(), action.quarter.as_deref()), (Some("2027-03-31"), Some("2027-Q1")));
        action.apply(change(r#"{"due":null}"#), "Bo", 21).unwrap();
        assert_eq!(action.due, None, "null clears a field");
    }
}
