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
use boto::core::auth::config::{settings, AddressingStyle, ChecksumMode, RetryMode, Setting};
use boto::core::auth::sigv4::{presign_post, PresignedPostInput, SigningParams};
use boto::core::model::{xform_name, ShapeKind};
use boto::core::runtime::{paginator, waiter};
use boto::{Client, ClientOptions, Session, Value};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::str::FromStr;
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

/// Explicit credentials given to a session or client (never printed).
#[derive(Clone)]
struct Keys {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

/// `(access_key, secret_key, token, method)`.
type CredentialTuple = (String, String, Option<String>, String);

#[pyclass(module = "boto_rs._core", frozen)]
pub struct CoreSession {
    session: Session,
    profile: Option<String>,
    region: Option<String>,
}

fn build_session(
    profile: Option<String>,
    region: Option<String>,
    keys: Option<&Keys>,
) -> PyResult<Session> {
    let mut b = Session::builder().profile_opt(profile).region_opt(region);
    if let Some(k) = keys {
        b = b.credentials(
            &k.access_key_id,
            &k.secret_access_key,
            k.session_token.as_deref(),
        );
    }
    b.build().map_err(to_pyerr)
}

fn keys(
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
) -> Option<Keys> {
    match (access_key_id, secret_access_key) {
        (Some(a), Some(s)) => Some(Keys {
            access_key_id: a,
            secret_access_key: s,
            session_token,
        }),
        _ => None,
    }
}

fn opt<'py, T: FromPyObject<'py>>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<Option<T>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.extract()?)),
        _ => Ok(None),
    }
}

fn duration(d: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<Duration>> {
    opt::<f64>(d, key)?
        .map(|s| {
            Duration::try_from_secs_f64(s)
                .map_err(|_| construction(format!("{key} must be a non-negative number, got {s}")))
        })
        .transpose()
}

/// Text given in `Config(...)` through the settings table's parser, so it is checked
/// (with botocore's message) exactly as the environment and profile values are.
fn setting<T>(d: &Bound<'_, PyDict>, key: &str, s: &Setting<T>) -> PyResult<Option<T>> {
    opt::<String>(d, key)?
        .map(|text| {
            s.parse_explicit(&text)
                .map_err(|e| construction(e.to_string()))
        })
        .transpose()
}

fn parse_enum<T: FromStr>(
    d: &Bound<'_, PyDict>,
    key: &str,
    values: &[&str],
) -> PyResult<Option<T>> {
    opt::<String>(d, key)?
        .map(|s| {
            T::from_str(&s).map_err(|_| {
                construction(format!(
                    "Invalid value {s:?} for {key}: valid values are {}",
                    values.join(", ")
                ))
            })
        })
        .transpose()
}

#[pymethods]
impl CoreSession {
    #[new]
    #[pyo3(signature = (profile_name=None, region_name=None, aws_access_key_id=None, aws_secret_access_key=None, aws_session_token=None))]
    fn new(
        profile_name: Option<String>,
        region_name: Option<String>,
        aws_access_key_id: Option<String>,
        aws_secret_access_key: Option<String>,
        aws_session_token: Option<String>,
    ) -> PyResult<Self> {
        let k = keys(aws_access_key_id, aws_secret_access_key, aws_session_token);
        let session = build_session(profile_name.clone(), region_name.clone(), k.as_ref())?;
        Ok(CoreSession {
            session,
            profile: profile_name,
            region: region_name,
        })
    }

    #[getter]
    fn profile_name(&self) -> String {
        self.session.profile_name()
    }
    #[getter]
    fn region_name(&self) -> Option<String> {
        self.session.region()
    }
    #[getter]
    fn available_profiles(&self) -> Vec<String> {
        self.session.available_profiles()
    }
    fn available_services(&self) -> Vec<String> {
        self.session.available_services()
    }

    /// `(access_key, secret_key, token, method)`, or `None` when no source has credentials.
    fn get_credentials(&self, py: Python<'_>) -> PyResult<Option<CredentialTuple>> {
        let s = self.session.clone();
        match py.allow_threads(|| block_on(async move { s.credentials().await })) {
            Ok(Ok(c)) => Ok(Some((
                c.access_key_id().to_string(),
                c.secret_access_key().to_string(),
                c.session_token().map(str::to_owned),
                c.provider().to_string(),
            ))),
            Ok(Err(e)) if e.kind() == boto::ErrorKind::Credentials => Ok(None),
            Ok(Err(e)) | Err(e) => Err(to_pyerr(e)),
        }
    }

    /// A client for `service`; `options` carries the resolved `client()`/`Config` arguments.
    fn client(&self, service: &str, options: &Bound<'_, PyDict>) -> PyResult<CoreClient> {
        let o = ClientOptions {
            region: opt(options, "region_name")?,
            endpoint_url: opt(options, "endpoint_url")?,
            verify_tls: opt(options, "verify")?,
            ca_bundle: opt(options, "ca_bundle")?,
            connect_timeout: duration(options, "connect_timeout")?,
            read_timeout: duration(options, "read_timeout")?,
            sign_requests: opt(options, "sign_requests")?,
            retry_mode: parse_enum::<RetryMode>(options, "retry_mode", RetryMode::VALUES)?,
            max_attempts: opt(options, "total_max_attempts")?,
            addressing_style: parse_enum::<AddressingStyle>(
                options,
                "addressing_style",
                AddressingStyle::VALUES,
            )?,
            max_pool_connections: opt(options, "max_pool_connections")?,
            disable_request_compression: opt(options, "disable_request_compression")?,
            request_min_compression_size_bytes: opt(options, "request_min_compression_size_bytes")?,
            account_id_endpoint_mode: setting(
                options,
                "account_id_endpoint_mode",
                &settings::ACCOUNT_ID_ENDPOINT_MODE,
            )?,
            endpoint_discovery: setting(
                options,
                "endpoint_discovery_enabled",
                &settings::ENDPOINT_DISCOVERY_ENABLED,
            )?,
            user_agent_appid: opt(options, "user_agent_appid")?,
            signature_version: opt::<String>(options, "signature_version")?
                .map(|v| boto::core::runtime::config::SignatureVersion::parse(&v))
                .transpose()
                .map_err(to_pyerr)?,
            sigv4a_signing_region_set: setting(
                options,
                "sigv4a_signing_region_set",
                &settings::SIGV4A_SIGNING_REGION_SET,
            )?,
            s3_disable_express_session_auth: setting(
                options,
                "s3_disable_express_session_auth",
                &settings::S3_DISABLE_EXPRESS_SESSION_AUTH,
            )?,
        };
        let k = keys(
            opt(options, "aws_access_key_id")?,
            opt(options, "aws_secret_access_key")?,
            opt(options, "aws_session_token")?,
        );
        let session = match &k {
            Some(k) => build_session(self.profile.clone(), self.region.clone(), Some(k))?,
            None => self.session.clone(),
        };
        let mut config = session.client_config(service, &o).map_err(to_pyerr)?;
        if let Some(extra) = opt::<String>(options, "user_agent_extra")? {
            // After the app id the core resolved, as botocore orders them.
            config.user_agent_extra = Some(match config.user_agent_extra.take() {
                Some(app) => format!("{app} {extra}"),
                None => extra,
            });
        }
        if let Some(v) = opt::<bool>(options, "parameter_validation")? {
            config.parameter_validation = v;
        }
        if let Some(inject) = opt::<bool>(options, "inject_host_prefix")? {
            config.disable_host_prefix_injection = !inject;
        }
        if let Some(m) = parse_enum::<ChecksumMode>(
            options,
            "request_checksum_calculation",
            ChecksumMode::VALUES,
        )? {
            config.request_checksum_calculation = m;
        }
        if let Some(m) = parse_enum::<ChecksumMode>(
            options,
            "response_checksum_validation",
            ChecksumMode::VALUES,
        )? {
            config.response_checksum_validation = m;
        }
        if let Some(id) = opt::<String>(options, "aws_account_id")? {
            config.account_id = Some(id);
        }
        let mut b = Client::builder(service).config(config);
        if o.sign_requests != Some(false) {
            b = b.credentials(session.credentials_provider().map_err(to_pyerr)?);
            if let Some(t) = session.token_provider(service) {
                b = b.token_provider(t);
            }
        }
        let client = b.build().map_err(to_pyerr)?;
        Ok(CoreClient {
            client: Arc::new(client),
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "CoreSession(profile_name={:?}, region_name={:?})",
            self.session.profile_name(),
            self.session.region()
        )
    }
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
