//! Shared config and credentials files (placeholder, being written).
