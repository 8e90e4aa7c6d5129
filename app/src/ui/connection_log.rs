//! The timestamped connection log: opened, connected, refused, lost, reconnecting.

use leptos::prelude::*;

use super::time::clock_time;
use crate::state::{ConnectionRuntime, LogLevel};

#[component]
pub fn ConnectionLog(runtime: ConnectionRuntime) -> impl IntoView {
    view! {
        <section class="connection-log" aria-label="Connection log">
            <h2>"Connection log"</h2>
            <ol>
                {move || {
                    runtime
                        .log
                        .get()
                        .into_iter()
                        .map(|entry| {
                            let level = match entry.level {
                                LogLevel::Info => "info",
                                LogLevel::Warning => "warning",
                                LogLevel::Error => "error",
                            };
                            view! {
                                <li class=format!("log-{level}")>
                                    <time>{clock_time(entry.at_ms)}</time>
                                    " "
                                    <span>{entry.text}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </section>
    }
}
