//! The pure string functions of the rule-set standard library.
//!
//! These are kept free of the evaluator's value plumbing so they can be
//! tested (and reused, e.g. by an S3 customisation layer) on plain `&str`.
//! Behaviour follows botocore's `RuleSetStandardLibrary`, which is what the
//! shipped endpoint test corpora were generated against.

use crate::url::is_ipv4_like;

/// RFC 1123 host label: 1-63 ASCII alphanumerics or `-`, not starting or
/// ending with `-`. With `allow_subdomains`, every `.`-separated label must
/// be valid.
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        return value.split('.').all(|l| is_valid_host_label(l, false));
    }
    let b = value.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// Whether `value` can be used as an S3 bucket in a virtual-hosted URL:
/// a valid host label (or labels), at least 3 characters, no upper case
/// and not shaped like an IPv4 address.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    if value.chars().count() < 3
        || value
            .chars()
            .any(|c| c.to_lowercase().ne(std::iter::once(c)))
        || is_ipv4_like(value)
    {
        return false;
    }
    is_valid_host_label(value, allow_subdomains)
}

/// `substring(value, start, stop, reverse)`. `None` when the range is empty
/// or out of bounds, or the input is not pure ASCII.
pub fn substring(value: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    if start < 0 || start >= stop || !value.is_ascii() {
        return None;
    }
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let len = value.len();
    if len < stop {
        return None;
    }
    if reverse {
        Some(&value[len - stop..len - start])
    } else {
        Some(&value[start..stop])
    }
}

/// `uriEncode`: percent-encode everything except unreserved characters
/// (botocore's `percent_encode`).
pub fn uri_encode(value: &str) -> String {
    boto_util::percent::encode(value, b"")
}

/// `split(value, delimiter, limit)`: `limit` 0 means unlimited, otherwise
/// at most `limit` parts (the last holding the remainder).
pub fn split<'s>(value: &'s str, delimiter: &str, limit: usize) -> Vec<&'s str> {
    if delimiter.is_empty() {
        return vec![value];
    }
    if limit == 0 {
        value.split(delimiter).collect()
    } else {
        value.splitn(limit, delimiter).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("a", false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("a-", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("part1 part2", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("a_b", false));
    }

    #[test]
    fn virtual_hostable() {
        assert!(is_virtual_hostable_s3_bucket("mybucket", true));
        assert!(!is_virtual_hostable_s3_bucket("ab", true));
        assert!(is_virtual_hostable_s3_bucket("a.b", true));
        assert!(is_virtual_hostable_s3_bucket(
            "my.great.bucket.aws.com",
            true
        ));
        assert!(!is_virtual_hostable_s3_bucket(
            "mY.GREAT.bucket.aws.com",
            true
        ));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
        assert!(!is_virtual_hostable_s3_bucket("a.b", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket_name", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-.name", true));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("", 0, 4, false), None);
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("defg", 1, 3, true), Some("ef"));
        assert_eq!(substring("abcdef\u{1F431}", 0, 4, false), None);
        assert_eq!(substring("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
        assert_eq!(substring("abcdef", 3, 3, false), None);
        assert_eq!(substring("abcdef", 4, 2, false), None);
        assert_eq!(substring("abcdef", -1, 2, false), None);
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("abc:defg"), "abc%3Adefg");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(
            uri_encode("0123456789.underscore_dash-Tilda~"),
            "0123456789.underscore_dash-Tilda~"
        );
        assert_eq!(uri_encode("😹"), "%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn splitting() {
        assert_eq!(split("a--b--c", "--", 0), ["a", "b", "c"]);
        assert_eq!(split("a--b--c", "--", 2), ["a", "b--c"]);
        assert_eq!(split("", "-", 0), [""]);
    }
}
