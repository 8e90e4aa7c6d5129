//! A criterion measurement of the time the benchmark thread spends on a CPU, instead
//! of wall-clock time. The benchmarks run on a small shared machine where other builds
//! take the CPU away at random; wall time then measures the neighbours as much as the
//! codec, while thread CPU time leaves out the time spent waiting to be scheduled.

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Only lends its formatter: both measurements are durations in nanoseconds.
static WALL_TIME: WallTime = WallTime;

/// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), reported in the same
/// units as wall time.
#[derive(Default)]
pub struct ThreadCpuTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_time()
    }

    fn end(&self, start: Duration) -> Duration {
        thread_cpu_time().saturating_sub(start)
    }

    fn add(&self, first: &Duration, second: &Duration) -> Duration {
        *first + *second
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        WALL_TIME.formatter()
    }
}

fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the duration of the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or_default(),
        u32::try_from(now.tv_nsec).unwrap_or_default(),
    )
}
