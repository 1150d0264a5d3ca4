//! A small, strict-enough XML reader producing a flat node tree.
//!
//! Most success bodies skip the tree: `xml_stream.rs` reads
//! them straight into values and hands this reader only what it leaves
//! (error bodies, unions, attribute members, comments, CDATA, malformed
//! input), so this stays the reference for what XML means here.
//!
//! The XML protocols (query, ec2, rest-xml) only need elements, their text
//! and their attributes: no DTDs, no entity declarations, no namespaces
//! beyond stripping prefixes (botocore strips `{uri}` from every tag). A
//! hand-written reader over a `&str` keeps every tag name and most text as a
//! borrowed slice and builds all nodes into one `Vec`, which makes a 300 KB
//! S3 listing parse in well under a millisecond. The tree is built without
//! recursion and its depth is capped, so hostile input cannot blow the stack.
//!
//! Text follows ElementTree's `.text`: the character data before an
//! element's first child (entities resolved, CDATA included, `\r\n`
//! normalized to `\n`).

use super::MAX_DEPTH;
use crate::ParseError;
use std::borrow::Cow;

/// Index of a node in its [`Doc`].
pub(crate) type NodeId = u32;
const NONE: NodeId = u32::MAX;

#[derive(Debug)]
pub(crate) struct Node<'a> {
    /// The tag as written, prefix included.
    pub name: &'a str,
    /// The tag without its namespace prefix.
    pub local: &'a str,
    /// Raw attribute source (between the name and `>`), parsed on demand.
    attrs: &'a str,
    /// Character data before the first child element.
    pub text: Cow<'a, str>,
    /// Whether any character data was seen (ElementTree's `text is not None`).
    pub has_text: bool,
    first_child: NodeId,
    last_child: NodeId,
    next: NodeId,
}

/// A parsed document; node 0 is the root element.
#[derive(Debug)]
pub(crate) struct Doc<'a> {
    nodes: Vec<Node<'a>>,
}

fn err(msg: impl Into<String>, at: usize) -> ParseError {
    ParseError::new(format!("invalid XML at byte {at}: {}", msg.into()))
}

impl<'a> Doc<'a> {
    /// A document with one empty, nameless root (botocore's `ETree.Element('')`
    /// for an empty rest-xml body).
    pub fn empty() -> Doc<'static> {
        Doc {
            nodes: vec![new_node("", "", "")],
        }
    }

    pub fn parse(bytes: &'a [u8]) -> Result<Doc<'a>, ParseError> {
        let src = std::str::from_utf8(bytes)
            .map_err(|e| err(format!("not UTF-8 ({e})"), e.valid_up_to()))?;
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        Parser {
            src,
            b: src.as_bytes(),
            i: 0,
            nodes: Vec::with_capacity(bytes.len() / 32 + 1),
            stack: Vec::new(),
        }
        .run()
    }

    pub fn root(&self) -> NodeId {
        0
    }

    pub fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id as usize]
    }

    /// The child elements of `id`, in document order.
    pub fn children(&self, id: NodeId) -> Children<'_, 'a> {
        Children {
            doc: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    pub fn has_children(&self, id: NodeId) -> bool {
        self.nodes[id as usize].first_child != NONE
    }

    /// The first child whose local name is `name`.
    pub fn child(&self, id: NodeId, name: &str) -> Option<NodeId> {
        self.children(id).find(|&c| self.node(c).local == name)
    }

    /// The attributes of `id` as (qualified name, value) pairs.
    pub fn attributes(&self, id: NodeId) -> Vec<(&'a str, Cow<'a, str>)> {
        let mut out = Vec::new();
        let mut rest = self.nodes[id as usize].attrs;
        loop {
            rest = rest.trim_start();
            let Some(eq) = rest.find('=') else { break };
            let name = rest[..eq].trim();
            let after = rest[eq + 1..].trim_start();
            let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                break;
            };
            let Some(end) = after[1..].find(q) else { break };
            let raw = &after[1..1 + end];
            out.push((name, unescape(raw).unwrap_or(Cow::Borrowed(raw))));
            rest = &after[end + 2..];
        }
        out
    }
}

pub(crate) struct Children<'d, 'a> {
    doc: &'d Doc<'a>,
    next: NodeId,
}

impl Iterator for Children<'_, '_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.doc.nodes[id as usize].next;
        Some(id)
    }
}

fn new_node<'a>(name: &'a str, local: &'a str, attrs: &'a str) -> Node<'a> {
    Node {
        name,
        local,
        attrs,
        text: Cow::Borrowed(""),
        has_text: false,
        first_child: NONE,
        last_child: NONE,
        next: NONE,
    }
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    nodes: Vec<Node<'a>>,
    stack: Vec<NodeId>,
}

impl<'a> Parser<'a> {
    fn find(&self, pat: &str) -> Option<usize> {
        self.src.get(self.i..)?.find(pat).map(|p| p + self.i)
    }

    fn run(mut self) -> Result<Doc<'a>, ParseError> {
        let mut seen_root = false;
        while self.i < self.b.len() {
            let lt = memchr::memchr(b'<', &self.b[self.i..]).map_or(self.b.len(), |p| p + self.i);
            if lt > self.i {
                let raw = &self.src[self.i..lt];
                match self.stack.last() {
                    Some(&top) => self.add_text(top, raw, true)?,
                    None if raw.trim_ascii().is_empty() => {}
                    None => return Err(err("text outside the root element", self.i)),
                }
            }
            self.i = lt;
            if self.i >= self.b.len() {
                break;
            }
            let rest = &self.b[self.i..];
            // Most markup is a start or end tag: tell them apart by the
            // byte after `<` before trying the rarer forms.
            let second = rest.get(1).copied();
            if second == Some(b'/') && self.close_expected_tag() {
                continue;
            }
            if !matches!(second, Some(b'!' | b'?' | b'/')) {
                if seen_root && self.stack.is_empty() {
                    return Err(err("junk after the root element", self.i));
                }
                seen_root = true;
                self.start_tag()?;
            } else if rest.starts_with(b"<!--") {
                let end = self
                    .find("-->")
                    .ok_or_else(|| err("unterminated comment", self.i))?;
                self.i = end + 3;
            } else if rest.starts_with(b"<![CDATA[") {
                let top = *self
                    .stack
                    .last()
                    .ok_or_else(|| err("CDATA outside the root element", self.i))?;
                let end = self
                    .find("]]>")
                    .ok_or_else(|| err("unterminated CDATA section", self.i))?;
                let raw = &self.src[self.i + 9..end];
                self.add_text(top, raw, false)?;
                self.i = end + 3;
            } else if rest.starts_with(b"<?") {
                let end = self
                    .find("?>")
                    .ok_or_else(|| err("unterminated processing instruction", self.i))?;
                self.i = end + 2;
            } else if rest.starts_with(b"<!DOCTYPE") || rest.starts_with(b"<!doctype") {
                if seen_root {
                    return Err(err("DOCTYPE after the root element", self.i));
                }
                self.skip_doctype()?;
            } else if rest.starts_with(b"</") {
                let end = memchr::memchr(b'>', &self.b[self.i..])
                    .map(|p| p + self.i)
                    .ok_or_else(|| err("unterminated end tag", self.i))?;
                let name = self.src[self.i + 2..end].trim_end();
                let top = self
                    .stack
                    .pop()
                    .ok_or_else(|| err(format!("unexpected end tag </{name}>"), self.i))?;
                if !name_eq(self.nodes[top as usize].name, name) {
                    return Err(err(
                        format!(
                            "mismatched tag: expected </{}>, found </{name}>",
                            self.nodes[top as usize].name
                        ),
                        self.i,
                    ));
                }
                self.i = end + 1;
            } else {
                if seen_root && self.stack.is_empty() {
                    return Err(err("junk after the root element", self.i));
                }
                seen_root = true;
                self.start_tag()?;
            }
        }
        if let Some(&open) = self.stack.last() {
            return Err(err(
                format!(
                    "unexpected end of document inside <{}>",
                    self.nodes[open as usize].name
                ),
                self.i,
            ));
        }
        if !seen_root {
            return Err(err("no root element", self.i));
        }
        Ok(Doc { nodes: self.nodes })
    }

    /// At `</`: closes the innermost open element if the end tag names it
    /// exactly (`</Key>`, no space before `>`), the common case; false
    /// leaves everything else, errors included, to the general path.
    #[inline]
    fn close_expected_tag(&mut self) -> bool {
        let Some(&top) = self.stack.last() else {
            return false;
        };
        let name = self.nodes[top as usize].name.as_bytes();
        let at = self.i + 2;
        let end = at + name.len();
        if self.b.get(end) == Some(&b'>') && self.b[at..end] == *name {
            self.stack.pop();
            self.i = end + 1;
            true
        } else {
            false
        }
    }

    fn start_tag(&mut self) -> Result<(), ParseError> {
        let tag = scan_start_tag(self.b, self.i).map_err(|e| {
            let name = &self.src[self.i + 1..e.name_end];
            match e.kind {
                TagErrorKind::BadName => err(format!("invalid tag name {name:?}"), self.i),
                TagErrorKind::Unterminated => {
                    err(format!("unterminated start tag <{name}"), self.i)
                }
                TagErrorKind::LtInside(at) => err(format!("'<' inside start tag <{name}"), at),
            }
        })?;
        let (j, k, self_closing) = (tag.name_end, tag.gt, tag.empty);
        let name = &self.src[self.i + 1..j];
        let local_start = tag.local;
        let attrs = &self.src[j..if self_closing { k - 1 } else { k }];
        if self.nodes.len() >= u32::MAX as usize - 1 {
            return Err(err("too many elements", self.i));
        }
        let id = self.nodes.len() as NodeId;
        self.nodes
            .push(new_node(name, &self.src[local_start..j], attrs));
        if let Some(&parent) = self.stack.last() {
            let p = &mut self.nodes[parent as usize];
            if p.last_child == NONE {
                p.first_child = id;
            } else {
                let last = p.last_child as usize;
                self.nodes[last].next = id;
            }
            self.nodes[parent as usize].last_child = id;
        }
        if !self_closing {
            if self.stack.len() >= MAX_DEPTH {
                return Err(err(
                    format!("nesting deeper than {MAX_DEPTH} elements"),
                    self.i,
                ));
            }
            self.stack.push(id);
        }
        self.i = k + 1;
        Ok(())
    }

    fn skip_doctype(&mut self) -> Result<(), ParseError> {
        let mut k = self.i + 2;
        let mut bracket = false;
        while let Some(&c) = self.b.get(k) {
            match c {
                b'[' => bracket = true,
                b']' => bracket = false,
                b'>' if !bracket => {
                    self.i = k + 1;
                    return Ok(());
                }
                _ => {}
            }
            k += 1;
        }
        Err(err("unterminated DOCTYPE", self.i))
    }

    /// Appends character data to `id`'s text, unless it already has a child
    /// (then it is tail text, which ElementTree keeps elsewhere and botocore ignores).
    fn add_text(&mut self, id: NodeId, raw: &'a str, escaped: bool) -> Result<(), ParseError> {
        let piece = if escaped {
            unescape(raw).map_err(|m| err(m, self.i))?
        } else if raw.contains('\r') {
            Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(raw)
        };
        let node = &mut self.nodes[id as usize];
        if node.first_child != NONE {
            return Ok(());
        }
        node.has_text = true;
        if node.text.is_empty() {
            node.text = piece;
        } else {
            node.text.to_mut().push_str(&piece);
        }
        Ok(())
    }
}

/// A start tag's extent, scanned from its `<`: shared by the tree and the
/// streaming reader (`xml_stream.rs`), so both read tag syntax the same way.
pub(crate) struct StartTag {
    /// Where the name ends (the first space, `/` or `>` after it).
    pub name_end: usize,
    /// Where the name's local part starts (after its last `:`).
    pub local: usize,
    /// The closing `>`.
    pub gt: usize,
    /// `<Name .../>`.
    pub empty: bool,
}

pub(crate) struct TagError {
    pub name_end: usize,
    pub kind: TagErrorKind,
}

pub(crate) enum TagErrorKind {
    /// Empty, or a byte no name may hold.
    BadName,
    /// No `>` before the end of the input.
    Unterminated,
    /// A `<` (at this offset) before the `>`.
    LtInside(usize),
}

/// Scans the start tag whose `<` is at `lt`: the name (one pass finds its
/// end and local part and vets its bytes), then the `>`, skipping quoted
/// attribute values.
#[inline(always)]
pub(crate) fn scan_start_tag(b: &[u8], lt: usize) -> Result<StartTag, TagError> {
    let start = lt + 1;
    let mut j = start;
    let mut local = start;
    let mut bad = false;
    while let Some(&c) = b.get(j) {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>' => break,
            b':' => local = j + 1,
            b'<' | b'"' | b'\'' | b'=' | b'&' | b'!' | b'?' => bad = true,
            _ => {}
        }
        j += 1;
    }
    let fail = |kind| Err(TagError { name_end: j, kind });
    if j == start || bad {
        return fail(TagErrorKind::BadName);
    }
    let mut k = j;
    if b.get(k) != Some(&b'>') {
        let mut quote = 0u8;
        loop {
            let Some(&c) = b.get(k) else {
                return fail(TagErrorKind::Unterminated);
            };
            if quote != 0 {
                if c == quote {
                    quote = 0;
                }
            } else if c == b'"' || c == b'\'' {
                quote = c;
            } else if c == b'>' {
                break;
            } else if c == b'<' {
                return fail(TagErrorKind::LtInside(k));
            }
            k += 1;
        }
    }
    Ok(StartTag {
        name_end: j,
        local,
        gt: k,
        empty: k > j && b[k - 1] == b'/',
    })
}

/// Whether two tag names are equal. Names are short, so this compares them
/// with at most two overlapping word loads each instead of calling `memcmp`
/// (a `memcmp` call per tag was a tenth of a 1,000-key listing's parse).
#[inline]
pub(crate) fn name_eq(a: &str, b: &str) -> bool {
    name_eq_bytes(a.as_bytes(), b.as_bytes())
}

/// [`name_eq`] on bytes (an end tag is compared before it is known to be a
/// whole `str`).
#[inline]
pub(crate) fn name_eq_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let w8 = |s: &[u8], i: usize| u64::from_ne_bytes(s[i..i + 8].try_into().expect("8 bytes"));
    let w4 = |s: &[u8], i: usize| u32::from_ne_bytes(s[i..i + 4].try_into().expect("4 bytes"));
    match n {
        0 => true,
        1..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        4..=7 => w4(a, 0) == w4(b, 0) && w4(a, n - 4) == w4(b, n - 4),
        8..=16 => w8(a, 0) == w8(b, 0) && w8(a, n - 8) == w8(b, n - 8),
        _ => a == b,
    }
}

#[path = "xml_escape.rs"]
mod escape;
pub(crate) use escape::{unescape, unescape_into};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_eq_agrees_with_str_eq_at_every_length() {
        let base = "ListBucketResultContentsKey-xyz";
        for n in 0..base.len() {
            let a = &base[..n];
            assert!(name_eq(a, a), "{a:?}");
            for i in 0..n {
                // One byte changed anywhere, at every length.
                let mut b = a.as_bytes().to_vec();
                b[i] ^= 0x20;
                let b = String::from_utf8(b).unwrap();
                assert_eq!(name_eq(a, &b), a == b, "{a:?} vs {b:?}");
            }
            assert!(!name_eq(a, &base[..n + 1]));
        }
    }

    #[test]
    fn builds_tree_with_text_and_attributes() {
        let x = br#"<?xml version="1.0"?><a:Root xmlns:a="u" k='v&amp;'><B>x &lt; y</B><!-- c --><C/><B><![CDATA[<raw>]]></B>tail</a:Root>"#;
        let d = Doc::parse(x).unwrap();
        let root = d.root();
        assert_eq!(d.node(root).local, "Root");
        let kids: Vec<_> = d.children(root).map(|c| d.node(c).local).collect();
        assert_eq!(kids, ["B", "C", "B"]);
        let b: Vec<_> = d
            .children(root)
            .map(|c| d.node(c).text.to_string())
            .collect();
        assert_eq!(b, ["x < y", "", "<raw>"]);
        assert!(!d.node(d.child(root, "C").unwrap()).has_text);
        assert_eq!(d.attributes(root)[1], ("k", Cow::Borrowed("v&")));
    }

    #[test]
    fn normalizes_newlines_and_char_refs() {
        let d = Doc::parse(b"<a>1\r\n2\r3&#xD;&#65;</a>").unwrap();
        assert_eq!(d.node(0).text, "1\n2\n3\rA");
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            &b""[..],
            b"   ",
            b"<a>",
            b"<a></b>",
            b"<a></a><b/>",
            b"junk<a/>",
            b"<a>&bogus;</a>",
            b"<a x='1></a>",
            b"<a><!-- </a>",
            b"\xff<a/>",
            b"</a>",
        ] {
            assert!(
                Doc::parse(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn start_tag_errors_say_what_is_wrong() {
        for (bad, says) in [
            (&b"<a\"b/>"[..], "invalid tag name \"a\\\"b\""),
            (b"<>", "invalid tag name \"\""),
            (b"<a x='1'", "unterminated start tag <a"),
            (b"<a x='>'", "unterminated start tag <a"),
            (b"<a <b>", "at byte 3: '<' inside start tag <a"),
        ] {
            let e = Doc::parse(bad).unwrap_err().message;
            assert!(e.contains(says), "{e} (wanted {says})");
        }
    }

    #[test]
    fn depth_is_capped() {
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(Doc::parse(deep.as_bytes())
            .unwrap_err()
            .message
            .contains("nesting"));
        let ok = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(Doc::parse(ok.as_bytes()).is_ok());
    }
}
