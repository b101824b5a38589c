//! A session's state and its rules: who may do what, in which phase. Commands are decided into events;
//! events are the durable facts and the only way state changes, so replaying them rebuilds a session exactly.

use super::catalogue::{Catalogue, Scale, Text};
use super::spread::Tally;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Longest note, dissent or title, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
pub const MAX_TITLE_CHARS: usize = 200;

/// A participant's number within one session. Anonymous: it stands for a resume token, not a person.
pub type ParticipantNo = u32;

/// Who sends a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Facilitator,
    Participant(ParticipantNo),
    Screen,
}

/// One answer on a scale item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Level(u8),
    NotRelevant,
}

impl Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Level(level) => s.serialize_u8(*level),
            Answer::NotRelevant => s.serialize_str("not_relevant"),
        }
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Level(i64),
            Word(String),
        }
        match Raw::deserialize(d)? {
            // Any number is accepted here so that one off the scale is refused as `invalid_answer`, not as bad JSON.
            Raw::Level(level) => Ok(Answer::Level(u8::try_from(level).unwrap_or(u8::MAX))),
            Raw::Word(word) if word == "not_relevant" => Ok(Answer::NotRelevant),
            Raw::Word(word) => Err(serde::de::Error::custom(format!("unknown answer {word:?}"))),
        }
    }
}

/// One item as the facilitator set it up; fixed for the session's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSpec {
    pub id: String,
    pub area: String,
    pub title: Text,
    pub description: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaSpec {
    pub id: String,
    pub name: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueRef {
    pub id: String,
    pub version: String,
}

/// What a session is about: its title, scale and items. Stored once when the session is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSpec {
    pub title: String,
    pub catalogue: CatalogueRef,
    pub scale: Scale,
    pub areas: Vec<AreaSpec>,
    pub items: Vec<ItemSpec>,
}

impl SessionSpec {
    /// A workshop over every indicator of a catalogue, in catalogue order.
    pub fn workshop(catalogue: &Catalogue, title: &str) -> Result<Self, DomainError> {
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(DomainError::TextTooLong);
        }
        let title = if title.trim().is_empty() {
            catalogue.title.sv.clone()
        } else {
            title.trim().to_string()
        };
        Ok(SessionSpec {
            title,
            catalogue: CatalogueRef {
                id: catalogue.id.clone(),
                version: catalogue.version.clone(),
            },
            scale: catalogue.scale.clone(),
            areas: catalogue
                .areas
                .iter()
                .map(|a| AreaSpec {
                    id: a.id.clone(),
                    name: a.name.clone(),
                })
                .collect(),
            items: catalogue
                .areas
                .iter()
                .flat_map(|area| {
                    area.indicators.iter().map(|i| ItemSpec {
                        id: i.id.clone(),
                        area: area.id.clone(),
                        title: i.title.clone(),
                        description: i.description.clone(),
                    })
                })
                .collect(),
        })
    }
}

/// What a client asks for. Decided by [`Session::decide`] into events, or refused with a [`DomainError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Vote {
        item: String,
        round: u32,
        answer: Answer,
    },
    Open {
        item: String,
    },
    Close {
        item: String,
    },
    Reveal {
        item: String,
    },
    Revote {
        item: String,
    },
    Lock {
        item: String,
        level: u8,
        note: String,
        dissent: Option<String>,
    },
    Reopen {
        item: String,
    },
    Goto {
        item: Option<String>,
    },
}

/// A durable fact. Stored in order; applying them in order rebuilds the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    ParticipantJoined {
        participant: ParticipantNo,
        token: String,
    },
    RoundOpened {
        item: String,
        round: u32,
    },
    BallotCast {
        item: String,
        round: u32,
        participant: ParticipantNo,
        answer: Answer,
    },
    RoundClosed {
        item: String,
        round: u32,
    },
    RoundRevealed {
        item: String,
        round: u32,
    },
    ConsensusLocked {
        item: String,
        level: u8,
        note: String,
        dissent: Option<String>,
        at: i64,
    },
    ConsensusReopened {
        item: String,
        at: i64,
    },
    CurrentSet {
        item: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("only the facilitator may do that")]
    Forbidden,
    #[error("there is no item {0:?} in this session")]
    UnknownItem(String),
    #[error("voting on round {round} of {item} is not open")]
    RoundClosed { item: String, round: u32 },
    #[error("that answer is not on the scale")]
    InvalidAnswer,
    #[error("{action} is not possible while {item} is {phase}")]
    InvalidTransition {
        action: &'static str,
        item: String,
        phase: Phase,
    },
    #[error("level {0} is not on the scale")]
    InvalidLevel(u8),
    #[error("the text is longer than {MAX_TEXT_CHARS} characters")]
    TextTooLong,
}

impl DomainError {
    /// The stable code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Forbidden => "forbidden",
            DomainError::UnknownItem(_) => "unknown_item",
            DomainError::RoundClosed { .. } => "round_closed",
            DomainError::InvalidAnswer => "invalid_answer",
            DomainError::InvalidTransition { .. } => "invalid_transition",
            DomainError::InvalidLevel(_) => "invalid_level",
            DomainError::TextTooLong => "text_too_long",
        }
    }
}

/// Where an item is in the workshop flow. Derived from its rounds and consensus, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Pending,
    Voting,
    Closed,
    Revealed,
    Locked,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = match self {
            Phase::Pending => "pending",
            Phase::Voting => "voting",
            Phase::Closed => "closed",
            Phase::Revealed => "revealed",
            Phase::Locked => "locked",
        };
        f.write_str(word)
    }
}

/// One pass of private voting on an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub number: u32,
    pub open: bool,
    pub revealed: bool,
    /// One ballot per participant; a new ballot replaces the old while the round is open.
    pub ballots: BTreeMap<ParticipantNo, Answer>,
    /// Kept in step with `ballots` so a vote costs O(1), not a recount.
    pub tally: Tally,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consensus {
    pub level: u8,
    pub note: String,
    pub dissent: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub locked_at: i64,
}

/// A lock that was later reopened; kept so the group can see how its view moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PastConsensus {
    #[serde(flatten)]
    pub consensus: Consensus,
    pub reopened_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemState {
    pub rounds: Vec<Round>,
    pub consensus: Option<Consensus>,
    pub history: Vec<PastConsensus>,
}

impl ItemState {
    pub fn phase(&self) -> Phase {
        if self.consensus.is_some() {
            return Phase::Locked;
        }
        match self.rounds.last() {
            None => Phase::Pending,
            Some(round) if round.open => Phase::Voting,
            Some(round) if round.revealed => Phase::Revealed,
            Some(_) => Phase::Closed,
        }
    }

    fn open_round(&self) -> Option<&Round> {
        self.rounds.last().filter(|r| r.open)
    }
}

/// A live session: its spec, who has joined, and every item's rounds and consensus.
#[derive(Debug, Clone)]
pub struct Session {
    pub spec: SessionSpec,
    pub items: Vec<ItemState>,
    pub current: Option<usize>,
    /// Resume token → participant number. Tokens are secrets; never show them to others.
    tokens: HashMap<String, ParticipantNo>,
    /// Number of events applied; grows with every change, so it doubles as the state version.
    pub version: u64,
}

impl Session {
    pub fn new(spec: SessionSpec) -> Self {
        let items = vec![ItemState::default(); spec.items.len()];
        Session {
            spec,
            items,
            current: None,
            tokens: HashMap::new(),
            version: 0,
        }
    }

    /// Rebuilds a session from its spec and stored events.
    pub fn replay<'a>(spec: SessionSpec, events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut session = Session::new(spec);
        for event in events {
            session.apply(event);
        }
        session
    }

    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.spec.items.iter().position(|item| item.id == id)
    }

    pub fn participant(&self, token: &str) -> Option<ParticipantNo> {
        self.tokens.get(token).copied()
    }

    pub fn participant_count(&self) -> usize {
        self.tokens.len()
    }

    /// The event that admits a new participant under `token` (a fresh random value chosen by the caller).
    pub fn join(&self, token: String) -> Event {
        Event::ParticipantJoined {
            participant: self.tokens.len() as ParticipantNo + 1,
            token,
        }
    }

    /// A participant's answer in the latest round of each item they answered, for a reconnecting phone.
    pub fn ballots_of(&self, participant: ParticipantNo) -> BTreeMap<String, (u32, Answer)> {
        self.spec
            .items
            .iter()
            .zip(&self.items)
            .filter_map(|(spec, state)| {
                let round = state.rounds.last()?;
                let answer = round.ballots.get(&participant)?;
                Some((spec.id.clone(), (round.number, *answer)))
            })
            .collect()
    }

    /// Decides a command: the events it causes, or why it is refused. Changes nothing.
    pub fn decide(
        &self,
        actor: Actor,
        command: Command,
        now: i64,
    ) -> Result<Vec<Event>, DomainError> {
        if let Command::Vote {
            item,
            round,
            answer,
        } = command
        {
            let Actor::Participant(participant) = actor else {
                return Err(DomainError::Forbidden);
            };
            return self.decide_vote(participant, item, round, answer);
        }
        if actor != Actor::Facilitator {
            return Err(DomainError::Forbidden);
        }
        if let Command::Goto { item } = command {
            if let Some(id) = &item {
                self.find(id)?;
            }
            return Ok(vec![Event::CurrentSet { item }]);
        }
        let id = match &command {
            Command::Open { item }
            | Command::Close { item }
            | Command::Reveal { item }
            | Command::Revote { item }
            | Command::Lock { item, .. }
            | Command::Reopen { item } => item.clone(),
            Command::Vote { .. } | Command::Goto { .. } => unreachable!("handled above"),
        };
        let state = self.find(&id)?;
        let phase = state.phase();
        let refuse = |action| {
            Err(DomainError::InvalidTransition {
                action,
                item: id.clone(),
                phase,
            })
        };
        let last_round = state.rounds.last().map(|r| r.number).unwrap_or(0);
        match command {
            Command::Open { .. } => match phase {
                Phase::Pending => Ok(vec![
                    Event::RoundOpened {
                        item: id.clone(),
                        round: 1,
                    },
                    Event::CurrentSet {
                        item: Some(id.clone()),
                    },
                ]),
                _ => refuse("open"),
            },
            Command::Close { .. } => match phase {
                Phase::Voting => Ok(vec![Event::RoundClosed {
                    item: id.clone(),
                    round: last_round,
                }]),
                _ => refuse("close"),
            },
            Command::Reveal { .. } => match phase {
                Phase::Voting => Ok(vec![
                    Event::RoundClosed {
                        item: id.clone(),
                        round: last_round,
                    },
                    Event::RoundRevealed {
                        item: id.clone(),
                        round: last_round,
                    },
                ]),
                Phase::Closed => Ok(vec![Event::RoundRevealed {
                    item: id.clone(),
                    round: last_round,
                }]),
                _ => refuse("reveal"),
            },
            Command::Revote { .. } => match phase {
                Phase::Closed | Phase::Revealed => Ok(vec![Event::RoundOpened {
                    item: id.clone(),
                    round: last_round + 1,
                }]),
                _ => refuse("revote"),
            },
            Command::Lock {
                level,
                note,
                dissent,
                ..
            } => {
                if !matches!(phase, Phase::Pending | Phase::Closed | Phase::Revealed) {
                    return refuse("lock");
                }
                if !self.spec.scale.contains(level) {
                    return Err(DomainError::InvalidLevel(level));
                }
                let too_long = |text: &str| text.chars().count() > MAX_TEXT_CHARS;
                if too_long(&note) || dissent.as_deref().is_some_and(too_long) {
                    return Err(DomainError::TextTooLong);
                }
                let dissent = dissent
                    .map(|d| d.trim().to_string())
                    .filter(|d| !d.is_empty());
                Ok(vec![Event::ConsensusLocked {
                    item: id.clone(),
                    level,
                    note: note.trim().to_string(),
                    dissent,
                    at: now,
                }])
            }
            Command::Reopen { .. } => match phase {
                Phase::Locked => Ok(vec![Event::ConsensusReopened {
                    item: id.clone(),
                    at: now,
                }]),
                _ => refuse("reopen"),
            },
            Command::Vote { .. } | Command::Goto { .. } => unreachable!("handled above"),
        }
    }

    fn decide_vote(
        &self,
        participant: ParticipantNo,
        item: String,
        round: u32,
        answer: Answer,
    ) -> Result<Vec<Event>, DomainError> {
        let state = self.find(&item)?;
        let valid = match answer {
            Answer::Level(level) => self.spec.scale.contains(level),
            Answer::NotRelevant => self.spec.scale.not_relevant.is_some(),
        };
        if !valid {
            return Err(DomainError::InvalidAnswer);
        }
        match state.open_round() {
            Some(open) if open.number == round => {
                if open.ballots.get(&participant) == Some(&answer) {
                    // The same answer again (a resend after reconnect): nothing new to store.
                    return Ok(vec![]);
                }
                Ok(vec![Event::BallotCast {
                    item,
                    round,
                    participant,
                    answer,
                }])
            }
            _ => Err(DomainError::RoundClosed { item, round }),
        }
    }

    fn find(&self, id: &str) -> Result<&ItemState, DomainError> {
        self.item_index(id)
            .map(|i| &self.items[i])
            .ok_or_else(|| DomainError::UnknownItem(id.to_string()))
    }

    /// Applies a stored fact. Never fails: an event that no longer fits (which `decide` never produces) is skipped.
    pub fn apply(&mut self, event: &Event) {
        self.version += 1;
        let levels = self.spec.scale.top();
        match event {
            Event::ParticipantJoined { participant, token } => {
                self.tokens.insert(token.clone(), *participant);
            }
            Event::CurrentSet { item } => {
                self.current = item.as_deref().and_then(|id| self.item_index(id));
            }
            Event::RoundOpened { item, round } => {
                if let Some(state) = self.state_mut(item) {
                    state.rounds.push(Round {
                        number: *round,
                        open: true,
                        revealed: false,
                        ballots: BTreeMap::new(),
                        tally: Tally::new(levels),
                    });
                }
            }
            Event::BallotCast {
                item,
                round,
                participant,
                answer,
            } => {
                let Some(r) = self
                    .state_mut(item)
                    .and_then(|s| s.rounds.iter_mut().find(|r| r.number == *round))
                else {
                    return;
                };
                if let Some(old) = r.ballots.insert(*participant, *answer) {
                    count(&mut r.tally, old, -1);
                }
                count(&mut r.tally, *answer, 1);
            }
            Event::RoundClosed { item, round } => {
                if let Some(r) = self.round_mut(item, *round) {
                    r.open = false;
                }
            }
            Event::RoundRevealed { item, round } => {
                if let Some(r) = self.round_mut(item, *round) {
                    r.open = false;
                    r.revealed = true;
                }
            }
            Event::ConsensusLocked {
                item,
                level,
                note,
                dissent,
                at,
            } => {
                if let Some(state) = self.state_mut(item) {
                    if let Some(open) = state.rounds.last_mut() {
                        open.open = false;
                    }
                    state.consensus = Some(Consensus {
                        level: *level,
                        note: note.clone(),
                        dissent: dissent.clone(),
                        locked_at: *at,
                    });
                }
            }
            Event::ConsensusReopened { item, at } => {
                if let Some(state) = self.state_mut(item) {
                    if let Some(consensus) = state.consensus.take() {
                        state.history.push(PastConsensus {
                            consensus,
                            reopened_at: *at,
                        });
                    }
                }
            }
        }
    }

    fn state_mut(&mut self, id: &str) -> Option<&mut ItemState> {
        let index = self.item_index(id)?;
        self.items.get_mut(index)
    }

    fn round_mut(&mut self, id: &str, number: u32) -> Option<&mut Round> {
        self.state_mut(id)?
            .rounds
            .iter_mut()
            .find(|r| r.number == number)
    }
}

fn count(tally: &mut Tally, answer: Answer, delta: i64) {
    let slot = match answer {
        Answer::Level(level) => match tally.counts.get_mut(level as usize - 1) {
            Some(slot) => slot,
            None => return,
        },
        Answer::NotRelevant => &mut tally.not_relevant,
    };
    *slot = (*slot as i64 + delta).max(0) as u32;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::{Area, Indicator, Level, NotRelevant};
    use proptest::prelude::*;

    fn text(s: &str) -> Text {
        Text {
            sv: s.to_string(),
            en: s.to_string(),
        }
    }

    fn catalogue() -> Catalogue {
        Catalogue {
            id: "test".into(),
            version: "1".into(),
            title: text("Test"),
            scale: Scale {
                levels: (1..=5)
                    .map(|l| Level {
                        level: l,
                        label: text(&l.to_string()),
                        definition: text(""),
                    })
                    .collect(),
                not_relevant: Some(NotRelevant {
                    label: text("n/a"),
                    definition: text(""),
                }),
            },
            areas: vec![Area {
                id: "L".into(),
                name: text("Ledning"),
                indicators: ["L1", "L2"]
                    .iter()
                    .map(|id| Indicator {
                        id: id.to_string(),
                        title: text(id),
                        description: text(""),
                    })
                    .collect(),
            }],
        }
    }

    /// A session with `participants` joined, built by applying the events `decide` gives.
    fn session(participants: u32) -> Session {
        let mut s = Session::new(SessionSpec::workshop(&catalogue(), "").unwrap());
        for p in 0..participants {
            let event = s.join(format!("token-{p}"));
            s.apply(&event);
        }
        s
    }

    fn run(s: &mut Session, actor: Actor, command: Command) -> Result<(), DomainError> {
        let events = s.decide(actor, command, 1000)?;
        for e in &events {
            s.apply(e);
        }
        Ok(())
    }

    fn open(item: &str) -> Command {
        Command::Open { item: item.into() }
    }

    fn vote(item: &str, round: u32, answer: Answer) -> Command {
        Command::Vote {
            item: item.into(),
            round,
            answer,
        }
    }

    const F: Actor = Actor::Facilitator;

    #[test]
    fn the_workshop_flow_runs_from_pending_to_locked() {
        let mut s = session(3);
        assert_eq!(s.items[0].phase(), Phase::Pending);
        run(&mut s, F, open("L1")).unwrap();
        assert_eq!(s.items[0].phase(), Phase::Voting);
        assert_eq!(s.current, Some(0));
        for p in 1..=3 {
            run(
                &mut s,
                Actor::Participant(p),
                vote("L1", 1, Answer::Level(p as u8 + 1)),
            )
            .unwrap();
        }
        run(&mut s, F, Command::Reveal { item: "L1".into() }).unwrap();
        assert_eq!(s.items[0].phase(), Phase::Revealed);
        assert_eq!(s.items[0].rounds[0].tally.counts, vec![0, 1, 1, 1, 0]);
        run(&mut s, F, Command::Revote { item: "L1".into() }).unwrap();
        assert_eq!(s.items[0].rounds.len(), 2);
        assert_eq!(s.items[0].phase(), Phase::Voting);
        run(&mut s, F, Command::Close { item: "L1".into() }).unwrap();
        run(
            &mut s,
            F,
            Command::Lock {
                item: "L1".into(),
                level: 3,
                note: " Enig ".into(),
                dissent: Some("  ".into()),
            },
        )
        .unwrap();
        assert_eq!(s.items[0].phase(), Phase::Locked);
        let consensus = s.items[0].consensus.as_ref().unwrap();
        assert_eq!(
            (
                consensus.level,
                consensus.note.as_str(),
                consensus.dissent.as_deref()
            ),
            (3, "Enig", None)
        );
        run(&mut s, F, Command::Reopen { item: "L1".into() }).unwrap();
        assert_eq!(s.items[0].phase(), Phase::Closed);
        assert_eq!(s.items[0].history.len(), 1);
        // The first round and its tally are kept beside the second.
        assert_eq!(s.items[0].rounds[0].tally.n(), 3);
    }

    #[test]
    fn a_changed_ballot_replaces_the_earlier_one() {
        let mut s = session(1);
        run(&mut s, F, open("L1")).unwrap();
        run(
            &mut s,
            Actor::Participant(1),
            vote("L1", 1, Answer::Level(2)),
        )
        .unwrap();
        run(
            &mut s,
            Actor::Participant(1),
            vote("L1", 1, Answer::NotRelevant),
        )
        .unwrap();
        let tally = &s.items[0].rounds[0].tally;
        assert_eq!((tally.n(), tally.not_relevant), (0, 1));
    }

    #[test]
    fn a_resent_identical_vote_stores_nothing_new() {
        let mut s = session(1);
        run(&mut s, F, open("L1")).unwrap();
        run(
            &mut s,
            Actor::Participant(1),
            vote("L1", 1, Answer::Level(2)),
        )
        .unwrap();
        assert_eq!(
            s.decide(Actor::Participant(1), vote("L1", 1, Answer::Level(2)), 0),
            Ok(vec![])
        );
    }

    #[test]
    fn participants_and_screens_cannot_drive_the_session() {
        let s = session(1);
        for actor in [Actor::Participant(1), Actor::Screen] {
            assert_eq!(s.decide(actor, open("L1"), 0), Err(DomainError::Forbidden));
            assert_eq!(
                s.decide(actor, Command::Goto { item: None }, 0),
                Err(DomainError::Forbidden)
            );
        }
        assert_eq!(
            s.decide(Actor::Screen, vote("L1", 1, Answer::Level(1)), 0),
            Err(DomainError::Forbidden)
        );
        assert_eq!(
            s.decide(F, vote("L1", 1, Answer::Level(1)), 0),
            Err(DomainError::Forbidden)
        );
    }

    #[test]
    fn votes_outside_an_open_round_or_the_scale_are_refused() {
        let mut s = session(1);
        let p = Actor::Participant(1);
        assert!(matches!(
            s.decide(p, vote("L1", 1, Answer::Level(3)), 0),
            Err(DomainError::RoundClosed { .. })
        ));
        run(&mut s, F, open("L1")).unwrap();
        assert_eq!(
            s.decide(p, vote("L1", 1, Answer::Level(0)), 0),
            Err(DomainError::InvalidAnswer)
        );
        assert_eq!(
            s.decide(p, vote("L1", 1, Answer::Level(6)), 0),
            Err(DomainError::InvalidAnswer)
        );
        assert!(matches!(
            s.decide(p, vote("L1", 2, Answer::Level(3)), 0),
            Err(DomainError::RoundClosed { .. })
        ));
        assert_eq!(
            s.decide(p, vote("X9", 1, Answer::Level(3)), 0),
            Err(DomainError::UnknownItem("X9".into()))
        );
        run(&mut s, F, Command::Close { item: "L1".into() }).unwrap();
        assert!(matches!(
            s.decide(p, vote("L1", 1, Answer::Level(3)), 0),
            Err(DomainError::RoundClosed { .. })
        ));
    }

    #[test]
    fn transitions_out_of_order_are_refused() {
        let mut s = session(0);
        let refused = |s: &Session, c: Command| {
            matches!(
                s.decide(F, c, 0),
                Err(DomainError::InvalidTransition { .. })
            )
        };
        assert!(refused(&s, Command::Reveal { item: "L1".into() }));
        assert!(refused(&s, Command::Close { item: "L1".into() }));
        assert!(refused(&s, Command::Revote { item: "L1".into() }));
        assert!(refused(&s, Command::Reopen { item: "L1".into() }));
        run(&mut s, F, open("L1")).unwrap();
        assert!(refused(&s, open("L1")));
        assert!(refused(
            &s,
            Command::Lock {
                item: "L1".into(),
                level: 3,
                note: String::new(),
                dissent: None
            }
        ));
        assert_eq!(
            s.decide(
                F,
                Command::Lock {
                    item: "L2".into(),
                    level: 9,
                    note: String::new(),
                    dissent: None
                },
                0
            ),
            Err(DomainError::InvalidLevel(9))
        );
        let long = "å".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            s.decide(
                F,
                Command::Lock {
                    item: "L2".into(),
                    level: 2,
                    note: long,
                    dissent: None
                },
                0
            ),
            Err(DomainError::TextTooLong)
        );
    }

    #[test]
    fn replaying_events_rebuilds_the_same_session() {
        let mut s = session(2);
        let mut log: Vec<Event> = (0..2)
            .map(|p| Event::ParticipantJoined {
                participant: p + 1,
                token: format!("token-{p}"),
            })
            .collect();
        let steps = [
            (F, open("L1")),
            (Actor::Participant(1), vote("L1", 1, Answer::Level(4))),
            (Actor::Participant(2), vote("L1", 1, Answer::Level(2))),
            (F, Command::Reveal { item: "L1".into() }),
            (
                F,
                Command::Lock {
                    item: "L1".into(),
                    level: 3,
                    note: "ok".into(),
                    dissent: None,
                },
            ),
        ];
        for (actor, command) in steps {
            let events = s.decide(actor, command, 5).unwrap();
            for e in &events {
                s.apply(e);
            }
            log.extend(events);
        }
        let rebuilt = Session::replay(s.spec.clone(), &log);
        assert_eq!(rebuilt.items, s.items);
        assert_eq!(rebuilt.version, s.version);
        assert_eq!(rebuilt.participant("token-1"), Some(2));
        assert_eq!(
            rebuilt.ballots_of(1).get("L1"),
            Some(&(1, Answer::Level(4)))
        );
    }

    #[test]
    fn events_survive_a_json_round_trip() {
        let event = Event::BallotCast {
            item: "L1".into(),
            round: 2,
            participant: 7,
            answer: Answer::NotRelevant,
        };
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(
            json,
            r#"{"type":"ballot_cast","item":"L1","round":2,"participant":7,"answer":"not_relevant"}"#
        );
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
    }

    proptest! {
        /// Whatever participants send, the tally counts each participant's latest answer exactly once.
        #[test]
        fn tally_counts_add_up_to_voters(votes in proptest::collection::vec((1u32..=8, 0u8..=6), 0..80)) {
            let mut s = session(8);
            run(&mut s, F, open("L1")).unwrap();
            let mut latest = BTreeMap::new();
            for (p, value) in votes {
                let answer = if value == 6 { Answer::NotRelevant } else { Answer::Level(value) };
                if run(&mut s, Actor::Participant(p), vote("L1", 1, answer)).is_ok() {
                    latest.insert(p, answer);
                }
            }
            let tally = &s.items[0].rounds[0].tally;
            prop_assert_eq!(tally.voters() as usize, latest.len());
            for level in 1..=5u8 {
                let expected = latest.values().filter(|a| **a == Answer::Level(level)).count();
                prop_assert_eq!(tally.counts[level as usize - 1] as usize, expected);
            }
        }
    }
}
