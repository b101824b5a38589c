//! The WebSocket frame decoder (`src/web/frame.rs`) on arbitrary bytes fed in arbitrary pieces, as a
//! socket delivers them: it never panics, every text it hands out is whole UTF-8 within the size limit,
//! a refusal carries a close code, and feeding the same bytes in one piece gives the same messages; with
//! and without `permessage-deflate` agreed (compressed messages inflate within the same limit).
#![no_main]

use libfuzzer_sys::fuzz_target;
use samsyn::web::frame::{Decoder, Incoming, Violation, MAX_MESSAGE_BYTES};

/// Decodes `data`, pushed in pieces whose sizes come from `cuts`.
fn decode(deflate: bool, data: &[u8], cuts: &[u8]) -> (Vec<Incoming>, Option<Violation>) {
    let mut decoder = Decoder::new(deflate);
    let mut out = Vec::new();
    let mut rest = data;
    let mut sizes = cuts.iter().map(|&c| usize::from(c) + 1).chain(std::iter::repeat(usize::MAX));
    while !rest.is_empty() {
        let (piece, after) = rest.split_at(sizes.next().expect("endless").min(rest.len()));
        rest = after;
        decoder.push(piece);
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => out.push(message),
                Ok(None) => break,
                Err(violation) => return (out, Some(violation)),
            }
        }
    }
    (out, None)
}

fuzz_target!(|input: (bool, Vec<u8>, Vec<u8>)| {
    let (deflate, data, cuts) = input;
    let (messages, refused) = decode(deflate, &data, &cuts);
    for message in &messages {
        if let Incoming::Text(text) = message {
            assert!(text.len() <= MAX_MESSAGE_BYTES);
        }
    }
    if let Some(violation) = refused {
        assert!(matches!(violation.code, 1002 | 1007 | 1009));
        assert!(!violation.reason.is_empty());
    }
    assert_eq!(decode(deflate, &data, &[]), (messages, refused), "pieces change nothing");
});
