//! Record/replay rules, offline: a scripted transport stands in for the
//! service while recording. Significant headers (`Range`) tell otherwise
//! identical requests apart; generated idempotency tokens do not; binary
//! bodies survive the file (base64); the file is replaced atomically; a
//! damaged recording is refused with its line number.

use boto::core::runtime::http::{BoxFuture, HttpClient, HttpRequest, HttpResponse};
use boto::{params, ByteStream, ClientOptions, Error, Session};
use boto_testing::{Recorder, Replayer};
use std::sync::Arc;

/// Answers S3 GetObject with the Range header as the body (or 256 binary
/// bytes without one), anything else with `{}`.
struct Scripted;

impl HttpClient for Scripted {
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let range = req
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("range"))
            .map(|(_, v)| v.clone());
        let body: Vec<u8> = match (req.method.as_str(), range) {
            ("GET", Some(r)) => r.into_bytes(),
            ("GET", None) => (0..=255u8).collect(),
            _ => b"{}".to_vec(),
        };
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                headers: vec![
                    ("content-length".into(), body.len().to_string()),
                    ("x-amzn-requestid".into(), "req".into()),
                ],
                body: ByteStream::from_bytes(body),
            })
        })
    }
}

fn session() -> Session {
    Session::builder()
        .region("us-east-1")
        .credentials("AKIDOFFLINE", "offline-secret", None)
        .env(boto::core::auth::config::Env::from_vars(Vec::<(
            String,
            String,
        )>::new()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn matching_rules_and_file_format() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("boto-testing-offline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rec.jsonl");
    let opts = ClientOptions {
        endpoint_url: Some("http://127.0.0.1:9".into()),
        ..Default::default()
    };
    let recorder = Recorder::with_transport(&file, Arc::new(Scripted)).unwrap();
    let s3 = recorder.client(&session(), "s3", &opts).unwrap();
    let ddb = recorder.client(&session(), "dynamodb", &opts).unwrap();
    let get = |range: Option<&str>| {
        let mut p = params! {"Bucket": "b", "Key": "k"};
        if let (Some(r), Some(m)) = (range, p.as_map_mut()) {
            m.insert("Range", r.into());
        }
        p
    };
    for r in ["bytes=0-1", "bytes=2-3"] {
        let out = s3.call("GetObject", get(Some(r))).await.unwrap();
        assert_eq!(out.get("Body").as_blob(), Some(r.as_bytes()));
    }
    let binary = s3.call("GetObject", get(None)).await.unwrap();
    let put = params! {"TransactItems": [{"Put": {"TableName": "t", "Item": {"k": {"S": "v"}}}}]};
    ddb.call("TransactWriteItems", put.clone()).await.unwrap();
    assert_eq!(recorder.len(), 4);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["rec.jsonl"], "no temporary file is left behind");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"base64\""));
    assert!(
        text.contains("ClientRequestToken"),
        "a generated token was sent"
    );
    assert!(!text.contains("offline-secret") && !text.contains("AKIDOFFLINE"));

    // Replay in another order: each ranged GET gets its own answer; the
    // idempotency token (a new UUID on every call) does not stop the match.
    let replayer = Replayer::from_file(&file).unwrap();
    let s3 = replayer.client(&session(), "s3", &opts).unwrap();
    let ddb = replayer.client(&session(), "dynamodb", &opts).unwrap();
    ddb.call("TransactWriteItems", put).await.unwrap();
    let out = s3.call("GetObject", get(None)).await.unwrap();
    assert_eq!(out.get("Body"), binary.get("Body"));
    for r in ["bytes=2-3", "bytes=0-1"] {
        let out = s3.call("GetObject", get(Some(r))).await.unwrap();
        assert_eq!(out.get("Body").as_blob(), Some(r.as_bytes()));
    }
    assert_eq!(replayer.unused(), 0);
    let err = s3
        .call("GetObject", get(Some("bytes=4-5")))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("no recording for GET /b/k"),
        "{err}"
    );

    // A damaged recording is refused, naming the line.
    std::fs::write(
        &file,
        format!("{}\nnot json\n", text.lines().next().unwrap()),
    )
    .unwrap();
    let err = Replayer::from_file(&file).unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    std::fs::write(&file, "{}\n").unwrap();
    let err = Replayer::from_file(&file).unwrap_err();
    assert!(err.to_string().contains("not a recording"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
