//! `boto::Error` → one Python exception the pure-Python layer turns into
//! botocore's classes (`boto_rs/exceptions.py`, `_translate`).
//!
//! The native side raises `boto_rs._core.CoreError(kind, message, info)`:
//! `kind` is the `ErrorKind` in snake_case, `message` the error's text and
//! `info` a dict with what the Python exception needs: the service error's
//! parsed response (botocore's `ClientError.response`), the operation, retry
//! attempts, and for waiters the name, reason and last response. Nothing here
//! carries credentials: errors never hold them.

use crate::convert::to_py;
use boto::core::runtime::{retry, waiter};
use boto::{Error, ErrorKind, Value};
use pyo3::prelude::*;
use pyo3::types::PyDict;

pyo3::create_exception!(
    _core,
    CoreError,
    pyo3::exceptions::PyException,
    "An error of the native core; boto_rs turns it into a botocore-named exception."
);

fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Validation => "validation",
        ErrorKind::Construction => "construction",
        ErrorKind::Credentials => "credentials",
        ErrorKind::Endpoint => "endpoint",
        ErrorKind::Dispatch => "dispatch",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Response => "response",
        ErrorKind::Service => "service",
        ErrorKind::Waiter => "waiter",
        _ => "other",
    }
}

/// The full text of an error and its sources (`a: b: c`), for messages.
fn chain(e: &Error) -> String {
    let mut text = e.message().to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !text.contains(&t) {
            text.push_str(": ");
            text.push_str(&t);
        }
        src = s.source();
    }
    text
}

/// Converts a core error into a `CoreError` Python exception.
pub fn to_pyerr(e: Error) -> PyErr {
    Python::with_gil(|py| match build(py, &e) {
        Ok(err) => err,
        Err(err) => err,
    })
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let info = PyDict::new(py);
    info.set_item("operation", e.operation())?;
    info.set_item("retry_attempts", e.retry_attempts())?;
    info.set_item("display", e.to_string())?;
    info.set_item("retryable", retry::classify(e, None).is_some())?;
    let message = match e.kind() {
        ErrorKind::Service | ErrorKind::Validation | ErrorKind::Waiter => e.message().to_string(),
        _ => chain(e),
    };
    if let Some(se) = e.service_error() {
        info.set_item("code", &se.code)?;
        info.set_item("status", se.status)?;
        let fields = match &se.fields {
            Value::Map(_) => se.fields.clone(),
            _ => Value::Map(Default::default()),
        };
        info.set_item("response", to_py(py, &fields)?)?;
    }
    if let Some(f) = waiter::failure(e) {
        info.set_item("waiter_name", &f.waiter)?;
        info.set_item("reason", &f.reason)?;
        info.set_item("last_response", to_py(py, &f.last_response)?)?;
    }
    Ok(CoreError::new_err((
        kind_name(e.kind()),
        message,
        info.unbind(),
    )))
}

/// Raises `CoreError` of kind `construction` with `message`.
pub fn construction(message: impl Into<String>) -> PyErr {
    to_pyerr(Error::construction(message))
}
