//! The sans-I/O MQTT client session, shaped like `quinn-proto`: the caller feeds it
//! received bytes and the time (milliseconds of its own monotonic clock, never
//! `std::time::Instant`, which panics on wasm32), and polls it for bytes to send,
//! events and the next deadline. It owns all protocol logic — CONNECT and CONNACK,
//! packet identifiers, QoS 1 and 2 in both directions, resending on a resumed
//! session, keep-alive, topic aliases, the server's limits — and does no I/O.
//!
//! ```
//! use mqtt::client::{ClientSession, ConnectOptions, SessionState};
//! use mqtt::ProtocolVersion;
//!
//! # fn main() -> Result<(), mqtt::client::SessionError> {
//! let mut session = ClientSession::new(ConnectOptions::new(ProtocolVersion::V5, "deck-1"));
//! session.connect(0)?;
//! assert_eq!(session.state(), SessionState::Connecting);
//! // Write session.poll_transmit() to the transport, feed what comes back to
//! // session.handle_bytes(now, &bytes), call session.handle_timeout(now) at
//! // session.poll_timeout(), and drain session.poll_event().
//! assert!(session.poll_timeout().is_some());
//! # Ok(())
//! # }
//! ```

mod commands;
mod connack;
mod error;
mod event;
mod inbound;
mod keep_alive;
mod limits;
mod options;
mod outbound;
mod outgoing;
mod packet_ids;
mod publishing;
mod receive;
mod requests;
mod session;
mod state;
mod topic_alias;

pub use error::SessionError;
pub use event::{ConnectionInfo, DisconnectReason, Event, SubscribeResult, UnsubscribeResult};
pub use limits::ServerLimits;
pub use options::{ConnectOptions, PROTOCOL_MAX_PACKET_SIZE};
pub use outgoing::OutgoingPublish;
pub use session::ClientSession;
pub use state::SessionState;
