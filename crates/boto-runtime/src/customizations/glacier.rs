//! Glacier customizations.
//!
//! Glacier requires an account id in every path but accepts `-` for "the
//! caller's account", requires an API version header, and requires the
//! SHA-256 tree hash of uploaded data. botocore fills all three
//! (`inject_account_id`, `add_glacier_version`, `add_glacier_checksums`) so
//! callers never have to.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor, RequestContext};
use boto_model::Value;

use super::checksums::for_each_chunk;

/// `glacier.defaults`: botocore `inject_account_id` + `add_glacier_version` + `add_glacier_checksums`.
#[derive(Debug, Default)]
pub struct Glacier;

impl Interceptor for Glacier {
    fn name(&self) -> &'static str {
        "glacier.defaults"
    }

    fn modify_before_serialization(
        &self,
        _call: &CallInfo<'_>,
        params: &mut Value,
    ) -> Result<(), Error> {
        if let Some(map) = params.as_map_mut() {
            if map.get("accountId").is_none_or(Value::is_null) {
                map.insert("accountId", Value::String("-".into()));
            }
        }
        Ok(())
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        ctx.request.set_header(
            "x-amz-glacier-version",
            call.model.metadata.api_version.clone(),
        );
        if !matches!(
            &*call.operation.name,
            "UploadArchive" | "UploadMultipartPart"
        ) {
            return Ok(());
        }
        let need_sha = ctx.request.header("x-amz-content-sha256").is_none();
        let need_tree = ctx.request.header("x-amz-sha256-tree-hash").is_none();
        if !need_sha && !need_tree {
            return Ok(());
        }
        let mut tree = TreeHash::default();
        let mut linear = ring::digest::Context::new(&ring::digest::SHA256);
        for_each_chunk(ctx.body.as_ref(), ctx.request.body.as_bytes(), |c| {
            linear.update(c);
            tree.update(c);
        })?;
        if need_sha {
            ctx.request
                .set_header("x-amz-content-sha256", hex(linear.finish().as_ref()));
        }
        if need_tree {
            ctx.request
                .set_header("x-amz-sha256-tree-hash", tree.finish_hex());
        }
        Ok(())
    }
}

const MIB: usize = 1024 * 1024;

/// Glacier's SHA-256 tree hash (botocore `calculate_tree_hash`): hash each
/// 1 MiB chunk, then hash adjacent pairs level by level (an odd one out is
/// carried up unchanged) until one digest remains. Empty input hashes to
/// SHA-256 of nothing.
#[derive(Default)]
pub struct TreeHash {
    leaves: Vec<[u8; 32]>,
    pending: Vec<u8>,
}

impl TreeHash {
    /// Feeds more of the archive; leaves are hashed as each MiB fills.
    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let take = (MIB - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.pending.len() == MIB {
                self.leaves.push(sha256(&self.pending));
                self.pending.clear();
            }
        }
    }

    /// The tree hash as lowercase hex (`x-amz-sha256-tree-hash`); an empty input hashes to SHA-256
    /// of nothing.
    pub fn finish_hex(mut self) -> String {
        if !self.pending.is_empty() || self.leaves.is_empty() {
            self.leaves.push(sha256(&self.pending));
        }
        let mut level = self.leaves;
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|pair| match pair.get(1) {
                    Some(b) => {
                        let mut both = [0u8; 64];
                        both[..32].copy_from_slice(&pair[0]);
                        both[32..].copy_from_slice(b);
                        sha256(&both)
                    }
                    None => pair[0],
                })
                .collect();
        }
        hex(&level[0])
    }
}

fn sha256(data: &[u8]) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customizations::testutil::Harness;

    fn tree(data: &[u8]) -> String {
        let mut t = TreeHash::default();
        // Feed in odd pieces to exercise chunk boundaries.
        for piece in data.chunks(333_333) {
            t.update(piece);
        }
        t.finish_hex()
    }

    #[test]
    fn tree_hash_matches_botocore() {
        // Expected values computed with botocore 1.43.67's `utils.calculate_tree_hash`.
        assert_eq!(
            tree(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            tree(b"a"),
            "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
        );
        assert_eq!(
            tree(&vec![b'a'; MIB]),
            "9bc1b2a288b26af7257a36277ae3816a7d4f16e89c1e7e77d0a5c48bad62b360"
        );
        assert_eq!(
            tree(&vec![b'a'; MIB * 2]),
            "560c2c9333c719cb00cfdffee3ba293db17f58743cdd1f7e4055373ae6300afa"
        );
        assert_eq!(
            tree(&vec![b'a'; MIB * 3]),
            "70239f4f2ead7561f69d48b956b547edef52a1280a93c262c0b582190be7db17"
        );
        assert_eq!(
            tree(&vec![b'a'; MIB * 3 + 7]),
            "293579e773b9a40f2cfd9afc5f2ff30b724fd73775c437b063d6276b092e53b9"
        );
    }

    #[test]
    fn upload_archive_gets_headers_and_account_default() {
        let h = Harness::new("glacier", "UploadArchive");
        let mut params = Value::from_json(&serde_json::json!({"vaultName": "v"}));
        Glacier
            .modify_before_serialization(&h.call(), &mut params)
            .unwrap();
        assert_eq!(params.get("accountId").as_str(), Some("-"));
        if let Some(m) = params.as_map_mut() {
            m.insert("body", Value::blob(b"hello".to_vec()));
        }
        let (req, _) = h.before_signing(&Glacier, &params, None).unwrap();
        assert!(req.path.starts_with("/-/vaults/v/archives"), "{}", req.path);
        assert_eq!(req.header("x-amz-glacier-version"), Some("2012-06-01"));
        let sha = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        assert_eq!(req.header("x-amz-content-sha256"), Some(sha));
        assert_eq!(req.header("x-amz-sha256-tree-hash"), Some(sha));
    }

    #[test]
    fn explicit_account_and_checksum_are_kept() {
        let h = Harness::new("glacier", "UploadArchive");
        let mut params = Value::from_json(
            &serde_json::json!({"vaultName": "v", "accountId": "123456789012", "checksum": "abc"}),
        );
        Glacier
            .modify_before_serialization(&h.call(), &mut params)
            .unwrap();
        assert_eq!(params.get("accountId").as_str(), Some("123456789012"));
        let (req, _) = h.before_signing(&Glacier, &params, None).unwrap();
        assert_eq!(req.header("x-amz-sha256-tree-hash"), Some("abc"));
    }
}
