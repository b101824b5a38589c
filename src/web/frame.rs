//! The WebSocket framing (RFC 6455) as the server side needs it, without I/O: frames are encoded once and
//! the same bytes go to every socket of an audience (server frames are never masked, so one encoding fits
//! all), and a [`Decoder`] turns what a client sent into whole messages.
//!
//! One extension is spoken when the client offers it: per-message compression (RFC 7692,
//! `permessage-deflate`) without context takeover either way, so every message is compressed on its own
//! and one compressed state frame fits every socket that agreed to it, as one plain frame fits all. A
//! client frame with a reserved bit set is an error unless it is the first frame of a compressed message
//! on such a connection, as is an unmasked one. No subprotocol.

use bytes::Bytes;
use miniz_oxide::deflate::core::{compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush};
use std::cell::RefCell;

/// Reads a message of at most this many bytes (64 KiB); a larger one closes the connection with 1009.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

const CONTINUATION: u8 = 0x0;
const TEXT: u8 = 0x1;
const BINARY: u8 = 0x2;
const CLOSE: u8 = 0x8;
const PING: u8 = 0x9;
const PONG: u8 = 0xA;

/// Close codes the server sends.
pub const NORMAL: u16 = 1000;
pub const PROTOCOL_ERROR: u16 = 1002;
pub const NOT_UTF8: u16 = 1007;
pub const POLICY: u16 = 1008;
pub const TOO_BIG: u16 = 1009;
pub const RESTARTING: u16 = 1012;

/// RSV1 on a message's first frame: its payload is compressed (RFC 7692).
const COMPRESSED: u8 = 0x40;

/// One unfragmented server frame: FIN, the opcode, the length, the payload.
fn encode(opcode: u8, payload: &[u8]) -> Bytes {
    encode_with(0x80 | opcode, payload)
}

fn encode_with(first: u8, payload: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(payload.len() + 10);
    out.push(first);
    match payload.len() {
        len @ 0..=125 => out.push(len as u8),
        len @ 126..=0xFFFF => {
            out.push(126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        len => {
            out.push(127);
            out.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out.into()
}

pub fn text(payload: &[u8]) -> Bytes {
    encode(TEXT, payload)
}

/// The text message compressed for a connection that agreed to `permessage-deflate`, on its own (no
/// context carried from one message to the next). `None` if compressing would not make it smaller.
pub fn text_deflated(payload: &[u8]) -> Option<Bytes> {
    let deflated = deflate(payload)?;
    (deflated.len() < payload.len()).then(|| encode_with(0x80 | COMPRESSED | TEXT, &deflated))
}

/// DEFLATE (level 6, a 32 KiB window) of `payload` ending in a sync flush, whose closing `00 00 ff ff` RFC
/// 7692 leaves out (the receiver puts it back).
fn deflate(payload: &[u8]) -> Option<Vec<u8>> {
    thread_local! {
        // A compressor's tables are about 300 KB: made once per thread, reset for each message.
        static COMPRESSOR: RefCell<Box<CompressorOxide>> =
            RefCell::new(Box::new(CompressorOxide::new(create_comp_flags_from_zip_params(6, -15, 0))));
    }
    COMPRESSOR.with_borrow_mut(|compressor| {
        compressor.reset();
        // Incompressible input grows by a few bytes per 64 KiB block at most: this room always suffices.
        let mut out = vec![0; payload.len() + payload.len() / 16 + 64];
        let (_, read, written) = compress(compressor, payload, &mut out, TDEFLFlush::Sync);
        out.truncate(written);
        (read == payload.len() && out.ends_with(&SYNC_FLUSH_TAIL)).then(|| {
            out.truncate(written - SYNC_FLUSH_TAIL.len());
            out
        })
    })
}

/// The end of a sync flush (an empty uncompressed block's length and its complement), left out on the wire.
const SYNC_FLUSH_TAIL: [u8; 4] = [0x00, 0x00, 0xFF, 0xFF];
/// Put back after a compressed message's bytes, followed by an empty final block, so the message inflates
/// as a whole DEFLATE stream. (If the sender ended its message with a final block itself, as RFC 7692
/// allows, the inflater stops there and ignores these.)
const INFLATE_TAIL: [u8; 9] = [0x00, 0x00, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0xFF, 0xFF];

/// A compressed message's payload inflated, at most [`MAX_MESSAGE_BYTES`] long.
fn inflate(mut deflated: Vec<u8>) -> Result<Vec<u8>, Violation> {
    use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};
    deflated.extend_from_slice(&INFLATE_TAIL);
    decompress_to_vec_with_limit(&deflated, MAX_MESSAGE_BYTES).map_err(|error| match error.status {
        TINFLStatus::HasMoreOutput => violation(TOO_BIG, "message too large once inflated"),
        _ => violation(PROTOCOL_ERROR, "a compressed message that does not inflate"),
    })
}

pub fn ping() -> Bytes {
    encode(PING, &[])
}

pub fn pong(payload: &[u8]) -> Bytes {
    encode(PONG, payload)
}

/// A close frame; the reason is cut to fit a control frame (125 bytes with the code).
pub fn close(code: u16, reason: &str) -> Bytes {
    let mut cut = reason.len().min(123);
    while !reason.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut payload = code.to_be_bytes().to_vec();
    payload.extend_from_slice(&reason.as_bytes()[..cut]);
    encode(CLOSE, &payload)
}

/// A whole message from the client.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    Text(String),
    Binary,
    Ping(Vec<u8>),
    Pong,
    /// The client closes, with its status code if it gave one.
    Close(Option<u16>),
}

/// The client broke the protocol: the connection closes with this code and reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Violation {
    pub code: u16,
    pub reason: &'static str,
}

fn violation(code: u16, reason: &'static str) -> Violation {
    Violation { code, reason }
}

/// Collects a client's bytes and hands out whole messages. Holds no memory between messages: an idle
/// connection's decoder is two empty vectors.
#[derive(Debug, Default)]
pub struct Decoder {
    /// Received bytes not yet decoded: at most a partial frame once `next` returned `None`.
    buffer: Vec<u8>,
    /// A fragmented text or binary message so far: its opcode, whether it is compressed, its payload.
    message: Option<(u8, bool, Vec<u8>)>,
    /// The client agreed to `permessage-deflate`, so its messages may come compressed.
    deflate: bool,
}

impl Decoder {
    /// A decoder for a connection that agreed to `permessage-deflate` (`deflate`) or to no extension.
    pub fn new(deflate: bool) -> Decoder {
        Decoder { deflate, ..Decoder::default() }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole message, `None` until more bytes arrive, or the violation that ends the connection.
    pub fn next_message(&mut self) -> Result<Option<Incoming>, Violation> {
        loop {
            let Some((header, frame_len)) = self.frame_at_start()? else {
                self.release();
                return Ok(None);
            };
            let mut payload: Vec<u8> = self.buffer[header.payload_start..frame_len].to_vec();
            for (i, byte) in payload.iter_mut().enumerate() {
                *byte ^= header.mask[i % 4];
            }
            self.buffer.drain(..frame_len);
            self.release();
            if let Some(incoming) = self.take(header.fin, header.opcode, header.compressed, payload)? {
                return Ok(Some(incoming));
            }
        }
    }

    /// Parses the header of the frame at the start of the buffer; `None` if the frame is not all there.
    fn frame_at_start(&self) -> Result<Option<(Header, usize)>, Violation> {
        let bytes = &self.buffer;
        if bytes.len() < 2 {
            return Ok(None);
        }
        let (first, second) = (bytes[0], bytes[1]);
        let fin = first & 0x80 != 0;
        let opcode = first & 0x0F;
        let compressed = first & COMPRESSED != 0;
        if first & 0x30 != 0 || (compressed && !self.deflate) {
            return Err(violation(PROTOCOL_ERROR, "reserved bits set (no extension was agreed that uses them)"));
        }
        if second & 0x80 == 0 {
            return Err(violation(PROTOCOL_ERROR, "client frames must be masked"));
        }
        let (len, mut at) = match second & 0x7F {
            126 if bytes.len() < 4 => return Ok(None),
            126 => (u64::from(u16::from_be_bytes([bytes[2], bytes[3]])), 4),
            127 if bytes.len() < 10 => return Ok(None),
            127 => (u64::from_be_bytes(bytes[2..10].try_into().expect("8 bytes")), 10),
            short => (u64::from(short), 2),
        };
        let control = opcode & 0x8 != 0;
        if control && (!fin || len > 125) {
            return Err(violation(PROTOCOL_ERROR, "control frames are short and unfragmented"));
        }
        if len >> 63 != 0 {
            return Err(violation(PROTOCOL_ERROR, "the most significant bit of a 64-bit length must be 0"));
        }
        let buffered = self.message.as_ref().map_or(0, |(_, _, data)| data.len()) as u64;
        if len.saturating_add(if control { 0 } else { buffered }) > MAX_MESSAGE_BYTES as u64 {
            return Err(violation(TOO_BIG, "message too large"));
        }
        if bytes.len() < at + 4 {
            return Ok(None);
        }
        let mask: [u8; 4] = bytes[at..at + 4].try_into().expect("4 bytes");
        at += 4;
        let end = at + len as usize;
        if bytes.len() < end {
            return Ok(None);
        }
        Ok(Some((Header { fin, opcode, compressed, mask, payload_start: at }, end)))
    }

    /// Takes one frame's payload: a message once it is whole.
    fn take(
        &mut self,
        fin: bool,
        opcode: u8,
        compressed: bool,
        payload: Vec<u8>,
    ) -> Result<Option<Incoming>, Violation> {
        if compressed && !matches!(opcode, TEXT | BINARY) {
            return Err(violation(PROTOCOL_ERROR, "only a message's first frame may say it is compressed"));
        }
        let whole = match opcode {
            TEXT | BINARY if self.message.is_some() => {
                return Err(violation(PROTOCOL_ERROR, "a new message began inside a fragmented one"));
            }
            TEXT | BINARY if !fin => {
                self.message = Some((opcode, compressed, payload));
                return Ok(None);
            }
            TEXT | BINARY => (opcode, compressed, payload),
            CONTINUATION => {
                let Some((_, _, data)) = self.message.as_mut() else {
                    return Err(violation(PROTOCOL_ERROR, "a continuation frame without a message"));
                };
                data.extend_from_slice(&payload);
                if !fin {
                    return Ok(None);
                }
                self.message.take().expect("checked above")
            }
            PING => return Ok(Some(Incoming::Ping(payload))),
            PONG => return Ok(Some(Incoming::Pong)),
            CLOSE => {
                return match payload.len() {
                    0 => Ok(Some(Incoming::Close(None))),
                    1 => Err(violation(PROTOCOL_ERROR, "a close frame's code has two bytes")),
                    _ if std::str::from_utf8(&payload[2..]).is_err() => {
                        Err(violation(NOT_UTF8, "the close reason is not UTF-8"))
                    }
                    _ => match u16::from_be_bytes([payload[0], payload[1]]) {
                        code if may_be_sent(code) => Ok(Some(Incoming::Close(Some(code)))),
                        _ => Err(violation(PROTOCOL_ERROR, "not a close code a peer may send")),
                    },
                };
            }
            _ => return Err(violation(PROTOCOL_ERROR, "unknown opcode")),
        };
        let (opcode, data) = match whole {
            (opcode, true, deflated) => (opcode, inflate(deflated)?),
            (opcode, false, data) => (opcode, data),
        };
        match (opcode, data) {
            (TEXT, data) => match String::from_utf8(data) {
                Ok(text) => Ok(Some(Incoming::Text(text))),
                Err(_) => Err(violation(NOT_UTF8, "text messages must be UTF-8")),
            },
            _ => Ok(Some(Incoming::Binary)),
        }
    }

    /// Frees what a burst of input left behind, so an idle connection keeps no buffer.
    fn release(&mut self) {
        if self.buffer.is_empty() && self.buffer.capacity() > 0 {
            self.buffer = Vec::new();
        }
    }
}

/// Whether a peer may put this code in a close frame (RFC 6455, section 7.4): the codes the RFC defines
/// for use on the wire, the three registered with IANA since (1012 service restart, which Samsyn sends
/// itself, 1013 try again later, 1014 bad gateway), and those for libraries and applications. 1005,
/// 1006 and 1015 only stand for a missing code or a failure in an API and must never be sent; the rest
/// are reserved or unassigned.
fn may_be_sent(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

struct Header {
    fin: bool,
    opcode: u8,
    compressed: bool,
    mask: [u8; 4],
    payload_start: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame as a client sends it: masked with `mask`.
    fn client_frame(first: u8, payload: &[u8], mask: [u8; 4]) -> Vec<u8> {
        let mut out = vec![first];
        match payload.len() {
            len @ 0..=125 => out.push(0x80 | len as u8),
            len @ 126..=0xFFFF => {
                out.push(0x80 | 126);
                out.extend_from_slice(&(len as u16).to_be_bytes());
            }
            len => {
                out.push(0x80 | 127);
                out.extend_from_slice(&(len as u64).to_be_bytes());
            }
        }
        out.extend_from_slice(&mask);
        out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        out
    }

    fn decode_all(bytes: &[u8]) -> Result<Vec<Incoming>, Violation> {
        let mut decoder = Decoder::default();
        decoder.push(bytes);
        let mut out = Vec::new();
        while let Some(message) = decoder.next_message()? {
            out.push(message);
        }
        Ok(out)
    }

    /// A state message as a phone gets it: JSON with the repetition compression feeds on.
    fn state_like() -> Vec<u8> {
        let words: Vec<String> = (0..40).map(|i| format!(r#"{{"text":"ord{i}","count":{}}}"#, 40 - i)).collect();
        format!(r#"{{"type":"state","version":812,"session":{{"words":[{}]}}}}"#, words.join(",")).into_bytes()
    }

    /// What a browser does with a compressed server message (RFC 7692, section 7.2.2): put the four bytes
    /// back and inflate.
    fn inflate_as_a_client(frame: &[u8]) -> Vec<u8> {
        let at = match frame[1] {
            126 => 4,
            127 => 10,
            _ => 2,
        };
        let mut deflated = frame[at..].to_vec();
        deflated.extend_from_slice(&SYNC_FLUSH_TAIL);
        let mut inflater = miniz_oxide::inflate::core::DecompressorOxide::new();
        let mut out = vec![0; 1 << 16];
        let flags = miniz_oxide::inflate::core::inflate_flags::TINFL_FLAG_HAS_MORE_INPUT;
        let (_, _, written) = miniz_oxide::inflate::core::decompress(&mut inflater, &deflated, &mut out, 0, flags);
        out.truncate(written);
        out
    }

    #[test]
    fn a_compressed_text_frame_says_so_and_inflates_as_a_browser_inflates_it() {
        let state = state_like();
        let frame = text_deflated(&state).expect("a state message compresses");
        assert_eq!(frame[0], 0xC1, "FIN, RSV1 and the text opcode");
        assert!(frame.len() * 2 < state.len(), "{} bytes for {}", frame.len(), state.len());
        assert_eq!(inflate_as_a_client(&frame), state);
        assert_eq!(inflate_as_a_client(&text_deflated(&state).unwrap()), state, "the same again: no context kept");
        assert_eq!(text_deflated(b"{}"), None, "nothing to gain from a tiny message");
    }

    /// A client's compressed frame: `deflated` as a browser sends it, without the sync flush's last four bytes.
    fn compressed_client_frame(first: u8, message: &[u8]) -> Vec<u8> {
        let deflated = deflate(message).expect("compressible");
        client_frame(first, &deflated, [3, 1, 4, 1])
    }

    #[test]
    fn a_client_that_agreed_may_compress_a_message_and_nothing_else() {
        let message = br#"{"type":"word","id":4,"item":"ord","text":"digitalisering digitalisering"}"#;
        let mut agreed = Decoder::new(true);
        agreed.push(&compressed_client_frame(0xC1, message));
        let expected = String::from_utf8(message.to_vec()).unwrap();
        assert_eq!(agreed.next_message(), Ok(Some(Incoming::Text(expected.clone()))));
        // Fragmented: RSV1 on the first frame only, the compressed bytes split over two.
        let deflated = deflate(message).unwrap();
        let (head, tail) = deflated.split_at(deflated.len() / 2);
        agreed.push(&client_frame(0x41, head, [9, 9, 9, 9]));
        agreed.push(&client_frame(0x80, tail, [8, 8, 8, 8]));
        assert_eq!(agreed.next_message(), Ok(Some(Incoming::Text(expected))));
        agreed.push(&client_frame(0x81, b"plain", [1, 2, 3, 4]));
        assert_eq!(agreed.next_message(), Ok(Some(Incoming::Text("plain".into()))), "uncompressed still");

        let refused = |decoder: &mut Decoder, bytes: &[u8]| {
            decoder.push(bytes);
            decoder.next_message().expect_err("a violation")
        };
        let not_agreed = refused(&mut Decoder::default(), &compressed_client_frame(0xC1, message));
        assert_eq!(not_agreed.code, PROTOCOL_ERROR, "RSV1 without the extension");
        let on_a_ping = refused(&mut Decoder::new(true), &client_frame(0xC9, b"", [1, 1, 1, 1]));
        assert_eq!(on_a_ping.code, PROTOCOL_ERROR, "control frames are never compressed");
        let mut fragmented = Decoder::new(true);
        fragmented.push(&client_frame(0x01, b"a", [1, 1, 1, 1]));
        let on_a_continuation = refused(&mut fragmented, &client_frame(0xC0, b"b", [1, 1, 1, 1]));
        assert_eq!(on_a_continuation.code, PROTOCOL_ERROR, "RSV1 on a continuation frame");
        let garbage = refused(&mut Decoder::new(true), &client_frame(0xC1, &[0xFF; 20], [1, 1, 1, 1]));
        assert_eq!(garbage.code, PROTOCOL_ERROR, "bytes that do not inflate");
        // 1 KB on the wire that would inflate to over 64 KiB: refused once the limit is passed.
        let bomb = refused(&mut Decoder::new(true), &compressed_client_frame(0xC1, &vec![b'a'; MAX_MESSAGE_BYTES + 1]));
        assert_eq!(bomb.code, TOO_BIG);
    }

    #[test]
    fn server_frames_carry_the_length_in_the_shortest_form() {
        assert_eq!(&text(b"hi")[..], &[0x81, 2, b'h', b'i']);
        let medium = text(&[b'a'; 300]);
        assert_eq!(&medium[..4], &[0x81, 126, 1, 44]);
        assert_eq!(medium.len(), 304);
        let large = text(&vec![b'a'; 70_000]);
        assert_eq!(&large[..2], &[0x81, 127]);
        assert_eq!(u64::from_be_bytes(large[2..10].try_into().unwrap()), 70_000);
        assert_eq!(&ping()[..], &[0x89, 0]);
    }

    #[test]
    fn a_close_frame_holds_code_and_a_reason_cut_at_a_character() {
        let frame = close(RESTARTING, "server restarting");
        assert_eq!(&frame[..4], &[0x88, 19, 0x03, 0xF4]);
        let long = close(NORMAL, &"å".repeat(100));
        assert!(long.len() - 2 <= 125);
        assert!(std::str::from_utf8(&long[4..]).is_ok());
    }

    #[test]
    fn masked_text_arriving_in_pieces_becomes_one_message() {
        let frame = client_frame(0x81, br#"{"type":"vote"}"#, [1, 2, 3, 4]);
        let mut decoder = Decoder::default();
        for byte in &frame[..frame.len() - 1] {
            decoder.push(std::slice::from_ref(byte));
            assert_eq!(decoder.next_message(), Ok(None));
        }
        decoder.push(&frame[frame.len() - 1..]);
        assert_eq!(decoder.next_message(), Ok(Some(Incoming::Text(r#"{"type":"vote"}"#.into()))));
        assert_eq!(decoder.buffer.capacity(), 0, "an idle decoder keeps no buffer");
    }

    #[test]
    fn fragments_with_a_ping_between_make_one_message_after_the_ping() {
        let mut bytes = client_frame(0x01, b"hel", [9, 8, 7, 6]);
        bytes.extend(client_frame(0x89, b"p", [1, 1, 1, 1]));
        bytes.extend(client_frame(0x80, b"lo", [5, 5, 5, 5]));
        let messages = decode_all(&bytes).unwrap();
        assert_eq!(messages, vec![Incoming::Ping(b"p".to_vec()), Incoming::Text("hello".into())]);
    }

    #[test]
    fn lengths_of_sixteen_and_sixty_four_bits_are_read() {
        let medium = "x".repeat(1000);
        assert_eq!(decode_all(&client_frame(0x81, medium.as_bytes(), [3; 4])).unwrap(), vec![Incoming::Text(medium)]);
        let mut long = client_frame(0x82, &[0; 10], [0; 4]);
        // The same frame with its length in the 64-bit form.
        long.splice(1..2, [0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 10]);
        assert_eq!(decode_all(&long).unwrap(), vec![Incoming::Binary]);
    }

    #[test]
    fn close_ping_and_pong_are_read() {
        let mut bytes = client_frame(0x8A, b"", [0; 4]);
        bytes.extend(client_frame(0x88, &[0x03, 0xE8, b'o', b'k'], [7; 4]));
        assert_eq!(decode_all(&bytes).unwrap(), vec![Incoming::Pong, Incoming::Close(Some(1000))]);
        assert_eq!(decode_all(&client_frame(0x88, b"", [0; 4])).unwrap(), vec![Incoming::Close(None)]);
    }

    #[test]
    fn protocol_violations_name_their_close_code() {
        let code = |bytes: &[u8]| decode_all(bytes).unwrap_err().code;
        let mut unmasked = client_frame(0x81, b"hi", [0; 4]);
        unmasked[1] &= 0x7F;
        assert_eq!(code(&unmasked), PROTOCOL_ERROR);
        assert_eq!(code(&client_frame(0xC1, b"hi", [1; 4])), PROTOCOL_ERROR, "compressed without agreement");
        assert_eq!(code(&client_frame(0x83, b"", [1; 4])), PROTOCOL_ERROR, "unknown opcode");
        assert_eq!(code(&client_frame(0x80, b"x", [1; 4])), PROTOCOL_ERROR, "continuation of nothing");
        assert_eq!(code(&client_frame(0x09, b"", [1; 4])), PROTOCOL_ERROR, "fragmented ping");
        assert_eq!(code(&client_frame(0x89, &[0; 126], [1; 4])), PROTOCOL_ERROR, "long ping");
        assert_eq!(code(&client_frame(0x88, &[3], [1; 4])), PROTOCOL_ERROR, "one-byte close");
        assert_eq!(code(&client_frame(0x81, &[0xFF, 0xFE], [1; 4])), NOT_UTF8);
        let mut two_starts = client_frame(0x01, b"a", [1; 4]);
        two_starts.extend(client_frame(0x81, b"b", [1; 4]));
        assert_eq!(code(&two_starts), PROTOCOL_ERROR);
    }

    #[test]
    fn a_close_code_a_peer_may_not_send_is_a_protocol_error() {
        let close_with = |code: u16| decode_all(&client_frame(0x88, &code.to_be_bytes(), [5; 4]));
        for invalid in [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, u16::MAX] {
            assert_eq!(close_with(invalid).unwrap_err().code, PROTOCOL_ERROR, "close code {invalid}");
        }
        for valid in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999] {
            assert_eq!(close_with(valid).unwrap(), vec![Incoming::Close(Some(valid))], "close code {valid}");
        }
    }

    #[test]
    fn a_close_reason_must_be_utf8() {
        let mut payload = 1000u16.to_be_bytes().to_vec();
        payload.extend_from_slice(&[0xC3, 0x28]);
        assert_eq!(decode_all(&client_frame(0x88, &payload, [6; 4])).unwrap_err().code, NOT_UTF8);
        payload.truncate(2);
        payload.extend_from_slice("hejdå".as_bytes());
        assert_eq!(decode_all(&client_frame(0x88, &payload, [6; 4])).unwrap(), vec![Incoming::Close(Some(1000))]);
    }

    #[test]
    fn an_oversized_message_is_refused_from_its_header_alone() {
        let mut header = vec![0x81, 0x80 | 127];
        header.extend_from_slice(&(MAX_MESSAGE_BYTES as u64 + 1).to_be_bytes());
        assert_eq!(decode_all(&header).unwrap_err().code, TOO_BIG);
        // Fragments are counted together.
        let half = vec![b'a'; MAX_MESSAGE_BYTES / 2 + 1];
        let mut bytes = client_frame(0x01, &half, [1; 4]);
        bytes.extend(client_frame(0x80, &half, [1; 4]));
        assert_eq!(decode_all(&bytes).unwrap_err().code, TOO_BIG);
    }

    #[test]
    fn a_length_near_the_top_of_64_bits_is_refused_not_added_up() {
        // Found by the fuzz target: a fragment buffered, then a length whose sum with it overflowed.
        let after_fragment = |len: u64| {
            let mut bytes = client_frame(0x01, b"abc", [1; 4]);
            bytes.extend([0x80, 0x80 | 127]);
            bytes.extend_from_slice(&len.to_be_bytes());
            decode_all(&bytes).unwrap_err().code
        };
        assert_eq!(after_fragment(u64::MAX), PROTOCOL_ERROR, "the top bit of a length is never set");
        assert_eq!(after_fragment(u64::MAX >> 1), TOO_BIG);
    }

    #[test]
    fn a_message_of_exactly_the_limit_is_read() {
        let text_of_limit = "a".repeat(MAX_MESSAGE_BYTES);
        let frame = client_frame(0x81, text_of_limit.as_bytes(), [2; 4]);
        assert_eq!(decode_all(&frame).unwrap(), vec![Incoming::Text(text_of_limit)]);
    }
}
