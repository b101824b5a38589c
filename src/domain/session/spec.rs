//! What a session starts with (its spec), and the checks on the short texts and dates that commands carry. Plain
//! data and validation: must not depend on the session, commands or events.

use super::error::DomainError;
use super::values::MAX_TITLE_CHARS;
use crate::domain::catalogue::{Catalogue, Scale, Text};
use crate::domain::item::{Agenda, ItemSpec, Results};
use crate::domain::kinds::scale::ScaleKind;
use crate::domain::kinds::ItemKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaSpec {
    pub id: String,
    pub name: Text,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueRef {
    pub id: String,
    pub version: String,
}

/// What a session starts with: its title, the catalogue it came from, and its first agenda.
/// Stored once when the session is created; later agenda edits are events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSpec {
    pub title: String,
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    #[serde(default)]
    pub areas: Vec<AreaSpec>,
    #[serde(default)]
    pub scales: BTreeMap<String, Scale>,
    #[serde(default)]
    pub items: Vec<ItemSpec>,
}

/// A trimmed one-line text of `min..=max` characters, or an error naming the field.
pub(super) fn short_text(field: &str, text: &str, min: usize, max: usize) -> Result<String, DomainError> {
    let text = text.trim();
    let length = text.chars().count();
    if length < min || length > max || text.chars().any(char::is_control) {
        let message = format!("{field}: must be {min} to {max} characters on one line");
        return Err(DomainError::InvalidField(message));
    }
    Ok(text.to_string())
}

/// A calendar date written `YYYY-MM-DD`.
pub(super) fn checked_date(field: &str, date: &str) -> Result<String, DomainError> {
    let date = date.trim();
    let parts: Vec<&str> = date.split('-').collect();
    let number = |s: &str, digits: usize| {
        (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
    };
    let valid = match parts.as_slice() {
        [y, m, d] => match (number(y, 4), number(m, 2), number(d, 2)) {
            (Some(_), Some(month), Some(day)) => (1..=12).contains(&month) && (1..=31).contains(&day),
            _ => false,
        },
        _ => false,
    };
    if !valid {
        return Err(DomainError::InvalidField(format!("{field}: a date is written YYYY-MM-DD")));
    }
    Ok(date.to_string())
}

fn checked_title(title: &str, fallback: &str) -> Result<String, DomainError> {
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(DomainError::TextTooLong);
    }
    Ok(if title.trim().is_empty() { fallback.to_string() } else { title.trim().to_string() })
}

impl SessionSpec {
    /// A workshop over every indicator of a catalogue, in catalogue order; results shown after each reveal.
    pub fn workshop(catalogue: &Catalogue, title: &str) -> Result<Self, DomainError> {
        let scale = catalogue.id.clone();
        Ok(SessionSpec {
            title: checked_title(title, catalogue.title.pick(false))?,
            catalogue: Some(CatalogueRef { id: catalogue.id.clone(), version: catalogue.version.clone() }),
            areas: catalogue.areas.iter().map(|a| AreaSpec { id: a.id.clone(), name: a.name.clone() }).collect(),
            scales: BTreeMap::from([(scale.clone(), catalogue.scale.clone())]),
            items: catalogue
                .areas
                .iter()
                .flat_map(|area| {
                    let scale = scale.clone();
                    area.indicators.iter().map(move |i| ItemSpec {
                        id: i.id.clone(),
                        area: Some(area.id.clone()),
                        title: i.title.clone(),
                        description: i.description.clone(),
                        kind: ItemKind::Scale(ScaleKind { scale: scale.clone() }),
                        results: Results::AfterReveal,
                        suggestions: i.suggestions.clone(),
                        replaces: i.replaces.clone(),
                        notes: i.notes.clone(),
                    })
                })
                .collect(),
        })
    }

    /// A session built from an agenda (a seminar, or any imported item set).
    pub fn from_agenda(title: &str, agenda: Agenda) -> Result<Self, DomainError> {
        Ok(SessionSpec {
            title: checked_title(title, "Samsyn")?,
            catalogue: None,
            areas: vec![],
            scales: agenda.scales,
            items: agenda.items,
        })
    }
}
