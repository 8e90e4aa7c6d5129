//! The broker-wide traffic counters, bumped lock-free by every connection, and the
//! per-second rates sampled from them once a second.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use parking_lot::Mutex;

use crate::stats::Rates;

/// Totals since start.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub connections_total: AtomicU64,
    pub messages_received: AtomicU64,
    pub messages_sent: AtomicU64,
    pub publish_received: AtomicU64,
    pub publish_sent: AtomicU64,
    pub publish_dropped: AtomicU64,
    pub bytes_received: AtomicU64,
    pub bytes_sent: AtomicU64,
    rates: Mutex<RateState>,
}

#[derive(Debug, Default)]
struct RateState {
    last: Option<(Instant, [u64; 6])>,
    rates: Rates,
}

/// How much of the new sample goes into the smoothed rate.
const SMOOTHING: f64 = 0.5;

impl Counters {
    pub fn add(counter: &AtomicU64, amount: u64) {
        counter.fetch_add(amount, Ordering::Relaxed);
    }

    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    fn sample(&self) -> [u64; 6] {
        [
            Self::get(&self.messages_received),
            Self::get(&self.messages_sent),
            Self::get(&self.publish_received),
            Self::get(&self.publish_sent),
            Self::get(&self.bytes_received),
            Self::get(&self.bytes_sent),
        ]
    }

    /// Folds the traffic since the previous call into the smoothed rates.
    pub fn update_rates(&self, now: Instant) {
        let sample = self.sample();
        let mut state = self.rates.lock();
        if let Some((then, previous)) = state.last {
            let seconds = now.saturating_duration_since(then).as_secs_f64();
            if seconds > 0.0 {
                let rate = |index: usize| {
                    let (Some(new), Some(old)) = (sample.get(index), previous.get(index)) else {
                        return 0.0;
                    };
                    new.saturating_sub(*old) as f64 / seconds
                };
                let smooth = |old: f64, new: f64| old + SMOOTHING * (new - old);
                let rates = &mut state.rates;
                rates.messages_received = smooth(rates.messages_received, rate(0));
                rates.messages_sent = smooth(rates.messages_sent, rate(1));
                rates.publish_received = smooth(rates.publish_received, rate(2));
                rates.publish_sent = smooth(rates.publish_sent, rate(3));
                rates.bytes_received = smooth(rates.bytes_received, rate(4));
                rates.bytes_sent = smooth(rates.bytes_sent, rate(5));
            }
        }
        state.last = Some((now, sample));
    }

    pub fn rates(&self) -> Rates {
        self.rates.lock().rates
    }
}
