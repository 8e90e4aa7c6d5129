//! Redraws at most once per animation frame: message arrivals only mark the log dirty,
//! and the next frame bumps the signal the view listens to, whatever the message rate.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use crate::state::ConnectionRuntime;

/// Asks for one redraw of `runtime`'s message views at the next animation frame.
pub fn schedule_redraw(runtime: ConnectionRuntime) {
    if runtime.frame_pending.get_value() {
        return;
    }
    runtime.frame_pending.set_value(true);
    let flush = Closure::once_into_js(move || {
        runtime.frame_pending.set_value(false);
        let unread = runtime.pending_unread.get_value();
        runtime.pending_unread.set_value(0);
        if unread > 0 {
            runtime.unread.update(|n| *n = n.saturating_add(unread));
        }
        runtime.messages_version.update(|v| *v += 1);
        runtime.packets_version.update(|v| *v += 1);
    });
    let requested =
        web_sys::window().and_then(|w| w.request_animation_frame(flush.unchecked_ref()).ok());
    if requested.is_none() {
        // No window (should not happen in a page): never leave the flag stuck.
        runtime.frame_pending.set_value(false);
    }
}
