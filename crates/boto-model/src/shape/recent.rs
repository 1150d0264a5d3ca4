//! A tiny lock-free memo of the operations a model was asked for lately.
//!
//! botocore keeps `OperationModel`s in a dict per service model, so a second
//! lookup of a name is one hash probe. boto-rs's compiled models keep the
//! operation names in a sorted, packed table: a lookup is a binary search
//! whose every probe may unpack a chunk. A client asks for the same few
//! operations over and over (twice per call: once for the hooks, once to
//! prepare the request), so each name hashes to one of a few slots that
//! remembers the index found last; the caller checks the operation's name
//! before trusting it, so a slot shared by two names only costs a search.

use std::sync::atomic::{AtomicU32, Ordering};

const SLOTS: usize = 8;

/// Index + 1 of the operation last found through each slot (0: none).
#[derive(Default)]
pub(crate) struct Recent([AtomicU32; SLOTS]);

impl Recent {
    fn slot(&self, name: &str) -> &AtomicU32 {
        let b = name.as_bytes();
        let byte = |i: usize| usize::from(b.get(i).copied().unwrap_or(0));
        let mix = b
            .len()
            .wrapping_mul(31)
            .wrapping_add(byte(0) * 7)
            .wrapping_add(byte(b.len() / 2) * 3)
            .wrapping_add(byte(b.len().wrapping_sub(1)));
        &self.0[mix % SLOTS]
    }

    /// The index last remembered for a name hashing like `name` (the caller
    /// compares the operation's name).
    pub(crate) fn get(&self, name: &str) -> Option<usize> {
        (self.slot(name).load(Ordering::Relaxed) as usize).checked_sub(1)
    }

    pub(crate) fn remember(&self, name: &str, index: usize) {
        if let Ok(n) = u32::try_from(index + 1) {
            self.slot(name).store(n, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_per_slot_and_starts_empty() {
        let r = Recent::default();
        assert_eq!(r.get("GetItem"), None);
        r.remember("GetItem", 7);
        assert_eq!(r.get("GetItem"), Some(7));
        // Every slot holds one index: the last name remembered through it.
        for (i, name) in [
            "A", "BB", "CCC", "DDDD", "EEEEE", "FFFFFF", "GGGGGGG", "H", "I",
        ]
        .iter()
        .enumerate()
        {
            r.remember(name, i);
            assert_eq!(r.get(name), Some(i));
        }
        assert_eq!(r.get(""), r.get(""));
    }
}
