//! The subscriptions of a connection: add (several comma-separated filters at once, with
//! QoS, colour, alias and the MQTT 5 options), see the broker's SUBACK answer per filter,
//! enable/disable, edit (the form takes the subscription's options; subscribing to the
//! same filter again replaces them), unsubscribe, pick one to show only its messages, and
//! choose the format its messages are shown in (it wins over the log's format).

use leptos::prelude::*;

use crate::messages::PayloadFormat;
use crate::model::profile::SavedSubscription;
use crate::model::subscription::{parse_filters, subscribe_request};
use crate::state::{AppState, ConnectionRuntime, LinkStatus};
use crate::ui::options::{FormatOptions, QosOptions};

/// What the format pickers call "no format of its own".
const LOG_FORMAT: &str = "Log's format";

/// Which subscription the message log shows only (its filter), if any.
#[derive(Clone, Copy)]
pub struct ShowOnly(pub RwSignal<Option<String>>);

/// The subscribe form's state, which a subscription's Edit button loads itself into.
#[derive(Clone, Copy)]
struct SubscribeForm {
    options: RwSignal<SavedSubscription>,
    filters_text: RwSignal<String>,
    identifier_text: RwSignal<String>,
}

impl SubscribeForm {
    fn edit(&self, sub: &SavedSubscription) {
        self.options.set(sub.clone());
        self.filters_text.set(sub.filter.clone());
        self.identifier_text.set(
            sub.subscription_identifier
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
    }
}

#[component]
pub fn Subscriptions(id: String, runtime: ConnectionRuntime) -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = RwSignal::new(SavedSubscription::default());
    let filters_text = RwSignal::new(String::new());
    let identifier_text = RwSignal::new(String::new());
    provide_context(SubscribeForm {
        options: form,
        filters_text,
        identifier_text,
    });
    let error = RwSignal::new(None::<String>);
    let warnings = RwSignal::new(Vec::<String>::new());
    let v5 = {
        let id = id.clone();
        move || state.profile(&id).is_some_and(|p| p.version.is_v5())
    };
    let subscribe = {
        let id = id.clone();
        move || {
            let parsed = match parse_filters(&filters_text.get_untracked()) {
                Ok(parsed) => parsed,
                Err(message) => {
                    error.set(Some(message));
                    return;
                }
            };
            error.set(None);
            warnings.set(parsed.warnings);
            let template = form.get_untracked();
            let new: Vec<SavedSubscription> = parsed
                .filters
                .into_iter()
                .map(|filter| SavedSubscription {
                    filter,
                    ..template.clone()
                })
                .collect();
            let is_v5 = state.profile(&id).is_some_and(|p| p.version.is_v5());
            state.update_profile(&id, |p| {
                for sub in &new {
                    p.subscriptions.retain(|s| s.filter != sub.filter);
                    p.subscriptions.push(sub.clone());
                }
            });
            if runtime.status.get_untracked() == LinkStatus::Connected {
                for sub in &new {
                    send_subscribe(&id, sub, is_v5);
                }
            }
            filters_text.set(String::new());
        }
    };
    let subscribe_click = subscribe.clone();
    let list = {
        let id = id.clone();
        move || {
            state
                .profile(&id)
                .map(|p| p.subscriptions)
                .unwrap_or_default()
        }
    };
    view! {
        <section class="subscriptions" aria-label="Subscriptions">
            <h2>"Subscriptions"</h2>
            <form class="subscribe-form" aria-label="Subscribe" on:submit=move |ev| { ev.prevent_default(); subscribe(); }>
                <div class="field wide">
                    <label for="sub-filter">"Topic filter"</label>
                    <input
                        id="sub-filter"
                        type="text"
                        placeholder="sensors/+/temperature, alerts/#"
                        prop:value=move || filters_text.get()
                        on:input=move |ev| filters_text.set(event_target_value(&ev))
                    />
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="sub-qos">"QoS"</label>
                        <select id="sub-qos" prop:value=move || form.with(|f| f.qos.to_string()) on:change=move |ev| form.update(|f| f.qos = event_target_value(&ev).parse().unwrap_or(0))>
                            <QosOptions/>
                        </select>
                    </div>
                    <div class="field">
                        <label for="sub-color">"Colour"</label>
                        <input id="sub-color" type="color" prop:value=move || form.with(|f| f.color.clone()) on:input=move |ev| form.update(|f| f.color = event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="sub-alias">"Alias"</label>
                        <input id="sub-alias" type="text" prop:value=move || form.with(|f| f.alias.clone()) on:input=move |ev| form.update(|f| f.alias = event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="sub-format">"Decode payloads as"</label>
                        <select id="sub-format" on:change=move |ev| form.update(|f| f.format = PayloadFormat::from_picker_value(&event_target_value(&ev)))>
                            <FormatOptions
                                selected=Signal::derive(move || PayloadFormat::picker_value(form.with(|f| f.format)).to_string())
                                none_label=LOG_FORMAT
                            />
                        </select>
                    </div>
                </div>
                <Show when=v5.clone()>
                    <div class="field-row">
                        <div class="field check">
                            <input id="sub-no-local" type="checkbox" prop:checked=move || form.with(|f| f.no_local) on:change=move |ev| form.update(|f| f.no_local = event_target_checked(&ev))/>
                            <label for="sub-no-local">"No Local"</label>
                        </div>
                        <div class="field check">
                            <input id="sub-rap" type="checkbox" prop:checked=move || form.with(|f| f.retain_as_published) on:change=move |ev| form.update(|f| f.retain_as_published = event_target_checked(&ev))/>
                            <label for="sub-rap">"Retain As Published"</label>
                        </div>
                        <div class="field">
                            <label for="sub-rh">"Retain Handling"</label>
                            <select id="sub-rh" prop:value=move || form.with(|f| f.retain_handling.to_string()) on:change=move |ev| form.update(|f| f.retain_handling = event_target_value(&ev).parse().unwrap_or(0))>
                                <option value="0" selected=true>"0: send retained"</option>
                                <option value="1">"1: only if new"</option>
                                <option value="2">"2: never"</option>
                            </select>
                        </div>
                        <div class="field">
                            <label for="sub-id">"Subscription identifier"</label>
                            <input
                                id="sub-id"
                                type="text"
                                inputmode="numeric"
                                prop:value=move || identifier_text.get()
                                on:input=move |ev| {
                                    let text = event_target_value(&ev);
                                    identifier_text.set(text.clone());
                                    form.update(|f| f.subscription_identifier = text.trim().parse().ok().filter(|n| (1..=268_435_455).contains(n)));
                                }
                            />
                        </div>
                    </div>
                </Show>
                <button type="button" class="primary" on:click=move |_| subscribe_click()>"Subscribe"</button>
                {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                <ul class="hints">{move || warnings.get().into_iter().map(|w| view! { <li class="hint">{w}</li> }).collect_view()}</ul>
            </form>
            <ul class="subscription-list">
                <For
                    each=list
                    key=|s| (s.filter.clone(), s.enabled, s.qos, s.alias.clone(), s.color.clone())
                    children=move |sub| view! { <SubscriptionItem id=id.clone() sub runtime/> }
                />
            </ul>
        </section>
    }
}

fn send_subscribe(id: &str, sub: &SavedSubscription, v5: bool) {
    #[cfg(feature = "hydrate")]
    {
        let (filter, properties) = subscribe_request(sub, v5);
        crate::client::driver::send(
            id,
            crate::client::driver::Command::Subscribe(vec![filter], properties),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, subscribe_request(sub, v5));
}

fn send_unsubscribe(id: &str, filter: &str) {
    #[cfg(feature = "hydrate")]
    crate::client::driver::send(
        id,
        crate::client::driver::Command::Unsubscribe(vec![filter.to_string()]),
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, filter);
}

#[component]
fn SubscriptionItem(
    id: String,
    sub: SavedSubscription,
    runtime: ConnectionRuntime,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let show_only = use_context::<ShowOnly>();
    let filter = sub.filter.clone();
    let status = {
        let filter = filter.clone();
        move || runtime.suback.with(|map| map.get(&filter).cloned())
    };
    let connected = move || runtime.status.get_untracked() == LinkStatus::Connected;
    let toggle = {
        let (id, sub) = (id.clone(), sub.clone());
        move |_| {
            let enable = !sub.enabled;
            state.update_profile(&id, |p| {
                if let Some(s) = p.subscriptions.iter_mut().find(|s| s.filter == sub.filter) {
                    s.enabled = enable;
                }
            });
            if connected() {
                let v5 = state.profile(&id).is_some_and(|p| p.version.is_v5());
                if enable {
                    send_subscribe(&id, &sub, v5);
                } else {
                    send_unsubscribe(&id, &sub.filter);
                }
            }
        }
    };
    let remove = {
        let (id, filter) = (id.clone(), filter.clone());
        move |_| {
            state.update_profile(&id, |p| p.subscriptions.retain(|s| s.filter != filter));
            if connected() {
                send_unsubscribe(&id, &filter);
            }
        }
    };
    let only = {
        let filter = filter.clone();
        move |_| {
            if let Some(ShowOnly(selected)) = show_only {
                selected.update(|s| {
                    *s = if s.as_deref() == Some(filter.as_str()) {
                        None
                    } else {
                        Some(filter.clone())
                    }
                });
            }
        }
    };
    let set_format = {
        let (id, filter) = (id.clone(), filter.clone());
        move |value: String| {
            state.update_profile(&id, |p| {
                if let Some(s) = p.subscriptions.iter_mut().find(|s| s.filter == filter) {
                    s.format = PayloadFormat::from_picker_value(&value);
                }
            });
        }
    };
    let edit = {
        let sub = sub.clone();
        let form = use_context::<SubscribeForm>();
        move |_| {
            if let Some(form) = form {
                form.edit(&sub);
            }
        }
    };
    let saved_format = PayloadFormat::picker_value(sub.format).to_string();
    let label = if sub.alias.is_empty() {
        sub.filter.clone()
    } else {
        format!("{} ({})", sub.alias, sub.filter)
    };
    view! {
        <li class="subscription" class:disabled=!sub.enabled data-filter=sub.filter.clone()>
            <span class="swatch" style=format!("background:{}", sub.color) aria-hidden="true"></span>
            <button type="button" class="subscription-filter" title="Show only this subscription's messages" on:click=only>
                {label}
            </button>
            <span class="sub-qos">{format!("QoS {}", sub.qos)}</span>
            {move || status().map(|s| view! { <span class="suback" class:failed=!s.ok>{s.text}</span> })}
            <label class="sub-format">
                "Decode as"
                <select on:change=move |ev| set_format(event_target_value(&ev))>
                    <FormatOptions selected=saved_format none_label=LOG_FORMAT/>
                </select>
            </label>
            <button type="button" class="small" title="Load this subscription into the form; Subscribe applies the changes" on:click=edit>"Edit"</button>
            <button type="button" class="small" on:click=toggle>{if sub.enabled { "Disable" } else { "Enable" }}</button>
            <button type="button" class="small danger" on:click=remove>"Unsubscribe"</button>
        </li>
    }
}
