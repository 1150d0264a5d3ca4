//! Packs `data/<service>.json.xz` (written by `scripts/update_models.py`) into
//! one bundle in `boto_model::loader`'s format (see boto-model-data's
//! build.rs). The xz streams are stored as they are (codec 4): help text is
//! read rarely, so the smaller form wins over unpacking speed (6.6 MB of xz
//! against 8.6 MB of gzip for all 429 services).

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rerun-if-changed=data");
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(manifest.join("data"))
        .expect("boto-model-docs: data/ is missing")
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let file = p.file_name()?.to_str()?.to_owned();
            let service = file.strip_suffix(".json.xz")?.to_owned();
            Some((format!("{service}/docs-2.json"), p))
        })
        .collect();
    files.sort();
    let mut index = Vec::new();
    let mut blocks = Vec::new();
    for (name, path) in &files {
        let xz = std::fs::read(path).unwrap();
        let raw_len = xz_uncompressed_len(&xz)
            .unwrap_or_else(|| panic!("{}: not an xz stream", path.display()));
        index.extend_from_slice(&u16::try_from(name.len()).unwrap().to_le_bytes());
        index.extend_from_slice(name.as_bytes());
        index.push(4u8);
        for n in [blocks.len(), xz.len(), raw_len] {
            index.extend_from_slice(&u32::try_from(n).unwrap().to_le_bytes());
        }
        blocks.extend_from_slice(&xz);
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

/// The uncompressed size of a one-stream xz file, from its index (the
/// `.xz` format, sections 2.1.2.4 and 4): the stream footer's backward size
/// locates the index, whose records each give a block's unpadded and
/// uncompressed sizes as varints.
fn xz_uncompressed_len(xz: &[u8]) -> Option<usize> {
    let footer = xz.get(xz.len().checked_sub(12)?..)?;
    if &footer[10..] != b"YZ" {
        return None;
    }
    let backward = (u32::from_le_bytes(footer[4..8].try_into().ok()?) as usize + 1) * 4;
    let start = xz.len().checked_sub(12 + backward)?;
    let mut p = &xz[start..xz.len() - 12];
    let mut varint = || -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..63).step_by(7) {
            let (&b, rest) = p.split_first()?;
            p = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    };
    // The index indicator byte is 0x00, which reads as a one-byte varint 0.
    if varint()? != 0 {
        return None;
    }
    let records = varint()?;
    let mut total = 0u64;
    for _ in 0..records {
        varint()?; // unpadded size
        total += varint()?;
    }
    usize::try_from(total).ok()
}
