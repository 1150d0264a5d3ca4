//! HTTP proxies through the real transport.
//!
//! boto-rs must behave like botocore behind a corporate proxy: `http://`
//! endpoints go to the proxy as absolute-form requests, `https://` endpoints
//! through a `CONNECT` tunnel with TLS to the target end to end, `NO_PROXY`
//! bypasses it, proxy credentials travel as `Proxy-Authorization` and never
//! show up in errors or `Debug`, and a dead or refusing proxy is a clear
//! Dispatch error naming it. A mock `HttpClient` would skip all of that, so
//! these tests run real sockets on 127.0.0.1: a tiny forward proxy that
//! records what it is asked and forwards it, and a target that answers a
//! DynamoDB `ListTables` (plain HTTP, or TLS with a certificate made by
//! `rcgen` and trusted through `ca_bundle`).
//!
//! The endpoints use the host `dynamodb.proxytest.invalid`, which only the
//! test proxy knows (it maps it to the target): a call that succeeds proves
//! the client went through the proxy rather than resolving the name itself.

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::params;
use boto_runtime::config::{ProxyConfig, RetryMode};
use boto_runtime::{Client, ClientConfig, Error, ErrorKind};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const FAKE_HOST: &str = "dynamodb.proxytest.invalid";
const LIST_TABLES: &str = r#"{"TableNames":["t"]}"#;
const PASSWORD: &str = "s3cr3t p@ss";
const PASSWORD_ENCODED: &str = "s3cr3t%20p%40ss";

/// What the proxy was asked: the request line and its `Proxy-Authorization`.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    proxy_auth: Option<String>,
}

/// Reads up to the blank line; returns the head and any bytes read past it.
async fn read_head<S: AsyncRead + Unpin>(s: &mut S) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(pos + 4);
            return Some((String::from_utf8_lossy(&buf).into_owned(), rest));
        }
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The target: answers every request with a canned `ListTables`, then closes.
async fn serve_target<S: AsyncRead + AsyncWrite + Unpin>(mut s: S, log: Arc<Mutex<Vec<String>>>) {
    let Some((head, mut body)) = read_head(&mut s).await else {
        return;
    };
    let len: usize = header(&head, "content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut chunk = [0u8; 4096];
    while body.len() < len {
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    if let Ok(mut l) = log.lock() {
        l.push(head.lines().next().unwrap_or("").to_string());
    }
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: req-1\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{LIST_TABLES}",
        LIST_TABLES.len()
    );
    let _ = s.write_all(reply.as_bytes()).await;
    let _ = s.shutdown().await;
}

struct Target {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Target {
    /// A plain HTTP target, or a TLS one when `tls` is given.
    async fn start(tls: Option<tokio_rustls::TlsAcceptor>) -> Target {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind target");
        let addr = listener.local_addr().expect("target addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let l = log.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (l, tls) = (l.clone(), tls.clone());
                tokio::spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            if let Ok(s) = acceptor.accept(sock).await {
                                serve_target(s, l).await;
                            }
                        }
                        None => serve_target(sock, l).await,
                    }
                });
            }
        });
        Target { addr, log }
    }
    fn requests(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

/// A forward proxy: absolute-form requests are forwarded in origin form,
/// `CONNECT` opens a TCP tunnel. `FAKE_HOST` is mapped to `upstream`.
struct ForwardProxy {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl ForwardProxy {
    async fn start(upstream: SocketAddr, required_auth: Option<String>) -> ForwardProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(proxy_conn(sock, upstream, required_auth.clone(), s.clone()));
            }
        });
        ForwardProxy { addr, seen }
    }
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|l| l.clone()).unwrap_or_default()
    }
    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    fn url_with_auth(&self, password: &str) -> String {
        format!("http://alice:{password}@{}", self.addr)
    }
}

async fn proxy_conn(
    mut client: TcpStream,
    upstream: SocketAddr,
    required_auth: Option<String>,
    seen: Arc<Mutex<Vec<Seen>>>,
) {
    let Some((head, rest)) = read_head(&mut client).await else {
        return;
    };
    let line = head.lines().next().unwrap_or("").to_string();
    let proxy_auth = header(&head, "proxy-authorization").map(str::to_string);
    if let Ok(mut s) = seen.lock() {
        s.push(Seen {
            line: line.clone(),
            proxy_auth: proxy_auth.clone(),
        });
    }
    if required_auth.is_some() && proxy_auth != required_auth {
        let _ = client
            .write_all(
                b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"t\"\r\n\
                  Content-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await;
        return;
    }
    let mut parts = line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (authority, path) = if method == "CONNECT" {
        (target.to_string(), String::new())
    } else {
        let Some(no_scheme) = target.strip_prefix("http://") else {
            return;
        };
        let (a, p) = no_scheme.split_at(no_scheme.find('/').unwrap_or(no_scheme.len()));
        (
            a.to_string(),
            if p.is_empty() {
                "/".to_string()
            } else {
                p.to_string()
            },
        )
    };
    let dest = match authority.rsplit_once(':') {
        Some((host, _)) if host == FAKE_HOST => upstream.to_string(),
        _ => authority.clone(),
    };
    let Ok(mut up) = TcpStream::connect(&dest).await else {
        let _ = client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    };
    if method == "CONNECT" {
        if client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await
            .is_err()
        {
            return;
        }
    } else {
        let mut out = format!("{method} {path} HTTP/1.1\r\n");
        for l in head.lines().skip(1).filter(|l| !l.is_empty()) {
            if !l.to_ascii_lowercase().starts_with("proxy-authorization:") {
                out.push_str(l);
                out.push_str("\r\n");
            }
        }
        out.push_str("\r\n");
        if up.write_all(out.as_bytes()).await.is_err() {
            return;
        }
    }
    if up.write_all(&rest).await.is_err() {
        return;
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut up).await;
}

fn basic(user: &str, pass: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

fn client(endpoint: String, proxies: ProxyConfig, ca_bundle: Option<std::path::PathBuf>) -> Client {
    Client::builder("dynamodb")
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(endpoint),
            proxies,
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

fn http_proxy(url: String) -> ProxyConfig {
    ProxyConfig {
        http: Some(url),
        ..ProxyConfig::default()
    }
}

fn https_proxy(url: String) -> ProxyConfig {
    ProxyConfig {
        https: Some(url),
        ..ProxyConfig::default()
    }
}

async fn list_tables(c: &Client) -> Result<boto_model::Value, Error> {
    c.call("ListTables", params! {}).await
}

fn assert_lists_t(out: &boto_model::Value) {
    let names = out.get("TableNames").as_list().expect("TableNames");
    assert_eq!(names.len(), 1);
    assert_eq!(names[0].as_str(), Some("t"));
}

/// Neither the error's `Display` nor its `Debug` may carry the secret.
fn assert_no_secret(err: &Error, secret: &str) {
    let (shown, debug) = (err.report(), format!("{err:?}"));
    assert!(
        !shown.contains(secret) && !debug.contains(secret),
        "secret leaked: {shown} / {debug}"
    );
}

/// A TLS acceptor for `FAKE_HOST` and the PEM file of its (self-signed) certificate.
fn tls_target() -> (tokio_rustls::TlsAcceptor, std::path::PathBuf) {
    let ck = rcgen::generate_simple_self_signed(vec![FAKE_HOST.to_string()]).expect("rcgen");
    let cert = ck.cert.der().clone();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(ck.key_pair.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server cert");
    let path = std::env::temp_dir().join(format!(
        "boto-proxy-test-{}-{:?}.pem",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&path, ck.cert.pem()).expect("write CA bundle");
    (tokio_rustls::TlsAcceptor::from(Arc::new(config)), path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_endpoint_goes_through_http_proxy_in_absolute_form() {
    let target = Target::start(None).await;
    let proxy = ForwardProxy::start(target.addr, None).await;
    let port = target.addr.port();
    let c = client(
        format!("http://{FAKE_HOST}:{port}"),
        http_proxy(proxy.url()),
        None,
    );
    let out = list_tables(&c).await.expect("ListTables through the proxy");
    assert_lists_t(&out);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(
        seen[0].line,
        format!("POST http://{FAKE_HOST}:{port}/ HTTP/1.1")
    );
    assert_eq!(seen[0].proxy_auth, None);
    assert_eq!(target.requests(), vec!["POST / HTTP/1.1".to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_proxy_credentials_are_sent_and_never_shown() {
    let target = Target::start(None).await;
    let proxy = ForwardProxy::start(target.addr, Some(basic("alice", PASSWORD))).await;
    let endpoint = format!("http://{FAKE_HOST}:{}", target.addr.port());

    let good = client(
        endpoint.clone(),
        http_proxy(proxy.url_with_auth(PASSWORD_ENCODED)),
        None,
    );
    assert_lists_t(&list_tables(&good).await.expect("authenticated call"));
    assert_eq!(proxy.seen()[0].proxy_auth, Some(basic("alice", PASSWORD)));
    let config_debug = format!("{:?}", good.config());
    assert!(!config_debug.contains(PASSWORD_ENCODED), "{config_debug}");
    assert!(config_debug.contains("alice:***@"), "{config_debug}");

    let bad = client(endpoint, http_proxy(proxy.url_with_auth("wr0ngpass")), None);
    let err = list_tables(&bad).await.expect_err("407");
    assert_eq!(err.kind(), ErrorKind::Dispatch, "{err}");
    assert!(err.to_string().contains(&proxy.addr.to_string()), "{err}");
    assert!(err.to_string().contains("407"), "{err}");
    assert_no_secret(&err, "wr0ngpass");
    assert_eq!(
        target.requests().len(),
        1,
        "the rejected call never reached the target"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_proxy_bypasses_the_proxy() {
    let target = Target::start(None).await;
    let proxy = ForwardProxy::start(target.addr, None).await;
    for no_proxy in ["127.0.0.1", "example.com, 127.0.0.0/8", "*"] {
        let proxies = ProxyConfig {
            http: Some(proxy.url()),
            https: Some(proxy.url()),
            no_proxy: Some(no_proxy.to_string()),
        };
        let c = client(
            format!("http://127.0.0.1:{}", target.addr.port()),
            proxies,
            None,
        );
        assert_lists_t(&list_tables(&c).await.expect("direct call"));
    }
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
    assert_eq!(target.requests().len(), 3);

    // Loopback is not bypassed implicitly (urllib3 behaviour).
    let c = client(
        format!("http://127.0.0.1:{}", target.addr.port()),
        http_proxy(proxy.url()),
        None,
    );
    assert_lists_t(&list_tables(&c).await.expect("proxied call"));
    assert_eq!(proxy.seen().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_endpoint_tunnels_with_connect_and_verifies_the_target() {
    let (acceptor, ca) = tls_target();
    let target = Target::start(Some(acceptor)).await;
    let proxy = ForwardProxy::start(target.addr, Some(basic("alice", PASSWORD))).await;
    let port = target.addr.port();
    let endpoint = format!("https://{FAKE_HOST}:{port}");

    let c = client(
        endpoint.clone(),
        https_proxy(proxy.url_with_auth(PASSWORD_ENCODED)),
        Some(ca.clone()),
    );
    let result = list_tables(&c).await;
    let _ = std::fs::remove_file(&ca);
    assert_lists_t(&result.expect("ListTables over TLS through the tunnel"));
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].line, format!("CONNECT {FAKE_HOST}:{port} HTTP/1.1"));
    assert_eq!(
        seen[0].proxy_auth,
        Some(basic("alice", PASSWORD)),
        "credentials go on the CONNECT"
    );
    assert_eq!(
        target.requests(),
        vec!["POST / HTTP/1.1".to_string()],
        "origin form inside the tunnel"
    );

    // Without the CA the tunnel still opens, and TLS to the target fails cleanly.
    let untrusted = client(
        endpoint.clone(),
        https_proxy(proxy.url_with_auth(PASSWORD_ENCODED)),
        None,
    );
    let err = list_tables(&untrusted).await.expect_err("unknown issuer");
    assert_eq!(err.kind(), ErrorKind::Dispatch, "{err}");
    assert!(
        // Display is the error's own message; the cause is in the chain.
        err.report().to_ascii_lowercase().contains("certificate"),
        "{err}"
    );
    assert_no_secret(&err, PASSWORD_ENCODED);
    assert_eq!(proxy.seen().len(), 2);

    // A refused CONNECT names the proxy and the status, not the password.
    let refused = client(
        endpoint,
        https_proxy(proxy.url_with_auth("wr0ngpass")),
        None,
    );
    let err = list_tables(&refused).await.expect_err("407 on CONNECT");
    assert_eq!(err.kind(), ErrorKind::Dispatch, "{err}");
    let msg = err.report();
    assert!(
        msg.contains(&proxy.url()) && msg.contains("CONNECT") && msg.contains("407"),
        "{msg}"
    );
    assert_no_secret(&err, "wr0ngpass");
    assert_eq!(target.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_proxy_is_a_dispatch_error_naming_it() {
    let dead = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let dead_addr = dead.local_addr().expect("addr");
    drop(dead);
    let proxy_url = format!("http://bob:hunter2@{dead_addr}");
    let proxies = ProxyConfig {
        http: Some(proxy_url.clone()),
        https: Some(proxy_url),
        no_proxy: None,
    };
    for scheme in ["http", "https"] {
        let c = client(
            format!("{scheme}://{FAKE_HOST}:4566"),
            proxies.clone(),
            None,
        );
        let err = list_tables(&c).await.expect_err("proxy is down");
        assert_eq!(err.kind(), ErrorKind::Dispatch, "{err}");
        let msg = err.report();
        assert!(msg.contains(&format!("proxy http://{dead_addr}")), "{msg}");
        assert_no_secret(&err, "hunter2");
    }
}

#[test]
fn unsupported_proxy_scheme_fails_at_build_time() {
    let err = Client::builder("dynamodb")
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            proxies: https_proxy("socks5://bob:hunter2@127.0.0.1:1080".into()),
            ..ClientConfig::default()
        })
        .build()
        .expect_err("socks is not supported");
    assert_eq!(err.kind(), ErrorKind::Construction);
    assert!(err.to_string().contains("socks5"), "{err}");
    assert_no_secret(&err, "hunter2");
}
