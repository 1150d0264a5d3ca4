//! What a successful or failed attempt's response becomes: botocore's
//! `_make_api_call` after `_make_request` (parse the body or the modeled
//! error, `ResponseMetadata.RetryAttempts`, `after-call` hooks), or the
//! answer an interceptor gave without sending (the Stubber).

use super::{streams_output, Output, Prepared};
use crate::client::ClientInner;
use crate::error::Error;
use crate::http::{ByteStream, HttpRequest, HttpResponse};
use crate::interceptor::{CallInfo, ResponseContext};
use boto_model::Value;
use boto_protocols::Response;
use tracing::{debug, trace};

/// The output of a call an interceptor answered without sending it
/// (`Interceptor::respond_before_send`).
pub(super) fn answered_output(
    c: &ClientInner,
    call: &CallInfo<'_>,
    p: &Prepared<'_>,
    answer: Result<Value, Error>,
    stream: bool,
) -> Result<Output, Error> {
    let mut value = answer.map_err(|e| e.with_operation(&p.op.name))?;
    let mut body = None;
    if stream {
        let member = p.op.streaming_output(&c.model).map(|m| m.name.to_string());
        let payload = member.and_then(|m| value.as_map_mut()?.shift_remove(&m));
        body = Some(ByteStream::from_bytes(match payload {
            Some(Value::Blob(b)) => b,
            Some(Value::String(s)) => s.into_bytes(),
            _ => Vec::new(),
        }));
    }
    for i in &c.interceptors {
        i.modify_after_parse(call, &p.params, &mut value)
            .map_err(|e| e.with_operation(&p.op.name))?;
    }
    Ok(Output { value, body })
}

pub(super) async fn handle_response(
    c: &ClientInner,
    call: &CallInfo<'_>,
    p: &Prepared<'_>,
    request: &HttpRequest,
    resp: HttpResponse,
    stream: bool,
    attempt: u32,
) -> Result<Output, Error> {
    let HttpResponse {
        status,
        headers,
        body,
    } = resp;
    let request_id = headers
        .iter()
        .find(|(k, _)| {
            k.eq_ignore_ascii_case("x-amzn-requestid") || k.eq_ignore_ascii_case("x-amz-request-id")
        })
        .map(|(_, v)| v.as_str());
    debug!(status, request_id, "response");
    let success = (200..300).contains(&status);
    // Only a rejected request can need clock-skew correction, so only error
    // responses pay for remembering the server's Date.
    if !success {
        if let Some(date) = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("date")) {
            c.record_server_date(&date.1);
        }
    }
    // A streamed output's checksum is checked as the body is read, whether
    // the caller streams it or it is collected below (`Client::call`).
    let validator = if success && streams_output(c, p.op) {
        crate::customizations::checksums::StreamValidator::for_response(
            call,
            &request.headers,
            &headers,
        )
    } else {
        None
    };
    let body = match validator {
        Some(v) => body.with_observer(Box::new(v)),
        None => body,
    };
    if success && stream {
        let ctx = ResponseContext {
            status,
            headers: &headers,
            body: &[],
            request,
        };
        for i in &c.interceptors {
            i.read_after_response(call, &ctx)?;
        }
        let mut value = boto_protocols::parse_response_owned(&c.model, p.op, status, headers, &[])?;
        finish_value(c, call, p, &mut value, attempt)?;
        return Ok(Output {
            value,
            body: Some(body),
        });
    }
    let bytes = body.collect().await?;
    trace!(status, headers = ?headers, body_len = bytes.len(), "received");
    let ctx = ResponseContext {
        status,
        headers: &headers,
        body: &bytes,
        request,
    };
    for i in &c.interceptors {
        i.read_after_response(call, &ctx)?;
    }
    if !success {
        let r = Response {
            status,
            headers: &headers,
            body: &bytes,
        };
        let se = boto_protocols::parse_error(&c.model, p.op, &r);
        return Err(Error::service(se));
    }
    // Nothing reads the headers after this: they move into the output.
    let mut value = boto_protocols::parse_response_owned(&c.model, p.op, status, headers, &bytes)?;
    finish_value(c, call, p, &mut value, attempt)?;
    Ok(Output { value, body: None })
}

fn finish_value(
    c: &ClientInner,
    call: &CallInfo<'_>,
    p: &Prepared<'_>,
    value: &mut Value,
    attempt: u32,
) -> Result<(), Error> {
    if let Some(meta) = value
        .as_map_mut()
        .and_then(|m| m.get_mut("ResponseMetadata"))
        .and_then(Value::as_map_mut)
    {
        meta.insert("RetryAttempts", Value::Integer(i64::from(attempt - 1)));
    }
    for i in &c.interceptors {
        i.modify_after_parse(call, &p.params, value)?;
    }
    Ok(())
}
