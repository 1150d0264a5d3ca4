//! Resource model lint (filled in below).
