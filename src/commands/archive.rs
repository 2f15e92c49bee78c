//! `kaiho archive`: build or verify the archive of a series.

use std::io::IsTerminal;
use std::time::Instant;

use super::Error;
use crate::archive::{self, ArchiveError, Options, Outcome};
use crate::cli::ArchiveArgs;
use crate::fonts::FontSearch;
use crate::project;
use crate::report::Reporter;

/// Runs `kaiho archive`.
pub fn run(args: &ArchiveArgs, reporter: &mut Reporter) -> Result<(), Error> {
    let start = Instant::now();
    let jobs =
        args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let options = Options {
        data: &args.data,
        out: &args.output,
        force: args.force,
        jobs,
        fonts: FontSearch {
            extra: args.fonts.font_paths.clone(),
            project: project::project_fonts(&args.data.join(project::SERIES_FILE)),
            system: !args.fonts.no_system_fonts,
        },
        layout_dir: args.layout_dir.as_deref(),
    };
    if args.verify {
        let (checked, differences) = archive::verify(&options).map_err(map)?;
        for d in &differences {
            println!("DIFFERS {}: {}", d.file, d.reasons.join("; "));
        }
        println!(
            "{}: {checked} file(s) checked, {} differ  {:.2} s",
            args.output.display(),
            differences.len(),
            start.elapsed().as_secs_f64()
        );
        return if differences.is_empty() { Ok(()) } else { Err(Error::Failed) };
    }

    let total = archive::volume_files(&args.data).map_err(map)?.len() as u64;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |file: &str| match &bar {
        Some(bar) => {
            bar.set_message(file.to_owned());
            bar.inc(1);
        }
        None => eprintln!("archived {file}"),
    };
    let result = archive::build(&options, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let (manifest, outcomes, warnings) = result.map_err(map)?;
    reporter.print(&warnings);
    let built = outcomes.iter().filter(|o| matches!(o, Outcome::Built(_))).count();
    println!(
        "{}: {} volume(s) ({built} built, {} unchanged), {}, {}  {:.2} s",
        args.output.display(),
        manifest.volumes.len(),
        manifest.volumes.len() - built,
        archive::INDEX,
        archive::MANIFEST,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn map(error: ArchiveError) -> Error {
    match error {
        ArchiveError::Diagnostics(d) => Error::Diagnostics(d),
        other => Error::Archive(other),
    }
}
