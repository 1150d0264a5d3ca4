//! `boto s3 mb`, `rb` (`--force` empties the bucket first) and `presign`.
//!
//! Replaces aws-cli's `MbCommand`, `RbCommand` and `PresignCommand`
//! (`customizations/s3/subcommands.py`) with their output lines
//! (`make_bucket: b`, `remove_bucket: b`) and failure messages.

use super::args::S3Args;
use super::config::TransferSettings;
use super::path::split_s3;
use super::Ctx;
use crate::driver::print;
use crate::error::CliError;
use crate::exec::map_error;
use boto::{params, Value};

fn require_s3(cmd: &str, path: &str) -> Result<(), CliError> {
    if path.starts_with("s3://") {
        Ok(())
    } else {
        Err(CliError::param(format!(
            "usage: boto s3 {cmd} <S3Uri>\nError: Invalid argument type"
        )))
    }
}

pub async fn mb(ctx: &Ctx, a: &S3Args) -> Result<i32, CliError> {
    let path = &a.paths[0];
    require_s3("mb", path)?;
    let (bucket, _) = split_s3(path);
    let mut p = params! {"Bucket": (bucket.as_str())};
    let region = ctx.client.config().region.clone().unwrap_or_default();
    if !region.is_empty() && region != "us-east-1" {
        if let Some(m) = p.as_map_mut() {
            m.insert(
                "CreateBucketConfiguration",
                params! {"LocationConstraint": (region.as_str())},
            );
        }
    }
    match ctx.client.call("CreateBucket", p).await {
        Ok(_) => {
            print(&format!("make_bucket: {bucket}\n"));
            Ok(0)
        }
        Err(e) => {
            eprintln!("make_bucket failed: {path} {e}");
            Ok(1)
        }
    }
}

pub async fn rb(ctx: &Ctx, a: &S3Args, settings: &TransferSettings) -> Result<i32, CliError> {
    let path = &a.paths[0];
    require_s3("rb", path)?;
    let (bucket, key) = split_s3(path);
    if !key.is_empty() {
        return Err(CliError::other(format!(
            "Please specify a valid bucket name only. E.g. s3://{bucket}"
        )));
    }
    if a.force {
        let rm = S3Args {
            paths: vec![path.clone()],
            recursive: true,
            follow_symlinks: true,
            ..Default::default()
        };
        let rc = super::transfer::run(ctx, "rm", rm, settings).await?;
        if rc != 0 {
            return Err(CliError::other(
                "remove_bucket failed: Unable to delete all objects in the bucket, bucket will not be deleted.",
            ));
        }
    }
    match ctx
        .client
        .call("DeleteBucket", params! {"Bucket": (bucket.as_str())})
        .await
    {
        Ok(_) => {
            print(&format!("remove_bucket: {bucket}\n"));
            Ok(0)
        }
        Err(e) => {
            eprintln!("remove_bucket failed: {path} {e}");
            Ok(1)
        }
    }
}

pub async fn presign(ctx: &Ctx, a: &S3Args) -> Result<i32, CliError> {
    let path = &a.paths[0];
    let (bucket, key) = split_s3(path);
    let expires = a.expires_in.unwrap_or(3600);
    // SigV4 presigned URLs are valid for at most 7 days (botocore raises the same limit).
    if expires > 604_800 {
        return Err(CliError::param(format!(
            "Invalid value for --expires-in: {expires}. Presigned URLs expire after at most 604800 seconds (7 days)."
        )));
    }
    let url = ctx
        .client
        .presign_url(
            "GetObject",
            params! {"Bucket": (bucket.as_str()), "Key": (Value::String(key.into()))},
            std::time::Duration::from_secs(expires),
        )
        .await
        .map_err(|e| map_error(&e))?;
    print(&format!("{url}\n"));
    let _ = &ctx.session;
    Ok(0)
}
