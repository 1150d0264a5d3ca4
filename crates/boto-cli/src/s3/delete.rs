//! Deleting many objects (`rm --recursive`, `sync --delete`, `rb --force`)
//! with DeleteObjects, 1,000 keys per request.
//!
//! aws-cli v1 sends one DeleteObject per key; the lines it prints are per
//! key, and so are these: `delete: s3://b/k` for each key the response lists
//! as deleted, `delete failed: s3://b/k An error occurred (Code) when
//! calling the DeleteObjects operation: ...` for each error. When a whole
//! batch is refused (a server without DeleteObjects, a policy that allows
//! only DeleteObject), its keys are deleted one by one instead.

use super::args::S3Args;
use super::backend::Backend;
use super::path::find_bucket_key;
use super::results::Printer;
use super::transfer::{file_location, object_params};
use super::walk::{FileStat, Op};
use boto::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const BATCH: usize = 1000;

async fn one_batch(
    backend: Backend,
    printer: Arc<Printer>,
    extra: Map,
    bucket: String,
    files: Vec<FileStat>,
) {
    let mut by_key: HashMap<String, FileStat> = HashMap::with_capacity(files.len());
    let mut objects = Vec::with_capacity(files.len());
    for f in files {
        let (_, key) = find_bucket_key(&f.src);
        let mut o = Map::new();
        o.insert("Key", Value::String(key.as_str().into()));
        objects.push(Value::Map(o));
        by_key.insert(key, f);
    }
    let mut delete = Map::new();
    delete.insert("Objects", Value::List(objects));
    let mut p = extra.clone();
    p.insert("Bucket", Value::String(bucket.as_str().into()));
    p.insert("Delete", Value::Map(delete));
    let out = match backend.client().call("DeleteObjects", Value::Map(p)).await {
        Ok(v) => v,
        Err(_) => {
            // The batch call itself was refused: one request per key.
            for (key, f) in by_key {
                let loc = file_location(&f);
                match backend.delete((&bucket, &key), &extra).await {
                    Ok(()) => printer.success("delete", &loc),
                    Err(e) => printer.failure("delete", &loc, &e),
                }
            }
            return;
        }
    };
    for d in out.get("Deleted").as_list().unwrap_or_default() {
        if let Some(f) = d.get("Key").as_str().and_then(|k| by_key.remove(k)) {
            printer.success("delete", &file_location(&f));
        }
    }
    for e in out.get("Errors").as_list().unwrap_or_default() {
        if let Some(f) = e.get("Key").as_str().and_then(|k| by_key.remove(k)) {
            let msg = format!(
                "An error occurred ({}) when calling the DeleteObjects operation: {}",
                e.get("Code").as_str().unwrap_or("Unknown"),
                e.get("Message").as_str().unwrap_or("")
            );
            printer.failure("delete", &file_location(&f), &msg);
        }
    }
    for (_, f) in by_key {
        printer.failure(
            "delete",
            &file_location(&f),
            "the DeleteObjects response did not mention this key",
        );
    }
}

/// Deletes `files` (all S3 deletes), batches running under `sem`.
pub async fn run(
    backend: &Backend,
    printer: &Arc<Printer>,
    args: &S3Args,
    files: Vec<FileStat>,
    sem: Arc<tokio::sync::Semaphore>,
) {
    if files.is_empty() {
        return;
    }
    let extra = object_params(args, Op::Delete, "");
    let mut by_bucket: BTreeMap<String, Vec<FileStat>> = BTreeMap::new();
    for f in files {
        let (bucket, _) = find_bucket_key(&f.src);
        by_bucket.entry(bucket).or_default().push(f);
    }
    let mut set = tokio::task::JoinSet::new();
    for (bucket, files) in by_bucket {
        let mut files = files.into_iter().peekable();
        while files.peek().is_some() {
            let chunk: Vec<FileStat> = files.by_ref().take(BATCH).collect();
            let Ok(permit) = sem.clone().acquire_owned().await else {
                return;
            };
            let (b, p, e, bk) = (
                backend.clone(),
                printer.clone(),
                extra.clone(),
                bucket.clone(),
            );
            set.spawn(async move {
                one_batch(b, p, e, bk, chunk).await;
                drop(permit);
            });
        }
    }
    while set.join_next().await.is_some() {}
}
