//! The publish section: topic (no wildcards), payload in a chosen format (text, JSON,
//! hex, Base64, CBOR or MessagePack typed as JSON, which "Prettify" re-indents) or a
//! file, QoS, retain and the MQTT 5 publish properties; Ctrl/Cmd+Enter in the payload
//! sends and Alt+Up/Down walks the sent history. Beside the form: templates, timed
//! publish, the sent history and "Clear retained".

mod file;
mod history;
mod prettify;
mod repeat;
mod target;
mod templates;

use leptos::prelude::*;

use crate::model::profile::PayloadFormat;
use crate::model::publish::PublishDraft;
use crate::state::ConnectionRuntime;
use crate::ui::options::QosOptions;
use file::PayloadFile;
use history::SentHistory;
use prettify::PrettifyButton;
use repeat::TimedPublish;
use target::{Feedback, Target};
use templates::Templates;

const FORMATS: [(PayloadFormat, &str); 6] = [
    (PayloadFormat::Text, "Text"),
    (PayloadFormat::Json, "JSON"),
    (PayloadFormat::Hex, "Hex"),
    (PayloadFormat::Base64, "Base64"),
    (PayloadFormat::Cbor, "CBOR (typed as JSON)"),
    (PayloadFormat::MsgPack, "MessagePack (typed as JSON)"),
];

/// The history position Alt+Up/Down moves to from `at` (`None`: the form as typed).
fn history_step(at: Option<usize>, up: bool, len: usize) -> Option<usize> {
    match (at, up) {
        (_, _) if len == 0 => None,
        (None, true) => Some(0),
        (Some(i), true) => Some((i + 1).min(len - 1)),
        (None, false) | (Some(0), false) => None,
        (Some(i), false) => Some(i - 1),
    }
}

#[component]
pub fn Publish(id: String, runtime: ConnectionRuntime) -> impl IntoView {
    let target = Target::new(id, runtime);
    let draft = RwSignal::new(PublishDraft::default());
    let history_at = RwSignal::new(None::<usize>);
    let v5 = move || target.is_v5();
    let send = move || target.send_once(&draft.get_untracked());
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            send();
        } else if ev.alt_key() && (ev.key() == "ArrowUp" || ev.key() == "ArrowDown") {
            ev.prevent_default();
            let len = target.book.history.with_untracked(Vec::len);
            let at = history_step(history_at.get_untracked(), ev.key() == "ArrowUp", len);
            history_at.set(at);
            if let Some(entry) =
                at.and_then(|i| target.book.history.with_untracked(|h| h.get(i).cloned()))
            {
                draft.set(entry.draft);
            }
        }
    };
    let set = move |f: fn(&mut PublishDraft, String)| {
        move |ev| f(&mut draft.write(), event_target_value(&ev))
    };
    let text = move |f: fn(&PublishDraft) -> &String| move || draft.with(|d| f(d).clone());
    view! {
        <section class="publish" aria-label="Publish">
            <h2>"Publish"</h2>
            <div class="field-row">
                <div class="field wide-ish">
                    <label for="pub-topic">"Topic"</label>
                    <input id="pub-topic" type="text" placeholder="sensors/kitchen/temperature" prop:value=text(|d| &d.topic) on:input=set(|d, v| d.topic = v)/>
                </div>
                <div class="field">
                    <label for="pub-qos">"QoS"</label>
                    <select id="pub-qos" prop:value=move || draft.with(|d| d.qos.to_string()) on:change=set(|d, v| d.qos = v.parse().unwrap_or(0))>
                        <QosOptions/>
                    </select>
                </div>
                <div class="field">
                    <label for="pub-format">"Payload format"</label>
                    <select id="pub-format" prop:value=move || draft.with(|d| d.format.value()) on:change=set(|d, v| d.format = PayloadFormat::from_value(&v))>
                        {FORMATS.iter().map(|(format, label)| view! {
                            <option value=format.value() selected=*format == PayloadFormat::Text>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field check">
                    <input id="pub-retain" type="checkbox" prop:checked=move || draft.with(|d| d.retain) on:change=move |ev| draft.update(|d| d.retain = event_target_checked(&ev))/>
                    <label for="pub-retain">"Retain"</label>
                </div>
            </div>
            <div class="field wide">
                <label for="pub-payload">"Payload"</label>
                <textarea id="pub-payload" rows="4" spellcheck="false" prop:value=text(|d| &d.payload) prop:disabled=move || draft.with(|d| d.file.is_some()) on:input=set(|d, v| d.payload = v) on:keydown=on_key></textarea>
                <PrettifyButton target draft/>
            </div>
            <PayloadFile draft/>
            <Show when=v5>
                <details class="publish-properties">
                    <summary>"MQTT 5 properties"</summary>
                    <div class="field-row">
                        <div class="field"><label for="pub-content-type">"Content type"</label><input id="pub-content-type" type="text" prop:value=text(|d| &d.content_type) on:input=set(|d, v| d.content_type = v)/></div>
                        <div class="field"><label for="pub-response-topic">"Response topic"</label><input id="pub-response-topic" type="text" prop:value=text(|d| &d.response_topic) on:input=set(|d, v| d.response_topic = v)/></div>
                        <div class="field"><label for="pub-correlation">"Correlation data"</label><input id="pub-correlation" type="text" prop:value=text(|d| &d.correlation_data) on:input=set(|d, v| d.correlation_data = v)/></div>
                        <div class="field"><label for="pub-expiry">"Message expiry"</label><input id="pub-expiry" type="text" inputmode="numeric" placeholder="seconds" prop:value=text(|d| &d.message_expiry) on:input=set(|d, v| d.message_expiry = v)/></div>
                        <div class="field check">
                            <input id="pub-utf8" type="checkbox" prop:checked=move || draft.with(|d| d.utf8_indicator) on:change=move |ev| draft.update(|d| d.utf8_indicator = event_target_checked(&ev))/>
                            <label for="pub-utf8">"Payload is UTF-8"</label>
                        </div>
                    </div>
                    <div class="field wide">
                        <label for="pub-user-props">"User properties (one name=value per line)"</label>
                        <textarea id="pub-user-props" rows="2" prop:value=text(|d| &d.user_properties) on:input=set(|d, v| d.user_properties = v)></textarea>
                    </div>
                </details>
            </Show>
            <div class="form-actions">
                <button type="button" class="primary" on:click=move |_| send()>"Publish"</button>
                <button type="button" class="clear-retained" on:click=move |_| target.clear_retained(&draft.get_untracked())>"Clear retained"</button>
                <span class="hint-text">"Ctrl+Enter in the payload sends; Alt+Up/Down recalls sent messages"</span>
            </div>
            {move || target.feedback.get().map(|feedback| match feedback {
                Feedback::Error(message) => view! { <p class="field-error" role="alert">{message}</p> }.into_any(),
                Feedback::Note(message) => view! { <p class="hint-text publish-note" role="status">{message}</p> }.into_any(),
            })}
            <SentHistory book=target.book draft/>
            <Templates target draft/>
            <TimedPublish target draft/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alt_arrows_walk_the_history_and_back_to_the_form() {
        let mut at = None;
        let mut seen = Vec::new();
        for up in [true, true, true, true, false, false, false, false] {
            at = history_step(at, up, 3);
            seen.push(at);
        }
        assert_eq!(
            seen,
            [
                Some(0),
                Some(1),
                Some(2),
                Some(2),
                Some(1),
                Some(0),
                None,
                None
            ]
        );
        assert_eq!(history_step(None, true, 0), None);
    }

    #[test]
    fn every_format_has_a_distinct_select_value() {
        for (format, _) in FORMATS {
            assert_eq!(PayloadFormat::from_value(format.value()), format);
        }
    }
}
