//! The default chain: order, environment/files/process providers, "no
//! credentials" reporting and secret redaction.

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use boto_auth::config::{Env, ProfileSet};
use boto_auth::credentials::{
    ChainProvider, Credentials, CredentialsError, DefaultChainBuilder, EnvironmentProvider,
    ImdsConfig, ImdsProvider, ProcessProvider, ProvideCredentials, StaticProvider,
};
use common::{iso, TempDir};

/// A chain builder whose IMDS is switched off so tests never reach out.
fn builder(env: Env) -> DefaultChainBuilder {
    DefaultChainBuilder::new(env).imds_provider(ImdsProvider::new(ImdsConfig {
        disabled: true,
        ..Default::default()
    }))
}

fn files(home: &TempDir, config: &str, creds: &str) -> Env {
    home.write(".aws/config", config);
    home.write(".aws/credentials", creds);
    Env::default().with_home(home.path())
}

#[tokio::test]
async fn environment_provider_reads_all_variables() {
    let exp = SystemTime::now() + Duration::from_secs(3600);
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_SESSION_TOKEN", "session"),
        ("AWS_SECURITY_TOKEN", "security"),
        ("AWS_CREDENTIAL_EXPIRATION", iso(exp).as_str()),
        ("AWS_ACCOUNT_ID", "123456789012"),
    ]);
    let c = EnvironmentProvider::new(env).provide().await.unwrap();
    assert_eq!(c.access_key_id(), "AKIDENV");
    assert_eq!(
        c.session_token(),
        Some("security"),
        "AWS_SECURITY_TOKEN is checked first, as in botocore"
    );
    assert_eq!(c.account_id(), Some("123456789012"));
    assert_eq!(iso(c.expiry().unwrap()), iso(exp));
    assert_eq!(c.provider(), "env");
}

#[tokio::test]
async fn environment_partial_is_an_error_not_a_skip() {
    let home = TempDir::new("chain-partial");
    let env = files(
        &home,
        "",
        "[default]\naws_access_key_id=FILE\naws_secret_access_key=S\n",
    )
    .with_var("AWS_ACCESS_KEY_ID", "A");
    let err = builder(env).build().unwrap().provide().await.unwrap_err();
    assert!(
        matches!(
            err,
            CredentialsError::InvalidConfig {
                provider: "env",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY"));
}

#[tokio::test]
async fn env_wins_unless_profile_is_explicit() {
    let home = TempDir::new("chain-explicit");
    let env = files(&home, "", "[default]\naws_access_key_id=FILEDEF\naws_secret_access_key=S\n[dev]\naws_access_key_id=FILEDEV\naws_secret_access_key=S\n")
        .with_var("AWS_ACCESS_KEY_ID", "ENVKEY")
        .with_var("AWS_SECRET_ACCESS_KEY", "S");
    let c = builder(env.clone())
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!((c.access_key_id(), c.provider()), ("ENVKEY", "env"));
    // AWS_PROFILE does not disable env credentials...
    let c = builder(env.clone().with_var("AWS_PROFILE", "dev"))
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "ENVKEY");
    // ...but naming the profile on the session does.
    let c = builder(env)
        .profile("dev")
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider()),
        ("FILEDEV", "shared-credentials-file")
    );
}

#[tokio::test]
async fn explicit_credentials_come_first() {
    let env = Env::from_vars([("AWS_ACCESS_KEY_ID", "ENV"), ("AWS_SECRET_ACCESS_KEY", "S")]);
    let c = builder(env)
        .explicit_credentials(Credentials::new("EXPLICIT", "S", None, None, "explicit"))
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "EXPLICIT");
}

#[tokio::test]
async fn shared_credentials_then_process_then_config_file() {
    let home = TempDir::new("chain-order");
    let config = "[default]\naws_access_key_id = CFG\naws_secret_access_key = S\n\
                  [profile proc]\ncredential_process = sh -c 'echo \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"PROC\\\", \\\"SecretAccessKey\\\": \\\"S\\\"}\"'\n\
                  aws_access_key_id = CFGPROC\naws_secret_access_key = S\n\
                  [profile both]\naws_access_key_id = CFGBOTH\naws_secret_access_key = S\naws_session_token = T\n";
    let creds = "[both]\naws_access_key_id = CREDBOTH\naws_secret_access_key = S\n";
    let env = files(&home, config, creds);
    let c = builder(env.clone())
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!((c.access_key_id(), c.provider()), ("CFG", "config-file"));
    let c = builder(env.clone())
        .profile("both")
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider()),
        ("CREDBOTH", "shared-credentials-file")
    );
    let c = builder(env)
        .profile("proc")
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider()),
        ("PROC", "custom-process")
    );
}

#[tokio::test]
async fn credential_process_runs_a_real_command() {
    let exp = iso(SystemTime::now() + Duration::from_secs(7200));
    let json = format!(
        r#"{{"Version": 1, "AccessKeyId": "AKPROC", "SecretAccessKey": "SK", "SessionToken": "TK", "Expiration": "{exp}"}}"#
    );
    let config = format!("[default]\ncredential_process = sh -c 'echo \"$0\"' '{json}'\naws_account_id = 111122223333\n");
    let set = Arc::new(ProfileSet::parse(Some(&config), None).unwrap());
    let c = ProcessProvider::new(set, "default")
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.secret_access_key(), c.session_token()),
        ("AKPROC", "SK", Some("TK"))
    );
    assert_eq!(iso(c.expiry().unwrap()), exp);
    assert_eq!(c.account_id(), Some("111122223333"));
}

#[tokio::test]
async fn credential_process_failures() {
    let run = |cmd: &str| {
        let set = Arc::new(
            ProfileSet::parse(
                Some(&format!("[default]\ncredential_process = {cmd}\n")),
                None,
            )
            .unwrap(),
        );
        async move {
            ProcessProvider::new(set, "default")
                .provide()
                .await
                .unwrap_err()
                .to_string()
        }
    };
    let e = run("sh -c 'echo boom >&2; exit 3'").await;
    assert!(e.contains("boom") && e.contains("custom-process"), "{e}");
    let e = run(r#"sh -c 'echo "{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SUPERSECRET\"}"'"#).await;
    assert!(
        e.contains("unsupported version '2'") && !e.contains("SUPERSECRET"),
        "{e}"
    );
    let e = run(r#"sh -c 'echo "{\"Version\": 1, \"AccessKeyId\": \"A\"}"'"#).await;
    assert!(e.contains("SecretAccessKey"), "{e}");
    let e = run("sh -c 'echo not json SUPERSECRET'").await;
    assert!(
        e.contains("not valid JSON") && !e.contains("SUPERSECRET"),
        "{e}"
    );
    let e = run("/nonexistent/credential-helper").await;
    assert!(e.contains("could not run"), "{e}");
    let e = run("sh -c 'unterminated").await;
    assert!(e.contains("not a valid command line"), "{e}");
}

#[tokio::test]
async fn no_credentials_lists_what_was_tried() {
    let home = TempDir::new("chain-none");
    let err = builder(files(&home, "[default]\nregion = x\n", ""))
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    let CredentialsError::NoCredentials { tried } = &err else {
        panic!("{err}")
    };
    let names: Vec<&str> = tried.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "env",
            "assume-role",
            "assume-role-with-web-identity",
            "sso",
            "shared-credentials-file",
            "custom-process",
            "config-file",
            "container-role",
            "iam-role"
        ]
    );
    let msg = err.to_string();
    assert!(
        msg.contains("unable to locate credentials") && msg.contains("AWS_EC2_METADATA_DISABLED"),
        "{msg}"
    );
}

#[tokio::test]
async fn explicit_missing_profile_is_an_error_at_build() {
    let home = TempDir::new("chain-noprof");
    let err = builder(files(&home, "[profile a]\n", "[b]\n"))
        .profile("c")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("a, b"), "{err}");
}

#[tokio::test]
async fn chain_stops_on_hard_errors_and_sticks_to_the_winner() {
    let chain = ChainProvider::new(vec![
        Arc::new(EnvironmentProvider::new(Env::default())),
        Arc::new(StaticProvider::new(Credentials::new(
            "ONE", "S", None, None, "explicit",
        ))),
    ]);
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "ONE");
    assert_eq!(chain.names(), ["env", "explicit"]);
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
    const TOKEN: &str = "FQoGZXIvYXdzSESSIONTOKENVALUE";
    let home = TempDir::new("redact");
    let env = files(
        &home,
        &format!("[default]\naws_access_key_id = AKID\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"),
        &format!("[default]\naws_secret_access_key = {SECRET}\naws_security_token = {TOKEN}\n"),
    )
    .with_var("AWS_ACCESS_KEY_ID", "AKID")
    .with_var("AWS_SECRET_ACCESS_KEY", SECRET)
    .with_var("AWS_SESSION_TOKEN", TOKEN);
    let creds = Credentials::new("AKID", SECRET, Some(TOKEN.into()), None, "test");
    let set = ProfileSet::load(&env).unwrap();
    let cache = builder(env.clone()).build().unwrap();
    let got = cache.provide().await.unwrap();
    let (chain, factory) = builder(env.clone()).build_chain().unwrap();
    let sts_req = boto_auth::credentials::AssumeRoleRequest {
        role_arn: "arn".into(),
        role_session_name: "s".into(),
        external_id: None,
        serial_number: None,
        token_code: Some(TOKEN.into()),
        duration_seconds: None,
        source_credentials: creds.clone(),
        region: None,
    };
    let web_req = boto_auth::credentials::AssumeRoleWithWebIdentityRequest {
        role_arn: "arn".into(),
        role_session_name: "s".into(),
        web_identity_token: TOKEN.into(),
        region: None,
    };
    let sso_req = boto_auth::credentials::GetRoleCredentialsRequest {
        role_name: "r".into(),
        account_id: "1".into(),
        access_token: TOKEN.into(),
        region: "us-east-1".into(),
    };
    let oidc_req = boto_auth::credentials::CreateTokenRequest {
        grant_type: "refresh_token".into(),
        client_id: "c".into(),
        client_secret: SECRET.into(),
        refresh_token: TOKEN.into(),
        region: "r".into(),
    };
    let oidc_resp = boto_auth::credentials::CreateTokenResponse {
        access_token: TOKEN.into(),
        expires_in: 1,
        refresh_token: Some(SECRET.into()),
    };
    let token = boto_auth::credentials::SsoToken {
        access_token: TOKEN.into(),
        expires_at: SystemTime::now(),
    };
    let http_req = boto_auth::credentials::http::HttpRequest {
        method: "GET",
        url: "http://x/".into(),
        headers: vec![("Authorization".into(), TOKEN.into())],
    };
    let http_resp = boto_auth::credentials::http::HttpResponse {
        status: 200,
        body: SECRET.as_bytes().to_vec(),
    };
    let errors = [
        CredentialsError::Expired {
            provider: "env",
            expired_at: SystemTime::now(),
        },
        CredentialsError::NoCredentials {
            tried: vec![("env", "x".into())],
        },
    ];
    let rendered = vec![
        format!("{creds:?}"),
        format!("{got:?}"),
        format!("{set:?}"),
        format!("{:?}", set.profile("default")),
        format!("{env:?}"),
        format!("{cache:?}"),
        format!("{chain:?}"),
        format!("{factory:?}"),
        format!("{sts_req:?}"),
        format!("{web_req:?}"),
        format!("{sso_req:?}"),
        format!("{oidc_req:?}"),
        format!("{oidc_resp:?}"),
        format!("{token:?}"),
        format!("{http_req:?}"),
        format!("{http_resp:?}"),
        format!("{errors:?}"),
        errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    ];
    assert_eq!(got.secret_access_key(), SECRET);
    for text in rendered {
        assert!(!text.contains(SECRET), "secret leaked in: {text}");
        assert!(!text.contains(TOKEN), "token leaked in: {text}");
    }
}
