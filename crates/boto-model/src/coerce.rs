//! Shape-directed conversion from JSON to [`crate::Value`] (being written).
