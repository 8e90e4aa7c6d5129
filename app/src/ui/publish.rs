//! The publish form: topic (no wildcards), payload in a chosen format, QoS, retain and the
//! MQTT 5 publish properties. Ctrl/Cmd+Enter in the payload sends.

use bytes::Bytes;
use leptos::prelude::*;
use mqtt::client::OutgoingPublish;
use mqtt::{ByteStr, Properties, QoS};

use crate::model::payload::encode_payload;
use crate::model::profile::PayloadFormat;
use crate::state::{AppState, ConnectionRuntime, LinkStatus};

#[derive(Clone, Default, PartialEq)]
struct Draft {
    topic: String,
    payload: String,
    format: PayloadFormat,
    qos: u8,
    retain: bool,
    content_type: String,
    response_topic: String,
    correlation_data: String,
    message_expiry: String,
    utf8_indicator: bool,
    user_properties: String,
}

/// The message the draft describes, or what is wrong with it.
fn build(draft: &Draft, v5: bool) -> Result<OutgoingPublish, String> {
    mqtt::validate_topic_name(&draft.topic).map_err(|e| format!("Topic: {e}"))?;
    let payload =
        encode_payload(&draft.payload, draft.format).map_err(|e| format!("Payload: {e}"))?;
    let mut properties = Properties::default();
    if v5 {
        let text = |s: &str| (!s.is_empty()).then(|| ByteStr::from(s));
        properties.content_type = text(&draft.content_type);
        properties.response_topic = text(&draft.response_topic);
        if let Some(topic) = &properties.response_topic {
            mqtt::validate_topic_name(topic).map_err(|e| format!("Response topic: {e}"))?;
        }
        properties.correlation_data = (!draft.correlation_data.is_empty())
            .then(|| Bytes::from(draft.correlation_data.clone().into_bytes()));
        if !draft.message_expiry.trim().is_empty() {
            let seconds = draft
                .message_expiry
                .trim()
                .parse()
                .map_err(|_| "Message expiry must be a whole number of seconds".to_string())?;
            properties.message_expiry_interval = Some(seconds);
        }
        properties.payload_format_indicator = draft.utf8_indicator.then_some(true);
        for line in draft
            .user_properties
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| format!("User property '{line}' needs the form name=value"))?;
            properties
                .user_properties
                .push((ByteStr::from(key.trim()), ByteStr::from(value.trim())));
        }
    }
    Ok(OutgoingPublish {
        topic: ByteStr::from(draft.topic.as_str()),
        payload: Bytes::from(payload),
        qos: QoS::try_from(draft.qos.min(2)).unwrap_or(QoS::AtMostOnce),
        retain: draft.retain,
        properties,
    })
}

#[component]
pub fn Publish(id: String, runtime: ConnectionRuntime) -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(Draft::default());
    let error = RwSignal::new(None::<String>);
    let v5 = {
        let id = id.clone();
        move || state.profile(&id).is_some_and(|p| p.version.is_v5())
    };
    let send = {
        let (id, v5) = (id.clone(), v5.clone());
        move || {
            if runtime.status.get_untracked() != LinkStatus::Connected {
                error.set(Some(
                    "connect first: messages are published over the live connection".into(),
                ));
                return;
            }
            match build(&draft.get_untracked(), v5()) {
                Ok(message) => {
                    error.set(None);
                    publish(&id, message);
                }
                Err(message) => error.set(Some(message)),
            }
        }
    };
    let send_click = send.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            send();
        }
    };
    let set =
        move |f: fn(&mut Draft, String)| move |ev| f(&mut draft.write(), event_target_value(&ev));
    view! {
        <section class="publish" aria-label="Publish">
            <h2>"Publish"</h2>
            <div class="field-row">
                <div class="field wide-ish">
                    <label for="pub-topic">"Topic"</label>
                    <input id="pub-topic" type="text" placeholder="sensors/kitchen/temperature" on:input=set(|d, v| d.topic = v)/>
                </div>
                <div class="field">
                    <label for="pub-qos">"QoS"</label>
                    <select id="pub-qos" on:change=set(|d, v| d.qos = v.parse().unwrap_or(0))>
                        <option value="0" selected=true>"0"</option>
                        <option value="1">"1"</option>
                        <option value="2">"2"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="pub-format">"Payload format"</label>
                    <select id="pub-format" on:change=set(|d, v| d.format = PayloadFormat::from_value(&v))>
                        <option value="text" selected=true>"Text"</option>
                        <option value="json">"JSON"</option>
                        <option value="hex">"Hex"</option>
                        <option value="base64">"Base64"</option>
                    </select>
                </div>
                <div class="field check">
                    <input id="pub-retain" type="checkbox" on:change=move |ev| draft.update(|d| d.retain = event_target_checked(&ev))/>
                    <label for="pub-retain">"Retain"</label>
                </div>
            </div>
            <div class="field wide">
                <label for="pub-payload">"Payload"</label>
                <textarea id="pub-payload" rows="4" spellcheck="false" on:input=set(|d, v| d.payload = v) on:keydown=on_key></textarea>
            </div>
            <Show when=v5>
                <details class="publish-properties">
                    <summary>"MQTT 5 properties"</summary>
                    <div class="field-row">
                        <div class="field"><label for="pub-content-type">"Content type"</label><input id="pub-content-type" type="text" on:input=set(|d, v| d.content_type = v)/></div>
                        <div class="field"><label for="pub-response-topic">"Response topic"</label><input id="pub-response-topic" type="text" on:input=set(|d, v| d.response_topic = v)/></div>
                        <div class="field"><label for="pub-correlation">"Correlation data"</label><input id="pub-correlation" type="text" on:input=set(|d, v| d.correlation_data = v)/></div>
                        <div class="field"><label for="pub-expiry">"Message expiry"</label><input id="pub-expiry" type="text" inputmode="numeric" placeholder="seconds" on:input=set(|d, v| d.message_expiry = v)/></div>
                        <div class="field check">
                            <input id="pub-utf8" type="checkbox" on:change=move |ev| draft.update(|d| d.utf8_indicator = event_target_checked(&ev))/>
                            <label for="pub-utf8">"Payload is UTF-8"</label>
                        </div>
                    </div>
                    <div class="field wide">
                        <label for="pub-user-props">"User properties (one name=value per line)"</label>
                        <textarea id="pub-user-props" rows="2" on:input=set(|d, v| d.user_properties = v)></textarea>
                    </div>
                </details>
            </Show>
            <div class="form-actions">
                <button type="button" class="primary" on:click=move |_| send_click()>"Publish"</button>
                <span class="hint-text">"Ctrl+Enter in the payload sends"</span>
            </div>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </section>
    }
}

fn publish(id: &str, message: OutgoingPublish) {
    #[cfg(feature = "hydrate")]
    crate::client::driver::send(id, crate::client::driver::Command::Publish(message));
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, message);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_are_refused_in_topics() {
        let draft = Draft {
            topic: "a/#".into(),
            ..Draft::default()
        };
        assert!(build(&draft, true).unwrap_err().starts_with("Topic: "));
    }

    #[test]
    fn v5_properties_are_carried() {
        let draft = Draft {
            topic: "a".into(),
            payload: "00ff".into(),
            format: PayloadFormat::Hex,
            qos: 1,
            content_type: "application/octet-stream".into(),
            message_expiry: "30".into(),
            user_properties: "k=v\n\nx = y".into(),
            ..Draft::default()
        };
        let message = build(&draft, true).expect("valid");
        assert_eq!(&message.payload[..], [0x00, 0xff]);
        assert_eq!(message.qos, QoS::AtLeastOnce);
        assert_eq!(message.properties.message_expiry_interval, Some(30));
        assert_eq!(message.properties.user_properties.len(), 2);
        assert!(build(&draft, false).expect("valid").properties.is_empty());
    }

    #[test]
    fn bad_user_property_lines_are_explained() {
        let draft = Draft {
            topic: "a".into(),
            user_properties: "novalue".into(),
            ..Draft::default()
        };
        assert!(build(&draft, true).unwrap_err().contains("name=value"));
    }
}
