//! Turns expression text into tokens.
//!
//! The lexer does all the text-level work — quoted identifiers and JSON
//! literals are decoded here — so the parser only deals with token kinds and
//! binding powers. Every token records the byte offset where it starts, which
//! is what syntax errors point at.

use crate::error::{JmesError, Result};
use crate::variable::Variable;

/// A lexical token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// `foo` — may also name a function.
    Identifier(String),
    /// `"foo"` — never a function name.
    QuotedIdentifier(String),
    /// `` `json` `` or `'raw string'`.
    Literal(Box<Variable>),
    /// `-?[0-9]+`, used by indices and slices.
    Number(i64),
    Dot,
    Star,
    Flatten,
    Filter,
    Lbracket,
    Rbracket,
    Lbrace,
    Rbrace,
    Lparen,
    Rparen,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Not,
    Ampersand,
    At,
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    Eof,
}

impl Token {
    /// How the token reads in an error message.
    pub(crate) fn describe(&self) -> String {
        match self {
            Token::Identifier(s) => format!("identifier '{s}'"),
            Token::QuotedIdentifier(s) => format!("quoted identifier \"{s}\""),
            Token::Literal(v) => format!("literal {v}"),
            Token::Number(n) => format!("number {n}"),
            Token::Eof => "end of expression".to_string(),
            other => format!("'{}'", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Token::Dot => ".",
            Token::Star => "*",
            Token::Flatten => "[]",
            Token::Filter => "[?",
            Token::Lbracket => "[",
            Token::Rbracket => "]",
            Token::Lbrace => "{",
            Token::Rbrace => "}",
            Token::Lparen => "(",
            Token::Rparen => ")",
            Token::Comma => ",",
            Token::Colon => ":",
            Token::Pipe => "|",
            Token::Or => "||",
            Token::And => "&&",
            Token::Not => "!",
            Token::Ampersand => "&",
            Token::At => "@",
            Token::Eq => "==",
            Token::Ne => "!=",
            Token::Lt => "<",
            Token::Lte => "<=",
            Token::Gt => ">",
            Token::Gte => ">=",
            _ => "?",
        }
    }
}

/// A token and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned {
    pub token: Token,
    pub pos: usize,
}

/// Tokenizes the whole expression; the result always ends with
/// [`Token::Eof`].
pub(crate) fn tokenize(expr: &str) -> Result<Vec<Spanned>> {
    let mut lexer = Lexer {
        src: expr,
        bytes: expr.as_bytes(),
        pos: 0,
    };
    let mut tokens = Vec::new();
    loop {
        let spanned = lexer.next_token()?;
        let done = spanned.token == Token::Eof;
        tokens.push(spanned);
        if done {
            return Ok(tokens);
        }
    }
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn next_token(&mut self) -> Result<Spanned> {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(Spanned {
                token: Token::Eof,
                pos: start,
            });
        };
        let token = match c {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => self.identifier(),
            b'0'..=b'9' | b'-' => self.number()?,
            b'"' => self.quoted_identifier()?,
            b'\'' => self.raw_string()?,
            b'`' => self.json_literal()?,
            b'[' => match self.peek_at(1) {
                Some(b']') => self.advance(2, Token::Flatten),
                Some(b'?') => self.advance(2, Token::Filter),
                _ => self.advance(1, Token::Lbracket),
            },
            b'.' => self.advance(1, Token::Dot),
            b'*' => self.advance(1, Token::Star),
            b']' => self.advance(1, Token::Rbracket),
            b'{' => self.advance(1, Token::Lbrace),
            b'}' => self.advance(1, Token::Rbrace),
            b'(' => self.advance(1, Token::Lparen),
            b')' => self.advance(1, Token::Rparen),
            b',' => self.advance(1, Token::Comma),
            b':' => self.advance(1, Token::Colon),
            b'@' => self.advance(1, Token::At),
            b'|' => self.one_or_two(b'|', Token::Pipe, Token::Or),
            b'&' => self.one_or_two(b'&', Token::Ampersand, Token::And),
            b'!' => self.one_or_two(b'=', Token::Not, Token::Ne),
            b'<' => self.one_or_two(b'=', Token::Lt, Token::Lte),
            b'>' => self.one_or_two(b'=', Token::Gt, Token::Gte),
            b'=' => {
                if self.peek_at(1) == Some(b'=') {
                    self.advance(2, Token::Eq)
                } else {
                    return Err(JmesError::syntax(start, "expected '==', found '='"));
                }
            }
            _ => {
                let ch = self.src.get(start..).and_then(|s| s.chars().next());
                return Err(JmesError::syntax(
                    start,
                    format!("unexpected character {:?}", ch.unwrap_or('?')),
                ));
            }
        };
        Ok(Spanned { token, pos: start })
    }

    fn advance(&mut self, n: usize, token: Token) -> Token {
        self.pos += n;
        token
    }

    fn one_or_two(&mut self, second: u8, single: Token, double: Token) -> Token {
        if self.peek_at(1) == Some(second) {
            self.advance(2, double)
        } else {
            self.advance(1, single)
        }
    }

    fn identifier(&mut self) -> Token {
        let start = self.pos;
        while matches!(
            self.peek(),
            Some(b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9')
        ) {
            self.pos += 1;
        }
        Token::Identifier(self.src[start..self.pos].to_string())
    }

    fn number(&mut self) -> Result<Token> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        if self.pos == digits {
            return Err(JmesError::syntax(start, "expected a digit after '-'"));
        }
        self.src[start..self.pos]
            .parse::<i64>()
            .map(Token::Number)
            .map_err(|_| JmesError::syntax(start, "number out of range"))
    }

    /// Consumes up to and including the unescaped `delim` after the opening
    /// one, returning the raw text between them. A backslash always skips
    /// the following character, so `\<delim>` does not terminate.
    fn delimited(&mut self, delim: u8, what: &str) -> Result<&str> {
        let start = self.pos;
        self.pos += 1;
        let content_start = self.pos;
        loop {
            match self.peek() {
                None => {
                    return Err(JmesError::syntax(start, format!("unterminated {what}")));
                }
                Some(b'\\') => self.pos += 2,
                Some(c) if c == delim => {
                    let content = self
                        .src
                        .get(content_start..self.pos)
                        .ok_or_else(|| JmesError::syntax(start, format!("invalid {what}")))?;
                    self.pos += 1;
                    return Ok(content);
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn quoted_identifier(&mut self) -> Result<Token> {
        let start = self.pos;
        let raw = self.delimited(b'"', "quoted identifier")?;
        let json = format!("\"{raw}\"");
        serde_json::from_str::<String>(&json)
            .map(Token::QuotedIdentifier)
            .map_err(|e| JmesError::syntax(start, format!("invalid quoted identifier: {e}")))
    }

    fn raw_string(&mut self) -> Result<Token> {
        let raw = self.delimited(b'\'', "raw string literal")?;
        // Only `\'` is an escape in raw strings; other backslashes are kept.
        Ok(Token::Literal(Box::new(Variable::String(
            raw.replace("\\'", "'"),
        ))))
    }

    fn json_literal(&mut self) -> Result<Token> {
        let start = self.pos;
        let raw = self.delimited(b'`', "JSON literal")?;
        let json = raw.replace("\\`", "`");
        serde_json::from_str::<serde_json::Value>(&json)
            .map(|v| Token::Literal(Box::new(Variable::from(v))))
            .map_err(|e| JmesError::syntax(start, format!("invalid JSON literal: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(expr: &str) -> Vec<Token> {
        tokenize(expr)
            .map(|t| t.into_iter().map(|s| s.token).collect())
            .unwrap_or_default()
    }

    #[test]
    fn punctuation() {
        assert_eq!(
            kinds("a[].b[?c]||d&&!e|f"),
            vec![
                Token::Identifier("a".into()),
                Token::Flatten,
                Token::Dot,
                Token::Identifier("b".into()),
                Token::Filter,
                Token::Identifier("c".into()),
                Token::Rbracket,
                Token::Or,
                Token::Identifier("d".into()),
                Token::And,
                Token::Not,
                Token::Identifier("e".into()),
                Token::Pipe,
                Token::Identifier("f".into()),
                Token::Eof,
            ]
        );
    }

    #[test]
    fn comparators() {
        assert_eq!(
            kinds("< <= > >= == != &"),
            vec![
                Token::Lt,
                Token::Lte,
                Token::Gt,
                Token::Gte,
                Token::Eq,
                Token::Ne,
                Token::Ampersand,
                Token::Eof
            ]
        );
    }

    #[test]
    fn positions() {
        let tokens = tokenize("  foo . bar").unwrap_or_default();
        let positions: Vec<usize> = tokens.iter().map(|t| t.pos).collect();
        assert_eq!(positions, vec![2, 6, 8, 11]);
    }

    #[test]
    fn numbers() {
        assert_eq!(kinds("-12"), vec![Token::Number(-12), Token::Eof]);
        assert!(tokenize("-").is_err());
        assert!(tokenize("99999999999999999999").is_err());
    }

    #[test]
    fn literals() {
        assert_eq!(
            kinds(r#"`"a\`b"`"#),
            vec![Token::Literal(Box::new(Variable::from("a`b"))), Token::Eof]
        );
        assert_eq!(
            kinds(r"'it\'s \z'"),
            vec![
                Token::Literal(Box::new(Variable::from(r"it's \z"))),
                Token::Eof
            ]
        );
        assert_eq!(
            kinds(r#""a\"b""#),
            vec![Token::QuotedIdentifier("a\"b".into()), Token::Eof]
        );
    }

    #[test]
    fn errors_point_at_position() {
        let err = tokenize("foo = bar").err();
        assert_eq!(err.and_then(|e| e.position()), Some(4));
        let err = tokenize("abc `[1,` ").err();
        assert_eq!(err.and_then(|e| e.position()), Some(4));
        assert!(tokenize("\"\\u\"").is_err());
        assert!(tokenize("'open").is_err());
        assert!(tokenize("a # b").is_err());
        // A trailing backslash must not read past the end.
        assert!(tokenize("'\\").is_err());
        assert!(tokenize("\"é\\").is_err());
    }
}
