//! The `application/vnd.amazon.eventstream` decoder and the event parsers behind it,
//! for every event-stream output in the embedded models (rest-json, json, rest-xml)
//! plus a small smithy-rpc-v2-cbor model (`data/cbor_eventstream_model.json`), since no
//! AWS model streams events over CBOR yet but the parser supports it.
//!
//! Input: byte 0 picks the operation; bit 0 of byte 1 picks the mode.
//! * raw: the rest is the body as is, so the prelude, lengths and CRCs are fuzzed;
//! * framed: the rest describes messages (message type, event type, typed headers,
//!   payload) that the target frames with correct lengths and CRCs, so the fuzzer
//!   reaches the event parsing instead of stopping at a checksum.
//!
//! Checked: no panic or hang; in framed mode, `decode_all` returns exactly the
//! messages that were framed (headers and payloads round-trip).

#![no_main]

use boto_fuzz::seeds::{write_if_requested, Seeds};
use boto_fuzz::skeleton::{self, node, to_cbor, to_json, wire_name};
use boto_fuzz::Cursor;
use boto_model::{Loader, MemberRef, ServiceModel, ShapeKind};
use boto_protocols::de::eventstream::{crc32, decode_all, HeaderValue};
use boto_protocols::de::{parse_response_as, Protocol};
use boto_protocols::Response;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

/// Services whose models have event-stream outputs.
const SERVICES: &[&str] = &[
    "s3",
    "kinesis",
    "logs",
    "lambda",
    "bedrock-runtime",
    "bedrock-agent-runtime",
    "bedrock-agentcore",
    "iotsitewise",
    "sagemaker-runtime",
    "lexv2-runtime",
    "qbusiness",
    "polly",
    "connecthealth",
    "devops-agent",
];

struct Subject {
    model: Arc<ServiceModel>,
    op: usize,
    protocol: Protocol,
    /// Event names of the stream union, and for each the member names of its structure.
    events: Vec<(String, Vec<String>)>,
}

fn subjects() -> &'static [Subject] {
    static S: OnceLock<Vec<Subject>> = OnceLock::new();
    S.get_or_init(|| {
        let mut models: Vec<Arc<ServiceModel>> = SERVICES
            .iter()
            .map(|s| Loader::global().service_model(s).expect("embedded model"))
            .collect();
        let cbor = include_str!("../data/cbor_eventstream_model.json");
        models.push(ServiceModel::from_slice("fuzz", cbor.as_bytes()).expect("cbor model"));
        let mut out = Vec::new();
        for model in models {
            let protocol = Protocol::from_name(&model.metadata.protocol).expect("protocol");
            for (op, o) in model.operations().iter().enumerate() {
                let Some(stream) = o.output.as_ref().and_then(|r| stream_member(&model, r)) else {
                    continue;
                };
                let events = model
                    .shape(stream.target)
                    .as_structure()
                    .map(|s| {
                        s.members
                            .iter()
                            .map(|e| {
                                let names = model
                                    .shape(e.target)
                                    .as_structure()
                                    .map(|es| {
                                        es.members.iter().map(|m| m.name.to_string()).collect()
                                    })
                                    .unwrap_or_default();
                                (e.name.to_string(), names)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(Subject {
                    model: model.clone(),
                    op,
                    protocol,
                    events,
                });
            }
        }
        assert!(
            out.len() > 20,
            "event-stream operations found: {}",
            out.len()
        );
        out
    })
}

fn stream_member<'m>(model: &'m ServiceModel, out: &MemberRef) -> Option<&'m MemberRef> {
    model
        .shape(out.target)
        .as_structure()?
        .members
        .iter()
        .find(|m| matches!(&model.shape(m.target).kind, ShapeKind::Structure(t) if t.eventstream))
}

fn rpc(p: Protocol) -> bool {
    matches!(p, Protocol::Json | Protocol::Cbor)
}

/// One message to frame: headers (name, type, value bytes) and payload.
struct Spec {
    headers: Vec<(String, u8, Vec<u8>)>,
    payload: Vec<u8>,
}

fn string_header(name: &str, value: &str) -> (String, u8, Vec<u8>) {
    (name.to_string(), 7, value.as_bytes().to_vec())
}

fn frame(messages: &[Spec]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in messages {
        let mut h = Vec::new();
        for (name, ty, v) in &m.headers {
            h.push(name.len() as u8);
            h.extend(name.as_bytes());
            h.push(*ty);
            if matches!(ty, 6 | 7) {
                h.extend((v.len() as u16).to_be_bytes());
            }
            h.extend(v);
        }
        let start = out.len();
        out.extend(((16 + h.len() + m.payload.len()) as u32).to_be_bytes());
        out.extend((h.len() as u32).to_be_bytes());
        out.extend(crc32(&out[start..]).to_be_bytes());
        out.extend(h);
        out.extend(&m.payload);
        out.extend(crc32(&out[start..]).to_be_bytes());
    }
    out
}

/// Reads message specs from the input (see the module doc).
fn specs(s: &Subject, c: &mut Cursor<'_>) -> Vec<Spec> {
    let mut out = Vec::new();
    while !c.is_empty() && out.len() < 16 {
        let kind = c.u8() % 5;
        let ev = c.u8() as usize;
        let (event, members) = match s.events.get(ev % (s.events.len() + 1)) {
            Some((e, m)) => (e.clone(), m.as_slice()),
            None => (c.short_str(), &[][..]),
        };
        let mut headers = match kind {
            0 => vec![
                string_header(":message-type", "event"),
                string_header(":event-type", &event),
            ],
            1 => vec![
                string_header(":message-type", "exception"),
                string_header(":exception-type", &event),
            ],
            2 => vec![
                string_header(":message-type", "error"),
                string_header(":error-code", &event),
                string_header(":error-message", "boom"),
            ],
            3 => vec![
                string_header(":message-type", "event"),
                string_header(":event-type", "initial-response"),
            ],
            _ => vec![string_header(":event-type", &event)],
        };
        for _ in 0..c.u8() % 6 {
            let sel = c.u8() as usize;
            let name = match members.get(sel % (members.len() + 1)) {
                Some(n) => n.clone(),
                None => c.short_str(),
            };
            let name: String = name.chars().take(60).collect();
            let ty = c.u8() % 10;
            let v = match ty {
                0 | 1 => Vec::new(),
                2 => c.bytes(1).to_vec(),
                3 => c.bytes(2).to_vec(),
                4 => c.bytes(4).to_vec(),
                5 | 8 => c.bytes(8).to_vec(),
                6 => c.short().to_vec(),
                7 => c.short_str().into_bytes(),
                _ => c.bytes(16).to_vec(),
            };
            let need = [0, 0, 1, 2, 4, 8, v.len(), v.len(), 8, 16][ty as usize];
            let mut v = v;
            v.resize(need, 0);
            headers.push((name, ty, v));
        }
        let n = c.u16() as usize;
        out.push(Spec {
            headers,
            payload: c.bytes(n).to_vec(),
        });
    }
    out
}

fuzz_target!(init: write_if_requested(collect_seeds), |data: &[u8]| {
    let subjects = subjects();
    let mut c = Cursor::new(data);
    let s = &subjects[c.u8() as usize % subjects.len()];
    let raw = c.u8() & 1 == 1;
    let body = if raw {
        let body = c.rest().to_vec();
        let _ = decode_all(&body);
        body
    } else {
        let specs = specs(s, &mut c);
        let body = frame(&specs);
        let msgs = decode_all(&body).expect("framed messages decode");
        assert_eq!(msgs.len(), specs.len());
        for (m, spec) in msgs.iter().zip(&specs) {
            assert_eq!(m.payload, &spec.payload[..]);
            assert_eq!(m.headers.len(), spec.headers.len());
            for ((name, v), (sname, ty, sv)) in m.headers.iter().zip(&spec.headers) {
                assert_eq!(name, sname);
                let expect = match ty {
                    6 => Some(HeaderValue::Bytes(sv)),
                    7 => std::str::from_utf8(sv).ok().map(HeaderValue::String),
                    _ => None,
                };
                if let Some(e) = expect {
                    assert_eq!(v, &e);
                }
            }
        }
        body
    };
    let headers = vec![(
        "content-type".to_string(),
        "application/vnd.amazon.eventstream".to_string(),
    )];
    let resp = Response { status: 200, headers: &headers, body: &body };
    let op = &s.model.operations()[s.op];
    let _ = parse_response_as(s.protocol, &s.model, op, &resp);
});

fn collect_seeds(seeds: &mut Seeds) {
    for w in [
        ":message-type",
        ":event-type",
        ":exception-type",
        ":error-code",
        ":error-message",
        ":content-type",
        "event",
        "exception",
        "error",
        "initial-response",
    ] {
        seeds.word(w);
    }
    for (i, s) in subjects().iter().enumerate() {
        let model = &s.model;
        let stream = model.operations()[s.op]
            .output
            .as_ref()
            .and_then(|r| stream_member(model, r))
            .expect("stream");
        let Some(union) = model.shape(stream.target).as_structure() else {
            continue;
        };
        for (k, e) in union.members.iter().enumerate().take(8) {
            let mut msgs = Vec::new();
            if rpc(s.protocol) {
                let out = model.operations()[s.op].output.as_ref().expect("output");
                let mut init = payload(model, s.protocol, out);
                if init.is_empty() {
                    init = b"{}".to_vec();
                }
                msgs.push((3u8, 0u8, init));
            }
            let es = model.shape(e.target).as_structure();
            let is_error = es.is_some_and(|x| x.exception || x.error.is_some());
            let p = match es.and_then(|x| x.members.iter().find(|m| m.traits.event_payload)) {
                Some(m) if !matches!(model.shape(m.target).kind, ShapeKind::Structure(_)) => {
                    b"chunk of bytes".to_vec()
                }
                Some(m) => payload(model, s.protocol, m),
                None => payload(model, s.protocol, e),
            };
            msgs.push((if is_error { 1 } else { 0 }, k as u8, p));
            // framed
            let mut input = vec![i as u8, 0];
            for (kind, ev, p) in &msgs {
                input.extend([*kind, *ev, 0]);
                input.extend((p.len() as u16).to_be_bytes());
                input.extend(p);
            }
            seeds.add(input.clone());
            // raw: the same messages, already framed
            let mut c = Cursor::new(&input[2..]);
            let body = frame(&specs(s, &mut c));
            let mut raw = vec![i as u8, 1];
            raw.extend(body);
            seeds.add(raw);
            seeds.word(e.name.as_bytes());
        }
    }
}

/// A skeleton body for `r` in the protocol's payload format.
fn payload(model: &ServiceModel, p: Protocol, r: &MemberRef) -> Vec<u8> {
    match p {
        Protocol::RestXml => {
            let mut x = String::new();
            skeleton::xml(model, wire_name(model, r), r, 0, &mut x);
            x.into_bytes()
        }
        Protocol::Cbor => {
            let mut v = Vec::new();
            to_cbor(&node(model, r, 0), &mut v);
            v
        }
        _ => to_json(&node(model, r, 0)).to_string().into_bytes(),
    }
}
