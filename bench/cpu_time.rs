//! A criterion measurement that reads the calling thread's CPU clock
//! (`CLOCK_THREAD_CPUTIME_ID`) instead of the wall clock.
//!
//! The in-process benches that `bench/regress.sh` guards use it: on a shared
//! 2-core machine the wall time of a parse or of a client round trip moves by
//! far more than the guard's 20% whenever another build runs (the thread is
//! descheduled, the in-process server waits for a core), while the thread's
//! CPU time does not. For a client call on a current-thread runtime it is
//! also the figure issue 14 asks for: client CPU per call (serialization,
//! signing, hyper, the socket syscalls, parsing; the server thread's work is
//! not counted). Values are nanoseconds, printed as criterion prints times.
//!
//! Included with `#[path]` by the benches of boto, boto-model and
//! boto-protocols; no dependency beyond criterion (the libc call is declared
//! here).

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Thread CPU time, in nanoseconds.
pub struct ThreadCpu;

#[cfg(unix)]
fn thread_cpu_ns() -> u64 {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    #[cfg(target_os = "macos")]
    const CLOCK_THREAD_CPUTIME_ID: i32 = 16;
    #[cfg(not(target_os = "macos"))]
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the struct we pass, which has the
    // layout of `struct timespec` on 64-bit Linux and macOS.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

#[cfg(not(unix))]
fn thread_cpu_ns() -> u64 {
    // No thread clock here: fall back to the wall clock.
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_nanos() as u64
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Nanoseconds, like the wall clock's: reuse its formatter.
        static WALL: WallTime = WallTime;
        WALL.formatter()
    }
}
