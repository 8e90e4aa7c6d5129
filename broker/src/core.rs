//! The state every connection shares: configuration, the subscription tree, retained
//! messages, sessions and counters, and the one publish path all messages take
//! (clients, wills and `$SYS` alike).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use mqtt::ReasonCode;
use tokio::sync::watch;

use crate::config::BrokerConfig;
use crate::counters::Counters;
use crate::message::Message;
use crate::retained::RetainedStore;
use crate::router::{Routed, Router};
use crate::session::Registry;
use crate::stats::{BrokerStats, ClientStats, Totals};

/// The broker's shared state, behind the `Broker` handle.
#[derive(Debug)]
pub(crate) struct Core {
    pub config: BrokerConfig,
    pub router: Router,
    pub retained: RetainedStore,
    pub registry: Registry,
    pub counters: Counters,
    pub started: Instant,
    /// Becomes true when the broker shuts down (for connections still in CONNECT).
    pub shutdown: watch::Sender<bool>,
    shutting_down: AtomicBool,
    /// Open connections (accepted, CONNECT or not).
    pub connections: watch::Sender<usize>,
    /// The background tasks (`$SYS` topics, rates, keep alive) were started.
    background_started: AtomicBool,
}

impl Core {
    pub fn new(config: BrokerConfig) -> Self {
        let retained = RetainedStore::new(config.limits.max_retained_messages);
        Self {
            config,
            router: Router::default(),
            retained,
            registry: Registry::default(),
            counters: Counters::default(),
            started: Instant::now(),
            shutdown: watch::Sender::new(false),
            shutting_down: AtomicBool::new(false),
            connections: watch::Sender::new(0),
            background_started: AtomicBool::new(false),
        }
    }

    /// Starts the background tasks, once; must run inside a Tokio runtime.
    pub fn start_background(self: &Arc<Self>) {
        if self.background_started.swap(true, Ordering::AcqRel) {
            return;
        }
        tokio::spawn(crate::sys_topics::run(Arc::downgrade(self)));
        tokio::spawn(crate::keep_alive::run(Arc::downgrade(self)));
    }

    /// Stores a retained message and queues the message for every matching session.
    pub fn publish(&self, message: Message) -> Routed {
        let message = Arc::new(message);
        if message.retain {
            if let Err(full) = self.retained.store(&message) {
                tracing::warn!(topic = %message.topic, "retained message not stored: {full}");
            }
        }
        let routed = self.router.route(&message);
        if routed.dropped > 0 {
            Counters::add(&self.counters.publish_dropped, routed.dropped as u64);
        }
        routed
    }

    /// Milliseconds since the broker started: a clock connections can store in an
    /// atomic.
    pub fn uptime_millis(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::Acquire)
    }

    /// Refuses new clients and tells every connection to end (MQTT 5 clients hear
    /// 0x8B, server shutting down).
    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::Release);
        self.shutdown.send_replace(true);
        self.registry.kick_all(ReasonCode::ServerShuttingDown);
    }

    pub fn stats(&self) -> BrokerStats {
        let clients: Vec<ClientStats> = self
            .registry
            .online()
            .into_iter()
            .map(|(session, presence)| ClientStats {
                client_id: session.client_id.to_string(),
                username: presence.info.username.as_deref().map(str::to_owned),
                protocol: presence.info.protocol.name().to_owned(),
                transport: presence.info.connection.transport,
                address: presence.info.connection.remote.to_string(),
                connected_since_ms: presence.info.connected_since_ms,
                keep_alive: presence.info.keep_alive,
                subscriptions: presence.subscriptions(),
                inflight: presence.inflight(),
                queued: session.mailbox.len(),
                dropped: session.mailbox.dropped(),
            })
            .collect();
        let subscriptions = self.router.list();
        let counters = &self.counters;
        let totals = Totals {
            clients_connected: clients.len(),
            connections_total: Counters::get(&counters.connections_total),
            messages_received: Counters::get(&counters.messages_received),
            messages_sent: Counters::get(&counters.messages_sent),
            publish_received: Counters::get(&counters.publish_received),
            publish_sent: Counters::get(&counters.publish_sent),
            publish_dropped: Counters::get(&counters.publish_dropped),
            bytes_received: Counters::get(&counters.bytes_received),
            bytes_sent: Counters::get(&counters.bytes_sent),
            subscription_count: subscriptions.len(),
        };
        BrokerStats {
            version: version(),
            uptime_secs: self.started.elapsed().as_secs(),
            clients,
            offline_sessions: self.registry.offline_count(),
            subscriptions,
            retained_count: self.retained.len(),
            totals,
            rates: counters.rates(),
        }
    }
}

/// "mqttdeck 0.1.0".
pub(crate) fn version() -> String {
    format!("mqttdeck {}", env!("CARGO_PKG_VERSION"))
}

/// Milliseconds since the Unix epoch.
pub(crate) fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}
