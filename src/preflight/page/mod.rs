//! Reading a page for the preflight: its content streams (and those of its forms and pattern
//! cells) are followed with the graphics state, and what they draw is written down as
//! [`Marks`] — colours with their spaces and inks, text runs with their size and place,
//! strokes, images — for the rules to judge.
//!
//! The operations come from hayro-syntax (`crate::pdf`); the state is followed here because
//! the rules need what hayro-interpret's devices do not get: the colour space and components
//! of every paint (a `Color` there is only convertible to RGBA, and a Separation drops its
//! ink's name).

pub mod marks;
mod resources;
mod state;
mod text;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use kurbo::Affine;

use crate::pdf::content::Operations;
use crate::pdf::{
    Array, Dict, Name, Object, ObjectIdentifier, Page, Rect, Resources, Stream, number,
};

use marks::{Colour, Marks, Paint, Placed, Space, Stroke};
use resources::{FontInfo, Pattern};
use state::{Ink, State, bounds, scale, union};

/// Forms and pattern cells nested deeper than this are not followed (a guard against hostile
/// files; a form that draws itself is caught earlier).
const MAX_DEPTH: usize = 16;

/// Reads `page`: what its content draws.
pub fn read(page: &Page<'_>) -> Marks {
    let mut reader = Reader::default();
    reader.marks.transparency |= resources::transparency_group(page.raw());
    match page.page_stream() {
        Some(content) => reader.run(content, page.resources(), State::new(Affine::IDENTITY)),
        // A page without content is blank; one whose content cannot be decoded is unread.
        None => reader.marks.unreadable |= page.raw().contains_key(b"Contents"),
    }
    let annotations = page.raw().get::<Array<'_>>(b"Annots");
    for annotation in annotations.iter().flat_map(|a| a.iter::<Dict<'_>>()) {
        reader.annotation(&annotation, page.resources());
    }
    reader.marks
}

#[derive(Default)]
struct Reader {
    marks: Marks,
    /// Fonts read so far, by object: Typst sets the font for every run of text, and reading a
    /// CID font's widths each time would dominate the preflight.
    fonts: HashMap<ObjectIdentifier, Arc<FontInfo>>,
    /// Pattern cells already followed (a cell is the same wherever it is used).
    cells: HashSet<ObjectIdentifier>,
    /// The bounding box of the current path, on the page.
    path: Option<[f64; 4]>,
    depth: usize,
    /// Inside a pattern cell, whose place on the page is not known.
    in_cell: usize,
    /// The forms being drawn, innermost last (a form that draws itself is not followed).
    forms: Vec<ObjectIdentifier>,
}

impl Reader {
    /// Follows one content stream from the state `gs`.
    fn run(&mut self, content: &[u8], resources: &Resources<'_>, mut gs: State) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        let mut saved: Vec<State> = Vec::new();
        let (mut text, mut line) = (Affine::IDENTITY, Affine::IDENTITY);
        let mut ops = Operations::new(content);
        let mut n: Vec<f64> = Vec::with_capacity(8);
        while let Some(op) = ops.next() {
            n.clear();
            n.extend(op.operands().filter_map(number));
            let name = op.operands().find_map(|o| match o {
                Object::Name(name) => Some(name),
                _ => None,
            });
            let operator: &[u8] = op.operator;
            match (operator, n.as_slice()) {
                (b"q", _) => saved.push(gs.clone()),
                (b"Q", _) => {
                    if let Some(restored) = saved.pop() {
                        gs = restored;
                    }
                }
                (b"cm", &[a, b, c, d, e, f]) => gs.ctm *= Affine::new([a, b, c, d, e, f]),
                (b"w", &[w]) => gs.line_width = w,
                (b"g", &[g]) => gs.fill = Ink { space: Space::Gray, colour: Colour::Gray(g) },
                (b"G", &[g]) => gs.stroke = Ink { space: Space::Gray, colour: Colour::Gray(g) },
                (b"rg", _) => gs.fill = Ink { space: Space::Rgb, colour: Colour::Other },
                (b"RG", _) => gs.stroke = Ink { space: Space::Rgb, colour: Colour::Other },
                (b"k", &[c, m, y, k]) => {
                    gs.fill = Ink { space: Space::Cmyk, colour: Colour::Cmyk([c, m, y, k]) }
                }
                (b"K", &[c, m, y, k]) => {
                    gs.stroke = Ink { space: Space::Cmyk, colour: Colour::Cmyk([c, m, y, k]) }
                }
                (b"cs" | b"CS", _) => {
                    let space = name.map_or(Space::Other("?".into()), |name| {
                        resources::named_space(resources, name)
                    });
                    self.marks.space(&space);
                    let ink = Ink { colour: space.initial_colour(), space };
                    if operator == b"cs" { gs.fill = ink } else { gs.stroke = ink }
                }
                (b"sc" | b"scn" | b"SC" | b"SCN", _) => {
                    let fill = operator[0] == b's';
                    let ink = if fill { &gs.fill } else { &gs.stroke };
                    let space = ink.space.clone();
                    if let (Space::Pattern(_), Some(name)) = (&space, name) {
                        self.pattern(resources, name);
                    }
                    let ink = Ink { colour: space.colour(&n), space };
                    if fill { gs.fill = ink } else { gs.stroke = ink }
                }
                (b"gs", _) => {
                    if let Some(dict) = name.and_then(|name| resources.get_ext_g_state(name)) {
                        self.marks.transparency |= resources::transparent_state(&dict);
                        if let Some(width) = dict.get::<f64>(b"LW") {
                            gs.line_width = width;
                        }
                        gs.overprint.set(
                            dict.get::<bool>(b"OP"),
                            dict.get::<bool>(b"op"),
                            dict.get::<i64>(b"OPM"),
                        );
                    }
                }
                (b"m" | b"l", &[x, y]) => self.extend(&gs.ctm, [(x, y)]),
                (b"c", &[x1, y1, x2, y2, x3, y3]) => {
                    self.extend(&gs.ctm, [(x1, y1), (x2, y2), (x3, y3)])
                }
                (b"v" | b"y", &[x1, y1, x2, y2]) => self.extend(&gs.ctm, [(x1, y1), (x2, y2)]),
                (b"re", &[x, y, w, h]) => {
                    self.extend(&gs.ctm, [(x, y), (x + w, y), (x, y + h), (x + w, y + h)])
                }
                (b"S" | b"s", _) => self.paint(&gs, false, true),
                (b"f" | b"F" | b"f*", _) => self.paint(&gs, true, false),
                (b"B" | b"B*" | b"b" | b"b*", _) => self.paint(&gs, true, true),
                (b"n", _) => self.path = None,
                (b"BT", _) => (text, line) = (Affine::IDENTITY, Affine::IDENTITY),
                (b"Tf", &[size]) => {
                    gs.font = name.and_then(|name| self.font(resources, name));
                    gs.font_size = size;
                }
                (b"Tc", &[v]) => gs.char_spacing = v,
                (b"Tw", &[v]) => gs.word_spacing = v,
                (b"Tz", &[v]) => gs.horizontal_scale = v / 100.0,
                (b"TL", &[v]) => gs.leading = v,
                (b"Ts", &[v]) => gs.rise = v,
                (b"Tr", &[v]) => gs.render_mode = v as i64,
                (b"Tm", &[a, b, c, d, e, f]) => {
                    line = Affine::new([a, b, c, d, e, f]);
                    text = line;
                }
                (b"Td" | b"TD", &[x, y]) => {
                    if operator == b"TD" {
                        gs.leading = -y;
                    }
                    line *= Affine::translate((x, y));
                    text = line;
                }
                (b"T*", _) => {
                    line *= Affine::translate((0.0, -gs.leading));
                    text = line;
                }
                (b"Tj" | b"'" | b"\"" | b"TJ", _) => {
                    if operator == b"\"" && n.len() >= 2 {
                        (gs.word_spacing, gs.char_spacing) = (n[0], n[1]);
                    }
                    if operator == b"'" || operator == b"\"" {
                        line *= Affine::translate((0.0, -gs.leading));
                        text = line;
                    }
                    match op.operands().last() {
                        Some(Object::Array(parts)) => {
                            self.show(&gs, &mut text, parts.iter::<Object<'_>>())
                        }
                        Some(string @ Object::String(_)) => {
                            self.show(&gs, &mut text, [string.clone()])
                        }
                        _ => {}
                    }
                }
                (b"Do", _) => {
                    if let Some(xobject) = name.and_then(|name| resources.get_x_object(name)) {
                        self.xobject(resources, &xobject, &gs);
                    }
                }
                (b"BI", _) => {
                    if let Some(Object::Stream(image)) = op.operands().next() {
                        self.image(image.dict(), resources, &gs);
                    }
                }
                (b"sh", _) => {
                    let shading = name.and_then(|name| resources.get_shading(name));
                    if let Some(space) = shading.as_ref().and_then(resources::shading_space) {
                        self.marks.space(&space);
                    }
                }
                _ => {}
            }
        }
        // What came before was checked; the rest could not be read.
        self.marks.unreadable |= !ops.complete();
        self.depth -= 1;
    }

    /// Adds points (in user space) to the current path.
    fn extend<const N: usize>(&mut self, ctm: &Affine, points: [(f64, f64); N]) {
        if let Some(b) = bounds(ctm, points) {
            self.path = Some(union(self.path, b));
        }
    }

    /// Paints the current path: its stroke width, and its colours where it lies.
    fn paint(&mut self, gs: &State, fill: bool, stroke: bool) {
        let Some(b) = self.path.take() else { return };
        let width = gs.line_width * scale(&gs.ctm);
        let half = if stroke { width / 2.0 } else { 0.0 };
        let area =
            (self.in_cell == 0).then_some([b[0] - half, b[1] - half, b[2] + half, b[3] + half]);
        if stroke {
            let (colour, overprint) = (gs.stroke.colour.clone(), gs.overprint);
            self.marks.strokes.push(Stroke { width, colour, overprint });
            self.ink(&gs.stroke, area);
        }
        if fill {
            self.ink(&gs.fill, area);
        }
    }

    fn ink(&mut self, ink: &Ink, area: Option<[f64; 4]>) {
        self.marks.space(&ink.space);
        self.marks.paints.push(Paint { colour: ink.colour.clone(), area });
    }

    /// Draws an image (`Do` of an image XObject, or an inline image) with the current matrix.
    fn image(&mut self, dict: &Dict<'_>, resources: &Resources<'_>, gs: &State) {
        let facts = resources::image(dict, resources);
        self.marks.transparency |= facts.soft_mask;
        let [a, b, c, d, _, _] = gs.ctm.as_coeffs();
        let size = ((a * a + b * b).sqrt(), (c * c + d * d).sqrt());
        let space = match facts.space {
            Some(space) => space,
            // A stencil mask is painted in the fill colour.
            None => {
                let area = bounds(&gs.ctm, [(0.0, 0.0), (1.0, 1.0)]).filter(|_| self.in_cell == 0);
                self.ink(&gs.fill, area);
                gs.fill.space.clone()
            }
        };
        self.marks.space(&space);
        self.marks.images.push(Placed { pixels: facts.pixels, size, space });
    }

    fn xobject(&mut self, resources: &Resources<'_>, xobject: &Stream<'_>, gs: &State) {
        match xobject.dict().get::<Name<'_>>(b"Subtype").as_deref() {
            Some(b"Image") => self.image(xobject.dict(), resources, gs),
            Some(b"Form") => self.form(resources, xobject, gs),
            _ => {}
        }
    }

    /// Draws a form: its content, in the graphics state it is drawn in (ISO 32000-1, 8.10.1).
    fn form(&mut self, resources: &Resources<'_>, form: &Stream<'_>, gs: &State) {
        let id = form.obj_id();
        if self.forms.contains(&id) {
            return;
        }
        self.marks.transparency |= resources::transparency_group(form.dict());
        let mut state = gs.clone();
        state.ctm = gs.ctm * matrix(form.dict());
        self.forms.push(id);
        self.nested(form, resources, state);
        self.forms.pop();
    }

    /// Follows the content of a form or pattern cell, with its own resources (falling back
    /// on the ones it is used with), from `state`; the current path is kept for after.
    fn nested(&mut self, stream: &Stream<'_>, resources: &Resources<'_>, state: State) {
        let own = stream.dict().get::<Dict<'_>>(b"Resources").unwrap_or_default();
        let inner = Resources::from_parent(own, resources.clone());
        let path = self.path.take();
        match stream.decoded() {
            Ok(content) => self.run(&content, &inner, state),
            Err(_) => self.marks.unreadable = true,
        }
        self.path = path;
    }

    /// Draws the appearance of an annotation that prints (flag Print set, Hidden not): its
    /// form, its box mapped onto the annotation's rectangle (ISO 32000-1, 12.5.5).
    fn annotation(&mut self, annotation: &Dict<'_>, resources: &Resources<'_>) {
        let flags = annotation.get::<u32>(b"F").unwrap_or(0);
        if flags & 4 == 0 || flags & 2 != 0 {
            return;
        }
        let appearance =
            match annotation.get::<Dict<'_>>(b"AP").and_then(|ap| ap.get::<Object<'_>>(b"N")) {
                Some(Object::Stream(form)) => form,
                // Appearances by state: the one the annotation is in.
                Some(Object::Dict(states)) => {
                    let Some(form) = annotation
                        .get::<Name<'_>>(b"AS")
                        .and_then(|s| states.get::<Stream<'_>>(&*s))
                    else {
                        return;
                    };
                    form
                }
                _ => return,
            };
        let (Some(rect), Some(bbox)) =
            (annotation.get::<Rect>(b"Rect"), appearance.dict().get::<Rect>(b"BBox"))
        else {
            return;
        };
        let Some([x0, y0, x1, y1]) = bounds(
            &matrix(appearance.dict()),
            [(bbox.x0, bbox.y0), (bbox.x1, bbox.y0), (bbox.x0, bbox.y1), (bbox.x1, bbox.y1)],
        ) else {
            return;
        };
        if x1 - x0 <= 0.0 || y1 - y0 <= 0.0 {
            return;
        }
        let onto =
            Affine::new([rect.width() / (x1 - x0), 0.0, 0.0, rect.height() / (y1 - y0), 0.0, 0.0]);
        let onto = Affine::translate((rect.x0, rect.y0)) * onto * Affine::translate((-x0, -y0));
        self.form(resources, &appearance, &State::new(onto));
    }

    /// Selecting the pattern `name`: a shading's colour space is noted, a cell that sets its
    /// own colours is followed (once per page).
    fn pattern(&mut self, resources: &Resources<'_>, name: &Name<'_>) {
        match resources::pattern(resources, name) {
            Some(Pattern::Shading(space)) => self.marks.space(&space),
            Some(Pattern::Tiling { cell, coloured: true }) => {
                if self.cells.insert(cell.obj_id()) {
                    // A cell starts from the default state, in pattern space.
                    self.in_cell += 1;
                    self.nested(&cell, resources, State::new(matrix(cell.dict())));
                    self.in_cell -= 1;
                }
            }
            // An uncoloured cell is painted in the colour given with it.
            Some(Pattern::Tiling { coloured: false, .. }) | None => {}
        }
    }
}

/// The `/Matrix` of a form, pattern or appearance (the identity if it has none).
fn matrix(dict: &Dict<'_>) -> Affine {
    dict.get::<[f64; 6]>(b"Matrix").map_or(Affine::IDENTITY, Affine::new)
}
