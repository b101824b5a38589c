//! The `samsyn` binary: reads settings, binds, and hands over to [`samsyn::app::run`].

use clap::Parser;
use samsyn::config::{Config, Task};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
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
