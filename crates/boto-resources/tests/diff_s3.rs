//! Differential test against boto3: the S3 scenario of `diff_s3.py`, step by
//! step with boto-rs resources, on the same moto server. Each step's calls
//! `(operation, params)` (recorded where the resource layer hands them to the
//! client — boto3's `provide-client-params`) and its result must be equal.
//! Prints `resources-diff-s3: N passed, M failed` (one per step).
//!
//! Needs BOTO_TEST_ENDPOINT (moto) and BOTO_TEST_PYTHON (the venv with
//! boto3 1.43.67); skips with a notice otherwise.

mod support;

use boto::{params, Value};
use serde_json::{json, Value as Json};
use std::sync::Arc;
use support::diff::{compare, reprs, Normalizer, Run};
use support::*;

async fn scenario(rec: Arc<Recorder>, bucket_name: &str) -> Result<Vec<Json>, boto::Error> {
    let s3 = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run {
        rec,
        steps: Vec::new(),
    };
    let bucket = s3.resource("Bucket", [bucket_name])?;
    let obj = bucket.subresource("Object", ["data/03"])?;
    let objects = bucket.collection("objects")?;

    run.step("create_bucket", async {
        let out = s3
            .action("create_bucket", params! {"Bucket": bucket_name})
            .await?;
        Ok(format!("{:?}", out.into_resource().expect("a bucket")).into())
    })
    .await;
    run.step("put_objects", async {
        let mut out = Vec::new();
        for i in 0..12usize {
            let key = format!("data/{i:02}");
            let body = Value::blob(vec![b'x'; i]);
            let r = bucket
                .action("put_object", params! {"Key": key, "Body": body})
                .await?;
            out.push(r.into_resource().expect("an object"));
        }
        let z = bucket
            .action(
                "put_object",
                params! {"Key": "other/z", "Body": (Value::blob(b"z".to_vec()))},
            )
            .await?;
        out.push(z.into_resource().expect("an object"));
        Ok(reprs(&out))
    })
    .await;
    run.step("wait_until_exists", async {
        obj.wait_until("exists", Value::Null)
            .await
            .map(|_| Json::Null)
    })
    .await;
    run.step("attribute_loads", async {
        Ok(json!([
            obj.attr("content_length").await?.to_json(),
            obj.attr("content_type").await?.to_json()
        ]))
    })
    .await;
    run.step("reload", async {
        obj.reload().await?;
        Ok(obj.attr("content_length").await?.to_json())
    })
    .await;
    run.step("subresource_acl", async {
        let acl = obj.subresource("Acl", ())?;
        let owner = obj.subresource("Acl", ())?.attr("owner").await?;
        Ok(json!([format!("{acl:?}"), !owner.is_null()]))
    })
    .await;
    run.step("collection_filter_page_size", async {
        let v = objects
            .filter(params! {"Prefix": "data/"})
            .page_size(5)
            .to_vec()
            .await?;
        Ok(reprs(&v))
    })
    .await;
    run.step("collection_limit", async {
        let mut items = objects
            .filter(params! {"Prefix": "data/"})
            .page_size(3)
            .limit(7)
            .items();
        let mut keys = Vec::new();
        while let Some(o) = items.next().await {
            keys.push(Json::from(o?.id_str("key").unwrap_or_default()));
        }
        Ok(Json::Array(keys))
    })
    .await;
    run.step("collection_pages", async {
        let mut pages = objects.page_size(4).pages();
        let mut sizes = Vec::new();
        while let Some(p) = pages.next().await {
            sizes.push(Json::from(p?.len()));
        }
        Ok(Json::Array(sizes))
    })
    .await;
    run.step("summary_attributes", async {
        let mut out = Vec::new();
        for o in objects
            .filter(params! {"Prefix": "data/1"})
            .to_vec()
            .await?
        {
            out.push(json!([o.id_str("key"), o.attr("size").await?.to_json()]));
        }
        Ok(Json::Array(out))
    })
    .await;
    run.step("summary_to_object", async {
        let mut out = Vec::new();
        for o in objects
            .filter(params! {"Prefix": "other/"})
            .to_vec()
            .await?
        {
            out.push(o.subresource("Object", ())?);
        }
        Ok(reprs(&out))
    })
    .await;
    run.step("multipart_resource", async {
        let mpu = obj
            .action("initiate_multipart_upload", Value::Null)
            .await?
            .into_resource()
            .expect("an upload");
        let ident = json!([
            format!("{:?}", mpu.subresource("Object", ())?),
            mpu.id_str("object_key")
        ]);
        mpu.action("abort", Value::Null).await?;
        Ok(ident)
    })
    .await;
    run.step("buckets_collection", async {
        let all = s3.collection("buckets")?.to_vec().await?;
        Ok(all
            .iter()
            .any(|b| b.id_str("name") == Some(bucket_name))
            .into())
    })
    .await;
    run.step("bucket_load", async {
        Ok((!bucket.attr("creation_date").await?.is_null()).into())
    })
    .await;
    run.step("batch_delete_prefix", async {
        let out = objects
            .filter(params! {"Prefix": "data/0"})
            .batch_action("delete", Value::Null)
            .await?;
        Ok(out.len().into())
    })
    .await;
    run.step("batch_delete_pages", async {
        Ok(objects
            .page_size(2)
            .batch_action("delete", Value::Null)
            .await?
            .len()
            .into())
    })
    .await;
    run.step("batch_delete_empty", async {
        let out = objects.all().batch_action("delete", Value::Null).await?;
        Ok(Json::Array(out.into_iter().map(|_| Json::Null).collect()))
    })
    .await;
    run.step("wait_until_not_exists", async {
        obj.wait_until("not_exists", Value::Null)
            .await
            .map(|_| Json::Null)
    })
    .await;
    run.step("meta_client", async {
        let out = s3
            .meta()
            .invoker()
            .invoke("ListBuckets", params! {})
            .await?;
        let names = out.get("Buckets").as_list().unwrap_or_default().to_vec();
        Ok(names
            .iter()
            .any(|b| b.get("Name").as_str() == Some(bucket_name))
            .into())
    })
    .await;
    run.step("bucket_delete", async {
        bucket
            .action("delete", Value::Null)
            .await
            .map(|_| Json::Bool(true))
    })
    .await;
    Ok(run.steps)
}

fn main() {
    let (Some(endpoint), Ok(_)) = (endpoint(), std::env::var("BOTO_TEST_PYTHON")) else {
        println!(
            "skipped: BOTO_TEST_ENDPOINT and BOTO_TEST_PYTHON not set (scripts/test.sh sets them)"
        );
        return;
    };
    let rs_bucket = unique("res-diff-rs");
    let py_bucket = unique("res-diff-py");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = session()
        .client_with("s3", &options(&endpoint))
        .expect("client");
    let rust = rt
        .block_on(scenario(Recorder::new(client), &rs_bucket))
        .expect("scenario");
    let (_, failed) = compare(
        "s3",
        &rust,
        "diff_s3.py",
        &[&endpoint, &py_bucket],
        Normalizer::new(&[(&rs_bucket, "BUCKET")], &["UploadId"]),
        Normalizer::new(&[(&py_bucket, "BUCKET")], &["UploadId"]),
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
