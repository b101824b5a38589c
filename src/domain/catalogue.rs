//! Indicator catalogues: the scale, the areas and their indicators, as data. Validation lives here; reading files does not.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A text in Swedish and English. Swedish is the primary language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub sv: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub level: u8,
    pub label: Text,
    pub definition: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotRelevant {
    pub label: Text,
    pub definition: Text,
}

/// An ordinal status scale, levels 1..=n, with an optional "not relevant" answer counted apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub levels: Vec<Level>,
    pub not_relevant: Option<NotRelevant>,
}

impl Scale {
    /// The highest level; the lowest is always 1.
    pub fn top(&self) -> u8 {
        self.levels.len() as u8
    }

    pub fn contains(&self, level: u8) -> bool {
        (1..=self.top()).contains(&level)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: String,
    pub title: Text,
    pub description: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub id: String,
    pub name: Text,
    pub indicators: Vec<Indicator>,
}

/// A versioned set of indicators grouped in areas, all rated on one scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub id: String,
    /// Lets later comparisons map indicators across catalogue versions.
    pub version: String,
    pub title: Text,
    pub scale: Scale,
    pub areas: Vec<Area>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("the scale must have 2 to 10 levels numbered 1, 2, 3, … in order")]
    BadScale,
    #[error("the id {0:?} is used more than once")]
    DuplicateId(String),
    #[error("an id must be 1 to 32 letters, digits, '-' or '_'; {0:?} is not")]
    BadId(String),
    #[error("area {0:?} has no indicators")]
    EmptyArea(String),
}

impl Catalogue {
    /// Checks what the rest of the domain relies on: a well-formed scale and unique, simple ids.
    pub fn validate(&self) -> Result<(), CatalogueError> {
        let levels_in_order = self
            .scale
            .levels
            .iter()
            .enumerate()
            .all(|(i, l)| l.level as usize == i + 1);
        if !(2..=10).contains(&self.scale.levels.len()) || !levels_in_order {
            return Err(CatalogueError::BadScale);
        }
        let mut seen = HashSet::new();
        for area in &self.areas {
            check_id(&area.id)?;
            if area.indicators.is_empty() {
                return Err(CatalogueError::EmptyArea(area.id.clone()));
            }
            for indicator in &area.indicators {
                check_id(&indicator.id)?;
                if !seen.insert(indicator.id.as_str()) {
                    return Err(CatalogueError::DuplicateId(indicator.id.clone()));
                }
            }
        }
        Ok(())
    }

    pub fn indicator_count(&self) -> usize {
        self.areas.iter().map(|a| a.indicators.len()).sum()
    }
}

fn check_id(id: &str) -> Result<(), CatalogueError> {
    let ok = !id.is_empty()
        && id.len() <= 32
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(CatalogueError::BadId(id.to_string()))
    }
}

/// The catalogues that ship with Samsyn, as JSON text. Parsing is left to the caller so the domain stays free of a JSON library.
pub const BUILT_IN: &[(&str, &str)] = &[("lika", include_str!("catalogues/lika.json"))];
