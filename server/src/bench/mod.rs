//! `mqttdeck bench`: a load generator for any MQTT broker, in the manner of `mqttx
//! bench`. Modes: `conn` (open connections, report the connect rate, hold them idle),
//! `pub`, `sub`, and `pubsub` (both at once: end-to-end throughput and latency, from a
//! timestamp publishers stamp into each payload). Clients are `rumqttc`'s, over TCP.
//!
//! The numbers describe broker and client together, on one machine: the same client
//! must be used for brokers that are compared.

pub mod args;
mod client;
mod conn;
mod latency;
mod publisher;
mod pubsub;
mod report;
mod subscriber;

use std::io::Write;

use anyhow::bail;

use args::{BenchArgs, BenchMode, TargetArgs};
use client::ClientSpec;
use report::Report;

/// Largest packet the MQTT specification allows.
const PROTOCOL_MAX_PACKET: u32 = 268_435_455;
/// Room for the fixed header, topic and properties on top of the payload.
const PACKET_HEADROOM: u32 = 65_536 + 1024;

/// Runs one benchmark and prints its report on standard output (progress goes to
/// standard error). Fails when no client could connect at all.
pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let (report, json) = match args.mode {
        BenchMode::Conn(args) => {
            let json = args.target.json;
            (conn::run(args).await, json)
        }
        BenchMode::Pub(args) => {
            let json = args.target.json;
            (pubsub::run_pub(args).await?, json)
        }
        BenchMode::Sub(args) => {
            let json = args.target.json;
            (pubsub::run_sub(args).await?, json)
        }
        BenchMode::Pubsub(args) => {
            let json = args.target.json;
            (pubsub::run_pubsub(args).await?, json)
        }
    };
    print_report(&report, json);
    if report.connections.connected == 0 {
        let why = report.error_samples.first().cloned().unwrap_or_default();
        bail!("no client could connect to {} ({why})", report.broker);
    }
    Ok(())
}

fn print_report(report: &Report, json: bool) {
    let text = match json {
        true => format!("{}\n", report.to_json()),
        false => report.to_string(),
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// What a client does in a run; part of its client identifier.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Role {
    Conn,
    Pub,
    Sub,
}

impl Role {
    fn label(self) -> &'static str {
        match self {
            Self::Conn => "conn",
            Self::Pub => "pub",
            Self::Sub => "sub",
        }
    }
}

/// `PREFIX-PID-ROLE-N` for N in `0..count`: unique per process, so two benchmarks on one
/// machine do not take over each other's sessions.
fn client_ids(spec: &ClientSpec, role: Role, count: usize) -> Vec<String> {
    let pid = std::process::id();
    (0..count)
        .map(|n| format!("{}-{pid}-{}-{n}", spec.id_prefix, role.label()))
        .collect()
}

/// How every client of a run connects: `inflight` QoS 1/2 messages, payloads up to
/// `payload` bytes, `queue` requests buffered ahead of the event loop.
fn client_spec(target: &TargetArgs, inflight: u16, payload: u32, queue: usize) -> ClientSpec {
    ClientSpec {
        id_prefix: target.client_id_prefix.clone(),
        host: target.host.clone(),
        port: target.port,
        protocol: target.protocol,
        keep_alive: std::time::Duration::from_secs(u64::from(target.keep_alive)),
        credentials: target.username.clone().zip(target.password.clone()),
        max_packet_size: payload
            .saturating_add(PACKET_HEADROOM)
            .min(PROTOCOL_MAX_PACKET),
        inflight,
        queue,
    }
}

/// `pattern` with every `%i` replaced by `n`.
fn expand(pattern: &str, n: usize) -> String {
    pattern.replace("%i", &n.to_string())
}
