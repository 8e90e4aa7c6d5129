//! The broker address: one URL field that accepts a pasted `ws://…`/`wss://…`, and the
//! protocol / host / port / path fields, kept in sync both ways, with beginner hints.

use leptos::prelude::*;

use super::fields::{FieldMessage, FormContext, NumberField, SelectField, TextField};
use crate::model::broker_url::{parse_port, BrokerUrl, WsScheme};
use crate::model::validate::Field;

fn page_is_https() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.location().protocol().ok())
            .is_some_and(|p| p == "https:")
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

#[component]
pub fn BrokerFields(url_invalid: RwSignal<bool>) -> impl IntoView {
    let form = expect_context::<FormContext>();
    // The text typed into URL while it does not parse; None shows the draft's URL.
    let raw = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let shown = move || {
        raw.get()
            .unwrap_or_else(|| form.draft.with(|d| d.broker.to_string()))
    };
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        match BrokerUrl::parse(&text) {
            Ok(url) => {
                form.draft.update(|d| d.broker = url);
                raw.set(None);
                error.set(None);
                url_invalid.set(false);
            }
            Err(e) => {
                raw.set(Some(text));
                error.set(Some(e.to_string()));
                url_invalid.set(true);
            }
        }
    };
    let hints = move || form.draft.with(|d| d.broker.hints(page_is_https()));
    view! {
        <fieldset>
            <legend>"Broker"</legend>
            <div class="field wide">
                <label for="conn-url">"URL"</label>
                <input id="conn-url" type="text" autocomplete="off" spellcheck="false" prop:value=shown on:input=on_input/>
                {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                <Show when=move || error.get().is_none()>
                    <ul class="hints">
                        {move || hints().into_iter().map(|h| view! { <li class="hint">{h}</li> }).collect_view()}
                    </ul>
                </Show>
            </div>
            <div class="field-row" on:input=move |_| { raw.set(None); error.set(None); url_invalid.set(false); }>
                <SelectField
                    label="Protocol"
                    id="conn-scheme"
                    options=&[("ws", "ws://"), ("wss", "wss://")]
                    get=|d| d.broker.scheme.as_str().to_string()
                    set=|d, v| d.broker.scheme = if v == "wss" { WsScheme::Wss } else { WsScheme::Ws }
                />
                <TextField label="Host" id="conn-host" field=Field::Host get=|d| d.broker.host.clone() set=|d, v| d.broker.host = v.trim().to_string()/>
                <NumberField
                    label="Port"
                    id="conn-port"
                    field=Field::Port
                    get=|d| d.broker.port.to_string()
                    set=|d, v| { d.broker.port = parse_port(v).map_err(|e| e.to_string())?; Ok(()) }
                />
                <TextField label="Path" id="conn-path" field=Field::Path placeholder="/mqtt" get=|d| d.broker.path.clone() set=|d, v| d.broker.path = v.trim().to_string()/>
            </div>
            <FieldMessage field=None/>
        </fieldset>
    }
}
