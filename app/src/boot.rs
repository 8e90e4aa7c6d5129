//! Starting the app in the browser: load stored connections (or set aside corrupt data
//! and start clean), offer the built-in broker on a first visit, prefill a connection
//! from `?url=…`, save changes (debounced, never per message), and apply the memory
//! budget from Settings to the message stores as it changes.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

use crate::model::broker_url::BrokerUrl;
#[cfg(feature = "hydrate")]
use crate::model::broker_url::WsScheme;
use crate::model::profile::{generate_client_id, ConnectionProfile, MqttVersion};
use crate::platform::{new_id, random};
#[cfg(feature = "hydrate")]
use crate::state::{app_state::View, AppState};

/// The built-in broker as the page's own origin sees it (`ws(s)://host:port/mqtt`).
pub fn builtin_profile(id: String, client_random: u32) -> ConnectionProfile {
    ConnectionProfile {
        id,
        name: "MQTT Deck built-in broker".into(),
        broker: page_broker_url(),
        client_id: generate_client_id(client_random),
        ..ConnectionProfile::default()
    }
}

#[cfg(feature = "hydrate")]
pub fn page_broker_url() -> BrokerUrl {
    let location = web_sys::window().map(|w| w.location());
    let get = |f: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
        location
            .as_ref()
            .and_then(|l| f(l).ok())
            .unwrap_or_default()
    };
    let scheme = if get(web_sys::Location::protocol) == "https:" {
        WsScheme::Wss
    } else {
        WsScheme::Ws
    };
    let host = get(web_sys::Location::hostname);
    let port = get(web_sys::Location::port)
        .parse()
        .unwrap_or(scheme.default_port());
    BrokerUrl {
        scheme,
        host: if host.is_empty() {
            "127.0.0.1".into()
        } else {
            host
        },
        port,
        path: "/mqtt".into(),
    }
}

#[cfg(not(feature = "hydrate"))]
pub fn page_broker_url() -> BrokerUrl {
    BrokerUrl::default()
}

/// Fields of a `?url=…&clientId=…` link, as a draft connection.
pub fn profile_from_query(query: &[(String, String)]) -> Option<Result<ConnectionProfile, String>> {
    let value = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let url = value("url")?;
    let broker = match BrokerUrl::parse(&url) {
        Ok(broker) => broker,
        Err(error) => return Some(Err(format!("the link's url is not usable: {error}"))),
    };
    let mut profile = ConnectionProfile {
        id: new_id(),
        name: value("name").unwrap_or_else(|| broker.host.clone()),
        broker,
        client_id: value("clientId").unwrap_or_else(|| generate_client_id(random())),
        username: value("username").unwrap_or_default(),
        ..ConnectionProfile::default()
    };
    if let Some(version) = value("version").and_then(|v| MqttVersion::from_label(&v)) {
        profile.version = version;
    }
    Some(Ok(profile))
}

#[cfg(feature = "hydrate")]
pub fn boot(state: AppState) {
    use crate::client::clock::wall_ms;
    use crate::storage::{idb, schema};

    crate::client::tabs::start();
    let book = expect_context::<crate::state::publish::PublishBook>();
    wasm_bindgen_futures::spawn_local(async move {
        let stored = idb::load_document().await;
        let mut profiles = Vec::new();
        let mut settings = schema::Settings::default();
        match stored {
            Err(error) => state.notice.set(Some(format!(
                "{error}. Connections will not be saved in this browser."
            ))),
            Ok(text) => match schema::load(text.as_deref()) {
                schema::Loaded::Empty => {}
                schema::Loaded::Ok { document, .. } => {
                    profiles = document.connections;
                    settings = document.settings;
                    book.templates.set(document.templates);
                    book.history.set(document.sent_history);
                }
                schema::Loaded::Corrupt { raw, reason } => {
                    let kept = idb::quarantine(&raw, wall_ms()).await.is_ok();
                    state.quarantined.set(Some(raw));
                    state.notice.set(Some(format!(
                        "The stored connections could not be read ({reason}). {} The app started clean.",
                        if kept { "The unreadable data was kept aside in IndexedDB (key corrupt-…)." } else { "" }
                    )));
                }
            },
        }
        if profiles.is_empty() {
            profiles.push(builtin_profile(new_id(), random()));
        }
        state.profiles.set(profiles);
        state.settings.set(settings);
        state.loaded.set(true);
        if let Some(prefill) = profile_from_query(&query_pairs()) {
            match prefill {
                Ok(draft) => state.view.set(View::Edit {
                    draft: Box::new(draft),
                    is_new: true,
                }),
                Err(error) => state.notice.set(Some(error)),
            }
        }
    });
    save_on_change(state, book);
    apply_budget_on_change(state);
}

/// Gives every message store the budget from Settings whenever it changes; a lower
/// one evicts the oldest messages at once, and the logs redraw to show it.
#[cfg(feature = "hydrate")]
fn apply_budget_on_change(state: AppState) {
    Effect::new(move |_| {
        let budget = state.settings.with(|settings| settings.budget());
        crate::state::messages::apply_budget(budget);
        state.redraw_logs();
    });
}

#[cfg(feature = "hydrate")]
fn query_pairs() -> Vec<(String, String)> {
    let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else {
        return Vec::new();
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    ["url", "name", "clientId", "username", "version", "topic"]
        .iter()
        .filter_map(|key| params.get(key).map(|v| (key.to_string(), v)))
        .collect()
}

/// Saves the document at most every quarter second: the first change arms a timer and
/// the save then writes whatever is current, so a stream of changes (a timed publish
/// growing the history) neither writes once per change nor postpones saving forever.
#[cfg(feature = "hydrate")]
fn save_on_change(state: AppState, book: crate::state::publish::PublishBook) {
    use crate::storage::{idb, schema};
    let pending = StoredValue::new(false);
    Effect::new(move |_| {
        state.profiles.track();
        state.settings.track();
        book.templates.track();
        book.history.track();
        if !state.loaded.get() || pending.get_value() {
            return;
        }
        pending.set_value(true);
        wasm_bindgen_futures::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(250).await;
            pending.set_value(false);
            let text = schema::save(&schema::Document {
                connections: state.profiles.get_untracked(),
                settings: state.settings.get_untracked(),
                templates: book.templates.get_untracked(),
                sent_history: book.history.get_untracked(),
                ..schema::Document::default()
            });
            if let Err(error) = idb::save_document(&text).await {
                state
                    .notice
                    .set(Some(format!("could not save connections: {error}")));
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_link_prefills_a_connection() {
        let query = pairs(&[
            ("url", "ws://broker.local:9001/mqtt"),
            ("clientId", "me"),
            ("version", "3.1.1"),
        ]);
        let profile = profile_from_query(&query).expect("has url").expect("valid");
        assert_eq!(profile.broker.to_string(), "ws://broker.local:9001/mqtt");
        assert_eq!(profile.client_id, "me");
        assert_eq!(profile.version, MqttVersion::V3_1_1);
        assert_eq!(profile.name, "broker.local");
    }

    #[test]
    fn no_url_means_no_prefill_and_a_bad_one_is_explained() {
        assert!(profile_from_query(&pairs(&[("topic", "a")])).is_none());
        let error = profile_from_query(&pairs(&[("url", "mqtt://h:1883")]))
            .expect("has url")
            .unwrap_err();
        assert!(error.contains("ws://h:8083/mqtt"), "{error}");
    }
}
