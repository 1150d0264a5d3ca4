//! Packs the committed model files of the enabled services into one bundle
//! that `src/lib.rs` embeds.
//!
//! Service models (`service-2.json`) are compiled here into boto-rs's binary
//! model form (`boto-model-compile`) and packed (`boto_model_compile::pack`:
//! header and tables as they are, strings and records in LZ4 chunks unpacked
//! one at a time when first read) as `<service>/service-2.bin`, so the
//! runtime reads them without parsing JSON or unpacking a whole model.
//! Packed, the 429 models take 6.3 MB instead of 10.4 MB.
//!
//! `data/` holds gzip files written by `scripts/update_models.py` (compact in
//! git and in the published crate). They are inflated here and the other
//! files re-compressed with LZ4 block compression, which unpacks several
//! times faster than deflate when a client first needs them. Only services whose cargo
//! feature is on are packed (`CARGO_FEATURE_<NAME>`, `-` read as `_`), plus the
//! global files every client needs.
//!
//! Bundle layout (read by `boto_model::loader`): `BOTOMDL1`, a little-endian
//! u32 entry count, then per entry a u16 name length, the name
//! (`s3/paginators-1.json`), a codec byte (0 = LZ4 block, 5 = packed compiled
//! model; the loader also reads 1 = deflate, 2 = gzip, 3 = stored, 4 = xz), u32
//! offset, u32 compressed length, u32 raw length; then the blocks.

use std::io::Read;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let data = manifest.join("data");
    println!("cargo:rerun-if-changed=data");
    let mut files = Vec::new();
    let mut all = Vec::new();
    for entry in std::fs::read_dir(&data).expect("boto-model-data: data/ is missing") {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if name != "_global" {
            all.push(name.clone());
        }
        let feature = format!("CARGO_FEATURE_{}", name.to_uppercase().replace('-', "_"));
        if name == "_global" || std::env::var_os(&feature).is_some() {
            collect(&dir, &name, &mut files);
        }
    }
    files.sort();

    let mut index = Vec::new();
    let mut blocks = Vec::new();
    for (name, path) in &files {
        let mut raw = inflate(path);
        let (name, codec, block) = match name.strip_suffix("/service-2.json") {
            Some(service) => {
                raw = boto_model_compile::compile_slice(&raw)
                    .unwrap_or_else(|e| panic!("compile {}: {e}", path.display()));
                let packed = boto_model_compile::pack(&raw).expect("a compiled model packs");
                (format!("{service}/service-2.bin"), 5u8, packed)
            }
            None => (name.clone(), 0u8, lz4_flex::block::compress(&raw)),
        };
        index.extend_from_slice(&u16::try_from(name.len()).unwrap().to_le_bytes());
        index.extend_from_slice(name.as_bytes());
        index.push(codec);
        for n in [blocks.len(), block.len(), raw.len()] {
            index.extend_from_slice(&u32::try_from(n).unwrap().to_le_bytes());
        }
        blocks.extend_from_slice(&block);
    }
    let mut bundle = Vec::with_capacity(12 + index.len() + blocks.len());
    bundle.extend_from_slice(b"BOTOMDL1");
    bundle.extend_from_slice(&u32::try_from(files.len()).unwrap().to_le_bytes());
    bundle.extend_from_slice(&index);
    bundle.extend_from_slice(&blocks);
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out.join("models.bin"), bundle).unwrap();
    all.sort();
    std::fs::write(out.join("services.rs"), format!("&{all:?}")).unwrap();
}

/// `(bundle name, path)` for every `<stem>.json.gz` of one service directory.
fn collect(dir: &Path, service: &str, out: &mut Vec<(String, PathBuf)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(json) = file.strip_suffix(".gz") {
            out.push((format!("{service}/{json}"), path));
        }
    }
}

fn inflate(path: &Path) -> Vec<u8> {
    let gz = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("inflate {}: {e}", path.display()));
    raw
}
