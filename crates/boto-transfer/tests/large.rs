//! A file over 1 GiB (sparse: 1 GiB + 4097 bytes, mostly holes, with marker
//! bytes at part boundaries) uploaded (129 parts of 8 MiB) and downloaded
//! (129 ranges) through s3s-fs, which checks every part's CRC32, and the
//! result compared with the source by streaming both. Also checks that the
//! client's memory stays bounded (peak RSS growth well under the file size).
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
    let _ = std::fs::remove_dir_all(&dir);
    tally.finish();
    Ok(())
}
