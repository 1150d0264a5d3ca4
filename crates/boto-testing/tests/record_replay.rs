//! HTTP record/replay against moto: the SDK's S3 walkthrough
//! (`crates/boto/examples/s3_walkthrough.rs`: create, 26 puts, list, paginate,
//! wait, stream a body, a NoSuchKey error, batch delete) plus an STS
//! AssumeRole is recorded once against moto, then replayed with the endpoint
//! pointing at a closed port; the results must be identical and the recording
//! must hold no credential, signature or token. Needs BOTO_TEST_ENDPOINT
//! (scripts/test.sh starts moto); skips with a notice otherwise.

use boto::{params, Client, ClientOptions, Error, Session, Value};
use boto_testing::{Recorder, Replayer};
use std::time::Duration;

const ACCESS_KEY: &str = "AKIDRECORDTEST0000001";
const SECRET_KEY: &str = "recording-secret-key-must-not-leak-0123";
const TOKEN: &str = "recording-session-token-must-not-leak-4567";

fn session(with_credentials: bool) -> Session {
    let mut b =
        Session::builder()
            .region("us-east-1")
            .env(boto::core::auth::config::Env::from_vars(Vec::<(
                String,
                String,
            )>::new(
            )));
    if with_credentials {
        b = b.credentials(ACCESS_KEY, SECRET_KEY, Some(TOKEN));
    }
    b.build().unwrap()
}

fn options(endpoint: &str) -> ClientOptions {
    ClientOptions {
        endpoint_url: Some(endpoint.to_string()),
        ..Default::default()
    }
}

/// The walkthrough; returns everything it observed.
async fn walkthrough(s3: &Client, bucket: &str) -> Result<Vec<String>, Error> {
    let mut seen = Vec::new();
    let mut note = |what: &str, v: &Value| seen.push(format!("{what}: {}", v.to_json()));
    note(
        "create",
        &s3.call("CreateBucket", params! {"Bucket": bucket}).await?,
    );
    for i in 0..25 {
        let key = format!("images/photo-{i:03}.jpg");
        let body = Value::blob(format!("pixels of photo {i}").into_bytes());
        let out = s3
            .call(
                "PutObject",
                params! {"Bucket": bucket, "Key": (key), "Body": body},
            )
            .await?;
        note("put", &out);
    }
    let notes = Value::blob(b"hi".to_vec());
    let out = s3
        .call(
            "PutObject",
            params! {"Bucket": bucket, "Key": "notes.txt", "Body": notes},
        )
        .await?;
    note("put", &out);
    let page = s3
        .call(
            "ListObjectsV2",
            params! {"Bucket": bucket, "Prefix": "images/", "MaxKeys": 10},
        )
        .await?;
    note("list", &page);
    let mut pages = s3
        .paginate(
            "ListObjectsV2",
            params! {"Bucket": bucket, "Prefix": "images/"},
        )?
        .page_size(10);
    while let Some(page) = pages.next_page().await {
        note("page", &page?);
    }
    let config = boto::core::runtime::waiter::WaiterConfig {
        delay: Some(Duration::from_millis(100)),
        max_attempts: Some(5),
    };
    let waited = s3
        .waiter("object_exists")?
        .wait(params! {"Bucket": bucket, "Key": "notes.txt"}, config)
        .await?;
    note("wait", &waited);
    let out = s3
        .call_stream(
            "GetObject",
            params! {"Bucket": bucket, "Key": "images/photo-007.jpg"},
            None,
        )
        .await?;
    let body = out.body.expect("a streamed body").collect().await?;
    note("get", &out.value);
    note("body", &Value::blob(body));
    match s3
        .call(
            "GetObject",
            params! {"Bucket": bucket, "Key": "missing.txt"},
        )
        .await
    {
        Err(e) => note("error", &Value::from(format!("{e} {:?}", e.status()))),
        Ok(v) => note("unexpected", &v),
    }
    let all = s3
        .paginate("ListObjectsV2", params! {"Bucket": bucket})?
        .build_full_result()
        .await?;
    let objects: Vec<Value> = all
        .get("Contents")
        .as_list()
        .unwrap_or_default()
        .iter()
        .map(|o| params! {"Key": (o.get("Key").clone())})
        .collect();
    note(
        "delete",
        &s3.call(
            "DeleteObjects",
            params! {"Bucket": bucket, "Delete": {"Objects": objects}},
        )
        .await?,
    );
    note(
        "drop",
        &s3.call("DeleteBucket", params! {"Bucket": bucket}).await?,
    );
    Ok(seen)
}

/// An STS AssumeRole: the returned secret and token must not be recorded.
async fn assume_role(sts: &Client) -> Result<(String, Value), Error> {
    let out = sts
        .call(
            "AssumeRole",
            params! {"RoleArn": "arn:aws:iam::123456789012:role/recorded", "RoleSessionName": "rec"},
        )
        .await?;
    let arn = out.pointer("AssumedRoleUser.Arn").to_json().to_string();
    Ok((arn, out.get("Credentials").clone()))
}

#[tokio::test]
async fn walkthrough_recorded_against_moto_replays_offline() {
    let Ok(endpoint) = std::env::var("BOTO_TEST_ENDPOINT") else {
        println!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("boto-testing-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("walkthrough.jsonl");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let bucket = format!("boto-testing-rr-{}-{nanos}", std::process::id());

    // Record against moto.
    let live = session(true);
    let recorder = Recorder::new(&file).unwrap();
    let s3 = recorder.client(&live, "s3", &options(&endpoint)).unwrap();
    let sts = recorder.client(&live, "sts", &options(&endpoint)).unwrap();
    let recorded = walkthrough(&s3, &bucket).await.unwrap();
    let (role_arn, creds) = assume_role(&sts).await.unwrap();
    assert_eq!(recorded.len(), 37);
    assert!(recorded.iter().any(|l| l.contains("NoSuchKey")));
    let exchanges = recorder.len();
    assert!(exchanges >= 35, "{exchanges} exchanges");

    // No secret in the file: neither ours nor the ones STS handed out.
    let text = std::fs::read_to_string(&file).unwrap();
    let issued_secret = creds.get("SecretAccessKey").as_str().unwrap().to_string();
    let issued_token = creds.get("SessionToken").as_str().unwrap().to_string();
    for secret in [ACCESS_KEY, SECRET_KEY, TOKEN, &issued_secret, &issued_token] {
        assert!(
            !secret.is_empty() && !text.contains(secret),
            "a secret leaked into the recording"
        );
    }
    assert!(
        !text.contains("Signature="),
        "a signature leaked into the recording"
    );
    assert!(text.contains("[redacted]"));
    assert_eq!(text.lines().count(), exchanges + 1);

    // Replay with moto unreachable: a port nothing listens on, no credentials.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let replayer = Replayer::from_file(&file).unwrap();
    let offline = session(false);
    let s3 = replayer.client(&offline, "s3", &options(&dead)).unwrap();
    let sts = replayer.client(&offline, "sts", &options(&dead)).unwrap();
    let replayed = walkthrough(&s3, &bucket).await.unwrap();
    assert_eq!(recorded, replayed);
    let (replayed_arn, replayed_creds) = assume_role(&sts).await.unwrap();
    assert_eq!(role_arn, replayed_arn);
    assert_eq!(
        replayed_creds.get("SessionToken").as_str(),
        Some("[redacted]")
    );
    assert_eq!(replayer.unused(), 0);

    // A request that was never recorded fails clearly, without retrying.
    let err = s3
        .call("HeadBucket", params! {"Bucket": "never-recorded"})
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("no recording for HEAD /never-recorded"),
        "{msg}"
    );
    assert_eq!(err.retry_attempts(), 0);
    // Replaying the whole recording again needs a fresh replayer.
    let err = walkthrough(&s3, &bucket).await.unwrap_err();
    assert!(err.to_string().contains("no recording for PUT"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
