//! The facilitator and the screen: one connection each, read continuously on a thread of its own, as
//! a laptop and a projector are devices of their own: a frame to the screen is timed when it arrives,
//! not when the runtime that also runs thousands of phones gets to it. The coordinator sends the
//! facilitator's commands through it and watches the latest state of either. The screen's reader also
//! notes when each new `voted` count of the choice first arrived.

use crate::client::{state_version, StateLite, Ws, CONNECT_TIMEOUT};
use crate::plan::CHOICE;
use crate::websocket::Message;
use crate::Env;
use futures_util::StreamExt;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;

/// How long the coordinator waits for a facilitator command's answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// The latest state a viewer received.
pub struct Seen {
    pub version: u64,
    pub state: StateLite,
}

/// What a viewer hands back at the end.
#[derive(Default)]
pub struct ViewerReport {
    /// (arrival, `voted` of the choice's round 1), one entry each time that count grew.
    pub timeline: Vec<(Instant, u64)>,
    /// The last state message, whole.
    pub last: Option<String>,
    pub updates: u64,
    /// State messages received while the choice was voting, and their bytes.
    pub vote_frames: u64,
    pub vote_bytes: u64,
}

struct Request {
    command: Value,
    reply: oneshot::Sender<Value>,
}

pub struct Viewer {
    name: &'static str,
    requests: mpsc::Sender<Request>,
    latest: watch::Receiver<Option<Arc<Seen>>>,
    stop: oneshot::Sender<()>,
    report: oneshot::Receiver<ViewerReport>,
}

impl Viewer {
    /// Connects as `role` (`facilitator` with its key, or `screen`) on a thread of its own and starts
    /// reading there.
    pub async fn join(env: &Arc<Env>, role: &'static str, key: Option<&str>) -> Result<Viewer, String> {
        let mut hello = json!({"type": "hello", "id": 1, "role": role, "code": env.code});
        if let Some(key) = key {
            hello["key"] = json!(key);
        }
        let (latest_tx, latest) = watch::channel(None);
        let (requests, requests_rx) = mpsc::channel(16);
        let (stop, stop_rx) = oneshot::channel();
        let (joined_tx, joined) = oneshot::channel();
        let (report_tx, report) = oneshot::channel();
        let env = env.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("{role}: no runtime: {e}"))?;
        std::thread::Builder::new()
            .name(format!("samsyn-load-{role}"))
            .spawn(move || {
                runtime.block_on(async move {
                    let ws = match connect(&env, role, hello).await {
                        Ok(ws) => ws,
                        Err(error) => {
                            let _ = joined_tx.send(Err(error));
                            return;
                        }
                    };
                    let _ = joined_tx.send(Ok(()));
                    let _ = report_tx.send(read(role, ws, env, latest_tx, requests_rx, stop_rx).await);
                })
            })
            .map_err(|e| format!("{role}: no thread: {e}"))?;
        joined.await.map_err(|_| format!("{role}: the reader stopped"))??;
        Ok(Viewer { name: role, requests, latest, stop, report })
    }

    /// Sends a command and returns its answer (`ack` or `error`).
    pub async fn request(&self, command: Value) -> Result<Value, String> {
        let (reply, answer) = oneshot::channel();
        let text = command.to_string();
        self.requests.send(Request { command, reply }).await.map_err(|_| format!("{}: connection gone", self.name))?;
        tokio::time::timeout(ANSWER_TIMEOUT, answer)
            .await
            .map_err(|_| format!("{}: no answer to {text}", self.name))?
            .map_err(|_| format!("{}: connection gone", self.name))
    }

    /// Sends a command that must be acknowledged.
    pub async fn ok(&self, command: Value) -> Result<(), String> {
        let text = command.to_string();
        let answer = self.request(command).await?;
        if answer["type"] == "ack" {
            Ok(())
        } else {
            Err(format!("{}: {text} → {answer}", self.name))
        }
    }

    /// Waits (at most `limit`) for a state that satisfies `wanted`; it may already be the latest.
    pub async fn wait_state(&self, limit: Duration, wanted: impl Fn(&Seen) -> bool) -> Result<Arc<Seen>, String> {
        let mut latest = self.latest.clone();
        let found = tokio::time::timeout(limit, latest.wait_for(|seen| seen.as_ref().is_some_and(|s| wanted(s))))
            .await
            .map_err(|_| format!("{}: the expected state did not arrive within {limit:?}", self.name))?
            .map_err(|_| format!("{}: connection gone", self.name))?;
        Ok(found.clone().expect("checked in wait_for"))
    }

    pub fn version(&self) -> u64 {
        self.latest.borrow().as_ref().map_or(0, |s| s.version)
    }

    pub async fn finish(self) -> ViewerReport {
        let _ = self.stop.send(());
        self.report.await.unwrap_or_default()
    }
}

/// Connects, says hello and takes the welcome, which must come first; the reader takes it from there.
async fn connect(env: &Env, role: &'static str, hello: Value) -> Result<Ws, String> {
    let mut ws = tokio::time::timeout(CONNECT_TIMEOUT, async {
        // Source address 0 of the spread: 127.0.0.1 on loopback.
        let mut ws = env.target.connect(0).await?;
        ws.send(&hello.to_string()).await.map_err(|e| e.to_string())?;
        Ok::<Ws, String>(ws)
    })
    .await
    .map_err(|_| format!("{role}: no connection in time"))??;
    match tokio::time::timeout(CONNECT_TIMEOUT, ws.next()).await {
        Ok(Some(Ok(Message::Text(text)))) => {
            let value: Value = serde_json::from_str(&text).map_err(|e| format!("{role}: {e}"))?;
            if value["type"] != "welcome" {
                return Err(format!("{role}: hello refused: {text}"));
            }
        }
        other => return Err(format!("{role}: no welcome: {other:?}")),
    }
    Ok(ws)
}

async fn read(
    role: &'static str,
    mut ws: Ws,
    env: Arc<Env>,
    latest: watch::Sender<Option<Arc<Seen>>>,
    mut requests: mpsc::Receiver<Request>,
    mut stop: oneshot::Receiver<()>,
) -> ViewerReport {
    let mut report = ViewerReport::default();
    let mut waiting: HashMap<u64, oneshot::Sender<Value>> = HashMap::new();
    let mut next_id = 2;
    loop {
        tokio::select! {
            biased;
            _ = &mut stop => break,
            request = requests.recv() => {
                let Some(Request { mut command, reply }) = request else { break };
                command["id"] = json!(next_id);
                waiting.insert(next_id, reply);
                next_id += 1;
                if ws.send(&command.to_string()).await.is_err() {
                    env.errors.add(|| format!("{role}: could not send a command"));
                    break;
                }
            }
            message = ws.next() => {
                let text = match message {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close) | Err(_)) | None => {
                        env.errors.add(|| format!("{role}: the server closed the connection"));
                        break;
                    }
                };
                if let Some(version) = state_version(&text) {
                    report.updates += 1;
                    let state = match StateLite::parse(&text) {
                        Ok(state) => state,
                        Err(error) => {
                            env.errors.add(|| format!("{role}: {error}"));
                            continue;
                        }
                    };
                    if state.phase(CHOICE) == Some("voting") {
                        report.vote_frames += 1;
                        report.vote_bytes += text.len() as u64;
                    }
                    let voted = state.voted(CHOICE, 1).unwrap_or(0);
                    if voted > report.timeline.last().map_or(0, |(_, v)| *v) {
                        report.timeline.push((Instant::now(), voted));
                    }
                    report.last = Some(text.to_string());
                    latest.send_replace(Some(Arc::new(Seen { version, state })));
                    continue;
                }
                let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let reply = value["id"].as_u64().and_then(|id| waiting.remove(&id));
                match reply {
                    Some(reply) => {
                        let _ = reply.send(value);
                    }
                    None => env.errors.add(|| format!("{role}: unexpected message {text}")),
                }
            }
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(2), ws.close()).await;
    report
}
