//! Export and import of saved connections as a JSON file. Export asks whether to include
//! passwords; import merges (a connection that differs from the saved one with the same id
//! is added beside it as a copy), and reports what it did.

use leptos::prelude::*;

use super::dialog::confirm;
use crate::platform::new_id;
use crate::state::AppState;
use crate::storage::transfer::{export, import};

#[component]
pub fn TransferButtons() -> impl IntoView {
    let state = expect_context::<AppState>();
    let export_click = move |_| {
        let include = confirm("Include passwords in the export? (Cancel exports without them.)");
        let text = export(&state.profiles.get_untracked(), include);
        save_file("mqttdeck-connections.json", &text);
    };
    let on_file = move |ev: leptos::ev::Event| {
        read_chosen_file(ev, move |text| {
            let mut profiles = state.profiles.get_untracked();
            match import(&mut profiles, &text, new_id) {
                Ok(report) => {
                    state.profiles.set(profiles);
                    state.notice.set(Some(format!(
                        "Imported: {} added, {} added as copies beside changed ones, {} already there.",
                        report.added, report.added_as_copies, report.unchanged
                    )));
                }
                Err(error) => state.notice.set(Some(format!("Nothing imported: {error}"))),
            }
        });
    };
    view! {
        <div class="transfer">
            <button type="button" class="small" on:click=export_click>"Export connections"</button>
            <label class="small file-button" for="import-connections">"Import connections"</label>
            <input id="import-connections" class="visually-hidden" type="file" accept="application/json,.json" on:change=on_file/>
        </div>
    }
}

fn save_file(name: &str, text: &str) {
    #[cfg(feature = "hydrate")]
    crate::client::download::bytes(name, text.as_bytes(), "application/json");
    #[cfg(not(feature = "hydrate"))]
    let _ = (name, text);
}

/// Reads the file chosen in a file input as text, then calls `done`.
fn read_chosen_file(ev: leptos::ev::Event, done: impl FnOnce(String) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let Some(file) = crate::client::upload::take_chosen_file(&ev) else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                done(text.as_string().unwrap_or_default());
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, done);
}
