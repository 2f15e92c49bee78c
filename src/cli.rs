//! The command line: subcommands and their options, as clap derive types.
//!
//! Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::profile::Profile;

/// kaiho (会報): typesets Japanese newsletters from YAML into print-ready PDFs.
///
/// Exit codes: 0 success, 1 a problem in the data, the layout, the output or the cache
/// folder, 2 a usage error on the command line.
#[derive(Debug, Parser)]
#[command(name = "kaiho", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// kaiho's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Typeset a volume into a PDF, or PNG proofs with --format png.
    Build(BuildArgs),
    /// Write one contact sheet (PNG) of all pages of a volume, for a quick review.
    Proof(ProofArgs),
    /// Rebuild a volume on every save and show it in the browser, with its problems.
    Watch(WatchArgs),
    /// Check volumes: validate and typeset them without writing anything.
    Check(CheckArgs),
    /// Check a PDF the way a print shop does: fonts, colours, text sizes, strokes, safe
    /// area, images, ink, page boxes, PDF/X.
    Preflight(PreflightArgs),
    /// Build every volume of a folder into an archive: PDF/A and print PDFs, a catalogue
    /// (index.pdf) and manifest.json; or verify an archive against its manifest.
    Archive(ArchiveArgs),
    /// Scaffold the next volume from a previous one: number + 1, the next issue and date,
    /// the same blocks with their texts emptied.
    New(NewArgs),
    /// Find a term across all volumes of a folder, oldest first: in the texts of typeset
    /// volumes, and in the pages of past issues (their text as the archive keeps it).
    Search(SearchArgs),
    /// Write a volume as a standalone Typst project (main.typ, the data, the layout) that
    /// `typst compile DIR/main.typ` turns into the same leaflet.
    Eject(EjectArgs),
    /// Show where kaiho's cache folder is (KAIHO_CACHE_DIR, else $XDG_CACHE_HOME/kaiho, else
    /// ~/.cache/kaiho), what it holds and how big it is; or empty it with --clear. The
    /// cache only makes builds faster: clearing it changes no output.
    Cache(CacheArgs),
    /// Print the JSON Schema of the series or volume format, for editors.
    Schema {
        /// Which format.
        #[arg(value_enum)]
        kind: crate::schema::SchemaKind,
    },
}

/// Options of `kaiho cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// Remove everything kaiho's builds keep in the cache folder.
    #[arg(long)]
    pub clear: bool,
}

/// Options of `kaiho archive`.
#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// The folder of volumes, with its series.yaml, e.g. data/.
    pub data: PathBuf,
    /// The archive folder.
    #[arg(short, long, value_name = "DIR", default_value = "archive")]
    pub output: PathBuf,
    /// Rebuild everything in memory and report every file that differs from the manifest,
    /// and why; writes nothing.
    #[arg(long)]
    pub verify: bool,
    /// Rebuild every volume, even unchanged ones.
    #[arg(long)]
    pub force: bool,
    /// Volumes built at once [default: the number of cores].
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// A folder of layouts that take precedence over the built-in ones.
    #[arg(long, value_name = "DIR", env = "KAIHO_LAYOUT_DIR")]
    pub layout_dir: Option<PathBuf>,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Options of `kaiho watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The volume file, e.g. data/vol10.yaml.
    pub volume: PathBuf,
    /// Port of the preview on 127.0.0.1 (0 picks a free one and prints it).
    #[arg(long, default_value_t = 7130)]
    pub port: u16,
    /// Open the preview in the browser.
    #[arg(long)]
    pub open: bool,
    /// Where to keep the PDF of the last good build [default: out/<volume name>.pdf].
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub output_args: OutputArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Options of `kaiho eject`.
#[derive(Debug, Args)]
pub struct EjectArgs {
    /// The volume file, e.g. data/vol10.yaml.
    pub volume: PathBuf,
    /// The folder to write the project to.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    #[command(flatten)]
    pub output_args: OutputArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Options of `kaiho new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new volume file, e.g. data/vol11.yaml.
    pub volume: PathBuf,
    /// The volume to take the structure from, e.g. data/vol10.yaml.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
}

/// Options of `kaiho search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for, e.g. 脱炭素.
    pub term: String,
    /// The folder of volumes.
    #[arg(default_value = "data")]
    pub data: PathBuf,
    /// The archive, where `kaiho archive` keeps the text of past issues (read by OCR where
    /// a PDF has no text layer).
    #[arg(long, value_name = "DIR", default_value = "archive")]
    pub archive: PathBuf,
}

/// Options of `kaiho preflight`.
#[derive(Debug, Args)]
pub struct PreflightArgs {
    /// The PDF to check.
    pub pdf: PathBuf,
    /// The profile the PDF was made for.
    #[arg(long, value_enum, default_value_t = Profile::Print)]
    pub profile: Profile,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// The series turned black overprint (墨ノセ) off (`print: { overprint-black: false }`):
    /// K100 text and thin rules should knock out.
    #[arg(long)]
    pub no_overprint_black: bool,
}

/// Options of `kaiho check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The volume files, e.g. data/*.yaml (series.yaml files are skipped).
    #[arg(required = true)]
    pub volumes: Vec<PathBuf>,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Also print how each page is composed: body size, grid, the tallest empty band and
    /// share of empty rows (on a 50 ppi render inside the trim less 10 mm), and the 95th
    /// percentile of running-text line lengths.
    #[arg(long)]
    pub quality: bool,
    #[command(flatten)]
    pub output_args: OutputArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Options of `kaiho build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The volume file, e.g. data/vol10.yaml.
    pub volume: PathBuf,
    /// Where to write the output [default: out/<volume name>.pdf, or
    /// out/<volume name>-<page>.png]. For PNG, `{p}` in the name is replaced by the page number.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Pdf)]
    pub format: Format,
    /// Resolution of PNG proofs, in pixels per inch.
    #[arg(long, default_value_t = 150.0, value_parser = parse_ppi)]
    pub ppi: f32,
    /// On PNG proofs, show the bleed and draw the trim (magenta), bleed (cyan) and safe
    /// area (green).
    #[arg(long)]
    pub guides: bool,
    #[command(flatten)]
    pub output_args: OutputArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Options of `kaiho proof`.
#[derive(Debug, Args)]
pub struct ProofArgs {
    /// The volume file, e.g. data/vol10.yaml.
    pub volume: PathBuf,
    /// Where to write the contact sheet [default: out/<volume name>-proof.png].
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Resolution, in pixels per inch.
    #[arg(long, default_value_t = 72.0, value_parser = parse_ppi)]
    pub ppi: f32,
    /// Show the bleed and draw the trim, bleed and safe-area guides.
    #[arg(long)]
    pub guides: bool,
    #[command(flatten)]
    pub output_args: OutputArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// What the output is for.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// print: CMYK, bleed, PDF/X-1a for the print shop; screen: sRGB, links, small;
    /// archive: PDF/A-2b.
    #[arg(long, value_enum, default_value_t = Profile::Print)]
    pub profile: Profile,
    /// Draw Japanese crop marks (トンボ) outside the bleed (print profile).
    #[arg(long)]
    pub marks: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A print-ready PDF.
    Pdf,
    /// One PNG proof per page.
    Png,
}

/// Where the series file and the layouts come from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// The series file [default: series.yaml next to the volume].
    #[arg(long, value_name = "FILE")]
    pub series: Option<PathBuf>,
    /// A folder of layouts that take precedence over the built-in ones
    /// (DIR/<layout>/layout.typ).
    #[arg(long, value_name = "DIR", env = "KAIHO_LAYOUT_DIR")]
    pub layout_dir: Option<PathBuf>,
}

/// Where fonts are looked for.
#[derive(Debug, Clone, Args)]
pub struct FontArgs {
    /// Extra font folders or files, searched first (repeatable; in the environment
    /// variable, separate them with `:`).
    #[arg(long = "font-path", value_name = "DIR", env = "KAIHO_FONT_PATH", value_delimiter = ':')]
    pub font_paths: Vec<PathBuf>,
    /// Do not search the system's font folders.
    #[arg(long)]
    pub no_system_fonts: bool,
}

fn parse_ppi(s: &str) -> Result<f32, String> {
    let ppi: f32 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (10.0..=2400.0).contains(&ppi) {
        Ok(ppi)
    } else {
        Err("choose a resolution from 10 to 2400 ppi".into())
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
