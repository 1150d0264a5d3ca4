//! XML bodies compared as element trees, with text stripped as C14N
//! `strip_text` does (botocore's comparison); bytes when either side
//! does not parse.

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
pub(super) fn xml_equal(actual: &[u8], expected: &[u8]) -> Option<bool> {
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
