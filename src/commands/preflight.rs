//! `kaiho preflight`: check a PDF before it goes to the print shop.

use super::Error;
use crate::cli::PreflightArgs;
use crate::preflight;

/// Runs `kaiho preflight`: the report on standard output, exit 1 when it has errors.
pub fn run(args: &PreflightArgs) -> Result<(), Error> {
    let bytes = std::fs::read(&args.pdf)
        .map_err(|source| Error::Read { path: args.pdf.clone(), source })?;
    let expect = preflight::Expect { overprint_black: !args.no_overprint_black };
    let report = preflight::check_with(&bytes, args.profile, &expect)
        .map_err(|source| Error::Preflight { path: args.pdf.clone(), source })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).expect("a report is valid JSON"));
    } else {
        print!("{}", report.human(&args.pdf.display().to_string()));
    }
    if report.errors() > 0 { Err(Error::Failed) } else { Ok(()) }
}
