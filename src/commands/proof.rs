//! `kaiho proof`: one contact sheet of all pages of a volume.

use std::time::Instant;

use super::build::{default_output, guides, human_size, write};
use super::{Error, typeset_volume};
use crate::cli::ProofArgs;
use crate::report::Reporter;

/// Runs `kaiho proof`.
pub fn run(args: &ProofArgs, reporter: &mut Reporter) -> Result<(), Error> {
    let start = Instant::now();
    let (_, _, typeset) =
        typeset_volume(&args.volume, &args.input, &args.fonts, &args.output_args, reporter)?;
    let profile = args.output_args.profile;
    let sheet = crate::proof::contact_sheet(
        &typeset.document,
        args.ppi,
        args.guides.then(|| guides(profile)),
    )
    .map_err(|d| Error::Diagnostics(vec![d]))?;
    let path = args.output.clone().unwrap_or_else(|| {
        let pdf = default_output(&args.volume, profile, "png");
        let stem = pdf.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        pdf.with_file_name(format!("{stem}-proof.png"))
    });
    write(&path, &sheet)?;
    println!(
        "{}  {} pages  {}  {:.2} s",
        path.display(),
        typeset.document.pages().len(),
        human_size(sheet.len()),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
