//! S3's response-side customizations: errors hidden in 200s, the
//! unmodelable `GetBucketLocation` body, and the raw `Expires` header.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor, ResponseContext};
use boto_model::{ShapeKind, Value};
use boto_protocols::Response;
use std::cell::RefCell;

/// `s3.error_in_200`: botocore `_handle_200_error` + `_update_status_code`.
///
/// CopyObject, UploadPartCopy, CompleteMultipartUpload (and in principle any
/// S3 operation with an XML output) can fail after S3 has sent `200 OK`; the
/// body is then an `<Error>` document. botocore turns such responses (and
/// bodies that are not well-formed XML, i.e. cut off mid-copy) into a 500 so
/// they are raised and retried; we return the parsed service error with
/// status 500. Outputs that are a blob/string payload or an event stream are
/// excluded, as in botocore.
#[derive(Debug, Default)]
pub struct ErrorIn200;

impl Interceptor for ErrorIn200 {
    fn name(&self) -> &'static str {
        "s3.error_in_200"
    }

    fn read_after_response(
        &self,
        call: &CallInfo<'_>,
        resp: &ResponseContext<'_>,
    ) -> Result<(), Error> {
        if resp.status != 200 || resp.body.is_empty() || !should_check(call) {
            return Ok(());
        }
        if !looks_like_error(resp.body) {
            return Ok(());
        }
        let r = Response {
            status: 500,
            headers: resp.headers,
            body: resp.body,
        };
        Err(Error::service(boto_protocols::parse_error(
            call.model,
            call.operation,
            &r,
        )))
    }
}

fn should_check(call: &CallInfo<'_>) -> bool {
    let model = call.model;
    let Some(out) = call.operation.output.as_ref() else {
        return false;
    };
    let Some(st) = model.shape(out.target).as_structure() else {
        return false;
    };
    if st.members.iter().any(|m| {
        model
            .shape(m.target)
            .as_structure()
            .is_some_and(|s| s.eventstream)
    }) {
        return false;
    }
    match st.payload_member() {
        Some(p) => !matches!(
            model.shape(p.target).kind,
            ShapeKind::Blob | ShapeKind::String
        ),
        None => true,
    }
}

/// Skips the prolog (whitespace, `<?...?>`, comments, doctype) and returns
/// the root element's start tag contents (`name attrs` or `name attrs/`) and
/// the rest of the document after `>`.
fn root_start_tag(doc: &str) -> Option<(&str, &str)> {
    let mut rest = doc.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>")? + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = &r[r.find('>')? + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let end = r.find('>')?;
            return Some((&r[..end], &r[end + 1..]));
        } else {
            return None;
        }
        rest = rest.trim_start();
    }
}

fn tag_name(start_tag: &str) -> &str {
    let end = start_tag
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(start_tag.len());
    &start_tag[..end]
}

/// botocore `_looks_like_special_case_error`: the root element is `<Error>`,
/// or the body is not a complete XML document (a truncated copy response).
/// Completeness is checked structurally: the document must end with the root
/// element's end tag (or be a single self-closing element).
fn looks_like_error(body: &[u8]) -> bool {
    let Ok(doc) = std::str::from_utf8(body) else {
        return true;
    };
    let Some((start, rest)) = root_start_tag(doc) else {
        return true;
    };
    let name = tag_name(start);
    if name == "Error" {
        return true;
    }
    if start.ends_with('/') {
        return !rest.trim().is_empty();
    }
    let tail = rest.trim_end();
    let closed = tail
        .strip_suffix('>')
        .and_then(|t| t.trim_end().strip_suffix(name))
        .is_some_and(|t| t.ends_with("</"));
    !closed
}

thread_local! {
    /// The root text of the last GetBucketLocation body this thread saw; see [`GetBucketLocation`].
    static LOCATION: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// `s3.get_bucket_location`: botocore `parse_get_bucket_location`.
///
/// The body is `<LocationConstraint>eu-west-1</LocationConstraint>`: the
/// output member *is* the root element, which the model cannot express, so
/// the generic parser finds nothing. The root text is read here; an empty
/// element (us-east-1) gives `null`, as in botocore.
///
/// `modify_after_parse` does not see the body, so `read_after_response`
/// leaves the value in a thread-local slot. This is sound because the
/// pipeline runs `read_after_response` → parse → `modify_after_parse` for one
/// buffered response without an `.await` in between (so on one thread, with
/// no other call interleaved); the slot is taken, never reused. If the
/// pipeline ever passes the body to `modify_after_parse`, drop the slot.
#[derive(Debug, Default)]
pub struct GetBucketLocation;

impl Interceptor for GetBucketLocation {
    fn name(&self) -> &'static str {
        "s3.get_bucket_location"
    }

    fn read_after_response(
        &self,
        call: &CallInfo<'_>,
        resp: &ResponseContext<'_>,
    ) -> Result<(), Error> {
        if &*call.operation.name == "GetBucketLocation" {
            let value = if (200..300).contains(&resp.status) {
                Some(location_constraint(resp.body))
            } else {
                None
            };
            LOCATION.with(|l| *l.borrow_mut() = value);
        }
        Ok(())
    }

    fn modify_after_parse(
        &self,
        call: &CallInfo<'_>,
        _params: &Value,
        output: &mut Value,
    ) -> Result<(), Error> {
        if &*call.operation.name != "GetBucketLocation" {
            return Ok(());
        }
        let seen = LOCATION.with(|l| l.borrow_mut().take());
        let Some(out) = output.as_map_mut() else {
            return Ok(());
        };
        let parsed = match out.get("LocationConstraint") {
            Some(Value::String(s)) if !s.is_empty() => return Ok(()), // the parser handled it
            _ => seen.flatten(),
        };
        out.insert(
            "LocationConstraint",
            parsed.map(Value::from).unwrap_or(Value::Null),
        );
        Ok(())
    }
}

/// The root element's text, entity-decoded; `None` when empty.
pub(crate) fn location_constraint(body: &[u8]) -> Option<String> {
    let doc = std::str::from_utf8(body).ok()?;
    let (start, rest) = root_start_tag(doc)?;
    if start.ends_with('/') {
        return None;
    }
    let text = &rest[..rest.find('<').unwrap_or(rest.len())];
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    (!text.is_empty()).then_some(text)
}

/// `s3.expires`: botocore `handle_expires_header`.
///
/// S3 returns whatever `Expires` the uploader set, often not a date. botocore
/// exposes the raw value as `ExpiresString` and drops `Expires` when it does
/// not parse as a timestamp.
#[derive(Debug, Default)]
pub struct ExpiresString;

impl Interceptor for ExpiresString {
    fn name(&self) -> &'static str {
        "s3.expires"
    }

    fn modify_after_parse(
        &self,
        call: &CallInfo<'_>,
        _params: &Value,
        output: &mut Value,
    ) -> Result<(), Error> {
        let model = call.model;
        let has_expires = call
            .operation
            .output
            .as_ref()
            .and_then(|o| model.shape(o.target).as_structure())
            .and_then(|s| s.member("Expires"))
            .is_some_and(|m| model.location_name(m) == Some("Expires"));
        if !has_expires {
            return Ok(());
        }
        let raw = match output.get("ResponseMetadata").get("HTTPHeaders") {
            Value::Map(h) => h
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("expires"))
                .and_then(|(_, v)| v.as_str()),
            _ => None,
        }
        .map(str::to_owned);
        let (Some(raw), Some(out)) = (raw, output.as_map_mut()) else {
            return Ok(());
        };
        out.insert("ExpiresString", Value::String(raw.into()));
        if out
            .get("Expires")
            .is_some_and(|v| !matches!(v, Value::Timestamp(_)))
        {
            out.shift_remove("Expires");
        }
        Ok(())
    }
}
