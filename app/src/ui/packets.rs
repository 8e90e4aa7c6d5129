//! The packet inspector: every packet sent and received, with time, direction, type,
//! size and a one-line summary; the decoded fields of the selected one. Records live
//! outside the reactive graph (bounded); the list is virtualised (only the rows in view
//! are in the DOM, following the newest), and a packet's text is made only when its row
//! is on screen.

use leptos::prelude::*;
use mqtt::Packet;

use super::row_pool::{pooled_rows, slot_class};
use super::time::clock_time;
use super::virtual_window::VirtualWindow;
use crate::state::ConnectionRuntime;

const TYPES: [&str; 15] = [
    "CONNECT",
    "CONNACK",
    "PUBLISH",
    "PUBACK",
    "PUBREC",
    "PUBREL",
    "PUBCOMP",
    "SUBSCRIBE",
    "SUBACK",
    "UNSUBSCRIBE",
    "UNSUBACK",
    "PINGREQ",
    "PINGRESP",
    "DISCONNECT",
    "AUTH",
];
/// The decoded text of a packet is cut here (payloads can be huge).
const MAX_DETAILS: usize = 8_192;
const ROW_HEIGHT: f64 = 22.0;
const VIEWPORT_ROWS: usize = 14;
const OVERSCAN: usize = 4;

#[derive(Clone, PartialEq, Default)]
struct Row {
    /// Position among the rows the filter lets through.
    position: usize,
    seq: u64,
    at_ms: u64,
    sent: bool,
    kind: &'static str,
    size: usize,
    summary: String,
}

#[component]
pub fn PacketInspector(runtime: ConnectionRuntime) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let selected = RwSignal::new(None::<u64>);
    let window = VirtualWindow::new(ROW_HEIGHT, VIEWPORT_ROWS, OVERSCAN);
    // Deque positions of the packets the type filter lets through, oldest first.
    let matched = Memo::new(move |_| {
        runtime.packets_version.track();
        let wanted = filter.get();
        runtime.packets.with_value(|packets| {
            packets
                .iter()
                .enumerate()
                .filter(|(_, p)| wanted.is_empty() || p.kind == wanted)
                .map(|(index, _)| index)
                .collect::<Vec<_>>()
        })
    });
    let rows = Memo::new(move |_| {
        // Once the inspector is full, `matched` stays the same list of positions while
        // the packets at them change: the rows follow the packets, not only the list.
        runtime.packets_version.track();
        let matched = matched.get();
        let first_seq = runtime.packets_evicted.get_value();
        runtime.packets.with_value(|packets| {
            window
                .range(matched.len())
                .filter_map(|position| {
                    let index = matched[position];
                    packets.get(index).map(|p| Row {
                        position,
                        seq: first_seq + index as u64,
                        at_ms: p.at_ms,
                        sent: p.sent,
                        kind: p.kind,
                        size: p.size,
                        summary: summary(&p.packet),
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let count = move || {
        runtime.packets_version.track();
        runtime.packets.with_value(|p| p.len())
    };
    let details = move || {
        runtime.packets_version.track();
        let seq = selected.get()?;
        let index = seq.checked_sub(runtime.packets_evicted.get_value())?;
        runtime.packets.with_value(|packets| {
            packets
                .get(usize::try_from(index).ok()?)
                .map(|p| details(&p.packet))
        })
    };
    window.follow_newest(move || matched.with(Vec::len));
    tell_redraws_when_on_screen(window, runtime);
    view! {
        <section class="packets" aria-label="Packet inspector">
            <h2>"Packets"</h2>
            <div class="field inline">
                <label for="packet-filter">"Packet type"</label>
                <select id="packet-filter" on:change=move |ev| filter.set(event_target_value(&ev))>
                    <option value="">"All"</option>
                    {TYPES.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
                </select>
                <span class="count">{move || format!("{} packets", count())}</span>
            </div>
            <div
                class="packet-viewport"
                node_ref=window.viewport
                on:scroll=move |_| window.on_scroll()
                style=window.viewport_style()
            >
                <ol class="packet-list" style=move || window.spacer_style(matched.with(Vec::len))>
                    {pooled_rows(rows, move |row, shown| packet_row(row, shown, selected, window))}
                </ol>
            </div>
            {move || details().map(|text| view! { <pre class="packet-details" aria-label="Packet fields">{text}</pre> })}
        </section>
    }
}

/// Tells the redraws whether the inspector is on screen (it is drawn less often off it).
fn tell_redraws_when_on_screen(window: VirtualWindow, runtime: ConnectionRuntime) {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(viewport) = window.viewport.get() {
            crate::client::visibility::watch_on_screen(&viewport, move |on_screen| {
                crate::client::frames::set_packets_on_screen(runtime, on_screen);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (window, runtime);
    });
}

/// One pooled row of the list; every binding reads the packet the slot shows now. A
/// spare slot (`shown` false) is hidden and carries none of a row's classes.
fn packet_row(
    row: Memo<Row>,
    shown: Memo<bool>,
    selected: RwSignal<Option<u64>>,
    window: VirtualWindow,
) -> impl IntoView {
    let seq = Memo::new(move |_| row.with(|r| r.seq));
    let direction = move || {
        if row.with(|r| r.sent) {
            "sent"
        } else {
            "received"
        }
    };
    view! {
        <li
            class=slot_class(shown, "packet-spare", move || format!("packet packet-{}", direction()))
            hidden=move || !shown.get()
            class:selected=move || selected.get() == Some(seq.get())
            style=move || window.row_style(row.with(|r| r.position))
        >
            <button type="button" class="packet-row" on:click=move |_| selected.set(Some(seq.get_untracked()))>
                <time>{move || row.with(|r| clock_time(r.at_ms))}</time>
                <span class="direction">{move || if row.with(|r| r.sent) { "→" } else { "←" }}</span>
                <span class="kind">{move || row.with(|r| r.kind)}</span>
                <span class="size">{move || row.with(|r| format!("{} B", r.size))}</span>
                <span class="summary">{move || row.with(|r| r.summary.clone())}</span>
            </button>
        </li>
    }
}

fn details(packet: &Packet) -> String {
    let mut text = format!("{packet:#?}");
    if text.len() > MAX_DETAILS {
        let mut cut = MAX_DETAILS;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("\n… (cut; the message log shows the whole payload)");
    }
    text
}

fn summary(packet: &Packet) -> String {
    match packet {
        Packet::Connect(c) => format!("client id \"{}\", keep alive {}", c.client_id, c.keep_alive),
        Packet::ConnAck(c) => format!("{} (session present: {})", c.code.name(), c.session_present),
        Packet::Publish(p) => format!("{} · QoS {} · {} B", p.topic, p.qos as u8, p.payload.len()),
        Packet::Subscribe(s) => s
            .filters
            .iter()
            .map(|f| f.filter.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Packet::Unsubscribe(u) => u
            .filters
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Packet::Disconnect(d) => d.code.name().to_string(),
        Packet::Auth(a) => a.code.name().to_string(),
        _ => String::new(),
    }
}
