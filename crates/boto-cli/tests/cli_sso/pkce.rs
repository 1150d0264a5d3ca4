//! The PKCE (authorization code) flow with the test as the browser, logout, a redirect with the wrong state.

use super::*;

/// Starts `boto sso login` for the sso-session profile and returns the child
/// and the authorize URL it printed.
fn start_pkce(home: &Path, fake: &FakeSso) -> (std::process::Child, String) {
    let mut c = boto(home, fake);
    c.args(["sso", "login", "--profile", "dev", "--no-browser"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawn boto");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let prefix = format!("{}/authorize?", fake.url());
    let url = loop {
        match lines.next() {
            Some(Ok(l)) if l.starts_with(&prefix) => break l,
            Some(Ok(_)) => continue,
            _ => {
                let out = child.wait_with_output().unwrap();
                panic!(
                    "no authorize URL; stderr: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

#[test]
fn pkce_flow_with_the_test_as_browser_then_logout() {
    let fake = FakeSso::start(vec![]);
    let home = home("pkce");
    let (child, url) = start_pkce(&home, &fake);

    // The authorize URL as aws-cli v2 builds it.
    let query = url.split_once('?').unwrap().1;
    let keys: Vec<&str> = query
        .split('&')
        .map(|p| p.split('=').next().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "response_type",
            "client_id",
            "redirect_uri",
            "state",
            "code_challenge_method",
            "scopes",
            "code_challenge"
        ]
    );
    assert!(
        query.starts_with(
            "response_type=code&client_id=client-1&redirect_uri=http%3A%2F%2F127.0.0.1%3A"
        ),
        "{url}"
    );
    assert!(query.contains("%2Foauth%2Fcallback&state="), "{url}");
    assert!(
        query.contains("&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge="),
        "{url}"
    );
    let reg = &fake.requests("/client/register")[0].body;
    assert_eq!(
        reg["grantTypes"],
        serde_json::json!(["authorization_code", "refresh_token"])
    );
    assert_eq!(
        reg["redirectUris"],
        serde_json::json!(["http://127.0.0.1/oauth/callback"])
    );
    assert_eq!(reg["issuerUrl"], START_URL);
    assert_eq!(reg["clientName"], "botocore-client-corp");
    assert_eq!(reg["scopes"], serde_json::json!(["sso:account:access"]));

    // Browser: the authorize page redirects to the loopback listener.
    let (status, location, _) = http_get(&url);
    assert_eq!(status, 302);
    let location = location.unwrap();
    assert!(location.starts_with("http://127.0.0.1:"), "{location}");
    // A stray request (favicon) is answered and ignored.
    let loopback = location.split("/oauth").next().unwrap().to_string();
    assert_eq!(http_get(&format!("{loopback}/favicon.ico")).0, 200);
    let (status, _, page) = http_get(&location);
    assert_eq!(status, 200);
    assert!(page.contains("close this window"));

    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let create = fake.requests("/token");
    assert_eq!(create.len(), 1);
    assert_eq!(create[0].body["grantType"], "authorization_code");
    assert_eq!(create[0].body["codeVerifier"].as_str().unwrap().len(), 64);
    // sso-session: file named after the session.
    let path = cache_file(&home, "corp");
    let token = check_token_file(&path, "pkce-access-1");
    assert_eq!(token["refreshToken"], "pkce-refresh");

    // Credentials through the SSO provider, in the env format.
    let out = run({
        let mut c = boto(&home, &fake);
        c.args([
            "configure",
            "export-credentials",
            "--profile",
            "dev",
            "--format",
            "env",
        ]);
        c
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "export AWS_ACCESS_KEY_ID=ASIAFAKE444455556666");
    assert_eq!(lines[1], "export AWS_SECRET_ACCESS_KEY=fakeSsoSecretKey");
    assert_eq!(lines[2], "export AWS_SESSION_TOKEN=fakeSsoSessionToken");
    assert!(
        lines[3].starts_with("export AWS_CREDENTIAL_EXPIRATION=") && lines[3].ends_with("+00:00")
    );

    // botocore (the test venv) reads the cache boto wrote.
    botocore_reads_cache(&home, &fake);

    // Logout: Logout called with the token, token files and SSO-cached CLI credentials removed.
    let cli_cache = home.join(".aws/cli/cache");
    std::fs::create_dir_all(&cli_cache).unwrap();
    std::fs::write(
        cli_cache.join("sso.json"),
        r#"{"ProviderType": "sso", "Credentials": {}}"#,
    )
    .unwrap();
    std::fs::write(
        cli_cache.join("role.json"),
        r#"{"ProviderType": "assume-role"}"#,
    )
    .unwrap();
    let out = run({
        let mut c = boto(&home, &fake);
        c.args(["sso", "logout"]);
        c
    });
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, b"");
    assert_eq!(
        fake.state.lock().unwrap().logouts,
        vec!["pkce-access-1".to_string()]
    );
    assert!(!path.exists());
    let left: Vec<_> = std::fs::read_dir(home.join(".aws/sso/cache"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(left.len(), 1, "the client registration stays");
    assert!(!cli_cache.join("sso.json").exists());
    assert!(cli_cache.join("role.json").exists());
    // Without a token the provider now fails, naming the missing token and no secret.
    let out = run({
        let mut c = boto(&home, &fake);
        c.args(["configure", "export-credentials", "--profile", "dev"]);
        c
    });
    assert_eq!(out.status.code(), Some(253));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Unable to retrieve credentials"), "{err}");
    assert!(
        !err.contains("fakeSso") && !err.contains("pkce-access"),
        "{err}"
    );
}

fn botocore_reads_cache(home: &Path, fake: &FakeSso) {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.data/venv/bin/python");
    if !python.exists() {
        eprintln!("botocore interop skipped: .data/venv not set up (scripts/lib.sh)");
        return;
    }
    let script = "import botocore.session\n\
                  s = botocore.session.Session(profile='dev')\n\
                  c = s.get_credentials().get_frozen_credentials()\n\
                  print(c.access_key)\n";
    let out = Command::new(python)
        .args(["-c", script])
        .env_clear()
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join(".aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
        .env("AWS_ENDPOINT_URL_SSO", fake.url())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run python");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "ASIAFAKE444455556666",
        "botocore with boto's cache: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pkce_redirect_with_the_wrong_state_is_rejected() {
    let fake = FakeSso::start(vec![]);
    let home = home("state");
    let (child, url) = start_pkce(&home, &fake);
    let (_, location, _) = http_get(&url);
    let location = location.unwrap();
    let forged = format!(
        "{}state=not-the-state",
        location.split("state=").next().unwrap()
    );
    assert_eq!(http_get(&forged).0, 200);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(255));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "Error loading authorization code: State parameter does not match expected value."
        ),
        "{err}"
    );
    assert!(fake.requests("/token").is_empty(), "no code exchange");
    assert!(!cache_file(&home, "corp").exists());
}
