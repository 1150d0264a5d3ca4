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
    let mut parts = new_parts(&method, http::Uri::try_from(url)?, headers.len())?;
    for (k, v) in headers {
        let value = http::HeaderValue::from_maybe_shared(Bytes::from(v))?;
        parts.headers.append(header_name(&k)?, value);
    }
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
    Ok(parts)
}

/// Empty request parts with the method and URI set, room for `n` headers.
fn new_parts(method: &str, uri: http::Uri, n: usize) -> Result<http::request::Parts, http::Error> {
    let (mut parts, ()) = http::Request::new(()).into_parts();
    parts.method = http::Method::from_bytes(method.as_bytes())?;
    parts.uri = uri;
    parts.headers.reserve(n);
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
}
