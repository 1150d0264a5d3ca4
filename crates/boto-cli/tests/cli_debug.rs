//! `boto --debug` prints the wire log (request, status, request id, timing)
//! to stderr and never the secret key, session token or signature.

use std::process::Command;

#[test]
fn debug_log_shows_the_exchange_but_no_secrets() {
    let Ok(endpoint) = std::env::var("BOTO_TEST_ENDPOINT") else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
        return;
    };
    let (secret, token) = (
        "wJalrXUtnFEMIdebugSECRETkey",
        "FwoGZXIvYXdzDEBUGsessionTOKEN",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_boto"))
        .args([
            "--debug",
            "--endpoint-url",
            &endpoint,
            "sts",
            "get-caller-identity",
        ])
        .env("AWS_ACCESS_KEY_ID", "AKIDDEBUGTEST")
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_SESSION_TOKEN", token)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("run boto");
    assert_eq!(out.status.code(), Some(0));
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("sending method=POST"), "{log}");
    assert!(log.contains("response status=200 request_id="), "{log}");
    assert!(log.contains("call succeeded attempt=1"), "{log}");
    assert!(
        !log.contains(secret) && !log.contains(token),
        "secret in the debug log: {log}"
    );
    assert!(
        !log.contains("Signature="),
        "signature in the debug log: {log}"
    );
}

/// What aws-cli's `--debug` is read for: the profile, where the credentials
/// came from, the region, endpoint and auth scheme, the Authorization
/// header's credential scope, each attempt and the retry decisions. No
/// server needed: the endpoint refuses connections, so the log also shows
/// the retries and the final decision. The secret key, session token and
/// signature never appear.
#[test]
fn debug_names_profile_credential_source_endpoint_and_retries() {
    let dir = std::env::temp_dir().join(format!("boto-cli-debug-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (secret, token) = (
        "dbgSECRETkeyNEVERprinted0123",
        "dbgSESSIONtokenNEVERprinted",
    );
    let creds = dir.join("credentials");
    std::fs::write(
        &creds,
        format!(
            "[dbg]\naws_access_key_id = AKIDPROFILEDEBUG\naws_secret_access_key = {secret}\n\
             aws_session_token = {token}\n"
        ),
    )
    .expect("write credentials");
    let config = dir.join("config");
    std::fs::write(&config, "[profile dbg]\nregion = eu-west-1\n").expect("write config");
    // A port nobody listens on: connection refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let out = Command::new(env!("CARGO_BIN_EXE_boto"))
        .args([
            "--debug",
            "--profile",
            "dbg",
            "--endpoint-url",
            &endpoint,
            "sts",
            "get-caller-identity",
        ])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds)
        .env("AWS_MAX_ATTEMPTS", "2")
        .env("AWS_RETRY_MODE", "standard")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run boto");
    let _ = std::fs::remove_dir_all(&dir);
    let log = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "the endpoint refuses: {log}");
    for expected in [
        "Using profile: dbg".to_string(),
        format!(
            "Found credentials in shared credentials file: {}",
            creds.display()
        ),
        "provider=shared-credentials-file".to_string(),
        "Using region: eu-west-1".to_string(),
        format!("Endpoint provider result: {endpoint}"),
        "Selected auth scheme auth=sigv4 signing_name=sts signing_region=eu-west-1".to_string(),
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIDPROFILEDEBUG/".to_string(),
        "/eu-west-1/sts/aws4_request, SignedHeaders=".to_string(),
        "retrying attempt=1".to_string(),
        "not retrying: attempts or retry quota used up attempt=2".to_string(),
    ] {
        assert!(log.contains(&expected), "missing {expected:?} in:\n{log}");
    }
    for secret_text in [secret, token, "Signature="] {
        assert!(
            !log.contains(secret_text),
            "{secret_text:?} in the debug log:\n{log}"
        );
    }
    // The error is printed once, with its cause.
    let last = log
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    assert!(
        last.contains("Could not connect") || last.contains("error"),
        "{log}"
    );
}
