//! Plausible response bodies for a shape, in each wire format.
//!
//! A fuzzer that starts from nothing rarely guesses a member name, so it never gets
//! past the first level of a shape-directed parser. These skeletons fill every body
//! member of a shape (to a bounded depth) with a typical value, named the way the
//! protocol names it on the wire, and give the fuzzer a starting point for each
//! operation. They need not be exactly what AWS sends: they only have to reach the
//! code that walks the shape.

use boto_model::{Location, MemberRef, ServiceModel, ShapeKind, TimestampFormat};

/// Nesting beyond this is left out (recursive shapes are common).
const MAX_DEPTH: usize = 5;

/// A body value before it is rendered as JSON or CBOR.
#[derive(Debug, Clone)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    /// Seconds since the epoch; `iso` when the member asks for ISO 8601 text.
    Time {
        secs: f64,
        iso: bool,
    },
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// The wire name of a member: its `locationName`, else its name.
pub fn wire_name<'m>(model: &'m ServiceModel, r: &'m MemberRef) -> &'m str {
    model.location_name(r).unwrap_or(&r.name)
}

/// Whether a member is carried outside the body (headers, status code, URI).
pub fn located(r: &MemberRef) -> bool {
    !matches!(r.traits.location, None | Some(Location::Body))
}

/// A value for the shape of `r`. Members bound to headers are left out.
pub fn node(model: &ServiceModel, r: &MemberRef, depth: usize) -> Node {
    let shape = model.shape(r.target);
    match &shape.kind {
        ShapeKind::Structure(s) if s.document => Node::Map(vec![(
            "doc".into(),
            Node::List(vec![Node::Int(1), Node::Str("x".into()), Node::Bool(true)]),
        )]),
        ShapeKind::Structure(s) => {
            if depth >= MAX_DEPTH {
                return Node::Map(Vec::new());
            }
            let members = s.members.iter().filter(|m| !located(m));
            let take = if s.union { 1 } else { usize::MAX };
            Node::Map(
                members
                    .take(take)
                    .map(|m| (wire_name(model, m).to_string(), node(model, m, depth + 1)))
                    .collect(),
            )
        }
        ShapeKind::List { member } if depth < MAX_DEPTH => {
            Node::List(vec![node(model, member, depth + 1)])
        }
        ShapeKind::Map { value, .. } if depth < MAX_DEPTH => {
            Node::Map(vec![("key1".into(), node(model, value, depth + 1))])
        }
        ShapeKind::List { .. } => Node::List(Vec::new()),
        ShapeKind::Map { .. } => Node::Map(Vec::new()),
        ShapeKind::String => Node::Str(
            shape
                .enum_values
                .first()
                .map(|e| e.to_string())
                .unwrap_or_else(|| "text".into()),
        ),
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger => Node::Int(7),
        ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal => Node::Float(1.5),
        ShapeKind::Boolean => Node::Bool(true),
        ShapeKind::Blob => Node::Bytes(b"hello".to_vec()),
        ShapeKind::Timestamp => Node::Time {
            secs: 1_700_000_000.5,
            iso: model.timestamp_format(r) == Some(TimestampFormat::Iso8601),
        },
    }
}

/// JSON text (blobs as base64, timestamps as epoch seconds unless ISO is asked for).
pub fn to_json(n: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match n {
        Node::Null => J::Null,
        Node::Bool(b) => J::Bool(*b),
        Node::Int(i) => J::from(*i),
        Node::Float(f) => J::from(*f),
        Node::Str(s) => J::String(s.clone()),
        Node::Bytes(b) => J::String(base64(b)),
        Node::Time { iso: true, .. } => J::String("2023-11-14T22:13:20.5Z".into()),
        Node::Time { secs, .. } => J::from(*secs),
        Node::List(l) => J::Array(l.iter().map(to_json).collect()),
        Node::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// CBOR (RFC 8949) as smithy-rpc-v2-cbor writes it: text keys, blobs as byte strings,
/// timestamps as tag 1 around a float.
pub fn to_cbor(n: &Node, out: &mut Vec<u8>) {
    fn head(major: u8, len: u64, out: &mut Vec<u8>) {
        let m = major << 5;
        match len {
            0..=23 => out.push(m | len as u8),
            24..=0xff => out.extend([m | 24, len as u8]),
            0x100..=0xffff => {
                out.push(m | 25);
                out.extend((len as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(m | 26);
                out.extend((len as u32).to_be_bytes());
            }
            _ => {
                out.push(m | 27);
                out.extend(len.to_be_bytes());
            }
        }
    }
    match n {
        Node::Null => out.push(0xf6),
        Node::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Node::Int(i) if *i >= 0 => head(0, *i as u64, out),
        Node::Int(i) => head(1, !(*i as u64), out),
        Node::Float(f) | Node::Time { secs: f, .. } => {
            if matches!(n, Node::Time { .. }) {
                head(6, 1, out);
            }
            out.push(0xfb);
            out.extend(f.to_be_bytes());
        }
        Node::Str(s) => {
            head(3, s.len() as u64, out);
            out.extend(s.as_bytes());
        }
        Node::Bytes(b) => {
            head(2, b.len() as u64, out);
            out.extend(b);
        }
        Node::List(l) => {
            head(4, l.len() as u64, out);
            l.iter().for_each(|x| to_cbor(x, out));
        }
        Node::Map(m) => {
            head(5, m.len() as u64, out);
            for (k, v) in m {
                to_cbor(&Node::Str(k.clone()), out);
                to_cbor(v, out);
            }
        }
    }
}

/// The XML element `name` for the shape of `r`, as the query, ec2 and rest-xml parsers read it.
pub fn xml(model: &ServiceModel, name: &str, r: &MemberRef, depth: usize, out: &mut String) {
    let shape = model.shape(r.target);
    match &shape.kind {
        ShapeKind::Structure(s) => {
            out.push_str(&format!("<{name}>"));
            if depth < MAX_DEPTH {
                let take = if s.union { 1 } else { usize::MAX };
                for m in s.members.iter().filter(|m| !located(m)).take(take) {
                    xml_member(model, m, depth + 1, out);
                }
            }
            out.push_str(&format!("</{name}>"));
        }
        ShapeKind::List { member } => {
            let item = model.location_name(member).unwrap_or("member");
            out.push_str(&format!("<{name}>"));
            if depth < MAX_DEPTH {
                xml(model, item, member, depth + 1, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        ShapeKind::Map { key, value } => {
            out.push_str(&format!("<{name}>"));
            if depth < MAX_DEPTH {
                out.push_str("<entry>");
                map_entry(model, key, value, depth, out);
                out.push_str("</entry>");
            }
            out.push_str(&format!("</{name}>"));
        }
        _ => {
            let text = match node(model, r, depth) {
                Node::Bytes(b) => base64(&b),
                Node::Time { .. } => "2023-11-14T22:13:20.500Z".into(),
                Node::Bool(b) => b.to_string(),
                Node::Int(i) => i.to_string(),
                Node::Float(f) => f.to_string(),
                Node::Str(s) => s,
                _ => String::new(),
            };
            out.push_str(&format!("<{name}>{text}</{name}>"));
        }
    }
}

fn map_entry(model: &ServiceModel, k: &MemberRef, v: &MemberRef, depth: usize, out: &mut String) {
    let kn = model.location_name(k).unwrap_or("key");
    let vn = model.location_name(v).unwrap_or("value");
    out.push_str(&format!("<{kn}>key1</{kn}>"));
    xml(model, vn, v, depth + 1, out);
}

/// A structure member: flattened lists and maps repeat their element instead of nesting.
fn xml_member(model: &ServiceModel, m: &MemberRef, depth: usize, out: &mut String) {
    let name = wire_name(model, m);
    let flat = model.flattened(m);
    match &model.shape(m.target).kind {
        ShapeKind::List { member } if flat => {
            let item = model.location_name(member).unwrap_or(name);
            xml(model, item, member, depth, out);
        }
        ShapeKind::Map { key, value } if flat => {
            out.push_str(&format!("<{name}>"));
            map_entry(model, key, value, depth, out);
            out.push_str(&format!("</{name}>"));
        }
        _ => xml(model, name, m, depth, out),
    }
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// Header-bound members of a structure (`header` and `headers` locations), with a value.
pub fn header_members(model: &ServiceModel, r: &MemberRef) -> Vec<(String, String)> {
    let Some(s) = model.shape(r.target).as_structure() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in &s.members {
        let name = wire_name(model, m);
        match m.traits.location {
            Some(Location::Header) => {
                let v = match node(model, m, MAX_DEPTH) {
                    Node::Bytes(b) => base64(&b),
                    Node::Time { .. } => "Tue, 14 Nov 2023 22:13:20 GMT".into(),
                    Node::Bool(b) => b.to_string(),
                    Node::Int(i) => i.to_string(),
                    Node::Float(f) => f.to_string(),
                    Node::Str(s) if m.traits.jsonvalue => {
                        base64(format!("{{\"a\":{s:?}}}").as_bytes())
                    }
                    Node::Str(s) => s,
                    Node::List(_) => "a,b".into(),
                    _ => String::new(),
                };
                out.push((name.to_string(), v));
            }
            Some(Location::Headers) => out.push((format!("{name}key1"), "v".into())),
            _ => {}
        }
    }
    out
}
