//! Binding endpoint parameters for a call and resolving them.
//!
//! Each service's rule set and the partitions table are parsed once per
//! process and shared. Per call, parameters are bound in botocore's order of
//! precedence: `staticContextParams` of the operation, then `contextParams`
//! from input members and `operationContextParams` (JMESPath paths into the
//! input), then built-ins from the client configuration (region, FIPS,
//! dual-stack, custom endpoint, S3 and STS switches).

use crate::config::{AddressingStyle, ClientConfig};
use crate::error::Error;
use boto_endpoints::{builtins, ParamValue, Params, Partitions, RuleSet};
use boto_model::{Loader, ModelFile, Operation, ServiceModel, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The partitions table, parsed once.
pub fn partitions() -> Result<Arc<Partitions>, Error> {
    static P: OnceLock<Result<Arc<Partitions>, String>> = OnceLock::new();
    P.get_or_init(|| {
        let bytes = Loader::global()
            .global_file("partitions")
            .map_err(|e| e.to_string())?;
        Partitions::from_json(&bytes)
            .map(Arc::new)
            .map_err(|e| e.to_string())
    })
    .clone()
    .map_err(|m| Error::construction(format!("cannot load partitions.json: {m}")))
}

/// A service's endpoint rule set, parsed once per process.
pub fn rule_set(loader: &Loader, service: &str) -> Result<Arc<RuleSet>, Error> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<RuleSet>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(r) = cache.lock().ok().and_then(|c| c.get(service).cloned()) {
        return Ok(r);
    }
    let raw = loader
        .raw(service, ModelFile::EndpointRuleSet)?
        .ok_or_else(|| {
            Error::construction(format!("service {service:?} has no endpoint rule set"))
        })?;
    let rules = Arc::new(RuleSet::from_json(&raw).map_err(|e| {
        Error::construction(format!("invalid endpoint rule set for {service}: {e}"))
    })?);
    if let Ok(mut c) = cache.lock() {
        c.insert(service.to_string(), rules.clone());
    }
    Ok(rules)
}

fn param_from_value(v: &Value) -> Option<ParamValue> {
    match v {
        Value::String(s) => Some(ParamValue::String(s.to_string())),
        Value::Bool(b) => Some(ParamValue::Bool(*b)),
        Value::List(l) => Some(ParamValue::StringArray(
            l.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
        )),
        _ => None,
    }
}

fn param_from_json(v: &serde_json::Value) -> Option<ParamValue> {
    ParamValue::from_json(v)
}

/// What one call binds in place of the client's own configuration: the
/// region a redirect planned, the signing identity's account id. Passed
/// beside the configuration rather than merged into a copy of it (a
/// `ClientConfig` clone per call, for every DynamoDB call whose credentials
/// carry an account id).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CallOverrides<'a> {
    pub region: Option<&'a str>,
    pub account_id: Option<&'a str>,
}

/// Binds every parameter the rule set declares for this call.
pub fn bind_params(
    rules: &RuleSet,
    model: &ServiceModel,
    op: &Operation,
    config: &ClientConfig,
    input: &Value,
) -> Params {
    bind_params_with(rules, model, op, config, CallOverrides::default(), input)
}

/// [`bind_params`] with the call's own region and account id, which win
/// over the configuration's.
pub(crate) fn bind_params_with(
    rules: &RuleSet,
    model: &ServiceModel,
    op: &Operation,
    config: &ClientConfig,
    overrides: CallOverrides<'_>,
    input: &Value,
) -> Params {
    let mut p = Params::with_capacity(rules.parameters().len());
    // The rule set's own shared name when it declares the parameter (no copy).
    let name_of = |n: &str| -> Arc<str> {
        rules
            .parameter(n)
            .map_or_else(|| Arc::from(n), |d| d.name.clone())
    };
    for (name, spec) in &op.static_context_params {
        if let Some(v) = spec.get("value").and_then(param_from_json) {
            p.set(name_of(name), v);
        }
    }
    if let Some(input_ref) = &op.input {
        if let Some(s) = model.shape(input_ref.target).as_structure() {
            for m in &s.members {
                if let Some(name) = &m.traits.context_param {
                    if p.get(name).is_none() {
                        if let Some(v) = param_from_value(input.get(&m.name)) {
                            p.set(name_of(name), v);
                        }
                    }
                }
            }
        }
    }
    for (name, path) in &op.operation_context_params {
        if p.get(name).is_none() {
            if let Ok(v) = crate::jmespath::search(path, input) {
                if let Some(pv) = param_from_value(&v) {
                    p.set(name_of(name), pv);
                }
            }
        }
    }
    for (name, v) in &config.client_context_params {
        if p.get(name).is_none() && rules.parameter(name).is_some() {
            p.set(name.clone(), v.clone());
        }
    }
    rules.bind_builtins(&mut p, |b| builtin(config, overrides, b));
    p
}

fn builtin(config: &ClientConfig, overrides: CallOverrides<'_>, name: &str) -> Option<ParamValue> {
    let or_config = |o: Option<&str>, c: &Option<String>| o.or(c.as_deref()).map(str::to_owned);
    Some(match name {
        builtins::REGION => ParamValue::String(or_config(overrides.region, &config.region)?),
        builtins::USE_FIPS => ParamValue::Bool(config.use_fips),
        builtins::USE_DUAL_STACK => ParamValue::Bool(config.use_dualstack),
        builtins::ENDPOINT => ParamValue::String(config.endpoint_url.clone()?),
        builtins::S3_FORCE_PATH_STYLE => ParamValue::Bool(force_path_style(config)),
        builtins::S3_ACCELERATE => ParamValue::Bool(config.s3_use_accelerate),
        builtins::S3_USE_GLOBAL_ENDPOINT => ParamValue::Bool(config.s3_us_east_1_global),
        builtins::S3_DISABLE_MRAP => ParamValue::Bool(config.s3_disable_multiregion_access_points),
        builtins::S3_USE_ARN_REGION | builtins::S3_CONTROL_USE_ARN_REGION => {
            ParamValue::Bool(config.s3_use_arn_region?)
        }
        builtins::STS_USE_GLOBAL_ENDPOINT => ParamValue::Bool(config.sts_global),
        builtins::ACCOUNT_ID => {
            ParamValue::String(or_config(overrides.account_id, &config.account_id)?)
        }
        // botocore's default is `preferred` (config_provider.py).
        builtins::ACCOUNT_ID_ENDPOINT_MODE => ParamValue::String(
            config
                .account_id_endpoint_mode
                .clone()
                .unwrap_or_else(|| "preferred".into()),
        ),
        _ => return None,
    })
}

/// `AWS::S3::ForcePathStyle`, as botocore's `compute_endpoint_resolver_builtin_defaults`: with
/// a custom endpoint URL (other than an S3 Transfer Acceleration one) S3 is addressed path
/// style unless `virtual` is asked for, so that `bucket.with.dots` against
/// `http://127.0.0.1:port` is not sent to the host `bucket.with.dots.127.0.0.1`; without one,
/// only `path` forces it.
fn force_path_style(config: &ClientConfig) -> bool {
    if config.s3_use_accelerate {
        return false;
    }
    match config.endpoint_url.as_deref() {
        Some(url) if !is_s3_accelerate_url(url) => {
            config.addressing_style != AddressingStyle::Virtual
        }
        _ => config.addressing_style == AddressingStyle::Path,
    }
}

/// botocore `utils.is_s3_accelerate_url`: `http(s)://s3-accelerate[.dualstack].amazonaws.com`.
fn is_s3_accelerate_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if !matches!(scheme, "http" | "https") || !host.ends_with("amazonaws.com") {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let features = labels
        .get(1..labels.len().saturating_sub(2))
        .unwrap_or_default();
    labels[0] == "s3-accelerate"
        && features.iter().all(|f| *f == "dualstack")
        && features.len() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_model::params;

    #[test]
    fn binds_context_and_builtins_for_s3() {
        let loader = Loader::global();
        if Loader::embedded_file_count() == 0 {
            eprintln!("skipped: no embedded models in this build");
            return;
        }
        let model = loader.service_model("s3").unwrap();
        let op = model.operation("GetObject").unwrap();
        let rules = rule_set(loader, "s3").unwrap();
        let config = ClientConfig {
            region: Some("us-west-2".into()),
            ..Default::default()
        };
        let p = bind_params(
            &rules,
            &model,
            op,
            &config,
            &params! {"Bucket": "my-bucket", "Key": "k"},
        );
        assert_eq!(
            p.get("Bucket"),
            Some(&ParamValue::String("my-bucket".into()))
        );
        assert_eq!(
            p.get("Region"),
            Some(&ParamValue::String("us-west-2".into()))
        );
        let ep = rules.resolve(&p, &partitions().unwrap()).unwrap();
        assert_eq!(ep.url, "https://my-bucket.s3.us-west-2.amazonaws.com");
    }

    #[test]
    fn custom_endpoint_means_path_style_like_botocore() {
        let with = |url: Option<&str>, style, accelerate| {
            force_path_style(&ClientConfig {
                endpoint_url: url.map(Into::into),
                addressing_style: style,
                s3_use_accelerate: accelerate,
                ..Default::default()
            })
        };
        let local = Some("http://127.0.0.1:5000");
        assert!(with(local, AddressingStyle::Auto, false));
        assert!(with(local, AddressingStyle::Path, false));
        assert!(!with(local, AddressingStyle::Virtual, false));
        assert!(!with(local, AddressingStyle::Auto, true));
        assert!(!with(None, AddressingStyle::Auto, false));
        assert!(with(None, AddressingStyle::Path, false));
        let accel = Some("https://s3-accelerate.dualstack.amazonaws.com");
        assert!(!with(accel, AddressingStyle::Auto, false));
        assert!(is_s3_accelerate_url("https://s3-accelerate.amazonaws.com"));
        assert!(!is_s3_accelerate_url(
            "https://s3-accelerate.amazonaws.com:443"
        ));
        assert!(!is_s3_accelerate_url("https://s3.amazonaws.com"));
        assert!(!is_s3_accelerate_url(
            "https://s3-accelerate.dualstack.dualstack.amazonaws.com"
        ));
        assert!(!is_s3_accelerate_url("ftp://s3-accelerate.amazonaws.com"));
        assert!(!is_s3_accelerate_url("amazonaws.com"));
    }
}
