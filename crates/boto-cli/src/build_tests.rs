//! Tests of parameter building against the embedded botocore models.

use super::*;
use crate::args::parse_op_args;
use crate::cmdtable::{find_operation, op_spec, OpSpec};
use boto_model::{value, Loader};

fn spec(service: &str, op: &str) -> Option<OpSpec> {
    if Loader::embedded_file_count() == 0 {
        eprintln!("skipped: this build embeds no models");
        return None;
    }
    let model_name = crate::cmdtable::model_name(service)?;
    let m = Loader::global().service_model(&model_name).ok()?;
    let i = find_operation(&m, op)?;
    Some(op_spec(service, m, i))
}

fn run(service: &str, op: &str, words: &[&str]) -> Option<Result<Value, CliError>> {
    let s = spec(service, op)?;
    let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    Some(
        parse_op_args(&s, &words)
            .and_then(|a| build(&s, &a, BinaryFormat::Base64))
            .map(|b| b.params),
    )
}

#[test]
fn scalars_lists_and_booleans() {
    let Some(r) = run(
        "s3api",
        "list-objects-v2",
        &["--bucket", "b", "--max-keys", "5", "--fetch-owner"],
    ) else {
        return;
    };
    assert_eq!(
        r.unwrap(),
        value!({"Bucket": "b", "MaxKeys": 5, "FetchOwner": true})
    );
    let r = run(
        "s3api",
        "list-objects-v2",
        &["--bucket=b", "--no-fetch-owner"],
    )
    .unwrap();
    assert_eq!(r.unwrap(), value!({"Bucket": "b", "FetchOwner": false}));
    let r = run(
        "ec2",
        "describe-instances",
        &["--instance-ids", "i-1", "i-2"],
    )
    .unwrap();
    assert_eq!(r.unwrap(), value!({"InstanceIds": ["i-1", "i-2"]}));
}

#[test]
fn shorthand_and_json_values() {
    let Some(r) = run(
        "ec2",
        "describe-instances",
        &[
            "--filters",
            "Name=tag:Env,Values=prod,dev",
            "Name=x,Values=[y]",
        ],
    ) else {
        return;
    };
    assert_eq!(
        r.unwrap(),
        value!({"Filters": [{"Name": "tag:Env", "Values": ["prod", "dev"]}, {"Name": "x", "Values": ["y"]}]})
    );
    let r = run(
        "ec2",
        "describe-instances",
        &["--filters", "Name=a,Values=b"],
    )
    .unwrap();
    assert_eq!(
        r.unwrap(),
        value!({"Filters": [{"Name": "a", "Values": ["b"]}]})
    );
    let r = run(
        "ec2",
        "describe-instances",
        &["--filters", r#"[{"Name": "a", "Values": ["b"]}]"#],
    )
    .unwrap();
    assert_eq!(
        r.unwrap(),
        value!({"Filters": [{"Name": "a", "Values": ["b"]}]})
    );
    let r = run(
        "dynamodb",
        "put-item",
        &[
            "--table-name",
            "t",
            "--item",
            r#"{"k": {"S": "v"}, "n": {"N": "1"}}"#,
        ],
    )
    .unwrap();
    assert_eq!(
        r.unwrap(),
        value!({"TableName": "t", "Item": {"k": {"S": "v"}, "n": {"N": "1"}}})
    );
    let r = run(
        "dynamodb",
        "get-item",
        &["--table-name", "t", "--key", "k={S=v}"],
    )
    .unwrap();
    assert_eq!(
        r.unwrap(),
        value!({"TableName": "t", "Key": {"k": {"S": "v"}}})
    );
}

#[test]
fn blobs_are_base64_unless_raw() {
    let Some(s) = spec("kms", "encrypt") else {
        return;
    };
    let words: Vec<String> = ["--key-id", "k", "--plaintext", "aGVsbG8="]
        .iter()
        .map(|w| w.to_string())
        .collect();
    let a = parse_op_args(&s, &words).unwrap();
    assert_eq!(
        build(&s, &a, BinaryFormat::Base64)
            .unwrap()
            .params
            .get("Plaintext"),
        &Value::blob(b"hello".to_vec())
    );
    assert_eq!(
        build(&s, &a, BinaryFormat::RawInBase64Out)
            .unwrap()
            .params
            .get("Plaintext"),
        &Value::blob(b"aGVsbG8=".to_vec())
    );
    let words: Vec<String> = ["--key-id", "k", "--plaintext", "not base64!"]
        .iter()
        .map(|w| w.to_string())
        .collect();
    let e = build(
        &s,
        &parse_op_args(&s, &words).unwrap(),
        BinaryFormat::Base64,
    )
    .unwrap_err();
    assert!(e.message.contains("Invalid base64"), "{}", e.message);
}

#[test]
fn timestamps_iso_and_epoch() {
    let Some(r) = run(
        "cloudwatch",
        "get-metric-statistics",
        &[
            "--namespace",
            "n",
            "--metric-name",
            "m",
            "--start-time",
            "2024-05-01T12:00:00Z",
            "--end-time",
            "1714564800",
            "--period",
            "60",
        ],
    ) else {
        return;
    };
    let v = r.unwrap();
    assert_eq!(
        v.get("StartTime"),
        &Value::Timestamp(Timestamp::from_epoch_secs(1714564800))
    );
    assert_eq!(
        v.get("EndTime"),
        &Value::Timestamp(Timestamp::from_epoch_secs(1714564800))
    );
}

#[test]
fn errors_are_reported_like_aws_cli() {
    let Some(r) = run("s3api", "get-object", &["--bucket", "b", "out.txt"]) else {
        return;
    };
    let e = r.unwrap_err();
    assert_eq!(e.code, 252);
    assert_eq!(e.message, "the following arguments are required: --key");
    let e = run(
        "s3api",
        "list-objects-v2",
        &["--bucket", "b", "--max-keys", "abc"],
    )
    .unwrap()
    .unwrap_err();
    assert!(e.message.contains("MaxKeys"), "{}", e.message);
    let e = run(
        "s3api",
        "list-objects-v2",
        &["--bucket", "b", "--prefx", "p"],
    )
    .unwrap()
    .unwrap_err();
    assert_eq!(
        e.message,
        "Unknown options: --prefx, p, did you mean --prefix?"
    );
    let e = run("ec2", "describe-instances", &["--filters", "Nme=a"])
        .unwrap()
        .unwrap_err();
    assert!(
        e.message
            .contains("Unknown parameter in Filters[0]: \"Nme\", must be one of: Name, Values"),
        "{}",
        e.message
    );
    let e = run("ec2", "create-tags", &["--resources", "r", "--tags", "Key"])
        .unwrap()
        .unwrap_err();
    assert!(
        e.message
            .starts_with("Error parsing parameter '--tags': Expected: '='"),
        "{}",
        e.message
    );
    let e = run(
        "dynamodb",
        "put-item",
        &["--table-name", "t", "--item", "{bad json"],
    )
    .unwrap()
    .unwrap_err();
    assert!(e.message.contains("Invalid JSON"), "{}", e.message);
}

#[test]
fn cli_input_json_merges_under_arguments() {
    let Some(s) = spec("s3api", "list-objects-v2") else {
        return;
    };
    let words: Vec<String> = [
        "--cli-input-json",
        r#"{"Bucket": "from-json", "Prefix": "p"}"#,
        "--bucket",
        "cli",
    ]
    .iter()
    .map(|w| w.to_string())
    .collect();
    let a = parse_op_args(&s, &words).unwrap();
    assert_eq!(
        build(&s, &a, BinaryFormat::Base64).unwrap().params,
        value!({"Prefix": "p", "Bucket": "cli"})
    );
    let words: Vec<String> = ["--cli-input-yaml", "Bucket: y\nMaxKeys: 3\n"]
        .iter()
        .map(|w| w.to_string())
        .collect();
    let a = parse_op_args(&s, &words).unwrap();
    assert_eq!(
        build(&s, &a, BinaryFormat::Base64).unwrap().params,
        value!({"Bucket": "y", "MaxKeys": 3})
    );
}

#[test]
fn skeletons_follow_botocore() {
    let Some(s) = spec("ec2", "describe-instances") else {
        return;
    };
    let r = s.input_ref().unwrap();
    let sk = skeleton(&s.model, r.target, false);
    assert_eq!(sk.get("Filters"), &value!([{"Name": "", "Values": [""]}]));
    assert_eq!(sk.get("DryRun"), &Value::Bool(true));
    assert_eq!(sk.get("MaxResults"), &Value::Integer(0));
}

#[test]
fn never_panics_on_hostile_words() {
    let words = [
        "",
        "-",
        "--",
        "---",
        "=",
        "--=",
        "--bucket=",
        "[",
        "{",
        "]",
        "}",
        "[{",
        "a=",
        "=b",
        "a=[",
        "a={b=",
        "'",
        "\"",
        "file://",
        "fileb://",
        "file:///nonexistent",
        "é",
        "Name=é,Values=[ü]",
        "{\"a\":",
        "[1,2",
        "null",
        "true",
        "9999999999999999999999",
        "-1",
        "1e400",
        "nan",
        "\u{0}",
        "Key=a,Key=b",
        "--no-",
        "--cli-input-json",
        "--generate-cli-skeleton",
        "--max-items",
        "help",
    ];
    for (service, op) in [
        ("ec2", "describe-instances"),
        ("s3api", "put-object"),
        ("dynamodb", "put-item"),
        ("kms", "encrypt"),
    ] {
        let Some(s) = spec(service, op) else { return };
        let names: Vec<String> = s.args.iter().map(|a| format!("--{}", a.name)).collect();
        for name in names.iter().take(8) {
            for w in words {
                for w2 in ["", "x", w] {
                    let argv: Vec<String> = [name.as_str(), w, w2]
                        .iter()
                        .filter(|x| !x.is_empty())
                        .map(|x| x.to_string())
                        .collect();
                    if let Ok(a) = parse_op_args(&s, &argv) {
                        let _ = build(&s, &a, BinaryFormat::Base64);
                    }
                }
            }
        }
    }
}
