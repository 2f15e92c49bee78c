//! The preflight's report: per page what was found, every finding with its level, and the
//! report rendered for people (`kaiho preflight`) and as diagnostics (after a build).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::profile::Profile;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The shop would reject the file, or it would print wrongly.
    Error,
    /// Worth a look.
    Warning,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub level: Level,
    /// The page, if the finding is about one.
    pub page: Option<usize>,
    /// Which check: `fonts`, `colour`, `black`, `text-size`, `stroke`, `safe-area`,
    /// `image`, `ink`, `overprint`, `boxes`, `pdfx`, `transparency`, `content`, `pages`.
    pub check: &'static str,
    /// What is wrong.
    pub message: String,
}

/// What one page contains.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageReport {
    /// 1-based page number.
    pub page: usize,
    /// Font resources used.
    pub fonts: usize,
    /// Colour spaces used: `DeviceCMYK`, `DeviceGray`, `Separation/<name>`, `DeviceRGB`, …
    pub colour_spaces: BTreeSet<String>,
    /// Smallest text, in points.
    pub min_text_pt: Option<f64>,
    /// Thinnest stroke, in points.
    pub min_stroke_pt: Option<f64>,
    /// Images placed.
    pub images: usize,
    /// Lowest image resolution, in ppi.
    pub min_image_ppi: Option<f64>,
    /// Highest total ink of any colour painted inside the bleed, in percent.
    pub max_ink_percent: f64,
    /// K100 text and thin K100 rules, and how many of them overprint (print only).
    pub black: BlackMarks,
}

/// K100 text runs and K100 rules up to 1 pt, and how many of them overprint (墨ノセ).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BlackMarks {
    /// Runs of text filled in K100.
    pub text: usize,
    /// Of those, the ones that overprint.
    pub text_overprinting: usize,
    /// Strokes in K100 up to 1 pt wide.
    pub rules: usize,
    /// Of those, the ones that overprint.
    pub rules_overprinting: usize,
}

impl BlackMarks {
    fn add(self, other: BlackMarks) -> BlackMarks {
        BlackMarks {
            text: self.text + other.text,
            text_overprinting: self.text_overprinting + other.text_overprinting,
            rules: self.rules + other.rules,
            rules_overprinting: self.rules_overprinting + other.rules_overprinting,
        }
    }
}

/// Black overprint in the whole file, and whether it was expected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BlackOverprint {
    /// The series asks for it (the default); `false` when it turned it off.
    pub expected: bool,
    /// What the pages hold.
    #[serde(flatten)]
    pub marks: BlackMarks,
}

impl BlackOverprint {
    /// Sums the pages.
    pub fn of(expected: bool, pages: &[PageReport]) -> Self {
        let marks = pages.iter().fold(BlackMarks::default(), |sum, p| sum.add(p.black));
        Self { expected, marks }
    }

    /// `yes, 212 text run(s) and 3 thin rule(s)`, `no (turned off by the series), …`, …
    pub fn line(&self) -> String {
        let m = self.marks;
        let marks = |text: usize, rules: usize| {
            let rules =
                if m.rules > 0 { format!(" and {rules} thin rule(s)") } else { String::new() };
            format!("{text} text run(s){rules}")
        };
        let (all, over) = (m.text + m.rules, m.text_overprinting + m.rules_overprinting);
        let off = if self.expected { "" } else { " (turned off by the series)" };
        if all == 0 {
            "no K100 text or thin rules".into()
        } else if over == all {
            format!("yes{off}, {}", marks(m.text, m.rules))
        } else if over == 0 {
            format!("no{off}, {} knock out", marks(m.text, m.rules))
        } else {
            format!(
                "partly{off}: {} of {} text run(s), {} of {} thin rule(s)",
                m.text_overprinting, m.text, m.rules_overprinting, m.rules
            )
        }
    }
}

/// The result of a preflight.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The profile checked against.
    pub profile: Profile,
    /// Per page.
    pub pages: Vec<PageReport>,
    /// The printing plates the job needs: process inks used and spot inks.
    pub plates: Vec<String>,
    /// Black overprint (墨ノセ) in the file; for print only.
    pub overprint: Option<BlackOverprint>,
    /// Every problem, errors first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.level == Level::Error).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.findings.iter().filter(|f| f.level == Level::Warning).count()
    }

    /// The report for people.
    pub fn human(&self, file: &str) -> String {
        let mut out = format!("preflight {file} ({})\n", self.profile.name());
        for p in &self.pages {
            let spaces: Vec<&str> = p.colour_spaces.iter().map(String::as_str).collect();
            out.push_str(&format!(
                "  page {}: {} font(s), colours {}, text ≥ {}, strokes ≥ {}, {} image(s){}, ink ≤ {:.0}%\n",
                p.page,
                p.fonts,
                if spaces.is_empty() { "none".into() } else { spaces.join(" ") },
                p.min_text_pt.map_or("–".into(), |v| format!("{v:.1} pt")),
                p.min_stroke_pt.map_or("–".into(), |v| format!("{v:.2} pt")),
                p.images,
                p.min_image_ppi.map_or(String::new(), |v| format!(" ≥ {v:.0} ppi")),
                p.max_ink_percent,
            ));
        }
        let plates = if self.plates.is_empty() { "none".into() } else { self.plates.join(", ") };
        out.push_str(&format!("  plates: {plates}\n"));
        if let Some(overprint) = &self.overprint {
            out.push_str(&format!("  black overprint (墨ノセ): {}\n", overprint.line()));
        }
        for f in &self.findings {
            let level = match f.level {
                Level::Error => "error",
                Level::Warning => "warning",
            };
            let page = f.page.map_or(String::new(), |p| format!("page {p}: "));
            out.push_str(&format!("  {level}: {page}{} [{}]\n", f.message, f.check));
        }
        let verdict = match (self.errors(), self.profile) {
            (0, Profile::Print) => "ready for the print shop",
            (0, _) => "ok",
            (_, Profile::Print) => "NOT ready for the print shop",
            _ => "problems found",
        };
        out.push_str(&format!(
            "  result: {verdict} ({} error(s), {} warning(s))\n",
            self.errors(),
            self.warnings()
        ));
        out
    }
}

impl Finding {
    /// The finding as a diagnostic about `file`, with a hint on how to fix it.
    pub fn diagnostic(&self, file: &std::path::Path) -> crate::diag::Diagnostic {
        let page = self.page.map_or(String::new(), |p| format!("page {p}: "));
        let message = format!("preflight: {page}{}", self.message);
        let d = match self.level {
            Level::Error => crate::diag::Diagnostic::error(file, message),
            Level::Warning => crate::diag::Diagnostic::warning(file, message),
        };
        d.hint(match self.check {
            "fonts" => "every font must be embedded and none may be Type 3; use the Noto CJK fonts",
            "colour" => "print uses CMYK, grey or spot colours only: define colours with cmyk: in series.yaml, or build with --profile screen for the web",
            "black" => "set small black text in K100 (cmyk 0, 0, 0, 100), not rich black",
            "text-size" => "text under 6 pt may not print legibly: enlarge it in the layout's theme",
            "stroke" => "lines under 0.25 pt may vanish in print: thicken them in the layout",
            "safe-area" => "keep text at least 3 mm inside the trim: widen the layout's margins",
            "image" => "use an image with more pixels (300 ppi at the printed size), or print it smaller",
            "ink" => "reduce the colour to 320% total ink or less",
            "overprint" => "kaiho's print profile sets black overprint (墨ノセ) itself, unless series.yaml says `print: { overprint-black: false }`; for a PDF made elsewhere, set overprint for K100 text and thin rules in the design software, never for white",
            "transparency" => "PDF/X-1a forbids transparency: remove opacity from the layout",
            "boxes" | "pdfx" => "build the PDF with kaiho's print profile, which writes these",
            "pages" => "a PDF without pages cannot be printed: export it again",
            "content" => "the page's drawing instructions are damaged past this point, so they were not all checked: export the PDF again",
            _ => "see kaiho preflight --help",
        })
    }
}
