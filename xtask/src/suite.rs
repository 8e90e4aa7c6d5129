//! `cargo xtask test`: every check and test in order, failing fast, with a summary.

use crate::proc::{self, cmd};
use crate::steps::Steps;
use crate::{e2e, install, serve};

pub fn run() -> anyhow::Result<()> {
    let mut steps = Steps::new("test");
    install::everything(&mut steps)?;
    steps.step("check: cargo fmt --check", || {
        proc::run(cmd("cargo", &["fmt", "--all", "--check"]))
    })?;
    steps.step(
        "check: cargo clippy --workspace --all-targets -- -D warnings",
        || {
            proc::run(cmd(
                "cargo",
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
            ))
        },
    )?;
    steps.step("test: workspace tests", workspace_tests)?;
    steps.step("check: browser crates for wasm32-unknown-unknown", || {
        proc::run(cmd(
            "cargo",
            &[
                "check",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "mqtt",
                "-p",
                "app",
                "--features",
                "app/hydrate",
            ],
        ))
    })?;
    steps.step("build: cargo leptos build --release", serve::release_build)?;
    steps.step("test: end-to-end (Playwright, headless Chromium)", || {
        e2e::run(&[])
    })?;
    steps.summary();
    Ok(())
}

/// The release build and the Playwright suite alone, for iterating on the UI.
pub fn end_to_end(playwright_args: &[String]) -> anyhow::Result<()> {
    let mut steps = Steps::new("e2e");
    steps.step("build: cargo leptos build --release", serve::release_build)?;
    steps.step("test: end-to-end (Playwright, headless Chromium)", || {
        e2e::run(playwright_args)
    })?;
    steps.summary();
    Ok(())
}

/// nextest when installed (faster, clearer output), else cargo test.
fn workspace_tests() -> anyhow::Result<()> {
    if proc::output("cargo", &["nextest", "--version"]).is_some() {
        proc::run(cmd(
            "cargo",
            &["nextest", "run", "--workspace", "--no-fail-fast"],
        ))?;
        // nextest does not run doctests.
        proc::run(cmd("cargo", &["test", "--workspace", "--doc"]))
    } else {
        proc::run(cmd("cargo", &["test", "--workspace", "--no-fail-fast"]))
    }
}
