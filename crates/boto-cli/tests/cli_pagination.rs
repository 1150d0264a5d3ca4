//! `boto` auto-pagination over 2,500 S3 keys against moto: merged pages,
//! `--max-items` with a resumable `NextToken`, `--starting-token`,
//! `--page-size` and `--no-paginate`, as aws-cli does them.

use boto::{params, ClientOptions, Session, Value};
use std::collections::BTreeSet;
use std::process::Command;

fn boto(endpoint: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_boto"))
        .args(args)
        .args(["--endpoint-url", endpoint, "--output", "json"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("run boto");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    v["Contents"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|o| o["Key"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_pagination_over_2500_keys() {
    let Ok(endpoint) = std::env::var("BOTO_TEST_ENDPOINT") else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
        return;
    };
    let session = Session::builder()
        .region("us-east-1")
        .credentials("testing", "testing", None)
        .build()
        .unwrap();
    let s3 = session
        .client_with(
            "s3",
            &ClientOptions {
                endpoint_url: Some(endpoint.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    let bucket = format!("cli-pages-{}", std::process::id());
    s3.call("CreateBucket", params! {"Bucket": (bucket.as_str())})
        .await
        .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in 0..25 {
        let (s3, bucket) = (s3.clone(), bucket.clone());
        tasks.spawn(async move {
            for i in 0..100 {
                let key = format!("images/{:04}.jpg", chunk * 100 + i);
                s3.call("PutObject", params! {"Bucket": (bucket.as_str()), "Key": (key), "Body": (Value::blob(b"x".to_vec()))})
                    .await
                    .unwrap();
            }
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }

    // The blocking CLI runs in its own process; keep the runtime free meanwhile.
    let ep = endpoint.clone();
    let b = bucket.clone();
    tokio::task::spawn_blocking(move || {
        let all = boto(&ep, &["s3api", "list-objects-v2", "--bucket", &b]);
        let all_keys = keys(&all);
        assert_eq!(all_keys.len(), 2500, "three pages merged");
        assert_eq!(all_keys.iter().collect::<BTreeSet<_>>().len(), 2500);
        assert!(all.get("NextToken").is_none());

        let n = boto(
            &ep,
            &[
                "s3api",
                "list-objects-v2",
                "--bucket",
                &b,
                "--query",
                "length(Contents)",
            ],
        );
        assert_eq!(n, serde_json::json!(2500));

        let first = boto(
            &ep,
            &[
                "s3api",
                "list-objects-v2",
                "--bucket",
                &b,
                "--max-items",
                "1200",
            ],
        );
        let token = first["NextToken"]
            .as_str()
            .expect("NextToken after --max-items")
            .to_string();
        let rest = boto(
            &ep,
            &[
                "s3api",
                "list-objects-v2",
                "--bucket",
                &b,
                "--starting-token",
                &token,
            ],
        );
        let mut resumed = keys(&first);
        assert_eq!(resumed.len(), 1200);
        resumed.extend(keys(&rest));
        assert_eq!(
            resumed, all_keys,
            "resuming yields exactly the remaining keys, in order"
        );

        let small = boto(
            &ep,
            &[
                "s3api",
                "list-objects-v2",
                "--bucket",
                &b,
                "--page-size",
                "700",
                "--query",
                "length(Contents)",
            ],
        );
        assert_eq!(small, serde_json::json!(2500));
        let one = boto(
            &ep,
            &[
                "s3api",
                "list-objects-v2",
                "--bucket",
                &b,
                "--no-paginate",
                "--query",
                "length(Contents)",
            ],
        );
        assert_eq!(
            one,
            serde_json::json!(1000),
            "--no-paginate returns one page"
        );
    })
    .await
    .unwrap();
}
