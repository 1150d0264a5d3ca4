//! The botocore/boto3 model data that boto-rs embeds, generated, never edited.
//!
//! botocore ships its service models as JSON files inside the Python wheel and
//! reads them from disk at run time (`botocore.loaders.Loader`). boto-rs
//! carries the same data inside the binary so that a Rust program needs no
//! Python, no data directory and no network: this crate is that data, for the
//! pinned botocore/boto3 release named in [`BOTOCORE_VERSION`].
//!
//! * `data/` is written only by `scripts/update_models.py` (one gzip file per
//!   model file, documentation removed; `manifest.json` records the wheel and
//!   file checksums, and `--check` verifies them in the test command).
//! * One cargo feature per service (`s3`, `dynamodb`, `acm-pca`, …) selects
//!   what is embedded; `full` (the default) embeds all 429. The build script
//!   compiles the chosen service models into boto-rs's binary model form
//!   (`boto-model-compile`) and packs them with the other files into an LZ4
//!   bundle for fast first use.
//! * Documentation text lives in `boto-model-docs`, which only the CLI needs.
//!
//! The bundle is read by `boto_model::loader`; applications use `boto`, which
//! forwards the same features.
//!
//! ```
//! // With the default features every service and the global files are present.
//! let b = boto_model_data::BUNDLE;
//! assert_eq!(&b[..8], b"BOTOMDL1");
//! assert!(boto_model_data::BOTOCORE_VERSION.starts_with("1."));
//! ```
#![deny(missing_docs)]

/// The packed model files of the enabled services (format in `build.rs`).
pub static BUNDLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/models.bin"));

/// The name of every service in the generated data, sorted, whether or not
/// its feature is enabled in this build (so a missing one can be named).
pub static ALL_SERVICES: &[&str] = include!(concat!(env!("OUT_DIR"), "/services.rs"));

/// The botocore release the data was generated from.
pub const BOTOCORE_VERSION: &str = "1.43.67";

/// The boto3 release the resource models were taken from.
pub const BOTO3_VERSION: &str = "1.43.67";
