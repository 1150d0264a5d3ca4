//! The ec2 dialect of the query protocol: how members are named.
//!
//! EC2 predates the query protocol's conventions: a member's wire name is its
//! `queryName`, else its `locationName` with the first letter capitalized,
//! else the member name; and lists never get a `.member` level (see
//! `query.rs`, which owns the walk).

use boto_model::{MemberRef, ServiceModel};

/// The wire name of an ec2 member (or map key/value), `default` when unnamed.
pub(crate) fn serialized_name(model: &ServiceModel, r: &MemberRef, default: &str) -> String {
    let target = model.shape(r.target);
    if let Some(q) = r
        .traits
        .query_name
        .as_deref()
        .or(target.traits.query_name.as_deref())
    {
        return q.to_string();
    }
    match model.location_name(r) {
        Some(name) => capitalize(name),
        None => default.to_string(),
    }
}

fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn capitalizes_first_letter_only() {
        assert_eq!(super::capitalize("fooBar"), "FooBar");
        assert_eq!(super::capitalize(""), "");
        assert_eq!(super::capitalize("x"), "X");
    }
}
