//! "Prettify" for payloads typed as JSON (JSON, and CBOR or MessagePack entered as
//! JSON): re-indents the payload in place, changing only whitespace, or says where it
//! stops being JSON.

use leptos::prelude::*;

use super::target::{Feedback, Target};
use crate::model::payload::prettify_json;
use crate::model::profile::PayloadFormat;
use crate::model::publish::PublishDraft;

#[component]
pub fn PrettifyButton(target: Target, draft: RwSignal<PublishDraft>) -> impl IntoView {
    let typed_as_json = move || {
        draft.with(|d| {
            d.file.is_none()
                && matches!(
                    d.format,
                    PayloadFormat::Json | PayloadFormat::Cbor | PayloadFormat::MsgPack
                )
        })
    };
    let prettify = move |_| {
        let typed = draft.with_untracked(|d| d.payload.clone());
        match prettify_json(&typed) {
            Ok(pretty) => {
                draft.update(|d| d.payload = pretty);
                target.feedback.set(None);
            }
            Err(error) => target
                .feedback
                .set(Some(Feedback::Error(format!("Payload: {error}")))),
        }
    };
    view! {
        <Show when=typed_as_json>
            <button type="button" class="small" on:click=prettify>"Prettify"</button>
        </Show>
    }
}
