//! The scratch stacks the JSON walk and the XML stream push values onto
//! while a response is read, kept per thread between parses.
//!
//! Both parsers push every value, with the key it will be stored under,
//! onto one stack that holds the members, map entries and list items of
//! every container still open, and build each container once, at its exact
//! size, when it closes (see `de/stack.rs` for why values are pushed rather
//! than returned). botocore has no counterpart: its parsers
//! build Python dicts and lists as they go.
//!
//! Why per thread: a 1,000-key S3 listing holds its thousand items on the
//! stack until the list closes, so a stack made per parse grew from 16 to
//! 1,024 entries by doubling, copying about 110 KB and making glibc
//! consolidate its free chunks for the larger blocks, on every page. A
//! thread's first parse grows it once; later parses reuse it. Flattened
//! lists (a listing's `Contents`, whose items are not on the stack) grow in
//! the spare buffers kept here for the same reason. What a thread keeps is
//! bounded: the stacks up to 1,024 entries (56 KiB) and four list buffers
//! up to 1,024 values (32 KiB each).

use boto_model::{Key, Value};
use std::cell::Cell;

/// The scratch stacks, empty between parses.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Values read and not yet in a container (a list item's key is empty).
    pub entries: Vec<(Key, Value)>,
    /// For each member of an open structure on `entries`, its index in the
    /// structure (model order).
    pub members: Vec<u32>,
    /// Spare, empty buffers for flattened lists while they grow (see
    /// `pop_into_list` in `de/stack.rs`).
    pub lists: Vec<Vec<Value>>,
}

/// Spare list buffers kept for the next parse.
pub(crate) const KEEP_LISTS: usize = 4;

thread_local! {
    static SCRATCH: Cell<Scratch> = Cell::new(Scratch::default());
}

/// Stacks that grew past this many elements are not kept for the next
/// parse (1,024 entries are 56 KiB: a full S3 listing page fits).
const KEEP_UP_TO: usize = 1024;

impl Scratch {
    /// The thread's stacks, with room for 16 entries at least. A parse
    /// nested in another (none today) finds the cell empty and starts its
    /// own.
    pub fn take() -> Scratch {
        let mut s = SCRATCH.try_with(Cell::take).unwrap_or_default();
        if s.entries.capacity() == 0 {
            s.entries.reserve(16);
            s.members.reserve(16);
        }
        s
    }

    /// Returns the stacks to the thread for its next parse, emptied (a
    /// parse that failed midway leaves its open containers behind), unless
    /// they grew past [`KEEP_UP_TO`].
    pub fn give_back(mut self) {
        if self.entries.capacity() > KEEP_UP_TO || self.members.capacity() > KEEP_UP_TO {
            return;
        }
        self.entries.clear();
        self.members.clear();
        self.lists.retain(|l| l.capacity() <= KEEP_UP_TO);
        self.lists.truncate(KEEP_LISTS);
        for l in &mut self.lists {
            l.clear();
        }
        let _ = SCRATCH.try_with(|c| c.set(self));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_are_reused_empty_and_big_ones_dropped() {
        let mut s = Scratch::take();
        s.entries.push((Key::from("a"), Value::Null));
        s.members.push(3);
        let ptr = s.entries.as_ptr();
        s.give_back();
        let s = Scratch::take();
        assert!(s.entries.is_empty() && s.members.is_empty());
        assert_eq!(s.entries.as_ptr(), ptr, "the thread's stack is reused");
        // Taken twice (a nested parse): the second starts its own.
        let nested = Scratch::take();
        assert_ne!(nested.entries.as_ptr(), ptr);
        nested.give_back();
        s.give_back();
        let mut big = Scratch::take();
        big.entries.reserve(KEEP_UP_TO + 1);
        big.give_back();
        assert!(Scratch::take().entries.capacity() <= KEEP_UP_TO);
        // Spare list buffers: kept empty, a few, none too big.
        let mut s = Scratch::take();
        s.lists = (0..KEEP_LISTS + 2)
            .map(|i| {
                let mut l = Vec::with_capacity(if i == 0 { KEEP_UP_TO + 1 } else { 8 });
                l.push(Value::Null);
                l
            })
            .collect();
        s.give_back();
        let s = Scratch::take();
        assert_eq!(s.lists.len(), KEEP_LISTS);
        assert!(s.lists.iter().all(|l| l.is_empty() && l.capacity() == 8));
    }
}
