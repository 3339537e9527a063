//! End-to-end tests: the real `brief` binary, in a pseudo-terminal (through
//! the harness in `common`) or with pipes, driven the way a person would
//! drive it.
//!
//! Each test is named after the behaviour it pins. Waits poll the emulated
//! screen with a deadline ([`TIMEOUT`], generous for a loaded CI machine);
//! nothing sleeps for a fixed time. Files a test needs beyond the sample
//! briefings are written to a fresh directory under the system temp dir and
//! removed when the test ends.

mod common;

use std::ffi::OsStr;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{CellStyle, Color, Plain, PlainOutput, Tui, printable};
use unicode_width::UnicodeWidthStr;

/// Upper bound for every wait.
const TIMEOUT: Duration = Duration::from_secs(10);

const SECURITY_BRIEF: &str = "briefings/2026-11-27-daily-security-brief.md";
const WATER_BRIEF: &str = "briefings/2026-11-15-water-policy-brief.md";

/// The mouse modes crossterm's `EnableMouseCapture` switches on.
const MOUSE_MODES: [u16; 5] = [1000, 1002, 1003, 1015, 1006];

/// Clear screen: ratatui writes it whenever it adapts to a new size.
const CLEAR_SCREEN: &[u8] = b"\x1b[2J";

// ----- helpers ---------------------------------------------------------------

fn brief() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_brief"))
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `brief args` in a `cols`×`rows` terminal, run from the repository root,
/// once its first frame is complete. A panic prints its message without a
/// backtrace, so that it stays in view for [`wait_until`]'s report.
fn open<S: AsRef<OsStr>>(args: &[S], cols: u16, rows: u16) -> Tui {
    let tui = Tui::builder(brief())
        .args(args)
        .size(cols, rows)
        .cwd(repo())
        .env("RUST_BACKTRACE", "0")
        .spawn();
    // A frame arrives in chunks, top row first; the status bar is its last
    // row, so once that shows, the rows above it are complete.
    wait_until(&tui, "the first frame is drawn", |s| {
        s.rsplit('\n')
            .next()
            .is_some_and(|status| !status.is_empty())
    });
    tui
}

/// `brief args` without a terminal, run from the repository root.
fn run<S: AsRef<OsStr>>(args: &[S]) -> PlainOutput {
    let out = Plain::new(brief()).args(args).cwd(repo()).run();
    assert!(
        out.status.is_some(),
        "brief {:?} timed out\nstdout:\n{}\nstderr:\n{}",
        args.iter().map(AsRef::as_ref).collect::<Vec<_>>(),
        out.stdout_str(),
        out.stderr_str()
    );
    out
}

/// Waits until the screen shows `needle`; panics with the screen otherwise.
fn wait_for(tui: &Tui, needle: &str) -> String {
    wait_until(tui, &format!("the screen shows {needle:?}"), |s| {
        s.contains(needle)
    })
}

/// Waits until `pred` holds (it may look at the screen text or ask `tui`
/// for more). On timeout, or once brief has exited, panics with `what`, the
/// screen and the end of the raw output (where a panic message would be).
fn wait_until(tui: &Tui, what: &str, pred: impl FnMut(&str) -> bool) -> String {
    tui.expect_until(what, TIMEOUT, pred)
}

/// The bottom row: the status bar.
fn status(tui: &Tui) -> String {
    let (_, rows) = tui.size();
    tui.row(rows - 1)
}

/// Text of the cells in `cols` of `row`, trailing spaces trimmed.
fn cells(tui: &Tui, row: u16, cols: Range<u16>) -> String {
    tui.with_screen(|screen| {
        let mut text = String::new();
        for col in cols {
            let Some(cell) = screen.cell(row, col) else {
                break;
            };
            if cell.is_wide_continuation() {
                continue;
            }
            if cell.has_contents() {
                text.push_str(cell.contents());
            } else {
                text.push(' ');
            }
        }
        text.trim_end().to_owned()
    })
}

/// Column of the border between the outline and the text, found in the top
/// row (outline titles never contain `│`).
fn border_col(tui: &Tui) -> Option<u16> {
    let (cols, _) = tui.size();
    (0..cols).find(|&col| cells(tui, 0, col..col + 1) == "│")
}

/// One row of the outline pane (left of the border).
/// One row of the outline pane, without its first column (the read mark:
/// `✓` read, `•` new or changed, blank unread).
fn outline_row(tui: &Tui, row: u16) -> String {
    let border = border_col(tui).expect("two panes side by side");
    cells(tui, row, 1..border)
}

/// One row of the text pane: right of the border and its padding column,
/// without the scroll bar column at the right edge.
fn detail_row(tui: &Tui, row: u16) -> String {
    let border = border_col(tui).expect("two panes side by side");
    let (cols, _) = tui.size();
    cells(tui, row, border + 2..cols - 1)
}

fn is_highlighted(style: &CellStyle) -> bool {
    style.bg != Color::Default || style.inverse
}

/// Styles of the cells of the first `needle` on screen (panics if absent).
fn styles_of(tui: &Tui, needle: &str) -> Vec<CellStyle> {
    tui.text_styles(needle)
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{}", tui.screen()))
}

/// Sends `keys`, then expects the program to exit successfully with the
/// terminal handed back: alternate screen left, every mouse mode it switched
/// on switched off again, cursor shown.
fn quit_with(tui: &mut Tui, keys: &str) {
    let before = tui.screen();
    tui.send_keys(keys);
    let status = tui
        .wait_exit(TIMEOUT)
        .unwrap_or_else(|| panic!("brief did not exit after {keys:?}; screen:\n{before}"));
    assert!(
        status.success(),
        "exit status {status:?}; screen:\n{before}"
    );
    assert_terminal_restored(tui);
}

fn assert_terminal_restored(tui: &Tui) {
    assert!(
        tui.alternate_screen_entered(),
        "never entered the alternate screen"
    );
    assert!(tui.alternate_screen_left(), "left in the alternate screen");
    let raw = tui.raw_output();
    for mode in MOUSE_MODES {
        let on = format!("\x1b[?{mode}h");
        let off = format!("\x1b[?{mode}l");
        let at = rfind(&raw, on.as_bytes())
            .unwrap_or_else(|| panic!("mouse mode {mode} never switched on"));
        assert!(
            find(&raw[at..], off.as_bytes()).is_some(),
            "mouse mode {mode} left on; sequences: {:?}",
            tui.escape_sequences()
                .iter()
                .map(|s| printable(s))
                .collect::<Vec<_>>()
        );
    }
    assert!(!tui.cursor_hidden(), "cursor left hidden");
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// Resizes the terminal and waits until brief has drawn at the new size (it
/// clears the screen first whenever the size changes).
fn resize_and_wait_for_redraw(tui: &mut Tui, cols: u16, rows: u16) {
    let clears = count(&tui.raw_output(), CLEAR_SCREEN);
    tui.resize(cols, rows);
    wait_until(tui, &format!("brief redraws at {cols}x{rows}"), |_| {
        count(&tui.raw_output(), CLEAR_SCREEN) > clears
    });
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "brief-e2e-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
        TempDir { path }
    }

    /// Writes `bytes` to `name` in this directory and returns its path.
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(name);
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// A failed run: non-zero exit, nothing on stdout, exactly one line on
/// stderr naming `path`, and no escape byte anywhere.
fn assert_fails_with_one_line_naming(out: &PlainOutput, path: &Path) {
    let stderr = out.stderr_str();
    let status = out.status.expect("finished");
    assert!(
        !status.success(),
        "exit status {status:?}, stderr: {stderr}"
    );
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout_str());
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr:?}");
    assert!(stderr.ends_with('\n'), "stderr: {stderr:?}");
    assert!(
        stderr.contains(&path.display().to_string()),
        "stderr does not name {}: {stderr:?}",
        path.display()
    );
    assert_no_escape_byte(out);
}

fn assert_no_escape_byte(out: &PlainOutput) {
    assert!(
        !out.stdout.contains(&0x1b),
        "ESC on stdout: {:?}",
        printable(&out.stdout_str())
    );
    assert!(
        !out.stderr.contains(&0x1b),
        "ESC on stderr: {:?}",
        printable(&out.stderr_str())
    );
}

// ----- the reader ------------------------------------------------------------

#[test]
fn opens_a_briefing_and_shows_outline_and_text() {
    let mut tui = open(&[SECURITY_BRIEF], 120, 40);
    wait_for(&tui, "§1/8");

    let outline: Vec<String> = (0..8).map(|row| outline_row(&tui, row)).collect();
    let titles: Vec<&str> = outline
        .iter()
        .map(|row| row.trim_start_matches([' ', '▾', '▸']))
        .collect();
    for (row, expected) in [
        (0, "1 Daily Security Brief"),
        (1, "1.1 Key judgements"),
        (2, "1.2 Threat activity"),
        (3, "1.2.1 Ransomware"),
        (6, "1.3 Recommended actions"),
        (7, "1.4 Outlook"),
    ] {
        assert!(
            titles[row].starts_with(expected),
            "outline row {row} is {:?}, expected {expected:?}",
            outline[row]
        );
    }
    assert!(
        outline[2].starts_with("  ▾ 1.2"),
        "sub-sections are indented under their parent, which shows a fold marker: {outline:?}"
    );
    assert!(
        tui.cell_style(0, 2).is_some_and(|s| is_highlighted(&s)),
        "the selected entry is highlighted"
    );
    assert!(
        tui.cell_style(1, 4).is_some_and(|s| !is_highlighted(&s)),
        "other entries are not"
    );

    assert_eq!(detail_row(&tui, 0), "1 Daily Security Brief");
    // The front matter's facts under the first title, then the text.
    assert_eq!(detail_row(&tui, 2), "Date: 2026-11-27");
    assert_eq!(detail_row(&tui, 3), "Source: Northgate Cyber Fusion Centre");
    assert_eq!(detail_row(&tui, 4), "Classification: TLP:CLEAR");
    assert_eq!(
        detail_row(&tui, 6),
        "Prepared by the analyst desk for member organisations. This edition covers the"
    );
    assert!(status(&tui).contains("Daily Security Brief — 27 November 2026 · §1/8"));
    quit_with(&mut tui, "q");
}

#[test]
fn bracket_moves_to_next_section() {
    let mut tui = open(&[SECURITY_BRIEF], 120, 40);
    wait_for(&tui, "§1/8");
    assert_eq!(detail_row(&tui, 0), "1 Daily Security Brief");

    tui.send_keys("]");
    wait_for(&tui, "§2/8");
    assert_eq!(detail_row(&tui, 0), "1.1 Key judgements");
    assert!(
        detail_row(&tui, 2).starts_with("• Ransomware activity remains elevated"),
        "{}",
        tui.screen()
    );

    tui.send_keys("[");
    wait_for(&tui, "§1/8");
    assert_eq!(detail_row(&tui, 0), "1 Daily Security Brief");
    quit_with(&mut tui, "q");
}

#[test]
fn search_highlights_and_n_moves() {
    // "firmware" occurs once in 1.2.1, twice in 1.2.2 and once in 1.4.
    let mut tui = open(&[SECURITY_BRIEF], 120, 40);
    wait_for(&tui, "§1/8");

    tui.send_keys("/firmware");
    wait_for(&tui, "/firmware▏  4 matches");
    tui.key_enter();
    let screen = wait_for(&tui, "/firmware 1/4");
    assert!(
        status(&tui).contains("§4/8 1.2.1"),
        "the first match is in 1.2.1:\n{screen}"
    );
    assert_eq!(detail_row(&tui, 0), "1.2.1 Ransomware");
    let styles = styles_of(&tui, "firmware update");
    assert!(
        styles[..8].iter().all(is_highlighted),
        "the match is highlighted: {styles:?}"
    );
    assert!(
        styles[9..].iter().all(|s| !is_highlighted(s)),
        "the text after it is not: {styles:?}"
    );

    tui.send_keys("n");
    let screen = wait_for(&tui, "/firmware 2/4");
    assert!(status(&tui).contains("§5/8 1.2.2"), "{screen}");
    let current = styles_of(&tui, "firmware: 7.2.0");
    let other = styles_of(&tui, "firmware: 7.4.4");
    assert!(current[..8].iter().all(is_highlighted), "{current:?}");
    assert!(other[..8].iter().all(is_highlighted), "{other:?}");
    assert_ne!(
        current[0], other[0],
        "the current match stands out from the other matches"
    );
    quit_with(&mut tui, "q");
}

#[test]
fn q_quits_and_leaves_alternate_screen() {
    let mut tui = open(&[SECURITY_BRIEF], 120, 40);
    wait_for(&tui, "§1/8");
    assert!(tui.in_alternate_screen());
    quit_with(&mut tui, "q");
    assert!(!tui.in_alternate_screen());
}

#[test]
fn ctrl_c_quits() {
    let mut tui = open(&[SECURITY_BRIEF], 80, 24);
    wait_for(&tui, "Daily Security Brief");
    quit_with(&mut tui, &common::keys::ctrl('c'));
}

#[test]
fn ctrl_c_quits_while_typing_a_search() {
    let mut tui = open(&[SECURITY_BRIEF], 80, 24);
    wait_for(&tui, "Daily Security Brief");
    tui.send_keys("/patch");
    wait_for(&tui, "/patch▏");
    quit_with(&mut tui, &common::keys::ctrl('c'));
}

#[test]
fn ctrl_c_quits_from_the_help_screen() {
    let mut tui = open(&[SECURITY_BRIEF], 120, 40);
    wait_for(&tui, "§1/8");
    tui.send_keys("?");
    wait_for(&tui, "Esc closes");
    quit_with(&mut tui, &common::keys::ctrl('c'));
}

#[test]
fn tab_switches_focus_and_j_scrolls_text() {
    // The water brief's lead is two long paragraphs: far more than fits in
    // the 11 text rows of an 80x12 terminal.
    let mut tui = open(&[WATER_BRIEF], 80, 12);
    wait_for(&tui, "The Meridian Basin has now experienced");
    assert!(detail_row(&tui, 0).ends_with("Lead"), "{}", tui.screen());
    let fourth = detail_row(&tui, 3);
    assert!(fourth.len() > 20, "a line of text: {fourth:?}");
    let outline_top = outline_row(&tui, 0);
    let focused = tui.cell_style(0, 0).expect("cell");
    assert!(is_highlighted(&focused), "{outline_top:?} is selected");

    tui.key_tab();
    tui.send_keys("jjj");
    wait_until(&tui, "the text scrolls three lines", |_| {
        detail_row(&tui, 0) == fourth
    });
    assert_eq!(
        outline_row(&tui, 0),
        outline_top,
        "j scrolled the text, not the outline"
    );
    let unfocused = tui.cell_style(0, 0).expect("cell");
    assert!(is_highlighted(&unfocused), "the section stays selected");
    assert_ne!(
        focused, unfocused,
        "the outline's selection looks different once the focus has left it"
    );

    tui.send_keys("k");
    wait_until(&tui, "k scrolls back one line", |_| {
        detail_row(&tui, 1) == fourth
    });
    quit_with(&mut tui, "q");
}

#[test]
fn space_pages_through_the_text() {
    let mut tui = open(&[WATER_BRIEF], 80, 12);
    wait_for(&tui, "The Meridian Basin has now experienced");
    let last_row = detail_row(&tui, 10);

    tui.send_keys(" ");
    wait_until(&tui, "one page down, keeping a line of context", |_| {
        detail_row(&tui, 0) == last_row
    });
    quit_with(&mut tui, "q");
}

#[test]
fn help_lists_keys_from_keymap() {
    let mut tui = open(&[SECURITY_BRIEF], 120, 40);
    wait_for(&tui, "§1/8");

    tui.send_keys("?");
    // The box is drawn top to bottom: its bottom border comes last.
    let screen = wait_until(&tui, "the help box is drawn", |s| {
        s.contains("Esc closes") && s.contains("└──")
    });
    let line_with = |text: &str| {
        screen
            .lines()
            .find(|l| l.contains(text))
            .unwrap_or_else(|| panic!("no {text:?} in help:\n{screen}"))
            .to_owned()
    };
    assert!(
        line_with("  next section").contains("│]"),
        "{}",
        line_with("next section")
    );
    assert!(
        line_with("search the whole briefing").contains("│/"),
        "{}",
        line_with("search")
    );
    // The last keys are below the fold at this size: G shows them.
    tui.send_keys("G");
    let screen = wait_until(&tui, "the help scrolls to its end", |s| {
        s.contains("  quit")
    });
    let quit = screen
        .lines()
        .find(|l| l.contains("  quit"))
        .unwrap_or_default();
    assert!(quit.contains("q Ctrl-c"), "{quit}");

    tui.key_esc();
    wait_until(&tui, "the help box closes", |s| {
        !s.contains("Esc closes") && s.contains("§1/8")
    });
    assert_eq!(detail_row(&tui, 0), "1 Daily Security Brief");
    quit_with(&mut tui, "q");
}

#[test]
fn folder_opens_a_list_newest_first_and_enter_opens() {
    // No argument: brief opens ./briefings.
    let mut tui = open::<&str>(&[], 120, 40);
    wait_for(&tui, "1/9 briefings");
    assert!(
        tui.row(0).contains("Briefings in briefings"),
        "{}",
        tui.row(0)
    );

    let dates: Vec<String> = (1..=9).map(|row| cells(&tui, row, 1..11)).collect();
    let mut newest_first = dates.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first, "{}", tui.screen());
    assert_eq!(dates[0], "2026-11-27");
    assert_eq!(dates[8], "2026-11-15");
    assert!(
        tui.row(1)
            .contains("Daily Security Brief — 27 November 2026"),
        "{}",
        tui.row(1)
    );
    assert!(
        tui.cell_style(1, 20).is_some_and(|s| is_highlighted(&s)),
        "the newest is selected"
    );

    tui.key_enter();
    wait_for(&tui, "§1/8");
    assert_eq!(detail_row(&tui, 0), "1 Daily Security Brief");

    tui.key_backspace();
    wait_for(&tui, "1/9 briefings");
    assert!(tui.row(1).contains("2026-11-27  Daily Security Brief"));
    quit_with(&mut tui, "q");
}

/// A Markdown log of `entries` sections under one title, far more than the
/// first screenful (16 KiB) from a few hundred entries on.
fn harbour_log(entries: usize) -> String {
    let mut text = String::from("# Harbour log\n\n");
    for i in 1..=entries {
        text.push_str(&format!(
            "## Entry {i}\n\nThe pilot boarded vessel {i} at the outer mark.\n\n"
        ));
    }
    text
}

#[test]
fn a_large_briefing_opened_from_the_list_shows_at_once_and_loads_the_rest() {
    // Far more than the first screenful that is read at once (16 KiB).
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("log.md"), harbour_log(600)).expect("write");
    let mut tui = open(&[dir.path()], 120, 40);
    wait_for(&tui, "1/1 briefings");
    tui.key_enter();
    // The whole outline once loaded: the first screenful has fewer.
    wait_until(&tui, "the whole briefing", |_| {
        let status = status(&tui);
        status.contains("§1/601") && !status.contains("loading")
    });
    tui.send_keys("G");
    wait_for(&tui, "vessel 600");
    quit_with(&mut tui, "q");
}

#[test]
fn a_folder_lists_at_once_and_counts_the_outlines_of_large_briefings_after() {
    // The list comes from each file's first screenful; a larger file's
    // outline is counted in the background, and the list then says so.
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("2026-11-30-log.md"), harbour_log(3000)).expect("write");
    fs::write(dir.path().join("2026-12-01-note.md"), "# Note\n\nShort.\n").expect("write");
    let mut tui = open(&[dir.path()], 120, 40);
    wait_for(&tui, "1/2 briefings");
    wait_until(&tui, "the log's whole outline", |s| {
        s.contains("markdown · 3001 sections") && !status(&tui).contains("loading")
    });
    assert!(tui.row(1).contains("2026-12-01  Note"), "{}", tui.screen());
    assert!(
        tui.row(1).ends_with("markdown · 1 section"),
        "{}",
        tui.screen()
    );
    assert!(
        tui.row(2).contains("2026-11-30  Harbour log"),
        "{}",
        tui.screen()
    );
    tui.send_keys("j");
    tui.key_enter();
    wait_until(&tui, "the log, whole", |_| {
        let status = status(&tui);
        status.contains("§1/3001") && !status.contains("loading")
    });
    quit_with(&mut tui, "q");
}

#[test]
fn jump_to_section_number() {
    let mut tui = open(&[SECURITY_BRIEF], 120, 40);
    wait_for(&tui, "§1/8");

    tui.send_keys(":3");
    wait_for(&tui, ":3▏");
    tui.key_enter();
    wait_for(&tui, "§3/8");
    assert_eq!(detail_row(&tui, 0), "1.2 Threat activity");

    tui.send_keys(":1.2.2");
    wait_for(&tui, ":1.2.2▏");
    tui.key_enter();
    wait_for(&tui, "§5/8");
    assert_eq!(detail_row(&tui, 0), "1.2.2 Vulnerability: CVE-2026-4411");
    quit_with(&mut tui, "q");
}

#[test]
fn resize_reflows_without_crash() {
    let mut tui = open(&[SECURITY_BRIEF], 120, 40);
    wait_for(&tui, "§1/8");

    // Narrower than two panes: only the focused outline shows.
    resize_and_wait_for_redraw(&mut tui, 40, 12);
    wait_until(&tui, "the outline fills the width", |s| {
        s.starts_with(" ▾ 1 Daily Security Brief\n     1.1 Key judgements") && !s.contains('│')
    });

    resize_and_wait_for_redraw(&mut tui, 1, 1);
    assert!(tui.is_running(), "brief survives a 1x1 terminal");

    resize_and_wait_for_redraw(&mut tui, 100, 30);
    wait_until(&tui, "two panes again", |s| {
        s.contains("§1/8") && s.contains("Prepared by the analyst desk")
    });
    assert_eq!(detail_row(&tui, 0), "1 Daily Security Brief");
    quit_with(&mut tui, "q");
}

#[test]
fn a_key_pressed_while_the_terminal_shrinks_does_not_crash() {
    let mut tui = open(&[SECURITY_BRIEF], 120, 40);
    wait_for(&tui, "§1/8");
    // The resize and the key reach brief together, as when someone types
    // while dragging a window edge. It races, so try a few times.
    for _ in 0..5 {
        tui.resize(40, 12);
        tui.send_keys("j");
        wait_until(&tui, "the outline fills the narrow screen", |s| {
            !s.contains('│') && s.contains("Daily Security Brief")
        });
        // The key may be read before or after the resize, and goes to
        // whichever pane then has the focus: where it leaves the reader
        // is not the point, that brief draws on is.
        tui.send_keys("k");
        resize_and_wait_for_redraw(&mut tui, 120, 40);
        wait_until(&tui, "two panes again", |s| {
            s.contains('│') && s.contains("Daily Security Brief —")
        });
    }
    // Still answering keys: no key here moves the focus off the outline,
    // where `g` is the first section.
    tui.send_keys("g");
    wait_until(&tui, "the first section again", |s| s.contains("§1/8"));
    quit_with(&mut tui, "q");
}

#[test]
fn keyword_flag_shows_hit_counts() {
    let dir = TempDir::new("keywords");
    let file = dir.file(
        "night.md",
        "# Night shift\n\nAll quiet until midnight.\n\n\
         ## Hospitals\n\nA ransomware crew hit two hospitals; the ransomware note was in Dutch.\n\n\
         ## Outlook\n\nMore of the same.\n",
    );
    let mut tui = open(
        &[OsStr::new("-k"), OsStr::new("ransomware"), file.as_os_str()],
        120,
        40,
    );
    wait_for(&tui, "§1/3");
    assert!(
        status(&tui).contains("keywords: 2 hits"),
        "{}",
        status(&tui)
    );
    assert_eq!(outline_row(&tui, 0), "▾ 1 Night shift");
    let hospitals = outline_row(&tui, 1);
    assert!(
        hospitals.starts_with("    1.1 Hospitals") && hospitals.ends_with(" 2"),
        "{hospitals:?}"
    );
    assert_eq!(outline_row(&tui, 2), "    1.2 Outlook");

    tui.send_keys("}");
    wait_for(&tui, "§2/3");
    let styles = styles_of(&tui, "ransomware crew");
    assert!(styles[..10].iter().all(is_highlighted), "{styles:?}");
    assert!(
        styles[11..].iter().all(|s| !is_highlighted(s)),
        "{styles:?}"
    );
    quit_with(&mut tui, "q");
}

#[test]
fn status_bar_keeps_section_and_position_visible_with_a_long_title() {
    let mut tui = open(&[WATER_BRIEF], 80, 24);
    wait_for(&tui, "The Meridian Basin has now experienced");
    let bar = status(&tui);
    assert!(bar.contains("§1/17"), "{bar:?}");
    assert!(
        ["· all", "· top"].iter().any(|p| bar.contains(p)),
        "the position in the section stays visible: {bar:?}"
    );
    quit_with(&mut tui, "q");
}

#[test]
fn escape_bytes_in_document_never_reach_the_terminal() {
    let dir = TempDir::new("escapes");
    let file = dir.file(
        "hostile.md",
        "# Hostile \x1b]0;owned\x07 title\n\n\
         clip \x1b]52;c;ZXZpbA==\x07 board\n\n\
         wipe \x1b[2J screen\n\n\
         ref &#27;]0;pwned&#7; done\n",
    );
    let mut tui = open(&[&file], 80, 24);
    let screen = wait_for(&tui, "done");
    // Sequences in the bytes are dropped, as the terminal that wrote them
    // would not show them; ESC made by a character reference is shown.
    for shown in [
        "clip board",
        "wipe screen",
        "ref ␛]0;pwned␇ done",
        "Hostile title",
    ] {
        assert!(screen.contains(shown), "{shown:?} not shown:\n{screen}");
    }
    quit_with(&mut tui, "q");

    let raw = tui.raw_output();
    assert!(
        find(&raw, b"\x1b]").is_none(),
        "an OSC sequence reached the terminal: {:?}",
        tui.escape_sequences()
            .iter()
            .filter(|s| s.starts_with("\x1b]"))
            .map(|s| printable(s))
            .collect::<Vec<_>>()
    );
    assert!(!raw.contains(&0x07), "a BEL reached the terminal");
}

// ----- errors ----------------------------------------------------------------

#[test]
fn missing_file_is_one_line_on_stderr() {
    let dir = TempDir::new("missing");
    let path = dir.path.join("no-such-briefing.md");
    let out = run(&[&path]);
    assert_fails_with_one_line_naming(&out, &path);
}

#[test]
fn folder_without_briefings_is_one_line_on_stderr() {
    let dir = TempDir::new("empty");
    dir.file("notes.bin", b"\x00\x01\x02");
    let out = run(&[&dir.path]);
    assert_fails_with_one_line_naming(&out, &dir.path);
    assert!(
        out.stderr_str().contains("no briefings"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn binary_file_is_one_line_on_stderr() {
    let dir = TempDir::new("binary");
    let path = dir.file(
        "report.txt",
        b"PK\x03\x04\x00\x00\x1b[2J\x00\xff\xfe binary",
    );
    let out = run(&[&path]);
    assert_fails_with_one_line_naming(&out, &path);
    assert!(
        out.stderr_str().contains("not a text file"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn escape_bytes_in_document_never_reach_a_pipe() {
    let dir = TempDir::new("piped-escapes");
    let path = dir.file(
        "hostile.md",
        "# Ti\x1b]0;x\x07tle\n\nhello \x1b]52;c;ZXZpbA==\x07 world &#27;[2J\n",
    );
    let flags: [&[&str]; 3] = [&[], &["--outline"], &["--json"]];
    for flags in flags {
        let args: Vec<&OsStr> = flags
            .iter()
            .map(OsStr::new)
            .chain([path.as_os_str()])
            .collect();
        let out = run(&args);
        assert!(
            out.status.expect("finished").success(),
            "{flags:?}: {}",
            out.stderr_str()
        );
        assert_no_escape_byte(&out);
        let text = out.stdout_str();
        assert!(
            text.contains("Title"),
            "{flags:?}: the title without its escape:\n{text}"
        );
        if flags != ["--outline"] {
            assert!(
                text.contains("hello world ␛[2J"),
                "{flags:?}: the text without its escape, the referenced one shown:\n{text}"
            );
        }
    }
}

// ----- output without a terminal --------------------------------------------

#[test]
fn outline_flag_prints_numbered_indented_sections() {
    let out = run(&["--outline", SECURITY_BRIEF]);
    assert!(
        out.status.expect("finished").success(),
        "{}",
        out.stderr_str()
    );
    let text = out.stdout_str();
    // Keyword hit counts (from the front matter) follow as `  [n hits: term n, …]`.
    let sections: Vec<&str> = text
        .lines()
        .map(|l| l.split_once("  [").map_or(l, |(before, _)| before))
        .collect();
    assert_eq!(
        sections,
        [
            "1 Daily Security Brief",
            "  1.1 Key judgements",
            "  1.2 Threat activity",
            "    1.2.1 Ransomware",
            "    1.2.2 Vulnerability: CVE-2026-4411",
            "    1.2.3 Phishing",
            "  1.3 Recommended actions",
            "  1.4 Outlook",
        ]
    );
    assert!(
        text.contains(
            "  1.1 Key judgements  [3 hits: ransomware 1, CVE-2026-4411 1, phishing 1]\n"
        ),
        "{text}"
    );
}

#[test]
fn json_flag_prints_the_parsed_briefing() {
    let out = run(&["--json", SECURITY_BRIEF]);
    assert!(
        out.status.expect("finished").success(),
        "{}",
        out.stderr_str()
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out.stdout_str()));
    assert_eq!(doc["title"], "Daily Security Brief — 27 November 2026");
    assert_eq!(doc["format"], "markdown");
    let sections = doc["sections"].as_array().expect("sections array");
    let numbers: Vec<&str> = sections
        .iter()
        .map(|s| s["number"].as_str().expect("number"))
        .collect();
    assert_eq!(
        numbers,
        ["1", "1.1", "1.2", "1.2.1", "1.2.2", "1.2.3", "1.3", "1.4"]
    );
    let key_judgements = &sections[1];
    assert_eq!(key_judgements["level"], 2);
    assert_eq!(key_judgements["title"], "Key judgements");
    assert_eq!(key_judgements["line"], 14, "the heading's line in the file");
    assert_eq!(
        key_judgements["hits"],
        serde_json::json!({"ransomware": 1, "CVE-2026-4411": 1, "phishing": 1})
    );
    let text = key_judgements["text"].as_str().expect("text");
    assert!(
        text.starts_with("Ransomware activity remains elevated in the logistics"),
        "{text}"
    );
    assert!(
        !text.contains("**"),
        "text is plain, without Markdown: {text}"
    );
}

#[test]
fn plain_output_has_the_title_and_wraps_at_80_columns() {
    let out = run(&[SECURITY_BRIEF]);
    assert!(
        out.status.expect("finished").success(),
        "{}",
        out.stderr_str()
    );
    let text = out.stdout_str();
    assert_eq!(
        text.lines().next(),
        Some("Daily Security Brief — 27 November 2026")
    );
    let widest = text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
    assert!(widest <= 80, "a line is {widest} columns wide:\n{text}");
    assert!(
        widest > 70,
        "text fills the width, widest is {widest}:\n{text}"
    );
    assert!(
        text.contains(
            "Prepared by the analyst desk for member organisations. This edition covers the\n"
        ),
        "the source's line breaks are rewrapped:\n{text}"
    );
}

#[test]
fn plain_output_of_every_sample_fits_80_columns() {
    for entry in fs::read_dir(repo().join("briefings")).expect("briefings dir") {
        let path = entry.expect("entry").path();
        let out = run(&[&path]);
        assert!(
            out.status.expect("finished").success(),
            "{}",
            out.stderr_str()
        );
        for line in out.stdout_str().lines() {
            assert!(
                line.width() <= 80,
                "{}: {} columns: {line:?}",
                path.display(),
                line.width()
            );
        }
    }
}

#[test]
fn version_and_help_exit_zero() {
    let version = run(&["--version"]);
    assert!(version.status.expect("finished").success());
    assert_eq!(
        version.stdout_str(),
        format!("brief {}\n", env!("CARGO_PKG_VERSION"))
    );

    let help = run(&["--help"]);
    assert!(help.status.expect("finished").success());
    let text = help.stdout_str();
    for expected in ["Usage: brief", "--outline", "--json", "--keyword"] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

#[test]
fn adding_a_term_shows_it_in_the_panel_and_enter_jumps_through_its_hits() {
    let mut tui = open(&[SECURITY_BRIEF], 120, 40);
    wait_for(&tui, "§1/8");
    tui.send_keys("+");
    wait_for(&tui, "+▏");
    tui.send_keys("firmware");
    tui.key_enter();
    wait_for(&tui, "■ firmware");
    // The panel has the focus after adding, on the new term: jump.
    tui.key_enter();
    let screen = wait_for(&tui, "/firmware 1/");
    assert!(screen.contains("§4/8"), "first hit is in 1.2.1: {screen}");
    tui.send_keys("n");
    wait_for(&tui, "/firmware 2/");
    quit_with(&mut tui, "q");
}
