//! Runs the built `boto` binary: help, parameter errors, skeletons, version,
//! configure, and (when `BOTO_TEST_ENDPOINT` names a running moto server)
//! real calls with every output format.

use std::process::{Command, Output};

fn boto(args: &[&str]) -> Output {
    boto_env(args, &[])
}

fn boto_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
    c.args(args)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_OUTPUT")
        .env("AWS_CONFIG_FILE", "/nonexistent/boto-cli-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/boto-cli-test/credentials",
        );
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run boto")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn version() {
    let o = boto(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).starts_with(&format!("boto-cli/{} boto-rs/", env!("CARGO_PKG_VERSION"))),
        "{}",
        stdout(&o)
    );
}

#[test]
fn help_pages() {
    let o = boto(&["help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("AVAILABLE SERVICES"));
    let o = boto(&["s3api", "help"]);
    assert!(stdout(&o).contains("  o put-object\n"), "{}", stdout(&o));
    let o = boto(&["dynamodb", "put-item", "help"]);
    assert_eq!(o.status.code(), Some(0));
    let h = stdout(&o);
    assert!(
        h.contains("SYNOPSIS")
            && h.contains("--table-name <value>")
            && h.contains("--item (map) [required]"),
        "{h}"
    );
}

#[test]
fn usage_errors_exit_252_with_suggestions() {
    let o = boto(&["dynamdb", "list-tables"]);
    assert_eq!(o.status.code(), Some(252));
    assert!(
        stderr(&o).contains("Invalid choice: 'dynamdb', maybe you meant:\n\n  * dynamodb"),
        "{}",
        stderr(&o)
    );
    let o = boto(&["s3api", "list-objets-v2"]);
    assert_eq!(o.status.code(), Some(252));
    assert!(stderr(&o).contains("* list-objects-v2"));
    let o = boto(&["s3api", "get-object", "--bucket", "b"]);
    assert_eq!(o.status.code(), Some(252));
    assert!(
        stderr(&o).contains("the following arguments are required: --key, outfile"),
        "{}",
        stderr(&o)
    );
    let o = boto(&["s3api", "list-objects-v2", "--bucket", "b", "--prefx", "x"]);
    assert_eq!(o.status.code(), Some(252));
    assert!(
        stderr(&o).contains("Unknown options: --prefx, x, did you mean --prefix?"),
        "{}",
        stderr(&o)
    );
    let o = boto(&["ec2", "describe-instances", "--filters", "Name=a,Values=[b"]);
    assert_eq!(o.status.code(), Some(252));
    assert!(
        stderr(&o).contains("Error parsing parameter '--filters'"),
        "{}",
        stderr(&o)
    );
    let o = boto(&["--output", "xml", "sts", "get-caller-identity"]);
    assert_eq!(o.status.code(), Some(252));
    let o = boto(&[]);
    assert_eq!(o.status.code(), Some(252));
}

#[test]
fn generate_cli_skeleton() {
    let o = boto(&["sqs", "send-message", "--generate-cli-skeleton"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("skeleton is JSON");
    assert_eq!(v["QueueUrl"], "");
    assert_eq!(v["DelaySeconds"], 0);
    assert!(
        stdout(&o).starts_with("{\n    \"QueueUrl\": \"\",\n"),
        "{}",
        stdout(&o)
    );
    let o = boto(&[
        "sts",
        "get-caller-identity",
        "--generate-cli-skeleton",
        "output",
    ]);
    assert_eq!(
        stdout(&o),
        "{\n    \"UserId\": \"UserId\",\n    \"Account\": \"Account\",\n    \"Arn\": \"Arn\"\n}\n"
    );
    let args = [
        "sts",
        "get-caller-identity",
        "--generate-cli-skeleton",
        "output",
    ];
    let o = boto_env(&args, &[("AWS_DEFAULT_OUTPUT", "text")]);
    assert_eq!(stdout(&o), "Account\tArn\tUserId\n");
    let o = boto(&[&args[..], &["--output", "yaml", "--query", "Arn"]].concat());
    assert_eq!(stdout(&o), "Arn\n");
}

#[test]
fn completion_scripts_and_candidates() {
    for shell in ["bash", "zsh", "fish"] {
        let o = boto(&["completion", shell]);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("__complete"));
    }
    let o = boto(&["__complete", "s3api", "list-objects-v"]);
    assert_eq!(stdout(&o), "list-objects-v2\n");
}

#[test]
fn configure_set_get_list_never_shows_secrets() {
    let dir = std::env::temp_dir().join(format!("boto-cli-it-{}", std::process::id()));
    let cfg = dir.join("config");
    let creds = dir.join("credentials");
    let env = [
        ("AWS_CONFIG_FILE", cfg.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", creds.to_str().unwrap()),
    ];
    let env: Vec<(&str, &str)> = env.to_vec();
    let run = |args: &[&str]| {
        let mut all = env.clone();
        all.push(("AWS_ACCESS_KEY_ID", ""));
        all.push(("AWS_SECRET_ACCESS_KEY", ""));
        all.push(("AWS_REGION", ""));
        all.push(("AWS_DEFAULT_REGION", ""));
        boto_env(args, &all)
    };
    assert_eq!(
        run(&["configure", "set", "region", "eu-west-1"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&[
            "configure",
            "set",
            "aws_secret_access_key",
            "SECRETSECRETWXYZ"
        ])
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        run(&["configure", "set", "profile.dev.output", "text"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(stdout(&run(&["configure", "get", "region"])), "eu-west-1\n");
    assert_eq!(
        stdout(&run(&["configure", "get", "profile.dev.output"])),
        "text\n"
    );
    assert_eq!(
        run(&["configure", "get", "nothing_here"]).status.code(),
        Some(1)
    );
    let list = stdout(&run(&["configure", "list"]));
    assert!(
        list.contains("****************WXYZ") && !list.contains("SECRETSECRET"),
        "{list}"
    );
    assert!(list.contains("eu-west-1"), "{list}");
    let got = stdout(&run(&["configure", "get", "aws_secret_access_key"]));
    assert!(!got.contains("SECRETSECRET"), "{got}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&creds).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(&cfg).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(std::fs::read_to_string(&cfg)
        .unwrap()
        .contains("[profile dev]\noutput = text\n"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn print_request_builds_and_signs_without_sending() {
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ];
    let o = boto_env(
        &[
            "--print-request",
            "sqs",
            "list-queues",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["method"], "POST");
    assert!(v["url"].as_str().unwrap().starts_with("http://127.0.0.1:9"));
    assert!(v["headers"]
        .as_object()
        .unwrap()
        .keys()
        .any(|k| k.eq_ignore_ascii_case("authorization")));
    assert!(v["body_base64"].is_string());
}

/// Live calls against moto, when `BOTO_TEST_ENDPOINT` is set.
#[test]
fn live_calls_against_moto() {
    let Ok(ep) = std::env::var("BOTO_TEST_ENDPOINT") else {
        eprintln!("skipped live_calls_against_moto: BOTO_TEST_ENDPOINT is not set (start moto_server and export its URL)");
        return;
    };
    let env = [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ];
    let call = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--endpoint-url", ep.as_str()]);
        boto_env(&all, &env)
    };
    let o = call(&["sts", "get-caller-identity"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["Account"].is_string());

    let bucket = format!("boto-cli-it-{}", std::process::id());
    let o = call(&["s3api", "create-bucket", "--bucket", &bucket]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file = std::env::temp_dir().join(format!("{bucket}.txt"));
    std::fs::write(&file, "hello").unwrap();
    for key in ["a.txt", "b.txt", "c.txt"] {
        let o = call(&[
            "s3api",
            "put-object",
            "--bucket",
            &bucket,
            "--key",
            key,
            "--body",
            file.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let o = call(&[
        "s3api",
        "list-objects-v2",
        "--bucket",
        &bucket,
        "--query",
        "Contents[].Key",
        "--output",
        "text",
    ]);
    assert_eq!(stdout(&o), "a.txt\tb.txt\tc.txt\n");
    let o = call(&[
        "s3api",
        "list-objects-v2",
        "--bucket",
        &bucket,
        "--query",
        "Contents[].Key",
    ]);
    assert_eq!(
        stdout(&o),
        "[\n    \"a.txt\",\n    \"b.txt\",\n    \"c.txt\"\n]\n"
    );
    let o = call(&[
        "s3api",
        "list-objects-v2",
        "--bucket",
        &bucket,
        "--query",
        "Contents[].Key",
        "--output",
        "yaml",
    ]);
    assert_eq!(stdout(&o), "- a.txt\n- b.txt\n- c.txt\n");
    let o = call(&[
        "s3api",
        "list-objects-v2",
        "--bucket",
        &bucket,
        "--query",
        "Contents[0].{K: Key, S: Size}",
        "--output",
        "table",
    ]);
    assert!(stdout(&o).contains("|  a.txt |  5  |"), "{}", stdout(&o));
    let o = call(&[
        "s3api",
        "list-objects-v2",
        "--bucket",
        &bucket,
        "--max-items",
        "2",
        "--page-size",
        "1",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["Contents"].as_array().unwrap().len(), 2);
    let token = v["NextToken"]
        .as_str()
        .expect("NextToken when --max-items truncates")
        .to_string();
    let o = call(&[
        "s3api",
        "list-objects-v2",
        "--bucket",
        &bucket,
        "--starting-token",
        &token,
        "--query",
        "Contents[].Key",
        "--output",
        "text",
    ]);
    assert_eq!(stdout(&o), "c.txt\n");
    let out = std::env::temp_dir().join(format!("{bucket}.out"));
    let o = call(&[
        "s3api",
        "get-object",
        "--bucket",
        &bucket,
        "--key",
        "a.txt",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "hello");
    let o = call(&[
        "s3api",
        "get-object",
        "--bucket",
        &bucket,
        "--key",
        "missing",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(254));
    assert!(
        stderr(&o).contains("An error occurred (NoSuchKey) when calling the GetObject operation"),
        "{}",
        stderr(&o)
    );
    let o = call(&[
        "s3api",
        "wait",
        "object-exists",
        "--bucket",
        &bucket,
        "--key",
        "a.txt",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::remove_file(&file).ok();
    std::fs::remove_file(&out).ok();
}
