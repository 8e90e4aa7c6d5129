//! The visible parts of the app: sidebar, main pane, connection form and view, status bar.

mod connection_log;
mod connection_view;
mod dialog;
mod form;
mod granted;
mod log;
mod main_pane;
mod options;
mod packets;
mod publish;
mod row_pool;
mod settings;
mod sidebar;
mod status_bar;
pub(crate) mod subscriptions;
pub(crate) mod time;
mod transfer;
pub(crate) mod virtual_window;

pub use main_pane::MainPane;
pub use sidebar::Sidebar;
pub use status_bar::StatusBar;
