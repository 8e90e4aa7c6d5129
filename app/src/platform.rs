//! Ids, random numbers and the wall clock, from the browser when hydrated; the server
//! renders no events and mints no ids, so it gets fixed stand-ins.

/// Main-thread time a piece of background work (the WebSocket driver, a filter rescan,
/// an export) takes before it yields to the page, so a frame keeps room to paint.
pub const FRAME_SLICE_MS: u64 = 8;

/// Milliseconds on the page's monotonic clock (`performance.now()`); 0 off the browser.
pub fn monotonic_ms() -> u64 {
    #[cfg(feature = "hydrate")]
    {
        crate::client::clock::monotonic_ms()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

/// Runs `job` at the end of the coming animation frame, after the views have written
/// their rows (the server draws no frames and runs nothing).
pub fn at_frame_end(job: impl FnOnce() + 'static) {
    #[cfg(feature = "hydrate")]
    crate::client::frames::at_frame_end(job);
    #[cfg(not(feature = "hydrate"))]
    drop(job);
}

/// Wall-clock milliseconds (0 on the server, which never logs events).
pub fn now_ms() -> u64 {
    #[cfg(feature = "hydrate")]
    {
        crate::client::clock::wall_ms()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

/// A fresh connection id.
pub fn new_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        use crate::client::clock::random_u32;
        format!("c{:08x}{:08x}", random_u32(), random_u32())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::from("c0")
    }
}

/// A random number for client ids.
pub fn random() -> u32 {
    #[cfg(feature = "hydrate")]
    {
        crate::client::clock::random_u32()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}
