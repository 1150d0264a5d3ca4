//! Listing 2,500 keys through the paginator, the object_exists waiter, a streamed GetObject.

use super::*;

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
