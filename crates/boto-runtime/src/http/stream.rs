//! The connection streams hyper reads and writes: TCP, direct or through a
//! proxy, and TLS over it, each acknowledging reads at once only when
//! [`AckPolicy`] says a server may be waiting (see `super::ack` for why).
//!
//! Under TLS two policies run: one on the socket's bytes (TLS records, the
//! handshake) in [`AckStream`], one on the decrypted HTTP/1.1 in
//! [`FramedTls`] above the TLS layer, so an answer over TLS is framed as
//! exactly as one in plain HTTP. hyper-rustls's own stream type would hide
//! the decrypted bytes, so HTTP/1.1 connections are a [`Conn`] instead
//! (HTTP/2, in `super::h2`, keeps the socket-level policy alone).

use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::ack::AckPolicy;

/// A TCP connection, direct or to a proxy. `proxied` tells hyper to write
/// absolute-form request URIs (plain HTTP through a proxy); a `CONNECT`
/// tunnel is not "proxied" in that sense, since the target sees the requests.
pub(crate) struct ProxyStream {
    io: TokioIo<AckStream>,
    proxied: bool,
}

impl ProxyStream {
    /// `tls`: TLS will run over this stream (an `https://` target).
    pub(crate) fn new(tcp: TcpStream, proxied: bool, tls: bool) -> ProxyStream {
        ProxyStream {
            io: TokioIo::new(Acking {
                io: tcp,
                policy: AckPolicy::new(!tls),
            }),
            proxied,
        }
    }
}

impl Connection for ProxyStream {
    /// Not `TcpStream::connected()`: that attaches the socket's addresses
    /// (`HttpInfo`), which hyper-util then copies into every response's
    /// extensions (three allocations a call), and nothing here reads them;
    /// `HttpResponse` keeps the status, headers and body only.
    fn connected(&self) -> Connected {
        Connected::new().proxy(self.proxied)
    }
}

impl hyper::rt::Read for ProxyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ProxyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}

/// A stream that acknowledges reads as its [`AckPolicy`] says: the TCP
/// socket itself ([`AckStream`], fed the bytes on the wire) or, for HTTP/1.1
/// over TLS, the TLS stream on it ([`FramedTls`], fed the decrypted bytes).
pub(crate) struct Acking<S> {
    io: S,
    policy: AckPolicy,
}

type AckStream = Acking<TcpStream>;

/// A TLS stream whose decrypted HTTP/1.1 is framed by its own policy: a
/// read that leaves an answer unfinished is acknowledged on the socket
/// beneath, and that socket's policy told so.
pub(crate) type FramedTls = Acking<TlsStream<TokioIo<ProxyStream>>>;

/// A stream that can acknowledge at once what was read from it.
trait AckNow {
    fn ack_now(&mut self);
}

impl AckNow for TcpStream {
    #[cfg(target_os = "linux")]
    fn ack_now(&mut self) {
        let _ = socket2::SockRef::from(&*self).set_tcp_quickack(true);
    }
    #[cfg(not(target_os = "linux"))]
    fn ack_now(&mut self) {}
}

impl AckNow for TlsStream<TokioIo<ProxyStream>> {
    /// Acknowledges on the socket unless its own policy already did (or a
    /// write since carried the ACK): a TLS download's reads are bulk and
    /// unfinished answers both, and would otherwise cost two system calls.
    fn ack_now(&mut self) {
        let socket: &mut AckStream = self.get_mut().0.inner_mut().io.inner_mut();
        if socket.policy.pending() {
            socket.io.ack_now();
            socket.policy.acked();
        }
    }
}

impl<S: AsyncRead + AckNow + Unpin> AsyncRead for Acking<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let r = Pin::new(&mut this.io).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && this.policy.read(&buf.filled()[before..]) {
            this.io.ack_now();
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Acking<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            this.policy.wrote(buf);
        }
        r
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            let first = bufs.iter().find(|b| !b.is_empty());
            this.policy.wrote(first.map_or(&[][..], |b| &b[..]));
        }
        r
    }
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// An HTTP/1.1 connection: plain, or TLS framed above the TLS layer (boxed:
/// the TLS state is over a kilobyte, allocated once per connection).
pub(crate) enum Conn {
    Plain(ProxyStream),
    Tls(Box<TokioIo<FramedTls>>),
}

impl From<hyper_rustls::MaybeHttpsStream<ProxyStream>> for Conn {
    fn from(s: hyper_rustls::MaybeHttpsStream<ProxyStream>) -> Conn {
        match s {
            hyper_rustls::MaybeHttpsStream::Http(plain) => Conn::Plain(plain),
            hyper_rustls::MaybeHttpsStream::Https(tls) => {
                Conn::Tls(Box::new(TokioIo::new(Acking {
                    io: tls.into_inner(),
                    policy: AckPolicy::new(true),
                })))
            }
        }
    }
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        match self {
            Conn::Plain(s) => s.connected(),
            Conn::Tls(s) => {
                let (tcp, tls) = s.inner().io.get_ref();
                let connected = tcp.inner().connected();
                if tls.alpn_protocol() == Some(b"h2") {
                    connected.negotiated_h2()
                } else {
                    connected
                }
            }
        }
    }
}

/// Forwards hyper's I/O traits to whichever stream `$self` holds.
macro_rules! each {
    ($self:ident, $s:ident => $e:expr) => {
        match $self.get_mut() {
            Conn::Plain($s) => {
                let $s = Pin::new($s);
                $e
            }
            Conn::Tls($s) => {
                let $s = Pin::new(&mut **$s);
                $e
            }
        }
    };
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        each!(self, s => s.poll_read(cx, buf))
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        each!(self, s => s.poll_write(cx, buf))
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        each!(self, s => s.poll_flush(cx))
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        each!(self, s => s.poll_shutdown(cx))
    }
    fn is_write_vectored(&self) -> bool {
        match self {
            Conn::Plain(s) => hyper::rt::Write::is_write_vectored(s),
            Conn::Tls(s) => hyper::rt::Write::is_write_vectored(s),
        }
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        each!(self, s => s.poll_write_vectored(cx, bufs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A stream that returns scripted reads and counts acknowledgements.
    #[derive(Default)]
    struct Script {
        reads: VecDeque<&'static [u8]>,
        written: Vec<u8>,
        acks: usize,
    }

    impl AckNow for Script {
        fn ack_now(&mut self) {
            self.acks += 1;
        }
    }

    impl AsyncRead for Script {
        fn poll_read(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            if let Some(chunk) = self.get_mut().reads.pop_front() {
                buf.put_slice(chunk);
            }
            Poll::Ready(Ok(()))
        }
    }

    impl AsyncWrite for Script {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            self.get_mut().written.extend_from_slice(buf);
            Poll::Ready(Ok(buf.len()))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn reads_are_acknowledged_through_the_stream_as_the_policy_says() {
        let mut s = Acking {
            io: Script::default(),
            policy: AckPolicy::new(true),
        };
        let mut buf = [0u8; 256];
        // An answer whose headers and body come in three reads: the first
        // two leave it unfinished.
        s.io.reads.extend([
            &b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n"[..],
            b"ab",
            b"cd",
        ]);
        s.write_all(b"GET / HTTP/1.1\r\nhost: h\r\n\r\n")
            .await
            .unwrap();
        for _ in 0..3 {
            assert!(s.read(&mut buf).await.unwrap() > 0);
        }
        assert_eq!(s.io.acks, 2);
        // An answer read whole is left to the delayed ACK.
        s.io.reads
            .push_back(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        s.write_all(b"GET / HTTP/1.1\r\nhost: h\r\n\r\n")
            .await
            .unwrap();
        assert!(s.read(&mut buf).await.unwrap() > 0);
        assert_eq!(s.io.acks, 2);
        assert!(s.io.written.starts_with(b"GET / HTTP/1.1"));
    }
}
