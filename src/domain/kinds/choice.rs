//! Choice items: one option of a list, or with `multiple` one or more. The tally counts ballots per option.

use super::Results;
use super::{check_options, options_line, KindError, RawAnswer};
use crate::domain::catalogue::Text;
use serde::{Deserialize, Serialize};

/// One option of `options`, or with `multiple` one or more.
// `ts(tag, rename)`: TypeScript inlines this with its tag, as one object (see `ItemKind`).
#[cfg_attr(test, derive(ts_rs::TS), ts(tag = "kind", rename = "choice"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceKind {
    pub options: Vec<Text>,
    pub multiple: bool,
}

impl ChoiceKind {
    pub const NAME: &'static str = "choice";
    pub const LABEL: (&'static str, &'static str) = ("Val", "Choice");
    /// A seminar's quick question shows its answers as they come in.
    pub const RESULTS: Results = Results::Live;

    /// The chosen options, ascending; `None` unless every index is an option, none repeats and the count fits.
    pub fn check(&self, raw: &RawAnswer) -> Option<ChoiceAnswer> {
        let chosen: Vec<i64> = match raw {
            RawAnswer::Number(n) => vec![*n],
            RawAnswer::List(list) => list.clone(),
            RawAnswer::Word(_) => return None,
        };
        let mut indices = chosen
            .iter()
            .map(|&i| u8::try_from(i).ok().filter(|&i| (i as usize) < self.options.len()))
            .collect::<Option<Vec<u8>>>()?;
        indices.sort_unstable();
        indices.dedup();
        let count_ok = if self.multiple { !indices.is_empty() } else { indices.len() == 1 };
        (count_ok && indices.len() == chosen.len()).then_some(ChoiceAnswer { options: indices })
    }

    pub fn new_tally(&self) -> ChoiceTally {
        ChoiceTally { counts: vec![0; self.options.len()] }
    }

    /// "Option: ballots; …" for a spreadsheet.
    pub fn result_line(&self, view: &ChoiceView, en: bool) -> String {
        options_line(&self.options, view.counts, en)
    }
}

/// A choice item in an item-set file; one option at a time unless it says `multiple`.
#[derive(Debug, Clone, Deserialize)]
pub struct ChoiceInput {
    pub options: Vec<Text>,
    #[serde(default)]
    pub multiple: bool,
}

impl ChoiceInput {
    pub fn checked(self) -> Result<ChoiceKind, KindError> {
        check_options(&self.options)?;
        Ok(ChoiceKind { options: self.options, multiple: self.multiple })
    }
}

/// A ballot on a choice item: the chosen option indices, ascending, without repeats. Stored as `{"options": [1]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceAnswer {
    pub options: Vec<u8>,
}

/// Ballots per option. Stored as the bare list, `[3, 5]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChoiceTally {
    pub counts: Vec<u32>,
}

impl ChoiceTally {
    /// Adds (`sign` = 1) or removes (`sign` = -1) one ballot; an option off the tally is ignored.
    pub fn count(&mut self, answer: &ChoiceAnswer, sign: i64) {
        for &option in &answer.options {
            if let Some(slot) = self.counts.get_mut(option as usize) {
                super::bump(slot, sign);
            }
        }
    }

    pub fn view(&self) -> ChoiceView<'_> {
        ChoiceView { counts: &self.counts }
    }
}

/// Ballots per option as the state view and an export show them: `{"counts": [3, 5]}`.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
pub struct ChoiceView<'a> {
    pub counts: &'a [u32],
}

/// A [`ChoiceView`] read back from an export.
#[derive(Debug, Deserialize)]
pub struct ExportedChoice {
    pub counts: Vec<u32>,
}

impl ExportedChoice {
    pub fn to_tally(&self) -> ChoiceTally {
        ChoiceTally { counts: self.counts.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(multiple: bool) -> ChoiceKind {
        ChoiceKind { options: vec![Text::both("Hot"), Text::both("Möjlighet"), Text::both("Båda")], multiple }
    }

    fn chose(options: &[u8]) -> Option<ChoiceAnswer> {
        Some(ChoiceAnswer { options: options.to_vec() })
    }

    #[test]
    fn a_single_choice_takes_exactly_one_existing_option() {
        let kind = choice(false);
        assert_eq!(kind.check(&RawAnswer::List(vec![1])), chose(&[1]));
        assert_eq!(kind.check(&RawAnswer::Number(2)), chose(&[2]));
        assert_eq!(kind.check(&RawAnswer::List(vec![0, 1])), None);
        assert_eq!(kind.check(&RawAnswer::List(vec![3])), None);
        assert_eq!(kind.check(&RawAnswer::List(vec![-1])), None);
        assert_eq!(kind.check(&RawAnswer::List(vec![])), None);
    }

    #[test]
    fn a_multiple_choice_takes_distinct_options_in_order() {
        let kind = choice(true);
        assert_eq!(kind.check(&RawAnswer::List(vec![2, 0])), chose(&[0, 2]));
        assert_eq!(kind.check(&RawAnswer::List(vec![1, 1])), None, "a repeated option is refused, not merged");
    }

    #[test]
    fn the_result_line_names_each_option_with_its_ballots() {
        let mut tally = choice(true).new_tally();
        tally.count(&ChoiceAnswer { options: vec![0, 2] }, 1);
        tally.count(&ChoiceAnswer { options: vec![2] }, 1);
        assert_eq!(choice(true).result_line(&tally.view(), true), "Hot: 1; Möjlighet: 0; Båda: 2");
    }
}
