//! Command-line options of `mqttdeck bench`: which broker to load, with which protocol
//! version, and what each mode (`conn`, `pub`, `sub`, `pubsub`) sends or expects.

use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

/// `mqttdeck bench MODE [OPTIONS]`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub mode: BenchMode,
}

#[derive(Debug, Subcommand)]
pub enum BenchMode {
    /// Open --clients connections, report how fast they connected, then hold them idle
    /// for --duration (so the broker's memory can be measured).
    Conn(ConnArgs),
    /// Publish from --publishers clients, at --rate messages/s in total or flat out.
    Pub(PubArgs),
    /// Subscribe with --subscribers clients and count what arrives (with latency when the
    /// messages come from `mqttdeck bench pub` on this machine).
    Sub(SubArgs),
    /// Publishers and subscribers together: end-to-end throughput and latency.
    ///
    /// Publisher i publishes to --topic with `%i` replaced by i; subscriber j subscribes
    /// to publisher (j mod publishers)'s topic, unless --filter says otherwise. A --topic
    /// without `%i` is one topic every subscriber receives (fan-out).
    #[command(visible_alias = "e2e")]
    Pubsub(PubSubArgs),
}

/// MQTT protocol versions the benchmark client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProtocolVersion {
    #[value(name = "3.1.1", alias = "4")]
    V311,
    #[value(name = "5", alias = "5.0")]
    V5,
}

impl ProtocolVersion {
    pub fn label(self) -> &'static str {
        match self {
            Self::V311 => "3.1.1",
            Self::V5 => "5",
        }
    }
}

/// The broker under test and how every client connects to it.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Broker")]
pub struct TargetArgs {
    /// Broker host (MQTT over TCP).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// Broker port.
    #[arg(long, default_value_t = 1883)]
    pub port: u16,

    /// MQTT protocol version.
    #[arg(long = "version", value_enum, default_value = "3.1.1")]
    pub protocol: ProtocolVersion,

    /// Keep alive, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u16).range(5..))]
    pub keep_alive: u16,

    /// Client identifiers are PREFIX-PID-ROLE-N.
    #[arg(long, value_name = "PREFIX", default_value = "mqttdeck-bench")]
    pub client_id_prefix: String,

    /// User name to log in with.
    #[arg(long, requires = "password")]
    pub username: Option<String>,

    /// Password to log in with.
    #[arg(long, requires = "username")]
    pub password: Option<String>,

    /// Connections being set up at the same time.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub connect_concurrency: u32,

    /// Print the report as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `mqttdeck bench conn`.
#[derive(Debug, Args)]
pub struct ConnArgs {
    /// Connections to open.
    #[arg(long, short = 'c', value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub clients: u32,

    /// How long to hold the connections once they are open, in seconds.
    #[arg(long, short = 'd', value_name = "SECONDS", default_value = "10", value_parser = parse_seconds)]
    pub duration: Duration,

    #[command(flatten)]
    pub target: TargetArgs,
}

/// What publishers send, shared by `pub` and `pubsub`.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Publishing")]
pub struct PublishArgs {
    /// Quality of service of publications and subscriptions.
    #[arg(long, short = 'q', default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=2))]
    pub qos: u8,

    /// Payload size in bytes (12 or more to carry the latency timestamp).
    #[arg(long, short = 's', value_name = "BYTES", default_value_t = 64, value_parser = clap::value_parser!(u32).range(0..=16_777_216))]
    pub size: u32,

    /// Messages per second over all publishers; 0 publishes as fast as possible.
    #[arg(long, short = 'r', value_name = "MSGS_PER_S", default_value_t = 0)]
    pub rate: u64,

    /// How long to publish, in seconds [default: 10, or until --count without it].
    #[arg(long, short = 'd', value_name = "SECONDS", value_parser = parse_seconds)]
    pub duration: Option<Duration>,

    /// Messages to publish over all publishers; 0 means no limit.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 0)]
    pub count: u64,

    /// Topic to publish to; `%i` is replaced by the publisher's number.
    #[arg(long, short = 't', default_value = "mqttdeck/bench/%i")]
    pub topic: String,

    /// QoS 1/2 messages a publisher may have unacknowledged.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..))]
    pub inflight: u16,
}

/// The publishing window of `pub` and `pubsub`: --duration, or until --count when only
/// that is given.
pub const DEFAULT_DURATION: Duration = Duration::from_secs(10);

impl PublishArgs {
    /// How long to publish at most; `None` when only --count ends it.
    pub fn window(&self) -> Option<Duration> {
        match (self.duration, self.count) {
            (Some(duration), _) => Some(duration),
            (None, 0) => Some(DEFAULT_DURATION),
            (None, _) => None,
        }
    }
}

/// `mqttdeck bench pub`.
#[derive(Debug, Args)]
pub struct PubArgs {
    /// Publishing clients.
    #[arg(long, visible_alias = "clients", short = 'c', value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub publishers: u32,

    #[command(flatten)]
    pub publish: PublishArgs,

    #[command(flatten)]
    pub target: TargetArgs,
}

/// `mqttdeck bench sub`.
#[derive(Debug, Args)]
pub struct SubArgs {
    /// Subscribing clients.
    #[arg(long, visible_alias = "clients", short = 'c', value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub subscribers: u32,

    /// Topic filter to subscribe to; `%i` is replaced by the subscriber's number.
    #[arg(long, short = 't', default_value = "mqttdeck/bench/#")]
    pub topic: String,

    /// Quality of service of the subscriptions.
    #[arg(long, short = 'q', default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=2))]
    pub qos: u8,

    /// How long to receive, in seconds (counted from the end of subscribing).
    #[arg(long, short = 'd', value_name = "SECONDS", default_value = "10", value_parser = parse_seconds)]
    pub duration: Duration,

    /// Stop once this many messages have arrived over all subscribers; 0 means no limit.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 0)]
    pub count: u64,

    #[command(flatten)]
    pub target: TargetArgs,
}

/// `mqttdeck bench pubsub`.
#[derive(Debug, Args)]
pub struct PubSubArgs {
    /// Publishing clients.
    #[arg(long, short = 'p', value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub publishers: u32,

    /// Subscribing clients.
    #[arg(long, short = 'S', value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub subscribers: u32,

    /// Topic filter every subscriber uses instead of its publisher's topic (`%i` is the
    /// subscriber's number). Message loss is not reported with it.
    #[arg(long, short = 'f')]
    pub filter: Option<String>,

    #[command(flatten)]
    pub publish: PublishArgs,

    #[command(flatten)]
    pub target: TargetArgs,
}

/// Seconds as a decimal number (`10`, `1.5`), at most a day.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!(
            "{text} s is out of range: give more than 0 and at most 86400 seconds"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_accept_decimals_and_refuse_nonsense() {
        assert_eq!(parse_seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-3").is_err());
        assert!(parse_seconds("NaN").is_err());
        assert!(parse_seconds("ten").is_err());
        assert!(parse_seconds("1e9").is_err());
    }
}
