//! `Broker`: the cheap, cloneable handle the listeners and the server hold. It owns the
//! shared state (sessions, subscriptions, retained messages, statistics) and runs one
//! task per client connection.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};

use crate::config::BrokerConfig;
use crate::core::Core;
use crate::info::ConnectionInfo;
use crate::stats::BrokerStats;

/// How long [`Broker::shutdown`] waits for connections to close.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// The broker. Clone it freely: clones share one broker.
#[derive(Clone)]
pub struct Broker {
    core: Arc<Core>,
}

impl std::fmt::Debug for Broker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Broker")
            .field("config", &self.core.config)
            .finish_non_exhaustive()
    }
}

impl Broker {
    /// A broker with `config`. Background work (`$SYS` topics, rates, keep alive) starts at once
    /// when called inside a Tokio runtime, else with the first connection.
    pub fn new(config: BrokerConfig) -> Broker {
        let broker = Broker {
            core: Arc::new(Core::new(config)),
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            broker.core.start_background();
        }
        broker
    }

    /// The configuration the broker runs with.
    pub fn config(&self) -> &BrokerConfig {
        &self.core.config
    }

    /// Runs one client connection to its end: CONNECT, the session, DISCONNECT or a
    /// dropped socket. Never panics on anything the peer sends.
    pub fn serve_connection<S>(
        &self,
        stream: S,
        info: ConnectionInfo,
    ) -> impl Future<Output = ()> + Send + 'static
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        // Returned as is, not awaited in an `async` block, which would keep its
        // captures (the stream among them) beside the connection's future for the
        // connection's whole life. The connection starts the background work on its
        // first poll (that needs the runtime).
        crate::connection::serve(self.core.clone(), stream, info)
    }

    /// Disconnects every client (MQTT 5 clients get DISCONNECT 0x8B, server shutting
    /// down) and refuses new ones; completes when every connection has closed, or
    /// after a few seconds.
    pub fn shutdown(&self) -> impl Future<Output = ()> + Send + 'static {
        let core = self.core.clone();
        async move {
            core.begin_shutdown();
            let mut connections = core.connections.subscribe();
            let all_closed = connections.wait_for(|open| *open == 0);
            if tokio::time::timeout(SHUTDOWN_TIMEOUT, all_closed)
                .await
                .is_err()
            {
                tracing::warn!(
                    open = *core.connections.borrow(),
                    "shutdown: connections still open after {SHUTDOWN_TIMEOUT:?}"
                );
            }
        }
    }

    /// Whether [`Broker::shutdown`] was called.
    pub fn is_shut_down(&self) -> bool {
        self.core.is_shutting_down()
    }

    /// A snapshot of clients, subscriptions, counters and rates.
    pub fn stats(&self) -> BrokerStats {
        self.core.stats()
    }

    /// Publishes the `$SYS/broker/...` statistics now, without waiting for the next
    /// interval.
    pub fn publish_sys_topics(&self) {
        crate::sys_topics::publish_sys(&self.core);
    }
}
