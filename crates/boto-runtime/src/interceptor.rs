//! Typed hook points of the call pipeline.
//!
//! botocore wires ~120 handlers to string-keyed events; here a service
//! customization (or a user hook) implements [`Interceptor`] and overrides only
//! the points it needs. The points are fixed and each gets a typed context, so
//! the data flow of a call stays readable in one place (`pipeline.rs`).
//!
//! Order: `read_before_execution` (the caller's parameters, untouched; sent
//! calls only) → `modify_before_serialization` (parameters) → `modify_before_endpoint`
//! (endpoint parameters) → `modify_before_signing` (request parts + endpoint,
//! once per call) → `respond_before_send` (may answer the call without
//! sending it: the `boto-testing` Stubber) → per attempt: `modify_before_transmit` (the signed HTTP
//! request) → `read_after_response` (status/headers/body; may turn a 200 into
//! an error or reject a bad checksum) → `after_attempt` (a failed attempt: let
//! the retry policy decide, or redirect the call to another region) →
//! `modify_after_parse` (the output value).
//!
//! Two hooks shape the call rather than its data: `plan_call` (before
//! anything is prepared: a region to use instead of the client's, and whether
//! the call may be redirected, so the pipeline keeps what it needs to prepare
//! it again) and `modify_serialize_options` (serializer switches). With them
//! S3's region redirect and bucket-region cache live in the S3 customization,
//! and the pipeline names no service.
//!
//! One pair of hooks exchanges a presigned URL with the pipeline:
//! `presign_request` (before `modify_before_serialization`, for calls that
//! are sent or prepared) asks for a URL of the same operation with other
//! parameters for another region, and `modify_with_presigned_url` receives it
//! (EC2 `CopySnapshot`, the RDS family's cross-region copies). Credentials are
//! resolved asynchronously, so the hooks stay synchronous.

use crate::config::ClientConfig;
use crate::error::Error;
use crate::http::{HttpRequest, RequestBody};
use boto_endpoints::{Endpoint, Params};
use boto_model::{Operation, ServiceModel, Value};
use boto_protocols::Request;
use std::sync::Arc;

/// What every hook can see about the call.
pub struct CallInfo<'a> {
    /// The model of the client's service.
    pub model: &'a Arc<ServiceModel>,
    /// The operation being called (its model entry: name, HTTP binding, input and output shapes).
    pub operation: &'a Operation,
    /// The client's configuration (region, endpoint URL, S3 settings, ...).
    pub config: &'a ClientConfig,
    /// The request is being presigned, not sent: hooks that add headers a
    /// plain HTTP client would not send (checksums, `Expect`) stand aside.
    pub presigning: bool,
}

/// The serialized request before the host is known and before signing.
pub struct RequestContext<'a> {
    /// The (validated) input parameters.
    pub params: &'a Value,
    /// The serialized request: method, path, query, headers and body from the protocol serializer;
    /// hooks may rewrite any of it.
    pub request: &'a mut Request,
    /// The resolved endpoint (URL, headers, `authSchemes`); hooks may change the URL (S3
    /// addressing, Glacier account id).
    pub endpoint: &'a mut Endpoint,
    /// Replaces the serialized body, e.g. a streamed file upload.
    pub body: &'a mut Option<RequestBody>,
    /// Signing overrides an interceptor may set.
    pub signing: &'a mut SigningOverrides,
}

/// Signing adjustments (S3 payload rules, unsigned operations).
#[derive(Debug, Clone, Default)]
pub struct SigningOverrides {
    /// Use `UNSIGNED-PAYLOAD` instead of hashing the body.
    pub unsigned_payload: bool,
    /// Use S3's signing rules (no path normalisation or double encoding, content-sha256 header).
    pub s3_rules: bool,
    /// Send the body `aws-chunked` with this trailing checksum (set by `checksums`).
    pub trailing_checksum: Option<crate::aws_chunked::TrailingChecksum>,
}

/// A received response, body already buffered (not for streamed outputs).
pub struct ResponseContext<'a> {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers, as received.
    pub headers: &'a [(String, String)],
    /// The body; empty for streamed outputs.
    pub body: &'a [u8],
    /// The request that was sent.
    pub request: &'a HttpRequest,
}

/// How a call is to be made, decided by [`Interceptor::plan_call`] before it is prepared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallPlan {
    /// Resolve and sign for this region instead of the client's (e.g. a bucket's known region).
    pub region: Option<String>,
    /// [`Interceptor::after_attempt`] may redirect this call: keep the parameters and body
    /// so it can be prepared again.
    pub may_redirect: bool,
    /// The account id of the identity that signs, bound to the rule set's
    /// `AWS::Auth::AccountId` (set by the pipeline after credentials are resolved).
    pub account_id: Option<String>,
    /// Send to this endpoint URL instead of the rule set's (found by endpoint
    /// discovery; set by the pipeline).
    pub discovered_endpoint: Option<String>,
}

/// What an interceptor decides after a failed attempt ([`Interceptor::after_attempt`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptDecision {
    /// Nothing to add: the retry policy classifies the error.
    Continue,
    /// Prepare the call again for this region and send it at once; this is not
    /// counted as a retry, and happens at most once per call (botocore's
    /// `S3RegionRedirectorv2`).
    Redirect {
        /// The region to resolve the endpoint and sign for.
        region: String,
    },
}

/// A presigned URL of the call's own operation that an interceptor wants put
/// into the call's parameters ([`Interceptor::presign_request`]): botocore's
/// `_get_cross_region_presigned_url`, with which EC2 `CopySnapshot` and the RDS
/// family's cross-region copies prove to the source region that the caller
/// may read the source.
///
/// The pipeline prepares `params` for `region` as it prepares a call
/// (`modify_before_serialization`, validation, serialization, endpoint
/// resolution), then presigns it as botocore does: a `GET` without headers,
/// the form body moved into the query, `set_pairs` applied, signed for
/// `region` with the client's credentials.
#[derive(Clone, PartialEq)]
pub struct PresignRequest {
    /// The region whose endpoint the URL goes to and whose scope signs it.
    pub region: String,
    /// The parameters of the presigned request.
    pub params: Value,
    /// Form pairs set in the serialized request, each replacing the pair of
    /// the same name or else appended: values the model has no member for
    /// (RDS's `DestinationRegion`).
    pub set_pairs: Vec<(String, String)>,
    /// How long the URL is valid (botocore: one hour).
    pub expires_in: std::time::Duration,
}

impl PresignRequest {
    /// botocore's `_get_cross_region_presigned_url`: the same call presigned for
    /// `source` region, with `DestinationRegion` set to `destination` in the
    /// serialized request, valid one hour.
    pub fn cross_region(source: &str, params: &Value, destination: &str) -> Self {
        PresignRequest {
            region: source.to_string(),
            params: params.clone(),
            set_pairs: vec![("DestinationRegion".into(), destination.to_string())],
            expires_in: std::time::Duration::from_secs(3600),
        }
    }
}

/// Parameter values stay out of the output (they may hold passwords).
impl std::fmt::Debug for PresignRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.set_pairs.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("PresignRequest")
            .field("region", &self.region)
            .field("set_pairs", &names)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// A hook into the pipeline. Every method has a no-op default.
pub trait Interceptor: Send + Sync {
    /// Name shown in logs and errors (e.g. `s3.addressing`).
    fn name(&self) -> &'static str;

    /// First of all, for calls that are sent (not presigning, not
    /// `Client::prepare`), with the parameters exactly as the caller gave
    /// them, before any customization rewrote them. An error fails the call
    /// with it. botocore's `before-parameter-build` as its `Stubber` uses it
    /// (registered first) to check the expected parameters.
    fn read_before_execution(&self, _call: &CallInfo<'_>, _params: &Value) -> Result<(), Error> {
        Ok(())
    }

    /// After validation, serialization and endpoint resolution, before
    /// credentials, signing and sending: `Some` answers the call without
    /// sending anything (botocore's `before-call` event, which its `Stubber`
    /// uses). The answer is final (never retried); an `Ok` output goes through
    /// `modify_after_parse` like a parsed response, and for
    /// `Client::call_stream` a streamed payload member (S3 `GetObject`'s
    /// `Body`, a blob or string) is moved into the body stream. The first
    /// interceptor that answers wins.
    fn respond_before_send(
        &self,
        _call: &CallInfo<'_>,
        _params: &Value,
    ) -> Option<Result<Value, Error>> {
        None
    }

    /// Before the call is prepared (and before `modify_before_serialization`), with the
    /// caller's parameters: choose a region or allow a redirect (see [`CallPlan`]).
    /// Only for calls that are sent.
    fn plan_call(&self, _call: &CallInfo<'_>, _params: &Value, _plan: &mut CallPlan) {}

    /// After a failed attempt, before the retry policy classifies the error: redirect the
    /// call (only offered when a `plan_call` set [`CallPlan::may_redirect`], and at most once
    /// per call). `params` are the prepared call's parameters.
    fn after_attempt(
        &self,
        _call: &CallInfo<'_>,
        _params: &Value,
        _error: &Error,
    ) -> AttemptDecision {
        AttemptDecision::Continue
    }

    /// For calls that are sent or prepared (not presigned), after
    /// `read_before_execution` and before `modify_before_serialization`: a
    /// presigned URL of this operation that the parameters need (botocore's
    /// `inject_presigned_url_ec2` / `inject_presigned_url_rds`). The pipeline
    /// presigns it (see [`PresignRequest`]) and hands the URL to this
    /// interceptor's [`Interceptor::modify_with_presigned_url`]; with no
    /// credentials the call fails, as botocore's does.
    fn presign_request(&self, _call: &CallInfo<'_>, _params: &Value) -> Option<PresignRequest> {
        None
    }

    /// The URL asked for by this interceptor's [`Interceptor::presign_request`]:
    /// put it into the parameters. The URL carries the session token, if
    /// any: it must not be logged.
    fn modify_with_presigned_url(
        &self,
        _call: &CallInfo<'_>,
        _params: &mut Value,
        _url: String,
    ) -> Result<(), Error> {
        Ok(())
    }

    /// The signature version for this call when the client's config names none:
    /// botocore's `choose-signer` event (importexport signs SigV4 although its
    /// model says v2). The first interceptor that answers wins.
    fn choose_signature_version(
        &self,
        _call: &CallInfo<'_>,
    ) -> Option<crate::config::SignatureVersion> {
        None
    }

    /// Serializer switches for this call (botocore handlers that change how a
    /// value is written, such as millisecond timestamps).
    fn modify_serialize_options(
        &self,
        _call: &CallInfo<'_>,
        _options: &mut boto_protocols::SerializeOptions,
    ) {
    }

    /// Before validation and serialization: fill defaults, rewrite parameters.
    fn modify_before_serialization(
        &self,
        _call: &CallInfo<'_>,
        _params: &mut Value,
    ) -> Result<(), Error> {
        Ok(())
    }

    /// After the standard endpoint parameters are bound, before resolution.
    fn modify_endpoint_params(
        &self,
        _call: &CallInfo<'_>,
        _params: &Value,
        _ep: &mut Params,
    ) -> Result<(), Error> {
        Ok(())
    }

    /// After serialization and endpoint resolution, before signing.
    fn modify_before_signing(
        &self,
        _call: &CallInfo<'_>,
        _ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        Ok(())
    }

    /// The final signed request of an attempt, before it is sent.
    fn modify_before_transmit(
        &self,
        _call: &CallInfo<'_>,
        _req: &mut HttpRequest,
    ) -> Result<(), Error> {
        Ok(())
    }

    /// Inspect a response. Returning an error makes the attempt fail with it
    /// (it is then classified for retry like any other error).
    fn read_after_response(
        &self,
        _call: &CallInfo<'_>,
        _resp: &ResponseContext<'_>,
    ) -> Result<(), Error> {
        Ok(())
    }

    /// Adjust the parsed output (or validate it against the request).
    fn modify_after_parse(
        &self,
        _call: &CallInfo<'_>,
        _params: &Value,
        _output: &mut Value,
    ) -> Result<(), Error> {
        Ok(())
    }
}
