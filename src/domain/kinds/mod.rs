//! Item kinds, one module a kind: what differs by kind (its settings and their checks, its ballot, its tally, how
//! the tally is shown and exported) lives with the kind. This file registers them: each enum below has one variant
//! a kind, wrapping that kind's own struct, and each method dispatches with an exhaustive match, so a kind that is
//! left out of a registration does not compile.
//!
//! A new kind is one module beside these and one variant in each of `ItemKind`, `KindInput`, `KindOutput`,
//! `RoundTally`, `TallyView` and `ExportedTally` (and `Answer` if it takes ballots); the compiler then names every
//! match that wants its arm.

pub mod choice;
pub mod points;
pub mod scale;
pub mod words;

use super::catalogue::{Scale, Text, MAX_DESCRIPTION_CHARS};
use super::spread::{Spread, Tally};
use choice::{ChoiceAnswer, ChoiceInput, ChoiceKind, ChoiceTally, ChoiceView, ExportedChoice};
use points::{PointsAnswer, PointsInput, PointsKind, PointsTally};
use scale::{ScaleAnswer, ScaleInput, ScaleKind, ScaleOutput};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use words::{CloudContext, ExportedWords, WordsInput, WordsKind, WordsTally, WordsView};

/// When participants and screens see an item's results (each kind has its default: `RESULTS`).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Results {
    Live,
    AfterReveal,
}

/// Options of a choice or points item: at least 2, at most 12 (more does not fit a phone or a chart).
pub const OPTIONS: std::ops::RangeInclusive<usize> = 2..=12;

/// What kind of answer an item asks for, with the kind's settings. Stored in agendas and sent in every item of the
/// state view as one flat object, `{"kind": "choice", "options": […], "multiple": false}`.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKind {
    // In TypeScript each variant is its struct inlined, the struct carrying the tag itself (`ts(tag, rename)` on
    // it): `{ "kind": "scale", scale: string, }`, one object as the wire has it, not `{ "kind": … } & ScaleKind`.
    #[cfg_attr(test, ts(untagged))]
    Scale(#[cfg_attr(test, ts(inline))] ScaleKind),
    #[cfg_attr(test, ts(untagged))]
    Choice(#[cfg_attr(test, ts(inline))] ChoiceKind),
    #[cfg_attr(test, ts(untagged))]
    Words(#[cfg_attr(test, ts(inline))] WordsKind),
    #[cfg_attr(test, ts(untagged))]
    Points(#[cfg_attr(test, ts(inline))] PointsKind),
}

impl ItemKind {
    /// The kind's name, as `kind` stores it.
    pub fn name(&self) -> &'static str {
        match self {
            ItemKind::Scale(_) => ScaleKind::NAME,
            ItemKind::Choice(_) => ChoiceKind::NAME,
            ItemKind::Words(_) => WordsKind::NAME,
            ItemKind::Points(_) => PointsKind::NAME,
        }
    }

    /// The kind in the words the console uses (frontend/src/lib/strings.ts `kindNames`), for exports.
    pub fn label(&self, en: bool) -> &'static str {
        let (sv, english) = match self {
            ItemKind::Scale(_) => ScaleKind::LABEL,
            ItemKind::Choice(_) => ChoiceKind::LABEL,
            ItemKind::Words(_) => WordsKind::LABEL,
            ItemKind::Points(_) => PointsKind::LABEL,
        };
        if en {
            english
        } else {
            sv
        }
    }

    /// The name of the session scale a scale item is answered on; `None` for every other kind.
    pub fn scale_name(&self) -> Option<&str> {
        match self {
            ItemKind::Scale(scale) => Some(&scale.scale),
            ItemKind::Choice(_) | ItemKind::Words(_) | ItemKind::Points(_) => None,
        }
    }

    /// How many slots a tally of this kind has (levels or options); 0 for words. An agenda edit may not change
    /// it once an item has rounds, and an imported tally must have as many.
    pub fn slots(&self, scales: &BTreeMap<String, Scale>) -> usize {
        match self {
            ItemKind::Scale(scale) => scale.slots(scales),
            ItemKind::Choice(choice) => choice.options.len(),
            ItemKind::Words(_) => 0,
            ItemKind::Points(points) => points.options.len(),
        }
    }

    /// Checks a raw answer against the item; `None` if it does not fit. `scale` is the item's scale, if it has one.
    pub fn check(&self, raw: &RawAnswer, scale: Option<&Scale>) -> Option<Answer> {
        match self {
            ItemKind::Scale(_) => scale::check(raw, scale?).map(Answer::Scale),
            ItemKind::Choice(choice) => choice.check(raw).map(Answer::Choice),
            // Words arrive one at a time as `Command::Word`, never as a ballot.
            ItemKind::Words(_) => None,
            ItemKind::Points(points) => points.check(raw).map(Answer::Points),
        }
    }

    /// An empty tally for a new round of this item.
    pub fn new_tally(&self, scale: Option<&Scale>) -> RoundTally {
        match self {
            ItemKind::Scale(_) => RoundTally::Scale(scale::new_tally(scale)),
            ItemKind::Choice(choice) => RoundTally::Choice(choice.new_tally()),
            ItemKind::Words(_) => RoundTally::Words(WordsTally::default()),
            ItemKind::Points(points) => RoundTally::Points(points.new_tally()),
        }
    }

    /// The kind as an item-set file writes it, with a scale written out so the file stands alone.
    pub fn output<'a>(&'a self, scales: &'a BTreeMap<String, Scale>) -> KindOutput<'a> {
        match self {
            ItemKind::Scale(scale) => KindOutput::Scale(scale.output(scales)),
            ItemKind::Choice(choice) => KindOutput::Choice(choice),
            ItemKind::Words(words) => KindOutput::Words(words),
            ItemKind::Points(points) => KindOutput::Points(points),
        }
    }
}

/// A kind as an item-set file gives it: a scale inline, most settings optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KindInput {
    Scale(ScaleInput),
    Choice(ChoiceInput),
    Words(WordsInput),
    Points(PointsInput),
}

impl KindInput {
    /// Checks the settings and fills in the defaults: the kind, and when its results show unless the item says.
    /// An inline scale is added to `scales` under a new name, or reuses the name of an equal one there or in `known`.
    pub fn checked(
        self,
        scales: &mut BTreeMap<String, Scale>,
        known: &BTreeMap<String, Scale>,
    ) -> Result<(ItemKind, Results), KindError> {
        Ok(match self {
            KindInput::Scale(input) => (ItemKind::Scale(input.checked(scales, known)?), ScaleKind::RESULTS),
            KindInput::Choice(input) => (ItemKind::Choice(input.checked()?), ChoiceKind::RESULTS),
            KindInput::Words(input) => (ItemKind::Words(input.checked()?), WordsKind::RESULTS),
            KindInput::Points(input) => (ItemKind::Points(input.checked()?), PointsKind::RESULTS),
        })
    }
}

/// A setting that breaks its kind's rules: which (`max_words`, `options[2]`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindError {
    pub field: String,
    pub message: String,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> KindError {
    KindError { field: field.into(), message: message.into() }
}

/// A number setting within its range, or an error naming the field.
fn within<T: PartialOrd + std::fmt::Display>(
    field: &str,
    value: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, KindError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(invalid(field, format!("must be {} to {}", range.start(), range.end())))
    }
}

/// The options of a choice or points item: as many as [`OPTIONS`] allows, each 1 to 1000 characters.
fn check_options(options: &[Text]) -> Result<(), KindError> {
    if !OPTIONS.contains(&options.len()) {
        return Err(invalid("options", format!("needs {} to {} options", OPTIONS.start(), OPTIONS.end())));
    }
    for (n, option) in options.iter().enumerate() {
        if option.is_blank() || option.chars() > MAX_DESCRIPTION_CHARS {
            let message = format!("an option must be 1 to {MAX_DESCRIPTION_CHARS} characters");
            return Err(invalid(format!("options[{n}]"), message));
        }
    }
    Ok(())
}

/// A kind as an exported item set writes it: like [`ItemKind`], but a scale is written out.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KindOutput<'a> {
    Scale(ScaleOutput<'a>),
    Choice(&'a ChoiceKind),
    Words(&'a WordsKind),
    Points(&'a PointsKind),
}

/// An answer as a client sends it, before it is checked against the item: a number, a word or a list.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum RawAnswer {
    Number(i64),
    Word(String),
    List(Vec<i64>),
}

/// Read by the JSON value's own type, in one step: an untagged derive would buffer the value and try each
/// shape in turn, building an error for each it is not (for a list, two: nearly half of reading the vote).
impl<'de> Deserialize<'de> for RawAnswer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Shape;
        impl<'de> serde::de::Visitor<'de> for Shape {
            type Value = RawAnswer;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an answer: a whole number, a word or a list of whole numbers")
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<RawAnswer, E> {
                Ok(RawAnswer::Number(n))
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<RawAnswer, E> {
                i64::try_from(n)
                    .map(RawAnswer::Number)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(n), &self))
            }

            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<RawAnswer, E> {
                Ok(RawAnswer::Word(word.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, word: String) -> Result<RawAnswer, E> {
                Ok(RawAnswer::Word(word))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawAnswer, A::Error> {
                let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(Whole(n)) = seq.next_element()? {
                    list.push(n);
                }
                Ok(RawAnswer::List(list))
            }
        }
        deserializer.deserialize_any(Shape)
    }
}

/// One number of an answer's list, so that anything else there is refused in the answer's words.
struct Whole(i64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Number;
        impl serde::de::Visitor<'_> for Number {
            type Value = Whole;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a whole number (an answer's list holds whole numbers)")
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Whole, E> {
                Ok(Whole(n))
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Whole, E> {
                i64::try_from(n).map(Whole).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(n), &self))
            }
        }
        deserializer.deserialize_i64(Number)
    }
}

/// A checked, stored ballot, by kind; words items take none. Stored as `3`, `"not_relevant"`, `{"options": [1]}`
/// or `{"points": [50, 50]}`: the shapes do not overlap, so the kind is told by the shape and nothing stores a tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Scale(ScaleAnswer),
    Choice(ChoiceAnswer),
    Points(PointsAnswer),
}

/// The counts of one round, by kind. Stored as such when old sessions are reduced to their distributions:
/// `{"scale": {…}}`, `{"choice": […]}`, `{"points": {…}}`, `{"words": {…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundTally {
    Scale(Tally),
    Choice(ChoiceTally),
    Points(PointsTally),
    Words(WordsTally),
}

impl RoundTally {
    /// Adds (`sign` = 1) or removes (`sign` = -1) one ballot. An answer of another kind is ignored.
    pub fn count(&mut self, answer: &Answer, sign: i64) {
        match self {
            RoundTally::Scale(tally) => {
                if let Answer::Scale(answer) = answer {
                    scale::count(tally, answer, sign);
                }
            }
            RoundTally::Choice(tally) => {
                if let Answer::Choice(answer) = answer {
                    tally.count(answer, sign);
                }
            }
            RoundTally::Points(tally) => {
                if let Answer::Points(answer) = answer {
                    tally.count(answer, sign);
                }
            }
            // Words are counted one at a time by `add_word`, never as a ballot.
            RoundTally::Words(_) => {}
        }
    }

    /// Counts one more use of a normalised word; only a words tally has words.
    pub fn add_word(&mut self, word: &str) {
        if let RoundTally::Words(tally) = self {
            tally.add(word);
        }
    }

    /// Counts one use of a normalised word fewer (a participant left out of the counts).
    pub fn remove_word(&mut self, word: &str) {
        if let RoundTally::Words(tally) = self {
            tally.remove(word);
        }
    }

    /// Whether the tally has `slots` slots (levels or options; 0 for words), as its item's kind says it must.
    pub fn fits(&self, slots: usize) -> bool {
        match self {
            RoundTally::Scale(tally) => tally.counts.len() == slots,
            RoundTally::Choice(tally) => tally.counts.len() == slots,
            RoundTally::Points(tally) => tally.totals.len() == slots && tally.supporters.len() == slots,
            RoundTally::Words(_) => slots == 0,
        }
    }

    /// The spread statistics, which only an ordinal scale has.
    pub fn spread(&self) -> Option<Spread> {
        match self {
            RoundTally::Scale(tally) => Some(tally.spread()),
            RoundTally::Choice(_) | RoundTally::Points(_) | RoundTally::Words(_) => None,
        }
    }

    /// The tally as the state view shows it; `cloud` is what a word cloud needs (moderation, spellings, audience).
    pub fn view<'a>(&'a self, cloud: CloudContext<'a>) -> TallyView<'a> {
        match self {
            RoundTally::Scale(tally) => TallyView::Scale(tally),
            RoundTally::Choice(tally) => TallyView::Choice(tally.view()),
            RoundTally::Points(tally) => TallyView::Points(tally),
            RoundTally::Words(tally) => TallyView::Words(tally.view(cloud)),
        }
    }
}

/// A round's tally as a view shows it: the shapes of docs/protocol.md, told apart by their fields.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum TallyView<'a> {
    Scale(&'a Tally),
    // Inlined, so TypeScript reads `{ counts: Array<number>, }` as before the kinds had structs of their own.
    Choice(#[cfg_attr(test, ts(inline))] ChoiceView<'a>),
    Points(#[cfg_attr(test, ts(inline))] &'a PointsTally),
    Words(#[cfg_attr(test, ts(inline))] WordsView<'a>),
}

impl TallyView<'_> {
    /// Ballots per level, which only a scale has: a spreadsheet's level columns.
    pub fn level_counts(&self) -> Option<&[u32]> {
        match self {
            TallyView::Scale(tally) => Some(&tally.counts),
            TallyView::Choice(_) | TallyView::Points(_) | TallyView::Words(_) => None,
        }
    }

    /// The result as one line of text, for a spreadsheet's "Result" column: counts or points per option, or the
    /// cloud's words. Empty for a scale (its levels have columns of their own) and for a tally of another kind.
    pub fn result_line(&self, kind: &ItemKind, en: bool) -> String {
        match (self, kind) {
            (TallyView::Scale(_), _) => String::new(),
            (TallyView::Choice(view), ItemKind::Choice(choice)) => choice.result_line(view, en),
            (TallyView::Points(tally), ItemKind::Points(points)) => points.result_line(tally, en),
            (TallyView::Words(view), _) => view.result_line(),
            (TallyView::Choice(_) | TallyView::Points(_), _) => String::new(),
        }
    }
}

/// "Option: figure; option: figure", the result line of a choice or points round.
fn options_line<N: std::fmt::Display>(options: &[Text], figures: &[N], en: bool) -> String {
    options.iter().zip(figures).map(|(o, n)| format!("{}: {n}", o.pick(en))).collect::<Vec<_>>().join("; ")
}

/// A tally as an export file holds it (a [`TallyView`] of the facilitator), read back on import. Untagged: the kind
/// is told by the fields, first fit wins, so a scale (`counts` and `not_relevant`) must come before a choice.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ExportedTally {
    Scale(Tally),
    Points(PointsTally),
    Choice(ExportedChoice),
    Words(ExportedWords),
}

impl ExportedTally {
    /// The round's tally again. Words come back with each group's count under its own word: variants' own counts
    /// are not in an export.
    pub fn to_tally(&self) -> RoundTally {
        match self {
            ExportedTally::Scale(tally) => RoundTally::Scale(tally.clone()),
            ExportedTally::Points(tally) => RoundTally::Points(tally.clone()),
            ExportedTally::Choice(choice) => RoundTally::Choice(choice.to_tally()),
            ExportedTally::Words(cloud) => RoundTally::Words(cloud.to_tally()),
        }
    }
}

/// Adds `by` (1 or -1) to a count without going below zero: a removal never leaves a negative count.
fn bump(slot: &mut u32, by: i64) {
    *slot = (*slot as i64 + by).max(0) as u32;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> [ItemKind; 4] {
        [
            ItemKind::Scale(ScaleKind { scale: "s".into() }),
            ItemKind::Choice(ChoiceKind { options: vec![], multiple: false }),
            ItemKind::Points(PointsKind { options: vec![], budget: 100, targets: vec![] }),
            ItemKind::Words(WordsKind { max_words: 3, max_chars: 40 }),
        ]
    }

    #[test]
    fn a_kinds_name_is_the_kind_it_is_stored_as() {
        for kind in every_kind() {
            let stored = serde_json::to_value(&kind).unwrap();
            assert_eq!(stored["kind"], kind.name());
            let output = serde_json::to_value(kind.output(&BTreeMap::new())).unwrap();
            assert_eq!(output["kind"], kind.name());
        }
    }

    #[test]
    fn stored_answers_keep_their_shape() {
        let answers = [
            (Answer::Scale(ScaleAnswer::Level(3)), "3"),
            (Answer::Scale(ScaleAnswer::NotRelevant), r#""not_relevant""#),
            (Answer::Choice(ChoiceAnswer { options: vec![0, 2] }), r#"{"options":[0,2]}"#),
            (Answer::Points(PointsAnswer { points: vec![70, 30] }), r#"{"points":[70,30]}"#),
        ];
        for (answer, stored) in answers {
            let json = serde_json::to_string(&answer).unwrap();
            assert_eq!(json, stored);
            assert_eq!(serde_json::from_str::<Answer>(&json).unwrap(), answer, "{json}");
        }
        assert!(serde_json::from_str::<Answer>(r#""maybe""#).is_err(), "a word other than not_relevant");
    }

    #[test]
    fn a_ballot_of_another_kind_leaves_a_tally_alone() {
        let choice = ItemKind::Choice(ChoiceKind { options: vec![Text::both("a"), Text::both("b")], multiple: false });
        let mut tally = choice.new_tally(None);
        tally.count(&Answer::Scale(ScaleAnswer::Level(1)), 1);
        tally.count(&Answer::Points(PointsAnswer { points: vec![1, 1] }), 1);
        assert_eq!(tally, choice.new_tally(None));
    }
}
