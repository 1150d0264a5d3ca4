//! `cp`, `mv`, `rm` and `sync`: from command line to finished transfers.
//!
//! Replaces aws-cli's `CommandParameters` checks and `CommandArchitecture`
//! pipeline (`subcommands.py`) and the request submitters of `s3handler.py`:
//! paths are checked and formatted, both sides listed ([`super::walk`]),
//! filtered ([`super::filter`]), compared for sync ([`super::sync`]), then
//! run with at most `max_concurrent_requests` files in flight. Downloads of
//! keys that would land outside the target directory are skipped with
//! aws-cli's warning. `sync --delete` deletes only after every transfer
//! succeeded; when one failed, nothing is deleted.

use super::args::S3Args;
use super::backend::{Backend, Progress};
use super::config::TransferSettings;
use super::filter::Filter;
use super::path::{self, find_bucket_key, Kind, Plan};
use super::results::{location, Printer, Verbosity};
use super::walk::{self, FileStat, ListOpts, Op};
use super::Ctx;
use crate::error::CliError;
use boto::{Map, Value};
use std::sync::Arc;

/// Everything one file's transfer needs.
struct Job {
    backend: Backend,
    printer: Arc<Printer>,
    args: Arc<S3Args>,
    is_move: bool,
    /// The local destination root of a recursive download (for the key-safety check).
    local_root: Option<String>,
}

fn fatal(printer: &Printer, e: &CliError) -> i32 {
    let _ = printer;
    eprintln!("fatal error: {}", e.message.trim_end());
    1
}

fn s3_uri(p: &str) -> String {
    if p.starts_with("s3://") {
        p.to_string()
    } else {
        format!("s3://{p}")
    }
}

/// The `src to dest` text of a file's result line.
pub(super) fn file_location(f: &FileStat) -> String {
    let side = |kind: Kind, p: &str| match kind {
        Kind::S3 => s3_uri(p),
        Kind::Local => path::relative_path(p),
    };
    if f.op == Op::Delete {
        location(&side(f.src_kind, &f.src), None)
    } else {
        location(&side(f.src_kind, &f.src), Some(&side(f.dest_kind, &f.dest)))
    }
}

/// aws-cli's `RequestParamsMapper` for PutObject/CopyObject.
pub(super) fn object_params(a: &S3Args, op: Op, src: &str) -> Map {
    let mut m = Map::new();
    let mut pairs: Vec<(&str, &Option<String>)> = vec![("RequestPayer", &a.request_payer)];
    if op == Op::Upload || op == Op::Copy {
        pairs.extend([
            ("ACL", &a.acl),
            ("StorageClass", &a.storage_class),
            ("WebsiteRedirectLocation", &a.website_redirect),
            ("ContentType", &a.content_type),
            ("CacheControl", &a.cache_control),
            ("ContentDisposition", &a.content_disposition),
            ("ContentEncoding", &a.content_encoding),
            ("ContentLanguage", &a.content_language),
            ("Expires", &a.expires),
            ("ServerSideEncryption", &a.sse),
            ("SSEKMSKeyId", &a.sse_kms_key_id),
        ]);
    }
    if op == Op::Copy {
        pairs.push(("MetadataDirective", &a.metadata_directive));
    }
    for (k, v) in pairs {
        if let Some(v) = v {
            m.insert(k.to_string(), Value::String(v.as_str().into()));
        }
    }
    if op != Op::Upload && op != Op::Copy {
        return m;
    }
    if !a.metadata.is_empty() {
        let md: Map = a
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.as_str().into())))
            .collect();
        m.insert("Metadata", Value::Map(md));
        if op == Op::Copy && a.metadata_directive.is_none() {
            m.insert("MetadataDirective", Value::String("REPLACE".into()));
        }
    }
    if op == Op::Upload && a.content_type.is_none() && a.guess_mime_type {
        if let Some(t) = super::mime::guess(src) {
            m.insert("ContentType", Value::String(t.into()));
        }
    }
    m
}

impl Job {
    fn label(&self, f: &FileStat) -> &'static str {
        if self.is_move && f.op != Op::Delete {
            "move"
        } else {
            f.op.name()
        }
    }

    /// aws-cli's warning handlers: `Some(warning)` when the file is skipped
    /// (an empty warning skips it silently).
    fn skip(&self, f: &FileStat) -> Option<String> {
        if (f.op == Op::Download || f.op == Op::Copy)
            && f.glacier
            && !self.args.force_glacier_transfer
        {
            if self.args.ignore_glacier_warnings {
                return Some(String::new());
            }
            let op = f.op.name();
            return Some(format!(
                "warning: Skipping file s3://{}. Object is of storage class GLACIER. Unable to \
                 perform {op} operations on GLACIER objects. You must restore the object to be \
                 able to perform the operation. See boto s3 {op} help for additional parameter \
                 options to ignore or force these transfers.",
                f.src
            ));
        }
        if f.op == Op::Download {
            if let Some(w) = path::parent_reference_warning(&f.compare_key) {
                return Some(w);
            }
            if let Some(root) = &self.local_root {
                if path::safe_local_dest(root, &f.dest).is_none() {
                    return Some(format!(
                        "warning: Skipping file {}. File references a parent directory.",
                        f.compare_key
                    ));
                }
            }
        }
        None
    }

    /// Warnings and `--dryrun` lines; true when the file is to be transferred.
    fn submit(&self, f: &FileStat) -> bool {
        if let Some(w) = self.skip(f) {
            if !w.is_empty() {
                self.printer.warning(&w);
            }
            return false;
        }
        if self.args.dryrun {
            self.printer.dryrun(self.label(f), &file_location(f));
            return false;
        }
        self.printer.queued(f.size);
        true
    }

    async fn run(self: Arc<Self>, f: FileStat) {
        if self.backend.is_cancelled() {
            return;
        }
        let label = self.label(&f);
        let loc = file_location(&f);
        let p = self.printer.clone();
        let progress: Progress = Arc::new(move |n| p.progress(n));
        let c = &self.backend;
        let extra = object_params(&self.args, f.op, &f.src);
        let no_extra = object_params(&self.args, Op::Delete, "");
        let result = match (f.op, f.src_kind) {
            (Op::Upload, _) if std::path::Path::new(&f.src).is_dir() => {
                Err(format!("[Errno 21] Is a directory: '{}'", f.src))
            }
            (Op::Upload, _) => {
                let (b, k) = find_bucket_key(&f.dest);
                let r = c.upload(&f.src, (&b, &k), &extra, progress).await;
                if r.is_ok() && self.is_move {
                    std::fs::remove_file(&f.src).map_err(|e| e.to_string())
                } else {
                    r
                }
            }
            (Op::Download, _) => {
                let (b, k) = find_bucket_key(&f.src);
                let dest = path::normpath(&f.dest);
                let r = c.download((&b, &k), &dest, f.size, &extra, progress).await;
                if r.is_ok() && self.is_move {
                    c.delete((&b, &k), &no_extra).await
                } else {
                    r
                }
            }
            (Op::Copy, _) => {
                let (sb, sk) = find_bucket_key(&f.src);
                let (b, k) = find_bucket_key(&f.dest);
                let r = c.copy((&sb, &sk), (&b, &k), &extra, progress).await;
                if r.is_ok() && self.is_move {
                    c.delete((&sb, &sk), &no_extra).await
                } else {
                    r
                }
            }
            (Op::Delete, Kind::S3) => {
                let (b, k) = find_bucket_key(&f.src);
                c.delete((&b, &k), &extra).await
            }
            (Op::Delete, Kind::Local) => std::fs::remove_file(&f.src).map_err(|e| e.to_string()),
        };
        match result {
            Ok(()) => self.printer.success(label, &loc),
            Err(_) if self.backend.is_cancelled() => {}
            Err(e) => self.printer.failure(label, &loc, &e),
        }
    }
}

/// Runs the jobs with at most `limit` in flight.
async fn run_all(job: &Arc<Job>, files: Vec<FileStat>, limit: usize) {
    // Everything is listed up front, so the progress line's totals are final
    // before the first transfer starts.
    let files: Vec<FileStat> = files.into_iter().filter(|f| job.submit(f)).collect();
    job.printer.totals_final();
    let sem = Arc::new(tokio::sync::Semaphore::new(limit.max(1)));
    let (deletes, files): (Vec<FileStat>, Vec<FileStat>) = files
        .into_iter()
        .partition(|f| f.op == Op::Delete && f.src_kind == Kind::S3);
    super::delete::run(&job.backend, &job.printer, &job.args, deletes, sem.clone()).await;
    let mut set = tokio::task::JoinSet::new();
    for f in files {
        let Ok(permit) = sem.clone().acquire_owned().await else {
            break;
        };
        let job = job.clone();
        set.spawn(async move {
            job.run(f).await;
            drop(permit);
        });
        // Reap finished tasks as we go so memory stays flat on huge trees.
        while set.try_join_next().is_some() {}
    }
    while set.join_next().await.is_some() {}
}

fn verbosity(a: &S3Args, stream: bool) -> Verbosity {
    if a.quiet {
        Verbosity::Quiet
    } else if a.only_show_errors || stream {
        Verbosity::ErrorsOnly
    } else if a.no_progress {
        Verbosity::NoProgress
    } else {
        Verbosity::Full
    }
}

/// Checks and normalises the paths (aws-cli's `CommandParameters.add_paths`).
fn check_paths(cmd: &str, a: &mut S3Args) -> Result<(String, bool), CliError> {
    let paths_type = path::check_path_type(cmd, super::usage(cmd), &a.paths)?;
    for p in a.paths.iter_mut() {
        if let Some(rest) = p.strip_prefix("s3://") {
            let (b, k) = find_bucket_key(rest);
            if b.is_empty() {
                return Err(CliError::param(format!(
                    "Invalid bucket name in {p}: the bucket name is empty"
                )));
            }
            if k.is_empty() && !p.ends_with('/') {
                p.push('/');
            }
        }
    }
    let stream = a.paths.iter().any(|p| p == "-");
    if stream && (cmd != "cp" || a.recursive) {
        return Err(CliError::param(
            "Streaming currently is only compatible with non-recursive cp commands",
        ));
    }
    if cmd == "mv" && paths_type == "s3s3" {
        let (src, dest) = (&a.paths[0], &a.paths[1]);
        let base = src.rsplit('/').next().unwrap_or(src);
        if src == dest || (dest.ends_with('/') && *src == format!("{dest}{base}")) {
            return Err(CliError::param(format!(
                "Cannot mv a file onto itself: {src} - {dest}"
            )));
        }
    }
    if paths_type == "locals3" && !stream && std::fs::symlink_metadata(&a.paths[0]).is_err() {
        return Err(CliError::other(format!(
            "The user-provided path {} does not exist.",
            a.paths[0]
        )));
    }
    Ok((paths_type, stream))
}

pub async fn run(
    ctx: &Ctx,
    cmd: &str,
    mut a: S3Args,
    settings: &TransferSettings,
) -> Result<i32, CliError> {
    let cancel = ctx.cancel.clone();
    let (paths_type, stream) = check_paths(cmd, &mut a)?;
    let dir_op = a.recursive || cmd == "sync";
    let printer = Arc::new(Printer::new(verbosity(&a, stream)));
    let src = a.paths[0].clone();
    let dest = a.paths.get(1).cloned().unwrap_or_else(|| src.clone());
    let op = match paths_type.as_str() {
        "locals3" => Op::Upload,
        "s3local" => Op::Download,
        "s3s3" => Op::Copy,
        _ => Op::Delete,
    };
    let backend = Backend::new(&ctx.client, settings, cancel).map_err(CliError::other)?;
    if stream {
        return run_stream(&backend, settings, &a, (&src, &dest), &printer).await;
    }
    if op == Op::Download && dir_op && !a.dryrun {
        std::fs::create_dir_all(&dest)
            .map_err(|e| CliError::other(format!("Could not create directory {dest}: {e}")))?;
    }
    let plan = path::plan(&src, &dest, dir_op);
    let filter = Filter::new(&a.filters, &plan);
    let lo = ListOpts {
        page_size: a.page_size,
        request_payer: a.request_payer.as_deref(),
    };
    let mut warnings = Vec::new();
    let listed = match plan.src.kind {
        Kind::Local => Ok(walk::list_local(
            &plan,
            op,
            a.follow_symlinks,
            &mut warnings,
        )),
        Kind::S3 => walk::list_s3(&ctx.client, &plan, op, &lo).await,
    };
    let sources: Vec<FileStat> = match listed {
        Ok(v) => v.into_iter().filter(|f| filter.includes(&f.src)).collect(),
        Err(e) => {
            for w in &warnings {
                printer.warning(w);
            }
            return Ok(fatal(&printer, &e));
        }
    };
    for w in &warnings {
        printer.warning(w);
    }
    let (transfers, deletes) = if cmd == "sync" {
        let dests = match list_dest(ctx, &plan, a.follow_symlinks, &lo, &printer).await {
            Ok(v) => v.into_iter().filter(|f| filter.includes(&f.src)).collect(),
            Err(e) => return Ok(fatal(&printer, &e)),
        };
        let d = super::sync::compare(
            sources,
            dests,
            super::sync::Strategy {
                size_only: a.size_only,
                exact_timestamps: a.exact_timestamps,
                delete: a.delete,
            },
        );
        (d.transfers, d.deletes)
    } else {
        (sources, Vec::new())
    };
    let local_root = (op == Op::Download && dir_op).then(|| plan.dest.path.clone());
    let job = Arc::new(Job {
        backend,
        printer: printer.clone(),
        args: Arc::new(a),
        is_move: cmd == "mv",
        local_root,
    });
    let limit = settings.max_concurrent_requests as usize;
    run_all(&job, transfers, limit).await;
    if !deletes.is_empty() {
        if printer.failed() > 0 {
            printer.notice(&format!(
                "warning: {} file(s) not deleted because transfers failed; run sync again.",
                deletes.len()
            ));
        } else {
            run_all(&job, deletes, limit).await;
        }
    }
    printer.finish();
    Ok(printer.exit_code())
}

/// The destination side of a sync, listed like a source (aws-cli's reverse generator).
async fn list_dest(
    ctx: &Ctx,
    plan: &Plan,
    follow: bool,
    lo: &ListOpts<'_>,
    printer: &Printer,
) -> Result<Vec<FileStat>, CliError> {
    let rev = Plan {
        src: plan.dest.clone(),
        dest: plan.src.clone(),
        dir_op: true,
        use_src_name: true,
    };
    match rev.src.kind {
        Kind::Local => {
            if !std::path::Path::new(&rev.src.path).exists() {
                return Ok(Vec::new());
            }
            let mut w = Vec::new();
            let v = walk::list_local(&rev, Op::Delete, follow, &mut w);
            for w in w {
                printer.warning(&w);
            }
            Ok(v)
        }
        Kind::S3 => walk::list_s3(&ctx.client, &rev, Op::Delete, lo).await,
    }
}

async fn run_stream(
    backend: &Backend,
    settings: &TransferSettings,
    a: &S3Args,
    (src, dest): (&str, &str),
    printer: &Printer,
) -> Result<i32, CliError> {
    let (result, loc, label) = if src == "-" {
        let (b, k) = path::split_s3(dest);
        if k.is_empty() || k.ends_with('/') {
            return Err(CliError::param(format!(
                "Invalid destination for a stream: {dest} (a key is required)"
            )));
        }
        let loc = location("-", Some(dest));
        if a.dryrun {
            printer.dryrun("upload", &loc);
            return Ok(0);
        }
        let extra = object_params(a, Op::Upload, "");
        let r = backend
            .upload_stdin(settings, (&b, &k), a.expected_size, &extra)
            .await;
        (r, loc, "upload")
    } else {
        let (b, k) = path::split_s3(src);
        let loc = location(src, Some("-"));
        if a.dryrun {
            printer.dryrun("download", &loc);
            return Ok(0);
        }
        let extra = object_params(a, Op::Download, "");
        let r = backend.download_stdout((&b, &k), &extra).await;
        (r, loc, "download")
    };
    match result {
        Ok(()) => printer.success(label, &loc),
        Err(e) => printer.failure(label, &loc, &e),
    }
    Ok(printer.exit_code())
}
