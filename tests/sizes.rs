//! Any input at any terminal size: every sample briefing and every
//! pathological input loads (or is refused with a reason) and draws, from
//! 1×1 to 300×100, without a panic and without touching a cell outside the
//! frame (ratatui panics on an out-of-bounds write; the buffer's area is
//! checked too). The library API is used directly: `loader::load_bytes`,
//! `App`, `ui::render` on a `TestBackend`.
//!
//! Sizes: debug builds use smaller pathological inputs than release builds
//! (see [`SCALE`]) so the file stays well under a minute on two cores; the
//! inputs named in the hardening brief (a 10 MB line, 50,000 headings, a
//! 5,000-column table, 50,000 link definitions, 100,000 `a***`) run at full
//! size in release builds and at a tenth in debug builds.

mod pathological;

use std::path::Path;
use std::time::{Duration, Instant};

use brief::app::{App, Message};
use brief::briefing::Briefing;
use brief::keymap::{Key, Keymap};
use brief::library::Library;
use brief::loader::{self, FormatHint, LoadOptions, load_bytes};
use brief::theme::Theme;
use brief::ui;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::{Rect, Size};

/// Terminal sizes, from a single cell to a large window.
const SIZES: [(u16, u16); 6] = [(1, 1), (2, 2), (10, 3), (20, 5), (80, 24), (300, 100)];

/// Scale of the pathological inputs (repetitions of their unit).
const SCALE: usize = if cfg!(debug_assertions) {
    1_000
} else {
    40_000
};

/// Full size in release builds, a tenth in debug builds.
fn full_or_tenth(n: usize) -> usize {
    if cfg!(debug_assertions) { n / 10 } else { n }
}

/// Keys a reader presses while looking around: move, page, jump between
/// sections, go to the end, switch panes, search, open and close help.
const KEYS: &[&str] = &[
    "j", " ", "]", "]", "G", "<tab>", "j", "k", "g", "[", "/", "a", "<enter>", "n", "?", "<esc>",
    "r", "}",
];

fn key(name: &str) -> Key {
    match name {
        "<tab>" => Key::new(KeyCode::Tab, KeyModifiers::NONE),
        "<enter>" => Key::new(KeyCode::Enter, KeyModifiers::NONE),
        "<esc>" => Key::new(KeyCode::Esc, KeyModifiers::NONE),
        s => Key::new(
            KeyCode::Char(s.chars().next().expect("one character")),
            KeyModifiers::NONE,
        ),
    }
}

/// Draws `app` on a test terminal of its size and checks the frame kept
/// that size.
fn draw(app: &App, context: &str) {
    let (w, h) = (app.size.width, app.size.height);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    terminal
        .draw(|frame| ui::render(app, frame))
        .expect("test backend");
    assert_eq!(
        terminal.backend().buffer().area,
        Rect::new(0, 0, w, h),
        "{context}: the frame changed size"
    );
}

/// Opens `briefing` at every size, draws, presses every key in [`KEYS`]
/// drawing after each, and draws once more after a resize.
fn draw_at_every_size(briefing: &Briefing, context: &str) {
    for (w, h) in SIZES {
        let context = format!("{context} at {w}x{h}");
        let mut app = App::with_briefing(
            None,
            briefing.clone(),
            vec!["a".to_owned(), "the".to_owned()],
            Keymap::default(),
            Theme::colored(),
            Size {
                width: w,
                height: h,
            },
        );
        draw(&app, &context);
        for name in KEYS {
            app.update(Message::Key(key(name)));
            draw(&app, &format!("{context} after {name}"));
        }
        let (w2, h2) = (h.max(1), w.max(1));
        app.update(Message::Resize(Size {
            width: w2,
            height: h2,
        }));
        draw(&app, &format!("{context} resized to {w2}x{h2}"));
    }
}

fn samples() -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("briefings"))
            .expect("briefings folder")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.is_file())
            .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no sample briefings");
    paths
}

#[test]
fn every_sample_briefing_draws_at_every_size() {
    for path in samples() {
        let briefing =
            loader::load_file(&path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        draw_at_every_size(&briefing, &path.display().to_string());
    }
}

/// Every height up to 12 rows, at widths on both sides of the two-pane
/// threshold, with keywords (so the keyword panel is open): the panel and
/// the outline share a column that can be only a few rows tall.
#[test]
fn every_small_height_draws_with_the_keyword_panel_open() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefings/2026-11-27-daily-security-brief.md");
    let briefing =
        loader::load_file(&path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    for width in [1, 20, 59, 60, 61, 80, 120] {
        for height in 1..=12 {
            let context = format!("{width}x{height}");
            let mut app = App::with_briefing(
                None,
                briefing.clone(),
                vec!["ransomware".to_owned(), "the".to_owned()],
                Keymap::default(),
                Theme::colored(),
                Size { width, height },
            );
            draw(&app, &context);
            for name in ["j", "<tab>", "j", "G"] {
                app.update(Message::Key(key(name)));
                draw(&app, &format!("{context} after {name}"));
            }
        }
    }
}

#[test]
fn the_folder_list_draws_at_every_size() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefings");
    let library = Library::scan(&dir, &LoadOptions::default()).expect("samples list");
    for (w, h) in SIZES {
        let mut app = App::with_library(
            library.clone(),
            Vec::<String>::new(),
            Keymap::default(),
            Theme::colored(),
            Size {
                width: w,
                height: h,
            },
        );
        draw(&app, &format!("folder at {w}x{h}"));
        for name in ["j", "G", "k", "?", "<esc>"] {
            app.update(Message::Key(key(name)));
            draw(&app, &format!("folder at {w}x{h} after {name}"));
        }
    }
}

#[test]
fn every_pathological_input_loads_or_is_refused_and_draws_at_every_size() {
    for case in pathological::all(SCALE) {
        for hint in [FormatHint::Markdown, FormatHint::PlainText] {
            let context = format!("{} as {hint:?}", case.name);
            match load_bytes(&case.bytes, "case", hint) {
                Ok(briefing) => {
                    assert!(!case.refused, "{context}: loaded, expected a refusal");
                    draw_at_every_size(&briefing, &context);
                }
                Err(reason) => {
                    assert!(case.refused, "{context}: refused: {reason}");
                    assert!(reason.contains("not a text file"), "{context}: {reason}");
                }
            }
        }
    }
}

/// Loads `bytes` and draws the first screen at 80×24 and after a few keys,
/// within `budget` (generous: a hang or a quadratic blow-up is what this
/// catches, not a slow machine).
fn loads_and_draws_within(name: &str, bytes: &[u8], hint: FormatHint, budget: Duration) {
    let start = Instant::now();
    let briefing = load_bytes(bytes, name, hint).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut app = App::with_briefing(
        None,
        briefing,
        vec!["lorem".to_owned()],
        Keymap::default(),
        Theme::colored(),
        Size {
            width: 80,
            height: 24,
        },
    );
    draw(&app, name);
    for name in ["j", " ", "]", "G", "/", "o", "<enter>", "n"] {
        app.update(Message::Key(key(name)));
    }
    draw(&app, name);
    let took = start.elapsed();
    assert!(took < budget, "{name}: took {took:?}, over {budget:?}");
}

#[test]
fn huge_and_pathological_documents_load_and_draw_in_bounded_time() {
    let budget = Duration::from_secs(if cfg!(debug_assertions) { 30 } else { 10 });
    let cases: Vec<(&str, String, FormatHint)> = vec![
        (
            "a 10 MB line",
            pathological::long_line(full_or_tenth(10_000_000)),
            FormatHint::Markdown,
        ),
        (
            "a 10 MB line as plain text",
            pathological::long_line(full_or_tenth(10_000_000)),
            FormatHint::PlainText,
        ),
        (
            "a title over a 2 MB line of full stops, as plain text",
            pathological::title_over_dots(full_or_tenth(2_000_000)),
            FormatHint::PlainText,
        ),
        (
            "50,000 headings",
            pathological::many_headings(full_or_tenth(50_000)),
            FormatHint::Markdown,
        ),
        (
            "a table of 5,000 columns",
            pathological::wide_table(full_or_tenth(5_000)),
            FormatHint::Markdown,
        ),
        (
            "50,000 link reference definitions",
            pathological::reference_definitions(full_or_tenth(50_000)),
            FormatHint::Markdown,
        ),
        (
            "a*** 100,000 times",
            pathological::delimiter_runs(full_or_tenth(100_000)),
            FormatHint::Markdown,
        ),
        (
            "[ (]( 100,000 times",
            pathological::unclosed_links(full_or_tenth(100_000)),
            FormatHint::Markdown,
        ),
        (
            "100,000 nested quotes",
            pathological::deep_quotes(100_000),
            FormatHint::Markdown,
        ),
        (
            "100,000 nested brackets",
            pathological::deep_brackets(100_000),
            FormatHint::Markdown,
        ),
    ];
    for (name, text, hint) in cases {
        loads_and_draws_within(name, text.as_bytes(), hint, budget);
    }
}

#[test]
fn binary_invalid_and_nul_input_is_refused_or_replaced() {
    let garbage = pathological::garbage(full_or_tenth(1_000_000));
    assert!(load_bytes(&garbage, "g", FormatHint::Auto).is_err());
    let no_nul: Vec<u8> = garbage.iter().map(|&b| b.max(1)).collect();
    let err = load_bytes(&no_nul, "g", FormatHint::Auto).expect_err("binary is refused");
    assert!(err.starts_with("not a text file"), "{err}");
    let err = load_bytes(&pathological::with_nul(1000), "n", FormatHint::Markdown)
        .expect_err("NUL is refused");
    assert!(err.contains("NUL byte at offset"), "{err}");
    let b = load_bytes(&pathological::invalid_utf8(100_000), "u", FormatHint::Auto)
        .expect("mostly UTF-8 loads");
    assert_eq!(b.warnings.len(), 1, "{:?}", b.warnings);
    assert!(b.warnings[0].message.contains("invalid UTF-8"));
}
