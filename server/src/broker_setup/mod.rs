//! Starting and stopping the built-in broker as the options describe: which listeners
//! on which addresses (loopback unless `--allow-remote`), with which certificate, and
//! the broker behind them. Logs each bound address in a form scripts can read, e.g.
//! `MQTT over TCP on 127.0.0.1:1883`.

mod config;
mod tls;

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::bail;
use broker::listener::{ConnectionGate, Listener, ListenerOptions, TlsIdentity};
use broker::{Broker, Transport};
use serde::Serialize;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::cli::BrokerArgs;
use crate::listen_addr::{check_reachability, ListenAddr};

pub use config::{broker_config, limits};

/// How long connected clients get to be told and to leave before the process exits.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

const DEFAULT_MQTT: &str = "127.0.0.1:1883";
const DEFAULT_WS: &str = "127.0.0.1:8083";

/// A listener to start.
#[derive(Debug, Clone, Copy)]
struct Planned {
    transport: Transport,
    addr: SocketAddr,
    /// Chosen by default rather than asked for: when its port is taken, the app goes
    /// on without it instead of failing.
    by_default: bool,
}

/// A listening endpoint, as the dashboard and the logs show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub transport: Transport,
    pub url: String,
}

/// What `start` needs, checked before anything binds.
pub struct BrokerPlan {
    listeners: Vec<Planned>,
    tls: Option<TlsIdentity>,
    config: broker::BrokerConfig,
    allow_remote: bool,
}

/// The broker and its listeners, running.
pub struct RunningBroker {
    pub broker: Broker,
    /// Shared with the app's `/mqtt` route, so the connection limit covers it too.
    pub gate: ConnectionGate,
    pub endpoints: Vec<Endpoint>,
    stop: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl BrokerPlan {
    /// Checks addresses, reads the password, ACL and certificate files.
    pub fn new(args: &BrokerArgs) -> anyhow::Result<Self> {
        let listeners = planned_listeners(args)?;
        warn_if_remote_clients_cannot_get_in(args, &listeners);
        let tls = tls::identity(args, &listeners_needing_tls(&listeners))?;
        let config = broker_config(args)?;
        Ok(Self {
            listeners,
            tls,
            config,
            allow_remote: args.allow_remote,
        })
    }

    /// Whether anything outside this machine may reach a listener.
    pub fn allow_remote(&self) -> bool {
        self.allow_remote
    }

    /// Binds every listener and starts serving. `soft_defaults`: a default address
    /// whose port is taken is skipped with a warning (the app has its own `/mqtt`).
    pub async fn start(self, soft_defaults: bool) -> anyhow::Result<RunningBroker> {
        let broker = Broker::new(self.config.clone());
        let gate = ConnectionGate::new(self.config.limits.max_connections);
        let options = ListenerOptions::from_limits(&self.config.limits);
        let stop = CancellationToken::new();
        let mut endpoints = Vec::new();
        let mut tasks = Vec::new();
        for planned in &self.listeners {
            let listener = match Listener::bind(planned.transport, planned.addr, self.tls.as_ref())
                .await
            {
                Ok(listener) => listener,
                Err(error) if soft_defaults && planned.by_default => {
                    tracing::warn!("{error}; going on without it (choose another address with --mqtt / --ws, or `off`)");
                    continue;
                }
                Err(error) => return Err(error.into()),
            };
            tracing::info!("{}", listener.describe());
            endpoints.push(Endpoint {
                transport: listener.transport(),
                url: listener.url(),
            });
            let serve = listener.serve(broker.clone(), gate.clone(), options, stop.clone());
            tasks.push(tokio::spawn(serve));
        }
        if endpoints.is_empty() && !soft_defaults {
            bail!(
                "no broker listener is enabled: give at least one of --mqtt, --ws, --mqtts, --wss"
            );
        }
        Ok(RunningBroker {
            broker,
            gate,
            endpoints,
            stop,
            tasks,
        })
    }
}

impl RunningBroker {
    /// Stops accepting, tells every client the server is shutting down (MQTT 5:
    /// DISCONNECT 0x8B) and waits, a bounded time, for them to go.
    pub async fn shutdown(self) {
        self.stop.cancel();
        for task in self.tasks {
            let _ = task.await;
        }
        if tokio::time::timeout(SHUTDOWN_GRACE, self.broker.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("clients still connected after {SHUTDOWN_GRACE:?}; closing anyway");
        }
    }
}

fn planned_listeners(args: &BrokerArgs) -> anyhow::Result<Vec<Planned>> {
    let mut planned = Vec::new();
    let choices = [
        (Transport::Tcp, "mqtt", args.mqtt, Some(DEFAULT_MQTT)),
        (Transport::WebSocket, "ws", args.ws, Some(DEFAULT_WS)),
        (Transport::Tls, "mqtts", args.mqtts, None),
        (Transport::WebSocketTls, "wss", args.wss, None),
    ];
    for (transport, flag, chosen, default) in choices {
        let (addr, by_default) = match (chosen, default) {
            (Some(ListenAddr(addr)), _) => (addr, false),
            (None, Some(default)) => (default.parse().ok(), true),
            (None, None) => (None, false),
        };
        let Some(addr) = addr else { continue };
        check_reachability(flag, addr, args.allow_remote).map_err(anyhow::Error::msg)?;
        planned.push(Planned {
            transport,
            addr,
            by_default,
        });
    }
    Ok(planned)
}

/// Anonymous clients are welcome from loopback only by default: listening beyond
/// it without a way to log in would refuse every remote client, which surprises.
fn warn_if_remote_clients_cannot_get_in(args: &BrokerArgs, listeners: &[Planned]) {
    let reachable_remotely = listeners
        .iter()
        .any(|planned| !planned.addr.ip().is_loopback());
    if reachable_remotely && args.passwords.is_none() && args.anonymous.is_none() {
        tracing::warn!(
            "listening beyond loopback without --passwords: clients from other machines will be \
             refused (anonymous clients are accepted from this machine only); add --passwords FILE \
             or --anonymous always"
        );
    }
}

fn listeners_needing_tls(listeners: &[Planned]) -> Vec<SocketAddr> {
    listeners
        .iter()
        .filter(|planned| matches!(planned.transport, Transport::Tls | Transport::WebSocketTls))
        .map(|planned| planned.addr)
        .collect()
}
