//! `cargo xtask`: the two commands of the README's quick start. `serve` builds the app in
//! release mode and runs `mqttdeck`; `test` runs every check and test, end-to-end included.
//! Each first installs what a fresh machine lacks, and skips what is already there.

mod e2e;
mod install;
mod proc;
mod serve;
mod steps;
mod suite;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Build, run and test MQTT Deck")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install what is missing, build in release mode and run mqttdeck (args after `--` go to it).
    Serve {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Install what is missing, then run every check and test, end-to-end ones included.
    Test,
    /// Only install what is missing (the toolchain, npm packages, Debian packages, venv).
    Setup,
    /// Only the release build and the Playwright suite (for iterating on the UI; assumes
    /// setup). Args after `--` go to `playwright test`, e.g. a spec file or `-g title`.
    E2e {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { args } => serve::run(&args),
        Command::Test => suite::run(),
        Command::Setup => install::everything(&mut steps::Steps::new("setup")),
        Command::E2e { args } => suite::end_to_end(&args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
