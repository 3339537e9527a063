//! What the fuzz targets run, and the checks that must hold for any input.
//!
//! A target hands the fuzzer's bytes to [`load`] or [`layout`]; a failed
//! check panics, which libFuzzer reports as a crash and keeps the input.
//! This file has no fuzzer in it: `tests/regressions.rs` of the main
//! package includes it as a module and replays every input kept in
//! `tests/regressions/` through the same functions.

use std::ops::Range;

use brief::app::{App, Message};
use brief::briefing::{BlockKind, Briefing};
use brief::keymap::{Key, Keymap};
use brief::layout::{SectionView, cut_ranges, display_width, fit, layout_section, wrap_ranges};
use brief::loader::{FormatHint, load_bytes};
use brief::theme::Theme;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::{Rect, Size};

/// Load `data` as `hint` says; what loads must be inert.
pub fn load(data: &[u8], hint: FormatHint) {
    if let Ok(briefing) = load_bytes(data, "f", hint) {
        check_briefing(&briefing);
    }
}

/// Keys a reader presses, picked by a fuzzed byte.
const KEYS: &[char] = &[
    'j', 'k', ' ', ']', '[', 'G', 'g', '\t', '/', 'e', '\n', 'n', 'N', '}', '{', 'r', '?', 'x',
    '1', ':',
];

/// Any text at any width: wrapping and cutting keep their promises, every
/// section lays out, and the whole screen draws at a fuzzed terminal size
/// after a few fuzzed keys without touching a cell outside the frame.
///
/// `data`: byte 0 picks the width (1..=200), bytes 1 and 2 the terminal
/// size (up to 160×60), byte 3 the format (bit 0), whether repeats are
/// hidden (bit 1) and how many keys follow (bits 2..); then the keys (one
/// byte each), then the document.
pub fn layout(data: &[u8]) {
    let [w, cols, rows, flags, rest @ ..] = data else {
        return;
    };
    let width = usize::from(*w) % 200 + 1;
    let cols = u16::from(*cols) % 160 + 1;
    let rows = u16::from(*rows) % 60 + 1;
    let key_count = usize::from(flags >> 2).min(rest.len());
    let (keys, doc) = rest.split_at(key_count);

    let text = String::from_utf8_lossy(doc);
    for w in [width, 1, 2, 3] {
        check_ranges(&text, &wrap_ranges(&text, w), w);
        check_ranges(&text, &cut_ranges(&text, w), w);
    }

    let hint = if flags & 1 == 0 {
        FormatHint::Markdown
    } else {
        FormatHint::PlainText
    };
    let Ok(briefing) = load_bytes(doc, "f", hint) else {
        return;
    };
    for section in briefing.sections.iter().take(64) {
        let view = SectionView {
            number: "1.2",
            section,
            children: &[],
            next: None,
            hide_repeats: flags & 2 != 0,
        };
        let texts = view.texts();
        for line in layout_section(&view, width) {
            let plain = line.plain(&texts);
            // Below 8 columns a marker or a number may not fit beside text.
            assert!(
                width < 8 || display_width(&plain) <= width || plain.chars().count() <= 3,
                "{plain:?} is wider than {width}"
            );
        }
    }

    let size = Size {
        width: cols,
        height: rows,
    };
    let terms = vec!["a".to_owned(), "the".to_owned()];
    let mut app = App::with_briefing(
        None,
        briefing,
        terms,
        Keymap::default(),
        Theme::colored(),
        size,
    );
    for &k in keys {
        let code = match KEYS[usize::from(k) % KEYS.len()] {
            '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        app.update(Message::Key(Key::new(code, KeyModifiers::NONE)));
    }
    let mut terminal = Terminal::new(TestBackend::new(cols, rows)).expect("test backend");
    terminal
        .draw(|frame| brief::ui::render(&app, frame))
        .expect("test backend");
    assert_eq!(
        terminal.backend().buffer().area,
        Rect::new(0, 0, cols, rows)
    );
}

/// Whether `c` must never reach the screen as it is: control characters
/// (line feeds aside) and bidirectional overrides.
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Every text of a loaded briefing is inert: no control character but line
/// feeds (and tabs between table cells), no bidirectional override; style
/// runs on char boundaries.
pub fn check_briefing(b: &Briefing) {
    let single_line = |what: &str, s: &str| {
        assert!(
            !s.chars().any(|c| is_hostile(c) || c == '\n'),
            "{what} holds a control character: {s:?}"
        );
    };
    single_line("title", &b.title);
    let m = &b.metadata;
    for v in m
        .title
        .iter()
        .chain(&m.date)
        .chain(&m.source)
        .chain(&m.keywords)
    {
        single_line("metadata", v);
    }
    for (k, v) in &m.extra {
        single_line("metadata key", k);
        single_line("metadata value", v);
    }
    for s in &b.sections {
        single_line("section title", &s.title);
        for block in &s.blocks {
            let table = matches!(block.kind, BlockKind::Table { .. });
            match &block.kind {
                BlockKind::ListItem { marker } => single_line("marker", marker),
                BlockKind::Code { lang } => single_line("code language", lang),
                _ => {}
            }
            assert!(
                !block
                    .text
                    .chars()
                    .any(|c| is_hostile(c) && !(table && c == '\t')),
                "block text holds a control character: {:?}",
                block.text
            );
            for run in &block.runs {
                assert!(
                    block.text.get(run.range.clone()).is_some(),
                    "style run {:?} not on char boundaries of {:?}",
                    run.range,
                    block.text
                );
            }
        }
    }
}

/// Wrapped or cut line ranges: in order, on char boundaries, inside the
/// text, and no line wider than `width` unless it is one grapheme.
pub fn check_ranges(text: &str, ranges: &[Range<usize>], width: usize) {
    let mut last_end = 0;
    for r in ranges {
        assert!(
            r.start <= r.end && r.end <= text.len(),
            "{r:?} outside {}",
            text.len()
        );
        assert!(r.start >= last_end, "ranges overlap or go back: {ranges:?}");
        let line = text
            .get(r.clone())
            .unwrap_or_else(|| panic!("{r:?} not on char boundaries of {text:?}"));
        let w = display_width(line);
        assert!(
            w <= width.max(1) || is_one_grapheme(line),
            "line {line:?} is {w} columns, wider than {width}"
        );
        last_end = r.end;
    }
}

/// Whether `s` is a single grapheme (nothing fits before its end).
fn is_one_grapheme(s: &str) -> bool {
    fit(s, display_width(s).saturating_sub(1)).is_empty()
}
