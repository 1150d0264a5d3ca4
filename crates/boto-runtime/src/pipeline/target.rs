//! Where a prepared call goes: the URL, with its scheme, authority, path
//! and query read as ranges of it. Signing needs the parts, the HTTP client
//! the whole; one string holds both, instead of five copies of the same
//! text per call (botocore keeps the URL and splits it with `urlsplit` when
//! it signs).

/// The request URL, `scheme://authority/path[?query]`.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    url: String,
    /// `url[..scheme_end]` is the scheme; `://` follows.
    scheme_end: usize,
    /// `url[scheme_end + 3..path_start]` is the authority.
    path_start: usize,
    /// `url[path_start..path_end]` is the path; then nothing, or `?` and the query.
    path_end: usize,
}

impl Target {
    /// The URL of these parts, each given in pieces that are joined as they
    /// are written (a host prefix and the host; the endpoint's base path and
    /// the operation's path). An empty path is `/`; a `?` comes only with a
    /// query.
    pub(crate) fn new(scheme: &str, authority: [&str; 2], path: [&str; 2], query: &str) -> Target {
        let len = |pieces: [&str; 2]| pieces[0].len() + pieces[1].len();
        let mut url = String::with_capacity(
            scheme.len() + 3 + len(authority) + len(path) + 1 + 1 + query.len(),
        );
        url.push_str(scheme);
        url.push_str("://");
        url.extend(authority);
        let path_start = url.len();
        url.extend(path);
        if url.len() == path_start {
            url.push('/');
        }
        let path_end = url.len();
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        Target {
            url,
            scheme_end: scheme.len(),
            path_start,
            path_end,
        }
    }

    /// The whole URL.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn scheme(&self) -> &str {
        &self.url[..self.scheme_end]
    }

    pub(crate) fn authority(&self) -> &str {
        &self.url[self.scheme_end + 3..self.path_start]
    }

    pub(crate) fn path(&self) -> &str {
        &self.url[self.path_start..self.path_end]
    }

    /// The query, without its `?` (empty when there is none).
    pub(crate) fn query(&self) -> &str {
        self.url.get(self.path_end + 1..).unwrap_or("")
    }

    /// Replaces the query. The URL then ends in `?query`, a `?` even when
    /// `query` is empty, as the presigning paths have always written it.
    pub(crate) fn set_query(&mut self, query: &str) {
        self.url.truncate(self.path_end);
        self.url.push('?');
        self.url.push_str(query);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_ranges_of_the_url() {
        let t = Target::new(
            "https",
            ["b.", "s3.amazonaws.com:443"],
            ["/base", "/k/a%20b"],
            "x-id=GetObject",
        );
        assert_eq!(
            t.url(),
            "https://b.s3.amazonaws.com:443/base/k/a%20b?x-id=GetObject"
        );
        assert_eq!(t.scheme(), "https");
        assert_eq!(t.authority(), "b.s3.amazonaws.com:443");
        assert_eq!(t.path(), "/base/k/a%20b");
        assert_eq!(t.query(), "x-id=GetObject");

        // No path at all reads as `/`.
        let mut bare = Target::new("http", ["", "127.0.0.1:9"], ["", ""], "");
        assert_eq!(bare.url(), "http://127.0.0.1:9/");
        assert_eq!(bare.query(), "");
        bare.set_query("a=1&b=2");
        assert_eq!(bare.url(), "http://127.0.0.1:9/?a=1&b=2");
        assert_eq!((bare.path(), bare.query()), ("/", "a=1&b=2"));
        bare.set_query("");
        assert_eq!(bare.url(), "http://127.0.0.1:9/?");
        assert_eq!((bare.authority(), bare.query()), ("127.0.0.1:9", ""));
    }
}
