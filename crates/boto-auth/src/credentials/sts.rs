//! The AWS calls some providers need, as traits the client layer implements.
//!
//! AssumeRole, AssumeRoleWithWebIdentity, SSO GetRoleCredentials and SSO-OIDC
//! CreateToken are ordinary service operations; sending them needs the
//! model-driven client (serialization, endpoints, retries, signing), which lives
//! in another crate. This crate only describes the requests and responses, so
//! it stays independent of that machinery and tests can use fakes.
//!
//! Request `Debug` output hides tokens, secrets and source credentials.

use std::fmt;
use std::time::SystemTime;

use super::{BoxFuture, Credentials};

/// An error reported by the service (or by the transport).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The service error code, e.g. `AccessDenied`, `UnauthorizedException`.
    pub code: Option<String>,
    /// The error message.
    pub message: String,
}

impl ApiError {
    /// An error with an optional service code.
    pub fn new(code: Option<&str>, message: impl Into<String>) -> Self {
        ApiError {
            code: code.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(c) => write!(f, "{c}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ApiError {}

/// STS AssumeRole, signed with `source_credentials`.
#[derive(Clone, PartialEq, Eq)]
pub struct AssumeRoleRequest {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`.
    pub role_session_name: String,
    /// `ExternalId`.
    pub external_id: Option<String>,
    /// The MFA device (`mfa_serial`).
    pub serial_number: Option<String>,
    /// The MFA code obtained from the prompt.
    pub token_code: Option<String>,
    /// `DurationSeconds`.
    pub duration_seconds: Option<i32>,
    /// The credentials that sign the call (the previous hop of the chain).
    pub source_credentials: Credentials,
    /// Region for the STS client (the session's region), if known.
    pub region: Option<String>,
}

impl fmt::Debug for AssumeRoleRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleRequest")
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("external_id", &self.external_id)
            .field("serial_number", &self.serial_number)
            .field(
                "token_code",
                &self.token_code.as_ref().map(|_| "** redacted **"),
            )
            .field("duration_seconds", &self.duration_seconds)
            .field("source_credentials", &self.source_credentials)
            .field("region", &self.region)
            .finish()
    }
}

/// STS AssumeRoleWithWebIdentity (sent unsigned).
#[derive(Clone, PartialEq, Eq)]
pub struct AssumeRoleWithWebIdentityRequest {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`.
    pub role_session_name: String,
    /// `WebIdentityToken`, read from `web_identity_token_file`. Secret: `Debug` hides it.
    pub web_identity_token: String,
    /// Region for the STS client, if known.
    pub region: Option<String>,
}

impl fmt::Debug for AssumeRoleWithWebIdentityRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleWithWebIdentityRequest")
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("web_identity_token", &"** redacted **")
            .field("region", &self.region)
            .finish()
    }
}

/// The STS operations used by credential providers.
///
/// Implementations return the `Credentials` element of the response; set the
/// account id from `AssumedRoleUser.Arn` with [`Credentials::with_account_id`]
/// when available. The provider label is replaced by the calling provider.
pub trait StsApi: Send + Sync {
    /// STS `AssumeRole`.
    fn assume_role(
        &self,
        request: AssumeRoleRequest,
    ) -> BoxFuture<'_, Result<Credentials, ApiError>>;
    /// STS `AssumeRoleWithWebIdentity`.
    fn assume_role_with_web_identity(
        &self,
        request: AssumeRoleWithWebIdentityRequest,
    ) -> BoxFuture<'_, Result<Credentials, ApiError>>;
}

/// SSO GetRoleCredentials (sent unsigned, bearer `access_token`).
#[derive(Clone, PartialEq, Eq)]
pub struct GetRoleCredentialsRequest {
    /// `roleName` (`sso_role_name`).
    pub role_name: String,
    /// `accountId` (`sso_account_id`).
    pub account_id: String,
    /// The SSO access token from the token cache. Secret: `Debug` hides it.
    pub access_token: String,
    /// `sso_region`.
    pub region: String,
}

impl fmt::Debug for GetRoleCredentialsRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetRoleCredentialsRequest")
            .field("role_name", &self.role_name)
            .field("account_id", &self.account_id)
            .field("access_token", &"** redacted **")
            .field("region", &self.region)
            .finish()
    }
}

/// The SSO portal operation used by the SSO provider.
///
/// Return `roleCredentials` as [`Credentials`] (expiry from the millisecond
/// `expiration`). An `UnauthorizedException` should carry that code.
pub trait SsoApi: Send + Sync {
    /// SSO `GetRoleCredentials`.
    fn get_role_credentials(
        &self,
        request: GetRoleCredentialsRequest,
    ) -> BoxFuture<'_, Result<Credentials, ApiError>>;
}

/// SSO-OIDC CreateToken with `grant_type = refresh_token`.
#[derive(Clone, PartialEq, Eq)]
pub struct CreateTokenRequest {
    /// `grantType` (`refresh_token`).
    pub grant_type: String,
    /// `clientId` of the registered client, from the token cache.
    pub client_id: String,
    /// `clientSecret`. Secret: `Debug` hides it.
    pub client_secret: String,
    /// `refreshToken`. Secret: `Debug` hides it.
    pub refresh_token: String,
    /// `sso_region`.
    pub region: String,
}

impl fmt::Debug for CreateTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateTokenRequest")
            .field("grant_type", &self.grant_type)
            .field("client_id", &self.client_id)
            .field("client_secret", &"** redacted **")
            .field("refresh_token", &"** redacted **")
            .field("region", &self.region)
            .finish()
    }
}

/// The parts of the CreateToken response the token provider uses.
#[derive(Clone, PartialEq, Eq)]
pub struct CreateTokenResponse {
    /// The new access token.
    pub access_token: String,
    /// Seconds until `access_token` expires.
    pub expires_in: u64,
    /// A new refresh token, when the service rotates it.
    pub refresh_token: Option<String>,
}

impl fmt::Debug for CreateTokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateTokenResponse")
            .field("access_token", &"** redacted **")
            .field("expires_in", &self.expires_in)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// The SSO-OIDC operation used to refresh cached SSO tokens.
pub trait SsoOidcApi: Send + Sync {
    /// SSO-OIDC `CreateToken`.
    fn create_token(
        &self,
        request: CreateTokenRequest,
    ) -> BoxFuture<'_, Result<CreateTokenResponse, ApiError>>;
}

/// `botocore-session-<unix seconds>`, botocore's default role session name.
pub(crate) fn default_session_name(now: SystemTime) -> String {
    let secs = now
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("botocore-session-{secs}")
}
