//! The session actor: the only owner of a session's state (what others hold of it is `super::handle`).
//! It decides commands in batches, stores the batch's events in one commit (group commit), acknowledges
//! only after that, and publishes coalesced state frames serialized once per audience.

use super::answer::{Answer, Outcome};
use super::demand::Demand;
use super::handle::{Joined, Owner, Request, SessionHandle};
use super::recent::Recent;
use super::LiveError;
use crate::domain::view::Audience;
use crate::domain::{Actor, Agenda, Command, DomainError, Event, ParticipantNo, Session};
use crate::metrics::METRICS;
use crate::protocol::{state_frame, Frame, Live};
use crate::store::Store;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;

/// Requests waiting for one actor. Bounded: when full, senders wait, which slows the flood at its source.
const MAILBOX: usize = 1024;
/// Most requests decided and committed together; larger batches amortise the fsync further. Batches this
/// large form only behind a backlog (100,000 phones voting through one session's node): 1,024 instead of
/// 256 there took ack p50 from about 10 to 8 s on two cores (docs/performance.md).
const MAX_BATCH: usize = 1024;
/// Most participants flagged at once (the console shows how many; `leave_out_flagged` leaves them out);
/// beyond this the burst speaks for itself.
const MAX_FLAGGED: usize = 10_000;
/// Wrong room words a participant may send in [`GUESS_WINDOW`] before their answers wait for the rest of
/// it: a typo or two is forgiven, trying the words of a list one after another is not.
const WRONG_ROOM_WORDS: u32 = 3;
const GUESS_WINDOW: Duration = Duration::from_secs(60);
/// The console counts new participants over this window.
const JOINS_WINDOW: Duration = Duration::from_secs(60);
/// Shortest time between two state frames for the screens in a crowd (25 ms, about 40 a second): a burst
/// of votes costs one frame, and a vote shows on the projector within 50 ms. (Every 50 ms, the wait for
/// the next frame alone took most of that: docs/performance.md.)
pub const STATE_INTERVAL: Duration = Duration::from_millis(25);
/// ... and for the facilitator's console in a crowd (50 ms, about 20 a second): its frame carries what
/// moderation needs (up to 300 of a cloud's word groups), tens of kilobytes in a crowd, and a laptop on
/// the venue's network need not redraw it as often as the projector.
const CONSOLE_INTERVAL: Duration = Duration::from_millis(50);
/// Up to this many phones online (a workshop, a small seminar), the screen and the facilitator get frames
/// as often as every [`SMALL_INTERVAL`] (5 ms): a vote shows on the projector at once, and only votes that
/// come within a few milliseconds of each other share a frame. A workshop's votes come seconds apart.
const SMALL_AUDIENCE: usize = 100;
const SMALL_INTERVAL: Duration = Duration::from_millis(5);
/// The phones' frame is published as often at any size while the phones' fan-out wants it: it gives each
/// phone the newest whenever its turn comes in a sweep (`web::fanout`), so the fresher the newest, the
/// sooner a vote shows. (Every 20 ms, a phone in a crowd waited 10 ms longer on average:
/// docs/performance.md.) Between two sweeps of a crowd nobody would get it, so it waits (see [`Demand`]).
const PHONES_INTERVAL: Duration = SMALL_INTERVAL;

/// The screens' cadence for an audience of `online` phones.
pub fn state_interval(online: usize) -> Duration {
    cadence(online, STATE_INTERVAL)
}

/// The facilitator's cadence for an audience of `online` phones.
fn console_interval(online: usize) -> Duration {
    cadence(online, CONSOLE_INTERVAL)
}

/// Every [`SMALL_INTERVAL`] up to [`SMALL_AUDIENCE`] phones online, `in_a_crowd` beyond.
fn cadence(online: usize, in_a_crowd: Duration) -> Duration {
    if online <= SMALL_AUDIENCE {
        SMALL_INTERVAL
    } else {
        in_a_crowd
    }
}

/// Owns one session. Runs until every handle is dropped.
pub(super) struct SessionActor {
    id: String,
    code: Arc<str>,
    session: Session,
    store: Arc<dyn Store>,
    /// Connections per participant online; a participant with two tabs counts once.
    online: HashMap<ParticipantNo, u32>,
    /// The part of `online` that other nodes relay, by node.
    relayed: HashMap<Arc<str>, HashMap<ParticipantNo, u32>>,
    /// Consoles open now, by the name of who runs each (two facilitators may drive one session), and
    /// the part of them other nodes relay.
    consoles: Consoles,
    relayed_consoles: HashMap<Arc<str>, Consoles>,
    /// Phones get their own, smaller view (each phone the newest at the pace its node's fan-out can
    /// afford, see `web::fanout`); screens the whole public view.
    phones: watch::Sender<Frame>,
    screens: watch::Sender<Frame>,
    facilitator: watch::Sender<Frame>,
    /// When the phones on this node want their next frame. Phones on other nodes want every change.
    demand: Arc<Demand>,
    /// Frames published so far: with the session's version, the place of the next frame (see [`Frame`]).
    published: u64,
    clock: fn() -> i64,
    /// Set by a stop request: the actor ends after the current batch, dropping its frame senders.
    stopping: bool,
    /// Each sender's latest applied commands with their request ids and events, to answer a retry.
    recent: Recent,
    /// When each new participant of the last minute joined, oldest first, for the console's joins per minute.
    joins: VecDeque<Instant>,
    /// Participants who joined in a burst from one network; memory only. The console shows how many of
    /// them still count, so one counted again by mistake can be left out again.
    flagged: HashSet<ParticipantNo>,
    /// Wrong room words per participant in the current minute, so nobody tries words one after another.
    guesses: HashMap<ParticipantNo, (Instant, u32)>,
}

/// A reply held until the batch's events are committed, so nobody hears of, or reads, what is not stored.
enum Pending {
    Join(oneshot::Sender<Result<Joined, LiveError>>, Result<Joined, LiveError>),
    Command(Answer, Outcome),
    Snapshot(oneshot::Sender<Session>),
    Agenda(oneshot::Sender<(String, Agenda)>),
}

impl SessionActor {
    /// Starts the actor on the current runtime and returns its handle.
    pub(super) fn spawn(
        id: String,
        code: String,
        owner: Owner,
        session: Session,
        store: Arc<dyn Store>,
        clock: fn() -> i64,
        runtime: &tokio::runtime::Handle,
    ) -> SessionHandle {
        let code: Arc<str> = code.into();
        let (mailbox, requests) = mpsc::channel(MAILBOX);
        let mut actor = SessionActor {
            id,
            code: code.clone(),
            session,
            store,
            online: HashMap::new(),
            relayed: HashMap::new(),
            consoles: HashMap::new(),
            relayed_consoles: HashMap::new(),
            phones: watch::Sender::new(Frame::default()),
            screens: watch::Sender::new(Frame::default()),
            facilitator: watch::Sender::new(Frame::default()),
            demand: Arc::default(),
            published: 0,
            clock,
            stopping: false,
            recent: Recent::default(),
            joins: VecDeque::new(),
            flagged: HashSet::new(),
            guesses: HashMap::new(),
        };
        actor.publish();
        actor.send_frame(Audience::Phone);
        let frames = [actor.facilitator.subscribe(), actor.screens.subscribe(), actor.phones.subscribe()];
        let handle = SessionHandle::local(mailbox, frames, actor.demand.clone(), owner, code);
        runtime.spawn(actor.run(requests));
        handle
    }

    async fn run(mut self, mut requests: mpsc::Receiver<Request>) {
        // Changes not yet published to the screens, the facilitator, the phones.
        let (mut screens_behind, mut console_behind, mut phones_behind) = (false, false, false);
        // When the oldest change not yet on the screens happened, for the update-latency histogram.
        let mut changed_at = Instant::now();
        let (mut last_screens, mut last_console, mut last_phones) = (Instant::now(), Instant::now(), Instant::now());
        METRICS.live_sessions.fetch_add(1, Relaxed);
        let mut batch = Vec::with_capacity(MAX_BATCH);
        loop {
            let screens_at = last_screens + state_interval(self.online.len());
            let console_at = last_console + console_interval(self.online.len());
            let phones_at = self.phones_wanted(last_phones + PHONES_INTERVAL);
            // The console's joins in the last minute fall as they age, with no change to say so.
            let join_ages_out = self.joins.front().map(|at| *at + JOINS_WINDOW);
            tokio::select! {
                received = requests.recv_many(&mut batch, MAX_BATCH) => {
                    if received == 0 {
                        break;
                    }
                    let started = Instant::now();
                    if self.handle_batch(&mut batch).await {
                        if !screens_behind {
                            (screens_behind, changed_at) = (true, started);
                        }
                        (console_behind, phones_behind) = (true, true);
                    }
                    if self.stopping {
                        break;
                    }
                }
                _ = tokio::time::sleep_until(screens_at), if screens_behind => {}
                _ = tokio::time::sleep_until(console_at), if console_behind => {}
                _ = tokio::time::sleep_until(phones_at), if phones_behind => {}
                _ = tokio::time::sleep_until(join_ages_out.unwrap_or(console_at)), if join_ages_out.is_some() => {
                    // Only the console shows the joins.
                    self.prune_joins(Instant::now());
                    console_behind = true;
                }
            }
            let now = Instant::now();
            if screens_behind && now >= screens_at {
                self.send_frame(Audience::Public);
                METRICS.update_latency.observe(changed_at.elapsed());
                screens_behind = false;
                last_screens = now;
            }
            if console_behind && now >= console_at {
                self.send_frame(Audience::Facilitator);
                console_behind = false;
                last_console = now;
            }
            if phones_behind && now >= phones_at {
                self.send_frame(Audience::Phone);
                phones_behind = false;
                last_phones = now;
            }
        }
        METRICS.live_sessions.fetch_sub(1, Relaxed);
    }

    /// Decides every request of a batch against the evolving state, commits all their events at once,
    /// then answers. Returns whether anything visible changed.
    async fn handle_batch(&mut self, batch: &mut Vec<Request>) -> bool {
        let first_seq = self.session.version + 1;
        let mut events: Vec<Event> = Vec::new();
        let mut pending = Vec::with_capacity(batch.len());
        let mut presence_changed = false;
        // The newest forwarded entry decided in this batch; stored with its events (entries arrive in order).
        let mut cursor: Option<String> = None;
        let now = (self.clock)();
        for request in batch.drain(..) {
            match request {
                Request::Leave { participant, via } => {
                    // A leave relayed from a node already declared gone was counted off then.
                    let counted = match via {
                        None => true,
                        Some(node) => self.relayed.get_mut(&node).is_some_and(|there| take_one(there, participant)),
                    };
                    if counted {
                        presence_changed |= take_one(&mut self.online, participant);
                    }
                }
                Request::Console { name, present, via } => {
                    if present {
                        *self.consoles.entry(name.clone()).or_default() += 1;
                        if let Some(node) = via {
                            *self.relayed_consoles.entry(node).or_default().entry(name).or_default() += 1;
                        }
                        presence_changed = true;
                    } else {
                        let counted = match via {
                            None => true,
                            Some(node) => {
                                self.relayed_consoles.get_mut(&node).is_some_and(|there| take_one(there, name.clone()))
                            }
                        };
                        if counted {
                            presence_changed |= take_one(&mut self.consoles, name);
                        }
                    }
                }
                Request::NodeGone { node } => {
                    for (participant, connections) in self.relayed.remove(&node).unwrap_or_default() {
                        for _ in 0..connections {
                            take_one(&mut self.online, participant);
                        }
                        presence_changed = true;
                    }
                    for (name, connections) in self.relayed_consoles.remove(&node).unwrap_or_default() {
                        for _ in 0..connections {
                            take_one(&mut self.consoles, name.clone());
                        }
                        presence_changed = true;
                    }
                }
                Request::Flag { participants } => {
                    let before = self.flagged.len();
                    for participant in participants {
                        if self.flagged.len() < MAX_FLAGGED {
                            self.flagged.insert(participant);
                        }
                    }
                    presence_changed |= self.flagged.len() != before;
                }
                Request::Snapshot { reply } => pending.push(Pending::Snapshot(reply)),
                Request::Stop => self.stopping = true,
                Request::Compact { reply } => {
                    // Requests decided earlier in this batch are not stored yet; leave compaction for a quiet moment.
                    let outcome = if events.is_empty() {
                        let compacted = self.session.compacted();
                        let stored = self.store.replace_events(&self.id, &compacted, now).await;
                        stored.map_err(LiveError::from)
                    } else {
                        Err(LiveError::NotStored)
                    };
                    if outcome.is_ok() {
                        self.stopping = true;
                    }
                    let _ = reply.send(outcome);
                }
                Request::Agenda { reply } => pending.push(Pending::Agenda(reply)),
                Request::Join { token, known_only, entry, via, reply } => {
                    cursor = entry.or(cursor);
                    let known = token.as_deref().and_then(|t| self.session.participant(t).map(|p| (p, t.to_string())));
                    if known.is_none() && known_only {
                        pending.push(Pending::Join(reply, Err(LiveError::WrongKey)));
                        continue;
                    }
                    let new = known.is_none();
                    let (participant, token) = known.unwrap_or_else(|| {
                        let token = uuid::Uuid::new_v4().to_string();
                        let event = self.session.join(token.clone());
                        self.session.apply(&event);
                        events.push(event);
                        self.joins.push_back(Instant::now());
                        (self.session.participant(&token).expect("just joined"), token)
                    });
                    *self.online.entry(participant).or_default() += 1;
                    if let Some(node) = via {
                        *self.relayed.entry(node).or_default().entry(participant).or_default() += 1;
                    }
                    presence_changed = true;
                    let answers = self.session.answers_of(participant);
                    let version = self.session.version;
                    pending.push(Pending::Join(reply, Ok(Joined { participant, token, answers, version, new })));
                }
                Request::Command { actor, request, command, entry, reply } => {
                    cursor = entry.or(cursor);
                    let retry = request.and_then(|id| self.recent.outcome(actor, id, &command));
                    if let Some(first_time) = retry {
                        pending.push(Pending::Command(reply, Ok(first_time)));
                        continue;
                    }
                    let answering = match (actor, &command) {
                        (Actor::Participant(p), Command::Vote { .. } | Command::Word { .. }) => Some(p),
                        _ => None,
                    };
                    if answering.is_some_and(|p| self.guessing(p, Instant::now())) {
                        pending.push(Pending::Command(reply, Err(LiveError::GuessingRoomWords)));
                        continue;
                    }
                    let remembered = request.map(|id| (id, command.clone()));
                    let command = match command {
                        Command::LeaveOutFlagged { .. } => {
                            Command::LeaveOutFlagged { flagged: self.flagged.iter().copied().collect() }
                        }
                        command => command,
                    };
                    let outcome = self.session.decide(actor, command, now).inspect(|new| {
                        for event in new {
                            self.session.apply(event);
                        }
                        events.extend(new.iter().cloned());
                    });
                    if let (Some((id, command)), Ok(new)) = (remembered, &outcome) {
                        self.recent.remember(actor, id, command, new.clone());
                    }
                    if let (Some(p), Err(DomainError::WrongRoomWord)) = (answering, &outcome) {
                        self.guessed(p, Instant::now());
                    }
                    pending.push(Pending::Command(reply, outcome.map_err(LiveError::from)));
                }
            }
        }
        if !events.is_empty() {
            if let Err(error) = self.store.append(&self.id, first_seq, &events, cursor.as_deref()).await {
                tracing::error!(session = %self.code, %error, "could not store events; reloading the session");
                // What this batch remembered was never stored.
                self.recent.clear();
                self.reload().await;
                for p in pending {
                    match p {
                        Pending::Join(reply, _) => {
                            let _ = reply.send(Err(LiveError::NotStored));
                        }
                        Pending::Command(reply, _) => reply.give(Err(LiveError::NotStored)),
                        read => self.answer_read(read),
                    }
                }
                return true;
            }
        }
        if !events.is_empty() {
            METRICS.commits.fetch_add(1, Relaxed);
            for event in &events {
                match event {
                    Event::BallotCast { .. } => METRICS.votes_applied.fetch_add(1, Relaxed),
                    Event::WordAdded { .. } => METRICS.words_applied.fetch_add(1, Relaxed),
                    _ => 0,
                };
            }
        }
        for p in pending {
            match p {
                Pending::Join(reply, outcome) => {
                    let _ = reply.send(outcome);
                }
                Pending::Command(reply, outcome) => reply.give(outcome),
                read => self.answer_read(read),
            }
        }
        presence_changed || !events.is_empty()
    }

    /// Answers a read with the state as stored (after the batch's commit, or after a reload).
    fn answer_read(&self, read: Pending) {
        match read {
            Pending::Snapshot(reply) => {
                let _ = reply.send(self.session.clone());
            }
            Pending::Agenda(reply) => {
                let _ = reply.send((self.session.spec.title.clone(), self.session.agenda()));
            }
            Pending::Join(..) | Pending::Command(..) => {}
        }
    }

    /// Forgets joins older than [`JOINS_WINDOW`].
    fn prune_joins(&mut self, now: Instant) {
        while self.joins.front().is_some_and(|at| now.duration_since(*at) >= JOINS_WINDOW) {
            self.joins.pop_front();
        }
    }

    /// Whether `participant` has missed the room word too often this minute.
    fn guessing(&self, participant: ParticipantNo, now: Instant) -> bool {
        self.guesses
            .get(&participant)
            .is_some_and(|(since, wrong)| now.duration_since(*since) < GUESS_WINDOW && *wrong >= WRONG_ROOM_WORDS)
    }

    fn guessed(&mut self, participant: ParticipantNo, now: Instant) {
        if self.guesses.len() > 10_000 {
            self.guesses.retain(|_, (since, _)| now.duration_since(*since) < GUESS_WINDOW);
        }
        let entry = self.guesses.entry(participant).or_insert((now, 0));
        if now.duration_since(entry.0) >= GUESS_WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }

    /// After a failed commit, the in-memory state is ahead of the store: rebuild it from what is stored.
    async fn reload(&mut self) {
        match self.store.load_session(&self.code).await {
            Ok(Some(stored)) => self.session = Session::replay(stored.spec, &stored.events),
            Ok(None) => tracing::error!(session = %self.code, "session vanished from the store"),
            Err(error) => {
                tracing::error!(session = %self.code, %error, "could not reload the session")
            }
        }
    }

    /// Serializes one audience's view once and hands the frame to every connection that follows it.
    fn send_frame(&mut self, audience: Audience) {
        self.published += 1;
        self.prune_joins(Instant::now());
        // Only the facilitator's view lists the consoles: the phones' frames, the hot path, skip it.
        let mut consoles: Vec<&str> = match audience {
            Audience::Facilitator => self.consoles.keys().map(String::as_str).collect(),
            Audience::Public | Audience::Phone => Vec::new(),
        };
        consoles.sort_unstable();
        let live = Live {
            online: self.online.len(),
            consoles: &consoles,
            joins_last_minute: self.joins.len() as u32,
            flagged: self.flagged_counted(audience),
        };
        let frame = state_frame(&self.session, &self.code, live, audience, self.published);
        if frame.is_empty() {
            return;
        }
        METRICS.updates_published.fetch_add(1, Relaxed);
        let sender = match audience {
            Audience::Phone => &self.phones,
            Audience::Public => &self.screens,
            Audience::Facilitator => &self.facilitator,
        };
        sender.send_replace(frame);
    }

    /// How many flagged participants still count, for the facilitator's frame.
    fn flagged_counted(&self, audience: Audience) -> u32 {
        let left_out = &self.session.left_out;
        let counted = match audience {
            Audience::Facilitator if left_out.is_empty() => self.flagged.len(),
            Audience::Facilitator => self.flagged.iter().filter(|p| !left_out.contains(p)).count(),
            Audience::Public | Audience::Phone => 0,
        };
        counted as u32
    }

    /// When the phones' next frame is due, `earliest` at the earliest: later while this node's fan-out sweeps
    /// only later, unless other nodes relay phones of the session (they get every change).
    fn phones_wanted(&self, earliest: Instant) -> Instant {
        if self.relayed.values().any(|phones| !phones.is_empty()) {
            return earliest;
        }
        self.demand.wanted_from(earliest).unwrap_or(earliest)
    }

    /// The screens' and the facilitator's frames.
    fn publish(&mut self) {
        self.send_frame(Audience::Public);
        self.send_frame(Audience::Facilitator);
    }
}

/// Open consoles by the name of who runs them.
type Consoles = HashMap<String, u32>;

/// Counts one connection of `who` off; true if it had one.
fn take_one<K: std::hash::Hash + Eq>(connections: &mut HashMap<K, u32>, who: K) -> bool {
    let Some(count) = connections.get_mut(&who) else { return false };
    *count -= 1;
    if *count == 0 {
        connections.remove(&who);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screens_get_frames_at_once_in_a_workshop_and_forty_a_second_in_a_crowd_the_console_twenty() {
        assert_eq!(state_interval(10), Duration::from_millis(5));
        assert_eq!(state_interval(101), Duration::from_millis(25));
        assert_eq!(state_interval(19_000), Duration::from_millis(25));
        assert_eq!(console_interval(10), Duration::from_millis(5));
        assert_eq!(console_interval(19_000), Duration::from_millis(50));
    }
}
