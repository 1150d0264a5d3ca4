//! The CLI's shorthand parser (`Key=a,Values=[x,y],Map={k=v}`), from `boto-cli`.
//!
//! `boto-cli` is a binary crate, so its `shorthand.rs` (and `raw.rs`, the value type it
//! produces) are compiled into this target with `#[path]` rather than turning the CLI
//! into a library. The one other item shorthand needs, `paramfile::resolve_lossy`
//! (`key@=file://...`), is replaced by a stub that never resolves: a fuzzer must not
//! open whatever file names it invents, and file loading is not the parser's job.
//!
//! Checked: no panic or hang; a successful parse is a non-empty map with distinct keys
//! (duplicates are aws-cli's "Second instance of key" error).

#![no_main]

use boto_fuzz::seeds::{write_if_requested, Seeds};
use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../crates/boto-cli/src/raw.rs"]
mod raw;
#[allow(dead_code)]
#[path = "../../crates/boto-cli/src/shorthand.rs"]
mod shorthand;

/// Stand-in for `boto-cli`'s `paramfile` module (see the module doc).
mod paramfile {
    pub fn resolve_lossy(_value: &str) -> Option<crate::raw::Raw> {
        None
    }
}

fuzz_target!(init: write_if_requested(collect_seeds), |data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return; // the CLI rejects non-UTF-8 arguments before parsing them
    };
    match shorthand::parse(input) {
        Ok(raw::Raw::Map(m)) => {
            assert!(!m.is_empty());
            for (i, (k, _)) in m.iter().enumerate() {
                assert!(m[..i].iter().all(|(p, _)| p != k), "duplicate key {k:?}");
            }
            let _ = raw::Raw::Map(m).display();
        }
        Ok(other) => panic!("top level is not a map: {other:?}"),
        Err(e) => {
            let _ = e.to_string();
        }
    }
});

fn collect_seeds(s: &mut Seeds) {
    for seed in [
        "Key=a,Value=b",
        "Name=tag:Name,Values=web,db",
        "a=b,c,d=e",
        "Key=a,Values=[x,y]",
        "a={b=c,d=[e,{f=g}]}",
        "a='x,y',b=\"q\\\"r\"",
        "a=x\\,y",
        "a=[]",
        "url=http://x/?a=b",
        "a = b , c = d",
        "DeviceName=/dev/sda1,Ebs={VolumeSize=100,DeleteOnTermination=true}",
        "body@=file://x.txt,other=1",
        "k=[[1,2],[3]],m={x={y={z=w}}}",
        "é=ü,ключ=значение",
        "a=\"multi\nline\"",
    ] {
        s.add(seed.as_bytes());
    }
    for w in [
        "=", ",", "[", "]", "{", "}", "@=", "file://", "\\,", "'", "\"",
    ] {
        s.word(w);
    }
}
