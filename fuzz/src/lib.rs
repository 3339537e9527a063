//! Checks shared by the fuzz targets: what must hold for any input.
//!
//! A target calls these on whatever the library made of the fuzzer's bytes;
//! a failed check panics, which libFuzzer reports as a crash and keeps the
//! input. Every crash input found is kept as a regression test in
//! `tests/regressions/` of the main package.

use brief::briefing::{BlockKind, Briefing};
use brief::layout::display_width;
use std::ops::Range;

/// Whether `c` must never reach the screen as it is: control characters
/// (line feeds aside) and bidirectional overrides.
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Every text of a loaded briefing is inert: no control character but line
/// feeds (and tabs between table cells), no bidirectional override.
pub fn check_briefing(b: &Briefing) {
    let single_line = |what: &str, s: &str| {
        assert!(
            !s.chars().any(|c| is_hostile(c) || c == '\n'),
            "{what} holds a control character: {s:?}"
        );
    };
    single_line("title", &b.title);
    let m = &b.metadata;
    for v in m.title.iter().chain(&m.date).chain(&m.source).chain(&m.keywords) {
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
                !block.text.chars().any(|c| is_hostile(c) && !(table && c == '\t')),
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
        assert!(r.start <= r.end && r.end <= text.len(), "{r:?} outside {}", text.len());
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

/// Whether `s` is a single grapheme (its first grapheme is all of it).
fn is_one_grapheme(s: &str) -> bool {
    let first = brief::layout::fit(s, display_width(s).saturating_sub(1));
    first.is_empty()
}
