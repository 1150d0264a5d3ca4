//! The `application/vnd.amazon.eventstream` framing and event parsing.
//!
//! Streaming outputs (S3 SelectObjectContent, Transcribe, Bedrock, Kinesis
//! SubscribeToShard, ...) send a sequence of binary messages: a prelude with
//! lengths and a CRC, typed headers, a payload and a trailing CRC. The
//! runtime feeds messages one at a time through [`decode_message`] and
//! `parse_event`; when a whole buffered body is parsed (tests, small
//! responses) every event is collected into a list, which is what botocore's
//! protocol tests expect.

use crate::ParseError;
use boto_model::{Map, MemberRef, ServiceModel, ShapeKind, Timestamp, Value};

/// One header value of an event-stream message.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue<'a> {
    /// Header type 0/1: `true` or `false`.
    Bool(bool),
    /// byte, short, integer and long headers.
    Int(i64),
    /// Header type 6: raw bytes.
    Bytes(&'a [u8]),
    /// Header type 7: a UTF-8 string (`:event-type`, `:message-type`, ...).
    String(&'a str),
    /// Milliseconds since the epoch.
    Timestamp(i64),
    /// Header type 9: a 16-byte UUID.
    Uuid([u8; 16]),
}

/// A decoded message, borrowing from the input buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct Message<'a> {
    /// The message's headers, in wire order.
    pub headers: Vec<(&'a str, HeaderValue<'a>)>,
    /// The payload bytes (the event's body, parsed per the event shape's members).
    pub payload: &'a [u8],
}

impl<'a> Message<'a> {
    /// The first header with this exact name (`:event-type`, `:exception-type`, ...).
    pub fn header(&self, name: &str) -> Option<&HeaderValue<'a>> {
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }
    fn header_str(&self, name: &str) -> Option<&'a str> {
        match self.header(name) {
            Some(HeaderValue::String(s)) => Some(s),
            _ => None,
        }
    }
}

const fn crc_table() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}
static CRC_TABLE: [u32; 256] = crc_table();

/// CRC-32 (IEEE), as the prelude and message checksums use.
pub fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0u32, |c, &b| {
        CRC_TABLE[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8)
    })
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn bad(msg: impl Into<String>) -> ParseError {
    ParseError::new(format!("invalid event stream message: {}", msg.into()))
}

fn take<'a>(h: &mut &'a [u8], n: usize) -> Result<&'a [u8], ParseError> {
    if h.len() < n {
        return Err(bad("truncated header"));
    }
    let (a, b) = h.split_at(n);
    *h = b;
    Ok(a)
}

/// Decodes the message at the start of `buf`; returns it and its length.
pub fn decode_message(buf: &[u8]) -> Result<(Message<'_>, usize), ParseError> {
    if buf.len() < 16 {
        return Err(bad("truncated prelude"));
    }
    let total = be32(&buf[0..4]) as usize;
    let hlen = be32(&buf[4..8]) as usize;
    if crc32(&buf[..8]) != be32(&buf[8..12]) {
        return Err(bad("prelude checksum mismatch"));
    }
    if total < 16 || hlen > total - 16 {
        return Err(bad("inconsistent lengths"));
    }
    if buf.len() < total {
        return Err(bad(format!("truncated: {} of {total} bytes", buf.len())));
    }
    if crc32(&buf[..total - 4]) != be32(&buf[total - 4..total]) {
        return Err(bad("message checksum mismatch"));
    }
    let mut h = &buf[12..12 + hlen];
    let mut headers = Vec::new();
    while !h.is_empty() {
        let n = take(&mut h, 1)?[0] as usize;
        let name =
            std::str::from_utf8(take(&mut h, n)?).map_err(|_| bad("header name is not UTF-8"))?;
        let ty = take(&mut h, 1)?[0];
        let v = match ty {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Int(take(&mut h, 1)?[0] as i8 as i64),
            3 => HeaderValue::Int(i16::from_be_bytes(
                take(&mut h, 2)?.try_into().unwrap_or_default(),
            ) as i64),
            4 => HeaderValue::Int(i32::from_be_bytes(
                take(&mut h, 4)?.try_into().unwrap_or_default(),
            ) as i64),
            5 | 8 => {
                let x = i64::from_be_bytes(take(&mut h, 8)?.try_into().unwrap_or_default());
                if ty == 5 {
                    HeaderValue::Int(x)
                } else {
                    HeaderValue::Timestamp(x)
                }
            }
            6 | 7 => {
                let l =
                    u16::from_be_bytes(take(&mut h, 2)?.try_into().unwrap_or_default()) as usize;
                let b = take(&mut h, l)?;
                if ty == 6 {
                    HeaderValue::Bytes(b)
                } else {
                    HeaderValue::String(
                        std::str::from_utf8(b).map_err(|_| bad("string header is not UTF-8"))?,
                    )
                }
            }
            9 => HeaderValue::Uuid(take(&mut h, 16)?.try_into().unwrap_or_default()),
            t => return Err(bad(format!("unknown header type {t}"))),
        };
        headers.push((name, v));
    }
    Ok((
        Message {
            headers,
            payload: &buf[12 + hlen..total - 4],
        },
        total,
    ))
}

/// Decodes every message of a buffered stream.
pub fn decode_all(mut buf: &[u8]) -> Result<Vec<Message<'_>>, ParseError> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        let (m, n) = decode_message(buf)?;
        out.push(m);
        buf = &buf[n..];
    }
    Ok(out)
}

/// Parses a payload body (JSON, XML or CBOR) as the shape of a reference.
pub(crate) type PayloadParser = fn(&ServiceModel, &MemberRef, &[u8]) -> Result<Value, ParseError>;

/// One message of the event stream `stream` (the eventstream union member):
/// `{"<EventType>": {...}}`, `{}` for an event type the model does not know.
/// Error and exception messages become a `ParseError` naming the code.
pub(crate) fn parse_event(
    model: &ServiceModel,
    stream: &MemberRef,
    msg: &Message<'_>,
    payload: PayloadParser,
) -> Result<Value, ParseError> {
    let mut out = Map::new();
    match msg.header_str(":message-type").unwrap_or("event") {
        "event" => {}
        "exception" => {
            let t = msg.header_str(":exception-type").unwrap_or("");
            return Err(ParseError::new(format!(
                "event stream exception {t}: {}",
                String::from_utf8_lossy(msg.payload)
            )));
        }
        _ => {
            return Err(ParseError::new(format!(
                "event stream error {}: {}",
                msg.header_str(":error-code").unwrap_or(""),
                msg.header_str(":error-message").unwrap_or("")
            )))
        }
    }
    let Some(s) = model.shape(stream.target).as_structure() else {
        return Ok(Value::Map(out));
    };
    let Some(ty) = msg.header_str(":event-type") else {
        return Ok(Value::Map(out));
    };
    let Some(event) = s.member(ty) else {
        return Ok(Value::Map(out));
    };
    let Some(es) = model.shape(event.target).as_structure() else {
        return Ok(Value::Map(out));
    };
    let mut parsed = Map::new();
    for m in &es.members {
        // Event headers carry members by name (the model's `eventheader`).
        if let Some(h) = msg.header(&m.name) {
            let v = match (h, &model.shape(m.target).kind) {
                (HeaderValue::Timestamp(ms), _) | (HeaderValue::Int(ms), ShapeKind::Timestamp) => {
                    Value::Timestamp(
                        Timestamp::from_epoch_f64(*ms as f64 / 1000.0)
                            .ok_or_else(|| bad("timestamp"))?,
                    )
                }
                (HeaderValue::Bool(b), _) => Value::Bool(*b),
                (HeaderValue::Int(i), _) => Value::Integer(*i),
                (HeaderValue::Bytes(b), _) => Value::Blob(b.to_vec()),
                (HeaderValue::String(s), _) => Value::String((*s).into()),
                (HeaderValue::Uuid(u), _) => Value::Blob(u.to_vec()),
            };
            parsed.insert(&*m.name, v);
        }
    }
    match es.members.iter().find(|m| m.traits.event_payload) {
        Some(p) => {
            let v = match &model.shape(p.target).kind {
                ShapeKind::Blob => Value::Blob(msg.payload.to_vec()),
                ShapeKind::String => Value::String(String::from_utf8_lossy(msg.payload).into()),
                _ => payload(model, p, msg.payload)?,
            };
            parsed.insert(&*p.name, v);
        }
        None => {
            let r = MemberRef {
                name: event.name.clone(),
                target: event.target,
                traits: Default::default(),
            };
            if let Value::Map(m) = payload(model, &r, msg.payload)? {
                for (k, v) in m {
                    parsed.entry(k).or_insert(v);
                }
            }
        }
    }
    out.insert(ty.to_string(), Value::Map(parsed));
    Ok(Value::Map(out))
}

/// Every event of a buffered body, as a list.
pub(crate) fn parse_events(
    model: &ServiceModel,
    stream: &MemberRef,
    body: &[u8],
    payload: PayloadParser,
) -> Result<Value, ParseError> {
    let msgs = decode_all(body)?;
    let mut out = Vec::with_capacity(msgs.len());
    for m in &msgs {
        out.push(parse_event(model, stream, m, payload)?);
    }
    Ok(Value::List(out))
}

/// RPC protocols (json, cbor): the first message is the `initial-response`
/// carrying the output's other members; the rest are the stream's events.
pub(crate) fn parse_rpc(
    model: &ServiceModel,
    out: &MemberRef,
    stream: &MemberRef,
    body: &[u8],
    payload: PayloadParser,
) -> Result<Map, ParseError> {
    let msgs = decode_all(body)?;
    let mut parsed = Map::new();
    let mut events = Vec::new();
    let mut iter = msgs.iter();
    if let Some(first) = iter.next() {
        if first.header_str(":event-type") != Some("initial-response") {
            return Err(ParseError::new(
                "first event was not of type initial-response",
            ));
        }
        if let Value::Map(m) = payload(model, out, first.payload)? {
            parsed = m;
        }
    }
    for m in iter {
        events.push(parse_event(model, stream, m, payload)?);
    }
    parsed.insert(&*stream.name, Value::List(events));
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(headers: &[u8], payload: &[u8]) -> Vec<u8> {
        let total = (16 + headers.len() + payload.len()) as u32;
        let mut m = total.to_be_bytes().to_vec();
        m.extend((headers.len() as u32).to_be_bytes());
        m.extend(crc32(&m).to_be_bytes());
        m.extend(headers);
        m.extend(payload);
        m.extend(crc32(&m).to_be_bytes());
        m
    }

    #[test]
    fn decodes_and_validates_messages() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let mut h = vec![4u8];
        h.extend(b"name");
        h.push(7);
        h.extend(2u16.to_be_bytes());
        h.extend(b"hi");
        let msg = frame(&h, b"payload");
        let (m, n) = decode_message(&msg).unwrap();
        assert_eq!(n, msg.len());
        assert_eq!(m.header("name"), Some(&HeaderValue::String("hi")));
        assert_eq!(m.payload, b"payload");
        let two = [msg.clone(), msg.clone()].concat();
        assert_eq!(decode_all(&two).unwrap().len(), 2);
        for cut in 0..msg.len() {
            assert!(decode_all(&msg[..cut]).is_err() || cut == 0);
        }
        let mut flipped = msg.clone();
        flipped[20] ^= 1;
        assert!(decode_message(&flipped).is_err());
    }
}
