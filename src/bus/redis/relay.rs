//! The frames a relaying node keeps for a session another node runs: the newest of each audience, taken
//! from the owner's channel only when newer, and the byte layout of a frame on that channel.

use crate::protocol::{Frame, Version};
use bytes::Bytes;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The frames of a session this node relays: the newest of each audience, with its version.
pub(super) struct Relay {
    /// Facilitator, screen, phone: the order of [`FEED_TAGS`].
    pub senders: [watch::Sender<Frame>; 3],
    /// When the owner last answered one of this node's requests for the session (or relaying began).
    answered: Mutex<Instant>,
}

/// The first byte of a frame on the frames channel: which audience it is for.
pub(super) const FEED_TAGS: [u8; 3] = [b'f', b's', b'p'];
/// A frame on the frames channel: its tag, its version (two big-endian u64s), then the message.
const HEADER: usize = 1 + 8 + 8;

/// A frame as the owner publishes it to the nodes that relay its session.
pub(super) fn payload(tag: u8, frame: &Frame) -> Vec<u8> {
    let mut payload = Vec::with_capacity(HEADER + frame.bytes.len());
    payload.push(tag);
    payload.extend_from_slice(&frame.version.changes.to_be_bytes());
    payload.extend_from_slice(&frame.version.published.to_be_bytes());
    payload.extend_from_slice(&frame.bytes);
    payload
}

impl Relay {
    pub fn new(frames: [Frame; 3]) -> Self {
        Relay { senders: frames.map(watch::Sender::new), answered: Mutex::new(Instant::now()) }
    }

    /// The owner answered a request of this node.
    pub fn answered(&self) {
        *self.answered.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Instant::now();
    }

    /// How long the owner has not answered any request of this node.
    pub fn silent_for(&self) -> Duration {
        self.answered.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).elapsed()
    }

    /// Takes a frame from the owner. A frame no newer than the current one (a repeat after a refresh) is
    /// ignored, so a refresh costs the sockets nothing.
    pub fn accept(&self, payload: Vec<u8>) {
        if payload.len() < HEADER {
            return;
        }
        let Some(index) = FEED_TAGS.iter().position(|tag| *tag == payload[0]) else { return };
        let number = |at: usize| u64::from_be_bytes(payload[at..at + 8].try_into().expect("8 bytes"));
        let version = Version { changes: number(1), published: number(9) };
        let frame = Frame { version, bytes: Bytes::from(payload).slice(HEADER..) };
        self.senders[index].send_if_modified(|current| {
            let newer = frame.version > current.version;
            if newer {
                *current = frame;
            }
            newer
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(changes: u64, published: u64, body: &'static [u8]) -> Frame {
        Frame { version: Version { changes, published }, bytes: Bytes::from_static(body) }
    }

    #[test]
    fn a_relay_keeps_the_newest_frame_and_ignores_older_versions_and_repeats() {
        let relay = Relay::new([frame(1, 0, b"f1"), frame(1, 0, b"s1"), frame(1, 0, b"p1")]);
        let mut screen = relay.senders[1].subscribe();
        screen.borrow_and_update();
        relay.accept(payload(b's', &frame(3, 4, b"s3")));
        assert_eq!(&screen.borrow_and_update().bytes[..], b"s3");
        relay.accept(payload(b's', &frame(2, 9, b"s2")));
        relay.accept(payload(b's', &frame(3, 4, b"s3")));
        assert!(!screen.has_changed().unwrap(), "an older version or the same frame again changes nothing");
        relay.accept(payload(b's', &frame(3, 5, b"s3 with one more online")));
        assert_eq!(&screen.borrow_and_update().bytes[..], b"s3 with one more online", "a live figure is newer");
        relay.accept(payload(b'x', &frame(9, 9, b"??")));
        relay.accept(vec![b's']);
        assert_eq!(relay.senders[1].borrow().version, Version { changes: 3, published: 5 });
        assert_eq!(&relay.senders[0].borrow().bytes[..], b"f1");
        assert_eq!(&relay.senders[2].borrow().bytes[..], b"p1", "phones have their own frame");
    }
}
