//! The plain-text loader: decoded text in, a [`Briefing`] out.
//!
//! Plain text has no markup, so structure is guessed from layout. The loader
//! reads the text as a list of lines (a form feed, `\x0C`, is a page break and
//! counts as a blank line) and applies this grammar:
//!
//! * **Title.** The first non-blank line (inner white space collapsed) is the
//!   briefing's title (cut to 100 characters for [`Briefing::title`]). It
//!   also opens the first section (level 1, full line), which holds whatever
//!   comes before the first heading: a date line, a lead paragraph. The title
//!   line is the title even when it looks like a heading; rule lines above it
//!   and an underline below it are dropped.
//! * **Headings** open sections. A heading stands alone: after a blank line
//!   (or at the start of the body), at most 80 characters, no bullet, no
//!   wide gaps (runs of spaces as in page headers and tables), no dotted
//!   leader (a table-of-contents line such as `1.  Scope . . . . 4` is never
//!   a heading), not ending in `,` or `;`, ending in `.` only when it is a
//!   bare label such as `1.` or `Appendix A.`, and in `:` only with a blank
//!   line below and no number. The next non-blank line, even after blank
//!   lines, must not start in lower case (the candidate would be part of a
//!   sentence). The line right below, if not blank, must not be indented 4
//!   or more columns deeper (a glossary term), nor be art or a table row, nor
//!   be another list item when the candidate looks like one (a run of
//!   numbered lines is a list). A line indented 4 or more columns deeper than
//!   the body must also stand alone and be centred on a 72-column page
//!   (centre at columns 28 to 44). A heading is one of:
//!   - a line underlined by a line of `=` (level 2) or `-` (level 3) of
//!     similar length; the underline is markup and dropped;
//!   - a numbered line: `1.`, `1.2`, `1.2.`, `3.2.1`, `2.3.4.` (at most three
//!     digits per component, a single component needs its dot) followed by a
//!     title that does not start in lower case or with a digit; level =
//!     1 + components, so `2.` is level 2 and `2.1` level 3; the number stays
//!     in the title. A title wrapped onto a second line aligned with its
//!     first word is joined;
//!   - an appendix: `Appendix A.` / `Annex B` (level 2) and `A.1.` / `B.2.3`
//!     (level 1 + components, the letter counting as one);
//!   - an ALL-CAPS line (level 2): at least two upper-case letters, hardly
//!     any lower-case ones, mostly letters, none of the symbols of formulas
//!     (`<`, `=`, `_`, `+`, braces...), not a speaker label
//!     (`MODERATOR: text`), not the first line of a paragraph in capitals,
//!     and not following a long body line that leaves its sentence open (as
//!     in double-spaced text that capitalises words for emphasis). In a body
//!     indented as in RFCs, a capitals line in the body's own column labels
//!     a part of the section above: it is one level below the last other
//!     heading (deeper again when indented under another such line);
//!   - when the body is indented (as in RFCs), a short line starting in upper
//!     case that stands alone further left than the body (`Abstract`; level
//!     2).
//!
//!   Levels never exceed 6.
//! * **Body.** Runs of non-blank lines are separated by blank lines. A run is
//!   *preformatted* (a [`BlockKind::Code`] block: lines kept, common
//!   indentation stripped, neighbouring preformatted runs merged with one
//!   blank line between) when more than half its lines hold ASCII art or box
//!   drawing (`+--`, `-->`, `|`), wide gaps (table-like runs of spaces; two
//!   spaces after a sentence or a list marker do not count) or dotted
//!   leaders; or when it holds some art or is indented 4 or more columns
//!   deeper than the body, and does not read like prose (one indentation,
//!   mostly letters, lines long enough to be wrapped sentences). Any other
//!   run is prose: its lines are joined with single spaces into paragraphs,
//!   and lines opening with `- `, `* `, `• `, `o ` (bullets, marker `•`) or
//!   `1. `, `1) `, `a) ` (ordered, marker as written) are list items
//!   (`list_depth` 1, deeper for items indented under another); lines
//!   indented under an item, or starting in lower case, continue it. A
//!   bullet line is always an item; a numbered line only at the start of a
//!   run, inside a list, after a line ending a sentence, or when indented
//!   under the line before. A speaker's turn in a transcript (`NAME: words`)
//!   starts a new paragraph. A line of three or more `-`, `=`, `*`, `_` or
//!   `~` that does not underline a heading is a [`BlockKind::Rule`].
//! * **One paragraph per line.** When the body has no blank line at all and
//!   most of its lines are long (over 100 characters) or end a sentence, each
//!   line is its own paragraph.
//! * **No headings.** When nothing after the title is a heading, each
//!   paragraph opens its own level-2 section of kind
//!   [`SectionKind::Paragraph`], labelled by its opening words (at most 8
//!   words and 48 characters, then `…`); the paragraph itself stays whole in
//!   the section's body. Every other section, the title's included, is a
//!   [`SectionKind::Heading`]: its title is source text.
//!
//! Nothing is lost: every whitespace-separated word of the input appears
//! exactly once in a source-text section title, a block text or an ordered
//! list marker, except underline and rule lines, bullet glyphs (which become
//! the `•` marker), a leading byte-order mark and form feeds.
//! `Section::line` is the 1-based source line of the heading (of the
//! paragraph, for paragraph sections).
//!
//! The loader never renders and never does I/O; it never panics on any input
//! and runs in time linear in the input's length.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::briefing::{
    Block, BlockKind, Briefing, Format, Metadata, Section, SectionKind, Warning,
};

/// Longest heading line, in characters.
const MAX_HEADING_CHARS: usize = 80;
/// Deepest heading level.
const MAX_LEVEL: u8 = 6;
/// A paragraph section's label holds at most this many words...
const LABEL_WORDS: usize = 8;
/// ...and at most this many characters.
const LABEL_CHARS: usize = 48;
/// The briefing's title is cut to this many characters.
const TITLE_CHARS: usize = 100;
/// Lines longer than this are paragraphs in their own right.
const LONG_LINE_CHARS: usize = 100;
/// Indentation (beyond the body's) that makes a run preformatted.
const PRE_INDENT: usize = 4;
/// Columns a tab advances to (a multiple of).
const TAB_WIDTH: usize = 4;
/// Bullet glyphs that open an unordered list item.
const BULLETS: [char; 7] = ['-', '*', '•', '◦', '‣', '▪', 'o'];

/// Parse decoded plain text (LF line endings only; no CR; form feeds `\x0C`
/// may appear and mean page breaks) into a Briefing.
/// `fallback_title` is the file name, used if the text is empty.
pub(crate) fn parse(text: &str, fallback_title: &str) -> Briefing {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = split_lines(text);
    let Some(title_at) = lines
        .iter()
        .position(|l| !l.is_blank() && rule_char(l.text).is_none())
    else {
        return empty_briefing(fallback_title);
    };
    let title = collapse(lines[title_at].text);
    let mut body_start = title_at + 1;
    if lines.get(body_start).is_some_and(|l| is_underline(l.text)) {
        body_start += 1;
    }
    let body = lay_out_body(&lines[body_start..]);
    let mut builder = Builder::new(
        Section::new(1, title.clone(), lines[title_at].no),
        base_indent(&body),
    );
    builder.run(&body);
    drop(body);
    drop(lines);
    let sections = builder.finish();
    Briefing {
        title: label(&title, usize::MAX, TITLE_CHARS),
        format: Format::PlainText,
        metadata: Metadata::default(),
        sections,
        warnings: Vec::new(),
    }
}

fn empty_briefing(fallback_title: &str) -> Briefing {
    Briefing {
        title: fallback_title.to_string(),
        format: Format::PlainText,
        metadata: Metadata::default(),
        sections: Vec::new(),
        warnings: vec![Warning::new(
            None,
            "the file has no text; its name stands in for the title",
        )],
    }
}

// ---------------------------------------------------------------------------
// Lines

/// One line of the source: its 1-based number and its text (never holding a
/// line feed or a form feed), with the facts about its shape that the
/// loader asks about more than once.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    no: usize,
    /// The text; empty for a blank line.
    text: &'a str,
    indent: usize,
    /// Holds ASCII art or box drawing ([`has_art`]).
    art: bool,
    /// Holds a wide gap ([`has_wide_gap`]).
    gap: bool,
    /// Holds a dotted leader ([`is_dotted_leader`]).
    dotted: bool,
}

impl<'a> Line<'a> {
    fn new(no: usize, text: &'a str) -> Self {
        if text.trim().is_empty() {
            return Line::blank(no);
        }
        Line {
            no,
            text,
            indent: indent_of(text),
            art: has_art(text),
            gap: has_wide_gap(text),
            dotted: is_dotted_leader(text),
        }
    }

    fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    fn blank(no: usize) -> Self {
        Line {
            no,
            text: "",
            indent: 0,
            art: false,
            gap: false,
            dotted: false,
        }
    }
}

/// Split at line feeds; a form feed also splits, with a blank line standing
/// for the page break. Split parts keep their source line number. A run of
/// blank lines is kept as one: nothing depends on how long it was.
fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        for (k, part) in raw.split('\x0C').enumerate() {
            if k > 0 {
                push_line(&mut lines, Line::blank(i + 1));
            }
            push_line(&mut lines, Line::new(i + 1, part));
        }
    }
    lines
}

/// Push `line`, unless it is blank after a blank line.
fn push_line<'a>(lines: &mut Vec<Line<'a>>, line: Line<'a>) {
    if !(line.is_blank() && lines.last().is_some_and(Line::is_blank)) {
        lines.push(line);
    }
}

/// Width of the leading white space, tabs advancing to the next multiple of
/// [`TAB_WIDTH`].
fn indent_of(s: &str) -> usize {
    let mut width = 0;
    for c in s.chars() {
        match c {
            '\t' => width = (width / TAB_WIDTH + 1) * TAB_WIDTH,
            c if c.is_whitespace() => width += 1,
            _ => break,
        }
    }
    width
}

/// Append the words of `s` to `out`, separated by single spaces.
fn push_words(out: &mut String, s: &str) {
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// `s` with its white space trimmed and inner runs collapsed to one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_words(&mut out, s);
    out
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// When the body has no blank line and most lines are long or end a
/// sentence, every line is its own paragraph: put a blank line after each.
fn lay_out_body<'l, 'a>(lines: &'l [Line<'a>]) -> Cow<'l, [Line<'a>]> {
    if !is_one_paragraph_per_line(lines) {
        return Cow::Borrowed(lines);
    }
    let mut out = Vec::with_capacity(lines.len() * 2);
    for line in lines {
        out.push(*line);
        out.push(Line::blank(line.no));
    }
    Cow::Owned(out)
}

fn is_one_paragraph_per_line(lines: &[Line]) -> bool {
    let Some(first) = lines.iter().position(|l| !l.is_blank()) else {
        return false;
    };
    let Some(last) = lines.iter().rposition(|l| !l.is_blank()) else {
        return false;
    };
    let body = &lines[first..=last];
    if body.len() < 2 || body.iter().any(Line::is_blank) {
        return false;
    }
    let prose = body
        .iter()
        .filter(|l| l.text.chars().count() > LONG_LINE_CHARS || ends_sentence(l.text.trim()))
        .count();
    prose * 2 > body.len()
}

fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end_matches(['"', '\'', ')', '”', '’', ']']);
    t.ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

/// The body's usual indentation: the most common indentation of its longer
/// lines (RFCs indent their prose by 3).
fn base_indent(lines: &[Line]) -> usize {
    let mut counts = [0usize; 17];
    for line in lines {
        let t = line.text.trim();
        if t.len() >= 40 && !line.gap && !line.art {
            counts[line.indent.min(16)] += 1;
        }
    }
    let mut best = 0;
    for (indent, &n) in counts.iter().enumerate() {
        if n > counts[best] {
            best = indent;
        }
    }
    best
}

// ---------------------------------------------------------------------------
// Line shapes

/// The character of a rule line: three or more of one of `-=*_~`, alone or
/// separated by single spaces (`* * *`).
fn rule_char(s: &str) -> Option<char> {
    let t = s.trim();
    let c = t.chars().next().filter(|c| "-=*_~".contains(*c))?;
    let mut count = 0;
    let mut after_space = false;
    for ch in t.chars() {
        if ch == c {
            count += 1;
            after_space = false;
        } else if ch == ' ' && !after_space {
            after_space = true;
        } else {
            return None;
        }
    }
    (count >= 3).then_some(c)
}

/// A line of only `=` or only `-`, as under a heading.
fn is_underline(s: &str) -> bool {
    matches!(rule_char(s), Some('=' | '-')) && !s.trim().contains(' ')
}

/// The heading level given by `underline` under the (trimmed) text `t`, if
/// it is an underline of similar length.
fn underline_level(t: &str, underline: &str) -> Option<u8> {
    if !is_underline(underline) {
        return None;
    }
    let text_len = t.chars().count();
    let rule_len = underline.trim().chars().count();
    if rule_len * 2 < text_len || rule_len > text_len * 2 + 2 {
        return None;
    }
    match rule_char(underline) {
        Some('=') => Some(2),
        _ => Some(3),
    }
}

/// A run of spaces inside the text that looks like alignment: a tab, three
/// or more spaces, or two spaces not following the end of a sentence (nor a
/// list marker).
fn has_wide_gap(t: &str) -> bool {
    let t = after_marker(t.trim());
    let bytes = t.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' => run += 1,
            b'\t' => run += 3,
            _ if run < 2 => run = 0,
            _ if run > 2 => return true,
            _ => {
                let before = t[..i - 2].chars().next_back();
                if !before.is_some_and(|c| ".?!:;)]\"'”’".contains(c)) {
                    return true;
                }
                run = 0;
            }
        }
    }
    false
}

/// ASCII art or box drawing: `+--`, `-->`, `|` borders and the like.
fn has_art(t: &str) -> bool {
    const ART: [&[u8]; 8] = [
        b"+--", b"--+", b"+-+", b"-->", b"<--", b"==>", b"<==", b" | ",
    ];
    let t = t.trim();
    let bytes = t.as_bytes();
    if t.len() > 1 && (t.starts_with('|') || t.ends_with('|')) {
        return true;
    }
    bytes.iter().enumerate().any(|(i, &b)| match b {
        // U+2500..=U+259F (box drawing, block elements) are E2 94..96 xx.
        0xE2 => matches!(bytes.get(i + 1), Some(0x94..=0x96)),
        b'+' | b'-' | b'<' | b'=' => ART.iter().any(|a| bytes[i..].starts_with(a)),
        b' ' => bytes[i..].starts_with(b" | "),
        _ => false,
    })
}

/// A table-of-contents line with a dotted leader (`....` or `. . .`).
fn is_dotted_leader(t: &str) -> bool {
    let bytes = t.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'.' && (bytes[i..].starts_with(b"....") || bytes[i..].starts_with(b". . ."))
    })
}

/// A list item's marker and the text after it: bullets give `•`, ordered
/// items their number or letter as written (`3.`, `2)`, `b)`).
fn list_marker(t: &str) -> Option<(String, &str)> {
    if let Some(rest) = bullet_rest(t) {
        return Some(("•".to_string(), rest));
    }
    ordered_marker(t).map(|(marker, rest)| (marker.to_string(), rest))
}

/// An ordered item's marker as written (`3.`, `12)`, `b)`) and the text
/// after it.
fn ordered_marker(t: &str) -> Option<(&str, &str)> {
    let t = t.trim();
    let end = t.find(char::is_whitespace)?;
    let (marker, rest) = t.split_at(end);
    let rest = rest.trim_start();
    let body = marker.strip_suffix(['.', ')'])?;
    let digits = !body.is_empty() && body.len() <= 3 && body.bytes().all(|b| b.is_ascii_digit());
    let letter =
        marker.ends_with(')') && body.len() == 1 && body.bytes().all(|b| b.is_ascii_alphabetic());
    ((digits || letter) && !rest.is_empty()).then_some((marker, rest))
}

/// The text after a bullet glyph, for a line that is a bullet item. The
/// letter `o` (a bullet in RFCs) counts only before a word that does not
/// start in lower case.
fn bullet_rest(t: &str) -> Option<&str> {
    let t = t.trim();
    let mut chars = t.chars();
    let glyph = chars.next().filter(|c| BULLETS.contains(c))?;
    if !chars.next().is_some_and(char::is_whitespace) || rule_char(t).is_some() {
        return None;
    }
    let rest = t[glyph.len_utf8()..].trim_start();
    let fits = !(rest.is_empty() || (glyph.is_alphabetic() && starts_lowercase(rest)));
    fits.then_some(rest)
}

/// The text of a line after its list marker, if it has one.
fn after_marker(t: &str) -> &str {
    bullet_rest(t)
        .or_else(|| ordered_marker(t).map(|(_, rest)| rest))
        .unwrap_or(t)
}

/// Counts of the letters in `t`: (upper case, lower case, all letters, all
/// non-space characters).
fn letter_counts(t: &str) -> (usize, usize, usize, usize) {
    let (mut upper, mut lower, mut alpha, mut visible) = (0, 0, 0, 0);
    for c in t.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        if c.is_alphabetic() {
            alpha += 1;
            upper += usize::from(c.is_uppercase());
            lower += usize::from(c.is_lowercase());
        }
    }
    (upper, lower, alpha, visible)
}

/// Written in capitals: two or more upper-case letters, at most one
/// lower-case letter per five upper-case ones, mostly letters, not starting
/// in lower case and free of the symbols of formulas and code (`<`, `=`,
/// `_`, braces...).
fn is_all_caps(t: &str) -> bool {
    let (upper, lower, alpha, visible) = letter_counts(t);
    upper >= 2
        && lower * 5 <= upper
        && alpha * 2 >= visible
        && !starts_lowercase(t)
        && !t.contains([
            '<', '>', '=', '_', '{', '}', '\\', '|', '@', '#', '$', '^', '~', '+',
        ])
}

/// `NAME: Words` — a speaker's name in capitals, then what they said (in
/// ordinary case: `APPENDIX: METHOD` is a heading, not a speaker).
fn is_speaker_label(t: &str) -> bool {
    static SPEAKER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[\p{Lu}][\p{Lu}\p{N} .'’-]*:\s*\S").expect("valid regex"));
    SPEAKER.find(t).is_some_and(|m| {
        t[m.end()..].chars().any(char::is_lowercase) || t[..m.end()].ends_with(char::is_lowercase)
    })
}

// ---------------------------------------------------------------------------
// Headings

/// A heading found at a line: its level, its title and how many lines it
/// takes (2 with an underline). `nested_at` is set for a capitals line in the
/// body's own column (as RFCs label states and events): its level is then
/// relative to the heading above it, at that indentation.
#[derive(Debug)]
struct Heading {
    level: u8,
    title: String,
    consumed: usize,
    nested_at: Option<usize>,
}

/// The heading starting at `lines[i]`, which follows a blank line (or the
/// start of the body). `before` is the last body line above it, if no
/// heading came between.
fn heading_at(lines: &[Line], i: usize, base: usize, before: Option<&Line>) -> Option<Heading> {
    let line = lines.get(i)?;
    let t = line.text.trim();
    if t.len() > MAX_HEADING_CHARS * 4
        || t.chars().count() > MAX_HEADING_CHARS
        || bullet_rest(t).is_some()
        || line.dotted
        || line.art
    {
        return None;
    }
    let indent = line.indent;
    let next = lines.get(i + 1).filter(|n| !n.is_blank());
    if let Some(level) = next.and_then(|n| underline_level(t, n.text))
        && indent < base + PRE_INDENT
    {
        return Some(Heading {
            level,
            title: collapse(t),
            consumed: 2,
            nested_at: None,
        });
    }
    if let Some(h) = wrapped_numbered(lines, i) {
        return Some(h);
    }
    if next.is_some_and(|n| !may_follow_heading(line, n, base))
        || (indent >= base + PRE_INDENT && !is_centered(t, indent))
        || body_continues_sentence(lines, i)
    {
        return None;
    }
    let shape = heading_shape(line, next.is_none(), base)?;
    if has_wide_gap(shape.checked) || !ending_fits_heading(t, next.is_none(), shape.numbered) {
        return None;
    }
    if !shape.numbered && before.is_some_and(leaves_sentence_open) {
        return None;
    }
    let nested = shape.caps && base >= 2 && indent >= base && indent < base + PRE_INDENT;
    Some(Heading {
        level: shape.level,
        title: collapse(t),
        consumed: 1,
        nested_at: nested.then_some(indent),
    })
}

/// Whether `next`, right below a heading candidate `line`, lets it be a
/// heading.
fn may_follow_heading(line: &Line, next: &Line, base: usize) -> bool {
    let t = line.text.trim();
    let n = next.text.trim();
    let indent = line.indent;
    !(starts_lowercase(n)
        || indent >= base + PRE_INDENT
        || next.indent >= indent + PRE_INDENT
        || (list_marker(t).is_some() && list_marker(n).is_some())
        || (is_all_caps(t) && is_all_caps(n))
        || next.gap
        || next.art)
}

/// A numbered heading whose title wraps onto a second line aligned with the
/// title's first word (`3.9.1.9.  Set ... (IPv4 TOS or IPv6 Traffic` /
/// `Class)`), with a blank line (or the end) after it.
fn wrapped_numbered(lines: &[Line], i: usize) -> Option<Heading> {
    let line = lines.get(i)?;
    let next = lines.get(i + 1)?;
    let t = line.text.trim();
    let n = next.text.trim();
    let (components, rest) = numbered(t)?;
    let title_column = line.indent + t[..t.len() - rest.len()].chars().count();
    let fits = !rest.is_empty()
        && !n.is_empty()
        && next.indent == title_column
        && !starts_lowercase(n)
        && lines.get(i + 2).is_none_or(Line::is_blank)
        && n.chars().count() + t.chars().count() <= MAX_HEADING_CHARS * 2
        && !has_wide_gap(rest)
        && !next.gap
        && !next.dotted
        && ending_fits_heading(n, true, true);
    fits.then(|| Heading {
        level: level_for(components),
        title: format!("{} {}", collapse(t), collapse(n)),
        consumed: 2,
        nested_at: None,
    })
}

/// Whether a body line leaves its sentence open: a long line of prose ending
/// in a letter or a comma, not a list item. A capitals line after it (as in
/// double-spaced text with words in capitals) continues the sentence.
fn leaves_sentence_open(prev: &Line) -> bool {
    let p = prev.text.trim();
    !prev.gap
        && !prev.art
        && p.chars().count() >= 50
        && p.chars()
            .last()
            .is_some_and(|c| c.is_alphabetic() || c == ',')
        && list_marker(p).is_none()
}

/// A deeply indented heading must be centred on a 72-column page.
fn is_centered(t: &str, indent: usize) -> bool {
    let centre = indent + t.chars().count() / 2;
    (28..=44).contains(&centre)
}

/// Whether the first line after `lines[i]` and any blank lines starts in
/// lower case: then `lines[i]` is part of a sentence (as in double-spaced
/// text), not a heading.
fn body_continues_sentence(lines: &[Line], i: usize) -> bool {
    lines
        .iter()
        .skip(i + 1)
        .find(|l| !l.is_blank())
        .is_some_and(|l| starts_lowercase(l.text.trim()))
}

/// What a heading-shaped line is: its level, the part of it that must not
/// hold wide gaps (the title after any number), and its kind.
struct Shape<'a> {
    level: u8,
    checked: &'a str,
    numbered: bool,
    caps: bool,
}

/// The shape of a heading line, if it has one.
fn heading_shape<'a>(line: &Line<'a>, alone: bool, base: usize) -> Option<Shape<'a>> {
    let t = line.text.trim();
    let shape = |level, checked, numbered, caps| Shape {
        level,
        checked,
        numbered,
        caps,
    };
    if let Some((components, rest)) = numbered(t) {
        return Some(shape(level_for(components), rest, true, false));
    }
    if let Some(components) = appendix(t) {
        return Some(shape(level_for(components), t, false, false));
    }
    if is_all_caps(t) && !is_speaker_label(t) {
        return Some(shape(2, t, false, true));
    }
    (alone && is_outdented_title(line, base)).then(|| shape(2, t, false, false))
}

fn level_for(components: usize) -> u8 {
    (components + 1).min(usize::from(MAX_LEVEL)) as u8
}

/// `1.`, `1.2`, `3.2.1.` and the title after it: the number of components
/// and the title. A single component needs its dot; a title must not start
/// in lower case or with a digit and must hold a letter; a bare number needs
/// a trailing dot.
fn numbered(t: &str) -> Option<(usize, &str)> {
    let end = t.find(char::is_whitespace).unwrap_or(t.len());
    let (number, rest) = t.split_at(end);
    let rest = rest.trim_start();
    let dotted = number.ends_with('.');
    let core = number.strip_suffix('.').unwrap_or(number);
    let mut components = 0;
    for part in core.split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        components += 1;
    }
    if components == 1 && !dotted {
        return None;
    }
    if rest.is_empty() {
        return dotted.then_some((components, rest));
    }
    let first = rest.chars().next()?;
    let fits =
        !first.is_lowercase() && !first.is_ascii_digit() && rest.chars().any(char::is_alphabetic);
    fits.then_some((components, rest))
}

/// `Appendix A.`, `Annex B: Title` (1 component) or `A.1.`, `B.2.3 Title`
/// (the letter and each number count): the number of components.
fn appendix(t: &str) -> Option<usize> {
    static APPENDIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:Appendix|APPENDIX|Annex|ANNEX)\s+[A-Z]((?:\.\d{1,3})*)\.?:?|[A-Z]((?:\.\d{1,3})+)\.?)(?:\s+\S.*)?$")
            .expect("valid regex")
    });
    let caps = APPENDIX.captures(t)?;
    if let Some(numbers) = caps.get(1) {
        return Some(1 + numbers.as_str().matches('.').count());
    }
    let numbers = caps.get(2)?;
    let rest = t[numbers.end()..].trim_start_matches('.').trim_start();
    if starts_lowercase(rest) {
        return None;
    }
    Some(1 + numbers.as_str().matches('.').count())
}

/// In an indented body (as in RFCs), a short line starting in upper case and
/// standing further left than the body, such as `Abstract`.
fn is_outdented_title(line: &Line, base: usize) -> bool {
    let t = line.text.trim();
    base >= 2
        && line.indent + 2 <= base
        && t.chars().next().is_some_and(char::is_uppercase)
        && t.split_whitespace().count() <= 10
        && t.chars().count() <= 60
        && !t.ends_with(':')
}

/// Headings don't end like clauses (`,` `;`), nor like sentences (`.`)
/// unless they are a bare label (`1.`, `Appendix A.`); a closing `:` needs a
/// blank line after it, and is never on a numbered line (that introduces a
/// list).
fn ending_fits_heading(t: &str, alone: bool, numbered: bool) -> bool {
    match t.chars().last() {
        Some(',' | ';') => false,
        Some('.') => is_label_only(t),
        Some(':') => alone && !numbered,
        _ => true,
    }
}

/// A heading made of a label only: numbers, roman numerals or single
/// letters, optionally after one word (`Appendix A.`, `PART IV.`, `2.1.`).
fn is_label_only(t: &str) -> bool {
    let tokens: Vec<&str> = t.split_whitespace().collect();
    if tokens.is_empty() || tokens.len() > 3 {
        return false;
    }
    let skip = usize::from(tokens.len() > 1);
    tokens[skip..].iter().all(|tok| is_number_label(tok))
}

fn is_number_label(tok: &str) -> bool {
    let core = tok.trim_end_matches(['.', ':']);
    !core.is_empty()
        && core.split('.').all(|part| {
            !part.is_empty()
                && (part.bytes().all(|b| b.is_ascii_digit())
                    || (part.len() == 1 && part.bytes().all(|b| b.is_ascii_alphabetic()))
                    || (part.len() <= 7 && part.chars().all(|c| "IVXLCDM".contains(c))))
        })
}

// ---------------------------------------------------------------------------
// Body blocks

/// Whether a run of non-blank lines is preformatted: more than half its
/// lines are art, have wide gaps or dotted leaders; or it holds some art or
/// is indented deeper than the body, and does not read like prose.
fn is_preformatted(run: &[Line], base: usize) -> bool {
    let lines = run.len();
    let art = run.iter().filter(|l| l.art).count();
    let gappy = run.iter().filter(|l| l.gap).count();
    let dotted = run.iter().filter(|l| l.dotted).count();
    let indent = run.iter().map(|l| l.indent).min().unwrap_or(0);
    if art * 2 > lines || gappy * 2 > lines || dotted * 2 > lines {
        return true;
    }
    (art > 0 || indent >= base + PRE_INDENT) && !reads_like_prose(run)
}

/// A run that reads like prose: lines (after the first) share one
/// indentation, mostly letters, long enough to be wrapped sentences (or a
/// single sentence).
fn reads_like_prose(run: &[Line]) -> bool {
    let Some(first) = run.first() else {
        return false;
    };
    let rest_indent = run.get(1).map_or(first.indent, |l| l.indent);
    if run.iter().skip(1).any(|l| l.indent != rest_indent) {
        return false;
    }
    let (mut alpha, mut visible, mut longest, mut words) = (0, 0, 0, 0);
    for line in run {
        let (_, _, a, v) = letter_counts(line.text);
        alpha += a;
        visible += v;
        longest = longest.max(line.text.trim().chars().count());
        words += line.text.split_whitespace().count();
    }
    let long_enough = if run.len() > 1 {
        longest >= 40
    } else {
        words >= 4 || ends_sentence(first.text.trim())
    };
    alpha * 10 >= visible * 6 && long_enough
}

/// The paragraphs and list items of a prose run, each with its first line.
fn prose_blocks(run: &[Line]) -> Vec<(usize, Block)> {
    let mut out = Vec::new();
    let mut current: Option<Pending> = None;
    let mut list_indents: Vec<usize> = Vec::new();
    for (k, line) in run.iter().enumerate() {
        let t = line.text.trim();
        let indent = line.indent;
        let in_list = current.as_ref().is_some_and(|p| p.marker.is_some());
        if let Some((marker, rest)) = list_marker(t)
            && starts_item(run, k, in_list)
        {
            out.extend(current.take().map(Pending::into_block));
            let depth = list_depth(&mut list_indents, indent);
            current = Some(Pending::item(line.no, marker, indent, depth, rest));
            continue;
        }
        let continues = |p: &Pending| {
            (p.marker.is_none() && !starts_speech(t)) || indent > p.indent || starts_lowercase(t)
        };
        match current.as_mut() {
            Some(p) if continues(p) => {
                push_words(&mut p.text, t);
            }
            _ => {
                out.extend(current.take().map(Pending::into_block));
                list_indents.clear();
                current = Some(Pending::paragraph(line.no, t));
            }
        }
    }
    out.extend(current.map(Pending::into_block));
    out
}

/// Whether a line opens a speaker's turn in a transcript (`NAME: words`).
fn starts_speech(t: &str) -> bool {
    t.get(..32).unwrap_or(t).contains(':') && is_speaker_label(t)
}

/// Whether the list-marked line `run[k]` opens an item: always for bullets;
/// for numbers, at the start of the run, inside a list, after a line that
/// ends a sentence or clause, or when indented under the line before.
fn starts_item(run: &[Line], k: usize, in_list: bool) -> bool {
    let Some(line) = run.get(k) else {
        return false;
    };
    if bullet_rest(line.text).is_some() || k == 0 || in_list {
        return true;
    }
    run.get(k - 1).is_some_and(|prev| {
        let p = prev.text.trim();
        ends_sentence(p) || p.ends_with([':', ';']) || line.indent > prev.indent
    })
}

/// The depth of a list item at `indent`, given the indents of the open
/// items.
fn list_depth(open: &mut Vec<usize>, indent: usize) -> u8 {
    while open.last().is_some_and(|&top| top > indent) {
        open.pop();
    }
    if open.last() != Some(&indent) {
        open.push(indent);
    }
    open.len().min(usize::from(u8::MAX)) as u8
}

/// A paragraph or list item being gathered.
struct Pending {
    line: usize,
    marker: Option<String>,
    indent: usize,
    depth: u8,
    text: String,
}

impl Pending {
    fn paragraph(line: usize, t: &str) -> Self {
        Pending {
            line,
            marker: None,
            indent: 0,
            depth: 0,
            text: collapse(t),
        }
    }

    fn item(line: usize, marker: String, indent: usize, depth: u8, rest: &str) -> Self {
        Pending {
            line,
            marker: Some(marker),
            indent,
            depth,
            text: collapse(rest),
        }
    }

    fn into_block(self) -> (usize, Block) {
        let block = match self.marker {
            Some(marker) => Block {
                list_depth: self.depth,
                ..Block::new(BlockKind::ListItem { marker }, self.text)
            },
            None => Block::paragraph(self.text),
        };
        (self.line, block)
    }
}

/// One code block from preformatted lines (`None` for a blank line): common
/// indentation stripped, trailing space trimmed, blank lines kept inside.
fn code_block(lines: &[Option<Line>]) -> Option<(usize, Block)> {
    let first = lines.iter().flatten().next()?;
    let strip = lines.iter().flatten().map(|l| l.indent).min().unwrap_or(0);
    let mut text = String::new();
    for (k, line) in lines.iter().enumerate() {
        if k > 0 {
            text.push('\n');
        }
        if let Some(line) = line {
            let extra = line.indent.saturating_sub(strip);
            text.extend(std::iter::repeat_n(' ', extra));
            text.push_str(line.text.trim());
        }
    }
    let text = text.trim_end().to_string();
    Some((
        first.no,
        Block::new(
            BlockKind::Code {
                lang: String::new(),
            },
            text,
        ),
    ))
}

// ---------------------------------------------------------------------------
// Sections

/// Walks the body's lines, opening sections at headings and turning runs of
/// lines into blocks.
struct Builder<'a> {
    sections: Vec<Section>,
    /// The source line of each block of the title's section, to split it
    /// into paragraph sections when no heading follows.
    lead_lines: Vec<usize>,
    base: usize,
    /// The current run of non-blank lines.
    run: Vec<Line<'a>>,
    /// Preformatted lines waiting to become one code block; `None` is a blank
    /// line between runs.
    code: Vec<Option<Line<'a>>>,
    /// The last body line, unless a heading came after it.
    before: Option<Line<'a>>,
    /// The level of the last heading that was not nested.
    anchor: u8,
    /// Indentations of the nested headings open below the anchor.
    nested: Vec<usize>,
}

impl<'a> Builder<'a> {
    fn new(title: Section, base: usize) -> Self {
        Builder {
            sections: vec![title],
            lead_lines: Vec::new(),
            base,
            run: Vec::new(),
            code: Vec::new(),
            before: None,
            anchor: 1,
            nested: Vec::new(),
        }
    }

    fn run(&mut self, lines: &[Line<'a>]) {
        let mut i = 0;
        while let Some(&line) = lines.get(i) {
            i += 1;
            if line.is_blank() {
                self.end_run();
                if self.code.last().is_some_and(Option::is_some) {
                    self.code.push(None);
                }
            } else if rule_char(line.text).is_some() && line.indent < self.base + PRE_INDENT {
                self.end_run();
                self.push_block(line.no, Block::new(BlockKind::Rule, ""));
            } else if let Some(h) = self
                .run
                .is_empty()
                .then(|| heading_at(lines, i - 1, self.base, self.before.as_ref()))
                .flatten()
            {
                i += h.consumed - 1;
                self.before = None;
                self.open_section(h, line.no);
            } else {
                self.run.push(line);
                self.before = Some(line);
            }
        }
        self.end_run();
        self.flush_code();
    }

    /// Start a new section at heading `h`. A nested capitals heading sits one
    /// level below the last other heading, plus one per shallower nested
    /// heading still open.
    fn open_section(&mut self, h: Heading, line: usize) {
        self.flush_code();
        let level = if let Some(indent) = h.nested_at {
            let depth = list_depth(&mut self.nested, indent);
            self.anchor.saturating_add(depth).min(MAX_LEVEL)
        } else {
            self.anchor = h.level;
            self.nested.clear();
            h.level
        };
        self.sections.push(Section::new(level, h.title, line));
    }

    /// Turn the current run into blocks (or pending code).
    fn end_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.run);
        if is_preformatted(&run, self.base) {
            self.code.extend(run.into_iter().map(Some));
            return;
        }
        self.flush_code();
        for (line, block) in prose_blocks(&run) {
            self.push_block(line, block);
        }
    }

    fn flush_code(&mut self) {
        let code = std::mem::take(&mut self.code);
        if let Some((line, block)) = code_block(&code) {
            self.push_block(line, block);
        }
    }

    fn push_block(&mut self, line: usize, block: Block) {
        if block.kind == BlockKind::Rule {
            self.flush_code();
        }
        if self.sections.len() == 1 {
            self.lead_lines.push(line);
        }
        if let Some(section) = self.sections.last_mut() {
            section.blocks.push(block);
        }
    }

    /// The sections; without headings, one per paragraph.
    fn finish(self) -> Vec<Section> {
        if self.sections.len() == 1 {
            sections_per_paragraph(self.sections, &self.lead_lines)
        } else {
            self.sections
        }
    }
}

/// Without headings, each paragraph opens a level-2 section labelled by its
/// opening words; blocks before the first paragraph stay with the title.
/// `lines` holds the source line of each block of the first section.
fn sections_per_paragraph(sections: Vec<Section>, lines: &[usize]) -> Vec<Section> {
    let mut out = Vec::with_capacity(lines.len() + 1);
    for mut section in sections {
        let blocks = std::mem::take(&mut section.blocks);
        let fallback = section.line;
        out.push(section);
        for (k, block) in blocks.into_iter().enumerate() {
            if block.kind == BlockKind::Paragraph {
                let line = lines.get(k).copied().unwrap_or(fallback);
                out.push(Section {
                    kind: SectionKind::Paragraph,
                    ..Section::new(2, opening_words(&block.text), line)
                });
            }
            if let Some(last) = out.last_mut() {
                if last.blocks.is_empty() {
                    // Most paragraph sections hold one block: reserve no more.
                    last.blocks.reserve_exact(1);
                }
                last.blocks.push(block);
            }
        }
    }
    out
}

/// A paragraph section's label: its opening words.
fn opening_words(text: &str) -> String {
    label(text, LABEL_WORDS, LABEL_CHARS)
}

/// The first words of `text`, at most `max_words` and `max_chars`
/// characters, cut at a word boundary (inside a word only when the first
/// word alone is too long), with `…` when something was left out.
fn label(text: &str, max_words: usize, max_chars: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for (n, word) in text.split_whitespace().enumerate() {
        let len = word.chars().count();
        let sep = usize::from(n > 0);
        if n >= max_words || chars + sep + len > max_chars {
            if n == 0 {
                out.extend(word.chars().take(max_chars));
            }
            out.push('…');
            return out;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(word);
        chars += sep + len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(b: &Briefing) -> Vec<(u8, String)> {
        b.sections
            .iter()
            .map(|s| (s.level, s.title.clone()))
            .collect()
    }

    fn outline(items: &[(u8, &str)]) -> Vec<(u8, String)> {
        items.iter().map(|&(l, t)| (l, t.to_string())).collect()
    }

    fn blocks(s: &Section) -> Vec<(BlockKind, String)> {
        s.blocks
            .iter()
            .map(|b| (b.kind.clone(), b.text.clone()))
            .collect()
    }

    fn para(text: &str) -> (BlockKind, String) {
        (BlockKind::Paragraph, text.to_string())
    }

    fn code(text: &str) -> (BlockKind, String) {
        (
            BlockKind::Code {
                lang: String::new(),
            },
            text.to_string(),
        )
    }

    fn item(marker: &str, text: &str) -> (BlockKind, String) {
        (
            BlockKind::ListItem {
                marker: marker.to_string(),
            },
            text.to_string(),
        )
    }

    /// Bullet glyphs become the `•` marker, so all of them count as `•`.
    fn normalise(word: &str) -> String {
        let mut chars = word.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if BULLETS.contains(&c) => "•".to_string(),
            _ => word.to_string(),
        }
    }

    /// Every word of the briefing, sorted: section titles that are source
    /// text (not the labels of paragraph sections, which repeat their
    /// paragraph), block texts and list markers.
    fn words(b: &Briefing) -> Vec<String> {
        let mut out = Vec::new();
        for section in &b.sections {
            if section.kind.title_is_source() {
                out.extend(section.title.split_whitespace().map(normalise));
            }
            for block in &section.blocks {
                out.extend(block.text.split_whitespace().map(normalise));
                if let BlockKind::ListItem { marker } = &block.kind {
                    out.push(normalise(marker));
                }
            }
        }
        out.sort();
        out
    }

    /// Every word of the source, sorted, less underline and rule lines.
    fn source_words(text: &str) -> Vec<String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut out: Vec<String> = text
            .split(['\n', '\x0C'])
            .filter(|line| rule_char(line).is_none())
            .flat_map(str::split_whitespace)
            .map(normalise)
            .collect();
        out.sort();
        out
    }

    /// Parse, and check that no word was lost or doubled on the way.
    fn parse_checked(text: &str) -> Briefing {
        let briefing = parse(text, "fallback.txt");
        assert_eq!(words(&briefing), source_words(text), "words of {text:?}");
        for section in &briefing.sections {
            assert!(!section.title.contains('\x0C'));
            assert!(section.blocks.iter().all(|b| !b.text.contains('\x0C')));
        }
        briefing
    }

    #[test]
    fn title_line_becomes_title() {
        let b = parse_checked("\n\n   Quarterly   Grid Briefing  \n\nPower use rose.\n");
        assert_eq!(b.title, "Quarterly Grid Briefing");
        assert_eq!(b.format, Format::PlainText);
        assert_eq!(titles(&b)[0], (1, "Quarterly Grid Briefing".to_string()));
        assert_eq!(b.sections[0].line, 3);
        assert!(b.warnings.is_empty());
    }

    #[test]
    fn title_section_holds_body_before_first_heading() {
        let text =
            "Grid Briefing\n3 March 2025\n\nDemand peaked early.\n\n1. Supply\n\nGas was short.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[(1, "Grid Briefing"), (2, "1. Supply")])
        );
        assert_eq!(
            blocks(&b.sections[0]),
            [para("3 March 2025"), para("Demand peaked early.")]
        );
        assert_eq!(blocks(&b.sections[1]), [para("Gas was short.")]);
        assert_eq!(b.sections[1].line, 6);
    }

    #[test]
    fn title_that_looks_like_a_heading_is_still_the_title() {
        let b = parse_checked("1. SITUATION REPORT\n\nCALM\n\nAll quiet.\n");
        assert_eq!(b.title, "1. SITUATION REPORT");
        assert_eq!(
            titles(&b),
            outline(&[(1, "1. SITUATION REPORT"), (2, "CALM")])
        );
    }

    #[test]
    fn numbered_headings_nest_by_depth() {
        let text = "Report\n\n1. Introduction\n\nText.\n\n1.1 Scope\n\nText.\n\n1.1.1. Limits\n\nText.\n\n2.  Findings\n\n2.3.4.5 Deep\n\nText.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Report"),
                (2, "1. Introduction"),
                (3, "1.1 Scope"),
                (4, "1.1.1. Limits"),
                (2, "2. Findings"),
                (5, "2.3.4.5 Deep"),
            ])
        );
        let lines: Vec<usize> = b.sections.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 3, 7, 11, 15, 17]);
    }

    #[test]
    fn all_caps_line_is_heading() {
        let text = "Report\n\nSUMMARY\n\nAll good.\n\nÜBERBLICK DER LAGE\n\nRuhig.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[(1, "Report"), (2, "SUMMARY"), (2, "ÜBERBLICK DER LAGE")])
        );
        assert_eq!(blocks(&b.sections[1]), [para("All good.")]);
    }

    #[test]
    fn speaker_label_and_formula_are_not_headings() {
        let text = "Transcript\n\nPANEL\n\nMODERATOR: Welcome to the panel.\n\nSND.UNA < SEG.ACK\n\nQ: Why now\n\nAPPENDIX: METHOD\n\nNotes.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[(1, "Transcript"), (2, "PANEL"), (2, "APPENDIX: METHOD")])
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("MODERATOR: Welcome to the panel."),
                para("SND.UNA < SEG.ACK"),
                para("Q: Why now"),
            ]
        );
    }

    #[test]
    fn underlined_heading_with_equals_and_dashes() {
        let text = "Report\n======\n\nOverview\n========\n\nText here.\n\nDetails\n-------\n\nMore text.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[(1, "Report"), (2, "Overview"), (3, "Details")])
        );
        assert_eq!(blocks(&b.sections[1]), [para("Text here.")]);
        assert_eq!(blocks(&b.sections[2]), [para("More text.")]);
        assert_eq!(b.sections[2].line, 9);
    }

    #[test]
    fn rule_line_becomes_rule_block() {
        let text = "Report\n\nNOTES\n\nBefore the break.\n\n* * *\n\nAfter it.\n----------------------------------\n";
        let b = parse_checked(text);
        assert_eq!(titles(&b), outline(&[(1, "Report"), (2, "NOTES")]));
        let rule = (BlockKind::Rule, String::new());
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("Before the break."),
                rule.clone(),
                para("After it."),
                rule
            ]
        );
    }

    #[test]
    fn speaker_turns_start_paragraphs() {
        let text = "Transcript\n\nPANEL\n\nMODERATOR: Any questions\nfrom the floor?\nDR. ADA LEE: One, about\nthe budget.\n";
        let b = parse_checked(text);
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("MODERATOR: Any questions from the floor?"),
                para("DR. ADA LEE: One, about the budget."),
            ]
        );
    }

    #[test]
    fn paragraph_lines_are_joined() {
        let text = "Report\n\nSUMMARY\n\nThe grid held up well\nduring the   cold snap,\n  despite demand.\n\nA second paragraph.\n";
        let b = parse_checked(text);
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("The grid held up well during the cold snap, despite demand."),
                para("A second paragraph."),
            ]
        );
    }

    #[test]
    fn no_headings_gives_a_section_per_paragraph_titled_by_opening_words() {
        let text = "Morning Brief\n\nMarkets opened higher on Monday as investors weighed the central bank decision.\n\nOil fell.\n\nSupercalifragilisticexpialidociousandthensomemorelettershere is long.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Morning Brief"),
                (2, "Markets opened higher on Monday as investors…"),
                (2, "Oil fell."),
                (2, "Supercalifragilisticexpialidociousandthensomemor…"),
            ])
        );
        assert!(b.sections[0].blocks.is_empty());
        let kinds: Vec<SectionKind> = b.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::Heading,
                SectionKind::Paragraph,
                SectionKind::Paragraph,
                SectionKind::Paragraph,
            ]
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [para(
                "Markets opened higher on Monday as investors weighed the central bank decision."
            )]
        );
        let lines: Vec<usize> = b.sections.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 3, 5, 7]);
    }

    #[test]
    fn one_paragraph_per_line_export() {
        let text = "Evening Brief\nThe council approved the budget after a long debate.\nRoad works on the bridge start next week, officials said.\nWEATHER\nRain is expected overnight, clearing by the morning.\n";
        let b = parse_checked(text);
        assert_eq!(titles(&b), outline(&[(1, "Evening Brief"), (2, "WEATHER")]));
        assert_eq!(
            blocks(&b.sections[0]),
            [
                para("The council approved the budget after a long debate."),
                para("Road works on the bridge start next week, officials said."),
            ]
        );
    }

    #[test]
    fn hard_wrapped_text_without_blank_lines_is_one_paragraph() {
        let text = "Note\nthe grid held up well during the cold snap and\ndemand was met by imports from the north and\nthe reserve was not needed at all.\n";
        let b = parse_checked(text);
        assert_eq!(b.sections.len(), 2);
        assert_eq!(b.sections[1].blocks.len(), 1);
    }

    #[test]
    fn indented_diagram_is_code_not_heading() {
        let text = "Report\n\nDESIGN\n\nThe flow:\n\n    CLIENT\n    +--------+      +--------+\n    | SENDER | ---> | SERVER |\n    +--------+      +--------+\n\n        LOG    STORE\n\n    APPENDIX\n\nEnd.\n";
        let b = parse_checked(text);
        assert_eq!(titles(&b), outline(&[(1, "Report"), (2, "DESIGN")]));
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("The flow:"),
                code(
                    "CLIENT\n+--------+      +--------+\n| SENDER | ---> | SERVER |\n+--------+      +--------+\n\n    LOG    STORE\n\nAPPENDIX"
                ),
                para("End."),
            ]
        );
    }

    #[test]
    fn indented_prose_stays_prose() {
        let text = "Report\n\nSUMMARY\n\n      The committee met on Tuesday and agreed the plan\n      for the coming winter, with two members absent.\n";
        let b = parse_checked(text);
        assert_eq!(
            blocks(&b.sections[1]),
            [para(
                "The committee met on Tuesday and agreed the plan for the coming winter, with two members absent."
            )]
        );
    }

    #[test]
    fn table_with_aligned_columns_is_code() {
        let text = "Report\n\nPRICES\n\nItem      Price\nBread     2.10\nMilk      0.95\n";
        let b = parse_checked(text);
        assert_eq!(
            blocks(&b.sections[1]),
            [code("Item      Price\nBread     2.10\nMilk      0.95")]
        );
    }

    #[test]
    fn dotted_toc_line_is_not_heading() {
        let text = "Report\n\nContents\n\n1.  Introduction . . . . . . . 4\n\n2.  Findings ................ 9\n\n1. Introduction\n\nText.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[(1, "Report"), (2, "1. Introduction")])
        );
    }

    #[test]
    fn numbered_list_in_paragraph_is_not_heading() {
        let text = "Report\n\nPLAN\n\nWe propose three steps:\n1. Cut waste\n2. Hire staff\n3. Review\n\n1. First point made\n2. Second point made\n\nThe plan, in short,\n   2. Buy time\nand wait.\n";
        let b = parse_checked(text);
        assert_eq!(titles(&b), outline(&[(1, "Report"), (2, "PLAN")]));
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("We propose three steps:"),
                item("1.", "Cut waste"),
                item("2.", "Hire staff"),
                item("3.", "Review"),
                item("1.", "First point made"),
                item("2.", "Second point made"),
                para("The plan, in short,"),
                item("2.", "Buy time and wait."),
            ]
        );
    }

    #[test]
    fn bullet_lists_become_items_with_continuations() {
        let text = "Report\n\nKEY POINTS\n\n- Prices rose\n  sharply in March.\n* Wages lagged.\n• Rents are flat.\n  - Except in the capital.\nAfter the list.\n";
        let b = parse_checked(text);
        let kinds: Vec<(BlockKind, String, u8)> = b.sections[1]
            .blocks
            .iter()
            .map(|b| (b.kind.clone(), b.text.clone(), b.list_depth))
            .collect();
        let bullet = BlockKind::ListItem {
            marker: "•".to_string(),
        };
        assert_eq!(
            kinds,
            [
                (
                    bullet.clone(),
                    "Prices rose sharply in March.".to_string(),
                    1
                ),
                (bullet.clone(), "Wages lagged.".to_string(), 1),
                (bullet.clone(), "Rents are flat.".to_string(), 1),
                (bullet, "Except in the capital.".to_string(), 2),
                (BlockKind::Paragraph, "After the list.".to_string(), 0),
            ]
        );
    }

    #[test]
    fn sentence_ending_with_period_is_not_heading() {
        let text = "Report\n\nIT IS OVER.\n\n2. The vote passed.\n\nDone, for now,\n\nAPPENDIX A.\n\nTables.\n";
        let b = parse_checked(text);
        assert_eq!(titles(&b), outline(&[(1, "Report"), (2, "APPENDIX A.")]));
    }

    #[test]
    fn appendix_headings() {
        let text = "Report\n\nAppendix A.  Data Sources\n\nText.\n\nA.1.  Surveys\n\nText.\n\nB.2.3 Weights\n\nText.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Report"),
                (2, "Appendix A. Data Sources"),
                (3, "A.1. Surveys"),
                (4, "B.2.3 Weights"),
            ])
        );
    }

    #[test]
    fn form_feed_is_page_break() {
        let text = "Report\n\nFirst page text\x0Cstill text.\n\x0C\nSECOND\x0C\nPage two.\x0C";
        let b = parse_checked(text);
        assert_eq!(titles(&b), outline(&[(1, "Report"), (2, "SECOND")]));
        assert_eq!(
            blocks(&b.sections[0]),
            [para("First page text"), para("still text.")]
        );
        assert_eq!(blocks(&b.sections[1]), [para("Page two.")]);
        assert_eq!(b.sections[1].line, 5);
    }

    #[test]
    fn empty_input_uses_fallback_title() {
        for text in [
            "",
            "   \n\t\n",
            "\x0C\x0C\n\x0C",
            "\u{feff}",
            "-----\n====\n",
        ] {
            let b = parse_checked(text);
            assert_eq!(b.title, "fallback.txt", "{text:?}");
            assert!(b.sections.is_empty());
            assert_eq!(b.warnings.len(), 1);
        }
    }

    #[test]
    fn long_title_is_cut_for_the_briefing_but_kept_in_its_section() {
        let line = "word ".repeat(40);
        let b = parse_checked(&line);
        assert!(b.title.ends_with('…'));
        assert!(b.title.chars().count() <= TITLE_CHARS + 1);
        assert_eq!(b.sections[0].title, line.trim());
    }

    #[test]
    fn rfc_style_layout() {
        let text = "Network Working Group                              A. Author\n\n          A Protocol for Things\n\nAbstract\n\n   This memo describes a protocol for things that are connected to\n   other things.\n\nTable of Contents\n\n   1.  Introduction . . . . . . . . . . . . . . . . . . . . . . .  2\n     1.1.  Terms  . . . . . . . . . . . . . . . . . . . . . . . .  2\n\nAuthor                      Informational                  [Page 1]\n\x0C\nRFC 9999                   Things Protocol                 April 2025\n\n1.  Introduction\n\n   Things connect to other things over a network, and this protocol\n   says how.\n\n   LISTEN STATE\n\n   The thing waits for a peer to connect to it and says nothing.\n\n1.1.  Terms\n\n   The key words are to be read as described in the usual place.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Network Working Group A. Author"),
                (2, "Abstract"),
                (2, "Table of Contents"),
                (2, "1. Introduction"),
                (3, "LISTEN STATE"),
                (3, "1.1. Terms"),
            ])
        );
        let toc = &b.sections[2].blocks[0];
        assert!(matches!(toc.kind, BlockKind::Code { .. }));
    }

    #[test]
    fn wrapped_numbered_heading_joins_its_lines() {
        let text = "Report\n\n3.9.  Set the Field (Version Four or Version\n      Six)\n\n   Text of the section.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Report"),
                (3, "3.9. Set the Field (Version Four or Version Six)")
            ])
        );
    }

    #[test]
    fn glossary_term_is_not_heading() {
        let text = "Report\n\nGLOSSARY\n\nACK\n          A control bit that acknowledges data.\n\nFIN\n          A control bit that ends a stream.\n";
        let b = parse_checked(text);
        assert_eq!(titles(&b), outline(&[(1, "Report"), (2, "GLOSSARY")]));
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("ACK A control bit that acknowledges data."),
                para("FIN A control bit that ends a stream."),
            ]
        );
    }

    #[test]
    fn capitals_continuing_a_double_spaced_sentence_are_not_headings() {
        let text = "Essay\n\nNUMBER ONE\n\nIt is a plain proposition, and one that every reader knows, that EVERY\n\nGOVERNMENT OUGHT TO KEEP ITS WORD\n\nTO THE END OF ITS TERM\n\nand beyond it.\n";
        let b = parse_checked(text);
        assert_eq!(titles(&b), outline(&[(1, "Essay"), (2, "NUMBER ONE")]));
        assert_eq!(b.sections[1].blocks.len(), 4);
    }

    #[test]
    fn non_ascii_and_cjk_text() {
        let text = "市场简报\n\n1. 概要\n\n今天股市上涨。投资者情绪乐观。\n\n2. 细节\n\n银行板块领涨，科技股持平。\n\nملخص الأخبار اليومية\n\nCafé société: naïve façade.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[(1, "市场简报"), (2, "1. 概要"), (2, "2. 细节")])
        );
        assert_eq!(
            blocks(&b.sections[2]),
            [
                para("银行板块领涨，科技股持平。"),
                para("ملخص الأخبار اليومية"),
                para("Café société: naïve façade."),
            ]
        );
    }

    #[test]
    fn cjk_paragraph_label_is_cut_inside_the_word() {
        let long = "这是一个没有空格的很长的句子".repeat(5);
        let text = format!("标题\n\n{long}\n");
        let b = parse_checked(&text);
        assert_eq!(b.sections.len(), 2);
        assert_eq!(b.sections[1].title.chars().count(), LABEL_CHARS + 1);
        assert!(b.sections[1].title.ends_with('…'));
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let b = parse_checked("\u{feff}Title\n\nBody text.\n");
        assert_eq!(b.title, "Title");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let megabyte_line = "x".repeat(1 << 20);
        let megabyte_words = "word, ".repeat(1 << 18);
        let inputs = [
            megabyte_line.as_str(),
            megabyte_words.as_str(),
            "!!!\n\n???\n\n...\n\n,,,\n\n- - \n\n-\n*\n•\n1.\n1)\na)\n",
            "\t\tTabbed\n\t\t\ttext  \t here\n\n\t1.\tTabbed heading\n",
            "Title\r\nwith CR\r\n\r\nBody\r\n",
            "ﬁ ligature ﬂ\n\n\u{200f}עברית\u{200e}\n\n\u{3000}全角\u{3000}空白\n",
            "1.\n\n1.2.\n\n999.999.999\n\n1000. Too big\n",
            "A\n\n====\n\n----\n====\n\nB\n=\n",
            "Appendix\n\nAppendix Z.\n\nZ.9.9.9.9.9.9.9 Deep\n",
            "| pipe\n\n|\n\n+\n\n<--\n",
        ];
        for text in inputs {
            let b = parse_checked(text);
            assert!(
                b.sections
                    .iter()
                    .all(|s| (1..=MAX_LEVEL).contains(&s.level))
            );
        }
    }

    /// A deterministic stand-in for random words.
    struct Words {
        state: u32,
    }

    impl Words {
        const VOCAB: [&'static str; 16] = [
            "grid", "power", "price", "market", "storm", "council", "budget", "report", "winter",
            "supply", "demand", "network", "river", "harbour", "train", "school",
        ];

        fn next(&mut self) -> usize {
            self.state = self.state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (self.state >> 16) as usize
        }

        fn word(&mut self) -> &'static str {
            Self::VOCAB[self.next() % Self::VOCAB.len()]
        }

        /// A paragraph of `lines` lines of about 60 characters, starting in
        /// upper case and ending with a full stop.
        fn paragraph(&mut self, lines: usize) -> String {
            let mut out = String::from("The");
            for line in 0..lines {
                let mut len = 0;
                while len < 55 {
                    let w = self.word();
                    out.push(' ');
                    out.push_str(w);
                    len += w.len() + 1;
                }
                out.push_str(if line + 1 == lines { ".\n" } else { "\n" });
            }
            out
        }
    }

    /// A few hundred lines of headings of every style, paragraphs, lists,
    /// code, table-of-contents lines and page breaks, with the outline a
    /// reader should see.
    fn generated_document() -> (String, Vec<(u8, String)>) {
        let mut w = Words { state: 7 };
        let mut doc = String::from("Generated Briefing\n\n");
        let mut expected = vec![(1, "Generated Briefing".to_string())];
        doc.push_str("Contents\n\n1.  Opening . . . . . . 2\n2.  Closing ........... 9\n\n");
        for chapter in 1..=12 {
            let word = w.word();
            let (heading, level) = match chapter % 4 {
                0 => (format!("{chapter}. Chapter {word}\n"), 2),
                1 => (format!("CHAPTER {} {chapter}\n", word.to_uppercase()), 2),
                2 => {
                    let title = format!("Chapter {chapter} on the {word}");
                    (format!("{title}\n{}\n", "=".repeat(title.len())), 2)
                }
                _ => (
                    format!(
                        "Appendix {}.  On {word}\n",
                        char::from(b'A' + chapter as u8)
                    ),
                    2,
                ),
            };
            expected.push((level, collapse(heading.lines().next().unwrap_or(""))));
            doc.push_str(&heading);
            doc.push('\n');
            doc.push_str(&w.paragraph(3));
            for section in 1..=3 {
                let topic = w.word();
                doc.push('\n');
                if section == 2 {
                    let title = format!("Topic {topic}");
                    doc.push_str(&title);
                    doc.push('\n');
                    doc.push_str(&"-".repeat(title.len()));
                    doc.push('\n');
                    expected.push((3, title));
                } else {
                    let title = format!("{chapter}.{section} The {topic}");
                    doc.push_str(&title);
                    doc.push('\n');
                    expected.push((3, title));
                }
                doc.push('\n');
                doc.push_str(&w.paragraph(1 + section));
                doc.push_str("\n- First point about the ");
                doc.push_str(w.word());
                doc.push_str("\n  continues here.\n* Second point.\n\n");
                doc.push_str("Steps to follow:\n1) Measure the ");
                doc.push_str(w.word());
                doc.push_str(".\n2) Report it.\n\n");
                doc.push_str("    +------+     +------+\n    | ");
                doc.push_str(w.word());
                doc.push_str(" | --> | sink |\n    +------+     +------+\n\n");
                if section == 3 {
                    doc.push_str(&w.paragraph(2));
                    doc.push_str("\x0C\n");
                }
            }
            doc.push_str(&w.paragraph(2));
            doc.push_str("\n* * *\n\n");
        }
        (doc, expected)
    }

    #[test]
    fn nothing_is_lost_on_generated_document() {
        let (doc, expected) = generated_document();
        assert!(doc.lines().count() > 300, "{}", doc.lines().count());
        let b = parse_checked(&doc);
        assert_eq!(titles(&b), expected);
        let code_blocks = b
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter(|b| matches!(b.kind, BlockKind::Code { .. }))
            .count();
        assert_eq!(code_blocks, 12 * 3 + 1);
    }

    /// A random line of heading-like, list-like, art-like and prose tokens.
    fn random_line(w: &mut Words) -> String {
        const TOKENS: [&str; 40] = [
            "The",
            "grid",
            "held",
            "HEADING",
            "STATE",
            "1.",
            "2.1",
            "3.2.1.",
            "A.1.",
            "Appendix",
            "B.",
            "-",
            "*",
            "•",
            "o",
            "1)",
            "a)",
            "+--",
            "|",
            "-->",
            "....",
            ". . .",
            "===",
            "---",
            "MODERATOR:",
            "Q:",
            "x",
            "全角",
            "مرحبا",
            "Zoë",
            "(note)",
            ",",
            ".",
            ":",
            "<SEQ=1>",
            "ABSTRACT",
            "end.",
            "\u{3000}",
            "~~~",
            "Ω",
        ];
        const GAPS: [&str; 5] = [" ", " ", " ", "  ", "\t"];
        let mut line = " ".repeat([0, 0, 0, 1, 3, 4, 6, 12, 30][w.next() % 9]);
        for k in 0..=(w.next() % 9) {
            if k > 0 {
                line.push_str(GAPS[w.next() % GAPS.len()]);
            }
            line.push_str(TOKENS[w.next() % TOKENS.len()]);
        }
        if rule_char(&line).is_some() {
            // Rule lines are markup only outside deep indentation.
            return line.trim().to_string();
        }
        line
    }

    #[test]
    fn random_documents_lose_nothing_and_never_panic() {
        let mut w = Words { state: 11 };
        for _ in 0..400 {
            let mut doc = String::new();
            for _ in 0..(w.next() % 40) {
                match w.next() % 10 {
                    0 | 1 => doc.push('\n'),
                    2 => doc.push('\x0C'),
                    _ => {
                        doc.push_str(&random_line(&mut w));
                        doc.push('\n');
                    }
                }
            }
            let b = parse_checked(&doc);
            assert!(
                b.sections
                    .iter()
                    .all(|s| (1..=MAX_LEVEL).contains(&s.level))
            );
            assert!(b.sections.iter().all(|s| s.line >= 1));
        }
    }

    #[test]
    #[ignore = "timing: run with --release --ignored"]
    fn parses_ten_megabytes_quickly() {
        let (doc, _) = generated_document();
        let ten_mb = 10 * 1024 * 1024;
        let inputs = [
            doc.repeat(ten_mb / doc.len() + 1),
            "\n".repeat(ten_mb),
            "A short paragraph, as in a wire feed.\n\n".repeat(ten_mb / 39),
            "word ".repeat(ten_mb / 5),
            "Title\n".to_string() + &"a. ".repeat(ten_mb / 3),
        ];
        for big in &inputs {
            let start = std::time::Instant::now();
            let b = parse(big, "big.txt");
            let took = start.elapsed();
            eprintln!(
                "{} bytes, {} sections in {took:?}",
                big.len(),
                b.sections.len()
            );
            assert!(took.as_secs_f64() < 1.0, "took {took:?}");
        }
    }

    #[test]
    #[ignore = "reads the shared corpus; prints outlines"]
    fn corpus_outlines() {
        let dir = std::path::Path::new("/work/shared/corpus");
        for name in [
            "rfc3986-uri.txt",
            "rfc9293-tcp.txt",
            "rfc0793-tcp.txt",
            "federalist-papers-gutenberg.txt",
        ] {
            let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
                eprintln!("{name}: not found");
                continue;
            };
            let start = std::time::Instant::now();
            let b = parse_checked(&text);
            let took = start.elapsed();
            for s in &b.sections {
                let pad = "  ".repeat(usize::from(s.level) - 1);
                eprintln!("{:>6} {pad}{}", s.line, s.title);
            }
            eprintln!("{name}: {} sections in {took:?}", b.sections.len());
        }
    }
}
