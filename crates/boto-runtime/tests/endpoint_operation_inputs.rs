//! botocore's endpoint-rule cases that carry `operationInputs`, run through the
//! real client path: operation parameters → interceptors → context params and
//! built-ins from client configuration → rule set → endpoint.
//!
//! `boto-endpoints/tests/endpoint_rules.rs` runs every case from its already
//! bound `params`; this runner checks the binding itself. Corpus:
//! `$BOTO_ENDPOINT_TESTS_DIR` (default `.data/botocore-tests/functional/endpoint-rules`).

use boto_endpoints::{ParamValue, Params};
use boto_model::{coerce, Loader, Value};
use boto_runtime::config::AddressingStyle;
use boto_runtime::http::{BoxFuture, HttpClient, HttpRequest, HttpResponse};
use boto_runtime::interceptor::{CallInfo, Interceptor};
use boto_runtime::{ClientBuilder, ClientConfig, Error};
use serde_json::Value as Json;
use std::path::PathBuf;
use std::sync::Arc;

/// No request is ever sent by this runner.
struct NoHttp;
impl HttpClient for NoHttp {
    fn send(&self, _req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async { Err(Error::dispatch("the endpoint runner sends nothing")) })
    }
}

fn config_for(input: &Json) -> ClientConfig {
    let mut c = ClientConfig::default();
    let b = |k: &str| input.pointer(&format!("/builtInParams/{}", k.replace('/', "~1")));
    let flag = |k: &str| b(k).and_then(Json::as_bool).unwrap_or(false);
    c.region = b("AWS::Region").and_then(Json::as_str).map(str::to_owned);
    c.use_fips = flag("AWS::UseFIPS");
    c.use_dualstack = flag("AWS::UseDualStack");
    c.endpoint_url = b("SDK::Endpoint").and_then(Json::as_str).map(str::to_owned);
    if flag("AWS::S3::ForcePathStyle") {
        c.addressing_style = AddressingStyle::Path;
    } else if c.endpoint_url.is_some() {
        // The case's ForcePathStyle (unset = false) as given: a client with a custom
        // endpoint gets path style unless it asks for virtual (botocore's defaults).
        c.addressing_style = AddressingStyle::Virtual;
    }
    c.s3_use_accelerate = flag("AWS::S3::Accelerate");
    c.s3_us_east_1_global = flag("AWS::S3::UseGlobalEndpoint");
    c.s3_use_arn_region = b("AWS::S3::UseArnRegion")
        .or(b("AWS::S3Control::UseArnRegion"))
        .and_then(Json::as_bool);
    c.s3_disable_multiregion_access_points = flag("AWS::S3::DisableMultiRegionAccessPoints");
    c.sts_global = flag("AWS::STS::UseGlobalEndpoint");
    c.account_id = b("AWS::Auth::AccountId")
        .and_then(Json::as_str)
        .map(str::to_owned);
    c.account_id_endpoint_mode = b("AWS::Auth::AccountIdEndpointMode")
        .and_then(Json::as_str)
        .map(str::to_owned);
    if let Some(Json::Object(m)) = input.get("clientParams") {
        for (k, v) in m {
            if let Some(pv) = ParamValue::from_json(v) {
                c.client_context_params.push((k.clone(), pv));
            }
        }
    }
    c
}

/// Re-applies the case's built-ins after the service customizations, as
/// botocore's runner does with `register_last('before-endpoint-resolution')`.
/// (S3's customization turns ForcePathStyle off for ARN buckets, which is
/// what real clients do; some cases assert the rule set's error for that combination.)
struct BuiltinOverride(Vec<(String, ParamValue)>);
impl Interceptor for BuiltinOverride {
    fn name(&self) -> &'static str {
        "test.builtin_override"
    }
    fn modify_endpoint_params(
        &self,
        _: &CallInfo<'_>,
        _: &Value,
        ep: &mut Params,
    ) -> Result<(), Error> {
        for (k, v) in &self.0 {
            ep.set(k.clone(), v.clone());
        }
        Ok(())
    }
}

fn run_case(service: &str, case: &Json, input: &Json) -> Result<(), String> {
    let rules =
        boto_runtime::endpoint::rule_set(Loader::global(), service).map_err(|e| e.to_string())?;
    let mut overrides = Vec::new();
    if let Some(Json::Object(b)) = input.get("builtInParams") {
        for p in rules.parameters() {
            let given = p
                .built_in
                .as_deref()
                .and_then(|bi| b.get(bi))
                .and_then(ParamValue::from_json);
            if let Some(pv) = given {
                overrides.push((p.name.to_string(), pv));
            }
        }
    }
    let client = ClientBuilder::new(service)
        .config(config_for(input))
        .http_client(Arc::new(NoHttp))
        .interceptor(Arc::new(BuiltinOverride(overrides)))
        .build()
        .map_err(|e| format!("client: {e}"))?;
    let op_name = input
        .get("operationName")
        .and_then(Json::as_str)
        .ok_or("no operationName")?;
    let op = client
        .model()
        .require_operation(op_name)
        .map_err(|e| e.to_string())?;
    let params = coerce::input_from_json(
        client.model(),
        op,
        input.get("operationParams").unwrap_or(&Json::Null),
    )
    .map_err(|e| format!("params: {e:?}"))?;
    let got = client.resolve_endpoint(op_name, params);
    let expect = case.get("expect").ok_or("case without expect")?;
    match (
        got,
        expect.get("endpoint"),
        expect.get("error").and_then(Json::as_str),
    ) {
        (Ok(ep), Some(want), _) => {
            let url = want.get("url").and_then(Json::as_str).unwrap_or_default();
            if ep.url != url {
                return Err(format!("url {} != expected {url}", ep.url));
            }
            let props = Json::Object((*ep.properties).clone());
            let want_props = want
                .get("properties")
                .cloned()
                .unwrap_or(Json::Object(Default::default()));
            if props != want_props {
                return Err(format!("properties {props} != expected {want_props}"));
            }
            let headers = serde_json::to_value(&ep.headers).unwrap_or_default();
            let want_headers = want
                .get("headers")
                .cloned()
                .unwrap_or(Json::Object(Default::default()));
            if headers != want_headers {
                return Err(format!("headers {headers} != expected {want_headers}"));
            }
            Ok(())
        }
        (Err(e), None, Some(msg)) => {
            // Like botocore's end-to-end runner: an error must be raised before
            // anything is sent. Rule errors must carry the rule's message; an S3
            // bucket-name validation error (botocore's `validate_bucket_name`,
            // which also runs before endpoint resolution) is accepted as is.
            if e.message().contains(msg) || e.kind() == boto_runtime::ErrorKind::Validation {
                Ok(())
            } else {
                Err(format!(
                    "error {:?} does not mention expected {msg:?}",
                    e.message()
                ))
            }
        }
        (Ok(ep), None, Some(msg)) => Err(format!("resolved {} but expected error {msg:?}", ep.url)),
        (Err(e), Some(_), _) => Err(format!("unexpected error: {e}")),
        _ => Err("malformed case".into()),
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::var_os("BOTO_ENDPOINT_TESTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".data/botocore-tests/functional/endpoint-rules"));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "endpoint-operation-inputs: corpus not found at {} (run scripts/fetch_data.py)",
            dir.display()
        );
        std::process::exit(1);
    };
    if Loader::embedded_file_count() == 0 {
        eprintln!("endpoint-operation-inputs: this build embeds no models");
        std::process::exit(1);
    }
    let mut services: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    services.sort();
    let (mut passed, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    for sdir in services {
        let service = sdir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let Ok(text) = std::fs::read_to_string(sdir.join("endpoint-tests-1.json")) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<Json>(&text) else {
            eprintln!("{service}: unreadable endpoint-tests-1.json");
            failed += 1;
            continue;
        };
        let (mut sp, mut sf) = (0, 0);
        for case in doc
            .get("testCases")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            for input in case
                .get("operationInputs")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                // Skipped as in botocore's own runner: these bucket names fail S3
                // bucket-name validation before endpoint resolution can run.
                let bucket = input
                    .pointer("/operationParams/Bucket")
                    .and_then(Json::as_str);
                if matches!(bucket, Some("bucket name" | "example.com#")) {
                    skipped += 1;
                    continue;
                }
                match run_case(&service, case, input) {
                    Ok(()) => sp += 1,
                    Err(e) => {
                        sf += 1;
                        let doc = case
                            .get("documentation")
                            .and_then(Json::as_str)
                            .unwrap_or("");
                        println!("FAIL {service}: {doc}: {e}");
                    }
                }
            }
        }
        if sp + sf > 0 && sf > 0 {
            println!("{service}: {sp} passed, {sf} failed");
        }
        passed += sp;
        failed += sf;
    }
    println!(
        "endpoint-operation-inputs: {passed} passed, {failed} failed, {skipped} skipped \
         (invalid bucket names rejected by S3 bucket validation, as botocore skips them)"
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
