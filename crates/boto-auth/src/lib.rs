//! Authentication for boto-rs: request signing and where credentials come from.
//!
//! This crate stands alone: it knows nothing of service models or protocols.
//! Signing is a pure function of request parts, credentials, scope and time
//! ([`sigv4`], [`sigv4a`] for SigV4a's region-set ECDSA signatures, [`sigv2`] for SimpleDB);
//! credentials come from a chain of providers in boto3's order
//! ([`credentials`]); shared config/credentials files are parsed in [`config`].

#![deny(missing_docs)]

pub mod config;
pub mod credentials;
pub mod sigv2;
pub mod sigv4;
pub mod sigv4a;

pub use credentials::Credentials;
