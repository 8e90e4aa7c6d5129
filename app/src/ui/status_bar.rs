//! The status bar along the bottom: version, the Settings button and the theme switch.

use leptos::prelude::*;

use super::settings::SettingsButton;
use crate::theme::ThemeToggle;

/// Always-visible facts about the app.
#[component]
pub fn StatusBar() -> impl IntoView {
    view! {
        <footer class="status-bar">
            <span class="version">{concat!("MQTT Deck ", env!("CARGO_PKG_VERSION"))}</span>
            <span class="spacer"></span>
            <SettingsButton/>
            <ThemeToggle/>
        </footer>
    }
}
