//! What `brief` remembers between runs, per briefing: the place last read,
//! which sections have been read, and bookmarks.
//!
//! Each purpose has its own small JSON file in the platform's state
//! directory (`$XDG_STATE_HOME/brief` on Linux, the data directory where
//! there is no state directory; `BRIEF_STATE_DIR` overrides it):
//! `places.json`, `read.json` and `marks.json`. Every write goes to a
//! temporary file in the same directory, is flushed to disk and renamed
//! over the old file, so a crash, a kill or a full disk leaves either the
//! old file or the new one, never half of one. A file that cannot be
//! parsed is set aside (renamed to `*.corrupt`) with a warning and state
//! starts afresh: remembering is a convenience, never a reason to fail.
//!
//! A briefing is known by its path; its sections by [`SectionKey`], a
//! hash of level, title and how many sections before it had the same
//! level and title. A regenerated briefing with the same layout has the
//! same keys, so it reopens where it was; a changed section keeps its key
//! but not its [`content hash`](section_hashes), so it shows as changed
//! since read. The [`fingerprint`] of all titles tells whether the layout
//! is exactly the one last seen.
//!
//! This module does the file work; the [`Memory`] it hands out is plain
//! data that `App::update` changes without I/O. [`Derived`] bundles what a
//! reader computes from a briefing to use it (the outline tree and the
//! keys), so that a loading thread can make it ahead of time. Content
//! hashes are worked out only where they are compared: for the sections
//! remembered as read, for a section being marked, and over both versions
//! when the file is reloaded.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::briefing::{Briefing, Outline, Section};

/// Set this to a directory to keep state there instead of the platform's
/// state directory (tests use it; so can a user with a portable setup).
pub const STATE_DIR_VAR: &str = "BRIEF_STATE_DIR";

/// Briefings remembered per file; the least recently used are forgotten.
const MAX_ENTRIES: usize = 1000;

const PLACES: &str = "places.json";
const READ: &str = "read.json";
const MARKS: &str = "marks.json";

/// A section's identity across reloads and runs.
pub type SectionKey = u64;

/// A place in a briefing that does not depend on the terminal's width: a
/// section, and the text at the top of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub section: SectionKey,
    /// Where the section was when the place was taken: used when several
    /// sections share the key's title, and shown when it is gone.
    pub index: usize,
    /// The text at the top of the screen, as (block, byte offset); `None`
    /// for the top of the section.
    #[serde(default)]
    pub at: Option<(usize, usize)>,
    /// Lines between the top of the screen and `at` (blank lines or
    /// decoration, which have no text position of their own).
    #[serde(default)]
    pub above: usize,
}

/// Everything remembered about one briefing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Memory {
    /// Where reading stopped, and the fingerprint of the layout then.
    pub place: Option<(Place, u64)>,
    /// Sections read, with the hash of their text when they were read.
    pub read: BTreeMap<SectionKey, u64>,
    /// Bookmarks by letter.
    pub marks: BTreeMap<char, Place>,
}

/// The section keys of a briefing, in order.
pub fn section_keys(briefing: &Briefing) -> Vec<SectionKey> {
    // Tens of thousands of sections in a large briefing: a fast map, and
    // each key hashed in one go from a reused buffer (the same digest as
    // hashing level, title and count one after the other).
    let mut seen: HashMap<(u8, &str), u32, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(
            briefing.sections.len(),
            foldhash::fast::RandomState::default(),
        );
    let mut bytes = Vec::new();
    briefing
        .sections
        .iter()
        .map(|s| {
            let n = seen.entry((s.level, s.title.as_str())).or_insert(0);
            bytes.clear();
            bytes.push(s.level);
            bytes.extend_from_slice(s.title.as_bytes());
            bytes.extend_from_slice(&n.to_le_bytes());
            *n += 1;
            xxh3_64(&bytes)
        })
        .collect()
}

/// A hash of each section's text (what "changed since read" compares).
pub fn section_hashes(briefing: &Briefing) -> Vec<u64> {
    let mut h = Xxh3::new();
    briefing
        .sections
        .iter()
        .map(|s| {
            h.reset();
            hash_section(&mut h, s)
        })
        .collect()
}

/// The hash of one section's text (one of [`section_hashes`]).
pub fn section_hash(section: &Section) -> u64 {
    hash_section(&mut Xxh3::new(), section)
}

/// The hash of `section`'s text, with `h` fresh.
fn hash_section(h: &mut Xxh3, section: &Section) -> u64 {
    for block in &section.blocks {
        h.update(block.text.as_bytes());
        h.update(&[0]);
    }
    h.digest()
}

/// What the reader derives from a briefing before it shows it: the outline
/// tree and the section keys. For a large briefing it is made on the
/// loading thread, so the screen never waits for it.
///
/// The content hashes are not part of it: they read every byte of the
/// text (27 ms of a 50 MiB Markdown briefing's 28 ms here, where the
/// outline and keys took 7 and 9 ms on their own), and opening a briefing
/// needs them only for the few sections remembered as read.
#[derive(Debug, Clone)]
pub struct Derived {
    pub outline: Outline,
    pub keys: Vec<SectionKey>,
}

impl Derived {
    pub fn of(briefing: &Briefing) -> Derived {
        /// Sections from which the outline is worth a thread of its own.
        const THREAD_SECTIONS: usize = 4096;
        // Each looks at every title, which a large file's load left out of
        // the cache.
        let outline = || Outline::new(&briefing.sections);
        let keys = || section_keys(briefing);
        let (outline, keys) = if briefing.sections.len() >= THREAD_SECTIONS {
            crate::parallel::on_two_threads(outline, keys)
        } else {
            (outline(), keys())
        };
        Derived { outline, keys }
    }
}

/// What a new version of the briefing changes against the one shown.
///
/// Working it out reads every byte of both versions: for a briefing of
/// 50 MiB it took 85-95 ms, which the drawing thread spent before the
/// first frame of the new version (keys waited as long). A large
/// briefing is therefore compared on a background thread (see
/// `background::compare`).
#[derive(Debug)]
pub enum Comparison {
    /// The same briefing again (the editor saved it, and the watcher saw
    /// the save too).
    Same,
    /// A briefing that differs.
    Changed(Box<Changes>),
}

/// How a new version differs, section by section.
#[derive(Debug)]
pub struct Changes {
    /// What the reader derives from the new version.
    pub derived: Derived,
    /// For each section of the new version: new (no section of the shown
    /// one has its key) or changed (one has, with another text).
    pub fresh: Vec<bool>,
    /// How many sections are new.
    pub new_count: usize,
    /// How many sections are changed.
    pub changed_count: usize,
}

impl Comparison {
    /// Compare `new` with `shown`.
    pub fn of(shown: &Briefing, new: &Briefing) -> Comparison {
        if shown == new {
            return Comparison::Same;
        }
        // Every section of both versions is hashed, the shown one's only
        // now: opening a briefing hashes only what it compares (see
        // `Derived`).
        let ((old_keys, old_hashes), (derived, hashes)) = crate::parallel::on_two_threads(
            || (section_keys(shown), section_hashes(shown)),
            || (Derived::of(new), section_hashes(new)),
        );
        let old: HashMap<SectionKey, u64, foldhash::fast::RandomState> =
            old_keys.into_iter().zip(old_hashes).collect();
        let mut new_count = 0;
        let mut changed_count = 0;
        let fresh = derived
            .keys
            .iter()
            .zip(&hashes)
            .map(|(key, hash)| match old.get(key) {
                None => {
                    new_count += 1;
                    true
                }
                Some(old) if old != hash => {
                    changed_count += 1;
                    true
                }
                Some(_) => false,
            })
            .collect();
        Comparison::Changed(Box::new(Changes {
            derived,
            fresh,
            new_count,
            changed_count,
        }))
    }
}

/// Which sections of `briefing` are read (remembered as read, with the
/// same text), by index.
pub fn read_sections(briefing: &Briefing, read: &BTreeMap<SectionKey, u64>) -> Vec<bool> {
    section_keys(briefing)
        .iter()
        .zip(briefing.sections.iter().map(section_hash))
        .map(|(key, hash)| read.get(key) == Some(&hash))
        .collect()
}

/// A hash of the whole outline: levels and titles in order.
pub fn fingerprint(keys: &[SectionKey]) -> u64 {
    let bytes: Vec<u8> = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
    xxh3_64(&bytes)
}

/// Why state could not be written.
#[derive(Debug, thiserror::Error)]
#[error("could not save reading state to {path}: {source}")]
pub struct StateError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// The state directory and the file work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    dir: PathBuf,
}

/// What [`Store::recall`] found, and anything worth telling the user.
#[derive(Debug, Default)]
pub struct Recall {
    pub memory: Memory,
    pub warnings: Vec<String>,
}

/// One briefing's entry in a state file, stamped with when it was written
/// (for forgetting the least recently used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamped<T> {
    time: u64,
    value: T,
}

#[derive(Debug, Serialize, Deserialize)]
struct StateFile<T> {
    version: u32,
    briefings: BTreeMap<String, Stamped<T>>,
}

impl<T> Default for StateFile<T> {
    fn default() -> Self {
        StateFile {
            version: 1,
            briefings: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PlaceEntry {
    fingerprint: u64,
    place: Place,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ReadEntry {
    read: BTreeMap<SectionKey, u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct MarksEntry {
    marks: BTreeMap<char, Place>,
}

impl Store {
    /// The state directory: `BRIEF_STATE_DIR`, else the platform's. `None`
    /// when there is no home directory to put it in.
    pub fn locate() -> Option<Store> {
        use etcetera::BaseStrategy;
        if let Some(dir) = std::env::var_os(STATE_DIR_VAR).filter(|d| !d.is_empty()) {
            return Some(Store::at(dir));
        }
        let base = etcetera::choose_base_strategy().ok()?;
        let root = base.state_dir().unwrap_or_else(|| base.data_dir());
        Some(Store::at(root.join("brief")))
    }

    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Everything remembered about the briefing at `path`.
    pub fn recall(&self, path: &Path) -> Recall {
        let key = briefing_key(path);
        let mut recall = Recall::default();
        let places: StateFile<PlaceEntry> = self.read_file(PLACES, &mut recall.warnings);
        let read: StateFile<ReadEntry> = self.read_file(READ, &mut recall.warnings);
        let marks: StateFile<MarksEntry> = self.read_file(MARKS, &mut recall.warnings);
        recall.memory = Memory {
            place: places
                .briefings
                .get(&key)
                .map(|e| (e.value.place, e.value.fingerprint)),
            read: read
                .briefings
                .get(&key)
                .map(|e| e.value.read.clone())
                .unwrap_or_default(),
            marks: marks
                .briefings
                .get(&key)
                .map(|e| e.value.marks.clone())
                .unwrap_or_default(),
        };
        recall
    }

    /// The sections read in each of `paths` (for the list of briefings).
    pub fn read_marks(&self, paths: &[PathBuf]) -> Vec<BTreeMap<SectionKey, u64>> {
        let read: StateFile<ReadEntry> = self.read_file(READ, &mut Vec::new());
        paths
            .iter()
            .map(|p| {
                read.briefings
                    .get(&briefing_key(p))
                    .map(|e| e.value.read.clone())
                    .unwrap_or_default()
            })
            .collect()
    }

    /// Save what is remembered about the briefing at `path`. Each file is
    /// re-read first so that another `brief` running meanwhile keeps its
    /// entries, and written only when this briefing's entry changed.
    pub fn remember(&self, path: &Path, memory: &Memory) -> Result<(), StateError> {
        self.sweep();
        let key = briefing_key(path);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.update_file(
            PLACES,
            &key,
            now,
            memory
                .place
                .map(|(place, fingerprint)| PlaceEntry { fingerprint, place }),
        )?;
        self.update_file(
            READ,
            &key,
            now,
            (!memory.read.is_empty()).then(|| ReadEntry {
                read: memory.read.clone(),
            }),
        )?;
        self.update_file(
            MARKS,
            &key,
            now,
            (!memory.marks.is_empty()).then(|| MarksEntry {
                marks: memory.marks.clone(),
            }),
        )
    }

    fn update_file<T>(
        &self,
        name: &str,
        key: &str,
        now: u64,
        value: Option<T>,
    ) -> Result<(), StateError>
    where
        T: Serialize + DeserializeOwned + PartialEq,
    {
        let mut file: StateFile<T> = self.read_file(name, &mut Vec::new());
        let unchanged = match (&value, file.briefings.get(key)) {
            (Some(v), Some(old)) => old.value == *v,
            (None, None) => true,
            _ => false,
        };
        if unchanged {
            return Ok(());
        }
        match value {
            Some(value) => {
                file.briefings
                    .insert(key.to_owned(), Stamped { time: now, value });
            }
            None => {
                file.briefings.remove(key);
            }
        }
        if file.briefings.len() > MAX_ENTRIES {
            let mut times: Vec<u64> = file.briefings.values().map(|e| e.time).collect();
            times.sort_unstable_by(|a, b| b.cmp(a));
            let cutoff = times[MAX_ENTRIES - 1];
            file.briefings.retain(|_, e| e.time >= cutoff);
        }
        let text = serde_json::to_string_pretty(&file).expect("state serialises to JSON");
        let path = self.dir.join(name);
        write_atomically(&path, text.as_bytes()).map_err(|source| StateError { path, source })
    }

    /// Remove temporary files left by a writer that was killed mid-write
    /// (older than a minute, so a write in progress elsewhere is safe).
    fn sweep(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let stale = |e: &fs::DirEntry| {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 60)
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(".brief-") && name.ends_with(".tmp") && stale(&entry) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Read one state file. Missing is empty; unreadable is set aside with
    /// a warning and empty.
    fn read_file<T: DeserializeOwned>(
        &self,
        name: &str,
        warnings: &mut Vec<String>,
    ) -> StateFile<T> {
        let path = self.dir.join(name);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return StateFile::default(),
            Err(e) => {
                warnings.push(format!("could not read {}: {e}", path.display()));
                return StateFile::default();
            }
        };
        match serde_json::from_slice::<StateFile<T>>(&bytes) {
            Ok(file) if file.version == 1 => file,
            Ok(file) => {
                warnings.push(format!(
                    "{} is from a newer brief (version {}); not using it",
                    path.display(),
                    file.version
                ));
                StateFile::default()
            }
            Err(e) => {
                let aside = path.with_extension("json.corrupt");
                let moved = fs::rename(&path, &aside).is_ok();
                warnings.push(if moved {
                    format!(
                        "{} was unreadable ({e}); set aside as {}",
                        path.display(),
                        aside.display()
                    )
                } else {
                    format!("{} is unreadable ({e}); ignoring it", path.display())
                });
                StateFile::default()
            }
        }
    }
}

/// How a briefing is known in the state files: its absolute path.
fn briefing_key(path: &Path) -> String {
    let absolute = fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf());
    absolute.to_string_lossy().into_owned()
}

/// Replace `path` with `bytes` so that at every moment the file is either
/// the old one or the new one: write a temporary file beside it, flush it
/// to disk, rename it over, and flush the directory.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".brief-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        // Makes the rename itself durable; some file systems refuse.
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{self, FormatHint};

    fn load(text: &str) -> Briefing {
        loader::load_bytes(text.as_bytes(), "t.md", FormatHint::Markdown).expect("loads")
    }

    fn place(section: SectionKey) -> Place {
        Place {
            section,
            index: 2,
            at: Some((1, 40)),
            above: 1,
        }
    }

    #[test]
    fn memory_round_trips() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::at(dir.path());
        let file = dir.path().join("b.md");
        fs::write(&file, "# A\n").expect("write");
        let memory = Memory {
            place: Some((place(7), 99)),
            read: BTreeMap::from([(1, 11), (2, 22)]),
            marks: BTreeMap::from([('a', place(3)), ('z', place(4))]),
        };
        store.remember(&file, &memory).expect("saves");
        let recall = store.recall(&file);
        assert_eq!(recall.memory, memory);
        assert!(recall.warnings.is_empty());
        // Another briefing is not affected, and is remembered beside it.
        let other = dir.path().join("c.md");
        fs::write(&other, "# C\n").expect("write");
        assert_eq!(store.recall(&other).memory, Memory::default());
        let second = Memory {
            place: Some((place(5), 1)),
            ..Memory::default()
        };
        store.remember(&other, &second).expect("saves");
        assert_eq!(store.recall(&file).memory, memory);
        assert_eq!(store.recall(&other).memory, second);
        // A relative and an absolute path name the same briefing.
        let read = store.read_marks(&[file.clone(), dir.path().join("./b.md")]);
        assert_eq!(read[0], memory.read);
        assert_eq!(read[1], memory.read);
    }

    #[test]
    fn forgetting_removes_the_entry() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::at(dir.path());
        let file = dir.path().join("b.md");
        let memory = Memory {
            marks: BTreeMap::from([('a', place(3))]),
            ..Memory::default()
        };
        store.remember(&file, &memory).expect("saves");
        store.remember(&file, &Memory::default()).expect("saves");
        assert_eq!(store.recall(&file).memory, Memory::default());
        let text = fs::read_to_string(dir.path().join(MARKS)).expect("file");
        assert!(!text.contains("b.md"), "{text}");
    }

    #[test]
    fn a_corrupt_file_is_set_aside_with_a_warning() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::at(dir.path());
        let file = dir.path().join("b.md");
        fs::write(
            dir.path().join(READ),
            b"{\"version\":1,\"briefings\":{\"x\"",
        )
        .expect("write");
        let recall = store.recall(&file);
        assert_eq!(recall.memory, Memory::default());
        assert_eq!(recall.warnings.len(), 1, "{:?}", recall.warnings);
        assert!(
            recall.warnings[0].contains("set aside"),
            "{:?}",
            recall.warnings
        );
        assert!(dir.path().join("read.json.corrupt").exists());
        // And saving works again afterwards.
        let memory = Memory {
            read: BTreeMap::from([(1, 2)]),
            ..Memory::default()
        };
        store.remember(&file, &memory).expect("saves");
        assert_eq!(store.recall(&file).memory, memory);
    }

    #[test]
    fn an_unwritable_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A file where the directory should be.
        let blocked = dir.path().join("state");
        fs::write(&blocked, "").expect("write");
        let store = Store::at(&blocked);
        let memory = Memory {
            read: BTreeMap::from([(1, 2)]),
            ..Memory::default()
        };
        let err = store
            .remember(&dir.path().join("b.md"), &memory)
            .expect_err("cannot write under a file");
        assert!(err.to_string().contains("could not save"), "{err}");
        // Reading from it is just empty.
        assert_eq!(
            store.recall(&dir.path().join("b.md")).memory,
            Memory::default()
        );
    }

    #[test]
    fn least_recently_used_briefings_are_forgotten() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::at(dir.path());
        let mut file: StateFile<ReadEntry> = StateFile::default();
        for i in 0..MAX_ENTRIES + 5 {
            file.briefings.insert(
                format!("/old/{i}"),
                Stamped {
                    time: i as u64,
                    value: ReadEntry {
                        read: BTreeMap::from([(1, 1)]),
                    },
                },
            );
        }
        let text = serde_json::to_string(&file).expect("json");
        fs::write(dir.path().join(READ), text).expect("write");
        let memory = Memory {
            read: BTreeMap::from([(9, 9)]),
            ..Memory::default()
        };
        let newest = dir.path().join("new.md");
        store.remember(&newest, &memory).expect("saves");
        let file: StateFile<ReadEntry> = store.read_file(READ, &mut Vec::new());
        assert_eq!(file.briefings.len(), MAX_ENTRIES);
        assert!(!file.briefings.contains_key("/old/0"));
        assert!(file.briefings.contains_key("/old/1004"));
        assert_eq!(store.recall(&newest).memory.read, memory.read);
    }

    #[test]
    fn keys_and_hashes_are_the_streamed_digests_read_state_was_saved_with() {
        // Keys and hashes are stored in read.json: they must never change.
        let b = load("# Intro\n\none\n\ntwo\n\n## Notes\n\nthree\n\n## Notes\n\n## Été\n\nfour\n");
        let mut seen: HashMap<(u8, String), u32> = HashMap::new();
        for ((s, key), hash) in b
            .sections
            .iter()
            .zip(section_keys(&b))
            .zip(section_hashes(&b))
        {
            let n = seen.entry((s.level, s.title.clone())).or_insert(0);
            let mut h = Xxh3::new();
            h.update(&[s.level]);
            h.update(s.title.as_bytes());
            h.update(&n.to_le_bytes());
            *n += 1;
            assert_eq!(key, h.digest(), "key of {:?}", s.title);
            let mut h = Xxh3::new();
            for block in &s.blocks {
                h.update(block.text.as_bytes());
                h.update(&[0]);
            }
            assert_eq!(hash, h.digest(), "hash of {:?}", s.title);
            assert_eq!(hash, section_hash(s));
        }
        assert_eq!(seen.len(), 3, "two sections share a title");
    }

    #[test]
    fn keys_follow_titles_and_hashes_follow_text() {
        let a = load("# Intro\n\none\n\n## Notes\n\ntwo\n\n## Notes\n\nthree\n");
        let b = load("# Intro\n\nONE changed\n\n## Notes\n\ntwo\n\n## Notes\n\nthree\n");
        let (ka, kb) = (section_keys(&a), section_keys(&b));
        assert_eq!(ka, kb, "same layout, same keys");
        assert_eq!(fingerprint(&ka), fingerprint(&kb));
        // Two sections with the same title still have different keys.
        assert_ne!(ka[1], ka[2]);
        let (ha, hb) = (section_hashes(&a), section_hashes(&b));
        assert_ne!(ha[0], hb[0], "changed text, changed hash");
        assert_eq!(ha[1..], hb[1..]);
        let c = load("# Intro\n\none\n\n## Notes\n\ntwo\n\n## Other\n\nthree\n");
        assert_ne!(fingerprint(&ka), fingerprint(&section_keys(&c)));
        assert_eq!(ka[..2], section_keys(&c)[..2]);
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("nested").join("f.json");
        write_atomically(&path, b"one").expect("write");
        write_atomically(&path, b"two").expect("write");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().expect("parent"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("f.json")]);
    }
}
