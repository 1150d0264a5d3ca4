//! `aws-chunked` request bodies with a trailing checksum: botocore's
//! `httpchecksum.AwsChunkedWrapper` and `_apply_request_trailer_checksum`,
//! plus the signed variant botocore lacks.
//!
//! Without this, a checksum in a header forces the upload to be read twice
//! (once to hash, once to send), and a plain-HTTP upload a third time for its
//! SHA-256. Framed as `aws-chunked`, the body is read once: each piece goes
//! out as a chunk (`hex(len)\r\n<data>\r\n`) while the checksum accumulates,
//! and the checksum follows the empty final chunk as a trailer
//! (`0\r\nx-amz-checksum-crc32:<b64>\r\n\r\n`). The request says so with
//! `Content-Encoding: aws-chunked`, `X-Amz-Decoded-Content-Length` and
//! `X-Amz-Trailer`.
//!
//! Two payload modes:
//! * `STREAMING-UNSIGNED-PAYLOAD-TRAILER` (botocore's only one): the chunks are
//!   not signed; TLS protects them in transit.
//! * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: every chunk carries
//!   `;chunk-signature=<sig>` chained from the request's seed signature, and
//!   the trailer ends with `x-amz-trailer-signature:<sig>` (signatures from
//!   [`boto_auth::sigv4::ChunkSigner`]). This authenticates the body over
//!   plain HTTP without hashing it up front.
//!
//! The encoded length is known before sending (the checksum's base64 length
//! depends only on the algorithm), so requests carry a real `Content-Length`.

use crate::customizations::checksums::{Algorithm, Hasher};
use crate::error::Error;
use crate::http::RequestBody;
use boto_auth::sigv4::ChunkSigner;
use bytes::Bytes;

/// Bytes of payload per chunk (the last one may be shorter). S3 wants signed
/// chunks of at least 8 KiB; 64 KiB is what the AWS examples use.
pub const DEFAULT_CHUNK_SIZE: usize = 64 * 1024;

/// Length of a chunk signature in hex.
const SIG_LEN: u64 = 64;
const CHUNK_SIG_PREFIX: &str = ";chunk-signature=";
const TRAILER_SIG_NAME: &str = "x-amz-trailer-signature";

/// When uploads use `aws-chunked` with a trailing checksum
/// (`ClientConfig::trailing_checksums`). It applies to operations with a
/// streaming input (S3 PutObject, UploadPart, ...) that send a checksum.
///
/// The default is still [`Never`](Self::Never): boto-rs's earlier behaviour,
/// which every existing test and recorded exchange assumes. botocore's own
/// rule is [`WhenHttps`](Self::WhenHttps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrailingChecksums {
    /// botocore's rule: over `https` send an unsigned `aws-chunked` body;
    /// over `http` the checksum goes in a header and the payload is signed.
    WhenHttps,
    /// Unsigned `aws-chunked` for every streaming-input operation, any scheme.
    Unsigned,
    /// Signed chunks and trailer for every streaming-input operation, any scheme
    /// (unsigned framing when the client does not sign requests).
    Signed,
    /// Never: the checksum always goes in a header (the body is hashed first).
    #[default]
    Never,
}

/// The trailing checksum chosen for one call (set by the `checksums` interceptor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrailingChecksum {
    /// The checksum algorithm of the trailer (`x-amz-checksum-<name>` follows the final chunk).
    pub algorithm: Algorithm,
    /// Sign the chunks and the trailer (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`).
    pub signed: bool,
}

/// A body to send `aws-chunked`: the plain payload, the checksum algorithm and,
/// for the signed variant, the chunk signer.
#[derive(Clone, Debug)]
pub struct AwsChunkedBody {
    inner: RequestBody,
    algorithm: Algorithm,
    signer: Option<ChunkSigner>,
    chunk_size: usize,
}

impl AwsChunkedBody {
    /// Frames `inner` (in memory or a file region) with an unsigned trailer.
    pub fn new(inner: RequestBody, algorithm: Algorithm) -> Result<Self, Error> {
        if matches!(inner, RequestBody::AwsChunked(_)) {
            return Err(Error::construction(
                "an aws-chunked body cannot be framed twice",
            ));
        }
        Ok(AwsChunkedBody {
            inner,
            algorithm,
            signer: None,
            chunk_size: DEFAULT_CHUNK_SIZE,
        })
    }

    /// Signs every chunk and the trailer, continuing from the seed signature.
    pub fn signed(mut self, signer: ChunkSigner) -> Self {
        self.signer = Some(signer);
        self
    }

    /// Another chunk size (at least 1 byte).
    pub fn with_chunk_size(mut self, chunk_size: usize) -> Self {
        self.chunk_size = chunk_size.max(1);
        self
    }

    /// The payload being framed.
    pub fn inner(&self) -> &RequestBody {
        &self.inner
    }

    /// The checksum algorithm of the trailer.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Whether chunks and trailer carry signatures (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`)
    /// rather than going unsigned (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`).
    pub fn is_signed(&self) -> bool {
        self.signer.is_some()
    }

    /// `X-Amz-Decoded-Content-Length`: the payload's own length.
    pub fn decoded_len(&self) -> u64 {
        self.inner.len()
    }

    /// `Content-Length` of the framed body.
    pub fn encoded_len(&self) -> u64 {
        self.encoded_len_if_signed(self.signer.is_some())
    }

    /// `Content-Length` of the framed body once signed (`signed`) or not;
    /// the request headers are signed before the chunk signer exists.
    pub fn encoded_len_if_signed(&self, signed: bool) -> u64 {
        let n = self.decoded_len();
        let size = self.chunk_size as u64;
        let sig = if signed {
            CHUNK_SIG_PREFIX.len() as u64 + SIG_LEN
        } else {
            0
        };
        let frame = |len: u64| format!("{len:x}").len() as u64 + sig + 2 + len + 2;
        let full = n / size;
        let tail = n % size;
        let mut total = full * frame(size) + if tail > 0 { frame(tail) } else { 0 };
        total += 1 + sig + 2; // the final chunk: `0[;chunk-signature=..]\r\n`
        let digest_len = self.algorithm.hasher().finish().len() as u64;
        let b64 = digest_len.div_ceil(3) * 4;
        total += self.algorithm.header().len() as u64 + 1 + b64 + 2;
        if signed {
            total += TRAILER_SIG_NAME.len() as u64 + 1 + SIG_LEN + 2;
        }
        total + 2
    }

    /// The incremental framer for this body.
    pub fn encoder(&self) -> Encoder {
        Encoder {
            header: self.algorithm.header(),
            hasher: self.algorithm.hasher(),
            signer: self.signer.clone(),
        }
    }

    /// The whole framed body in memory (small bodies, tests, recordings).
    pub fn encode_to_vec(&self) -> Result<Vec<u8>, Error> {
        let mut enc = self.encoder();
        let mut out = Vec::with_capacity(self.encoded_len() as usize);
        let mut pending: Vec<u8> = Vec::with_capacity(self.chunk_size);
        crate::customizations::checksums::for_each_chunk(Some(&self.inner), &[], |mut piece| {
            while !piece.is_empty() {
                let take = (self.chunk_size - pending.len()).min(piece.len());
                pending.extend_from_slice(&piece[..take]);
                piece = &piece[take..];
                if pending.len() == self.chunk_size {
                    enc.chunk(&pending, &mut out);
                    pending.clear();
                }
            }
        })?;
        if !pending.is_empty() {
            enc.chunk(&pending, &mut out);
        }
        enc.finish(&mut out);
        Ok(out)
    }

    /// The framed body as a stream of chunks, read from memory or from disk
    /// as it is sent (one chunk buffered at a time, a few in the channel).
    pub(crate) fn into_stream(self) -> tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>> {
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
        tokio::spawn(async move {
            let mut enc = self.encoder();
            let size = self.chunk_size;
            let result: Result<(), std::io::Error> = async {
                let mut source = Source::open(&self.inner).await?;
                loop {
                    let piece = source.next(size).await?;
                    if piece.is_empty() {
                        break;
                    }
                    let mut out = Vec::with_capacity(piece.len() + 100);
                    enc.chunk(&piece, &mut out);
                    if tx.send(Ok(Bytes::from(out))).await.is_err() {
                        return Ok(());
                    }
                }
                let mut out = Vec::new();
                enc.finish(&mut out);
                let _ = tx.send(Ok(Bytes::from(out))).await;
                Ok(())
            }
            .await;
            if let Err(e) = result {
                let _ = tx.send(Err(e)).await;
            }
        });
        rx
    }
}

/// Reads the payload in pieces of exactly the chunk size (the last shorter).
enum Source {
    Memory(Bytes),
    File { file: tokio::fs::File, left: u64 },
}

impl Source {
    async fn open(body: &RequestBody) -> Result<Source, std::io::Error> {
        use tokio::io::AsyncSeekExt;
        Ok(match body {
            RequestBody::Empty => Source::Memory(Bytes::new()),
            RequestBody::Bytes(b) => Source::Memory(b.clone()),
            RequestBody::File { path, offset, len } => {
                let mut file = tokio::fs::File::open(path).await?;
                file.seek(std::io::SeekFrom::Start(*offset)).await?;
                Source::File { file, left: *len }
            }
            RequestBody::AwsChunked(_) => {
                return Err(std::io::Error::other(
                    "an aws-chunked body cannot be framed twice",
                ))
            }
        })
    }

    async fn next(&mut self, size: usize) -> Result<Bytes, std::io::Error> {
        use tokio::io::AsyncReadExt;
        match self {
            Source::Memory(b) => Ok(b.split_to(size.min(b.len()))),
            Source::File { file, left } => {
                let want = (*left).min(size as u64) as usize;
                let mut buf = vec![0u8; want];
                let mut got = 0;
                while got < want {
                    let n = file.read(&mut buf[got..]).await?;
                    if n == 0 {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            "file shrank while uploading",
                        ));
                    }
                    got += n;
                }
                *left -= want as u64;
                Ok(Bytes::from(buf))
            }
        }
    }
}

/// Frames chunks one at a time and writes the trailer at the end.
pub struct Encoder {
    header: String,
    hasher: Hasher,
    signer: Option<ChunkSigner>,
}

impl Encoder {
    /// Appends one non-empty data chunk to `out`.
    pub fn chunk(&mut self, data: &[u8], out: &mut Vec<u8>) {
        self.hasher.update(data);
        out.extend_from_slice(format!("{:x}", data.len()).as_bytes());
        if let Some(s) = &mut self.signer {
            out.extend_from_slice(CHUNK_SIG_PREFIX.as_bytes());
            out.extend_from_slice(s.sign_chunk(data).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }

    /// Appends the final empty chunk and the trailer.
    pub fn finish(self, out: &mut Vec<u8>) {
        let Encoder {
            header,
            hasher,
            mut signer,
        } = self;
        out.push(b'0');
        if let Some(s) = &mut signer {
            out.extend_from_slice(CHUNK_SIG_PREFIX.as_bytes());
            out.extend_from_slice(s.sign_chunk(b"").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        let trailer = format!("{header}:{}", hasher.finish_base64());
        out.extend_from_slice(trailer.as_bytes());
        out.extend_from_slice(b"\r\n");
        if let Some(s) = &mut signer {
            let sig = s.sign_trailer(&format!("{trailer}\n"));
            out.extend_from_slice(format!("{TRAILER_SIG_NAME}:{sig}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
#[path = "aws_chunked_tests.rs"]
mod tests;
