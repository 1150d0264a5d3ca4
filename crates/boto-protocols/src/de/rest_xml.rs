//! The `rest-xml` protocol (S3, CloudFront, Route 53): HTTP binding plus XML
//! bodies. Errors come in two forms, both handled as botocore does: S3's bare
//! `<Error>` root (request ids from headers) and `<ErrorResponse><Error>`
//! with a `<RequestId>`; a body that is not XML falls back to the status code
//! and reason phrase.

use super::json::synthetic_ref;
use super::rest::{self, BodyKind};
use super::xml::Doc;
use super::xml_walk::generic;
use super::{reason_phrase, rest_metadata};
use crate::{ParseError, Response};
use boto_model::{Map, MemberRef, ServiceModel, ShapeId, Value};

pub(crate) fn parse(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    rest::parse(model, out, resp, BodyKind::Xml)
}

pub(crate) fn parse_error(resp: &Response<'_>) -> Map {
    if !resp.body.is_empty() {
        if let Ok(m) = error_from_body(resp) {
            return m;
        }
    }
    let mut e = Map::new();
    e.insert("Code", resp.status.to_string().into());
    e.insert("Message", reason_phrase(resp.status).into());
    let mut meta = Map::new();
    meta.insert(
        "RequestId",
        resp.header("x-amz-request-id").unwrap_or_default().into(),
    );
    meta.insert(
        "HostId",
        resp.header("x-amz-id-2").unwrap_or_default().into(),
    );
    let mut out = Map::new();
    out.insert("Error", Value::Map(e));
    out.insert("ResponseMetadata", Value::Map(meta));
    out
}

fn error_from_body(resp: &Response<'_>) -> Result<Map, ParseError> {
    let doc = Doc::parse(resp.body)?;
    let Value::Map(mut parsed) = generic(&doc, doc.root()) else {
        return Ok(Map::new());
    };
    if doc.node(doc.root()).local == "Error" {
        parsed.shift_remove("RequestId");
        parsed.shift_remove("HostId");
        let mut out = Map::new();
        out.insert("Error", Value::Map(parsed));
        out.insert("ResponseMetadata", Value::Map(rest_metadata(resp)));
        return Ok(out);
    }
    if let Some(id) = parsed.shift_remove("RequestId") {
        let mut m = Map::new();
        m.insert("RequestId", id);
        parsed.insert("ResponseMetadata", Value::Map(m));
    }
    let mut default = Map::new();
    let mut e = Map::new();
    e.insert("Message", "".into());
    e.insert("Code", "".into());
    default.insert("Error", Value::Map(e));
    merge(&mut default, parsed);
    Ok(default)
}

/// botocore's `merge_dicts`: nested dicts merge, everything else replaces.
fn merge(into: &mut Map, from: Map) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(Value::Map(a)), Value::Map(b)) => merge(a, b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

pub(crate) fn parse_modeled_error(
    model: &ServiceModel,
    id: ShapeId,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    let mut m = Map::new();
    rest::add_modeled(model, &synthetic_ref(id), resp, BodyKind::Xml, &mut m)?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_and_generic_error_forms() {
        let h = vec![
            ("x-amz-request-id".to_string(), "rid".to_string()),
            ("x-amz-id-2".to_string(), "hid".to_string()),
        ];
        let s3 = Response {
            status: 404,
            headers: &h,
            body:
                b"<Error><Code>NoSuchKey</Code><Message>m</Message><RequestId>x</RequestId></Error>",
        };
        let e = parse_error(&s3);
        assert_eq!(e["Error"].get("Code").as_str(), Some("NoSuchKey"));
        assert!(e["Error"].get("RequestId").is_null());
        assert_eq!(e["ResponseMetadata"].get("HostId").as_str(), Some("hid"));
        let junk = Response {
            status: 403,
            headers: &h,
            body: b"<html",
        };
        let e = parse_error(&junk);
        assert_eq!(e["Error"].get("Code").as_str(), Some("403"));
        assert_eq!(e["Error"].get("Message").as_str(), Some("Forbidden"));
        assert_eq!(e["ResponseMetadata"].get("RequestId").as_str(), Some("rid"));
    }
}
