//! The device-authorization flow: polling through pending and slow_down, the cache aws-cli writes, an expired authorization.

use super::*;

#[test]
fn device_flow_polls_through_pending_and_slow_down_and_caches_like_aws_cli() {
    let fake = FakeSso::start(vec!["pending", "pending", "slow_down"]);
    let home = home("device");
    let started = Instant::now();
    let out = run({
        let mut c = boto(&home, &fake);
        c.args(["sso", "login", "--profile", "legacy", "--no-browser"]);
        c
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // aws-cli's PrintOnlyHandler text, then its success line.
    let url = fake.url();
    assert!(
        stdout.contains(&format!(
            "Browser will not be automatically opened.\nPlease visit the following URL:\n\n{url}/device\n\n\
             Then enter the code:\n\nABCD-EFGH\n\nAlternatively, you may visit the following URL which will \
             autofill the code upon loading:\n{url}/device?user_code=ABCD-EFGH\n"
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "Successfully logged into Start URL: {START_URL}\n"
        )),
        "{stdout}"
    );

    // Register (no grant types: device flow), authorize, then 4 CreateToken polls.
    let reg = fake.requests("/client/register");
    assert_eq!(reg.len(), 1);
    assert_eq!(reg[0].body["clientType"], "public");
    assert!(reg[0].body["clientName"]
        .as_str()
        .unwrap()
        .starts_with("botocore-client-1"));
    assert!(reg[0].body.get("grantTypes").is_none());
    assert_eq!(
        fake.requests("/device_authorization")[0].body["startUrl"],
        START_URL
    );
    let polls = fake.requests("/token");
    assert_eq!(polls.len(), 4, "pending, pending, slow_down, ok");
    assert!(polls
        .iter()
        .all(|p| p.body["grantType"] == "urn:ietf:params:oauth:grant-type:device_code"));
    // interval 0, then +5 s after slow_down.
    let gap = polls[3].at - polls[2].at;
    assert!(gap >= Duration::from_secs(5), "slow_down honoured: {gap:?}");
    assert!(polls[2].at - polls[0].at < Duration::from_secs(3));
    assert!(started.elapsed() < Duration::from_secs(30));

    // Legacy profile: file named after the start URL.
    let token = check_token_file(&cache_file(&home, START_URL), "device-access-1");
    assert_eq!(token["clientId"], "client-1");
    assert_eq!(token["refreshToken"], "device-refresh");
    // The registration is cached under aws-cli's key.
    let regs: Vec<_> = std::fs::read_dir(home.join(".aws/sso/cache"))
        .unwrap()
        .flatten()
        .filter(|e| e.path() != cache_file(&home, START_URL))
        .collect();
    assert_eq!(regs.len(), 1, "one registration file");
    let reg_text = std::fs::read_to_string(regs[0].path()).unwrap();
    assert!(
        reg_text.starts_with(
            "{\"clientId\": \"client-1\", \"clientSecret\": \"client-secret-1\", \"expiresAt\": \""
        ),
        "{reg_text}"
    );

    // A second login reuses the cached registration; --debug logs the
    // exchange but never the token, refresh token or client secret.
    let out = run({
        let mut c = boto(&home, &fake);
        c.args([
            "--debug",
            "sso",
            "login",
            "--profile",
            "legacy",
            "--no-browser",
        ]);
        c
    });
    assert_eq!(out.status.code(), Some(0));
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("DEBUG"), "{log}");
    for secret in [
        "device-access",
        "device-refresh",
        "client-secret-1",
        "device-code-1",
    ] {
        assert!(!log.contains(secret), "{secret} in the debug log: {log}");
    }
    assert_eq!(
        fake.requests("/client/register").len(),
        1,
        "registration reused"
    );
    check_token_file(&cache_file(&home, START_URL), "device-access-2");

    // The SSO credential provider uses the cached token: export-credentials.
    let out = run({
        let mut c = boto(&home, &fake);
        c.args([
            "--debug",
            "configure",
            "export-credentials",
            "--profile",
            "legacy",
        ]);
        c
    });
    let log = String::from_utf8_lossy(&out.stderr);
    // The bearer token travels in `x-amz-sso_bearer_token`, which the
    // pipeline's wire log redacts like `Authorization`.
    for secret in ["fakeSsoSecretKey", "fakeSsoSessionToken", "device-access-2"] {
        assert!(!log.contains(secret), "{secret} in the debug log: {log}");
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let creds: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(creds["Version"], 1);
    assert_eq!(creds["AccessKeyId"], "ASIAFAKE111122223333");
    assert_eq!(creds["SessionToken"], "fakeSsoSessionToken");
    assert!(creds["Expiration"].as_str().unwrap().ends_with("+00:00"));
    let fed = fake.requests("/federation/credentials");
    assert_eq!(
        fed.last().unwrap().headers["x-amz-sso_bearer_token"],
        "device-access-2"
    );
}

#[test]
fn expired_device_authorization_stops_with_aws_cli_message() {
    let fake = FakeSso::start(vec!["pending", "expired"]);
    let home = home("expired");
    let out = run({
        let mut c = boto(&home, &fake);
        c.args(["sso", "login", "--profile", "legacy", "--no-browser"]);
        c
    });
    assert_eq!(out.status.code(), Some(255));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("The pending authorization to retrieve an SSO token has expired."),
        "{err}"
    );
    assert!(!cache_file(&home, START_URL).exists());
}
