//! XML outputs read straight from the text into [`Value`]: no node tree.
//! rest-xml payloads here, the query and ec2 front (result wrapper, request
//! id) in `xml_stream_query.rs`.
//!
//! Why: the tree path (`xml.rs` builds every element into a node, then
//! `xml_walk.rs` walks the nodes, as botocore's `ElementTree` plus
//! `BaseXMLResponseParser` do) touches every element twice and stores it once
//! in between. On a 1,000-key S3 listing that tree was over half the parse.
//! This reader walks the model and the text together, one element at a time,
//! and converts each scalar as its end tag is reached.
//!
//! It reads the documents services send: elements, text with entities,
//! attributes where no member is read from one, processing instructions
//! around the root. Anything else gives up (returns `None`) and the caller
//! parses the same body through the tree: comments, CDATA, a DOCTYPE, a
//! repeated member that is not a flattened list or map, a scalar with child
//! elements, a union, a document, an exception, an attribute member, a
//! flattened list named two ways, a map entry with an unknown element or no
//! string key, malformed XML, a value that does not convert. So this
//! never has to produce an error or agree with the tree on odd input; it only
//! has to produce the tree's result on the input it accepts, which the unit
//! tests here (every one-byte edit of real bodies), the output suite's
//! `protocol-output-stream` line and `parsers_never_panic` check.

use super::scratch::Scratch;
use super::xml::{name_eq_bytes, scan_start_tag, unescape, unescape_into, StartTag};
use super::{scalar_from_text, MAX_DEPTH};
use boto_model::{
    Key, Map, MemberRef, ServiceModel, ShapeId, ShapeKind, Str, StructureShape, Value,
};
use std::borrow::Cow;

/// The body of `r`'s structure, or `None` to leave it to the tree.
pub(crate) fn payload(model: &ServiceModel, r: &MemberRef, body: &[u8]) -> Option<Value> {
    let ShapeKind::Structure(s) = &model.shape(r.target).kind else {
        return None;
    };
    let mut st = Stream::new(model, body)?;
    let root = st.prolog()?;
    st.structure(r.target, s, root, Key::default())?;
    st.epilog()?;
    st.entries.pop().map(|(_, v)| v)
}

/// A start tag just read.
#[derive(Clone, Copy)]
struct Tag<'a> {
    /// As written, prefix included (what the end tag must repeat).
    name: &'a str,
    /// Without its namespace prefix (what members are matched by).
    local: &'a str,
    /// `<Name/>`: no content and no end tag.
    empty: bool,
}

struct Stream<'m, 'a> {
    model: &'m ServiceModel,
    src: &'a str,
    b: &'a [u8],
    i: usize,
    depth: usize,
    /// Values read and not yet in a container (a list item's key is empty):
    /// one scratch stack instead of a vector per structure, and values are
    /// pushed where they will stay rather than returned and moved.
    entries: Vec<(Key, Value)>,
    /// For each member of an open structure on `entries`, its index in the
    /// structure (model order).
    members: Vec<u32>,
    /// Spare buffers for flattened lists while they grow.
    lists: Vec<Vec<Value>>,
    plans: Vec<Plan<'m>>,
    /// The root's child that holds the request id (query and ec2 outputs).
    metadata: Option<&'static str>,
    found_metadata: Option<Value>,
    /// Escaped string text is unescaped here, then copied out at its size.
    unescaped: String,
    /// The searcher for the end of character data (see [`TextEnd`]).
    text_end: TextEnd,
}

impl Drop for Stream<'_, '_> {
    fn drop(&mut self) {
        Scratch {
            entries: std::mem::take(&mut self.entries),
            members: std::mem::take(&mut self.members),
            lists: std::mem::take(&mut self.lists),
        }
        .give_back();
    }
}

impl<'m, 'a> Stream<'m, 'a> {
    fn new(model: &'m ServiceModel, body: &'a [u8]) -> Option<Self> {
        let src = std::str::from_utf8(body).ok()?;
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        let scratch = Scratch::take();
        Some(Stream {
            model,
            src,
            b: src.as_bytes(),
            i: 0,
            depth: 0,
            entries: scratch.entries,
            members: scratch.members,
            lists: scratch.lists,
            plans: Vec::new(),
            metadata: None,
            found_metadata: None,
            unescaped: String::new(),
            text_end: TextEnd::new(),
        })
    }

    /// The character data up to the next markup (or the end), and whether
    /// it reads as written (no `&` to resolve, no `\r` to normalize). One
    /// scan in the usual case, none between adjacent tags.
    #[inline(always)]
    fn text(&mut self) -> (&'a str, bool) {
        let start = self.i;
        if self.b.get(start) == Some(&b'<') {
            return ("", true);
        }
        let rest = &self.b[start..];
        let (lt, plain) = match self.text_end.find(rest) {
            Some(p) if rest[p] == b'<' => (start + p, true),
            Some(p) => (
                self.text_end
                    .find_lt(&rest[p..])
                    .map_or(self.b.len(), |q| start + p + q),
                false,
            ),
            None => (self.b.len(), true),
        };
        self.i = lt;
        (&self.src[start..lt], plain)
    }

    /// Character data nothing reads (between elements): the tree would still
    /// reject a bad entity in it. Between adjacent tags (nearly always in
    /// a response) it is one compare in line; a call each time was 2.7% of
    /// a listing parse's instructions.
    #[inline(always)]
    fn ignored_text(&mut self) -> Option<()> {
        if self.b.get(self.i) == Some(&b'<') {
            return Some(());
        }
        self.ignored_run()
    }

    /// [`ignored_text`](Self::ignored_text) past the first byte.
    #[inline(never)]
    fn ignored_run(&mut self) -> Option<()> {
        let (t, plain) = self.text();
        if !plain {
            unescape(t).ok()?;
        }
        Some(())
    }

    /// At `<`: the byte after it, if this is markup at all.
    #[inline]
    fn markup(&self) -> Option<u8> {
        if self.b.get(self.i) != Some(&b'<') {
            return None;
        }
        self.b.get(self.i + 1).copied()
    }

    /// The next child element of the open element `parent`, or `Some(None)`
    /// at `parent`'s end tag. `None` gives up: comments, CDATA, processing
    /// instructions and any other end tag are the tree's.
    #[inline(always)]
    fn next_child(&mut self, parent: &str) -> Option<Option<Tag<'a>>> {
        self.ignored_text()?;
        match self.markup()? {
            b'/' if self.end_tag(parent) => Some(None),
            b'/' | b'!' | b'?' => None,
            _ => self.start_tag().map(Some),
        }
    }

    /// At `</`: consumes `</name>` exactly, or leaves everything and says no.
    #[inline]
    fn end_tag(&mut self, name: &str) -> bool {
        let at = self.i + 2;
        let end = at + name.len();
        if self.b.get(end) == Some(&b'>') && name_eq_bytes(&self.b[at..end], name.as_bytes()) {
            self.i = end + 1;
            true
        } else {
            false
        }
    }

    /// At `<` of a start tag: reads it, attributes skipped. Inlined: a
    /// returned `Tag` went through memory, and reading it back stalled.
    #[inline(always)]
    fn start_tag(&mut self) -> Option<Tag<'a>> {
        let start = self.i + 1;
        let StartTag {
            name_end: j,
            local,
            gt,
            empty,
        } = scan_start_tag(self.b, self.i).ok()?;
        // An empty local name would match the members read from headers.
        if local >= j {
            return None;
        }
        self.i = gt + 1;
        Some(Tag {
            name: &self.src[start..j],
            local: &self.src[local..j],
            empty,
        })
    }

    /// Up to the root's start tag: whitespace and processing instructions.
    fn prolog(&mut self) -> Option<Tag<'a>> {
        loop {
            if !self.text().0.trim_ascii().is_empty() {
                return None;
            }
            match self.markup()? {
                b'?' => self.skip_pi()?,
                b'!' | b'/' => return None,
                _ => return self.start_tag(),
            }
        }
    }

    /// After the root: only whitespace and processing instructions.
    fn epilog(&mut self) -> Option<()> {
        loop {
            if !self.text().0.trim_ascii().is_empty() {
                return None;
            }
            if self.i >= self.b.len() {
                return Some(());
            }
            match self.markup()? {
                b'?' => self.skip_pi()?,
                _ => return None,
            }
        }
    }

    fn skip_pi(&mut self) -> Option<()> {
        let end = memchr::memmem::find(&self.b[self.i..], b"?>")?;
        self.i += end + 2;
        Some(())
    }

    /// An element no member reads, with everything in it.
    fn skip(&mut self, tag: Tag<'a>) -> Option<()> {
        if tag.empty {
            return Some(());
        }
        let mut open = vec![tag.name];
        while let Some(&top) = open.last() {
            self.ignored_text()?;
            match self.markup()? {
                b'/' if self.end_tag(top) => {
                    open.pop();
                }
                b'/' | b'!' | b'?' => return None,
                _ => {
                    let t = self.start_tag()?;
                    if !t.empty {
                        if self.depth + open.len() >= MAX_DEPTH {
                            return None;
                        }
                        open.push(t.name);
                    }
                }
            }
        }
        Some(())
    }

    /// At `<`: the start tag `<name>` exactly, or `None` (nothing consumed).
    /// `name` has none of the bytes that end a tag name or separate a prefix.
    #[inline(always)]
    fn expect_name(&mut self, name: &str) -> Option<Tag<'a>> {
        let at = self.i + 1;
        let end = at + name.len();
        if self.b.get(end) != Some(&b'>') || !name_eq_bytes(&self.b[at..end], name.as_bytes()) {
            return None;
        }
        self.i = end + 1;
        let name = &self.src[at..end];
        Some(Tag {
            name,
            local: name,
            empty: false,
        })
    }

    #[inline(always)]
    fn push(&mut self, key: Key, v: Value) {
        super::push_entry(&mut self.entries, key, v);
    }

    /// A structure's members from the children of `tag`, in model order,
    /// pushed under `key`.
    fn structure(
        &mut self,
        id: ShapeId,
        s: &'m StructureShape,
        tag: Tag<'a>,
        key: Key,
    ) -> Option<()> {
        let plan = self.plan(id, s)?;
        if tag.empty {
            self.push(key, Value::Map(Map::new()));
            return Some(());
        }
        self.enter()?;
        let base = self.entries.len();
        let ibase = self.members.len();
        let (mut seen, mut last, mut in_order) = (0u64, 0, true);
        // A flattened list got a second item (its vector may have slack).
        let mut grown = false;
        let mut hint = 0;
        // The member before this child (`names.len()` at the first).
        let mut prev = s.members.len();
        // The plan as this walk uses it per child, held here (see
        // `expect_child`); the order learnt is written back at the end.
        let (names, plain, mut follow) = {
            let p = &self.plans[plan];
            (std::rc::Rc::clone(&p.names), p.plain, p.follow)
        };
        loop {
            self.ignored_text()?;
            let (child, expected) = match self.markup()? {
                b'/' if self.end_tag(tag.name) => break,
                b'/' | b'!' | b'?' => return None,
                _ => {
                    let next = usize::from(follow[prev]);
                    match self.expect_child(&names, plain, next) {
                        Some(t) => (t, Some(next)),
                        None => (self.start_tag()?, None),
                    }
                }
            };
            let j = match expected {
                Some(j) => {
                    hint = j;
                    j
                }
                None => match self.slot(plan, child.local, &mut hint) {
                    Some(j) => j,
                    None => {
                        self.root_child(child)?;
                        continue;
                    }
                },
            };
            follow[prev] = j as u8;
            prev = j;
            let m = &s.members[j];
            if seen & (1 << j) == 0 {
                seen |= 1 << j;
                self.member(m, child, m.name.clone())?;
                self.members.push(j as u32);
                in_order &= j >= last;
                last = j;
            } else if self.plans[plan].flat & (1 << j) != 0 {
                // The next item of a flattened list, or entry of a flattened map.
                let at = self.members[ibase..].iter().position(|&i| i == j as u32)?;
                match &self.model.shape(m.target).kind {
                    ShapeKind::List { member } => {
                        self.member(member, child, Key::default())?;
                        super::pop_into_list(&mut self.entries, base + at, &mut self.lists)?;
                        grown = true;
                    }
                    ShapeKind::Map { key, value } => {
                        let (k, v) = self.map_entry(key, value, child)?;
                        match &mut self.entries[base + at].1 {
                            Value::Map(map) => {
                                map.insert(k, v);
                            }
                            _ => return None,
                        }
                    }
                    _ => return None,
                }
            } else {
                return None;
            }
        }
        self.depth -= 1;
        self.plans[plan].follow = follow;
        if grown {
            self.fit_flat_lists(base);
        }
        if in_order {
            // One copy into a vector of exactly this size, assembled in
            // its slot (see `push_struct`).
            self.members.truncate(ibase);
            super::push_struct(&mut self.entries, base, key);
        } else {
            super::push_reordered(&mut self.entries, &mut self.members, base, ibase, key);
        }
        Some(())
    }

    /// Gives each flattened list of the structure closing (its members
    /// from `base`) a vector of its exact size, and keeps the buffer it grew
    /// in for the next one.
    #[inline(never)]
    fn fit_flat_lists(&mut self, base: usize) {
        for (_, v) in &mut self.entries[base..] {
            if let Value::List(items) = v {
                if items.capacity() != items.len() {
                    let mut exact = Vec::with_capacity(items.len());
                    exact.append(items);
                    let spare = std::mem::replace(items, exact);
                    if self.lists.len() < super::scratch::KEEP_LISTS {
                        self.lists.push(spare);
                    }
                }
            }
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth < MAX_DEPTH).then_some(())
    }

    /// The value of member `r` from its element `tag`, pushed under `key`.
    fn member(&mut self, r: &'m MemberRef, tag: Tag<'a>, key: Key) -> Option<()> {
        let model = self.model;
        let v = match &model.shape(r.target).kind {
            ShapeKind::Structure(s) => return self.structure(r.target, s, tag, key),
            ShapeKind::List { member } if model.flattened(r) => {
                self.member(member, tag, Key::default())?;
                return super::wrap_top_in_list(&mut self.entries, key);
            }
            ShapeKind::List { member } => {
                if tag.empty {
                    self.push(key, Value::List(Vec::new()));
                    return Some(());
                }
                self.enter()?;
                let base = self.entries.len();
                // Items repeat one element name (`member`, `item`): after
                // the first, the next is tried as that name before a scan.
                let mut prev: Option<&'a str> = None;
                loop {
                    self.ignored_text()?;
                    let child = match self.markup()? {
                        b'/' if self.end_tag(tag.name) => break,
                        b'/' | b'!' | b'?' => return None,
                        _ => match prev.and_then(|n| self.expect_name(n)) {
                            Some(t) => t,
                            None => self.start_tag()?,
                        },
                    };
                    // A scanned name without a prefix has no byte that
                    // ends a name or separates a prefix.
                    if child.name.len() == child.local.len() {
                        prev = Some(child.name);
                    }
                    self.member(member, child, Key::default())?;
                }
                self.depth -= 1;
                super::push_list(&mut self.entries, base, key);
                return Some(());
            }
            ShapeKind::Map { key, value } => {
                let mut out = Map::new();
                if model.flattened(r) {
                    let (k, v) = self.map_entry(key, value, tag)?;
                    out.insert(k, v);
                } else if !tag.empty {
                    self.enter()?;
                    while let Some(child) = self.next_child(tag.name)? {
                        let (k, v) = self.map_entry(key, value, child)?;
                        out.insert(k, v);
                    }
                    self.depth -= 1;
                }
                Value::Map(out)
            }
            ShapeKind::String => Value::String(self.scalar_str(tag)?),
            kind => {
                let text = self.scalar_text(tag)?;
                let v = scalar_from_text(kind, &text, false);
                return super::push_result(&mut self.entries, key, v).ok();
            }
        };
        self.push(key, v);
        Some(())
    }

    /// One map entry from its element `tag`: the key's and the value's
    /// elements (named by the model, `key` and `value` by default) in any
    /// order, a repeat replacing; a string key, as the tree requires.
    fn map_entry(
        &mut self,
        key: &'m MemberRef,
        value: &'m MemberRef,
        tag: Tag<'a>,
    ) -> Option<(Key, Value)> {
        if tag.empty {
            return None;
        }
        let key_name = self.model.location_name(key).unwrap_or("key");
        let value_name = self.model.location_name(value).unwrap_or("value");
        let (mut k, mut v) = (None, None);
        self.enter()?;
        while let Some(child) = self.next_child(tag.name)? {
            let slot = if child.local == key_name {
                self.member(key, child, Key::default())?;
                &mut k
            } else if child.local == value_name {
                self.member(value, child, Key::default())?;
                &mut v
            } else {
                return None;
            };
            *slot = Some(self.entries.pop()?.1);
        }
        self.depth -= 1;
        match (k?, v?) {
            (Value::String(k), v) => Some((k, v)),
            _ => None,
        }
    }

    /// A string element's text, as [`scalar_text`](Self::scalar_text)
    /// reads it, as a `Str`: escaped text is unescaped into the stream's
    /// buffer and copied out once, at its final size.
    #[inline]
    fn scalar_str(&mut self, tag: Tag<'a>) -> Option<Str> {
        if tag.empty {
            return Some(Str::default());
        }
        let (raw, plain) = self.text();
        if self.markup()? != b'/' || !self.end_tag(tag.name) {
            return None;
        }
        if plain {
            return Some(raw.into());
        }
        self.unescaped.clear();
        unescape_into(raw, &mut self.unescaped).ok()?;
        Some(self.unescaped.as_str().into())
    }

    /// A scalar element's text, through its end tag: no child elements.
    /// Empty for `<Name/>` and `<Name></Name>` alike.
    #[inline]
    fn scalar_text(&mut self, tag: Tag<'a>) -> Option<Cow<'a, str>> {
        if tag.empty {
            return Some(Cow::Borrowed(""));
        }
        let (raw, plain) = self.text();
        if self.markup()? != b'/' || !self.end_tag(tag.name) {
            return None;
        }
        if plain {
            Some(Cow::Borrowed(raw))
        } else {
            unescape(raw).ok()
        }
    }
}

#[path = "xml_stream_text.rs"]
mod text;
use text::TextEnd;

#[path = "xml_stream_plan.rs"]
mod plan;
use plan::Plan;

#[path = "xml_stream_query.rs"]
mod query;
pub(crate) use query::query_output;

#[cfg(test)]
#[path = "xml_stream_tests.rs"]
mod tests;
