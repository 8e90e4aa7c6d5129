//! Whether an element is on screen: an `IntersectionObserver` on the page's viewport
//! (scroll containers that clip it count), so a view below the fold can draw less often
//! without asking the browser for layout in every frame.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{IntersectionObserver, IntersectionObserverEntry};

/// Calls `changed(on_screen)` soon (the observer reports an element's first state) and
/// whenever `element` comes on or goes off screen, until the current reactive owner is
/// cleaned up.
pub fn watch_on_screen(element: &web_sys::Element, changed: impl Fn(bool) + 'static) {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        // Entries come oldest first: the last says where the element is now.
        if let Some(entry) = entries
            .iter()
            .last()
            .and_then(|entry| entry.dyn_into::<IntersectionObserverEntry>().ok())
        {
            changed(entry.is_intersecting());
        }
    });
    let Ok(observer) = IntersectionObserver::new(callback.as_ref().unchecked_ref()) else {
        // Without the observer the element counts as always on screen (the default).
        return;
    };
    observer.observe(element);
    StoredValue::new_local(Watch {
        observer,
        _callback: callback,
    });
}

/// Owned by the reactive owner: dropping it stops the observer, whose callback it keeps
/// alive until then.
struct Watch {
    observer: IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
