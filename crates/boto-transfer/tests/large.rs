//! A file over 1 GiB (sparse: 1 GiB + 4097 bytes, mostly holes, with marker
//! bytes at part boundaries) uploaded (129 parts of 8 MiB) and downloaded
//! (129 ranges) through s3s-fs, which checks every part's CRC32, and the
//! result compared with the source by streaming both. Also checks that the
//! client's memory stays bounded (peak RSS growth well under the file size).
//! The same size as a stream of unknown length (upload_reader) and back into
//! a checking writer (download_writer), memory bounded by concurrency x part.
//! Runs whenever s3s-fs is available; `BOTO_TEST_SKIP_LARGE=1` skips it.
//! Prints `transfer-large: N passed, M failed`.

mod support;

use boto_transfer::{ExtraArgs, TransferControl, TransferManager};
use std::io::{Read, Seek, SeekFrom, Write};
use std::time::Instant;
use support::*;

const SIZE: u64 = (1 << 30) + 4097;
const PART: u64 = 8 << 20;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn same_content(a: &std::path::Path, b: &std::path::Path) -> std::io::Result<bool> {
    let (mut fa, mut fb) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    if fa.metadata()?.len() != fb.metadata()?.len() {
        return Ok(false);
    }
    let (mut ba, mut bb) = (vec![0u8; 4 << 20], vec![0u8; 4 << 20]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

/// The byte at `off` of the synthetic stream.
fn byte_at(off: u64) -> u8 {
    (off.wrapping_mul(31) ^ (off >> 13) ^ (off >> 27)) as u8
}

/// SIZE bytes of `byte_at`, generated on the fly.
struct Synthetic {
    off: u64,
}

impl tokio::io::AsyncRead for Synthetic {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let n = (buf.remaining() as u64).min(SIZE - self.off).min(1 << 20) as usize;
        let start = self.off;
        let chunk: Vec<u8> = (0..n as u64).map(|i| byte_at(start + i)).collect();
        buf.put_slice(&chunk);
        self.off += n as u64;
        std::task::Poll::Ready(Ok(()))
    }
}

/// Checks every byte written against `byte_at`.
struct Checker {
    off: u64,
    bad: Option<u64>,
}

impl tokio::io::AsyncWrite for Checker {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        data: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        for (i, b) in data.iter().enumerate() {
            let at = self.off + i as u64;
            if self.bad.is_none() && *b != byte_at(at) {
                self.bad = Some(at);
            }
        }
        self.off += data.len() as u64;
        std::task::Poll::Ready(Ok(data.len()))
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_one_gib_sparse() -> TestResult {
    if std::env::var("BOTO_TEST_SKIP_LARGE").is_ok_and(|v| v == "1") {
        eprintln!("skipping over_one_gib_sparse: BOTO_TEST_SKIP_LARGE=1");
        return Ok(());
    }
    let Some(server) = s3s() else {
        eprintln!("skipping over_one_gib_sparse: BOTO_TEST_S3S_ENDPOINT not set (scripts/with_servers.sh starts s3s-fs)");
        return Ok(());
    };
    let mut tally = Tally::new("transfer-large");
    let s3 = server.client();
    let bucket = new_bucket(&s3, "tlarge").await;
    let dir = temp_dir("large");
    let src = dir.join("sparse.bin");
    {
        let mut f = std::fs::File::create(&src)?;
        f.set_len(SIZE)?;
        // Markers around every 128th part boundary and at both ends.
        let mut off = 0;
        while off < SIZE {
            let at = off.saturating_sub(3);
            f.seek(SeekFrom::Start(at))?;
            f.write_all(&pattern(7.min((SIZE - at) as usize), off))?;
            off += PART * 16;
        }
        f.seek(SeekFrom::Start(SIZE - 5))?;
        f.write_all(b"tail!")?;
    }
    let tm = TransferManager::new(s3.clone());
    let rss0 = peak_rss_kib();
    let t = Instant::now();
    let up = tm
        .upload_file(
            &src,
            &bucket,
            "big",
            ExtraArgs::new(),
            TransferControl::new(),
        )
        .await;
    let up_s = t.elapsed().as_secs_f64();
    tally.record(
        "upload 1 GiB + 4097 B".into(),
        match &up {
            Ok(o) if o.bytes == SIZE && o.parts == 129 => Ok(()),
            Ok(o) => Err(format!("{} bytes in {} parts", o.bytes, o.parts)),
            Err(e) => Err(e.to_string()),
        },
    );
    let dest = dir.join("down.bin");
    let t = Instant::now();
    let down = tm
        .download_file(
            &bucket,
            "big",
            &dest,
            ExtraArgs::new(),
            TransferControl::new(),
        )
        .await;
    let down_s = t.elapsed().as_secs_f64();
    let r = match down {
        Ok(o) if o.bytes == SIZE => match same_content(&src, &dest) {
            Ok(true) => Ok(()),
            Ok(false) => Err("downloaded content differs".to_string()),
            Err(e) => Err(e.to_string()),
        },
        Ok(o) => Err(format!("{} bytes", o.bytes)),
        Err(e) => Err(e.to_string()),
    };
    tally.record("download 1 GiB + 4097 B, identical".into(), r);
    let growth_mib = peak_rss_kib().saturating_sub(rss0) / 1024;
    eprintln!(
        "1 GiB: upload {up_s:.1}s ({:.0} MB/s), download {down_s:.1}s ({:.0} MB/s), peak RSS growth {growth_mib} MiB",
        SIZE as f64 / 1e6 / up_s,
        SIZE as f64 / 1e6 / down_s
    );
    tally.record(
        format!("memory bounded (peak RSS growth {growth_mib} MiB < 200 MiB)"),
        if growth_mib < 200 {
            Ok(())
        } else {
            Err(format!("{growth_mib} MiB"))
        },
    );
    let _ = s3
        .call(
            "DeleteObject",
            boto::params! {"Bucket": (&bucket), "Key": "big"},
        )
        .await;

    // A 1 GiB stream of unknown length up, and down into a checking writer:
    // buffers stay within max_concurrency x part size (10 x 8 MiB).
    let t = Instant::now();
    let up = tm
        .upload_reader(
            Synthetic { off: 0 },
            &bucket,
            "stream",
            ExtraArgs::new(),
            TransferControl::new(),
        )
        .await;
    tally.record(
        "upload_reader 1 GiB + 4097 B stream".into(),
        match &up {
            Ok(o) if o.bytes == SIZE && o.parts == 129 => Ok(()),
            Ok(o) => Err(format!("{} bytes in {} parts", o.bytes, o.parts)),
            Err(e) => Err(e.to_string()),
        },
    );
    let mut sink = Checker { off: 0, bad: None };
    let down = tm
        .download_writer(
            &bucket,
            "stream",
            &mut sink,
            ExtraArgs::new(),
            TransferControl::new(),
        )
        .await;
    tally.record(
        "download_writer 1 GiB + 4097 B, identical".into(),
        match down {
            Ok(o) if o.bytes == SIZE && sink.off == SIZE && sink.bad.is_none() => Ok(()),
            Ok(o) => Err(format!(
                "{} bytes, wrote {}, first bad byte {:?}",
                o.bytes, sink.off, sink.bad
            )),
            Err(e) => Err(e.to_string()),
        },
    );
    let growth_mib = peak_rss_kib().saturating_sub(rss0) / 1024;
    eprintln!(
        "1 GiB stream up+down {:.1}s, peak RSS growth {growth_mib} MiB",
        t.elapsed().as_secs_f64()
    );
    tally.record(
        format!("streams bounded (peak RSS growth {growth_mib} MiB < 250 MiB)"),
        if growth_mib < 250 {
            Ok(())
        } else {
            Err(format!("{growth_mib} MiB"))
        },
    );
    let _ = std::fs::remove_dir_all(&dir);
    tally.finish();
    Ok(())
}
