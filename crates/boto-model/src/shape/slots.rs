//! The lazily decoded items of a compiled model.
//!
//! A model decodes a shape or an operation the first time it is asked for
//! (botocore resolves shapes lazily too), so it holds one empty cell per item
//! (~5,000 for ec2), most of them never filled. Dropping a model walks them
//! all; left to the compiler's drop glue that walk cost 1-10 µs depending on
//! whether the glue was inlined in a given build, more than opening the model.
//! [`Slots`] drops them in one explicit loop.

use std::sync::OnceLock;

pub(super) struct Slots<T> {
    cells: Box<[OnceLock<Box<T>>]>,
}

impl<T> Slots<T> {
    pub fn new(len: usize) -> Slots<T> {
        Slots {
            cells: (0..len).map(|_| OnceLock::new()).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Item `i`, decoded by `init` on first use; `None` past the end.
    pub fn get_or_init(&self, i: usize, init: impl FnOnce() -> T) -> Option<&T> {
        Some(self.cells.get(i)?.get_or_init(|| Box::new(init())))
    }
}

impl<T> Drop for Slots<T> {
    fn drop(&mut self) {
        for cell in std::mem::take(&mut self.cells).into_vec() {
            drop(cell.into_inner());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn decodes_each_item_once() {
        for len in [0, 1, 64, 200] {
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
}
