//! Fan-out, the hot path: each new state frame of an audience is encoded once as a WebSocket frame, and
//! one task per audience writes those bytes straight into every socket, one non-blocking write each.
//! No socket task wakes up for a frame, nothing is copied or re-checked per socket, and no buffer grows:
//! a socket whose kernel buffer is full keeps the unwritten rest of one frame, its own task finishes
//! writing it when the socket drains, and it then gets the newest frame (skipping those it missed).
//!
//! A large audience is written to in sweeps: the writer threads go through a slice of its sockets, and
//! each group of sockets gets the newest frame at the moment its turn comes, so a change made while a
//! sweep is under way already reaches the sockets still ahead. Each sweep takes the next slice, in the
//! order the sockets joined, so the writers go round the whole audience at a steady pace rather than in
//! bursts: a socket waits at most one round for a change, where a burst to every socket made the last
//! ones wait for the rest as well as for the pause. The next sweep starts once a quarter as long again
//! as the last one took has passed (for phones in a crowd so that a round takes at least
//! [`PHONE_INTERVAL_MIN`]): writing takes at most four fifths of the writer threads' time, the rest being
//! left for reading votes, storing them and other sessions. The phones' fan-out tells the session when its
//! next sweep starts (`live::Demand`): the session renders the phones' frame from shortly before then
//! until the sweep is over, and not in vain between two sweeps.

use super::conn::{Conn, WireFrame};
use super::frame;
use crate::live::{Demand, Feed};
use crate::metrics::METRICS;
use crate::protocol::Frame;
use dashmap::DashMap;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch, Notify};
use tokio::time::Instant;

/// Audiences up to this size (a screen, a facilitator, a workshop's phones) are written to by the task
/// that follows the session, at once.
const INLINE_SOCKETS: usize = 64;
/// Larger audiences go to the writer threads in jobs of this many sockets (about 2 ms of writing each).
const SOCKETS_PER_JOB: usize = 256;
/// An audience larger than this is swept in slices of at most this many sockets (about 25 ms of writing
/// for both writer threads on a busy two-core machine), one slice per sweep. (Slices of 1,024 and 2,048
/// were measured too: 19,000 phones then waited longer; docs/performance.md.)
const SOCKETS_PER_SLICE: usize = 4096;
/// A writer thread gives its core away after this many sockets (about 0.3 ms of writing), and takes the
/// audience's newest frame for the next ones: while a frame goes to thousands of phones, the threads that
/// read votes, decide them and store them wait at most that long for a core, instead of the scheduler's
/// full time slice (docs/performance.md, "Writes straight to the socket, and a smaller connection").
const SOCKETS_BETWEEN_YIELDS: usize = 64;
/// Jobs waiting for a writer thread; when they are all taken, the session's follower waits.
const JOBS_QUEUED: usize = 1024;
/// The next sweep starts this many times as long after the last one started as that one took, in
/// quarters: sweeps take at most four fifths of the writer threads' time. (One and a half times was the
/// rule while a sweep went to every socket at once: a sweep to 19,000 phones then held both cores for
/// 100 ms or more, and pauses any shorter starved reading and storing. Slices leave a pause every 25 ms
/// or so, and one and a quarter gave 19,000 phones their frames sooner with acks still quick; straight
/// on, without a pause, the acks and the screen waited again: docs/performance.md.)
const SWEEP_PERIOD_QUARTERS: u32 = 5;
/// On a node with more phones of one session than this, each phone gets a frame at most every
/// [`PHONE_INTERVAL_MIN`]; fewer (a workshop) at most every [`FEW_PHONES_INTERVAL_MIN`].
const PHONE_CROWD: usize = 100;
/// 100 ms: a person cannot tell a faster update, and each phone parses every frame it gets.
const PHONE_INTERVAL_MIN: Duration = Duration::from_millis(100);
/// 20 ms: a workshop's vote shows on every phone within 20 ms of the screen, and a node with a few phones
/// of a crowd's session does not send them the session's frames every 5 ms.
const FEW_PHONES_INTERVAL_MIN: Duration = Duration::from_millis(20);
/// However slow writing gets, a round starts at least this often (1 s) unless its sweeps took longer.
const ROUND_MAX: Duration = Duration::from_millis(1000);

/// How many slices sweeps divide `sockets` into: each is at most `per_slice` long.
fn slices(sockets: usize, per_slice: usize) -> usize {
    sockets.div_ceil(per_slice).max(1)
}

/// How long after the start of a sweep that took `took` over `swept` of the `sockets` sockets of `feed`
/// the next may start: a quarter as long again as it took, and at least its share of a round's least
/// length.
fn sweep_period(feed: Feed, sockets: usize, swept: usize, took: Duration) -> Duration {
    let round_min = match feed {
        Feed::Phone if sockets > PHONE_CROWD => PHONE_INTERVAL_MIN,
        Feed::Phone => FEW_PHONES_INTERVAL_MIN,
        Feed::Facilitator | Feed::Screen => Duration::ZERO,
    };
    let share = |round: Duration| round.mul_f64(swept.min(sockets) as f64 / sockets.max(1) as f64);
    (took.saturating_mul(SWEEP_PERIOD_QUARTERS) / 4).clamp(share(round_min), share(ROUND_MAX)).max(took)
}

/// The sockets following one audience of one session, and the newest frame.
pub struct Fanout {
    inner: Mutex<Audience>,
    /// The session's frames for this audience; a new actor for the session means a new channel.
    source: watch::Receiver<Frame>,
    /// Told when the next sweep starts, so the session renders frames for it (phones on the session's node).
    demand: Option<Arc<Demand>>,
    /// Tells the follower task that the last socket left.
    deserted: Notify,
    /// The most sockets one sweep writes to ([`SOCKETS_PER_SLICE`]).
    per_slice: usize,
}

#[derive(Default)]
struct Audience {
    /// The newest frame, for connections that start: renumbered by frames with the same bytes.
    latest: Option<WireFrame>,
    /// The newest frame with new bytes as first numbered: what sweeps write. (The renumbered copy would go
    /// again to sockets that have its bytes, and tell them a hidden change happened.)
    published: Option<WireFrame>,
    /// Sockets still to be visited by a sweep that started after the newest frame was published: while
    /// any are, a sweep is due.
    owed: usize,
    /// By the order they joined in, which is the order sweeps go round them.
    sockets: BTreeMap<u64, Arc<Conn>>,
    /// `sockets` as one shared list, made at the first sweep after someone joined or left: a frame to
    /// thousands of phones then costs one reference count, not one per socket.
    listed: Option<Listed>,
    /// The socket the next sweep starts with (the first whose id is at least this).
    cursor: u64,
    /// Sockets that agreed to `permessage-deflate`: while any follow, each frame is compressed too.
    deflating: usize,
    next_id: u64,
    ended: bool,
}

type Sockets = Arc<[Arc<Conn>]>;

#[derive(Clone)]
struct Listed {
    conns: Sockets,
    ids: Arc<[u64]>,
}

impl Audience {
    fn listed(&mut self) -> Listed {
        let sockets = &self.sockets;
        self.listed
            .get_or_insert_with(|| Listed {
                conns: sockets.values().cloned().collect(),
                ids: sockets.keys().copied().collect(),
            })
            .clone()
    }

    fn changed(&mut self) {
        self.listed = None;
    }

    /// The next slice to sweep, from the cursor on (or the first socket, past the last); moves the cursor
    /// past it and counts its sockets as visited.
    fn next_slice(&mut self, per_slice: usize) -> (Sockets, std::ops::Range<usize>) {
        let Listed { conns, ids } = self.listed();
        let (slice, cursor) = slice_at(&ids, self.cursor, per_slice);
        self.cursor = cursor;
        self.owed = self.owed.saturating_sub(slice.len());
        (conns, slice)
    }
}

/// The slice of sockets (listed by their ids, ascending) a sweep starting at `cursor` takes, and the
/// cursor after it: the sockets from the first whose id is at least `cursor` (from the first of all past
/// the last), an equal share of them in slices of at most `per_slice`, never past the last.
fn slice_at(ids: &[u64], cursor: u64, per_slice: usize) -> (std::ops::Range<usize>, u64) {
    let size = ids.len().div_ceil(slices(ids.len(), per_slice));
    let start = match ids.partition_point(|id| *id < cursor) {
        past_the_last if past_the_last >= ids.len() => 0,
        start => start,
    };
    let end = ids.len().min(start + size);
    (start..end, ids.get(end).copied().unwrap_or(0))
}

/// What starting a sweep led to.
enum Sweep {
    /// Written at once (a small audience).
    Done,
    /// Handed to the writer threads: the receiver resolves when the last of its jobs is over.
    Underway(oneshot::Receiver<()>),
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

    /// A frame with new bytes: the next round of sweeps takes it to every socket.
    fn replace(&self, state: WireFrame) {
        let mut audience = self.lock();
        audience.latest = Some(state.clone());
        audience.published = Some(state);
        audience.owed = audience.sockets.len();
    }

    /// Some socket agreed to `permessage-deflate`.
    fn deflating(&self) -> bool {
        self.lock().deflating > 0
    }

    /// Some sockets have not been visited since the newest frame was published.
    fn owed(&self) -> bool {
        self.lock().owed > 0
    }

    /// The frame sweeps write.
    fn published(&self) -> Option<WireFrame> {
        self.lock().published.clone()
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
        audience.deflating += usize::from(conn.deflates());
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

    /// Takes the newest frame to the next slice of sockets, those of them that lack it: a small audience
    /// at once, a large one through the writer threads. Returns how many sockets the audience has and the
    /// slice has, and what became of the sweep.
    async fn sweep(self: &Arc<Self>, writers: &Writers) -> (usize, usize, Sweep) {
        let (sockets, slice, published) = {
            let mut audience = self.lock();
            let (sockets, slice) = audience.next_slice(self.per_slice);
            (sockets, slice, audience.published.clone())
        };
        let counts = (sockets.len(), slice.len());
        if slice.len() <= INLINE_SOCKETS {
            if let Some(state) = published {
                deliver(&sockets[slice], &state);
            }
            return (counts.0, counts.1, Sweep::Done);
        }
        let (over, underway) = oneshot::channel();
        let over = Arc::new(over);
        for start in slice.clone().step_by(SOCKETS_PER_JOB) {
            let range = start..slice.end.min(start + SOCKETS_PER_JOB);
            let job = Job { fanout: self.clone(), sockets: sockets.clone(), range, _over: over.clone() };
            if writers.jobs.send(job).await.is_err() {
                break;
            }
        }
        (counts.0, counts.1, Sweep::Underway(underway))
    }

    /// Tells the session when the next sweep may start, so its frame is fresh then and not rendered in vain
    /// before.
    fn announce(&self, next_sweep: Instant) {
        if let Some(demand) = &self.demand {
            demand.sweep_at(next_sweep);
        }
    }

    fn end(&self) {
        let sockets = {
            let mut audience = self.lock();
            audience.ended = true;
            audience.listed().conns
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
        if let Some(conn) = audience.sockets.remove(&self.id) {
            audience.deflating -= usize::from(conn.deflates());
        }
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
    per_slice: usize,
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
    fanout: Arc<Fanout>,
    sockets: Sockets,
    range: std::ops::Range<usize>,
    /// Shared by the sweep's jobs: when the last one is dropped, the follower hears the sweep is over.
    _over: Arc<oneshot::Sender<()>>,
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
                        if let Some(state) = job.fanout.published() {
                            deliver(sockets, &state);
                        }
                        std::thread::yield_now();
                    }
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
        Fanouts { audiences: DashMap::new(), writers: Writers::start(), per_slice: SOCKETS_PER_SLICE }
    }
}

impl Fanouts {
    /// Makes `conn` follow a session's feed; `source` is the session's frame channel for it, and `demand`
    /// where to say when the next sweep starts. The fan-out starts with its first socket and stops with
    /// its last.
    pub fn subscribe(
        self: &Arc<Self>,
        code: &str,
        feed: Feed,
        source: watch::Receiver<Frame>,
        demand: Option<Arc<Demand>>,
        conn: &Arc<Conn>,
    ) -> Subscription {
        let key: (Arc<str>, Feed) = (code.into(), feed);
        loop {
            let fanout = {
                let mut entry =
                    self.audiences.entry(key.clone()).or_insert_with(|| start(&source, &demand, self, key.clone()));
                if !entry.source.same_channel(&source) || entry.lock().ended {
                    // Ended, or the session was started again (reloaded, taken over from another node).
                    *entry = start(&source, &demand, self, key.clone());
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
    demand: &Option<Arc<Demand>>,
    fanouts: &Arc<Fanouts>,
    key: (Arc<str>, Feed),
) -> Arc<Fanout> {
    let fanout = Arc::new(Fanout {
        inner: Mutex::default(),
        source: source.clone(),
        demand: demand.clone(),
        deserted: Notify::new(),
        per_slice: fanouts.per_slice,
    });
    let writers = fanouts.writers.clone();
    tokio::spawn(follow(fanout.clone(), source.clone(), writers, Arc::downgrade(fanouts), key));
    fanout
}

/// Sweeps the newest frame of the session's channel to the sockets (see the module's comment) until the
/// session ends (its sockets then close) or no socket follows it any more.
async fn follow(
    fanout: Arc<Fanout>,
    mut source: watch::Receiver<Frame>,
    writers: Arc<Writers>,
    fanouts: Weak<Fanouts>,
    key: (Arc<str>, Feed),
) {
    let mut changed = true;
    let mut last_bytes = bytes::Bytes::new();
    // The sweep under way (when it started, the audience's size and the slice's), and when the next may
    // start.
    let mut underway: Option<(Instant, (usize, usize), oneshot::Receiver<()>)> = None;
    let mut next_sweep = Instant::now();
    loop {
        if changed {
            let next = source.borrow_and_update().clone();
            if !next.is_empty() && next.bytes == last_bytes {
                fanout.renumber(next.version);
            } else if !next.is_empty() {
                let deflated = fanout.deflating().then(|| frame::text_deflated(&next.bytes)).flatten();
                fanout.replace(WireFrame { version: next.version, wire: frame::text(&next.bytes), deflated });
                last_bytes = next.bytes;
            }
        }
        if fanout.owed() && underway.is_none() && Instant::now() >= next_sweep {
            let started = Instant::now();
            match fanout.sweep(&writers).await {
                (sockets, slice, Sweep::Done) => {
                    next_sweep = started + sweep_period(key.1, sockets, slice, started.elapsed());
                    fanout.announce(next_sweep);
                }
                (sockets, slice, Sweep::Underway(over)) => underway = Some((started, (sockets, slice), over)),
            }
        }
        let behind = fanout.owed();
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
            _ = async { (&mut underway.as_mut().expect("checked by the guard").2).await }, if underway.is_some() => {
                let (started, (sockets, slice), _) = underway.take().expect("checked by the guard");
                let took = started.elapsed();
                METRICS.fanout_latency.observe(took);
                next_sweep = started + sweep_period(key.1, sockets, slice, took);
                fanout.announce(next_sweep);
                changed = false;
            }
            _ = tokio::time::sleep_until(next_sweep), if behind && underway.is_none() => changed = false,
        }
    }
    if let Some(demand) = &fanout.demand {
        demand.every_change();
    }
    if let Some(fanouts) = fanouts.upgrade() {
        fanouts.audiences.remove_if(&key, |_, current| Arc::ptr_eq(current, &fanout));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crowd_of_phones_gets_a_frame_at_most_ten_times_a_second_a_workshop_fifty_and_sweeps_rest_a_quarter_as_long_as_they_took(
    ) {
        let ms = Duration::from_millis;
        assert_eq!(sweep_period(Feed::Phone, 1_900, 1_900, ms(120)), ms(150), "a quarter as long again as it took");
        assert_eq!(sweep_period(Feed::Phone, 1_900, 1_900, ms(20)), ms(100), "at most ten frames a second");
        assert_eq!(sweep_period(Feed::Phone, 80, 80, ms(2)), ms(20), "a workshop's phones as often as 50 a second");
        assert_eq!(sweep_period(Feed::Screen, 500, 500, ms(20)), ms(25), "screens are paced by the session");
        assert_eq!(sweep_period(Feed::Phone, 1_900, 1_900, ms(900)), ms(1000), "slower writing: one a second");
        assert_eq!(sweep_period(Feed::Phone, 1_900, 1_900, ms(1500)), ms(1500), "never a sweep over another");
        // A slice of a fifth of the crowd: the round's least length shared out, each slice's pause its own.
        assert_eq!(sweep_period(Feed::Phone, 19_000, 3_800, ms(4)), ms(20), "five slices in at least 100 ms");
        assert_eq!(sweep_period(Feed::Phone, 19_000, 3_800, ms(24)), ms(30), "a quarter as long again");
        assert_eq!(sweep_period(Feed::Phone, 19_000, 3_800, ms(300)), ms(300), "never a sweep over another");
    }

    /// Real sockets swept in slices of 100 while frames come every few milliseconds: each gets frames in
    /// order, and every one ends on the newest, which is what a phone shows.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_socket_of_an_audience_swept_in_slices_ends_on_the_newest_frame() {
        use crate::protocol::Version;
        use tokio::io::AsyncReadExt;
        const PHONES: usize = 350;
        const FRAMES: u64 = 40;
        let fanouts = Arc::new(Fanouts { audiences: DashMap::new(), writers: Writers::start(), per_slice: 100 });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let address = listener.local_addr().expect("its address");
        let empty = Frame { version: Version { changes: 0, published: 0 }, bytes: bytes::Bytes::new() };
        let (session, source) = watch::channel(empty);
        let mut phones = Vec::new();
        let mut subscriptions = Vec::new();
        for _ in 0..PHONES {
            let phone = tokio::net::TcpStream::connect(address).await.expect("connected");
            let (socket, _) = listener.accept().await.expect("accepted");
            let conn = Conn::new(super::super::serve::Counted::new(socket), false);
            subscriptions.push(fanouts.subscribe("123456", Feed::Phone, source.clone(), None, &conn));
            conn.start_frames(|| None);
            phones.push(phone);
        }
        for n in 1..=FRAMES {
            let bytes = format!("frame {n:03}").into();
            session.send_replace(Frame { version: Version { changes: n, published: n }, bytes });
            tokio::time::sleep(Duration::from_millis(3)).await;
        }
        let newest = format!("frame {FRAMES:03}");
        for (ix, phone) in phones.iter_mut().enumerate() {
            let mut received = Vec::new();
            let mut buffer = [0u8; 4096];
            // Server frames are unmasked text frames: 0x81, the length (under 126 here), the text.
            let texts = |bytes: &[u8]| -> Vec<String> {
                let mut texts = Vec::new();
                let mut rest = bytes;
                while rest.len() >= 2 && rest.len() >= 2 + usize::from(rest[1]) {
                    assert_eq!(rest[0], 0x81, "a text frame");
                    let end = 2 + usize::from(rest[1]);
                    texts.push(String::from_utf8(rest[2..end].to_vec()).expect("text"));
                    rest = &rest[end..];
                }
                texts
            };
            while texts(&received).last() != Some(&newest) {
                let read = tokio::time::timeout(Duration::from_secs(10), phone.read(&mut buffer)).await;
                let read = read.unwrap_or_else(|_| panic!("phone {ix} waited 10 s: {:?}", texts(&received)));
                received.extend_from_slice(&buffer[..read.expect("read")]);
            }
            let got = texts(&received);
            assert!(got.windows(2).all(|pair| pair[0] < pair[1]), "phone {ix}: in order, none twice: {got:?}");
        }
        drop(subscriptions);
    }

    /// Every socket once per round, in the order they joined, whoever joins or leaves meanwhile.
    #[test]
    fn sweeps_go_round_the_audience_in_slices_and_miss_no_one() {
        let round = |ids: &[u64], cursor: &mut u64, sweeps: usize| -> Vec<u64> {
            let mut visited = Vec::new();
            for _ in 0..sweeps {
                let (slice, next) = slice_at(ids, *cursor, SOCKETS_PER_SLICE);
                visited.extend_from_slice(&ids[slice]);
                *cursor = next;
            }
            visited
        };
        let small: Vec<u64> = (0..100).collect();
        assert_eq!(slice_at(&small, 0, SOCKETS_PER_SLICE), (0..100, 0), "a small audience is one slice");

        let crowd: Vec<u64> = (0..19_000).collect();
        let mut cursor = 0;
        let first = round(&crowd, &mut cursor, slices(19_000, SOCKETS_PER_SLICE));
        assert_eq!(first, crowd, "five slices make one round, each socket once");
        assert_eq!(
            slice_at(&crowd, cursor, SOCKETS_PER_SLICE).0,
            0..3_800,
            "and the next round starts from the first again"
        );

        // Two slices into the round, the first socket and two in the slices ahead leave, and three join:
        // the three sweeps left of the round still visit everyone who was there.
        let mut cursor = 0;
        let half = round(&crowd, &mut cursor, 2);
        assert_eq!(half.len(), 7_600);
        let changed: Vec<u64> =
            crowd.iter().copied().filter(|id| ![0, 12_000, 18_999].contains(id)).chain(19_000..19_003).collect();
        let rest = round(&changed, &mut cursor, 3);
        let mut visited: Vec<u64> = half.into_iter().chain(rest.iter().copied()).collect();
        visited.sort_unstable();
        visited.dedup();
        let present_throughout: Vec<u64> = (1..19_000).filter(|id| ![12_000, 18_999].contains(id)).collect();
        assert!(present_throughout.iter().all(|id| visited.binary_search(id).is_ok()), "no one missed");
        // Newcomers get the newest frame as they start, and sweeps from then on in the order they joined.
        let next = round(&changed, &mut cursor, 1);
        let newcomers = rest.iter().chain(&next).filter(|id| **id >= 19_000).count();
        assert_eq!(newcomers, 3, "the newcomers at the round's end, the last of them in a short slice");
        assert_eq!(round(&changed, &mut cursor, 1), (1..3_801).collect::<Vec<_>>(), "then round again");
    }
}
