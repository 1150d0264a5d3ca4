//! Event streams against moto, which serves two event-stream operations:
//! S3 SelectObjectContent (rest-xml: Records, Stats, End) and CloudWatch
//! Logs StartLiveTail (json: an `initial-response`, then sessionStart and
//! sessionUpdate). The streamed events equal the buffered call's list, and
//! for S3 Select the events boto3 reads from the same moto server
//! (`BOTO_TEST_PYTHON`, the test venv's interpreter, when set). moto writes
//! the whole body at once, so arrival while streaming is proven by the
//! local-server tests (`event_stream_streaming`, `event_stream_blocking`).

#[macro_use]
mod support;

use boto::{params, Value};
use support::{client, unique, TestResult};

fn select_params(bucket: &str) -> Value {
    params! {
        "Bucket": bucket, "Key": "people.csv",
        "Expression": "SELECT * FROM S3Object",
        "ExpressionType": "SQL",
        "InputSerialization": {"CSV": {"FileHeaderInfo": "USE"}},
        "OutputSerialization": {"JSON": {}},
    }
}

/// boto3's events for the same call, as `[name, records payload or null]`.
fn boto3_select(endpoint: &str, bucket: &str) -> Option<Vec<(String, Option<String>)>> {
    let python = std::env::var("BOTO_TEST_PYTHON").ok()?;
    let script = r#"
import boto3, json, sys
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="testing", aws_secret_access_key="testing")
r = s3.select_object_content(Bucket=sys.argv[2], Key="people.csv",
    Expression="SELECT * FROM S3Object", ExpressionType="SQL",
    InputSerialization={"CSV": {"FileHeaderInfo": "USE"}}, OutputSerialization={"JSON": {}})
out = []
for e in r["Payload"]:
    name = list(e)[0]
    out.append([name, e[name]["Payload"].decode() if name == "Records" else None])
print(json.dumps(out))
"#;
    let out = std::process::Command::new(python)
        .args(["-c", script, endpoint, bucket])
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    Some(
        v.as_array()?
            .iter()
            .map(|e| {
                (
                    e[0].as_str().unwrap_or_default().to_string(),
                    e[1].as_str().map(String::from),
                )
            })
            .collect(),
    )
}

#[tokio::test]
async fn s3_select_object_content_streams_like_boto3() -> TestResult {
    let endpoint = moto_or_skip!();
    let s3 = client(&endpoint, "s3");
    let bucket = unique("es-select");
    s3.call("CreateBucket", params! {"Bucket": (&bucket)})
        .await?;
    let csv = "name,city\nAda,London\nLouis,Paris\nMarie,Paris\n";
    s3.call(
        "PutObject",
        params! {"Bucket": (&bucket), "Key": "people.csv", "Body": csv},
    )
    .await?;

    let out = s3
        .call_event_stream("SelectObjectContent", select_params(&bucket))
        .await?;
    assert_eq!(out.events.member(), "Payload");
    assert_eq!(
        out.value
            .pointer("ResponseMetadata.HTTPStatusCode")
            .as_i64(),
        Some(200)
    );
    let events = out.events.collect().await?;
    let names: Vec<&str> = events
        .iter()
        .filter_map(|e| e.as_map()?.keys().next().map(|k| k.as_str()))
        .collect();
    assert_eq!(names, ["Records", "Stats", "End"], "{events:?}");
    let records = String::from_utf8_lossy(
        events[0]
            .pointer("Records.Payload")
            .as_blob()
            .unwrap_or_default(),
    )
    .into_owned();
    assert!(
        records.contains("Louis") && records.contains("Paris") && records.contains("Ada"),
        "{records}"
    );
    assert!(events[1]
        .pointer("Stats.Details.BytesScanned")
        .as_i64()
        .is_some_and(|n| n > 0));

    // The buffered call lists the same events.
    let buffered = s3
        .call("SelectObjectContent", select_params(&bucket))
        .await?;
    assert_eq!(buffered.get("Payload").as_list_or_empty(), &events[..]);

    // boto3 reads the same events from the same server.
    if let Some(theirs) = boto3_select(&endpoint, &bucket) {
        let ours: Vec<(String, Option<String>)> = names
            .iter()
            .map(|n| {
                let rec = (*n == "Records").then(|| records.clone());
                (n.to_string(), rec)
            })
            .collect();
        assert_eq!(ours, theirs);
    }
    Ok(())
}

#[tokio::test]
async fn logs_start_live_tail_reads_the_initial_response_first() -> TestResult {
    let endpoint = moto_or_skip!();
    let session = support::session();
    let mut config = session.client_config("logs", &support::options(&endpoint))?;
    // StartLiveTail's `streaming-` host prefix does not resolve on 127.0.0.1.
    config.disable_host_prefix_injection = true;
    let logs = boto::Client::builder("logs")
        .config(config)
        .credentials(session.credentials_provider()?)
        .build()?;
    let group = unique("es-tail");
    logs.call("CreateLogGroup", params! {"logGroupName": (&group)})
        .await?;
    let arn = format!("arn:aws:logs:us-east-1:123456789012:log-group:{group}");
    let out = logs
        .call_event_stream("StartLiveTail", params! {"logGroupIdentifiers": [(&arn)]})
        .await?;
    assert_eq!(out.events.member(), "responseStream");
    assert!(out.value.get("responseStream").is_null());
    let events = out.events.collect().await?;
    assert!(
        events
            .first()
            .is_some_and(|e| !e.get("sessionStart").is_null()),
        "{events:?}"
    );
    assert!(events.iter().any(|e| !e.get("sessionUpdate").is_null()));
    Ok(())
}
