//! Content streams read one operation at a time with hayro-syntax's parser, and told apart:
//! a stream read to its end, and one whose syntax broke part-way (the parser only stops).

use hayro_syntax::content::{Instruction, UntypedIter};
use hayro_syntax::object::Object;

/// The operations of one content stream.
pub struct Operations<'a> {
    data: &'a [u8],
    iter: UntypedIter<'a>,
    /// Offset just past the last operation read.
    read_to: usize,
}

impl<'a> Operations<'a> {
    /// The operations of `data` (a decoded content stream).
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, iter: UntypedIter::new(data), read_to: 0 }
    }

    /// The next operation; `None` at the end of the stream or where its syntax breaks
    /// ([`Operations::complete`] tells which). An inline image (`BI` … `EI`) is one
    /// operation `BI` whose operand is the image as a stream.
    #[allow(clippy::should_implement_trait)] // a lending iterator: items borrow the parser
    pub fn next(&mut self) -> Option<Instruction<'_, 'a>> {
        self.next_with_end().map(|(instruction, _)| instruction)
    }

    /// The next operation, as [`Operations::next`], and the offset just past it if it is
    /// known exactly (it is not for an inline image whose data could not be located): text
    /// inserted there falls between this operation and the next.
    pub fn next_with_end(&mut self) -> Option<(Instruction<'_, 'a>, Option<usize>)> {
        let instruction = self.iter.next()?;
        let base = self.data.as_ptr() as usize;
        let within = |bytes: &[u8]| {
            let start = (bytes.as_ptr() as usize).checked_sub(base)?;
            (start + bytes.len() <= self.data.len()).then_some(start + bytes.len())
        };
        let operator: &[u8] = instruction.operator;
        let mut end = within(operator);
        let mut exact = end;
        if operator == b"BI" {
            // The image data is followed by `EI`, which the parser consumed.
            exact = match instruction.operands().next() {
                Some(Object::Stream(image)) => match image.raw_data() {
                    std::borrow::Cow::Borrowed(data) if !data.is_empty() => {
                        within(data).map(|e| e + 2)
                    }
                    // Empty or decrypted data does not locate the end.
                    _ => None,
                },
                _ => None,
            };
            // Where it is not located, trust the parser for completeness.
            end = exact.or(end);
        }
        if let Some(end) = end {
            self.read_to = self.read_to.max(end);
        }
        Some((instruction, exact))
    }

    /// Whether the stream was read to its end: nothing but white space and comments follows
    /// the last operation. Meaningful once [`Operations::next`] returned `None`.
    pub fn complete(&self) -> bool {
        let mut rest = &self.data[self.read_to.min(self.data.len())..];
        loop {
            match rest.first() {
                None => return true,
                Some(b'%') => {
                    let line_end = rest.iter().position(|&b| b == b'\n' || b == b'\r');
                    rest = &rest[line_end.unwrap_or(rest.len())..];
                }
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0') => rest = &rest[1..],
                Some(_) => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The operators of `content`, and whether it was read to its end.
    fn read(content: &[u8]) -> (Vec<String>, bool) {
        let mut ops = Operations::new(content);
        let mut names = Vec::new();
        while let Some(op) = ops.next() {
            names.push(String::from_utf8_lossy(op.operator).into_owned());
        }
        (names, ops.complete())
    }

    #[test]
    fn a_whole_stream_is_complete() {
        let (ops, complete) =
            read(b"q 1 0 0 1 0 0 cm /F1 9 Tf (a\\)b) Tj [(x) -20 <41>] TJ Q % end\n");
        assert_eq!(ops, ["q", "cm", "Tf", "Tj", "TJ", "Q"]);
        assert!(complete);
    }

    #[test]
    fn each_operation_ends_where_its_operator_ends() {
        let content = b"q 1 0 0 1 5 5 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80EI [(a) 3] TJ Q";
        let mut ops = Operations::new(content);
        let mut ends = Vec::new();
        while let Some((_, end)) = ops.next_with_end() {
            ends.push(end.unwrap());
        }
        let after = |s: &[u8]| content.windows(s.len()).position(|w| w == s).unwrap() + s.len();
        assert_eq!(ends, [1, after(b"cm"), after(b"EI"), after(b"TJ"), content.len()]);
    }

    #[test]
    fn a_stream_that_breaks_is_not_complete() {
        for broken in [&b"1 w (never closed"[..], b"1 w [1 2", b"1 w <4g> Tj", b"1 w <<"] {
            let (ops, complete) = read(broken);
            assert_eq!(ops, ["w"], "{}", String::from_utf8_lossy(broken));
            assert!(!complete, "{}", String::from_utf8_lossy(broken));
        }
    }

    #[test]
    fn an_inline_image_at_the_end_is_complete() {
        let (ops, complete) = read(b"q BI /W 2 /H 1 /CS /G /BPC 8 ID \x00\xffEI");
        assert_eq!(ops, ["q", "BI"]);
        assert!(complete);
    }

    #[test]
    fn inline_image_data_containing_ei_is_skipped_whole() {
        // The data holds ` EI ` followed by binary bytes: the image ends at the second EI.
        let (ops, complete) =
            read(b"BI /W 8 /H 1 /CS /G /BPC 8 ID \x00 EI \xff(\x01\x02\nEI 0 0 1 rg");
        assert_eq!(ops, ["BI", "rg"]);
        assert!(complete);
    }
}
