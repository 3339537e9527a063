//! End-to-end tests of the command line around the reader: a briefing from
//! standard input (`-`, piped and in a pseudo-terminal), shell completions,
//! the man page, and `--export`. The real binary runs, through the harness
//! in `common`; every wait polls with a deadline.

mod common;

use std::path::Path;
use std::time::Duration;

use clap::CommandFactory;

use brief::briefing::{BlockKind, Format};
use brief::cli::Cli;
use brief::loader::{FormatHint, load_bytes};
use common::{Plain, PlainOutput, Tui, printable};

/// Upper bound for every wait.
const TIMEOUT: Duration = Duration::from_secs(10);

const SECURITY_BRIEF: &str = "briefings/2026-11-27-daily-security-brief.md";

// ----- helpers ---------------------------------------------------------------

fn brief() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_brief"))
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `brief args` without a terminal, from the repository root, with `stdin`
/// fed to it (`None`: `/dev/null`).
fn run(args: &[&str], stdin: Option<&[u8]>) -> PlainOutput {
    let mut plain = Plain::new(brief()).args(args).cwd(repo());
    if let Some(bytes) = stdin {
        plain = plain.stdin(bytes);
    }
    let out = plain.run();
    assert!(
        out.status.is_some(),
        "brief {args:?} timed out\nstdout:\n{}\nstderr:\n{}",
        out.stdout_str(),
        out.stderr_str()
    );
    out
}

/// A run that succeeded with nothing on stderr; its stdout.
fn stdout_of(out: &PlainOutput) -> String {
    assert!(
        out.status.expect("finished").success(),
        "stderr: {}",
        out.stderr_str()
    );
    assert_eq!(out.stderr_str(), "", "nothing on stderr");
    out.stdout_str()
}

/// A failed run: exit status 1, nothing on stdout, `line` (and nothing
/// else) on stderr.
fn assert_fails_with(out: &PlainOutput, line: &str) {
    let status = out.status.expect("finished");
    assert_eq!(status.code(), Some(1), "stderr: {}", out.stderr_str());
    assert_eq!(out.stdout_str(), "", "nothing on stdout");
    assert_eq!(out.stderr_str(), format!("{line}\n"));
}

fn sample(path: &str) -> Vec<u8> {
    std::fs::read(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every long flag of the command line, `--help` and `--version` included.
fn long_flags() -> Vec<String> {
    let mut command = Cli::command();
    command.build();
    let flags: Vec<String> = command
        .get_arguments()
        .filter_map(|a| a.get_long().map(str::to_owned))
        .collect();
    for expected in [
        "keyword",
        "export",
        "completions",
        "man",
        "max-size",
        "help",
    ] {
        assert!(
            flags.iter().any(|f| f == expected),
            "{expected} in {flags:?}"
        );
    }
    flags
}

/// `s` quoted for `sh`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn wait_until(tui: &Tui, what: &str, pred: impl FnMut(&str) -> bool) -> String {
    tui.expect_until(what, TIMEOUT, pred)
}

// ----- standard input --------------------------------------------------------

#[test]
fn stdin_piped_prints_what_the_file_prints_for_every_sample() {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("briefings"))
        .expect("briefings dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 9, "{names:?}");
    for name in names {
        let path = format!("briefings/{name}");
        let from_file = stdout_of(&run(&[&path], None));
        let from_stdin = stdout_of(&run(&["-"], Some(&sample(&path))));
        assert_eq!(
            from_stdin, from_file,
            "{path}: `brief -` differs from `brief FILE`"
        );
    }
}

#[test]
fn stdin_markdown_prints_as_plain_text_with_its_title() {
    let text = stdout_of(&run(&["-"], Some(&sample(SECURITY_BRIEF))));
    assert!(
        text.starts_with("Daily Security Brief — 27 November 2026\n"),
        "{text}"
    );
    // The front matter's facts, under the first heading.
    assert!(
        text.contains("\n1 Daily Security Brief\n\nDate: 2026-11-27\n"),
        "{text}"
    );
    assert!(text.contains("\n1.2.1 Ransomware\n"), "{text}");
}

#[test]
fn stdin_without_a_title_is_titled_stdin() {
    let out = run(
        &["-", "--outline", "--format", "markdown"],
        Some(b"- one\n- two\n"),
    );
    assert_eq!(stdout_of(&out), "1 stdin\n");
}

#[test]
fn stdin_format_flag_overrides_sniffing() {
    let input = b"# Heading\n\nText under it.\n";
    let sniffed = stdout_of(&run(&["-", "--json"], Some(input)));
    let forced = stdout_of(&run(&["-", "--json", "--format", "text"], Some(input)));
    let format = |json: &str| {
        serde_json::from_str::<serde_json::Value>(json).expect("JSON")["format"].clone()
    };
    assert_eq!(format(&sniffed), "markdown");
    assert_eq!(format(&forced), "plain_text");
}

#[test]
fn stdin_over_max_size_is_one_line_on_stderr() {
    let out = run(&["-", "--max-size", "1000"], Some(&sample(SECURITY_BRIEF)));
    assert_fails_with(
        &out,
        "brief: standard input: more than 1000 bytes, over the limit (raise it with --max-size)",
    );
}

#[test]
fn stdin_exactly_at_max_size_loads() {
    let input = b"Title line\n\nA paragraph of text.\n";
    let limit = input.len().to_string();
    let text = stdout_of(&run(&["-", "--max-size", &limit], Some(input)));
    assert_eq!(text, "1 Title line\n\nA paragraph of text.\n");
}

#[test]
fn the_largest_max_size_reads_files_and_stdin_whole() {
    let max = u64::MAX.to_string();
    let from_file = stdout_of(&run(&["--max-size", &max, SECURITY_BRIEF], None));
    let from_stdin = stdout_of(&run(
        &["-", "--max-size", &max],
        Some(&sample(SECURITY_BRIEF)),
    ));
    assert!(from_file.contains("\n1.4 Outlook\n"), "{from_file}");
    assert_eq!(from_stdin, from_file);
}

#[test]
fn empty_stdin_is_one_line_on_stderr() {
    for input in [&b""[..], b"\n  \n"] {
        assert_fails_with(
            &run(&["-"], Some(input)),
            "brief: standard input: empty, nothing to read (did the command before the pipe fail?)",
        );
    }
    // No stdin at all (`/dev/null`) reads as empty too.
    assert_fails_with(
        &run(&["-", "--json"], None),
        "brief: standard input: empty, nothing to read (did the command before the pipe fail?)",
    );
}

#[test]
fn binary_stdin_is_one_line_on_stderr() {
    assert_fails_with(
        &run(&["-"], Some(b"PK\x03\x04\x00\x1b[2J")),
        "brief: standard input: not a text file (NUL byte at offset 4)",
    );
}

/// Runs `script` with `sh` in a 120×40 pseudo-terminal, where it starts
/// `brief -` with standard input taken from the security brief; checks that
/// keys typed at the terminal drive the reader.
/// `sh -c script` in a 120×40 pseudo-terminal, from the repository root.
fn in_terminal(script: &str) -> Tui {
    Tui::builder("sh")
        .args(&["-c", script])
        .size(120, 40)
        .cwd(repo())
        .env("RUST_BACKTRACE", "0")
        .spawn()
}

/// Press `q`: `brief` (and the shell around it) exits with success, the
/// terminal given back.
fn quit(tui: &mut Tui) {
    tui.send_keys("q");
    let status = tui.wait_exit(TIMEOUT).expect("brief exits on q");
    assert!(status.success(), "{status:?}\n{}", tui.screen());
    assert!(tui.alternate_screen_left(), "left in the alternate screen");
}

fn reader_on_stdin_takes_keys_from_the_terminal(script: &str) {
    let mut tui = in_terminal(script);
    let status_bar = |tui: &Tui| tui.row(39);
    wait_until(&tui, "the reader shows section 1 of 8", |_| {
        status_bar(&tui).contains("Daily Security Brief — 27 November 2026 · §1/8")
    });
    tui.send_keys("]");
    wait_until(&tui, "`]` moves to section 2", |_| {
        status_bar(&tui).contains("§2/8 1.1")
    });
    assert!(
        tui.screen().contains("1.1 Key judgements"),
        "{}",
        tui.screen()
    );
    quit(&mut tui);
}

#[test]
fn stdin_piped_into_the_reader_takes_keys_from_the_terminal() {
    reader_on_stdin_takes_keys_from_the_terminal(&format!(
        "cat {} | {} -",
        sh_quote(SECURITY_BRIEF),
        sh_quote(&brief().display().to_string())
    ));
}

#[test]
fn stdin_redirected_from_a_file_into_the_reader_takes_keys_from_the_terminal() {
    reader_on_stdin_takes_keys_from_the_terminal(&format!(
        "{} - < {}",
        sh_quote(&brief().display().to_string()),
        sh_quote(SECURITY_BRIEF)
    ));
}

/// `brief` in a pseudo-terminal reading a pipe whose end comes later, as
/// from a slow command: a writer sends the sections `first`, then waits for
/// [`SlowWriter::go`] before it sends `rest`. Through `brief -`, or with
/// `named` through a named pipe `pipe.md` that `brief` opens.
fn slow_pipe(
    first: std::ops::Range<usize>,
    rest: std::ops::Range<usize>,
    named: bool,
) -> (SlowWriter, Tui) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("first.md"), parts(first)).expect("write");
    std::fs::write(dir.path().join("rest.md"), parts(rest)).expect("write");
    let cd = sh_quote(&dir.path().display().to_string());
    let writer = "{ cat first.md; while [ ! -e go ]; do sleep 0.02; done; cat rest.md; }";
    let brief = sh_quote(&brief().display().to_string());
    let script = if named {
        format!("cd {cd} && mkfifo pipe.md && {{ {writer} > pipe.md & }} && {brief} pipe.md")
    } else {
        format!("cd {cd} && {writer} | {brief} -")
    };
    (SlowWriter { dir }, in_terminal(&script))
}

/// The writer of [`slow_pipe`], waiting.
struct SlowWriter {
    dir: tempfile::TempDir,
}

impl SlowWriter {
    /// Let it send the rest and end the stream.
    fn go(&self) {
        std::fs::write(self.dir.path().join("go"), "").expect("write");
    }
}

/// Wait until the status bar shows `place` (`§1/500`), still `loading…`,
/// or no longer loading at all.
fn wait_status(tui: &Tui, what: &str, place: &str, loading: bool) {
    wait_until(tui, what, |_| {
        let status = tui.row(39);
        let reading = if loading {
            status.contains("loading…")
        } else {
            !status.contains("loading")
        };
        status.contains(place) && reading
    });
}

/// Markdown sections `from..to`, each a heading and a paragraph.
fn parts(range: std::ops::Range<usize>) -> String {
    use std::fmt::Write as _;
    range.fold(String::new(), |mut out, k| {
        let _ = write!(
            out,
            "## Part {k}\n\nThe text of part {k}, which says little at some length.\n\n"
        );
        out
    })
}

#[test]
fn stdin_shows_its_first_screen_before_the_pipe_ends() {
    first_screen_before_the_pipe_ends(false);
}

#[test]
fn a_named_pipe_shows_its_first_screen_before_it_ends() {
    // `brief <(command)` opens such a pipe: its size (0) says nothing, and
    // reading only the first screenful of it used to show just that.
    first_screen_before_the_pipe_ends(true);
}

fn first_screen_before_the_pipe_ends(named: bool) {
    // 500 sections of about 70 bytes: the first screenful (16 KiB) is
    // there at once, the rest comes when the test says so.
    let (writer, mut tui) = slow_pipe(1..501, 501..801, named);
    let status_bar = |tui: &Tui| tui.row(39);
    wait_until(&tui, "the first screenful, still reading", |_| {
        status_bar(&tui).contains("loading…") && status_bar(&tui).contains("read")
    });
    assert!(tui.screen().contains("Part 1"), "{}", tui.screen());
    // No title of its own: the stream's name stands in.
    let title = if named {
        "pipe.md · §1/"
    } else {
        "stdin · §1/"
    };
    assert!(status_bar(&tui).contains(title), "{}", status_bar(&tui));
    // Keys work while the pipe is still open.
    tui.send_keys("]");
    wait_until(&tui, "`]` moves on while reading", |_| {
        status_bar(&tui).contains("§2/")
    });
    writer.go();
    wait_status(&tui, "every section once the pipe ends", "§2/800", false);
    tui.send_keys("G");
    wait_until(&tui, "the last section", |_| {
        status_bar(&tui).contains("§800/800")
    });
    assert!(tui.screen().contains("Part 800"), "{}", tui.screen());
    quit(&mut tui);
}

#[test]
fn a_slow_writer_shows_its_first_lines_before_a_screenful_has_come() {
    // A command that prints as it goes (two short sections, then a pause):
    // the reader shows what has come instead of a blank terminal.
    let (writer, mut tui) = slow_pipe(1..3, 3..801, false);
    wait_status(&tui, "the first lines, still reading", "§1/2", true);
    assert!(tui.screen().contains("Part 2"), "{}", tui.screen());
    writer.go();
    wait_status(&tui, "every section once the pipe ends", "§1/800", false);
    quit(&mut tui);
}

#[test]
fn a_stream_whose_writer_pauses_is_shown_as_far_as_it_has_come() {
    // 500 sections: the first screenful (16 KiB, about 230 of them) at
    // once, the rest of the 500 just after; then the writer waits. What has
    // come is shown while the pipe is still open.
    let (writer, mut tui) = slow_pipe(1..501, 501..801, false);
    wait_status(&tui, "all that has come, still reading", "§1/500", true);
    tui.send_keys("G");
    wait_until(&tui, "the last section come so far", |_| {
        tui.row(39).contains("§500/500")
    });
    assert!(tui.screen().contains("Part 500"), "{}", tui.screen());
    writer.go();
    wait_status(&tui, "every section once the pipe ends", "§500/800", false);
    quit(&mut tui);
}

#[test]
fn stdin_still_open_does_not_keep_the_reader_from_quitting() {
    let (writer, mut tui) = slow_pipe(1..501, 501..801, false);
    wait_until(&tui, "the first screenful, still reading", |_| {
        tui.row(39).contains("loading…")
    });
    tui.send_keys("q");
    wait_until(&tui, "the terminal given back", |_| {
        tui.alternate_screen_left()
    });
    // Only now may the writer go on (into a closed pipe), and the shell end.
    writer.go();
    tui.wait_exit(TIMEOUT).expect("the pipeline ends");
}

#[test]
fn dash_with_a_terminal_on_stdin_is_refused_with_one_line() {
    let mut tui = Tui::builder(brief())
        .args(&["-"])
        .size(200, 10)
        .cwd(repo())
        .spawn();
    let status = tui.wait_exit(TIMEOUT).expect("brief exits at once");
    assert_eq!(status.exit_code(), 1, "{}", tui.screen());
    assert_eq!(
        tui.screen().trim_end(),
        "brief: `-` reads a briefing from standard input, but it is a terminal; pipe one in: `cat FILE | brief -`"
    );
    assert!(!tui.alternate_screen_entered(), "the reader never started");
}

#[test]
fn stdin_sniffing_agrees_with_the_extension_of_every_sample_and_corpus_file() {
    let mut dirs = vec![repo().join("briefings")];
    let corpus = repo().join("../shared/corpus");
    if corpus.is_dir() {
        dirs.push(corpus);
    } else {
        eprintln!("skipped the corpus: {} does not exist", corpus.display());
    }
    let mut checked = 0;
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            let expected = match path.extension().and_then(|e| e.to_str()) {
                Some("md") => Format::Markdown,
                Some("txt") => Format::PlainText,
                _ => continue,
            };
            let bytes = std::fs::read(&path).expect("read");
            let briefing = load_bytes(&bytes, "stdin", FormatHint::Auto).expect("loads");
            assert_eq!(briefing.format, expected, "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} files checked");
}

// ----- completions and the man page -----------------------------------------

#[test]
fn bash_completions_offer_every_long_flag_and_the_values_of_export() {
    let script = stdout_of(&run(&["--completions", "bash"], None));
    assert!(script.contains("complete -F _brief"), "{script}");
    let opts: Vec<&str> = script
        .lines()
        .find_map(|l| l.trim().strip_prefix("opts=\"-k "))
        .expect("the options of brief")
        .trim_end_matches('"')
        .split(' ')
        .collect();
    for flag in long_flags() {
        let flag = format!("--{flag}");
        assert!(opts.contains(&flag.as_str()), "{flag} not in {opts:?}");
    }
    assert!(
        script.contains("markdown json"),
        "--export values:\n{script}"
    );
    assert!(
        script.contains("bash elvish fish powershell zsh"),
        "{script}"
    );
}

#[test]
fn completions_exist_for_every_shell_clap_supports() {
    for (shell, marker) in [
        ("bash", "_brief()"),
        ("zsh", "#compdef brief"),
        ("fish", "complete -c brief"),
        ("elvish", "edit:completion:arg-completer[brief]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout_of(&run(&["--completions", shell], None));
        assert!(
            script.contains(marker),
            "{shell}: {marker:?} not in:\n{script}"
        );
        assert!(script.contains("export"), "{shell}: --export missing");
    }
}

#[test]
fn completions_and_man_need_no_path_and_take_nothing_else() {
    // No ./briefings folder here: these must not look for one.
    let dir = std::env::temp_dir();
    for args in [&["--completions", "zsh"][..], &["--man"]] {
        let out = Plain::new(brief()).args(args).cwd(&dir).run();
        assert!(
            out.status.expect("finished").success(),
            "{args:?}: {}",
            out.stderr_str()
        );
    }
    for args in [
        &["--man", "x.md"][..],
        &["--completions", "bash", "--json"],
        &["--completions", "tcsh"],
    ] {
        let out = run(args, None);
        assert_eq!(out.status.expect("finished").code(), Some(2), "{args:?}");
        assert!(
            out.stderr_str().starts_with("error: "),
            "{}",
            out.stderr_str()
        );
    }
}

#[test]
fn man_page_is_roff_with_name_synopsis_and_every_flag() {
    let page = stdout_of(&run(&["--man"], None));
    assert!(page.contains("\n.TH brief 1 "), "{page}");
    let sections: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .collect();
    assert_eq!(
        sections,
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "EXAMPLES",
            "EXIT STATUS",
            "VERSION"
        ]
    );
    assert!(
        page.contains(".SH NAME\nbrief \\- A terminal reader for briefings"),
        "{page}"
    );
    for flag in long_flags() {
        // roff writes a hyphen as `\-`.
        let roff = format!("\\fB\\-\\-{}\\fR", flag.replace('-', "\\-"));
        assert_eq!(
            page.matches(&roff).count(),
            2,
            "{roff} once in SYNOPSIS and once in OPTIONS:\n{page}"
        );
    }
}

#[test]
fn man_page_formats_without_a_warning_when_groff_is_there() {
    let page = stdout_of(&run(&["--man"], None));
    // `-P-cbou`: plain text, without overstriking for bold and underline.
    let groff = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut groff) = groff else {
        eprintln!("skipped: groff is not installed");
        return;
    };
    {
        use std::io::Write;
        let mut stdin = groff.stdin.take().expect("stdin");
        stdin.write_all(page.as_bytes()).expect("write to groff");
    }
    let out = groff.wait_with_output().expect("groff runs");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "NAME",
        "SYNOPSIS",
        "--export <FORMAT>",
        "--completions <SHELL>",
        "EXIT STATUS",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

// ----- export ----------------------------------------------------------------

#[test]
fn export_markdown_is_a_task_list_of_the_outline_with_hits() {
    let out = run(
        &["--export", "markdown", "-k", "ransomware", SECURITY_BRIEF],
        None,
    );
    assert_eq!(
        stdout_of(&out),
        "# Daily Security Brief — 27 November 2026\n\
         \n\
         Outline of briefings/2026-11-27-daily-security-brief.md, exported by brief.\n\
         \n\
         Progress: 0 of 8 sections read.\n\
         \n\
         Keywords (not counting repeated text): ransomware 2 in 2 sections, CVE-2026-4411 3 in 2 sections, phishing 4 in 4 sections.\n\
         \n\
         - [ ] 1 Daily Security Brief\n\
         \x20 - [ ] 1.1 Key judgements — ransomware 1, CVE-2026-4411 1, phishing 1\n\
         \x20 - [ ] 1.2 Threat activity\n\
         \x20   - [ ] 1.2.1 Ransomware — ransomware 1\n\
         \x20   - [ ] 1.2.2 Vulnerability: CVE-2026-4411 — CVE-2026-4411 2\n\
         \x20   - [ ] 1.2.3 Phishing — phishing 1\n\
         \x20 - [ ] 1.3 Recommended actions — phishing 1\n\
         \x20 - [ ] 1.4 Outlook — phishing 1\n"
    );
}

#[test]
fn export_markdown_loads_back_as_a_nested_task_list() {
    let markdown = stdout_of(&run(&["--export", "markdown", SECURITY_BRIEF], None));
    let back = load_bytes(markdown.as_bytes(), "outline", FormatHint::Auto).expect("loads");
    assert_eq!(back.format, Format::Markdown, "sniffed as Markdown");
    assert_eq!(back.title, "Daily Security Brief — 27 November 2026");
    assert_eq!(back.sections.len(), 1, "one heading: the title");
    let items: Vec<(&str, u8)> = back.sections[0]
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::ListItem { marker } => {
                assert_eq!(marker, "[ ]", "{}", b.text);
                Some((b.text.as_str(), b.list_depth))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        items.iter().map(|(_, depth)| *depth).collect::<Vec<_>>(),
        [1, 2, 2, 3, 3, 3, 2, 2],
        "{items:?}"
    );
    assert!(
        items[4].0.starts_with("1.2.2 Vulnerability: CVE-2026-4411"),
        "{items:?}"
    );
    // And the binary reads it back from a pipe.
    let outline = stdout_of(&run(&["-", "--outline"], Some(markdown.as_bytes())));
    assert!(
        outline.starts_with("1 Daily Security Brief — 27 November 2026\n"),
        "{outline}"
    );
}

#[test]
fn export_json_has_the_outline_with_hits_repeats_and_read_state() {
    let out = run(
        &[
            "--export",
            "json",
            "-k",
            "ransomware",
            "-k",
            "firmware",
            SECURITY_BRIEF,
        ],
        None,
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout_of(&out)).expect("JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["title"], "Daily Security Brief — 27 November 2026");
    assert_eq!(doc["source"], SECURITY_BRIEF);
    assert_eq!(doc["format"], "markdown");
    assert_eq!(doc["sections_total"], 8);
    assert_eq!(doc["sections_read"], 0);
    assert_eq!(doc["keyword_counts_include_repeats"], false);
    assert_eq!(
        doc["keywords"][0],
        serde_json::json!({ "term": "ransomware", "hits": 2, "sections": 2 })
    );
    assert_eq!(doc["keywords"][1]["term"], "firmware");
    let sections = doc["sections"].as_array().expect("sections");
    assert_eq!(sections.len(), 8);
    assert_eq!(
        sections[4],
        serde_json::json!({
            "index": 4,
            "number": "1.2.2",
            "label": "1.2.2",
            "level": 3,
            "depth": 2,
            "title": "Vulnerability: CVE-2026-4411",
            "line": sections[4]["line"].clone(),
            "hits": { "firmware": 2, "CVE-2026-4411": 2 },
            "duplicate_of": null,
            "repeated_blocks": 0,
            "read": false,
        })
    );
    assert!(sections[4]["line"].as_u64().is_some_and(|l| l > 14));
    for s in sections {
        assert_eq!(s["read"], false);
    }
}

#[test]
fn export_carries_the_remembered_read_marks() {
    use brief::state::{self, Memory, Store};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = repo().join(SECURITY_BRIEF);
    let briefing =
        brief::loader::load_file(&path, &brief::loader::LoadOptions::default()).expect("loads");
    let keys = state::section_keys(&briefing);
    let hashes = state::section_hashes(&briefing);
    // Sections 1 and 5 were read in an earlier session.
    let memory = Memory {
        read: [1, 5].iter().map(|&s| (keys[s], hashes[s])).collect(),
        ..Memory::default()
    };
    Store::at(dir.path())
        .remember(&path, &memory)
        .expect("saves");
    let out = Plain::new(brief())
        .args(&["--export", "json", SECURITY_BRIEF])
        .cwd(repo())
        .env("BRIEF_STATE_DIR", dir.path())
        .run();
    let doc: serde_json::Value = serde_json::from_str(&stdout_of(&out)).expect("JSON");
    assert_eq!(doc["sections_read"], 2);
    let read: Vec<bool> = doc["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| s["read"].as_bool().expect("a flag"))
        .collect();
    assert_eq!(read, [false, true, false, false, false, true, false, false]);
    let out = Plain::new(brief())
        .args(&["--export", "markdown", SECURITY_BRIEF])
        .cwd(repo())
        .env("BRIEF_STATE_DIR", dir.path())
        .run();
    let markdown = stdout_of(&out);
    assert!(markdown.contains("2 of 8 sections read"), "{markdown}");
    assert!(markdown.contains("- [x] 1.1 Key judgements"), "{markdown}");
}

#[test]
fn export_json_marks_repeated_sections() {
    let para = "The Harbour Lynx group claimed four new victims on their leak site overnight in two countries.";
    let input = format!("# Brief\n\n## One\n\n{para}\n\n## Two\n\n{para}\n");
    let out = run(&["-", "--export", "json"], Some(input.as_bytes()));
    let doc: serde_json::Value = serde_json::from_str(&stdout_of(&out)).expect("JSON");
    assert_eq!(
        doc["source"],
        serde_json::Value::Null,
        "standard input has no path"
    );
    let two = &doc["sections"][2];
    assert_eq!(two["title"], "Two");
    assert_eq!(two["duplicate_of"], "1.1");
    assert_eq!(two["repeated_blocks"], 1);
    let markdown = stdout_of(&run(&["-", "--export", "markdown"], Some(input.as_bytes())));
    assert!(
        markdown.contains("\n  - [ ] 1.2 Two ⟳ repeats 1.1\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("Outline of standard input, exported by brief."),
        "{markdown}"
    );
}

#[test]
fn export_keeps_escape_sequences_of_a_hostile_title_inert() {
    let input = b"# Alert \x1b]0;owned\x07 \x1b[2J *now* \x1bZ\n\nText.\n";
    for format in ["markdown", "json"] {
        let out = run(&["-", "--export", format], Some(input));
        let text = stdout_of(&out);
        assert!(
            !out.stdout.contains(&0x1b),
            "{format}: ESC in {}",
            printable(&text)
        );
        assert!(!text.contains("\\u001b"), "{format}: escaped ESC in {text}");
        // Whole sequences are dropped, as a terminal would not show them;
        // a stray ESC is shown.
        let title = if format == "markdown" {
            "# Alert now ␛Z\n"
        } else {
            r#""title": "Alert now ␛Z""#
        };
        assert!(text.contains(title), "{format}: {text}");
    }
}

#[test]
fn export_is_refused_for_a_folder_and_with_other_outputs() {
    assert_fails_with(
        &run(&["--export", "json", "briefings"], None),
        "brief: briefings: is a folder; --export takes one briefing",
    );
    for other in ["--json", "--outline", "--suggest"] {
        let out = run(&["--export", "json", other, SECURITY_BRIEF], None);
        assert_eq!(out.status.expect("finished").code(), Some(2), "{other}");
        assert!(
            out.stderr_str().contains("cannot be used with"),
            "{}",
            out.stderr_str()
        );
    }
    let out = run(&["--export", "html", SECURITY_BRIEF], None);
    assert_eq!(out.status.expect("finished").code(), Some(2));
    assert!(
        out.stderr_str()
            .contains("[possible values: markdown, json]"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn several_briefings_are_listed_as_a_folder_is() {
    let water = "briefings/2026-11-15-water-policy-brief.md";
    let text = stdout_of(&run(&[water, SECURITY_BRIEF, water], None));
    // Newest first, each once.
    assert_eq!(
        text.lines()
            .map(|l| l.split("  ").next().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["2026-11-27", "2026-11-15"],
        "{text}"
    );
    assert!(text.contains("Daily Security Brief"), "{text}");
}

#[test]
fn several_briefings_refuse_a_folder_standard_input_and_export() {
    assert_fails_with(
        &run(&[SECURITY_BRIEF, "briefings"], None),
        "brief: briefings: is a folder; give one folder, or briefings",
    );
    assert_fails_with(
        &run(&[SECURITY_BRIEF, "-"], Some(b"# X\n")),
        "brief: `-` (standard input) cannot be listed with other briefings",
    );
    assert_fails_with(
        &run(&[SECURITY_BRIEF, SECURITY_BRIEF, "--export", "json"], None),
        "brief: --export takes one briefing, not 2",
    );
}
