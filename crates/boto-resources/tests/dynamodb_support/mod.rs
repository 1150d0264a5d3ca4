//! Shared pieces of the DynamoDB tests: the boto3 oracle process
//! (`dynamodb_oracle.py` under `BOTO_TEST_PYTHON`), a seeded RNG, tagged JSON
//! for plain values, wire JSON, and random values and condition trees.

#![allow(dead_code)]

use boto::Value;
use boto_resources::dynamodb::{Attr, AttrValue, Condition, Decimal, Doc, Item, Key, Operand};
use serde_json::{json, Value as Json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// boto3 1.43.67 answering JSON lines.
pub struct Oracle {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Oracle {
    /// Starts the oracle, or prints why the test is skipped.
    pub fn start() -> Option<Oracle> {
        let python = match std::env::var("BOTO_TEST_PYTHON") {
            Ok(p) if !p.is_empty() => p,
            _ => {
                eprintln!("skipped: BOTO_TEST_PYTHON not set (scripts/with_servers.sh and scripts/test.sh set it)");
                return None;
            }
        };
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/dynamodb_oracle.py");
        let mut child = Command::new(python)
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the oracle python starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Some(Oracle {
            child,
            stdin,
            stdout,
        })
    }

    pub fn ask(&mut self, request: &Json) -> Json {
        writeln!(self.stdin, "{request}").expect("write to the oracle");
        self.stdin.flush().expect("flush");
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .expect("read from the oracle");
        assert!(!line.is_empty(), "the oracle exited (request {request})");
        serde_json::from_str(&line).expect("the oracle answers JSON")
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// splitmix64: small, seeded, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Tagged JSON → AttrValue, with the Rust API a user would call.
pub fn attr_from_tagged(t: &Json) -> Result<AttrValue, String> {
    Ok(match t {
        Json::Null => AttrValue::Null,
        Json::Bool(b) => AttrValue::Bool(*b),
        Json::String(s) => AttrValue::String(s.clone()),
        Json::Array(a) => {
            AttrValue::List(a.iter().map(attr_from_tagged).collect::<Result<_, _>>()?)
        }
        Json::Object(o) => {
            let (tag, v) = o.iter().next().ok_or("empty tag")?;
            let s = || v.as_str().unwrap_or_default().to_string();
            let list = || v.as_array().cloned().unwrap_or_default();
            match tag.as_str() {
                "n" => AttrValue::Number(Decimal::parse(&s()).map_err(|e| e.to_string())?),
                "i" => {
                    let i: i128 = s().parse().map_err(|e| format!("{e}"))?;
                    match i64::try_from(i) {
                        Ok(small) => AttrValue::from(small),
                        Err(_) => {
                            AttrValue::Number(Decimal::try_from(i).map_err(|e| e.to_string())?)
                        }
                    }
                }
                "f" => AttrValue::from_plain(&Value::Float(v.as_f64().unwrap_or(0.5)))
                    .map_err(|e| e.to_string())?,
                "b" => AttrValue::binary(unhex(&s())),
                "m" => AttrValue::Map(
                    v.as_object()
                        .ok_or("m")?
                        .iter()
                        .map(|(k, x)| Ok((k.clone(), attr_from_tagged(x)?)))
                        .collect::<Result<Item, String>>()?,
                ),
                "ss" => AttrValue::string_set(
                    list()
                        .iter()
                        .map(|x| x.as_str().unwrap_or_default().to_string()),
                ),
                "ns" => AttrValue::NumberSet(
                    list()
                        .iter()
                        .map(|x| {
                            Decimal::parse(x.as_str().unwrap_or_default())
                                .map_err(|e| e.to_string())
                        })
                        .collect::<Result<_, _>>()?,
                ),
                "bs" => AttrValue::binary_set(
                    list().iter().map(|x| unhex(x.as_str().unwrap_or_default())),
                ),
                other => return Err(format!("unknown tag {other}")),
            }
        }
        Json::Number(_) => return Err("bare JSON number".into()),
    })
}

/// AttrValue → tagged JSON, sets sorted (as the oracle prints them).
pub fn tagged_from_attr(a: &AttrValue) -> Json {
    match a {
        AttrValue::Null => Json::Null,
        AttrValue::Bool(b) => json!(b),
        AttrValue::Number(n) => json!({"n": n.to_string()}),
        AttrValue::String(s) => json!(s),
        AttrValue::Binary(b) => json!({"b": hex(b)}),
        AttrValue::List(l) => Json::Array(l.iter().map(tagged_from_attr).collect()),
        AttrValue::Map(m) => {
            json!({"m": m.iter().map(|(k, v)| (k.clone(), tagged_from_attr(v))).collect::<serde_json::Map<_, _>>()})
        }
        AttrValue::StringSet(s) => json!({"ss": sorted(s.iter().cloned())}),
        AttrValue::NumberSet(s) => json!({"ns": sorted(s.iter().map(|n| n.to_string()))}),
        AttrValue::BinarySet(s) => json!({"bs": sorted(s.iter().map(|b| hex(b)))}),
    }
}

fn sorted(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = items.collect();
    v.sort();
    v
}

/// Wire boto::Value → JSON as the oracle prints it.
pub fn wire_json(v: &Value) -> Json {
    match v {
        Value::Blob(b) => json!({"$b": hex(b)}),
        Value::List(l) => Json::Array(l.iter().map(wire_json).collect()),
        Value::Map(m) => {
            let mut out = serde_json::Map::new();
            for (k, x) in m {
                let mut x = wire_json(x);
                if let (true, Json::Array(a)) = (matches!(k.as_str(), "SS" | "NS" | "BS"), &mut x) {
                    a.sort_by_key(|e| {
                        e.as_str()
                            .or_else(|| e["$b"].as_str())
                            .unwrap_or_default()
                            .to_string()
                    });
                }
                out.insert(k.to_string(), x);
            }
            Json::Object(out)
        }
        other => other.to_json(),
    }
}

/// Oracle wire JSON → boto::Value.
pub fn wire_from_json(j: &Json) -> Value {
    match j {
        Json::Object(o) if o.len() == 1 && o.contains_key("$b") => {
            Value::Blob(unhex(o["$b"].as_str().unwrap_or_default()))
        }
        Json::Object(o) => Value::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), wire_from_json(v)))
                .collect(),
        ),
        Json::Array(a) => Value::List(a.iter().map(wire_from_json).collect()),
        other => Value::from_json(other),
    }
}

/// Condition operand JSON → Operand.
pub fn operand_from_json(o: &Json) -> Result<Operand, String> {
    let (tag, v) = o
        .as_object()
        .and_then(|m| m.iter().next())
        .ok_or("operand")?;
    let name = v.as_str().unwrap_or_default();
    Ok(match tag.as_str() {
        "key" => Key(name).into(),
        "attr" => Attr(name).into(),
        "size" => Attr(name).size().into(),
        _ => Operand::Value(attr_from_tagged(v)?),
    })
}

/// Condition tree JSON → Condition, through the public builder methods.
pub fn condition_from_json(t: &Json) -> Result<Condition, String> {
    let op = t["op"].as_str().ok_or("op")?;
    let sub = |k: &str| condition_from_json(&t[k]);
    match op {
        "and" => return Ok(sub("a")? & sub("b")?),
        "or" => return Ok(sub("a")? | sub("b")?),
        "not" => return Ok(!sub("a")?),
        "size_cond" => return Ok(Attr(t["name"].as_str().unwrap_or_default()).size().into()),
        _ => {}
    }
    let args: Vec<Operand> = t["args"]
        .as_array()
        .map(|a| a.iter().map(operand_from_json).collect::<Result<_, _>>())
        .transpose()?
        .unwrap_or_default();
    let arg = |i: usize| {
        args.get(i)
            .cloned()
            .ok_or_else(|| format!("{op} needs argument {i}"))
    };
    let (tag, v) = t["subject"]
        .as_object()
        .and_then(|m| m.iter().next())
        .ok_or("subject")?;
    let name = v.as_str().unwrap_or_default();
    macro_rules! base {
        ($s:expr) => {
            match op {
                "eq" => $s.eq(arg(0)?),
                "lt" => $s.lt(arg(0)?),
                "lte" => $s.lte(arg(0)?),
                "gt" => $s.gt(arg(0)?),
                "gte" => $s.gte(arg(0)?),
                "begins_with" => $s.begins_with(arg(0)?),
                "between" => $s.between(arg(0)?, arg(1)?),
                other => return Err(format!("{other} on {tag}")),
            }
        };
    }
    Ok(match tag.as_str() {
        "key" => base!(Key(name)),
        "size" => base!(Attr(name).size()),
        _ => {
            let a = Attr(name);
            match op {
                "ne" => a.ne(arg(0)?),
                "is_in" => a.is_in(
                    t["values"]
                        .as_array()
                        .ok_or("values")?
                        .iter()
                        .map(attr_from_tagged)
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                "exists" => a.exists(),
                "not_exists" => a.not_exists(),
                "contains" => a.contains(arg(0)?),
                "attribute_type" => a.attribute_type(arg(0)?),
                _ => base!(a),
            }
        }
    })
}

/// Transform-test params JSON → Doc (`{"$cond": tree}`, `{"$val": tagged}`).
pub fn doc_from_json(j: &Json) -> Result<Doc, String> {
    Ok(match j {
        Json::Object(o) if o.len() == 1 && o.contains_key("$cond") => {
            Doc::Condition(condition_from_json(&o["$cond"])?)
        }
        Json::Object(o) if o.len() == 1 && o.contains_key("$val") => {
            Doc::Attr(attr_from_tagged(&o["$val"])?)
        }
        Json::Object(o) => Doc::Map(
            o.iter()
                .map(|(k, v)| Ok((k.clone(), doc_from_json(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Json::Array(a) => Doc::List(a.iter().map(doc_from_json).collect::<Result<_, _>>()?),
        other => Doc::Plain(Value::from_json(other)),
    })
}

const WORDS: &[&str] = &[
    "pk", "sk", "name", "year", "a", "b", "data", "Size", "status", "x y", "é", "#h", ":c", "n0",
];

/// A random attribute path: plain names, nested `a.b`, indexes `a[1]`, odd brackets.
pub fn random_path(rng: &mut Rng) -> String {
    let mut p = rng.pick(WORDS).to_string();
    for _ in 0..rng.below(3) {
        match rng.below(6) {
            0 | 1 => p = format!("{p}.{}", rng.pick(WORDS)),
            2 | 3 => p = format!("{p}[{}]", rng.below(12)),
            4 => p = format!("{p}[{}]", rng.pick(WORDS)),
            _ => p = format!("{p}]{}", rng.pick(WORDS)),
        }
    }
    p
}

/// A random number's text, often near DynamoDB's limits, sometimes beyond them.
pub fn random_number(rng: &mut Rng, valid_only: bool) -> String {
    loop {
        let ndigits = if rng.chance(15) {
            rng.range(36, 40)
        } else {
            rng.range(1, 12)
        } as usize;
        let mut digits: String = (0..ndigits)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        if rng.chance(10) {
            digits = "0".repeat(ndigits);
        }
        let exp = match rng.below(6) {
            0 => rng.range(120, 130) - ndigits as i64 + 1,
            1 => rng.range(-170, -160),
            2 => rng.range(-132, -124) - ndigits as i64 + 1,
            _ => rng.range(-8, 8),
        };
        let sign = if rng.chance(30) { "-" } else { "" };
        let text = match rng.below(3) {
            0 => format!("{sign}{digits}E{exp}"),
            1 if (-20..=0).contains(&exp) && (-exp as usize) < ndigits => {
                let point = ndigits - (-exp as usize);
                format!("{sign}{}.{}", &digits[..point], &digits[point..])
            }
            _ => format!("{sign}{digits}e{exp:+}"),
        };
        if !valid_only || Decimal::parse(&text).is_ok() {
            return text;
        }
    }
}

/// A random tagged plain value (nested up to `depth`); `valid_only` keeps
/// numbers in range and skips floats.
pub fn random_tagged(rng: &mut Rng, depth: u32, valid_only: bool) -> Json {
    let kinds = if depth == 0 { 8 } else { 10 };
    match rng.below(kinds) {
        0 => Json::Null,
        1 => json!(rng.chance(50)),
        2 => json!({"n": random_number(rng, valid_only)}),
        3 => {
            let big = rng.chance(20);
            let i: i128 = if big {
                let i = (rng.next() as i128) * ((rng.next() >> 1) as i128);
                if rng.chance(50) {
                    -i
                } else {
                    i
                }
            } else {
                rng.next() as i64 as i128
            };
            if valid_only && Decimal::try_from(i).is_err() {
                return json!({"i": "7"});
            }
            json!({"i": i.to_string()})
        }
        4 => json!(random_string(rng)),
        5 if rng.chance(30) => {
            let mut v: Vec<String> = (0..rng.range(1, 4)).map(|_| random_bytes(rng)).collect();
            v.sort();
            v.dedup();
            json!({"bs": v})
        }
        5 => json!({"b": random_bytes(rng)}),
        6 => {
            let mut v: Vec<String> = (0..rng.range(1, 4)).map(|_| random_string(rng)).collect();
            v.dedup();
            v.sort();
            v.dedup();
            json!({"ss": v})
        }
        7 => {
            let mut seen: Vec<Decimal> = Vec::new();
            let mut out = Vec::new();
            for _ in 0..rng.range(1, 4) {
                let t = random_number(rng, true);
                let d = Decimal::parse(&t).expect("valid");
                if !seen.contains(&d) {
                    seen.push(d);
                    out.push(t);
                }
            }
            json!({"ns": out})
        }
        8 => Json::Array(
            (0..rng.below(4))
                .map(|_| random_tagged(rng, depth - 1, valid_only))
                .collect(),
        ),
        _ => {
            let mut m = serde_json::Map::new();
            for _ in 0..rng.below(4) {
                m.insert(
                    random_string(rng),
                    random_tagged(rng, depth - 1, valid_only),
                );
            }
            json!({"m": m})
        }
    }
}

pub fn random_string(rng: &mut Rng) -> String {
    const CHARS: &[&str] = &[
        "a", "b", "Z", "0", " ", "é", "日", "\"", "\\", "\n", "😀", "_",
    ];
    (0..rng.below(6)).map(|_| *rng.pick(CHARS)).collect()
}

/// Random bytes as hex (0 to 5 bytes).
pub fn random_bytes(rng: &mut Rng) -> String {
    hex(&(0..rng.below(6))
        .map(|_| rng.below(256) as u8)
        .collect::<Vec<_>>())
}
