//! The detail view's comparison with the previous message on the same topic: a line
//! diff of the two payloads as shown, removed lines marked `-` and added lines `+`,
//! with counts above. Payloads too large to diff here say so.

use leptos::prelude::*;

use crate::messages::diff::{change_counts, line_diff, LineChange};

#[component]
pub fn DiffView(previous: String, current: String) -> impl IntoView {
    let lines = match line_diff(&previous, &current) {
        Ok(lines) => lines,
        Err(too_large) => {
            return view! { <p class="hint-text" role="status">{too_large.to_string()}</p> }
                .into_any()
        }
    };
    let (added, removed) = change_counts(&lines);
    let summary = if added == 0 && removed == 0 {
        "Same as the previous message on this topic.".to_string()
    } else {
        format!("Compared with the previous message on this topic: {added} added, {removed} removed lines")
    };
    view! {
        <div class="detail-diff" aria-label="Difference from the previous message">
            <h4>{summary}</h4>
            <pre class="diff-lines">
                {lines
                    .into_iter()
                    .map(|line| {
                        let (class, mark) = match line.change {
                            LineChange::Same => ("diff-same", "  "),
                            LineChange::Added => ("diff-added", "+ "),
                            LineChange::Removed => ("diff-removed", "- "),
                        };
                        view! { <div class=class><span class="diff-mark">{mark}</span>{line.text}</div> }
                    })
                    .collect_view()}
            </pre>
        </div>
    }
    .into_any()
}
