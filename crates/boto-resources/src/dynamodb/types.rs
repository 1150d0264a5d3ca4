//! Plain DynamoDB values and their conversion to and from the wire's
//! `AttributeValue`, replacing boto3's `boto3.dynamodb.types`
//! (`TypeSerializer`, `TypeDeserializer`, `Binary`).
//!
//! Python guesses the DynamoDB type from the runtime type (`int` → `N`,
//! `set` of `str` → `SS`, `float` → error). Rust states it: [`AttrValue`]
//! has one variant per DynamoDB type, numbers are exact [`Decimal`]s and
//! items keep their key order (an [`IndexMap`], like a Python dict).
//! [`AttrValue::from_plain`] converts a plain [`boto::Value`] with boto3's
//! rules and errors. There is deliberately no `From<f64>` (boto3 refuses
//! floats too): parse a [`Decimal`] from text instead. Sets are typed, so
//! boto3's mixed-set error cannot arise; to read items into your own types,
//! go through [`item_to_plain`] and [`boto::from_value`].

use super::decimal::{Decimal, DecimalError};
use boto::{Map, Value};
use indexmap::IndexMap;

/// An item (or key): attribute names to values, in insertion order.
pub type Item = IndexMap<String, AttrValue>;

/// A DynamoDB value, one variant per DynamoDB data type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttrValue {
    /// `NULL`
    Null,
    /// `BOOL`
    Bool(bool),
    /// `N`
    Number(Decimal),
    /// `S`
    String(String),
    /// `B`
    Binary(Vec<u8>),
    /// `L`
    List(Vec<AttrValue>),
    /// `M`
    Map(Item),
    /// `SS` (a set: duplicates are an error when serializing)
    StringSet(Vec<String>),
    /// `NS`
    NumberSet(Vec<Decimal>),
    /// `BS`
    BinarySet(Vec<Vec<u8>>),
}

impl AttrValue {
    /// A number parsed exactly from its text (`"1.10"`, `"1E+2"`).
    pub fn number(text: &str) -> Result<AttrValue, DecimalError> {
        Decimal::parse(text).map(AttrValue::Number)
    }
    /// A binary value (`Vec<u8>` converts to a list of numbers, like boto3's `list`).
    pub fn binary(bytes: impl Into<Vec<u8>>) -> AttrValue {
        AttrValue::Binary(bytes.into())
    }
    /// A string set.
    pub fn string_set<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> AttrValue {
        AttrValue::StringSet(items.into_iter().map(Into::into).collect())
    }
    /// A number set.
    pub fn number_set<I: IntoIterator<Item = D>, D: Into<Decimal>>(items: I) -> AttrValue {
        AttrValue::NumberSet(items.into_iter().map(Into::into).collect())
    }
    /// A binary set.
    pub fn binary_set<I: IntoIterator<Item = B>, B: Into<Vec<u8>>>(items: I) -> AttrValue {
        AttrValue::BinarySet(items.into_iter().map(Into::into).collect())
    }

    /// The DynamoDB type tag (`"S"`, `"N"`, `"SS"`, ...).
    pub fn type_tag(&self) -> &'static str {
        match self {
            AttrValue::Null => "NULL",
            AttrValue::Bool(_) => "BOOL",
            AttrValue::Number(_) => "N",
            AttrValue::String(_) => "S",
            AttrValue::Binary(_) => "B",
            AttrValue::List(_) => "L",
            AttrValue::Map(_) => "M",
            AttrValue::StringSet(_) => "SS",
            AttrValue::NumberSet(_) => "NS",
            AttrValue::BinarySet(_) => "BS",
        }
    }

    /// The string of an `S` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            AttrValue::String(s) => Some(s),
            _ => None,
        }
    }
    /// The exact number of an `N` value.
    pub fn as_number(&self) -> Option<&Decimal> {
        match self {
            AttrValue::Number(n) => Some(n),
            _ => None,
        }
    }
    /// An `N` value as `i64`, when it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Decimal::to_i64)
    }
    /// The flag of a `BOOL` value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            AttrValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The bytes of a `B` value.
    pub fn as_binary(&self) -> Option<&[u8]> {
        match self {
            AttrValue::Binary(b) => Some(b),
            _ => None,
        }
    }
    /// The elements of an `L` value.
    pub fn as_list(&self) -> Option<&[AttrValue]> {
        match self {
            AttrValue::List(l) => Some(l),
            _ => None,
        }
    }
    /// The attributes of an `M` value.
    pub fn as_map(&self) -> Option<&Item> {
        match self {
            AttrValue::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Converts a plain value with boto3's rules: integers become numbers,
    /// floats are refused ("Float types are not supported. Use Decimal types
    /// instead."), blobs become binary, lists and maps recurse. Timestamps
    /// have no DynamoDB type and are refused like boto3's unsupported types.
    pub fn from_plain(value: &Value) -> Result<AttrValue, boto::Error> {
        Ok(match value {
            Value::Null => AttrValue::Null,
            Value::Bool(b) => AttrValue::Bool(*b),
            Value::Integer(i) => AttrValue::Number(Decimal::from(*i)),
            Value::Float(_) => {
                return Err(boto::Error::validation(
                    "Float types are not supported. Use Decimal types instead.",
                ))
            }
            Value::String(s) => AttrValue::String(s.to_string()),
            Value::Blob(b) => AttrValue::Binary(b.clone()),
            Value::List(l) => AttrValue::List(l.iter().map(AttrValue::from_plain).collect::<Result<_, _>>()?),
            Value::Map(m) => AttrValue::Map(item_from_plain(m)?),
            Value::Timestamp(t) => {
                return Err(boto::Error::validation(format!(
                    "Unsupported type \"timestamp\" for value \"{t:?}\": DynamoDB has no timestamp type; store a string or a number"
                )))
            }
        })
    }

    /// The nearest plain value, for callers that work in [`boto::Value`]:
    /// integral numbers within `i64` become integers, other numbers their exact
    /// decimal text (never an `f64`), sets become lists.
    pub fn to_plain(&self) -> Value {
        match self {
            AttrValue::Null => Value::Null,
            AttrValue::Bool(b) => Value::Bool(*b),
            AttrValue::Number(n) => number_to_plain(n),
            AttrValue::String(s) => Value::String(s.as_str().into()),
            AttrValue::Binary(b) => Value::Blob(b.clone()),
            AttrValue::List(l) => Value::List(l.iter().map(AttrValue::to_plain).collect()),
            AttrValue::Map(m) => Value::Map(item_to_plain(m)),
            AttrValue::StringSet(s) => {
                Value::List(s.iter().map(|s| Value::String(s.as_str().into())).collect())
            }
            AttrValue::NumberSet(s) => Value::List(s.iter().map(number_to_plain).collect()),
            AttrValue::BinarySet(s) => {
                Value::List(s.iter().map(|b| Value::Blob(b.clone())).collect())
            }
        }
    }
}

fn number_to_plain(n: &Decimal) -> Value {
    match n.to_i64() {
        Some(i) => Value::Integer(i),
        None => Value::String(n.to_string().into()),
    }
}

/// Converts a plain map into an item ([`AttrValue::from_plain`] per attribute).
pub fn item_from_plain(map: &Map) -> Result<Item, boto::Error> {
    map.iter()
        .map(|(k, v)| Ok((k.to_string(), AttrValue::from_plain(v)?)))
        .collect()
}

/// Converts an item into a plain map ([`AttrValue::to_plain`] per attribute).
pub fn item_to_plain(item: &Item) -> Map {
    item.iter()
        .map(|(k, v)| (k.clone(), v.to_plain()))
        .collect()
}

macro_rules! from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for AttrValue {
            fn from(v: $t) -> Self { AttrValue::Number(Decimal::from(v)) }
        }
    )*};
}
from_number!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl From<Decimal> for AttrValue {
    fn from(v: Decimal) -> Self {
        AttrValue::Number(v)
    }
}
impl From<bool> for AttrValue {
    fn from(v: bool) -> Self {
        AttrValue::Bool(v)
    }
}
impl From<&str> for AttrValue {
    fn from(v: &str) -> Self {
        AttrValue::String(v.to_string())
    }
}
impl From<String> for AttrValue {
    fn from(v: String) -> Self {
        AttrValue::String(v)
    }
}
impl From<&[u8]> for AttrValue {
    fn from(v: &[u8]) -> Self {
        AttrValue::Binary(v.to_vec())
    }
}
impl From<Item> for AttrValue {
    fn from(v: Item) -> Self {
        AttrValue::Map(v)
    }
}
impl<T: Into<AttrValue>> From<Vec<T>> for AttrValue {
    fn from(v: Vec<T>) -> Self {
        AttrValue::List(v.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<AttrValue>> From<std::collections::BTreeMap<String, T>> for AttrValue {
    fn from(v: std::collections::BTreeMap<String, T>) -> Self {
        AttrValue::Map(v.into_iter().map(|(k, x)| (k, x.into())).collect())
    }
}
impl<T: Into<AttrValue>> From<std::collections::HashMap<String, T>> for AttrValue {
    fn from(v: std::collections::HashMap<String, T>) -> Self {
        AttrValue::Map(v.into_iter().map(|(k, x)| (k, x.into())).collect())
    }
}
impl<T: Into<AttrValue>> From<Option<T>> for AttrValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(AttrValue::Null, Into::into)
    }
}

/// Builds an [`Item`]: `item! {"pk": "a", "n": 3}`.
#[macro_export]
macro_rules! item {
    ($($k:expr => $v:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut m = $crate::dynamodb::Item::new();
        $( m.insert(::std::string::String::from($k), $crate::dynamodb::AttrValue::from($v)); )*
        m
    }};
}

/// Plain values → `AttributeValue` maps (`{"N": "1.5"}`), as boto3's `TypeSerializer`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypeSerializer;

impl TypeSerializer {
    /// Serializes one value. Errors: empty or duplicate-holding sets (DynamoDB
    /// rejects both; boto3 would send an empty set as `{"NS": []}`).
    pub fn serialize(&self, value: &AttrValue) -> Result<Value, boto::Error> {
        let mut m = Map::with_capacity(1);
        let wire = match value {
            AttrValue::Null => Value::Bool(true),
            AttrValue::Bool(b) => Value::Bool(*b),
            AttrValue::Number(n) => Value::String(n.to_string().into()),
            AttrValue::String(s) => Value::String(s.as_str().into()),
            AttrValue::Binary(b) => Value::Blob(b.clone()),
            AttrValue::List(l) => Value::List(
                l.iter()
                    .map(|v| self.serialize(v))
                    .collect::<Result<_, _>>()?,
            ),
            AttrValue::Map(item) => Value::Map(self.serialize_item(item)?),
            AttrValue::StringSet(s) => {
                check_set("SS", s)?;
                Value::List(s.iter().map(|s| Value::String(s.as_str().into())).collect())
            }
            AttrValue::NumberSet(s) => {
                check_set("NS", s)?;
                Value::List(
                    s.iter()
                        .map(|n| Value::String(n.to_string().into()))
                        .collect(),
                )
            }
            AttrValue::BinarySet(s) => {
                check_set("BS", s)?;
                Value::List(s.iter().map(|b| Value::Blob(b.clone())).collect())
            }
        };
        m.insert(value.type_tag().to_string(), wire);
        Ok(Value::Map(m))
    }

    /// Serializes every attribute of an item.
    pub fn serialize_item(&self, item: &Item) -> Result<Map, boto::Error> {
        item.iter()
            .map(|(k, v)| Ok((k.clone(), self.serialize(v)?)))
            .collect()
    }
}

fn check_set<T: PartialEq>(tag: &str, items: &[T]) -> Result<(), boto::Error> {
    if items.is_empty() {
        return Err(boto::Error::validation(format!(
            "empty set ({tag}): DynamoDB does not store empty sets"
        )));
    }
    for (i, a) in items.iter().enumerate() {
        if items[..i].contains(a) {
            return Err(boto::Error::validation(format!(
                "set ({tag}) holds a duplicate element: a set's elements must be distinct"
            )));
        }
    }
    Ok(())
}

/// `AttributeValue` maps → plain values, as boto3's `TypeDeserializer`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypeDeserializer;

impl TypeDeserializer {
    /// Deserializes one `AttributeValue`. Like boto3, the first key decides
    /// the type; an empty map or an unknown type is an error; numbers must be
    /// within DynamoDB's range; duplicate set elements collapse (a set).
    pub fn deserialize(&self, value: &Value) -> Result<AttrValue, boto::Error> {
        let (tag, inner) = match value.as_map().and_then(|m| m.first()) {
            Some(first) => first,
            None => {
                return Err(boto::Error::validation(
                    "Value must be a nonempty dictionary whose key is a valid dynamodb type.",
                ))
            }
        };
        let bad = |what: &str| {
            boto::Error::validation(format!(
                "malformed AttributeValue: {tag} must hold {what}, got {}",
                inner.type_name()
            ))
        };
        let list = || inner.as_list().ok_or_else(|| bad("a list"));
        Ok(match tag.as_str() {
            "NULL" => AttrValue::Null,
            "BOOL" => AttrValue::Bool(inner.as_bool().ok_or_else(|| bad("a boolean"))?),
            "N" => AttrValue::Number(number(inner).ok_or_else(|| bad("a number string"))??),
            "S" => AttrValue::String(inner.as_str().ok_or_else(|| bad("a string"))?.to_string()),
            "B" => AttrValue::Binary(inner.as_blob().ok_or_else(|| bad("a blob"))?.to_vec()),
            "L" => AttrValue::List(
                list()?
                    .iter()
                    .map(|v| self.deserialize(v))
                    .collect::<Result<_, _>>()?,
            ),
            "M" => {
                AttrValue::Map(self.deserialize_item(inner.as_map().ok_or_else(|| bad("a map"))?)?)
            }
            "SS" => AttrValue::StringSet(dedup(list()?.iter().map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| bad("a list of strings"))
            }))?),
            "NS" => AttrValue::NumberSet(dedup(list()?.iter().map(|v| {
                number(v)
                    .ok_or_else(|| bad("a list of number strings"))?
                    .map_err(Into::into)
            }))?),
            "BS" => AttrValue::BinarySet(dedup(list()?.iter().map(|v| {
                v.as_blob()
                    .map(<[u8]>::to_vec)
                    .ok_or_else(|| bad("a list of blobs"))
            }))?),
            other => {
                return Err(boto::Error::validation(format!(
                    "Dynamodb type {other} is not supported"
                )))
            }
        })
    }

    /// Deserializes every attribute of a wire item.
    pub fn deserialize_item(&self, map: &Map) -> Result<Item, boto::Error> {
        map.iter()
            .map(|(k, v)| Ok((k.to_string(), self.deserialize(v)?)))
            .collect()
    }
}

fn number(v: &Value) -> Option<Result<Decimal, DecimalError>> {
    v.as_str().map(Decimal::parse)
}

fn dedup<T: PartialEq>(
    items: impl Iterator<Item = Result<T, boto::Error>>,
) -> Result<Vec<T>, boto::Error> {
    let mut out: Vec<T> = Vec::new();
    for item in items {
        let item = item?;
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}
