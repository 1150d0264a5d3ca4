//! A local HTTP/1.1 server that streams event-stream messages on cue.
//!
//! Proving that events reach the caller while the response is still being
//! written needs a server that stops mid-body until the test says so: each
//! connection plays a script of steps (write a message as one chunk, write
//! raw bytes, wait for the test's signal, end the body, or drop the
//! connection), and counts what it has written so the test can check how
//! far the server had got when an event arrived. Shared with `boto`'s and
//! the CLI's event-stream tests; the including crate names the protocols
//! crate `es_protocols` (`boto_protocols`, or `boto::core::protocols`).
#![allow(dead_code)]

use crate::es_protocols::ser::eventstream::{encode_message, HeaderValue};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One step of a connection's script.
#[derive(Debug, Clone)]
pub enum Step {
    /// The status line and headers (`Transfer-Encoding: chunked` is added
    /// unless a `Content-Length` is given).
    Head(u16, Vec<(String, String)>),
    /// A whole non-streamed response: status, headers and body.
    Reply(u16, Vec<(String, String)>, Vec<u8>),
    /// Bytes written as one HTTP chunk (counted in [`EsServer::sent`]).
    Chunk(Vec<u8>),
    /// Bytes written as one-byte chunks.
    Trickle(Vec<u8>),
    /// Waits until the test calls [`EsServer::go`].
    Wait,
    /// Sleeps.
    Sleep(Duration),
    /// The terminating chunk: a clean end of the body.
    End,
    /// Closes the connection without ending the body.
    Cut,
}

/// An event message with string headers.
pub fn message(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let h: Vec<(&str, HeaderValue<'_>)> = headers
        .iter()
        .map(|(k, v)| (*k, HeaderValue::String(v)))
        .collect();
    encode_message(&h, payload).expect("encodable test message")
}

/// `:message-type: event` with this `:event-type` and payload.
pub fn event(ty: &str, payload: &[u8]) -> Vec<u8> {
    message(&[(":message-type", "event"), (":event-type", ty)], payload)
}

/// A modeled exception event.
pub fn exception(ty: &str, payload: &[u8]) -> Vec<u8> {
    message(
        &[
            (":message-type", "exception"),
            (":exception-type", ty),
            (":content-type", "application/json"),
        ],
        payload,
    )
}

/// The headers of a successful event-stream response.
pub fn stream_head(extra: &[(&str, &str)]) -> Step {
    let mut h = vec![
        (
            "Content-Type".to_string(),
            "application/vnd.amazon.eventstream".to_string(),
        ),
        ("x-amzn-RequestId".to_string(), "REQ-STREAM".to_string()),
    ];
    h.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Step::Head(200, h)
}

/// The running server.
pub struct EsServer {
    addr: SocketAddr,
    sent: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<String>>>,
    go: tokio::sync::mpsc::UnboundedSender<()>,
}

impl EsServer {
    /// Serves one script per connection, in order (the last one repeats).
    pub fn start(scripts: Vec<Vec<Step>>) -> EsServer {
        let (tx, rx) = std::sync::mpsc::channel();
        let (go, go_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
        let sent = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (s2, r2) = (sent.clone(), requests.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
                tx.send(listener.local_addr().expect("addr")).ok();
                let go_rx = Arc::new(tokio::sync::Mutex::new(go_rx));
                let mut scripts: VecDeque<Vec<Step>> = scripts.into();
                loop {
                    let Ok((sock, _)) = listener.accept().await else {
                        return;
                    };
                    let script = if scripts.len() > 1 {
                        scripts.pop_front().unwrap_or_default()
                    } else {
                        scripts.front().cloned().unwrap_or_default()
                    };
                    let (s, r, g) = (s2.clone(), r2.clone(), go_rx.clone());
                    tokio::spawn(async move {
                        let _ = serve(sock, script, s, r, g).await;
                    });
                }
            });
        });
        let addr = rx.recv().expect("server address");
        EsServer {
            addr,
            sent,
            requests,
            go,
        }
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// Chunks (and trickled messages) begun so far, over all connections.
    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::SeqCst)
    }
    /// Lets a script waiting at [`Step::Wait`] go on.
    pub fn go(&self) {
        let _ = self.go.send(());
    }
    /// The request lines and headers read so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

async fn serve(
    mut sock: TcpStream,
    script: Vec<Step>,
    sent: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<String>>>,
    go: Arc<tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<()>>>,
) -> std::io::Result<()> {
    // Read the request head and its Content-Length body.
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut tmp).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut tmp).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    if let Ok(mut r) = requests.lock() {
        r.push(head + &String::from_utf8_lossy(&buf[head_end..]));
    }
    for step in script {
        match step {
            Step::Head(status, headers) => {
                let mut h = format!("HTTP/1.1 {status} X\r\n");
                let chunked = !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("content-length"));
                for (k, v) in &headers {
                    h.push_str(&format!("{k}: {v}\r\n"));
                }
                if chunked {
                    h.push_str("Transfer-Encoding: chunked\r\n");
                }
                h.push_str("\r\n");
                sock.write_all(h.as_bytes()).await?;
            }
            Step::Reply(status, headers, body) => {
                let mut h = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                for (k, v) in &headers {
                    h.push_str(&format!("{k}: {v}\r\n"));
                }
                h.push_str("\r\n");
                sock.write_all(h.as_bytes()).await?;
                sock.write_all(&body).await?;
                sock.shutdown().await?;
                return Ok(());
            }
            Step::Chunk(bytes) => {
                // Counted before writing: a reader that has the chunk sees it counted.
                sent.fetch_add(1, Ordering::SeqCst);
                sock.write_all(format!("{:x}\r\n", bytes.len()).as_bytes())
                    .await?;
                sock.write_all(&bytes).await?;
                sock.write_all(b"\r\n").await?;
                sock.flush().await?;
            }
            Step::Trickle(bytes) => {
                sent.fetch_add(1, Ordering::SeqCst);
                for b in bytes {
                    sock.write_all(&[b'1', b'\r', b'\n', b, b'\r', b'\n'])
                        .await?;
                    sock.flush().await?;
                }
            }
            Step::Wait => {
                go.lock().await.recv().await;
            }
            Step::Sleep(d) => tokio::time::sleep(d).await,
            Step::End => {
                sock.write_all(b"0\r\n\r\n").await?;
                sock.flush().await?;
            }
            Step::Cut => {
                sock.shutdown().await?;
                return Ok(());
            }
        }
    }
    // Keep the connection until the client closes it.
    let _ = sock.read(&mut tmp).await;
    Ok(())
}
