//! Tests of the flexible-checksum interceptor and algorithms.
use super::*;
use crate::customizations::testutil::{v, Harness};
use crate::error::ErrorKind;
use serde_json::json;

#[test]
fn algorithm_check_values() {
    // The CRC catalogue's check values over "123456789".
    assert_eq!(Algorithm::Crc32.checksum(b"123456789"), "y/Q5Jg==");
    assert_eq!(Algorithm::Crc32c.checksum(b"123456789"), "4waSgw==");
    assert_eq!(Algorithm::Crc64Nvme.checksum(b"123456789"), "rosUhgp5mIg=");
    // Python's binascii/hashlib over "hello world".
    assert_eq!(Algorithm::Crc32.checksum(b"hello world"), "DUoRhQ==");
    assert_eq!(
        Algorithm::Sha1.checksum(b"hello world"),
        "Kq5sNclPz7QV2+lfQIuc6R7oRu0="
    );
    assert_eq!(
        Algorithm::Sha256.checksum(b"hello world"),
        "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="
    );
    assert!(Algorithm::Sha512
        .checksum(b"hello world")
        .starts_with("MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+Y"));
    // Incremental updates give the same result.
    let mut h = Algorithm::Crc64Nvme.hasher();
    h.update(b"1234");
    h.update(b"56789");
    assert_eq!(h.finish_base64(), "rosUhgp5mIg=");
    assert_eq!(
        Algorithm::from_name("CRC64NVME"),
        Some(Algorithm::Crc64Nvme)
    );
    assert_eq!(Algorithm::from_name("xxhash64"), None);
}

fn put_object(
    config: impl FnOnce(&mut crate::config::ClientConfig),
    params: serde_json::Value,
) -> boto_protocols::Request {
    let h = Harness::new("s3", "PutObject").with_config(config);
    let body = Some(RequestBody::Bytes(bytes::Bytes::from_static(
        b"hello world",
    )));
    h.before_signing(&Checksums, &v(params), body).unwrap().0
}

#[test]
fn default_crc32_when_supported() {
    let req = put_object(|_| {}, json!({"Bucket": "b", "Key": "k"}));
    assert_eq!(req.header("x-amz-checksum-crc32"), Some("DUoRhQ=="));
    assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
    assert_eq!(
        req.header("content-md5"),
        None,
        "botocore 1.43 never adds Content-MD5"
    );
}

#[test]
fn chosen_algorithm_and_opt_outs() {
    let req = put_object(
        |_| {},
        json!({"Bucket": "b", "Key": "k", "ChecksumAlgorithm": "SHA256"}),
    );
    assert_eq!(
        req.header("x-amz-checksum-sha256"),
        Some("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
    );
    assert_eq!(
        req.header("x-amz-sdk-checksum-algorithm"),
        Some("SHA256"),
        "from the parameter"
    );
    assert_eq!(req.header("x-amz-checksum-crc32"), None);
    // The caller's own checksum wins.
    let req = put_object(
        |_| {},
        json!({"Bucket": "b", "Key": "k", "ChecksumCRC32": "AAAAAA=="}),
    );
    assert_eq!(req.header("x-amz-checksum-crc32"), Some("AAAAAA=="));
    assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), None);
    // when_required: optional checksums are not sent...
    let req = put_object(
        |c| c.request_checksum_calculation = ChecksumMode::WhenRequired,
        json!({"Bucket": "b", "Key": "k"}),
    );
    assert!(!req.headers.iter().any(|(k, _)| is_checksum_header(k)));
    // ...unless the caller picked an algorithm.
    let req = put_object(
        |c| c.request_checksum_calculation = ChecksumMode::WhenRequired,
        json!({"Bucket": "b", "Key": "k", "ChecksumAlgorithm": "CRC32C"}),
    );
    assert_eq!(
        req.header("x-amz-checksum-crc32c"),
        Some(Algorithm::Crc32c.checksum(b"hello world").as_str())
    );
}

#[test]
fn required_checksums_are_always_sent() {
    let h = Harness::new("s3", "PutBucketTagging")
        .with_config(|c| c.request_checksum_calculation = ChecksumMode::WhenRequired);
    let params = v(json!({"Bucket": "b", "Tagging": {"TagSet": [{"Key": "a", "Value": "b"}]}}));
    let (req, _) = h.before_signing(&Checksums, &params, None).unwrap();
    let want = Algorithm::Crc32.checksum(req.body.as_bytes());
    assert_eq!(req.header("x-amz-checksum-crc32"), Some(want.as_str()));
    // Operations without the traits are untouched.
    let h = Harness::new("s3", "ListBuckets");
    let (req, _) = h.before_signing(&Checksums, &Value::Null, None).unwrap();
    assert!(!req.headers.iter().any(|(k, _)| is_checksum_header(k)));
}

#[test]
fn unsupported_algorithm_is_a_validation_error() {
    let h = Harness::new("s3", "PutObject");
    let params = v(json!({"Bucket": "b", "Key": "k", "ChecksumAlgorithm": "XXHASH64"}));
    let err = h.before_signing(&Checksums, &params, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err
        .message()
        .contains("Unsupported checksum algorithm: xxhash64"));
}

#[test]
fn file_bodies_are_hashed_from_disk() {
    let dir = std::env::temp_dir().join(format!("boto-rs-cksum-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("body.bin");
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let h = Harness::new("s3", "UploadPart");
    let params = v(json!({"Bucket": "b", "Key": "k", "PartNumber": 1, "UploadId": "u"}));
    let body = Some(RequestBody::File {
        path: path.clone(),
        offset: 100,
        len: 2_500_000,
    });
    let (req, _) = h.before_signing(&Checksums, &params, body).unwrap();
    let want = Algorithm::Crc32.checksum(&data[100..2_500_100]);
    assert_eq!(req.header("x-amz-checksum-crc32"), Some(want.as_str()));
    let short = Some(RequestBody::File {
        path: path.clone(),
        offset: 0,
        len: 4_000_000,
    });
    assert!(h.before_signing(&Checksums, &params, short).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn validation_mode_member_is_enabled_when_supported() {
    let h = Harness::new("s3", "GetObject");
    let mut p = v(json!({"Bucket": "b", "Key": "k"}));
    Checksums
        .modify_before_serialization(&h.call(), &mut p)
        .unwrap();
    assert_eq!(p.get("ChecksumMode").as_str(), Some("ENABLED"));
    let h = h.with_config(|c| c.response_checksum_validation = ChecksumMode::WhenRequired);
    let mut p = v(json!({"Bucket": "b", "Key": "k"}));
    Checksums
        .modify_before_serialization(&h.call(), &mut p)
        .unwrap();
    assert!(p.get("ChecksumMode").is_null());
}

fn hdrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn stream_validator_picks_and_checks() {
    let h = Harness::new("s3", "GetObject");
    let call = h.call();
    let enabled = hdrs(&[("x-amz-checksum-mode", "ENABLED")]);
    let body = b"hello world";
    // CRC32 is preferred over SHA256 when both are present.
    let resp = hdrs(&[
        ("x-amz-checksum-sha256", "bogus"),
        ("x-amz-checksum-crc32", "DUoRhQ=="),
    ]);
    let mut val = StreamValidator::for_response(&call, &enabled, &resp).unwrap();
    assert_eq!(val.algorithm(), Algorithm::Crc32);
    val.update(&body[..5]);
    val.update(&body[5..]);
    val.finish().unwrap();
    // A mismatch names both values and is retryable.
    let resp = hdrs(&[("x-amz-checksum-crc32", "AAAAAA==")]);
    let mut val = StreamValidator::for_response(&call, &enabled, &resp).unwrap();
    val.update(body);
    let err = val.finish().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Response);
    assert!(
        err.message().contains("AAAAAA==") && err.message().contains("DUoRhQ=="),
        "{}",
        err.message()
    );
    assert!(crate::retry::classify(&err, None).is_some());
    // Composite multipart checksums are skipped; so is a request without the mode header.
    let resp = hdrs(&[("x-amz-checksum-crc32", "DUoRhQ==-3")]);
    assert!(StreamValidator::for_response(&call, &enabled, &resp).is_none());
    let resp = hdrs(&[("x-amz-checksum-crc32", "DUoRhQ==")]);
    assert!(StreamValidator::for_response(&call, &[], &resp).is_none());
    // Buffered path: GetObject streams, so read_after_response leaves it to the validator.
    let mut req = h.http_request();
    req.headers = enabled.clone();
    let bad = hdrs(&[("x-amz-checksum-crc32", "AAAAAA==")]);
    assert!(Checksums
        .read_after_response(&call, &h.response(200, &bad, b"", &req))
        .is_ok());
}

/// botocore `_apply_request_trailer_checksum`: with a trailer the checksum is
/// announced, not computed; `WhenHttps` applies only to https endpoints (the
/// harness's endpoint is https), `Never` keeps the header checksum.
#[test]
fn trailer_headers_replace_the_checksum_header() {
    use crate::aws_chunked::TrailingChecksums;
    for mode in [
        TrailingChecksums::WhenHttps,
        TrailingChecksums::Unsigned,
        TrailingChecksums::Signed,
    ] {
        let req = put_object(
            |c| c.trailing_checksums = mode,
            json!({"Bucket": "b", "Key": "k", "ContentEncoding": "gzip", "ChecksumAlgorithm": "CRC64NVME"}),
        );
        assert_eq!(req.header("x-amz-checksum-crc64nvme"), None, "{mode:?}");
        assert_eq!(req.header("content-encoding"), Some("gzip,aws-chunked"));
        assert_eq!(
            req.header("x-amz-trailer"),
            Some("x-amz-checksum-crc64nvme")
        );
        assert_eq!(req.header("x-amz-decoded-content-length"), Some("11"));
    }
    let req = put_object(
        |c| c.trailing_checksums = TrailingChecksums::Never,
        json!({"Bucket": "b", "Key": "k"}),
    );
    assert_eq!(req.header("x-amz-checksum-crc32"), Some("DUoRhQ=="));
    assert_eq!(req.header("x-amz-trailer"), None);
    assert_eq!(req.header("content-encoding"), None);
}
