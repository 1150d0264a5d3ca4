//! The cached SSO access token (`~/.aws/sso/cache/<sha1>.json`) and its refresh.
//!
//! `aws sso login` writes the token file; its name is the SHA-1 of the
//! `sso-session` name (or, for legacy profiles, of `sso_start_url`). For an
//! `sso-session`, a token expiring within 15 minutes is refreshed through
//! SSO-OIDC CreateToken with the cached client registration and refresh token,
//! and the file is rewritten in aws-cli v2's format, atomically ([`super::sso_cache`],
//! which `boto sso login` writes through too); a failed refresh keeps the old token while it is
//! still valid (botocore's `SSOTokenProvider`). Legacy tokens are never refreshed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use super::sso_cache::{write_file_atomic, CachedSsoToken};
use super::sts::{CreateTokenRequest, SsoOidcApi};
use super::time::{format_timestamp, parse_timestamp};
use super::{system_clock, Clock, CredentialsError};

const NAME: &str = "sso";
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// A usable SSO bearer token. `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub struct SsoToken {
    /// The bearer token. Secret: `Debug` hides it.
    pub access_token: String,
    /// When the token expires.
    pub expires_at: SystemTime,
}

impl std::fmt::Debug for SsoToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoToken")
            .field("access_token", &"** redacted **")
            .field("expires_at", &format_timestamp(self.expires_at))
            .finish()
    }
}

/// Hex SHA-1 of `input`: the cache file stem.
pub fn cache_key(input: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, input.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Loads (and, for sso-sessions, refreshes) the cached token.
#[derive(Clone)]
pub struct SsoTokenProvider {
    cache_dir: PathBuf,
    start_url: String,
    region: String,
    session_name: Option<String>,
    oidc: Option<Arc<dyn SsoOidcApi>>,
    clock: Clock,
}

impl std::fmt::Debug for SsoTokenProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoTokenProvider")
            .field("cache_dir", &self.cache_dir)
            .field("start_url", &self.start_url)
            .field("session_name", &self.session_name)
            .finish()
    }
}

fn fail(msg: impl Into<String>) -> CredentialsError {
    CredentialsError::failed(NAME, msg)
}

impl SsoTokenProvider {
    /// `session_name` is `None` for legacy (`sso_start_url` in the profile) configuration.
    pub fn new(
        cache_dir: impl Into<PathBuf>,
        start_url: impl Into<String>,
        region: impl Into<String>,
        session_name: Option<String>,
        oidc: Option<Arc<dyn SsoOidcApi>>,
    ) -> Self {
        SsoTokenProvider {
            cache_dir: cache_dir.into(),
            start_url: start_url.into(),
            region: region.into(),
            session_name,
            oidc,
            clock: system_clock(),
        }
    }
    /// Use this clock instead of the system time (tests drive expiry and refresh with it).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The token cache file for this configuration.
    pub fn cache_file(&self) -> PathBuf {
        let key = cache_key(self.session_name.as_deref().unwrap_or(&self.start_url));
        self.cache_dir.join(format!("{key}.json"))
    }

    fn display_name(&self) -> &str {
        self.session_name.as_deref().unwrap_or(&self.start_url)
    }

    async fn read_cache(&self, path: &Path) -> Result<Map<String, Value>, CredentialsError> {
        let bytes = tokio::fs::read(path).await.map_err(|_| {
            fail(format!(
                "token for {} does not exist ({}); run `aws sso login` for this profile",
                self.display_name(),
                path.display()
            ))
        })?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m))
                if m.get("accessToken").is_some_and(Value::is_string)
                    && m.get("expiresAt").is_some_and(Value::is_string) =>
            {
                Ok(m)
            }
            _ => Err(fail(format!(
                "token for {} is invalid ({})",
                self.display_name(),
                path.display()
            ))),
        }
    }

    /// Returns a token valid now, refreshing it first when inside the refresh window.
    pub async fn load_token(&self) -> Result<SsoToken, CredentialsError> {
        let path = self.cache_file();
        let cached = self.read_cache(&path).await?;
        let text = |k: &str| cached.get(k).and_then(Value::as_str);
        let expires_text = text("expiresAt").unwrap_or_default();
        let expires_at = parse_timestamp(expires_text).ok_or_else(|| {
            fail(format!(
                "token for {} has an unreadable expiresAt",
                self.display_name()
            ))
        })?;
        let now = (self.clock)();
        let mut token = SsoToken {
            access_token: text("accessToken").unwrap_or_default().to_string(),
            expires_at,
        };

        if self.session_name.is_none() {
            if expires_at <= now {
                return Err(fail(
                    "the SSO session associated with this profile has expired or is otherwise invalid; to refresh \
                     this SSO session run `aws sso login` with the corresponding profile",
                ));
            }
            return Ok(token);
        }

        let mut refresh_problem = None;
        if expires_at
            .duration_since(now)
            .map_or(true, |left| left < REFRESH_WINDOW)
        {
            match self.refresh(&cached, now).await {
                Ok(Some((new_token, new_file))) => {
                    token = new_token;
                    self.write_cache(&path, &new_file).await?;
                }
                Ok(None) => {
                    refresh_problem = Some("the cached token cannot be refreshed".to_string())
                }
                Err(e) => refresh_problem = Some(e),
            }
        }
        if token.expires_at <= now {
            if refresh_problem.as_deref() == Some("no SSO-OIDC client") {
                return Err(CredentialsError::NeedsClient {
                    provider: NAME,
                    api: "SSO-OIDC CreateToken (token refresh)",
                });
            }
            return Err(fail(format!(
                "the SSO token for session {} expired at {} and refresh failed ({}); run `aws sso login`",
                self.display_name(),
                format_timestamp(token.expires_at),
                refresh_problem.unwrap_or_default()
            )));
        }
        Ok(token)
    }

    /// `Ok(None)` when the cache lacks what a refresh needs or the registration expired.
    async fn refresh(
        &self,
        cached: &Map<String, Value>,
        now: SystemTime,
    ) -> Result<Option<(SsoToken, CachedSsoToken)>, String> {
        let text = |k: &str| cached.get(k).and_then(Value::as_str).map(str::to_string);
        let (Some(refresh_token), Some(client_id), Some(client_secret), Some(reg_expires)) = (
            text("refreshToken"),
            text("clientId"),
            text("clientSecret"),
            text("registrationExpiresAt"),
        ) else {
            return Ok(None);
        };
        if parse_timestamp(&reg_expires).is_none_or(|t| t <= now) {
            return Ok(None);
        }
        let Some(oidc) = &self.oidc else {
            return Err("no SSO-OIDC client".to_string());
        };
        let request = CreateTokenRequest {
            grant_type: "refresh_token".into(),
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
            refresh_token: refresh_token.clone(),
            region: self.region.clone(),
        };
        let response = oidc
            .create_token(request)
            .await
            .map_err(|e| format!("CreateToken failed: {e}"))?;
        let expires_at = now + Duration::from_secs(response.expires_in);
        // The file aws-cli v2's SSOTokenProvider writes after a refresh (same
        // fields and order as a login); the old refresh token is kept when the
        // service does not return a new one.
        let file = CachedSsoToken {
            start_url: self.start_url.clone(),
            region: self.region.clone(),
            access_token: response.access_token.clone(),
            expires_at,
            client_id,
            client_secret,
            registration_expires_at: reg_expires,
            refresh_token: Some(response.refresh_token.unwrap_or(refresh_token)),
        };
        Ok(Some((
            SsoToken {
                access_token: response.access_token,
                expires_at,
            },
            file,
        )))
    }

    async fn write_cache(
        &self,
        path: &Path,
        contents: &CachedSsoToken,
    ) -> Result<(), CredentialsError> {
        write_file_atomic(path, contents.to_json().as_bytes()).map_err(|e| {
            fail(format!(
                "could not write the SSO token cache {}: {e}",
                path.display()
            ))
        })
    }
}

/// A source of bearer tokens for services that use `smithy.api#httpBearerAuth`
/// (CodeCatalyst and others), like botocore's token providers.
pub trait ProvideToken: Send + Sync {
    /// The current token, refreshed when it is about to expire.
    fn token(&self) -> super::BoxFuture<'_, Result<crate::sigv4::BearerToken, CredentialsError>>;
}

impl ProvideToken for SsoTokenProvider {
    fn token(&self) -> super::BoxFuture<'_, Result<crate::sigv4::BearerToken, CredentialsError>> {
        Box::pin(async move {
            Ok(crate::sigv4::BearerToken::new(
                self.load_token().await?.access_token,
            ))
        })
    }
}

/// A fixed token (e.g. from `AWS_BEARER_TOKEN_<SERVICE>`).
#[derive(Clone)]
pub struct StaticToken(pub crate::sigv4::BearerToken);

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(** redacted **)")
    }
}

impl ProvideToken for StaticToken {
    fn token(&self) -> super::BoxFuture<'_, Result<crate::sigv4::BearerToken, CredentialsError>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}
