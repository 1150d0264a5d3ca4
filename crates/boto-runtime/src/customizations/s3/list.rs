//! `s3.encoding_type`: botocore `set_list_objects_encoding_type_url` plus
//! `decode_list_object`, `decode_list_object_v2` and `decode_list_object_versions`.
//!
//! Object keys may contain characters XML 1.0 cannot carry, so botocore asks
//! S3 to URL-encode listed keys (`encoding-type=url`) whenever the caller did
//! not choose an encoding, and decodes them again so callers (and paginators,
//! which feed keys back as markers) see the real keys.
//!
//! botocore remembers "we set it" in the request context. Interceptors share
//! no per-call state, so instead the query parameter is added to the request
//! without touching the parameters: "`EncodingType` absent from the params"
//! then means exactly "we asked for it". Like botocore, the response keeps its
//! `EncodingType: url` member.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor, RequestContext};
use boto_model::Value;

/// Top-level members, and (list, member of each item) pairs, that come back encoded.
type Fields = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

/// Which fields each listing operation returns encoded (botocore's lists, verbatim).
fn fields(op: &str) -> Option<Fields> {
    Some(match op {
        "ListObjects" => (
            &["Delimiter", "Marker", "NextMarker"],
            &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
        ),
        "ListObjectsV2" => (
            &["Delimiter", "Prefix", "StartAfter"],
            &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
        ),
        "ListObjectVersions" => (
            &["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
            &[
                ("Versions", "Key"),
                ("DeleteMarkers", "Key"),
                ("CommonPrefixes", "Prefix"),
            ],
        ),
        _ => return None,
    })
}

/// See the module docs.
#[derive(Debug, Default)]
pub struct EncodingTypeUrl;

impl Interceptor for EncodingTypeUrl {
    fn name(&self) -> &'static str {
        "s3.encoding_type"
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        if fields(&call.operation.name).is_none() || !ctx.params.get("EncodingType").is_null() {
            return Ok(());
        }
        if !ctx.request.query.iter().any(|(k, _)| k == "encoding-type") {
            ctx.request
                .query
                .push(("encoding-type".into(), Some("url".into())));
        }
        Ok(())
    }

    fn modify_after_parse(
        &self,
        call: &CallInfo<'_>,
        params: &Value,
        output: &mut Value,
    ) -> Result<(), Error> {
        let Some((top, nested)) = fields(&call.operation.name) else {
            return Ok(());
        };
        if !params.get("EncodingType").is_null()
            || output.get("EncodingType").as_str() != Some("url")
        {
            return Ok(());
        }
        let Some(out) = output.as_map_mut() else {
            return Ok(());
        };
        for key in top {
            if let Some(Value::String(s)) = out.get_mut(key) {
                *s = unquote_plus(s).into();
            }
        }
        for (list, child) in nested {
            if let Some(Value::List(items)) = out.get_mut(list) {
                for item in items {
                    if let Some(Value::String(s)) = item.as_map_mut().and_then(|m| m.get_mut(child))
                    {
                        *s = unquote_plus(s).into();
                    }
                }
            }
        }
        Ok(())
    }
}

/// Python's `unquote_plus`: `+` is a space, `%XX` a byte; invalid escapes stay
/// as they are and invalid UTF-8 becomes U+FFFD.
pub(crate) fn unquote_plus(s: &str) -> String {
    if !s.contains(['%', '+']) {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}
