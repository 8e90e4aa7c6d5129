//! The log's toolbar: filters that combine, the display format, pause and clear, the
//! always-visible counters (shown / held / evicted) and the memory meter (what is held
//! against the budget set in Settings).

use leptos::prelude::*;

use super::format_picker::LogFormatPicker;
use super::view_model::{thousands, LogView};
use crate::messages::DirectionFilter;
use crate::model::settings::mebibytes;
use crate::ui::options::QosOptions;

/// What the memory meter shows.
#[derive(Clone, Copy, PartialEq)]
struct Memory {
    held_bytes: u64,
    max_bytes: u64,
    held: u64,
    max_messages: u64,
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let log = expect_context::<LogView>();
    let counts = move || {
        log.shown_version.track();
        log.runtime.messages_version.track();
        let shown = log.matched().borrow().seqs.len() as u64;
        let store = log.store();
        let store = store.borrow();
        (shown, store.held() as u64, store.evicted())
    };
    let memory = move || {
        log.shown_version.track();
        log.runtime.messages_version.track();
        let store = log.store();
        let store = store.borrow();
        let budget = store.budget();
        Memory {
            held_bytes: store.held_bytes(),
            max_bytes: budget.max_bytes,
            held: store.held() as u64,
            max_messages: budget.max_messages as u64,
        }
    };
    view! {
        <div class="log-toolbar">
            <div class="field">
                <label for="log-filter">"Filter"</label>
                <input
                    id="log-filter"
                    type="text"
                    placeholder="topic filter, e.g. sensors/+/temp"
                    on:input=move |ev| log.topic.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for="log-search">"Search payload"</label>
                <input id="log-search" type="text" on:input=move |ev| log.payload.set(event_target_value(&ev))/>
            </div>
            <div class="field check">
                <input id="log-regex" type="checkbox" on:change=move |ev| log.regex.set(event_target_checked(&ev))/>
                <label for="log-regex">"Regex"</label>
            </div>
            <div class="field">
                <label for="log-direction">"Show"</label>
                <select
                    id="log-direction"
                    on:change=move |ev| {
                        log.direction.set(match event_target_value(&ev).as_str() {
                            "received" => DirectionFilter::Received,
                            "published" => DirectionFilter::Published,
                            _ => DirectionFilter::All,
                        })
                    }
                >
                    <option value="all" selected=true>"All"</option>
                    <option value="received">"Received"</option>
                    <option value="published">"Published"</option>
                </select>
            </div>
            <div class="field">
                <label for="log-qos">"Only QoS"</label>
                <select id="log-qos" on:change=move |ev| log.qos.set(event_target_value(&ev).parse().ok())>
                    <option value="any" selected=true>"Any"</option>
                    <QosOptions/>
                </select>
            </div>
            <div class="field check">
                <input id="log-retained" type="checkbox" on:change=move |ev| log.retained_only.set(event_target_checked(&ev))/>
                <label for="log-retained">"Retained only"</label>
            </div>
            <LogFormatPicker/>
            <div class="log-actions">
                <Show
                    when=move || log.paused.get()
                    fallback=move || view! { <button type="button" on:click=move |_| log.paused.set(true)>"Pause"</button> }
                >
                    <button type="button" class="primary" on:click=move |_| log.resume()>
                        {move || format!("Resume (+{} new)", thousands(log.new_while_paused.get() as u64))}
                    </button>
                </Show>
                <button type="button" on:click=move |_| log.clear()>"Clear"</button>
            </div>
            <p class="log-counts" aria-live="polite">
                <span class="count-shown">{move || format!("{} shown", thousands(counts().0))}</span>
                " · "
                <span class="count-held">{move || format!("{} held", thousands(counts().1))}</span>
                " · "
                <span class="count-evicted">{move || format!("{} evicted", thousands(counts().2))}</span>
            </p>
            <p class="memory-meter">
                <label for="log-memory">"Memory"</label>
                <meter
                    id="log-memory"
                    min="0"
                    max=move || memory().max_bytes as f64
                    value=move || memory().held_bytes as f64
                ></meter>
                <span class="memory-text">
                    {move || {
                        let m = memory();
                        format!(
                            "{} of {} · {} of {} messages",
                            mebibytes(m.held_bytes),
                            mebibytes(m.max_bytes),
                            thousands(m.held),
                            thousands(m.max_messages),
                        )
                    }}
                </span>
            </p>
            {move || log.filter_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </div>
    }
}
