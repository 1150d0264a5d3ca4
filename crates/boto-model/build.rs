//! Packs `.data/models` (made by `scripts/fetch_data.py`) into one compressed
//! bundle that the crate embeds. Model files use LZ4 (fast to unpack on first
//! use); documentation, needed only for help text, uses deflate (smaller).

use std::io::Write;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let dir = std::env::var_os("BOTO_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../.data/models"));
    println!("cargo:rerun-if-env-changed=BOTO_MODELS_DIR");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("models.bin");

    let mut files: Vec<(String, PathBuf)> = Vec::new();
    if dir.is_dir() {
        collect(&dir, &dir, &mut files);
    } else {
        println!(
            "cargo:warning=no models at {} (run `python3 scripts/fetch_data.py`); building without embedded models",
            dir.display()
        );
    }
    files.sort();

    let mut index = Vec::new();
    let mut data = Vec::new();
    for (name, path) in &files {
        let raw = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let (codec, block) = if name.ends_with("/docs-2.json") {
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(6));
            enc.write_all(&raw).unwrap();
            (1u8, enc.finish().unwrap())
        } else {
            (0u8, lz4_flex::block::compress(&raw))
        };
        index.extend_from_slice(&(name.len() as u16).to_le_bytes());
        index.extend_from_slice(name.as_bytes());
        index.push(codec);
        index.extend_from_slice(&(data.len() as u32).to_le_bytes());
        index.extend_from_slice(&(block.len() as u32).to_le_bytes());
        index.extend_from_slice(&(raw.len() as u32).to_le_bytes());
        data.extend_from_slice(&block);
    }
    let mut bundle = Vec::with_capacity(12 + index.len() + data.len());
    bundle.extend_from_slice(b"BOTOMDL1");
    bundle.extend_from_slice(&(files.len() as u32).to_le_bytes());
    bundle.extend_from_slice(&index);
    bundle.extend_from_slice(&data);
    std::fs::write(&out, bundle).unwrap();
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect(root, &p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, p));
        }
    }
}
