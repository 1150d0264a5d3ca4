//! The SigV4a key: an ECDSA P-256 private key derived from the credentials.
//!
//! awscrt's `aws_ecc_key_pair_new_ecdsa_p256_key_from_aws_credentials` (used
//! by botocore's `CrtSigV4AsymAuth`) derives the key with the NIST SP 800-108
//! KDF in counter mode, HMAC-SHA256 as the PRF:
//!
//! ```text
//! K      = "AWS4A" || secret_access_key
//! input  = i || Label || 0x00 || Context || L
//!          i = 1 (u32 BE), Label = "AWS4-ECDSA-P256-SHA256",
//!          Context = access_key_id || counter (one byte, from 1), L = 256 (u32 BE)
//! c      = HMAC-SHA256(K, input)          (one block: L = 256 bits)
//! ```
//!
//! If `c > n - 2` (n the order of P-256) the counter is incremented and the
//! derivation repeated; otherwise the private key is `c + 1`, which lies in
//! `1 ..= n - 1`. The key depends only on the credentials, so a caller can
//! keep one per credentials; deriving costs one HMAC and one scalar
//! multiplication (the public key).
//!
//! ring cannot build a P-256 key from a bare scalar, so the RustCrypto `p256`
//! crate does the curve arithmetic and ECDSA (RFC 6979 deterministic nonces).

use std::fmt;

use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use p256::ecdsa::{DerSignature, VerifyingKey};
use ring::{digest, hmac};

use super::{Sigv4aError, ALGORITHM};
use crate::sigv4::canonical::hex;

/// n - 2 for P-256 (n = FFFFFFFF 00000000 FFFFFFFF FFFFFFFF BCE6FAAD A7179E84 F3B9CAC2 FC632551).
const N_MINUS_TWO: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x4f,
];

/// A derived SigV4a private key. `Debug` prints only the public key.
#[derive(Clone)]
pub struct SigningKey {
    inner: p256::ecdsa::SigningKey,
}

impl SigningKey {
    /// Derive the key for an access key id and secret access key (see the
    /// module docs for the KDF). Fails only if 254 candidates in a row are
    /// out of range, which does not happen for real keys.
    pub fn derive(access_key_id: &str, secret_access_key: &str) -> Result<Self, Sigv4aError> {
        let mut input_key = Vec::with_capacity(5 + secret_access_key.len());
        input_key.extend_from_slice(b"AWS4A");
        input_key.extend_from_slice(secret_access_key.as_bytes());
        let prf = hmac::Key::new(hmac::HMAC_SHA256, &input_key);
        wipe(&mut input_key);

        for counter in 1u8..=254 {
            let mut ctx = hmac::Context::with_key(&prf);
            ctx.update(&1u32.to_be_bytes());
            ctx.update(ALGORITHM.as_bytes());
            ctx.update(&[0]);
            ctx.update(access_key_id.as_bytes());
            ctx.update(&[counter]);
            ctx.update(&256u32.to_be_bytes());
            let tag = ctx.sign();
            let mut candidate = [0u8; 32];
            candidate.copy_from_slice(tag.as_ref());
            // Big-endian byte strings of equal length compare as numbers.
            if candidate <= N_MINUS_TWO {
                increment_be(&mut candidate);
                let key = p256::ecdsa::SigningKey::from_slice(&candidate)
                    .map_err(|_| Sigv4aError::KeyDerivation);
                wipe(&mut candidate);
                return key.map(|inner| SigningKey { inner });
            }
            wipe(&mut candidate);
        }
        Err(Sigv4aError::KeyDerivation)
    }

    /// The public key as an uncompressed SEC1 point (`04 || X || Y`, 65 bytes).
    pub fn public_key_sec1(&self) -> Vec<u8> {
        self.inner
            .verifying_key()
            .to_sec1_point(false)
            .as_bytes()
            .to_vec()
    }

    /// The public key's affine coordinates as lowercase hex (X, Y).
    pub fn public_key_xy_hex(&self) -> (String, String) {
        let point = self.public_key_sec1();
        (hex(&point[1..33]), hex(&point[33..65]))
    }

    /// Sign: the hex of the DER-encoded ECDSA signature over SHA-256 of `string_to_sign`.
    pub fn sign_hex(&self, string_to_sign: &str) -> Result<String, Sigv4aError> {
        let prehash = digest::digest(&digest::SHA256, string_to_sign.as_bytes());
        let sig: DerSignature = PrehashSigner::sign_prehash(&self.inner, prehash.as_ref())
            .map_err(|_| Sigv4aError::Ecdsa)?;
        Ok(hex(sig.as_bytes()))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("public_key", &hex(&self.public_key_sec1()))
            .finish()
    }
}

/// Check a SigV4a signature: `public_key_sec1` is a SEC1 point (compressed or
/// uncompressed), `signature_hex` the hex of a DER ECDSA signature over
/// SHA-256 of `string_to_sign`. Malformed input is simply not valid.
pub fn verify_signature(public_key_sec1: &[u8], string_to_sign: &str, signature_hex: &str) -> bool {
    let Ok(key) = VerifyingKey::from_sec1_bytes(public_key_sec1) else {
        return false;
    };
    let Some(der) = unhex(signature_hex) else {
        return false;
    };
    let Ok(sig) = DerSignature::from_bytes(&der) else {
        return false;
    };
    let prehash = digest::digest(&digest::SHA256, string_to_sign.as_bytes());
    PrehashVerifier::verify_prehash(&key, prehash.as_ref(), &sig).is_ok()
}

/// Decode lowercase or uppercase hex; `None` if odd-length or not hex.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.as_bytes()
        .chunks(2)
        .map(|p| {
            let h = (p[0] as char).to_digit(16)?;
            let l = (p[1] as char).to_digit(16)?;
            Some((h * 16 + l) as u8)
        })
        .collect()
}

/// Add one to a big-endian number (the caller guarantees no overflow).
fn increment_be(n: &mut [u8; 32]) {
    for b in n.iter_mut().rev() {
        let (v, carry) = b.overflowing_add(1);
        *b = v;
        if !carry {
            break;
        }
    }
}

/// Best-effort erase of key material before it is dropped.
fn wipe(buf: &mut [u8]) {
    buf.fill(0);
    // Keep the stores: the buffer is observed, so they cannot be elided.
    std::hint::black_box(buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn increments_with_carry() {
        let mut n = [0u8; 32];
        n[31] = 0xff;
        n[30] = 0xff;
        increment_be(&mut n);
        assert_eq!(&n[29..], &[1, 0, 0]);
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(unhex("00fF10"), Some(vec![0, 255, 16]));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
    }
}
