//! The lazily decoded items of a compiled model.
//!
//! A model decodes a shape or an operation the first time it is asked for
//! (botocore resolves shapes lazily too), so it holds an empty cell per item
//! (~5,000 for ec2), most of them never filled. A cell is one pointer, null
//! until filled, and the cells are allocated zeroed: the allocator hands
//! fresh memory over without writing it, so a model whose shapes are never
//! asked for does not make its cells resident (they were 16-byte `OnceLock`s
//! written at open, 200 KB of resident heap for 20 services' clients).
//! Dropping a model walks the cells in one explicit loop: left to the
//! compiler's drop glue, that walk cost 1-10 µs depending on whether the glue
//! was inlined in a given build.

use std::marker::PhantomData;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::OnceLock;

pub(super) struct Slots<T> {
    /// Null, or a pointer from `Box::into_raw` owned by these slots.
    cells: Box<[AtomicPtr<T>]>,
    /// Shared and sent like the `OnceLock<Box<T>>` cells this replaces.
    _owns: PhantomData<OnceLock<Box<T>>>,
}

impl<T> Slots<T> {
    pub fn new(len: usize) -> Slots<T> {
        let cells = Box::<[AtomicPtr<T>]>::new_zeroed_slice(len);
        Slots {
            // SAFETY: an `AtomicPtr` has the representation of a raw pointer,
            // and all-zero bytes are the null pointer.
            cells: unsafe { cells.assume_init() },
            _owns: PhantomData,
        }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Item `i`, decoded by `init` on first use; `None` past the end. Two
    /// threads may both decode an item the first time; one result is kept.
    #[inline]
    pub fn get_or_init(&self, i: usize, init: impl FnOnce() -> T) -> Option<&T> {
        let cell = self.cells.get(i)?;
        let p = cell.load(Ordering::Acquire);
        if p.is_null() {
            return Some(Self::fill(cell, init));
        }
        // SAFETY: a non-null cell holds a `Box` pointer that lives until
        // `drop`, which needs `&mut self`.
        Some(unsafe { &*p })
    }

    /// The first use of a cell, out of the lookups' way.
    #[cold]
    #[inline(never)]
    fn fill(cell: &AtomicPtr<T>, init: impl FnOnce() -> T) -> &T {
        let new = Box::into_raw(Box::new(init()));
        match cell.compare_exchange(ptr::null_mut(), new, Ordering::AcqRel, Ordering::Acquire) {
            // SAFETY: `new` is now owned by the cell (see `get_or_init`).
            Ok(_) => unsafe { &*new },
            Err(won) => {
                // SAFETY: `new` was never shared; `won` is owned by the cell.
                drop(unsafe { Box::from_raw(new) });
                unsafe { &*won }
            }
        }
    }
}

impl<T> Drop for Slots<T> {
    fn drop(&mut self) {
        for cell in self.cells.iter_mut() {
            let p = *cell.get_mut();
            if !p.is_null() {
                // SAFETY: the cell owned this `Box`; nothing borrows it now.
                drop(unsafe { Box::from_raw(p) });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn decodes_each_item_once() {
        for len in [0, 1, 63, 64, 65, 128, 200] {
            let slots: Slots<usize> = Slots::new(len);
            let calls = Cell::new(0);
            let init = |i: usize| {
                calls.set(calls.get() + 1);
                i * 10
            };
            assert_eq!(slots.len(), len);
            for i in (0..len).rev().chain(0..len) {
                assert_eq!(slots.get_or_init(i, || init(i)), Some(&(i * 10)));
            }
            assert_eq!(calls.get(), len, "len {len}");
            assert_eq!(slots.get_or_init(len, || init(len)), None);
        }
    }

    #[test]
    fn drop_frees_filled_items() {
        let item = std::rc::Rc::new(());
        let slots: Slots<std::rc::Rc<()>> = Slots::new(100);
        slots.get_or_init(7, || item.clone());
        slots.get_or_init(99, || item.clone());
        assert_eq!(std::rc::Rc::strong_count(&item), 3);
        drop(slots);
        assert_eq!(std::rc::Rc::strong_count(&item), 1);
    }

    #[test]
    fn racing_first_uses_keep_one_item() {
        use std::sync::atomic::AtomicUsize;
        let slots: Slots<usize> = Slots::new(8);
        let decoded = AtomicUsize::new(0);
        let seen: Vec<usize> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        let v = slots.get_or_init(3, || decoded.fetch_add(1, Ordering::SeqCst));
                        v.map(|v| v as *const usize as usize).unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        // Every thread got the same item, whichever decode won.
        assert!(seen.windows(2).all(|w| w[0] == w[1]));
        assert!((1..=4).contains(&decoded.load(Ordering::SeqCst)));
    }
}
