//! `smithy-rpc-v2-cbor` through the full client path against a local server.
//!
//! moto does not speak rpc-v2-cbor, and the protocol corpus tests check the
//! serializer and parser in isolation. Here `Client` is called end to end
//! (endpoint resolution, signing, the transport, retries, the error path)
//! against a server that checks the wire format (path
//! `/service/<targetPrefix>/operation/<Op>`, `smithy-protocol: rpc-v2-cbor`,
//! a CBOR body that decodes to the parameters) and answers with hand-encoded
//! CBOR. The test carries its own small CBOR codec so that the crate's codec
//! is checked against an independent one, not against itself.
//!
//! Which services: botocore picks the protocol by its own priority order
//! (`json`, `rest-json`, `rest-xml`, `smithy-rpc-v2-cbor`, `query`, `ec2`), not
//! by the model's order, so the 15 models that list `smithy-rpc-v2-cbor` first
//! (CloudWatch, ARC Region switch, ...) also list `json` and are called with
//! JSON by botocore and boto-rs alike (checked below). The one CBOR-only model,
//! `partnercentral-revenue-measurement`, is used as is; CloudWatch (which is
//! also `awsQueryCompatible`) is used through a private data path whose copy
//! of the model lists only `smithy-rpc-v2-cbor`, as a future model would.

#[path = "../support/mod.rs"]
mod support;

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::{params, Loader, Timestamp, Value};
use boto_runtime::{Client, ClientConfig, ErrorKind};
use std::sync::{Arc, OnceLock};
use support::{Action, Recorded, Reply, TestServer};

/// A CBOR data item (RFC 8949), as much as the protocol uses.
#[derive(Debug, Clone, PartialEq)]
enum Cbor {
    Uint(u64),
    Nint(u64), // -1 - n
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(Cbor, Cbor)>),
    Tag(u64, Box<Cbor>),
    Float(f64),
    Bool(bool),
    Null,
}

fn text(s: &str) -> Cbor {
    Cbor::Text(s.to_string())
}

fn map(entries: Vec<(&str, Cbor)>) -> Cbor {
    Cbor::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
}

impl Cbor {
    fn get(&self, key: &str) -> Option<&Cbor> {
        match self {
            Cbor::Map(m) => m.iter().find(|(k, _)| *k == text(key)).map(|(_, v)| v),
            _ => None,
        }
    }
    fn keys(&self) -> Vec<String> {
        match self {
            Cbor::Map(m) => m
                .iter()
                .filter_map(|(k, _)| {
                    if let Cbor::Text(t) = k {
                        Some(t.clone())
                    } else {
                        None
                    }
                })
                .collect(),
            _ => Vec::new(),
        }
    }
    /// A number as f64, from an integer or a float.
    fn number(&self) -> Option<f64> {
        match self {
            Cbor::Uint(n) => Some(*n as f64),
            Cbor::Nint(n) => Some(-1.0 - *n as f64),
            Cbor::Float(f) => Some(*f),
            _ => None,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        fn head(out: &mut Vec<u8>, major: u8, n: u64) {
            let m = major << 5;
            match n {
                0..=23 => out.push(m | n as u8),
                24..=0xff => out.extend_from_slice(&[m | 24, n as u8]),
                0x100..=0xffff => {
                    out.push(m | 25);
                    out.extend_from_slice(&(n as u16).to_be_bytes());
                }
                0x1_0000..=0xffff_ffff => {
                    out.push(m | 26);
                    out.extend_from_slice(&(n as u32).to_be_bytes());
                }
                _ => {
                    out.push(m | 27);
                    out.extend_from_slice(&n.to_be_bytes());
                }
            }
        }
        match self {
            Cbor::Uint(n) => head(out, 0, *n),
            Cbor::Nint(n) => head(out, 1, *n),
            Cbor::Bytes(b) => {
                head(out, 2, b.len() as u64);
                out.extend_from_slice(b);
            }
            Cbor::Text(s) => {
                head(out, 3, s.len() as u64);
                out.extend_from_slice(s.as_bytes());
            }
            Cbor::Array(a) => {
                head(out, 4, a.len() as u64);
                a.iter().for_each(|i| i.encode(out));
            }
            Cbor::Map(m) => {
                head(out, 5, m.len() as u64);
                for (k, v) in m {
                    k.encode(out);
                    v.encode(out);
                }
            }
            Cbor::Tag(t, v) => {
                head(out, 6, *t);
                v.encode(out);
            }
            Cbor::Float(f) => {
                out.push(0xfb);
                out.extend_from_slice(&f.to_be_bytes());
            }
            Cbor::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
            Cbor::Null => out.push(0xf6),
        }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.encode(&mut v);
        v
    }

    /// Decodes one complete item; panics on malformed input (the client's output is under test).
    fn decode(bytes: &[u8]) -> Cbor {
        let mut pos = 0;
        let item = decode_item(bytes, &mut pos);
        assert_eq!(pos, bytes.len(), "trailing bytes after the CBOR item");
        item
    }
}

const BREAK: u8 = 0xff;

fn take<'a>(b: &'a [u8], pos: &mut usize, n: usize) -> &'a [u8] {
    let s = &b[*pos..*pos + n];
    *pos += n;
    s
}

fn argument(b: &[u8], pos: &mut usize, info: u8) -> Option<u64> {
    Some(match info {
        0..=23 => u64::from(info),
        24 => u64::from(take(b, pos, 1)[0]),
        25 => u64::from(u16::from_be_bytes(take(b, pos, 2).try_into().unwrap())),
        26 => u64::from(u32::from_be_bytes(take(b, pos, 4).try_into().unwrap())),
        27 => u64::from_be_bytes(take(b, pos, 8).try_into().unwrap()),
        31 => return None, // indefinite length
        _ => panic!("reserved additional info {info}"),
    })
}

fn half_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = (h >> 10) & 0x1f;
    let frac = f64::from(h & 0x3ff);
    sign * match exp {
        0 => frac * 2f64.powi(-24),
        31 if frac == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + frac / 1024.0) * 2f64.powi(i32::from(e) - 15),
    }
}

fn decode_item(b: &[u8], pos: &mut usize) -> Cbor {
    let ib = take(b, pos, 1)[0];
    let (major, info) = (ib >> 5, ib & 0x1f);
    match major {
        0 => Cbor::Uint(argument(b, pos, info).expect("definite")),
        1 => Cbor::Nint(argument(b, pos, info).expect("definite")),
        2 | 3 => {
            let mut data = Vec::new();
            match argument(b, pos, info) {
                Some(n) => data.extend_from_slice(take(b, pos, n as usize)),
                None => {
                    while b[*pos] != BREAK {
                        match decode_item(b, pos) {
                            Cbor::Bytes(c) => data.extend(c),
                            Cbor::Text(t) => data.extend(t.into_bytes()),
                            other => panic!("bad chunk {other:?}"),
                        }
                    }
                    *pos += 1;
                }
            }
            if major == 2 {
                Cbor::Bytes(data)
            } else {
                Cbor::Text(String::from_utf8(data).expect("UTF-8 text"))
            }
        }
        4 => {
            let mut items = Vec::new();
            match argument(b, pos, info) {
                Some(n) => (0..n).for_each(|_| items.push(decode_item(b, pos))),
                None => {
                    while b[*pos] != BREAK {
                        items.push(decode_item(b, pos));
                    }
                    *pos += 1;
                }
            }
            Cbor::Array(items)
        }
        5 => {
            let mut entries = Vec::new();
            match argument(b, pos, info) {
                Some(n) => (0..n).for_each(|_| {
                    let k = decode_item(b, pos);
                    entries.push((k, decode_item(b, pos)));
                }),
                None => {
                    while b[*pos] != BREAK {
                        let k = decode_item(b, pos);
                        entries.push((k, decode_item(b, pos)));
                    }
                    *pos += 1;
                }
            }
            Cbor::Map(entries)
        }
        6 => {
            let tag = argument(b, pos, info).expect("definite tag");
            Cbor::Tag(tag, Box::new(decode_item(b, pos)))
        }
        _ => match info {
            20 => Cbor::Bool(false),
            21 => Cbor::Bool(true),
            22 | 23 => Cbor::Null,
            25 => Cbor::Float(half_to_f64(u16::from_be_bytes(
                take(b, pos, 2).try_into().unwrap(),
            ))),
            26 => Cbor::Float(f64::from(f32::from_be_bytes(
                take(b, pos, 4).try_into().unwrap(),
            ))),
            27 => Cbor::Float(f64::from_be_bytes(take(b, pos, 8).try_into().unwrap())),
            _ => panic!("unsupported simple value {info}"),
        },
    }
}

mod calls;
