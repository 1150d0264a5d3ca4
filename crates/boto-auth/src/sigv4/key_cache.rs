//! Derived signing keys, cached per (secret, date, region, service).
//!
//! Deriving a SigV4 key costs four chained HMACs; a client signs many requests
//! with the same credentials, day, region and service, so a handful of cached
//! keys removes most of that work. The cache is keyed by a SHA-256 digest of
//! the inputs, so it never stores a secret key in the clear, and it is small
//! and bounded (oldest entry evicted first) so it cannot grow with traffic.

use std::sync::{Mutex, OnceLock};

use ring::{digest, hmac};

/// How many derived keys are kept process-wide.
const CAPACITY: usize = 32;

struct Cache {
    entries: Vec<([u8; 32], hmac::Key)>,
}

fn cache() -> &'static Mutex<Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE.get_or_init(|| {
        Mutex::new(Cache {
            entries: Vec::with_capacity(CAPACITY),
        })
    })
}

/// Fingerprint of the derivation inputs (NUL-separated so fields cannot run together).
fn fingerprint(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut ctx = digest::Context::new(&digest::SHA256);
    for part in [secret, date, region, service] {
        ctx.update(part.as_bytes());
        ctx.update(&[0]);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

fn hmac_bytes(key: &[u8], msg: &str) -> hmac::Tag {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), msg.as_bytes())
}

/// The four-step derivation: `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")`.
pub(crate) fn derive_signing_key(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
) -> hmac::Key {
    let k_date = hmac_bytes(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac_bytes(k_date.as_ref(), region);
    let k_service = hmac_bytes(k_region.as_ref(), service);
    let k_signing = hmac_bytes(k_service.as_ref(), "aws4_request");
    hmac::Key::new(hmac::HMAC_SHA256, k_signing.as_ref())
}

/// The signing key for this scope, from the cache when possible.
pub(crate) fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> hmac::Key {
    let fp = fingerprint(secret, date, region, service);
    // A poisoned lock only means another thread panicked mid-update; the
    // entries are still whole values, so keep using them.
    {
        let guard = cache().lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, key)) = guard.entries.iter().find(|(f, _)| *f == fp) {
            return key.clone();
        }
    }
    let key = derive_signing_key(secret, date, region, service);
    let mut guard = cache().lock().unwrap_or_else(|e| e.into_inner());
    if !guard.entries.iter().any(|(f, _)| *f == fp) {
        if guard.entries.len() >= CAPACITY {
            guard.entries.remove(0);
        }
        guard.entries.push((fp, key.clone()));
    }
    key
}

/// Lowercase hex HMAC-SHA256 of `msg` under `key`: the signature itself.
pub(crate) fn sign_hex(key: &hmac::Key, msg: &str) -> String {
    super::canonical::hex(hmac::sign(key, msg.as_bytes()).as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_key_matches_fresh_derivation() {
        let a = signing_key("secret", "20150830", "us-east-1", "iam");
        let b = signing_key("secret", "20150830", "us-east-1", "iam");
        let fresh = derive_signing_key("secret", "20150830", "us-east-1", "iam");
        assert_eq!(sign_hex(&a, "x"), sign_hex(&fresh, "x"));
        assert_eq!(sign_hex(&b, "x"), sign_hex(&fresh, "x"));
        let other = signing_key("secret", "20150831", "us-east-1", "iam");
        assert_ne!(sign_hex(&other, "x"), sign_hex(&fresh, "x"));
    }

    #[test]
    fn cache_stays_bounded() {
        for i in 0..(CAPACITY * 2) {
            signing_key("k", &format!("2015{i:04}"), "r", "s");
        }
        assert!(
            cache()
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entries
                .len()
                <= CAPACITY
        );
    }
}
