//! The event log's writer: one thread that owns a SQLite connection and commits the batches of every
//! session that is waiting in one transaction. Each session's actor already groups its own requests;
//! this groups the sessions, so the server pays one fsync per commit however many sessions vote at once,
//! and a batch crosses threads twice (in and out) instead of twice per statement through the pool.

use super::super::{note_commit, StoreError};
use crate::metrics::METRICS;
use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};
use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// Batches written in one transaction at most, so one very busy moment cannot hold every ack for long.
const MOST_BATCHES_PER_COMMIT: usize = 512;

/// While several sessions keep the writer busy, commits start at least this far apart, so what arrives
/// meanwhile shares one fsync (about 0.15 ms of CPU each on a virtual machine, mostly in the kernel).
/// 7 ms: at the benchmark's common rate's load (two sessions) it cut CPU per delivery by a tenth against
/// back-to-back commits, and 10 ms saved no more (docs/performance.md, "Answers from the actor, and
/// fewer commits while several sessions vote").
const COMMIT_SPACING: Duration = Duration::from_millis(7);
/// Several sessions keep the writer busy when its last [`BUSY_COMMITS`] commits started within
/// [`BUSY_WINDOW`] (over 125 a second for a while) and stored more than one session's batches. One
/// session is never held: its actor sends one batch at a time and already gathers what came in during
/// the last commit, so spacing would only make its votes wait (at 1,000 phones, vote → screen p50
/// 37 ms spaced against 27 ms not).
const BUSY_COMMITS: usize = 16;
const BUSY_WINDOW: Duration = Duration::from_millis(128);

/// The writer's latest commits: when each started and the session of its first batch, oldest first.
#[derive(Default)]
struct Pace {
    commits: VecDeque<(Instant, String)>,
    /// The last commit carried batches of more than one session: others are on their way.
    shared: bool,
}

impl Pace {
    fn committing(&mut self, at: Instant, waiting: &[(Batch, Reply)]) {
        if self.commits.len() == BUSY_COMMITS {
            self.commits.pop_front();
        }
        let first = waiting.first().map(|(batch, _)| batch.session_id.clone()).unwrap_or_default();
        self.commits.push_back((at, first));
        self.shared = waiting.len() > 1;
    }

    /// When the next commit may start, if not at once.
    fn next_commit(&self, now: Instant) -> Option<Instant> {
        let (last, _) = self.commits.back()?;
        let busy = self.commits.len() == BUSY_COMMITS
            && self.commits.front().is_some_and(|(oldest, _)| now.duration_since(*oldest) < BUSY_WINDOW);
        let several = || self.commits.iter().any(|(_, session)| *session != self.commits[0].1);
        (self.shared || (busy && several())).then(|| *last + COMMIT_SPACING)
    }
}

/// Where a batch's outcome goes: back to the actor that sent it.
type Reply = oneshot::Sender<Result<(), StoreError>>;

/// One session's batch: events numbered from `first_seq`, already serialized.
pub(super) struct Batch {
    pub session_id: String,
    pub first_seq: u64,
    pub events: Vec<String>,
    pub cursor: Option<String>,
}

enum Message {
    Append(Batch, Reply),
    /// The writer's connection settings, (journal_mode, synchronous), as SQLite reports them.
    Pragmas(oneshot::Sender<Result<(String, i64), StoreError>>),
    /// Write what came before, then end the thread.
    Stop,
}

pub(super) struct Writer {
    inbox: mpsc::UnboundedSender<Message>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    /// Opens its own connection to the database file (already created and migrated) and starts the thread.
    pub fn start(file: &Path, busy_timeout: Duration) -> Result<Writer, StoreError> {
        let connection =
            Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(write_error)?;
        // The same promises as the pool's connections: synchronous is per connection, the WAL is per file.
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                 PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
            )
            .map_err(write_error)?;
        connection.busy_timeout(busy_timeout).map_err(write_error)?;
        // Unbounded, yet about as long as the live sessions at most: each caller (a session's actor, or
        // the creation of a session) waits for its batch's answer before it sends the next one.
        let (inbox, messages) = mpsc::unbounded_channel();
        let thread = std::thread::Builder::new()
            .name("samsyn-sqlite".into())
            .spawn(move || run(connection, messages))
            .map_err(|e| StoreError::Write(e.to_string()))?;
        Ok(Writer { inbox, thread: Mutex::new(Some(thread)) })
    }

    /// Appends one session's batch; returns once it is committed and synced, or refused.
    pub async fn append(&self, batch: Batch) -> Result<(), StoreError> {
        let (done, outcome) = oneshot::channel();
        self.inbox.send(Message::Append(batch, done)).map_err(|_| closed())?;
        outcome.await.map_err(|_| closed())?
    }

    pub async fn pragmas(&self) -> Result<(String, i64), StoreError> {
        let (done, outcome) = oneshot::channel();
        self.inbox.send(Message::Pragmas(done)).map_err(|_| closed())?;
        outcome.await.map_err(|_| closed())?
    }

    /// Writes everything already sent, then ends the thread and waits for it.
    pub async fn stop(&self) {
        let _ = self.inbox.send(Message::Stop);
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(thread) = thread {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

fn closed() -> StoreError {
    StoreError::Write("the store is closed".into())
}

fn write_error(error: rusqlite::Error) -> StoreError {
    StoreError::Write(error.to_string())
}

fn run(mut connection: Connection, mut messages: mpsc::UnboundedReceiver<Message>) {
    let mut waiting = Vec::new();
    let mut pace = Pace::default();
    loop {
        // Spaced, the writer sleeps before it looks for the next batches, not after the first arrived: they
        // are then waiting when it wakes, and no actor has to wake it (a thread switch each, on both sides).
        if let Some(start) = pace.next_commit(Instant::now()) {
            if let Some(early) = start.checked_duration_since(Instant::now()) {
                std::thread::sleep(early);
            }
        }
        let Some(first) = messages.blocking_recv() else { return };
        // Everything that queued up while the last commit was syncing goes into this one.
        let mut next = Some(first);
        let mut stop = false;
        while let Some(message) = next.take() {
            match message {
                Message::Append(batch, done) => waiting.push((batch, done)),
                Message::Pragmas(done) => {
                    let _ = done.send(pragmas(&connection).map_err(write_error));
                }
                Message::Stop => {
                    stop = true;
                    break;
                }
            }
            if waiting.len() < MOST_BATCHES_PER_COMMIT {
                next = messages.try_recv().ok();
            }
        }
        if !waiting.is_empty() {
            let started = Instant::now();
            pace.committing(started, &waiting);
            commit(&mut connection, &mut waiting);
            note_commit(started.elapsed());
        }
        if stop {
            return;
        }
    }
}

fn pragmas(connection: &Connection) -> rusqlite::Result<(String, i64)> {
    let journal = connection.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
    let synchronous = connection.query_row("PRAGMA synchronous", [], |row| row.get(0))?;
    Ok((journal, synchronous))
}

/// Writes every waiting batch in one transaction and answers each. A batch that fails on its own (out of
/// order, its session deleted meanwhile) is rolled back to its savepoint and refused alone; a failed
/// commit refuses them all, since none of them is then stored.
fn commit(connection: &mut Connection, waiting: &mut Vec<(Batch, Reply)>) {
    let written = (|| {
        let mut transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(waiting.len());
        for (batch, _) in waiting.iter() {
            let savepoint = transaction.savepoint()?;
            let outcome = write(&savepoint, batch);
            // Dropped without a commit, a savepoint rolls back what the batch wrote.
            if outcome.is_ok() {
                savepoint.commit()?;
            }
            outcomes.push(outcome);
        }
        transaction.commit()?;
        Ok::<_, rusqlite::Error>(outcomes)
    })();
    METRICS.store_transactions.fetch_add(1, Relaxed);
    match written {
        Ok(outcomes) => {
            for ((_, done), outcome) in waiting.drain(..).zip(outcomes) {
                let _ = done.send(outcome);
            }
        }
        Err(error) => {
            let message = error.to_string();
            for (_, done) in waiting.drain(..) {
                let _ = done.send(Err(StoreError::Write(message.clone())));
            }
        }
    }
}

/// One batch, if it continues its session's log where the log ends.
fn write(connection: &Connection, batch: &Batch) -> Result<(), StoreError> {
    let next: i64 = connection
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE session_id = ?1")
        .and_then(|mut query| query.query_row([&batch.session_id], |row| row.get(0)))
        .map_err(write_error)?;
    if next as u64 != batch.first_seq {
        return Err(StoreError::OutOfOrder { expected: next as u64, got: batch.first_seq });
    }
    let mut insert = connection
        .prepare_cached("INSERT INTO events (session_id, seq, event) VALUES (?1, ?2, ?3)")
        .map_err(write_error)?;
    for (offset, event) in batch.events.iter().enumerate() {
        insert
            .execute(params![batch.session_id, (batch.first_seq + offset as u64) as i64, event])
            .map_err(write_error)?;
    }
    if let Some(cursor) = &batch.cursor {
        connection
            .prepare_cached("UPDATE sessions SET stream_cursor = ?1 WHERE id = ?2")
            .and_then(|mut update| update.execute(params![cursor, batch.session_id]))
            .map_err(write_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batches(sessions: &[&str]) -> Vec<(Batch, Reply)> {
        let batch = |id: &&str| Batch { session_id: id.to_string(), first_seq: 1, events: Vec::new(), cursor: None };
        sessions.iter().map(|id| (batch(id), oneshot::channel().0)).collect()
    }

    /// Commits `sessions` one after another, 2 ms apart, from `start`; returns when the last started.
    fn commit_each(pace: &mut Pace, start: Instant, sessions: &[&str]) -> Instant {
        let mut at = start;
        for (n, session) in sessions.iter().enumerate() {
            at = start + Duration::from_millis(2 * n as u64);
            pace.committing(at, &batches(&[session]));
        }
        at
    }

    #[test]
    fn one_busy_session_is_never_held() {
        let mut pace = Pace::default();
        let last = commit_each(&mut pace, Instant::now(), &["a"; 40]);
        assert_eq!(pace.next_commit(last), None);
    }

    #[test]
    fn several_busy_sessions_share_commits_spaced_apart() {
        let mut pace = Pace::default();
        let last = commit_each(&mut pace, Instant::now(), &["a", "b"].repeat(20));
        assert_eq!(pace.next_commit(last), Some(last + COMMIT_SPACING));
    }

    #[test]
    fn several_sessions_voting_slowly_are_not_held() {
        let mut pace = Pace::default();
        let last = commit_each(&mut pace, Instant::now(), &["a", "b"].repeat(20));
        let quiet = last + BUSY_WINDOW;
        pace.committing(quiet, &batches(&["a"]));
        assert_eq!(pace.next_commit(quiet + Duration::from_millis(1)), None);
    }

    #[test]
    fn a_commit_that_carried_several_sessions_spaces_the_next() {
        let mut pace = Pace::default();
        let now = Instant::now();
        pace.committing(now, &batches(&["a", "b"]));
        assert_eq!(pace.next_commit(now), Some(now + COMMIT_SPACING));
        pace.committing(now + COMMIT_SPACING, &batches(&["a"]));
        assert_eq!(pace.next_commit(now + COMMIT_SPACING), None);
    }
}
