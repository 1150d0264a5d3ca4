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
pub use bindings::HttpBindings;
use serde_json::Value as Json;
use std::borrow::Cow;
use std::sync::Arc;

/// Index of a shape in its model's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShapeId(pub u32);

/// Where an input member goes in an HTTP request (or comes from in a response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The body (the default).
    Body,
    /// A label of the request URI (`/{Bucket}/{Key+}`).
    Uri,
    /// A query-string parameter (`locationName` is its name).
    QueryString,
    /// One HTTP header (`locationName` is its name).
    Header,
    /// A map of headers sharing the prefix in `locationName`.
    Headers,
    /// The HTTP status code of a response (output members only).
    StatusCode,
}

/// Timestamp wire format override (`timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `iso8601`: `2024-01-02T03:04:05Z` (default of JSON-in-XML and query bodies).
    Iso8601,
    /// `rfc822`: `Tue, 02 Jan 2024 03:04:05 GMT` (default of headers).
    Rfc822,
    /// `unixTimestamp`: seconds since the epoch, fractional (default of JSON bodies).
    UnixTimestamp,
}

/// `xmlNamespace` trait: `xmlns` or `xmlns:prefix` attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlNamespace {
    /// The namespace prefix, for `xmlns:prefix`.
    pub prefix: Option<String>,
    /// The namespace URI.
    pub uri: String,
}

/// Traits that can appear on a shape reference and (some) on the shape itself.
#[derive(Debug, Clone, Default)]
pub struct RefTraits {
    /// `location`: where the member travels (body when `None`).
    pub location: Option<Location>,
    /// `locationName`: the wire name (header name, query key, XML element, JSON key).
    pub location_name: Option<Box<str>>,
    /// `queryName`: the EC2 protocol's explicit query key.
    pub query_name: Option<Box<str>>,
    /// Boxed: rare, and members are numerous.
    pub xml_namespace: Option<Box<XmlNamespace>>,
    /// `xmlAttribute`: serialized as an XML attribute instead of an element.
    pub xml_attribute: bool,
    /// `flattened`: an XML list or map without a wrapper element.
    pub flattened: Option<bool>,
    /// `timestampFormat`: overrides the protocol's default format.
    pub timestamp_format: Option<TimestampFormat>,
    /// `jsonvalue`: a string header that carries base64-encoded JSON.
    pub jsonvalue: bool,
    /// `hostLabel`: the value is also expanded into the operation's host prefix.
    pub host_label: bool,
    /// `idempotencyToken`: botocore fills a UUID when the caller gives none.
    pub idempotency_token: bool,
    /// `eventpayload`: the member is the payload of an event-stream event.
    pub event_payload: bool,
    /// `streaming`: a blob streamed rather than buffered.
    pub streaming: bool,
    /// `contextParam`: the endpoint rule-set parameter this member binds.
    pub context_param: Option<Box<str>>,
    /// Query protocol: the wrapper element of an operation's output.
    pub result_wrapper: Option<Box<str>>,
    /// `deprecated`.
    pub deprecated: bool,
}

/// A reference to a shape: a structure member, a list/map element, or an
/// operation's input/output.
#[derive(Debug, Clone)]
pub struct MemberRef {
    /// Member name in its structure (`member`/`key`/`value` for collections).
    /// A [`Key`](crate::Key), so a parser puts it in a [`Map`](crate::Map)
    /// by copying it (names up to 23 bytes are inline: no allocation here or there).
    pub name: crate::Key,
    /// The shape referenced.
    pub target: ShapeId,
    /// Traits set on the reference (they override the target shape's).
    pub traits: RefTraits,
}

/// `error` trait of an exception shape.
#[derive(Debug, Clone, Default)]
pub struct ErrorTraits {
    /// Wire error code when it differs from the shape name (query-compatible services).
    pub code: Option<String>,
    /// `httpStatusCode`: the status the service answers with.
    pub http_status: Option<u16>,
    /// `senderFault`: the caller's fault (`Sender` in query errors) rather than the service's.
    pub sender_fault: bool,
}

#[derive(Debug, Clone)]
/// A structure's members and traits (botocore's `StructureShape`).
pub struct StructureShape {
    /// Members, in model order.
    pub members: Vec<MemberRef>,
    /// Names of the required members.
    pub required: Vec<Box<str>>,
    /// The member that is the HTTP payload (rest protocols).
    pub payload: Option<Box<str>>,
    /// `union`: exactly one member may be set.
    pub union: bool,
    /// `document`: free-form JSON (a document type).
    pub document: bool,
    /// `exception`: an error shape.
    pub exception: bool,
    /// `fault`: a server-side error.
    pub fault: bool,
    /// The `error` trait of an exception.
    pub error: Option<ErrorTraits>,
    /// `event`: one event of an event stream.
    pub event: bool,
    /// `eventstream`: a union of events sent as an event stream.
    pub eventstream: bool,
    /// `wrapper`: the query protocol's output wrapper structure.
    pub wrapper: bool,
    /// `retryable`: `Some(throttling)` when the error is modeled as retryable.
    pub retryable_throttling: Option<bool>,
}

#[derive(Debug, Clone)]
/// A shape's type and the references of the compound ones.
pub enum ShapeKind {
    // Boxed so that the common scalar shapes stay small (a model holds
    // thousands of shapes; unboxed, every shape would be map-sized).
    /// `structure`.
    Structure(Box<StructureShape>),
    /// `list`.
    List {
        /// The element reference.
        member: Box<MemberRef>,
    },
    /// `map`.
    Map {
        /// The key reference (keys are strings).
        key: Box<MemberRef>,
        /// The value reference.
        value: Box<MemberRef>,
    },
    /// `string` (enums included).
    String,
    /// `integer` (32-bit).
    Integer,
    /// `long` (64-bit).
    Long,
    /// `float`.
    Float,
    /// `double`.
    Double,
    /// `bigInteger` (arbitrary precision, held as text or `i64`).
    BigInteger,
    /// `bigDecimal` (arbitrary precision).
    BigDecimal,
    /// `boolean`.
    Boolean,
    /// `blob`: bytes (base64 in JSON and XML bodies).
    Blob,
    /// `timestamp`.
    Timestamp,
}

/// One shape of a model.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The shape's name in the model (`ListObjectsV2Request`).
    pub name: Box<str>,
    /// Its type.
    pub kind: ShapeKind,
    /// Shape-level serialization traits (locationName, xmlNamespace, flattened, timestampFormat, ...).
    pub traits: RefTraits,
    /// `min`: minimum length, size or value (checked by validation).
    pub min: Option<f64>,
    /// `max`: maximum value (recorded; botocore does not validate it).
    pub max: Option<f64>,
    /// `enum`: the allowed strings (documented; not enforced, as in botocore).
    pub enum_values: Vec<Box<str>>,
    /// `pattern`: a regex for the value (documented; not enforced).
    pub pattern: Option<Box<str>>,
    /// `sensitive`: a secret value (passwords, keys); not to be logged.
    pub sensitive: bool,
    /// `streaming`: a blob streamed rather than buffered.
    pub streaming: bool,
    /// `requiresLength`: a streaming body whose length must be known up front.
    pub requires_length: bool,
    /// `sparse`: a list or map that may hold nulls.
    pub sparse: bool,
    /// `deprecated`.
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
    /// The structure of a `structure` shape.
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
    /// A member by its model name.
    pub fn member(&self, name: &str) -> Option<&MemberRef> {
        self.members.iter().find(|m| &*m.name == name)
    }
    /// Whether `name` is a required member.
    pub fn is_required(&self, name: &str) -> bool {
        self.required.iter().any(|r| &**r == name)
    }
    /// The member that is the HTTP payload, if the structure has one.
    pub fn payload_member(&self) -> Option<&MemberRef> {
        self.payload.as_deref().and_then(|p| self.member(p))
    }
}

/// botocore's protocol preference when a model lists several.
pub const PROTOCOL_PREFERENCE: [&str; 6] = boto_model_compile::PROTOCOL_PREFERENCE;

/// A loaded service model.
///
/// It reads the compiled form (see `boto-model-compile`): each shape and
/// operation is decoded on first use and then kept, so opening a model costs
/// no more than its header and metadata whatever its size.
pub struct ServiceModel {
    /// botocore's service name (the data directory name), e.g. `s3`, `dynamodb`.
    pub service_name: String,
    /// The service's metadata block.
    pub metadata: Metadata,
    /// `clientContextParams` (raw), for endpoint parameter binding.
    pub client_context_params: Json,
    bin: compiled::Bin,
    shapes: slots::Slots<Shape>,
    /// Each structure's status and header members, found on first use; the
    /// cells themselves made on the first use (opening a model stays one
    /// allocation of cells: ec2's 5,000 more zeroed pointers doubled it).
    bindings: std::sync::OnceLock<slots::Slots<HttpBindings>>,
    operations: Operations,
    /// Operations found by model name lately (see [`recent`]).
    recent: recent::Recent,
}

impl std::fmt::Debug for ServiceModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceModel")
            .field("service_name", &self.service_name)
            .field("metadata", &self.metadata)
            .field("shapes", &self.shapes.len())
            .field("operations", &self.operations.len())
            .finish_non_exhaustive()
    }
}

/// A shape or operation whose record does not decode (only a corrupt
/// compiled model has one): an empty string shape or operation stands in.
fn corrupt_shape() -> Shape {
    Shape {
        name: "<corrupt model>".into(),
        kind: ShapeKind::String,
        traits: RefTraits::default(),
        min: None,
        max: None,
        enum_values: Vec::new(),
        pattern: None,
        sensitive: false,
        streaming: false,
        requires_length: false,
        sparse: false,
        deprecated: false,
    }
}

impl ServiceModel {
    /// Builds a model from a parsed `service-2.json` document (compiled in memory).
    pub fn from_json(service_name: &str, doc: &Json) -> Result<Arc<ServiceModel>, ModelError> {
        let bin = boto_model_compile::compile_value(doc).map_err(|e| ModelError::Invalid {
            service: service_name.to_string(),
            message: e.message,
        })?;
        Self::from_compiled(service_name, Cow::Owned(bin))
    }

    /// Parses `service-2.json` bytes, compiles them in memory and opens the result.
    pub fn from_slice(service_name: &str, bytes: &[u8]) -> Result<Arc<ServiceModel>, ModelError> {
        let bin = boto_model_compile::compile_slice(bytes).map_err(|e| {
            if e.syntax {
                ModelError::Parse {
                    what: format!("{service_name}/service-2.json"),
                    message: e.message,
                }
            } else {
                ModelError::Invalid {
                    service: service_name.to_string(),
                    message: e.message,
                }
            }
        })?;
        Self::from_compiled(service_name, Cow::Owned(bin))
    }

    /// Opens a model compiled by `boto_model_compile`, read where it lies
    /// (static bytes stay borrowed).
    pub fn from_compiled(
        service_name: &str,
        bytes: Cow<'static, [u8]>,
    ) -> Result<Arc<ServiceModel>, ModelError> {
        let invalid = |message: String| ModelError::Invalid {
            service: service_name.to_string(),
            message,
        };
        Self::from_bin(service_name, compiled::Bin::open(bytes).map_err(invalid)?)
    }

    /// Opens a packed compiled model (`boto_model_compile::pack`, how the
    /// embedded models are stored): tables are read in place, each chunk of
    /// strings and records is unpacked when something in it is first read.
    pub fn from_packed(
        service_name: &str,
        packed: &'static [u8],
    ) -> Result<Arc<ServiceModel>, ModelError> {
        let bin = compiled::Bin::open_packed(packed).map_err(|message| ModelError::Invalid {
            service: service_name.to_string(),
            message,
        })?;
        Self::from_bin(service_name, bin)
    }

    fn from_bin(service_name: &str, bin: compiled::Bin) -> Result<Arc<ServiceModel>, ModelError> {
        let invalid = |message: String| ModelError::Invalid {
            service: service_name.to_string(),
            message,
        };
        let (metadata, client_context_params) = bin
            .metadata()
            .map_err(|_| invalid("compiled model metadata is corrupt".into()))?;
        Ok(Arc::new(ServiceModel {
            service_name: service_name.to_string(),
            metadata,
            client_context_params,
            shapes: slots::Slots::new(bin.n_shapes()),
            bindings: std::sync::OnceLock::new(),
            operations: Operations::new(bin.clone()),
            bin,
            recent: Default::default(),
        }))
    }

    /// The shape with this id (ids come from this model only; another model's id may panic).
    #[inline]
    pub fn shape(&self, id: ShapeId) -> &Shape {
        self.shapes
            .get_or_init(id.0 as usize, || {
                self.bin
                    .shape(id.0 as usize)
                    .unwrap_or_else(|_| corrupt_shape())
            })
            .unwrap_or_else(|| panic!("shape id {} is not from this model", id.0))
    }
    /// Which members of structure `id` are bound to the HTTP status code and
    /// headers, worked out on first use (empty for other shapes).
    pub fn http_bindings(&self, id: ShapeId) -> &HttpBindings {
        self.bindings
            .get_or_init(|| slots::Slots::new(self.shapes.len()))
            .get_or_init(id.0 as usize, || HttpBindings::of(self, id))
            .unwrap_or_else(|| panic!("shape id {} is not from this model", id.0))
    }
    /// The id of the shape named `name`.
    pub fn shape_id(&self, name: &str) -> Option<ShapeId> {
        self.bin.shape_id(name)
    }
    /// The shape named `name`.
    pub fn shape_by_name(&self, name: &str) -> Option<&Shape> {
        self.shape_id(name).map(|id| self.shape(id))
    }
    /// Every shape with its id, in arena order.
    pub fn shapes(&self) -> impl Iterator<Item = (ShapeId, &Shape)> {
        (0..self.shapes.len()).map(|i| {
            let id = ShapeId(i as u32);
            (id, self.shape(id))
        })
    }
    /// Every operation, in model order.
    pub fn operations(&self) -> &Operations {
        &self.operations
    }

    /// Looks an operation up by its model name (`ListObjectsV2`), snake_case
    /// (`list_objects_v2`) or aws-cli kebab-case (`list-objects-v2`).
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        if let Some(op) = self
            .recent
            .get(name)
            .and_then(|i| self.operations.get(i))
            .filter(|op| *op.name == *name)
        {
            return Some(op);
        }
        let i = match self.bin.op_index(name) {
            Some(i) => i,
            None if name.contains('-') => self.bin.op_index(&name.replace('-', "_"))?,
            None => return None,
        };
        let op = self.operations.get(i)?;
        // Only model names are remembered: the check above compares them.
        if *op.name == *name {
            self.recent.remember(name, i);
        }
        Some(op)
    }

    /// Like [`Self::operation`], with a "did you mean" error.
    pub fn require_operation(&self, name: &str) -> Result<&Operation, ModelError> {
        self.operation(name).ok_or_else(|| {
            let names: Vec<&str> = self.bin.op_names().collect();
            let kebab: Vec<String> = names
                .iter()
                .filter(|n| n.contains('_'))
                .map(|n| n.replace('_', "-"))
                .collect();
            ModelError::UnknownOperation {
                service: self.service_name.clone(),
                operation: name.to_string(),
                suggestion: crate::suggest::closest(
                    name,
                    names
                        .iter()
                        .copied()
                        .chain(kebab.iter().map(String::as_str)),
                ),
            }
        })
    }

    /// The effective `location` of a reference (member-level overrides shape-level).
    pub fn location(&self, r: &MemberRef) -> Option<Location> {
        r.traits
            .location
            .or_else(|| self.shape(r.target).traits.location)
    }
    /// The effective `locationName` of a reference: its own, else its target's.
    pub fn location_name<'a>(&'a self, r: &'a MemberRef) -> Option<&'a str> {
        r.traits
            .location_name
            .as_deref()
            .or_else(|| self.shape(r.target).traits.location_name.as_deref())
    }
    /// The effective `xmlNamespace` of a reference.
    pub fn xml_namespace<'a>(&'a self, r: &'a MemberRef) -> Option<&'a XmlNamespace> {
        r.traits
            .xml_namespace
            .as_deref()
            .or_else(|| self.shape(r.target).traits.xml_namespace.as_deref())
    }
    /// Whether a list/map reference is flattened (member-level overrides shape-level).
    pub fn flattened(&self, r: &MemberRef) -> bool {
        r.traits
            .flattened
            .or_else(|| self.shape(r.target).traits.flattened)
            .unwrap_or(false)
    }
    /// The effective `timestampFormat` of a reference.
    pub fn timestamp_format(&self, r: &MemberRef) -> Option<TimestampFormat> {
        r.traits
            .timestamp_format
            .or_else(|| self.shape(r.target).traits.timestamp_format)
    }
    /// Whether the reference's value is streamed (not buffered into a `Value`).
    pub fn is_streaming(&self, r: &MemberRef) -> bool {
        r.traits.streaming || self.shape(r.target).streaming
    }
}

mod bindings;
mod compiled;
mod operation;
mod operations;
mod recent;
mod slots;
pub use operation::{HttpChecksum, HttpTrait, Metadata, Operation};
pub use operations::Operations;
// The JSON → arena builder of before the compiled form: the reference the
// compiled models are checked against (see `tests_compiled`).
#[cfg(test)]
mod raw;
#[cfg(test)]
mod tests_compiled;

#[cfg(test)]
mod tests;
