//! Draws the rows of a virtualised list into a pool of row views that are reused, not
//! rebuilt. Slot `i` always shows the `i`-th row in view; when the window moves (a new
//! message while following, a scroll), a slot's contents are updated in place. In a
//! flood every row in view changes ten times a second, and creating and removing a
//! screenful of elements each time was most of a frame's cost; updating their text is
//! a fraction of it.
//!
//! Slots are kept once made. When the list shrinks (a filter that matches nothing for
//! now, a short list) the spare slots are hidden, not removed, so the rows coming back
//! (the filter cleared) are written into them rather than built anew: a screenful of
//! rows built at once was one of the longest tasks of typing in the filter.

use leptos::prelude::*;

/// The rows of `rows`, each drawn by `row_view` from a memo of its slot's row and
/// whether the slot shows one at all (a spare slot holds `T::default()`). A slot's memos
/// notify only when they changed, so its view's bindings update only then.
pub fn pooled_rows<T, V, F>(rows: Memo<Vec<T>>, row_view: F) -> impl IntoView
where
    T: Clone + PartialEq + Default + Send + Sync + 'static,
    F: Fn(Memo<T>, Memo<bool>) -> V + Send + Clone + 'static,
    V: IntoView + 'static,
{
    let slots =
        Memo::new(move |made: Option<&usize>| rows.with(Vec::len).max(made.copied().unwrap_or(0)));
    view! {
        <For
            each=move || 0..slots.get()
            key=|slot| *slot
            children=move |slot| {
                let row = Memo::new(move |_| {
                    rows.with(|rows| rows.get(slot).cloned().unwrap_or_default())
                });
                let shown = Memo::new(move |_| rows.with(|rows| slot < rows.len()));
                row_view(row, shown)
            }
        />
    }
}

/// The class of a pooled row: `class()` while its slot shows a row, else `spare` alone
/// (a spare slot carries none of a row's classes).
pub fn slot_class(
    shown: Memo<bool>,
    spare: &'static str,
    class: impl Fn() -> String + Send + Sync + 'static,
) -> impl Fn() -> String + Send + Sync + 'static {
    move || {
        if shown.get() {
            class()
        } else {
            spare.to_string()
        }
    }
}
