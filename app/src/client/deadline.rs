//! The session's next deadline (keep alive, CONNACK and ping timeouts) as one browser
//! timer that lasts across the driver's turns. Under a flood the driver turns hundreds of
//! times a second; arming a fresh `setTimeout` and clearing the old one at each turn was
//! work for nothing, since the deadline rarely comes closer. The timer is re-armed only
//! when it fired or the deadline came earlier than it; one that fires early finds nothing
//! due (the session checks its deadlines against the clock) and is armed again.

use futures::future::{Fuse, FusedFuture, FutureExt};
use gloo_timers::future::TimeoutFuture;

/// The longest wait armed at once, so a timer is always armed.
const MAX_WAIT_MS: u64 = 600_000;

pub struct DeadlineTimer {
    /// The monotonic time the armed timer fires at.
    armed_for: u64,
    timer: Fuse<TimeoutFuture>,
}

impl DeadlineTimer {
    pub fn new() -> Self {
        DeadlineTimer {
            armed_for: u64::MAX,
            timer: Fuse::terminated(),
        }
    }

    /// Makes sure the timer fires by `deadline` (`None`: only the longest wait), both on
    /// the monotonic clock that reads `now`.
    pub fn arm(&mut self, deadline: Option<u64>, now: u64) -> &mut Fuse<TimeoutFuture> {
        let wanted = deadline
            .unwrap_or(u64::MAX)
            .min(now.saturating_add(MAX_WAIT_MS));
        if self.timer.is_terminated() || wanted < self.armed_for {
            let wait = wanted.saturating_sub(now);
            self.armed_for = wanted;
            self.timer = TimeoutFuture::new(u32::try_from(wait).unwrap_or(u32::MAX)).fuse();
        }
        &mut self.timer
    }
}
