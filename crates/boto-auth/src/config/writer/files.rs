//! The file side of [`super::update_config_file`]: where the target really
//! is (symlinks followed), a private folder for it, and the atomic
//! replacement (temporary file in the same folder, permissions kept,
//! `fsync`, rename, folder synced).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Follows symlinks so the link itself is not replaced by the rename. A
/// dangling link is written through to where it points, like `open(2)` does.
pub(super) fn resolve_symlinks(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(&p) {
                Ok(next) => {
                    p = match p.parent() {
                        Some(parent) => parent.join(next),
                        None => next,
                    }
                }
                Err(_) => break,
            },
            _ => break,
        }
    }
    p
}

pub(super) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Writes `contents` to a new temporary file in `dir` and renames it over `target`.
pub(super) fn replace_file(
    dir: &Path,
    name: &str,
    target: &Path,
    contents: &[u8],
    existing: Option<&std::fs::Metadata>,
) -> io::Result<()> {
    let (tmp_path, mut tmp) = create_temp(dir, name)?;
    let result = (|| {
        tmp.write_all(contents)?;
        keep_permissions(&tmp, existing)?;
        tmp.sync_all()?;
        drop(tmp);
        std::fs::rename(&tmp_path, target)?;
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    result
}

/// A new, empty `0600` file `.NAME.PID.N.tmp` next to the target.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    loop {
        let p = dir.join(format!(
            ".{name}.{}.{}{nanos}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let mut o = OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        match o.open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Gives the new file the old one's permission bits (and owner, where the
/// process may); a new file stays `0600`.
#[cfg(unix)]
fn keep_permissions(f: &File, existing: Option<&std::fs::Metadata>) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let Some(meta) = existing else {
        return f.set_permissions(std::fs::Permissions::from_mode(0o600));
    };
    let mine = f.metadata()?;
    if mine.uid() != meta.uid() || mine.gid() != meta.gid() {
        // Only root (or a member of the group) may do this; otherwise the
        // file ends up owned by the writer, as any editor would leave it.
        let _ = std::os::unix::fs::fchown(f, Some(meta.uid()), Some(meta.gid()));
    }
    f.set_permissions(std::fs::Permissions::from_mode(meta.mode() & 0o7777))
}

#[cfg(not(unix))]
fn keep_permissions(f: &File, existing: Option<&std::fs::Metadata>) -> io::Result<()> {
    match existing {
        Some(meta) => f.set_permissions(meta.permissions()),
        None => Ok(()),
    }
}

/// Makes the rename durable (best effort).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
