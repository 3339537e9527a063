//! End-to-end test harness for terminal programs.
//!
//! [`Tui`] runs a program inside a real pseudo-terminal (via `portable-pty`)
//! of a chosen size, the way a person would run it in a terminal emulator:
//!
//! * a background reader thread drains everything the program writes to the
//!   PTY and feeds it, byte for byte, into a shared [`vt100::Parser`] (the
//!   emulated screen) *and* into a shared raw byte log, so a test can check
//!   both what the screen shows ([`Tui::screen`], [`Tui::cell_style`]) and
//!   which escape sequences were emitted ([`Tui::raw_output`],
//!   [`Tui::escape_sequences`], [`Tui::alternate_screen_left`]);
//! * the reader thread answers a cursor position query (DSR, `ESC[6n`) with a
//!   cursor position report `ESC[{row};{col}R` taken from the emulated
//!   screen, so programs that ask where the cursor is (crossterm's
//!   `cursor::position()`, shells, ...) do not hang. No other query is
//!   answered;
//! * keys are written to the PTY as the byte sequences an xterm sends
//!   ([`keys`], [`Tui::key_enter`], [`Tui::key_up`], [`Tui::ctrl`], ...);
//! * waiting never uses a fixed sleep: [`Tui::wait_for`] and
//!   [`Tui::wait_until`] poll the screen every few milliseconds up to a
//!   deadline, and [`Tui::wait_exit`] polls the child the same way, killing it
//!   on timeout. Dropping a [`Tui`] kills a child that is still running.
//!
//! The child gets `TERM=xterm-256color`, the test's environment minus
//! `NO_COLOR` (so colour output does not depend on the developer's shell),
//! plus whatever the test adds, and the test's working directory unless one is
//! given ([`Tui::spawn_in`], [`TuiBuilder::cwd`]).
//!
//! [`run_plain`] / [`Plain`] run the program without a terminal
//! (`std::process::Command` with pipes), also with a timeout.
//!
//! ```ignore
//! mod common;
//! use common::{Tui, keys};
//! use std::time::Duration;
//!
//! let mut tui = Tui::spawn(
//!     std::path::Path::new(env!("CARGO_BIN_EXE_brief")),
//!     &["notes.md"],
//!     80,
//!     24,
//!     &[],
//! );
//! tui.wait_for("notes", Duration::from_secs(5)).unwrap();
//! tui.send_keys("/needle");
//! tui.key_enter();
//! let screen = tui.wait_for("needle", Duration::from_secs(5)).unwrap();
//! let (row, col) = tui.find_text("needle").unwrap();
//! assert!(tui.cell_style(row, col).unwrap().is_styled(), "{screen}");
//! tui.send_keys("q");
//! assert!(tui.wait_exit(Duration::from_secs(5)).unwrap().success());
//! assert!(tui.alternate_screen_left());
//! ```
#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub use portable_pty::ExitStatus;
pub use vt100::Color;

/// How often the `wait_*` helpers look at the screen or the child.
pub const POLL_INTERVAL: Duration = Duration::from_millis(10);

/// After the child has exited, how long [`Tui::wait_exit`] waits at most for
/// the reader thread to drain the last bytes from the PTY.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// Default timeout of [`run_plain`].
pub const PLAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Byte sequences for keys, as xterm sends them in normal (non-application)
/// cursor mode.
pub mod keys {
    pub const ENTER: &str = "\r";
    pub const ESC: &str = "\x1b";
    pub const TAB: &str = "\t";
    /// Shift+Tab.
    pub const BACKTAB: &str = "\x1b[Z";
    pub const BACKSPACE: &str = "\x7f";
    pub const UP: &str = "\x1b[A";
    pub const DOWN: &str = "\x1b[B";
    pub const RIGHT: &str = "\x1b[C";
    pub const LEFT: &str = "\x1b[D";
    pub const HOME: &str = "\x1b[H";
    pub const END: &str = "\x1b[F";
    pub const PAGE_UP: &str = "\x1b[5~";
    pub const PAGE_DOWN: &str = "\x1b[6~";
    pub const INSERT: &str = "\x1b[2~";
    pub const DELETE: &str = "\x1b[3~";

    /// The byte a terminal sends for Ctrl+`c`: `ctrl('c')` is `"\x03"`.
    ///
    /// Letters of either case, `@ [ \ ] ^ _`, space and `?` (DEL) are
    /// accepted.
    ///
    /// # Panics
    ///
    /// Panics for any other character.
    #[must_use]
    pub fn ctrl(c: char) -> String {
        let byte = match c {
            'a'..='z' | 'A'..='Z' | '@' | '[' | '\\' | ']' | '^' | '_' => {
                u8::try_from(c).map(|b| b & 0x1f).ok()
            }
            ' ' => Some(0),
            '?' => Some(0x7f),
            _ => None,
        };
        let byte = byte.unwrap_or_else(|| panic!("no control code for {c:?}"));
        char::from(byte).to_string()
    }
}

/// Attributes of one screen cell, read from the emulated terminal.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // one flag per SGR attribute, as vt100 has
pub struct CellStyle {
    /// The cell's text (`""` for a cell never written or erased).
    pub text: String,
    pub fg: Color,
    pub bg: Color,
    pub bold: bool,
    pub dim: bool,
    pub italic: bool,
    pub underline: bool,
    pub inverse: bool,
}

impl CellStyle {
    /// Whether the cell has any colour or attribute at all, i.e. differs from
    /// default colours with no bold/dim/italic/underline/inverse.
    #[must_use]
    pub fn is_styled(&self) -> bool {
        self.fg != Color::Default
            || self.bg != Color::Default
            || self.bold
            || self.dim
            || self.italic
            || self.underline
            || self.inverse
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn non_zero(n: u16, what: &str) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap_or_else(|| panic!("terminal {what} must not be 0"))
}

/// A relative program path with a directory part (`./target/debug/x`,
/// `target/debug/x`) is made absolute against the test's working directory,
/// because the child may run elsewhere; a bare name is left for `PATH`.
fn resolve_program(program: &Path) -> PathBuf {
    if program.is_relative() && program.components().count() > 1 {
        std::env::current_dir()
            .expect("current directory")
            .join(program)
    } else {
        program.to_path_buf()
    }
}

type SharedWriter = Arc<Mutex<Box<dyn Write + Send>>>;

/// State shared between a [`Tui`] and its reader thread.
struct Shared {
    parser: Mutex<vt100::Parser>,
    raw: Mutex<Vec<u8>>,
    /// Set once the PTY master reports end of file (every holder of the
    /// slave side, i.e. the child and its descendants, has gone).
    eof: AtomicBool,
}

/// Recognises `ESC [ 6 n` in a byte stream, across chunk boundaries.
#[derive(Default)]
struct DsrMatcher {
    matched: usize,
}

impl DsrMatcher {
    const QUERY: &'static [u8] = b"\x1b[6n";

    /// Feeds one byte; true when it completes a query.
    fn feed(&mut self, byte: u8) -> bool {
        if byte == Self::QUERY[self.matched] {
            self.matched += 1;
            if self.matched == Self::QUERY.len() {
                self.matched = 0;
                return true;
            }
        } else {
            // Only ESC can start the pattern again.
            self.matched = usize::from(byte == 0x1b);
        }
        false
    }
}

fn reader_loop(mut reader: Box<dyn Read + Send>, shared: &Shared, writer: &SharedWriter) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut dsr = DsrMatcher::default();
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // Linux reports EIO on the master once the slave side is closed.
            Err(_) => break,
        };
        let chunk = &buf[..n];
        // Raw log first, so whatever a test sees on the screen is in the log.
        lock(&shared.raw).extend_from_slice(chunk);
        let mut start = 0;
        for (i, &byte) in chunk.iter().enumerate() {
            if dsr.feed(byte) {
                // The cursor position must be the one *at* the query, so the
                // parser gets exactly the bytes up to it first.
                let (row, col) = {
                    let mut parser = lock(&shared.parser);
                    parser.process(&chunk[start..=i]);
                    parser.screen().cursor_position()
                };
                start = i + 1;
                let reply = format!("\x1b[{};{}R", u32::from(row) + 1, u32::from(col) + 1);
                let mut w = lock(writer);
                let _ = w.write_all(reply.as_bytes());
                let _ = w.flush();
            }
        }
        lock(&shared.parser).process(&chunk[start..]);
    }
    shared.eof.store(true, Ordering::SeqCst);
}

enum EnvOp {
    Set(OsString, OsString),
    Remove(OsString),
}

/// Builder for a [`Tui`]: program, arguments, size, working directory and
/// environment. Defaults: 80×24, the test's working directory,
/// `TERM=xterm-256color`, `NO_COLOR` removed.
pub struct TuiBuilder {
    program: PathBuf,
    args: Vec<OsString>,
    cols: u16,
    rows: u16,
    cwd: Option<PathBuf>,
    env: Vec<EnvOp>,
}

impl TuiBuilder {
    /// Appends one argument.
    #[must_use]
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Appends arguments.
    #[must_use]
    pub fn args<S: AsRef<OsStr>>(mut self, args: &[S]) -> Self {
        self.args.extend(args.iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Terminal size in columns and rows.
    #[must_use]
    pub fn size(mut self, cols: u16, rows: u16) -> Self {
        self.cols = cols;
        self.rows = rows;
        self
    }

    /// Working directory of the child.
    #[must_use]
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Self {
        self.cwd = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Sets an environment variable (applied after the defaults, in order).
    #[must_use]
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env.push(EnvOp::Set(
            key.as_ref().to_owned(),
            value.as_ref().to_owned(),
        ));
        self
    }

    /// Sets several environment variables.
    #[must_use]
    pub fn envs(mut self, pairs: &[(&str, &str)]) -> Self {
        for (k, v) in pairs {
            self = self.env(k, v);
        }
        self
    }

    /// Removes an environment variable (applied after the defaults, in order).
    #[must_use]
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Self {
        self.env.push(EnvOp::Remove(key.as_ref().to_owned()));
        self
    }

    /// Starts the program in a new PTY.
    ///
    /// # Panics
    ///
    /// Panics if the size is 0, or the PTY cannot be opened, or the program
    /// cannot be started.
    #[must_use]
    pub fn spawn(self) -> Tui {
        let rows = non_zero(self.rows, "rows");
        let cols = non_zero(self.cols, "cols");
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: self.rows,
                cols: self.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a PTY");

        let program = resolve_program(&self.program);
        let mut cmd = CommandBuilder::new(&program);
        cmd.args(&self.args);
        // portable-pty defaults to $HOME, not the current directory.
        let cwd = match self.cwd {
            Some(dir) => dir,
            None => std::env::current_dir().expect("current directory"),
        };
        cmd.cwd(&cwd);
        cmd.env_remove("NO_COLOR");
        cmd.env("TERM", "xterm-256color");
        // Each run remembers into its own empty folder (not the user's),
        // unless the test names one to share between runs.
        let state = tempfile::tempdir().expect("a state folder");
        cmd.env("BRIEF_STATE_DIR", state.path());
        for op in self.env {
            match op {
                EnvOp::Set(k, v) => cmd.env(k, v),
                EnvOp::Remove(k) => cmd.env_remove(k),
            }
        }

        let child = pair
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("spawn {} in a PTY: {e}", program.display()));
        // Our copy of the slave must go, or the master never reports EOF.
        drop(pair.slave);

        let master = pair.master;
        let reader = master.try_clone_reader().expect("PTY reader");
        let writer: SharedWriter = Arc::new(Mutex::new(master.take_writer().expect("PTY writer")));
        let shared = Arc::new(Shared {
            parser: Mutex::new(vt100::Parser::new(rows, cols, 0)),
            raw: Mutex::new(Vec::new()),
            eof: AtomicBool::new(false),
        });
        let reader_thread = {
            let shared = Arc::clone(&shared);
            let writer = Arc::clone(&writer);
            thread::Builder::new()
                .name("pty-reader".into())
                .spawn(move || reader_loop(reader, &shared, &writer))
                .expect("start PTY reader thread")
        };

        Tui {
            shared,
            writer,
            master,
            child,
            status: None,
            reader: Some(reader_thread),
            _state: state,
        }
    }
}

/// A program running in a pseudo-terminal, with an emulated screen.
pub struct Tui {
    shared: Arc<Shared>,
    writer: SharedWriter,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    status: Option<ExitStatus>,
    reader: Option<JoinHandle<()>>,
    _state: tempfile::TempDir,
}

impl Tui {
    /// A builder for `program` (80×24, current directory, see [`TuiBuilder`]).
    #[must_use]
    pub fn builder(program: impl AsRef<Path>) -> TuiBuilder {
        TuiBuilder {
            program: program.as_ref().to_path_buf(),
            args: Vec::new(),
            cols: 80,
            rows: 24,
            cwd: None,
            env: Vec::new(),
        }
    }

    /// Starts `program args` in a `cols`×`rows` PTY, in the test's working
    /// directory, with `TERM=xterm-256color`, without `NO_COLOR`, and with
    /// `env` added on top (so `("NO_COLOR", "1")` puts it back).
    ///
    /// # Panics
    ///
    /// See [`TuiBuilder::spawn`].
    #[must_use]
    pub fn spawn(program: &Path, args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Tui {
        Self::builder(program)
            .args(args)
            .size(cols, rows)
            .envs(env)
            .spawn()
    }

    /// Like [`Tui::spawn`], with the child's working directory set to `dir`.
    ///
    /// # Panics
    ///
    /// See [`TuiBuilder::spawn`].
    #[must_use]
    pub fn spawn_in(
        dir: &Path,
        program: &Path,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Tui {
        Self::builder(program)
            .args(args)
            .size(cols, rows)
            .cwd(dir)
            .envs(env)
            .spawn()
    }

    // ----- input -----------------------------------------------------------

    /// Writes bytes to the program's terminal.
    ///
    /// # Panics
    ///
    /// Panics if the PTY cannot be written to.
    pub fn send(&mut self, bytes: impl AsRef<[u8]>) {
        let mut w = lock(&self.writer);
        w.write_all(bytes.as_ref()).expect("write to the PTY");
        w.flush().expect("flush the PTY");
    }

    /// Types text (also usable with the [`keys`] constants).
    pub fn send_keys(&mut self, keys: &str) {
        self.send(keys);
    }

    pub fn key_enter(&mut self) {
        self.send(keys::ENTER);
    }

    pub fn key_esc(&mut self) {
        self.send(keys::ESC);
    }

    pub fn key_tab(&mut self) {
        self.send(keys::TAB);
    }

    pub fn key_backtab(&mut self) {
        self.send(keys::BACKTAB);
    }

    pub fn key_backspace(&mut self) {
        self.send(keys::BACKSPACE);
    }

    /// Sends `ESC [ x`, or `ESC O x` while the program has switched the
    /// terminal to application cursor mode (as a real xterm does).
    fn cursor_key(&mut self, normal: &'static str) {
        if self.with_screen(vt100::Screen::application_cursor) {
            let mut seq = normal.as_bytes().to_vec();
            seq[1] = b'O';
            self.send(seq);
        } else {
            self.send(normal);
        }
    }

    pub fn key_up(&mut self) {
        self.cursor_key(keys::UP);
    }

    pub fn key_down(&mut self) {
        self.cursor_key(keys::DOWN);
    }

    pub fn key_right(&mut self) {
        self.cursor_key(keys::RIGHT);
    }

    pub fn key_left(&mut self) {
        self.cursor_key(keys::LEFT);
    }

    pub fn key_home(&mut self) {
        self.cursor_key(keys::HOME);
    }

    pub fn key_end(&mut self) {
        self.cursor_key(keys::END);
    }

    pub fn key_page_up(&mut self) {
        self.send(keys::PAGE_UP);
    }

    pub fn key_page_down(&mut self) {
        self.send(keys::PAGE_DOWN);
    }

    pub fn key_delete(&mut self) {
        self.send(keys::DELETE);
    }

    /// Sends Ctrl+`c` (see [`keys::ctrl`]).
    pub fn ctrl(&mut self, c: char) {
        self.send(keys::ctrl(c));
    }

    /// Resizes the terminal (the child gets `SIGWINCH`) and the emulated
    /// screen.
    ///
    /// # Panics
    ///
    /// Panics if a size is 0 or the PTY cannot be resized.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let (r, c) = (non_zero(rows, "rows"), non_zero(cols, "cols"));
        lock(&self.shared.parser).set_size(r, c);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the PTY");
    }

    // ----- screen ----------------------------------------------------------

    /// Runs `f` on the emulated screen (for anything the helpers lack).
    pub fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        f(lock(&self.shared.parser).screen())
    }

    /// The screen: every row, trailing spaces trimmed, joined by `'\n'`.
    #[must_use]
    pub fn screen(&self) -> String {
        self.with_screen(|s| {
            let (rows, _) = s.size();
            (0..rows.get())
                .map(|r| row_text(s, r).0.trim_end().to_owned())
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    /// One row of the screen, trailing spaces trimmed (`""` past the end).
    #[must_use]
    pub fn row(&self, row: u16) -> String {
        self.with_screen(|s| row_text(s, row).0.trim_end().to_owned())
    }

    /// `(cols, rows)` of the emulated screen.
    #[must_use]
    pub fn size(&self) -> (u16, u16) {
        self.with_screen(|s| {
            let (rows, cols) = s.size();
            (cols.get(), rows.get())
        })
    }

    /// Cursor position as `(row, col)`, 0-based.
    #[must_use]
    pub fn cursor_position(&self) -> (u16, u16) {
        self.with_screen(vt100::Screen::cursor_position)
    }

    /// Whether the emulated terminal is showing the alternate screen now.
    #[must_use]
    pub fn in_alternate_screen(&self) -> bool {
        self.with_screen(vt100::Screen::alternate_screen)
    }

    /// Whether the program has hidden the cursor.
    #[must_use]
    pub fn cursor_hidden(&self) -> bool {
        self.with_screen(vt100::Screen::hide_cursor)
    }

    /// Colours and attributes of the cell at `(row, col)`, 0-based.
    #[must_use]
    pub fn cell_style(&self, row: u16, col: u16) -> Option<CellStyle> {
        self.with_screen(|s| s.cell(row, col).map(style_of))
    }

    /// Position `(row, col)` of the first occurrence of `needle` on the
    /// screen (within one row), scanning rows top to bottom.
    #[must_use]
    pub fn find_text(&self, needle: &str) -> Option<(u16, u16)> {
        self.find_all(needle).into_iter().next()
    }

    /// Positions `(row, col)` of every occurrence of `needle`, row by row.
    #[must_use]
    pub fn find_all(&self, needle: &str) -> Vec<(u16, u16)> {
        let mut found = Vec::new();
        if needle.is_empty() {
            return found;
        }
        self.with_screen(|s| {
            let (rows, _) = s.size();
            for r in 0..rows.get() {
                let (text, offsets) = row_text(s, r);
                for (byte, _) in text.match_indices(needle) {
                    found.push((r, col_at(&offsets, byte)));
                }
            }
        });
        found
    }

    /// Styles of the cells covered by the first occurrence of `needle`.
    #[must_use]
    pub fn text_styles(&self, needle: &str) -> Option<Vec<CellStyle>> {
        if needle.is_empty() {
            return None;
        }
        self.with_screen(|s| {
            let (rows, _) = s.size();
            (0..rows.get()).find_map(|r| {
                let (text, offsets) = row_text(s, r);
                let start = text.find(needle)?;
                let end = start + needle.len();
                Some(
                    offsets
                        .iter()
                        .filter(|(byte, _)| (start..end).contains(byte))
                        .filter_map(|&(_, col)| s.cell(r, col).map(style_of))
                        .collect(),
                )
            })
        })
    }

    /// Polls the screen every [`POLL_INTERVAL`] until `pred(screen)` holds
    /// and returns that screen. `Err` holds the last screen, on timeout or
    /// as soon as the program has gone and its output is fully read (the
    /// screen cannot change any more).
    ///
    /// # Errors
    ///
    /// The last screen, if the predicate never held.
    pub fn wait_until(
        &self,
        mut pred: impl FnMut(&str) -> bool,
        timeout: Duration,
    ) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        loop {
            // Read EOF before the screen: if EOF was already set, this
            // screen is final.
            let finished = self.shared.eof.load(Ordering::SeqCst);
            let screen = self.screen();
            if pred(&screen) {
                return Ok(screen);
            }
            if finished || Instant::now() >= deadline {
                return Err(screen);
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// Like [`Tui::wait_until`], but panics on timeout (or once the
    /// program has exited) with `what`, the last screen and the end of the
    /// raw output, where a panic message would be.
    ///
    /// # Panics
    ///
    /// When `pred` never holds.
    pub fn expect_until(
        &self,
        what: &str,
        timeout: Duration,
        pred: impl FnMut(&str) -> bool,
    ) -> String {
        self.wait_until(pred, timeout).unwrap_or_else(|screen| {
            let raw = self.raw_output();
            let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(600)..]).into_owned();
            panic!(
                "gave up waiting until {what}; screen:\n{screen}\nend of output:\n{}",
                printable(&tail)
            )
        })
    }

    /// Waits until the screen contains `needle` (see [`Tui::wait_until`]).
    ///
    /// # Errors
    ///
    /// The last screen, if `needle` never appeared.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> Result<String, String> {
        self.wait_until(|screen| screen.contains(needle), timeout)
    }

    /// Waits until the screen no longer contains `needle`.
    ///
    /// # Errors
    ///
    /// The last screen, if `needle` stayed.
    pub fn wait_for_gone(&self, needle: &str, timeout: Duration) -> Result<String, String> {
        self.wait_until(|screen| !screen.contains(needle), timeout)
    }

    /// Waits until the raw output contains `needle`; false on timeout or
    /// when the output has ended without it.
    #[must_use]
    pub fn wait_for_raw(&self, needle: &[u8], timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            let finished = self.shared.eof.load(Ordering::SeqCst);
            if contains_bytes(&lock(&self.shared.raw), needle) {
                return true;
            }
            if finished || Instant::now() >= deadline {
                return false;
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// Waits until the program has written nothing for `quiet` (or its output
    /// has ended), at most `timeout`, and returns the screen. Useful before
    /// asserting that something is *not* shown.
    ///
    /// # Errors
    ///
    /// The last screen, if output never paused for `quiet` within `timeout`.
    pub fn wait_idle(&self, quiet: Duration, timeout: Duration) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        let mut len = lock(&self.shared.raw).len();
        let mut since = Instant::now();
        loop {
            let finished = self.shared.eof.load(Ordering::SeqCst);
            let now_len = lock(&self.shared.raw).len();
            if now_len != len {
                len = now_len;
                since = Instant::now();
            }
            if finished || since.elapsed() >= quiet {
                return Ok(self.screen());
            }
            if Instant::now() >= deadline {
                return Err(self.screen());
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    // ----- raw output ------------------------------------------------------

    /// Every byte the program has written to the terminal so far.
    #[must_use]
    pub fn raw_output(&self) -> Vec<u8> {
        lock(&self.shared.raw).clone()
    }

    /// Whether the raw output contains `needle`.
    #[must_use]
    pub fn raw_contains(&self, needle: &[u8]) -> bool {
        contains_bytes(&lock(&self.shared.raw), needle)
    }

    /// Whether the program ever switched to the alternate screen
    /// (`ESC[?1049h`).
    #[must_use]
    pub fn alternate_screen_entered(&self) -> bool {
        self.raw_contains(b"\x1b[?1049h")
    }

    /// True unless the program is left in the alternate screen: after the
    /// last `ESC[?1049h` there must be an `ESC[?1049l`. Vacuously true if it
    /// never entered; check [`Tui::alternate_screen_entered`] for that.
    #[must_use]
    pub fn alternate_screen_left(&self) -> bool {
        let raw = lock(&self.shared.raw);
        match rfind_bytes(&raw, b"\x1b[?1049h") {
            None => true,
            Some(at) => contains_bytes(&raw[at..], b"\x1b[?1049l"),
        }
    }

    /// Every escape sequence in the raw output, in order (see
    /// [`escape_sequences_in`]).
    #[must_use]
    pub fn escape_sequences(&self) -> Vec<String> {
        escape_sequences_in(&lock(&self.shared.raw))
    }

    // ----- process ---------------------------------------------------------

    /// The child's process id.
    #[must_use]
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Whether the child is still running.
    #[must_use]
    pub fn is_running(&mut self) -> bool {
        if self.status.is_some() {
            return false;
        }
        match self.child.try_wait() {
            Ok(Some(status)) => {
                self.status = Some(status);
                false
            }
            Ok(None) => true,
            Err(_) => false,
        }
    }

    /// Polls the child every [`POLL_INTERVAL`] until it exits, then waits (at
    /// most [`DRAIN_TIMEOUT`]) for its last output to be read, so
    /// [`Tui::screen`] and [`Tui::raw_output`] are complete. On timeout the
    /// child is killed and `None` returned. Calling it again returns the
    /// same status.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if self.status.is_none() {
                match self.child.try_wait() {
                    Ok(Some(status)) => self.status = Some(status),
                    Ok(None) => {}
                    Err(e) => panic!("waiting for the child: {e}"),
                }
            }
            if let Some(status) = &self.status {
                let status = status.clone();
                self.drain(Instant::now() + DRAIN_TIMEOUT);
                return Some(status);
            }
            if Instant::now() >= deadline {
                self.kill();
                return None;
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// Kills the child if it is still running (`SIGHUP`, then `SIGKILL`
    /// after a short grace period) and reaps it.
    pub fn kill(&mut self) {
        if self.is_running() {
            let _ = self.child.kill();
            if let Ok(status) = self.child.wait() {
                self.status = Some(status);
            }
        }
    }

    /// Waits for the reader thread to reach EOF, up to `deadline`.
    fn drain(&mut self, deadline: Instant) {
        while !self.shared.eof.load(Ordering::SeqCst) && Instant::now() < deadline {
            thread::sleep(POLL_INTERVAL);
        }
        if self.shared.eof.load(Ordering::SeqCst)
            && let Some(handle) = self.reader.take()
        {
            let _ = handle.join();
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        self.kill();
        // The reader thread ends by itself once the slave side is closed; it
        // is not joined so that a lingering grandchild cannot hang the test.
    }
}

/// A row's text (one entry per cell, `" "` for empty cells, wide-character
/// continuation cells skipped) and, for each cell, its byte offset in that
/// text and its column.
fn row_text(screen: &vt100::Screen, row: u16) -> (String, Vec<(usize, u16)>) {
    let (_, cols) = screen.size();
    let mut text = String::new();
    let mut offsets = Vec::new();
    for col in 0..cols.get() {
        let Some(cell) = screen.cell(row, col) else {
            break;
        };
        if cell.is_wide_continuation() {
            continue;
        }
        offsets.push((text.len(), col));
        if cell.has_contents() {
            text.push_str(cell.contents());
        } else {
            text.push(' ');
        }
    }
    (text, offsets)
}

/// Column of the cell that holds byte `byte` of a [`row_text`] text.
fn col_at(offsets: &[(usize, u16)], byte: usize) -> u16 {
    let idx = offsets.partition_point(|&(start, _)| start <= byte);
    offsets[idx.saturating_sub(1)].1
}

fn style_of(cell: &vt100::Cell) -> CellStyle {
    CellStyle {
        text: cell.contents().to_owned(),
        fg: cell.fgcolor(),
        bg: cell.bgcolor(),
        bold: cell.bold(),
        dim: cell.dim(),
        italic: cell.italic(),
        underline: cell.underline(),
        inverse: cell.inverse(),
    }
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

fn rfind_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Splits `bytes` into its escape sequences, in order, each as a string
/// (lossy UTF-8) that starts with ESC:
///
/// * CSI `ESC [` parameters, intermediates, final byte (`ESC[?1049h`);
/// * OSC `ESC ]` up to and including BEL or ST `ESC \` (`ESC]0;title BEL`);
/// * DCS `ESC P`, SOS `ESC X`, PM `ESC ^`, APC `ESC _` up to and including
///   ST (or BEL);
/// * any other `ESC` + intermediates (0x20–0x2F) + final byte (`ESC(B`,
///   `ESC7`, `ESC=`).
///
/// An unfinished sequence (cut off, or broken by another ESC or a control
/// character) is listed as far as it goes; a lone ESC as `"\x1b"`. 8-bit C1
/// controls are not recognised (they are UTF-8 continuation bytes).
#[must_use]
pub fn escape_sequences_in(bytes: &[u8]) -> Vec<String> {
    const ESC: u8 = 0x1b;
    const BEL: u8 = 0x07;
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != ESC {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        match bytes.get(i) {
            None => {}
            Some(b'[') => {
                i += 1;
                while let Some(&b) = bytes.get(i) {
                    if (0x40..=0x7e).contains(&b) {
                        i += 1;
                        break;
                    }
                    if !(0x20..=0x3f).contains(&b) {
                        break;
                    }
                    i += 1;
                }
            }
            Some(&intro @ (b']' | b'P' | b'X' | b'^' | b'_')) => {
                i += 1;
                while let Some(&b) = bytes.get(i) {
                    if b == BEL && (intro == b']' || intro == b'P') {
                        i += 1;
                        break;
                    }
                    if b == ESC {
                        if bytes.get(i + 1) == Some(&b'\\') {
                            i += 2;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            Some(_) => {
                while let Some(&b) = bytes.get(i) {
                    if (0x20..=0x2f).contains(&b) {
                        i += 1;
                    } else {
                        if (0x30..=0x7e).contains(&b) {
                            i += 1;
                        }
                        break;
                    }
                }
            }
        }
        out.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    out
}

/// Makes a sequence readable in assertion messages: ESC as `\e`, other
/// control characters as `^X` (`"\x1b[?25l"` becomes `"\e[?25l"`).
#[must_use]
pub fn printable(seq: &str) -> String {
    let mut out = String::with_capacity(seq.len());
    for c in seq.chars() {
        match c {
            '\x1b' => out.push_str("\\e"),
            '\x7f' => out.push_str("^?"),
            c if c.is_ascii_control() => {
                out.push('^');
                out.push(char::from(b'@' + u8::try_from(c).unwrap_or(0)));
            }
            c => out.push(c),
        }
    }
    out
}

// ----- running without a terminal -------------------------------------------

/// Result of a [`Plain`] run.
#[derive(Debug)]
pub struct PlainOutput {
    /// `None` if the program timed out and was killed.
    pub status: Option<std::process::ExitStatus>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl PlainOutput {
    #[must_use]
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    #[must_use]
    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Runs a program without a terminal: pipes for stdout and stderr, the given
/// bytes (or `/dev/null`) as stdin, the test's environment minus `NO_COLOR`
/// plus what is added, and a timeout after which the program is killed.
pub struct Plain {
    program: PathBuf,
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    cwd: Option<PathBuf>,
    env: Vec<EnvOp>,
    timeout: Duration,
}

impl Plain {
    #[must_use]
    pub fn new(program: impl AsRef<Path>) -> Self {
        Plain {
            program: program.as_ref().to_path_buf(),
            args: Vec::new(),
            stdin: None,
            cwd: None,
            env: Vec::new(),
            timeout: PLAIN_TIMEOUT,
        }
    }

    #[must_use]
    pub fn args<S: AsRef<OsStr>>(mut self, args: &[S]) -> Self {
        self.args.extend(args.iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Bytes to feed on stdin (then closed). Without it stdin is `/dev/null`.
    #[must_use]
    pub fn stdin(mut self, bytes: &[u8]) -> Self {
        self.stdin = Some(bytes.to_vec());
        self
    }

    #[must_use]
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Self {
        self.cwd = Some(dir.as_ref().to_path_buf());
        self
    }

    #[must_use]
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env.push(EnvOp::Set(
            key.as_ref().to_owned(),
            value.as_ref().to_owned(),
        ));
        self
    }

    #[must_use]
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Self {
        self.env.push(EnvOp::Remove(key.as_ref().to_owned()));
        self
    }

    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Runs the program to completion or until the timeout (then kills it:
    /// `status` is `None`). Output is collected by threads, so a program
    /// that writes a lot cannot block on a full pipe.
    ///
    /// # Panics
    ///
    /// Panics if the program cannot be started or waited for.
    #[must_use]
    pub fn run(self) -> PlainOutput {
        let program = resolve_program(&self.program);
        let mut cmd = Command::new(&program);
        cmd.args(&self.args)
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_remove("NO_COLOR");
        // Remembered state comes from an empty folder, never the user's,
        // unless the test names one.
        let state = tempfile::tempdir().expect("a state folder");
        cmd.env("BRIEF_STATE_DIR", state.path());
        if let Some(dir) = &self.cwd {
            cmd.current_dir(dir);
        }
        for op in &self.env {
            match op {
                EnvOp::Set(k, v) => cmd.env(k, v),
                EnvOp::Remove(k) => cmd.env_remove(k),
            };
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", program.display()));

        let feeder = match (self.stdin, child.stdin.take()) {
            (Some(bytes), Some(mut pipe)) => Some(thread::spawn(move || {
                // A program may exit without reading everything: ignore EPIPE.
                let _ = pipe.write_all(&bytes);
            })),
            _ => None,
        };
        let stdout = collect(child.stdout.take());
        let stderr = collect(child.stderr.take());

        let deadline = Instant::now() + self.timeout;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for the child") {
                break Some(status);
            }
            if Instant::now() >= deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            thread::sleep(POLL_INTERVAL);
        };

        // A grandchild holding the pipes open must not hang the test.
        let until = Instant::now() + DRAIN_TIMEOUT;
        let output = PlainOutput {
            status,
            stdout: join_by(stdout, until),
            stderr: join_by(stderr, until),
        };
        if let Some(feeder) = feeder
            && feeder.is_finished()
        {
            let _ = feeder.join();
        }
        output
    }
}

fn collect(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut buf);
        }
        buf
    })
}

fn join_by(handle: JoinHandle<Vec<u8>>, deadline: Instant) -> Vec<u8> {
    while !handle.is_finished() && Instant::now() < deadline {
        thread::sleep(POLL_INTERVAL);
    }
    if handle.is_finished() {
        handle.join().unwrap_or_default()
    } else {
        Vec::new()
    }
}

/// Runs `program args` without a terminal (see [`Plain`]) with the default
/// timeout of [`PLAIN_TIMEOUT`], returning `(status, stdout, stderr)`.
///
/// # Panics
///
/// Panics if the program cannot be started or times out (it is killed
/// first; the message shows its output so far).
#[must_use]
pub fn run_plain(
    program: &Path,
    args: &[&str],
    stdin: Option<&[u8]>,
) -> (std::process::ExitStatus, Vec<u8>, Vec<u8>) {
    let mut plain = Plain::new(program).args(args);
    if let Some(bytes) = stdin {
        plain = plain.stdin(bytes);
    }
    let out = plain.run();
    match out.status {
        Some(status) => (status, out.stdout, out.stderr),
        None => panic!(
            "{} timed out after {PLAIN_TIMEOUT:?}\nstdout:\n{}\nstderr:\n{}",
            program.display(),
            out.stdout_str(),
            out.stderr_str()
        ),
    }
}
