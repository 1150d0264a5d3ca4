//! The writer: parsed `service-2.json` → compiled bytes (format in `lib.rs`).
//!
//! It applies botocore's defaults and mappings here, once, so the reader
//! only copies values: the preferred protocol, `authtype` → `auth`, the HTTP
//! method default, `v4-unsigned-body`, operation names in snake and kebab case.

use crate::bits::*;
use crate::json::*;
use crate::{header, kind, MAGIC};
use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::HashMap;

/// Why a model could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// True when the input is not JSON (or not UTF-8); false when it is JSON
    /// but not a valid model.
    pub syntax: bool,
    /// What is wrong (`shape Foo: unknown shape "Bar"`).
    pub message: String,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CompileError {}

fn invalid(message: String) -> CompileError {
    CompileError {
        syntax: false,
        message,
    }
}

/// Compiles `service-2.json` bytes.
pub fn compile_slice(bytes: &[u8]) -> Result<Vec<u8>, CompileError> {
    let syntax = |message: String| CompileError {
        syntax: true,
        message,
    };
    // Validating UTF-8 once up front lets serde_json skip it for every string.
    let text = std::str::from_utf8(bytes).map_err(|e| syntax(e.to_string()))?;
    let doc: RawDoc = serde_json::from_str(text).map_err(|e| syntax(e.to_string()))?;
    write(doc)
}

/// Compiles an already parsed `service-2.json` document.
pub fn compile_value(doc: &Json) -> Result<Vec<u8>, CompileError> {
    let doc = RawDoc::deserialize(doc).map_err(|e| invalid(e.to_string()))?;
    write(doc)
}

/// Interned strings and the records being written.
#[derive(Default)]
struct W {
    rec: Vec<u8>,
    data: Vec<u8>,
    ids: HashMap<String, u32>,
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

impl W {
    fn var(&mut self, v: u64) {
        varint(&mut self.rec, v);
    }
    /// The offset of `s` in the string data (its length, then its bytes).
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.data.len() as u32;
        varint(&mut self.data, s.len() as u64);
        self.data.extend_from_slice(s.as_bytes());
        self.ids.insert(s.to_owned(), i);
        i
    }
    fn s(&mut self, s: &str) {
        let i = self.id(s);
        self.var(u64::from(i));
    }
    fn opt(&mut self, s: Option<&str>) {
        match s {
            None => self.var(0),
            Some(s) => {
                let i = self.id(s);
                self.var(u64::from(i) + 1);
            }
        }
    }
    fn list<S: AsRef<str>>(&mut self, v: &[S]) {
        self.var(v.len() as u64);
        for s in v {
            self.s(s.as_ref());
        }
    }
    fn f64(&mut self, v: f64) {
        self.rec.extend_from_slice(&v.to_le_bytes());
    }
}

fn location_code(v: &str) -> Option<u8> {
    Some(match v {
        "uri" => 1,
        "querystring" => 2,
        "header" => 3,
        "headers" => 4,
        "statusCode" => 5,
        _ => return None,
    })
}

fn ts_code(v: &str) -> Option<u8> {
    Some(match v {
        "iso8601" => 0,
        "rfc822" => 1,
        "unixTimestamp" => 2,
        _ => return None,
    })
}

/// Writes the reference-level traits of a node of either kind.
macro_rules! write_traits {
    ($w:expr, $n:expr) => {{
        let (w, n) = ($w, $n);
        let loc = n.location.as_deref().and_then(location_code);
        let ts = n.timestamp_format.as_deref().and_then(ts_code);
        let ctx = n.context_param.as_ref().and_then(|c| c.name.as_deref());
        let mut f = 0;
        for (on, bit) in [
            (loc.is_some(), TR_LOCATION),
            (n.location_name.is_some(), TR_LOCATION_NAME),
            (n.query_name.is_some(), TR_QUERY_NAME),
            (n.xml_namespace.is_some(), TR_XML_NAMESPACE),
            (n.xml_attribute, TR_XML_ATTRIBUTE),
            (n.flattened.is_some(), TR_FLATTENED),
            (n.flattened == Some(true), TR_FLATTENED_TRUE),
            (ts.is_some(), TR_TIMESTAMP_FORMAT),
            (n.jsonvalue, TR_JSONVALUE),
            (n.host_label, TR_HOST_LABEL),
            (n.idempotency_token, TR_IDEMPOTENCY_TOKEN),
            (n.event_payload, TR_EVENT_PAYLOAD),
            (n.streaming, TR_STREAMING),
            (ctx.is_some(), TR_CONTEXT_PARAM),
            (n.result_wrapper.is_some(), TR_RESULT_WRAPPER),
            (n.deprecated, TR_DEPRECATED),
        ] {
            if on {
                f |= bit;
            }
        }
        w.var(f);
        if let Some(l) = loc {
            w.var(u64::from(l));
        }
        if let Some(s) = n.location_name.as_deref() {
            w.s(s);
        }
        if let Some(s) = n.query_name.as_deref() {
            w.s(s);
        }
        if let Some(ns) = n.xml_namespace.as_ref() {
            w.opt(ns.prefix.as_deref());
            w.s(&ns.uri);
        }
        if let Some(t) = ts {
            w.var(u64::from(t));
        }
        if let Some(s) = ctx {
            w.s(s);
        }
        if let Some(s) = n.result_wrapper.as_deref() {
            w.s(s);
        }
    }};
}

struct Ctx<'d> {
    index: HashMap<&'d str, u32>,
}

impl Ctx<'_> {
    fn id(&self, name: &str) -> Result<u32, String> {
        self.index
            .get(name)
            .copied()
            .ok_or_else(|| format!("unknown shape {name:?}"))
    }

    fn reference(&self, w: &mut W, n: &RefNode) -> Result<(), String> {
        let target = n.shape.as_deref().ok_or("reference without `shape`")?;
        w.var(u64::from(self.id(target)?));
        write_traits!(w, n);
        Ok(())
    }

    fn shape(&self, w: &mut W, name: &str, n: &Node) -> Result<(), String> {
        let ty = n.type_.as_deref().ok_or("missing `type`")?;
        let k = match ty {
            "structure" => kind::STRUCTURE,
            "list" => kind::LIST,
            "map" => kind::MAP,
            // `character` appears in old models; botocore treats it as a string.
            "string" | "character" => kind::STRING,
            "integer" => kind::INTEGER,
            "long" => kind::LONG,
            "float" => kind::FLOAT,
            "double" => kind::DOUBLE,
            "bigInteger" | "biginteger" => kind::BIG_INTEGER,
            "bigDecimal" | "bigdecimal" => kind::BIG_DECIMAL,
            "boolean" => kind::BOOLEAN,
            "blob" => kind::BLOB,
            "timestamp" => kind::TIMESTAMP,
            other => return Err(format!("unknown shape type {other:?}")),
        };
        w.var(k);
        w.s(name);
        write_traits!(&mut *w, n);
        let mut f = 0;
        for (on, bit) in [
            (n.min.is_some(), SH_MIN),
            (n.max.is_some(), SH_MAX),
            (n.pattern.is_some(), SH_PATTERN),
            (n.sensitive, SH_SENSITIVE),
            (n.requires_length, SH_REQUIRES_LENGTH),
            (n.sparse, SH_SPARSE),
            (!n.enum_values.is_empty(), SH_ENUM),
        ] {
            if on {
                f |= bit;
            }
        }
        w.var(f);
        if let Some(v) = n.min {
            w.f64(v);
        }
        if let Some(v) = n.max {
            w.f64(v);
        }
        if let Some(p) = n.pattern.as_deref() {
            w.s(p);
        }
        if !n.enum_values.is_empty() {
            w.list(&n.enum_values);
        }
        match k {
            kind::STRUCTURE => self.structure(w, n)?,
            kind::LIST => {
                let m = n.member.as_deref().ok_or("list without `member`")?;
                self.reference(w, m)?;
            }
            kind::MAP => {
                let key = n.key.as_deref().ok_or("map without `key`")?;
                let value = n.value.as_deref().ok_or("map without `value`")?;
                self.reference(w, key)?;
                self.reference(w, value)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn structure(&self, w: &mut W, n: &Node) -> Result<(), String> {
        w.var(n.members.len() as u64);
        for (name, m) in &n.members {
            w.s(name);
            self.reference(w, m)?;
        }
        w.list(&n.required);
        w.opt(n.payload.as_deref());
        let e = n.error.as_ref();
        let mut f = 0;
        for (on, bit) in [
            (n.union, ST_UNION),
            (n.document, ST_DOCUMENT),
            (n.exception, ST_EXCEPTION),
            (n.fault, ST_FAULT),
            (n.event, ST_EVENT),
            (n.eventstream, ST_EVENTSTREAM),
            (n.wrapper, ST_WRAPPER),
            (e.is_some(), ST_ERROR),
            (e.is_some_and(|e| e.sender_fault), ST_ERROR_SENDER_FAULT),
            (
                e.is_some_and(|e| e.http_status_code.is_some()),
                ST_ERROR_STATUS,
            ),
            (n.retryable.is_some(), ST_RETRYABLE),
            (
                n.retryable.as_ref().is_some_and(|r| r.throttling),
                ST_RETRYABLE_THROTTLING,
            ),
        ] {
            if on {
                f |= bit;
            }
        }
        w.var(f);
        if let Some(e) = e {
            w.opt(e.code.as_deref());
            if let Some(c) = e.http_status_code {
                w.var(u64::from(c as u16));
            }
        }
        Ok(())
    }

    fn operation(&self, w: &mut W, name: &str, j: &RawOp) -> Result<(), String> {
        let authtype = j.authtype.as_deref();
        let auth: Vec<&str> = match &j.auth {
            Some(a) => a.iter().map(|s| &**s).collect(),
            None => match authtype {
                Some("none") => vec!["smithy.api#noAuth"],
                Some("v4-unsigned-body") | Some("v4") => vec!["aws.auth#sigv4"],
                Some("bearer") => vec!["smithy.api#httpBearerAuth"],
                _ => vec![],
            },
        };
        // Checked before anything is written, so errors name the first problem.
        for r in j.input.iter().chain(&j.output) {
            self.id(r.shape.as_deref().ok_or("reference without `shape`")?)?;
        }
        let mut errors = Vec::with_capacity(j.errors.len());
        for e in &j.errors {
            if let Some(n) = e.shape.as_deref() {
                errors.push(self.id(n)?);
            }
        }
        let host_prefix = j.endpoint.as_ref().and_then(|e| e.host_prefix.as_deref());
        let mut f = 0;
        for (on, bit) in [
            (j.http.response_code.is_some(), OP_RESPONSE_CODE),
            (j.input.is_some(), OP_INPUT),
            (j.output.is_some(), OP_OUTPUT),
            (host_prefix.is_some(), OP_HOST_PREFIX),
            (j.http_checksum.is_some(), OP_HTTP_CHECKSUM),
            (j.http_checksum_required, OP_HTTP_CHECKSUM_REQUIRED),
            (
                j.unsigned_payload || authtype == Some("v4-unsigned-body"),
                OP_UNSIGNED_PAYLOAD,
            ),
            (
                j.endpoint_discovery.as_ref().is_some_and(|e| e.required),
                OP_ENDPOINT_DISCOVERY_REQUIRED,
            ),
            (j.endpoint_discovery.is_some(), OP_ENDPOINT_DISCOVERY),
            (j.endpoint_operation, OP_ENDPOINT_OPERATION),
            (j.idempotent, OP_IDEMPOTENT),
            (j.readonly, OP_READONLY),
            (j.deprecated, OP_DEPRECATED),
            (j.documentation_url.is_some(), OP_DOCUMENTATION_URL),
        ] {
            if on {
                f |= bit;
            }
        }
        w.s(name);
        w.s(j.http.method.as_deref().unwrap_or("POST"));
        w.s(j.http.request_uri.as_deref().unwrap_or("/"));
        w.var(f);
        if let Some(c) = j.http.response_code {
            w.var(u64::from(c as u16));
        }
        if let Some(i) = &j.input {
            self.reference(w, i)?;
        }
        if let Some(o) = &j.output {
            self.reference(w, o)?;
        }
        w.var(errors.len() as u64);
        for e in errors {
            w.var(u64::from(e));
        }
        if let Some(h) = host_prefix {
            w.s(h);
        }
        if let Some(c) = &j.http_checksum {
            w.var(if c.request_checksum_required {
                CK_REQUEST_CHECKSUM_REQUIRED
            } else {
                0
            });
            w.opt(c.request_algorithm_member.as_deref());
            w.opt(c.request_validation_mode_member.as_deref());
            w.list(&c.response_algorithms);
        }
        w.list(&auth);
        w.var(j.static_context_params.len() as u64);
        for (k, v) in &j.static_context_params {
            w.s(k);
            w.s(&v.to_string());
        }
        let ocp: Vec<(&str, &str)> = j
            .operation_context_params
            .iter()
            .filter_map(|(k, v)| Some((&**k, v.path.as_deref()?)))
            .collect();
        w.var(ocp.len() as u64);
        for (k, v) in ocp {
            w.s(k);
            w.s(v);
        }
        match &j.request_compression {
            Some(r) => w.list(&r.encodings),
            None => w.var(0),
        }
        if let Some(u) = j.documentation_url.as_deref() {
            w.s(u);
        }
        Ok(())
    }
}

fn metadata(w: &mut W, m: &RawMetadata, client_context_params: &Json) -> Result<(), String> {
    let protocol = if m.protocols.is_empty() {
        m.protocol
            .as_deref()
            .ok_or("metadata has neither `protocols` nor `protocol`")?
    } else {
        crate::PROTOCOL_PREFERENCE
            .iter()
            .find(|p| m.protocols.iter().any(|q| q == *p))
            .ok_or_else(|| format!("no supported protocol in {:?}", m.protocols))?
    };
    w.s(m.api_version.as_deref().unwrap_or_default());
    w.s(m.endpoint_prefix.as_deref().unwrap_or_default());
    w.s(protocol);
    w.list(&m.protocols);
    w.opt(m.json_version.as_deref());
    w.opt(m.target_prefix.as_deref());
    w.s(m.service_id.as_deref().unwrap_or_default());
    w.s(m.service_full_name.as_deref().unwrap_or_default());
    w.opt(m.signing_name.as_deref());
    w.opt(m.signature_version.as_deref());
    w.opt(m.uid.as_deref());
    w.opt(m.xml_namespace.as_deref());
    w.opt(m.global_endpoint.as_deref());
    w.var(u64::from(m.aws_query_compatible.is_some()));
    w.list(&m.auth);
    w.opt(m.checksum_format.as_deref());
    match client_context_params {
        Json::Null => w.opt(None),
        v => w.opt(Some(&v.to_string())),
    }
    Ok(())
}

fn write(doc: RawDoc) -> Result<Vec<u8>, CompileError> {
    let mut index = HashMap::with_capacity(doc.shapes.len());
    for (i, (name, _)) in doc.shapes.iter().enumerate() {
        index.insert(&**name, i as u32);
    }
    let ctx = Ctx { index };
    let mut w = W::default();
    let mut op_names: HashMap<String, u32> = HashMap::with_capacity(doc.operations.len() * 3);
    for (i, (name, _)) in doc.operations.iter().enumerate() {
        let i = i as u32;
        // kebab-case names are looked up as snake_case by the reader.
        op_names.insert(name.to_string(), i);
        op_names.entry(crate::xform_name(name, '_')).or_insert(i);
    }
    let mut op_names: Vec<(String, u32)> = op_names.into_iter().collect();
    op_names.sort_unstable();
    // What opening a model reads comes first: the metadata record and its
    // strings, then the lookup names in sorted order (what finding an
    // operation reads). `pack` gives the metadata chunks of their own, so a
    // client that makes no call unpacks a few hundred bytes, not 16 KB.
    let meta_offset = w.rec.len() as u32;
    metadata(
        &mut w,
        doc.metadata.as_ref().unwrap_or(&RawMetadata::default()),
        &doc.client_context_params,
    )
    .map_err(invalid)?;
    for (name, _) in &op_names {
        w.id(name);
    }
    let mut shape_offsets = Vec::with_capacity(doc.shapes.len());
    for (name, node) in &doc.shapes {
        shape_offsets.push(w.rec.len() as u32);
        ctx.shape(&mut w, name, node)
            .map_err(|m| invalid(format!("shape {name}: {m}")))?;
    }
    let mut op_offsets = Vec::with_capacity(doc.operations.len());
    for (name, op) in &doc.operations {
        op_offsets.push(w.rec.len() as u32);
        ctx.operation(&mut w, name, op)
            .map_err(|m| invalid(format!("operation {name}: {m}")))?;
    }
    let mut shape_names: Vec<(&str, u32)> = ctx.index.iter().map(|(k, v)| (*k, *v)).collect();
    shape_names.sort_unstable();
    let shape_names: Vec<u32> = shape_names.iter().map(|(_, v)| *v).collect();
    let op_names: Vec<u32> = op_names.iter().flat_map(|(k, v)| [w.id(k), *v]).collect();
    let mut h = [0u32; header::FIELDS];
    let mut tables: Vec<u8> = Vec::new();
    let base = MAGIC.len() + 4 * header::FIELDS;
    let mut put = |field: usize, words: &[u32], tables: &mut Vec<u8>| {
        h[field] = (base + tables.len()) as u32;
        for x in words {
            tables.extend_from_slice(&x.to_le_bytes());
        }
    };
    put(header::SHAPE_OFFSETS, &shape_offsets, &mut tables);
    put(header::SHAPE_NAMES, &shape_names, &mut tables);
    put(header::OP_OFFSETS, &op_offsets, &mut tables);
    put(header::OP_NAMES, &op_names, &mut tables);
    h[header::STRING_DATA] = (base + tables.len()) as u32;
    tables.extend_from_slice(&w.data);
    h[header::RECORDS] = (base + tables.len()) as u32;
    tables.extend_from_slice(&w.rec);
    h[header::N_SHAPES] = shape_offsets.len() as u32;
    h[header::N_OPS] = op_offsets.len() as u32;
    h[header::N_OP_NAMES] = (op_names.len() / 2) as u32;
    h[header::METADATA] = meta_offset;
    h[header::LEN] = (base + tables.len()) as u32;
    let mut out = Vec::with_capacity(base + tables.len());
    out.extend_from_slice(MAGIC);
    for x in h {
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.extend_from_slice(&tables);
    Ok(out)
}
