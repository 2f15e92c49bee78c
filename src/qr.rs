//! QR codes: the module matrix of a text, computed with the `qrcode` crate and handed to
//! the layout as data (runs of dark modules), so that the layout draws the code as vector
//! shapes in one colour rather than placing an image.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of quiet zone on every side: ISO/IEC 18004 asks for four.
pub const QUIET: u32 = 4;

/// A code's modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Modules across, without the quiet zone.
    pub width: u32,
    /// Dark modules as runs along a row: `[row, column, length]`.
    pub runs: Vec<[u32; 3]>,
}

/// Error-correction levels offered (M or higher).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// 15 %.
    M,
    /// 25 %.
    Q,
    /// 30 %.
    H,
}

impl Level {
    /// The level's letter.
    pub fn name(self) -> &'static str {
        match self {
            Level::M => "M",
            Level::Q => "Q",
            Level::H => "H",
        }
    }
}

/// Encodes `text`; `None` when it is too long for any QR code at this level.
pub fn encode(text: &str, level: Level) -> Option<Matrix> {
    let ec = match level {
        Level::M => EcLevel::M,
        Level::Q => EcLevel::Q,
        Level::H => EcLevel::H,
    };
    let code = QrCode::with_error_correction_level(text.as_bytes(), ec).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut runs = Vec::new();
    for (row, line) in colors.chunks(width).enumerate() {
        let mut column = 0;
        while column < width {
            if line[column] == Color::Dark {
                let start = column;
                while column < width && line[column] == Color::Dark {
                    column += 1;
                }
                runs.push([row as u32, start as u32, (column - start) as u32]);
            } else {
                column += 1;
            }
        }
    }
    Some(Matrix { width: width as u32, runs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_becomes_runs_of_dark_modules_with_finder_patterns() {
        let m = encode("https://example.jp/join", Level::M).unwrap();
        // Version 2 (25 modules) holds 26 bytes at level M.
        assert_eq!(m.width, 25);
        // The finder pattern's top row: seven dark modules at each top corner.
        assert!(m.runs.contains(&[0, 0, 7]) && m.runs.contains(&[0, 18, 7]), "{:?}", &m.runs[..4]);
        // Runs stay inside the matrix and never touch one another along a row.
        for w in m.runs.windows(2) {
            let ([r0, c0, l0], [r1, c1, _]) = (w[0], w[1]);
            assert!(r0 < r1 || c0 + l0 < c1, "{w:?}");
        }
        assert!(m.runs.iter().all(|[r, c, l]| *r < 25 && c + l <= 25));
        // Higher levels need more modules for the same text.
        assert!(encode("https://example.jp/join", Level::H).unwrap().width > m.width);
    }

    #[test]
    fn text_too_long_for_any_code_is_refused() {
        assert!(encode(&"あ".repeat(2000), Level::M).is_none());
    }
}
