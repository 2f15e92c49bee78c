//! kaiho (会報): typesets Japanese newsletters from YAML into print-ready PDFs.
//!
//! The pipeline, one module per stage:
//! YAML bytes ([`source`]) → raw serde types ([`raw`]) → validated domain ([`validate`],
//! [`model`]) → layout data in a Typst world ([`world`], [`layout`], [`fonts`]) → paged
//! document ([`typeset`]) → PDF or PNG ([`export`]) → files written atomically ([`output`]).
//! Around it: print finishing ([`pdfx`], [`preflight`]), proofs ([`proof`]), the archive
//! ([`archive`]) with the past issues kept as PDFs ([`past`]), and the reader of PDFs kaiho
//! did not make ([`pdf`]).

pub mod archive;
pub mod cli;
pub mod commands;
pub mod composition;
pub mod coverage;
pub mod diag;
pub mod export;
pub mod fonts;
pub mod images;
pub mod inspect;
pub mod jlreq;
pub mod layout;
pub mod model;
pub mod output;
pub mod past;
pub mod pdf;
pub mod pdfx;
pub mod phrase;
pub mod placement;
pub mod preflight;
pub mod profile;
pub mod project;
pub mod proof;
pub mod qr;
pub use kaiho_raw as raw;
pub mod report;
pub mod rich;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod source;
pub mod suggest;
pub mod trace;
pub mod typeset;
pub mod validate;
pub mod watch;
pub mod world;
