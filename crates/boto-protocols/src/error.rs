//! Errors of serialization and parsing, and the parsed form of a service error.

use boto_model::Value;
use std::fmt;

/// A parameter value the protocol cannot encode (e.g. an empty URI label).
#[derive(Debug, Clone, PartialEq)]
pub struct SerializeError {
    /// What could not be serialized, naming the member.
    pub message: String,
}

impl SerializeError {
    /// A serialization error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        SerializeError {
            message: message.into(),
        }
    }
}
impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot serialize request: {}", self.message)
    }
}
impl std::error::Error for SerializeError {}

/// A response body that is not what the protocol and model say it should be.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// What was wrong with the body, as specific as the parser can be.
    pub message: String,
}

impl ParseError {
    /// A parse error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
        }
    }
}
impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot parse response: {}", self.message)
    }
}
impl std::error::Error for ParseError {}

/// An error returned by the service, as parsed from the response.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    /// The error code (`NoSuchKey`, `ThrottlingException`, ...). For
    /// query-compatible services, the query error code when one is sent.
    pub code: String,
    /// The error message, empty when the service sent none.
    pub message: String,
    /// The request id (`x-amzn-RequestId`, `x-amz-request-id` or the body's `RequestId`).
    pub request_id: Option<String>,
    /// The HTTP status code of the response.
    pub status: u16,
    /// The modeled error shape's name, when the code matched one.
    pub shape: Option<String>,
    /// The error's members as modeled (plus `Code`/`Message` as botocore puts them in `Error`).
    pub fields: Value,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}): {}", self.code, self.status, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}
impl std::error::Error for ServiceError {}
