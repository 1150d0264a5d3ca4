//! `boto sso login` and `boto sso logout`: aws-cli v2's
//! `awscli/customizations/sso` (`LoginCommand`, `LogoutCommand`,
//! `BaseSSOCommand._get_sso_config`).
//!
//! `login` reads the SSO settings of the profile (or of `--sso-session`),
//! runs the authorization-code flow with PKCE for an `sso-session` (the
//! default since aws-cli 2.22) or the device code flow for legacy profiles and
//! with `--use-device-code`, and writes the token to `~/.aws/sso/cache`
//! exactly as aws-cli v2 does ([`SsoCacheDir`]), so the SSO credential
//! provider of either tool can use it. `logout` calls SSO Logout for each
//! cached token and deletes it, then deletes the SSO role credentials aws-cli
//! caches in `~/.aws/cli/cache`.
//!
//! Not done: aws-cli's start-URL resolution for vanity URLs (`resolve.py`,
//! which may also rewrite `sso_region`); the URL is used as configured.

mod callback;
mod flow;

use crate::args::Globals;
use crate::error::{code, CliError};
use boto::core::auth::config::{Env, ProfileSet};
use boto::core::auth::credentials::{json_files, SsoCacheDir};
use boto::{ClientOptions, Session, Value};

const LOGIN_HELP: &str = "\
boto sso login [--profile <profile>] [--sso-session <name>] [--no-browser] [--use-device-code]

Retrieves and caches an AWS IAM Identity Center access token to exchange for
AWS credentials. An sso-session logs in with the authorization code flow (a
browser redirect to a listener on 127.0.0.1); legacy profiles and
--use-device-code use the device code flow. The token is cached in
~/.aws/sso/cache as aws-cli v2 caches it.

  --no-browser       print the URL instead of opening a browser
  --use-device-code  use the device code flow
  --sso-session      log in to this sso-session instead of the profile's
";

const LOGOUT_HELP: &str = "\
boto sso logout

Removes all cached AWS IAM Identity Center access tokens (calling SSO Logout
for each) and any cached temporary credentials retrieved with them.
";

/// Dispatches `sso login` / `sso logout`; `None` for the other `sso` operations.
pub fn run(g: &Globals, words: &[String]) -> Option<Result<i32, CliError>> {
    let sub = words.first()?.as_str();
    let rest = &words[1..];
    let wants_help = rest.first().is_some_and(|w| w == "help");
    match sub {
        "login" if wants_help => Some(help(LOGIN_HELP)),
        "logout" if wants_help => Some(help(LOGOUT_HELP)),
        "login" => Some(login(g, rest)),
        "logout" => Some(logout(g, rest)),
        _ => None,
    }
}

fn help(text: &str) -> Result<i32, CliError> {
    crate::driver::print(text);
    Ok(code::OK)
}

struct LoginArgs {
    no_browser: bool,
    use_device_code: bool,
    sso_session: Option<String>,
}

fn parse_login(words: &[String]) -> Result<LoginArgs, CliError> {
    let mut a = LoginArgs {
        no_browser: false,
        use_device_code: false,
        sso_session: None,
    };
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "--no-browser" => a.no_browser = true,
            "--use-device-code" => a.use_device_code = true,
            "--sso-session" => {
                a.sso_session = Some(it.next().cloned().ok_or_else(|| {
                    CliError::usage("argument --sso-session: expected one argument")
                })?)
            }
            s if s.starts_with("--sso-session=") => {
                a.sso_session = Some(s["--sso-session=".len()..].to_string())
            }
            other => return Err(CliError::usage(format!("Unknown options: {other}"))),
        }
    }
    Ok(a)
}

/// The SSO settings `login` works from.
#[derive(Debug)]
struct SsoSettings {
    start_url: String,
    region: String,
    session_name: Option<String>,
    scopes: Option<Vec<String>>,
}

/// aws-cli v2's `BaseSSOCommand._get_sso_config`.
fn sso_settings(
    profiles: &ProfileSet,
    profile: &str,
    explicit_session: Option<&str>,
) -> Result<SsoSettings, CliError> {
    let scoped = profiles.profile(profile);
    let session_name = explicit_session
        .map(str::to_string)
        .or_else(|| {
            scoped
                .and_then(|p| p.get("sso_session"))
                .map(str::to_string)
        })
        .filter(|s| !s.is_empty());
    let get_required = |get: &dyn Fn(&str) -> Option<String>| {
        let start = get("sso_start_url");
        let region = get("sso_region");
        let missing: Vec<&str> = [("sso_start_url", &start), ("sso_region", &region)]
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| *k)
            .collect();
        (start, region, missing)
    };
    if let Some(name) = session_name {
        let section = profiles.sso_session(&name).ok_or_else(|| {
            CliError::config(format!(
                "The specified sso-session does not exist: \"{name}\""
            ))
        })?;
        let get = |k: &str| section.get(k).map(str::to_string);
        let (start, region, missing) = get_required(&get);
        if !missing.is_empty() {
            return Err(CliError::config(format!(
                "Missing the following required SSO configuration values: {}. ",
                missing.join(", ")
            )));
        }
        let scopes = get("sso_registration_scopes").map(|raw| {
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        });
        return Ok(SsoSettings {
            start_url: start.unwrap_or_default(),
            region: region.unwrap_or_default(),
            session_name: Some(name),
            scopes,
        });
    }
    let get = |k: &str| scoped.and_then(|p| p.get(k)).map(str::to_string);
    let (start, region, missing) = get_required(&get);
    if !missing.is_empty() {
        return Err(CliError::config(format!(
            "Missing the following required SSO configuration values: {}. To make sure this profile \
             is properly configured to use SSO, please run: aws configure sso",
            missing.join(", ")
        )));
    }
    Ok(SsoSettings {
        start_url: start.unwrap_or_default(),
        region: region.unwrap_or_default(),
        session_name: None,
        scopes: None,
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::other(format!("cannot start the async runtime: {e}")))
}

/// Runs `fut`; Ctrl-C ends it with exit code 130.
fn block_on<F: std::future::Future<Output = Result<i32, CliError>>>(
    fut: F,
) -> Result<i32, CliError> {
    runtime()?.block_on(async {
        tokio::select! {
            r = fut => r,
            _ = tokio::signal::ctrl_c() => Err(CliError { code: code::INTERRUPT, message: String::new(), usage: false }),
        }
    })
}

fn session(g: &Globals) -> Result<Session, CliError> {
    if g.debug {
        crate::debuglog::install();
    }
    Session::builder()
        .profile_opt(g.profile.clone())
        .region_opt(g.region.clone())
        .build()
        .map_err(|e| CliError::config(e.report()))
}

/// An unsigned client for `service` in `region`, with the global TLS options.
fn client(
    g: &Globals,
    session: &Session,
    service: &str,
    region: &str,
) -> Result<boto::Client, CliError> {
    let opts = ClientOptions {
        region: Some(region.to_string()),
        sign_requests: Some(false),
        verify_tls: g.no_verify_ssl.then_some(false),
        ca_bundle: g.ca_bundle.clone(),
        ..Default::default()
    };
    session
        .client_with(service, &opts)
        .map_err(|e| crate::exec::map_error(&e))
}

fn cache_dir(env: &Env) -> Result<SsoCacheDir, CliError> {
    SsoCacheDir::from_env(env)
        .ok_or_else(|| CliError::config("no home directory for the SSO token cache"))
}

fn login(g: &Globals, words: &[String]) -> Result<i32, CliError> {
    let args = parse_login(words)?;
    let env = Env::from_process();
    let profiles = ProfileSet::load(&env).map_err(|e| CliError::config(e.to_string()))?;
    let profile = crate::configure::profile_name(g.profile.as_deref());
    if g.profile.is_some() && profiles.profile(&profile).is_none() {
        return Err(CliError::config(format!(
            "The config profile ({profile}) could not be found"
        )));
    }
    let settings = sso_settings(&profiles, &profile, args.sso_session.as_deref())?;
    let cache = cache_dir(&env)?;
    let session = session(g)?;
    let oidc = client(g, &session, "sso-oidc", &settings.region)?;
    let req = flow::LoginRequest {
        start_url: &settings.start_url,
        region: &settings.region,
        session_name: settings.session_name.as_deref(),
        scopes: settings.scopes.clone(),
        no_browser: args.no_browser,
        cache: &cache,
        debug: g.debug,
    };
    block_on(async {
        let token = if settings.session_name.is_some() && !args.use_device_code {
            flow::auth_code_flow(&oidc, &req).await?
        } else {
            flow::device_flow(&oidc, &req).await?
        };
        cache
            .write_token(settings.session_name.as_deref(), &token)
            .map_err(|e| {
                CliError::other(format!(
                    "could not write the SSO token cache in {}: {e}",
                    cache.path().display()
                ))
            })?;
        crate::driver::print(&format!(
            "Successfully logged into Start URL: {}\n",
            settings.start_url
        ));
        Ok(code::OK)
    })
}

fn logout(g: &Globals, words: &[String]) -> Result<i32, CliError> {
    if let Some(w) = words.first() {
        return Err(CliError::usage(format!("Unknown options: {w}")));
    }
    let env = Env::from_process();
    let cache = cache_dir(&env)?;
    let session = session(g)?;
    block_on(async {
        for (path, contents) in cache.token_files() {
            let token = contents.get("accessToken").and_then(|v| v.as_str());
            let region = contents.get("region").and_then(|v| v.as_str());
            if let (Some(token), Some(region)) = (token, region.filter(|r| !r.is_empty())) {
                // The token may already be expired or revoked: a failed
                // Logout is noted in the debug log and the file still goes
                // (aws-cli ignores service errors only).
                let result = match client(g, &session, "sso", region) {
                    Ok(sso) => {
                        let mut p = boto::Map::new();
                        p.insert("accessToken", Value::from(token));
                        sso.call("Logout", Value::Map(p))
                            .await
                            .map(|_| ())
                            .map_err(|e| e.message().to_string())
                    }
                    Err(e) => Err(e.message),
                };
                if let (Err(e), true) = (result, g.debug) {
                    eprintln!("boto - DEBUG - Failed to call logout API: {e}");
                }
            }
            remove(&path)?;
        }
        // aws-cli's SSOCredentialSweeper: role credentials it cached from SSO.
        if let Some(home) = env.home_dir() {
            for (path, contents) in json_files(&home.join(".aws").join("cli").join("cache")) {
                if contents.get("ProviderType").and_then(|v| v.as_str()) == Some("sso") {
                    remove(&path)?;
                }
            }
        }
        Ok(code::OK)
    })
}

fn remove(path: &std::path::Path) -> Result<(), CliError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(CliError::other(format!(
            "could not remove {}: {e}",
            path.display()
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profiles(text: &str) -> ProfileSet {
        ProfileSet::parse(Some(text), None).expect("config")
    }

    #[test]
    fn reads_session_and_legacy_settings_with_aws_cli_errors() {
        let p = profiles(
            "[profile a]\nsso_session = dev\n[sso-session dev]\nsso_start_url = https://x/start\n\
             sso_region = eu-west-1\nsso_registration_scopes = sso:account:access, b ,\n\
             [profile legacy]\nsso_start_url = https://y/start\nsso_region = us-east-1\n\
             [profile broken]\nsso_session = nope\n[profile half]\nsso_start_url = u\n",
        );
        let s = sso_settings(&p, "a", None).unwrap();
        assert_eq!(s.session_name.as_deref(), Some("dev"));
        assert_eq!(s.region, "eu-west-1");
        assert_eq!(
            s.scopes,
            Some(vec!["sso:account:access".into(), "b".into()])
        );
        let s = sso_settings(&p, "legacy", None).unwrap();
        assert_eq!(
            (s.session_name, s.start_url.as_str()),
            (None, "https://y/start")
        );
        let e = sso_settings(&p, "broken", None).unwrap_err();
        assert_eq!(
            e.message,
            "The specified sso-session does not exist: \"nope\""
        );
        assert_eq!(e.code, code::CONFIG);
        let e = sso_settings(&p, "half", None).unwrap_err();
        assert!(e.message.starts_with(
            "Missing the following required SSO configuration values: sso_region. To make"
        ));
        // --sso-session wins over the profile.
        let s = sso_settings(&p, "legacy", Some("dev")).unwrap();
        assert_eq!(s.start_url, "https://x/start");
    }
}
