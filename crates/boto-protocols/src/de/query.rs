//! The `query` protocol (SQS, SNS, STS, IAM, ...): XML bodies wrapped in
//! `<OpResponse><OpResult>`, request ids in `<ResponseMetadata>`, errors in
//! `<ErrorResponse><Error>`.
//!
//! Like botocore, the output walk starts at the `resultWrapper` element and
//! error bodies become a generic dict before the modeled fields are added.

use super::xml::Doc;
use super::xml_stream;
use super::xml_walk::{generic, XmlWalker};
use crate::{ParseError, Response};
use boto_model::{Map, MemberRef, RefTraits, ServiceModel, ShapeId, Value};

pub(crate) fn parse(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    output_or_tree(model, out, resp.body, false)
}

/// A query (`ec2: false`) or ec2 output: the usual document straight into
/// values by the streaming reader, the node tree for the rest.
pub(crate) fn output_or_tree(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    body: &[u8],
    ec2: bool,
) -> Result<Map, ParseError> {
    match xml_stream::query_output(model, out, body, ec2) {
        Some(parsed) => Ok(parsed),
        None if ec2 => super::ec2::parse_tree(model, out, body),
        None => parse_tree(model, out, body),
    }
}

/// [`parse`] through the node tree.
pub(crate) fn parse_tree(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    body: &[u8],
) -> Result<Map, ParseError> {
    let doc = Doc::parse(body)?;
    let mut parsed = parse_output(model, out, &doc, false)?;
    let root = doc.root();
    if let Some(meta) = doc.child(root, "ResponseMetadata") {
        let mut m = Map::new();
        for c in doc.children(meta) {
            let n = doc.node(c);
            let text = if n.has_text {
                Value::from(&*n.text)
            } else {
                Value::Null
            };
            m.insert(n.local.to_string(), text);
        }
        parsed.insert("ResponseMetadata", Value::Map(m));
    }
    Ok(parsed)
}

/// The output structure, from the `resultWrapper` element when there is one
/// (a missing wrapper reads as an empty result).
pub(crate) fn parse_output(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    doc: &Doc<'_>,
    ec2: bool,
) -> Result<Map, ParseError> {
    let Some(r) = out else { return Ok(Map::new()) };
    let shape = model.shape(r.target);
    let Some(s) = shape.as_structure() else {
        return Ok(Map::new());
    };
    let wrapper = r
        .traits
        .result_wrapper
        .as_deref()
        .or(shape.traits.result_wrapper.as_deref());
    let start = match wrapper {
        Some(w) => match doc.child(doc.root(), w) {
            Some(n) => n,
            None => return Ok(Map::new()),
        },
        None => doc.root(),
    };
    XmlWalker { model, doc, ec2 }.structure(r.target, s, start)
}

/// The generic error dict: `{"Error": {...}, "ResponseMetadata": {"RequestId": ...}}`.
pub(crate) fn parse_error(resp: &Response<'_>) -> Result<Map, ParseError> {
    parse_error_dict(resp, false)
}

pub(crate) fn parse_error_dict(resp: &Response<'_>, ec2: bool) -> Result<Map, ParseError> {
    let doc = Doc::parse(resp.body)?;
    let Value::Map(mut parsed) = generic(&doc, doc.root()) else {
        return Ok(Map::new());
    };
    if let Some(Value::Map(e)) = parsed.shift_remove("Errors") {
        parsed.extend(e);
    }
    for key in ["RequestId", "RequestID"] {
        if !ec2 && key == "RequestID" {
            continue;
        }
        if let Some(id) = parsed.shift_remove(key) {
            let mut m = Map::new();
            m.insert("RequestId", id);
            parsed.insert("ResponseMetadata", Value::Map(m));
        }
    }
    Ok(parsed)
}

pub(crate) fn parse_modeled_error(
    model: &ServiceModel,
    id: ShapeId,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    modeled_error(model, id, resp, false)
}

pub(crate) fn modeled_error(
    model: &ServiceModel,
    id: ShapeId,
    resp: &Response<'_>,
    ec2: bool,
) -> Result<Map, ParseError> {
    let doc = Doc::parse(resp.body)?;
    let r = MemberRef {
        name: "error".into(),
        target: id,
        traits: RefTraits::default(),
    };
    parse_output(model, Some(&r), &doc, ec2)
}
