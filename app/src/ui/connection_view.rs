//! One connection's page: its status and actions (connect, disconnect, edit, duplicate,
//! delete), what the broker granted, the connection log and the packet inspector.

use leptos::prelude::*;

use super::connection_log::ConnectionLog;
use super::dialog::confirm;
use super::granted::GrantedPanel;
use super::log::MessageLog;
use super::packets::PacketInspector;
use super::publish::Publish;
use super::subscriptions::{ShowOnly, Subscriptions};
use crate::platform::new_id;
use crate::state::app_state::View;
use crate::state::{AppState, LinkStatus};

#[component]
pub fn ConnectionView(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let runtime = state.runtime(&id);
    provide_context(ShowOnly(RwSignal::new(None)));
    // Messages arriving while this connection is on screen are read, not unread.
    Effect::new(move |_| {
        runtime.unread.track();
        if runtime.unread.get_untracked() > 0 {
            runtime.unread.set(0);
        }
    });
    let profile = {
        let id = id.clone();
        Memo::new(move |_| {
            state
                .profiles
                .with(|list| list.iter().find(|p| p.id == id).cloned())
        })
    };
    let connect = move |_| {
        let Some(profile) = profile.get_untracked() else {
            return;
        };
        if let Some(other) = duplicate_client_id(state, &profile).or_else(|| other_tab(&profile)) {
            let question = format!(
                "\"{other}\" is connected to the same broker with client id \"{}\". Connecting will make the broker \
                 disconnect one of them (session takeover). Connect anyway?",
                profile.client_id
            );
            if !confirm(&question) {
                return;
            }
        }
        start(profile, runtime, state);
    };
    let disconnect = {
        let id = id.clone();
        move |_| stop(&id, runtime)
    };
    let edit = move |_| {
        if let Some(draft) = profile.get_untracked() {
            state.view.set(View::Edit {
                draft: Box::new(draft),
                is_new: false,
            });
        }
    };
    let duplicate = move |_| {
        if let Some(mut copy) = profile.get_untracked() {
            copy.id = new_id();
            copy.name = format!("{} (copy)", copy.name);
            let id = copy.id.clone();
            state.upsert(copy);
            state.view.set(View::Connection(id));
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            let name = profile.get_untracked().map(|p| p.name).unwrap_or_default();
            if confirm(&format!("Delete the connection \"{name}\"?")) {
                stop(&id, runtime);
                state.remove(&id);
            }
        }
    };
    view! {
        <section class="connection-view">
            <header class="connection-header">
                <h1>{move || profile.get().map(|p| p.name).unwrap_or_default()}</h1>
                <span class="status-badge" data-status=move || runtime.status.get().label()>
                    {move || runtime.status.get().label()}
                </span>
                <code class="connection-url">{move || profile.get().map(|p| p.broker.to_string()).unwrap_or_default()}</code>
            </header>
            <div class="connection-actions">
                <Show
                    when=move || runtime.status.get().is_active()
                    fallback=move || view! { <button type="button" class="primary" on:click=connect>"Connect"</button> }
                >
                    <button type="button" on:click=disconnect.clone()>"Disconnect"</button>
                </Show>
                <button type="button" on:click=edit>"Edit"</button>
                <button type="button" on:click=duplicate>"Duplicate"</button>
                <button type="button" class="danger" on:click=delete>"Delete"</button>
            </div>
            {move || match runtime.status.get() {
                LinkStatus::Error(text) => Some(view! { <p class="connection-error" role="alert">{text}</p> }),
                _ => None,
            }}
            <div class="workbench">
                <Subscriptions id=id.clone() runtime/>
                <div class="workbench-main">
                    <MessageLog id=id.clone() runtime/>
                    <Publish id=id.clone() runtime/>
                </div>
            </div>
            <GrantedPanel runtime/>
            <ConnectionLog runtime/>
            <PacketInspector runtime/>
        </section>
    }
}

/// The name of another live connection of this tab with the same broker and client id.
fn duplicate_client_id(
    state: AppState,
    profile: &crate::model::profile::ConnectionProfile,
) -> Option<String> {
    if profile.client_id.is_empty() || profile.append_timestamp {
        return None;
    }
    state.profiles.with_untracked(|list| {
        list.iter()
            .filter(|other| other.id != profile.id)
            .filter(|other| other.client_id == profile.client_id && other.broker == profile.broker)
            .find(|other| state.runtime(&other.id).status.get_untracked().is_active())
            .map(|other| other.name.clone())
    })
}

/// "another tab" when another open tab has this client id live on this broker.
fn other_tab(profile: &crate::model::profile::ConnectionProfile) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        (!profile.append_timestamp
            && crate::client::tabs::used_elsewhere(&profile.client_id, &profile.broker.to_string()))
        .then(|| "A connection in another tab".to_string())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = profile;
        None
    }
}

fn start(
    profile: crate::model::profile::ConnectionProfile,
    runtime: crate::state::ConnectionRuntime,
    state: AppState,
) {
    #[cfg(feature = "hydrate")]
    {
        let id = profile.id.clone();
        let current: crate::client::driver::CurrentProfile =
            std::rc::Rc::new(move || state.profile(&id));
        crate::client::driver::start(profile, runtime, current);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (profile, runtime, state);
}

fn stop(id: &str, runtime: crate::state::ConnectionRuntime) {
    #[cfg(feature = "hydrate")]
    {
        if !crate::client::driver::send(id, crate::client::driver::Command::Disconnect) {
            runtime.status.set(LinkStatus::Disconnected);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, runtime);
}
