//! `boto_rs._core`: the native half of the `boto_rs` Python package.
