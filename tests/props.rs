//! Property tests (proptest) of the two range producers everything on
//! screen rests on: wrapping (`layout::wrap_ranges`, `layout::cut_ranges`)
//! and matching (`highlight::Matcher::find`).
//!
//! Texts are drawn from an alphabet that is hard on both: ASCII words,
//! accented and decomposed letters, CJK, emoji with presentation selectors
//! and ZWJ sequences, zero-width characters, non-breaking and ideographic
//! spaces, hard line breaks.

use std::ops::Range;

use brief::highlight::{MatchMode, Matcher};
use brief::layout::{cut_ranges, display_width, fit, wrap_ranges};
use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line as TuiLine;

/// Pieces texts are made of.
const PIECES: &[&str] = &[
    "a",
    "b",
    "word",
    "longerword",
    "Straße",
    "e\u{301}",
    "日本",
    "語",
    "😀",
    "❤\u{fe0f}",
    "1\u{fe0f}\u{20e3}",
    "👨\u{200d}👩\u{200d}👧",
    "🇫🇷",
    "\u{200b}",
    "\u{200d}",
    "\u{ad}",
    "\u{a0}",
    "\u{3000}",
    "ｶ\u{ff9e}",
    "لا",
    "क्षि",
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "-",
    ".",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|p| p.concat())
}

/// Whether `s` is a single grapheme (nothing fits before its end).
fn is_one_grapheme(s: &str) -> bool {
    fit(s, display_width(s).saturating_sub(1)).is_empty()
}

/// Ranges in order, on char boundaries, inside the text.
fn check_boundaries(text: &str, ranges: &[Range<usize>]) -> Result<(), TestCaseError> {
    let mut last = 0;
    for r in ranges {
        prop_assert!(r.start >= last && r.start <= r.end, "{ranges:?}");
        prop_assert!(text.get(r.clone()).is_some(), "{r:?} in {text:?}");
        last = r.end;
    }
    Ok(())
}

/// No line wider than `width`, unless it is one grapheme wider than that.
fn check_widths(text: &str, ranges: &[Range<usize>], width: usize) -> Result<(), TestCaseError> {
    for r in ranges {
        let line = &text[r.clone()];
        prop_assert!(
            display_width(line) <= width || is_one_grapheme(line),
            "{line:?} is {} columns at width {width}",
            display_width(line)
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn wrapping_loses_no_text(text in text(), width in 1usize..40) {
        let ranges = wrap_ranges(&text, width);
        check_boundaries(&text, &ranges)?;
        // Between lines (and before the first, after the last) there is
        // only white space: the lines plus the white space between them
        // are the whole text.
        let mut pos = 0;
        for r in ranges.iter().chain([&(text.len()..text.len())]) {
            let gap = &text[pos..r.start.max(pos)];
            prop_assert!(gap.chars().all(char::is_whitespace), "lost {gap:?} of {text:?}");
            pos = pos.max(r.end);
        }
        // Every hard break starts a new line.
        prop_assert!(ranges.len() >= text.matches('\n').count(), "{ranges:?}");
    }

    #[test]
    fn wrapped_lines_fit_their_width(text in text(), width in 1usize..40) {
        let ranges = wrap_ranges(&text, width);
        check_widths(&text, &ranges, width)?;
        for r in &ranges {
            prop_assert!(!text[r.clone()].contains('\n'));
        }
    }

    #[test]
    fn layout_widths_agree_with_what_ratatui_draws(text in text()) {
        // ratatui skips control characters and zero-width graphemes and
        // gives emoji sequences their own width: the layout must count the
        // same, or lines it thinks fit are cut at the pane's edge.
        for line in text.split('\n') {
            let mut buf = Buffer::empty(Rect::new(0, 0, 400, 1));
            let (x, _) = buf.set_line(0, 0, &TuiLine::raw(line.to_owned()), 400);
            prop_assert_eq!(usize::from(x), display_width(line), "{:?}", line);
        }
    }

    #[test]
    fn cutting_keeps_every_byte_and_fits(text in text(), width in 1usize..40) {
        let ranges = cut_ranges(&text, width);
        check_boundaries(&text, &ranges)?;
        check_widths(&text, &ranges, width)?;
        // The pieces of each source line, joined, are that line.
        let mut rebuilt = String::new();
        let mut last_end = None;
        for r in &ranges {
            if let Some(end) = last_end {
                rebuilt.push_str(&text[end..r.start]);
            }
            rebuilt.push_str(&text[r.clone()]);
            last_end = Some(r.end);
        }
        prop_assert_eq!(rebuilt, text);
    }
}

/// Terms: words and phrases in a few scripts, matched case-insensitively.
const TERM_WORDS: &[&str] = &[
    "alpha",
    "beta",
    "Gamma",
    "café",
    "über",
    "δέλτα",
    "日本",
    "a",
];

fn terms() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop::collection::vec(prop::sample::select(TERM_WORDS), 1..3).prop_map(|w| w.join(" ")),
        1..4,
    )
}

fn haystack() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(TERM_WORDS).prop_map(str::to_owned),
            prop::sample::select(TERM_WORDS).prop_map(str::to_uppercase),
            prop::sample::select(PIECES).prop_map(str::to_owned),
        ],
        0..40,
    )
    .prop_map(|p| p.join(" "))
}

/// Lower case with white space runs collapsed to one space.
fn folded(s: &str) -> String {
    s.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn keyword_hits_are_sorted_disjoint_and_equal_a_term(terms in terms(), text in haystack()) {
        let Some(matcher) = Matcher::new(&terms, MatchMode::Word) else {
            return Ok(());
        };
        let hits = matcher.find(&text);
        let ranges: Vec<Range<usize>> = hits.iter().map(|h| h.range.clone()).collect();
        check_boundaries(&text, &ranges)?;
        for hit in &hits {
            prop_assert!(!hit.range.is_empty());
            let found = folded(&text[hit.range.clone()]);
            prop_assert!(
                terms.iter().any(|t| folded(t) == found),
                "{found:?} is none of {terms:?}"
            );
            prop_assert!(hit.term < terms.len());
            prop_assert_eq!(folded(&terms[hit.term]), found);
        }
    }

    #[test]
    fn search_hits_are_sorted_disjoint_and_equal_the_query(
        query in prop::sample::select(TERM_WORDS),
        text in haystack(),
    ) {
        let terms = vec![query.to_owned()];
        let Some(matcher) = Matcher::new(&terms, MatchMode::SmartCaseSubstring) else {
            return Ok(());
        };
        let hits = matcher.find(&text);
        let ranges: Vec<Range<usize>> = hits.iter().map(|h| h.range.clone()).collect();
        check_boundaries(&text, &ranges)?;
        let smart_case = query.chars().any(char::is_uppercase);
        for r in &ranges {
            let found = &text[r.clone()];
            if smart_case {
                prop_assert_eq!(found, query);
            } else {
                prop_assert_eq!(found.to_lowercase(), query.to_lowercase());
            }
        }
        // Nothing missed (where lower-casing keeps byte offsets: ASCII).
        if text.is_ascii() {
            let expected = if smart_case {
                text.matches(query).count()
            } else {
                text.to_lowercase().matches(&query.to_lowercase()).count()
            };
            prop_assert_eq!(hits.len(), expected);
        }
    }
}
