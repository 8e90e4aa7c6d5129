//! The packet inspector: every packet sent and received, with time, direction, type,
//! size and its decoded fields (expandable), filterable by type. Bounded in memory by
//! the runtime's ring of records.

use leptos::prelude::*;

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

#[component]
pub fn PacketInspector(runtime: ConnectionRuntime) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let rows = move || {
        let wanted = filter.get();
        runtime.packets.with(|packets| {
            packets
                .iter()
                .filter(|p| wanted.is_empty() || p.kind == wanted)
                .cloned()
                .collect::<Vec<_>>()
        })
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
                <span class="count">{move || format!("{} packets", runtime.packets.with(|p| p.len()))}</span>
            </div>
            <ol class="packet-list">
                {move || {
                    rows()
                        .into_iter()
                        .map(|p| {
                            let direction = if p.sent { "sent" } else { "received" };
                            view! {
                                <li class=format!("packet packet-{direction}")>
                                    <details>
                                        <summary>
                                            <time>{clock_time(p.at_ms)}</time>
                                            <span class="direction">{if p.sent { "→" } else { "←" }}</span>
                                            <span class="kind">{p.kind}</span>
                                            <span class="size">{format!("{} B", p.size)}</span>
                                            <span class="summary">{p.summary}</span>
                                        </summary>
                                        <pre>{p.details}</pre>
                                    </details>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </section>
    }
}
