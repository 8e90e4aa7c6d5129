//! Option lists more than one picker shows: the payload formats (with a first choice
//! for "no fixed format" each picker names its own way) and the QoS levels.

use leptos::prelude::*;

use crate::messages::PayloadFormat;

/// `<option>`s for "Detect" and every format, the one named `selected` chosen.
#[component]
pub fn FormatOptions(
    #[prop(into)] selected: Signal<String>,
    /// The label of the "no fixed format" choice.
    #[prop(into, default = "Detect".into())]
    none_label: Signal<String>,
) -> impl IntoView {
    let option = move |format: Option<PayloadFormat>| {
        let value = PayloadFormat::picker_value(format);
        let label = move || match format {
            Some(format) => format.label().to_string(),
            None => none_label.get(),
        };
        view! {
            <option value=value prop:selected=move || selected.with(|s| s == value)>{label}</option>
        }
    };
    std::iter::once(None)
        .chain(PayloadFormat::ALL.map(Some))
        .map(option)
        .collect_view()
}

/// `<option>`s for QoS 0, 1 and 2; with none selected, a select shows its first.
#[component]
pub fn QosOptions() -> impl IntoView {
    view! {
        <option value="0">"0"</option>
        <option value="1">"1"</option>
        <option value="2">"2"</option>
    }
}
