//! `parseURL` and the URL helpers behind it.
//!
//! botocore builds `parseURL` on Python's `urllib.parse.urlparse`, so the
//! accepted inputs are defined by CPython's (fairly lenient) splitting rules
//! rather than by a strict URL grammar: host labels are not validated, a
//! `;params` suffix is cut from the path, a fragment is tolerated but a
//! query is rejected, and a non-numeric or out-of-range port is rejected.
//! This module reproduces those rules directly on the string so the common
//! case borrows from the input instead of allocating.

use std::net::Ipv6Addr;

use crate::value::{Str, Url};

/// RFC 3986 dot-segment removal, also collapsing empty segments (botocore's
/// `remove_dot_segments`).
pub(crate) fn remove_dot_segments(path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    let mut segs: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push('/');
    }
    out.push_str(&segs.join("/"));
    if path.ends_with('/') && !segs.is_empty() {
        out.push('/');
    }
    out
}

/// Python's `IPV4_RE`: four dot-separated groups of 1-3 ASCII digits.
pub(crate) fn is_ipv4_like(s: &str) -> bool {
    let mut n = 0;
    for part in s.split('.') {
        n += 1;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    n == 4
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._!-~".contains(&b)
}

/// Zone id per urllib3's `ZONE_ID_PAT` minus the leading `%`/`%25`.
fn valid_zone(z: &str) -> bool {
    let b = z.as_bytes();
    if b.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_unreserved(b[i]) {
            i += 1;
        } else if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            i += 3;
        } else {
            return false;
        }
    }
    true
}

/// Whether a bracket-less host is an IPv6 address with optional zone id.
fn is_ipv6_host(h: &str) -> bool {
    match h.split_once('%') {
        None => h.parse::<Ipv6Addr>().is_ok(),
        Some((addr, zone)) => {
            addr.parse::<Ipv6Addr>().is_ok()
                && (valid_zone(zone) || zone.strip_prefix("25").is_some_and(valid_zone))
        }
    }
}

/// Split `netloc` into (hostname, port) the way `SplitResult` does.
fn host_and_port(netloc: &str) -> (&str, &str) {
    let hostinfo = netloc.rsplit_once('@').map_or(netloc, |(_, h)| h);
    if let Some((_, bracketed)) = hostinfo.split_once('[') {
        let (host, rest) = bracketed.split_once(']').unwrap_or((bracketed, ""));
        let port = rest.split_once(':').map_or("", |(_, p)| p);
        (host, port)
    } else {
        hostinfo.split_once(':').unwrap_or((hostinfo, ""))
    }
}

/// `urlsplit`'s validation of bracketed hosts.
fn bracketed_netloc_ok(netloc: &str) -> bool {
    let has_open = netloc.contains('[');
    let has_close = netloc.contains(']');
    if has_open != has_close {
        return false;
    }
    if !has_open {
        return true;
    }
    let hostinfo = netloc.rsplit_once('@').map_or(netloc, |(_, h)| h);
    let Some((before, bracketed)) = hostinfo.split_once('[') else {
        return true;
    };
    if !before.is_empty() {
        return false;
    }
    let (host, port) = bracketed.split_once(']').unwrap_or((bracketed, ""));
    if !port.is_empty() && !port.starts_with(':') {
        return false;
    }
    if let Some(future) = host.strip_prefix('v') {
        // IPvFuture: v<hex>.<chars>
        return future
            .split_once('.')
            .is_some_and(|(h, r)| !h.is_empty() && !r.is_empty());
    }
    is_ipv6_host(host)
}

const SCHEME_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.";

/// Evaluate `parseURL`. `None` means "not a supported URL".
pub(crate) fn parse_url<'a>(input: &Str<'a>) -> Option<Url<'a>> {
    // urlsplit strips leading C0/space and drops tab/CR/LF anywhere.
    let has_unsafe = input.contains(['\t', '\r', '\n']);
    let stripped = input.trim_start_matches(|c: char| c <= ' ');
    let src: Str<'a> = if has_unsafe {
        Str::from(
            stripped
                .chars()
                .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
                .collect::<String>(),
        )
    } else {
        input.slice(input.len() - stripped.len()..input.len())
    };
    let s: &str = &src;

    // Scheme.
    let mut pos = 0;
    let mut scheme = "";
    if let Some(i) = s.find(':') {
        let cand = &s[..i];
        if i > 0
            && cand.as_bytes()[0].is_ascii_alphabetic()
            && cand.bytes().all(|b| SCHEME_CHARS.contains(&b))
        {
            scheme = cand;
            pos = i + 1;
        }
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }

    // Network location.
    let mut netloc = pos..pos;
    if s[pos..].starts_with("//") {
        let start = pos + 2;
        let end = s[start..]
            .find(['/', '?', '#'])
            .map_or(s.len(), |i| start + i);
        netloc = start..end;
        pos = end;
        if !bracketed_netloc_ok(&s[netloc.clone()]) {
            return None;
        }
    }

    // Fragment, query, then `;params`.
    let mut end = s[pos..].find('#').map_or(s.len(), |i| pos + i);
    if let Some(q) = s[pos..end].find('?') {
        if pos + q + 1 < end {
            return None; // non-empty query
        }
        end = pos + q;
    }
    let rest = &s[pos..end];
    let path_len = if rest.contains(';') {
        match rest.rfind('/') {
            Some(slash) => rest[slash..].find(';').map_or(rest.len(), |i| slash + i),
            None => rest.find(';').unwrap_or(rest.len()),
        }
    } else {
        rest.len()
    };
    let path = pos..pos + path_len;

    // Port must be numeric and in range when present.
    let netloc_str = &s[netloc.clone()];
    let (host, port) = host_and_port(netloc_str);
    if !port.is_empty() {
        if !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match port.parse::<u32>() {
            Ok(p) if p <= 65535 => {}
            _ => return None,
        }
    }

    let host_lower = host.to_ascii_lowercase();
    let is_ip = !host.is_empty()
        && (is_ipv4_like(&host_lower) || (!has_unsafe && is_ipv6_host(&host_lower)));

    let path_str = &s[path.clone()];
    let mut normalized = if path_str.is_empty() {
        "/".to_owned()
    } else {
        boto_util::percent::encode(&remove_dot_segments(path_str), b"/")
    };
    if !normalized.ends_with('/') {
        normalized.push('/');
    }

    Some(Url {
        scheme: if scheme == s[..scheme.len()] {
            src.slice(0..scheme.len())
        } else {
            Str::from(scheme)
        },
        authority: src.slice(netloc),
        path: src.slice(path),
        normalized_path: Str::from(normalized),
        is_ip,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Option<(String, String, String, String, bool)> {
        parse_url(&Str::Borrowed(s)).map(|u| {
            (
                u.scheme.to_string(),
                u.authority.to_string(),
                u.path.to_string(),
                u.normalized_path.to_string(),
                u.is_ip,
            )
        })
    }

    fn t(
        a: &str,
        b: &str,
        c: &str,
        d: &str,
        ip: bool,
    ) -> Option<(String, String, String, String, bool)> {
        Some((a.into(), b.into(), c.into(), d.into(), ip))
    }

    #[test]
    fn basic() {
        assert_eq!(
            parse("https://authority.com/custom-path"),
            t(
                "https",
                "authority.com",
                "/custom-path",
                "/custom-path/",
                false
            )
        );
        assert_eq!(
            parse("https://authority.com"),
            t("https", "authority.com", "", "/", false)
        );
        assert_eq!(
            parse("http://authority.com:8000/port"),
            t("http", "authority.com:8000", "/port", "/port/", false)
        );
        assert_eq!(
            parse("HTTPS://a.com/"),
            t("https", "a.com", "/", "/", false)
        );
    }

    #[test]
    fn rejects() {
        assert_eq!(parse("acbd://example.com"), None);
        assert_eq!(parse("http://abc.com:a/foo"), None);
        assert_eq!(parse("http://abc.com:70000/foo"), None);
        assert_eq!(parse("https://example.com/path?query1=foo"), None);
        assert_eq!(parse("https://[::1/x"), None);
        assert_eq!(parse("example.com"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn ip_addresses() {
        assert_eq!(
            parse("http://192.168.1.1:1234/foo/"),
            t("http", "192.168.1.1:1234", "/foo/", "/foo/", true)
        );
        assert_eq!(
            parse("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443"),
            t(
                "https",
                "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443",
                "",
                "/",
                true
            )
        );
        assert_eq!(parse("https://[fe80::1%25eth0]/").map(|u| u.4), Some(true));
        assert_eq!(parse("https://999.999.abc.blah").map(|u| u.4), Some(false));
        assert_eq!(parse("https://999.999.999.999").map(|u| u.4), Some(true));
    }

    #[test]
    fn paths() {
        assert_eq!(
            parse("https://a.com/x/../y//z/").map(|u| u.3),
            Some("/y/z/".into())
        );
        assert_eq!(
            parse("https://a.com/a b").map(|u| u.3),
            Some("/a%20b/".into())
        );
        assert_eq!(parse("https://a.com/p;x=1").map(|u| u.2), Some("/p".into()));
        assert_eq!(
            parse("https://a.com/p#frag").map(|u| u.2),
            Some("/p".into())
        );
        assert_eq!(parse("https://a.com/p?").map(|u| u.2), Some("/p".into()));
    }

    #[test]
    fn dot_segments() {
        assert_eq!(remove_dot_segments("/a/./b/../c"), "/a/c");
        assert_eq!(remove_dot_segments("/../"), "/");
    }
}
