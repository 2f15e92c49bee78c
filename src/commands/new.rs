//! `kaiho new`: scaffold the next volume.

use super::Error;
use crate::cli::NewArgs;
use crate::diag::Diagnostic;
use crate::project;
use crate::report::Reporter;

/// Runs `kaiho new`; never overwrites an existing file.
pub fn run(args: &NewArgs, reporter: &mut Reporter) -> Result<(), Error> {
    if args.volume.exists() {
        return Err(Error::Diagnostics(vec![
            Diagnostic::error(&args.volume, "the file already exists")
                .hint("choose a new file name, e.g. the next volN.yaml"),
        ]));
    }
    let previous = project::load(&args.from, None).map_err(|f| {
        for file in &f.sources {
            reporter.add_source(&file.path, &file.text);
        }
        Error::Diagnostics(f.diagnostics)
    })?;
    let schema = previous
        .volume_file
        .text
        .lines()
        .next()
        .filter(|l| l.starts_with("# yaml-language-server:"));
    let from = args.from.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let yaml = crate::scaffold::next_volume(&previous.volume, &from, schema);
    crate::output::write_atomic(&args.volume, yaml.as_bytes())
        .map_err(|source| Error::Write { path: args.volume.clone(), source })?;
    println!(
        "{}  VOL.{}  from {}",
        args.volume.display(),
        previous.volume.number + 1,
        args.from.display()
    );
    Ok(())
}
