//! S3 Express One Zone session auth end to end (botocore's
//! `S3ExpressIdentityResolver` + `S3ExpressAuth`), against a local server
//! that plays a directory bucket's zonal endpoint.
//!
//! The zonal host is a real AWS name
//! (`<bucket>.s3express-usw2-az1.us-west-2.amazonaws.com`), so, as in
//! `endpoint_discovery.rs`, the client's transport is the real hyper client
//! behind a router that sends every request to the local server with its
//! `Host` kept. The server checks what the service checks: `CreateSession`
//! (`GET /?session`) must be SigV4-signed by the caller for `s3express` and
//! answers fresh session keys; object requests must carry
//! `x-amz-s3session-token` of an issued session, no `X-Amz-Security-Token`,
//! and a SigV4 signature the server recomputes with that session's secret
//! (and the payload hash it recomputes from the body). Anything else is
//! `403 SignatureDoesNotMatch` / `AccessDenied`.

mod router;
mod support;

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_auth::sigv4::{self, SessionTokenMode, SignableBody, SignableRequest, SigningSettings};
use boto_endpoints::ParamValue;
use boto_model::{params, Timestamp, Value};
use boto_runtime::{Client, ClientConfig, ErrorKind};
use router::Router;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use support::{Action, Recorded, Reply, TestServer};

const BUCKET: &str = "mybucket--usw2-az1--x-s3";
const HOST: &str = "mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com";
const CALLER_KEY: &str = "ASIACALLER";
const CALLER_SECRET: &str = "caller/secret+KEY";
const CALLER_TOKEN: &str = "caller-sts-token";

fn client(base: String, disable_session_auth: bool) -> Client {
    let mut config = ClientConfig {
        region: Some("us-west-2".into()),
        max_attempts: Some(1),
        ..Default::default()
    };
    if disable_session_auth {
        config
            .client_context_params
            .push(("DisableS3ExpressSessionAuth".into(), ParamValue::Bool(true)));
    }
    Client::builder("s3")
        .config(config)
        .credentials(Arc::new(StaticProvider::new(Credentials::new(
            CALLER_KEY,
            CALLER_SECRET,
            Some(CALLER_TOKEN.into()),
            None,
            "test",
        ))))
        .http_client(Arc::new(Router::new(base)))
        .build()
        .unwrap()
}

/// A session the server issued: (access key id, secret, token).
type Session = (String, String, String);

/// The directory bucket: sessions live `ttl`; CreateSession answers after `delay`.
struct Express {
    server: TestServer,
    sessions: Arc<Mutex<Vec<Session>>>,
}

fn express(ttl: Duration, delay: Duration) -> Express {
    let sessions: Arc<Mutex<Vec<Session>>> = Arc::default();
    let issued = sessions.clone();
    let server = TestServer::start(move |r, _| {
        let reply = serve(r, &issued, ttl);
        if r.target.ends_with("?session") && !delay.is_zero() {
            Action::Delay(delay, Box::new(reply))
        } else {
            reply
        }
    });
    Express { server, sessions }
}

fn serve(r: &Recorded, issued: &Mutex<Vec<Session>>, ttl: Duration) -> Action {
    let deny = |code: &str, why: String| Action::Reply(Reply::s3_error(403, code, &why));
    if r.header("host") != Some(HOST) {
        return deny("AccessDenied", format!("wrong host {:?}", r.header("host")));
    }
    if r.method == "GET" && r.target == "/?session" {
        if r.header("x-amz-s3session-token").is_some() {
            return deny("AccessDenied", "CreateSession with a session".into());
        }
        if r.header("x-amz-security-token") != Some(CALLER_TOKEN) {
            return deny("AccessDenied", "the caller's token is missing".into());
        }
        if let Err(why) = verify(r, CALLER_KEY, CALLER_SECRET) {
            return deny("SignatureDoesNotMatch", why);
        }
        let mut sessions = issued.lock().unwrap();
        let n = sessions.len();
        let session = (
            format!("ASIASESSION{n}"),
            format!("session/secret+{n}"),
            format!("session-token-{n}=="),
        );
        sessions.push(session.clone());
        let expires = Timestamp::from_epoch_secs(
            (SystemTime::now() + ttl)
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64,
        );
        return Action::Reply(Reply::xml(
            200,
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateSessionResult \
                 xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Credentials>\
                 <SessionToken>{}</SessionToken><SecretAccessKey>{}</SecretAccessKey>\
                 <AccessKeyId>{}</AccessKeyId><Expiration>{}</Expiration></Credentials>\
                 </CreateSessionResult>",
                session.2,
                session.1,
                session.0,
                expires.to_iso8601()
            ),
        ));
    }
    if r.header("x-amz-security-token").is_some() {
        return deny(
            "AccessDenied",
            "X-Amz-Security-Token on a zonal request".into(),
        );
    }
    let (key, secret) = match r.header("x-amz-s3session-token") {
        Some(token) => {
            let sessions = issued.lock().unwrap();
            match sessions.iter().find(|s| s.2 == token) {
                Some(s) => (s.0.clone(), s.1.clone()),
                None => return deny("AccessDenied", "unknown session token".into()),
            }
        }
        // Session auth disabled: the caller's own keys (and no token at all here).
        None => (CALLER_KEY.to_string(), CALLER_SECRET.to_string()),
    };
    if let Err(why) = verify(r, &key, &secret) {
        return deny("SignatureDoesNotMatch", why);
    }
    match (r.method.as_str(), r.path()) {
        ("GET", "/data.txt") => Action::Reply(
            Reply::new(200)
                .header("Content-Type", "text/plain")
                .header("ETag", "\"e1\"")
                .body("zonal bytes"),
        ),
        ("PUT", "/data.txt") if r.body == b"uploaded" => {
            Action::Reply(Reply::new(200).header("ETag", "\"e2\""))
        }
        _ => deny(
            "AccessDenied",
            format!("unexpected {} {}", r.method, r.target),
        ),
    }
}

/// Recomputes the request's SigV4 signature with `secret`, as the service
/// does: the credential must be `key` for `us-west-2/s3express`, the payload
/// hash must be the body's, and every signed header must be as received.
fn verify(r: &Recorded, key: &str, secret: &str) -> Result<(), String> {
    let auth = r.header("authorization").ok_or("not signed")?;
    let credential = auth
        .split("Credential=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .ok_or("no credential")?;
    let parts: Vec<&str> = credential.split('/').collect();
    if parts.len() != 5 || parts[0] != key || parts[2] != "us-west-2" || parts[3] != "s3express" {
        return Err(format!(
            "credential {credential} is not {key}/…/us-west-2/s3express"
        ));
    }
    let signed: Vec<&str> = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .ok_or("no signed headers")?
        .split(';')
        .collect();
    let amz_date = r.header("x-amz-date").ok_or("no x-amz-date")?;
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &amz_date[0..4],
        &amz_date[4..6],
        &amz_date[6..8],
        &amz_date[9..11],
        &amz_date[11..13],
        &amz_date[13..15]
    );
    let when = Timestamp::parse(&iso).map_err(|e| e.to_string())?;
    let when = UNIX_EPOCH + Duration::from_secs(when.epoch_secs() as u64);
    let payload = r.header("x-amz-content-sha256").ok_or("no payload hash")?;
    let body_hash = hex(ring::digest::digest(&ring::digest::SHA256, &r.body).as_ref());
    if payload != "UNSIGNED-PAYLOAD" && payload != body_hash {
        return Err("the payload hash is not the body's".into());
    }
    let (path, query) = r.target.split_once('?').unwrap_or((&r.target, ""));
    let mut req = SignableRequest::new(&r.method, "https", HOST, path).encoded_query(query);
    for name in &signed {
        let value = r
            .header(name)
            .ok_or(format!("signed header {name} missing"))?;
        req.push_header(name, value);
    }
    let req = req.body(SignableBody::Precomputed(payload.into()));
    let creds = Credentials::new(key, secret, None, None, "server");
    let params = sigv4::SigningParams::new("us-west-2", "s3express", when)
        .with_settings(SigningSettings::s3());
    let out = sigv4::sign(&req, &creds, &params).map_err(|e| e.to_string())?;
    let expected = out
        .headers()
        .iter()
        .find(|(n, _)| *n == "Authorization")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    if expected != auth {
        return Err(format!("signature mismatch: got {auth}, want {expected}"));
    }
    Ok(())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// (method, target, session token sent) of each request the server read.
fn flow(server: &TestServer) -> Vec<(String, String, Option<String>)> {
    server
        .requests()
        .iter()
        .map(|r| {
            (
                r.method.clone(),
                r.target.clone(),
                r.header("x-amz-s3session-token").map(str::to_owned),
            )
        })
        .collect()
}

fn step(method: &str, target: &str, token: Option<&str>) -> (String, String, Option<String>) {
    (method.into(), target.into(), token.map(str::to_owned))
}

#[tokio::test]
async fn object_requests_are_signed_with_one_cached_session() {
    let ex = express(Duration::from_secs(300), Duration::ZERO);
    let s3 = client(ex.server.url(), false);
    let put = s3
        .call(
            "PutObject",
            params! {"Bucket": BUCKET, "Key": "data.txt", "Body": "uploaded"},
        )
        .await
        .unwrap();
    assert_eq!(put.get("ETag").as_str(), Some("\"e2\""));
    for _ in 0..2 {
        let got = s3
            .call("GetObject", params! {"Bucket": BUCKET, "Key": "data.txt"})
            .await
            .unwrap();
        assert_eq!(got.get("Body"), &Value::Blob(b"zonal bytes".to_vec()));
    }
    let token = Some("session-token-0==");
    assert_eq!(
        flow(&ex.server),
        [
            step("GET", "/?session", None),
            step("PUT", "/data.txt", token),
            step("GET", "/data.txt", token),
            step("GET", "/data.txt", token),
        ]
    );
    // Directory-bucket uploads carry a CRC32 (the default checksum for every upload).
    let put = &ex.server.requests()[1];
    assert!(put.header("x-amz-checksum-crc32").is_some());
    assert!(put.header("content-md5").is_none());
    // The server's check is a real one: the recorded GetObject verifies with
    // the session secret only, and not once its token is swapped.
    let get = ex.server.requests()[2].clone();
    assert_eq!(verify(&get, "ASIASESSION0", "session/secret+0"), Ok(()));
    assert!(verify(&get, "ASIASESSION0", CALLER_SECRET).is_err());
    let mut swapped = get.clone();
    for (k, v) in &mut swapped.headers {
        if k.eq_ignore_ascii_case("x-amz-s3session-token") {
            *v = "session-token-9==".into();
        }
    }
    assert!(verify(&swapped, "ASIASESSION0", "session/secret+0").is_err());
}

#[tokio::test]
async fn sessions_near_expiry_are_renewed() {
    // 30 s sessions are inside the 45 s refresh window from the start: every
    // call renews, and each signs with the newest session.
    let ex = express(Duration::from_secs(30), Duration::ZERO);
    let s3 = client(ex.server.url(), false);
    for _ in 0..2 {
        s3.call("GetObject", params! {"Bucket": BUCKET, "Key": "data.txt"})
            .await
            .unwrap();
    }
    assert_eq!(
        flow(&ex.server),
        [
            step("GET", "/?session", None),
            step("GET", "/data.txt", Some("session-token-0==")),
            step("GET", "/?session", None),
            step("GET", "/data.txt", Some("session-token-1==")),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_open_one_session() {
    let ex = express(Duration::from_secs(300), Duration::from_millis(300));
    let s3 = client(ex.server.url(), false);
    let mut calls = Vec::new();
    for _ in 0..6 {
        let s3 = s3.clone();
        calls.push(tokio::spawn(async move {
            s3.call("GetObject", params! {"Bucket": BUCKET, "Key": "data.txt"})
                .await
        }));
    }
    for c in calls {
        c.await.unwrap().unwrap();
    }
    let flow = flow(&ex.server);
    assert_eq!(flow.len(), 7);
    assert_eq!(flow.iter().filter(|s| s.1 == "/?session").count(), 1);
    assert_eq!(ex.sessions.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn disabled_session_auth_signs_with_the_callers_keys() {
    let ex = express(Duration::from_secs(300), Duration::ZERO);
    let s3 = client(ex.server.url(), true);
    // The server refuses the caller's STS token on zonal requests, so a
    // caller without one: the disabled path is plain SigV4.
    let s3 = Client::builder("s3")
        .config(s3.config().clone())
        .credentials(Arc::new(StaticProvider::new(Credentials::new(
            CALLER_KEY,
            CALLER_SECRET,
            None,
            None,
            "test",
        ))))
        .http_client(Arc::new(Router::new(ex.server.url())))
        .build()
        .unwrap();
    let got = s3
        .call("GetObject", params! {"Bucket": BUCKET, "Key": "data.txt"})
        .await
        .unwrap();
    assert_eq!(got.get("Body"), &Value::Blob(b"zonal bytes".to_vec()));
    assert_eq!(flow(&ex.server), [step("GET", "/data.txt", None)]);
    let auth = ex.server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_string();
    assert!(
        auth.contains(&format!("Credential={CALLER_KEY}/")),
        "{auth}"
    );
}

#[tokio::test]
async fn a_failed_create_session_is_the_callers_error() {
    let server = TestServer::always(Reply::s3_error(403, "AccessDenied", "no session for you"));
    let s3 = client(server.url(), false);
    let err = s3
        .call("GetObject", params! {"Bucket": BUCKET, "Key": "data.txt"})
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service);
    assert!(
        err.to_string().contains("CreateSession") && err.to_string().contains("AccessDenied"),
        "{err}"
    );
    // Nothing but the CreateSession was sent.
    assert_eq!(flow(&server), [step("GET", "/?session", None)]);
}

#[tokio::test]
async fn presigned_urls_carry_the_session_token() {
    let ex = express(Duration::from_secs(300), Duration::ZERO);
    let s3 = client(ex.server.url(), false);
    let url = s3
        .presign_url(
            "GetObject",
            params! {"Bucket": BUCKET, "Key": "data.txt"},
            Duration::from_secs(600),
        )
        .await
        .unwrap();
    assert_eq!(flow(&ex.server), [step("GET", "/?session", None)]);
    let (key, secret, token) = ex.sessions.lock().unwrap()[0].clone();
    assert!(url.starts_with(&format!("https://{HOST}/data.txt?X-Amz-Algorithm=")));
    assert!(url.contains(&format!("X-Amz-Credential={key}%2F")), "{url}");
    assert!(!url.contains("X-Amz-Security-Token"), "{url}");
    // The URL is the session's presignature: recompute it at its own date.
    let amz_date = url.split("X-Amz-Date=").nth(1).unwrap()[..16].to_string();
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &amz_date[0..4],
        &amz_date[4..6],
        &amz_date[6..8],
        &amz_date[9..11],
        &amz_date[11..13],
        &amz_date[13..15]
    );
    let when =
        UNIX_EPOCH + Duration::from_secs(Timestamp::parse(&iso).unwrap().epoch_secs() as u64);
    let mut settings = SigningSettings::s3().with_expires_in(Duration::from_secs(600));
    settings.session_token_mode = SessionTokenMode::S3Express;
    let params = sigv4::SigningParams::new("us-west-2", "s3express", when).with_settings(settings);
    let creds = Credentials::new(key, secret, Some(token), None, "server");
    let expected = sigv4::presign(
        &SignableRequest::new("GET", "https", HOST, "/data.txt"),
        &creds,
        &params,
    )
    .unwrap();
    assert_eq!(url, expected.url());
    assert!(url.contains("&X-Amz-S3session-Token=session-token-0%3D%3D&X-Amz-Signature="));
}

#[tokio::test]
async fn prepare_sends_nothing_and_shows_create_session_first() {
    let ex = express(Duration::from_secs(300), Duration::ZERO);
    let s3 = client(ex.server.url(), false);
    let get = params! {"Bucket": BUCKET, "Key": "data.txt"};
    let first = s3.prepare("GetObject", get.clone()).await.unwrap();
    assert_eq!(first.url, format!("https://{HOST}/?session"));
    assert!(ex.server.requests().is_empty());
    // With a session cached, the request itself, signed with the session.
    s3.call("GetObject", get.clone()).await.unwrap();
    let req = s3.prepare("GetObject", get).await.unwrap();
    assert_eq!(req.url, format!("https://{HOST}/data.txt"));
    let token = req
        .headers
        .iter()
        .find(|(k, _)| k == "x-amz-s3session-token")
        .map(|(_, v)| v.as_str());
    assert_eq!(token, Some("session-token-0=="));
    assert_eq!(ex.server.requests().len(), 2);
}
