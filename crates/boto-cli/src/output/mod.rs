//! Printing results as aws-cli does: `json`, `text`, `table`, `yaml`, `yaml-stream`.
//!
//! Results are first turned into a display tree ([`Variable`]) the way
//! aws-cli sees them after its response parsing: blobs as base64 text and
//! timestamps as ISO 8601 strings with a `+00:00` offset (Python's
//! `datetime.isoformat()`), `ResponseMetadata` dropped. `--query` runs on that
//! tree, so expressions behave as in aws-cli, and each formatter then only
//! deals with JSON-like data.

pub mod json;
pub mod table;
pub mod text;
pub mod yaml;

use boto_jmespath::{Number, Variable};
use boto_model::{Timestamp, Value};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
    Table,
    Yaml,
    YamlStream,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "json" => Format::Json,
            "text" => Format::Text,
            "table" => Format::Table,
            "yaml" => Format::Yaml,
            "yaml-stream" => Format::YamlStream,
            _ => return None,
        })
    }
}

/// Python's `datetime.isoformat()` of a UTC timestamp.
pub fn isoformat(t: &Timestamp) -> String {
    let z = t.to_iso8601();
    let base = z.trim_end_matches('Z');
    let (secs, frac) = match base.split_once('.') {
        Some((s, f)) => (s, format!(".{f:0<6}")),
        None => (base, String::new()),
    };
    format!("{secs}{frac}+00:00")
}

/// The display tree of a result.
pub fn to_display(v: &Value) -> Variable {
    use base64::Engine;
    match v {
        Value::Null => Variable::Null,
        Value::Bool(b) => Variable::Bool(*b),
        Value::Integer(i) => Variable::Number(Number::Int(*i)),
        Value::Float(f) => Variable::Number(Number::Float(*f)),
        Value::String(s) => Variable::String(s.to_string()),
        Value::Blob(b) => Variable::String(base64::engine::general_purpose::STANDARD.encode(b)),
        Value::Timestamp(t) => Variable::String(isoformat(t)),
        Value::List(l) => Variable::Array(l.iter().map(to_display).collect()),
        Value::Map(m) => Variable::Object(
            m.iter()
                .map(|(k, v)| (k.to_string(), to_display(v)))
                .collect(),
        ),
    }
}

/// Removes `ResponseMetadata` from the top level.
pub fn strip_metadata(v: &mut Variable) {
    if let Variable::Object(m) = v {
        m.shift_remove("ResponseMetadata");
    }
}

/// Applies a compiled `--query`.
pub fn apply_query(q: Option<&boto_jmespath::Expression>, v: Variable) -> Result<Variable, String> {
    match q {
        None => Ok(v),
        Some(e) => e.search(&v).map_err(|e| e.to_string()),
    }
}

/// Python's `repr(float)`: shortest round-trip digits, exponent form outside 1e-4..1e16.
pub fn py_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..16).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    let s = format!("{f}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

/// Python's `str()` of a scalar in the display tree (text and table cells).
pub fn py_str(v: &Variable) -> String {
    match v {
        Variable::Null => "None".into(),
        Variable::Bool(true) => "True".into(),
        Variable::Bool(false) => "False".into(),
        Variable::Number(Number::Int(i)) => i.to_string(),
        Variable::Number(Number::Float(f)) => match py_float(*f).as_str() {
            "NaN" => "nan".into(),
            "Infinity" => "inf".into(),
            "-Infinity" => "-inf".into(),
            s => s.to_string(),
        },
        Variable::String(s) => s.clone(),
        other => json::to_string(other, None),
    }
}

/// Options that change how output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
    /// Terminal width for tables (80 when unknown).
    pub width: usize,
}

/// Formats one (already queried) result.
pub fn render(format: Format, title: &str, v: &Variable, style: Style) -> String {
    match format {
        Format::Json => {
            // aws-cli prints nothing for an empty result object (e.g. put-object with no output).
            if matches!(v, Variable::Object(m) if m.is_empty()) {
                return String::new();
            }
            let mut s = json::to_string(v, Some(4));
            s.push('\n');
            s
        }
        Format::Text => text::format(v),
        Format::Table => table::format(title, v, style),
        Format::Yaml => {
            if matches!(v, Variable::Object(m) if m.is_empty()) {
                return String::new();
            }
            yaml::to_string(v)
        }
        Format::YamlStream => yaml::to_string(&Variable::Array(vec![v.clone()])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_python() {
        for (f, s) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1.5e-7, "1.5e-07"),
            (123456789.125, "123456789.125"),
            (-2.5, "-2.5"),
            (1e-4, "0.0001"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(py_float(f), s);
        }
    }

    #[test]
    fn timestamps_and_blobs_display_like_aws_cli() {
        let v = boto_model::value!({
            "T": (Timestamp::from_epoch_secs(1714564800)),
            "U": (Timestamp::new(0, 123_000_000)),
            "B": (Value::blob(vec![1u8, 2, 3])),
            "ResponseMetadata": {"RequestId": "x"}
        });
        let mut d = to_display(&v);
        strip_metadata(&mut d);
        assert_eq!(
            json::to_string(&d, None),
            r#"{"T": "2024-05-01T12:00:00+00:00", "U": "1970-01-01T00:00:00.123000+00:00", "B": "AQID"}"#
        );
    }
}
