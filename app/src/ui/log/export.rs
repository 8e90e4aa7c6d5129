//! Exporting the messages shown, or all held whatever the filters, as JSON Lines or CSV
//! to a file. The exporter hands over chunks, which become the parts of one Blob, so a
//! million rows never form one string.

use leptos::prelude::*;

use super::view_model::LogView;
use crate::messages::{export, ExportFormat, ExportOptions, PayloadEncoding};

#[component]
pub fn ExportButtons() -> impl IntoView {
    let log = expect_context::<LogView>();
    let as_text = RwSignal::new(false);
    let all_held = RwSignal::new(false);
    let run = move |format: ExportFormat| {
        let payload = if as_text.get_untracked() {
            PayloadEncoding::Text
        } else {
            PayloadEncoding::Base64
        };
        let store = log.store();
        let store = store.borrow();
        let options = ExportOptions { format, payload };
        let mut chunks: Vec<String> = Vec::new();
        let sink = |chunk: &str| chunks.push(chunk.to_string());
        let rows = if all_held.get_untracked() {
            export(store.iter(), options, sink)
        } else {
            let matched = log.matched();
            let matched = matched.borrow();
            export(
                matched.seqs.iter().filter_map(|seq| store.get(*seq)),
                options,
                sink,
            )
        };
        save(&chunks, format);
        log.runtime.push_log(
            crate::platform::now_ms(),
            crate::state::LogLevel::Info,
            format!("exported {rows} messages as {}", format.file_extension()),
        );
    };
    view! {
        <div class="log-export">
            <button type="button" class="small" on:click=move |_| run(ExportFormat::JsonLines)>"Export JSON Lines"</button>
            <button type="button" class="small" on:click=move |_| run(ExportFormat::Csv)>"Export CSV"</button>
            <span class="field check">
                <input id="log-export-text" type="checkbox" on:change=move |ev| as_text.set(event_target_checked(&ev))/>
                <label for="log-export-text">"Payloads as text"</label>
            </span>
            <span class="field check">
                <input id="log-export-all" type="checkbox" on:change=move |ev| all_held.set(event_target_checked(&ev))/>
                <label for="log-export-all">"All held (ignore filters)"</label>
            </span>
        </div>
    }
}

fn save(chunks: &[String], format: ExportFormat) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsValue;
        let parts = js_sys::Array::new();
        for chunk in chunks {
            parts.push(&JsValue::from_str(chunk));
        }
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(format.mime_type());
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let name = format!("mqttdeck-messages.{}", format.file_extension());
        crate::client::download::blob(&name, &blob);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (chunks, format);
}
