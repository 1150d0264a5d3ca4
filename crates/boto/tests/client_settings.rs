//! Settings that reach a client's `ClientConfig` through the settings table:
//! explicit `ClientOptions` > environment > profile > botocore's default, and
//! botocore's messages for refused values, at client creation.

use boto::core::auth::config::{AccountIdEndpointMode, EndpointDiscovery, Env};
use boto::core::runtime::config::ClientConfig;
use boto::{ClientOptions, Session};
use std::path::PathBuf;

/// A config file written for one test, removed on drop.
struct ConfigFile(PathBuf);

impl ConfigFile {
    fn new(tag: &str, text: &str) -> ConfigFile {
        let dir =
            std::env::temp_dir().join(format!("boto-client-settings-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config");
        std::fs::write(&path, text).unwrap();
        ConfigFile(dir)
    }
    fn path(&self) -> String {
        self.0.join("config").to_string_lossy().into_owned()
    }
}

impl Drop for ConfigFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn config(
    file: Option<&ConfigFile>,
    vars: &[(&str, &str)],
    service: &str,
    o: &ClientOptions,
) -> Result<ClientConfig, boto::Error> {
    let mut env = Env::from_vars(vars.iter().copied());
    if let Some(f) = file {
        env = env.with_var("AWS_CONFIG_FILE", f.path());
    }
    let session = Session::builder()
        .env(env)
        .region("us-east-1")
        .credentials("AKIDEXAMPLE", "SECRET", None)
        .build()?;
    session.client_config(service, o)
}

fn defaults() -> ClientOptions {
    ClientOptions::default()
}

#[test]
fn endpoint_discovery_explicit_env_profile_default() {
    let c = config(None, &[], "dynamodb", &defaults()).unwrap();
    assert_eq!(c.endpoint_discovery, EndpointDiscovery::Auto);

    let file = ConfigFile::new("ed", "[default]\nendpoint_discovery_enabled = true\n");
    let c = config(Some(&file), &[], "dynamodb", &defaults()).unwrap();
    assert_eq!(c.endpoint_discovery, EndpointDiscovery::Enabled);

    let env = [("AWS_ENDPOINT_DISCOVERY_ENABLED", "False")];
    let c = config(Some(&file), &env, "dynamodb", &defaults()).unwrap();
    assert_eq!(c.endpoint_discovery, EndpointDiscovery::Disabled);

    let explicit = ClientOptions {
        endpoint_discovery: Some(EndpointDiscovery::Auto),
        ..defaults()
    };
    let c = config(Some(&file), &env, "dynamodb", &explicit).unwrap();
    assert_eq!(c.endpoint_discovery, EndpointDiscovery::Auto);
}

#[test]
fn endpoint_discovery_invalid_value_is_botocores_error() {
    let env = [("AWS_ENDPOINT_DISCOVERY_ENABLED", "maybe")];
    let err = config(None, &env, "dynamodb", &defaults()).unwrap_err();
    assert_eq!(err.kind(), boto::ErrorKind::Construction);
    // As botocore, only where discovery can happen: not for services without a discovery
    // operation, nor with an endpoint_url argument.
    let c = config(None, &env, "s3", &defaults()).unwrap();
    assert_eq!(c.endpoint_discovery, EndpointDiscovery::Auto);
    let custom = ClientOptions {
        endpoint_url: Some("http://localhost:8000".into()),
        ..defaults()
    };
    assert!(config(None, &env, "dynamodb", &custom).is_ok());
    assert!(
        err.to_string().contains(
            "Unsupported configuration value for endpoint_discovery_enabled. \
             Expected one of (\"true\", \"false\", \"auto\") but got maybe."
        ),
        "{err}"
    );
}

#[test]
fn account_id_endpoint_mode_explicit_env_profile_default() {
    let mode = |c: &ClientConfig| c.account_id_endpoint_mode.clone();
    let c = config(None, &[], "dynamodb", &defaults()).unwrap();
    assert_eq!(mode(&c).as_deref(), Some("preferred"), "botocore's default");

    let file = ConfigFile::new("aid", "[default]\naccount_id_endpoint_mode = required\n");
    let c = config(Some(&file), &[], "dynamodb", &defaults()).unwrap();
    assert_eq!(mode(&c).as_deref(), Some("required"));

    let env = [("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")];
    let c = config(Some(&file), &env, "dynamodb", &defaults()).unwrap();
    assert_eq!(mode(&c).as_deref(), Some("disabled"));

    let explicit = ClientOptions {
        account_id_endpoint_mode: Some(AccountIdEndpointMode::Preferred),
        ..defaults()
    };
    let c = config(Some(&file), &env, "dynamodb", &explicit).unwrap();
    assert_eq!(mode(&c).as_deref(), Some("preferred"));

    // Unsigned clients: `disabled`, without reading (or checking) the setting, as botocore.
    let unsigned = ClientOptions {
        sign_requests: Some(false),
        ..explicit
    };
    let bad = [("AWS_ACCOUNT_ID_ENDPOINT_MODE", "bogus")];
    let c = config(Some(&file), &bad, "dynamodb", &unsigned).unwrap();
    assert_eq!(mode(&c).as_deref(), Some("disabled"));
}

#[test]
fn account_id_endpoint_mode_invalid_value_is_botocores_error() {
    let file = ConfigFile::new("aid-bad", "[default]\naccount_id_endpoint_mode = Bogus\n");
    let err = config(Some(&file), &[], "dynamodb", &defaults()).unwrap_err();
    assert!(
        err.to_string().contains(
            "The configured value 'bogus' for 'account_id_endpoint_mode' is invalid. \
             Valid values are: ('preferred', 'disabled', 'required')."
        ),
        "{err}"
    );
}

#[test]
fn regional_endpoint_and_s3_settings_reach_the_client() {
    let c = config(None, &[], "s3", &defaults()).unwrap();
    assert!(c.s3_us_east_1_global && !c.sts_global);
    assert!(!c.s3_use_accelerate && !c.s3_disable_multiregion_access_points);
    assert_eq!(c.s3_use_arn_region, None);

    let file = ConfigFile::new(
        "s3",
        "[default]\nsts_regional_endpoints = legacy\ns3_use_arn_region = true\n\
         s3 =\n  us_east_1_regional_endpoint = regional\n  use_accelerate_endpoint = true\n  \
         s3_disable_multiregion_access_points = true\n",
    );
    let c = config(Some(&file), &[], "s3", &defaults()).unwrap();
    assert!(!c.s3_us_east_1_global && c.sts_global);
    assert!(c.s3_use_accelerate && c.s3_disable_multiregion_access_points);
    assert_eq!(c.s3_use_arn_region, Some(true));

    let env = [
        ("AWS_STS_REGIONAL_ENDPOINTS", "regional"),
        ("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "legacy"),
        ("AWS_S3_USE_ARN_REGION", "false"),
        ("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS", "false"),
    ];
    let c = config(Some(&file), &env, "s3", &defaults()).unwrap();
    assert!(c.s3_us_east_1_global && !c.sts_global);
    assert!(!c.s3_disable_multiregion_access_points);
    assert_eq!(c.s3_use_arn_region, Some(false));

    let err = config(
        None,
        &[("AWS_STS_REGIONAL_ENDPOINTS", "global")],
        "sts",
        &defaults(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains(
            "STS regional endpoints option global is invalid. Valid options are: \"legacy\", \"regional\""
        ),
        "{err}"
    );
}

#[test]
fn request_compression_settings_keep_their_precedence_and_messages() {
    let file = ConfigFile::new(
        "gz",
        "[default]\ndisable_request_compression = true\nrequest_min_compression_size_bytes = 5\n",
    );
    let c = config(Some(&file), &[], "cloudwatch", &defaults()).unwrap();
    assert!(c.request_compression.disabled);
    assert_eq!(c.request_compression.min_size, 5);
    let env = [
        ("AWS_DISABLE_REQUEST_COMPRESSION", "false"),
        ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "7"),
    ];
    let c = config(Some(&file), &env, "cloudwatch", &defaults()).unwrap();
    assert!(!c.request_compression.disabled);
    assert_eq!(c.request_compression.min_size, 7);
    let explicit = ClientOptions {
        disable_request_compression: Some(true),
        request_min_compression_size_bytes: Some(9),
        ..defaults()
    };
    let c = config(Some(&file), &env, "cloudwatch", &explicit).unwrap();
    assert!(c.request_compression.disabled);
    assert_eq!(c.request_compression.min_size, 9);
    let too_big = ClientOptions {
        request_min_compression_size_bytes: Some(2_000_000),
        ..defaults()
    };
    let err = config(None, &[], "cloudwatch", &too_big).unwrap_err();
    assert!(
        err.to_string().contains(
            "Invalid value \"2000000\" for request_min_compression_size_bytes. \
             Value must be between 1 and 1048576."
        ),
        "{err}"
    );
}

#[test]
fn s3_dualstack_and_host_prefix_settings() {
    let file = ConfigFile::new(
        "ds",
        "[default]\ns3 =\n  use_dualstack_endpoint = true\n\
         disable_host_prefix_injection = true\n",
    );
    // `s3.use_dualstack_endpoint` is S3's own (botocore's `_is_s3_dualstack_mode`).
    let s3 = config(Some(&file), &[], "s3", &defaults()).unwrap();
    let ddb = config(Some(&file), &[], "dynamodb", &defaults()).unwrap();
    assert!(s3.use_dualstack && !ddb.use_dualstack);
    assert!(s3.disable_host_prefix_injection && ddb.disable_host_prefix_injection);

    let env = [
        ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ("AWS_DISABLE_HOST_PREFIX_INJECTION", "false"),
    ];
    let ddb = config(Some(&file), &env, "dynamodb", &defaults()).unwrap();
    assert!(ddb.use_dualstack && !ddb.disable_host_prefix_injection);
    let plain = config(None, &[], "s3", &defaults()).unwrap();
    assert!(!plain.use_dualstack && !plain.disable_host_prefix_injection);
}

#[test]
fn user_agent_app_id_explicit_env_profile() {
    let extra = |c: ClientConfig| c.user_agent_extra;
    assert_eq!(extra(config(None, &[], "s3", &defaults()).unwrap()), None);
    let file = ConfigFile::new("ua", "[default]\nsdk_ua_app_id = from-profile\n");
    let c = config(Some(&file), &[], "s3", &defaults()).unwrap();
    assert_eq!(extra(c).as_deref(), Some("app/from-profile"));
    let env = [("AWS_SDK_UA_APP_ID", "from env/1")];
    let c = config(Some(&file), &env, "s3", &defaults()).unwrap();
    // botocore's sanitize_user_agent_string_component: ' ' and '/' become '-'.
    assert_eq!(extra(c).as_deref(), Some("app/from-env-1"));
    let explicit = ClientOptions {
        user_agent_appid: Some("mine#2".into()),
        ..defaults()
    };
    let c = config(Some(&file), &env, "s3", &explicit).unwrap();
    assert_eq!(extra(c).as_deref(), Some("app/mine#2"));
}

#[test]
fn s3_express_session_auth_switch_explicit_env_profile_default() {
    use boto::core::runtime::config::ParamValue;
    let disable = |c: &ClientConfig| {
        c.client_context_params
            .iter()
            .find(|(k, _)| k == "DisableS3ExpressSessionAuth")
            .map(|(_, v)| v.clone())
    };
    // botocore always passes the computed value to S3's rule set (false when unset).
    let c = config(None, &[], "s3", &defaults()).unwrap();
    assert_eq!(disable(&c), Some(ParamValue::Bool(false)));
    // Not an S3 setting for other services.
    let c = config(
        None,
        &[("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "true")],
        "dynamodb",
        &defaults(),
    )
    .unwrap();
    assert_eq!(disable(&c), None);

    let file = ConfigFile::new("s3x", "[default]\ns3_disable_express_session_auth = TRUE\n");
    let c = config(Some(&file), &[], "s3", &defaults()).unwrap();
    assert_eq!(disable(&c), Some(ParamValue::Bool(true)));
    let c = config(
        Some(&file),
        &[("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "false")],
        "s3",
        &defaults(),
    )
    .unwrap();
    assert_eq!(
        disable(&c),
        Some(ParamValue::Bool(false)),
        "env over profile"
    );
    let explicit = ClientOptions {
        s3_disable_express_session_auth: Some(true),
        ..defaults()
    };
    let c = config(
        Some(&file),
        &[("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "false")],
        "s3",
        &explicit,
    )
    .unwrap();
    assert_eq!(
        disable(&c),
        Some(ParamValue::Bool(true)),
        "explicit over env"
    );

    let err = config(
        None,
        &[("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "yes")],
        "s3",
        &defaults(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains(
            "Invalid value \"yes\" for s3_disable_express_session_auth. Value must be a boolean"
        ),
        "{err}"
    );
}

#[test]
fn sigv4a_signing_region_set_explicit_env_profile_and_refused_values() {
    let set = |o: &ClientOptions, vars: &[(&str, &str)], file: Option<&ConfigFile>| {
        config(file, vars, "s3", o).map(|c| c.sigv4a_signing_region_set)
    };
    assert_eq!(set(&defaults(), &[], None).unwrap(), None);
    let file = ConfigFile::new(
        "v4a",
        "[default]\nsigv4a_signing_region_set = us-east-1, us-west-*\n",
    );
    assert_eq!(
        set(&defaults(), &[], Some(&file)).unwrap().as_deref(),
        Some("us-east-1,us-west-*")
    );
    assert_eq!(
        set(
            &defaults(),
            &[("AWS_SIGV4A_SIGNING_REGION_SET", "*")],
            Some(&file)
        )
        .unwrap()
        .as_deref(),
        Some("*")
    );
    let explicit = ClientOptions {
        sigv4a_signing_region_set: Some("eu-west-1".into()),
        ..defaults()
    };
    assert_eq!(
        set(&explicit, &[("AWS_SIGV4A_SIGNING_REGION_SET", "*")], None)
            .unwrap()
            .as_deref(),
        Some("eu-west-1")
    );
    // Signed into a header: nothing but region characters gets through, from any source.
    for bad in ["us-east-1\r\nX-Evil: 1", "us east", "us-east-1,,"] {
        assert!(
            set(&defaults(), &[("AWS_SIGV4A_SIGNING_REGION_SET", bad)], None).is_err(),
            "{bad:?}"
        );
        let explicit = ClientOptions {
            sigv4a_signing_region_set: Some(bad.into()),
            ..defaults()
        };
        assert!(set(&explicit, &[], None).is_err(), "{bad:?}");
    }
    // Empty is unset, as botocore reads it.
    assert_eq!(
        set(&defaults(), &[("AWS_SIGV4A_SIGNING_REGION_SET", "")], None).unwrap(),
        None
    );
}
