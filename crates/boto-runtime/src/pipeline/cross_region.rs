//! Presigned URLs that a call carries in its own parameters.
//!
//! EC2 `CopySnapshot` and the RDS family's cross-region copies send a URL,
//! presigned for the source region, of the same operation: botocore's
//! `inject_presigned_url_ec2` / `inject_presigned_url_rds` build it in a
//! `before-call` handler with `_get_cross_region_presigned_url` (a copy of
//! the serialized request, `GET`, no headers, the destination region's name in
//! the URL replaced by the source region's, `generate_presigned_url`).
//!
//! Here the customization asks ([`Interceptor::presign_request`]) and
//! receives the URL ([`Interceptor::modify_with_presigned_url`]); this module
//! does the asynchronous part between the two: it prepares the parameters for
//! the source region like any call (so the URL goes to that region's resolved
//! endpoint rather than a textual replacement) and presigns the result with
//! [`crate::auth::sign::presign_url`].
//!
//! [`Interceptor::presign_request`]: crate::interceptor::Interceptor::presign_request
//! [`Interceptor::modify_with_presigned_url`]: crate::interceptor::Interceptor::modify_with_presigned_url

use super::{identity_account_id, prepare_with, Prepared};
use crate::client::ClientInner;
use crate::error::{Error, ErrorKind};
use crate::http::RequestBody;
use crate::interceptor::{CallInfo, CallPlan, PresignRequest};
use boto_auth::sigv4::percent_encode;
use boto_model::Value;

/// Runs every interceptor's `presign_request` on `params` and gives each the
/// URL it asked for. Calls whose interceptors ask nothing cost one loop.
pub(crate) async fn inject_presigned_urls(
    c: &ClientInner,
    operation: &str,
    mut params: Value,
) -> Result<Value, Error> {
    let Some(op) = c.model.operation(operation) else {
        return Ok(params);
    };
    let call = CallInfo {
        model: &c.model,
        operation: op,
        config: &c.config,
        presigning: false,
    };
    for i in &c.interceptors {
        let Some(request) = i.presign_request(&call, &params) else {
            continue;
        };
        // Boxed: rare, and its state would otherwise sit in every call's.
        let url = Box::pin(presign(c, operation, request))
            .await
            .map_err(|e| e.with_operation(&op.name))?;
        i.modify_with_presigned_url(&call, &mut params, url)?;
    }
    Ok(params)
}

/// botocore's `_get_cross_region_presigned_url` + `generate_presigned_url`.
async fn presign(c: &ClientInner, operation: &str, r: PresignRequest) -> Result<String, Error> {
    let plan = CallPlan {
        region: Some(r.region),
        account_id: identity_account_id(c).await,
        ..Default::default()
    };
    let mut p = prepare_with(c, operation, r.params, None, &plan, true)?;
    if !matches!(p.body, RequestBody::Empty) && !form_into_query(&mut p)? {
        return Err(Error::new(
            ErrorKind::Construction,
            format!("cannot presign {operation}: its request body has no query form"),
        ));
    }
    let mut pairs: Vec<(String, String)> = [p.target.query()]
        .iter()
        .flat_map(|q| q.split('&'))
        .filter(|kv| !kv.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.to_string(), String::new()),
        })
        .collect();
    for (k, v) in &r.set_pairs {
        let (k, v) = (percent_encode(k), percent_encode(v));
        match pairs.iter_mut().find(|(name, _)| *name == k) {
            Some(pair) => pair.1 = v,
            None => pairs.push((k, v)),
        }
    }
    let query = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    p.target.set_query(&query);
    p.method = "GET".into();
    p.headers.clear();
    p.body = RequestBody::Empty;
    crate::auth::sign::presign_url(c, &p, r.expires_in).await
}

/// botocore's `SigV4QueryAuth._modify_request_before_signing`: a presigned
/// request has no body, so the parameters of a form body (query protocols:
/// `Action`, `Version`, ...) join the URL's query after its own, and the
/// form's `Content-Type` goes. Returns whether the body was a form (other
/// bodies are left alone).
pub(crate) fn form_into_query(p: &mut Prepared<'_>) -> Result<bool, Error> {
    let form = match &p.body {
        RequestBody::Bytes(b) if is_form(&p.headers) => String::from_utf8(b.to_vec())
            .map_err(|_| Error::new(ErrorKind::Construction, "the form body is not UTF-8"))?,
        _ => return Ok(false),
    };
    let mut query = p.target.query().to_string();
    if !form.is_empty() {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&form);
    }
    p.target.set_query(&query);
    p.body = RequestBody::Empty;
    p.headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
    Ok(true)
}

fn is_form(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("content-type") && v.starts_with("application/x-www-form-urlencoded")
    })
}

#[cfg(test)]
#[path = "cross_region_tests.rs"]
mod tests;
