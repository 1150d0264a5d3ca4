//! The resumable GET under every download: one GetObject (a range or a
//! whole object) streamed into a file at an offset or into memory, resumed
//! after a truncated or failed body with `Range: bytes=<done>-<end>` and
//! `If-Match: <ETag>`, restarted when the complete body failed its checksum,
//! hashed as it arrives. s3transfer retries a failed range from its start
//! (`GetObjectTask`, `num_download_attempts`); this continues where it stopped.

use crate::checksum::{self, Algorithm};
use crate::error::{Result, TransferError};
use crate::manager::{opt_str, Ctx};
use crate::tempfile::join_err;
use boto::Value;
use bytes::{Bytes, BytesMut};
use std::sync::Arc;

/// Positional writes are batched to this size.
pub(crate) const FLUSH: usize = 1024 * 1024;

/// One range (or a whole object) to fetch.
pub(crate) struct Job {
    pub params: Value,
    pub etag: Option<String>,
    pub off: u64,
    /// `None`: learned from the first response's ContentLength.
    pub len: Option<u64>,
    /// First attempt without a `Range` header (a whole object or the caller's own range).
    pub whole: bool,
    /// Hash the data with this algorithm (raw digest returned).
    pub algo: Option<Algorithm>,
    /// Pick the algorithm from the first response's checksum.
    pub auto_algo: bool,
    /// An already-open GetObject response to read first (the probe GET of a download).
    pub opened: Option<boto::Output>,
    /// Read only `len` bytes of a longer body, then drop it (the probe GET of a large object).
    pub prefix_only: bool,
}

pub(crate) struct Fetched {
    pub first: Value,
    pub len: u64,
    pub digest: Option<Vec<u8>>,
}

pub(crate) enum Sink<'a> {
    /// Positional writes at `off + done`.
    File(&'a Arc<std::fs::File>),
    /// Appends (truncated back on a restart).
    Mem(&'a mut BytesMut),
}

pub(crate) async fn fetch(ctx: &Ctx, mut job: Job, mut sink: Sink<'_>) -> Result<Fetched> {
    let attempts = ctx.config().num_download_attempts.max(1);
    let mut done = 0u64;
    let mut reported = 0u64;
    let mut hasher = job.algo.map(Algorithm::hasher);
    let mut first: Option<Value> = None;
    let mut attempt = 0;
    loop {
        attempt += 1;
        if job.len == Some(done) && done > 0 {
            break;
        }
        let mut p = job.params.clone();
        if let (Some(m), Some(e)) = (p.as_map_mut(), &job.etag) {
            m.insert("IfMatch", e.clone().into());
        }
        if !(job.whole && done == 0) {
            if let (Some(m), Some(len)) = (p.as_map_mut(), job.len) {
                let end = job.off + len - 1;
                m.insert("Range", format!("bytes={}-{end}", job.off + done).into());
            }
        }
        let opened = job.opened.take();
        let r = ctx
            .guard(attempt_once(
                ctx,
                p,
                opened,
                &mut job,
                &mut first,
                &mut sink,
                &mut done,
                &mut hasher,
                &mut reported,
            ))
            .await;
        match r {
            Ok(()) => break,
            Err(e) if attempt < attempts && e.is_retryable() => {
                if job.len.is_some_and(|l| done >= l) || done == 0 || is_checksum_error(&e) {
                    // The body was complete but failed its check: start over.
                    done = 0;
                    hasher = job.algo.map(Algorithm::hasher);
                    if let Sink::Mem(m) = &mut sink {
                        m.clear();
                    }
                }
                let delay = std::time::Duration::from_millis(100u64 << attempt.min(5));
                ctx.guard(async {
                    tokio::time::sleep(delay).await;
                    Ok(())
                })
                .await?;
            }
            Err(e) => return Err(e),
        }
    }
    let len = job.len.unwrap_or(done);
    if done != len {
        return Err(TransferError::Integrity(format!(
            "got {done} of {len} bytes of the range at {}",
            job.off
        )));
    }
    Ok(Fetched {
        first: first.unwrap_or_default(),
        len,
        digest: hasher.map(|h| h.finish()),
    })
}

fn is_checksum_error(e: &TransferError) -> bool {
    e.sdk_error()
        .is_some_and(|s| s.message().contains("checksum"))
}

#[allow(clippy::too_many_arguments)]
async fn attempt_once(
    ctx: &Ctx,
    params: Value,
    opened: Option<boto::Output>,
    job: &mut Job,
    first: &mut Option<Value>,
    sink: &mut Sink<'_>,
    done: &mut u64,
    hasher: &mut Option<checksum::Hasher>,
    reported: &mut u64,
) -> Result<()> {
    let out = match opened {
        Some(o) => o,
        None => ctx.client().call_stream("GetObject", params, None).await?,
    };
    let value = out.value;
    if first.is_none() {
        if job.len.is_none() {
            job.len = value.get("ContentLength").as_i64().map(|n| n.max(0) as u64);
        }
        if job.etag.is_none() {
            job.etag = opt_str(&value, "ETag");
        }
        if let Some(start) = value
            .get("ContentRange")
            .as_str()
            .and_then(|r| r.strip_prefix("bytes "))
            .and_then(|r| r.split('-').next())
            .and_then(|s| s.trim().parse::<u64>().ok())
        {
            job.off = start;
        }
        if job.auto_algo && job.algo.is_none() {
            if let Some((a, _)) = full_object_checksum(&value) {
                job.algo = Some(a);
                *hasher = Some(a.hasher());
            }
        }
        *first = Some(value);
    }
    let Some(mut body) = out.body else {
        return Ok(());
    };
    let limit = job.len;
    let mut buf = BytesMut::new();
    let mut buf_start = *done;
    let res: Result<()> = loop {
        match body.next_chunk().await {
            Ok(Some(mut c)) => {
                let pos = buf_start + buf.len() as u64;
                let mut last = false;
                if let Some(l) = limit.filter(|l| pos + c.len() as u64 > *l) {
                    if !job.prefix_only {
                        break Err(TransferError::Integrity(format!(
                            "the server sent more than the {l} bytes expected"
                        )));
                    }
                    c = c.slice(..(l - pos) as usize);
                    last = true;
                }
                if let Some(h) = hasher.as_mut() {
                    h.update(&c);
                }
                ctx.throttle(c.len() as u64).await;
                buf.extend_from_slice(&c);
                if buf.len() >= FLUSH {
                    let n = buf.len() as u64;
                    write(sink, job.off + buf_start, buf.split().freeze()).await?;
                    buf_start += n;
                    *done = buf_start;
                    if *done > *reported {
                        ctx.report(*done - *reported);
                        *reported = *done;
                    }
                }
                if last || (job.prefix_only && limit == Some(buf_start + buf.len() as u64)) {
                    break Ok(()); // the rest of a probe GET's body is not ours to read
                }
            }
            Ok(None) => break Ok(()),
            Err(e) => break Err(e.into()),
        }
    };
    if !buf.is_empty() {
        let n = buf.len() as u64;
        write(sink, job.off + buf_start, buf.freeze()).await?;
        *done = buf_start + n;
    }
    if *done > *reported {
        ctx.report(*done - *reported);
        *reported = *done;
    }
    res?;
    if limit.is_some_and(|l| *done < l) {
        return Err(TransferError::Sdk(boto::Error::response_transient(
            format!(
                "truncated response body: {done} of {} bytes",
                limit.unwrap_or(0)
            ),
        )));
    }
    Ok(())
}

async fn write(sink: &mut Sink<'_>, at: u64, data: Bytes) -> Result<()> {
    match sink {
        Sink::Mem(m) => {
            m.extend_from_slice(&data);
            Ok(())
        }
        Sink::File(f) => {
            let f = Arc::clone(f);
            tokio::task::spawn_blocking(move || {
                use std::os::unix::fs::FileExt;
                f.write_all_at(&data, at)
            })
            .await
            .map_err(join_err)?
            .map_err(|e| TransferError::io("cannot write the download", e))
        }
    }
}

/// The response's checksum when it is of the whole object (not composite).
pub(crate) fn full_object_checksum(v: &Value) -> Option<(Algorithm, String)> {
    let (a, value, ty) = checksum::from_response(v)?;
    let explicit = v.get("ChecksumType").as_str();
    let multipart = opt_str(v, "ETag").is_some_and(|e| is_multipart_etag(&e));
    if ty == "COMPOSITE"
        || value.contains('-')
        || (explicit.is_none() && multipart)
        || !checksum::well_formed(a, &value)
    {
        return None;
    }
    Some((a, value))
}

/// `"<md5 of md5s>-<parts>"`: the ETag of a multipart upload.
pub(crate) fn is_multipart_etag(etag: &str) -> bool {
    etag.trim_matches('"')
        .rsplit_once('-')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}
