//! Credentials resolved end to end against moto's STS, with an injected
//! environment (`Env::from_vars(..).with_home(tmp)`) so nothing leaks in from
//! the machine running the tests:
//!
//! * a `role_arn` + `source_profile` profile: the session's credentials come
//!   from AssumeRole signed with the source profile's keys;
//! * a role chain (role profile whose source is another role profile);
//! * web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`;
//! * `credential_process` and plain environment keys;
//! * `AWS_ENDPOINT_URL` in the injected environment routes STS (and the
//!   clients) to moto.

#[macro_use]
mod support;

use boto::core::auth::config::Env;
use boto::{params, ErrorKind, Session};
use std::path::Path;
use support::{temp_dir, unique, TestResult};

const SOURCE_KEY: &str = "AKIAITSOURCEKEY00001";

/// A home directory with `~/.aws/config` and `~/.aws/credentials`.
fn home_with(config: &str, credentials: &str) -> std::io::Result<std::path::PathBuf> {
    let home = temp_dir("home");
    std::fs::create_dir_all(home.join(".aws"))?;
    std::fs::write(home.join(".aws/config"), config)?;
    std::fs::write(home.join(".aws/credentials"), credentials)?;
    Ok(home)
}

fn env_for(endpoint: &str, home: &Path, extra: &[(&str, String)]) -> Env {
    let mut vars: Vec<(String, String)> = vec![("AWS_ENDPOINT_URL".into(), endpoint.to_string())];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
    Env::from_vars(vars).with_home(home)
}

#[tokio::test]
async fn assume_role_profile_with_source_profile() -> TestResult {
    let ep = moto_or_skip!();
    let session_name = unique("it-role-session");
    let home = home_with(
        &format!(
            "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/it-deploy\nsource_profile = base\n\
             role_session_name = {session_name}\nregion = us-east-1\nduration_seconds = 1800\n"
        ),
        &format!("[base]\naws_access_key_id = {SOURCE_KEY}\naws_secret_access_key = sourcesecret\n"),
    )?;
    let session = Session::builder()
        .profile("dev")
        .env(env_for(&ep, &home, &[]))
        .build()?;
    assert_eq!(
        session.region().as_deref(),
        Some("us-east-1"),
        "region from the profile"
    );

    let creds = session.credentials().await?;
    assert_ne!(
        creds.access_key_id(),
        SOURCE_KEY,
        "credentials come from AssumeRole, not the source profile"
    );
    assert!(
        creds.access_key_id().starts_with("ASIA"),
        "{}",
        creds.access_key_id()
    );
    assert!(creds.session_token().is_some_and(|t| !t.is_empty()));
    assert_eq!(creds.provider(), "assume-role");
    assert_eq!(creds.account_id(), Some("123456789012"));
    let ttl = creds
        .expiry()
        .expect("temporary credentials expire")
        .duration_since(std::time::SystemTime::now())?;
    assert!(
        ttl.as_secs() > 1500 && ttl.as_secs() <= 1800,
        "duration_seconds honoured: {ttl:?}"
    );

    // Clients of the session sign with the assumed role, and reach moto through AWS_ENDPOINT_URL.
    let sts = session.client("sts")?;
    let me = sts.call("GetCallerIdentity", params! {}).await?;
    assert_eq!(
        me.get("Arn").as_str(),
        Some(format!("arn:aws:sts::123456789012:assumed-role/it-deploy/{session_name}").as_str()),
        "{me}"
    );
    // The cache hands out the same credentials until they near expiry.
    assert_eq!(
        session.credentials().await?.access_key_id(),
        creds.access_key_id()
    );
    // And other services work with them too.
    let s3 = session.client("s3")?;
    let bucket = unique("it-role-bucket");
    s3.call("CreateBucket", params! {"Bucket": (&bucket)})
        .await?;
    s3.call("HeadBucket", params! {"Bucket": (&bucket)}).await?;
    std::fs::remove_dir_all(home).ok();
    Ok(())
}

#[tokio::test]
async fn role_chain_assumes_each_role_in_turn() -> TestResult {
    let ep = moto_or_skip!();
    let home = home_with(
        "[profile first]\nrole_arn = arn:aws:iam::123456789012:role/it-first\nsource_profile = base\n\
         [profile second]\nrole_arn = arn:aws:iam::123456789012:role/it-second\nsource_profile = first\n\
         role_session_name = chained\n[default]\nregion = us-east-1\n",
        &format!("[base]\naws_access_key_id = {SOURCE_KEY}\naws_secret_access_key = sourcesecret\n"),
    )?;
    let session = Session::builder()
        .profile("second")
        .region("us-east-1")
        .env(env_for(&ep, &home, &[]))
        .build()?;
    let me = session
        .client("sts")?
        .call("GetCallerIdentity", params! {})
        .await?;
    assert_eq!(
        me.get("Arn").as_str(),
        Some("arn:aws:sts::123456789012:assumed-role/it-second/chained"),
        "{me}"
    );
    std::fs::remove_dir_all(home).ok();
    Ok(())
}

#[tokio::test]
async fn web_identity_from_the_environment() -> TestResult {
    let ep = moto_or_skip!();
    let home = home_with("", "")?;
    let token_file = home.join("token.jwt");
    std::fs::write(
        &token_file,
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpdCJ9.c2lnbmF0dXJl",
    )?;
    let session_name = unique("it-web");
    let env = env_for(
        &ep,
        &home,
        &[
            (
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                token_file.display().to_string(),
            ),
            (
                "AWS_ROLE_ARN",
                "arn:aws:iam::123456789012:role/it-web-role".into(),
            ),
            ("AWS_ROLE_SESSION_NAME", session_name.clone()),
            ("AWS_REGION", "us-east-1".into()),
        ],
    );
    let session = Session::builder().env(env).build()?;
    let creds = session.credentials().await?;
    assert_eq!(creds.provider(), "assume-role-with-web-identity");
    assert!(creds.session_token().is_some());
    assert!(creds.expiry().is_some());

    let me = session
        .client("sts")?
        .call("GetCallerIdentity", params! {})
        .await?;
    let arn = me.get("Arn").as_str().unwrap_or_default();
    assert!(arn.contains(":assumed-role/it-web-role/"), "{me}");
    assert!(arn.ends_with(&session_name), "{arn}");
    std::fs::remove_dir_all(home).ok();
    Ok(())
}

#[tokio::test]
async fn credential_process_and_environment_keys() -> TestResult {
    let ep = moto_or_skip!();
    let home = temp_dir("home-proc");
    let script = home.join("creds.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAITPROCESS0000001\", \"SecretAccessKey\": \"procsecret\"}'\n",
    )?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
    }
    std::fs::create_dir_all(home.join(".aws"))?;
    std::fs::write(
        home.join(".aws/config"),
        format!(
            "[profile proc]\ncredential_process = {}\nregion = us-east-1\n",
            script.display()
        ),
    )?;
    let session = Session::builder()
        .profile("proc")
        .env(env_for(&ep, &home, &[]))
        .build()?;
    let creds = session.credentials().await?;
    assert_eq!(creds.access_key_id(), "AKIAITPROCESS0000001");
    let me = session
        .client("sts")?
        .call("GetCallerIdentity", params! {})
        .await?;
    assert_eq!(me.get("Account").as_str(), Some("123456789012"));

    // Plain environment keys win over an empty home.
    let empty = temp_dir("home-empty");
    let env = env_for(
        &ep,
        &empty,
        &[
            ("AWS_ACCESS_KEY_ID", "AKIAITENVIRONMENT001".into()),
            ("AWS_SECRET_ACCESS_KEY", "envsecret".into()),
            ("AWS_DEFAULT_REGION", "us-east-1".into()),
        ],
    );
    let session = Session::builder().env(env).build()?;
    assert_eq!(
        session.credentials().await?.access_key_id(),
        "AKIAITENVIRONMENT001"
    );
    let me = session
        .client("sts")?
        .call("GetCallerIdentity", params! {})
        .await?;
    assert_eq!(me.get("Account").as_str(), Some("123456789012"));

    // No credentials anywhere (and IMDS disabled): a Credentials error, not a hang.
    let env = env_for(
        &ep,
        &empty,
        &[
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("AWS_REGION", "us-east-1".into()),
        ],
    );
    let session = Session::builder().env(env).build()?;
    let err = session
        .client("sts")?
        .call("GetCallerIdentity", params! {})
        .await
        .expect_err("no credentials");
    assert_eq!(err.kind(), ErrorKind::Credentials, "{err:?}");
    std::fs::remove_dir_all(home).ok();
    std::fs::remove_dir_all(empty).ok();
    Ok(())
}
