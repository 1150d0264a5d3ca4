//! The Glacier part of `diff_more.rs`: the scenario of `diff_glacier.py`
//! (Account, Vault, Archive, Job; MultipartUpload and Notification against
//! moto's 404s).

use crate::support::diff::*;
use crate::support::Recorder;
use boto::{params, Value};
use boto_resources::Resource;
use serde_json::{json, Value as Json};
use std::sync::Arc;

/// `[account_id, vault_name, len(id)]` (ids are random).
fn ids(r: &Resource) -> Json {
    json!([
        r.id_str("account_id"),
        r.id_str("vault_name"),
        r.id_str("id").map_or(0, str::len)
    ])
}

fn mine(vaults: &[Resource], p: &str) -> Json {
    let v: Vec<Resource> = vaults
        .iter()
        .filter(|v| v.id_str("name").is_some_and(|n| n.starts_with(p)))
        .cloned()
        .collect();
    reprs(&v)
}

async fn count(r: &Resource, c: &str) -> Result<usize, boto::Error> {
    Ok(r.collection(c)?.all().to_vec().await?.len())
}

pub async fn scenario(rec: Arc<Recorder>, p: &str) -> Result<Vec<Json>, boto::Error> {
    let gl = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run::new(rec);
    let account = gl.resource("Account", ["-"])?;
    let (mut v, mut v2, mut a, mut j, mut j2) = (None, None, None, None, None);
    fn keep(slot: &mut Option<Resource>, r: Resource) -> Resource {
        *slot = Some(r.clone());
        r
    }

    run.step("create_vault", async {
        let r = one(gl
            .action("create_vault", params! {"vaultName": (format!("{p}-v"))})
            .await?)?;
        Ok(repr(&keep(&mut v, r)))
    })
    .await;
    let v = v.expect("vault");
    run.step("account_subresources", async {
        Ok(json!([
            repr(&account),
            repr(&account.subresource("Vault", [format!("{p}-v")])?),
            repr(&gl.resource("Account", ["123"])?)
        ]))
    })
    .await;
    run.step("account_create_vault", async {
        let r = one(account
            .action("create_vault", params! {"vaultName": (format!("{p}-v2"))})
            .await?)?;
        Ok(repr(&keep(&mut v2, r)))
    })
    .await;
    let v2 = v2.expect("vault 2");
    run.step("vault_create_again", async {
        let o = act(&v2, "create", Value::Null).await?;
        let mut k: Vec<String> = o
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        Ok(json!(k))
    })
    .await;
    run.step("vault_load", async {
        attrs(&v, &["vault_name", "number_of_archives"]).await
    })
    .await;
    run.step("vaults_collections", async {
        Ok(json!([
            mine(&gl.collection("vaults")?.to_vec().await?, p),
            mine(&account.collection("vaults")?.to_vec().await?, p)
        ]))
    })
    .await;
    run.step("vaults_limit", async {
        Ok(json!(gl
            .collection("vaults")?
            .limit(1)
            .to_vec()
            .await?
            .len()))
    })
    .await;
    run.step("upload_archive", async {
        let r = one(v
            .action(
                "upload_archive",
                params! {"body": (Value::blob(b"archive data".to_vec()))},
            )
            .await?)?;
        Ok(ids(&keep(&mut a, r)))
    })
    .await;
    let a = a.expect("archive");
    run.step("archive_vault_reference", async {
        Ok(json!([
            repr(&a.subresource("Vault", ())?),
            repr(&v.subresource("Archive", ["x"])?)
        ]))
    })
    .await;
    run.step("inventory_retrieval", async {
        let r = one(v
            .action("initiate_inventory_retrieval", Value::Null)
            .await?)?;
        Ok(ids(&keep(&mut j, r)))
    })
    .await;
    let j = j.expect("job");
    run.step("job_load", async {
        Ok(json!([
            attrs(&j, &["action", "vault_arn"]).await?,
            repr(&j.subresource("Vault", ())?)
        ]))
    })
    .await;
    run.step("archive_retrieval", async {
        let r = one(a.action("initiate_archive_retrieval", Value::Null).await?)?;
        Ok(ids(&keep(&mut j2, r)))
    })
    .await;
    let j2 = j2.expect("job 2");
    run.step("job2_load", async {
        Ok(j2.attr("action").await?.to_json())
    })
    .await;
    run.step("jobs_collections", async {
        let all = count(&v, "jobs").await?;
        let _ = count(&v, "succeeded_jobs").await?;
        let _ = count(&v, "jobs_in_progress").await?;
        let _ = count(&v, "completed_jobs").await?;
        let failed = count(&v, "failed_jobs").await?;
        Ok(json!([all, true, true, true, failed]))
    })
    .await;
    run.step("job_get_output", async {
        let o = act(&j2, "get_output", Value::Null).await?;
        let mut k: Vec<String> = o
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        Ok(json!(k))
    })
    .await;
    run.step("multipart_upload", async {
        act(
            &v,
            "initiate_multipart_upload",
            params! {"partSize": "1048576"},
        )
        .await
    })
    .await;
    let mpu = v.subresource("MultipartUpload", ["u1"])?;
    run.step("multipart_subresource", async {
        Ok(json!([repr(&mpu), repr(&mpu.subresource("Vault", ())?)]))
    })
    .await;
    run.step("multipart_abort", async {
        act(&mpu, "abort", Value::Null).await
    })
    .await;
    run.step("multipart_uploads_collection", async {
        coll(&v.collection("multipart_uploads")?.all()).await
    })
    .await;
    let n = v.subresource("Notification", ())?;
    run.step("notification", async {
        Ok(json!([repr(&n), repr(&n.subresource("Vault", ())?)]))
    })
    .await;
    run.step("notification_load", async {
        Ok(n.attr("sns_topic").await?.to_json())
    })
    .await;
    run.step("archive_delete", async {
        act(&a, "delete", Value::Null).await
    })
    .await;
    run.step("vault_delete", async {
        Ok(json!([
            act(&v, "delete", Value::Null).await?,
            act(&v2, "delete", Value::Null).await?
        ]))
    })
    .await;
    Ok(run.steps)
}
