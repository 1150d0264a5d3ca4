//! boto3's resource walkthrough, in Rust: a prefix listing through a
//! collection, a waiter on an object, batch delete through a collection and
//! the low-level client behind a resource.
//!
//! Run against any S3-compatible endpoint, e.g. the moto server `scripts/demo.sh` starts:
//! `BOTO_TEST_ENDPOINT=http://127.0.0.1:PORT cargo run -p boto-resources --example resources_walkthrough`
//! (or pass the endpoint URL as the first argument; without either it talks
//! to real AWS with your default profile).

use boto::{params, ClientOptions, Session, Value};
use boto_resources::ResourceExt as _;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), boto::Error> {
    let endpoint = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("BOTO_TEST_ENDPOINT").ok())
        .filter(|s| !s.is_empty());
    let mut session = Session::builder().region("us-east-1");
    if endpoint.is_some() {
        session = session.credentials("testing", "testing", None);
    }
    let s3 = session.build()?.resource_with(
        "s3",
        &ClientOptions {
            endpoint_url: endpoint,
            ..Default::default()
        },
    )?;
    println!("{s3:?}");

    let bucket = s3
        .action("create_bucket", params! {"Bucket": "boto-rs-resources"})
        .await?
        .into_resource()
        .expect("CreateBucket gives a Bucket");
    for i in 0..12 {
        let photo = bucket.subresource("Object", [format!("images/photo-{i:03}.jpg")])?;
        let body = Value::blob(format!("pixels of photo {i}").into_bytes());
        photo.action("put", params! {"Body": body}).await?;
    }

    // 1. A prefix listing through a collection — boto3's
    //    for obj in bucket.objects.filter(Prefix="images/").limit(5): ...
    for obj in bucket
        .collection("objects")?
        .filter(params! {"Prefix": "images/"})
        .limit(5)
        .to_vec()
        .await?
    {
        println!("{obj:?} size={}", obj.attr("size").await?);
    }

    // 2. A waiter on an object resource — obj.wait_until_exists(), then attributes.
    let notes = bucket.subresource("Object", ["notes.txt"])?;
    notes
        .action(
            "put",
            params! {"Body": (Value::blob(b"remember the milk".to_vec()))},
        )
        .await?;
    notes.wait_until("exists", Value::Null).await?;
    println!(
        "{notes:?} exists: {} bytes, {}",
        notes.attr("content_length").await?,
        notes.attr("content_type").await?
    );

    // 3. Batch delete through a collection — bucket.objects.filter(...).delete():
    //    one DeleteObjects per page of up to 1,000 keys.
    let images = bucket
        .collection("objects")?
        .filter(params! {"Prefix": "images/"});
    let responses = images.batch_action("delete", Value::Null).await?;
    println!(
        "deleted the images in {} DeleteObjects call(s)",
        responses.len()
    );
    println!("images left: {}", images.to_vec().await?.len());

    // 4. The low-level client behind any resource — obj.meta.client.
    let client = notes.meta().client().expect("built from a session");
    let out = client
        .call("ListObjectsV2", params! {"Bucket": "boto-rs-resources"})
        .await?;
    println!("meta().client() lists {} object(s)", out.get("KeyCount"));

    bucket
        .collection("objects")?
        .batch_action("delete", Value::Null)
        .await?;
    bucket.action("delete", Value::Null).await?;
    println!("bucket deleted");
    Ok(())
}
