//! The Tokio runtime the binary runs on: Tokio's multi-thread runtime, except that a
//! worker serving the broker or the app takes one I/O event each time it waits for the
//! sockets, so that two sockets ready at once do not wake a second worker.

use tokio::runtime::{Builder, Runtime};

use crate::cli::{Cli, Command};

/// I/O events a serving worker takes from the driver per wait (Tokio's default: 1024).
///
/// A worker that comes back from the driver with two tasks woken wakes another worker
/// to take one (Tokio's `should_notify_others`). On the broker's 1 → 1 QoS 1 path at
/// 5,000 msg/s that happened for about 8 % of the messages: ≈ 2,000 thread wake-ups
/// per 25,000 messages, each a chance to wait for a CPU on a busy machine, and the
/// woken worker then took the driver over. With one event per wait, the worker runs
/// the first socket's task and finds the next on its way back to the driver, which
/// returns at once, without waking anyone (measured in BENCHMARKS.md, session 6).
const SERVING_IO_EVENTS_PER_WAIT: usize = 1;

/// The runtime for `cli`'s command. `bench` keeps Tokio's defaults: it is the client
/// that measures brokers, and should measure every broker as it did before.
pub fn for_command(cli: &Cli) -> std::io::Result<Runtime> {
    let mut builder = Builder::new_multi_thread();
    builder.enable_all();
    if !matches!(cli.command, Some(Command::Bench(_))) {
        builder.max_io_events_per_tick(SERVING_IO_EVENTS_PER_WAIT);
    }
    builder.build()
}
