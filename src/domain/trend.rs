//! The trend over any number of occasions of one organisation: per indicator and per area, the locked
//! level at each occasion, oldest first. Indicators are followed across catalogue versions through
//! `replaces`: an indicator new in a version starts its line there, one dropped ends its line. Pure: built
//! from summaries, nothing stored.

use super::catalogue::Text;
use super::summary::Summary;
use serde::Serialize;

/// One finished occasion, as the trend names it.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendOccasion {
    pub code: String,
    pub title: String,
    /// The date of the assessment, `YYYY-MM-DD`.
    pub date: String,
    /// The unit (verksamhetsområde) assessed, if one was named.
    pub field: Option<String>,
    /// The catalogue and version the occasion used.
    pub catalogue: Option<String>,
    pub version: Option<String>,
}

/// One indicator followed over the occasions.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorLine {
    /// Its id in the newest occasion that has it.
    pub id: String,
    pub area: Option<String>,
    pub title: Text,
    /// Its id at each occasion (`None`: not in that occasion's catalogue version).
    pub ids: Vec<Option<String>>,
    /// The locked level at each occasion (`None`: not there, or not locked).
    pub levels: Vec<Option<u8>>,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaLine {
    pub id: String,
    pub name: Text,
    /// The mean locked level of the area at each occasion.
    pub averages: Vec<Option<f64>>,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Oldest first.
    pub occasions: Vec<TrendOccasion>,
    /// The highest level of the scales, for drawing.
    pub top: u8,
    pub indicators: Vec<IndicatorLine>,
    pub areas: Vec<AreaLine>,
}

/// The trend of `occasions`, each with its summary, in any order: they are put oldest first by date.
pub fn trend(mut occasions: Vec<(TrendOccasion, Summary)>) -> Trend {
    occasions.sort_by(|a, b| a.0.date.cmp(&b.0.date).then(a.0.code.cmp(&b.0.code)));
    let count = occasions.len();
    let mut lines: Vec<(IndicatorLine, Vec<String>)> = Vec::new();
    // Newest first: each indicator joins the line that knows its id (directly or through a later
    // version's `replaces`) and has no entry for this occasion yet; otherwise it starts a line.
    for (at, (_, summary)) in occasions.iter().enumerate().rev() {
        for indicator in &summary.indicators {
            let known =
                lines.iter_mut().find(|(line, aliases)| line.ids[at].is_none() && aliases.contains(&indicator.id));
            let (line, aliases) = match known {
                Some(found) => found,
                None => {
                    let line = IndicatorLine {
                        id: indicator.id.clone(),
                        area: indicator.area.clone(),
                        title: indicator.title.clone(),
                        ids: vec![None; count],
                        levels: vec![None; count],
                    };
                    lines.push((line, vec![indicator.id.clone()]));
                    lines.last_mut().expect("just pushed")
                }
            };
            line.ids[at] = Some(indicator.id.clone());
            line.levels[at] = indicator.level;
            aliases.extend(indicator.replaces.iter().cloned());
        }
    }
    let mut areas: Vec<AreaLine> = Vec::new();
    for (at, (_, summary)) in occasions.iter().enumerate() {
        for area in &summary.areas {
            let index = match areas.iter().position(|a| a.id == area.id) {
                Some(index) => index,
                None => {
                    areas.push(AreaLine { id: area.id.clone(), name: area.name.clone(), averages: vec![None; count] });
                    areas.len() - 1
                }
            };
            areas[index].name = area.name.clone();
            areas[index].averages[at] = area.average;
        }
    }
    let top = occasions.iter().map(|(_, s)| s.top).max().unwrap_or(0);
    let indicators = lines.into_iter().map(|(line, _)| line).collect();
    Trend { occasions: occasions.into_iter().map(|(occasion, _)| occasion).collect(), top, indicators, areas }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::summary::{AreaSummary, IndicatorSummary};

    fn indicator(id: &str, level: Option<u8>, replaces: &[&str]) -> IndicatorSummary {
        IndicatorSummary {
            id: id.into(),
            area: Some("L".into()),
            title: Text::default(),
            level,
            note: None,
            dissent: None,
            first_consensus: None,
            first_n: 0,
            rounds: 1,
            replaces: replaces.iter().map(|r| r.to_string()).collect(),
        }
    }

    fn occasion(code: &str, date: &str, indicators: Vec<IndicatorSummary>) -> (TrendOccasion, Summary) {
        let levels: Vec<f64> = indicators.iter().filter_map(|i| i.level.map(f64::from)).collect();
        let average = (!levels.is_empty()).then(|| levels.iter().sum::<f64>() / levels.len() as f64);
        let area = AreaSummary {
            id: "L".into(),
            name: Text::default(),
            average,
            locked: levels.len(),
            indicators: indicators.len(),
        };
        let summary =
            Summary { top: 5, indicators, areas: vec![area], disagreements: vec![], open: 0, priorities: vec![] };
        let occasion = TrendOccasion {
            code: code.into(),
            title: code.into(),
            date: date.into(),
            field: None,
            catalogue: Some("lika".into()),
            version: None,
        };
        (occasion, summary)
    }

    #[test]
    fn indicators_are_followed_over_three_versions_and_new_ones_start_where_they_appear() {
        // 2024: L1 and L2. 2026: L2 renamed L2b. 2028: L2b renamed L2c, L3 new, L1 dropped.
        let trend = trend(vec![
            occasion("2028", "2028-03-01", vec![indicator("L2c", Some(4), &["L2b"]), indicator("L3", Some(2), &[])]),
            occasion("2024", "2024-03-01", vec![indicator("L1", Some(1), &[]), indicator("L2", Some(2), &[])]),
            occasion("2026", "2026-03-01", vec![indicator("L1", Some(2), &[]), indicator("L2b", None, &["L2"])]),
        ]);
        let dates: Vec<&str> = trend.occasions.iter().map(|o| o.date.as_str()).collect();
        assert_eq!(dates, ["2024-03-01", "2026-03-01", "2028-03-01"], "oldest first");
        let line = |id: &str| trend.indicators.iter().find(|l| l.id == id).unwrap();
        assert_eq!(line("L2c").levels, [Some(2), None, Some(4)], "followed through two renames; not locked in 2026");
        assert_eq!(line("L2c").ids, [Some("L2".into()), Some("L2b".into()), Some("L2c".into())]);
        assert_eq!(line("L3").levels, [None, None, Some(2)], "new in 2028: its line starts there");
        assert_eq!(line("L1").levels, [Some(1), Some(2), None], "dropped in 2028: its line ends");
        assert_eq!(trend.indicators.len(), 3);
        assert_eq!(trend.areas[0].averages, [Some(1.5), Some(2.0), Some(3.0)]);
    }

    #[test]
    fn one_occasion_is_a_trend_of_one_point_and_none_is_empty() {
        let one = trend(vec![occasion("a", "2026-01-01", vec![indicator("L1", Some(3), &[])])]);
        assert_eq!(one.indicators[0].levels, [Some(3)]);
        let none = trend(vec![]);
        assert!(none.occasions.is_empty() && none.indicators.is_empty() && none.areas.is_empty());
    }
}
