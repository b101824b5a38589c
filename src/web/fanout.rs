//! Fan-out, the hot path: each new state frame of an audience is encoded once as a WebSocket frame, and
//! one task per audience writes those bytes straight into every socket, one non-blocking write each.
//! No socket task wakes up for a frame, nothing is copied or re-checked per socket, and no buffer grows:
//! a socket whose kernel buffer is full keeps the unwritten rest of one frame, its own task finishes
//! writing it when the socket drains, and it then gets the newest frame (skipping those it missed).

use super::conn::{Conn, WireFrame};
use super::frame;
use crate::live::{Delivery, Feed};
use crate::metrics::METRICS;
use crate::protocol::Frame;
use dashmap::DashMap;
use std::collections::HashMap;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use tokio::sync::{mpsc, watch, Notify};

/// Audiences up to this size (a screen, a facilitator, a workshop's phones) are written to by the task
/// that follows the session, at once.
const INLINE_SOCKETS: usize = 64;
/// Larger audiences go to the writer threads in jobs of this many sockets (about 2 ms of writing each).
const SOCKETS_PER_JOB: usize = 256;
/// A writer thread gives its core away after this many sockets (about 0.3 ms of writing): while a frame
/// goes to thousands of phones, the threads that read votes, decide them and store them wait at most that
/// long for a core, instead of the scheduler's full time slice (docs/performance.md, "Writes straight to
/// the socket, and a smaller connection").
const SOCKETS_BETWEEN_YIELDS: usize = 64;
/// Jobs waiting for a writer thread; when they are all taken, the session's follower waits (and the
/// frames it would have sent meanwhile fold into the newest).
const JOBS_QUEUED: usize = 1024;

/// The sockets following one audience of one session, and the newest frame.
pub struct Fanout {
    inner: Mutex<Audience>,
    /// The session's frames for this audience; a new actor for the session means a new channel.
    source: watch::Receiver<Frame>,
    /// Tells the follower task that the last socket left.
    deserted: Notify,
    /// Where the time writing each frame to every socket took goes (it paces the phones' frames).
    delivery: Arc<Delivery>,
}

#[derive(Default)]
struct Audience {
    latest: Option<WireFrame>,
    sockets: HashMap<u64, Arc<Conn>>,
    /// `sockets` as one shared list, made at the first frame after someone joined or left: a frame to
    /// thousands of phones then costs one reference count, not one per socket.
    listed: Option<Sockets>,
    next_id: u64,
    ended: bool,
}

type Sockets = Arc<[Arc<Conn>]>;

impl Audience {
    fn listed(&mut self) -> Sockets {
        self.listed.get_or_insert_with(|| self.sockets.values().cloned().collect()).clone()
    }

    fn changed(&mut self) {
        self.listed = None;
    }
}

impl Fanout {
    fn lock(&self) -> MutexGuard<'_, Audience> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn latest(&self) -> Option<WireFrame> {
        self.lock().latest.clone()
    }

    /// A frame that shows nothing new (its bytes are the newest frame's): it becomes the newest, so a
    /// connection starting now gets it, but no socket hears of it, so nobody can count hidden changes
    /// (a participant changing an answer before the reveal) by the frames that arrive.
    fn renumber(&self, version: crate::protocol::Version) {
        if let Some(latest) = &mut self.lock().latest {
            latest.version = latest.version.max(version);
        }
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
        audience.changed();
        Some(Subscription { fanout: self.clone(), id })
    }

    /// Ends the fan-out if no socket follows it any more; true if it did.
    fn end_if_empty(&self) -> bool {
        let mut audience = self.lock();
        audience.ended |= audience.sockets.is_empty();
        audience.ended
    }

    /// Sends a new frame to every socket: a small audience at once, a large one through the writer threads.
    async fn publish(&self, state: WireFrame, writers: &Writers) {
        let sockets = {
            let mut audience = self.lock();
            audience.latest = Some(state.clone());
            audience.listed()
        };
        let started = std::time::Instant::now();
        if sockets.len() <= INLINE_SOCKETS {
            deliver(&sockets, &state);
            self.delivery.record(started.elapsed());
            return;
        }
        let jobs = sockets.len().div_ceil(SOCKETS_PER_JOB);
        let done = Arc::new(Finishing {
            started,
            remaining: std::sync::atomic::AtomicUsize::new(jobs),
            delivery: self.delivery.clone(),
        });
        for start in (0..sockets.len()).step_by(SOCKETS_PER_JOB) {
            let range = start..sockets.len().min(start + SOCKETS_PER_JOB);
            let job = Job { sockets: sockets.clone(), range, state: state.clone(), done: done.clone() };
            if writers.jobs.send(job).await.is_err() {
                return;
            }
        }
    }

    fn end(&self) {
        let sockets = {
            let mut audience = self.lock();
            audience.ended = true;
            audience.listed()
        };
        for conn in sockets.iter() {
            conn.end_session();
        }
    }
}

fn deliver(sockets: &[Arc<Conn>], state: &WireFrame) {
    let delivered = sockets.iter().filter(|conn| conn.offer(state)).count();
    METRICS.updates_delivered.fetch_add(delivered as u64, Relaxed);
}

/// A connection's place in an audience; leaving it (on drop) stops the frames.
pub struct Subscription {
    fanout: Arc<Fanout>,
    id: u64,
}

impl Subscription {
    /// The audience's newest frame, for a connection that starts or catches up.
    pub fn latest(&self) -> Option<WireFrame> {
        self.fanout.latest()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut audience = self.fanout.lock();
        audience.sockets.remove(&self.id);
        audience.changed();
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
    sockets: Sockets,
    range: std::ops::Range<usize>,
    state: WireFrame,
    done: Arc<Finishing>,
}

/// One frame's jobs: the last to finish records how long the whole audience took.
struct Finishing {
    started: std::time::Instant,
    remaining: std::sync::atomic::AtomicUsize,
    delivery: Arc<Delivery>,
}

impl Finishing {
    fn job_done(&self) {
        if self.remaining.fetch_sub(1, std::sync::atomic::Ordering::AcqRel) == 1 {
            let took = self.started.elapsed();
            self.delivery.record(took);
            METRICS.fanout_latency.observe(took);
        }
    }
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
                    for sockets in job.sockets[job.range.clone()].chunks(SOCKETS_BETWEEN_YIELDS) {
                        deliver(sockets, &job.state);
                        std::thread::yield_now();
                    }
                    job.done.job_done();
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
        (source, delivery): (watch::Receiver<Frame>, Arc<Delivery>),
        conn: &Arc<Conn>,
    ) -> Subscription {
        let key: (Arc<str>, Feed) = (code.into(), feed);
        loop {
            let fanout = {
                let mut entry =
                    self.audiences.entry(key.clone()).or_insert_with(|| start(&source, &delivery, self, key.clone()));
                if !entry.source.same_channel(&source) || entry.lock().ended {
                    // Ended, or the session was started again (reloaded, taken over from another node).
                    *entry = start(&source, &delivery, self, key.clone());
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

fn start(
    source: &watch::Receiver<Frame>,
    delivery: &Arc<Delivery>,
    fanouts: &Arc<Fanouts>,
    key: (Arc<str>, Feed),
) -> Arc<Fanout> {
    let delivery = delivery.clone();
    let fanout =
        Arc::new(Fanout { inner: Mutex::default(), source: source.clone(), deserted: Notify::new(), delivery });
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
    let mut last_bytes = bytes::Bytes::new();
    loop {
        if changed {
            let next = source.borrow_and_update().clone();
            if !next.is_empty() && next.bytes == last_bytes {
                fanout.renumber(next.version);
            } else if !next.is_empty() {
                fanout.publish(WireFrame { version: next.version, wire: frame::text(&next.bytes) }, &writers).await;
                last_bytes = next.bytes;
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
