//! A small YAML emitter in aws-cli v2's style, and a parser for the subset
//! `--cli-input-yaml` documents use.
//!
//! The emitter writes block style with sequences at their parent's
//! indentation (`- Name: x`), keys in result order, and quotes a string only
//! when it would otherwise read as another type or break the syntax (single
//! quotes, or double quotes with escapes for control characters), which is
//! what ruamel's safe dumper does for AWS results. The parser reads block
//! mappings and sequences, plain and quoted scalars, comments and simple flow
//! collections; anchors, tags and multi-document streams are rejected with a
//! clear error instead of being misread.

use super::py_float;
use crate::raw::Raw;
use boto_jmespath::{Number, Variable};

/// Serializes `v` as a YAML document.
pub fn to_string(v: &Variable) -> String {
    let mut out = String::new();
    match v {
        Variable::Object(m) if !m.is_empty() => block_map(&mut out, m, 0),
        Variable::Array(a) if !a.is_empty() => block_seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn is_block(v: &Variable) -> bool {
    matches!(v, Variable::Object(m) if !m.is_empty())
        || matches!(v, Variable::Array(a) if !a.is_empty())
}

fn block_map(out: &mut String, m: &boto_jmespath::Map, indent: usize) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            pad(out, indent);
        }
        out.push_str(&string(k));
        out.push(':');
        match v {
            Variable::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                pad(out, indent + 2);
                block_map(out, inner, indent + 2);
            }
            Variable::Array(items) if !items.is_empty() => {
                out.push('\n');
                pad(out, indent);
                block_seq(out, items, indent);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn block_seq(out: &mut String, items: &[Variable], indent: usize) {
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            pad(out, indent);
        }
        out.push_str("- ");
        match v {
            Variable::Object(m) if !m.is_empty() => block_map(out, m, indent + 2),
            Variable::Array(a) if !a.is_empty() => block_seq(out, a, indent + 2),
            other => {
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
    let _ = is_block;
}

fn scalar(v: &Variable) -> String {
    match v {
        Variable::Null => "null".into(),
        Variable::Bool(b) => b.to_string(),
        Variable::Number(Number::Int(i)) => i.to_string(),
        Variable::Number(Number::Float(f)) => match py_float(*f).as_str() {
            "NaN" => ".nan".into(),
            "Infinity" => ".inf".into(),
            "-Infinity" => "-.inf".into(),
            s => s.to_string(),
        },
        Variable::String(s) => string(s),
        Variable::Array(_) => "[]".into(),
        Variable::Object(_) => "{}".into(),
    }
}

/// True when a plain scalar would be read back as something other than this string.
fn looks_typed(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    if matches!(
        l.as_str(),
        "null"
            | "~"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | ".nan"
            | ".inf"
            | "-.inf"
            | "+.inf"
    ) {
        return true;
    }
    let t = s.replace('_', "");
    if t.parse::<f64>().is_ok()
        || (t.starts_with("0x") && i64::from_str_radix(&t[2..], 16).is_ok())
        || (t.starts_with("0o") && t.len() > 2)
    {
        return true;
    }
    // Dates and timestamps (YAML 1.1 timestamp resolver).
    let b = s.as_bytes();
    b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit()
}

/// A string as a YAML scalar: plain when safe, else single- or double-quoted.
pub fn string(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    if s.chars()
        .any(|c| (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{feff}')
    {
        let mut o = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => o.push_str("\\\""),
                '\\' => o.push_str("\\\\"),
                '\n' => o.push_str("\\n"),
                '\t' => o.push_str("\\t"),
                '\r' => o.push_str("\\r"),
                c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{feff}' => {
                    o.push_str(&format!("\\x{:02X}", c as u32))
                }
                c => o.push(c),
            }
        }
        o.push('"');
        return o;
    }
    let first = s.chars().next().unwrap_or(' ');
    let needs_quotes = looks_typed(s)
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
            && !(matches!(first, '-' | '?' | ':') && s.len() > 1 && !s[1..].starts_with(' '))
        || s.starts_with(' ')
        || s.ends_with(' ')
        || s.ends_with(':')
        || s.contains(": ")
        || s.contains(" #")
        || s == "-"
        || s.starts_with("- ")
        || s.starts_with("---")
        || s.starts_with("...");
    if needs_quotes {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        s.to_string()
    }
}

// ---------------------------------------------------------------------------
// Parsing.

struct Line {
    indent: usize,
    text: String,
    no: usize,
}

/// Parses a YAML document (the block subset) into a [`Raw`] tree.
pub fn parse(input: &str) -> Result<Raw, String> {
    let mut lines = Vec::new();
    for (no, l) in input.lines().enumerate() {
        let trimmed_end = strip_comment(l);
        if trimmed_end.trim().is_empty() || trimmed_end.trim() == "---" {
            continue;
        }
        if trimmed_end.trim() == "..." {
            break;
        }
        if l.starts_with('\t') {
            return Err(format!(
                "line {}: tabs are not allowed for indentation",
                no + 1
            ));
        }
        let indent = trimmed_end.len() - trimmed_end.trim_start().len();
        lines.push(Line {
            indent,
            text: trimmed_end.trim().to_string(),
            no: no + 1,
        });
    }
    if lines.is_empty() {
        return Ok(Raw::Null);
    }
    let mut p = YParser {
        lines,
        i: 0,
        depth: 0,
    };
    let indent = p.lines[0].indent;
    let v = p.node(indent)?;
    if p.i < p.lines.len() {
        let l = &p.lines[p.i];
        return Err(format!("line {}: unexpected content {:?}", l.no, l.text));
    }
    Ok(v)
}

fn strip_comment(l: &str) -> &str {
    let mut in_s = false;
    let mut in_d = false;
    let mut prev = ' ';
    for (i, c) in l.char_indices() {
        match c {
            '\'' if !in_d => in_s = !in_s,
            '"' if !in_s && prev != '\\' => in_d = !in_d,
            '#' if !in_s && !in_d && prev.is_whitespace() => return l[..i].trim_end(),
            _ => {}
        }
        prev = c;
    }
    l.trim_end()
}

struct YParser {
    lines: Vec<Line>,
    i: usize,
    depth: usize,
}

/// Splits `key: value` at the first `: ` (or trailing `:`) outside quotes.
fn split_key(t: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(q @ ('\'' | '"')) = t.chars().next() {
        let end = t[1..].find(q)? + 1;
        let k = &t[..=end];
        (unquote(k).ok()?, &t[end + 1..])
    } else {
        let idx = t
            .find(": ")
            .or_else(|| t.strip_suffix(':').map(|s| s.len()))?;
        (t[..idx].trim().to_string(), &t[idx..])
    };
    let rest = rest.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, rest.trim()))
}

impl YParser {
    fn node(&mut self, indent: usize) -> Result<Raw, String> {
        self.depth += 1;
        if self.depth > 100 {
            return Err("document nested too deeply".into());
        }
        let l = &self.lines[self.i];
        let r = if l.text == "-" || l.text.starts_with("- ") {
            self.seq(indent)
        } else if split_key(&l.text).is_some() {
            self.map(indent)
        } else {
            let v = scalar_value(&l.text).map_err(|e| format!("line {}: {e}", l.no));
            self.i += 1;
            v
        };
        self.depth -= 1;
        r
    }

    fn seq(&mut self, indent: usize) -> Result<Raw, String> {
        let mut items = Vec::new();
        while self.i < self.lines.len() && self.lines[self.i].indent == indent {
            let l = &self.lines[self.i];
            let Some(rest) = l.text.strip_prefix('-') else {
                break;
            };
            if !(rest.is_empty() || rest.starts_with(' ')) {
                break;
            }
            let rest = rest.trim_start().to_string();
            let child_indent = indent + (l.text.len() - rest.len());
            if rest.is_empty() {
                self.i += 1;
                if self.i < self.lines.len() && self.lines[self.i].indent > indent {
                    let ci = self.lines[self.i].indent;
                    items.push(self.node(ci)?);
                } else {
                    items.push(Raw::Null);
                }
            } else {
                // Re-read the rest of the line as a node at the column it starts.
                self.lines[self.i] = Line {
                    indent: child_indent,
                    text: rest,
                    no: l.no,
                };
                items.push(self.node(child_indent)?);
            }
        }
        Ok(Raw::List(items))
    }

    fn map(&mut self, indent: usize) -> Result<Raw, String> {
        let mut entries: Vec<(String, Raw)> = Vec::new();
        while self.i < self.lines.len() && self.lines[self.i].indent == indent {
            let l = &self.lines[self.i];
            let no = l.no;
            let Some((key, rest)) = split_key(&l.text) else {
                return Err(format!(
                    "line {no}: expected `key: value`, got {:?}",
                    l.text
                ));
            };
            let rest = rest.to_string();
            self.i += 1;
            let value = if rest.is_empty() {
                match self.lines.get(self.i) {
                    Some(n) if n.indent > indent => {
                        let ci = n.indent;
                        self.node(ci)?
                    }
                    // A sequence may sit at its key's indentation.
                    Some(n)
                        if n.indent == indent && (n.text == "-" || n.text.starts_with("- ")) =>
                    {
                        self.seq(indent)?
                    }
                    _ => Raw::Null,
                }
            } else if rest == "|" || rest == ">" || rest == "|-" || rest == ">-" {
                self.block_scalar(indent, &rest)
            } else {
                scalar_value(&rest).map_err(|e| format!("line {no}: {e}"))?
            };
            entries.retain(|(k, _)| *k != key);
            entries.push((key, value));
        }
        Ok(Raw::Map(entries))
    }

    fn block_scalar(&mut self, indent: usize, style: &str) -> Raw {
        let mut parts = Vec::new();
        while self.i < self.lines.len() && self.lines[self.i].indent > indent {
            parts.push(self.lines[self.i].text.clone());
            self.i += 1;
        }
        let mut s = if style.starts_with('|') {
            parts.join("\n")
        } else {
            parts.join(" ")
        };
        if !style.ends_with('-') {
            s.push('\n');
        }
        Raw::Str(s)
    }
}

fn unquote(s: &str) -> Result<String, String> {
    if let Some(inner) = s.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
        return Ok(inner.replace("''", "'"));
    }
    if let Some(inner) = s.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        return serde_json::from_str::<String>(&format!("\"{inner}\""))
            .map_err(|e| format!("bad double-quoted string: {e}"));
    }
    Err(format!("unterminated quoted string {s:?}"))
}

fn scalar_value(t: &str) -> Result<Raw, String> {
    let t = t.trim();
    if t.starts_with('\'') || t.starts_with('"') {
        return unquote(t).map(Raw::Str);
    }
    if t.starts_with('[') || t.starts_with('{') {
        return flow(t);
    }
    if t.starts_with('&') || t.starts_with('*') || t.starts_with('!') {
        return Err(format!(
            "anchors, aliases and tags are not supported: {t:?}"
        ));
    }
    Ok(match t {
        "null" | "Null" | "NULL" | "~" => Raw::Null,
        "true" | "True" | "TRUE" => Raw::Bool(true),
        "false" | "False" | "FALSE" => Raw::Bool(false),
        _ => {
            if let Ok(i) = t.parse::<i64>() {
                Raw::Num(i.into())
            } else if let Some(n) = t
                .parse::<f64>()
                .ok()
                .filter(|_| t.chars().any(|c| c.is_ascii_digit()))
                .and_then(serde_json::Number::from_f64)
            {
                Raw::Num(n)
            } else {
                Raw::Str(t.to_string())
            }
        }
    })
}

/// Flow collections: JSON syntax, plus unquoted words inside them.
fn flow(t: &str) -> Result<Raw, String> {
    if let Ok(j) = serde_json::from_str::<serde_json::Value>(t) {
        return Ok(Raw::from_json(&j));
    }
    let inner = t
        .get(1..)
        .and_then(|x| x.strip_suffix([']', '}']))
        .unwrap_or("");
    if t.starts_with('[') && t.ends_with(']') && !inner.contains(['[', '{']) {
        if inner.trim().is_empty() {
            return Ok(Raw::List(vec![]));
        }
        return inner
            .split(',')
            .map(scalar_value)
            .collect::<Result<Vec<_>, _>>()
            .map(Raw::List);
    }
    if t.starts_with('{') && t.ends_with('}') && !inner.contains(['[', '{']) {
        let mut out = Vec::new();
        for part in inner.split(',').filter(|p| !p.trim().is_empty()) {
            let (k, v) =
                split_key(part.trim()).ok_or_else(|| format!("bad flow mapping entry {part:?}"))?;
            out.push((k, scalar_value(v)?));
        }
        return Ok(Raw::Map(out));
    }
    Err(format!("unsupported flow collection {t:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::to_display;
    use boto_model::value;

    #[test]
    fn emits_block_style() {
        let v = to_display(&value!({
            "Buckets": [{"Name": "b1", "CreationDate": "2024-05-01T12:00:00+00:00"}],
            "Owner": {"ID": "abc"},
            "Empty": [],
            "None": null,
            "Count": 3,
            "Nested": [[1, 2], ["yes", ""]]
        }));
        assert_eq!(
            to_string(&v),
            "Buckets:\n- Name: b1\n  CreationDate: '2024-05-01T12:00:00+00:00'\nOwner:\n  ID: abc\nEmpty: []\nNone: null\nCount: 3\nNested:\n- - 1\n  - 2\n- - 'yes'\n  - ''\n"
        );
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(string("hello world"), "hello world");
        assert_eq!(string("123"), "'123'");
        assert_eq!(string("a: b"), "'a: b'");
        assert_eq!(string("it's"), "it's");
        assert_eq!(string("*star"), "'*star'");
        assert_eq!(string("line\nbreak"), "\"line\\nbreak\"");
        assert_eq!(string("arn:aws:s3:::b"), "arn:aws:s3:::b");
        assert_eq!(string("-x"), "-x");
    }

    #[test]
    fn parses_what_it_emits() {
        let v = value!({"Bucket": "b", "Tags": [{"Key": "k", "Value": "v w"}], "N": 3, "F": true, "L": ["a", "1"], "E": {}});
        let text = to_string(&to_display(&v));
        let raw = parse(&text).unwrap();
        let back = crate::build::raw_to_value(&raw);
        assert_eq!(
            back,
            value!({"Bucket": "b", "Tags": [{"Key": "k", "Value": "v w"}], "N": 3, "F": true, "L": ["a", "1"], "E": {}})
        );
    }

    #[test]
    fn parses_comments_flow_and_block_scalars() {
        let raw = parse("# c\nA: 1 # one\nB: [x, 2]\nC:\n  - k: v\n    j: w\nD: |\n  l1\n  l2\n")
            .unwrap();
        let v = crate::build::raw_to_value(&raw);
        assert_eq!(
            v,
            value!({"A": 1, "B": ["x", 2], "C": [{"k": "v", "j": "w"}], "D": "l1\nl2\n"})
        );
        assert!(parse("A: &anchor x").is_err());
        assert!(parse("A: 'unterminated").is_err());
        for odd in [
            "A: [", "A: {", "- [é", "A: [1,{]", "\"k\": v", "'", "- - -", ": x",
        ] {
            let _ = parse(odd);
        }
        assert_eq!(parse("").unwrap(), Raw::Null);
    }
}
