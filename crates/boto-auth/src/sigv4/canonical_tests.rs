//! Unit tests of `canonical.rs`: each fast path against the full one, and
//! the pieces botocore's rules define (paths, hosts, trimming, encoding).

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
fn paths_already_canonical_are_borrowed() {
    let paths = [
        "/",
        "//",
        "/a",
        "/a/",
        "/a//b",
        "/a/./b",
        "/a/../b",
        "/.",
        "/..",
        "/a/.",
        "/a/..",
        "/a b",
        "/a%20b",
        "/~x/y-z_.txt",
        "a/b",
        "/a/b/",
        "/.a/..b/...",
        "///",
        "/a.b/",
    ];
    for p in paths {
        for (n, d) in [(true, true), (true, false), (false, true), (false, false)] {
            let fast = canonical_path(p, n, d);
            let full = {
                let normalized = if n {
                    remove_dot_segments(p)
                } else {
                    p.to_string()
                };
                let mut s = String::new();
                if d {
                    boto_util::percent::encode_into(&mut s, &normalized, b"/~");
                } else {
                    s = normalized;
                }
                if s.is_empty() {
                    "/".to_string()
                } else {
                    s
                }
            };
            assert_eq!(fast, full, "{p} normalize={n} double_encode={d}");
        }
    }
    assert!(matches!(
        canonical_path("/b/k.txt", true, true),
        Cow::Borrowed(_)
    ));
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
fn host_fast_path_agrees_with_the_full_one() {
    let authorities = [
        "example.com",
        "example.com:443",
        "example.com:80",
        "example.com:8443",
        "h:0443",
        "h:",
        "h:0",
        "h:00",
        ":80",
        "a:1:2",
        "h:99999",
        "h:-1",
        "127.0.0.1:45123",
        "Example.com:80",
        "u@h:80",
        "[::1]:80",
        "s3.us-east-1.amazonaws.com",
        "bucket.s3-fips.x:65535",
        "",
        ":",
        "h:+80",
        "h.:80",
        "xn--bcher-kva.example",
    ];
    for scheme in ["http", "https", "HTTP", "ftp"] {
        for a in authorities {
            let fast = host_from_authority(scheme, a).map(Cow::into_owned);
            let full = host_from_authority_owned(scheme, a);
            assert_eq!(fast, full, "{scheme}://{a}");
        }
    }
    assert!(matches!(
        host_from_authority("http", "127.0.0.1:45123"),
        Ok(Cow::Borrowed("127.0.0.1:45123"))
    ));
}

#[test]
fn trimming_fast_path_agrees_with_python_split() {
    // `' '.join(value.split())` written the slow way, for comparison.
    let slow = |v: &str| {
        v.split(is_py_whitespace)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    for v in [
        "attempt=1; max=5",
        "a  b",
        " a",
        "a ",
        "",
        " ",
        "a\tb",
        "x\u{1f}y",
        "a\u{7f}b",
        "application/x-amz-json-1.0",
        "é é",
        "a\u{a0}b",
        "a \r\n b",
    ] {
        let mut out = String::new();
        push_trimmed(&mut out, v);
        assert_eq!(out, slow(v), "{v:?}");
    }
}

#[test]
fn header_names_are_checked_and_lowered() {
    for bad in ["", "a:b", "a b", "a\u{7f}", "a\u{85}b", "x\ny"] {
        assert!(check_header_name(bad).is_err(), "{bad:?}");
    }
    for good in ["X-Amz-Date", "x_y", "é"] {
        assert!(check_header_name(good).is_ok(), "{good:?}");
    }
    let mut set = HeaderSet::with_capacity(3);
    set.push("X-Amz-Target", "t");
    set.push("host", "h");
    set.push("Ä-B", "n");
    assert!(set.contains("x-amz-target") && set.contains("ä-b"));
    assert_eq!(set.canonicalize().1, "host;x-amz-target;ä-b");
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
