//! The S3 half of `diff_s3_ec2_more.rs`: the scenario of
//! `diff_s3_more.py` (the bucket sub-resource classes, ObjectVersion,
//! MultipartUpload and MultipartUploadPart).

use crate::support::diff::*;
use crate::support::Recorder;
use boto::{params, Value};
use boto_resources::Resource;
use serde_json::{json, Value as Json};
use std::sync::Arc;

/// `[bucket_name, object_key, id is set]` (version and upload ids are random).
fn ids(r: &Resource) -> Json {
    json!([
        r.id_str("bucket_name"),
        r.id_str("object_key"),
        r.id_str("id").is_some_and(|s| !s.is_empty())
    ])
}

fn sorted_keys(j: &Json) -> Json {
    let mut k: Vec<String> = j
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    k.sort();
    json!(k)
}

pub async fn scenario(rec: Arc<Recorder>, b: &str) -> Result<Vec<Json>, boto::Error> {
    let s3 = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run::new(rec);
    let bucket = s3.resource("Bucket", [b])?;
    let sub = |name: &str| bucket.subresource(name, ());
    let versions = bucket.collection("object_versions")?;
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{b}/*"}}]}}"#
    );

    run.step("create_bucket", async {
        act(&bucket, "create", Value::Null).await
    })
    .await;
    run.step("wait_until_exists", async {
        bucket
            .wait_until("exists", Value::Null)
            .await
            .map(|_| Json::Null)
    })
    .await;
    run.step("versioning_enable", async {
        Ok(json!([
            repr(&sub("Versioning")?),
            act(&sub("Versioning")?, "enable", Value::Null).await?
        ]))
    })
    .await;
    run.step("versioning_load", async {
        let v = sub("Versioning")?;
        Ok(json!([
            attrs(&v, &["status", "mfa_delete"]).await?,
            repr(&v.subresource("Bucket", ())?)
        ]))
    })
    .await;
    run.step("put_versions", async {
        let mut v = Vec::new();
        for i in 0..5usize {
            let p = params! {"Key": (format!("v/k{}", i % 2)), "Body": (Value::blob(vec![b'v'; i + 1]))};
            v.push(act(&bucket, "put_object", p).await?);
        }
        Ok(Json::Array(v))
    })
    .await;
    run.step("object_versions_pages", async {
        let mut rows = Vec::new();
        for v in versions
            .filter(params! {"Prefix": "v/"})
            .page_size(2)
            .to_vec()
            .await?
        {
            let mut row = ids(&v);
            let a = attrs(&v, &["size", "is_latest"]).await?;
            row.as_array_mut()
                .expect("row")
                .extend(a.as_array().cloned().unwrap_or_default());
            rows.push(row);
        }
        Ok(Json::Array(rows))
    })
    .await;
    run.step("object_versions_limit", async {
        Ok(json!(versions
            .filter(params! {"Prefix": "v/"})
            .page_size(2)
            .limit(3)
            .to_vec()
            .await?
            .len()))
    })
    .await;
    let first_k1 = || async {
        let all = versions.filter(params! {"Prefix": "v/k1"}).to_vec().await?;
        all.into_iter()
            .next()
            .ok_or_else(|| boto::Error::validation("no version"))
    };
    run.step("object_version_head", async {
        let v = first_k1().await?;
        Ok(json!(
            [act(&v, "head", Value::Null).await?["ContentLength"]]
        ))
    })
    .await;
    run.step("object_version_get", async {
        let v = first_k1().await?;
        Ok(json!([act(&v, "get", Value::Null).await?["ContentLength"]]))
    })
    .await;
    run.step("object_version_object", async {
        let v = first_k1().await?;
        Ok(json!([repr(&v.subresource("Object", ())?)]))
    })
    .await;
    run.step("object_version_delete", async {
        let v = first_k1().await?;
        Ok(json!([sorted_keys(&act(&v, "delete", Value::Null).await?)]))
    })
    .await;
    run.step("object_versions_batch_delete", async {
        Ok(json!(versions
            .filter(params! {"Prefix": "v/"})
            .batch_action("delete", Value::Null)
            .await?
            .len()))
    })
    .await;
    run.step("versioning_suspend", async {
        let v = sub("Versioning")?;
        let o = act(&v, "suspend", Value::Null).await?;
        Ok(json!([o, v.attr("status").await?.to_json()]))
    })
    .await;
    run.step("policy_put", async {
        act(
            &sub("Policy")?,
            "put",
            params! {"Policy": (policy.as_str())},
        )
        .await
    })
    .await;
    run.step("policy_load", async {
        let p = sub("Policy")?;
        let text = p.attr("policy").await?;
        let doc: Json = serde_json::from_str(text.as_str().unwrap_or("null")).unwrap_or(Json::Null);
        Ok(json!([doc, repr(&p.subresource("Bucket", ())?)]))
    })
    .await;
    run.step("policy_delete", async {
        act(&sub("Policy")?, "delete", Value::Null).await
    })
    .await;
    run.step("cors", async {
        let c = sub("Cors")?;
        Ok(json!([
            act(&c, "put", params! {"CORSConfiguration": {"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]}}).await?,
            sub("Cors")?.attr("cors_rules").await?.to_json(),
            act(&c, "delete", Value::Null).await?
        ]))
    })
    .await;
    run.step("tagging", async {
        let t = sub("Tagging")?;
        Ok(json!([
            act(
                &t,
                "put",
                params! {"Tagging": {"TagSet": [{"Key": "k", "Value": "v"}]}}
            )
            .await?,
            sub("Tagging")?.attr("tag_set").await?.to_json(),
            act(&t, "delete", Value::Null).await?
        ]))
    })
    .await;
    run.step("website", async {
        let w = sub("Website")?;
        Ok(json!([
            act(
                &w,
                "put",
                params! {"WebsiteConfiguration": {"IndexDocument": {"Suffix": "index.html"}}}
            )
            .await?,
            sub("Website")?.attr("index_document").await?.to_json(),
            act(&w, "delete", Value::Null).await?
        ]))
    })
    .await;
    let rules = boto::value!([{"ID": "r", "Status": "Enabled", "Filter": {"Prefix": "x/"}, "Expiration": {"Days": 3}}]);
    run.step("lifecycle_configuration", async {
        let l = sub("LifecycleConfiguration")?;
        Ok(json!([
            act(
                &l,
                "put",
                params! {"LifecycleConfiguration": {"Rules": (rules.clone())}}
            )
            .await?,
            sub("LifecycleConfiguration")?
                .attr("rules")
                .await?
                .to_json(),
            repr(&l.subresource("Bucket", ())?)
        ]))
    })
    .await;
    run.step("lifecycle_legacy", async {
        let l = sub("Lifecycle")?;
        Ok(json!([
            repr(&l),
            l.attr("rules").await?.to_json(),
            act(&l, "delete", Value::Null).await?
        ]))
    })
    .await;
    run.step("lifecycle_configuration_delete", async {
        act(&sub("LifecycleConfiguration")?, "delete", Value::Null).await
    })
    .await;
    run.step("acl", async {
        let owner = !sub("Acl")?.attr("owner").await?.is_null();
        let grants = sub("Acl")?
            .attr("grants")
            .await?
            .as_list()
            .map_or(0, <[Value]>::len);
        Ok(json!([
            owner,
            grants,
            act(&sub("Acl")?, "put", params! {"ACL": "private"}).await?
        ]))
    })
    .await;
    run.step("logging", async {
        let l = sub("Logging")?;
        Ok(json!([
            l.attr("logging_enabled").await?.to_json(),
            act(&l, "put", params! {"BucketLoggingStatus": {}}).await?
        ]))
    })
    .await;
    run.step("notification", async {
        let n = sub("Notification")?;
        Ok(json!([
            n.attr("topic_configurations").await?.to_json(),
            act(&n, "put", params! {"NotificationConfiguration": {}}).await?
        ]))
    })
    .await;
    run.step("request_payment", async {
        let r = sub("RequestPayment")?;
        Ok(json!([
            r.attr("payer").await?.to_json(),
            act(
                &r,
                "put",
                params! {"RequestPaymentConfiguration": {"Payer": "BucketOwner"}}
            )
            .await?
        ]))
    })
    .await;
    let mut slot = None;
    run.step("multipart_initiate", async {
        let obj = bucket.subresource("Object", ["mp/big"])?;
        let m = one(obj.action("initiate_multipart_upload", Value::Null).await?)?;
        let j = ids(&m);
        slot = Some(m);
        Ok(j)
    })
    .await;
    let mpu = slot.take().expect("upload");
    let part = mpu.subresource("Part", [1])?;
    run.step("multipart_part", async {
        Ok(json!([
            repr(&part.subresource("MultipartUpload", ())?) == repr(&mpu),
            part.identifier("part_number").map(Value::to_json)
        ]))
    })
    .await;
    run.step("part_upload", async {
        Ok(act(
            &part,
            "upload",
            params! {"Body": (Value::blob(vec![b'p'; 1024]))},
        )
        .await?["ETag"]
            .clone())
    })
    .await;
    run.step("parts_collection", async {
        let mut rows = Vec::new();
        for p in mpu.collection("parts")?.to_vec().await? {
            let a = attrs(&p, &["size", "e_tag"]).await?;
            rows.push(json!([
                p.identifier("part_number").map(Value::to_json),
                a[0],
                a[1]
            ]));
        }
        Ok(Json::Array(rows))
    })
    .await;
    run.step("multipart_uploads_collection", async {
        let all = bucket.collection("multipart_uploads")?.to_vec().await?;
        Ok(Json::Array(all.iter().map(ids).collect()))
    })
    .await;
    run.step("multipart_complete", async {
        let etag = act(
            &part,
            "upload",
            params! {"Body": (Value::blob(vec![b'q'; 10]))},
        )
        .await?["ETag"]
            .clone();
        let parts = Value::from_json(&json!([{"ETag": etag, "PartNumber": 1}]));
        act(
            &mpu,
            "complete",
            params! {"MultipartUpload": {"Parts": parts}},
        )
        .await
    })
    .await;
    let copy = bucket.subresource("Object", ["mp/copy"])?;
    run.step("object_copy_from", async {
        let o = act(
            &copy,
            "copy_from",
            params! {"CopySource": {"Bucket": b, "Key": "mp/big"}},
        )
        .await?;
        Ok(o["CopyObjectResult"]["ETag"].clone())
    })
    .await;
    run.step("object_get", async {
        let got = act(&copy, "get", Value::Null).await?["ContentLength"].clone();
        Ok(json!([got, copy.attr("content_length").await?.to_json()]))
    })
    .await;
    run.step("object_restore", async {
        act(
            &copy,
            "restore_object",
            params! {"RestoreRequest": {"Days": 1}},
        )
        .await
    })
    .await;
    run.step("object_version_subresource", async {
        Ok(repr(&copy.subresource("Version", ["null"])?))
    })
    .await;
    run.step("cleanup", async {
        Ok(json!(versions
            .all()
            .batch_action("delete", Value::Null)
            .await?
            .len()))
    })
    .await;
    run.step("bucket_delete", async {
        act(&bucket, "delete", Value::Null).await
    })
    .await;
    run.step("wait_until_not_exists", async {
        bucket
            .wait_until("not_exists", Value::Null)
            .await
            .map(|_| Json::Null)
    })
    .await;
    Ok(run.steps)
}
