//! SSO credentials: token cache lookup by SHA-1, sso-session vs legacy
//! configuration, token refresh through a fake SSO-OIDC, and a fake SSO portal
//! that records the requests it gets.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use boto_auth::config::{Env, ProfileSet};
use boto_auth::credentials::{
    ApiError, BoxFuture, CreateTokenRequest, CreateTokenResponse, Credentials, CredentialsError,
    GetRoleCredentialsRequest, ProvideCredentials, SsoApi, SsoOidcApi, SsoProvider,
};
use common::{iso, ManualClock, TempDir};
use serde_json::Value;

const SESSION_FILE: &str = ".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json"; // sha1("my-sso")
const LEGACY_FILE: &str = ".aws/sso/cache/2b829a45f04c9828cb45b7d092d8e4aa30818393.json"; // sha1(start url)
const START_URL: &str = "https://d-123.awsapps.com/start";

#[derive(Default)]
struct FakeSso {
    requests: Mutex<Vec<GetRoleCredentialsRequest>>,
    unauthorized: bool,
}

impl SsoApi for FakeSso {
    fn get_role_credentials(
        &self,
        request: GetRoleCredentialsRequest,
    ) -> BoxFuture<'_, Result<Credentials, ApiError>> {
        self.requests.lock().unwrap().push(request);
        let unauthorized = self.unauthorized;
        Box::pin(async move {
            if unauthorized {
                return Err(ApiError::new(
                    Some("UnauthorizedException"),
                    "token rejected",
                ));
            }
            Ok(Credentials::new(
                "ASIASSO",
                "sso-secret",
                Some("sso-token".into()),
                Some(SystemTime::now() + Duration::from_secs(3600)),
                "x",
            ))
        })
    }
}

#[derive(Default)]
struct FakeOidc {
    requests: Mutex<Vec<CreateTokenRequest>>,
    fail: bool,
}

impl SsoOidcApi for FakeOidc {
    fn create_token(
        &self,
        request: CreateTokenRequest,
    ) -> BoxFuture<'_, Result<CreateTokenResponse, ApiError>> {
        self.requests.lock().unwrap().push(request);
        let fail = self.fail;
        Box::pin(async move {
            if fail {
                return Err(ApiError::new(Some("InvalidGrantException"), "nope"));
            }
            Ok(CreateTokenResponse {
                access_token: "refreshed-access".into(),
                expires_in: 28800,
                refresh_token: Some("new-refresh".into()),
            })
        })
    }
}

const SESSION_CONFIG: &str = "[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
                              [sso-session my-sso]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = eu-west-1\n\
                              sso_registration_scopes = sso:account:access\n";

fn provider(
    home: &TempDir,
    config: &str,
    sso: Arc<FakeSso>,
    oidc: Option<Arc<FakeOidc>>,
    clock: &ManualClock,
) -> SsoProvider {
    let env = Env::default().with_home(home.path());
    let set = Arc::new(ProfileSet::parse(Some(config), None).unwrap());
    SsoProvider::new(&env, set, "dev")
        .with_clients(Some(sso), oidc.map(|o| o as Arc<dyn SsoOidcApi>))
        .with_clock(clock.clock())
}

fn token_json(access: &str, expires: SystemTime, with_refresh: bool) -> String {
    let mut v = serde_json::json!({"startUrl": START_URL, "region": "eu-west-1", "accessToken": access, "expiresAt": iso(expires)});
    if with_refresh {
        let reg = iso(expires + Duration::from_secs(90 * 86400));
        v["clientId"] = "client-1".into();
        v["clientSecret"] = "client-secret-1".into();
        v["refreshToken"] = "refresh-1".into();
        v["registrationExpiresAt"] = reg.into();
    }
    v.to_string()
}

#[tokio::test]
async fn sso_session_with_valid_cached_token() {
    let home = TempDir::new("sso-ok");
    let clock = ManualClock::new(SystemTime::now());
    home.write(
        SESSION_FILE,
        &token_json(
            "cached-access",
            clock.now() + Duration::from_secs(3600),
            true,
        ),
    );
    let sso = Arc::new(FakeSso::default());
    let oidc = Arc::new(FakeOidc::default());
    let c = provider(
        &home,
        SESSION_CONFIG,
        sso.clone(),
        Some(oidc.clone()),
        &clock,
    )
    .provide()
    .await
    .unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider(), c.account_id()),
        ("ASIASSO", "sso", Some("111122223333"))
    );
    let r = sso.requests.lock().unwrap()[0].clone();
    assert_eq!(
        (
            r.role_name.as_str(),
            r.account_id.as_str(),
            r.region.as_str()
        ),
        ("Dev", "111122223333", "eu-west-1")
    );
    assert_eq!(r.access_token, "cached-access");
    assert!(
        oidc.requests.lock().unwrap().is_empty(),
        "no refresh outside the 15-minute window"
    );
}

#[tokio::test]
async fn expiring_token_is_refreshed_and_cache_rewritten() {
    let home = TempDir::new("sso-refresh");
    let clock = ManualClock::new(SystemTime::now());
    let path = home.write(
        SESSION_FILE,
        &token_json("old-access", clock.now() + Duration::from_secs(300), true),
    );
    let sso = Arc::new(FakeSso::default());
    let oidc = Arc::new(FakeOidc::default());
    provider(
        &home,
        SESSION_CONFIG,
        sso.clone(),
        Some(oidc.clone()),
        &clock,
    )
    .provide()
    .await
    .unwrap();
    let req = oidc.requests.lock().unwrap()[0].clone();
    assert_eq!(req.grant_type, "refresh_token");
    assert_eq!(
        (req.client_id.as_str(), req.client_secret.as_str()),
        ("client-1", "client-secret-1")
    );
    assert_eq!(
        (req.refresh_token.as_str(), req.region.as_str()),
        ("refresh-1", "eu-west-1")
    );
    assert_eq!(
        sso.requests.lock().unwrap()[0].access_token,
        "refreshed-access"
    );
    let cached: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(cached["accessToken"], "refreshed-access");
    assert_eq!(cached["refreshToken"], "new-refresh");
    assert_eq!(
        cached["expiresAt"],
        iso(clock.now() + Duration::from_secs(28800))
    );
    assert_eq!(cached["clientId"], "client-1");
}

#[tokio::test]
async fn failed_refresh_keeps_valid_token_but_not_expired_one() {
    let home = TempDir::new("sso-refresh-fail");
    let clock = ManualClock::new(SystemTime::now());
    home.write(
        SESSION_FILE,
        &token_json("still-valid", clock.now() + Duration::from_secs(120), true),
    );
    let sso = Arc::new(FakeSso::default());
    let oidc = Arc::new(FakeOidc {
        fail: true,
        ..Default::default()
    });
    provider(
        &home,
        SESSION_CONFIG,
        sso.clone(),
        Some(oidc.clone()),
        &clock,
    )
    .provide()
    .await
    .unwrap();
    assert_eq!(sso.requests.lock().unwrap()[0].access_token, "still-valid");

    clock.advance(Duration::from_secs(600));
    let err = provider(&home, SESSION_CONFIG, sso.clone(), Some(oidc), &clock)
        .provide()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expired at") && err.contains("InvalidGrantException"),
        "{err}"
    );
    // Without an OIDC client an expired token says a client is needed.
    let err = provider(&home, SESSION_CONFIG, sso, None, &clock)
        .provide()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::NeedsClient { .. }), "{err}");
}

#[tokio::test]
async fn legacy_profile_uses_start_url_hash_and_rejects_expired_tokens() {
    let home = TempDir::new("sso-legacy");
    let clock = ManualClock::new(SystemTime::now());
    let config = format!("[profile dev]\nsso_start_url = {START_URL}\nsso_region = us-east-1\nsso_account_id = 9\nsso_role_name = R\n");
    home.write(
        LEGACY_FILE,
        &token_json("legacy-access", clock.now() + Duration::from_secs(60), true),
    );
    let sso = Arc::new(FakeSso::default());
    let oidc = Arc::new(FakeOidc::default());
    provider(&home, &config, sso.clone(), Some(oidc.clone()), &clock)
        .provide()
        .await
        .unwrap();
    assert_eq!(
        sso.requests.lock().unwrap()[0].access_token,
        "legacy-access"
    );
    assert!(
        oidc.requests.lock().unwrap().is_empty(),
        "legacy tokens are never refreshed"
    );
    clock.advance(Duration::from_secs(120));
    let err = provider(&home, &config, sso, Some(oidc), &clock)
        .provide()
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("aws sso login"), "{err}");
}

#[tokio::test]
async fn configuration_errors() {
    let home = TempDir::new("sso-cfg");
    let clock = ManualClock::new(SystemTime::now());
    let sso = Arc::new(FakeSso::default());
    let err = |cfg: &str| {
        let p = provider(&home, cfg, sso.clone(), None, &clock);
        async move { p.provide().await.unwrap_err().to_string() }
    };
    let e = err("[profile dev]\nsso_role_name = R\n").await;
    assert!(
        e.contains("sso_account_id, sso_start_url, sso_region"),
        "{e}"
    );
    let e = err("[profile dev]\nsso_session = nope\nsso_role_name = R\nsso_account_id = 1\n").await;
    assert!(e.contains("sso-session does not exist: \"nope\""), "{e}");
    let e = err("[profile dev]\nsso_session = s\nsso_role_name = R\nsso_account_id = 1\nsso_region = a\n[sso-session s]\nsso_region = b\nsso_start_url = u\n").await;
    assert!(
        e.contains("inconsistent") && e.contains("sso_region"),
        "{e}"
    );
    let e = err(SESSION_CONFIG).await;
    assert!(
        e.contains("does not exist") && e.contains("my-sso") && e.contains("aws sso login"),
        "{e}"
    );
    let p = provider(
        &home,
        "[profile dev]\nregion = x\n",
        sso.clone(),
        None,
        &clock,
    );
    assert!(p.provide().await.unwrap_err().is_not_loaded());
}

#[tokio::test]
async fn missing_client_and_unauthorized() {
    let home = TempDir::new("sso-client");
    let clock = ManualClock::new(SystemTime::now());
    home.write(
        SESSION_FILE,
        &token_json("a", clock.now() + Duration::from_secs(3600), false),
    );
    let env = Env::default().with_home(home.path());
    let set = Arc::new(ProfileSet::parse(Some(SESSION_CONFIG), None).unwrap());
    let err = SsoProvider::new(&env, set, "dev")
        .provide()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            CredentialsError::NeedsClient {
                provider: "sso",
                ..
            }
        ),
        "{err}"
    );
    let sso = Arc::new(FakeSso {
        unauthorized: true,
        ..Default::default()
    });
    let err = provider(&home, SESSION_CONFIG, sso, None, &clock)
        .provide()
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("expired or is otherwise invalid"), "{err}");
}
