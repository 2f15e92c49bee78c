//! Subcommands: each one turns parsed arguments into work and an exit code.

mod archive;
mod build;
mod cache;
mod check;
mod eject;
mod new;
mod preflight;
mod proof;
mod search;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{Cli, Command, FontArgs, InputArgs};
use crate::diag::Diagnostic;
use crate::fonts::FontSearch;
use crate::project::{self, Loaded, LoadedIssue, LoadedPast};
use crate::report::Reporter;
use crate::typeset::{Engine, EngineError};

/// Exit status: the data, layout or output had a problem.
pub const EXIT_FAILURE: u8 = 1;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems located in YAML or layout files (already collected, printed by the caller).
    #[error("{} problem(s) found", .0.len())]
    Diagnostics(Vec<Diagnostic>),
    /// The fonts or the layout could not be set up.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The problems were already reported; only the exit code is left to set.
    #[error("problems were found")]
    Failed,
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The archive could not be made.
    #[error(transparent)]
    Archive(crate::archive::ArchiveError),
    /// The preview server could not start.
    #[error("cannot serve the preview on 127.0.0.1:{port}: {message}")]
    Serve {
        /// The port asked for.
        port: u16,
        /// Why.
        message: String,
    },
    /// A PDF could not be checked at all.
    #[error("cannot check {}: {source}", path.display())]
    Preflight {
        /// The file.
        path: PathBuf,
        /// Why.
        source: crate::preflight::PreflightError,
    },
    /// A file in the cache folder could not be removed.
    #[error(
        "cannot remove {path}: {source}\n  hint: remove it by hand; kaiho only reads what it finds whole"
    )]
    Remove {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An output file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let mut reporter = Reporter::stderr();
    let result = match cli.command {
        Command::Build(args) => build::run(&args, &mut reporter),
        Command::Check(args) => check::run(&args, &mut reporter),
        Command::Preflight(args) => preflight::run(&args),
        Command::Archive(args) => archive::run(&args, &mut reporter),
        Command::New(args) => new::run(&args, &mut reporter),
        Command::Eject(args) => eject::run(&args, &mut reporter),
        Command::Watch(args) => watch::run(&args),
        Command::Search(args) => search::run(&args, &mut reporter),
        Command::Proof(args) => proof::run(&args, &mut reporter),
        Command::Cache(args) => cache::run(&args),
        Command::Schema { kind } => {
            print!("{}", crate::schema::json(kind));
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Diagnostics(diagnostics)) => {
            reporter.print(&diagnostics);
            ExitCode::from(EXIT_FAILURE)
        }
        Err(Error::Failed) => ExitCode::from(EXIT_FAILURE),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// Loads, checks and typesets a volume for an output, printing the warnings on the way.
fn typeset_volume(
    volume: &std::path::Path,
    input: &InputArgs,
    font_args: &FontArgs,
    output: &crate::cli::OutputArgs,
    reporter: &mut Reporter,
) -> Result<(Loaded, Engine, crate::typeset::Typeset), Error> {
    let (loaded, engine) = prepare(volume, input, font_args, reporter)?;
    let typeset = typeset_loaded(&loaded, &engine, output, reporter)?;
    Ok((loaded, engine, typeset))
}

/// Typesets a loaded volume for an output, printing its warnings and the typesetting's.
fn typeset_loaded(
    loaded: &Loaded,
    engine: &Engine,
    output: &crate::cli::OutputArgs,
    reporter: &mut Reporter,
) -> Result<crate::typeset::Typeset, Error> {
    reporter.print(&loaded.warnings);
    let profile = output.profile.for_layout(output.marks);
    let typeset = engine.typeset(loaded, &profile).map_err(Error::Diagnostics)?;
    reporter.print(&typeset.warnings);
    Ok(typeset)
}

/// A volume file loaded for a command, with what comes next for its kind.
enum Prepared {
    /// A volume to typeset, and an engine ready for it.
    Typeset(Box<(Loaded, Engine)>),
    /// A past issue (no engine: nothing to typeset).
    Past(Box<LoadedPast>),
}

/// Loads and validates a volume to typeset, finds its fonts and layout, and returns a
/// ready engine; a past issue is an error. The sources are registered with the reporter
/// for quoting; warnings are left in `Loaded::warnings` for the caller.
fn prepare(
    volume: &std::path::Path,
    input: &InputArgs,
    font_args: &FontArgs,
    reporter: &mut Reporter,
) -> Result<(Loaded, Engine), Error> {
    match prepare_issue(volume, input, font_args, reporter)? {
        Prepared::Typeset(prepared) => Ok(*prepared),
        Prepared::Past(past) => Err(Error::Diagnostics(vec![project::not_typeset(&past)])),
    }
}

/// Loads and validates a volume file of either kind; for a volume to typeset, also finds
/// its fonts and layout.
fn prepare_issue(
    volume: &std::path::Path,
    input: &InputArgs,
    font_args: &FontArgs,
    reporter: &mut Reporter,
) -> Result<Prepared, Error> {
    let loaded = match project::load_issue(volume, input.series.as_deref()) {
        Ok(LoadedIssue::Typeset(loaded)) => loaded,
        Ok(LoadedIssue::Past(past)) => {
            reporter.add_source(&past.volume_file.path, &past.volume_file.text);
            return Ok(Prepared::Past(Box::new(past)));
        }
        Err(failure) => {
            for file in &failure.sources {
                reporter.add_source(&file.path, &file.text);
            }
            return Err(Error::Diagnostics(failure.diagnostics));
        }
    };
    reporter.add_source(&loaded.series_file.path, &loaded.series_file.text);
    reporter.add_source(&loaded.volume_file.path, &loaded.volume_file.text);
    crate::trace::mark(|| "volume loaded".into());

    let search = FontSearch {
        extra: font_args.font_paths.clone(),
        project: project::project_fonts(volume),
        system: !font_args.no_system_fonts,
    };
    let engine = Engine::for_series(&loaded.series, &search, input.layout_dir.as_deref())?;
    let layout = engine.layout();
    if layout.folder.is_none() {
        for (relative, bytes) in &layout.files {
            reporter.add_source(&layout.display_path(relative), &String::from_utf8_lossy(bytes));
        }
    }
    Ok(Prepared::Typeset(Box::new((loaded, engine))))
}
