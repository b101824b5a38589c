//! A session's state and its rules: who may do what, in which phase, for which kind of item. Commands are
//! decided into events; events are the durable facts and the only way state changes, so replaying them
//! rebuilds a session exactly.

use super::answer::{self, Answer, RawAnswer, RoundTally};
use super::catalogue::{Catalogue, Scale, Text};
use super::item::{Agenda, ItemKind, ItemSpec, Results};
use super::words::{self, WordError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Longest note or dissent, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest session title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// A participant's number within one session. Anonymous: it stands for a resume token, not a person.
pub type ParticipantNo = u32;

/// Who sends a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Actor {
    Facilitator,
    Participant(ParticipantNo),
    Screen,
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

/// What a session starts with: its title, the catalogue it came from, and its first agenda.
/// Stored once when the session is created; later agenda edits are events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSpec {
    pub title: String,
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    #[serde(default)]
    pub areas: Vec<AreaSpec>,
    #[serde(default)]
    pub scales: BTreeMap<String, Scale>,
    #[serde(default)]
    pub items: Vec<ItemSpec>,
}

/// A trimmed one-line text of `min..=max` characters, or an error naming the field.
fn short_text(field: &str, text: &str, min: usize, max: usize) -> Result<String, DomainError> {
    let text = text.trim();
    let length = text.chars().count();
    if length < min || length > max || text.chars().any(char::is_control) {
        let message = format!("{field}: must be {min} to {max} characters on one line");
        return Err(DomainError::InvalidField(message));
    }
    Ok(text.to_string())
}

/// A calendar date written `YYYY-MM-DD`.
fn checked_date(field: &str, date: &str) -> Result<String, DomainError> {
    let date = date.trim();
    let parts: Vec<&str> = date.split('-').collect();
    let number = |s: &str, digits: usize| {
        (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
    };
    let valid = match parts.as_slice() {
        [y, m, d] => match (number(y, 4), number(m, 2), number(d, 2)) {
            (Some(_), Some(month), Some(day)) => (1..=12).contains(&month) && (1..=31).contains(&day),
            _ => false,
        },
        _ => false,
    };
    if !valid {
        return Err(DomainError::InvalidField(format!("{field}: a date is written YYYY-MM-DD")));
    }
    Ok(date.to_string())
}

fn checked_title(title: &str, fallback: &str) -> Result<String, DomainError> {
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(DomainError::TextTooLong);
    }
    Ok(if title.trim().is_empty() { fallback.to_string() } else { title.trim().to_string() })
}

impl SessionSpec {
    /// A workshop over every indicator of a catalogue, in catalogue order; results shown after each reveal.
    pub fn workshop(catalogue: &Catalogue, title: &str) -> Result<Self, DomainError> {
        let scale = catalogue.id.clone();
        Ok(SessionSpec {
            title: checked_title(title, &catalogue.title.sv)?,
            catalogue: Some(CatalogueRef { id: catalogue.id.clone(), version: catalogue.version.clone() }),
            areas: catalogue.areas.iter().map(|a| AreaSpec { id: a.id.clone(), name: a.name.clone() }).collect(),
            scales: BTreeMap::from([(scale.clone(), catalogue.scale.clone())]),
            items: catalogue
                .areas
                .iter()
                .flat_map(|area| {
                    let scale = scale.clone();
                    area.indicators.iter().map(move |i| ItemSpec {
                        id: i.id.clone(),
                        area: Some(area.id.clone()),
                        title: i.title.clone(),
                        description: i.description.clone(),
                        kind: ItemKind::Scale { scale: scale.clone() },
                        results: Results::AfterReveal,
                        suggestions: i.suggestions.clone(),
                        replaces: i.replaces.clone(),
                    })
                })
                .collect(),
        })
    }

    /// A session built from an agenda (a seminar, or any imported item set).
    pub fn from_agenda(title: &str, agenda: Agenda) -> Result<Self, DomainError> {
        Ok(SessionSpec {
            title: checked_title(title, "Samsyn")?,
            catalogue: None,
            areas: vec![],
            scales: agenda.scales,
            items: agenda.items,
        })
    }
}

/// What a client asks for. Decided by [`Session::decide`] into events, or refused with a [`DomainError`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Vote {
        item: String,
        round: u32,
        answer: RawAnswer,
    },
    Word {
        item: String,
        round: u32,
        text: String,
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
    HideWord {
        item: String,
        word: String,
    },
    ShowWord {
        item: String,
        word: String,
    },
    MergeWords {
        item: String,
        word: String,
        into: String,
    },
    UnmergeWord {
        item: String,
        word: String,
    },
    SetFilter {
        enabled: bool,
    },
    SetAgenda(Agenda),
    ShareSummary {
        shared: bool,
    },
    Finish {
        organisation: String,
        field: Option<String>,
        date: String,
    },
    SetAction {
        id: Option<String>,
        item: String,
        text: String,
        owner: String,
        due: Option<String>,
        status: ActionStatus,
    },
    RemoveAction {
        id: String,
    },
    /// Adds a points item over the locked indicators at or below `max_level` and opens it.
    StartPrioritisation {
        max_level: u8,
        budget: u32,
    },
}

/// Where an action of the action plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Todo,
    Doing,
    Done,
}

/// One action of the action plan, tied to an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    pub item: String,
    pub text: String,
    pub owner: String,
    /// A date, `YYYY-MM-DD`.
    pub due: Option<String>,
    pub status: ActionStatus,
}

/// What makes a finished assessment an occasion that later ones can be compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occasion {
    pub organisation: String,
    /// Field of operation, e.g. Äldreomsorg.
    pub field: Option<String>,
    /// The date of the assessment, `YYYY-MM-DD`.
    pub date: String,
    pub finished_at: i64,
}

/// Most actions in one plan.
pub const MAX_ACTIONS: usize = 500;

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
    WordAdded {
        item: String,
        round: u32,
        participant: ParticipantNo,
        word: String,
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
    WordHidden {
        item: String,
        word: String,
    },
    WordShown {
        item: String,
        word: String,
    },
    WordsMerged {
        item: String,
        word: String,
        into: String,
    },
    WordUnmerged {
        item: String,
        word: String,
    },
    FilterSet {
        enabled: bool,
    },
    AgendaSet {
        scales: BTreeMap<String, Scale>,
        items: Vec<ItemSpec>,
    },
    SummaryShared {
        shared: bool,
    },
    OccasionRecorded {
        occasion: Occasion,
    },
    ActionSet {
        action: Action,
    },
    ActionRemoved {
        id: String,
    },
    /// A round's counts without the ballots behind them: what remains once raw ballots are no longer kept.
    RoundTallied {
        item: String,
        round: u32,
        tally: RoundTally,
        voters: u32,
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
    #[error("that answer does not fit this item")]
    InvalidAnswer,
    #[error("{action} is not possible while {item} is {phase}")]
    InvalidTransition { action: &'static str, item: String, phase: Phase },
    #[error("{action} does not apply to a {kind} item")]
    WrongKind { action: &'static str, kind: &'static str },
    #[error("level {0} is not on the scale")]
    InvalidLevel(u8),
    #[error("the text is longer than {MAX_TEXT_CHARS} characters")]
    TextTooLong,
    #[error("{0}")]
    InvalidWord(WordError),
    #[error("you have already sent that word")]
    DuplicateWord,
    #[error("you have already sent {0} words, the most this question takes")]
    TooManyWords(u8),
    #[error("a word cannot be merged into one of its own variants")]
    MergeCycle,
    #[error("item {0} already has answers: it cannot be removed or change kind or number of options")]
    ItemInUse(String),
    #[error("{0}")]
    InvalidField(String),
    #[error("only {0} locked indicators are at or below that level; a prioritisation needs 2 or more")]
    TooFewGaps(usize),
    #[error("there is no action {0:?}")]
    UnknownAction(String),
}

impl DomainError {
    /// The stable code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Forbidden => "forbidden",
            DomainError::UnknownItem(_) => "unknown_item",
            DomainError::RoundClosed { .. } => "round_closed",
            DomainError::InvalidAnswer => "invalid_answer",
            DomainError::InvalidTransition { .. } | DomainError::WrongKind { .. } | DomainError::MergeCycle => {
                "invalid_transition"
            }
            DomainError::InvalidLevel(_) => "invalid_level",
            DomainError::TextTooLong => "text_too_long",
            DomainError::InvalidWord(_) => "invalid_word",
            DomainError::DuplicateWord => "duplicate_word",
            DomainError::TooManyWords(_) => "too_many_words",
            DomainError::ItemInUse(_) => "item_in_use",
            DomainError::InvalidField(_) | DomainError::UnknownAction(_) => "invalid_field",
            DomainError::TooFewGaps(_) => "invalid_transition",
        }
    }
}

/// Where an item is in the flow. Derived from its rounds and consensus, never stored.
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
    /// Words each participant sent, in order (words items only).
    pub words: BTreeMap<ParticipantNo, Vec<String>>,
    /// Kept in step with `ballots` and `words` so an answer costs O(1), not a recount.
    pub tally: RoundTally,
    /// Voters counted in a stored tally whose ballots are no longer kept.
    pub tallied_voters: u32,
}

impl Round {
    /// Participants who answered in this round.
    pub fn voters(&self) -> u32 {
        (self.ballots.len() + self.words.len()) as u32 + self.tallied_voters
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consensus {
    pub level: u8,
    pub note: String,
    pub dissent: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub locked_at: i64,
}

impl Consensus {
    /// The event that locks this consensus on `item`.
    fn locked(&self, item: String) -> Event {
        let (level, note, dissent, at) = (self.level, self.note.clone(), self.dissent.clone(), self.locked_at);
        Event::ConsensusLocked { item, level, note, dissent, at }
    }
}

/// A lock that was later reopened; kept so the group can see how its view moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PastConsensus {
    #[serde(flatten)]
    pub consensus: Consensus,
    pub reopened_at: i64,
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

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemState {
    pub rounds: Vec<Round>,
    pub consensus: Option<Consensus>,
    pub history: Vec<PastConsensus>,
    pub moderation: Moderation,
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

    fn open_round(&self, number: u32) -> Option<&Round> {
        self.rounds.last().filter(|r| r.open && r.number == number)
    }

    /// Whether the item has anything that an agenda edit must not break.
    fn in_use(&self) -> bool {
        !self.rounds.is_empty() || self.consensus.is_some() || !self.history.is_empty()
    }
}

/// A participant's own answer in an item's latest round, for a reconnecting phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnAnswer {
    pub round: u32,
    pub answer: Option<Answer>,
    pub words: Vec<String>,
}

/// A live session: its agenda, who has joined, and every item's rounds, consensus and moderation.
#[derive(Debug, Clone)]
pub struct Session {
    pub spec: SessionSpec,
    /// One state per item of `spec.items`, in the same order.
    pub items: Vec<ItemState>,
    pub current: Option<usize>,
    /// Whether the word filter hides profanity from participants and screens.
    pub profanity_filter: bool,
    /// Whether participants and screens see the summary and the action plan.
    pub summary_shared: bool,
    pub occasion: Option<Occasion>,
    /// The action plan, in the order actions were added.
    pub actions: Vec<Action>,
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
            profanity_filter: true,
            summary_shared: false,
            occasion: None,
            actions: Vec::new(),
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

    pub fn scale_of(&self, item: &ItemSpec) -> Option<&Scale> {
        match &item.kind {
            ItemKind::Scale { scale } => self.spec.scales.get(scale),
            _ => None,
        }
    }

    /// The current agenda, as an item set would hold it.
    pub fn agenda(&self) -> Agenda {
        Agenda { items: self.spec.items.clone(), scales: self.spec.scales.clone() }
    }

    pub fn participant(&self, token: &str) -> Option<ParticipantNo> {
        self.tokens.get(token).copied()
    }

    pub fn participant_count(&self) -> usize {
        self.tokens.len()
    }

    /// The event that admits a new participant under `token` (a fresh random value chosen by the caller).
    pub fn join(&self, token: String) -> Event {
        Event::ParticipantJoined { participant: self.tokens.len() as ParticipantNo + 1, token }
    }

    /// A participant's answers in the latest round of each item they answered.
    pub fn answers_of(&self, participant: ParticipantNo) -> BTreeMap<String, OwnAnswer> {
        self.spec
            .items
            .iter()
            .zip(&self.items)
            .filter_map(|(spec, state)| {
                let round = state.rounds.last()?;
                let answer = round.ballots.get(&participant).cloned();
                let words = round.words.get(&participant).cloned().unwrap_or_default();
                (answer.is_some() || !words.is_empty())
                    .then(|| (spec.id.clone(), OwnAnswer { round: round.number, answer, words }))
            })
            .collect()
    }

    /// Decides a command: the events it causes, or why it is refused. Changes nothing.
    pub fn decide(&self, actor: Actor, command: Command, now: i64) -> Result<Vec<Event>, DomainError> {
        match command {
            Command::Vote { item, round, answer } => {
                let Actor::Participant(participant) = actor else { return Err(DomainError::Forbidden) };
                self.decide_vote(participant, item, round, answer)
            }
            Command::Word { item, round, text } => {
                let Actor::Participant(participant) = actor else { return Err(DomainError::Forbidden) };
                self.decide_word(participant, item, round, &text)
            }
            _ if actor != Actor::Facilitator => Err(DomainError::Forbidden),
            Command::Goto { item } => {
                if let Some(id) = &item {
                    self.find(id)?;
                }
                Ok(vec![Event::CurrentSet { item }])
            }
            Command::SetFilter { enabled } => {
                Ok(if enabled == self.profanity_filter { vec![] } else { vec![Event::FilterSet { enabled }] })
            }
            Command::SetAgenda(agenda) => self.decide_agenda(agenda),
            Command::ShareSummary { shared } => {
                Ok(if shared == self.summary_shared { vec![] } else { vec![Event::SummaryShared { shared }] })
            }
            Command::Finish { organisation, field, date } => {
                let organisation = short_text("organisation", &organisation, 1, 200)?;
                let field = field.map(|f| short_text("field", &f, 0, 200)).transpose()?.filter(|f| !f.is_empty());
                let date = checked_date("date", &date)?;
                Ok(vec![Event::OccasionRecorded { occasion: Occasion { organisation, field, date, finished_at: now } }])
            }
            Command::SetAction { id, item, text, owner, due, status } => {
                let (spec, _) = self.find(&item)?;
                if self.scale_of(spec).is_none() {
                    return Err(DomainError::WrongKind { action: "an action", kind: spec.kind.name() });
                }
                let id = match id {
                    Some(id) => {
                        if !self.actions.iter().any(|a| a.id == id) {
                            return Err(DomainError::UnknownAction(id));
                        }
                        id
                    }
                    None if self.actions.len() >= MAX_ACTIONS => {
                        return Err(DomainError::InvalidField(format!("a plan has at most {MAX_ACTIONS} actions")))
                    }
                    None => self.next_action_id(),
                };
                let text = short_text("text", &text, 1, 1000)?;
                let owner = short_text("owner", &owner, 0, 200)?;
                let due = due.filter(|d| !d.trim().is_empty()).map(|d| checked_date("due", &d)).transpose()?;
                Ok(vec![Event::ActionSet { action: Action { id, item, text, owner, due, status } }])
            }
            Command::RemoveAction { id } => {
                if !self.actions.iter().any(|a| a.id == id) {
                    return Err(DomainError::UnknownAction(id));
                }
                Ok(vec![Event::ActionRemoved { id }])
            }
            Command::StartPrioritisation { max_level, budget } => self.decide_prioritisation(max_level, budget),
            Command::HideWord { item, word } => {
                let (state, word) = self.moderated(&item, &word, "hide_word")?;
                let group = state.moderation.group(&word).to_string();
                let hidden = state.moderation.hidden.contains(&group);
                Ok(if hidden { vec![] } else { vec![Event::WordHidden { item, word: group }] })
            }
            Command::ShowWord { item, word } => {
                let (state, word) = self.moderated(&item, &word, "show_word")?;
                let group = state.moderation.group(&word).to_string();
                let shown = state.moderation.shown.contains(&group) && !state.moderation.hidden.contains(&group);
                Ok(if shown { vec![] } else { vec![Event::WordShown { item, word: group }] })
            }
            Command::MergeWords { item, word, into } => {
                let (state, word) = self.moderated(&item, &word, "merge_words")?;
                let into = state.moderation.group(&words::normalize(&into)).to_string();
                if into.is_empty() {
                    return Err(DomainError::InvalidWord(WordError::Empty));
                }
                if into == word {
                    return Err(DomainError::MergeCycle);
                }
                if state.moderation.merges.get(&word) == Some(&into) {
                    return Ok(vec![]);
                }
                Ok(vec![Event::WordsMerged { item, word, into }])
            }
            Command::UnmergeWord { item, word } => {
                let (state, word) = self.moderated(&item, &word, "unmerge_word")?;
                let merged = state.moderation.merges.contains_key(&word);
                Ok(if merged { vec![Event::WordUnmerged { item, word }] } else { vec![] })
            }
            command => self.decide_flow(command, now),
        }
    }

    /// Open, close, reveal, re-vote, lock, reopen.
    fn decide_flow(&self, command: Command, now: i64) -> Result<Vec<Event>, DomainError> {
        let id = match &command {
            Command::Open { item }
            | Command::Close { item }
            | Command::Reveal { item }
            | Command::Revote { item }
            | Command::Lock { item, .. }
            | Command::Reopen { item } => item.clone(),
            other => unreachable!("not a flow command: {other:?}"),
        };
        let (spec, state) = self.find(&id)?;
        let phase = state.phase();
        let refuse = |action| Err(DomainError::InvalidTransition { action, item: id.clone(), phase });
        let last_round = state.rounds.last().map(|r| r.number).unwrap_or(0);
        match command {
            Command::Open { .. } => match phase {
                Phase::Pending => Ok(vec![
                    Event::RoundOpened { item: id.clone(), round: 1 },
                    Event::CurrentSet { item: Some(id.clone()) },
                ]),
                _ => refuse("open"),
            },
            Command::Close { .. } => match phase {
                Phase::Voting => Ok(vec![Event::RoundClosed { item: id.clone(), round: last_round }]),
                _ => refuse("close"),
            },
            Command::Reveal { .. } => match phase {
                Phase::Voting => Ok(vec![
                    Event::RoundClosed { item: id.clone(), round: last_round },
                    Event::RoundRevealed { item: id.clone(), round: last_round },
                ]),
                Phase::Closed => Ok(vec![Event::RoundRevealed { item: id.clone(), round: last_round }]),
                _ => refuse("reveal"),
            },
            Command::Revote { .. } => match phase {
                Phase::Closed | Phase::Revealed => {
                    Ok(vec![Event::RoundOpened { item: id.clone(), round: last_round + 1 }])
                }
                _ => refuse("revote"),
            },
            Command::Lock { level, note, dissent, .. } => {
                let Some(scale) = self.scale_of(spec) else {
                    return Err(DomainError::WrongKind { action: "lock", kind: spec.kind.name() });
                };
                if !matches!(phase, Phase::Pending | Phase::Closed | Phase::Revealed) {
                    return refuse("lock");
                }
                if !scale.contains(level) {
                    return Err(DomainError::InvalidLevel(level));
                }
                let too_long = |text: &str| text.chars().count() > MAX_TEXT_CHARS;
                if too_long(&note) || dissent.as_deref().is_some_and(too_long) {
                    return Err(DomainError::TextTooLong);
                }
                let dissent = dissent.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
                Ok(vec![Event::ConsensusLocked {
                    item: id.clone(),
                    level,
                    note: note.trim().to_string(),
                    dissent,
                    at: now,
                }])
            }
            Command::Reopen { .. } => match phase {
                Phase::Locked => Ok(vec![Event::ConsensusReopened { item: id.clone(), at: now }]),
                _ => refuse("reopen"),
            },
            other => unreachable!("not a flow command: {other:?}"),
        }
    }

    fn decide_vote(
        &self,
        participant: ParticipantNo,
        item: String,
        round: u32,
        raw: RawAnswer,
    ) -> Result<Vec<Event>, DomainError> {
        let (spec, state) = self.find(&item)?;
        let answer = answer::check(&raw, &spec.kind, self.scale_of(spec)).ok_or(DomainError::InvalidAnswer)?;
        let open = state.open_round(round).ok_or_else(|| DomainError::RoundClosed { item: item.clone(), round })?;
        if open.ballots.get(&participant) == Some(&answer) {
            // The same answer again (a resend after reconnect): nothing new to store.
            return Ok(vec![]);
        }
        Ok(vec![Event::BallotCast { item, round, participant, answer }])
    }

    fn decide_word(
        &self,
        participant: ParticipantNo,
        item: String,
        round: u32,
        text: &str,
    ) -> Result<Vec<Event>, DomainError> {
        let (spec, state) = self.find(&item)?;
        let ItemKind::Words { max_words, max_chars } = spec.kind else {
            return Err(DomainError::InvalidAnswer);
        };
        let word = words::accept(text, max_chars).map_err(DomainError::InvalidWord)?;
        let open = state.open_round(round).ok_or_else(|| DomainError::RoundClosed { item: item.clone(), round })?;
        let sent = open.words.get(&participant).map(Vec::as_slice).unwrap_or_default();
        if sent.contains(&word) {
            return Err(DomainError::DuplicateWord);
        }
        if sent.len() >= max_words as usize {
            return Err(DomainError::TooManyWords(max_words));
        }
        Ok(vec![Event::WordAdded { item, round, participant, word }])
    }

    /// A words item and the normalised word a moderation command is about.
    fn moderated(&self, item: &str, word: &str, action: &'static str) -> Result<(&ItemState, String), DomainError> {
        let (spec, state) = self.find(item)?;
        if !matches!(spec.kind, ItemKind::Words { .. }) {
            return Err(DomainError::WrongKind { action, kind: spec.kind.name() });
        }
        let word = words::normalize(word);
        if word.is_empty() {
            return Err(DomainError::InvalidWord(WordError::Empty));
        }
        Ok((state, word))
    }

    /// A new agenda may change texts and settings, add and reorder items, but an item that already has
    /// rounds keeps its kind and its number of options or levels, and stays.
    fn decide_agenda(&self, agenda: Agenda) -> Result<Vec<Event>, DomainError> {
        for (spec, state) in self.spec.items.iter().zip(&self.items) {
            if !state.in_use() {
                continue;
            }
            let kept = agenda.items.iter().find(|new| new.id == spec.id).is_some_and(|new| {
                new.kind.name() == spec.kind.name()
                    && new.kind.slots(&agenda.scales) == spec.kind.slots(&self.spec.scales)
            });
            if !kept {
                return Err(DomainError::ItemInUse(spec.id.clone()));
            }
        }
        Ok(vec![Event::AgendaSet { scales: agenda.scales, items: agenda.items }])
    }

    fn next_action_id(&self) -> String {
        let highest =
            self.actions.iter().filter_map(|a| a.id.strip_prefix('a')?.parse::<u32>().ok()).max().unwrap_or(0);
        format!("a{}", highest + 1)
    }

    /// A points item over the largest gaps: locked indicators at or below `max_level`, lowest first, at most 12.
    fn decide_prioritisation(&self, max_level: u8, budget: u32) -> Result<Vec<Event>, DomainError> {
        if !crate::domain::item::BUDGET.contains(&budget) {
            return Err(DomainError::InvalidField("budget: must be 1 to 1000".into()));
        }
        let mut gaps: Vec<(u8, usize)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(index, state)| state.consensus.as_ref().map(|c| (c.level, index)))
            .filter(|(level, _)| *level <= max_level)
            .collect();
        if gaps.len() < 2 {
            return Err(DomainError::TooFewGaps(gaps.len()));
        }
        gaps.sort();
        gaps.truncate(*crate::domain::item::OPTIONS.end());
        gaps.sort_by_key(|(_, index)| *index);
        let chosen: Vec<&ItemSpec> = gaps.iter().map(|(_, index)| &self.spec.items[*index]).collect();
        let id = (1..).map(|n| format!("prio{n}")).find(|id| self.item_index(id).is_none()).expect("unbounded");
        let mut agenda = self.agenda();
        agenda.items.push(ItemSpec {
            id: id.clone(),
            area: None,
            title: Text {
                sv: "Vilka brister ska vi prioritera?".into(),
                en: "Which gaps should we prioritise?".into(),
            },
            description: Text {
                sv: format!("Fördela {budget} poäng på det som är viktigast att ta itu med."),
                en: format!("Spread {budget} points over what matters most to address."),
            },
            kind: ItemKind::Points {
                options: chosen.iter().map(|item| item.title.clone()).collect(),
                budget,
                targets: chosen.iter().map(|item| item.id.clone()).collect(),
            },
            results: Results::AfterReveal,
            suggestions: vec![],
            replaces: vec![],
        });
        Ok(vec![
            Event::AgendaSet { scales: agenda.scales, items: agenda.items },
            Event::RoundOpened { item: id.clone(), round: 1 },
            Event::CurrentSet { item: Some(id) },
        ])
    }

    fn find(&self, id: &str) -> Result<(&ItemSpec, &ItemState), DomainError> {
        self.item_index(id)
            .map(|i| (&self.spec.items[i], &self.items[i]))
            .ok_or_else(|| DomainError::UnknownItem(id.to_string()))
    }

    /// Applies a stored fact. Never fails: an event that no longer fits (which `decide` never produces) is skipped.
    pub fn apply(&mut self, event: &Event) {
        self.version += 1;
        match event {
            Event::ParticipantJoined { participant, token } => {
                self.tokens.insert(token.clone(), *participant);
            }
            Event::CurrentSet { item } => {
                self.current = item.as_deref().and_then(|id| self.item_index(id));
            }
            Event::FilterSet { enabled } => self.profanity_filter = *enabled,
            Event::AgendaSet { scales, items } => self.set_agenda(scales, items),
            Event::SummaryShared { shared } => self.summary_shared = *shared,
            Event::OccasionRecorded { occasion } => self.occasion = Some(occasion.clone()),
            Event::ActionSet { action } => match self.actions.iter_mut().find(|a| a.id == action.id) {
                Some(existing) => *existing = action.clone(),
                None => self.actions.push(action.clone()),
            },
            Event::ActionRemoved { id } => self.actions.retain(|a| a.id != *id),
            Event::RoundTallied { item, round, tally, voters } => {
                if let Some(r) = self.round_mut(item, *round) {
                    r.ballots.clear();
                    r.words.clear();
                    r.tally = tally.clone();
                    r.tallied_voters = *voters;
                }
            }
            Event::RoundOpened { item, round } => {
                let Some(index) = self.item_index(item) else { return };
                let tally = RoundTally::new(&self.spec.items[index].kind, self.scale_of(&self.spec.items[index]));
                self.items[index].rounds.push(Round {
                    number: *round,
                    open: true,
                    revealed: false,
                    ballots: BTreeMap::new(),
                    words: BTreeMap::new(),
                    tally,
                    tallied_voters: 0,
                });
            }
            Event::BallotCast { item, round, participant, answer } => {
                let Some(r) = self.round_mut(item, *round) else { return };
                if let Some(old) = r.ballots.insert(*participant, answer.clone()) {
                    r.tally.count(&old, -1);
                }
                r.tally.count(answer, 1);
            }
            Event::WordAdded { item, round, participant, word } => {
                let Some(r) = self.round_mut(item, *round) else { return };
                r.words.entry(*participant).or_default().push(word.clone());
                r.tally.add_word(word);
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
            Event::ConsensusLocked { item, level, note, dissent, at } => {
                if let Some(state) = self.state_mut(item) {
                    if let Some(open) = state.rounds.last_mut() {
                        open.open = false;
                    }
                    let consensus =
                        Consensus { level: *level, note: note.clone(), dissent: dissent.clone(), locked_at: *at };
                    state.consensus = Some(consensus);
                }
            }
            Event::ConsensusReopened { item, at } => {
                if let Some(state) = self.state_mut(item) {
                    if let Some(consensus) = state.consensus.take() {
                        state.history.push(PastConsensus { consensus, reopened_at: *at });
                    }
                }
            }
            Event::WordHidden { item, word } => {
                if let Some(state) = self.state_mut(item) {
                    state.moderation.shown.remove(word);
                    state.moderation.hidden.insert(word.clone());
                }
            }
            Event::WordShown { item, word } => {
                if let Some(state) = self.state_mut(item) {
                    state.moderation.hidden.remove(word);
                    state.moderation.shown.insert(word.clone());
                }
            }
            Event::WordsMerged { item, word, into } => {
                if let Some(state) = self.state_mut(item) {
                    let merges = &mut state.moderation.merges;
                    // Keep every variant pointing straight at its group: what pointed at `word` now points at `into`.
                    for target in merges.values_mut().filter(|t| *t == word) {
                        *target = into.clone();
                    }
                    merges.remove(into);
                    merges.insert(word.clone(), into.clone());
                }
            }
            Event::WordUnmerged { item, word } => {
                if let Some(state) = self.state_mut(item) {
                    state.moderation.merges.remove(word);
                }
            }
        }
    }

    /// An event log that rebuilds this session's outcome — every round's counts, locks and their history,
    /// moderation, the plan, the occasion — without individual ballots, words or resume tokens.
    /// Replayed on the session's stored spec it gives the same items, minus who answered what.
    pub fn compacted(&self) -> Vec<Event> {
        let mut events = vec![Event::AgendaSet { scales: self.spec.scales.clone(), items: self.spec.items.clone() }];
        if !self.profanity_filter {
            events.push(Event::FilterSet { enabled: false });
        }
        for (spec, state) in self.spec.items.iter().zip(&self.items) {
            let item = || spec.id.clone();
            // Earlier locks first: a lock closes the latest round, which must not touch rounds opened after a reopen.
            for past in &state.history {
                let c = &past.consensus;
                events.push(c.locked(item()));
                events.push(Event::ConsensusReopened { item: item(), at: past.reopened_at });
            }
            for round in &state.rounds {
                events.push(Event::RoundOpened { item: item(), round: round.number });
                let tally = round.tally.clone();
                events.push(Event::RoundTallied { item: item(), round: round.number, tally, voters: round.voters() });
                if !round.open {
                    events.push(Event::RoundClosed { item: item(), round: round.number });
                }
                if round.revealed {
                    events.push(Event::RoundRevealed { item: item(), round: round.number });
                }
            }
            if let Some(c) = &state.consensus {
                events.push(c.locked(item()));
            }
            let moderation = &state.moderation;
            events.extend(moderation.hidden.iter().map(|word| Event::WordHidden { item: item(), word: word.clone() }));
            events.extend(moderation.shown.iter().map(|word| Event::WordShown { item: item(), word: word.clone() }));
            events.extend(moderation.merges.iter().map(|(word, into)| Event::WordsMerged {
                item: item(),
                word: word.clone(),
                into: into.clone(),
            }));
        }
        events.push(Event::CurrentSet { item: self.current.map(|i| self.spec.items[i].id.clone()) });
        if self.summary_shared {
            events.push(Event::SummaryShared { shared: true });
        }
        if let Some(occasion) = &self.occasion {
            events.push(Event::OccasionRecorded { occasion: occasion.clone() });
        }
        events.extend(self.actions.iter().map(|action| Event::ActionSet { action: action.clone() }));
        events
    }

    fn set_agenda(&mut self, scales: &BTreeMap<String, Scale>, items: &[ItemSpec]) {
        let current = self.current.map(|i| self.spec.items[i].id.clone());
        let mut old: HashMap<String, ItemState> =
            self.spec.items.iter().map(|s| s.id.clone()).zip(std::mem::take(&mut self.items)).collect();
        self.items = items.iter().map(|spec| old.remove(&spec.id).unwrap_or_default()).collect();
        self.spec.scales = scales.clone();
        self.spec.items = items.to_vec();
        self.current = current.and_then(|id| self.item_index(&id));
    }

    fn state_mut(&mut self, id: &str) -> Option<&mut ItemState> {
        let index = self.item_index(id)?;
        self.items.get_mut(index)
    }

    fn round_mut(&mut self, id: &str, number: u32) -> Option<&mut Round> {
        self.state_mut(id)?.rounds.iter_mut().find(|r| r.number == number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::{Area, Indicator, Level, NotRelevant};
    use crate::domain::item::{agenda_from_input, ItemSetInput};
    use proptest::prelude::*;

    fn text(s: &str) -> Text {
        Text::both(s)
    }

    fn catalogue() -> Catalogue {
        Catalogue {
            id: "test".into(),
            version: "1".into(),
            title: text("Test"),
            scale: Scale {
                levels: (1..=5)
                    .map(|l| Level { level: l, label: text(&l.to_string()), definition: text("") })
                    .collect(),
                not_relevant: Some(NotRelevant { label: text("n/a"), definition: text("") }),
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
                        suggestions: vec![],
                        replaces: vec![],
                    })
                    .collect(),
            }],
        }
    }

    fn with_participants(mut s: Session, participants: u32) -> Session {
        for p in 0..participants {
            let event = s.join(format!("token-{p}"));
            s.apply(&event);
        }
        s
    }

    /// A workshop with `participants` joined, built by applying the events `decide` gives.
    fn session(participants: u32) -> Session {
        with_participants(Session::new(SessionSpec::workshop(&catalogue(), "").unwrap()), participants)
    }

    fn seminar(participants: u32) -> Session {
        let set: ItemSetInput = serde_json::from_str(
            r#"{"items": [
                {"id": "hot", "kind": "choice", "title": "Hot eller möjlighet?", "options": ["Hot", "Möjlighet"]},
                {"id": "many", "kind": "choice", "title": "Vilka?", "options": ["A", "B", "C"], "multiple": true},
                {"id": "ord", "kind": "words", "title": "Ett ord", "max_words": 2, "max_chars": 20},
                {"id": "prio", "kind": "points", "title": "Prioritera", "options": ["A", "B"], "budget": 10}
            ]}"#,
        )
        .unwrap();
        let agenda = agenda_from_input(set.items, &BTreeMap::new()).unwrap();
        with_participants(Session::new(SessionSpec::from_agenda("Seminarium", agenda).unwrap()), participants)
    }

    fn run(s: &mut Session, actor: Actor, command: Command) -> Result<Vec<Event>, DomainError> {
        let events = s.decide(actor, command, 1000)?;
        for e in &events {
            s.apply(e);
        }
        Ok(events)
    }

    fn open(item: &str) -> Command {
        Command::Open { item: item.into() }
    }

    fn vote(item: &str, round: u32, answer: RawAnswer) -> Command {
        Command::Vote { item: item.into(), round, answer }
    }

    fn level(n: i64) -> RawAnswer {
        RawAnswer::Number(n)
    }

    fn word(item: &str, text: &str) -> Command {
        Command::Word { item: item.into(), round: 1, text: text.into() }
    }

    const F: Actor = Actor::Facilitator;
    const P1: Actor = Actor::Participant(1);

    fn scale_tally(s: &Session, item: usize, round: usize) -> &super::super::Tally {
        match &s.items[item].rounds[round].tally {
            RoundTally::Scale(tally) => tally,
            other => panic!("not a scale tally: {other:?}"),
        }
    }

    #[test]
    fn the_workshop_flow_runs_from_pending_to_locked() {
        let mut s = session(3);
        assert_eq!(s.items[0].phase(), Phase::Pending);
        run(&mut s, F, open("L1")).unwrap();
        assert_eq!(s.items[0].phase(), Phase::Voting);
        assert_eq!(s.current, Some(0));
        for p in 1..=3 {
            run(&mut s, Actor::Participant(p), vote("L1", 1, level(p as i64 + 1))).unwrap();
        }
        run(&mut s, F, Command::Reveal { item: "L1".into() }).unwrap();
        assert_eq!(s.items[0].phase(), Phase::Revealed);
        assert_eq!(scale_tally(&s, 0, 0).counts, vec![0, 1, 1, 1, 0]);
        run(&mut s, F, Command::Revote { item: "L1".into() }).unwrap();
        assert_eq!(s.items[0].rounds.len(), 2);
        assert_eq!(s.items[0].phase(), Phase::Voting);
        run(&mut s, F, Command::Close { item: "L1".into() }).unwrap();
        let lock = Command::Lock { item: "L1".into(), level: 3, note: " Enig ".into(), dissent: Some("  ".into()) };
        run(&mut s, F, lock).unwrap();
        assert_eq!(s.items[0].phase(), Phase::Locked);
        let consensus = s.items[0].consensus.as_ref().unwrap();
        assert_eq!((consensus.level, consensus.note.as_str(), consensus.dissent.as_deref()), (3, "Enig", None));
        run(&mut s, F, Command::Reopen { item: "L1".into() }).unwrap();
        assert_eq!(s.items[0].phase(), Phase::Closed);
        assert_eq!(s.items[0].history.len(), 1);
        // The first round and its tally are kept beside the second.
        assert_eq!(scale_tally(&s, 0, 0).n(), 3);
    }

    #[test]
    fn a_changed_ballot_replaces_the_earlier_one() {
        let mut s = session(1);
        run(&mut s, F, open("L1")).unwrap();
        run(&mut s, P1, vote("L1", 1, level(2))).unwrap();
        run(&mut s, P1, vote("L1", 1, RawAnswer::Word("not_relevant".into()))).unwrap();
        let tally = scale_tally(&s, 0, 0);
        assert_eq!((tally.n(), tally.not_relevant), (0, 1));
    }

    #[test]
    fn a_resent_identical_vote_stores_nothing_new() {
        let mut s = session(1);
        run(&mut s, F, open("L1")).unwrap();
        run(&mut s, P1, vote("L1", 1, level(2))).unwrap();
        assert_eq!(s.decide(P1, vote("L1", 1, level(2)), 0), Ok(vec![]));
    }

    #[test]
    fn participants_and_screens_cannot_drive_the_session() {
        let s = seminar(1);
        for actor in [P1, Actor::Screen] {
            assert_eq!(s.decide(actor, open("hot"), 0), Err(DomainError::Forbidden));
            assert_eq!(s.decide(actor, Command::Goto { item: None }, 0), Err(DomainError::Forbidden));
            assert_eq!(s.decide(actor, Command::SetFilter { enabled: false }, 0), Err(DomainError::Forbidden));
            let hide = Command::HideWord { item: "ord".into(), word: "x".into() };
            assert_eq!(s.decide(actor, hide, 0), Err(DomainError::Forbidden));
            assert_eq!(s.decide(actor, Command::SetAgenda(Agenda::default()), 0), Err(DomainError::Forbidden));
        }
        assert_eq!(s.decide(Actor::Screen, vote("hot", 1, level(0)), 0), Err(DomainError::Forbidden));
        assert_eq!(s.decide(F, vote("hot", 1, level(0)), 0), Err(DomainError::Forbidden));
        assert_eq!(s.decide(F, word("ord", "hej"), 0), Err(DomainError::Forbidden));
    }

    #[test]
    fn votes_outside_an_open_round_or_the_scale_are_refused() {
        let mut s = session(1);
        assert!(matches!(s.decide(P1, vote("L1", 1, level(3)), 0), Err(DomainError::RoundClosed { .. })));
        run(&mut s, F, open("L1")).unwrap();
        assert_eq!(s.decide(P1, vote("L1", 1, level(0)), 0), Err(DomainError::InvalidAnswer));
        assert_eq!(s.decide(P1, vote("L1", 1, level(6)), 0), Err(DomainError::InvalidAnswer));
        assert_eq!(s.decide(P1, vote("L1", 1, level(-300)), 0), Err(DomainError::InvalidAnswer));
        assert_eq!(s.decide(P1, vote("L1", 1, RawAnswer::List(vec![3])), 0), Err(DomainError::InvalidAnswer));
        assert!(matches!(s.decide(P1, vote("L1", 2, level(3)), 0), Err(DomainError::RoundClosed { .. })));
        assert_eq!(s.decide(P1, vote("X9", 1, level(3)), 0), Err(DomainError::UnknownItem("X9".into())));
        run(&mut s, F, Command::Close { item: "L1".into() }).unwrap();
        assert!(matches!(s.decide(P1, vote("L1", 1, level(3)), 0), Err(DomainError::RoundClosed { .. })));
    }

    #[test]
    fn transitions_out_of_order_are_refused() {
        let mut s = session(0);
        let refused = |s: &Session, c: Command| matches!(s.decide(F, c, 0), Err(DomainError::InvalidTransition { .. }));
        assert!(refused(&s, Command::Reveal { item: "L1".into() }));
        assert!(refused(&s, Command::Close { item: "L1".into() }));
        assert!(refused(&s, Command::Revote { item: "L1".into() }));
        assert!(refused(&s, Command::Reopen { item: "L1".into() }));
        run(&mut s, F, open("L1")).unwrap();
        assert!(refused(&s, open("L1")));
        assert!(refused(&s, Command::Lock { item: "L1".into(), level: 3, note: String::new(), dissent: None }));
        let lock = Command::Lock { item: "L2".into(), level: 9, note: String::new(), dissent: None };
        assert_eq!(s.decide(F, lock, 0), Err(DomainError::InvalidLevel(9)));
        let long = "å".repeat(MAX_TEXT_CHARS + 1);
        let lock = Command::Lock { item: "L2".into(), level: 2, note: long, dissent: None };
        assert_eq!(s.decide(F, lock, 0), Err(DomainError::TextTooLong));
    }

    #[test]
    fn only_scale_items_can_be_locked() {
        let s = seminar(0);
        let lock = Command::Lock { item: "hot".into(), level: 1, note: String::new(), dissent: None };
        assert_eq!(s.decide(F, lock, 0), Err(DomainError::WrongKind { action: "lock", kind: "choice" }));
    }

    #[test]
    fn choice_ballots_count_per_option_and_multiple_choice_counts_each() {
        let mut s = seminar(3);
        run(&mut s, F, open("hot")).unwrap();
        run(&mut s, F, open("many")).unwrap();
        run(&mut s, Actor::Participant(1), vote("hot", 1, RawAnswer::List(vec![1]))).unwrap();
        run(&mut s, Actor::Participant(2), vote("hot", 1, RawAnswer::List(vec![1]))).unwrap();
        run(&mut s, Actor::Participant(2), vote("hot", 1, RawAnswer::List(vec![0]))).unwrap();
        assert_eq!(s.items[0].rounds[0].tally, RoundTally::Choice(vec![1, 1]));
        assert_eq!(
            s.decide(Actor::Participant(3), vote("hot", 1, RawAnswer::List(vec![0, 1])), 0),
            Err(DomainError::InvalidAnswer)
        );
        run(&mut s, Actor::Participant(1), vote("many", 1, RawAnswer::List(vec![0, 2]))).unwrap();
        run(&mut s, Actor::Participant(2), vote("many", 1, RawAnswer::List(vec![2]))).unwrap();
        assert_eq!(s.items[1].rounds[0].tally, RoundTally::Choice(vec![1, 0, 2]));
        assert_eq!(s.items[1].rounds[0].voters(), 2);
    }

    #[test]
    fn points_add_up_per_option_with_supporters() {
        let mut s = seminar(2);
        run(&mut s, F, open("prio")).unwrap();
        run(&mut s, Actor::Participant(1), vote("prio", 1, RawAnswer::List(vec![10, 0]))).unwrap();
        run(&mut s, Actor::Participant(2), vote("prio", 1, RawAnswer::List(vec![4, 6]))).unwrap();
        assert_eq!(s.items[3].rounds[0].tally, RoundTally::Points { totals: vec![14, 6], supporters: vec![2, 1] });
        let over = vote("prio", 1, RawAnswer::List(vec![6, 6]));
        assert_eq!(s.decide(Actor::Participant(1), over, 0), Err(DomainError::InvalidAnswer));
    }

    #[test]
    fn words_are_normalised_and_limited_per_participant() {
        let mut s = seminar(2);
        run(&mut s, F, open("ord")).unwrap();
        let events = run(&mut s, P1, word("ord", "  FRAMTID ")).unwrap();
        assert!(matches!(&events[0], Event::WordAdded { word, .. } if word == "framtid"));
        assert_eq!(s.decide(P1, word("ord", "Framtid"), 0), Err(DomainError::DuplicateWord));
        run(&mut s, P1, word("ord", "får")).unwrap();
        assert_eq!(s.decide(P1, word("ord", "far"), 0), Err(DomainError::TooManyWords(2)));
        assert_eq!(
            s.decide(Actor::Participant(2), word("ord", "<b>"), 0),
            Err(DomainError::InvalidWord(WordError::Markup))
        );
        let long = "a".repeat(21);
        assert_eq!(
            s.decide(Actor::Participant(2), word("ord", &long), 0),
            Err(DomainError::InvalidWord(WordError::TooLong(20)))
        );
        run(&mut s, Actor::Participant(2), word("ord", "framtid")).unwrap();
        let RoundTally::Words(counts) = &s.items[2].rounds[0].tally else { panic!() };
        assert_eq!(counts.get("framtid"), Some(&2));
        assert_eq!(counts.get("får"), Some(&1));
        assert_eq!(s.items[2].rounds[0].voters(), 2);
        assert_eq!(s.decide(P1, vote("ord", 1, level(1)), 0), Err(DomainError::InvalidAnswer));
        assert_eq!(s.decide(P1, word("hot", "x"), 0), Err(DomainError::InvalidAnswer));
    }

    #[test]
    fn moderation_hides_shows_and_merges_by_group() {
        let mut s = seminar(0);
        let hide = |w: &str| Command::HideWord { item: "ord".into(), word: w.into() };
        let merge = |w: &str, into: &str| Command::MergeWords { item: "ord".into(), word: w.into(), into: into.into() };
        run(&mut s, F, hide("Tråkigt")).unwrap();
        assert!(s.items[2].moderation.hidden.contains("tråkigt"));
        assert_eq!(run(&mut s, F, hide("tråkigt")).unwrap(), vec![], "hiding twice stores nothing");
        run(&mut s, F, Command::ShowWord { item: "ord".into(), word: "tråkigt".into() }).unwrap();
        assert!(!s.items[2].moderation.hidden.contains("tråkigt"));

        run(&mut s, F, merge("digitaliseringen", "digitalisering")).unwrap();
        run(&mut s, F, merge("digitalt", "digitaliseringen")).unwrap();
        // Merging into a variant lands in its group, and a group merged elsewhere takes its variants along.
        assert_eq!(s.items[2].moderation.group("digitalt"), "digitalisering");
        run(&mut s, F, merge("digitalisering", "it")).unwrap();
        assert_eq!(s.items[2].moderation.group("digitaliseringen"), "it");
        assert_eq!(s.items[2].moderation.group("digitalt"), "it");
        assert_eq!(s.decide(F, merge("it", "digitalt"), 0), Err(DomainError::MergeCycle));
        run(&mut s, F, Command::UnmergeWord { item: "ord".into(), word: "digitalt".into() }).unwrap();
        assert_eq!(s.items[2].moderation.group("digitalt"), "digitalt");
        assert!(matches!(
            s.decide(F, Command::HideWord { item: "hot".into(), word: "x".into() }, 0),
            Err(DomainError::WrongKind { .. })
        ));
    }

    #[test]
    fn an_agenda_edit_keeps_answered_items_and_their_rounds() {
        let mut s = seminar(1);
        run(&mut s, F, open("hot")).unwrap();
        run(&mut s, P1, vote("hot", 1, RawAnswer::List(vec![1]))).unwrap();
        let mut agenda = s.agenda();
        agenda.items.reverse();
        agenda.items.retain(|i| i.id != "prio");
        agenda.items.iter_mut().find(|i| i.id == "hot").unwrap().title = text("Hot eller möjlighet – igen?");
        run(&mut s, F, Command::SetAgenda(agenda.clone())).unwrap();
        let index = s.item_index("hot").unwrap();
        assert_eq!(index, 2);
        assert_eq!(s.current, Some(index), "the current item follows its id");
        assert_eq!(s.items[index].rounds[0].tally, RoundTally::Choice(vec![0, 1]));
        assert_eq!(s.spec.items.len(), 3);

        let mut removed = agenda.clone();
        removed.items.retain(|i| i.id != "hot");
        assert_eq!(s.decide(F, Command::SetAgenda(removed), 0), Err(DomainError::ItemInUse("hot".into())));
        let mut changed = agenda;
        let hot = changed.items.iter_mut().find(|i| i.id == "hot").unwrap();
        hot.kind = ItemKind::Words { max_words: 3, max_chars: 40 };
        assert_eq!(s.decide(F, Command::SetAgenda(changed), 0), Err(DomainError::ItemInUse("hot".into())));
    }

    #[test]
    fn replaying_events_rebuilds_the_same_session() {
        let mut s = seminar(2);
        let mut log: Vec<Event> =
            (0..2).map(|p| Event::ParticipantJoined { participant: p + 1, token: format!("token-{p}") }).collect();
        let steps = [
            (F, open("hot")),
            (P1, vote("hot", 1, RawAnswer::List(vec![1]))),
            (Actor::Participant(2), vote("hot", 1, RawAnswer::List(vec![0]))),
            (F, Command::Reveal { item: "hot".into() }),
            (F, open("ord")),
            (P1, word("ord", "Framtid")),
            (F, Command::MergeWords { item: "ord".into(), word: "framtiden".into(), into: "framtid".into() }),
            (F, Command::SetFilter { enabled: false }),
        ];
        for (actor, command) in steps {
            log.extend(run(&mut s, actor, command).unwrap());
        }
        let rebuilt = Session::replay(seminar(0).spec, &log);
        assert_eq!(rebuilt.items, s.items);
        assert_eq!(rebuilt.version, s.version);
        assert!(!rebuilt.profanity_filter);
        assert_eq!(rebuilt.participant("token-1"), Some(2));
        let own = rebuilt.answers_of(1);
        assert_eq!(own["hot"].answer, Some(Answer::Options(vec![1])));
        assert_eq!(own["ord"].words, vec!["framtid".to_string()]);
    }

    #[test]
    fn a_compacted_log_rebuilds_the_outcome_without_who_answered_what() {
        let mut s = seminar(3);
        let steps = [
            (F, open("hot")),
            (P1, vote("hot", 1, RawAnswer::List(vec![1]))),
            (Actor::Participant(2), vote("hot", 1, RawAnswer::List(vec![0]))),
            (F, Command::Reveal { item: "hot".into() }),
            (F, Command::Revote { item: "hot".into() }),
            (Actor::Participant(3), vote("hot", 2, RawAnswer::List(vec![1]))),
            (F, open("ord")),
            (P1, word("ord", "Framtid")),
            (Actor::Participant(2), word("ord", "framtiden")),
            (F, Command::MergeWords { item: "ord".into(), word: "framtiden".into(), into: "framtid".into() }),
            (F, Command::HideWord { item: "ord".into(), word: "tråkigt".into() }),
            (F, Command::SetFilter { enabled: false }),
            (F, Command::ShareSummary { shared: true }),
        ];
        for (actor, command) in steps {
            run(&mut s, actor, command).unwrap();
        }
        let mut workshop = session(2);
        run(&mut workshop, F, open("L1")).unwrap();
        run(&mut workshop, P1, vote("L1", 1, level(2))).unwrap();
        run(&mut workshop, F, Command::Reveal { item: "L1".into() }).unwrap();
        let lock = |level| Command::Lock { item: "L1".into(), level, note: "n".into(), dissent: Some("d".into()) };
        run(&mut workshop, F, lock(2)).unwrap();
        run(&mut workshop, F, Command::Reopen { item: "L1".into() }).unwrap();
        run(&mut workshop, F, Command::Revote { item: "L1".into() }).unwrap();

        for original in [s, workshop] {
            let initial = Session::new(SessionSpec { items: vec![], scales: BTreeMap::new(), ..original.spec.clone() });
            let rebuilt = Session::replay(initial.spec, &original.compacted());
            assert_eq!(rebuilt.spec, original.spec);
            assert_eq!(rebuilt.current, original.current);
            assert_eq!(
                (rebuilt.profanity_filter, rebuilt.summary_shared),
                (original.profanity_filter, original.summary_shared)
            );
            assert_eq!(rebuilt.participant_count(), 0, "no resume tokens are kept");
            for (a, b) in rebuilt.items.iter().zip(&original.items) {
                assert_eq!(
                    (a.phase(), &a.consensus, &a.history, &a.moderation),
                    (b.phase(), &b.consensus, &b.history, &b.moderation)
                );
                assert_eq!(a.rounds.len(), b.rounds.len());
                for (x, y) in a.rounds.iter().zip(&b.rounds) {
                    assert_eq!(
                        (x.number, x.open, x.revealed, &x.tally, x.voters()),
                        (y.number, y.open, y.revealed, &y.tally, y.voters())
                    );
                    assert!(x.ballots.is_empty() && x.words.is_empty());
                }
            }
        }
    }

    #[test]
    fn events_survive_a_json_round_trip() {
        let event = Event::BallotCast { item: "L1".into(), round: 2, participant: 7, answer: Answer::NotRelevant };
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(json, r#"{"type":"ballot_cast","item":"L1","round":2,"participant":7,"answer":"not_relevant"}"#);
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
        let agenda = seminar(0).agenda();
        let event = Event::AgendaSet { scales: agenda.scales, items: agenda.items };
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
    }

    proptest! {
        /// Whatever participants send, the tally counts each participant's latest answer exactly once.
        #[test]
        fn tally_counts_add_up_to_voters(votes in proptest::collection::vec((1u32..=8, 0i64..=6), 0..80)) {
            let mut s = session(8);
            run(&mut s, F, open("L1")).unwrap();
            let mut latest = BTreeMap::new();
            for (p, value) in votes {
                let answer = if value == 6 { RawAnswer::Word("not_relevant".into()) } else { level(value) };
                if run(&mut s, Actor::Participant(p), vote("L1", 1, answer)).is_ok() {
                    latest.insert(p, value);
                }
            }
            let tally = scale_tally(&s, 0, 0);
            prop_assert_eq!(tally.voters() as usize, latest.len());
            for level in 1..=5i64 {
                let expected = latest.values().filter(|v| **v == level).count();
                prop_assert_eq!(tally.counts[level as usize - 1] as usize, expected);
            }
        }

        /// Word limits hold whatever a participant sends, in any order.
        #[test]
        fn no_participant_ever_has_more_than_the_limit_or_a_repeat(sent in proptest::collection::vec("[a-cå ]{0,4}", 0..30)) {
            let mut s = seminar(1);
            run(&mut s, F, open("ord")).unwrap();
            for text in sent {
                let _ = run(&mut s, P1, word("ord", &text));
            }
            let words = s.items[2].rounds[0].words.get(&1).cloned().unwrap_or_default();
            prop_assert!(words.len() <= 2);
            let mut unique = words.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), words.len());
        }
    }
}

/// The session as a state machine under random use: any sequence of commands from any actor leaves a
/// session that its own event log rebuilds exactly, with tallies that match the ballots.
#[cfg(test)]
mod machine {
    use super::*;
    use crate::domain::item::{agenda_from_input, ItemSetInput};
    use proptest::prelude::*;

    fn seminar() -> Session {
        let set: ItemSetInput = serde_json::from_str(
            r#"{"items": [
                {"id": "s", "kind": "scale", "title": "S", "scale": {"levels": [{"level": 1, "label": "1"}, {"level": 2, "label": "2"}, {"level": 3, "label": "3"}], "not_relevant": {"label": "-"}}},
                {"id": "c", "kind": "choice", "title": "C", "options": ["a", "b", "c"], "multiple": true},
                {"id": "w", "kind": "words", "title": "W", "max_words": 2},
                {"id": "p", "kind": "points", "title": "P", "options": ["a", "b"], "budget": 5}
            ]}"#,
        )
        .unwrap();
        let mut s = Session::new(
            SessionSpec::from_agenda("M", agenda_from_input(set.items, &BTreeMap::new()).unwrap()).unwrap(),
        );
        for p in 0..3 {
            let e = s.join(format!("t{p}"));
            s.apply(&e);
        }
        s
    }

    fn actor() -> impl Strategy<Value = Actor> {
        prop_oneof![Just(Actor::Facilitator), (1u32..=4).prop_map(Actor::Participant), Just(Actor::Screen)]
    }

    fn item() -> impl Strategy<Value = String> {
        prop_oneof![Just("s"), Just("c"), Just("w"), Just("p"), Just("x")].prop_map(String::from)
    }

    fn command() -> impl Strategy<Value = Command> {
        let raw = prop_oneof![
            (-2i64..6).prop_map(RawAnswer::Number),
            Just(RawAnswer::Word("not_relevant".into())),
            proptest::collection::vec(-1i64..7, 0..4).prop_map(RawAnswer::List),
        ];
        prop_oneof![
            (item(), 0u32..4, raw).prop_map(|(item, round, answer)| Command::Vote { item, round, answer }),
            (item(), 0u32..4, "[a-cå<> ]{0,5}").prop_map(|(item, round, text)| Command::Word { item, round, text }),
            item().prop_map(|item| Command::Open { item }),
            item().prop_map(|item| Command::Close { item }),
            item().prop_map(|item| Command::Reveal { item }),
            item().prop_map(|item| Command::Revote { item }),
            (item(), 0u8..5).prop_map(|(item, level)| Command::Lock { item, level, note: "n".into(), dissent: None }),
            item().prop_map(|item| Command::Reopen { item }),
            (item(), "[a-c]{1,2}").prop_map(|(item, word)| Command::HideWord { item, word }),
            (item(), "[a-c]{1,2}", "[a-c]{1,2}").prop_map(|(item, word, into)| Command::MergeWords {
                item,
                word,
                into
            }),
            (item(), "[a-c]{1,2}").prop_map(|(item, word)| Command::UnmergeWord { item, word }),
            any::<bool>().prop_map(|enabled| Command::SetFilter { enabled }),
            (0u8..4).prop_map(|max_level| Command::StartPrioritisation { max_level, budget: 10 }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn any_sequence_of_commands_keeps_the_session_consistent(steps in proptest::collection::vec((actor(), command()), 0..60)) {
            let mut s = seminar();
            let mut log: Vec<Event> = (0..3).map(|p| Event::ParticipantJoined { participant: p + 1, token: format!("t{p}") }).collect();
            for (actor, command) in steps {
                let refused_for_others = actor != Actor::Facilitator && !matches!(command, Command::Vote { .. } | Command::Word { .. });
                match s.decide(actor, command, 1) {
                    Ok(events) => {
                        prop_assert!(!refused_for_others, "a non-facilitator drove the session");
                        for e in &events {
                            s.apply(e);
                        }
                        log.extend(events);
                    }
                    Err(error) => prop_assert!(!error.code().is_empty()),
                }
            }
            for state in &s.items {
                prop_assert!(state.rounds.iter().filter(|r| r.open).count() <= 1, "one open round at most");
                prop_assert!(!(state.consensus.is_some() && state.rounds.last().is_some_and(|r| r.open)), "locked while voting");
                for round in &state.rounds {
                    match &round.tally {
                        RoundTally::Scale(t) => prop_assert_eq!(t.voters() as usize, round.ballots.len()),
                        RoundTally::Words(counts) => {
                            let sent: usize = round.words.values().map(Vec::len).sum();
                            prop_assert_eq!(counts.values().sum::<u32>() as usize, sent);
                            prop_assert!(round.words.values().all(|w| w.len() <= 2));
                        }
                        RoundTally::Points { totals, .. } => {
                            let given: u64 = round.ballots.values().map(|a| match a { Answer::Points(p) => p.iter().map(|&x| x as u64).sum(), _ => 0 }).sum();
                            prop_assert_eq!(totals.iter().sum::<u64>(), given);
                        }
                        RoundTally::Choice(_) => {}
                    }
                }
            }
            let rebuilt = Session::replay(seminar_spec(), &log);
            prop_assert_eq!(&rebuilt.items, &s.items);
            prop_assert_eq!(rebuilt.version, s.version);
        }
    }

    fn seminar_spec() -> SessionSpec {
        seminar().spec
    }
}
