//! End-to-end speed of the real `brief` binary beside `less`, each run in a
//! 120×40 pseudo-terminal on the same generated briefings (Markdown and plain
//! text, 100 KiB to 50 MiB), printed as Markdown tables.
//!
//! `cargo bench --bench e2e` runs every size; `BRIEF_E2E_SIZES=100k,1m`
//! picks some (`k` is KiB, `m` MiB). Without `--bench` among its arguments
//! (`cargo test --benches`) it prints that it was skipped and exits.
//!
//! What is measured, per program, over a few runs (the median is shown):
//! - first screen: from spawning the program until the screen shows the
//!   first section's text (`brief`) or the first lines of the file (`less`),
//!   with its bottom row drawn;
//! - outline complete (`brief` only): until the status bar no longer says
//!   "loading"; the same as the first screen if it never does. For
//!   Markdown it is set beside pulldown-cmark alone parsing the file, just
//!   before each run: in this process with the text in memory, and as a
//!   process of its own (this program, started with `--pulldown-alone
//!   FILE`) from spawning it to its exit;
//! - keys, once loaded: `]`, Space, `G`, `g` (`less` has no `]`), from
//!   writing the key until the screen (text or attributes) is final: its
//!   last change before the program goes idle. Where the first change came
//!   much earlier the table shows that too: after `G` on a big file `less`
//!   draws the last page at once, then reads up to it before it shows
//!   `(END)` and takes the next key;
//! - search for a word that occurs only in the last paragraph: from writing
//!   `/word` and Enter in one go until the word shows above the bottom row.
//!   `brief` searches as you type, so timing from Enter alone would miss
//!   the work; one write gives both programs the same start;
//! - peak memory: `VmHWM` of the process just before it is told to quit;
//! - the same file piped in by `cat` (`cat FILE | brief -` beside
//!   `cat FILE | less`): the first screen, and `brief`'s whole briefing
//!   (its status bar no longer says "loading").
//!
//! The screen is polled every millisecond. Before each key and the search
//! the program must be idle (neither its screen nor its CPU time has changed
//! for [`SETTLE`]), so one measurement never overlaps the previous one. Each
//! step gives up after [`STEP_TIMEOUT`]; a step that failed shows as `fail`
//! (or with the number of runs that succeeded) in the table instead of
//! stopping the benchmark, and the screen it left is printed to stderr. The files are generated into a
//! temporary directory that is removed at the end; nothing is committed.

mod r#gen;
#[path = "../tests/common/mod.rs"]
mod pty;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use pty::Tui;

const COLS: u16 = 120;
const ROWS: u16 = 40;
const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

/// How often the screen is looked at while timing.
const POLL: Duration = Duration::from_millis(1);
/// How long the screen and the program's CPU time must stay unchanged for
/// the program to count as idle.
const SETTLE: Duration = Duration::from_millis(150);
/// Upper bound for every timed step and every settle.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a program may take to exit after `q` before it is killed.
const EXIT_TIMEOUT: Duration = Duration::from_secs(10);

const LESS: &str = "/usr/bin/less";
/// A word that occurs once, in the last paragraph of every generated file.
const MARKER: &str = "zyxwvutsrq";
const DEFAULT_SIZES: &str = "100k,1m,10m,50m";
/// Characters of the generated Markdown's inline markup.
const MARKUP: [char; 9] = ['*', '`', '[', ']', '(', ')', '<', '>', '_'];

/// The keys timed once the document is loaded, in the order they are sent;
/// each one moves away from where the one before left the view.
const KEYS: [Key; 4] = [
    Key {
        label: "`]` next section",
        brief: "]",
        less: None,
    },
    Key {
        label: "Space page down",
        brief: " ",
        less: Some(" "),
    },
    Key {
        label: "`G` last section / end",
        brief: "G",
        less: Some("G"),
    },
    Key {
        label: "`g` first section / top",
        brief: "g",
        less: Some("g"),
    },
];

struct Key {
    label: &'static str,
    brief: &'static str,
    /// `None` where `less` has no equivalent.
    less: Option<&'static str>,
}

fn main() -> ExitCode {
    // This program is also the yardstick process: see `Yardstick`.
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, path] = &args[..]
        && flag == PULLDOWN_ALONE
    {
        return match fs::read_to_string(path) {
            Ok(text) => {
                std::hint::black_box(pulldown_alone(&text));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("e2e: {path}: {e}");
                ExitCode::FAILURE
            }
        };
    }
    if !args.iter().any(|arg| arg == "--bench") {
        println!("e2e: skipped (run with cargo bench --bench e2e)");
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("e2e: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let brief = Path::new(env!("CARGO_BIN_EXE_brief"));
    if !brief.is_file() {
        return Err(format!(
            "{} is missing; build it with `cargo build --release`",
            brief.display()
        ));
    }
    if !Path::new(LESS).is_file() {
        return Err(format!("{LESS} is missing; install less to compare"));
    }
    let spec = std::env::var("BRIEF_E2E_SIZES").unwrap_or_else(|_| DEFAULT_SIZES.to_owned());
    let sizes = parse_sizes(&spec)?;
    let dir = TempDir::new()?;
    let started = Instant::now();

    let mut reports = Vec::new();
    for format in [Format::Markdown, Format::Plain] {
        for &target in &sizes {
            let label = size_name(target);
            eprintln!("e2e: {} {label}: generating", format.name());
            let case = Case::write(format, target, &dir.0)?;
            let mut brief_runs = Vec::new();
            let mut less_runs = Vec::new();
            let (mut piped_brief, mut piped_less) = (Vec::new(), Vec::new());
            let mut yardsticks = Vec::new();
            for run in 1..=case.runs {
                eprintln!("e2e: {} {label}: run {run}/{}", format.name(), case.runs);
                if format == Format::Markdown {
                    yardsticks.push(Yardstick::measure(&case.path)?);
                }
                brief_runs.push(measure(Program::Brief(brief), &case, false));
                less_runs.push(measure(Program::Less, &case, false));
                piped_brief.push(measure(Program::Brief(brief), &case, true));
                piped_less.push(measure(Program::Less, &case, true));
            }
            // The file is no longer needed; keep the temp dir small.
            let _ = fs::remove_file(&case.path);
            reports.push(Report {
                case,
                brief: brief_runs,
                less: less_runs,
                piped_brief,
                piped_less,
                yardsticks,
            });
        }
    }

    println!("{}", render(&reports, brief));
    println!(
        "Whole run: {:.0} s (including generating the files).",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `"100k,1m"` → `[102_400, 1_048_576]`.
fn parse_sizes(spec: &str) -> Result<Vec<usize>, String> {
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let lower = s.to_ascii_lowercase();
            let (number, unit) = if let Some(n) = lower.strip_suffix('k') {
                (n, KIB)
            } else if let Some(n) = lower.strip_suffix('m') {
                (n, MIB)
            } else {
                (lower.as_str(), 1)
            };
            match number.parse::<usize>() {
                Ok(n) if n > 0 => Ok(n * unit),
                _ => Err(format!(
                    "BRIEF_E2E_SIZES: `{s}` is not a size like 100k or 10m"
                )),
            }
        })
        .collect()
}

/// `102_400` → `"100 KiB"`.
fn size_name(bytes: usize) -> String {
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} B")
    }
}

// ----- the documents ---------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Markdown,
    Plain,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Markdown => "Markdown",
            Format::Plain => "Plain text",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Plain => "txt",
        }
    }

    fn generate(self, target_bytes: usize) -> String {
        match self {
            Format::Markdown => r#gen::markdown_briefing(target_bytes),
            Format::Plain => r#gen::plain_briefing(target_bytes),
        }
    }

    /// The first line of the first section's first paragraph: after the
    /// first heading in Markdown (front matter and headings are not
    /// paragraphs), after the title and date lines in plain text.
    fn first_paragraph_line(self, text: &str) -> Option<&str> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        match self {
            Format::Markdown => {
                lines.find(|l| l.starts_with('#'))?;
                lines.find(|l| !l.starts_with('#'))
            }
            Format::Plain => lines.nth(2),
        }
    }
}

/// One generated file and what its first screen must show.
struct Case {
    format: Format,
    label: String,
    path: PathBuf,
    bytes: usize,
    runs: usize,
    /// The first few words of the first section's text, as `brief` shows
    /// them: the words before the first one with Markdown markup, so that
    /// rendering cannot change how they look.
    first_words: String,
    /// The file's first two lines, as `less` shows them.
    first_lines: [String; 2],
}

impl Case {
    fn write(format: Format, target: usize, dir: &Path) -> Result<Case, String> {
        let mut text = format.generate(target);
        text.push_str("\nThe last paragraph of this briefing holds the word ");
        text.push_str(MARKER);
        text.push_str(".\n");
        let line = format
            .first_paragraph_line(&text)
            .ok_or("the generated briefing has no first paragraph")?;
        let first_words = line
            .split(' ')
            .take_while(|w| !w.contains(MARKUP))
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        if first_words.is_empty() {
            return Err(format!("no word without markup starts {line:?}"));
        }
        let mut lines = text.lines().map(|l| l.trim_end().to_owned());
        let first_lines = [
            lines.next().unwrap_or_default(),
            lines.next().unwrap_or_default(),
        ];
        let path = dir.join(format!("briefing-{target}.{}", format.extension()));
        fs::write(&path, &text).map_err(|e| format!("write {}: {e}", path.display()))?;
        Ok(Case {
            format,
            label: size_name(target),
            path,
            bytes: text.len(),
            runs: match target {
                t if t <= MIB => 5,
                t if t <= 10 * MIB => 3,
                _ => 2,
            },
            first_words,
            first_lines,
        })
    }
}

/// The argument that makes this program parse a file with pulldown-cmark
/// alone and exit (the yardstick process).
const PULLDOWN_ALONE: &str = "--pulldown-alone";

/// Parse `text` with pulldown-cmark alone, every event consumed, with the
/// extensions the Markdown loader turns on; the number of events.
fn pulldown_alone(text: &str) -> usize {
    pulldown_cmark::Parser::new_ext(text, brief::loader::markdown_options()).count()
}

/// The yardstick for a Markdown file's "outline complete", measured just
/// before each run of `brief` so that both see the machine in the same
/// state (its speed drifts by tens of percent between minutes):
/// pulldown-cmark alone parsing the file.
struct Yardstick {
    /// In this process, the text already in memory: the parse alone, the
    /// fastest of three (the later ones reuse the memory the first one's
    /// allocations were given).
    in_process: Duration,
    /// As a process of its own (this program with [`PULLDOWN_ALONE`]),
    /// from spawning it to its exit: starting, reading the file and
    /// parsing it, which `brief` also does before its outline is complete
    /// (but for the terminal).
    as_process: Duration,
}

impl Yardstick {
    fn measure(path: &Path) -> Result<Yardstick, String> {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let in_process = (0..3)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(pulldown_alone(&text));
                start.elapsed()
            })
            .min()
            .unwrap_or_default();
        drop(text);
        let me = std::env::current_exe().map_err(|e| format!("this program's path: {e}"))?;
        let start = Instant::now();
        let status = std::process::Command::new(&me)
            .arg(PULLDOWN_ALONE)
            .arg(path)
            .status()
            .map_err(|e| format!("{}: {e}", me.display()))?;
        let as_process = start.elapsed();
        if !status.success() {
            return Err(format!("the yardstick process failed: {status}"));
        }
        Ok(Yardstick {
            in_process,
            as_process,
        })
    }
}

/// A directory under the system temp dir, removed with what it holds on
/// drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, String> {
        let path = std::env::temp_dir().join(format!("brief-e2e-{}", std::process::id()));
        fs::create_dir_all(&path).map_err(|e| format!("create {}: {e}", path.display()))?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

// ----- one run ---------------------------------------------------------------

#[derive(Clone, Copy)]
enum Program<'a> {
    Brief(&'a Path),
    Less,
}

impl Program<'_> {
    fn name(self) -> &'static str {
        match self {
            Program::Brief(_) => "brief",
            Program::Less => "less",
        }
    }

    /// The program on the case's file; `piped`: on the file piped in by
    /// `cat` (`cat FILE | brief -`, `cat FILE | less`).
    fn spawn(self, case: &Case, piped: bool) -> Tui {
        let program = match self {
            Program::Brief(path) => path,
            Program::Less => Path::new(LESS),
        };
        let builder = if piped {
            let dash = if let Program::Brief(_) = self {
                " -"
            } else {
                ""
            };
            let script = format!("cat {} | {}{dash}", sh_quote(&case.path), sh_quote(program));
            Tui::builder("sh").args(&["-c", &script])
        } else {
            Tui::builder(program).arg(&case.path)
        };
        // Plain `less`: no options or input filter from the shell, and no
        // history file written.
        let builder = match self {
            Program::Brief(_) => builder,
            Program::Less => builder
                .env_remove("LESS")
                .env_remove("LESSOPEN")
                .env_remove("LESSCLOSE")
                .env("LESSHISTFILE", "-"),
        };
        builder.size(COLS, ROWS).env("RUST_BACKTRACE", "0").spawn()
    }

    fn shows_first_screen(self, case: &Case, rows: &[String]) -> bool {
        let bottom_drawn = rows.last().is_some_and(|r| !r.trim().is_empty());
        bottom_drawn
            && match self {
                Program::Brief(_) => rows.iter().any(|r| r.contains(&case.first_words)),
                Program::Less => rows
                    .iter()
                    .zip(&case.first_lines)
                    .all(|(row, line)| row.trim_end() == line),
            }
    }

    fn key(self, key: &Key) -> Option<&'static str> {
        match self {
            Program::Brief(_) => Some(key.brief),
            Program::Less => key.less,
        }
    }
}

/// What one run of one program measured; `None` is a step that failed (or
/// one that does not apply, such as `]` in `less`).
#[derive(Default)]
struct Sample {
    first_screen: Option<Duration>,
    loaded: Option<Duration>,
    keys: [Option<KeyTiming>; KEYS.len()],
    search: Option<Duration>,
    peak_kib: Option<u64>,
}

/// One run of `program` on the case's file: everything the tables show.
/// `piped`: the file piped in by `cat`, for the first screen and `brief`'s
/// whole briefing only.
fn measure(program: Program, case: &Case, piped: bool) -> Sample {
    // A failed step is shown in the table; the screen it left goes to
    // stderr, for finding out why.
    let how = if piped { " piped" } else { "" };
    let checked = |tui: &Tui, step: &str, took: Option<Duration>| {
        if took.is_none() {
            eprintln!(
                "e2e: {} on {} {}{how}: {step} failed; the screen:\n{}",
                program.name(),
                case.format.name(),
                case.label,
                tui.screen()
            );
        }
        took
    };
    let mut sample = Sample::default();
    let start = Instant::now();
    let mut tui = program.spawn(case, piped);
    let took = poll(&mut tui, start, |rows| {
        program.shows_first_screen(case, rows)
    });
    sample.first_screen = checked(&tui, "first screen", took);
    if sample.first_screen.is_none() {
        return sample;
    }
    if let Program::Brief(_) = program {
        let took = poll(&mut tui, start, loaded);
        sample.loaded = checked(&tui, "loading", took);
    }
    if !piped {
        for (slot, key) in sample.keys.iter_mut().zip(&KEYS) {
            if let Some(bytes) = program.key(key) {
                let took = time_key(&mut tui, bytes);
                *slot = took;
                checked(&tui, key.label, took.map(|t| t.done));
            }
        }
        let took = time_search(&mut tui);
        sample.search = checked(&tui, "search", took);
    }
    settle(&mut tui);
    if !piped {
        sample.peak_kib = tui.pid().and_then(peak_kib);
    }
    tui.send_keys("q");
    if tui.wait_exit(EXIT_TIMEOUT).is_none() {
        eprintln!("e2e: {}{how} did not quit on `q`; killed", program.name());
    }
    sample
}

/// Whether `brief`'s status bar no longer says it is loading.
fn loaded(rows: &[String]) -> bool {
    rows.last()
        .is_some_and(|status| !status.to_lowercase().contains("loading"))
}

fn sh_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

/// Polls the screen every [`POLL`] until `pred(rows)` holds and returns the
/// time since `start`; `None` after [`STEP_TIMEOUT`] or once the program has
/// exited.
fn poll(
    tui: &mut Tui,
    start: Instant,
    mut pred: impl FnMut(&[String]) -> bool,
) -> Option<Duration> {
    loop {
        let rows: Vec<String> = tui.with_screen(|s| s.rows(0, COLS).collect());
        if pred(&rows) {
            return Some(start.elapsed());
        }
        if start.elapsed() >= STEP_TIMEOUT || !tui.is_running() {
            return None;
        }
        thread::sleep(POLL);
    }
}

/// When a key's effect showed.
#[derive(Clone, Copy)]
struct KeyTiming {
    /// The first change of the screen.
    first: Duration,
    /// The last change before the program went idle: the screen is final.
    done: Duration,
}

/// What [`watch`] saw.
struct Watched {
    /// The first and the last change of the screen, since the start.
    changes: Option<(Duration, Duration)>,
    /// False if the program exited or [`STEP_TIMEOUT`] passed first.
    idle: bool,
}

/// Polls the screen and the program's CPU time every [`POLL`] until neither
/// has changed for [`SETTLE`], comparing with the screen `before` the
/// start; with `expect_change`, not before the screen has changed. CPU time
/// matters because a program can be busy without drawing: `less` draws the
/// end of a big file at once after `G`, then reads up to it for a second
/// before it shows `(END)` and takes the next key.
fn watch(tui: &mut Tui, before: String, start: Instant, expect_change: bool) -> Watched {
    let pid = tui.pid();
    let mut screen = before;
    let mut ticks = pid.and_then(cpu_ticks);
    let mut changes = None;
    let mut quiet_since = Instant::now();
    loop {
        thread::sleep(POLL);
        let now = tui.with_screen(vt100::Screen::contents_formatted_basic);
        if now != screen {
            let at = start.elapsed();
            changes = Some(changes.map_or((at, at), |(first, _)| (first, at)));
            screen = now;
            quiet_since = Instant::now();
        }
        let now = pid.and_then(cpu_ticks);
        if now != ticks {
            ticks = now;
            quiet_since = Instant::now();
        }
        if quiet_since.elapsed() >= SETTLE && (changes.is_some() || !expect_change) {
            return Watched {
                changes,
                idle: true,
            };
        }
        if start.elapsed() >= STEP_TIMEOUT || !tui.is_running() {
            return Watched {
                changes,
                idle: false,
            };
        }
    }
}

/// Waits until the program is idle and its screen still (see [`watch`]).
fn settle(tui: &mut Tui) {
    let screen = tui.with_screen(vt100::Screen::contents_formatted_basic);
    watch(tui, screen, Instant::now(), false);
}

/// Sends `keys` to an idle program and times its effect on the screen.
fn time_key(tui: &mut Tui, keys: &str) -> Option<KeyTiming> {
    settle(tui);
    let before = tui.with_screen(vt100::Screen::contents_formatted_basic);
    let start = Instant::now();
    tui.send_keys(keys);
    match watch(tui, before, start, true) {
        Watched {
            changes: Some((first, done)),
            idle: true,
        } => Some(KeyTiming { first, done }),
        _ => None,
    }
}

/// Sends `/MARKER` and Enter in one write and times how long until the
/// marker shows above the bottom row (where both programs echo the query).
fn time_search(tui: &mut Tui) -> Option<Duration> {
    settle(tui);
    let start = Instant::now();
    tui.send_keys(&format!("/{MARKER}\r"));
    poll(tui, start, |rows| {
        rows.split_last()
            .is_some_and(|(_, body)| body.iter().any(|r| r.contains(MARKER)))
    })
}

/// CPU time a live process has used (user and system, all threads), in
/// clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name, which is in parentheses and may hold spaces,
    // come the fields from the 3rd on; utime and stime are the 14th and 15th.
    let mut fields = stat.get(stat.rfind(')')? + 2..)?.split(' ').skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

/// `VmHWM` (peak resident set) of a live process, in KiB.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().strip_suffix("kB")?.trim().parse().ok()
}

// ----- the tables ------------------------------------------------------------

struct Report {
    case: Case,
    brief: Vec<Sample>,
    less: Vec<Sample>,
    /// The file piped in by `cat`: first screen, and `brief`'s whole
    /// briefing.
    piped_brief: Vec<Sample>,
    piped_less: Vec<Sample>,
    /// Markdown: one per run, measured just before it.
    yardsticks: Vec<Yardstick>,
}

impl Report {
    /// The median time to the complete outline.
    fn loaded(&self) -> Option<f64> {
        Stat::of(self.brief.iter().map(|s| s.loaded.map(|d| d.as_secs_f64()))).median
    }

    /// How the outline's time compares: MB/s through the whole load, and
    /// for Markdown the median yardsticks, each with the ratio of the
    /// outline's median to it: [rate, in this process, as a process].
    fn outline_rates(&self) -> [String; 3] {
        let Some(loaded) = self.loaded() else {
            return ["fail".to_owned(), "fail".to_owned(), "fail".to_owned()];
        };
        let rate = format!("{:.0} MB/s", self.case.bytes as f64 / 1e6 / loaded);
        let against = |time: fn(&Yardstick) -> Duration| {
            let stat = Stat::of(self.yardsticks.iter().map(|y| Some(time(y).as_secs_f64())));
            match stat.median {
                Some(alone) if alone > 0.0 => {
                    format!("{} ({:.2}×)", seconds(alone), loaded / alone)
                }
                _ => "–".to_owned(),
            }
        };
        [rate, against(|y| y.in_process), against(|y| y.as_process)]
    }

    /// Every measure of the report, in table order.
    fn measures(&self) -> Vec<Measure> {
        let secs = |d: Option<Duration>| d.map(|d| d.as_secs_f64());
        let (brief, less) = (&self.brief[..], Some(&self.less[..]));
        let mut out = vec![
            Measure::new("first screen", seconds, brief, less, |s| {
                secs(s.first_screen)
            }),
            Measure::new("outline complete", seconds, brief, None, |s| secs(s.loaded)),
        ];
        for (i, key) in KEYS.iter().enumerate() {
            let less = key.less.and(less);
            let done = |s: &Sample| secs(s.keys[i].map(|t| t.done));
            let first = |s: &Sample| secs(s.keys[i].map(|t| t.first));
            let mut measure = Measure::new(key.label, seconds, brief, less, done);
            measure.first_change = Some((
                Stat::of(brief.iter().map(first)),
                less.map(|runs| Stat::of(runs.iter().map(first))),
            ));
            measure.in_summary = false;
            out.push(measure);
        }
        out.push(Measure::new(
            &format!("search `/{MARKER}`"),
            seconds,
            brief,
            less,
            |s| secs(s.search),
        ));
        out.push(Measure::new("peak memory", mebibytes, brief, less, |s| {
            s.peak_kib.map(|k| k as f64)
        }));
        let (brief, less) = (&self.piped_brief[..], Some(&self.piped_less[..]));
        out.push(Measure::new(
            "first screen, piped",
            seconds,
            brief,
            less,
            |s| secs(s.first_screen),
        ));
        let mut whole = Measure::new("complete, piped", seconds, brief, None, |s| secs(s.loaded));
        whole.in_summary = false;
        out.push(whole);
        out
    }
}

/// One measure over the runs: `brief`'s and, where it applies, `less`'s.
struct Measure {
    label: String,
    brief: Stat,
    less: Option<Stat>,
    /// For keys: when the screen first changed, for `brief` and `less`.
    first_change: Option<(Stat, Option<Stat>)>,
    unit: fn(f64) -> String,
    /// Whether the per-format summary has a column for it.
    in_summary: bool,
}

impl Measure {
    fn new(
        label: &str,
        unit: fn(f64) -> String,
        brief: &[Sample],
        less: Option<&[Sample]>,
        value: impl Fn(&Sample) -> Option<f64>,
    ) -> Measure {
        Measure {
            label: label.to_owned(),
            brief: Stat::of(brief.iter().map(&value)),
            less: less.map(|runs| Stat::of(runs.iter().map(&value))),
            first_change: None,
            unit,
            in_summary: true,
        }
    }

    /// `brief`, `less` and `brief ÷ less`, with `–` where `less` has none.
    /// A key whose screen first changed well before it was final shows
    /// that time too.
    fn cells(&self) -> [String; 3] {
        let (first_brief, first_less) = match &self.first_change {
            Some((brief, less)) => (Some(brief), less.as_ref()),
            None => (None, None),
        };
        let brief = self.show(&self.brief, first_brief);
        match &self.less {
            Some(less) => [brief, self.show(less, first_less), self.brief.ratio(less)],
            None => [brief, "–".to_owned(), "–".to_owned()],
        }
    }

    fn show(&self, stat: &Stat, first_change: Option<&Stat>) -> String {
        let shown = stat.show(self.unit);
        match (stat.median, first_change.and_then(|f| f.median)) {
            (Some(done), Some(first)) if first < done / 2.0 => {
                format!("{shown} (first change {})", (self.unit)(first))
            }
            _ => shown,
        }
    }
}

/// The median of the runs that succeeded, and how many did.
struct Stat {
    median: Option<f64>,
    ok: usize,
    runs: usize,
}

impl Stat {
    fn of(values: impl Iterator<Item = Option<f64>>) -> Stat {
        let values: Vec<Option<f64>> = values.collect();
        let mut ok: Vec<f64> = values.iter().flatten().copied().collect();
        ok.sort_by(f64::total_cmp);
        let n = ok.len();
        let median = match n {
            0 => None,
            _ if n % 2 == 1 => Some(ok[n / 2]),
            _ => Some(f64::midpoint(ok[n / 2 - 1], ok[n / 2])),
        };
        Stat {
            median,
            ok: n,
            runs: values.len(),
        }
    }

    fn show(&self, unit: fn(f64) -> String) -> String {
        match self.median {
            None => "fail".to_owned(),
            Some(m) if self.ok == self.runs => unit(m),
            Some(m) => format!("{} ({}/{} ok)", unit(m), self.ok, self.runs),
        }
    }

    /// `self ÷ other`, if both have a median.
    fn ratio(&self, other: &Stat) -> String {
        match (self.median, other.median) {
            (Some(a), Some(b)) if b > 0.0 => format!("{}×", ratio_text(a / b)),
            _ => "–".to_owned(),
        }
    }
}

/// A ratio with two or more significant digits (`0.043`, `0.52`, `1.5`,
/// `23`, `2161`).
fn ratio_text(x: f64) -> String {
    let decimals = match x {
        x if x >= 10.0 => 0,
        x if x >= 1.0 => 1,
        x if x >= 0.1 => 2,
        _ => 3,
    };
    format!("{x:.decimals$}")
}

fn seconds(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1000.0)
    }
}

fn mebibytes(kib: f64) -> String {
    format!("{:.1} MiB", kib / 1024.0)
}

/// `1234567` → `"1,234,567"`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A table per format and size, then a summary table per format.
fn render(reports: &[Report], brief: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## brief vs less, end to end\n");
    let _ = writeln!(
        out,
        "`{}` and `{LESS} FILE` in a {COLS}×{ROWS} pseudo-terminal \
         (TERM=xterm-256color), screen polled every {} ms; each cell is the \
         median of the runs.\n",
        brief.display(),
        POLL.as_millis()
    );
    for format in [Format::Markdown, Format::Plain] {
        let mine: Vec<&Report> = reports.iter().filter(|r| r.case.format == format).collect();
        if mine.is_empty() {
            continue;
        }
        for report in &mine {
            report_table(&mut out, report);
        }
        summary_table(&mut out, format, &mine);
    }
    out
}

fn report_table(out: &mut String, report: &Report) {
    let case = &report.case;
    let _ = writeln!(
        out,
        "### {} {} ({} bytes), {} runs\n",
        case.format.name(),
        case.label,
        thousands(case.bytes),
        case.runs
    );
    let _ = writeln!(out, "| | brief | less | brief ÷ less |");
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for measure in report.measures() {
        let [brief, less, ratio] = measure.cells();
        let _ = writeln!(out, "| {} | {brief} | {less} | {ratio} |", measure.label);
    }
    let [rate, in_process, as_process] = report.outline_rates();
    let _ = writeln!(out, "\nOutline complete at {rate} of the file.");
    if !report.yardsticks.is_empty() {
        let _ = writeln!(
            out,
            "pulldown-cmark alone parses it in {in_process} in this process (the text in memory, \
             fastest of three), and in {as_process} as a process of its own (start, read the \
             file, parse); each measured just before each run, × is outline complete ÷ that."
        );
    }
    out.push('\n');
}

fn summary_table(out: &mut String, format: Format, reports: &[&Report]) {
    let _ = writeln!(out, "### {}, all sizes\n", format.name());
    let Some(first) = reports.first() else {
        return;
    };
    let mut header = "| size | bytes |".to_owned();
    let mut rule = "|---|---:|".to_owned();
    for measure in first.measures().iter().filter(|m| m.in_summary) {
        if measure.less.is_some() {
            let _ = write!(header, " {} brief / less | ÷ |", measure.label);
            rule.push_str("---:|---:|");
        } else {
            let _ = write!(header, " {} |", measure.label);
            rule.push_str("---:|");
        }
    }
    header.push_str(" outline MB/s |");
    rule.push_str("---:|");
    if format == Format::Markdown {
        header.push_str(
            " pulldown-cmark alone, in process (outline ÷ it) | pulldown-cmark as a process (outline ÷ it) |",
        );
        rule.push_str("---:|---:|");
    }
    let _ = writeln!(out, "{header}\n{rule}");
    for report in reports {
        let _ = write!(
            out,
            "| {} | {} |",
            report.case.label,
            thousands(report.case.bytes)
        );
        for measure in report.measures().iter().filter(|m| m.in_summary) {
            let [brief, less, ratio] = measure.cells();
            if measure.less.is_some() {
                let _ = write!(out, " {brief} / {less} | {ratio} |");
            } else {
                let _ = write!(out, " {brief} |");
            }
        }
        let [rate, in_process, as_process] = report.outline_rates();
        let _ = write!(out, " {rate} |");
        if format == Format::Markdown {
            let _ = write!(out, " {in_process} | {as_process} |");
        }
        out.push('\n');
    }
    out.push('\n');
}
