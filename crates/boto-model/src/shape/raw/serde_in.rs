//! Deserializer helpers for the raw model: JSON objects as ordered entries,
//! strings borrowed from the input where they have no escapes, and the two
//! forms of `xmlNamespace`. Split from `raw.rs` to keep it under ~600 lines.

use super::{Str, XmlNamespace};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// A JSON object read as an ordered list of entries (model order decides shape ids).
pub(super) fn ordered<'de, D, V>(d: D) -> Result<Vec<(Str<'de>, V)>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Entries<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
        type Value = Vec<(Str<'de>, V)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(m.size_hint().unwrap_or(0));
            while let Some(k) = m.next_key::<BorrowedKey>()? {
                out.push((k.0, m.next_value()?));
            }
            Ok(out)
        }
    }
    d.deserialize_map(Entries(PhantomData))
}

/// A map key, borrowed from the input when it has no escapes.
struct BorrowedKey<'de>(Str<'de>);

impl<'de> Deserialize<'de> for BorrowedKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        CowStr(d).deserialize().map(BorrowedKey)
    }
}

/// Forces `Cow<str>` to borrow: serde's own impl always copies.
struct CowStr<D>(D);

impl<'de, D: Deserializer<'de>> CowStr<D> {
    fn deserialize(self) -> Result<Str<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Cow::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Cow::Owned(v))
            }
        }
        self.0.deserialize_str(V)
    }
}

pub(super) fn cow<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Str<'de>>, D::Error> {
    CowStr(d).deserialize().map(Some)
}

/// `xmlNamespace` is a bare URI string or `{"prefix": .., "uri": ..}`.
pub(super) fn xml_ns<'de, D: Deserializer<'de>>(d: D) -> Result<Option<XmlNamespace>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<XmlNamespace>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a namespace string or object")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(XmlNamespace {
                prefix: None,
                uri: v.to_owned(),
            }))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let (mut prefix, mut uri) = (None, None);
            while let Some(k) = m.next_key::<BorrowedKey>()? {
                match &*k.0 {
                    "prefix" => prefix = m.next_value::<Option<String>>()?,
                    "uri" => uri = m.next_value::<Option<String>>()?,
                    _ => {
                        m.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(uri.map(|uri| XmlNamespace { prefix, uri }))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V)
}
