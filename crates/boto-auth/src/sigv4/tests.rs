//! Known-answer tests from AWS's S3 SigV4 documentation, presigned POST round
//! trips, and the guarantee that nothing here formats a secret.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use ring::hmac;
use serde_json::{json, Value};

use super::*;
use crate::Credentials;

const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "SeSsIoNtOkEn/with+special=chars";

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// 2013-05-24T00:00:00Z, the date of AWS's S3 examples.
fn s3_doc_time() -> SystemTime {
    at(1_369_353_600)
}

fn creds(token: Option<&str>) -> Credentials {
    Credentials::new(AKID, SECRET, token.map(str::to_string), None, "test")
}

#[test]
fn s3_presigned_get_matches_aws_example() {
    let req = SignableRequest::new(
        "GET",
        "https",
        "examplebucket.s3.amazonaws.com",
        "/test.txt",
    );
    let params = SigningParams::new("us-east-1", "s3", s3_doc_time())
        .with_settings(SigningSettings::s3().with_expires_in(Duration::from_secs(86400)));
    let url = presign(&req, &creds(None), &params).unwrap();
    assert_eq!(
        url.signature(),
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    assert_eq!(
        url.url(),
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    assert!(url
        .canonical_request()
        .ends_with("\nhost\nUNSIGNED-PAYLOAD"));
}

#[test]
fn s3_header_signing_matches_aws_example() {
    let req = SignableRequest::new(
        "GET",
        "https",
        "examplebucket.s3.amazonaws.com",
        "/test.txt",
    )
    .header("Host", "examplebucket.s3.amazonaws.com")
    .header("Range", "bytes=0-9");
    let params =
        SigningParams::new("us-east-1", "s3", s3_doc_time()).with_settings(SigningSettings::s3());
    let out = sign(&req, &creds(None), &params).unwrap();
    assert_eq!(
        out.signature(),
        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    );
    let auth = &out
        .headers()
        .iter()
        .find(|(n, _)| *n == "Authorization")
        .unwrap()
        .1;
    assert_eq!(
        auth,
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
         SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
         Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    );
    let names: Vec<&str> = out.headers().iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        ["X-Amz-Date", "X-Amz-Content-SHA256", "Authorization"]
    );
}

#[test]
fn s3_put_signs_body_hash_like_aws_example() {
    // AWS example "PUT Object": body "Welcome to Amazon S3.", signature 98ad72...
    let body = b"Welcome to Amazon S3.";
    let req = SignableRequest::new(
        "PUT",
        "https",
        "examplebucket.s3.amazonaws.com",
        "/test%24file.text",
    )
    .header("Date", "Fri, 24 May 2013 00:00:00 GMT")
    .header("x-amz-storage-class", "REDUCED_REDUNDANCY")
    .body(SignableBody::Bytes(body));
    let params =
        SigningParams::new("us-east-1", "s3", s3_doc_time()).with_settings(SigningSettings::s3());
    let out = sign(&req, &creds(None), &params).unwrap();
    // botocore re-dates through `Date` (RFC 2822, -0000) and drops X-Amz-Date.
    assert_eq!(out.remove_headers(), ["X-Amz-Date"]);
    assert!(out
        .canonical_request()
        .contains("date:Fri, 24 May 2013 00:00:00 -0000\n"));
    assert!(out.canonical_request().ends_with(
        "date;host;x-amz-content-sha256;x-amz-storage-class\n\
         44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"
    ));
    assert!(out
        .canonical_request()
        .starts_with("PUT\n/test%24file.text\n\n"));
}

#[test]
fn session_token_signed_or_appended() {
    let req = SignableRequest::new("GET", "https", "iam.amazonaws.com", "/")
        .query_param("Action", "ListUsers");
    let mut params = SigningParams::new("us-east-1", "iam", at(1_440_938_160));
    let signed = sign(&req, &creds(Some(TOKEN)), &params).unwrap();
    assert!(signed.canonical_request().contains("x-amz-security-token:"));
    params.settings.session_token_mode = SessionTokenMode::Unsigned;
    let unsigned = sign(&req, &creds(Some(TOKEN)), &params).unwrap();
    assert!(!unsigned
        .canonical_request()
        .contains("x-amz-security-token"));
    assert!(unsigned
        .headers()
        .iter()
        .any(|(n, v)| *n == "X-Amz-Security-Token" && v == TOKEN));
    // Without a token the unsigned-mode signature equals the plain one.
    let plain = sign(&req, &creds(None), &params).unwrap();
    assert_eq!(plain.signature(), unsigned.signature());

    let url = presign(&req, &creds(Some(TOKEN)), &params).unwrap();
    assert!(url
        .url()
        .ends_with(&format!("&X-Amz-Security-Token={}", percent_encode(TOKEN))));
    params.settings.session_token_mode = SessionTokenMode::Signed;
    let url = presign(&req, &creds(Some(TOKEN)), &params).unwrap();
    assert!(url.url().contains(&format!(
        "&X-Amz-Security-Token={}&X-Amz-Signature=",
        percent_encode(TOKEN)
    )));
    assert!(url
        .url()
        .starts_with("https://iam.amazonaws.com/?Action=ListUsers&X-Amz-Algorithm="));
}

#[test]
fn unsigned_payload_and_existing_content_sha_header() {
    let req = SignableRequest::new("POST", "https", "example.amazonaws.com", "/")
        .body(SignableBody::UnsignedPayload);
    let params = SigningParams::new("us-east-1", "service", at(1_440_938_160));
    let out = sign(&req, &creds(None), &params).unwrap();
    assert!(out
        .headers()
        .contains(&("X-Amz-Content-SHA256", UNSIGNED_PAYLOAD.to_string())));
    assert!(out.canonical_request().ends_with("\nUNSIGNED-PAYLOAD"));

    let req = SignableRequest::new("POST", "https", "example.amazonaws.com", "/")
        .header("x-amz-content-sha256", "abc")
        .body(SignableBody::Bytes(b"hello"));
    let out = sign(&req, &creds(None), &params).unwrap();
    assert!(out.canonical_request().ends_with("\nabc"));
}

#[test]
fn blacklisted_and_authorization_headers_not_signed() {
    let req = SignableRequest::new("GET", "https", "example.amazonaws.com:443", "")
        .header("User-Agent", "boto-rs")
        .header("Authorization", "stale")
        .header("X-Amzn-Trace-Id", "1")
        .header("Expect", "100-continue");
    let params = SigningParams::new("us-east-1", "service", at(1_440_938_160));
    let out = sign(&req, &creds(None), &params).unwrap();
    assert_eq!(
        out.canonical_request(),
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let mut headers = vec![("authorization".to_string(), "stale".to_string())];
    out.apply_to(&mut headers);
    assert_eq!(headers.len(), 2);
    assert!(headers.iter().all(|(_, v)| v != "stale"));
    let mut moved = vec![("authorization".to_string(), "stale".to_string())];
    out.apply_into(&mut moved);
    assert_eq!(moved, headers);
}

#[test]
fn from_url_splits_parts() {
    let req = SignableRequest::from_url("GET", "https://Example.com:8443/a%20b?x=1&y&z=%2F#frag")
        .unwrap();
    let q: Vec<(&str, &str)> = req.encoded_query_pairs().collect();
    assert_eq!(q, [("x", "1"), ("y", ""), ("z", "%2F")]);
    let params = SigningParams::new("us-east-1", "service", at(1_440_938_160));
    let out = sign(&req, &creds(None), &params).unwrap();
    assert!(out
        .canonical_request()
        .starts_with("GET\n/a%2520b\nx=1&y=&z=%2F\nhost:example.com:8443\n"));
    assert!(SignableRequest::from_url("GET", "no-scheme").is_err());
    assert!(SignableRequest::from_url("GET", "https:///path").is_err());
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let params = SigningParams::new("us-east-1", "s3", s3_doc_time());
    let bad = [0xffu8, 0xfe];
    let req = SignableRequest::new("GET", "https", "h", "/").header("x-bin", &bad[..]);
    assert_eq!(
        sign(&req, &creds(None), &params).unwrap_err(),
        SigningError::InvalidHeaderValue {
            name: "x-bin".into()
        }
    );
    let req = SignableRequest::new("GET", "https", "h", "/").header("bad name", "v");
    assert!(matches!(
        sign(&req, &creds(None), &params),
        Err(SigningError::InvalidHeaderName { .. })
    ));
    let req = SignableRequest::new("GET", "https", "h:99999", "/");
    assert!(matches!(
        sign(&req, &creds(None), &params),
        Err(SigningError::InvalidUrl { .. })
    ));
    let before_epoch = SigningParams::new("us-east-1", "s3", UNIX_EPOCH - Duration::from_secs(1));
    assert_eq!(
        sign(&req, &creds(None), &before_epoch).unwrap_err(),
        SigningError::InvalidTime
    );

    let ok = SignableRequest::new("GET", "https", "h", "/");
    for secs in [0, MAX_PRESIGN_EXPIRY_SECS + 1] {
        let p = params
            .clone()
            .with_settings(SigningSettings::s3().with_expires_in(Duration::from_secs(secs)));
        assert_eq!(
            presign(&ok, &creds(None), &p).unwrap_err(),
            SigningError::InvalidExpiry { seconds: secs }
        );
    }
    for secs in [1, MAX_PRESIGN_EXPIRY_SECS] {
        let p = params
            .clone()
            .with_settings(SigningSettings::s3().with_expires_in(Duration::from_secs(secs)));
        assert!(presign(&ok, &creds(None), &p).is_ok());
    }
    let p = params
        .clone()
        .with_settings(SigningSettings::s3().with_expires_in(Duration::from_millis(1500)));
    assert!(presign(&ok, &creds(None), &p).is_err());
    assert!(bearer_authorization(&BearerToken::new("")).is_err());
    assert!(bearer_authorization(&BearerToken::new("a\r\nX-Evil: 1")).is_err());
}

#[test]
fn bearer_header() {
    let (name, value) = bearer_authorization(&BearerToken::new("tok123")).unwrap();
    assert_eq!((name, value.as_str()), ("Authorization", "Bearer tok123"));
}

fn decode_policy(post: &PresignedPost) -> Value {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(post.field("policy").unwrap())
        .unwrap();
    serde_json::from_slice(&raw).unwrap()
}

fn verify_post_signature(post: &PresignedPost, date: &str) {
    // Derive the key independently and check the policy signature.
    let mac = |k: &[u8], m: &str| hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, k), m.as_bytes());
    let k = mac(format!("AWS4{SECRET}").as_bytes(), date);
    let k = mac(k.as_ref(), "us-east-1");
    let k = mac(k.as_ref(), "s3");
    let k = mac(k.as_ref(), "aws4_request");
    let sig = mac(k.as_ref(), post.field("policy").unwrap());
    let hex: String = sig.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(post.field("x-amz-signature").unwrap(), hex);
}

#[test]
fn presigned_post_round_trip() {
    let input = PresignedPostInput::new(
        "https://examplebucket.s3.amazonaws.com/",
        "examplebucket",
        "user/eric/${filename}",
    )
    .field("acl", "public-read")
    .condition(json!({"acl": "public-read"}))
    .condition(json!(["content-length-range", 2, 5]))
    .expires_in(Duration::from_secs(3600));
    let params = SigningParams::new("us-east-1", "s3", s3_doc_time());
    let post = presign_post(&input, &creds(Some(TOKEN)), &params).unwrap();
    assert_eq!(post.url, "https://examplebucket.s3.amazonaws.com/");
    let names: Vec<&str> = post.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "acl",
            "key",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "x-amz-security-token",
            "policy",
            "x-amz-signature"
        ]
    );
    assert_eq!(post.field("key"), Some("user/eric/${filename}"));
    assert_eq!(
        post.field("x-amz-credential"),
        Some("AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request")
    );
    let policy = decode_policy(&post);
    assert_eq!(
        policy,
        json!({
            "expiration": "2013-05-24T01:00:00Z",
            "conditions": [
                {"acl": "public-read"},
                ["content-length-range", 2, 5],
                {"bucket": "examplebucket"},
                ["starts-with", "$key", "user/eric/"],
                {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
                {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"},
                {"x-amz-date": "20130524T000000Z"},
                {"x-amz-security-token": TOKEN},
            ]
        })
    );
    // Byte-level layout is Python's json.dumps.
    let raw = base64::engine::general_purpose::STANDARD
        .decode(post.field("policy").unwrap())
        .unwrap();
    assert!(String::from_utf8(raw).unwrap().starts_with(
        "{\"expiration\": \"2013-05-24T01:00:00Z\", \"conditions\": [{\"acl\": \"public-read\"}, [\"content-length-range\", 2, 5], "
    ));
    verify_post_signature(&post, "20130524");

    let plain = presign_post(
        &PresignedPostInput::new("https://b.s3.amazonaws.com/", "b", "k.txt"),
        &creds(None),
        &params,
    )
    .unwrap();
    let conditions = decode_policy(&plain)["conditions"].clone();
    assert_eq!(conditions[1], json!({"key": "k.txt"}));
    assert!(plain.field("x-amz-security-token").is_none());
    verify_post_signature(&plain, "20130524");
}

#[test]
fn no_public_type_formats_a_secret() {
    let c = creds(Some(TOKEN));
    let body = TOKEN.as_bytes();
    let req = SignableRequest::new("PUT", "https", "b.s3.amazonaws.com", "/k")
        .header("X-Amz-Security-Token", TOKEN)
        .query_param("t", TOKEN)
        .body(SignableBody::Bytes(body));
    let s3 =
        SigningParams::new("us-east-1", "s3", s3_doc_time()).with_settings(SigningSettings::s3());
    let signed = sign(&req, &c, &s3).unwrap();
    let url = presign(&req, &c, &s3).unwrap();
    let mut unsigned_mode = s3.clone();
    unsigned_mode.settings.session_token_mode = SessionTokenMode::Unsigned;
    let url_after = presign(&req, &c, &unsigned_mode).unwrap();
    let signed_after = sign(&req, &c, &unsigned_mode).unwrap();
    let mut express = s3.clone();
    express.settings.session_token_mode = SessionTokenMode::S3Express;
    let signed_express = sign(&req, &c, &express).unwrap();
    let url_express = presign(&req, &c, &express).unwrap();
    let post = presign_post(
        &PresignedPostInput::new("https://b.s3.amazonaws.com/", "b", "k").field("f", TOKEN),
        &c,
        &s3,
    )
    .unwrap();
    let post_input = PresignedPostInput::new("u", "b", "k")
        .field("x-amz-security-token", TOKEN)
        .condition(json!({"t": TOKEN}));
    let token = BearerToken::new(TOKEN);
    let errors = [
        SigningError::InvalidExpiry { seconds: 0 },
        SigningError::InvalidHeaderValue { name: "n".into() },
        SigningError::InvalidHeaderName { name: "n".into() },
        SigningError::InvalidTime,
        SigningError::InvalidUrl { reason: "r" },
        SigningError::InvalidBearerToken,
        SigningError::InvalidPolicy { reason: "r".into() },
    ];
    let mut rendered = vec![
        format!("{req:?}"),
        format!("{:?}", SignableBody::Bytes(body)),
        format!("{s3:?}"),
        format!("{:?}", s3.settings),
        format!("{:?}", SessionTokenMode::Unsigned),
        format!("{signed:?}"),
        format!("{signed_after:?}"),
        format!("{url:?}"),
        format!("{url_after:?}"),
        format!("{signed_express:?}"),
        format!("{url_express:?}"),
        format!("{post:?}"),
        format!("{post_input:?}"),
        format!("{token:?}"),
        format!("{c:?}"),
    ];
    for e in &errors {
        rendered.push(format!("{e:?}"));
        rendered.push(format!("{e}"));
    }
    let encoded_token = percent_encode(TOKEN);
    for r in &rendered {
        for secret in [SECRET, TOKEN, encoded_token.as_str()] {
            assert!(!r.contains(secret), "{r} leaks a secret");
        }
    }
    // The things that must carry the token still do.
    assert!(url.url().contains(&encoded_token));
    assert!(url_after.url().contains(&encoded_token));
    assert!(url_express.url().contains(&encoded_token));
}

/// botocore's `S3ExpressAuth` and `generate_presigned_url` for a directory
/// bucket (`S3ExpressQueryAuth`), computed with the pinned botocore at
/// 2024-01-02T03:04:05Z: the session token is signed as
/// `x-amz-s3session-token` after the S3 headers, a stale
/// `X-Amz-Security-Token` is dropped, and presigned URLs carry
/// `X-Amz-S3session-Token` before the signature.
#[test]
fn s3express_session_token_matches_botocore() {
    let c = Credentials::new(
        "ASIASESSIONKEY",
        "sessionSecret/Key+123",
        Some("SESSION-TOKEN/abc==".into()),
        None,
        "s3express",
    );
    let host = "bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com";
    let mut settings = SigningSettings::s3();
    settings.session_token_mode = SessionTokenMode::S3Express;
    let params = SigningParams::new("us-west-2", "s3express", at(1_704_164_645))
        .with_settings(settings.clone());
    let req = SignableRequest::new("GET", "https", host, "/my%20key")
        .header("X-Amz-Security-Token", "stale")
        .body(SignableBody::Bytes(b""));
    let out = sign(&req, &c, &params).unwrap();
    let names: Vec<&str> = out.headers().iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "X-Amz-Date",
            "X-Amz-Content-SHA256",
            "x-amz-s3session-token",
            "Authorization"
        ]
    );
    assert_eq!(out.headers()[2].1, "SESSION-TOKEN/abc==");
    assert_eq!(
        out.headers()[3].1,
        "AWS4-HMAC-SHA256 Credential=ASIASESSIONKEY/20240102/us-west-2/s3express/aws4_request, \
         SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-s3session-token, \
         Signature=cd350a5522eb7bd5a3d459bcfd376cd8a470644cdedc5bd688d3490d7935ae26"
    );
    let mut headers = vec![("X-Amz-Security-Token".to_string(), "stale".to_string())];
    out.apply_to(&mut headers);
    assert!(!headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("x-amz-security-token")));

    let params = params
        .clone()
        .with_settings(settings.with_expires_in(Duration::from_secs(600)));
    let req = SignableRequest::new("GET", "https", host, "/my%20key");
    assert_eq!(
        presign(&req, &c, &params).unwrap().url(),
        format!(
            "https://{host}/my%20key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=\
             ASIASESSIONKEY%2F20240102%2Fus-west-2%2Fs3express%2Faws4_request&X-Amz-Date=\
             20240102T030405Z&X-Amz-Expires=600&X-Amz-SignedHeaders=host&\
             X-Amz-S3session-Token=SESSION-TOKEN%2Fabc%3D%3D&X-Amz-Signature=\
             872abb9f53f78e16dce75b33710afb0fd9d5bc43b8993f599d32babf8c24f4dc"
        )
    );
}
