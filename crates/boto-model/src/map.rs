//! [`Map`]: the ordered name → [`Value`] map inside every structure and map value.
//!
//! Why not `IndexMap<String, Value>` (what this replaced, and what botocore's
//! Python dicts are): nearly every map a response parser builds is a structure
//! with a handful of members (a `Contents` item has seven, a DynamoDB attribute
//! one). For those an `IndexMap` paid a hash table allocation, a SipHash of
//! every key on insert and on lookup, and 72 bytes inline in every `Value`.
//! Here entries live in one vector, small maps are searched by comparing keys
//! (length first), and only a map that grows past [`INDEXED_FROM`] entries (tag
//! maps, big DynamoDB items, S3 metadata) gets a hash index, with a per-process
//! random seed so hostile keys cannot force collisions. A `Map` is 32 bytes.
//!
//! Keys are [`Key`]s: strings kept inline up to 23 bytes, so a member name
//! costs no allocation either. `insert` takes anything that converts
//! (`&str`, `String`), lookups take a `&str`, and a `&Key` reads as a `&str`.
//!
//! The API is the subset of `IndexMap`'s the workspace uses, with the same
//! meaning: insertion order is kept, `insert` of an existing key replaces the
//! value in place, equality ignores order (like dicts), and `remove` keeps the
//! order of the others (`shift_remove`). [`Map::insert_new`] appends without
//! a search, for parsers that add each member once by construction.

use crate::value::Value;
use crate::Key;
use std::fmt;
use std::hash::BuildHasher;

#[path = "map_entry.rs"]
mod entry;
pub use entry::{Entry, OccupiedEntry, VacantEntry};

/// From this many entries a map keeps a hash index; below it, a linear scan
/// over at most this many keys is faster than hashing one.
pub const INDEXED_FROM: usize = 12;

/// An ordered map of member or key names to values.
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(Key, Value)>,
    index: Option<Box<Index>>,
}

#[derive(Clone)]
struct Index {
    table: hashbrown::HashTable<u32>,
    state: foldhash::fast::RandomState,
}

impl Index {
    fn build(entries: &[(Key, Value)]) -> Box<Index> {
        let mut index = Box::new(Index {
            table: hashbrown::HashTable::with_capacity(entries.len() * 2),
            state: foldhash::fast::RandomState::default(),
        });
        for (i, (k, _)) in entries.iter().enumerate() {
            let h = index.state.hash_one(k.as_str());
            let state = &index.state;
            index.table.insert_unique(h, i as u32, |&j| {
                state.hash_one(entries[j as usize].0.as_str())
            });
        }
        index
    }
}

/// Whether two of `entries` (fewer than [`INDEXED_FROM`]) share a key.
/// Each key sets a bit picked by its length and end bytes; only a key
/// whose bit is already set is compared with the earlier ones, so distinct
/// keys (a parsed DynamoDB item's attribute names) are nearly never
/// compared at all, where every pair was (55 for 11 keys).
fn has_repeat(entries: &[(Key, Value)]) -> bool {
    let mut seen = 0u64;
    for (i, (k, _)) in entries.iter().enumerate() {
        let b = k.as_bytes();
        let (first, last) = (b.first().copied(), b.last().copied());
        let mix =
            b.len() ^ (usize::from(first.unwrap_or(0)) * 7) ^ (usize::from(last.unwrap_or(0)) * 13);
        let bit = 1u64 << (mix % 64);
        if seen & bit != 0 && entries[..i].iter().any(|(e, _)| e == k) {
            return true;
        }
        seen |= bit;
    }
    false
}

impl Map {
    /// An empty map (no allocation).
    #[inline]
    pub fn new() -> Map {
        Map::default()
    }

    /// An empty map with room for `n` entries.
    #[inline]
    pub fn with_capacity(n: usize) -> Map {
        Map {
            entries: Vec::with_capacity(n),
            index: None,
        }
    }

    /// A map of `entries` in order. A repeated key keeps its first position
    /// and takes the last value, as inserting them one by one would; for a
    /// small map without repeats this is the vector itself, no copy.
    pub fn from_entries(entries: Vec<(Key, Value)>) -> Map {
        let repeated = entries.len() >= INDEXED_FROM || has_repeat(&entries);
        if !repeated {
            return Map {
                entries,
                index: None,
            };
        }
        let mut m = Map::with_capacity(entries.len());
        for (k, v) in entries {
            m.insert_full(k, v);
        }
        m
    }

    /// A map of `entries` in order, whose keys the caller knows are
    /// distinct (the members of a parsed structure): no search at all.
    /// (Debug builds check; a repeated key would be stored twice, and
    /// lookups find the first.)
    #[inline]
    pub fn from_distinct(entries: Vec<(Key, Value)>) -> Map {
        debug_assert!(
            (1..entries.len()).all(|i| entries[..i].iter().all(|(k, _)| *k != entries[i].0)),
            "Map::from_distinct: repeated key"
        );
        if entries.len() >= INDEXED_FROM {
            return Map::indexed(entries);
        }
        // Built in registers: a parser pushes the map straight on.
        Map {
            entries,
            index: None,
        }
    }

    /// Whether `entries` would go into [`Map::from_small_distinct`] as they
    /// are: fewer than [`INDEXED_FROM`] and no key repeated (what
    /// [`Map::from_entries`] checks before taking the vector itself).
    #[inline]
    pub fn small_and_distinct(entries: &[(Key, Value)]) -> bool {
        entries.len() < INDEXED_FROM && !has_repeat(entries)
    }

    /// A map of fewer than [`INDEXED_FROM`] `entries` whose keys the caller
    /// knows are distinct: the vector itself, nothing checked or built.
    /// For parsers closing a structure; a longer vector must go through
    /// [`Map::from_distinct`] (debug builds check both).
    #[inline(always)]
    pub fn from_small_distinct(entries: Vec<(Key, Value)>) -> Map {
        debug_assert!(
            entries.len() < INDEXED_FROM,
            "Map::from_small_distinct: too long"
        );
        debug_assert!(
            (1..entries.len()).all(|i| entries[..i].iter().all(|(k, _)| *k != entries[i].0)),
            "Map::from_small_distinct: repeated key"
        );
        Map {
            entries,
            index: None,
        }
    }

    /// A map of `entries` (distinct keys) with its hash index built.
    #[inline(never)]
    fn indexed(entries: Vec<(Key, Value)>) -> Map {
        let index = Some(Index::build(&entries));
        Map { entries, index }
    }

    /// Number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every entry (keeps the allocation).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.index = None;
    }

    /// Reserves room for `n` more entries.
    pub fn reserve(&mut self, n: usize) {
        self.entries.reserve(n);
    }

    /// The position of `key`, if present.
    #[inline]
    pub fn get_index_of(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => self.find_indexed(index, key),
            None => self.entries.iter().position(|(k, _)| k.as_str() == key),
        }
    }

    /// A big map's lookup, out of line so small maps' stays short enough to
    /// inline into other crates' parsers.
    #[inline(never)]
    fn find_indexed(&self, index: &Index, key: &str) -> Option<usize> {
        let h = index.state.hash_one(key);
        index
            .table
            .find(h, |&i| self.entries[i as usize].0.as_str() == key)
            .map(|&i| i as usize)
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.get_index_of(key).map(|i| &self.entries[i].1)
    }

    /// The value of `key`, mutably.
    #[inline]
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.get_index_of(key).map(|i| &mut self.entries[i].1)
    }

    /// The stored key and value of `key`.
    pub fn get_key_value(&self, key: &str) -> Option<(&Key, &Value)> {
        self.get_index_of(key)
            .map(|i| (&self.entries[i].0, &self.entries[i].1))
    }

    /// True if `key` is present.
    #[inline]
    pub fn contains_key(&self, key: &str) -> bool {
        self.get_index_of(key).is_some()
    }

    /// The entry at position `i`.
    #[inline]
    pub fn get_index(&self, i: usize) -> Option<(&Key, &Value)> {
        self.entries.get(i).map(|(k, v)| (k, v))
    }

    /// The first entry.
    pub fn first(&self) -> Option<(&Key, &Value)> {
        self.get_index(0)
    }

    /// The last entry.
    pub fn last(&self) -> Option<(&Key, &Value)> {
        self.entries.last().map(|(k, v)| (k, v))
    }

    /// Inserts or replaces; a replaced value keeps its position and is returned.
    pub fn insert(&mut self, key: impl Into<Key>, value: Value) -> Option<Value> {
        self.insert_full(key.into(), value).1
    }

    /// Like [`insert`](Self::insert), also giving the entry's position.
    pub fn insert_full(&mut self, key: Key, value: Value) -> (usize, Option<Value>) {
        if let Some(i) = self.get_index_of(&key) {
            return (i, Some(std::mem::replace(&mut self.entries[i].1, value)));
        }
        (self.push_new(key, value), None)
    }

    /// Appends an entry whose key the caller knows is not present, without
    /// looking for it: for parsers that insert each member of a structure
    /// once by construction. (Debug builds check; a repeated key would be
    /// stored twice, and lookups find the first.)
    #[inline]
    pub fn insert_new(&mut self, key: impl Into<Key>, value: Value) {
        let key = key.into();
        debug_assert!(
            !self.contains_key(&key),
            "Map::insert_new: {key:?} is present"
        );
        self.push_new(key, value);
    }

    /// Appends an entry known not to be present. The common case (a small
    /// map, no index) is inlined into the caller: out of line, moving the
    /// 56-byte entry through the stack cost parsers a store-forwarding
    /// stall per member. The key and the value are written into the slot
    /// separately: `push((key, value))` assembled the pair on the stack in
    /// 8-byte stores and copied it in 16-byte loads, which waited for them
    /// (half of `finish_metadata`'s samples, session 22).
    #[inline]
    fn push_new(&mut self, key: Key, value: Value) -> usize {
        let i = self.entries.len();
        self.entries.reserve(1);
        // SAFETY: `reserve(1)` made room for an entry at `i`; both fields
        // are written before `set_len` makes it visible, and nothing in
        // between can panic.
        unsafe {
            let slot = self.entries.as_mut_ptr().add(i);
            std::ptr::addr_of_mut!((*slot).0).write(key);
            std::ptr::addr_of_mut!((*slot).1).write(value);
            self.entries.set_len(i + 1);
        }
        if self.index.is_some() || i + 1 >= INDEXED_FROM {
            self.index_last();
        }
        i
    }

    /// Adds the last entry to the hash index, building the index when the
    /// map has just reached [`INDEXED_FROM`] entries.
    #[inline(never)]
    fn index_last(&mut self) {
        let i = self.entries.len() - 1;
        match &mut self.index {
            Some(index) => {
                let h = index.state.hash_one(self.entries[i].0.as_str());
                let (entries, state) = (&self.entries, &index.state);
                index.table.insert_unique(h, i as u32, |&j| {
                    state.hash_one(entries[j as usize].0.as_str())
                });
            }
            None => self.index = Some(Index::build(&self.entries)),
        }
    }

    fn reindex(&mut self) {
        self.index = (self.entries.len() >= INDEXED_FROM).then(|| Index::build(&self.entries));
    }

    /// Removes `key`, keeping the order of the rest (as `IndexMap::shift_remove`).
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.shift_remove_entry(key).map(|(_, v)| v)
    }

    /// Removes `key`, keeping the order of the rest.
    pub fn shift_remove(&mut self, key: &str) -> Option<Value> {
        self.remove(key)
    }

    /// Removes `key` and gives back the stored key too.
    pub fn shift_remove_entry(&mut self, key: &str) -> Option<(Key, Value)> {
        let i = self.get_index_of(key)?;
        let kv = self.entries.remove(i);
        self.reindex();
        Some(kv)
    }

    /// Removes `key` by moving the last entry into its place.
    pub fn swap_remove(&mut self, key: &str) -> Option<Value> {
        let i = self.get_index_of(key)?;
        let (_, v) = self.entries.swap_remove(i);
        self.reindex();
        Some(v)
    }

    /// Removes and returns the last entry.
    pub fn pop(&mut self) -> Option<(Key, Value)> {
        let kv = self.entries.pop();
        if self.index.is_some() {
            self.reindex();
        }
        kv
    }

    /// Keeps the entries for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Key, &mut Value) -> bool) {
        let before = self.entries.len();
        self.entries.retain_mut(|(k, v)| keep(k, v));
        if self.entries.len() != before {
            self.reindex();
        }
    }

    /// Sorts the entries by key.
    pub fn sort_keys(&mut self) {
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        self.reindex();
    }

    /// Sorts the entries with a comparator on (key, value) pairs.
    pub fn sort_by(
        &mut self,
        mut cmp: impl FnMut(&Key, &Value, &Key, &Value) -> std::cmp::Ordering,
    ) {
        self.entries.sort_by(|a, b| cmp(&a.0, &a.1, &b.0, &b.1));
        self.reindex();
    }

    /// The entry for `key`, to read, insert or update in place.
    pub fn entry(&mut self, key: impl Into<Key>) -> Entry<'_> {
        let key = key.into();
        match self.get_index_of(&key) {
            Some(i) => Entry::Occupied(OccupiedEntry {
                map: self,
                index: i,
            }),
            None => Entry::Vacant(VacantEntry { map: self, key }),
        }
    }

    /// Entries in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    /// Entries in order, values mutable.
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.entries.iter_mut())
    }

    /// Keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Values in order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Values in order, mutably.
    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Keys in order, by value.
    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = Key> + ExactSizeIterator {
        self.entries.into_iter().map(|(k, _)| k)
    }

    /// Values in order, by value.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = Value> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }
}

/// Entries of a [`Map`] in order.
#[derive(Clone)]
pub struct Iter<'a>(std::slice::Iter<'a, (Key, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Key, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}
impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}
impl ExactSizeIterator for Iter<'_> {}

/// Entries of a [`Map`] in order, values mutable.
pub struct IterMut<'a>(std::slice::IterMut<'a, (Key, Value)>);

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a Key, &'a mut Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}
impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (&*k, v))
    }
}
impl ExactSizeIterator for IterMut<'_> {}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Key, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Key, &'a mut Value);
    type IntoIter = IterMut<'a>;
    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl IntoIterator for Map {
    type Item = (Key, Value);
    type IntoIter = std::vec::IntoIter<(Key, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Into<Key>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Map {
        let iter = iter.into_iter();
        let mut map = Map::with_capacity(iter.size_hint().0);
        map.extend(iter);
        map
    }
}

impl<K: Into<Key>> Extend<(K, Value)> for Map {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Into<Key>, const N: usize> From<[(K, Value); N]> for Map {
    fn from(entries: [(K, Value); N]) -> Map {
        entries.into_iter().collect()
    }
}

/// Order-insensitive, like `IndexMap` and Python dicts.
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(k, v)| other.get(k).is_some_and(|o| o == v))
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Panics on a missing key, as `IndexMap` and `HashMap` do; use [`Map::get`] otherwise.
impl std::ops::Index<&str> for Map {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key)
            .unwrap_or_else(|| panic!("Map: no entry for key {key:?}"))
    }
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
