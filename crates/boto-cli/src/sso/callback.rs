//! The loopback listener of the authorization-code flow: aws-cli v2's
//! `AuthCodeFetcher`/`OAuthCallbackHandler`.
//!
//! Listens on 127.0.0.1 (aws-cli binds every interface; only the loopback
//! address is ever in the redirect URI, so nothing else is opened here) on a
//! port the system picks. Every GET gets the "you may close this window"
//! page; the first one carrying `error`, or both `code` and `state`, ends the
//! wait. Other requests (a browser's `/favicon.ico`) are answered and
//! ignored. The wait ends after ten minutes, as aws-cli's does.

use boto_util::percent;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// aws-cli's `_OVERALL_TIMEOUT`.
const OVERALL_TIMEOUT: Duration = Duration::from_secs(600);
/// aws-cli's `_REQUEST_TIMEOUT` (per connection).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

const PAGE: &str =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>boto sso login</title></head>\
<body><h1>Request approved</h1><p>boto has been given the requested permissions. \
You can close this window and return to the command line.</p></body></html>";

/// What the redirect carried: `(code, state)`, or `None` for an `error` redirect.
pub type Redirect = Option<(String, String)>;

pub struct CallbackListener {
    listener: TcpListener,
    port: u16,
}

impl CallbackListener {
    pub async fn bind() -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        Ok(CallbackListener { listener, port })
    }

    /// What the client is registered with (aws-cli's `redirect_uri_without_port`).
    pub fn redirect_uri_without_port() -> &'static str {
        "http://127.0.0.1/oauth/callback"
    }

    /// What the authorize request and CreateToken carry.
    pub fn redirect_uri_with_port(&self) -> String {
        format!("http://127.0.0.1:{}/oauth/callback", self.port)
    }

    /// Waits for the redirect; `Err(())` when ten minutes pass first.
    pub async fn wait(self) -> Result<Redirect, ()> {
        let deadline = tokio::time::Instant::now() + OVERALL_TIMEOUT;
        loop {
            let accepted = tokio::time::timeout_at(deadline, self.listener.accept()).await;
            let Ok(Ok((mut stream, _))) = accepted else {
                if accepted.is_err() {
                    return Err(());
                }
                continue;
            };
            let Ok(Some(target)) =
                tokio::time::timeout(REQUEST_TIMEOUT, read_request_target(&mut stream)).await
            else {
                continue;
            };
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{PAGE}",
                PAGE.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
            if let Some(result) = redirect_result(&target) {
                return Ok(result);
            }
        }
    }
}

/// Reads the request head and returns the request target of a GET.
async fn read_request_target(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 64 * 1024 {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let mut parts = head.lines().next()?.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) => Some(target.to_string()),
        _ => None,
    }
}

/// `Some` when the target ends the wait (aws-cli's `do_GET`).
fn redirect_result(target: &str) -> Option<Redirect> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let mut code = None;
    let mut state = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        // `application/x-www-form-urlencoded` (`+` is a space), as `parse_qs` decodes.
        let (k, v) = (percent::decode_plus(k), percent::decode_plus(v));
        match k.as_str() {
            "error" => return Some(None),
            "code" if code.is_none() => code = Some(v),
            "state" if state.is_none() => state = Some(v),
            _ => {}
        }
    }
    match (code, state) {
        (Some(c), Some(s)) => Some(Some((c, s))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_code_state_and_error() {
        assert_eq!(
            redirect_result("/oauth/callback?code=a%2Bb&state=s+1"),
            Some(Some(("a+b".into(), "s 1".into())))
        );
        assert_eq!(
            redirect_result("/oauth/callback?error=access_denied"),
            Some(None)
        );
        assert_eq!(redirect_result("/favicon.ico"), None);
        assert_eq!(redirect_result("/oauth/callback?code=x"), None);
        assert_eq!(percent::decode_plus("%zz%4"), "%zz%4");
    }
}
