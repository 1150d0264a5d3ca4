//! A transport for tests whose endpoints are real AWS host names (discovered
//! hosts, S3 Express zonal endpoints): every request goes to the local test
//! server over plain HTTP, with the original authority kept as the `Host`
//! header, as a virtual-hosting front end would see it. Underneath is the
//! real hyper client.

use boto_runtime::http::{
    BoxFuture, HttpClient, HttpRequest, HttpResponse, HttpSettings, HyperClient,
};
use boto_runtime::Error;

/// Sends every request to `base` (the local server), keeping the original
/// authority as the `Host` header.
pub struct Router {
    base: String,
    inner: HyperClient,
}

impl Router {
    /// A router to `base` (`http://127.0.0.1:PORT`).
    pub fn new(base: String) -> Router {
        Router {
            base,
            inner: HyperClient::new(&HttpSettings::default()).unwrap(),
        }
    }
}

impl HttpClient for Router {
    fn send(&self, mut req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let rest = req.url.split_once("://").map_or("", |(_, r)| r).to_string();
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        req.headers.push(("Host".into(), authority.into()));
        req.url = format!("{}{}", self.base, if path.is_empty() { "/" } else { path });
        self.inner.send(req)
    }
}
