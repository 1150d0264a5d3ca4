//! Building the canonical request and string to sign.
//!
//! Every rule here mirrors a line of botocore's `SigV4Auth` so that a request
//! signs byte-for-byte as boto3 would sign it: Python's `quote` for encoding,
//! `' '.join(value.split())` for header values, `remove_dot_segments` for
//! paths, tuple sorting for query parameters.

use std::borrow::Cow;

use ring::digest;

use super::{SigningError, ALGORITHM, EMPTY_SHA256_HASH};

/// Headers botocore never signs (`SIGNED_HEADERS_BLACKLIST`): hop-by-hop
/// headers a proxy may rewrite, plus ones clients change on retry.
pub(crate) const SIGNED_HEADERS_BLACKLIST: &[&str] = &[
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    push_hex(&mut s, bytes);
    s
}

fn push_hex(s: &mut String, bytes: &[u8]) {
    for &b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
}

/// Lowercase hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    if data.is_empty() {
        return EMPTY_SHA256_HASH.to_string();
    }
    hex(digest::digest(&digest::SHA256, data).as_ref())
}

/// botocore's `percent_encode`: UTF-8 then percent-encode everything except
/// the unreserved characters `A-Za-z0-9-_.~`.
pub fn percent_encode(input: &str) -> String {
    boto_util::percent::encode(input, b"")
}

pub(crate) fn encode_query_component(input: &str) -> String {
    percent_encode(input)
}

/// botocore's `remove_dot_segments` (RFC 3986 5.2.4 plus collapsing `//`).
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let first = if path.starts_with('/') { "/" } else { "" };
    let last = if path.ends_with('/') && !out.is_empty() {
        "/"
    } else {
        ""
    };
    let mut s = String::with_capacity(path.len() + 1);
    s.push_str(first);
    s.push_str(&out.join("/"));
    s.push_str(last);
    s
}

/// The canonical URI: empty becomes `/`; otherwise normalised and encoded
/// again unless the settings (S3) say to sign the path exactly as sent.
pub(crate) fn canonical_path(path: &str, normalize: bool, double_encode: bool) -> Cow<'_, str> {
    if path.is_empty() {
        return Cow::Borrowed("/");
    }
    let normalized: Cow<'_, str> = if normalize {
        Cow::Owned(remove_dot_segments(path))
    } else {
        Cow::Borrowed(path)
    };
    let encoded = if double_encode {
        let mut s = String::with_capacity(normalized.len() + 8);
        boto_util::percent::encode_into(&mut s, &normalized, b"/~");
        Cow::Owned(s)
    } else {
        normalized
    };
    if encoded.is_empty() {
        Cow::Borrowed("/")
    } else {
        encoded
    }
}

/// Host header value from a URL authority, like botocore's `_host_from_url`:
/// userinfo dropped, host lowercased, default port (80/443) dropped.
pub(crate) fn host_from_authority(scheme: &str, authority: &str) -> Result<String, SigningError> {
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let (h, after) = rest.split_once(']').ok_or(SigningError::InvalidUrl {
            reason: "unterminated IPv6 literal",
        })?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or(SigningError::InvalidUrl {
                reason: "junk after IPv6 literal",
            })?),
        };
        (format!("[{}]", h.to_ascii_lowercase()), port)
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
            None => (hostport.to_ascii_lowercase(), None),
        }
    };
    if host.is_empty() {
        return Err(SigningError::InvalidUrl {
            reason: "missing host",
        });
    }
    let port = match port {
        None | Some("") => return Ok(host),
        Some(p) => p.parse::<u16>().map_err(|_| SigningError::InvalidUrl {
            reason: "port is not a number in 0..=65535",
        })?,
    };
    let default = if scheme.eq_ignore_ascii_case("http") {
        Some(80)
    } else if scheme.eq_ignore_ascii_case("https") {
        Some(443)
    } else {
        None
    };
    let mut host = host;
    if default != Some(port) {
        use std::fmt::Write as _;
        let _ = write!(host, ":{port}");
    }
    Ok(host)
}

/// Python's `str.split()` whitespace (includes the ASCII separators 0x1C..0x1F
/// that Rust's `char::is_whitespace` does not).
fn is_py_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Appends `' '.join(value.split())` to `out`: trimmed, internal whitespace
/// runs collapsed (this also unfolds obsolete multi-line header values).
fn push_trimmed(out: &mut String, value: &str) {
    let mut first = true;
    for word in value.split(is_py_whitespace).filter(|w| !w.is_empty()) {
        if !first {
            out.push(' ');
        }
        out.push_str(word);
        first = false;
    }
}

/// Reject header names that cannot be signed or sent.
pub(crate) fn check_header_name(name: &str) -> Result<(), SigningError> {
    if name.is_empty()
        || name
            .chars()
            .any(|c| c == ':' || c.is_whitespace() || c.is_control())
    {
        return Err(SigningError::InvalidHeaderName {
            name: name.escape_debug().to_string(),
        });
    }
    Ok(())
}

/// UTF-8 view of a header value.
pub(crate) fn header_value_str<'v>(name: &str, value: &'v [u8]) -> Result<&'v str, SigningError> {
    std::str::from_utf8(value).map_err(|_| SigningError::InvalidHeaderValue {
        name: name.escape_debug().to_string(),
    })
}

/// Whether botocore leaves header `name` (any case) unsigned.
pub(crate) fn is_blacklisted(name: &str) -> bool {
    if name.is_ascii() {
        SIGNED_HEADERS_BLACKLIST
            .iter()
            .any(|b| b.eq_ignore_ascii_case(name))
    } else {
        SIGNED_HEADERS_BLACKLIST.contains(&name.to_lowercase().as_str())
    }
}

/// Headers to sign, already filtered, as (lowercase name, raw value),
/// borrowed from the request. Names that need lowercasing are copied into
/// one shared buffer, not a string each.
#[derive(Default)]
pub(crate) struct HeaderSet<'a> {
    lowered: String,
    entries: Vec<(Name<'a>, &'a str)>,
}

/// A lowercase header name: the request's own, or a range of `lowered`.
#[derive(Clone, Copy)]
enum Name<'a> {
    Borrowed(&'a str),
    Lowered(u32, u32),
}

fn resolve<'s>(lowered: &'s str, n: &Name<'s>) -> &'s str {
    match *n {
        Name::Borrowed(s) => s,
        Name::Lowered(a, b) => &lowered[a as usize..b as usize],
    }
}

impl<'a> HeaderSet<'a> {
    /// Room for `n` headers.
    pub(crate) fn with_capacity(n: usize) -> Self {
        HeaderSet {
            lowered: String::new(),
            entries: Vec::with_capacity(n),
        }
    }

    pub(crate) fn push(&mut self, name: &'a str, value: &'a str) {
        let name = if name.is_ascii() && !name.bytes().any(|b| b.is_ascii_uppercase()) {
            Name::Borrowed(name)
        } else {
            if self.lowered.capacity() == 0 {
                self.lowered.reserve(256);
            }
            let start = self.lowered.len() as u32;
            if name.is_ascii() {
                self.lowered
                    .extend(name.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                self.lowered.push_str(&name.to_lowercase());
            }
            Name::Lowered(start, self.lowered.len() as u32)
        };
        self.entries.push((name, value));
    }

    pub(crate) fn contains(&self, lower_name: &str) -> bool {
        self.entries
            .iter()
            .any(|(n, _)| resolve(&self.lowered, n) == lower_name)
    }

    /// (canonical header block, signed header list). Values of repeated
    /// names are trimmed and comma-joined in the order they were added.
    pub(crate) fn canonicalize(mut self) -> (String, String) {
        let lowered = self.lowered.as_str();
        let name = |n: &Name<'a>| resolve(lowered, n);
        // Stable: the values of a repeated name keep their order.
        self.entries.sort_by(|a, b| name(&a.0).cmp(name(&b.0)));
        // Sized once: names and values, a separator each.
        let names: usize = self.entries.iter().map(|(n, _)| name(n).len() + 1).sum();
        let values: usize = self.entries.iter().map(|(_, v)| v.len() + 1).sum();
        let mut block = String::with_capacity(names + values);
        let mut signed = String::with_capacity(names);
        let mut prev: Option<&str> = None;
        for (n, value) in &self.entries {
            let n = name(n);
            if prev == Some(n) {
                block.push(',');
            } else {
                if prev.is_some() {
                    block.push('\n');
                    signed.push(';');
                }
                block.push_str(n);
                block.push(':');
                signed.push_str(n);
                prev = Some(n);
            }
            push_trimmed(&mut block, value);
        }
        (block, signed)
    }
}

/// Sorted `k=v&...` from percent-encoded pairs (by name, then value).
pub(crate) fn canonical_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    sorted.sort_unstable();
    let mut out = String::new();
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Assemble the canonical request from its already-canonical parts.
pub(crate) fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    header_block: &str,
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    let method = method.to_uppercase();
    let mut cr = String::with_capacity(
        method.len() + path.len() + query.len() + header_block.len() + signed_headers.len() + 72,
    );
    for part in [&method[..], path, query, header_block] {
        cr.push_str(part);
        cr.push('\n');
    }
    cr.push('\n');
    cr.push_str(signed_headers);
    cr.push('\n');
    cr.push_str(payload_hash);
    cr
}

/// `date/region/service/aws4_request`.
pub(crate) fn credential_scope(date: &str, region: &str, service: &str) -> String {
    const TAIL: &str = "/aws4_request";
    let mut s = String::with_capacity(date.len() + region.len() + service.len() + 2 + TAIL.len());
    for (i, part) in [date, region, service].into_iter().enumerate() {
        if i > 0 {
            s.push('/');
        }
        s.push_str(part);
    }
    s.push_str(TAIL);
    s
}

/// `ALGORITHM`, the date, the scope and the canonical request's hex SHA-256,
/// one per line, written into one presized string.
pub(crate) fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    let mut s = String::with_capacity(ALGORITHM.len() + amz_date.len() + scope.len() + 3 + 64);
    for part in [ALGORITHM, amz_date, scope] {
        s.push_str(part);
        s.push('\n');
    }
    push_hex(
        &mut s,
        digest::digest(&digest::SHA256, canonical_request.as_bytes()).as_ref(),
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(canonical_path("", true, true), "/");
        assert_eq!(canonical_path("", false, false), "/");
        assert_eq!(canonical_path("//example//", true, true), "/example/");
        assert_eq!(canonical_path("/example1/example2/../..", true, true), "/");
        assert_eq!(canonical_path("/a%20b/$x", true, true), "/a%2520b/%24x");
        assert_eq!(
            canonical_path("/a%20b/../c//", false, false),
            "/a%20b/../c//"
        );
    }

    #[test]
    fn hosts() {
        let h = |s, a| host_from_authority(s, a).unwrap();
        assert_eq!(h("https", "Example.COM:443"), "example.com");
        assert_eq!(h("http", "example.com:443"), "example.com:443");
        assert_eq!(h("http", "user:pw@example.com:80"), "example.com");
        assert_eq!(h("https", "[::1]:8443"), "[::1]:8443");
        assert_eq!(h("https", "[::1]"), "[::1]");
        assert_eq!(h("HTTP", "h:80"), "h");
        assert_eq!(h("ftp", "h:21"), "h:21");
        assert!(host_from_authority("https", "example.com:xx").is_err());
        assert!(host_from_authority("https", "[::1").is_err());
    }

    #[test]
    fn trimming_and_encoding() {
        let mut out = String::from("x:");
        push_trimmed(&mut out, "  a   b \r\n\t c\u{1f}d ");
        assert_eq!(out, "x:a b c d");
        assert_eq!(percent_encode("a b/ሴ~-_.*"), "a%20b%2F%E1%88%B4~-_.%2A");
        assert_eq!(
            canonical_query(&[("b", "1"), ("a", "2"), ("a", "1")]),
            "a=1&a=2&b=1"
        );
    }
}
