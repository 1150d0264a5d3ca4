//! JSON bodies (awsJson 1.0/1.1 and rest-json) and the `json` protocol.
//!
//! The body is walked straight from the bytes with serde's `DeserializeSeed`,
//! one seed per shape, so no intermediate `serde_json::Value` is built: a
//! DynamoDB item goes from text to [`Value`] in one pass. Semantics follow
//! botocore's `BaseJSONParser`: `null` members are omitted, unknown keys are
//! skipped, scalars the model does not expect pass through unchanged, blobs
//! are base64, timestamps are epoch numbers or strings, documents are kept
//! as-is, and tagged unions with an unknown member become `SDK_UNKNOWN_MEMBER`.
//! Members come out in model order, as botocore's dicts do. serde_json's
//! recursion limit (128) bounds nesting.

use super::{
    apply_query_compatible, decode_base64, eventstream, inject_amzn_request_id, located,
    sanitize_code, special_float, timestamp_from_f64, timestamp_from_text, wire_name,
};
use crate::{ParseError, Response};
use boto_model::{
    Map, MemberRef, RefTraits, ServiceModel, ShapeId, ShapeKind, StructureShape, Value,
};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

#[derive(Clone, Copy)]
pub(crate) struct Walk<'m> {
    pub model: &'m ServiceModel,
    /// rest-json: header/status members are not read from the body.
    pub skip_located: bool,
}

fn json_err(e: serde_json::Error) -> ParseError {
    ParseError::new(format!("invalid JSON body: {e}"))
}

/// Parses a whole JSON body as the shape `r` targets. An empty body reads as `{}`.
pub(crate) fn parse_body(w: Walk<'_>, r: &MemberRef, body: &[u8]) -> Result<Value, ParseError> {
    if body.trim_ascii().is_empty() {
        return Ok(match &w.model.shape(r.target).kind {
            ShapeKind::List { .. } => Value::List(Vec::new()),
            ShapeKind::Structure(_) | ShapeKind::Map { .. } => Value::Map(Map::new()),
            _ => Value::Null,
        });
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let v = ShapeSeed { w, r }.deserialize(&mut de).map_err(json_err)?;
    de.end().map_err(json_err)?;
    Ok(v)
}

/// Parses an output/error structure body into a map (`null` reads as empty).
pub(crate) fn parse_struct_body(
    w: Walk<'_>,
    r: &MemberRef,
    body: &[u8],
) -> Result<Map, ParseError> {
    match parse_body(w, r, body)? {
        Value::Map(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        other => Err(ParseError::new(format!(
            "expected a JSON object, got {}",
            other.type_name()
        ))),
    }
}

/// A body without a shape, as botocore's `_parse_body_as_json` for errors:
/// empty is `{}`, unparsable text becomes `{"message": text}`.
pub(crate) fn generic_body(body: &[u8]) -> Map {
    if body.is_empty() {
        return Map::new();
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    match DocVisitor
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|_| v))
    {
        Ok(Value::Map(m)) => m,
        Ok(_) => Map::new(),
        Err(_) => {
            let mut m = Map::new();
            m.insert("message", String::from_utf8_lossy(body).into_owned().into());
            m
        }
    }
}

pub(crate) fn synthetic_ref(id: ShapeId) -> MemberRef {
    MemberRef {
        name: "error".into(),
        target: id,
        traits: RefTraits::default(),
    }
}

// ---------------------------------------------------------------------------
// The json protocol.

pub(crate) fn parse(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    let w = Walk {
        model,
        skip_located: false,
    };
    let mut parsed = match out {
        None => Map::new(),
        Some(r) => match event_stream_member(model, r) {
            Some(es) => eventstream::parse_rpc(model, r, es, resp.body, json_payload)?,
            None => parse_struct_body(w, r, resp.body)?,
        },
    };
    inject_amzn_request_id(&mut parsed, resp);
    Ok(parsed)
}

/// The member of an output structure that is an event stream, if any.
pub(crate) fn event_stream_member<'m>(
    model: &'m ServiceModel,
    r: &MemberRef,
) -> Option<&'m MemberRef> {
    let s = model.shape(r.target).as_structure()?;
    s.members
        .iter()
        .find(|m| matches!(&model.shape(m.target).kind, ShapeKind::Structure(t) if t.eventstream))
}

/// Event payload parser for JSON-bodied protocols.
pub(crate) fn json_payload(
    model: &ServiceModel,
    r: &MemberRef,
    body: &[u8],
) -> Result<Value, ParseError> {
    parse_body(
        Walk {
            model,
            skip_located: false,
        },
        r,
        body,
    )
}

/// botocore's `BaseJSONParser._do_error_parse` (plus `x-amzn-errortype`,
/// which awsJson clients must honour first, and a body `code`).
pub(crate) fn parse_error(resp: &Response<'_>) -> Result<Map, ParseError> {
    let body = generic_body(resp.body);
    let code = match resp.header("x-amzn-errortype") {
        Some(h) => h.to_string(),
        // `__type` as botocore; `code` as other Smithy clients also accept.
        None => match body
            .get("__type")
            .filter(|v| !v.is_null())
            .or_else(|| body.get("code"))
        {
            Some(Value::String(s)) => s.clone(),
            Some(v) if !v.is_null() => v.to_json().to_string(),
            _ => resp.status.to_string(),
        },
    };
    Ok(error_dict(body, code, resp))
}

/// The error dict from a generic body and a raw code: message from
/// `message`/`Message`, code sanitized, query-compatible header applied.
pub(crate) fn error_dict(body: Map, code: String, resp: &Response<'_>) -> Map {
    let message = body
        .get("message")
        .or_else(|| body.get("Message"))
        .cloned()
        .unwrap_or_else(|| "".into());
    let mut error = Map::with_capacity(4);
    error.insert("Message", message);
    error.insert("Code", "".into());
    let code = sanitize_code(&code).to_string();
    let code = apply_query_compatible(code, &mut error, resp);
    error.insert("Code", code.into());
    let mut out = Map::new();
    out.insert("Error", Value::Map(error));
    out.insert("ResponseMetadata", Value::Map(Map::new()));
    inject_amzn_request_id(&mut out, resp);
    out
}

pub(crate) fn parse_modeled_error(
    model: &ServiceModel,
    id: ShapeId,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    parse_struct_body(
        Walk {
            model,
            skip_located: false,
        },
        &synthetic_ref(id),
        resp.body,
    )
}

// ---------------------------------------------------------------------------
// Seeds.

struct ShapeSeed<'w, 'm> {
    w: Walk<'m>,
    r: &'w MemberRef,
}

impl<'de> DeserializeSeed<'de> for ShapeSeed<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let model = self.w.model;
        let shape = model.shape(self.r.target);
        match &shape.kind {
            ShapeKind::Structure(s) if s.document => d.deserialize_any(DocVisitor),
            ShapeKind::Structure(s) => d.deserialize_any(StructVisitor { w: self.w, s }),
            ShapeKind::List { member } => d.deserialize_any(ListVisitor { w: self.w, member }),
            ShapeKind::Map { value, .. } => d.deserialize_any(MapVisitor { w: self.w, value }),
            kind => {
                let raw = d.deserialize_any(DocVisitor)?;
                scalar(kind, raw).map_err(de::Error::custom)
            }
        }
    }
}

/// Converts a raw JSON scalar to the modeled type; what the model does not
/// expect passes through, like botocore's default handler.
fn scalar(kind: &ShapeKind, raw: Value) -> Result<Value, String> {
    Ok(match (kind, raw) {
        (_, Value::Null) => Value::Null,
        (ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal, Value::Integer(i)) => {
            Value::Float(i as f64)
        }
        (ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal, Value::String(s)) => {
            match special_float(&s) {
                Some(f) => Value::Float(f),
                None => Value::String(s),
            }
        }
        (ShapeKind::Blob, Value::String(s)) => {
            Value::Blob(decode_base64(&s).map_err(|e| e.message)?)
        }
        (ShapeKind::Blob, other) => {
            return Err(format!(
                "expected a base64 string for a blob, got {}",
                other.type_name()
            ))
        }
        (ShapeKind::Timestamp, Value::Integer(i)) => {
            timestamp_from_f64(i as f64).map_err(|e| e.message)?
        }
        (ShapeKind::Timestamp, Value::Float(f)) => timestamp_from_f64(f).map_err(|e| e.message)?,
        (ShapeKind::Timestamp, Value::String(s)) => {
            timestamp_from_text(&s).map_err(|e| e.message)?
        }
        (ShapeKind::Timestamp, other) => {
            return Err(format!("expected a timestamp, got {}", other.type_name()))
        }
        (_, v) => v,
    })
}

struct StructVisitor<'w, 'm> {
    w: Walk<'m>,
    s: &'w StructureShape,
}

impl<'de> Visitor<'de> for StructVisitor<'_, '_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let members = &self.s.members;
        let union = self.s.union;
        // Members go straight into the output; if the wire order differs
        // from the model order they are re-sorted at the end.
        // A union holds one member: room for exactly that.
        let mut out = if union {
            Map::with_capacity(1)
        } else {
            Map::new()
        };
        let (mut last, mut in_order) = (0, true);
        let (mut set, mut unknown): (usize, Option<String>) = (0, None);
        let mut seen = 0u128;
        while let Some(key) = map.next_key_seed(KeySeed {
            w: self.w,
            s: self.s,
            want_name: union,
        })? {
            match key.index {
                Some(i) => {
                    let v = map.next_value_seed(ShapeSeed {
                        w: self.w,
                        r: &members[i],
                    })?;
                    if !v.is_null() {
                        set += 1;
                        in_order &= i >= last;
                        last = i;
                        // A member seen for the first time is appended
                        // without a search; a repeated JSON key replaces.
                        let bit = 1u128.checked_shl(i as u32).unwrap_or(0);
                        if seen & bit == 0 && bit != 0 {
                            seen |= bit;
                            out.insert_new(&*members[i].name, v);
                        } else {
                            out.insert(&*members[i].name, v);
                        }
                    }
                }
                None if union && key.name.as_deref() != Some("__type") => {
                    if !map.next_value_seed(IsNull)? {
                        set += 1;
                        unknown = key.name;
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if union {
            if set != 1 {
                return Err(de::Error::custom(
                    "invalid union: exactly one member must be set",
                ));
            }
            if let Some(tag) = unknown {
                let mut inner = Map::new();
                inner.insert("name", tag.into());
                let mut m = Map::new();
                m.insert("SDK_UNKNOWN_MEMBER", Value::Map(inner));
                return Ok(Value::Map(m));
            }
        }
        if !in_order {
            let pos = |k: &boto_model::Key| members.iter().position(|m| *m.name == **k);
            out.sort_by(|a, _, b, _| pos(a).cmp(&pos(b)));
        }
        Ok(Value::Map(out))
    }
}

struct Key {
    index: Option<usize>,
    name: Option<String>,
}

struct KeySeed<'w, 'm> {
    w: Walk<'m>,
    s: &'w StructureShape,
    want_name: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E>(self, k: &str) -> Result<Key, E> {
        let model = self.w.model;
        let ok = |m: &MemberRef| !(self.w.skip_located && located(model, m));
        // Fast path: the member is named as on the wire and nothing renames it.
        let index = self
            .s
            .members
            .iter()
            .position(|m| {
                *m.name == *k
                    && m.traits.location_name.is_none()
                    && model.shape(m.target).traits.location_name.is_none()
            })
            .filter(|&i| ok(&self.s.members[i]))
            .or_else(|| {
                self.s
                    .members
                    .iter()
                    .position(|m| wire_name(model, m) == k && ok(m))
            });
        // A union's unknown member is reported by name; known ones need none.
        let name = (self.want_name && index.is_none()).then(|| k.to_owned());
        Ok(Key { index, name })
    }
}

struct ListVisitor<'w, 'm> {
    w: Walk<'m>,
    member: &'w MemberRef,
}

impl<'de> Visitor<'de> for ListVisitor<'_, '_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(ShapeSeed {
            w: self.w,
            r: self.member,
        })? {
            out.push(v);
        }
        Ok(Value::List(out))
    }
}

struct MapVisitor<'w, 'm> {
    w: Walk<'m>,
    value: &'w MemberRef,
}

impl<'de> Visitor<'de> for MapVisitor<'_, '_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(k) = map.next_key::<boto_model::Key>()? {
            let v = map.next_value_seed(ShapeSeed {
                w: self.w,
                r: self.value,
            })?;
            out.insert(k, v);
        }
        Ok(Value::Map(out))
    }
}

/// Any JSON value as a [`Value`] (documents, and the raw form of scalars).
pub(crate) struct DocVisitor;

impl<'de> DeserializeSeed<'de> for DocVisitor {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
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
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(DocVisitor)? {
            out.push(v);
        }
        Ok(Value::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<boto_model::Key>()? {
            let v = map.next_value_seed(DocVisitor)?;
            out.insert(k, v);
        }
        Ok(Value::Map(out))
    }
}

/// Skips a value, reporting whether it was `null`.
struct IsNull;

impl<'de> DeserializeSeed<'de> for IsNull {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for IsNull {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> std::sync::Arc<ServiceModel> {
        ServiceModel::from_json(
            "t",
            &serde_json::json!({"metadata": {"protocol": "json"}, "shapes": {
                "Out": {"type": "structure", "members": {
                    "B": {"shape": "Blob"}, "T": {"shape": "Ts"}, "F": {"shape": "F"},
                    "U": {"shape": "U"}, "L": {"shape": "L"}, "Self": {"shape": "Out"}}},
                "U": {"type": "structure", "union": true, "members": {"S": {"shape": "S"}}},
                "L": {"type": "list", "member": {"shape": "S"}},
                "S": {"type": "string"}, "Blob": {"type": "blob"}, "Ts": {"type": "timestamp"}, "F": {"type": "double"}}}),
        )
        .unwrap()
    }

    fn out_ref(m: &ServiceModel) -> MemberRef {
        synthetic_ref(m.shape_id("Out").unwrap())
    }

    #[test]
    fn walks_shapes_in_model_order() {
        let m = model();
        let v = parse_body(
            Walk { model: &m, skip_located: false },
            &out_ref(&m),
            br#"{"F": "NaN", "T": 1.5, "B": "aGk=", "X": [1], "L": ["a", null], "U": {"Zed": 1, "S": null}}"#,
        )
        .unwrap();
        let keys: Vec<_> = v.as_map().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["B", "T", "F", "U", "L"]);
        assert_eq!(v.get("B"), &Value::blob(b"hi".to_vec()));
        assert_eq!(v.get("T").as_timestamp().unwrap().epoch_f64(), 1.5);
        assert!(v.get("F").as_f64().unwrap().is_nan());
        assert_eq!(v.pointer("U.SDK_UNKNOWN_MEMBER.name").as_str(), Some("Zed"));
        assert_eq!(v.get("L"), &Value::List(vec!["a".into(), Value::Null]));
    }

    #[test]
    fn malformed_and_deep_bodies_are_errors() {
        let m = model();
        let w = Walk {
            model: &m,
            skip_located: false,
        };
        for bad in [&b"{"[..], b"{\"B\": 1}", b"[]", b"{} x", b"{\"U\": {}}"] {
            assert!(
                parse_body(w, &out_ref(&m), bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let deep = "{\"Self\":".repeat(5000) + &"}".repeat(5000);
        assert!(parse_body(w, &out_ref(&m), deep.as_bytes()).is_err());
    }

    #[test]
    fn error_codes_and_query_compat() {
        let h = vec![(
            "x-amzn-query-error".to_string(),
            "AWS.Foo;Sender".to_string(),
        )];
        let resp = Response {
            status: 400,
            headers: &h,
            body: br#"{"__type": "ns#Bar:http://x", "Message": "m"}"#,
        };
        let e = parse_error(&resp).unwrap();
        assert_eq!(e["Error"].get("Code").as_str(), Some("AWS.Foo"));
        assert_eq!(e["Error"].get("QueryErrorCode").as_str(), Some("Bar"));
        assert_eq!(e["Error"].get("Message").as_str(), Some("m"));
        let resp = Response {
            status: 418,
            headers: &[],
            body: b"not json",
        };
        let e = parse_error(&resp).unwrap();
        assert_eq!(e["Error"].get("Code").as_str(), Some("418"));
        assert_eq!(e["Error"].get("Message").as_str(), Some("not json"));
    }
}
