//! A connected client as the rest of the broker sees it: the reason its connection
//! was told to stop (takeover, shutdown), and the live figures the dashboard lists.
//! Whoever kicks a connection also wakes it through its session's mailbox.

use std::sync::atomic::{AtomicUsize, Ordering};

use mqtt::{ProtocolVersion, ReasonCode};
use parking_lot::Mutex;

use crate::info::ConnectionInfo;

/// Fixed facts about a connection, known once CONNECT is accepted.
#[derive(Debug, Clone)]
pub(crate) struct ClientInfo {
    pub username: Option<String>,
    pub protocol: ProtocolVersion,
    pub connection: ConnectionInfo,
    pub connected_since_ms: u64,
    pub keep_alive: u16,
}

/// The handle of the connection currently attached to a session.
#[derive(Debug)]
pub(crate) struct Presence {
    pub info: ClientInfo,
    kick_reason: Mutex<Option<ReasonCode>>,
    inflight: AtomicUsize,
    subscriptions: AtomicUsize,
}

impl Presence {
    pub fn new(info: ClientInfo) -> Self {
        Self {
            info,
            kick_reason: Mutex::new(None),
            inflight: AtomicUsize::new(0),
            subscriptions: AtomicUsize::new(0),
        }
    }

    /// Asks the connection to end, telling the client `reason` (MQTT 5); the first
    /// reason given wins. The caller wakes the connection.
    pub fn kick(&self, reason: ReasonCode) {
        self.kick_reason.lock().get_or_insert(reason);
    }

    /// The reason given to [`Presence::kick`], once it was called.
    pub fn kicked(&self) -> Option<ReasonCode> {
        *self.kick_reason.lock()
    }

    pub fn set_counts(&self, inflight: usize, subscriptions: usize) {
        self.inflight.store(inflight, Ordering::Relaxed);
        self.subscriptions.store(subscriptions, Ordering::Relaxed);
    }

    pub fn inflight(&self) -> usize {
        self.inflight.load(Ordering::Relaxed)
    }

    pub fn subscriptions(&self) -> usize {
        self.subscriptions.load(Ordering::Relaxed)
    }
}
