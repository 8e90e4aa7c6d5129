//! Saved publish templates: the connection's own and the global ones, each sent with one
//! click ("Send"), loaded into the form ("Load") or deleted. "Save as template" keeps the
//! form as it is under a name, for this connection or for all; the same name replaces.

use leptos::prelude::*;

use super::target::Target;
use crate::model::publish::{PublishDraft, PublishTemplate};

/// Which list a template lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Connection,
    Global,
}

impl Scope {
    fn label(self) -> &'static str {
        match self {
            Scope::Connection => "this connection",
            Scope::Global => "all connections",
        }
    }
}

/// A change to one template list.
type ListEdit = Box<dyn FnOnce(&mut Vec<PublishTemplate>)>;

/// Puts `template` into `list`, replacing one of the same name.
fn upsert(list: &mut Vec<PublishTemplate>, template: PublishTemplate) {
    match list.iter_mut().find(|t| t.name == template.name) {
        Some(existing) => *existing = template,
        None => list.push(template),
    }
}

#[component]
pub fn Templates(target: Target, draft: RwSignal<PublishDraft>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new(Scope::Connection);
    let listed = move || {
        let own = target.id.with_value(|id| {
            target
                .state
                .profiles
                .with(|list| {
                    list.iter()
                        .find(|p| p.id == *id)
                        .map(|p| p.templates.clone())
                })
                .unwrap_or_default()
        });
        let global = target.book.templates.get();
        own.into_iter()
            .map(|t| (Scope::Connection, t))
            .chain(global.into_iter().map(|t| (Scope::Global, t)))
            .collect::<Vec<_>>()
    };
    let change = move |scope: Scope, edit: ListEdit| match scope {
        Scope::Connection => target.id.with_value(|id| {
            target.state.update_profile(id, |p| edit(&mut p.templates));
        }),
        Scope::Global => target.book.templates.update(|list| edit(list)),
    };
    let save = move |_| {
        let title = name.get_untracked().trim().to_string();
        if title.is_empty() {
            target.feedback.set(Some(super::target::Feedback::Error(
                "Template name: give the template a name to save it".into(),
            )));
            return;
        }
        let mut kept = draft.get_untracked();
        kept.file = None;
        let template = PublishTemplate {
            name: title,
            draft: kept,
        };
        change(
            scope.get_untracked(),
            Box::new(move |list| upsert(list, template)),
        );
        name.set(String::new());
        target.feedback.set(None);
    };
    view! {
        <details class="publish-templates" open=true>
            <summary>"Templates"</summary>
            <ul class="template-list">
                <For each=listed key=|(scope, t)| (*scope == Scope::Global, t.name.clone(), format!("{:?}", t.draft)) let:item>
                    {
                        let (scope, template) = item;
                        let summary = template.draft.summary(60);
                        let (for_send, for_load, title) = (template.draft.clone(), template.draft.clone(), template.name.clone());
                        let doomed = template.name.clone();
                        view! {
                            <li class="template" data-name=template.name.clone()>
                                <span class="template-name">{template.name.clone()}</span>
                                <span class="template-scope hint-text">{scope.label()}</span>
                                <code class="template-summary">{summary}</code>
                                <button type="button" class="small" on:click=move |_| target.send_once(&for_send)>"Send"</button>
                                <button type="button" class="small" on:click=move |_| draft.set(for_load.clone())>"Load"</button>
                                <button type="button" class="small danger" on:click=move |_| {
                                    if super::super::dialog::confirm(&format!("Delete the template \"{title}\"?")) {
                                        let doomed = doomed.clone();
                                        change(scope, Box::new(move |list| list.retain(|t| t.name != doomed)));
                                    }
                                }>"Delete"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <div class="field-row">
                <div class="field">
                    <label for="pub-template-name">"Template name"</label>
                    <input id="pub-template-name" type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="pub-template-scope">"Save for"</label>
                    <select id="pub-template-scope" on:change=move |ev| scope.set(if event_target_value(&ev) == "global" { Scope::Global } else { Scope::Connection })>
                        <option value="connection" selected=true>"This connection"</option>
                        <option value="global">"All connections"</option>
                    </select>
                </div>
                <button type="button" class="save-template" on:click=save>"Save as template"</button>
            </div>
            <p class="hint-text">
                "Variables in the payload are filled in when sent: "
                {crate::model::template::VARIABLES.join(" ")}
            </p>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_under_an_existing_name_replaces_it() {
        let mut list = Vec::new();
        let named = |name: &str, topic: &str| PublishTemplate {
            name: name.into(),
            draft: PublishDraft {
                topic: topic.into(),
                ..PublishDraft::default()
            },
        };
        upsert(&mut list, named("a", "one"));
        upsert(&mut list, named("b", "two"));
        upsert(&mut list, named("a", "three"));
        let topics: Vec<&str> = list.iter().map(|t| t.draft.topic.as_str()).collect();
        assert_eq!(topics, ["three", "two"]);
    }
}
