//! One WebSocket connection's byte stream, shared by its own task (which reads, and writes replies) and the
//! fan-out (which writes state frames into it without waking that task). Knows bytes and the socket;
//! never a session or who follows what.

use super::frame;
use super::serve::Counted;
use crate::metrics::METRICS;
use crate::protocol::Version;
use bytes::{Buf, Bytes};
use std::collections::VecDeque;
use std::future::poll_fn;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Instant;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;

/// A state frame as it goes on the wire, with its place in the audience's sequence.
#[derive(Clone)]
pub struct WireFrame {
    pub version: Version,
    pub wire: Bytes,
    /// The same message compressed, for sockets that agreed to `permessage-deflate`: made once per frame
    /// when any socket of the audience did and compressing makes it smaller.
    pub deflated: Option<Bytes>,
}

/// Bytes read from a socket at once; on the stack of the read, never kept per connection.
const READ_CHUNK: usize = 2048;

/// One WebSocket connection's byte stream, shared by its own task (which reads, and writes replies) and
/// the fan-out (which writes state frames).
pub struct Conn {
    link: Mutex<Link>,
    /// Wakes the connection's task: a write could not finish, or the session ended.
    wake: Notify,
    /// The client agreed to `permessage-deflate`: state frames go to it compressed.
    deflate: bool,
}

struct Link {
    /// The TCP socket itself: what hyper upgraded, with no layer left between.
    io: Counted,
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
    /// Commands handed to the session whose answers are not written yet (the session's actor writes them).
    answers_due: u32,
    /// The connection's task waits for those answers before its close frame, and wants a wake-up.
    closing: bool,
}

/// What became of a write.
enum Wrote {
    All,
    /// Part or none of it went out; the rest waits in `pending` for the connection's task.
    Queued,
    Broken,
}

impl Conn {
    pub(super) fn new(io: Counted, deflate: bool) -> Arc<Self> {
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
                answers_due: 0,
                closing: false,
            }),
            wake: Notify::new(),
            deflate,
        })
    }

    /// Whether the client agreed to `permessage-deflate`.
    pub fn deflates(&self) -> bool {
        self.deflate
    }

    fn lock(&self) -> MutexGuard<'_, Link> {
        // A panic elsewhere while holding the lock leaves the bytes as they were; go on with them.
        self.link.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sends a message of the connection's own (a reply, a ping, a close), after anything still waiting.
    pub fn send(&self, bytes: Bytes) {
        self.write_own(self.lock(), &bytes, false);
    }

    /// Counts a command handed to the session: its answer comes through [`Conn::answer`].
    pub fn expect_answer(&self) {
        self.lock().answers_due += 1;
    }

    /// Sends a command's answer, from wherever its outcome is known (the session's actor).
    pub fn answer(&self, bytes: Bytes) {
        let mut link = self.lock();
        link.answers_due = link.answers_due.saturating_sub(1);
        let closing_waits = link.closing && link.answers_due == 0;
        self.write_own(link, &bytes, closing_waits);
    }

    /// Writes `bytes` unless the connection is closed, and wakes its task if they must wait for the
    /// socket (or `wake`).
    fn write_own(&self, mut link: MutexGuard<'_, Link>, bytes: &Bytes, wake: bool) {
        let wrote = if link.closed { Wrote::All } else { link.write(bytes) };
        drop(link);
        if wake || !matches!(wrote, Wrote::All) {
            self.wake.notify_one();
        }
    }

    /// Waits until every command handed to the session has its answer written (or the peer is gone):
    /// a connection that closes says everything it owes before its close frame.
    pub async fn answered(&self) {
        loop {
            {
                let mut link = self.lock();
                if link.answers_due == 0 || link.broken {
                    return;
                }
                link.closing = true;
            }
            // A wake-up given between the check and here is kept for this wait.
            self.wake.notified().await;
        }
    }

    /// Offers a state frame: written now if the socket takes it and has nothing waiting. Returns whether
    /// the frame went out (at least partly).
    pub(super) fn offer(&self, state: &WireFrame) -> bool {
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
        let wire = match &state.deflated {
            Some(deflated) if self.deflate => deflated,
            _ => &state.wire,
        };
        let wrote = link.write(wire);
        drop(link);
        if !matches!(wrote, Wrote::All) {
            self.wake.notify_one();
        }
        !matches!(wrote, Wrote::Broken)
    }

    /// Sends no state frame showing fewer than `changes` stored changes: older ones are skipped as if
    /// already sent, so the first one the client gets is the current view.
    pub fn skip_states_before(&self, changes: u64) {
        let mut link = self.lock();
        let floor = Version { changes, published: 0 };
        link.sent_version = link.sent_version.max(Some(floor));
    }

    /// Starts state frames (after the welcome) with the newest one, or catches up with it after a skip.
    /// `latest` is read only once the connection is ready: a frame published before that moment was
    /// stored as the audience's newest before it was offered here (and refused), so reading it earlier
    /// could miss it, and a phone would wait for the next change to see the current view.
    pub fn start_frames(&self, latest: impl FnOnce() -> Option<WireFrame>) {
        self.lock().ready = true;
        if let Some(state) = latest() {
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

    /// Writes what waits as the socket takes it. `Ok(true)`: a state frame was skipped meanwhile, so the
    /// caller should offer the newest ([`Conn::start_frames`]).
    pub async fn flush(&self) -> Result<bool, ()> {
        poll_fn(|cx| self.lock().poll_pending(cx)).await?;
        Ok(std::mem::take(&mut self.lock().wants_latest))
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

    pub(super) fn end_session(&self) {
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
        // Straight to the (non-blocking) socket, past the runtime's readiness bookkeeping: on the fan-out's
        // path that bookkeeping cost as much as Samsyn's own work per socket (docs/performance.md, "Writes
        // straight to the socket"). Whoever finds the socket full hands the rest to the connection's task,
        // which waits for it through the runtime (`poll_pending`); the runtime then tries a write itself,
        // learns that the socket is full and waits for it to drain, so nothing is missed. A peer gone
        // answers EPIPE, not a signal: Rust programs start with SIGPIPE ignored.
        let socket = socket2::SockRef::from(self.io.socket());
        let mut written = 0;
        while written < bytes.len() {
            match socket.send(&bytes[written..]) {
                Ok(0) => {
                    self.broken = true;
                    return Wrote::Broken;
                }
                Ok(n) => written += n,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                    self.pending.push_back(bytes.slice(written..));
                    self.pending_since = Some(Instant::now());
                    return Wrote::Queued;
                }
                Err(_) => {
                    self.broken = true;
                    return Wrote::Broken;
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
