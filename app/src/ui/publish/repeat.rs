//! Timed publish: the form's message every N ms, a number of times or until stopped,
//! with a Stop button and "sent k / N". A run stops on Stop, on an error, when the
//! connection is no longer live, and when its section leaves the page; it never sends
//! more than its count. The form is copied when the run starts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use leptos::prelude::*;

use super::target::{Feedback, Target};
use crate::model::publish::PublishDraft;
use crate::model::repeat::{RepeatPlan, RepeatProgress};
use crate::platform::now_ms;

#[component]
pub fn TimedPublish(target: Target, draft: RwSignal<PublishDraft>) -> impl IntoView {
    let interval = RwSignal::new(String::from("1000"));
    let times = RwSignal::new(String::from("10"));
    let progress = RwSignal::new(None::<RepeatProgress>);
    let running = RwSignal::new(false);
    // Bumped to end the current run; outside the reactive graph so it outlives it.
    let generation = Arc::new(AtomicU64::new(0));
    let stop = {
        let generation = generation.clone();
        move || {
            generation.fetch_add(1, Ordering::SeqCst);
            running.try_set(false);
        }
    };
    on_cleanup({
        let generation = generation.clone();
        move || {
            generation.fetch_add(1, Ordering::SeqCst);
        }
    });
    // A lost connection ends the run at once.
    Effect::new({
        let stop = stop.clone();
        move |_| {
            if running.get_untracked() && !target.is_connected() {
                stop();
            }
            target.runtime.status.track();
        }
    });
    let start = {
        let generation = generation.clone();
        move |_| {
            let plan = match RepeatPlan::parse(&interval.get_untracked(), &times.get_untracked()) {
                Ok(plan) => plan,
                Err(error) => return target.feedback.set(Some(Feedback::Error(error))),
            };
            let snapshot = draft.get_untracked();
            let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
            progress.set(Some(RepeatProgress::start(plan)));
            running.set(true);
            target.feedback.set(None);
            target.book.record_sent(&snapshot, now_ms());
            run(
                target,
                snapshot,
                plan,
                progress,
                running,
                generation.clone(),
                mine,
            );
        }
    };
    view! {
        <details class="publish-repeat">
            <summary>"Repeat every N ms"</summary>
            <div class="field-row">
                <div class="field">
                    <label for="pub-interval">"Every (ms)"</label>
                    <input id="pub-interval" type="text" inputmode="numeric" prop:value=move || interval.get() on:input=move |ev| interval.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="pub-times">"Times (empty: until stopped)"</label>
                    <input id="pub-times" type="text" inputmode="numeric" prop:value=move || times.get() on:input=move |ev| times.set(event_target_value(&ev))/>
                </div>
                <Show
                    when=move || running.get()
                    fallback=move || view! { <button type="button" class="start-repeat" on:click=start.clone()>"Start repeating"</button> }
                >
                    <button type="button" class="danger stop-repeat" on:click={
                        let stop = stop.clone();
                        move |_| stop()
                    }>"Stop"</button>
                </Show>
                <span class="repeat-progress" role="status">
                    {move || progress.get().map(|p| p.label()).unwrap_or_default()}
                </span>
            </div>
        </details>
    }
}

/// Sends message after message until the plan is done or the run is ended.
fn run(
    target: Target,
    draft: PublishDraft,
    plan: RepeatPlan,
    progress: RwSignal<Option<RepeatProgress>>,
    running: RwSignal<bool>,
    generation: Arc<AtomicU64>,
    mine: u64,
) {
    #[cfg(feature = "hydrate")]
    wasm_bindgen_futures::spawn_local(async move {
        let current = || generation.load(Ordering::SeqCst) == mine;
        loop {
            let next = progress
                .try_get_untracked()
                .flatten()
                .and_then(|p| p.next());
            let Some(counter) = next.filter(|_| current()) else {
                break;
            };
            if !target.is_connected() {
                target.feedback.try_set(Some(Feedback::Error(
                    "Timed publish stopped: the connection is not live".into(),
                )));
                break;
            }
            match target.send_draft(&draft, u64::from(counter)) {
                Ok(unknown) => {
                    progress.try_update(|p| {
                        if let Some(p) = p {
                            p.sent = counter;
                        }
                    });
                    if counter == 1 {
                        target
                            .feedback
                            .try_set(super::target::unknown_note(&unknown).map(Feedback::Note));
                    }
                }
                Err(error) => {
                    target.feedback.try_set(Some(Feedback::Error(error)));
                    break;
                }
            }
            if plan.count == Some(counter) {
                break;
            }
            gloo_timers::future::TimeoutFuture::new(plan.interval_ms).await;
        }
        if current() {
            running.try_set(false);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (target, draft, plan, progress, running, generation, mine);
}
