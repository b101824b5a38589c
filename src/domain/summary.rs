//! Read models built from a session's facts: the summary of an assessment (levels per indicator and area,
//! where the group disagreed most), the priorities from a prioritisation vote, and the comparison of two
//! occasions. Pure functions of session state; nothing here is stored.

use super::catalogue::Text;
use super::kinds::points::PointsTally;
use super::kinds::{ItemKind, RoundTally};
use super::session::{Action, Session};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many indicators the summary lists as the ones the group disagreed most about.
pub const DISAGREEMENTS: usize = 5;

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The highest level of the scale the indicators share, for drawing the radar chart.
    pub top: u8,
    pub indicators: Vec<IndicatorSummary>,
    pub areas: Vec<AreaSummary>,
    /// Indicator ids, lowest first-round consensus first.
    pub disagreements: Vec<String>,
    /// Scale items without a locked level.
    pub open: usize,
    /// Indicator ids in priority order, from the latest prioritisation vote with answers (empty if none).
    pub priorities: Vec<Priority>,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorSummary {
    pub id: String,
    pub area: Option<String>,
    pub title: Text,
    pub level: Option<u8>,
    pub note: Option<String>,
    pub dissent: Option<String>,
    /// Tastle–Wierman consensus of the first round, if it was revealed and had level answers.
    pub first_consensus: Option<f64>,
    pub first_n: u32,
    pub rounds: usize,
    pub replaces: Vec<String>,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaSummary {
    pub id: String,
    pub name: Text,
    /// Mean locked level of the area's indicators, over the locked ones.
    pub average: Option<f64>,
    pub locked: usize,
    pub indicators: usize,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Priority {
    pub item: String,
    pub points: u64,
    pub supporters: u32,
}

/// Summarises the scale items of a session.
pub fn summarise(session: &Session) -> Summary {
    let spec = &session.spec;
    let mut indicators = Vec::new();
    let mut top = 0;
    for (item, state) in spec.items.iter().zip(&session.items) {
        let Some(scale) = session.scale_of(item) else { continue };
        top = top.max(scale.top());
        // Only a revealed round's spread: the summary is shared with phones, screens and anyone with the
        // link, who must never learn how a round that was not revealed went.
        let first = state.rounds.first().filter(|r| r.revealed).and_then(|r| r.tally.spread());
        indicators.push(IndicatorSummary {
            id: item.id.clone(),
            area: item.area.clone(),
            title: item.title.clone(),
            level: state.consensus.as_ref().map(|c| c.level),
            note: state.consensus.as_ref().map(|c| c.note.clone()),
            dissent: state.consensus.as_ref().and_then(|c| c.dissent.clone()),
            first_consensus: first.as_ref().and_then(|s| s.consensus),
            first_n: first.as_ref().map(|s| s.n).unwrap_or(0),
            rounds: state.rounds.len(),
            replaces: item.replaces.clone(),
        });
    }
    let areas = spec
        .areas
        .iter()
        .map(|area| {
            let members: Vec<&IndicatorSummary> =
                indicators.iter().filter(|i| i.area.as_deref() == Some(area.id.as_str())).collect();
            let levels: Vec<f64> = members.iter().filter_map(|i| i.level.map(f64::from)).collect();
            AreaSummary {
                id: area.id.clone(),
                name: area.name.clone(),
                average: (!levels.is_empty()).then(|| levels.iter().sum::<f64>() / levels.len() as f64),
                locked: levels.len(),
                indicators: members.len(),
            }
        })
        .collect();
    // Only rounds with at least two level answers say anything about agreement.
    let mut contested: Vec<(&IndicatorSummary, f64)> =
        indicators.iter().filter(|i| i.first_n >= 2).filter_map(|i| i.first_consensus.map(|c| (i, c))).collect();
    contested.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.id.cmp(&b.0.id)));
    let disagreements = contested.iter().take(DISAGREEMENTS).map(|(i, _)| i.id.clone()).collect();
    let open = indicators.iter().filter(|i| i.level.is_none()).count();
    Summary { top, indicators, areas, disagreements, open, priorities: priorities(session) }
}

/// The latest prioritisation (a points item with targets) that has answers, its targets by points.
fn priorities(session: &Session) -> Vec<Priority> {
    for (item, state) in session.spec.items.iter().zip(&session.items).rev() {
        let ItemKind::Points(points) = &item.kind else { continue };
        let targets = &points.targets;
        if targets.is_empty() {
            continue;
        }
        let Some(RoundTally::Points(PointsTally { totals, supporters })) =
            state.rounds.iter().rev().find(|r| r.voters() > 0).map(|r| &r.tally)
        else {
            continue;
        };
        let mut list: Vec<Priority> = targets
            .iter()
            .zip(totals.iter().zip(supporters))
            .map(|(target, (points, supporters))| Priority {
                item: target.clone(),
                points: *points,
                supporters: *supporters,
            })
            .collect();
        list.sort_by(|a, b| b.points.cmp(&a.points).then(b.supporters.cmp(&a.supporters)).then(a.item.cmp(&b.item)));
        return list;
    }
    Vec::new()
}

/// An action plan in priority order: actions on prioritised indicators first (highest points first), then the rest in agenda order.
pub fn ordered_plan<'a>(session: &'a Session, summary: &Summary) -> Vec<&'a Action> {
    let rank = |item: &str| {
        let prioritised = summary.priorities.iter().position(|p| p.item == item);
        let agenda = session.item_index(item).unwrap_or(usize::MAX);
        (prioritised.unwrap_or(usize::MAX), agenda)
    };
    let mut plan: Vec<&Action> = session.actions.iter().collect();
    plan.sort_by_key(|a| rank(&a.item));
    plan
}

/// Two occasions side by side: per indicator and per area, the level then and now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub indicators: Vec<IndicatorChange>,
    pub areas: Vec<AreaChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorChange {
    pub id: String,
    /// Whether the earlier occasion had this indicator (by id or through `replaces`).
    pub in_then: bool,
    /// The indicator's id in the earlier occasion, when it differs (a renamed indicator).
    pub then_id: Option<String>,
    pub area: Option<String>,
    pub title: Text,
    pub then: Option<u8>,
    pub now: Option<u8>,
    /// now − then, when both are locked.
    pub moved: Option<i16>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaChange {
    pub id: String,
    pub name: Text,
    pub then: Option<f64>,
    pub now: Option<f64>,
}

/// Compares an earlier summary with a later one. Indicators are matched by id, or through the later
/// indicator's `replaces` list when the catalogue version renamed them.
pub fn compare(then: &Summary, now: &Summary) -> Comparison {
    let earlier: BTreeMap<&str, &IndicatorSummary> = then.indicators.iter().map(|i| (i.id.as_str(), i)).collect();
    let indicators = now
        .indicators
        .iter()
        .map(|current| {
            let matched = earlier
                .get(current.id.as_str())
                .copied()
                .or_else(|| current.replaces.iter().find_map(|old| earlier.get(old.as_str()).copied()));
            let then_level = matched.and_then(|m| m.level);
            IndicatorChange {
                id: current.id.clone(),
                in_then: matched.is_some(),
                then_id: matched.filter(|m| m.id != current.id).map(|m| m.id.clone()),
                area: current.area.clone(),
                title: current.title.clone(),
                then: then_level,
                now: current.level,
                moved: then_level.zip(current.level).map(|(a, b)| b as i16 - a as i16),
            }
        })
        .collect();
    let areas = now
        .areas
        .iter()
        .map(|area| AreaChange {
            id: area.id.clone(),
            name: area.name.clone(),
            then: then.areas.iter().find(|a| a.id == area.id).and_then(|a| a.average),
            now: area.average,
        })
        .collect();
    Comparison { indicators, areas }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::{Catalogue, BUILT_IN};
    use crate::domain::session::{Actor, Command, SessionSpec};
    use crate::domain::RawAnswer;

    fn workshop() -> Session {
        let catalogue: Catalogue = serde_json::from_str(BUILT_IN[0].1).unwrap();
        let mut s = Session::new(SessionSpec::workshop(&catalogue, "Test").unwrap());
        for p in 0..4 {
            let e = s.join(format!("t{p}"));
            s.apply(&e);
        }
        s
    }

    fn run(s: &mut Session, actor: Actor, command: Command) {
        for e in s.decide(actor, command, 7).unwrap() {
            s.apply(&e);
        }
    }

    fn assess(s: &mut Session, item: &str, votes: [i64; 4], level: u8) {
        run(s, Actor::Facilitator, Command::Open { item: item.into() });
        for (p, v) in votes.iter().enumerate() {
            run(
                s,
                Actor::Participant(p as u32 + 1),
                Command::Vote { item: item.into(), round: 1, answer: RawAnswer::Number(*v), room_word: None },
            );
        }
        run(s, Actor::Facilitator, Command::Reveal { item: item.into() });
        run(
            s,
            Actor::Facilitator,
            Command::Lock { item: item.into(), level, note: format!("note {item}"), dissent: None, by: None },
        );
    }

    #[test]
    fn the_summary_averages_areas_and_finds_the_disagreements() {
        let mut s = workshop();
        assess(&mut s, "L1", [1, 1, 5, 5], 3);
        assess(&mut s, "L2", [4, 4, 4, 4], 4);
        assess(&mut s, "I1", [2, 3, 2, 3], 2);
        let summary = summarise(&s);
        assert_eq!(summary.top, 5);
        assert_eq!(summary.open, 29);
        let leadership = &summary.areas[0];
        assert_eq!((leadership.average, leadership.locked, leadership.indicators), (Some(3.5), 2, 8));
        assert_eq!(summary.areas[1].average, Some(2.0));
        assert_eq!(summary.areas[2].average, None);
        assert_eq!(summary.disagreements, ["L1", "I1", "L2"], "lowest first-round consensus first");
        assert_eq!(summary.indicators[0].note.as_deref(), Some("note L1"));
    }

    #[test]
    fn a_round_never_revealed_tells_the_summary_nothing_about_agreement() {
        let mut s = workshop();
        assess(&mut s, "L1", [1, 1, 5, 5], 3);
        // L2: voted, closed and locked without a reveal; the split must not show in a shared summary.
        run(&mut s, Actor::Facilitator, Command::Open { item: "L2".into() });
        for p in 1..=4 {
            let answer = RawAnswer::Number(if p % 2 == 0 { 1 } else { 5 });
            run(&mut s, Actor::Participant(p), Command::Vote { item: "L2".into(), round: 1, answer, room_word: None });
        }
        run(&mut s, Actor::Facilitator, Command::Close { item: "L2".into() });
        let lock = Command::Lock { item: "L2".into(), level: 2, note: String::new(), dissent: None, by: None };
        run(&mut s, Actor::Facilitator, lock);
        let summary = summarise(&s);
        let l2 = summary.indicators.iter().find(|i| i.id == "L2").unwrap();
        assert_eq!((l2.first_consensus, l2.first_n, l2.level), (None, 0, Some(2)));
        assert_eq!(summary.disagreements, ["L1"], "only revealed rounds");
    }

    #[test]
    fn a_prioritisation_over_the_gaps_orders_the_action_plan() {
        let mut s = workshop();
        assess(&mut s, "L1", [2, 2, 2, 2], 2);
        assess(&mut s, "L2", [5, 5, 5, 5], 5);
        assess(&mut s, "I1", [1, 1, 1, 1], 1);
        run(&mut s, Actor::Facilitator, Command::StartPrioritisation { max_level: 3, budget: 10 });
        let prio = s.spec.items.last().unwrap().clone();
        let ItemKind::Points(points) = &prio.kind else { panic!() };
        assert_eq!(points.targets, ["L1", "I1"], "only gaps at or below the level, in agenda order");
        assert_eq!(s.current, s.item_index(&prio.id), "the vote opens at once");
        for p in 1..=3 {
            let answer = RawAnswer::List(if p == 1 { vec![10, 0] } else { vec![2, 8] });
            run(
                &mut s,
                Actor::Participant(p),
                Command::Vote { item: prio.id.clone(), round: 1, answer, room_word: None },
            );
        }
        let summary = summarise(&s);
        assert_eq!(summary.priorities[0], Priority { item: "I1".into(), points: 16, supporters: 2 });
        assert_eq!(summary.priorities[1], Priority { item: "L1".into(), points: 14, supporters: 3 });
        for item in ["L1", "I1", "L2"] {
            let command = Command::SetAction {
                id: None,
                item: item.into(),
                text: format!("Gör något åt {item}"),
                owner: "Chef".into(),
                due: Some("2027-03-31".into()),
                status: Default::default(),
            };
            run(&mut s, Actor::Facilitator, command);
        }
        let plan: Vec<&str> = ordered_plan(&s, &summary).iter().map(|a| a.item.as_str()).collect();
        assert_eq!(plan, ["I1", "L1", "L2"]);
        assert_eq!(s.actions[2].id, "a3");
    }

    #[test]
    fn comparison_matches_renamed_indicators_and_reports_movement() {
        let mut before = workshop();
        assess(&mut before, "L1", [2, 2, 2, 2], 2);
        assess(&mut before, "L2", [3, 3, 3, 3], 3);
        let mut after = workshop();
        assess(&mut after, "L1", [4, 4, 4, 4], 4);
        let mut now = summarise(&after);
        now.indicators[1].id = "L2-ny".into();
        now.indicators[1].replaces = vec!["L2".into()];
        let comparison = compare(&summarise(&before), &now);
        assert_eq!(comparison.indicators[0].moved, Some(2));
        assert_eq!((comparison.indicators[1].then, comparison.indicators[1].then_id.as_deref()), (Some(3), Some("L2")));
        assert_eq!(comparison.areas[0].then, Some(2.5));
        assert_eq!(comparison.areas[0].now, Some(4.0));
    }
}
