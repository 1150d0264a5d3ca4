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
