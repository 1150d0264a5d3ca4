use super::list::{unquote_plus, EncodingTypeUrl};
use super::response::{location_constraint, ErrorIn200, ExpiresString, GetBucketLocation};
use super::*;
use crate::customizations::testutil::{v, Harness};
use crate::error::ErrorKind;
use crate::http::RequestBody;
use serde_json::json;

fn path_after(op: &str, params: serde_json::Value) -> String {
    let h = Harness::new("s3", op);
    let (req, _) = h.before_signing(&BucketPath, &v(params), None).unwrap();
    req.path
}

#[test]
fn bucket_path_strips_only_the_bucket() {
    assert_eq!(
        path_after("ListObjectsV2", json!({"Bucket": "my.dotted.bucket"})),
        ""
    );
    assert_eq!(path_after("CreateBucket", json!({"Bucket": "b"})), "");
    assert_eq!(
        path_after("GetObject", json!({"Bucket": "my.bucket", "Key": "k"})),
        "/k"
    );
    assert_eq!(
        path_after("GetObject", json!({"Bucket": "b", "Key": "a/b c/d%e"})),
        "/a/b%20c/d%25e"
    );
    assert_eq!(
        path_after("GetObject", json!({"Bucket": "b", "Key": "/lead//double/"})),
        "//lead//double/"
    );
    assert_eq!(
        path_after("GetObject", json!({"Bucket": "b", "Key": "ünï?#+"})),
        "/%C3%BCn%C3%AF%3F%23%2B"
    );
    // An access-point ARN is one (encoded) segment.
    let arn = "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
    assert_eq!(
        path_after("GetObject", json!({"Bucket": arn, "Key": "x/y"})),
        "/x/y"
    );
    // Query-only suffixes stay in `request.query`.
    let h = Harness::new("s3", "CreateMultipartUpload");
    let (req, _) = h
        .before_signing(&BucketPath, &v(json!({"Bucket": "b", "Key": "k"})), None)
        .unwrap();
    assert_eq!(req.path, "/k");
    assert!(req.query.iter().any(|(k, _)| k == "uploads"));
}

#[test]
fn bucket_path_leaves_other_uris_alone() {
    assert_eq!(path_after("ListBuckets", json!({})), "/");
    assert_eq!(
        path_after(
            "WriteGetObjectResponse",
            json!({"RequestRoute": "r", "RequestToken": "t"})
        ),
        "/WriteGetObjectResponse"
    );
}

#[test]
fn strip_first_segment_cases() {
    assert_eq!(strip_first_segment("/b"), "");
    assert_eq!(strip_first_segment("/b/"), "/");
    assert_eq!(strip_first_segment("/b/k/x"), "/k/x");
    assert_eq!(
        strip_first_segment("/arn%3Aaws%3As3%3A%3A1%3Aaccesspoint%2Fx/k"),
        "/k"
    );
    assert_eq!(strip_first_segment(""), "");
}

#[test]
fn expect_continue_for_large_uploads_only() {
    let h = Harness::new("s3", "PutObject").with_config(|c| c.expect_continue_threshold = 10);
    let params = v(json!({"Bucket": "b", "Key": "k"}));
    let big = Some(RequestBody::Bytes(vec![0u8; 10].into()));
    let (req, _) = h.before_signing(&ExpectContinue, &params, big).unwrap();
    assert_eq!(req.header("expect"), Some("100-continue"));
    let small = Some(RequestBody::Bytes(vec![0u8; 9].into()));
    let (req, _) = h.before_signing(&ExpectContinue, &params, small).unwrap();
    assert_eq!(req.header("expect"), None);
    let file = Some(RequestBody::File {
        path: "/nonexistent".into(),
        offset: 0,
        len: 1 << 30,
    });
    let (req, _) = h.before_signing(&ExpectContinue, &params, file).unwrap();
    assert_eq!(req.header("expect"), Some("100-continue"));
    let h = Harness::new("s3", "PutBucketTagging").with_config(|c| c.expect_continue_threshold = 1);
    let params = v(json!({"Bucket": "b", "Tagging": {"TagSet": []}}));
    let (req, _) = h.before_signing(&ExpectContinue, &params, None).unwrap();
    assert_eq!(req.header("expect"), None, "not a streaming upload");
}

#[test]
fn sse_customer_key_is_encoded_with_md5() {
    let h = Harness::new("s3", "CopyObject");
    let mut p = v(json!({"Bucket": "b", "Key": "k", "CopySource": "s/k",
                         "SSECustomerKey": "0123456789abcdef0123456789abcdef",
                         "CopySourceSSECustomerKey": "key2", "CopySourceSSECustomerKeyMD5": "given"}));
    SseCustomerKey
        .modify_before_serialization(&h.call(), &mut p)
        .unwrap();
    assert_eq!(
        p.get("SSECustomerKey").as_str(),
        Some("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
    );
    // base64(md5("0123456789abcdef0123456789abcdef")), as botocore computes it.
    assert_eq!(
        p.get("SSECustomerKeyMD5").as_str(),
        Some("hRasmdxgYDKV3nvbahU1MA==")
    );
    // With the MD5 given, the key is taken as already encoded.
    assert_eq!(p.get("CopySourceSSECustomerKey").as_str(), Some("key2"));
    let mut p = v(json!({"Bucket": "b", "Key": "k"}));
    if let Some(m) = p.as_map_mut() {
        m.insert("SSECustomerKey", Value::blob(vec![0xffu8, 0, 1]));
    }
    SseCustomerKey
        .modify_before_serialization(&h.call(), &mut p)
        .unwrap();
    assert_eq!(p.get("SSECustomerKey").as_str(), Some("/wAB"));
}

fn copy_source(src: serde_json::Value) -> Result<String, Error> {
    let h = Harness::new("s3", "UploadPartCopy");
    let mut p = v(json!({"Bucket": "b", "Key": "k", "PartNumber": 1, "UploadId": "u"}));
    if let Some(m) = p.as_map_mut() {
        m.insert("CopySource", v(src));
    }
    CopySource.modify_before_serialization(&h.call(), &mut p)?;
    Ok(p.get("CopySource").as_str().unwrap_or_default().to_string())
}

#[test]
fn copy_source_forms() {
    assert_eq!(
        copy_source(json!({"Bucket": "src.b", "Key": "a b/ü+c"})).unwrap(),
        "src.b/a%20b/%C3%BC%2Bc"
    );
    assert_eq!(
        copy_source(json!({"Bucket": "b", "Key": "k", "VersionId": "v1+x"})).unwrap(),
        "b/k?versionId=v1+x"
    );
    assert_eq!(
        copy_source(json!("b/a b?versionId=abc")).unwrap(),
        "b/a%20b?versionId=abc"
    );
    assert_eq!(
        copy_source(json!("b/what?versionId=")).unwrap(),
        "b/what%3FversionId%3D"
    );
    assert_eq!(copy_source(json!("b/k~-._")).unwrap(), "b/k~-._");
    let arn = "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
    assert_eq!(
        copy_source(json!({"Bucket": arn, "Key": "k"})).unwrap(),
        "arn%3Aaws%3As3%3Aus-west-2%3A123456789012%3Aaccesspoint/my-ap/object/k"
    );
    let err = copy_source(json!({"Bucket": "b"})).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("'Key'"));
}

#[test]
fn access_point_arns() {
    assert!(is_s3_access_point_arn(
        "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap"
    ));
    assert!(is_s3_access_point_arn(
        "arn:aws-cn:s3-object-lambda:cn-north-1:123456789012:accesspoint:x.y"
    ));
    assert!(is_s3_access_point_arn(
        "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-1/accesspoint/ap"
    ));
    assert!(!is_s3_access_point_arn("arn:aws:s3:::bucket"));
    assert!(!is_s3_access_point_arn(
        "arn:aws:s3:us-west-2:12345:accesspoint/x"
    ));
    assert!(!is_s3_access_point_arn("bucket"));
}

#[test]
fn bucket_and_metadata_validation() {
    let h = Harness::new("s3", "PutObject");
    let mut p = v(json!({"Bucket": "a/b", "Key": "k"}));
    let err = ValidateParams
        .modify_before_serialization(&h.call(), &mut p)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("Invalid bucket name \"a/b\""));
    let mut p =
        v(json!({"Bucket": "arn:aws:s3:us-west-2:123456789012:accesspoint/ap", "Key": "k"}));
    ValidateParams
        .modify_before_serialization(&h.call(), &mut p)
        .unwrap();
    let mut p = v(json!({"Bucket": "b_1.x-y", "Key": "k", "Metadata": {"ok": "fine"}}));
    ValidateParams
        .modify_before_serialization(&h.call(), &mut p)
        .unwrap();
    let mut p = v(json!({"Bucket": "b", "Key": "k", "Metadata": {"k": "välue"}}));
    let err = ValidateParams
        .modify_before_serialization(&h.call(), &mut p)
        .unwrap_err();
    assert!(err
        .message()
        .contains("Non ascii characters found in S3 metadata"));
}

#[test]
fn delete_objects_newlines_are_escaped() {
    let h = Harness::new("s3", "DeleteObjects");
    let params = v(json!({"Bucket": "b", "Delete": {"Objects": [{"Key": "line1\nline2\r"}]}}));
    let (req, _) = h.before_signing(&EscapeXmlPayload, &params, None).unwrap();
    let body = String::from_utf8_lossy(req.body.as_bytes()).into_owned();
    assert!(!body.contains('\n') && !body.contains('\r'), "{body}");
    assert!(body.contains("line1&#xA;line2&#"), "{body}");
}

#[test]
fn list_objects_asks_for_url_encoding() {
    let h = Harness::new("s3", "ListObjectsV2");
    let (req, _) = h
        .before_signing(&EncodingTypeUrl, &v(json!({"Bucket": "b"})), None)
        .unwrap();
    assert!(
        req.query_string().contains("encoding-type=url"),
        "{}",
        req.query_string()
    );
    let params = v(json!({"Bucket": "b", "EncodingType": "url"}));
    let (req, _) = h.before_signing(&EncodingTypeUrl, &params, None).unwrap();
    assert_eq!(
        req.query
            .iter()
            .filter(|(k, _)| k == "encoding-type")
            .count(),
        1,
        "the caller's own"
    );
    let h = Harness::new("s3", "ListBuckets");
    let (req, _) = h
        .before_signing(&EncodingTypeUrl, &v(json!({})), None)
        .unwrap();
    assert!(req.query.is_empty());
}

#[test]
fn listed_keys_are_decoded_when_we_asked() {
    let h = Harness::new("s3", "ListObjectsV2");
    let raw = json!({"EncodingType": "url", "Prefix": "dir%2F", "StartAfter": "a+b", "Delimiter": "%2F",
                     "Contents": [{"Key": "dir%2Fa+b%C3%BC.txt", "Size": 1}, {"Size": 2}],
                     "CommonPrefixes": [{"Prefix": "dir%2Fsub%2F"}], "ContinuationToken": "a%20b"});
    let mut out = v(raw.clone());
    EncodingTypeUrl
        .modify_after_parse(&h.call(), &v(json!({"Bucket": "b"})), &mut out)
        .unwrap();
    assert_eq!(
        out.pointer("Contents[0].Key").as_str(),
        Some("dir/a bü.txt")
    );
    assert_eq!(
        out.pointer("CommonPrefixes[0].Prefix").as_str(),
        Some("dir/sub/")
    );
    assert_eq!(out.get("Prefix").as_str(), Some("dir/"));
    assert_eq!(out.get("StartAfter").as_str(), Some("a b"));
    assert_eq!(out.get("Delimiter").as_str(), Some("/"));
    assert_eq!(
        out.get("ContinuationToken").as_str(),
        Some("a%20b"),
        "opaque, not decoded"
    );
    assert_eq!(
        out.get("EncodingType").as_str(),
        Some("url"),
        "kept, as botocore does"
    );
    // The caller asked for the encoding: leave the values encoded.
    let mut out = v(raw);
    EncodingTypeUrl
        .modify_after_parse(
            &h.call(),
            &v(json!({"Bucket": "b", "EncodingType": "url"})),
            &mut out,
        )
        .unwrap();
    assert_eq!(
        out.pointer("Contents[0].Key").as_str(),
        Some("dir%2Fa+b%C3%BC.txt")
    );
}

#[test]
fn list_objects_v1_and_versions_fields() {
    let h = Harness::new("s3", "ListObjects");
    let mut out =
        v(json!({"EncodingType": "url", "Marker": "m%2F", "NextMarker": "n+1", "Prefix": "p%2F"}));
    EncodingTypeUrl
        .modify_after_parse(&h.call(), &v(json!({"Bucket": "b"})), &mut out)
        .unwrap();
    assert_eq!(out.get("Marker").as_str(), Some("m/"));
    assert_eq!(out.get("NextMarker").as_str(), Some("n 1"));
    assert_eq!(
        out.get("Prefix").as_str(),
        Some("p%2F"),
        "botocore does not decode Prefix for ListObjects"
    );
    let h = Harness::new("s3", "ListObjectVersions");
    let mut out = v(
        json!({"EncodingType": "url", "KeyMarker": "k%2F", "NextKeyMarker": "n%2F",
                           "Versions": [{"Key": "a%20b"}], "DeleteMarkers": [{"Key": "c+d"}]}),
    );
    EncodingTypeUrl
        .modify_after_parse(&h.call(), &v(json!({"Bucket": "b"})), &mut out)
        .unwrap();
    assert_eq!(out.get("KeyMarker").as_str(), Some("k/"));
    assert_eq!(out.get("NextKeyMarker").as_str(), Some("n/"));
    assert_eq!(out.pointer("Versions[0].Key").as_str(), Some("a b"));
    assert_eq!(out.pointer("DeleteMarkers[0].Key").as_str(), Some("c d"));
}

#[test]
fn unquote_plus_like_python() {
    assert_eq!(unquote_plus("a+b%20c"), "a b c");
    assert_eq!(unquote_plus("%zz%4"), "%zz%4");
    assert_eq!(unquote_plus("%E2%82%AC"), "€");
    assert_eq!(unquote_plus("%FF"), "\u{fffd}");
    assert_eq!(unquote_plus("plain"), "plain");
}

const COPY_ERROR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>"#;

#[test]
fn error_in_200_becomes_a_retryable_service_error() {
    for op in [
        "CopyObject",
        "UploadPartCopy",
        "CompleteMultipartUpload",
        "PutObject",
    ] {
        let h = Harness::new("s3", op);
        let req = h.http_request();
        let headers = vec![(
            "x-amz-request-id".to_string(),
            "656c76696e6727732072657175657374".to_string(),
        )];
        let resp = h.response(200, &headers, COPY_ERROR.as_bytes(), &req);
        let err = ErrorIn200
            .read_after_response(&h.call(), &resp)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Service, "{op}");
        assert_eq!(err.code(), Some("InternalError"));
        assert_eq!(err.status(), Some(500));
        assert_eq!(
            err.message(),
            "We encountered an internal error. Please try again."
        );
        assert_eq!(err.request_id(), Some("656c76696e6727732072657175657374"));
        assert!(
            crate::retry::classify(&err, None).is_some(),
            "retried like a 500"
        );
    }
}

#[test]
fn error_in_200_passes_good_and_excluded_bodies() {
    let h = Harness::new("s3", "CopyObject");
    let req = h.http_request();
    let ok = br#"<?xml version="1.0" encoding="UTF-8"?>
<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>"9b2cf535f27731c974343645a3985328"</ETag></CopyObjectResult>
"#;
    assert!(ErrorIn200
        .read_after_response(&h.call(), &h.response(200, &[], ok, &req))
        .is_ok());
    assert!(ErrorIn200
        .read_after_response(&h.call(), &h.response(200, &[], b"", &req))
        .is_ok());
    assert!(ErrorIn200
        .read_after_response(&h.call(), &h.response(200, &[], b"<Self/>", &req))
        .is_ok());
    // Cut off mid-document (a copy interrupted after the 200): treated as an error.
    let truncated = &ok[..ok.len() - 20];
    let err = ErrorIn200
        .read_after_response(&h.call(), &h.response(200, &[], truncated, &req))
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(ErrorIn200
        .read_after_response(&h.call(), &h.response(200, &[], b"   ", &req))
        .is_err());
    // Non-200 responses go through the normal error path.
    assert!(ErrorIn200
        .read_after_response(
            &h.call(),
            &h.response(404, &[], COPY_ERROR.as_bytes(), &req)
        )
        .is_ok());
    // Blob/string payload outputs cannot be told apart from an error document;
    // operations without an output are not checked (botocore's rules).
    for op in ["GetObject", "GetBucketPolicy", "PutBucketTagging"] {
        let h = Harness::new("s3", op);
        assert!(ErrorIn200
            .read_after_response(
                &h.call(),
                &h.response(200, &[], COPY_ERROR.as_bytes(), &req)
            )
            .is_ok());
    }
}

#[test]
fn bucket_location_root_text() {
    let ns = r#"<?xml version="1.0" encoding="UTF-8"?>
<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>"#;
    assert_eq!(
        location_constraint(ns.as_bytes()).as_deref(),
        Some("eu-west-1")
    );
    assert_eq!(
        location_constraint(b"<LocationConstraint>EU</LocationConstraint>").as_deref(),
        Some("EU")
    );
    let empty = r#"<?xml version="1.0"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>"#;
    assert_eq!(location_constraint(empty.as_bytes()), None);
    assert_eq!(
        location_constraint(b"<LocationConstraint></LocationConstraint>"),
        None
    );
    assert_eq!(location_constraint(b"garbage"), None);

    let h = Harness::new("s3", "GetBucketLocation");
    let req = h.http_request();
    GetBucketLocation
        .read_after_response(&h.call(), &h.response(200, &[], ns.as_bytes(), &req))
        .unwrap();
    let mut out = v(json!({"ResponseMetadata": {"HTTPStatusCode": 200}}));
    GetBucketLocation
        .modify_after_parse(&h.call(), &Value::Null, &mut out)
        .unwrap();
    assert_eq!(out.get("LocationConstraint").as_str(), Some("eu-west-1"));
    GetBucketLocation
        .read_after_response(&h.call(), &h.response(200, &[], empty.as_bytes(), &req))
        .unwrap();
    let mut out = v(json!({}));
    GetBucketLocation
        .modify_after_parse(&h.call(), &Value::Null, &mut out)
        .unwrap();
    assert!(out
        .as_map()
        .is_some_and(|m| m.get("LocationConstraint") == Some(&Value::Null)));
}

#[test]
fn expires_string_is_exposed() {
    let h = Harness::new("s3", "HeadObject");
    let mut out = v(
        json!({"ResponseMetadata": {"HTTPHeaders": {"expires": "not a date"}}, "Expires": "not a date"}),
    );
    ExpiresString
        .modify_after_parse(&h.call(), &Value::Null, &mut out)
        .unwrap();
    assert_eq!(out.get("ExpiresString").as_str(), Some("not a date"));
    assert!(out.as_map().is_some_and(|m| !m.contains_key("Expires")));
    let h = Harness::new("s3", "ListBuckets");
    let mut out = v(json!({"ResponseMetadata": {"HTTPHeaders": {"expires": "x"}}}));
    ExpiresString
        .modify_after_parse(&h.call(), &Value::Null, &mut out)
        .unwrap();
    assert!(out.get("ExpiresString").is_null());
}

#[test]
fn endpoint_params_force_path_style() {
    let h = Harness::new("s3", "GetBucketLocation");
    let mut ep = Params::new()
        .with("Bucket", "b")
        .with("ForcePathStyle", false);
    EndpointParams
        .modify_endpoint_params(&h.call(), &v(json!({"Bucket": "b"})), &mut ep)
        .unwrap();
    assert_eq!(ep.get("ForcePathStyle"), Some(&ParamValue::Bool(true)));
    let h = Harness::new("s3", "GetObject");
    let arn = "arn:aws:s3:us-west-2:123456789012:accesspoint/ap";
    let mut ep = Params::new()
        .with("Bucket", arn)
        .with("ForcePathStyle", true);
    EndpointParams
        .modify_endpoint_params(&h.call(), &v(json!({"Bucket": arn, "Key": "k"})), &mut ep)
        .unwrap();
    assert_eq!(ep.get("ForcePathStyle"), Some(&ParamValue::Bool(false)));
    let mut ep = Params::new()
        .with("Bucket", "b")
        .with("ForcePathStyle", true);
    EndpointParams
        .modify_endpoint_params(&h.call(), &v(json!({"Bucket": "b", "Key": "k"})), &mut ep)
        .unwrap();
    assert_eq!(
        ep.get("ForcePathStyle"),
        Some(&ParamValue::Bool(true)),
        "the configured style stays"
    );
}

/// What the generic rest-xml parser gives, followed by the interceptor: the
/// combination must produce botocore's output.
#[test]
fn bucket_location_with_the_real_parser() {
    let h = Harness::new("s3", "GetBucketLocation");
    let req = h.http_request();
    for (body, want) in [
        (&br#"<?xml version="1.0" encoding="UTF-8"?>
<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">us-west-2</LocationConstraint>"#[..], Some("us-west-2")),
        (&br#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>"#[..], None),
    ] {
        let r = boto_protocols::Response { status: 200, headers: &[], body };
        let mut out = boto_protocols::parse_response(&h.model, h.operation(), &r).unwrap();
        GetBucketLocation.read_after_response(&h.call(), &h.response(200, &[], body, &req)).unwrap();
        GetBucketLocation.modify_after_parse(&h.call(), &Value::Null, &mut out).unwrap();
        assert_eq!(out.get("LocationConstraint").as_str(), want);
        assert!(out.as_map().is_some_and(|m| m.contains_key("LocationConstraint")));
    }
}

fn expires_through_parser(raw: &str) -> Value {
    let h = Harness::new("s3", "HeadObject");
    let headers = vec![("Expires".to_string(), raw.to_string())];
    let r = boto_protocols::Response {
        status: 200,
        headers: &headers,
        body: b"",
    };
    let mut out = boto_protocols::parse_response(&h.model, h.operation(), &r).unwrap();
    ExpiresString
        .modify_after_parse(&h.call(), &Value::Null, &mut out)
        .unwrap();
    out
}

#[test]
fn expires_with_the_real_parser() {
    let raw = "Thu, 01 Dec 1994 16:00:00 GMT";
    let out = expires_through_parser(raw);
    assert_eq!(out.get("ExpiresString").as_str(), Some(raw));
    assert!(matches!(out.get("Expires"), Value::Timestamp(_)));
}

#[test]
fn unparseable_expires_does_not_fail_the_call() {
    let out = expires_through_parser("soon");
    assert_eq!(out.get("ExpiresString").as_str(), Some("soon"));
    assert!(out.as_map().is_some_and(|m| !m.contains_key("Expires")));
}
