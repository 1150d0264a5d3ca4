//! An [`Operation`] and its HTTP traits, and the service's [`Metadata`]: what
//! botocore's `OperationModel` and `ServiceModel.metadata` expose.

use super::{MemberRef, ServiceModel, ShapeId, ShapeKind};
use serde_json::Value as Json;

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

/// Service-level metadata.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// `apiVersion` (`2006-03-01`).
    pub api_version: String,
    /// `endpointPrefix`: the host label endpoints are built from.
    pub endpoint_prefix: String,
    /// The protocol botocore would choose (see [`Metadata::protocols`] preference).
    pub protocol: String,
    /// `protocols`: every protocol the service supports.
    pub protocols: Vec<String>,
    /// `jsonVersion`: the `application/x-amz-json-1.x` version.
    pub json_version: Option<String>,
    /// `targetPrefix`: the `X-Amz-Target` prefix of the JSON protocol.
    pub target_prefix: Option<String>,
    /// `serviceId`: the stable name (`S3`) used for config sections and env variables.
    pub service_id: String,
    /// `serviceFullName`.
    pub service_full_name: String,
    /// `signingName`: the SigV4 service name, when it differs from the endpoint prefix.
    pub signing_name: Option<String>,
    /// `signatureVersion` (`v4`, `s3v4`, `bearer`, ...).
    pub signature_version: Option<String>,
    /// `uid`: the service and API version (`s3-2006-03-01`).
    pub uid: Option<String>,
    /// `xmlNamespace` of XML bodies.
    pub xml_namespace: Option<String>,
    /// `globalEndpoint` of global services (IAM, CloudFront).
    pub global_endpoint: Option<String>,
    /// `awsQueryCompatible`: JSON errors carry the query protocol's codes.
    pub aws_query_compatible: bool,
    /// `auth`: the service's auth schemes, most preferred first.
    pub auth: Vec<String>,
    /// `checksumFormat` of the service (`md5`, `sha256`).
    pub checksum_format: Option<String>,
}
