//! `bench_client warm`: a call's own cost with nothing between calls but
//! what the caller chooses (see `bench/footprint_call.sh`).
//!
//! Why: against a socket, boto-rs's share of a small call (the part above
//! the bare hyper client) costs two to three times what the same code costs
//! called in a loop with nothing in between, because the kernel's round trip
//! pushes the call's code and data out of the caches. Cutting instructions
//! the call executes many times (allocation, hashing) did not move whole
//! calls (`bench/regress.md` session 26); what a cold call pays for is the
//! code and data it touches once. This transport answers at once, so a
//! loop measures the warm cost, and writing EVICT bytes between calls
//! measures it cold.

use boto::core::auth::credentials::{Credentials, StaticProvider};
use boto::core::runtime::http::{BoxFuture, ByteStream, HttpClient, HttpRequest, HttpResponse};
use boto::core::runtime::ClientConfig;
use boto::{Client, Error};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

const GET_ITEM: &str = r#"{"Item":{"pk":{"S":"user#12345"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"tags":{"SS":["math","poetry"]},"address":{"M":{"city":{"S":"London"}}}}}"#;

/// Written before every measured call and after the last: `bench/footprint_call.sh`
/// splits a valgrind memory trace into calls at its address.
#[no_mangle]
pub static BOTO_FOOTPRINT_MARK: AtomicU64 = AtomicU64::new(0);

/// A plain load and store (valgrind's lackey does not trace a locked
/// read-modify-write as an access to the address).
fn mark() {
    let n = BOTO_FOOTPRINT_MARK.load(Ordering::Relaxed);
    BOTO_FOOTPRINT_MARK.store(n + 1, Ordering::Relaxed);
}

/// Answers GetItem (a request with `X-Amz-Target`) and HeadObject with the
/// canned server's headers and bodies, without a socket. The answers are
/// made once; each call copies one (as a transport copies the headers it
/// received), so the transport's own work per call stays small.
struct Immediate {
    get_item: Vec<(String, String)>,
    head_object: Vec<(String, String)>,
}

impl Immediate {
    fn new() -> Immediate {
        let pairs = |extra: &[(&str, &str)]| {
            [
                (
                    "x-amzn-requestid",
                    "BENCHREQUESTID0000000000000000000000000000000",
                ),
                ("date", "Wed, 01 May 2024 12:00:00 GMT"),
            ]
            .iter()
            .chain(extra)
            .map(|&(k, v)| (k.to_string(), v.to_string()))
            .collect()
        };
        let crc = crc32(GET_ITEM.as_bytes()).to_string();
        let len = GET_ITEM.len().to_string();
        Immediate {
            get_item: pairs(&[
                ("content-type", "application/x-amz-json-1.0"),
                ("x-amz-crc32", &crc),
                ("content-length", &len),
            ]),
            head_object: pairs(&[
                ("x-amz-request-id", "BENCH0000000000"),
                ("etag", "\"fba9dede5f27731c9771645a39863328\""),
                ("last-modified", "Wed, 01 May 2024 12:00:00 GMT"),
                ("content-type", "image/jpeg"),
                ("content-length", "434234"),
                ("accept-ranges", "bytes"),
                ("x-amz-meta-owner", "ada"),
            ]),
        }
    }
}

impl HttpClient for Immediate {
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let json = req
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("x-amz-target"));
        let (headers, body) = if json {
            (self.get_item.clone(), GET_ITEM)
        } else {
            (self.head_object.clone(), "")
        };
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                headers,
                body: ByteStream::from_bytes(body.as_bytes()),
            })
        })
    }
}

/// CRC-32 (IEEE), bit by bit, once: the `x-amz-crc32` the server would send.
fn crc32(b: &[u8]) -> u32 {
    let mut c = !0u32;
    for &x in b {
        c ^= u32::from(x);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xedb8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn client(service: &str) -> Result<Client, Error> {
    let creds = Credentials::new(
        "AKIDBENCH",
        "bench-secret",
        None,
        None,
        StaticProvider::NAME,
    );
    Client::builder(service)
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            ..ClientConfig::default()
        })
        .credentials(Arc::new(StaticProvider::new(creds)))
        .http_client(Arc::new(Immediate::new()))
        .build()
}

pub async fn run(n: u32, evict: usize) -> Result<(), Error> {
    let (ddb, s3) = (client("dynamodb")?, client("s3")?);
    let mut junk = vec![0u8; evict];
    let mut results = Vec::new();
    for name in ["get_item", "head_object"] {
        let mut spent = 0.0;
        for i in 0..n {
            mark();
            // One byte per 64-byte line: every line of `junk` is written.
            for at in (0..junk.len()).step_by(64) {
                junk[at] = junk[at].wrapping_add(i as u8);
            }
            let t = Instant::now();
            super::call_once(name, &ddb, &s3).await?;
            spent += t.elapsed().as_secs_f64();
        }
        results.push(format!(
            "\"{name}\": {{\"wall_us\": {:.2}, \"n\": {n}}}",
            spent / f64::from(n) * 1e6
        ));
    }
    mark();
    std::hint::black_box(&junk);
    println!("{{\"evict_bytes\": {evict}, {}}}", results.join(", "));
    Ok(())
}
