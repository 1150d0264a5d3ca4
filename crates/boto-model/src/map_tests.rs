//! Tests of [`Map`](super::Map): order, replacement, the hash index threshold, equality.

use super::*;

fn keys(m: &Map) -> Vec<&str> {
    m.keys().map(Key::as_str).collect()
}

#[test]
fn order_replace_and_remove_across_the_index_threshold() {
    for n in [3, INDEXED_FROM - 1, INDEXED_FROM, 40] {
        let mut m = Map::new();
        for i in 0..n {
            assert_eq!(m.insert(format!("k{i}"), Value::from(i)), None);
        }
        assert_eq!(m.len(), n);
        // Replacing keeps the position.
        assert_eq!(m.insert("k0", Value::from("x")), Some(Value::from(0)));
        assert_eq!(m.get_index_of("k0"), Some(0));
        for i in 0..n {
            assert_eq!(m.get_index_of(&format!("k{i}")), Some(i), "n={n}");
        }
        assert!(m.get("absent").is_none());
        // Removing keeps the order of the rest, and lookups stay right.
        assert_eq!(m.remove("k1"), Some(Value::from(1)));
        assert_eq!(m.len(), n - 1);
        assert_eq!(m.get_index_of("k2"), Some(1));
        assert_eq!(m.get(&format!("k{}", n - 1)), Some(&Value::from(n - 1)));
        m.retain(|k, _| k != "k2");
        assert!(!m.contains_key("k2"));
        assert_eq!(m.get("k0"), Some(&Value::from("x")));
        if n > 3 {
            assert_eq!(m.get("k3"), Some(&Value::from(3)));
        }
    }
}

#[test]
fn from_entries_resolves_repeats_like_inserts() {
    let long = "a-key-longer-than-twenty-two-bytes";
    assert!(Map::from_entries(Vec::new()).is_empty());
    for n in [1, 3, INDEXED_FROM - 1, INDEXED_FROM, 40] {
        let mut entries: Vec<(Key, Value)> = (0..n)
            .map(|i| (Key::from(format!("k{i}")), Value::from(i as i64)))
            .collect();
        entries.push((Key::from(long), Value::from(-1)));
        // Distinct keys: same as inserting one by one, index included.
        let mut by_insert = Map::new();
        for (k, v) in entries.clone() {
            by_insert.insert(k, v);
        }
        let m = Map::from_entries(entries.clone());
        assert_eq!(
            m.keys().collect::<Vec<_>>(),
            by_insert.keys().collect::<Vec<_>>()
        );
        assert_eq!(m.get(long), Some(&Value::from(-1)));
        if n > 0 {
            assert_eq!(
                m.get(&format!("k{}", n - 1)),
                Some(&Value::from(n as i64 - 1))
            );
        }
        assert_eq!(Map::from_distinct(entries.clone()), m);
        // Repeats (short and long keys): first position, last value.
        entries.push((Key::from("k0"), Value::from("again")));
        entries.push((Key::from(long), Value::from("long again")));
        let m = Map::from_entries(entries);
        assert_eq!(m.len(), n + 1);
        assert_eq!(m.get(long), Some(&Value::from("long again")));
        assert_eq!(m.get_index_of(long), Some(n));
        assert_eq!(
            m.first().map(|(k, v)| (k.as_str(), v)),
            Some(("k0", &Value::from("again")))
        );
    }
}

#[test]
fn equality_ignores_order_but_not_values() {
    let a: Map = [("a", Value::from(1)), ("b", Value::from(2))]
        .into_iter()
        .collect();
    let b: Map = [("b", Value::from(2)), ("a", Value::from(1))]
        .into_iter()
        .collect();
    let c: Map = [("b", Value::from(3)), ("a", Value::from(1))]
        .into_iter()
        .collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_ne!(a, Map::new());
    assert_eq!(keys(&b), ["b", "a"]);
}

#[test]
fn entry_inserts_once_and_modifies_in_place() {
    let mut m = Map::new();
    for i in 0..30 {
        let e = m.entry(format!("k{}", i % 15)).or_insert(Value::from(0));
        *e = Value::from(e.as_i64().unwrap() + 1);
    }
    assert_eq!(m.len(), 15);
    assert!(m.values().all(|v| v.as_i64() == Some(2)));
    m.entry("k3").and_modify(|v| *v = Value::Null);
    assert!(m["k3"].is_null());
    assert_eq!(keys(&m)[..3], ["k0", "k1", "k2"]);
}

#[test]
fn a_value_stays_small() {
    // An IndexMap<String, Value> (72 bytes itself) made every Value at least that.
    assert_eq!(std::mem::size_of::<Map>(), 32);
    assert_eq!(std::mem::size_of::<Value>(), 32);
    assert_eq!(std::mem::size_of::<(Key, Value)>(), 56);
}

#[test]
fn from_entries_finds_repeats_among_keys_that_look_alike() {
    // Keys sharing a length and end bytes (the repeat check's filter)
    // but not equal, and equal ones, in every order up to four entries.
    let keys = ["", "a", "ab", "aab", "abb", "axb", "ayb", "ba"];
    let k = keys.len();
    for n in 1..=4usize {
        for code in 0..k.pow(n as u32) {
            let picked: Vec<&str> = (0..n).map(|i| keys[code / k.pow(i as u32) % k]).collect();
            let entries: Vec<(Key, Value)> = picked
                .iter()
                .enumerate()
                .map(|(i, s)| (Key::from(*s), Value::from(i as i64)))
                .collect();
            let mut by_insert = Map::new();
            for (key, v) in entries.clone() {
                by_insert.insert(key, v);
            }
            let m = Map::from_entries(entries);
            let flat = |m: &Map| {
                m.iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(flat(&m), flat(&by_insert), "{picked:?}");
        }
    }
}
