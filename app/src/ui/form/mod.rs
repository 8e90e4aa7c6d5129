//! The connection form: every option a browser can honour, validated as the user types.

mod broker;
mod fields;
mod sections;

use std::collections::HashSet;

use leptos::prelude::*;

use crate::model::profile::ConnectionProfile;
use crate::model::validate::validate;
use crate::state::app_state::View;
use crate::state::AppState;
use fields::FormContext;

#[component]
pub fn ConnectionForm(draft: ConnectionProfile, is_new: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(draft);
    let form = FormContext {
        draft,
        errors: Memo::new(move |_| draft.with(validate)),
        unparsable: RwSignal::new(HashSet::new()),
    };
    provide_context(form);
    let url_invalid = RwSignal::new(false);
    let blocked = RwSignal::new(false);
    let save = move |_| {
        let has_errors = !form.errors.with(Vec::is_empty)
            || !form.unparsable.with(HashSet::is_empty)
            || url_invalid.get();
        blocked.set(has_errors);
        if has_errors {
            return;
        }
        let profile = draft.get();
        let id = profile.id.clone();
        state.upsert(profile);
        state.view.set(View::Connection(id));
    };
    let cancel = move |_| {
        let id = draft.with_untracked(|d| d.id.clone());
        let exists = state.profile(&id).is_some();
        state.view.set(if exists && !is_new {
            View::Connection(id)
        } else {
            View::Welcome
        });
    };
    view! {
        <form class="connection-form" on:submit=|ev| ev.prevent_default()>
            <h1>{if is_new { "New connection" } else { "Edit connection" }}</h1>
            <sections::General/>
            <broker::BrokerFields url_invalid/>
            <sections::Credentials/>
            <sections::Session/>
            <sections::Reconnect/>
            <Show when=move || draft.with(|d| d.version.is_v5())>
                <sections::V5Options/>
            </Show>
            <sections::Will/>
            <sections::BrowserLimits/>
            <div class="form-actions">
                <button type="button" class="primary" on:click=save>"Save"</button>
                <button type="button" on:click=cancel>"Cancel"</button>
                <Show when=move || blocked.get()>
                    <p class="field-error" role="alert">"Fix the fields marked in red first."</p>
                </Show>
            </div>
        </form>
    }
}
