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
    /// Boxed: rare, and members are numerous.
    pub xml_namespace: Option<Box<XmlNamespace>>,
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
    // Boxed so that the common scalar shapes stay small (a model holds
    // thousands of shapes; unboxed, every shape would be map-sized).
    Structure(Box<StructureShape>),
    List {
        member: Box<MemberRef>,
    },
    Map {
        key: Box<MemberRef>,
        value: Box<MemberRef>,
    },
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
    (t.streaming
        || p.traits.streaming
        || matches!(&t.kind, ShapeKind::Structure(st) if st.eventstream))
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
pub const PROTOCOL_PREFERENCE: [&str; 6] = [
    "json",
    "rest-json",
    "rest-xml",
    "smithy-rpc-v2-cbor",
    "query",
    "ec2",
];

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
        raw::from_json(service_name, doc).map(Arc::new)
    }

    /// Parses and builds a model from `service-2.json` bytes.
    pub fn from_slice(service_name: &str, bytes: &[u8]) -> Result<Arc<ServiceModel>, ModelError> {
        raw::from_slice(service_name, bytes).map(Arc::new)
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
        self.shapes
            .iter()
            .enumerate()
            .map(|(i, s)| (ShapeId(i as u32), s))
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
        self.operation(name)
            .ok_or_else(|| ModelError::UnknownOperation {
                service: self.service_name.clone(),
                operation: name.to_string(),
                suggestion: crate::suggest::closest(
                    name,
                    self.operations
                        .iter()
                        .map(|o| &*o.name)
                        .chain(self.op_index.keys().map(|k| &**k)),
                ),
            })
    }

    /// The effective `locationName` of a reference: its own, else its target's.
    pub fn location_name<'a>(&'a self, r: &'a MemberRef) -> Option<&'a str> {
        r.traits
            .location_name
            .as_deref()
            .or(self.shape(r.target).traits.location_name.as_deref())
    }
    /// The effective `xmlNamespace` of a reference.
    pub fn xml_namespace<'a>(&'a self, r: &'a MemberRef) -> Option<&'a XmlNamespace> {
        r.traits
            .xml_namespace
            .as_deref()
            .or(self.shape(r.target).traits.xml_namespace.as_deref())
    }
    /// Whether a list/map reference is flattened (member-level overrides shape-level).
    pub fn flattened(&self, r: &MemberRef) -> bool {
        r.traits
            .flattened
            .or(self.shape(r.target).traits.flattened)
            .unwrap_or(false)
    }
    /// The effective `timestampFormat` of a reference.
    pub fn timestamp_format(&self, r: &MemberRef) -> Option<TimestampFormat> {
        r.traits
            .timestamp_format
            .or(self.shape(r.target).traits.timestamp_format)
    }
    /// Whether the reference's value is streamed (not buffered into a `Value`).
    pub fn is_streaming(&self, r: &MemberRef) -> bool {
        r.traits.streaming || self.shape(r.target).streaming
    }
}

// ---------------------------------------------------------------------------
// Building the arena from JSON: see `raw`.

mod raw;

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
        let input = m
            .shape(op.input.as_ref().unwrap().target)
            .as_structure()
            .unwrap();
        let name = input.member("Name").unwrap();
        assert_eq!(name.traits.location, Some(Location::Uri));
        assert_eq!(m.location_name(name), Some("name"));
        assert!(m.flattened(input.member("Tags").unwrap()));
        assert_eq!(
            input.member("Self").unwrap().target,
            op.input.as_ref().unwrap().target
        );
        let oops = m.shape(op.errors[0]).as_structure().unwrap();
        assert_eq!(
            oops.error.as_ref().unwrap().code.as_deref(),
            Some("Oops.Code")
        );
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
