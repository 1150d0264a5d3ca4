//! Runtime values produced while evaluating a rule set.
//!
//! Evaluation is on the hot path of every request, so values borrow from the
//! rule set, the partitions table and the caller's parameters wherever
//! possible (`&'a str`, `&'a serde_json::Value`). Values that have to be
//! computed (template output, `uriEncode`, parsed ARNs/URLs) are reference
//! counted so that copying them into the variable scope is cheap.

use std::fmt;
use std::ops::{Deref, Range};
use std::rc::Rc;

use serde_json::Value as Json;

/// A string that is either borrowed for the whole evaluation or shared.
#[derive(Clone, Debug)]
pub(crate) enum Str<'a> {
    Borrowed(&'a str),
    Shared(Rc<str>),
}

impl<'a> Str<'a> {
    /// A sub-slice, borrowing when the source is borrowed.
    pub(crate) fn slice(&self, range: Range<usize>) -> Str<'a> {
        match self {
            Str::Borrowed(s) => Str::Borrowed(&s[range]),
            Str::Shared(s) => Str::Shared(Rc::from(&s[range])),
        }
    }
}

impl Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Str::Borrowed(s) => s,
            Str::Shared(s) => s,
        }
    }
}

impl From<String> for Str<'_> {
    fn from(s: String) -> Self {
        Str::Shared(Rc::from(s))
    }
}

/// Result of `aws.parseArn`.
#[derive(Debug)]
pub(crate) struct Arn<'a> {
    pub partition: Str<'a>,
    pub service: Str<'a>,
    pub region: Str<'a>,
    pub account_id: Str<'a>,
    pub resource_id: Rc<Vec<Val<'a>>>,
}

/// Result of `parseURL`.
#[derive(Debug)]
pub(crate) struct Url<'a> {
    pub scheme: Str<'a>,
    pub authority: Str<'a>,
    pub path: Str<'a>,
    pub normalized_path: Str<'a>,
    pub is_ip: bool,
}

/// A value in the rule-set type system. "Unset" is `Option::None` at the
/// use sites rather than a variant, mirroring botocore's `None`.
#[derive(Clone, Debug)]
pub(crate) enum Val<'a> {
    Bool(bool),
    Str(Str<'a>),
    /// A caller-supplied `stringArray` parameter.
    StrList(&'a [String]),
    /// A computed list (ARN resource id, `split`).
    List(Rc<Vec<Val<'a>>>),
    /// Borrowed JSON: rule-set literals, defaults, partition outputs.
    Json(&'a Json),
    Arn(Rc<Arn<'a>>),
    Url(Rc<Url<'a>>),
}

impl<'a> Val<'a> {
    /// Lift borrowed JSON into the most specific variant; `null` is unset.
    pub(crate) fn from_json(v: &'a Json) -> Option<Val<'a>> {
        match v {
            Json::Null => None,
            Json::Bool(b) => Some(Val::Bool(*b)),
            Json::String(s) => Some(Val::Str(Str::Borrowed(s))),
            other => Some(Val::Json(other)),
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Val::Json(Json::Number(n)) => n.as_i64(),
            _ => None,
        }
    }

    /// Python truthiness, which is what botocore's `not` uses.
    pub(crate) fn truthy(v: Option<&Val<'_>>) -> bool {
        match v {
            None => false,
            Some(Val::Bool(b)) => *b,
            Some(Val::Str(s)) => !s.is_empty(),
            Some(Val::StrList(l)) => !l.is_empty(),
            Some(Val::List(l)) => !l.is_empty(),
            Some(Val::Json(j)) => match j {
                Json::Null => false,
                Json::Bool(b) => *b,
                Json::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
                Json::String(s) => !s.is_empty(),
                Json::Array(a) => !a.is_empty(),
                Json::Object(o) => !o.is_empty(),
            },
            Some(Val::Arn(_)) | Some(Val::Url(_)) => true,
        }
    }

    /// A short type name for error messages.
    pub(crate) fn type_name(v: Option<&Val<'_>>) -> &'static str {
        match v {
            None => "None",
            Some(Val::Bool(_)) => "bool",
            Some(Val::Str(_)) => "str",
            Some(Val::StrList(_)) | Some(Val::List(_)) => "list",
            Some(Val::Json(j)) => match j {
                Json::Number(_) => "int",
                Json::Array(_) => "list",
                _ => "dict",
            },
            Some(Val::Arn(_)) | Some(Val::Url(_)) => "dict",
        }
    }

    /// Object-style attribute lookup (`getAttr` path segment, `{a#b}`).
    pub(crate) fn attr(&self, key: &str) -> Option<Val<'a>> {
        match self {
            Val::Json(Json::Object(m)) => m.get(key).and_then(Val::from_json),
            Val::Arn(a) => match key {
                "partition" => Some(Val::Str(a.partition.clone())),
                "service" => Some(Val::Str(a.service.clone())),
                "region" => Some(Val::Str(a.region.clone())),
                "accountId" => Some(Val::Str(a.account_id.clone())),
                "resourceId" => Some(Val::List(a.resource_id.clone())),
                _ => None,
            },
            Val::Url(u) => match key {
                "scheme" => Some(Val::Str(u.scheme.clone())),
                "authority" => Some(Val::Str(u.authority.clone())),
                "path" => Some(Val::Str(u.path.clone())),
                "normalizedPath" => Some(Val::Str(u.normalized_path.clone())),
                "isIp" => Some(Val::Bool(u.is_ip)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Array-style index lookup; out of range is unset.
    pub(crate) fn index(&self, i: usize) -> Option<Val<'a>> {
        match self {
            Val::StrList(l) => l.get(i).map(|s| Val::Str(Str::Borrowed(s))),
            Val::List(l) => l.get(i).cloned(),
            Val::Json(Json::Array(a)) => a.get(i).and_then(Val::from_json),
            // botocore indexes strings by character.
            Val::Str(s) => s
                .char_indices()
                .nth(i)
                .map(|(start, c)| Val::Str(s.slice(start..start + c.len_utf8()))),
            _ => None,
        }
    }

    /// Convert to owned JSON (for endpoint properties / headers).
    pub(crate) fn to_json(&self) -> Json {
        match self {
            Val::Bool(b) => Json::Bool(*b),
            Val::Str(s) => Json::String(s.to_string()),
            Val::StrList(l) => Json::Array(l.iter().map(|s| Json::String(s.clone())).collect()),
            Val::List(l) => Json::Array(l.iter().map(Val::to_json).collect()),
            Val::Json(j) => (*j).clone(),
            Val::Arn(a) => {
                let mut m = serde_json::Map::new();
                m.insert("partition".into(), Json::String(a.partition.to_string()));
                m.insert("service".into(), Json::String(a.service.to_string()));
                m.insert("region".into(), Json::String(a.region.to_string()));
                m.insert("accountId".into(), Json::String(a.account_id.to_string()));
                m.insert(
                    "resourceId".into(),
                    Json::Array(a.resource_id.iter().map(Val::to_json).collect()),
                );
                Json::Object(m)
            }
            Val::Url(u) => {
                let mut m = serde_json::Map::new();
                m.insert("scheme".into(), Json::String(u.scheme.to_string()));
                m.insert("authority".into(), Json::String(u.authority.to_string()));
                m.insert("path".into(), Json::String(u.path.to_string()));
                m.insert(
                    "normalizedPath".into(),
                    Json::String(u.normalized_path.to_string()),
                );
                m.insert("isIp".into(), Json::Bool(u.is_ip));
                Json::Object(m)
            }
        }
    }
}

/// Rendering used when a value is interpolated into a template or used as a
/// header value / error message.
impl fmt::Display for Val<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Str(s) => f.write_str(s),
            Val::Bool(b) => write!(f, "{b}"),
            other => write!(f, "{}", other.to_json()),
        }
    }
}
