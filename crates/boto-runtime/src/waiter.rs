//! Waiters (being written).
