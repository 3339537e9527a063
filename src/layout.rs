//! A section at a width → visual lines made of ranges over plain text.
//!
//! This is the only place that decides where lines break, so the scroll
//! arithmetic (how many lines a section has) and the screen always agree.
//! Prose is wrapped with textwrap's core (word finding by Unicode line-break
//! properties, over-long words broken, first-fit); code is never reflowed,
//! only cut at the width with a continuation mark; tables are fitted to the
//! width, their cells wrapped inside their columns.
//!
//! A laid-out line holds [`Piece`]s: decoration the reader adds (bullets,
//! quote bars, table borders) and ranges into a text of the section. Text
//! index 0 is the section title, index `i + 1` is block `i`. Styling happens
//! later, in one merge (`ui::detail`), from these ranges.

use std::ops::Range;

use ratatui::buffer::CellWidth;
use ratatui::style::Style;
use ratatui::text::Span;
use textwrap::WordSeparator;

use crate::briefing::{Alignment, Block, BlockKind, Section};

/// What a piece of decoration is, so the renderer can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deco {
    /// White space for indentation or padding.
    Space,
    /// A list bullet, number or task box.
    Marker,
    /// The bar at the left of a block quote.
    QuoteBar,
    /// Table borders and rules.
    Border,
    /// The mark at the start of a cut code line.
    Continuation,
    /// A note from the reader (e.g. the list of subsections of an empty
    /// section).
    Note,
}

/// How the text of a piece is styled before inline runs apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Title,
    Body,
    Code,
    Quote,
    /// The briefing's facts (see `BlockKind::Facts`).
    Facts,
}

/// A part of one visual line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Deco {
        text: String,
        kind: Deco,
    },
    Text {
        /// 0 = title, `i + 1` = block `i`.
        source: usize,
        range: Range<usize>,
        base: Base,
    },
}

/// One visual line of the detail pane.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub pieces: Vec<Piece>,
}

impl Line {
    fn deco(&mut self, text: impl Into<String>, kind: Deco) {
        let text = text.into();
        if !text.is_empty() {
            self.pieces.push(Piece::Deco { text, kind });
        }
    }

    fn text(&mut self, source: usize, range: Range<usize>, base: Base) {
        if !range.is_empty() {
            self.pieces.push(Piece::Text {
                source,
                range,
                base,
            });
        }
    }

    /// The plain characters of this line (for tests and plain output).
    pub fn plain(&self, texts: &[&str]) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Deco { text, .. } => out.push_str(text),
                Piece::Text { source, range, .. } => {
                    out.push_str(
                        texts
                            .get(*source)
                            .and_then(|t| t.get(range.clone()))
                            .unwrap_or(""),
                    );
                }
            }
        }
        out
    }
}

/// What to lay out: a section and how it is introduced.
pub struct SectionView<'a> {
    /// Outline number shown before the title (`2.3`), may be empty.
    pub number: &'a str,
    pub section: &'a Section,
    /// Shown (as notes) when the section has no body of its own (but the
    /// briefing's facts): the numbered titles of its subsections.
    pub children: &'a [String],
    /// A closing note pointing at the next section, if any.
    pub next: Option<&'a str>,
    /// Collapse each run of repeated blocks into one marker line.
    pub hide_repeats: bool,
}

impl SectionView<'_> {
    /// The texts that pieces point into: title first, then each block.
    pub fn texts(&self) -> Vec<&str> {
        std::iter::once(self.section.title.as_str())
            .chain(self.section.blocks.iter().map(|b| b.text.as_str()))
            .collect()
    }
}

/// Lay out a section at `width` columns.
pub fn layout_section(view: &SectionView<'_>, width: usize) -> Vec<Line> {
    layout_section_over(view, width, PARALLEL_BYTES)
}

/// [`layout_section`], on two threads from `parallel_bytes` of text on.
fn layout_section_over(view: &SectionView<'_>, width: usize, parallel_bytes: usize) -> Vec<Line> {
    let width = width.max(1);
    let mut lines = Vec::new();
    // Title.
    let number = if view.number.is_empty() || display_width(view.number) + 4 > width {
        String::new()
    } else {
        format!("{} ", view.number)
    };
    let number_width = display_width(&number);
    let title = &view.section.title;
    for (i, range) in wrap_ranges(title, width.saturating_sub(number_width).max(1))
        .into_iter()
        .enumerate()
    {
        let mut line = Line::default();
        if i == 0 {
            line.deco(number.clone(), Deco::Marker);
        } else {
            line.deco(" ".repeat(number_width), Deco::Space);
        }
        line.text(0, range, Base::Title);
        lines.push(line);
    }
    if lines.is_empty() {
        let mut line = Line::default();
        line.deco(number.trim_end(), Deco::Marker);
        lines.push(line);
    }
    let blocks = &view.section.blocks;
    let hidden = |b: &Block| view.hide_repeats && b.repeat_of.is_some();
    // A large section is laid out in two halves on two threads, cut
    // before a block that is shown (10 MiB of text took 370 ms on one).
    let bytes: usize = blocks.iter().map(|b| b.text.len()).sum();
    let cut = (bytes >= parallel_bytes)
        .then(|| {
            let mut seen = 0;
            (1..blocks.len()).find(|&k| {
                seen += blocks[k - 1].text.len();
                seen >= bytes / 2 && !hidden(&blocks[k])
            })
        })
        .flatten();
    match cut {
        Some(k) => {
            let (mut second, ()) = crate::parallel::on_two_threads(
                || {
                    let mut second = Vec::new();
                    layout_blocks(view, k..blocks.len(), width, &mut second);
                    second
                },
                || layout_blocks(view, 0..k, width, &mut lines),
            );
            lines.append(&mut second);
        }
        None => layout_blocks(view, 0..blocks.len(), width, &mut lines),
    }
    // No body of its own (the briefing's facts aside): its subsections.
    if blocks.iter().all(|b| b.kind == BlockKind::Facts) && !view.children.is_empty() {
        lines.push(Line::default());
        for child in view.children {
            let mut line = Line::default();
            line.deco(format!("  {child}"), Deco::Note);
            lines.push(line);
        }
    }
    if let Some(next) = view.next {
        lines.push(Line::default());
        let mut line = Line::default();
        line.deco(cut_to(&format!("── next: {next} "), width), Deco::Note);
        lines.push(line);
    }
    lines
}

/// Sections with at least this much text are laid out on two threads.
const PARALLEL_BYTES: usize = 1 << 20;

/// Lay out the section's blocks `range` at the end of `lines`, as the
/// section's own (the block before the range decides the gap above it).
fn layout_blocks(view: &SectionView<'_>, range: Range<usize>, width: usize, lines: &mut Vec<Line>) {
    let blocks = &view.section.blocks;
    let hidden = |b: &Block| view.hide_repeats && b.repeat_of.is_some();
    let mut previous: Option<&Block> = range
        .start
        .checked_sub(1)
        .and_then(|k| blocks.get(k))
        .filter(|b| !hidden(b));
    let mut i = range.start;
    while i < range.end {
        let block = &blocks[i];
        if hidden(block) {
            // One marker line for the whole run of repeated blocks.
            let run: Vec<&Block> = blocks[i..range.end]
                .iter()
                .take_while(|b| b.repeat_of.is_some())
                .collect();
            lines.push(Line::default());
            let mut line = Line::default();
            line.deco(cut_to(&repeat_marker(&run), width), Deco::Note);
            lines.push(line);
            i += run.len();
            previous = None;
            continue;
        }
        if !is_tight(previous, block) {
            lines.push(gap_line(previous, block, width));
        }
        layout_block(block, i + 1, width, lines);
        previous = Some(block);
        i += 1;
    }
}

/// "⟳ repeats §2–§8 (5 paragraphs) · r shows them" for a run of repeats.
fn repeat_marker(run: &[&Block]) -> String {
    let sections: Vec<usize> = run
        .iter()
        .filter_map(|b| b.repeat_of)
        .map(|r| r.section as usize + 1)
        .collect();
    let first = sections.iter().min().copied().unwrap_or(0);
    let last = sections.iter().max().copied().unwrap_or(0);
    let place = if first == last {
        format!("§{first}")
    } else {
        format!("§{first}–§{last}")
    };
    let n = run.len();
    let what = if n == 1 {
        "1 paragraph".to_owned()
    } else {
        format!("{n} paragraphs")
    };
    format!("⟳ repeats {place} ({what}) · r shows repeats")
}

/// The first characters of `s` that fit in `width` columns.
fn cut_to(s: &str, width: usize) -> String {
    fit(s, width).to_owned()
}

/// Columns `s` takes on screen, counted the way ratatui draws it: grapheme
/// by grapheme (`❤️` and `1️⃣` take two columns, a ZWJ emoji sequence is
/// one glyph), graphemes holding a control character skipped. Every width
/// decision in layout uses this, so a laid-out line never draws wider than
/// the layout said.
pub fn display_width(s: &str) -> usize {
    let mut width = 0;
    for_each_grapheme(s, |_, w| width += w);
    width
}

/// The longest prefix of `s` that fits in `width` columns, never ending
/// inside a grapheme.
pub fn fit(s: &str, width: usize) -> &str {
    let mut used = 0;
    let mut end = s.len();
    let mut done = false;
    for_each_grapheme(s, |offset, w| {
        if !done && used + w > width {
            end = offset;
            done = true;
        }
        used += w;
    });
    &s[..end]
}

/// Call `f(byte offset, columns)` for each grapheme of `s` that ratatui
/// draws (with ratatui's own segmentation and widths; zero-width graphemes
/// report 0, graphemes with control characters are skipped).
fn for_each_grapheme(s: &str, mut f: impl FnMut(usize, usize)) {
    if s.is_ascii() {
        for (i, b) in s.bytes().enumerate() {
            if !b.is_ascii_control() {
                f(i, 1);
            }
        }
        return;
    }
    let base = s.as_ptr() as usize;
    let span = Span::raw(s);
    for g in span.styled_graphemes(Style::new()) {
        f(
            g.symbol.as_ptr() as usize - base,
            usize::from(g.symbol.cell_width()),
        );
    }
}

/// List items of one list follow each other without a blank line.
fn is_tight(previous: Option<&Block>, block: &Block) -> bool {
    match previous {
        Some(p) => {
            p.list_depth > 0
                && block.list_depth > 0
                && matches!(block.kind, BlockKind::ListItem { .. })
                && matches!(p.kind, BlockKind::ListItem { .. })
        }
        None => false,
    }
}

/// The blank line between two blocks: the bars of the quotes both are in
/// go on across it, so that a quote of several paragraphs reads as one
/// (and two quotes one after the other as two).
fn gap_line(previous: Option<&Block>, block: &Block, width: usize) -> Line {
    let mut shared = previous.map_or(0, |p| p.quote_depth.min(block.quote_depth));
    if block.opens_quote {
        shared = shared.min(block.quote_depth.saturating_sub(1));
    }
    let bars = usize::from(shared).min(MAX_QUOTE_BARS);
    let mut line = Line::default();
    // As with a block's own prefix: only where it leaves room for text.
    if bars > 0 && bars * 2 + 4 <= width {
        line.deco("│ ".repeat(bars), Deco::QuoteBar);
    }
    line
}

/// Quote bars and list indentation stop growing here, however deep the
/// nesting: a `…` note after them says the text is nested deeper.
const MAX_QUOTE_BARS: usize = 8;
const MAX_INDENT: usize = 40;

/// Prefix shared by every line of a block: indentation and quote bars.
fn block_prefix(block: &Block) -> (Vec<(String, Deco)>, usize) {
    let mut prefix = Vec::new();
    let mut width = 0;
    let quotes = usize::from(block.quote_depth);
    for _ in 0..quotes.min(MAX_QUOTE_BARS) {
        prefix.push(("│ ".to_owned(), Deco::QuoteBar));
        width += 2;
    }
    let indent = match block.kind {
        BlockKind::ListItem { .. } => usize::from(block.list_depth.saturating_sub(1)) * 2,
        _ => usize::from(block.list_depth) * 2,
    };
    if indent > 0 {
        prefix.push((" ".repeat(indent.min(MAX_INDENT)), Deco::Space));
        width += indent.min(MAX_INDENT);
    }
    if quotes > MAX_QUOTE_BARS || indent > MAX_INDENT {
        prefix.push(("… ".to_owned(), Deco::Note));
        width += 2;
    }
    (prefix, width)
}

fn start_line(prefix: &[(String, Deco)]) -> Line {
    let mut line = Line::default();
    for (text, kind) in prefix {
        line.deco(text.clone(), *kind);
    }
    line
}

fn layout_block(block: &Block, source: usize, width: usize, lines: &mut Vec<Line>) {
    let (prefix, prefix_width) = block_prefix(block);
    // Keep at least a few columns for text however deep the nesting.
    let (prefix, prefix_width) = if prefix_width + 4 > width {
        (Vec::new(), 0)
    } else {
        (prefix, prefix_width)
    };
    let inner = width - prefix_width;
    let base = if block.quote_depth > 0 {
        Base::Quote
    } else {
        Base::Body
    };
    match &block.kind {
        BlockKind::Paragraph => {
            for range in wrap_ranges(&block.text, inner) {
                let mut line = start_line(&prefix);
                line.text(source, range, base);
                lines.push(line);
            }
        }
        BlockKind::ListItem { marker } => {
            let marker = format!("{marker} ");
            let marker_width = display_width(&marker).min(inner.saturating_sub(1));
            let text_width = inner.saturating_sub(marker_width).max(1);
            let ranges = wrap_ranges(&block.text, text_width);
            if ranges.is_empty() {
                let mut line = start_line(&prefix);
                line.deco(marker.clone(), Deco::Marker);
                lines.push(line);
            }
            for (i, range) in ranges.into_iter().enumerate() {
                let mut line = start_line(&prefix);
                if i == 0 {
                    line.deco(marker.clone(), Deco::Marker);
                } else {
                    line.deco(" ".repeat(marker_width), Deco::Space);
                }
                line.text(source, range, base);
                lines.push(line);
            }
        }
        BlockKind::Code { .. } => {
            for range in cut_ranges(&block.text, inner.saturating_sub(2).max(1)) {
                let mut line = start_line(&prefix);
                let continued = range.start > 0 && block.text.as_bytes()[range.start - 1] != b'\n';
                if continued {
                    line.deco("↪ ", Deco::Continuation);
                } else {
                    line.deco("  ", Deco::Space);
                }
                line.text(source, range, Base::Code);
                lines.push(line);
            }
        }
        BlockKind::Table {
            header_rows,
            alignments,
        } => layout_table(
            block,
            source,
            *header_rows,
            alignments,
            &prefix,
            inner,
            lines,
        ),
        BlockKind::Facts => {
            for range in wrap_ranges(&block.text, inner) {
                let mut line = start_line(&prefix);
                line.text(source, range, Base::Facts);
                lines.push(line);
            }
        }
        BlockKind::Rule => {
            let mut line = start_line(&prefix);
            line.deco("─".repeat(inner.min(60)), Deco::Border);
            lines.push(line);
        }
    }
}

/// Wrap prose at `width` columns: byte ranges of each visual line. `\n` in
/// the text is a hard break. Trailing spaces are not part of a line.
pub fn wrap_ranges(text: &str, width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    for segment in text.split('\n') {
        wrap_segment(text, segment, start, width, &mut out);
        start += segment.len() + 1;
    }
    out
}

fn wrap_segment(
    text: &str,
    segment: &str,
    offset: usize,
    width: usize,
    out: &mut Vec<Range<usize>>,
) {
    if segment.trim().is_empty() {
        if !segment.is_empty() || text.len() > offset {
            out.push(offset..offset);
        }
        return;
    }
    let mut lines = FirstFit::new(segment, offset, width, out);
    let quick = breaks_only_after_spaces(segment)
        || urls_as_words(segment).is_some_and(|s| breaks_only_after_spaces(&s));
    if quick {
        // Words as textwrap's `AsciiSpace` finds them (a word and the
        // spaces after it; spaces opening the line are an empty word's),
        // without its machinery: laying out a list of 200,000 items spent
        // a fifth of its time making textwrap's words, each measured twice
        // (by textwrap, then as ratatui draws it).
        let bytes = segment.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let end = memchr::memchr(b' ', &bytes[start..]).map_or(bytes.len(), |n| start + n);
            let next = bytes[end..]
                .iter()
                .position(|&b| b != b' ')
                .map_or(bytes.len(), |n| end + n);
            let word = &segment[start..end];
            lines.word(word, display_width(word), next - end);
            start = next;
        }
    } else {
        for word in WordSeparator::UnicodeBreakProperties.find_words(segment) {
            let space = word.whitespace.len() + word.penalty.len();
            lines.word(word.word, display_width(word.word), space);
        }
    }
    lines.finish();
}

/// textwrap's first-fit wrapping (`wrap_algorithms::wrap_first_fit`),
/// word by word as the words are found: a line takes words while they fit,
/// and the byte range of each line goes to `out` as it is closed. It keeps
/// no list of the words (a paragraph of megabytes made a list of 48 bytes
/// a word, twice, and took most of its layout time in page faults).
///
/// Every word's penalty is empty (words are found, never hyphenated), so
/// textwrap's test `width + word + penalty > line` is `width + word >
/// line` here; the white space after a word counts once another follows.
struct FirstFit<'s, 'o> {
    segment: &'s str,
    offset: usize,
    width: usize,
    out: &'o mut Vec<Range<usize>>,
    /// The open line: where its first word starts and its last ends.
    line: Option<Range<usize>>,
    /// Its columns, with the white space after its last word.
    used: usize,
}

impl<'s, 'o> FirstFit<'s, 'o> {
    fn new(segment: &'s str, offset: usize, width: usize, out: &'o mut Vec<Range<usize>>) -> Self {
        FirstFit {
            segment,
            offset,
            width,
            out,
            line: None,
            used: 0,
        }
    }

    /// Place `word` (a part of the segment) of `columns` columns, followed
    /// by `space` columns of white space; a word too wide for a line is
    /// broken between graphemes, never inside one (a grapheme wider than
    /// the line stands alone on it).
    fn word(&mut self, word: &str, columns: usize, space: usize) {
        if columns <= self.width {
            self.place(word, columns, space);
            return;
        }
        let mut start = 0;
        let mut used = 0;
        for_each_grapheme(word, |at, w| {
            if used + w > self.width && at > start {
                self.place(&word[start..at], used, 0);
                start = at;
                used = 0;
            }
            used += w;
        });
        self.place(&word[start..], used, space);
    }

    /// Place a word that fits on a line.
    fn place(&mut self, word: &str, columns: usize, space: usize) {
        let start = word.as_ptr() as usize - self.segment.as_ptr() as usize;
        let end = start + word.len();
        match &mut self.line {
            Some(line) if self.used + columns > self.width => {
                let closed = std::mem::replace(line, start..end);
                self.close(closed);
                self.used = 0;
            }
            Some(line) => line.end = end,
            None => self.line = Some(start..end),
        }
        self.used += columns + space;
    }

    /// Close the last line.
    fn finish(mut self) {
        if let Some(line) = self.line.take() {
            self.close(line);
        }
    }

    fn close(&mut self, line: Range<usize>) {
        let text = &self.segment[line.clone()];
        let start = line.start + text.len() - text.trim_start().len();
        self.out.push(self.offset + start..self.offset + line.end);
    }
}

/// `segment` with each word holding a URL (`https://…`, with any brackets
/// or stops around it) as a single letter: a URL is broken only where it
/// is longer than a line, never at its slashes as the Unicode rules would
/// (`https://` at the end of one line, the rest on the next, is a link no
/// one can copy). Only words all in ASCII: a URL run into Chinese text or
/// a dash keeps the breaks the Unicode rules find. `None` without a URL.
fn urls_as_words(segment: &str) -> Option<String> {
    if !segment.contains("://") {
        return None;
    }
    let words: Vec<&str> = segment
        .split(' ')
        .map(|w| {
            if w.is_ascii() && w.contains("://") {
                "a"
            } else {
                w
            }
        })
        .collect();
    Some(words.join(" "))
}

/// Whether the Unicode line breaking rules (UAX #14, which textwrap's
/// `UnicodeBreakProperties` follows, never breaking after a hyphen) break
/// `text` only after its runs of spaces, as `AsciiSpace` does: then the
/// much quicker `AsciiSpace` finds the same words (the Unicode rules took
/// half of the time of laying out prose).
///
/// So it is for prose: letters (ASCII, and the Latin letters up to
/// U+024F), digits, spaces, hyphens, punctuation, quotes, brackets, dashes
/// and currency and percent signs, but for the few pairs where the rules
/// break elsewhere or not after spaces (see `differs` below). Anything
/// else (other scripts, tabs, `/` before a letter) takes the Unicode
/// rules. A test checks the two against each other on random prose.
fn breaks_only_after_spaces(text: &str) -> bool {
    /// The line breaking class of a character, of those this knows.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Class {
        /// Letters and symbols that join like letters (AL).
        Letter,
        /// Digits (NU).
        Digit,
        /// `-` (HY): textwrap never breaks after it, the rules never
        /// before it.
        Hyphen,
        Space,
        /// `.` `,` `;` `:` (IS).
        Infix,
        /// `'` `"` (QU).
        Quote,
        /// `‘` `“`, opening quotes (QU, Pi).
        OpenQuote,
        /// `’` `”`, closing quotes (QU, Pf).
        CloseQuote,
        /// `(` `[` (OP).
        Open,
        /// `)` `]` (CP).
        Close,
        /// Currency before a number, percent after it (PR, PO).
        Affix,
        /// `/` (SY).
        Slash,
        /// `!` `?` (EX).
        Bang,
        /// `—` `–` (B2, BA).
        Dash,
        /// `…` (IN).
        Ellipsis,
    }
    use Class::{
        Affix, Bang, Close, CloseQuote, Dash, Digit, Ellipsis, Hyphen, Infix, Letter, Open,
        OpenQuote, Quote, Slash, Space,
    };
    let class = |c: char| match c {
        ' ' => Some(Space),
        '0'..='9' => Some(Digit),
        '-' => Some(Hyphen),
        '.' | ',' | ';' | ':' => Some(Infix),
        '\'' | '"' => Some(Quote),
        '\u{2018}' | '\u{201C}' => Some(OpenQuote),
        '\u{2019}' | '\u{201D}' => Some(CloseQuote),
        '(' | '[' => Some(Open),
        ')' | ']' => Some(Close),
        '$' | '+' | '\\' | '€' | '£' | '¥' | '%' | '°' | '¢' => Some(Affix),
        '/' => Some(Slash),
        '!' | '?' => Some(Bang),
        '\u{2013}' | '\u{2014}' => Some(Dash),
        '…' => Some(Ellipsis),
        'a'..='z' | 'A'..='Z' | '#' | '&' | '*' | '@' | '^' | '_' | '`' | '~' | '<' | '=' | '>' => {
            Some(Letter)
        }
        c if ('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic() => Some(Letter),
        _ => None,
    };
    // Where the rules break without a space before (they break after
    // `(`, `!`, `/`, a dash or `…` and before `(`, `$`, a letter or a
    // dash), and where they do not break after spaces: before `.,;:`, `)`,
    // `!`, `/` and a closing quote; after `(`, an opening quote, a quote
    // before `(` and a dash before a dash.
    let differs = |before: Class, now: Class, before_spaces: Option<Class>| match (before, now) {
        (Space, Infix | Close | Bang | Slash | CloseQuote)
        | (Open | OpenQuote, Space)
        | (Infix | Close, Open)
        | (Infix | Affix, Affix) => true,
        (Space, Open) => before_spaces == Some(Quote),
        (Space, Dash) => before_spaces == Some(Dash),
        (Space, _) | (_, Space) => false,
        (Dash, _) | (_, Dash) => true,
        (Slash, now) => !matches!(now, Digit | Slash | Infix | Close | Quote | CloseQuote),
        (Bang | Ellipsis, now) => {
            !matches!(now, Bang | Infix | Close | Quote | CloseQuote | Ellipsis)
        }
        _ => false,
    };
    // Text that ends in a hyphen loses its last break in textwrap (the
    // one at the end, after the hyphen, is left out, then the last one).
    if text.ends_with('-') {
        return false;
    }
    let mut before: Option<Class> = None;
    let mut before_spaces = None;
    for c in text.chars() {
        let Some(now) = class(c) else {
            return false;
        };
        if before.is_some_and(|before| differs(before, now, before_spaces)) {
            return false;
        }
        if now != Space {
            before_spaces = Some(now);
        }
        before = Some(now);
    }
    true
}

/// Cut preformatted text into lines of at most `width` columns, never
/// reflowing: each source line is one or more visual lines.
pub fn cut_ranges(text: &str, width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let mut cut_start = 0;
        let mut col = 0;
        for_each_grapheme(line, |i, w| {
            if col + w > width && i > cut_start {
                out.push(start + cut_start..start + i);
                cut_start = i;
                col = 0;
            }
            col += w;
        });
        out.push(start + cut_start..start + line.len());
        start += line.len() + 1;
    }
    out
}

/// Byte ranges of each cell: `rows[r][c]`.
pub fn table_cells(text: &str) -> Vec<Vec<Range<usize>>> {
    let mut rows = Vec::new();
    let mut start = 0;
    for row in text.split('\n') {
        let mut cells = Vec::new();
        let mut cell_start = start;
        for cell in row.split('\t') {
            cells.push(cell_start..cell_start + cell.len());
            cell_start += cell.len() + 1;
        }
        rows.push(cells);
        start += row.len() + 1;
    }
    rows
}

/// Column widths that fit `available` columns: natural widths when they
/// fit. Else each column gets its longest word (`words`; a longer one
/// than [`MAX_WORD_COLUMNS`], a link or an identifier, may break), no
/// column below `min`, and the room left is shared in proportion to how
/// much more each column's body (`body`: the widest cell below the
/// header) would take: a column of notes grows, while a header such as
/// `Error budget left` over short numbers wraps rather than taking room
/// the notes need. Only when every body fits are the headers' wants
/// shared out. `None` when the longest words do not fit: the table is
/// then laid out as records, which break no word.
fn fit_columns(
    natural: &[usize],
    body: &[usize],
    words: &[usize],
    available: usize,
    min: usize,
) -> Option<Vec<usize>> {
    let n = natural.len();
    let total: usize = natural.iter().sum();
    if total <= available {
        return Some(natural.to_vec());
    }
    let floors: Vec<usize> = natural
        .iter()
        .zip(words)
        .map(|(&nat, &word)| word.min(MAX_WORD_COLUMNS).clamp(min, nat.max(min)))
        .collect();
    let floor_total: usize = floors.iter().sum();
    if floor_total > available {
        return None;
    }
    let spare = available - floor_total;
    let want = |widths: &[usize]| -> Vec<usize> {
        widths
            .iter()
            .zip(&floors)
            .map(|(&w, &f)| w.saturating_sub(f))
            .collect()
    };
    let mut wants = want(body);
    if wants.iter().all(|&w| w == 0) {
        wants = want(natural);
    }
    let want_total: usize = wants.iter().sum();
    let mut widths: Vec<usize> = floors
        .iter()
        .zip(&wants)
        .map(|(&f, &w)| f + w * spare / want_total.max(1))
        .collect();
    // What rounding left over, to the columns still furthest short.
    let mut left = available.saturating_sub(widths.iter().sum());
    while left > 0 {
        let Some(c) = (0..n)
            .filter(|&c| widths[c] < natural[c])
            .max_by_key(|&c| natural[c] - widths[c])
        else {
            break;
        };
        widths[c] += 1;
        left -= 1;
    }
    Some(widths)
}

/// A word wider than this (a link, an identifier) does not set its
/// column's least width: it may break.
const MAX_WORD_COLUMNS: usize = 20;

fn layout_table(
    block: &Block,
    source: usize,
    header_rows: usize,
    alignments: &[Alignment],
    prefix: &[(String, Deco)],
    width: usize,
    lines: &mut Vec<Line>,
) {
    let rows = table_cells(&block.text);
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut natural = vec![1usize; columns];
    let mut body = vec![1usize; columns];
    let mut words = vec![1usize; columns];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let text = &block.text[cell.clone()];
            let width = display_width(text);
            natural[c] = natural[c].max(width);
            if r >= header_rows {
                body[c] = body[c].max(width);
            }
            let longest = text.split_whitespace().map(display_width).max();
            words[c] = words[c].max(longest.unwrap_or(0));
        }
    }
    // Borders: "│ " before each column and " │" at the end: 3 per column + 1.
    let chrome = columns * 3 + 1;
    let fitted = width
        .checked_sub(chrome)
        .and_then(|available| fit_columns(&natural, &body, &words, available, 3));
    let Some(widths) = fitted else {
        layout_table_as_records(block, source, &rows, header_rows, prefix, width, lines);
        return;
    };
    let border = |left: &str, mid: &str, right: &str| {
        let mut s = String::from(left);
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                s.push_str(mid);
            }
            s.push_str(&"─".repeat(w + 2));
        }
        s.push_str(right);
        s
    };
    let mut top = start_line(prefix);
    top.deco(border("┌", "┬", "┐"), Deco::Border);
    lines.push(top);
    for (r, row) in rows.iter().enumerate() {
        let wrapped: Vec<Vec<Range<usize>>> = (0..columns)
            .map(|c| {
                row.get(c).map_or_else(Vec::new, |cell| {
                    wrap_ranges(&block.text[cell.clone()], widths[c])
                        .into_iter()
                        .map(|rg| rg.start + cell.start..rg.end + cell.start)
                        .collect()
                })
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for k in 0..height {
            let mut line = start_line(prefix);
            for c in 0..columns {
                line.deco("│ ", Deco::Border);
                let range = wrapped[c].get(k).cloned();
                let used = range
                    .as_ref()
                    .map_or(0, |rg| display_width(&block.text[rg.clone()]));
                let pad = widths[c].saturating_sub(used);
                let (before, after) = match alignments.get(c) {
                    Some(Alignment::Right) => (pad, 0),
                    Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                    _ => (0, pad),
                };
                line.deco(" ".repeat(before), Deco::Space);
                if let Some(rg) = range {
                    line.text(source, rg, Base::Body);
                }
                line.deco(" ".repeat(after + 1), Deco::Space);
            }
            line.deco("│", Deco::Border);
            lines.push(line);
        }
        if r + 1 == header_rows && rows.len() > header_rows {
            let mut sep = start_line(prefix);
            sep.deco(border("├", "┼", "┤"), Deco::Border);
            lines.push(sep);
        }
    }
    let mut bottom = start_line(prefix);
    bottom.deco(border("└", "┴", "┘"), Deco::Border);
    lines.push(bottom);
}

/// A table too wide for any grid: each row as `header: value` lines.
fn layout_table_as_records(
    block: &Block,
    source: usize,
    rows: &[Vec<Range<usize>>],
    header_rows: usize,
    prefix: &[(String, Deco)],
    width: usize,
    lines: &mut Vec<Line>,
) {
    let headers: Option<&Vec<Range<usize>>> = if header_rows > 0 { rows.first() } else { None };
    for (r, row) in rows.iter().enumerate().skip(header_rows) {
        if r > header_rows {
            let mut sep = start_line(prefix);
            sep.deco("─".repeat(width.min(20)), Deco::Border);
            lines.push(sep);
        }
        for (c, cell) in row.iter().enumerate() {
            let label = headers.and_then(|h| h.get(c)).map_or_else(
                || format!("{}", c + 1),
                |h| block.text[h.clone()].to_owned(),
            );
            let label = format!("{label}: ");
            // A label wider than half the line goes on lines of its own,
            // the value indented under it (beside it, the value's first
            // line ran past the edge and was cut), unless the whole value
            // fits beside it.
            let value_width = display_width(&block.text[cell.clone()]);
            let beside =
                display_width(&label) <= width / 2 || display_width(&label) + value_width <= width;
            let indent = if beside { display_width(&label) } else { 2 };
            if !beside {
                let label = label.trim_end();
                for range in wrap_ranges(label, width) {
                    let mut line = start_line(prefix);
                    line.deco(label[range].trim_end(), Deco::Marker);
                    lines.push(line);
                }
            }
            for (k, rg) in wrap_ranges(
                &block.text[cell.clone()],
                width.saturating_sub(indent).max(1),
            )
            .into_iter()
            .enumerate()
            {
                let mut line = start_line(prefix);
                if k == 0 && beside {
                    line.deco(label.clone(), Deco::Marker);
                } else {
                    line.deco(" ".repeat(indent), Deco::Space);
                }
                line.text(
                    source,
                    rg.start + cell.start..rg.end + cell.start,
                    Base::Body,
                );
                lines.push(line);
            }
        }
    }
}

/// [`line_of`] for each of `places` (text, byte), which are in the order
/// of the text, in one pass: the lines' pieces sorted once, then walked
/// beside the places. (The lines are not always in the order of the text:
/// a table row's wrapped cells interleave.)
pub fn lines_of_places(
    lines: &[Line],
    places: impl IntoIterator<Item = (usize, usize)>,
) -> impl Iterator<Item = Option<usize>> {
    let mut pieces: Vec<(usize, usize, usize, usize)> = lines
        .iter()
        .enumerate()
        .flat_map(|(l, line)| {
            line.pieces.iter().filter_map(move |p| match p {
                Piece::Text { source, range, .. } => Some((*source, range.start, range.end, l)),
                Piece::Deco { .. } => None,
            })
        })
        .collect();
    pieces.sort_unstable();
    let mut k = 0;
    places.into_iter().map(move |(source, offset)| {
        // Pieces that end before this place end before every later one.
        while pieces
            .get(k)
            .is_some_and(|&(s, start, end, _)| (s, end.max(start + 1)) <= (source, offset))
        {
            k += 1;
        }
        pieces
            .get(k)
            .filter(|&&(s, start, _, _)| s == source && start <= offset)
            .map(|&(_, _, _, line)| line)
    })
}

/// The visual line that shows byte `offset` of text `source`, if any.
pub fn line_of(lines: &[Line], source: usize, offset: usize) -> Option<usize> {
    lines.iter().position(|line| {
        line.pieces.iter().any(|p| match p {
            Piece::Text {
                source: s, range, ..
            } => *s == source && range.start <= offset && offset < range.end.max(range.start + 1),
            Piece::Deco { .. } => false,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::briefing::Block;

    fn plain(view: &SectionView<'_>, width: usize) -> Vec<String> {
        let texts = view.texts();
        layout_section(view, width)
            .iter()
            .map(|l| l.plain(&texts))
            .collect()
    }

    /// The view of `section` alone: no number, no subsections.
    fn view(section: &Section) -> SectionView<'_> {
        SectionView {
            number: "",
            section,
            children: &[],
            next: None,
            hide_repeats: false,
        }
    }

    fn section(blocks: Vec<Block>) -> Section {
        let mut s = Section::new(2, "Title", 1);
        s.blocks = blocks;
        s
    }

    #[test]
    fn a_section_of_facts_alone_lists_its_subsections_under_them() {
        let s = section(vec![Block::new(
            BlockKind::Facts,
            "Date: 4 December 2026\nStatus: Resolved",
        )]);
        let children = ["1.1 Summary".to_owned(), "1.2 Timeline".to_owned()];
        let view = SectionView {
            children: &children,
            ..view(&s)
        };
        assert_eq!(
            plain(&view, 40),
            [
                "Title",
                "",
                "Date: 4 December 2026",
                "Status: Resolved",
                "",
                "  1.1 Summary",
                "  1.2 Timeline",
            ]
        );
    }

    #[test]
    fn prose_wraps_at_width_into_ranges() {
        let text = "the quick brown fox jumps over the lazy dog";
        let ranges = wrap_ranges(text, 10);
        let lines: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            lines,
            ["the quick", "brown fox", "jumps over", "the lazy", "dog"]
        );
    }

    #[test]
    fn a_url_moves_to_the_next_line_whole() {
        let text = "Status updates are posted at <https://status.example.org/incidents/42>.";
        let at = |width| -> Vec<&str> {
            wrap_ranges(text, width)
                .into_iter()
                .map(|r| &text[r])
                .collect()
        };
        assert_eq!(
            at(60),
            [
                "Status updates are posted at",
                "<https://status.example.org/incidents/42>."
            ]
        );
        // Longer than a line: cut at the width, never at its slashes.
        assert_eq!(
            at(40),
            [
                "Status updates are posted at",
                "<https://status.example.org/incidents/42",
                ">."
            ]
        );
    }

    #[test]
    fn a_url_run_into_chinese_text_keeps_the_unicode_breaks() {
        let text = "详情请访问https://example.com/notice/2024获取更多信息。本次停水影响范围包括城东、城西和城南。";
        for width in [10, 20, 41] {
            assert_eq!(wrap_ranges(text, width), wrapped_by_textwrap(text, width));
        }
    }

    #[test]
    fn long_words_are_broken_and_hard_breaks_kept() {
        let text = "abcdefghij\nxy";
        let lines: Vec<&str> = wrap_ranges(text, 4)
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(lines, ["abcd", "efgh", "ij", "xy"]);
    }

    #[test]
    fn wide_characters_count_double() {
        let text = "日本語のテキスト";
        let lines: Vec<&str> = wrap_ranges(text, 6)
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(lines, ["日本語", "のテキ", "スト"]);
    }

    #[test]
    fn section_shows_numbered_title_then_blocks() {
        let s = section(vec![
            Block::paragraph("one two three four"),
            Block {
                list_depth: 1,
                ..Block::new(
                    BlockKind::ListItem {
                        marker: "•".into()
                    },
                    "item text here",
                )
            },
            Block {
                list_depth: 1,
                ..Block::new(
                    BlockKind::ListItem {
                        marker: "•".into()
                    },
                    "next",
                )
            },
            Block {
                quote_depth: 1,
                ..Block::paragraph("quoted")
            },
        ]);
        let view = SectionView {
            number: "2.1",
            section: &s,
            children: &[],
            next: None,
            hide_repeats: false,
        };
        assert_eq!(
            plain(&view, 12),
            [
                "2.1 Title",
                "",
                "one two",
                "three four",
                "",
                "• item text",
                "  here",
                "• next",
                "",
                "│ quoted"
            ]
        );
    }

    #[test]
    fn a_quotes_bar_goes_on_across_its_gaps_but_not_between_two_quotes() {
        let quoted = |depth: u8, opens: bool, text: &str| Block {
            quote_depth: depth,
            opens_quote: opens,
            ..Block::paragraph(text)
        };
        let s = section(vec![
            quoted(1, true, "one"),
            quoted(1, false, "two"),
            quoted(2, true, "deep"),
            quoted(1, false, "back"),
            quoted(1, true, "other"),
            Block::paragraph("after"),
        ]);
        assert_eq!(
            plain(&view(&s), 20),
            [
                "Title",
                "",
                "│ one",
                "│ ",
                "│ two",
                "│ ",
                "│ │ deep",
                "│ ",
                "│ back",
                "",
                "│ other",
                "",
                "after"
            ]
        );
    }

    #[test]
    fn code_is_cut_not_reflowed() {
        let s = section(vec![Block::new(
            BlockKind::Code {
                lang: String::new(),
            },
            "let x = 1;\nabcdefghijkl",
        )]);
        let view = view(&s);
        assert_eq!(
            plain(&view, 8),
            ["Title", "", "  let x ", "↪ = 1;", "  abcdef", "↪ ghijkl"]
        );
    }

    #[test]
    fn lines_of_places_agrees_with_line_of_through_wrapped_tables() {
        // A row whose cells wrap interleaves the cells' text on its lines.
        let s = section(vec![
            Block::paragraph("A paragraph long enough to wrap onto a second line here."),
            Block::new(
                BlockKind::Table {
                    header_rows: 1,
                    alignments: [Alignment::Left, Alignment::Left].into(),
                },
                "Name\tNote\nalpha beta gamma delta\tone two three four five",
            ),
            Block::new(
                BlockKind::Code {
                    lang: String::new(),
                },
                "let x = 1;\nlet y = 2;",
            ),
            Block::paragraph("The end."),
        ]);
        let view = view(&s);
        for width in [20, 30, 80] {
            let lines = layout_section(&view, width);
            let texts = view.texts();
            let places: Vec<(usize, usize)> = texts
                .iter()
                .enumerate()
                .flat_map(|(source, text)| (0..=text.len()).map(move |offset| (source, offset)))
                .collect();
            let each: Vec<Option<usize>> = places
                .iter()
                .map(|&(source, offset)| line_of(&lines, source, offset))
                .collect();
            let walked: Vec<Option<usize>> =
                lines_of_places(&lines, places.iter().copied()).collect();
            assert_eq!(walked, each, "width {width}");
            // The table's lines really are out of the text's order.
            let starts: Vec<(usize, usize)> = lines
                .iter()
                .flat_map(|l| &l.pieces)
                .filter_map(|p| match p {
                    Piece::Text { source, range, .. } => Some((*source, range.start)),
                    Piece::Deco { .. } => None,
                })
                .collect();
            if width == 30 {
                assert!(starts.windows(2).any(|w| w[1] < w[0]), "{starts:?}");
            }
        }
    }

    #[test]
    fn table_fits_width_and_wraps_cells() {
        let s = section(vec![Block::new(
            BlockKind::Table {
                header_rows: 1,
                alignments: [Alignment::Left, Alignment::Right].into(),
            },
            "Name\tCount\nalpha beta gamma\t7",
        )]);
        let view = view(&s);
        assert_eq!(
            plain(&view, 20),
            [
                "Title",
                "",
                "┌──────────┬───────┐",
                "│ Name     │ Count │",
                "├──────────┼───────┤",
                "│ alpha    │     7 │",
                "│ beta     │       │",
                "│ gamma    │       │",
                "└──────────┴───────┘",
            ]
        );
    }

    #[test]
    fn a_wordy_column_gets_the_room_and_no_word_breaks() {
        let s = section(vec![Block::new(
            BlockKind::Table {
                header_rows: 1,
                alignments: [Alignment::Left, Alignment::Right, Alignment::Left].into(),
            },
            "Service\tError budget left\tNotes\n\
             checkout\t62%\tCache stampede on 2 Dec; added request coalescing",
        )]);
        let view = view(&s);
        let lines = plain(&view, 50);
        assert_eq!(
            lines[2..],
            [
                "┌──────────┬────────┬────────────────────────────┐",
                "│ Service  │  Error │ Notes                      │",
                "│          │ budget │                            │",
                "│          │   left │                            │",
                "├──────────┼────────┼────────────────────────────┤",
                "│ checkout │    62% │ Cache stampede on 2 Dec;   │",
                "│          │        │ added request coalescing   │",
                "└──────────┴────────┴────────────────────────────┘",
            ]
        );
        // Too narrow for the longest words: records, every word whole.
        let lines = plain(&view, 24);
        assert_eq!(
            lines[2..],
            [
                "Service: checkout",
                "Error budget left: 62%",
                "Notes: Cache stampede on",
                "       2 Dec; added",
                "       request",
                "       coalescing",
            ]
        );
    }

    #[test]
    fn a_record_label_wider_than_half_the_line_stands_above_its_value() {
        let s = section(vec![Block::new(
            BlockKind::Table {
                header_rows: 1,
                alignments: Box::default(),
            },
            "Notes on the last incident\tA\tB\tC\tD\n\
             Cache stampede on 2 Dec\t1\t2\t3\t4",
        )]);
        let view = view(&s);
        let lines = plain(&view, 24);
        assert_eq!(
            lines[2..5],
            ["Notes on the last", "incident:", "  Cache stampede on 2"]
        );
        assert_eq!(lines[5], "  Dec");
    }

    #[test]
    fn too_many_columns_become_records() {
        let s = section(vec![Block::new(
            BlockKind::Table {
                header_rows: 1,
                alignments: Box::default(),
            },
            "A\tB\tC\tD\n1\t2\t3\t4",
        )]);
        let view = view(&s);
        assert_eq!(
            plain(&view, 12),
            ["Title", "", "A: 1", "B: 2", "C: 3", "D: 4"]
        );
    }

    #[test]
    fn empty_section_lists_its_children() {
        let s = section(vec![]);
        let children = vec!["1.1 First".to_owned()];
        let view = SectionView {
            number: "1",
            section: &s,
            children: &children,
            next: None,
            hide_repeats: false,
        };
        assert_eq!(plain(&view, 30), ["1 Title", "", "  1.1 First"]);
    }

    #[test]
    fn no_line_is_wider_than_the_width_even_at_one_column() {
        let s = section(vec![
            Block::paragraph("Straße 東京 abc"),
            Block::new(
                BlockKind::Code {
                    lang: String::new(),
                },
                "x\ty",
            ),
        ]);
        for width in 6..14 {
            let view = SectionView {
                number: "10.2",
                section: &s,
                children: &[],
                next: None,
                hide_repeats: false,
            };
            let texts = view.texts();
            for line in layout_section(&view, width) {
                let text = line.plain(&texts);
                assert!(display_width(&text) <= width, "{text:?} at {width}");
            }
        }
    }

    #[test]
    fn runs_of_repeats_collapse_into_one_marker_line() {
        use crate::briefing::BlockRef;
        let repeat = |s: usize, text: &str| Block {
            repeat_of: Some(BlockRef {
                section: u32::try_from(s).unwrap_or(u32::MAX),
                block: 0,
            }),
            ..Block::paragraph(text)
        };
        let s = section(vec![
            Block::paragraph("new text"),
            repeat(1, "old one"),
            repeat(3, "old two"),
        ]);
        let mut view = SectionView {
            number: "",
            section: &s,
            children: &[],
            next: None,
            hide_repeats: true,
        };
        assert_eq!(
            plain(&view, 60),
            [
                "Title",
                "",
                "new text",
                "",
                "⟳ repeats §2–§4 (2 paragraphs) · r shows repeats"
            ]
        );
        view.hide_repeats = false;
        assert_eq!(
            plain(&view, 60),
            ["Title", "", "new text", "", "old one", "", "old two"]
        );
    }

    #[test]
    fn deep_nesting_stops_indenting_and_says_so() {
        let s = section(vec![
            Block {
                quote_depth: 200,
                ..Block::paragraph("deep quote")
            },
            Block {
                list_depth: 100,
                ..Block::new(
                    BlockKind::ListItem {
                        marker: "•".into()
                    },
                    "deep item",
                )
            },
        ]);
        let view = view(&s);
        assert_eq!(
            plain(&view, 80),
            [
                "Title".to_owned(),
                String::new(),
                format!("{}… deep quote", "│ ".repeat(8)),
                String::new(),
                format!("{}… • deep item", " ".repeat(40)),
            ]
        );
    }

    #[test]
    fn line_of_finds_the_line_showing_an_offset() {
        let s = section(vec![Block::paragraph("aaa bbb ccc")]);
        let view = view(&s);
        let lines = layout_section(&view, 4);
        assert_eq!(line_of(&lines, 1, 8), Some(5));
        assert_eq!(line_of(&lines, 0, 0), Some(0));
    }

    /// The words each separator finds, as (text, spaces after).
    fn words_by(separator: &WordSeparator, text: &str) -> Vec<(String, String)> {
        separator
            .find_words(text)
            .map(|w| (w.word.to_owned(), w.whitespace.to_owned()))
            .collect()
    }

    #[test]
    fn prose_breaks_only_after_spaces_and_other_text_is_left_to_the_unicode_rules() {
        for prose in [
            "The port (north gate) reopened at 06:00; 40% of berths, São Paulo's too.",
            "“Calm,” she said — and left… Is it? Yes! 24/7, $5 and €3.50 [sic].",
            "long-term CVE-2026-4411 and 1 – 2 ‘quoted’ words - yes",
        ] {
            assert!(breaks_only_after_spaces(prose), "{prose}");
            assert_eq!(
                words_by(&WordSeparator::AsciiSpace, prose),
                words_by(&WordSeparator::UnicodeBreakProperties, prose)
            );
        }
        for other in [
            "東京の港",
            "and/or",
            "word—word",
            "a\tb",
            "x ) y",
            "100\u{a0}km",
            // textwrap drops the last break of text that ends in `-`.
            " -",
            " a-",
        ] {
            assert!(!breaks_only_after_spaces(other), "{other}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]

        /// Wherever the quick separator is taken, it finds the words the
        /// Unicode rules find.
        #[test]
        fn the_quick_separator_finds_what_the_unicode_rules_find(
            picks in proptest::collection::vec(0usize..60, 0..30)
        ) {
            // Every character it knows, and spaces as often as the rest
            // together (characters it does not know are never quick).
            const CHARS: [char; 40] = [
                'a', 'Z', 'é', 'ß', 'ñ', 'ǀ', '1', '0', '-', '.', ',', ':', ';', '\'', '"', '‘',
                '’', '“', '”', '(', ')', '[', ']', '$', '%', '€', '+', '°', '\\', '/', '!', '?',
                '—', '–', '…', '#', '&', '*', '_', '@',
            ];
            let text: String = picks
                .iter()
                .map(|&k| CHARS.get(k).copied().unwrap_or(' '))
                .collect();
            if breaks_only_after_spaces(&text) {
                proptest::prop_assert_eq!(
                    words_by(&WordSeparator::AsciiSpace, &text),
                    words_by(&WordSeparator::UnicodeBreakProperties, &text),
                    "{:?}",
                    text
                );
            }
        }
    }

    /// Prose wrapped as it was before [`FirstFit`]: every word found and
    /// broken first, then textwrap's `wrap_first_fit` over the list.
    fn wrapped_by_textwrap(text: &str, width: usize) -> Vec<Range<usize>> {
        use textwrap::core::Word;
        use textwrap::wrap_algorithms::wrap_first_fit;

        /// Break words wider than `width` between graphemes, never inside one (a
        /// grapheme wider than the line stands alone on it).
        fn break_long_words(words: Vec<Word<'_>>, width: usize) -> Vec<Word<'_>> {
            let mut out = Vec::with_capacity(words.len());
            for word in words {
                if word.width <= width {
                    out.push(word);
                    continue;
                }
                let mut start = 0;
                let mut used = 0;
                for_each_grapheme(word.word, |offset, w| {
                    if used + w > width && offset > start {
                        out.push(Word {
                            word: &word.word[start..offset],
                            whitespace: "",
                            penalty: "",
                            width: used,
                        });
                        start = offset;
                        used = 0;
                    }
                    used += w;
                });
                out.push(Word {
                    word: &word.word[start..],
                    whitespace: word.whitespace,
                    penalty: word.penalty,
                    width: used,
                });
            }
            out
        }

        let width = width.max(1);
        let mut out = Vec::new();
        let mut offset = 0;
        for segment in text.split('\n') {
            if segment.trim().is_empty() {
                if !segment.is_empty() || text.len() > offset {
                    out.push(offset..offset);
                }
            } else {
                let separator = if breaks_only_after_spaces(segment) {
                    WordSeparator::AsciiSpace
                } else {
                    WordSeparator::UnicodeBreakProperties
                };
                let words: Vec<Word<'_>> = separator
                    .find_words(segment)
                    .map(|mut word| {
                        word.width = display_width(word.word);
                        word
                    })
                    .collect();
                let words = break_long_words(words, width);
                #[allow(clippy::cast_precision_loss)]
                let wrapped = wrap_first_fit(&words, &[width as f64]);
                let base = segment.as_ptr() as usize;
                for line in wrapped {
                    let (Some(first), Some(last)) = (line.first(), line.last()) else {
                        continue;
                    };
                    let start = first.word.as_ptr() as usize - base;
                    let end = last.word.as_ptr() as usize - base + last.word.len();
                    let part = &segment[start..end];
                    out.push(offset + start + part.len() - part.trim_start().len()..offset + end);
                }
            }
            offset += segment.len() + 1;
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]

        /// Words placed one by one as they are found wrap as textwrap
        /// wraps the list of them: short and over-long words, runs of
        /// spaces, hard breaks, wide and zero-width characters.
        #[test]
        fn wrapping_word_by_word_is_textwrap_first_fit(
            picks in proptest::collection::vec(0usize..24, 0..200),
            width in 1usize..30,
        ) {
            const PARTS: [&str; 16] = [
                "a", "word", "Supercalifragilistic", "São", "-", ",", ".", "  ", "\n", "東京都",
                "한국어", "e\u{301}", "👍🏽", "\u{200b}", "x/y", "(1)",
            ];
            let text: String = picks
                .iter()
                .map(|&k| PARTS.get(k).copied().unwrap_or(" "))
                .collect();
            proptest::prop_assert_eq!(
                wrap_ranges(&text, width),
                wrapped_by_textwrap(&text, width),
                "{:?} at {}",
                text,
                width
            );
        }
    }

    #[test]
    fn a_section_laid_out_on_two_threads_is_that_laid_out_on_one() {
        use crate::briefing::BlockRef;
        let mut section = Section::new(2, "Archive".to_owned(), 1);
        for i in 0..40 {
            // A tight list across the middle.
            let kind = if i >= 10 {
                BlockKind::ListItem {
                    marker: "•".to_owned(),
                }
            } else {
                BlockKind::Paragraph
            };
            let mut block = Block::new(
                kind,
                "Words of the archive, in São Paulo. ".repeat(i % 5 + 1),
            );
            block.list_depth = u8::from(i >= 10);
            // Runs of repeats, one of them across the middle.
            if (14..17).contains(&i) || i % 9 == 0 {
                block.repeat_of = Some(BlockRef {
                    section: 0,
                    block: 0,
                });
            }
            section.blocks.push(block);
        }
        for hide_repeats in [false, true] {
            let view = SectionView {
                number: "2",
                section: &section,
                children: &[],
                next: Some("3 Next"),
                hide_repeats,
            };
            let one = layout_section_over(&view, 30, usize::MAX);
            assert_eq!(layout_section_over(&view, 30, 0), one);
            assert!(one.len() > 40);
        }
    }
}
