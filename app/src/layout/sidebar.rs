//! The connection sidebar: the list of saved connections and their live status.

use leptos::prelude::*;

/// Lists saved connections; empty until the user adds one.
#[component]
pub fn Sidebar() -> impl IntoView {
    view! {
        <aside class="sidebar" aria-label="Connections">
            <header class="sidebar-header">
                <span class="brand">"MQTT Deck"</span>
            </header>
            <h2 class="sidebar-title">"Connections"</h2>
            <ul class="connection-list">
                <li class="connection-empty">"No saved connections yet."</li>
            </ul>
        </aside>
    }
}
