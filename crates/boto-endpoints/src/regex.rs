//! A tiny backtracking regular-expression matcher.
//!
//! The only regular expressions the engine must honour at runtime are the
//! `regionRegex` patterns in `partitions.json` (e.g.
//! `^(us|eu|ap)\-\w+\-\d+$`). Pulling in the `regex` crate for a handful of
//! short, anchored patterns matched against short region names is not worth
//! the build time, so this module implements the subset of Python `re`
//! syntax such patterns use: literals, `.`, escapes (`\d \w \s` and their
//! negations), classes `[...]`, groups `(...)`/`(?:...)`, alternation and
//! the quantifiers `* + ? {n} {n,} {n,m}` (lazy suffixes accepted). Matching
//! follows `re.match`: anchored at the start, and `$` also matches before a
//! final newline.

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class {
        items: Vec<ClassItem>,
        negated: bool,
    },
    Start,
    End,
    Group(Vec<Vec<Node>>),
    Repeat(Box<Node>, usize, usize),
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Regex {
    alts: Vec<Vec<Node>>,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

impl ClassItem {
    fn matches(&self, c: char) -> bool {
        match *self {
            ClassItem::Range(a, b) => a <= c && c <= b,
            ClassItem::Digit(pos) => is_digit(c) == pos,
            ClassItem::Word(pos) => is_word(c) == pos,
            ClassItem::Space(pos) => c.is_whitespace() == pos,
        }
    }
}

struct Parser<'p> {
    chars: std::iter::Peekable<std::str::Chars<'p>>,
}

impl Parser<'_> {
    fn alternation(&mut self) -> Result<Vec<Vec<Node>>, String> {
        let mut alts = vec![self.sequence()?];
        while self.chars.peek() == Some(&'|') {
            self.chars.next();
            alts.push(self.sequence()?);
        }
        Ok(alts)
    }

    fn sequence(&mut self) -> Result<Vec<Node>, String> {
        let mut seq = Vec::new();
        while let Some(&c) = self.chars.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.chars.next();
            let atom = match c {
                '^' => Node::Start,
                '$' => Node::End,
                '.' => Node::Any,
                '(' => {
                    if self.chars.peek() == Some(&'?') {
                        self.chars.next();
                        if self.chars.next() != Some(':') {
                            return Err("unsupported group syntax".into());
                        }
                    }
                    let alts = self.alternation()?;
                    if self.chars.next() != Some(')') {
                        return Err("missing )".into());
                    }
                    Node::Group(alts)
                }
                '[' => self.class()?,
                '\\' => match self.escape()? {
                    ClassItem::Range(a, _) => Node::Char(a),
                    item => Node::Class {
                        items: vec![item],
                        negated: false,
                    },
                },
                '*' | '+' | '?' | '{' => return Err(format!("nothing to repeat at {c}")),
                c => Node::Char(c),
            };
            let atom = self.quantifier(atom)?;
            seq.push(atom);
        }
        Ok(seq)
    }

    fn quantifier(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.chars.peek() {
            Some('*') => (0, usize::MAX),
            Some('+') => (1, usize::MAX),
            Some('?') => (0, 1),
            Some('{') => {
                self.chars.next();
                let mut spec = String::new();
                for c in self.chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    spec.push(c);
                }
                let num = |s: &str| s.trim().parse::<usize>().map_err(|e| e.to_string());
                let (min, max) = match spec.split_once(',') {
                    None => (num(&spec)?, num(&spec)?),
                    Some((a, "")) => (num(a)?, usize::MAX),
                    Some((a, b)) => (if a.is_empty() { 0 } else { num(a)? }, num(b)?),
                };
                if self.chars.peek() == Some(&'?') {
                    self.chars.next();
                }
                return Ok(Node::Repeat(Box::new(atom), min, max));
            }
            _ => return Ok(atom),
        };
        self.chars.next();
        if self.chars.peek() == Some(&'?') {
            self.chars.next();
        }
        Ok(Node::Repeat(Box::new(atom), min, max))
    }

    fn escape(&mut self) -> Result<ClassItem, String> {
        let c = self.chars.next().ok_or("trailing backslash")?;
        Ok(match c {
            'd' => ClassItem::Digit(true),
            'D' => ClassItem::Digit(false),
            'w' => ClassItem::Word(true),
            'W' => ClassItem::Word(false),
            's' => ClassItem::Space(true),
            'S' => ClassItem::Space(false),
            'n' => ClassItem::Range('\n', '\n'),
            't' => ClassItem::Range('\t', '\t'),
            c => ClassItem::Range(c, c),
        })
    }

    fn class(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        let negated = self.chars.peek() == Some(&'^');
        if negated {
            self.chars.next();
        }
        let mut first = true;
        loop {
            let c = self.chars.next().ok_or("unterminated class")?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let item = if c == '\\' {
                self.escape()?
            } else {
                ClassItem::Range(c, c)
            };
            if let ClassItem::Range(lo, _) = item {
                if self.chars.peek() == Some(&'-') {
                    self.chars.next();
                    match self.chars.peek() {
                        Some(']') | None => {
                            items.push(item);
                            items.push(ClassItem::Range('-', '-'));
                            continue;
                        }
                        _ => {}
                    }
                    let hi = match self.chars.next() {
                        Some('\\') => match self.escape()? {
                            ClassItem::Range(h, _) => h,
                            _ => return Err("bad class range".into()),
                        },
                        Some(h) => h,
                        None => return Err("unterminated class".into()),
                    };
                    items.push(ClassItem::Range(lo, hi));
                    continue;
                }
            }
            items.push(item);
        }
        Ok(Node::Class { items, negated })
    }
}

impl Regex {
    /// Compile a pattern; unsupported syntax is an error.
    pub fn new(pattern: &str) -> Result<Regex, String> {
        let mut p = Parser {
            chars: pattern.chars().peekable(),
        };
        let alts = p.alternation()?;
        if p.chars.next().is_some() {
            return Err("unbalanced )".into());
        }
        Ok(Regex { alts })
    }

    /// `re.match` semantics: a match must start at the beginning of `s`.
    pub fn is_match(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        let m = Matcher { s: &chars };
        self.alts.iter().any(|seq| m.seq(seq, 0, &mut |_| true))
    }
}

struct Matcher<'s> {
    s: &'s [char],
}

type Cont<'k> = &'k mut dyn FnMut(usize) -> bool;

impl Matcher<'_> {
    fn seq(&self, seq: &[Node], i: usize, k: Cont<'_>) -> bool {
        match seq.split_first() {
            None => k(i),
            Some((n, rest)) => self.node(n, i, &mut |j| self.seq(rest, j, k)),
        }
    }

    fn node(&self, n: &Node, i: usize, k: Cont<'_>) -> bool {
        let s = self.s;
        match n {
            Node::Char(c) => s.get(i) == Some(c) && k(i + 1),
            Node::Any => s.get(i).is_some_and(|&c| c != '\n') && k(i + 1),
            Node::Class { items, negated } => {
                s.get(i)
                    .is_some_and(|&c| items.iter().any(|it| it.matches(c)) != *negated)
                    && k(i + 1)
            }
            Node::Start => i == 0 && k(i),
            Node::End => (i == s.len() || (i + 1 == s.len() && s[i] == '\n')) && k(i),
            Node::Group(alts) => alts.iter().any(|seq| self.seq(seq, i, k)),
            Node::Repeat(inner, min, max) => self.repeat(inner, *min, *max, 0, i, k),
        }
    }

    /// Whether `n` matches exactly one character at `i` (`None` if `n` is
    /// not a single-character atom).
    fn single(&self, n: &Node, i: usize) -> Option<bool> {
        let c = self.s.get(i).copied();
        Some(match n {
            Node::Char(x) => c == Some(*x),
            Node::Any => c.is_some_and(|c| c != '\n'),
            Node::Class { items, negated } => {
                c.is_some_and(|c| items.iter().any(|it| it.matches(c)) != *negated)
            }
            _ => return None,
        })
    }

    fn repeat(
        &self,
        n: &Node,
        min: usize,
        max: usize,
        count: usize,
        i: usize,
        k: Cont<'_>,
    ) -> bool {
        // Single-character atoms: scan iteratively, then backtrack by
        // shortening, so long inputs cannot exhaust the stack.
        if count == 0 && self.single(n, i).is_some() {
            let mut run = 0;
            while run < max && self.single(n, i + run) == Some(true) {
                run += 1;
            }
            return run >= min && (min..=run).rev().any(|len| k(i + len));
        }
        if count < max
            && self.node(n, i, &mut |j| {
                (j != i || count < min) && self.repeat(n, min, max, count + 1, j, k)
            })
        {
            return true;
        }
        count >= min && k(i)
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn m(p: &str, s: &str) -> bool {
        Regex::new(p).unwrap().is_match(s)
    }

    #[test]
    fn partition_patterns() {
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        assert!(m(aws, "us-east-1"));
        assert!(m(aws, "ap-southeast-10"));
        assert!(!m(aws, "cn-north-1"));
        assert!(!m(aws, "us-east-1a"));
        assert!(m(aws, "us-east-1\n"));
        assert!(m(r"^eusc\-(de)\-\w+\-\d+$", "eusc-de-east-1"));
        assert!(m(r"^us\-gov\-\w+\-\d+$", "us-gov-west-1"));
        assert!(!m(r"^us\-gov\-\w+\-\d+$", "us-east-1"));
    }

    #[test]
    fn general_syntax() {
        assert!(m(r"^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$", "192.168.0.1"));
        assert!(!m(r"^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$", "192.168.0"));
        assert!(m(r"^[a-z-]+$", "a-b"));
        assert!(m(r"^[^a]*b", "ccb"));
        assert!(m(r"a*a", "aaa"));
        assert!(m(r"(a*)*b", "aab"));
        assert!(!m(r"^x", "ax"));
        assert!(Regex::new("a(b").is_err());
        assert!(Regex::new("*a").is_err());
        // Long inputs must not recurse per character.
        let long = format!("us-{}-1", "a".repeat(200_000));
        assert!(m(r"^(us|eu)\-\w+\-\d+$", &long));
    }
}
