//! Bearer-token auth for `httpBearerAuth` services (CodeCatalyst): the token
//! comes from `AWS_BEARER_TOKEN_<SERVICE>` or the profile's SSO session cache,
//! and the request carries `Authorization: Bearer …` instead of a SigV4 signature.

use boto::core::auth::config::Env;
use boto::{params, Session};

fn auth_header(req: &boto::core::runtime::http::HttpRequest) -> Option<&str> {
    req.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.as_str())
}

fn temp_home(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("boto-bearer-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(dir.join(".aws/sso/cache")).unwrap();
    dir
}

#[tokio::test]
async fn token_from_environment() {
    let home = temp_home("env");
    let env = Env::from_vars([
        ("AWS_BEARER_TOKEN_CODECATALYST", "tok-123"),
        ("AWS_REGION", "us-west-2"),
    ])
    .with_home(&home);
    let session = Session::builder().env(env).build().unwrap();
    let client = session.client("codecatalyst").unwrap();
    let req = client.prepare("ListSpaces", params! {}).await.unwrap();
    assert_eq!(auth_header(&req), Some("Bearer tok-123"));
    assert!(
        !req.headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("x-amz-date")),
        "not SigV4-signed"
    );
    std::fs::remove_dir_all(home).ok();
}

#[tokio::test]
async fn token_from_the_sso_session_cache() {
    let home = temp_home("sso");
    std::fs::write(
        home.join(".aws/config"),
        "[default]\nregion = us-west-2\nsso_session = dev\n\n[sso-session dev]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .unwrap();
    // The cache file is named by the SHA-1 of the session name, as botocore does.
    let key = boto::core::auth::credentials::sso_token_cache_key("dev");
    std::fs::write(
        home.join(format!(".aws/sso/cache/{key}.json")),
        r#"{"accessToken": "sso-token-xyz", "expiresAt": "2099-01-01T00:00:00Z", "region": "us-east-1", "startUrl": "https://d-123.awsapps.com/start"}"#,
    )
    .unwrap();
    let env = Env::from_vars(Vec::<(String, String)>::new()).with_home(&home);
    let session = Session::builder().env(env).build().unwrap();
    let req = session
        .client("codecatalyst")
        .unwrap()
        .prepare("ListSpaces", params! {})
        .await
        .unwrap();
    assert_eq!(auth_header(&req), Some("Bearer sso-token-xyz"));
    std::fs::remove_dir_all(home).ok();
}

#[tokio::test]
async fn missing_token_is_a_credentials_error() {
    let home = temp_home("none");
    let env = Env::from_vars([("AWS_REGION", "us-west-2")]).with_home(&home);
    let err = Session::builder()
        .env(env)
        .build()
        .unwrap()
        .client("codecatalyst")
        .unwrap()
        .prepare("ListSpaces", params! {})
        .await
        .unwrap_err();
    assert_eq!(err.kind(), boto::ErrorKind::Credentials, "{err}");
    assert!(err.to_string().contains("bearer token"), "{err}");
    std::fs::remove_dir_all(home).ok();
}
