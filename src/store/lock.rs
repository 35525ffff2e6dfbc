//! One writer at a time per complaint file. Every read-modify-write of a complaint holds an
//! exclusive lock on a lock file of its own, so concurrent `gripe note`s on one complaint all
//! land instead of one overwriting another. Readers take no lock: writes replace files by
//! rename, so a reader sees the old file or the new one, never a torn one.
//!
//! The lock files live in the system temp folder (`$TMPDIR/gripe-locks-<uid>/`), not next to
//! the complaints, so they never show up in git. There is one folder per user, so no other user
//! of the machine can take it first or make it unwritable; the price is that two users writing
//! in one shared working copy do not exclude each other (a team works in clones of its own).
//! They are `flock`-style locks, released by the operating system when the process ends however
//! it ends, so a crash never leaves a stale lock behind.

use std::fs;
use std::path::Path;
use std::path::PathBuf;
use std::time::Duration;
use std::time::Instant;

use crate::error::Error;
use crate::error::Result;

/// How long a writer waits for another before giving up, unless `GRIPE_LOCK_TIMEOUT` (in
/// seconds) says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A held lock; released when dropped.
#[derive(Debug)]
pub(crate) struct FileLock {
    _file: fs::File,
}

/// Locks `path` (a complaint file, or a repository while gripe commits) for writing, waiting up
/// to the timeout for another writer to finish.
pub(crate) fn lock(path: &Path) -> Result<FileLock> {
    let lock_path = lock_file(path);
    let locking_error = |source: std::io::Error| Error::Write {
        path: lock_path.clone(),
        source,
    };
    if let Some(parent) = lock_path.parent() {
        fs::create_dir_all(parent).map_err(locking_error)?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(locking_error)?;
    let timeout = timeout();
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(FileLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    path: path.to_path_buf(),
                    waited: timeout,
                });
            }
            Err(fs::TryLockError::Error(source)) => return Err(locking_error(source)),
        }
    }
}

fn timeout() -> Duration {
    std::env::var("GRIPE_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(DEFAULT_TIMEOUT, Duration::from_secs_f64)
}

/// The lock file of a complaint file: named after a hash of its full path, so every gripe the
/// user runs, wherever it runs from, locks the same one.
fn lock_file(path: &Path) -> PathBuf {
    let full = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    // FNV-1a: tiny, and stable across gripe versions and Rust releases (unlike std's hasher).
    let hash = full
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    std::env::temp_dir()
        .join(lock_folder())
        .join(format!("{hash:016x}.lock"))
}

/// The folder of this user's locks: one per user, so that no other user of the machine can
/// take it (or make it unwritable) first.
#[cfg(unix)]
fn lock_folder() -> String {
    format!("gripe-locks-{}", rustix::process::getuid().as_raw())
}

#[cfg(not(unix))]
fn lock_folder() -> String {
    "gripe-locks".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_and_then_gets_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        fs::write(&path, "x").unwrap();
        let held = lock(&path).unwrap();
        let waiter = std::thread::spawn({
            let path = path.clone();
            move || lock(&path).map(drop)
        });
        std::thread::sleep(Duration::from_millis(50));
        drop(held);
        waiter.join().unwrap().unwrap();
    }

    #[test]
    fn lock_files_are_the_same_for_one_file_and_differ_between_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        let b = dir.path().join("b.toml");
        fs::write(&a, "x").unwrap();
        fs::write(&b, "x").unwrap();
        assert_eq!(
            lock_file(&a),
            lock_file(&dir.path().join(".").join("a.toml"))
        );
        assert_ne!(lock_file(&a), lock_file(&b));
    }
}
