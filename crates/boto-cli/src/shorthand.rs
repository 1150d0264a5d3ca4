//! aws-cli's shorthand syntax: `Key=a,Value=b`, `Values=[x,y]`, `{K=v}`.
//!
//! This is a purely syntactic parser, a port of the grammar in aws-cli's
//! `shorthand.py`, because users' muscle memory (and their scripts) depend on
//! its exact corner cases: comma lists that end where the next `key=` begins,
//! `\,` escapes, quoted values, and `key@=file://...` to load one value from a
//! file. Shape-directed fix-ups (a scalar where a list is expected, numbers,
//! booleans) happen later, in [`crate::build`], as aws-cli's
//! `BackCompatVisitor` does.

use crate::raw::Raw;

/// A shorthand syntax error, worded like aws-cli's.
#[derive(Debug, Clone, PartialEq)]
pub struct ShorthandError(pub String);

impl std::fmt::Display for ShorthandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Deeper nesting than any model needs; stops hostile input from recursing without bound.
const MAX_DEPTH: usize = 64;

/// Parses one shorthand value into a map (the top level is always `k=v,...`).
pub fn parse(input: &str) -> Result<Raw, ShorthandError> {
    let mut p = Parser {
        s: input.chars().collect(),
        i: 0,
        resolve_files: false,
        depth: 0,
    };
    p.parameter()
}

struct Parser {
    s: Vec<char>,
    i: usize,
    resolve_files: bool,
    depth: usize,
}

fn start_word(c: char) -> bool {
    !(c as u32 <= 0x20 || matches!(c, '"' | '\'' | ',' | '=' | '[' | '{' | '\u{7f}'))
}
fn first_follow(c: char) -> bool {
    c.is_whitespace() || !(c < ' ' || matches!(c, '"' | '\'' | ',' | ']' | '}' | '\u{7f}'))
}
fn second_follow(c: char) -> bool {
    c.is_whitespace() || !(c < ' ' || matches!(c, '"' | '\'' | ',' | '=' | '\u{7f}'))
}

impl Parser {
    fn at_eof(&self) -> bool {
        self.i >= self.s.len()
    }
    fn cur(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn text(&self) -> String {
        self.s.iter().collect()
    }

    fn location(&self, index: usize) -> String {
        let value = self.text();
        let chars = &self.s;
        let index = index.min(chars.len());
        let before: String = chars[..index].iter().collect();
        let after: String = chars[index..].iter().collect();
        let mut num_spaces = index;
        if let Some(nl) = before.rfind('\n') {
            num_spaces = before[nl + 1..].chars().count();
        }
        let (consumed, remaining) = match after.find('\n') {
            Some(nl) => (format!("{before}{}", &after[..nl]), after[nl..].to_string()),
            None => (value, String::new()),
        };
        format!("{consumed}\n{}^{remaining}", " ".repeat(num_spaces))
    }

    fn syntax_error(&self, expected: &str, actual: &str, index: usize) -> ShorthandError {
        ShorthandError(format!(
            "Expected: '{expected}', received: '{actual}' for input:\n{}",
            self.location(index)
        ))
    }

    fn expect(&mut self, c: char, ws: bool) -> Result<(), ShorthandError> {
        if ws {
            self.ws();
        }
        match self.cur() {
            None => return Err(self.syntax_error(&c.to_string(), "EOF", self.i)),
            Some(a) if a != c => {
                return Err(self.syntax_error(&c.to_string(), &a.to_string(), self.i))
            }
            _ => self.i += 1,
        }
        if ws {
            self.ws();
        }
        Ok(())
    }

    fn ws(&mut self) {
        while self.cur().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }

    fn parameter(&mut self) -> Result<Raw, ShorthandError> {
        let mut params: Vec<(String, Raw)> = Vec::new();
        let (k, v) = self.keyval()?;
        params.push((k, v));
        let mut last = self.i;
        while !self.at_eof() {
            self.expect(',', true)?;
            let (k, v) = self.keyval()?;
            if params.iter().any(|(pk, _)| *pk == k) {
                return Err(ShorthandError(format!(
                    "Second instance of key \"{k}\" encountered for input:\n{}\nThis is often because \
                     there is a preceding \",\" instead of a space.",
                    self.location(last + 1)
                )));
            }
            params.push((k, v));
            last = self.i;
        }
        Ok(Raw::Map(params))
    }

    fn at_sign(&mut self) {
        self.resolve_files = false;
        let save = self.i;
        self.ws();
        if self.cur() == Some('@') {
            self.i += 1;
            self.ws();
            self.resolve_files = true;
        } else {
            self.i = save;
        }
    }

    fn keyval(&mut self) -> Result<(String, Raw), ShorthandError> {
        let key = self.key();
        self.at_sign();
        self.expect('=', true)?;
        let v = self.values()?;
        Ok((key, v))
    }

    fn key(&mut self) -> String {
        let start = self.i;
        while let Some(c) = self.cur() {
            if !(c.is_ascii_alphanumeric() || "-_.#/:".contains(c)) {
                break;
            }
            self.i += 1;
        }
        self.s[start..self.i].iter().collect()
    }

    fn values(&mut self) -> Result<Raw, ShorthandError> {
        match self.cur() {
            None => Ok(Raw::Str(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.csv_value(),
        }
    }

    fn csv_value(&mut self) -> Result<Raw, ShorthandError> {
        let first = self.first_value()?;
        self.ws();
        if self.at_eof() || self.cur() != Some(',') {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut list = vec![first];
        loop {
            let attempt = (|| {
                let v = self.second_value()?;
                self.ws();
                if self.at_eof() {
                    return Ok((v, true));
                }
                self.expect(',', true)?;
                Ok((v, false))
            })();
            match attempt {
                Ok((v, eof)) => {
                    list.push(v);
                    if eof {
                        break;
                    }
                }
                Err(e) => {
                    if self.at_eof() {
                        return Err(e);
                    }
                    self.backtrack_to(',');
                    break;
                }
            }
        }
        if list.len() == 1 {
            return Ok(list.pop().unwrap_or(Raw::Null));
        }
        Ok(Raw::List(list))
    }

    fn backtrack_to(&mut self, c: char) {
        loop {
            if self.s.get(self.i) == Some(&c) || self.i == 0 {
                return;
            }
            self.i -= 1;
        }
    }

    fn enter(&mut self) -> Result<(), ShorthandError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ShorthandError(
                "Shorthand value is nested too deeply".into(),
            ));
        }
        Ok(())
    }

    fn explicit_list(&mut self) -> Result<Raw, ShorthandError> {
        self.enter()?;
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.cur() != Some(']') {
            if self.at_eof() {
                return Err(self.syntax_error("]", "EOF", self.i));
            }
            values.push(self.explicit_values()?);
            self.ws();
            if self.cur() != Some(']') {
                self.expect(',', false)?;
                self.ws();
            }
        }
        self.expect(']', false)?;
        self.depth -= 1;
        Ok(Raw::List(values))
    }

    fn explicit_values(&mut self) -> Result<Raw, ShorthandError> {
        match self.cur() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value(),
        }
    }

    fn hash_literal(&mut self) -> Result<Raw, ShorthandError> {
        self.enter()?;
        self.expect('{', true)?;
        let mut kv: Vec<(String, Raw)> = Vec::new();
        while self.cur() != Some('}') {
            if self.at_eof() {
                return Err(self.syntax_error("}", "EOF", self.i));
            }
            let key = self.key();
            self.at_sign();
            self.expect('=', true)?;
            let v = self.explicit_values()?;
            self.ws();
            if self.cur() != Some('}') {
                self.expect(',', false)?;
                self.ws();
            }
            match kv.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = v,
                None => kv.push((key, v)),
            }
        }
        self.expect('}', false)?;
        self.depth -= 1;
        Ok(Raw::Map(kv))
    }

    fn first_value(&mut self) -> Result<Raw, ShorthandError> {
        match self.cur() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => {
                let v = self.scan(first_follow);
                Ok(self.finish(v))
            }
        }
    }

    fn second_value(&mut self) -> Result<Raw, ShorthandError> {
        match self.cur() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => {
                let start = self.i;
                let v = self.scan(second_follow);
                if self.i == start {
                    return Err(self.syntax_error("<second>", "<none>", self.i));
                }
                Ok(self.finish(v))
            }
        }
    }

    /// `(\\,|[START])(\\,|[FOLLOW])*`, then `\,` → `,` and right-trimmed.
    fn scan(&mut self, follow: fn(char) -> bool) -> String {
        let mut out = String::new();
        let mut first = true;
        while let Some(c) = self.cur() {
            if c == '\\' && self.s.get(self.i + 1) == Some(&',') {
                out.push(',');
                self.i += 2;
            } else if (first && start_word(c)) || (!first && follow(c)) {
                out.push(c);
                self.i += 1;
            } else {
                break;
            }
            first = false;
        }
        out.truncate(out.trim_end().len());
        out
    }

    fn quoted(&mut self, q: char) -> Result<Raw, ShorthandError> {
        let start = self.i;
        let mut j = self.i + 1;
        loop {
            match self.s.get(j) {
                None => {
                    let name = if q == '"' {
                        "double quoted"
                    } else {
                        "singled quoted"
                    };
                    return Err(self.syntax_error(&format!("<{name}>"), "<none>", start));
                }
                Some('\\') if self.s.get(j + 1) == Some(&q) => j += 2,
                Some(c) if *c == q => break,
                _ => j += 1,
            }
        }
        let inner: String = self.s[start + 1..j].iter().collect();
        self.i = j + 1;
        let v = inner
            .replace(&format!("\\{q}"), &q.to_string())
            .replace("\\\\", "\\");
        Ok(self.finish(v))
    }

    fn finish(&self, v: String) -> Raw {
        if self.resolve_files {
            if let Some(r) = crate::paramfile::resolve_lossy(&v) {
                return r;
            }
        }
        Raw::Str(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Raw {
        Raw::Str(v.into())
    }
    fn m(kv: &[(&str, Raw)]) -> Raw {
        Raw::Map(kv.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn simple_pairs_and_csv_lists() {
        assert_eq!(
            parse("Key=a,Value=b").unwrap(),
            m(&[("Key", s("a")), ("Value", s("b"))])
        );
        assert_eq!(
            parse("a=b,c").unwrap(),
            m(&[("a", Raw::List(vec![s("b"), s("c")]))])
        );
        assert_eq!(
            parse("a=b,c,d=e").unwrap(),
            m(&[("a", Raw::List(vec![s("b"), s("c")])), ("d", s("e"))])
        );
        assert_eq!(parse("a=").unwrap(), m(&[("a", s(""))]));
        assert_eq!(
            parse("a = b , c = d").unwrap(),
            m(&[("a", s("b")), ("c", s("d"))])
        );
    }

    #[test]
    fn explicit_lists_hashes_and_quotes() {
        assert_eq!(
            parse("Key=a,Values=[x,y]").unwrap(),
            m(&[("Key", s("a")), ("Values", Raw::List(vec![s("x"), s("y")]))])
        );
        assert_eq!(
            parse("a={b=c,d=[e,{f=g}]}").unwrap(),
            m(&[(
                "a",
                m(&[
                    ("b", s("c")),
                    ("d", Raw::List(vec![s("e"), m(&[("f", s("g"))])]))
                ])
            )])
        );
        assert_eq!(
            parse("a='x,y',b=\"q\\\"r\"").unwrap(),
            m(&[("a", s("x,y")), ("b", s("q\"r"))])
        );
        assert_eq!(parse("a=x\\,y").unwrap(), m(&[("a", s("x,y"))]));
        assert_eq!(parse("a=[]").unwrap(), m(&[("a", Raw::List(vec![]))]));
        assert_eq!(
            parse("url=http://x/?a=b").unwrap(),
            m(&[("url", s("http://x/?a=b"))])
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("foo").unwrap_err().0;
        assert_eq!(e, "Expected: '=', received: 'EOF' for input:\nfoo\n   ^");
        let e = parse("a=b,a=c").unwrap_err().0;
        assert!(e.starts_with("Second instance of key \"a\""), "{e}");
        assert!(parse("a=[b").is_err());
        assert!(parse("a={b=c").is_err());
        assert!(parse("a='unterminated").is_err());
        assert!(parse("").is_err());
        let deep = format!("a={}", "[".repeat(500));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            "=", ",", "a=,", "a=b,", "a=b,,", "a=[,]", "a={=}", "a=\"", "a=b,c=", "é=ü", "a=[b,]",
            "@=x",
        ] {
            let _ = parse(input);
        }
    }
}
