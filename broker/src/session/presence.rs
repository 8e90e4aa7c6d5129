//! A connected client as the rest of the broker sees it: the reason its connection
//! was told to stop (takeover, shutdown, keep alive), when it last heard from its
//! client, and the live figures the dashboard lists. Whoever kicks a connection also
//! wakes it through its session's mailbox.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use mqtt::{ProtocolVersion, ReasonCode};
use parking_lot::Mutex;

use crate::info::ConnectionInfo;

/// Fixed facts about a connection, known once CONNECT is accepted.
#[derive(Debug, Clone)]
pub(crate) struct ClientInfo {
    /// A boxed `str` rather than a `String`: kept for the connection's life, never
    /// grown, and the spare capacity field would be paid by every connection.
    pub username: Option<Box<str>>,
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
    /// When the last packet arrived, in milliseconds of the broker's uptime; read by
    /// the broker-wide keep-alive watch (`crate::keep_alive`).
    last_received_ms: AtomicU64,
    inflight: AtomicU32,
    subscriptions: AtomicU32,
}

impl Presence {
    /// A connection that last heard from its client at `now_ms` (broker uptime).
    pub fn new(info: ClientInfo, now_ms: u64) -> Self {
        Self {
            info,
            kick_reason: Mutex::new(None),
            last_received_ms: AtomicU64::new(now_ms),
            inflight: AtomicU32::new(0),
            subscriptions: AtomicU32::new(0),
        }
    }

    /// Packets arrived at `now_ms` (broker uptime).
    pub fn received_at(&self, now_ms: u64) {
        self.last_received_ms.store(now_ms, Ordering::Relaxed);
    }

    /// Whether keep alive is on and nothing arrived for 1.5 × keep alive (spec
    /// 3.1.2.10) up to `now_ms` (broker uptime).
    pub fn keep_alive_expired(&self, now_ms: u64) -> bool {
        let grace_ms = u64::from(self.info.keep_alive) * 1500;
        let last = self.last_received_ms.load(Ordering::Relaxed);
        grace_ms > 0 && now_ms.saturating_sub(last) >= grace_ms
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

    /// Both are bounded far below `u32::MAX` (65,535 packet identifiers, the
    /// subscription limit), so 32 bits each keep the presence small.
    pub fn set_counts(&self, inflight: usize, subscriptions: usize) {
        let narrow = |count: usize| u32::try_from(count).unwrap_or(u32::MAX);
        self.inflight.store(narrow(inflight), Ordering::Relaxed);
        self.subscriptions
            .store(narrow(subscriptions), Ordering::Relaxed);
    }

    pub fn inflight(&self) -> usize {
        self.inflight.load(Ordering::Relaxed) as usize
    }

    pub fn subscriptions(&self) -> usize {
        self.subscriptions.load(Ordering::Relaxed) as usize
    }
}
