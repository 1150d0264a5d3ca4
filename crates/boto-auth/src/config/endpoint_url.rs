//! Configured endpoint URLs: `AWS_ENDPOINT_URL[_<SERVICE>]` and `endpoint_url`
//! in the profile or its `[services]` section.
//!
//! botocore looks these up in a fixed order (service env var, global env var,
//! service entry of the profile's services section, profile's `endpoint_url`)
//! unless `ignore_configured_endpoint_urls` is set; an endpoint URL given to the
//! client wins over all of them. The service is identified by a "snake case"
//! service id derived from the client name, with a table of historical renames.

use super::env::Env;
use super::error::ConfigError;
use super::profile::{Profile, ProfileSet};

/// Client names whose model directory differs from their service id.
const SERVICE_NAME_ALIASES: &[(&str, &str)] = &[("runtime.sagemaker", "sagemaker-runtime")];

const CLIENT_NAME_TO_HYPHENIZED_SERVICE_ID: &[(&str, &str)] = &[
    ("apigateway", "api-gateway"),
    ("application-autoscaling", "application-auto-scaling"),
    ("appmesh", "app-mesh"),
    ("autoscaling", "auto-scaling"),
    ("autoscaling-plans", "auto-scaling-plans"),
    ("ce", "cost-explorer"),
    ("cloudhsmv2", "cloudhsm-v2"),
    ("cloudsearchdomain", "cloudsearch-domain"),
    ("cognito-idp", "cognito-identity-provider"),
    ("config", "config-service"),
    ("cur", "cost-and-usage-report-service"),
    ("datapipeline", "data-pipeline"),
    ("directconnect", "direct-connect"),
    ("devicefarm", "device-farm"),
    ("discovery", "application-discovery-service"),
    ("dms", "database-migration-service"),
    ("ds", "directory-service"),
    ("ds-data", "directory-service-data"),
    ("dynamodbstreams", "dynamodb-streams"),
    ("elasticbeanstalk", "elastic-beanstalk"),
    ("elb", "elastic-load-balancing"),
    ("elbv2", "elastic-load-balancing-v2"),
    ("es", "elasticsearch-service"),
    ("events", "eventbridge"),
    ("globalaccelerator", "global-accelerator"),
    ("iot-data", "iot-data-plane"),
    ("iot-jobs-data", "iot-jobs-data-plane"),
    ("iotwireless", "iot-wireless"),
    ("kinesisanalytics", "kinesis-analytics"),
    ("kinesisanalyticsv2", "kinesis-analytics-v2"),
    ("kinesisvideo", "kinesis-video"),
    ("lex-models", "lex-model-building-service"),
    ("lexv2-models", "lex-models-v2"),
    ("lex-runtime", "lex-runtime-service"),
    ("lexv2-runtime", "lex-runtime-v2"),
    ("logs", "cloudwatch-logs"),
    ("machinelearning", "machine-learning"),
    (
        "marketplacecommerceanalytics",
        "marketplace-commerce-analytics",
    ),
    ("marketplace-entitlement", "marketplace-entitlement-service"),
    ("meteringmarketplace", "marketplace-metering"),
    ("mgh", "migration-hub"),
    ("sms-voice", "pinpoint-sms-voice"),
    ("resourcegroupstaggingapi", "resource-groups-tagging-api"),
    ("route53", "route-53"),
    ("route53domains", "route-53-domains"),
    ("s3control", "s3-control"),
    ("sdb", "simpledb"),
    ("secretsmanager", "secrets-manager"),
    ("serverlessrepo", "serverlessapplicationrepository"),
    ("servicecatalog", "service-catalog"),
    ("servicecatalog-appregistry", "service-catalog-appregistry"),
    ("stepfunctions", "sfn"),
    ("storagegateway", "storage-gateway"),
];

fn lookup(table: &[(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The snake-case service id botocore derives from a client name
/// (`s3` → `s3`, `logs` → `cloudwatch_logs`, `runtime.sagemaker` → `sagemaker_runtime`).
pub fn snake_case_service_id(client_name: &str) -> String {
    let name = lookup(SERVICE_NAME_ALIASES, client_name).unwrap_or(client_name);
    let hyphenated = lookup(CLIENT_NAME_TO_HYPHENIZED_SERVICE_ID, name).unwrap_or(name);
    hyphenated.replace('-', "_")
}

/// The snake-case key from a model's `serviceId` (`"DynamoDB Streams"` → `dynamodb_streams`).
pub fn snake_case_from_service_id(service_id: &str) -> String {
    service_id.replace([' ', '-'], "_").to_lowercase()
}

/// The per-service environment variable, e.g. `AWS_ENDPOINT_URL_DYNAMODB_STREAMS`.
pub fn service_endpoint_env_var(snake_case_id: &str) -> String {
    format!("AWS_ENDPOINT_URL_{}", snake_case_id.to_uppercase())
}

/// Where a configured endpoint URL came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointUrlSource {
    /// Given to the client directly.
    Explicit,
    /// From an environment variable (its name).
    Environment(String),
    /// From the `[services]` section named here.
    ServicesSection(String),
    /// From the profile's own `endpoint_url`.
    Profile(String),
}

/// An endpoint URL and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredEndpointUrl {
    /// The endpoint URL as configured (`http(s)://host[:port]`).
    pub url: String,
    /// Where it was found; `--debug` reports this.
    pub source: EndpointUrlSource,
}

/// Whether configured endpoint URLs are switched off: the client's setting,
/// else `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, else the profile's
/// `ignore_configured_endpoint_urls` (case-insensitive `true`).
pub fn ignore_configured_endpoint_urls(
    client_setting: Option<bool>,
    env: &Env,
    profile: &Profile,
) -> bool {
    if let Some(v) = client_setting {
        return v;
    }
    let setting = &super::settings::IGNORE_CONFIGURED_ENDPOINT_URLS;
    setting
        .find(env, profile)
        .is_some_and(|r| (setting.parse)(&r.value) == Ok(true))
}

/// Resolves the endpoint URL a client should use before consulting endpoint
/// rules, or `None` to let the rules decide.
///
/// `snake_case_id` is from [`snake_case_service_id`] or [`snake_case_from_service_id`].
/// `profile` is the profile in effect; `profiles` supplies its `services` section.
pub fn resolve_configured_endpoint_url(
    explicit_endpoint_url: Option<&str>,
    ignore_configured: Option<bool>,
    snake_case_id: &str,
    env: &Env,
    profiles: &ProfileSet,
    profile: &Profile,
) -> Result<Option<ConfiguredEndpointUrl>, ConfigError> {
    if let Some(url) = explicit_endpoint_url {
        return Ok(Some(ConfiguredEndpointUrl {
            url: url.to_string(),
            source: EndpointUrlSource::Explicit,
        }));
    }
    if ignore_configured_endpoint_urls(ignore_configured, env, profile) {
        return Ok(None);
    }
    let service_var = service_endpoint_env_var(snake_case_id);
    for var in [service_var.as_str(), "AWS_ENDPOINT_URL"] {
        if let Some(url) = env.get_non_empty(var) {
            return Ok(Some(ConfiguredEndpointUrl {
                url: url.to_string(),
                source: EndpointUrlSource::Environment(var.to_string()),
            }));
        }
    }
    if let Some(section_name) = profile.get("services") {
        let section = profiles.services(section_name).ok_or_else(|| ConfigError::Invalid {
            message: format!(
                "the profile \"{}\" is configured to use the services section but the \"{section_name}\" \
                 services configuration does not exist",
                profile.name()
            ),
        })?;
        if let Some(url) = section
            .get_nested(&snake_case_id.to_lowercase(), "endpoint_url")
            .filter(|u| !u.is_empty())
        {
            return Ok(Some(ConfiguredEndpointUrl {
                url: url.to_string(),
                source: EndpointUrlSource::ServicesSection(section_name.to_string()),
            }));
        }
    }
    Ok(profile
        .get("endpoint_url")
        .filter(|u| !u.is_empty())
        .map(|url| ConfiguredEndpointUrl {
            url: url.to_string(),
            source: EndpointUrlSource::Profile(profile.name().to_string()),
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_ids() {
        assert_eq!(snake_case_service_id("s3"), "s3");
        assert_eq!(snake_case_service_id("logs"), "cloudwatch_logs");
        assert_eq!(
            snake_case_service_id("runtime.sagemaker"),
            "sagemaker_runtime"
        );
        assert_eq!(
            snake_case_from_service_id("DynamoDB Streams"),
            "dynamodb_streams"
        );
        assert_eq!(
            service_endpoint_env_var("api_gateway"),
            "AWS_ENDPOINT_URL_API_GATEWAY"
        );
    }

    #[test]
    fn missing_services_section_is_an_error() {
        let set = ProfileSet::parse(Some("[default]\nservices = nope\n"), None).unwrap();
        let p = set.profile("default").unwrap();
        let err = resolve_configured_endpoint_url(None, None, "s3", &Env::default(), &set, p)
            .unwrap_err();
        assert!(err.to_string().contains("\"nope\""));
    }
}
