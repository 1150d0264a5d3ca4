//! Reading `service-2.json` into flat borrowed structs, in one serde pass.
//!
//! serde derives match keys once (strings without escapes are slices of the
//! input); unknown keys, documentation included, are skipped. The writer in
//! `lib.rs` turns these into the binary form.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value as Json;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// `xmlNamespace`: a prefix (for `xmlns:prefix`) and a URI.
pub(crate) struct XmlNamespace {
    pub prefix: Option<String>,
    pub uri: String,
}
pub(crate) type Str<'a> = Cow<'a, str>;

/// A JSON object read as an ordered list of entries (model order decides shape ids).
fn ordered<'de, D, V>(d: D) -> Result<Vec<(Str<'de>, V)>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Entries<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
        type Value = Vec<(Str<'de>, V)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(m.size_hint().unwrap_or(0));
            while let Some(k) = m.next_key::<BorrowedKey>()? {
                out.push((k.0, m.next_value()?));
            }
            Ok(out)
        }
    }
    d.deserialize_map(Entries(PhantomData))
}

/// A map key, borrowed from the input when it has no escapes.
struct BorrowedKey<'de>(Str<'de>);

impl<'de> Deserialize<'de> for BorrowedKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        CowStr(d).deserialize().map(BorrowedKey)
    }
}

/// Forces `Cow<str>` to borrow: serde's own impl always copies.
struct CowStr<D>(D);

impl<'de, D: Deserializer<'de>> CowStr<D> {
    fn deserialize(self) -> Result<Str<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Cow::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Cow::Owned(v))
            }
        }
        self.0.deserialize_str(V)
    }
}

fn cow<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Str<'de>>, D::Error> {
    CowStr(d).deserialize().map(Some)
}

/// `xmlNamespace` is a bare URI string or `{"prefix": .., "uri": ..}`.
fn xml_ns<'de, D: Deserializer<'de>>(d: D) -> Result<Option<XmlNamespace>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<XmlNamespace>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a namespace string or object")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(XmlNamespace {
                prefix: None,
                uri: v.to_owned(),
            }))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let (mut prefix, mut uri) = (None, None);
            while let Some(k) = m.next_key::<BorrowedKey>()? {
                match &*k.0 {
                    "prefix" => prefix = m.next_value::<Option<String>>()?,
                    "uri" => uri = m.next_value::<Option<String>>()?,
                    _ => {
                        m.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(uri.map(|uri| XmlNamespace { prefix, uri }))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

/// The serialization traits, which may appear on a reference or on a shape.
/// Both structs below list them (no `flatten`, which would buffer every object).
macro_rules! node_struct {
    ($(#[$m:meta])* struct $name:ident<$a:lifetime> { $($extra:tt)* }) => {
        $(#[$m])*
        #[derive(Deserialize, Default)]
        #[serde(default, rename_all = "camelCase")]
        pub(crate) struct $name<$a> {
            #[serde(borrow, deserialize_with = "cow")]
            pub(crate) location: Option<Str<$a>>,
            pub(crate) location_name: Option<Box<str>>,
            pub(crate) query_name: Option<Box<str>>,
            #[serde(deserialize_with = "xml_ns")]
            pub(crate) xml_namespace: Option<XmlNamespace>,
            pub(crate) xml_attribute: bool,
            pub(crate) flattened: Option<bool>,
            #[serde(borrow, deserialize_with = "cow")]
            pub(crate) timestamp_format: Option<Str<$a>>,
            pub(crate) jsonvalue: bool,
            pub(crate) host_label: bool,
            pub(crate) idempotency_token: bool,
            #[serde(rename = "eventpayload")]
            pub(crate) event_payload: bool,
            pub(crate) streaming: bool,
            pub(crate) context_param: Option<NameOnly>,
            pub(crate) result_wrapper: Option<Box<str>>,
            pub(crate) deprecated: bool,
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
        pub(crate) shape: Option<Str<'a>>,
    }
}

node_struct! {
    /// A shape definition.
    struct Node<'a> {
        #[serde(borrow, rename = "type", deserialize_with = "cow")]
        pub(crate) type_: Option<Str<'a>>,
        #[serde(borrow, deserialize_with = "ordered")]
        pub(crate) members: Vec<(Str<'a>, RefNode<'a>)>,
        pub(crate) required: Vec<Box<str>>,
        pub(crate) payload: Option<Box<str>>,
        pub(crate) union: bool,
        pub(crate) document: bool,
        pub(crate) exception: bool,
        pub(crate) fault: bool,
        pub(crate) error: Option<RawError>,
        pub(crate) event: bool,
        pub(crate) eventstream: bool,
        pub(crate) wrapper: bool,
        pub(crate) retryable: Option<Retryable>,
        #[serde(borrow)]
        pub(crate) member: Option<Box<RefNode<'a>>>,
        #[serde(borrow)]
        pub(crate) key: Option<Box<RefNode<'a>>>,
        #[serde(borrow)]
        pub(crate) value: Option<Box<RefNode<'a>>>,
        pub(crate) min: Option<f64>,
        pub(crate) max: Option<f64>,
        #[serde(rename = "enum")]
        pub(crate) enum_values: Vec<Box<str>>,
        pub(crate) pattern: Option<Box<str>>,
        pub(crate) sensitive: bool,
        pub(crate) requires_length: bool,
        pub(crate) sparse: bool,
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct NameOnly {
    pub(crate) name: Option<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawError {
    pub(crate) code: Option<String>,
    pub(crate) http_status_code: Option<u64>,
    pub(crate) sender_fault: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct Retryable {
    pub(crate) throttling: bool,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawHttp {
    pub(crate) method: Option<Box<str>>,
    pub(crate) request_uri: Option<Box<str>>,
    pub(crate) response_code: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawChecksum {
    pub(crate) request_algorithm_member: Option<Box<str>>,
    pub(crate) request_checksum_required: bool,
    pub(crate) request_validation_mode_member: Option<Box<str>>,
    pub(crate) response_algorithms: Vec<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawEndpoint {
    pub(crate) host_prefix: Option<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct Encodings {
    pub(crate) encodings: Vec<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct Required {
    pub(crate) required: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PathOnly {
    pub(crate) path: Option<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawOp<'a> {
    pub(crate) http: RawHttp,
    #[serde(borrow)]
    pub(crate) input: Option<RefNode<'a>>,
    #[serde(borrow)]
    pub(crate) output: Option<RefNode<'a>>,
    #[serde(borrow)]
    pub(crate) errors: Vec<RefNode<'a>>,
    pub(crate) endpoint: Option<RawEndpoint>,
    pub(crate) http_checksum: Option<RawChecksum>,
    pub(crate) http_checksum_required: bool,
    pub(crate) auth: Option<Vec<Box<str>>>,
    #[serde(borrow, deserialize_with = "cow")]
    pub(crate) authtype: Option<Str<'a>>,
    pub(crate) unsigned_payload: bool,
    #[serde(borrow, deserialize_with = "ordered")]
    pub(crate) static_context_params: Vec<(Str<'a>, Json)>,
    #[serde(borrow, deserialize_with = "ordered")]
    pub(crate) operation_context_params: Vec<(Str<'a>, PathOnly)>,
    #[serde(rename = "requestcompression")]
    pub(crate) request_compression: Option<Encodings>,
    #[serde(rename = "endpointdiscovery")]
    pub(crate) endpoint_discovery: Option<Required>,
    #[serde(rename = "endpointoperation")]
    pub(crate) endpoint_operation: bool,
    pub(crate) idempotent: bool,
    pub(crate) readonly: bool,
    pub(crate) deprecated: bool,
    pub(crate) documentation_url: Option<Box<str>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawMetadata {
    pub(crate) api_version: Option<String>,
    pub(crate) endpoint_prefix: Option<String>,
    pub(crate) protocol: Option<String>,
    pub(crate) protocols: Vec<String>,
    pub(crate) json_version: Option<String>,
    pub(crate) target_prefix: Option<String>,
    pub(crate) service_id: Option<String>,
    pub(crate) service_full_name: Option<String>,
    pub(crate) signing_name: Option<String>,
    pub(crate) signature_version: Option<String>,
    pub(crate) uid: Option<String>,
    pub(crate) xml_namespace: Option<String>,
    pub(crate) global_endpoint: Option<String>,
    pub(crate) aws_query_compatible: Option<IgnoredAny>,
    pub(crate) auth: Vec<String>,
    pub(crate) checksum_format: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawDoc<'a> {
    #[serde(default)]
    pub(crate) metadata: Option<RawMetadata>,
    #[serde(borrow, default, deserialize_with = "ordered")]
    pub(crate) operations: Vec<(Str<'a>, RawOp<'a>)>,
    #[serde(borrow, default, deserialize_with = "ordered")]
    pub(crate) shapes: Vec<(Str<'a>, Node<'a>)>,
    #[serde(default)]
    pub(crate) client_context_params: Json,
}
