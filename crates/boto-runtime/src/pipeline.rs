//! The call pipeline: one function from parameters to a parsed result.
//!
//! ```text
//! validate → serialize → resolve endpoint → interceptors → per attempt:
//!     credentials → sign → send → classify (→ back off and retry) → parse
//! ```
//!
//! Everything service-specific happens in interceptors at fixed points;
//! everything protocol-specific in `boto-protocols`; signing is the pure
//! function in `boto-auth`. This file only sequences them.

mod cross_region;
mod redact;
mod response;
mod target;
pub use redact::redact_headers;
pub(crate) use target::Target;

use crate::auth::AuthScheme;
use crate::call_future::CallFuture;
use crate::client::ClientInner;
use crate::error::{Error, ErrorKind};
use crate::event_stream::{EventParser, EventStreamOutput};
use crate::http::{ByteStream, RequestBody};
use crate::interceptor::{AttemptDecision, CallInfo, CallPlan, RequestContext, SigningOverrides};
use crate::retry::{classify, RetryReason};
use boto_model::{Operation, ShapeKind, Value};
use boto_protocols::Body;
use response::{answered_output, handle_response};
use std::time::{Duration, SystemTime};
use tracing::{debug, trace};

/// The result of a call: the output value, and the body stream for
/// operations whose output payload is streamed (e.g. S3 GetObject).
#[derive(Debug)]
pub struct Output {
    /// The parsed output: botocore's response dict, `ResponseMetadata` included. When
    /// [`Output::body`] is set, the payload member is absent from it.
    pub value: Value,
    /// The output payload as a stream, for operations whose payload is a streaming blob
    /// (S3 `GetObject`, Glacier `GetJobOutput`, ...) called through
    /// [`crate::Client::call_stream`]; `None` otherwise.
    pub body: Option<ByteStream>,
}

/// A call made ready to sign: everything but credentials and the clock.
pub(crate) struct Prepared<'a> {
    pub op: &'a Operation,
    pub method: String,
    /// The URL, and its parts for signing.
    pub target: Target,
    pub headers: Vec<(String, String)>,
    pub body: RequestBody,
    pub signing: SigningOverrides,
    /// How the request is signed (scheme, signing name and region).
    pub auth: AuthScheme,
    pub params: Value,
    /// `amz-sdk-invocation-id`: one per call, the same on every retry.
    pub invocation_id: String,
}

/// The first half of a call: hooks on the parameters, validation,
/// serialization and endpoint resolution.
pub(crate) fn resolve<'a>(
    c: &'a ClientInner,
    operation: &str,
    params: Value,
    plan: &CallPlan,
    presigning: bool,
) -> Result<
    (
        &'a Operation,
        Value,
        boto_protocols::Request,
        boto_endpoints::Endpoint,
    ),
    Error,
> {
    let op = c.model.require_operation(operation)?;
    let call = CallInfo {
        model: &c.model,
        operation: op,
        config: &c.config,
        presigning,
    };
    let mut params = if params.is_null() {
        Value::Map(Default::default())
    } else {
        params
    };
    for i in &c.interceptors {
        i.modify_before_serialization(&call, &mut params)?;
    }
    if c.config.parameter_validation {
        boto_model::validate::validate_operation(&c.model, op, &params).map_err(Error::from)?;
    }
    let mut options = boto_protocols::SerializeOptions::default();
    for i in &c.interceptors {
        i.modify_serialize_options(&call, &mut options);
    }
    let request = boto_protocols::serialize_with(&c.model, op, &params, &options)?;
    // A redirect's region, or the signing identity's account id, bind as
    // the client's own would; a configured account id wins over the identity's.
    let overrides = crate::endpoint::CallOverrides {
        region: plan.region.as_deref(),
        account_id: plan
            .account_id
            .as_deref()
            .filter(|_| c.config.account_id.is_none()),
    };
    let mut ep_params =
        crate::endpoint::bind_params_with(&c.rules, &c.model, op, &c.config, overrides, &params);
    for i in &c.interceptors {
        i.modify_endpoint_params(&call, &params, &mut ep_params)?;
    }
    let endpoint = c.endpoints.resolve(&c.rules, &ep_params, &c.partitions)?;
    Ok((op, params, request, endpoint))
}

/// Validate, serialize, resolve the endpoint (for the planned region and the
/// signing identity's account id) and run the pre-signing hooks.
pub(crate) fn prepare_with<'a>(
    c: &'a ClientInner,
    operation: &str,
    params: Value,
    body: Option<RequestBody>,
    plan: &CallPlan,
    presigning: bool,
) -> Result<Prepared<'a>, Error> {
    let region = plan.region.as_deref();
    let (op, params, mut request, mut endpoint) = resolve(c, operation, params, plan, presigning)?;
    if let Some(url) = &plan.discovered_endpoint {
        // botocore's `EndpointDiscoveryHandler.discover_endpoint`: the host
        // changes, the signing scope (the rule set's auth scheme) does not.
        endpoint.url.clone_from(url);
    }
    let call = CallInfo {
        model: &c.model,
        operation: op,
        config: &c.config,
        presigning,
    };
    let mut body = body;
    let mut signing = SigningOverrides {
        unsigned_payload: op.unsigned_payload,
        ..Default::default()
    };
    for i in &c.interceptors {
        let mut ctx = RequestContext {
            params: &params,
            request: &mut request,
            endpoint: &mut endpoint,
            body: &mut body,
            signing: &mut signing,
        };
        i.modify_before_signing(&call, &mut ctx)?;
    }
    let signature_version = c.config.signature_version.or_else(|| {
        c.interceptors
            .iter()
            .find_map(|i| i.choose_signature_version(&call))
    });
    let auth = crate::auth::select(
        &c.model,
        op,
        &c.config,
        signature_version,
        &endpoint,
        region.or(c.config.region.as_deref()),
    )?;
    if auth.scope().is_some_and(|s| s.disable_double_encoding) {
        signing.s3_rules = true;
    }

    // URL = endpoint (scheme, host with host prefix, base path) + request path + query.
    let (scheme, rest) = endpoint.url.split_once("://").ok_or_else(|| {
        Error::new(
            ErrorKind::Endpoint,
            format!("endpoint URL without scheme: {}", endpoint.url),
        )
    })?;
    let (host, base_path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let prefix = match (&request.host_prefix, c.config.disable_host_prefix_injection) {
        (Some(prefix), false) => prefix.as_str(),
        _ => "",
    };
    let base_path = base_path.trim_end_matches('/');
    let target = Target::new(
        scheme,
        [prefix, host],
        [base_path, &request.path],
        &request.query_string(),
    );
    // Nothing is signed or sent to a host that an input value has bent: the
    // authority must be a plain host, with a port only from a custom endpoint.
    boto_endpoints::hostcheck::check_authority(target.authority(), c.config.endpoint_url.is_some())
        .map_err(|why| {
            Error::new(
                ErrorKind::Endpoint,
                format!(
                    "refusing to send to endpoint {}://{}: {why}",
                    scheme,
                    target.authority().escape_debug()
                ),
            )
        })?;
    let mut headers = std::mem::take(&mut request.headers);
    for (k, vs) in &endpoint.headers {
        for v in vs {
            headers.push((k.clone(), v.clone()));
        }
    }
    let body = body.unwrap_or(match std::mem::take(&mut request.body) {
        Body::Empty => RequestBody::Empty,
        Body::Bytes(b) => RequestBody::Bytes(b.into()),
    });
    // aws-cli's --debug lines: where the request goes and how it is signed.
    debug!("Endpoint provider result: {}", endpoint.url);
    match auth.scope() {
        Some(scope) => debug!(
            auth = %auth.name(),
            signing_name = %scope.signing_name,
            signing_region = %scope.signing_region,
            "Selected auth scheme"
        ),
        None => debug!(auth = %auth.name(), "Selected auth scheme"),
    }
    Ok(Prepared {
        op,
        method: std::mem::take(&mut request.method),
        target,
        headers,
        body,
        signing,
        auth,
        params,
        invocation_id: c.invocation_id(),
    })
}

/// The account id of the identity that will sign the call, for rule sets
/// with an `AWS::Auth::AccountId` parameter: botocore resolves credentials
/// before the endpoint for these (`_resolve_account_id_builtin`). Not when
/// `account_id_endpoint_mode` is `disabled`, an account id is configured, or
/// the call is unsigned ([`binds_identity_account_id`], decided when the
/// client is built); a failure to get credentials is left to signing to
/// report (a stubbed call needs none).
pub(crate) async fn identity_account_id(c: &ClientInner) -> Option<String> {
    if !c.account_id_from_identity {
        return None;
    }
    let creds = c.credentials.as_ref()?.provide().await.ok()?;
    creds.account_id().map(str::to_owned)
}

/// Whether a client with `config` and `rules` binds the signing identity's
/// account id ([`identity_account_id`]).
pub(crate) fn binds_identity_account_id(
    config: &crate::config::ClientConfig,
    rules: &boto_endpoints::RuleSet,
) -> bool {
    config.account_id.is_none()
        && config.account_id_endpoint_mode.as_deref() != Some("disabled")
        && config.sign_requests
        && rules
            .parameters()
            .iter()
            .any(|p| p.built_in.as_deref() == Some(boto_endpoints::builtins::ACCOUNT_ID))
}

/// Moves a streaming-input payload given in the parameters (S3 `Body` as a
/// blob or string) into a `RequestBody`, so the parameters can be kept for a
/// possible redirect without copying the upload.
fn detach_payload(
    c: &ClientInner,
    operation: &str,
    mut params: Value,
    body: Option<RequestBody>,
) -> (Value, Option<RequestBody>) {
    if body.is_some() {
        return (params, body);
    }
    let Some(member) = c
        .model
        .operation(operation)
        .and_then(|op| op.streaming_input(&c.model))
    else {
        return (params, body);
    };
    let bytes = match params
        .as_map_mut()
        .and_then(|m| m.shift_remove(&member.name))
    {
        Some(Value::Blob(b)) => b,
        Some(Value::String(s)) => s.into_bytes(),
        Some(other) => {
            // Not a payload we can move: put it back for validation to report.
            if let Some(m) = params.as_map_mut() {
                m.insert(member.name.to_string(), other);
            }
            return (params, body);
        }
        None => return (params, body),
    };
    (params, Some(RequestBody::Bytes(bytes.into())))
}

/// Whether the operation's output payload is a stream the caller reads.
fn streams_output(c: &ClientInner, op: &Operation) -> bool {
    op.streaming_output(&c.model)
        .is_some_and(|m| matches!(c.model.shape(m.target).kind, ShapeKind::Blob))
}

/// How a call hands back its result.
pub(crate) enum Receive<'r> {
    /// The parsed output, with the payload as a stream when `stream` and the
    /// operation streams a blob (`Client::call` / `Client::call_stream`).
    Output {
        /// Hand a streamed blob payload out as a `ByteStream`.
        stream: bool,
    },
    /// The non-stream members and the events as they arrive (`Client::call_event_stream`).
    Events(&'r EventParser),
}

/// What [`invoke_in_span`] returns, per [`Receive`] mode.
pub(crate) enum Received {
    Output(Output),
    Events(EventStreamOutput),
}

/// Runs a call to completion, retrying as configured.
///
/// The call's whole state machine (preparation, signing, hyper's send, the
/// response) is moved behind a pointer here, in a function that is never
/// inlined: an `async fn`'s body is compiled again in every crate that
/// awaits it, and without this boundary each crate calling
/// [`crate::Client::call`] (the resources, the transfer manager, the CLI,
/// the Python module, every test binary) generated and optimized its own
/// copy of the pipeline. So the pipeline is compiled once, in this crate,
/// and its memory is reused call after call ([`CallFuture`]).
#[inline(never)]
pub(crate) fn invoke<'a>(
    c: &'a ClientInner,
    operation: &'a str,
    params: Value,
    body: Option<RequestBody>,
    stream_output: bool,
) -> CallFuture<'a, Result<Output, Error>> {
    CallFuture::new(async move {
        use tracing::Instrument;
        let span =
            tracing::debug_span!("call", service = %c.model.service_name, operation = %operation);
        let receive = Receive::Output {
            stream: stream_output,
        };
        match invoke_in_span(c, operation, params, body, receive)
            .instrument(span)
            .await?
        {
            Received::Output(out) => Ok(out),
            Received::Events(_) => unreachable!("Receive::Output yields an Output"),
        }
    })
}

/// The whole call (hooks, preparation, attempts, retries, redirects), with the
/// response of a successful attempt handed over as `receive` asks.
pub(crate) async fn invoke_in_span(
    c: &ClientInner,
    operation: &str,
    params: Value,
    body: Option<RequestBody>,
    receive: Receive<'_>,
) -> Result<Received, Error> {
    let op = c.model.require_operation(operation)?;
    let call = CallInfo {
        model: &c.model,
        operation: op,
        config: &c.config,
        presigning: false,
    };
    // The caller's parameters, before any customization rewrites them.
    for i in &c.interceptors {
        i.read_before_execution(&call, &params)
            .map_err(|e| e.with_operation(&op.name))?;
    }
    // URLs presigned for another region that the parameters carry
    // (`Interceptor::presign_request`).
    let params = cross_region::inject_presigned_urls(c, operation, params).await?;
    let mut plan = CallPlan::default();
    for i in &c.interceptors {
        i.plan_call(&call, &params, &mut plan);
    }
    // Endpoint discovery (`crate::discovery`): the host to send to, asked of
    // the service's discovery operation and cached.
    let discovers = crate::discovery::applies(c, op).map_err(|e| e.with_operation(&op.name))?;
    let discovery_region = match discovers {
        true => plan
            .region
            .clone()
            .or_else(|| c.config.region.clone())
            .unwrap_or_default(),
        false => String::new(),
    };
    // Keep what a redirect (or a rediscovery) needs to prepare the call again;
    // an in-memory upload body moves into a cheaply cloned `RequestBody` first.
    let keep = plan.may_redirect || discovers;
    let (params, body) = match keep {
        true => detach_payload(c, operation, params, body),
        false => (params, body),
    };
    let retry_input = keep.then(|| (params.clone(), body.clone()));
    let mut redirected = false;
    plan.account_id = identity_account_id(c).await;
    let mut prepared = prepare_with(c, operation, params, body, &plan, false)?;
    let stream = matches!(receive, Receive::Output { stream: true }) && streams_output(c, op);
    for i in &c.interceptors {
        if let Some(answer) = i.respond_before_send(&call, &prepared.params) {
            return match receive {
                Receive::Output { .. } => {
                    answered_output(c, &call, &prepared, answer, stream).map(Received::Output)
                }
                Receive::Events(parser) => {
                    crate::event_stream_call::answered(c, &call, &prepared, answer, parser.clone())
                        .map(Received::Events)
                }
            };
        }
    }
    // Discovered after the stubs had their say (botocore discovers when the
    // request is created, after `before-call`), so a stubbed call sends nothing.
    if let (true, Some((p, body))) = (discovers, &retry_input) {
        plan.discovered_endpoint = crate::discovery::endpoint(c, op, &discovery_region)
            .await
            .map_err(|e| e.with_operation(&op.name))?;
        if plan.discovered_endpoint.is_some() {
            prepared = prepare_with(c, operation, p.clone(), body.clone(), &plan, false)?;
        }
    }
    let mut attempt = 0u32;
    let mut quota_cost = None;
    loop {
        attempt += 1;
        if c.retry.adaptive() {
            let d = c.retry.limiter.acquire_delay();
            if !d.is_zero() {
                tokio::time::sleep(d).await;
            }
        }
        let signed_skew = c.skew_ms();
        let request = crate::auth::sign::sign_attempt(c, &prepared, attempt).await?;
        trace!(method = %request.method, url = %request.url, headers = ?redact_headers(&request.headers), "sending");
        let started = std::time::Instant::now();
        let outcome = match c.http.send_ref(&request).await {
            Ok(resp) => {
                let span = tracing::debug_span!("attempt", attempt);
                use tracing::Instrument;
                match receive {
                    Receive::Output { .. } => {
                        handle_response(c, &call, &prepared, &request, resp, stream, attempt)
                            .instrument(span)
                            .await
                            .map(Received::Output)
                    }
                    // Boxed: event streams are rare, and this state would
                    // otherwise sit in every call's future.
                    Receive::Events(parser) => Box::pin(crate::event_stream_call::respond(
                        c, &call, &prepared, &request, resp, parser, attempt,
                    ))
                    .instrument(span)
                    .await
                    .map(Received::Events),
                }
            }
            Err(e) => Err(e.with_request_url(&request.url)),
        };
        let err = match outcome {
            Ok(out) => {
                debug!(
                    attempt,
                    latency_ms = started.elapsed().as_millis() as u64,
                    "call succeeded"
                );
                if c.retry.adaptive() {
                    c.retry.limiter.update(false);
                }
                // Standard/adaptive quota: refund the last retry's cost, or
                // earn a token for a first-try success.
                if c.retry.mode != crate::config::RetryMode::Legacy {
                    c.retry.quota.release(quota_cost);
                }
                return Ok(out);
            }
            Err(e) => e,
        };
        let modeled = err
            .service_error()
            .and_then(|s| s.shape.as_deref())
            .and_then(|n| c.model.shape_by_name(n))
            .and_then(|s| s.as_structure())
            .and_then(|s| s.retryable_throttling);
        let reason = classify(&err, modeled);
        if c.retry.adaptive() {
            c.retry
                .limiter
                .update(reason == Some(RetryReason::Throttling));
        }
        if let (true, Some((p, body))) = (discovers, &retry_input) {
            if crate::discovery::is_invalid_endpoint(&err) && attempt < c.config.total_attempts() {
                debug!(attempt, error = %err.report(), "discovered endpoint rejected: discovering again");
                crate::discovery::invalidate(c, &discovery_region);
                plan.discovered_endpoint = crate::discovery::endpoint(c, op, &discovery_region)
                    .await
                    .map_err(|e| e.with_operation(&op.name))?;
                prepared = prepare_with(c, operation, p.clone(), body.clone(), &plan, false)?;
                continue;
            }
        }
        if let (false, true, Some((p, body))) = (redirected, plan.may_redirect, &retry_input) {
            let redirect = c.interceptors.iter().find_map(|i| {
                match i.after_attempt(&call, &prepared.params, &err) {
                    AttemptDecision::Redirect { region } => Some(region),
                    AttemptDecision::Continue => None,
                }
            });
            if let Some(region) = redirect {
                debug!(%region, error = %err.report(), "redirecting the call to another region");
                plan.region = Some(region);
                prepared = prepare_with(c, operation, p.clone(), body.clone(), &plan, false)?;
                redirected = true;
                attempt -= 1;
                continue;
            }
        }
        let Some(reason) = reason else {
            debug!(attempt, error = %err.report(), "not retrying: the error is not retryable");
            return Err(err
                .with_operation(&op.name)
                .with_retry_attempts(attempt - 1));
        };
        // A signature rejected for time reasons is retried only when the
        // server's clock really differs from ours; then the retry is signed
        // with the server's time. A wrong key is not retried.
        let server_date = err.service_error().and_then(|se| {
            se.fields
                .pointer("ResponseMetadata.HTTPHeaders.date")
                .as_str()
        });
        if reason == RetryReason::ClockSkew && !c.correct_skew(server_date, signed_skew) {
            debug!(attempt, error = %err.report(), "not retrying: the clocks agree, so the signature is wrong");
            return Err(err
                .with_operation(&op.name)
                .with_retry_attempts(attempt - 1));
        }
        match c.retry.should_retry(attempt, reason) {
            Some(cost) => quota_cost = cost,
            None => {
                debug!(attempt, ?reason, error = %err.report(), "not retrying: attempts or retry quota used up");
                return Err(err
                    .with_operation(&op.name)
                    .with_retry_attempts(attempt - 1));
            }
        }
        let delay = c.retry.backoff(attempt);
        debug!(attempt, ?reason, delay_ms = delay.as_millis() as u64, error = %err.report(), "retrying");
        tokio::time::sleep(delay).await;
    }
}

pub(crate) use cross_region::{form_into_query, inject_presigned_urls};

/// Current time corrected by the measured clock skew.
pub(crate) fn skewed_now(skew_ms: i64) -> SystemTime {
    let now = SystemTime::now();
    if skew_ms >= 0 {
        now + Duration::from_millis(skew_ms as u64)
    } else {
        now - Duration::from_millis(skew_ms.unsigned_abs())
    }
}
