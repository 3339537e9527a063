//! Following the open briefing on disk: when the file changes, read it
//! again on a background thread and send the result into the event loop.
//!
//! The folder is watched rather than the file, because editors and
//! generators often write a new file and rename it over the old one (the
//! old file's watch would go quiet). Changes are debounced: the file is
//! read only once it has been quiet for a moment and its size and time
//! stopped moving, so a briefing written in pieces is not read half-done
//! (and if it is, the reader keeps its place; see `App::reloaded`). A
//! write that leaves the bytes as they were is ignored.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, SystemTime};

use notify::{EventKind, RecursiveMode, Watcher as _};
use xxhash_rust::xxh3::Xxh3;

use crate::briefing::Briefing;
use crate::loader::{self, LoadOptions};

/// How long the file must be quiet before it is read.
const QUIET: Duration = Duration::from_millis(150);

/// Watches while it lives; dropping it stops watching.
pub struct Watcher {
    _inner: notify::RecommendedWatcher,
}

/// Watch `path`; each time it settles with new content, load it and send
/// `wrap(result)`. Returns an error when the platform cannot watch (the
/// reader then just does not follow changes).
pub fn watch<M: Send + 'static>(
    path: &Path,
    options: LoadOptions,
    sender: Sender<M>,
    wrap: fn(Result<Briefing, String>) -> M,
) -> notify::Result<Watcher> {
    let file = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = file
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = file.file_name().map(std::ffi::OsStr::to_os_string);
    let (ping, pings) = mpsc::channel::<()>();
    let mut inner = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        let ours = event
            .paths
            .iter()
            .any(|p| p.file_name().map(std::ffi::OsStr::to_os_string) == name);
        if ours {
            let _ = ping.send(());
        }
    })?;
    inner.watch(&dir, RecursiveMode::NonRecursive)?;
    thread::Builder::new()
        .name("brief-watch".into())
        .spawn(move || {
            // Read here, not before the first frame: the file can be large.
            let mut last = hash_file(&file);
            // Ends when the watcher (and so the sending side) is dropped.
            while pings.recv().is_ok() {
                // Wait until the file has been quiet for a moment.
                loop {
                    match pings.recv_timeout(QUIET) {
                        Ok(()) => {}
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                if !settled(&file) {
                    // Still being written: a later event brings it back.
                    continue;
                }
                let Some(hash) = hash_file(&file) else {
                    // Gone for now (renamed away mid-save): wait for it.
                    continue;
                };
                if last == Some(hash) {
                    continue;
                }
                last = Some(hash);
                let result = loader::load_file(&file, &options).map_err(|e| e.to_string());
                if sender.send(wrap(result)).is_err() {
                    return;
                }
            }
        })
        .map_err(notify::Error::io)?;
    Ok(Watcher { _inner: inner })
}

/// The xxh3 hash of a file's bytes, read a block at a time (a large
/// briefing is not held in memory twice beside its model).
fn hash_file(file: &Path) -> Option<u64> {
    let mut hasher = Xxh3::new();
    std::io::copy(&mut fs::File::open(file).ok()?, &mut hasher).ok()?;
    Some(hasher.digest())
}

/// Whether the file's size and modification time hold still for a moment.
fn settled(file: &Path) -> bool {
    let look = || -> Option<(u64, SystemTime)> {
        let m = fs::metadata(file).ok()?;
        Some((m.len(), m.modified().ok()?))
    };
    let Some(before) = look() else {
        return false;
    };
    thread::sleep(Duration::from_millis(50));
    look() == Some(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(receiver: &mpsc::Receiver<Result<Briefing, String>>) -> Option<Briefing> {
        receiver
            .recv_timeout(Duration::from_secs(5))
            .ok()
            .map(|r| r.expect("loads"))
    }

    #[test]
    fn a_change_on_disk_is_loaded_and_sent() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("b.md");
        fs::write(&path, "# One\n\ntext\n").expect("write");
        let (sender, receiver) = mpsc::channel();
        let _watcher = watch(&path, LoadOptions::default(), sender, |r| r).expect("can watch here");
        thread::sleep(Duration::from_millis(100));
        fs::write(&path, "# One\n\ntext\n\n# Two\n\nmore\n").expect("write");
        let briefing = next(&receiver).expect("a reload arrives");
        assert_eq!(briefing.sections.len(), 2);
        // Written as editors do: a new file renamed over the old one.
        let temp = dir.path().join(".b.md.tmp");
        fs::write(&temp, "# One\n\n# Two\n\n# Three\n").expect("write");
        fs::rename(&temp, &path).expect("rename");
        let briefing = next(&receiver).expect("a reload arrives");
        assert_eq!(briefing.sections.len(), 3);
        // The same bytes again: nothing is sent.
        fs::write(&path, "# One\n\n# Two\n\n# Three\n").expect("write");
        assert!(
            receiver.recv_timeout(Duration::from_millis(800)).is_err(),
            "an unchanged file is not reloaded"
        );
        // Another file in the folder is not ours.
        fs::write(dir.path().join("other.md"), "# X\n").expect("write");
        assert!(receiver.recv_timeout(Duration::from_millis(800)).is_err());
    }
}
