//! Timestamps as users read them: local wall-clock time to the millisecond.

/// `HH:MM:SS.mmm` in the browser's time zone (UTC on the server, which renders none).
pub fn clock_time(at_ms: u64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64));
        format!(
            "{:02}:{:02}:{:02}.{:03}",
            date.get_hours(),
            date.get_minutes(),
            date.get_seconds(),
            date.get_milliseconds()
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let secs = at_ms / 1000;
        format!(
            "{:02}:{:02}:{:02}.{:03}",
            (secs / 3600) % 24,
            (secs / 60) % 60,
            secs % 60,
            at_ms % 1000
        )
    }
}
