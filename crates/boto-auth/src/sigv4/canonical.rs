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
    // A digest at a time through a stack buffer: one capacity check and one
    // copy, not two `push`es per byte.
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(32) {
        for (pair, &b) in buf.chunks_exact_mut(2).zip(chunk) {
            pair[0] = HEX[(b >> 4) as usize];
            pair[1] = HEX[(b & 15) as usize];
        }
        let hex = &buf[..chunk.len() * 2];
        // Every byte is one of `HEX`'s ASCII digits.
        s.push_str(std::str::from_utf8(hex).unwrap_or_default());
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
    if is_canonical_path(path) {
        return Cow::Borrowed(path);
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

/// A path both transformations of [`canonical_path`] leave as it is: it
/// starts with `/`, holds only unreserved characters and `/`, and has no
/// empty, `.` or `..` segment (a trailing `/` aside). Most request paths
/// (`/`, `/bucket/key.txt`) are; they are then signed without a copy.
fn is_canonical_path(path: &str) -> bool {
    let b = path.as_bytes();
    b.first() == Some(&b'/')
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~' | b'/'))
        && {
            // The last segment is empty for `/` and a trailing `/`; no other may be.
            let mut segments = path[1..].split('/').rev();
            let last = segments.next().unwrap_or_default();
            !matches!(last, "." | "..") && segments.all(|seg| !matches!(seg, "" | "." | ".."))
        }
}

/// Host header value from a URL authority, like botocore's `_host_from_url`:
/// userinfo dropped, host lowercased, default port (80/443) dropped.
/// An authority that is already in that form (the usual case) is returned
/// as it is, without a copy.
pub(crate) fn host_from_authority<'a>(
    scheme: &str,
    authority: &'a str,
) -> Result<Cow<'a, str>, SigningError> {
    if let Some(host) = plain_host(scheme, authority) {
        return Ok(Cow::Borrowed(host));
    }
    host_from_authority_owned(scheme, authority).map(Cow::Owned)
}

/// The fast path of [`host_from_authority`]: no userinfo, no IPv6 literal,
/// nothing to lowercase, and a port (if any) that is a number other than
/// the scheme's default. Anything else is `None` and takes the full path.
fn plain_host<'a>(scheme: &str, authority: &'a str) -> Option<&'a str> {
    let b = authority.as_bytes();
    if b.is_empty()
        || !b.iter().all(|&c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'-' | b':')
        })
    {
        return None;
    }
    match authority.split_once(':') {
        None => Some(authority),
        Some(("", _)) => None,
        Some((_, port)) => {
            // Written as Python's `%d` writes it back: no leading zero.
            let canonical = !port.is_empty() && (port == "0" || !port.starts_with('0'));
            let port = (canonical && port.bytes().all(|c| c.is_ascii_digit()))
                .then(|| port.parse::<u16>().ok())??;
            let default = match scheme {
                "http" => 80,
                "https" => 443,
                _ => return None,
            };
            (port != default).then_some(authority)
        }
    }
}

fn host_from_authority_owned(scheme: &str, authority: &str) -> Result<String, SigningError> {
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
    // Printable ASCII with no space at either end and no two in a row (every
    // header boto-rs sets itself) is already in that form.
    let b = value.as_bytes();
    if b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && b.iter().all(|c| (0x20..0x7f).contains(c))
        && !b.windows(2).any(|w| w == b"  ")
    {
        out.push_str(value);
        return;
    }
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
    let ascii_ok = |c: &u8| c.is_ascii_graphic() && *c != b':';
    if name.is_empty()
        || (!name.bytes().all(|c| ascii_ok(&c))
            && name
                .chars()
                .any(|c| c == ':' || c.is_whitespace() || c.is_control()))
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
                self.lowered.push_str(name);
                self.lowered[start as usize..].make_ascii_lowercase();
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
    let method: Cow<'_, str> = if method.bytes().any(|b| !b.is_ascii_uppercase()) {
        Cow::Owned(method.to_uppercase())
    } else {
        Cow::Borrowed(method)
    };
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
#[path = "canonical_tests.rs"]
mod tests;
