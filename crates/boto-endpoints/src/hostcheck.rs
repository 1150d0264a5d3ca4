//! What may end up in the host of a signed request.
//!
//! A region is pasted into endpoint templates as is (`https://sts.{Region}.amazonaws.com`),
//! so a region such as `x@127.0.0.2:36206/` turns the URL's real host into
//! `127.0.0.2` and the signed request, with its credentials, goes there. botocore
//! guards the input with `botocore.utils.validate_region_name` (a DNS-label
//! pattern, `InvalidRegionError`); boto-rs does the same with [`is_valid_region`]
//! and, as a second line that does not depend on any one input, checks the
//! authority of every resolved URL with [`check_authority`] before anything is
//! signed: a plain host (DNS name, IPv4 or bracketed IPv6), no userinfo, a port
//! only where the caller allows one (a custom endpoint URL), nothing else.

/// botocore's region pattern: `^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)$` —
/// at most 63 letters, digits and hyphens, not all digits, no hyphen at either
/// end. (The empty string matches the pattern; callers treat it as "no region".)
///
/// ```
/// use boto_endpoints::hostcheck::is_valid_region;
/// assert!(is_valid_region("eu-west-1"));
/// assert!(!is_valid_region("x@127.0.0.2:36206/"));
/// assert!(!is_valid_region("12345"));
/// ```
pub fn is_valid_region(region: &str) -> bool {
    let b = region.as_bytes();
    b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && !(b.first() == Some(&b'-') || b.last() == Some(&b'-'))
        && (b.is_empty() || !b.iter().all(u8::is_ascii_digit))
}

/// Why an authority was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorityError {
    /// Empty host.
    Empty,
    /// `user@host`: a URL parser takes what follows `@` as the host.
    UserInfo,
    /// A port where none may be (no custom endpoint was configured).
    UnexpectedPort,
    /// The port is not 1–65535 digits.
    BadPort,
    /// A character that has no place in a host name (`/`, `?`, `#`, space, control, non-ASCII, ...).
    BadHost,
}

impl std::fmt::Display for AuthorityError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AuthorityError::Empty => "the host is empty",
            AuthorityError::UserInfo => "it contains user information ('@')",
            AuthorityError::UnexpectedPort => {
                "it names a port although no custom endpoint URL is configured"
            }
            AuthorityError::BadPort => "the port is not a number from 1 to 65535",
            AuthorityError::BadHost => "the host is not a valid DNS name or IP address",
        })
    }
}

/// Checks that `authority` (the part of a URL between `scheme://` and the
/// path) is `host` or, when `allow_port`, `host:port`, where host is a DNS name
/// (labels of letters, digits, `-` and `_`, each 1–63 long, 253 in all), an
/// IPv4 address or a bracketed IPv6 address.
///
/// ```
/// use boto_endpoints::hostcheck::{check_authority, AuthorityError};
/// assert_eq!(check_authority("sts.eu-west-1.amazonaws.com", false), Ok(()));
/// assert_eq!(check_authority("127.0.0.1:5000", true), Ok(()));
/// assert_eq!(check_authority("sts.x@127.0.0.2:36206", false), Err(AuthorityError::UserInfo));
/// assert_eq!(check_authority("sts.x:36206", false), Err(AuthorityError::UnexpectedPort));
/// ```
pub fn check_authority(authority: &str, allow_port: bool) -> Result<(), AuthorityError> {
    if authority.contains('@') {
        return Err(AuthorityError::UserInfo);
    }
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest.split_once(']').ok_or(AuthorityError::BadHost)?;
        if inside.is_empty()
            || !inside
                .bytes()
                .all(|c| c.is_ascii_hexdigit() || c == b':' || c == b'.')
        {
            return Err(AuthorityError::BadHost);
        }
        match after {
            "" => (None, None),
            p => (
                None,
                Some(p.strip_prefix(':').ok_or(AuthorityError::BadHost)?),
            ),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(authority), None),
        }
    };
    if let Some(host) = host {
        check_dns_host(host)?;
    }
    if let Some(port) = port {
        if !allow_port {
            return Err(AuthorityError::UnexpectedPort);
        }
        let ok = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|c| c.is_ascii_digit())
            && matches!(port.parse::<u32>(), Ok(1..=65535));
        if !ok {
            return Err(AuthorityError::BadPort);
        }
    }
    Ok(())
}

fn check_dns_host(host: &str) -> Result<(), AuthorityError> {
    if host.is_empty() {
        return Err(AuthorityError::Empty);
    }
    // One trailing dot (a fully qualified name) is allowed.
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.is_empty() || name.len() > 253 {
        return Err(AuthorityError::BadHost);
    }
    // Labels of 1-63 letters, digits, `-` and `_`, in one pass over the
    // bytes (this runs before every request is signed).
    let mut label = 0usize;
    for &c in name.as_bytes() {
        if c == b'.' {
            if label == 0 {
                return Err(AuthorityError::BadHost);
            }
            label = 0;
        } else if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
            label += 1;
            if label > 63 {
                return Err(AuthorityError::BadHost);
            }
        } else {
            return Err(AuthorityError::BadHost);
        }
    }
    if label == 0 {
        return Err(AuthorityError::BadHost);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_follow_botocore_pattern() {
        for ok in [
            "us-east-1",
            "eu-west-1",
            "cn-north-1",
            "us-gov-west-1",
            "local",
            "a",
            "",
            "1a",
            "us-east-1a",
        ] {
            assert!(is_valid_region(ok), "{ok:?} should be valid");
        }
        let long = "a".repeat(64);
        for bad in [
            "x@127.0.0.2:36206/",
            "us-east-1.evil.com",
            "us-east-1/",
            "-us",
            "us-",
            "123",
            "us east",
            "us_east_1",
            "us-east-1\n",
            "ü",
            long.as_str(),
        ] {
            assert!(!is_valid_region(bad), "{bad:?} should be invalid");
        }
        assert!(is_valid_region(&"a".repeat(63)));
    }

    /// The label rules as written before the one-pass check: split on dots.
    fn dns_host_by_labels(host: &str) -> Result<(), AuthorityError> {
        if host.is_empty() {
            return Err(AuthorityError::Empty);
        }
        let name = host.strip_suffix('.').unwrap_or(host);
        if name.is_empty() || name.len() > 253 {
            return Err(AuthorityError::BadHost);
        }
        for label in name.split('.') {
            let ok = !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
            if !ok {
                return Err(AuthorityError::BadHost);
            }
        }
        Ok(())
    }

    #[test]
    fn one_pass_host_check_agrees_with_the_label_split() {
        // Every string of up to six bytes over the bytes that matter.
        let alphabet = [b'a', b'Z', b'0', b'-', b'_', b'.', b' ', b'/', b'@', 0xc3];
        let mut n = 0;
        let mut stack = vec![Vec::new()];
        while let Some(s) = stack.pop() {
            let text = String::from_utf8_lossy(&s);
            assert_eq!(check_dns_host(&text), dns_host_by_labels(&text), "{text:?}");
            n += 1;
            if s.len() < 6 {
                for &c in &alphabet {
                    let mut t = s.clone();
                    t.push(c);
                    stack.push(t);
                }
            }
        }
        assert!(n > 1_000_000);
        // Label and name lengths at their limits.
        let l63 = "a".repeat(63);
        for host in [
            l63.clone(),
            "a".repeat(64),
            format!("{l63}.{l63}.{l63}.{}", "b".repeat(61)),
            format!("{l63}.{l63}.{l63}.{}", "b".repeat(62)),
            format!("{l63}.{l63}.{l63}.{}.", "b".repeat(61)),
        ] {
            assert_eq!(check_dns_host(&host), dns_host_by_labels(&host), "{host}");
        }
    }

    #[test]
    fn authorities() {
        use AuthorityError::*;
        let cases: &[(&str, bool, Result<(), AuthorityError>)] = &[
            ("s3.amazonaws.com", false, Ok(())),
            ("bucket_with_underscore.example.", false, Ok(())),
            ("127.0.0.1", false, Ok(())),
            ("[::1]", false, Ok(())),
            ("[::1]:8080", true, Ok(())),
            ("[::1]:8080", false, Err(UnexpectedPort)),
            ("localhost:5000", true, Ok(())),
            ("localhost:0", true, Err(BadPort)),
            ("localhost:65536", true, Err(BadPort)),
            ("localhost:", true, Err(BadPort)),
            ("localhost:50a", true, Err(BadPort)),
            ("a@b", true, Err(UserInfo)),
            ("", true, Err(Empty)),
            ("a..b", true, Err(BadHost)),
            ("a b", true, Err(BadHost)),
            ("a/b", true, Err(BadHost)),
            ("a?b", true, Err(BadHost)),
            ("a#b", true, Err(BadHost)),
            ("a\r\nb", true, Err(BadHost)),
            ("[zz::1]", true, Err(BadHost)),
            ("[::1", true, Err(BadHost)),
            ("[::1]x", true, Err(BadHost)),
            ("exämple.com", true, Err(BadHost)),
        ];
        for (authority, allow_port, want) in cases {
            assert_eq!(
                &check_authority(authority, *allow_port),
                want,
                "{authority:?} allow_port={allow_port}"
            );
        }
        let long_label = format!("{}.com", "a".repeat(64));
        assert_eq!(check_authority(&long_label, false), Err(BadHost));
    }
}
