//! What a benchmark run measured, printed as aligned text for people or as one JSON
//! object for scripts; and the tally of errors the clients met on the way.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;

use super::latency::LatencySummary;

/// Distinct error messages kept as examples; the rest are only counted.
const ERROR_SAMPLES: usize = 5;

/// Errors met by any client, counted, with the first few distinct messages kept.
#[derive(Default)]
pub struct ErrorTally {
    count: AtomicU64,
    samples: Mutex<Vec<String>>,
}

impl ErrorTally {
    pub fn record(&self, what: &str, error: &dyn fmt::Display) {
        self.count.fetch_add(1, Ordering::Relaxed);
        let message = format!("{what}: {error}");
        if let Ok(mut samples) = self.samples.lock() {
            if samples.len() < ERROR_SAMPLES && !samples.contains(&message) {
                samples.push(message);
            }
        }
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    pub fn samples(&self) -> Vec<String> {
        self.samples.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// `count` events over `elapsed`, per second (0 for an empty window).
pub fn per_second(count: u64, elapsed: Duration) -> f64 {
    let seconds = elapsed.as_secs_f64();
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub mode: &'static str,
    pub broker: String,
    pub protocol: &'static str,
    pub connections: ConnectionSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold: Option<HoldSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish: Option<PublishSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receive: Option<ReceiveSummary>,
    pub errors: u64,
    pub error_samples: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConnectionSummary {
    pub attempted: u64,
    pub connected: u64,
    pub failed: u64,
    pub seconds: f64,
    pub per_second: f64,
    /// From the TCP connect to the CONNACK, per connection.
    pub latency: Option<LatencySummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HoldSummary {
    pub seconds: f64,
    /// Connections still open when the hold ended.
    pub still_open: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublishSummary {
    pub publishers: u32,
    pub qos: u8,
    pub payload_bytes: u32,
    /// Messages per second asked for; `None` for flat out.
    pub target_rate: Option<u64>,
    pub messages: u64,
    /// QoS 1/2 acknowledgements received.
    pub acked: Option<u64>,
    pub seconds: f64,
    pub per_second: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReceiveSummary {
    pub subscribers: u32,
    pub messages: u64,
    /// Deliveries the subscriptions called for, when the run can tell.
    pub expected: Option<u64>,
    pub lost: Option<u64>,
    pub seconds: f64,
    pub per_second: f64,
    pub latency: Option<LatencySummary>,
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}"))
    }
}

fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn write_latency(f: &mut fmt::Formatter<'_>, label: &str, latency: &LatencySummary) -> fmt::Result {
    writeln!(
        f,
        "{label:<12}p50 {:.3} ms   p99 {:.3} ms   max {:.3} ms   mean {:.3} ms   ({} samples)",
        latency.p50_ms, latency.p99_ms, latency.max_ms, latency.mean_ms, latency.samples
    )
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "mqttdeck bench {} against {} (MQTT {})",
            self.mode, self.broker, self.protocol
        )?;
        let c = &self.connections;
        writeln!(
            f,
            "{:<12}{} of {} in {:.3} s ({:.0} conn/s), {} failed",
            "connected", c.connected, c.attempted, c.seconds, c.per_second, c.failed
        )?;
        if let Some(latency) = &c.latency {
            write_latency(f, "connect", latency)?;
        }
        if let Some(hold) = &self.hold {
            writeln!(
                f,
                "{:<12}{:.1} s, {} still open at the end",
                "held", hold.seconds, hold.still_open
            )?;
        }
        if let Some(p) = &self.publish {
            let rate = p
                .target_rate
                .map_or("flat out".to_owned(), |r| format!("at {r} msg/s"));
            writeln!(
                f,
                "{:<12}{} in {:.3} s = {:.0} msg/s   ({}, QoS {}, {} B payload, {rate}{})",
                "published",
                plural(p.messages, "msg", "msgs"),
                p.seconds,
                p.per_second,
                plural(u64::from(p.publishers), "publisher", "publishers"),
                p.qos,
                p.payload_bytes,
                p.acked.map_or(String::new(), |a| format!(", {a} acked")),
            )?;
        }
        if let Some(r) = &self.receive {
            let loss = match (r.expected, r.lost) {
                (Some(expected), Some(lost)) => format!(", expected {expected}, lost {lost}"),
                _ => String::new(),
            };
            writeln!(
                f,
                "{:<12}{} in {:.3} s = {:.0} msg/s   ({}{loss})",
                "received",
                plural(r.messages, "msg", "msgs"),
                r.seconds,
                r.per_second,
                plural(u64::from(r.subscribers), "subscriber", "subscribers"),
            )?;
            if let Some(latency) = &r.latency {
                write_latency(f, "latency", latency)?;
            }
        }
        writeln!(f, "{:<12}{}", "errors", self.errors)?;
        for sample in &self.error_samples {
            writeln!(f, "  {sample}")?;
        }
        Ok(())
    }
}
