//! The browser MQTT client: the `mqtt` crate's sans-I/O session driven over a browser
//! WebSocket. `options` (profile → CONNECT options) is pure; `driver` is the browser glue.

#[cfg(feature = "hydrate")]
pub mod clock;
#[cfg(feature = "hydrate")]
mod deadline;
#[cfg(feature = "hydrate")]
pub mod download;
#[cfg(feature = "hydrate")]
pub mod driver;
#[cfg(feature = "hydrate")]
mod events;
#[cfg(feature = "hydrate")]
pub mod frames;
pub mod options;
#[cfg(feature = "hydrate")]
mod scram_state;
#[cfg(feature = "hydrate")]
pub mod tabs;
#[cfg(feature = "hydrate")]
pub mod upload;
#[cfg(feature = "hydrate")]
pub mod visibility;
