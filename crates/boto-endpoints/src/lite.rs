//! A borrowed JSON tree for loading rule sets.
//!
//! A rule set is read once and compiled into [`crate::RuleSet`]'s typed
//! tree, so the JSON document is only a stepping stone. `serde_json::Value`
//! (with `preserve_order`) allocates every string and an `IndexMap` with its
//! hash table per object: for S3's 116 KB rule set that was most of the load
//! time and a ~2 MB heap peak in the first S3 client of a process.
//!
//! This tree borrows every string that has no escapes from the input and
//! keeps all nodes in three flat vectors (nodes, array items, object
//! entries), sized from the input length up front. So a load makes a handful
//! of allocations, not one per object, and for a large rule set they are big
//! enough that the allocator maps them apart from the heap and returns them
//! when the tree is dropped: the compiled rule set, allocated meanwhile, is
//! not left interleaved with freed tree nodes (that fragmentation had been
//! ~1 MiB of a first S3 client's resident heap). Literals that end up in the
//! compiled rule set are converted to `serde_json::Value` one at a time
//! ([`Lite::to_json`]).
//!
//! Duplicate keys keep the first position and the last value, as
//! `serde_json::Value` does.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value as Json};

/// A parsed document: node 0 is the root.
pub(crate) struct Tree<'a> {
    nodes: Vec<Node<'a>>,
    /// Array items, each array's a contiguous run of node ids.
    items: Vec<u32>,
    /// Object entries, each object's a contiguous run.
    entries: Vec<(Cow<'a, str>, u32)>,
}

enum Node<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    /// (first, count) in `items`.
    Array(u32, u32),
    /// (first, count) in `entries`.
    Object(u32, u32),
}

/// One value of a [`Tree`] (a cheap copyable view).
#[derive(Clone, Copy)]
pub(crate) struct Lite<'t> {
    tree: &'t Tree<'t>,
    id: u32,
}

/// What a [`Lite`] holds, for matching.
pub(crate) enum Kind<'t> {
    Null,
    Bool(bool),
    Number(&'t Number),
    String(&'t str),
    Array(Arr<'t>),
    Object(Obj<'t>),
}

/// A JSON array of a [`Tree`].
#[derive(Clone, Copy)]
pub(crate) struct Arr<'t> {
    tree: &'t Tree<'t>,
    ids: &'t [u32],
}

/// A JSON object of a [`Tree`]: its entries in document order.
#[derive(Clone, Copy)]
pub(crate) struct Obj<'t> {
    tree: &'t Tree<'t>,
    entries: &'t [(Cow<'t, str>, u32)],
}

impl<'t> Arr<'t> {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Item `i` (panics past the end, like slice indexing).
    pub fn at(&self, i: usize) -> Lite<'t> {
        self.tree.view(self.ids[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = Lite<'t>> + 't {
        let tree = self.tree;
        self.ids.iter().map(move |&id| tree.view(id))
    }
}

impl<'t> Obj<'t> {
    pub fn get(&self, key: &str) -> Option<Lite<'t>> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|&(_, id)| self.tree.view(id))
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'t str, Lite<'t>)> + 't {
        let tree = self.tree;
        self.entries
            .iter()
            .map(move |(k, id)| (k.as_ref(), tree.view(*id)))
    }

    pub fn values(&self) -> impl Iterator<Item = Lite<'t>> + 't {
        let tree = self.tree;
        self.entries.iter().map(move |&(_, id)| tree.view(id))
    }
}

impl<'a> Tree<'a> {
    /// Parse a document, borrowing from `bytes` (`serde_json`'s limits apply,
    /// nesting depth included).
    pub fn parse(bytes: &'a [u8]) -> Result<Tree<'a>, serde_json::Error> {
        // Upper bounds from the input length: a node needs at least one
        // byte, an item a comma, an entry `"":`. Untouched capacity costs
        // address space, not memory.
        let mut b = Builder {
            tree: Tree {
                nodes: Vec::with_capacity(bytes.len() / 4 + 1),
                items: Vec::with_capacity(bytes.len() / 2 + 1),
                entries: Vec::with_capacity(bytes.len() / 4 + 1),
            },
            item_stack: Vec::new(),
            entry_stack: Vec::new(),
        };
        let mut de = serde_json::Deserializer::from_slice(bytes);
        Seed(&mut b).deserialize(&mut de)?;
        de.end()?;
        Ok(b.tree)
    }

    /// A tree viewing a `serde_json::Value`, borrowing its strings.
    pub fn from_json(v: &'a Json) -> Tree<'a> {
        let mut b = Builder {
            tree: Tree {
                nodes: Vec::new(),
                items: Vec::new(),
                entries: Vec::new(),
            },
            item_stack: Vec::new(),
            entry_stack: Vec::new(),
        };
        b.add_json(v);
        b.tree
    }

    /// The root value.
    pub fn root<'t>(&'t self) -> Lite<'t>
    where
        'a: 't,
    {
        self.view(self.nodes.len() as u32 - 1)
    }

    fn view<'t>(&'t self, id: u32) -> Lite<'t>
    where
        'a: 't,
    {
        Lite { tree: self, id }
    }
}

impl<'t> Lite<'t> {
    #[inline]
    pub fn kind(&self) -> Kind<'t> {
        let tree = self.tree;
        match &tree.nodes[self.id as usize] {
            Node::Null => Kind::Null,
            Node::Bool(b) => Kind::Bool(*b),
            Node::Number(n) => Kind::Number(n),
            Node::String(s) => Kind::String(s),
            Node::Array(first, n) => Kind::Array(Arr {
                tree,
                ids: &tree.items[*first as usize..(*first + *n) as usize],
            }),
            Node::Object(first, n) => Kind::Object(Obj {
                tree,
                entries: &tree.entries[*first as usize..(*first + *n) as usize],
            }),
        }
    }

    /// Whether `self` and `other` are the same JSON: equal scalars, arrays
    /// item by item, objects entry by entry in document order. (Rule sets
    /// repeat conditions and endpoints verbatim; the loader shares them.)
    pub fn same(self, other: Lite<'_>) -> bool {
        match (self.kind(), other.kind()) {
            (Kind::Null, Kind::Null) => true,
            (Kind::Bool(a), Kind::Bool(b)) => a == b,
            (Kind::Number(a), Kind::Number(b)) => a == b,
            (Kind::String(a), Kind::String(b)) => a == b,
            (Kind::Array(a), Kind::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same(y))
            }
            (Kind::Object(a), Kind::Object(b)) => {
                a.entries.len() == b.entries.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && va.same(vb))
            }
            _ => false,
        }
    }

    /// Feeds the value to `h` so that [`same`](Self::same) values hash alike.
    pub fn hash_into(self, h: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        match self.kind() {
            Kind::Null => h.write_u8(0),
            Kind::Bool(b) => (1u8, b).hash(h),
            Kind::Number(n) => (2u8, n.as_f64().map(f64::to_bits)).hash(h),
            Kind::String(s) => (3u8, s).hash(h),
            Kind::Array(a) => {
                (4u8, a.len()).hash(h);
                a.iter().for_each(|i| i.hash_into(h));
            }
            Kind::Object(o) => {
                (5u8, o.entries.len()).hash(h);
                for (k, v) in o.iter() {
                    k.hash(h);
                    v.hash_into(h);
                }
            }
        }
    }

    pub fn to_json(self) -> Json {
        match self.kind() {
            Kind::Null => Json::Null,
            Kind::Bool(b) => Json::Bool(b),
            Kind::Number(n) => Json::Number(n.clone()),
            Kind::String(s) => Json::String(s.to_string()),
            Kind::Array(a) => Json::Array(a.iter().map(|v| v.to_json()).collect()),
            Kind::Object(o) => {
                Json::Object(o.iter().map(|(k, v)| (k.to_owned(), v.to_json())).collect())
            }
        }
    }

    pub fn as_object(&self) -> Option<Obj<'t>> {
        match self.kind() {
            Kind::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<Arr<'t>> {
        match self.kind() {
            Kind::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&'t str> {
        match self.kind() {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind() {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind(), Kind::Null)
    }
}

impl fmt::Debug for Lite<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

/// Builds a [`Tree`] bottom-up: a value's children are complete (and pushed
/// to `nodes`) before it is, so an array or object collects its children's
/// ids on a stack and moves them into `items`/`entries` as one run when it
/// closes.
struct Builder<'a> {
    tree: Tree<'a>,
    item_stack: Vec<u32>,
    entry_stack: Vec<(Cow<'a, str>, u32)>,
}

/// Objects beyond this size find duplicate keys through a hash index.
const LINEAR: usize = 32;

impl<'a> Builder<'a> {
    fn push(&mut self, node: Node<'a>) -> Result<u32, String> {
        let id = u32::try_from(self.tree.nodes.len()).map_err(|_| "document too large")?;
        self.tree.nodes.push(node);
        Ok(id)
    }

    fn close_array(&mut self, base: usize) -> Result<u32, String> {
        let first = u32::try_from(self.tree.items.len()).map_err(|_| "document too large")?;
        let n = (self.item_stack.len() - base) as u32;
        self.tree.items.extend(self.item_stack.drain(base..));
        self.push(Node::Array(first, n))
    }

    /// Adds an entry to the object whose entries start at `base`: a repeated
    /// key keeps its first position and takes the new value.
    fn add_entry(
        &mut self,
        base: usize,
        key: Cow<'a, str>,
        id: u32,
        index: &mut Option<HashMap<Cow<'a, str>, usize>>,
    ) {
        let open = &mut self.entry_stack[base..];
        let found = if open.len() < LINEAR {
            open.iter().position(|(k, _)| *k == key)
        } else {
            let index = index.get_or_insert_with(|| {
                open.iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.clone(), i))
                    .collect()
            });
            let at = open.len();
            match index.entry(key.clone()) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(at);
                    None
                }
            }
        };
        match found {
            Some(i) => open[i].1 = id,
            None => self.entry_stack.push((key, id)),
        }
    }

    fn close_object(&mut self, base: usize) -> Result<u32, String> {
        let first = u32::try_from(self.tree.entries.len()).map_err(|_| "document too large")?;
        let n = (self.entry_stack.len() - base) as u32;
        self.tree.entries.extend(self.entry_stack.drain(base..));
        self.push(Node::Object(first, n))
    }

    fn add_json(&mut self, v: &'a Json) -> u32 {
        let node = match v {
            Json::Null => Node::Null,
            Json::Bool(b) => Node::Bool(*b),
            Json::Number(n) => Node::Number(n.clone()),
            Json::String(s) => Node::String(Cow::Borrowed(s)),
            Json::Array(a) => {
                let base = self.item_stack.len();
                for item in a {
                    let id = self.add_json(item);
                    self.item_stack.push(id);
                }
                return self.close_array(base).expect("a Value fits in u32 ids");
            }
            Json::Object(o) => {
                let base = self.entry_stack.len();
                for (k, item) in o {
                    let id = self.add_json(item);
                    self.entry_stack.push((Cow::Borrowed(k), id));
                }
                return self.close_object(base).expect("a Value fits in u32 ids");
            }
        };
        self.push(node).expect("a Value fits in u32 ids")
    }
}

/// Deserializes one value into the builder, giving its node id.
struct Seed<'b, 'a>(&'b mut Builder<'a>);

impl<'de> DeserializeSeed<'de> for Seed<'_, 'de> {
    type Value = u32;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, 'de> {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<u32, E> {
        self.0.push(Node::Null).map_err(E::custom)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<u32, E> {
        self.0.push(Node::Null).map_err(E::custom)
    }
    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<u32, E> {
        self.0.push(Node::Bool(b)).map_err(E::custom)
    }
    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<u32, E> {
        self.0.push(Node::Number(n.into())).map_err(E::custom)
    }
    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<u32, E> {
        self.0.push(Node::Number(n.into())).map_err(E::custom)
    }
    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<u32, E> {
        // JSON text cannot spell NaN or the infinities.
        let node = Number::from_f64(n).map_or(Node::Null, Node::Number);
        self.0.push(node).map_err(E::custom)
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<u32, E> {
        self.0
            .push(Node::String(Cow::Borrowed(s)))
            .map_err(E::custom)
    }
    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<u32, E> {
        self.0
            .push(Node::String(Cow::Owned(s.to_owned())))
            .map_err(E::custom)
    }
    fn visit_string<E: serde::de::Error>(self, s: String) -> Result<u32, E> {
        self.0.push(Node::String(Cow::Owned(s))).map_err(E::custom)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u32, A::Error> {
        let b = self.0;
        let base = b.item_stack.len();
        while let Some(id) = seq.next_element_seed(Seed(&mut *b))? {
            b.item_stack.push(id);
        }
        b.close_array(base).map_err(serde::de::Error::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u32, A::Error> {
        let b = self.0;
        let base = b.entry_stack.len();
        let mut index = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let id = map.next_value_seed(Seed(&mut *b))?;
            b.add_entry(base, key.0, id, &mut index);
        }
        b.close_object(base).map_err(serde::de::Error::custom)
    }
}

/// An object key, borrowed where possible.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_plain_strings_and_owns_escaped_ones() {
        let src = br#"{"a":"plain","b":"esc\"aped","c":[1,-2,2.5,true,null],"d":{"e":[[],{}]}}"#;
        let tree = Tree::parse(src).unwrap();
        let o = tree.root().as_object().unwrap();
        assert_eq!(o.get("a").and_then(|v| v.as_str()), Some("plain"));
        assert_eq!(o.get("b").and_then(|v| v.as_str()), Some("esc\"aped"));
        let c = o.get("c").and_then(|v| v.as_array()).unwrap();
        assert_eq!(c.len(), 5);
        assert_eq!(c.at(3).as_bool(), Some(true));
        assert!(c.at(4).is_null());
        let direct: Json = serde_json::from_slice(src).unwrap();
        assert_eq!(tree.root().to_json(), direct);
        assert_eq!(Tree::from_json(&direct).root().to_json(), direct);
    }

    #[test]
    fn duplicate_keys_keep_first_position_and_last_value() {
        // Small objects scan; large ones go through the hash index.
        for n in [3usize, 40] {
            let mut src = String::from("{\"nested\":{");
            for i in 0..n {
                src.push_str(&format!("\"k{i}\":{i},"));
            }
            src.push_str("\"k1\":\"last\"},\"after\":[1]}");
            let tree = Tree::parse(src.as_bytes()).unwrap();
            let json: Json = serde_json::from_str(&src).unwrap();
            assert_eq!(tree.root().to_json(), json, "{n} keys");
            let nested = tree.root().as_object().unwrap().get("nested").unwrap();
            let keys: Vec<&str> = nested.as_object().unwrap().iter().map(|(k, _)| k).collect();
            assert_eq!(keys.len(), n);
            assert_eq!(keys[1], "k1");
        }
    }

    #[test]
    fn errors_and_depth_limit_are_serde_json_s() {
        assert!(Tree::parse(b"{\"a\":").is_err());
        assert!(Tree::parse(b"[1,]").is_err());
        assert!(Tree::parse(b"{} []").is_err());
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(Tree::parse(deep.as_bytes()).is_err());
    }
}
