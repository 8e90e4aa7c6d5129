//! The main pane: what the selected connection shows; a welcome text when none is.

use leptos::prelude::*;

/// The landing view before any connection is selected.
#[component]
pub fn MainPane() -> impl IntoView {
    view! {
        <section class="welcome">
            <h1>"MQTT Deck"</h1>
            <p>
                "A workbench for MQTT 3.1, 3.1.1 and 5.0. This page is the MQTT client: "
                "it connects from your browser to any broker over WebSocket (ws:// or wss://)."
            </p>
        </section>
    }
}
