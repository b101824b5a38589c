//! The WebSocket message decoder (`src/protocol/messages.rs`) on arbitrary text, as `src/web/socket.rs` uses it: whatever arrives,
//! reading it never panics, a refusal says why, the id acknowledged is the id sent, and the command a
//! message carries is decided (as the facilitator and as a participant) without panicking either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samsyn::domain::{Actor, Session, SessionSpec};
use samsyn::protocol::messages as wire;
use std::sync::OnceLock;

/// A workshop from the built-in catalogue with one participant, built once and cloned per input.
fn session() -> &'static Session {
    static SESSION: OnceLock<Session> = OnceLock::new();
    SESSION.get_or_init(|| {
        let catalogue = samsyn::app::built_in_catalogues().remove(0);
        let mut session = Session::new(SessionSpec::workshop(&catalogue, "Fuzz").expect("a workshop"));
        let joined = session.join("token".into());
        session.apply(&joined);
        session
    })
}

fuzz_target!(|data: &[u8]| {
    // WebSocket text frames are UTF-8 by the time they reach the decoder.
    let Ok(text) = std::str::from_utf8(data) else { return };
    match wire::parse(text) {
        Err((_, message)) => assert!(!message.is_empty()),
        Ok(envelope) => {
            let id = envelope.id;
            let sent: serde_json::Value = serde_json::from_str(text).expect("a message that parses is JSON");
            assert!(sent.is_object(), "only JSON objects are messages");
            assert_eq!(sent["id"].as_u64(), Some(id), "the acknowledged id is the one sent");
            if let wire::ClientMsg::Command(command) = envelope.message {
                for actor in [Actor::Facilitator, Actor::Participant(1)] {
                    let mut session = session().clone();
                    if let Ok(events) = session.decide(actor, command.clone(), 1_700_000_000_000) {
                        let before = session.version;
                        for event in &events {
                            session.apply(event);
                        }
                        assert_eq!(session.version, before + events.len() as u64);
                    }
                }
            }
        }
    }
});
