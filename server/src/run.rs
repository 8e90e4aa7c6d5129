//! Starts everything the binary serves and stops it cleanly.

use anyhow::Context;
use leptos::prelude::{get_configuration, LeptosOptions};
use tracing_subscriber::EnvFilter;

use crate::cli::Cli;

/// Logs to stderr, filtered by `RUST_LOG` (default: info).
pub fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Serves the app until Ctrl-C or SIGTERM.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut options = leptos_options()?;
    options.site_addr = cli.http;
    let router = crate::http::router(options);
    let listener = tokio::net::TcpListener::bind(cli.http)
        .await
        .with_context(|| {
            format!(
            "cannot listen on {} (is another program using it? pick another address with --http)",
            cli.http
        )
        })?;
    tracing::info!("MQTT Deck on http://{}", listener.local_addr()?);
    axum::serve(listener, router)
        .with_graceful_shutdown(crate::shutdown::signal())
        .await
        .context("HTTP server failed")?;
    Ok(())
}

/// The Leptos options from `LEPTOS_*` variables, completed so that the binary also runs
/// alone (outside cargo-leptos): its output name, and hashed asset names whenever the
/// build left a `hash.txt` beside the executable.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    let mut options = get_configuration(None)
        .context("reading the Leptos configuration (LEPTOS_* environment variables)")?
        .leptos_options;
    if options.output_name.is_empty() {
        options.output_name = "mqttdeck".into();
    }
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        let beside_binary = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
        options.hash_files = beside_binary.is_some_and(|path| path.exists());
    }
    Ok(options)
}
