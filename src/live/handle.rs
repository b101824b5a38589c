//! What the rest of the server holds of a running session: a cheap-clone [`SessionHandle`], the
//! [`Request`]s it puts in the session actor's mailbox, and what they answer. The actor itself, which owns
//! the state, is `super::actor`.

use super::answer::{Answer, Outcome};
use super::demand::Demand;
use super::LiveError;
use crate::domain::session::OwnAnswer;
use crate::domain::{Actor, Agenda, Command, ParticipantNo, Session};
use crate::protocol::Frame;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, watch};

/// Which stream of state frames a connection follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feed {
    Facilitator,
    Screen,
    Phone,
}

/// What a connection gets back from joining as a participant.
#[derive(Debug, Clone)]
pub struct Joined {
    pub participant: ParticipantNo,
    pub token: String,
    /// The participant's own answers in the latest round of each item they answered, by item id.
    pub answers: BTreeMap<String, OwnAnswer>,
    /// The session's stored changes once the participant is in: the first state the connection gets
    /// shows at least these. Frames follow at the session's cadence, so the newest one may
    /// still be older than the join (right after the session started, the one from before anything
    /// happened).
    pub version: u64,
    /// Whether the join made a new participant (rather than bringing back a known one).
    pub new: bool,
}

/// What a session actor is asked: by this node's sockets through a [`SessionHandle`], or by another
/// node's, forwarded by the bus.
pub enum Request {
    Join {
        token: Option<String>,
        /// Only resume a known identity; never make a new participant (an address held back for
        /// guessing may still bring back phones that hold their token).
        known_only: bool,
        /// The command-stream entry this came from, when another node forwarded it (see `crate::bus`).
        entry: Option<String>,
        /// The node whose socket this is, when another node forwarded it: its connections are counted
        /// apart, so they can be let go at once if that node dies.
        via: Option<Arc<str>>,
        reply: oneshot::Sender<Result<Joined, LiveError>>,
    },
    Leave {
        participant: ParticipantNo,
        via: Option<Arc<str>>,
    },
    /// A console opened (`present`) or closed, under the name of who runs it (empty: a key link's holder).
    Console {
        name: String,
        present: bool,
        via: Option<Arc<str>>,
    },
    /// Participants who joined in a burst of new phones from one network, for the facilitator to see and
    /// perhaps leave out of the counts. Kept in memory only.
    Flag {
        participants: Vec<ParticipantNo>,
    },
    /// A node that relayed connections to this session is gone: its participants are no longer online.
    NodeGone {
        node: Arc<str>,
    },
    Agenda {
        reply: oneshot::Sender<(String, Agenda)>,
    },
    Snapshot {
        reply: oneshot::Sender<Session>,
    },
    Compact {
        reply: oneshot::Sender<Result<(), LiveError>>,
    },
    Stop,
    Command {
        actor: Actor,
        /// The client's request id; with it a resent command is recognised and applied once.
        request: Option<u64>,
        command: Command,
        entry: Option<String>,
        reply: Answer,
    },
}

/// A revoked key is stored as this prefix and a secret nobody was given, so no key link opens the
/// session and nothing reveals one.
pub const REVOKED: &str = "revoked:";

/// Who may drive a session: whoever holds its facilitator key, and the members of the organisation that
/// owns it (an anonymous session has none).
#[derive(Debug, Clone)]
pub struct Owner {
    facilitator_key: Arc<str>,
    organisation: Option<Arc<str>>,
}

impl Owner {
    pub fn new(facilitator_key: &str, organisation: Option<&str>) -> Self {
        Owner { facilitator_key: facilitator_key.into(), organisation: organisation.map(Into::into) }
    }
}

/// A cheap-clone handle to a running session actor.
#[derive(Clone)]
pub struct SessionHandle {
    mailbox: mpsc::Sender<Request>,
    phones: watch::Receiver<Frame>,
    screens: watch::Receiver<Frame>,
    facilitator: watch::Receiver<Frame>,
    /// When this node's phones want the next frame; `None` on a node relaying the session, whose owner
    /// renders the phones' frame at every change.
    demand: Option<Arc<Demand>>,
    owner: Owner,
    code: Arc<str>,
}

impl SessionHandle {
    /// A handle whose requests go to `mailbox` and whose frames come from the given watches: how a node that
    /// does not run a session's actor serves its sockets (see `crate::bus`).
    pub fn relayed(
        mailbox: mpsc::Sender<Request>,
        [facilitator, screens, phones]: [watch::Receiver<Frame>; 3],
        owner: Owner,
        code: &str,
    ) -> Self {
        SessionHandle { mailbox, phones, screens, facilitator, demand: None, owner, code: code.into() }
    }

    /// A handle to an actor on this node: its phones' fan-out says through `demand` when it wants frames.
    pub(super) fn local(
        mailbox: mpsc::Sender<Request>,
        [facilitator, screens, phones]: [watch::Receiver<Frame>; 3],
        demand: Arc<Demand>,
        owner: Owner,
        code: Arc<str>,
    ) -> Self {
        SessionHandle { mailbox, phones, screens, facilitator, demand: Some(demand), owner, code }
    }

    /// How many handles to this actor exist (this one included): the registry's own, and one per socket
    /// or request using the session. The actor ends when the last is dropped.
    pub fn holders(&self) -> usize {
        self.mailbox.strong_count()
    }

    /// True once the actor (or relay) behind this handle has ended: the registry then looks the session up again.
    pub fn is_closed(&self) -> bool {
        self.mailbox.is_closed()
    }

    /// Puts a request in the mailbox, waiting for room. Forwarded requests go in one by one, in stream order.
    pub async fn submit(&self, request: Request) -> Result<(), LiveError> {
        self.mailbox.send(request).await.map_err(|_| LiveError::Closed)
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    /// True if `key` is this session's facilitator key. Compares every byte so timing tells nothing.
    pub fn is_facilitator_key(&self, key: &str) -> bool {
        let (a, b) = (key.as_bytes(), self.owner.facilitator_key.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// The session's key link, unless it was revoked (see [`REVOKED`]).
    pub fn facilitator_key(&self) -> Option<&str> {
        let key = &*self.owner.facilitator_key;
        (!key.starts_with(REVOKED)).then_some(key)
    }

    /// The organisation that owns the session; `None` for an anonymous one.
    pub fn organisation(&self) -> Option<&str> {
        self.owner.organisation.as_deref()
    }

    /// Joins as a participant, resuming the identity behind `token` if the session knows it, else (unless
    /// `known_only`, which answers [`LiveError::WrongKey`]) as a new one.
    /// The caller must call [`SessionHandle::leave`] when the connection ends.
    pub async fn join(&self, token: Option<String>, known_only: bool) -> Result<Joined, LiveError> {
        let (reply, answer) = oneshot::channel();
        self.mailbox
            .send(Request::Join { token, known_only, entry: None, via: None, reply })
            .await
            .map_err(|_| LiveError::Closed)?;
        answer.await.map_err(|_| LiveError::Closed)?
    }

    /// Flags participants who joined in a burst from one network. Never waits.
    pub fn flag(&self, participants: Vec<ParticipantNo>) {
        if let Err(mpsc::error::TrySendError::Full(request)) = self.mailbox.try_send(Request::Flag { participants }) {
            let mailbox = self.mailbox.clone();
            tokio::spawn(async move {
                let _ = mailbox.send(request).await;
            });
        }
    }

    /// Counts a console in under the name of who runs it. Never waits, like [`SessionHandle::leave`].
    pub fn console(&self, name: &str, present: bool) {
        let request = Request::Console { name: name.to_string(), present, via: None };
        if let Err(mpsc::error::TrySendError::Full(request)) = self.mailbox.try_send(request) {
            let mailbox = self.mailbox.clone();
            tokio::spawn(async move {
                let _ = mailbox.send(request).await;
            });
        }
    }

    /// Marks one connection of a participant as gone. Never blocks: called from `Drop`.
    pub fn leave(&self, participant: ParticipantNo) {
        if let Err(mpsc::error::TrySendError::Full(request)) =
            self.mailbox.try_send(Request::Leave { participant, via: None })
        {
            let mailbox = self.mailbox.clone();
            tokio::spawn(async move {
                let _ = mailbox.send(request).await;
            });
        }
    }

    /// Runs a command. `Ok` carries its events, which are durably stored by then.
    pub async fn command(&self, actor: Actor, command: Command) -> Outcome {
        let (reply, answer) = Answer::wait();
        self.send_command(actor, None, command, reply).await;
        answer.await.map_err(|_| LiveError::Closed)?
    }

    /// Runs a client's command with its request id, then hands the outcome to `then` on the actor's thread
    /// (or wherever the outcome arrives); returns once the command is in the mailbox. The same command
    /// resent with the same id (after a reconnect that lost the ack) is not applied again; it answers with
    /// the events of the first time.
    pub async fn request(
        &self,
        actor: Actor,
        id: u64,
        command: Command,
        then: impl FnOnce(Outcome) + Send + Sync + 'static,
    ) {
        self.send_command(actor, Some(id), command, Answer::call(then)).await
    }

    async fn send_command(&self, actor: Actor, request: Option<u64>, command: Command, reply: Answer) {
        let message = Request::Command { actor, request, command, entry: None, reply };
        if let Err(mpsc::error::SendError(Request::Command { reply, .. })) = self.mailbox.send(message).await {
            reply.give(Err(LiveError::Closed));
        }
    }

    /// The session's title and current agenda, for export.
    pub async fn agenda(&self) -> Result<(String, Agenda), LiveError> {
        let (reply, answer) = oneshot::channel();
        self.mailbox.send(Request::Agenda { reply }).await.map_err(|_| LiveError::Closed)?;
        answer.await.map_err(|_| LiveError::Closed)
    }

    /// A copy of the whole session, for exports and read models.
    pub async fn snapshot(&self) -> Result<Session, LiveError> {
        let (reply, answer) = oneshot::channel();
        self.mailbox.send(Request::Snapshot { reply }).await.map_err(|_| LiveError::Closed)?;
        answer.await.map_err(|_| LiveError::Closed)
    }

    /// Reduces the session's stored log to its outcome, without individual ballots, then ends the actor
    /// (its connections close and reconnect to the reloaded session).
    pub async fn compact(&self) -> Result<(), LiveError> {
        let (reply, answer) = oneshot::channel();
        self.mailbox.send(Request::Compact { reply }).await.map_err(|_| LiveError::Closed)?;
        answer.await.map_err(|_| LiveError::Closed)?
    }

    /// Ends the actor; its connections close. Used when a session is deleted.
    pub async fn stop(&self) {
        let _ = self.mailbox.send(Request::Stop).await;
    }

    /// The latest state frame for an audience. A watch keeps only the newest frame, so a slow reader
    /// skips to the current state instead of building a backlog.
    pub fn frames(&self, feed: Feed) -> watch::Receiver<Frame> {
        match feed {
            Feed::Facilitator => self.facilitator.clone(),
            Feed::Screen => self.screens.clone(),
            Feed::Phone => self.phones.clone(),
        }
    }

    /// Where the fan-out of this node's phones says when it wants the next frame (see [`Demand`]).
    pub fn demand(&self, feed: Feed) -> Option<Arc<Demand>> {
        self.demand.clone().filter(|_| feed == Feed::Phone)
    }
}
