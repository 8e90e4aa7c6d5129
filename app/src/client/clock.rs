//! Time for the session in the browser. `std::time::Instant` panics on wasm32, so the
//! monotonic clock is `performance.now()`; the wall clock (for timestamps) is `Date.now()`.

thread_local! {
    /// Looked up once: the driver reads the clock several times per WebSocket frame.
    static PERFORMANCE: Option<web_sys::Performance> =
        web_sys::window().and_then(|w| w.performance());
}

/// Milliseconds on a monotonic clock, as the session wants them.
pub fn monotonic_ms() -> u64 {
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |p| p.now()).max(0.0) as u64)
}

/// Milliseconds since the Unix epoch.
pub fn wall_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// A random 32-bit number from the browser's CSPRNG (for ids and nonces).
pub fn random_u32() -> u32 {
    let mut bytes = [0u8; 4];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if filled {
        u32::from_le_bytes(bytes)
    } else {
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    }
}
