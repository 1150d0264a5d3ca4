//! Pratt (top-down operator precedence) parser from tokens to [`Ast`].
//!
//! JMESPath's grammar is specified as precedence levels plus a few special
//! forms (projections stop at low-precedence tokens), which a Pratt parser
//! expresses directly: each token kind has a binding power, a "nud" (how it
//! starts an expression) and a "led" (how it continues one). The structure
//! and binding powers follow the reference implementation so that corner
//! cases such as `!a.b` or `a[*].b | c` group exactly as they do there.
//!
//! Hostile input must not overflow the stack, either here or when the
//! interpreter later walks the tree, so the parser bounds nesting depth and
//! reports deeper expressions as syntax errors.

use crate::ast::{Ast, Comparator};
use crate::error::{ErrorKind, JmesError, Result};
use crate::functions::Function;
use crate::lexer::{tokenize, Spanned, Token};

/// Maximum nesting accepted, checked twice: while parsing (each nested
/// sub-expression and each operator applied in one precedence loop counts
/// once) and on the finished tree (nodes on its longest path). The first
/// bounds the parser's recursion, the second the interpreter's. Real
/// expressions stay far below this; the deepest in the compliance
/// benchmarks nests about 110.
pub const MAX_DEPTH: usize = 256;

/// Tokens whose binding power is below this end a projection's right side.
const PROJECTION_STOP: u8 = 10;

/// Parses `expr` into an AST.
pub(crate) fn parse(expr: &str) -> Result<Ast> {
    let tokens = tokenize(expr)?;
    let mut parser = Parser {
        tokens,
        index: 0,
        depth: 0,
    };
    let ast = parser.expression(0)?;
    if *parser.peek() != Token::Eof {
        return Err(unexpected(parser.pos(), parser.peek()));
    }
    if ast.depth() > MAX_DEPTH {
        return Err(JmesError::syntax(
            0,
            format!("expression nested too deeply (limit {MAX_DEPTH})"),
        ));
    }
    Ok(ast)
}

fn binding_power(token: &Token) -> u8 {
    match token {
        Token::Pipe => 1,
        Token::Or => 2,
        Token::And => 3,
        Token::Eq | Token::Ne | Token::Lt | Token::Lte | Token::Gt | Token::Gte => 5,
        Token::Flatten => 9,
        Token::Star => 20,
        Token::Filter => 21,
        Token::Dot => 40,
        Token::Not => 45,
        Token::Lbrace => 50,
        Token::Lbracket => 55,
        Token::Lparen => 60,
        _ => 0,
    }
}

struct Parser {
    tokens: Vec<Spanned>,
    index: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    fn peek_at(&self, offset: usize) -> &Token {
        // The token list always ends with Eof; clamp so lookahead past it
        // keeps seeing Eof.
        let i = (self.index + offset).min(self.tokens.len().saturating_sub(1));
        self.tokens.get(i).map_or(&Token::Eof, |s| &s.token)
    }

    fn pos(&self) -> usize {
        let i = self.index.min(self.tokens.len().saturating_sub(1));
        self.tokens.get(i).map_or(0, |s| s.pos)
    }

    fn next(&mut self) -> Token {
        let token = self.peek().clone();
        if self.index < self.tokens.len() {
            self.index += 1;
        }
        token
    }

    /// A syntax error at the current token.
    #[cold]
    #[inline(never)]
    fn error(&self, message: String) -> JmesError {
        JmesError::syntax(self.pos(), message)
    }

    /// "expected X, found <current token>" at the current token.
    #[cold]
    #[inline(never)]
    fn expected(&self, what: &str) -> JmesError {
        self.error(format!("expected {what}, found {}", self.peek().describe()))
    }

    fn expect(&mut self, want: &Token, what: &str) -> Result<()> {
        if self.peek() == want {
            self.next();
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(self.error(format!("expression nested too deeply (limit {MAX_DEPTH})")))
        } else {
            Ok(())
        }
    }

    // The functions below recurse into one another for every nested
    // sub-expression. They are kept small, with the rare paths (error
    // formatting) out of line, so that unoptimised builds — whose frames
    // hold every local of a function — still fit MAX_DEPTH levels of
    // nesting comfortably on a 2 MiB thread stack.

    fn expression(&mut self, rbp: u8) -> Result<Ast> {
        let saved = self.depth;
        let result = self.expression_inner(rbp);
        self.depth = saved;
        result
    }

    fn expression_inner(&mut self, rbp: u8) -> Result<Ast> {
        self.enter()?;
        let start = self.pos();
        let token = self.next();
        let mut left = self.nud(token, start)?;
        while rbp < binding_power(self.peek()) {
            self.enter()?;
            let pos = self.pos();
            let token = self.next();
            left = self.led(token, left, pos)?;
        }
        Ok(left)
    }

    fn nud(&mut self, token: Token, start: usize) -> Result<Ast> {
        match token {
            Token::Literal(v) => Ok(Ast::Literal(v)),
            Token::Identifier(name) => Ok(Ast::Field(name)),
            Token::QuotedIdentifier(name) => self.nud_quoted(name),
            Token::Star => self.nud_star(),
            Token::Filter => self.filter(Ast::Identity),
            Token::Lbrace => self.multi_select_hash(),
            Token::Lparen => self.nud_paren(),
            Token::Flatten => self.flatten(Ast::Identity),
            Token::Not => self.nud_not(),
            Token::Lbracket => self.nud_lbracket(),
            Token::At => Ok(Ast::Identity),
            Token::Ampersand => self.nud_expref(),
            other => Err(unexpected(start, &other)),
        }
    }

    fn nud_quoted(&mut self, name: String) -> Result<Ast> {
        if *self.peek() == Token::Lparen {
            Err(self.error("quoted identifiers cannot name functions".into()))
        } else {
            Ok(Ast::Field(name))
        }
    }

    fn nud_star(&mut self) -> Result<Ast> {
        let rhs = if *self.peek() == Token::Rbracket {
            Ast::Identity
        } else {
            self.projection_rhs(binding_power(&Token::Star))?
        };
        Ok(Ast::ValueProjection(Box::new(Ast::Identity), Box::new(rhs)))
    }

    fn nud_paren(&mut self) -> Result<Ast> {
        let inner = self.expression(0)?;
        self.expect(&Token::Rparen, "')'")?;
        Ok(inner)
    }

    fn nud_not(&mut self) -> Result<Ast> {
        let inner = self.expression(binding_power(&Token::Not))?;
        Ok(Ast::Not(Box::new(inner)))
    }

    fn nud_expref(&mut self) -> Result<Ast> {
        let inner = self.expression(0)?;
        Ok(Ast::ExpressionRef(Box::new(inner)))
    }

    fn nud_lbracket(&mut self) -> Result<Ast> {
        match (self.peek(), self.peek_at(1)) {
            (Token::Number(_) | Token::Colon, _) => {
                let index = self.index_expression()?;
                self.project_if_slice(Ast::Identity, index)
            }
            (Token::Star, Token::Rbracket) => {
                self.next();
                self.next();
                self.star_projection(Ast::Identity)
            }
            _ => self.multi_select_list(),
        }
    }

    fn led(&mut self, token: Token, left: Ast, pos: usize) -> Result<Ast> {
        match token {
            Token::Dot => self.led_dot(left),
            Token::Pipe => self.binary(left, &Token::Pipe, Ast::Pipe),
            Token::Or => self.binary(left, &Token::Or, Ast::Or),
            Token::And => self.binary(left, &Token::And, Ast::And),
            Token::Lparen => self.function_call(left, pos),
            Token::Filter => self.filter(left),
            Token::Flatten => self.flatten(left),
            Token::Lbracket => self.led_lbracket(left),
            Token::Eq => self.comparison(Comparator::Eq, left),
            Token::Ne => self.comparison(Comparator::Ne, left),
            Token::Lt => self.comparison(Comparator::Lt, left),
            Token::Lte => self.comparison(Comparator::Lte, left),
            Token::Gt => self.comparison(Comparator::Gt, left),
            Token::Gte => self.comparison(Comparator::Gte, left),
            other => Err(unexpected(pos, &other)),
        }
    }

    fn led_dot(&mut self, left: Ast) -> Result<Ast> {
        if *self.peek() == Token::Star {
            self.next();
            let rhs = self.projection_rhs(binding_power(&Token::Dot))?;
            Ok(Ast::ValueProjection(Box::new(left), Box::new(rhs)))
        } else {
            let rhs = self.dot_rhs(binding_power(&Token::Dot))?;
            Ok(Ast::Subexpression(Box::new(left), Box::new(rhs)))
        }
    }

    fn led_lbracket(&mut self, left: Ast) -> Result<Ast> {
        if matches!(self.peek(), Token::Number(_) | Token::Colon) {
            let index = self.index_expression()?;
            return self.project_if_slice(left, index);
        }
        self.expect(&Token::Star, "'*', a number or ':'")?;
        self.expect(&Token::Rbracket, "']'")?;
        self.star_projection(left)
    }

    /// `left[*]` followed by its projected right side.
    fn star_projection(&mut self, left: Ast) -> Result<Ast> {
        let rhs = self.projection_rhs(binding_power(&Token::Star))?;
        Ok(Ast::Projection(Box::new(left), Box::new(rhs)))
    }

    /// `left[]` followed by its projected right side.
    fn flatten(&mut self, left: Ast) -> Result<Ast> {
        let lhs = Ast::Flatten(Box::new(left));
        let rhs = self.projection_rhs(binding_power(&Token::Flatten))?;
        Ok(Ast::Projection(Box::new(lhs), Box::new(rhs)))
    }

    fn binary(
        &mut self,
        left: Ast,
        op: &Token,
        node: fn(Box<Ast>, Box<Ast>) -> Ast,
    ) -> Result<Ast> {
        let rhs = self.expression(binding_power(op))?;
        Ok(node(Box::new(left), Box::new(rhs)))
    }

    fn comparison(&mut self, op: Comparator, left: Ast) -> Result<Ast> {
        let rhs = self.expression(binding_power(&Token::Eq))?;
        Ok(Ast::Comparison(op, Box::new(left), Box::new(rhs)))
    }

    /// After `[?` has been consumed: `condition ]` then the projected side.
    fn filter(&mut self, left: Ast) -> Result<Ast> {
        let condition = self.expression(0)?;
        self.expect(&Token::Rbracket, "']' to close the filter")?;
        let rhs = if *self.peek() == Token::Flatten {
            Ast::Identity
        } else {
            self.projection_rhs(binding_power(&Token::Filter))?
        };
        Ok(Ast::FilterProjection {
            lhs: Box::new(left),
            rhs: Box::new(rhs),
            condition: Box::new(condition),
        })
    }

    /// After `[` when the next token is a number or colon: an index or slice,
    /// including the closing bracket.
    fn index_expression(&mut self) -> Result<Ast> {
        if *self.peek() == Token::Colon || *self.peek_at(1) == Token::Colon {
            return self.slice();
        }
        match self.peek() {
            Token::Number(n) => {
                let n = *n;
                self.next();
                self.expect(&Token::Rbracket, "']'")?;
                Ok(Ast::Index(n))
            }
            _ => Err(self.expected("a number")),
        }
    }

    fn slice(&mut self) -> Result<Ast> {
        let mut parts: [Option<i64>; 3] = [None, None, None];
        let mut part = 0;
        let step_pos = loop {
            match self.peek() {
                Token::Rbracket => break self.pos(),
                Token::Colon => {
                    part += 1;
                    if part == 3 {
                        return Err(self.error("too many colons in slice".into()));
                    }
                    self.next();
                }
                Token::Number(n) => {
                    let n = *n;
                    if let Some(slot) = parts.get_mut(part) {
                        *slot = Some(n);
                    }
                    self.next();
                }
                _ => return Err(self.expected("a number, ':' or ']' in slice")),
            }
        };
        self.next();
        let [start, stop, step] = parts;
        let step = step.unwrap_or(1);
        if step == 0 {
            return Err(JmesError::new(
                ErrorKind::InvalidValue,
                format!("slice step cannot be 0 (at position {step_pos})"),
            ));
        }
        Ok(Ast::Slice { start, stop, step })
    }

    fn project_if_slice(&mut self, left: Ast, index: Ast) -> Result<Ast> {
        let is_slice = matches!(index, Ast::Slice { .. });
        let indexed = Ast::IndexExpression(Box::new(left), Box::new(index));
        if is_slice {
            self.star_projection(indexed)
        } else {
            Ok(indexed)
        }
    }

    /// What may follow a projection: nothing (a low binding-power token),
    /// `[...]`, `[?...]` or `.rhs`.
    fn projection_rhs(&mut self, rbp: u8) -> Result<Ast> {
        let token = self.peek();
        if binding_power(token) < PROJECTION_STOP {
            return Ok(Ast::Identity);
        }
        match token {
            Token::Lbracket | Token::Filter => self.expression(rbp),
            Token::Dot => {
                self.next();
                self.dot_rhs(rbp)
            }
            _ => Err(self.expected("'.', '[' or '[?' after a projection")),
        }
    }

    /// What may follow `.`: an identifier, `*`, `[multi, select]` or
    /// `{multi: select}`.
    fn dot_rhs(&mut self, rbp: u8) -> Result<Ast> {
        match self.peek() {
            Token::Identifier(_) | Token::QuotedIdentifier(_) | Token::Star => self.expression(rbp),
            Token::Lbracket => {
                self.next();
                self.multi_select_list()
            }
            Token::Lbrace => {
                self.next();
                self.multi_select_hash()
            }
            _ => Err(self.expected("an identifier, '*', '[' or '{' after '.'")),
        }
    }

    /// After `[`: `expr (, expr)* ]`.
    fn multi_select_list(&mut self) -> Result<Ast> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            if self.list_separator(&Token::Rbracket, "',' or ']'")? {
                return Ok(Ast::MultiSelectList(items));
            }
        }
    }

    /// After `{`: `key: expr (, key: expr)* }`.
    fn multi_select_hash(&mut self) -> Result<Ast> {
        let mut entries = Vec::new();
        loop {
            let key = match self.peek() {
                Token::Identifier(k) | Token::QuotedIdentifier(k) => k.clone(),
                _ => return Err(self.expected("a key name")),
            };
            self.next();
            self.expect(&Token::Colon, "':'")?;
            let value = self.expression(0)?;
            entries.push((key, value));
            if self.list_separator(&Token::Rbrace, "',' or '}'")? {
                return Ok(Ast::MultiSelectHash(entries));
            }
        }
    }

    /// Consumes `,` (returning false: more items follow) or `close`
    /// (returning true).
    fn list_separator(&mut self, close: &Token, what: &str) -> Result<bool> {
        if *self.peek() == Token::Comma {
            self.next();
            Ok(false)
        } else if self.peek() == close {
            self.next();
            Ok(true)
        } else {
            Err(self.expected(what))
        }
    }

    /// After `name(`: the argument list, resolving `name` to a built-in.
    fn function_call(&mut self, left: Ast, open_pos: usize) -> Result<Ast> {
        let Ast::Field(name) = left else {
            return Err(JmesError::syntax(
                open_pos,
                "'(' must follow a function name",
            ));
        };
        let mut args = Vec::new();
        if *self.peek() == Token::Rparen {
            self.next();
        } else {
            loop {
                args.push(self.expression(0)?);
                if self.list_separator(&Token::Rparen, "',' or ')'")? {
                    break;
                }
            }
        }
        resolve_function(name, args)
    }
}

#[cold]
#[inline(never)]
fn unexpected(pos: usize, token: &Token) -> JmesError {
    match token {
        Token::Eof => JmesError::syntax(pos, "unexpected end of expression"),
        other => JmesError::syntax(pos, format!("unexpected {}", other.describe())),
    }
}

fn resolve_function(name: String, args: Vec<Ast>) -> Result<Ast> {
    let function = Function::lookup(&name).ok_or_else(|| {
        JmesError::new(
            ErrorKind::UnknownFunction,
            format!("unknown function {name}()"),
        )
    })?;
    function.check_arity(args.len())?;
    Ok(Ast::FunctionCall(function, args))
}

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;
