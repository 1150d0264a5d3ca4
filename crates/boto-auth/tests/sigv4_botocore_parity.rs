//! Outputs recorded from botocore 1.43.67 (`SigV4Auth`, `S3SigV4Auth`,
//! `SigV4QueryAuth`, `S3SigV4QueryAuth`, `S3SigV4PostAuth`) with the clock
//! frozen at 2015-08-30T12:36:00Z, replayed through `boto_auth::sigv4`.
//!
//! These cover what the AWS suite does not: S3 rules, presigning with a
//! session token, the `Date` header path, non-default ports and POST policies.

use std::time::{Duration, UNIX_EPOCH};

use boto_auth::sigv4::{
    presign, presign_post, sign, PresignedPostInput, SignableBody, SignableRequest, SigningParams,
    SigningSettings,
};
use boto_auth::Credentials;
use serde_json::json;

fn creds(token: bool) -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        token.then(|| "tok/en+==".to_string()),
        None,
        "parity",
    )
}

fn params<'a>(region: &'a str, service: &'a str) -> SigningParams<'a> {
    SigningParams::new(
        region,
        service,
        UNIX_EPOCH + Duration::from_secs(1_440_938_160),
    )
}

fn authorization(out: &boto_auth::sigv4::SigningOutput) -> &str {
    &out.headers()
        .iter()
        .find(|(n, _)| *n == "Authorization")
        .unwrap()
        .1
}

#[test]
fn s3_presign_with_token_and_operation_params() {
    let req = SignableRequest::from_url(
        "GET",
        "https://bucket.s3.us-west-2.amazonaws.com/my%20key/%E1%88%B4?response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&versionId=v1",
    )
    .unwrap();
    let p = params("us-west-2", "s3")
        .with_settings(SigningSettings::s3().with_expires_in(Duration::from_secs(900)));
    let url = presign(&req, &creds(true), &p).unwrap();
    assert_eq!(url.url(), "https://bucket.s3.us-west-2.amazonaws.com/my%20key/%E1%88%B4?response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&versionId=v1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Security-Token=tok%2Fen%2B%3D%3D&X-Amz-Signature=c36bd8a60e42211240eec3053c2e9b1bb8eacb34b7c310881b57ea6c294e1b65");
}

#[test]
fn query_service_presign() {
    let req = SignableRequest::new("GET", "https", "rds.us-east-1.amazonaws.com", "/")
        .query_param("Action", "DescribeDBInstances")
        .query_param("Version", "2014-10-31");
    let url = presign(&req, &creds(true), &params("us-east-1", "rds")).unwrap();
    assert_eq!(url.url(), "https://rds.us-east-1.amazonaws.com/?Action=DescribeDBInstances&Version=2014-10-31&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Frds%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=tok%2Fen%2B%3D%3D&X-Amz-Signature=abe0bb276bddc69a83f7c1f669c1be7d569e421da9afe57694ef118c8f5c0be1");
}

#[test]
fn s3_put_with_token_md5_and_messy_header() {
    let req = SignableRequest::new(
        "PUT",
        "https",
        "bucket.s3.us-west-2.amazonaws.com",
        "/a/b%2Bc//d",
    )
    .header("Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww==")
    .header("User-Agent", "x")
    .header("x-amz-meta-x", "  a   b  ")
    .body(SignableBody::Bytes(b"hello world"));
    let p = params("us-west-2", "s3").with_settings(SigningSettings::s3());
    let out = sign(&req, &creds(true), &p).unwrap();
    assert_eq!(authorization(&out), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/s3/aws4_request, SignedHeaders=content-md5;host;x-amz-content-sha256;x-amz-date;x-amz-meta-x;x-amz-security-token, Signature=eb1f1b2b0ef846bce868ae2ec19deb69eac2bed12b43566f66fe79d05a480668");
}

#[test]
fn date_header_port_and_dot_segments() {
    let req = SignableRequest::new(
        "POST",
        "https",
        "svc.eu-west-1.amazonaws.com:8443",
        "/x/./y/../z%2F",
    )
    .header("Date", "whatever")
    .header("Content-Type", "application/x-amz-json-1.1")
    .body(SignableBody::Bytes(br#"{"a":1}"#));
    let out = sign(&req, &creds(false), &params("eu-west-1", "svc")).unwrap();
    assert_eq!(authorization(&out), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/svc/aws4_request, SignedHeaders=content-type;date;host, Signature=1b0958ce0e33a3386f775d395a9ab31ceda9e59d66d9247cc27569e47a47d448");
    assert!(out
        .headers()
        .contains(&("Date", "Sun, 30 Aug 2015 12:36:00 -0000".to_string())));
}

#[test]
fn presigned_post_matches_boto3_bytes() {
    let input = PresignedPostInput::new(
        "https://bucket.s3.amazonaws.com/",
        "bucket",
        "up/${filename}",
    )
    .field("acl", "private")
    .condition(json!({"acl": "private"}))
    .condition(json!(["content-length-range", 1, 1048576]))
    .condition(json!({"x-amz-meta-note": "caf\u{e9}"}))
    .expires_in(Duration::from_secs(600));
    let post = presign_post(&input, &creds(true), &params("us-east-1", "s3")).unwrap();
    assert_eq!(post.field("policy"), Some("eyJleHBpcmF0aW9uIjogIjIwMTUtMDgtMzBUMTI6NDY6MDBaIiwgImNvbmRpdGlvbnMiOiBbeyJhY2wiOiAicHJpdmF0ZSJ9LCBbImNvbnRlbnQtbGVuZ3RoLXJhbmdlIiwgMSwgMTA0ODU3Nl0sIHsieC1hbXotbWV0YS1ub3RlIjogImNhZlx1MDBlOSJ9LCB7ImJ1Y2tldCI6ICJidWNrZXQifSwgWyJzdGFydHMtd2l0aCIsICIka2V5IiwgInVwLyJdLCB7IngtYW16LWFsZ29yaXRobSI6ICJBV1M0LUhNQUMtU0hBMjU2In0sIHsieC1hbXotY3JlZGVudGlhbCI6ICJBS0lERVhBTVBMRS8yMDE1MDgzMC91cy1lYXN0LTEvczMvYXdzNF9yZXF1ZXN0In0sIHsieC1hbXotZGF0ZSI6ICIyMDE1MDgzMFQxMjM2MDBaIn0sIHsieC1hbXotc2VjdXJpdHktdG9rZW4iOiAidG9rL2VuKz09In1dfQ=="));
    assert_eq!(
        post.field("x-amz-signature"),
        Some("29257cbfcbf7156ccf14ce30184b2d5b738766e7af24545ab64e100794cd434b")
    );
}
