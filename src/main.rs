//! The `kaiho` binary: parses the command line and hands over to `kaiho::commands`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    kaiho::trace::mark(|| "start".into());
    // clap exits with status 2 on usage errors, as documented.
    let cli = kaiho::cli::Cli::parse();
    kaiho::commands::run(cli)
}
