//! EC2 instance metadata (IMDS) role credentials, IMDSv2 first.
//!
//! Follows botocore's `InstanceMetadataFetcher`: PUT `latest/api/token` with a
//! 6-hour TTL header; a 403/404/405, a read timeout or repeated failures mean
//! "no token" and the GETs go out without one (IMDSv1) unless
//! `ec2_metadata_v1_disabled`; a 400 means give up. Then GET the role name and
//! the role's credentials, retrying non-200, empty or non-JSON answers up to
//! `metadata_service_num_attempts` (default 1) with `metadata_service_timeout`
//! (default 1 s). Failing to reach IMDS is "no credentials here", not an error.
//! Credentials close to expiry are extended a little (static stability), as
//! botocore does when IMDS keeps serving old credentials.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::http::{HttpClient, HttpError, HttpRequest, HttpResponse, TcpHttpClient};
use super::time::parse_timestamp;
use super::{system_clock, BoxFuture, Clock, Credentials, CredentialsError, ProvideCredentials};
use crate::config::{settings, ConfigError, ConfigResolver, Env, ImdsEndpointMode};

const NAME: &str = "iam-role";
const TOKEN_PATH: &str = "latest/api/token";
const CREDS_PATH: &str = "latest/meta-data/iam/security-credentials/";
const IPV4: &str = "http://169.254.169.254/";
const IPV6: &str = "http://[fd00:ec2::254]/";

/// How to reach IMDS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImdsConfig {
    /// Base URL of the metadata service (`http://169.254.169.254/` or the IPv6 one, or `AWS_EC2_METADATA_SERVICE_ENDPOINT`).
    pub endpoint: String,
    /// Per-request timeout (`metadata_service_timeout`, default 1 s).
    pub timeout: Duration,
    /// Attempts per request (`metadata_service_num_attempts`, default 1).
    pub attempts: u32,
    /// `AWS_EC2_METADATA_V1_DISABLED`: fail instead of falling back to IMDSv1 when no token is issued.
    pub v1_disabled: bool,
    /// `AWS_EC2_METADATA_DISABLED=true`.
    pub disabled: bool,
    /// Window used for the expiry extension (botocore passes its 15 min advisory window).
    pub refresh_window: Duration,
}

impl Default for ImdsConfig {
    fn default() -> Self {
        ImdsConfig {
            endpoint: IPV4.into(),
            timeout: Duration::from_secs(1),
            attempts: 1,
            v1_disabled: false,
            disabled: false,
            refresh_window: Duration::from_secs(15 * 60),
        }
    }
}

impl ImdsConfig {
    /// Reads `AWS_EC2_METADATA_DISABLED`, the endpoint and mode, timeout,
    /// attempts and v1 switch from the environment and profile.
    pub fn from_config(resolver: &ConfigResolver) -> Result<ImdsConfig, ConfigError> {
        let env: &Env = resolver.env();
        let mode = resolver.imds_endpoint_mode()?;
        let endpoint = match resolver.string(&settings::EC2_METADATA_SERVICE_ENDPOINT, None) {
            Some(r) => {
                if !(r.value.starts_with("http://") || r.value.starts_with("https://")) {
                    return Err(ConfigError::InvalidValue {
                        setting: "ec2_metadata_service_endpoint",
                        value: r.value,
                        source: r.source.to_string(),
                        expected: "an http:// URL".into(),
                    });
                }
                r.value
            }
            None if mode == ImdsEndpointMode::Ipv6 => IPV6.into(),
            None => IPV4.into(),
        };
        let timeout = resolver
            .resolve(&settings::METADATA_SERVICE_TIMEOUT, None, None, |v| {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && *f > 0.0)
                    .ok_or_else(|| "a positive number".into())
            })?
            .map_or(Duration::from_secs(1), |r| Duration::from_secs_f64(r.value));
        let attempts = resolver
            .integer::<u32>(&settings::METADATA_SERVICE_NUM_ATTEMPTS, None)?
            .map_or(1, |r| r.value.max(1));
        Ok(ImdsConfig {
            endpoint,
            timeout,
            attempts,
            v1_disabled: resolver
                .boolean(&settings::EC2_METADATA_V1_DISABLED, None)
                .is_some_and(|r| r.value),
            disabled: env
                .get("AWS_EC2_METADATA_DISABLED")
                .is_some_and(|v| v.eq_ignore_ascii_case("true")),
            refresh_window: Duration::from_secs(15 * 60),
        })
    }
}

/// Fetches the instance role's credentials from IMDS.
#[derive(Clone)]
pub struct ImdsProvider {
    config: ImdsConfig,
    http: Arc<dyn HttpClient>,
    clock: Clock,
}

impl std::fmt::Debug for ImdsProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImdsProvider")
            .field("config", &self.config)
            .finish()
    }
}

enum Failure {
    /// Retries exhausted / disabled / bad request: no credentials from IMDS.
    NotFound(String),
    /// A hard error (IMDSv1 disabled and no token).
    Error(CredentialsError),
}

impl ImdsProvider {
    /// The provider name carried by the credentials it returns ([`Credentials::provider`](crate::credentials::Credentials::provider)), and shown by `--debug`.
    pub const NAME: &'static str = NAME;

    /// botocore's `InstanceMetadataProvider` with this configuration.
    pub fn new(config: ImdsConfig) -> Self {
        ImdsProvider {
            config,
            http: Arc::new(TcpHttpClient),
            clock: system_clock(),
        }
    }
    /// Send requests with this client (tests point it at a fake IMDS).
    pub fn with_http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http = client;
        self
    }
    /// Use this clock instead of the system time (tests drive expiry and refresh with it).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    fn url(&self, path: &str) -> String {
        let sep = if self.config.endpoint.ends_with('/') {
            ""
        } else {
            "/"
        };
        format!("{}{sep}{path}", self.config.endpoint)
    }

    async fn fetch_token(&self) -> Result<Option<String>, Failure> {
        let request = HttpRequest {
            method: "PUT",
            url: self.url(TOKEN_PATH),
            headers: vec![(
                "x-aws-ec2-metadata-token-ttl-seconds".into(),
                "21600".into(),
            )],
        };
        for _ in 0..self.config.attempts {
            match self.http.send(request.clone(), self.config.timeout).await {
                Ok(r) if r.status == 200 => return Ok(Some(r.text())),
                Ok(r) if (403..=405).contains(&r.status) => return Ok(None),
                Ok(r) if r.status == 400 => {
                    return Err(Failure::NotFound(
                        "IMDS rejected the token request (400)".into(),
                    ))
                }
                Ok(_) => {}
                Err(HttpError::ReadTimeout) => return Ok(None),
                Err(HttpError::InvalidUrl(u)) => {
                    return Err(Failure::Error(CredentialsError::invalid_config(
                        NAME,
                        format!("invalid IMDS endpoint: {u}"),
                    )))
                }
                Err(_) => {}
            }
        }
        Ok(None)
    }

    async fn get(
        &self,
        path: &str,
        token: Option<&str>,
        retry: impl Fn(&HttpResponse) -> bool,
    ) -> Result<HttpResponse, Failure> {
        if token.is_none() && self.config.v1_disabled {
            return Err(Failure::Error(CredentialsError::failed(
                NAME,
                "unable to retrieve token for use in IMDSv2 call and IMDSv1 has been disabled",
            )));
        }
        let mut headers = Vec::new();
        if let Some(t) = token {
            headers.push(("x-aws-ec2-metadata-token".to_string(), t.to_string()));
        }
        let request = HttpRequest {
            method: "GET",
            url: self.url(path),
            headers,
        };
        let mut last = String::from("no attempt made");
        for _ in 0..self.config.attempts {
            match self.http.send(request.clone(), self.config.timeout).await {
                Ok(r) if !retry(&r) => return Ok(r),
                Ok(r) => last = format!("status {} with a {}-byte body", r.status, r.body.len()),
                Err(e) => last = e.to_string(),
            }
        }
        Err(Failure::NotFound(format!(
            "max attempts ({}) exceeded retrieving {path} from {}: {last}",
            self.config.attempts, self.config.endpoint
        )))
    }

    async fn fetch(&self) -> Result<Credentials, Failure> {
        if self.config.disabled {
            return Err(Failure::NotFound(
                "AWS_EC2_METADATA_DISABLED is true".into(),
            ));
        }
        let token = self.fetch_token().await?;
        let bad = |r: &HttpResponse| r.status != 200 || r.body.is_empty();
        let role = self.get(CREDS_PATH, token.as_deref(), bad).await?.text();
        let role = role.trim();
        let bad_json =
            |r: &HttpResponse| bad(r) || serde_json::from_slice::<Value>(&r.body).is_err();
        let body = self
            .get(&format!("{CREDS_PATH}{role}"), token.as_deref(), bad_json)
            .await?;
        let json: Value = serde_json::from_slice(&body.body).unwrap_or(Value::Null);
        let field = |k: &str| json.get(k).and_then(Value::as_str);
        let (Some(ak), Some(sk), Some(tok), Some(exp)) = (
            field("AccessKeyId"),
            field("SecretAccessKey"),
            field("Token"),
            field("Expiration"),
        ) else {
            let detail = match (field("Code"), field("Message")) {
                (Some(c), Some(m)) => format!(": {c}: {m}"),
                _ => String::new(),
            };
            return Err(Failure::NotFound(format!(
                "role {role:?} credentials response is incomplete{detail}"
            )));
        };
        let expiry = parse_timestamp(exp).map(|e| self.extend_expiry(e));
        Ok(Credentials::new(
            ak,
            sk,
            Some(tok.to_string()),
            expiry,
            NAME,
        ))
    }

    /// botocore's static-stability rule: credentials expiring within the refresh
    /// window plus 2–10 minutes of jitter get their expiry pushed that far out.
    fn extend_expiry(&self, expiry: SystemTime) -> SystemTime {
        let now = (self.clock)();
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let jitter = Duration::from_secs(120 + u64::from(nanos) % 481);
        let offset = self.config.refresh_window + jitter;
        match expiry.checked_sub(offset) {
            Some(threshold) if now < threshold => expiry,
            _ => now + offset,
        }
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            match self.fetch().await {
                Ok(c) => Ok(c),
                Err(Failure::NotFound(reason)) => Err(CredentialsError::not_loaded(NAME, reason)),
                Err(Failure::Error(e)) => Err(e),
            }
        })
    }
    fn name(&self) -> &'static str {
        NAME
    }
}
