//! Condition builders and their compiler, replacing boto3's
//! `boto3.dynamodb.conditions` (`Key`, `Attr`, `ConditionBase` and
//! `ConditionExpressionBuilder`).
//!
//! `Key("pk").eq("a") & Attr("n").size().gt(3)` builds a [`Condition`] tree;
//! [`ConditionExpressionBuilder`] turns it into the expression string and the
//! `#n0`/`:v0` placeholder maps, numbering exactly as boto3 does (one counter
//! for names and one for values per builder, every path part gets its own
//! name placeholder, counters run on until [`ConditionExpressionBuilder::reset`]).

use super::types::AttrValue;
use indexmap::IndexMap;
use std::ops::{BitAnd, BitOr, Not};

/// An attribute path named in a condition (`a.b[1].c`), from [`Key`](fn@Key) or [`Attr`](fn@Attr).
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The attribute path as written (`a.b[1].c`); each name part gets a `#n` placeholder.
    pub name: String,
    /// Made by [`Key`](fn@Key): allowed in a `KeyConditionExpression`.
    pub is_key: bool,
}

/// One side of a comparison: an attribute path, `size(path)` or a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// An attribute path.
    Path(Path),
    /// `size(path)`.
    Size(Path),
    /// A value; it gets a `:v` placeholder.
    Value(AttrValue),
}

impl<T: Into<AttrValue>> From<T> for Operand {
    fn from(v: T) -> Self {
        Operand::Value(v.into())
    }
}
impl From<Key> for Operand {
    fn from(k: Key) -> Self {
        Operand::Path(k.path)
    }
}
impl From<Attr> for Operand {
    fn from(a: Attr) -> Self {
        Operand::Path(a.path)
    }
}
impl From<Size> for Operand {
    fn from(s: Size) -> Self {
        Operand::Size(s.path)
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
}

impl Cmp {
    fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Ne => "<>",
            Cmp::Lt => "<",
            Cmp::Lte => "<=",
            Cmp::Gt => ">",
            Cmp::Gte => ">=",
        }
    }
}

/// A condition tree; combine with `&`, `|` and `!`.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `a <op> b` (boto3's `Equals`, `LessThan`, ...).
    Compare(Cmp, Operand, Operand),
    /// `a IN (v1, v2, ...)`.
    In(Operand, Vec<AttrValue>),
    /// `a BETWEEN low AND high`.
    Between(Operand, Operand, Operand),
    /// `begins_with(a, prefix)`.
    BeginsWith(Operand, Operand),
    /// `contains(a, value)`.
    Contains(Operand, Operand),
    /// `attribute_type(a, type)`.
    AttributeType(Operand, Operand),
    /// `attribute_exists(a)`.
    Exists(Operand),
    /// `attribute_not_exists(a)`.
    NotExists(Operand),
    /// `size(path)` on its own.
    Size(Path),
    /// `(a AND b)`, from `a & b`.
    And(Box<Condition>, Box<Condition>),
    /// `(a OR b)`, from `a | b`.
    Or(Box<Condition>, Box<Condition>),
    /// `(NOT a)`, from `!a`.
    Not(Box<Condition>),
}

impl BitAnd for Condition {
    type Output = Condition;
    fn bitand(self, rhs: Condition) -> Condition {
        Condition::And(Box::new(self), Box::new(rhs))
    }
}
impl BitOr for Condition {
    type Output = Condition;
    fn bitor(self, rhs: Condition) -> Condition {
        Condition::Or(Box::new(self), Box::new(rhs))
    }
}
impl Not for Condition {
    type Output = Condition;
    fn not(self) -> Condition {
        Condition::Not(Box::new(self))
    }
}
impl From<Size> for Condition {
    fn from(s: Size) -> Self {
        Condition::Size(s.path)
    }
}

/// A key attribute, for key conditions (boto3's `Key`).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    path: Path,
}
/// Any attribute, for filter and condition expressions (boto3's `Attr`).
#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    path: Path,
}
/// `size(path)`, from [`Attr::size`]; compare it, or use it as a condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Size {
    path: Path,
}

/// `Key("pk")`: a key attribute, by name or path.
#[allow(non_snake_case)]
pub fn Key(name: impl Into<String>) -> Key {
    Key {
        path: Path {
            name: name.into(),
            is_key: true,
        },
    }
}
/// `Attr("a.b[1]")`: any attribute, by name or path.
#[allow(non_snake_case)]
pub fn Attr(name: impl Into<String>) -> Attr {
    Attr {
        path: Path {
            name: name.into(),
            is_key: false,
        },
    }
}

/// The comparisons every attribute kind has (boto3's `AttributeBase`).
macro_rules! base_methods {
    ($t:ident) => {
        impl $t {
            fn lhs(&self) -> Operand {
                Operand::from(self.clone())
            }
            /// `= value`
            pub fn eq(&self, value: impl Into<Operand>) -> Condition {
                Condition::Compare(Cmp::Eq, self.lhs(), value.into())
            }
            /// `< value`
            pub fn lt(&self, value: impl Into<Operand>) -> Condition {
                Condition::Compare(Cmp::Lt, self.lhs(), value.into())
            }
            /// `<= value`
            pub fn lte(&self, value: impl Into<Operand>) -> Condition {
                Condition::Compare(Cmp::Lte, self.lhs(), value.into())
            }
            /// `> value`
            pub fn gt(&self, value: impl Into<Operand>) -> Condition {
                Condition::Compare(Cmp::Gt, self.lhs(), value.into())
            }
            /// `>= value`
            pub fn gte(&self, value: impl Into<Operand>) -> Condition {
                Condition::Compare(Cmp::Gte, self.lhs(), value.into())
            }
            /// `begins_with(path, value)`
            pub fn begins_with(&self, value: impl Into<Operand>) -> Condition {
                Condition::BeginsWith(self.lhs(), value.into())
            }
            /// `path BETWEEN low AND high`
            pub fn between(&self, low: impl Into<Operand>, high: impl Into<Operand>) -> Condition {
                Condition::Between(self.lhs(), low.into(), high.into())
            }
        }
    };
}
base_methods!(Key);
base_methods!(Attr);
base_methods!(Size);

impl Key {
    /// The key attribute's path as written.
    pub fn name(&self) -> &str {
        &self.path.name
    }
}

impl Attr {
    /// The attribute's path as written.
    pub fn name(&self) -> &str {
        &self.path.name
    }
    /// `<> value`
    pub fn ne(&self, value: impl Into<Operand>) -> Condition {
        Condition::Compare(Cmp::Ne, self.lhs(), value.into())
    }
    /// `path IN (v1, v2, ...)`: every element gets its own value placeholder.
    pub fn is_in<I: IntoIterator<Item = V>, V: Into<AttrValue>>(&self, values: I) -> Condition {
        Condition::In(self.lhs(), values.into_iter().map(Into::into).collect())
    }
    /// `attribute_exists(path)`
    pub fn exists(&self) -> Condition {
        Condition::Exists(self.lhs())
    }
    /// `attribute_not_exists(path)`
    pub fn not_exists(&self) -> Condition {
        Condition::NotExists(self.lhs())
    }
    /// `contains(path, value)`
    pub fn contains(&self, value: impl Into<Operand>) -> Condition {
        Condition::Contains(self.lhs(), value.into())
    }
    /// `size(path)`, to compare or use as a condition.
    pub fn size(&self) -> Size {
        Size {
            path: self.path.clone(),
        }
    }
    /// `attribute_type(path, type)`, e.g. `attribute_type("S")`.
    pub fn attribute_type(&self, value: impl Into<Operand>) -> Condition {
        Condition::AttributeType(self.lhs(), value.into())
    }
}

/// A compiled condition (boto3's `BuiltConditionExpression`).
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltConditionExpression {
    /// The expression text, with `#n0`/`:v0` placeholders.
    pub condition_expression: String,
    /// `ExpressionAttributeNames`: placeholder to attribute name.
    pub attribute_name_placeholders: IndexMap<String, String>,
    /// `ExpressionAttributeValues`: placeholder to value.
    pub attribute_value_placeholders: IndexMap<String, AttrValue>,
}

/// Compiles conditions, numbering placeholders as boto3's builder does.
#[derive(Debug, Default)]
pub struct ConditionExpressionBuilder {
    name_count: usize,
    value_count: usize,
}

impl ConditionExpressionBuilder {
    /// A builder whose placeholders start at `#n0`/`:v0`.
    pub fn new() -> Self {
        Self::default()
    }
    /// Restarts the placeholder counters at `#n0`/`:v0`.
    pub fn reset(&mut self) {
        self.name_count = 0;
        self.value_count = 0;
    }

    /// Compiles `condition`. With `is_key_condition`, every path must come
    /// from [`Key`](fn@Key) (boto3's `DynamoDBNeedsKeyConditionError`).
    pub fn build_expression(
        &mut self,
        condition: &Condition,
        is_key_condition: bool,
    ) -> Result<BuiltConditionExpression, boto::Error> {
        let mut out = BuiltConditionExpression {
            condition_expression: String::new(),
            attribute_name_placeholders: IndexMap::new(),
            attribute_value_placeholders: IndexMap::new(),
        };
        out.condition_expression = self.build(condition, &mut out, is_key_condition)?;
        Ok(out)
    }

    fn build(
        &mut self,
        c: &Condition,
        out: &mut BuiltConditionExpression,
        key: bool,
    ) -> Result<String, boto::Error> {
        Ok(match c {
            Condition::Compare(cmp, a, b) => {
                let a = self.operand(a, out, key)?;
                format!("{a} {} {}", cmp.symbol(), self.operand(b, out, key)?)
            }
            Condition::In(a, values) => {
                let a = self.operand(a, out, key)?;
                let list: Vec<String> = values.iter().map(|v| self.value(v.clone(), out)).collect();
                format!("{a} IN ({})", list.join(", "))
            }
            Condition::Between(a, low, high) => {
                let a = self.operand(a, out, key)?;
                let low = self.operand(low, out, key)?;
                format!("{a} BETWEEN {low} AND {}", self.operand(high, out, key)?)
            }
            Condition::BeginsWith(a, b) => self.function("begins_with", a, Some(b), out, key)?,
            Condition::Contains(a, b) => self.function("contains", a, Some(b), out, key)?,
            Condition::AttributeType(a, b) => {
                self.function("attribute_type", a, Some(b), out, key)?
            }
            Condition::Exists(a) => self.function("attribute_exists", a, None, out, key)?,
            Condition::NotExists(a) => self.function("attribute_not_exists", a, None, out, key)?,
            Condition::Size(p) => format!("size({})", self.name(p, out, key)?),
            Condition::And(a, b) => {
                let a = self.build(a, out, key)?;
                format!("({a} AND {})", self.build(b, out, key)?)
            }
            Condition::Or(a, b) => {
                let a = self.build(a, out, key)?;
                format!("({a} OR {})", self.build(b, out, key)?)
            }
            Condition::Not(a) => format!("(NOT {})", self.build(a, out, key)?),
        })
    }

    fn function(
        &mut self,
        name: &str,
        a: &Operand,
        b: Option<&Operand>,
        out: &mut BuiltConditionExpression,
        key: bool,
    ) -> Result<String, boto::Error> {
        let a = self.operand(a, out, key)?;
        Ok(match b {
            Some(b) => format!("{name}({a}, {})", self.operand(b, out, key)?),
            None => format!("{name}({a})"),
        })
    }

    fn operand(
        &mut self,
        o: &Operand,
        out: &mut BuiltConditionExpression,
        key: bool,
    ) -> Result<String, boto::Error> {
        match o {
            Operand::Path(p) => self.name(p, out, key),
            Operand::Size(p) => Ok(format!("size({})", self.name(p, out, key)?)),
            Operand::Value(v) => Ok(self.value(v.clone(), out)),
        }
    }

    fn value(&mut self, v: AttrValue, out: &mut BuiltConditionExpression) -> String {
        let placeholder = format!(":v{}", self.value_count);
        self.value_count += 1;
        out.attribute_value_placeholders
            .insert(placeholder.clone(), v);
        placeholder
    }

    fn name(
        &mut self,
        p: &Path,
        out: &mut BuiltConditionExpression,
        key: bool,
    ) -> Result<String, boto::Error> {
        if key && !p.is_key {
            return Err(boto::Error::validation(format!(
                "Attribute object {} is of type Attr. KeyConditionExpression only supports Attribute objects of type Key",
                p.name
            )));
        }
        let mut expr = String::with_capacity(p.name.len() + 4);
        for (text, is_part) in split_path(&p.name) {
            if is_part {
                let placeholder = format!("#n{}", self.name_count);
                self.name_count += 1;
                expr.push_str(&placeholder);
                out.attribute_name_placeholders
                    .insert(placeholder, text.to_string());
            } else {
                expr.push_str(text);
            }
        }
        Ok(expr)
    }
}

/// Splits a path like boto3's `ATTR_NAME_REGEX` (`[^.\[\]]+(?![^\[]*\])`):
/// maximal runs of characters other than `.`, `[` and `]` are names unless
/// the next bracket after them closes (`[1]` stays literal). Returns
/// `(text, is_name)` pieces that concatenate back to the input.
pub(crate) fn split_path(path: &str) -> Vec<(&str, bool)> {
    let is_sep = |c: char| matches!(c, '.' | '[' | ']');
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < path.len() {
        let rest = &path[i..];
        let run = rest.find(is_sep).unwrap_or(rest.len());
        if run == 0 {
            let c = rest.chars().next().map_or(1, char::len_utf8);
            pieces.push((&rest[..c], false));
            i += c;
            continue;
        }
        let after = &rest[run..];
        let closes = after
            .find(['[', ']'])
            .is_some_and(|j| after.as_bytes()[j] == b']');
        pieces.push((&rest[..run], !closes));
        i += run;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_like_boto3() {
        let names = |p: &str| -> Vec<(String, bool)> {
            split_path(p)
                .into_iter()
                .map(|(t, b)| (t.to_string(), b))
                .collect()
        };
        assert_eq!(names("a.b[1].c").iter().filter(|p| p.1).count(), 3);
        assert_eq!(
            names("a[b]"),
            vec![
                ("a".into(), true),
                ("[".into(), false),
                ("b".into(), false),
                ("]".into(), false)
            ]
        );
        assert_eq!(names("a]b")[0], ("a".into(), false));
    }

    #[test]
    fn builds_like_boto3() {
        let mut b = ConditionExpressionBuilder::new();
        let c = Key("pk").eq("a") & Attr("x.y[2]").size().gt(3) | !Attr("z").exists();
        let built = b.build_expression(&c, false).unwrap();
        assert_eq!(
            built.condition_expression,
            "((#n0 = :v0 AND size(#n1.#n2[2]) > :v1) OR (NOT attribute_exists(#n3)))"
        );
        assert_eq!(built.attribute_name_placeholders["#n2"], "y");
        let again = b.build_expression(&Key("k").eq(1), true).unwrap();
        assert_eq!(again.condition_expression, "#n4 = :v2");
        assert!(b.build_expression(&Attr("k").eq(1), true).is_err());
    }
}
