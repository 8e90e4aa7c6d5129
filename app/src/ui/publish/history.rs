//! The sent history as a list to pick from: choosing an entry refills the form with what
//! was sent (topic, QoS, retain, payload, format, properties).

use leptos::prelude::*;

use crate::model::publish::PublishDraft;
use crate::state::publish::PublishBook;
use crate::ui::time::clock_time;

#[component]
pub fn SentHistory(book: PublishBook, draft: RwSignal<PublishDraft>) -> impl IntoView {
    let pick = move |ev| {
        let chosen: Option<usize> = event_target_value(&ev).parse().ok();
        if let Some(entry) = chosen.and_then(|i| book.history.with_untracked(|h| h.get(i).cloned()))
        {
            draft.set(entry.draft);
        }
    };
    view! {
        <div class="field sent-history">
            <label for="pub-history">"Sent history"</label>
            <select id="pub-history" on:change=pick prop:value="">
                <option value="" selected=true>
                    {move || format!("{} sent — pick one to fill the form", book.history.with(Vec::len))}
                </option>
                {move || book.history.with(|history| history.iter().enumerate().map(|(i, entry)| {
                    let label = format!("{} {}", clock_time(entry.at_ms), entry.draft.summary(70));
                    view! { <option value=i.to_string()>{label}</option> }
                }).collect_view())}
            </select>
        </div>
    }
}
