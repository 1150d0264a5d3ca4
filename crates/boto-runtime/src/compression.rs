//! Request compression: botocore's `compress.py` (`maybe_compress_request`).
//!
//! Operations with the `requestcompression` trait (today only CloudWatch
//! `PutMetricData`, encodings `["gzip"]`) may send their body gzipped. botocore
//! does so when `disable_request_compression` is not true, the signature
//! version is not `v2`, and either the input is a streaming blob without
//! `requiresLength` or the body is at least `request_min_compression_size_bytes`
//! long (default 10240, valid 1..=1048576). It then sets `Content-Encoding:
//! gzip`, or appends `,gzip` to a modeled `Content-Encoding`. Compression runs
//! after serialization and before the request checksum and the signature, so
//! both cover the compressed bytes (`customizations::common::RequestCompression`
//! is registered before `checksums`).
//!
//! The gzip member is the one Python's `gzip.compress(data)` writes (botocore
//! passes no `mtime` and the default level 9): magic `1f 8b`, method 8, no
//! flags, the current time as MTIME, XFL 2 (best compression), OS 255
//! (unknown), a raw deflate stream, then CRC-32 and the length mod 2^32, both
//! little-endian. The deflate stream is zlib's at level 9 (flate2's `zlib`
//! backend, as Python's `zlib` module), so the whole member is byte-for-byte
//! botocore's but for MTIME, which is the clock on both sides
//! (`crates/boto-cli/tests/request_compression.rs` checks this against
//! botocore; a pure-Rust deflate such as miniz_oxide picks other matches).

use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::io::Write;

/// botocore's default `request_min_compression_size_bytes`.
pub const DEFAULT_MIN_SIZE: u64 = boto_auth::config::parsers::DEFAULT_MIN_COMPRESSION_SIZE;

/// The largest `request_min_compression_size_bytes` botocore accepts (1 MiB).
pub const MAX_MIN_SIZE: u64 = boto_auth::config::parsers::MAX_MIN_COMPRESSION_SIZE;

/// The request-compression settings of a client (botocore's
/// `disable_request_compression` and `request_min_compression_size_bytes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompressionConfig {
    /// Never compress (`disable_request_compression`, `AWS_DISABLE_REQUEST_COMPRESSION`).
    pub disabled: bool,
    /// Bodies at least this long are compressed (`request_min_compression_size_bytes`,
    /// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`).
    pub min_size: u64,
}

impl Default for CompressionConfig {
    fn default() -> Self {
        CompressionConfig {
            disabled: false,
            min_size: DEFAULT_MIN_SIZE,
        }
    }
}

/// Parses `request_min_compression_size_bytes` as botocore's
/// `_validate_min_compression_size` does, with its `InvalidConfigError` text
/// (the settings table's parser, [`boto_auth::config::parsers::min_compression_size`]).
pub fn parse_min_size(value: &str) -> Result<u64, String> {
    use boto_auth::config::Invalid;
    boto_auth::config::parsers::min_compression_size(value).map_err(|e| match e {
        Invalid::Message(m) | Invalid::Expected(m) => m,
    })
}

/// Parses `disable_request_compression` as botocore's `ensure_boolean`:
/// `true` in any case is true, anything else false.
pub fn parse_disabled(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

/// Whether botocore would compress this request (`_should_compress_request`).
///
/// `encodings` is the operation's `requestcompression.encodings` (empty when it
/// has no trait); `streaming` is `Some(requires_length)` for a streaming-blob
/// input. Returns the encoding to apply (`gzip`, the only one botocore knows).
pub fn should_compress(
    config: &CompressionConfig,
    encodings: &[Box<str>],
    signature_v2: bool,
    streaming: Option<bool>,
    body_len: u64,
) -> Option<&'static str> {
    if config.disabled || signature_v2 || encodings.is_empty() {
        return None;
    }
    let wanted = match streaming {
        Some(requires_length) => !requires_length,
        None => body_len >= config.min_size,
    };
    if !wanted {
        return None;
    }
    // botocore walks the encodings in order and uses the first it supports.
    encodings.iter().find(|e| &***e == "gzip").map(|_| "gzip")
}

/// gzips `data` as Python's `gzip.compress(data)` (level 9) with `mtime`
/// (seconds since the epoch, truncated to 32 bits) in the header.
pub fn gzip(data: &[u8], mtime: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2 + 32);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0]);
    out.extend_from_slice(&mtime.to_le_bytes());
    out.extend_from_slice(&[2, 255]);
    let mut enc = DeflateEncoder::new(out, Compression::best());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    let mut out = enc.finish().unwrap_or_default();
    let mut crc = crc32fast::Hasher::new();
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// The current time as gzip's MTIME (Python's `int(time.time())`, 32 bits).
pub fn now_mtime() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as u32)
}

/// botocore's `_set_compression_header`: sets `Content-Encoding`, or appends
/// `,<encoding>` to the value already there.
pub fn set_content_encoding(headers: &mut Vec<(String, String)>, encoding: &str) {
    match headers
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-encoding"))
    {
        Some((_, v)) => *v = format!("{v},{encoding}"),
        None => headers.push(("Content-Encoding".into(), encoding.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn gzip_member_is_pythons_layout() {
        let body = b"Action=PutMetricData&Namespace=a".repeat(50);
        let z = gzip(&body, 0x0102_0304);
        assert_eq!(&z[..10], &[0x1f, 0x8b, 8, 0, 4, 3, 2, 1, 2, 255]);
        let n = z.len();
        assert_eq!(&z[n - 4..], &(body.len() as u32).to_le_bytes());
        assert_eq!(
            &z[n - 8..n - 4],
            &crc32fast::hash(&body).to_le_bytes(),
            "CRC-32 of the uncompressed body"
        );
        assert_eq!(gunzip(&z), body);
        assert!(z.len() < body.len() / 4);
    }

    #[test]
    fn empty_body_gzips_to_a_valid_member() {
        let z = gzip(b"", 0);
        assert_eq!(gunzip(&z), b"");
    }

    #[test]
    fn min_size_as_botocore_validates_it() {
        assert_eq!(parse_min_size("10240"), Ok(10240));
        assert_eq!(parse_min_size(" 1 "), Ok(1));
        assert_eq!(parse_min_size("1_000"), Ok(1000));
        assert_eq!(parse_min_size("1048576"), Ok(1_048_576));
        assert_eq!(
            parse_min_size("0").unwrap_err(),
            "Invalid value \"0\" for request_min_compression_size_bytes. Value must be between 1 and 1048576."
        );
        assert!(parse_min_size("1048577")
            .unwrap_err()
            .contains("between 1 and 1048576"));
        assert!(parse_min_size("-5").unwrap_err().contains("between"));
        assert_eq!(
            parse_min_size("ten").unwrap_err(),
            "Invalid value \"ten\" for request_min_compression_size_bytes. Value must be an integer. Received <class 'str'> instead."
        );
        assert!(parse_min_size("1.5").unwrap_err().contains("integer"));
        assert!(parse_min_size("99999999999999999999999")
            .unwrap_err()
            .contains("between"));
    }

    #[test]
    fn disabled_is_ensure_boolean() {
        assert!(parse_disabled("true"));
        assert!(parse_disabled("TRUE"));
        assert!(!parse_disabled("1"));
        assert!(!parse_disabled("yes"));
        assert!(!parse_disabled("false"));
    }

    #[test]
    fn when_to_compress() {
        let gz: Vec<Box<str>> = vec!["gzip".into()];
        let c = CompressionConfig::default();
        assert_eq!(should_compress(&c, &gz, false, None, 10240), Some("gzip"));
        assert_eq!(should_compress(&c, &gz, false, None, 10239), None);
        assert_eq!(should_compress(&c, &[], false, None, 1 << 20), None);
        assert_eq!(should_compress(&c, &gz, true, None, 1 << 20), None);
        let off = CompressionConfig {
            disabled: true,
            ..c
        };
        assert_eq!(should_compress(&off, &gz, false, None, 1 << 20), None);
        let small = CompressionConfig { min_size: 1, ..c };
        assert_eq!(should_compress(&small, &gz, false, None, 1), Some("gzip"));
        // Streaming inputs: any size unless the model requires a length.
        assert_eq!(
            should_compress(&c, &gz, false, Some(false), 3),
            Some("gzip")
        );
        assert_eq!(should_compress(&c, &gz, false, Some(true), 1 << 20), None);
        let other: Vec<Box<str>> = vec!["br".into(), "gzip".into()];
        assert_eq!(
            should_compress(&c, &other, false, None, 1 << 20),
            Some("gzip")
        );
        let unknown: Vec<Box<str>> = vec!["br".into()];
        assert_eq!(should_compress(&c, &unknown, false, None, 1 << 20), None);
    }

    #[test]
    fn content_encoding_is_set_or_appended() {
        let mut h = vec![("Content-Type".to_string(), "x".to_string())];
        set_content_encoding(&mut h, "gzip");
        assert_eq!(h[1], ("Content-Encoding".into(), "gzip".into()));
        let mut h = vec![("content-encoding".to_string(), "custom".to_string())];
        set_content_encoding(&mut h, "gzip");
        assert_eq!(h[0].1, "custom,gzip");
    }
}
