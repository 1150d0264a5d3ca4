//! The files a command works on: local trees and S3 listings.
//!
//! Replaces aws-cli's `FileGenerator` (`filegenerator.py`) and `BucketLister`
//! (`utils.py`). Local directories are walked depth-first with each
//! directory's entries sorted as if directories ended in `/`, so the order is
//! the byte order of the full path, the same order ListObjectsV2 returns keys
//! in; sync merges the two sides on that order. Broken links, FIFOs, sockets,
//! devices, unreadable files and names that are not UTF-8 are skipped with
//! aws-cli's warnings (the command then exits 2); with `--no-follow-symlinks`
//! links are skipped silently.

use super::path::{find_bucket_key, Kind, Plan};
use crate::error::CliError;
use crate::exec::map_error;
use boto::{params, Value};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

/// What will happen to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Upload,
    Download,
    Copy,
    Delete,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Upload => "upload",
            Op::Download => "download",
            Op::Copy => "copy",
            Op::Delete => "delete",
        }
    }
}

/// One file or object (aws-cli's `FileStat`/`FileInfo`).
#[derive(Debug, Clone)]
pub struct FileStat {
    /// Local absolute path, or `bucket/key`.
    pub src: String,
    pub dest: String,
    pub compare_key: String,
    pub size: u64,
    /// Last modification, microseconds since the epoch (`None`: unknown).
    pub mtime_us: Option<i64>,
    pub src_kind: Kind,
    pub dest_kind: Kind,
    pub op: Op,
    /// An archived object (GLACIER, DEEP_ARCHIVE) that is not restored.
    pub glacier: bool,
}

/// Warnings collected while listing (printed to stderr, exit 2).
pub type Warnings = Vec<String>;

fn warn_skip(warnings: &mut Warnings, path: &str, msg: &str) {
    warnings.push(format!("warning: Skipping file {path}. {msg}"));
}

/// aws-cli's `triggers_warning`: missing, special or unreadable paths.
fn triggers_warning(path: &str, warnings: &mut Warnings) -> bool {
    let p = Path::new(path);
    let Ok(meta) = std::fs::metadata(p) else {
        warn_skip(warnings, path, "File does not exist.");
        return true;
    };
    let ft = meta.file_type();
    if ft.is_char_device() || ft.is_block_device() || ft.is_fifo() || ft.is_socket() {
        warn_skip(
            warnings,
            path,
            "File is character special device, block special device, FIFO, or socket.",
        );
        return true;
    }
    let readable = if meta.is_dir() {
        std::fs::read_dir(p).is_ok()
    } else {
        std::fs::File::open(p).is_ok()
    };
    if !readable {
        warn_skip(warnings, path, "File/Directory is not readable.");
        return true;
    }
    false
}

fn should_ignore(path: &str, follow_symlinks: bool, warnings: &mut Warnings) -> bool {
    if !follow_symlinks {
        let p = path.trim_end_matches('/');
        if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) {
            return true;
        }
    }
    triggers_warning(path, warnings)
}

fn mtime_us(meta: &std::fs::Metadata) -> Option<i64> {
    let t = meta.modified().ok()?;
    Some(match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_micros() as i64,
        Err(e) => -(e.duration().as_micros() as i64),
    })
}

/// Local files under `plan.src` (or the one file), in S3 key order.
pub fn list_local(
    plan: &Plan,
    op: Op,
    follow_symlinks: bool,
    warnings: &mut Warnings,
) -> Vec<FileStat> {
    let mut out = Vec::new();
    let root = plan.src.path.clone();
    let emit = |path: &str, out: &mut Vec<FileStat>, warnings: &mut Warnings| {
        match std::fs::metadata(path) {
            Ok(meta) => {
                let (dest, compare_key) = plan.dest_and_compare_key(path);
                out.push(FileStat {
                    src: path.to_string(),
                    dest,
                    compare_key,
                    size: meta.len(),
                    mtime_us: mtime_us(&meta),
                    src_kind: Kind::Local,
                    dest_kind: plan.dest.kind,
                    op,
                    glacier: false,
                });
            }
            Err(_) => warn_skip(warnings, path, "File does not exist."),
        }
    };
    let trimmed = if plan.dir_op {
        root.as_str()
    } else {
        root.trim_end_matches('/')
    };
    if should_ignore(trimmed, follow_symlinks, warnings) {
        return out;
    }
    if !plan.dir_op {
        // A directory without --recursive is passed on as `dir/` and fails
        // when opened, as in aws-cli ("[Errno 21] Is a directory").
        emit(&root, &mut out, warnings);
        return out;
    }
    walk_dir(&root, follow_symlinks, warnings, &mut |p, w| {
        emit(p, &mut out, w)
    });
    out
}

fn walk_dir(
    dir: &str,
    follow: bool,
    warnings: &mut Warnings,
    emit: &mut dyn FnMut(&str, &mut Warnings),
) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        warn_skip(warnings, dir, "File/Directory is not readable.");
        return;
    };
    let base = if dir.ends_with('/') {
        dir.to_string()
    } else {
        format!("{dir}/")
    };
    let mut names: Vec<String> = Vec::new();
    for entry in rd.flatten() {
        let name = match entry.file_name().into_string() {
            Ok(n) => n,
            Err(raw) => {
                warn_skip(
                    warnings,
                    &format!("{raw:?}"),
                    &format!(
                        "There was an error trying to decode the the file {raw:?} in directory \"{dir}\". \n\
                         Please check your locale settings.  The filename was decoded as: utf-8\n\
                         On posix platforms, check the LC_CTYPE environment variable."
                    ),
                );
                continue;
            }
        };
        let path = format!("{base}{name}");
        if should_ignore(&path, follow, warnings) {
            continue;
        }
        if Path::new(&path).is_dir() {
            names.push(format!("{name}/"));
        } else {
            names.push(name);
        }
    }
    names.sort();
    for name in names {
        let path = format!("{base}{name}");
        if name.ends_with('/') {
            walk_dir(&path, follow, warnings, emit);
        } else {
            emit(&path, warnings);
        }
    }
}

/// Options for listing objects.
pub struct ListOpts<'a> {
    pub page_size: Option<u64>,
    pub request_payer: Option<&'a str>,
}

/// One object of a listing: key, size, last modified, storage class.
pub struct Object {
    pub key: String,
    pub size: u64,
    pub last_modified: Option<boto::Timestamp>,
    pub storage_class: Option<String>,
}

/// aws-cli's `_is_glacier_object`/`_is_restored` (`fileinfo.py`).
fn is_archived(storage_class: Option<&str>, restore: Option<&str>) -> bool {
    matches!(storage_class, Some("GLACIER" | "DEEP_ARCHIVE"))
        && !restore.is_some_and(|r| r.contains("ongoing-request=\"false\""))
}

fn object_of(v: &Value) -> Object {
    Object {
        key: v.get("Key").as_str().unwrap_or_default().to_string(),
        size: v.get("Size").as_i64().unwrap_or(0).max(0) as u64,
        last_modified: v.get("LastModified").as_timestamp(),
        storage_class: v.get("StorageClass").as_str().map(str::to_owned),
    }
}

/// Every object under `prefix` (ListObjectsV2, paginated).
pub async fn list_objects(
    client: &boto::Client,
    bucket: &str,
    prefix: &str,
    o: &ListOpts<'_>,
) -> Result<Vec<Object>, CliError> {
    let mut p = params! {"Bucket": bucket, "Prefix": prefix};
    if let (Some(rp), Some(m)) = (o.request_payer, p.as_map_mut()) {
        m.insert("RequestPayer", Value::String(rp.into()));
    }
    let mut pages = client
        .paginate("ListObjectsV2", p)
        .map_err(|e| map_error(&e))?;
    if let Some(n) = o.page_size {
        pages = pages.page_size(n);
    }
    let mut out = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.map_err(|e| map_error(&e))?;
        out.extend(
            page.get("Contents")
                .as_list()
                .unwrap_or_default()
                .iter()
                .map(object_of),
        );
    }
    Ok(out)
}

pub fn ts_us_of(t: &boto::Timestamp) -> i64 {
    t.epoch_secs() * 1_000_000 + (t.subsec_nanos() / 1000) as i64
}

/// The objects a command works on (aws-cli's `list_objects`): a listing for
/// directory operations, a HeadObject for one object.
pub async fn list_s3(
    client: &boto::Client,
    plan: &Plan,
    op: Op,
    o: &ListOpts<'_>,
) -> Result<Vec<FileStat>, CliError> {
    let (bucket, prefix) = find_bucket_key(&plan.src.path);
    let stat = |src: String, size: u64, mtime_us: Option<i64>, glacier: bool| {
        let (dest, compare_key) = plan.dest_and_compare_key(&src);
        FileStat {
            src,
            dest,
            compare_key,
            size,
            mtime_us,
            src_kind: Kind::S3,
            dest_kind: plan.dest.kind,
            op,
            glacier,
        }
    };
    if !plan.dir_op && !prefix.is_empty() {
        if op == Op::Delete {
            return Ok(vec![stat(plan.src.path.clone(), 0, None, false)]);
        }
        let out = client
            .call(
                "HeadObject",
                params! {"Bucket": (bucket.as_str()), "Key": (prefix.as_str())},
            )
            .await;
        let v = match out {
            Ok(v) => v,
            Err(e) if e.code() == Some("404") || e.code() == Some("NotFound") => {
                return Err(CliError::other(format!(
                    "An error occurred (404) when calling the HeadObject operation: Key \"{prefix}\" does not exist"
                )))
            }
            Err(e) => return Err(map_error(&e)),
        };
        let size = v.get("ContentLength").as_i64().unwrap_or(0).max(0) as u64;
        let mtime = v.get("LastModified").as_timestamp().map(|t| ts_us_of(&t));
        let glacier = is_archived(v.get("StorageClass").as_str(), v.get("Restore").as_str());
        return Ok(vec![stat(plan.src.path.clone(), size, mtime, glacier)]);
    }
    let objects = list_objects(client, &bucket, &prefix, o).await?;
    let mut out = Vec::with_capacity(objects.len());
    for obj in objects {
        let src = format!("{bucket}/{}", obj.key);
        if obj.size == 0 && src.ends_with('/') {
            // Folder markers: only `rm` acts on them.
            if op != Op::Delete {
                continue;
            }
        } else if !plan.dir_op && plan.src.path != src {
            continue;
        }
        let mtime = obj.last_modified.as_ref().map(ts_us_of);
        let glacier = is_archived(obj.storage_class.as_deref(), None);
        out.push(stat(src, obj.size, mtime, glacier));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s3::path::plan;

    #[test]
    fn walks_in_key_order_and_warns_on_specials() {
        let dir = std::env::temp_dir().join(format!("boto-s3-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::create_dir_all(dir.join("a-b")).unwrap();
        for f in ["a/x", "a-b/y", "a0", "b c", "é"] {
            std::fs::write(dir.join(f), f).unwrap();
        }
        std::os::unix::fs::symlink("/nonexistent-h5", dir.join("broken")).unwrap();
        std::os::unix::fs::symlink(dir.join("a0"), dir.join("link")).unwrap();
        let d = dir.to_string_lossy().into_owned();
        let p = plan(&d, "s3://b/p", true);
        let mut w = Vec::new();
        let files = list_local(&p, Op::Upload, true, &mut w);
        let keys: Vec<&str> = files.iter().map(|f| f.compare_key.as_str()).collect();
        // "a-b/" < "a/" in byte order ('-' < '/'), like S3 key order.
        assert_eq!(keys, ["a-b/y", "a/x", "a0", "b c", "link", "é"]);
        assert_eq!(files[1].dest, "b/p/a/x");
        assert_eq!(w.len(), 1);
        assert!(w[0].ends_with("broken. File does not exist."), "{w:?}");
        let mut w = Vec::new();
        let files = list_local(&p, Op::Upload, false, &mut w);
        assert_eq!(files.len(), 5);
        assert!(w.is_empty(), "{w:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
