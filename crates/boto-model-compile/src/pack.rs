//! The packed form of a compiled model, for embedding: the header and
//! tables stored as they are, the strings and records LZ4-compressed in
//! chunks of whole strings and records.
//!
//! Stored whole, the 429 compiled models are 10.4 MB of the binary; one LZ4
//! block per model saves 4.3 MB but makes a first client unpack all of it
//! (ec2: 468 KB, ~0.6 ms in a new process, most of it page faults on the
//! fresh buffer). Packed, opening a model reads its tables in place and
//! unpacks only the chunks a read lands in: the writer puts the metadata's
//! strings first and the operation lookup names (sorted) after them, and the
//! metadata's strings and its record get small chunks of their own, so
//! opening a model unpacks a few hundred bytes (a 16 KB chunk each, 435 KB of
//! heap for 20 services' clients, before) and finding an operation touches
//! the next few chunks. Each chunk is unpacked once. No string or record
//! crosses a chunk, so each is read from one contiguous slice.
//!
//! # Layout (all integers little-endian `u32`)
//!
//! [`PACK_MAGIC`], the head's length, the chunk count; per chunk its start
//! (relative to the string data), its unpacked length, its block's offset
//! (relative to the first block) and length; the head (the compiled model up
//! to its string data: header and tables); the blocks.
//!
//! ```
//! let json = br#"{"metadata": {"protocol": "json"}, "operations": {},
//!                 "shapes": {"S": {"type": "string"}}}"#;
//! let bin = boto_model_compile::compile_slice(json).unwrap();
//! let packed = boto_model_compile::pack(&bin).unwrap();
//! assert_eq!(boto_model_compile::unpack(&packed).unwrap(), bin);
//! ```

use crate::{header, MAGIC};

/// The first bytes of a packed compiled model.
pub const PACK_MAGIC: &[u8; 8] = b"BOTOCP01";

/// Strings and records are grouped until a chunk holds at least this many
/// bytes: large enough for LZ4 to find repeats, small enough that unpacking
/// one costs a few microseconds.
pub const CHUNK_TARGET: usize = 16 * 1024;

/// One chunk of a packed model's strings and records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// Offset of its first string or record, relative to the string data.
    pub start: u32,
    /// Length unpacked.
    pub raw_len: u32,
    /// Offset of its LZ4 block, relative to the first block.
    pub offset: u32,
    /// Length of its LZ4 block.
    pub len: u32,
}

/// A packed model split into its parts (borrowed from the packed bytes).
#[derive(Debug)]
pub struct Packed<'a> {
    /// The compiled model up to its string data: header and tables.
    pub head: &'a [u8],
    /// The chunks, in order.
    pub chunks: Vec<Chunk>,
    /// The LZ4 blocks, each named by a chunk's `offset` and `len`.
    pub blocks: &'a [u8],
}

fn rd32(b: &[u8], p: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(p..p.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn header_field(bin: &[u8], field: usize) -> Option<usize> {
    rd32(bin, MAGIC.len() + 4 * field).map(|v| v as usize)
}

fn varint(b: &[u8], p: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let x = *b.get(*p)?;
        *p += 1;
        v |= u64::from(x & 0x7f) << shift;
        if x & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Packs a compiled model. `None` when `bin` is not one (bad magic, or
/// strings or record offsets outside their areas).
pub fn pack(bin: &[u8]) -> Option<Vec<u8>> {
    if bin.get(..MAGIC.len())? != MAGIC {
        return None;
    }
    let data = header_field(bin, header::STRING_DATA)?;
    let records = header_field(bin, header::RECORDS)?;
    let len = header_field(bin, header::LEN)?;
    if len != bin.len() || data > records || records > len {
        return None;
    }
    // Every string starts where the one before it ends (a varint length,
    // then its bytes); every record at an offset a table or the header names.
    let mut starts = Vec::new();
    let mut p = data;
    while p < records {
        starts.push((p - data) as u32);
        let n = varint(bin, &mut p)? as usize;
        p = p.checked_add(n)?;
    }
    if p != records {
        return None;
    }
    let rec = (records - data) as u32;
    let meta = rec + header_field(bin, header::METADATA)? as u32;
    starts.push(meta);
    for (table, count) in [
        (header::SHAPE_OFFSETS, header::N_SHAPES),
        (header::OP_OFFSETS, header::N_OPS),
    ] {
        let (at, n) = (header_field(bin, table)?, header_field(bin, count)?);
        for i in 0..n {
            starts.push(rec.checked_add(rd32(bin, at + 4 * i)?)?);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let area = (len - data) as u32;
    if starts.last().is_some_and(|&s| s >= area) {
        return None;
    }
    // What opening a model reads gets chunks of its own: the metadata's
    // strings (the writer puts them before the operation lookup names) and
    // the metadata record.
    let mut own = vec![meta];
    own.extend(starts.iter().find(|&&s| s > meta));
    let (at, n) = (
        header_field(bin, header::OP_NAMES)?,
        header_field(bin, header::N_OP_NAMES)?,
    );
    let first_name = (0..n).map(|i| rd32(bin, at + 8 * i)).min().flatten();
    own.extend(first_name.filter(|s| starts.binary_search(s).is_ok()));
    // Otherwise cut before a string or record once the chunk so far
    // reaches the target.
    let mut cuts = vec![0u32];
    for &s in &starts {
        if (s - cuts.last().unwrap()) as usize >= CHUNK_TARGET || own.contains(&s) {
            cuts.push(s);
        }
    }
    cuts.push(area);
    cuts.dedup();
    let mut chunks = Vec::new();
    let mut packed = Vec::new();
    for w in cuts.windows(2) {
        let raw = &bin[data + w[0] as usize..data + w[1] as usize];
        packed.push(lz4_flex::block::compress(raw));
        chunks.push(Chunk {
            start: w[0],
            raw_len: raw.len() as u32,
            offset: 0,
            len: 0,
        });
    }
    // Blocks may lie in any order: the metadata's (its strings, then its
    // record) come first, side by side, so opening a model reads one stretch
    // of the binary instead of two a whole strings area apart.
    let mut order: Vec<usize> = (0..chunks.len()).collect();
    order.sort_by_key(|&i| (i != 0 && chunks[i].start != meta, i));
    let mut blocks = Vec::new();
    for i in order {
        chunks[i].offset = blocks.len() as u32;
        chunks[i].len = packed[i].len() as u32;
        blocks.extend_from_slice(&packed[i]);
    }
    let mut out = Vec::with_capacity(16 + 16 * chunks.len() + data + blocks.len());
    out.extend_from_slice(PACK_MAGIC);
    out.extend_from_slice(&(data as u32).to_le_bytes());
    out.extend_from_slice(&(chunks.len() as u32).to_le_bytes());
    for c in &chunks {
        for x in [c.start, c.raw_len, c.offset, c.len] {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    out.extend_from_slice(&bin[..data]);
    out.extend_from_slice(&blocks);
    Some(out)
}

/// Splits packed bytes into their parts, checking every bound; `None` when
/// they are not a packed model.
pub fn split(b: &[u8]) -> Option<Packed<'_>> {
    if b.get(..PACK_MAGIC.len())? != PACK_MAGIC {
        return None;
    }
    let head_len = rd32(b, 8)? as usize;
    let n = rd32(b, 12)? as usize;
    let table_end = 16usize.checked_add(n.checked_mul(16)?)?;
    let head = b.get(table_end..table_end.checked_add(head_len)?)?;
    let blocks = &b[table_end + head_len..];
    let mut chunks = Vec::with_capacity(n);
    let mut next = 0u32;
    for i in 0..n {
        let w = |k: usize| rd32(b, 16 + 16 * i + 4 * k);
        let c = Chunk {
            start: w(0)?,
            raw_len: w(1)?,
            offset: w(2)?,
            len: w(3)?,
        };
        // Chunks tile the records area in order, and blocks lie in bounds.
        if c.start != next || c.raw_len == 0 {
            return None;
        }
        blocks.get(c.offset as usize..(c.offset as usize).checked_add(c.len as usize)?)?;
        next = c.start.checked_add(c.raw_len)?;
        chunks.push(c);
    }
    Some(Packed {
        head,
        chunks,
        blocks,
    })
}

impl Packed<'_> {
    /// The unpacked bytes of chunk `i`; `None` when its block is corrupt.
    pub fn unpack_chunk(&self, i: usize) -> Option<Vec<u8>> {
        let c = self.chunks.get(i)?;
        let block = &self.blocks[c.offset as usize..(c.offset + c.len) as usize];
        let raw = lz4_flex::block::decompress(block, c.raw_len as usize).ok()?;
        (raw.len() == c.raw_len as usize).then_some(raw)
    }
}

/// The compiled model a packed one was made from.
pub fn unpack(b: &[u8]) -> Option<Vec<u8>> {
    let p = split(b)?;
    let mut out = p.head.to_vec();
    for i in 0..p.chunks.len() {
        out.extend_from_slice(&p.unpack_chunk(i)?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(shapes: usize) -> Vec<u8> {
        let mut s = String::from(
            r#"{"metadata": {"protocol": "json"}, "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"}, "input": {"shape": "S0"}}}, "shapes": {"#,
        );
        for i in 0..shapes {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&format!(
                r#""S{i}": {{"type": "structure", "members": {{"Member{i}": {{"shape": "Str{i}"}}}}}}, "Str{i}": {{"type": "string", "pattern": "^pattern-{i}$"}}"#
            ));
        }
        s.push_str("}}");
        crate::compile_slice(s.as_bytes()).unwrap()
    }

    #[test]
    fn round_trips_and_cuts_at_record_starts() {
        let bin = model(3000);
        let packed = pack(&bin).unwrap();
        assert!(packed.len() < bin.len());
        assert_eq!(unpack(&packed).unwrap(), bin);
        let p = split(&packed).unwrap();
        assert!(p.chunks.len() > 2, "{}", p.chunks.len());
        let data = header_field(&bin, header::STRING_DATA).unwrap();
        let records = header_field(&bin, header::RECORDS).unwrap();
        let meta = header_field(&bin, header::METADATA).unwrap();
        assert_eq!(p.head, &bin[..data]);
        let at = header_field(&bin, header::SHAPE_OFFSETS).unwrap();
        let shape_starts: Vec<usize> = (0..6000)
            .map(|i| records - data + rd32(&bin, at + 4 * i).unwrap() as usize)
            .collect();
        let mut string_starts = Vec::new();
        let mut q = data;
        while q < records {
            string_starts.push(q - data);
            let n = varint(&bin, &mut q).unwrap() as usize;
            q += n;
        }
        let (mut in_strings, mut in_records) = (0, 0);
        // Chunks are cut short only at the metadata's own chunks: the
        // metadata strings (from 0), its record, and the areas' boundary.
        let meta_rel = records - data + meta;
        let short_ok = |i: usize| {
            let c = p.chunks[i];
            let next = p.chunks.get(i + 1).map(|n| n.start as usize);
            c.start == 0 || c.start as usize == meta_rel || next == Some(meta_rel)
        };
        for (i, c) in p.chunks.iter().enumerate() {
            let start = c.start as usize;
            if string_starts.contains(&start) {
                in_strings += 1;
            } else {
                assert!(shape_starts.contains(&start) || start == meta_rel, "{c:?}");
                in_records += 1;
            }
            assert!(
                c.raw_len as usize >= CHUNK_TARGET || short_ok(i) || c == p.chunks.last().unwrap(),
                "{c:?}"
            );
        }
        // The metadata's strings and its record are chunks of their own.
        let (first, at_meta) = (
            p.chunks[0],
            p.chunks.iter().find(|c| c.start as usize == meta_rel),
        );
        assert!(first.raw_len < 100, "{first:?}");
        let at_meta = at_meta.unwrap();
        assert!(at_meta.raw_len < 100, "{at_meta:?}");
        // ... and their blocks lie side by side at the start of the blocks.
        assert_eq!((first.offset, at_meta.offset), (0, first.len));
        assert!(
            in_strings > 1 && in_records > 1,
            "{in_strings} {in_records}"
        );
    }

    #[test]
    fn rejects_what_is_not_a_packed_model() {
        let packed = pack(&model(10)).unwrap();
        assert!(pack(&packed).is_none());
        assert!(split(&model(10)).is_none());
        for cut in [0, 9, 15, 20, packed.len() - 1] {
            assert!(unpack(&packed[..cut]).is_none(), "cut at {cut}");
        }
        let mut bad = packed.clone();
        bad[16] = 1; // the first chunk must start at 0
        assert!(split(&bad).is_none());
        let mut bad = packed.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0xff;
        bad.truncate(last - 3);
        assert!(unpack(&bad).is_none());
    }
}
