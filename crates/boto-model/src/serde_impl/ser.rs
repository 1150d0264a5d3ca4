//! `Value` as a serde data source, and a `serde::Serializer` that builds a `Value`.
//!
//! Serializing a `Value` into another format (JSON, YAML) gives what aws-cli
//! prints: blobs as base64, timestamps as ISO 8601. Serializing into a `Value`
//! (through [`to_value`](crate::to_value)) keeps blobs and timestamps as they
//! are: both travel as newtype structs with private names that every other
//! serializer treats as transparent and [`ValueSerializer`] recognises.

use super::{ValueError, BLOB_TOKEN, TIMESTAMP_TOKEN};
use crate::{Map, Str, Timestamp, Value};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Integer(i) => s.serialize_i64(*i),
            Value::Float(f) => s.serialize_f64(*f),
            Value::String(v) => s.serialize_str(v),
            Value::Blob(b) => s.serialize_newtype_struct(BLOB_TOKEN, &BlobRepr(b)),
            Value::Timestamp(t) => t.serialize(s),
            Value::List(l) => {
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for v in l {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Bytes that print as base64 in human-readable formats and stay bytes otherwise.
struct BlobRepr<'a>(&'a [u8]);

impl Serialize for BlobRepr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            use base64::Engine;
            s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(self.0))
        } else {
            s.serialize_bytes(self.0)
        }
    }
}

/// Builds a [`Value`] from any `Serialize` type.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValueSerializer {
    /// False only while capturing the bytes of a blob (see [`BlobRepr`]).
    human: bool,
}

impl ValueSerializer {
    /// A serializer producing a [`Value`] ([`crate::to_value`] uses it).
    pub fn new() -> Self {
        ValueSerializer { human: true }
    }
}

fn int_or_float_u(v: u128) -> Value {
    i64::try_from(v)
        .map(Value::Integer)
        .unwrap_or(Value::Float(v as f64))
}

macro_rules! ser_int {
    ($($f:ident: $t:ty),*) => {$(
        fn $f(self, v: $t) -> Result<Value, ValueError> { Ok(Value::Integer(v as i64)) }
    )*};
}

impl Serializer for ValueSerializer {
    type Ok = Value;
    type Error = ValueError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = VariantBuilder<MapBuilder>;

    fn is_human_readable(&self) -> bool {
        self.human
    }

    fn serialize_bool(self, v: bool) -> Result<Value, ValueError> {
        Ok(Value::Bool(v))
    }
    ser_int!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
             serialize_u8: u8, serialize_u16: u16, serialize_u32: u32);
    fn serialize_u64(self, v: u64) -> Result<Value, ValueError> {
        Ok(int_or_float_u(v as u128))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, ValueError> {
        Ok(i64::try_from(v)
            .map(Value::Integer)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, ValueError> {
        Ok(int_or_float_u(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ValueError> {
        Ok(Value::Float(v as f64))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ValueError> {
        Ok(Value::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, ValueError> {
        Ok(Value::String(Str::from(&*v.encode_utf8(&mut [0; 4]))))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ValueError> {
        Ok(Value::String(v.into()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, ValueError> {
        Ok(Value::Blob(v.to_vec()))
    }
    fn serialize_none(self) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<Value, ValueError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, ValueError> {
        Ok(Value::String(variant.into()))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<Value, ValueError> {
        match name {
            TIMESTAMP_TOKEN => match v.serialize(self)? {
                Value::String(s) => Timestamp::parse(&s)
                    .map(Value::Timestamp)
                    .map_err(|e| ValueError::msg(e.to_string())),
                other => Ok(other),
            },
            BLOB_TOKEN => v.serialize(ValueSerializer { human: false }),
            _ => v.serialize(self),
        }
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Value, ValueError> {
        let inner = v.serialize(self).map_err(|e| e.at_key(variant))?;
        Ok(Value::Map(Map::from_iter([(variant.to_owned(), inner)])))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, ValueError> {
        Ok(SeqBuilder {
            items: Vec::new(),
            // A sequence of `u8`s (`Vec<u8>`, `&[u8]`, `[u8; N]`) is a blob.
            bytes: Some(Vec::with_capacity(len.unwrap_or(0).min(1 << 16))),
            ser: self,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, ValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqBuilder, ValueError> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len.min(4096)),
            bytes: None,
            ser: self,
        })
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, ValueError> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_tuple_struct(variant, len)?,
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, ValueError> {
        Ok(MapBuilder {
            map: Map::with_capacity(len.unwrap_or(0).min(4096)),
            key: None,
            ser: self,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapBuilder, ValueError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, ValueError> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

pub struct SeqBuilder {
    items: Vec<Value>,
    /// The elements so far while every one was a `u8`; `None` once one was not.
    bytes: Option<Vec<u8>>,
    ser: ValueSerializer,
}

impl SerializeSeq for SeqBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), ValueError> {
        if let Some(bytes) = &mut self.bytes {
            if let Some(b) = super::bytes::as_u8(v) {
                bytes.push(b);
                return Ok(());
            }
            self.items = bytes
                .iter()
                .map(|b| Value::Integer(i64::from(*b)))
                .collect();
            self.bytes = None;
        }
        let i = self.items.len();
        self.items
            .push(v.serialize(self.ser).map_err(|e| e.at_index(i))?);
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        match self.bytes {
            // An empty sequence says nothing about its element type: a list.
            Some(b) if !b.is_empty() => Ok(Value::Blob(b)),
            _ => Ok(Value::List(self.items)),
        }
    }
}

macro_rules! seq_like {
    ($($tr:ident :: $f:ident),*) => {$(
        impl ser::$tr for SeqBuilder {
            type Ok = Value;
            type Error = ValueError;
            fn $f<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), ValueError> {
                SerializeSeq::serialize_element(self, v)
            }
            fn end(self) -> Result<Value, ValueError> {
                SerializeSeq::end(self)
            }
        }
    )*};
}
seq_like!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

pub struct MapBuilder {
    map: Map,
    key: Option<String>,
    ser: ValueSerializer,
}

impl SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), ValueError> {
        self.key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), ValueError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ValueError::msg("map value without a key"))?;
        let v = v.serialize(self.ser).map_err(|e| e.at_key(&key))?;
        self.map.insert(key, v);
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::Map(self.map))
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), ValueError> {
        let v = v.serialize(self.ser).map_err(|e| e.at_key(key))?;
        self.map.insert(key.to_owned(), v);
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        SerializeMap::end(self)
    }
}

/// A tuple or struct variant: `{"Variant": [..]}` / `{"Variant": {..}}`, as serde_json does.
pub struct VariantBuilder<B> {
    variant: &'static str,
    inner: B,
}

impl<B> VariantBuilder<B> {
    fn wrap(variant: &'static str, v: Value) -> Value {
        Value::Map(Map::from_iter([(variant.to_owned(), v)]))
    }
}

impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), ValueError> {
        SerializeSeq::serialize_element(&mut self.inner, v).map_err(|e| e.at_key(self.variant))
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Self::wrap(self.variant, SerializeSeq::end(self.inner)?))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<MapBuilder> {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), ValueError> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, v)
            .map_err(|e| e.at_key(self.variant))
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Self::wrap(self.variant, SerializeMap::end(self.inner)?))
    }
}

/// Map keys must become strings; numbers, booleans and chars are printed as serde_json does.
struct KeySerializer;

fn key_err() -> ValueError {
    ValueError::msg("map keys must be strings, numbers, booleans or unit variants")
}

macro_rules! key_display {
    ($($f:ident: $t:ty),*) => {$(
        fn $f(self, v: $t) -> Result<String, ValueError> { Ok(v.to_string()) }
    )*};
}

impl Serializer for KeySerializer {
    type Ok = String;
    type Error = ValueError;
    type SerializeSeq = ser::Impossible<String, ValueError>;
    type SerializeTuple = ser::Impossible<String, ValueError>;
    type SerializeTupleStruct = ser::Impossible<String, ValueError>;
    type SerializeTupleVariant = ser::Impossible<String, ValueError>;
    type SerializeMap = ser::Impossible<String, ValueError>;
    type SerializeStruct = ser::Impossible<String, ValueError>;
    type SerializeStructVariant = ser::Impossible<String, ValueError>;

    key_display!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
                 serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
                 serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char,
                 serialize_str: &str);
    fn serialize_f32(self, _: f32) -> Result<String, ValueError> {
        Err(key_err())
    }
    fn serialize_f64(self, _: f64) -> Result<String, ValueError> {
        Err(key_err())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<String, ValueError> {
        String::from_utf8(v.to_vec()).map_err(|_| key_err())
    }
    fn serialize_none(self) -> Result<String, ValueError> {
        Err(key_err())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<String, ValueError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, ValueError> {
        Err(key_err())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, ValueError> {
        Err(key_err())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, ValueError> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String, ValueError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, ValueError> {
        Err(key_err())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, ValueError> {
        Err(key_err())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, ValueError> {
        Err(key_err())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ValueError> {
        Err(key_err())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ValueError> {
        Err(key_err())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, ValueError> {
        Err(key_err())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, ValueError> {
        Err(key_err())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ValueError> {
        Err(key_err())
    }
}
