//! Encoding `application/vnd.amazon.eventstream` messages: the inverse of
//! [`de::eventstream::decode_message`](crate::de::eventstream::decode_message).
//!
//! botocore only reads event streams (`botocore.eventstream.EventStreamBuffer`);
//! input event streams (Transcribe streaming, Bedrock bidirectional streams)
//! need the writer too, as aws-sdk-rust's `aws-smithy-eventstream` has it. A
//! message is a prelude (total length, headers length, prelude CRC-32), typed
//! headers, the payload and a CRC-32 of everything before it. The encoder is
//! a pure function; limits are checked before anything is written, so a
//! rejected message never yields a partial frame:
//!
//! * header names are 1..=255 bytes;
//! * string and byte-array values are at most 32767 bytes (`i16::MAX`, what
//!   the CRT, Java, Go and Rust SDKs accept although the field is a `u16`);
//! * the whole message fits the 32-bit length field.
//!
//! Integer headers carry their wire width ([`HeaderValue::Byte`] .. [`HeaderValue::Long`])
//! because the decoder's [`Int`](crate::de::eventstream::HeaderValue::Int)
//! does not; [`HeaderValue::from_decoded`] picks the narrowest width that
//! holds a decoded value.

use crate::de::eventstream::{crc32, HeaderValue as Decoded};
use crate::SerializeError;
use boto_model::{Operation, ServiceModel, ShapeKind, Value};

/// Longest header name.
pub const MAX_HEADER_NAME_LEN: usize = 255;
/// Longest string or byte-array header value.
pub const MAX_HEADER_VALUE_LEN: usize = i16::MAX as usize;

/// One header value to encode, with its wire type.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue<'a> {
    /// Types 0 (`true`) and 1 (`false`).
    Bool(bool),
    /// Type 2: one signed byte.
    Byte(i8),
    /// Type 3: a signed 16-bit integer.
    Short(i16),
    /// Type 4: a signed 32-bit integer.
    Int(i32),
    /// Type 5: a signed 64-bit integer.
    Long(i64),
    /// Type 6: raw bytes.
    Bytes(&'a [u8]),
    /// Type 7: a UTF-8 string.
    String(&'a str),
    /// Type 8: milliseconds since the epoch.
    Timestamp(i64),
    /// Type 9: a 16-byte UUID.
    Uuid([u8; 16]),
}

impl<'a> HeaderValue<'a> {
    /// The encodable form of a decoded value; integers take the narrowest
    /// width that holds them.
    pub fn from_decoded(v: &Decoded<'a>) -> Self {
        match *v {
            Decoded::Bool(b) => HeaderValue::Bool(b),
            Decoded::Int(i) => {
                if let Ok(x) = i8::try_from(i) {
                    HeaderValue::Byte(x)
                } else if let Ok(x) = i16::try_from(i) {
                    HeaderValue::Short(x)
                } else if let Ok(x) = i32::try_from(i) {
                    HeaderValue::Int(x)
                } else {
                    HeaderValue::Long(i)
                }
            }
            Decoded::Bytes(b) => HeaderValue::Bytes(b),
            Decoded::String(s) => HeaderValue::String(s),
            Decoded::Timestamp(t) => HeaderValue::Timestamp(t),
            Decoded::Uuid(u) => HeaderValue::Uuid(u),
        }
    }
}

fn too_long(what: &str, name: &str, len: usize, max: usize) -> SerializeError {
    SerializeError::new(format!(
        "event stream header {:?}: {what} is {len} bytes, at most {max} allowed",
        name.escape_debug().to_string()
    ))
}

/// Append one header's wire form.
fn push_header(
    out: &mut Vec<u8>,
    name: &str,
    value: &HeaderValue<'_>,
) -> Result<(), SerializeError> {
    if name.is_empty() {
        return Err(SerializeError::new(
            "event stream header with an empty name",
        ));
    }
    if name.len() > MAX_HEADER_NAME_LEN {
        return Err(too_long("the name", name, name.len(), MAX_HEADER_NAME_LEN));
    }
    out.push(name.len() as u8);
    out.extend_from_slice(name.as_bytes());
    let var = |out: &mut Vec<u8>, ty: u8, b: &[u8]| {
        if b.len() > MAX_HEADER_VALUE_LEN {
            return Err(too_long("the value", name, b.len(), MAX_HEADER_VALUE_LEN));
        }
        out.push(ty);
        out.extend_from_slice(&(b.len() as u16).to_be_bytes());
        out.extend_from_slice(b);
        Ok(())
    };
    match value {
        HeaderValue::Bool(true) => out.push(0),
        HeaderValue::Bool(false) => out.push(1),
        HeaderValue::Byte(x) => {
            out.push(2);
            out.extend_from_slice(&x.to_be_bytes());
        }
        HeaderValue::Short(x) => {
            out.push(3);
            out.extend_from_slice(&x.to_be_bytes());
        }
        HeaderValue::Int(x) => {
            out.push(4);
            out.extend_from_slice(&x.to_be_bytes());
        }
        HeaderValue::Long(x) => {
            out.push(5);
            out.extend_from_slice(&x.to_be_bytes());
        }
        HeaderValue::Bytes(b) => var(out, 6, b)?,
        HeaderValue::String(s) => var(out, 7, s.as_bytes())?,
        HeaderValue::Timestamp(x) => {
            out.push(8);
            out.extend_from_slice(&x.to_be_bytes());
        }
        HeaderValue::Uuid(u) => {
            out.push(9);
            out.extend_from_slice(u);
        }
    }
    Ok(())
}

/// Encode one message: headers in the order given, then `payload`.
///
/// ```
/// use boto_protocols::de::eventstream::{decode_message, HeaderValue as Decoded};
/// use boto_protocols::ser::eventstream::{encode_message, HeaderValue};
///
/// let bytes = encode_message(&[(":event-type", HeaderValue::String("Records"))], b"abc").unwrap();
/// let (msg, len) = decode_message(&bytes).unwrap();
/// assert_eq!(len, bytes.len());
/// assert_eq!(msg.header(":event-type"), Some(&Decoded::String("Records")));
/// assert_eq!(msg.payload, b"abc");
/// ```
pub fn encode_message(
    headers: &[(&str, HeaderValue<'_>)],
    payload: &[u8],
) -> Result<Vec<u8>, SerializeError> {
    let mut header_bytes = Vec::new();
    for (name, value) in headers {
        push_header(&mut header_bytes, name, value)?;
    }
    let total = 16usize
        .checked_add(header_bytes.len())
        .and_then(|n| n.checked_add(payload.len()))
        .filter(|n| u32::try_from(*n).is_ok())
        .ok_or_else(|| SerializeError::new("event stream message longer than 4 GiB"))?;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(header_bytes.len() as u32).to_be_bytes());
    let prelude_crc = crc32(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(&header_bytes);
    out.extend_from_slice(payload);
    let message_crc = crc32(&out);
    out.extend_from_slice(&message_crc.to_be_bytes());
    Ok(out)
}

/// Encode one event of an operation's input event stream, given as botocore
/// shapes events (`{"AudioEvent": {"AudioChunk": b"..."}}`), into an event
/// message (aws-sdk-rust's generated event marshallers):
/// `:message-type` `event`, `:event-type` the member name, and
///
/// * a member with `eventpayload`: its blob as is (`application/octet-stream`),
///   its string as UTF-8 (`text/plain`) or its structure as JSON;
/// * otherwise the event's members as a JSON object (`application/json`).
///
/// Only JSON protocols (`rest-json`, `json`) are supported: the services
/// with input streams (Transcribe streaming, Bedrock runtime) use them.
pub fn encode_input_event(
    model: &ServiceModel,
    op: &Operation,
    event: &Value,
) -> Result<Vec<u8>, SerializeError> {
    if !matches!(model.metadata.protocol.as_str(), "rest-json" | "json") {
        return Err(SerializeError::new(format!(
            "input event streams are not supported for the {} protocol",
            model.metadata.protocol
        )));
    }
    let stream = op
        .input
        .as_ref()
        .and_then(|r| model.shape(r.target).as_structure())
        .and_then(|s| {
            s.members.iter().find(
                |m| matches!(&model.shape(m.target).kind, ShapeKind::Structure(t) if t.eventstream),
            )
        })
        .and_then(|m| model.shape(m.target).as_structure())
        .ok_or_else(|| SerializeError::new(format!("{} has no input event stream", op.name)))?;
    let (name, members) = match event.as_map() {
        Some(m) if m.len() == 1 => m.iter().next().expect("one entry"),
        _ => {
            return Err(SerializeError::new(
                "an input event is a map with exactly one key, the event type",
            ))
        }
    };
    let member = stream.member(name).ok_or_else(|| {
        SerializeError::new(format!(
            "unknown event type {name:?} for {}; expected one of: {}",
            op.name,
            stream
                .members
                .iter()
                .map(|m| &*m.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let opts = super::SerializeOptions::default();
    let ctx = super::Ctx {
        model,
        op,
        opts: &opts,
    };
    let shape = model.shape(member.target);
    let payload_member = shape
        .as_structure()
        .and_then(|s| s.members.iter().find(|m| m.traits.event_payload));
    let (content_type, payload) = match payload_member {
        Some(p) => {
            let v = members.get(&p.name);
            match &model.shape(p.target).kind {
                ShapeKind::Blob => (
                    "application/octet-stream",
                    if v.is_null() {
                        Vec::new()
                    } else {
                        super::blob_of(v)?.to_vec()
                    },
                ),
                ShapeKind::String => (
                    "text/plain",
                    v.as_str().unwrap_or_default().as_bytes().to_vec(),
                ),
                _ => (
                    "application/json",
                    super::json::write(ctx, p, v, super::json::Style::Compact)?,
                ),
            }
        }
        None => (
            "application/json",
            super::json::write(ctx, member, members, super::json::Style::Compact)?,
        ),
    };
    encode_message(
        &[
            (":event-type", HeaderValue::String(name)),
            (":content-type", HeaderValue::String(content_type)),
            (":message-type", HeaderValue::String("event")),
        ],
        &payload,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::de::eventstream::decode_message;

    #[test]
    fn round_trips_every_type() {
        let headers = [
            ("t", HeaderValue::Bool(true)),
            ("f", HeaderValue::Bool(false)),
            ("b", HeaderValue::Byte(-2)),
            ("s", HeaderValue::Short(-300)),
            ("i", HeaderValue::Int(70_000)),
            ("l", HeaderValue::Long(-5_000_000_000)),
            ("y", HeaderValue::Bytes(b"\x00\xff")),
            ("u", HeaderValue::String("é")),
            ("ts", HeaderValue::Timestamp(1_700_000_000_000)),
            ("id", HeaderValue::Uuid([7; 16])),
        ];
        let bytes = encode_message(&headers, b"payload").unwrap();
        let (msg, n) = decode_message(&bytes).unwrap();
        assert_eq!(n, bytes.len());
        let back: Vec<_> = msg
            .headers
            .iter()
            .map(|(k, v)| (*k, HeaderValue::from_decoded(v)))
            .collect();
        assert_eq!(back, headers);
        assert_eq!(encode_message(&back, msg.payload).unwrap(), bytes);
    }

    #[test]
    fn limits_are_errors() {
        let long_name = "n".repeat(MAX_HEADER_NAME_LEN + 1);
        assert!(encode_message(&[(&long_name, HeaderValue::Bool(true))], b"").is_err());
        assert!(encode_message(&[("", HeaderValue::Bool(true))], b"").is_err());
        let big = vec![0u8; MAX_HEADER_VALUE_LEN + 1];
        assert!(encode_message(&[("v", HeaderValue::Bytes(&big))], b"").is_err());
        let max = vec![0u8; MAX_HEADER_VALUE_LEN];
        assert!(encode_message(&[("v", HeaderValue::Bytes(&max))], b"").is_ok());
    }
}
