//! The query and ec2 front of the streaming reader: the result inside the
//! root (under its `resultWrapper` element, or the root itself) and the
//! request id beside it (`<ResponseMetadata>`, EC2's `<requestId>`), read
//! as `query::parse` and `ec2::parse` read them from the tree.

use super::{Stream, Tag};
use boto_model::{Key, Map, MemberRef, ServiceModel, StructureShape, Value};

/// A query or ec2 output body as `query::parse` and `ec2::parse` read it:
/// the result (from the `resultWrapper` element when there is one) and the
/// request id, or `None` to leave it to the tree.
pub(crate) fn query_output(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    body: &[u8],
    ec2: bool,
) -> Option<Map> {
    let mut st = Stream::new(model, body)?;
    let root = st.prolog()?;
    let output = out.and_then(|r| Some((r, model.shape(r.target).as_structure()?)));
    let wrapper = output.and_then(|(r, _)| {
        (r.traits.result_wrapper.as_deref()).or(model
            .shape(r.target)
            .traits
            .result_wrapper
            .as_deref())
    });
    // Where the request id is: EC2's `<requestId>`, the query protocol's
    // `<ResponseMetadata>`, both children of the root.
    let metadata = if ec2 { "requestId" } else { "ResponseMetadata" };
    if wrapper == Some(metadata) {
        return None;
    }
    st.metadata = Some(metadata);
    let mut parsed = match (output, wrapper) {
        (Some((r, s)), None) => {
            // The root is the result: a member named like the metadata
            // would be read twice by the tree.
            let plan = st.plan(r.target, s)?;
            if st.plans[plan].names.contains(&metadata) {
                return None;
            }
            st.structure(r.target, s, root, Key::default())?;
            match st.entries.pop()? {
                (_, Value::Map(m)) => m,
                _ => return None,
            }
        }
        _ => st.wrapped_result(root, output.filter(|_| wrapper.is_some()), wrapper)?,
    };
    st.epilog()?;
    if let Some(meta) = st.found_metadata.take() {
        parsed.insert("ResponseMetadata", meta);
    }
    Some(parsed)
}

impl<'m, 'a> Stream<'m, 'a> {
    /// The root's children when the result is wrapped (or there is none):
    /// the first `wrapper` element is the result, the first metadata
    /// element the request id, the rest skipped.
    fn wrapped_result(
        &mut self,
        root: Tag<'a>,
        output: Option<(&'m MemberRef, &'m StructureShape)>,
        wrapper: Option<&str>,
    ) -> Option<Map> {
        let mut result = None;
        if !root.empty {
            self.enter()?;
            while let Some(child) = self.next_child(root.name)? {
                match output {
                    Some((r, s)) if result.is_none() && wrapper == Some(child.local) => {
                        self.structure(r.target, s, child, Key::default())?;
                        match self.entries.pop()? {
                            (_, Value::Map(m)) => result = Some(m),
                            _ => return None,
                        }
                    }
                    _ => self.root_child(child)?,
                }
            }
            self.depth -= 1;
        }
        Some(result.unwrap_or_default())
    }

    /// A child of the root no member reads: the request id's element, or
    /// skipped.
    pub(super) fn root_child(&mut self, tag: Tag<'a>) -> Option<()> {
        if self.depth != 1 || self.found_metadata.is_some() || self.metadata != Some(tag.local) {
            return self.skip(tag);
        }
        let meta = if tag.local == "requestId" {
            let mut m = Map::with_capacity(1);
            m.insert_new("RequestId", self.text_or_null(tag)?);
            m
        } else {
            // `ResponseMetadata`: each child's text, by tag (a repeat
            // replaces, in its first place).
            let mut m = Map::new();
            if !tag.empty {
                self.enter()?;
                while let Some(child) = self.next_child(tag.name)? {
                    let v = self.text_or_null(child)?;
                    m.insert(child.local, v);
                }
                self.depth -= 1;
            }
            m
        };
        self.found_metadata = Some(Value::Map(meta));
        Some(())
    }

    /// A metadata element's text, or null when it has none (the tree's
    /// `has_text`: character data seen before any child).
    fn text_or_null(&mut self, tag: Tag<'a>) -> Option<Value> {
        let empty = tag.empty || self.b.get(self.i) == Some(&b'<');
        let text = self.scalar_text(tag)?;
        Some(if empty {
            Value::Null
        } else {
            Value::String(text.into())
        })
    }
}
