//! The registry of live sessions by join code. Loads a stored session on first use, so a restart needs no warm-up.
//! Holds only handles: never keep a reference into the map across an `.await`.

use super::actor::SessionActor;
use super::handle::{Owner, SessionHandle};
use super::{Bus, LiveError, Location};
use crate::domain::{Session, SessionSpec};
use crate::store::{Store, StoreError, StoredSession};
use dashmap::DashMap;
use rand::Rng;
use std::sync::Arc;

/// What the creator of a session needs: the code to share and the key to keep.
#[derive(Debug, Clone)]
pub struct Created {
    pub code: String,
    pub facilitator_key: String,
}

pub struct Registry {
    sessions: DashMap<String, SessionHandle>,
    store: Arc<dyn Store>,
    /// Serialises loads so two first connections to one stored session start one actor, not two.
    loading: tokio::sync::Mutex<()>,
    clock: fn() -> i64,
    /// Where session actors run. Their own thread, so a commit and its acks never wait in line behind
    /// the thousands of socket tasks one published frame wakes on the main runtime.
    actors: tokio::runtime::Handle,
    /// Which node runs each session: always this one in one process, the holder of its lease with several.
    bus: Arc<dyn Bus>,
    /// Since when only the registry holds a session's handle: nobody is connected and no request runs.
    unused_since: DashMap<String, std::time::Instant>,
}

impl Registry {
    /// `actors` is the runtime session actors run on (see [`Registry::actors`]).
    pub fn new(store: Arc<dyn Store>, bus: Arc<dyn Bus>, clock: fn() -> i64, actors: tokio::runtime::Handle) -> Self {
        Registry {
            sessions: DashMap::new(),
            store,
            loading: tokio::sync::Mutex::new(()),
            clock,
            actors,
            bus,
            unused_since: DashMap::new(),
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Creates and stores a session of `organisation` (`None`: anonymous) with a fresh join code and
    /// facilitator key, and starts its actor.
    pub async fn create(&self, spec: SessionSpec, organisation: Option<&str>) -> Result<Created, LiveError> {
        self.create_with(spec, Vec::new(), organisation).await
    }

    /// Creates a session that starts with `events` already applied (an imported occasion).
    pub async fn create_with(
        &self,
        spec: SessionSpec,
        events: Vec<crate::domain::Event>,
        organisation: Option<&str>,
    ) -> Result<Created, LiveError> {
        let facilitator_key = random_hex(32);
        for _ in 0..20 {
            let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
            let stored = StoredSession {
                id: uuid::Uuid::new_v4().to_string(),
                code: code.clone(),
                facilitator_key: facilitator_key.clone(),
                spec: spec.clone(),
                created_at: (self.clock)(),
                events: vec![],
                cursor: None,
                organisation: organisation.map(str::to_string),
            };
            // The creator runs the new session; a code another node has claimed is in use there.
            if !self.bus.claim_new(&code).await? {
                continue;
            }
            match self.store.create_session(&stored).await {
                Ok(()) => {
                    self.store.append(&stored.id, 1, &events, None).await?;
                    let session = Session::replay(spec, &events);
                    self.run_here(stored.id, &code, Owner::new(&facilitator_key, organisation), session, None);
                    return Ok(Created { code, facilitator_key });
                }
                Err(StoreError::CodeTaken) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(LiveError::Store(StoreError::CodeTaken))
    }

    /// The handle of a session, loading it from the store if it is not live yet.
    pub async fn get(&self, code: &str) -> Result<SessionHandle, LiveError> {
        if let Some(handle) = self.live(code) {
            return Ok(handle);
        }
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(LiveError::UnknownSession);
        }
        let _guard = self.loading.lock().await;
        if let Some(handle) = self.live(code) {
            return Ok(handle);
        }
        if let Location::Relayed(handle) = self.bus.locate(code).await? {
            self.sessions.insert(code.to_string(), handle.clone());
            return Ok(handle);
        }
        let stored = match self.store.load_session(code).await {
            Ok(Some(stored)) => stored,
            missing_or_failed => {
                self.bus.release(code).await;
                return Err(missing_or_failed.err().map_or(LiveError::UnknownSession, LiveError::from));
            }
        };
        let session = Session::replay(stored.spec, &stored.events);
        tracing::info!(session = %code, events = stored.events.len(), "session loaded from the store");
        let owner = Owner::new(&stored.facilitator_key, stored.organisation.as_deref());
        Ok(self.run_here(stored.id, code, owner, session, stored.cursor))
    }

    /// Starts a session's actor on this node, lists it, and lets the bus serve it to other nodes (their
    /// forwarded requests resume after `cursor`).
    fn run_here(
        &self,
        id: String,
        code: &str,
        owner: Owner,
        session: Session,
        cursor: Option<String>,
    ) -> SessionHandle {
        let handle =
            SessionActor::spawn(id, code.to_string(), owner, session, self.store.clone(), self.clock, &self.actors);
        self.bus.serve(&handle, cursor);
        self.sessions.insert(code.to_string(), handle.clone());
        handle
    }

    /// The handle of a session running (or relayed) here. A handle whose actor or relay has ended is
    /// forgotten, so the next lookup finds the session's current owner.
    fn live(&self, code: &str) -> Option<SessionHandle> {
        let handle = self.sessions.get(code)?.clone();
        if handle.is_closed() {
            self.sessions.remove_if(code, |_, h| h.is_closed());
            return None;
        }
        Some(handle)
    }

    /// Gives a session a new facilitator key and owner, then restarts it so every node uses them: its
    /// connections close with 1012 and reconnect, and a console holding the old key is refused.
    pub async fn change_owner(
        &self,
        code: &str,
        facilitator_key: &str,
        organisation: Option<&str>,
    ) -> Result<(), LiveError> {
        let handle = self.get(code).await?;
        self.store.set_session_owner(code, facilitator_key, organisation).await?;
        handle.stop().await;
        self.sessions.remove(code);
        Ok(())
    }

    /// A new facilitator key, 256 random bits in hex.
    pub fn new_key() -> String {
        random_hex(32)
    }

    /// Deletes a session for good: stops its actor (closing its connections) and removes its stored data.
    pub async fn delete(&self, code: &str) -> Result<(), LiveError> {
        let handle = self.get(code).await?;
        handle.stop().await;
        self.sessions.remove(code);
        self.store.delete_session(code).await?;
        Ok(())
    }

    /// Reduces sessions past their ballot retention at `now` (ms) to their distributions: their
    /// organisation's period, else `default_days`. Returns how many were compacted.
    pub async fn compact_due(&self, now: i64, default_days: Option<u32>) -> Result<usize, LiveError> {
        let codes = self.store.sessions_to_compact(now, default_days).await?;
        for code in &codes {
            let handle = self.get(code).await?;
            handle.compact().await?;
            self.sessions.remove(code);
            tracing::info!(session = %code, "raw ballots removed; distributions kept");
        }
        Ok(codes.len())
    }

    /// Lets go of the sessions nobody has used for `idle`: no socket, no request (only the registry still
    /// holds their handles). Their actors end, their memory is freed, and the next use loads them again
    /// from the store, where everything acknowledged is. Returns how many were let go.
    pub async fn unload_idle(&self, idle: std::time::Duration) -> usize {
        let now = std::time::Instant::now();
        let mut due = Vec::new();
        for entry in self.sessions.iter() {
            let code = entry.key();
            if entry.value().holders() > 1 {
                self.unused_since.remove(code);
                continue;
            }
            let since = *self.unused_since.entry(code.clone()).or_insert(now);
            if now.duration_since(since) >= idle {
                due.push(code.clone());
            }
        }
        let mut unloaded = 0;
        for code in due {
            self.unused_since.remove(&code);
            // Someone may have taken the handle meanwhile: then it stays.
            if self.sessions.remove_if(&code, |_, handle| handle.holders() == 1).is_some() {
                self.bus.release(&code).await;
                unloaded += 1;
            }
        }
        self.unused_since.retain(|code, _| self.sessions.contains_key(code));
        unloaded
    }

    /// Drops every handle so actors end once their connections are gone, and gives up this node's claims.
    pub async fn clear(&self) {
        self.sessions.clear();
        self.bus.leave().await;
    }

    /// The clock the domain is given: milliseconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        (self.clock)()
    }
}

fn random_hex(bytes: usize) -> String {
    let mut rng = rand::rng();
    (0..bytes).map(|_| format!("{:02x}", rng.random::<u8>())).collect()
}
