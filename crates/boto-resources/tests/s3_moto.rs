//! S3 resources against moto server (BOTO_TEST_ENDPOINT): loads, a
//! collection over several pages with filter/limit/page_size, batch delete,
//! waiters, sub-resources, `meta().client()`, the injected
//! upload/download/copy (streamed through the real client) and the blocking
//! twin. Skips with a notice when the endpoint is not set.

mod support;

use boto::{params, Value};
use boto_resources::ResourceExt as _;
use support::*;

macro_rules! moto_or_skip {
    () => {
        match endpoint() {
            Some(e) => e,
            None => {
                eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
                return Ok(());
            }
        }
    };
}

#[tokio::test]
async fn bucket_objects_collection_waiter_batch_delete() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = session().resource_with("s3", &options(&ep))?;
    let name = unique("res-moto");
    let bucket = s3
        .action("create_bucket", params! {"Bucket": (name.as_str())})
        .await?
        .into_resource()
        .expect("bucket");
    assert_eq!(format!("{bucket:?}"), format!("s3.Bucket(name='{name}')"));
    bucket.wait_until("exists", Value::Null).await?;
    for i in 0..25 {
        let o = bucket.subresource("Object", [format!("images/{i:03}.jpg")])?;
        o.action("put", params! {"Body": (Value::blob(vec![7u8; i]))})
            .await?;
    }
    bucket
        .subresource("Object", ["notes.txt"])?
        .action("put", params! {"Body": (Value::blob(b"hi".to_vec()))})
        .await?;

    // Object: waiter, then attributes loaded through HeadObject.
    let obj = bucket.subresource("Object", ["images/010.jpg"])?;
    obj.wait_until("exists", Value::Null).await?;
    assert_eq!(obj.attr("content_length").await?, Value::Integer(10));
    assert!(obj.data().is_some());
    // Bucket: boto3's injected load (ListBuckets).
    assert!(!bucket.attr("creation_date").await?.is_null());

    // Collection over several pages.
    let images = bucket
        .collection("objects")?
        .filter(params! {"Prefix": "images/"});
    let all = images.page_size(7).to_vec().await?;
    assert_eq!(all.len(), 25);
    assert_eq!(all[3].id_str("key"), Some("images/003.jpg"));
    assert_eq!(all[3].attr("size").await?, Value::Integer(3));
    let mut pages = images.page_size(10).pages();
    let mut sizes = Vec::new();
    while let Some(p) = pages.next().await {
        sizes.push(p?.len());
    }
    assert_eq!(sizes, vec![10, 10, 5]);
    let limited = images.page_size(4).limit(9).to_vec().await?;
    assert_eq!(limited.len(), 9);

    // meta().client() is the real client.
    let client = obj.meta().client().expect("built from a session");
    let listed = client
        .call(
            "ListObjectsV2",
            params! {"Bucket": (name.as_str()), "Prefix": "notes"},
        )
        .await?;
    assert_eq!(listed.get("KeyCount"), &Value::Integer(1));

    // Batch delete: one DeleteObjects per page; an empty collection makes no call.
    let out = images
        .page_size(10)
        .batch_action("delete", Value::Null)
        .await?;
    assert_eq!(out.len(), 3);
    assert!(images.to_vec().await?.is_empty());
    assert!(images.batch_action("delete", Value::Null).await?.is_empty());
    obj.wait_until("not_exists", Value::Null).await?;
    let e = obj.reload().await.unwrap_err();
    assert_eq!(e.status(), Some(404));

    bucket
        .collection("objects")?
        .batch_action("delete", Value::Null)
        .await?;
    bucket.action("delete", Value::Null).await?;
    Ok(())
}

#[tokio::test]
async fn upload_download_copy_through_the_client() -> TestResult {
    let ep = moto_or_skip!();
    let s3 = session().resource_with("s3", &options(&ep))?;
    let name = unique("res-xfer");
    s3.action("create_bucket", params! {"Bucket": (name.as_str())})
        .await?;
    let dir = std::env::temp_dir().join(unique("boto-res-xfer"));
    std::fs::create_dir_all(&dir)?;
    let src = dir.join("src.bin");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&src, &data)?;
    let bucket = s3.resource("Bucket", [name.as_str()])?;
    bucket
        .action(
            "upload_file",
            params! {"Filename": (src.to_str().unwrap()), "Key": "a.bin", "ExtraArgs": {"ContentType": "application/x-test"}},
        )
        .await?;
    let a = bucket.subresource("Object", ["a.bin"])?;
    assert_eq!(
        a.attr("content_type").await?,
        Value::from("application/x-test")
    );
    let b = bucket.subresource("Object", ["b.bin"])?;
    boto_resources::customizations::s3::copy(
        &b,
        params! {"Bucket": (name.as_str()), "Key": "a.bin"},
        None,
        None,
    )
    .await?;
    let dst = dir.join("dst.bin");
    b.action(
        "download_file",
        params! {"Filename": (dst.to_str().unwrap())},
    )
    .await?;
    assert_eq!(std::fs::read(&dst)?, data);
    assert_eq!(
        std::fs::read_dir(&dir)?.count(),
        2,
        "no temporary file left behind"
    );
    bucket
        .collection("objects")?
        .batch_action("delete", Value::Null)
        .await?;
    bucket.action("delete", Value::Null).await?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[test]
fn blocking_twin() -> TestResult {
    let ep = moto_or_skip!();
    let client = session().client_with("s3", &options(&ep))?;
    let s3 = boto_resources::blocking::Resource::new(boto_resources::from_client(client)?);
    let name = unique("res-blocking");
    s3.action("create_bucket", params! {"Bucket": (name.as_str())})?;
    let bucket = s3.resource("Bucket", [name.as_str()])?;
    for i in 0..5 {
        bucket
            .subresource("Object", [format!("k{i}")])?
            .action("put", params! {"Body": (Value::blob(b"v".to_vec()))})?;
    }
    let objects = bucket.collection("objects")?;
    let keys: Vec<String> = objects
        .page_size(2)
        .items()
        .map(|r| r.map(|o| o.id_str("key").unwrap_or_default().to_string()))
        .collect::<Result<_, _>>()?;
    assert_eq!(keys, vec!["k0", "k1", "k2", "k3", "k4"]);
    assert_eq!(objects.page_size(2).pages().count(), 3);
    let o = bucket.subresource("Object", ["k1"])?;
    o.wait_until("exists", Value::Null)?;
    assert_eq!(o.attr("content_length")?, Value::Integer(1));
    assert_eq!(objects.batch_action("delete", Value::Null)?.len(), 1);
    bucket.action("delete", Value::Null)?;
    Ok(())
}

/// `#[tokio::test]` is a current-thread runtime: blocking it would deadlock,
/// so the call is refused (on a multi-thread runtime it runs, through
/// `block_in_place`, as `boto::blocking::block_on` documents).
#[tokio::test]
async fn blocking_inside_a_current_thread_runtime_is_an_error_not_a_deadlock() -> TestResult {
    let (_f, s3) = fake_resource("s3");
    let b = boto_resources::blocking::Resource::new(s3.resource("Object", ["b", "k"])?);
    let e = b.load().unwrap_err();
    assert!(
        e.message()
            .contains("a blocking boto call inside a current-thread Tokio runtime"),
        "{e}"
    );
    Ok(())
}
