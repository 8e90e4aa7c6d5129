//! What the broker granted in CONNACK, every property, with the spec's defaults shown
//! for those it left out.

use leptos::prelude::*;
use mqtt::client::ConnectionInfo;

use crate::state::ConnectionRuntime;

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

fn or_none<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_string(), |v| v.to_string())
}

/// (label, value) rows for the panel.
pub fn granted_rows(info: &ConnectionInfo) -> Vec<(&'static str, String)> {
    let limits = &info.limits;
    let mut rows = vec![
        (
            "Protocol",
            format!("MQTT {}", protocol_label(info.protocol)),
        ),
        ("Session present", yes_no(info.session_present)),
        ("Client ID", info.client_id.to_string()),
        (
            "Assigned client identifier",
            or_none(info.assigned_client_identifier.as_ref()),
        ),
        ("Keep alive", format!("{} s", info.keep_alive_secs)),
        (
            "Server keep alive",
            or_none(info.server_keep_alive.map(|s| format!("{s} s"))),
        ),
        (
            "Session expiry interval",
            or_none(info.session_expiry_interval.map(|s| format!("{s} s"))),
        ),
        ("Receive maximum", limits.receive_maximum.to_string()),
        ("Maximum QoS", (limits.maximum_qos as u8).to_string()),
        ("Retain available", yes_no(limits.retain_available)),
        (
            "Maximum packet size",
            limits
                .maximum_packet_size
                .map_or_else(|| "no limit".into(), |s| format!("{s} B")),
        ),
        (
            "Topic alias maximum",
            limits.topic_alias_maximum.to_string(),
        ),
        (
            "Wildcard subscriptions",
            yes_no(limits.wildcard_subscription_available),
        ),
        (
            "Shared subscriptions",
            yes_no(limits.shared_subscription_available),
        ),
        (
            "Subscription identifiers",
            yes_no(limits.subscription_identifiers_available),
        ),
        (
            "Response information",
            or_none(info.response_information.as_ref()),
        ),
        ("Server reference", or_none(info.server_reference.as_ref())),
        ("Reason string", or_none(info.reason_string.as_ref())),
    ];
    for (key, value) in &info.user_properties {
        rows.push(("User property", format!("{key} = {value}")));
    }
    rows
}

fn protocol_label(protocol: mqtt::ProtocolVersion) -> &'static str {
    match protocol {
        mqtt::ProtocolVersion::V3_1 => "3.1",
        mqtt::ProtocolVersion::V3_1_1 => "3.1.1",
        mqtt::ProtocolVersion::V5 => "5.0",
    }
}

#[component]
pub fn GrantedPanel(runtime: ConnectionRuntime) -> impl IntoView {
    move || {
        runtime.granted.get().map(|info| {
            let rows = granted_rows(&info);
            view! {
                <section class="granted" aria-label="Granted by the broker">
                    <h2>"Granted by the broker"</h2>
                    <dl>
                        {rows
                            .into_iter()
                            .map(|(label, value)| view! { <div class="granted-row"><dt>{label}</dt><dd>{value}</dd></div> })
                            .collect_view()}
                    </dl>
                </section>
            }
        })
    }
}
