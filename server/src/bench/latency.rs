//! End-to-end latency: the timestamp publishers stamp into each payload, and the
//! histogram subscribers record the delay into (microseconds, HdrHistogram, three
//! significant digits), merged over all subscribers at the end.
//!
//! The stamp is wall-clock time (nanoseconds since the Unix epoch) rather than a
//! process-local clock, so `bench sub` in one process can time messages from
//! `bench pub` in another on the same machine.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hdrhistogram::Histogram;
use serde::Serialize;

/// Marks a payload as stamped by `mqttdeck bench`.
const MAGIC: &[u8; 4] = b"MQDB";
/// Bytes the stamp takes at the start of a payload.
pub const STAMP_LEN: usize = MAGIC.len() + 8;
/// Longest delay the histogram tells apart; longer ones count as this.
const MAX_MICROS: u64 = 60_000_000;

/// Now, as nanoseconds since the Unix epoch (0 if the clock is before 1970).
fn now_nanos() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| u64::try_from(since.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// A payload of `size` bytes that starts with the current time when there is room for it.
pub fn stamped_payload(size: usize) -> Vec<u8> {
    let mut payload = vec![b'x'; size];
    if let Some(stamp) = payload.get_mut(..STAMP_LEN) {
        stamp[..MAGIC.len()].copy_from_slice(MAGIC);
        stamp[MAGIC.len()..].copy_from_slice(&now_nanos().to_be_bytes());
    }
    payload
}

/// How long ago a stamped payload was published; `None` for a payload without a stamp.
pub fn age_of(payload: &[u8]) -> Option<Duration> {
    let stamp = payload.get(..STAMP_LEN)?;
    if &stamp[..MAGIC.len()] != MAGIC {
        return None;
    }
    let sent = u64::from_be_bytes(stamp[MAGIC.len()..].try_into().ok()?);
    Some(Duration::from_nanos(now_nanos().saturating_sub(sent)))
}

/// Delays recorded so far.
pub struct Latencies {
    histogram: Option<Histogram<u64>>,
}

impl Default for Latencies {
    fn default() -> Self {
        Self::new()
    }
}

impl Latencies {
    pub fn new() -> Self {
        // Bounds are constants the constructor accepts; `None` would only lose latency.
        Self {
            histogram: Histogram::new_with_bounds(1, MAX_MICROS, 3).ok(),
        }
    }

    pub fn record(&mut self, delay: Duration) {
        if let Some(histogram) = &mut self.histogram {
            let micros = u64::try_from(delay.as_micros()).unwrap_or(u64::MAX);
            histogram.saturating_record(micros.clamp(1, MAX_MICROS));
        }
    }

    /// Adds another subscriber's delays to these.
    pub fn merge(&mut self, other: &Latencies) {
        if let (Some(mine), Some(theirs)) = (&mut self.histogram, &other.histogram) {
            // Both histograms share the same bounds, so adding cannot fail.
            let _ = mine.add(theirs);
        }
    }

    /// Percentiles, or `None` when nothing was recorded.
    pub fn summary(&self) -> Option<LatencySummary> {
        let histogram = self.histogram.as_ref().filter(|h| !h.is_empty())?;
        let millis = |micros: u64| micros as f64 / 1000.0;
        Some(LatencySummary {
            samples: histogram.len(),
            mean_ms: histogram.mean() / 1000.0,
            p50_ms: millis(histogram.value_at_quantile(0.50)),
            p99_ms: millis(histogram.value_at_quantile(0.99)),
            max_ms: millis(histogram.max()),
        })
    }
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencySummary {
    pub samples: u64,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_stamp_is_young_and_a_foreign_payload_has_no_age() {
        let payload = stamped_payload(64);
        assert_eq!(payload.len(), 64);
        let age = age_of(&payload).expect("stamped");
        assert!(age < Duration::from_secs(5), "{age:?}");
        assert_eq!(age_of(b"hello, world, not ours"), None);
        assert_eq!(age_of(&stamped_payload(STAMP_LEN - 1)), None);
    }

    #[test]
    fn percentiles_come_from_all_merged_recordings() {
        let mut first = Latencies::new();
        for millis in 1..=99 {
            first.record(Duration::from_millis(millis));
        }
        let mut second = Latencies::new();
        second.record(Duration::from_secs(3));
        first.merge(&second);
        let summary = first.summary().expect("samples");
        assert_eq!(summary.samples, 100);
        assert!((summary.p50_ms - 50.0).abs() < 0.1, "{summary:?}");
        assert!((summary.max_ms - 3000.0).abs() < 3.0, "{summary:?}");
        assert_eq!(Latencies::new().summary(), None);
    }
}
