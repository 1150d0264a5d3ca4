//! The blocking API (`boto::blocking::Client`) against moto from plain
//! threads: four threads share one cloned client for put/list/get/paginate,
//! streamed GetObject through a sink, the `object_exists` waiter, presigning,
//! the paginator iterator with `max_items`/`starting_token`, errors; and
//! blocking calls inside `spawn_blocking` and inside an async task.

#[macro_use]
mod support;

use boto::{params, ErrorKind, Value, WaiterConfig};
use std::collections::BTreeSet;
use std::time::Duration;
use support::{blocking_client, keys_of, list_len, pattern, raw_http, unique, TestResult};

#[test]
fn four_threads_share_one_client() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = blocking_client(&ep, "s3");
    let bucket = unique("it-blocking");
    s3.call("CreateBucket", params! {"Bucket": (&bucket)})?;

    let handles: Vec<_> = (0..4)
        .map(|t| {
            let (s3, bucket) = (s3.clone(), bucket.clone());
            std::thread::spawn(move || -> Result<usize, boto::Error> {
                for i in 0..60 {
                    let key = format!("t{t}/obj-{i:03}");
                    let body = Value::blob(format!("thread {t} object {i}").into_bytes());
                    s3.call(
                        "PutObject",
                        params! {"Bucket": (&bucket), "Key": key, "Body": body},
                    )?;
                }
                // Each thread pages through its own prefix, 25 keys a page.
                let mut n = 0;
                let mut pages = 0;
                for page in s3
                    .paginate(
                        "ListObjectsV2",
                        params! {"Bucket": (&bucket), "Prefix": (format!("t{t}/"))},
                    )?
                    .config(|p| p.page_size(25))
                {
                    let page = page?;
                    pages += 1;
                    n += list_len(page.get("Contents"));
                }
                assert_eq!(pages, 3, "60 keys, 25 a page");
                let got = s3.call(
                    "GetObject",
                    params! {"Bucket": (&bucket), "Key": (format!("t{t}/obj-042"))},
                )?;
                assert_eq!(
                    got.get("Body").as_blob(),
                    Some(format!("thread {t} object 42").as_bytes())
                );
                Ok(n)
            })
        })
        .collect();
    let counts: Vec<usize> = handles
        .into_iter()
        .map(|h| h.join().expect("thread panicked"))
        .collect::<Result<_, _>>()?;
    assert_eq!(counts, [60, 60, 60, 60]);

    let all = s3
        .paginate("ListObjectsV2", params! {"Bucket": (&bucket)})?
        .build_full_result()?;
    let keys: BTreeSet<String> = keys_of(&all).into_iter().collect();
    assert_eq!(keys.len(), 240);
    assert!(keys.contains("t3/obj-059"));

    // max_items + starting_token through the blocking wrapper.
    let first = s3
        .paginate("ListObjectsV2", params! {"Bucket": (&bucket)})?
        .config(|p| p.page_size(50).max_items(130))
        .build_full_result()?;
    assert_eq!(list_len(first.get("Contents")), 130);
    let token = first
        .get("NextToken")
        .as_str()
        .expect("resume token")
        .to_string();
    let rest = s3
        .paginate("ListObjectsV2", params! {"Bucket": (&bucket)})?
        .config(|p| p.page_size(50).starting_token(token))
        .build_full_result()?;
    assert_eq!(list_len(rest.get("Contents")), 110);
    let resumed: BTreeSet<String> = keys_of(&first).into_iter().chain(keys_of(&rest)).collect();
    assert_eq!(resumed, keys);
    Ok(())
}

#[test]
fn streaming_waiters_presign_and_errors() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = blocking_client(&ep, "s3");
    let bucket = unique("it-blocking-io");
    s3.call("CreateBucket", params! {"Bucket": (&bucket)})?;
    let data = pattern(2 * 1024 * 1024 + 5, 9);
    s3.call(
        "PutObject",
        params! {"Bucket": (&bucket), "Key": "big.bin", "Body": (Value::blob(data.clone()))},
    )?;

    let mut got = Vec::new();
    let mut chunks = 0;
    let out = s3.call_stream(
        "GetObject",
        params! {"Bucket": (&bucket), "Key": "big.bin"},
        None,
        |chunk| {
            chunks += 1;
            got.extend_from_slice(chunk);
            Ok(())
        },
    )?;
    assert_eq!(out.get("ContentLength").as_i64(), Some(data.len() as i64));
    assert!(chunks > 1);
    assert!(got == data, "streamed bytes equal the uploaded bytes");

    // A sink error stops the read and surfaces as an error.
    let err = s3
        .call_stream(
            "GetObject",
            params! {"Bucket": (&bucket), "Key": "big.bin"},
            None,
            |_| Err(std::io::Error::other("disk full")),
        )
        .expect_err("the sink failed");
    assert!(err.to_string().contains("disk full"), "{err}");

    let fast = WaiterConfig::new()
        .delay(Duration::from_millis(50))
        .max_attempts(3);
    let waited = s3
        .waiter("ObjectExists")?
        .wait(params! {"Bucket": &bucket, "Key": "big.bin"}, fast)?;
    assert_eq!(
        waited.get("ContentLength").as_i64(),
        Some(data.len() as i64)
    );
    let err = s3
        .waiter("object_exists")?
        .wait(
            params! {"Bucket": &bucket, "Key": "nope"},
            fast.max_attempts(2),
        )
        .expect_err("never exists");
    assert_eq!(err.kind(), ErrorKind::Waiter);
    // The old four-argument shape still works (deprecated).
    #[allow(deprecated)]
    let err = s3
        .wait(
            "object_exists",
            params! {"Bucket": &bucket, "Key": "nope"},
            Some(Duration::from_millis(50)),
            Some(1),
        )
        .expect_err("never exists");
    assert_eq!(err.kind(), ErrorKind::Waiter);

    let url = s3.presign_url(
        "GetObject",
        params! {"Bucket": (&bucket), "Key": "big.bin"},
        Duration::from_secs(60),
    )?;
    let resp = raw_http("GET", &url, b"")?;
    assert_eq!(resp.status, 200);
    assert!(resp.body == data);

    let err = s3
        .call("GetObject", params! {"Bucket": (&bucket), "Key": "nope"})
        .expect_err("missing");
    assert!(err.is_code("NoSuchKey"), "{err:?}");
    assert_eq!(err.status(), Some(404));
    let err = s3
        .call("GetObject", params! {"Key": "nope"})
        .expect_err("invalid");
    assert_eq!(err.kind(), ErrorKind::Validation);

    let req = s3.prepare(
        "HeadObject",
        params! {"Bucket": (&bucket), "Key": "big.bin"},
    )?;
    assert_eq!(req.method, "HEAD");
    assert!(
        req.headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("authorization")
                && v.starts_with("AWS4-HMAC-SHA256"))
    );
    Ok(())
}

#[test]
fn other_services_through_the_blocking_client() -> TestResult {
    let ep = moto_or_skip!();
    let ddb = blocking_client(&ep, "dynamodb");
    let table = unique("it-blocking-ddb");
    ddb.call(
        "CreateTable",
        params! {"TableName": (&table), "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]},
    )?;
    ddb.waiter("table_exists")?.wait(
        params! {"TableName": &table},
        WaiterConfig::new()
            .delay(Duration::from_millis(100))
            .max_attempts(20),
    )?;
    for i in 0..12 {
        ddb.call(
            "PutItem",
            params! {"TableName": (&table), "Item": {"id": {"S": (format!("item-{i}"))}}},
        )?;
    }
    let pages: Vec<Value> = ddb
        .paginate("Scan", params! {"TableName": (&table)})?
        .config(|p| p.page_size(5))
        .collect::<Result<_, _>>()?;
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert_eq!(
        pages
            .iter()
            .map(|p| list_len(p.get("Items")))
            .sum::<usize>(),
        12
    );

    let sts = blocking_client(&ep, "sts");
    let me = sts.call("get_caller_identity", params! {})?;
    assert_eq!(me.get("Account").as_str(), Some("123456789012"));
    Ok(())
}

/// `spawn_blocking` threads exist to block: the blocking client works there
/// (calls, pages, waiters), on a multi-thread and a current-thread runtime.
#[test]
fn blocking_client_inside_spawn_blocking() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = blocking_client(&ep, "s3");
    let bucket = unique("it-blocking-sb");
    for rt in [
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?,
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
    ] {
        let (s3, bucket) = (s3.clone(), bucket.clone());
        let keys = rt.block_on(async move {
            tokio::task::spawn_blocking(move || -> Result<usize, boto::Error> {
                s3.call("CreateBucket", params! {"Bucket": &bucket})
                    .or_else(|e| {
                        if e.is_code("BucketAlreadyOwnedByYou") {
                            Ok(Value::Null)
                        } else {
                            Err(e)
                        }
                    })?;
                s3.waiter("BucketExists")?.wait(
                    params! {"Bucket": &bucket},
                    WaiterConfig::new().max_attempts(2),
                )?;
                for i in 0..3 {
                    s3.call(
                        "PutObject",
                        params! {"Bucket": &bucket, "Key": format!("k{i}"), "Body": b"x"},
                    )?;
                }
                let pages = s3
                    .paginate("ListObjectsV2", params! {"Bucket": &bucket})?
                    .page_size(2)
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(pages.iter().map(|p| list_len(p.get("Contents"))).sum())
            })
            .await
        })??;
        assert_eq!(keys, 3);
    }
    Ok(())
}

/// Inside an async task the call blocks that worker thread but completes
/// (it runs on boto's own runtime) instead of panicking or hanging.
#[tokio::test]
async fn blocking_client_inside_an_async_task_completes() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = blocking_client(&ep, "s3");
    let started = std::time::Instant::now();
    let out = s3.call("ListBuckets", params! {})?;
    assert_eq!(
        out.pointer("ResponseMetadata.HTTPStatusCode").as_i64(),
        Some(200)
    );
    let err = s3
        .paginate(
            "ListObjectsV2",
            params! {"Bucket": "no-such-bucket-blocking"},
        )?
        .next()
        .expect("one item")
        .expect_err("no bucket");
    assert!(err.is_code("NoSuchBucket"), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(10));

    // The async client underneath works in the same runtime.
    let out = s3.async_client().call("ListBuckets", params! {}).await?;
    assert_eq!(
        out.pointer("ResponseMetadata.HTTPStatusCode").as_i64(),
        Some(200)
    );
    Ok(())
}
