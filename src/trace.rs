//! Stage timings for profiling: with `KAIHO_TRACE` set (to anything but empty or `0`), each
//! stage prints when it ends (milliseconds since the process started tracing), on which
//! thread, and the process's resident memory at that moment (on Linux). Costs one load per
//! call otherwise. With `KAIHO_TIMINGS=FILE`, Typst's own timing scopes (evaluation, each
//! layout pass, PDF export, and the layout's functions by line) are written to FILE as a
//! Chrome trace, as `typst compile --timings` writes them.

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

/// Where Typst's timings go (`KAIHO_TIMINGS`), read once; recording starts with the first
/// call.
fn timings_file() -> Option<&'static std::path::Path> {
    static FILE: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();
    FILE.get_or_init(|| {
        let file = std::env::var_os("KAIHO_TIMINGS").filter(|f| !f.is_empty())?;
        typst_timing::enable();
        Some(file.into())
    })
    .as_deref()
}

/// Runs one Typst compile and, with `KAIHO_TIMINGS=FILE`, writes its timing scopes to FILE
/// with the compile's number before the extension (`t.json` → `t-1.json`, `t-2.json`, …:
/// measuring compiles first, the final one last). `line` resolves a span to its file and
/// line while the world that knows them is alive.
pub fn typst_timed<T>(
    compile: impl FnOnce() -> T,
    line: impl FnMut(std::num::NonZeroU64) -> (String, u32),
) -> T {
    let Some(file) = timings_file() else { return compile() };
    let out = compile();
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    let ext = file.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let numbered = file.with_file_name(format!("{stem}-{n}{ext}"));
    let written = std::fs::File::create(&numbered)
        .map_err(|e| e.to_string())
        .and_then(|f| typst_timing::export_json(std::io::BufWriter::new(f), line));
    if let Err(e) = written {
        eprintln!("kaiho: cannot write Typst's timings to {}: {e}", numbered.display());
    }
    out
}

#[cfg(not(target_os = "linux"))]
fn resident_mib() -> Option<u64> {
    None
}
