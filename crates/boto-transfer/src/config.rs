//! Transfer settings: boto3's `TransferConfig` (`boto3/s3/transfer.py`) and
//! s3transfer's `ChunksizeAdjuster` (`s3transfer/utils.py`).
//!
//! The names and defaults are boto3's, so settings read from an aws-cli
//! `s3 =` config section or a boto3 program map one to one.

use crate::error::TransferError;

pub const KIB: u64 = 1024;
pub const MIB: u64 = 1024 * KIB;
pub const GIB: u64 = 1024 * MIB;
pub const TIB: u64 = 1024 * GIB;

/// S3's smallest part (except the last): 5 MiB.
pub const MIN_PART_SIZE: u64 = 5 * MIB;
/// S3's largest part: 5 GiB.
pub const MAX_PART_SIZE: u64 = 5 * GIB;
/// S3's part count limit.
pub const MAX_PARTS: u64 = 10_000;
/// S3's largest object: 5 TiB (also the largest single PutObject is 5 GiB).
pub const MAX_OBJECT_SIZE: u64 = 5 * TIB;

/// How transfers are split and paced (boto3's `TransferConfig`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferConfig {
    /// Objects at least this large go multipart (uploads, copies) or ranged (downloads). Default 8 MiB.
    pub multipart_threshold: u64,
    /// Part size for multipart uploads/copies and range size for downloads. Default 8 MiB;
    /// adjusted per transfer so there are at most 10,000 parts of 5 MiB–5 GiB.
    pub multipart_chunksize: u64,
    /// Requests in flight at once, across all transfers of one manager. Default 10.
    pub max_concurrency: usize,
    /// Bytes per second across all transfers of one manager; `None` (default) is unlimited.
    pub max_bandwidth: Option<u64>,
    /// Size of the reads and writes of a download stream and of buffered writes. Default 256 KiB.
    pub io_chunksize: usize,
    /// Attempts per part or range after the client's own retries give up (boto3's
    /// `num_download_attempts`, default 5; used for uploads and copies too).
    pub num_download_attempts: u32,
}

impl Default for TransferConfig {
    fn default() -> Self {
        TransferConfig {
            multipart_threshold: 8 * MIB,
            multipart_chunksize: 8 * MIB,
            max_concurrency: 10,
            max_bandwidth: None,
            io_chunksize: 256 * 1024,
            num_download_attempts: 5,
        }
    }
}

impl TransferConfig {
    /// Checks the settings: everything positive, the threshold at least 1 byte.
    pub fn validate(&self) -> Result<(), TransferError> {
        let bad = |what: &str| {
            Err(TransferError::invalid(format!(
                "TransferConfig.{what} must be greater than 0"
            )))
        };
        if self.multipart_threshold == 0 {
            return bad("multipart_threshold");
        }
        if self.multipart_chunksize == 0 {
            return bad("multipart_chunksize");
        }
        if self.max_concurrency == 0 {
            return bad("max_concurrency");
        }
        if self.io_chunksize == 0 {
            return bad("io_chunksize");
        }
        if self.num_download_attempts == 0 {
            return bad("num_download_attempts");
        }
        if self.max_bandwidth == Some(0) {
            return bad("max_bandwidth");
        }
        Ok(())
    }

    /// The part size for an upload or copy of `size` bytes (`None`: unknown length).
    pub fn part_size(&self, size: Option<u64>) -> u64 {
        adjust_chunksize(self.multipart_chunksize, size)
    }
}

/// s3transfer's `ChunksizeAdjuster.adjust_chunksize`: double the chunk size
/// until the parts fit in 10,000, then clamp to 5 MiB–5 GiB.
pub fn adjust_chunksize(current: u64, file_size: Option<u64>) -> u64 {
    let mut chunk = current.max(1);
    if let Some(size) = file_size {
        while size.div_ceil(chunk) > MAX_PARTS {
            chunk *= 2;
        }
    }
    chunk.clamp(MIN_PART_SIZE, MAX_PART_SIZE)
}

/// The `(offset, length)` of every part of an object of `size` bytes.
pub(crate) fn ranges(size: u64, part: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::with_capacity(size.div_ceil(part.max(1)) as usize);
    let mut off = 0;
    while off < size {
        let len = part.min(size - off);
        out.push((off, len));
        off += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunksize_like_s3transfer() {
        assert_eq!(adjust_chunksize(8 * MIB, Some(100)), 8 * MIB);
        assert_eq!(adjust_chunksize(MIB, Some(100)), 5 * MIB);
        assert_eq!(adjust_chunksize(10 * GIB, None), 5 * GIB);
        // 1 TiB in 8 MiB parts is 131,072 parts: doubled to 128 MiB (8,192 parts).
        assert_eq!(adjust_chunksize(8 * MIB, Some(TIB)), 128 * MIB);
        // 5 TiB: 1 GiB parts (5,120 parts); never more than 10,000.
        let c = adjust_chunksize(8 * MIB, Some(MAX_OBJECT_SIZE));
        assert!(MAX_OBJECT_SIZE.div_ceil(c) <= MAX_PARTS);
        assert_eq!(c, 1024 * MIB);
        // The threshold case: 80,000 MiB at 8 MiB is exactly 10,000 parts, kept.
        assert_eq!(adjust_chunksize(8 * MIB, Some(80_000 * MIB)), 8 * MIB);
        assert_eq!(adjust_chunksize(8 * MIB, Some(80_000 * MIB + 1)), 16 * MIB);
    }

    #[test]
    fn ranges_cover_exactly() {
        assert!(ranges(0, 5).is_empty());
        assert_eq!(ranges(5, 5), vec![(0, 5)]);
        assert_eq!(ranges(6, 5), vec![(0, 5), (5, 1)]);
        let r = ranges(23, 5);
        assert_eq!(r.len(), 5);
        assert_eq!(r.iter().map(|x| x.1).sum::<u64>(), 23);
    }

    #[test]
    fn validate_rejects_zero() {
        let c = TransferConfig {
            max_concurrency: 0,
            ..TransferConfig::default()
        };
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains("max_concurrency"), "{e}");
        assert!(TransferConfig::default().validate().is_ok());
    }
}
