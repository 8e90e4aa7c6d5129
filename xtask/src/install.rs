//! Installs what a fresh machine lacks, following ../shared/TOOLCHAIN.md: the wasm target,
//! cargo-leptos and wasm-bindgen-cli at pinned versions, npm packages (wasm-opt from npm's
//! binaryen, never Debian's, which breaks hydration), Debian's browser and MQTT peers, and a
//! Python venv with paho-mqtt. Each check is cheap, so a warm run only prints "present".

use std::path::Path;

use anyhow::{bail, Context};

use crate::proc::{self, cmd, output, root};
use crate::steps::Steps;

pub const CARGO_LEPTOS_VERSION: &str = "0.3.10";
/// Must equal the `wasm-bindgen` pin in the workspace Cargo.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const PAHO_MQTT_VERSION: &str = "2.1.0";
/// Debian packages: the browser for end-to-end tests and the interop peers.
pub const DEBIAN_PACKAGES: &[&str] = &[
    "chromium",
    "chromium-driver",
    "mosquitto",
    "mosquitto-clients",
];

/// What `cargo xtask serve` needs to build the app.
pub fn build_tools(steps: &mut Steps) -> anyhow::Result<()> {
    steps.step("install: wasm32-unknown-unknown target", wasm_target)?;
    steps.step("install: cargo-leptos", cargo_leptos)?;
    steps.step("install: wasm-bindgen-cli", wasm_bindgen)?;
    steps.step("install: npm packages (wasm-opt from binaryen)", || {
        npm_packages(&root())
    })?;
    Ok(())
}

/// Everything `cargo xtask test` needs.
pub fn everything(steps: &mut Steps) -> anyhow::Result<()> {
    build_tools(steps)?;
    steps.step(
        "install: end2end npm packages (Playwright, MQTT.js)",
        || npm_packages(&root().join("end2end")),
    )?;
    steps.step(
        "install: Debian packages (chromium, mosquitto)",
        debian_packages,
    )?;
    steps.step("install: Python venv with paho-mqtt", python_venv)?;
    Ok(())
}

fn wasm_target() -> anyhow::Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|line| line.trim() == "wasm32-unknown-unknown")
    {
        Steps::note("present");
        return Ok(());
    }
    proc::run(cmd("rustup", &["target", "add", "wasm32-unknown-unknown"]))
}

fn cargo_leptos() -> anyhow::Result<()> {
    let version = output("cargo-leptos", &["--version"]).unwrap_or_default();
    if version.contains(CARGO_LEPTOS_VERSION) {
        Steps::note("present");
        return Ok(());
    }
    Steps::note(
        "building cargo-leptos from crates.io (about 18 minutes on 2 cores, once per machine)",
    );
    proc::run(cmd(
        "cargo",
        &[
            "install",
            "cargo-leptos",
            "--version",
            CARGO_LEPTOS_VERSION,
            "--locked",
            "--features",
            "no_downloads",
        ],
    ))
}

fn wasm_bindgen() -> anyhow::Result<()> {
    let version = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if version.contains(WASM_BINDGEN_VERSION) {
        Steps::note("present");
        return Ok(());
    }
    // Not --locked: its lock file names a webpki-roots version the registry lacks.
    Steps::note("building wasm-bindgen-cli from crates.io (a few minutes, once per machine)");
    proc::run(cmd(
        "cargo",
        &[
            "install",
            "wasm-bindgen-cli",
            "--version",
            WASM_BINDGEN_VERSION,
        ],
    ))
}

/// `npm ci` in `dir` unless its node_modules already matches its package-lock.json.
fn npm_packages(dir: &Path) -> anyhow::Result<()> {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&installed)) {
        (Ok(lock), Ok(installed)) => match (lock.modified(), installed.modified()) {
            (Ok(lock), Ok(installed)) => installed >= lock,
            _ => false,
        },
        _ => false,
    };
    if fresh {
        Steps::note("present");
        return Ok(());
    }
    if !proc::has("npm") {
        bail!("npm is not installed: install Node.js 20 or newer (it ships npm)");
    }
    let mut npm = cmd(
        "npm",
        &["ci", "--no-audit", "--no-fund", "--loglevel=error"],
    );
    npm.current_dir(dir);
    proc::run(npm)
}

fn debian_packages() -> anyhow::Result<()> {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .copied()
        .filter(|package| {
            let status = output("dpkg-query", &["-W", "-f=${Status}", package]).unwrap_or_default();
            !status.contains("install ok installed")
        })
        .collect();
    if missing.is_empty() {
        Steps::note("present");
        return Ok(());
    }
    let is_root = output("id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    if !is_root {
        bail!(
            "missing Debian packages: {0}. Install them with: sudo apt-get install {0}",
            missing.join(" ")
        );
    }
    Steps::note(&format!("apt-get install {}", missing.join(" ")));
    proc::run(cmd("apt-get", &["update", "-qq"]))?;
    let mut args = vec!["install", "-y", "-qq"];
    args.extend(&missing);
    let mut apt = cmd("apt-get", &args);
    apt.env("DEBIAN_FRONTEND", "noninteractive");
    proc::run(apt)
}

fn python_venv() -> anyhow::Result<()> {
    let venv = root().join(".venv");
    let python = venv.join("bin/python");
    let python_str = python.to_string_lossy().into_owned();
    if output(&python_str, &["-c", "import paho.mqtt"]).is_some() {
        Steps::note("present");
        return Ok(());
    }
    let venv_str = venv.to_string_lossy().into_owned();
    proc::run(cmd("python3", &["-m", "venv", &venv_str]))
        .context("creating .venv (needs python3 with venv)")?;
    let paho = format!("paho-mqtt=={PAHO_MQTT_VERSION}");
    proc::run(cmd(
        &python_str,
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &paho,
        ],
    ))
}
