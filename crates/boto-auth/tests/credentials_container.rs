//! Container credentials provider against a local HTTP server: relative and
//! full URIs, authorization token (env and rotating file), host allow-list,
//! retries, failures and timeouts.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use boto_auth::config::Env;
use boto_auth::credentials::http::{HttpClient, HttpError, HttpRequest, HttpResponse};
use boto_auth::credentials::{BoxFuture, ContainerProvider, CredentialsError, ProvideCredentials};
use common::{iso, ok, serve, Recorded, Reply, TempDir};

fn body(key: &str) -> String {
    format!(
        r#"{{"AccessKeyId":"{key}","SecretAccessKey":"c-secret","Token":"c-token","Expiration":"{}","AccountId":"444455556666"}}"#,
        iso(SystemTime::now() + Duration::from_secs(3600))
    )
}

fn fast(p: ContainerProvider) -> ContainerProvider {
    p.with_timeout(Duration::from_millis(300))
        .with_retries(3, Duration::from_millis(10))
}

#[tokio::test]
async fn relative_uri() {
    let server = serve(|r: &Recorded| {
        if r.path == "/v2/credentials/abc" {
            ok(body("ASIAREL"))
        } else {
            Reply::Status(404, String::new())
        }
    })
    .await;
    let env = Env::from_vars([(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/abc",
    )]);
    let p = fast(ContainerProvider::new(env)).with_relative_base(format!("http://{}", server.addr));
    let c = p.provide().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token(), c.account_id()),
        ("ASIAREL", Some("c-token"), Some("444455556666"))
    );
    assert_eq!(c.provider(), "container-role");
    assert_eq!(
        server.requests()[0].header("Accept"),
        Some("application/json")
    );
}

#[tokio::test]
async fn full_uri_with_auth_token_and_token_file() {
    let server = serve(|r: &Recorded| match r.header("Authorization") {
        Some("Bearer env-token") => ok(body("ASIAENVTOK")),
        Some("file-token-1") => ok(body("ASIAFILE1")),
        Some("file-token-2") => ok(body("ASIAFILE2")),
        _ => Reply::Status(401, "no auth".into()),
    })
    .await;
    let url = format!("http://{}/creds", server.addr);
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.clone()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "Bearer env-token".into(),
        ),
    ]);
    assert_eq!(
        fast(ContainerProvider::new(env.clone()))
            .provide()
            .await
            .unwrap()
            .access_key_id(),
        "ASIAENVTOK"
    );

    let dir = TempDir::new("container-token");
    let file = dir.write("token", "file-token-1");
    let env = env.with_var(
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        file.to_string_lossy(),
    );
    let p = fast(ContainerProvider::new(env));
    assert_eq!(
        p.provide().await.unwrap().access_key_id(),
        "ASIAFILE1",
        "the file wins over the variable"
    );
    std::fs::write(&file, "file-token-2").unwrap();
    assert_eq!(
        p.provide().await.unwrap().access_key_id(),
        "ASIAFILE2",
        "the file is re-read on each fetch"
    );
}

#[tokio::test]
async fn host_allow_list_and_bad_tokens() {
    for (url, allowed) in [
        ("http://169.254.170.2/x", true),
        ("http://169.254.170.23/x", true),
        ("http://[fd00:ec2::23]/x", true),
        ("http://localhost:1/x", true),
        ("http://127.0.0.5:1/x", true),
        ("http://[::1]:1/x", true),
        ("http://example.com/x", false),
        ("http://10.0.0.1/x", false),
    ] {
        let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", url)]);
        let p = ContainerProvider::new(env)
            .with_timeout(Duration::from_millis(50))
            .with_retries(1, Duration::ZERO);
        let err = p.provide().await.unwrap_err();
        let rejected = matches!(&err, CredentialsError::InvalidConfig { message, .. } if message.contains("unsupported host"));
        assert_eq!(rejected, !allowed, "{url}: {err}");
    }
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/"),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nInjected: 1"),
    ]);
    let err = ContainerProvider::new(env).provide().await.unwrap_err();
    assert!(
        err.to_string().contains("not a legal header value"),
        "{err}"
    );
}

#[tokio::test]
async fn https_needs_an_injected_client() {
    let env = Env::from_vars([(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "https://creds.example.com/path",
    )]);
    let err = ContainerProvider::new(env.clone())
        .provide()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::NeedsClient { .. }), "{err}");

    #[derive(Debug)]
    struct FakeTls;
    impl HttpClient for FakeTls {
        fn send(
            &self,
            request: HttpRequest,
            _t: Duration,
        ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
            Box::pin(async move {
                assert_eq!(request.url, "https://creds.example.com/path");
                Ok(HttpResponse {
                    status: 200,
                    body: body("ASIATLS").into_bytes(),
                })
            })
        }
    }
    let c = ContainerProvider::new(env)
        .with_https_client(Arc::new(FakeTls))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "ASIATLS");
}

#[tokio::test]
async fn retries_then_reports_status_and_body() {
    let server = serve(|_: &Recorded| Reply::Status(500, "internal trouble".into())).await;
    let env = Env::from_vars([(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        format!("http://{}/c", server.addr),
    )]);
    let err = fast(ContainerProvider::new(env))
        .provide()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("500") && err.contains("internal trouble") && err.contains("3 attempts"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 3);

    // A transient failure is retried and then succeeds.
    let n = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let n2 = n.clone();
    let server = serve(move |_: &Recorded| {
        if n2.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            Reply::Status(503, String::new())
        } else {
            ok(body("ASIARETRY"))
        }
    })
    .await;
    let env = Env::from_vars([(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        format!("http://{}/c", server.addr),
    )]);
    assert_eq!(
        fast(ContainerProvider::new(env))
            .provide()
            .await
            .unwrap()
            .access_key_id(),
        "ASIARETRY"
    );
}

#[tokio::test]
async fn bad_json_missing_fields_and_timeouts() {
    let server = serve(|r: &Recorded| match r.path.as_str() {
        "/notjson" => ok("<html>"),
        "/missing" => {
            ok(r#"{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2030-01-01T00:00:00Z"}"#)
        }
        _ => Reply::Hang(Duration::from_secs(5)),
    })
    .await;
    let run = |path: &str| {
        let env = Env::from_vars([(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("http://{}{path}", server.addr),
        )]);
        async move {
            fast(ContainerProvider::new(env))
                .provide()
                .await
                .unwrap_err()
                .to_string()
        }
    };
    assert!(run("/notjson").await.contains("unable to parse JSON"));
    assert!(run("/missing").await.contains("missing Token"));
    let start = Instant::now();
    let e = run("/hang").await;
    assert!(e.contains("timeout"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn not_configured_is_not_loaded() {
    assert!(ContainerProvider::new(Env::default())
        .provide()
        .await
        .unwrap_err()
        .is_not_loaded());
}
