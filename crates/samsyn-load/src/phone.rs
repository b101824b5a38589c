//! One simulated phone: joins with the join code, waits until it sees an item open, then carries out its
//! plan (votes, a changed vote, words, a stall, a lost connection) over one WebSocket, reconnecting with
//! its resume token and resending what was not acknowledged, as docs/protocol.md asks of a client.
//! Measures its own acks and when its first vote shows up in the state it receives.

use crate::client::{state_version, StateLite, Ws, CONNECT_TIMEOUT};
use crate::plan::{Action, Clock, Step, CHOICE, WORDS};
use crate::websocket::Message;
use crate::Env;
use futures_util::task::AtomicWaker;
use futures_util::StreamExt;
use rand::rngs::SmallRng;
use rand::Rng;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;
use tungstenite::Utf8Bytes;

/// Attempts to join before a phone gives up (with waits of 0.5, 1, 2, 4 s between them).
const JOIN_ATTEMPTS: u32 = 5;

/// What the coordinator tells every phone. Small and `Copy`: each phone reads it on every wake-up.
#[derive(Debug, Clone, Copy, Default)]
pub struct Control {
    pub choice: Option<Opened>,
    pub words: Option<Opened>,
    /// Version of the facilitator's first state after the final close; phones report when they reach it.
    pub final_version: Option<u64>,
    pub finish: bool,
}

/// The coordinator's word to one phone. A phone looks at it on every wake-up, thousands of times a
/// second across all phones, so looking is one atomic load and, when nothing changed, one waker
/// registration: no lock, no queue of waiters (a `watch` channel costs a mutex round trip per look).
#[derive(Default)]
pub struct ControlCell {
    version: AtomicU64,
    value: Mutex<Control>,
    waker: AtomicWaker,
}

impl ControlCell {
    /// Sets the word and wakes the phone.
    pub fn set(&self, control: Control) {
        *self.value.lock().expect("never poisoned: nothing panics while holding it") = control;
        self.version.fetch_add(1, Ordering::Release);
        self.waker.wake();
    }

    /// The word now, and its version in `seen`.
    fn current(&self, seen: &mut u64) -> Control {
        *seen = self.version.load(Ordering::Acquire);
        *self.value.lock().expect("never poisoned: nothing panics while holding it")
    }

    /// The word, once its version is past `seen`.
    fn poll_changed(&self, seen: &mut u64, cx: &mut Context<'_>) -> Poll<Control> {
        if self.version.load(Ordering::Acquire) == *seen {
            self.waker.register(cx.waker());
            if self.version.load(Ordering::Acquire) == *seen {
                return Poll::Pending;
            }
        }
        Poll::Ready(self.current(seen))
    }
}

/// An item the facilitator opened: when, and the version of the first state that showed it open.
/// A phone treats the item as open once it has received a state of at least that version.
#[derive(Debug, Clone, Copy)]
pub struct Opened {
    pub at: Instant,
    pub version: u64,
}

/// A participant's first vote, for working out when the screen showed it (see `docs/performance.md`).
#[derive(Debug, Clone, Copy)]
pub struct FirstVote {
    pub sent_at: Instant,
    /// First votes sent by all phones when this one's ack arrived: a state whose `voted` reaches this
    /// number certainly includes this vote.
    pub bound: u64,
}

/// What a phone hands back at the end.
#[derive(Debug, Default)]
pub struct PhoneReport {
    pub joined: bool,
    pub join_failures: u32,
    pub join_us: Option<u32>,
    pub ack_us: Vec<u32>,
    pub phone_us: Option<u32>,
    /// The first vote, if it was acknowledged on the connection it was sent on.
    pub first_vote: Option<FirstVote>,
    /// The option of the last acknowledged vote.
    pub last_acked: Option<u8>,
    /// A command was sent but never answered; its effect on the tally is unknown.
    pub unanswered: bool,
    pub votes_sent: u64,
    pub votes_acked: u64,
    pub votes_resent: u64,
    pub words_sent: u64,
    /// The words acknowledged, as the server stored them.
    pub words_acked: Vec<String>,
    pub updates: u64,
    /// State messages received while the vote ran (from the choice's opening until closing began),
    /// and their bytes: what a delivery carries at load.
    pub vote_frames: u64,
    pub vote_bytes: u64,
    pub reconnects: u64,
    /// Commands answered `unavailable` (the node this phone reached could not reach the session's node in
    /// time): the phone reconnected and resent them with their ids, as docs/protocol.md says.
    pub unavailable: u64,
    pub stalls: u64,
    /// The last state received after the coordinator started closing, to compare with the final state.
    pub final_view: Option<Utf8Bytes>,
}

#[derive(Debug, Clone)]
enum Command {
    Vote(u8),
    Word(String),
}

#[derive(Debug)]
struct Inflight {
    id: u64,
    command: Command,
    sent_at: Instant,
    /// Sent again after a reconnect: its ack time says more about the reconnect than the server.
    resent: bool,
    first_vote: bool,
}

struct Phone {
    ix: usize,
    env: Arc<Env>,
    rng: SmallRng,
    actions: VecDeque<Action>,
    token: Option<String>,
    next_id: u64,
    inflight: Option<Inflight>,
    counted_first_vote: bool,
    /// After the first vote's ack: when it was sent and the `voted` count that proves it is included.
    awaiting_inclusion: Option<(Instant, u64)>,
    /// The newest state that arrived while the first vote waited for its ack, and when: the server
    /// writes state frames apart from acks, so the state with a vote can come before the vote's ack.
    state_before_ack: Option<(Instant, u64, Utf8Bytes)>,
    /// Highest state version received on this connection; 0 right after a (re)connect.
    seen_version: u64,
    /// Version of the last state parsed for the inclusion check.
    parsed_version: u64,
    counted_done: bool,
    counted_final: bool,
    /// The vote runs: state messages now count towards `vote_frames`.
    voting: bool,
    report: PhoneReport,
}

enum Wake {
    Control,
    Message(Option<std::io::Result<Message>>),
    Due,
}

/// Runs one phone until the coordinator says finish.
pub async fn run(ix: usize, plan: Vec<Action>, rng: SmallRng, env: Arc<Env>, control: Arc<ControlCell>) -> PhoneReport {
    let mut phone = Phone {
        ix,
        env: env.clone(),
        rng,
        actions: plan.into(),
        token: None,
        next_id: 1,
        inflight: None,
        counted_first_vote: false,
        awaiting_inclusion: None,
        state_before_ack: None,
        seen_version: 0,
        parsed_version: 0,
        counted_done: false,
        counted_final: false,
        voting: false,
        report: PhoneReport::default(),
    };
    let started = Instant::now();
    let Some(mut ws) = phone.join_first().await else {
        env.join_resolved.fetch_add(1, Ordering::SeqCst);
        env.done.fetch_add(1, Ordering::SeqCst);
        return phone.report;
    };
    phone.report.joined = true;
    phone.report.join_us = Some(micros(started.elapsed()));
    env.live.fetch_add(1, Ordering::SeqCst);
    env.join_resolved.fetch_add(1, Ordering::SeqCst);

    // One timer for the whole run, moved only when the next action's time changes: re-registering a
    // timer for every message read would cost more than reading the message.
    let timer = tokio::time::sleep_until(far_future());
    tokio::pin!(timer);
    let mut armed: Option<Instant> = None;
    let mut seen = 0;
    let mut ctl = control.current(&mut seen);
    loop {
        if ctl.finish {
            break;
        }
        phone.count_progress(&ctl);
        phone.voting = ctl.choice.is_some() && !env.closing.load(Ordering::SeqCst);
        let due = phone.due(&ctl);
        if due != armed {
            timer.as_mut().reset(due.unwrap_or_else(far_future));
            armed = due;
        }
        // Messages first: most wake-ups are a frame, and a ready branch spares polling the others. The
        // socket returns pending at the latest when the runtime's budget for this task runs out.
        let wake = tokio::select! {
            biased;
            message = ws.next() => Wake::Message(message),
            now = std::future::poll_fn(|cx| control.poll_changed(&mut seen, cx)) => {
                ctl = now;
                Wake::Control
            }
            _ = &mut timer, if due.is_some() => Wake::Due,
        };
        let lost = match wake {
            Wake::Control => false,
            Wake::Message(Some(Ok(Message::Text(text)))) => phone.on_text(text),
            Wake::Message(Some(Ok(Message::Close) | Err(_)) | None) => {
                let ix = phone.ix;
                env.errors.add(|| format!("phone {ix}: the server closed the connection"));
                true
            }
            Wake::Due => {
                let action = phone.actions.pop_front().expect("due means there is an action");
                match action.step {
                    Step::Vote { option, drop_after_send } => {
                        let sent = phone.send(&mut ws, Command::Vote(option)).await;
                        !sent || drop_after_send
                    }
                    Step::Word { text } => !phone.send(&mut ws, Command::Word(text)).await,
                    Step::Stall(length) => {
                        phone.report.stalls += 1;
                        // A phone that is not reading says nothing about how fast the server delivers.
                        phone.awaiting_inclusion = None;
                        tokio::time::sleep_until((Instant::now() + length).min(env.deadline)).await;
                        false
                    }
                    Step::Drop => true,
                }
            }
        };
        if lost {
            match phone.reconnect(ws).await {
                Some(new) => ws = new,
                None => {
                    env.live.fetch_sub(1, Ordering::SeqCst);
                    phone.count_done_anyway();
                    return phone.finish();
                }
            }
        }
    }
    drop(ws);
    phone.finish()
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400)
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

impl Phone {
    fn finish(mut self) -> PhoneReport {
        self.report.unanswered = self.inflight.is_some();
        self.report
    }

    /// Tells the coordinator when this phone's plan is carried out, and when it saw the final state.
    fn count_progress(&mut self, ctl: &Control) {
        if !self.counted_done && self.actions.is_empty() && self.inflight.is_none() {
            self.counted_done = true;
            self.env.done.fetch_add(1, Ordering::SeqCst);
        }
        if !self.counted_final && ctl.final_version.is_some_and(|v| self.seen_version >= v) {
            self.counted_final = true;
            self.env.at_final.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn count_done_anyway(&mut self) {
        if !self.counted_done {
            self.counted_done = true;
            self.env.done.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// When the next action is due: never while a command awaits its answer (one at a time, like a
    /// person tapping), and only once this phone has seen the item it needs open.
    fn due(&self, ctl: &Control) -> Option<Instant> {
        if self.inflight.is_some() {
            return None;
        }
        let action = self.actions.front()?;
        let opened = match action.clock {
            Clock::Choice => ctl.choice?,
            Clock::Words => ctl.words?,
        };
        (self.seen_version >= opened.version).then(|| opened.at + action.after)
    }

    /// Connects and says hello as a participant (resuming `self.token` if set). Returns the socket after
    /// the `welcome` and the first `state` arrived, and the welcome.
    async fn hello(&mut self) -> Result<(Ws, Value), String> {
        tokio::time::timeout(CONNECT_TIMEOUT, self.hello_inner()).await.map_err(|_| "no welcome in time".to_string())?
    }

    async fn hello_inner(&mut self) -> Result<(Ws, Value), String> {
        let mut ws = self.env.target.connect(self.ix).await?;
        let id = self.fresh_id();
        let mut hello = json!({"type": "hello", "id": id, "role": "participant", "code": self.env.code});
        if let Some(token) = &self.token {
            hello["token"] = json!(token);
        }
        ws.send(&hello.to_string()).await.map_err(|e| format!("send hello: {e}"))?;
        let mut welcome = None;
        loop {
            let message = ws.next().await.ok_or("closed before welcome")?.map_err(|e| format!("read: {e}"))?;
            let Message::Text(text) = message else { return Err("closed before welcome".into()) };
            if let Some(version) = state_version(&text) {
                if welcome.is_none() {
                    return Err("state before welcome".into());
                }
                self.seen_version = version;
                self.parsed_version = version;
                self.report.updates += 1;
                self.count_vote_frame(&text);
                if self.env.keeps_final_view() {
                    self.report.final_view = Some(text);
                }
                return Ok((ws, welcome.expect("checked")));
            }
            let value: Value = serde_json::from_str(&text).map_err(|e| format!("unreadable reply: {e}"))?;
            match value["type"].as_str() {
                Some("welcome") => {
                    self.token = value["token"].as_str().map(String::from);
                    if self.token.is_none() {
                        return Err("welcome without a token".into());
                    }
                    welcome = Some(value);
                }
                Some("error") => return Err(format!("hello refused: {} {}", value["code"], value["message"])),
                _ => return Err(format!("unexpected before welcome: {text}")),
            }
        }
    }

    async fn join_first(&mut self) -> Option<Ws> {
        let mut wait = Duration::from_millis(500);
        for attempt in 1..=JOIN_ATTEMPTS {
            match self.hello().await {
                Ok((ws, _)) => return Some(ws),
                Err(error) => {
                    self.report.join_failures += 1;
                    let ix = self.ix;
                    self.env.join_errors.add(|| format!("phone {ix}, attempt {attempt}: {error}"));
                }
            }
            if attempt == JOIN_ATTEMPTS || Instant::now() + wait >= self.env.deadline {
                break;
            }
            tokio::time::sleep(self.jitter(wait)).await;
            wait *= 2;
        }
        None
    }

    /// Drops the connection, waits as the protocol's reconnect rule says, says hello with the resume
    /// token, checks the welcome's ballots against what was acknowledged, and resends what was not.
    async fn reconnect(&mut self, old: Ws) -> Option<Ws> {
        drop(old);
        self.report.reconnects += 1;
        self.awaiting_inclusion = None;
        let mut wait = Duration::from_millis(500);
        // As long as a person would keep the page open: until the run's time limit.
        while Instant::now() + wait < self.env.deadline {
            tokio::time::sleep(self.jitter(wait)).await;
            wait = (wait * 2).min(Duration::from_secs(5));
            match self.hello().await {
                Ok((mut ws, welcome)) => {
                    self.check_resumed(&welcome);
                    let Some(inflight) = self.inflight.take() else { return Some(ws) };
                    if matches!(inflight.command, Command::Vote(_)) {
                        self.report.votes_resent += 1;
                    }
                    // With its original id: a server that applied it before the drop answers with that
                    // outcome instead of applying it again (docs/protocol.md, "Reconnect rule").
                    if self.transmit(&mut ws, inflight.command, inflight.first_vote, Some(inflight.id)).await {
                        return Some(ws);
                    }
                }
                Err(error) => {
                    let ix = self.ix;
                    self.env.errors.add(|| format!("phone {ix}: reconnect failed: {error}"));
                }
            }
        }
        let ix = self.ix;
        self.env.errors.add(|| format!("phone {ix}: gave up reconnecting"));
        None
    }

    /// `wait` give or take a quarter, so reconnecting phones do not come back in step.
    fn jitter(&mut self, wait: Duration) -> Duration {
        wait.mul_f64(self.rng.random_range(0.75..1.25))
    }

    /// The welcome after a reconnect lists this participant's ballots: they must match what was acked.
    fn check_resumed(&self, welcome: &Value) {
        let ballots = &welcome["ballots"];
        let shown = ballots[CHOICE]["answer"].as_array().and_then(|a| a.first()).and_then(Value::as_u64);
        let pending = match &self.inflight {
            Some(Inflight { command: Command::Vote(option), .. }) => Some(u64::from(*option)),
            _ => None,
        };
        let acked = self.report.last_acked.map(u64::from);
        if shown != acked && (pending.is_none() || shown != pending) {
            let ix = self.ix;
            self.env
                .errors
                .add(|| format!("phone {ix}: after reconnect the welcome shows vote {shown:?}, acked {acked:?}"));
        }
        let words: Vec<&str> =
            ballots[WORDS]["words"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        if let Some(missing) = self.report.words_acked.iter().find(|w| !words.contains(&w.as_str())) {
            let ix = self.ix;
            self.env.errors.add(|| format!("phone {ix}: after reconnect the welcome lacks acked word {missing:?}"));
        }
    }

    /// Sends a command from the plan. False if the connection failed.
    async fn send(&mut self, ws: &mut Ws, command: Command) -> bool {
        let first_vote = matches!(command, Command::Vote(_)) && !self.counted_first_vote;
        if first_vote {
            // Counted before the bytes leave, so any first vote the server can have stored before another
            // one's ack is already in the count that ack reads (the bound in `FirstVote`).
            self.counted_first_vote = true;
            self.env.first_votes_sent.fetch_add(1, Ordering::SeqCst);
        }
        match command {
            Command::Vote(_) => self.report.votes_sent += 1,
            Command::Word(_) => self.report.words_sent += 1,
        }
        self.transmit(ws, command, first_vote, None).await
    }

    /// Request ids never repeat for this participant, not even across connections: a resent command
    /// keeps its id, and a server that remembers answers by id must not mistake a new command for it.
    fn fresh_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Writes a command (a fresh one, or a resend with its original id) and remembers it until its
    /// answer arrives.
    async fn transmit(&mut self, ws: &mut Ws, command: Command, first_vote: bool, resend_of: Option<u64>) -> bool {
        let resent = resend_of.is_some();
        let id = resend_of.unwrap_or_else(|| self.fresh_id());
        let text = match &command {
            Command::Vote(option) => {
                format!(r#"{{"type":"vote","id":{id},"item":"{CHOICE}","round":1,"answer":[{option}]}}"#)
            }
            Command::Word(word) => {
                json!({"type": "word", "id": id, "item": WORDS, "round": 1, "text": word}).to_string()
            }
        };
        self.inflight = Some(Inflight { id, command, sent_at: Instant::now(), resent, first_vote });
        ws.send(&text).await.is_ok()
    }

    /// Handles one message; true if the phone must reconnect and resend what it has in flight.
    fn on_text(&mut self, text: Utf8Bytes) -> bool {
        if let Some(version) = state_version(&text) {
            self.on_state(version, text);
            return false;
        }
        let value: Value = match serde_json::from_str(&text) {
            Ok(value) => value,
            Err(error) => {
                let ix = self.ix;
                self.env.errors.add(|| format!("phone {ix}: unreadable message: {error}"));
                return false;
            }
        };
        let id = value["id"].as_u64();
        let matches = self.inflight.as_ref().is_some_and(|i| Some(i.id) == id);
        match value["type"].as_str() {
            Some("ack") if matches => self.on_ack(&value),
            // The command may yet be stored: keep it, reconnect and resend it with its id, which the
            // session answers with the outcome it had, if it had one.
            Some("error") if matches && value["code"] == "unavailable" => {
                self.report.unavailable += 1;
                return true;
            }
            Some("error") => {
                let ix = self.ix;
                self.env.errors.add(|| format!("phone {ix}: error {} {}", value["code"], value["message"]));
                if matches {
                    self.inflight = None;
                }
            }
            _ => {
                let ix = self.ix;
                self.env.errors.add(|| format!("phone {ix}: unexpected message {text}"));
            }
        }
        false
    }

    fn on_ack(&mut self, ack: &Value) {
        let inflight = self.inflight.take().expect("checked by the caller");
        let now = Instant::now();
        if !inflight.resent {
            self.report.ack_us.push(micros(now - inflight.sent_at));
        }
        match inflight.command {
            Command::Vote(option) => {
                self.report.votes_acked += 1;
                self.report.last_acked = Some(option);
                if inflight.first_vote && !inflight.resent {
                    let bound = self.env.first_votes_sent.load(Ordering::SeqCst);
                    self.report.first_vote = Some(FirstVote { sent_at: inflight.sent_at, bound });
                    let early = self.state_before_ack.take().filter(|(at, ..)| *at >= inflight.sent_at);
                    let included_at = early.and_then(|(at, version, text)| {
                        self.parsed_version = self.parsed_version.max(version);
                        let state = StateLite::parse(&text).ok()?;
                        state.voted(CHOICE, 1).is_some_and(|voted| voted >= bound).then_some(at)
                    });
                    match included_at {
                        Some(at) => self.report.phone_us = Some(micros(at - inflight.sent_at)),
                        None => self.awaiting_inclusion = Some((inflight.sent_at, bound)),
                    }
                }
            }
            Command::Word(_) => match ack["word"].as_str() {
                Some(word) => self.report.words_acked.push(word.to_string()),
                None => {
                    let ix = self.ix;
                    self.env.errors.add(|| format!("phone {ix}: a word's ack without the stored word: {ack}"));
                }
            },
        }
    }

    fn count_vote_frame(&mut self, text: &str) {
        if self.voting {
            self.report.vote_frames += 1;
            self.report.vote_bytes += text.len() as u64;
        }
    }

    fn on_state(&mut self, version: u64, text: Utf8Bytes) {
        self.report.updates += 1;
        self.count_vote_frame(&text);
        if self.inflight.as_ref().is_some_and(|i| i.first_vote && !i.resent) {
            self.state_before_ack = Some((Instant::now(), version, text.clone()));
        }
        if version < self.seen_version {
            let (ix, seen) = (self.ix, self.seen_version);
            self.env.errors.add(|| format!("phone {ix}: state version went back from {seen} to {version}"));
        }
        self.seen_version = self.seen_version.max(version);
        // Only a new version can carry a new ballot; only then is the state worth reading in full.
        if let Some((sent_at, bound)) = self.awaiting_inclusion {
            if version > self.parsed_version {
                self.parsed_version = version;
                match StateLite::parse(&text) {
                    Ok(state) if state.voted(CHOICE, 1).is_some_and(|voted| voted >= bound) => {
                        self.report.phone_us = Some(micros(sent_at.elapsed()));
                        self.awaiting_inclusion = None;
                    }
                    Ok(_) => {}
                    Err(error) => {
                        let ix = self.ix;
                        self.env.errors.add(|| format!("phone {ix}: {error}"));
                    }
                }
            }
        }
        if self.env.keeps_final_view() {
            self.report.final_view = Some(text);
        }
    }
}
