//! A page's resources as the page reader needs them: colour spaces, fonts (their widths, and
//! whether they are embedded or Type 3), images, patterns and shadings, and what makes a
//! graphics state or group transparent.

use std::sync::Arc;

use crate::pdf::{Array, Dict, Name, Object, Resources, Stream, number};

use super::marks::{FontUse, Space};

/// The widths and metrics of a font, for measuring the text shown with it.
#[derive(Debug)]
pub struct FontInfo {
    /// Bytes per character code (2 for CID-keyed fonts).
    pub code_bytes: usize,
    /// Width of each code in glyph space, from `first`; NaN where none is given.
    widths: Vec<f32>,
    first: u32,
    default_width: f64,
    /// Glyph space to text space: the `FontMatrix` of a Type 3 font, 1/1000 for the others
    /// (`[a, d]`; fonts are not skewed in practice).
    pub matrix: [f64; 2],
    /// Written top to bottom (an Identity-V or other vertical CMap).
    pub vertical: bool,
    /// The vertical advance of a glyph, in glyph space (`DW2`, −1000 by default).
    pub vertical_advance: f64,
    /// What the font rules need to know.
    pub usage: FontUse,
}

impl FontInfo {
    /// The horizontal advance of `code` in glyph space.
    pub fn width(&self, code: u32) -> f64 {
        let w = code
            .checked_sub(self.first)
            .and_then(|i| self.widths.get(i as usize))
            .copied()
            .unwrap_or(f32::NAN);
        if w.is_nan() { self.default_width } else { f64::from(w) }
    }
}

/// Codes above this are not given widths (no font has more; a guard against hostile files).
const MAX_CODE: u32 = 0xFFFF;

/// Reads the font `dict`, known in the resources as `resource`.
pub fn font(dict: &Dict<'_>, resource: &[u8]) -> FontInfo {
    let subtype = dict.get::<Name<'_>>(b"Subtype");
    // A Type 3 font need not have a /BaseFont; its descriptor may still name it.
    let name = dict
        .get::<Name<'_>>(b"BaseFont")
        .or_else(|| dict.get::<Dict<'_>>(b"FontDescriptor")?.get::<Name<'_>>(b"FontName"))
        .map(|n| n.as_str().to_owned())
        .unwrap_or_else(|| String::from_utf8_lossy(resource).into_owned());
    match subtype.as_deref() {
        Some(b"Type0") => cid_font(dict, name),
        Some(b"Type3") => {
            let matrix =
                dict.get::<[f64; 6]>(b"FontMatrix").unwrap_or([0.001, 0., 0., 0.001, 0., 0.]);
            let (first, widths) = simple_widths(dict);
            FontInfo {
                code_bytes: 1,
                widths,
                first,
                default_width: 0.0,
                matrix: [matrix[0], matrix[3]],
                vertical: false,
                vertical_advance: 0.0,
                usage: FontUse { name, type3: true, embedded: true },
            }
        }
        _ => {
            let (first, widths) = simple_widths(dict);
            FontInfo {
                code_bytes: 1,
                widths,
                first,
                default_width: 500.0,
                matrix: [0.001, 0.001],
                vertical: false,
                vertical_advance: 0.0,
                usage: FontUse { name, type3: false, embedded: embedded(dict) },
            }
        }
    }
}

fn cid_font(dict: &Dict<'_>, name: String) -> FontInfo {
    let descendant = dict
        .get::<Array<'_>>(b"DescendantFonts")
        .and_then(|a| a.iter::<Dict<'_>>().next())
        .unwrap_or_default();
    let default_width = descendant.get::<f64>(b"DW").unwrap_or(1000.0);
    let mut widths = Vec::new();
    if let Some(w) = descendant.get::<Array<'_>>(b"W") {
        let mut items = w.iter::<Object<'_>>();
        while let Some(first) = items.next().as_ref().and_then(number) {
            let first = first.max(0.0) as u32;
            match items.next() {
                Some(Object::Array(list)) => {
                    for (i, width) in list.iter::<f64>().enumerate() {
                        set_width(&mut widths, first.saturating_add(i as u32), width);
                    }
                }
                Some(last) => {
                    let last = (number(&last).unwrap_or(0.0).max(0.0) as u32).min(MAX_CODE);
                    let width = items.next().as_ref().and_then(number).unwrap_or(default_width);
                    for code in first..=last {
                        set_width(&mut widths, code, width);
                    }
                }
                None => break,
            }
        }
    }
    let vertical = match dict.get::<Object<'_>>(b"Encoding") {
        Some(Object::Name(n)) => n.ends_with(b"-V"),
        Some(Object::Stream(cmap)) => cmap.dict().get::<i64>(b"WMode") == Some(1),
        _ => false,
    };
    let vertical_advance =
        descendant.get::<[f64; 2]>(b"DW2").map_or(-1000.0, |[_, advance]| advance);
    FontInfo {
        code_bytes: 2,
        widths,
        first: 0,
        default_width,
        matrix: [0.001, 0.001],
        vertical,
        vertical_advance,
        usage: FontUse { name, type3: false, embedded: embedded(&descendant) },
    }
}

fn set_width(widths: &mut Vec<f32>, code: u32, width: f64) {
    if code > MAX_CODE {
        return;
    }
    let i = code as usize;
    if widths.len() <= i {
        widths.resize(i + 1, f32::NAN);
    }
    widths[i] = width as f32;
}

/// `FirstChar` and `Widths` of a simple font.
fn simple_widths(dict: &Dict<'_>) -> (u32, Vec<f32>) {
    let first = dict.get::<f64>(b"FirstChar").unwrap_or(0.0).clamp(0.0, 255.0) as u32;
    let widths = dict
        .get::<Array<'_>>(b"Widths")
        .map(|w| {
            w.iter::<Object<'_>>().take(256).map(|o| number(&o).unwrap_or(0.0) as f32).collect()
        })
        .unwrap_or_default();
    (first, widths)
}

/// Whether the font program of `font` (a simple font or a descendant CID font) is embedded.
fn embedded(font: &Dict<'_>) -> bool {
    font.get::<Dict<'_>>(b"FontDescriptor").is_some_and(|fd| {
        fd.contains_key(b"FontFile")
            || fd.contains_key(b"FontFile2")
            || fd.contains_key(b"FontFile3")
    })
}

/// The colour space a `cs`/`CS` operand or an inline image's `/CS` names: a device space,
/// or one defined in the resources.
pub fn named_space(resources: &Resources<'_>, name: &Name<'_>) -> Space {
    device_space(name).unwrap_or_else(|| match resources.get_color_space(name) {
        Some(object) => space(&object),
        None => Space::Other(name.as_str().into()),
    })
}

fn device_space(name: &[u8]) -> Option<Space> {
    Some(match name {
        b"DeviceGray" | b"G" => Space::Gray,
        b"DeviceRGB" | b"RGB" => Space::Rgb,
        b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
        b"Pattern" => Space::Pattern(None),
        _ => return None,
    })
}

/// A colour space given as an object (a name or an array).
pub fn space(object: &Object<'_>) -> Space {
    match object {
        Object::Name(name) => {
            device_space(name).unwrap_or_else(|| Space::Other(name.as_str().into()))
        }
        Object::Array(parts) => {
            let mut items = parts.flex_iter();
            let Some(family) = items.next::<Name<'_>>() else { return Space::Other("?".into()) };
            match &*family {
                b"ICCBased" => {
                    match items.next::<Stream<'_>>().and_then(|s| s.dict().get::<i64>(b"N")) {
                        Some(1) => Space::Other("ICC/Gray".into()),
                        Some(4) => Space::Other("ICC/CMYK".into()),
                        _ => Space::Rgb,
                    }
                }
                b"Separation" => {
                    let ink = items.next::<Name<'_>>();
                    Space::Spot(ink.as_ref().map_or("?", |n| n.as_str()).into())
                }
                b"DeviceN" => {
                    let inks = items.next::<Array<'_>>().map(|a| {
                        a.iter::<Name<'_>>().map(|n| Arc::<str>::from(n.as_str())).collect()
                    });
                    Space::DeviceN(inks.unwrap_or_else(|| Arc::from([])))
                }
                b"CalRGB" | b"Lab" => Space::Rgb,
                b"Indexed" | b"I" => items
                    .next::<Object<'_>>()
                    .map_or(Space::Other("Indexed".into()), |base| space(&base)),
                b"Pattern" => {
                    Space::Pattern(items.next::<Object<'_>>().map(|under| Box::new(space(&under))))
                }
                other => Space::Other(String::from_utf8_lossy(other).into()),
            }
        }
        _ => Space::Other("?".into()),
    }
}

/// What an image is, from its dictionary (keys of inline images may be abbreviated,
/// ISO 32000-1, 8.9.7).
pub struct ImageFacts {
    /// Pixels across and down.
    pub pixels: (f64, f64),
    /// Its colour space; `None` for a stencil mask, painted in the fill colour.
    pub space: Option<Space>,
    /// It has a soft mask (transparency).
    pub soft_mask: bool,
}

/// Reads an image dictionary; names of colour spaces are looked up in `resources`.
pub fn image(dict: &Dict<'_>, resources: &Resources<'_>) -> ImageFacts {
    let get = |short: &[u8], long: &[u8]| {
        dict.get::<Object<'_>>(long).or_else(|| dict.get::<Object<'_>>(short))
    };
    let pixels =
        |short: &[u8], long: &[u8]| get(short, long).as_ref().and_then(number).unwrap_or(0.0);
    let mask = matches!(get(b"IM", b"ImageMask"), Some(Object::Boolean(true)));
    let space = (!mask).then(|| match get(b"CS", b"ColorSpace") {
        Some(Object::Name(name)) => named_space(resources, &name),
        Some(other) => space(&other),
        None => Space::Other("?".into()),
    });
    ImageFacts {
        pixels: (pixels(b"W", b"Width"), pixels(b"H", b"Height")),
        space,
        soft_mask: dict.contains_key(b"SMask"),
    }
}

/// A pattern, as far as colour goes.
pub enum Pattern<'a> {
    /// A tiling pattern: its cell is drawn by this stream; `coloured` when the cell sets its
    /// own colours (paint type 1).
    Tiling { cell: Stream<'a>, coloured: bool },
    /// A shading pattern, in this space.
    Shading(Space),
}

/// The pattern `name` of `resources`.
pub fn pattern<'a>(resources: &Resources<'a>, name: &Name<'_>) -> Option<Pattern<'a>> {
    match resources.get_pattern(name)? {
        Object::Stream(cell) => {
            let coloured = cell.dict().get::<i64>(b"PaintType") != Some(2);
            Some(Pattern::Tiling { cell, coloured })
        }
        Object::Dict(dict) => {
            shading_space(&dict.get::<Object<'_>>(b"Shading")?).map(Pattern::Shading)
        }
        _ => None,
    }
}

/// The colour space of a shading (a dictionary or a stream).
pub fn shading_space(shading: &Object<'_>) -> Option<Space> {
    let dict = match shading {
        Object::Dict(d) => d.clone(),
        Object::Stream(s) => s.dict().clone(),
        _ => return None,
    };
    dict.get::<Object<'_>>(b"ColorSpace").map(|cs| space(&cs))
}

/// Whether an ExtGState makes what follows transparent: an alpha below 1, a soft mask, or a
/// blend mode other than Normal.
pub fn transparent_state(dict: &Dict<'_>) -> bool {
    let alpha = |key: &[u8]| dict.get::<f64>(key).is_some_and(|a| a < 1.0);
    let soft_mask = match dict.get::<Object<'_>>(b"SMask") {
        Some(Object::Name(n)) => &*n != b"None",
        Some(_) => true,
        None => false,
    };
    let blend = match dict.get::<Object<'_>>(b"BM") {
        Some(Object::Name(n)) => !matches!(&*n, b"Normal" | b"Compatible"),
        Some(Object::Array(modes)) => modes
            .iter::<Name<'_>>()
            .next()
            .is_some_and(|n| !matches!(&*n, b"Normal" | b"Compatible")),
        _ => false,
    };
    alpha(b"CA") || alpha(b"ca") || soft_mask || blend
}

/// Whether a page or form declares a transparency group.
pub fn transparency_group(dict: &Dict<'_>) -> bool {
    dict.get::<Dict<'_>>(b"Group")
        .and_then(|g| g.get::<Name<'_>>(b"S"))
        .is_some_and(|s| &*s == b"Transparency")
}
