//! A file as the payload: its bytes are read once when chosen and sent exactly; the
//! name and size stay visible, and "Remove file" goes back to the typed payload.

use leptos::prelude::*;

use crate::model::publish::PublishDraft;

#[component]
pub fn PayloadFile(draft: RwSignal<PublishDraft>) -> impl IntoView {
    let chosen = move || {
        draft.with(|d| {
            d.file
                .as_ref()
                .map(|f| format!("{} ({} bytes)", f.name, f.bytes.len()))
        })
    };
    view! {
        <div class="field payload-file">
            <label for="pub-file">"Payload file"</label>
            <input id="pub-file" type="file" on:change=move |ev| read_file(ev, draft)/>
            {move || chosen().map(|text| view! {
                <p class="file-chosen">
                    <span class="file-name">{text}</span>
                    " is sent instead of the payload text. "
                    <button type="button" class="small" on:click=move |_| draft.update(|d| d.file = None)>"Remove file"</button>
                </p>
            })}
        </div>
    }
}

fn read_file(ev: leptos::ev::Event, draft: RwSignal<PublishDraft>) {
    #[cfg(feature = "hydrate")]
    {
        let Some(file) = crate::client::upload::take_chosen_file(&ev) else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let name = file.name();
            if let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                draft.try_update(|d| {
                    d.file = Some(crate::model::publish::FilePayload {
                        name,
                        bytes: bytes.into(),
                    })
                });
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, draft);
}
