//! Assume-role profiles and web identity, against a fake STS that records
//! every request it gets.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use boto_auth::config::{Env, ProfileSet};
use boto_auth::credentials::{
    plan_assume_role, ApiError, AssumeRoleRequest, AssumeRoleWithWebIdentityRequest, BoxFuture,
    CredentialSource, Credentials, CredentialsError, DefaultChainBuilder, ImdsConfig, ImdsProvider,
    MfaPrompt, ProvideCredentials, SourceCredentials, StsApi,
};
use common::TempDir;

#[derive(Default)]
struct FakeSts {
    assume: Mutex<Vec<AssumeRoleRequest>>,
    web: Mutex<Vec<AssumeRoleWithWebIdentityRequest>>,
    fail_with: Option<ApiError>,
}

impl StsApi for FakeSts {
    fn assume_role(
        &self,
        request: AssumeRoleRequest,
    ) -> BoxFuture<'_, Result<Credentials, ApiError>> {
        let n = {
            let mut v = self.assume.lock().unwrap();
            v.push(request.clone());
            v.len()
        };
        let result = match &self.fail_with {
            Some(e) => Err(e.clone()),
            None => Ok(Credentials::new(
                format!("ASIA{n}"),
                "assumed-secret",
                Some("assumed-token".into()),
                Some(SystemTime::now() + Duration::from_secs(3600)),
                "sts",
            )),
        };
        Box::pin(async move { result })
    }
    fn assume_role_with_web_identity(
        &self,
        request: AssumeRoleWithWebIdentityRequest,
    ) -> BoxFuture<'_, Result<Credentials, ApiError>> {
        self.web.lock().unwrap().push(request);
        Box::pin(async {
            Ok(Credentials::new(
                "ASIAWEB",
                "s",
                Some("t".into()),
                Some(SystemTime::now() + Duration::from_secs(3600)),
                "sts",
            ))
        })
    }
}

fn chain(
    home: &TempDir,
    config: &str,
    creds: &str,
    env: Env,
    sts: Option<Arc<FakeSts>>,
) -> DefaultChainBuilder {
    home.write(".aws/config", config);
    home.write(".aws/credentials", creds);
    let mut b = DefaultChainBuilder::new(env.with_home(home.path()))
        .imds_provider(ImdsProvider::new(ImdsConfig {
            disabled: true,
            ..Default::default()
        }))
        .region("us-west-2");
    if let Some(s) = sts {
        b = b.sts(s);
    }
    b
}

#[tokio::test]
async fn source_profile_with_all_options() {
    let home = TempDir::new("ar-basic");
    let sts = Arc::new(FakeSts::default());
    let config = "[profile role]\nrole_arn = arn:aws:iam::123:role/R\nsource_profile = base\nexternal_id = ext-1\n\
                  role_session_name = my-session\nduration_seconds = 1800\n";
    let creds = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n";
    let c = chain(&home, config, creds, Env::default(), Some(sts.clone()))
        .profile("role")
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!((c.access_key_id(), c.provider()), ("ASIA1", "assume-role"));
    let reqs = sts.assume.lock().unwrap().clone();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.role_arn, "arn:aws:iam::123:role/R");
    assert_eq!(r.role_session_name, "my-session");
    assert_eq!(r.external_id.as_deref(), Some("ext-1"));
    assert_eq!(r.duration_seconds, Some(1800));
    assert_eq!(r.serial_number, None);
    assert_eq!(r.source_credentials.access_key_id(), "AKIDBASE");
    assert_eq!(r.region.as_deref(), Some("us-west-2"));
}

#[tokio::test]
async fn chained_source_profiles_assume_in_order() {
    let home = TempDir::new("ar-chain");
    let sts = Arc::new(FakeSts::default());
    let config = "[profile top]\nrole_arn = arn:top\nsource_profile = middle\n\
                  [profile middle]\nrole_arn = arn:middle\nsource_profile = bottom\n\
                  [profile bottom]\naws_access_key_id = AKIDBOTTOM\naws_secret_access_key = S\n";
    let set = ProfileSet::parse(Some(config), None).unwrap();
    let plan = plan_assume_role(&set, "top").unwrap().unwrap();
    assert_eq!(plan.source, SourceCredentials::Profile("bottom".into()));
    assert_eq!(
        plan.steps
            .iter()
            .map(|s| s.role_arn.as_str())
            .collect::<Vec<_>>(),
        ["arn:middle", "arn:top"]
    );

    let c = chain(&home, config, "", Env::default(), Some(sts.clone()))
        .profile("top")
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "ASIA2");
    let reqs = sts.assume.lock().unwrap().clone();
    assert_eq!(reqs[0].role_arn, "arn:middle");
    assert_eq!(reqs[0].source_credentials.access_key_id(), "AKIDBOTTOM");
    assert_eq!(reqs[1].role_arn, "arn:top");
    assert_eq!(reqs[1].source_credentials.access_key_id(), "ASIA1");
    assert!(reqs[1].role_session_name.starts_with("botocore-session-"));
}

#[tokio::test]
async fn cycles_are_detected_while_planning() {
    let set = ProfileSet::parse(
        Some("[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nrole_arn = arn:b\nsource_profile = a\n"),
        None,
    )
    .unwrap();
    let err = plan_assume_role(&set, "a").unwrap_err().to_string();
    assert!(
        err.contains("infinite loop") && err.contains("a, b"),
        "{err}"
    );
    let set = ProfileSet::parse(
        Some("[profile a]\nrole_arn = arn:a\nsource_profile = a\n"),
        None,
    )
    .unwrap();
    assert!(
        plan_assume_role(&set, "a").is_err(),
        "self reference without static keys loops"
    );
    // Self reference with static keys is allowed (botocore).
    let set = ProfileSet::parse(
        Some("[profile a]\nrole_arn = arn:a\nsource_profile = a\naws_access_key_id = K\naws_secret_access_key = S\n"),
        None,
    )
    .unwrap();
    let plan = plan_assume_role(&set, "a").unwrap().unwrap();
    assert_eq!(
        (plan.source, plan.steps.len()),
        (SourceCredentials::Profile("a".into()), 1)
    );
}

#[tokio::test]
async fn invalid_role_configs() {
    let check = |cfg: &str, needle: &str| {
        let set = ProfileSet::parse(Some(cfg), None).unwrap();
        let err = plan_assume_role(&set, "p").unwrap_err().to_string();
        assert!(err.contains(needle), "{err}");
    };
    check(
        "[profile p]\nrole_arn = a\nsource_profile = q\ncredential_source = Environment\n",
        "both source_profile and credential_source",
    );
    check(
        "[profile p]\nrole_arn = a\n",
        "neither source_profile nor credential_source",
    );
    check(
        "[profile p]\nrole_arn = a\nsource_profile = ghost\n",
        "\"ghost\"",
    );
    check(
        "[profile p]\nrole_arn = a\ncredential_source = Moon\n",
        "\"Moon\"",
    );
    let set = ProfileSet::parse(
        Some("[profile p]\nrole_arn = a\nweb_identity_token_file = /t\n"),
        None,
    )
    .unwrap();
    assert_eq!(
        plan_assume_role(&set, "p").unwrap(),
        None,
        "web identity profiles are not assume-role profiles"
    );
}

#[tokio::test]
async fn credential_source_environment_and_mfa_prompt() {
    let home = TempDir::new("ar-mfa");
    let sts = Arc::new(FakeSts::default());
    let prompts = Arc::new(Mutex::new(Vec::<String>::new()));
    let p2 = prompts.clone();
    let prompt: MfaPrompt = Arc::new(move |serial: &str| {
        p2.lock().unwrap().push(serial.to_string());
        Ok("123456".to_string())
    });
    let config = "[profile p]\nrole_arn = arn:p\ncredential_source = environment\nmfa_serial = arn:mfa/dev\n";
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "ENVKEY"),
        ("AWS_SECRET_ACCESS_KEY", "S"),
    ]);
    let set = ProfileSet::parse(Some(config), None).unwrap();
    assert!(matches!(
        plan_assume_role(&set, "p").unwrap().unwrap().source,
        SourceCredentials::Named {
            source: CredentialSource::Environment,
            ..
        }
    ));
    let (provider, _) = chain(&home, config, "", env, Some(sts.clone()))
        .profile("p")
        .mfa_prompt(prompt)
        .build_chain()
        .unwrap();
    let c = provider.provide().await.unwrap();
    assert_eq!(c.access_key_id(), "ASIA1");
    let r = sts.assume.lock().unwrap()[0].clone();
    assert_eq!(r.source_credentials.access_key_id(), "ENVKEY");
    assert_eq!(
        (r.serial_number.as_deref(), r.token_code.as_deref()),
        (Some("arn:mfa/dev"), Some("123456"))
    );
    assert_eq!(*prompts.lock().unwrap(), ["arn:mfa/dev"]);
    // A refresh would need a new code: botocore refuses, and so do we.
    let err = provider.provide().await.unwrap_err().to_string();
    assert!(err.contains("MFA"), "{err}");
}

#[tokio::test]
async fn missing_sts_client_and_sts_errors_are_clear() {
    let home = TempDir::new("ar-noclient");
    let config = "[profile p]\nrole_arn = arn:p\nsource_profile = b\n[profile b]\naws_access_key_id = K\naws_secret_access_key = S\n";
    let err = chain(&home, config, "", Env::default(), None)
        .profile("p")
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            CredentialsError::NeedsClient {
                provider: "assume-role",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("STS AssumeRole"));

    let sts = Arc::new(FakeSts {
        fail_with: Some(ApiError::new(Some("AccessDenied"), "not allowed")),
        ..Default::default()
    });
    let err = chain(&home, config, "", Env::default(), Some(sts))
        .profile("p")
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("AccessDenied") && msg.contains("arn:p"),
        "{msg}"
    );
}

#[tokio::test]
async fn source_profile_without_credentials() {
    let home = TempDir::new("ar-empty-src");
    let config = "[profile p]\nrole_arn = arn:p\nsource_profile = b\n[profile b]\nregion = x\n";
    let err = chain(
        &home,
        config,
        "",
        Env::default(),
        Some(Arc::new(FakeSts::default())),
    )
    .profile("p")
    .build()
    .unwrap()
    .provide()
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("source profile \"b\" must have credentials"),
        "{err}"
    );
}

#[tokio::test]
async fn web_identity_from_env() {
    let home = TempDir::new("wi-env");
    let token = home.write("token", "eyJ.web.token");
    let sts = Arc::new(FakeSts::default());
    let env = Env::from_vars([
        (
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            token.to_string_lossy().into_owned(),
        ),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web".into()),
        ("AWS_ROLE_SESSION_NAME", "pod-1".into()),
    ]);
    let c = chain(&home, "", "", env, Some(sts.clone()))
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider()),
        ("ASIAWEB", "assume-role-with-web-identity")
    );
    let r = sts.web.lock().unwrap()[0].clone();
    assert_eq!(r.role_arn, "arn:aws:iam::1:role/web");
    assert_eq!(r.role_session_name, "pod-1");
    assert_eq!(r.web_identity_token, "eyJ.web.token");
}

#[tokio::test]
async fn web_identity_from_profile_and_token_rotation() {
    let home = TempDir::new("wi-prof");
    let token = home.write("tok", "first");
    let sts = Arc::new(FakeSts::default());
    let config = format!(
        "[profile w]\nweb_identity_token_file = {}\nrole_arn = arn:w\n",
        token.display()
    );
    // Env vars are ignored when the profile is explicit.
    let env = Env::from_vars([("AWS_ROLE_ARN", "arn:from-env")]);
    let (provider, _) = chain(&home, &config, "", env, Some(sts.clone()))
        .profile("w")
        .build_chain()
        .unwrap();
    provider.provide().await.unwrap();
    std::fs::write(&token, "second").unwrap();
    provider.provide().await.unwrap();
    let reqs = sts.web.lock().unwrap().clone();
    assert_eq!(
        reqs.iter()
            .map(|r| r.web_identity_token.as_str())
            .collect::<Vec<_>>(),
        ["first", "second"]
    );
    assert!(reqs.iter().all(|r| r.role_arn == "arn:w"));
    assert!(reqs[0].role_session_name.starts_with("botocore-session-"));
}

#[tokio::test]
async fn web_identity_errors() {
    let home = TempDir::new("wi-err");
    let token = home.write("tok", "t");
    let env = Env::from_vars([(
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        token.to_string_lossy().into_owned(),
    )]);
    let err = chain(
        &home,
        "",
        "",
        env.clone(),
        Some(Arc::new(FakeSts::default())),
    )
    .build()
    .unwrap()
    .provide()
    .await
    .unwrap_err();
    assert!(err.to_string().contains("role ARN"), "{err}");
    let env = env.with_var("AWS_ROLE_ARN", "arn:x");
    let err = chain(&home, "", "", env, None)
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::NeedsClient { .. }), "{err}");
}
