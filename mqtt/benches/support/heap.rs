//! Keeps freed memory in the benchmark process. Each decode iteration drops a
//! buffer of about 1 MiB inside the timed part (both decoders consume theirs), and
//! criterion allocates a whole batch of them before timing it. With glibc's default
//! settings, freeing the last buffer of a batch returned the whole batch to the
//! kernel (`brk`) in the timed part, which cost more than decoding the 16 packets
//! of a 64 KiB case. Both codecs paid it; it measured the allocator, not them.

/// Serves large allocations from the heap and never trims it. Call before any
/// benchmark runs; the same for both codecs.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // 16 MiB: well above the buffers, below glibc's 32 MiB ceiling for the setting.
        const LARGER_THAN_ANY_BUFFER: libc::c_int = 16 << 20;
        // SAFETY: `mallopt` only changes allocator settings; it is called before the
        // benchmarks start other threads and allocate their buffers.
        let set = unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, LARGER_THAN_ANY_BUFFER) == 1
                && libc::mallopt(libc::M_TRIM_THRESHOLD, libc::c_int::MAX) == 1
        };
        assert!(set, "mallopt refused the benchmark's heap settings");
    }
}
