//! Black overprint (墨ノセ) in one content stream: the stream is read one operation at a time
//! while its graphics state is followed (`q`/`Q`, `cm`, `w`, colours and their spaces, text
//! render mode, ExtGStates), and an ExtGState that overprints is selected just before each
//! K100 text run and each K100 stroke no wider than [`BLACK_RULE_PT`]; before any other
//! paint the state the stream itself set is selected again. Everything else stays byte for
//! byte as it was.
//!
//! The switch is lazy: a `gs` is written only where the state in force differs from the one
//! the next paint needs, so Typst's `q … BT … TJ ET Q` runs get exactly one each (its `Q`
//! restores the state). `gs` is allowed inside text objects, where `q` is not.

use crate::pdf::content::Operations;
use crate::pdf::overprint::{BLACK_RULE_PT, Overprint, is_k100};
use crate::pdf::{Object, number};

/// A colour, as far as black overprint cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ink {
    /// DeviceCMYK 0 0 0 1.
    Black,
    /// Any other DeviceCMYK colour.
    Cmyk,
    /// A colour in any other space.
    Other,
}

/// The part of the graphics state that decides what overprints.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The fill colour.
    pub fill: Ink,
    /// The stroke colour.
    pub stroke: Ink,
    /// The line width, in user space.
    pub line_width: f64,
    /// How much the CTM scales lengths (the geometric mean of its axes).
    pub scale: f64,
    /// `Tr`.
    pub render_mode: i64,
    /// The overprint the content itself has set (what every other paint must keep).
    pub natural: Overprint,
}

impl Default for State {
    /// The state a page starts in (ISO 32000-1, 8.4.1): DeviceGray black, 1 unit lines.
    fn default() -> Self {
        let natural = Overprint::default();
        Self {
            fill: Ink::Other,
            stroke: Ink::Other,
            line_width: 1.0,
            scale: 1.0,
            render_mode: 0,
            natural,
        }
    }
}

/// What an ExtGState sets that matters here.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ExtGState {
    /// `/OP`.
    pub stroke: Option<bool>,
    /// `/op`.
    pub fill: Option<bool>,
    /// `/OPM`.
    pub mode: Option<i64>,
    /// `/LW`.
    pub line_width: Option<f64>,
}

/// The resources a stream is drawn with, and what the rewrite adds to them.
pub trait Context {
    /// The colour a `cs`/`CS` of the named colour-space resource starts with.
    fn colour_space(&self, name: &[u8]) -> Ink;
    /// The ExtGState resource `name`.
    fn ext_g_state(&self, name: &[u8]) -> Option<ExtGState>;
    /// The name of an ExtGState resource that sets exactly `overprint` (added if needed).
    fn state_name(&mut self, overprint: Overprint) -> Vec<u8>;
    /// The XObject `name` is drawn in `state`: a form is rewritten for that state. Returns
    /// the name to draw instead when the form had to be copied for it.
    fn draw(&mut self, name: &[u8], state: &State) -> Option<Vec<u8>>;
}

/// A rewritten stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Rewritten {
    /// The new content (the same bytes when nothing overprints).
    pub content: Vec<u8>,
    /// K100 text runs now overprinting.
    pub text_runs: usize,
    /// Thin K100 strokes now overprinting.
    pub rules: usize,
}

/// Rewrites `content`, drawn from `entry`; `None` when the stream cannot be read to its end
/// (it is then left as it is).
pub fn rewrite(content: &[u8], entry: &State, cx: &mut impl Context) -> Option<Rewritten> {
    let mut w = Writer { data: content, out: Vec::with_capacity(content.len() + 256), copied: 0 };
    let mut result = Rewritten { content: Vec::new(), text_runs: 0, rules: 0 };
    let (mut gs, mut actual) = (entry.clone(), entry.natural);
    let mut saved: Vec<(State, Overprint)> = Vec::new();
    // The current path: where its construction began, and whether it is to clip.
    let (mut path, mut clip): (Option<usize>, bool) = (None, false);
    let mut ops = Operations::new(content);
    let mut start = 0;
    let mut n: Vec<f64> = Vec::with_capacity(8);
    while let Some((op, end)) = ops.next_with_end() {
        let end = end?;
        n.clear();
        n.extend(op.operands().filter_map(number));
        let name = op.operands().find_map(|o| match o {
            Object::Name(name) => Some(name.to_vec()),
            _ => None,
        });
        let operator: &[u8] = op.operator;
        let thin = gs.line_width * gs.scale <= BLACK_RULE_PT + 1e-6;
        // The overprint the operation paints with, if it paints.
        let mut needs = None;
        match (operator, n.as_slice()) {
            (b"q", _) => saved.push((gs.clone(), actual)),
            (b"Q", _) => {
                if let Some(restored) = saved.pop() {
                    (gs, actual) = restored;
                }
            }
            (b"cm", &[a, b, c, d, _, _]) => gs.scale *= (a * d - b * c).abs().sqrt(),
            (b"w", &[width]) => gs.line_width = width,
            (b"Tr", &[mode]) => gs.render_mode = mode as i64,
            (b"k", &[c, m, y, k]) => gs.fill = cmyk([c, m, y, k]),
            (b"K", &[c, m, y, k]) => gs.stroke = cmyk([c, m, y, k]),
            (b"g" | b"rg", _) => gs.fill = Ink::Other,
            (b"G" | b"RG", _) => gs.stroke = Ink::Other,
            (b"cs" | b"CS", _) => {
                let ink = match name.as_deref() {
                    Some(b"DeviceCMYK") => Ink::Black,
                    Some(b"DeviceGray" | b"DeviceRGB" | b"Pattern") | None => Ink::Other,
                    Some(resource) => cx.colour_space(resource),
                };
                if operator == b"cs" { gs.fill = ink } else { gs.stroke = ink }
            }
            (b"sc" | b"scn" | b"SC" | b"SCN", _) => {
                let ink = if operator[0] == b's' { &mut gs.fill } else { &mut gs.stroke };
                if *ink != Ink::Other {
                    *ink = match n.as_slice() {
                        &[c, m, y, k] if name.is_none() => cmyk([c, m, y, k]),
                        _ => Ink::Other,
                    };
                }
            }
            (b"gs", _) => {
                if let Some(ext) = name.as_deref().and_then(|name| cx.ext_g_state(name)) {
                    gs.natural.set(ext.stroke, ext.fill, ext.mode);
                    actual.set(ext.stroke, ext.fill, ext.mode);
                    if let Some(width) = ext.line_width {
                        gs.line_width = width;
                    }
                }
            }
            (b"m" | b"l" | b"c" | b"v" | b"y" | b"h" | b"re", _) => {
                path.get_or_insert(start);
            }
            (b"W" | b"W*", _) => clip = true,
            (b"Tj" | b"'" | b"\"" | b"TJ", _) => {
                let filled = matches!(gs.render_mode, 0 | 2 | 4 | 6);
                let stroked = matches!(gs.render_mode, 1 | 2 | 5 | 6);
                if shows_glyphs(op.operands().last()) && (filled || stroked) {
                    let black =
                        (!filled || gs.fill == Ink::Black) && (!stroked || gs.stroke == Ink::Black);
                    needs = Some(if black { Overprint::BLACK } else { gs.natural });
                    result.text_runs += usize::from(black);
                }
            }
            (b"S" | b"s", _) => {
                let black = gs.stroke == Ink::Black && thin;
                needs = Some(if black { Overprint::BLACK } else { gs.natural });
                result.rules += usize::from(black);
            }
            (b"B" | b"B*" | b"b" | b"b*", _) => {
                if let Some(from) = path.filter(|_| gs.stroke == Ink::Black && thin && !clip) {
                    // Filled and stroked at once: the fill keeps knocking out and the stroke
                    // overprints, as two paints of the same path (ISO 32000-1, 8.5.3.1).
                    switch(&mut w, cx, start, &mut actual, gs.natural);
                    let (fill, stroke): (&[u8], &[u8]) = match operator {
                        b"B" => (b"\nf", b"\nS"),
                        b"B*" => (b"\nf*", b"\nS"),
                        b"b" => (b"\nh f", b"\ns"),
                        _ => (b"\nh f*", b"\ns"),
                    };
                    let name = cx.state_name(Overprint::BLACK);
                    let mut split = fill.to_vec();
                    split.extend(gs_operation(&name));
                    split.extend_from_slice(&content[from..start]);
                    split.extend_from_slice(stroke);
                    w.replace(start, end, &split);
                    actual = Overprint::BLACK;
                    result.rules += 1;
                } else {
                    needs = Some(gs.natural);
                }
            }
            (b"f" | b"F" | b"f*" | b"sh" | b"BI", _) => needs = Some(gs.natural),
            (b"Do", _) => {
                switch(&mut w, cx, start, &mut actual, gs.natural);
                if let Some(instead) = name.as_deref().and_then(|name| cx.draw(name, &gs)) {
                    let mut text = b"\n".to_vec();
                    text.extend(write_name(&instead));
                    text.extend_from_slice(b" Do");
                    w.replace(start, end, &text);
                }
            }
            _ => {}
        }
        if let Some(needs) = needs {
            switch(&mut w, cx, start, &mut actual, needs);
        }
        if matches!(
            operator,
            b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" | b"n"
        ) {
            (path, clip) = (None, false);
        }
        start = end;
    }
    if !ops.complete() {
        return None;
    }
    result.content = w.finish();
    Some(result)
}

/// Selects `needs` at `at` unless it is in force already.
fn switch(
    w: &mut Writer<'_>,
    cx: &mut impl Context,
    at: usize,
    actual: &mut Overprint,
    needs: Overprint,
) {
    if *actual != needs {
        let name = cx.state_name(needs);
        w.insert(at, &gs_operation(&name));
        *actual = needs;
    }
}

fn cmyk(components: [f64; 4]) -> Ink {
    if is_k100(components) { Ink::Black } else { Ink::Cmyk }
}

/// Whether a text-showing operand shows at least one byte of text.
fn shows_glyphs(operand: Option<&Object<'_>>) -> bool {
    match operand {
        Some(Object::String(s)) => !s.is_empty(),
        Some(Object::Array(parts)) => {
            parts.iter::<Object<'_>>().any(|p| matches!(p, Object::String(s) if !s.is_empty()))
        }
        _ => false,
    }
}

/// `\n/Name gs`.
fn gs_operation(name: &[u8]) -> Vec<u8> {
    let mut text = b"\n".to_vec();
    text.extend(write_name(name));
    text.extend_from_slice(b" gs");
    text
}

/// A name as written in a content stream, with `#xx` for bytes that cannot stand as they are.
pub fn write_name(name: &[u8]) -> Vec<u8> {
    let mut out = vec![b'/'];
    for &b in name {
        if b.is_ascii_graphic() && !b"#()<>[]{}/%".contains(&b) {
            out.push(b);
        } else {
            out.extend(format!("#{b:02X}").bytes());
        }
    }
    out
}

/// The new stream: the original bytes with insertions and replacements, in order.
struct Writer<'a> {
    data: &'a [u8],
    out: Vec<u8>,
    copied: usize,
}

impl Writer<'_> {
    /// Writes `text` at `at`, before the original bytes there.
    fn insert(&mut self, at: usize, text: &[u8]) {
        self.replace(at, at, text);
    }

    /// Writes `text` instead of the original bytes `from..to`.
    fn replace(&mut self, from: usize, to: usize, text: &[u8]) {
        self.out.extend_from_slice(&self.data[self.copied..from]);
        self.out.extend_from_slice(text);
        // What follows must not run into the operator just written.
        if self.data.get(to).is_some_and(|b| !b" \t\r\n\x0c\0[(</%".contains(b)) {
            self.out.push(b'\n');
        }
        self.copied = to;
    }

    fn finish(mut self) -> Vec<u8> {
        self.out.extend_from_slice(&self.data[self.copied..]);
        self.out
    }
}
