//! JSON exactly as Python's `json.dumps(indent=4, ensure_ascii=False)` writes it.

use super::py_float;
use boto_jmespath::{Number, Variable};
use boto_util::json::push_string;

/// Serializes `v`; `indent: None` gives the one-line form with `", "` and `": "` separators.
pub fn to_string(v: &Variable, indent: Option<usize>) -> String {
    let mut out = String::new();
    write(&mut out, v, indent, 0);
    out
}

fn newline(out: &mut String, indent: Option<usize>, level: usize) {
    if let Some(n) = indent {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', n * level));
    }
}

fn write(out: &mut String, v: &Variable, indent: Option<usize>, level: usize) {
    match v {
        Variable::Null => out.push_str("null"),
        Variable::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Variable::Number(Number::Int(i)) => out.push_str(&i.to_string()),
        Variable::Number(Number::Float(f)) => out.push_str(&py_float(*f)),
        Variable::String(s) => push_string(out, s),
        Variable::Array(a) if a.is_empty() => out.push_str("[]"),
        Variable::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(if indent.is_some() { "," } else { ", " });
                }
                newline(out, indent, level + 1);
                write(out, item, indent, level + 1);
            }
            newline(out, indent, level);
            out.push(']');
        }
        Variable::Object(m) if m.is_empty() => out.push_str("{}"),
        Variable::Object(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(if indent.is_some() { "," } else { ", " });
                }
                newline(out, indent, level + 1);
                push_string(out, k);
                out.push_str(": ");
                write(out, item, indent, level + 1);
            }
            newline(out, indent, level);
            out.push('}');
        }
        #[allow(unreachable_patterns)]
        _ => out.push_str("null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::to_display;
    use boto_model::value;

    #[test]
    fn indents_like_python() {
        let v = to_display(
            &value!({"Buckets": [{"Name": "a", "Size": 1.5}], "Owner": {}, "Empty": [], "Ok": true, "N": null}),
        );
        assert_eq!(
            to_string(&v, Some(4)),
            "{\n    \"Buckets\": [\n        {\n            \"Name\": \"a\",\n            \"Size\": 1.5\n        }\n    ],\n    \"Owner\": {},\n    \"Empty\": [],\n    \"Ok\": true,\n    \"N\": null\n}"
        );
    }

    #[test]
    fn keeps_non_ascii_and_escapes_controls() {
        let v = Variable::String("héllo \"ü\"\n\u{1}".into());
        assert_eq!(to_string(&v, Some(4)), "\"héllo \\\"ü\\\"\\n\\u0001\"");
    }
}
