//! The `samsyn` binary: reads settings, binds, and hands over to [`samsyn::app::run`].

use clap::Parser;
use samsyn::config::{Config, Task};
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    runtime().build()?.block_on(run())
}

/// The runtime that reads every socket and answers HTTP: half as many threads as cores (at least one),
/// unless `TOKIO_WORKER_THREADS` says otherwise. The fan-out's writer threads (one per core) do most of
/// the work; a socket task here is short (read a command, hand it to its session), and with a thread per
/// core the runtime woke an idle thread to share almost every handful of them, a thread switch on each
/// side. On two cores one thread cut the runtime's CPU by a sixth at the benchmark's common rate
/// (docs/performance.md, "One runtime thread on two cores").
fn runtime() -> tokio::runtime::Builder {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all();
    if std::env::var_os("TOKIO_WORKER_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        builder.worker_threads((cores / 2).max(1));
    }
    builder
}

/// Runs the task the command line names, or serves Samsyn.
async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let config = Config::parse();
    match &config.command {
        Some(Task::CopyToPostgres) => {
            let url = config
                .postgres_url
                .as_deref()
                .ok_or_else(|| anyhow::anyhow!("copy-to-postgres needs --postgres-url"))?;
            return samsyn::app::copy_to_postgres(&config.data, url).await;
        }
        Some(Task::Admin(task)) => return samsyn::admin::run(&config, task).await,
        None => {}
    }
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    tracing::info!(data = %config.data.display(), "Samsyn is running: open http://{addr}");
    println!("Samsyn is running: open http://{addr}");
    samsyn::app::run(listener, config, shutdown_signal()).await
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
