//! The member plan of [`Stream`]'s structures: each member's element name,
//! worked out once per shape and parse, and the order its children were
//! seen in, so the next child's start tag is checked against the member
//! expected there before it is scanned and searched for.

use super::super::xml::name_eq;
use super::super::xml_walk::member_key_name;
use super::super::{located, wire_name};
use super::{Stream, Tag};
use boto_model::{ShapeId, ShapeKind, StructureShape};
use std::rc::Rc;

/// What a structure's children are matched against, worked out once per
/// shape and parse (a listing's thousand items share one).
pub(super) struct Plan<'m> {
    pub(super) id: ShapeId,
    /// Each member's element name; empty for members read from headers.
    /// Shared, so a structure's walk holds them without borrowing the
    /// stream (see [`Stream::expect_child`]).
    pub(super) names: Rc<[&'m str]>,
    /// Bit `j`: member `j` is a flattened list or map (its elements repeat).
    pub(super) flat: u64,
    /// Bit `j`: member `j`'s name is one [`Stream::expect_child`] may match
    /// as written (not empty, no prefix, nothing a tag scan would stop at or
    /// refuse).
    pub(super) plain: u64,
    /// `follow[j]`: the member whose element came after member `j`'s last
    /// time (`j + 1` until seen); `follow[names.len()]`: the first child's.
    /// Siblings keep one order through a response (a listing's thousand
    /// items, EC2's instances), whether or not it is the model's.
    pub(super) follow: [u8; MAX_PLANNED + 1],
}

/// Structures with more members are left to the tree.
const MAX_PLANNED: usize = 64;

impl<'m, 'a> Stream<'m, 'a> {
    /// The plan for structure `id`, made on first use; `None` for the
    /// structures the tree has special rules for.
    pub(super) fn plan(&mut self, id: ShapeId, s: &'m StructureShape) -> Option<usize> {
        if let Some(p) = self.plans.iter().position(|p| p.id == id) {
            return Some(p);
        }
        if s.document || s.union || s.exception || s.members.len() > MAX_PLANNED {
            return None;
        }
        let model = self.model;
        let mut names = Vec::with_capacity(s.members.len());
        let (mut flat, mut plain) = (0u64, 0u64);
        for (j, m) in s.members.iter().enumerate() {
            let target = model.shape(m.target);
            if m.traits.xml_attribute || target.traits.xml_attribute {
                return None;
            }
            let name = if located(model, m) {
                ""
            } else {
                member_key_name(model, m)
            };
            if model.flattened(m) {
                // Keyed by its member's name with a fallback to its own:
                // the tree looks twice.
                if !name.is_empty() && wire_name(model, m) != name {
                    return None;
                }
                if matches!(target.kind, ShapeKind::List { .. } | ShapeKind::Map { .. }) {
                    flat |= 1 << j;
                }
            }
            if !name.is_empty() && names.contains(&name) {
                return None;
            }
            if !name.is_empty() && name.bytes().all(plain_name_byte) {
                plain |= 1 << j;
            }
            names.push(name);
        }
        let n = names.len();
        let mut follow = [0u8; MAX_PLANNED + 1];
        for (j, f) in follow[..n].iter_mut().enumerate() {
            *f = j as u8 + 1;
        }
        self.plans.push(Plan {
            id,
            names: names.into(),
            flat,
            plain,
            follow,
        });
        Some(self.plans.len() - 1)
    }

    /// The member whose element name is `local`, searching from the last
    /// match (children usually come in model order).
    #[inline]
    pub(super) fn slot(&self, plan: usize, local: &str, hint: &mut usize) -> Option<usize> {
        let names = &self.plans[plan].names;
        let n = names.len();
        for k in 0..n {
            let j = if *hint + k >= n {
                *hint + k - n
            } else {
                *hint + k
            };
            if name_eq(names[j], local) {
                *hint = j;
                return Some(j);
            }
        }
        None
    }

    /// At `<`: `<name>` of member `j` exactly, if that is what comes next.
    /// Children mostly arrive in model order without attributes, so the
    /// structure walk tries the member it expects before scanning the tag
    /// and searching the names. A match is the tag and member the scan and
    /// [`slot`](Self::slot) would find: the plan's names are distinct and
    /// `plain`, and the byte after the name is `>`.
    ///
    /// The walk passes its plan's `names` and `plain` as it holds them for
    /// the whole structure: read through `self.plans` for each child, the
    /// name's length came at the end of four dependent loads, and the
    /// compare that waited on them was the walk's hottest instruction.
    #[inline(always)]
    pub(super) fn expect_child(&mut self, names: &[&str], plain: u64, j: usize) -> Option<Tag<'a>> {
        if j >= names.len() || plain & (1 << j) == 0 {
            return None;
        }
        self.expect_name(names[j])
    }
}

/// A byte a member name may have for [`Stream::expect_child`]: none that
/// ends a tag name, separates a prefix or makes the name invalid.
fn plain_name_byte(c: u8) -> bool {
    !matches!(
        c,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | b'/'
            | b'>'
            | b':'
            | b'<'
            | b'"'
            | b'\''
            | b'='
            | b'&'
            | b'!'
            | b'?'
    )
}
