//! The two OIDC login flows of aws-cli v2 (`SSOTokenFetcher` for the device
//! code grant, `SSOTokenFetcherAuth` for the authorization code grant with
//! PKCE, in its vendored `botocore/utils.py`), over the SDK's own `sso-oidc`
//! client: unsigned calls whose endpoint comes from the rule set, or from
//! `AWS_ENDPOINT_URL_SSO_OIDC` / `endpoint_url` like any other service.
//!
//! Both flows reuse a cached client registration (15-minute expiry window)
//! registered for their own grant, and return the token that `login` caches.

use super::callback::CallbackListener;
use crate::error::CliError;
use boto::core::auth::credentials::{
    pkce_pair, random_uuid4, registration_cache_key, CachedSsoToken, ClientRegistration,
    SsoCacheDir,
};
use boto::{Client, Value};
use std::time::{Duration, SystemTime};

const EXPIRY_WINDOW: Duration = Duration::from_secs(15 * 60);
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const AUTH_GRANT_TYPES: [&str; 2] = ["authorization_code", "refresh_token"];
const DEFAULT_SCOPE: &str = "sso:account:access";
/// The device flow RFC's defaults: 5 s interval, +5 s on `slow_down`.
const DEFAULT_INTERVAL: u64 = 5;
const SLOW_DOWN_DELAY: u64 = 5;

const EXPIRED: &str =
    "The pending authorization to retrieve an SSO token has expired. The login flow \
                       to retrieve an SSO token must be restarted.";

/// What a login needs to know.
pub struct LoginRequest<'a> {
    pub start_url: &'a str,
    pub region: &'a str,
    pub session_name: Option<&'a str>,
    pub scopes: Option<Vec<String>>,
    pub no_browser: bool,
    pub cache: &'a SsoCacheDir,
    pub debug: bool,
}

fn now() -> SystemTime {
    SystemTime::now()
}

fn map(pairs: Vec<(&str, Value)>) -> Value {
    Value::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn text_list(v: &[String]) -> Value {
    Value::List(v.iter().map(|s| Value::from(s.as_str())).collect())
}

fn out_str(out: &Value, key: &str) -> Result<String, CliError> {
    out.get(key)
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| CliError::other(format!("the SSO OIDC response has no {key}")))
}

fn call_error(what: &str, e: &boto::Error) -> CliError {
    // The service's own message only: OIDC errors never echo secrets.
    let mut err = crate::exec::map_error(e);
    err.message = format!("{what} failed: {}", err.message);
    err
}

fn expiring(t: SystemTime) -> bool {
    t.duration_since(now())
        .map_or(true, |left| left < EXPIRY_WINDOW)
}

/// aws-cli's `_generate_client_name`.
fn client_name(session_name: Option<&str>) -> String {
    match session_name {
        Some(s) => format!("botocore-client-{s}"),
        None => {
            let secs = now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            format!("botocore-client-{secs}")
        }
    }
}

fn registration_from(out: &Value) -> Result<ClientRegistration, CliError> {
    let expires = out
        .get("clientSecretExpiresAt")
        .as_i64()
        .unwrap_or(0)
        .max(0) as u64;
    Ok(ClientRegistration {
        client_id: out_str(out, "clientId")?,
        client_secret: out_str(out, "clientSecret")?,
        expires_at: SystemTime::UNIX_EPOCH + Duration::from_secs(expires),
        scopes: None,
        grant_types: None,
    })
}

fn cache_registration(req: &LoginRequest<'_>, key: &str, reg: &ClientRegistration) {
    if let Err(e) = req.cache.write_registration(key, reg) {
        // aws-cli would fail here; a login that worked is worth keeping.
        eprintln!("warning: could not cache the SSO client registration: {e}");
    }
}

fn token_from(
    req: &LoginRequest<'_>,
    reg: &ClientRegistration,
    out: &Value,
) -> Result<CachedSsoToken, CliError> {
    let expires_in = out.get("expiresIn").as_i64().unwrap_or(0).max(0) as u64;
    Ok(CachedSsoToken {
        start_url: req.start_url.to_string(),
        region: req.region.to_string(),
        access_token: out_str(out, "accessToken")?,
        expires_at: now() + Duration::from_secs(expires_in),
        client_id: reg.client_id.clone(),
        client_secret: reg.client_secret.clone(),
        registration_expires_at: boto::core::auth::credentials::time::format_timestamp(
            reg.expires_at,
        ),
        refresh_token: out.get("refreshToken").as_str().map(str::to_string),
    })
}

/// Opens `url` in the user's browser: `$BROWSER` if set (as Python's
/// `webbrowser` honours it), else the platform's opener. Failures are ignored,
/// as aws-cli ignores them: the URL has been printed.
fn open_browser(url: &str) {
    let mut cmd = if let Some(b) = std::env::var_os("BROWSER").filter(|b| !b.is_empty()) {
        std::process::Command::new(b)
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// aws-cli's `PrintOnlyHandler` / `OpenBrowserHandler` messages (stdout).
fn show_authorization(no_browser: bool, uri: &str, user_code: Option<&str>, complete: &str) {
    let mut msg = if no_browser {
        format!(
            "Browser will not be automatically opened.\nPlease visit the following URL:\n\n{uri}\n"
        )
    } else {
        format!(
            "Attempting to automatically open the SSO authorization page in your default browser.\n\
             If the browser does not open or you wish to use a different device to authorize this \
             request, open the following URL:\n\n{uri}\n"
        )
    };
    if let Some(code) = user_code {
        msg.push_str(&format!("\nThen enter the code:\n\n{code}\n"));
        if no_browser {
            msg.push_str(&format!(
                "\nAlternatively, you may visit the following URL which will autofill the code upon \
                 loading:\n{complete}\n"
            ));
        }
    }
    crate::driver::print(&msg);
    if !no_browser {
        open_browser(complete);
    }
}

/// The device code grant.
pub async fn device_flow(
    oidc: &Client,
    req: &LoginRequest<'_>,
) -> Result<CachedSsoToken, CliError> {
    let key = registration_cache_key(
        req.start_url,
        req.region,
        req.scopes.as_deref(),
        req.session_name,
    );
    let reg = match req.cache.read_registration(&key) {
        Some(r) if !expiring(r.expires_at) && !r.is_for_auth_code() => r,
        _ => {
            let mut params = vec![
                ("clientName", Value::from(client_name(req.session_name))),
                ("clientType", "public".into()),
            ];
            if let Some(s) = req.scopes.as_deref().filter(|s| !s.is_empty()) {
                params.push(("scopes", text_list(s)));
            }
            let out = oidc
                .call("RegisterClient", map(params))
                .await
                .map_err(|e| call_error("RegisterClient", &e))?;
            let mut r = registration_from(&out)?;
            r.scopes = req.scopes.clone().filter(|s| !s.is_empty());
            cache_registration(req, &key, &r);
            r
        }
    };
    let auth = oidc
        .call(
            "StartDeviceAuthorization",
            map(vec![
                ("clientId", reg.client_id.as_str().into()),
                ("clientSecret", reg.client_secret.as_str().into()),
                ("startUrl", req.start_url.into()),
            ]),
        )
        .await
        .map_err(|e| call_error("StartDeviceAuthorization", &e))?;
    let device_code = out_str(&auth, "deviceCode")?;
    let mut interval = auth
        .get("interval")
        .as_i64()
        .map_or(DEFAULT_INTERVAL, |i| i.max(0) as u64);
    // Not in aws-cli (which polls until the service says ExpiredToken): a
    // deadline a minute past the authorization's own expiry, so a service that
    // never says so cannot keep the command waiting forever.
    let deadline = auth
        .get("expiresIn")
        .as_i64()
        .map(|s| now() + Duration::from_secs(s.max(0) as u64 + 60));
    let params = map(vec![
        ("grantType", DEVICE_GRANT.into()),
        ("clientId", reg.client_id.as_str().into()),
        ("clientSecret", reg.client_secret.as_str().into()),
        ("deviceCode", device_code.as_str().into()),
    ]);
    let mut shown = false;
    loop {
        match oidc.call("CreateToken", params.clone()).await {
            Ok(out) => return token_from(req, &reg, &out),
            Err(e) if e.is_code("SlowDownException") => interval += SLOW_DOWN_DELAY,
            Err(e) if e.is_code("AuthorizationPendingException") => {}
            Err(e) if e.is_code("ExpiredTokenException") => return Err(CliError::other(EXPIRED)),
            Err(e) => return Err(call_error("CreateToken", &e)),
        }
        if req.debug {
            eprintln!("boto - DEBUG - SSO authorization pending; polling again in {interval}s");
        }
        // One attempt before the message: a pre-authorized client needs no prompt.
        if !shown {
            shown = true;
            show_authorization(
                req.no_browser,
                &out_str(&auth, "verificationUri")?,
                auth.get("userCode").as_str(),
                auth.get("verificationUriComplete")
                    .as_str()
                    .unwrap_or_default(),
            );
            continue;
        }
        if deadline.is_some_and(|d| now() > d) {
            return Err(CliError::other(EXPIRED));
        }
        tokio::time::sleep(Duration::from_secs(interval)).await;
    }
}

/// botocore's `percent_encode` (only `-_.~` and alphanumerics stay as they are).
fn percent_encode(s: &str) -> String {
    boto_util::percent::encode(s, b"")
}

/// The scheme and authority of the resolved `sso-oidc` endpoint (aws-cli's
/// `_get_base_authorization_uri`, which resolves a RegisterClient call without sending it).
fn base_authorization_uri(oidc: &Client) -> Result<String, CliError> {
    let params = map(vec![
        ("clientName", "temp".into()),
        ("clientType", "public".into()),
    ]);
    let ep = oidc
        .resolve_endpoint("RegisterClient", params)
        .map_err(|e| crate::exec::map_error(&e))?;
    let (scheme, rest) = ep
        .url
        .split_once("://")
        .ok_or_else(|| CliError::other(format!("unusable SSO OIDC endpoint {}", ep.url)))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    Ok(format!("{scheme}://{authority}"))
}

/// The authorization code grant with PKCE.
pub async fn auth_code_flow(
    oidc: &Client,
    req: &LoginRequest<'_>,
) -> Result<CachedSsoToken, CliError> {
    let listener = CallbackListener::bind().await.map_err(|e| {
        CliError::other(format!(
            "Unable to initialize the OAuth 2.0 authorization callback handler: {e} \n You may use \
             --use-device-code to fall back to the device code flow which does not require the \
             callback handler."
        ))
    })?;
    let key = registration_cache_key(
        req.start_url,
        req.region,
        req.scopes.as_deref(),
        req.session_name,
    );
    let scopes: Vec<String> = match req.scopes.as_deref() {
        Some(s) if !s.is_empty() => s.to_vec(),
        _ => vec![DEFAULT_SCOPE.to_string()],
    };
    let reg = match req.cache.read_registration(&key) {
        Some(r) if !expiring(r.expires_at) && r.is_for_auth_code() => r,
        _ => {
            let grant_types: Vec<String> = AUTH_GRANT_TYPES.map(String::from).to_vec();
            let params = map(vec![
                ("clientName", client_name(req.session_name).into()),
                ("clientType", "public".into()),
                ("grantTypes", text_list(&grant_types)),
                (
                    "redirectUris",
                    text_list(&[CallbackListener::redirect_uri_without_port().to_string()]),
                ),
                ("issuerUrl", req.start_url.into()),
                ("scopes", text_list(&scopes)),
            ]);
            let out = oidc
                .call("RegisterClient", params)
                .await
                .map_err(|e| call_error("RegisterClient", &e))?;
            let mut r = registration_from(&out)?;
            r.scopes = Some(scopes.clone());
            r.grant_types = Some(grant_types);
            cache_registration(req, &key, &r);
            r
        }
    };
    let (verifier, challenge) = pkce_pair().map_err(|e| CliError::other(e.to_string()))?;
    let state = random_uuid4().map_err(|e| CliError::other(e.to_string()))?;
    let redirect_uri = listener.redirect_uri_with_port();
    let query = [
        ("response_type", "code"),
        ("client_id", reg.client_id.as_str()),
        ("redirect_uri", redirect_uri.as_str()),
        ("state", state.as_str()),
        ("code_challenge_method", "S256"),
        ("scopes", &scopes.join(" ")),
    ]
    .iter()
    .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let url = format!(
        "{}/authorize?{query}&code_challenge={challenge}",
        base_authorization_uri(oidc)?
    );
    show_authorization(req.no_browser, &url, None, &url);
    let redirect = listener
        .wait()
        .await
        .map_err(|()| CliError::other(EXPIRED))?;
    let Some((code, got_state)) = redirect else {
        return Err(CliError::other(
            "Error loading authorization code: Failed to retrieve an authorization code.",
        ));
    };
    if got_state != state {
        return Err(CliError::other(
            "Error loading authorization code: State parameter does not match expected value.",
        ));
    }
    let params = map(vec![
        ("grantType", "authorization_code".into()),
        ("clientId", reg.client_id.as_str().into()),
        ("clientSecret", reg.client_secret.as_str().into()),
        ("redirectUri", redirect_uri.as_str().into()),
        ("codeVerifier", verifier.as_str().into()),
        ("code", code.as_str().into()),
    ]);
    match oidc.call("CreateToken", params).await {
        Ok(out) => token_from(req, &reg, &out),
        Err(e) if e.is_code("ExpiredTokenException") => Err(CliError::other(EXPIRED)),
        Err(e) => Err(call_error("CreateToken", &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encodes_like_botocore() {
        assert_eq!(
            percent_encode("http://127.0.0.1:5/oauth/callback"),
            "http%3A%2F%2F127.0.0.1%3A5%2Foauth%2Fcallback"
        );
        assert_eq!(
            percent_encode("sso:account:access a"),
            "sso%3Aaccount%3Aaccess%20a"
        );
        assert_eq!(client_name(Some("dev")), "botocore-client-dev");
        assert!(client_name(None).starts_with("botocore-client-1"));
    }
}
