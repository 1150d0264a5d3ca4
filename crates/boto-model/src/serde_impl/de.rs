//! Reading a `Value` into user types, and building a `Value` from any format.
//!
//! The deserializer over `&Value` bends where the target type asks for
//! something the value can honestly provide: a timestamp is an ISO 8601 string
//! to a `String` and epoch seconds to a number; a blob is bytes (or a sequence
//! of `u8`, which is how `Vec<u8>` asks) and base64 to a `String`; whole floats
//! fill integers and integers fill floats. Errors carry the path of the
//! offending value (`Contents[3].Key`).

use super::{ValueError, BLOB_TOKEN, TIMESTAMP_TOKEN, TS_NANOS_KEY, TS_SECS_KEY, VALUE_TOKEN};
use crate::{Map, Timestamp, Value};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use std::fmt;

// ---------------------------------------------------------------------------
// Deserialize for Value

impl<'de> de::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        // The private newtype name lets our own deserializer hand over blobs and
        // timestamps intact; every other format treats it as transparent.
        d.deserialize_newtype_struct(VALUE_TOKEN, ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Integer(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Integer)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Integer)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v.into()))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Blob(v.to_vec()))
    }
    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Blob(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        de::Deserialize::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::with_capacity(access.size_hint().unwrap_or(0).min(4096));
        while let Some(key) = access.next_key::<crate::Key>()? {
            if key == TS_SECS_KEY {
                return TimestampVisitor.finish_magic(access);
            }
            let v = access.next_value()?;
            map.insert(key, v);
        }
        Ok(Value::Map(map))
    }
}

// ---------------------------------------------------------------------------
// Deserialize for Timestamp

impl<'de> de::Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        d.deserialize_newtype_struct(TIMESTAMP_TOKEN, TimestampVisitor)
    }
}

struct TimestampVisitor;

impl TimestampVisitor {
    /// Reads the rest of the private `{secs, nanos}` map after its first key.
    fn finish_magic<'de, A: MapAccess<'de>, T: From<Timestamp>>(
        &self,
        mut access: A,
    ) -> Result<T, A::Error> {
        let secs: i64 = access.next_value()?;
        let mut nanos = 0u32;
        if let Some(k) = access.next_key::<String>()? {
            if k != TS_NANOS_KEY {
                return Err(de::Error::custom("malformed timestamp"));
            }
            nanos = access.next_value()?;
        }
        Ok(Timestamp::new(secs, nanos).into())
    }
}

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Timestamp;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a timestamp (ISO 8601 or HTTP date string, or epoch seconds)")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Timestamp, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
        Timestamp::parse(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
        Ok(Timestamp::from_epoch_secs(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
        i64::try_from(v)
            .map(Timestamp::from_epoch_secs)
            .map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
        Timestamp::from_epoch_f64(v).ok_or_else(|| E::invalid_value(Unexpected::Float(v), &self))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Timestamp, A::Error> {
        match access.next_key::<String>()? {
            Some(k) if k == TS_SECS_KEY => self.finish_magic(access),
            _ => Err(de::Error::invalid_type(Unexpected::Map, &self)),
        }
    }
}

// ---------------------------------------------------------------------------
// Deserializer for &Value

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Integer(i) => Unexpected::Signed(*i),
        Value::Float(f) => Unexpected::Float(*f),
        Value::String(s) => Unexpected::Str(s),
        Value::Blob(b) => Unexpected::Bytes(b),
        Value::Timestamp(_) => Unexpected::Other("timestamp"),
        Value::List(_) => Unexpected::Seq,
        Value::Map(_) => Unexpected::Map,
    }
}

fn base64(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// Integer targets: integers, whole floats, timestamps (epoch seconds).
fn visit_integer<'de, V: Visitor<'de>>(v: &'de Value, visitor: V) -> Result<V::Value, ValueError> {
    match v {
        Value::Integer(i) => visitor.visit_i64(*i),
        Value::Float(f)
            if f.fract() == 0.0
                && *f >= -9.223_372_036_854_776e18
                && *f < 9.223_372_036_854_776e18 =>
        {
            visitor.visit_i64(*f as i64)
        }
        Value::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 1.844_674_407_370_955_2e19 => {
            visitor.visit_u64(*f as u64)
        }
        Value::Timestamp(t) => visitor.visit_i64(t.epoch_secs()),
        _ => v.deserialize_any(visitor),
    }
}

macro_rules! de_integers {
    ($($f:ident),*) => {$(
        fn $f<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
            visit_integer(self, visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for &'de Value {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Integer(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Blob(b) => visitor.visit_borrowed_bytes(b),
            Value::Timestamp(t) => visitor.visit_string(t.to_iso8601()),
            Value::List(l) => visit_list(l, visitor),
            Value::Map(m) => visitor.visit_map(MapRef {
                iter: m.iter(),
                value: None,
            }),
        }
    }

    de_integers!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128
    );

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        self.deserialize_f64(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self {
            Value::Timestamp(t) => visitor.visit_f64(t.epoch_f64()),
            _ => self.deserialize_any(visitor),
        }
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self {
            Value::Blob(b) => visitor.visit_string(base64(b)),
            _ => self.deserialize_any(visitor),
        }
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        self.deserialize_str(visitor)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self {
            Value::String(s) => visitor.visit_borrowed_bytes(s.as_bytes()),
            Value::List(_) => self.deserialize_seq(visitor),
            _ => self.deserialize_any(visitor),
        }
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        self.deserialize_bytes(visitor)
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }
    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        self.deserialize_any(visitor)
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.deserialize_unit(visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        match (name, self) {
            (VALUE_TOKEN | TIMESTAMP_TOKEN, Value::Timestamp(t)) => {
                let entries = [
                    (TS_SECS_KEY, t.epoch_secs()),
                    (TS_NANOS_KEY, i64::from(t.subsec_nanos())),
                ];
                visitor.visit_map(de::value::MapDeserializer::new(entries.into_iter()))
            }
            (VALUE_TOKEN | TIMESTAMP_TOKEN, _) => self.deserialize_any(visitor),
            (BLOB_TOKEN, _) => self.deserialize_bytes(visitor),
            _ => visitor.visit_newtype_struct(self),
        }
    }
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self {
            Value::Blob(b) => visitor.visit_seq(de::value::SeqDeserializer::new(b.iter().copied())),
            // AWS omits empty lists (S3's `Contents`): a missing list reads as
            // an empty one. `Option<Vec<_>>` still sees `None` (deserialize_option).
            Value::Null => visit_list(&[], visitor),
            _ => self.deserialize_any(visitor),
        }
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        match self {
            Value::String(s) => visitor.visit_enum(Enum {
                variant: s,
                value: None,
            }),
            Value::Map(m) if m.len() == 1 => {
                let (k, v) = m
                    .iter()
                    .next()
                    .ok_or_else(|| ValueError::msg("empty enum map"))?;
                visitor.visit_enum(Enum {
                    variant: k,
                    value: Some(v),
                })
            }
            other => Err(de::Error::invalid_type(
                unexpected(other),
                &"a string or a map with one key",
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool char map struct identifier ignored_any
    }
}

fn visit_list<'de, V: Visitor<'de>>(l: &'de [Value], visitor: V) -> Result<V::Value, ValueError> {
    let mut seq = ListRef {
        iter: l.iter().enumerate(),
    };
    let out = visitor.visit_seq(&mut seq)?;
    let rest = seq.iter.len();
    if rest == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(
            l.len(),
            &format!("{} elements", l.len() - rest).as_str(),
        ))
    }
}

struct ListRef<'de> {
    iter: std::iter::Enumerate<std::slice::Iter<'de, Value>>,
}

impl<'de> SeqAccess<'de> for ListRef<'de> {
    type Error = ValueError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ValueError> {
        match self.iter.next() {
            Some((i, v)) => seed.deserialize(v).map(Some).map_err(|e| e.at_index(i)),
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct MapRef<'de> {
    iter: crate::map::Iter<'de>,
    value: Option<(&'de str, &'de Value)>,
}

impl<'de> MapAccess<'de> for MapRef<'de> {
    type Error = ValueError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ValueError> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some((k, v));
                seed.deserialize(de::value::BorrowedStrDeserializer::new(k))
                    .map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, ValueError> {
        let (k, v) = self
            .value
            .take()
            .ok_or_else(|| ValueError::msg("map value requested before its key"))?;
        seed.deserialize(v).map_err(|e| e.at_key(k))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Enum<'de> {
    variant: &'de str,
    value: Option<&'de Value>,
}

impl<'de> EnumAccess<'de> for Enum<'de> {
    type Error = ValueError;
    type Variant = Self;
    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self), ValueError> {
        let v = seed.deserialize(de::value::BorrowedStrDeserializer::<ValueError>::new(
            self.variant,
        ))?;
        Ok((v, self))
    }
}

impl<'de> VariantAccess<'de> for Enum<'de> {
    type Error = ValueError;
    fn unit_variant(self) -> Result<(), ValueError> {
        match self.value {
            None | Some(Value::Null) => Ok(()),
            Some(v) => Err(de::Error::invalid_type(unexpected(v), &"a unit variant")),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, ValueError> {
        match self.value {
            Some(v) => seed.deserialize(v).map_err(|e| e.at_key(self.variant)),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"a newtype variant",
            )),
        }
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, ValueError> {
        match self.value {
            Some(v) => v
                .deserialize_seq(visitor)
                .map_err(|e| e.at_key(self.variant)),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"a tuple variant",
            )),
        }
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        match self.value {
            Some(v) => v
                .deserialize_map(visitor)
                .map_err(|e| e.at_key(self.variant)),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"a struct variant",
            )),
        }
    }
}

impl<'de> IntoDeserializer<'de, ValueError> for &'de Value {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}
