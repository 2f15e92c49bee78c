//! The `kaiho` binary: parses the command line and hands over to `kaiho::commands`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    kaiho::trace::mark(|| "start".into());
    grow_heaps_in_large_steps();
    // clap exits with status 2 on usage errors, as documented.
    let cli = kaiho::cli::Cli::parse();
    kaiho::commands::run(cli)
}

/// glibc grows each thread's heap one `mprotect` at a time, taking the address-space lock
/// that the font-hashing thread's page faults also need: a VOL.10 build made ~2 000 such
/// calls. Padding every growth by 16 MiB (address space only; pages are still touched on
/// use, so resident memory does not change) cuts that to ~20 and the build by ~1.5 ms.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn grow_heaps_in_large_steps() {
    // SAFETY: mallopt only sets an allocator parameter; called before any other thread.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn grow_heaps_in_large_steps() {}
