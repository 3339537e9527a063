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
//!
//! The watch starts once the briefing is loaded, so a change made between
//! the reader's read and the watch would go unseen: the watcher is told
//! the file's [`Stamp`] from just before that read, and reads the file
//! again at once when it no longer matches.

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

/// A file's size and modification time: taken just before a briefing is
/// read, it tells the watcher whether the file changed before it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    /// The stamp of the file at `path` now; `None` when it cannot be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = fs::metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// Watches while it lives; dropping it stops watching.
pub struct Watcher {
    ping: Sender<Ping>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // The thread may already be gone (the platform could not watch).
        let _ = self.ping.send(Ping::Stop);
    }
}

/// What the watching thread hears: from the platform's watcher, that the
/// file changed; from [`Watcher`]'s drop, to stop.
enum Ping {
    Changed,
    Stop,
}

/// Watch `path`; each time it settles with new content, load it and send
/// `wrap(path, result)`. `read` is the file's stamp from just before the
/// shown version was read: if the file no longer has it when the watch
/// starts, it changed meanwhile and is loaded at once.
///
/// Everything happens on a thread of its own, even setting up the watch:
/// the kernel can take milliseconds to watch a folder of many files (3 ms
/// for a `/tmp` of 190 entries here), and the caller is the event loop.
/// Where the platform cannot watch, that thread ends quietly and the
/// reader just does not follow changes. The error is only that of starting
/// the thread.
pub fn watch<M: Send + 'static>(
    path: &Path,
    read: Option<Stamp>,
    options: LoadOptions,
    sender: Sender<M>,
    wrap: fn(PathBuf, Result<Briefing, String>) -> M,
) -> std::io::Result<Watcher> {
    let path = path.to_path_buf();
    let (ping, pings) = mpsc::channel::<Ping>();
    let changed = ping.clone();
    let missed = ping.clone();
    thread::Builder::new()
        .name("brief-watch".into())
        .spawn(move || {
            let file = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            let Ok(_watching) = watch_folder_of(&file, changed) else {
                return;
            };
            // Read here, not before the first frame: the file can be large.
            let mut last = hash_file(&file);
            // Taken after the hash: a change before it is caught here, one
            // after it by the watch.
            if read.is_some() && Stamp::of(&file) != read {
                // Changed since the shown version was read (the hash may
                // already be the new text's).
                last = None;
                let _ = missed.send(Ping::Changed);
            }
            drop(missed);
            // Ends when the watcher is dropped.
            while let Ok(Ping::Changed) = pings.recv() {
                // Wait until the file has been quiet for a moment.
                loop {
                    match pings.recv_timeout(QUIET) {
                        Ok(Ping::Changed) => {}
                        Err(RecvTimeoutError::Timeout) => break,
                        Ok(Ping::Stop) | Err(RecvTimeoutError::Disconnected) => return,
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
                if sender.send(wrap(path.clone(), result)).is_err() {
                    return;
                }
            }
        })?;
    Ok(Watcher { ping })
}

/// The platform's watcher on the folder holding `file`, pinging `changed`
/// for each event about that file. The folder is watched rather than the
/// file (see the module's documentation).
fn watch_folder_of(
    file: &Path,
    changed: Sender<Ping>,
) -> notify::Result<notify::RecommendedWatcher> {
    let dir = file
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = file.file_name().map(std::ffi::OsStr::to_os_string);
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
            let _ = changed.send(Ping::Changed);
        }
    })?;
    inner.watch(&dir, RecursiveMode::NonRecursive)?;
    Ok(inner)
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

    /// A temporary folder holding `b.md` with `text`, and the file's path.
    fn file_with(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("b.md");
        fs::write(&path, text).expect("write");
        (dir, path)
    }

    type Results = mpsc::Receiver<Result<Briefing, String>>;

    /// Watch `path`, read as it was at `read`: the watcher and what it
    /// sends.
    fn watched(path: &Path, read: Option<Stamp>) -> (Watcher, Results) {
        let (sender, receiver) = mpsc::channel();
        let watcher =
            watch(path, read, LoadOptions::default(), sender, |_, r| r).expect("can watch here");
        (watcher, receiver)
    }

    fn next(receiver: &Results) -> Option<Briefing> {
        receiver
            .recv_timeout(Duration::from_secs(5))
            .ok()
            .map(|r| r.expect("loads"))
    }

    #[test]
    fn a_change_on_disk_is_loaded_and_sent() {
        let (dir, path) = file_with("# One\n\ntext\n");
        let (_watcher, receiver) = watched(&path, Stamp::of(&path));
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

    #[test]
    fn a_change_made_before_the_watch_started_is_loaded_at_once() {
        let (_dir, path) = file_with("# One\n\ntext\n");
        // Read, then changed before the watch starts.
        let read = Stamp::of(&path);
        fs::write(&path, "# One\n\ntext\n\n# Two\n\nmore\n").expect("write");
        let (_watcher, receiver) = watched(&path, read);
        let briefing = next(&receiver).expect("the change is loaded without an event");
        assert_eq!(briefing.sections.len(), 2);
        // Loaded once: the watch's own events about it bring nothing more.
        assert!(receiver.recv_timeout(Duration::from_millis(800)).is_err());
    }

    #[test]
    fn a_file_unchanged_since_it_was_read_is_not_loaded_again() {
        let (_dir, path) = file_with("# One\n");
        let (_watcher, receiver) = watched(&path, Stamp::of(&path));
        assert!(receiver.recv_timeout(Duration::from_millis(800)).is_err());
    }

    #[test]
    fn dropping_the_watcher_ends_its_thread() {
        let (_dir, path) = file_with("# One\n");
        let (watcher, receiver) = watched(&path, Stamp::of(&path));
        thread::sleep(Duration::from_millis(50));
        drop(watcher);
        // The thread held the only sender: its end disconnects the channel.
        assert_eq!(
            receiver.recv_timeout(Duration::from_secs(5)).err(),
            Some(RecvTimeoutError::Disconnected)
        );
    }
}
