//! `mqttdeck`: serves the MQTT Deck app and its built-in broker.

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = server::cli::Cli::parse();
    server::run::init_tracing();
    server::run::run(cli).await
}
