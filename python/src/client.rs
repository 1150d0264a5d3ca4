//! The native session and client behind `boto_rs.Session` and its clients.
//!
//! Replaces botocore's `Session` (configuration, profiles, the credential
//! chain) and `BaseClient._make_api_call` (validate, serialize, sign, send,
//! retry, parse) with `boto::Session` and `boto::Client`. Every call that can
//! wait on the network or on credentials releases the GIL, so clients are
//! shared across Python threads (the core client is `Send + Sync`).

use crate::convert::{from_py, map_to_py, to_py};
use crate::error::{construction, to_pyerr};
use crate::stream::{Pages, RawStream};
use boto::blocking::block_on;
use boto::core::auth::config::ChecksumMode;
use boto::core::auth::sigv4::{presign_post, PresignedPostInput, SigningParams};
use boto::core::model::{xform_name, ShapeKind};
use boto::core::runtime::{paginator, waiter};
use boto::{Client, Value};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;
use std::time::Duration;

/// Runs `f` (blocking on the core's runtime) with the GIL released.
pub fn blocking<T: Send>(
    py: Python<'_>,
    f: impl std::future::Future<Output = Result<T, boto::Error>> + Send,
) -> PyResult<T> {
    py.allow_threads(|| block_on(f).and_then(|r| r))
        .map_err(to_pyerr)
}

#[pyclass(module = "boto_rs._core", frozen)]
pub struct CoreClient {
    client: Arc<Client>,
}

impl CoreClient {
    /// The core client (for the stubber, `stub.rs`).
    pub fn inner(&self) -> &Client {
        &self.client
    }

    /// The core client, shared (for the asyncio bridge, `aio.rs`).
    pub fn shared(&self) -> Arc<Client> {
        self.client.clone()
    }

    /// Wraps a core client (the stubber's stubbed copy).
    pub fn from_client(client: Arc<Client>) -> Self {
        CoreClient { client }
    }

    pub(crate) fn params(params: Option<&Bound<'_, PyAny>>) -> PyResult<Value> {
        match params {
            Some(p) if !p.is_none() => from_py(p),
            _ => Ok(Value::Map(Default::default())),
        }
    }

    /// The member that carries a streamed (blob) output payload, if any.
    pub(crate) fn streamed_member(&self, operation: &str) -> Option<String> {
        let model = self.client.model();
        let op = model.operation(operation)?;
        let m = op.streaming_output(model)?;
        matches!(model.shape(m.target).kind, ShapeKind::Blob).then(|| m.name.to_string())
    }

    /// Whether the core validates the response checksum of this call
    /// (botocore: the validation-mode member is set, by the caller or by
    /// `response_checksum_validation = when_supported`).
    pub(crate) fn validates_response_checksum(&self, operation: &str, params: &Value) -> bool {
        let model = self.client.model();
        let Some(mode) = model
            .operation(operation)
            .and_then(|o| o.http_checksum.as_ref())
            .and_then(|h| h.request_validation_mode_member.as_deref())
        else {
            return false;
        };
        self.client.config().response_checksum_validation == ChecksumMode::WhenSupported
            || !params.get(mode).is_null()
    }
}

/// botocore's `ResponseMetadata.ChecksumAlgorithm`: the algorithm whose
/// response checksum was validated (the first full-object checksum header in
/// botocore's priority order). The core validated it already; this records it.
pub(crate) fn note_checksum_algorithm(v: &mut Value) {
    const PRIORITY: [&str; 5] = ["crc64nvme", "crc32c", "crc32", "sha1", "sha256"];
    let found = {
        let headers = v.pointer("ResponseMetadata.HTTPHeaders");
        PRIORITY.iter().find(|a| {
            headers
                .get(&format!("x-amz-checksum-{a}"))
                .as_str()
                .is_some_and(|h| !h.contains('-'))
        })
    };
    if let (Some(alg), Some(meta)) = (
        found,
        v.as_map_mut()
            .and_then(|m| m.get_mut("ResponseMetadata"))
            .and_then(Value::as_map_mut),
    ) {
        meta.insert("ChecksumAlgorithm", Value::String((*alg).into()));
    }
}

#[pymethods]
impl CoreClient {
    #[getter]
    fn service_name(&self) -> String {
        self.client.model().service_name.clone()
    }
    #[getter]
    fn region_name(&self) -> Option<String> {
        self.client.config().region.clone()
    }
    #[getter]
    fn endpoint_url(&self) -> Option<String> {
        self.client.config().endpoint_url.clone()
    }
    /// Attempts per call, the first included (botocore's `total_max_attempts`).
    #[getter]
    fn total_attempts(&self) -> u32 {
        self.client.config().total_attempts()
    }
    #[getter]
    fn service_id(&self) -> String {
        self.client.model().metadata.service_id.clone()
    }

    /// The endpoint URL `operation` would be sent to with `params` (scheme, host, path).
    fn resolve_endpoint(
        &self,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let p = Self::params(params)?;
        self.client
            .resolve_endpoint(operation, p)
            .map(|e| e.url)
            .map_err(to_pyerr)
    }

    /// The URL a call would be sent to (botocore names it in connection errors).
    fn request_url(
        &self,
        py: Python<'_>,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let p = Self::params(params)?;
        let client = self.client.clone();
        let op = operation.to_string();
        blocking(py, async move { client.prepare(&op, p).await }).map(|r| r.url)
    }

    /// `[(model name, python name)]` of every operation.
    fn operations(&self) -> Vec<(String, String)> {
        self.client
            .model()
            .operations()
            .iter()
            .map(|o| (o.name.to_string(), xform_name(&o.name, '_')))
            .collect()
    }
    /// `[(model name, member)]` of the operations whose output payload is streamed.
    fn streamed_operations(&self) -> Vec<(String, String)> {
        self.client
            .model()
            .operations()
            .iter()
            .filter_map(|o| Some((o.name.to_string(), self.streamed_member(&o.name)?)))
            .collect()
    }
    /// Model names of the paginated operations.
    fn paginator_names(&self) -> Vec<String> {
        paginator::paginator_names(self.client.model())
    }
    /// Model names of the waiters.
    fn waiter_names(&self) -> Vec<String> {
        waiter::waiter_names(self.client.model())
    }
    /// `[(shape name, error code)]` of every modeled exception (botocore's `error_shapes`).
    fn error_shapes(&self) -> Vec<(String, String)> {
        let model = self.client.model();
        model
            .shapes()
            .filter_map(|(_, s)| {
                let st = s.as_structure().filter(|st| st.exception)?;
                let code = st
                    .error
                    .as_ref()
                    .and_then(|e| e.code.clone())
                    .unwrap_or_else(|| s.name.to_string());
                Some((s.name.to_string(), code))
            })
            .collect()
    }

    /// Calls `operation` (model name) with `params`; a streamed output payload
    /// comes back as a `RawStream` under its member name.
    #[pyo3(signature = (operation, params=None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        params: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let p = Self::params(params)?;
        let client = self.client.clone();
        let validating = self.validates_response_checksum(operation, &p);
        match self.streamed_member(operation) {
            None => {
                let op = operation.to_string();
                let mut v = blocking(py, async move { client.call(&op, p).await })?;
                if validating {
                    note_checksum_algorithm(&mut v);
                }
                match &v {
                    Value::Map(m) => map_to_py(py, m),
                    _ => Ok(PyDict::new(py)),
                }
            }
            Some(member) => {
                let op = operation.to_string();
                let mut out = blocking(py, async move { client.call_stream(&op, p, None).await })?;
                if validating {
                    note_checksum_algorithm(&mut out.value);
                }
                let dict = match &out.value {
                    Value::Map(m) => map_to_py(py, m)?,
                    _ => PyDict::new(py),
                };
                if let Some(body) = out.body {
                    dict.set_item(member, Bound::new(py, RawStream::new(body))?)?;
                }
                Ok(dict)
            }
        }
    }

    /// A page iterator (`PaginationConfig` given as `max_items`, `page_size`, `starting_token`).
    #[pyo3(signature = (operation, params=None, max_items=None, page_size=None, starting_token=None))]
    fn paginate(
        &self,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
        max_items: Option<u64>,
        page_size: Option<u64>,
        starting_token: Option<String>,
    ) -> PyResult<Pages> {
        let p = Self::params(params)?;
        let mut pg = self.client.paginate(operation, p).map_err(to_pyerr)?;
        if let Some(n) = max_items {
            pg = pg.max_items(n);
        }
        if let Some(n) = page_size {
            pg = pg.page_size(n);
        }
        if let Some(t) = starting_token {
            pg = pg.starting_token(t);
        }
        Ok(Pages::new(pg))
    }

    /// Waits with the waiter `name` (model name); returns the last response.
    #[pyo3(signature = (name, params=None, delay=None, max_attempts=None))]
    fn wait<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        params: Option<&Bound<'py, PyAny>>,
        delay: Option<f64>,
        max_attempts: Option<u32>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = Self::params(params)?;
        let delay = delay
            .map(|d| {
                Duration::try_from_secs_f64(d).map_err(|_| {
                    construction(format!("Delay must be a non-negative number, got {d}"))
                })
            })
            .transpose()?;
        let w = self.client.waiter(name).map_err(to_pyerr)?;
        let v = blocking(py, async move {
            w.wait(
                p,
                waiter::WaiterConfig {
                    delay,
                    max_attempts,
                },
            )
            .await
        })?;
        to_py(py, &v)
    }

    /// A presigned URL for `operation` (model name), valid for `expires_in` seconds,
    /// signed for `http_method` when given (botocore's `HttpMethod=`).
    #[pyo3(signature = (operation, params, expires_in, http_method=None))]
    fn presign(
        &self,
        py: Python<'_>,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
        expires_in: u64,
        http_method: Option<String>,
    ) -> PyResult<String> {
        let p = Self::params(params)?;
        let client = self.client.clone();
        let op = operation.to_string();
        blocking(py, async move {
            let expires = Duration::from_secs(expires_in);
            match http_method {
                Some(m) => client.presign_url_with_method(&op, p, expires, &m).await,
                None => client.presign_url(&op, p, expires).await,
            }
        })
    }

    /// A presigned S3 POST form: `(url, [(field, value)])` (botocore's
    /// `generate_presigned_post`). `conditions` is the policy's conditions as JSON.
    fn presign_post(
        &self,
        py: Python<'_>,
        bucket: &str,
        key: &str,
        fields: Vec<(String, String)>,
        conditions: &str,
        expires_in: u64,
    ) -> PyResult<(String, Vec<(String, String)>)> {
        let conditions: Vec<serde_json::Value> = serde_json::from_str(conditions)
            .map_err(|e| construction(format!("Conditions must be a JSON list: {e}")))?;
        let mut bucket_params = boto::Map::new();
        bucket_params.insert("Bucket", Value::String(bucket.into()));
        let endpoint = self
            .client
            .resolve_endpoint("CreateBucket", Value::Map(bucket_params))
            .map_err(to_pyerr)?;
        let region = self
            .client
            .config()
            .region
            .clone()
            .unwrap_or_else(|| "us-east-1".into());
        let mut input = PresignedPostInput::new(endpoint.url, bucket, key);
        input.fields = fields;
        input.conditions = conditions;
        input.expires_in = Duration::from_secs(expires_in);
        let client = self.client.clone();
        let post = blocking(py, async move {
            let provider = client.credentials_provider().ok_or_else(|| {
                boto::Error::new(boto::ErrorKind::Credentials, "Unable to locate credentials")
            })?;
            let creds = provider.provide().await?;
            let params = SigningParams::new(&region, "s3", std::time::SystemTime::now());
            presign_post(&input, &creds, &params)
                .map_err(|e| boto::Error::construction(format!("signing the POST policy: {e}")))
        })?;
        Ok((post.url, post.fields))
    }

    fn __repr__(&self) -> String {
        format!(
            "CoreClient(service={:?}, region={:?})",
            self.client.model().service_name,
            self.client.config().region
        )
    }
}

/// botocore's `xform_name`: `ListObjectsV2` → `list_objects_v2`.
#[pyfunction]
#[pyo3(name = "xform_name")]
pub fn py_xform_name(name: &str) -> String {
    xform_name(name, '_')
}

/// Evaluates a JMESPath expression over a value (for tests and `search`).
#[pyfunction]
pub fn jmespath_search<'py>(
    py: Python<'py>,
    expression: &str,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let v = from_py(data)?;
    let expr = paginator::Expr::new(expression).map_err(to_pyerr)?;
    let out = expr.try_eval(&v).map_err(to_pyerr)?;
    to_py(py, &out)
}
