//! Starts the release `mqttdeck` on free loopback ports, runs the Playwright suite in
//! `end2end/` against it, and stops it whatever the outcome.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::proc::{self, cmd, root};

pub fn run(playwright_args: &[String]) -> anyhow::Result<()> {
    let http = free_port()?;
    let mut server = start_server(http)?;
    let outcome = wait_healthy(http, &mut server).and_then(|()| playwright(http, playwright_args));
    stop(&mut server);
    outcome
}

/// A port the OS says is free now (the listener is closed right away).
pub fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding a free loopback port")?;
    Ok(listener.local_addr()?.port())
}

fn start_server(http: u16) -> anyhow::Result<Child> {
    let binary = root().join("target/release/mqttdeck");
    Command::new(&binary)
        .current_dir(root())
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("MQTTDECK_HTTP", format!("127.0.0.1:{http}"))
        // The broker's own listeners take any free port: the tests use the app's /mqtt.
        .env("MQTTDECK_MQTT", "127.0.0.1:0")
        .env("MQTTDECK_WS", "127.0.0.1:0")
        .stdin(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", binary.display()))
}

fn wait_healthy(http: u16, server: &mut Child) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(status) = server.try_wait()? {
            bail!("mqttdeck exited before it was ready ({status})");
        }
        if healthz(http).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("mqttdeck did not answer /healthz on 127.0.0.1:{http} within 30 s")
}

fn healthz(http: u16) -> anyhow::Result<()> {
    let mut stream = TcpStream::connect(("127.0.0.1", http))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream.write_all(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    if response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200") {
        Ok(())
    } else {
        bail!("unexpected /healthz answer")
    }
}

fn playwright(http: u16, extra_args: &[String]) -> anyhow::Result<()> {
    let mut test = cmd("npx", &["playwright", "test"]);
    test.args(extra_args)
        .current_dir(root().join("end2end"))
        .env("MQTTDECK_URL", format!("http://127.0.0.1:{http}"));
    proc::run(test)
}

/// SIGTERM first so the server can shut down cleanly, then SIGKILL if it lingers.
fn stop(server: &mut Child) {
    let pid = server.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = server.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = server.kill();
    let _ = server.wait();
}
