//! The untyped value tree between the command line and the model.
//!
//! Command-line values arrive as strings, shorthand trees, JSON documents or
//! file bytes; none of those know whether `"5"` is an integer or a string, or
//! whether text is base64 for a blob. [`Raw`] holds them unchanged so that
//! [`crate::build`] can convert once, with the target shape in hand.

/// A parameter value as the user wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    /// Bytes from `fileb://`.
    Bytes(Vec<u8>),
    List(Vec<Raw>),
    /// Keys in the order written.
    Map(Vec<(String, Raw)>),
}

impl Raw {
    pub fn from_json(j: &serde_json::Value) -> Raw {
        use serde_json::Value as J;
        match j {
            J::Null => Raw::Null,
            J::Bool(b) => Raw::Bool(*b),
            J::Number(n) => Raw::Num(n.clone()),
            J::String(s) => Raw::Str(s.clone()),
            J::Array(a) => Raw::List(a.iter().map(Raw::from_json).collect()),
            J::Object(o) => Raw::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Raw::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// How botocore's validator names the Python type of a value.
    pub fn type_name(&self) -> &'static str {
        match self {
            Raw::Null => "NoneType",
            Raw::Bool(_) => "bool",
            Raw::Num(n) if n.is_f64() => "float",
            Raw::Num(_) => "int",
            Raw::Str(_) => "str",
            Raw::Bytes(_) => "bytes",
            Raw::List(_) => "list",
            Raw::Map(_) => "dict",
        }
    }

    /// A short rendering for error messages (Python-ish, like botocore's).
    pub fn display(&self) -> String {
        match self {
            Raw::Null => "None".into(),
            Raw::Bool(true) => "True".into(),
            Raw::Bool(false) => "False".into(),
            Raw::Num(n) => n.to_string(),
            Raw::Str(s) => s.clone(),
            Raw::Bytes(b) => format!("<{} bytes>", b.len()),
            Raw::List(l) => format!(
                "[{}]",
                l.iter().map(Raw::repr).collect::<Vec<_>>().join(", ")
            ),
            Raw::Map(m) => format!(
                "{{{}}}",
                m.iter()
                    .map(|(k, v)| format!("'{k}': {}", v.repr()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn repr(&self) -> String {
        match self {
            Raw::Str(s) => format!("'{s}'"),
            other => other.display(),
        }
    }
}
