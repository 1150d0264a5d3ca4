//! The JMESPath expressions of the resource models, evaluated on [`Value`]s.
//!
//! Almost every path in `resources-1.json` is `A.B`, `A[0]`, `A[]` or
//! `A[].B`; those are walked directly on the value (blobs and timestamps stay
//! what they are, and a 1,000-object page is not converted twice). Anything
//! else (`[Versions,DeleteMarkers]|[]`, `@`) goes through `boto-jmespath`,
//! as boto3 goes through `jmespath.search`.

use boto::{Error, Value};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(i64),
}

#[derive(Debug, Clone)]
enum Kind {
    Identity,
    /// Segments, then optionally `[]` and more segments projected over the elements.
    Walk {
        head: Vec<Seg>,
        project: Option<Vec<Seg>>,
    },
    Jmes(boto_jmespath::Expression),
}

/// A compiled path.
#[derive(Debug, Clone)]
pub struct Path {
    text: String,
    kind: Kind,
}

fn segments(s: &str) -> Option<Vec<Seg>> {
    let mut out = Vec::new();
    if s.is_empty() {
        return Some(out);
    }
    for part in s.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        let ident = |n: &str| {
            let mut c = n.chars();
            c.next()
                .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
                && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
        };
        if !ident(name) {
            return None;
        }
        out.push(Seg::Key(name.to_string()));
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let n: i64 = r[..end].parse().ok()?;
            out.push(Seg::Index(n));
            rest = &r[end + 1..];
        }
    }
    Some(out)
}

impl Path {
    /// Compiles a path; JMESPath syntax errors are errors.
    pub fn new(text: &str) -> Result<Path, Error> {
        let compiled = boto_jmespath::compile(text).map_err(|e| {
            Error::construction(format!("invalid JMESPath expression {text:?}: {e}"))
        })?;
        let kind = if text == "@" {
            Kind::Identity
        } else {
            let walk = match text.split_once("[]") {
                Some((_, tail)) if tail.contains("[]") => None,
                Some((head, "")) => segments(head)
                    .filter(|h| !h.is_empty())
                    .map(|h| (h, Some(Vec::new()))),
                Some((head, tail)) => {
                    match (segments(head), tail.strip_prefix('.').and_then(segments)) {
                        (Some(h), Some(t)) if !h.is_empty() && !t.is_empty() => Some((h, Some(t))),
                        _ => None,
                    }
                }
                None => segments(text).filter(|s| !s.is_empty()).map(|s| (s, None)),
            };
            match walk {
                Some((head, project)) => Kind::Walk { head, project },
                None => Kind::Jmes(compiled),
            }
        };
        Ok(Path {
            text: text.to_string(),
            kind,
        })
    }

    /// The JMESPath text as written in the model.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Evaluates the path; a type mismatch reads as null, as in JMESPath.
    pub fn search(&self, v: &Value) -> Value {
        match &self.kind {
            Kind::Identity => v.clone(),
            Kind::Walk { head, project } => {
                let base = walk(v, head);
                match project {
                    None => base.clone(),
                    Some(rest) => {
                        let Value::List(items) = base else {
                            return Value::Null;
                        };
                        let mut out = Vec::with_capacity(items.len());
                        let mut push = |e: &Value| {
                            let r = walk(e, rest);
                            if !r.is_null() {
                                out.push(r.clone());
                            }
                        };
                        for item in items {
                            match item {
                                Value::List(inner) => inner.iter().for_each(&mut push),
                                other => push(other),
                            }
                        }
                        Value::List(out)
                    }
                }
            }
            Kind::Jmes(e) => e
                .search(&boto::core::runtime::jmespath::to_variable(v))
                .map(|r| boto::core::runtime::jmespath::from_variable(&r))
                .unwrap_or(Value::Null),
        }
    }
}

impl Path {
    /// Like [`Path::search`], but moves the result out of `v` instead of
    /// cloning it when the path is a plain walk (`Contents[]`, `Stacks[0]`);
    /// `v` is left with nulls where the result was taken.
    pub fn take(&self, v: &mut Value) -> Value {
        match &self.kind {
            Kind::Identity => std::mem::take(v),
            Kind::Walk { head, project } => {
                let Some(base) = walk_mut(v, head) else {
                    return Value::Null;
                };
                let Some(rest) = project else {
                    return std::mem::take(base);
                };
                let Value::List(items) = base else {
                    return Value::Null;
                };
                let mut out = Vec::with_capacity(items.len());
                let mut push = |e: &mut Value| {
                    if let Some(r) = walk_mut(e, rest) {
                        if !r.is_null() {
                            out.push(std::mem::take(r));
                        }
                    }
                };
                for item in items.iter_mut() {
                    match item {
                        Value::List(inner) => inner.iter_mut().for_each(&mut push),
                        other => push(other),
                    }
                }
                Value::List(out)
            }
            Kind::Jmes(_) => self.search(v),
        }
    }
}

fn walk_mut<'a>(v: &'a mut Value, segs: &[Seg]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in segs {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Map(m)) => m.get_mut(k)?,
            (Seg::Index(i), Value::List(l)) => {
                let idx = if *i < 0 { l.len() as i64 + i } else { *i };
                if idx < 0 {
                    return None;
                }
                l.get_mut(idx as usize)?
            }
            _ => return None,
        };
    }
    Some(cur)
}

fn walk<'a>(v: &'a Value, segs: &[Seg]) -> &'a Value {
    static NULL: Value = Value::Null;
    let mut cur = v;
    for s in segs {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Map(m)) => m.get(k).unwrap_or(&NULL),
            (Seg::Index(i), Value::List(l)) => {
                let idx = if *i < 0 { l.len() as i64 + i } else { *i };
                if idx < 0 {
                    &NULL
                } else {
                    l.get(idx as usize).unwrap_or(&NULL)
                }
            }
            _ => &NULL,
        };
    }
    cur
}

/// Evaluates `text` (compiled once per process).
pub fn search(text: &str, v: &Value) -> Result<Value, Error> {
    Ok(cached(text)?.search(v))
}

/// The compiled path for `text`, from a process-wide cache (the models hold
/// a few hundred distinct paths).
pub(crate) fn cached(text: &str) -> Result<Arc<Path>, Error> {
    static CACHE: OnceLock<RwLock<HashMap<String, Arc<Path>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(p) = cache.read().unwrap_or_else(|e| e.into_inner()).get(text) {
        return Ok(p.clone());
    }
    let p = Arc::new(Path::new(text)?);
    cache
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(text.to_string(), p.clone());
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto::value;

    fn check(text: &str, v: &Value) {
        let fast = Path::new(text).unwrap().search(v);
        let slow = boto::core::runtime::jmespath::search(text, v).unwrap();
        assert_eq!(fast, slow, "{text}");
        let taken = Path::new(text).unwrap().take(&mut v.clone());
        assert_eq!(taken, slow, "take {text}");
    }

    #[test]
    fn fast_paths_agree_with_jmespath() {
        let v = value!({
            "Contents": [{"Key": "a", "Size": 1}, {"Key": "b"}, {"Size": 3}],
            "Reservations": [{"Instances": [{"InstanceId": "i-1"}, {"InstanceId": "i-2"}]}],
            "Stacks": [{"StackName": "s"}],
            "Nested": [[{"Key": "x"}], {"Key": "y"}],
            "Bucket": "b",
        });
        for p in [
            "Contents[]",
            "Contents[].Key",
            "Contents[].Size",
            "Stacks[0]",
            "Stacks[0].StackName",
            "Reservations[0].Instances[0]",
            "Reservations[].Instances[]",
            "Reservations[].Instances[].InstanceId",
            "Nested[].Key",
            "Bucket",
            "Missing[].Key",
            "Bucket[]",
            "@",
            "[Contents,Stacks]|[]",
            "Stacks[-1]",
        ] {
            check(p, &v);
        }
    }

    #[test]
    fn invalid_paths_are_errors() {
        assert!(Path::new("Contents[.Key").is_err());
    }
}
