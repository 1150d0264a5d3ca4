//! Sending with hyper: [`HttpClient`] for [`HyperClient`], request bodies
//! streamed from files and channels, and hyper's errors and headers turned
//! into boto's.

use super::{
    proxy, request, BoxFuture, ByteStream, ByteStreamInner, HttpClient, HttpRequest, HttpResponse,
    HyperClient, RequestBody,
};
use crate::error::Error;
use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use std::pin::Pin;
use std::sync::Arc;

fn file_body(path: std::path::PathBuf, offset: u64, len: u64) -> BoxBody<Bytes, std::io::Error> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        let result: Result<(), std::io::Error> = async {
            let mut f = tokio::fs::File::open(&path).await?;
            f.seek(std::io::SeekFrom::Start(offset)).await?;
            let mut left = len;
            while left > 0 {
                let mut buf = vec![0u8; left.min(256 * 1024) as usize];
                let n = f.read(&mut buf).await?;
                if n == 0 {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "file shrank while uploading",
                    ));
                }
                buf.truncate(n);
                left -= n as u64;
                if tx.send(Ok(Bytes::from(buf))).await.is_err() {
                    return Ok(());
                }
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            let _ = tx.send(Err(e)).await;
        }
    });
    let stream = ChannelBody { rx };
    BoxBody::new(stream)
}

pub(crate) struct ChannelBody {
    pub(crate) rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
}

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        self.rx
            .poll_recv(cx)
            .map(|o| o.map(|r| r.map(http_body::Frame::data)))
    }
}

impl HttpClient for HyperClient {
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(self.dispatch(Outgoing::Owned(req)))
    }

    fn send_ref<'a>(&'a self, req: &'a HttpRequest) -> BoxFuture<'a, Result<HttpResponse, Error>> {
        Box::pin(self.dispatch(Outgoing::Borrowed(req)))
    }
}

/// A request to send, moved in or borrowed (then copied into hyper's form).
enum Outgoing<'a> {
    Owned(HttpRequest),
    Borrowed(&'a HttpRequest),
}

impl HyperClient {
    /// Sends one request once a connection slot is free.
    async fn dispatch(&self, req: Outgoing<'_>) -> Result<HttpResponse, Error> {
        // Wait for a slot first, so a queued call holds no hyper request.
        let slot = self
            .in_flight
            .acquire()
            .await
            .map_err(|_| Error::dispatch("the HTTP client was shut down"))?;
        let (parts, body, is_head) = match req {
            Outgoing::Owned(r) => {
                let is_head = r.method == "HEAD";
                let parts = request::request_parts(r.method, r.url, r.headers);
                (parts, r.body, is_head)
            }
            Outgoing::Borrowed(r) => (
                request::request_parts_ref(&r.method, &r.url, &r.headers),
                r.body.clone(),
                r.method == "HEAD",
            ),
        };
        let parts = parts.map_err(|e| Error::construction(format!("invalid HTTP request: {e}")))?;
        let body = match body {
            RequestBody::Empty => {
                BoxBody::new(Full::new(Bytes::new()).map_err(|never| match never {}))
            }
            RequestBody::Bytes(b) => BoxBody::new(Full::new(b).map_err(|never| match never {})),
            RequestBody::File { path, offset, len } => file_body(path, offset, len),
            RequestBody::AwsChunked(b) => BoxBody::new(ChannelBody {
                rx: Arc::unwrap_or_clone(b).into_stream(),
            }),
        };
        let mut request = http::Request::from_parts(parts, body);
        // Plain HTTP through a proxy: the proxy reads this request, so it
        // carries the proxy credentials (a CONNECT tunnel sends them once).
        let http_proxy = self
            .proxies
            .as_ref()
            .and_then(|r| r.route(request.uri()))
            .filter(|_| !proxy::is_https(request.uri()));
        if let Some(auth) = http_proxy.as_ref().and_then(|p| p.auth.clone()) {
            request
                .headers_mut()
                .insert(http::header::PROXY_AUTHORIZATION, auth);
        }
        let resp = tokio::time::timeout(self.read_timeout, self.client.request(request))
            .await
            .map_err(|_| {
                Error::timeout(format!(
                    "no response within the read timeout ({:?})",
                    self.read_timeout
                ))
            })?
            .map_err(classify_hyper_error)?;
        drop(slot);
        let status = resp.status().as_u16();
        if let (Some(p), 407) = (&http_proxy, status) {
            return Err(Error::dispatch(format!(
                "proxy {} refused the request: 407 Proxy Authentication Required \
                 (check the credentials in the proxy URL)",
                p.name
            )));
        }
        let headers = header_pairs(resp.headers());
        let expected = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
            .filter(|_| !is_head && status != 204 && status != 304);
        Ok(HttpResponse {
            status,
            headers,
            body: ByteStream {
                inner: ByteStreamInner::Hyper {
                    body: resp.into_body(),
                    read_timeout: self.read_timeout,
                    expected,
                    seen: 0,
                },
                observer: None,
            },
        })
    }
}

fn classify_hyper_error(e: hyper_util::client::legacy::Error) -> Error {
    use std::error::Error as _;
    let mut msg = e.to_string();
    let mut src = e.source();
    let mut timed_out = false;
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            timed_out |= io.kind() == std::io::ErrorKind::TimedOut;
        }
        src = s.source();
    }
    // The message keeps the whole chain (retry classification and the Python
    // layer read it); Display prints the context and `source()` is hyper's error.
    let connect = e.is_connect();
    let err = if timed_out || msg.contains("timed out") {
        Error::wrap(crate::ErrorKind::Timeout, "connect timeout", e)
            .with_message(format!("connect timeout: {msg}"))
    } else if connect {
        Error::wrap(crate::ErrorKind::Dispatch, "cannot connect", e).with_message(msg)
    } else {
        Error::wrap(crate::ErrorKind::Dispatch, "error sending the request", e).with_message(msg)
    };
    if connect {
        err.with_connect()
    } else {
        err
    }
}

/// Response headers as (name, value) pairs, values read lossily as UTF-8.
pub(crate) fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                // `from_utf8` checks ASCII a word at a time; the lossy
                // decoder walks byte by byte, for the rare value that needs it.
                match std::str::from_utf8(v.as_bytes()) {
                    Ok(s) => s.to_owned(),
                    Err(_) => String::from_utf8_lossy(v.as_bytes()).into_owned(),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_are_read_as_utf8_and_lossily_when_they_are_not() {
        let mut h = http::HeaderMap::new();
        h.insert("x-amz-meta-a", http::HeaderValue::from_static("plain"));
        h.insert(
            "x-amz-meta-b",
            http::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
        );
        h.insert(
            "x-amz-meta-c",
            http::HeaderValue::from_bytes(b"bad\xff!").unwrap(),
        );
        let pairs = header_pairs(&h);
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("x-amz-meta-a"), Some("plain"));
        assert_eq!(get("x-amz-meta-b"), Some("café"));
        assert_eq!(get("x-amz-meta-c"), Some("bad\u{fffd}!"));
    }
}
