//! One message in full: every header and MQTT 5 property, the whole payload however
//! large in the chosen format (JSON coloured; a format can be picked for this message
//! alone), or a hex dump, copy and save buttons, and a line diff against the previous
//! message on the same topic.

use leptos::prelude::*;

use super::diff_view::DiffView;
use super::highlight::highlighted;
use super::view_model::LogView;
use crate::messages::decode::{render, PayloadFormat as DisplayFormat};
use crate::messages::{Direction, FormatChoice, FormatLevels, MessageRecord};
use crate::state::AppState;
use crate::ui::options::FormatOptions;
use crate::ui::time::clock_time;

#[derive(Clone, PartialEq)]
struct Shown {
    seq: u64,
    topic: String,
    header: Vec<(&'static str, String)>,
    properties: Vec<(String, String)>,
    choice: FormatChoice,
    /// The format picked for this message alone, if any.
    own_format: Option<DisplayFormat>,
    body: String,
    json: bool,
    error: Option<String>,
    hex: String,
    previous: Option<String>,
}

fn shown(record: &MessageRecord, previous: Option<&MessageRecord>, levels: FormatLevels) -> Shown {
    let choice = levels.choose(&record.payload);
    let format = choice.format;
    let rendered = render(&record.payload, format);
    Shown {
        seq: record.seq,
        topic: record.topic.to_string(),
        header: header_rows(record),
        properties: property_rows(record),
        choice,
        own_format: levels.message,
        json: format == DisplayFormat::Json && rendered.error.is_none(),
        body: rendered.text,
        error: rendered.error.map(|e| e.to_string()),
        hex: render(&record.payload, DisplayFormat::Hex).text,
        previous: previous.map(|prev| render(&prev.payload, format).text),
    }
}

fn header_rows(record: &MessageRecord) -> Vec<(&'static str, String)> {
    vec![
        (
            "Direction",
            if record.direction == Direction::Received {
                "received"
            } else {
                "published"
            }
            .to_string(),
        ),
        ("Time", clock_time(record.at_ms)),
        ("QoS", (record.qos as u8).to_string()),
        ("Retain", record.retain.to_string()),
        ("Dup", record.dup.to_string()),
        ("Size", format!("{} bytes", record.payload.len())),
    ]
}

fn property_rows(record: &MessageRecord) -> Vec<(String, String)> {
    let p = record.properties();
    let mut properties: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            properties.push((name.to_string(), value));
        }
    };
    add(
        "Content type",
        p.content_type.as_ref().map(ToString::to_string),
    );
    add(
        "Payload format indicator",
        p.payload_format_indicator.map(|u| {
            if u {
                "1 (UTF-8)".into()
            } else {
                "0 (bytes)".into()
            }
        }),
    );
    add(
        "Response topic",
        p.response_topic.as_ref().map(ToString::to_string),
    );
    add(
        "Correlation data",
        p.correlation_data
            .as_ref()
            .map(|d| String::from_utf8_lossy(d).into_owned()),
    );
    add(
        "Message expiry interval",
        p.message_expiry_interval.map(|s| format!("{s} s")),
    );
    add("Topic alias", p.topic_alias.map(|a| a.to_string()));
    if !record.subscription_identifiers.is_empty() {
        let ids: Vec<String> = record
            .subscription_identifiers
            .iter()
            .map(ToString::to_string)
            .collect();
        add("Subscription identifiers", Some(ids.join(", ")));
    }
    for (key, value) in record.user_properties() {
        properties.push((format!("User property {key}"), value.to_string()));
    }
    properties
}

#[component]
pub fn MessageDetail() -> impl IntoView {
    let log = expect_context::<LogView>();
    let state = expect_context::<AppState>();
    let show_hex = RwSignal::new(false);
    let show_diff = RwSignal::new(false);
    let current = move || {
        let seq = log.selected.get()?;
        log.format.track();
        log.message_formats.track();
        let looks = log.subscription_looks(&state);
        let store = log.store();
        let store = store.borrow();
        let record = store.get(seq)?;
        let levels = log.format_levels(record, &looks);
        Some(shown(record, store.previous_on_topic(seq), levels))
    };
    move || {
        current().map(|m| {
            let seq = m.seq;
            let (topic, body) = (m.topic.clone(), m.body.clone());
            let current_text = m.body.clone();
            view! {
                <section class="message-detail" aria-label="Message detail">
                    <header>
                        <h3 class="detail-topic">{m.topic.clone()}</h3>
                        <button type="button" class="small" on:click=move |_| copy(&topic)>"Copy topic"</button>
                        <button type="button" class="small" on:click=move |_| copy(&body)>"Copy payload"</button>
                        <button type="button" class="small" on:click=move |_| save_payload(&log, seq)>"Save payload"</button>
                        <button type="button" class="small" on:click=move |_| show_hex.update(|h| *h = !*h)>
                            {move || if show_hex.get() { "Hide hex" } else { "Hex view" }}
                        </button>
                        <button type="button" class="small" on:click=move |_| show_diff.update(|d| *d = !*d)>"Compare with previous"</button>
                        <button type="button" class="small" on:click=move |_| log.selected.set(None)>"Close"</button>
                    </header>
                    <dl class="detail-header">
                        {m.header.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
                        {m.properties.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
                    </dl>
                    <FormatRow seq own_format=m.own_format choice=m.choice/>
                    {m.error.map(|e| view! { <p class="field-error detail-error" role="alert">{e}</p> })}
                    <pre class="detail-payload">{highlighted(m.body, m.json)}</pre>
                    <Show when=move || show_hex.get()>
                        <pre class="detail-hex">{m.hex.clone()}</pre>
                    </Show>
                    <Show when=move || show_diff.get()>
                        {
                            let (previous, current) = (m.previous.clone(), current_text.clone());
                            move || compare(previous.clone(), current.clone())
                        }
                    </Show>
                </section>
            }
        })
    }
}

/// The per-message format picker and what the message is shown as, and why.
#[component]
fn FormatRow(seq: u64, own_format: Option<DisplayFormat>, choice: FormatChoice) -> impl IntoView {
    let log = expect_context::<LogView>();
    let pick =
        move |value: String| log.set_message_format(seq, DisplayFormat::from_picker_value(&value));
    view! {
        <div class="detail-format-row">
            <div class="field inline">
                <label for="detail-format">"Decode this message as"</label>
                <select id="detail-format" on:change=move |ev| pick(event_target_value(&ev))>
                    <FormatOptions selected=DisplayFormat::picker_value(own_format).to_string() none_label="Default"/>
                </select>
            </div>
            <p class="detail-format">
                {format!("Shown as {} ({})", choice.format.label(), choice.source.describe())}
            </p>
        </div>
    }
}

/// The diff against the previous message on the topic, if one is held.
fn compare(previous: Option<String>, current: String) -> AnyView {
    match previous {
        Some(previous) => view! { <DiffView previous current/> }.into_any(),
        None => view! { <p class="hint-text">"No earlier message on this topic is held."</p> }
            .into_any(),
    }
}

fn copy(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// Downloads the original bytes (never the rendered text).
fn save_payload(log: &LogView, seq: u64) {
    #[cfg(feature = "hydrate")]
    {
        let store = log.store();
        let store = store.borrow();
        let Some(record) = store.get(seq) else { return };
        let name = format!("{}-{}.bin", record.topic.replace('/', "_"), record.seq);
        crate::client::download::bytes(&name, &record.payload, "application/octet-stream");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (log, seq);
}
