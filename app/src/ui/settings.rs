//! The Settings page: the memory budget of each connection's message log (messages and
//! MiB, validated), the payload format logs follow, and the theme. Saving applies
//! the budget to every log at once (a lower one evicts the oldest messages, counted)
//! and stores it with the connections.

use leptos::prelude::*;

use crate::model::settings::{Settings, SettingsErrors, SettingsForm, MESSAGES_RANGE, MIB_RANGE};
use crate::state::app_state::View;
use crate::state::AppState;
use crate::theme::{ThemeChoice, ThemeState};
use crate::ui::options::FormatOptions;

/// The button that opens the Settings page.
#[component]
pub fn SettingsButton() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <button type="button" class="settings-open" on:click=move |_| state.view.set(View::Settings)>
            "Settings"
        </button>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = RwSignal::new(SettingsForm::from_settings(&state.settings.get_untracked()));
    let errors = RwSignal::new(SettingsErrors::default());
    let saved = RwSignal::new(false);
    let save = move || match form.get_untracked().parse() {
        Ok(settings) => {
            state.settings.set(settings);
            errors.set(SettingsErrors::default());
            saved.set(true);
        }
        Err(found) => {
            errors.set(found);
            saved.set(false);
        }
    };
    let restore = move |_| {
        form.set(SettingsForm::from_settings(&Settings::default()));
        saved.set(false);
    };
    let edit = move |change: fn(&mut SettingsForm, String), value: String| {
        form.update(|f| change(f, value));
        saved.set(false);
    };
    view! {
        <section class="settings-page" aria-label="Settings">
            <h1>"Settings"</h1>
            <form class="settings-form" on:submit=move |ev| { ev.prevent_default(); save(); }>
                <fieldset>
                    <legend>"Memory budget per connection"</legend>
                    <p class="hint-text">
                        "Each connection's message log holds at most this many messages and this much memory. "
                        "When either is reached, the oldest messages are evicted and counted; lowering it evicts at once."
                    </p>
                    <NumberField
                        id="settings-max-messages"
                        label="Messages kept per connection"
                        hint=format!("{} to {}", MESSAGES_RANGE.0, MESSAGES_RANGE.1)
                        value=Signal::derive(move || form.with(|f| f.max_messages.clone()))
                        error=Signal::derive(move || errors.get().max_messages)
                        on_input=Callback::new(move |v| edit(|f, v| f.max_messages = v, v))
                    />
                    <NumberField
                        id="settings-max-mib"
                        label="Memory per connection (MiB)"
                        hint=format!("{} to {} MiB", MIB_RANGE.0, MIB_RANGE.1)
                        value=Signal::derive(move || form.with(|f| f.max_mib.clone()))
                        error=Signal::derive(move || errors.get().max_mib)
                        on_input=Callback::new(move |v| edit(|f, v| f.max_mib = v, v))
                    />
                </fieldset>
                <fieldset>
                    <legend>"Display"</legend>
                    <div class="field">
                        <label for="settings-format">"Default payload format"</label>
                        <select
                            id="settings-format"
                            on:change=move |ev| edit(|f, v| f.default_format = v, event_target_value(&ev))
                        >
                            <FormatOptions selected=Signal::derive(move || form.with(|f| f.default_format.clone()))/>
                        </select>
                        <span class="hint-text">"Every log shows payloads in this format unless another was picked in the log; a subscription's or a message's own format wins."</span>
                    </div>
                    <ThemeSelect/>
                </fieldset>
                <div class="settings-actions">
                    <button type="submit" class="primary">"Save settings"</button>
                    <button type="button" on:click=restore>"Restore defaults"</button>
                    <button type="button" on:click=move |_| state.view.set(View::Welcome)>"Close settings"</button>
                    <Show when=move || saved.get()>
                        <span class="settings-saved" role="status">"Settings saved."</span>
                    </Show>
                </div>
            </form>
        </section>
    }
}

/// A labelled whole-number input with its range and, after a failed save, its error.
#[component]
fn NumberField(
    id: &'static str,
    label: &'static str,
    hint: String,
    value: Signal<String>,
    error: Signal<Option<String>>,
    on_input: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type="text"
                inputmode="numeric"
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
            <span class="hint-text">{hint}</span>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </div>
    }
}

/// The theme as a select, for users who look for it in Settings.
#[component]
fn ThemeSelect() -> impl IntoView {
    let theme = expect_context::<ThemeState>();
    let choices = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];
    view! {
        <div class="field">
            <label for="settings-theme">"Theme"</label>
            <select
                id="settings-theme"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    theme.choice.set(ThemeChoice::parse(&value));
                }
            >
                {choices
                    .into_iter()
                    .map(|choice| view! {
                        <option value=choice.attribute() prop:selected=move || theme.choice.get() == choice>
                            {choice.label()}
                        </option>
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
