//! Answers and tallies by item kind: what a participant may answer, and how a round counts it.
//! Tallies change by one ballot at a time, so a vote costs the same with 10 or 10,000 voters.

use super::item::ItemKind;
use super::spread::Tally;
use super::Scale;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An answer as a client sends it, before it is checked against the item: a number, a word or a list.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RawAnswer {
    Number(i64),
    Word(String),
    List(Vec<i64>),
}

/// A checked, stored answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A level of a scale item.
    Level(u8),
    /// "Not relevant" on a scale that offers it; counted apart from the levels.
    NotRelevant,
    /// Chosen option indices of a choice item, ascending, without repeats.
    Options(Vec<u8>),
    /// Points per option of a points item, in option order.
    Points(Vec<u32>),
}

/// Stored as `3`, `"not_relevant"`, `{"options": [1]}` or `{"points": [50, 50]}`.
impl Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Answer::Level(level) => s.serialize_u8(*level),
            Answer::NotRelevant => s.serialize_str("not_relevant"),
            Answer::Options(options) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("options", options)?;
                map.end()
            }
            Answer::Points(points) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("points", points)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Level(u8),
            Word(String),
            Options { options: Vec<u8> },
            Points { points: Vec<u32> },
        }
        match Stored::deserialize(d)? {
            Stored::Level(level) => Ok(Answer::Level(level)),
            Stored::Word(word) if word == "not_relevant" => Ok(Answer::NotRelevant),
            Stored::Word(word) => Err(serde::de::Error::custom(format!("unknown answer {word:?}"))),
            Stored::Options { options } => Ok(Answer::Options(options)),
            Stored::Points { points } => Ok(Answer::Points(points)),
        }
    }
}

/// Checks a raw answer against an item; `None` if it does not fit. Every kind is listed, so a new kind must say
/// which answers it takes.
pub fn check(raw: &RawAnswer, kind: &ItemKind, scale: Option<&Scale>) -> Option<Answer> {
    match kind {
        ItemKind::Scale { .. } => match raw {
            RawAnswer::Number(n) => {
                let level = u8::try_from(*n).ok()?;
                scale?.contains(level).then_some(Answer::Level(level))
            }
            RawAnswer::Word(word) if word == "not_relevant" => {
                scale?.not_relevant.as_ref().map(|_| Answer::NotRelevant)
            }
            RawAnswer::Word(_) | RawAnswer::List(_) => None,
        },
        ItemKind::Choice { options, multiple } => {
            let chosen: Vec<i64> = match raw {
                RawAnswer::Number(n) => vec![*n],
                RawAnswer::List(list) => list.clone(),
                RawAnswer::Word(_) => return None,
            };
            let mut indices = chosen
                .iter()
                .map(|&i| u8::try_from(i).ok().filter(|&i| (i as usize) < options.len()))
                .collect::<Option<Vec<u8>>>()?;
            indices.sort_unstable();
            indices.dedup();
            let count_ok = if *multiple { !indices.is_empty() } else { indices.len() == 1 };
            (count_ok && indices.len() == chosen.len()).then_some(Answer::Options(indices))
        }
        ItemKind::Points { options, budget, .. } => {
            let RawAnswer::List(list) = raw else { return None };
            if list.len() != options.len() {
                return None;
            }
            let points = list.iter().map(|&p| u32::try_from(p).ok()).collect::<Option<Vec<u32>>>()?;
            let spent: u64 = points.iter().map(|&p| p as u64).sum();
            (spent >= 1 && spent <= *budget as u64).then_some(Answer::Points(points))
        }
        // Words arrive one at a time as `Command::Word`, never as a ballot.
        ItemKind::Words { .. } => None,
    }
}

/// The counts of one round, by kind. Stored as such when old sessions are reduced to their distributions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundTally {
    Scale(Tally),
    /// Ballots per option.
    Choice(Vec<u32>),
    /// Points per option, and how many gave the option any points.
    Points {
        totals: Vec<u64>,
        supporters: Vec<u32>,
    },
    /// Normalised word → how many sent it.
    Words(BTreeMap<String, u32>),
}

impl RoundTally {
    pub fn new(kind: &ItemKind, scale: Option<&Scale>) -> Self {
        match kind {
            ItemKind::Scale { .. } => RoundTally::Scale(Tally::new(scale.map(Scale::top).unwrap_or(0))),
            ItemKind::Choice { options, .. } => RoundTally::Choice(vec![0; options.len()]),
            ItemKind::Points { options, .. } => {
                RoundTally::Points { totals: vec![0; options.len()], supporters: vec![0; options.len()] }
            }
            ItemKind::Words { .. } => RoundTally::Words(BTreeMap::new()),
        }
    }

    /// Adds (`sign` = 1) or removes (`sign` = -1) one ballot. Answers that do not fit the tally are ignored.
    pub fn count(&mut self, answer: &Answer, sign: i64) {
        let bump = |slot: &mut u32, by: i64| *slot = (*slot as i64 + by).max(0) as u32;
        match (self, answer) {
            (RoundTally::Scale(tally), Answer::Level(level)) => {
                if let Some(slot) = tally.counts.get_mut((*level as usize).wrapping_sub(1)) {
                    bump(slot, sign);
                }
            }
            (RoundTally::Scale(tally), Answer::NotRelevant) => bump(&mut tally.not_relevant, sign),
            (RoundTally::Choice(counts), Answer::Options(options)) => {
                for &option in options {
                    if let Some(slot) = counts.get_mut(option as usize) {
                        bump(slot, sign);
                    }
                }
            }
            (RoundTally::Points { totals, supporters }, Answer::Points(points)) => {
                for (index, &given) in points.iter().enumerate().take(totals.len()) {
                    totals[index] = (totals[index] as i64 + sign * given as i64).max(0) as u64;
                    if given > 0 {
                        bump(&mut supporters[index], sign);
                    }
                }
            }
            _ => {}
        }
    }

    pub fn add_word(&mut self, word: &str) {
        if let RoundTally::Words(counts) = self {
            *counts.entry(word.to_string()).or_default() += 1;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Text;
    use proptest::prelude::*;

    fn choice(multiple: bool) -> ItemKind {
        ItemKind::Choice { options: vec![Text::both("Hot"), Text::both("Möjlighet"), Text::both("Båda")], multiple }
    }

    fn points(budget: u32) -> ItemKind {
        ItemKind::Points { options: vec![Text::both("A"), Text::both("B")], budget, targets: vec![] }
    }

    #[test]
    fn a_single_choice_takes_exactly_one_existing_option() {
        let kind = choice(false);
        assert_eq!(check(&RawAnswer::List(vec![1]), &kind, None), Some(Answer::Options(vec![1])));
        assert_eq!(check(&RawAnswer::Number(2), &kind, None), Some(Answer::Options(vec![2])));
        assert_eq!(check(&RawAnswer::List(vec![0, 1]), &kind, None), None);
        assert_eq!(check(&RawAnswer::List(vec![3]), &kind, None), None);
        assert_eq!(check(&RawAnswer::List(vec![-1]), &kind, None), None);
        assert_eq!(check(&RawAnswer::List(vec![]), &kind, None), None);
    }

    #[test]
    fn a_multiple_choice_takes_distinct_options_in_order() {
        let kind = choice(true);
        assert_eq!(check(&RawAnswer::List(vec![2, 0]), &kind, None), Some(Answer::Options(vec![0, 2])));
        assert_eq!(check(&RawAnswer::List(vec![1, 1]), &kind, None), None, "a repeated option is refused, not merged");
    }

    #[test]
    fn points_must_stay_within_the_budget_and_not_be_negative() {
        let kind = points(100);
        assert_eq!(check(&RawAnswer::List(vec![60, 40]), &kind, None), Some(Answer::Points(vec![60, 40])));
        assert_eq!(check(&RawAnswer::List(vec![10, 0]), &kind, None), Some(Answer::Points(vec![10, 0])));
        assert_eq!(check(&RawAnswer::List(vec![60, 41]), &kind, None), None);
        assert_eq!(check(&RawAnswer::List(vec![-10, 110]), &kind, None), None);
        assert_eq!(check(&RawAnswer::List(vec![0, 0]), &kind, None), None);
        assert_eq!(check(&RawAnswer::List(vec![100]), &kind, None), None);
        assert_eq!(check(&RawAnswer::List(vec![i64::MAX, 1]), &kind, None), None);
    }

    #[test]
    fn stored_answers_keep_their_shape() {
        for answer in [Answer::Level(3), Answer::NotRelevant, Answer::Options(vec![0, 2]), Answer::Points(vec![70, 30])]
        {
            let json = serde_json::to_string(&answer).unwrap();
            assert_eq!(serde_json::from_str::<Answer>(&json).unwrap(), answer, "{json}");
        }
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

    proptest! {
        /// Adding then removing any sequence of point ballots leaves an empty tally.
        #[test]
        fn removing_what_was_added_empties_a_points_tally(ballots in proptest::collection::vec((0u32..=50, 0u32..=50), 0..40)) {
            let kind = points(100);
            let mut tally = RoundTally::new(&kind, None);
            let answers: Vec<Answer> = ballots.iter().map(|&(a, b)| Answer::Points(vec![a, b])).collect();
            for answer in &answers {
                tally.count(answer, 1);
            }
            if let RoundTally::Points { totals, .. } = &tally {
                let expected: u64 = ballots.iter().map(|&(a, _)| a as u64).sum();
                prop_assert_eq!(totals[0], expected);
            }
            for answer in &answers {
                tally.count(answer, -1);
            }
            prop_assert_eq!(tally, RoundTally::new(&kind, None));
        }
    }
}
