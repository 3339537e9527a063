//! A directory of briefings: the list shown when `brief` opens a folder.
//!
//! Scanning reads each briefing once for its title, date and size of its
//! outline; a file that fails to load stays in the list with its error, so
//! one bad file never hides the others. Newest first: by front-matter date,
//! else by the date in the file name, else by modification time.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::briefing::Format;
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
        let read = fs::read_dir(dir).map_err(|source| LibraryError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = read
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
        // On two threads, each with about half of the bytes to read.
        let sizes: Vec<u64> = paths
            .iter()
            .map(|p| fs::metadata(p).map_or(0, |m| m.len()))
            .collect();
        let total: u64 = sizes.iter().sum();
        let mut before = 0;
        let cut = sizes
            .iter()
            .position(|&size| {
                before += size;
                before * 2 >= total
            })
            .map_or(paths.len(), |k| k + 1);
        let (head, tail) = paths.split_at(cut);
        let read = |part: &[PathBuf]| -> Vec<Entry> {
            part.iter()
                .map(|p| read_entry(p.clone(), options))
                .collect()
        };
        let (mut entries, rest) = if tail.is_empty() {
            (read(head), Vec::new())
        } else {
            crate::parallel::on_two_threads(|| read(head), || read(tail))
        };
        entries.extend(rest);
        entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
        Ok(Library {
            dir: dir.to_path_buf(),
            entries,
        })
    }
}

fn read_entry(path: PathBuf, options: &LoadOptions) -> Entry {
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
    // The list needs no repeats marked: loaded as in the background.
    let progress = std::sync::atomic::AtomicU64::new(0);
    match loader::load_file_with_progress(&path, options, &progress) {
        Ok(b) => {
            let date = b
                .metadata
                .date
                .as_deref()
                .and_then(iso_date_prefix)
                .or_else(|| iso_date_prefix(&name))
                .unwrap_or(mtime_date);
            let keys = crate::state::section_keys(&b);
            Entry {
                keys,
                title: b.title,
                date,
                format: Some(b.format),
                sections: b.sections.len(),
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
    fn directory_without_briefings_is_an_error() {
        let dir = std::env::temp_dir().join(format!("brief-empty-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("notes.bin"), b"x").unwrap();
        let err = Library::scan(&dir, &LoadOptions::default()).unwrap_err();
        assert!(matches!(err, LibraryError::Empty { .. }));
        fs::remove_dir_all(&dir).unwrap();
    }
}
