//! PutObject from a file region, multipart upload, DeleteObjects of 1,000 keys.

use super::*;

#[tokio::test]
async fn put_object_from_a_file_region() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let bucket = new_bucket(&s3, "it-s3-file").await?;
    let dir = temp_dir("s3-file");
    let path = dir.join("upload.bin");
    let data = pattern(1024 * 1024 + 3, 7);
    std::fs::write(&path, &data)?;

    let body = RequestBody::File {
        path: path.clone(),
        offset: 0,
        len: data.len() as u64,
    };
    let out = s3
        .call_stream(
            "PutObject",
            params! {"Bucket": (&bucket), "Key": "whole.bin"},
            Some(body),
        )
        .await?;
    assert!(out.value.get("ETag").as_str().is_some_and(|e| e.len() > 2));
    let got = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "whole.bin"},
        )
        .await?;
    assert_eq!(got.get("ContentLength").as_i64(), Some(data.len() as i64));
    assert!(got.get("Body").as_blob() == Some(&data[..]));

    let body = RequestBody::File {
        path,
        offset: 4096,
        len: 10_000,
    };
    s3.call_stream(
        "PutObject",
        params! {"Bucket": (&bucket), "Key": "slice.bin"},
        Some(body),
    )
    .await?;
    let got = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "slice.bin"},
        )
        .await?;
    assert_eq!(got.get("Body").as_blob(), Some(&data[4096..14_096]));
    std::fs::remove_dir_all(dir).ok();
    Ok(())
}

#[tokio::test]
async fn multipart_upload_of_two_5_mib_parts() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let bucket = new_bucket(&s3, "it-s3-mpu").await?;
    let key = "multi/part.bin";
    let create = s3
        .call(
            "CreateMultipartUpload",
            params! {"Bucket": (&bucket), "Key": key},
        )
        .await?;
    let upload_id = create
        .get("UploadId")
        .as_str()
        .expect("an UploadId")
        .to_string();
    assert_eq!(create.get("Key").as_str(), Some(key));

    const PART: usize = 5 * 1024 * 1024;
    let parts_data = [pattern(PART, 1), pattern(PART, 2)];
    let mut parts = Vec::new();
    for (i, data) in parts_data.iter().enumerate() {
        let n = i as i64 + 1;
        let out = s3
            .call(
                "UploadPart",
                params! {"Bucket": (&bucket), "Key": key, "UploadId": (&upload_id), "PartNumber": n,
                "Body": (Value::blob(data.clone()))},
            )
            .await?;
        let etag = out
            .get("ETag")
            .as_str()
            .expect("UploadPart returns an ETag")
            .to_string();
        parts.push(params! {"ETag": etag, "PartNumber": n});
    }
    let listed = s3
        .call(
            "ListParts",
            params! {"Bucket": (&bucket), "Key": key, "UploadId": (&upload_id)},
        )
        .await?;
    assert_eq!(list_len(listed.get("Parts")), 2);
    assert_eq!(listed.pointer("Parts[1].Size").as_i64(), Some(PART as i64));

    let done = s3
        .call(
            "CompleteMultipartUpload",
            params! {"Bucket": (&bucket), "Key": key, "UploadId": (&upload_id), "MultipartUpload": {"Parts": (parts)}},
        )
        .await?;
    assert!(
        done.get("ETag")
            .as_str()
            .is_some_and(|e| e.ends_with("-2\"")),
        "multipart ETag: {}",
        done.get("ETag")
    );
    let head = s3
        .call("HeadObject", params! {"Bucket": (&bucket), "Key": key})
        .await?;
    assert_eq!(head.get("ContentLength").as_i64(), Some(2 * PART as i64));
    // The bytes around the part boundary come from both parts.
    let range = format!("bytes={}-{}", PART - 2, PART + 1);
    let mid = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": key, "Range": range},
        )
        .await?;
    let expected: Vec<u8> = parts_data[0][PART - 2..]
        .iter()
        .chain(&parts_data[1][..2])
        .copied()
        .collect();
    assert_eq!(mid.get("Body").as_blob(), Some(&expected[..]));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_objects_removes_1000_keys_in_one_call() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let bucket = new_bucket(&s3, "it-s3-del").await?;
    let keys: Vec<String> = (0..1000).map(|i| format!("doomed/{i:04}")).collect();
    assert_eq!(put_many(&s3, &bucket, keys.clone(), 32).await?, 1000);
    s3.call(
        "PutObject",
        params! {"Bucket": (&bucket), "Key": "keep.txt", "Body": (Value::blob(b"k".to_vec()))},
    )
    .await?;

    let objects: Vec<Value> = keys.iter().map(|k| params! {"Key": k}).collect();
    let out = s3
        .call(
            "DeleteObjects",
            params! {"Bucket": (&bucket), "Delete": {"Objects": (objects)}},
        )
        .await?;
    assert_eq!(
        list_len(out.get("Deleted")),
        1000,
        "errors: {}",
        out.get("Errors")
    );
    assert_eq!(list_len(out.get("Errors")), 0);
    let deleted: HashSet<&str> = out
        .get("Deleted")
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|d| d.get("Key").as_str())
        .collect();
    assert!(keys.iter().all(|k| deleted.contains(k.as_str())));

    let left = s3
        .paginate("ListObjectsV2", params! {"Bucket": (&bucket)})?
        .build_full_result()
        .await?;
    assert_eq!(keys_of(&left), ["keep.txt"]);
    Ok(())
}
