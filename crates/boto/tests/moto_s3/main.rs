//! S3 (rest-xml) end to end against moto, through the public async API:
//! bulk concurrent PutObject and the ListObjectsV2 paginator (pages,
//! `max_items`/`starting_token` resume, `search`), the `object_exists`
//! waiter (success and failure), streamed GetObject, PutObject from a file
//! region, multipart upload, DeleteObjects of 1,000 keys, service errors
//! (`NoSuchKey`, `NoSuchBucket`, HeadObject's bodiless 404), CopyObject with
//! both CopySource forms, awkward key names, presigned GET/PUT URLs used
//! with a bare HTTP client, and client-side validation that sends nothing.

#[macro_use]
#[path = "../support/mod.rs"]
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

mod errors_copy_keys;
mod listing_waiter_get;
mod presign_validation_checksums;
mod uploads_deletes;
