//! Shared pieces of the boto-rs fuzz targets.
//!
//! The targets in `fuzz_targets/` feed hostile bytes to every parser that reads data
//! from outside the process (response bodies, event streams, config files, shorthand
//! arguments, JMESPath expressions, endpoint parameters). What they share lives here:
//!
//! * [`seeds`]: a target started with `BOTO_FUZZ_SEEDS=<dir>` writes its starting corpus
//!   (and `BOTO_FUZZ_DICT=<file>` a libFuzzer dictionary) and exits. The seeds come from
//!   the models embedded in the binary, so nothing fetched is committed and the seed
//!   format always matches the target's own input layout.
//! * [`skeleton`]: a plausible response body for any shape in each wire format (JSON,
//!   XML, CBOR), so the fuzzer starts from inputs that reach the deep, shape-directed
//!   parts of the parsers instead of stopping at the first unknown key.
//! * [`Cursor`]: a forgiving reader over the input bytes: once the bytes run out every
//!   read yields zero/empty, so any input is a valid (if short) test case.

pub mod seeds;
pub mod skeleton;

/// Reads fixed-size integers and length-prefixed slices from the fuzz input.
pub struct Cursor<'a> {
    data: &'a [u8],
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Cursor { data }
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }
    pub fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.u8(), self.u8()])
    }
    /// `n` bytes, or fewer when the input ends first.
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.data.len());
        let (a, b) = self.data.split_at(n);
        self.data = b;
        a
    }
    /// A slice prefixed by a one-byte length.
    pub fn short(&mut self) -> &'a [u8] {
        let n = self.u8() as usize;
        self.bytes(n)
    }
    /// A UTF-8 string prefixed by a one-byte length (invalid UTF-8 replaced).
    pub fn short_str(&mut self) -> String {
        String::from_utf8_lossy(self.short()).into_owned()
    }
    /// Everything that is left.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}

/// Headers in the `name: value` per line form the targets and seeds share.
pub fn parse_header_block(block: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(block)
        .split('\n')
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_string(), v.trim_start().to_string()))
        })
        .collect()
}

/// Splits `data` at the first `\n\n`: the header block before, the body after.
pub fn split_headers(data: &[u8]) -> (&[u8], &[u8]) {
    match data.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => (data, &[]),
    }
}
