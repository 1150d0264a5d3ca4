//! The transfer manager over a client that sends `aws-chunked` bodies with
//! trailing checksums (`ClientConfig::trailing_checksums`), against s3s-fs,
//! which verifies chunk signatures, trailer signatures and the checksums.
//!
//! upload_file (single PutObject and multipart UploadPart from file regions)
//! and upload_reader (unknown length, parts buffered in memory) inherit the
//! client's setting; every object is downloaded again and compared.
//! Needs `BOTO_TEST_S3S_ENDPOINT`/`_ACCESS_KEY`/`_SECRET_KEY` (scripts/with_servers.sh).

mod support;

use boto::core::auth::config::AddressingStyle;
use boto::core::auth::credentials::StaticProvider;
use boto::core::auth::Credentials;
use boto::core::runtime::aws_chunked::TrailingChecksums;
use boto::core::runtime::http::HttpRequest;
use boto::core::runtime::interceptor::{CallInfo, Interceptor};
use boto::{Client, ClientConfig};
use boto_transfer::{ExtraArgs, TransferConfig, TransferControl, TransferManager};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use support::*;

const MIB: u64 = 1024 * 1024;

/// Counts uploads sent `aws-chunked`.
#[derive(Default)]
struct CountChunked(AtomicU64);

impl Interceptor for CountChunked {
    fn name(&self) -> &'static str {
        "test.count_chunked"
    }
    fn modify_before_transmit(
        &self,
        _call: &CallInfo<'_>,
        req: &mut HttpRequest,
    ) -> Result<(), boto::Error> {
        if req
            .headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("content-encoding") && v == "aws-chunked")
        {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }
}

fn client(server: &Server, mode: TrailingChecksums, count: Arc<CountChunked>) -> Client {
    let config = ClientConfig {
        region: Some("us-east-1".into()),
        endpoint_url: Some(server.endpoint.clone()),
        addressing_style: AddressingStyle::Path,
        trailing_checksums: mode,
        max_pool_connections: 16,
        ..ClientConfig::default()
    };
    let creds = Credentials::new(&server.access_key, &server.secret_key, None, None, "test");
    Client::builder("s3")
        .config(config)
        .credentials(Arc::new(StaticProvider::new(creds)))
        .interceptor(count)
        .build()
        .expect("s3 client")
}

#[tokio::test]
async fn transfers_over_aws_chunked_are_verified_by_s3s() {
    let Some(server) = s3s() else {
        eprintln!("skipping transfers_over_aws_chunked_are_verified_by_s3s: BOTO_TEST_S3S_ENDPOINT/_ACCESS_KEY/_SECRET_KEY are not set (scripts/with_servers.sh starts s3s-fs)");
        return;
    };
    let dir = temp_dir("aws-chunked");
    let (mut passed, mut failed) = (0, 0);
    for mode in [TrailingChecksums::Unsigned, TrailingChecksums::Signed] {
        let count = Arc::new(CountChunked::default());
        let s3 = client(&server, mode, count.clone());
        let bucket = new_bucket(&s3, "chunked-tm").await;
        let tm = TransferManager::with_config(
            s3,
            TransferConfig {
                multipart_threshold: 5 * MIB,
                multipart_chunksize: 5 * MIB,
                ..TransferConfig::default()
            },
        )
        .expect("transfer manager");
        for (size, reader) in [
            (0u64, false),
            (1, false),
            (5 * MIB + 1, false),
            (5 * MIB + 7, true),
        ] {
            let data = pattern(size as usize, size + 3);
            let key = format!("{mode:?}/{size}/{reader}");
            let up = if reader {
                tm.upload_reader(
                    std::io::Cursor::new(data.clone()),
                    &bucket,
                    &key,
                    ExtraArgs::new(),
                    TransferControl::new(),
                )
                .await
            } else {
                let src = write_file(&dir, &format!("{mode:?}-{size}"), &data);
                tm.upload_file(
                    &src,
                    &bucket,
                    &key,
                    ExtraArgs::new(),
                    TransferControl::new(),
                )
                .await
            };
            let result = match up {
                Err(e) => Err(format!("upload: {e}")),
                Ok(_) => {
                    let dest = dir.join(format!("{mode:?}-{size}-{reader}.down"));
                    match tm
                        .download_file(
                            &bucket,
                            &key,
                            &dest,
                            ExtraArgs::new(),
                            TransferControl::new(),
                        )
                        .await
                    {
                        Err(e) => Err(format!("download: {e}")),
                        Ok(_) if std::fs::read(&dest).ok().as_deref() == Some(&data[..]) => Ok(()),
                        Ok(_) => Err("downloaded bytes differ".to_string()),
                    }
                }
            };
            match result {
                Ok(()) => passed += 1,
                Err(e) => {
                    eprintln!("FAIL {key}: {e}");
                    failed += 1;
                }
            }
        }
        // 1 + 1 + 2 parts + 2 parts, all framed aws-chunked.
        let sent = count.0.load(Ordering::Relaxed);
        if sent < 6 {
            eprintln!("FAIL {mode:?}: only {sent} uploads were aws-chunked");
            failed += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("transfer-aws-chunked: {passed} passed, {failed} failed");
    assert_eq!((passed, failed), (8, 0));
}
