//! Presigned URLs with a plain HTTP client, client-side validation, checksums and conditional requests.

use super::*;

#[tokio::test]
async fn presigned_urls_work_with_a_plain_http_client() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let bucket = new_bucket(&s3, "it-s3-presign").await?;
    let key = "shared/report 2024+final.txt";
    s3.call("PutObject", params! {"Bucket": (&bucket), "Key": key, "Body": (Value::blob(b"presigned body".to_vec()))})
        .await?;

    let url = s3
        .presign_url(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": key},
            Duration::from_secs(300),
        )
        .await?;
    assert!(url.starts_with(&ep), "{url}");
    for q in [
        "X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "X-Amz-Expires=300",
        "X-Amz-Signature=",
        "X-Amz-Credential=testing",
    ] {
        assert!(url.contains(q), "{url} lacks {q}");
    }
    let resp = raw_http("GET", &url, b"")?;
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    assert_eq!(resp.body, b"presigned body");

    let url = s3
        .presign_url(
            "PutObject",
            params! {"Bucket": (&bucket), "Key": "uploaded/via url.txt"},
            Duration::from_secs(60),
        )
        .await?;
    let resp = raw_http("PUT", &url, b"put through a presigned URL")?;
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    let got = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "uploaded/via url.txt"},
        )
        .await?;
    assert_eq!(
        got.get("Body").as_blob(),
        Some(&b"put through a presigned URL"[..])
    );
    Ok(())
}

#[tokio::test]
async fn validation_reports_every_problem_and_sends_nothing() -> TestResult {
    let _ = moto_or_skip!();
    // A listener that must never see a connection.
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let ep = format!("http://{}", listener.local_addr()?);
    let s3 = client(&ep, "s3");
    let err = s3
        .call("PutObject", params! {"Key": 42, "Body": (Value::blob(b"x".to_vec())), "ContentLength": "ten", "Bogus": true})
        .await
        .expect_err("invalid parameters");
    assert_eq!(err.kind(), ErrorKind::Validation, "{err:?}");
    let text = err.to_string();
    assert!(text.starts_with("Parameter validation failed:"), "{text}");
    for needle in [
        "Missing required parameter in input: \"Bucket\"",
        "Unknown parameter in input: \"Bogus\"",
        "Invalid type for parameter Key",
        "Invalid type for parameter ContentLength",
    ] {
        assert!(text.contains(needle), "{text}\n  lacks: {needle}");
    }
    assert!(text.lines().count() >= 5, "one line per problem: {text}");
    assert_eq!(err.code(), None);
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "nothing was sent"
    );

    // An unknown operation is a construction error with a suggestion, also unsent.
    let err = s3
        .call("ListObjectV2", params! {"Bucket": "b"})
        .await
        .expect_err("unknown operation");
    assert_eq!(err.kind(), ErrorKind::Construction);
    // Display is the error's own message; the model's suggestion is its source.
    assert!(
        err.report().contains("did you mean \"ListObjectsV2\"?"),
        "did-you-mean: {}",
        err.report()
    );
    // snake_case operation names resolve; this one would be sent, so only prepare it.
    let req = s3
        .prepare("list_objects_v2", params! {"Bucket": "b"})
        .await?;
    assert_eq!(req.method, "GET");
    assert!(
        req.url.starts_with(&format!("{ep}/b?list-type=2")),
        "{}",
        req.url
    );
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "nothing was sent"
    );
    Ok(())
}

#[tokio::test]
async fn checksums_conditional_requests_and_bucket_errors() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let bucket = new_bucket(&s3, "it-s3-cond").await?;

    // A flexible checksum is computed on upload and validated on download.
    let body = Value::blob(b"checksummed content".to_vec());
    let put = s3
        .call(
            "PutObject",
            params! {"Bucket": (&bucket), "Key": "c.txt", "Body": body, "ChecksumAlgorithm": "SHA256"},
        )
        .await?;
    // sha256("checksummed content"), base64
    let expected = put.get("ChecksumSHA256").as_str().map(str::to_owned);
    assert!(expected.as_deref().is_some_and(|c| c.len() == 44), "{put}");
    let got = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "c.txt", "ChecksumMode": "ENABLED"},
        )
        .await?;
    assert_eq!(got.get("Body").as_blob(), Some(&b"checksummed content"[..]));
    assert_eq!(got.get("ChecksumSHA256").as_str(), expected.as_deref());

    // If-None-Match with the current ETag: 304, reported like botocore (code "304").
    let etag = put.get("ETag").as_str().expect("ETag").to_string();
    let err = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "c.txt", "IfNoneMatch": (&etag)},
        )
        .await
        .expect_err("not modified");
    assert_eq!(err.status(), Some(304), "{err:?}");
    assert_eq!(err.code(), Some("304"));
    // If-Match with another ETag: 412 PreconditionFailed.
    let err = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "c.txt", "IfMatch": "\"0000\""},
        )
        .await
        .expect_err("precondition");
    assert!(err.is_code("PreconditionFailed"), "{err:?}");
    assert_eq!(err.status(), Some(412));

    // HeadBucket on a missing bucket: bodiless 404.
    let err = s3
        .call("HeadBucket", params! {"Bucket": (unique("it-s3-nohead"))})
        .await
        .expect_err("missing");
    assert_eq!(err.code(), Some("404"), "{err:?}");
    assert_eq!(err.status(), Some(404));

    // Tagging and location: small XML bodies both ways.
    let err = s3
        .call(
            "PutObjectTagging",
            params! {"Bucket": (&bucket), "Key": "c.txt", "Tagging": {"TagSet": [{"Key": "b & c", "Value": "<2>"}]}},
        )
        .await
        .expect_err("S3 tags allow letters, digits, spaces and _.:/=+-@ only");
    assert!(err.is_code("InvalidTag"), "{err:?}");
    assert!(
        err.message().contains("'b & c'") && err.message().contains("'<2>'"),
        "escaped and unescaped: {}",
        err.message()
    );
    s3.call(
        "PutObjectTagging",
        params! {"Bucket": (&bucket), "Key": "c.txt",
        "Tagging": {"TagSet": [{"Key": "a", "Value": "1"}, {"Key": "b c", "Value": "x=y+z@w"}]}},
    )
    .await?;
    let tags = s3
        .call(
            "GetObjectTagging",
            params! {"Bucket": (&bucket), "Key": "c.txt"},
        )
        .await?;
    assert_eq!(list_len(tags.get("TagSet")), 2);
    assert_eq!(tags.pointer("TagSet[1].Key").as_str(), Some("b c"));
    assert_eq!(tags.pointer("TagSet[1].Value").as_str(), Some("x=y+z@w"));
    let loc = s3
        .call("GetBucketLocation", params! {"Bucket": (&bucket)})
        .await?;
    assert!(
        loc.get("LocationConstraint").is_null()
            || loc.get("LocationConstraint").as_str() == Some(""),
        "{loc}"
    );

    // Versioning: two versions of one key, listed with the ListObjectVersions paginator.
    s3.call(
        "PutBucketVersioning",
        params! {"Bucket": (&bucket), "VersioningConfiguration": {"Status": "Enabled"}},
    )
    .await?;
    for v in ["one", "two", "three"] {
        s3.call("PutObject", params! {"Bucket": (&bucket), "Key": "v.txt", "Body": (Value::blob(v.as_bytes().to_vec()))})
            .await?;
    }
    let versions = s3
        .paginate(
            "ListObjectVersions",
            params! {"Bucket": (&bucket), "Prefix": "v.txt"},
        )?
        .page_size(2)
        .build_full_result()
        .await?;
    let list = versions.get("Versions").as_list().unwrap_or_default();
    assert_eq!(list.len(), 3, "{versions}");
    assert_eq!(
        list.iter()
            .filter(|v| v.get("IsLatest").as_bool() == Some(true))
            .count(),
        1
    );
    let oldest = list
        .iter()
        .find(|v| v.get("IsLatest").as_bool() == Some(false))
        .expect("an old version");
    let vid = oldest
        .get("VersionId")
        .as_str()
        .expect("VersionId")
        .to_string();
    let old = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "v.txt", "VersionId": (&vid)},
        )
        .await?;
    assert!(matches!(old.get("Body").as_blob(), Some(b"one" | b"two")));
    Ok(())
}
