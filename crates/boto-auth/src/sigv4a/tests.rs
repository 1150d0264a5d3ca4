//! Unit tests for SigV4a; the full corpus runs in `tests/sigv4a_suite.rs`.

use std::time::{Duration, UNIX_EPOCH};

use super::*;
use crate::Credentials;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn creds(token: Option<&str>) -> Credentials {
    Credentials::new(AKID, SECRET, token.map(str::to_string), None, "test")
}

fn when() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160) // 2015-08-30T12:36:00Z
}

#[test]
fn derives_the_published_example_key() {
    // public-key.json of the aws-signing-test-suite v4a cases (same credentials).
    let key = SigningKey::derive(AKID, SECRET).unwrap();
    let (x, y) = key.public_key_xy_hex();
    assert_eq!(
        x,
        "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1"
    );
    assert_eq!(
        y,
        "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518"
    );
    let shown = format!("{key:?}");
    assert!(!shown.contains(SECRET) && shown.contains("public_key"));
}

#[test]
fn signature_verifies_and_rejects_tampering() {
    let key = SigningKey::derive(AKID, SECRET).unwrap();
    let sig = key.sign_hex("hello").unwrap();
    let pk = key.public_key_sec1();
    assert!(verify_signature(&pk, "hello", &sig));
    assert!(!verify_signature(&pk, "hellO", &sig));
    assert!(!verify_signature(&pk, "hello", "zz"));
    assert!(!verify_signature(&pk[..10], "hello", &sig));
    let other = SigningKey::derive("AKIDOTHER", SECRET).unwrap();
    assert!(!verify_signature(&other.public_key_sec1(), "hello", &sig));
}

#[test]
fn header_signing_sets_region_set_and_scope_without_region() {
    let req = SignableRequest::new("GET", "https", "example.amazonaws.com", "/");
    let out = sign(&req, &creds(None), &SigningParams::new("*", "s3", when())).unwrap();
    let get = |n: &str| {
        out.headers()
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("X-Amz-Region-Set"), Some("*"));
    assert_eq!(get("X-Amz-Date"), Some("20150830T123600Z"));
    let authz = get("Authorization").unwrap();
    assert!(authz.starts_with(
        "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/s3/aws4_request, \
         SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=30"
    ));
    let pk = SigningKey::derive(AKID, SECRET).unwrap().public_key_sec1();
    assert!(verify_signature(&pk, out.string_to_sign(), out.signature()));
}

#[test]
fn unsigned_payload_and_old_auth_headers() {
    let req = SignableRequest::new("PUT", "https", "example.amazonaws.com", "/k")
        .header("Authorization", "old")
        .header("X-Amz-Security-Token", "stale")
        .body(SignableBody::UnsignedPayload);
    let out = sign(
        &req,
        &creds(None),
        &SigningParams::new("us-west-2", "s3", when()),
    )
    .unwrap();
    assert!(out.canonical_request().ends_with("\nUNSIGNED-PAYLOAD"));
    assert!(out
        .headers()
        .iter()
        .any(|(k, v)| *k == "X-Amz-Content-SHA256" && v == "UNSIGNED-PAYLOAD"));
    assert_eq!(out.remove_headers(), &["X-Amz-Security-Token"]);
    assert!(!out.canonical_request().contains("stale"));
}

#[test]
fn session_token_signed_or_added_after() {
    let req = SignableRequest::new("GET", "https", "example.amazonaws.com", "/");
    let signed = sign(
        &req,
        &creds(Some("tok")),
        &SigningParams::new("us-east-1", "svc", when()),
    )
    .unwrap();
    assert!(signed
        .canonical_request()
        .contains("x-amz-security-token:tok"));
    assert!(!format!("{signed:?}").contains("tok\""));
    let mut params = SigningParams::new("us-east-1", "svc", when());
    params.settings.session_token_mode = SessionTokenMode::Unsigned;
    let after = sign(&req, &creds(Some("tok")), &params).unwrap();
    assert!(!after.canonical_request().contains("tok"));
    assert!(after
        .headers()
        .iter()
        .any(|(k, v)| *k == "X-Amz-Security-Token" && v == "tok"));
}

#[test]
fn presigned_url_carries_region_set_and_verifies() {
    let req =
        SignableRequest::new("GET", "https", "example.amazonaws.com", "/a b").query_param("x", "1");
    let params = SigningParams::new("us-east-1,us-west-2", "s3", when())
        .with_settings(SigningSettings::s3().with_expires_in(Duration::from_secs(60)));
    let url = presign(&req, &creds(Some("t/k")), &params).unwrap();
    assert!(url.url().starts_with(
        "https://example.amazonaws.com/a b?x=1&X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&\
         X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fs3%2Faws4_request&X-Amz-Date=20150830T123600Z&\
         X-Amz-SignedHeaders=host&X-Amz-Expires=60&X-Amz-Security-Token=t%2Fk&\
         X-Amz-Region-Set=us-east-1%2Cus-west-2&X-Amz-Signature="
    ));
    assert!(url.canonical_request().ends_with("\nUNSIGNED-PAYLOAD"));
    let pk = SigningKey::derive(AKID, SECRET).unwrap().public_key_sec1();
    assert!(verify_signature(&pk, url.string_to_sign(), url.signature()));
    assert!(!format!("{url:?}").contains("t%2Fk"));
}

#[test]
fn bad_inputs_are_errors_without_secrets() {
    let req = SignableRequest::new("GET", "https", "example.amazonaws.com", "/");
    for bad in ["", "us-east-1,", "us east", "a\nb"] {
        let err = sign(&req, &creds(None), &SigningParams::new(bad, "s", when())).unwrap_err();
        assert_eq!(err, Sigv4aError::InvalidRegionSet);
    }
    let mut params = SigningParams::new("us-east-1", "s", when());
    params.settings.expires_in = Duration::from_secs(0);
    let err = presign(&req, &creds(None), &params).unwrap_err();
    assert!(matches!(err, Sigv4aError::Signing(_)));
    let bad_header = SignableRequest::new("GET", "https", "h", "/").header("X-Bin", b"\xff");
    let err = sign(
        &bad_header,
        &creds(None),
        &SigningParams::new("*", "s", when()),
    )
    .unwrap_err();
    assert!(!err.to_string().contains(SECRET));
}

#[test]
fn existing_content_sha256_is_the_payload_except_for_s3() {
    let req = SignableRequest::new("PUT", "https", "example.amazonaws.com", "/k")
        .header("X-Amz-Content-SHA256", "abc123")
        .body(SignableBody::Bytes(b"x"));
    let generic = sign(&req, &creds(None), &SigningParams::new("*", "svc", when())).unwrap();
    assert!(generic.canonical_request().ends_with("\nabc123"));
    let s3 = SigningParams::new("*", "s3", when()).with_settings(SigningSettings::s3());
    let out = sign(&req, &creds(None), &s3).unwrap();
    let x_hash = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
    assert!(out.canonical_request().ends_with(x_hash));
    assert!(out
        .headers()
        .iter()
        .any(|(k, v)| *k == "X-Amz-Content-SHA256" && v == x_hash));
}
