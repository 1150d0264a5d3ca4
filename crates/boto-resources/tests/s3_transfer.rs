//! The injected S3 `upload_file`/`download_file`/`copy` go through
//! boto-transfer's TransferManager (boto3 hands them to s3transfer): above
//! the 8 MiB threshold they are multipart uploads, ranged downloads and
//! multipart copies, checked here against moto server (BOTO_TEST_ENDPOINT);
//! ExtraArgs outside s3transfer's allowed lists and malformed CopySource
//! values are refused before anything is sent. Skips with a notice when the
//! endpoint is not set.

mod support;

use boto::{params, Value};
use boto_resources::ResourceExt as _;
use support::*;

#[tokio::test]
async fn multipart_upload_ranged_download_and_copy() -> TestResult {
    let Some(ep) = endpoint() else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
        return Ok(());
    };
    let s3 = session().resource_with("s3", &options(&ep))?;
    let name = unique("res-mpu");
    s3.action("create_bucket", params! {"Bucket": (name.as_str())})
        .await?;
    let bucket = s3.resource("Bucket", [name.as_str()])?;
    let dir = std::env::temp_dir().join(unique("boto-res-mpu"));
    std::fs::create_dir_all(&dir)?;
    // 20 MiB + 3 bytes: three 8 MiB parts, the last one short.
    let data: Vec<u8> = (0..(20 << 20) + 3u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let src = dir.join("big.bin");
    std::fs::write(&src, &data)?;

    let obj = bucket.subresource("Object", ["dir/big file.bin"])?;
    let up = obj
        .action(
            "upload_file",
            params! {"Filename": (src.to_str().unwrap()), "ExtraArgs": {"ContentType": "application/x-big"}},
        )
        .await?
        .into_data()
        .unwrap_or_default();
    // CompleteMultipartUpload's ETag is "<md5 of md5s>-<parts>".
    let etag = up.get("ETag").as_str().unwrap_or_default().to_string();
    assert!(
        etag.trim_matches('"').ends_with("-3"),
        "multipart ETag: {etag}"
    );
    assert_eq!(
        obj.attr("content_length").await?,
        Value::Integer(data.len() as i64)
    );
    assert_eq!(
        obj.attr("content_type").await?,
        Value::from("application/x-big")
    );

    // Bucket.copy above the threshold: UploadPartCopy parts.
    let copied = bucket
        .action(
            "copy",
            params! {"CopySource": {"Bucket": (name.as_str()), "Key": "dir/big file.bin"}, "Key": "copy.bin"},
        )
        .await?
        .into_data()
        .unwrap_or_default();
    let etag = copied.get("ETag").as_str().unwrap_or_default().to_string();
    assert!(
        etag.trim_matches('"').contains('-'),
        "multipart copy ETag: {etag}"
    );

    // Download of the copy, in ranges, into place.
    let dst = dir.join("back.bin");
    bucket
        .action(
            "download_file",
            params! {"Key": "copy.bin", "Filename": (dst.to_str().unwrap())},
        )
        .await?;
    assert!(std::fs::read(&dst)? == data, "downloaded copy differs");
    assert_eq!(
        std::fs::read_dir(&dir)?.count(),
        2,
        "no temporary file left"
    );

    // The "bucket/key" string form of CopySource, below the threshold.
    let small = dir.join("small.txt");
    std::fs::write(&small, b"small")?;
    bucket
        .action(
            "upload_file",
            params! {"Filename": (small.to_str().unwrap()), "Key": "small.txt"},
        )
        .await?;
    let copy2 = bucket.subresource("Object", ["small-copy.txt"])?;
    copy2
        .action(
            "copy",
            params! {"CopySource": (format!("{name}/small.txt"))},
        )
        .await?;
    assert_eq!(copy2.attr("content_length").await?, Value::Integer(5));

    // Refused before sending: an ExtraArgs key s3transfer does not allow for
    // uploads, a download ExtraArgs that is an upload-only key, bad CopySource.
    let err = obj
        .action(
            "upload_file",
            params! {"Filename": (src.to_str().unwrap()), "ExtraArgs": {"Bogus": "x"}},
        )
        .await
        .expect_err("unknown ExtraArgs key");
    assert_eq!(err.kind(), boto::ErrorKind::Validation, "{err}");
    assert!(err.to_string().contains("Bogus"), "{err}");
    let err = obj
        .action(
            "download_file",
            params! {"Filename": (dir.join("x").to_str().unwrap()), "ExtraArgs": {"ContentType": "a/b"}},
        )
        .await
        .expect_err("upload-only key on a download");
    assert!(err.to_string().contains("ContentType"), "{err}");
    assert!(!dir.join("x").exists());
    for bad in [
        Value::from("no-slash"),
        Value::from("/key"),
        params! {"Bucket": (name.as_str())},
        Value::Integer(3),
    ] {
        let err = copy2
            .action("copy", params! {"CopySource": (bad.clone())})
            .await
            .expect_err("bad CopySource");
        assert!(err.to_string().contains("CopySource"), "{bad:?}: {err}");
    }

    bucket
        .collection("objects")?
        .batch_action("delete", Value::Null)
        .await?;
    bucket.action("delete", Value::Null).await?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
