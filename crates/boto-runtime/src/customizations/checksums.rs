//! Flexible checksums: botocore's `httpchecksum.py`, for every service.
//!
//! Operations carry an `httpChecksum` trait (S3 mostly, a few others) or the
//! older `httpChecksumRequired` flag. botocore applies them from `client.py`
//! for any service, so this interceptor is registered for all of them and is
//! a no-op for operations without the traits.
//!
//! * Request: with `request_checksum_calculation = when_supported` every
//!   operation with a `requestAlgorithmMember` gets a CRC32 (the default)
//!   unless the caller chose an algorithm; required checksums are always
//!   sent. The value goes in `x-amz-checksum-<algo>` (base64), and when the
//!   default was chosen the algorithm member's header says `CRC32`. A caller
//!   who set any `x-amz-checksum-*` header opts out. botocore 1.43 never adds
//!   `Content-MD5` any more (its `conditional-md5` path is unreachable), so
//!   neither do we.
//! * Trailer: for streaming-input operations under `ClientConfig::trailing_checksums`
//!   (`WhenHttps` = botocore's rule, `Unsigned`, `Signed`; default `Never`)
//!   the checksum is not computed here: the request announces it
//!   (`Content-Encoding: aws-chunked`, `X-Amz-Trailer`,
//!   `X-Amz-Decoded-Content-Length`) and the pipeline sends the body framed by
//!   [`crate::aws_chunked`] with the checksum as a trailer.
//! * Response: when the request carried the validation-mode member (botocore
//!   sets `ChecksumMode=ENABLED` under `response_checksum_validation =
//!   when_supported`), the first checksum header present in priority order is
//!   checked against the body; multipart composites (`...-N`) are skipped.
//!   Buffered bodies are checked in `read_after_response`; streamed bodies
//!   need [`StreamValidator`], which the pipeline wraps around the stream.

use crate::aws_chunked::{TrailingChecksum, TrailingChecksums};
use crate::config::ChecksumMode;
use crate::error::Error;
use crate::http::RequestBody;
use crate::interceptor::{CallInfo, Interceptor, RequestContext, ResponseContext};
use base64::Engine;
use boto_model::{Operation, ServiceModel, ShapeKind, Value};

/// A checksum algorithm boto-rs can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// CRC-32 (ISO-HDLC, `x-amz-checksum-crc32`), the `WHEN_SUPPORTED` default of botocore 1.36+.
    Crc32,
    /// CRC-32C (Castagnoli, `x-amz-checksum-crc32c`).
    Crc32c,
    /// CRC-64/NVME (`x-amz-checksum-crc64nvme`), S3's full-object checksum; botocore needs awscrt
    /// for it.
    Crc64Nvme,
    /// SHA-1 (`x-amz-checksum-sha1`).
    Sha1,
    /// SHA-256 (`x-amz-checksum-sha256`).
    Sha256,
    /// SHA-512 (`x-amz-checksum-sha512`).
    Sha512,
}

/// Response validation preference, botocore's `_ALGORITHMS_PRIORITY_LIST`
/// restricted to what we implement (no xxhash).
const PRIORITY: [Algorithm; 6] = [
    Algorithm::Crc64Nvme,
    Algorithm::Crc32c,
    Algorithm::Crc32,
    Algorithm::Sha1,
    Algorithm::Sha256,
    Algorithm::Sha512,
];

impl Algorithm {
    /// Parses a model/parameter spelling (`CRC32`, `crc64nvme`, ...).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Some(match name.to_ascii_lowercase().as_str() {
            "crc32" => Algorithm::Crc32,
            "crc32c" => Algorithm::Crc32c,
            "crc64nvme" => Algorithm::Crc64Nvme,
            "sha1" => Algorithm::Sha1,
            "sha256" => Algorithm::Sha256,
            "sha512" => Algorithm::Sha512,
            _ => return None,
        })
    }

    /// Lower-case name, as in the header.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "crc32",
            Algorithm::Crc32c => "crc32c",
            Algorithm::Crc64Nvme => "crc64nvme",
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// `x-amz-checksum-<name>`.
    pub fn header(self) -> String {
        format!("x-amz-checksum-{}", self.name())
    }

    /// A fresh incremental hasher for this algorithm.
    pub fn hasher(self) -> Hasher {
        match self {
            Algorithm::Crc32 => Hasher::Crc32(crc32fast::Hasher::new()),
            Algorithm::Crc32c => Hasher::Crc32c(0),
            Algorithm::Crc64Nvme => Hasher::Crc64(!0),
            Algorithm::Sha1 => Hasher::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY),
            Algorithm::Sha256 => Hasher::digest(&ring::digest::SHA256),
            Algorithm::Sha512 => Hasher::digest(&ring::digest::SHA512),
        }
    }

    /// Base64 checksum of `data`.
    pub fn checksum(self, data: &[u8]) -> String {
        let mut h = self.hasher();
        h.update(data);
        h.finish_base64()
    }
}

/// An incremental checksum.
pub enum Hasher {
    /// CRC-32 state.
    Crc32(crc32fast::Hasher),
    /// CRC-32C running value.
    Crc32c(u32),
    /// CRC-64/NVME running value (kept inverted until [`Hasher::finish`]).
    Crc64(u64),
    /// A SHA digest context (SHA-1, SHA-256 or SHA-512).
    Digest(Box<ring::digest::Context>),
}

impl Hasher {
    fn digest(algorithm: &'static ring::digest::Algorithm) -> Hasher {
        Hasher::Digest(Box::new(ring::digest::Context::new(algorithm)))
    }

    /// Feeds more bytes; call it per chunk as they are read or sent.
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Crc32(h) => h.update(data),
            Hasher::Crc32c(c) => *c = crc32c::crc32c_append(*c, data),
            Hasher::Crc64(c) => *c = crc64nvme_update(*c, data),
            Hasher::Digest(d) => d.update(data),
        }
    }

    /// The raw digest (big-endian for the CRCs, like botocore).
    pub fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            Hasher::Crc32c(c) => c.to_be_bytes().to_vec(),
            Hasher::Crc64(c) => (!c).to_be_bytes().to_vec(),
            Hasher::Digest(d) => d.finish().as_ref().to_vec(),
        }
    }

    /// The digest base64-encoded, as the `x-amz-checksum-*` headers carry it.
    pub fn finish_base64(self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.finish())
    }
}

/// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), the default of S3's
/// full-object checksums; botocore needs the CRT for it.
const CRC64_TABLE: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u64;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0x9a6c_9329_ac4b_c9b5
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

fn crc64nvme_update(mut crc: u64, data: &[u8]) -> u64 {
    for &b in data {
        crc = CRC64_TABLE[((crc ^ u64::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

/// Feeds a request body to `f` chunk by chunk: in-memory bytes at once, a
/// file region read from disk in 1 MiB pieces.
pub(crate) fn for_each_chunk(
    body: Option<&RequestBody>,
    serialized: &[u8],
    mut f: impl FnMut(&[u8]),
) -> Result<(), Error> {
    match body {
        None => f(serialized),
        Some(RequestBody::Empty) => f(&[]),
        Some(RequestBody::Bytes(b)) => f(b),
        Some(RequestBody::AwsChunked(b)) => return for_each_chunk(Some(b.inner()), serialized, f),
        Some(RequestBody::File { path, offset, len }) => {
            use std::io::{Read, Seek, SeekFrom};
            let err = |e: std::io::Error| {
                Error::construction(format!("cannot read {}: {e}", path.display()))
            };
            let mut file = std::fs::File::open(path).map_err(err)?;
            file.seek(SeekFrom::Start(*offset)).map_err(err)?;
            let mut left = *len;
            let mut buf = vec![0u8; 1024 * 1024];
            while left > 0 {
                let want = left.min(buf.len() as u64) as usize;
                let n = file.read(&mut buf[..want]).map_err(err)?;
                if n == 0 {
                    return Err(Error::construction(format!(
                        "{} is shorter than expected",
                        path.display()
                    )));
                }
                f(&buf[..n]);
                left -= n as u64;
            }
        }
    }
    Ok(())
}

/// The input member `name`'s wire name (header name for header members).
fn member_location<'m>(model: &'m ServiceModel, op: &'m Operation, name: &str) -> Option<&'m str> {
    let input = model.shape(op.input.as_ref()?.target).as_structure()?;
    let member = input.members.iter().find(|m| &*m.name == name)?;
    model.location_name(member)
}

/// Whether a header name is `x-amz-checksum-<anything alphanumeric>`
/// (botocore's `CHECKSUM_HEADER_PATTERN`, which also matches `-mode`/`-type`).
fn is_checksum_header(name: &str) -> bool {
    const PREFIX: &str = "x-amz-checksum-";
    name.len() >= PREFIX.len()
        && name[..PREFIX.len()].eq_ignore_ascii_case(PREFIX)
        && name[PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric())
}

/// `checksums`: request checksums and response validation (all services).
#[derive(Debug, Default)]
pub struct Checksums;

impl Interceptor for Checksums {
    fn name(&self) -> &'static str {
        "checksums"
    }

    /// botocore `_handle_request_validation_mode_member`.
    fn modify_before_serialization(
        &self,
        call: &CallInfo<'_>,
        params: &mut Value,
    ) -> Result<(), Error> {
        if call.presigning {
            return Ok(());
        }
        let Some(mode) = call
            .operation
            .http_checksum
            .as_ref()
            .and_then(|h| h.request_validation_mode_member.as_deref())
        else {
            return Ok(());
        };
        if call.config.response_checksum_validation != ChecksumMode::WhenSupported {
            return Ok(());
        }
        if let Some(map) = params.as_map_mut() {
            if map.get(mode).is_none_or(Value::is_null) {
                map.insert(mode.to_string(), Value::String("ENABLED".into()));
            }
        }
        Ok(())
    }

    /// botocore `resolve_request_checksum_algorithm` + `apply_request_checksum` (header variant).
    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        if call.presigning {
            return Ok(());
        }
        let op = call.operation;
        let hc = op.http_checksum.as_ref();
        let required = op.http_checksum_required || hc.is_some_and(|h| h.request_checksum_required);
        let algorithm_member = hc.and_then(|h| h.request_algorithm_member.as_deref());
        if !required && algorithm_member.is_none() {
            return Ok(());
        }
        if ctx
            .request
            .headers
            .iter()
            .any(|(k, _)| is_checksum_header(k))
        {
            return Ok(());
        }
        let chosen = algorithm_member.and_then(|m| ctx.params.get(m).as_str());
        let algorithm = match chosen {
            Some(name) => Algorithm::from_name(name).ok_or_else(|| {
                Error::validation(format!(
                    "Unsupported checksum algorithm: {} (supported: crc32, crc32c, crc64nvme, sha1, sha256, sha512)",
                    name.to_ascii_lowercase()
                ))
            })?,
            None if required || call.config.request_checksum_calculation == ChecksumMode::WhenSupported => {
                if let Some(header) = algorithm_member.and_then(|m| member_location(call.model, op, m)) {
                    ctx.request.set_header(header, "CRC32");
                }
                Algorithm::Crc32
            }
            None => return Ok(()),
        };
        if let Some(signed) = trailer_mode(call, ctx) {
            return apply_trailer(ctx, algorithm, signed);
        }
        let mut hasher = algorithm.hasher();
        for_each_chunk(ctx.body.as_ref(), ctx.request.body.as_bytes(), |c| {
            hasher.update(c)
        })?;
        ctx.request
            .set_header(&algorithm.header(), hasher.finish_base64());
        Ok(())
    }

    /// botocore `handle_checksum_body` for buffered bodies.
    fn read_after_response(
        &self,
        call: &CallInfo<'_>,
        resp: &ResponseContext<'_>,
    ) -> Result<(), Error> {
        if streams_output(call) {
            return Ok(()); // the body is not here; see StreamValidator
        }
        let Some(mut v) = StreamValidator::for_response(call, &resp.request.headers, resp.headers)
        else {
            return Ok(());
        };
        v.update(resp.body);
        v.finish()
    }
}

/// botocore `resolve_request_checksum_algorithm`'s choice of `location`:
/// `Some(signed)` when the checksum goes in an `aws-chunked` trailer.
fn trailer_mode(call: &CallInfo<'_>, ctx: &RequestContext<'_>) -> Option<bool> {
    call.operation.streaming_input(call.model)?;
    match call.config.trailing_checksums {
        TrailingChecksums::Never => None,
        TrailingChecksums::WhenHttps => ctx
            .endpoint
            .url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
            .then_some(false),
        TrailingChecksums::Unsigned => Some(false),
        TrailingChecksums::Signed => Some(call.config.sign_requests),
    }
}

/// botocore `_apply_request_trailer_checksum`: the headers announcing the
/// trailer; the pipeline frames the body when it signs.
fn apply_trailer(
    ctx: &mut RequestContext<'_>,
    algorithm: Algorithm,
    signed: bool,
) -> Result<(), Error> {
    if ctx.body.is_none() {
        let serialized = std::mem::take(&mut ctx.request.body);
        *ctx.body = Some(RequestBody::Bytes(serialized.as_bytes().to_vec().into()));
    }
    let decoded = ctx.body.as_ref().map_or(0, RequestBody::len);
    let encoding = match ctx.request.header("Content-Encoding") {
        // botocore appends (`headers["Content-Encoding"] += ",aws-chunked"`).
        Some(e) if !e.is_empty() => format!("{e},aws-chunked"),
        _ => "aws-chunked".to_string(),
    };
    ctx.request.set_header("Content-Encoding", encoding);
    ctx.request.set_header("X-Amz-Trailer", algorithm.header());
    ctx.request
        .set_header("X-Amz-Decoded-Content-Length", decoded.to_string());
    ctx.signing.trailing_checksum = Some(TrailingChecksum { algorithm, signed });
    Ok(())
}

fn streams_output(call: &CallInfo<'_>) -> bool {
    call.operation
        .streaming_output(call.model)
        .is_some_and(|m| matches!(call.model.shape(m.target).kind, ShapeKind::Blob))
}

/// Checks a response body against its `x-amz-checksum-*` header as it is read.
///
/// The pipeline creates one per streamed response
/// ([`StreamValidator::for_response`]), feeds every chunk to
/// [`update`](StreamValidator::update) and calls
/// [`finish`](StreamValidator::finish) at the end of the stream.
pub struct StreamValidator {
    algorithm: Algorithm,
    expected: String,
    hasher: Hasher,
}

impl std::fmt::Debug for StreamValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamValidator")
            .field("algorithm", &self.algorithm)
            .field("expected", &self.expected)
            .finish()
    }
}

impl StreamValidator {
    /// A validator when the operation supports response checksums, the
    /// request enabled validation (its mode-member header was sent) and the
    /// response carries a full-object checksum we can compute.
    pub fn for_response(
        call: &CallInfo<'_>,
        request_headers: &[(String, String)],
        response_headers: &[(String, String)],
    ) -> Option<StreamValidator> {
        let hc = call.operation.http_checksum.as_ref()?;
        let mode = hc.request_validation_mode_member.as_deref()?;
        let enabled = match member_location(call.model, call.operation, mode) {
            Some(h) => request_headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case(h)),
            None => call.config.response_checksum_validation == ChecksumMode::WhenSupported,
        };
        if !enabled {
            return None;
        }
        let offered: Vec<Algorithm> = hc
            .response_algorithms
            .iter()
            .filter_map(|a| Algorithm::from_name(a))
            .collect();
        for algorithm in PRIORITY.iter().copied().filter(|a| offered.contains(a)) {
            let header = algorithm.header();
            let Some((_, value)) = response_headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&header))
            else {
                continue;
            };
            if value.contains('-') {
                continue; // composite checksum of the parts' checksums, not of the body
            }
            return Some(StreamValidator {
                algorithm,
                expected: value.trim().to_string(),
                hasher: algorithm.hasher(),
            });
        }
        None
    }

    /// The algorithm of the header being checked.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Hashes the next piece of the streamed body.
    pub fn update(&mut self, chunk: &[u8]) {
        self.hasher.update(chunk);
    }

    /// Compares the digest with the header; a mismatch is a (retryable) response error.
    pub fn finish(self) -> Result<(), Error> {
        let actual = self.hasher.finish();
        let expected = base64::engine::general_purpose::STANDARD
            .decode(&self.expected)
            .ok();
        if expected.as_deref() == Some(&actual[..]) {
            return Ok(());
        }
        Err(Error::response_transient(format!(
            "Expected checksum {} did not match calculated checksum: {} ({})",
            self.expected,
            base64::engine::general_purpose::STANDARD.encode(&actual),
            self.algorithm.header()
        )))
    }
}

impl crate::http::BodyObserver for StreamValidator {
    fn update(&mut self, chunk: &[u8]) {
        StreamValidator::update(self, chunk)
    }
    fn finish(self: Box<Self>) -> Result<(), Error> {
        StreamValidator::finish(*self)
    }
}

#[cfg(test)]
#[path = "checksums_tests.rs"]
mod tests;
