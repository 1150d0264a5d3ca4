//! Streaming-output operations written to a file (`boto s3api get-object ...
//! out.bin`, and any other operation with an output file): the file is
//! complete or absent, never partial.
//!
//! aws-cli v1 writes the body straight into the target and fails midway
//! with "truncated response body" when the connection drops, leaving half a
//! file. Here S3 GetObject goes through boto-transfer's
//! [`get_object_to_file`](boto_transfer::get_object_to_file): a truncated body is resumed with `Range` and
//! `If-Match`, a full-object checksum is verified, and the file is renamed
//! into place only when complete. Other services' streams are written to a
//! temporary file next to the target and renamed when the body has ended.

use crate::error::CliError;
use crate::exec::map_error;
use boto::{RequestBody, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

fn io_err(outfile: &str, e: std::io::Error) -> CliError {
    CliError::other(format!(
        "[Errno {}] {e}: '{outfile}'",
        e.raw_os_error().unwrap_or(0)
    ))
}

/// A temporary file removed on drop unless persisted.
struct Temp(PathBuf, bool);

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.1 {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

fn temp_for(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(64).collect::<String>())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.boto-{}.tmp", std::process::id()))
}

/// Runs `op` and writes its streamed output to `outfile` (`-` is stdout);
/// returns the output without the body.
pub async fn call_to_file(
    client: &boto::Client,
    service: &str,
    op: &str,
    params: Value,
    body: Option<RequestBody>,
    outfile: &str,
) -> Result<Value, CliError> {
    if service == "s3" && op == "GetObject" && outfile != "-" && body.is_none() {
        return boto_transfer::get_object_to_file(client, params, outfile)
            .await
            .map(|(v, _)| v)
            .map_err(|e| match e.sdk_error() {
                Some(sdk) => map_error(sdk),
                None => CliError::other(e.to_string()),
            });
    }
    let out = client
        .call_stream(op, params, body)
        .await
        .map_err(|e| map_error(&e))?;
    let Some(mut stream) = out.body else {
        return Ok(out.value);
    };
    if outfile == "-" {
        let mut o = std::io::stdout().lock();
        while let Some(chunk) = stream.next_chunk().await.map_err(|e| map_error(&e))? {
            o.write_all(&chunk).map_err(|e| io_err(outfile, e))?;
        }
        o.flush().map_err(|e| io_err(outfile, e))?;
        return Ok(out.value);
    }
    let target = Path::new(outfile);
    let mut tmp = Temp(temp_for(target), false);
    let file = std::fs::File::create(&tmp.0).map_err(|e| io_err(outfile, e))?;
    let mut w = std::io::BufWriter::with_capacity(256 * 1024, file);
    while let Some(chunk) = stream.next_chunk().await.map_err(|e| map_error(&e))? {
        w.write_all(&chunk).map_err(|e| io_err(outfile, e))?;
    }
    let file = w
        .into_inner()
        .map_err(|e| io_err(outfile, e.into_error()))?;
    file.sync_all().map_err(|e| io_err(outfile, e))?;
    drop(file);
    std::fs::rename(&tmp.0, target).map_err(|e| io_err(outfile, e))?;
    tmp.1 = true;
    Ok(out.value)
}
