//! Checksums of whole objects built from their parts.
//!
//! The per-request checksums (CRC32 on every UploadPart and PutObject under
//! `request_checksum_calculation = when_supported`, response validation of a
//! whole GetObject) are the runtime's (`boto-runtime/src/customizations/
//! checksums.rs`, botocore's `httpchecksum.py`); this module reuses its
//! [`Algorithm`]/hashers and adds what a transfer needs on top:
//!
//! * CRC combination (zlib's `crc32_combine`, for any reflected CRC): a
//!   ranged parallel download hashes each range on its own and combines the
//!   results in order, so a full-object `CRC32`/`CRC32C`/`CRC64NVME` is
//!   verified without reading the file a second time.
//! * The composite checksum S3 reports for a multipart upload
//!   (`base64(crc(concat(part crcs)))-N`), recomputed from the parts' CRCs to
//!   check the CompleteMultipartUpload answer.
//!
//! botocore/s3transfer do not verify ranged downloads at all; boto3 only
//! validates single GetObject bodies.

use base64::Engine;
use boto::Value;

pub use boto::core::runtime::customizations::checksums::{Algorithm, Hasher};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// What a transfer knows about the object's checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumInfo {
    /// `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`, `SHA256`, ...
    pub algorithm: String,
    /// The value S3 reports (base64; composites end in `-<parts>`).
    pub value: String,
    /// `FULL_OBJECT` or `COMPOSITE`.
    pub checksum_type: String,
    /// True when boto-rs checked the data against `value`.
    pub verified: bool,
    /// Why it was not verified, when it was not.
    pub note: Option<String>,
}

/// The checksum members of a response, in botocore's priority order.
const MEMBERS: [(&str, &str); 6] = [
    ("ChecksumCRC64NVME", "crc64nvme"),
    ("ChecksumCRC32C", "crc32c"),
    ("ChecksumCRC32", "crc32"),
    ("ChecksumSHA1", "sha1"),
    ("ChecksumSHA256", "sha256"),
    ("ChecksumSHA512", "sha512"),
];

/// The strongest checksum in a response (`HeadObject`, `GetObject`,
/// `CompleteMultipartUpload`...): `(algorithm, value, type)`.
pub(crate) fn from_response(v: &Value) -> Option<(Algorithm, String, String)> {
    MEMBERS.iter().find_map(|(member, name)| {
        let value = v.get(member).as_str()?;
        let algorithm = Algorithm::from_name(name)?;
        let ty = v
            .get("ChecksumType")
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| {
                if value.contains('-') {
                    "COMPOSITE".into()
                } else {
                    "FULL_OBJECT".into()
                }
            });
        Some((algorithm, value.to_string(), ty))
    })
}

/// The response member for an algorithm (`ChecksumCRC32`).
pub(crate) fn member(a: Algorithm) -> String {
    format!("Checksum{}", a.name().to_ascii_uppercase())
}

/// `(reflected polynomial, width)` of a CRC algorithm; `None` for digests.
pub(crate) fn crc_params(a: Algorithm) -> Option<(u64, u32)> {
    match a {
        Algorithm::Crc32 => Some((0xEDB8_8320, 32)),
        Algorithm::Crc32c => Some((0x82F6_3B78, 32)),
        Algorithm::Crc64Nvme => Some((0x9a6c_9329_ac4b_c9b5, 64)),
        _ => None,
    }
}

/// A finished CRC (big-endian bytes, as the hashers return them) as a number.
pub(crate) fn crc_to_u64(raw: &[u8]) -> u64 {
    raw.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
}

/// A CRC number as big-endian bytes of its width.
pub(crate) fn crc_to_bytes(v: u64, width: u32) -> Vec<u8> {
    let b = v.to_be_bytes();
    b[(8 - width as usize / 8)..].to_vec()
}

fn gf2_times(mat: &[u64; 64], mut vec: u64) -> u64 {
    let mut sum = 0;
    let mut i = 0;
    while vec != 0 {
        if vec & 1 == 1 {
            sum ^= mat[i];
        }
        vec >>= 1;
        i += 1;
    }
    sum
}

fn gf2_square(square: &mut [u64; 64], mat: &[u64; 64], width: u32) {
    for n in 0..width as usize {
        square[n] = gf2_times(mat, mat[n]);
    }
}

/// zlib's `crc32_combine` for any reflected CRC with all-ones init and
/// final xor: the CRC of `A‖B` from `crc(A)`, `crc(B)` and `len(B)`.
pub(crate) fn crc_combine(poly: u64, width: u32, mut crc1: u64, crc2: u64, mut len2: u64) -> u64 {
    if len2 == 0 {
        return crc1;
    }
    let mut even = [0u64; 64];
    let mut odd = [0u64; 64];
    odd[0] = poly;
    let mut row = 1u64;
    for slot in odd.iter_mut().take(width as usize).skip(1) {
        *slot = row;
        row <<= 1;
    }
    gf2_square(&mut even, &odd, width); // two zero bits
    gf2_square(&mut odd, &even, width); // four zero bits
    loop {
        gf2_square(&mut even, &odd, width);
        if len2 & 1 == 1 {
            crc1 = gf2_times(&even, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
        gf2_square(&mut odd, &even, width);
        if len2 & 1 == 1 {
            crc1 = gf2_times(&odd, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
    }
    crc1 ^ crc2
}

/// The CRC of a whole object from its ranges' `(crc, len)` in order.
pub(crate) fn combine_ranges(a: Algorithm, parts: &[(u64, u64)]) -> Option<String> {
    let (poly, width) = crc_params(a)?;
    let empty = crc_to_u64(&a.hasher().finish());
    let crc = parts.iter().fold(empty, |acc, (crc, len)| {
        crc_combine(poly, width, acc, *crc, *len)
    });
    Some(B64.encode(crc_to_bytes(crc, width)))
}

/// S3's composite checksum of a multipart upload from its parts' base64
/// checksums: `base64(hash(concat(decoded parts)))-N`.
pub(crate) fn composite(a: Algorithm, parts: &[String]) -> Option<String> {
    let mut h = a.hasher();
    for p in parts {
        h.update(&B64.decode(p.trim()).ok()?);
    }
    Some(format!("{}-{}", h.finish_base64(), parts.len()))
}

/// Whether `value` decodes to a digest of `a`'s length (moto, for one,
/// reports 4-byte values for multipart CRC64NVME objects).
pub(crate) fn well_formed(a: Algorithm, value: &str) -> bool {
    let want = a.hasher().finish().len();
    B64.decode(value.trim()).is_ok_and(|d| d.len() == want)
}

/// Whether two base64 checksums are equal (ignoring padding/whitespace differences).
pub(crate) fn same(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().trim_end_matches('=').to_string();
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crc(a: Algorithm, data: &[u8]) -> u64 {
        let mut h = a.hasher();
        h.update(data);
        crc_to_u64(&h.finish())
    }

    #[test]
    fn combine_matches_direct() {
        let data: Vec<u8> = (0..100_003u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for a in [Algorithm::Crc32, Algorithm::Crc32c, Algorithm::Crc64Nvme] {
            let whole = B64.encode(crc_to_bytes(crc(a, &data), crc_params(a).unwrap().1));
            for cuts in [vec![0], vec![1], vec![50_000], vec![3, 4, 99_999], vec![]] {
                let mut parts = Vec::new();
                let mut prev = 0;
                for c in cuts.iter().copied().chain([data.len()]) {
                    parts.push((crc(a, &data[prev..c]), (c - prev) as u64));
                    prev = c;
                }
                assert_eq!(combine_ranges(a, &parts).unwrap(), whole, "{a:?} {cuts:?}");
            }
        }
        // The empty object.
        assert_eq!(combine_ranges(Algorithm::Crc32, &[]).unwrap(), "AAAAAA==");
        assert!(combine_ranges(Algorithm::Sha256, &[]).is_none());
    }

    #[test]
    fn composite_of_parts() {
        // Two parts: the composite is the CRC of the two raw CRCs, then "-2".
        let p1 = Algorithm::Crc32.checksum(b"hello ");
        let p2 = Algorithm::Crc32.checksum(b"world");
        let mut raw = B64.decode(&p1).unwrap();
        raw.extend(B64.decode(&p2).unwrap());
        let want = format!("{}-2", Algorithm::Crc32.checksum(&raw));
        assert_eq!(composite(Algorithm::Crc32, &[p1, p2]).unwrap(), want);
    }

    #[test]
    fn response_checksum_priority() {
        let v = boto::params! {"ChecksumCRC32": "AAAAAA==", "ChecksumCRC64NVME": "AAAAAAAAAAA="};
        let (a, val, ty) = from_response(&v).unwrap();
        assert_eq!(a, Algorithm::Crc64Nvme);
        assert_eq!(val, "AAAAAAAAAAA=");
        assert_eq!(ty, "FULL_OBJECT");
        let v = boto::params! {"ChecksumCRC32": "abcd-3"};
        assert_eq!(from_response(&v).unwrap().2, "COMPOSITE");
        assert_eq!(member(Algorithm::Crc32c), "ChecksumCRC32C");
        assert!(well_formed(Algorithm::Crc64Nvme, "AAAAAAAAAAA="));
        assert!(!well_formed(Algorithm::Crc64Nvme, "Hb5CxQ=="));
        assert!(well_formed(Algorithm::Crc32, "Hb5CxQ=="));
    }
}
