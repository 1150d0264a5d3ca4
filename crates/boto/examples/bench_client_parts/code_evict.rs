//! Code run between `bench_client warm`'s calls to push the call's code out
//! of the L1 instruction cache alone.
//!
//! Why: writing data between calls (`EVICT`) evicts the data cache and,
//! past the L2's size, everything; it leaves the L1 instruction cache alone
//! (instructions are not written). To tell whether a call is cold because
//! its code left the L1i, this grid of 1,024 distinct functions (~0.1-0.2
//! KiB each, const-generic copies that the linker cannot fold; 144 KiB in
//! all, over twice the L1i) runs `rows` of its 64 rows of 16 between calls.
//! It costs a call 0.1-0.3 µs (`bench/regress.md`, session 27): L1i misses
//! served from the L2 are not what makes a call cold.

use std::hint::black_box;

#[inline(never)]
fn spin<const A: u64, const B: u64>(x: u64) -> u64 {
    let k = A << 8 | B;
    let mut y = black_box(x ^ k);
    y = y.wrapping_mul(0x9e37_79b9_7f4a_7c15 ^ k);
    y ^= y >> 29;
    y = black_box(y).wrapping_mul(k | 1);
    y ^= y >> 32;
    y = y.rotate_left((k % 63) as u32).wrapping_add(k);
    y = black_box(y).wrapping_mul(0xbf58_476d_1ce4_e5b9 ^ k);
    y ^ y >> 31
}

#[inline(never)]
fn row<const A: u64>(mut x: u64) -> u64 {
    macro_rules! cols {
        ($($b:literal)*) => { $( x = spin::<A, $b>(x); )* };
    }
    cols!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
    x
}

/// Runs the first `rows` rows (at most 64) of the grid.
pub fn run(rows: usize, seed: u64) -> u64 {
    macro_rules! grid {
        ($($a:literal)*) => { [$( row::<$a> as fn(u64) -> u64, )*] };
    }
    let table = grid!(
        0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
        32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
    );
    table.iter().take(rows).fold(seed, |x, f| f(x))
}
