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

#[path = "../cli_sso_support/mod.rs"]
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

mod device_flow;
mod login_export;
mod pkce;
