//! The connection limit, enforced the moment a socket is accepted: a connection past
//! the limit is closed before any handshake or MQTT costs the broker anything. One
//! gate is shared by every listener (and by the HTTP server's `/mqtt` route), so the
//! limit counts connections over all transports together.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Counts open connections against a limit. Cheap to clone; clones share the count.
#[derive(Debug, Clone)]
pub struct ConnectionGate {
    permits: Arc<Semaphore>,
    limit: usize,
    refused: Arc<AtomicU64>,
    last_warning_secs: Arc<AtomicU64>,
}

/// Held for as long as a connection is open; dropping it frees its place.
#[derive(Debug)]
pub struct ConnectionPermit {
    _permit: OwnedSemaphorePermit,
}

impl ConnectionGate {
    /// A gate letting at most `limit` connections in at once.
    pub fn new(limit: usize) -> Self {
        let limit = limit.min(Semaphore::MAX_PERMITS);
        Self {
            permits: Arc::new(Semaphore::new(limit)),
            limit,
            refused: Arc::new(AtomicU64::new(0)),
            last_warning_secs: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A place for one more connection, or `None` (logged, at most once a second)
    /// when the limit is reached.
    pub fn try_enter(&self) -> Option<ConnectionPermit> {
        match Arc::clone(&self.permits).try_acquire_owned() {
            Ok(permit) => Some(ConnectionPermit { _permit: permit }),
            Err(_) => {
                self.refused.fetch_add(1, Ordering::Relaxed);
                self.warn_full();
                None
            }
        }
    }

    /// Connections open right now.
    pub fn open_connections(&self) -> usize {
        self.limit.saturating_sub(self.permits.available_permits())
    }

    /// The most connections let in at once.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Connections closed at accept because the limit was reached, since start.
    pub fn refused_connections(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// A flood of refused connections must not become a flood of log lines.
    fn warn_full(&self) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let last = self.last_warning_secs.swap(now, Ordering::Relaxed);
        if last != now {
            tracing::warn!(
                limit = self.limit,
                refused = self.refused_connections(),
                "connection limit reached: closing new connections (raise it with --max-connections)"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_and_frees_places_on_drop() {
        let gate = ConnectionGate::new(2);
        let first = gate.try_enter();
        let second = gate.try_enter();
        assert!(first.is_some() && second.is_some());
        assert!(gate.try_enter().is_none());
        assert_eq!(gate.open_connections(), 2);
        assert_eq!(gate.refused_connections(), 1);
        drop(first);
        assert_eq!(gate.open_connections(), 1);
        assert!(gate.try_enter().is_some());
    }

    #[test]
    fn a_zero_limit_refuses_everyone() {
        let gate = ConnectionGate::new(0);
        assert!(gate.try_enter().is_none());
    }
}
