//! The native half of `boto_rs.stub.Stubber` (botocore's `botocore.stub.Stubber`).
//!
//! Wraps `boto_testing::Stubber`: a stubbed copy of a client whose calls are
//! validated and serialized like real ones, then answered from a queue before
//! credentials are looked up or anything is sent. Canned responses and
//! modeled error fields are validated against the model with botocore's
//! rules and wording when they are added. The Python layer (`stub.py`) keeps
//! the queue in botocore's shape for direct calls (expected-parameter checks
//! with Python's `==`, the exact response object returned); paginators and
//! waiters on a stubbed client are answered by this queue directly.

use crate::client::CoreClient;
use crate::convert::from_py;
use crate::error::to_pyerr;
use boto::Value;
use boto_testing::{ClientError, Stubber};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;

/// The text `boto_rs.stub.ANY` is passed as in expected parameters.
pub fn any_marker() -> String {
    boto_testing::any().as_str().unwrap_or_default().to_string()
}

fn opt_value(v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Value>> {
    match v {
        Some(v) if !v.is_none() => Ok(Some(from_py(v)?)),
        _ => Ok(None),
    }
}

#[pyclass(module = "boto_rs._core", frozen)]
pub struct CoreStubber {
    stubber: Stubber,
}

#[pymethods]
impl CoreStubber {
    /// A stubber for a copy of `client` (same service, region and configuration).
    #[new]
    fn new(client: PyRef<'_, CoreClient>) -> PyResult<Self> {
        let stubber = Stubber::new(client.inner()).map_err(to_pyerr)?;
        Ok(CoreStubber { stubber })
    }

    /// The stubbed client (shares this stubber's queue).
    fn client(&self) -> CoreClient {
        CoreClient::from_client(Arc::new(self.stubber.client().clone()))
    }

    /// Queues a response for `operation` (model name), validated against its output shape.
    #[pyo3(signature = (operation, response, expected_params=None))]
    fn add_response(
        &self,
        operation: &str,
        response: &Bound<'_, PyAny>,
        expected_params: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let response = from_py(response)?;
        match opt_value(expected_params)? {
            Some(p) => self
                .stubber
                .add_response_with_params(operation, response, p),
            None => self.stubber.add_response(operation, response),
        }
        .map_err(to_pyerr)
    }

    /// Queues a service error for `operation` (botocore's `add_client_error` arguments).
    #[pyo3(signature = (operation, code, message, status, error_meta=None, response_meta=None, modeled_fields=None, expected_params=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_client_error(
        &self,
        operation: &str,
        code: &str,
        message: &str,
        status: u16,
        error_meta: Option<&Bound<'_, PyDict>>,
        response_meta: Option<&Bound<'_, PyDict>>,
        modeled_fields: Option<&Bound<'_, PyAny>>,
        expected_params: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let mut e = ClientError::new(code, message).status(status);
        if let Some(m) = error_meta {
            for (k, v) in m.iter() {
                e = e.error_meta(k.extract::<String>()?, from_py(&v)?);
            }
        }
        if let Some(m) = response_meta {
            for (k, v) in m.iter() {
                e = e.response_meta(k.extract::<String>()?, from_py(&v)?);
            }
        }
        if let Some(f) = opt_value(modeled_fields)? {
            e = e.modeled_fields(f);
        }
        if let Some(p) = opt_value(expected_params)? {
            e = e.expected_params(p);
        }
        self.stubber
            .add_client_error(operation, e)
            .map_err(to_pyerr)
    }

    /// Stubs not yet consumed.
    fn pending(&self) -> usize {
        self.stubber.pending()
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.stubber)
    }
}
