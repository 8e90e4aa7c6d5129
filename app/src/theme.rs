//! Light and dark themes: follow the system by default, or a choice the user makes,
//! remembered in the browser's localStorage (a tiny setting, read after hydration so the
//! server-rendered page and the first client render agree).

use leptos::prelude::*;

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const STORAGE_KEY: &str = "mqttdeck.theme";

/// What the user picked; `System` follows `prefers-color-scheme`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    /// The value of the `data-theme` attribute the stylesheet keys on.
    pub fn attribute(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "System",
            ThemeChoice::Light => "Light",
            ThemeChoice::Dark => "Dark",
        }
    }

    /// The next choice in the toggle's cycle: System → Light → Dark → System.
    pub fn next(self) -> Self {
        match self {
            ThemeChoice::System => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::System,
        }
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    /// Parses a stored value; anything unknown (a corrupt entry) falls back to System.
    pub fn parse(stored: &str) -> Self {
        match stored {
            "light" => ThemeChoice::Light,
            "dark" => ThemeChoice::Dark,
            _ => ThemeChoice::System,
        }
    }
}

/// The theme signal shared through context.
#[derive(Clone, Copy)]
pub struct ThemeState {
    pub choice: RwSignal<ThemeChoice>,
}

impl ThemeState {
    /// Creates the state, restores the stored choice once hydrated, and saves changes.
    pub fn provide() -> Self {
        let state = ThemeState {
            choice: RwSignal::new(ThemeChoice::System),
        };
        provide_context(state);
        #[cfg(feature = "hydrate")]
        {
            let choice = state.choice;
            let restored = StoredValue::new(false);
            Effect::new(move |_| {
                let current = choice.get();
                if !restored.get_value() {
                    restored.set_value(true);
                    if let Some(stored) = storage::load() {
                        choice.set(ThemeChoice::parse(&stored));
                    }
                    return;
                }
                storage::save(current.attribute());
            });
        }
        state
    }
}

#[cfg(feature = "hydrate")]
mod storage {
    //! localStorage access that never fails the page: private modes and full quotas
    //! simply mean the choice is not remembered.
    use super::STORAGE_KEY;

    fn local_storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn load() -> Option<String> {
        local_storage()?.get_item(STORAGE_KEY).ok().flatten()
    }

    pub fn save(value: &str) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, value);
        }
    }
}

/// The button that cycles the theme; its text says the current choice.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let state = expect_context::<ThemeState>();
    let choice = state.choice;
    view! {
        <button
            class="theme-toggle"
            type="button"
            title="Switch between the system theme, light and dark"
            on:click=move |_| choice.update(|c| *c = c.next())
        >
            {move || format!("Theme: {}", choice.get().label())}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_visits_every_choice_and_returns() {
        let start = ThemeChoice::System;
        let seen = [
            start.next(),
            start.next().next(),
            start.next().next().next(),
        ];
        assert_eq!(
            seen,
            [ThemeChoice::Light, ThemeChoice::Dark, ThemeChoice::System]
        );
    }

    #[test]
    fn stored_values_round_trip_and_corrupt_ones_fall_back() {
        for choice in [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark] {
            assert_eq!(ThemeChoice::parse(choice.attribute()), choice);
        }
        assert_eq!(ThemeChoice::parse("\u{0}garbage"), ThemeChoice::System);
    }
}
