//! JMESPath over [`Value`]: the bridge between boto-rs values and `boto-jmespath`.
//!
//! Paginators, waiters and the CLI's `--query` evaluate expressions on
//! results. Blobs become base64 strings and timestamps ISO 8601 strings, as
//! they print in aws-cli, so expressions behave the same as there.

use boto_jmespath::{Number, Variable};
use boto_model::{Map, Value};

/// Converts a value for searching.
pub fn to_variable(v: &Value) -> Variable {
    match v {
        Value::Null => Variable::Null,
        Value::Bool(b) => Variable::Bool(*b),
        Value::Integer(i) => Variable::Number(Number::Int(*i)),
        Value::Float(f) => Variable::Number(Number::Float(*f)),
        Value::String(s) => Variable::String(s.to_string()),
        Value::Blob(_) | Value::Timestamp(_) => match v.to_json() {
            serde_json::Value::String(s) => Variable::String(s),
            _ => Variable::Null,
        },
        Value::List(l) => Variable::Array(l.iter().map(to_variable).collect()),
        Value::Map(m) => Variable::Object(
            m.iter()
                .map(|(k, v)| (k.to_string(), to_variable(v)))
                .collect(),
        ),
    }
}

/// Converts a search result back.
pub fn from_variable(v: &Variable) -> Value {
    match v {
        Variable::Null => Value::Null,
        Variable::Bool(b) => Value::Bool(*b),
        Variable::Number(Number::Int(i)) => Value::Integer(*i),
        Variable::Number(Number::Float(f)) => Value::Float(*f),
        Variable::String(s) => Value::String(s.as_str().into()),
        Variable::Array(a) => Value::List(a.iter().map(from_variable).collect()),
        Variable::Object(o) => Value::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), from_variable(v)))
                .collect::<Map>(),
        ),
    }
}

/// Compiles and evaluates `expr` on `v`.
pub fn search(expr: &str, v: &Value) -> Result<Value, boto_jmespath::JmesError> {
    let e = boto_jmespath::compile(expr)?;
    Ok(from_variable(&e.search(&to_variable(v))?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_model::value;

    #[test]
    fn searches_values() {
        let v = value!({"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 2}]});
        assert_eq!(search("Contents[].Key", &v).unwrap(), value!(["a", "b"]));
        assert_eq!(
            search("sum(Contents[].Size)", &v).unwrap(),
            Value::Integer(3)
        );
        assert!(search("Contents[", &v).is_err());
    }
}
