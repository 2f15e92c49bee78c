//! `kaiho eject`: a volume as a standalone Typst project.

use super::build::write;
use super::{Error, typeset_volume};
use crate::cli::EjectArgs;
use crate::report::Reporter;

/// Runs `kaiho eject`: typesets the volume (to check it and to know any copy-fitting),
/// then writes the exact files kaiho's own Typst world holds.
pub fn run(args: &EjectArgs, reporter: &mut Reporter) -> Result<(), Error> {
    let (loaded, engine, typeset) =
        typeset_volume(&args.volume, &args.input, &args.fonts, &args.output_args, reporter)?;
    let profile = args.output_args.profile.for_layout(args.output_args.marks);
    let files = crate::typeset::project_files(&engine, &loaded, &profile, &typeset.composition)
        .map_err(|d| Error::Diagnostics(vec![d]))?;
    for (path, bytes) in &files {
        write(&args.output.join(path), bytes)?;
    }
    let fonts: std::collections::BTreeSet<String> = engine
        .fonts()
        .faces()
        .iter()
        .filter_map(|f| f.path.parent().map(|p| p.display().to_string()))
        .collect();
    let font_paths: String = fonts.iter().map(|f| format!(" --font-path {f}")).collect();
    println!("{}  {} files", args.output.display(), files.len());
    println!(
        "typst compile --ignore-system-fonts{font_paths} {}",
        args.output.join("main.typ").display()
    );
    Ok(())
}
