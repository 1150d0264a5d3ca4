//! `boto sso login` / `boto sso logout` / `boto configure export-credentials`
//! against a local fake SSO-OIDC + SSO portal (`cli_sso_support`), pointed at
//! with `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL_SSO`.
//!
//! The token cache must be what aws-cli v2 writes (`awscli/customizations/sso/utils.py`
//! and `SSOTokenFetcher*` in its vendored `botocore/utils.py`, branch v2):
//! `~/.aws/sso/cache/<sha1(session name | start URL)>.json`, Python `json.dumps`
//! text with the keys startUrl, region, accessToken, expiresAt, clientId,
//! clientSecret, registrationExpiresAt, refreshToken in that order, mode 0600.
//! When the test venv (`.data/venv`, botocore 1.43.67) exists, botocore itself
//! reads the cache boto wrote and gets role credentials with it.

mod cli_sso_support;

use cli_sso_support::{http_get, FakeSso};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const START_URL: &str = "https://d-fake.awsapps.com/start";

fn home(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-sso-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".aws")).unwrap();
    std::fs::write(
        dir.join(".aws/config"),
        format!(
            "[profile legacy]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n\
             sso_account_id = 111122223333\nsso_role_name = Dev\n\n\
             [profile dev]\nsso_session = corp\nsso_account_id = 444455556666\nsso_role_name = Admin\n\
             region = eu-west-1\n\n\
             [sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n\
             sso_registration_scopes = sso:account:access\n"
        ),
    )
    .unwrap();
    dir
}

fn boto(home: &Path, fake: &FakeSso) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join(".aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
        .env("AWS_ENDPOINT_URL_SSO_OIDC", fake.url())
        .env("AWS_ENDPOINT_URL_SSO", fake.url())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("BROWSER", "true");
    c
}

fn run(mut c: Command) -> Output {
    c.output().expect("run boto")
}

fn sha1_hex(s: &str) -> String {
    // The name aws-cli gives the file; computed by Python when available, else by the crate under test's rule.
    let out = Command::new("python3")
        .args([
            "-c",
            "import hashlib,sys;print(hashlib.sha1(sys.argv[1].encode()).hexdigest())",
            s,
        ])
        .output()
        .expect("python3 for sha1");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn cache_file(home: &Path, key_input: &str) -> PathBuf {
    home.join(".aws/sso/cache")
        .join(format!("{}.json", sha1_hex(key_input)))
}

/// The file text must be Python json.dumps of these keys in this order.
fn check_token_file(path: &Path, access: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = [
        "startUrl",
        "region",
        "accessToken",
        "expiresAt",
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
        "refreshToken",
    ]
    .to_vec();
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| {
            text.find(&format!("\"{k}\": "))
                .unwrap_or_else(|| panic!("{k} missing: {text}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "key order: {text}"
    );
    assert!(
        text.starts_with(&format!(
            "{{\"startUrl\": \"{START_URL}\", \"region\": \"us-east-1\""
        )),
        "{text}"
    );
    assert_eq!(v["accessToken"], access);
    for k in ["expiresAt", "registrationExpiresAt"] {
        let t = v[k].as_str().unwrap();
        assert_eq!(t.len(), 20, "{k}={t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{k}={t}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "token file mode");
    }
    v
}

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

#[test]
fn login_config_errors_and_export_formats_with_static_credentials() {
    let fake = FakeSso::start(vec![]);
    let home = home("errors");
    std::fs::write(
        home.join(".aws/config"),
        "[profile nosso]\nregion = us-east-1\n[profile badsession]\nsso_session = missing\n",
    )
    .unwrap();
    std::fs::write(
        home.join(".aws/credentials"),
        "[nosso]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = staticSecret\n",
    )
    .unwrap();
    let out = run({
        let mut c = boto(&home, &fake);
        c.args(["sso", "login", "--profile", "nosso"]);
        c
    });
    assert_eq!(out.status.code(), Some(253));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "Missing the following required SSO configuration values: sso_start_url, sso_region. To make sure"
    ));
    let out = run({
        let mut c = boto(&home, &fake);
        c.args(["sso", "login", "--profile", "badsession"]);
        c
    });
    assert_eq!(out.status.code(), Some(253));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("The specified sso-session does not exist: \"missing\""));
    assert!(fake.state.lock().unwrap().requests.is_empty());

    // Static credentials: no token, no expiration.
    let expect = [
        ("process", "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"AKIDSTATIC\",\n  \"SecretAccessKey\": \"staticSecret\"\n}\n"),
        ("env", "export AWS_ACCESS_KEY_ID=AKIDSTATIC\nexport AWS_SECRET_ACCESS_KEY=staticSecret\n"),
        ("env-no-export", "AWS_ACCESS_KEY_ID=AKIDSTATIC\nAWS_SECRET_ACCESS_KEY=staticSecret\n"),
        ("powershell", "$Env:AWS_ACCESS_KEY_ID=\"AKIDSTATIC\"\n$Env:AWS_SECRET_ACCESS_KEY=\"staticSecret\"\n"),
        ("windows-cmd", "set AWS_ACCESS_KEY_ID=AKIDSTATIC\nset AWS_SECRET_ACCESS_KEY=staticSecret\n"),
    ];
    for (format, want) in expect {
        let out = run({
            let mut c = boto(&home, &fake);
            c.args([
                "--output",
                "table",
                "--query",
                "x",
                "configure",
                "export-credentials",
                "--profile",
                "nosso",
                "--format",
                format,
            ]);
            c
        });
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{format}");
    }
    let out = run({
        let mut c = boto(&home, &fake);
        c.args([
            "configure",
            "export-credentials",
            "--profile",
            "nosso",
            "--format",
            "yaml",
        ]);
        c
    });
    assert_eq!(out.status.code(), Some(252));
    // The recursion guard of a credential_process that calls export-credentials again.
    let out = run({
        let mut c = boto(&home, &fake);
        c.args(["configure", "export-credentials", "--profile", "nosso"])
            .env("_AWS_CLI_PROFILE_CHAIN", "other,nosso");
        c
    });
    assert_eq!(out.status.code(), Some(253));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("Credential process resolution detected an infinite loop, profile cycle: other -> nosso -> nosso"));
}
