//! The `state` message and the frame that carries it: serialized once per audience where the change
//! happens, with its version beside the bytes, so nobody downstream parses a frame to learn its place.
//! Knows the domain's views and serde; never a socket, a channel or a database.

use crate::domain::view::{render, Audience, JoinsView, SessionView};
use crate::domain::Session;
use bytes::Bytes;
use serde::Serialize;

/// Where a frame stands among its session's frames: the stored changes it shows, then how many frames
/// the running actor had published before it. Ordered lexicographically, so a frame that only carries a
/// live figure (who is online) still comes after the one before it, and no socket or relaying node ever
/// takes an older frame after a newer one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// The session's stored changes (the message itself carries the visible ones, `public_version`).
    pub changes: u64,
    /// The publishing actor's frame count; starts again with each actor, within the same `changes`.
    pub published: u64,
}

/// A serialized server message and its version. Cheap to clone: the bytes are shared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frame {
    pub version: Version,
    pub bytes: Bytes,
}

impl Frame {
    /// True for the placeholder a channel holds before its first real frame.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// The `state` message of docs/protocol.md.
#[derive(Serialize)]
struct StateMessage<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    version: u64,
    session: SessionView<'a>,
}

/// What only the running session knows: who is connected now.
#[derive(Debug, Clone, Copy, Default)]
pub struct Live<'a> {
    /// Participants online.
    pub online: usize,
    /// The names of who runs the open consoles, sorted (empty: a key link's holder); the facilitator's
    /// view only.
    pub consoles: &'a [&'a str],
    /// New participants in the last minute, and how many flagged as a burst from one network still
    /// count; the facilitator's view only.
    pub joins_last_minute: u32,
    pub flagged: u32,
}

/// The `state` frame of one audience with its `live` figures, the `published`-th frame of its actor.
pub fn state_frame(session: &Session, code: &str, live: Live<'_>, audience: Audience, published: u64) -> Frame {
    let mut view = render(session, code, live.online, audience);
    if audience == Audience::Facilitator {
        view.consoles = Some(live.consoles);
        let left_out = session.left_out.len() as u32;
        view.joins = Some(JoinsView { last_minute: live.joins_last_minute, flagged: live.flagged, left_out });
    }
    // Every audience sees the version that does not rise with changes hidden from phones and screens, so
    // the facilitator's figure and theirs can be compared; the frame's place (`Version`) counts them all.
    let message = StateMessage { kind: "state", version: session.public_version, session: view };
    let bytes = match serde_json::to_vec(&message) {
        Ok(bytes) => Bytes::from(bytes),
        Err(error) => {
            tracing::error!(%error, "could not serialize state");
            Bytes::new()
        }
    };
    Frame { version: Version { changes: session.version, published }, bytes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_figure_comes_after_the_frame_before_it_and_before_the_next_change() {
        let first = Version { changes: 4, published: 1 };
        let presence = Version { changes: 4, published: 2 };
        let change = Version { changes: 5, published: 0 };
        assert!(first < presence && presence < change);
    }
}
