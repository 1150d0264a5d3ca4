//! Hostile-input tests: deeply nested expressions must either be rejected
//! with a syntax error or evaluate without overflowing the stack, even on
//! a thread with half the default 2 MiB stack.

use boto_jmespath::{compile, ErrorKind, Map, Variable};

/// A document nested `depth` levels deep where every level is both an
/// array element and the `a`/`b` field of an object, so that projections,
/// filters and field lookups all keep descending.
fn deep_doc(depth: usize) -> Variable {
    let mut v = Variable::from(1i64);
    for _ in 0..depth {
        let mut map = Map::new();
        map.insert("a".to_string(), std::mem::take(&mut v));
        map.insert("b".to_string(), Variable::Bool(true));
        v = Variable::Array(vec![Variable::Object(map)]);
    }
    v
}

type Pattern = fn(usize) -> String;

const PATTERNS: &[(&str, Pattern)] = &[
    ("flatten chain", |n| format!("@{}", "[]".repeat(n))),
    ("index chain", |n| format!("@{}", "[0]".repeat(n))),
    ("slice chain", |n| format!("@{}", "[:]".repeat(n))),
    ("star chain", |n| format!("@{}", "[*]".repeat(n))),
    ("filter chain", |n| format!("@{}", "[?b]".repeat(n))),
    ("field chain", |n| format!("@{}", "[0].a".repeat(n))),
    ("projection chain", |n| format!("@{}", "[*].a".repeat(n))),
    ("value projection", |n| format!("@{}", "[0].*".repeat(n))),
    ("nested filters", |n| {
        format!("{}b{}", "[?@[?".repeat(n), "]]".repeat(n))
    }),
    ("not", |n| format!("{}@", "!".repeat(n))),
    ("parens", |n| format!("{}@{}", "(".repeat(n), ")".repeat(n))),
    ("multiselect list", |n| {
        format!("{}@{}", "[".repeat(n), "]".repeat(n))
    }),
    ("multiselect hash", |n| {
        format!("{}@{}", "{a:".repeat(n), "}".repeat(n))
    }),
    ("pipes", |n| format!("@{}", "|[0]".repeat(n))),
    ("or", |n| format!("@{}", "||@".repeat(n))),
    ("and", |n| format!("@{}", "&&@".repeat(n))),
    ("comparison", |n| format!("@{}", "==@".repeat(n))),
    ("functions", |n| {
        format!("{}@{}", "to_array(".repeat(n), ")".repeat(n))
    }),
    ("map", |n| {
        format!("{}@{}", "map(&".repeat(n), ", @)".repeat(n))
    }),
    ("sort_by", |n| {
        format!("{}@{}", "sort_by(@, &".repeat(n), ")".repeat(n))
    }),
];

/// Half of a spawned thread's default stack. The worst pattern needs about
/// 0.4 MiB with the test profile's optimisation and about 1 MiB fully
/// unoptimised.
const STACK: usize = 1 << 20;

#[test]
fn deep_expressions_never_overflow() {
    let worker = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(deep_expressions);
    match worker {
        Ok(handle) => assert!(handle.join().is_ok(), "worker panicked"),
        Err(e) => panic!("cannot spawn worker: {e}"),
    }
}

fn deep_expressions() {
    // Deeper than any expression can reach (data depth itself is bounded
    // by whoever parsed the document; serde_json stops at 128).
    let doc = deep_doc(130);
    for (name, pattern) in PATTERNS {
        let mut largest = 0;
        for n in (1..=2_000).step_by(7) {
            let expr = pattern(n);
            match compile(&expr) {
                Ok(compiled) => {
                    largest = n;
                    // Type errors are fine; crashing is not.
                    let _ = compiled.search(&doc);
                }
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::Syntax, "{name} at {n}: {e}");
                    break;
                }
            }
        }
        assert!(largest > 0, "{name}: nothing compiled");
        assert!(largest < 2_000, "{name}: no depth limit hit");
    }
}

#[test]
fn long_flat_expressions_are_fine() {
    // Breadth is not depth: many siblings must not trip the nesting limit.
    let list = format!("[{}]", vec!["a"; 5_000].join(","));
    assert!(compile(&list).is_ok());
    let hash = format!(
        "{{{}}}",
        (0..5_000)
            .map(|i| format!("k{i}: a"))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert!(compile(&hash).is_ok());
}

#[test]
fn garbage_never_panics() {
    let pieces = [
        "a", "\"q\"", "'r'", "`1`", "`[`", "1", "-", "-1", ".", "*", "[", "]", "[]", "[?", "{",
        "}", "(", ")", ",", ":", "|", "||", "&", "&&", "!", "!=", "==", "<", ">=", "@", " ", "\\",
        "\"", "'", "`", "é", "length", "sort_by",
    ];
    let doc = deep_doc(3);
    // A deterministic pseudo-random walk over token soup.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..20_000 {
        let mut expr = String::new();
        let len = (state % 12) as usize + 1;
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            expr.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        if let Ok(compiled) = compile(&expr) {
            let _ = compiled.search(&doc);
        } else if let Err(e) = compile(&expr) {
            // Display must not panic either (caret placement on odd input).
            let _ = e.to_string();
        }
    }
}
