//! IMDS provider against a local HTTP server: IMDSv2 token flow, v1 fallback,
//! failures, timeouts, expiry extension and refresh through the cache.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use boto_auth::config::{ConfigResolver, Env, ImdsEndpointMode, ProfileSelection, ProfileSet};
use boto_auth::credentials::{
    CredentialsCache, CredentialsError, ImdsConfig, ImdsProvider, ProvideCredentials,
};
use common::{iso, ok, serve, ManualClock, Recorded, Reply, TestServer};

const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";

fn creds_json(key: &str, expires: SystemTime) -> String {
    format!(
        r#"{{"Code":"Success","AccessKeyId":"{key}","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"{}"}}"#,
        iso(expires)
    )
}

fn provider(server: &TestServer, timeout_ms: u64, attempts: u32) -> ImdsProvider {
    ImdsProvider::new(ImdsConfig {
        endpoint: server.url(),
        timeout: Duration::from_millis(timeout_ms),
        attempts,
        ..Default::default()
    })
}

/// A well-behaved IMDSv2 server.
async fn imds_v2() -> TestServer {
    serve(|r: &Recorded| match (r.method.as_str(), r.path.as_str()) {
        ("PUT", "/latest/api/token") => match r.header("x-aws-ec2-metadata-token-ttl-seconds") {
            Some("21600") => ok("TOKEN-1"),
            _ => Reply::Status(400, String::new()),
        },
        ("GET", path) if r.header("x-aws-ec2-metadata-token") != Some("TOKEN-1") => {
            Reply::Status(401, path.to_string())
        }
        ("GET", ROLE_PATH) => ok("my-role"),
        ("GET", "/latest/meta-data/iam/security-credentials/my-role") => ok(creds_json(
            "ASIAIMDS",
            SystemTime::now() + Duration::from_secs(6 * 3600),
        )),
        _ => Reply::Status(404, String::new()),
    })
    .await
}

#[tokio::test]
async fn token_flow() {
    let server = imds_v2().await;
    let c = provider(&server, 1000, 1).provide().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.secret_access_key(), c.session_token()),
        ("ASIAIMDS", "imds-secret", Some("imds-token"))
    );
    assert_eq!(c.provider(), "iam-role");
    assert!(c.expiry().unwrap() > SystemTime::now() + Duration::from_secs(5 * 3600));
    let reqs = server.requests();
    let seq: Vec<String> = reqs
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        seq,
        [
            "PUT /latest/api/token",
            format!("GET {ROLE_PATH}").as_str(),
            format!("GET {ROLE_PATH}my-role").as_str()
        ]
    );
}

#[tokio::test]
async fn falls_back_to_v1_when_token_unsupported() {
    for status in [403u16, 404, 405] {
        let server = serve(
            move |r: &Recorded| match (r.method.as_str(), r.path.as_str()) {
                ("PUT", _) => Reply::Status(status, String::new()),
                ("GET", ROLE_PATH) if r.header("x-aws-ec2-metadata-token").is_none() => {
                    ok("v1-role")
                }
                ("GET", _) => ok(creds_json(
                    "ASIAV1",
                    SystemTime::now() + Duration::from_secs(3600 * 6),
                )),
                _ => Reply::Status(500, String::new()),
            },
        )
        .await;
        let c = provider(&server, 1000, 1).provide().await.unwrap();
        assert_eq!(c.access_key_id(), "ASIAV1", "status {status}");
        assert!(server.requests()[1]
            .header("x-aws-ec2-metadata-token")
            .is_none());
    }
}

#[tokio::test]
async fn v1_disabled_is_an_error() {
    let server = serve(|r: &Recorded| {
        if r.method == "PUT" {
            Reply::Status(404, String::new())
        } else {
            ok("x")
        }
    })
    .await;
    let p = ImdsProvider::new(ImdsConfig {
        endpoint: server.url(),
        v1_disabled: true,
        ..Default::default()
    });
    let err = p.provide().await.unwrap_err();
    assert!(!err.is_not_loaded());
    assert!(
        err.to_string().contains("IMDSv1 has been disabled"),
        "{err}"
    );
}

#[tokio::test]
async fn bad_token_request_and_server_errors_mean_no_credentials() {
    let server = serve(|_: &Recorded| Reply::Status(400, String::new())).await;
    let err = provider(&server, 1000, 1).provide().await.unwrap_err();
    assert!(
        err.is_not_loaded() && err.to_string().contains("400"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1);

    let server = serve(|r: &Recorded| {
        if r.method == "PUT" {
            ok("T")
        } else {
            Reply::Status(500, "oops".into())
        }
    })
    .await;
    let err = provider(&server, 1000, 3).provide().await.unwrap_err();
    assert!(
        err.is_not_loaded() && err.to_string().contains("max attempts (3)"),
        "{err}"
    );
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.method == "GET")
            .count(),
        3,
        "retries up to num_attempts"
    );

    let server = serve(|r: &Recorded| match r.path.as_str() {
        "/latest/api/token" => ok("T"),
        ROLE_PATH => ok("role"),
        _ => {
            ok(r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role"}"#)
        }
    })
    .await;
    let err = provider(&server, 1000, 1).provide().await.unwrap_err();
    assert!(
        err.is_not_loaded() && err.to_string().contains("AssumeRoleUnauthorizedAccess"),
        "{err}"
    );
}

#[tokio::test]
async fn token_401_on_get_then_retry_limit() {
    let server = serve(|r: &Recorded| {
        if r.method == "PUT" {
            ok("T")
        } else {
            Reply::Status(401, String::new())
        }
    })
    .await;
    assert!(provider(&server, 1000, 1)
        .provide()
        .await
        .unwrap_err()
        .is_not_loaded());
}

#[tokio::test]
async fn timeouts() {
    // Token PUT times out: botocore falls back to IMDSv1.
    let server = serve(|r: &Recorded| match (r.method.as_str(), r.path.as_str()) {
        ("PUT", _) => Reply::Hang(Duration::from_secs(5)),
        ("GET", ROLE_PATH) => ok("role"),
        _ => ok(creds_json(
            "ASIAAFTERTIMEOUT",
            SystemTime::now() + Duration::from_secs(6 * 3600),
        )),
    })
    .await;
    let start = Instant::now();
    let c = provider(&server, 200, 1).provide().await.unwrap();
    assert_eq!(c.access_key_id(), "ASIAAFTERTIMEOUT");
    assert!(start.elapsed() < Duration::from_secs(2));

    // Everything hangs: give up after timeout x attempts with "no credentials".
    let server = serve(|_: &Recorded| Reply::Hang(Duration::from_secs(5))).await;
    let start = Instant::now();
    let err = provider(&server, 150, 2).provide().await.unwrap_err();
    assert!(
        err.is_not_loaded() && err.to_string().contains("timeout"),
        "{err}"
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn unreachable_and_disabled() {
    let p = ImdsProvider::new(ImdsConfig {
        endpoint: "http://127.0.0.1:1/".into(),
        ..Default::default()
    });
    assert!(p.provide().await.unwrap_err().is_not_loaded());
    let p = ImdsProvider::new(ImdsConfig {
        disabled: true,
        ..Default::default()
    });
    let err = p.provide().await.unwrap_err();
    assert!(
        err.to_string().contains("AWS_EC2_METADATA_DISABLED"),
        "{err}"
    );
}

#[tokio::test]
async fn expiring_credentials_are_extended() {
    let now = SystemTime::now();
    let server = serve(move |r: &Recorded| match r.path.as_str() {
        "/latest/api/token" => ok("T"),
        ROLE_PATH => ok("role"),
        _ => ok(creds_json("ASIASTALE", now + Duration::from_secs(60))),
    })
    .await;
    let c = provider(&server, 1000, 1).provide().await.unwrap();
    let exp = c.expiry().unwrap();
    assert!(
        exp >= now + Duration::from_secs(15 * 60 + 120)
            && exp <= now + Duration::from_secs(15 * 60 + 601),
        "{}",
        iso(exp)
    );
}

#[tokio::test]
async fn refresh_through_the_cache() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let base = SystemTime::now();
    let server = serve(move |r: &Recorded| match r.path.as_str() {
        "/latest/api/token" => ok("T"),
        ROLE_PATH => ok("role"),
        _ => {
            let n = c2.fetch_add(1, Ordering::SeqCst) + 1;
            ok(creds_json(
                &format!("ASIA{n}"),
                base + Duration::from_secs(3600 * n as u64),
            ))
        }
    })
    .await;
    let clock = ManualClock::new(base);
    let cache = CredentialsCache::new(Arc::new(
        provider(&server, 1000, 1).with_clock(clock.clock()),
    ))
    .with_clock(clock.clock());
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "ASIA1");
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "ASIA1");
    clock.advance(Duration::from_secs(3600 - 5 * 60));
    assert_eq!(cache.provide().await.unwrap().access_key_id(), "ASIA2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn config_from_env_and_profile() {
    let env = Env::from_vars([
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"),
        ("AWS_METADATA_SERVICE_TIMEOUT", "3"),
        ("AWS_EC2_METADATA_DISABLED", "TRUE"),
    ]);
    let set = Arc::new(
        ProfileSet::parse(
            Some("[default]\nmetadata_service_num_attempts = 4\nec2_metadata_v1_disabled = true\n"),
            None,
        )
        .unwrap(),
    );
    let r = ConfigResolver::new(
        env.clone(),
        set.clone(),
        &ProfileSelection::resolve(None, &env),
    )
    .unwrap();
    assert_eq!(r.imds_endpoint_mode().unwrap(), ImdsEndpointMode::Ipv6);
    let c = ImdsConfig::from_config(&r).unwrap();
    assert_eq!(c.endpoint, "http://[fd00:ec2::254]/");
    assert_eq!(
        (c.timeout, c.attempts, c.v1_disabled, c.disabled),
        (Duration::from_secs(3), 4, true, true)
    );

    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://10.0.0.1:1338")]);
    let r = ConfigResolver::new(
        env.clone(),
        set.clone(),
        &ProfileSelection::resolve(None, &env),
    )
    .unwrap();
    assert_eq!(
        ImdsConfig::from_config(&r).unwrap().endpoint,
        "http://10.0.0.1:1338"
    );
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv5")]);
    let r = ConfigResolver::new(env.clone(), set, &ProfileSelection::resolve(None, &env)).unwrap();
    assert!(ImdsConfig::from_config(&r)
        .unwrap_err()
        .to_string()
        .contains("ipv5"));
    let _ = CredentialsError::not_loaded("x", "y");
}
