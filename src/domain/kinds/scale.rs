//! Scale items: a level on one of the session's ordinal scales, or "not relevant" where the scale offers it. The
//! indicators of an assessment are scale items. Their tally is [`Tally`], from which `spread` derives the statistics.

use super::Results;
use super::{invalid, KindError, RawAnswer};
use crate::domain::catalogue::Scale;
use crate::domain::spread::Tally;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A level on a scale; `scale` names one of the session's scales, so a workshop sends its scale once.
// `ts(tag, rename)`: TypeScript inlines this with its tag, as one object (see `ItemKind`).
#[cfg_attr(test, derive(ts_rs::TS), ts(tag = "kind", rename = "scale"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleKind {
    pub scale: String,
}

impl ScaleKind {
    pub const NAME: &'static str = "scale";
    pub const LABEL: (&'static str, &'static str) = ("Skala", "Scale");
    /// An assessment shows the levels only after the reveal, so each answers before seeing the others.
    pub const RESULTS: Results = Results::AfterReveal;

    pub fn slots(&self, scales: &BTreeMap<String, Scale>) -> usize {
        scales.get(&self.scale).map(|s| s.levels.len()).unwrap_or(0)
    }

    pub fn output<'a>(&self, scales: &'a BTreeMap<String, Scale>) -> ScaleOutput<'a> {
        ScaleOutput { scale: scales.get(&self.scale) }
    }
}

/// A scale item in an item-set file, its scale written out.
#[derive(Debug, Clone, Deserialize)]
pub struct ScaleInput {
    pub scale: Scale,
}

impl ScaleInput {
    /// Checks the scale and names it: an equal scale in `scales` or `known` lends its name (so a re-imported workshop
    /// keeps sending its scale once); a new one is added to `scales` as `s1`, `s2`, ….
    pub fn checked(
        self,
        scales: &mut BTreeMap<String, Scale>,
        known: &BTreeMap<String, Scale>,
    ) -> Result<ScaleKind, KindError> {
        let scale = self.scale;
        if !scale.is_well_formed() {
            let message = "a scale needs 2 to 10 levels numbered 1, 2, 3, … in order, each with a label";
            return Err(invalid("scale", message));
        }
        let name = scales
            .iter()
            .chain(known.iter())
            .find(|(_, existing)| **existing == scale)
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| {
                let taken = |n: &String| scales.contains_key(n) || known.contains_key(n);
                (1..).map(|n| format!("s{n}")).find(|n| !taken(n)).expect("unbounded")
            });
        scales.insert(name.clone(), scale);
        Ok(ScaleKind { scale: name })
    }
}

/// A scale item as an exported item set writes it: the scale itself rather than its name.
#[derive(Debug, Serialize)]
pub struct ScaleOutput<'a> {
    pub scale: Option<&'a Scale>,
}

/// A ballot on a scale item. Stored as the level's number, or as `"not_relevant"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScaleAnswer {
    Level(u8),
    /// "Not relevant" on a scale that offers it; counted apart from the levels.
    NotRelevant,
}

impl Serialize for ScaleAnswer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ScaleAnswer::Level(level) => s.serialize_u8(*level),
            ScaleAnswer::NotRelevant => s.serialize_str("not_relevant"),
        }
    }
}

impl<'de> Deserialize<'de> for ScaleAnswer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Level(u8),
            Word(String),
        }
        match Stored::deserialize(d)? {
            Stored::Level(level) => Ok(ScaleAnswer::Level(level)),
            Stored::Word(word) if word == "not_relevant" => Ok(ScaleAnswer::NotRelevant),
            Stored::Word(word) => Err(serde::de::Error::custom(format!("unknown answer {word:?}"))),
        }
    }
}

/// A level of `scale`, or "not relevant" if the scale offers it; `None` for anything else.
pub fn check(raw: &RawAnswer, scale: &Scale) -> Option<ScaleAnswer> {
    match raw {
        RawAnswer::Number(n) => {
            let level = u8::try_from(*n).ok()?;
            scale.contains(level).then_some(ScaleAnswer::Level(level))
        }
        RawAnswer::Word(word) if word == "not_relevant" => {
            scale.not_relevant.as_ref().map(|_| ScaleAnswer::NotRelevant)
        }
        RawAnswer::Word(_) | RawAnswer::List(_) => None,
    }
}

/// An empty tally with a slot for each level of `scale` (none without a scale).
pub fn new_tally(scale: Option<&Scale>) -> Tally {
    Tally::new(scale.map(Scale::top).unwrap_or(0))
}

/// Adds (`sign` = 1) or removes (`sign` = -1) one ballot; a level off the tally is ignored.
pub fn count(tally: &mut Tally, answer: &ScaleAnswer, sign: i64) {
    match answer {
        ScaleAnswer::Level(level) => {
            if let Some(slot) = tally.counts.get_mut((*level as usize).wrapping_sub(1)) {
                super::bump(slot, sign);
            }
        }
        ScaleAnswer::NotRelevant => super::bump(&mut tally.not_relevant, sign),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::{Level, NotRelevant, Text};

    fn scale(not_relevant: bool) -> Scale {
        Scale {
            levels: (1..=4).map(|l| Level { level: l, label: Text::both("x"), definition: Text::default() }).collect(),
            not_relevant: not_relevant.then(|| NotRelevant { label: Text::both("-"), definition: Text::default() }),
        }
    }

    #[test]
    fn a_scale_takes_its_levels_and_not_relevant_only_where_offered() {
        let not_relevant = RawAnswer::Word("not_relevant".into());
        assert_eq!(check(&RawAnswer::Number(4), &scale(false)), Some(ScaleAnswer::Level(4)));
        assert_eq!(check(&RawAnswer::Number(5), &scale(false)), None);
        assert_eq!(check(&RawAnswer::Number(0), &scale(false)), None);
        assert_eq!(check(&RawAnswer::Number(-1), &scale(false)), None);
        assert_eq!(check(&not_relevant, &scale(true)), Some(ScaleAnswer::NotRelevant));
        assert_eq!(check(&not_relevant, &scale(false)), None);
        assert_eq!(check(&RawAnswer::List(vec![2]), &scale(true)), None);
    }

    #[test]
    fn removing_a_ballot_undoes_adding_it_and_never_goes_below_zero() {
        let mut tally = new_tally(Some(&scale(true)));
        count(&mut tally, &ScaleAnswer::Level(2), 1);
        count(&mut tally, &ScaleAnswer::NotRelevant, 1);
        assert_eq!((tally.counts.clone(), tally.not_relevant), (vec![0, 1, 0, 0], 1));
        count(&mut tally, &ScaleAnswer::Level(2), -1);
        count(&mut tally, &ScaleAnswer::Level(2), -1);
        count(&mut tally, &ScaleAnswer::Level(9), 1);
        assert_eq!((tally.counts, tally.not_relevant), (vec![0; 4], 1));
    }
}
