//! The `rest-json` protocol: HTTP binding plus JSON bodies. Error codes come
//! from `x-amzn-errortype`, else the body's `code`/`Code`, else `__type`,
//! else the status code; `ns#Code:uri` forms are trimmed to `Code`.

use super::json::{self, synthetic_ref};
use super::rest::{self, BodyKind};
use crate::{ParseError, Response};
use boto_model::{Map, MemberRef, ServiceModel, ShapeId, Value};

pub(crate) fn parse(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    rest::parse(model, out, resp, BodyKind::Json)
}

pub(crate) fn parse_error(resp: &Response<'_>) -> Result<Map, ParseError> {
    let body = json::generic_body(resp.body);
    let text = |v: &Value| match v {
        Value::String(s) => s.to_string(),
        other => other.to_json().to_string(),
    };
    let code = if let Some(h) = resp.header("x-amzn-errortype") {
        h.to_string()
    } else if let Some(c) = body.get("code").or_else(|| body.get("Code")) {
        text(c)
    } else if let Some(t) = body.get("__type").filter(|t| !t.is_null()) {
        text(t)
    } else {
        resp.status.to_string()
    };
    Ok(json::error_dict(body, code, resp))
}

pub(crate) fn parse_modeled_error(
    model: &ServiceModel,
    id: ShapeId,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    let mut m = Map::new();
    rest::add_modeled(model, &synthetic_ref(id), resp, BodyKind::Json, &mut m)?;
    Ok(m)
}
