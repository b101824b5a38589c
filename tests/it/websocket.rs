//! The WebSocket protocol itself (RFC 6455), spoken byte by byte over a raw TCP socket against the real
//! server: Samsyn frames and unframes WebSocket messages with its own code, so what a browser or a
//! phone's WebSocket library may send is checked here as a client would see it.

use crate::common::*;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";

/// Sends a handshake with these extra header lines; returns the response head.
async fn handshake(addr: &str, extra: &str) -> (TcpStream, String) {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET /ws HTTP/1.1\r\nHost: {addr}\r\n{extra}\r\n");
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8];
        let read = tokio::time::timeout(WAIT, tcp.read(&mut byte)).await.unwrap().unwrap();
        assert_eq!(read, 1, "the server closed before the end of its answer: {}", String::from_utf8_lossy(&head));
        head.push(byte[0]);
    }
    (tcp, String::from_utf8(head).unwrap())
}

const UPGRADE: &str =
    "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

async fn open(addr: &str) -> TcpStream {
    let (tcp, head) = handshake(addr, UPGRADE).await;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    tcp
}

/// A client frame: `first` is FIN, RSV and the opcode; masked unless `mask` is `None`.
fn frame(first: u8, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
    let mut out = vec![first];
    let masked = if mask.is_some() { 0x80 } else { 0 };
    match payload.len() {
        len @ 0..=125 => out.push(masked | len as u8),
        len => {
            out.push(masked | 126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
    }
    match mask {
        Some(mask) => {
            out.extend_from_slice(&mask);
            out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        }
        None => out.extend_from_slice(payload),
    }
    out
}

fn text(payload: &str) -> Vec<u8> {
    frame(0x81, payload.as_bytes(), Some([7, 1, 9, 3]))
}

/// Reads one server frame: (opcode, payload). Server frames are never masked.
async fn read_frame(tcp: &mut TcpStream) -> (u8, Vec<u8>) {
    let (first, payload) = read_whole_frame(tcp).await;
    (first & 0x0F, payload)
}

/// Reads one server frame: (its first byte with FIN, RSV1 and the opcode, payload as sent).
async fn read_whole_frame(tcp: &mut TcpStream) -> (u8, Vec<u8>) {
    let mut head = [0u8; 2];
    tokio::time::timeout(WAIT, tcp.read_exact(&mut head)).await.expect("a frame in time").unwrap();
    assert_eq!(head[0] & 0x80, 0x80, "server frames are whole (FIN set)");
    assert_eq!(head[1] & 0x80, 0, "server frames are not masked");
    let len = match head[1] & 0x7F {
        126 => u64::from(tcp.read_u16().await.unwrap()),
        127 => tcp.read_u64().await.unwrap(),
        short => u64::from(short),
    };
    let mut payload = vec![0u8; len as usize];
    tcp.read_exact(&mut payload).await.unwrap();
    (head[0], payload)
}

async fn read_json(tcp: &mut TcpStream) -> Value {
    let (opcode, payload) = read_frame(tcp).await;
    assert_eq!(opcode, 1, "a text frame");
    serde_json::from_slice(&payload).unwrap()
}

/// Reads until the server's close frame; returns its code, then checks the server closes the TCP socket.
async fn close_code(tcp: &mut TcpStream) -> u16 {
    loop {
        let (opcode, payload) = read_frame(tcp).await;
        if opcode == 8 {
            let code = u16::from_be_bytes([payload[0], payload[1]]);
            let mut rest = [0u8; 64];
            let after = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut rest)).await;
            assert!(matches!(after, Ok(Ok(0)) | Ok(Err(_))), "the socket closes after the close frame");
            return code;
        }
    }
}

#[tokio::test]
async fn the_handshake_answers_with_the_accept_key_or_says_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();

    let (_, head) = handshake(&addr, UPGRADE).await;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    let accept = format!("sec-websocket-accept: {}", derive_accept_key(KEY.as_bytes())).to_lowercase();
    assert!(head.to_lowercase().contains(&accept), "{head}");

    let (_, head) = handshake(&addr, &UPGRADE.replace("Version: 13", "Version: 8")).await;
    assert!(head.starts_with("HTTP/1.1 426"), "{head}");
    assert!(head.to_lowercase().contains("sec-websocket-version: 13"), "names the version it speaks: {head}");

    let (_, head) = handshake(&addr, "").await;
    assert!(head.starts_with("HTTP/1.1 400"), "a plain GET is refused: {head}");

    let (_, head) = handshake(&addr, &UPGRADE.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "")).await;
    assert!(head.starts_with("HTTP/1.1 400"), "no key: {head}");
    // RFC 6455, section 4.2.1: the key is 16 random bytes in base64; anything else is not a handshake.
    for bad_key in ["", "dGhlIHNhbXBsZSBub25jZQ", "c2hvcnQ=", "dGhlIHNhbXBsZSBub25jZSE=", "dGhlIHNhbXBsZSBub25jZQ==!"] {
        let (_, head) = handshake(&addr, &UPGRADE.replace(KEY, bad_key)).await;
        assert!(head.starts_with("HTTP/1.1 400"), "key {bad_key:?}: {head}");
    }
    server.stop().await;
}

#[tokio::test]
async fn fragments_pings_and_a_clean_close_work_as_any_websocket_library_sends_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut tcp = open(&addr).await;

    // A hello in three fragments, a ping between two of them, all in one write.
    let hello = json!({"type": "hello", "id": 1, "role": "participant", "code": session.code}).to_string();
    let (a, rest) = hello.split_at(10);
    let (b, c) = rest.split_at(20);
    let mut bytes = frame(0x01, a.as_bytes(), Some([1, 2, 3, 4]));
    bytes.extend(frame(0x00, b.as_bytes(), Some([5, 6, 7, 8])));
    bytes.extend(frame(0x89, b"are you there", Some([9, 9, 9, 9])));
    bytes.extend(frame(0x80, c.as_bytes(), Some([0, 0, 0, 0])));
    tcp.write_all(&bytes).await.unwrap();

    let (opcode, payload) = read_frame(&mut tcp).await;
    assert_eq!((opcode, payload.as_slice()), (0xA, &b"are you there"[..]), "the ping is answered at once");
    let welcome = read_json(&mut tcp).await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    let state = read_json(&mut tcp).await;
    assert_eq!(state["type"], "state");
    assert_eq!(state["session"]["code"], session.code.as_str());

    // A binary message is refused and the socket stays.
    tcp.write_all(&frame(0x82, b"\x00\x01", Some([3; 4]))).await.unwrap();
    let refusal = read_json(&mut tcp).await;
    assert_eq!(refusal["code"], "bad_message", "{refusal}");

    // A message of 130 bytes (16-bit length), split over two writes in the middle of its header.
    let long =
        json!({"type": "vote", "id": 2, "item": "L1", "round": 1, "answer": 3, "pad": "x".repeat(70)}).to_string();
    assert!(long.len() > 125);
    let bytes = text(&long);
    tcp.write_all(&bytes[..3]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    tcp.write_all(&bytes[3..]).await.unwrap();
    let answer = loop {
        let message = read_json(&mut tcp).await;
        if message["type"] != "state" {
            break message;
        }
    };
    assert_eq!(answer["id"], 2, "the long message was read whole: {answer}");

    // The client closes; the server answers with a close frame and closes the socket.
    tcp.write_all(&frame(0x88, &1000u16.to_be_bytes(), Some([4; 4]))).await.unwrap();
    assert_eq!(close_code(&mut tcp).await, 1000);
    server.stop().await;
}

#[tokio::test]
async fn protocol_errors_close_with_the_matching_code_and_the_server_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();

    let cases: [(&str, Vec<u8>, u16); 5] = [
        ("an unmasked frame", frame(0x81, b"{}", None), 1002),
        ("a reserved bit (compression nobody agreed to)", frame(0xC1, b"{}", Some([1; 4])), 1002),
        ("a continuation without a start", frame(0x80, b"{}", Some([1; 4])), 1002),
        ("text that is not UTF-8", frame(0x81, &[0xC3, 0x28], Some([1; 4])), 1007),
        (
            "a frame over 64 KiB",
            {
                let mut head = vec![0x81, 0x80 | 127];
                head.extend_from_slice(&(70_000u64).to_be_bytes());
                head
            },
            1009,
        ),
    ];
    for (what, bytes, expected) in cases {
        let mut tcp = open(&addr).await;
        tcp.write_all(&bytes).await.unwrap();
        assert_eq!(close_code(&mut tcp).await, expected, "{what}");
    }

    // Others are unaffected: a workshop still runs.
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "L1")).await;
    let mut phone = Client::participant(&addr, &session.code, None).await;
    phone.ok(vote("L1", 1, json!(2))).await;
    server.stop().await;
}

#[tokio::test]
async fn a_close_frame_with_a_code_no_peer_may_send_fails_the_connection() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();

    let close_with = |payload: &[u8]| frame(0x88, payload, Some([2, 4, 6, 8]));
    let mut cases: Vec<(String, Vec<u8>, u16)> = [999u16, 1004, 1005, 1006, 1015, 2999, 5000]
        .into_iter()
        .map(|code| (format!("close code {code}"), close_with(&code.to_be_bytes()), 1002))
        .collect();
    cases.push(("a one-byte close payload".into(), close_with(&[0x03]), 1002));
    let mut not_utf8 = 1000u16.to_be_bytes().to_vec();
    not_utf8.extend_from_slice(&[0xC3, 0x28]);
    cases.push(("a close reason that is not UTF-8".into(), close_with(&not_utf8), 1007));
    // The codes a peer may send are answered with a normal close.
    for code in [1000u16, 1001, 1003, 1007, 1011, 3000, 4999] {
        cases.push((format!("close code {code}"), close_with(&code.to_be_bytes()), 1000));
    }
    for (what, bytes, expected) in cases {
        let mut tcp = open(&addr).await;
        tcp.write_all(&bytes).await.unwrap();
        assert_eq!(close_code(&mut tcp).await, expected, "{what}");
    }
    server.stop().await;
}

#[tokio::test]
async fn the_first_participant_first_sees_the_session_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    for _ in 0..5 {
        // A fresh session, an item opened, and at once the first phone.
        let session = create_workshop(&server.url("")).await;
        let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
        facilitator.ok(act("open", "L1")).await;
        let mut tcp = open(&addr).await;
        let hello = json!({"type": "hello", "id": 1, "role": "participant", "code": session.code}).to_string();
        tcp.write_all(&text(&hello)).await.unwrap();
        assert_eq!(read_json(&mut tcp).await["type"], "welcome");
        let first = read_json(&mut tcp).await;
        assert_eq!(first["type"], "state", "{first}");
        assert_eq!(first["session"]["current"], "L1", "the open item is current: {first}");
        assert_eq!(first["session"]["items"][0]["id"], "L1", "{first}");
        // Nothing changes after the join: any later state carries the same version.
        while let Ok((opcode, payload)) = tokio::time::timeout(Duration::from_millis(1500), read_frame(&mut tcp)).await
        {
            if opcode == 1 {
                let later: Value = serde_json::from_slice(&payload).unwrap();
                assert_eq!(later["version"], first["version"], "the first state was already the current one");
            }
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn a_hello_sent_with_the_handshake_in_one_write_is_answered() {
    // A client may write its first message before the server's 101 arrives; hyper then reads it with the
    // handshake, and the connection must still see it.
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut tcp = TcpStream::connect(&addr).await.unwrap();
    let hello = json!({"type": "hello", "id": 1, "role": "participant", "code": session.code}).to_string();
    let mut bytes = format!("GET /ws HTTP/1.1\r\nHost: {addr}\r\n{UPGRADE}\r\n").into_bytes();
    bytes.extend_from_slice(&text(&hello));
    tcp.write_all(&bytes).await.unwrap();
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8];
        assert_eq!(tokio::time::timeout(WAIT, tcp.read(&mut byte)).await.unwrap().unwrap(), 1);
        head.push(byte[0]);
    }
    assert!(head.starts_with(b"HTTP/1.1 101"), "{}", String::from_utf8_lossy(&head));
    let welcome = read_json(&mut tcp).await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    assert_eq!(read_json(&mut tcp).await["type"], "state");
    server.stop().await;
}

/// Reads one server frame with its first byte (FIN, RSV1, opcode) as it came, and the payload inflated when
/// RSV1 says it is compressed, as a browser does (RFC 7692, section 7.2.2: the four bytes put back).
async fn read_frame_inflated(tcp: &mut TcpStream) -> (u8, Vec<u8>) {
    let (first, mut payload) = read_whole_frame(tcp).await;
    if first & 0x40 == 0 {
        return (first, payload);
    }
    payload.extend_from_slice(&[0x00, 0x00, 0xFF, 0xFF]);
    let mut inflater = miniz_oxide::inflate::core::DecompressorOxide::new();
    let mut out = vec![0; 1 << 20];
    let flags = miniz_oxide::inflate::core::inflate_flags::TINFL_FLAG_HAS_MORE_INPUT;
    let (_, read, written) = miniz_oxide::inflate::core::decompress(&mut inflater, &payload, &mut out, 0, flags);
    assert_eq!(read, payload.len(), "the whole message inflates");
    out.truncate(written);
    (first, out)
}

#[tokio::test]
async fn a_client_offering_compression_gets_its_state_compressed_and_may_compress_what_it_sends() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "L1")).await;

    // What Chromium offers; the answer takes it without context takeover either way.
    let offer = format!("{UPGRADE}Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
    let (mut tcp, head) = handshake(&addr, &offer).await;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    let agreed = "sec-websocket-extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover";
    assert!(head.to_ascii_lowercase().contains(agreed), "{head}");

    // The hello compressed (ending in a final block, which RFC 7692 allows a sender).
    let hello = json!({"type": "hello", "id": 1, "role": "participant", "code": session.code}).to_string();
    let deflated = miniz_oxide::deflate::compress_to_vec(hello.as_bytes(), 6);
    tcp.write_all(&frame(0xC1, &deflated, Some([5, 6, 7, 8]))).await.unwrap();
    let (first, welcome) = read_frame_inflated(&mut tcp).await;
    assert_eq!(first & 0x0F, 1, "a text frame");
    assert_eq!(serde_json::from_slice::<Value>(&welcome).unwrap()["type"], "welcome");
    let (first, state) = read_frame_inflated(&mut tcp).await;
    assert_eq!(first, 0xC1, "the state comes compressed: FIN, RSV1, text");
    let state: Value = serde_json::from_slice(&state).unwrap();
    assert_eq!(state["type"], "state", "{state}");
    assert_eq!(state["session"]["current"], "L1", "{state}");

    // A vote sent compressed is counted and acknowledged.
    let vote = json!({"type": "vote", "id": 2, "item": "L1", "round": 1, "answer": 3}).to_string();
    let deflated = miniz_oxide::deflate::compress_to_vec(vote.as_bytes(), 6);
    tcp.write_all(&frame(0xC1, &deflated, Some([1, 2, 3, 4]))).await.unwrap();
    loop {
        let (_, payload) = read_frame_inflated(&mut tcp).await;
        let message: Value = serde_json::from_slice(&payload).unwrap();
        if message["type"] == "ack" {
            assert_eq!(message["id"], 2, "{message}");
            break;
        }
        assert_eq!(message["type"], "state", "{message}");
    }

    // A client that offers nothing is answered with no extension and gets plain frames.
    let (mut plain, head) = handshake(&addr, UPGRADE).await;
    assert!(!head.to_ascii_lowercase().contains("sec-websocket-extensions"), "{head}");
    let hello = json!({"type": "hello", "id": 1, "role": "screen", "code": session.code}).to_string();
    plain.write_all(&text(&hello)).await.unwrap();
    assert_eq!(read_json(&mut plain).await["type"], "welcome");
    let (first, _) = read_frame_inflated(&mut plain).await;
    assert_eq!(first, 0x81, "a plain text frame");
    server.stop().await;
}
