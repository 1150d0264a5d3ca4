//! Shared config/credentials files: loading, errors, profile selection, and
//! typed settings with explicit > env > profile > default precedence.

mod common;

use std::sync::Arc;
use std::time::Duration;

use boto_auth::config::{
    settings, AddressingStyle, ChecksumMode, ConfigError, ConfigResolver, DefaultsMode, Env,
    ExplicitConfig, ImdsEndpointMode, ProfileSelection, ProfileSet, RetryMode, ValueSource,
};
use common::TempDir;

fn resolver(config: &str, env: Env, profile: Option<&str>) -> Result<ConfigResolver, ConfigError> {
    let set = Arc::new(ProfileSet::parse(Some(config), None)?);
    ConfigResolver::new(env.clone(), set, &ProfileSelection::resolve(profile, &env))
}

#[test]
fn loads_default_paths_under_home() {
    let home = TempDir::new("cfg-home");
    home.write(
        ".aws/config",
        "[default]\nregion = us-west-2\n[profile dev]\nregion = eu-west-1\n",
    );
    home.write(
        ".aws/credentials",
        "[dev]\naws_access_key_id = AKID\naws_secret_access_key = S\n",
    );
    let env = Env::default().with_home(home.path());
    let set = ProfileSet::load(&env).unwrap();
    assert_eq!(
        set.profile("default").unwrap().get("region"),
        Some("us-west-2")
    );
    assert_eq!(
        set.profile("dev").unwrap().get("aws_access_key_id"),
        Some("AKID")
    );
    assert_eq!(
        set.config_path(),
        Some(home.path().join(".aws/config").as_path())
    );
}

#[test]
fn env_file_paths_with_tilde_and_vars() {
    let home = TempDir::new("cfg-env");
    home.write("custom/cfg", "[profile x]\nregion = r1\n");
    home.write(
        "custom/creds",
        "[x]\naws_access_key_id = A\naws_secret_access_key = B\n",
    );
    let env = Env::from_vars([
        ("AWS_CONFIG_FILE", "~/custom/cfg"),
        ("AWS_SHARED_CREDENTIALS_FILE", "$HOME/custom/creds"),
    ])
    .with_var("HOME", home.path().to_string_lossy())
    .with_home(home.path());
    let set = ProfileSet::load(&env).unwrap();
    assert_eq!(set.profile("x").unwrap().get("region"), Some("r1"));
    assert_eq!(
        set.credentials_file_profile("x")
            .unwrap()
            .get("aws_access_key_id"),
        Some("A")
    );
}

#[test]
fn missing_files_are_empty() {
    let home = TempDir::new("cfg-missing");
    let set = ProfileSet::load(&Env::default().with_home(home.path())).unwrap();
    assert_eq!(set.profile_names().count(), 0);
}

#[test]
fn malformed_file_names_file_and_line() {
    let home = TempDir::new("cfg-bad");
    let path = home.write(
        "config",
        "[default]\nregion = x\nthis line has no delimiter\n",
    );
    let env = Env::from_vars([("AWS_CONFIG_FILE", path.to_string_lossy().into_owned())])
        .with_home(home.path());
    let err = ProfileSet::load(&env).unwrap_err();
    match &err {
        ConfigError::Parse { path: p, line, .. } => {
            assert_eq!(p, &path);
            assert_eq!(*line, 3);
        }
        other => panic!("unexpected {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains(&path.display().to_string()) && msg.contains("line 3"),
        "{msg}"
    );

    let path = home.write("config2", "region = x\n");
    let env = Env::from_vars([("AWS_CONFIG_FILE", path.to_string_lossy().into_owned())])
        .with_home(home.path());
    assert!(matches!(
        ProfileSet::load(&env),
        Err(ConfigError::Parse { line: 1, .. })
    ));

    let path = home.write("config3", "[p]\ns3 =\n  addressing_style path\n");
    let env = Env::from_vars([("AWS_CONFIG_FILE", path.to_string_lossy().into_owned())])
        .with_home(home.path());
    assert!(matches!(
        ProfileSet::load(&env),
        Err(ConfigError::Parse { line: 3, .. })
    ));
}

#[test]
fn missing_profile_lists_existing_ones() {
    let env = Env::from_vars([("AWS_PROFILE", "nope")]);
    let err = resolver("[default]\n[profile a]\n[profile b]\n", env, None).unwrap_err();
    assert_eq!(
        err,
        ConfigError::ProfileNotFound {
            profile: "nope".into(),
            available: vec!["a".into(), "b".into(), "default".into()]
        }
    );
    assert!(err.to_string().contains("a, b, default"));
    // A missing `default` is fine when nothing was asked for.
    let r = resolver("[profile a]\n", Env::default(), None).unwrap();
    assert_eq!(r.profile().name(), "default");
}

#[test]
fn profile_selection_order() {
    let env = Env::from_vars([("AWS_PROFILE", "p"), ("AWS_DEFAULT_PROFILE", "d")]);
    assert_eq!(ProfileSelection::resolve(None, &env).name, "d");
    let sel = ProfileSelection::resolve(Some("x"), &env);
    assert!(sel.explicit && sel.name == "x");
    assert!(!ProfileSelection::resolve(None, &Env::default()).required);
}

#[test]
fn precedence_explicit_env_profile_default() {
    let cfg = "[default]\nregion = from-profile\nretry_mode = adaptive\nmax_attempts = 7\n";
    let r = resolver(
        cfg,
        Env::from_vars([("AWS_DEFAULT_REGION", "from-env")]),
        None,
    )
    .unwrap();
    assert_eq!(r.region(Some("explicit")).unwrap().value, "explicit");
    let env_region = r.region(None).unwrap();
    assert_eq!(
        (env_region.value.as_str(), env_region.source),
        ("from-env", ValueSource::Environment("AWS_DEFAULT_REGION"))
    );
    let mode = r.retry_mode(None).unwrap();
    assert_eq!(mode.value, RetryMode::Adaptive);
    assert!(matches!(mode.source, ValueSource::Profile { .. }));
    assert_eq!(r.max_attempts(None).unwrap().unwrap().value, 7);
    assert_eq!(
        r.retry_mode(Some(RetryMode::Standard)).unwrap().value,
        RetryMode::Standard
    );

    let r = resolver("[default]\n", Env::default(), None).unwrap();
    let d = r.retry_mode(None).unwrap();
    assert_eq!(
        (d.value, d.source),
        (RetryMode::Legacy, ValueSource::Default)
    );
    assert_eq!(
        r.request_checksum_calculation(None).unwrap().value,
        ChecksumMode::WhenSupported
    );
    assert_eq!(
        r.addressing_style(None).unwrap().value,
        AddressingStyle::Auto
    );
    assert!(r.region(None).is_none());
}

#[test]
fn typed_values_and_nested_s3() {
    let cfg = "[profile t]\ns3 =\n  addressing_style = path\nuse_fips_endpoint = TRUE\nuse_dualstack_endpoint = yes\n\
               response_checksum_validation = WHEN_REQUIRED\ndefaults_mode = in-region\nca_bundle = /etc/ca.pem\n\
               ec2_metadata_service_endpoint_mode = IPv6\n";
    let r = resolver(
        cfg,
        Env::from_vars([("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")]),
        Some("t"),
    )
    .unwrap();
    assert_eq!(
        r.addressing_style(None).unwrap().value,
        AddressingStyle::Path
    );
    assert!(r.use_fips_endpoint(None).unwrap().value);
    // botocore's ensure_boolean: only "true" is true.
    assert!(!r.use_dualstack_endpoint(None).unwrap().value);
    assert_eq!(r.imds_endpoint_mode().unwrap(), ImdsEndpointMode::Ipv6);
    let all = r
        .resolve_all(&ExplicitConfig {
            read_timeout: Some(Duration::from_secs(5)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        all.request_checksum_calculation.value,
        ChecksumMode::WhenRequired
    );
    assert_eq!(
        all.response_checksum_validation.value,
        ChecksumMode::WhenRequired
    );
    assert_eq!(all.defaults_mode.value, DefaultsMode::InRegion);
    assert_eq!(
        all.retry_mode.value,
        RetryMode::Standard,
        "smart defaults switch retries to standard"
    );
    assert_eq!(all.connect_timeout.value, Duration::from_millis(1100));
    assert_eq!(all.read_timeout.value, Duration::from_secs(5));
    assert_eq!(all.ca_bundle.unwrap().value, "/etc/ca.pem");
    assert_eq!(
        r.lookup(&settings::S3_ADDRESSING_STYLE).unwrap().value,
        "path"
    );
}

#[test]
fn invalid_values_are_clear_errors() {
    let r = resolver(
        "[default]\nretry_mode = sometimes\nmax_attempts = many\n",
        Env::default(),
        None,
    )
    .unwrap();
    let err = r.retry_mode(None).unwrap_err().to_string();
    assert!(
        err.contains("sometimes")
            && err.contains("retry_mode")
            && err.contains("legacy, standard, adaptive"),
        "{err}"
    );
    assert!(err.contains("profile \"default\""), "{err}");
    let err = r.max_attempts(None).unwrap_err().to_string();
    assert!(err.contains("many") && err.contains("integer"), "{err}");
    let r = resolver(
        "[default]\n",
        Env::from_vars([("AWS_DEFAULTS_MODE", "turbo")]),
        None,
    )
    .unwrap();
    let err = r.defaults_mode(None).unwrap_err().to_string();
    assert!(
        err.contains("AWS_DEFAULTS_MODE") && err.contains("turbo"),
        "{err}"
    );
    let r = resolver(
        "[default]\ns3 =\n  addressing_style = sideways\n",
        Env::default(),
        None,
    )
    .unwrap();
    assert!(r.addressing_style(None).is_err());
    let r = resolver("[default]\nmax_attempts = 0\n", Env::default(), None).unwrap();
    assert!(r.max_attempts(None).is_err());
}

#[test]
fn proxies_from_env_lowercase_wins() {
    let env = Env::from_vars([
        ("HTTPS_PROXY", "http://upper:1"),
        ("https_proxy", "http://lower:2"),
        ("NO_PROXY", "a,b"),
    ]);
    let r = resolver("[default]\n", env, None).unwrap();
    let p = r.proxies(None);
    assert_eq!(p.https.as_deref(), Some("http://lower:2"));
    assert_eq!(p.no_proxy.as_deref(), Some("a,b"));
    assert!(p.http.is_none());
}

#[test]
fn credentials_file_values_override_config_in_merged_view() {
    let set = ProfileSet::parse(
        Some("[profile p]\nregion = a\nx = 1\n"),
        Some("[p]\nregion = b\n"),
    )
    .unwrap();
    let p = set.profile("p").unwrap();
    assert_eq!((p.get("region"), p.get("x")), (Some("b"), Some("1")));
}
