//! botocore's protocol input (serialization) test suites, run the way
//! botocore's `tests/unit/test_protocols.py` runs them.
//!
//! Each case becomes a one-operation model (`metadata` + `shapes` + the case's
//! `given` operation); its `params` are converted with `boto_model::coerce`
//! and serialized; the request is compared with `serialized`:
//!
//! * `uri`: path plus encoded query string, compared as a string (botocore
//!   does the same: its query dict keeps insertion order);
//! * `method` when given; `host` (host prefix + `clientEndpoint` netloc) when given;
//! * `headers`: every listed header must match (case-insensitive names) with
//!   botocore's normalizations (query `charset=utf-8`, rest-xml Content-Type
//!   not compared, rest-json only `application/json` compared, list header
//!   `", "` → `","`); `forbidHeaders` must be absent. `requireHeaders` is not
//!   checked, as in botocore: those headers (Content-Length) are added by the
//!   HTTP layer, not the serializer;
//! * `body`: JSON-equal for json/rest-json, canonical-XML-equal for rest-xml,
//!   decoded-CBOR-equal for smithy-rpc-v2-cbor, byte-equal otherwise.
//!
//! Cases on botocore's ignore list are counted as ignored, never run.
//! Environment: `BOTO_PROTOCOL_INPUT_DIR`, `BOTO_PROTOCOL_LEGACY_INPUT_DIR`,
//! `BOTO_PROTOCOL_IGNORE_LIST` override the data paths;
//! `BOTO_PROTOCOL_CASE` runs only cases whose id or description contains it;
//! `BOTO_PROTOCOL_RUN_IGNORED=1` also runs ignored cases and reports how they
//! fare, without counting them.

use boto_model::{coerce, ServiceModel};
use boto_protocols::ser::{serialize_with, SerializeOptions};
use boto_protocols::Request;
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};

fn data_dir(var: &str, rel: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../.data/botocore-tests/unit/protocols")
            .join(rel)
    })
}

struct IgnoreList(Json);

impl IgnoreList {
    fn ignored(&self, protocol: &str, suite: &str, case: Option<&str>) -> bool {
        let hit = |section: &Json| {
            let list = |k: &str| {
                section
                    .get(k)
                    .and_then(Json::as_array)
                    .cloned()
                    .unwrap_or_default()
            };
            list("suites").iter().any(|s| s.as_str() == Some(suite))
                || case.is_some_and(|c| list("cases").iter().any(|s| s.as_str() == Some(c)))
        };
        hit(&self.0["general"]["input"]) || hit(&self.0["protocols"][protocol]["input"])
    }
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    ignored: usize,
    skipped: usize,
}

fn main() {
    let ignore_path = data_dir(
        "BOTO_PROTOCOL_IGNORE_LIST",
        "protocol-tests-ignore-list.json",
    );
    let ignore = match std::fs::read(&ignore_path) {
        Ok(b) => IgnoreList(serde_json::from_slice(&b).expect("ignore list is JSON")),
        Err(e) => {
            eprintln!(
                "cannot read {}: {e} (run the data fetch script first)",
                ignore_path.display()
            );
            std::process::exit(2);
        }
    };
    let filter = std::env::var("BOTO_PROTOCOL_CASE").ok();
    let mut total = Tally::default();
    for (label, dir) in [
        ("input", data_dir("BOTO_PROTOCOL_INPUT_DIR", "input")),
        (
            "legacy/input",
            data_dir("BOTO_PROTOCOL_LEGACY_INPUT_DIR", "legacy/input"),
        ),
    ] {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect(),
            Err(e) => {
                eprintln!("cannot read {}: {e}", dir.display());
                std::process::exit(2);
            }
        };
        files.sort();
        for file in files {
            let t = run_file(&file, label, &ignore, filter.as_deref());
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            println!(
                "{label}/{name}: {} passed, {} failed, {} ignored",
                t.passed, t.failed, t.ignored
            );
            total.passed += t.passed;
            total.failed += t.failed;
            total.ignored += t.ignored;
            total.skipped += t.skipped;
        }
    }
    println!("ignored (botocore ignore list): {}", total.ignored);
    let skipped = if total.skipped > 0 {
        format!(", {} skipped", total.skipped)
    } else {
        String::new()
    };
    println!(
        "protocol-input: {} passed, {} failed{skipped}",
        total.passed, total.failed
    );
    if total.failed > 0 {
        std::process::exit(1);
    }
}

fn run_file(path: &Path, label: &str, ignore: &IgnoreList, filter: Option<&str>) -> Tally {
    let mut t = Tally::default();
    let protocol_key = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let suites: Json = match std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(j) => j,
        Err(e) => {
            println!("FAIL {}: cannot load: {e}", path.display());
            t.failed += 1;
            return t;
        }
    };
    for (si, suite) in suites.as_array().into_iter().flatten().enumerate() {
        let description = suite["description"].as_str().unwrap_or("");
        for (ci, case) in suite["cases"].as_array().into_iter().flatten().enumerate() {
            let id = case.get("id").and_then(Json::as_str);
            if let Some(f) = filter {
                if !(id.is_some_and(|i| i.contains(f)) || description.contains(f)) {
                    continue;
                }
            }
            if ignore.ignored(&protocol_key, description, id) {
                t.ignored += 1;
                if std::env::var_os("BOTO_PROTOCOL_RUN_IGNORED").is_some() {
                    let verdict = run_case(suite, case)
                        .map_or_else(|d| format!("fails\n{d}"), |()| "passes".into());
                    println!(
                        "ignored case {} ({description}) {verdict}",
                        id.unwrap_or("(no id)")
                    );
                }
                continue;
            }
            match run_case(suite, case) {
                Ok(()) => t.passed += 1,
                Err(diff) => {
                    t.failed += 1;
                    let file = path.file_name().unwrap_or_default().to_string_lossy();
                    println!(
                        "FAIL {label}/{file} [{si}:{ci}] {} — {description}\n{diff}\n",
                        id.unwrap_or("(no id)")
                    );
                }
            }
        }
    }
    t
}

fn run_case(suite: &Json, case: &Json) -> Result<(), String> {
    let given = &case["given"];
    let op_name = given
        .get("name")
        .and_then(Json::as_str)
        .unwrap_or("OperationName");
    let mut shapes = suite.get("shapes").cloned().unwrap_or(json!({}));
    // Legacy suites put `payload` on the operation's input reference, which
    // botocore merges into the input shape; boto-model keeps `payload` on
    // shapes only (real models always put it there), so move it there.
    if let (Some(payload), Some(name)) = (
        given["input"].get("payload"),
        given["input"]["shape"].as_str(),
    ) {
        if let Some(shape) = shapes.get_mut(name).and_then(Json::as_object_mut) {
            shape.insert("payload".into(), payload.clone());
        }
    }
    let doc = json!({
        "metadata": suite["metadata"],
        "shapes": shapes,
        "operations": {op_name: given},
    });
    let model =
        ServiceModel::from_json("protocol-test", &doc).map_err(|e| format!("  model: {e}"))?;
    let op = model
        .operation(op_name)
        .ok_or("  model: operation missing")?;
    let params = coerce::input_from_json(&model, op, case.get("params").unwrap_or(&Json::Null))
        .map_err(|e| format!("  params: {e}"))?;
    let req = serialize_with(&model, op, &params, &SerializeOptions::default())
        .map_err(|e| format!("  serialize: {e}"))?;
    let protocol = model.metadata.protocol.as_str();
    let want = &case["serialized"];
    let mut diffs = Vec::new();
    compare_body(protocol, &req, want, &mut diffs);
    compare_headers(&model, op, protocol, &req, want, &mut diffs);
    let uri = req.uri();
    let want_uri = want.get("uri").and_then(Json::as_str).unwrap_or("");
    if uri != want_uri {
        diffs.push(format!(
            "  uri:     expected {want_uri:?}\n           actual   {uri:?}"
        ));
    }
    if let Some(m) = want.get("method").and_then(Json::as_str) {
        if req.method != m {
            diffs.push(format!("  method:  expected {m}, actual {}", req.method));
        }
    }
    if let Some(host) = want.get("host").and_then(Json::as_str) {
        let endpoint = suite
            .get("clientEndpoint")
            .and_then(Json::as_str)
            .unwrap_or("https://example.com");
        let netloc = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
        let netloc = netloc.split('/').next().unwrap_or("");
        let actual = format!("{}{netloc}", req.host_prefix.as_deref().unwrap_or(""));
        if actual != host {
            diffs.push(format!("  host:    expected {host:?}, actual {actual:?}"));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("\n"))
    }
}

fn compare_body(protocol: &str, req: &Request, want: &Json, diffs: &mut Vec<String>) {
    let actual = req.body.as_bytes();
    let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if protocol == "smithy-rpc-v2-cbor" && !actual.is_empty() {
        use base64::Engine;
        let expected = want["body"].as_str().unwrap_or("");
        let expected = base64::engine::general_purpose::STANDARD
            .decode(expected)
            .unwrap_or_default();
        if let Err(e) = cbor_equal(actual, &expected) {
            diffs.push(format!(
                "  body (cbor): {e}\n    expected {expected:02x?}\n    actual   {actual:02x?}"
            ));
        }
        return;
    }
    let Some(expected) = want.get("body").and_then(Json::as_str) else {
        return;
    };
    let ok = match protocol {
        "json" | "rest-json" => match (
            serde_json::from_slice::<Json>(actual),
            serde_json::from_str::<Json>(expected),
        ) {
            (Ok(a), Ok(e)) => json_equal(&a, &e),
            _ if protocol == "json" => false,
            _ => actual == expected.as_bytes(),
        },
        "rest-xml" => match xml_equal(actual, expected.as_bytes()) {
            Some(eq) => eq,
            None => actual == expected.as_bytes(),
        },
        _ => actual == expected.as_bytes(),
    };
    if !ok {
        diffs.push(format!(
            "  body:    expected {expected:?}\n           actual   {:?}",
            show(actual)
        ));
    }
}

/// JSON equality with Python's numeric semantics (`1 == 1.0`).
fn json_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn compare_headers(
    model: &ServiceModel,
    op: &boto_model::Operation,
    protocol: &str,
    req: &Request,
    want: &Json,
    diffs: &mut Vec<String>,
) {
    let mut expected: Vec<(String, String)> = want
        .get("headers")
        .and_then(Json::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    let mut actual = req.headers.clone();
    // botocore's _clean_list_header_values: list headers join with "," not ", ".
    if let Some(input) = op
        .input
        .as_ref()
        .and_then(|r| model.shape(r.target).as_structure())
    {
        for m in &input.members {
            let target = model.shape(m.target);
            let boto_model::ShapeKind::List { member } = &target.kind else {
                continue;
            };
            if m.traits.location != Some(boto_model::Location::Header) {
                continue;
            }
            let Some(name) = model.location_name(m) else {
                continue;
            };
            for (k, v) in expected.iter_mut() {
                if k.eq_ignore_ascii_case(name) {
                    *v = v.replace(", ", ",");
                }
            }
            if matches!(
                model.shape(member.target).kind,
                boto_model::ShapeKind::Timestamp
            ) {
                for (k, v) in actual.iter_mut() {
                    if k.eq_ignore_ascii_case(name) {
                        *v = v.replace(", ", ",");
                    }
                }
            }
        }
    }
    match protocol {
        "query" | "ec2" => {
            let ct = expected
                .iter()
                .position(|(k, _)| k.eq_ignore_ascii_case("Content-Type"));
            match ct {
                Some(i) if !expected[i].1.contains("charset=utf-8") => {
                    expected[i].1.push_str("; charset=utf-8")
                }
                Some(_) => {}
                None => expected.push(("Content-Type".into(), "; charset=utf-8".into())),
            }
        }
        "rest-xml" => expected.retain(|(k, _)| !k.eq_ignore_ascii_case("Content-Type")),
        "rest-json" => expected
            .retain(|(k, v)| !k.eq_ignore_ascii_case("Content-Type") || v == "application/json"),
        _ => {}
    }
    let get = |name: &str| {
        actual
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    for (k, v) in &expected {
        match get(k) {
            Some(a) if a == v => {}
            Some(a) => diffs.push(format!("  header {k}: expected {v:?}, actual {a:?}")),
            None => diffs.push(format!(
                "  header {k}: expected {v:?}, missing (have {:?})",
                actual
            )),
        }
    }
    for f in want
        .get("forbidHeaders")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = f.as_str() {
            if let Some(a) = get(name) {
                diffs.push(format!("  header {name}: forbidden, but sent as {a:?}"));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Semantic body comparison: a CBOR decoder and an XML canonicalizer, just
// enough for the suites (the crate itself only writes these formats).

/// A decoded CBOR item, compared the way botocore compares parsed bodies.
#[derive(Debug, Clone)]
enum Cbor {
    Int(i128),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(Cbor, Cbor)>),
    Tag(u64, Box<Cbor>),
    Float(f64),
    Bool(bool),
    Null,
}

fn cbor_equal(actual: &[u8], expected: &[u8]) -> Result<(), String> {
    let a = Cbor::decode_all(actual).map_err(|e| format!("actual does not decode: {e}"))?;
    let e = Cbor::decode_all(expected).map_err(|e| format!("expected does not decode: {e}"))?;
    if a.same(&e) {
        Ok(())
    } else {
        Err(format!("\n    expected {e:?}\n    actual   {a:?}"))
    }
}

impl Cbor {
    fn decode_all(b: &[u8]) -> Result<Cbor, String> {
        let mut pos = 0;
        let v = Self::item(b, &mut pos, 0)?.ok_or("unexpected break")?;
        if pos != b.len() {
            return Err(format!("{} trailing bytes", b.len() - pos));
        }
        Ok(v)
    }

    fn take<'a>(b: &'a [u8], pos: &mut usize, n: usize) -> Result<&'a [u8], String> {
        let s = b.get(*pos..*pos + n).ok_or("truncated")?;
        *pos += n;
        Ok(s)
    }

    /// One item; `None` for the break marker ending an indefinite-length item.
    fn item(b: &[u8], pos: &mut usize, depth: usize) -> Result<Option<Cbor>, String> {
        if depth > 64 {
            return Err("too deep".into());
        }
        let ib = Self::take(b, pos, 1)?[0];
        let (major, info) = (ib >> 5, ib & 31);
        if ib == 0xff {
            return Ok(None);
        }
        let arg = |pos: &mut usize| -> Result<Option<u64>, String> {
            Ok(Some(match info {
                0..=23 => info as u64,
                24 => Self::take(b, pos, 1)?[0] as u64,
                25 => u16::from_be_bytes(Self::take(b, pos, 2)?.try_into().unwrap()) as u64,
                26 => u32::from_be_bytes(Self::take(b, pos, 4)?.try_into().unwrap()) as u64,
                27 => u64::from_be_bytes(Self::take(b, pos, 8)?.try_into().unwrap()),
                31 => return Ok(None),
                _ => return Err(format!("bad additional info {info}")),
            }))
        };
        let next = |pos: &mut usize| -> Result<Cbor, String> {
            Self::item(b, pos, depth + 1)?.ok_or_else(|| "unexpected break".to_string())
        };
        Ok(Some(match major {
            0 => Cbor::Int(arg(pos)?.ok_or("indefinite int")? as i128),
            1 => Cbor::Int(-1 - arg(pos)?.ok_or("indefinite int")? as i128),
            2 | 3 => {
                let bytes = match arg(pos)? {
                    Some(n) => Self::take(b, pos, n as usize)?.to_vec(),
                    None => {
                        let mut all = Vec::new();
                        while let Some(chunk) = Self::item(b, pos, depth + 1)? {
                            match chunk {
                                Cbor::Bytes(c) => all.extend(c),
                                Cbor::Text(c) => all.extend(c.into_bytes()),
                                other => return Err(format!("bad chunk {other:?}")),
                            }
                        }
                        all
                    }
                };
                if major == 2 {
                    Cbor::Bytes(bytes)
                } else {
                    Cbor::Text(String::from_utf8(bytes).map_err(|e| e.to_string())?)
                }
            }
            4 => {
                let mut items = Vec::new();
                match arg(pos)? {
                    Some(n) => {
                        for _ in 0..n {
                            items.push(next(pos)?);
                        }
                    }
                    None => {
                        while let Some(i) = Self::item(b, pos, depth + 1)? {
                            items.push(i);
                        }
                    }
                }
                Cbor::Array(items)
            }
            5 => {
                let mut entries = Vec::new();
                match arg(pos)? {
                    Some(n) => {
                        for _ in 0..n {
                            let k = next(pos)?;
                            entries.push((k, next(pos)?));
                        }
                    }
                    None => {
                        while let Some(k) = Self::item(b, pos, depth + 1)? {
                            entries.push((k, next(pos)?));
                        }
                    }
                }
                Cbor::Map(entries)
            }
            6 => Cbor::Tag(arg(pos)?.ok_or("indefinite tag")?, Box::new(next(pos)?)),
            _ => match info {
                20 => Cbor::Bool(false),
                21 => Cbor::Bool(true),
                22 | 23 => Cbor::Null,
                25 => Cbor::Float(half(u16::from_be_bytes(
                    Self::take(b, pos, 2)?.try_into().unwrap(),
                ))),
                26 => Cbor::Float(
                    f32::from_be_bytes(Self::take(b, pos, 4)?.try_into().unwrap()) as f64,
                ),
                27 => Cbor::Float(f64::from_be_bytes(
                    Self::take(b, pos, 8)?.try_into().unwrap(),
                )),
                _ => return Err(format!("unsupported simple value {info}")),
            },
        }))
    }

    fn number(&self) -> Option<f64> {
        match self {
            Cbor::Int(i) => Some(*i as f64),
            Cbor::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// Python equality of the parsed values: maps unordered, `1 == 1.0`, NaN equal to NaN.
    fn same(&self, other: &Cbor) -> bool {
        match (self, other) {
            (Cbor::Int(a), Cbor::Int(b)) => a == b,
            (Cbor::Bytes(a), Cbor::Bytes(b)) => a == b,
            (Cbor::Text(a), Cbor::Text(b)) => a == b,
            (Cbor::Bool(a), Cbor::Bool(b)) => a == b,
            (Cbor::Null, Cbor::Null) => true,
            (Cbor::Tag(t, a), Cbor::Tag(u, b)) => t == u && a.same(b),
            (Cbor::Array(a), Cbor::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
            }
            (Cbor::Map(a), Cbor::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.iter().any(|(k2, v2)| k.same(k2) && v.same(v2)))
            }
            _ => match (self.number(), other.number()) {
                (Some(a), Some(b)) => a == b || (a.is_nan() && b.is_nan()),
                _ => false,
            },
        }
    }
}

fn half(h: u16) -> f64 {
    let exp = (h >> 10) & 0x1f;
    let mant = (h & 0x3ff) as f64;
    let v = match exp {
        0 => mant * 2f64.powi(-24),
        31 if mant == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + mant / 1024.0) * 2f64.powi(e as i32 - 15),
    };
    if h & 0x8000 != 0 {
        -v
    } else {
        v
    }
}

/// An element of a parsed XML document, text stripped as C14N `strip_text` does.
#[derive(Debug, PartialEq)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
}

/// Canonical XML equality; `None` when either side does not parse (botocore
/// then compares bytes).
fn xml_equal(actual: &[u8], expected: &[u8]) -> Option<bool> {
    let a = parse_xml(std::str::from_utf8(actual).ok()?)?;
    let e = parse_xml(std::str::from_utf8(expected).ok()?)?;
    Some(a == e)
}

fn parse_xml(s: &str) -> Option<Element> {
    let mut p = XmlParser { s, i: 0 };
    p.misc();
    let root = p.element(0)?;
    p.misc();
    (p.i == s.len()).then_some(root)
}

struct XmlParser<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> XmlParser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }
    /// Skips whitespace, the XML declaration, processing instructions and comments.
    fn misc(&mut self) {
        loop {
            let trimmed = self.rest().trim_start();
            self.i = self.s.len() - trimmed.len();
            let end = if trimmed.starts_with("<?") {
                trimmed.find("?>").map(|e| e + 2)
            } else if trimmed.starts_with("<!--") {
                trimmed.find("-->").map(|e| e + 3)
            } else {
                None
            };
            match end {
                Some(e) => self.i += e,
                None => return,
            }
        }
    }
    fn name(&mut self) -> Option<String> {
        let r = self.rest();
        let n = r
            .find(|c: char| c.is_whitespace() || matches!(c, '>' | '/' | '='))
            .unwrap_or(r.len());
        (n > 0).then(|| {
            self.i += n;
            r[..n].to_string()
        })
    }
    fn element(&mut self, depth: usize) -> Option<Element> {
        if depth > 64 || !self.rest().starts_with('<') {
            return None;
        }
        self.i += 1;
        let name = self.name()?;
        let mut attrs = Vec::new();
        loop {
            self.i = self.s.len() - self.rest().trim_start().len();
            if self.rest().starts_with("/>") {
                self.i += 2;
                attrs.sort();
                return Some(Element {
                    name,
                    attrs,
                    text: String::new(),
                    children: vec![],
                });
            }
            if self.rest().starts_with('>') {
                self.i += 1;
                break;
            }
            let key = self.name()?;
            self.i = self.s.len() - self.rest().trim_start().len();
            self.rest().starts_with('=').then_some(())?;
            self.i += 1;
            self.i = self.s.len() - self.rest().trim_start().len();
            let q = self
                .rest()
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')?;
            let end = self.rest()[1..].find(q)?;
            attrs.push((key, unescape(&self.rest()[1..1 + end])?));
            self.i += end + 2;
        }
        attrs.sort();
        let mut text = String::new();
        let mut children = Vec::new();
        loop {
            let r = self.rest();
            if r.starts_with("</") {
                let end = r.find('>')?;
                (r[2..end].trim() == name).then_some(())?;
                self.i += end + 1;
                break;
            } else if r.starts_with("<!--") {
                self.i += r.find("-->")? + 3;
            } else if let Some(cdata) = r.strip_prefix("<![CDATA[") {
                let end = cdata.find("]]>")?;
                text.push_str(&cdata[..end]);
                self.i += 9 + end + 3;
            } else if r.starts_with('<') {
                children.push(self.element(depth + 1)?);
            } else {
                let end = r.find('<')?;
                text.push_str(&unescape(&r[..end])?);
                self.i += end;
            }
        }
        Some(Element {
            name,
            attrs,
            text: text.trim().to_string(),
            children,
        })
    }
}

fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let semi = rest[amp..].find(';')? + amp;
        let ent = &rest[amp + 1..semi];
        out.push(match ent {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let n = match ent.strip_prefix("#x") {
                    Some(h) => u32::from_str_radix(h, 16).ok()?,
                    None => ent.strip_prefix('#')?.parse().ok()?,
                };
                char::from_u32(n)?
            }
        });
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}
