//! Exporting the messages shown, or all held whatever the filters, as JSON Lines or CSV
//! to a file. The rows are written a slice of frame time at a time, with progress and a
//! Cancel, so a million rows never freeze the page; the exporter hands over chunks,
//! which become the parts of one Blob, so they never form one string either.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::reactive::owner::LocalStorage;

use super::view_model::{thousands, LogView};
use crate::messages::{ExportFormat, ExportOptions, Exporter, PayloadEncoding};
use crate::platform::{monotonic_ms, now_ms, FRAME_SLICE_MS};
use crate::state::LogLevel;

type Chunks = Rc<RefCell<Vec<String>>>;
/// Hands each finished chunk to the job's list of Blob parts.
type ChunkSink = Box<dyn FnMut(&str)>;
/// The export under way, if any (the page's thread only: it holds the chunks).
type JobSlot = StoredValue<Option<ExportJob>, LocalStorage>;

/// One export under way: the messages to write (by number, fixed when it started),
/// how far it got, and the chunks written so far.
struct ExportJob {
    seqs: Vec<u64>,
    next: usize,
    exporter: Exporter<ChunkSink>,
    chunks: Chunks,
    format: ExportFormat,
}

/// Progress as the toolbar shows it.
#[derive(Clone, Copy, PartialEq)]
struct Progress {
    done: usize,
    total: usize,
}

#[component]
pub fn ExportButtons() -> impl IntoView {
    let log = expect_context::<LogView>();
    let as_text = RwSignal::new(false);
    let all_held = RwSignal::new(false);
    let progress = RwSignal::new(None::<Progress>);
    let job: JobSlot = StoredValue::new_local(None);
    let start = move |format: ExportFormat| {
        if job.with_value(Option::is_some) {
            return;
        }
        let payload = if as_text.get_untracked() {
            PayloadEncoding::Text
        } else {
            PayloadEncoding::Base64
        };
        let seqs = if all_held.get_untracked() {
            log.store().borrow().iter().map(|r| r.seq).collect()
        } else {
            log.matched().borrow().seqs.clone()
        };
        let chunks: Chunks = Rc::default();
        let sink = {
            let chunks = chunks.clone();
            Box::new(move |chunk: &str| chunks.borrow_mut().push(chunk.to_string())) as ChunkSink
        };
        progress.set(Some(Progress {
            done: 0,
            total: seqs.len(),
        }));
        job.set_value(Some(ExportJob {
            seqs,
            next: 0,
            exporter: Exporter::new(ExportOptions { format, payload }, sink),
            chunks,
            format,
        }));
        run_slice(log, job, progress);
    };
    let cancel = move |_| {
        if job.try_update_value(Option::take).flatten().is_some() {
            progress.set(None);
            log.runtime
                .push_log(now_ms(), LogLevel::Info, "export cancelled");
        }
    };
    view! {
        <div class="log-export">
            <button type="button" class="small" disabled=move || progress.get().is_some()
                on:click=move |_| start(ExportFormat::JsonLines)>"Export JSON Lines"</button>
            <button type="button" class="small" disabled=move || progress.get().is_some()
                on:click=move |_| start(ExportFormat::Csv)>"Export CSV"</button>
            <span class="field check">
                <input id="log-export-all" type="checkbox" on:change=move |ev| all_held.set(event_target_checked(&ev))/>
                <label for="log-export-all">"All held (ignore filters)"</label>
            </span>
            <span class="field check">
                <input id="log-export-text" type="checkbox" on:change=move |ev| as_text.set(event_target_checked(&ev))/>
                <label for="log-export-text">"Payloads as text"</label>
            </span>
            {move || progress.get().map(|p| view! {
                <progress class="export-progress" aria-label="Export progress" max=p.total.max(1) value=p.done></progress>
                <span class="export-count">{format!("Exporting {} of {}", thousands(p.done as u64), thousands(p.total as u64))}</span>
                <button type="button" class="small" on:click=cancel>"Cancel export"</button>
            })}
        </div>
    }
}

/// Writes rows for one slice of frame time, then either asks for the next frame or
/// saves the file. A cancelled job (taken out of `job`) just stops.
fn run_slice(log: LogView, job: JobSlot, progress: RwSignal<Option<Progress>>) {
    let started = monotonic_ms();
    let step = job.try_update_value(|slot| {
        let current = slot.as_mut()?;
        let store = log.store();
        let store = store.borrow();
        while current.next < current.seqs.len() {
            // Messages evicted since the export started are gone: they are skipped.
            if let Some(record) = store.get(current.seqs[current.next]) {
                current.exporter.write(record);
            }
            current.next += 1;
            if current.next % 256 == 0 && monotonic_ms().saturating_sub(started) >= FRAME_SLICE_MS {
                break;
            }
        }
        let progress = Progress {
            done: current.next,
            total: current.seqs.len(),
        };
        let finished = (current.next == current.seqs.len())
            .then(|| slot.take())
            .flatten();
        Some((progress, finished))
    });
    let Some(Some((now, finished))) = step else {
        return;
    };
    let Some(finished) = finished else {
        progress.set(Some(now));
        request_animation_frame(move || run_slice(log, job, progress));
        return;
    };
    let rows = finished.exporter.finish();
    save(&finished.chunks.borrow(), finished.format);
    progress.set(None);
    log.runtime.push_log(
        now_ms(),
        LogLevel::Info,
        format!(
            "exported {rows} messages as {}",
            finished.format.file_extension()
        ),
    );
}

fn save(chunks: &[String], format: ExportFormat) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsValue;
        let parts = js_sys::Array::new();
        for chunk in chunks {
            parts.push(&JsValue::from_str(chunk));
        }
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(format.mime_type());
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let name = format!("mqttdeck-messages.{}", format.file_extension());
        crate::client::download::blob(&name, &blob);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (chunks, format);
}
