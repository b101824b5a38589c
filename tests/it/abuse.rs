//! One bad client cannot hurt the others: floods, guessing, foreign pages; and a restart tells clients to come back.

use crate::common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn a_flooding_client_is_slowed_while_others_vote_normally() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "L1")).await;
    let mut flood = Client::participant(&addr, &session.code, None).await;
    let mut calm = Client::participant(&addr, &session.code, None).await;

    let burst_started = std::time::Instant::now();
    for n in 0..300u64 {
        let message = json!({"type": "vote", "id": 1000 + n, "item": "L1", "round": 1, "answer": (n % 5) + 1});
        flood.send_text(message.to_string()).await;
    }
    calm.ok(vote("L1", 1, json!(4))).await;
    let mut limited = 0;
    let mut acked = 0;
    while limited + acked < 300 {
        let reply = flood.next(|m| m["type"] == "ack" || m["type"] == "error").await;
        if reply["code"] == "rate_limited" {
            limited += 1;
        } else {
            assert_eq!(reply["type"], "ack", "{reply}");
            acked += 1;
        }
    }
    // The bucket refills at 20 a second while the burst is worked through, so allow for the time taken.
    let allowance = 40.0 + 20.0 * burst_started.elapsed().as_secs_f64() + 1.0;
    assert!((acked as f64) <= allowance, "at most the burst plus the refill is accepted ({acked} > {allowance:.0})");
    // The burst is 40 messages, and the hello took one of them.
    assert!(acked >= 39, "the burst allowance is honoured ({acked})");
    assert!(limited > 0);
    let state = facilitator.wait_state(|s| last_round(s, "L1")["voted"] == 2).await;
    assert_eq!(
        last_round(&state, "L1")["tally"]["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .sum::<u64>(),
        2
    );

    // The operator sees it in /metrics (figures are per process, so other tests may add to them).
    let metrics = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
    let figure = |name: &str| -> f64 {
        let value = metrics.lines().find_map(|l| l.strip_prefix(name)?.trim().parse().ok());
        value.unwrap_or_else(|| panic!("{name} in {metrics}"))
    };
    assert!(figure("samsyn_rate_limited_total") >= limited as f64);
    assert!(figure("samsyn_votes_applied_total") >= 2.0);
    assert!(figure("samsyn_connections{role=\"participant\"}") >= 2.0);
    assert!(figure("samsyn_update_latency_seconds_count") >= 1.0);
    // Every acknowledged command was timed; rate-limited ones never reached the session and are not.
    assert!(figure("samsyn_command_seconds_count") >= acked as f64 + 1.0, "the flood's acks and the calm vote");
    assert!(figure("samsyn_command_seconds_sum") > 0.0, "their time was added up");
    assert!(figure("samsyn_command_seconds_bucket{le=\"+Inf\"}") >= figure("samsyn_command_seconds_bucket{le=\"1\"}"));
    // The acknowledged votes were stored first, and each SQLite transaction that held them was timed.
    assert!(figure("samsyn_store_commit_seconds_count") >= 1.0, "the votes' commits were timed");
    assert!(figure("samsyn_store_commit_seconds_sum") > 0.0);
}

#[tokio::test]
async fn guessing_codes_or_keys_is_throttled_per_address() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut guesser = Client::connect(&addr).await;
    for n in 0..20 {
        let hello = json!({"type": "hello", "role": "facilitator", "code": session.code, "key": format!("{n:064}")});
        assert_eq!(guesser.refused(hello).await, "forbidden");
    }
    // Held back now: whatever cannot prove who it is waits, and a wrong guess learns nothing.
    let unknown = json!({"type": "hello", "role": "participant", "code": "000001"});
    assert_eq!(guesser.refused(unknown).await, "rate_limited");
    let wrong = json!({"type": "hello", "role": "facilitator", "code": session.code, "key": "1".repeat(64)});
    assert_eq!(guesser.refused(wrong).await, "rate_limited", "not forbidden: nothing about the key");
    let made_up = json!({"type": "hello", "role": "participant", "code": "000001", "token": "x"});
    assert_eq!(guesser.refused(made_up).await, "rate_limited", "not unknown_session: nothing about the code");
    let mut screen = Client::connect(&addr).await;
    assert_eq!(screen.refused(json!({"type": "hello", "role": "screen", "code": session.code})).await, "rate_limited");
    // Whoever proves who they are gets in from the same address: the facilitator's key, a phone's token.
    let right = json!({"type": "hello", "role": "facilitator", "code": session.code, "key": session.key});
    assert_eq!(guesser.request(right).await["type"], "welcome", "the right key is never kept out");
    // A session held back is open to phones without a token only once the address has joined it.
    let other = create_workshop(&server.url("")).await;
    let mut made_up_token = Client::connect(&addr).await;
    let stranger = json!({"type": "hello", "role": "participant", "code": other.code, "token": "not-a-token"});
    assert_eq!(made_up_token.refused(stranger).await, "rate_limited", "an unknown token makes no new phone");
}

#[tokio::test]
async fn one_person_guessing_behind_a_shared_address_keeps_out_no_phone_that_has_joined() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "L1")).await;
    let phone = Client::participant(&addr, &session.code, None).await;
    let token = phone.token.clone().unwrap();
    phone.close().await;
    let mut guesser = Client::connect(&addr).await;
    for n in 0..25 {
        let code = format!("{:06}", 900_000 + n);
        let _ = guesser.request(json!({"type": "hello", "role": "participant", "code": code})).await;
    }
    // The phone's network drops; it comes back from the same address and votes.
    let mut back = Client::participant(&addr, &session.code, Some(&token)).await;
    assert_eq!(back.token.as_deref(), Some(token.as_str()), "the same participant");
    back.ok(vote("L1", 1, json!(3))).await;
    // The room goes on joining the session it is in: twenty new phones and a screen, at once.
    for _ in 0..20 {
        let mut phone = Client::participant(&addr, &session.code, None).await;
        phone.ok(vote("L1", 1, json!(2))).await;
    }
    Client::screen(&addr, &session.code).await;
    // But no other code can be found from the address meanwhile, live or not.
    let other = create_workshop(&server.url("")).await;
    let mut prober = Client::connect(&addr).await;
    let probe = json!({"type": "hello", "role": "participant", "code": other.code});
    assert_eq!(prober.refused(probe).await, "rate_limited");
}

#[tokio::test]
async fn a_page_from_another_origin_cannot_open_a_socket() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let connect = |origin: &'static str| {
        let mut request = format!("ws://{}/ws", server.addr).into_client_request().unwrap();
        request.headers_mut().insert("origin", origin.parse().unwrap());
        tokio_tungstenite::connect_async(request)
    };
    let refused = connect("https://evil.example").await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
        other => panic!("expected 403, got {other:?}"),
    }
    let own = Box::leak(format!("http://{}", server.addr).into_boxed_str());
    assert!(connect(own).await.is_ok(), "the server's own pages may connect");
}

#[tokio::test]
async fn a_restarting_server_closes_sockets_with_the_reconnect_code() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut socket, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", server.addr)).await.unwrap();
    socket.send(Message::text(r#"{"type":"ping","id":1}"#)).await.unwrap();
    let _ = socket.next().await;
    let stopping = tokio::spawn(server.stop());
    let mut code = None;
    while let Ok(Some(Ok(message))) = tokio::time::timeout(WAIT, socket.next()).await {
        if let Message::Close(Some(frame)) = message {
            code = Some(u16::from(frame.code));
            break;
        }
    }
    assert_eq!(code, Some(1012));
    stopping.await.unwrap();
}

#[tokio::test]
async fn a_phone_that_goes_silent_is_dropped_and_no_longer_counted() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_configured(dir.path(), None, 1).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    // This phone says hello and then reads nothing more, so it never answers a ping: a dead network.
    let _silent = Client::participant(&addr, &session.code, None).await;
    facilitator.wait_state(|s| s["participants"] == 1).await;
    // The facilitator keeps reading (and so answers pings) and sees the silent phone leave after ~3 s.
    let state = facilitator.wait_state(|s| s["participants"] == 0).await;
    assert_eq!(state["participants"], 0);
}

#[tokio::test]
async fn no_answer_lets_a_browser_guess_its_type() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let session = create_workshop(&server.url("")).await;
    let http = reqwest::Client::new();
    let page = http.get(server.url("/")).send().await.unwrap().text().await.unwrap();
    let script = page.split('"').find(|part| part.starts_with("/assets/") && part.ends_with(".js")).expect("a script");
    let code = &session.code;
    let bearer = format!("Bearer {}", session.key);
    let answers = [
        ("a page", http.get(server.url("/join"))),
        ("a script", http.get(server.url(script))),
        ("JSON", http.get(server.url("/api/catalogues"))),
        ("the QR code", http.get(server.url(&format!("/api/sessions/{code}/qr.svg")))),
        (
            "the report",
            http.get(server.url(&format!("/api/sessions/{code}/report.html"))).header("authorization", &bearer),
        ),
        ("a refused report", http.get(server.url(&format!("/api/sessions/{code}/report.html")))),
        ("/metrics", http.get(server.url("/metrics"))),
        ("/healthz", http.get(server.url("/healthz"))),
        ("an unknown path", http.get(server.url("/no/such/page"))),
        ("an unknown asset", http.get(server.url("/assets/missing.js"))),
        ("an unknown session", http.get(server.url("/api/sessions/000000/qr.svg"))),
        ("a plain GET of the socket", http.get(server.url("/ws"))),
        (
            "a bad JSON body",
            http.post(server.url("/api/sessions")).header("content-type", "application/json").body("{"),
        ),
        ("a body over 1 MiB", http.post(server.url("/api/sessions")).body("x".repeat(2 * 1024 * 1024))),
    ];
    for (what, request) in answers {
        let response = request.send().await.unwrap();
        let status = response.status();
        let header = response.headers().get("x-content-type-options").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(header.as_deref(), Some("nosniff"), "{what} ({status})");
    }
    server.stop().await;
}

#[tokio::test]
async fn another_sites_page_can_neither_create_nor_import_nor_open_a_socket_through_a_rebinding_name() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    // The quick anonymous mode, where creating needs no sign-in: only the origin and the body's type stop a page.
    let server = ServerProcess::start_with(&["--data", dir, "--public-url", "http://samsyn.test"]).await;
    let http = reqwest::Client::new();
    let workshop = json!({"catalogue": "lika", "title": "Från en annan sida"}).to_string();
    // What a form or a fetch without preflight of another site's page sends: text/plain, any origin.
    let plain = http.post(server.url("/api/sessions")).header("content-type", "text/plain").body(workshop.clone());
    let answer = plain.send().await.unwrap();
    assert_eq!(answer.status(), 400);
    assert_eq!(answer.json::<Value>().await.unwrap()["code"], "bad_message");
    for origin in ["https://evil.example", "http://rebound.example"] {
        let json = http
            .post(server.url("/api/catalogues"))
            .header("content-type", "application/json")
            .header("origin", origin)
            .header("host", "rebound.example")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(json.status(), 403, "{origin}");
        assert_eq!(json.json::<Value>().await.unwrap()["code"], "forbidden");
    }
    // The server's own pages (its public URL) and clients without an Origin go on as before.
    let own = http
        .post(server.url("/api/sessions"))
        .header("content-type", "application/json")
        .header("origin", "http://samsyn.test")
        .body(workshop)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 201);
    let listed: Value = http.get(server.url("/api/catalogues")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "nothing was imported");

    // A socket from a page on a rebinding name: Host and Origin agree, and it is still refused.
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!("ws://{}/ws", server.addr).into_client_request().unwrap();
    request.headers_mut().insert("origin", "http://rebound.example".parse().unwrap());
    request.headers_mut().insert("host", "rebound.example".parse().unwrap());
    let refused = tokio_tungstenite::connect_async(request).await;
    assert!(refused.is_err(), "the handshake is refused");
    server.terminate().await;
}

#[tokio::test]
async fn guessing_codes_or_keys_over_http_is_throttled_per_address_but_never_a_signed_in_member() {
    let data = tempfile::tempdir().unwrap();
    let printed = crate::accounts::admin(
        data.path(),
        &["create-user", "--email", "anna@exempelby.se", "--name", "Anna", "--organisation", "Exempelby"],
    )
    .await;
    let server = ServerProcess::start_with(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");
    let anna = crate::accounts::sign_in(&base, "anna@exempelby.se", &crate::accounts::printed_password(&printed)).await;
    let session = create_workshop(&base).await;
    let http = reqwest::Client::new();
    let qr = |code: &str| http.get(format!("{base}/api/sessions/{code}/qr.svg"));
    assert_eq!(qr(&session.code).send().await.unwrap().status(), 200);
    // Wrong keys count as well as unknown codes.
    for _ in 0..10 {
        let wrong = http
            .get(format!("{base}/api/sessions/{}/export.json", session.code))
            .header("authorization", format!("Bearer {}", "0".repeat(64)))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 403);
    }
    for guess in 0..10 {
        assert_eq!(qr(&format!("{:06}", 100_000 + guess)).send().await.unwrap().status(), 404);
    }
    // Over the limit, nothing about any code is told for a minute: the known one answers 429 too.
    for code in [session.code.as_str(), "123456"] {
        let refused = qr(code).send().await.unwrap();
        assert_eq!(refused.status(), 429, "{code}");
        assert_eq!(refused.headers()["retry-after"], "60");
        assert_eq!(refused.json::<Value>().await.unwrap()["code"], "rate_limited");
    }
    // A signed-in member at the same address goes on; other routes are not held up.
    let member = anna.get(&base, &format!("/api/sessions/{}/qr.svg", session.code)).await;
    assert_eq!(member.status, 200);
    assert_eq!(http.get(format!("{base}/api/catalogues")).send().await.unwrap().status(), 200);
    server.terminate().await;
}

#[tokio::test]
async fn one_laptop_cannot_fill_the_server_with_sessions_or_imports() {
    let data = tempfile::tempdir().unwrap();
    let server = ServerProcess::start_with(&["--data", data.path().to_str().unwrap()]).await;
    let http = reqwest::Client::new();
    let create = || http.post(server.url("/api/sessions")).json(&json!({"title": "Fyll servern", "items": []}));
    // Anonymously (the quick mode), a burst of 20 from one address, then one a minute.
    let mut statuses = Vec::new();
    for _ in 0..25 {
        statuses.push(create().send().await.unwrap().status().as_u16());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 20, "{statuses:?}");
    let refused = create().send().await.unwrap();
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["retry-after"], "60");
    assert_eq!(refused.json::<Value>().await.unwrap()["code"], "rate_limited");
    let import = http.post(server.url("/api/catalogues")).json(&json!({"id": "x"})).send().await.unwrap();
    assert_eq!(import.status(), 429, "imports count with sessions");
    // Joining, voting and reading go on for everyone.
    assert_eq!(http.get(server.url("/api/catalogues")).send().await.unwrap().status(), 200);
    server.terminate().await;
}
