//! Finding model files: the embedded bundle, and directories on a data path.
//!
//! Every build embeds the models of the services its cargo features select
//! (all by default) from the generated crate `boto-model-data`, so the library
//! and CLI work offline with no Python; documentation text comes from
//! `boto-model-docs` when the `docs` feature is on. A bundle is an index plus
//! one block per file. Service models are compiled at build time
//! (`boto-model-compile`) and packed: their tables are read in place, their
//! strings and records unpacked a chunk at a time as names, shapes and
//! operations are first read. The other files are LZ4 blocks (xz for the
//! documentation), unpacked and parsed when first used. Everything is cached
//! process-wide.
//!
//! Like botocore's `AWS_DATA_PATH`, directories listed in `BOTO_DATA_PATH` or
//! `AWS_DATA_PATH` (or given to [`Loader::with_data_paths`]) are searched first,
//! in botocore's layout (`<dir>/<service>/<api-version>/service-2.json[.gz]`),
//! so newer or private models can be used without a rebuild.

use crate::{ModelError, ServiceModel};
use serde_json::Value as Json;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

/// Codec byte of a bundle entry.
const CODEC_LZ4: u8 = 0;
const CODEC_DEFLATE: u8 = 1;
const CODEC_GZIP: u8 = 2;
const CODEC_STORED: u8 = 3;
/// A compiled service model packed by `boto_model_compile::pack`.
const CODEC_PACKED_MODEL: u8 = 5;
/// xz (LZMA2), the documentation bundle's: help text is read rarely, so the
/// smallest form wins over unpacking speed.
#[cfg(feature = "docs")]
const CODEC_XZ: u8 = 4;

struct Entry {
    codec: u8,
    offset: usize,
    clen: usize,
    rlen: usize,
}

/// One embedded bundle and its index (`"s3/paginators-1.json"` → entry),
/// sorted by name.
///
/// A sorted vector searched by bisection rather than a hash map: the index
/// is built in every process that makes a client, and hashing ~1,300 names
/// into a map was half of boto's own CPU time in a new process's first
/// client. Names stay bytes (a UTF-8 path matches only its own bytes).
struct Bundle {
    bytes: &'static [u8],
    index: Vec<(&'static [u8], Entry)>,
}

impl Bundle {
    fn new(bytes: &'static [u8]) -> Bundle {
        Bundle {
            bytes,
            index: parse_index(bytes).unwrap_or_default(),
        }
    }

    fn get(&self, path: &str) -> Option<&Entry> {
        self.index
            .binary_search_by(|(name, _)| (*name).cmp(path.as_bytes()))
            .ok()
            .map(|i| &self.index[i].1)
    }
}

/// The model bundle (always) and the documentation bundle (feature `docs`).
fn bundles() -> &'static (Bundle, Option<Bundle>) {
    static BUNDLES: OnceLock<(Bundle, Option<Bundle>)> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        #[cfg(feature = "docs")]
        let docs = Some(Bundle::new(boto_model_docs::BUNDLE));
        #[cfg(not(feature = "docs"))]
        let docs = None;
        (Bundle::new(boto_model_data::BUNDLE), docs)
    })
}

/// The index of the model bundle.
fn index() -> &'static [(&'static [u8], Entry)] {
    &bundles().0.index
}

fn parse_index(b: &'static [u8]) -> Option<Vec<(&'static [u8], Entry)>> {
    let rd32 = |p: usize| -> Option<usize> {
        Some(u32::from_le_bytes(b.get(p..p + 4)?.try_into().ok()?) as usize)
    };
    if b.get(..8)? != b"BOTOMDL1" {
        return None;
    }
    let n = rd32(8)?;
    let mut p = 12;
    let mut entries = Vec::with_capacity(n);
    for _ in 0..n {
        let nl = u16::from_le_bytes(b.get(p..p + 2)?.try_into().ok()?) as usize;
        let name = b.get(p + 2..p + 2 + nl)?;
        p += 2 + nl;
        let codec = *b.get(p)?;
        let (offset, clen, rlen) = (rd32(p + 1)?, rd32(p + 5)?, rd32(p + 9)?);
        p += 13;
        entries.push((
            name,
            Entry {
                codec,
                offset,
                clen,
                rlen,
            },
        ));
    }
    let data = p;
    for (_, e) in &mut entries {
        e.offset += data;
        b.get(e.offset..e.offset + e.clen)?;
    }
    // The build script writes the names (one per file) sorted; sort anyway
    // if a bundle ever is not, rather than miss entries.
    if !entries.windows(2).all(|w| w[0].0 <= w[1].0) {
        entries.sort_by(|a, b| a.0.cmp(b.0));
    }
    Some(entries)
}

fn embedded(path: &str) -> Result<Option<Cow<'static, [u8]>>, ModelError> {
    let (models, docs) = bundles();
    let Some((bundle, e)) = std::iter::once(models)
        .chain(docs)
        .find_map(|b| Some((b, b.get(path)?)))
    else {
        return Ok(None);
    };
    let block: &'static [u8] = &bundle.bytes[e.offset..e.offset + e.clen];
    let err = |m: String| ModelError::Parse {
        what: format!("embedded {path}"),
        message: m,
    };
    let out = match e.codec {
        CODEC_STORED => return Ok(Some(Cow::Borrowed(block))),
        CODEC_PACKED_MODEL => boto_model_compile::unpack(block)
            .ok_or_else(|| err("corrupt packed model".to_string()))?,
        CODEC_LZ4 => lz4_flex::block::decompress(block, e.rlen).map_err(|x| err(x.to_string()))?,
        CODEC_DEFLATE | CODEC_GZIP => {
            let mut out = Vec::with_capacity(e.rlen);
            let read = if e.codec == CODEC_GZIP {
                flate2::read::GzDecoder::new(block).read_to_end(&mut out)
            } else {
                flate2::read::DeflateDecoder::new(block).read_to_end(&mut out)
            };
            read.map_err(|x| err(x.to_string()))?;
            out
        }
        #[cfg(feature = "docs")]
        CODEC_XZ => {
            let mut out = Vec::with_capacity(e.rlen);
            lzma_rs::xz_decompress(&mut &block[..], &mut out).map_err(|x| err(x.to_string()))?;
            out
        }
        c => return Err(err(format!("unknown codec {c}"))),
    };
    if out.len() != e.rlen {
        return Err(err(format!(
            "unpacked to {} bytes, the index says {}",
            out.len(),
            e.rlen
        )));
    }
    Ok(Some(Cow::Owned(out)))
}

/// A packed compiled model of the model bundle, read where it lies.
fn packed_model(path: &str) -> Option<&'static [u8]> {
    let b = &bundles().0;
    let e = b.get(path)?;
    (e.codec == CODEC_PACKED_MODEL).then(|| &b.bytes[e.offset..e.offset + e.clen])
}

/// Names of the per-service files a loader can return, as in botocore's
/// data directory (`<service>/<api-version>/<stem>.json`; botocore's
/// `Loader.load_service_model(service, type_name)` takes the stem as
/// `type_name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelFile {
    /// `service-2.json`: operations and shapes, what [`ServiceModel`] is built from.
    Service,
    /// `docs-2.json`: the documentation strings (embedded only with the `docs`
    /// feature; a data path can always supply them).
    Docs,
    /// `paginators-1.json`: input/output tokens and result keys per operation.
    Paginators,
    /// `waiters-2.json`: waiter definitions (delay, max attempts, acceptors).
    Waiters,
    /// `endpoint-rule-set-1.json`: the endpoint rules boto-endpoints evaluates.
    EndpointRuleSet,
    /// `resources-1.json`: boto3's resource definitions (boto3 ships these, not botocore).
    Resources,
}

impl ModelFile {
    fn stem(self) -> &'static str {
        match self {
            ModelFile::Service => "service-2",
            ModelFile::Docs => "docs-2",
            ModelFile::Paginators => "paginators-1",
            ModelFile::Waiters => "waiters-2",
            ModelFile::EndpointRuleSet => "endpoint-rule-set-1",
            ModelFile::Resources => "resources-1",
        }
    }
}

/// Parsed auxiliary files by (service, file stem); `None` when the service has none.
type JsonCache = HashMap<(String, &'static str), Option<Arc<Json>>>;

/// Loads and caches models. Use [`Loader::global`] unless you need a private data path.
pub struct Loader {
    data_paths: Vec<PathBuf>,
    models: RwLock<HashMap<String, Arc<ServiceModel>>>,
    json: RwLock<JsonCache>,
}

impl std::fmt::Debug for Loader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loader")
            .field("data_paths", &self.data_paths)
            .finish_non_exhaustive()
    }
}

fn env_data_paths() -> Vec<PathBuf> {
    ["BOTO_DATA_PATH", "AWS_DATA_PATH"]
        .iter()
        .filter_map(std::env::var_os)
        .flat_map(|v| std::env::split_paths(&v).collect::<Vec<_>>())
        .filter(|p| !p.as_os_str().is_empty())
        .collect()
}

impl Loader {
    /// The process-wide loader: embedded models plus `BOTO_DATA_PATH`/`AWS_DATA_PATH`.
    pub fn global() -> &'static Loader {
        static GLOBAL: OnceLock<Loader> = OnceLock::new();
        GLOBAL.get_or_init(|| Loader::with_data_paths(env_data_paths()))
    }

    /// A loader that searches `paths` (botocore layout) before the embedded models.
    pub fn with_data_paths(paths: Vec<PathBuf>) -> Loader {
        Loader {
            data_paths: paths,
            models: RwLock::default(),
            json: RwLock::default(),
        }
    }

    /// Number of files in the embedded bundle (0 when the build embedded no models).
    pub fn embedded_file_count() -> usize {
        index().len()
    }

    /// All service names available (embedded and on the data path), sorted.
    pub fn service_names(&self) -> Vec<String> {
        let mut names: Vec<String> = index()
            .iter()
            .filter_map(|(k, _)| std::str::from_utf8(k).ok()?.strip_suffix("/service-2.bin"))
            .map(str::to_owned)
            .collect();
        for dir in &self.data_paths {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = entry.path();
                if latest_version_dir(&p).is_some_and(|v| find_file(&v, "service-2").is_some()) {
                    if let Some(n) = p.file_name().and_then(|n| n.to_str()) {
                        names.push(n.to_string());
                    }
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// The service model, parsed once per loader and shared.
    pub fn service_model(&self, service: &str) -> Result<Arc<ServiceModel>, ModelError> {
        if let Some(m) = self
            .models
            .read()
            .ok()
            .and_then(|c| c.get(service).cloned())
        {
            return Ok(m);
        }
        let model = match self.on_data_path(service, ModelFile::Service)? {
            Some(json) => ServiceModel::from_slice(service, &json)?,
            None => {
                let path = format!("{service}/service-2.bin");
                match packed_model(&path) {
                    Some(packed) => ServiceModel::from_packed(service, packed)?,
                    None => {
                        let bin = embedded(&path)?.ok_or_else(|| self.unknown(service))?;
                        ServiceModel::from_compiled(service, bin)?
                    }
                }
            }
        };
        if let Ok(mut c) = self.models.write() {
            c.entry(service.to_string())
                .or_insert_with(|| model.clone());
        }
        Ok(model)
    }

    fn unknown(&self, service: &str) -> ModelError {
        if boto_model_data::ALL_SERVICES
            .binary_search(&service)
            .is_ok()
        {
            return ModelError::NotEmbedded {
                service: service.to_string(),
            };
        }
        let names = self.service_names();
        if names.is_empty() {
            return ModelError::NoModels;
        }
        ModelError::UnknownService {
            service: service.to_string(),
            suggestion: crate::suggest::closest(service, names.iter().map(String::as_str)),
        }
    }

    /// A parsed per-service JSON file other than the service model (paginators,
    /// waiters, endpoint rule set, resources, docs), cached. `Ok(None)` when the
    /// service has no such file.
    pub fn json(&self, service: &str, file: ModelFile) -> Result<Option<Arc<Json>>, ModelError> {
        let key = (service.to_string(), file.stem());
        if let Some(v) = self.json.read().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(v);
        }
        let parsed = match self.raw(service, file)? {
            None => None,
            Some(b) => Some(Arc::new(serde_json::from_slice(&b).map_err(|e| {
                ModelError::Parse {
                    what: format!("{service}/{}.json", file.stem()),
                    message: e.to_string(),
                }
            })?)),
        };
        if let Ok(mut c) = self.json.write() {
            c.insert(key, parsed.clone());
        }
        Ok(parsed)
    }

    /// The JSON bytes of a per-service file. Data-path directories win over the
    /// bundle; sdk-extras files found there are merged as botocore does.
    /// `service-2.json` is only found on a data path: the embedded service
    /// models are compiled (use [`Loader::service_model`]).
    pub fn raw(
        &self,
        service: &str,
        file: ModelFile,
    ) -> Result<Option<Cow<'static, [u8]>>, ModelError> {
        if let Some(bytes) = self.on_data_path(service, file)? {
            return Ok(Some(Cow::Owned(bytes)));
        }
        embedded(&format!("{service}/{}.json", file.stem()))
    }

    /// A per-service file from the first data-path directory that has it.
    fn on_data_path(&self, service: &str, file: ModelFile) -> Result<Option<Vec<u8>>, ModelError> {
        for dir in &self.data_paths {
            let Some(vdir) = latest_version_dir(&dir.join(service)) else {
                continue;
            };
            let Some(path) = find_file(&vdir, file.stem()) else {
                continue;
            };
            let mut doc = read_json_file(&path)?;
            if matches!(file, ModelFile::Service | ModelFile::Paginators) {
                if let Some(extra) = find_file(&vdir, &format!("{}.sdk-extras", file.stem())) {
                    if let Some(merge) = read_json_file(&extra)?.get("merge") {
                        deep_merge(&mut doc, merge);
                    }
                }
            }
            let bytes = serde_json::to_vec(&doc).map_err(|e| ModelError::Parse {
                what: path.display().to_string(),
                message: e.to_string(),
            })?;
            return Ok(Some(bytes));
        }
        Ok(None)
    }

    /// A global data file: `partitions`, `_retry` or `sdk-default-configuration`.
    pub fn global_file(&self, stem: &str) -> Result<Cow<'static, [u8]>, ModelError> {
        for dir in &self.data_paths {
            if let Some(p) = find_file(dir, stem) {
                let doc = read_json_file(&p)?;
                return Ok(Cow::Owned(serde_json::to_vec(&doc).unwrap_or_default()));
            }
        }
        embedded(&format!("_global/{stem}.json"))?.ok_or(ModelError::NoModels)
    }
}

fn latest_version_dir(service_dir: &Path) -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir(service_dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    versions.sort();
    versions.pop()
}

fn find_file(dir: &Path, stem: &str) -> Option<PathBuf> {
    [format!("{stem}.json"), format!("{stem}.json.gz")]
        .into_iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

fn read_json_file(path: &Path) -> Result<Json, ModelError> {
    let err = |m: String| ModelError::Parse {
        what: path.display().to_string(),
        message: m,
    };
    let raw = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(|e| err(e.to_string()))?;
        out
    } else {
        raw
    };
    serde_json::from_slice(&bytes).map_err(|e| err(e.to_string()))
}

/// botocore's `deep_merge`: objects merge recursively, anything else is replaced.
pub fn deep_merge(base: &mut Json, extra: &Json) {
    match (base, extra) {
        (Json::Object(b), Json::Object(e)) => {
            for (k, v) in e {
                match b.get_mut(k) {
                    Some(slot @ Json::Object(_)) if v.is_object() => deep_merge(slot, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, e) => *b = e.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_path_overrides_and_merges_extras() {
        let dir = std::env::temp_dir().join(format!("boto-model-dp-{}", std::process::id()));
        let v = dir.join("mysvc").join("2024-01-01");
        std::fs::create_dir_all(&v).unwrap();
        std::fs::write(
            v.join("service-2.json"),
            r#"{"metadata":{"protocol":"json","serviceId":"My Svc"},"operations":{},"shapes":{}}"#,
        )
        .unwrap();
        std::fs::write(
            v.join("service-2.sdk-extras.json"),
            r#"{"merge":{"metadata":{"serviceId":"Merged"}}}"#,
        )
        .unwrap();
        let loader = Loader::with_data_paths(vec![dir.clone()]);
        let m = loader.service_model("mysvc").unwrap();
        assert_eq!(m.metadata.service_id, "Merged");
        assert!(loader.service_names().contains(&"mysvc".to_string()));
        assert!(loader.json("mysvc", ModelFile::Waiters).unwrap().is_none());
        std::fs::write(v.join("waiters-2.json"), "{not json").unwrap();
        let e = Loader::with_data_paths(vec![dir.clone()])
            .json("mysvc", ModelFile::Waiters)
            .unwrap_err();
        assert!(e.to_string().contains("waiters-2.json"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn unknown_service_suggests_a_name() {
        if Loader::embedded_file_count() == 0 {
            eprintln!("skipped: this build embeds no models");
            return;
        }
        let e = Loader::global().service_model("dynamdb").unwrap_err();
        assert!(e.to_string().contains("did you mean \"dynamodb\""), "{e}");
    }

    /// Every embedded file unpacks (packed models, LZ4 data, xz documentation
    /// when the `docs` feature is on) to the length its index entry records.
    #[test]
    fn every_embedded_file_unpacks_to_its_recorded_length() {
        let (models, docs) = bundles();
        let mut seen_docs = 0;
        for bundle in std::iter::once(models).chain(docs) {
            for (name, e) in &bundle.index {
                let name = std::str::from_utf8(name).unwrap();
                let bytes = embedded(name).unwrap().unwrap();
                assert_eq!(bytes.len(), e.rlen, "{name}");
                if name.ends_with("/docs-2.json") {
                    seen_docs += 1;
                }
            }
        }
        assert_eq!(seen_docs > 0, cfg!(feature = "docs"));
        if cfg!(feature = "docs") {
            let ec2 = Loader::with_data_paths(vec![])
                .json("ec2", ModelFile::Docs)
                .unwrap()
                .unwrap();
            let doc = ec2["operations"]["DescribeInstances"].as_str().unwrap();
            assert!(doc.contains("instances"), "{doc}");
        }
    }

    #[test]
    fn merge_replaces_scalars_and_recurses_objects() {
        let mut a: Json = serde_json::json!({"a": {"b": 1, "c": 2}, "d": [1]});
        deep_merge(&mut a, &serde_json::json!({"a": {"c": 3}, "d": [2]}));
        assert_eq!(a, serde_json::json!({"a": {"b": 1, "c": 3}, "d": [2]}));
    }
}
