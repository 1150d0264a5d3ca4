//! The classic boto3 S3 walkthrough, in Rust.
//!
//! Run against any S3-compatible endpoint, e.g. the moto server `scripts/demo.sh` starts:
//! `BOTO_TEST_ENDPOINT=http://127.0.0.1:PORT cargo run --example s3_walkthrough`
//! (without the variable it talks to real AWS with your default profile).

use boto::{params, ClientOptions, Session, Value};
use serde::Deserialize;
use std::time::Duration;

/// Results read into your own types.
#[derive(Debug, Deserialize)]
struct Object {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Size")]
    size: i64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), boto::Error> {
    let endpoint = std::env::var("BOTO_TEST_ENDPOINT").ok();
    let mut session = Session::builder().region("us-east-1");
    if endpoint.is_some() {
        session = session.credentials("testing", "testing", None);
    }
    let session = session.build()?;
    let s3 = session.client_with(
        "s3",
        &ClientOptions {
            endpoint_url: endpoint,
            ..Default::default()
        },
    )?;
    let bucket = "boto-rs-walkthrough";

    s3.call("CreateBucket", params! {"Bucket": bucket}).await?;
    for i in 0..25 {
        let key = format!("images/photo-{i:03}.jpg");
        let body = Value::blob(format!("pixels of photo {i}").into_bytes());
        s3.call(
            "PutObject",
            params! {"Bucket": bucket, "Key": (key), "Body": body},
        )
        .await?;
    }
    s3.call(
        "PutObject",
        params! {"Bucket": bucket, "Key": "notes.txt", "Body": (Value::blob(b"hi".to_vec()))},
    )
    .await?;

    // 1. List objects under a prefix with the client.
    let page = s3
        .call(
            "ListObjectsV2",
            params! {"Bucket": bucket, "Prefix": "images/", "MaxKeys": 10},
        )
        .await?;
    let first: Vec<Object> = boto::from_value(page.get("Contents").clone())
        .map_err(|e| boto::Error::response(e.to_string()))?;
    let bytes: i64 = first.iter().map(|o| o.size).sum();
    println!(
        "first page: {} objects ({bytes} bytes), first key {}, truncated = {:?}",
        first.len(),
        first[0].key,
        page.get("IsTruncated")
    );

    // 2. The same with a paginator, 10 keys per page.
    let mut pages = s3
        .paginate(
            "ListObjectsV2",
            params! {"Bucket": bucket, "Prefix": "images/"},
        )?
        .page_size(10);
    let (mut n_pages, mut n_keys) = (0, 0);
    while let Some(page) = pages.next_page().await {
        n_pages += 1;
        n_keys += page?.get("Contents").as_list().map_or(0, |l| l.len());
    }
    println!("paginator: {n_keys} keys under images/ in {n_pages} pages");

    // 3. Wait for an object to arrive, with a custom delay and number of attempts.
    let waiter = s3.waiter("object_exists")?;
    let config = boto::core::runtime::waiter::WaiterConfig {
        delay: Some(Duration::from_millis(200)),
        max_attempts: Some(5),
    };
    waiter
        .wait(params! {"Bucket": bucket, "Key": "notes.txt"}, config)
        .await?;
    println!("waiter: notes.txt exists");

    // 4. Stream an object's body.
    let out = s3
        .call_stream(
            "GetObject",
            params! {"Bucket": bucket, "Key": "images/photo-007.jpg"},
            None,
        )
        .await?;
    let body = out
        .body
        .expect("GetObject streams its body")
        .collect()
        .await?;
    println!(
        "GetObject: {:?} ({} bytes, ETag {})",
        String::from_utf8_lossy(&body),
        body.len(),
        out.value.get("ETag")
    );

    // 5. Errors you can match on, like boto3's client.exceptions.NoSuchKey.
    match s3
        .call(
            "GetObject",
            params! {"Bucket": bucket, "Key": "missing.txt"},
        )
        .await
    {
        Err(e) if e.is_code("NoSuchKey") => println!("missing.txt: NoSuchKey, as expected ({e})"),
        other => println!("unexpected: {other:?}"),
    }

    // Clean up: delete everything in one call, then the bucket.
    let all = s3
        .paginate("ListObjectsV2", params! {"Bucket": bucket})?
        .build_full_result()
        .await?;
    let objects: Vec<Value> = all
        .get("Contents")
        .as_list()
        .unwrap_or_default()
        .iter()
        .map(|o| params! {"Key": (o.get("Key").clone())})
        .collect();
    let deleted = s3
        .call(
            "DeleteObjects",
            params! {"Bucket": bucket, "Delete": {"Objects": objects}},
        )
        .await?;
    println!(
        "deleted {} objects",
        deleted.get("Deleted").as_list().map_or(0, |l| l.len())
    );
    s3.call("DeleteBucket", params! {"Bucket": bucket}).await?;
    Ok(())
}
