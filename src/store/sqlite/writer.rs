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

/// While the writer is busy, commits start at least this far apart, so what arrives meanwhile shares one
/// fsync (about 0.15 ms of CPU each on a virtual machine, mostly in the kernel). 7 ms: at the benchmark's
/// common rate it cut CPU per delivery by a tenth against back-to-back commits, and 10 ms saved no more
/// (docs/performance.md, "Fewer commits under load").
const COMMIT_SPACING: Duration = Duration::from_millis(7);
/// The writer is busy when its last [`BUSY_COMMITS`] commits started within [`BUSY_WINDOW`] (over 125 a
/// second for a while): a crowd voting, or many sessions at once. A workshop's few votes, even all at
/// once, are never held.
const BUSY_COMMITS: usize = 16;
const BUSY_WINDOW: Duration = Duration::from_millis(128);

/// One session's batch: events numbered from `first_seq`, already serialized.
pub(super) struct Batch {
    pub session_id: String,
    pub first_seq: u64,
    pub events: Vec<String>,
    pub cursor: Option<String>,
}

enum Message {
    Append(Batch, oneshot::Sender<Result<(), StoreError>>),
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
    let mut last_commit = Instant::now();
    // Whether the last commit carried batches of more than one session: then others are on their way.
    let mut shared = false;
    // When the latest commits started, oldest first.
    let mut starts: VecDeque<Instant> = VecDeque::with_capacity(BUSY_COMMITS);
    while let Some(first) = messages.blocking_recv() {
        let busy = starts.len() == BUSY_COMMITS && starts.front().is_some_and(|oldest| oldest.elapsed() < BUSY_WINDOW);
        if (shared || busy) && matches!(first, Message::Append(..)) {
            if let Some(early) = COMMIT_SPACING.checked_sub(last_commit.elapsed()) {
                std::thread::sleep(early);
            }
        }
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
            last_commit = Instant::now();
            if starts.len() == BUSY_COMMITS {
                starts.pop_front();
            }
            starts.push_back(last_commit);
            shared = waiting.len() > 1;
            commit(&mut connection, &mut waiting);
            note_commit(last_commit.elapsed());
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
fn commit(connection: &mut Connection, waiting: &mut Vec<(Batch, oneshot::Sender<Result<(), StoreError>>)>) {
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
