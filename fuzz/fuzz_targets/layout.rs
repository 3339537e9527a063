//! Any text at any width: wrapping and cutting keep their promises, every
//! section lays out, and the whole screen draws at a fuzzed terminal size
//! after a few fuzzed keys without touching a cell outside the frame.
//!
//! Input: byte 0 picks the width (1..=200), bytes 1 and 2 the terminal
//! size, byte 3 the format and how many keys, bytes 4.. the keys to press
//! (one byte each) and then the document.
#![no_main]

use brief::app::{App, Message};
use brief::keymap::{Key, Keymap};
use brief::layout::{SectionView, cut_ranges, display_width, layout_section, wrap_ranges};
use brief::loader::{FormatHint, load_bytes};
use brief::theme::Theme;
use crossterm::event::{KeyCode, KeyModifiers};
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::{Rect, Size};

/// Keys a reader presses, picked by a fuzzed byte.
const KEYS: &[char] = &['j', 'k', ' ', ']', '[', 'G', 'g', '\t', '/', 'e', '\n', 'n', 'N', '}', '{', 'r', '?', 'x', '1', ':'];

fuzz_target!(|data: &[u8]| {
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
        brief_fuzz::check_ranges(&text, &wrap_ranges(&text, w), w);
        brief_fuzz::check_ranges(&text, &cut_ranges(&text, w), w);
    }

    let hint = if flags & 1 == 0 { FormatHint::Markdown } else { FormatHint::PlainText };
    let Ok(briefing) = load_bytes(doc, "f", hint) else {
        return;
    };
    for section in briefing.sections.iter().take(64) {
        let view = SectionView { number: "1.2", section, children: &[], next: None, hide_repeats: flags & 2 != 0 };
        let texts = view.texts();
        for line in layout_section(&view, width) {
            let plain = line.plain(&texts);
            // Below 8 columns a marker or a number may not fit beside text.
            assert!(width < 8 || display_width(&plain) <= width || plain.chars().count() <= 3,
                "{plain:?} is wider than {width}");
        }
    }

    let size = Size { width: cols, height: rows };
    let mut app = App::with_briefing(None, briefing, vec!["a".to_owned(), "the".to_owned()], Keymap::default(), Theme::colored(), size);
    for &k in keys {
        let c = KEYS[usize::from(k) % KEYS.len()];
        let code = match c {
            '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        app.update(Message::Key(Key::new(code, KeyModifiers::NONE)));
    }
    let mut terminal = Terminal::new(TestBackend::new(cols, rows)).expect("test backend");
    terminal.draw(|frame| brief::ui::render(&app, frame)).expect("test backend");
    assert_eq!(terminal.backend().buffer().area, Rect::new(0, 0, cols, rows));
});
