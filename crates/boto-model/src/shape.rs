//! Service models as a flat arena of shapes addressed by integer ids.
//!
//! botocore resolves shapes lazily through dictionaries; here a model is built
//! once into `Vec<Shape>` and members point at their target by [`ShapeId`]. That
//! keeps the graph (which is cyclic: recursive structures are common) free of
//! `Rc` webs, cheap to share across threads (`Arc<ServiceModel>`), and fast to
//! walk for every protocol.
//!
//! Serialization traits live on two levels, as in the JSON models: on the
//! shape itself and on the reference to it (a structure member, a list member,
//! an operation's input). [`MemberRef`] carries the reference-level ones and
//! its accessors fall back to the target shape's, which is what botocore's
//! merged `serialization` dict does.

use crate::ModelError;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::Arc;

/// Index of a shape in its model's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShapeId(pub u32);

/// Where an input member goes in an HTTP request (or comes from in a response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The body (the default).
    Body,
    Uri,
    QueryString,
    Header,
    /// A map of headers sharing the prefix in `locationName`.
    Headers,
    StatusCode,
}

/// Timestamp wire format override (`timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    Iso8601,
    Rfc822,
    UnixTimestamp,
}

/// `xmlNamespace` trait: `xmlns` or `xmlns:prefix` attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlNamespace {
    pub prefix: Option<String>,
    pub uri: String,
}

/// Traits that can appear on a shape reference and (some) on the shape itself.
#[derive(Debug, Clone, Default)]
pub struct RefTraits {
    pub location: Option<Location>,
    pub location_name: Option<Box<str>>,
    pub query_name: Option<Box<str>>,
    pub xml_namespace: Option<XmlNamespace>,
    pub xml_attribute: bool,
    pub flattened: Option<bool>,
    pub timestamp_format: Option<TimestampFormat>,
    pub jsonvalue: bool,
    pub host_label: bool,
    pub idempotency_token: bool,
    pub event_payload: bool,
    pub streaming: bool,
    pub context_param: Option<Box<str>>,
    /// Query protocol: the wrapper element of an operation's output.
    pub result_wrapper: Option<Box<str>>,
    pub deprecated: bool,
}

/// A reference to a shape: a structure member, a list/map element, or an
/// operation's input/output.
#[derive(Debug, Clone)]
pub struct MemberRef {
    /// Member name in its structure (`member`/`key`/`value` for collections).
    pub name: Box<str>,
    pub target: ShapeId,
    pub traits: RefTraits,
}

/// `error` trait of an exception shape.
#[derive(Debug, Clone, Default)]
pub struct ErrorTraits {
    /// Wire error code when it differs from the shape name (query-compatible services).
    pub code: Option<String>,
    pub http_status: Option<u16>,
    pub sender_fault: bool,
}

#[derive(Debug, Clone)]
pub struct StructureShape {
    pub members: Vec<MemberRef>,
    pub required: Vec<Box<str>>,
    /// The member that is the HTTP payload (rest protocols).
    pub payload: Option<Box<str>>,
    pub union: bool,
    pub document: bool,
    pub exception: bool,
    pub fault: bool,
    pub error: Option<ErrorTraits>,
    pub event: bool,
    pub eventstream: bool,
    pub wrapper: bool,
    pub retryable_throttling: Option<bool>,
}

#[derive(Debug, Clone)]
pub enum ShapeKind {
    Structure(StructureShape),
    List { member: MemberRef },
    Map { key: MemberRef, value: MemberRef },
    String,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Boolean,
    Blob,
    Timestamp,
}

/// One shape of a model.
#[derive(Debug, Clone)]
pub struct Shape {
    pub name: Box<str>,
    pub kind: ShapeKind,
    /// Shape-level serialization traits (locationName, xmlNamespace, flattened, timestampFormat, ...).
    pub traits: RefTraits,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub enum_values: Vec<Box<str>>,
    pub pattern: Option<Box<str>>,
    pub sensitive: bool,
    pub streaming: bool,
    pub requires_length: bool,
    pub sparse: bool,
    pub deprecated: bool,
}

impl Shape {
    /// The botocore type name (`structure`, `list`, `string`, ...).
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            ShapeKind::Structure(_) => "structure",
            ShapeKind::List { .. } => "list",
            ShapeKind::Map { .. } => "map",
            ShapeKind::String => "string",
            ShapeKind::Integer => "integer",
            ShapeKind::Long => "long",
            ShapeKind::Float => "float",
            ShapeKind::Double => "double",
            ShapeKind::BigInteger => "bigInteger",
            ShapeKind::BigDecimal => "bigDecimal",
            ShapeKind::Boolean => "boolean",
            ShapeKind::Blob => "blob",
            ShapeKind::Timestamp => "timestamp",
        }
    }
    pub fn as_structure(&self) -> Option<&StructureShape> {
        match &self.kind {
            ShapeKind::Structure(s) => Some(s),
            _ => None,
        }
    }
    /// True for a structure that is a document (`document: true`): free-form JSON.
    pub fn is_document(&self) -> bool {
        matches!(&self.kind, ShapeKind::Structure(s) if s.document)
    }
}

impl StructureShape {
    pub fn member(&self, name: &str) -> Option<&MemberRef> {
        self.members.iter().find(|m| &*m.name == name)
    }
    pub fn is_required(&self, name: &str) -> bool {
        self.required.iter().any(|r| &**r == name)
    }
    pub fn payload_member(&self) -> Option<&MemberRef> {
        self.payload.as_deref().and_then(|p| self.member(p))
    }
}

/// `http` trait of an operation.
#[derive(Debug, Clone)]
pub struct HttpTrait {
    pub method: Box<str>,
    pub request_uri: Box<str>,
    pub response_code: Option<u16>,
}

/// `httpChecksum` trait.
#[derive(Debug, Clone, Default)]
pub struct HttpChecksum {
    pub request_algorithm_member: Option<Box<str>>,
    pub request_checksum_required: bool,
    pub request_validation_mode_member: Option<Box<str>>,
    pub response_algorithms: Vec<Box<str>>,
}

/// One operation of a service.
#[derive(Debug, Clone)]
pub struct Operation {
    pub name: Box<str>,
    pub http: HttpTrait,
    pub input: Option<MemberRef>,
    pub output: Option<MemberRef>,
    pub errors: Vec<ShapeId>,
    /// `endpoint.hostPrefix`, e.g. `{AccountId}.` or `data.`.
    pub host_prefix: Option<Box<str>>,
    pub http_checksum: Option<HttpChecksum>,
    pub http_checksum_required: bool,
    /// Names from `auth` (new) or mapped from `authtype` (legacy).
    pub auth: Vec<Box<str>>,
    pub unsigned_payload: bool,
    /// `staticContextParams` as raw JSON: name → `{"value": ...}`.
    pub static_context_params: Vec<(Box<str>, Json)>,
    /// `operationContextParams`: name → JMESPath-like path into the input.
    pub operation_context_params: Vec<(Box<str>, Box<str>)>,
    pub request_compression: Vec<Box<str>>,
    pub endpoint_discovery_required: bool,
    pub idempotent: bool,
    pub readonly: bool,
    pub deprecated: bool,
    pub documentation_url: Option<Box<str>>,
}

impl Operation {
    /// botocore's `has_streaming_input`: the input payload member is a streaming blob.
    pub fn streaming_input<'m>(&self, model: &'m ServiceModel) -> Option<&'m MemberRef> {
        streaming_payload(model, self.input.as_ref()?)
    }
    pub fn streaming_output<'m>(&self, model: &'m ServiceModel) -> Option<&'m MemberRef> {
        streaming_payload(model, self.output.as_ref()?)
    }
}

fn streaming_payload<'m>(model: &'m ServiceModel, r: &MemberRef) -> Option<&'m MemberRef> {
    let s = model.shape(r.target).as_structure()?;
    let p = s.payload_member()?;
    let t = model.shape(p.target);
    (t.streaming || p.traits.streaming || matches!(&t.kind, ShapeKind::Structure(st) if st.eventstream))
        .then_some(p)
}

/// Service-level metadata.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    pub api_version: String,
    pub endpoint_prefix: String,
    /// The protocol botocore would choose (see [`Metadata::protocols`] preference).
    pub protocol: String,
    pub protocols: Vec<String>,
    pub json_version: Option<String>,
    pub target_prefix: Option<String>,
    pub service_id: String,
    pub service_full_name: String,
    pub signing_name: Option<String>,
    pub signature_version: Option<String>,
    pub uid: Option<String>,
    pub xml_namespace: Option<String>,
    pub global_endpoint: Option<String>,
    pub aws_query_compatible: bool,
    pub auth: Vec<String>,
    pub checksum_format: Option<String>,
}

/// botocore's protocol preference when a model lists several.
pub const PROTOCOL_PREFERENCE: [&str; 6] =
    ["json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2"];

/// A loaded service model.
#[derive(Debug)]
pub struct ServiceModel {
    /// botocore's service name (the data directory name), e.g. `s3`, `dynamodb`.
    pub service_name: String,
    pub metadata: Metadata,
    shapes: Vec<Shape>,
    shape_index: HashMap<Box<str>, ShapeId>,
    operations: Vec<Operation>,
    op_index: HashMap<Box<str>, usize>,
    /// `clientContextParams` (raw), for endpoint parameter binding.
    pub client_context_params: Json,
}

impl ServiceModel {
    /// Builds a model from a parsed `service-2.json` document.
    pub fn from_json(service_name: &str, doc: &Json) -> Result<Arc<ServiceModel>, ModelError> {
        Builder::build(service_name, doc).map(Arc::new)
    }

    /// Parses and builds a model from `service-2.json` bytes.
    pub fn from_slice(service_name: &str, bytes: &[u8]) -> Result<Arc<ServiceModel>, ModelError> {
        let doc: Json = serde_json::from_slice(bytes).map_err(|e| ModelError::Parse {
            what: format!("{service_name}/service-2.json"),
            message: e.to_string(),
        })?;
        Self::from_json(service_name, &doc)
    }

    pub fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id.0 as usize]
    }
    pub fn shape_id(&self, name: &str) -> Option<ShapeId> {
        self.shape_index.get(name).copied()
    }
    pub fn shape_by_name(&self, name: &str) -> Option<&Shape> {
        self.shape_id(name).map(|id| self.shape(id))
    }
    pub fn shapes(&self) -> impl Iterator<Item = (ShapeId, &Shape)> {
        self.shapes.iter().enumerate().map(|(i, s)| (ShapeId(i as u32), s))
    }
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// Looks an operation up by its model name (`ListObjectsV2`), snake_case
    /// (`list_objects_v2`) or aws-cli kebab-case (`list-objects-v2`).
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.op_index.get(name).map(|&i| &self.operations[i])
    }

    /// Like [`Self::operation`], with a "did you mean" error.
    pub fn require_operation(&self, name: &str) -> Result<&Operation, ModelError> {
        self.operation(name).ok_or_else(|| ModelError::UnknownOperation {
            service: self.service_name.clone(),
            operation: name.to_string(),
            suggestion: crate::suggest::closest(
                name,
                self.operations.iter().map(|o| &*o.name).chain(self.op_index.keys().map(|k| &**k)),
            ),
        })
    }

    /// The effective `locationName` of a reference: its own, else its target's.
    pub fn location_name<'a>(&'a self, r: &'a MemberRef) -> Option<&'a str> {
        r.traits.location_name.as_deref().or(self.shape(r.target).traits.location_name.as_deref())
    }
    /// The effective `xmlNamespace` of a reference.
    pub fn xml_namespace<'a>(&'a self, r: &'a MemberRef) -> Option<&'a XmlNamespace> {
        r.traits.xml_namespace.as_ref().or(self.shape(r.target).traits.xml_namespace.as_ref())
    }
    /// Whether a list/map reference is flattened (member-level overrides shape-level).
    pub fn flattened(&self, r: &MemberRef) -> bool {
        r.traits.flattened.or(self.shape(r.target).traits.flattened).unwrap_or(false)
    }
    /// The effective `timestampFormat` of a reference.
    pub fn timestamp_format(&self, r: &MemberRef) -> Option<TimestampFormat> {
        r.traits.timestamp_format.or(self.shape(r.target).traits.timestamp_format)
    }
    /// Whether the reference's value is streamed (not buffered into a `Value`).
    pub fn is_streaming(&self, r: &MemberRef) -> bool {
        r.traits.streaming || self.shape(r.target).streaming
    }
}

// ---------------------------------------------------------------------------
// Building the arena from JSON.

struct Builder<'a> {
    doc_shapes: &'a serde_json::Map<String, Json>,
    shape_index: HashMap<Box<str>, ShapeId>,
}

fn s(j: &Json, k: &str) -> Option<String> {
    j.get(k).and_then(Json::as_str).map(str::to_owned)
}
fn b(j: &Json, k: &str) -> bool {
    j.get(k).and_then(Json::as_bool).unwrap_or(false)
}
fn bs(j: &Json, k: &str) -> Option<Box<str>> {
    j.get(k).and_then(Json::as_str).map(Into::into)
}

fn parse_location(v: &str) -> Option<Location> {
    Some(match v {
        "uri" => Location::Uri,
        "querystring" => Location::QueryString,
        "header" => Location::Header,
        "headers" => Location::Headers,
        "statusCode" => Location::StatusCode,
        _ => return None,
    })
}

fn parse_ts_format(v: &str) -> Option<TimestampFormat> {
    Some(match v {
        "iso8601" => TimestampFormat::Iso8601,
        "rfc822" => TimestampFormat::Rfc822,
        "unixTimestamp" => TimestampFormat::UnixTimestamp,
        _ => return None,
    })
}

fn ref_traits(j: &Json) -> RefTraits {
    RefTraits {
        location: j.get("location").and_then(Json::as_str).and_then(parse_location),
        location_name: bs(j, "locationName"),
        query_name: bs(j, "queryName"),
        xml_namespace: j.get("xmlNamespace").and_then(|ns| match ns {
            Json::String(uri) => Some(XmlNamespace { prefix: None, uri: uri.clone() }),
            Json::Object(_) => Some(XmlNamespace { prefix: s(ns, "prefix"), uri: s(ns, "uri")? }),
            _ => None,
        }),
        xml_attribute: b(j, "xmlAttribute"),
        flattened: j.get("flattened").and_then(Json::as_bool),
        timestamp_format: j.get("timestampFormat").and_then(Json::as_str).and_then(parse_ts_format),
        jsonvalue: b(j, "jsonvalue"),
        host_label: b(j, "hostLabel"),
        idempotency_token: b(j, "idempotencyToken"),
        event_payload: b(j, "eventpayload"),
        streaming: b(j, "streaming"),
        context_param: j.get("contextParam").and_then(|c| bs(c, "name")),
        result_wrapper: bs(j, "resultWrapper"),
        deprecated: b(j, "deprecated"),
    }
}

impl<'a> Builder<'a> {
    fn build(service_name: &str, doc: &Json) -> Result<ServiceModel, ModelError> {
        let bad = |m: String| ModelError::Invalid { service: service_name.to_string(), message: m };
        let empty = serde_json::Map::new();
        let doc_shapes = match doc.get("shapes") {
            Some(Json::Object(m)) => m,
            None => &empty,
            Some(_) => return Err(bad("`shapes` is not an object".into())),
        };
        let shape_index = doc_shapes
            .keys()
            .enumerate()
            .map(|(i, k)| (Box::<str>::from(k.as_str()), ShapeId(i as u32)))
            .collect();
        let mut builder = Builder { doc_shapes, shape_index };
        let mut shapes = Vec::with_capacity(doc_shapes.len());
        for (name, j) in doc_shapes {
            shapes.push(builder.shape(name, j).map_err(|m| bad(format!("shape {name}: {m}")))?);
        }
        let meta_j = doc.get("metadata").cloned().unwrap_or(Json::Null);
        let metadata = metadata(&meta_j).map_err(bad)?;
        let mut operations = Vec::new();
        let mut op_index = HashMap::new();
        if let Some(Json::Object(ops)) = doc.get("operations") {
            for (name, j) in ops {
                let op = builder.operation(name, j).map_err(|m| bad(format!("operation {name}: {m}")))?;
                let i = operations.len();
                op_index.insert(Box::<str>::from(name.as_str()), i);
                let snake = crate::names::xform_name(name, '_');
                op_index.entry(snake.as_str().into()).or_insert(i);
                op_index.entry(snake.replace('_', "-").into()).or_insert(i);
                operations.push(op);
            }
        }
        let shape_index = std::mem::take(&mut builder.shape_index);
        Ok(ServiceModel {
            service_name: service_name.to_string(),
            metadata,
            shapes,
            shape_index,
            operations,
            op_index,
            client_context_params: doc.get("clientContextParams").cloned().unwrap_or(Json::Null),
        })
    }

    fn id(&self, name: &str) -> Result<ShapeId, String> {
        self.shape_index.get(name).copied().ok_or_else(|| format!("unknown shape {name:?}"))
    }

    fn member_ref(&self, name: &str, j: &Json) -> Result<MemberRef, String> {
        let target = j.get("shape").and_then(Json::as_str).ok_or("reference without `shape`")?;
        Ok(MemberRef { name: name.into(), target: self.id(target)?, traits: ref_traits(j) })
    }

    fn shape(&mut self, name: &str, j: &Json) -> Result<Shape, String> {
        let ty = j.get("type").and_then(Json::as_str).ok_or("missing `type`")?;
        let kind = match ty {
            "structure" => {
                let mut members = Vec::new();
                if let Some(Json::Object(ms)) = j.get("members") {
                    for (mn, mj) in ms {
                        members.push(self.member_ref(mn, mj)?);
                    }
                }
                let required = j
                    .get("required")
                    .and_then(Json::as_array)
                    .map(|a| a.iter().filter_map(Json::as_str).map(Into::into).collect())
                    .unwrap_or_default();
                ShapeKind::Structure(StructureShape {
                    members,
                    required,
                    payload: bs(j, "payload"),
                    union: b(j, "union"),
                    document: b(j, "document"),
                    exception: b(j, "exception"),
                    fault: b(j, "fault"),
                    error: j.get("error").map(|e| ErrorTraits {
                        code: s(e, "code"),
                        http_status: e.get("httpStatusCode").and_then(Json::as_u64).map(|c| c as u16),
                        sender_fault: b(e, "senderFault"),
                    }),
                    event: b(j, "event"),
                    eventstream: b(j, "eventstream"),
                    wrapper: b(j, "wrapper"),
                    retryable_throttling: j
                        .get("retryable")
                        .map(|r| r.get("throttling").and_then(Json::as_bool).unwrap_or(false)),
                })
            }
            "list" => ShapeKind::List {
                member: self.member_ref("member", j.get("member").ok_or("list without `member`")?)?,
            },
            "map" => ShapeKind::Map {
                key: self.member_ref("key", j.get("key").ok_or("map without `key`")?)?,
                value: self.member_ref("value", j.get("value").ok_or("map without `value`")?)?,
            },
            "string" => ShapeKind::String,
            "integer" => ShapeKind::Integer,
            "long" => ShapeKind::Long,
            "float" => ShapeKind::Float,
            "double" => ShapeKind::Double,
            "bigInteger" | "biginteger" => ShapeKind::BigInteger,
            "bigDecimal" | "bigdecimal" => ShapeKind::BigDecimal,
            "boolean" => ShapeKind::Boolean,
            "blob" => ShapeKind::Blob,
            "timestamp" => ShapeKind::Timestamp,
            other => return Err(format!("unknown shape type {other:?}")),
        };
        let _ = name;
        Ok(Shape {
            name: name.into(),
            kind,
            traits: ref_traits(j),
            min: j.get("min").and_then(Json::as_f64),
            max: j.get("max").and_then(Json::as_f64),
            enum_values: j
                .get("enum")
                .and_then(Json::as_array)
                .map(|a| a.iter().filter_map(Json::as_str).map(Into::into).collect())
                .unwrap_or_default(),
            pattern: bs(j, "pattern"),
            sensitive: b(j, "sensitive"),
            streaming: b(j, "streaming"),
            requires_length: b(j, "requiresLength"),
            sparse: b(j, "sparse"),
            deprecated: b(j, "deprecated"),
        })
    }

    fn operation(&self, name: &str, j: &Json) -> Result<Operation, String> {
        let http = j.get("http").cloned().unwrap_or(Json::Null);
        let auth: Vec<Box<str>> = match j.get("auth").and_then(Json::as_array) {
            Some(a) => a.iter().filter_map(Json::as_str).map(Into::into).collect(),
            None => match j.get("authtype").and_then(Json::as_str) {
                Some("none") => vec!["smithy.api#noAuth".into()],
                Some("v4-unsigned-body") => vec!["aws.auth#sigv4".into()],
                Some("bearer") => vec!["smithy.api#httpBearerAuth".into()],
                Some("v4") => vec!["aws.auth#sigv4".into()],
                _ => vec![],
            },
        };
        let input = match j.get("input") {
            Some(i) => Some(self.member_ref("input", i)?),
            None => None,
        };
        let output = match j.get("output") {
            Some(o) => Some(self.member_ref("output", o)?),
            None => None,
        };
        let mut errors = Vec::new();
        for e in j.get("errors").and_then(Json::as_array).into_iter().flatten() {
            if let Some(n) = e.get("shape").and_then(Json::as_str) {
                errors.push(self.id(n)?);
            }
        }
        let _ = self.doc_shapes;
        Ok(Operation {
            name: name.into(),
            http: HttpTrait {
                method: bs(&http, "method").unwrap_or_else(|| "POST".into()),
                request_uri: bs(&http, "requestUri").unwrap_or_else(|| "/".into()),
                response_code: http.get("responseCode").and_then(Json::as_u64).map(|c| c as u16),
            },
            input,
            output,
            errors,
            host_prefix: j.get("endpoint").and_then(|e| bs(e, "hostPrefix")),
            http_checksum: j.get("httpChecksum").map(|h| HttpChecksum {
                request_algorithm_member: bs(h, "requestAlgorithmMember"),
                request_checksum_required: b(h, "requestChecksumRequired"),
                request_validation_mode_member: bs(h, "requestValidationModeMember"),
                response_algorithms: h
                    .get("responseAlgorithms")
                    .and_then(Json::as_array)
                    .map(|a| a.iter().filter_map(Json::as_str).map(Into::into).collect())
                    .unwrap_or_default(),
            }),
            http_checksum_required: b(j, "httpChecksumRequired"),
            unsigned_payload: b(j, "unsignedPayload")
                || j.get("authtype").and_then(Json::as_str) == Some("v4-unsigned-body"),
            auth,
            static_context_params: j
                .get("staticContextParams")
                .and_then(Json::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.as_str().into(), v.clone())).collect())
                .unwrap_or_default(),
            operation_context_params: j
                .get("operationContextParams")
                .and_then(Json::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.as_str().into(), bs(v, "path")?)))
                        .collect()
                })
                .unwrap_or_default(),
            request_compression: j
                .get("requestcompression")
                .and_then(|r| r.get("encodings"))
                .and_then(Json::as_array)
                .map(|a| a.iter().filter_map(Json::as_str).map(Into::into).collect())
                .unwrap_or_default(),
            endpoint_discovery_required: j
                .get("endpointdiscovery")
                .is_some_and(|e| b(e, "required")),
            idempotent: b(j, "idempotent"),
            readonly: b(j, "readonly"),
            deprecated: b(j, "deprecated"),
            documentation_url: bs(j, "documentationUrl"),
        })
    }
}

fn metadata(j: &Json) -> Result<Metadata, String> {
    let protocols: Vec<String> = j
        .get("protocols")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(Json::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    let legacy = s(j, "protocol");
    let protocol = if protocols.is_empty() {
        legacy.ok_or("metadata has neither `protocols` nor `protocol`")?
    } else {
        PROTOCOL_PREFERENCE
            .iter()
            .find(|p| protocols.iter().any(|q| q == *p))
            .map(|p| p.to_string())
            .ok_or_else(|| format!("no supported protocol in {protocols:?}"))?
    };
    Ok(Metadata {
        api_version: s(j, "apiVersion").unwrap_or_default(),
        endpoint_prefix: s(j, "endpointPrefix").unwrap_or_default(),
        protocol,
        protocols,
        json_version: s(j, "jsonVersion"),
        target_prefix: s(j, "targetPrefix"),
        service_id: s(j, "serviceId").unwrap_or_default(),
        service_full_name: s(j, "serviceFullName").unwrap_or_default(),
        signing_name: s(j, "signingName"),
        signature_version: s(j, "signatureVersion"),
        uid: s(j, "uid"),
        xml_namespace: s(j, "xmlNamespace"),
        global_endpoint: s(j, "globalEndpoint"),
        aws_query_compatible: j.get("awsQueryCompatible").is_some(),
        auth: j
            .get("auth")
            .and_then(Json::as_array)
            .map(|a| a.iter().filter_map(Json::as_str).map(str::to_owned).collect())
            .unwrap_or_default(),
        checksum_format: s(j, "checksumFormat"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Arc<ServiceModel> {
        let doc: Json = serde_json::from_str(
            r#"{
            "metadata": {"protocols": ["query", "json"], "protocol": "json", "apiVersion": "2020-01-01",
                         "endpointPrefix": "tiny", "serviceId": "Tiny"},
            "operations": {"ListAMIs": {"name": "ListAMIs", "http": {"method": "GET", "requestUri": "/x"},
                           "input": {"shape": "In"}, "errors": [{"shape": "Oops"}]}},
            "shapes": {
              "In": {"type": "structure", "required": ["Name"], "members": {
                 "Name": {"shape": "S", "location": "uri", "locationName": "name"},
                 "Tags": {"shape": "L", "flattened": true},
                 "Self": {"shape": "In"}}},
              "S": {"type": "string", "min": 1, "locationName": "ignored"},
              "L": {"type": "list", "member": {"shape": "S", "locationName": "item"}},
              "Oops": {"type": "structure", "members": {}, "exception": true,
                       "error": {"code": "Oops.Code", "httpStatusCode": 400, "senderFault": true}}
            }}"#,
        )
        .unwrap();
        ServiceModel::from_json("tiny", &doc).unwrap()
    }

    #[test]
    fn builds_arena_with_cycles_and_traits() {
        let m = tiny();
        assert_eq!(m.metadata.protocol, "json", "json is preferred over query");
        let op = m.operation("ListAMIs").unwrap();
        assert!(std::ptr::eq(op, m.operation("list_amis").unwrap()));
        assert!(std::ptr::eq(op, m.operation("list-amis").unwrap()));
        let input = m.shape(op.input.as_ref().unwrap().target).as_structure().unwrap();
        let name = input.member("Name").unwrap();
        assert_eq!(name.traits.location, Some(Location::Uri));
        assert_eq!(m.location_name(name), Some("name"));
        assert!(m.flattened(input.member("Tags").unwrap()));
        assert_eq!(input.member("Self").unwrap().target, op.input.as_ref().unwrap().target);
        let oops = m.shape(op.errors[0]).as_structure().unwrap();
        assert_eq!(oops.error.as_ref().unwrap().code.as_deref(), Some("Oops.Code"));
    }

    #[test]
    fn unknown_operation_suggests() {
        let m = tiny();
        let e = m.require_operation("ListAmi").unwrap_err().to_string();
        assert!(e.contains("ListAMIs"), "{e}");
    }

    #[test]
    fn dangling_reference_is_an_error_not_a_panic() {
        let doc: Json = serde_json::from_str(
            r#"{"metadata": {"protocol": "json"}, "shapes": {"A": {"type": "list", "member": {"shape": "Nope"}}}}"#,
        )
        .unwrap();
        let e = ServiceModel::from_json("x", &doc).unwrap_err().to_string();
        assert!(e.contains("Nope"), "{e}");
    }
}
