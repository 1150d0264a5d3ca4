//! One HTTP/2 request with a body that is still being written while the
//! response is read: the transport of input event streams
//! ([`crate::event_stream_input`]).
//!
//! botocore speaks HTTP/1.1 only and has no such operations; aws-sdk-rust
//! sends Transcribe streaming and Bedrock bidirectional streams over HTTP/2
//! (`aws-smithy-http-client` with `h2`). Each call opens its own connection:
//! `https://` negotiates `h2` by ALPN (with the client's TLS settings: roots,
//! CA bundle, verification switch), plain `http://` endpoints (local test
//! servers) speak HTTP/2 with prior knowledge (h2c). Proxies are not used
//! for these calls.

use super::{ByteStream, ByteStreamInner, ChannelBody, HttpResponse, HttpSettings};
use crate::error::Error;
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use tower_service::Service;

/// Sends `method url` with `headers` over a new HTTP/2 connection; the body
/// is whatever arrives on `body` until its sender is dropped (an `Err`
/// resets the stream). Returns once the response headers are in, like
/// [`super::HttpClient::send`]; the body task keeps writing meanwhile.
pub(crate) async fn send_duplex(
    settings: &HttpSettings,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
) -> Result<HttpResponse, Error> {
    let uri: http::Uri = url
        .parse()
        .map_err(|e| Error::construction(format!("invalid URL {url}: {e}")))?;
    let mut tcp = hyper_util::client::legacy::connect::HttpConnector::new();
    tcp.set_connect_timeout(Some(settings.connect_timeout));
    tcp.set_nodelay(true);
    tcp.enforce_http(false);
    let cannot_connect = |e: Box<dyn std::error::Error + Send + Sync>| {
        Error::dispatch(format!("cannot connect to {url}: {e}")).with_connect()
    };
    let io = if uri.scheme_str() == Some("https") {
        let tls = super::tls::tls_config(settings)?;
        let mut https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_only()
            .enable_http2()
            .wrap_connector(tcp);
        https.call(uri.clone()).await.map_err(cannot_connect)?
    } else {
        hyper_rustls::MaybeHttpsStream::Http(
            tcp.call(uri.clone())
                .await
                .map_err(|e| cannot_connect(e.into()))?,
        )
    };
    let (mut sender, conn) =
        hyper::client::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
            .handshake::<_, BoxBody<Bytes, std::io::Error>>(io)
            .await
            .map_err(|e| {
                Error::dispatch(format!("HTTP/2 handshake with {url} failed: {e}")).with_connect()
            })?;
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::debug!(error = %e, "HTTP/2 connection closed with an error");
        }
    });
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        // HTTP/2 names the host in `:authority`; hyper derives it from the URI.
        if !k.eq_ignore_ascii_case("host") {
            builder = builder.header(k.as_str(), v.as_str());
        }
    }
    let request = builder
        .body(BoxBody::new(ChannelBody { rx: body }))
        .map_err(|e| Error::construction(format!("invalid HTTP request: {e}")))?;
    let resp = tokio::time::timeout(settings.read_timeout, sender.send_request(request))
        .await
        .map_err(|_| {
            Error::timeout(format!(
                "no response within the read timeout ({:?})",
                settings.read_timeout
            ))
        })?
        .map_err(|e| Error::dispatch(format!("error sending the HTTP/2 request: {e}")))?;
    let status = resp.status().as_u16();
    let headers = super::header_pairs(resp.headers());
    Ok(HttpResponse {
        status,
        headers,
        body: ByteStream {
            inner: ByteStreamInner::Hyper {
                body: resp.into_body(),
                read_timeout: settings.read_timeout,
                expected: None,
                seen: 0,
            },
            observer: None,
        },
    })
}
