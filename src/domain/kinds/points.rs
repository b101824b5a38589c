//! Points items: each participant spreads a budget of points over the options. The tally keeps the points per
//! option and how many gave the option any. A prioritisation of gaps is a points item whose options name indicators.

use super::Results;
use super::{check_options, options_line, within, KindError, RawAnswer};
use crate::domain::catalogue::Text;
use serde::{Deserialize, Serialize};

/// Points budget range, and the default.
pub const BUDGET: std::ops::RangeInclusive<u32> = 1..=1000;
pub const DEFAULT_BUDGET: u32 = 100;

/// Up to `budget` points spread over `options`. `targets`, when set, names the item each option stands for (a
/// prioritisation over indicators).
// `ts(tag, rename)`: TypeScript inlines this with its tag, as one object (see `ItemKind`).
#[cfg_attr(test, derive(ts_rs::TS), ts(tag = "kind", rename = "points"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsKind {
    pub options: Vec<Text>,
    pub budget: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
}

impl PointsKind {
    pub const NAME: &'static str = "points";
    pub const LABEL: (&'static str, &'static str) = ("Poäng", "Points");
    /// A prioritisation shows its points only after the reveal, so each spends before seeing the others.
    pub const RESULTS: Results = Results::AfterReveal;

    /// Points per option, one figure an option, at least one point in all and no more than the budget.
    pub fn check(&self, raw: &RawAnswer) -> Option<PointsAnswer> {
        let RawAnswer::List(list) = raw else { return None };
        if list.len() != self.options.len() {
            return None;
        }
        let points = list.iter().map(|&p| u32::try_from(p).ok()).collect::<Option<Vec<u32>>>()?;
        let spent: u64 = points.iter().map(|&p| p as u64).sum();
        (spent >= 1 && spent <= self.budget as u64).then_some(PointsAnswer { points })
    }

    pub fn new_tally(&self) -> PointsTally {
        PointsTally { totals: vec![0; self.options.len()], supporters: vec![0; self.options.len()] }
    }

    /// "Option: points; …" for a spreadsheet.
    pub fn result_line(&self, tally: &PointsTally, en: bool) -> String {
        options_line(&self.options, &tally.totals, en)
    }
}

/// A points item in an item-set file; the budget may be left out.
#[derive(Debug, Clone, Deserialize)]
pub struct PointsInput {
    pub options: Vec<Text>,
    #[serde(default)]
    pub budget: Option<u32>,
    #[serde(default)]
    pub targets: Vec<String>,
}

impl PointsInput {
    pub fn checked(self) -> Result<PointsKind, KindError> {
        check_options(&self.options)?;
        let budget = within("budget", self.budget.unwrap_or(DEFAULT_BUDGET), BUDGET)?;
        if !self.targets.is_empty() && self.targets.len() != self.options.len() {
            return Err(super::invalid("targets", "needs one target per option, or none"));
        }
        Ok(PointsKind { options: self.options, budget, targets: self.targets })
    }
}

/// A ballot on a points item: points per option, in option order. Stored as `{"points": [50, 50]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsAnswer {
    pub points: Vec<u32>,
}

/// Points per option, and how many gave the option any points. Stored, shown and exported as
/// `{"totals": […], "supporters": […]}`.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsTally {
    pub totals: Vec<u64>,
    pub supporters: Vec<u32>,
}

impl PointsTally {
    /// Adds (`sign` = 1) or removes (`sign` = -1) one ballot.
    pub fn count(&mut self, answer: &PointsAnswer, sign: i64) {
        for (index, &given) in answer.points.iter().enumerate().take(self.totals.len()) {
            self.totals[index] = (self.totals[index] as i64 + sign * given as i64).max(0) as u64;
            if given > 0 {
                super::bump(&mut self.supporters[index], sign);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kinds::{Answer, ItemKind};
    use proptest::prelude::*;

    fn points(budget: u32) -> PointsKind {
        PointsKind { options: vec![Text::both("A"), Text::both("B")], budget, targets: vec![] }
    }

    fn gave(points: &[u32]) -> Option<PointsAnswer> {
        Some(PointsAnswer { points: points.to_vec() })
    }

    #[test]
    fn points_must_stay_within_the_budget_and_not_be_negative() {
        let kind = points(100);
        assert_eq!(kind.check(&RawAnswer::List(vec![60, 40])), gave(&[60, 40]));
        assert_eq!(kind.check(&RawAnswer::List(vec![10, 0])), gave(&[10, 0]));
        assert_eq!(kind.check(&RawAnswer::List(vec![60, 41])), None);
        assert_eq!(kind.check(&RawAnswer::List(vec![-10, 110])), None);
        assert_eq!(kind.check(&RawAnswer::List(vec![0, 0])), None);
        assert_eq!(kind.check(&RawAnswer::List(vec![100])), None);
        assert_eq!(kind.check(&RawAnswer::List(vec![i64::MAX, 1])), None);
    }

    proptest! {
        /// Adding then removing any sequence of point ballots leaves an empty tally.
        #[test]
        fn removing_what_was_added_empties_a_points_tally(ballots in proptest::collection::vec((0u32..=50, 0u32..=50), 0..40)) {
            let kind = ItemKind::Points(points(100));
            let mut tally = kind.new_tally(None);
            let answers: Vec<Answer> = ballots.iter().map(|&(a, b)| Answer::Points(PointsAnswer { points: vec![a, b] })).collect();
            for answer in &answers {
                tally.count(answer, 1);
            }
            if let crate::domain::kinds::RoundTally::Points(PointsTally { totals, .. }) = &tally {
                let expected: u64 = ballots.iter().map(|&(a, _)| a as u64).sum();
                prop_assert_eq!(totals[0], expected);
            }
            for answer in &answers {
                tally.count(answer, -1);
            }
            prop_assert_eq!(tally, kind.new_tally(None));
        }
    }
}
