//! The format picker on a message row: what the row is shown as, and a choice of format
//! for this message alone, without opening the detail view. "Default" names the format
//! the message would get without a choice of its own (its subscription's, the log's, or
//! a suggestion), so the user sees what going back means. Its inputs are signals: a
//! pooled row shows another message after each redraw of a flood.

use leptos::prelude::*;

use super::view_model::LogView;
use crate::messages::PayloadFormat;
use crate::ui::options::FormatOptions;

#[component]
pub fn RowFormat(
    #[prop(into)] seq: Signal<u64>,
    /// The format picked for this message, if any.
    #[prop(into)]
    own: Signal<Option<PayloadFormat>>,
    /// The format it gets without a choice of its own.
    #[prop(into)]
    inherited: Signal<PayloadFormat>,
) -> impl IntoView {
    let log = expect_context::<LogView>();
    let chosen = Signal::derive(move || PayloadFormat::picker_value(own.get()).to_string());
    let default_label = Signal::derive(move || format!("Default: {}", inherited.get().label()));
    view! {
        // A click here picks a format; it must not also open the message.
        <label class="msg-format" on:click=|ev| ev.stop_propagation()>
            "Decode as"
            <select on:change=move |ev| {
                log.set_message_format(seq.get_untracked(), PayloadFormat::from_picker_value(&event_target_value(&ev)))
            }>
                <FormatOptions selected=chosen none_label=default_label/>
            </select>
        </label>
    }
}
