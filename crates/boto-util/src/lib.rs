//! Small helpers that several boto-rs crates need to agree on byte for byte.
//!
//! botocore leans on the Python standard library for three chores that every
//! layer of boto-rs repeats: `urllib.parse.quote`/`unquote` (SigV4's URI
//! encoding, endpoint rules' `uriEncode`, S3 keys, SSO URLs, proxy user
//! names), `json.dumps` string escaping (pagination tokens, POST policies,
//! the SSO token cache, CLI output) and `datetime`'s proleptic Gregorian
//! calendar (timestamps in every wire format, credential expiry, SigV4
//! dates). Each crate used to carry its own copy; this crate keeps the one
//! shared version so a fix lands everywhere at once.
//!
//! It has no dependencies and sits below `boto-model`, so every crate in the
//! workspace may use it.
//!
//! * [`percent`]: `quote(s, safe)`, `quote_plus`, `unquote`, `unquote_plus`.
//! * [`json`]: `"..."`-quoted JSON strings as `json.dumps` writes them, with
//!   `ensure_ascii=False` (also serde_json's output) or `ensure_ascii=True`.
//! * [`civil`]: Howard Hinnant's `days_from_civil` / `civil_from_days`.

#![deny(missing_docs)]

pub mod civil;
pub mod json;
pub mod percent;
