//! [`Entry`]: one key's place in a [`Map`], as `IndexMap`'s entry API gives
//! it (`or_insert`, `and_modify`, `shift_remove`), for code written against
//! that API before `Map` replaced it.

use super::Map;
use crate::{Key, Value};

/// A place in a [`Map`] for one key: see [`Map::entry`].
pub enum Entry<'a> {
    /// The key is present.
    Occupied(OccupiedEntry<'a>),
    /// The key is absent.
    Vacant(VacantEntry<'a>),
}

/// A present key of a [`Map`].
pub struct OccupiedEntry<'a> {
    pub(super) map: &'a mut Map,
    pub(super) index: usize,
}

/// An absent key of a [`Map`].
pub struct VacantEntry<'a> {
    pub(super) map: &'a mut Map,
    pub(super) key: Key,
}

impl<'a> Entry<'a> {
    /// The value, inserting `default` first if absent.
    pub fn or_insert(self, default: Value) -> &'a mut Value {
        self.or_insert_with(|| default)
    }

    /// The value, inserting `f()` first if absent.
    pub fn or_insert_with(self, f: impl FnOnce() -> Value) -> &'a mut Value {
        match self {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => v.insert(f()),
        }
    }

    /// The value, inserting `Value::Null` first if absent.
    pub fn or_default(self) -> &'a mut Value {
        self.or_insert_with(Value::default)
    }

    /// Runs `f` on the value if present.
    pub fn and_modify(mut self, f: impl FnOnce(&mut Value)) -> Self {
        if let Entry::Occupied(o) = &mut self {
            f(o.get_mut());
        }
        self
    }

    /// The entry's key.
    pub fn key(&self) -> &str {
        match self {
            Entry::Occupied(o) => o.key(),
            Entry::Vacant(v) => &v.key,
        }
    }
}

impl<'a> OccupiedEntry<'a> {
    /// The stored key.
    pub fn key(&self) -> &str {
        &self.map.entries[self.index].0
    }
    /// The value.
    pub fn get(&self) -> &Value {
        &self.map.entries[self.index].1
    }
    /// The value, mutably.
    pub fn get_mut(&mut self) -> &mut Value {
        &mut self.map.entries[self.index].1
    }
    /// The value, for the map's lifetime.
    pub fn into_mut(self) -> &'a mut Value {
        &mut self.map.entries[self.index].1
    }
    /// Replaces the value, returning the old one.
    pub fn insert(&mut self, value: Value) -> Value {
        std::mem::replace(self.get_mut(), value)
    }
    /// Removes the entry, keeping the order of the rest.
    pub fn shift_remove(self) -> Value {
        let (_, v) = self.map.entries.remove(self.index);
        self.map.reindex();
        v
    }
}

impl<'a> VacantEntry<'a> {
    /// The key that would be inserted.
    pub fn key(&self) -> &str {
        &self.key
    }
    /// Inserts the value at the end.
    pub fn insert(self, value: Value) -> &'a mut Value {
        let i = self.map.push_new(self.key, value);
        &mut self.map.entries[i].1
    }
}
