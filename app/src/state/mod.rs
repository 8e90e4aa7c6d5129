//! Reactive application state shared through context: the saved connections, which one
//! is selected or being edited, and each connection's live runtime.

pub mod app_state;
pub mod log_formats;
pub mod messages;
pub mod publish;
pub mod runtime;

pub use app_state::AppState;
pub use runtime::{
    ConnectionRuntime, LinkStatus, LogEntry, LogLevel, Pacing, PacketRecord, SubAckStatus,
};
