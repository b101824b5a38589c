//! Words items, the word cloud: each participant sends a few words or short phrases, one at a time
//! (`Command::Word`, never a ballot). The tally counts each normalised word; the facilitator's moderation groups and
//! hides them when the cloud is shown. How a word is normalised and the profanity lists are `domain::words`.

use super::Results;
use super::{within, KindError};
use crate::domain::words::is_profane;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Words one participant may send per round, and the default.
pub const MAX_WORDS: std::ops::RangeInclusive<u8> = 1..=10;
pub const DEFAULT_MAX_WORDS: u8 = 3;
/// Characters per word or phrase, and the default: enough for "välfärdsteknik i hemtjänsten".
pub const MAX_CHARS: std::ops::RangeInclusive<u16> = 1..=60;
pub const DEFAULT_MAX_CHARS: u16 = 40;
/// Most word groups in the public view: a cloud of more is unreadable, and it bounds the message size.
pub const PUBLIC_WORDS: usize = 100;
/// Most word groups the facilitator's live console lists beyond the hidden and filtered ones: three times
/// what a screen shows, enough to merge the spellings that matter. A seminar of thousands typing freely
/// makes a group of nearly every rare word: with 2,000 groups the console's frame, 20 a second, weighed
/// 154 KB listing them all and 25 KB listing these. An export lists every group.
pub const CONSOLE_WORDS: usize = 300;

/// Up to `max_words` words or phrases a participant and round, each up to `max_chars` characters.
// `ts(tag, rename)`: TypeScript inlines this with its tag, as one object (see `ItemKind`).
#[cfg_attr(test, derive(ts_rs::TS), ts(tag = "kind", rename = "words"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordsKind {
    pub max_words: u8,
    pub max_chars: u16,
}

impl WordsKind {
    pub const NAME: &'static str = "words";
    pub const LABEL: (&'static str, &'static str) = ("Ordmoln", "Word cloud");
    /// A cloud grows on the screen as the words come in.
    pub const RESULTS: Results = Results::Live;
}

/// A words item in an item-set file; both limits may be left out.
#[derive(Debug, Clone, Deserialize)]
pub struct WordsInput {
    #[serde(default)]
    pub max_words: Option<u8>,
    #[serde(default)]
    pub max_chars: Option<u16>,
}

impl WordsInput {
    pub fn checked(self) -> Result<WordsKind, KindError> {
        let max_words = within("max_words", self.max_words.unwrap_or(DEFAULT_MAX_WORDS), MAX_WORDS)?;
        let max_chars = within("max_chars", self.max_chars.unwrap_or(DEFAULT_MAX_CHARS), MAX_CHARS)?;
        Ok(WordsKind { max_words, max_chars })
    }
}

/// Normalised word → how many sent it. Stored as the bare map, `{"framtid": 3}`.
#[derive(Debug, Clone, Default)]
pub struct WordsTally {
    counts: BTreeMap<String, u32>,
    /// The words of `counts` the profanity lists match, checked once when a word first comes rather
    /// than at every render. Derived from `counts`, never stored.
    profane: BTreeSet<String>,
}

impl PartialEq for WordsTally {
    fn eq(&self, other: &Self) -> bool {
        self.counts == other.counts
    }
}

impl Eq for WordsTally {}

impl Serialize for WordsTally {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.counts.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for WordsTally {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::deserialize(deserializer).map(WordsTally::from_counts)
    }
}

impl WordsTally {
    pub fn from_counts(counts: BTreeMap<String, u32>) -> Self {
        let profane = counts.keys().filter(|word| is_profane(word)).cloned().collect();
        WordsTally { counts, profane }
    }

    /// Normalised word → how many sent it.
    pub fn counts(&self) -> &BTreeMap<String, u32> {
        &self.counts
    }

    pub fn add(&mut self, word: &str) {
        let count = self.counts.entry(word.to_string()).or_default();
        if *count == 0 && is_profane(word) {
            self.profane.insert(word.to_string());
        }
        *count += 1;
    }

    /// One use fewer; a word nobody uses any more leaves the cloud.
    pub fn remove(&mut self, word: &str) {
        if let Some(count) = self.counts.get_mut(word) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.counts.remove(word);
                self.profane.remove(word);
            }
        }
    }

    /// The cloud as `cloud.facilitator` may see it: groups by the moderation, most frequent first (for the
    /// facilitator the `cloud.listed` most frequent and every hidden or filtered one, `total` counting all);
    /// for everyone else without the hidden groups, at most [`PUBLIC_WORDS`] of them and without moderation
    /// details.
    pub fn view<'a>(&'a self, cloud: CloudContext<'a>) -> WordsView<'a> {
        let groups = word_groups(self, cloud.moderation, cloud.filter_on);
        // A merged group shows its own word's spelling; a group nobody typed as such shows `text`.
        let display = |text: &str| display_spelling(cloud.spellings, text).filter(|d| *d != text);
        if cloud.facilitator {
            let all = groups.len();
            let total = groups.iter().map(|g| g.count).sum();
            let words: Vec<WordView> = groups
                .into_iter()
                .enumerate()
                // Beyond the most frequent, only the groups moderation acts on.
                .filter(|(rank, g)| *rank < cloud.listed || g.hidden || g.filtered)
                .map(|(_, g)| WordView {
                    text: g.text,
                    display: display(g.text),
                    count: g.count,
                    hidden: Some(g.hidden),
                    filtered: Some(g.filtered),
                    variants: Some(g.variants),
                })
                .collect();
            let more = (words.len() < all).then(|| (all - words.len()) as u32);
            return WordsView { words, total, more };
        }
        let words: Vec<WordView> = groups
            .into_iter()
            .filter(|g| !g.hidden)
            .take(PUBLIC_WORDS)
            .map(|g| WordView {
                text: g.text,
                display: display(g.text),
                count: g.count,
                hidden: None,
                filtered: None,
                variants: None,
            })
            .collect();
        let total = words.iter().map(|w| w.count).sum();
        WordsView { words, total, more: None }
    }
}

/// What showing a cloud takes beyond its counts: the item's moderation, the session's filter, who looks, and how
/// people spelled the words.
#[derive(Debug, Clone, Copy)]
pub struct CloudContext<'a> {
    pub moderation: &'a Moderation,
    pub filter_on: bool,
    pub facilitator: bool,
    pub spellings: &'a Spellings,
    /// For the facilitator: the most frequent groups listed, besides every hidden or filtered one
    /// ([`CONSOLE_WORDS`] live, all of them in an export).
    pub listed: usize,
}

/// How people wrote each normalised word of a round: spelling → count, in the order first seen.
/// Kept beside the tally rather than in it, because `RoundTally` is a stored format.
pub type Spellings = BTreeMap<String, Vec<(String, u32)>>;

/// Counts one more use of `spelling` for the normalised `word`.
pub fn add_spelling(spellings: &mut Spellings, word: &str, spelling: &str) {
    let list = spellings.entry(word.to_string()).or_default();
    match list.iter_mut().find(|(s, _)| s == spelling) {
        Some((_, count)) => *count += 1,
        None => list.push((spelling.to_string(), 1)),
    }
}

/// The most common spelling of a normalised word; on a tie the one seen first. `None` if none was kept.
pub fn display_spelling<'a>(spellings: &'a Spellings, word: &str) -> Option<&'a str> {
    let mut best: Option<&(String, u32)> = None;
    for entry in spellings.get(word)? {
        // Strictly greater: an equal count later on does not replace the first seen.
        if best.is_none_or(|b| entry.1 > b.1) {
            best = Some(entry);
        }
    }
    best.map(|(s, _)| s.as_str())
}

/// The facilitator's decisions about a words item's words; they apply to every round.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Moderation {
    /// Groups hidden from everyone but the facilitator.
    pub hidden: BTreeSet<String>,
    /// Groups the facilitator chose to show although the filter matches them.
    pub shown: BTreeSet<String>,
    /// Variant → the group it counts in. Always points at a group's own word, never at another variant.
    pub merges: BTreeMap<String, String>,
}

impl Moderation {
    /// The group a word counts in.
    pub fn group<'a>(&'a self, word: &'a str) -> &'a str {
        self.merges.get(word).map(String::as_str).unwrap_or(word)
    }
}

/// One group of a word cloud: a word, the variants merged into it, and their count together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordGroup<'a> {
    pub text: &'a str,
    pub count: u32,
    pub variants: Vec<&'a str>,
    /// The profanity filter matches the word or one of its variants.
    pub filtered: bool,
    /// Hidden from participants and screens: by the facilitator, or by the filter while it is on.
    pub hidden: bool,
}

/// Groups a round's words by the facilitator's merges, most frequent first (ties alphabetical).
///
/// Runs at every render of every audience, so its cost is kept to a pass over the words: each word is
/// its own group but a merged variant (merges are few), and `counts` is sorted, so the groups come out
/// sorted by text without a map, and a stable sort by count keeps ties alphabetical. (Grouping through a
/// map of strings made a cloud of 2,000 words cost about 0.8 ms a render: docs/performance.md.)
pub fn word_groups<'a>(tally: &'a WordsTally, moderation: &'a Moderation, filter_on: bool) -> Vec<WordGroup<'a>> {
    let counts = &tally.counts;
    // (word, count, variants, whether someone typed the word itself)
    let mut groups: Vec<(&str, u32, Vec<&str>, bool)> = counts
        .iter()
        .filter(|(word, _)| !moderation.merges.contains_key(word.as_str()))
        .map(|(word, count)| (word.as_str(), *count, Vec::new(), true))
        .collect();
    for (variant, group) in &moderation.merges {
        let Some(count) = counts.get(variant) else { continue };
        // A group nobody typed as such exists through its variants alone.
        let at = groups.binary_search_by(|g| g.0.cmp(group)).unwrap_or_else(|at| {
            groups.insert(at, (group.as_str(), 0, Vec::new(), false));
            at
        });
        groups[at].1 += count;
        groups[at].2.push(variant.as_str());
    }
    let mut list: Vec<WordGroup> = groups
        .into_iter()
        .map(|(text, count, variants, typed)| {
            // A word typed is in `profane` if it is profane; a group's own word nobody typed is checked here.
            let profane = if typed { tally.profane.contains(text) } else { is_profane(text) };
            let filtered = profane || variants.iter().any(|v| tally.profane.contains(*v));
            let shown = moderation.shown.contains(text);
            let hidden = moderation.hidden.contains(text) || (filter_on && filtered && !shown);
            WordGroup { text, count, variants, filtered, hidden }
        })
        .collect();
    list.sort_by_key(|group| std::cmp::Reverse(group.count));
    list
}

/// A cloud as the state view shows it: `{"words": […], "total": 12}`.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
pub struct WordsView<'a> {
    pub words: Vec<WordView<'a>>,
    pub total: u32,
    /// For the facilitator's live console: groups left out of `words` (rarer than the
    /// [`CONSOLE_WORDS`] most frequent, neither hidden nor filtered); their uses still count in `total`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub more: Option<u32>,
}

impl WordsView<'_> {
    /// "word (count); …", the 30 most frequent shown groups, for a spreadsheet.
    pub fn result_line(&self) -> String {
        self.words
            .iter()
            .filter(|w| w.hidden != Some(true))
            .take(30)
            .map(|w| format!("{} ({})", w.display.unwrap_or(w.text), w.count))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
pub struct WordView<'a> {
    /// The normalised form: the group's key, which moderation commands name.
    pub text: &'a str,
    /// The most common spelling people used (ties: the first seen), only where it differs from `text`, so
    /// the frames grow only by the words that need it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub display: Option<&'a str>,
    pub count: u32,
    /// Moderation details, for the facilitator only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub hidden: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub filtered: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub variants: Option<Vec<&'a str>>,
}

/// A [`WordsView`] of the facilitator read back from an export.
#[derive(Debug, Deserialize)]
pub struct ExportedWords {
    pub words: Vec<ExportedWord>,
}

impl ExportedWords {
    /// Each group's count under its own word: variants' own counts are not in an export.
    pub fn to_tally(&self) -> WordsTally {
        WordsTally::from_counts(self.words.iter().map(|w| (w.text.clone(), w.count)).collect())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
        pairs.iter().map(|(w, c)| (w.to_string(), *c)).collect()
    }

    #[test]
    fn the_most_common_spelling_wins_and_ties_go_to_the_first_seen() {
        let mut spellings = Spellings::new();
        for written in ["Babels torn", "babels torn", "Babels Torn"] {
            add_spelling(&mut spellings, "babels torn", written);
        }
        assert_eq!(display_spelling(&spellings, "babels torn"), Some("Babels torn"), "a three-way tie");
        add_spelling(&mut spellings, "babels torn", "Babels Torn");
        assert_eq!(display_spelling(&spellings, "babels torn"), Some("Babels Torn"), "two beat one");
        add_spelling(&mut spellings, "ai", "AI");
        add_spelling(&mut spellings, "ai", "ai");
        add_spelling(&mut spellings, "ai", "AI");
        assert_eq!(display_spelling(&spellings, "ai"), Some("AI"));
        assert_eq!(display_spelling(&spellings, "framtid"), None);
    }

    #[test]
    fn groups_add_merged_variants_and_sort_by_count() {
        let tally = WordsTally::from_counts(counts(&[
            ("digitalisering", 3),
            ("digitaliseringen", 2),
            ("framtid", 4),
            ("ångest", 1),
        ]));
        let mut moderation = Moderation::default();
        moderation.merges.insert("digitaliseringen".into(), "digitalisering".into());
        let groups = word_groups(&tally, &moderation, true);
        let summary: Vec<(&str, u32)> = groups.iter().map(|g| (g.text, g.count)).collect();
        assert_eq!(summary, [("digitalisering", 5), ("framtid", 4), ("ångest", 1)]);
        assert_eq!(groups[0].variants, ["digitaliseringen"]);
    }

    #[test]
    fn the_filter_hides_profanity_until_the_facilitator_shows_it() {
        let tally = WordsTally::from_counts(counts(&[("jävla skit", 2), ("bra", 5)]));
        let mut moderation = Moderation::default();
        let groups = word_groups(&tally, &moderation, true);
        assert!(groups.iter().find(|g| g.text == "jävla skit").unwrap().hidden);
        assert!(!groups.iter().find(|g| g.text == "bra").unwrap().hidden);
        assert!(!word_groups(&tally, &moderation, false)[1].hidden, "filter off");
        moderation.shown.insert("jävla skit".into());
        assert!(!word_groups(&tally, &moderation, true).iter().any(|g| g.hidden));
        moderation.hidden.insert("bra".into());
        assert!(word_groups(&tally, &moderation, true)[0].hidden);
    }

    #[test]
    fn the_filter_knows_each_word_as_words_come_and_go_and_after_a_reload() {
        let mut tally = WordsTally::default();
        for word in ["bra", "jävla skit", "bra"] {
            tally.add(word);
        }
        let moderation = Moderation::default();
        let filtered = |tally: &WordsTally| -> Vec<String> {
            word_groups(tally, &moderation, true).iter().filter(|g| g.filtered).map(|g| g.text.to_string()).collect()
        };
        assert_eq!(filtered(&tally), ["jävla skit"]);
        tally.remove("jävla skit");
        assert_eq!(filtered(&tally), Vec::<String>::new(), "gone with its last use");
        tally.add("jävla skit");
        assert_eq!(filtered(&tally), ["jävla skit"], "and back with a new one");
        let stored = serde_json::to_string(&tally).unwrap();
        assert_eq!(stored, r#"{"bra":2,"jävla skit":1}"#, "stored as the bare counts");
        let reloaded: WordsTally = serde_json::from_str(&stored).unwrap();
        assert_eq!((&reloaded, filtered(&reloaded)), (&tally, vec!["jävla skit".to_string()]));
        // A group nobody typed as such, only through a variant, is checked by its own word.
        let merged = Moderation {
            merges: BTreeMap::from([("bra".to_string(), "jävla skit".to_string())]),
            ..Moderation::default()
        };
        let tally = WordsTally::from_counts(counts(&[("bra", 2)]));
        let groups = word_groups(&tally, &merged, true);
        assert_eq!((groups[0].text, groups[0].count, groups[0].filtered), ("jävla skit", 2, true));
    }

    #[test]
    fn the_public_sees_no_hidden_group_and_no_moderation_details() {
        let tally = WordsTally::from_counts(counts(&[("jävla skit", 2), ("bra", 5), ("ai", 1)]));
        let moderation = Moderation::default();
        let spellings = Spellings::from([("ai".to_string(), vec![("AI".to_string(), 1)])]);
        let cloud = |facilitator| CloudContext {
            moderation: &moderation,
            filter_on: true,
            facilitator,
            spellings: &spellings,
            listed: CONSOLE_WORDS,
        };
        let public = serde_json::to_value(tally.view(cloud(false))).unwrap();
        let expected = serde_json::json!({"words": [{"text": "bra", "count": 5}, {"text": "ai", "display": "AI", "count": 1}], "total": 6});
        assert_eq!(public, expected);
        let facilitator = tally.view(cloud(true));
        assert_eq!((facilitator.words.len(), facilitator.total), (3, 8));
        assert_eq!(facilitator.result_line(), "bra (5); AI (1)", "hidden groups stay out of the spreadsheet");
    }

    #[test]
    fn the_facilitator_gets_the_most_frequent_groups_and_every_moderated_one() {
        let tally =
            WordsTally::from_counts(counts(&[("bra", 5), ("ai", 4), ("nej", 3), ("jävla skit", 1), ("öde", 1)]));
        let moderation = Moderation { hidden: BTreeSet::from(["nej".to_string()]), ..Moderation::default() };
        let spellings = Spellings::new();
        let cloud = CloudContext {
            moderation: &moderation,
            filter_on: true,
            facilitator: true,
            spellings: &spellings,
            listed: 1,
        };
        let view = tally.view(cloud);
        let listed: Vec<&str> = view.words.iter().map(|w| w.text).collect();
        assert_eq!(listed, ["bra", "nej", "jävla skit"], "the most frequent, the hidden and the filtered");
        assert_eq!((view.more, view.total), (Some(2), 14));
        let all = tally.view(CloudContext { listed: usize::MAX, ..cloud });
        assert_eq!((all.words.len(), all.more), (5, None));
    }
}
