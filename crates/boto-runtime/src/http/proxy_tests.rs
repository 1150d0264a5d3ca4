//! Tests of proxy settings: URL parsing, passwords masked, routing by scheme and `no_proxy`.

use super::*;

fn routes(http: &str, https: &str, no_proxy: &str) -> ProxyRoutes {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let cfg = ProxyConfig {
        http: opt(http),
        https: opt(https),
        no_proxy: opt(no_proxy),
    };
    match ProxyRoutes::from_config(&cfg) {
        Ok(Some(r)) => r,
        other => panic!("expected routes, got {other:?}"),
    }
}

fn via(r: &ProxyRoutes, url: &str) -> Option<String> {
    let uri: Uri = url.parse().expect("test URL parses");
    r.route(&uri).map(|p| p.name.clone())
}

#[test]
fn parses_proxy_urls_like_botocore() {
    let p = Proxy::parse("proxy.corp:3128").expect("parses");
    assert_eq!(p.name, "http://proxy.corp:3128");
    assert!(p.auth.is_none());
    let p = Proxy::parse("//proxy.corp").expect("parses");
    assert_eq!(p.name, "http://proxy.corp:80");
    let p = Proxy::parse("http://us%40er:p%3Ass@[::1]:8080/ignored").expect("parses");
    assert_eq!(p.name, "http://[::1]:8080");
    let auth = p.auth.expect("has auth");
    assert!(auth.is_sensitive());
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("us@er:p:ss")
    );
    assert_eq!(auth.to_str().ok(), Some(expected.as_str()));
    let p = Proxy::parse("http://user@proxy:1").expect("parses");
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("user:")
    );
    assert_eq!(
        p.auth.as_ref().and_then(|a| a.to_str().ok()),
        Some(expected.as_str())
    );
}

#[test]
fn rejects_unsupported_proxies_without_leaking_passwords() {
    for bad in [
        "socks5://u:hunter2@proxy:1080",
        "https://u:hunter2@proxy:443",
        "http://u:hunter2@proxy:notaport",
    ] {
        let err = Proxy::parse(bad).expect_err(bad);
        assert_eq!(err.kind(), crate::ErrorKind::Construction);
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}

#[test]
fn debug_masks_passwords() {
    let cfg = ProxyConfig {
        http: Some("http://bob:hunter2@proxy:3128".into()),
        https: Some("tokenonly@proxy:3128".into()),
        no_proxy: None,
    };
    let dbg = format!("{cfg:?}");
    assert!(
        !dbg.contains("hunter2") && !dbg.contains("tokenonly"),
        "{dbg}"
    );
    assert!(dbg.contains("http://bob:***@proxy:3128"), "{dbg}");
    assert_eq!(redact_proxy_url("http://proxy:1/x"), "http://proxy:1/x");
    assert_eq!(
        redact_proxy_url("http://a:b@c@proxy:1"),
        "http://a:***@proxy:1"
    );
}

#[test]
fn routes_by_scheme() {
    let r = routes("http://hp:1", "http://sp:2", "");
    assert_eq!(
        via(&r, "http://a.example.com/").as_deref(),
        Some("http://hp:1")
    );
    assert_eq!(
        via(&r, "https://a.example.com/").as_deref(),
        Some("http://sp:2")
    );
    let only_http = routes("http://hp:1", "", "");
    assert_eq!(via(&only_http, "https://a.example.com/"), None);
    assert!(ProxyRoutes::from_config(&ProxyConfig::default())
        .expect("ok")
        .is_none());
    assert!(ProxyConfig {
        http: Some(" ".into()),
        ..Default::default()
    }
    .is_empty());
}

#[test]
fn no_proxy_matching() {
    let r = routes(
        "http://p:1",
        "http://p:1",
        " .Example.com, internal ,10.0.0.0/8,192.168.1.5, [::1], svc:8080, fd00::/8",
    );
    let bypassed = [
        "https://example.com/",
        "https://a.b.example.com/",
        "https://EXAMPLE.COM./",
        "http://internal/",
        "http://x.internal/",
        "http://10.1.2.3/",
        "http://192.168.1.5:9000/",
        "http://[::1]:8000/",
        "http://svc:8080/",
        "http://[fd00::1]/",
    ];
    for url in bypassed {
        assert_eq!(via(&r, url), None, "{url} should bypass the proxy");
    }
    let proxied = [
        "https://notexample.com/",
        "https://example.com.evil.net/",
        "http://11.1.2.3/",
        "http://192.168.1.6/",
        "http://svc:8081/",
        "http://localhost/",
        "http://127.0.0.1/",
    ];
    for url in proxied {
        assert!(via(&r, url).is_some(), "{url} should use the proxy");
    }
    let all = routes("http://p:1", "", "foo, *");
    assert_eq!(via(&all, "http://anything/"), None);
}

#[test]
fn percent_decoding() {
    assert_eq!(percent::decode("a%20b%zz%4"), "a b%zz%4");
    assert_eq!(percent::decode("%"), "%");
}
