//! The query protocol (and its ec2 dialect): parameters flattened into
//! `Name.member.1.Field=value` form pairs in a urlencoded POST body.
//!
//! Pairs are emitted in parameter order, as botocore does (its body is an
//! ordered dict), so bodies match botocore byte for byte.

use super::{ec2, scalar_text, struct_members, type_error, Ctx};
use crate::parts::percent_encode_into;
use crate::{Body, Request, SerializeError};
use boto_model::{MemberRef, ShapeKind, TimestampFormat, Value};

/// Which naming and list rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Query,
    Ec2,
}

pub(crate) fn serialize(
    ctx: Ctx,
    params: &Value,
    dialect: Dialect,
) -> Result<Request, SerializeError> {
    let mut w = Writer {
        ctx,
        dialect,
        pairs: Vec::new(),
    };
    w.pairs.push(("Action".into(), ctx.op.name.to_string()));
    w.pairs
        .push(("Version".into(), ctx.model.metadata.api_version.clone()));
    if let Some(input) = &ctx.op.input {
        w.value(input, params, String::new(), 0)?;
    }
    let mut body = String::new();
    for (k, v) in &w.pairs {
        if !body.is_empty() {
            body.push('&');
        }
        percent_encode_into(k, &mut body);
        body.push('=');
        percent_encode_into(v, &mut body);
    }
    Ok(Request {
        method: ctx.op.http.method.to_string(),
        path: "/".into(),
        headers: vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        )],
        body: Body::Bytes(body.into_bytes()),
        ..Request::default()
    })
}

const MAX_DEPTH: usize = 128;

struct Writer<'a> {
    ctx: Ctx<'a>,
    dialect: Dialect,
    pairs: Vec<(String, String)>,
}

impl Writer<'_> {
    fn name(&self, r: &MemberRef, default: &str) -> String {
        match self.dialect {
            Dialect::Ec2 => ec2::serialized_name(self.ctx.model, r, default),
            Dialect::Query => self
                .ctx
                .model
                .location_name(r)
                .unwrap_or(default)
                .to_string(),
        }
    }

    fn value(
        &mut self,
        r: &MemberRef,
        v: &Value,
        prefix: String,
        depth: usize,
    ) -> Result<(), SerializeError> {
        if depth > MAX_DEPTH {
            return Err(SerializeError::new("parameters nested too deeply"));
        }
        let model = self.ctx.model;
        let shape = model.shape(r.target);
        match &shape.kind {
            ShapeKind::Structure(s) => {
                for (m, key, mv) in struct_members(shape, s, v)? {
                    let name = self.name(m, key);
                    let p = if prefix.is_empty() {
                        name
                    } else {
                        format!("{prefix}.{name}")
                    };
                    self.value(m, mv, p, depth + 1)?;
                }
            }
            ShapeKind::List { member } => {
                let items = v.as_list().ok_or_else(|| type_error("a list", v))?;
                let list_prefix = match self.dialect {
                    Dialect::Ec2 => prefix,
                    Dialect::Query if items.is_empty() => {
                        // The query protocol sends empty lists as an empty value.
                        self.pairs.push((prefix, String::new()));
                        return Ok(());
                    }
                    Dialect::Query if model.flattened(r) => match model.location_name(member) {
                        // A named flattened member replaces the last name segment.
                        Some(name) => match prefix.rsplit_once('.') {
                            Some((head, _)) => format!("{head}.{name}"),
                            None => name.to_string(),
                        },
                        None => prefix,
                    },
                    Dialect::Query => format!(
                        "{prefix}.{}",
                        model.location_name(member).unwrap_or("member")
                    ),
                };
                for (i, item) in items.iter().enumerate() {
                    if item.is_null() {
                        continue;
                    }
                    self.value(member, item, format!("{list_prefix}.{}", i + 1), depth + 1)?;
                }
            }
            ShapeKind::Map { key, value } => {
                let map = v.as_map().ok_or_else(|| type_error("a map", v))?;
                let base = if model.flattened(r) {
                    prefix
                } else {
                    format!("{prefix}.entry")
                };
                let key_name = self.name(key, "key");
                let value_name = self.name(value, "value");
                for (i, (k, mv)) in map.iter().enumerate() {
                    self.pairs
                        .push((format!("{base}.{}.{key_name}", i + 1), k.to_string()));
                    if !mv.is_null() {
                        self.value(
                            value,
                            mv,
                            format!("{base}.{}.{value_name}", i + 1),
                            depth + 1,
                        )?;
                    }
                }
            }
            _ => {
                let text = scalar_text(self.ctx, r, v, TimestampFormat::Iso8601)?;
                self.pairs.push((prefix, text));
            }
        }
        Ok(())
    }
}
