//! Packs `data/<service>.json.gz` (written by `scripts/update_models.py`) into
//! one bundle in `boto_model::loader`'s format (see boto-model-data's
//! build.rs). The gzip members are stored as they are (codec 2): help text is
//! read rarely, so the smaller form wins over unpacking speed.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rerun-if-changed=data");
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(manifest.join("data"))
        .expect("boto-model-docs: data/ is missing")
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let file = p.file_name()?.to_str()?.to_owned();
            let service = file.strip_suffix(".json.gz")?.to_owned();
            Some((format!("{service}/docs-2.json"), p))
        })
        .collect();
    files.sort();
    let mut index = Vec::new();
    let mut blocks = Vec::new();
    for (name, path) in &files {
        let gz = std::fs::read(path).unwrap();
        // The gzip trailer's last four bytes are the uncompressed length (mod 2^32).
        let raw_len = u32::from_le_bytes(gz[gz.len() - 4..].try_into().unwrap());
        index.extend_from_slice(&u16::try_from(name.len()).unwrap().to_le_bytes());
        index.extend_from_slice(name.as_bytes());
        index.push(2u8);
        for n in [blocks.len(), gz.len()] {
            index.extend_from_slice(&u32::try_from(n).unwrap().to_le_bytes());
        }
        index.extend_from_slice(&raw_len.to_le_bytes());
        blocks.extend_from_slice(&gz);
    }
    let mut bundle = Vec::with_capacity(12 + index.len() + blocks.len());
    bundle.extend_from_slice(b"BOTOMDL1");
    bundle.extend_from_slice(&u32::try_from(files.len()).unwrap().to_le_bytes());
    bundle.extend_from_slice(&index);
    bundle.extend_from_slice(&blocks);
    std::fs::write(
        PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("docs.bin"),
        bundle,
    )
    .unwrap();
}
