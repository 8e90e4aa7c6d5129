//! Redraws the message views at most every `REDRAW_INTERVAL_MS` while messages keep
//! coming: arrivals only mark the log dirty, and a later task bumps the signals the views
//! listen to, whatever the message rate. In a flood nobody reads 300 new rows a frame;
//! rebuilding them 60 times a second only takes the main thread from scrolling and
//! typing, which still answer within the frame.
//!
//! The redraw's DOM writes run in a timer task of their own, not in an animation frame:
//! the frame that follows then only lays out and paints them. Both in one frame made the
//! page's longest tasks under a flood, which a busy machine stretched past 50 ms.
//!
//! Work that reads layout (scrolling a list to its newest row) waits for the end of the
//! next frame, after every view has written its rows: done in the middle, it made the
//! browser lay the page out once for it and again for what the next view wrote.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use leptos::prelude::*;

use super::clock::monotonic_ms;
use crate::state::{ConnectionRuntime, Pacing};

/// Ten redraws a second at most for arrivals; the last arrivals are always drawn.
const REDRAW_INTERVAL_MS: f64 = 100.0;

/// One redraw a second at most for the packet inspector while it is off screen (below
/// the fold unless the user scrolls to it): its rows stay current for find-in-page and
/// assistive tools, at a tenth of the cost in a flood; it redraws at once when it shows.
const OFF_SCREEN_INTERVAL_MS: f64 = 1000.0;

/// Asks for one redraw of `runtime`'s message views: at once (in a task of its own) when
/// the last was long enough ago, else when the interval is over.
pub fn schedule_redraw(runtime: ConnectionRuntime) {
    pace(runtime.redraw, REDRAW_INTERVAL_MS, move |now_ms| {
        redraw(runtime, now_ms)
    });
}

/// Runs `draw` in a timer task of its own, at most every `interval_ms`: at once when the
/// last draw (`pacing.last_ms`, which it keeps) was long enough ago, else when the
/// interval is over. Requests while one is pending join it, so the last of them is
/// always drawn.
fn pace(pacing: Pacing, interval_ms: f64, draw: impl FnOnce(f64) + 'static) {
    let Pacing { pending, last_ms } = pacing;
    if pending.get_value() {
        return;
    }
    pending.set_value(true);
    let since = monotonic_ms() as f64 - last_ms.get_value();
    let wait = (interval_ms - since).clamp(0.0, interval_ms);
    set_timeout(
        move || {
            // The connection's view may have gone meanwhile.
            if pending.try_set_value(false).is_some() {
                return;
            }
            let now_ms = monotonic_ms() as f64;
            last_ms.set_value(now_ms);
            draw(now_ms);
        },
        Duration::from_secs_f64(wait / 1000.0),
    );
}

thread_local! {
    static FRAME_END_JOBS: RefCell<Vec<Box<dyn FnOnce()>>> = RefCell::new(Vec::new());
    static FRAME_END_REQUESTED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `job` in the coming animation frame, before the browser lays it out and paints
/// it: after the redraw's writes (which run in a task before the frame) and after any
/// other view's.
pub fn at_frame_end(job: impl FnOnce() + 'static) {
    FRAME_END_JOBS.with(|jobs| jobs.borrow_mut().push(Box::new(job)));
    if !FRAME_END_REQUESTED.replace(true) {
        request_animation_frame(run_frame_end);
    }
}

fn run_frame_end() {
    FRAME_END_REQUESTED.set(false);
    let jobs = FRAME_END_JOBS.with(|jobs| std::mem::take(&mut *jobs.borrow_mut()));
    for job in jobs {
        job();
    }
}

fn redraw(runtime: ConnectionRuntime, now_ms: f64) {
    let unread = runtime.pending_unread.get_value();
    runtime.pending_unread.set_value(0);
    if unread > 0 {
        runtime.unread.update(|n| *n = n.saturating_add(unread));
    }
    runtime.messages_version.update(|v| *v += 1);
    redraw_packets(runtime, now_ms);
}

/// Redraws the packet inspector now if it is on screen, else at most once a second (the
/// last packets always drawn).
fn redraw_packets(runtime: ConnectionRuntime, now_ms: f64) {
    if runtime.packets_on_screen.get_value() {
        draw_packets(runtime, now_ms);
    } else {
        pace(
            runtime.packets_draw,
            OFF_SCREEN_INTERVAL_MS,
            move |now_ms| draw_packets(runtime, now_ms),
        );
    }
}

fn draw_packets(runtime: ConnectionRuntime, now_ms: f64) {
    runtime.packets_draw.last_ms.set_value(now_ms);
    runtime.packets_version.update(|v| *v += 1);
}

/// The packet inspector came on screen (redrawn at once) or went off it.
pub fn set_packets_on_screen(runtime: ConnectionRuntime, on_screen: bool) {
    let was = runtime.packets_on_screen.get_value();
    runtime.packets_on_screen.set_value(on_screen);
    if on_screen && !was {
        draw_packets(runtime, monotonic_ms() as f64);
    }
}
