//! The six AWS wire protocols: turn a [`Value`] into plain request parts, and
//! response parts back into a [`Value`] or a modeled service error.
//!
//! Each protocol is one walker over the shape graph, dispatching on the
//! shape's type (serializers in [`ser`], parsers in [`de`]). Nothing here
//! knows about HTTP libraries, endpoints or signing: [`Request`] is a plain
//! struct the runtime turns into an HTTP request after resolving the endpoint.

#![deny(missing_docs)]

pub mod de;
mod error;
mod parts;
pub mod ser;

pub use error::{ParseError, SerializeError, ServiceError};
pub use parts::{Body, Request, Response};
pub use ser::{serialize_with, SerializeOptions};

use boto_model::{Operation, ServiceModel, Value};

/// Serializes `params` for `op` with the model's protocol.
///
/// `params` should already be validated (see `boto_model::validate`); the
/// serializer reports only what it cannot encode.
pub fn serialize(
    model: &ServiceModel,
    op: &Operation,
    params: &Value,
) -> Result<Request, SerializeError> {
    ser::serialize(model, op, params)
}

/// Parses a successful (2xx) response of `op` into its output value.
pub fn parse_response(
    model: &ServiceModel,
    op: &Operation,
    resp: &Response<'_>,
) -> Result<Value, ParseError> {
    de::parse_response(model, op, resp)
}

/// [`parse_response`] for a caller that has no further use for the response
/// headers (the runtime, once interceptors have read them): the values move
/// into `ResponseMetadata.HTTPHeaders` instead of being copied there. Same
/// result as `parse_response` over a [`Response`] of these parts.
pub fn parse_response_owned(
    model: &ServiceModel,
    op: &Operation,
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
) -> Result<Value, ParseError> {
    de::parse_response_owned(model, op, status, headers, body)
}

/// Parses an error response: code, message, request id and modeled fields.
/// Never fails: a body that cannot be parsed still yields the HTTP status and
/// a generic code, as botocore does.
pub fn parse_error(model: &ServiceModel, op: &Operation, resp: &Response<'_>) -> ServiceError {
    de::parse_error(model, op, resp)
}
