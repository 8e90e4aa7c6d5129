//! The `mqttdeck` binary as a library: command-line options, the HTTP server that serves
//! the app, and the process lifecycle. Kept as a library so tests can build the router.

pub mod cli;
pub mod http;
pub mod run;
pub mod shutdown;
