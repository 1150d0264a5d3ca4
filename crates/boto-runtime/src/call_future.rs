//! [`CallFuture`]: a call's state machine behind a pointer, in memory that
//! the calling thread reuses from one call to the next.
//!
//! Why a pointer at all: rustc compiles an `async fn`'s body again in every
//! crate that awaits it, so a public `async fn` over the whole pipeline
//! would be compiled and optimized once more in each crate above this one
//! (resources, the transfer manager, the CLI, the Python module, every test
//! binary). Behind a pointer whose poll and drop functions are chosen here,
//! it is compiled once (`pipeline::invoke`; `bench/regress.md`, session 25).
//!
//! Why not `Box<dyn Future>`: the pipeline's state machine is about 2.4 KB,
//! above what glibc serves from its per-thread cache (1,032 bytes). A box
//! of that size went through malloc's general path every call, which
//! first merges the fast bins the call's small frees filled: 2,200
//! instructions a call in `bench/callgrind_call.sh`, 1–4 µs of a GetItem in
//! `bench/peers`. Here each thread keeps up to [`CACHED`] freed blocks of
//! [`BLOCK_SIZE`] bytes and the next call on that thread takes one back;
//! a future dropped on another thread leaves its block with that thread.
//! Larger or more strictly aligned futures get memory of their own.

use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};
use std::cell::Cell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{Context, Poll};

/// The size of the blocks each thread keeps for call futures.
pub(crate) const BLOCK_SIZE: usize = 4096;
/// The alignment of those blocks.
const BLOCK_ALIGN: usize = 16;
/// How many freed blocks a thread keeps (at most 32 KiB).
pub(crate) const CACHED: usize = 8;

/// What a [`CallFuture`] borrows for `'a` (what its future borrows) and
/// yields (`T`).
type Marker<'a, T> = PhantomData<(&'a (), fn() -> T)>;

/// A future moved to memory of its own, polled and dropped through
/// functions fixed when it was made (see the module docs).
pub(crate) struct CallFuture<'a, T> {
    ptr: NonNull<u8>,
    poll: unsafe fn(NonNull<u8>, &mut Context<'_>) -> Poll<T>,
    drop: unsafe fn(NonNull<u8>),
    _marker: Marker<'a, T>,
}

// SAFETY: a `CallFuture` is only made from a `Send` future (see `new`),
// which it owns alone; moving it to another thread moves that future.
unsafe impl<T> Send for CallFuture<'_, T> {}

// The future itself never moves once written to its memory, whatever
// happens to this handle.
impl<T> Unpin for CallFuture<'_, T> {}

impl<'a, T> CallFuture<'a, T> {
    /// Moves `f` into a block of its own.
    pub(crate) fn new<F>(f: F) -> Self
    where
        F: Future<Output = T> + Send + 'a,
    {
        let ptr = block::take(Layout::new::<F>());
        // SAFETY: `ptr` is valid for writes of `F` (allocated for its layout).
        unsafe { ptr.as_ptr().cast::<F>().write(f) };
        CallFuture {
            ptr,
            poll: poll_raw::<F>,
            drop: drop_raw::<F>,
            _marker: PhantomData,
        }
    }
}

impl<T> Future for CallFuture<'_, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: `ptr` holds the live future `poll` was made for.
        unsafe { (self.poll)(self.ptr, cx) }
    }
}

impl<T> Drop for CallFuture<'_, T> {
    fn drop(&mut self) {
        // SAFETY: `ptr` holds the live future `drop` was made for, and it is
        // not used again.
        unsafe { (self.drop)(self.ptr) }
    }
}

/// Polls the `F` at `p` in place.
///
/// # Safety
/// `p` must hold a live `F` that is never moved.
unsafe fn poll_raw<F: Future>(p: NonNull<u8>, cx: &mut Context<'_>) -> Poll<F::Output> {
    // SAFETY: per this function's contract the future is live and pinned
    // where it is.
    unsafe { Pin::new_unchecked(&mut *p.as_ptr().cast::<F>()) }.poll(cx)
}

/// Drops the `F` at `p` and gives its memory back.
///
/// # Safety
/// `p` must hold a live `F`, in memory from `block::take(Layout::new::<F>())`,
/// and must not be used afterwards.
unsafe fn drop_raw<F>(p: NonNull<u8>) {
    // Frees the memory even when the future's drop panics.
    struct Give(NonNull<u8>, Layout);
    impl Drop for Give {
        fn drop(&mut self) {
            block::give(self.0, self.1);
        }
    }
    let _give = Give(p, Layout::new::<F>());
    // SAFETY: per this function's contract, `p` holds a live `F`.
    unsafe { std::ptr::drop_in_place(p.as_ptr().cast::<F>()) };
}

/// The blocks: taken from and given back to the current thread's spares.
mod block {
    use super::*;

    /// A thread's spare blocks.
    struct Spares {
        len: Cell<usize>,
        slots: [Cell<*mut u8>; CACHED],
    }

    impl Drop for Spares {
        fn drop(&mut self) {
            for slot in &self.slots[..self.len.get()] {
                // SAFETY: every cached pointer came from `alloc(block())`
                // and is owned by this cache alone.
                unsafe { dealloc(slot.get(), block()) };
            }
        }
    }

    thread_local! {
        static SPARES: Spares = const {
            Spares {
                len: Cell::new(0),
                slots: [const { Cell::new(std::ptr::null_mut()) }; CACHED],
            }
        };
    }

    fn block() -> Layout {
        // Constant arguments that satisfy `from_size_align`'s conditions.
        Layout::from_size_align(BLOCK_SIZE, BLOCK_ALIGN).expect("block layout")
    }

    fn fits(layout: Layout) -> bool {
        layout.size() <= BLOCK_SIZE && layout.align() <= BLOCK_ALIGN
    }

    /// Memory for `layout`: a spare block when it fits one.
    pub(super) fn take(layout: Layout) -> NonNull<u8> {
        if layout.size() == 0 {
            return NonNull::new(layout.align() as *mut u8).expect("an alignment is not zero");
        }
        let (layout, spare) = match fits(layout) {
            true => (block(), pop()),
            false => (layout, None),
        };
        if let Some(p) = spare {
            return p;
        }
        // SAFETY: `layout` has a non-zero size.
        let p = unsafe { alloc(layout) };
        NonNull::new(p).unwrap_or_else(|| handle_alloc_error(layout))
    }

    /// Gives back memory from [`take`] for the same `layout`.
    pub(super) fn give(p: NonNull<u8>, layout: Layout) {
        if layout.size() == 0 {
            return;
        }
        if !fits(layout) {
            // SAFETY: `p` came from `alloc(layout)` in `take`.
            unsafe { dealloc(p.as_ptr(), layout) };
            return;
        }
        if !push(p) {
            // SAFETY: `p` came from `alloc(block())` in `take` (or from a
            // cache that got it that way).
            unsafe { dealloc(p.as_ptr(), block()) };
        }
    }

    fn pop() -> Option<NonNull<u8>> {
        // A thread that is exiting has no spares left: allocate.
        SPARES
            .try_with(|s| {
                let n = s.len.get().checked_sub(1)?;
                s.len.set(n);
                NonNull::new(s.slots[n].replace(std::ptr::null_mut()))
            })
            .ok()
            .flatten()
    }

    fn push(p: NonNull<u8>) -> bool {
        SPARES
            .try_with(|s| {
                let n = s.len.get();
                if n == CACHED {
                    return false;
                }
                s.slots[n].set(p.as_ptr());
                s.len.set(n + 1);
                true
            })
            .unwrap_or(false)
    }

    #[cfg(test)]
    pub(super) fn spares() -> usize {
        SPARES.with(|s| s.len.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Counts its drops.
    struct Probe(Arc<AtomicUsize>);
    impl Drop for Probe {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn runs_to_completion_across_suspensions() {
        let words = vec!["a".to_string(), "b".to_string()];
        let f = CallFuture::new(async {
            let mut out = String::new();
            for w in &words {
                tokio::task::yield_now().await;
                out.push_str(w);
            }
            out
        });
        assert_eq!(block_on(f), "ab");
    }

    #[test]
    fn dropping_an_unfinished_future_drops_its_state_once() {
        let drops = Arc::new(AtomicUsize::new(0));
        let probe = Probe(drops.clone());
        let mut f = CallFuture::new(async move {
            let _held = probe;
            std::future::pending::<()>().await;
        });
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        assert!(Pin::new(&mut f).poll(&mut cx).is_pending());
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        drop(f);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_thread_reuses_its_blocks_and_keeps_a_bounded_number() {
        let seen = std::thread::spawn(|| {
            let first = CallFuture::new(async { 1 });
            let p = first.ptr;
            drop(first);
            assert_eq!(block::spares(), 1);
            let second = CallFuture::new(async { 2 });
            assert_eq!(second.ptr, p, "the freed block is taken back");
            assert_eq!(block::spares(), 0);
            drop(second);
            let many: Vec<_> = (0..CACHED + 3)
                .map(|i| CallFuture::new(async move { i }))
                .collect();
            drop(many);
            block::spares()
        })
        .join()
        .expect("thread");
        assert_eq!(seen, CACHED);
    }

    #[test]
    fn large_and_empty_futures_get_memory_of_their_own() {
        let big = [7u8; BLOCK_SIZE * 2];
        let f = CallFuture::new(async move { big.iter().map(|&b| usize::from(b)).sum::<usize>() });
        assert_eq!(block_on(f), 7 * BLOCK_SIZE * 2);
        let unit = CallFuture::new(std::future::ready(()));
        assert_eq!(block_on(unit), ());
    }

    #[test]
    fn a_future_may_be_dropped_on_another_thread() {
        let drops = Arc::new(AtomicUsize::new(0));
        let probe = Probe(drops.clone());
        let f = CallFuture::new(async move {
            let _held = probe;
            std::future::pending::<()>().await;
        });
        std::thread::spawn(move || drop(f)).join().expect("thread");
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_panicking_future_propagates_and_its_memory_is_returned() {
        let spares_before = std::thread::spawn(|| {
            let f = CallFuture::new(async {
                panic!("inside the call");
            });
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| block_on(f)));
            assert!(caught.is_err());
            block::spares()
        })
        .join()
        .expect("thread");
        assert_eq!(spares_before, 1, "the block came back after the panic");
    }
}
