//! The one module that talks to AWS: sessions, clients, calls, pagination,
//! waiters, `--print-request`, and mapping failures to aws-cli exit codes.
//!
//! A current-thread tokio runtime is started only here, so help, completion
//! and parameter errors stay in the low milliseconds.

use crate::args::{Globals, OpArgs};
use crate::build::{self, Built};
use crate::cmdtable::{self, OpSpec};
use crate::driver::{output_format, print, print_result};
use crate::error::{code, CliError};
use boto::{ClientOptions, ErrorKind, Session, Value};
use boto_model::ServiceModel;
use std::sync::Arc;
use std::time::Duration;

mod event_stream;

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::other(format!("cannot start the async runtime: {e}")))
}

/// Maps a boto-rs error to aws-cli's message and exit code.
///
/// `Display` of a [`boto::Error`] is its own message only; the causes are
/// its `source()` chain, printed here once each ([`boto::Error::report`]).
pub fn map_error(e: &boto::Error) -> CliError {
    let msg = e.report();
    match e.kind() {
        ErrorKind::Service => CliError::service(msg),
        // Display carries botocore's "Parameter validation failed:" heading once.
        ErrorKind::Validation => CliError::param(msg),
        ErrorKind::Credentials => CliError::config(format!(
            "{}. You can configure credentials by running \"boto configure\".",
            e.message().trim_end_matches('.')
        )),
        // botocore's InvalidRegionError and "Invalid endpoint" read as aws-cli prints them.
        ErrorKind::Construction
            if e.message().starts_with("Provided region_name")
                || e.message().starts_with("Invalid endpoint") =>
        {
            CliError::config(e.message())
        }
        ErrorKind::Endpoint | ErrorKind::Construction
            if msg.to_ascii_lowercase().contains("region") =>
        {
            CliError::config(format!(
                "{}. You can also configure your region by running \"boto configure\".",
                e.message().trim_end_matches('.')
            ))
        }
        ErrorKind::Construction => CliError::config(msg),
        ErrorKind::Dispatch | ErrorKind::Timeout => match connection_message(e) {
            Some(m) => CliError::other(m),
            None => CliError::other(msg),
        },
        _ => CliError::other(msg),
    }
}

/// botocore's connection exceptions as aws-cli prints them
/// (`EndpointConnectionError`, `ConnectTimeoutError`, `ReadTimeoutError`,
/// `ConnectionClosedError`), naming the request URL. Proxy and TLS failures
/// keep boto-rs's own report, which says which proxy or certificate.
fn connection_message(e: &boto::Error) -> Option<String> {
    let url = e.request_url()?;
    let lower = e.message().to_ascii_lowercase();
    if lower.contains("proxy") || lower.contains("certificate") || lower.contains("tls") {
        return None;
    }
    Some(match (e.kind(), e.is_connect()) {
        (ErrorKind::Timeout, true) => format!("Connect timeout on endpoint URL: \"{url}\""),
        (ErrorKind::Timeout, false) => format!("Read timeout on endpoint URL: \"{url}\""),
        (_, true) => format!("Could not connect to the endpoint URL: \"{url}\""),
        (_, false) => format!(
            "Connection was closed before we received a valid response from endpoint URL: \"{url}\"."
        ),
    })
}

fn parse_secs(name: &str, v: &Option<String>) -> Result<Option<Duration>, CliError> {
    match v {
        None => Ok(None),
        Some(s) => match s.trim().parse::<f64>() {
            // 0 means "no timeout" in aws-cli; a day stands in for it.
            Ok(f) if f >= 0.0 => {
                let secs = if f == 0.0 { 86400.0 } else { f };
                Duration::try_from_secs_f64(secs).map(Some).map_err(|_| {
                    CliError::usage(format!("argument --{name}: invalid value: '{s}'"))
                })
            }
            _ => Err(CliError::usage(format!(
                "argument --{name}: invalid int value: '{s}'"
            ))),
        },
    }
}

fn parse_count(name: &str, v: &Option<String>) -> Result<Option<u64>, CliError> {
    match v {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse::<i64>()
            .map(|n| Some(n.max(0) as u64))
            .map_err(|_| CliError::usage(format!("argument --{name}: invalid int value: '{s}'"))),
    }
}

struct Ctx {
    session: Session,
    client: boto::Client,
    format: crate::output::Format,
}

fn connect(g: &Globals, service: &str) -> Result<Ctx, CliError> {
    if g.debug {
        crate::debuglog::install();
    }
    let session = Session::builder()
        .profile_opt(g.profile.clone())
        .region_opt(g.region.clone())
        .build()
        .map_err(|e| CliError::config(e.report()))?;
    let format = output_format(g, session.profile_setting("output"))?;
    let opts = ClientOptions {
        endpoint_url: g.endpoint_url.clone(),
        verify_tls: g.no_verify_ssl.then_some(false),
        ca_bundle: g.ca_bundle.clone(),
        connect_timeout: parse_secs("cli-connect-timeout", &g.connect_timeout)?,
        read_timeout: parse_secs("cli-read-timeout", &g.read_timeout)?,
        sign_requests: g.no_sign_request.then_some(false),
        ..Default::default()
    };
    let client = session
        .client_with(service, &opts)
        .map_err(|e| map_error(&e))?;
    if g.debug {
        crate::debuglog::session(&session, &client);
    }
    Ok(Ctx {
        session,
        client,
        format,
    })
}

/// `--no-verify-ssl`: the warning aws-cli prints (urllib3's
/// InsecureRequestWarning), naming the host that will not be verified.
fn warn_unverified(client: &boto::Client, op: &str, params: &Value) {
    let Ok(ep) = client.resolve_endpoint(op, params.clone()) else {
        return;
    };
    let Some(rest) = ep.url.strip_prefix("https://") else {
        return;
    };
    let host = rest.split(['/', '?']).next().unwrap_or(rest);
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    eprintln!(
        "InsecureRequestWarning: Unverified HTTPS request is being made to host '{host}'. \
         Adding certificate verification is strongly advised. \
         See: https://urllib3.readthedocs.io/en/1.26.x/advanced-usage.html#ssl-warnings"
    );
}

/// Headers and query parameters whose values must never be printed.
fn redact_header(name: &str, value: &str) -> String {
    let n = name.to_ascii_lowercase();
    if n == "authorization"
        || n == "x-amz-security-token"
        || n == "x-amz-s3session-token"
        || n.contains("secret")
    {
        "<redacted>".into()
    } else {
        value.to_string()
    }
}

fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _))
                if [
                    "x-amz-signature",
                    "x-amz-credential",
                    "x-amz-security-token",
                    "x-amz-s3session-token",
                    "signature",
                    "awsaccesskeyid",
                ]
                .contains(&k.to_ascii_lowercase().as_str()) =>
            {
                format!("{k}=<redacted>")
            }
            _ => p.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

fn debug(g: &Globals, msg: impl FnOnce() -> String) {
    if g.debug {
        eprintln!(
            "{} - boto - DEBUG - {}",
            boto::Timestamp::now().to_iso8601(),
            msg()
        );
    }
}

/// Runs `fut` to completion on a fresh current-thread runtime; Ctrl-C ends it
/// with aws-cli's exit code 130.
fn block_on<F: std::future::Future<Output = Result<i32, CliError>>>(
    fut: F,
) -> Result<i32, CliError> {
    runtime()?.block_on(async {
        tokio::select! {
            r = fut => r,
            _ = tokio::signal::ctrl_c() => {
                print("\n");
                Err(CliError { code: code::INTERRUPT, message: String::new(), usage: false })
            }
        }
    })
}

/// Runs one operation and prints its result.
pub fn execute(
    g: &Globals,
    spec: &OpSpec,
    built: Built,
    op_args: &OpArgs,
) -> Result<i32, CliError> {
    block_on(execute_async(g, spec, built, op_args))
}

async fn execute_async(
    g: &Globals,
    spec: &OpSpec,
    built: Built,
    op_args: &OpArgs,
) -> Result<i32, CliError> {
    let op = spec.op().name.to_string();
    let ctx = connect(g, &spec.model.service_name)?;
    if g.no_verify_ssl {
        warn_unverified(&ctx.client, &op, &built.params);
    }
    debug(g, || {
        let params = crate::output::json::to_string(&redacted_params(spec, &built.params), None);
        let (svc, cli_op, model) = (&spec.service_cli, &spec.cli_op, &spec.model.service_name);
        format!("Calling {svc} {cli_op} ({model}.{op}) with params {params}")
    });
    if g.print_request || g.debug {
        // A streamed body (`--body FILE`) is sent from the file later; the
        // printed request carries its bytes so the body, Content-Length and
        // checksum headers are the ones that would be sent. (Debug logs show
        // only sizes, so they do not read the file into memory.)
        let mut params = built.params.clone();
        if let (true, Some((member, path)), Some(m)) =
            (g.print_request, &built.body_file, params.as_map_mut())
        {
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::param(format!("Error reading {path}: {e}")))?;
            m.insert(member.as_str(), Value::Blob(bytes));
        }
        let req = ctx
            .client
            .prepare(&op, params)
            .await
            .map_err(|e| map_error(&e))?;
        if g.print_request {
            print(&format!("{}\n", request_json(&req, false)));
            return Ok(code::OK);
        }
        debug(g, || format!("Request: {}", request_json(&req, true)));
    }
    let _ = &ctx.session;
    let body = match &built.body_file {
        Some((_, path)) => {
            let len = std::fs::metadata(path)
                .map_err(|e| CliError::param(format!("Error reading {path}: {e}")))?
                .len();
            Some(boto::RequestBody::File {
                path: path.into(),
                offset: 0,
                len,
            })
        }
        None => None,
    };
    if body.is_none() && event_stream::has_event_stream(&spec.model, spec.op()) {
        let outfile = op_args.outfile.as_deref();
        return event_stream::run(g, &ctx.client, ctx.format, &op, built.params, outfile).await;
    }
    if let Some(outfile) = &op_args.outfile {
        // Complete or absent, never partial (S3 GetObject resumes truncated bodies).
        let service = &spec.model.service_name;
        let mut value = crate::s3::outfile::call_to_file(
            &ctx.client,
            service,
            &op,
            built.params,
            body,
            outfile,
        )
        .await?;
        if let (Some(m), Some(member)) = (value.as_map_mut(), &spec.outfile) {
            m.shift_remove(member);
        }
        print_result(g, ctx.format, &op, &value)?;
        return Ok(code::OK);
    }
    if body.is_some() {
        let out = ctx
            .client
            .call_stream(&op, built.params, body)
            .await
            .map_err(|e| map_error(&e))?;
        print_result(g, ctx.format, &op, &out.value)?;
        return Ok(code::OK);
    }
    let user_paging = spec
        .paging_inputs()
        .iter()
        .any(|k| !built.params.get(k).is_null());
    let max_items = parse_count("max-items", &op_args.max_items)?;
    let page_size = parse_count("page-size", &op_args.page_size)?;
    let value = if spec.paginator.is_some() && !g.no_paginate && !user_paging {
        let mut p = ctx
            .client
            .paginate(&op, built.params)
            .map_err(|e| map_error(&e))?;
        if let Some(n) = max_items {
            p = p.max_items(n);
        }
        if let Some(n) = page_size {
            p = p.page_size(n);
        }
        if let Some(t) = &op_args.starting_token {
            p = p.starting_token(t.clone());
        }
        if ctx.format == crate::output::Format::Text {
            return text_pages(g, p).await;
        }
        p.build_full_result().await.map_err(|e| map_error(&e))?
    } else {
        ctx.client
            .call(&op, built.params)
            .await
            .map_err(|e| map_error(&e))?
    };
    debug(g, || "Response received".to_string());
    print_result(g, ctx.format, &op, &value)?;
    Ok(code::OK)
}

/// aws-cli's paginated `text` output: one block per page (the first carrying
/// the non-aggregate keys), `--query` applied per page, then `NEXTTOKEN` when
/// `--max-items` stopped early.
async fn text_pages(g: &Globals, mut p: boto::Paginator) -> Result<i32, CliError> {
    use boto_jmespath::Variable;
    let keys: Vec<String> = p.spec().result_keys().map(str::to_owned).collect();
    let query = crate::driver::compile_query(g)?;
    let mut first = true;
    while let Some(page) = p.next_page().await {
        let page = crate::output::to_display(&page.map_err(|e| map_error(&e))?);
        let mut current = if first {
            crate::output::to_display(&p.non_aggregate_part())
        } else {
            Variable::Object(Default::default())
        };
        first = false;
        for k in &keys {
            let data = boto_jmespath::search(k, &page).unwrap_or(Variable::Null);
            set_path(&mut current, k, data);
        }
        let out = crate::output::apply_query(query.as_ref(), current).map_err(CliError::param)?;
        print(&crate::output::text::format(&out));
    }
    if let Some(t) = p.resume_token() {
        let mut inner = boto_jmespath::Map::new();
        inner.insert("NextToken".into(), Variable::String(t.to_string()));
        let mut outer = boto_jmespath::Map::new();
        outer.insert("NextToken".into(), Variable::Object(inner));
        // aws-cli applies --query to this block too (`--query NextToken` prints
        // the bare token; `--query Contents[].Key` prints `None`).
        let out = crate::output::apply_query(query.as_ref(), Variable::Object(outer))
            .map_err(CliError::param)?;
        print(&crate::output::text::format(&out));
    }
    Ok(code::OK)
}

/// botocore's `set_value_from_jmespath` for dotted paths.
fn set_path(target: &mut boto_jmespath::Variable, path: &str, value: boto_jmespath::Variable) {
    use boto_jmespath::Variable;
    let mut cur = target;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let Variable::Object(m) = cur else { return };
        if i + 1 == parts.len() {
            m.insert(part.to_string(), value);
            return;
        }
        cur = m
            .entry(part.to_string())
            .or_insert_with(|| Variable::Object(Default::default()));
    }
}

/// Parameters for debug logs with sensitive members masked.
fn redacted_params(spec: &OpSpec, params: &Value) -> boto_jmespath::Variable {
    let mut v = params.clone();
    if let (Some(r), Some(m)) = (spec.input_ref(), v.as_map_mut()) {
        if let Some(st) = spec.model.shape(r.target).as_structure() {
            for member in &st.members {
                if spec.model.shape(member.target).sensitive {
                    if let Some(slot) = m.get_mut(&member.name) {
                        *slot = Value::String("*** sensitive ***".into());
                    }
                }
            }
        }
    }
    crate::output::to_display(&v)
}

/// `--print-request` / debug rendering of a signed request.
fn request_json(req: &boto::core::runtime::http::HttpRequest, redact: bool) -> String {
    use base64::Engine;
    use boto_jmespath::{Map, Variable};
    let mut headers = Map::new();
    for (k, v) in &req.headers {
        let v = if redact {
            redact_header(k, v)
        } else {
            v.clone()
        };
        headers.insert(k.clone(), Variable::String(v));
    }
    let mut m = Map::new();
    m.insert("method".into(), Variable::String(req.method.clone()));
    m.insert(
        "url".into(),
        Variable::String(if redact {
            redact_url(&req.url)
        } else {
            req.url.clone()
        }),
    );
    m.insert("headers".into(), Variable::Object(headers));
    let body = match req.body.bytes() {
        // Debug logs show the size only: bodies can carry secrets (passwords, secret strings).
        Some(b) if redact => Variable::String(format!("<{} bytes>", b.len())),
        Some(b) => Variable::String(base64::engine::general_purpose::STANDARD.encode(b)),
        None => Variable::Null,
    };
    m.insert(if redact { "body" } else { "body_base64" }.into(), body);
    crate::output::json::to_string(&Variable::Object(m), if redact { None } else { Some(4) })
}

/// `boto <service> wait <waiter-name> [args]`.
pub fn wait_command(
    g: &Globals,
    service_cli: &str,
    model: Arc<ServiceModel>,
    words: &[String],
) -> Result<i32, CliError> {
    let waiters = cmdtable::waiters(&model.service_name);
    let Some(name) = words.first() else {
        return Err(CliError::usage(
            "the following arguments are required: waiter",
        ));
    };
    if name == "help" {
        crate::help::show(&crate::help::wait_help(
            service_cli,
            &model.service_name,
            &waiters,
        ));
        return Ok(code::OK);
    }
    let Some((_, model_waiter)) = waiters.iter().find(|(k, _)| k == name) else {
        let choices: Vec<String> = waiters.iter().map(|(k, _)| k.clone()).collect();
        return Err(crate::driver::invalid_choice("waiter", name, &choices));
    };
    let Ok(Some(doc)) =
        boto_model::Loader::global().json(&model.service_name, boto_model::ModelFile::Waiters)
    else {
        return Err(CliError::other("waiter model not found"));
    };
    let op_name = doc
        .get("waiters")
        .and_then(|w| w.get(model_waiter))
        .and_then(|w| w.get("operation"))
        .and_then(|o| o.as_str())
        .unwrap_or_default()
        .to_string();
    let Some(idx) = model.operations().iter().position(|o| *o.name == op_name) else {
        return Err(CliError::other(format!(
            "waiter {name} refers to unknown operation {op_name}"
        )));
    };
    let spec = cmdtable::op_spec(service_cli, model.clone(), idx);
    let rest = &words[1..];
    if rest.first().is_some_and(|w| w == "help") {
        crate::help::show(&crate::help::operation_help(&spec));
        return Ok(code::OK);
    }
    let op_args = crate::args::parse_op_args(&spec, rest)?;
    if op_args.skeleton.is_some() {
        let v = spec
            .input_ref()
            .map(|r| build::skeleton(&spec.model, r.target, false))
            .unwrap_or_default();
        print(&format!(
            "{}\n",
            crate::output::json::to_string(&crate::output::to_display(&v), Some(4))
        ));
        return Ok(code::OK);
    }
    let built = build::build(&spec, &op_args, crate::driver::binary_format(g))?;
    block_on(async {
        let ctx = connect(g, &model.service_name)?;
        if g.no_verify_ssl {
            warn_unverified(&ctx.client, &op_name, &built.params);
        }
        let waiter = ctx.client.waiter(model_waiter).map_err(|e| map_error(&e))?;
        match waiter.wait(built.params, Default::default()).await {
            Ok(_) => Ok(code::OK),
            Err(e) if e.kind() == ErrorKind::Waiter => {
                Err(CliError::other(e.message().to_string()))
            }
            Err(e) => Err(map_error(&e)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_secrets() {
        assert_eq!(
            redact_header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA..."),
            "<redacted>"
        );
        assert_eq!(redact_header("X-Amz-Security-Token", "tok"), "<redacted>");
        assert_eq!(redact_header("x-amz-s3session-token", "tok"), "<redacted>");
        assert_eq!(redact_header("Host", "h"), "h");
        assert_eq!(
            redact_url("https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F&X-Amz-Signature=abc&x=1"),
            "https://b.s3.amazonaws.com/k?X-Amz-Credential=<redacted>&X-Amz-Signature=<redacted>&x=1"
        );
    }

    #[test]
    fn set_path_builds_nested_objects() {
        use boto_jmespath::Variable;
        let mut v = Variable::Object(Default::default());
        set_path(&mut v, "A.B", Variable::Bool(true));
        set_path(&mut v, "C", Variable::Null);
        assert_eq!(
            crate::output::json::to_string(&v, None),
            r#"{"A": {"B": true}, "C": null}"#
        );
        let mut scalar = Variable::Bool(false);
        set_path(&mut scalar, "X", Variable::Null);
        assert_eq!(scalar, Variable::Bool(false));
    }

    #[test]
    fn timeouts_and_counts_parse() {
        assert_eq!(
            parse_secs("t", &Some("5".into())).unwrap(),
            Some(Duration::from_secs(5))
        );
        assert!(parse_secs("t", &Some("x".into())).is_err());
        assert!(parse_secs("t", &Some("1e300".into())).is_err());
        assert!(parse_secs("t", &Some("inf".into())).is_err());
        assert_eq!(
            parse_count("max-items", &Some("10".into())).unwrap(),
            Some(10)
        );
        assert_eq!(
            parse_count("max-items", &Some("x".into()))
                .unwrap_err()
                .code,
            252
        );
    }
}
