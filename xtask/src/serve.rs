//! `cargo xtask serve`: install what is missing, build in release mode, run `mqttdeck`.

use crate::install;
use crate::proc::{self, cmd, root};
use crate::steps::Steps;

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut steps = Steps::new("serve");
    install::build_tools(&mut steps)?;
    steps.step("build: cargo leptos build --release", release_build)?;
    steps.summary();
    let binary = root().join("target/release/mqttdeck");
    let mut server = std::process::Command::new(&binary);
    server
        .args(args)
        .current_dir(root())
        .env("LEPTOS_SITE_ROOT", "target/site");
    println!("==> run: {} {}", binary.display(), args.join(" "));
    proc::run(server)
}

/// The release build of the server and the wasm bundle (wasm-opt included).
pub fn release_build() -> anyhow::Result<()> {
    proc::run(cmd("cargo", &["leptos", "build", "--release"]))
}
