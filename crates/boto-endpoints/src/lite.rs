//! A borrowed JSON tree for loading rule sets.
//!
//! A rule set is read once and compiled into [`crate::RuleSet`]'s typed
//! tree, so the JSON document is only a stepping stone. `serde_json::Value`
//! (with `preserve_order`) allocates every string and an `IndexMap` with its
//! hash table per object: for S3's 116 KB rule set that was most of the load
//! time and a ~2 MB heap peak in the first S3 client of a process. This tree
//! borrows every string that has no escapes from the input and keeps objects
//! as plain vectors of entries, so loading costs one allocation per object or
//! array. Literals that end up in the compiled rule set are converted to
//! `serde_json::Value` one at a time ([`Lite::to_json`]).
//!
//! Duplicate keys keep the first position and the last value, as
//! `serde_json::Value` does.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value as Json};

/// One JSON value, strings borrowed where the input allows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lite<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Lite<'a>>),
    Object(Obj<'a>),
}

/// A JSON object: its entries in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Obj<'a>(Vec<(Cow<'a, str>, Lite<'a>)>);

impl<'a> Obj<'a> {
    pub fn get(&self, key: &str) -> Option<&Lite<'a>> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Lite<'a>)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    pub fn values(&self) -> impl Iterator<Item = &Lite<'a>> {
        self.0.iter().map(|(_, v)| v)
    }

    /// Objects beyond this size find duplicate keys through a hash index.
    const LINEAR: usize = 32;

    fn push(&mut self, key: Cow<'a, str>, value: Lite<'a>, index: &mut IndexOf<'a>) {
        let found = if self.0.len() < Self::LINEAR {
            self.0.iter().position(|(k, _)| *k == key)
        } else {
            let index = index.get_or_insert_with(|| {
                self.0
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.clone(), i))
                    .collect()
            });
            let at = self.0.len();
            match index.entry(key.clone()) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(at);
                    None
                }
            }
        };
        match found {
            Some(i) => self.0[i].1 = value,
            None => self.0.push((key, value)),
        }
    }
}

type IndexOf<'a> = Option<std::collections::HashMap<Cow<'a, str>, usize>>;

impl<'a> Lite<'a> {
    /// Parse a document, borrowing from `bytes` (`serde_json`'s limits apply,
    /// nesting depth included).
    pub fn parse(bytes: &'a [u8]) -> Result<Lite<'a>, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// A view of a `serde_json::Value`, borrowing its strings.
    pub fn from_json(v: &'a Json) -> Lite<'a> {
        match v {
            Json::Null => Lite::Null,
            Json::Bool(b) => Lite::Bool(*b),
            Json::Number(n) => Lite::Number(n.clone()),
            Json::String(s) => Lite::String(Cow::Borrowed(s)),
            Json::Array(a) => Lite::Array(a.iter().map(Lite::from_json).collect()),
            Json::Object(o) => Lite::Object(Obj(o
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Lite::from_json(v)))
                .collect())),
        }
    }

    pub fn to_json(&self) -> Json {
        match self {
            Lite::Null => Json::Null,
            Lite::Bool(b) => Json::Bool(*b),
            Lite::Number(n) => Json::Number(n.clone()),
            Lite::String(s) => Json::String(s.to_string()),
            Lite::Array(a) => Json::Array(a.iter().map(Lite::to_json).collect()),
            Lite::Object(o) => {
                Json::Object(o.iter().map(|(k, v)| (k.to_owned(), v.to_json())).collect())
            }
        }
    }

    pub fn as_object(&self) -> Option<&Obj<'a>> {
        match self {
            Lite::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Lite<'a>]> {
        match self {
            Lite::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Lite::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Lite::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Lite::Null)
    }
}

impl<'de> Deserialize<'de> for Lite<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LiteVisitor)
    }
}

struct LiteVisitor;

impl<'de> Visitor<'de> for LiteVisitor {
    type Value = Lite<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Lite<'de>, E> {
        Ok(Lite::Null)
    }
    fn visit_none<E>(self) -> Result<Lite<'de>, E> {
        Ok(Lite::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Lite<'de>, E> {
        Ok(Lite::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Lite<'de>, E> {
        Ok(Lite::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Lite<'de>, E> {
        Ok(Lite::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Lite<'de>, E> {
        // JSON text cannot spell NaN or the infinities.
        Ok(Number::from_f64(n).map_or(Lite::Null, Lite::Number))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Lite<'de>, E> {
        Ok(Lite::String(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Lite<'de>, E> {
        Ok(Lite::String(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Lite<'de>, E> {
        Ok(Lite::String(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lite<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Lite::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lite<'de>, A::Error> {
        let mut obj = Obj(Vec::with_capacity(map.size_hint().unwrap_or(0).min(64)));
        let mut index = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let value = map.next_value()?;
            obj.push(key.0, value, &mut index);
        }
        Ok(Lite::Object(obj))
    }
}

/// An object key, borrowed where possible.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
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
        let src = br#"{"a":"plain","b":"esc\"aped","c":[1,-2,2.5,true,null]}"#;
        let v = Lite::parse(src).unwrap();
        let o = v.as_object().unwrap();
        assert!(matches!(
            o.get("a"),
            Some(Lite::String(Cow::Borrowed("plain")))
        ));
        assert!(matches!(o.get("b"), Some(Lite::String(Cow::Owned(s))) if s == "esc\"aped"));
        let direct: Json = serde_json::from_slice(src).unwrap();
        assert_eq!(v.to_json(), direct);
        assert_eq!(Lite::from_json(&direct), v);
    }

    #[test]
    fn duplicate_keys_keep_first_position_and_last_value() {
        // Small objects scan; large ones go through the hash index.
        for n in [3usize, 40] {
            let mut src = String::from("{");
            for i in 0..n {
                src.push_str(&format!("\"k{i}\":{i},"));
            }
            src.push_str("\"k1\":\"last\"}");
            let lite = Lite::parse(src.as_bytes()).unwrap();
            let json: Json = serde_json::from_str(&src).unwrap();
            assert_eq!(lite.to_json(), json, "{n} keys");
            let keys: Vec<&str> = lite.as_object().unwrap().iter().map(|(k, _)| k).collect();
            assert_eq!(keys.len(), n);
            assert_eq!(keys[1], "k1");
        }
    }

    #[test]
    fn errors_and_depth_limit_are_serde_json_s() {
        assert!(Lite::parse(b"{\"a\":").is_err());
        assert!(Lite::parse(b"[1,]").is_err());
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(Lite::parse(deep.as_bytes()).is_err());
    }
}
