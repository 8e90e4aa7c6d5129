//! Starts what the command line asks for — the app with the broker, the broker alone,
//! the `passwd` tool or a benchmark — and stops it cleanly on Ctrl-C or SIGTERM:
//! listeners stop accepting, MQTT clients are told the server is going away, HTTP
//! drains.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use broker::Transport;
use leptos::prelude::{get_configuration, LeptosOptions};
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

use crate::broker_setup::{BrokerPlan, Endpoint, RunningBroker};
use crate::cli::{BrokerArgs, Cli, Command, ServeArgs};
use crate::http::BrokerHandle;
use crate::listen_addr::check_reachability;
use crate::shutdown::{self, Signals};

/// How long open HTTP connections may take to finish once shutdown has begun.
const HTTP_DRAIN: Duration = Duration::from_secs(10);

/// Logs to stderr, filtered by `RUST_LOG` (default: info); colours only on a terminal,
/// so scripts reading the log see plain lines.
pub fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

/// Runs the subcommand, or the app with its broker.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Passwd(args)) => crate::passwd::run(args),
        Some(Command::Bench(args)) => crate::bench::run(args).await,
        Some(Command::Broker(args)) => run_broker_only(&args, shutdown::listen()).await,
        None => serve(cli.serve, shutdown::listen()).await,
    }
}

/// `mqttdeck broker`: the listeners and the broker, until asked to stop.
async fn run_broker_only(args: &BrokerArgs, signals: Signals) -> anyhow::Result<()> {
    let running = BrokerPlan::new(args)?.start(false).await?;
    signals.wait().await;
    running.shutdown().await;
    Ok(())
}

/// `mqttdeck`: the app on `--http` (with `/mqtt`), and the broker unless `--no-broker`.
async fn serve(args: ServeArgs, signals: Signals) -> anyhow::Result<()> {
    check_reachability("http", args.http, args.broker.allow_remote).map_err(anyhow::Error::msg)?;
    let plan = match args.no_broker {
        true => None,
        false => Some(BrokerPlan::new(&args.broker)?),
    };
    let mut options = leptos_options()?;
    options.site_addr = args.http;
    let listener = tokio::net::TcpListener::bind(args.http)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (is another program using it? pick another address with --http)",
                args.http
            )
        })?;
    let http_addr = listener.local_addr()?;
    let running = match plan {
        Some(plan) => Some(plan.start(true).await?),
        None => None,
    };
    let handle = running
        .as_ref()
        .map(|running| broker_handle(running, &args, http_addr));
    let router = crate::http::app_router(options, handle);
    tracing::info!("MQTT Deck on http://{http_addr}");
    if running.is_some() {
        tracing::info!("MQTT over WebSocket on ws://{http_addr}/mqtt (the app's own origin)");
    }
    let draining = CancellationToken::new();
    let started_draining = draining.clone();
    let server = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        signals.wait().await;
        if let Some(running) = running {
            running.shutdown().await;
        }
        started_draining.cancel();
    });
    tokio::select! {
        served = server => served.context("HTTP server failed")?,
        () = async { draining.cancelled().await; tokio::time::sleep(HTTP_DRAIN).await } => {
            tracing::warn!("HTTP connections still open after {HTTP_DRAIN:?}; exiting anyway");
        }
    }
    Ok(())
}

fn broker_handle(running: &RunningBroker, args: &ServeArgs, http_addr: SocketAddr) -> BrokerHandle {
    let mut endpoints = running.endpoints.clone();
    endpoints.push(Endpoint {
        transport: Transport::WebSocket,
        url: format!("ws://{http_addr}{}", broker::listener::MQTT_PATH),
    });
    BrokerHandle {
        broker: running.broker.clone(),
        gate: running.gate.clone(),
        max_packet_size: args.broker.limits.max_packet_size as usize,
        ws_frame_interval: Duration::from_millis(args.broker.limits.ws_frame_interval),
        endpoints: Arc::new(endpoints),
    }
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
