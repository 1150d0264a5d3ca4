//! S3: boto3's `s3/inject.py` for resources.
//!
//! * `Bucket.load` — there is no HeadBucket data, so boto3 lists the buckets
//!   and keeps this one's entry (`{}` when absent or on AccessDenied);
//! * `ObjectSummary.load` — HeadObject, `ContentLength` renamed `Size`;
//! * `upload_file` / `download_file` / `copy` on `Bucket` and `Object`:
//!   boto3's `inject.py` hands these to s3transfer; here they go to
//!   [`boto_transfer::TransferManager`] with its defaults (multipart above
//!   8 MiB, ranged parallel downloads into a temporary file renamed into
//!   place, multipart copy, ExtraArgs checked against s3transfer's allowed
//!   lists). The value returned is the final S3 response (PutObject,
//!   CompleteMultipartUpload, CopyObject, or the object's GetObject
//!   metadata); boto3 returns `None`. With a resource built on a test double
//!   (no `boto::Client`), single requests go through the invoker in memory.

use super::required_str;
use crate::params::user_params;
use crate::response::ActionOutput;
use crate::Resource;
use boto::{Error, Map, Value};
use boto_transfer::{
    CopySource, ExtraArgs, TransferControl, TransferError, TransferManager, TransferOutput,
};
use std::path::{Path, PathBuf};

/// A transfer failure as the resource layer's one error type: S3 errors
/// unchanged, the rest with the action's name in front.
fn transfer_error(what: &str, e: TransferError) -> Error {
    match e {
        TransferError::Sdk(e) => e,
        TransferError::Integrity(m) => Error::response(format!("{what}: {m}")),
        other => Error::validation(format!("{what}: {other}")).with_source(other),
    }
}

fn extra_args(what: &str, extra: Option<Value>) -> Result<ExtraArgs, Error> {
    match extra {
        None | Some(Value::Null) => Ok(ExtraArgs::new()),
        Some(v) => ExtraArgs::from_value(v).map_err(|e| transfer_error(what, e)),
    }
}

fn str_of<'a>(what: &str, v: &'a Value, name: &str) -> Result<&'a str, Error> {
    v.as_str()
        .ok_or_else(|| Error::validation(format!("{what}: {name} must be a string")))
}

/// What every transfer-backed action needs: a manager on the resource's
/// client (boto3 makes one per call too), the checked ExtraArgs, and the
/// bucket and key as strings.
struct Transfer<'a> {
    tm: TransferManager,
    args: ExtraArgs,
    bucket: &'a str,
    key: &'a str,
}

fn transfer<'a>(
    what: &str,
    client: &boto::Client,
    p: &mut Map,
    bucket: &'a Value,
    key: &'a Value,
) -> Result<Transfer<'a>, Error> {
    Ok(Transfer {
        tm: TransferManager::new(client.clone()),
        args: extra_args(what, p.shift_remove("ExtraArgs"))?,
        bucket: str_of(what, bucket, "Bucket")?,
        key: str_of(what, key, "Key")?,
    })
}

/// The final S3 response of a finished transfer as the action's output.
fn finish(what: &str, out: Result<TransferOutput, TransferError>) -> Result<ActionOutput, Error> {
    out.map(|o| ActionOutput::Data(o.response))
        .map_err(|e| transfer_error(what, e))
}

pub(crate) async fn bucket_load(r: &Resource) -> Result<Value, Error> {
    let name = r.identifier("Name").cloned().unwrap_or_default();
    match r.ctx().call("ListBuckets", Value::Map(Map::new())).await {
        Ok(out) => Ok(out
            .get("Buckets")
            .as_list()
            .unwrap_or_default()
            .iter()
            .find(|b| *b.get("Name") == name)
            .cloned()
            .unwrap_or(Value::Map(Map::new()))),
        Err(e) if e.code() == Some("AccessDenied") => Ok(Value::Map(Map::new())),
        Err(e) => Err(e),
    }
}

pub(crate) async fn object_summary_load(r: &Resource) -> Result<Value, Error> {
    let mut p = Map::new();
    p.insert(
        "Bucket",
        r.identifier("BucketName").cloned().unwrap_or_default(),
    );
    p.insert("Key", r.identifier("Key").cloned().unwrap_or_default());
    let mut out = r.ctx().call("HeadObject", Value::Map(p)).await?;
    if let Some(m) = out.as_map_mut() {
        if let Some(len) = m.shift_remove("ContentLength") {
            m.insert("Size", len);
        }
    }
    Ok(out)
}

/// Bucket and key of a `Bucket` (key from the parameters) or an `Object`.
fn target(r: &Resource, p: &mut Map, what: &str) -> Result<(Value, Value), Error> {
    if r.resource_name() == "Bucket" {
        let key = required_str(p, what, "Key")?;
        p.shift_remove("Key");
        Ok((
            r.identifier("Name").cloned().unwrap_or_default(),
            key.into(),
        ))
    } else {
        Ok((
            r.identifier("BucketName").cloned().unwrap_or_default(),
            r.identifier("Key").cloned().unwrap_or_default(),
        ))
    }
}

fn request(bucket: Value, key: Value, extra: Option<Value>) -> Result<Map, Error> {
    let mut req = Map::new();
    req.insert("Bucket", bucket);
    req.insert("Key", key);
    match extra {
        None | Some(Value::Null) => {}
        Some(Value::Map(m)) => req.extend(m),
        Some(other) => {
            return Err(Error::validation(format!(
                "ExtraArgs must be a map, got {}",
                other.type_name()
            )))
        }
    }
    Ok(req)
}

/// Uploads a file to the object (`Object`) or to `key` in the bucket (`Bucket`).
/// `extra` is boto3's `ExtraArgs` (PutObject parameters such as `ContentType`).
pub async fn upload_file(
    r: &Resource,
    filename: impl AsRef<Path>,
    key: Option<&str>,
    extra: Option<Value>,
) -> Result<Value, Error> {
    let mut p = Map::new();
    p.insert(
        "Filename",
        filename.as_ref().to_string_lossy().into_owned().into(),
    );
    if let Some(k) = key {
        p.insert("Key", k.into());
    }
    if let Some(e) = extra {
        p.insert("ExtraArgs", e);
    }
    upload_file_action(r, Value::Map(p))
        .await
        .map(|o| o.into_data().unwrap_or_default())
}

pub(crate) async fn upload_file_action(r: &Resource, params: Value) -> Result<ActionOutput, Error> {
    let what = format!("{}.upload_file", r.class_name());
    let mut p = user_params(&what, params)?;
    let filename = PathBuf::from(required_str(&p, &what, "Filename")?);
    let (bucket, key) = target(r, &mut p, &what)?;
    if let Some(client) = r.meta().client() {
        let t = transfer(&what, client, &mut p, &bucket, &key)?;
        let out =
            t.tm.upload_file(&filename, t.bucket, t.key, t.args, TransferControl::new())
                .await;
        return finish(&what, out);
    }
    let mut req = request(bucket, key, p.shift_remove("ExtraArgs"))?;
    let io = |e: std::io::Error| Error::validation(format!("{what}: {}: {e}", filename.display()));
    let bytes = tokio::fs::read(&filename).await.map_err(io)?;
    req.insert("Body", Value::Blob(bytes));
    let out = r.ctx().call("PutObject", Value::Map(req)).await?;
    Ok(ActionOutput::Data(out))
}

/// Downloads the object (`Object`) or `key` (`Bucket`) to `filename`,
/// through a temporary file in the same directory renamed into place.
pub async fn download_file(
    r: &Resource,
    filename: impl AsRef<Path>,
    key: Option<&str>,
    extra: Option<Value>,
) -> Result<Value, Error> {
    let mut p = Map::new();
    p.insert(
        "Filename",
        filename.as_ref().to_string_lossy().into_owned().into(),
    );
    if let Some(k) = key {
        p.insert("Key", k.into());
    }
    if let Some(e) = extra {
        p.insert("ExtraArgs", e);
    }
    download_file_action(r, Value::Map(p))
        .await
        .map(|o| o.into_data().unwrap_or_default())
}

pub(crate) async fn download_file_action(
    r: &Resource,
    params: Value,
) -> Result<ActionOutput, Error> {
    use tokio::io::AsyncWriteExt;
    let what = format!("{}.download_file", r.class_name());
    let mut p = user_params(&what, params)?;
    let filename = PathBuf::from(required_str(&p, &what, "Filename")?);
    let (bucket, key) = target(r, &mut p, &what)?;
    if let Some(client) = r.meta().client() {
        let t = transfer(&what, client, &mut p, &bucket, &key)?;
        let out =
            t.tm.download_file(t.bucket, t.key, &filename, t.args, TransferControl::new())
                .await;
        return finish(&what, out);
    }
    // A test double: one GetObject in memory, written through a temporary
    // file renamed into place.
    let req = request(bucket, key, p.shift_remove("ExtraArgs"))?;
    let io = |e: std::io::Error| Error::validation(format!("{what}: {}: {e}", filename.display()));
    let tmp = {
        let mut name = filename.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".{:08x}.boto-tmp", std::process::id()));
        filename.with_file_name(name)
    };
    let result = async {
        let mut file = tokio::fs::File::create(&tmp).await.map_err(io)?;
        let mut out = r.ctx().call("GetObject", Value::Map(req)).await?;
        if let Some(Value::Blob(b)) = out.as_map_mut().and_then(|m| m.shift_remove("Body")) {
            file.write_all(&b).await.map_err(io)?;
        }
        file.flush().await.map_err(io)?;
        file.sync_all().await.map_err(io)?;
        drop(file);
        tokio::fs::rename(&tmp, &filename).await.map_err(io)?;
        Ok::<Value, Error>(out)
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    result.map(ActionOutput::Data)
}

/// Copies `copy_source` (`{"Bucket": .., "Key": ..}` or `"bucket/key"`) to
/// the object (`Object`) or to `key` (`Bucket`).
pub async fn copy(
    r: &Resource,
    copy_source: Value,
    key: Option<&str>,
    extra: Option<Value>,
) -> Result<Value, Error> {
    let mut p = Map::new();
    p.insert("CopySource", copy_source);
    if let Some(k) = key {
        p.insert("Key", k.into());
    }
    if let Some(e) = extra {
        p.insert("ExtraArgs", e);
    }
    copy_action(r, Value::Map(p))
        .await
        .map(|o| o.into_data().unwrap_or_default())
}

pub(crate) async fn copy_action(r: &Resource, params: Value) -> Result<ActionOutput, Error> {
    let what = format!("{}.copy", r.class_name());
    let mut p = user_params(&what, params)?;
    let source = p.shift_remove("CopySource").ok_or_else(|| {
        Error::validation(format!("{what}: missing required parameter \"CopySource\""))
    })?;
    let (bucket, key) = target(r, &mut p, &what)?;
    if let Some(client) = r.meta().client() {
        let src = copy_source(&what, &source)?;
        let t = transfer(&what, client, &mut p, &bucket, &key)?;
        let out =
            t.tm.copy(&src, t.bucket, t.key, t.args, TransferControl::new())
                .await;
        return finish(&what, out);
    }
    let mut req = request(bucket, key, p.shift_remove("ExtraArgs"))?;
    req.insert("CopySource", source);
    r.ctx()
        .call("CopyObject", Value::Map(req))
        .await
        .map(ActionOutput::Data)
}

/// boto3's `CopySource`: `{"Bucket": .., "Key": .., "VersionId": ..}` or
/// `"bucket/key"` (with `?versionId=` as S3 takes it).
fn copy_source(what: &str, v: &Value) -> Result<CopySource, Error> {
    let bad = || {
        Error::validation(format!(
            "{what}: CopySource must be {{\"Bucket\": .., \"Key\": ..}} or \"bucket/key\""
        ))
    };
    match v {
        Value::Map(m) => {
            let bucket = m.get("Bucket").and_then(Value::as_str).ok_or_else(bad)?;
            let key = m.get("Key").and_then(Value::as_str).ok_or_else(bad)?;
            let src = CopySource::new(bucket, key);
            Ok(match m.get("VersionId").and_then(Value::as_str) {
                Some(version) => src.version(version),
                None => src,
            })
        }
        Value::String(s) => {
            let (path, version) = match s.split_once("?versionId=") {
                Some((p, v)) => (p, Some(v)),
                None => (s.as_str(), None),
            };
            let (bucket, key) = path.split_once('/').ok_or_else(bad)?;
            if bucket.is_empty() || key.is_empty() {
                return Err(bad());
            }
            let src = CopySource::new(bucket, key);
            Ok(match version {
                Some(v) => src.version(v),
                None => src,
            })
        }
        _ => Err(bad()),
    }
}
