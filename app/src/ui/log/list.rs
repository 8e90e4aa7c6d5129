//! The virtualised message list: a fixed row height, a spacer as tall as all matching
//! messages, and only the rows in view (plus a few) rendered. Decoding for display
//! happens here, for visible rows only. It follows the newest message unless the user
//! scrolled up.

use leptos::html::Div;
use leptos::prelude::*;

use super::view_model::LogView;
use crate::messages::decode::render_preview;
use crate::messages::detect::detect;
use crate::messages::{Direction, MessageRecord};
use crate::state::AppState;
use crate::ui::time::clock_time;

const ROW_HEIGHT: f64 = 44.0;
const VIEWPORT_ROWS: usize = 12;
const OVERSCAN: usize = 6;
const PREVIEW_CHARS: usize = 160;

#[derive(Clone, PartialEq)]
struct Row {
    index: usize,
    seq: u64,
    received: bool,
    time: String,
    topic: String,
    qos: u8,
    retain: bool,
    dup: bool,
    size: usize,
    preview: String,
    color: Option<String>,
}

fn row(index: usize, record: &MessageRecord, log: &LogView, colors: &[(String, String)]) -> Row {
    let format = log
        .format
        .get_untracked()
        .unwrap_or_else(|| detect(&record.payload));
    let color = colors
        .iter()
        .find(|(filter, _)| mqtt::topic_matches(filter, &record.topic))
        .map(|(_, color)| color.clone());
    Row {
        index,
        seq: record.seq,
        received: record.direction == Direction::Received,
        time: clock_time(record.at_ms),
        topic: record.topic.to_string(),
        qos: record.qos as u8,
        retain: record.retain,
        dup: record.dup,
        size: record.payload.len(),
        preview: render_preview(&record.payload, format, PREVIEW_CHARS).text,
        color,
    }
}

#[component]
pub fn MessageList() -> impl IntoView {
    let log = expect_context::<LogView>();
    let state = expect_context::<AppState>();
    let viewport = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let follow = RwSignal::new(true);
    let total = move || {
        log.shown_version.track();
        log.matched().borrow().seqs.len()
    };
    let rows = move || {
        log.shown_version.track();
        log.format.track();
        let colors: Vec<(String, String)> = state
            .profile(&log.id.get_value())
            .map(|p| {
                p.subscriptions
                    .into_iter()
                    .map(|s| (s.filter, s.color))
                    .collect()
            })
            .unwrap_or_default();
        let matched = log.matched();
        let matched = matched.borrow();
        let first = (scroll_top.get() / ROW_HEIGHT).floor().max(0.0) as usize;
        let start = first.saturating_sub(OVERSCAN).min(matched.seqs.len());
        let end = (first + VIEWPORT_ROWS + OVERSCAN).min(matched.seqs.len());
        let store = log.store();
        let store = store.borrow();
        matched.seqs[start..end]
            .iter()
            .enumerate()
            .filter_map(|(offset, seq)| {
                store
                    .get(*seq)
                    .map(|r| row(start + offset, r, &log, &colors))
            })
            .collect::<Vec<_>>()
    };
    // Keep the newest message in view while following.
    Effect::new(move |_| {
        log.shown_version.track();
        if !follow.get_untracked() {
            return;
        }
        request_animation_frame(move || {
            if let Some(el) = viewport.get_untracked() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    });
    let on_scroll = move |_| {
        if let Some(el) = viewport.get_untracked() {
            let top = f64::from(el.scroll_top());
            scroll_top.set(top);
            let bottom = f64::from(el.scroll_height() - el.client_height());
            follow.set(top >= bottom - ROW_HEIGHT);
        }
    };
    view! {
        <div
            class="log-viewport"
            role="list"
            aria-label="Message list"
            node_ref=viewport
            on:scroll=on_scroll
            style=format!("height:{}px", ROW_HEIGHT * VIEWPORT_ROWS as f64)
        >
            <div class="log-spacer" style=move || format!("height:{}px", total() as f64 * ROW_HEIGHT)>
                <For
                    each=rows
                    key=|row| (row.seq, row.index, row.preview.clone())
                    children=move |row| {
                        let seq = row.seq;
                        let direction = if row.received { "received" } else { "published" };
                        view! {
                            <div
                                class=format!("log-row msg-{direction}")
                                role="listitem"
                                class:selected=move || log.selected.get() == Some(seq)
                                style=format!("top:{}px;height:{}px", row.index as f64 * ROW_HEIGHT, ROW_HEIGHT)
                                on:click=move |_| log.selected.set(Some(seq))
                            >
                                <span
                                    class="msg-swatch"
                                    aria-hidden="true"
                                    style=row.color.map(|c| format!("background:{c}")).unwrap_or_default()
                                ></span>
                                <div class="msg-meta">
                                    <span class="msg-direction">{if row.received { "←" } else { "→" }}</span>
                                    <span class="msg-topic">{row.topic}</span>
                                    <span class="msg-qos">{format!("QoS {}", row.qos)}</span>
                                    {row.retain.then(|| view! { <span class="msg-flag" title="retained">"retained"</span> })}
                                    {row.dup.then(|| view! { <span class="msg-flag" title="duplicate">"dup"</span> })}
                                    <span class="msg-size">{format!("{} B", row.size)}</span>
                                    <time class="msg-time">{row.time}</time>
                                </div>
                                <div class="msg-preview">{row.preview}</div>
                            </div>
                        }
                    }
                />
            </div>
        </div>
    }
}
