//! Recognising byte sequences in `to_value`: serde serializes `Vec<u8>`,
//! `&[u8]` and `[u8; N]` as sequences of `u8`, which would become lists of
//! numbers. botocore takes `bytes` for blob members, so a sequence whose
//! elements are all `u8` becomes a [`Value::Blob`](crate::Value::Blob)
//! instead. (Types that serialize as bytes, like `bytes::Bytes` or
//! `serde_bytes`, are blobs already.)

use super::ValueError;
use serde::ser::{self, Impossible, Serialize, Serializer};

/// Some(byte) when `v` serializes as exactly one `u8`.
pub(super) fn as_u8<T: ?Sized + Serialize>(v: &T) -> Option<u8> {
    v.serialize(U8Probe).ok()
}

struct U8Probe;

fn no() -> ValueError {
    ValueError::msg(String::new())
}

macro_rules! refuse {
    ($($f:ident($($t:ty),*)),*) => {$(
        fn $f(self, $(_: $t),*) -> Result<u8, ValueError> { Err(no()) }
    )*};
}

impl Serializer for U8Probe {
    type Ok = u8;
    type Error = ValueError;
    type SerializeSeq = Impossible<u8, ValueError>;
    type SerializeTuple = Impossible<u8, ValueError>;
    type SerializeTupleStruct = Impossible<u8, ValueError>;
    type SerializeTupleVariant = Impossible<u8, ValueError>;
    type SerializeMap = Impossible<u8, ValueError>;
    type SerializeStruct = Impossible<u8, ValueError>;
    type SerializeStructVariant = Impossible<u8, ValueError>;

    fn serialize_u8(self, v: u8) -> Result<u8, ValueError> {
        Ok(v)
    }
    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str)
    );
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<u8, ValueError> {
        Err(no())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<u8, ValueError> {
        Err(no())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<u8, ValueError> {
        Err(no())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, ValueError> {
        Err(no())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, ValueError> {
        Err(no())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ValueError> {
        Err(no())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ValueError> {
        Err(no())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, ValueError> {
        Err(no())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, ValueError> {
        Err(no())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ValueError> {
        Err(no())
    }
}

// `Impossible` needs the error type to be a `ser::Error`, which ValueError is.
const _: fn() = || {
    fn is_ser_error<E: ser::Error>() {}
    is_ser_error::<ValueError>();
};
