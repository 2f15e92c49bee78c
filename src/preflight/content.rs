//! Content streams read into operations: a small lexer for PDF content syntax (ISO 32000-1,
//! 7.2 and 7.8.2). lopdf's nom parser was most of a page's preflight (a 60 KB VOL.10 page,
//! ~5 000 operations: 1.7 ms warm, 2.8 ms in a fresh process); this one gives the same
//! operations (tested against it), one at a time into a reused buffer: the whole preflight
//! of VOL.10 went from 3.9 ms (lopdf, pages in turn) to 1.15 ms (`cargo bench --bench stages`).
//!
//! Inline images (`BI` … `ID` data `EI`) come out as one `BI` operation whose operand is
//! the image dictionary; the image data is skipped.

use lopdf::{Dictionary, Object, StringFormat};

/// Nesting deeper than this (arrays in arrays …) is refused, as a guard against hostile
/// files.
const MAX_DEPTH: usize = 64;

/// Why a content stream could not be read.
#[derive(Debug, PartialEq, Eq)]
pub struct ContentError {
    /// Byte offset of the problem.
    pub offset: usize,
}

/// Reads a content stream one operation at a time, reusing one buffer for the operands
/// (a page has thousands of operations; allocating each was a third of the work).
pub struct Decoder<'a> {
    lexer: Lexer<'a>,
    operands: Vec<Object>,
    /// Set by an error: nothing is read after one.
    failed: bool,
}

impl<'a> Decoder<'a> {
    /// A decoder at the start of `content`.
    pub fn new(content: &'a [u8]) -> Self {
        Self { lexer: Lexer { bytes: content, pos: 0 }, operands: Vec::new(), failed: false }
    }

    /// The next operator and its operands; `None` at the end. An operator that is not
    /// UTF-8 (never a valid one) comes back empty. After an error the decoder is at the
    /// end: a stream is not read past a point where its syntax breaks.
    #[allow(clippy::should_implement_trait)] // a lending iterator: items borrow the decoder
    pub fn next(&mut self) -> Option<Result<(&str, &[Object]), ContentError>> {
        if self.failed {
            return None;
        }
        self.operands.clear();
        loop {
            self.lexer.skip_space();
            let byte = self.lexer.peek()?;
            if is_regular(byte) && !is_number_start(byte) {
                let start = self.lexer.pos;
                let end = start + self.lexer.word().len();
                match &self.lexer.bytes[start..end] {
                    b"true" => self.operands.push(Object::Boolean(true)),
                    b"false" => self.operands.push(Object::Boolean(false)),
                    b"null" => self.operands.push(Object::Null),
                    b"BI" => {
                        let image = match self.lexer.inline_image() {
                            Ok(image) => image,
                            Err(e) => {
                                self.failed = true;
                                return Some(Err(e));
                            }
                        };
                        self.operands.clear();
                        self.operands.push(Object::Dictionary(image));
                        return Some(Ok(("BI", &self.operands)));
                    }
                    word => {
                        let operator = std::str::from_utf8(word).unwrap_or("");
                        return Some(Ok((operator, &self.operands)));
                    }
                }
            } else {
                match self.lexer.object(0) {
                    Ok(object) => self.operands.push(object),
                    Err(e) => {
                        self.failed = true;
                        return Some(Err(e));
                    }
                }
            }
        }
    }
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn error(&self) -> ContentError {
        ContentError { offset: self.pos }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips white space and comments.
    fn skip_space(&mut self) {
        while let Some(byte) = self.peek() {
            if is_space(byte) {
                self.pos += 1;
            } else if byte == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A run of regular characters (an operator, keyword or number).
    fn word(&mut self) -> &[u8] {
        let start = self.pos;
        while self.peek().is_some_and(is_regular) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    fn object(&mut self, depth: usize) -> Result<Object, ContentError> {
        if depth > MAX_DEPTH {
            return Err(self.error());
        }
        self.skip_space();
        match self.peek().ok_or_else(|| self.error())? {
            b'/' => Ok(Object::Name(self.name())),
            b'(' => self.literal_string(),
            b'<' if self.bytes.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                Ok(Object::Dictionary(self.dictionary(depth + 1, b">>")?))
            }
            b'<' => self.hex_string(),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.peek() {
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Object::Array(items));
                        }
                        Some(_) => items.push(self.object(depth + 1)?),
                        None => return Err(self.error()),
                    }
                }
            }
            byte if is_number_start(byte) => self.number(),
            byte if is_regular(byte) => {
                let at = self.pos;
                match self.word() {
                    b"true" => Ok(Object::Boolean(true)),
                    b"false" => Ok(Object::Boolean(false)),
                    b"null" => Ok(Object::Null),
                    _ => Err(ContentError { offset: at }),
                }
            }
            _ => Err(self.error()),
        }
    }

    /// Key–value pairs up to `end` (`>>`, or `ID` for an inline image).
    fn dictionary(&mut self, depth: usize, end: &[u8]) -> Result<Dictionary, ContentError> {
        let mut dict = Dictionary::new();
        loop {
            self.skip_space();
            if self.bytes[self.pos..].starts_with(end) {
                self.pos += end.len();
                return Ok(dict);
            }
            if self.peek() != Some(b'/') {
                return Err(self.error());
            }
            let key = self.name();
            let value = self.object(depth)?;
            dict.set(key, value);
        }
    }

    fn name(&mut self) -> Vec<u8> {
        self.pos += 1; // the slash
        let mut name = Vec::new();
        while let Some(byte) = self.peek().filter(|&b| is_regular(b)) {
            self.pos += 1;
            let escaped = (byte == b'#')
                .then(|| self.bytes.get(self.pos..self.pos + 2))
                .flatten()
                .and_then(|hex| Some(hex_value(hex[0])? << 4 | hex_value(hex[1])?));
            match escaped {
                Some(decoded) => {
                    name.push(decoded);
                    self.pos += 2;
                }
                None => name.push(byte),
            }
        }
        name
    }

    fn number(&mut self) -> Result<Object, ContentError> {
        let at = self.pos;
        let word = self.word();
        let text = std::str::from_utf8(word).map_err(|_| ContentError { offset: at })?;
        if !text.contains('.')
            && let Ok(n) = text.parse::<i64>()
        {
            return Ok(Object::Integer(n));
        }
        // Reals are written without exponents; `3.` and `-.5` are valid.
        let digits = text.trim_start_matches(['+', '-']);
        let valid = !digits.is_empty()
            && digits != "."
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits.bytes().filter(|&b| b == b'.').count() <= 1;
        if !valid {
            return Err(ContentError { offset: at });
        }
        let padded = if digits.ends_with('.') { format!("{text}0") } else { text.to_owned() };
        padded.parse::<f32>().map(Object::Real).map_err(|_| ContentError { offset: at })
    }

    fn literal_string(&mut self) -> Result<Object, ContentError> {
        self.pos += 1; // (
        let mut text = Vec::new();
        let mut depth = 1;
        loop {
            let byte = self.peek().ok_or_else(|| self.error())?;
            self.pos += 1;
            match byte {
                b'(' => {
                    depth += 1;
                    text.push(byte);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(Object::String(text, StringFormat::Literal));
                    }
                    text.push(byte);
                }
                b'\\' => self.escape(&mut text)?,
                // An end of line in a string is a line feed, however it was written.
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    text.push(b'\n');
                }
                _ => text.push(byte),
            }
        }
    }

    /// The character after a backslash in a literal string.
    fn escape(&mut self, text: &mut Vec<u8>) -> Result<(), ContentError> {
        let byte = self.peek().ok_or_else(|| self.error())?;
        self.pos += 1;
        match byte {
            b'n' => text.push(b'\n'),
            b'r' => text.push(b'\r'),
            b't' => text.push(b'\t'),
            b'b' => text.push(0x08),
            b'f' => text.push(0x0c),
            b'0'..=b'7' => {
                let mut value = u32::from(byte - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(digit @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(digit - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                text.push(value as u8); // high-order overflow is ignored (7.3.4.2)
            }
            // A backslash at the end of a line continues the string on the next.
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            b'\n' => {}
            // `\(`, `\)`, `\\`, and any other character stands for itself.
            other => text.push(other),
        }
        Ok(())
    }

    fn hex_string(&mut self) -> Result<Object, ContentError> {
        self.pos += 1; // <
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let byte = self.peek().ok_or_else(|| self.error())?;
            self.pos += 1;
            if byte == b'>' {
                // An odd final digit is followed by an implied 0.
                if let Some(h) = high {
                    bytes.push(h << 4);
                }
                return Ok(Object::String(bytes, StringFormat::Hexadecimal));
            }
            if is_space(byte) {
                continue;
            }
            let value = hex_value(byte).ok_or(ContentError { offset: self.pos - 1 })?;
            match high.take() {
                Some(h) => bytes.push(h << 4 | value),
                None => high = Some(value),
            }
        }
    }

    /// After `BI`: the image dictionary, `ID`, the data, `EI`.
    fn inline_image(&mut self) -> Result<Dictionary, ContentError> {
        let dict = self.dictionary(1, b"ID")?;
        // One white-space character separates ID from the data (CR LF counts as one).
        if self.bytes[self.pos..].starts_with(b"\r\n") {
            self.pos += 2;
        } else if self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
        // The data ends at an `EI` with white space before it and white space or the end of
        // the stream after it.
        let data = &self.bytes[self.pos..];
        let end = (0..data.len())
            .find(|&i| {
                (i == 0 || is_space(data[i - 1]))
                    && data[i..].starts_with(b"EI")
                    && data.get(i + 2).is_none_or(|&b| is_space(b))
            })
            .ok_or_else(|| self.error())?;
        self.pos += end + 2;
        Ok(dict)
    }
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delimiter(byte: u8) -> bool {
    matches!(byte, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_regular(byte: u8) -> bool {
    !is_space(byte) && !is_delimiter(byte)
}

fn is_number_start(byte: u8) -> bool {
    byte.is_ascii_digit() || matches!(byte, b'+' | b'-' | b'.')
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::{Content, Operation};
    use proptest::prelude::*;

    /// Reads a whole content stream into its operations.
    fn decode(content: &[u8]) -> Result<Vec<Operation>, ContentError> {
        let mut decoder = Decoder::new(content);
        let mut operations = Vec::new();
        while let Some(operation) = decoder.next() {
            let (operator, operands) = operation?;
            operations
                .push(Operation { operator: operator.to_owned(), operands: operands.to_vec() });
        }
        Ok(operations)
    }

    /// Both readers, compared operation by operation.
    fn same_as_lopdf(content: &[u8]) {
        let ours = decode(content).expect("kaiho reads it");
        let theirs = Content::decode(content).expect("lopdf reads it").operations;
        assert_eq!(ours.len(), theirs.len());
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(
                (&a.operator, format!("{:?}", a.operands)),
                (&b.operator, format!("{:?}", b.operands))
            );
        }
    }

    #[test]
    fn every_kind_of_token_reads_as_lopdf_reads_it() {
        same_as_lopdf(
            b"% a comment\n q 1 0 0 -1 0 841.89 cm /DeviceCMYK cs 0 .5 1. -.25 sc\n\
              BT /F1 9.5 Tf [(Hello) -250 <48656c6c6f> 120.5 (W\\(o\\)rld\\\\)] TJ\n\
              (nested (parens) and \\101\\60\\n escapes) Tj <4 8 6> Tj /Name#20with#23 Tf ET\n\
              /Span << /MCID 3 /Alt (a) /Flags [true false null] >> BDC EMC Q\n",
        );
    }

    #[test]
    fn the_pages_of_vol10_read_as_lopdf_reads_them() {
        let vol10 = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/vol10.yaml"));
        let loaded = crate::project::load(vol10, None).expect("VOL.10 loads");
        let search = crate::fonts::FontSearch { system: true, ..Default::default() };
        let engine = crate::typeset::Engine::for_series(&loaded.series, &search, None).unwrap();
        let profile = crate::profile::Profile::Print;
        let typeset = engine.typeset(&loaded, &profile.for_layout(false)).expect("typesets");
        let date = crate::typeset::today(loaded.volume.date);
        let pdf =
            crate::export::pdf(&typeset.document, &loaded.series, &loaded.volume, date, profile)
                .expect("exports");
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        for (_, page) in doc.get_pages() {
            let content = doc.get_page_content(page);
            assert!(content.len() > 10_000, "a whole page of text");
            same_as_lopdf(&content);
        }
    }

    #[test]
    fn inline_images_are_one_operation_and_their_data_is_skipped() {
        let ops = decode(b"q BI /W 2 /H 1 /CS /G /BPC 8 ID \x00EI\xff\nEI Q").unwrap();
        let names: Vec<&str> = ops.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(names, ["q", "BI", "Q"]);
        let Object::Dictionary(dict) = &ops[1].operands[0] else { panic!("a dictionary") };
        assert_eq!(dict.get(b"CS").unwrap().as_name().unwrap(), b"G");
    }

    #[test]
    fn a_decoder_ends_at_an_error() {
        let mut decoder = Decoder::new(b"1 w ) 2 w");
        assert!(matches!(decoder.next(), Some(Ok(("w", _)))));
        assert!(matches!(decoder.next(), Some(Err(_))));
        assert!(decoder.next().is_none());
    }

    #[test]
    fn broken_streams_are_errors_not_panics() {
        for broken in [&b"(unclosed"[..], b"[1 2", b"<<", b"<4g>", b"1.2.3 w", b"<< /A >>", b")"] {
            assert!(decode(broken).is_err(), "{}", String::from_utf8_lossy(broken));
        }
        let deep = "[".repeat(100);
        assert!(decode(deep.as_bytes()).is_err());
    }

    fn operand() -> impl Strategy<Value = Object> {
        let leaf = prop_oneof![
            any::<i32>().prop_map(|n| Object::Integer(n.into())),
            (-100_000i32..100_000).prop_map(|n| Object::Real(n as f32 / 64.0)),
            "[A-Za-z0-9#_.-]{0,8}".prop_map(|s| Object::Name(s.into_bytes())),
            proptest::collection::vec(any::<u8>(), 0..12)
                .prop_map(|b| Object::String(b, StringFormat::Literal)),
            proptest::collection::vec(any::<u8>(), 0..12)
                .prop_map(|b| Object::String(b, StringFormat::Hexadecimal)),
            any::<bool>().prop_map(Object::Boolean),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            proptest::collection::vec(inner, 0..4).prop_map(Object::Array)
        })
    }

    proptest! {
        /// Whatever lopdf writes, both readers read back the same.
        #[test]
        fn written_operations_read_back_alike(
            ops in proptest::collection::vec(
                ("[a-zA-Z][a-zA-Z*'\"]{0,2}", proptest::collection::vec(operand(), 0..5)),
                0..12,
            )
        ) {
            let operations: Vec<Operation> = ops
                .into_iter()
                .filter(|(name, _)| !matches!(name.as_str(), "BI" | "ID" | "EI" | "true" | "false" | "null"))
                .map(|(name, operands)| Operation::new(&name, operands))
                .collect();
            let bytes = Content { operations }.encode().unwrap();
            same_as_lopdf(&bytes);
        }
    }
}
