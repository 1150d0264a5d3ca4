//! Every response and error parser, over real operations of 55 services that cover
//! all six protocols (query, ec2, json, rest-json, rest-xml, smithy-rpc-v2-cbor).
//!
//! Input: byte 0 picks the service, bytes 1–2 the operation, byte 3 holds flags
//! (bits 0–2 the HTTP status, bit 3 the model's alternative protocol when it lists
//! several, bit 4 a header block follows); then, with bit 4, `name: value` header lines
//! up to a blank line; the rest is the body. Both `parse_response_as` and
//! `parse_error_as` run on every input. Checked: no panic, no hang, and the error
//! parser always reports the HTTP status it was given (it must never fail).
//!
//! Seeds (`BOTO_FUZZ_SEEDS`): a skeleton success body with its header-bound members
//! for up to 12 operations of each service, and modeled error bodies.

#![no_main]

use boto_fuzz::seeds::{write_if_requested, Seeds};
use boto_fuzz::skeleton::{self, header_members, node, to_cbor, to_json, wire_name};
use boto_fuzz::{parse_header_block, split_headers, Cursor};
use boto_model::{Loader, MemberRef, Operation, ServiceModel, ShapeKind};
use boto_protocols::de::{parse_error_as, parse_response_as, Protocol};
use boto_protocols::Response;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, Mutex, OnceLock};

const SERVICES: &[&str] = &[
    // rest-xml (all of them) and ec2
    "s3",
    "s3control",
    "cloudfront",
    "route53",
    "ec2",
    // query
    "sts",
    "iam",
    "sns",
    "rds",
    "cloudformation",
    "elbv2",
    "autoscaling",
    "elasticache",
    "ses",
    "sdb",
    "redshift",
    "cloudsearch",
    // smithy-rpc-v2-cbor (most also list json; cloudwatch also query)
    "cloudwatch",
    "gamelift",
    "appstream",
    "mailmanager",
    "snowball",
    "compute-optimizer",
    "arc-region-switch",
    "backup-gateway",
    // json (sqs is query-compatible)
    "dynamodb",
    "sqs",
    "kinesis",
    "logs",
    "ssm",
    "secretsmanager",
    "kms",
    "ecs",
    "glue",
    "athena",
    "cloudtrail",
    "acm",
    "events",
    // rest-json
    "lambda",
    "apigateway",
    "glacier",
    "bedrock-runtime",
    "bedrock-agent-runtime",
    "iot",
    "efs",
    "eks",
    "appsync",
    "mediaconvert",
    "lexv2-runtime",
    "s3outposts",
    "sesv2",
    "batch",
    "kafka",
    "polly",
    "iot-data",
];

const STATUS: [u16; 8] = [200, 201, 204, 206, 400, 404, 500, 503];

/// Models are loaded on first use and kept (the loader caches them too).
fn model(i: usize) -> Arc<ServiceModel> {
    static CACHE: OnceLock<Mutex<Vec<Option<Arc<ServiceModel>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(vec![None; SERVICES.len()]));
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    c[i].get_or_insert_with(|| {
        Loader::global()
            .service_model(SERVICES[i])
            .unwrap_or_else(|e| panic!("embedded model {}: {e}", SERVICES[i]))
    })
    .clone()
}

fn protocol(model: &ServiceModel, alternative: bool) -> Protocol {
    let primary = Protocol::from_name(&model.metadata.protocol).expect("known protocol");
    if !alternative {
        return primary;
    }
    model
        .metadata
        .protocols
        .iter()
        .filter_map(|p| Protocol::from_name(p))
        .find(|p| *p != primary)
        .unwrap_or(primary)
}

fuzz_target!(init: write_if_requested(collect_seeds), |data: &[u8]| {
    let mut c = Cursor::new(data);
    let i = c.u8() as usize % SERVICES.len();
    let op_index = c.u16() as usize;
    let flags = c.u8();
    let model = model(i);
    let ops = model.operations();
    let op = &ops[op_index % ops.len()];
    let status = STATUS[(flags & 7) as usize];
    let rest = c.rest();
    let (headers, body) = if flags & 0x10 != 0 {
        let (h, b) = split_headers(rest);
        (parse_header_block(h), b)
    } else {
        (Vec::new(), rest)
    };
    let resp = Response {
        status,
        headers: &headers,
        body,
    };
    let p = protocol(&model, flags & 8 != 0);
    let _ = parse_response_as(p, &model, op, &resp);
    let err = parse_error_as(p, &model, op, &resp);
    assert_eq!(err.status, status);
});

fn collect_seeds(s: &mut Seeds) {
    for w in [
        "__type",
        "message",
        "Message",
        "Code",
        "<Error>",
        "</Error>",
        "<Errors>",
        "RequestId",
        "<ErrorResponse>",
        "x-amzn-errortype: ",
        "x-amzn-query-error: ",
        "x-amzn-requestid: ",
        "x-amz-request-id: ",
        "content-type: ",
        "smithy-protocol: rpc-v2-cbor",
        "application/json",
        "<?xml version=\"1.0\"?>",
        "<![CDATA[",
        "]]>",
        "&amp;",
        "&#x41;",
        "&#65;",
        "<!DOCTYPE",
        "xmlns=\"",
        "NaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "\\u0000",
        "\\ud800",
    ] {
        s.word(w);
    }
    for (i, svc) in SERVICES.iter().enumerate() {
        let model = model(i);
        let ops = model.operations();
        let step = (ops.len() / 12).max(1);
        for (k, op) in ops.iter().enumerate().step_by(step).take(12) {
            for alt in [false, true] {
                let p = protocol(&model, alt);
                if alt && p == protocol(&model, false) {
                    continue;
                }
                if let Some((headers, body)) = success(&model, op, p) {
                    s.add(input(i, k, alt, 0, &headers, &body));
                }
                if let Some(&e) = op.errors.first() {
                    let (headers, body) = error(&model, op, p, e);
                    s.add(input(i, k, alt, 4, &headers, &body));
                }
            }
        }
        for m in model.shapes().filter_map(|(_, sh)| sh.as_structure()) {
            for r in &m.members {
                if skeleton::located(r) {
                    s.word(wire_name(&model, r));
                }
            }
        }
        s.word(svc);
    }
}

fn input(
    svc: usize,
    op: usize,
    alt: bool,
    status: u8,
    h: &[(String, String)],
    body: &[u8],
) -> Vec<u8> {
    let mut v = vec![svc as u8];
    v.extend((op as u16).to_be_bytes());
    v.push(status | if alt { 8 } else { 0 } | 0x10);
    for (k, val) in h {
        v.extend(format!("{k}: {val}\n").as_bytes());
    }
    v.extend(b"\n");
    v.extend(body);
    v
}

type Seed = (Vec<(String, String)>, Vec<u8>);

fn success(model: &ServiceModel, op: &Operation, p: Protocol) -> Option<Seed> {
    let mut headers = vec![("x-amzn-requestid".to_string(), "req-1".to_string())];
    let Some(out) = &op.output else {
        return Some((headers, Vec::new()));
    };
    let st = model.shape(out.target).as_structure()?;
    if st
        .members
        .iter()
        .any(|m| matches!(&model.shape(m.target).kind, ShapeKind::Structure(t) if t.eventstream))
    {
        return None; // the eventstream target covers these
    }
    let body = match p {
        Protocol::Json | Protocol::RestJson | Protocol::Cbor => {
            let payload = st.payload.as_deref().and_then(|n| st.member(n));
            if matches!(p, Protocol::RestJson) {
                headers.extend(header_members(model, out));
            }
            match payload {
                Some(m) if !matches!(model.shape(m.target).kind, ShapeKind::Structure(_)) => {
                    b"raw payload".to_vec()
                }
                Some(m) => render(p, &node(model, m, 0)),
                None => render(p, &node(model, out, 0)),
            }
        }
        Protocol::Query | Protocol::Ec2 => {
            let op_name = &op.name;
            let mut x = format!("<{op_name}Response xmlns=\"https://example.com/doc/\">");
            let wrapper = out.traits.result_wrapper.as_deref();
            match (p, wrapper) {
                (Protocol::Query, Some(w)) => skeleton::xml(model, w, out, 0, &mut x),
                _ => {
                    let mut inner = String::new();
                    skeleton::xml(model, "X", out, 0, &mut inner);
                    x.push_str(inner.trim_start_matches("<X>").trim_end_matches("</X>"));
                }
            }
            if p == Protocol::Query {
                x.push_str("<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>");
            } else {
                x.push_str("<requestId>req-1</requestId>");
            }
            x.push_str(&format!("</{op_name}Response>"));
            x.into_bytes()
        }
        Protocol::RestXml => {
            headers.extend(header_members(model, out));
            let payload = st.payload.as_deref().and_then(|n| st.member(n));
            let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            match payload {
                Some(m) if !matches!(model.shape(m.target).kind, ShapeKind::Structure(_)) => {
                    return Some((headers, b"raw payload".to_vec()));
                }
                Some(m) => skeleton::xml(model, wire_name(model, m), m, 0, &mut x),
                None => {
                    let root = model
                        .location_name(out)
                        .unwrap_or(&model.shape(out.target).name);
                    skeleton::xml(model, root, out, 0, &mut x)
                }
            }
            x.into_bytes()
        }
    };
    Some((headers, body))
}

fn render(p: Protocol, n: &skeleton::Node) -> Vec<u8> {
    if p == Protocol::Cbor {
        let mut v = Vec::new();
        to_cbor(n, &mut v);
        v
    } else {
        to_json(n).to_string().into_bytes()
    }
}

fn error(model: &ServiceModel, _op: &Operation, p: Protocol, e: boto_model::ShapeId) -> Seed {
    let shape = model.shape(e);
    let code = shape
        .as_structure()
        .and_then(|s| s.error.as_ref())
        .and_then(|t| t.code.clone())
        .unwrap_or_else(|| shape.name.to_string());
    let r = MemberRef {
        name: (*shape.name).into(),
        target: e,
        traits: Default::default(),
    };
    let mut headers = vec![("x-amzn-requestid".to_string(), "req-1".to_string())];
    let fields = match node(model, &r, 0) {
        skeleton::Node::Map(m) => m,
        _ => Vec::new(),
    };
    let body = match p {
        Protocol::Json | Protocol::Cbor | Protocol::RestJson => {
            let mut m = vec![
                (
                    "__type".to_string(),
                    skeleton::Node::Str(format!("com.amazonaws.svc#{code}")),
                ),
                ("message".to_string(), skeleton::Node::Str("boom".into())),
            ];
            m.extend(fields);
            if p == Protocol::RestJson {
                headers.push((
                    "x-amzn-errortype".into(),
                    format!("{code}:http://internal.amazon.com/"),
                ));
                headers.extend(header_members(model, &r));
            }
            if model.metadata.aws_query_compatible {
                headers.push(("x-amzn-query-error".into(), format!("{code};Sender")));
            }
            render(p, &skeleton::Node::Map(m))
        }
        Protocol::Query | Protocol::RestXml | Protocol::Ec2 => {
            let mut members = String::new();
            if let Some(s) = shape.as_structure() {
                for m in s.members.iter().filter(|m| !skeleton::located(m)) {
                    skeleton::xml(model, wire_name(model, m), m, 1, &mut members);
                }
            }
            let err = format!("<Error><Type>Sender</Type><Code>{code}</Code><Message>boom</Message>{members}</Error>");
            match (p, model.service_name.as_str()) {
                (Protocol::Ec2, _) => format!("<Response><Errors>{err}</Errors><RequestID>req-1</RequestID></Response>"),
                (Protocol::RestXml, "s3") => {
                    headers.extend(header_members(model, &r));
                    format!("<Error><Code>{code}</Code><Message>boom</Message>{members}<RequestId>req-1</RequestId></Error>")
                }
                _ => format!("<ErrorResponse>{err}<RequestId>req-1</RequestId></ErrorResponse>"),
            }
            .into_bytes()
        }
    };
    (headers, body)
}
