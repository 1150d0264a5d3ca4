//! The native session behind `boto_rs.Session`: profile, region and
//! explicit keys (botocore's `Session`, with `boto::Session`'s configuration
//! and credential chain underneath), and the client options a Python
//! `Session.client(...)` call passes down (`Config`, endpoint, verify, keys).

use crate::client::CoreClient;
use crate::error::{construction, to_pyerr};
use boto::blocking::block_on;
use boto::core::auth::config::{settings, AddressingStyle, ChecksumMode, RetryMode, Setting};
use boto::{Client, ClientOptions, Session};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

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
        Ok(CoreClient::from_client(Arc::new(client)))
    }

    fn __repr__(&self) -> String {
        format!(
            "CoreSession(profile_name={:?}, region_name={:?})",
            self.session.profile_name(),
            self.session.region()
        )
    }
}
