//! The rest parsers' status and header members, found from the response's
//! headers through [`boto_model::HttpBindings`], against the member-by-member
//! walk they replaced, on every output of the rest services below.

use super::{add_modeled, BodyKind};
use crate::de::{decode_base64, location, wire_name};
use crate::Response;
use boto_model::{Loader, Location, Map, MemberRef, ServiceModel, ShapeKind, Value};

/// The walk before `HttpBindings`: every member asked for its location, a
/// header member's value searched for in the response (first match).
fn by_members(model: &ServiceModel, r: &MemberRef, resp: &Response<'_>) -> Map {
    let mut parsed = Map::new();
    let Some(s) = model.shape(r.target).as_structure() else {
        return parsed;
    };
    for m in &s.members {
        match location(model, m) {
            Some(Location::StatusCode) => {
                parsed.insert(&*m.name, Value::Integer(resp.status.into()));
            }
            Some(Location::Headers) => {
                let prefix = model.location_name(m).unwrap_or("");
                let map = super::prefixed_headers(resp, prefix);
                parsed.insert(&*m.name, Value::Map(map));
            }
            Some(Location::Header) => {
                if let Some(v) = resp.header(wire_name(model, m)) {
                    if let Ok(value) = super::header_value(model, m, v, BodyKind::Xml) {
                        parsed.insert(&*m.name, value);
                    }
                }
            }
            _ => {}
        }
    }
    parsed
}

/// A header value the member's type reads.
fn sample(model: &ServiceModel, m: &MemberRef, i: usize) -> String {
    let shape = model.shape(m.target);
    match &shape.kind {
        ShapeKind::String if m.traits.jsonvalue || shape.traits.jsonvalue => "e30=".into(),
        ShapeKind::Integer | ShapeKind::Long => i.to_string(),
        ShapeKind::Boolean => "true".into(),
        ShapeKind::Float | ShapeKind::Double => "1.5".into(),
        ShapeKind::Timestamp => "Wed, 12 Oct 2023 17:50:00 GMT".into(),
        ShapeKind::Blob => "aGk=".into(),
        ShapeKind::List { .. } => "a, b".into(),
        _ => format!("v{i}"),
    }
}

#[test]
fn bound_members_read_as_the_member_walk_reads_them() {
    let mut outputs = 0;
    for service in [
        "s3",
        "s3control",
        "lambda",
        "glacier",
        "apigateway",
        "mediastore-data",
        "lex-runtime",
    ] {
        let model = Loader::global().service_model(service).expect("model");
        for op in model.operations().iter() {
            let Some(r) = op.output.as_ref() else {
                continue;
            };
            let Some(s) = model.shape(r.target).as_structure() else {
                continue;
            };
            // Every bound header once, names in a mixed case, in reverse
            // model order, a repeat of the first (the first value counts),
            // an unbound header and two prefixed ones.
            let mut headers: Vec<(String, String)> = Vec::new();
            for (i, m) in s.members.iter().enumerate().rev() {
                if location(&model, m) == Some(Location::Header) {
                    let name: String = wire_name(&model, m)
                        .chars()
                        .enumerate()
                        .map(|(n, c)| {
                            if n % 2 == 0 {
                                c.to_ascii_uppercase()
                            } else {
                                c
                            }
                        })
                        .collect();
                    headers.push((name, sample(&model, m, i)));
                }
            }
            if let Some((k, _)) = headers.first().cloned() {
                headers.push((k.to_ascii_lowercase(), "repeated".into()));
            }
            headers.push(("X-Unbound".into(), "u".into()));
            headers.push(("x-amz-meta-a".into(), "1".into()));
            headers.push(("X-Amz-Meta-B".into(), "2".into()));
            let resp = Response {
                status: 206,
                headers: &headers,
                body: b"",
            };
            let mut parsed = Map::new();
            add_modeled(&model, r, &resp, BodyKind::Xml, &mut parsed)
                .unwrap_or_else(|e| panic!("{service}.{}: {e}", op.name));
            // The payload member (from the empty body) is not this test's.
            if let Some(p) = s.payload_member() {
                parsed.shift_remove(&p.name);
            }
            let walked = by_members(&model, r, &resp);
            assert_eq!(
                format!("{parsed:?}"),
                format!("{walked:?}"),
                "{service}.{}",
                op.name
            );
            outputs += 1;
        }
    }
    assert!(outputs > 300, "{outputs}");
    // The S3 metadata prefix and a status member, for the record.
    let s3 = Loader::global().service_model("s3").expect("model");
    let b = s3.http_bindings(
        s3.operation("HeadObject")
            .unwrap()
            .output
            .as_ref()
            .unwrap()
            .target,
    );
    assert!(b.headers.windows(2).all(|w| w[0].0.len() <= w[1].0.len()));
    assert_eq!(b.header_members("Last-Modified").count(), 1);
    assert_eq!(b.header_members("x-unbound").count(), 0);
    assert_eq!(b.prefixed.len(), 1);
    assert_eq!(&*b.prefixed[0].1, "x-amz-meta-");
    assert_eq!(decode_base64("e30=").unwrap(), b"{}");
}
