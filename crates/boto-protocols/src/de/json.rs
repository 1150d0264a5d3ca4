//! JSON bodies (awsJson 1.0/1.1 and rest-json) and the `json` protocol.
//!
//! The body is walked straight from the bytes by [`super::json_read`]'s pull
//! reader, shape by shape, so no intermediate tree is built: a DynamoDB item
//! goes from text to [`Value`] in one pass, and each map and list is
//! allocated once, at its final size. Semantics follow
//! botocore's `BaseJSONParser`: `null` members are omitted, unknown keys are
//! skipped, scalars the model does not expect pass through unchanged, blobs
//! are base64, timestamps are epoch numbers or strings, documents are kept
//! as-is, and tagged unions with an unknown member become `SDK_UNKNOWN_MEMBER`.
//! Members come out in model order, as botocore's dicts do. Nesting is
//! capped at [`super::MAX_DEPTH`].

use super::json_read::{parse_doc, Reader};
use super::scratch::Scratch;
use super::{
    apply_query_compatible, decode_base64, eventstream, inject_amzn_request_id, located,
    sanitize_code, special_float, timestamp_from_f64, timestamp_from_text, wire_name,
};
use crate::{ParseError, Response};
use boto_model::{
    Key, Map, MemberRef, RefTraits, ServiceModel, ShapeId, ShapeKind, StructureShape, Value,
};

#[derive(Clone, Copy)]
pub(crate) struct Walk<'m> {
    pub model: &'m ServiceModel,
    /// rest-json: header/status members are not read from the body.
    pub skip_located: bool,
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
    let mut walker = Walker::new(w, body)?;
    walker.push_value(r, Key::default())?;
    walker.rd.end()?;
    Ok(walker
        .scratch
        .entries
        .pop()
        .map(|(_, v)| v)
        .unwrap_or_default())
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
    match parse_doc(body) {
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
            Some(Value::String(s)) => s.to_string(),
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
// The walk.

/// Reads values shape by shape. Every value read is pushed, with the key
/// it will be stored under, onto one scratch stack that holds the members,
/// map entries and list items of every container still open (innermost on
/// top); each container is allocated once, at its exact size, when it
/// closes, and pushed in turn.
///
/// Why push rather than return: a `Value` returned from a recursive call
/// comes back through memory, written field by field by the callee and read
/// back in 16-byte moves by the caller. Those loads cannot be forwarded from
/// the narrower stores still in flight and wait for them to drain, and such
/// waits were over half of this walk's own time. A pushed value is built
/// and written into the stack in one place (`push_entry`), where it stays
/// until its container is built. The stacks are the thread's
/// (`de/scratch.rs`).
struct Walker<'a, 'm> {
    rd: Reader<'a>,
    w: Walk<'m>,
    scratch: Scratch,
}

impl Drop for Walker<'_, '_> {
    fn drop(&mut self) {
        std::mem::take(&mut self.scratch).give_back();
    }
}

impl<'a, 'm> Walker<'a, 'm> {
    fn new(w: Walk<'m>, body: &'a [u8]) -> Result<Self, ParseError> {
        Ok(Walker {
            rd: Reader::new(body)?,
            w,
            scratch: Scratch::take(),
        })
    }

    #[inline(always)]
    fn push(&mut self, key: Key, v: Value) {
        super::push_entry(&mut self.scratch.entries, key, v);
    }

    /// Reads the value `r` targets and pushes it under `key`.
    fn push_value(&mut self, r: &MemberRef, key: Key) -> Result<(), ParseError> {
        let model = self.w.model;
        match &model.shape(r.target).kind {
            ShapeKind::Structure(s) if s.document => {
                let v = self.rd.doc()?;
                self.push(key, v);
                Ok(())
            }
            ShapeKind::Structure(s) => self.structure(s, key),
            ShapeKind::List { member } => self.list(member, key),
            ShapeKind::Map { value, .. } => self.map(value, key),
            kind => self.scalar(kind, key),
        }
    }

    /// The index of the member a wire key names, if any.
    fn member_index(&self, s: &StructureShape, k: &str) -> Option<usize> {
        let model = self.w.model;
        let ok = |m: &MemberRef| !(self.w.skip_located && located(model, m));
        // Fast path: the member is named as on the wire and nothing renames it.
        s.members
            .iter()
            .position(|m| {
                *m.name == *k
                    && m.traits.location_name.is_none()
                    && model.shape(m.target).traits.location_name.is_none()
            })
            .filter(|&i| ok(&s.members[i]))
            .or_else(|| {
                s.members
                    .iter()
                    .position(|m| wire_name(model, m) == k && ok(m))
            })
    }

    /// A structure: known members in model order, `null`s and unknown keys
    /// left out, a repeated key replacing the earlier value; a union holds
    /// exactly one member, an unknown one reported as `SDK_UNKNOWN_MEMBER`.
    fn structure(&mut self, s: &StructureShape, key: Key) -> Result<(), ParseError> {
        if self.rd.null()? {
            self.push(key, Value::Null);
            return Ok(());
        }
        self.rd.begin_object()?;
        let base = self.scratch.entries.len();
        let ibase = self.scratch.members.len();
        let (mut last, mut in_order) = (0, true);
        let (mut set, mut unknown): (usize, Option<String>) = (0, None);
        let mut seen = 0u128;
        let mut first = true;
        while let Some(k) = self.rd.next_key(&mut first)? {
            match self.member_index(s, &k) {
                Some(i) => {
                    self.push_value(&s.members[i], s.members[i].name.clone())?;
                    let entries = &mut self.scratch.entries;
                    if entries.last().is_some_and(|(_, v)| v.is_null()) {
                        entries.pop();
                        continue;
                    }
                    set += 1;
                    in_order &= i >= last;
                    last = i;
                    // A member seen for the first time stays where it was
                    // pushed; a repeated key replaces the earlier value.
                    let bit = 1u128.checked_shl(i as u32).unwrap_or(0);
                    let members = &mut self.scratch.members;
                    if seen & bit == 0 && bit != 0 {
                        seen |= bit;
                        members.push(i as u32);
                    } else if let Some(p) = members[ibase..].iter().position(|&j| j == i as u32) {
                        if let Some((_, v)) = entries.pop() {
                            entries[base + p].1 = v;
                        }
                    } else {
                        members.push(i as u32);
                    }
                }
                None if s.union && k != "__type" => {
                    if !self.rd.skip()? {
                        set += 1;
                        unknown = Some(k.into_owned());
                    }
                }
                None => {
                    self.rd.skip()?;
                }
            }
        }
        if s.union && (set != 1 || unknown.is_some()) {
            self.scratch.entries.truncate(base);
            self.scratch.members.truncate(ibase);
            if set != 1 {
                return Err(self
                    .rd
                    .error("invalid union: exactly one member must be set"));
            }
            let mut inner = Map::with_capacity(1);
            inner.insert_new("name", unknown.unwrap_or_default().into());
            let mut m = Map::with_capacity(1);
            m.insert_new("SDK_UNKNOWN_MEMBER", Value::Map(inner));
            self.push(key, Value::Map(m));
            return Ok(());
        }
        if in_order {
            // One copy into a vector of exactly this size, assembled in
            // its slot (see `push_struct`); the other order's path is out
            // of line, so no vector from two paths joins here.
            self.scratch.members.truncate(ibase);
            super::push_struct(&mut self.scratch.entries, base, key);
        } else {
            let scratch = &mut self.scratch;
            super::push_reordered(&mut scratch.entries, &mut scratch.members, base, ibase, key);
        }
        Ok(())
    }

    fn list(&mut self, member: &MemberRef, key: Key) -> Result<(), ParseError> {
        if self.rd.null()? {
            self.push(key, Value::Null);
            return Ok(());
        }
        self.rd.begin_array()?;
        let base = self.scratch.entries.len();
        let mut first = true;
        while self.rd.next_item(&mut first)? {
            self.push_value(member, Key::default())?;
        }
        super::push_list(&mut self.scratch.entries, base, key);
        Ok(())
    }

    /// A map: every key kept, `null` values included, a repeated key
    /// replacing the earlier value in its first position.
    fn map(&mut self, value: &MemberRef, key: Key) -> Result<(), ParseError> {
        if self.rd.null()? {
            self.push(key, Value::Null);
            return Ok(());
        }
        self.rd.begin_object()?;
        let base = self.scratch.entries.len();
        let mut first = true;
        while let Some(k) = self.rd.next_key(&mut first)? {
            self.push_value(value, Key::from(&*k))?;
        }
        super::push_map(&mut self.scratch.entries, base, key);
        Ok(())
    }

    /// A scalar converted to the modeled type; what the model does not
    /// expect passes through, like botocore's default handler.
    fn scalar(&mut self, kind: &ShapeKind, key: Key) -> Result<(), ParseError> {
        let at = |rd: &Reader<'_>, e: ParseError| rd.error(&e.message);
        let next = self.rd.peek();
        let v = match (kind, next) {
            (_, Some(b'n')) => {
                self.rd.null()?;
                Value::Null
            }
            (ShapeKind::String, Some(b'"')) => Value::String(self.rd.string()?.into()),
            (ShapeKind::Blob, Some(b'"')) => {
                let s = self.rd.string()?;
                Value::Blob(decode_base64(&s).map_err(|e| at(&self.rd, e))?)
            }
            (ShapeKind::Timestamp, Some(b'"')) => {
                let s = self.rd.string()?;
                timestamp_from_text(&s).map_err(|e| at(&self.rd, e))?
            }
            (ShapeKind::Timestamp, Some(b'-' | b'0'..=b'9')) => {
                let f = self.rd.number()?.as_f64().unwrap_or(f64::NAN);
                timestamp_from_f64(f).map_err(|e| at(&self.rd, e))?
            }
            (ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal, _) => {
                match self.rd.doc()? {
                    Value::Integer(i) => Value::Float(i as f64),
                    Value::String(s) => match special_float(&s) {
                        Some(f) => Value::Float(f),
                        None => Value::String(s),
                    },
                    v => v,
                }
            }
            (ShapeKind::Blob | ShapeKind::Timestamp, _) => {
                let raw = self.rd.doc()?;
                let want = match kind {
                    ShapeKind::Blob => "a base64 string for a blob",
                    _ => "a timestamp",
                };
                return Err(self
                    .rd
                    .error(&format!("expected {want}, got {}", raw.type_name())));
            }
            _ => self.rd.doc()?,
        };
        self.push(key, v);
        Ok(())
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
        // A repeated key replaces the earlier value in its place; `null`
        // does not remove it.
        let v = parse_body(
            Walk {
                model: &m,
                skip_located: false,
            },
            &out_ref(&m),
            br#"{"T": 1, "B": "aGk=", "B": "eW8=", "T": null}"#,
        )
        .unwrap();
        let keys: Vec<_> = v.as_map().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["B", "T"]);
        assert_eq!(v.get("B"), &Value::blob(b"yo".to_vec()));
    }

    #[test]
    fn malformed_and_deep_bodies_are_errors() {
        let m = model();
        let w = Walk {
            model: &m,
            skip_located: false,
        };
        for bad in [
            &b"{"[..],
            b"{\"B\": 1}",
            b"[]",
            b"{} x",
            b"{\"U\": {}}",
            b"{\"U\": {\"S\": \"a\", \"S\": \"b\"}}",
            b"{\"U\": {\"S\": \"a\", \"Zed\": 1}}",
        ] {
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
