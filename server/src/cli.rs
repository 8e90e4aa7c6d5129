//! Command-line options of `mqttdeck` (each flag also reads an environment variable).

use std::net::SocketAddr;

use clap::Parser;

/// MQTT Deck: a browser MQTT debugging workbench with a built-in broker.
#[derive(Debug, Parser)]
#[command(name = "mqttdeck", version, about, long_about = None)]
pub struct Cli {
    /// Address the web app is served on. Loopback by default; other addresses must be asked for.
    #[arg(long = "http", env = "MQTTDECK_HTTP", default_value = "127.0.0.1:3000")]
    pub http: SocketAddr,
}
