//! botocore's pagination token format, byte for byte.
//!
//! A `NextToken` emitted when `MaxItems` cuts a page short is base64 of the
//! JSON that Python's `json.dumps` writes for a dict of the service tokens
//! plus `boto_truncate_amount`. Writing the same text (`", "` / `": "`
//! separators, ASCII-only escapes, insertion order) means a token printed by
//! boto3 or aws-cli resumes here and the other way round. Bytes inside a token
//! (e.g. a DynamoDB key with a `B` attribute) are base64-encoded and their
//! paths listed under `boto_encoded_keys`, as botocore's `TokenEncoder` does.

use base64::Engine;
use boto_model::{Map, Value};
use boto_util::json::push_string_ascii;
use std::fmt::Write;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The key botocore uses to remember where a truncated page was cut.
pub const TRUNCATE_KEY: &str = "boto_truncate_amount";
const ENCODED_KEYS: &str = "boto_encoded_keys";

/// One step of a path to an encoded blob: a map key or a list index.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Encodes a token dict as botocore's `TokenEncoder.encode` does.
pub fn encode(token: &Map) -> String {
    let mut blobs = Vec::new();
    collect_blobs(&Value::Map(token.clone()), &mut Vec::new(), &mut blobs);
    let mut out = String::new();
    if blobs.is_empty() {
        write_json(&mut out, &Value::Map(token.clone()));
    } else {
        let mut with_keys = token.clone();
        let paths = blobs
            .into_iter()
            .map(|p| {
                Value::List(
                    p.into_iter()
                        .map(|s| match s {
                            Step::Key(k) => Value::String(k.into()),
                            Step::Index(i) => Value::Integer(i as i64),
                        })
                        .collect(),
                )
            })
            .collect();
        with_keys.insert(ENCODED_KEYS, Value::List(paths));
        write_json(&mut out, &Value::Map(with_keys));
    }
    B64.encode(out.as_bytes())
}

/// Decodes a token written by [`encode`] (or by botocore). `None` when the
/// string is not base64 of a JSON object; the caller then tries the legacy
/// `___`-separated format.
pub fn decode(token: &str) -> Option<Map> {
    let bytes = B64.decode(token.trim().as_bytes()).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let Value::Map(mut map) = Value::from_json(&json) else {
        return None;
    };
    if let Some(Value::List(paths)) = map.shift_remove(ENCODED_KEYS) {
        for path in paths {
            let Value::List(steps) = path else { continue };
            decode_blob_at(&mut map, &steps);
        }
    }
    Some(map)
}

fn decode_blob_at(map: &mut Map, steps: &[Value]) {
    let Some((Value::String(first), rest)) = steps.split_first() else {
        return;
    };
    let Some(mut cur) = map.get_mut(first) else {
        return;
    };
    for step in rest {
        let next = match (cur, step) {
            (Value::Map(m), Value::String(k)) => m.get_mut(k),
            (Value::List(l), Value::Integer(i)) => {
                usize::try_from(*i).ok().and_then(|i| l.get_mut(i))
            }
            _ => None,
        };
        let Some(n) = next else { return };
        cur = n;
    }
    if let Value::String(s) = cur {
        if let Ok(b) = B64.decode(s.as_bytes()) {
            *cur = Value::Blob(b);
        }
    }
}

fn collect_blobs(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Blob(_) => out.push(path.clone()),
        Value::Map(m) => {
            for (k, v) in m {
                path.push(Step::Key(k.to_string()));
                collect_blobs(v, path, out);
                path.pop();
            }
        }
        Value::List(l) => {
            for (i, v) in l.iter().enumerate() {
                path.push(Step::Index(i));
                collect_blobs(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Writes JSON the way Python's `json.dumps` does with default arguments.
fn write_json(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => write_float(out, *f),
        Value::String(s) => push_string_ascii(out, s),
        Value::Blob(b) => push_string_ascii(out, &B64.encode(b)),
        Value::Timestamp(_) => match v.to_json() {
            serde_json::Value::String(s) => push_string_ascii(out, &s),
            _ => out.push_str("null"),
        },
        Value::List(l) => {
            out.push('[');
            for (i, item) in l.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_json(out, item);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_string_ascii(out, k);
                out.push_str(": ");
                write_json(out, item);
            }
            out.push('}');
        }
    }
}

/// Python's `float.__repr__` for the common cases.
fn write_float(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("NaN");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
    } else if f.fract() == 0.0 && f.abs() < 1e16 {
        let _ = write!(out, "{f:.1}");
    } else {
        let _ = write!(out, "{f:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_model::value;

    fn map(v: Value) -> Map {
        v.as_map().cloned().unwrap_or_default()
    }

    #[test]
    fn matches_botocore_text() {
        // python3 -c 'import base64,json;print(base64.b64encode(json.dumps(
        //   {"NextToken": "abc", "boto_truncate_amount": 2}).encode()).decode())'
        let t = map(value!({"NextToken": "abc", "boto_truncate_amount": 2}));
        assert_eq!(
            encode(&t),
            "eyJOZXh0VG9rZW4iOiAiYWJjIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMn0="
        );
        let t = map(value!({"Marker": null, "KeyMarker": "é/\"x\u{1F600}"}));
        let json = String::from_utf8(B64.decode(encode(&t)).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"Marker": null, "KeyMarker": "\u00e9/\"x\ud83d\ude00"}"#
        );
        assert_eq!(decode(&encode(&t)), Some(t));
    }

    #[test]
    fn blobs_round_trip_with_encoded_keys() {
        let mut t = Map::new();
        let key = value!({"pk": {"B": null}, "l": [1, null]});
        t.insert("ExclusiveStartKey", key);
        if let Some(Value::Map(k)) = t.get_mut("ExclusiveStartKey") {
            if let Some(Value::Map(pk)) = k.get_mut("pk") {
                pk.insert("B", Value::blob(b"\x00\xff".to_vec()));
            }
            if let Some(Value::List(l)) = k.get_mut("l") {
                l[1] = Value::blob(b"hi".to_vec());
            }
        }
        let enc = encode(&t);
        let json = String::from_utf8(B64.decode(&enc).unwrap()).unwrap();
        assert!(json.ends_with(
            r#""boto_encoded_keys": [["ExclusiveStartKey", "pk", "B"], ["ExclusiveStartKey", "l", 1]]}"#
        ));
        assert_eq!(decode(&enc), Some(t));
    }

    #[test]
    fn rejects_non_tokens() {
        assert_eq!(decode("not base64!"), None);
        assert_eq!(decode(&B64.encode("[1, 2]")), None);
    }
}
