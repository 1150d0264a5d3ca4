//! A local fake of the SSO-OIDC and SSO portal services (std threads, a
//! random port on 127.0.0.1), enough for `boto sso login/logout` and the SSO
//! credential provider:
//!
//! - `POST /client/register`, `POST /device_authorization`, `POST /token`
//!   (device code grant answered from a script of `pending`/`slow_down`/`ok`;
//!   authorization code grant checked against the PKCE challenge, client and
//!   redirect URI of the authorize request);
//! - `GET /authorize` (what the browser would open): answers 302 to the
//!   redirect URI with a fresh code and the request's state;
//! - `GET /federation/credentials` and `POST /logout` with the bearer token
//!   in `x-amz-sso_bearer_token`.
//!
//! OAuth errors look like the real service's: status 400, `x-amzn-ErrorType`
//! and an `error`/`error_description` body.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: serde_json::Value,
    pub at: Instant,
}

#[derive(Default)]
pub struct State {
    pub requests: Vec<Recorded>,
    /// Answers to device-code CreateToken calls, in order; `ok` when empty.
    pub device_script: Vec<&'static str>,
    pub next_client: u32,
    /// code -> (client id, challenge, redirect uri)
    pub codes: HashMap<String, (String, String, String)>,
    /// access tokens issued and still valid
    pub tokens: Vec<String>,
    pub logouts: Vec<String>,
}

pub struct FakeSso {
    pub port: u16,
    pub state: Arc<Mutex<State>>,
}

impl FakeSso {
    pub fn start(device_script: Vec<&'static str>) -> FakeSso {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake sso");
        let port = listener.local_addr().expect("addr").port();
        let state = Arc::new(Mutex::new(State {
            device_script,
            ..Default::default()
        }));
        let s = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, port, &s);
                });
            }
        });
        FakeSso { port, state }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self, path: &str) -> Vec<Recorded> {
        let st = self.state.lock().unwrap();
        st.requests
            .iter()
            .filter(|r| r.path.split('?').next() == Some(path))
            .cloned()
            .collect()
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn json(status: u16, body: serde_json::Value) -> Reply {
    Reply {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.to_string(),
    }
}

fn oauth_error(kind: &str, error: &str) -> Reply {
    let mut r = json(
        400,
        serde_json::json!({"error": error, "error_description": format!("fake: {error}")}),
    );
    r.headers.push(("x-amzn-ErrorType".into(), kind.into()));
    r
}

fn serve(stream: TcpStream, port: u16, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body)?;
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    let rec = Recorded {
        method: method.clone(),
        path: path.clone(),
        headers: headers.clone(),
        body: body.clone(),
        at: Instant::now(),
    };
    let reply = {
        let mut st = state.lock().unwrap();
        st.requests.push(rec);
        route(&method, &path, &headers, &body, port, &mut st)
    };
    let mut out = stream;
    let reason = match reply.status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        _ => "Error",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Length: {}\r\nConnection: close\r\nx-amzn-RequestId: fake-req\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(reply.body.as_bytes())?;
    out.flush()
}

fn query(path: &str) -> HashMap<String, String> {
    let q = path.split_once('?').map_or("", |(_, q)| q);
    q.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn issue_token(st: &mut State, name: &str) -> Reply {
    let token = format!("{name}-access-{}", st.tokens.len() + 1);
    st.tokens.push(token.clone());
    json(
        200,
        serde_json::json!({"accessToken": token, "tokenType": "Bearer", "expiresIn": 3600,
                           "refreshToken": format!("{name}-refresh")}),
    )
}

fn route(
    method: &str,
    path: &str,
    headers: &HashMap<String, String>,
    body: &serde_json::Value,
    port: u16,
    st: &mut State,
) -> Reply {
    let text = |k: &str| {
        body.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let bare = path.split('?').next().unwrap_or_default();
    match (method, bare) {
        ("POST", "/client/register") => {
            st.next_client += 1;
            json(
                200,
                serde_json::json!({
                    "clientId": format!("client-{}", st.next_client),
                    "clientSecret": format!("client-secret-{}", st.next_client),
                    "clientIdIssuedAt": now_secs(),
                    "clientSecretExpiresAt": now_secs() + 90 * 86400,
                }),
            )
        }
        ("POST", "/device_authorization") => json(
            200,
            serde_json::json!({
                "deviceCode": "device-code-1",
                "userCode": "ABCD-EFGH",
                "verificationUri": format!("http://127.0.0.1:{port}/device"),
                "verificationUriComplete": format!("http://127.0.0.1:{port}/device?user_code=ABCD-EFGH"),
                "expiresIn": 600,
                "interval": 0,
            }),
        ),
        ("POST", "/token") => match text("grantType").as_str() {
            "urn:ietf:params:oauth:grant-type:device_code" => {
                if text("deviceCode") != "device-code-1" {
                    return oauth_error("InvalidGrantException", "invalid_grant");
                }
                let next = if st.device_script.is_empty() {
                    "ok"
                } else {
                    st.device_script.remove(0)
                };
                match next {
                    "pending" => {
                        oauth_error("AuthorizationPendingException", "authorization_pending")
                    }
                    "slow_down" => oauth_error("SlowDownException", "slow_down"),
                    "expired" => oauth_error("ExpiredTokenException", "expired_token"),
                    _ => issue_token(st, "device"),
                }
            }
            "authorization_code" => {
                let Some((client, challenge, redirect)) = st.codes.remove(&text("code")) else {
                    return oauth_error("InvalidGrantException", "invalid_grant");
                };
                let digest = sha256_b64url(&text("codeVerifier"));
                if client != text("clientId")
                    || redirect != text("redirectUri")
                    || digest != challenge
                {
                    return oauth_error("InvalidGrantException", "invalid_grant");
                }
                issue_token(st, "pkce")
            }
            _ => oauth_error("UnsupportedGrantTypeException", "unsupported_grant_type"),
        },
        ("GET", "/authorize") => {
            let q = query(path);
            let code = format!("auth-code-{}", st.codes.len() + 1);
            let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
            st.codes.insert(
                code.clone(),
                (
                    q.get("client_id").cloned().unwrap_or_default(),
                    q.get("code_challenge").cloned().unwrap_or_default(),
                    redirect.clone(),
                ),
            );
            let state = q.get("state").cloned().unwrap_or_default();
            Reply {
                status: 302,
                headers: vec![(
                    "Location".into(),
                    format!("{redirect}?code={code}&state={state}"),
                )],
                body: String::new(),
            }
        }
        ("GET", "/federation/credentials") => {
            let token = headers
                .get("x-amz-sso_bearer_token")
                .cloned()
                .unwrap_or_default();
            if !st.tokens.contains(&token) {
                let mut r = json(
                    401,
                    serde_json::json!({"message": "Session token not found or invalid"}),
                );
                r.headers
                    .push(("x-amzn-ErrorType".into(), "UnauthorizedException".into()));
                return r;
            }
            let q = query(path);
            json(
                200,
                serde_json::json!({"roleCredentials": {
                    "accessKeyId": format!("ASIAFAKE{}", q.get("account_id").cloned().unwrap_or_default()),
                    "secretAccessKey": "fakeSsoSecretKey",
                    "sessionToken": "fakeSsoSessionToken",
                    "expiration": (now_secs() + 3600) * 1000,
                }}),
            )
        }
        ("POST", "/logout") => {
            let token = headers
                .get("x-amz-sso_bearer_token")
                .cloned()
                .unwrap_or_default();
            st.tokens.retain(|t| *t != token);
            st.logouts.push(token);
            json(200, serde_json::json!({}))
        }
        _ => json(
            404,
            serde_json::json!({"message": format!("no route {method} {path}")}),
        ),
    }
}

/// URL-safe base64 (no padding) of SHA-256, computed here without crates:
/// a small SHA-256 so the fake checks PKCE independently of the code under test.
pub fn sha256_b64url(input: &str) -> String {
    let digest = sha256(input.as_bytes());
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in digest.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64) * 8;
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for i in 0..8 {
            h[i] = h[i].wrapping_add(v[i]);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// A minimal HTTP/1.1 GET; returns (status, Location header, body).
pub fn http_get(url: &str) -> (u16, Option<String>, String) {
    let rest = url.strip_prefix("http://").expect("http url");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut s = TcpStream::connect(authority).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut text = String::new();
    s.read_to_string(&mut text).expect("read");
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let location = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("Location: ")
                .or_else(|| l.strip_prefix("location: "))
        })
        .map(str::to_string);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, location, body)
}

#[test]
fn sha256_matches_known_vector() {
    // RFC 7636 appendix B.
    assert_eq!(
        sha256_b64url("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
}
