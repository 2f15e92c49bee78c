//! Output profiles: what a PDF is for (the print shop, screens, the archive) and what that
//! means for colour, bleed, links and PDF standards.

use serde::Serialize;

/// Bleed of the print profile, on every side of the trim, in millimetres.
pub const BLEED_MM: f64 = 3.0;

/// What a PDF is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// For the print shop: CMYK (and spot) colours only, text in K100, 3 mm bleed, TrimBox
    /// and BleedBox, PDF/X-1a:2003 for Japan Color 2001 Coated.
    #[default]
    Print,
    /// For the web and LINE: sRGB, no bleed, clickable links, smallest file.
    Screen,
    /// For keeping: PDF/A-2b in sRGB, with XMP metadata.
    Archive,
}

/// What the layout needs to know about the profile (it reads this as `data.profile`).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LayoutProfile {
    /// `print`, `screen` or `archive`.
    pub name: Profile,
    /// `cmyk` or `rgb`: which value of each theme colour to use.
    pub color: &'static str,
    /// Bleed around the trim, in millimetres (0 when the output is not for print).
    pub bleed: f64,
    /// Whether to make URLs, e-mail addresses and telephone numbers clickable.
    pub links: bool,
    /// Whether to draw Japanese crop marks (トンボ) outside the bleed.
    pub marks: bool,
}

impl Profile {
    /// The profile as the layout sees it.
    pub fn for_layout(self, marks: bool) -> LayoutProfile {
        let print = self == Profile::Print;
        LayoutProfile {
            name: self,
            color: if print { "cmyk" } else { "rgb" },
            bleed: if print { BLEED_MM } else { 0.0 },
            links: self == Profile::Screen,
            marks: print && marks,
        }
    }

    /// The profile's name as used in file names and messages.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Print => "print",
            Profile::Screen => "screen",
            Profile::Archive => "archive",
        }
    }
}
