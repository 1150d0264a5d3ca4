//! Building the shape arena straight from `service-2.json`: how models were
//! loaded before they were compiled at build time, kept (in tests only) as
//! the reference the compiled form is checked against.
//!
//! The first call to a service pays for loading its model, and ec2's is 1.2 MB
//! of JSON. Parsing into a `serde_json::Value` tree (an `IndexMap` per object)
//! and then probing each object for a dozen optional keys by hash lookup cost
//! about 20 ms for ec2. Here serde derives match keys once, in a single pass,
//! into flat borrowed structs (strings without escapes are slices of the
//! input), which are then turned into the arena. Unknown keys are skipped.

use super::*;
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashMap;

type Str<'a> = Cow<'a, str>;

mod serde_in;
use serde_in::{cow, ordered, xml_ns};

/// The serialization traits, which may appear on a reference or on a shape.
/// Both structs below list them (no `flatten`, which would buffer every object).
macro_rules! node_struct {
    ($(#[$m:meta])* struct $name:ident<$a:lifetime> { $($extra:tt)* }) => {
        $(#[$m])*
        #[derive(Deserialize, Default)]
        #[serde(default, rename_all = "camelCase")]
        struct $name<$a> {
            #[serde(borrow, deserialize_with = "cow")]
            location: Option<Str<$a>>,
            location_name: Option<Box<str>>,
            query_name: Option<Box<str>>,
            #[serde(deserialize_with = "xml_ns")]
            xml_namespace: Option<XmlNamespace>,
            xml_attribute: bool,
            flattened: Option<bool>,
            #[serde(borrow, deserialize_with = "cow")]
            timestamp_format: Option<Str<$a>>,
            jsonvalue: bool,
            host_label: bool,
            idempotency_token: bool,
            #[serde(rename = "eventpayload")]
            event_payload: bool,
            streaming: bool,
            context_param: Option<NameOnly>,
            result_wrapper: Option<Box<str>>,
            deprecated: bool,
            $($extra)*
        }
    };
}

node_struct! {
    /// A reference to a shape: a structure member, a list/map element, an
    /// operation's input/output/error. Kept small: ec2 has ~12k of them and
    /// each is moved a few times while parsing.
    struct RefNode<'a> {
        #[serde(borrow, deserialize_with = "cow")]
        shape: Option<Str<'a>>,
    }
}

node_struct! {
    /// A shape definition.
    struct Node<'a> {
        #[serde(borrow, rename = "type", deserialize_with = "cow")]
        type_: Option<Str<'a>>,
        #[serde(borrow, deserialize_with = "ordered")]
        members: Vec<(Str<'a>, RefNode<'a>)>,
        required: Vec<Box<str>>,
        payload: Option<Box<str>>,
        union: bool,
        document: bool,
        exception: bool,
        fault: bool,
        error: Option<RawError>,
        event: bool,
        eventstream: bool,
        wrapper: bool,
        retryable: Option<Retryable>,
        #[serde(borrow)]
        member: Option<Box<RefNode<'a>>>,
        #[serde(borrow)]
        key: Option<Box<RefNode<'a>>>,
        #[serde(borrow)]
        value: Option<Box<RefNode<'a>>>,
        min: Option<f64>,
        max: Option<f64>,
        #[serde(rename = "enum")]
        enum_values: Vec<Box<str>>,
        pattern: Option<Box<str>>,
        sensitive: bool,
        requires_length: bool,
        sparse: bool,
    }
}

#[derive(Deserialize, Default)]
struct NameOnly {
    name: Option<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawError {
    code: Option<String>,
    http_status_code: Option<u64>,
    sender_fault: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Retryable {
    throttling: bool,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawHttp {
    method: Option<Box<str>>,
    request_uri: Option<Box<str>>,
    response_code: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawChecksum {
    request_algorithm_member: Option<Box<str>>,
    request_checksum_required: bool,
    request_validation_mode_member: Option<Box<str>>,
    response_algorithms: Vec<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawEndpoint {
    host_prefix: Option<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Encodings {
    encodings: Vec<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Required {
    required: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PathOnly {
    path: Option<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawOp<'a> {
    http: RawHttp,
    #[serde(borrow)]
    input: Option<RefNode<'a>>,
    #[serde(borrow)]
    output: Option<RefNode<'a>>,
    #[serde(borrow)]
    errors: Vec<RefNode<'a>>,
    endpoint: Option<RawEndpoint>,
    http_checksum: Option<RawChecksum>,
    http_checksum_required: bool,
    auth: Option<Vec<Box<str>>>,
    #[serde(borrow, deserialize_with = "cow")]
    authtype: Option<Str<'a>>,
    unsigned_payload: bool,
    #[serde(borrow, deserialize_with = "ordered")]
    static_context_params: Vec<(Str<'a>, Json)>,
    #[serde(borrow, deserialize_with = "ordered")]
    operation_context_params: Vec<(Str<'a>, PathOnly)>,
    #[serde(rename = "requestcompression")]
    request_compression: Option<Encodings>,
    #[serde(rename = "endpointdiscovery")]
    endpoint_discovery: Option<Required>,
    #[serde(rename = "endpointoperation")]
    endpoint_operation: bool,
    idempotent: bool,
    readonly: bool,
    deprecated: bool,
    documentation_url: Option<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawMetadata {
    api_version: Option<String>,
    endpoint_prefix: Option<String>,
    protocol: Option<String>,
    protocols: Vec<String>,
    json_version: Option<String>,
    target_prefix: Option<String>,
    service_id: Option<String>,
    service_full_name: Option<String>,
    signing_name: Option<String>,
    signature_version: Option<String>,
    uid: Option<String>,
    xml_namespace: Option<String>,
    global_endpoint: Option<String>,
    aws_query_compatible: Option<IgnoredAny>,
    auth: Vec<String>,
    checksum_format: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDoc<'a> {
    #[serde(default)]
    metadata: Option<RawMetadata>,
    #[serde(borrow, default, deserialize_with = "ordered")]
    operations: Vec<(Str<'a>, RawOp<'a>)>,
    #[serde(borrow, default, deserialize_with = "ordered")]
    shapes: Vec<(Str<'a>, Node<'a>)>,
    #[serde(default)]
    client_context_params: Json,
}

/// Parses `service-2.json` bytes and builds the model.
pub(super) fn from_slice(service_name: &str, bytes: &[u8]) -> Result<Reference, ModelError> {
    let err = |message: String| ModelError::Parse {
        what: format!("{service_name}/service-2.json"),
        message,
    };
    // Validating UTF-8 once up front lets serde_json skip it for every string.
    let text = std::str::from_utf8(bytes).map_err(|e| err(e.to_string()))?;
    let doc: RawDoc = serde_json::from_str(text).map_err(|e| err(e.to_string()))?;
    build(service_name, doc)
}

/// Builds the model from an already parsed document.
#[allow(dead_code)]
pub(super) fn from_json(service_name: &str, doc: &Json) -> Result<Reference, ModelError> {
    let doc = RawDoc::deserialize(doc).map_err(|e| ModelError::Invalid {
        service: service_name.to_string(),
        message: e.to_string(),
    })?;
    build(service_name, doc)
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

/// Moves the reference-level traits out of a node of either kind.
macro_rules! take_traits {
    ($n:expr) => {{
        let n = $n;
        RefTraits {
            location: n.location.as_deref().and_then(parse_location),
            location_name: n.location_name.take(),
            query_name: n.query_name.take(),
            xml_namespace: n.xml_namespace.take().map(Box::new),
            xml_attribute: n.xml_attribute,
            flattened: n.flattened,
            timestamp_format: n.timestamp_format.as_deref().and_then(parse_ts_format),
            jsonvalue: n.jsonvalue,
            host_label: n.host_label,
            idempotency_token: n.idempotency_token,
            event_payload: n.event_payload,
            streaming: n.streaming,
            context_param: n.context_param.take().and_then(|c| c.name),
            result_wrapper: n.result_wrapper.take(),
            deprecated: n.deprecated,
        }
    }};
}

struct Ctx {
    index: HashMap<Box<str>, ShapeId>,
}

impl Ctx {
    fn id(&self, name: &str) -> Result<ShapeId, String> {
        self.index
            .get(name)
            .copied()
            .ok_or_else(|| format!("unknown shape {name:?}"))
    }

    fn member_ref(&self, name: &str, n: &mut RefNode) -> Result<MemberRef, String> {
        let target = n.shape.as_deref().ok_or("reference without `shape`")?;
        Ok(MemberRef {
            name: name.into(),
            target: self.id(target)?,
            traits: take_traits!(n),
        })
    }

    fn shape(&self, name: &str, n: &mut Node) -> Result<Shape, String> {
        let ty = n.type_.take().ok_or("missing `type`")?;
        let traits = take_traits!(&mut *n);
        let kind = match &*ty {
            "structure" => {
                let mut members = Vec::with_capacity(n.members.len());
                for (mn, mj) in &mut n.members {
                    members.push(self.member_ref(mn, mj)?);
                }
                ShapeKind::Structure(Box::new(StructureShape {
                    members,
                    required: std::mem::take(&mut n.required),
                    payload: n.payload.take(),
                    union: n.union,
                    document: n.document,
                    exception: n.exception,
                    fault: n.fault,
                    error: n.error.take().map(|e| ErrorTraits {
                        code: e.code,
                        http_status: e.http_status_code.map(|c| c as u16),
                        sender_fault: e.sender_fault,
                    }),
                    event: n.event,
                    eventstream: n.eventstream,
                    wrapper: n.wrapper,
                    retryable_throttling: n.retryable.take().map(|r| r.throttling),
                }))
            }
            "list" => {
                let m = n.member.as_deref_mut().ok_or("list without `member`")?;
                ShapeKind::List {
                    member: Box::new(self.member_ref("member", m)?),
                }
            }
            "map" => {
                let k = n.key.as_deref_mut().ok_or("map without `key`")?;
                let v = n.value.as_deref_mut().ok_or("map without `value`")?;
                ShapeKind::Map {
                    key: Box::new(self.member_ref("key", k)?),
                    value: Box::new(self.member_ref("value", v)?),
                }
            }
            // `character` appears in old models; botocore treats it as a string.
            "string" | "character" => ShapeKind::String,
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
        Ok(Shape {
            name: name.into(),
            kind,
            traits,
            min: n.min,
            max: n.max,
            enum_values: std::mem::take(&mut n.enum_values),
            pattern: n.pattern.take(),
            sensitive: n.sensitive,
            streaming: n.streaming,
            requires_length: n.requires_length,
            sparse: n.sparse,
            deprecated: n.deprecated,
        })
    }

    fn operation(&self, name: &str, mut j: RawOp) -> Result<Operation, String> {
        let auth: Vec<Box<str>> = match j.auth {
            Some(a) => a,
            None => match j.authtype.as_deref() {
                Some("none") => vec!["smithy.api#noAuth".into()],
                Some("v4-unsigned-body") | Some("v4") => vec!["aws.auth#sigv4".into()],
                Some("bearer") => vec!["smithy.api#httpBearerAuth".into()],
                _ => vec![],
            },
        };
        let mut errors = Vec::with_capacity(j.errors.len());
        for e in &j.errors {
            if let Some(n) = e.shape.as_deref() {
                errors.push(self.id(n)?);
            }
        }
        Ok(Operation {
            name: name.into(),
            http: HttpTrait {
                method: j.http.method.unwrap_or_else(|| "POST".into()),
                request_uri: j.http.request_uri.unwrap_or_else(|| "/".into()),
                response_code: j.http.response_code.map(|c| c as u16),
            },
            input: j
                .input
                .as_mut()
                .map(|i| self.member_ref("input", i))
                .transpose()?,
            output: j
                .output
                .as_mut()
                .map(|o| self.member_ref("output", o))
                .transpose()?,
            errors,
            host_prefix: j.endpoint.and_then(|e| e.host_prefix),
            http_checksum: j.http_checksum.map(|h| HttpChecksum {
                request_algorithm_member: h.request_algorithm_member,
                request_checksum_required: h.request_checksum_required,
                request_validation_mode_member: h.request_validation_mode_member,
                response_algorithms: h.response_algorithms,
            }),
            http_checksum_required: j.http_checksum_required,
            unsigned_payload: j.unsigned_payload
                || j.authtype.as_deref() == Some("v4-unsigned-body"),
            auth,
            static_context_params: j
                .static_context_params
                .into_iter()
                .map(|(k, v)| (k.into(), v))
                .collect(),
            operation_context_params: j
                .operation_context_params
                .into_iter()
                .filter_map(|(k, v)| Some((k.into(), v.path?)))
                .collect(),
            request_compression: j
                .request_compression
                .map(|r| r.encodings)
                .unwrap_or_default(),
            endpoint_discovery_required: j.endpoint_discovery.as_ref().is_some_and(|e| e.required),
            endpoint_discovery: j.endpoint_discovery.is_some(),
            endpoint_operation: j.endpoint_operation,
            idempotent: j.idempotent,
            readonly: j.readonly,
            deprecated: j.deprecated,
            documentation_url: j.documentation_url,
        })
    }
}

fn metadata(m: RawMetadata) -> Result<Metadata, String> {
    let protocol = if m.protocols.is_empty() {
        m.protocol
            .ok_or("metadata has neither `protocols` nor `protocol`")?
    } else {
        PROTOCOL_PREFERENCE
            .iter()
            .find(|p| m.protocols.iter().any(|q| q == *p))
            .map(|p| p.to_string())
            .ok_or_else(|| format!("no supported protocol in {:?}", m.protocols))?
    };
    Ok(Metadata {
        api_version: m.api_version.unwrap_or_default(),
        endpoint_prefix: m.endpoint_prefix.unwrap_or_default(),
        protocol,
        protocols: m.protocols,
        json_version: m.json_version,
        target_prefix: m.target_prefix,
        service_id: m.service_id.unwrap_or_default(),
        service_full_name: m.service_full_name.unwrap_or_default(),
        signing_name: m.signing_name,
        signature_version: m.signature_version,
        uid: m.uid,
        xml_namespace: m.xml_namespace,
        global_endpoint: m.global_endpoint,
        aws_query_compatible: m.aws_query_compatible.is_some(),
        auth: m.auth,
        checksum_format: m.checksum_format,
    })
}

/// A model built the old way, eagerly.
pub(super) struct Reference {
    pub metadata: Metadata,
    pub shapes: Vec<Shape>,
    pub shape_index: HashMap<Box<str>, ShapeId>,
    pub operations: Vec<Operation>,
    pub op_index: HashMap<Box<str>, usize>,
    pub client_context_params: Json,
}

fn build(service_name: &str, doc: RawDoc) -> Result<Reference, ModelError> {
    let bad = |m: String| ModelError::Invalid {
        service: service_name.to_string(),
        message: m,
    };
    let index: HashMap<Box<str>, ShapeId> = doc
        .shapes
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (Box::<str>::from(&**k), ShapeId(i as u32)))
        .collect();
    let ctx = Ctx { index };
    let mut shapes = Vec::with_capacity(doc.shapes.len());
    // Nodes are large: convert them in place rather than moving them out.
    let mut doc = doc;
    for (name, node) in &mut doc.shapes {
        shapes.push(
            ctx.shape(name, node)
                .map_err(|m| bad(format!("shape {name}: {m}")))?,
        );
    }
    let metadata = metadata(doc.metadata.unwrap_or_default()).map_err(bad)?;
    let mut operations = Vec::with_capacity(doc.operations.len());
    let mut op_index = HashMap::with_capacity(doc.operations.len() * 3);
    for (name, op) in doc.operations {
        let op = ctx
            .operation(&name, op)
            .map_err(|m| bad(format!("operation {name}: {m}")))?;
        let i = operations.len();
        let snake = crate::names::xform_name(&name, '_');
        let kebab = snake.replace('_', "-");
        op_index.insert(Box::<str>::from(&*name), i);
        op_index.entry(snake.into_boxed_str()).or_insert(i);
        op_index.entry(kebab.into_boxed_str()).or_insert(i);
        operations.push(op);
    }
    Ok(Reference {
        metadata,
        shapes,
        shape_index: ctx.index,
        operations,
        op_index,
        client_context_params: doc.client_context_params,
    })
}

#[cfg(test)]
mod tests;
