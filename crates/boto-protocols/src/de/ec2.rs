//! The `ec2` protocol: query-style XML without result wrappers, the request
//! id in a top-level `<requestId>`, errors in `<Response><Errors><Error>`
//! with `<RequestID>`.

use super::query;
use super::xml::Doc;
use crate::{ParseError, Response};
use boto_model::{Map, MemberRef, ServiceModel, ShapeId, Value};

pub(crate) fn parse(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    query::output_or_tree(model, out, resp.body, true)
}

/// [`parse`] through the node tree.
pub(crate) fn parse_tree(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    body: &[u8],
) -> Result<Map, ParseError> {
    let doc = Doc::parse(body)?;
    let mut parsed = query::parse_output(model, out, &doc, true)?;
    if let Some(id) = doc.child(doc.root(), "requestId") {
        let n = doc.node(id);
        let mut m = Map::new();
        m.insert(
            "RequestId",
            if n.has_text {
                Value::from(&*n.text)
            } else {
                Value::Null
            },
        );
        parsed.insert("ResponseMetadata", Value::Map(m));
    }
    Ok(parsed)
}

pub(crate) fn parse_error(resp: &Response<'_>) -> Result<Map, ParseError> {
    query::parse_error_dict(resp, true)
}

pub(crate) fn parse_modeled_error(
    model: &ServiceModel,
    id: ShapeId,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    query::modeled_error(model, id, resp, true)
}
