//! [`HttpBindings`]: which members of a structure are bound to the HTTP
//! status line and headers, worked out once per shape.
//!
//! Why: the rest protocols' response parsers (botocore's
//! `BaseRestParser._parse_non_payload_attrs`) look at every member of the
//! output shape on every call, asking each whether it is a header and then
//! searching the response for it. S3's `HeadObject` output has about fifty
//! header members; a response carries ten headers or so. Kept per shape with
//! the model, the header members are grouped by the length of their wire
//! name, so a parser compares each response header with the one or two
//! members whose name is as long, instead.

use super::{Location, ServiceModel, ShapeId};

/// The members of one structure bound to the status code or to headers
/// (their `location` trait, on the member or else on its target shape),
/// by their index in the structure's members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpBindings {
    /// `statusCode` members.
    pub status: Vec<u32>,
    /// `header` members: (lowercased wire name, member), sorted by the
    /// name's length, then name, then member (two members may read one header).
    pub headers: Vec<(Box<str>, u32)>,
    /// `headers` members (a map of the headers sharing a prefix): (member,
    /// the prefix as modeled).
    pub prefixed: Vec<(u32, Box<str>)>,
    /// `headers[by_len[n]..by_len[n + 1]]`: the entries whose name is `n`
    /// bytes long.
    by_len: Vec<u32>,
}

impl HttpBindings {
    /// The bindings of structure `id`'s members; empty for other shapes.
    pub(super) fn of(model: &ServiceModel, id: ShapeId) -> HttpBindings {
        let mut b = HttpBindings::default();
        let Some(s) = model.shape(id).as_structure() else {
            return b;
        };
        for (j, m) in s.members.iter().enumerate() {
            let wire = || model.location_name(m).unwrap_or(&m.name);
            match model.location(m) {
                Some(Location::StatusCode) => b.status.push(j as u32),
                Some(Location::Header) => {
                    b.headers
                        .push((wire().to_ascii_lowercase().into(), j as u32));
                }
                Some(Location::Headers) => {
                    let prefix = model.location_name(m).unwrap_or("");
                    b.prefixed.push((j as u32, prefix.into()));
                }
                _ => {}
            }
        }
        b.headers
            .sort_by(|x, y| (x.0.len(), &x.0, x.1).cmp(&(y.0.len(), &y.0, y.1)));
        let longest = b.headers.last().map_or(0, |(n, _)| n.len());
        b.by_len = (0..=longest + 1)
            .map(|n| b.headers.partition_point(|(h, _)| h.len() < n) as u32)
            .collect();
        b
    }

    /// The `header` members reading header `name` (compared ignoring ASCII
    /// case), in member order; none when no member does.
    pub fn header_members<'b>(&'b self, name: &'b str) -> impl Iterator<Item = u32> + 'b {
        let n = name.len();
        let same_length = match (self.by_len.get(n), self.by_len.get(n + 1)) {
            (Some(&a), Some(&b)) => &self.headers[a as usize..b as usize],
            _ => &[],
        };
        same_length
            .iter()
            .filter(move |(h, _)| h.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, j)| *j)
    }
}
