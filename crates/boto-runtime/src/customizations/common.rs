//! Small header customizations that are not tied to one service's data.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor, RequestContext, ResponseContext};
use boto_model::Value;

/// `common.recursion_detection`: botocore `add_recursion_detection_header`
/// (every service). Inside Lambda, the function's X-Ray trace id is
/// forwarded as `X-Amzn-Trace-Id` so AWS can detect a function that
/// triggers itself in a loop.
#[derive(Debug, Default)]
pub struct RecursionDetection;

impl Interceptor for RecursionDetection {
    fn name(&self) -> &'static str {
        "common.recursion_detection"
    }

    fn modify_before_signing(
        &self,
        _call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        // Read per call, as botocore does: Lambda sets a new trace id for
        // each invocation. Outside Lambda that is one environment lookup.
        if std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_none() {
            return Ok(());
        }
        match std::env::var("_X_AMZN_TRACE_ID") {
            Ok(trace) if ctx.request.header("X-Amzn-Trace-Id").is_none() => {
                ctx.request
                    .set_header("X-Amzn-Trace-Id", quote_trace_id(&trace));
            }
            _ => {}
        }
        Ok(())
    }
}

/// Python's `quote(trace_id, safe='-=;:+&[]{}"\',')`, except that `/` is
/// also kept (as boto-rs always has; botocore's explicit `safe` drops it).
fn quote_trace_id(s: &str) -> String {
    boto_util::percent::encode(s, b"=;:+&[]{}\"',/")
}

/// `apigateway.accept`: botocore `add_accept_header`. API Gateway answers
/// some operations (exports, SDK generation) in the format `Accept` asks
/// for; botocore asks for JSON unless the caller chose.
#[derive(Debug, Default)]
pub struct AcceptJson;

impl Interceptor for AcceptJson {
    fn name(&self) -> &'static str {
        "apigateway.accept"
    }

    fn modify_before_signing(
        &self,
        _call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        if ctx.request.header("Accept").is_none() {
            ctx.request.set_header("Accept", "application/json");
        }
        Ok(())
    }
}

/// `common.parameter_aliases`: botocore `ParameterAlias` (`ec2.*.Filter` →
/// `Filters`, `logs.CreateExportTask.from` → `fromTime`,
/// `cloudsearchdomain.Search.return` → `returnFields`): the friendlier name
/// is accepted for the modeled one.
#[derive(Debug)]
pub struct ParameterAlias {
    /// Operation name, or `None` for every operation of the service.
    pub operation: Option<&'static str>,
    /// The modeled (top-level) parameter name (`Filters`).
    pub original: &'static str,
    /// The name callers may use instead (`Filter`); renamed to `original` before validation.
    pub alias: &'static str,
}

impl Interceptor for ParameterAlias {
    fn name(&self) -> &'static str {
        "common.parameter_aliases"
    }

    fn modify_before_serialization(
        &self,
        call: &CallInfo<'_>,
        params: &mut Value,
    ) -> Result<(), Error> {
        if self.operation.is_some_and(|o| o != &*call.operation.name) {
            return Ok(());
        }
        let modeled = call
            .operation
            .input
            .as_ref()
            .and_then(|i| call.model.shape(i.target).as_structure())
            .is_some_and(|s| s.member(self.original).is_some());
        let Some(map) = params.as_map_mut().filter(|_| modeled) else {
            return Ok(());
        };
        if let Some(v) = map.shift_remove(self.alias) {
            if map.contains_key(self.original) {
                return Err(Error::validation(format!(
                    "Parameter alias error: cannot specify both \"{}\" and its alias \"{}\" in {}",
                    self.original, self.alias, call.operation.name
                )));
            }
            map.insert(self.original.to_string(), v);
        }
        Ok(())
    }
}

/// `sso_oidc.oauth2_errors`: botocore `_map_oauth2_errors`. SSO OIDC speaks
/// OAuth2, whose errors carry `error_description` rather than `message`; the
/// error is parsed here with that description as its message.
#[derive(Debug, Default)]
pub struct OAuth2Errors;

impl Interceptor for OAuth2Errors {
    fn name(&self) -> &'static str {
        "sso_oidc.oauth2_errors"
    }

    fn read_after_response(
        &self,
        call: &CallInfo<'_>,
        resp: &ResponseContext<'_>,
    ) -> Result<(), Error> {
        if resp.status < 400 {
            return Ok(());
        }
        let Ok(serde_json::Value::Object(body)) =
            serde_json::from_slice::<serde_json::Value>(resp.body)
        else {
            return Ok(());
        };
        let has_message = ["Message", "message"]
            .iter()
            .any(|k| body.get(*k).is_some_and(|v| !v.is_null() && v != ""));
        let Some(description) = body
            .get("error_description")
            .and_then(|v| v.as_str())
            .filter(|_| !has_message)
        else {
            return Ok(());
        };
        let r = boto_protocols::Response {
            status: resp.status,
            headers: resp.headers,
            body: resp.body,
        };
        let mut err = boto_protocols::parse_error(call.model, call.operation, &r);
        err.message = description.to_string();
        Err(Error::service(err))
    }
}

/// `cloudsearchdomain.search_post`: botocore `change_get_to_post`. Search
/// queries can exceed URL limits, so the GET's query string is sent as a
/// form-encoded POST body instead.
#[derive(Debug, Default)]
pub struct SearchAsPost;

impl Interceptor for SearchAsPost {
    fn name(&self) -> &'static str {
        "cloudsearchdomain.search_post"
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        if &*call.operation.name != "Search"
            || ctx.request.method != "GET"
            || ctx.request.query.is_empty()
        {
            return Ok(());
        }
        let form = ctx.request.query_string();
        ctx.request.query.clear();
        ctx.request.method = "POST".into();
        ctx.request
            .set_header("Content-Type", "application/x-www-form-urlencoded");
        ctx.request.body = boto_protocols::Body::Bytes(form.into_bytes());
        *ctx.body = None;
        Ok(())
    }
}

/// `machinelearning.predict_endpoint`: botocore `switch_host_machinelearning`.
/// `Predict` goes to the model's own endpoint (`PredictEndpoint`), keeping
/// the request path.
#[derive(Debug, Default)]
pub struct PredictEndpoint;

impl Interceptor for PredictEndpoint {
    fn name(&self) -> &'static str {
        "machinelearning.predict_endpoint"
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        if &*call.operation.name != "Predict" {
            return Ok(());
        }
        let Some(target) = ctx.params.get("PredictEndpoint").as_str() else {
            return Ok(());
        };
        let Some((scheme, rest)) = target.split_once("://") else {
            return Err(Error::validation(format!(
                "PredictEndpoint is not a URL: {target}"
            )));
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        let old_path = ctx
            .endpoint
            .url
            .split_once("://")
            .and_then(|(_, r)| r.find('/').map(|i| r[i..].to_string()));
        ctx.endpoint.url = format!("{scheme}://{host}{}", old_path.unwrap_or_default());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customizations::testutil::Harness;

    #[test]
    fn trace_id_quoting() {
        assert_eq!(
            quote_trace_id("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"),
            "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
        );
        assert_eq!(quote_trace_id("a b\n"), "a%20b%0A");
    }

    #[test]
    fn accept_header_defaults_to_json() {
        let h = Harness::new("apigateway", "GetRestApis");
        let (req, _) = h.before_signing(&AcceptJson, &Value::Null, None).unwrap();
        assert_eq!(req.header("accept"), Some("application/json"));
        let mut req = h.serialize(&Value::Null);
        req.set_header("Accept", "application/yaml");
        let mut body = None;
        h.run_before_signing(&AcceptJson, &Value::Null, &mut req, &mut body)
            .unwrap();
        assert_eq!(req.header("accept"), Some("application/yaml"));
    }
}

/// `common.request_compression` (every service): botocore
/// `compress.maybe_compress_request`. gzips the serialized body of an
/// operation with the `requestcompression` trait when the client's settings
/// allow it (see [`crate::compression`]); registered before `checksums` so the
/// checksum and the signature cover the compressed bytes.
#[derive(Debug, Default)]
pub struct RequestCompression;

impl Interceptor for RequestCompression {
    fn name(&self) -> &'static str {
        "common.request_compression"
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        let op = call.operation;
        if call.presigning || op.request_compression.is_empty() {
            return Ok(());
        }
        let signature_v2 = call.model.metadata.signature_version.as_deref() == Some("v2");
        let streaming = op
            .streaming_input(call.model)
            .map(|m| call.model.shape(m.target).requires_length);
        if streaming.is_some() && ctx.body.is_some() {
            // A streamed body (a file region) is sent as is; no modeled
            // operation has both `requestcompression` and a streaming input.
            return Ok(());
        }
        let body = ctx.request.body.as_bytes();
        let Some(encoding) = crate::compression::should_compress(
            &call.config.request_compression,
            &op.request_compression,
            signature_v2,
            streaming,
            body.len() as u64,
        ) else {
            return Ok(());
        };
        let compressed = crate::compression::gzip(body, crate::compression::now_mtime());
        ctx.request.body = boto_protocols::Body::Bytes(compressed);
        crate::compression::set_content_encoding(&mut ctx.request.headers, encoding);
        Ok(())
    }
}

/// `common.api_version_header`: botocore `inject_api_version_header_if_needed`
/// (every service). A service's endpoint-discovery operation
/// (`DescribeEndpoints`, see [`crate::discovery`]) carries the API version in
/// `x-amz-api-version`.
#[derive(Debug, Default)]
pub struct ApiVersionHeader;

impl Interceptor for ApiVersionHeader {
    fn name(&self) -> &'static str {
        "common.api_version_header"
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        if call.operation.endpoint_operation {
            ctx.request.set_header(
                "x-amz-api-version",
                call.model.metadata.api_version.as_str(),
            );
        }
        Ok(())
    }
}
