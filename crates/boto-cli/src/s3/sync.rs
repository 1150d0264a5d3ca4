//! Which files `sync` transfers and deletes.
//!
//! Replaces aws-cli's `Comparator` (`comparator.py`) and sync strategies
//! (`syncstrategy/`: `SizeAndLastModifiedSync`, `SizeOnlySync`,
//! `ExactTimestampsSync`, `MissingFileSync`, `DeleteSync`). Both sides are
//! listed in compare-key order and merged in one pass. A file present on both
//! sides is transferred when the sizes differ or, unless `--size-only`, when
//! the times say so: for uploads and copies when the source is newer than the
//! destination; for downloads when the local file is newer than the object
//! (aws-cli's rule; downloads set the local time to the object's), or with
//! `--exact-timestamps` when the times differ at all.

use super::walk::{FileStat, Op};
use std::cmp::Ordering;

/// The sync strategy options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Strategy {
    pub size_only: bool,
    pub exact_timestamps: bool,
    pub delete: bool,
}

/// What sync decided.
#[derive(Debug, Default)]
pub struct Decision {
    /// Source files to transfer.
    pub transfers: Vec<FileStat>,
    /// Destination files to delete (their `op` set to [`Op::Delete`]).
    pub deletes: Vec<FileStat>,
}

/// Whether the destination copy is up to date by time (aws-cli's `compare_time`).
fn same_time(src: &FileStat, dest: &FileStat, exact: bool) -> bool {
    let (Some(s), Some(d)) = (src.mtime_us, dest.mtime_us) else {
        return false;
    };
    // aws-cli compares whole-second S3 times with local times; the delta's
    // sign decides.
    let delta = d - s;
    match src.op {
        Op::Download if exact => delta == 0,
        Op::Download => delta <= 0,
        _ => delta >= 0,
    }
}

fn should_update(src: &FileStat, dest: &FileStat, s: Strategy) -> bool {
    let same_size = src.size == dest.size;
    if s.size_only {
        return !same_size;
    }
    !same_size || !same_time(src, dest, s.exact_timestamps)
}

/// Merges the two sorted listings.
pub fn compare(mut src: Vec<FileStat>, mut dest: Vec<FileStat>, s: Strategy) -> Decision {
    // Both listings come sorted; sorting again (stable, nearly free) keeps
    // the merge right even if a lister ever yields out of order.
    src.sort_by(|a, b| a.compare_key.cmp(&b.compare_key));
    dest.sort_by(|a, b| a.compare_key.cmp(&b.compare_key));
    let mut out = Decision::default();
    let mut si = src.into_iter().peekable();
    let mut di = dest.into_iter().peekable();
    loop {
        let order = match (si.peek(), di.peek()) {
            (Some(a), Some(b)) => a.compare_key.cmp(&b.compare_key),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        match order {
            Ordering::Equal => {
                let (a, b) = (si.next().unwrap_or_else(|| unreachable!()), di.next());
                if b.as_ref().is_some_and(|b| should_update(&a, b, s)) {
                    out.transfers.push(a);
                }
            }
            Ordering::Less => out.transfers.extend(si.next()),
            Ordering::Greater => {
                if let Some(mut d) = di.next() {
                    if s.delete {
                        d.op = Op::Delete;
                        out.deletes.push(d);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s3::path::Kind;

    fn f(key: &str, size: u64, t: i64, op: Op) -> FileStat {
        FileStat {
            src: key.into(),
            dest: String::new(),
            compare_key: key.into(),
            size,
            mtime_us: Some(t * 1_000_000),
            src_kind: Kind::Local,
            dest_kind: Kind::S3,
            op,
            glacier: false,
        }
    }

    fn keys(v: &[FileStat]) -> Vec<&str> {
        v.iter().map(|f| f.compare_key.as_str()).collect()
    }

    #[test]
    fn upload_rules() {
        let src = vec![
            f("a", 1, 100, Op::Upload), // same size, dest newer: skip
            f("b", 1, 100, Op::Upload), // size differs: sync
            f("c", 1, 200, Op::Upload), // source newer: sync
            f("d", 1, 100, Op::Upload), // missing at dest: sync
        ];
        let dest = vec![
            f("a", 1, 150, Op::Upload),
            f("b", 2, 150, Op::Upload),
            f("c", 1, 150, Op::Upload),
            f("e", 1, 150, Op::Upload),
        ];
        let d = compare(src.clone(), dest.clone(), Strategy::default());
        assert_eq!(keys(&d.transfers), ["b", "c", "d"]);
        assert!(d.deletes.is_empty());
        let d = compare(
            src.clone(),
            dest.clone(),
            Strategy {
                delete: true,
                size_only: true,
                ..Default::default()
            },
        );
        assert_eq!(keys(&d.transfers), ["b", "d"]);
        assert_eq!(keys(&d.deletes), ["e"]);
        assert_eq!(d.deletes[0].op, Op::Delete);
    }

    #[test]
    fn download_rules() {
        let src = vec![f("a", 1, 100, Op::Download), f("b", 1, 100, Op::Download)];
        // Local "a" is older than the object (not re-downloaded by default),
        // local "b" is newer (re-downloaded).
        let dest = vec![f("a", 1, 50, Op::Download), f("b", 1, 150, Op::Download)];
        let d = compare(src.clone(), dest.clone(), Strategy::default());
        assert_eq!(keys(&d.transfers), ["b"]);
        let d = compare(
            src,
            dest,
            Strategy {
                exact_timestamps: true,
                ..Default::default()
            },
        );
        assert_eq!(keys(&d.transfers), ["a", "b"]);
    }
}
