//! The request line and headers as hyper takes them, built from boto's
//! owned [`HttpRequest`](super::HttpRequest) parts without copying them again
//! (`http::Request::builder` copied every header value from a `&str`; per
//! call, that was one allocation per header on top of the signer's).

use bytes::Bytes;

/// The URL and the header values move into `Bytes` as they are; names are
/// checked and lowercased as `http::Request::builder` did.
pub(super) fn request_parts(
    method: String,
    url: String,
    headers: Vec<(String, String)>,
) -> Result<http::request::Parts, http::Error> {
    let host = host_range(&url);
    let url = Bytes::from(url);
    let mut parts = new_parts(
        &method,
        http::Uri::from_maybe_shared(url.clone())?,
        headers.len(),
    )?;
    for (k, v) in headers {
        let value = http::HeaderValue::from_maybe_shared(Bytes::from(v))?;
        parts.headers.append(header_name(&k)?, value);
    }
    add_host(&mut parts, &url, host)?;
    Ok(parts)
}

/// [`request_parts`] from a borrowed request (`HttpClient::send_ref`): the
/// URL and every header value copied once, into one buffer that becomes one
/// `Bytes`; the URI and each value are slices of it (two allocations in all,
/// where a `Bytes` per value and for the URL took one each). Known names
/// are not copied at all.
pub(super) fn request_parts_ref(
    method: &str,
    url: &str,
    headers: &[(String, String)],
) -> Result<http::request::Parts, http::Error> {
    let len = url.len() + headers.iter().map(|(_, v)| v.len()).sum::<usize>();
    let mut text = Vec::with_capacity(len);
    text.extend_from_slice(url.as_bytes());
    for (_, v) in headers {
        text.extend_from_slice(v.as_bytes());
    }
    let text = Bytes::from(text);
    let uri = http::Uri::from_maybe_shared(text.slice(..url.len()))?;
    let mut parts = new_parts(method, uri, headers.len())?;
    let mut at = url.len();
    for (k, v) in headers {
        let value = http::HeaderValue::from_maybe_shared(text.slice(at..at + v.len()))?;
        at += v.len();
        parts.headers.append(header_name(k)?, value);
    }
    add_host(&mut parts, &text, host_range(url))?;
    Ok(parts)
}

/// Sets `Host` as hyper-util would (the URI's host, and its port unless it
/// is the scheme's default), unless the request names one itself, from
/// `range` of `text` (the URL's bytes), with no copy: hyper-util formatted
/// `host:port` into a new string for every request (about 700 instructions
/// a call, `bench/regress.md` session 23).
fn add_host(
    parts: &mut http::request::Parts,
    text: &Bytes,
    range: Option<std::ops::Range<usize>>,
) -> Result<(), http::Error> {
    let Some(range) = range else {
        // No authority (not an absolute URL): hyper-util refuses it anyway.
        return Ok(());
    };
    if !parts.headers.contains_key(http::header::HOST) {
        let value = http::HeaderValue::from_maybe_shared(text.slice(range))?;
        parts.headers.insert(http::header::HOST, value);
    }
    Ok(())
}

/// Where in `url` the `Host` value is: the authority without user
/// information, and without the port when it is the scheme's default (80
/// for `http`, 443 for `https`), as hyper-util's `set_host` writes it.
fn host_range(url: &str) -> Option<std::ops::Range<usize>> {
    let (scheme, rest) = url.split_once("://")?;
    let start = scheme.len() + 3;
    let len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..len];
    let (start, authority) = match authority.rfind('@') {
        Some(at) => (start + at + 1, &authority[at + 1..]),
        None => (start, authority),
    };
    if authority.is_empty() {
        return None;
    }
    // A port follows the last `:` outside an IPv6 literal's brackets.
    let port_at = authority
        .rfind(':')
        .filter(|&c| !authority[c..].contains(']'));
    let end = match port_at {
        Some(c) => {
            let secure = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("wss");
            let default: u16 = if secure { 443 } else { 80 };
            let port = &authority[c + 1..];
            if port.is_empty() || port.parse::<u16>().ok() == Some(default) {
                c
            } else {
                authority.len()
            }
        }
        None => authority.len(),
    };
    Some(start..start + end)
}

/// Empty request parts with the method and URI set, room for `n` headers
/// and `Host` (which [`add_host`] adds last: without the room, the map grew
/// for it, one more allocation per request).
fn new_parts(method: &str, uri: http::Uri, n: usize) -> Result<http::request::Parts, http::Error> {
    let (mut parts, ()) = http::Request::new(()).into_parts();
    parts.method = http::Method::from_bytes(method.as_bytes())?;
    parts.uri = uri;
    parts.headers.reserve(n + 1);
    Ok(parts)
}

fn header_name(k: &str) -> Result<http::HeaderName, http::Error> {
    Ok(match known_name(k) {
        Some(name) => name.clone(),
        None => http::HeaderName::from_bytes(k.as_bytes())?,
    })
}

/// The static name for `k` if it is one of [`KNOWN_NAMES`], whatever its case:
/// lowercased on the stack once, then compared byte for byte (most entries
/// differ in length), not case-insensitively entry by entry.
fn known_name(k: &str) -> Option<&'static http::HeaderName> {
    let mut buf = [0u8; 24];
    let lower = buf.get_mut(..k.len())?;
    for (d, c) in lower.iter_mut().zip(k.as_bytes()) {
        *d = c.to_ascii_lowercase();
    }
    KNOWN_NAMES
        .iter()
        .find(|(n, _)| n.as_bytes() == &*lower)
        .map(|(_, name)| name)
}

/// Header names every signed call sends, as `http` names made from static
/// text: cloning one costs no allocation, and no parse of a mixed-case name
/// (`HeaderName::from_bytes` lowercases into a buffer and looks the name up,
/// and copies a name it has no constant for).
static KNOWN_NAMES: [(&str, http::HeaderName); 11] = [
    ("authorization", http::header::AUTHORIZATION),
    ("content-length", http::header::CONTENT_LENGTH),
    ("content-type", http::header::CONTENT_TYPE),
    ("user-agent", http::header::USER_AGENT),
    ("x-amz-date", http::HeaderName::from_static("x-amz-date")),
    (
        "x-amz-content-sha256",
        http::HeaderName::from_static("x-amz-content-sha256"),
    ),
    (
        "x-amz-security-token",
        http::HeaderName::from_static("x-amz-security-token"),
    ),
    (
        "x-amz-target",
        http::HeaderName::from_static("x-amz-target"),
    ),
    (
        "amz-sdk-invocation-id",
        http::HeaderName::from_static("amz-sdk-invocation-id"),
    ),
    (
        "amz-sdk-request",
        http::HeaderName::from_static("amz-sdk-request"),
    ),
    (
        "x-amz-user-agent",
        http::HeaderName::from_static("x-amz-user-agent"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_parts_keeps_every_header_whatever_its_case() {
        let headers = KNOWN_NAMES
            .iter()
            .map(|(n, _)| (n.to_ascii_uppercase(), format!("v-{n}")))
            .chain([("X-Custom".to_string(), "c".to_string())])
            .collect();
        let borrowed: Vec<(String, String)> = headers;
        let owned = request_parts("POST".into(), "http://h:1/p?q".into(), borrowed.clone());
        let copied = request_parts_ref("POST", "http://h:1/p?q", &borrowed);
        for parts in [owned.expect("valid"), copied.expect("valid")] {
            for (n, name) in &KNOWN_NAMES {
                assert_eq!(name.as_str(), *n);
                assert_eq!(known_name(&n.to_ascii_uppercase()), Some(name));
                assert_eq!(parts.headers[*n], format!("v-{n}").as_str());
            }
            assert_eq!(parts.headers["x-custom"], "c");
            assert_eq!(parts.uri.path_and_query().unwrap().as_str(), "/p?q");
        }
        // Other names, short or longer than the lowercasing buffer, are parsed.
        for other in [
            "x-amz-meta-a",
            "X-Amz-Server-Side-Encryption-Customer-Key-MD5",
            "",
        ] {
            assert_eq!(known_name(other), None);
        }
        let long = "X-Amz-Server-Side-Encryption-Customer-Key-MD5";
        assert_eq!(
            header_name(long).unwrap().as_str(),
            long.to_ascii_lowercase()
        );
        assert!(request_parts_ref("GET", "http://h/", &[("a b".into(), "v".into())]).is_err());
        // A value with a line break, and a URL that is not one, are errors
        // from the shared buffer as from separate copies.
        assert!(
            request_parts_ref("GET", "http://h/", &[("a".into(), "v\r\nx: y".into())]).is_err()
        );
        assert!(request_parts_ref("GET", "http://h /", &[]).is_err());
        // Empty values and values around them keep their own bytes.
        let parts = request_parts_ref(
            "GET",
            "https://h.example/k?x=1",
            &[
                ("a".into(), "".into()),
                ("b".into(), "bee".into()),
                ("c".into(), "".into()),
            ],
        )
        .expect("valid");
        assert_eq!(parts.headers["a"], "");
        assert_eq!(parts.headers["b"], "bee");
        assert_eq!(parts.headers["c"], "");
        assert_eq!(parts.uri.host(), Some("h.example"));
        assert_eq!(parts.uri.path_and_query().unwrap().as_str(), "/k?x=1");
        assert!(request_parts(
            "GET".into(),
            "http://h/".into(),
            vec![("a b".into(), "v".into())]
        )
        .is_err());
    }

    /// `Host` is what hyper-util's `set_host` would write: the host, and the
    /// port unless it is the scheme's default; a request's own is kept.
    #[test]
    fn host_is_set_as_hyper_util_sets_it() {
        for (url, host) in [
            ("http://h:1/p?q", "h:1"),
            ("https://h.example/k", "h.example"),
            ("https://h.example:443/k", "h.example"),
            ("HTTPS://h.example:0443", "h.example"),
            ("http://h:80", "h"),
            ("http://h:443/", "h:443"),
            ("https://h:80/", "h:80"),
            ("http://127.0.0.1:8080?x", "127.0.0.1:8080"),
            ("https://[::1]:8443/x", "[::1]:8443"),
            ("http://[::1]/", "[::1]"),
            ("https://[fe80::1]:443/", "[fe80::1]"),
            ("http://user:pw@h:81/", "h:81"),
            ("http://h#frag", "h"),
        ] {
            let owned = request_parts("GET".into(), url.into(), vec![]).expect(url);
            let copied = request_parts_ref("GET", url, &[]).expect(url);
            for parts in [owned, copied] {
                let all: Vec<_> = parts.headers.get_all("host").iter().collect();
                assert_eq!(all, [host], "{url}");
                // What hyper-util computes from the parsed URI.
                let uri = &parts.uri;
                let want = match (uri.port_u16(), uri.scheme_str()) {
                    (Some(443), Some("https")) | (Some(80), Some("http")) | (None, _) => {
                        uri.host().unwrap().to_string()
                    }
                    (Some(p), _) => format!("{}:{p}", uri.host().unwrap()),
                };
                assert_eq!(
                    host.to_ascii_lowercase(),
                    want.to_ascii_lowercase(),
                    "{url}"
                );
            }
        }
        let own = [("Host".to_string(), "other.example".to_string())];
        for parts in [
            request_parts("GET".into(), "http://h:1/".into(), own.to_vec()).unwrap(),
            request_parts_ref("GET", "http://h:1/", &own).unwrap(),
        ] {
            let all: Vec<_> = parts.headers.get_all("host").iter().collect();
            assert_eq!(all, ["other.example"]);
        }
    }
}
