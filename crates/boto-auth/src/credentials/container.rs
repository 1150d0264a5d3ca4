//! ECS/EKS container credentials from `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
//! (on `http://169.254.170.2`) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
//!
//! Like botocore's `ContainerMetadataFetcher`: plain-http full URIs must point
//! at a loopback address or one of the known container hosts; the
//! `Authorization` header comes from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
//! (re-read on every fetch, it rotates) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`;
//! each fetch makes up to 3 attempts with a 2 s timeout and a 1 s pause.
//! `https` full URIs need an injected [`HttpClient`] that speaks TLS.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::http::{HttpClient, HttpRequest, ParsedUrl, TcpHttpClient};
use super::time::parse_timestamp;
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::config::Env;

const NAME: &str = "container-role";
const RELATIVE: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const ALLOWED_HOSTS: &[&str] = &[
    "169.254.170.2",
    "169.254.170.23",
    "fd00:ec2::23",
    "localhost",
];

/// Fetches credentials from the container credentials endpoint.
#[derive(Debug, Clone)]
pub struct ContainerProvider {
    env: Env,
    http: Arc<dyn HttpClient>,
    https: Option<Arc<dyn HttpClient>>,
    relative_base: String,
    timeout: Duration,
    attempts: u32,
    retry_pause: Duration,
}

fn fail(msg: impl Into<String>) -> CredentialsError {
    CredentialsError::failed(NAME, msg)
}

impl ContainerProvider {
    /// The provider name carried by the credentials it returns ([`Credentials::provider`](crate::credentials::Credentials::provider)), and shown by `--debug`.
    pub const NAME: &'static str = NAME;

    /// botocore's defaults: 2 s timeout, 3 attempts, 1 s between attempts.
    pub fn new(env: Env) -> Self {
        ContainerProvider {
            env,
            http: Arc::new(TcpHttpClient),
            https: None,
            relative_base: "http://169.254.170.2".into(),
            timeout: Duration::from_secs(2),
            attempts: 3,
            retry_pause: Duration::from_secs(1),
        }
    }
    /// Client for `http` URLs (default: the built-in one).
    pub fn with_http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http = client;
        self
    }
    /// Client for `https` full URIs (none by default: such URIs then fail clearly).
    pub fn with_https_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.https = Some(client);
        self
    }
    /// Base for relative URIs (default `http://169.254.170.2`; for tests).
    pub fn with_relative_base(mut self, base: impl Into<String>) -> Self {
        self.relative_base = base.into();
        self
    }
    /// Per-request timeout (default 2 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// Attempts (at least 1) and the pause between them (default 3 attempts, 1 s).
    pub fn with_retries(mut self, attempts: u32, pause: Duration) -> Self {
        self.attempts = attempts.max(1);
        self.retry_pause = pause;
        self
    }

    fn full_url(&self) -> Result<String, CredentialsError> {
        if let Some(rel) = self.env.get(RELATIVE) {
            return Ok(format!("{}{rel}", self.relative_base));
        }
        match self.env.get(FULL) {
            Some(full) => Ok(full.to_string()),
            None => Err(CredentialsError::not_loaded(
                NAME,
                format!("neither {RELATIVE} nor {FULL} is set"),
            )),
        }
    }

    fn validate_full_uri(url: &ParsedUrl) -> Result<(), CredentialsError> {
        if url.scheme == "https" {
            return Ok(());
        }
        let loopback = url.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if loopback || ALLOWED_HOSTS.contains(&url.host.as_str()) {
            return Ok(());
        }
        Err(CredentialsError::invalid_config(
            NAME,
            format!(
                "unsupported host '{}'; can only retrieve metadata from a loopback address or one of these hosts: {}",
                url.host,
                ALLOWED_HOSTS.join(", ")
            ),
        ))
    }

    async fn auth_header(&self) -> Result<Option<String>, CredentialsError> {
        let token = if let Some(path) = self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let path = self.env.expand_path(path);
            Some(tokio::fs::read_to_string(&path).await.map_err(|e| {
                fail(format!(
                    "could not read the authorization token file {}: {e}",
                    path.display()
                ))
            })?)
        } else {
            self.env
                .get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
                .map(str::to_string)
        };
        if token.as_deref().is_some_and(|t| t.contains(['\r', '\n'])) {
            return Err(CredentialsError::invalid_config(
                NAME,
                "auth token value is not a legal header value",
            ));
        }
        Ok(token)
    }

    async fn fetch_once(
        &self,
        client: &dyn HttpClient,
        url: &str,
        headers: &[(String, String)],
    ) -> Result<Value, String> {
        let request = HttpRequest {
            method: "GET",
            url: url.to_string(),
            headers: headers.to_vec(),
        };
        let response = client
            .send(request, self.timeout)
            .await
            .map_err(|e| e.to_string())?;
        if response.status != 200 {
            let body: String = response.text().chars().take(500).collect();
            return Err(format!(
                "received non 200 response {} from container metadata: {body}",
                response.status
            ));
        }
        serde_json::from_slice(&response.body).map_err(|_| {
            "unable to parse JSON returned from container metadata services".to_string()
        })
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let url = self.full_url()?;
            let parsed = ParsedUrl::parse(&url).map_err(|_| {
                CredentialsError::invalid_config(
                    NAME,
                    format!("invalid container credentials URI {url:?}"),
                )
            })?;
            if self.env.get(RELATIVE).is_none() {
                Self::validate_full_uri(&parsed)?;
            }
            let client: &dyn HttpClient = if parsed.scheme == "https" {
                match &self.https {
                    Some(c) => c.as_ref(),
                    None => {
                        return Err(CredentialsError::NeedsClient {
                            provider: NAME,
                            api: "an HTTPS container endpoint",
                        })
                    }
                }
            } else {
                self.http.as_ref()
            };
            let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
            if let Some(token) = self.auth_header().await? {
                headers.push(("Authorization".to_string(), token));
            }
            let mut attempt = 0;
            let body = loop {
                match self.fetch_once(client, &url, &headers).await {
                    Ok(v) => break v,
                    Err(e) => {
                        attempt += 1;
                        if attempt >= self.attempts {
                            return Err(fail(format!("{e} (after {attempt} attempts)")));
                        }
                        tokio::time::sleep(self.retry_pause).await;
                    }
                }
            };
            let field = |k: &str| {
                body.get(k)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| fail(format!("response is missing {k}")))
            };
            let expiration = field("Expiration")?;
            let expiry = parse_timestamp(&expiration).ok_or_else(|| {
                fail(format!(
                    "Expiration is not an ISO 8601 timestamp: {expiration:?}"
                ))
            })?;
            let account = body
                .get("AccountId")
                .and_then(Value::as_str)
                .map(str::to_string);
            Ok(Credentials::new(
                field("AccessKeyId")?,
                field("SecretAccessKey")?,
                Some(field("Token")?),
                Some(expiry),
                NAME,
            )
            .with_account_id(account))
        })
    }
    fn name(&self) -> &'static str {
        NAME
    }
}
