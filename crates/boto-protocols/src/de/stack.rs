//! Pushing values onto a parser's scratch stack (`de/scratch.rs`) and
//! closing containers on it, written so that no value is read back with
//! loads wider than the stores that just wrote it.
//!
//! Why this needs care: a value built in one place and moved to another
//! goes through a stack temporary, written field by field in 8-byte stores
//! and copied with 16-byte loads. A load that straddles stores still in
//! flight cannot take their data and waits until they drain; such waits
//! were a third of the JSON walk's own time (session 21) and, after the
//! pushes were fixed, the hottest instructions left in both walks (closing
//! a structure, a scalar converted by a call, a flattened list's item;
//! session 22, `bench/regress.md`). So values are copied here a word at a
//! time (volatile, so the copies are not merged back), and containers are
//! assembled in their slots from their parts. botocore has no counterpart.

use boto_model::{Key, Map, Value};
use std::ptr::NonNull;

/// The entries of a structure just read, from `base` on the parser's scratch
/// stack, moved into a vector of their own, returned as its three parts
/// (pointer, length, capacity). A structure at the bottom of the stack
/// (`base == 0`: the root, or the first structure read inside it before any
/// sibling) is copied out with one slot to spare, which the root's
/// `ResponseMetadata` takes after the walk. `split_off(0)` would instead hand
/// the whole scratch buffer (of whatever size a long list left it) to the
/// output and allocate another as large for the walk to go on with.
///
/// Parts rather than a `Vec`, inlined, with its own allocation and copy: a
/// vector returned by `split_off`, or produced by two paths, or moved whole,
/// came back through a stack temporary, and the 16-byte load of its fields
/// waited for the 8-byte stores that had just written them (the hottest
/// instruction of the JSON walk; `bench/regress.md`, session 22). A small
/// structure (up to [`WORD_COPY_ENTRIES`] entries, nearly always just
/// pushed) is copied a word at a time for the same reason; a larger one
/// with `memcpy`.
#[inline(always)]
fn take_raw(scratch: &mut Vec<(Key, Value)>, base: usize) -> (NonNull<Entry>, usize, usize) {
    let len = scratch.len();
    assert!(base <= len, "take_raw: base past the stack");
    let n = len - base;
    let cap = n + usize::from(base == 0);
    if cap == 0 {
        return (NonNull::dangling(), 0, 0);
    }
    // Cannot fail: `cap` entries take no more than the scratch stack
    // already holds, plus one.
    let layout = std::alloc::Layout::array::<Entry>(cap).expect("entries fit in memory");
    // SAFETY: `layout` has a non-zero size (`Entry` is not zero-sized and
    // `cap > 0`).
    let Some(out) = NonNull::new(unsafe { std::alloc::alloc(layout) }.cast::<Entry>()) else {
        std::alloc::handle_alloc_error(layout);
    };
    // SAFETY: `out` holds `cap >= n` entries; the `n` entries from `base` are
    // moved (the scratch stack's length is cut first, so they are owned
    // once). `out` was allocated by the global allocator with `Entry`'s
    // layout for `cap`, as `Vec::from_raw_parts` requires of the caller.
    unsafe {
        let src = scratch.as_ptr().add(base);
        scratch.set_len(base);
        if n <= WORD_COPY_ENTRIES {
            let (s, d) = (
                src.cast::<std::mem::MaybeUninit<u64>>(),
                out.as_ptr().cast::<std::mem::MaybeUninit<u64>>(),
            );
            for i in 0..n * ENTRY_WORDS {
                d.add(i).write_volatile(s.add(i).read_volatile());
            }
        } else {
            std::ptr::copy_nonoverlapping(src, out.as_ptr(), n);
        }
    }
    (out, n, cap)
}

type Entry = (Key, Value);

/// Closes a structure: its entries from `base` on the scratch stack become
/// one `Value::Map`, pushed under `key`. A small map is assembled in its
/// slot from the vector's parts: built whole and then pushed, it went
/// through a stack temporary, read back with 16-byte loads that straddled
/// the 8-byte stores just made (the JSON walk's hottest instruction).
#[inline(always)]
pub(crate) fn push_struct(scratch: &mut Vec<(Key, Value)>, base: usize, key: Key) {
    let (ptr, n, cap) = take_raw(scratch, base);
    if n >= boto_model::map::INDEXED_FROM {
        // SAFETY: the parts are a vector's, owned by nothing else.
        let entries = unsafe { Vec::from_raw_parts(ptr.as_ptr(), n, cap) };
        push_entry(scratch, key, Value::Map(Map::from_distinct(entries)));
        return;
    }
    // SAFETY: the parts are a vector's, owned by nothing else; a
    // structure's members are distinct, and there are few.
    unsafe { push_small_map(scratch, key, ptr, n, cap) }
}

/// Closes a map: its entries from `base` become one `Value::Map` under
/// `key`, assembled in the slot as [`push_struct`] does when the keys are
/// few and distinct; otherwise built by `Map::from_entries` (a repeated key
/// keeps its first position and takes the last value) and pushed.
#[inline(always)]
pub(crate) fn push_map(scratch: &mut Vec<(Key, Value)>, base: usize, key: Key) {
    let small = Map::small_and_distinct(&scratch[base..]);
    let (ptr, n, cap) = take_raw(scratch, base);
    if !small {
        // SAFETY: the parts are a vector's, owned by nothing else.
        let entries = unsafe { Vec::from_raw_parts(ptr.as_ptr(), n, cap) };
        push_entry(scratch, key, Value::Map(Map::from_entries(entries)));
        return;
    }
    // SAFETY: the parts are a vector's, owned by nothing else; its keys
    // were just checked distinct and few.
    unsafe { push_small_map(scratch, key, ptr, n, cap) }
}

/// Pushes `key` and the map of the vector with these parts, assembled in
/// its slot ([`push_in_place`]).
///
/// # Safety
/// `(ptr, n, cap)` are the parts of a vector owned by nothing else (from
/// [`take_raw`]), with fewer than `INDEXED_FROM` entries and no key twice.
#[inline(always)]
unsafe fn push_small_map(
    scratch: &mut Vec<(Key, Value)>,
    key: Key,
    ptr: NonNull<Entry>,
    n: usize,
    cap: usize,
) {
    // SAFETY: the caller vouches for the parts; the closure writes an
    // empty map, then the map over its payload, and cannot panic.
    unsafe {
        push_in_place(scratch, key, move |v| {
            v.write(Value::Map(Map::new()));
            if let Value::Map(m) = &mut *v {
                let entries = Vec::from_raw_parts(ptr.as_ptr(), n, cap);
                std::ptr::write(m, Map::from_small_distinct(entries));
            }
        });
    }
}

/// Pushes `key` and a container assembled in its slot by `fill`, which
/// writes an empty map or list there (it owns nothing, so overwriting it
/// leaks nothing) and then the real container over its payload in place.
/// The container's parts go from registers into the slot rather than
/// through a stack temporary (see [`take_raw`]).
///
/// # Safety
/// `fill` must not panic, and must write a whole value to the slot.
#[inline(always)]
unsafe fn push_in_place(scratch: &mut Vec<(Key, Value)>, key: Key, fill: impl FnOnce(*mut Value)) {
    scratch.reserve(1);
    let len = scratch.len();
    // SAFETY: `reserve(1)` made room at `len`; the entry is whole before
    // `set_len` makes it visible, and (by the caller's word) nothing in
    // between can panic.
    unsafe {
        let slot = scratch.as_mut_ptr().add(len);
        std::ptr::addr_of_mut!((*slot).0).write(key);
        let value = std::ptr::addr_of_mut!((*slot).1);
        fill(value);
        scratch.set_len(len + 1);
    }
}

/// Closes a structure whose members were pushed out of model order: its
/// entries from `base` are put in model order (`members[ibase..]` holds
/// each one's index, all distinct) and pushed as one map under `key`. Out
/// of line: the in-order close stays small, and no vector two paths
/// produce joins there.
#[inline(never)]
pub(crate) fn push_reordered(
    entries: &mut Vec<(Key, Value)>,
    members: &mut Vec<u32>,
    base: usize,
    ibase: usize,
    key: Key,
) {
    let mut order: Vec<(u32, (Key, Value))> = members[ibase..]
        .iter()
        .copied()
        .zip(entries.drain(base..))
        .collect();
    order.sort_unstable_by_key(|(i, _)| *i);
    let sorted = order.into_iter().map(|(_, e)| e).collect();
    members.truncate(ibase);
    push_entry(entries, key, Value::Map(Map::from_distinct(sorted)));
}

/// Closes a list: the values of the entries from `base` (their keys are
/// empty) become one `Value::List` under `key`, copied word by word into a
/// vector of their count and assembled in the slot (a collected vector
/// came back through a stack temporary, as `take_raw` explains).
#[inline(always)]
pub(crate) fn push_list(scratch: &mut Vec<(Key, Value)>, base: usize, key: Key) {
    let len = scratch.len();
    assert!(base <= len, "push_list: base past the stack");
    let n = len - base;
    let mut items: Vec<Value> = Vec::with_capacity(n);
    // SAFETY: `items` has room for `n` values; each entry's value is copied
    // there bit for bit and its (empty) key dropped in place, after the
    // stack's length is cut, so each is owned once. Nothing can panic.
    unsafe {
        let src = scratch.as_mut_ptr().add(base);
        scratch.set_len(base);
        let dst = items.as_mut_ptr();
        for i in 0..n {
            let e = src.add(i);
            copy_words(&(*e).1, dst.add(i));
            std::ptr::drop_in_place(std::ptr::addr_of_mut!((*e).0));
        }
        items.set_len(n);
    }
    let (ptr, n, cap) = (items.as_mut_ptr(), items.len(), items.capacity());
    std::mem::forget(items);
    // SAFETY: the closure writes an empty list, then the vector (from the
    // parts of `items`, forgotten above) over its payload, and cannot panic.
    unsafe {
        push_in_place(scratch, key, move |v| {
            v.write(Value::List(Vec::new()));
            if let Value::List(l) = &mut *v {
                std::ptr::write(l, Vec::from_raw_parts(ptr, n, cap));
            }
        });
    }
}

/// Structures up to this many entries are copied out of the scratch stack
/// word by word (see [`take_raw`]).
const WORD_COPY_ENTRIES: usize = 4;
const ENTRY_WORDS: usize = std::mem::size_of::<(Key, Value)>() / 8;
const _: () = assert!(
    std::mem::size_of::<(Key, Value)>().is_multiple_of(8)
        && std::mem::align_of::<(Key, Value)>() == 8
);

/// Pushes `(key, v)` onto a parser's scratch stack, writing the key and the
/// value straight into the next slot. `entries.push((key, v))` first
/// assembled the pair in a stack temporary, with stores of 8 and 16 bytes at
/// offsets its 16-byte copy into the vector then straddled; each such load
/// waits until the stores drain, and those waits were a third of the JSON
/// walk's own time (`bench/regress.md`, session 21).
#[inline(always)]
pub(crate) fn push_entry(entries: &mut Vec<(Key, Value)>, key: Key, v: Value) {
    // SAFETY: `v` is forgotten right after its bytes are copied.
    unsafe { push_copy(entries, key, &v) };
    std::mem::forget(v);
}

/// Pushes the value a conversion returned, copied word by word from where
/// the callee wrote it; an error is handed back. (`let v = f()?` then a
/// push moved the value out of the result in 16-byte pieces first, over
/// the callee's 8-byte stores.)
#[inline(always)]
pub(crate) fn push_result<E>(
    entries: &mut Vec<(Key, Value)>,
    key: Key,
    r: Result<Value, E>,
) -> Result<(), E> {
    match &r {
        Ok(v) => {
            // SAFETY: `r`, which owns the value, is forgotten right after
            // its bytes are copied.
            unsafe { push_copy(entries, key, v) };
            std::mem::forget(r);
            Ok(())
        }
        Err(_) => r.map(|_| ()),
    }
}

/// Writes `key` and a bitwise copy of `*v` into the stack's next slot.
///
/// # Safety
/// The caller gives up `*v` (forgets its owner) after: the slot owns it.
#[inline(always)]
unsafe fn push_copy(entries: &mut Vec<(Key, Value)>, key: Key, v: &Value) {
    entries.reserve(1);
    let len = entries.len();
    // SAFETY: `reserve(1)` made room for one more entry at `len`; both
    // fields are written before `set_len` makes the entry visible, and
    // nothing in between can panic.
    unsafe {
        let slot = entries.as_mut_ptr().add(len);
        std::ptr::addr_of_mut!((*slot).0).write(key);
        copy_words(v, std::ptr::addr_of_mut!((*slot).1));
        entries.set_len(len + 1);
    }
}

/// Moves the value on top of the stack to the end of the list in entry
/// `at` (a flattened list's next item). `None`, and the stack unchanged,
/// if the stack is empty, `at` is the top, or entry `at` is not a list.
///
/// A full list moves to a spare buffer from `spares` (kept by the thread
/// from earlier parses) rather than doubling: an S3 listing's thousand
/// `Contents` grew through ten reallocations, and each one past 1 KiB made
/// glibc consolidate every small chunk freed since (a tenth of the parse).
/// The structure that closes gives the list a vector of its exact size and
/// the buffer back.
#[inline(always)]
pub(crate) fn pop_into_list(
    entries: &mut Vec<(Key, Value)>,
    at: usize,
    spares: &mut Vec<Vec<Value>>,
) -> Option<()> {
    let top = entries.len().checked_sub(1)?;
    if at >= top {
        return None;
    }
    let (below, last) = entries.split_at_mut(top);
    let Value::List(items) = &mut below[at].1 else {
        return None;
    };
    if items.len() == items.capacity() {
        if let Some(mut spare) = spares.pop() {
            spare.append(items);
            *items = spare;
        }
    }
    items.reserve(1);
    let n = items.len();
    // SAFETY: `reserve(1)` made room at `n`. The top value is copied there
    // bit for bit and the top entry's length cut, so the value has one
    // owner; the top's key is dropped in place, once.
    unsafe {
        copy_words(&last[0].1, items.as_mut_ptr().add(n));
        items.set_len(n + 1);
        let key = std::ptr::addr_of_mut!(last[0].0);
        entries.set_len(top);
        std::ptr::drop_in_place(key);
    }
    Some(())
}

/// Replaces the value on top of the stack by a one-item list of it, under
/// `key` (a flattened list's first item). `None` if the stack is empty.
#[inline(always)]
pub(crate) fn wrap_top_in_list(entries: &mut [(Key, Value)], key: Key) -> Option<()> {
    let top = entries.last_mut()?;
    let mut items: Vec<Value> = Vec::with_capacity(1);
    // SAFETY: `items` has room for one value; the top value is copied there
    // bit for bit, and its slot is overwritten at once with the list
    // (written as an empty list, which owns nothing, then the vector over
    // its payload in place), so the value has one owner. Nothing in
    // between can panic.
    unsafe {
        copy_words(&top.1, items.as_mut_ptr());
        items.set_len(1);
        let slot = std::ptr::addr_of_mut!(top.1);
        slot.write(Value::List(Vec::new()));
        if let Value::List(l) = &mut *slot {
            std::ptr::write(l, items);
        }
    }
    top.0 = key;
    Some(())
}

const VALUE_WORDS: usize = std::mem::size_of::<Value>() / 8;
const _: () =
    assert!(std::mem::size_of::<Value>().is_multiple_of(8) && std::mem::align_of::<Value>() == 8);

/// Copies a `Value` word by word. The value was just written in 8-byte
/// pieces (its tag, a string's words); the 16-byte moves a plain copy
/// uses would straddle them and wait for them to drain. Volatile, so the
/// compiler keeps the word-sized loads rather than merging them.
///
/// # Safety
/// `dst` is valid for a `Value`'s write; the caller forgets `v` after.
#[inline(always)]
unsafe fn copy_words(v: &Value, dst: *mut Value) {
    let src = (v as *const Value).cast::<std::mem::MaybeUninit<u64>>();
    let dst = dst.cast::<std::mem::MaybeUninit<u64>>();
    for i in 0..VALUE_WORDS {
        dst.add(i).write_volatile(src.add(i).read_volatile());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A string long enough to live on the heap: a double free or a leak
    /// of a moved value shows (under the test allocator, as a crash).
    fn long(s: &str) -> Value {
        Value::String(format!("{s} {}", "x".repeat(40)).into())
    }

    fn stack(n: usize) -> Vec<(Key, Value)> {
        (0..n)
            .map(|i| (Key::from(format!("k{i}")), long(&format!("v{i}"))))
            .collect()
    }

    #[test]
    fn push_struct_moves_the_top_entries_into_one_map() {
        let mut s = stack(3);
        push_struct(&mut s, 1, "m".into());
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].1, long("v0"));
        assert_eq!(&*s[1].0, "m");
        let Value::Map(m) = &s[1].1 else {
            panic!("not a map")
        };
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("k1"), Some(&long("v1")));
        assert_eq!(m.get("k2"), Some(&long("v2")));
        assert_eq!(
            m.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            ["k1", "k2"]
        );
    }

    #[test]
    fn push_struct_at_the_bottom_leaves_a_slot_for_response_metadata() {
        let mut s = stack(2);
        push_struct(&mut s, 0, Key::default());
        let Some((_, Value::Map(mut m))) = s.pop() else {
            panic!("not a map")
        };
        assert_eq!(m.len(), 2);
        let before = m.get("k0").map(|v| v as *const Value);
        m.insert("ResponseMetadata", Value::Null);
        // The insert found room: the entries did not move.
        assert_eq!(m.get("k0").map(|v| v as *const Value), before);
    }

    #[test]
    fn push_struct_of_nothing_is_an_empty_map() {
        let mut s = stack(1);
        push_struct(&mut s, 1, "e".into());
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].1, Value::Map(Map::new()));
    }

    #[test]
    fn push_struct_indexes_a_large_structure() {
        let n = boto_model::map::INDEXED_FROM + 3;
        let mut s = stack(n + 1);
        push_struct(&mut s, 1, "big".into());
        let Value::Map(m) = &s[1].1 else {
            panic!("not a map")
        };
        assert_eq!(m.len(), n);
        for i in 1..=n {
            assert_eq!(
                m.get(&format!("k{i}")),
                Some(&long(&format!("v{i}"))),
                "k{i}"
            );
        }
        assert_eq!(m.get("k0"), None);
    }

    #[test]
    fn push_map_keeps_distinct_keys_and_resolves_repeats() {
        let mut s = stack(3);
        push_map(&mut s, 1, "m".into());
        let Value::Map(m) = &s[1].1 else {
            panic!("not a map")
        };
        assert_eq!(
            m.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            ["k1", "k2"]
        );
        // A repeated key: its first position, the last value.
        let mut s = stack(1);
        s.push(("a".into(), long("1")));
        s.push(("b".into(), long("2")));
        s.push(("a".into(), long("3")));
        push_map(&mut s, 1, "m".into());
        assert_eq!(s.len(), 2);
        let Value::Map(m) = &s[1].1 else {
            panic!("not a map")
        };
        let got: Vec<_> = m.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        assert_eq!(got, [("a", long("3")), ("b", long("2"))]);
        // Many keys: indexed, every one found.
        let n = boto_model::map::INDEXED_FROM * 2;
        let mut s = stack(n);
        push_map(&mut s, 0, Key::default());
        let Value::Map(m) = &s[0].1 else {
            panic!("not a map")
        };
        assert_eq!(m.len(), n);
        assert!((0..n).all(|i| m.get(&format!("k{i}")) == Some(&long(&format!("v{i}")))));
    }

    #[test]
    fn push_list_takes_the_values_in_order() {
        let mut s = stack(1);
        for i in 0..5 {
            s.push((Key::default(), long(&i.to_string())));
        }
        push_list(&mut s, 1, "l".into());
        assert_eq!(s.len(), 2);
        assert_eq!(&*s[1].0, "l");
        let want: Vec<Value> = (0..5).map(|i| long(&i.to_string())).collect();
        let Value::List(items) = &s[1].1 else {
            panic!("not a list")
        };
        assert_eq!((items, items.capacity()), (&want, 5));
        push_list(&mut s, 2, "empty".into());
        assert_eq!(s[2].1, Value::List(Vec::new()));
    }

    #[test]
    fn push_reordered_puts_members_in_model_order() {
        let mut s = stack(1);
        for (k, v) in [("c", "2"), ("a", "0"), ("b", "1")] {
            s.push((k.into(), long(v)));
        }
        let mut members = vec![7, 2, 0, 1];
        push_reordered(&mut s, &mut members, 1, 1, "r".into());
        assert_eq!(members, [7]);
        assert_eq!(s.len(), 2);
        let Value::Map(m) = &s[1].1 else {
            panic!("not a map")
        };
        let got: Vec<_> = m.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        assert_eq!(got, [("a", long("0")), ("b", long("1")), ("c", long("2"))]);
    }

    #[test]
    fn push_result_pushes_a_value_and_hands_back_an_error() {
        let mut s = stack(1);
        assert_eq!(push_result::<()>(&mut s, "a".into(), Ok(long("a"))), Ok(()));
        assert_eq!(s.len(), 2);
        assert_eq!((&*s[1].0, &s[1].1), ("a", &long("a")));
        assert_eq!(push_result(&mut s, "b".into(), Err("bad")), Err("bad"));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn pop_into_list_moves_the_top_value_into_the_list() {
        let mut s = vec![(Key::from("l"), Value::List(vec![long("first")]))];
        s.push((Key::default(), long("second")));
        assert_eq!(pop_into_list(&mut s, 0, &mut Vec::new()), Some(()));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].1, Value::List(vec![long("first"), long("second")]));
    }

    #[test]
    fn a_full_list_moves_to_a_spare_buffer() {
        let spare: Vec<Value> = Vec::with_capacity(64);
        let spare_ptr = spare.as_ptr();
        let mut spares = vec![spare];
        let mut s = vec![(Key::from("l"), Value::List(vec![long("0")]))];
        for i in 1..10 {
            s.push((Key::default(), long(&i.to_string())));
            assert_eq!(pop_into_list(&mut s, 0, &mut spares), Some(()));
        }
        assert!(spares.is_empty());
        let Value::List(items) = &s[0].1 else {
            panic!("not a list")
        };
        assert_eq!(items.as_ptr(), spare_ptr);
        let want: Vec<Value> = (0..10).map(|i| long(&i.to_string())).collect();
        assert_eq!(items, &want);
    }

    #[test]
    fn pop_into_list_refuses_what_is_not_there() {
        let mut empty: Vec<(Key, Value)> = Vec::new();
        assert_eq!(pop_into_list(&mut empty, 0, &mut Vec::new()), None);
        // `at` is the top itself, past it, or not a list: nothing moves.
        let mut s = vec![(Key::from("l"), Value::List(Vec::new()))];
        assert_eq!(pop_into_list(&mut s, 0, &mut Vec::new()), None);
        s.push((Key::default(), long("x")));
        assert_eq!(pop_into_list(&mut s, 1, &mut Vec::new()), None);
        assert_eq!(pop_into_list(&mut s, 5, &mut Vec::new()), None);
        let mut t = stack(2);
        assert_eq!(pop_into_list(&mut t, 0, &mut Vec::new()), None);
        assert_eq!((s.len(), t.len()), (2, 2));
        assert_eq!(s[1].1, long("x"));
        assert_eq!(t[1].1, long("v1"));
    }

    #[test]
    fn wrap_top_in_list_makes_a_one_item_list_under_the_key() {
        let mut s = stack(2);
        assert_eq!(wrap_top_in_list(&mut s, "flat".into()), Some(()));
        assert_eq!(s.len(), 2);
        assert_eq!(&*s[1].0, "flat");
        assert_eq!(s[1].1, Value::List(vec![long("v1")]));
        assert_eq!(wrap_top_in_list(&mut [], "x".into()), None);
    }
}
