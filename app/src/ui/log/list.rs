//! The virtualised message list: a fixed row height, a spacer as tall as all matching
//! messages, and only the rows in view (plus a few) rendered. Decoding for display
//! happens here, for visible rows only, in the format the message, its subscription or
//! the log chose (JSON coloured); each row can pick its own. A payload longer than a
//! row shows its start and says it is cut and how big it is; the detail view shows all
//! of it. The list follows the newest message unless the user scrolled up.

use leptos::either::Either;
use leptos::prelude::*;

use super::highlight::highlighted_html;
use super::row_format::RowFormat;
use super::view_model::{LogView, SubscriptionLook};
use crate::messages::decode::render_preview;
use crate::messages::{Direction, FormatLevels, MessageRecord, PayloadFormat};
use crate::state::AppState;
use crate::ui::row_pool::{pooled_rows, slot_class};
use crate::ui::time::clock_time;
use crate::ui::virtual_window::VirtualWindow;

const ROW_HEIGHT: f64 = 44.0;
const VIEWPORT_ROWS: usize = 12;
const OVERSCAN: usize = 6;
const PREVIEW_CHARS: usize = 160;

#[derive(Clone, PartialEq, Default)]
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
    /// The preview is valid JSON, to be coloured.
    json: bool,
    /// Why the payload is not valid in its format.
    error: Option<String>,
    /// Only the start of the payload fits the row.
    truncated: bool,
    color: Option<String>,
    /// The format picked for this message alone, and the one it has without.
    own_format: Option<PayloadFormat>,
    inherited: PayloadFormat,
}

fn row(index: usize, record: &MessageRecord, log: &LogView, looks: &[SubscriptionLook]) -> Row {
    let levels = log.format_levels(record, looks);
    // What the row would show without its own choice (its picker names it), then its
    // own choice over that.
    let inherited = FormatLevels {
        message: None,
        ..levels
    }
    .choose(&record.payload)
    .format;
    let format = levels.message.unwrap_or(inherited);
    let color = looks
        .iter()
        .find(|look| mqtt::topic_matches(&look.filter, &record.topic))
        .map(|look| look.color.clone());
    let preview = render_preview(&record.payload, format, PREVIEW_CHARS);
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
        json: format == PayloadFormat::Json && preview.error.is_none(),
        error: preview.error.map(|error| error.to_string()),
        truncated: preview.truncated,
        preview: preview.text,
        color,
        own_format: levels.message,
        inherited,
    }
}

/// A payload size as the list shows it: bytes up to 10 KiB, then KiB or MiB.
pub fn human_size(bytes: usize) -> String {
    const KIB: f64 = 1024.0;
    let value = bytes as f64;
    if bytes < 10 * 1024 {
        format!("{bytes} B")
    } else if value < KIB * KIB {
        format!("{:.1} KiB", value / KIB)
    } else {
        format!("{:.1} MiB", value / (KIB * KIB))
    }
}

#[component]
pub fn MessageList() -> impl IntoView {
    let log = expect_context::<LogView>();
    let state = expect_context::<AppState>();
    let window = VirtualWindow::new(ROW_HEIGHT, VIEWPORT_ROWS, OVERSCAN);
    let total = move || {
        log.shown_version.track();
        log.matched().borrow().seqs.len()
    };
    let rows = Memo::new(move |_| {
        log.shown_version.track();
        log.format.track();
        log.message_formats.track();
        let looks = log.subscription_looks(&state);
        let matched = log.matched();
        let matched = matched.borrow();
        let range = window.range(matched.seqs.len());
        let start = range.start;
        let store = log.store();
        let store = store.borrow();
        matched.seqs[range]
            .iter()
            .enumerate()
            .filter_map(|(offset, seq)| {
                store
                    .get(*seq)
                    .map(|r| row(start + offset, r, &log, &looks))
            })
            .collect::<Vec<_>>()
    });
    window.follow_newest(total);
    view! {
        <div
            class="log-viewport"
            role="list"
            aria-label="Message list"
            node_ref=window.viewport
            on:scroll=move |_| window.on_scroll()
            style=window.viewport_style()
        >
            <div class="log-spacer" style=move || window.spacer_style(total())>
                {pooled_rows(rows, move |row, shown| message_row(row, shown, log, window))}
            </div>
        </div>
    }
}

/// One pooled row of the list; every binding reads the message the slot shows now. A
/// spare slot (`shown` false) is hidden and carries none of a row's classes.
fn message_row(
    row: Memo<Row>,
    shown: Memo<bool>,
    log: LogView,
    window: VirtualWindow,
) -> impl IntoView {
    let seq = Memo::new(move |_| row.with(|r| r.seq));
    let own = Memo::new(move |_| row.with(|r| r.own_format));
    let inherited = Memo::new(move |_| row.with(|r| r.inherited));
    let field = move |read: fn(&Row) -> String| move || row.with(read);
    let flag =
        move |shown: fn(&Row) -> bool, view: fn() -> AnyView| move || row.with(shown).then(view);
    view! {
        <div
            class=slot_class(shown, "log-row-spare", move || {
                let direction = if row.with(|r| r.received) { "received" } else { "published" };
                format!("log-row msg-{direction}")
            })
            hidden=move || !shown.get()
            role="listitem"
            class:selected=move || log.selected.get() == Some(seq.get())
            style=move || window.row_style(row.with(|r| r.index))
            on:click=move |_| log.selected.set(Some(seq.get_untracked()))
        >
            <span
                class="msg-swatch"
                aria-hidden="true"
                style=field(|r| r.color.as_ref().map(|c| format!("background:{c}")).unwrap_or_default())
            ></span>
            <div class="msg-meta">
                <span class="msg-direction">{move || if row.with(|r| r.received) { "←" } else { "→" }}</span>
                <span class="msg-topic">{field(|r| r.topic.clone())}</span>
                <span class="msg-qos">{field(|r| format!("QoS {}", r.qos))}</span>
                {flag(|r| r.retain, || view! { <span class="msg-flag" title="retained">"retained"</span> }.into_any())}
                {flag(|r| r.dup, || view! { <span class="msg-flag" title="duplicate">"dup"</span> }.into_any())}
                <span class="msg-size" title=field(|r| format!("{} bytes", r.size))>{field(|r| human_size(r.size))}</span>
                {flag(|r| r.truncated, || view! {
                    <span class="msg-flag msg-collapsed" title="Only the start is shown here; open the message for all of it">"collapsed"</span>
                }.into_any())}
                {move || row.with(|r| r.error.clone()).map(|error| view! {
                    <span class="msg-flag msg-invalid" title=error>"invalid"</span>
                })}
                <time class="msg-time">{field(|r| r.time.clone())}</time>
                <RowFormat seq own inherited/>
            </div>
            <Preview row/>
        </div>
    }
}

/// A row's payload preview: JSON coloured through one parse of escaped HTML, anything
/// else as one text node, so a new message costs the row one DOM update.
#[component]
fn Preview(row: Memo<Row>) -> impl IntoView {
    move || {
        row.with(|r| {
            if r.json {
                Either::Left(view! { <div class="msg-preview json" inner_html=highlighted_html(&r.preview)></div> })
            } else {
                Either::Right(view! { <div class="msg-preview">{r.preview.clone()}</div> })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_are_exact_when_small_and_readable_when_large() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(10_239), "10239 B");
        assert_eq!(human_size(10_240), "10.0 KiB");
        assert_eq!(human_size(5 * 1024 * 1024 + 512 * 1024), "5.5 MiB");
    }
}
