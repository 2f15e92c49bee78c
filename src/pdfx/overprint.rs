//! Black overprint (墨ノセ) for a whole print PDF, with lopdf: every page's content and every
//! form it draws is rewritten ([`rewrite`]), and the ExtGStates the new streams select are
//! added to their resources. A form drawn in states that call for different rewrites (a logo
//! placed at two sizes, one making its rules thin) is copied, so each drawing gets its own.
//!
//! Left as they are: streams that cannot be decoded or read to their end, forms without their
//! own resources, pattern cells and annotation appearances (the print profile has none).

use std::collections::{BTreeMap, HashMap};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::rewrite::{self, Context, ExtGState, Ink, State};
use crate::pdf::overprint::Overprint;

/// Forms nested deeper than this are drawn as they are (a guard against hostile files).
const MAX_DEPTH: usize = 16;

/// What was made to overprint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// K100 text runs, counted each time they are drawn.
    pub text_runs: usize,
    /// Thin K100 strokes, counted each time they are drawn.
    pub rules: usize,
    /// Streams left as they were because they could not be read to their end.
    pub unread: usize,
}

/// Makes K100 text and thin K100 strokes overprint on every page of `doc`.
pub fn apply(doc: &mut Document) -> Result<Summary, lopdf::Error> {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut uses: HashMap<ObjectId, usize> = HashMap::new();
    for &page in &pages {
        for id in doc.get_page_contents(page) {
            *uses.entry(id).or_default() += 1;
        }
    }
    let mut pass = Pass {
        doc,
        states: BTreeMap::new(),
        originals: HashMap::new(),
        variants: HashMap::new(),
        drawing: Vec::new(),
        summary: Summary::default(),
    };
    for page in pages {
        pass.page(page, &uses)?;
    }
    Ok(pass.summary)
}

struct Pass<'d> {
    doc: &'d mut Document,
    /// The ExtGState object of each setting, shared by every stream that selects it.
    states: BTreeMap<Overprint, ObjectId>,
    /// The content of each form before it was rewritten.
    originals: HashMap<ObjectId, Vec<u8>>,
    /// Per form, each rewrite made of it and the object that holds it.
    variants: HashMap<ObjectId, Vec<(Vec<u8>, ObjectId)>>,
    /// The forms being rewritten, innermost last.
    drawing: Vec<ObjectId>,
    summary: Summary,
}

impl Pass<'_> {
    fn page(&mut self, page: ObjectId, uses: &HashMap<ObjectId, usize>) -> lopdf::Result<()> {
        let streams = self.doc.get_page_contents(page);
        let mut content = Vec::new();
        for &id in &streams {
            match self.doc.get_object(id).and_then(Object::as_stream).and_then(decoded) {
                Ok(data) => content.extend(data),
                Err(_) => {
                    self.summary.unread += 1;
                    return Ok(());
                }
            }
            content.push(b'\n');
        }
        let resources = inherited_resources(self.doc, page);
        let mut frame = Frame::new(self, resources);
        let rewritten = rewrite::rewrite(&content, &State::default(), &mut frame);
        let additions = frame.additions();
        let Some(rewritten) = rewritten else {
            self.summary.unread += 1;
            return Ok(());
        };
        self.count(&rewritten);
        if rewritten.content == content {
            return Ok(());
        }
        match streams.as_slice() {
            [only] if uses.get(only) == Some(&1) => {
                set_content(self.doc, *only, rewritten.content)?
            }
            _ => {
                let mut stream = Stream::new(Dictionary::new(), rewritten.content);
                stream.compress()?;
                let id = self.doc.add_object(stream);
                self.doc.get_dictionary_mut(page)?.set("Contents", id);
            }
        }
        self.add(page, additions)
    }

    /// Draws the form `id` in `state`: the object that draws it so (itself, or a copy), or
    /// `None` to draw it as it is.
    fn form(&mut self, id: ObjectId, state: &State) -> Option<ObjectId> {
        if self.drawing.contains(&id) || self.drawing.len() >= MAX_DEPTH {
            return None;
        }
        let stream = self.doc.get_object(id).and_then(Object::as_stream).ok()?;
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return None;
        }
        let resources = resolve(self.doc, stream.dict.get(b"Resources").ok()?)?;
        let scale = match stream.dict.get(b"Matrix").and_then(Object::as_array) {
            Ok(m) if m.len() == 6 => {
                let v: Vec<f64> = m.iter().map(|o| o.as_float().map_or(0.0, f64::from)).collect();
                (v[0] * v[3] - v[1] * v[2]).abs().sqrt()
            }
            _ => 1.0,
        };
        let original = match self.originals.get(&id) {
            Some(content) => content.clone(),
            None => {
                let Ok(content) = decoded(stream) else {
                    self.summary.unread += 1;
                    return None;
                };
                self.originals.insert(id, content.clone());
                content
            }
        };
        let entry = State { scale: state.scale * scale, ..state.clone() };
        self.drawing.push(id);
        let mut frame = Frame::new(self, resources);
        let rewritten = rewrite::rewrite(&original, &entry, &mut frame);
        let additions = frame.additions();
        self.drawing.pop();
        let Some(rewritten) = rewritten else {
            self.summary.unread += 1;
            return None;
        };
        self.count(&rewritten);
        let variants = self.variants.entry(id).or_default();
        if let Some((_, drawn_by)) = variants.iter().find(|(c, _)| *c == rewritten.content) {
            return Some(*drawn_by);
        }
        let target = if variants.is_empty() {
            id
        } else {
            let copy = self.doc.get_object(id).and_then(Object::as_stream).ok()?.clone();
            self.doc.add_object(copy)
        };
        self.variants.entry(id).or_default().push((rewritten.content.clone(), target));
        if rewritten.content != original || target != id {
            set_content(self.doc, target, rewritten.content).ok()?;
        }
        self.add(target, additions).ok()?;
        Some(target)
    }

    fn count(&mut self, rewritten: &rewrite::Rewritten) {
        self.summary.text_runs += rewritten.text_runs;
        self.summary.rules += rewritten.rules;
    }

    /// The ExtGState object that sets exactly `overprint`.
    fn state(&mut self, overprint: Overprint) -> ObjectId {
        *self.states.entry(overprint).or_insert_with(|| {
            self.doc.add_object(Dictionary::from_iter([
                ("Type", Object::Name(b"ExtGState".to_vec())),
                ("OP", Object::Boolean(overprint.stroke)),
                ("op", Object::Boolean(overprint.fill)),
                ("OPM", Object::Integer(i64::from(overprint.mode))),
            ]))
        })
    }

    /// Adds the names a rewrite chose to the resources of `holder` (a page or a form).
    fn add(&mut self, holder: ObjectId, additions: Additions) -> lopdf::Result<()> {
        let states: Vec<(Vec<u8>, ObjectId)> =
            additions.states.into_iter().map(|(o, name)| (name, self.state(o))).collect();
        add_entries(self.doc, holder, b"ExtGState", &states)?;
        add_entries(self.doc, holder, b"XObject", &additions.xobjects)
    }
}

/// Names a rewrite of one stream added to its resources.
#[derive(Default)]
struct Additions {
    states: BTreeMap<Overprint, Vec<u8>>,
    xobjects: Vec<(Vec<u8>, ObjectId)>,
}

/// One stream being rewritten, with the resources it is drawn with.
struct Frame<'p, 'd> {
    pass: &'p mut Pass<'d>,
    resources: Dictionary,
    added: Additions,
}

impl<'p, 'd> Frame<'p, 'd> {
    fn new(pass: &'p mut Pass<'d>, resources: Dictionary) -> Self {
        Self { pass, resources, added: Additions::default() }
    }

    fn additions(self) -> Additions {
        self.added
    }

    /// The entry `name` of the resource category `category`, resolved.
    fn entry(&self, category: &[u8], name: &[u8]) -> Option<&Object> {
        let dict = self.category(category)?;
        let object = dict.get(name).ok()?;
        self.pass.doc.dereference(object).ok().map(|(_, o)| o)
    }

    fn category(&self, category: &[u8]) -> Option<&Dictionary> {
        let object = self.resources.get(category).ok()?;
        self.pass.doc.dereference(object).ok()?.1.as_dict().ok()
    }

    /// A name not yet taken in `category`, from `base`, or the one that already refers to `id`.
    fn free_name(&self, category: &[u8], base: &str, id: ObjectId, taken: &[&[u8]]) -> Vec<u8> {
        let existing = self.category(category);
        (0..)
            .map(|i| if i == 0 { base.to_owned() } else { format!("{base}_{i}") }.into_bytes())
            .find(|name| {
                let mine = existing.and_then(|d| d.get(name).ok()) == Some(&Object::Reference(id));
                let free = existing.is_none_or(|d| !d.has(name));
                (mine || free) && !taken.contains(&name.as_slice())
            })
            .expect("some name is free")
    }
}

impl Context for Frame<'_, '_> {
    fn colour_space(&self, name: &[u8]) -> Ink {
        match self.entry(b"ColorSpace", name) {
            Some(Object::Name(n)) if n == b"DeviceCMYK" => Ink::Black,
            _ => Ink::Other,
        }
    }

    fn ext_g_state(&self, name: &[u8]) -> Option<ExtGState> {
        let dict = self.entry(b"ExtGState", name)?.as_dict().ok()?;
        let flag = |key: &[u8]| dict.get(key).and_then(Object::as_bool).ok();
        Some(ExtGState {
            stroke: flag(b"OP"),
            fill: flag(b"op"),
            mode: dict.get(b"OPM").and_then(Object::as_i64).ok(),
            line_width: dict.get(b"LW").and_then(Object::as_float).ok().map(f64::from),
        })
    }

    fn state_name(&mut self, overprint: Overprint) -> Vec<u8> {
        if let Some(name) = self.added.states.get(&overprint) {
            return name.clone();
        }
        let id = self.pass.state(overprint);
        let taken: Vec<&[u8]> = self.added.states.values().map(Vec::as_slice).collect();
        let name = self.free_name(b"ExtGState", &format!("GSop{}", overprint.tag()), id, &taken);
        self.added.states.insert(overprint, name.clone());
        name
    }

    fn draw(&mut self, name: &[u8], state: &State) -> Option<Vec<u8>> {
        let id = self.category(b"XObject")?.get(name).ok()?.as_reference().ok()?;
        let drawn_by = self.pass.form(id, state)?;
        if drawn_by == id {
            return None;
        }
        if let Some((name, _)) = self.added.xobjects.iter().find(|(_, d)| *d == drawn_by) {
            return Some(name.clone());
        }
        let base = format!("{}_op", String::from_utf8_lossy(name));
        let taken: Vec<&[u8]> = self.added.xobjects.iter().map(|(n, _)| n.as_slice()).collect();
        let copy = self.free_name(b"XObject", &base, drawn_by, &taken);
        self.added.xobjects.push((copy.clone(), drawn_by));
        Some(copy)
    }
}

/// A stream's decoded content (its bytes as they are if it has no filter).
fn decoded(stream: &Stream) -> lopdf::Result<Vec<u8>> {
    if stream.dict.has(b"Filter") {
        stream.decompressed_content()
    } else {
        Ok(stream.content.clone())
    }
}

fn set_content(doc: &mut Document, id: ObjectId, content: Vec<u8>) -> lopdf::Result<()> {
    let stream = doc.get_object_mut(id)?.as_stream_mut()?;
    stream.set_plain_content(content);
    stream.compress()
}

/// A dictionary given directly or by reference, as an owned copy.
fn resolve(doc: &Document, object: &Object) -> Option<Dictionary> {
    doc.dereference(object).ok()?.1.as_dict().ok().cloned()
}

/// The resources of a page: its own, or the nearest in the page tree above it.
fn inherited_resources(doc: &Document, page: ObjectId) -> Dictionary {
    let mut at = doc.get_dictionary(page).ok();
    for _ in 0..32 {
        let Some(node) = at else { break };
        if let Some(resources) = node.get(b"Resources").ok().and_then(|r| resolve(doc, r)) {
            return resources;
        }
        at = node
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|p| doc.get_dictionary(p))
            .ok();
    }
    Dictionary::new()
}

/// The dictionary of object `id`, or of the stream that is object `id`.
fn dict_mut(doc: &mut Document, id: ObjectId) -> lopdf::Result<&mut Dictionary> {
    match doc.get_object_mut(id)? {
        Object::Stream(stream) => Ok(&mut stream.dict),
        other => other.as_dict_mut(),
    }
}

/// The resources `holder` draws with, as its own dictionary (one inherited from the page
/// tree is copied into the page first).
fn resources_mut(doc: &mut Document, holder: ObjectId) -> lopdf::Result<&mut Dictionary> {
    if !dict_mut(doc, holder)?.has(b"Resources") {
        let inherited = inherited_resources(doc, holder);
        dict_mut(doc, holder)?.set("Resources", inherited);
    }
    match dict_mut(doc, holder)?.get(b"Resources")? {
        Object::Reference(id) => {
            let id = *id;
            dict_mut(doc, id)
        }
        _ => dict_mut(doc, holder)?.get_mut(b"Resources")?.as_dict_mut(),
    }
}

/// Adds `entries` (name → object) to the resource category `category` of `holder`.
fn add_entries(
    doc: &mut Document,
    holder: ObjectId,
    category: &[u8],
    entries: &[(Vec<u8>, ObjectId)],
) -> lopdf::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let resources = resources_mut(doc, holder)?;
    let by_reference = match resources.get(category) {
        Ok(Object::Reference(id)) => Some(*id),
        Ok(Object::Dictionary(_)) => None,
        _ => {
            resources.set(category, Dictionary::new());
            None
        }
    };
    let dict = match by_reference {
        Some(id) => dict_mut(doc, id)?,
        None => resources_mut(doc, holder)?.get_mut(category)?.as_dict_mut()?,
    };
    for (name, id) in entries {
        dict.set(name.clone(), Object::Reference(*id));
    }
    Ok(())
}
