//! Redraws the message views at most once per animation frame, and at most every
//! `REDRAW_INTERVAL_MS` while messages keep coming: arrivals only mark the log dirty, and
//! a later frame bumps the signals the views listen to, whatever the message rate. In a
//! flood nobody reads 300 new rows a frame; rebuilding them 60 times a second only takes
//! the main thread from scrolling and typing, which still answer within the frame.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use crate::state::ConnectionRuntime;

/// Ten redraws a second at most for arrivals; the last arrivals are always drawn.
const REDRAW_INTERVAL_MS: f64 = 100.0;

/// Asks for one redraw of `runtime`'s message views at a coming animation frame.
pub fn schedule_redraw(runtime: ConnectionRuntime) {
    if runtime.frame_pending.get_value() {
        return;
    }
    runtime.frame_pending.set_value(true);
    let flush = Closure::once_into_js(move |frame_ms: f64| {
        runtime.frame_pending.set_value(false);
        if frame_ms - runtime.last_redraw_ms.get_value() < REDRAW_INTERVAL_MS {
            schedule_redraw(runtime);
            return;
        }
        runtime.last_redraw_ms.set_value(frame_ms);
        redraw(runtime);
    });
    let requested =
        web_sys::window().and_then(|w| w.request_animation_frame(flush.unchecked_ref()).ok());
    if requested.is_none() {
        // No window (should not happen in a page): never leave the flag stuck.
        runtime.frame_pending.set_value(false);
    }
}

fn redraw(runtime: ConnectionRuntime) {
    let unread = runtime.pending_unread.get_value();
    runtime.pending_unread.set_value(0);
    if unread > 0 {
        runtime.unread.update(|n| *n = n.saturating_add(unread));
    }
    runtime.messages_version.update(|v| *v += 1);
    runtime.packets_version.update(|v| *v += 1);
}
