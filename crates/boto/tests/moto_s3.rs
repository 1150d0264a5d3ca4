//! S3 (rest-xml) end to end against moto, through the public async API:
//! bulk concurrent PutObject and the ListObjectsV2 paginator (pages,
//! `max_items`/`starting_token` resume, `search`), the `object_exists`
//! waiter (success and failure), streamed GetObject, PutObject from a file
//! region, multipart upload, DeleteObjects of 1,000 keys, service errors
//! (`NoSuchKey`, `NoSuchBucket`, HeadObject's bodiless 404), CopyObject with
//! both CopySource forms, awkward key names, presigned GET/PUT URLs used
//! with a bare HTTP client, and client-side validation that sends nothing.

#[macro_use]
mod support;

use boto::core::runtime::waiter::{failure, WaiterConfig};
use boto::{params, Client, ErrorKind, RequestBody, Value};
use std::collections::{BTreeSet, HashSet};
use std::time::Duration;
use support::{client, keys_of, list_len, pattern, raw_http, temp_dir, unique, TestResult};

async fn new_bucket(s3: &Client, prefix: &str) -> Result<String, boto::Error> {
    let bucket = unique(prefix);
    s3.call("CreateBucket", params! {"Bucket": (&bucket)})
        .await?;
    Ok(bucket)
}

/// Puts `keys` (body = the key's bytes) with at most `in_flight` requests at once.
async fn put_many(
    s3: &Client,
    bucket: &str,
    keys: Vec<String>,
    in_flight: usize,
) -> Result<usize, boto::Error> {
    let mut set = tokio::task::JoinSet::new();
    let mut done = 0;
    for key in keys {
        if set.len() >= in_flight {
            set.join_next()
                .await
                .expect("a task is running")
                .expect("put task panicked")?;
            done += 1;
        }
        let (s3, bucket) = (s3.clone(), bucket.to_string());
        set.spawn(async move {
            let body = Value::blob(key.as_bytes().to_vec());
            s3.call(
                "PutObject",
                params! {"Bucket": bucket, "Key": key, "Body": body},
            )
            .await
            .map(|_| ())
        });
    }
    while let Some(r) = set.join_next().await {
        r.expect("put task panicked")?;
        done += 1;
    }
    Ok(done)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_2500_keys_in_three_pages_and_resume_with_tokens() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let bucket = new_bucket(&s3, "it-s3-list").await?;
    let keys: Vec<String> = (0..2500)
        .map(|i| format!("images/img-{i:05}.jpg"))
        .collect();
    let expected: BTreeSet<String> = keys.iter().cloned().collect();
    assert_eq!(put_many(&s3, &bucket, keys, 32).await?, 2500);
    // A key outside the prefix must not show up.
    s3.call(
        "PutObject",
        params! {"Bucket": (&bucket), "Key": "other/x", "Body": (Value::blob(b"x".to_vec()))},
    )
    .await?;

    // Page by page: default MaxKeys 1000 → 1000 + 1000 + 500.
    let mut pages = s3.paginate(
        "ListObjectsV2",
        params! {"Bucket": (&bucket), "Prefix": "images/"},
    )?;
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page?;
        let keys = keys_of(&page);
        assert_eq!(page.get("KeyCount").as_i64(), Some(keys.len() as i64));
        sizes.push(keys.len());
        seen.extend(keys);
    }
    assert_eq!(sizes, [1000, 1000, 500]);
    assert_eq!(seen.len(), 2500, "every key exactly once");
    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), expected);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "S3 lists keys in UTF-8 binary order");

    // MaxItems stops mid-page with a resume token; StartingToken continues exactly there.
    let first = s3
        .paginate(
            "ListObjectsV2",
            params! {"Bucket": (&bucket), "Prefix": "images/"},
        )?
        .max_items(1200)
        .build_full_result()
        .await?;
    let first_keys = keys_of(&first);
    assert_eq!(first_keys.len(), 1200);
    let token = first
        .get("NextToken")
        .as_str()
        .expect("MaxItems leaves a NextToken")
        .to_string();
    let rest = s3
        .paginate(
            "ListObjectsV2",
            params! {"Bucket": (&bucket), "Prefix": "images/"},
        )?
        .starting_token(&token)
        .build_full_result()
        .await?;
    let rest_keys = keys_of(&rest);
    assert_eq!(rest_keys.len(), 1300);
    assert!(
        rest.get("NextToken").is_null(),
        "the resumed run reaches the end"
    );
    let mut all: Vec<String> = first_keys.into_iter().chain(rest_keys).collect();
    assert_eq!(all.len(), 2500);
    all.dedup();
    assert_eq!(all.into_iter().collect::<BTreeSet<_>>(), expected);

    // Three chained runs with a page size: each resumes where the last stopped.
    let mut token: Option<String> = None;
    let mut chained = Vec::new();
    let mut runs = 0;
    loop {
        let mut p = s3
            .paginate(
                "ListObjectsV2",
                params! {"Bucket": (&bucket), "Prefix": "images/"},
            )?
            .page_size(400)
            .max_items(900);
        if let Some(t) = &token {
            p = p.starting_token(t);
        }
        let r = p.build_full_result().await?;
        chained.extend(keys_of(&r));
        runs += 1;
        match r.get("NextToken").as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(runs, 3);
    assert_eq!(chained.len(), 2500);
    assert_eq!(chained.into_iter().collect::<BTreeSet<_>>(), expected);

    // search() yields the matched items across pages.
    let mut search = s3
        .paginate(
            "ListObjectsV2",
            params! {"Bucket": (&bucket), "Prefix": "images/"},
        )?
        .search("Contents[?Size > `0`].Key")?;
    let mut n = 0;
    while let Some(k) = search.next().await {
        assert!(k?.as_str().is_some_and(|k| k.starts_with("images/img-")));
        n += 1;
    }
    assert_eq!(n, 2500);
    Ok(())
}

#[tokio::test]
async fn object_exists_waiter_succeeds_and_fails() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let bucket = new_bucket(&s3, "it-s3-wait").await?;

    // The object arrives while the waiter polls.
    let writer = {
        let (s3, bucket) = (s3.clone(), bucket.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(400)).await;
            s3.call("PutObject", params! {"Bucket": bucket, "Key": "late.txt", "Body": (Value::blob(b"here".to_vec()))})
                .await
        })
    };
    let started = std::time::Instant::now();
    let config = WaiterConfig {
        delay: Some(Duration::from_millis(100)),
        max_attempts: Some(50),
    };
    let out = s3
        .waiter("object_exists")?
        .wait(params! {"Bucket": (&bucket), "Key": "late.txt"}, config)
        .await?;
    writer.await??;
    assert_eq!(out.get("ContentLength").as_i64(), Some(4));
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "the waiter polled until the object existed"
    );

    // A key that never appears: two attempts, then a Waiter error.
    let started = std::time::Instant::now();
    let config = WaiterConfig {
        delay: Some(Duration::from_millis(50)),
        max_attempts: Some(2),
    };
    let err = s3
        .waiter("ObjectExists")?
        .wait(params! {"Bucket": (&bucket), "Key": "never.txt"}, config)
        .await
        .expect_err("the key never exists");
    assert_eq!(err.kind(), ErrorKind::Waiter, "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "custom delay/attempts were used"
    );
    let f = failure(&err).expect("a waiter error carries its failure");
    assert_eq!(f.waiter, "ObjectExists");
    assert!(
        f.reason.starts_with("Max attempts exceeded"),
        "{}",
        f.reason
    );
    assert_eq!(
        f.last_response
            .pointer("ResponseMetadata.HTTPStatusCode")
            .as_i64(),
        Some(404)
    );
    // botocore's shape: the parsed error response, `Error` one level deep.
    assert_eq!(f.last_response.pointer("Error.Code").as_str(), Some("404"));
    assert!(
        f.last_response.pointer("Error.Error").is_null(),
        "{:?}",
        f.last_response
    );
    let keys: Vec<&str> = f
        .last_response
        .as_map()
        .expect("a map")
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(keys, ["Error", "ResponseMetadata"]);
    assert!(err.to_string().contains("Max attempts exceeded"), "{err}");
    Ok(())
}

#[tokio::test]
async fn get_object_streams_a_3_mib_body() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = client(&ep, "s3");
    let bucket = new_bucket(&s3, "it-s3-stream").await?;
    let data = pattern(3 * 1024 * 1024 + 17, 3);
    s3.call(
        "PutObject",
        params! {"Bucket": (&bucket), "Key": "big.bin", "Body": (Value::blob(data.clone()))},
    )
    .await?;

    let out = s3
        .call_stream(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "big.bin"},
            None,
        )
        .await?;
    assert_eq!(
        out.value.get("ContentLength").as_i64(),
        Some(data.len() as i64)
    );
    let placeholder = out.value.get("Body");
    assert!(
        placeholder.is_null() || placeholder.as_blob() == Some(&[][..]),
        "the body is streamed, not buffered"
    );
    let mut body = out.body.expect("GetObject streams its body");
    let (mut got, mut chunks) = (Vec::with_capacity(data.len()), 0);
    while let Some(chunk) = body.next_chunk().await? {
        chunks += 1;
        got.extend_from_slice(&chunk);
    }
    assert!(
        chunks > 1,
        "a 3 MiB body arrives in several chunks, got {chunks}"
    );
    assert_eq!(got.len(), data.len());
    assert!(got == data, "streamed bytes equal the uploaded bytes");

    // call() buffers the same body into a blob; a Range request returns the slice.
    let whole = s3
        .call("GetObject", params! {"Bucket": (&bucket), "Key": "big.bin"})
        .await?;
    assert_eq!(
        whole.get("Body").as_blob().map(<[u8]>::len),
        Some(data.len())
    );
    let part = s3
        .call(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "big.bin", "Range": "bytes=1000-1999"},
        )
        .await?;
    assert_eq!(part.get("Body").as_blob(), Some(&data[1000..2000]));
    assert_eq!(
        part.get("ContentRange").as_str(),
        Some(format!("bytes 1000-1999/{}", data.len()).as_str())
    );
    Ok(())
}

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
