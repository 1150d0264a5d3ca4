//! The writers' exclusive advisory lock on the sidecar file (see the module docs of `writer`).

use std::fs::File;
use std::io;
use std::path::Path;

/// An exclusive lock, released when dropped (or when the process dies).
pub(super) struct FileLock {
    _file: Option<File>,
}

#[cfg(unix)]
pub(super) fn acquire(path: &Path) -> io::Result<FileLock> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)?;
    loop {
        // SAFETY: `file` owns a valid open descriptor for the whole call.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
            return Ok(FileLock { _file: Some(file) });
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

#[cfg(windows)]
pub(super) fn acquire(path: &Path) -> io::Result<FileLock> {
    use std::os::windows::fs::OpenOptionsExt;
    use std::time::{Duration, Instant};
    const ERROR_SHARING_VIOLATION: i32 = 32;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .share_mode(0)
            .open(path)
        {
            Ok(file) => return Ok(FileLock { _file: Some(file) }),
            Err(e)
                if e.raw_os_error() == Some(ERROR_SHARING_VIOLATION)
                    && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(not(any(unix, windows)))]
pub(super) fn acquire(_path: &Path) -> io::Result<FileLock> {
    Ok(FileLock { _file: None })
}
