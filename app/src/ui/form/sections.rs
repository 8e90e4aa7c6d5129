//! The form's sections below the broker address.

use leptos::prelude::*;

use super::fields::{
    CheckField, FieldMessage, FormContext, NumberField, PairsEditor, SelectField, TextField,
};
use crate::model::profile::{
    generate_client_id, AuthMechanism, MqttVersion, PayloadFormat, WillConfig,
};
use crate::model::validate::{parse_number, parse_optional, Field};
use crate::platform::random;

fn form() -> FormContext {
    expect_context::<FormContext>()
}

#[component]
pub fn General() -> impl IntoView {
    view! {
        <fieldset>
            <legend>"General"</legend>
            <div class="field-row">
                <TextField label="Name" id="conn-name" field=Field::Name get=|d| d.name.clone() set=|d, v| d.name = v/>
                <TextField label="Folder" id="conn-folder" placeholder="optional" get=|d| d.folder.clone() set=|d, v| d.folder = v.trim().to_string()/>
            </div>
        </fieldset>
    }
}

#[component]
pub fn Credentials() -> impl IntoView {
    let form = form();
    let show_password = RwSignal::new(false);
    view! {
        <fieldset>
            <legend>"Identity"</legend>
            <div class="field-row">
                <TextField label="Client ID" id="conn-client-id" field=Field::ClientId get=|d| d.client_id.clone() set=|d, v| d.client_id = v/>
                <button type="button" class="inline" on:click=move |_| form.draft.update(|d| d.client_id = generate_client_id(random()))>
                    "Generate"
                </button>
                <CheckField label="Append a timestamp on connect" id="conn-append-ts" get=|d| d.append_timestamp set=|d, v| d.append_timestamp = v/>
            </div>
            <div class="field-row">
                <TextField label="Username" id="conn-username" field=Field::Username get=|d| d.username.clone() set=|d, v| d.username = v/>
                <div class="field">
                    <label for="conn-password">"Password"</label>
                    <span class="with-unit">
                        <input
                            id="conn-password"
                            type=move || if show_password.get() { "text" } else { "password" }
                            autocomplete="new-password"
                            prop:value=move || form.draft.with(|d| d.password.clone())
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                form.draft.update(|d| d.password = value);
                            }
                        />
                        <button type="button" class="small" on:click=move |_| show_password.update(|s| *s = !*s)>
                            {move || if show_password.get() { "Hide" } else { "Show" }}
                        </button>
                    </span>
                    <FieldMessage field=Some(Field::Password)/>
                </div>
                <CheckField label="Remember password" id="conn-remember" get=|d| d.remember_password set=|d, v| d.remember_password = v/>
            </div>
            <Show when=move || form.draft.with(|d| d.version.is_v5())>
                <SelectField
                    label="Enhanced authentication"
                    id="conn-auth"
                    field=Field::Auth
                    options=&[("none", "None"), ("SCRAM-SHA-1", "SCRAM-SHA-1"), ("SCRAM-SHA-256", "SCRAM-SHA-256"), ("SCRAM-SHA-512", "SCRAM-SHA-512")]
                    get=|d| auth_value(d.auth_mechanism).to_string()
                    set=|d, v| d.auth_mechanism = auth_from(v)
                />
            </Show>
        </fieldset>
    }
}

fn auth_value(mechanism: AuthMechanism) -> &'static str {
    match mechanism {
        AuthMechanism::None => "none",
        AuthMechanism::ScramSha1 => "SCRAM-SHA-1",
        AuthMechanism::ScramSha256 => "SCRAM-SHA-256",
        AuthMechanism::ScramSha512 => "SCRAM-SHA-512",
    }
}

fn auth_from(value: &str) -> AuthMechanism {
    match value {
        "SCRAM-SHA-1" => AuthMechanism::ScramSha1,
        "SCRAM-SHA-256" => AuthMechanism::ScramSha256,
        "SCRAM-SHA-512" => AuthMechanism::ScramSha512,
        _ => AuthMechanism::None,
    }
}

#[component]
pub fn Session() -> impl IntoView {
    let form = form();
    let clean_label = move || {
        if form.draft.with(|d| d.version.is_v5()) {
            "Clean Start"
        } else {
            "Clean session"
        }
    };
    view! {
        <fieldset>
            <legend>"Session"</legend>
            <div class="field-row">
                <SelectField
                    label="MQTT version"
                    id="conn-version"
                    options=&[("3.1", "3.1"), ("3.1.1", "3.1.1"), ("5.0", "5.0")]
                    get=|d| d.version.label().to_string()
                    set=|d, v| d.version = MqttVersion::from_label(v).unwrap_or_default()
                />
                <div class="field check">
                    <input
                        id="conn-clean"
                        type="checkbox"
                        prop:checked=move || form.draft.with(|d| d.clean_start)
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            form.draft.update(|d| d.clean_start = checked);
                        }
                    />
                    <label for="conn-clean">{clean_label}</label>
                </div>
                <NumberField
                    label="Keep alive"
                    id="conn-keep-alive"
                    unit="s"
                    get=|d| d.keep_alive_secs.to_string()
                    set=|d, v| { d.keep_alive_secs = parse_number(v, "Keep alive", "from 0 to 65535 (0 turns it off)")?; Ok(()) }
                />
                <NumberField
                    label="Connect timeout"
                    id="conn-timeout"
                    unit="s"
                    field=Field::ConnectTimeout
                    get=|d| d.connect_timeout_secs.to_string()
                    set=|d, v| { d.connect_timeout_secs = parse_number(v, "Connect timeout", "of seconds")?; Ok(()) }
                />
            </div>
        </fieldset>
    }
}

#[component]
pub fn Reconnect() -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Reconnect"</legend>
            <div class="field-row">
                <CheckField label="Auto reconnect" id="conn-reconnect" get=|d| d.reconnect.enabled set=|d, v| d.reconnect.enabled = v/>
                <NumberField
                    label="Reconnect period"
                    id="conn-reconnect-period"
                    unit="ms"
                    field=Field::Reconnect
                    get=|d| d.reconnect.period_ms.to_string()
                    set=|d, v| { d.reconnect.period_ms = parse_number(v, "Reconnect period", "of milliseconds")?; Ok(()) }
                />
                <NumberField
                    label="Backoff factor"
                    id="conn-backoff"
                    get=|d| d.reconnect.backoff.to_string()
                    set=|d, v| {
                        let factor: f32 = v.trim().parse().map_err(|_| "Backoff factor must be a number like 1.5".to_string())?;
                        if !(1.0..=10.0).contains(&factor) { return Err("Backoff factor must be from 1 to 10".into()); }
                        d.reconnect.backoff = factor;
                        Ok(())
                    }
                />
                <NumberField
                    label="Maximum attempts"
                    id="conn-max-attempts"
                    placeholder="0 = unlimited"
                    get=|d| d.reconnect.max_attempts.to_string()
                    set=|d, v| { d.reconnect.max_attempts = parse_number(v, "Maximum attempts", "(0 = unlimited)")?; Ok(()) }
                />
                <CheckField label="Auto resubscribe" id="conn-resubscribe" get=|d| d.auto_resubscribe set=|d, v| d.auto_resubscribe = v/>
            </div>
        </fieldset>
    }
}

#[component]
pub fn V5Options() -> impl IntoView {
    view! {
        <fieldset>
            <legend>"MQTT 5.0"</legend>
            <div class="field-row">
                <NumberField
                    label="Session expiry interval"
                    id="conn-session-expiry"
                    unit="s"
                    placeholder="0"
                    get=|d| d.session_expiry_interval.map(|v| v.to_string()).unwrap_or_default()
                    set=|d, v| { d.session_expiry_interval = parse_optional(v, "Session expiry interval", "of seconds")?; Ok(()) }
                />
                <NumberField
                    label="Receive maximum"
                    id="conn-receive-max"
                    field=Field::ReceiveMaximum
                    placeholder="65535"
                    get=|d| d.receive_maximum.map(|v| v.to_string()).unwrap_or_default()
                    set=|d, v| { d.receive_maximum = parse_optional(v, "Receive maximum", "from 1 to 65535")?; Ok(()) }
                />
                <NumberField
                    label="Maximum packet size"
                    id="conn-max-packet"
                    unit="B"
                    field=Field::MaximumPacketSize
                    placeholder="no limit"
                    get=|d| d.maximum_packet_size.map(|v| v.to_string()).unwrap_or_default()
                    set=|d, v| { d.maximum_packet_size = parse_optional(v, "Maximum packet size", "of bytes")?; Ok(()) }
                />
                <NumberField
                    label="Topic alias maximum"
                    id="conn-alias-max"
                    placeholder="0"
                    get=|d| d.topic_alias_maximum.map(|v| v.to_string()).unwrap_or_default()
                    set=|d, v| { d.topic_alias_maximum = parse_optional(v, "Topic alias maximum", "from 0 to 65535")?; Ok(()) }
                />
            </div>
            <div class="field-row">
                <CheckField label="Request response information" id="conn-req-response" get=|d| d.request_response_information set=|d, v| d.request_response_information = v/>
                <CheckField label="Request problem information" id="conn-req-problem" get=|d| d.request_problem_information set=|d, v| d.request_problem_information = v/>
            </div>
            <PairsEditor label="User properties" id="conn-user-props" field=Field::UserProperties get=|d| d.user_properties.clone() edit=|d| &mut d.user_properties/>
        </fieldset>
    }
}

fn will_mut(d: &mut crate::model::profile::ConnectionProfile) -> &mut WillConfig {
    d.will.get_or_insert_with(WillConfig::default)
}

#[component]
pub fn Will() -> impl IntoView {
    let form = form();
    let has_will = move || form.draft.with(|d| d.will.is_some());
    let is_v5 = move || form.draft.with(|d| d.version.is_v5());
    view! {
        <fieldset>
            <legend>"Last will"</legend>
            <CheckField
                label="Send a last will"
                id="conn-will"
                get=|d| d.will.is_some()
                set=|d, v| d.will = if v { Some(d.will.take().unwrap_or_default()) } else { None }
            />
            <Show when=has_will>
                <div class="field-row">
                    <TextField label="Will topic" id="will-topic" field=Field::WillTopic get=|d| d.will.as_ref().map(|w| w.topic.clone()).unwrap_or_default() set=|d, v| will_mut(d).topic = v/>
                    <SelectField
                        label="Will QoS"
                        id="will-qos"
                        field=Field::WillQos
                        options=&[("0", "0"), ("1", "1"), ("2", "2")]
                        get=|d| d.will.as_ref().map(|w| w.qos).unwrap_or_default().to_string()
                        set=|d, v| will_mut(d).qos = v.parse().unwrap_or(0)
                    />
                    <CheckField label="Will retain" id="will-retain" get=|d| d.will.as_ref().is_some_and(|w| w.retain) set=|d, v| will_mut(d).retain = v/>
                    <SelectField
                        label="Will payload format"
                        id="will-format"
                        options=&[("text", "Text"), ("json", "JSON"), ("hex", "Hex"), ("base64", "Base64")]
                        get=|d| d.will.as_ref().map(|w| w.payload_format).unwrap_or_default().value().to_string()
                        set=|d, v| will_mut(d).payload_format = PayloadFormat::from_value(v)
                    />
                </div>
                <div class="field wide">
                    <label for="will-payload">"Will payload"</label>
                    <textarea
                        id="will-payload"
                        rows="3"
                        prop:value=move || form.draft.with(|d| d.will.as_ref().map(|w| w.payload.clone()).unwrap_or_default())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            form.draft.update(|d| will_mut(d).payload = value);
                        }
                    ></textarea>
                    {move || {
                        let (payload, format) = form.draft.with(|d| d.will.as_ref().map(|w| (w.payload.clone(), w.payload_format)).unwrap_or_default());
                        crate::model::payload::encode_payload(&payload, format)
                            .err()
                            .map(|e| view! { <p class="field-error" role="alert">{e.to_string()}</p> })
                    }}
                </div>
                <Show when=is_v5>
                    <WillV5/>
                </Show>
            </Show>
        </fieldset>
    }
}

#[component]
fn WillV5() -> impl IntoView {
    view! {
        <div class="field-row">
            <NumberField
                label="Will delay interval"
                id="will-delay"
                unit="s"
                get=|d| d.will.as_ref().and_then(|w| w.delay_interval).map(|v| v.to_string()).unwrap_or_default()
                set=|d, v| { will_mut(d).delay_interval = parse_optional(v, "Will delay interval", "of seconds")?; Ok(()) }
            />
            <NumberField
                label="Will message expiry"
                id="will-expiry"
                unit="s"
                get=|d| d.will.as_ref().and_then(|w| w.message_expiry).map(|v| v.to_string()).unwrap_or_default()
                set=|d, v| { will_mut(d).message_expiry = parse_optional(v, "Will message expiry", "of seconds")?; Ok(()) }
            />
            <TextField label="Will content type" id="will-content-type" get=|d| d.will.as_ref().map(|w| w.content_type.clone()).unwrap_or_default() set=|d, v| will_mut(d).content_type = v/>
            <CheckField label="Will payload is UTF-8" id="will-pfi" get=|d| d.will.as_ref().is_some_and(|w| w.payload_format_indicator) set=|d, v| will_mut(d).payload_format_indicator = v/>
            <TextField label="Will response topic" id="will-response-topic" get=|d| d.will.as_ref().map(|w| w.response_topic.clone()).unwrap_or_default() set=|d, v| will_mut(d).response_topic = v/>
            <TextField label="Will correlation data" id="will-correlation" get=|d| d.will.as_ref().map(|w| w.correlation_data.clone()).unwrap_or_default() set=|d, v| will_mut(d).correlation_data = v/>
        </div>
        <PairsEditor
            label="Will user properties"
            id="will-user-props"
            get=|d| d.will.as_ref().map(|w| w.user_properties.clone()).unwrap_or_default()
            edit=|d| &mut will_mut(d).user_properties
        />
    }
}

/// Options desktop clients offer that a browser cannot honour, and what to do instead.
#[component]
pub fn BrowserLimits() -> impl IntoView {
    view! {
        <details class="browser-limits">
            <summary>"TLS certificates, ALPN and custom headers"</summary>
            <p>
                "A browser does not let a page choose client certificates, CA files, skip certificate checks, "
                "set ALPN or add custom WebSocket handshake headers: the browser's own certificate store and "
                "network stack decide. For a broker with a self-signed certificate, open its https://host:port "
                "address in this browser once and accept the certificate, or add its CA to the system's trust "
                "store. For client certificates, install the certificate in the browser; it offers it itself. "
                "Use a username and password or MQTT 5 enhanced authentication (SCRAM) instead of headers."
            </p>
        </details>
    }
}
