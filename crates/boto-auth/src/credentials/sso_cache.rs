//! The SSO token cache as aws-cli v2 writes it, so `boto sso login` and
//! `aws sso login` can use each other's login.
//!
//! Replaces what aws-cli v2 does with botocore's `JSONFileCache` under
//! `~/.aws/sso/cache` (`awscli/customizations/sso/utils.py`,
//! `SSOTokenFetcher`/`SSOTokenFetcherAuth` in its vendored `botocore/utils.py`):
//!
//! - the token file is `<sha1 of the sso-session name, or of the start URL
//!   for legacy profiles>.json` holding `startUrl`, `region`, `accessToken`,
//!   `expiresAt`, `clientId`, `clientSecret`, `registrationExpiresAt` and,
//!   when the service returned one, `refreshToken`, in that order;
//! - the client registration is cached next to it under the SHA-1 of
//!   `json.dumps({"region", "scopes", "session_name", "startUrl", "tool":
//!   "botocore"}, sort_keys=True)` with `clientId`, `clientSecret`,
//!   `expiresAt` and, for the authorization-code flow, `scopes` and
//!   `grantTypes`;
//! - timestamps are `%Y-%m-%dT%H:%M:%SZ` (UTC) and the text is Python's
//!   `json.dumps` (`", "`/`": "` separators, non-ASCII escaped).
//!
//! Unlike `JSONFileCache` (which truncates the file in place), every write
//! goes to a temporary file in the same directory, created 0600, and is then
//! renamed over the target, so concurrent writers and readers never see a
//! half-written token.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use serde_json::Value;

use super::sso_token::cache_key;
use super::time::format_timestamp;
use super::CredentialsError;

/// A login token in the cache. `Debug` hides the token, refresh token and client secret.
#[derive(Clone, PartialEq, Eq)]
pub struct CachedSsoToken {
    /// The start URL as configured (not a resolved vanity URL).
    pub start_url: String,
    /// The SSO region.
    pub region: String,
    /// The bearer token. Secret.
    pub access_token: String,
    /// When the token expires.
    pub expires_at: SystemTime,
    /// The OIDC client the token was issued to.
    pub client_id: String,
    /// That client's secret. Secret.
    pub client_secret: String,
    /// When the client registration expires, as cached (`...Z`).
    pub registration_expires_at: String,
    /// The refresh token, when the service returned one. Secret.
    pub refresh_token: Option<String>,
}

impl std::fmt::Debug for CachedSsoToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedSsoToken")
            .field("start_url", &self.start_url)
            .field("region", &self.region)
            .field("expires_at", &format_timestamp(self.expires_at))
            .field("client_id", &self.client_id)
            .field("registration_expires_at", &self.registration_expires_at)
            .finish_non_exhaustive()
    }
}

impl CachedSsoToken {
    /// The file text, byte for byte what aws-cli v2 writes.
    pub fn to_json(&self) -> String {
        let mut fields = vec![
            ("startUrl", Value::from(self.start_url.as_str())),
            ("region", self.region.as_str().into()),
            ("accessToken", self.access_token.as_str().into()),
            ("expiresAt", format_timestamp(self.expires_at).into()),
            ("clientId", self.client_id.as_str().into()),
            ("clientSecret", self.client_secret.as_str().into()),
            (
                "registrationExpiresAt",
                self.registration_expires_at.as_str().into(),
            ),
        ];
        if let Some(r) = &self.refresh_token {
            fields.push(("refreshToken", r.as_str().into()));
        }
        py_json_object(&fields)
    }
}

/// A cached OIDC client registration. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientRegistration {
    /// The client id.
    pub client_id: String,
    /// The client secret. Secret.
    pub client_secret: String,
    /// When the registration expires (`clientSecretExpiresAt`).
    pub expires_at: SystemTime,
    /// The scopes registered (always set by the authorization-code flow).
    pub scopes: Option<Vec<String>>,
    /// The grant types registered (set by the authorization-code flow only).
    pub grant_types: Option<Vec<String>>,
}

impl std::fmt::Debug for ClientRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientRegistration")
            .field("client_id", &self.client_id)
            .field("expires_at", &format_timestamp(self.expires_at))
            .field("scopes", &self.scopes)
            .field("grant_types", &self.grant_types)
            .finish_non_exhaustive()
    }
}

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().map(|s| Value::from(s.as_str())).collect())
}

impl ClientRegistration {
    /// The file text as aws-cli v2 writes it.
    pub fn to_json(&self) -> String {
        let mut fields = vec![
            ("clientId", Value::from(self.client_id.as_str())),
            ("clientSecret", self.client_secret.as_str().into()),
            ("expiresAt", format_timestamp(self.expires_at).into()),
        ];
        if let Some(s) = &self.scopes {
            fields.push(("scopes", strings(s)));
        }
        if let Some(g) = &self.grant_types {
            fields.push(("grantTypes", strings(g)));
        }
        py_json_object(&fields)
    }

    /// Reads a cached registration; `None` when it is incomplete.
    pub fn from_json(v: &Value) -> Option<Self> {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let list = |k: &str| {
            v.get(k).and_then(Value::as_array).map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
        };
        Some(ClientRegistration {
            client_id: text("clientId")?,
            client_secret: text("clientSecret")?,
            expires_at: super::time::parse_timestamp(&text("expiresAt")?)?,
            scopes: list("scopes"),
            grant_types: list("grantTypes"),
        })
    }

    /// Registered for the authorization-code grant (aws-cli v2's `_is_registration_for_auth_code`).
    pub fn is_for_auth_code(&self) -> bool {
        self.grant_types
            .as_ref()
            .is_some_and(|g| g.iter().any(|t| t == "authorization_code"))
    }
}

/// The registration cache key: SHA-1 of Python's
/// `json.dumps({"tool": "botocore", "startUrl", "region", "scopes", "session_name"}, sort_keys=True)`.
pub fn registration_cache_key(
    start_url: &str,
    region: &str,
    scopes: Option<&[String]>,
    session_name: Option<&str>,
) -> String {
    let fields = [
        ("region", Value::from(region)),
        ("scopes", scopes.map_or(Value::Null, strings)),
        (
            "session_name",
            session_name.map_or(Value::Null, Value::from),
        ),
        ("startUrl", start_url.into()),
        ("tool", "botocore".into()),
    ];
    cache_key(&py_json_object(&fields))
}

/// The `~/.aws/sso/cache` directory (or another one, for tests).
#[derive(Debug, Clone)]
pub struct SsoCacheDir {
    dir: PathBuf,
}

impl SsoCacheDir {
    /// A cache in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        SsoCacheDir { dir: dir.into() }
    }
    /// `~/.aws/sso/cache` under `env`'s home directory.
    pub fn from_env(env: &crate::config::Env) -> Option<Self> {
        env.home_dir()
            .map(|h| Self::new(h.join(".aws").join("sso").join("cache")))
    }
    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }
    /// The token file for an sso-session (`Some(name)`) or a legacy start URL.
    pub fn token_path(&self, session_name: Option<&str>, start_url: &str) -> PathBuf {
        let key = cache_key(session_name.unwrap_or(start_url));
        self.dir.join(format!("{key}.json"))
    }
    /// Writes the token file atomically (0600) and returns its path.
    pub fn write_token(
        &self,
        session_name: Option<&str>,
        token: &CachedSsoToken,
    ) -> std::io::Result<PathBuf> {
        let path = self.token_path(session_name, &token.start_url);
        write_file_atomic(&path, token.to_json().as_bytes())?;
        Ok(path)
    }
    /// The cached registration under `key`, if present and readable.
    pub fn read_registration(&self, key: &str) -> Option<ClientRegistration> {
        let bytes = std::fs::read(self.dir.join(format!("{key}.json"))).ok()?;
        ClientRegistration::from_json(&serde_json::from_slice(&bytes).ok()?)
    }
    /// Caches a registration under `key`.
    pub fn write_registration(&self, key: &str, reg: &ClientRegistration) -> std::io::Result<()> {
        write_file_atomic(
            &self.dir.join(format!("{key}.json")),
            reg.to_json().as_bytes(),
        )
    }
    /// Every readable JSON object in the directory that has an `accessToken`
    /// (what `aws sso logout` deletes), with its path.
    pub fn token_files(&self) -> Vec<(PathBuf, serde_json::Map<String, Value>)> {
        json_files(&self.dir)
            .into_iter()
            .filter(|(_, m)| m.contains_key("accessToken"))
            .collect()
    }
}

/// Every readable JSON object file in `dir` (unreadable ones are skipped, as aws-cli's sweepers do).
pub fn json_files(dir: &Path) -> Vec<(PathBuf, serde_json::Map<String, Value>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if let Ok(Value::Object(m)) = serde_json::from_slice(&bytes) {
            out.push((path, m));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` through a uniquely named 0600 temporary file in
/// the same directory (created if missing, 0700), synced, then renamed over
/// `path`: readers see the old file or the new one, never a mix.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(dir)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(
        ".{name}.{}.{}.{nanos}.tmp",
        std::process::id(),
        TMP_SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A PKCE pair for the authorization-code flow, as aws-cli v2 makes it: a
/// 64-character verifier from `[A-Za-z0-9-._~]` and its S256 challenge
/// (URL-safe base64 of the SHA-256, with its one `=` of padding dropped).
pub fn pkce_pair() -> Result<(String, String), CredentialsError> {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    let mut verifier = String::with_capacity(64);
    while verifier.len() < 64 {
        let bytes = random_bytes::<64>()?;
        // 66 symbols: reject bytes >= 198 (3 * 66) to keep the choice uniform.
        for b in bytes.iter().filter(|b| **b < 198) {
            if verifier.len() == 64 {
                break;
            }
            verifier.push(CHARS[usize::from(*b) % CHARS.len()] as char);
        }
    }
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    let challenge = base64::engine::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        digest.as_ref(),
    );
    Ok((verifier, challenge))
}

/// A random UUID (version 4) in its usual text form: the OAuth `state`.
pub fn random_uuid4() -> Result<String, CredentialsError> {
    let mut b = random_bytes::<16>()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

fn random_bytes<const N: usize>() -> Result<[u8; N], CredentialsError> {
    let mut b = [0u8; N];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b)
        .map_err(|_| CredentialsError::failed("sso", "the system random generator failed"))?;
    Ok(b)
}

/// Python's `json.dumps` of a dict with these fields in this order.
fn py_json_object(fields: &[(&str, Value)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        boto_util::json::push_string_ascii(&mut out, k);
        out.push_str(": ");
        py_json_value(&mut out, v);
    }
    out.push('}');
    out
}

fn py_json_value(out: &mut String, v: &Value) {
    match v {
        Value::String(s) => boto_util::json::push_string_ascii(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                py_json_value(out, x);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let fields: Vec<(&str, Value)> =
                m.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            out.push_str(&py_json_object(&fields));
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn token_text_matches_python_json_dumps() {
        let t = CachedSsoToken {
            start_url: "https://d-123.awsapps.com/start".into(),
            region: "us-east-1".into(),
            access_token: "tok\u{e9}".into(),
            expires_at: at(1_700_000_000),
            client_id: "cid".into(),
            client_secret: "csec".into(),
            registration_expires_at: "2024-01-01T00:00:00Z".into(),
            refresh_token: Some("rt".into()),
        };
        assert_eq!(
            t.to_json(),
            "{\"startUrl\": \"https://d-123.awsapps.com/start\", \"region\": \"us-east-1\", \
             \"accessToken\": \"tok\\u00e9\", \"expiresAt\": \"2023-11-14T22:13:20Z\", \
             \"clientId\": \"cid\", \"clientSecret\": \"csec\", \
             \"registrationExpiresAt\": \"2024-01-01T00:00:00Z\", \"refreshToken\": \"rt\"}"
        );
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("tok") && !dbg.contains("csec") && !dbg.contains("\"rt\""));
    }

    #[test]
    fn registration_key_is_sha1_of_sorted_python_json() {
        // hashlib.sha1(json.dumps({"tool": "botocore", "startUrl": "https://x/start",
        //   "region": "us-east-1", "scopes": None, "session_name": "dev"}, sort_keys=True)
        //   .encode()).hexdigest()
        let text = "{\"region\": \"us-east-1\", \"scopes\": null, \"session_name\": \"dev\", \
                    \"startUrl\": \"https://x/start\", \"tool\": \"botocore\"}";
        assert_eq!(
            registration_cache_key("https://x/start", "us-east-1", None, Some("dev")),
            cache_key(text)
        );
        let scopes = vec!["sso:account:access".to_string(), "b".to_string()];
        let text = "{\"region\": \"r\", \"scopes\": [\"sso:account:access\", \"b\"], \
                    \"session_name\": null, \"startUrl\": \"u\", \"tool\": \"botocore\"}";
        assert_eq!(
            registration_cache_key("u", "r", Some(&scopes), None),
            cache_key(text)
        );
    }

    #[test]
    fn concurrent_writers_never_leave_a_partial_file() {
        // Next to the test binary (inside the build's target directory).
        let exe = std::env::current_exe().unwrap();
        let dir = exe
            .parent()
            .unwrap()
            .join(format!("boto-sso-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cache = SsoCacheDir::new(dir.join("sso").join("cache"));
        let token = |n: usize| CachedSsoToken {
            start_url: "https://x/start".into(),
            region: "us-east-1".into(),
            access_token: format!("token-{n}-{}", "x".repeat(20_000)),
            expires_at: at(1_700_000_000),
            client_id: "c".into(),
            client_secret: "s".into(),
            registration_expires_at: "2024-01-01T00:00:00Z".into(),
            refresh_token: None,
        };
        let path = cache.token_path(Some("dev"), "https://x/start");
        std::thread::scope(|s| {
            for w in 0..4 {
                let cache = &cache;
                s.spawn(move || {
                    for i in 0..25 {
                        cache.write_token(Some("dev"), &token(w * 100 + i)).unwrap();
                    }
                });
            }
            s.spawn(|| {
                for _ in 0..200 {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        let v: Value = serde_json::from_str(&text).expect("a whole file");
                        assert!(v["accessToken"].as_str().unwrap().starts_with("token-"));
                    }
                }
            });
        });
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary files left behind.
        assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn pkce_and_state_have_aws_cli_shapes() {
        let (v, c) = pkce_pair().unwrap();
        assert_eq!(v.len(), 64);
        assert!(v
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)));
        assert_eq!(c.len(), 43);
        let u = random_uuid4().unwrap();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_ne!(u, random_uuid4().unwrap());
    }

    #[test]
    fn registration_round_trips() {
        let r = ClientRegistration {
            client_id: "c".into(),
            client_secret: "s".into(),
            expires_at: at(1_700_000_000),
            scopes: Some(vec!["sso:account:access".into()]),
            grant_types: Some(vec!["authorization_code".into(), "refresh_token".into()]),
        };
        let text = r.to_json();
        assert!(text.ends_with(
            "\"scopes\": [\"sso:account:access\"], \"grantTypes\": [\"authorization_code\", \"refresh_token\"]}"
        ));
        let back = ClientRegistration::from_json(&serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(back, r);
        assert!(back.is_for_auth_code());
    }
}
