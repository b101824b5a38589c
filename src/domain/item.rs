//! Items and item sets: the import and export format of a session's agenda, with the rules an imported set must
//! keep. What differs by kind (scale, choice, words, points) is in `domain::kinds`.

use super::catalogue::{check_id, Scale, Suggestion, Text, MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS};
use super::kinds::{ItemKind, KindInput, KindOutput};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Most items in one session.
pub const MAX_ITEMS: usize = 200;

/// Most characters of an item's notes for the facilitator.
pub const MAX_NOTES_CHARS: usize = 2000;

/// Checks facilitator notes: at most [`MAX_NOTES_CHARS`]; blank notes are none.
pub fn checked_notes(notes: Option<String>) -> Result<Option<String>, String> {
    match notes {
        Some(n) if n.chars().count() > MAX_NOTES_CHARS => Err(format!("at most {MAX_NOTES_CHARS} characters")),
        Some(n) if n.trim().is_empty() => Ok(None),
        notes => Ok(notes),
    }
}

/// When participants and screens see an item's results; each kind has its default (`kinds`).
pub use super::kinds::Results;

/// One item of a session's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSpec {
    pub id: String,
    /// The catalogue area of an indicator; `None` for items made in the builder.
    #[serde(default)]
    pub area: Option<String>,
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    #[serde(flatten)]
    pub kind: ItemKind,
    pub results: Results,
    /// Suggested actions from the catalogue, for the action plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
    /// Ids this item had in earlier catalogue versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<String>,
    /// Notes for the facilitator (the presenter view); never shown to phones or screens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// An item as written in an item-set file: a scale is given inline, most settings may be left out.
#[derive(Debug, Clone, Deserialize)]
pub struct ItemInput {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub area: Option<String>,
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    #[serde(flatten)]
    pub kind: KindInput,
    #[serde(default)]
    pub results: Option<Results>,
    #[serde(default)]
    pub suggestions: Vec<Suggestion>,
    #[serde(default)]
    pub replaces: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// The item-set file: what "export items" writes and "import items" reads.
#[derive(Debug, Clone, Deserialize)]
pub struct ItemSetInput {
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    pub title: Option<String>,
    pub items: Vec<ItemInput>,
}

pub const ITEM_SET_FORMAT: &str = "samsyn-items";

/// A rule an item set breaks, and where: `items[2].options`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ItemsError {
    pub path: String,
    pub message: String,
}

fn fail(path: String, message: impl Into<String>) -> ItemsError {
    ItemsError { path, message: message.into() }
}

/// An agenda: items and the scales they name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Agenda {
    pub items: Vec<ItemSpec>,
    pub scales: BTreeMap<String, Scale>,
}

/// Checks an imported item set and turns it into an agenda. Inline scales equal to one in `known` reuse its
/// name, so a re-imported workshop keeps sending its scale once. Items without an id get `q1`, `q2`, ….
pub fn agenda_from_input(input: Vec<ItemInput>, known: &BTreeMap<String, Scale>) -> Result<Agenda, ItemsError> {
    if input.len() > MAX_ITEMS {
        return Err(fail("items".into(), format!("at most {MAX_ITEMS} items")));
    }
    let mut agenda = Agenda::default();
    let mut ids: HashSet<String> = input.iter().filter_map(|i| i.id.clone()).collect();
    let mut seen = HashSet::new();
    let mut next_number = 1;
    for (index, item) in input.into_iter().enumerate() {
        let at = |field: &str| format!("items[{index}].{field}");
        let id = match item.id {
            Some(id) => {
                check_id(&id).map_err(|e| fail(at("id"), e.to_string()))?;
                id
            }
            None => loop {
                let candidate = format!("q{next_number}");
                next_number += 1;
                if ids.insert(candidate.clone()) {
                    break candidate;
                }
            },
        };
        if !seen.insert(id.clone()) {
            return Err(fail(at("id"), format!("the id {id:?} is used more than once")));
        }
        if item.title.is_blank() || item.title.chars() > MAX_TITLE_CHARS {
            return Err(fail(at("title"), format!("a title must be 1 to {MAX_TITLE_CHARS} characters")));
        }
        if item.description.chars() > MAX_DESCRIPTION_CHARS {
            return Err(fail(at("description"), format!("at most {MAX_DESCRIPTION_CHARS} characters")));
        }
        if let Some(area) = &item.area {
            check_id(area).map_err(|e| fail(at("area"), e.to_string()))?;
        }
        let (kind, default_results) =
            item.kind.checked(&mut agenda.scales, known).map_err(|e| fail(at(&e.field), e.message))?;
        let suggestion_fits = |s: &Suggestion| !s.text.is_blank() && s.text.chars() <= MAX_DESCRIPTION_CHARS;
        if item.suggestions.len() > 20 || !item.suggestions.iter().all(suggestion_fits) {
            return Err(fail(at("suggestions"), format!("at most 20, each 1 to {MAX_DESCRIPTION_CHARS} characters")));
        }
        for replaced in &item.replaces {
            check_id(replaced).map_err(|e| fail(at("replaces"), e.to_string()))?;
        }
        let notes = checked_notes(item.notes).map_err(|message| fail(at("notes"), message))?;
        agenda.items.push(ItemSpec {
            id,
            area: item.area,
            title: item.title,
            description: item.description,
            kind,
            results: item.results.unwrap_or(default_results),
            suggestions: item.suggestions,
            replaces: item.replaces,
            notes,
        });
    }
    Ok(agenda)
}

/// An item as exported: like [`ItemSpec`] but with its scale written out, so the file stands alone.
#[derive(Debug, Serialize)]
pub struct ItemOutput<'a> {
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<&'a str>,
    pub title: &'a Text,
    pub description: &'a Text,
    #[serde(flatten)]
    pub kind: KindOutput<'a>,
    pub results: Results,
    #[serde(skip_serializing_if = "<[Suggestion]>::is_empty")]
    pub suggestions: &'a [Suggestion],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub replaces: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct ItemSetOutput<'a> {
    pub format: &'static str,
    pub version: u32,
    pub title: &'a str,
    pub items: Vec<ItemOutput<'a>>,
}

/// The export form of an agenda.
pub fn item_set<'a>(title: &'a str, agenda: &'a Agenda) -> ItemSetOutput<'a> {
    ItemSetOutput {
        format: ITEM_SET_FORMAT,
        version: 1,
        title,
        items: agenda
            .items
            .iter()
            .map(|item| ItemOutput {
                id: &item.id,
                area: item.area.as_deref(),
                title: &item.title,
                description: &item.description,
                kind: item.kind.output(&agenda.scales),
                results: item.results,
                suggestions: &item.suggestions,
                replaces: &item.replaces,
                notes: item.notes.as_deref(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kinds::{points::PointsKind, scale::ScaleKind, words::WordsKind};

    fn read(json: &str) -> Result<Agenda, ItemsError> {
        let set: ItemSetInput = serde_json::from_str(json).unwrap();
        agenda_from_input(set.items, &BTreeMap::new())
    }

    #[test]
    fn a_seminar_set_reads_with_defaults_filled_in() {
        let agenda = read(
            r#"{"items": [
                {"kind": "choice", "title": "Hot eller möjlighet?", "options": ["Hot", "Möjlighet"]},
                {"kind": "words", "title": "Ett ord"},
                {"id": "prio", "kind": "points", "title": "Prioritera", "options": ["A", "B", "C"]},
                {"kind": "scale", "title": "Hur redo?", "scale": {"levels": [{"level": 1, "label": "1"}, {"level": 2, "label": "2"}]}}
            ]}"#,
        )
        .unwrap();
        let ids: Vec<_> = agenda.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["q1", "q2", "prio", "q3"]);
        assert_eq!(agenda.items[0].results, Results::Live);
        assert_eq!(agenda.items[1].kind, ItemKind::Words(WordsKind { max_words: 3, max_chars: 40 }));
        assert_eq!(
            agenda.items[2].kind,
            ItemKind::Points(PointsKind {
                options: vec![Text::both("A"), Text::both("B"), Text::both("C")],
                budget: 100,
                targets: vec![]
            })
        );
        assert_eq!(agenda.items[2].results, Results::AfterReveal);
        assert_eq!(agenda.items[3].kind, ItemKind::Scale(ScaleKind { scale: "s1".into() }));
        assert_eq!(agenda.scales.len(), 1);
    }

    #[test]
    fn a_broken_set_says_where_it_is_broken() {
        let error = |json: &str| read(json).unwrap_err().to_string();
        assert_eq!(
            error(
                r#"{"items": [{"kind": "words", "title": "a"}, {"kind": "choice", "title": "b", "options": ["x"]}]}"#
            ),
            "items[1].options: needs 2 to 12 options"
        );
        assert!(
            error(r#"{"items": [{"kind": "words", "title": "a", "max_words": 11}]}"#).starts_with("items[0].max_words")
        );
        assert!(error(r#"{"items": [{"kind": "points", "title": "a", "options": ["x", " "]}]}"#)
            .starts_with("items[0].options[1]"));
        assert!(error(
            r#"{"items": [{"id": "a", "kind": "words", "title": "a"}, {"id": "a", "kind": "words", "title": "b"}]}"#
        )
        .contains("more than once"));
        assert!(error(r#"{"items": [{"id": "a b", "kind": "words", "title": "a"}]}"#).starts_with("items[0].id"));
        assert!(error(r#"{"items": [{"kind": "words", "title": ""}]}"#).starts_with("items[0].title"));
        assert!(error(r#"{"items": [{"kind": "scale", "title": "a", "scale": {"levels": [{"level": 2, "label": "x"}, {"level": 3, "label": "y"}]}}]}"#).starts_with("items[0].scale"));
    }

    #[test]
    fn an_exported_set_reads_back_to_the_same_agenda() {
        let agenda = read(
            r#"{"items": [
                {"id": "a", "kind": "choice", "title": {"sv": "Välj", "en": "Pick"}, "options": ["Ja", "Nej"], "multiple": true, "results": "after_reveal", "notes": "Vänta in alla"},
                {"id": "b", "kind": "scale", "title": "Skala", "scale": {"levels": [{"level": 1, "label": "Låg"}, {"level": 2, "label": "Hög"}], "not_relevant": {"label": "Ej relevant"}}}
            ]}"#,
        )
        .unwrap();
        let json = serde_json::to_string(&item_set("Test", &agenda)).unwrap();
        let set: ItemSetInput = serde_json::from_str(&json).unwrap();
        assert_eq!(set.format.as_deref(), Some(ITEM_SET_FORMAT));
        assert_eq!(agenda_from_input(set.items, &BTreeMap::new()).unwrap(), agenda);
    }

    #[test]
    fn notes_are_optional_at_most_2000_characters_and_left_out_of_an_export_without_them() {
        let agenda = read(r#"{"items": [{"kind": "words", "title": "a", "notes": "Läs upp exemplet"}, {"kind": "words", "title": "b", "notes": "  "}]}"#).unwrap();
        assert_eq!(agenda.items[0].notes.as_deref(), Some("Läs upp exemplet"));
        assert_eq!(agenda.items[1].notes, None, "blank notes are none");
        let json = serde_json::to_value(item_set("Test", &agenda)).unwrap();
        assert_eq!(json["items"][0]["notes"], "Läs upp exemplet");
        assert!(json["items"][1].get("notes").is_none());
        assert!(serde_json::to_value(&agenda.items[1]).unwrap().get("notes").is_none(), "a stored item without notes");
        let long = "å".repeat(MAX_NOTES_CHARS + 1);
        let error =
            read(&format!(r#"{{"items": [{{"kind": "words", "title": "a", "notes": "{long}"}}]}}"#)).unwrap_err();
        assert_eq!(error.to_string(), "items[0].notes: at most 2000 characters");
        assert!(
            read(&format!(r#"{{"items": [{{"kind": "words", "title": "a", "notes": "{}"}}]}}"#, &long[2..])).is_ok()
        );
    }
}
