//! What a page was seen to draw — colours, text runs, strokes, images, fonts — as plain facts:
//! the page reader writes them, the rules judge them.

use std::sync::Arc;

use crate::pdf::overprint::Overprint;

/// A colour space, as the report names it.
#[derive(Debug, Clone, PartialEq)]
pub enum Space {
    /// DeviceGray (`G` in inline images).
    Gray,
    /// DeviceRGB, CalRGB, Lab, or an ICC profile with three components.
    Rgb,
    /// DeviceCMYK.
    Cmyk,
    /// A Separation: one spot ink (or `All`, the registration colour).
    Spot(Arc<str>),
    /// DeviceN: several inks at once, process or spot.
    DeviceN(Arc<[Arc<str>]>),
    /// A pattern; for an uncoloured one, the space its colour is given in.
    Pattern(Option<Box<Space>>),
    /// Anything else, by name (`ICC/CMYK`, `ICC/Gray`, `CalGray`, …).
    Other(Arc<str>),
}

impl Space {
    /// The name in the report: `DeviceCMYK`, `Separation/DIC 156`, `RGB`, …
    pub fn label(&self) -> String {
        match self {
            Space::Gray => "DeviceGray".into(),
            Space::Rgb => "RGB".into(),
            Space::Cmyk => "DeviceCMYK".into(),
            Space::Spot(name) => format!("Separation/{name}"),
            Space::DeviceN(names) => format!("DeviceN/{}", names.join("+")),
            Space::Pattern(_) => "Pattern".into(),
            Space::Other(name) => name.to_string(),
        }
    }

    /// The colour this space starts with when selected (ISO 32000-1, 8.6.8).
    pub fn initial_colour(&self) -> Colour {
        match self {
            Space::Gray => Colour::Gray(0.0),
            Space::Cmyk => Colour::Cmyk([0.0, 0.0, 0.0, 1.0]),
            Space::Spot(name) => Colour::Spot(name.clone(), 1.0),
            Space::DeviceN(names) => Colour::DeviceN(names.clone(), vec![1.0; names.len()]),
            _ => Colour::Other,
        }
    }

    /// The colour given by `components` in this space.
    pub fn colour(&self, components: &[f64]) -> Colour {
        let first = components.first().copied();
        match (self, components) {
            (Space::Gray, _) => Colour::Gray(first.unwrap_or(0.0)),
            (Space::Cmyk, &[c, m, y, k]) => Colour::Cmyk([c, m, y, k]),
            (Space::Spot(name), _) => Colour::Spot(name.clone(), first.unwrap_or(1.0)),
            (Space::DeviceN(names), _) if components.len() == names.len() => {
                Colour::DeviceN(names.clone(), components.to_vec())
            }
            (Space::Pattern(Some(under)), _) => under.colour(components),
            _ => Colour::Other,
        }
    }
}

/// A colour as painted.
#[derive(Debug, Clone, PartialEq)]
pub enum Colour {
    /// Grey level, 0 black to 1 white.
    Gray(f64),
    /// Cyan, magenta, yellow and black, 0 to 1.
    Cmyk([f64; 4]),
    /// A spot ink and its tint, 0 to 1.
    Spot(Arc<str>, f64),
    /// DeviceN inks and their tints.
    DeviceN(Arc<[Arc<str>]>, Vec<f64>),
    /// Not made of inks (RGB, patterns, …).
    Other,
}

/// A fill or stroke of a path, or the fill of a run of text.
#[derive(Debug, Clone)]
pub struct Paint {
    /// The colour painted.
    pub colour: Colour,
    /// Where, on the page (with half the stroke around a stroked path); `None` for text and
    /// pattern cells, which always count.
    pub area: Option<[f64; 4]>,
}

/// A run of text shown by one operator.
#[derive(Debug, Clone)]
pub struct TextRun {
    /// Its size on the page, in points.
    pub size: f64,
    /// The box from its start to its end and from descender to ascender, on the page;
    /// `None` in pattern cells, whose place is not known.
    pub area: Option<[f64; 4]>,
    /// Its fill colour.
    pub fill: Colour,
    /// Its glyphs are filled (render modes 0, 2, 4 and 6).
    pub filled: bool,
    /// The overprint it is shown with.
    pub overprint: Overprint,
}

/// A stroked path.
#[derive(Debug, Clone)]
pub struct Stroke {
    /// Its width on the page, in points.
    pub width: f64,
    /// Its colour.
    pub colour: Colour,
    /// The overprint it is painted with.
    pub overprint: Overprint,
}

/// An image placed on the page.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Its pixels across and down.
    pub pixels: (f64, f64),
    /// Its width and height on the page, in points.
    pub size: (f64, f64),
    /// Its colour space.
    pub space: Space,
}

/// A font the page uses.
#[derive(Debug, Clone, PartialEq)]
pub struct FontUse {
    /// Its `/BaseFont`, or its resource name.
    pub name: String,
    /// A Type 3 font (glyphs drawn by content streams).
    pub type3: bool,
    /// Its font program is in the file.
    pub embedded: bool,
}

/// Everything a page was seen to draw.
#[derive(Debug, Default)]
pub struct Marks {
    /// The fonts used, each once.
    pub fonts: Vec<FontUse>,
    /// The colour spaces selected or painted in, each once.
    pub spaces: Vec<Space>,
    /// Every fill and stroke.
    pub paints: Vec<Paint>,
    /// Every run of visible text.
    pub text: Vec<TextRun>,
    /// Every stroke.
    pub strokes: Vec<Stroke>,
    /// Every image.
    pub images: Vec<Placed>,
    /// Transparency was used (a soft mask, an alpha below 1, a blend mode, a group).
    pub transparency: bool,
    /// A content stream could not be read to its end.
    pub unreadable: bool,
}

impl Marks {
    /// Records that `space` was used.
    pub fn space(&mut self, space: &Space) {
        if !self.spaces.contains(space) {
            self.spaces.push(space.clone());
        }
    }
}
