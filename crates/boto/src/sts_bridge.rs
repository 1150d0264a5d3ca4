//! The STS, SSO and SSO-OIDC calls credential providers need, made with the
//! ordinary model-driven client.
//!
//! `boto-auth` stays independent of the runtime by describing these calls as
//! traits; this bridge implements them, so assume-role, web identity and SSO
//! credentials go through the same serialization, endpoints, retries and
//! signing as any other call.

use crate::session::{ClientOptions, Resolver};
use boto_auth::credentials::{
    ApiError, AssumeRoleRequest, AssumeRoleWithWebIdentityRequest, BoxFuture, CreateTokenRequest,
    CreateTokenResponse, Credentials, GetRoleCredentialsRequest, SsoApi, SsoOidcApi,
    StaticProvider, StsApi,
};
use boto_model::{Map, Timestamp, Value};
use boto_runtime::{Client, Error};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub(crate) struct Bridge {
    pub resolver: Arc<Resolver>,
}

fn api_error(e: Error) -> ApiError {
    ApiError::new(e.code(), e.to_string())
}

impl Bridge {
    fn client(
        &self,
        service: &str,
        region: Option<String>,
        creds: Option<Credentials>,
    ) -> Result<Client, ApiError> {
        let options = ClientOptions {
            region,
            sign_requests: Some(creds.is_some()),
            ..Default::default()
        };
        let config = self
            .resolver
            .client_config(service, &options)
            .map_err(api_error)?;
        let mut b = Client::builder(service).config(config);
        if let Some(c) = creds {
            b = b.credentials(Arc::new(StaticProvider::new(c)));
        }
        b.build().map_err(api_error)
    }
}

fn put(m: &mut Map, k: &str, v: impl Into<Value>) {
    m.insert(k.to_string(), v.into());
}

fn expiry(v: &Value) -> Option<SystemTime> {
    match v {
        Value::Timestamp(t) => Some((*t).into()),
        Value::String(s) => Timestamp::parse(s).ok().map(Into::into),
        // SSO returns epoch milliseconds.
        Value::Integer(ms) => {
            Some(SystemTime::UNIX_EPOCH + Duration::from_millis((*ms).max(0) as u64))
        }
        _ => None,
    }
}

/// `arn:aws:sts::123456789012:assumed-role/...` → `123456789012`.
fn account_from_arn(arn: &str) -> Option<String> {
    arn.split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
}

fn sts_credentials(out: &Value, provider: &'static str) -> Result<Credentials, ApiError> {
    let c = out.get("Credentials");
    let field = |k: &str| {
        c.get(k)
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| ApiError::new(None, format!("STS response has no Credentials.{k}")))
    };
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        c.get("SessionToken").as_str().map(str::to_owned),
        expiry(c.get("Expiration")),
        provider,
    )
    .with_account_id(
        out.pointer("AssumedRoleUser.Arn")
            .as_str()
            .and_then(account_from_arn),
    ))
}

impl StsApi for Bridge {
    fn assume_role(&self, r: AssumeRoleRequest) -> BoxFuture<'_, Result<Credentials, ApiError>> {
        Box::pin(async move {
            let client =
                self.client("sts", r.region.clone(), Some(r.source_credentials.clone()))?;
            let mut p = Map::new();
            put(&mut p, "RoleArn", r.role_arn.as_str());
            put(&mut p, "RoleSessionName", r.role_session_name.as_str());
            if let Some(x) = &r.external_id {
                put(&mut p, "ExternalId", x.as_str());
            }
            if let Some(x) = &r.serial_number {
                put(&mut p, "SerialNumber", x.as_str());
            }
            if let Some(x) = &r.token_code {
                put(&mut p, "TokenCode", x.as_str());
            }
            if let Some(d) = r.duration_seconds {
                put(&mut p, "DurationSeconds", d);
            }
            let out = client
                .call("AssumeRole", Value::Map(p))
                .await
                .map_err(api_error)?;
            sts_credentials(&out, "assume-role")
        })
    }

    fn assume_role_with_web_identity(
        &self,
        r: AssumeRoleWithWebIdentityRequest,
    ) -> BoxFuture<'_, Result<Credentials, ApiError>> {
        Box::pin(async move {
            let client = self.client("sts", r.region.clone(), None)?;
            let mut p = Map::new();
            put(&mut p, "RoleArn", r.role_arn.as_str());
            put(&mut p, "RoleSessionName", r.role_session_name.as_str());
            put(&mut p, "WebIdentityToken", r.web_identity_token.as_str());
            let out = client
                .call("AssumeRoleWithWebIdentity", Value::Map(p))
                .await
                .map_err(api_error)?;
            sts_credentials(&out, "assume-role-with-web-identity")
        })
    }
}

impl SsoApi for Bridge {
    fn get_role_credentials(
        &self,
        r: GetRoleCredentialsRequest,
    ) -> BoxFuture<'_, Result<Credentials, ApiError>> {
        Box::pin(async move {
            let client = self.client("sso", Some(r.region.clone()), None)?;
            let mut p = Map::new();
            put(&mut p, "roleName", r.role_name.as_str());
            put(&mut p, "accountId", r.account_id.as_str());
            put(&mut p, "accessToken", r.access_token.as_str());
            let out = client
                .call("GetRoleCredentials", Value::Map(p))
                .await
                .map_err(api_error)?;
            let c = out.get("roleCredentials");
            let field = |k: &str| {
                c.get(k).as_str().map(str::to_owned).ok_or_else(|| {
                    ApiError::new(None, format!("SSO response has no roleCredentials.{k}"))
                })
            };
            Ok(Credentials::new(
                field("accessKeyId")?,
                field("secretAccessKey")?,
                c.get("sessionToken").as_str().map(str::to_owned),
                expiry(c.get("expiration")),
                "sso",
            )
            .with_account_id(Some(r.account_id.clone())))
        })
    }
}

impl SsoOidcApi for Bridge {
    fn create_token(
        &self,
        r: CreateTokenRequest,
    ) -> BoxFuture<'_, Result<CreateTokenResponse, ApiError>> {
        Box::pin(async move {
            let client = self.client("sso-oidc", Some(r.region.clone()), None)?;
            let mut p = Map::new();
            put(&mut p, "clientId", r.client_id.as_str());
            put(&mut p, "clientSecret", r.client_secret.as_str());
            put(&mut p, "grantType", r.grant_type.as_str());
            put(&mut p, "refreshToken", r.refresh_token.as_str());
            let out = client
                .call("CreateToken", Value::Map(p))
                .await
                .map_err(api_error)?;
            Ok(CreateTokenResponse {
                access_token: out
                    .get("accessToken")
                    .as_str()
                    .ok_or_else(|| ApiError::new(None, "CreateToken response has no accessToken"))?
                    .to_string(),
                expires_in: out.get("expiresIn").as_i64().unwrap_or(0).max(0) as u64,
                refresh_token: out.get("refreshToken").as_str().map(str::to_owned),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_model::value;

    #[test]
    fn reads_sts_credentials_and_account() {
        let out = value!({
            "Credentials": {"AccessKeyId": "AKID", "SecretAccessKey": "SECRET", "SessionToken": "TOK",
                            "Expiration": (Timestamp::from_epoch_secs(2_000_000_000))},
            "AssumedRoleUser": {"Arn": "arn:aws:sts::123456789012:assumed-role/r/s"}
        });
        let c = sts_credentials(&out, "assume-role").unwrap();
        assert_eq!(c.access_key_id(), "AKID");
        assert_eq!(c.account_id(), Some("123456789012"));
        assert!(c.expiry().is_some());
        assert!(sts_credentials(&value!({}), "x").is_err());
    }
}
