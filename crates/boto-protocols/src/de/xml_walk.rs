//! Shape-directed walk over an XML tree, shared by query, ec2 and rest-xml:
//! for error bodies and for what the streaming reader (`xml_stream.rs`)
//! leaves, and the reference the stream's tests compare against.
//!
//! This mirrors botocore's `BaseXMLResponseParser`: a structure groups its
//! children by (namespace-less) tag, repeated tags become a node list,
//! flattened lists and maps take the repeated nodes themselves, wrapped ones
//! iterate the wrapper's children whatever their tag, and scalars convert the
//! element text (`int()`, `float()`, `== "true"`, timestamp, base64). The
//! generic dict of error bodies (`_replace_nodes`) lives here too.

use super::xml::{Doc, NodeId};
use super::{located, scalar_from_text, wire_name};
use crate::ParseError;
use boto_model::{Map, MemberRef, ServiceModel, ShapeId, ShapeKind, StructureShape, Value};

/// The nodes a member matched: one element, or several with the same tag.
pub(crate) enum Sel {
    One(NodeId),
    Many(Vec<NodeId>),
}

impl Sel {
    fn first(&self) -> NodeId {
        match self {
            Sel::One(n) => *n,
            Sel::Many(v) => v[0],
        }
    }
}

const INLINE_SLOTS: usize = 24;

/// Where a member's elements are among a structure's children.
#[derive(Clone, Copy)]
struct Slot<'m> {
    /// The member's element name; empty for members read from elsewhere.
    name: &'m str,
    first: NodeId,
    count: u32,
}

impl Slot<'_> {
    const EMPTY: Slot<'static> = Slot {
        name: "",
        first: 0,
        count: 0,
    };
}

pub(crate) struct XmlWalker<'m, 'd, 'a> {
    pub model: &'m ServiceModel,
    pub doc: &'d Doc<'a>,
    /// EC2 nests error members in `<Response><Errors><Error>`.
    pub ec2: bool,
}

/// botocore's `_member_key_name`: a flattened list with a named member is
/// keyed by the member's name, anything else by its own wire name.
pub(crate) fn member_key_name<'m>(model: &'m ServiceModel, m: &'m MemberRef) -> &'m str {
    if let ShapeKind::List { member } = &model.shape(m.target).kind {
        if model.flattened(m) {
            if let Some(n) = model.location_name(member) {
                return n;
            }
        }
    }
    wire_name(model, m)
}

impl XmlWalker<'_, '_, '_> {
    /// botocore's `_get_error_root`.
    fn error_root(&self, node: NodeId) -> NodeId {
        let d = self.doc;
        if self.ec2 {
            for c in d.children(node) {
                if d.node(c).local == "Errors" {
                    if let Some(e) = d.child(c, "Error") {
                        return e;
                    }
                }
            }
            node
        } else if d.node(node).local == "ErrorResponse" {
            d.child(node, "Error").unwrap_or(node)
        } else {
            node
        }
    }

    pub fn value(&self, r: &MemberRef, sel: &Sel) -> Result<Value, ParseError> {
        let model = self.model;
        let shape = model.shape(r.target);
        match &shape.kind {
            ShapeKind::Structure(s) => {
                if s.document {
                    return Ok(generic(self.doc, sel.first()));
                }
                self.structure(r.target, s, sel.first()).map(Value::Map)
            }
            ShapeKind::List { member } => {
                let owned: Vec<NodeId>;
                let items: &[NodeId] = match (model.flattened(r), sel) {
                    (true, Sel::One(n)) => std::slice::from_ref(n),
                    (_, Sel::Many(v)) => v,
                    (false, Sel::One(n)) => {
                        owned = self.doc.children(*n).collect();
                        &owned
                    }
                };
                let mut out = Vec::with_capacity(items.len());
                // A list of plain structures (a listing page): find where each
                // member's element is named once, not once per item.
                if let ShapeKind::Structure(s) = &model.shape(member.target).kind {
                    if !(s.document || s.union || s.exception) {
                        let names = self.slot_names(s);
                        for &item in items {
                            out.push(Value::Map(self.fields(s, item, Some(&names))?));
                        }
                        return Ok(Value::List(out));
                    }
                }
                for &item in items {
                    out.push(self.value(member, &Sel::One(item))?);
                }
                Ok(Value::List(out))
            }
            ShapeKind::Map { key, value } => {
                let owned: Vec<NodeId>;
                let entries: &[NodeId] = match (model.flattened(r), sel) {
                    (true, Sel::One(n)) => std::slice::from_ref(n),
                    (_, Sel::Many(v)) => v,
                    (false, Sel::One(n)) => {
                        owned = self.doc.children(*n).collect();
                        &owned
                    }
                };
                let key_name = model.location_name(key).unwrap_or("key");
                let value_name = model.location_name(value).unwrap_or("value");
                let mut out = Map::with_capacity(entries.len());
                for &entry in entries {
                    let (mut k, mut v) = (None, None);
                    for c in self.doc.children(entry) {
                        let tag = self.doc.node(c).local;
                        if tag == key_name {
                            k = Some(self.value(key, &Sel::One(c))?);
                        } else if tag == value_name {
                            v = Some(self.value(value, &Sel::One(c))?);
                        } else {
                            return Err(ParseError::new(format!(
                                "unknown tag <{tag}> in a map entry"
                            )));
                        }
                    }
                    let k = match k {
                        Some(Value::String(s)) => s,
                        Some(other) => format!("{other:?}").into(),
                        None => {
                            return Err(ParseError::new(format!(
                                "map entry without a <{key_name}>"
                            )))
                        }
                    };
                    let v = v.ok_or_else(|| {
                        ParseError::new(format!("map entry without a <{value_name}>"))
                    })?;
                    out.insert(k, v);
                }
                Ok(Value::Map(out))
            }
            ShapeKind::String => Ok(Value::from(&*self.doc.node(sel.first()).text)),
            kind => scalar_from_text(kind, &self.doc.node(sel.first()).text, false),
        }
    }

    /// A structure's members from `node`'s children (located members skipped:
    /// the rest layer reads those from headers and the status line).
    pub fn structure(
        &self,
        id: ShapeId,
        s: &StructureShape,
        node: NodeId,
    ) -> Result<Map, ParseError> {
        let node = if s.exception {
            self.error_root(node)
        } else {
            node
        };
        if s.union {
            if let Some(unknown) = self.unknown_union_member(id, s, node)? {
                let mut m = Map::new();
                let mut inner = Map::new();
                inner.insert("name", unknown.into());
                m.insert("SDK_UNKNOWN_MEMBER", Value::Map(inner));
                return Ok(m);
            }
        }
        self.fields(s, node, None)
    }

    /// A member's element name (empty for members read from elsewhere).
    fn slot_name<'s>(&'s self, m: &'s MemberRef) -> &'s str {
        if located(self.model, m) {
            ""
        } else {
            member_key_name(self.model, m)
        }
    }

    /// Every member's [`slot_name`](Self::slot_name), for the items of a list.
    fn slot_names<'s>(&'s self, s: &'s StructureShape) -> Vec<&'s str> {
        s.members.iter().map(|m| self.slot_name(m)).collect()
    }

    /// The members of `s` found among `node`'s children; the slot names
    /// worked out once for a list's items, or here.
    fn fields(
        &self,
        s: &StructureShape,
        node: NodeId,
        names: Option<&[&str]>,
    ) -> Result<Map, ParseError> {
        // Member names are `Key`s already: each entry's key is a copy.
        let key = |i: usize| s.members[i].name.clone();
        let model = self.model;
        // One pass over the children, matching each to a member. Children
        // usually come in model order, so the search starts where the last
        // match was: about one comparison per child.
        let n = s.members.len();
        let mut inline = [Slot::EMPTY; INLINE_SLOTS];
        let mut heap = Vec::new();
        let slots: &mut [Slot] = if n <= INLINE_SLOTS {
            &mut inline[..n]
        } else {
            heap.resize(n, Slot::EMPTY);
            &mut heap
        };
        for (i, (slot, m)) in slots.iter_mut().zip(&s.members).enumerate() {
            slot.name = match names {
                Some(names) => names[i],
                None => self.slot_name(m),
            };
        }
        let mut hint = 0;
        for c in self.doc.children(node) {
            let tag = self.doc.node(c).local;
            for k in 0..n {
                let j = if hint + k >= n {
                    hint + k - n
                } else {
                    hint + k
                };
                let slot = &mut slots[j];
                if super::xml::name_eq(slot.name, tag) {
                    if slot.count == 0 {
                        slot.first = c;
                    }
                    slot.count += 1;
                    hint = j;
                    break;
                }
            }
        }
        // Room for the members present (attributes and renamed flattened
        // lists, found below, are rare and grow it).
        let mut out = Map::with_capacity(slots.iter().filter(|s| s.count > 0).count());
        for (i, (slot, m)) in slots.iter().zip(&s.members).enumerate() {
            if slot.name.is_empty() {
                continue;
            }
            let by_name = |name: &str| -> Vec<NodeId> {
                self.doc
                    .children(node)
                    .filter(|&c| self.doc.node(c).local == name)
                    .collect()
            };
            let sel = match slot.count {
                // botocore keys a flattened list by its member's name; Smithy
                // (and the services) by the structure member's own name.
                0 if model.flattened(m) && wire_name(model, m) != slot.name => {
                    let mut nodes = by_name(wire_name(model, m));
                    match nodes.len() {
                        0 => continue,
                        1 => Sel::One(nodes.remove(0)),
                        _ => Sel::Many(nodes),
                    }
                }
                0 => {
                    if m.traits.xml_attribute || model.shape(m.target).traits.xml_attribute {
                        if let Some(v) = self.attribute(node, slot.name) {
                            out.insert_new(key(i), Value::String(v.into()));
                        }
                    }
                    continue;
                }
                1 => {
                    // A scalar member (most of a listing's): converted here,
                    // straight into the entry, not returned through `value`.
                    let text = &self.doc.node(slot.first).text;
                    match &model.shape(m.target).kind {
                        ShapeKind::String => {
                            out.insert_new(key(i), Value::from(&**text));
                            continue;
                        }
                        ShapeKind::Structure(_)
                        | ShapeKind::List { .. }
                        | ShapeKind::Map { .. } => Sel::One(slot.first),
                        kind => {
                            out.insert_new(key(i), scalar_from_text(kind, text, false)?);
                            continue;
                        }
                    }
                }
                _ => Sel::Many(by_name(slot.name)),
            };
            out.insert_new(key(i), self.value(m, &sel)?);
        }
        Ok(out)
    }

    /// Attribute lookup: ElementTree names namespaced attributes `{uri}local`,
    /// which botocore rewrites to the member's own prefix.
    fn attribute(&self, node: NodeId, name: &str) -> Option<String> {
        let local = |n: &str| n.rsplit_once(':').map(|(_, l)| l.to_owned());
        self.doc.attributes(node).into_iter().find_map(|(k, v)| {
            let hit =
                k == name || (name.contains(':') && k.contains(':') && local(k) == local(name));
            hit.then(|| v.into_owned())
        })
    }

    /// `Some(tag)` when a union holds a member this model does not know.
    fn unknown_union_member(
        &self,
        _id: ShapeId,
        s: &StructureShape,
        node: NodeId,
    ) -> Result<Option<String>, ParseError> {
        let mut tags: Vec<&str> = Vec::new();
        for c in self.doc.children(node) {
            let t = self.doc.node(c).local;
            if t != "__type" && !tags.contains(&t) {
                tags.push(t);
            }
        }
        if tags.len() != 1 {
            return Err(ParseError::new(
                "invalid union: exactly one member must be set",
            ));
        }
        let known = s
            .members
            .iter()
            .any(|m| wire_name(self.model, m) == tags[0]);
        Ok((!known).then(|| tags[0].to_string()))
    }
}

/// botocore's `_replace_nodes` over `_build_name_to_xml_node`: the
/// children of `node` as a dict of text or nested dicts.
pub(crate) fn generic(d: &Doc<'_>, node: NodeId) -> Value {
    let mut out = Map::new();
    let mut seen: Vec<(&str, NodeId, bool)> = Vec::new();
    for c in d.children(node) {
        let tag = d.node(c).local;
        match seen.iter_mut().find(|(t, _, _)| *t == tag) {
            Some(e) => e.2 = true,
            None => seen.push((tag, c, false)),
        }
    }
    for (tag, first, repeated) in seen {
        let v = if repeated || d.has_children(first) {
            generic(d, first)
        } else if d.node(first).has_text {
            Value::from(&*d.node(first).text)
        } else {
            Value::Null
        };
        out.insert(tag.to_string(), v);
    }
    Value::Map(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_dict_nests_and_keeps_first_of_repeats() {
        let d =
            Doc::parse(b"<R><Error><Code>C</Code><Message/></Error><RequestId>r</RequestId></R>")
                .unwrap();
        let g = generic(&d, d.root());
        assert_eq!(g.pointer("Error.Code").as_str(), Some("C"));
        assert!(g.pointer("Error.Message").is_null());
        assert_eq!(g.get("RequestId").as_str(), Some("r"));
    }
}
