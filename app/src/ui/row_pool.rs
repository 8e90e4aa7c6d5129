//! Draws the rows of a virtualised list into a pool of row views that are reused, not
//! rebuilt. Slot `i` always shows the `i`-th row in view; when the window moves (a new
//! message while following, a scroll), a slot's contents are updated in place. In a
//! flood every row in view changes ten times a second, and creating and removing a
//! screenful of elements each time was most of a frame's cost; updating their text is
//! a fraction of it.

use leptos::prelude::*;

/// The rows of `rows`, each drawn by `row_view` from a memo of its slot's row. A slot's
/// memo notifies only when its row changed, so its view's bindings update only then.
pub fn pooled_rows<T, V, F>(rows: Memo<Vec<T>>, row_view: F) -> impl IntoView
where
    T: Clone + PartialEq + Default + Send + Sync + 'static,
    F: Fn(Memo<T>) -> V + Send + Clone + 'static,
    V: IntoView + 'static,
{
    view! {
        <For
            each=move || 0..rows.with(Vec::len)
            key=|slot| *slot
            children=move |slot| {
                let row = Memo::new(move |_| {
                    rows.with(|rows| rows.get(slot).cloned().unwrap_or_default())
                });
                row_view(row)
            }
        />
    }
}
