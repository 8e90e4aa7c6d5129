//! The MQTT Deck user interface: a Leptos app rendered on the server (`ssr`) and
//! hydrated in the browser (`hydrate`), where it becomes the MQTT client itself.

#![recursion_limit = "256"]

mod app;
pub mod boot;
pub mod client;
pub mod messages;
pub mod model;
pub mod platform;
mod shell;
pub mod state;
pub mod storage;
mod theme;
mod ui;

pub use app::App;
pub use shell::shell;

/// Entry point the generated JavaScript calls once the wasm bundle has loaded.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
