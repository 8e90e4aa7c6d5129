//! The format picker on a message row: what the row is shown as, and a choice of format
//! for this message alone, without opening the detail view. "Default" names the format
//! the message would get without a choice of its own (its subscription's, the log's, or
//! a suggestion), so the user sees what going back means.

use leptos::prelude::*;

use super::view_model::LogView;
use crate::messages::PayloadFormat;
use crate::model::settings::{format_from_value, format_value};

#[component]
pub fn RowFormat(
    seq: u64,
    /// The format picked for this message, if any.
    own: Option<PayloadFormat>,
    /// The format it gets without a choice of its own.
    inherited: PayloadFormat,
) -> impl IntoView {
    let log = expect_context::<LogView>();
    let options = PayloadFormat::ALL.map(|format| {
        view! { <option value=format_value(Some(format)) selected=own == Some(format)>{format.label()}</option> }
    });
    view! {
        // A click here picks a format; it must not also open the message.
        <label class="msg-format" on:click=|ev| ev.stop_propagation()>
            "Decode as"
            <select on:change=move |ev| log.set_message_format(seq, format_from_value(&event_target_value(&ev)))>
                <option value=format_value(None) selected=own.is_none()>{format!("Default: {}", inherited.label())}</option>
                {options.into_iter().collect_view()}
            </select>
        </label>
    }
}
