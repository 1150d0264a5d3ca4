//! Endpoint rule-set evaluation (`RuleSet::resolve`) on the real rule sets of 20
//! services with arbitrary parameter values: strings (real regions, ARNs, bucket
//! names, every string literal of the rule set itself, and hostile text such as
//! `x@127.0.0.2:36206/`), booleans, string arrays, wrong types and absent values.
//!
//! Input: byte 0 picks the service, bytes 1–2 the mode and an operation; then, for each
//! parameter that takes a fuzzed value, a tag byte says absent / bool / dictionary
//! string / arbitrary string / dictionary string with an arbitrary suffix / string
//! array, followed by what that needs. Two modes:
//! * free: every parameter the rule set declares takes a fuzzed value (the engine must
//!   cope with anything, including wrong types);
//! * bound: parameters are bound as the runtime binds them for the chosen operation
//!   (`boto-runtime/src/endpoint.rs`): `staticContextParams` as the model states them,
//!   fuzzed values for what callers control (input members, `operationContextParams`,
//!   client context parameters, built-ins such as region, custom endpoint, account id),
//!   nothing for the rest.
//!
//! Checked: no panic or hang; and in bound mode, whenever the inputs are ones the
//! runtime lets through (a region matching botocore's pattern, no custom endpoint or a
//! well-formed one), every resolved URL is `http(s)://` + a plain host: no userinfo `@`,
//! no backslash, whitespace or control characters, a numeric port if any; and the host
//! stays where it should: under a partition's DNS suffix (`amazonaws.com`, `api.aws`,
//! `amazonaws.com.cn`, ...) or `localhost` (DynamoDB's `local` region), or under the
//! custom endpoint's host when one is given (some rules ignore a custom endpoint, e.g.
//! S3 multi-region access points, and go to AWS). An input that moved the host elsewhere
//! would send signed requests, and the data in them, to another server. (Text that only
//! makes the URL invalid, such as `%` or `[::1]xyz` from a Kinesis `StreamId`, which
//! the rule set pastes into the host unchecked, is not flagged here: no client sends
//! such a URL, and the runtime's host check refuses it before signing.)

#![no_main]

use boto_endpoints::{builtins, ParamValue, Params, Partitions, RuleSet};
use boto_fuzz::seeds::{write_if_requested, Seeds};
use boto_fuzz::Cursor;
use boto_model::{Loader, ModelFile, ServiceModel};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, Mutex, OnceLock};

const SERVICES: &[&str] = &[
    "s3",
    "s3control",
    "dynamodb",
    "sts",
    "ec2",
    "kinesis",
    "events",
    "sesv2",
    "iam",
    "lambda",
    "route53",
    "cloudfront",
    "sqs",
    "bedrock-runtime",
    "s3outposts",
    "sso-oidc",
    "glacier",
    "cloudsearchdomain",
    "iot-data",
    "rds",
];

/// Well-formed custom endpoints: with one of these, the host check still applies.
/// An IPv6 literal is not among them: S3's rules put access-point labels in front of
/// the custom endpoint's authority (as botocore's do), which gives
/// `https://ap-123456789012.[::1]:9000`, an invalid host that the runtime's host check
/// refuses, not a different host.
const PLAIN_ENDPOINTS: &[&str] = &[
    "https://example.com",
    "http://localhost:4566",
    "https://127.0.0.1:8443/base/path",
    "http://my-host.internal.example",
];

const COMMON: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-central-1",
    "ap-southeast-5",
    "cn-north-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "aws-global",
    "fips-us-east-1",
    "us-east-1-fips",
    "local",
    "bucket",
    "my.bucket",
    "bucket--use1-az1--x-s3",
    "bucket--usw2-az1--op-s3",
    "a",
    "123456789012",
    "op-01234567890123456",
    "arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint",
    "arn:aws:s3:us-west-2:123456789012:accesspoint/myendpoint",
    "arn:aws:s3-outposts:us-west-2:123456789012:outpost:op-01234567890123456:accesspoint:reports",
    "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/bucket/b",
    "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/mybanner",
    "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap",
    "arn:aws:dynamodb:us-east-1:111111111111:table/T",
    "arn:aws:dynamodb:us-east-1:111111111111:table/T/stream/2024",
    "arn:aws:kinesis:us-east-1:123456789012:stream/s",
    "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
    "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint:x",
    "arn:aws:iam::123456789012:role/r",
    "abc123.456",
    "https://example.com",
    "http://localhost:4566",
    "https://[::1]:9000",
    "x@127.0.0.2:36206/",
    "evil.com/",
    "a b",
    "a\tb",
    "a\nb",
    "..",
    "a..b",
    "-a",
    "a-",
    "%40",
    "a@b",
    "[::1]",
    "1.2.3.4",
    "xn--80ak6aa92e",
    "A",
    "UPPER",
    "",
    "*",
    "?",
    "#",
    ":",
    "/",
    "\u{0}",
    "é",
    "accountid",
    "endpoint_id",
    "abc.def",
    "ab--cd",
    "true",
    "false",
];

/// botocore's region pattern, as the runtime enforces it before resolving.
fn valid_region(r: &str) -> bool {
    let b = r.as_bytes();
    b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b.first() != Some(&b'-')
        && b.last() != Some(&b'-')
        && (b.is_empty() || !b.iter().all(u8::is_ascii_digit))
}

struct Service {
    model: Arc<ServiceModel>,
    rules: RuleSet,
    /// COMMON plus every string literal of the rule set.
    dict: Vec<String>,
}

fn partitions() -> &'static Partitions {
    static P: OnceLock<Partitions> = OnceLock::new();
    P.get_or_init(|| {
        let bytes = Loader::global()
            .global_file("partitions")
            .expect("partitions.json");
        Partitions::from_json(&bytes).expect("partitions")
    })
}

fn service(i: usize) -> Arc<Service> {
    static CACHE: OnceLock<Mutex<Vec<Option<Arc<Service>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(vec![None; SERVICES.len()]));
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    c[i].get_or_insert_with(|| {
        let raw = Loader::global()
            .raw(SERVICES[i], ModelFile::EndpointRuleSet)
            .expect("rule set")
            .expect("rule set present");
        let rules = RuleSet::from_json(&raw).expect("valid rule set");
        let json: serde_json::Value = serde_json::from_slice(&raw).expect("json");
        let mut dict: Vec<String> = COMMON.iter().map(|s| s.to_string()).collect();
        literals(&json, &mut dict);
        dict.sort();
        dict.dedup();
        let model = Loader::global().service_model(SERVICES[i]).expect("model");
        Arc::new(Service { model, rules, dict })
    })
    .clone()
}

fn literals(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if s.len() <= 80 => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| literals(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| literals(x, out)),
        _ => {}
    }
}

fn string(dict: &[String], c: &mut Cursor<'_>) -> String {
    dict[c.u8() as usize % dict.len()].clone()
}

fn value(dict: &[String], c: &mut Cursor<'_>) -> Option<ParamValue> {
    let t = c.u8();
    Some(match t % 8 {
        0 | 1 => return None,
        2 => ParamValue::Bool(t & 0x80 != 0),
        3 | 4 => ParamValue::String(string(dict, c)),
        5 => ParamValue::String(c.short_str()),
        6 => ParamValue::String(string(dict, c) + &c.short_str()),
        _ => ParamValue::StringArray(
            (0..c.u8() % 4)
                .map(|_| {
                    if c.u8() & 1 == 0 {
                        string(dict, c)
                    } else {
                        c.short_str()
                    }
                })
                .collect(),
        ),
    })
}

/// Where the runtime gets a parameter's value from, for one operation.
enum Source {
    /// `staticContextParams`: fixed by the model.
    Static(ParamValue),
    /// Request input, client configuration or credentials: anything.
    Caller,
    /// Nothing binds it for this operation: left unset (its default applies).
    Unbound,
}

fn source(svc: &Service, op: &boto_model::Operation, p: &boto_endpoints::Parameter) -> Source {
    if let Some((_, spec)) = op
        .static_context_params
        .iter()
        .find(|(n, _)| **n == *p.name)
    {
        if let Some(v) = spec.get("value").and_then(ParamValue::from_json) {
            return Source::Static(v);
        }
    }
    let context = op
        .input
        .as_ref()
        .and_then(|r| svc.model.shape(r.target).as_structure())
        .is_some_and(|s| {
            s.members
                .iter()
                .any(|m| m.traits.context_param.as_deref() == Some(&*p.name))
        });
    if p.built_in.is_some()
        || context
        || op
            .operation_context_params
            .iter()
            .any(|(n, _)| **n == *p.name)
        || svc.model.client_context_params.get(&*p.name).is_some()
    {
        Source::Caller
    } else {
        Source::Unbound
    }
}

fuzz_target!(init: write_if_requested(collect_seeds), |data: &[u8]| {
    let mut c = Cursor::new(data);
    let svc = service(c.u8() as usize % SERVICES.len());
    let sel = c.u16();
    // Free mode: every parameter arbitrary, only "no panic" is checked. Bound mode:
    // parameters bound as the runtime binds them for one operation.
    let free = sel & 0x8000 != 0;
    let ops = svc.model.operations();
    let op = &ops[(sel & 0x7fff) as usize % ops.len()];
    let mut params = Params::new();
    let mut checked = !free;
    let mut custom = None;
    for p in svc.rules.parameters() {
        let src = if free { Source::Caller } else { source(&svc, op, p) };
        let v = match src {
            Source::Static(v) => v,
            Source::Unbound => continue,
            Source::Caller => match value(&svc.dict, &mut c) {
                Some(v) => v,
                None => continue,
            },
        };
        match (p.built_in.as_deref(), &v) {
            // The runtime refuses invalid regions and treats "" as no region.
            (Some(builtins::REGION), ParamValue::String(r)) => checked &= valid_region(r) && !r.is_empty(),
            (Some(builtins::ENDPOINT), ParamValue::String(e)) => {
                checked &= PLAIN_ENDPOINTS.contains(&e.as_str());
                custom = Some(e.clone());
            }
            _ => {}
        }
        params.set(p.name.clone(), v);
    }
    let Ok(ep) = svc.rules.resolve(&params, partitions()) else { return };
    let _ = ep.auth_schemes();
    if checked {
        let host = match plain_host(&ep.url) {
            Ok(h) => h,
            Err(Bad::Invalid) => return,
            Err(Bad::Injection(why)) => panic!(
                "resolved URL {:?} has {why}; operation {}, params {params:?}",
                ep.url, op.name
            ),
        };
        // Some rules ignore a custom endpoint (S3 multi-region access points go to
        // s3-global.amazonaws.com): AWS's own domains are always acceptable.
        let ok = aws_domains().iter().any(|d| within(&host, d))
            || custom.as_deref().is_some_and(|e| plain_host(e).is_ok_and(|h| within(&host, &h)));
        assert!(ok, "resolved URL {:?} left the expected domain; operation {}, params {params:?}", ep.url, op.name);
    }
});

/// The domains a resolved host may belong to without a custom endpoint: every
/// partition's `dnsSuffix` and `dualStackDnsSuffix`, and `localhost` (DynamoDB's `local`).
fn aws_domains() -> &'static [String] {
    static D: OnceLock<Vec<String>> = OnceLock::new();
    D.get_or_init(|| {
        let bytes = Loader::global()
            .global_file("partitions")
            .expect("partitions.json");
        let json: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        let mut out = vec!["localhost".to_string()];
        for p in json["partitions"].as_array().into_iter().flatten() {
            for k in ["dnsSuffix", "dualStackDnsSuffix"] {
                if let Some(d) = p["outputs"][k].as_str() {
                    out.push(d.to_ascii_lowercase());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    })
}

/// What the URL check found wrong.
enum Bad {
    /// Text that could make a parser pick another host (`@`, `\\`, whitespace,
    /// control characters) or no http(s) scheme: flagged.
    Injection(&'static str),
    /// Not a valid URL at all (a bracketed host followed by more text, a non-numeric
    /// port): no HTTP client sends it and the runtime's host check refuses it, so it
    /// cannot reach another host. Not flagged.
    Invalid,
}

/// The host of a plain `http(s)://` URL (see the module doc), or what is wrong.
fn plain_host(url: &str) -> Result<String, Bad> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Bad::Injection("whitespace or a control character"));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or(Bad::Injection("no http(s) scheme"))?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains(['@', '\\']) {
        return Err(Bad::Injection("userinfo or a backslash in the authority"));
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (inside, after) = v6.split_once(']').ok_or(Bad::Invalid)?;
            if !(after.is_empty() || after.starts_with(':')) {
                return Err(Bad::Invalid);
            }
            (format!("[{inside}]"), after.strip_prefix(':'))
        }
        None => match authority.split_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        },
    };
    if host.is_empty() || host.contains(['[', ']']) && !host.starts_with('[') {
        return Err(Bad::Invalid);
    }
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Bad::Invalid);
        }
    }
    Ok(host.trim_end_matches('.').to_ascii_lowercase())
}

/// Whether `host` is `domain` or a name under it.
fn within(host: &str, domain: &str) -> bool {
    host == domain || host.strip_suffix(domain).is_some_and(|h| h.ends_with('.'))
}

fn collect_seeds(s: &mut Seeds) {
    for (i, _) in SERVICES.iter().enumerate() {
        let svc = service(i);
        let region_at = |name: &str| svc.dict.iter().position(|d| d == name).unwrap_or(0) as u8;
        // Bound mode, a few operations, with a real region, the declared types and
        // dictionary values; then the same in free mode.
        let ops = svc.model.operations();
        for (k, op) in ops
            .iter()
            .enumerate()
            .step_by((ops.len() / 6).max(1))
            .take(6)
        {
            for free in [false, true] {
                let sel = k as u16 | if free { 0x8000 } else { 0 };
                let mut input = vec![i as u8];
                input.extend(sel.to_be_bytes());
                for (j, p) in svc.rules.parameters().iter().enumerate() {
                    if !free && !matches!(source(&svc, op, p), Source::Caller) {
                        continue;
                    }
                    let region = p.built_in.as_deref() == Some(builtins::REGION);
                    match p.ty {
                        _ if region => input.extend([3, region_at(COMMON[k % 6])]),
                        boto_endpoints::ParamType::Boolean => {
                            input.push(if (j + k) % 3 == 0 { 0x82 } else { 2 })
                        }
                        _ if p.built_in.as_deref() == Some(builtins::ENDPOINT) => input.push(0),
                        _ => input.extend([3, (j * 37 + k * 11) as u8]),
                    }
                }
                s.add(input);
            }
        }
    }
    for w in COMMON {
        s.word(w);
    }
}
