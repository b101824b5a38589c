//! Tallies of a round and the spread statistics derived from them. Pure arithmetic; knows nothing of sessions or wire formats.

use serde::{Deserialize, Serialize};

/// Counts of one round: `counts[i]` ballots on level `i + 1`, and the not-relevant ballots apart.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub counts: Vec<u32>,
    pub not_relevant: u32,
}

impl Tally {
    /// An empty tally for a scale with `levels` levels (1..=levels).
    pub fn new(levels: u8) -> Self {
        Tally { counts: vec![0; levels as usize], not_relevant: 0 }
    }

    /// Ballots on a level (not-relevant excluded).
    pub fn n(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// All ballots, not-relevant included.
    pub fn voters(&self) -> u32 {
        self.n() + self.not_relevant
    }

    /// The value of the `k`-th smallest level ballot (0-based), or `None` past the end.
    fn order_statistic(&self, k: u32) -> Option<f64> {
        let mut seen = 0;
        for (index, &count) in self.counts.iter().enumerate() {
            seen += count;
            if k < seen {
                return Some((index + 1) as f64);
            }
        }
        None
    }

    /// Quantile by linear interpolation between order statistics (Hyndman–Fan type 7, the spreadsheet default).
    fn quantile(&self, p: f64) -> Option<f64> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let h = (n - 1) as f64 * p;
        let low = h.floor();
        let x_low = self.order_statistic(low as u32)?;
        let x_high = self.order_statistic((low as u32 + 1).min(n - 1))?;
        Some(x_low + (h - low) * (x_high - x_low))
    }

    /// The spread statistics of this tally.
    pub fn spread(&self) -> Spread {
        let n = self.n();
        let mut spread = Spread {
            n,
            not_relevant: self.not_relevant,
            median: None,
            q1: None,
            q3: None,
            iqr: None,
            mode_share: None,
            within_one: None,
            consensus: None,
            two_camps: false,
            suggested: None,
        };
        if n == 0 {
            return spread;
        }
        let total = n as f64;
        let median = self.quantile(0.5).expect("n > 0");
        let q1 = self.quantile(0.25).expect("n > 0");
        let q3 = self.quantile(0.75).expect("n > 0");
        let max_count = *self.counts.iter().max().expect("scale has levels");
        let within: u32 = self
            .counts
            .iter()
            .enumerate()
            .filter(|(index, _)| ((*index + 1) as f64 - median).abs() <= 1.0)
            .map(|(_, count)| count)
            .sum();
        spread.median = Some(median);
        spread.q1 = Some(q1);
        spread.q3 = Some(q3);
        spread.iqr = Some(q3 - q1);
        spread.mode_share = Some(max_count as f64 / total);
        spread.within_one = Some(within as f64 / total);
        spread.consensus = Some(self.tastle_wierman());
        spread.two_camps = self.two_camps();
        // Rounded half down: between two levels, pre-select the more cautious one.
        spread.suggested = Some(median.floor() as u8);
        spread
    }

    /// Tastle–Wierman ordinal consensus: 1 + Σ pᵢ·log₂(1 − |i − μ| / width), where width is the
    /// distance between the scale's ends. 1 when everyone picks one level; 0 for two equal camps at the ends.
    fn tastle_wierman(&self) -> f64 {
        let n = self.n() as f64;
        let width = (self.counts.len() as f64) - 1.0;
        if width <= 0.0 {
            return 1.0;
        }
        let mean: f64 =
            self.counts.iter().enumerate().map(|(index, &count)| (index + 1) as f64 * count as f64).sum::<f64>() / n;
        let sum: f64 = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, &count)| count > 0)
            .map(|(index, &count)| {
                let p = count as f64 / n;
                let distance = ((index + 1) as f64 - mean).abs() / width;
                p * (1.0 - distance).log2()
            })
            .sum();
        (1.0 + sum).clamp(0.0, 1.0)
    }

    /// Two levels at least two steps apart each hold a quarter of the ballots or more (and at least
    /// two ballots), and every level between them holds fewer than both: a valley between two peaks.
    fn two_camps(&self) -> bool {
        let n = self.n();
        if n < 2 {
            return false;
        }
        // A camp is at least a quarter of the ballots and at least two people: one outlier is not a camp.
        let strong = |count: u32| count * 4 >= n && count >= 2;
        let levels = self.counts.len();
        for low in 0..levels {
            for high in (low + 2)..levels {
                let (a, b) = (self.counts[low], self.counts[high]);
                if strong(a) && strong(b) && self.counts[low + 1..high].iter().all(|&c| c < a.min(b)) {
                    return true;
                }
            }
        }
        false
    }
}

/// Statistics of a tally, computed over the level ballots only (not-relevant is counted apart).
/// Every optional field is `None` when no one answered with a level.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spread {
    pub n: u32,
    pub not_relevant: u32,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub iqr: Option<f64>,
    /// Share (0–1) of ballots on the most common level.
    pub mode_share: Option<f64>,
    /// Share (0–1) of ballots within ±1 level of the median.
    pub within_one: Option<f64>,
    /// Tastle–Wierman consensus, 0–1.
    pub consensus: Option<f64>,
    pub two_camps: bool,
    /// The level pre-selected when locking: the median rounded half down.
    pub suggested: Option<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tally(counts: [u32; 5]) -> Tally {
        Tally { counts: counts.to_vec(), not_relevant: 0 }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn an_empty_tally_has_no_statistics() {
        let spread = tally([0; 5]).spread();
        assert_eq!(spread.n, 0);
        assert_eq!(spread.median, None);
        assert_eq!(spread.consensus, None);
        assert!(!spread.two_camps);
    }

    #[test]
    fn one_vote_has_full_consensus_and_no_spread() {
        let spread = tally([0, 0, 1, 0, 0]).spread();
        assert_eq!(spread.median, Some(3.0));
        assert_eq!(spread.iqr, Some(0.0));
        assert_eq!(spread.consensus, Some(1.0));
        assert_eq!(spread.mode_share, Some(1.0));
        assert_eq!(spread.suggested, Some(3));
    }

    #[test]
    fn two_equal_camps_at_the_ends_have_zero_consensus() {
        let spread = tally([4, 0, 0, 0, 4]).spread();
        assert!(close(spread.consensus.unwrap(), 0.0));
        assert!(spread.two_camps);
        assert_eq!(spread.median, Some(3.0));
    }

    #[test]
    fn a_uniform_spread_matches_the_hand_computed_value() {
        // μ = 3; distances 2,1,0,1,2 of a width of 4: 1 + (2·log2(0.5) + 2·log2(0.75)) / 5 ≈ 0.434.
        let spread = tally([1, 1, 1, 1, 1]).spread();
        let cns = spread.consensus.unwrap();
        assert!((cns - 0.4340).abs() < 0.001, "{cns}");
        assert!(!spread.two_camps);
    }

    #[test]
    fn neighbouring_levels_split_evenly_have_high_consensus() {
        // μ = 3.5, each vote is 0.5/4 from the mean: 1 + log2(0.875) ≈ 0.807.
        let spread = tally([0, 0, 2, 2, 0]).spread();
        assert!((spread.consensus.unwrap() - 0.8074).abs() < 0.001);
        assert_eq!(spread.median, Some(3.5));
        assert_eq!(spread.suggested, Some(3));
        assert!(!spread.two_camps);
    }

    #[test]
    fn quartiles_interpolate_between_order_statistics() {
        // Values 1,2,2,3,4,4,4,5: type 7 gives q1 = 2, median = 3.5, q3 = 4.
        let spread = tally([1, 2, 1, 3, 1]).spread();
        assert_eq!(spread.q1, Some(2.0));
        assert_eq!(spread.median, Some(3.5));
        assert_eq!(spread.q3, Some(4.0));
        assert_eq!(spread.iqr, Some(2.0));
        // Within ±1 of 3.5: levels 3 and 4 → 4 of 8.
        assert_eq!(spread.within_one, Some(0.5));
        assert_eq!(spread.mode_share, Some(3.0 / 8.0));
    }

    #[test]
    fn a_valley_between_two_peaks_is_two_camps_but_a_slope_is_not() {
        assert!(tally([0, 3, 1, 3, 0]).spread().two_camps);
        assert!(!tally([0, 3, 3, 3, 0]).spread().two_camps);
        assert!(!tally([0, 4, 3, 1, 0]).spread().two_camps);
        // A small second group (under a quarter) is not a camp, and neither is one person.
        assert!(!tally([1, 0, 0, 6, 0]).spread().two_camps);
        assert!(!tally([0, 1, 2, 0, 1]).spread().two_camps);
        assert!(tally([0, 2, 0, 2, 0]).spread().two_camps);
    }

    #[test]
    fn not_relevant_ballots_are_counted_apart() {
        let t = Tally { counts: vec![0, 0, 2, 0, 0], not_relevant: 3 };
        let spread = t.spread();
        assert_eq!(spread.n, 2);
        assert_eq!(spread.not_relevant, 3);
        assert_eq!(t.voters(), 5);
        assert_eq!(spread.consensus, Some(1.0));
    }

    proptest! {
        #[test]
        fn statistics_stay_within_their_bounds(counts in proptest::array::uniform5(0u32..50)) {
            let spread = tally(counts).spread();
            if spread.n > 0 {
                let (q1, median, q3) = (spread.q1.unwrap(), spread.median.unwrap(), spread.q3.unwrap());
                prop_assert!(1.0 <= q1 && q1 <= median && median <= q3 && q3 <= 5.0);
                let cns = spread.consensus.unwrap();
                prop_assert!((0.0..=1.0).contains(&cns));
                let mode = spread.mode_share.unwrap();
                prop_assert!((0.2 - 1e-12..=1.0).contains(&mode));
                prop_assert!(spread.within_one.unwrap() > 0.0);
                let suggested = spread.suggested.unwrap();
                prop_assert!((1..=5).contains(&suggested));
            }
        }

        #[test]
        fn consensus_is_one_exactly_when_everyone_agrees(level in 0usize..5, n in 1u32..100) {
            let mut counts = [0u32; 5];
            counts[level] = n;
            prop_assert_eq!(tally(counts).spread().consensus, Some(1.0));
        }

        #[test]
        fn mirroring_the_scale_keeps_consensus(counts in proptest::array::uniform5(0u32..30)) {
            let mut mirrored = counts;
            mirrored.reverse();
            let (a, b) = (tally(counts).spread(), tally(mirrored).spread());
            if let (Some(x), Some(y)) = (a.consensus, b.consensus) {
                prop_assert!((x - y).abs() < 1e-9);
            }
        }
    }
}
