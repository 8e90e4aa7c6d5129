//! The root component: metadata, stylesheet, routes and the three-part layout.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    StaticSegment,
};

use crate::state::AppState;
use crate::theme::ThemeState;
use crate::ui::{MainPane, Sidebar, StatusBar};

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let theme = ThemeState::provide();
    let state = AppState::provide();
    crate::state::publish::PublishBook::provide();
    #[cfg(feature = "hydrate")]
    crate::boot::boot(state);
    #[cfg(not(feature = "hydrate"))]
    let _ = state;

    view! {
        <Title text="MQTT Deck"/>
        <Router>
            <div class="deck" data-theme=move || theme.choice.get().attribute()>
                <Sidebar/>
                <main class="main-pane">
                    <Routes fallback=|| view! { <p class="not-found">"Page not found."</p> }>
                        <Route path=StaticSegment("") view=MainPane/>
                    </Routes>
                </main>
                <StatusBar/>
            </div>
        </Router>
    }
}
