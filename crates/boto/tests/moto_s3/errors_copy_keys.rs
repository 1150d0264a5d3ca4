//! Service errors, CopyObject with both CopySource forms, awkward key names.

use super::*;

#[tokio::test]
async fn service_errors_carry_code_status_message_and_request_id() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let bucket = new_bucket(&s3, "it-s3-err").await?;

    let err = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "missing.txt"},
        )
        .await
        .expect_err("no such key");
    assert_eq!(err.kind(), ErrorKind::Service);
    assert!(err.is_service());
    assert!(err.is_code("NoSuchKey"), "{err:?}");
    assert!(!err.is_code("NoSuchBucket"));
    assert_eq!(err.code(), Some("NoSuchKey"));
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.message(), "The specified key does not exist.");
    assert!(err.request_id().is_some_and(|id| !id.is_empty()), "{err:?}");
    assert_eq!(err.operation(), Some("GetObject"));
    assert_eq!(
        err.to_string(),
        "An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist."
    );
    // The modeled/extra error fields are there too, like botocore's response['Error'].
    assert_eq!(
        err.service_error()
            .map(|s| s.fields.pointer("Error.Key").as_str()),
        Some(Some("missing.txt"))
    );

    let missing = unique("it-s3-nobucket");
    let err = s3
        .call("ListObjectsV2", params! {"Bucket": (&missing)})
        .await
        .expect_err("no such bucket");
    assert!(err.is_code("NoSuchBucket"), "{err:?}");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.message(), "The specified bucket does not exist");
    let err = s3
        .call(
            "PutObject",
            params! {"Bucket": (&missing), "Key": "k", "Body": (Value::blob(b"x".to_vec()))},
        )
        .await
        .expect_err("no such bucket");
    assert!(err.is_code("NoSuchBucket"), "{err:?}");

    // HeadObject's 404 has no body: botocore reports code "404", message "Not Found".
    let err = s3
        .call(
            "HeadObject",
            params! {"Bucket": (&bucket), "Key": "missing.txt"},
        )
        .await
        .expect_err("404");
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("404"), "{err:?}");
    assert_eq!(err.message(), "Not Found");

    // DeleteBucket of a non-empty bucket: 409 BucketNotEmpty.
    s3.call(
        "PutObject",
        params! {"Bucket": (&bucket), "Key": "k", "Body": (Value::blob(b"x".to_vec()))},
    )
    .await?;
    let err = s3
        .call("DeleteBucket", params! {"Bucket": (&bucket)})
        .await
        .expect_err("not empty");
    assert!(err.is_code("BucketNotEmpty"), "{err:?}");
    assert_eq!(err.status(), Some(409));
    Ok(())
}

#[tokio::test]
async fn copy_object_with_map_and_string_copy_source() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let src = new_bucket(&s3, "it-s3-cpsrc").await?;
    let dst = new_bucket(&s3, "it-s3-cpdst").await?;
    let src_key = "dir with space/ünï+code%.txt";
    s3.call(
        "PutObject",
        params! {"Bucket": (&src), "Key": src_key, "Body": (Value::blob(b"copy me".to_vec())),
        "Metadata": {"colour": "blue"}, "ContentType": "text/plain"},
    )
    .await?;

    let out = s3
        .call("CopyObject", params! {"Bucket": (&dst), "Key": "from-map.txt", "CopySource": {"Bucket": (&src), "Key": src_key}})
        .await?;
    assert!(
        out.pointer("CopyObjectResult.ETag").as_str().is_some(),
        "{out}"
    );
    let source = format!("{src}/{src_key}");
    s3.call(
        "CopyObject",
        params! {"Bucket": (&dst), "Key": "from-string.txt", "CopySource": (&source)},
    )
    .await?;

    for key in ["from-map.txt", "from-string.txt"] {
        let got = s3
            .call("GetObject", params! {"Bucket": (&dst), "Key": key})
            .await?;
        assert_eq!(got.get("Body").as_blob(), Some(&b"copy me"[..]), "{key}");
        assert_eq!(
            got.pointer("Metadata.colour").as_str(),
            Some("blue"),
            "{key}: metadata copied"
        );
        assert_eq!(got.get("ContentType").as_str(), Some("text/plain"));
    }

    // A missing source is NoSuchKey.
    let err = s3
        .call(
            "CopyObject",
            params! {"Bucket": (&dst), "Key": "x", "CopySource": {"Bucket": (&src), "Key": "nope"}},
        )
        .await
        .expect_err("missing source");
    assert!(err.is_code("NoSuchKey"), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn awkward_key_names_round_trip() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let bucket = new_bucket(&s3, "it-s3-keys").await?;
    let keys = [
        "with space/and more spaces.txt",
        "unicode/ünïcödé-日本語-😀.txt",
        "plus/a+b+c.txt",
        "percent/100%/%20literal%2F.txt",
        "symbols/~!@$&'()*,;=:.txt",
        "tilde~/equals=/amp&/q?x=1#frag",
        "double//slash/./dot/../x",
        "trailing-space ",
    ];
    for (i, key) in keys.iter().enumerate() {
        let body = Value::blob(format!("body {i}").into_bytes());
        s3.call(
            "PutObject",
            params! {"Bucket": (&bucket), "Key": (*key), "Body": body},
        )
        .await?;
    }
    for (i, key) in keys.iter().enumerate() {
        let got = s3
            .call("GetObject", params! {"Bucket": (&bucket), "Key": (*key)})
            .await?;
        assert_eq!(
            got.get("Body").as_blob(),
            Some(format!("body {i}").as_bytes()),
            "key {key:?}"
        );
        let head = s3
            .call("HeadObject", params! {"Bucket": (&bucket), "Key": (*key)})
            .await?;
        assert_eq!(
            head.get("ContentLength").as_i64(),
            Some(format!("body {i}").len() as i64),
            "key {key:?}"
        );
    }
    // Listing returns the keys as they were written (EncodingType=url is decoded for us).
    let listed = s3
        .call("ListObjectsV2", params! {"Bucket": (&bucket)})
        .await?;
    let got: BTreeSet<String> = keys_of(&listed).into_iter().collect();
    let want: BTreeSet<String> = keys.iter().map(|k| k.to_string()).collect();
    assert_eq!(got, want);
    // And via ListObjects (v1) with a prefix and delimiter: common prefixes decoded too.
    let v1 = s3
        .call(
            "ListObjects",
            params! {"Bucket": (&bucket), "Delimiter": "/"},
        )
        .await?;
    let prefixes: BTreeSet<&str> = v1
        .get("CommonPrefixes")
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.get("Prefix").as_str())
        .collect();
    assert!(
        prefixes.contains("with space/")
            && prefixes.contains("unicode/")
            && prefixes.contains("percent/"),
        "{prefixes:?}"
    );
    assert_eq!(keys_of(&v1), ["trailing-space "]);
    Ok(())
}
