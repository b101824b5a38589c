//! One bad client cannot hurt the others: beside 20 phones voting in waves, the real server binary gets
//! a flood of votes, over-size messages, a phone that stops reading, and 200 sockets that stall their
//! HTTP handshake (silent, stuck halfway, or trickling a byte at a time). The phones' votes must be
//! acknowledged and seen on the screen within a generous bound, every bad client must be refused or
//! dropped, and afterwards the server's descriptors, tasks and connections must be back where they began.

use crate::common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

/// Phones voting normally, and the waves in which each votes once.
const PHONES: usize = 20;
const WAVES: usize = 8;
/// Sockets that never finish their HTTP handshake.
const STALLED: usize = 200;
/// A correctness bound, not a benchmark: a debug build on a shared 2-core machine answers in milliseconds;
/// seconds would mean a phone was held up by someone else's misbehaviour.
const BOUND: Duration = Duration::from_secs(2);
/// The server drops a stalled handshake after 10 s (`REQUEST_HEAD_TIMEOUT`) and a socket whose write is
/// blocked after 10 s (`SEND_TIMEOUT`); this leaves room for a loaded machine.
const DROPPED_WITHIN: Duration = Duration::from_secs(30);
/// The SQLite pool opens up to 4 connections as needed (a file and its WAL each) and keeps them: the only
/// descriptors allowed above the baseline at the end.
const POOL_FDS: usize = 8;

/// What a leak would show: descriptors, tasks, TCP connections and sockets per role.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Usage {
    fds: usize,
    tasks: f64,
    tcp: f64,
    participants: f64,
    screens: f64,
}

impl Usage {
    async fn sample(base: &str, pid: u32) -> Usage {
        Usage {
            fds: open_fds(pid),
            tasks: metric(base, "samsyn_tasks_alive").await,
            tcp: metric(base, "samsyn_tcp_connections").await,
            participants: metric(base, "samsyn_connections{role=\"participant\"}").await,
            screens: metric(base, "samsyn_connections{role=\"screen\"}").await,
        }
    }

    fn within(&self, baseline: &Usage) -> bool {
        self.fds <= baseline.fds + POOL_FDS
            && self.tasks <= baseline.tasks
            && self.tcp <= baseline.tcp
            && self.participants <= baseline.participants
            && self.screens <= baseline.screens
    }
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1]
}

/// A socket that stalls its upgrade request in one of three ways; returns how long the server kept it.
async fn stalled_handshake(addr: String, way: usize, connected: tokio::sync::mpsc::Sender<()>) -> Duration {
    let start = Instant::now();
    let mut socket = TcpStream::connect(&addr).await.unwrap();
    connected.send(()).await.unwrap();
    let request = format!(
        "GET /ws HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    );
    let (mut reader, mut writer) = socket.split();
    let stall = async {
        match way {
            // Connects and says nothing.
            0 => std::future::pending::<()>().await,
            // Sends half the request, then nothing.
            1 => {
                let _ = writer.write_all(&request.as_bytes()[..request.len() / 2]).await;
                std::future::pending::<()>().await
            }
            // Sends one byte every 200 ms: the whole request would take about 40 s.
            _ => {
                for byte in request.bytes() {
                    if writer.write_all(&[byte]).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                std::future::pending::<()>().await
            }
        }
    };
    let closed = async {
        let mut buffer = [0u8; 512];
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::select! {
        _ = stall => unreachable!(),
        _ = tokio::time::timeout(DROPPED_WITHIN, closed) => {}
    }
    start.elapsed()
}

/// A participant that sends votes at 1000 a second, fifty times the allowed rate, reading every answer;
/// returns (acknowledged, rate limited).
async fn flood(addr: String, code: String, messages: usize) -> (usize, usize) {
    let (socket, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await.unwrap();
    let (mut sink, mut stream) = socket.split();
    let hello = json!({"type": "hello", "id": 0, "role": "participant", "code": code});
    sink.send(Message::text(hello.to_string())).await.unwrap();
    let reader = tokio::spawn(async move {
        let (mut acked, mut limited) = (0, 0);
        while let Ok(Some(Ok(message))) = tokio::time::timeout(Duration::from_secs(5), stream.next()).await {
            let Message::Text(text) = message else { continue };
            let reply: Value = serde_json::from_str(&text).unwrap();
            match (reply["type"].as_str(), reply["code"].as_str()) {
                (Some("ack"), _) => acked += 1,
                (Some("error"), Some("rate_limited")) => limited += 1,
                _ => {}
            }
            if acked + limited == messages {
                break;
            }
        }
        (acked, limited)
    });
    for n in 1..=messages {
        let vote = json!({"type": "vote", "id": n, "item": "hot", "round": 1, "answer": [n % 5]});
        sink.send(Message::text(vote.to_string())).await.unwrap();
        if n.is_multiple_of(100) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let counts = reader.await.unwrap();
    let _ = sink.close().await;
    counts
}

/// A screen that keeps reading in the background; its latest state is published on the returned channel.
fn watch_screen(
    mut screen: Client,
    stop: tokio::sync::watch::Receiver<bool>,
) -> (tokio::sync::watch::Receiver<Value>, tokio::task::JoinHandle<Client>) {
    let (publish, states) = tokio::sync::watch::channel(screen.state.clone());
    let task = tokio::spawn(async move {
        while !*stop.borrow() {
            if let Some(state) = screen.next_within(Duration::from_millis(200), |m| m["type"] == "state").await {
                let _ = publish.send(state["session"].clone());
            }
            screen.received.clear();
        }
        screen
    });
    (states, task)
}

async fn wait_screen(states: &mut tokio::sync::watch::Receiver<Value>, wanted: impl FnMut(&Value) -> bool) {
    tokio::time::timeout(WAIT, states.wait_for(wanted)).await.expect("the screen shows it in time").unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_clients_do_not_hold_up_the_others_and_leave_nothing_behind() {
    let _alone = alone().await;
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await;
    let (addr, base, pid) = (server.addr.clone(), server.url(""), server.pid());

    // A live choice the screen shows as votes arrive, and twelve open questions beside it, so that every
    // state frame, the phones' too, is about 25 KB: a client that stops reading fills its socket soon.
    let mut items = vec![json!({"id": "hot", "kind": "choice", "title": "Vad gör vi först?",
        "options": ["Nätet", "Utbildning", "Stöd", "Juridik", "Budget"]})];
    for n in 0..12 {
        items.push(json!({"id": format!("q{n}"), "kind": "words", "title": format!("Fråga {n}"),
            "description": "Beskrivning av frågan, ".repeat(40)}));
    }
    let Created { code, key } = create_session(&base, json!({"title": "Långsamma klienter", "items": items})).await;
    let mut facilitator = Client::facilitator(&addr, &code, &key).await;
    for n in 0..12 {
        facilitator.ok(act("open", &format!("q{n}"))).await;
    }
    facilitator.ok(act("open", "hot")).await;
    facilitator.close().await;
    let (stop_screen, stop) = tokio::sync::watch::channel(false);
    let (mut screen, screen_task) = watch_screen(Client::screen(&addr, &code).await, stop);
    settled(&base, 0.0, 1.0, 0.0).await;
    let baseline = Usage::sample(&base, pid).await;
    println!("baseline (one screen): {baseline:?}");

    // The stalled handshakes go first, so everyone below connects while they hold their sockets.
    let (connected, mut connections) = tokio::sync::mpsc::channel(STALLED);
    let stalled: Vec<_> =
        (0..STALLED).map(|n| tokio::spawn(stalled_handshake(addr.clone(), n % 3, connected.clone()))).collect();
    for _ in 0..STALLED {
        connections.recv().await.unwrap();
    }
    let start = Instant::now();
    let during = loop {
        let now = Usage::sample(&base, pid).await;
        if now.tcp >= baseline.tcp + STALLED as f64 || start.elapsed() > Duration::from_secs(5) {
            break now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    println!("with {STALLED} stalled handshakes: {during:?}");
    assert!(during.tcp >= baseline.tcp + STALLED as f64, "the server holds the stalled sockets: {during:?}");

    // A phone that says hello and then never reads. Its socket is phone-like (1.4 KB segments, a small
    // receive buffer): over loopback's 64 KiB segments the kernel would buffer megabytes before a write blocks.
    let mut never_reads = {
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        socket.set_tcp_mss(1400).unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        socket.set_nonblocking(true).unwrap();
        let socket = tokio::net::TcpSocket::from_std_stream(socket.into());
        let stream = socket.connect(addr.parse().unwrap()).await.unwrap();
        let (mut ws, _) = tokio_tungstenite::client_async(format!("ws://{addr}/ws"), stream).await.unwrap();
        let hello = json!({"type": "hello", "id": 1, "role": "participant", "code": code});
        ws.send(Message::text(hello.to_string())).await.unwrap();
        ws
    };

    // Over-size messages: refused with `too_large` on a socket that stays; an over-size frame closes it.
    let mut oversized = Client::participant(&addr, &code, None).await;
    for _ in 0..5 {
        oversized.send_text(format!(r#"{{"type": "word", "id": 1, "text": "{}"}}"#, "x".repeat(9000))).await;
        let refusal = oversized.next(|m| m["type"] == "error").await;
        assert_eq!(refusal["code"], "too_large", "{refusal}");
    }
    oversized.ok(vote("hot", 1, json!([0]))).await;
    oversized.send_text("y".repeat(100 * 1024)).await;
    assert!(oversized.closed_within(Duration::from_secs(10)).await, "an over-size frame closes the socket");

    let mut phones = Vec::new();
    for _ in 0..PHONES {
        phones.push(Client::participant(&addr, &code, None).await);
    }
    let frame = phones[0].received.iter().find(|m| m.contains(r#""type":"state""#)).map_or(0, String::len);
    println!("a phone's state frame: {} KB", frame / 1000);
    let flooder = tokio::spawn(flood(addr.clone(), code.clone(), 5000));

    // The phones vote in waves, each wave for the next option; the screen must show each wave complete.
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(PHONES + 1));
    let voters: Vec<_> = phones
        .into_iter()
        .map(|mut phone| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                let mut acks = Vec::new();
                for wave in 0..WAVES {
                    barrier.wait().await;
                    let sent = Instant::now();
                    phone.ok(vote("hot", 1, json!([wave % 5]))).await;
                    acks.push(sent.elapsed());
                }
                phone.close().await;
                acks
            })
        })
        .collect();
    let mut seen = Vec::new();
    for wave in 0..WAVES {
        tokio::time::sleep(Duration::from_millis(400)).await;
        barrier.wait().await;
        let sent = Instant::now();
        // `>=`: the flooder's own ballot may sit on the same option.
        let complete = |s: &Value| last_round(s, "hot")["tally"]["counts"][wave % 5].as_u64() >= Some(PHONES as u64);
        wait_screen(&mut screen, complete).await;
        seen.push(sent.elapsed());
    }
    let mut acks = Vec::new();
    for voter in voters {
        acks.extend(voter.await.unwrap());
    }
    let (ack_p50, ack_p99, ack_max) =
        (percentile(&mut acks, 0.5), percentile(&mut acks, 0.99), percentile(&mut acks, 1.0));
    let seen_max = percentile(&mut seen, 1.0);
    println!(
        "{} votes: ack p50 {ack_p50:?}, p99 {ack_p99:?}, max {ack_max:?}; every wave on the screen within {seen_max:?}",
        acks.len()
    );
    assert!(ack_p99 < BOUND, "acknowledgements p99 {ack_p99:?}");
    assert!(seen_max < BOUND, "a wave took {seen_max:?} to reach the screen");

    let (acked, limited) = flooder.await.unwrap();
    println!("flood of 5000 votes at 1000/s: {acked} acknowledged, {limited} rate limited");
    assert_eq!(acked + limited, 5000, "every flooded message was answered");
    assert!(limited > 4000, "the flood was throttled: {limited} rate limited");

    // The phone that never read is dropped once a write to it has blocked long enough, and it alone.
    let start = Instant::now();
    while metric(&base, "samsyn_slow_clients_dropped_total").await < 1.0 {
        assert!(start.elapsed() < DROPPED_WITHIN, "the phone that stopped reading is still connected");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    println!("the phone that stopped reading was dropped {:?} after the waves", start.elapsed());
    let ended =
        tokio::time::timeout(Duration::from_secs(10), async { while let Some(Ok(_)) = never_reads.next().await {} });
    assert!(ended.await.is_ok(), "its socket was closed by the server");
    assert_eq!(metric(&base, "samsyn_slow_clients_dropped_total").await, 1.0, "no one who reads was dropped");

    let mut held = Vec::new();
    for task in stalled {
        held.push(task.await.unwrap());
    }
    let (held_min, held_max) = (percentile(&mut held, 0.0), percentile(&mut held, 1.0));
    println!("{STALLED} stalled handshakes closed by the server after {held_min:?} to {held_max:?}");
    assert!(held_max < DROPPED_WITHIN, "a stalled handshake was kept {held_max:?}");
    let dropped = metric(&base, "samsyn_stalled_requests_dropped_total").await;
    assert!(dropped >= STALLED as f64, "{dropped} stalled requests dropped");

    // Everything the bad clients and the phones held is released.
    let start = Instant::now();
    let end = loop {
        let now = Usage::sample(&base, pid).await;
        if now.within(&baseline) {
            break now;
        }
        assert!(start.elapsed() < DROPPED_WITHIN, "not back to the baseline {baseline:?}: {now:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    println!("after: {end:?} (back within {:?}); RSS {} MB", start.elapsed(), resident_bytes(pid) / 1_000_000);

    // The session is intact: a new phone's vote reaches the screen, which was never dropped.
    let mut last = Client::participant(&addr, &code, None).await;
    last.ok(vote("hot", 1, json!([4]))).await;
    wait_screen(&mut screen, |s| last_round(s, "hot")["voted"].as_u64() >= Some(PHONES as u64 + 1)).await;
    stop_screen.send(true).unwrap();
    screen_task.await.unwrap().close().await;
}
