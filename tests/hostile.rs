//! Untrusted input against the real binary: documents full of terminal
//! escape sequences, nesting deep enough to overflow a recursive parser,
//! files that are not briefings, and signals. Each test runs
//! `env!("CARGO_BIN_EXE_brief")` in a pseudo-terminal (through the harness
//! in `common`) or with pipes.
//!
//! The escape tests read every byte the reader wrote and allow only the
//! sequences it produces itself (see [`is_allowed`]): anything else, an
//! OSC, a DCS, an APC, a query or an unknown CSI, fails the test.

mod common;
mod pathological;

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Plain, PlainOutput, Tui, escape_sequences_in, printable};

/// Upper bound for every wait (generous: CI machines are loaded).
const TIMEOUT: Duration = Duration::from_secs(20);

/// The mouse modes crossterm's `EnableMouseCapture` switches on.
const MOUSE_MODES: [u16; 5] = [1000, 1002, 1003, 1015, 1006];

/// Private modes the reader sets and resets, and nothing else: the
/// alternate screen, the cursor, and the mouse modes.
const PRIVATE_MODES: [u16; 7] = [1049, 25, 1000, 1002, 1003, 1015, 1006];

/// Escape sequences the payloads below try to smuggle onto the screen:
/// OSC 52 (clipboard), OSC 0 (title), OSC 8 (hyperlink), erase display,
/// the queries DSR, DA, XTVERSION and DECRQSS, DCS, APC, PM, SOS, a full
/// reset, mode changes, charset switches, and C1 controls (CSI, OSC, DCS
/// and ST as single characters).
const PAYLOADS: &[&str] = &[
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]52;c;ZXZpbA==\x1b\\",
    "\x1b]0;pwned\x07",
    "\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[2J",
    "\x1b[3J",
    "\x1b[77;77H",
    "\x1b[5;7;9m",
    "\x1b[6n",
    "\x1b[c",
    "\x1b[>0q",
    "\x1bP$qm\x1b\\",
    "\x1bP1;1|17/68656c6c6f\x1b\\",
    "\x1b_apc\x1b\\",
    "\x1b^pm\x1b\\",
    "\x1bXsos\x1b\\",
    "\x1bc",
    "\x1b[?1049l",
    "\x1b[?1000l",
    "\x1b[?2004h",
    "\x1b(0",
    "\x1b#8",
    "\x0e\x0f\x08\x7f",
    "\u{9b}31m",
    "\u{9d}0;title\u{7}",
    "\u{90}$qm\u{9c}",
];

// ----- helpers ---------------------------------------------------------------

fn brief() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_brief"))
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "brief-hostile-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
        TempDir { path }
    }

    fn file(&self, name: impl AsRef<OsStr>, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(name.as_ref());
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// `brief args` in a `cols`×`rows` terminal, once its first frame is drawn
/// (the status bar, the last row, is written last).
fn open<S: AsRef<OsStr>>(args: &[S], cols: u16, rows: u16, env: &[(&str, &str)]) -> Tui {
    let tui = Tui::builder(brief())
        .args(args)
        .size(cols, rows)
        .env("RUST_BACKTRACE", "0")
        .envs(env)
        .spawn();
    wait_until(&tui, "the first frame is drawn", |s| {
        s.rsplit('\n').next().is_some_and(|last| !last.is_empty())
    });
    tui
}

fn wait_until(tui: &Tui, what: &str, pred: impl FnMut(&str) -> bool) -> String {
    tui.expect_until(what, TIMEOUT, pred)
}

/// Waits until the output has been quiet for a moment, so that the keys
/// sent so far have been handled.
fn settle(tui: &Tui) {
    let _ = tui.wait_idle(Duration::from_millis(150), TIMEOUT);
}

fn run<S: AsRef<OsStr>>(args: &[S]) -> PlainOutput {
    let out = Plain::new(brief())
        .args(args)
        .timeout(Duration::from_secs(60))
        .run();
    assert!(
        out.status.is_some(),
        "brief {:?} timed out\nstderr:\n{}",
        args.iter().map(AsRef::as_ref).collect::<Vec<_>>(),
        out.stderr_str()
    );
    out
}

/// Whether the reader may write `seq` (an escape sequence as listed by
/// [`escape_sequences_in`]): SGR, cursor movement and positioning, erasing
/// as ratatui and crossterm emit them, and the exact private modes in
/// [`PRIVATE_MODES`]. Nothing else: no OSC, DCS, APC, PM or SOS string, no
/// query, no other CSI final, no bare ESC sequence.
fn is_allowed(seq: &str) -> bool {
    let Some(csi) = seq.strip_prefix("\x1b[") else {
        return false;
    };
    let Some(last) = csi.chars().last() else {
        return false;
    };
    let params = &csi[..csi.len() - last.len_utf8()];
    if let Some(mode) = params.strip_prefix('?') {
        return matches!(last, 'h' | 'l')
            && mode
                .parse::<u16>()
                .is_ok_and(|m| PRIVATE_MODES.contains(&m));
    }
    let numeric = params.chars().all(|c| c.is_ascii_digit() || c == ';');
    let sgr = last == 'm'
        && params
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ';' | ':'));
    let cursor = matches!(
        last,
        'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'd' | 'f'
    ) && numeric;
    let erase = matches!(last, 'J' | 'K') && matches!(params, "" | "0" | "1" | "2" | "3");
    sgr || cursor || erase
}

/// Every escape sequence in `raw` is one the reader produces itself, no C1
/// control is in it (as a character or as a stray byte), and the only C0
/// controls are ESC, CR, LF and BS.
fn assert_only_own_sequences(raw: &[u8], context: &str) {
    let foreign: Vec<String> = escape_sequences_in(raw)
        .iter()
        .filter(|s| !is_allowed(s))
        .map(|s| printable(s))
        .collect();
    assert!(
        foreign.is_empty(),
        "{context}: sequences the reader did not make reached the terminal: {foreign:?}"
    );
    let text = std::str::from_utf8(raw)
        .unwrap_or_else(|e| panic!("{context}: output is not UTF-8 ({e}): a raw byte leaked"));
    let controls: Vec<char> = text
        .chars()
        .filter(|&c| {
            ('\u{80}'..='\u{9f}').contains(&c)
                || (c.is_ascii_control() && !matches!(c, '\x1b' | '\r' | '\n' | '\x08'))
        })
        .collect();
    assert!(
        controls.is_empty(),
        "{context}: control characters reached the terminal: {controls:?}"
    );
}

/// The terminal is handed back: alternate screen left, each mouse mode
/// switched off after it was switched on, cursor shown.
fn assert_terminal_restored(tui: &Tui, context: &str) {
    assert!(
        tui.alternate_screen_entered(),
        "{context}: never entered the alternate screen"
    );
    assert!(
        tui.alternate_screen_left(),
        "{context}: left in the alternate screen"
    );
    let raw = tui.raw_output();
    for mode in MOUSE_MODES {
        let on = format!("\x1b[?{mode}h");
        let off = format!("\x1b[?{mode}l");
        let at = rfind(&raw, on.as_bytes())
            .unwrap_or_else(|| panic!("{context}: mouse mode {mode} never switched on"));
        assert!(
            rfind(&raw[at..], off.as_bytes()).is_some(),
            "{context}: mouse mode {mode} left on"
        );
    }
    assert!(!tui.cursor_hidden(), "{context}: cursor left hidden");
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Scrolls and searches through the open briefing the way a reader would,
/// then quits, expecting a clean exit.
fn read_through_and_quit(tui: &mut Tui, context: &str) {
    for keys in ["j", "j", " ", "]", "]", "G", "g", "\t", "j", " ", "G"] {
        tui.send_keys(keys);
    }
    settle(tui);
    tui.send_keys("/52");
    tui.key_enter();
    tui.send_keys("nn");
    settle(tui);
    tui.send_keys("?");
    settle(tui);
    tui.key_esc();
    settle(tui);
    tui.send_keys("q");
    let status = tui
        .wait_exit(TIMEOUT)
        .unwrap_or_else(|| panic!("{context}: brief did not exit after q"));
    assert!(status.success(), "{context}: exit status {status:?}");
    assert_terminal_restored(tui, context);
}

/// Every payload, in every place a Markdown document can hold text.
fn hostile_markdown(payloads: &[String]) -> String {
    let mut doc = String::new();
    for (i, p) in payloads.iter().enumerate() {
        doc.push_str(&format!("# Heading {i} {p} end\n\n"));
        doc.push_str(&format!("Paragraph {p} with *em {p}* and `code {p}`.\n\n"));
        doc.push_str(&format!("- item {p}\n  - nested {p}\n1. number {p}\n\n"));
        doc.push_str(&format!("> quote {p}\n\n"));
        doc.push_str(&format!(
            "| head {p} | b |\n|---|---|\n| cell {p} | x |\n\n"
        ));
        doc.push_str(&format!("```lang{p}\ncode {p}\n```\n\n"));
        doc.push_str(&format!(
            "[link {p}](https://example.org/{p}) ![img {p}](i.png) <b>{p}</b>[^n{i}]\n\n"
        ));
        doc.push_str(&format!("[^n{i}]: note {p}\n\n"));
    }
    doc
}

/// A payload as `CommonMark` character references (`&#27;`, `&#x9b;`).
fn as_references(payload: &str) -> String {
    payload
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if c.is_control() {
                if i % 2 == 0 {
                    format!("&#{};", u32::from(c))
                } else {
                    format!("&#x{:x};", u32::from(c))
                }
            } else if matches!(c, '\\' | '[' | ']' | '|' | '`' | '*' | '_' | '<' | '&') {
                format!("&#{};", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// YAML and TOML front matter whose escapes (`\e`, `\x1b`, `\u001b`)
/// decode to control characters.
fn hostile_front_matter() -> Vec<String> {
    vec![
        "---\ntitle: \"Front \\e]0;pwned\\a matter\"\ndate: \"\\x1b[6n\"\nsource: \"\\u001b]52;c;ZXZpbA==\\u0007\"\n\
         keywords: [\"k\\e[2J\", \"\\u009b31m\", \"\\x9d0;t\\a\"]\n\"key\\e]0;x\\a\": \"value\\e[c\"\n---\n\n\
         # Body \\e not an escape here\n\nText.\n"
            .to_owned(),
        "+++\ntitle = \"Front \\u001b]0;pwned\\u0007 matter\"\ndate = \"\\u001b[6n\"\n\
         source = \"\\u009b31m\"\nkeywords = [\"k\\u001b[2J\"]\n\"key\\u001b\" = \"v\\u001bP$qm\\u001b\\\\\"\n+++\n\n\
         # Body\n\nText.\n"
            .to_owned(),
    ]
}

/// Payloads made only of sequences the whitelist allows, in a form the
/// reader never writes itself (a 30-row terminal has no row 77; the theme
/// has no blink): if one shows up in the output, it came from a document.
const ALLOWED_LOOKING: &[&[u8]] = &[b"\x1b[77;77H", b"\x1b[5;7;9m"];

fn assert_no_allowed_looking_payload(raw: &[u8], context: &str) {
    for payload in ALLOWED_LOOKING {
        assert!(
            rfind(raw, payload).is_none(),
            "{context}: {:?} from the document reached the terminal",
            printable(&String::from_utf8_lossy(payload))
        );
    }
}

// ----- escape sequences ------------------------------------------------------

#[test]
fn the_whitelist_allows_what_the_reader_writes_and_nothing_else() {
    for own in [
        "\x1b[0m",
        "\x1b[1m",
        "\x1b[38;5;6;49m",
        "\x1b[38;2;10;20;30m",
        "\x1b[12;1H",
        "\x1b[2J",
        "\x1b[K",
        "\x1b[?1049h",
        "\x1b[?25l",
        "\x1b[?1006l",
    ] {
        assert!(is_allowed(own), "{}", printable(own));
    }
    for payload in PAYLOADS {
        let sequences = escape_sequences_in(payload.as_bytes());
        let caught = sequences.iter().any(|s| !is_allowed(s))
            || payload.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c.is_ascii_control() && c != '\x1b')
            || ALLOWED_LOOKING.contains(&payload.as_bytes())
            // Sequences the reader writes itself cannot be told apart by
            // their bytes; the model tests show they arrive as `␛` text.
            || ["\x1b[2J", "\x1b[3J", "\x1b[?1049l", "\x1b[?1000l"].contains(payload);
        assert!(caught, "{} would pass unnoticed", printable(payload));
    }
}

#[test]
fn escape_sequences_in_a_document_never_reach_the_terminal() {
    let dir = TempDir::new("payloads");
    let payloads: Vec<String> = PAYLOADS.iter().map(|p| (*p).to_owned()).collect();
    let references: Vec<String> = PAYLOADS.iter().map(|p| as_references(p)).collect();
    let mut files = vec![
        dir.file("raw.md", hostile_markdown(&payloads)),
        dir.file("references.md", hostile_markdown(&references)),
        dir.file("raw.txt", {
            let mut doc = String::from("HOSTILE TEXT\n\n");
            for p in PAYLOADS {
                doc.push_str(&format!(
                    "1. SECTION {p}\n\nText {p} here.\n\n    code {p}\tx\n\n"
                ));
            }
            doc
        }),
        // C1 controls as raw bytes: not UTF-8, decoded as a legacy encoding.
        dir.file(
            "c1-bytes.txt",
            b"C1 BYTES\n\nCSI \x9b31m OSC \x9d0;t\x07 DCS \x90$q\x9c end\n".as_slice(),
        ),
        dir.file(
            "c1-in-utf8.md",
            "# C1 caf\u{e9}\n\nCSI \x1b[31m raw \x1b7 "
                .bytes()
                .chain(*b"\x9b31m \x9d0;t\x07 \xc2\x9b2J end\n")
                .collect::<Vec<u8>>(),
        ),
    ];
    for (i, fm) in hostile_front_matter().into_iter().enumerate() {
        files.push(dir.file(format!("front-{i}.md"), fm));
    }
    for file in &files {
        let context = file.display().to_string();
        let mut tui = open(&[file], 100, 30, &[]);
        let screen = tui.screen();
        assert!(
            screen.contains('␛') || screen.contains('\u{FFFD}') || screen.contains('›'),
            "{context}: escapes not dropped whole are shown as symbols:\n{screen}"
        );
        read_through_and_quit(&mut tui, &context);
        assert_only_own_sequences(&tui.raw_output(), &context);
        assert_no_allowed_looking_payload(&tui.raw_output(), &context);
    }
}

#[test]
fn hostile_file_names_in_a_folder_never_reach_the_terminal() {
    let dir = TempDir::new("names");
    // No heading: the name stands in for the title.
    dir.file("a\x1b]0;pwned\x07.md", "Text without a heading.\n");
    dir.file("b\x1b[2J\u{9b}31m.txt", "");
    dir.file("c\x1bP$qm\x1b\\.md", b"\x00binary".as_slice());
    let mut tui = open(&[&dir.path], 100, 20, &[]);
    let screen = wait_until(&tui, "the list shows the names", |s| {
        s.contains("a␛]0;pwned␇.md")
    });
    assert!(screen.contains("b␛[2J"), "{screen}");
    assert!(screen.contains("c␛P$qm␛\\.md"), "{screen}");
    tui.send_keys("j");
    settle(&tui);
    tui.key_enter();
    settle(&tui);
    tui.send_keys("q");
    let status = tui.wait_exit(TIMEOUT).expect("brief exits after q");
    assert!(status.success(), "{status:?}");
    assert_terminal_restored(&tui, "folder");
    assert_only_own_sequences(&tui.raw_output(), "folder");
}

#[test]
fn escape_sequences_never_reach_a_pipe() {
    let dir = TempDir::new("pipe");
    let payloads: Vec<String> = PAYLOADS.iter().map(|p| (*p).to_owned()).collect();
    let references: Vec<String> = PAYLOADS.iter().map(|p| as_references(p)).collect();
    let mut files = vec![
        dir.file("raw\x1b]0;x\x07.md", hostile_markdown(&payloads)),
        dir.file("references.md", hostile_markdown(&references)),
    ];
    for (i, fm) in hostile_front_matter().into_iter().enumerate() {
        files.push(dir.file(format!("front-{i}.md"), fm));
    }
    for file in &files {
        for flags in [&[][..], &["--outline"], &["--json"]] {
            let args: Vec<&OsStr> = flags
                .iter()
                .map(OsStr::new)
                .chain([file.as_os_str()])
                .collect();
            let out = run(&args);
            assert!(
                out.status.expect("finished").success(),
                "{}",
                out.stderr_str()
            );
            let context = format!("{} {flags:?}", file.display());
            assert_only_own_sequences(&out.stdout, &context);
            assert_no_allowed_looking_payload(&out.stdout, &context);
            assert!(!out.stdout.contains(&0x1b), "{context}: ESC on stdout");
        }
    }
}

// ----- deep nesting ----------------------------------------------------------

/// Documents nested 100,000 levels deep, for a parser that recurses.
fn deep_documents() -> Vec<(&'static str, String)> {
    let n = 100_000;
    vec![
        ("block quotes", pathological::deep_quotes(n)),
        ("list items", pathological::deep_list_inline(n)),
        ("quotes in lists", pathological::deep_quote_list(n / 2)),
        ("indented lists", pathological::deep_list_indented(1_000)),
        ("brackets", pathological::deep_brackets(n)),
        ("emphasis", pathological::deep_emphasis(n)),
        ("links", pathological::nested_links(n / 4)),
    ]
}

#[test]
fn deep_nesting_prints_an_outline_on_the_main_thread() {
    let dir = TempDir::new("deep-outline");
    for (name, doc) in deep_documents() {
        let path = dir.file(format!("{}.md", name.replace(' ', "-")), doc);
        for flags in [&["--outline"][..], &["--json"], &[]] {
            let args: Vec<&OsStr> = flags
                .iter()
                .map(OsStr::new)
                .chain([path.as_os_str()])
                .collect();
            let out = run(&args);
            let status = out.status.expect("finished");
            assert!(
                status.success(),
                "{name} {flags:?}: {status:?}\n{}",
                out.stderr_str()
            );
            assert!(!out.stdout.is_empty(), "{name} {flags:?}: no output");
        }
    }
}

#[test]
fn deep_nesting_draws_a_frame_in_a_terminal() {
    let dir = TempDir::new("deep-tui");
    for (name, doc) in deep_documents() {
        let path = dir.file(format!("{}.md", name.replace(' ', "-")), doc);
        let mut tui = open(&[&path], 80, 24, &[]);
        for keys in ["\t", "j", " ", "G", "]"] {
            tui.send_keys(keys);
        }
        settle(&tui);
        tui.send_keys("q");
        let status = tui.wait_exit(TIMEOUT).expect("brief exits after q");
        assert!(status.success(), "{name}: {status:?}");
        assert_terminal_restored(&tui, name);
    }
}

// ----- files that are not briefings ------------------------------------------

/// A failed run: non-zero exit, nothing on stdout, one line on stderr that
/// names `path`, and no escape byte.
fn assert_one_line_error(out: &PlainOutput, path: &Path, says: &str) {
    let stderr = out.stderr_str();
    let status = out.status.expect("finished");
    assert!(
        !status.success(),
        "exit status {status:?}, stderr: {stderr}"
    );
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout_str());
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr:?}");
    assert!(
        stderr.contains(&path.display().to_string()),
        "stderr does not name {}: {stderr:?}",
        path.display()
    );
    assert!(
        stderr.contains(says),
        "stderr does not say {says:?}: {stderr:?}"
    );
    assert!(!out.stderr.contains(&0x1b), "ESC on stderr: {stderr:?}");
}

/// The same in a terminal: nothing drawn (no alternate screen), the error
/// on the terminal, a non-zero exit.
fn assert_fails_in_terminal(path: &Path, says: &str) {
    let mut tui = Tui::builder(brief()).arg(path).size(80, 24).spawn();
    let status = tui.wait_exit(TIMEOUT).expect("brief exits by itself");
    assert!(!status.success(), "{}: {status:?}", path.display());
    assert!(
        !tui.alternate_screen_entered(),
        "{}: the reader drew although the file is bad",
        path.display()
    );
    let screen = tui.screen();
    assert!(screen.contains(says), "{}: {screen}", path.display());
}

#[test]
fn a_missing_file_is_a_one_line_error() {
    let dir = TempDir::new("missing");
    let path = dir.path.join("gone.md");
    assert_one_line_error(&run(&[&path]), &path, "No such file");
    assert_fails_in_terminal(&path, "No such file");
}

#[test]
fn a_binary_file_is_a_one_line_error() {
    let dir = TempDir::new("binary");
    let nul = dir.file("nul.md", pathological::with_nul(4096));
    assert_one_line_error(&run(&[&nul]), &nul, "not a text file");
    assert_fails_in_terminal(&nul, "not a text file");
    let garbage: Vec<u8> = pathological::garbage(64 * 1024)
        .into_iter()
        .map(|b| b.max(1))
        .collect();
    let garbage = dir.file("garbage.txt", garbage);
    assert_one_line_error(&run(&[&garbage]), &garbage, "not a text file");
}

#[test]
fn a_file_over_the_size_limit_says_how_to_raise_it() {
    let dir = TempDir::new("large");
    let path = dir.file("big.md", "# Big\n\n".repeat(100));
    let out = run(&[
        OsStr::new("--max-size"),
        OsStr::new("100"),
        path.as_os_str(),
    ]);
    assert_one_line_error(&out, &path, "--max-size");
    let out = run(&[
        OsStr::new("--max-size"),
        OsStr::new("100000"),
        path.as_os_str(),
    ]);
    assert!(
        out.status.expect("finished").success(),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn an_unreadable_file_is_a_one_line_error() {
    if is_root() {
        eprintln!("skipped: running as root, which can read a file without permissions");
        return;
    }
    let dir = TempDir::new("unreadable");
    let path = dir.file("secret.md", "# Secret\n");
    set_mode(&path, 0o000);
    assert_one_line_error(&run(&[&path]), &path, "Permission denied");
    let folder = dir.path.join("closed");
    fs::create_dir(&folder).expect("create folder");
    set_mode(&folder, 0o000);
    assert_one_line_error(&run(&[&folder]), &folder, "Permission denied");
    set_mode(&folder, 0o755);
}

#[test]
fn a_folder_with_nothing_readable_is_a_one_line_error() {
    let dir = TempDir::new("nothing-readable");
    dir.file("a.md", b"\x00\x01binary".as_slice());
    dir.file("b.txt", pathological::garbage(4096));
    dir.file("notes.bin", "not a briefing by name");
    assert_one_line_error(&run(&[&dir.path]), &dir.path, "no readable briefings");
    assert_fails_in_terminal(&dir.path, "no readable briefings");
}

#[test]
fn a_file_read_through_a_pipe_loads_and_a_pipe_over_the_limit_is_refused() {
    let dir = TempDir::new("fifo");
    let fifo = dir.path.join("stream.md");
    if !std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    // A pipe reports size 0: the limit must hold while reading. The writer
    // ends early (EPIPE) once the reader has refused the stream.
    let writer = feed_fifo(
        fifo.clone(),
        "# Stream\n\nwords ".repeat(1_000).into_bytes(),
    );
    let out = run(&[
        OsStr::new("--max-size"),
        OsStr::new("1000"),
        fifo.as_os_str(),
    ]);
    assert_one_line_error(&out, &fifo, "--max-size");
    drop(writer.join());
    // A stream that ends in the middle of a character still loads.
    let mut bytes = "# Stream\n\ncaf\u{e9} text\n".as_bytes().to_vec();
    bytes.extend_from_slice(&"caf\u{e9}".as_bytes()[..4]);
    let writer = feed_fifo(fifo.clone(), bytes);
    let out = run(&[OsStr::new("--outline"), fifo.as_os_str()]);
    assert!(
        out.status.expect("finished").success(),
        "{}",
        out.stderr_str()
    );
    assert!(out.stdout_str().contains("Stream"), "{}", out.stdout_str());
    drop(writer.join());
}

fn feed_fifo(path: PathBuf, bytes: Vec<u8>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        use std::io::Write;
        if let Ok(mut f) = fs::OpenOptions::new().write(true).open(&path) {
            let _ = f.write_all(&bytes);
        }
    })
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

// ----- signals and panics ----------------------------------------------------

fn send_signal(tui: &Tui, signal: &str) {
    let pid = tui.pid().expect("the child has a pid");
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {pid}");
}

#[test]
fn a_terminating_signal_restores_the_terminal() {
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2)] {
        let mut tui = open(
            &["briefings/2026-11-27-daily-security-brief.md"],
            80,
            24,
            &[],
        );
        send_signal(&tui, signal);
        let status = tui
            .wait_exit(TIMEOUT)
            .unwrap_or_else(|| panic!("SIG{signal} did not end brief"));
        assert_eq!(
            status.exit_code(),
            128 + number,
            "SIG{signal}: exit status {status:?}"
        );
        assert_terminal_restored(&tui, &format!("SIG{signal}"));
    }
}

#[test]
fn a_signal_in_the_folder_list_restores_the_terminal() {
    let mut tui = open(&["briefings"], 80, 24, &[]);
    send_signal(&tui, "TERM");
    let status = tui.wait_exit(TIMEOUT).expect("SIGTERM ends brief");
    assert_eq!(status.exit_code(), 143, "{status:?}");
    assert_terminal_restored(&tui, "folder SIGTERM");
}

#[test]
fn a_panic_restores_the_terminal_and_exits_101() {
    let mut tui = Tui::builder(brief())
        .arg("briefings/2026-11-27-daily-security-brief.md")
        .size(80, 24)
        .env("RUST_BACKTRACE", "0")
        .env("BRIEF_TEST_PANIC", "1")
        .spawn();
    let status = tui.wait_exit(TIMEOUT).expect("the panic ends brief");
    assert_eq!(status.exit_code(), 101, "{status:?}");
    assert!(
        tui.raw_contains(b"\x1b[24;1H"),
        "a frame was drawn before the panic"
    );
    assert_terminal_restored(&tui, "panic");
    let screen = tui.screen();
    assert!(screen.contains("panicking on purpose"), "{screen}");
}
