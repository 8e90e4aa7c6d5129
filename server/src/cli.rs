//! Command-line options of `mqttdeck` (each flag also reads an `MQTTDECK_*` environment
//! variable): the app server's, the built-in broker's, and the `broker` and `passwd`
//! subcommands. `bench`'s options live in `crate::bench::args`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::builder::FalseyValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::listen_addr::ListenAddr;

/// MQTT Deck: a browser MQTT debugging workbench with a built-in broker.
///
/// Without a subcommand, serves the app on --http and runs the broker (MQTT over TCP on
/// --mqtt, over WebSocket on --ws and on the app's own origin at /mqtt).
#[derive(Debug, Parser)]
#[command(
    name = "mqttdeck",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run only the MQTT broker (no web app, no site files needed).
    Broker(Box<BrokerArgs>),
    /// Add a user to a password file, or change their password.
    ///
    /// The password is read from the first line of standard input unless --password is
    /// given. The file is created (readable by its owner only) if it does not exist.
    Passwd(PasswdArgs),
    /// Load any MQTT broker and measure it, like `mqttx bench`: connection rate and idle
    /// connections (`conn`), publishing (`pub`), subscribing (`sub`), or both with
    /// end-to-end latency (`pubsub`).
    Bench(crate::bench::args::BenchArgs),
}

/// The app server and the broker it starts.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address the web app is served on (its /mqtt path is also an MQTT over WebSocket
    /// endpoint).
    #[arg(
        long = "http",
        env = "MQTTDECK_HTTP",
        value_name = "ADDR",
        default_value = "127.0.0.1:3000"
    )]
    pub http: SocketAddr,

    /// Serve the app without the built-in broker.
    #[arg(long, env = "MQTTDECK_NO_BROKER", value_parser = FalseyValueParser::new(), default_value = "false")]
    pub no_broker: bool,

    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Who may connect without a user name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Anonymous {
    /// Clients on this machine only.
    Loopback,
    /// Anyone who can reach a listener.
    Always,
    /// Nobody.
    Never,
}

/// The broker's listeners, certificate, access control and limits.
#[derive(Debug, Clone, Args)]
pub struct BrokerArgs {
    /// MQTT over TCP: IP:PORT, or `off` [default: 127.0.0.1:1883].
    #[arg(long, env = "MQTTDECK_MQTT", value_name = "ADDR|off")]
    pub mqtt: Option<ListenAddr>,

    /// MQTT over WebSocket at ws://ADDR/mqtt: IP:PORT, or `off` [default: 127.0.0.1:8083].
    #[arg(long, env = "MQTTDECK_WS", value_name = "ADDR|off")]
    pub ws: Option<ListenAddr>,

    /// MQTT over TLS (conventionally port 8883); needs a certificate.
    #[arg(long, env = "MQTTDECK_MQTTS", value_name = "ADDR")]
    pub mqtts: Option<ListenAddr>,

    /// MQTT over secure WebSocket at wss://ADDR/mqtt (conventionally port 8084); needs a
    /// certificate.
    #[arg(long, env = "MQTTDECK_WSS", value_name = "ADDR")]
    pub wss: Option<ListenAddr>,

    /// PEM certificate chain for --mqtts and --wss (leaf first).
    #[arg(
        long,
        env = "MQTTDECK_TLS_CERT",
        value_name = "FILE",
        requires = "tls_key"
    )]
    pub tls_cert: Option<PathBuf>,

    /// PEM private key of --tls-cert (PKCS#8, PKCS#1 or SEC1).
    #[arg(
        long,
        env = "MQTTDECK_TLS_KEY",
        value_name = "FILE",
        requires = "tls_cert"
    )]
    pub tls_key: Option<PathBuf>,

    /// Generate a self-signed certificate for localhost at start (for local testing;
    /// its SHA-256 fingerprint is printed).
    #[arg(
        long,
        env = "MQTTDECK_TLS_SELF_SIGNED",
        value_parser = FalseyValueParser::new(),
        default_value = "false",
        conflicts_with_all = ["tls_cert", "tls_key"]
    )]
    pub tls_self_signed: bool,

    /// Password file (`user:argon2-hash` lines; add users with `mqttdeck passwd`).
    /// With it, clients must log in unless --anonymous says otherwise.
    #[arg(long, env = "MQTTDECK_PASSWORDS", value_name = "FILE")]
    pub passwords: Option<PathBuf>,

    /// ACL file (Mosquitto syntax: `user NAME`, `topic [read|write|readwrite|deny] FILTER`,
    /// `pattern ... %u %c`). Without it every client may use every topic.
    #[arg(long, env = "MQTTDECK_ACL", value_name = "FILE")]
    pub acl: Option<PathBuf>,

    /// Who may connect without a user name [default: loopback, or never with --passwords].
    #[arg(long, env = "MQTTDECK_ANONYMOUS", value_enum)]
    pub anonymous: Option<Anonymous>,

    /// Allow listening on addresses other than loopback (other machines could connect).
    #[arg(long, env = "MQTTDECK_ALLOW_REMOTE", value_parser = FalseyValueParser::new(), default_value = "false")]
    pub allow_remote: bool,

    #[command(flatten)]
    pub limits: LimitArgs,
}

fn defaults() -> broker::Limits {
    broker::Limits::default()
}

/// The broker's limits; see `broker::Limits`.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Broker limits")]
pub struct LimitArgs {
    /// Simultaneous connections over all transports.
    #[arg(long, env = "MQTTDECK_MAX_CONNECTIONS", value_name = "N", default_value_t = defaults().max_connections)]
    pub max_connections: usize,

    /// Largest packet accepted, in bytes (advertised to MQTT 5 clients).
    #[arg(
        long,
        env = "MQTTDECK_MAX_PACKET_SIZE",
        value_name = "BYTES",
        default_value_t = u32::try_from(defaults().max_packet_size).unwrap_or(u32::MAX),
        value_parser = clap::value_parser!(u32).range(64..=broker::PROTOCOL_MAX_PACKET_SIZE as i64)
    )]
    pub max_packet_size: u32,

    /// QoS 1/2 messages an MQTT 5 client may have unacknowledged (Receive Maximum);
    /// MQTT 3 clients are never told it and are not held to it.
    #[arg(
        long,
        env = "MQTTDECK_RECEIVE_MAXIMUM",
        value_name = "N",
        default_value_t = defaults().receive_maximum,
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    pub receive_maximum: u16,

    /// QoS 1/2 messages in flight to one client at most.
    #[arg(
        long,
        env = "MQTTDECK_MAX_INFLIGHT",
        value_name = "N",
        default_value_t = defaults().max_inflight_out,
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    pub max_inflight: u16,

    /// Messages queued per session (offline or behind the inflight window).
    #[arg(long, env = "MQTTDECK_MAX_QUEUED_MESSAGES", value_name = "N", default_value_t = defaults().max_queued_messages)]
    pub max_queued_messages: usize,

    /// Payload bytes queued per session.
    #[arg(long, env = "MQTTDECK_MAX_QUEUED_BYTES", value_name = "BYTES", default_value_t = defaults().max_queued_bytes)]
    pub max_queued_bytes: usize,

    /// Retained messages held by the broker.
    #[arg(long, env = "MQTTDECK_MAX_RETAINED", value_name = "N", default_value_t = defaults().max_retained_messages)]
    pub max_retained: usize,

    /// Levels in a topic name or filter.
    #[arg(long, env = "MQTTDECK_MAX_TOPIC_LEVELS", value_name = "N", default_value_t = defaults().max_topic_levels)]
    pub max_topic_levels: usize,

    /// Bytes in a topic name or filter.
    #[arg(long, env = "MQTTDECK_MAX_TOPIC_LENGTH", value_name = "BYTES", default_value_t = defaults().max_topic_length)]
    pub max_topic_length: usize,

    /// Subscriptions one session may hold.
    #[arg(long, env = "MQTTDECK_MAX_SUBSCRIPTIONS", value_name = "N", default_value_t = defaults().max_subscriptions_per_client)]
    pub max_subscriptions: usize,

    /// Topic aliases MQTT 5 clients may use (0 turns them off).
    #[arg(long, env = "MQTTDECK_TOPIC_ALIAS_MAXIMUM", value_name = "N", default_value_t = defaults().topic_alias_maximum)]
    pub topic_alias_maximum: u16,

    /// Keep alive (seconds) imposed on MQTT 5 clients instead of their own.
    #[arg(long, env = "MQTTDECK_SERVER_KEEP_ALIVE", value_name = "SECONDS")]
    pub server_keep_alive: Option<u16>,

    /// Seconds a new connection has for its TLS/WebSocket handshakes, CONNECT and any
    /// SCRAM exchange.
    #[arg(
        long,
        env = "MQTTDECK_CONNECT_TIMEOUT",
        value_name = "SECONDS",
        default_value_t = defaults().connect_timeout.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub connect_timeout: u64,

    /// While messages keep coming to a WebSocket client, send it a frame at most this
    /// often (milliseconds), each holding all packets written meanwhile: a browser
    /// handles every frame as a task of its own. 0 sends each write at once.
    #[arg(
        long,
        env = "MQTTDECK_WS_FRAME_INTERVAL",
        value_name = "MS",
        default_value_t = defaults().ws_frame_interval.as_millis() as u64,
        value_parser = clap::value_parser!(u64).range(0..=1000)
    )]
    pub ws_frame_interval: u64,

    /// Seconds between `$SYS/broker/...` statistics messages (0 turns them off).
    #[arg(
        long,
        env = "MQTTDECK_SYS_INTERVAL",
        value_name = "SECONDS",
        default_value_t = 10
    )]
    pub sys_interval: u64,
}

/// `mqttdeck passwd FILE USER`.
#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// The password file to create or update.
    pub file: PathBuf,
    /// The user to add, or whose password to change.
    pub user: String,
    /// The password (otherwise read from standard input; prefer that, or the
    /// environment variable, over a command line that others can see).
    #[arg(long, env = "MQTTDECK_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Write a SCRAM verifier for MQTT 5 enhanced authentication with this hash
    /// instead of the argon2 hash for user name and password (run once per hash).
    #[arg(long, value_name = "HASH")]
    pub scram: Option<ScramHashArg>,
    /// PBKDF2 iterations of the SCRAM verifier (the client repeats them on every login).
    #[arg(long, default_value_t = broker::auth::DEFAULT_SCRAM_ITERATIONS, requires = "scram")]
    pub iterations: u32,
}

/// The hash of `mqttdeck passwd --scram`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScramHashArg {
    #[value(name = "sha-1")]
    Sha1,
    #[value(name = "sha-256")]
    Sha256,
    #[value(name = "sha-512")]
    Sha512,
}

impl ScramHashArg {
    pub fn hash(self) -> scram::ScramHash {
        match self {
            Self::Sha1 => scram::ScramHash::Sha1,
            Self::Sha256 => scram::ScramHash::Sha256,
            Self::Sha512 => scram::ScramHash::Sha512,
        }
    }
}
