//! The main pane: the welcome text, a connection's live view, the connection form, or
//! the Settings page.

use leptos::prelude::*;

use super::connection_view::ConnectionView;
use super::form::ConnectionForm;
use super::settings::SettingsPage;
use crate::state::app_state::View;
use crate::state::AppState;

#[component]
pub fn MainPane() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <Show when=move || state.notice.get().is_some()>
            <div class="notice" role="alert">
                <span>{move || state.notice.get().unwrap_or_default()}</span>
                <Show when=move || state.quarantined.get().is_some()>
                    <button type="button" class="small" on:click=move |_| export_quarantined(state)>
                        "Export the unreadable data"
                    </button>
                </Show>
                <button type="button" class="small" on:click=move |_| state.notice.set(None)>"Dismiss"</button>
            </div>
        </Show>
        {move || match state.view.get() {
            View::Welcome => view! { <Welcome/> }.into_any(),
            View::Connection(id) => view! { <ConnectionView id/> }.into_any(),
            View::Edit { draft, is_new } => view! { <ConnectionForm draft=*draft is_new/> }.into_any(),
            View::Settings => view! { <SettingsPage/> }.into_any(),
        }}
    }
}

#[component]
fn Welcome() -> impl IntoView {
    view! {
        <section class="welcome">
            <h1>"MQTT Deck"</h1>
            <p>
                "A workbench for MQTT 3.1, 3.1.1 and 5.0. This page is the MQTT client: "
                "it connects from your browser to any broker over WebSocket (ws:// or wss://)."
            </p>
            <p>"Pick a connection on the left, or create a new one."</p>
        </section>
    }
}

/// Downloads the stored text that could not be read, as it was.
fn export_quarantined(state: AppState) {
    #[cfg(feature = "hydrate")]
    if let Some(raw) = state.quarantined.get_untracked() {
        crate::client::download::bytes(
            "mqttdeck-unreadable-storage.txt",
            raw.as_bytes(),
            "text/plain",
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}
