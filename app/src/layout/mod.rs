//! The page's three parts: the connection sidebar, the main pane and the status bar.

mod main_pane;
mod sidebar;
mod status_bar;

pub use main_pane::MainPane;
pub use sidebar::Sidebar;
pub use status_bar::StatusBar;
