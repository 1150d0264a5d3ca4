//! Compiles a botocore `service-2.json` into boto-rs's compact binary model.
//!
//! botocore loads a service by parsing its JSON model on first use
//! (`botocore.loaders.Loader.load_service_model`) and resolves shapes lazily
//! from the dictionaries. boto-rs does the parsing once, at build time: this
//! crate turns the JSON into the runtime's own form (the shape arena with
//! integer ids, every string interned once, documentation left out), which
//! `boto_model::ServiceModel` reads in place without parsing JSON, decoding
//! each shape and operation only when it is first used.
//!
//! It is used by `boto-model-data`'s build script for the embedded models and
//! by `boto-model` at run time for models found on `BOTO_DATA_PATH`, so both
//! go through the same reader.
//!
//! # Format (all integers little-endian)
//!
//! `MAGIC`, then [`header::FIELDS`] `u32`s (see [`header`]): counts and the
//! absolute offsets of the tables. Tables of `u32`: the record offset of each
//! shape and each operation (relative to the records area), the shape ids
//! sorted by shape name, and `(name, operation index)` pairs sorted by name
//! (the model name and its snake_case form; kebab-case is looked up as
//! snake_case). A string is stored once in the string data as a varint
//! length and its bytes, and named by its offset there. Records are
//! sequences of LEB128 varints: a string is its offset, an optional string
//! its offset + 1 (0 for none), a list its length then the items; bit sets
//! ([`bits`]) say which optional fields follow. Floats are 8
//! raw bytes. The exact field order is [`write`]'s and `boto_model`'s reader.
//!
//! ```
//! let json = br#"{"metadata": {"protocol": "json"}, "operations": {},
//!                 "shapes": {"S": {"type": "string"}}}"#;
//! let bin = boto_model_compile::compile_slice(json).unwrap();
//! assert_eq!(&bin[..8], boto_model_compile::MAGIC);
//! ```
#![deny(missing_docs)]

mod json;
pub mod names;
pub mod pack;
mod write;

pub use names::xform_name;
pub use pack::{pack, unpack};
pub use write::{compile_slice, compile_value, CompileError};

/// The first bytes of a compiled model (the digit is the format version).
pub const MAGIC: &[u8; 8] = b"BOTOCM01";

/// Indices of the `u32` header fields that follow [`MAGIC`].
pub mod header {
    /// Number of shapes.
    pub const N_SHAPES: usize = 0;
    /// Offset of the shape record offsets (`u32` each, relative to [`RECORDS`]).
    pub const SHAPE_OFFSETS: usize = 1;
    /// Offset of the shape ids sorted by shape name.
    pub const SHAPE_NAMES: usize = 2;
    /// Number of operations.
    pub const N_OPS: usize = 3;
    /// Offset of the operation record offsets.
    pub const OP_OFFSETS: usize = 4;
    /// Number of operation lookup names.
    pub const N_OP_NAMES: usize = 5;
    /// Offset of the `(name string, operation index)` pairs, sorted by name.
    pub const OP_NAMES: usize = 6;
    /// Offset of the metadata record (relative to [`RECORDS`]).
    pub const METADATA: usize = 7;
    /// Offset of the string data.
    pub const STRING_DATA: usize = 8;
    /// Offset of the records area.
    pub const RECORDS: usize = 9;
    /// Total length of the compiled model.
    pub const LEN: usize = 10;
    /// Number of header fields.
    pub const FIELDS: usize = 11;
}

/// Shape kind codes (the first varint of a shape record).
pub mod kind {
    #![allow(missing_docs)]
    pub const STRUCTURE: u64 = 0;
    pub const LIST: u64 = 1;
    pub const MAP: u64 = 2;
    pub const STRING: u64 = 3;
    pub const INTEGER: u64 = 4;
    pub const LONG: u64 = 5;
    pub const FLOAT: u64 = 6;
    pub const DOUBLE: u64 = 7;
    pub const BIG_INTEGER: u64 = 8;
    pub const BIG_DECIMAL: u64 = 9;
    pub const BOOLEAN: u64 = 10;
    pub const BLOB: u64 = 11;
    pub const TIMESTAMP: u64 = 12;
}

/// Bit sets saying which optional fields a record holds, and boolean traits.
pub mod bits {
    #![allow(missing_docs)]
    // Reference/shape serialization traits; values follow in this order:
    // location (code 1 uri, 2 querystring, 3 header, 4 headers, 5 statusCode),
    // locationName, queryName, xmlNamespace (optional prefix, uri),
    // timestampFormat (0 iso8601, 1 rfc822, 2 unixTimestamp), contextParam,
    // resultWrapper.
    pub const TR_LOCATION: u64 = 1 << 0;
    pub const TR_LOCATION_NAME: u64 = 1 << 1;
    pub const TR_QUERY_NAME: u64 = 1 << 2;
    pub const TR_XML_NAMESPACE: u64 = 1 << 3;
    pub const TR_XML_ATTRIBUTE: u64 = 1 << 4;
    pub const TR_FLATTENED: u64 = 1 << 5;
    pub const TR_FLATTENED_TRUE: u64 = 1 << 6;
    pub const TR_TIMESTAMP_FORMAT: u64 = 1 << 7;
    pub const TR_JSONVALUE: u64 = 1 << 8;
    pub const TR_HOST_LABEL: u64 = 1 << 9;
    pub const TR_IDEMPOTENCY_TOKEN: u64 = 1 << 10;
    pub const TR_EVENT_PAYLOAD: u64 = 1 << 11;
    pub const TR_STREAMING: u64 = 1 << 12;
    pub const TR_CONTEXT_PARAM: u64 = 1 << 13;
    pub const TR_RESULT_WRAPPER: u64 = 1 << 14;
    pub const TR_DEPRECATED: u64 = 1 << 15;

    // Shape fields after the traits; values follow: min, max, pattern, enum.
    pub const SH_MIN: u64 = 1 << 0;
    pub const SH_MAX: u64 = 1 << 1;
    pub const SH_PATTERN: u64 = 1 << 2;
    pub const SH_SENSITIVE: u64 = 1 << 3;
    pub const SH_REQUIRES_LENGTH: u64 = 1 << 4;
    pub const SH_SPARSE: u64 = 1 << 5;
    pub const SH_ENUM: u64 = 1 << 6;

    // Structure flags (after members, required, payload); then the error
    // code (optional string) when ST_ERROR, the status when ST_ERROR_STATUS.
    pub const ST_UNION: u64 = 1 << 0;
    pub const ST_DOCUMENT: u64 = 1 << 1;
    pub const ST_EXCEPTION: u64 = 1 << 2;
    pub const ST_FAULT: u64 = 1 << 3;
    pub const ST_EVENT: u64 = 1 << 4;
    pub const ST_EVENTSTREAM: u64 = 1 << 5;
    pub const ST_WRAPPER: u64 = 1 << 6;
    pub const ST_ERROR: u64 = 1 << 7;
    pub const ST_ERROR_SENDER_FAULT: u64 = 1 << 8;
    pub const ST_ERROR_STATUS: u64 = 1 << 9;
    pub const ST_RETRYABLE: u64 = 1 << 10;
    pub const ST_RETRYABLE_THROTTLING: u64 = 1 << 11;

    // Operation flags (after name, method, requestUri); values follow:
    // responseCode, input, output, errors (always), hostPrefix, httpChecksum,
    // auth (always), static and operation context params (always),
    // request compression (always), documentationUrl.
    pub const OP_RESPONSE_CODE: u64 = 1 << 0;
    pub const OP_INPUT: u64 = 1 << 1;
    pub const OP_OUTPUT: u64 = 1 << 2;
    pub const OP_HOST_PREFIX: u64 = 1 << 3;
    pub const OP_HTTP_CHECKSUM: u64 = 1 << 4;
    pub const OP_HTTP_CHECKSUM_REQUIRED: u64 = 1 << 5;
    pub const OP_UNSIGNED_PAYLOAD: u64 = 1 << 6;
    pub const OP_ENDPOINT_DISCOVERY_REQUIRED: u64 = 1 << 7;
    pub const OP_IDEMPOTENT: u64 = 1 << 8;
    pub const OP_READONLY: u64 = 1 << 9;
    pub const OP_DEPRECATED: u64 = 1 << 10;
    pub const OP_DOCUMENTATION_URL: u64 = 1 << 11;
    pub const OP_ENDPOINT_DISCOVERY: u64 = 1 << 12;
    pub const OP_ENDPOINT_OPERATION: u64 = 1 << 13;
    // httpChecksum flags: then request algorithm member and validation mode
    // member (optional strings), response algorithms (list).
    pub const CK_REQUEST_CHECKSUM_REQUIRED: u64 = 1 << 0;
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
