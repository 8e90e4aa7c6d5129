//! The built-in MQTT broker as a library: listeners, sessions, the subscription tree,
//! retained messages, wills, QoS flows, limits, auth and statistics.
//!
//! A listener accepts a byte stream and hands it to [`Broker::serve_connection`];
//! everything MQTT happens behind that call.

pub mod auth;
pub mod authenticator;
mod broker;
pub mod config;
mod connection;
mod core;
mod counters;
mod hashing;
pub mod info;
mod keep_alive;
pub mod listener;
mod message;
mod periodic;
mod retained;
mod router;
mod session;
pub mod stats;
mod sys_topics;
mod topic_limits;
mod will;
pub mod ws_io;

pub use authenticator::{AllowAnonymous, AuthDecision, Authenticator, ScramLookup};
pub use broker::Broker;
pub use config::{BrokerConfig, Limits, PROTOCOL_MAX_PACKET_SIZE};
pub use info::{ConnectionInfo, Transport};
pub use stats::{BrokerStats, ClientStats, Rates, SubscriptionStats, Totals};
