//! Several nodes, one session (docs/decisions/0001-several-nodes.md). One node owns a session: it holds the
//! session's lease in Redis and runs its actor, exactly as a single node does. Every other node with
//! sockets in that session relays: it appends their requests to the session's command stream, which the
//! owner reads in order, and passes the owner's serialized frames (Redis pub/sub) to its sockets as they
//! are. PostgreSQL holds the events; its primary key on (session, seq) fences a node that lost its lease
//! without knowing it. This module is the only one that knows Redis.

mod keys;
mod relay;
mod wire;

use crate::domain::view::Audience;
use crate::domain::Session;
use crate::live::{Answer, Bus, Feed, Joined, LiveError, Location, Owner, Request, SessionHandle};
use crate::protocol::{state_frame, Code, Live};
use crate::store::Store;
use async_trait::async_trait;
use dashmap::DashMap;
use keys::{alive_key, frames_channel, lease_key, replies_channel, stream_key, RELEASE, RENEW};
use redis::aio::{ConnectionManager, ConnectionManagerConfig, MultiplexedConnection};
use redis::streams::{StreamReadOptions, StreamReadReply};
use redis::{AsyncCommands, IntoConnectionInfo, ProtocolVersion, PushInfo, PushKind, Value};
use relay::{payload, Relay, FEED_TAGS};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, Notify};
use tokio::time::Instant;
use wire::{Forwarded, Outcome, Reply};

/// How long a lease lasts without renewal (3 s): the longest a session is without an owner after its node dies.
const LEASE_TTL: Duration = Duration::from_secs(3);
/// How often an owner renews its leases and a relaying node checks who owns its sessions.
const LEASE_CHECK: Duration = Duration::from_secs(1);
/// A forwarded request not answered within this time fails with `unavailable` (the client resends it) if
/// the owner has answered none of this node's requests for the session meanwhile either. An owner that
/// still answers is busy, not stuck: its answer will come, and a resend would only add a reconnect and a
/// second entry to its work (at 100,000 phones on two cores, 135,452 of about 220,000 votes and words
/// were answered `unavailable` and resent that way; docs/performance.md).
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);
/// However busy the owner, a forwarded request fails after this long: its stream entry would be trimmed
/// soon (`STREAM_KEEP_MS`), and a reply lost between nodes would keep its client waiting.
const REPLY_LIMIT: Duration = Duration::from_secs(40);
/// Longest an owner's stream read waits for new entries before looking around (1 s).
const READ_BLOCK_MS: usize = 1000;
/// Most stream entries read at once; they go to the actor in order and are committed in its batches.
const READ_COUNT: usize = 512;
/// Stream entries older than this are trimmed by the owner: long applied, or their clients gave up and resent.
const STREAM_KEEP_MS: u64 = 60_000;
/// An owner lets a relaying node's participants go after its alive key has been missing this many checks
/// in a row (one a second); a Redis restart empties it for less than a second.
const NODE_GONE_AFTER: u32 = 3;
/// Requests waiting in a relaying node before they are appended to the stream.
const RELAY_MAILBOX: usize = 1024;

/// Several nodes over Redis: a session runs on the node holding its lease; the others relay it.
/// Cheap to clone.
#[derive(Clone)]
pub struct RedisBus {
    cluster: Arc<Cluster>,
}

impl RedisBus {
    /// Connects to Redis at `url` as a new node, with a node id of its own. Relaying nodes read a
    /// session's state from `store` when they start relaying it.
    pub async fn connect(url: &str, store: Arc<dyn Store>) -> anyhow::Result<RedisBus> {
        Ok(RedisBus { cluster: Cluster::connect(url, store).await? })
    }

    /// This node's id, as it appears in leases.
    pub fn node(&self) -> &str {
        &self.cluster.node
    }
}

#[async_trait]
impl Bus for RedisBus {
    async fn claim_new(&self, code: &str) -> Result<bool, LiveError> {
        self.cluster.acquire_new(code).await
    }

    async fn locate(&self, code: &str) -> Result<Location, LiveError> {
        // Run it here if no node does; otherwise relay to the node that does. Between the two checks the
        // owner may vanish or appear, so look again a few times.
        for _ in 0..5 {
            if self.cluster.acquire(code).await? {
                return Ok(Location::Here);
            }
            if let Some(handle) = self.cluster.relay(code).await? {
                return Ok(Location::Relayed(handle));
            }
        }
        Err(LiveError::Unavailable)
    }

    async fn release(&self, code: &str) {
        self.cluster.release(code).await
    }

    fn serve(&self, handle: &SessionHandle, cursor: Option<String>) {
        self.cluster.own(handle.clone(), cursor)
    }

    async fn leave(&self) {
        self.cluster.leave().await
    }
}

/// This node's part of the cluster: its Redis connection and what it relays.
struct Cluster {
    node: String,
    client: redis::Client,
    redis: ConnectionManager,
    shared: Arc<Shared>,
    next_corr: AtomicU64,
    store: Arc<dyn Store>,
}

/// What the Redis connection's push handler needs: replies awaited and the frame relays, by key.
struct Shared {
    replies_channel: String,
    waiting: DashMap<u64, Waiting>,
    relays: DashMap<String, Arc<Relay>>,
    refresh: DashMap<String, Arc<Notify>>,
    /// Counts lost Redis connections: after one, relayed sessions ask their owners for fresh frames.
    disconnects: AtomicU64,
}

/// A forwarded request's caller, waiting for the owner's reply.
struct Waiting {
    code: Arc<str>,
    since: Instant,
    reply: ReplyTo,
}

enum ReplyTo {
    Join(oneshot::Sender<Result<Joined, LiveError>>),
    Command(Answer),
    Compact(oneshot::Sender<Result<(), LiveError>>),
}

impl ReplyTo {
    fn answer(self, outcome: Outcome) {
        match (self, outcome) {
            (ReplyTo::Join(tx), Outcome::Joined { participant, token, answers, version, new }) => {
                let _ = tx.send(Ok(Joined { participant, token, answers, version, new }));
            }
            (ReplyTo::Command(answer), Outcome::Events { events }) => answer.give(Ok(events)),
            (ReplyTo::Compact(tx), Outcome::Done) => {
                let _ = tx.send(Ok(()));
            }
            (reply, Outcome::Failed { code, message }) => reply.fail(LiveError::Remote { code, message }),
            (reply, _) => {
                let message = "the owner answered something else".to_string();
                reply.fail(LiveError::Remote { code: Code::Internal, message })
            }
        }
    }

    fn fail(self, error: LiveError) {
        match self {
            ReplyTo::Join(tx) => {
                let _ = tx.send(Err(error));
            }
            ReplyTo::Command(answer) => answer.give(Err(error)),
            ReplyTo::Compact(tx) => {
                let _ = tx.send(Err(error));
            }
        }
    }
}

impl Shared {
    /// Handles what Redis pushes: replies to this node, frames of relayed sessions, lost connections.
    /// Runs on the connection's reader, so it only parses and hands over.
    fn on_push(&self, push: PushInfo) {
        match push.kind {
            PushKind::Disconnection => {
                self.disconnects.fetch_add(1, Relaxed);
            }
            PushKind::Message => {
                let mut data = push.data.into_iter();
                let (Some(Value::BulkString(channel)), Some(Value::BulkString(payload))) = (data.next(), data.next())
                else {
                    return;
                };
                let Ok(channel) = std::str::from_utf8(&channel) else { return };
                if channel == self.replies_channel {
                    match serde_json::from_slice::<Reply>(&payload) {
                        Ok(reply) => {
                            if let Some((_, waiting)) = self.waiting.remove(&reply.corr) {
                                if let Some(relay) = self.relays.get(&*waiting.code) {
                                    relay.answered();
                                }
                                waiting.reply.answer(reply.outcome);
                            }
                        }
                        Err(error) => tracing::warn!(%error, "unreadable reply from another node"),
                    }
                } else if let Some(code) = channel.strip_prefix("samsyn:{").and_then(|c| c.strip_suffix("}:frames")) {
                    if let Some(relay) = self.relays.get(code).map(|r| r.clone()) {
                        relay.accept(payload);
                    }
                }
            }
            _ => {}
        }
    }

    /// Fails every forwarded request of `code` (or every overdue one) with `unavailable`.
    fn give_up(&self, code: Option<&str>) {
        let expired: Vec<u64> = self
            .waiting
            .iter()
            .filter(|w| code.map_or_else(|| self.overdue(w), |code| &*w.code == code))
            .map(|w| *w.key())
            .collect();
        for corr in expired {
            if let Some((_, waiting)) = self.waiting.remove(&corr) {
                waiting.reply.fail(LiveError::Unavailable);
            }
        }
    }

    /// A forwarded request waited too long for its answer (see [`overdue`]).
    fn overdue(&self, waiting: &Waiting) -> bool {
        let silent = self.relays.get(&*waiting.code).map_or(Duration::MAX, |relay| relay.silent_for());
        overdue(waiting.since.elapsed(), silent)
    }
}

/// A request that `waited` for the owner, who has answered none of this node's requests for the session
/// for `silent`, fails: past [`REPLY_TIMEOUT`] with the owner silent as long, or past [`REPLY_LIMIT`].
fn overdue(waited: Duration, silent: Duration) -> bool {
    waited > REPLY_LIMIT || (waited > REPLY_TIMEOUT && silent > REPLY_TIMEOUT)
}

fn unavailable(error: redis::RedisError) -> LiveError {
    tracing::warn!(%error, "redis");
    LiveError::Unavailable
}

impl Cluster {
    /// Connects to Redis at `url` as a new node, with a node id of its own.
    async fn connect(url: &str, store: Arc<dyn Store>) -> anyhow::Result<Arc<Cluster>> {
        let info = url.into_connection_info()?;
        // RESP3: replies and frames arrive as pushes on the same connection that sends commands.
        let settings = info.redis_settings().clone().set_protocol(ProtocolVersion::RESP3);
        let client = redis::Client::open(info.set_redis_settings(settings))?;
        let node = uuid::Uuid::new_v4().simple().to_string();
        let shared = Arc::new(Shared {
            replies_channel: replies_channel(&node),
            waiting: DashMap::new(),
            relays: DashMap::new(),
            refresh: DashMap::new(),
            disconnects: AtomicU64::new(0),
        });
        let on_push = {
            let shared = shared.clone();
            move |push: PushInfo| {
                shared.on_push(push);
                Ok::<(), std::convert::Infallible>(())
            }
        };
        let config = ConnectionManagerConfig::new()
            .set_push_sender(on_push)
            .set_automatic_resubscription()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_max_delay(Duration::from_secs(1));
        let mut redis = client.get_connection_manager_with_config(config).await?;
        redis.subscribe(replies_channel(&node)).await?;
        tracing::info!(node = %node, "joined the cluster");
        let cluster = Arc::new(Cluster { node, client, redis, shared, next_corr: AtomicU64::new(1), store });
        tokio::spawn(expire_replies(Arc::downgrade(&cluster.shared)));
        tokio::spawn(stay_alive(cluster.node.clone(), cluster.redis.clone(), Arc::downgrade(&cluster.shared)));
        Ok(cluster)
    }

    /// Takes the lease of `code` if no node holds it. `true`: this node now owns the session.
    async fn acquire(&self, code: &str) -> Result<bool, LiveError> {
        let mut redis = self.redis.clone();
        let taken: Option<String> = redis::cmd("SET")
            .arg(lease_key(code))
            .arg(&self.node)
            .arg("NX")
            .arg("PX")
            .arg(LEASE_TTL.as_millis() as u64)
            .query_async(&mut redis)
            .await
            .map_err(unavailable)?;
        Ok(taken.is_some())
    }

    /// Takes the lease of a code for a new session, and clears any command stream left under that code by
    /// a deleted session, so none of its commands reach the new one.
    async fn acquire_new(&self, code: &str) -> Result<bool, LiveError> {
        if !self.acquire(code).await? {
            return Ok(false);
        }
        let _: i64 = self.redis.clone().del(stream_key(code)).await.map_err(unavailable)?;
        Ok(true)
    }

    /// Gives up the lease of `code` if this node holds it (taken for a session that turned out not to exist).
    async fn release(&self, code: &str) {
        let mut redis = self.redis.clone();
        let _: Result<i64, _> =
            redis::Script::new(RELEASE).key(lease_key(code)).arg(&self.node).invoke_async(&mut redis).await;
    }

    /// Leaves the cluster on a clean shutdown: gives up every lease at once, so other nodes take the sessions
    /// over as soon as their clients reconnect instead of waiting for the leases to run out.
    async fn leave(&self) {
        let owned: Vec<String> = self.shared.refresh.iter().map(|entry| entry.key().clone()).collect();
        for code in owned {
            self.release(&code).await;
        }
        let _: Result<i64, _> = self.redis.clone().del(alive_key(&self.node)).await;
    }

    /// The node holding the lease of `code`, if any.
    async fn owner(&self, code: &str) -> Result<Option<String>, LiveError> {
        self.redis.clone().get(lease_key(code)).await.map_err(unavailable)
    }

    /// Starts owning a session whose actor `handle` has just been spawned: keeps its lease, reads its
    /// command stream from `cursor` (the last entry whose events are stored) and publishes its frames.
    fn own(self: &Arc<Self>, handle: SessionHandle, cursor: Option<String>) {
        let refresh = Arc::new(Notify::new());
        self.shared.refresh.insert(handle.code().to_string(), refresh.clone());
        tokio::spawn(self.clone().keep_lease(handle.clone()));
        tokio::spawn(self.clone().read_commands(handle.clone(), cursor));
        tokio::spawn(self.clone().publish_frames(handle, refresh));
    }

    /// Renews the lease while the actor runs; stops the actor if another node took the session, and gives
    /// the lease up when the actor ends.
    async fn keep_lease(self: Arc<Self>, handle: SessionHandle) {
        let (key, renew, release) = (lease_key(handle.code()), redis::Script::new(RENEW), redis::Script::new(RELEASE));
        let mut redis = self.redis.clone();
        let mut tick = tokio::time::interval(LEASE_CHECK);
        loop {
            tick.tick().await;
            if handle.is_closed() {
                let _: Result<i64, _> = release.key(&key).arg(&self.node).invoke_async(&mut redis).await;
                self.shared.refresh.remove(handle.code());
                return;
            }
            let renewed: Result<i64, _> =
                renew.key(&key).arg(&self.node).arg(LEASE_TTL.as_millis() as u64).invoke_async(&mut redis).await;
            match renewed {
                Ok(1) => {}
                Ok(_) => {
                    tracing::warn!(session = %handle.code(), "another node took the session over; stopping here");
                    handle.stop().await;
                }
                // Nobody else can take the lease while Redis is unreachable for them too; if only this
                // node lost Redis, the store's sequence check stops both from writing the same event.
                Err(error) => tracing::warn!(session = %handle.code(), %error, "could not renew the lease"),
            }
        }
    }

    /// Feeds the owner's actor with the requests other nodes appended to the session's stream, in order.
    async fn read_commands(self: Arc<Self>, handle: SessionHandle, cursor: Option<String>) {
        let key = stream_key(handle.code());
        let mut cursor = cursor.unwrap_or_else(|| "0-0".into());
        let mut connection: Option<MultiplexedConnection> = None;
        let mut trimmed_at = Instant::now();
        // Nodes whose participants are online here, with how many checks in a row found them gone.
        let mut relaying: std::collections::HashMap<String, u32> = Default::default();
        let mut checked_at = Instant::now();
        let options = StreamReadOptions::default().block(READ_BLOCK_MS).count(READ_COUNT);
        while !handle.is_closed() {
            // A blocking read holds its connection, so each owned session reads on one of its own.
            let Some(redis) = connection.as_mut() else {
                let config = redis::AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(Duration::from_secs(2)))
                    .set_response_timeout(Some(Duration::from_millis(READ_BLOCK_MS as u64) + Duration::from_secs(2)));
                match self.client.get_multiplexed_async_connection_with_config(&config).await {
                    Ok(made) => connection = Some(made),
                    Err(error) => {
                        tracing::warn!(%error, "cannot reach redis to read commands; retrying");
                        tokio::time::sleep(LEASE_CHECK).await;
                    }
                }
                continue;
            };
            let read: Result<Option<StreamReadReply>, _> = redis.xread_options(&[&key], &[&cursor], &options).await;
            let entries = match read {
                Ok(reply) => reply.map(|r| r.keys.into_iter().flat_map(|k| k.ids).collect()).unwrap_or_default(),
                Err(error) => {
                    tracing::warn!(%error, "reading commands failed; reconnecting");
                    connection = None;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
            };
            let entries: Vec<redis::streams::StreamId> = entries;
            for entry in entries {
                cursor = entry.id.clone();
                let forwarded = match entry.map.get("m") {
                    Some(Value::BulkString(json)) => serde_json::from_slice::<Forwarded>(json),
                    _ => continue,
                };
                match forwarded {
                    Ok(forwarded) => {
                        if let Forwarded::Join { node, .. } = &forwarded {
                            relaying.entry(node.clone()).or_default();
                        }
                        if self.dispatch(&handle, entry.id, forwarded).await.is_err() {
                            return;
                        }
                    }
                    Err(error) => tracing::warn!(%error, "unreadable forwarded request skipped"),
                }
            }
            if checked_at.elapsed() >= LEASE_CHECK && !relaying.is_empty() {
                checked_at = Instant::now();
                if self.let_gone_nodes_go(&handle, &mut relaying).await.is_err() {
                    return;
                }
            }
            if trimmed_at.elapsed() > Duration::from_secs(10) {
                trimmed_at = Instant::now();
                if let Some(ms) = cursor.split('-').next().and_then(|ms| ms.parse::<u64>().ok()) {
                    let oldest = ms.saturating_sub(STREAM_KEEP_MS);
                    let _: Result<i64, _> = redis::cmd("XTRIM")
                        .arg(&key)
                        .arg("MINID")
                        .arg("~")
                        .arg(oldest)
                        .query_async(&mut self.redis.clone())
                        .await;
                }
            }
        }
    }

    /// Tells the actor about relaying nodes that died, so their participants stop counting as online.
    async fn let_gone_nodes_go(
        &self,
        handle: &SessionHandle,
        relaying: &mut std::collections::HashMap<String, u32>,
    ) -> Result<(), LiveError> {
        let mut redis = self.redis.clone();
        let nodes: Vec<String> = relaying.keys().cloned().collect();
        let keys: Vec<String> = nodes.iter().map(|node| alive_key(node)).collect();
        let Ok(alive): Result<Vec<bool>, _> = redis::cmd("MGET")
            .arg(&keys)
            .query_async::<Vec<Option<String>>>(&mut redis)
            .await
            .map(|v| v.into_iter().map(|x| x.is_some()).collect())
        else {
            return Ok(());
        };
        for (node, alive) in nodes.into_iter().zip(alive) {
            let misses = relaying.get_mut(&node).expect("listed");
            *misses = if alive { 0 } else { *misses + 1 };
            if *misses >= NODE_GONE_AFTER {
                relaying.remove(&node);
                tracing::warn!(session = %handle.code(), node = %node, "a relaying node is gone; its participants are offline");
                handle.submit(Request::NodeGone { node: node.as_str().into() }).await?;
            }
        }
        Ok(())
    }

    /// Hands one forwarded request to the actor (in stream order) and sends its answer back when it comes.
    async fn dispatch(&self, handle: &SessionHandle, entry: String, forwarded: Forwarded) -> Result<(), LiveError> {
        match forwarded {
            Forwarded::Join { node, corr, token, known_only } => {
                let (reply, answer) = oneshot::channel();
                let via = Some(node.as_str().into());
                handle.submit(Request::Join { token, known_only, entry: Some(entry), via, reply }).await?;
                self.answer_later(node, corr, async move {
                    match answer.await {
                        Ok(Ok(joined)) => Outcome::Joined {
                            participant: joined.participant,
                            token: joined.token,
                            answers: joined.answers,
                            version: joined.version,
                            new: joined.new,
                        },
                        Ok(Err(error)) => Outcome::failed(&error),
                        Err(_) => Outcome::failed(&LiveError::Closed),
                    }
                });
            }
            Forwarded::Leave { node, participant } => {
                handle.submit(Request::Leave { participant, via: Some(node.as_str().into()) }).await?
            }
            Forwarded::Flag { participants } => handle.submit(Request::Flag { participants }).await?,
            Forwarded::Delivered {} => {}
            Forwarded::Console { node, name, present } => {
                handle.submit(Request::Console { name, present, via: Some(node.as_str().into()) }).await?
            }
            Forwarded::Command { node, corr, actor, request, command } => {
                let (reply, answer) = Answer::wait();
                handle.submit(Request::Command { actor, request, command, entry: Some(entry), reply }).await?;
                self.answer_later(node, corr, async move {
                    match answer.await {
                        Ok(Ok(events)) => Outcome::Events { events },
                        Ok(Err(error)) => Outcome::failed(&error),
                        Err(_) => Outcome::failed(&LiveError::Closed),
                    }
                });
            }
            Forwarded::Compact { node, corr } => {
                let (reply, answer) = oneshot::channel();
                handle.submit(Request::Compact { reply }).await?;
                self.answer_later(node, corr, async move {
                    match answer.await {
                        Ok(Ok(())) => Outcome::Done,
                        Ok(Err(error)) => Outcome::failed(&error),
                        Err(_) => Outcome::failed(&LiveError::Closed),
                    }
                });
            }
            Forwarded::Stop => handle.stop().await,
            Forwarded::Refresh => {
                if let Some(refresh) = self.shared.refresh.get(handle.code()) {
                    refresh.notify_one();
                }
            }
        }
        Ok(())
    }

    /// Publishes `outcome` to the node that forwarded the request, once it is known.
    fn answer_later(
        &self,
        node: String,
        corr: u64,
        outcome: impl std::future::Future<Output = Outcome> + Send + 'static,
    ) {
        let mut redis = self.redis.clone();
        tokio::spawn(async move {
            let reply = Reply { corr, outcome: outcome.await };
            let Ok(json) = serde_json::to_vec(&reply) else { return };
            let published: Result<i64, _> = redis.publish(replies_channel(&node), json).await;
            if let Err(error) = published {
                tracing::warn!(%error, "could not send a reply to another node; its client will resend");
            }
        });
    }

    /// Publishes every new frame of an owned session to the nodes relaying it, and all of them on request.
    async fn publish_frames(self: Arc<Self>, handle: SessionHandle, refresh: Arc<Notify>) {
        let channel = frames_channel(handle.code());
        let [mut facilitator, mut screen, mut phone] =
            [Feed::Facilitator, Feed::Screen, Feed::Phone].map(|feed| handle.frames(feed));
        let mut redis = self.redis.clone();
        loop {
            let changed: Vec<usize> = tokio::select! {
                r = facilitator.changed() => if r.is_err() { return } else { vec![0] },
                r = screen.changed() => if r.is_err() { return } else { vec![1] },
                r = phone.changed() => if r.is_err() { return } else { vec![2] },
                _ = refresh.notified() => vec![0, 1, 2],
            };
            let feeds = [&mut facilitator, &mut screen, &mut phone];
            let mut pipe = redis::pipe();
            for index in changed {
                let frame = feeds[index].borrow_and_update().clone();
                pipe.publish(&channel, payload(FEED_TAGS[index], &frame)).ignore();
            }
            if let Err(error) = pipe.query_async::<()>(&mut redis).await {
                tracing::warn!(%error, "could not publish frames; relaying nodes catch up on the next change");
            }
        }
    }

    /// Serves a session owned by another node: requests go to its stream, its frames come back by pub/sub.
    /// `None` if no node owns it any more (the caller then tries to take it).
    async fn relay(self: &Arc<Self>, code: &str) -> Result<Option<SessionHandle>, LiveError> {
        let Some(owner) = self.owner(code).await? else { return Ok(None) };
        // Subscribe before reading the state: a change is then either in the store or on the channel.
        let mut redis = self.redis.clone();
        redis.subscribe(frames_channel(code)).await.map_err(unavailable)?;
        let Some(stored) = self.store.load_session(code).await? else {
            let _ = redis.unsubscribe(frames_channel(code)).await;
            return Err(LiveError::UnknownSession);
        };
        let session = Session::replay(stored.spec, &stored.events);
        // Numbered 0 among the frames of this version: the owner's own frames all come after it.
        let render = |audience| state_frame(&session, code, Live::default(), audience, 0);
        let frames = [Audience::Facilitator, Audience::Public, Audience::Phone].map(render);
        let relay = Arc::new(Relay::new(frames));
        self.shared.relays.insert(code.to_string(), relay.clone());
        let (mailbox, requests) = mpsc::channel(RELAY_MAILBOX);
        let receivers = [0, 1, 2].map(|index| relay.senders[index].subscribe());
        let handle = SessionHandle::relayed(
            mailbox,
            receivers,
            Owner::new(&stored.facilitator_key, stored.organisation.as_deref()),
            code,
        );
        tracing::info!(session = %code, owner = %owner, "relaying a session another node runs");
        tokio::spawn(self.clone().forward_requests(code.to_string(), owner, relay, requests));
        Ok(Some(handle))
    }

    /// Appends the requests of this node's sockets to the owner's stream until the owner changes.
    async fn forward_requests(
        self: Arc<Self>,
        code: String,
        owner: String,
        relay: Arc<Relay>,
        mut requests: mpsc::Receiver<Request>,
    ) {
        let code_arc: Arc<str> = code.as_str().into();
        let key = stream_key(&code);
        let mut redis = self.redis.clone();
        let mut tick = tokio::time::interval(LEASE_CHECK);
        let mut misses = 0;
        let mut disconnects = self.shared.disconnects.load(Relaxed);
        let mut batch = Vec::new();
        // Ask the owner for its current frames: the ones read from the store did not know who is online.
        let mut forwards = vec![Forwarded::Refresh];
        loop {
            let mut stop = false;
            if forwards.is_empty() {
                tokio::select! {
                    received = requests.recv_many(&mut batch, READ_COUNT) => {
                        if received == 0 {
                            break;
                        }
                    }
                    _ = tick.tick() => {
                        match self.owner(&code).await {
                            Ok(Some(holder)) if holder == owner => misses = 0,
                            Ok(Some(_)) => break,
                            // Gone: the owner died, or Redis restarted and the owner will take it again within a second.
                            Ok(None) => {
                                misses += 1;
                                if misses >= 2 {
                                    break;
                                }
                            }
                            Err(_) => {}
                        }
                        let now = self.shared.disconnects.load(Relaxed);
                        if now != disconnects {
                            disconnects = now;
                            forwards.push(Forwarded::Refresh);
                        }
                    }
                }
            }
            let mut corrs = Vec::new();
            for request in batch.drain(..) {
                let corr = self.next_corr.fetch_add(1, Relaxed);
                let node = self.node.clone();
                let mut wait = |reply| {
                    corrs.push(corr);
                    let waiting = Waiting { code: code_arc.clone(), since: Instant::now(), reply };
                    self.shared.waiting.insert(corr, waiting);
                };
                match request {
                    Request::Join { token, known_only, reply, .. } => {
                        wait(ReplyTo::Join(reply));
                        forwards.push(Forwarded::Join { node, corr, token, known_only });
                    }
                    Request::Leave { participant, .. } => forwards.push(Forwarded::Leave { node, participant }),
                    Request::Flag { participants } => forwards.push(Forwarded::Flag { participants }),
                    Request::Console { name, present, .. } => forwards.push(Forwarded::Console { node, name, present }),
                    Request::NodeGone { .. } => {}
                    Request::Command { actor, request, command, reply, .. } => {
                        wait(ReplyTo::Command(reply));
                        forwards.push(Forwarded::Command { node, corr, actor, request, command });
                    }
                    Request::Compact { reply } => {
                        wait(ReplyTo::Compact(reply));
                        forwards.push(Forwarded::Compact { node, corr });
                    }
                    Request::Stop => {
                        forwards.push(Forwarded::Stop);
                        stop = true;
                    }
                    // Reads are answered from the store, which holds everything the owner acknowledged.
                    Request::Snapshot { reply } => {
                        let store = self.store.clone();
                        let code = code.clone();
                        tokio::spawn(async move {
                            if let Ok(Some(stored)) = store.load_session(&code).await {
                                let _ = reply.send(Session::replay(stored.spec, &stored.events));
                            }
                        });
                    }
                    Request::Agenda { reply } => {
                        let store = self.store.clone();
                        let code = code.clone();
                        tokio::spawn(async move {
                            if let Ok(Some(stored)) = store.load_session(&code).await {
                                let session = Session::replay(stored.spec, &stored.events);
                                let _ = reply.send((session.spec.title.clone(), session.agenda()));
                            }
                        });
                    }
                }
            }
            if !forwards.is_empty() {
                let mut pipe = redis::pipe();
                for forwarded in forwards.drain(..) {
                    if let Ok(json) = serde_json::to_vec(&forwarded) {
                        pipe.cmd("XADD").arg(&key).arg("*").arg("m").arg(json).ignore();
                    }
                }
                if let Err(error) = pipe.query_async::<()>(&mut redis).await {
                    tracing::warn!(session = %code, %error, "could not forward requests; their clients get `unavailable`");
                    for corr in corrs {
                        if let Some((_, waiting)) = self.shared.waiting.remove(&corr) {
                            waiting.reply.fail(LiveError::Unavailable);
                        }
                    }
                }
            }
            if stop {
                break;
            }
        }
        tracing::info!(session = %code, "stopped relaying; sockets reconnect to the session's new owner");
        self.shared.relays.remove_if(&code, |_, current| Arc::ptr_eq(current, &relay));
        if !self.shared.relays.contains_key(&code) {
            let _ = redis.unsubscribe(frames_channel(&code)).await;
        }
        self.shared.give_up(Some(&code));
    }
}

/// Keeps this node's alive key, once a second, while the cluster lives.
async fn stay_alive(node: String, mut redis: ConnectionManager, shared: std::sync::Weak<Shared>) {
    let mut tick = tokio::time::interval(LEASE_CHECK);
    while shared.upgrade().is_some() {
        tick.tick().await;
        let set: Result<(), _> = redis
            .set_options(
                alive_key(&node),
                1,
                redis::SetOptions::default().with_expiration(redis::SetExpiry::PX(LEASE_TTL.as_millis() as u64)),
            )
            .await;
        if let Err(error) = set {
            tracing::warn!(%error, "could not tell the cluster this node is alive");
        }
    }
}

/// Fails forwarded requests whose reply is overdue, once a second, while the cluster lives.
async fn expire_replies(shared: std::sync::Weak<Shared>) {
    let mut tick = tokio::time::interval(LEASE_CHECK);
    loop {
        tick.tick().await;
        let Some(shared) = shared.upgrade() else { return };
        shared.give_up(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_owner_that_still_answers_is_waited_for_a_silent_one_is_not() {
        let s = Duration::from_secs;
        assert!(!overdue(s(9), s(9)), "within the reply timeout");
        assert!(overdue(s(11), s(11)), "past it, and the owner answered nothing meanwhile");
        assert!(!overdue(s(25), s(1)), "past it, but the owner answered another request a second ago");
        assert!(overdue(s(41), s(1)), "however busy the owner, not past the limit");
    }
}
