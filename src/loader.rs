//! Bytes → [`Briefing`]: reading, decoding, sanitising and format sniffing.
//!
//! This module owns the boundary with the file system and with untrusted
//! bytes. It decides whether input is text at all, decodes it to UTF-8,
//! normalises line endings, makes control characters visible, and hands the
//! text to the Markdown or plain-text parser. It never renders and never
//! touches the terminal.

mod asciidoc;
mod html;
pub(crate) mod markdown;
pub(crate) mod pieces;
pub(crate) mod plain;
mod rst;
pub(crate) mod transcript;

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::briefing::{Briefing, Format, Warning};

/// Files larger than this are refused unless the caller raises the limit.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// Why a file could not be loaded. Every variant names the path.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error(
        "{path}: file is {size} bytes, over the limit of {limit} bytes (raise it with --max-size)"
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path}: is a directory")]
    IsDirectory { path: PathBuf },
}

/// Why a stream (standard input) could not be loaded. Every variant names
/// the stream.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("{name}: {source}")]
    Io {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{name}: {reason}")]
    Unreadable { name: String, reason: String },
    /// The stream goes on past the limit: its size is not known, only that
    /// it is larger.
    #[error("{name}: more than {limit} bytes, over the limit (raise it with --max-size)")]
    TooLarge { name: String, limit: u64 },
    /// Nothing but white space came: almost always a command before the
    /// pipe that failed, so it is reported rather than shown as a blank page.
    #[error("{name}: empty, nothing to read (did the command before the pipe fail?)")]
    Empty { name: String },
}

/// How errors name standard input.
pub const STDIN_NAME: &str = "standard input";

/// The title of a briefing from standard input that has none of its own.
pub const STDIN_TITLE: &str = "stdin";

/// Which parser to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormatHint {
    /// Decide from the extension, then from the content.
    #[default]
    Auto,
    Markdown,
    PlainText,
    /// A `.txt` file: plain text, unless its opening is plainly Markdown
    /// (see `sniff_text_file`), as notes and chat answers saved as text
    /// often are.
    TextFile,
    /// An HTML page, made into Markdown (see `html`).
    Html,
}

/// How to load a file.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub format: FormatHint,
    pub max_bytes: u64,
    /// Lines matching this pattern are headings (in Markdown: paragraphs
    /// of one matching line).
    pub heading: Option<regex::Regex>,
    /// The markup of a text read as plain text, if it needs cleaning
    /// first (set from the file's extension).
    pub markup: Markup,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            format: FormatHint::Auto,
            max_bytes: DEFAULT_MAX_BYTES,
            heading: None,
            markup: Markup::None,
        }
    }
}

/// A markup read as plain text whose lines are cleaned before they are
/// read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Markup {
    #[default]
    None,
    /// reStructuredText: inline markup and comments go (see `rst`).
    Rst,
    /// AsciiDoc: block syntax made plain, markup gone (see `asciidoc`).
    AsciiDoc,
}

/// Read and parse the briefing at `path`, repeats marked.
pub fn load_file(path: &Path, options: &LoadOptions) -> Result<Briefing, LoadError> {
    load_path(path, options, None, true)
}

/// Like [`load_file`], repeats not marked: for what does not show them
/// (the folder's list, the printed text), or marks them itself (see
/// [`crate::repeat::mark`]).
pub fn load_file_unmarked(path: &Path, options: &LoadOptions) -> Result<Briefing, LoadError> {
    load_path(path, options, None, false)
}

/// Like [`load_file`], for a background thread: `progress` counts the
/// bytes parsed so far, and repeats are left for the caller to find (see
/// `repeat::find`), so the outline is complete as soon as possible.
pub fn load_file_with_progress(
    path: &Path,
    options: &LoadOptions,
    progress: &AtomicU64,
) -> Result<Briefing, LoadError> {
    load_path(path, options, Some(progress), false)
}

fn load_path(
    path: &Path,
    options: &LoadOptions,
    progress: Option<&AtomicU64>,
    mark_repeats: bool,
) -> Result<Briefing, LoadError> {
    if let Some(briefing) = load_markdown_in_pieces(path, options, progress, mark_repeats)? {
        return Ok(briefing);
    }
    if let Some(p) = progress {
        p.store(0, Ordering::Relaxed);
    }
    let (bytes, name, options) = read_file(path, options, None)?;
    parse_bytes(bytes, &name, &options, progress, mark_repeats).map_err(|reason| {
        LoadError::Unreadable {
            path: path.to_path_buf(),
            reason,
        }
    })
}

/// Markdown files from this size up are read and parsed piece by piece.
const READ_IN_PIECES_FROM: u64 = 4 * 1024 * 1024;
/// How much of a file the scan for pieces reads at a time.
const SCAN_BLOCK: usize = 1024 * 1024;

/// Load a large Markdown file without ever holding its whole text: one pass
/// reads it a block at a time to plan pieces (see [`pieces`]) and to check
/// that it is UTF-8 text that needs no normalising, then each piece is read
/// again when a thread parses it (see `markdown::parse_file_in_pieces`).
/// The model is then the only copy of the text in memory.
///
/// `Ok(None)` when the file is not one for this way and must be loaded
/// whole: small, plain text, with a byte-order mark, a NUL byte, invalid
/// UTF-8, characters to normalise or form feeds, unprintable at the top,
/// without places to cut, or changed while it was read. Errors are only
/// those of reading it.
fn load_markdown_in_pieces(
    path: &Path,
    options: &LoadOptions,
    progress: Option<&AtomicU64>,
    mark_repeats: bool,
) -> Result<Option<Briefing>, LoadError> {
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let Ok(meta) = fs::metadata(path) else {
        return Ok(None);
    };
    let options = options_for(path, options);
    let hint = options.format;
    if !meta.is_file()
        || meta.len() < READ_IN_PIECES_FROM
        || meta.len() > options.max_bytes
        || !matches!(
            hint,
            FormatHint::Markdown | FormatHint::Auto | FormatHint::TextFile
        )
        || options.heading.is_some()
    {
        return Ok(None);
    }
    let Some(plan) = plan_pieces(path, meta.len(), options.max_bytes, hint).map_err(io_err)? else {
        return Ok(None);
    };
    if plan.pieces.len() < 2 {
        return Ok(None);
    }
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let name = sanitize_line(&name);
    let parsed =
        crate::guard::contain(|| markdown::parse_file_in_pieces(path, &plan, &name, progress))
            .map_err(|message| LoadError::Unreadable {
                path: path.to_path_buf(),
                reason: format!("the Markdown parser failed ({message})"),
            })?;
    // Read twice: a file changed in between may mix two versions (an edit
    // of the same length keeps every piece valid UTF-8). Load it whole.
    let unchanged = |m: &fs::Metadata| (m.len(), m.modified().ok());
    let changed = fs::metadata(path).map_or(true, |now| unchanged(&now) != unchanged(&meta));
    let Some(mut briefing) = parsed.filter(|_| !changed) else {
        return Ok(None);
    };
    briefing.add_facts();
    if mark_repeats {
        crate::repeat::mark(&mut briefing);
    }
    Ok(Some(briefing))
}

/// Whether a text is an HTML page: it opens (after white space) with a
/// doctype or an `<html>` tag.
fn looks_like_html(text: &str) -> bool {
    // Bytes, not a `str` cut: a cut inside a character (`<p>日本…`) must
    // not fall back to lower-casing the whole text.
    let head = text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .as_bytes();
    let opens = |tag: &str| {
        head.get(..tag.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(tag.as_bytes()))
    };
    opens("<!doctype html") || opens("<html")
}

/// Plan the pieces of the Markdown file at `path`, of `len` bytes, reading
/// it a block at a time (see [`scan_for_pieces`]). Where there are two
/// cores its two halves are planned at once, cut after an empty line near
/// the middle; the second half is planned again after the first when the
/// first ends in code or an HTML block (see [`pieces::Planner::join`]).
/// `Ok(None)` when the file is not one to load in pieces.
fn plan_pieces(
    path: &Path,
    len: u64,
    max_bytes: u64,
    hint: FormatHint,
) -> io::Result<Option<pieces::Plan>> {
    let target = markdown::PIECE_BYTES;
    let scan = |planner, end| scan_for_pieces(path, planner, end, max_bytes, hint);
    let half = if crate::parallel::cores() > 1 {
        empty_line_near(path, len / 2)?
    } else {
        None
    };
    let Some(half) = half.and_then(|h| usize::try_from(h).ok()) else {
        return Ok(scan(pieces::Planner::new(target), None)?.map(pieces::Planner::finish));
    };
    let (head, tail) = crate::parallel::on_two_threads(
        || scan(pieces::Planner::new(target), Some(half as u64)),
        || scan(pieces::Planner::after_empty_line(target, half), None),
    );
    let (Some(head), Some(tail)) = (head?, tail?) else {
        return Ok(None);
    };
    if head.offset() != half {
        // The file changed: it is loaded whole.
        return Ok(None);
    }
    let planner = if head.ends_clear() {
        Some(head.join(tail))
    } else {
        scan(head, None)?
    };
    Ok(planner.map(pieces::Planner::finish))
}

/// Feed the lines of the file at `path` from `planner`'s offset to `end`
/// (or its end) to `planner`, reading a block at a time. `Ok(None)` when
/// the file is not one to load in pieces (see [`load_markdown_in_pieces`]):
/// more than `max_bytes`, or a part that needs care. The checks of the
/// text's top (a byte-order mark, printable, Markdown by its content when
/// `hint` is `Auto`) are made when `planner` starts there.
fn scan_for_pieces(
    path: &Path,
    mut planner: pieces::Planner,
    end: Option<u64>,
    max_bytes: u64,
    hint: FormatHint,
) -> io::Result<Option<pieces::Planner>> {
    let start = planner.offset() as u64;
    let mut file = open_at(
        path,
        start,
        end.map_or(u64::MAX, |end| end.saturating_sub(start)),
    )?;
    let mut block: Vec<u8> = Vec::with_capacity(SCAN_BLOCK * 2);
    let mut first = start == 0;
    let mut total = start;
    loop {
        let kept = block.len();
        let read = (&mut file)
            .take(SCAN_BLOCK as u64)
            .read_to_end(&mut block)?;
        total += read as u64;
        if total > max_bytes {
            return Ok(None);
        }
        let at_end = read == 0;
        // Whole lines only, but for the last.
        let cut = if at_end {
            block.len()
        } else {
            match whole_lines(&block[kept..]) {
                0 => continue,
                n => kept + n,
            }
        };
        let lines = &block[..cut];
        if first && lines.starts_with(b"\xEF\xBB\xBF") {
            return Ok(None);
        }
        if memchr::memchr2(0, 0x0C, lines).is_some() || needs_normalising(lines) {
            return Ok(None);
        }
        let Ok(text) = std::str::from_utf8(lines) else {
            return Ok(None);
        };
        if first {
            first = false;
            if printable(text).is_err()
                || (hint == FormatHint::Auto && sniff(text) != Format::Markdown)
                || (hint == FormatHint::TextFile && sniff_text_file(text) != Format::Markdown)
            {
                return Ok(None);
            }
        }
        planner.lines(text);
        block.drain(..cut);
        if at_end {
            return Ok(Some(planner));
        }
    }
}

/// The offset of the first line after an empty line (`\n\n`) from `near`
/// on, within a block's reach; `None` if there is none there.
fn empty_line_near(path: &Path, near: u64) -> io::Result<Option<u64>> {
    const REACH: u64 = 64 * 1024;
    let mut bytes = Vec::with_capacity(REACH as usize);
    open_at(path, near, REACH)?.read_to_end(&mut bytes)?;
    Ok(memchr::memmem::find(&bytes, b"\n\n").map(|at| near + at as u64 + 2))
}

/// The file at `path` from byte `start` on, `len` bytes of it at most: for
/// the parts of a large file that are read on their own.
fn open_at(path: &Path, start: u64, len: u64) -> io::Result<io::Take<fs::File>> {
    use std::io::{Seek, SeekFrom};
    let mut file = fs::File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    Ok(file.take(len))
}

/// How much of a file is read before the first screen is drawn; larger
/// files finish loading in the background. A screen of 40 rows shows a few
/// KiB of text; 16 KiB parses in well under a millisecond (64 KiB took 1.3
/// ms of the 3 ms to the first frame).
pub const PREVIEW_BYTES: u64 = 16 * 1024;

/// The first screenful of a large file, fast: at most `limit` bytes are
/// read and parsed (cut at the last line break). Returns the briefing and
/// whether it is the whole file. Repeats are not marked.
pub fn load_preview(
    path: &Path,
    options: &LoadOptions,
    limit: u64,
) -> Result<(Briefing, bool), LoadError> {
    let (mut bytes, name, options) = read_file(path, options, Some(limit))?;
    let size = fs::metadata(path).map_or(0, |m| m.len());
    let complete = bytes.len() as u64 >= size;
    if !complete {
        cut_after_last_line(&mut bytes);
    }
    let briefing = parse_bytes(bytes, &name, &options, None, complete).map_err(|reason| {
        LoadError::Unreadable {
            path: path.to_path_buf(),
            reason,
        }
    })?;
    Ok((briefing, complete))
}

/// Cut the first part of a text after its last line break, so that its
/// last line (and character) is whole; a part without one is left as it is.
fn cut_after_last_line(bytes: &mut Vec<u8>) {
    if let cut @ 1.. = whole_lines(bytes) {
        bytes.truncate(cut);
    }
}

/// How many bytes of the start of a text are whole lines: up to and with
/// its last line break (0 without one).
fn whole_lines(bytes: &[u8]) -> usize {
    bytes.iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1)
}

/// Read a whole stream (standard input) and parse it, repeats not marked
/// (see [`crate::repeat::mark`]: printing the text does not need them). At
/// most `max_bytes + 1` bytes are read: a longer stream is refused without
/// being read to its end. The format comes from `options`, or from the
/// content when it says `Auto`; a briefing without a title of its own is
/// titled [`STDIN_TITLE`]. Input of nothing but white space is refused.
/// Errors name the stream as [`STDIN_NAME`].
pub fn load_stdin(mut input: impl Read, options: &LoadOptions) -> Result<Briefing, StreamError> {
    let mut bytes = Vec::new();
    let name = StreamName::stdin();
    read_stream(&mut input, &name, &mut bytes, options.max_bytes, None, None)?;
    parse_stream(bytes, &name, options, false)
}

/// How a stream is named: in errors, and as the title of a briefing
/// without one of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamName {
    pub name: String,
    pub title: String,
}

impl StreamName {
    /// Standard input: [`STDIN_NAME`], titled [`STDIN_TITLE`].
    pub fn stdin() -> StreamName {
        StreamName {
            name: STDIN_NAME.to_owned(),
            title: STDIN_TITLE.to_owned(),
        }
    }
}

/// Whether `path` is something to read as a stream rather than a file: it
/// is there but neither a regular file nor a folder (a named pipe, such as
/// the `/dev/fd/63` of a shell's `<(command)`, or a device). Its size says
/// nothing of how much it holds, so its first screenful cannot be told
/// from the whole.
pub fn is_stream_path(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Open the stream at `path` (see [`is_stream_path`]): the open file, its
/// name (its path in errors, its file name as the fallback title, or its
/// path when that is a descriptor's number) and the
/// options to load it with (the format hint from its extension, as for a
/// file).
pub fn open_stream(
    path: &Path,
    options: &LoadOptions,
) -> Result<(fs::File, StreamName, LoadOptions), LoadError> {
    let file = fs::File::open(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // A descriptor's name (the `63` of `/dev/fd/63`, from `<(command)`)
    // says nothing: the whole path stands in, as `less` shows it.
    let title = match path.file_name().map(|n| n.to_string_lossy()) {
        Some(n) if !n.bytes().all(|b| b.is_ascii_digit()) => n.into_owned(),
        _ => path.display().to_string(),
    };
    let name = StreamName {
        name: path.display().to_string(),
        title,
    };
    Ok((file, name, options_for(path, options)))
}

/// The start of a stream, as [`load_stream_start`] reads it.
#[derive(Debug)]
pub enum StreamStart {
    /// The stream ended within the first screenful: the whole briefing,
    /// repeats marked.
    Whole(Briefing),
    /// The first screenful, parsed (repeats not marked), and every byte
    /// read so far, for [`load_stream_rest`] to go on from.
    Part { preview: Briefing, head: Vec<u8> },
}

/// Read at most `limit` bytes of a stream: the whole briefing if it ends
/// there, else its first screenful (cut at the last line break), so that
/// the reader can show it while [`load_stream_rest`] reads the rest. A read
/// that fails with [`io::ErrorKind::TimedOut`] after something came ends
/// the first part there too. A stream that ends within `limit` is checked
/// as [`load_stdin`] checks it; the limits on a longer one are checked by
/// [`load_stream_rest`].
pub fn load_stream_start(
    input: &mut impl Read,
    name: &StreamName,
    options: &LoadOptions,
    limit: u64,
) -> Result<StreamStart, StreamError> {
    let mut head = Vec::new();
    // One byte over the limit is enough to refuse it.
    let cap = limit.min(options.max_bytes.saturating_add(1));
    // A stream that stops coming for a while (see `background::Pipe`)
    // shows what has come so far; the rest is read as the rest of a
    // longer one.
    let waited = match input.take(cap).read_to_end(&mut head) {
        Ok(_) => false,
        Err(e) if e.kind() == io::ErrorKind::TimedOut && !head.is_empty() => true,
        Err(source) => {
            return Err(StreamError::Io {
                name: name.name.clone(),
                source,
            });
        }
    };
    if head.len() as u64 > options.max_bytes {
        return Err(StreamError::TooLarge {
            name: name.name.clone(),
            limit: options.max_bytes,
        });
    }
    if (head.len() as u64) < cap && !waited {
        return parse_stream(head, name, options, true).map(StreamStart::Whole);
    }
    let preview = preview_of(&head, name, options)?;
    Ok(StreamStart::Part { preview, head })
}

/// What has come of a stream so far, up to its last line break, parsed
/// (repeats not marked).
fn preview_of(
    bytes: &[u8],
    name: &StreamName,
    options: &LoadOptions,
) -> Result<Briefing, StreamError> {
    let mut first = bytes.to_vec();
    cut_after_last_line(&mut first);
    parse_bytes(first, &name.title, options, None, false).map_err(|reason| {
        StreamError::Unreadable {
            name: name.name.clone(),
            reason,
        }
    })
}

/// Shows a stream's briefing as it grows while its writer takes its time
/// (a command that prints a report as it goes): what has come is parsed,
/// up to its last line, and handed to `show` whenever the writer pauses (a
/// read fails with [`io::ErrorKind::TimedOut`]; see `background::Pipe`) or,
/// while it trickles on, every [`GROW_EVERY`].
///
/// Only while what has come is at most [`GROW_LIMIT`] (past it, the stream
/// is read to its end as before), and never sooner than ten times the last
/// parse took after it: the parses of the parts cost about a tenth of the
/// time at most.
pub struct Growth<'a> {
    name: &'a StreamName,
    options: &'a LoadOptions,
    show: &'a mut dyn FnMut(Briefing),
    /// Bytes of the stream the reader shows.
    shown: usize,
    /// When the last part was shown, and how long parsing it took.
    since: Instant,
    cost: Duration,
}

/// How often a stream that trickles on without pausing is shown anew.
pub const GROW_EVERY: Duration = Duration::from_secs(1);

/// The largest stream shown as it grows.
pub const GROW_LIMIT: usize = 4 * 1024 * 1024;

impl<'a> Growth<'a> {
    /// Show the briefing of a stream that grows beyond its first `shown`
    /// bytes through `show`.
    pub fn new(
        name: &'a StreamName,
        options: &'a LoadOptions,
        shown: usize,
        show: &'a mut dyn FnMut(Briefing),
    ) -> Growth<'a> {
        Growth {
            name,
            options,
            show,
            shown,
            since: Instant::now(),
            cost: Duration::ZERO,
        }
    }

    /// The stream has come to `bytes`; `paused`: its writer has paused.
    fn grew(&mut self, bytes: &[u8], paused: bool) {
        if bytes.len() > GROW_LIMIT {
            return;
        }
        let lines = whole_lines(bytes);
        let waited = self.since.elapsed();
        if lines <= self.shown || waited < self.cost * 10 || (!paused && waited < GROW_EVERY) {
            return;
        }
        let start = Instant::now();
        // A part that does not parse (nothing but white space so far) is
        // not shown; the whole stream's errors are told at its end.
        if let Ok(part) = preview_of(&bytes[..lines], self.name, self.options) {
            (self.show)(part);
        }
        self.cost = start.elapsed();
        self.shown = lines;
        self.since = Instant::now();
    }
}

/// Read the rest of a stream that [`load_stream_start`] began (`head` is
/// what it read) and parse the whole, repeats not marked (as a file loaded
/// in the background), with the same limits and errors as [`load_stdin`].
/// `read` counts the bytes read so far, as they come. Meanwhile, the
/// briefing of what has come is handed to `show` as it grows (see
/// [`Growth`]), when `input` tells pauses.
pub fn load_stream_rest(
    head: Vec<u8>,
    mut input: impl Read,
    name: &StreamName,
    options: &LoadOptions,
    read: &AtomicU64,
    show: &mut dyn FnMut(Briefing),
) -> Result<Briefing, StreamError> {
    let mut growth = Growth::new(name, options, whole_lines(&head), show);
    let mut bytes = head;
    read_stream(
        &mut input,
        name,
        &mut bytes,
        options.max_bytes,
        Some(read),
        Some(&mut growth),
    )?;
    parse_stream(bytes, name, options, false)
}

/// Append the rest of `input` to `bytes`, counting in `read` what each
/// read brings (a slow writer's bytes show as they come, not once a buffer
/// is full), and refusing a stream longer than `max_bytes` as soon as it
/// is. With `growth`, a read that fails with [`io::ErrorKind::TimedOut`]
/// is the writer pausing: what has come may be shown, and reading goes on.
fn read_stream(
    input: &mut impl Read,
    name: &StreamName,
    bytes: &mut Vec<u8>,
    max_bytes: u64,
    read: Option<&AtomicU64>,
    mut growth: Option<&mut Growth<'_>>,
) -> Result<(), StreamError> {
    // At most this much per read: what a pipe holds.
    const STEP: usize = 64 * 1024;
    let mut step = vec![0; STEP];
    let count = |bytes: &Vec<u8>| {
        if let Some(read) = read {
            read.store(bytes.len() as u64, Ordering::Relaxed);
        }
    };
    count(bytes);
    loop {
        let room = max_bytes
            .saturating_add(1)
            .saturating_sub(bytes.len() as u64);
        let want = usize::try_from(room).map_or(STEP, |room| room.min(STEP));
        let got = loop {
            match (input.read(&mut step[..want]), growth.as_mut()) {
                (Err(e), _) if e.kind() == io::ErrorKind::Interrupted => {}
                (Err(e), Some(growth)) if e.kind() == io::ErrorKind::TimedOut => {
                    growth.grew(bytes, true);
                }
                (other, _) => break other,
            }
        };
        let got = got.map_err(|source| StreamError::Io {
            name: name.name.clone(),
            source,
        })?;
        bytes.extend_from_slice(&step[..got]);
        count(bytes);
        if let Some(growth) = growth.as_mut()
            && got > 0
        {
            growth.grew(bytes, false);
        }
        if bytes.len() as u64 > max_bytes {
            return Err(StreamError::TooLarge {
                name: name.name.clone(),
                limit: max_bytes,
            });
        }
        if got == 0 {
            return Ok(());
        }
    }
}

/// Parse a whole stream's bytes; nothing but white space is refused.
fn parse_stream(
    bytes: Vec<u8>,
    name: &StreamName,
    options: &LoadOptions,
    mark_repeats: bool,
) -> Result<Briefing, StreamError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(StreamError::Empty {
            name: name.name.clone(),
        });
    }
    parse_bytes(bytes, &name.title, options, None, mark_repeats).map_err(|reason| {
        StreamError::Unreadable {
            name: name.name.clone(),
            reason,
        }
    })
}

/// Read the file (or its first `limit` bytes), checking size and kind, and
/// work out its name and format hint.
fn read_file(
    path: &Path,
    options: &LoadOptions,
    limit: Option<u64>,
) -> Result<(Vec<u8>, String, LoadOptions), LoadError> {
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(LoadError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > options.max_bytes {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: options.max_bytes,
        });
    }
    // `--max-size` may be as large as u64 goes.
    let over = options.max_bytes.saturating_add(1);
    let want = limit.unwrap_or(over).min(over);
    let capacity = meta.len().min(want);
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    fs::File::open(path)
        .and_then(|f| f.take(want).read_to_end(&mut bytes))
        .map_err(io_err)?;
    if bytes.len() as u64 > options.max_bytes {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: options.max_bytes,
        });
    }
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok((bytes, name, options_for(path, options)))
}

/// Extensions of Markdown files.
const MARKDOWN_EXTENSIONS: [&str; 6] = ["md", "markdown", "mdown", "mkd", "mkdn", "mdwn"];

/// Extensions of plain text: read as plain text unless plainly Markdown
/// (see [`sniff_text_file`]).
const TEXT_EXTENSIONS: [&str; 2] = ["txt", "text"];

/// Extensions of the markups read as plain text: reStructuredText (its
/// underlined headings are the plain loader's own), AsciiDoc and Org
/// (their headings are found by [`dialect_heading`]). Their syntax is not
/// Markdown's: sniffed, a `~~~` underline read as a fence and hid the rest
/// of a file.
const MARKUP_EXTENSIONS: [&str; 5] = ["rst", "rest", "adoc", "asciidoc", "org"];

/// Extensions of HTML pages, made into Markdown (see `html`).
const HTML_EXTENSIONS: [&str; 3] = ["html", "htm", "xhtml"];

/// A path's extension, in lower case.
fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The format a file's extension (in lower case) says.
fn hint_from_extension(ext: &str) -> FormatHint {
    if MARKDOWN_EXTENSIONS.contains(&ext) {
        FormatHint::Markdown
    } else if TEXT_EXTENSIONS.contains(&ext) {
        FormatHint::TextFile
    } else if MARKUP_EXTENSIONS.contains(&ext) {
        FormatHint::PlainText
    } else if HTML_EXTENSIONS.contains(&ext) {
        FormatHint::Html
    } else {
        FormatHint::Auto
    }
}

/// The heading pattern of a markup read as plain text whose headings are
/// marked at the start of the line, by its extension: AsciiDoc's `==
/// Section` and Org's `** Section` (levels by the marks; see
/// `plain::pattern_level`). Built once: a folder may hold many.
fn dialect_heading(ext: &str) -> Option<regex::Regex> {
    static ASCIIDOC: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"^={1,6}[ \t]+\S").expect("valid regex"));
    static ORG: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"^\*+[ \t]+\S").expect("valid regex"));
    match ext {
        "adoc" | "asciidoc" => Some(ASCIIDOC.clone()),
        "org" => Some(ORG.clone()),
        _ => None,
    }
}

/// `options` for the file at `path`: the format from its extension when
/// it is to be guessed, and its markup's heading pattern when none was
/// given.
fn options_for(path: &Path, options: &LoadOptions) -> LoadOptions {
    let ext = extension(path);
    let format = match options.format {
        FormatHint::Auto => hint_from_extension(&ext),
        other => other,
    };
    let plain = format == FormatHint::PlainText;
    let heading = match &options.heading {
        Some(pattern) => Some(pattern.clone()),
        None if plain => dialect_heading(&ext),
        None => None,
    };
    let markup = match ext.as_str() {
        "rst" | "rest" if plain => Markup::Rst,
        "adoc" | "asciidoc" if plain => Markup::AsciiDoc,
        _ => options.markup,
    };
    LoadOptions {
        format,
        heading,
        max_bytes: options.max_bytes,
        markup,
    }
}

/// Whether a path looks like a briefing by its extension (used to list a
/// directory).
pub fn is_briefing_path(path: &Path) -> bool {
    let ext = extension(path);
    [
        &MARKDOWN_EXTENSIONS[..],
        &TEXT_EXTENSIONS,
        &MARKUP_EXTENSIONS,
        &HTML_EXTENSIONS,
    ]
    .iter()
    .any(|list| list.contains(&ext.as_str()))
}

/// Whether a line broken after or before `c` is joined again without a
/// space: a character of a script written without spaces between words
/// ([`crate::highlight::is_unspaced_script`]) but Korean, which spaces its
/// words, or the full-width punctuation and forms that go with them.
pub fn joins_without_space(c: char) -> bool {
    (crate::highlight::is_unspaced_script(c) && !('\u{AC00}'..='\u{D7AF}').contains(&c))
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF60}')
}

/// Whether `next` goes on from `out` with no space between (see
/// [`joins_without_space`]): both loaders join lines so.
pub(crate) fn joins_unspaced(out: &str, next: &str) -> bool {
    // Most text is ASCII, which always takes its space.
    out.as_bytes().last().is_some_and(|&b| b >= 0x80)
        && next.as_bytes().first().is_some_and(|&b| b >= 0x80)
        && out.chars().next_back().is_some_and(joins_without_space)
        && next.chars().next().is_some_and(joins_without_space)
}

/// The pulldown-cmark options the Markdown loader parses with (for tests
/// and benchmarks that compare with pulldown-cmark alone).
pub fn markdown_options() -> pulldown_cmark::Options {
    markdown::options()
}

/// Parse bytes that came from `name`. Fails (with a reason) when the bytes
/// are not text, or when a parser fails on them.
pub fn load_bytes(bytes: &[u8], name: &str, hint: FormatHint) -> Result<Briefing, String> {
    let options = LoadOptions {
        format: hint,
        ..LoadOptions::default()
    };
    load_bytes_with(bytes, name, &options)
}

/// Parse bytes that came from `name` as `options` say (`max_bytes` aside:
/// the bytes are already read), repeats marked.
pub fn load_bytes_with(
    bytes: &[u8],
    name: &str,
    options: &LoadOptions,
) -> Result<Briefing, String> {
    parse_bytes(bytes.to_vec(), name, options, None, true)
}

/// The one load path: decode (without copying valid UTF-8), normalise
/// (without copying clean text), parse, and optionally mark repeats.
fn parse_bytes(
    bytes: Vec<u8>,
    name: &str,
    options: &LoadOptions,
    progress: Option<&AtomicU64>,
    mark_repeats: bool,
) -> Result<Briefing, String> {
    let hint = options.format;
    let heading = options.heading.as_ref();
    let markup = options.markup;
    // The name can stand in for the title: it is text from outside too.
    let name = &sanitize_line(name);
    let mut warnings = Vec::new();
    let Decoded {
        text: decoded,
        clean,
    } = decode(bytes, &mut warnings)?;
    let normalised = if clean {
        None
    } else {
        match normalise(&decoded) {
            std::borrow::Cow::Owned(normalised) => Some(normalised),
            std::borrow::Cow::Borrowed(_) => None,
        }
    };
    // One text, owned: the plain-text loader lets it go bit by bit.
    let text = normalised.unwrap_or(decoded);
    let format = match hint {
        FormatHint::Markdown => Format::Markdown,
        FormatHint::Html => Format::Html,
        FormatHint::PlainText => Format::PlainText,
        FormatHint::TextFile => sniff_text_file(&text),
        FormatHint::Auto => sniff(&text),
    };
    // The source text is not needed after parsing: it goes (in the
    // closure) before the model is worked on further.
    let parsed = crate::guard::contain(move || match format {
        Format::Html => {
            let markdown = html::to_markdown(&text);
            drop(text);
            let mut briefing =
                markdown::parse_with_progress(&markdown, name, progress, heading.is_none());
            if let Some(pattern) = heading {
                plain::promote_heading_paragraphs(&mut briefing, pattern);
            }
            briefing.format = Format::Html;
            briefing
        }
        Format::Markdown => {
            let text: std::borrow::Cow<'_, str> =
                if memchr::memchr(b'\x0C', text.as_bytes()).is_some() {
                    text.replace('\x0C', "\n").into()
                } else {
                    std::borrow::Cow::Borrowed(&text)
                };
            let mut briefing =
                markdown::parse_with_progress(&text, name, progress, heading.is_none());
            if let Some(pattern) = heading {
                plain::promote_heading_paragraphs(&mut briefing, pattern);
            }
            briefing
        }
        Format::PlainText => match markup {
            Markup::Rst => plain::parse(rst::clean(&text), name, heading),
            Markup::AsciiDoc => plain::parse(asciidoc::clean(&text), name, heading),
            Markup::None => plain::parse(text, name, heading),
        },
    });
    let mut briefing =
        parsed.map_err(|message| format!("the {} parser failed ({message})", format.name()))?;
    warnings.append(&mut briefing.warnings);
    briefing.warnings = warnings;
    briefing.add_facts();
    // No loader leaves a tab but between table cells: the plain-text
    // loader expands them in its source before it reads a line.
    if mark_repeats {
        crate::repeat::mark(&mut briefing);
    }
    Ok(briefing)
}

/// Decode bytes to text. A byte-order mark decides (UTF-8, UTF-16 LE/BE),
/// then the NULs of UTF-16 without one; otherwise UTF-8 when the bytes are UTF-8 with at most a few bad
/// sequences (replaced and reported once, with the byte offset of the
/// first), else a legacy single-byte encoding guessed by chardetng
/// (Windows-1252 and Latin-1 for Western text), reported as a warning.
/// Refuses binary data.
fn decode(bytes: Vec<u8>, warnings: &mut Vec<Warning>) -> Result<Decoded, String> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            warnings.push(Warning::new(
                None,
                format!("invalid {} replaced with U+FFFD", encoding.name()),
            ));
        }
        return check_printable(text.into_owned()).map(Decoded::unchecked);
    }
    if let Some(encoding) = utf16_without_bom(&bytes) {
        // A last odd byte is half a code unit: a cut-off file or preview.
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[..bytes.len() & !1]);
        let mut message = format!("no byte-order mark: decoded as {}", encoding.name());
        if had_errors {
            message.push_str(" (some bytes replaced with U+FFFD)");
        }
        warnings.push(Warning::new(None, message));
        return check_printable(text.into_owned()).map(Decoded::unchecked);
    }
    let nul = |bytes: &[u8]| {
        memchr::memchr(0, bytes).map(|pos| format!("not a text file (NUL byte at offset {pos})"))
    };
    let e = match String::from_utf8(bytes) {
        Ok(s) => {
            // A NUL byte is a control character: only text that needs
            // normalising can hold one, and most text does not.
            let clean = !needs_normalising_anywhere(s.as_bytes());
            if let Some(binary) = nul(s.as_bytes()).filter(|_| !clean) {
                return Err(binary);
            }
            return check_printable(s).map(|text| Decoded { text, clean });
        }
        Err(e) => e,
    };
    let bytes = e.as_bytes();
    if let Some(binary) = nul(bytes) {
        return Err(binary);
    }
    let text = if is_mostly_utf8(bytes) {
        let (text, mended) = mend_utf8(bytes);
        let offset = e.utf8_error().valid_up_to();
        let message = match mended {
            Mended { legacy: 0, .. } => {
                format!("invalid UTF-8 at byte offset {offset}; replaced with U+FFFD")
            }
            Mended {
                legacy,
                replaced: 0,
            } => format!(
                "invalid UTF-8 at byte offset {offset}: {legacy} {} read as windows-1252",
                if legacy == 1 { "byte" } else { "bytes" }
            ),
            Mended { legacy, replaced } => format!(
                "invalid UTF-8 at byte offset {offset}: {legacy} {} read as windows-1252, \
                 {replaced} replaced with U+FFFD",
                if legacy == 1 { "byte" } else { "bytes" }
            ),
        };
        warnings.push(Warning::new(None, message));
        text
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
        let (text, _, had_errors) = encoding.decode(bytes);
        let mut message = format!("not UTF-8: decoded as {}", encoding.name());
        if had_errors {
            message.push_str(" (some bytes replaced with U+FFFD)");
        }
        warnings.push(Warning::new(None, message));
        text.into_owned()
    };
    check_printable(text).map(Decoded::unchecked)
}

/// UTF-16 without a byte-order mark, as some Windows tools save text:
/// in the first KiB, nearly every other byte is NUL (the high byte of
/// Latin text) and nearly none of the bytes between. Text in other
/// scripts has too few NULs to tell, and is not taken for UTF-16.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    const SAMPLE: usize = 1024;
    // Most text has no NUL in its first two bytes: told at once.
    if bytes.len() < 4 || (bytes[0] != 0 && bytes[1] != 0) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(SAMPLE) & !1];
    let units = sample.len() / 2;
    let zeros = |at: usize| {
        sample
            .iter()
            .skip(at)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let most = |n: usize| n * 10 >= units * 9;
    let few = |n: usize| n * 10 <= units;
    if most(odd) && few(even) {
        Some(encoding_rs::UTF_16LE)
    } else if most(even) && few(odd) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// How [`mend_utf8`] mended the bytes that are not UTF-8.
struct Mended {
    /// Bytes read as windows-1252.
    legacy: usize,
    /// Bytes replaced with U+FFFD.
    replaced: usize,
}

/// Text that is UTF-8 but for a few bytes, decoded. Such bytes are most
/// often Western text pasted in from a legacy file (`Caf\xE9`, curly
/// quotes as `\x93`…`\x94`): a byte that windows-1252 reads as a letter,
/// a quote, a dash or a common sign is read so. Any other byte, and a
/// sequence cut off at the very end (a truncated file), becomes U+FFFD, as
/// a lossy decode would make it.
fn mend_utf8(bytes: &[u8]) -> (String, Mended) {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut mended = Mended {
        legacy: 0,
        replaced: 0,
    };
    let mut chunks = bytes.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        text.push_str(chunk.valid());
        let invalid = chunk.invalid();
        let cut_off = chunks.peek().is_none()
            && std::str::from_utf8(invalid).is_err_and(|e| e.error_len().is_none());
        if cut_off {
            text.push('\u{FFFD}');
            mended.replaced += invalid.len();
            continue;
        }
        for &byte in invalid {
            if let Some(c) = legacy_char(byte) {
                text.push(c);
                mended.legacy += 1;
            } else {
                text.push('\u{FFFD}');
                mended.replaced += 1;
            }
        }
    }
    (text, mended)
}

/// What windows-1252 reads `byte` (not ASCII) as, when that is likely in
/// text: letters (but the rare þ and ÿ, which stray bytes 0xFE and 0xFF
/// usually are not), quotes, dashes, the ellipsis, the euro and common
/// signs, the no-break space. `None` for the rest.
fn legacy_char(byte: u8) -> Option<char> {
    let bytes = [byte];
    let (c, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    let c = c.chars().next()?;
    let likely = match byte {
        0xA0..=0xBF => "\u{A0}¡¢£¥§©«®°±²³´µ·¹º»¼½¾¿".contains(c),
        0x80
        | 0x85
        | 0x8A
        | 0x8C
        | 0x8E
        | 0x91..=0x97
        | 0x9A
        | 0x9C
        | 0x9E
        | 0x9F
        | 0xC0..=0xFD => true,
        _ => false,
    };
    likely.then_some(c)
}

/// Text as [`decode`] leaves it.
struct Decoded {
    text: String,
    /// Known to need no normalising (see [`needs_normalising`]).
    clean: bool,
}

impl Decoded {
    /// Text not yet checked for characters to normalise.
    fn unchecked(text: String) -> Decoded {
        Decoded { text, clean: false }
    }
}

/// [`needs_normalising`], on two threads for a large text (cut at a
/// character boundary, so that no sequence it looks for is split).
fn needs_normalising_anywhere(bytes: &[u8]) -> bool {
    const PARALLEL_BYTES: usize = 1 << 20;
    if bytes.len() < PARALLEL_BYTES {
        return needs_normalising(bytes);
    }
    let mut cut = bytes.len() / 2;
    // At most three continuation bytes follow a lead byte.
    while (0x80..0xC0).contains(&bytes[cut]) {
        cut -= 1;
    }
    let (head, tail) = bytes.split_at(cut);
    let (a, b) =
        crate::parallel::on_two_threads(|| needs_normalising(head), || needs_normalising(tail));
    a || b
}

/// Whether invalid bytes are mistakes in UTF-8 text rather than a legacy
/// encoding: there are valid multi-byte sequences, and at least one for
/// every 16 invalid bytes. Text in a legacy encoding almost never holds a
/// valid sequence (an accented capital followed by a sign, `Â©`), while
/// UTF-8 with a paragraph pasted from a legacy file holds a few such
/// bytes among many sequences; and decoding UTF-8 as a legacy encoding
/// garbles every sequence, where [`mend_utf8`] reads most stray bytes
/// right.
fn is_mostly_utf8(bytes: &[u8]) -> bool {
    let mut multibyte = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    multibyte > 0 && multibyte * 16 >= invalid
}

/// Refuse text that is mostly control characters or replacement characters.
fn check_printable(text: String) -> Result<String, String> {
    printable(&text)?;
    Ok(text)
}

/// Whether the start of `text` is mostly printable (see [`check_printable`]).
fn printable(text: &str) -> Result<(), String> {
    let (mut sampled, mut controls, mut replaced) = (0usize, 0usize, 0usize);
    for c in text.chars().take(64 * 1024) {
        sampled += 1;
        // Escapes and backspaces are terminal output's colours and
        // overstrikes (see `normalise_chars`), dense in `--color=always`
        // output and `man` pages, not signs of binary data.
        controls += usize::from(
            c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0C' | '\x1B' | '\x08'),
        );
        replaced += usize::from(c == '\u{FFFD}');
    }
    let unprintable = controls + replaced;
    if sampled > 0 && (controls * 10 > sampled || replaced * 10 > sampled * 3) {
        return Err(format!(
            "not a text file ({unprintable} of its first {sampled} characters are unprintable)"
        ));
    }
    Ok(())
}

/// Normalise line endings to `\n` and make control characters visible.
fn normalise(text: &str) -> std::borrow::Cow<'_, str> {
    if !needs_normalising(text.as_bytes()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(normalise_chars(text))
}

/// Whether any byte starts a character that [`normalise`] changes: a
/// control character other than `\n`, `\t` and form feed, DEL, C1 controls
/// and NEL, U+2028/U+2029 and the bidi controls. Most text needs no copy at
/// all.
fn needs_normalising(bytes: &[u8]) -> bool {
    changes_any(bytes, NORMALISED_KEEPS)
}

/// What a whole text keeps as it is when normalised: tabs, line feeds and
/// form feeds (U+2028 and U+2029 become line feeds).
const NORMALISED_KEEPS: Kept = Kept {
    tab: true,
    newline: true,
    form_feed: true,
    separators: false,
    zero_width: false,
};

/// The characters a scan with [`changes_any`] lets through, beyond those
/// nothing changes. Every other control character (C0 and C1), DEL and
/// every bidi control (U+202A–U+202E, U+2066–U+2069) counts as changed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kept {
    pub tab: bool,
    pub newline: bool,
    pub form_feed: bool,
    /// U+2028 and U+2029, the line and paragraph separators.
    pub separators: bool,
    /// U+200B and U+2060, the zero-width space and the word joiner.
    pub zero_width: bool,
}

/// Bytes [`changes_any`] looks at a time.
const SPAN: usize = 16;

/// Whether `bytes` hold a character that is not [`Kept`] as it is. The
/// loaders run this over every byte of a text: `SPAN` bytes at a time,
/// each tested without branches with the two bytes after it in view (which
/// the compiler vectorises); the rest, and a short text, are copied into a
/// window padded with spaces, which neither change nor complete a sequence.
/// Inlined into each caller, so that the test is compiled for its `kept`
/// (out of line, it takes about twice the instructions).
#[inline(always)]
#[allow(clippy::inline_always, reason = "compiled per `kept`, a constant")]
pub(crate) fn changes_any(bytes: &[u8], kept: Kept) -> bool {
    let mut start = 0;
    while let Some(window) = bytes[start..].first_chunk::<{ SPAN + 2 }>() {
        if span_changes(window, kept) {
            return true;
        }
        start += SPAN;
    }
    while start < bytes.len() {
        // Fewer than `SPAN + 2` bytes are left.
        let rest = &bytes[start..];
        let mut window = [b' '; SPAN + 2];
        window[..rest.len()].copy_from_slice(rest);
        if span_changes(&window, kept) {
            return true;
        }
        start += SPAN;
    }
    false
}

/// [`changes_any`] for the first `SPAN` bytes of `window`.
#[inline(always)]
#[allow(
    clippy::needless_bitwise_bool,
    clippy::inline_always,
    reason = "branch-free on purpose, so that the test vectorises; compiled per `kept`"
)]
fn span_changes(window: &[u8; SPAN + 2], kept: Kept) -> bool {
    let control = |b: u8| {
        ((b < 0x20)
            & !(kept.tab & (b == b'\t'))
            & !(kept.newline & (b == b'\n'))
            & !(kept.form_feed & (b == 0x0C)))
            | (b == 0x7F)
    };
    // `E2 80 A8`/`A9` are the separators, `AA`–`AE` bidi controls.
    let from = if kept.separators { 0xAA } else { 0xA8 };
    let suspect = window[..SPAN].iter().fold(false, |any, &b| {
        any | control(b) | (b == 0xC2) | (b == 0xE2)
    });
    suspect
        && (0..SPAN).fold(false, |any, i| {
            let (b, next, after) = (window[i], window[i + 1], window[i + 2]);
            // `x.wrapping_sub(lo) <= hi - lo`: `x` is in `lo..=hi`.
            let c1 = (b == 0xC2) & (next.wrapping_sub(0x80) <= 0x1F);
            let general = (b == 0xE2)
                & (((next == 0x80) & (after >= from) & (after <= 0xAE))
                    | ((next == 0x81) & (after.wrapping_sub(0xA6) <= 3)));
            // `E2 80 8B` and `E2 81 A0`.
            let zero_width = !kept.zero_width
                & (b == 0xE2)
                & (((next == 0x80) & (after == 0x8B)) | ((next == 0x81) & (after == 0xA0)));
            any | control(b) | c1 | general | zero_width
        })
}

/// The work of [`normalise`]. Beyond line endings and visible controls,
/// two kinds of terminal output often saved or piped as text are read as
/// a terminal would show them: escape sequences for colours, cursor moves
/// and links (`ESC [ … m`, `ESC ] … BEL`, from `--color=always` output)
/// are dropped, and overstrikes (`X BS X` for bold, `_ BS X` for
/// underline, from `man` piped on) leave the character struck. A lone or
/// unfinished escape stays visible as `␛`.
fn normalise_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '\r' => {
                rest = rest.strip_prefix('\n').unwrap_or(rest);
                out.push('\n');
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            // A zero-width space or word joiner in Latin text (pasted from
            // a web page) hides a word from search, and a key from the
            // heuristics (`Owner\u{200B}:`): gone where a neighbour is
            // ASCII or the line's end. Between letters of a script written
            // without spaces (Thai) a zero-width space marks where a line
            // may break, and stays.
            '\u{200B}' | '\u{2060}'
                if out.chars().next_back().is_none_or(|p| p.is_ascii())
                    || rest.chars().next().is_none_or(|n| n.is_ascii()) => {}
            '\n' | '\t' | '\x0C' => out.push(c),
            '\x1B' => match escape_len(rest) {
                0 => out.push(visible(c)),
                len => {
                    rest = &rest[len..];
                    // `word ESC[1m word`: one space, not the two around it.
                    if out.ends_with(' ') && rest.starts_with(' ') {
                        rest = &rest[1..];
                    }
                }
            },
            '\x08' if !out.is_empty() && !out.ends_with('\n') => match rest.chars().next() {
                // `X BS _`: X underlined.
                Some('_') => rest = &rest[1..],
                // `X BS Y`: Y struck over X.
                Some(next) if next != '\n' => {
                    out.pop();
                }
                _ => out.push(visible(c)),
            },
            c => out.push(visible(c)),
        }
    }
    out
}

/// How many bytes after an ESC make up a terminal escape sequence that
/// [`normalise_chars`] drops: a control sequence (`[`, parameters,
/// intermediates, a final byte), a string (an operating-system command
/// `]`, or `P`, `_`, `^`, `X`) up to BEL or `ESC \` on one line, or a
/// character-set choice (`(B`). 0 when what follows is none of these, or
/// is cut off.
fn escape_len(after: &str) -> usize {
    let bytes = after.as_bytes();
    match bytes.first() {
        Some(b'[') => {
            let body = bytes[1..]
                .iter()
                .take_while(|&&b| (0x20..=0x3F).contains(&b))
                .count();
            match bytes.get(1 + body) {
                Some(0x40..=0x7E) => body + 2,
                _ => 0,
            }
        }
        Some(b']' | b'P' | b'_' | b'^' | b'X') => {
            // At most a long link's worth, never past the line.
            let end = bytes[1..]
                .iter()
                .take(4096)
                .position(|&b| matches!(b, 0x07 | 0x1B | b'\n'));
            match end.map(|n| (n + 1, bytes[n + 1])) {
                Some((n, 0x07)) => n + 1,
                Some((n, 0x1B)) if bytes.get(n + 1) == Some(&b'\\') => n + 2,
                _ => 0,
            }
        }
        Some(b'(' | b')') if bytes.get(1).is_some_and(u8::is_ascii_alphanumeric) => 2,
        _ => 0,
    }
}

/// The number (1 to 12) of an English month name, full or cut short to
/// three letters or more (`Jan`, `Sept`, `september`), in any case, a
/// trailing dot allowed (`Nov.`). For the loaders' date lines and the
/// list's dates.
pub(crate) fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.strip_suffix('.').unwrap_or(word);
    if word.len() < 3 {
        return None;
    }
    let position = MONTHS.iter().position(|m| {
        m.get(..word.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(word))
    })?;
    u32::try_from(position + 1).ok()
}

/// The character to show for `c`: control characters become visible symbols
/// (ESC becomes `␛`) so that no document byte can drive the terminal, and
/// bidirectional embedding, override and isolate characters (which can make
/// text read differently from its bytes) become a visible `⇋`.
pub fn visible(c: char) -> char {
    match c {
        '\0'..='\x1F' => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        '\x7F' => '\u{2421}',
        '\u{80}'..='\u{9F}' => '\u{FFFD}',
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => '\u{21CB}',
        c => c,
    }
}

/// Replace control characters (including tabs and newlines) in a single line
/// of text, e.g. a title or a metadata value.
pub fn sanitize_line(s: &str) -> String {
    if is_sanitized(s) {
        // Most titles, link targets and values: a copy, no work.
        return s.to_owned();
    }
    sanitize_changed(s)
}

/// [`sanitize_line`] of a line already owned, without a copy when it
/// stays as it is.
pub(crate) fn sanitize_owned(s: String) -> String {
    if is_sanitized(&s) {
        s
    } else {
        sanitize_changed(&s)
    }
}

/// The work of [`sanitize_line`], for a line that may change.
fn sanitize_changed(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' | '\x0C' => ' ',
            c => visible(c),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether [`sanitize_line`] leaves `s` as it is: no character it replaces
/// or makes visible, and no white space but single spaces between words.
/// Bytes that start a character that is white space or changed, or may be
/// (`C2`: U+0080–U+00BF, `E1`–`E3`: U+1000–U+3FFF), count as changed.
fn is_sanitized(s: &str) -> bool {
    // A space first, last or after another is not kept.
    let mut after_space = true;
    for &b in s.as_bytes() {
        let kept = match b {
            b' ' => !after_space,
            b'!'..=b'~' | 0x80..=0xC1 | 0xC3..=0xE0 | 0xE4..=0xFF => true,
            _ => false,
        };
        if !kept {
            return false;
        }
        after_space = b == b' ';
    }
    !after_space || s.is_empty()
}

/// Markdown when the text has Markdown structure (ATX headings, above all
/// one on the first line, fences, front matter, links, tables with a
/// delimiter row, task lists); plain
/// text otherwise. Rows of `|` without a delimiter row are not a table:
/// they are as often the boxes of a diagram in an RFC.
fn sniff(text: &str) -> Format {
    if looks_like_html(text) {
        return Format::Html;
    }
    let mut score = 0;
    let mut previous = "";
    let first_line = text.lines().position(|l| !l.trim().is_empty());
    for (i, line) in text.lines().take(400).enumerate() {
        let signs = MarkdownSigns::of(i, line, previous);
        previous = line.trim_start();
        if signs.table {
            score += 3;
        }
        if signs.front_matter || signs.fence {
            score += 3;
        }
        if signs.heading {
            // A document that opens with one (`# Title`) is Markdown.
            score += if Some(i) == first_line { 3 } else { 2 };
        }
        if signs.task {
            score += 2;
        }
        score += usize::from(signs.link || signs.quote) + usize::from(signs.bold);
    }
    if score >= 3 {
        Format::Markdown
    } else {
        Format::PlainText
    }
}

/// How a `.txt` file is read: as Markdown only when its first 8 KiB
/// (whole lines; a preview reads the same) are plainly Markdown, as notes
/// and chat answers saved as text often are: two ATX headings (`## Risks`)
/// or more, or one with another sign of Markdown (front matter, a fence, a
/// table's delimiter row, a task, a link, bold). A heading counts only
/// alone, first or after an empty line and not over another `#` line, and
/// indented three spaces at most: a shell transcript's `# command` lines
/// and a Confluence page's numbered lists (`# item`) come in runs. Quoted
/// e-mail (`> `) never counts: plain text's reading of it is its own.
fn sniff_text_file(text: &str) -> Format {
    const WINDOW: usize = 8 * 1024;
    let window = if text.len() <= WINDOW {
        text
    } else {
        let mut end = WINDOW;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[..text[..end].rfind('\n').unwrap_or(0)]
    };
    let mut headings = 0;
    let mut others = 0;
    let mut after_empty = true;
    // A heading on the line before, alone so far.
    let mut pending = false;
    let mut previous = "";
    for (i, line) in window.lines().enumerate() {
        let signs = MarkdownSigns::of(i, line, previous);
        let t = line.trim_start();
        previous = t;
        if pending && !t.starts_with('#') {
            headings += 1;
        }
        pending = signs.heading && signs.indent <= 3 && after_empty;
        after_empty = t.is_empty();
        let other = signs.front_matter
            || (signs.fence && signs.indent <= 3)
            || signs.table
            || signs.task
            || signs.link
            || signs.bold;
        others += usize::from(other);
    }
    headings += usize::from(pending);
    if headings >= 2 || (headings == 1 && others >= 1) {
        Format::Markdown
    } else {
        Format::PlainText
    }
}

/// The signs of Markdown on one line, the `i`th, below `previous` (with
/// its indent trimmed), as [`sniff`] and [`sniff_text_file`] weigh them.
struct MarkdownSigns {
    indent: usize,
    /// `## Risks`.
    heading: bool,
    /// `---` or `+++` opening the text.
    front_matter: bool,
    /// ```` ``` ```` or `~~~`.
    fence: bool,
    /// A table's delimiter row under a row of `|`. Rows of `|` alone are as
    /// often boxes in a plain-text diagram (RFCs).
    table: bool,
    /// `- [ ] `, `* [x] `, as `--export markdown` writes.
    task: bool,
    /// `](`.
    link: bool,
    /// `> `.
    quote: bool,
    /// `**`.
    bold: bool,
}

impl MarkdownSigns {
    fn of(i: usize, line: &str, previous: &str) -> MarkdownSigns {
        let t = line.trim_start();
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        MarkdownSigns {
            indent: line.len() - t.len(),
            heading: (1..=6).contains(&hashes) && t[hashes..].starts_with(' '),
            front_matter: i == 0 && (line == "---" || line == "+++"),
            fence: t.starts_with("```") || t.starts_with("~~~"),
            table: is_table_delimiter(t) && previous.contains('|'),
            task: ["- [", "* [", "+ ["].iter().any(|b| t.starts_with(b))
                && matches!(t.get(3..6), Some("x] " | "X] " | " ] ")),
            link: t.contains("]("),
            quote: t.starts_with("> "),
            bold: t.contains("**"),
        }
    }
}

/// A table's delimiter row: `|---|:--:|`, `--- | ---`.
fn is_table_delimiter(t: &str) -> bool {
    let t = t.trim_end();
    t.contains('|') && t.contains("--") && t.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_taken_as_it_is_only_where_sanitizing_leaves_it() {
        let parts = [
            "a", "Zürich", " ", "  ", "\t", "\n", "\u{1b}", "\u{7f}", "\u{85}", "\u{a0}",
            "\u{1680}", "\u{2003}", "\u{2028}", "\u{202a}", "\u{202f}", "\u{205f}", "\u{2066}",
            "\u{3000}", "\u{2019}", "日本", "",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let s = format!("{a}{b}x{c}");
                    assert_eq!(sanitize_line(&s), sanitize_changed(&s), "{s:?}");
                    assert_eq!(sanitize_owned(s.clone()), sanitize_changed(&s), "{s:?}");
                    if is_sanitized(&s) {
                        assert_eq!(sanitize_changed(&s), s);
                    }
                }
            }
        }
        assert!(is_sanitized("Zürich and 日本, ok"));
    }

    /// A Markdown briefing of at least `bytes`, with what a cut must get
    /// right: fences holding `#` lines, comments, lists, tables, and
    /// definitions made far from their use.
    fn large_markdown(bytes: usize) -> String {
        let mut text = String::from("---\ntitle: Large\n---\n\nThe lead.\n\n");
        let mut i = 0;
        while text.len() < bytes {
            text.push_str(&format!(
                "# Part {i}\n\nWords about part {i}, see [the reference][ref] and a note.[^n]\n\n\
                 ```sh\n\n# a comment, not a heading\n```\n\n<!--\n\n# hidden\n\n-->\n\n\
                 - an item\n- another, *stressed*\n\n| a | b |\n|---|---|\n| {i} | x |\n\n\
                 ## Detail {i}\n\nMore text with `code` and **bold** words.\n\n"
            ));
            i += 1;
        }
        text.push_str("[ref]: https://example.org/ref\n\n[^n]: The note.\n");
        text
    }

    #[test]
    fn a_large_markdown_file_read_in_pieces_loads_as_the_whole_text_parses() {
        let text = large_markdown(READ_IN_PIECES_FROM as usize + 100_000);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("large.md");
        fs::write(&path, &text).unwrap();
        let options = LoadOptions::default();
        let in_pieces = load_markdown_in_pieces(&path, &options, None, true)
            .unwrap()
            .expect("read in pieces");
        let mut whole =
            markdown::pieced::parse_in_pieces(&text, "large.md", None, true, usize::MAX);
        crate::repeat::mark(&mut whole);
        assert_eq!(in_pieces, whole);
        assert_eq!(load_file(&path, &options).unwrap(), whole);
    }

    #[test]
    fn a_large_markdown_file_planned_in_halves_loads_as_the_whole_text_parses() {
        // The scan plans two halves at once, cut after the empty line past
        // the middle. Where that line is in fenced code or an HTML block,
        // the second half is planned again after the first; elsewhere the
        // halves are joined. One file of each.
        let base = large_markdown(READ_IN_PIECES_FROM as usize + 100_000);
        let dir = tempfile::tempdir().unwrap();
        let options = LoadOptions::default();
        let mut seen = [false; 2];
        for pad in 0..400 {
            let text = base.replacen("The lead.", &format!("The lead{}.", " word".repeat(pad)), 1);
            let path = dir.path().join(format!("large-{pad}.md"));
            fs::write(&path, &text).unwrap();
            let half = empty_line_near(&path, text.len() as u64 / 2)
                .unwrap()
                .expect("an empty line past the middle");
            let mut head = pieces::Planner::new(1);
            head.lines(&text[..usize::try_from(half).unwrap()]);
            let joined = head.ends_clear();
            if std::mem::replace(&mut seen[usize::from(joined)], true) {
                continue;
            }
            let in_pieces = load_markdown_in_pieces(&path, &options, None, true)
                .unwrap()
                .expect("read in pieces");
            let name = format!("large-{pad}.md");
            let mut whole = markdown::pieced::parse_in_pieces(&text, &name, None, true, usize::MAX);
            crate::repeat::mark(&mut whole);
            assert_eq!(in_pieces, whole, "joined: {joined}");
            if seen == [true, true] {
                return;
            }
        }
        panic!("no file planned both ways: {seen:?}");
    }

    #[test]
    fn a_large_file_needing_care_is_loaded_whole() {
        let dir = tempfile::tempdir().unwrap();
        let options = LoadOptions::default();
        // Written as `name`, not read in pieces, and loaded whole.
        let loaded_whole = |name: &str, content: &[u8]| {
            let path = dir.path().join(name);
            fs::write(&path, content).unwrap();
            assert!(
                load_markdown_in_pieces(&path, &options, None, true)
                    .unwrap()
                    .is_none(),
                "{name}"
            );
            load_file(&path, &options).unwrap()
        };
        let text = large_markdown(READ_IN_PIECES_FROM as usize + 1000);
        for (name, content) in [
            ("crlf.md", text.replace('\n', "\r\n")),
            ("bom.md", format!("\u{FEFF}{text}")),
            ("feed.md", text.replacen("The lead.", "The\x0Clead.", 1)),
            ("plain.rst", text.clone()),
        ] {
            let loaded = loaded_whole(name, content.as_bytes());
            assert!(loaded.sections.len() > 100, "{name}");
        }
        // Markdown saved as text is read in pieces as Markdown is.
        let path = dir.path().join("digest.txt");
        fs::write(&path, &text).unwrap();
        assert!(
            load_markdown_in_pieces(&path, &options, None, true)
                .unwrap()
                .is_some()
        );
        // Past the first block of the scan that plans the pieces too: the
        // file is then loaded whole.
        let late = text.len() - 5000;
        let at = text[..late].rfind("More text").unwrap();
        let with = |insert: &[u8]| {
            let mut bytes = text.as_bytes().to_vec();
            bytes.splice(at..at, insert.iter().copied());
            bytes
        };
        for (name, content) in [
            ("late-crlf.md", with(b"\r\n")),
            ("late-feed.md", with(b"\x0C")),
            ("late-c1.md", with("\u{85}".as_bytes())),
            ("late-invalid.md", with(b"\xFF")),
        ] {
            let whole = load_bytes(&content, name, FormatHint::Auto).unwrap();
            assert_eq!(loaded_whole(name, &content), whole, "{name}");
        }
        let path = dir.path().join("late-nul.md");
        fs::write(&path, with(b"\0")).unwrap();
        let err = load_file(&path, &options).unwrap_err().to_string();
        assert!(err.contains(&format!("NUL byte at offset {at}")), "{err}");
    }

    #[test]
    fn nul_bytes_are_refused() {
        let err = load_bytes(b"hello\0world", "x.txt", FormatHint::Auto).unwrap_err();
        assert_eq!(err, "not a text file (NUL byte at offset 5)");
    }

    #[test]
    fn a_large_text_is_checked_for_characters_to_normalise_on_both_sides_of_its_cut() {
        // Around the middle, where the check cuts a text of 1 MiB or more
        // for two threads, and at both ends: each character found, and a
        // NUL refused wherever it is, invalid UTF-8 or not.
        let base = "plain words, a line of them.\n".repeat((1 << 20) / 29 + 1);
        let middle = base.len() / 2;
        for c in ["\u{85}", "\u{2028}", "\u{202e}", "\x1b", "\0"] {
            for at in (middle - 4..middle + 4).chain([0, base.len()]) {
                let mut text = base.clone();
                text.insert_str(at, c);
                assert!(needs_normalising_anywhere(text.as_bytes()), "{c:?} at {at}");
                if c == "\0" {
                    let err = load_bytes(text.as_bytes(), "x.txt", FormatHint::Auto).unwrap_err();
                    assert_eq!(err, format!("not a text file (NUL byte at offset {at})"));
                    let mut invalid = text.into_bytes();
                    invalid.push(0xFF);
                    let err = load_bytes(&invalid, "x.txt", FormatHint::Auto).unwrap_err();
                    assert_eq!(err, format!("not a text file (NUL byte at offset {at})"));
                }
            }
        }
        assert!(!needs_normalising_anywhere(base.as_bytes()));
        let text = "A title\n\nWords (\u{2014} and more \u{e9}).\n".repeat((1 << 20) / 30);
        assert!(!needs_normalising_anywhere(text.as_bytes()));
        let clean = load_bytes(text.as_bytes(), "x.txt", FormatHint::PlainText).unwrap();
        assert!(
            clean
                .sections
                .iter()
                .all(|s| s.blocks.iter().all(|b| !b.text.contains('\u{FFFD}')))
        );
    }

    #[test]
    fn mostly_unprintable_text_is_refused() {
        let bytes: Vec<u8> = (0..200)
            .map(|i| if i % 3 == 0 { b'a' } else { 0x01 })
            .collect();
        assert!(load_bytes(&bytes, "x", FormatHint::Auto).is_err());
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported_once() {
        let b = load_bytes(
            "Café\n\nnaïve "
                .bytes()
                .chain(*b"\xFF and \xFE\n")
                .collect::<Vec<u8>>()
                .as_slice(),
            "x.txt",
            FormatHint::Auto,
        )
        .unwrap();
        assert_eq!(
            b.warnings,
            vec![Warning::new(
                None,
                "invalid UTF-8 at byte offset 14; replaced with U+FFFD"
            )]
        );
    }

    #[test]
    fn stray_windows_1252_bytes_in_utf8_text_are_read_as_such() {
        // UTF-8 (the dash, the ï) with Western bytes pasted in.
        let bytes = "INCIDENT \u{2014} na\u{EF}ve\n\nCaf"
            .bytes()
            .chain(*b"\xe9 terminals said \x93no\x94 \x96 twice.\n")
            .collect::<Vec<u8>>();
        let b = load_bytes(&bytes, "x.txt", FormatHint::PlainText).unwrap();
        let text: String = b
            .sections
            .iter()
            .map(crate::briefing::Section::plain_text)
            .collect();
        assert!(text.contains("Café terminals said “no” – twice."), "{text}");
        assert_eq!(
            b.warnings,
            vec![Warning::new(
                None,
                "invalid UTF-8 at byte offset 24: 4 bytes read as windows-1252"
            )]
        );
    }

    #[test]
    fn a_sequence_cut_off_at_the_end_and_unlikely_bytes_are_replaced() {
        let (text, mended) = mend_utf8(b"caf\xe9 \xff and caf\xc3");
        assert_eq!(text, "café \u{FFFD} and caf\u{FFFD}");
        assert_eq!((mended.legacy, mended.replaced), (1, 2));
        // A lone lead byte inside the text is a legacy letter (Ã).
        assert_eq!(mend_utf8(b"\xc3 x").0, "Ã x");
    }

    #[test]
    fn windows_1252_is_detected_and_decoded() {
        let bytes = b"R\xe9sum\xe9 du caf\xe9\n\nLe \x93na\xefve\x94 d\xe9l\xe9gu\xe9 a parl\xe9 \x96 voil\xe0.\n";
        let b = load_bytes(bytes, "x.txt", FormatHint::PlainText).unwrap();
        assert_eq!(b.title, "Résumé du café");
        assert_eq!(
            b.warnings,
            vec![Warning::new(None, "not UTF-8: decoded as windows-1252")]
        );
        let text: String = b
            .sections
            .iter()
            .map(crate::briefing::Section::plain_text)
            .collect();
        assert!(
            text.contains("Le “naïve” délégué a parlé – voilà."),
            "{text}"
        );
    }

    #[test]
    fn boms_decide_the_encoding() {
        let mut be = vec![0xFE, 0xFF];
        for u in "Grüße\n".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(
            load_bytes(&be, "x.txt", FormatHint::Auto).unwrap().title,
            "Grüße"
        );
        let utf8 = b"\xEF\xBB\xBF# T\xC3\xADtulo\n";
        assert_eq!(
            load_bytes(utf8, "x.md", FormatHint::Markdown)
                .unwrap()
                .title,
            "Título"
        );
    }

    #[test]
    fn characters_to_change_are_found_at_every_offset() {
        // Across whole chunks, the rest after them, and their edges.
        for changed in [
            "\r", "\x1b", "\u{85}", "\u{2028}", "\u{2069}", "\u{200b}", "\u{2060}",
        ] {
            for len in 0..70 {
                for at in 0..=len {
                    let text = format!("{}{changed}{}", "a".repeat(at), "é".repeat(len - at));
                    assert!(needs_normalising(text.as_bytes()), "{text:?}");
                }
                let kept = "é\u{a0}".repeat(len);
                assert!(!needs_normalising(kept.as_bytes()), "{kept:?}");
            }
        }
    }

    #[test]
    fn zero_width_spaces_go_from_latin_text_and_stay_in_thai() {
        let b = load_bytes(
            "Owner\u{200b}: release\u{200b}-team\n\nThe word zero\u{200b}width, \
             a\u{2060}b.\n\nภาษา\u{200b}ไทย\n"
                .as_bytes(),
            "z.txt",
            FormatHint::PlainText,
        )
        .unwrap();
        let text: String = b
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(text.contains("The word zerowidth, ab."), "{text}");
        assert!(text.contains("ภาษา\u{200b}ไทย"), "{text}");
        assert!(!text.contains("zero\u{200b}"), "{text}");
        let all = format!("{} {text}", b.title);
        assert!(all.contains("Owner: release-team"), "{all}");
    }

    #[test]
    fn only_text_with_characters_to_change_is_copied() {
        // Every kind of character that changes, alone, at a chunk's edge
        // and split across two chunks; and look-alikes that do not change.
        let pad = "x".repeat(31);
        for changed in [
            "\r", "\x1b", "\x7f", "\u{85}", "\u{9f}", "\u{2028}", "\u{202e}", "\u{2069}",
            "\u{200b}", "\u{2060}",
        ] {
            for text in [
                changed.to_owned(),
                format!("{pad}{changed}"),
                format!("ab{pad}{changed}"),
            ] {
                assert!(needs_normalising(text.as_bytes()), "{text:?}");
            }
        }
        for kept in [
            "a\tb\nc\x0Cd",
            "\u{a0}é",
            "“quoted” — dash…",
            "\u{2027}\u{202f}\u{2065}\u{206a}",
            // Zero-width non-joiner and joiner, and the codes beside the space.
            "\u{200c}\u{200d}\u{200a}\u{2061}",
        ] {
            let text = format!("{pad}{kept}{pad}");
            assert!(!needs_normalising(text.as_bytes()), "{text:?}");
            assert_eq!(normalise(&text), text);
        }
    }

    #[test]
    fn month_names_full_and_cut_short() {
        for (word, n) in [
            ("January", Some(1)),
            ("jan", Some(1)),
            ("Sept", Some(9)),
            ("SEPTEMBER", Some(9)),
            ("Nov.", Some(11)),
            ("may", Some(5)),
            ("ma", None),
            ("mayday", None),
            ("Monday", None),
            ("é", None),
        ] {
            assert_eq!(month_number(word), n, "{word}");
        }
    }

    #[test]
    fn line_endings_and_controls_are_normalised() {
        assert_eq!(normalise("a\r\nb\rc\u{2028}d\x07e"), "a\nb\nc\nd\u{2407}e");
    }

    #[test]
    fn terminal_escape_sequences_are_dropped() {
        // Colours, a cleared screen, a cursor move, a character set.
        assert_eq!(
            normalise("\x1b[1;31mRED\x1b[0m text\x1b[2J\x1b[?25l\x1b(B."),
            "RED text."
        );
        // Between two spaces: one is left.
        assert_eq!(normalise("clip \x1b[1m board"), "clip board");
        // A link: its text stays.
        assert_eq!(
            normalise("see \x1b]8;;https://x.example\x07the site\x1b]8;;\x1b\\ now"),
            "see the site now"
        );
        // Lone, unknown or cut-off escapes stay visible.
        assert_eq!(normalise("a\x1b b\x1bZ c\x1b[12"), "a␛ b␛Z c␛[12");
        assert_eq!(normalise("d\x1b]0;title\nnext"), "d␛]0;title\nnext");
        // Device-control and other strings.
        assert_eq!(normalise("e\x1bP$qm\x1b\\f\x1b_apc\x1b\\g"), "efg");
    }

    #[test]
    fn coloured_terminal_output_is_text() {
        // A colour change around every word: over a tenth escapes.
        let line =
            "\x1b[01;34mbin\x1b[0m  \x1b[01;34mlib\x1b[0m  \x1b[01;32mrun\x1b[0m\n".repeat(50);
        let b = load_bytes(line.as_bytes(), "ls.txt", FormatHint::PlainText).unwrap();
        let text: String = b
            .sections
            .iter()
            .map(crate::briefing::Section::plain_text)
            .collect();
        assert!(text.contains("bin  lib  run"), "{text}");
        assert!(!text.contains('␛'), "{text}");
    }

    proptest::proptest! {
        /// Whatever mix of escapes, backspaces and text comes in, nothing
        /// that drives a terminal comes out: no control character but
        /// line feed, tab and form feed.
        #[test]
        fn normalised_text_holds_no_control_characters(
            picks in proptest::collection::vec(0usize..16, 0..40)
        ) {
            const PARTS: [&str; 16] = [
                "\x1b", "[", "]", "31", ";", "m", "\x07", "\\", "\x08", "_", "a",
                "é", "\n", "(", "P", "\r",
            ];
            let text: String = picks.iter().map(|&i| PARTS[i]).collect();
            let out = normalise(&text);
            proptest::prop_assert!(
                !out.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\x0C')),
                "{text:?} -> {out:?}"
            );
        }
    }

    #[test]
    fn overstrikes_leave_the_character_struck() {
        // `man` output: bold and underlined words.
        assert_eq!(
            normalise("N\x08NA\x08AM\x08ME\x08E\n_\x08f_\x08i_\x08l_\x08e x\x08_"),
            "NAME\nfile x"
        );
        // A backspace with nothing to strike stays visible.
        assert_eq!(normalise("\x08a\n\x08b c\x08"), "␈a\n␈b c␈");
    }

    #[test]
    fn bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(normalise("abc\u{202E}fed\u{2066}x\u{2069}"), "abc⇋fed⇋x⇋");
        // Marks that Persian and Hebrew text need are kept.
        assert_eq!(
            normalise("می\u{200C}خواهم\u{200F}"),
            "می\u{200C}خواهم\u{200F}"
        );
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Héllo\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let b = load_bytes(&bytes, "x.txt", FormatHint::Auto).unwrap();
        assert_eq!(b.title, "Héllo");
    }

    #[test]
    fn html_pages_are_told_by_their_first_tag() {
        assert!(looks_like_html("\u{feff}\n  <!DOCTYPE HTML>\n<html>"));
        assert!(looks_like_html("<HTML lang=en>"));
        assert!(!looks_like_html("<p>日本語のテキスト</p>"));
        assert!(!looks_like_html("<htm"));
        assert!(!looks_like_html("# <html> in a heading"));
    }

    #[test]
    fn utf16_without_bom_is_told_by_its_nuls() {
        let text = "WEEKLY STATUS\n\nThe migration to the new cluster finished. Caf\u{e9}.\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
            let b = load_bytes(&bytes, "x.txt", FormatHint::Auto).unwrap();
            assert_eq!(b.title, "WEEKLY STATUS");
            let mut blocks = b.sections.iter().flat_map(|s| &s.blocks);
            assert!(blocks.any(|k| k.text.contains("Café.")), "{name}");
            assert_eq!(
                b.warnings[0].message,
                format!("no byte-order mark: decoded as {name}")
            );
            // Cut off inside a code unit, as a preview may be.
            let b = load_bytes(&bytes[..bytes.len() - 3], "x.txt", FormatHint::Auto).unwrap();
            assert_eq!(b.title, "WEEKLY STATUS");
        }
        // A binary file with a NUL here and there is still refused.
        let err = load_bytes(
            b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
            "x",
            FormatHint::Auto,
        )
        .unwrap_err();
        assert!(err.contains("not a text file"), "{err}");
        let err = load_bytes(b"A\0B\0\0\0\0\0\0\0", "x", FormatHint::Auto).unwrap_err();
        assert!(err.contains("not a text file"), "{err}");
    }

    #[test]
    fn plain_text_keeps_no_tab() {
        let text = "TITLE\tLINE\n\n1.\tScope\n\nProse\twith a tab.\n\n\tcode\tcolumn\n\tmore\tcode\n\n\
            Name\tValue\tNote\nalpha\t1\tfirst\nbeta\t22\tsecond\n\n- item\twith tab\n";
        let b = load_bytes(text.as_bytes(), "t.txt", FormatHint::PlainText).unwrap();
        let texts: Vec<&str> = b
            .sections
            .iter()
            .flat_map(|s| {
                std::iter::once(s.title.as_str()).chain(s.blocks.iter().map(|b| b.text.as_str()))
            })
            .collect();
        assert!(texts.iter().any(|t| t.contains("code")), "{texts:?}");
        assert!(texts.iter().all(|t| !t.contains('\t')), "{texts:?}");
        assert!(!b.title.contains('\t'));
    }

    #[test]
    fn a_file_name_standing_in_for_the_title_is_made_inert() {
        for hint in [FormatHint::Markdown, FormatHint::PlainText] {
            let b = load_bytes(b"", "a\x1b]0;x\x07\u{9b}.md", hint).unwrap();
            assert_eq!(b.title, "a\u{241B}]0;x\u{2407}\u{FFFD}.md");
        }
    }

    fn stdin_options(max_bytes: u64) -> LoadOptions {
        LoadOptions {
            max_bytes,
            ..LoadOptions::default()
        }
    }

    #[test]
    fn stdin_markdown_is_recognised_by_its_content() {
        let b = load_stdin(
            &b"# Morning brief\n\n## Weather\n\nRain.\n"[..],
            &stdin_options(1000),
        )
        .unwrap();
        assert_eq!(b.format, Format::Markdown);
        assert_eq!(b.title, "Morning brief");
        let titles: Vec<&str> = b.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Morning brief", "Weather"]);
    }

    #[test]
    fn stdin_plain_text_is_recognised_by_its_content() {
        let b = load_stdin(
            &b"Morning brief\n\nIt rained all night in the hills.\n"[..],
            &stdin_options(1000),
        )
        .unwrap();
        assert_eq!(b.format, Format::PlainText);
        assert_eq!(b.title, "Morning brief");
    }

    #[test]
    fn stdin_format_option_overrides_the_content() {
        let options = LoadOptions {
            format: FormatHint::PlainText,
            ..stdin_options(1000)
        };
        let b = load_stdin(&b"# Not a heading here\n\nText.\n"[..], &options).unwrap();
        assert_eq!(b.format, Format::PlainText);
    }

    #[test]
    fn stdin_without_a_title_is_titled_stdin() {
        let options = LoadOptions {
            format: FormatHint::Markdown,
            ..stdin_options(1000)
        };
        let b = load_stdin(&b"- one\n- two\n"[..], &options).unwrap();
        assert_eq!(b.title, STDIN_TITLE);
    }

    #[test]
    fn empty_stdin_is_refused() {
        for input in [&b""[..], b" \n\n\t\r\n"] {
            let err = load_stdin(input, &stdin_options(1000)).unwrap_err();
            assert_eq!(
                err.to_string(),
                "standard input: empty, nothing to read (did the command before the pipe fail?)"
            );
        }
    }

    #[test]
    fn stdin_at_the_limit_loads_and_one_byte_more_is_refused() {
        let text = b"Title\n\nBody text.\n";
        let limit = text.len() as u64;
        assert!(load_stdin(&text[..], &stdin_options(limit)).is_ok());
        let err = load_stdin(&text[..], &stdin_options(limit - 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "standard input: more than {} bytes, over the limit (raise it with --max-size)",
                limit - 1
            )
        );
    }

    #[test]
    fn stdin_reads_no_more_than_one_byte_past_the_limit() {
        // An endless stream must not be read to its end.
        let err = load_stdin(std::io::repeat(b'a'), &stdin_options(4096)).unwrap_err();
        assert!(matches!(err, StreamError::TooLarge { limit: 4096, .. }));
    }

    /// Markdown of `sections` numbered sections, each with a paragraph.
    fn numbered_sections(sections: usize) -> String {
        use std::fmt::Write as _;
        (1..=sections).fold(String::new(), |mut out, k| {
            let _ = write!(
                out,
                "## Part {k}\n\nThe text of part {k}, long enough to wrap a little.\n\n"
            );
            out
        })
    }

    #[cfg(unix)]
    #[test]
    fn named_pipes_are_streams_and_files_and_folders_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let file = dir.path().join("notes.md");
        fs::write(&file, "# Notes\n").unwrap();
        assert!(is_stream_path(&fifo));
        assert!(!is_stream_path(&file));
        assert!(!is_stream_path(dir.path()));
        assert!(!is_stream_path(&dir.path().join("missing.md")));
        // Named by its path in errors and by its file name as a title; the
        // format from its extension, as for a file.
        let (_, name, options) = open_stream(&file, &LoadOptions::default()).unwrap();
        assert_eq!(name.name, file.display().to_string());
        assert_eq!(name.title, "notes.md");
        assert_eq!(options.format, FormatHint::Markdown);
        // A descriptor (what `brief <(command)` opens) by its whole path.
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd as _;
            let open = fs::File::open(&file).unwrap();
            let descriptor = PathBuf::from(format!("/proc/self/fd/{}", open.as_raw_fd()));
            let (_, name, _) = open_stream(&descriptor, &LoadOptions::default()).unwrap();
            assert_eq!(name.title, descriptor.display().to_string());
        }
    }

    /// The rest of a stream read as standard input after `head`, not shown
    /// as it grows.
    fn stdin_rest(
        head: Vec<u8>,
        input: impl Read,
        options: &LoadOptions,
        read: &AtomicU64,
    ) -> Result<Briefing, StreamError> {
        load_stream_rest(
            head,
            input,
            &StreamName::stdin(),
            options,
            read,
            &mut |_| {},
        )
    }

    /// The start of a stream read as standard input, its first screenful
    /// 4096 bytes.
    fn stdin_start(
        input: &mut impl Read,
        options: &LoadOptions,
    ) -> Result<StreamStart, StreamError> {
        load_stream_start(input, &StreamName::stdin(), options, 4096)
    }

    #[test]
    fn stdin_start_of_a_short_stream_is_the_whole_briefing() {
        let text = numbered_sections(3);
        let start = stdin_start(&mut text.as_bytes(), &stdin_options(1000)).unwrap();
        let StreamStart::Whole(b) = start else {
            panic!("a stream shorter than the first screenful is whole: {start:?}");
        };
        assert_eq!(b.sections.len(), 3);
        assert_eq!(b.format, Format::Markdown);
    }

    #[test]
    fn stdin_start_then_rest_loads_what_the_whole_stream_loads() {
        let text = numbered_sections(400);
        assert!(text.len() > 4 * 4096);
        let mut input = text.as_bytes();
        let options = stdin_options(1 << 20);
        let start = stdin_start(&mut input, &options).unwrap();
        let StreamStart::Part { preview, head } = start else {
            panic!("a stream longer than the first screenful comes in parts: {start:?}");
        };
        assert_eq!(head, text.as_bytes()[..4096]);
        // The preview stops at the last line break, so its last section
        // is whole or missing, never cut in the middle of a line.
        let last = preview.sections.last().unwrap();
        assert!(last.title.starts_with("Part "), "{}", last.title);
        assert!(preview.sections.len() < 400);
        let read = AtomicU64::new(0);
        let rest = stdin_rest(head, input, &options, &read).unwrap();
        assert_eq!(read.load(Ordering::Relaxed), text.len() as u64);
        let whole = load_stdin(text.as_bytes(), &options).unwrap();
        assert_eq!(rest.sections.len(), 400);
        assert_eq!(rest.sections, whole.sections);
        // The preview's sections are the whole's first ones.
        for (p, w) in preview.sections.iter().zip(&rest.sections) {
            assert_eq!(p.title, w.title);
        }
    }

    #[test]
    fn stdin_start_and_rest_keep_the_limit() {
        let text = numbered_sections(400);
        // Over the limit within the first screenful.
        let err = stdin_start(&mut text.as_bytes(), &stdin_options(1000)).unwrap_err();
        assert!(
            matches!(err, StreamError::TooLarge { limit: 1000, .. }),
            "{err}"
        );
        // Over it after the first screenful: refused by the rest, which
        // reads no more than one byte past it from an endless stream.
        let options = stdin_options(10_000);
        let mut endless = std::io::repeat(b'a');
        let StreamStart::Part { head, .. } = stdin_start(&mut endless, &options).unwrap() else {
            panic!("an endless stream is in parts");
        };
        let read = AtomicU64::new(0);
        let err = stdin_rest(head, endless, &options, &read).unwrap_err();
        assert!(
            matches!(err, StreamError::TooLarge { limit: 10_000, .. }),
            "{err}"
        );
        assert_eq!(read.load(Ordering::Relaxed), 10_001);
    }

    #[test]
    fn stdin_rest_counts_each_read_as_it_comes() {
        // A slow writer: a few bytes per read. What was read shows before
        // the next read (which may wait long for a slow writer), not once a
        // buffer is full.
        struct Trickle<'a> {
            pieces: Vec<&'static [u8]>,
            read: &'a AtomicU64,
            seen: Vec<u64>,
        }
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.seen.push(self.read.load(Ordering::Relaxed));
                let Some(piece) = self.pieces.pop() else {
                    return Ok(0);
                };
                buf[..piece.len()].copy_from_slice(piece);
                Ok(piece.len())
            }
        }
        let read = AtomicU64::new(0);
        let mut input = Trickle {
            pieces: vec![b"Third.\n", b"## Two\n\n", b"Text.\n\n"],
            read: &read,
            seen: Vec::new(),
        };
        let head = b"# One\n\n".to_vec();
        let b = stdin_rest(head, &mut input, &stdin_options(1000), &read).unwrap();
        assert_eq!(input.seen, [7, 14, 22, 29]);
        assert_eq!(read.load(Ordering::Relaxed), 29);
        assert_eq!(b.sections.len(), 2);
    }

    #[test]
    fn stdin_of_white_space_past_the_first_screenful_is_refused_by_the_rest() {
        let blank = vec![b'\n'; 10_000];
        let mut input = &blank[..];
        let options = stdin_options(1 << 20);
        let StreamStart::Part { head, .. } = stdin_start(&mut input, &options).unwrap() else {
            panic!("longer than the first screenful");
        };
        let err = stdin_rest(head, input, &options, &AtomicU64::new(0)).unwrap_err();
        assert!(matches!(err, StreamError::Empty { .. }), "{err}");
    }

    /// A writer that writes `pieces` in turn, pausing where a piece is
    /// `None`: the read waits a while, then fails with `TimedOut`, as
    /// `background::Pipe`'s does.
    struct Pausing(std::collections::VecDeque<Option<&'static [u8]>>);

    impl Read for Pausing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.0.pop_front() {
                None => Ok(0),
                Some(None) => {
                    std::thread::sleep(Duration::from_millis(50));
                    Err(io::ErrorKind::TimedOut.into())
                }
                Some(Some(piece)) => {
                    let n = piece.len().min(buf.len());
                    buf[..n].copy_from_slice(&piece[..n]);
                    if n < piece.len() {
                        self.0.push_front(Some(&piece[n..]));
                    }
                    Ok(n)
                }
            }
        }
    }

    /// The titles of the parts shown while `pieces` come after `head`,
    /// and of the whole.
    fn growth_of(
        head: &[u8],
        pieces: Vec<Option<&'static [u8]>>,
    ) -> (Vec<Vec<String>>, Vec<String>) {
        let titles =
            |b: &Briefing| -> Vec<String> { b.sections.iter().map(|s| s.title.clone()).collect() };
        let mut shown = Vec::new();
        let whole = load_stream_rest(
            head.to_vec(),
            Pausing(pieces.into()),
            &StreamName::stdin(),
            &stdin_options(64 << 20),
            &AtomicU64::new(0),
            &mut |part| shown.push(titles(&part)),
        )
        .unwrap();
        (shown, titles(&whole))
    }

    #[test]
    fn a_stream_is_shown_as_it_grows_when_its_writer_pauses() {
        let (shown, whole) = growth_of(
            b"# Report\n\nLead.\n",
            vec![
                Some(b"\n## One\n\nFirst.\n"),
                None,
                // Nothing new since: nothing shown again.
                None,
                Some(b"\n## Two\n\nSecond."),
                // Only what ends in a line break is shown: "Two" waits.
                None,
                Some(b"\n\n## Three\n"),
                None,
                Some(b"\nThird.\n"),
            ],
        );
        assert_eq!(
            shown,
            [
                vec!["Report", "One"],
                vec!["Report", "One", "Two"],
                vec!["Report", "One", "Two", "Three"]
            ]
        );
        assert_eq!(whole, ["Report", "One", "Two", "Three"]);
    }

    #[test]
    fn a_stream_past_the_growth_limit_is_shown_only_whole() {
        // Past the limit, a pause after new lines shows nothing.
        let past_the_limit: &'static [u8] = Box::leak(
            format!("{}\n", "word ".repeat(GROW_LIMIT / 5))
                .into_bytes()
                .into_boxed_slice(),
        );
        let (shown, whole) = growth_of(
            numbered_sections(1).as_bytes(),
            vec![Some(past_the_limit), None, Some(b"\n## Last\n"), None],
        );
        assert!(shown.is_empty(), "{shown:?}");
        assert_eq!(whole.last().map(String::as_str), Some("Last"));
    }

    #[test]
    fn stdin_binary_is_refused_naming_standard_input() {
        let err = load_stdin(&b"ab\0cd"[..], &stdin_options(1000)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "standard input: not a text file (NUL byte at offset 2)"
        );
    }

    #[test]
    fn sniffing_tells_markdown_from_plain_text() {
        assert_eq!(
            sniff("# Title\n\nSome *text*.\n\n## More\n"),
            Format::Markdown
        );
        assert_eq!(sniff("Title\n\nJust a paragraph.\n"), Format::PlainText);
        assert_eq!(
            sniff("# Outline\n\n- [x] 1 Scope\n  - [ ] 1.1 Aims\n"),
            Format::Markdown
        );
        assert_eq!(sniff("Shopping\n\n- [milk] and bread\n"), Format::PlainText);
        assert_eq!(sniff("\n# Note\n\nOne paragraph.\n"), Format::Markdown);
        assert_eq!(
            sniff("Notes\n\n# not a heading, a comment\n"),
            Format::PlainText
        );
        assert_eq!(
            sniff("Prices\n\n| fruit | price |\n|---|--:|\n| apple | 1 |\n"),
            Format::Markdown
        );
        // Boxes of an RFC diagram are not a table.
        assert_eq!(
            sniff(
                "Network Working Group\n\n\
                 \x20    +--------+                                +-----------+\n\
                 \x20    |        | -----------------------------> |           |\n\
                 \x20    | Reader |                                | Publisher |\n\
                 \x20    |        | <----------------------------- |           |\n\
                 \x20    +--------+                                +-----------+\n"
            ),
            Format::PlainText
        );
    }

    #[test]
    fn a_text_file_is_markdown_only_when_plainly_so() {
        let markdown = [
            // Notes, or a chat's answer, saved as text.
            "# Weekly digest\n\nIntro.\n\n## Risks\n\n- one\n",
            "---\ntitle: Digest\n---\n\n# Digest\n\nText.\n",
            "Status\n\n## Summary\nSee [the log](https://example.com/log).\n",
            // A short text's last line counts, with no line break after it.
            "# Notes\n\nText.\n\n## More",
        ];
        for text in markdown {
            assert_eq!(sniff_text_file(text), Format::Markdown, "{text}");
        }
        let plain = [
            "Title\n\nJust a paragraph, with **stars** and a [link](x).\n",
            // A shell transcript: `#` lines in a run.
            "Steps taken\n\n# systemctl stop web\n# apt-get upgrade\n\n# reboot\n# uptime\n",
            // Confluence's numbered lists.
            "h1. Status\n\n# first\n# second\n\nh2. Next\n\n# third\n# fourth\n",
            // Quoted e-mail, and a heading-like comment alone.
            "Re: x\n\n> We found the cause.\n> ETA 08:00.\n\n# not a heading\n",
            // An RFC's indented `#`.
            "RFC\n\n        # comment in an example\n\n        # another\n",
        ];
        for text in plain {
            assert_eq!(sniff_text_file(text), Format::PlainText, "{text}");
        }
        // Only the first 8 KiB count, as a preview reads them too.
        let late = format!(
            "Notes\n\n{}\n# Heading\n\nText.\n\n## Another\n",
            "word ".repeat(2000)
        );
        assert_eq!(sniff_text_file(&late), Format::PlainText);
        assert_eq!(sniff_text_file(&late[..400]), Format::PlainText);
    }

    #[test]
    fn markdown_saved_as_text_is_read_as_markdown_in_preview_and_whole() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("digest.txt");
        let body = "A paragraph of the digest with enough words in it to be long.\n\n".repeat(400);
        let text = format!(
            "# Weekly digest\n\nIntro with **bold**.\n\n## Risks\n\n{body}## Last\n\nEnd.\n"
        );
        std::fs::write(&path, &text).expect("written");
        let whole = load_file(&path, &LoadOptions::default()).expect("loads");
        assert_eq!(whole.format, Format::Markdown);
        assert_eq!(whole.sections[0].title, "Weekly digest");
        assert_eq!(
            whole.sections.last().map(|s| s.title.as_str()),
            Some("Last")
        );
        let (preview, complete) =
            load_preview(&path, &LoadOptions::default(), PREVIEW_BYTES).expect("loads");
        assert!(!complete);
        assert_eq!(preview.format, Format::Markdown);
        // Asked for plain text, it is plain text.
        let options = LoadOptions {
            format: FormatHint::PlainText,
            ..LoadOptions::default()
        };
        assert_eq!(
            load_file(&path, &options).expect("loads").format,
            Format::PlainText
        );
    }
}
