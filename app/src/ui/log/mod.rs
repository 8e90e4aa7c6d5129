//! The live message log: filters, counters, a virtualised list (only visible rows exist
//! in the DOM), pause, clear, and a detail view of one message. It reads the connection's
//! store outside the reactive graph and redraws when the frame signal says so.

mod detail;
mod diff_view;
mod export;
mod format_picker;
mod highlight;
mod list;
mod row_format;
mod toolbar;
mod view_model;

use leptos::prelude::*;

use crate::state::ConnectionRuntime;
use view_model::LogView;

#[component]
pub fn MessageLog(id: String, runtime: ConnectionRuntime) -> impl IntoView {
    let log = LogView::new(&id, runtime);
    provide_context(log);
    view! {
        <section class="message-log" aria-label="Messages">
            <h2>"Messages"</h2>
            <toolbar::Toolbar/>
            <export::ExportButtons/>
            <list::MessageList/>
            <detail::MessageDetail/>
        </section>
    }
}
