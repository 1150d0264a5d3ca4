//! Response parsers, one walker per protocol (being written).

use crate::{ParseError, Response, ServiceError};
use boto_model::{Operation, ServiceModel, Value};

pub(crate) fn parse_response(model: &ServiceModel, _op: &Operation, _resp: &Response<'_>) -> Result<Value, ParseError> {
    Err(ParseError::new(format!("protocol {} not implemented yet", model.metadata.protocol)))
}

pub(crate) fn parse_error(_model: &ServiceModel, _op: &Operation, resp: &Response<'_>) -> ServiceError {
    ServiceError {
        code: format!("Http{}", resp.status),
        message: String::new(),
        request_id: None,
        status: resp.status,
        shape: None,
        fields: Value::Null,
    }
}
