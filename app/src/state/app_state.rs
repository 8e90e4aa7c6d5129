//! The app-wide state: saved connections (persisted), the selection, the form's draft,
//! and the live runtime of each connection.

use std::collections::HashMap;

use leptos::prelude::*;

use super::runtime::ConnectionRuntime;
use crate::model::profile::ConnectionProfile;
use crate::model::settings::Settings;

/// What the main pane shows.
#[derive(Clone, Debug, PartialEq)]
pub enum View {
    Welcome,
    Connection(String),
    /// The form, on a draft; `is_new` when the draft is not saved yet.
    Edit {
        draft: Box<ConnectionProfile>,
        is_new: bool,
    },
    Settings,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub profiles: RwSignal<Vec<ConnectionProfile>>,
    pub view: RwSignal<View>,
    /// A storage problem to show once (e.g. corrupt data set aside).
    pub notice: RwSignal<Option<String>>,
    /// Stored data that could not be read, kept so the user can export it.
    pub quarantined: RwSignal<Option<String>>,
    /// True once stored connections were loaded (saving starts only then).
    pub loaded: RwSignal<bool>,
    /// Settings that are not per connection (memory budget, default format).
    pub settings: RwSignal<Settings>,
    runtimes: StoredValue<HashMap<String, ConnectionRuntime>>,
}

impl AppState {
    pub fn provide() -> Self {
        let state = AppState {
            profiles: RwSignal::new(Vec::new()),
            view: RwSignal::new(View::Welcome),
            notice: RwSignal::new(None),
            quarantined: RwSignal::new(None),
            loaded: RwSignal::new(false),
            settings: RwSignal::new(Settings::default()),
            runtimes: StoredValue::new(HashMap::new()),
        };
        provide_context(state);
        state
    }

    /// The runtime of connection `id`, created on first use.
    pub fn runtime(&self, id: &str) -> ConnectionRuntime {
        if let Some(runtime) = self.runtimes.with_value(|map| map.get(id).copied()) {
            return runtime;
        }
        let runtime = ConnectionRuntime::new();
        self.runtimes.update_value(|map| {
            map.insert(id.to_string(), runtime);
        });
        runtime
    }

    /// Asks every connection's message log to redraw (its store changed outside a
    /// message arrival, e.g. a new budget evicted messages).
    pub fn redraw_logs(&self) {
        self.runtimes.with_value(|map| {
            for runtime in map.values() {
                runtime.messages_version.update(|v| *v += 1);
            }
        });
    }

    pub fn profile(&self, id: &str) -> Option<ConnectionProfile> {
        self.with_profile(id, ConnectionProfile::clone)
    }

    /// Reads one field or two of a profile in place (tracked), without cloning the
    /// whole profile with its subscriptions and templates, for paths that run often.
    pub fn with_profile<T>(
        &self,
        id: &str,
        read: impl FnOnce(&ConnectionProfile) -> T,
    ) -> Option<T> {
        self.profiles
            .with(|list| list.iter().find(|p| p.id == id).map(read))
    }

    /// Inserts or replaces the profile with the same id.
    pub fn upsert(&self, profile: ConnectionProfile) {
        self.profiles
            .update(|list| match list.iter_mut().find(|p| p.id == profile.id) {
                Some(existing) => *existing = profile,
                None => list.push(profile),
            });
    }

    /// Changes the saved profile `id` in place (and so saves it).
    pub fn update_profile(&self, id: &str, change: impl FnOnce(&mut ConnectionProfile)) {
        self.profiles.update(|list| {
            if let Some(profile) = list.iter_mut().find(|p| p.id == id) {
                change(profile);
            }
        });
    }

    pub fn remove(&self, id: &str) {
        self.profiles.update(|list| list.retain(|p| p.id != id));
        super::log_formats::forget_log_formats(id);
        if matches!(self.view.get_untracked(), View::Connection(ref shown) if shown == id) {
            self.view.set(View::Welcome);
        }
    }

    /// Moves connection `id` one place up (`-1`) or down (`+1`) in the list.
    pub fn shift(&self, id: &str, by: isize) {
        self.profiles.update(|list| {
            if let Some(at) = list.iter().position(|p| p.id == id) {
                let target = at as isize + by;
                if target >= 0 && (target as usize) < list.len() {
                    list.swap(at, target as usize);
                }
            }
        });
    }
}
