//! Labelled form controls bound to the draft profile. Each shows the validation message
//! for its field right under it, as the user types.

use std::collections::HashSet;

use leptos::prelude::*;

use crate::model::profile::ConnectionProfile;
use crate::model::validate::{Field, FieldError};

type Draft = RwSignal<ConnectionProfile>;

/// Validation results and unparsable inputs of the form, shared by its fields.
#[derive(Clone, Copy)]
pub struct FormContext {
    pub draft: Draft,
    pub errors: Memo<Vec<FieldError>>,
    /// Ids of inputs whose text does not parse (numbers): Save stays blocked.
    pub unparsable: RwSignal<HashSet<&'static str>>,
}

fn ctx() -> FormContext {
    expect_context::<FormContext>()
}

#[component]
pub fn FieldMessage(field: Option<Field>) -> impl IntoView {
    let form = ctx();
    move || {
        let field = field?;
        form.errors
            .with(|errors| {
                errors
                    .iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
            .map(|message| view! { <p class="field-error" role="alert">{message}</p> })
    }
}

#[component]
pub fn TextField(
    label: &'static str,
    id: &'static str,
    get: fn(&ConnectionProfile) -> String,
    set: fn(&mut ConnectionProfile, String),
    #[prop(optional)] field: Option<Field>,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let form = ctx();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type="text"
                placeholder=placeholder
                autocomplete="off"
                prop:value=move || form.draft.with(get)
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    form.draft.update(|d| set(d, value));
                }
            />
            <FieldMessage field/>
        </div>
    }
}

/// A number typed as text: parsed on every keystroke, its error shown beside it.
#[component]
pub fn NumberField(
    label: &'static str,
    id: &'static str,
    get: fn(&ConnectionProfile) -> String,
    set: fn(&mut ConnectionProfile, &str) -> Result<(), String>,
    #[prop(optional)] field: Option<Field>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] unit: &'static str,
) -> impl IntoView {
    let form = ctx();
    let text = RwSignal::new(form.draft.with_untracked(get));
    let error = RwSignal::new(None::<String>);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <span class="with-unit">
                <input
                    id=id
                    type="text"
                    inputmode="numeric"
                    placeholder=placeholder
                    // While the text does not parse it stays as typed; otherwise it follows
                    // the draft, which the URL field may change too.
                    prop:value=move || if error.get().is_some() { text.get() } else { form.draft.with(get) }
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        text.set(value.clone());
                        let mut result = Ok(());
                        form.draft.update(|d| result = set(d, &value));
                        match result {
                            Ok(()) => {
                                error.set(None);
                                form.unparsable.update(|s| { s.remove(id); });
                            }
                            Err(message) => {
                                error.set(Some(message));
                                form.unparsable.update(|s| { s.insert(id); });
                            }
                        }
                    }
                />
                <span class="unit">{unit}</span>
            </span>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <FieldMessage field/>
        </div>
    }
}

#[component]
pub fn CheckField(
    label: &'static str,
    id: &'static str,
    get: fn(&ConnectionProfile) -> bool,
    set: fn(&mut ConnectionProfile, bool),
) -> impl IntoView {
    let form = ctx();
    view! {
        <div class="field check">
            <input
                id=id
                type="checkbox"
                prop:checked=move || form.draft.with(get)
                on:change=move |ev| {
                    let checked = event_target_checked(&ev);
                    form.draft.update(|d| set(d, checked));
                }
            />
            <label for=id>{label}</label>
        </div>
    }
}

#[component]
pub fn SelectField(
    label: &'static str,
    id: &'static str,
    options: &'static [(&'static str, &'static str)],
    get: fn(&ConnectionProfile) -> String,
    set: fn(&mut ConnectionProfile, &str),
    #[prop(optional)] field: Option<Field>,
) -> impl IntoView {
    let form = ctx();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                prop:value=move || form.draft.with(get)
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    form.draft.update(|d| set(d, &value));
                }
            >
                {options
                    .iter()
                    .map(|(value, text)| {
                        view! {
                            <option value=*value selected=move || form.draft.with(get) == *value>
                                {*text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldMessage field/>
        </div>
    }
}

/// Key/value rows (MQTT 5 user properties), in order, repeatable keys allowed.
#[component]
pub fn PairsEditor(
    label: &'static str,
    id: &'static str,
    get: fn(&ConnectionProfile) -> Vec<(String, String)>,
    edit: fn(&mut ConnectionProfile) -> &mut Vec<(String, String)>,
    #[prop(optional)] field: Option<Field>,
) -> impl IntoView {
    let form = ctx();
    let rows = move || {
        form.draft
            .with(get)
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
    };
    view! {
        <fieldset class="pairs" id=id>
            <legend>{label}</legend>
            <For
                each=rows
                key=|(index, pair)| (*index, pair.clone())
                children=move |(index, (key, value))| {
                    let key_label = format!("{label} {} name", index + 1);
                    let value_label = format!("{label} {} value", index + 1);
                    view! {
                        <div class="pair">
                            <input
                                type="text"
                                aria-label=key_label
                                placeholder="name"
                                prop:value=key
                                on:change=move |ev| {
                                    let text = event_target_value(&ev);
                                    form.draft.update(|d| if let Some(p) = edit(d).get_mut(index) { p.0 = text; });
                                }
                            />
                            <input
                                type="text"
                                aria-label=value_label
                                placeholder="value"
                                prop:value=value
                                on:change=move |ev| {
                                    let text = event_target_value(&ev);
                                    form.draft.update(|d| if let Some(p) = edit(d).get_mut(index) { p.1 = text; });
                                }
                            />
                            <button
                                type="button"
                                class="small"
                                on:click=move |_| form.draft.update(|d| { let list = edit(d); if index < list.len() { list.remove(index); } })
                            >
                                "Remove"
                            </button>
                        </div>
                    }
                }
            />
            <button type="button" class="small" on:click=move |_| form.draft.update(|d| edit(d).push((String::new(), String::new())))>
                "Add property"
            </button>
            <FieldMessage field/>
        </fieldset>
    }
}
