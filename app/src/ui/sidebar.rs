//! The connection sidebar: saved connections grouped by folder, each with its live
//! status and unread count, and the actions on them.

use leptos::prelude::*;

use crate::boot::page_broker_url;
use crate::model::profile::{generate_client_id, ConnectionProfile};
use crate::platform::{new_id, random};
use crate::state::app_state::View;
use crate::state::AppState;

#[component]
pub fn Sidebar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let new_connection = move |_| {
        let draft = ConnectionProfile {
            id: new_id(),
            broker: page_broker_url(),
            client_id: generate_client_id(random()),
            ..ConnectionProfile::default()
        };
        state.view.set(View::Edit {
            draft: Box::new(draft),
            is_new: true,
        });
    };
    let folders = move || {
        let mut names: Vec<String> = state
            .profiles
            .with(|list| list.iter().map(|p| p.folder.clone()).collect());
        names.sort();
        names.dedup();
        names
    };
    view! {
        <aside class="sidebar" aria-label="Connections">
            <header class="sidebar-header">
                <span class="brand">"MQTT Deck"</span>
            </header>
            <div class="sidebar-actions">
                <button type="button" class="primary" on:click=new_connection>"New connection"</button>
            </div>
            <h2 class="sidebar-title">"Connections"</h2>
            <Show when=move || state.profiles.with(Vec::is_empty)>
                <p class="connection-empty">"No saved connections yet."</p>
            </Show>
            <For each=folders key=|folder| folder.clone() children=move |folder| view! { <Folder folder/> }/>
            <super::transfer::TransferButtons/>
        </aside>
    }
}

#[component]
fn Folder(folder: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let folder_name = folder.clone();
    let ids = move || {
        state.profiles.with(|list| {
            list.iter()
                .filter(|p| p.folder == folder_name)
                .map(|p| p.id.clone())
                .collect::<Vec<_>>()
        })
    };
    let list = view! {
        <ul class="connection-list">
            <For each=ids key=|id| id.clone() children=move |id| view! { <ConnectionItem id/> }/>
        </ul>
    };
    if folder.is_empty() {
        list.into_any()
    } else {
        view! {
            <details class="folder" open>
                <summary>{folder}</summary>
                {list}
            </details>
        }
        .into_any()
    }
}

#[component]
fn ConnectionItem(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let runtime = state.runtime(&id);
    let name = {
        let id = id.clone();
        move || state.profile(&id).map(|p| p.name).unwrap_or_default()
    };
    let selected = {
        let id = id.clone();
        move || matches!(state.view.get(), View::Connection(ref shown) if *shown == id)
    };
    let open = {
        let id = id.clone();
        move |_| {
            runtime.unread.set(0);
            state.view.set(View::Connection(id.clone()));
        }
    };
    let (up, down) = (id.clone(), id.clone());
    view! {
        <li class="connection-item" class:selected=selected data-status=move || runtime.status.get().label()>
            <button type="button" class="connection-open" on:click=open>
                <span class="status-dot" aria-hidden="true"></span>
                <span class="connection-name">{name}</span>
                <Show when=move || { runtime.unread.get() > 0 }>
                    <span class="unread" aria-hidden="true" title="unread messages">{move || runtime.unread.get().to_string()}</span>
                </Show>
            </button>
            <span class="reorder">
                <button type="button" class="small" title="Move up" on:click=move |_| state.shift(&up, -1)>"Up"</button>
                <button type="button" class="small" title="Move down" on:click=move |_| state.shift(&down, 1)>"Down"</button>
            </span>
        </li>
    }
}
