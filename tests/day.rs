//! A reader's day, end to end: the real `brief` binary in a pseudo-terminal
//! (through the harness in `common`), run several times over the same
//! state folder. Reopening returns to the remembered place, marks persist,
//! a file changed on disk is followed, the editor key edits and reloads,
//! and links go to the opener.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::Tui;

const TIMEOUT: Duration = Duration::from_secs(10);

fn brief() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_brief"))
}

/// A briefing with a long second section (so a place inside it is more
/// than a section) and a link.
fn briefing_text(extra: &str) -> String {
    let mut long = String::new();
    for i in 1..=60 {
        long.push_str(&format!("Line {i} of the harbour section.\n\n"));
    }
    format!(
        "# Port brief\n\nLead.\n\n## Harbour\n\n{long}## Markets\n\nSee [the source](https://example.org/m).\n\n\
         ## Weather\n\nRain.\n\n{extra}## Outlook\n\nCalm.\n"
    )
}

struct Day {
    dir: tempfile::TempDir,
}

impl Day {
    fn new(text: &str) -> Day {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("port.md"), text).expect("write");
        fs::create_dir(dir.path().join("state")).expect("state dir");
        Day { dir }
    }

    /// An executable shell script `name` in the day's folder.
    #[cfg(unix)]
    fn script(&self, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.path().join(name);
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("port.md")
    }

    fn open(&self, extra_args: &[&str], env: &[(&str, &str)]) -> Tui {
        let mut builder = Tui::builder(brief())
            .args(extra_args)
            .arg(self.file())
            .size(100, 30)
            .cwd(self.dir.path())
            .env("RUST_BACKTRACE", "0")
            .env("BRIEF_STATE_DIR", self.dir.path().join("state"));
        for (k, v) in env {
            builder = builder.env(k, v);
        }
        let tui = builder.spawn();
        wait(&tui, "the first frame", |s| s.contains("§"));
        tui
    }
}

fn wait(tui: &Tui, what: &str, pred: impl FnMut(&str) -> bool) -> String {
    tui.expect_until(what, TIMEOUT, pred)
}

fn quit(tui: &mut Tui) {
    tui.send_keys("q");
    let status = tui.wait_exit(TIMEOUT).expect("brief exits on q");
    assert!(status.success(), "{status:?}");
}

fn status_line(tui: &Tui) -> String {
    let (_, rows) = tui.size();
    tui.row(rows - 1)
}

#[test]
fn reopening_returns_to_the_place_and_marks_persist() {
    let day = Day::new(&briefing_text(""));
    let mut tui = day.open(&[], &[]);
    // Into the long section, scroll well down, set a mark, move away.
    tui.send_keys(":2\r");
    wait(&tui, "section 2", |s| s.contains("§2/5"));
    tui.key_tab();
    for _ in 0..30 {
        tui.send_keys("j");
    }
    // The mark is set after every `j` is handled: read the top line off
    // that screen (a screen that merely looks scrolled may come before the
    // last `j`).
    tui.send_keys("mh");
    let screen = wait(&tui, "the mark is set", |s| s.contains("mark h set at §2"));
    assert!(
        screen.contains("Line 20 of the harbour") && !screen.contains("Line 2 of the harbour"),
        "{screen}"
    );
    let top_line = screen
        .lines()
        .find_map(|l| l.split('│').nth(1).filter(|t| t.contains("Line ")))
        .expect("a text line on screen")
        .trim()
        .to_owned();
    quit(&mut tui);

    // Reopened: the same section, the same text at the top.
    let mut tui = day.open(&[], &[]);
    let screen = wait(&tui, "the remembered place", |s| s.contains("§2/5"));
    assert!(screen.contains("resumed at §2"), "{screen}");
    assert!(screen.contains(&top_line), "{top_line:?} not on:\n{screen}");
    // The mark came back with it.
    tui.send_keys("g'h");
    wait(&tui, "the mark's section", |s| s.contains("§2/5"));
    tui.send_keys(":5\r");
    wait(&tui, "section 5", |s| s.contains("§5/5"));
    quit(&mut tui);

    // --fresh starts at the top; the marks are still there.
    let mut tui = day.open(&["--fresh"], &[]);
    let screen = wait(&tui, "the top", |s| s.contains("§1/5"));
    assert!(!screen.contains("resumed"), "{screen}");
    tui.send_keys("'");
    wait(&tui, "the mark prompt", |s| s.contains("marks: h"));
    tui.key_esc();
    wait(&tui, "the prompt to go", |s| !s.contains("marks: h"));
    quit(&mut tui);
}

#[test]
fn read_sections_are_marked_in_the_outline_and_remembered() {
    let day = Day::new(&briefing_text(""));
    let mut tui = day.open(&[], &[]);
    // `]` from the short lead reads it; the next two `]` read the short
    // sections they pass.
    tui.send_keys("]");
    wait(&tui, "section 2", |s| s.contains("§2/5"));
    tui.send_keys(":3\r");
    let screen = wait(&tui, "two read", |s| s.contains("2/5 read"));
    assert!(
        screen.lines().any(|l| l.starts_with("✓▾ 1 Port brief")),
        "{screen}"
    );
    assert!(
        screen.lines().any(|l| l.starts_with("     1.1 Harbour")),
        "{screen}"
    );
    quit(&mut tui);
    let mut tui = day.open(&[], &[]);
    let screen = wait(&tui, "read marks back", |s| {
        s.lines().any(|l| l.starts_with("✓    1.2 Markets"))
    });
    assert!(
        screen.lines().any(|l| l.starts_with("✓▾ 1 Port brief")),
        "{screen}"
    );
    assert!(
        screen.lines().any(|l| l.starts_with("     1.1 Harbour")),
        "{screen}"
    );
    // The next unread section.
    tui.send_keys("gu");
    wait(&tui, "the first unread", |s| s.contains("§2/5"));
    quit(&mut tui);
}

#[test]
fn a_file_changed_on_disk_is_reloaded_in_place() {
    let day = Day::new(&briefing_text(""));
    let mut tui = day.open(&[], &[]);
    tui.send_keys(":4\r");
    wait(&tui, "Weather", |s| {
        s.contains("§4/5") && s.contains("Rain.")
    });
    // Written as generators do: a whole new file renamed over the old one.
    let temp = day.dir.path().join(".port.md.new");
    fs::write(
        &temp,
        briefing_text("## Alerts\n\nGale warning.\n\n").replace("Rain.", "Heavy rain."),
    )
    .expect("write");
    fs::rename(&temp, day.file()).expect("rename");
    let screen = wait(&tui, "the reload", |s| s.contains("reloaded:"));
    assert!(
        screen.contains("§4/6"),
        "the same section, one more: {screen}"
    );
    assert!(screen.contains("Heavy rain."), "{screen}");
    assert!(
        status_line(&tui).contains("1 new, 1 changed"),
        "{}",
        status_line(&tui)
    );
    // New and changed sections carry a mark; c steps to them.
    assert!(
        screen.lines().any(|l| l.starts_with("•    1.4 Alerts")),
        "{screen}"
    );
    tui.send_keys("c");
    wait(&tui, "the new section", |s| {
        s.contains("§5/6") && s.contains("Gale warning.")
    });
    // A half-written file does not crash the reader or lose the place.
    fs::write(day.file(), "# Port brief\n\nLe").expect("write");
    wait(&tui, "the short reload", |s| s.contains("/1"));
    fs::write(
        day.file(),
        briefing_text("## Alerts\n\nGale warning.\n\n").replace("Rain.", "Heavy rain."),
    )
    .expect("write");
    wait(&tui, "back in place", |s| {
        s.contains("§5/6") && s.contains("Gale warning.")
    });
    quit(&mut tui);
}

#[test]
fn a_large_file_changed_on_disk_is_compared_in_the_background_and_reloaded() {
    // Over 256 KiB of text: compared with the shown version on a thread.
    let news = "Old harbour news. ".repeat(60);
    let mut archive = String::new();
    for i in 1..=400 {
        archive.push_str(&format!("## Archive {i}\n\n{news}\n\n"));
    }
    let day = Day::new(&(briefing_text("") + &archive));
    let mut tui = day.open(&[], &[]);
    tui.send_keys(":4\r");
    wait(&tui, "Weather", |s| {
        s.contains("§4/405") && s.contains("Rain.")
    });
    let changed = briefing_text("## Alerts\n\nGale warning.\n\n").replace("Rain.", "Heavy rain.");
    fs::write(day.file(), changed + &archive).expect("write");
    let screen = wait(&tui, "the reload", |s| s.contains("reloaded:"));
    assert!(
        screen.contains("§4/406") && screen.contains("Heavy rain."),
        "the same section, one more: {screen}"
    );
    assert!(
        status_line(&tui).contains("1 new, 1 changed"),
        "{}",
        status_line(&tui)
    );
    tui.send_keys("c");
    wait(&tui, "the new section", |s| {
        s.contains("§5/406") && s.contains("Gale warning.")
    });
    quit(&mut tui);
}

#[cfg(unix)]
#[test]
fn the_editor_key_edits_at_the_section_and_reloads() {
    let day = Day::new(&briefing_text(""));
    // An "editor" that records its arguments and appends a section.
    let log = day.dir.path().join("editor.log");
    let editor = day.script(
        "fake-editor",
        &format!(
            "echo \"$@\" > '{}'\nprintf '\\n## Added\\n\\nBy the editor.\\n' >> \"$2\"",
            log.display()
        ),
    );
    let mut tui = day.open(
        &[],
        &[("VISUAL", ""), ("EDITOR", editor.to_str().expect("utf-8"))],
    );
    tui.send_keys(":3\r");
    wait(&tui, "Markets", |s| s.contains("§3/5"));
    tui.send_keys("e");
    wait(&tui, "the reload after editing", |s| s.contains("§3/6"));
    let args = fs::read_to_string(&log).expect("the editor ran");
    let line = briefing_text("")
        .lines()
        .position(|l| l == "## Markets")
        .expect("there")
        + 1;
    assert_eq!(args.trim(), format!("+{line} {}", day.file().display()));
    // The terminal is the reader's again: keys work, the screen is drawn.
    tui.send_keys("G");
    wait(&tui, "the added section", |s| s.contains("By the editor."));
    quit(&mut tui);
}

#[cfg(unix)]
#[test]
fn links_open_with_the_opener() {
    let day = Day::new(&briefing_text(""));
    let log = day.dir.path().join("open.log");
    let opener = day.script("fake-open", &format!("echo \"$@\" > '{}'", log.display()));
    let mut tui = day.open(&[], &[("BRIEF_OPENER", opener.to_str().expect("utf-8"))]);
    tui.send_keys(":3\ro");
    wait(&tui, "the link list", |s| {
        s.contains("1 the source  https://example.org/m")
    });
    tui.send_keys("1");
    wait(&tui, "the notice", |s| {
        s.contains("opening https://example.org/m")
    });
    let deadline = std::time::Instant::now() + TIMEOUT;
    while !log.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        fs::read_to_string(&log).expect("the opener ran").trim(),
        "https://example.org/m"
    );
    quit(&mut tui);
}
