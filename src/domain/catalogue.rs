//! Indicator catalogues: the scale, the areas and their indicators, as data. Validation lives here; reading files does not.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Longest title or label, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest description, definition or option text, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 1000;

/// A text in Swedish and English. Swedish is the primary language.
/// Reads `{"sv": …, "en": …}` or a plain string (the same text in both). A language left out stays
/// empty, so that a view can tell a text written in one language only and mark it with that language
/// (WCAG 3.1.2); [`Text::pick`] and the frontend's `pick` fall back to the other language.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Text {
    pub sv: String,
    pub en: String,
}

impl Text {
    pub fn both(text: &str) -> Self {
        Text { sv: text.to_string(), en: text.to_string() }
    }

    /// The longer of the two, in characters: what limits are checked against.
    pub fn chars(&self) -> usize {
        self.sv.chars().count().max(self.en.chars().count())
    }

    pub fn is_blank(&self) -> bool {
        self.sv.trim().is_empty() && self.en.trim().is_empty()
    }

    /// The English text if `en`, else the Swedish; the other language when that one is empty.
    pub fn pick(&self, en: bool) -> &str {
        let (wanted, other) = if en { (&self.en, &self.sv) } else { (&self.sv, &self.en) };
        if wanted.is_empty() {
            other
        } else {
            wanted
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Plain(String),
            Pair {
                #[serde(default)]
                sv: String,
                #[serde(default)]
                en: String,
            },
        }
        let (sv, en) = match Raw::deserialize(d)? {
            Raw::Plain(text) => (text.clone(), text),
            Raw::Pair { sv, en } => (sv, en),
        };
        Ok(Text { sv: sv.trim().to_string(), en: en.trim().to_string() })
    }
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub level: u8,
    pub label: Text,
    #[serde(default)]
    pub definition: Text,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotRelevant {
    pub label: Text,
    #[serde(default)]
    pub definition: Text,
}

/// An ordinal status scale, levels 1..=n, with an optional "not relevant" answer counted apart.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub levels: Vec<Level>,
    #[serde(default)]
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

    /// 2 to 10 levels numbered 1, 2, 3, … in order, each with a label within the text limits.
    pub fn is_well_formed(&self) -> bool {
        let in_order = self.levels.iter().enumerate().all(|(i, l)| l.level as usize == i + 1);
        let texts_fit = self.levels.iter().all(|l| {
            !l.label.is_blank() && l.label.chars() <= MAX_TITLE_CHARS && l.definition.chars() <= MAX_DESCRIPTION_CHARS
        });
        (2..=10).contains(&self.levels.len()) && in_order && texts_fit
    }
}

/// A suggested action for an action plan, for groups whose locked level is at most `up_to`.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub up_to: u8,
    pub text: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: String,
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
    /// Ids this indicator had in earlier catalogue versions, so occasions can be compared across versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<String>,
    /// Notes for the facilitator, carried into the session's item (the presenter view shows them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
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
    #[error("scale: it must have 2 to 10 levels numbered 1, 2, 3, … in order, each with a label")]
    BadScale,
    #[error("the id {0:?} is used more than once")]
    DuplicateId(String),
    #[error("an id must be 1 to 32 letters, digits, '-' or '_'; {0:?} is not")]
    BadId(String),
    #[error("area {0:?} has no indicators")]
    EmptyArea(String),
    #[error("version: it must be 1 to 32 characters")]
    BadVersion,
    #[error("{0}: a title must be 1 to {MAX_TITLE_CHARS} characters, a description at most {MAX_DESCRIPTION_CHARS}")]
    BadText(String),
    #[error("a catalogue has at most 200 indicators")]
    TooMany,
}

impl Catalogue {
    /// Checks what the rest of the domain relies on: a well-formed scale, unique simple ids, texts within limits.
    pub fn validate(&self) -> Result<(), CatalogueError> {
        check_id(&self.id)?;
        if self.version.trim().is_empty() || self.version.chars().count() > 32 {
            return Err(CatalogueError::BadVersion);
        }
        if self.title.is_blank() || self.title.chars() > MAX_TITLE_CHARS {
            return Err(CatalogueError::BadText("title".into()));
        }
        if !self.scale.is_well_formed() {
            return Err(CatalogueError::BadScale);
        }
        if self.indicator_count() > 200 {
            return Err(CatalogueError::TooMany);
        }
        let mut seen = HashSet::new();
        for area in &self.areas {
            check_id(&area.id)?;
            if area.name.is_blank() || area.name.chars() > MAX_TITLE_CHARS {
                return Err(CatalogueError::BadText(format!("area {}", area.id)));
            }
            if area.indicators.is_empty() {
                return Err(CatalogueError::EmptyArea(area.id.clone()));
            }
            for indicator in &area.indicators {
                check_id(&indicator.id)?;
                if !seen.insert(indicator.id.as_str()) {
                    return Err(CatalogueError::DuplicateId(indicator.id.clone()));
                }
                let suggestions_fit = indicator.suggestions.len() <= 20
                    && indicator
                        .suggestions
                        .iter()
                        .all(|s| !s.text.is_blank() && s.text.chars() <= MAX_DESCRIPTION_CHARS);
                let title_fits =
                    !indicator.title.is_blank() && indicator.title.chars() <= MAX_TITLE_CHARS && suggestions_fit;
                let notes_fit =
                    indicator.notes.as_ref().is_none_or(|n| n.chars().count() <= super::item::MAX_NOTES_CHARS);
                if !title_fits || !notes_fit || indicator.description.chars() > MAX_DESCRIPTION_CHARS {
                    return Err(CatalogueError::BadText(format!("indicator {}", indicator.id)));
                }
            }
        }
        Ok(())
    }

    pub fn indicator_count(&self) -> usize {
        self.areas.iter().map(|a| a.indicators.len()).sum()
    }
}

/// Ids are short and plain so they are safe in URLs, files and CSV exports.
pub fn check_id(id: &str) -> Result<(), CatalogueError> {
    let ok = !id.is_empty() && id.len() <= 32 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(CatalogueError::BadId(id.to_string()))
    }
}

/// The catalogues that ship with Samsyn, as JSON text. Parsing is left to the caller so the domain stays free of a JSON library.
pub const BUILT_IN: &[(&str, &str)] = &[("lika", include_str!("catalogues/lika.json"))];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_reads_from_a_pair_a_plain_string_or_one_language() {
        let read = |json: &str| serde_json::from_str::<Text>(json).unwrap();
        assert_eq!(read(r#""Hot""#), Text::both("Hot"));
        assert_eq!(
            read(r#"{"sv": " Möjlighet ", "en": "Opportunity"}"#),
            Text { sv: "Möjlighet".into(), en: "Opportunity".into() }
        );
        // One language stays one language (a view marks it as such); picking falls back to it.
        let swedish = read(r#"{"sv": "Framtid", "en": " "}"#);
        assert_eq!(swedish, Text { sv: "Framtid".into(), en: String::new() });
        assert_eq!((swedish.pick(false), swedish.pick(true)), ("Framtid", "Framtid"));
        let english = read(r#"{"en": "Future"}"#);
        assert_eq!(english, Text { sv: String::new(), en: "Future".into() });
        assert_eq!((english.pick(false), english.pick(true)), ("Future", "Future"));
    }

    #[test]
    fn the_built_in_catalogue_is_valid() {
        let catalogue: Catalogue = serde_json::from_str(BUILT_IN[0].1).unwrap();
        assert_eq!(catalogue.validate(), Ok(()));
        assert_eq!(catalogue.indicator_count(), 32);
    }

    #[test]
    fn a_catalogue_with_a_gap_in_its_scale_or_a_repeated_id_is_refused() {
        let mut catalogue: Catalogue = serde_json::from_str(BUILT_IN[0].1).unwrap();
        catalogue.scale.levels[2].level = 7;
        assert_eq!(catalogue.validate(), Err(CatalogueError::BadScale));
        let mut catalogue: Catalogue = serde_json::from_str(BUILT_IN[0].1).unwrap();
        catalogue.areas[1].indicators[0].id = "L1".into();
        assert_eq!(catalogue.validate(), Err(CatalogueError::DuplicateId("L1".into())));
    }
}
