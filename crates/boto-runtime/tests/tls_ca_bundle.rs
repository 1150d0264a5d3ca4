//! TLS end to end: a server whose certificate is a self-signed `CA:TRUE`
//! certificate (what `openssl req -x509` makes by default), trusted only
//! because the same certificate is in the explicit `ca_bundle` (issue 13).
//!
//! aws-cli (OpenSSL) accepts such a bundle; webpki alone rejects it with
//! `CaUsedAsEndEntity`. `boto-runtime/src/http/tls.rs` accepts a server
//! certificate that is byte-identical to one in the explicit bundle, but only
//! when it is valid for the host and in date. These tests run real TLS on
//! 127.0.0.1 (rustls server, rcgen certificates) and check both halves of
//! that promise: the accepted case, and every way it must still fail (no
//! bundle, another certificate in the bundle, wrong host name, expired).

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::params;
use boto_runtime::config::RetryMode;
use boto_runtime::{Client, ClientConfig, Error, ErrorKind};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair, SanType};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const LIST_TABLES: &str = r#"{"TableNames":["tls-ok"]}"#;

/// A self-signed `CA:TRUE` certificate (as `openssl req -x509` makes) for
/// `names`, valid from `not_before` to `not_after` (years).
fn ca_true_cert(names: &[&str], years: (i32, i32)) -> (rcgen::Certificate, KeyPair) {
    let mut p = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .expect("params");
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.subject_alt_names
        .push(SanType::IpAddress("127.0.0.1".parse().expect("ip")));
    p.not_before = rcgen::date_time_ymd(years.0, 1, 1);
    p.not_after = rcgen::date_time_ymd(years.1, 1, 1);
    let key = KeyPair::generate().expect("key");
    let cert = p.self_signed(&key).expect("self-signed");
    (cert, key)
}

/// A TLS server answering every request with a DynamoDB `ListTables` result;
/// counts the requests that got past the handshake.
struct Server {
    addr: SocketAddr,
    served: Arc<AtomicUsize>,
}

async fn serve(cert: &rcgen::Certificate, key: &KeyPair) -> Server {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("server cert");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let (acceptor, counter) = (acceptor.clone(), counter.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(sock).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Read the head and the (small) body announced by Content-Length.
                loop {
                    let Ok(n) = tls.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let resp = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{LIST_TABLES}",
                    LIST_TABLES.len()
                );
                let _ = tls.write_all(resp.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    Server { addr, served }
}

fn bundle(pems: &[&rcgen::Certificate], tag: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("boto-tls-test-{}-{tag}.pem", std::process::id()));
    let text: String = pems.iter().map(|c| c.pem()).collect();
    std::fs::write(&path, text).expect("write bundle");
    path
}

fn client(endpoint: String, ca_bundle: Option<PathBuf>) -> Client {
    Client::builder("dynamodb")
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(endpoint),
            ca_bundle,
            retry_mode: RetryMode::Standard,
            max_attempts: Some(1),
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
            ..ClientConfig::default()
        })
        .credentials(Arc::new(StaticProvider::new(Credentials::new(
            "AKIDTEST",
            "SECRETTEST",
            None,
            None,
            "test",
        ))))
        .build()
        .expect("client builds")
}

async fn list_tables(c: &Client) -> Result<boto_model::Value, Error> {
    c.call("ListTables", params! {}).await
}

/// The refusal is a Dispatch error that says it is about the certificate,
/// and the server never saw a request.
fn assert_refused(res: Result<boto_model::Value, Error>, server: &Server, why: &str) {
    let err = res.expect_err(why);
    assert_eq!(err.kind(), ErrorKind::Dispatch, "{why}: {err}");
    let text = format!("{err} {:?}", std::error::Error::source(&err));
    assert!(
        text.to_ascii_lowercase().contains("certificate"),
        "{why}: the error should name the certificate problem: {text}"
    );
    assert_eq!(
        server.served.load(Ordering::SeqCst),
        0,
        "{why}: a request got through"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_signed_ca_true_server_cert_in_the_bundle_is_accepted() {
    let (cert, key) = ca_true_cert(&["localhost"], (2020, 2099));
    let server = serve(&cert, &key).await;
    let ca = bundle(&[&cert], "accepted");
    for host in ["localhost", "127.0.0.1"] {
        let c = client(
            format!("https://{host}:{}", server.addr.port()),
            Some(ca.clone()),
        );
        let out = list_tables(&c)
            .await
            .expect("the bundled CA:TRUE cert is trusted");
        let names = out.get("TableNames").as_list().expect("TableNames");
        assert_eq!(names.len(), 1);
        assert_eq!(names[0].as_str(), Some("tls-ok"));
    }
    assert_eq!(server.served.load(Ordering::SeqCst), 2);
    let _ = std::fs::remove_file(ca);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ca_true_server_cert_without_a_bundle_is_refused() {
    let (cert, key) = ca_true_cert(&["localhost"], (2020, 2099));
    let server = serve(&cert, &key).await;
    let c = client(format!("https://localhost:{}", server.addr.port()), None);
    assert_refused(
        list_tables(&c).await,
        &server,
        "system roots do not trust it",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_certificate_in_the_bundle_does_not_vouch_for_the_server() {
    let (cert, key) = ca_true_cert(&["localhost"], (2020, 2099));
    let (other, _) = ca_true_cert(&["localhost"], (2020, 2099));
    let server = serve(&cert, &key).await;
    let ca = bundle(&[&other], "other");
    let c = client(
        format!("https://localhost:{}", server.addr.port()),
        Some(ca.clone()),
    );
    assert_refused(list_tables(&c).await, &server, "a different certificate");
    let _ = std::fs::remove_file(ca);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundled_cert_for_another_host_is_refused() {
    // Valid for other.example only (plus 127.0.0.1, which we don't use here).
    let (cert, key) = ca_true_cert(&["other.example"], (2020, 2099));
    let server = serve(&cert, &key).await;
    let ca = bundle(&[&cert], "wrong-host");
    let c = client(
        format!("https://localhost:{}", server.addr.port()),
        Some(ca.clone()),
    );
    assert_refused(list_tables(&c).await, &server, "name mismatch");
    let _ = std::fs::remove_file(ca);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_bundled_cert_is_refused() {
    let (cert, key) = ca_true_cert(&["localhost"], (2010, 2015));
    let server = serve(&cert, &key).await;
    let ca = bundle(&[&cert], "expired");
    let c = client(
        format!("https://localhost:{}", server.addr.port()),
        Some(ca.clone()),
    );
    assert_refused(list_tables(&c).await, &server, "expired");
    let _ = std::fs::remove_file(ca);
}
