//! Fan-out, the hot path: each new state frame of an audience is encoded once as a WebSocket frame, and
//! one task per audience writes those bytes straight into every socket, one non-blocking write each.
//! No socket task wakes up for a frame, nothing is copied or re-checked per socket, and no buffer grows:
//! a socket whose kernel buffer is full keeps the unwritten rest of one frame, its own task finishes
//! writing it when the socket drains, and it then gets the newest frame (skipping those it missed).

use super::frame;
use crate::live::Feed;
use crate::metrics::METRICS;
use crate::protocol::{Frame, Version};
use bytes::{Buf, Bytes};
use dashmap::DashMap;
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use std::collections::{HashMap, VecDeque};
use std::future::poll_fn;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Instant;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{mpsc, watch, Notify};

/// Audiences up to this size (a screen, a facilitator, a workshop's phones) are written to by the task
/// that follows the session, at once.
const INLINE_SOCKETS: usize = 64;
/// Larger audiences go to the writer threads in jobs of this many sockets (about 2 ms of writing each).
const SOCKETS_PER_JOB: usize = 256;
/// Jobs waiting for a writer thread; when they are all taken, the session's follower waits (and the
/// frames it would have sent meanwhile fold into the newest).
const JOBS_QUEUED: usize = 1024;

/// Bytes read from a socket at once; on the stack of the read, never kept per connection.
const READ_CHUNK: usize = 2048;

pub type Io = TokioIo<Upgraded>;

/// One WebSocket connection's byte stream, shared by its own task (which reads, and writes replies) and
/// the fan-out (which writes state frames).
pub struct Conn {
    link: Mutex<Link>,
    /// Wakes the connection's task: a write could not finish, or the session ended.
    wake: Notify,
}

struct Link {
    io: Io,
    /// Bytes accepted for this socket but not yet written, in order. Only its own task writes them, and
    /// while any wait, the fan-out adds no frame (it sets `wants_latest` instead).
    pending: VecDeque<Bytes>,
    /// When `pending` stopped being empty: a client that reads nothing for long is dropped.
    pending_since: Option<Instant>,
    /// The version of the last state frame written, so no socket gets a frame twice or an older one later.
    sent_version: Option<Version>,
    /// A state frame was skipped; send the newest once writing is possible again.
    wants_latest: bool,
    /// State frames start after the welcome.
    ready: bool,
    /// The connection is ending; nothing more is written.
    closed: bool,
    /// The session's actor ended; the connection should close so the client reconnects.
    ended: bool,
    /// A write failed: the peer is gone.
    broken: bool,
}

/// What became of a write.
enum Wrote {
    All,
    /// Part or none of it went out; the rest waits in `pending` for the connection's task.
    Queued,
    Broken,
}

impl Conn {
    pub fn new(io: Io) -> Arc<Self> {
        Arc::new(Conn {
            link: Mutex::new(Link {
                io,
                pending: VecDeque::new(),
                pending_since: None,
                sent_version: None,
                wants_latest: false,
                ready: false,
                closed: false,
                ended: false,
                broken: false,
            }),
            wake: Notify::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Link> {
        // A panic elsewhere while holding the lock leaves the bytes as they were; go on with them.
        self.link.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sends a message of the connection's own (a reply, a ping, a close), after anything still waiting.
    pub fn send(&self, bytes: Bytes) {
        let mut link = self.lock();
        if link.closed {
            return;
        }
        if let Wrote::Queued | Wrote::Broken = link.write(&bytes) {
            drop(link);
            self.wake.notify_one();
        }
    }

    /// Offers a state frame: written now if the socket takes it and has nothing waiting. Returns whether
    /// the frame went out (at least partly).
    fn offer(&self, state: &State) -> bool {
        let mut link = self.lock();
        if link.closed || Some(state.version) <= link.sent_version {
            return false;
        }
        if !link.ready || !link.pending.is_empty() {
            if link.ready {
                METRICS.updates_skipped.fetch_add(1, Relaxed);
            }
            link.wants_latest = true;
            return false;
        }
        link.sent_version = Some(state.version);
        let wrote = link.write(&state.wire);
        drop(link);
        if !matches!(wrote, Wrote::All) {
            self.wake.notify_one();
        }
        !matches!(wrote, Wrote::Broken)
    }

    /// Starts state frames (after the welcome) with the newest one.
    pub fn start_frames(&self, fanout: &Fanout) {
        self.lock().ready = true;
        if let Some(state) = fanout.latest() {
            self.offer(&state);
        }
    }

    /// Waits until a write is left unfinished or the session ends; see [`Conn::pending_since`].
    pub async fn woken(&self) {
        self.wake.notified().await
    }

    /// Bytes wait to be written, and since when.
    pub fn pending_since(&self) -> Option<Instant> {
        self.lock().pending_since
    }

    pub fn is_broken(&self) -> bool {
        self.lock().broken
    }

    pub fn session_ended(&self) -> bool {
        self.lock().ended
    }

    /// Writes what waits as the socket takes it, then the newest state frame if one was skipped.
    pub async fn flush(&self, fanout: Option<&Fanout>) -> Result<(), ()> {
        poll_fn(|cx| self.lock().poll_pending(cx)).await?;
        let skipped = std::mem::take(&mut self.lock().wants_latest);
        if let (true, Some(fanout)) = (skipped, fanout) {
            self.start_frames(fanout);
        }
        Ok(())
    }

    /// Reads what the client sent into `decoder`. `Ok(0)`: the client closed its side.
    pub async fn read_into(&self, decoder: &mut frame::Decoder) -> std::io::Result<usize> {
        poll_fn(|cx| {
            let mut chunk = [MaybeUninit::<u8>::uninit(); READ_CHUNK];
            let mut buf = ReadBuf::uninit(&mut chunk);
            let mut link = self.lock();
            match Pin::new(&mut link.io).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(())) => {
                    decoder.push(buf.filled());
                    Poll::Ready(Ok(buf.filled().len()))
                }
                Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
                Poll::Pending => Poll::Pending,
            }
        })
        .await
    }

    /// Stops every write to this connection from here on.
    pub fn close(&self) {
        self.lock().closed = true;
    }

    fn end_session(&self) {
        self.lock().ended = true;
        self.wake.notify_one();
    }
}

impl Link {
    /// Writes `bytes` now as far as the socket takes them without waiting; the rest is queued.
    fn write(&mut self, bytes: &Bytes) -> Wrote {
        if self.broken {
            return Wrote::Broken;
        }
        if !self.pending.is_empty() {
            self.pending.push_back(bytes.clone());
            return Wrote::Queued;
        }
        // No waker: whoever finds the socket full hands the rest to the connection's task, which then
        // waits for the socket with its own waker (`poll_pending`).
        let mut cx = Context::from_waker(Waker::noop());
        let mut written = 0;
        while written < bytes.len() {
            match Pin::new(&mut self.io).poll_write(&mut cx, &bytes[written..]) {
                Poll::Ready(Ok(0)) | Poll::Ready(Err(_)) => {
                    self.broken = true;
                    return Wrote::Broken;
                }
                Poll::Ready(Ok(n)) => written += n,
                Poll::Pending => {
                    self.pending.push_back(bytes.slice(written..));
                    self.pending_since = Some(Instant::now());
                    return Wrote::Queued;
                }
            }
        }
        // The layers under the socket buffer nothing, so there is no flush to wait for.
        Wrote::All
    }

    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        while let Some(front) = self.pending.front_mut() {
            match Pin::new(&mut self.io).poll_write(cx, front) {
                Poll::Ready(Ok(0)) | Poll::Ready(Err(_)) => {
                    self.broken = true;
                    return Poll::Ready(Err(()));
                }
                Poll::Ready(Ok(n)) => {
                    front.advance(n);
                    if front.is_empty() {
                        self.pending.pop_front();
                    }
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        self.pending_since = None;
        if self.pending.capacity() > 4 {
            self.pending = VecDeque::new();
        }
        Poll::Ready(Ok(()))
    }
}

/// A state frame as it goes on the wire, with its place in the audience's sequence.
#[derive(Clone)]
struct State {
    version: Version,
    wire: Bytes,
}

/// The sockets following one audience of one session, and the newest frame.
pub struct Fanout {
    inner: Mutex<Audience>,
    /// The session's frames for this audience; a new actor for the session means a new channel.
    source: watch::Receiver<Frame>,
    /// Tells the follower task that the last socket left.
    deserted: Notify,
}

#[derive(Default)]
struct Audience {
    latest: Option<State>,
    sockets: HashMap<u64, Arc<Conn>>,
    next_id: u64,
    ended: bool,
}

impl Fanout {
    fn lock(&self) -> MutexGuard<'_, Audience> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn latest(&self) -> Option<State> {
        self.lock().latest.clone()
    }

    /// Adds a connection; it gets frames once [`Conn::start_frames`] is called, until the returned
    /// subscription is dropped. `None` if this fan-out has ended (its session did, or its last socket left).
    fn subscribe(self: &Arc<Self>, conn: Arc<Conn>) -> Option<Subscription> {
        let mut audience = self.lock();
        if audience.ended {
            return None;
        }
        let id = audience.next_id;
        audience.next_id += 1;
        audience.sockets.insert(id, conn);
        Some(Subscription { fanout: self.clone(), id })
    }

    /// Ends the fan-out if no socket follows it any more; true if it did.
    fn end_if_empty(&self) -> bool {
        let mut audience = self.lock();
        audience.ended |= audience.sockets.is_empty();
        audience.ended
    }

    /// Sends a new frame to every socket: a small audience at once, a large one through the writer threads.
    async fn publish(&self, state: State, writers: &Writers) {
        let sockets: Vec<Arc<Conn>> = {
            let mut audience = self.lock();
            audience.latest = Some(state.clone());
            audience.sockets.values().cloned().collect()
        };
        if sockets.len() <= INLINE_SOCKETS {
            deliver(&sockets, &state);
            return;
        }
        for chunk in sockets.chunks(SOCKETS_PER_JOB) {
            let job = Job { sockets: chunk.to_vec(), state: state.clone() };
            if writers.jobs.send(job).await.is_err() {
                return;
            }
        }
    }

    fn end(&self) {
        let sockets: Vec<Arc<Conn>> = {
            let mut audience = self.lock();
            audience.ended = true;
            audience.sockets.values().cloned().collect()
        };
        for conn in sockets {
            conn.end_session();
        }
    }
}

fn deliver(sockets: &[Arc<Conn>], state: &State) {
    let delivered = sockets.iter().filter(|conn| conn.offer(state)).count();
    METRICS.updates_delivered.fetch_add(delivered as u64, Relaxed);
}

/// A connection's place in an audience; leaving it (on drop) stops the frames.
pub struct Subscription {
    fanout: Arc<Fanout>,
    id: u64,
}

impl Subscription {
    pub fn fanout(&self) -> &Fanout {
        &self.fanout
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut audience = self.fanout.lock();
        audience.sockets.remove(&self.id);
        if audience.sockets.is_empty() {
            // The last socket left: its follower task need not run for nobody.
            self.fanout.deserted.notify_one();
        }
    }
}

/// Every audience on this node that has sockets, by session code and feed.
pub struct Fanouts {
    audiences: DashMap<(Arc<str>, Feed), Arc<Fanout>>,
    writers: Arc<Writers>,
}

/// Threads that write large audiences' frames (hundreds to thousands of phones). Outside the async
/// runtime, so a big fan-out never keeps the runtime's threads from reading votes, answering them and
/// serving the screen: the operating system shares the cores between them. At the same priority as the
/// rest: at a lower one (nice 10), the process a write woke (the load generator in the benchmark; a
/// proxy in front of Samsyn is woken the same way) preempted the writer about once every four writes,
/// and a delivery cost up to half again as much CPU (docs/performance.md, "The fan-out keeps its
/// priority").
struct Writers {
    jobs: mpsc::Sender<Job>,
}

struct Job {
    sockets: Vec<Arc<Conn>>,
    state: State,
}

impl Writers {
    fn start() -> Arc<Self> {
        let (jobs, queue) = mpsc::channel::<Job>(JOBS_QUEUED);
        let queue = Arc::new(Mutex::new(queue));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for n in 0..threads {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new().name(format!("samsyn-fanout-{n}")).spawn(move || {
                loop {
                    // One thread waits for the next job while the others write; all end with the sender.
                    let next = queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).blocking_recv();
                    let Some(job) = next else { break };
                    deliver(&job.sockets, &job.state);
                }
            });
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a fan-out thread");
            }
        }
        Arc::new(Writers { jobs })
    }
}

impl Default for Fanouts {
    fn default() -> Self {
        Fanouts { audiences: DashMap::new(), writers: Writers::start() }
    }
}

impl Fanouts {
    /// Makes `conn` follow a session's feed; `source` is the session's frame channel for it. The fan-out
    /// starts with its first socket and stops with its last.
    pub fn subscribe(
        self: &Arc<Self>,
        code: &str,
        feed: Feed,
        source: watch::Receiver<Frame>,
        conn: &Arc<Conn>,
    ) -> Subscription {
        let key: (Arc<str>, Feed) = (code.into(), feed);
        loop {
            let fanout = {
                let mut entry = self.audiences.entry(key.clone()).or_insert_with(|| start(&source, self, key.clone()));
                if !entry.source.same_channel(&source) || entry.lock().ended {
                    // Ended, or the session was started again (reloaded, taken over from another node).
                    *entry = start(&source, self, key.clone());
                }
                entry.clone()
            };
            // It may end between the lookup and here; then the next round starts a new one.
            if let Some(subscription) = fanout.subscribe(conn.clone()) {
                return subscription;
            }
        }
    }
}

fn start(source: &watch::Receiver<Frame>, fanouts: &Arc<Fanouts>, key: (Arc<str>, Feed)) -> Arc<Fanout> {
    let fanout = Arc::new(Fanout { inner: Mutex::default(), source: source.clone(), deserted: Notify::new() });
    let writers = fanouts.writers.clone();
    tokio::spawn(follow(fanout.clone(), source.clone(), writers, Arc::downgrade(fanouts), key));
    fanout
}

/// Publishes every frame of the session's channel until the session ends (its sockets then close) or no
/// socket follows it any more.
async fn follow(
    fanout: Arc<Fanout>,
    mut source: watch::Receiver<Frame>,
    writers: Arc<Writers>,
    fanouts: Weak<Fanouts>,
    key: (Arc<str>, Feed),
) {
    let mut changed = true;
    loop {
        if changed {
            let next = source.borrow_and_update().clone();
            if !next.is_empty() {
                fanout.publish(State { version: next.version, wire: frame::text(&next.bytes) }, &writers).await;
            }
        }
        tokio::select! {
            next = source.changed() => {
                if next.is_err() {
                    fanout.end();
                    break;
                }
                changed = true;
            }
            _ = fanout.deserted.notified() => {
                if fanout.end_if_empty() {
                    break;
                }
                // Someone joined meanwhile; the frame has not changed.
                changed = false;
            }
        }
    }
    if let Some(fanouts) = fanouts.upgrade() {
        fanouts.audiences.remove_if(&key, |_, current| Arc::ptr_eq(current, &fanout));
    }
}
