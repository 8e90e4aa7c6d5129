//! Shared ground for the interop tests: a `mqttdeck broker` of their own on loopback
//! ports chosen by the system, the repository's `interop/` scripts, and foreign clients
//! run as subprocesses with a deadline (killed, with their output shown, when they
//! overstay). A foreign client that is not installed is reported and the test returns.

#![allow(dead_code)] // Each interop test file uses its own part of this module.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::binary_support::Running;

/// How long one foreign-client run may take; its own waits are shorter (10 s).
pub const CLIENT_DEADLINE: Duration = Duration::from_secs(30);

/// A `mqttdeck broker` listening on loopback TCP and WebSocket ports of its own.
pub struct Broker {
    running: Running,
    pub tcp_port: u16,
    /// `ws://127.0.0.1:PORT/mqtt`
    pub ws_url: String,
}

impl Broker {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Started with `extra` arguments after the listener addresses.
    pub fn start_with(extra: &[&str]) -> Self {
        let mut args = vec!["broker", "--mqtt", "127.0.0.1:0", "--ws", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut running = Running::start(&args);
        let tcp = running.value_after("MQTT over TCP on ");
        let ws_url = running.value_after("MQTT over WebSocket on ");
        Self {
            running,
            tcp_port: port_of(&tcp),
            ws_url,
        }
    }

    pub fn ws_port(&self) -> u16 {
        port_of(&self.ws_url)
    }

    /// Stops the broker with SIGTERM and checks it was still up and exits cleanly: no
    /// foreign client brought it down along the way.
    pub fn stop(mut self) {
        let status = self.running.terminate();
        assert!(
            status.success(),
            "broker exit {status:?}; log:\n{}",
            self.running.log.join("\n")
        );
    }
}

/// The port of `127.0.0.1:PORT` or `ws://127.0.0.1:PORT/mqtt`.
pub fn port_of(addr: &str) -> u16 {
    addr.trim_start_matches("ws://")
        .split('/')
        .next()
        .and_then(|host| host.rsplit(':').next())
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("no port in {addr:?}"))
}

/// The repository root (the workspace holding `server/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// True (after saying why) when `path` does not exist, so the caller can return.
pub fn missing(path: &Path, what: &str, how_to_get_it: &str) -> bool {
    if path.exists() {
        return false;
    }
    eprintln!(
        "skipping: {what} not found at {}; {how_to_get_it}",
        path.display()
    );
    true
}

/// What a finished subprocess left behind.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    /// The JSON object an interop script printed last; panics with the script's output
    /// when there is none or it reports a step that failed.
    pub fn json(&self) -> serde_json::Value {
        let value: serde_json::Value = self
            .stdout
            .lines()
            .rev()
            .find(|line| line.trim_start().starts_with('{'))
            .and_then(|line| serde_json::from_str(line).ok())
            .unwrap_or_else(|| panic!("no JSON result from the script: {self:#?}"));
        assert!(
            value.get("failed").is_none() && self.status.success(),
            "script failed: {value}\n{self:#?}"
        );
        value
    }
}

/// A subprocess whose output is read on threads (so it never blocks on a full pipe),
/// stdout line by line so a test can wait for a line, and which is killed if dropped
/// while still running.
pub struct Spawned {
    child: Child,
    lines: Receiver<String>,
    /// Stdout lines read so far.
    seen: Vec<String>,
    stderr: Option<JoinHandle<String>>,
    pub what: String,
}

impl Spawned {
    pub fn start(command: &mut Command) -> Self {
        let what = format!("{command:?}");
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {what}: {error}"));
        let (sender, lines) = channel();
        if let Some(stdout) = child.stdout.take() {
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let stderr = child.stderr.take().map(|mut stream| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = stream.read_to_end(&mut bytes);
                String::from_utf8_lossy(&bytes).into_owned()
            })
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
            stderr,
            what,
        }
    }

    /// Waits until a stdout line contains `marker` and returns that line.
    pub fn wait_for_line(&mut self, marker: &str) -> String {
        let until = Instant::now() + CLIENT_DEADLINE;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(marker) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.fail(&format!("no line with {marker:?} in time"))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.fail(&format!("ended before printing {marker:?}"))
                }
            }
        }
    }

    /// Waits for the process to end within `deadline`, killing it (and failing) if not.
    pub fn finish(mut self, deadline: Duration) -> Finished {
        let until = Instant::now() + deadline;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for client") {
                break status;
            }
            if Instant::now() > until {
                self.fail(&format!("did not finish within {deadline:?}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let (stdout, stderr) = self.output();
        Finished {
            status,
            stdout,
            stderr,
        }
    }

    /// Ends the process abruptly (SIGKILL): the kernel closes its sockets without any
    /// MQTT DISCONNECT, as when a client crashes.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn fail(&mut self, why: &str) -> ! {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let (stdout, stderr) = self.output();
        panic!("{} {why}\nstdout:\n{stdout}\nstderr:\n{stderr}", self.what);
    }

    /// All stdout (the reader ends at EOF once the process is gone) and stderr.
    fn output(&mut self) -> (String, String) {
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(2)) {
            self.seen.push(line);
        }
        let stderr = self
            .stderr
            .take()
            .and_then(|handle| handle.join().ok())
            .unwrap_or_default();
        (self.seen.join("\n"), stderr)
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `command` to completion within [`CLIENT_DEADLINE`].
pub fn run(command: &mut Command) -> Finished {
    Spawned::start(command).finish(CLIENT_DEADLINE)
}
