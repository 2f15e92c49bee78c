//! End-to-end tests: the real `kaiho` binary on real data with the real Noto CJK fonts,
//! its output checked with independent tools (poppler's pdfinfo/pdftotext/pdffonts, qpdf,
//! Ghostscript, mutool), and PDFs made by others (Chromium, Ghostscript) read by it.
//!
//! One test binary (as in mdBook and ripgrep); the modules group the tests by subject.

mod archive;
mod authoring;
mod build;
mod cache;
mod composition;
mod display;
mod errors;
mod foreign;
mod kinds;
mod overprint;
mod past;
mod phrases;
mod print;
mod reference;
mod support;
mod typography;
mod watch;
