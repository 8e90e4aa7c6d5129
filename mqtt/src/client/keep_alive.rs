//! The keep-alive timer: a PINGREQ when nothing was sent for the keep-alive interval,
//! and a deadline for its PINGRESP. Times are milliseconds of the caller's clock.

/// What the keep-alive timer wants done at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeepAliveAction {
    Nothing,
    SendPing,
    /// No PINGRESP arrived; the connection is dead.
    TimedOut {
        waited_ms: u64,
    },
}

/// Keep-alive bookkeeping for one connection.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeepAlive {
    /// 0 when keep-alive is off or no connection is up.
    interval_ms: u64,
    ping_timeout_ms: u64,
    last_sent: u64,
    ping_sent_at: Option<u64>,
}

impl KeepAlive {
    /// Starts the timer for a connection with a keep-alive of `keep_alive_secs`.
    pub(crate) fn start(&mut self, now: u64, keep_alive_secs: u16, ping_timeout_ms: u64) {
        *self = Self {
            interval_ms: u64::from(keep_alive_secs) * 1000,
            ping_timeout_ms,
            last_sent: now,
            ping_sent_at: None,
        };
    }

    /// Stops the timer: no connection, no pings.
    pub(crate) fn stop(&mut self) {
        *self = Self::default();
    }

    /// Any packet sent counts as activity.
    pub(crate) fn on_sent(&mut self, now: u64) {
        self.last_sent = self.last_sent.max(now);
    }

    pub(crate) fn on_ping_sent(&mut self, now: u64) {
        self.ping_sent_at = Some(now);
    }

    /// PINGRESP arrived; the round trip in milliseconds, if a ping was outstanding.
    pub(crate) fn on_pong(&mut self, now: u64) -> Option<u64> {
        self.ping_sent_at
            .take()
            .map(|sent| now.saturating_sub(sent))
    }

    /// When `on_timeout` next has something to do.
    pub(crate) fn deadline(&self) -> Option<u64> {
        if self.interval_ms == 0 {
            return None;
        }
        Some(match self.ping_sent_at {
            Some(sent) => sent.saturating_add(self.ping_timeout_ms),
            None => self.last_sent.saturating_add(self.interval_ms),
        })
    }

    pub(crate) fn on_timeout(&self, now: u64) -> KeepAliveAction {
        match self.deadline() {
            Some(deadline) if now >= deadline => match self.ping_sent_at {
                Some(sent) => KeepAliveAction::TimedOut {
                    waited_ms: now.saturating_sub(sent),
                },
                None => KeepAliveAction::SendPing,
            },
            _ => KeepAliveAction::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_after_an_idle_interval_and_times_out_without_answer() {
        let mut timer = KeepAlive::default();
        timer.start(1_000, 10, 3_000);
        assert_eq!(timer.deadline(), Some(11_000));
        assert_eq!(timer.on_timeout(10_999), KeepAliveAction::Nothing);
        assert_eq!(timer.on_timeout(11_000), KeepAliveAction::SendPing);
        timer.on_sent(11_000);
        timer.on_ping_sent(11_000);
        assert_eq!(timer.deadline(), Some(14_000));
        assert_eq!(
            timer.on_timeout(14_500),
            KeepAliveAction::TimedOut { waited_ms: 3_500 }
        );
    }

    #[test]
    fn sending_postpones_the_ping_and_pong_reports_the_round_trip() {
        let mut timer = KeepAlive::default();
        timer.start(0, 5, 1_000);
        timer.on_sent(4_000);
        assert_eq!(timer.deadline(), Some(9_000));
        timer.on_ping_sent(9_000);
        assert_eq!(timer.on_pong(9_040), Some(40));
        assert_eq!(timer.on_pong(9_050), None);
    }

    #[test]
    fn keep_alive_zero_never_pings() {
        let mut timer = KeepAlive::default();
        timer.start(0, 0, 1_000);
        assert_eq!(timer.deadline(), None);
        assert_eq!(timer.on_timeout(u64::MAX), KeepAliveAction::Nothing);
    }
}
