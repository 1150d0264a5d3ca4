//! rest-xml bodies, written directly as text.
//!
//! The root element is the input's (or payload member's) `locationName`;
//! `xmlNamespace` (plain or prefixed) becomes an `xmlns`/`xmlns:p` attribute
//! on the element of the shape that carries it; `xmlAttribute` members become
//! attributes of their structure's element; flattened lists and maps repeat
//! the member element instead of nesting under a wrapper. Timestamps default
//! to ISO 8601.

use super::{
    base64, blob_of, py_float, scalar_text, struct_members, timestamp_of, timestamp_text,
    type_error, Ctx,
};
use crate::SerializeError;
use boto_model::{MemberRef, ShapeKind, TimestampFormat, Value};

/// Encodes `v` as the document rooted at reference `r`.
pub(crate) fn body(ctx: Ctx, r: &MemberRef, v: &Value) -> Result<Vec<u8>, SerializeError> {
    let root = ctx
        .model
        .location_name(r)
        .map(str::to_string)
        .unwrap_or_else(|| ctx.shape(r).name.to_string());
    let mut out = String::new();
    element(ctx, r, v, &root, &mut out, 0)?;
    Ok(out.into_bytes())
}

const MAX_DEPTH: usize = 128;

fn escape_into(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#09;"),
            c => out.push(c),
        }
    }
}

/// `<name xmlns...` plus extra attributes; the caller closes the tag.
fn open(ctx: Ctx, r: &MemberRef, name: &str, attrs: &[(String, String)], out: &mut String) {
    out.push('<');
    out.push_str(name);
    if let Some(ns) = ctx.model.xml_namespace(r) {
        out.push_str(" xmlns");
        if let Some(p) = ns.prefix.as_deref().filter(|p| !p.is_empty()) {
            out.push(':');
            out.push_str(p);
        }
        out.push_str("=\"");
        escape_into(&ns.uri, true, out);
        out.push('"');
    }
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        escape_into(v, true, out);
        out.push('"');
    }
    out.push('>');
}

fn close(name: &str, out: &mut String) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn element(
    ctx: Ctx,
    r: &MemberRef,
    v: &Value,
    name: &str,
    out: &mut String,
    depth: usize,
) -> Result<(), SerializeError> {
    if depth > MAX_DEPTH {
        return Err(SerializeError::new("parameters nested too deeply"));
    }
    let model = ctx.model;
    let shape = ctx.shape(r);
    match &shape.kind {
        ShapeKind::Structure(s) => {
            let members = struct_members(shape, s, v)?;
            let mut attrs = Vec::new();
            for (m, key, mv) in &members {
                if m.traits.xml_attribute {
                    let attr = model.location_name(m).unwrap_or(key).to_string();
                    attrs.push((attr, scalar_text(ctx, m, mv, TimestampFormat::Iso8601)?));
                }
            }
            open(ctx, r, name, &attrs, out);
            for (m, key, mv) in members {
                if !m.traits.xml_attribute {
                    element(
                        ctx,
                        m,
                        mv,
                        model.location_name(m).unwrap_or(key),
                        out,
                        depth + 1,
                    )?;
                }
            }
            close(name, out);
        }
        ShapeKind::List { member } => {
            let items = v.as_list().ok_or_else(|| type_error("a list", v))?;
            if model.flattened(r) {
                for item in items.iter().filter(|i| !i.is_null()) {
                    element(ctx, member, item, name, out, depth + 1)?;
                }
            } else {
                let item_name = model.location_name(member).unwrap_or("member");
                open(ctx, r, name, &[], out);
                for item in items.iter().filter(|i| !i.is_null()) {
                    element(ctx, member, item, item_name, out, depth + 1)?;
                }
                close(name, out);
            }
        }
        ShapeKind::Map { key, value } => {
            let map = v.as_map().ok_or_else(|| type_error("a map", v))?;
            let key_name = model.location_name(key).unwrap_or("key");
            let value_name = model.location_name(value).unwrap_or("value");
            let flat = model.flattened(r);
            if !flat {
                open(ctx, r, name, &[], out);
            }
            for (k, mv) in map {
                let entry = if flat { name } else { "entry" };
                out.push('<');
                out.push_str(entry);
                out.push('>');
                element(ctx, key, &Value::String(k.into()), key_name, out, depth + 1)?;
                if !mv.is_null() {
                    element(ctx, value, mv, value_name, out, depth + 1)?;
                }
                close(entry, out);
            }
            if !flat {
                close(name, out);
            }
        }
        _ => {
            let text = match &shape.kind {
                ShapeKind::Blob => base64(blob_of(v)?),
                ShapeKind::Timestamp => {
                    let format = model
                        .timestamp_format(r)
                        .unwrap_or(TimestampFormat::Iso8601);
                    timestamp_text(ctx, timestamp_of(v)?, format)
                }
                ShapeKind::Float | ShapeKind::Double => match v {
                    Value::Float(f) => py_float(*f),
                    _ => scalar_text(ctx, r, v, TimestampFormat::Iso8601)?,
                },
                _ => scalar_text(ctx, r, v, TimestampFormat::Iso8601)?,
            };
            open(ctx, r, name, &[], out);
            escape_into(&text, false, out);
            close(name, out);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_text_and_attributes() {
        let mut out = String::new();
        super::escape_into("a<b>&\"c\"\n", false, &mut out);
        assert_eq!(out, "a&lt;b&gt;&amp;\"c\"\n");
        out.clear();
        super::escape_into("\"x\"\n", true, &mut out);
        assert_eq!(out, "&quot;x&quot;&#10;");
    }
}
