//! The packet inspector: every packet sent and received, with time, direction, type,
//! size and a one-line summary; the decoded fields of the selected one. Records live
//! outside the reactive graph (bounded), the newest rows are shown, and a packet's text
//! is made only when its row is on screen.

use leptos::prelude::*;
use mqtt::Packet;

use super::time::clock_time;
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
/// Rows rendered at most (the newest); older records stay available by filtering.
const SHOWN_ROWS: usize = 200;
/// The decoded text of a packet is cut here (payloads can be huge).
const MAX_DETAILS: usize = 8_192;

#[derive(Clone, PartialEq)]
struct Row {
    index: usize,
    at_ms: u64,
    sent: bool,
    kind: &'static str,
    size: usize,
    summary: String,
}

#[component]
pub fn PacketInspector(runtime: ConnectionRuntime) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let selected = RwSignal::new(None::<usize>);
    let rows = move || {
        runtime.packets_version.track();
        let wanted = filter.get();
        runtime.packets.with_value(|packets| {
            let mut rows: Vec<Row> = packets
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, p)| wanted.is_empty() || p.kind == wanted)
                .take(SHOWN_ROWS)
                .map(|(index, p)| Row {
                    index,
                    at_ms: p.at_ms,
                    sent: p.sent,
                    kind: p.kind,
                    size: p.size,
                    summary: summary(&p.packet),
                })
                .collect();
            rows.reverse();
            rows
        })
    };
    let count = move || {
        runtime.packets_version.track();
        runtime.packets.with_value(|p| p.len())
    };
    let details = move || {
        runtime.packets_version.track();
        let index = selected.get()?;
        runtime
            .packets
            .with_value(|packets| packets.get(index).map(|p| details(&p.packet)))
    };
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
            <ol class="packet-list">
                <For
                    each=rows
                    key=|row| (row.index, row.at_ms, row.kind)
                    children=move |row| {
                        let direction = if row.sent { "sent" } else { "received" };
                        let index = row.index;
                        view! {
                            <li class=format!("packet packet-{direction}") class:selected=move || selected.get() == Some(index)>
                                <button type="button" class="packet-row" on:click=move |_| selected.set(Some(index))>
                                    <time>{clock_time(row.at_ms)}</time>
                                    <span class="direction">{if row.sent { "→" } else { "←" }}</span>
                                    <span class="kind">{row.kind}</span>
                                    <span class="size">{format!("{} B", row.size)}</span>
                                    <span class="summary">{row.summary}</span>
                                </button>
                            </li>
                        }
                    }
                />
            </ol>
            {move || details().map(|text| view! { <pre class="packet-details" aria-label="Packet fields">{text}</pre> })}
        </section>
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
