//! What each sender did last, to answer a resent command with its first outcome (docs/protocol.md §4):
//! a phone that lost its connection resends every command it has no ack for, with its original id, and
//! must not get them applied twice. A facilitator may have a few dozen in flight (a plan typed in
//! quickly), a phone a handful.

use crate::domain::{Actor, Command, Event};
use std::collections::{HashMap, VecDeque};

/// Commands remembered per facilitator and per phone or screen. A phone sends a handful per item, so its
/// window costs memory only in a long workshop, and then a few kilobytes.
const FACILITATOR_WINDOW: usize = 32;
const PARTICIPANT_WINDOW: usize = 32;

/// The latest commands of each sender with their request ids and events. Memory only: after a restart
/// the domain's rules catch repeats (a ballot replaces the earlier one, a word is a duplicate).
#[derive(Default)]
pub(super) struct Recent {
    by_actor: HashMap<Actor, VecDeque<(u64, Command, Vec<Event>)>>,
}

impl Recent {
    /// The first outcome of `command` if `actor` sent it with this `id` lately. The command must be the
    /// same too: a reloaded page starts its ids again, and its new command with an old id is new.
    pub fn outcome(&self, actor: Actor, id: u64, command: &Command) -> Option<Vec<Event>> {
        let sent = self.by_actor.get(&actor)?;
        sent.iter().rev().find(|(seen, old, _)| *seen == id && old == command).map(|(_, _, events)| events.clone())
    }

    pub fn remember(&mut self, actor: Actor, id: u64, command: Command, events: Vec<Event>) {
        let window = match actor {
            Actor::Facilitator => FACILITATOR_WINDOW,
            Actor::Participant(_) | Actor::Screen => PARTICIPANT_WINDOW,
        };
        let sent = self.by_actor.entry(actor).or_default();
        if sent.len() == window {
            sent.pop_front();
        }
        sent.push_back((id, command, events));
    }

    /// Forgets everything: what was remembered in a batch that was never stored.
    pub fn clear(&mut self) {
        self.by_actor.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Command {
        Command::Word { item: "ord".into(), round: 1, text: text.into(), room_word: None }
    }

    #[test]
    fn every_unacknowledged_command_resent_gets_its_first_outcome() {
        let mut recent = Recent::default();
        let phone = Actor::Participant(7);
        for (id, text) in [(1, "samverkan"), (2, "ledning")] {
            recent.remember(phone, id, word(text), vec![]);
        }
        assert!(recent.outcome(phone, 1, &word("samverkan")).is_some(), "two deep, not only the last");
        assert!(recent.outcome(phone, 2, &word("ledning")).is_some());
        assert!(recent.outcome(phone, 1, &word("annat")).is_none(), "a reloaded page's new command with an old id");
        assert!(recent.outcome(Actor::Participant(8), 1, &word("samverkan")).is_none(), "per sender");
    }

    #[test]
    fn a_facilitator_and_a_phone_are_remembered_32_deep() {
        let mut recent = Recent::default();
        for id in 0..40 {
            recent.remember(Actor::Facilitator, id, word(&id.to_string()), vec![]);
            recent.remember(Actor::Participant(1), id, word(&id.to_string()), vec![]);
        }
        assert!(recent.outcome(Actor::Facilitator, 8, &word("8")).is_some());
        assert!(recent.outcome(Actor::Facilitator, 7, &word("7")).is_none());
        assert!(recent.outcome(Actor::Participant(1), 8, &word("8")).is_some());
        assert!(recent.outcome(Actor::Participant(1), 7, &word("7")).is_none());
    }
}
