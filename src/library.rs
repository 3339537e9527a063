//! A directory of briefings: the list shown when `brief` opens a folder.
//!
//! Scanning reads each briefing once for its title, date and size of its
//! outline; a file that fails to load stays in the list with its error, so
//! one bad file never hides the others. Newest first: by the briefing's
//! date (ISO, or written out: `3 December 2026`, an RFC's `January 2005`),
//! else by the date in the file name, else by modification time.
//!
//! The reader lists a folder at once from the first screenful of each file
//! ([`Library::scan_first`]), which has the title, the date and the format;
//! the outline of a larger file is counted after, in the background
//! ([`read_entry`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::briefing::{Briefing, Format};
use crate::loader::{self, LoadError, LoadOptions};

/// One file in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: PathBuf,
    pub title: String,
    /// `YYYY-MM-DD` when known.
    pub date: String,
    pub format: Option<Format>,
    pub sections: usize,
    /// Section identities, for counting the read ones (see `state`).
    pub keys: Vec<crate::state::SectionKey>,
    /// Only the first screenful was read ([`Library::scan_first`]):
    /// `sections` and `keys` are of that part, until [`read_entry`] reads
    /// the whole.
    pub partial: bool,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
}

/// The briefings of one directory, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    pub dir: PathBuf,
    pub entries: Vec<Entry>,
}

/// Why a directory cannot be listed.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: no briefings here (looked for .md, .markdown and .txt files)")]
    Empty { path: PathBuf },
}

impl Library {
    /// List and read the briefings in `dir`.
    pub fn scan(dir: &Path, options: &LoadOptions) -> Result<Library, LibraryError> {
        Library::scan_with(dir, options, |size| size, read_entry)
    }

    /// List the briefings in `dir` from the first screenful of each
    /// ([`loader::PREVIEW_BYTES`]): title, date and format, and the whole
    /// outline of a file no larger than that; a larger one is `partial`,
    /// for [`read_entry`] to finish.
    pub fn scan_first(dir: &Path, options: &LoadOptions) -> Result<Library, LibraryError> {
        Library::scan_with(
            dir,
            options,
            |size| size.min(loader::PREVIEW_BYTES),
            first_entry,
        )
    }

    /// List the briefings named on the command line (`brief reports/*.md`),
    /// as [`Library::scan_first`] lists a folder's; any file named counts,
    /// whatever its extension. Titled by the folder that holds them all.
    pub fn files_first(paths: &[PathBuf], options: &LoadOptions) -> Library {
        Library::of_files(
            paths,
            options,
            |size| size.min(loader::PREVIEW_BYTES),
            first_entry,
        )
    }

    /// [`Library::files_first`], each file read whole (for printing).
    pub fn files(paths: &[PathBuf], options: &LoadOptions) -> Library {
        Library::of_files(paths, options, |size| size, read_entry)
    }

    /// The files `paths`, each once, made with `read` (see
    /// [`Library::read_with`]).
    fn of_files(
        paths: &[PathBuf],
        options: &LoadOptions,
        cost: fn(u64) -> u64,
        read: fn(PathBuf, &LoadOptions) -> Entry,
    ) -> Library {
        let mut paths = paths.to_vec();
        paths.sort();
        paths.dedup();
        Library::read_with(common_folder(&paths), &paths, options, cost, read)
    }

    /// List `dir` and make each entry with `read` (see
    /// [`Library::read_with`]).
    fn scan_with(
        dir: &Path,
        options: &LoadOptions,
        cost: fn(u64) -> u64,
        read: fn(PathBuf, &LoadOptions) -> Entry,
    ) -> Result<Library, LibraryError> {
        let listed = fs::read_dir(dir).map_err(|source| LibraryError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = listed
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && loader::is_briefing_path(p))
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(LibraryError::Empty {
                path: dir.to_path_buf(),
            });
        }
        Ok(Library::read_with(
            dir.to_path_buf(),
            &paths,
            options,
            cost,
            read,
        ))
    }

    /// Make each entry of `paths` with `read`, on two threads, each with
    /// about half of the bytes that `cost` says `read` reads of a file of
    /// a size; newest first.
    fn read_with(
        dir: PathBuf,
        paths: &[PathBuf],
        options: &LoadOptions,
        cost: fn(u64) -> u64,
        read: fn(PathBuf, &LoadOptions) -> Entry,
    ) -> Library {
        let costs: Vec<u64> = paths
            .iter()
            .map(|p| cost(fs::metadata(p).map_or(0, |m| m.len())))
            .collect();
        let total: u64 = costs.iter().sum();
        let mut before = 0;
        let cut = costs
            .iter()
            .position(|&c| {
                before += c;
                before * 2 >= total
            })
            .map_or(paths.len(), |k| k + 1);
        let (head, tail) = paths.split_at(cut);
        let read_all = |part: &[PathBuf]| -> Vec<Entry> {
            part.iter().map(|p| read(p.clone(), options)).collect()
        };
        let (mut entries, rest) = if tail.is_empty() {
            (read_all(head), Vec::new())
        } else {
            crate::parallel::on_two_threads(|| read_all(head), || read_all(tail))
        };
        entries.extend(rest);
        let mut library = Library { dir, entries };
        library.sort();
        library
    }

    /// Newest first, then by path.
    pub fn sort(&mut self) {
        self.entries
            .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    }

    /// The entries only partly read (see [`Library::scan_first`]), in list
    /// order.
    pub fn partial(&self) -> Vec<PathBuf> {
        self.entries
            .iter()
            .filter(|e| e.partial)
            .map(|e| e.path.clone())
            .collect()
    }
}

/// The folder that holds every one of `paths` (`.` for bare names).
fn common_folder(paths: &[PathBuf]) -> PathBuf {
    let parent = |p: &PathBuf| {
        p.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let Some(mut common) = paths.first().map(parent) else {
        return PathBuf::from(".");
    };
    for path in &paths[1..] {
        while !path.starts_with(&common) && common != Path::new(".") {
            common = common
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        }
    }
    common
}

/// The entry for the briefing at `path`, read whole (repeats are not
/// marked: the list needs none).
pub fn read_entry(path: PathBuf, options: &LoadOptions) -> Entry {
    let loaded = loader::load_file_unmarked(&path, options).map(|b| (b, true));
    entry_of(path, loaded)
}

/// The entry for the briefing at `path` from its first screenful.
fn first_entry(path: PathBuf, options: &LoadOptions) -> Entry {
    let loaded = loader::load_preview(&path, options, loader::PREVIEW_BYTES);
    entry_of(path, loaded)
}

/// The entry for the briefing at `path`, given what loading it gave: the
/// briefing and whether it is the whole file, or why it could not be read.
fn entry_of(path: PathBuf, loaded: Result<(Briefing, bool), LoadError>) -> Entry {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mtime_date = fs::metadata(&path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| date_from_unix_days(d.as_secs() / 86_400))
        .unwrap_or_default();
    match loaded {
        Ok((b, whole)) => {
            let date = b
                .metadata
                .date
                .as_deref()
                .and_then(|d| iso_date_prefix(d).or_else(|| written_date(d)))
                .or_else(|| iso_date_prefix(&name))
                .unwrap_or(mtime_date);
            let keys = crate::state::section_keys(&b);
            Entry {
                keys,
                title: b.title,
                date,
                format: Some(b.format),
                sections: b.sections.len(),
                partial: !whole,
                error: None,
                path,
            }
        }
        Err(e) => Entry {
            title: name.clone(),
            date: iso_date_prefix(&name).unwrap_or(mtime_date),
            format: None,
            sections: 0,
            keys: Vec::new(),
            partial: false,
            error: Some(short_error(&e)),
            path,
        },
    }
}

fn short_error(e: &LoadError) -> String {
    match e {
        LoadError::Io { source, .. } => source.to_string(),
        LoadError::Unreadable { reason, .. } => reason.clone(),
        LoadError::TooLarge { size, .. } => format!("too large ({size} bytes)"),
        LoadError::IsDirectory { .. } => "a directory".to_owned(),
    }
}

/// `YYYY-MM-DD` at the start of `s` (after trimming), if it is one.
fn iso_date_prefix(s: &str) -> Option<String> {
    let s = s.trim().trim_matches('"');
    let b = s.as_bytes();
    let ok = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    ok.then(|| s[..10].to_owned())
}

/// A date as briefings write it (`3 December 2026`, `Nov. 3, 2025`,
/// `Wednesday, 18 November 2026 - 11:00`, an RFC's `January 2005`), in
/// the list's form: `2026-12-03`, or `2005-01` without a day. English
/// month names, full or cut short; the first date in `s`.
fn written_date(s: &str) -> Option<String> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        // Any word where the month goes: `loader::month_number` tells.
        let month = |name: &str| format!(r"(?P<{name}>[a-z]{{3,9}}\.?)");
        let day = |name: &str| format!(r"(?P<{name}>\d{{1,2}})(?:st|nd|rd|th)?");
        regex::Regex::new(&format!(
            r"(?i)\b(?:{d1}\s+{m1}|{m2}\s+{d2},?|{m3})\s*,?\s+(?P<y>(?:19|20|21)\d\d)\b",
            d1 = day("d1"),
            m1 = month("m1"),
            m2 = month("m2"),
            d2 = day("d2"),
            m3 = month("m3"),
        ))
        .expect("valid regex")
    });
    DATE.captures_iter(s).find_map(|caps| {
        let word = ["m1", "m2", "m3"].iter().find_map(|m| caps.name(m))?;
        let month = loader::month_number(word.as_str())?;
        let year = &caps["y"];
        match caps.name("d1").or_else(|| caps.name("d2")) {
            Some(day) => {
                let day: u32 = day.as_str().parse().ok()?;
                (1..=31)
                    .contains(&day)
                    .then(|| format!("{year}-{month:02}-{day:02}"))
            }
            None => Some(format!("{year}-{month:02}")),
        }
    })
}

/// The civil date of a count of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn date_from_unix_days(days: u64) -> String {
    let z = i64::try_from(days).unwrap_or(0) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_days_become_civil_dates() {
        assert_eq!(date_from_unix_days(0), "1970-01-01");
        assert_eq!(date_from_unix_days(20_454), "2026-01-01");
        assert_eq!(date_from_unix_days(11_016), "2000-02-29");
    }

    #[test]
    fn files_named_are_listed_under_the_folder_that_holds_them() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("a")).unwrap();
        let one = dir.path().join("a/one.md");
        let two = dir.path().join("two.log");
        fs::write(&one, "# One\n\ntext\n").unwrap();
        // Named, a file counts whatever its extension.
        fs::write(&two, "TWO\n\nDATE: 3 December 2026\n\nText.\n").unwrap();
        let library = Library::files_first(
            &[one.clone(), two.clone(), one.clone()],
            &LoadOptions::default(),
        );
        assert_eq!(library.dir, dir.path());
        let titles: Vec<&str> = library.entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles.len(), 2, "{titles:?}");
        assert!(
            titles.contains(&"One") && titles.contains(&"TWO"),
            "{titles:?}"
        );
        // A written date orders and shows the entry.
        let two_entry = library.entries.iter().find(|e| e.title == "TWO");
        assert_eq!(two_entry.map(|e| e.date.as_str()), Some("2026-12-03"));
        assert_eq!(
            common_folder(&[PathBuf::from("x.md"), PathBuf::from("y.md")]),
            Path::new(".")
        );
        assert_eq!(
            common_folder(&[PathBuf::from("a/b/x.md"), PathBuf::from("a/c/y.md")]),
            Path::new("a")
        );
    }

    #[test]
    fn written_dates_are_read() {
        for (written, date) in [
            ("3 December 2026", Some("2026-12-03")),
            ("Nov. 3, 2025", Some("2025-11-03")),
            ("December 3rd, 2026", Some("2026-12-03")),
            (
                "Wednesday, 18 November 2026 - 11:00 local time",
                Some("2026-11-18"),
            ),
            ("January 2005", Some("2005-01")),
            ("Sept. 2022", Some("2022-09")),
            ("Updated: March 4, 2024 at 9:30 am ET", Some("2024-03-04")),
            ("May the best win", None),
            ("42 November 2026", None),
            ("in 2026", None),
            ("Mayday 2026", None),
            ("Issued 3 December 2026", Some("2026-12-03")),
        ] {
            assert_eq!(written_date(written).as_deref(), date, "{written}");
        }
    }

    #[test]
    fn iso_dates_are_recognised_at_the_start() {
        assert_eq!(
            iso_date_prefix("2026-11-27T08:00:00Z"),
            Some("2026-11-27".into())
        );
        assert_eq!(
            iso_date_prefix("2026-11-27-brief.md"),
            Some("2026-11-27".into())
        );
        assert_eq!(iso_date_prefix("November 27"), None);
    }

    #[test]
    fn a_folder_is_listed_from_first_screenfuls_and_larger_files_read_after() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = String::from("---\ntitle: Harbour log\ndate: 2026-11-30\n---\n\n");
        for i in 1..=600 {
            log.push_str(&format!(
                "## Entry {i}\n\nVessel {i} berthed at the outer mark.\n\n"
            ));
        }
        assert!(log.len() as u64 > loader::PREVIEW_BYTES);
        fs::write(dir.path().join("log.md"), &log).unwrap();
        fs::write(
            dir.path().join("2026-12-01-note.md"),
            "# Note\n\n## One\n\nShort.\n",
        )
        .unwrap();
        let options = LoadOptions::default();
        let first = Library::scan_first(dir.path(), &options).unwrap();
        let whole = Library::scan(dir.path(), &options).unwrap();
        // The same list, in the same order, newest first.
        let paths = |l: &Library| l.entries.iter().map(|e| e.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&first), paths(&whole));
        let [note, log_first] = &first.entries[..] else {
            panic!("two entries: {:?}", first.entries);
        };
        assert_eq!(
            (note.title.as_str(), note.sections, note.partial),
            ("Note", 2, false)
        );
        assert_eq!(note, &whole.entries[0]);
        // The larger file: title, date and format from its first screenful,
        // its outline only in part until it is read whole.
        assert_eq!(log_first.title, "Harbour log");
        assert_eq!(log_first.date, "2026-11-30");
        assert_eq!(log_first.format, Some(Format::Markdown));
        assert!(log_first.partial && log_first.sections < 600);
        assert_eq!(first.partial(), std::slice::from_ref(&log_first.path));
        let log_whole = read_entry(log_first.path.clone(), &options);
        assert!(!log_whole.partial);
        assert_eq!(log_whole.sections, 600);
        assert_eq!(log_whole, whole.entries[1]);
        assert!(whole.partial().is_empty());
    }

    #[test]
    fn directory_without_briefings_is_an_error() {
        let dir = std::env::temp_dir().join(format!("brief-empty-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("notes.bin"), b"x").unwrap();
        let err = Library::scan(&dir, &LoadOptions::default()).unwrap_err();
        assert!(matches!(err, LibraryError::Empty { .. }));
        fs::remove_dir_all(&dir).unwrap();
    }
}
