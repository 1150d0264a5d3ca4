//! `bench_client warm`: a call's own cost with nothing between calls but
//! what the caller chooses (see `bench/footprint_call.sh`).
//!
//! Why: against a socket, boto-rs's share of a small call (the part above
//! the bare hyper client) costs about twice what the same code costs called
//! in a loop with nothing in between. This transport answers at once, so a
//! loop measures the warm cost, and what runs between calls says what makes
//! a call cold (`bench/regress.md`, sessions 26-27): a loopback TCP round
//! trip to an echo server doubles it (as against the socket), so do 2 MiB of
//! data written (this VM's L2), while 1 MiB of writes or 144 KiB of other
//! code run (the L1 caches alone) cost almost nothing.

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

    fn answer(&self, req: &HttpRequest) -> HttpResponse {
        let json = req
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("x-amz-target"));
        let (headers, body) = if json {
            (self.get_item.clone(), GET_ITEM)
        } else {
            (self.head_object.clone(), "")
        };
        HttpResponse {
            status: 200,
            headers,
            body: ByteStream::from_bytes(body.as_bytes()),
        }
    }
}

impl HttpClient for Immediate {
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(std::future::ready(Ok(self.answer(&req))))
    }

    /// The request is read where it is, as the hyper transport reads it
    /// (the trait's default clones it for `send`).
    fn send_ref<'a>(&'a self, req: &'a HttpRequest) -> BoxFuture<'a, Result<HttpResponse, Error>> {
        Box::pin(std::future::ready(Ok(self.answer(req))))
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

/// What runs between two measured calls.
pub struct Between {
    /// Bytes written, one per 64-byte line.
    pub evict: usize,
    /// Rows of `code_evict`'s grid run.
    pub code_rows: usize,
    /// A connected echo server: 300 bytes sent and read back (a loopback
    /// TCP round trip, the kernel's work between calls against a socket).
    pub echo: Option<std::net::TcpStream>,
}

impl Between {
    fn run(&mut self, junk: &mut [u8], buf: &mut [u8], i: u32) -> std::io::Result<()> {
        use std::io::{Read, Write};
        for at in (0..junk.len()).step_by(64) {
            junk[at] = junk[at].wrapping_add(i as u8);
        }
        std::hint::black_box(super::code_evict::run(self.code_rows, u64::from(i)));
        if let Some(sock) = self.echo.as_mut() {
            sock.write_all(&[b'x'; 300])?;
            let mut got = 0;
            while got < 300 {
                match sock.read(buf)? {
                    0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                    k => got += k,
                }
            }
        }
        Ok(())
    }
}

pub async fn run(n: u32, mut between: Between) -> Result<(), Error> {
    let (ddb, s3) = (client("dynamodb")?, client("s3")?);
    let mut junk = vec![0u8; between.evict];
    let mut buf = [0u8; 4096];
    let mut results = Vec::new();
    for name in ["get_item", "head_object"] {
        let mut spent = 0.0;
        for i in 0..n {
            mark();
            if let Err(e) = between.run(&mut junk, &mut buf, i) {
                eprintln!("bench_client warm: the echo server failed: {e}");
                std::process::exit(1);
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
    println!(
        "{{\"evict_bytes\": {}, \"code_rows\": {}, \"echo\": {}, {}}}",
        between.evict,
        between.code_rows,
        between.echo.is_some(),
        results.join(", ")
    );
    Ok(())
}
