//! The log's own format picker. Its first choice follows the default payload format
//! from Settings (and says which that is now), so a log the user never set changes with
//! that default; any other choice is the user's and stays until changed.

use leptos::prelude::*;

use super::view_model::LogView;
use crate::messages::PayloadFormat;
use crate::state::log_formats::LogFormat;
use crate::state::AppState;
use crate::ui::options::FormatOptions;

/// The picker value of "follow Settings" (the formats use their stored names).
const FOLLOW_SETTINGS: &str = "settings";

#[component]
pub fn LogFormatPicker() -> impl IntoView {
    let log = expect_context::<LogView>();
    let state = expect_context::<AppState>();
    let following = move || log.format_choice.get() == LogFormat::FollowSettings;
    let chosen = Signal::derive(move || match log.format_choice.get() {
        LogFormat::FollowSettings => FOLLOW_SETTINGS.to_string(),
        LogFormat::Chosen(format) => PayloadFormat::picker_value(format).to_string(),
    });
    let default_label = move || {
        let default = state.settings.with(|s| s.default_format);
        let name = default.map_or("Detect", |format| format.label());
        format!("Settings default ({name})")
    };
    let pick = move |value: String| {
        log.format_choice.set(if value == FOLLOW_SETTINGS {
            LogFormat::FollowSettings
        } else {
            LogFormat::Chosen(PayloadFormat::from_picker_value(&value))
        });
    };
    view! {
        <div class="field">
            <label for="log-format">"Format"</label>
            <select id="log-format" on:change=move |ev| pick(event_target_value(&ev))>
                <option value=FOLLOW_SETTINGS prop:selected=following>{default_label}</option>
                <FormatOptions selected=chosen/>
            </select>
        </div>
    }
}
