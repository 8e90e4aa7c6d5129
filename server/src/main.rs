//! `mqttdeck`: serves the MQTT Deck app and its built-in broker.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = server::cli::Cli::parse();
    server::run::init_tracing();
    let runtime = match server::runtime::for_command(&cli) {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::run::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The chain of causes on one line, without a backtrace: this is for users.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
