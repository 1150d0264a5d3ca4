//! Plain request and response parts, independent of any HTTP library.

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Body {
    #[default]
    /// No body (GET, HEAD, most DELETEs).
    Empty,
    /// A body held in memory.
    Bytes(Vec<u8>),
}

impl Body {
    /// The body's bytes (empty for [`Body::Empty`]).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Empty => &[],
            Body::Bytes(b) => b,
        }
    }
}

/// What a serializer produces: everything about the request except the host
/// (that comes from endpoint resolution) and the signature.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    /// The HTTP method from the operation's `http.method` (`POST` for the RPC protocols).
    pub method: String,
    /// URI path, labels expanded and percent-encoded, always starting with `/`.
    pub path: String,
    /// Query parameters, not yet encoded. `None` values render as a bare key (`?uploads`).
    pub query: Vec<(String, Option<String>)>,
    /// Headers in the order they were added; names as the model spells them.
    pub headers: Vec<(String, String)>,
    /// The serialized payload.
    pub body: Body,
    /// Host prefix from the operation's `endpoint.hostPrefix`, labels expanded (e.g. `123456789012.`).
    pub host_prefix: Option<String>,
}

impl Request {
    /// First header value with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets a header, replacing any with the same name.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.into()));
    }

    /// The encoded query string (without `?`), keys and values percent-encoded
    /// with botocore's rules (unreserved characters `A-Za-z0-9-_.~` kept).
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        for (k, v) in &self.query {
            if !out.is_empty() {
                out.push('&');
            }
            percent_encode_into(k, &mut out);
            if let Some(v) = v {
                out.push('=');
                percent_encode_into(v, &mut out);
            }
        }
        out
    }

    /// Path plus query string: what botocore's protocol tests call `uri`.
    pub fn uri(&self) -> String {
        let q = self.query_string();
        if q.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, q)
        }
    }
}

/// Percent-encodes everything but the unreserved characters (RFC 3986), like botocore's `percent_encode`.
pub fn percent_encode_into(s: &str, out: &mut String) {
    boto_util::percent::encode_into(out, s, b"");
}

/// A received response, as the parser sees it.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers, names as received.
    pub headers: &'a [(String, String)],
    /// The whole body, or empty when the output payload is streamed to the caller.
    pub body: &'a [u8],
}

impl<'a> Response<'a> {
    /// First header value with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
