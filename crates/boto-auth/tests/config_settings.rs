//! The settings table (botocore's `configprovider`): explicit > environment >
//! profile > default through the one typed lookup, and botocore's messages for
//! refused values.

use std::sync::Arc;

use boto_auth::config::{
    settings, AccountIdEndpointMode, ConfigError, ConfigResolver, EndpointDiscovery, Env,
    ProfileSelection, ProfileSet, RegionalEndpoints, ValueSource,
};

fn resolver(config: &str, env: Env) -> ConfigResolver {
    let set = Arc::new(ProfileSet::parse(Some(config), None).unwrap());
    ConfigResolver::new(env.clone(), set, &ProfileSelection::resolve(None, &env)).unwrap()
}

fn profile_source(key: &str) -> ValueSource {
    ValueSource::Profile {
        profile: "default".into(),
        key: key.into(),
    }
}

#[test]
fn endpoint_discovery_enabled_precedence() {
    let s = &settings::ENDPOINT_DISCOVERY_ENABLED;
    let none = resolver("[default]\n", Env::default());
    let got = none.get(s, None).unwrap().unwrap();
    assert_eq!(
        (got.value, got.source),
        (EndpointDiscovery::Auto, ValueSource::Default)
    );

    let file = "[default]\nendpoint_discovery_enabled = false\n";
    let profile = resolver(file, Env::default());
    let got = profile.get(s, None).unwrap().unwrap();
    assert_eq!(
        (got.value, got.source),
        (
            EndpointDiscovery::Disabled,
            profile_source("endpoint_discovery_enabled")
        )
    );

    // The environment wins over the profile; any case and surrounding blanks are accepted.
    let env = resolver(
        file,
        Env::from_vars([("AWS_ENDPOINT_DISCOVERY_ENABLED", " TRUE ")]),
    );
    let got = env.get(s, None).unwrap().unwrap();
    assert_eq!(
        (got.value, got.source),
        (
            EndpointDiscovery::Enabled,
            ValueSource::Environment("AWS_ENDPOINT_DISCOVERY_ENABLED")
        )
    );

    // An explicit value wins over both.
    let got = env.get(s, Some(EndpointDiscovery::Auto)).unwrap().unwrap();
    assert_eq!(
        (got.value, got.source),
        (EndpointDiscovery::Auto, ValueSource::Explicit)
    );
    assert_eq!(
        s.parse_explicit("False").unwrap(),
        EndpointDiscovery::Disabled
    );
}

#[test]
fn endpoint_discovery_enabled_refusals_use_botocore_wording() {
    let s = &settings::ENDPOINT_DISCOVERY_ENABLED;
    let r = resolver(
        "[default]\n",
        Env::from_vars([("AWS_ENDPOINT_DISCOVERY_ENABLED", " Sometimes")]),
    );
    let err = r.get(s, None).unwrap_err();
    // botocore's InvalidEndpointDiscoveryConfigurationError quotes the normalized value.
    assert_eq!(
        err.to_string(),
        "Unsupported configuration value for endpoint_discovery_enabled. \
         Expected one of (\"true\", \"false\", \"auto\") but got sometimes."
    );
    match err {
        ConfigError::Rejected {
            setting, source, ..
        } => {
            assert_eq!(setting, "endpoint_discovery_enabled");
            assert_eq!(
                source,
                "environment variable AWS_ENDPOINT_DISCOVERY_ENABLED"
            );
        }
        other => panic!("unexpected error kind: {other:?}"),
    }
    let r = resolver(
        "[default]\nendpoint_discovery_enabled = 1\n",
        Env::default(),
    );
    assert!(r
        .get(s, None)
        .unwrap_err()
        .to_string()
        .ends_with("but got 1."));
    assert!(s.parse_explicit("").is_err());
}

#[test]
fn account_id_endpoint_mode_precedence() {
    let s = &settings::ACCOUNT_ID_ENDPOINT_MODE;
    let none = resolver("[default]\n", Env::default());
    assert_eq!(
        none.value(s, None).unwrap(),
        AccountIdEndpointMode::Preferred,
        "botocore's default"
    );

    let file = "[default]\naccount_id_endpoint_mode = required\n";
    let profile = resolver(file, Env::default());
    let got = profile.get(s, None).unwrap().unwrap();
    assert_eq!(
        (got.value, got.source),
        (
            AccountIdEndpointMode::Required,
            profile_source("account_id_endpoint_mode")
        )
    );

    let env = resolver(
        file,
        Env::from_vars([("AWS_ACCOUNT_ID_ENDPOINT_MODE", "DISABLED")]),
    );
    let got = env.get(s, None).unwrap().unwrap();
    assert_eq!(
        (got.value, got.source),
        (
            AccountIdEndpointMode::Disabled,
            ValueSource::Environment("AWS_ACCOUNT_ID_ENDPOINT_MODE")
        )
    );
    assert_eq!(
        env.value(s, Some(AccountIdEndpointMode::Preferred))
            .unwrap(),
        AccountIdEndpointMode::Preferred
    );
}

#[test]
fn account_id_endpoint_mode_refusals_use_botocore_wording() {
    let s = &settings::ACCOUNT_ID_ENDPOINT_MODE;
    let r = resolver(
        "[default]\naccount_id_endpoint_mode = Sometimes\n",
        Env::default(),
    );
    let expected = "The configured value 'sometimes' for 'account_id_endpoint_mode' is invalid. \
                    Valid values are: ('preferred', 'disabled', 'required').";
    assert_eq!(r.get(s, None).unwrap_err().to_string(), expected);
    assert_eq!(
        s.parse_explicit("SOMETIMES").unwrap_err().to_string(),
        expected
    );
    // An empty environment variable counts as set (botocore's EnvironmentProvider).
    let r = resolver(
        "[default]\naccount_id_endpoint_mode = required\n",
        Env::from_vars([("AWS_ACCOUNT_ID_ENDPOINT_MODE", "")]),
    );
    assert!(r
        .get(s, None)
        .unwrap_err()
        .to_string()
        .starts_with("The configured value '' for 'account_id_endpoint_mode'"));
}

#[test]
fn regional_endpoint_settings() {
    let sts = &settings::STS_REGIONAL_ENDPOINTS;
    let s3 = &settings::S3_US_EAST_1_REGIONAL_ENDPOINT;
    let r = resolver("[default]\n", Env::default());
    assert_eq!(r.value(sts, None).unwrap(), RegionalEndpoints::Regional);
    assert_eq!(r.value(s3, None).unwrap(), RegionalEndpoints::Legacy);

    // The top-level key wins over the nested one, the environment over both.
    let file = "[default]\nsts_regional_endpoints = legacy\n\
                s3_us_east_1_regional_endpoint = regional\n\
                s3 =\n  us_east_1_regional_endpoint = legacy\n";
    let r = resolver(file, Env::default());
    assert_eq!(r.value(sts, None).unwrap(), RegionalEndpoints::Legacy);
    assert_eq!(r.value(s3, None).unwrap(), RegionalEndpoints::Regional);
    let r = resolver(
        "[default]\ns3 =\n  us_east_1_regional_endpoint = regional\n",
        Env::default(),
    );
    let got = r.get(s3, None).unwrap().unwrap();
    assert_eq!(
        (got.value, got.source),
        (
            RegionalEndpoints::Regional,
            profile_source("s3.us_east_1_regional_endpoint")
        )
    );
    let r = resolver(
        file,
        Env::from_vars([
            ("AWS_STS_REGIONAL_ENDPOINTS", "regional"),
            ("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "legacy"),
        ]),
    );
    assert_eq!(r.value(sts, None).unwrap(), RegionalEndpoints::Regional);
    assert_eq!(r.value(s3, None).unwrap(), RegionalEndpoints::Legacy);

    // An empty STS value is botocore's default; invalid values get botocore's messages.
    let r = resolver(
        file,
        Env::from_vars([
            ("AWS_STS_REGIONAL_ENDPOINTS", ""),
            ("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "global"),
        ]),
    );
    assert_eq!(r.value(sts, None).unwrap(), RegionalEndpoints::Regional);
    assert_eq!(
        r.get(s3, None).unwrap_err().to_string(),
        "S3 us-east-1 regional endpoint option global is invalid. \
         Valid options are: \"legacy\", \"regional\""
    );
    let r = resolver(
        "[default]\nsts_regional_endpoints = global\n",
        Env::default(),
    );
    assert_eq!(
        r.get(sts, None).unwrap_err().to_string(),
        "STS regional endpoints option global is invalid. \
         Valid options are: \"legacy\", \"regional\""
    );
}

#[test]
fn s3_switches_and_compression_settings() {
    let file = "[default]\ns3 =\n  use_accelerate_endpoint = true\n  \
                s3_disable_multiregion_access_points = true\n  use_arn_region = false\n\
                request_min_compression_size_bytes = 200\n";
    let r = resolver(file, Env::default());
    assert!(r
        .value(&settings::S3_USE_ACCELERATE_ENDPOINT, None)
        .unwrap());
    assert!(r
        .value(&settings::S3_DISABLE_MULTIREGION_ACCESS_POINTS, None)
        .unwrap());
    assert_eq!(
        r.get(&settings::S3_USE_ARN_REGION, None)
            .unwrap()
            .map(|v| v.value),
        Some(false)
    );
    assert_eq!(
        r.value(&settings::REQUEST_MIN_COMPRESSION_SIZE_BYTES, None)
            .unwrap(),
        200
    );
    let r = resolver(
        file,
        Env::from_vars([
            ("AWS_S3_USE_ARN_REGION", "true"),
            ("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS", "false"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0"),
        ]),
    );
    assert_eq!(
        r.get(&settings::S3_USE_ARN_REGION, None)
            .unwrap()
            .map(|v| v.value),
        Some(true)
    );
    assert!(!r
        .value(&settings::S3_DISABLE_MULTIREGION_ACCESS_POINTS, None)
        .unwrap());
    assert_eq!(
        r.value(&settings::REQUEST_MIN_COMPRESSION_SIZE_BYTES, None)
            .unwrap_err()
            .to_string(),
        "Invalid value \"0\" for request_min_compression_size_bytes. \
         Value must be between 1 and 1048576."
    );
    let r = resolver("[default]\n", Env::default());
    assert_eq!(r.get(&settings::S3_USE_ARN_REGION, None).unwrap(), None);
    assert_eq!(
        r.value(&settings::REQUEST_MIN_COMPRESSION_SIZE_BYTES, None)
            .unwrap(),
        10240
    );
    // A setting without a default that nothing sets is an error through `value`.
    assert!(r.value(&settings::S3_USE_ARN_REGION, None).is_err());
}
