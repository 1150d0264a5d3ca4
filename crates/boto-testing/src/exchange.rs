//! The recording file: one JSON header line, then one exchange per line.

use crate::redact::{
    query_key, redact_body, redact_headers, redact_query, significant_headers, split_url,
};
use base64::Engine;
use boto::core::runtime::http::HttpRequest;
use boto::core::runtime::RequestBody;
use boto::Error;
use serde_json::{json, Value as Json};
use std::path::Path;

pub(crate) const FORMAT: &str = "boto-testing recording v1";

pub(crate) fn body_json(body: &[u8]) -> Json {
    match std::str::from_utf8(body) {
        Ok(s) => json!({ "text": s }),
        Err(_) => json!({ "base64": base64::engine::general_purpose::STANDARD.encode(body) }),
    }
}

pub(crate) fn body_from_json(j: &Json) -> Result<Vec<u8>, String> {
    if let Some(s) = j.get("text").and_then(Json::as_str) {
        return Ok(s.as_bytes().to_vec());
    }
    if let Some(s) = j.get("base64").and_then(Json::as_str) {
        return base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(|e| format!("bad base64 body: {e}"));
    }
    Ok(Vec::new())
}

pub(crate) fn headers_json(h: &[(String, String)]) -> Json {
    Json::Array(h.iter().map(|(k, v)| json!([k, v])).collect())
}

pub(crate) fn headers_from_json(j: &Json) -> Vec<(String, String)> {
    j.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    Some((
                        p.get(0)?.as_str()?.to_string(),
                        p.get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The bytes of a request body (a file region is read from disk).
pub(crate) fn request_bytes(body: &RequestBody) -> Result<Vec<u8>, Error> {
    use std::io::{Read, Seek};
    match body {
        RequestBody::File { path, offset, len } => {
            let err = |e: std::io::Error| {
                Error::construction(format!("recording: cannot read {}: {e}", path.display()))
            };
            let mut f = std::fs::File::open(path).map_err(err)?;
            f.seek(std::io::SeekFrom::Start(*offset)).map_err(err)?;
            let mut buf = Vec::new();
            f.take(*len).read_to_end(&mut buf).map_err(err)?;
            Ok(buf)
        }
        other => Ok(other.bytes().unwrap_or_default().to_vec()),
    }
}

/// One recorded request/response pair, secrets already redacted.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) status: u16,
    pub(crate) response_headers: Vec<(String, String)>,
    pub(crate) response_body: Vec<u8>,
}

impl Exchange {
    pub(crate) fn to_json(&self) -> Json {
        json!({
            "request": {
                "method": self.method,
                "url": self.url,
                "headers": headers_json(&self.headers),
                "body": body_json(&self.body),
            },
            "response": {
                "status": self.status,
                "headers": headers_json(&self.response_headers),
                "body": body_json(&self.response_body),
            }
        })
    }

    pub(crate) fn from_json(j: &Json) -> Result<Exchange, String> {
        let req = j.get("request").ok_or("missing \"request\"")?;
        let resp = j.get("response").ok_or("missing \"response\"")?;
        Ok(Exchange {
            method: req
                .get("method")
                .and_then(Json::as_str)
                .ok_or("missing request method")?
                .into(),
            url: req
                .get("url")
                .and_then(Json::as_str)
                .ok_or("missing request url")?
                .into(),
            headers: headers_from_json(req.get("headers").unwrap_or(&Json::Null)),
            body: body_from_json(req.get("body").unwrap_or(&Json::Null))?,
            status: resp
                .get("status")
                .and_then(Json::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .ok_or("missing response status")?,
            response_headers: headers_from_json(resp.get("headers").unwrap_or(&Json::Null)),
            response_body: body_from_json(resp.get("body").unwrap_or(&Json::Null))?,
        })
    }

    /// What a request is matched on.
    /// `ignore`: body members whose values are not compared.
    pub(crate) fn key(&self, match_host: bool, ignore: &[String]) -> MatchKey {
        let (host, path, query) = split_url(&self.url);
        MatchKey {
            host: match_host.then_some(host),
            method: self.method.to_ascii_uppercase(),
            path,
            query: query_key(&query),
            headers: significant_headers(&self.headers),
            body: if ignore.is_empty() {
                self.body.clone()
            } else {
                crate::redact::mask_body(&self.body, &|n| crate::redact::field_in(ignore, n))
            },
        }
    }
}

#[derive(Debug, PartialEq)]
pub(crate) struct MatchKey {
    pub(crate) host: Option<String>,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// A request as it would be stored: URL query, headers and body redacted.
/// URL, headers and body of a request as stored.
pub(crate) type StoredRequest = (String, Vec<(String, String)>, Vec<u8>);

pub(crate) fn redacted_request(req: &HttpRequest) -> Result<StoredRequest, Error> {
    let (url_base, query) = req.url.split_once('?').unwrap_or((&req.url, ""));
    let url = if query.is_empty() {
        url_base.to_string()
    } else {
        format!("{url_base}?{}", redact_query(query))
    };
    Ok((
        url,
        redact_headers(&req.headers),
        redact_body(&request_bytes(&req.body)?),
    ))
}

/// Writes `exchanges` to `path` atomically (temporary file, then rename).
pub(crate) fn write_atomic(path: &Path, exchanges: &[Exchange]) -> Result<(), Error> {
    let mut text = json!({ "format": FORMAT }).to_string();
    text.push('\n');
    for e in exchanges {
        text.push_str(&e.to_json().to_string());
        text.push('\n');
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("recording");
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let err = |e: std::io::Error| {
        Error::construction(format!(
            "cannot write the recording {}: {e}",
            path.display()
        ))
    };
    std::fs::write(&tmp, text).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}
