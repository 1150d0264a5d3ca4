//! Seed corpora and dictionaries written by the targets themselves.
//!
//! `scripts/fuzz.sh` runs each target once with `BOTO_FUZZ_SEEDS=<dir>` (and
//! `BOTO_FUZZ_DICT=<file>`) before fuzzing. The target's `init` calls [`write_if_requested`],
//! which collects the seeds, writes them and exits without fuzzing. Generating seeds in
//! the target keeps them in step with the target's input layout and lets them come from
//! the embedded models, so no fetched data is committed.

use std::collections::BTreeSet;
use std::path::Path;

/// Seeds and dictionary words collected by a target.
#[derive(Default)]
pub struct Seeds {
    inputs: Vec<Vec<u8>>,
    words: BTreeSet<Vec<u8>>,
}

impl Seeds {
    pub fn add(&mut self, input: impl Into<Vec<u8>>) {
        self.inputs.push(input.into());
    }
    /// A dictionary word (libFuzzer inserts these while mutating). Very short and very
    /// long words are dropped: they only dilute the dictionary.
    pub fn word(&mut self, w: impl AsRef<[u8]>) {
        let w = w.as_ref();
        if (2..=64).contains(&w.len()) {
            self.words.insert(w.to_vec());
        }
    }
    pub fn len(&self) -> usize {
        self.inputs.len()
    }
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }
}

/// If `BOTO_FUZZ_SEEDS` is set: collects the target's seeds with `collect`, writes each
/// to `<dir>/seed-<hash>`, the dictionary to `BOTO_FUZZ_DICT` if set, and exits.
pub fn write_if_requested(collect: impl FnOnce(&mut Seeds)) {
    let Some(dir) = std::env::var_os("BOTO_FUZZ_SEEDS") else {
        return;
    };
    let mut seeds = Seeds::default();
    collect(&mut seeds);
    let dir = Path::new(&dir);
    if let Err(e) = write_all(dir, &seeds) {
        eprintln!("cannot write seeds to {}: {e}", dir.display());
        std::process::exit(1);
    }
    eprintln!(
        "wrote {} seeds, {} dictionary words",
        seeds.inputs.len(),
        seeds.words.len()
    );
    std::process::exit(0);
}

fn write_all(dir: &Path, seeds: &Seeds) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for input in &seeds.inputs {
        std::fs::write(dir.join(format!("seed-{:016x}", fnv1a(input))), input)?;
    }
    if let Some(dict) = std::env::var_os("BOTO_FUZZ_DICT") {
        let mut text = String::new();
        for w in &seeds.words {
            text.push('"');
            for &b in w {
                match b {
                    b'"' | b'\\' => {
                        text.push('\\');
                        text.push(b as char);
                    }
                    0x20..=0x7e => text.push(b as char),
                    _ => text.push_str(&format!("\\x{b:02X}")),
                }
            }
            text.push_str("\"\n");
        }
        std::fs::write(dict, text)?;
    }
    Ok(())
}

/// Stable file names: the same seed always lands in the same file.
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}
