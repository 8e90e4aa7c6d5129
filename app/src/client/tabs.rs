//! Knowing which client ids other open tabs of MQTT Deck have live, so connecting with the
//! same id on the same broker (which makes the broker drop one of them) can be warned about.
//! Tabs tell each other over a BroadcastChannel: "up"/"down" when a connection goes live or
//! ends, and "who" from a new tab, answered with every live one.

use std::cell::RefCell;
use std::collections::HashSet;

use wasm_bindgen::{closure::Closure, JsCast, JsValue};

const CHANNEL: &str = "mqttdeck-live-clients";

thread_local! {
    static CHANNEL_HANDLE: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
    /// `client_id broker_url` of this tab's live connections.
    static OURS: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
    /// The same, announced by other tabs.
    static THEIRS: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

fn key(client_id: &str, broker_url: &str) -> String {
    format!("{client_id} {broker_url}")
}

fn post(kind: &str, key: &str) {
    CHANNEL_HANDLE.with(|c| {
        if let Some(channel) = c.borrow().as_ref() {
            let _ = channel.post_message(&JsValue::from_str(&format!("{kind}\n{key}")));
        }
    });
}

/// Opens the channel and asks the other tabs what they have live.
pub fn start() {
    let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) else {
        return;
    };
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            let Some(text) = event.data().as_string() else {
                return;
            };
            let (kind, key) = text.split_once('\n').unwrap_or((text.as_str(), ""));
            match kind {
                "up" => THEIRS.with(|t| t.borrow_mut().insert(key.to_string())),
                "down" => THEIRS.with(|t| t.borrow_mut().remove(key)),
                "who" => {
                    OURS.with(|o| o.borrow().iter().for_each(|k| post("up", k)));
                    false
                }
                _ => false,
            };
        });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    CHANNEL_HANDLE.with(|c| *c.borrow_mut() = Some(channel));
    post("who", "");
}

/// This tab's connection with `client_id` to `broker_url` is live (or no longer).
pub fn announce(client_id: &str, broker_url: &str, live: bool) {
    let k = key(client_id, broker_url);
    OURS.with(|o| {
        let mut ours = o.borrow_mut();
        if live {
            ours.insert(k.clone());
        } else {
            ours.remove(&k);
        }
    });
    post(if live { "up" } else { "down" }, &k);
}

/// Whether another tab has a live connection with this client id to this broker.
pub fn used_elsewhere(client_id: &str, broker_url: &str) -> bool {
    THEIRS.with(|t| t.borrow().contains(&key(client_id, broker_url)))
}
