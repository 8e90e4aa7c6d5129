//! The scrolling arithmetic of a virtualised list with fixed-height rows: which rows are
//! in view (plus a few either side), and following the newest row at the bottom until
//! the user scrolls up. The message log and the packet inspector share it, so a flood
//! only ever costs the DOM of one screenful of rows.

use std::ops::Range;
use std::time::Duration;

use leptos::html::Div;
use leptos::prelude::*;

/// Rows rendered above the viewport while it follows the newest: enough for the first
/// turn of the wheel (about 100 px) to show rows before the list re-renders, and no
/// more, since in a flood every rendered row is rewritten at each redraw.
const FOLLOWING_OVERSCAN: usize = 3;

#[derive(Clone, Copy)]
pub struct VirtualWindow {
    pub row_height: f64,
    /// Rows the viewport shows at once.
    pub viewport_rows: usize,
    /// Rows rendered beyond each edge so a quick scroll does not show blanks.
    pub overscan: usize,
    pub viewport: NodeRef<Div>,
    scroll_top: RwSignal<f64>,
    follow: RwSignal<bool>,
    /// The scroll position and following as the last scroll event left them. The
    /// signals above take them in a task of their own (see [`Self::on_scroll`]); these
    /// say at once whether the list may still be scrolled to its newest row.
    seen_top: StoredValue<f64>,
    seen_follow: StoredValue<bool>,
    apply_pending: StoredValue<bool>,
    /// The list length last rendered: the bottom is computed from it, because asking the
    /// browser (`scrollHeight`) forces a layout in the middle of every frame of a flood.
    len: StoredValue<usize>,
}

impl VirtualWindow {
    pub fn new(row_height: f64, viewport_rows: usize, overscan: usize) -> Self {
        VirtualWindow {
            row_height,
            viewport_rows,
            overscan,
            viewport: NodeRef::new(),
            scroll_top: RwSignal::new(0.0),
            follow: RwSignal::new(true),
            seen_top: StoredValue::new(0.0),
            seen_follow: StoredValue::new(true),
            apply_pending: StoredValue::new(false),
            len: StoredValue::new(0),
        }
    }

    /// The rows of a list of `len` to render now: the last ones while following, else
    /// those at the scroll position (tracked).
    pub fn range(&self, len: usize) -> Range<usize> {
        self.len.set_value(len);
        let (first, above) = if self.follow.get() {
            (
                len.saturating_sub(self.viewport_rows),
                self.overscan.min(FOLLOWING_OVERSCAN),
            )
        } else {
            let top = (self.scroll_top.get() / self.row_height).floor().max(0.0) as usize;
            (top, self.overscan)
        };
        let start = first.saturating_sub(above).min(len);
        let end = (first + self.viewport_rows + self.overscan).min(len);
        start..end.max(start)
    }

    /// The CSS position of row `index` inside the spacer.
    pub fn row_style(&self, index: usize) -> String {
        format!(
            "top:{}px;height:{}px",
            index as f64 * self.row_height,
            self.row_height
        )
    }

    pub fn viewport_style(&self) -> String {
        format!("height:{}px", self.viewport_height())
    }

    fn viewport_height(&self) -> f64 {
        self.row_height * self.viewport_rows as f64
    }

    /// The scroll position that shows the last row.
    fn bottom(&self) -> f64 {
        self.bottom_of(self.len.get_value())
    }

    /// The scroll position that shows the last of `len` rows.
    fn bottom_of(&self, len: usize) -> f64 {
        (len as f64 * self.row_height - self.viewport_height()).max(0.0)
    }

    pub fn spacer_style(&self, len: usize) -> String {
        format!("height:{}px", len as f64 * self.row_height)
    }

    /// Reads the viewport's scroll position; following stops when the user scrolls up
    /// and resumes when they scroll back to the bottom. Being short of the bottom is no
    /// sign of the user: in a flood, rows arrive between our scroll to the bottom and
    /// its scroll event.
    ///
    /// The rows re-render in a task of their own, soon after: the scroll event comes in
    /// the middle of an animation frame, and rewriting a screenful of rows there made
    /// that frame one of the page's longest. The browser has scrolled the rows already
    /// drawn (the overscan) meanwhile.
    pub fn on_scroll(&self) {
        let Some(el) = self.viewport.get_untracked() else {
            return;
        };
        let top = f64::from(el.scroll_top());
        let previous = self.seen_top.get_value();
        self.seen_top.set_value(top);
        if top >= self.bottom() - self.row_height {
            self.seen_follow.set_value(true);
        } else if top < previous {
            self.seen_follow.set_value(false);
        }
        if self.apply_pending.get_value() {
            return;
        }
        self.apply_pending.set_value(true);
        let window = *self;
        set_timeout(move || window.apply_scroll(), Duration::ZERO);
    }

    /// Hands what the scroll events saw to the signals the rows follow.
    fn apply_scroll(self) {
        // The list may have gone meanwhile.
        if self.apply_pending.try_set_value(false).is_some() {
            return;
        }
        let top = self.seen_top.get_value();
        if self.scroll_top.get_untracked() != top {
            self.scroll_top.set(top);
        }
        let following = self.seen_follow.get_value();
        if self.follow.get_untracked() != following {
            self.follow.set(following);
        }
    }

    /// Scrolls to the newest row whenever the list's length (`len`, tracked) changes,
    /// while following. The rows shown are the last ones already (see `range`); the
    /// browser's scroll position follows at the end of the frame, after every view has
    /// written, since setting it makes the browser lay the page out there and then.
    pub fn follow_newest(self, len: impl Fn() -> usize + 'static) {
        Effect::new(move |_| {
            self.len.set_value(len());
            if self.seen_follow.get_value() {
                crate::platform::at_frame_end(move || self.scroll_to_newest());
            }
        });
    }

    fn scroll_to_newest(self) {
        // The list may have gone, or the user scrolled up, since this was asked for.
        if !self.seen_follow.try_get_value().unwrap_or(false) {
            return;
        }
        let Some(len) = self.len.try_get_value() else {
            return;
        };
        if let Some(viewport) = self.viewport.try_get_untracked().flatten() {
            // The spacer's height binding ran with the rows, earlier in the frame.
            viewport.set_scroll_top(self.bottom_of(len).ceil() as i32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn following_renders_few_rows_above_and_a_scrolled_list_its_full_overscan() {
        // Signals need an owner (with the server's features on, an arena too).
        Owner::new().with(|| {
            let window = VirtualWindow::new(10.0, 12, 6);
            assert_eq!(window.range(100), 85..100, "the last 12 and 3 above");
            assert_eq!(window.range(5), 0..5, "a short list shows all");
            window.follow.set(false);
            window.scroll_top.set(400.0);
            assert_eq!(window.range(100), 34..58, "6 either side of rows 40..52");
            window.scroll_top.set(0.0);
            assert_eq!(window.range(100), 0..18);
        });
    }
}
