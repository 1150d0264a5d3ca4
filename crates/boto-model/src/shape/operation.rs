//! [`Operation`]: one operation of a service model, with its `http`,
//! `httpChecksum` and endpoint traits (botocore's `OperationModel`), and
//! where its streaming payloads are.

use super::{Json, MemberRef, ServiceModel, ShapeId, ShapeKind};

/// `http` trait of an operation.
#[derive(Debug, Clone)]
pub struct HttpTrait {
    /// The HTTP method (`GET`, `PUT`, `POST`, ...).
    pub method: Box<str>,
    /// The URI template (`/{Bucket}/{Key+}?uploads`).
    pub request_uri: Box<str>,
    /// `responseCode`: the success status, when not 200.
    pub response_code: Option<u16>,
}

/// `httpChecksum` trait.
#[derive(Debug, Clone, Default)]
pub struct HttpChecksum {
    /// `requestAlgorithmMember`: the input member naming the checksum algorithm.
    pub request_algorithm_member: Option<Box<str>>,
    /// `requestChecksumRequired`: a checksum must be sent.
    pub request_checksum_required: bool,
    /// `requestValidationModeMember`: the input member that opts into response validation.
    pub request_validation_mode_member: Option<Box<str>>,
    /// `responseAlgorithms`: algorithms the response may be checked with.
    pub response_algorithms: Vec<Box<str>>,
}

/// One operation of a service.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The operation's model name (`PutObject`).
    pub name: Box<str>,
    /// The `http` trait: method, URI template, success code.
    pub http: HttpTrait,
    /// The input structure, if the operation takes one.
    pub input: Option<MemberRef>,
    /// The output structure, if it returns one.
    pub output: Option<MemberRef>,
    /// The error shapes the operation is modeled to return.
    pub errors: Vec<ShapeId>,
    /// `endpoint.hostPrefix`, e.g. `{AccountId}.` or `data.`.
    pub host_prefix: Option<Box<str>>,
    /// The `httpChecksum` trait.
    pub http_checksum: Option<HttpChecksum>,
    /// `httpChecksumRequired`: the legacy "send a Content-MD5" trait.
    pub http_checksum_required: bool,
    /// Names from `auth` (new) or mapped from `authtype` (legacy).
    pub auth: Vec<Box<str>>,
    /// `unsignedPayload` (or `authtype: v4-unsigned-body`): the body is not part of the signature.
    pub unsigned_payload: bool,
    /// `staticContextParams` as raw JSON: name → `{"value": ...}`.
    pub static_context_params: Vec<(Box<str>, Json)>,
    /// `operationContextParams`: name → JMESPath-like path into the input.
    pub operation_context_params: Vec<(Box<str>, Box<str>)>,
    /// `requestcompression.encodings`: encodings the body may be sent with (`gzip`).
    pub request_compression: Vec<Box<str>>,
    /// `endpointdiscovery.required`: the operation requires endpoint discovery.
    pub endpoint_discovery_required: bool,
    /// `endpointdiscovery` is present: the operation may be sent to a discovered endpoint
    /// (required or, with `endpoint_discovery_enabled = true`, optional).
    pub endpoint_discovery: bool,
    /// `endpointoperation`: this is the service's discovery operation (`DescribeEndpoints`).
    pub endpoint_operation: bool,
    /// `idempotent`.
    pub idempotent: bool,
    /// `readonly`.
    pub readonly: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `documentationUrl`.
    pub documentation_url: Option<Box<str>>,
}

impl Operation {
    /// botocore's `has_streaming_input`: the input payload member is a streaming blob.
    pub fn streaming_input<'m>(&self, model: &'m ServiceModel) -> Option<&'m MemberRef> {
        streaming_payload(model, self.input.as_ref()?)
    }
    /// The streaming output payload member (`Body` of GetObject), if any: then `call_stream` hands it out as a byte stream.
    pub fn streaming_output<'m>(&self, model: &'m ServiceModel) -> Option<&'m MemberRef> {
        streaming_payload(model, self.output.as_ref()?)
    }
}

fn streaming_payload<'m>(model: &'m ServiceModel, r: &MemberRef) -> Option<&'m MemberRef> {
    let s = model.shape(r.target).as_structure()?;
    let p = s.payload_member()?;
    let t = model.shape(p.target);
    (t.streaming
        || p.traits.streaming
        || matches!(&t.kind, ShapeKind::Structure(st) if st.eventstream))
    .then_some(p)
}
