//! `mqttdeck`: serves the MQTT Deck app and its built-in broker.

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = server::cli::Cli::parse();
    server::run::init_tracing();
    match server::run::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The chain of causes on one line, without a backtrace: this is for users.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
