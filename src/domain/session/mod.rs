//! A session's state and its rules, one file per command family. This file holds the session, its queries and the
//! dispatcher `decide`; it must not depend on I/O, a clock or any wire format.

mod answers;
mod apply;
mod command;
mod error;
mod event;
mod flow;
mod moderation;
mod plan;
mod room;
mod spec;
mod state;
#[cfg(test)]
mod tests;
mod values;

pub use command::Command;
pub use error::DomainError;
pub use event::Event;
pub use room::{RoomWord, MAX_LEFT_OUT_AT_ONCE};
pub use spec::{AreaSpec, CatalogueRef, SessionSpec};
pub use state::{Consensus, ItemState, Moderation, OwnAnswer, PastConsensus, Round};
pub use values::{
    Action, ActionStatus, Actor, Occasion, ParticipantNo, Phase, MAX_ACTIONS, MAX_TEXT_CHARS, MAX_TITLE_CHARS,
};

use crate::domain::catalogue::Scale;
use crate::domain::item::{Agenda, ItemSpec};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A live session: its agenda, who has joined, and every item's rounds, consensus and moderation.
///
/// Commands are decided into events ([`Session::decide`]); events are the durable facts and the only way state
/// changes ([`Session::apply`]), so replaying them rebuilds a session exactly.
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
    /// The word answers must carry while it is set (shown on the screen only).
    pub room_word: Option<RoomWord>,
    /// Room words set so far: the next one's number.
    room_words: u32,
    /// Participants the facilitator left out of every count; their answers wait aside in each round.
    pub left_out: BTreeSet<ParticipantNo>,
    /// Resume token → participant number. Tokens are secrets; never show them to others.
    tokens: HashMap<String, ParticipantNo>,
    /// Number of events applied; grows with every change, so it doubles as the state version.
    pub version: u64,
    /// The version every state message carries: it leaves out changes phones and screens cannot see (a
    /// participant changing an answer before the reveal), so nobody can count those by watching it rise.
    pub public_version: u64,
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
            room_word: None,
            room_words: 0,
            left_out: BTreeSet::new(),
            tokens: HashMap::new(),
            version: 0,
            public_version: 0,
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
        self.spec.scales.get(item.kind.scale_name()?)
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
    ///
    /// Every command has its own arm and no arm catches the rest, so a new command without a handler does not
    /// compile. Who may send what is [`Command::allowed`], checked before any handler runs.
    pub fn decide(&self, actor: Actor, command: Command, now: i64) -> Result<Vec<Event>, DomainError> {
        if !command.allowed(actor) {
            return Err(DomainError::Forbidden);
        }
        match command {
            Command::Vote { item, round, answer, room_word } => {
                let participant = answers::answering(actor)?;
                self.check_counted(participant)?;
                self.check_room_word(room_word.as_deref())?;
                self.decide_vote(participant, item, round, answer)
            }
            Command::Word { item, round, text, room_word } => {
                let participant = answers::answering(actor)?;
                self.check_counted(participant)?;
                self.check_room_word(room_word.as_deref())?;
                self.decide_word(participant, item, round, &text)
            }
            Command::Open { item } => self.decide_open(item),
            Command::Close { item } => self.decide_close(item),
            Command::Reveal { item } => self.decide_reveal(item),
            Command::Revote { item } => self.decide_revote(item),
            Command::Lock { item, level, note, dissent, by } => self.decide_lock(item, level, note, dissent, by, now),
            Command::Reopen { item } => self.decide_reopen(item, now),
            Command::Goto { item } => self.decide_goto(item),
            Command::HideWord { item, word } => self.decide_hide_word(item, &word),
            Command::ShowWord { item, word } => self.decide_show_word(item, &word),
            Command::MergeWords { item, word, into } => self.decide_merge_words(item, &word, &into),
            Command::UnmergeWord { item, word } => self.decide_unmerge_word(item, &word),
            Command::SetFilter { enabled } => Ok(self.decide_filter(enabled)),
            Command::SetAgenda(agenda) => self.decide_agenda(agenda),
            Command::ShareSummary { shared } => Ok(self.decide_share_summary(shared)),
            Command::Finish { organisation, field, date } => Self::decide_finish(organisation, field, date, now),
            Command::SetAction { id, item, text, owner, due, status } => {
                self.decide_set_action(id, item, text, owner, due, status)
            }
            Command::RemoveAction { id } => self.decide_remove_action(id),
            Command::StartPrioritisation { max_level, budget } => self.decide_prioritisation(max_level, budget),
            Command::SetRoomWord { word } => self.decide_room_word(word),
            Command::LeaveOut { participants } => self.decide_left_out(participants, true),
            Command::CountAgain { participants } => self.decide_left_out(participants, false),
            Command::LeaveOutFlagged { flagged } => Ok(self.decide_leave_out_flagged(flagged)),
            Command::CountAllAgain => Ok(self.decide_count_all_again()),
        }
    }

    /// An item's spec and state by id, or [`DomainError::UnknownItem`].
    fn find(&self, id: &str) -> Result<(&ItemSpec, &ItemState), DomainError> {
        self.item_index(id)
            .map(|i| (&self.spec.items[i], &self.items[i]))
            .ok_or_else(|| DomainError::UnknownItem(id.to_string()))
    }
}
