//! Stage timings for profiling: with `KAIHO_TRACE` set (to anything but empty or `0`), each
//! stage prints
//! when it ends (milliseconds since the process started tracing), on which thread, and the
//! process's resident memory at that moment (on Linux). Costs one load per call otherwise.

use std::sync::OnceLock;
use std::time::Instant;

/// The trace's start, set by the first call; `None` when tracing is off.
fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| {
        let on = std::env::var_os("KAIHO_TRACE").is_some_and(|v| !v.is_empty() && v != "0");
        on.then(Instant::now)
    })
}

/// Prints `what` with the time since tracing started, when tracing is on.
pub fn mark(what: impl FnOnce() -> String) {
    if let Some(start) = start() {
        let thread = std::thread::current();
        eprintln!(
            "{:8.2} ms  {:>6} MiB  {:<12} {}",
            start.elapsed().as_secs_f64() * 1000.0,
            resident_mib().map_or_else(|| "?".to_owned(), |m| m.to_string()),
            thread.name().unwrap_or("(typst)"),
            what()
        );
    }
}

/// The resident set size in MiB, from `/proc/self/statm` (second field, in pages).
#[cfg(target_os = "linux")]
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf only reads a system constant.
    let page_size = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
    Some(pages * page_size / (1024 * 1024))
}

#[cfg(not(target_os = "linux"))]
fn resident_mib() -> Option<u64> {
    None
}
