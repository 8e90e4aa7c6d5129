//! The `mqttdeck` binary as a library: command-line options, the HTTP server that serves
//! the app, the built-in broker's start and stop, the `passwd` and `bench` subcommands,
//! and the process lifecycle. Kept as a library so tests can build the router.

// The app's view types are deeply nested; rendering them on the server needs the room.
#![recursion_limit = "512"]

pub mod bench;
pub mod broker_setup;
pub mod cli;
pub mod http;
pub mod listen_addr;
pub mod passwd;
pub mod run;
pub mod runtime;
pub mod shutdown;
