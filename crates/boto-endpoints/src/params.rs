//! Caller-facing parameter types.
//!
//! A rule set declares its parameters (type, default, `required`,
//! `builtIn`); callers bind values by name. Requests typically carry fewer
//! than a dozen parameters, so [`Params`] is a small vector rather than a
//! hash map: linear lookup is faster at that size and it allocates once.

use serde_json::Value as Json;
use std::sync::Arc;

use crate::error::EndpointError;

/// Declared type of a rule-set parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// A single string (`Region`, `Bucket`, `Endpoint`).
    String,
    /// A boolean flag (`UseFIPS`, `ForcePathStyle`).
    Boolean,
    /// A list of strings (`ResourceArnList`, bound from `operationContextParams`).
    StringArray,
}

impl ParamType {
    /// Parse the (case-insensitive) `type` field of a parameter.
    pub fn parse(s: &str) -> Option<ParamType> {
        match s.to_ascii_lowercase().as_str() {
            "string" => Some(ParamType::String),
            "boolean" => Some(ParamType::Boolean),
            "stringarray" => Some(ParamType::StringArray),
            _ => None,
        }
    }

    pub(crate) fn python_name(self) -> &'static str {
        match self {
            ParamType::String => "<class 'str'>",
            ParamType::Boolean => "<class 'bool'>",
            ParamType::StringArray => "<class 'tuple'>",
        }
    }

    pub(crate) fn accepts(self, v: &ParamValue) -> bool {
        matches!(
            (self, v),
            (ParamType::String, ParamValue::String(_))
                | (ParamType::Boolean, ParamValue::Bool(_))
                | (ParamType::StringArray, ParamValue::StringArray(_))
        )
    }
}

/// Declaration of one rule-set parameter, as exposed by
/// [`RuleSet::parameters`](crate::RuleSet::parameters).
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The parameter's name, as callers bind it in [`Params`] (e.g. `Region`, `Bucket`).
    /// Shared, so binding a built-in on every call copies no string.
    pub name: Arc<str>,
    /// Its declared type; a value of another type is an [`EndpointError::WrongType`].
    pub ty: ParamType,
    /// Name of the SDK built-in that supplies this value, e.g. `AWS::Region`.
    pub built_in: Option<String>,
    /// The value used when the caller binds none.
    pub default: Option<ParamValue>,
    /// Whether resolution fails with [`EndpointError::MissingRequired`] when there is neither a value nor a default.
    pub required: bool,
    /// The rule set's own description of the parameter.
    pub documentation: Option<String>,
    /// Whether the parameter is marked `deprecated`.
    pub deprecated: bool,
}

/// A parameter value supplied by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamValue {
    /// A string value.
    String(String),
    /// A boolean value.
    Bool(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// Convert a JSON value (string, bool or array of strings). `null` and
    /// other shapes give `None`.
    pub fn from_json(v: &Json) -> Option<ParamValue> {
        match v {
            Json::String(s) => Some(ParamValue::String(s.clone())),
            Json::Bool(b) => Some(ParamValue::Bool(*b)),
            Json::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(ParamValue::StringArray),
            _ => None,
        }
    }

    pub(crate) fn python_repr(&self) -> String {
        match self {
            ParamValue::String(s) => s.clone(),
            ParamValue::Bool(true) => "True".into(),
            ParamValue::Bool(false) => "False".into(),
            ParamValue::StringArray(l) => {
                let items: Vec<String> = l.iter().map(|s| format!("'{s}'")).collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> Self {
        ParamValue::String(s.to_owned())
    }
}
impl From<String> for ParamValue {
    fn from(s: String) -> Self {
        ParamValue::String(s)
    }
}
impl From<bool> for ParamValue {
    fn from(b: bool) -> Self {
        ParamValue::Bool(b)
    }
}
impl From<Vec<String>> for ParamValue {
    fn from(v: Vec<String>) -> Self {
        ParamValue::StringArray(v)
    }
}

/// Input parameters for one resolution, keyed by parameter name.
///
/// Setting a name twice replaces the earlier value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Params {
    entries: Vec<(Arc<str>, ParamValue)>,
}

impl Params {
    /// An empty set of parameters; bind values with [`with`](Self::with) or [`set`](Self::set).
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty set with room for `n` parameters (a rule set's
    /// [`parameters`](crate::RuleSet::parameters) count: binding then never regrows it).
    pub fn with_capacity(n: usize) -> Self {
        Params {
            entries: Vec::with_capacity(n),
        }
    }

    /// Set (or replace) a parameter.
    ///
    /// A name is anything that makes an `Arc<str>`: a `&str` or `String` is
    /// copied once, a rule set's [`Parameter::name`] is shared.
    pub fn set(&mut self, name: impl Into<Arc<str>>, value: impl Into<ParamValue>) -> &mut Self {
        let name = name.into();
        let value = value.into();
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((name, value)),
        }
        self
    }

    /// Builder-style [`set`](Self::set).
    pub fn with(mut self, name: impl Into<Arc<str>>, value: impl Into<ParamValue>) -> Self {
        self.set(name, value);
        self
    }

    /// Remove a parameter, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<ParamValue> {
        let i = self.entries.iter().position(|(n, _)| **n == *name)?;
        Some(self.entries.remove(i).1)
    }

    /// The value bound to `name`, if any.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.entries
            .iter()
            .find(|(n, _)| **n == *name)
            .map(|(_, v)| v)
    }

    /// The bound parameters, in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.entries.iter().map(|(n, v)| (&**n, v))
    }

    /// The number of bound parameters.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no parameter is bound.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Build from a JSON object such as an endpoint test case's `params`.
    /// `null` members are treated as unset; other unsupported shapes are an
    /// error.
    pub fn from_json(v: &Json) -> Result<Params, EndpointError> {
        let obj = v
            .as_object()
            .ok_or_else(|| EndpointError::Evaluation("params must be a JSON object".into()))?;
        let mut p = Params::new();
        for (k, v) in obj {
            if v.is_null() {
                continue;
            }
            let pv = ParamValue::from_json(v).ok_or_else(|| {
                EndpointError::Evaluation(format!("unsupported value for parameter {k}: {v}"))
            })?;
            p.set(k.as_str(), pv);
        }
        Ok(p)
    }
}

impl<K: Into<Arc<str>>, V: Into<ParamValue>> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut p = Params::new();
        for (k, v) in iter {
            p.set(k, v);
        }
        p
    }
}
