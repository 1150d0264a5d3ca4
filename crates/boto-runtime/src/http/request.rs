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

/// [`request_parts`] from a borrowed request (`HttpClient::send_ref`):
/// the URL and each header value copied once, known names not at all.
pub(super) fn request_parts_ref(
    method: &str,
    url: &str,
    headers: &[(String, String)],
) -> Result<http::request::Parts, http::Error> {
    let mut parts = new_parts(method, http::Uri::try_from(url)?, headers.len())?;
    for (k, v) in headers {
        parts
            .headers
            .append(header_name(k)?, http::HeaderValue::from_str(v)?);
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
    Ok(
        match KNOWN_NAMES.iter().find(|n| n.eq_ignore_ascii_case(k)) {
            Some(n) => http::HeaderName::from_static(n),
            None => http::HeaderName::from_bytes(k.as_bytes())?,
        },
    )
}

/// Header names every signed call sends that `http` has no constant for:
/// named from static lowercase text they cost no allocation
/// (`HeaderName::from_bytes` copies a name it does not know).
const KNOWN_NAMES: [&str; 7] = [
    "x-amz-date",
    "x-amz-content-sha256",
    "x-amz-security-token",
    "x-amz-target",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "x-amz-user-agent",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_parts_keeps_every_header_whatever_its_case() {
        let headers = KNOWN_NAMES
            .iter()
            .map(|n| (n.to_ascii_uppercase(), format!("v-{n}")))
            .chain([("X-Custom".to_string(), "c".to_string())])
            .collect();
        let borrowed: Vec<(String, String)> = headers;
        let owned = request_parts("POST".into(), "http://h:1/p?q".into(), borrowed.clone());
        let copied = request_parts_ref("POST", "http://h:1/p?q", &borrowed);
        for parts in [owned.expect("valid"), copied.expect("valid")] {
            for n in KNOWN_NAMES {
                assert_eq!(parts.headers[n], format!("v-{n}").as_str());
            }
            assert_eq!(parts.headers["x-custom"], "c");
            assert_eq!(parts.uri.path_and_query().unwrap().as_str(), "/p?q");
        }
        assert!(request_parts_ref("GET", "http://h/", &[("a b".into(), "v".into())]).is_err());
        assert!(request_parts(
            "GET".into(),
            "http://h/".into(),
            vec![("a b".into(), "v".into())]
        )
        .is_err());
    }
}
