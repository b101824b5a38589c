//! Wires the parts together and serves until shutdown. Tests call [`run`] with a listener on port 0.

use crate::bus::{Bus, LocalBus, RedisBus};
use crate::clock::now_ms;
use crate::config::Config;
use crate::domain::catalogue::{Catalogue, BUILT_IN};
use crate::live::Registry;
use crate::store::{PostgresStore, SqliteStore, Store};
use crate::web::AppState;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The catalogues built into the binary, parsed and checked.
pub fn built_in_catalogues() -> Vec<Catalogue> {
    BUILT_IN
        .iter()
        .map(|(name, json)| {
            let catalogue: Catalogue =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("built-in catalogue {name}: {e}"));
            catalogue.validate().unwrap_or_else(|e| panic!("built-in catalogue {name}: {e}"));
            catalogue
        })
        .collect()
}

/// Copies every organisation with its members and units, every session and imported catalogue from the SQLite file in `data` to PostgreSQL at `url`.
/// Sessions whose code is already there are skipped, so the copy can be run again after an interruption.
pub async fn copy_to_postgres(data: &std::path::Path, url: &str) -> anyhow::Result<()> {
    if !data.join("samsyn.db").exists() {
        anyhow::bail!("no SQLite data at {}", data.join("samsyn.db").display());
    }
    let from = SqliteStore::open(data).await?;
    let to = PostgresStore::connect(url).await?;
    let (mut copied, mut skipped) = (0, 0);
    // Staff and organisations first: sessions and catalogues refer to them.
    to.add_owners(&from.owners().await?).await?;
    for stored in from.catalogues().await? {
        match to.save_catalogue(&stored.catalogue, now_ms(), stored.organisation.as_deref()).await {
            Ok(()) | Err(crate::store::StoreError::CatalogueExists) => {}
            Err(error) => return Err(error.into()),
        }
    }
    for code in from.session_codes().await? {
        let Some(session) = from.load_session(&code).await? else { continue };
        match to.create_session(&session).await {
            Ok(()) => {
                to.append(&session.id, 1, &session.events, None).await?;
                copied += 1;
            }
            Err(crate::store::StoreError::CodeTaken) => skipped += 1,
            Err(error) => return Err(error.into()),
        }
    }
    println!("copied {copied} sessions to PostgreSQL; {skipped} were there already");
    from.close().await;
    to.close().await;
    Ok(())
}

/// How long a shutdown waits for sockets to send their close frames (5 s).
const SOCKETS_CLOSE_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// How often old sessions are checked for ballots past their retention (1 hour).
const COMPACTION_INTERVAL: std::time::Duration = std::time::Duration::from_secs(3600);

/// Lets go of sessions nobody has used for `idle`, checking a few times per period.
async fn unload_periodically(registry: Arc<Registry>, idle: std::time::Duration, mut shutdown: watch::Receiver<bool>) {
    let every = (idle / 4).clamp(std::time::Duration::from_millis(250), std::time::Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        let unloaded = registry.unload_idle(idle).await;
        if unloaded > 0 {
            tracing::debug!(unloaded, "idle sessions let go from memory");
        }
    }
}

/// Reduces sessions past their ballot retention (their organisation's, else `days`) to their
/// distributions, now and then every hour.
async fn compact_periodically(registry: Arc<Registry>, days: Option<u32>, mut shutdown: watch::Receiver<bool>) {
    loop {
        match registry.compact_due(now_ms(), days).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "sessions past ballot retention compacted"),
            Err(error) => tracing::warn!(%error, "ballot retention run failed; will try again"),
        }
        tokio::select! {
            _ = tokio::time::sleep(COMPACTION_INTERVAL) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Serves Samsyn on `listener` until `shutdown` completes, then closes sockets and the store.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let oidc = crate::web::oidc::Oidc::from_config(&config)?.map(Arc::new);
    let store: Arc<dyn Store> = match &config.postgres_url {
        Some(url) => Arc::new(PostgresStore::connect(url).await?),
        None => Arc::new(SqliteStore::open(&config.data).await?),
    };
    // Session actors get a runtime (one thread) of their own: see `Registry::new`.
    let actors = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("samsyn-actors")
        .enable_all()
        .build()?;
    let bus: Arc<dyn Bus> = match &config.redis_url {
        Some(url) => Arc::new(RedisBus::connect(url, store.clone()).await?),
        None => Arc::new(LocalBus),
    };
    let registry = Arc::new(Registry::new(store.clone(), bus, now_ms, actors.handle().clone()));
    let (stop_sockets, stopping) = watch::channel(false);
    let (sockets, mut sockets_closed) = tokio::sync::mpsc::channel::<()>(1);
    let state = AppState {
        registry: registry.clone(),
        built_in: Arc::new(built_in_catalogues()),
        public_url: config.public_url.clone(),
        limits: crate::web::limits::Limits::behind(
            config.max_connections_per_address,
            config.allowed_origins.clone(),
            config.trusted_proxies.clone(),
            config.new_participants_per_minute,
        ),
        ping_interval: std::time::Duration::from_secs(config.ping_interval_secs),
        shutdown: stopping,
        sockets,
        fanouts: Default::default(),
        screen_policy: crate::web::assets::screen_policy(&config.frame_ancestors),
        listen: listener.local_addr()?,
        accounts: Arc::new(crate::web::auth::Accounts::new(config.allow_anonymous, config.public_url.as_deref())),
        oidc: oidc.clone(),
    };
    if let Some(oidc) = oidc {
        // Only to tell the operator early when the provider cannot be reached; sign-in tries again when used.
        tokio::spawn(async move { oidc.warm_up().await });
    }
    let idle = std::time::Duration::from_secs(config.unload_idle_secs);
    tokio::spawn(unload_periodically(registry.clone(), idle, state.shutdown.clone()));
    // Always: an organisation may set its own retention even when the server has none.
    tokio::spawn(compact_periodically(registry.clone(), config.ballot_retention_days, state.shutdown.clone()));
    crate::web::serve(listener, state, async move {
        shutdown.await;
        tracing::info!("shutting down: closing connections");
        let _ = stop_sockets.send(true);
    })
    .await?;
    // Upgraded sockets outlive the HTTP server (which held the other senders); let each send its close
    // frame (1012) before going on.
    if tokio::time::timeout(SOCKETS_CLOSE_WITHIN, sockets_closed.recv()).await.is_err() {
        tracing::warn!("some sockets did not close in time");
    }
    registry.clear().await;
    // Dropping a runtime inside another would block it; let the actor thread wind down on its own.
    actors.shutdown_background();
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}
