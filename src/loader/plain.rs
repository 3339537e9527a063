//! The plain-text loader: decoded text in, a [`Briefing`] out.
//!
//! Plain text has no markup, so structure is guessed from layout, in stages
//! that each walk the text once.
//!
//! 1. **Lines.** A leading byte-order mark is dropped and tabs expand to the
//!    next multiple of 8 columns. The text is split into lines; a form feed
//!    (`\x0C`) is a page break and counts as a blank line. A run of blank
//!    lines counts as one.
//! 2. **Page furniture** is set aside: on paginated text (form feeds, else
//!    `[Page N]` footers), the first and last few lines of each page are
//!    running headers and footers when the same line (digits aside) stands
//!    there on three or more pages, or is a `[Page N]` footer (at most four
//!    lines at either edge). A short line beside them goes too when it
//!    repeats on two or more pages (a chapter name in the header) or stands
//!    beside two of them (a section name). Without pages, a line that
//!    repeats at a steady interval of 40 to 80 lines is furniture. A
//!    sentence cut by a page break (the line before ends without a full
//!    stop, the line after starts in lower case) is joined again. One
//!    warning counts the lines removed.
//! 3. **Wrapping boilerplate.** A Project Gutenberg text is cut at its
//!    `*** START OF … ***` and `*** END OF … ***` markers: everything up to
//!    the start marker (and a `Produced by` paragraph after it) and
//!    everything from the end marker (or the `End of the Project Gutenberg
//!    EBook` line before it) becomes a [`SectionKind::Boilerplate`] section
//!    of its own; the `Title:` field names the briefing.
//!    A message signed with PGP in clear text (an advisory) loses its
//!    armour, the signature included, set aside and counted in the same
//!    warning, and the dashes its text escapes (`- ---`) are read as
//!    written.
//! 4. **Opening.** At the top: web navigation residue (`Skip to main
//!    content`) is set aside; a release line (`FOR IMMEDIATE RELEASE`) and
//!    a classification banner (`UNCLASSIFIED//FOR OFFICIAL USE ONLY`,
//!    `TLP:AMBER`) go to metadata. An RFC-style header block (lines of two columns,
//!    `Key: value` lines and right-aligned lines, followed by a centred
//!    title) goes to metadata: `Key: value` pairs to `extra`, the first other
//!    left-hand line to `source`, the date to `date`, author names and their
//!    organisations to `extra` as `author`. The first remaining line is the
//!    title (after an RFC header, with the centred lines that continue it);
//!    `Title | Site` gives the title and `source` (the `|` set aside). An
//!    underline below it is
//!    dropped, and the same words again right below it (a repeated
//!    headline) are set aside. Centred lines right after the title, up to
//!    the first page break, are its subtitles (never headings; the first
//!    date among them goes to `date`). Then, for up to eight lines (past
//!    one subtitle right above a date or byline), a date line (`As of
//!    0600, 6 December 2026`, `التاريخ: 2027-02-25`) goes to `date`, a byline (`By Jane Doe`, `Prepared by …`) to
//!    `extra` as `byline`, a `Source:` line to `source` (the `Source:` label
//!    set aside), `Contact:` and similar lines to `extra` under their own
//!    key. A dateline opening the first paragraph
//!    (`WASHINGTON, Nov. 3 (Reuters) -`) goes to `extra` as `dateline`, its
//!    dash set aside. A memorandum's header lines (`FROM:`, `TO:`,
//!    `DATE:`, `SUBJECT:`, `RE:`…) go to `extra` under their label, the
//!    date to `date`, and the subject names a briefing whose title line is
//!    `MEMORANDUM…`; so does a paragraph of two or more `Key: value` lines
//!    opening the body (`Status: Resolved` / `Severity: SEV-2`), a `Date:`
//!    to `date` and a `Source:` to `source`. Stand-alone end markers (`###`, `# # #`, `-30-`,
//!    `ENDS`) are set aside wherever they are.
//! 5. **Contents.** A `Contents` or `Table of Contents` line opens a table
//!    of contents: the entries below it (dotted leaders, numbered lines,
//!    short title lines, wrapped entries joined) up to the first line that
//!    repeats an entry (or an entry's label without its title: `CHAPTER
//!    I.` for `CHAPTER I. The Beginning`), or up to prose. The heading
//!    opens a section, the entries are one [`BlockKind::Code`] block in it,
//!    and no entry is a heading. Without such a line, three or more dotted-leader lines in a
//!    row are a table of contents. A later line that matches an entry (same
//!    number and title, case and leaders aside) is a heading; each entry
//!    matches once.
//! 6. **Headings** open sections. A heading stands alone: after a blank line
//!    (or at the start of the body), at most 80 characters, no bullet, no
//!    wide gaps (runs of spaces as in page headers and tables), no dotted
//!    leader, not ending in `,` or `;`, ending in `.` only when it is a bare
//!    label such as `1.` or `Appendix A.`, and in `:` only with a blank line
//!    below and no number. The next non-blank line, even after blank lines,
//!    must not start in lower case (the candidate would be part of a
//!    sentence). The line right below, if not blank, must not be indented 4
//!    or more columns deeper (a glossary term), nor be art or a table row,
//!    nor be another list item when the candidate looks like one (a run of
//!    numbered lines is a list). A line indented 4 or more columns deeper
//!    than the body must also stand alone and be centred on a 72-column page
//!    (centre at columns 28 to 44). Unnumbered candidates must not follow a
//!    line that ends in `:` (it introduces a list), nor a long line that
//!    leaves its sentence open. A line that repeats the title is not a
//!    heading. A heading is one of:
//!   - a line matching the caller's heading pattern (`--heading`), even
//!     inside a paragraph: level by its leading `#`s or its number, else 2;
//!   - a table-of-contents entry (above);
//!   - a recurring label: `PART 3`, `Chapter IV: The Storm`, `ESSAY No. 12`,
//!     `FEDERALIST. No. 1` — a word, an optional `No.`, a number (arabic or
//!     roman), an optional title — standing alone (or over its title
//!     lines: `ARTICLE I` / `DEFINITIONS`), when three or more such
//!     lines share the word and their numbers mostly rise (`Figure`,
//!     `Table`, `Page` and the like never count). All instances of a word
//!     share a level: 2, with `VOLUME`/`BOOK` above `PART` above other words
//!     above `SECTION`/`ARTICLE` when several are present. A bare label's
//!     title on the next lines (up to three short lines, then a blank line;
//!     right under the label, a name in capitals too) joins it: `FEDERALIST
//!     No. 1 — General Introduction`, `ARTICLE I — DEFINITIONS` (and a second
//!     short line after a blank line when the first ends in a word such as
//!     `of` or `No`). In the opening blocks of such a section, a name in
//!     capitals (`HAMILTON`, `HAMILTON AND MADISON`) is a byline and stays in
//!     the body. In an indented body, labels in the body's column nest like
//!     capitals lines (below);
//!   - a line underlined by a line of `=` (level 2) or `-` (level 3) of
//!     similar length, or framed by such lines above and below of any
//!     length; the adornment is markup and dropped;
//!   - a numbered line in full-width digits (`１．概要`), level as below;
//!   - a numbered line: `1.`, `1.2`, `1.2.`, `3.2.1`, `2.3.4.` (at most three
//!     digits per component, a single component needs its dot) followed by a
//!     title that starts with a letter (not lower case) or a quote; level =
//!     1 + components, so `2.` is level 2 and `2.1` level 3; the number stays
//!     in the title. A title wrapped onto a second line aligned with its
//!     first word is joined;
//!   - a roman-numbered line (`II. Problem Description`; a single letter
//!     only as `I`, `V` or `X`), level 2, also above a paragraph opening
//!     in lower case;
//!   - a Markdown-style `## Title` with a blank line below (level = the
//!     number of `#`s);
//!   - a numbered paragraph's run-in title (`1.  Purpose.  This
//!     memorandum…`), when two or more paragraphs open so, their numbers
//!     mostly rising: a number, then one word (not an abbreviation such
//!     as `Dr.`) or up to five in Title Case, ending in `.` or `:` before
//!     a space or the line's end. The title is the number and those words;
//!     the rest of the line opens the section's body. Level as for a
//!     numbered line;
//!   - an appendix: `Appendix A.` / `Annex B` (level 2) and `A.1.` / `B.2.3`
//!     (level 1 + components, the letter counting as one);
//!   - a lettered label with a short title standing alone (`A. Transmission`,
//!     `B) Distribution`; level 3), when the labels above it run back to
//!     `A.` in order (or, for `A.`, the next one below is `B.`);
//!   - an ALL-CAPS line (level 2): at least two upper-case letters, hardly
//!     any lower-case ones, mostly letters, none of the symbols of formulas
//!     (`<`, `=`, `_`, `+`, braces...), not a speaker label
//!     (`MODERATOR: text`), not the first line of a paragraph in capitals,
//!     not after a line ending in `,` (a signature after `Sincerely,`), not a
//!     name followed by a short line or two (a signature block), and not
//!     following a long body line that leaves its sentence open (as in
//!     double-spaced text that capitalises words for emphasis). In a body
//!     indented as in RFCs, a capitals line in the body's own column labels
//!     a part of the section above: it is one level below the last other
//!     heading (deeper again when indented under another such line);
//!   - when the body is indented (as in RFCs), a short line starting in upper
//!     case that stands alone further left than the body (`Abstract`; level
//!     2), unless it is a `Key: value` fact with a number (`Next meeting:
//!     18 November`);
//!   - a label ending in `:` over a block indented under it, in capitals
//!     (`SITUATION:`) or further left than an indented body (`Action
//!     items:`); level 2, titled without the colon;
//!   - a short title-like line standing alone between blank lines, not
//!     indented beyond the body, followed by a paragraph that is not
//!     indented deeper (else it is a term being defined), and not right
//!     after another short line standing alone (a list of names): at most
//!     60 characters and 10 words, starting in upper case (or in a
//!     script without case), ending in a
//!     letter, digit or bracket, one sentence, not a greeting or sign-off,
//!     Title Case or at most four words without a comma; level 2, nested
//!     like capitals lines in an indented body;
//!   - such a title-like line right above its paragraph, a line of prose
//!     (five words or more, most of them in lower case), when two or more
//!     paragraphs of the body open so, as e-mails and status notes have
//!     them (`What happened` / `A certificate on the gateway expired…`);
//!     level 2;
//!   - the line opening an earlier message in an e-mail (`-----Original
//!     Message-----`, `---------- Forwarded message ---------`), titled
//!     without its dashes; level 2.
//!
//!   Levels never exceed 6.
//! 7. **Body.** Runs of non-blank lines are separated by blank lines. A run
//!    is *preformatted* (a [`BlockKind::Code`] block: lines kept, common
//!    indentation stripped, neighbouring preformatted runs merged with one
//!    blank line between) when more than half its lines hold ASCII art or
//!    box drawing (`+--`, `-->`, `|`), wide gaps (table-like runs of spaces;
//!    two spaces after a sentence or a list marker do not count) or dotted
//!    leaders; or when it holds some art or is indented 4 or more columns
//!    deeper than the body, and does not read like prose (one indentation,
//!    or list items with their lines wrapped under their text; mostly
//!    letters, lines long enough to be wrapped sentences; not commands: a
//!    first line in lower case or opening with `$`, `#`, `.`, `/`, `~` or
//!    `>`, with a path or an option among its words, not ending as a
//!    sentence does). Any other
//!    run is prose: its lines are joined with single spaces into paragraphs
//!    (with none between two characters of Chinese or Japanese, which put
//!    no spaces between words),
//!    and lines opening with `- `, `* `, `• `, `o ` (bullets, marker `•`) or
//!    `1. `, `1) `, `a) `, `a. ` before a capital, `(a)`, `(2)`, `(iv)`
//!    (ordered, marker as written) are list items
//!    (`list_depth` 1, deeper for items indented under another); lines
//!    indented under an item, or starting in lower case, continue it. A
//!    bullet line is always an item; a numbered line only at the start of a
//!    run, inside a list, after a line ending a sentence, or when indented
//!    under the line before. A speaker's turn in a transcript (`NAME: words`)
//!    starts a new paragraph. A sign-off (`Regards,` / `J. Smith`, a `-- `
//!    signature, a name in capitals over a rank), a run of short `Key:
//!    value` lines (an earlier message's header), and a contact or address
//!    block (short lines, one with an e-mail address or a telephone
//!    number), keep their lines; so does a timeline or chat log (a run
//!    whose first line and half its lines or more open with a time,
//!    `14:02`, `[10:42]`, `2026-12-07 14:47`), a line per entry. A line
//!    of three or more `-`, `=`, `*`, `_` or
//!    `~` that does not underline a heading is a [`BlockKind::Rule`].
//! 8. **One paragraph per line.** When the body has no blank line at all and
//!    most of its lines are long (over 100 characters) or end a sentence,
//!    each line is its own paragraph.
//! 9. **No headings.** When nothing after the title is a heading, each
//!    paragraph opens its own level-2 section of kind
//!    [`SectionKind::Paragraph`], labelled by its opening words (at most 8
//!    words and 48 characters, then `…`); the paragraph itself stays whole
//!    in the section's body. When those paragraphs are mostly speaker turns,
//!    [`transcript::apply`](super::transcript::apply) regroups them into
//!    questions and remarks. Every other section, the title's included, is
//!    a [`SectionKind::Heading`]: its title is source text (a bare label's
//!    joined title is joined with ` — `).
//!
//! Nothing is lost: every whitespace-separated word of the input appears
//! exactly once in a source-text section title, a block text, an ordered
//! list marker or a metadata value moved out of the body (`date`, `source`,
//! and every `extra` value, with the key too when the key is the source's
//! own `Key:`), except underline and rule lines, bullet glyphs (which become
//! the `•` marker), the closing `.` or `:` of a run-in title, the dashes
//! around `Original Message`, a leading
//! byte-order mark, form feeds, the lines set
//! aside as page furniture or residue, which a warning counts, and the
//! separators and labels the metadata makes redundant (the `|` of `Title |
//! Site`, a `Source:` label, a dateline's dash). The
//! `speakers` pair is derived from labels that stay in the body.
//! `Section::line` is the 1-based source line of the heading (of the
//! paragraph, for paragraph sections).
//!
//! The loader never renders and never does I/O; it never panics on any input
//! and runs in time linear in the input's length. A large text is read on
//! two threads where a second core is free: its lines in two halves, and
//! its body's sections in two pieces cut before a section that the first
//! piece is checked to open too (else the body is built again in one
//! piece); the result is the same as on one thread.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use xxhash_rust::xxh3::xxh3_64;

use self::texts::{Spacing, Spans, Texts, Words};
use super::transcript;
use crate::briefing::{
    Block, BlockKind, Briefing, Format, Metadata, Section, SectionKind, Warning,
};
use crate::parallel::on_two_threads;

mod shapes;
mod texts;

/// Longest heading line, in characters.
const MAX_HEADING_CHARS: usize = 80;
/// Deepest heading level.
const MAX_LEVEL: u8 = 6;
/// A paragraph section's label holds at most this many words...
pub(crate) const LABEL_WORDS: usize = 8;
/// ...and at most this many characters.
pub(crate) const LABEL_CHARS: usize = 48;
/// The briefing's title is cut to this many characters.
const TITLE_CHARS: usize = 100;
/// Lines longer than this are paragraphs in their own right.
const LONG_LINE_CHARS: usize = 100;
/// Most bytes reserved up front for a paragraph's text (it grows beyond).
const BLOCK_RESERVE: usize = 4096;
/// Indentation (beyond the body's) that makes a run preformatted.
const PRE_INDENT: usize = 4;
/// Columns a tab advances to (a multiple of).
const TAB_WIDTH: usize = 8;
/// Bullet glyphs that open an unordered list item.
const BULLETS: [char; 7] = ['-', '*', '•', '◦', '‣', '▪', 'o'];
/// Opening lines looked at for a date, byline or contact line.
const OPENING_LINES: usize = 8;

/// Parse decoded plain text (LF line endings only; no CR; form feeds `\x0C`
/// may appear and mean page breaks) into a Briefing. `fallback_title` is
/// the file name, used if the text is empty. Lines matching `heading` are
/// headings. The text is let go of bit by bit as the model takes its
/// place.
pub(crate) fn parse(text: String, fallback_title: &str, heading: Option<&Regex>) -> Briefing {
    read_cut(text, fallback_title, heading, Cut::Middle).0
}

/// The briefing, and the text set aside on the way (page furniture,
/// residue, a dateline's dash), for tests to account for.
#[cfg(test)]
fn read(text: &str, fallback_title: &str, heading: Option<&Regex>) -> (Briefing, Vec<String>) {
    read_cut(text.to_owned(), fallback_title, heading, Cut::Middle)
}

/// Where [`build`] cuts a body into two pieces.
#[derive(Debug, Clone, Copy)]
enum Cut {
    /// Near the middle of a long body, if anywhere.
    Middle,
    /// At this line of the body, if it opens a section (for tests).
    #[cfg(test)]
    At(usize),
}

/// [`parse`], cutting the body as `cut` says, with the text set aside.
fn read_cut(
    mut text: String,
    fallback_title: &str,
    heading: Option<&Regex>,
    cut: Cut,
) -> (Briefing, Vec<String>) {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    let expanded = match expand_tabs(&text) {
        Cow::Owned(expanded) => Some(expanded),
        Cow::Borrowed(_) => None,
    };
    let text = expanded.unwrap_or(text);
    let Split {
        mut lines,
        keys,
        marks,
    } = split_lines(&text);
    let mut fate = vec![Fate::Body; lines.len()];
    // Neither reads the whole line list: the marks say where to look.
    mark_furniture(&lines, &marks, &keys, &mut fate);
    drop(keys);
    let wrapping = find_wrapping(&lines, &marks);
    let main = wrapping.as_ref().map_or(0..lines.len(), |w| w.main.clone());
    mark_end_markers(&lines, &marks.short, &mut fate, main.clone());
    mark_signature(&mut lines, &mut fate, main.clone());
    let mut set_aside = Vec::new();
    let known_title = wrapping.as_ref().and_then(|w| w.title.clone());
    let mut opening = read_opening(
        &mut lines,
        &mut fate,
        main.clone(),
        known_title,
        fallback_title,
        &mut set_aside,
    );
    // A title the caller's pattern matches loses its marks as a heading
    // does (AsciiDoc's `= Title`).
    if let (Some(o), Some(pattern)) = (&mut opening, heading)
        && o.title_is_source
        && pattern.is_match(&o.title)
    {
        o.title = pattern_title(&o.title);
        o.briefing_title = label(&o.title, usize::MAX, TITLE_CHARS);
    }
    let mut briefing = Briefing {
        title: fallback_title.to_string(),
        format: Format::PlainText,
        metadata: Metadata::default(),
        sections: Vec::new(),
        warnings: Vec::new(),
    };
    // Everything that reads the line list besides the body is taken now, so
    // that the list can be let go of when the body has a copy of its own
    // lines (a large file has a million 64-byte line records). The front and
    // back matter get their level once the body's sections are known.
    let warnings = set_aside_warnings(&lines, &fate);
    let furniture: Vec<String> = lines
        .iter()
        .zip(&fate)
        .filter(|(line, fate)| {
            matches!(fate, Fate::Furniture | Fate::Residue(_)) && !line.is_blank()
        })
        .map(|(line, _)| line.text.to_string())
        .collect();
    let matter = wrapping.as_ref().map(|w| {
        (
            boilerplate(&lines, &fate, 0..w.main.start, marks.breaks, "Front", 1),
            boilerplate(
                &lines,
                &fate,
                w.main.end..lines.len(),
                marks.breaks,
                "Back",
                1,
            ),
        )
    });
    if let Some(opening) = opening {
        let range = opening.body_start..main.end;
        let (body, range) =
            if let Some(part) = body_as_it_is(&lines, &fate, range.clone(), marks.breaks) {
                (lines, part)
            } else {
                // The line list becomes the body.
                let body = compact_body(lines, &fate, range);
                let all = 0..body.len();
                (body, all)
            };
        let drafts = {
            let body = lay_out_body(&body[range]);
            // Three passes over the body: the contents on one thread, the
            // labels and the indent on the other.
            let ((toc, titles), (labels, base, adornments)) = on_two_threads_over(
                body.len(),
                || (find_toc(&body), paragraph_titles(&body)),
                || {
                    (
                        find_labels(&body),
                        base_indent(&body),
                        Adornments::of(&body),
                    )
                },
            );
            let rules = Rules::new(heading, &opening, toc, labels, adornments, titles);
            build(opening.section(), base, rules, &body, cut, &text)
        };
        // The line records go before the texts are copied out.
        drop((body, fate));
        briefing.sections = drafts.finish(text);
        briefing.title = opening.briefing_title;
        briefing.metadata = opening.metadata;
        transcript::apply(&mut briefing);
    }
    if let (Some(wrapping), Some((front, back))) = (&wrapping, matter) {
        if briefing.sections.is_empty()
            && let Some(title) = &wrapping.title
        {
            briefing.title.clone_from(title);
        }
        let level = briefing.sections.iter().map(|s| s.level).min().unwrap_or(1);
        if let Some(front) = front {
            briefing.sections.insert(0, Section { level, ..front });
        }
        if let Some(back) = back {
            briefing.sections.push(Section { level, ..back });
        }
    }
    if briefing.sections.is_empty() {
        return (empty_briefing(fallback_title), set_aside);
    }
    briefing.warnings = warnings;
    set_aside.extend(furniture);
    (briefing, set_aside)
}

/// Markdown and other loaders: a paragraph of one line matching `pattern`
/// (outside lists and quotes) becomes a heading that opens a section, at
/// the level [`pattern_level`] gives; the blocks after it move into that
/// section. Its line is that of the section it came from. A lead section
/// left empty goes.
pub(crate) fn promote_heading_paragraphs(briefing: &mut Briefing, pattern: &Regex) {
    let sections = std::mem::take(&mut briefing.sections);
    let mut out: Vec<Section> = Vec::with_capacity(sections.len());
    for mut section in sections {
        let blocks = std::mem::take(&mut section.blocks);
        let line = section.line;
        out.push(section);
        for block in blocks {
            let t = block.text.trim();
            if block.kind == BlockKind::Paragraph
                && block.quote_depth == 0
                && block.list_depth == 0
                && !t.contains('\n')
                && t.chars().count() <= MAX_HEADING_CHARS * 2
                && pattern.is_match(t)
            {
                out.push(Section::new(pattern_level(t), pattern_title(t), line));
            } else if let Some(last) = out.last_mut() {
                last.blocks.push(block);
            }
        }
    }
    out.retain(|s| s.kind != SectionKind::Lead || !s.blocks.is_empty());
    briefing.sections = out;
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

/// One warning counting the page furniture removed, one counting the
/// residue set aside.
fn set_aside_warnings(lines: &[Line], fate: &[Fate]) -> Vec<Warning> {
    let mut furniture = 0;
    let mut residue: Vec<(Residue, usize)> = Vec::new();
    // The fate first: most lines are body, and their records are not read.
    for (fate, line) in fate.iter().zip(lines) {
        match fate {
            Fate::Body | Fate::Meta => {}
            _ if line.is_blank() => {}
            Fate::Furniture => furniture += 1,
            Fate::Residue(kind) => match residue.iter_mut().find(|(k, _)| k == kind) {
                Some((_, n)) => *n += 1,
                None => residue.push((*kind, 1)),
            },
        }
    }
    let mut warnings = Vec::new();
    if furniture > 0 {
        warnings.push(Warning::new(
            None,
            format!(
                "removed {furniture} {} of page headers and footers",
                plural(furniture, "line", "lines")
            ),
        ));
    }
    let total: usize = residue.iter().map(|(_, n)| n).sum();
    if total > 0 {
        let kinds: Vec<&str> = residue.iter().map(|(k, _)| k.name()).collect();
        warnings.push(Warning::new(
            None,
            format!(
                "set aside {total} {} of page residue ({})",
                plural(total, "line", "lines"),
                kinds.join(", ")
            ),
        ));
    }
    warnings
}

fn plural<'s>(n: usize, one: &'s str, many: &'s str) -> &'s str {
    if n == 1 { one } else { many }
}

// ---------------------------------------------------------------------------
// Lines

/// One line of the source: its 1-based number and its text (never holding a
/// line feed or a form feed), with the facts about its shape that the
/// loader asks about more than once.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Line<'a> {
    /// The text; empty for a blank line.
    text: &'a str,
    /// The line number ([`Line::no`]); 32 bits, like the next three, since
    /// a large file has a million line records.
    number: u32,
    /// Columns of leading white space ([`Line::indent`]) in the low
    /// [`Line::INDENT_BITS`] bits (at most that many columns count), the
    /// [`Line::ART`] to [`Line::PLAIN_KEY`] flags above them.
    indent_flags: u32,
    /// Where the trimmed text starts in `text`, and its length
    /// ([`Line::trimmed`]).
    trim_start: u32,
    trim_len: u32,
}

// A large file has a million of them.
const _: () = assert!(std::mem::size_of::<Line>() == 32);

impl<'a> Line<'a> {
    const INDENT_BITS: u32 = 26;
    const INDENT_MASK: u32 = (1 << Line::INDENT_BITS) - 1;
    /// Holds ASCII art or box drawing ([`has_art`]).
    const ART: u32 = 1 << Line::INDENT_BITS;
    /// Holds a wide gap ([`has_wide_gap`]).
    const GAP: u32 = Line::ART << 1;
    /// Holds a dotted leader ([`is_dotted_leader`]).
    const DOTTED: u32 = Line::GAP << 1;
    /// A blank line that holds a page break.
    const BRK: u32 = Line::DOTTED << 1;
    /// The trimmed text separates its words by single spaces (so it is its
    /// own [`collapse`]).
    const SPACED: u32 = Line::BRK << 1;
    /// ...and has no digits (so it is its own furniture key).
    const PLAIN_KEY: u32 = Line::SPACED << 1;

    fn new(no: usize, text: &'a str) -> Self {
        let t = trim(text);
        if t.is_empty() {
            return Line::blank(no);
        }
        let scan = Scan::of(t.as_bytes());
        // Most lines (prose) have none of the bytes the three shapes need.
        Line {
            number: no as u32,
            text,
            trim_start: (t.as_ptr() as usize - text.as_ptr() as usize) as u32,
            trim_len: t.len() as u32,
            indent_flags: indent_of(text).min(Line::INDENT_MASK as usize) as u32
                | Line::flag(Line::ART, scan.shape && has_art(text))
                | Line::flag(Line::GAP, scan.shape && has_wide_gap(text))
                | Line::flag(Line::DOTTED, scan.shape && is_dotted_leader(text))
                | Line::flag(Line::SPACED, scan.spaced)
                | Line::flag(Line::PLAIN_KEY, scan.spaced && !scan.digit),
        }
    }

    fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// The 1-based source line number.
    fn no(&self) -> usize {
        self.number as usize
    }

    /// Columns of leading white space.
    fn indent(&self) -> usize {
        (self.indent_flags & Line::INDENT_MASK) as usize
    }

    fn flag(flag: u32, on: bool) -> u32 {
        if on { flag } else { 0 }
    }

    fn has(&self, flag: u32) -> bool {
        self.indent_flags & flag != 0
    }

    fn art(&self) -> bool {
        self.has(Line::ART)
    }

    fn gap(&self) -> bool {
        self.has(Line::GAP)
    }

    fn dotted(&self) -> bool {
        self.has(Line::DOTTED)
    }

    fn brk(&self) -> bool {
        self.has(Line::BRK)
    }

    fn spaced(&self) -> bool {
        self.has(Line::SPACED)
    }

    fn plain_key(&self) -> bool {
        self.has(Line::PLAIN_KEY)
    }

    /// Add a page break to this (blank) line if `brk`.
    fn add_break(&mut self, brk: bool) {
        self.indent_flags |= Line::flag(Line::BRK, brk);
    }

    /// The text trimmed.
    fn trimmed(&self) -> &'a str {
        let start = self.trim_start as usize;
        &self.text[start..start + self.trim_len as usize]
    }

    fn blank(no: usize) -> Self {
        Line {
            number: no as u32,
            text: "",
            trim_start: 0,
            trim_len: 0,
            indent_flags: Line::SPACED | Line::PLAIN_KEY,
        }
    }
}

/// What one pass over text tells, a span of bytes at a time: whether it may be
/// art, have a wide gap or a dotted leader, whether its white space is only
/// single spaces, whether it has a digit. The first two may err towards
/// `shape` and against `spaced`, never the other way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scan {
    /// It holds a byte that starts one of [`has_art`]'s figures (`+`, `<`,
    /// `=`, `|`, box drawing's lead byte `E2`), two `-` in a row (`--+`,
    /// `-->`), two spaces or a control character such as a tab
    /// ([`has_wide_gap`]), or `..` or `. .` ([`is_dotted_leader`]). When it
    /// holds none, all three are false.
    shape: bool,
    /// No white space but single spaces between words: no two spaces in a
    /// row, no control character from tab to carriage return, no byte that
    /// may start white space beyond ASCII (`C2`, `E1`, `E2`, `E3`).
    spaced: bool,
    /// An ASCII digit.
    digit: bool,
}

impl Scan {
    /// Bytes read at a time: one vector register's worth, so that a short
    /// line wastes little of its last read.
    const SPAN: usize = 16;

    /// The text is read [`Scan::SPAN`] bytes at a time, each byte beside
    /// the two before it, and every test is a branch-free OR over fixed
    /// lanes, which the compiler turns into vector code. Spans after the
    /// first are read in place, the last one ending at the text's end (it
    /// may read again bytes already read: an OR does not mind); the first
    /// span, and a text too short for that, go through a zero-padded buffer
    /// (NUL matches no test).
    fn of(t: &[u8]) -> Scan {
        const W: usize = Scan::SPAN + 2;
        let mut lanes = Lanes::default();
        let n = t.len();
        if n < W {
            let mut buf = [0u8; W + Scan::SPAN];
            buf[2..2 + n].copy_from_slice(t);
            lanes.read(buf[..W].try_into().expect("W bytes"));
            if n > Scan::SPAN {
                lanes.read(buf[Scan::SPAN..].try_into().expect("W bytes"));
            }
            return lanes.scan();
        }
        let window = |end: usize| -> &[u8; W] { t[end - W..end].try_into().expect("W bytes") };
        let mut head = [0u8; W];
        head[2..].copy_from_slice(&t[..Scan::SPAN]);
        lanes.read(&head);
        let mut end = W + Scan::SPAN - 2;
        while end <= n {
            lanes.read(window(end));
            end += Scan::SPAN;
        }
        if end - Scan::SPAN < n {
            lanes.read(window(n));
        }
        lanes.scan()
    }
}

/// What [`Scan::of`] has seen in each lane so far.
#[derive(Default)]
struct Lanes {
    shape: [bool; Scan::SPAN],
    unspaced: [bool; Scan::SPAN],
    digit: [bool; Scan::SPAN],
}

impl Lanes {
    /// Read the last [`Scan::SPAN`] bytes of `w`, each with the two bytes
    /// before it.
    #[inline]
    #[allow(clippy::needless_bitwise_bool)] // no branches: vector code
    fn read(&mut self, w: &[u8; Scan::SPAN + 2]) {
        for i in 0..Scan::SPAN {
            let (a, b, c) = (w[i], w[i + 1], w[i + 2]);
            let control = c.wrapping_sub(b'\t') <= b'\r' - b'\t';
            // `<` and `=`, `E2` and `E3` differ in the lowest bit only.
            let art = (c == b'+') | (c | 1 == b'=') | (c == b'|') | (c == 0xE2);
            let wide_lead = (c == 0xC2) | (c == 0xE1) | (c | 1 == 0xE3);
            let two_spaces = (b == b' ') & (c == b' ');
            let pairs = ((b == b'-') & (c == b'-'))
                | ((b == b'.') & (c == b'.'))
                | ((a == b'.') & (b == b' ') & (c == b'.'));
            self.shape[i] |= art | control | two_spaces | pairs;
            self.unspaced[i] |= control | wide_lead | two_spaces;
            self.digit[i] |= c.wrapping_sub(b'0') <= 9;
        }
    }

    fn scan(&self) -> Scan {
        Scan {
            shape: self.shape.contains(&true),
            spaced: !self.unspaced.contains(&true),
            digit: self.digit.contains(&true),
        }
    }
}

/// What becomes of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Body,
    /// A running header or footer: removed.
    Furniture,
    /// Set aside as residue of a web page or wire format.
    Residue(Residue),
    /// Moved into the metadata.
    Meta,
}

/// Kinds of residue, named in the warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Residue {
    Navigation,
    Headline,
    EndMarker,
    Signature,
}

impl Residue {
    fn name(self) -> &'static str {
        match self {
            Residue::Navigation => "navigation links",
            Residue::Headline => "a repeated headline",
            Residue::EndMarker => "end markers",
            Residue::Signature => "a PGP signature",
        }
    }
}

/// A message signed with PGP in clear text, as security advisories are
/// sent: its armour (`-----BEGIN PGP SIGNED MESSAGE-----` and the `Hash:`
/// lines under it, the signature block at the end) is set aside, and the
/// dashes escaped in its text (`- ---`, RFC 4880) are read as written.
/// Nothing happens unless the text opens with the armour.
fn mark_signature(lines: &mut [Line], fate: &mut [Fate], main: Range<usize>) {
    let Some(open) = main.clone().find(|&k| !lines[k].is_blank()) else {
        return;
    };
    if lines[open].trimmed() != "-----BEGIN PGP SIGNED MESSAGE-----" {
        return;
    }
    let mut k = open;
    while k < main.end && !lines[k].is_blank() {
        fate[k] = Fate::Residue(Residue::Signature);
        k += 1;
    }
    let signature = (k..main.end)
        .rev()
        .find(|&j| lines[j].trimmed() == "-----BEGIN PGP SIGNATURE-----");
    let end = signature.unwrap_or(main.end);
    if let Some(start) = signature {
        let close = (start..main.end)
            .find(|&j| lines[j].trimmed() == "-----END PGP SIGNATURE-----")
            .map_or(main.end, |j| j + 1);
        fate[start..close].fill(Fate::Residue(Residue::Signature));
    }
    for line in &mut lines[k..end] {
        if let Some(rest) = line.text.strip_prefix("- ") {
            *line = Line::new(line.no(), rest);
        }
    }
}

/// Tabs advance to the next multiple of [`TAB_WIDTH`] columns.
fn expand_tabs(text: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\t', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let n = TAB_WIDTH - column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', n));
                column += n;
            }
            '\n' | '\x0C' => {
                out.push(c);
                column = 0;
            }
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    Cow::Owned(out)
}

/// The lines of a text, the furniture key of each (0 for a blank line and
/// for one longer than [`PERIODIC_BYTES`], never 0 otherwise), and the
/// [`Marks`] noted as they were cut. The keys are a list of their own: only
/// [`mark_furniture`] reads them, and they go before the body is built.
#[derive(Debug, PartialEq)]
struct Split<'a> {
    lines: Vec<Line<'a>>,
    keys: Vec<u64>,
    marks: Marks,
}

/// What the passes for page furniture and e-book wrapping look for, noted
/// as the lines are cut, so that neither reads the whole line list again
/// (a pass over a million line records takes milliseconds).
#[derive(Debug, Default, PartialEq)]
struct Marks {
    /// Some line holds a page break.
    breaks: bool,
    /// The lines whose text ends with `]`, as a `[Page 3]` footer does.
    brackets: Places,
    /// The lines whose trimmed text starts with `*`, as the markers of an
    /// e-book's wrapping do.
    stars: Places,
    /// The lines whose trimmed text is at most [`END_MARKER_BYTES`] long,
    /// as an end marker is (`-30-`).
    short: Places,
}

/// Indices into a line list, in order, 4 bytes each (as line numbers are:
/// a text of short lines may have millions of them).
#[derive(Debug, Default, PartialEq)]
struct Places(Vec<u32>);

impl Places {
    fn push(&mut self, k: usize) {
        self.0.push(k as u32);
    }

    fn extend(&mut self, places: impl IntoIterator<Item = usize>) {
        self.0.extend(places.into_iter().map(|k| k as u32));
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().map(|&k| k as usize)
    }
}

impl Marks {
    /// Note `line`, at `k` in the list.
    fn note(&mut self, k: usize, line: &Line) {
        self.breaks |= line.brk();
        let t = line.trimmed().as_bytes();
        if t.last() == Some(&b']') {
            self.brackets.push(k);
        }
        if t.first() == Some(&b'*') {
            self.stars.push(k);
        }
        if !t.is_empty() && t.len() <= END_MARKER_BYTES {
            self.short.push(k);
        }
    }
}

impl<'a> Split<'a> {
    fn with_capacity(capacity: usize) -> Self {
        Split {
            lines: Vec::with_capacity(capacity),
            keys: Vec::with_capacity(capacity),
            marks: Marks::default(),
        }
    }

    /// Push `line`, its key normalised in `scratch` if it needs it; a
    /// blank line after a blank line only adds its page break.
    fn push(&mut self, line: Line<'a>, scratch: &mut Vec<u8>) {
        match self.lines.last_mut() {
            Some(last) if line.is_blank() && last.is_blank() => {
                last.add_break(line.brk());
                self.marks.breaks |= line.brk();
            }
            _ => {
                let periodic = !line.is_blank() && line.text.len() <= PERIODIC_BYTES;
                // A key of 0 would read as "not periodic".
                self.keys.push(if periodic {
                    furniture_key(&line, scratch).max(1)
                } else {
                    0
                });
                self.marks.note(self.lines.len(), &line);
                self.lines.push(line);
            }
        }
    }
}

/// Split at line feeds; a form feed also splits, with a blank line holding
/// the page break. Split parts keep their source line number. A run of
/// blank lines is kept as one (holding a page break if any of them did):
/// nothing depends on how long it was.
///
/// A large text is split in two halves at a line feed, each read on a
/// thread of its own; the halves' lines are then put end to end, the blank
/// lines meeting at the cut kept as one, as if read in one go.
fn split_lines(text: &str) -> Split<'_> {
    split_lines_over(text, PARALLEL_BYTES)
}

/// [`split_lines`], on two threads from `parallel_bytes` on.
fn split_lines_over(text: &str, parallel_bytes: usize) -> Split<'_> {
    let cut = (text.len() >= parallel_bytes)
        .then(|| memchr::memchr(b'\n', &text.as_bytes()[text.len() / 2..]))
        .flatten()
        .map(|n| text.len() / 2 + n);
    let count = |t: &str| memchr::memchr_iter(b'\n', t.as_bytes()).count() + 1;
    let Some(cut) = cut else {
        return split_lines_from(text, 1, count(text));
    };
    let (head, tail) = (&text[..cut], &text[cut + 1..]);
    let (head_lines, tail_lines) = on_two_threads(|| count(head), || count(tail));
    // The head's lists have room for the tail's lines from the start, so
    // joining them copies the tail once and nothing is ever doubled (a
    // large file has a million lines).
    let (mut split, tail) = on_two_threads(
        || split_lines_from(head, 1, head_lines + tail_lines),
        || split_lines_from(tail, head_lines + 1, tail_lines),
    );
    let tail_len = tail.lines.len();
    let mut lines = tail.lines.into_iter();
    let mut keys = tail.keys.into_iter();
    if let Some(first) = lines.next() {
        // It may join the head's last blank line: pushed again, key, marks
        // and all.
        keys.next();
        split.push(first, &mut Vec::new());
    }
    split.lines.extend(lines);
    split.keys.extend(keys);
    // The tail's line `i` (from 1) is now at `offset + i`.
    let offset = split.lines.len() - tail_len;
    let Marks {
        breaks,
        brackets,
        stars,
        short,
    } = tail.marks;
    split.marks.breaks |= breaks;
    let moved = |marks: Places| {
        marks
            .0
            .into_iter()
            .map(|i| i as usize)
            .filter(|&i| i > 0)
            .map(move |i| offset + i)
    };
    split.marks.brackets.extend(moved(brackets));
    split.marks.stars.extend(moved(stars));
    split.marks.short.extend(moved(short));
    split
}

/// [`split_lines`] on one thread, numbering lines from `first_no`, with
/// room for `capacity` lines.
fn split_lines_from(text: &str, first_no: usize, capacity: usize) -> Split<'_> {
    let mut split = Split::with_capacity(capacity);
    let scratch = &mut Vec::new();
    if memchr::memchr(b'\x0C', text.as_bytes()).is_none() {
        let mut start = 0;
        for (i, end) in memchr::memchr_iter(b'\n', text.as_bytes())
            .chain([text.len()])
            .enumerate()
        {
            let raw = &text[start..end];
            split.push(Line::new(first_no + i, raw), scratch);
            start = end + 1;
        }
        return split;
    }
    for (i, raw) in text.split('\n').enumerate() {
        let no = first_no + i;
        for (k, part) in raw.split('\x0C').enumerate() {
            if k > 0 {
                let mut brk = Line::blank(no);
                brk.add_break(true);
                split.push(brk, scratch);
            }
            split.push(Line::new(no, part), scratch);
        }
    }
    split
}

/// Texts at least this long are read on two threads where a second core
/// is free.
const PARALLEL_BYTES: usize = 1 << 20;

/// [`on_two_threads`] for work over `lines` lines, when they are enough
/// to pay for a thread; else one after the other.
fn on_two_threads_over<A: Send, B: Send>(
    lines: usize,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if lines >= PIECE_LINES {
        on_two_threads(a, b)
    } else {
        (a(), b())
    }
}

/// Width of the leading white space (tabs are expanded before).
fn indent_of(s: &str) -> usize {
    match s.as_bytes().first() {
        // Most lines start with a visible ASCII character.
        Some(b) if b.is_ascii_graphic() => 0,
        _ => s.chars().take_while(|c| c.is_whitespace()).count(),
    }
}

/// `s.trim()`, quicker for the usual line that starts and ends with a
/// visible ASCII character.
fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    let bytes = s.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        s
    } else {
        s.trim()
    }
}

/// Append the words of `s` to `out`, separated by single spaces.
fn push_words(out: &mut String, s: &str) {
    push_spaced_words(out, s, is_single_spaced(s));
}

/// [`push_words`], told whether `s` is single spaced.
fn push_spaced_words(out: &mut String, s: &str, single_spaced: bool) {
    if single_spaced {
        // Its words are already separated by single spaces.
        if !s.is_empty() {
            if !out.is_empty() && !super::joins_unspaced(out, s) {
                out.push(' ');
            }
            out.push_str(s);
        }
        return;
    }
    let mut first = true;
    for word in s.split_whitespace() {
        if !(out.is_empty() || first && super::joins_unspaced(out, word)) {
            out.push(' ');
        }
        first = false;
        out.push_str(word);
    }
}

/// Whether `s` has no white space at its ends and none between its words
/// but single spaces, so that it is its own [`collapse`].
fn is_single_spaced(s: &str) -> bool {
    !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
        && Scan::of(s.as_bytes()).spaced
}

/// `s` with its white space trimmed and inner runs collapsed to one space.
pub(super) fn collapse(s: &str) -> String {
    collapse_into(String::with_capacity(s.len()), s)
}

/// [`collapse`] into `out`, which is empty (but may have room reserved).
fn collapse_into(mut out: String, s: &str) -> String {
    push_words(&mut out, s);
    out
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// The body's lines from `range`: lines whose fate is not the body are
/// left out, blank runs kept as one, and a sentence cut by a page break
/// joined again.
fn body_lines<'l, 'a>(
    lines: &'l [Line<'a>],
    fate: &[Fate],
    range: Range<usize>,
    breaks: bool,
) -> Cow<'l, [Line<'a>]> {
    if let Some(part) = body_as_it_is(lines, fate, range.clone(), breaks) {
        return Cow::Borrowed(&lines[part]);
    }
    // Only the range is copied (and compacted in place).
    let end = range.end.min(lines.len()).min(fate.len());
    let start = range.start.min(end);
    Cow::Owned(compact_body(
        lines[start..end].to_vec(),
        &fate[start..end],
        0..end - start,
    ))
}

/// The lines of `range` to take as they are, when every one is body and
/// none holds a page break, less a leading blank line; `None` when some
/// must go or change. `breaks`: whether any line of the list may hold a
/// page break (see [`Marks`]); if not, the lines' records are not read. A
/// run of blank lines is one already: the split keeps it so.
fn body_as_it_is(
    lines: &[Line],
    fate: &[Fate],
    range: Range<usize>,
    breaks: bool,
) -> Option<Range<usize>> {
    let (part, fates) = (lines.get(range.clone())?, fate.get(range.clone())?);
    debug_assert!(
        part.windows(2)
            .all(|w| !(w[0].is_blank() && w[1].is_blank())),
        "a run of blank lines is one line"
    );
    let as_it_is =
        fates.iter().all(|f| *f == Fate::Body) && (!breaks || part.iter().all(|l| !l.brk()));
    let skip = usize::from(part.first().is_some_and(Line::is_blank));
    as_it_is.then(|| range.start + skip..range.end)
}

/// The body lines of `range` in `lines`, in place: lines that are not body
/// dropped, runs of blank lines made one, and a page break between two
/// halves of a sentence dropped. The list keeps its memory (a copy of a
/// million 64-byte lines is what this saves).
fn compact_body<'a>(mut lines: Vec<Line<'a>>, fate: &[Fate], range: Range<usize>) -> Vec<Line<'a>> {
    // `lines[..kept]` is the body so far; `kept` never passes `k`.
    let mut kept: usize = 0;
    for k in range {
        let (Some(&line), Some(Fate::Body)) = (lines.get(k), fate.get(k)) else {
            continue;
        };
        if line.is_blank() {
            match kept.checked_sub(1).map(|last| &mut lines[last]) {
                None => {}
                Some(last) if last.is_blank() => last.add_break(line.brk()),
                Some(_) => {
                    lines[kept] = line;
                    kept += 1;
                }
            }
            continue;
        }
        if kept >= 2 && lines[kept - 1].brk() && continues_across(&lines[kept - 2], &line) {
            kept -= 1;
        }
        lines[kept] = line;
        kept += 1;
    }
    lines.truncate(kept);
    lines
}

/// Whether `next`, on a new page, continues the sentence of `prev`.
fn continues_across(prev: &Line, next: &Line) -> bool {
    let p = prev.text.trim_end();
    let n = next.text.trim_start();
    !(prev.art() || prev.gap() || prev.dotted() || next.art() || next.gap())
        && p.ends_with(|c: char| c.is_alphanumeric() || ",;-(".contains(c))
        && starts_lowercase(n)
        && next.indent().abs_diff(prev.indent()) <= 2
        && list_marker(n).is_none()
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
        out.push(Line::blank(line.no()));
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
        .filter(|l| l.text.chars().count() > LONG_LINE_CHARS || ends_sentence(l.trimmed()))
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
        if line.trimmed().len() >= 40 && !line.gap() && !line.art() {
            counts[line.indent().min(16)] += 1;
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
// Page furniture

/// Most lines a running header or footer takes at the top or bottom of a
/// page.
const ZONE_LINES: usize = 4;

/// Mark running headers and footers as [`Fate::Furniture`].
/// `keys` holds the furniture key of each line (see [`Split`]).
fn mark_furniture(lines: &[Line], marks: &Marks, keys: &[u64], fate: &mut [Fate]) {
    let pages = pages(lines, marks);
    if pages.len() >= 2 {
        mark_page_zones(lines, &pages, fate);
    } else {
        mark_periodic(lines, keys, fate);
    }
}

/// The pages of a paginated text: split at form feeds, else after `[Page
/// N]` footers. One page when neither is there.
fn pages(lines: &[Line], marks: &Marks) -> Vec<Range<usize>> {
    let mut pages = Vec::new();
    let mut start = 0;
    if marks.breaks {
        for (k, line) in lines.iter().enumerate() {
            if line.brk() {
                pages.push(start..k);
                start = k + 1;
            }
        }
    } else {
        for k in marks.brackets.iter() {
            if is_page_footer(lines[k].text) {
                pages.push(start..k + 1);
                start = k + 1;
            }
        }
    }
    pages.push(start..lines.len());
    pages
}

/// An RFC-style page footer: the line ends with `[Page 12]` (or a roman
/// page number).
fn is_page_footer(t: &str) -> bool {
    page_number_at(t).is_some()
}

/// Where the number of a `[Page N]` at the end of `t` is, if there is one.
fn page_number_at(t: &str) -> Option<Range<usize>> {
    // Most lines end in a visible ASCII character other than `]`.
    if let Some(&b) = t.as_bytes().last()
        && b.is_ascii_graphic()
        && b != b']'
    {
        return None;
    }
    let t = t.trim_end();
    let inner = t.strip_suffix(']')?;
    let open = inner.rfind("[Page ")?;
    let number = inner[open + 6..].trim();
    let ok = !number.is_empty()
        && number.len() <= 8
        && (number.bytes().all(|b| b.is_ascii_digit())
            || number.chars().all(|c| "ivxlcdmIVXLCDM".contains(c)));
    ok.then(|| open + 6..inner.len())
}

/// The lines at the top (or bottom) of a page that may be a running header
/// (footer): the first (last) run of non-blank lines when it is at most
/// [`ZONE_LINES`] long, else its first (last) line.
fn zone(lines: &[Line], page: Range<usize>, top: bool) -> Vec<usize> {
    let mut out = Vec::new();
    let indices: Box<dyn Iterator<Item = usize>> = if top {
        Box::new(page)
    } else {
        Box::new(page.rev())
    };
    for k in indices.skip_while(|&k| lines[k].is_blank()) {
        if lines[k].is_blank() || out.len() > ZONE_LINES {
            break;
        }
        out.push(k);
    }
    if out.len() > ZONE_LINES {
        out.truncate(1);
    }
    out
}

/// A hash of a line's text with white space collapsed and numbers replaced
/// by `#`, so that `[Page 3]` and `[Page 4]` (or `[Page iii]`) compare
/// equal. A hash (xxh3 of the normalised text), not a string: it is taken of
/// every line. `scratch` holds the normalised text when it differs from the
/// line's; most lines (no digits, single spaces, no white space beyond
/// ASCII) are hashed as they are.
fn furniture_key(line: &Line, scratch: &mut Vec<u8>) -> u64 {
    let t = line.trimmed();
    let page = page_number_at(t);
    if page.is_none() && line.plain_key() {
        return xxh3_64(t.as_bytes());
    }
    if page.is_none() && line.spaced() {
        // Only the digits change: each run of them becomes one `#`.
        scratch.clear();
        let mut rest = t.as_bytes();
        while !rest.is_empty() {
            let digit = rest
                .iter()
                .position(u8::is_ascii_digit)
                .unwrap_or(rest.len());
            scratch.extend_from_slice(&rest[..digit]);
            rest = &rest[digit..];
            let run = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if run > 0 {
                scratch.push(b'#');
                rest = &rest[run..];
            }
        }
        return xxh3_64(scratch);
    }
    let (head, tail) = match page {
        Some(range) => (&t[..range.start], &t[range.end..]),
        None => (t, ""),
    };
    scratch.clear();
    let mut previous = b' ';
    let page = if tail.is_empty() { "" } else { "#" };
    for part in [head, page, tail] {
        push_key(scratch, part, &mut previous);
    }
    xxh3_64(scratch)
}

/// Append `s` to a furniture key: each digit as `#`, each white space
/// character as a space, a run of either as one.
fn push_key(out: &mut Vec<u8>, s: &str, previous: &mut u8) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let c = if b.is_ascii() {
            i += 1;
            match b {
                b'0'..=b'9' => b'#',
                b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' => b' ',
                b => b,
            }
        } else {
            let c = s[i..].chars().next().expect("i is at a character");
            let len = c.len_utf8();
            i += len;
            if c.is_whitespace() {
                b' '
            } else {
                out.extend_from_slice(&bytes[i - len..i]);
                // Neither `#` nor a space.
                *previous = b'x';
                continue;
            }
        };
        if !(c == *previous && (c == b'#' || c == b' ')) {
            out.push(c);
        }
        *previous = c;
    }
}

/// On paginated text: a line at the top or bottom of three or more pages
/// (digits aside), or a `[Page N]` footer, is furniture; so is a short line
/// beside such a line that stands at the same edge of two or more pages
/// (a chapter name), or beside two such lines (a section name).
fn mark_page_zones(lines: &[Line], pages: &[Range<usize>], fate: &mut [Fate]) {
    let zones: Vec<Vec<usize>> = pages
        .iter()
        .flat_map(|p| [zone(lines, p.clone(), true), zone(lines, p.clone(), false)])
        .collect();
    let mut counts: HashMap<u64, usize> = HashMap::new();
    let scratch = &mut Vec::new();
    for (page, pair) in zones.chunks(2).enumerate() {
        let mut seen: HashSet<u64> = HashSet::new();
        for &k in pair.iter().flatten() {
            let key = furniture_key(&lines[k], scratch);
            if seen.insert(key) {
                *counts.entry(key).or_default() += 1;
            }
        }
        let _ = page;
    }
    let mut count = |k: usize| {
        counts
            .get(&furniture_key(&lines[k], scratch))
            .copied()
            .unwrap_or(0)
    };
    for zone in &zones {
        let repeated: Vec<bool> = zone
            .iter()
            .map(|&k| count(k) >= 3 || is_page_footer(lines[k].text))
            .collect();
        let anchors = repeated.iter().filter(|&&r| r).count();
        if anchors == 0 {
            continue;
        }
        for (&k, &rep) in zone.iter().zip(&repeated) {
            let short = lines[k].trimmed().chars().count() <= 60;
            let beside = short && (count(k) >= 2 || anchors >= 2);
            if rep || beside {
                fate[k] = Fate::Furniture;
            }
        }
    }
}

/// Longest line that may be a running header or footer on a text without
/// pages.
const PERIODIC_BYTES: usize = 120;

/// Without pages: a line (digits aside) that recurs three or more times,
/// mostly at one interval of 40 to 80 lines, is a running header or footer.
fn mark_periodic(lines: &[Line], keys: &[u64], fate: &mut [Fate]) {
    // Most lines occur once, and one map over all lines of a large text is
    // a cache miss per line. So two sets of bits, indexed by the low bits of
    // the keys, first find the keys seen twice or more (with the few that
    // share their bits with one of those): only their lines are counted.
    // Only a periodic line (see [`Split`]) has a key; the others' is 0.
    let bits = (keys.len() * 16).next_power_of_two().max(64);
    let mask = (bits - 1) as u64;
    let bit = |key: u64| ((key & mask) as usize / 64, 1u64 << (key & 63));
    let (mut once, mut twice) = (vec![0u64; bits / 64], vec![0u64; bits / 64]);
    for &key in keys.iter().filter(|&&key| key != 0) {
        let (word, b) = bit(key);
        twice[word] |= once[word] & b;
        once[word] |= b;
    }
    drop(once);
    let candidates = keys.iter().enumerate().filter(|&(_, &key)| {
        let (word, b) = bit(key);
        key != 0 && twice[word] & b != 0
    });
    // Each candidate's key is counted with its first two places, and a
    // list of places is kept only for keys seen a third time (no list per
    // distinct line, one look-up per line).
    let mut at: Vec<Vec<usize>> = Vec::new();
    let mut counts: foldhash::HashMap<u64, (u32, usize, usize)> = foldhash::HashMap::default();
    let mut repeated: foldhash::HashMap<u64, usize> = foldhash::HashMap::default();
    for (k, &key) in candidates {
        let (n, first, second) = counts.entry(key).or_insert((0, k, k));
        *n += 1;
        match *n {
            1 => {}
            2 => *second = k,
            3 => {
                repeated.insert(key, at.len());
                at.push(vec![*first, *second, k]);
            }
            _ => {
                if let Some(&slot) = repeated.get(&key) {
                    at[slot].push(k);
                }
            }
        }
    }
    for indices in &at {
        let gaps: Vec<usize> = indices
            .windows(2)
            .map(|w| lines[w[1]].no() - lines[w[0]].no())
            .collect();
        let mut tally: HashMap<usize, usize> = HashMap::new();
        for &g in &gaps {
            *tally.entry(g).or_default() += 1;
        }
        let Some((&gap, &n)) = tally.iter().max_by_key(|&(g, n)| (*n, *g)) else {
            continue;
        };
        if (40..=80).contains(&gap) && n * 3 >= gaps.len() * 2 {
            for &k in indices {
                fate[k] = Fate::Furniture;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Wrapping boilerplate

/// Where the real content of a wrapped e-text is, and its title.
struct Wrapping {
    main: Range<usize>,
    title: Option<String>,
}

/// Project Gutenberg's start and end markers, if the text has either.
fn find_wrapping(lines: &[Line], marks: &Marks) -> Option<Wrapping> {
    static START: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG|\*END\*\s*THE SMALL PRINT)")
            .expect("valid regex")
    });
    static END: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG").expect("valid regex")
    });
    static END_LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*End of (?:the )?Project Gutenberg").expect("valid regex")
    });
    static PRODUCED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:Produced by|E-?text prepared by|This e-?book was produced by)\b")
            .expect("valid regex")
    });
    // The regex is built (on first use) and run only for a line that starts
    // as both kinds of marker do: `***` or `*END*`.
    let marked = |re: &LazyLock<Regex>, l: &Line| {
        let t = l.trimmed();
        (t.starts_with("***") || t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("*END*")))
            && re.is_match(l.text)
    };
    let start = marks.stars.iter().find(|&k| marked(&START, &lines[k]));
    let end = marks
        .stars
        .iter()
        .filter(|&k| start.is_none_or(|s| k > s))
        .find(|&k| marked(&END, &lines[k]));
    if start.is_none() && end.is_none() {
        return None;
    }
    let mut main_start = start.map_or(0, |s| s + 1);
    if let Some(first) = (main_start..lines.len()).find(|&k| !lines[k].is_blank())
        && PRODUCED.is_match(lines[first].text)
    {
        main_start = (first..lines.len())
            .find(|&k| lines[k].is_blank())
            .unwrap_or(lines.len());
    }
    let mut main_end = end.unwrap_or(lines.len());
    if let Some(e) = end
        && let Some(k) =
            (e.saturating_sub(12).max(main_start)..e).find(|&k| END_LINE.is_match(lines[k].text))
    {
        main_end = k;
    }
    let main_end = main_end.max(main_start);
    let title = lines[..main_start].iter().find_map(|l| {
        let t = l.trimmed();
        t.strip_prefix("Title:")
            .map(collapse)
            .filter(|t| !t.is_empty())
    });
    Some(Wrapping {
        main: main_start..main_end,
        title,
    })
}

/// A boilerplate section from `range` (front or back matter), its blocks
/// laid out like any body but with no headings.
fn boilerplate(
    lines: &[Line],
    fate: &[Fate],
    range: Range<usize>,
    breaks: bool,
    side: &str,
    level: u8,
) -> Option<Section> {
    let body = body_lines(lines, fate, range, breaks);
    let first = body.iter().find(|l| !l.is_blank())?;
    let mut section = Section::new(
        level,
        format!("{side} matter (Project Gutenberg licence)"),
        first.no(),
    );
    section.kind = SectionKind::Boilerplate;
    let mut builder = Builder::new(section, base_indent(&body), Rules::none());
    builder.run(&body);
    builder.sections.pop()
}

/// The longest end marker, in bytes.
const END_MARKER_BYTES: usize = 8;

/// Stand-alone end markers of press releases and wire copy (`###`, `-30-`,
/// `ENDS`) are residue. Only the `short` lines (see [`Marks`]) may be one.
fn mark_end_markers(lines: &[Line], short: &Places, fate: &mut [Fate], range: Range<usize>) {
    const MARKERS: [&str; 12] = [
        "###", "# # #", "-###-", "-30-", "- 30 -", "–30–", "—30—", "ENDS", "-ENDS-", "- ENDS -",
        "-ends-", "Ends",
    ];
    let alone = |j: Option<usize>| j.and_then(|j| lines.get(j)).is_none_or(Line::is_blank);
    for k in short.iter().filter(|k| range.contains(k)) {
        let t = lines[k].trimmed();
        if t.len() <= END_MARKER_BYTES
            && MARKERS.contains(&t)
            && alone(k.checked_sub(1))
            && alone(Some(k + 1))
            && fate[k] == Fate::Body
        {
            fate[k] = Fate::Residue(Residue::EndMarker);
        }
    }
}

// ---------------------------------------------------------------------------
// Opening

/// What the top of the text gave: the title, metadata and where the body
/// starts.
struct Opening {
    /// The title's section title: source text, or a label when the title
    /// came from elsewhere (an e-book's `Title:` field).
    title: String,
    title_line: usize,
    title_is_source: bool,
    briefing_title: String,
    metadata: Metadata,
    /// Index of the first body line.
    body_start: usize,
    /// Source lines up to this number are the title's subtitles.
    subtitles_until: usize,
}

impl Opening {
    fn section(&self) -> Section {
        let mut section = Section::new(1, self.title.clone(), self.title_line);
        if !self.title_is_source {
            section.kind = SectionKind::Lead;
        }
        section
    }
}

/// Read the top of `main`: residue, header block, title, subtitles, date,
/// byline, contact lines and dateline. `None` when `main` holds no text.
fn read_opening(
    lines: &mut [Line],
    fate: &mut [Fate],
    main: Range<usize>,
    known_title: Option<String>,
    fallback_title: &str,
    set_aside: &mut Vec<String>,
) -> Option<Opening> {
    let next = |fate: &[Fate], from: usize| {
        (from..main.end).find(|&k| fate[k] == Fate::Body && !lines[k].is_blank())
    };
    if let Some(title) = known_title {
        let first = next(fate, main.start)?;
        return Some(Opening {
            briefing_title: label(&title, usize::MAX, TITLE_CHARS),
            title,
            title_line: lines[first].no(),
            title_is_source: false,
            metadata: Metadata::default(),
            body_start: main.start,
            subtitles_until: 0,
        });
    }
    let mut md = Metadata::default();
    let mut k = next(fate, main.start)?;
    loop {
        let t = lines[k].trimmed();
        if is_navigation(t) {
            fate[k] = Fate::Residue(Residue::Navigation);
        } else if is_release_line(t) {
            fate[k] = Fate::Meta;
            md.extra.push(("release".to_string(), collapse(t)));
        } else if is_classification(t) {
            fate[k] = Fate::Meta;
            md.extra.push(("classification".to_string(), collapse(t)));
        } else if rule_char(t).is_none() {
            break;
        }
        k = next(fate, k + 1)?;
    }
    let header = header_block(lines, fate, k, main.end);
    if header.is_none()
        && let Some(block) = leading_fields(lines, fate, k, main.end)
    {
        return Some(open_on_fields(lines, fate, main, block, md, set_aside));
    }
    if let Some(end) = header {
        read_header(&lines[k..end], &mut md);
        fate[k..end].fill(Fate::Meta);
        k = next(fate, end)?;
    }
    if opens_prose(lines, fate, k) {
        // No title line: the text opens on its first paragraph, which
        // stays whole. The briefing is named as a Markdown file without a
        // heading is.
        return Some(Opening {
            briefing_title: label(fallback_title, usize::MAX, TITLE_CHARS),
            title: fallback_title.to_string(),
            title_line: lines[k].no(),
            title_is_source: false,
            metadata: md,
            body_start: k,
            subtitles_until: 0,
        });
    }
    let t = lines[k].trimmed();
    let t = wiki_heading(t).map_or(t, |(_, title)| title);
    // A subject line alone at the top (an e-mail pasted from its subject
    // down): its value is the title.
    let subject =
        field_line(t).filter(|(key, _)| TITLE_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)));
    let t = match &subject {
        Some((key, value)) => {
            set_aside.push(format!("{key}:"));
            value.as_str()
        }
        None => t,
    };
    let mut title = match split_site(t) {
        Some((title, site)) => {
            set_aside.push("|".to_string());
            match md.source {
                None => md.source = Some(collapse(site)),
                Some(_) => md.extra.push(("site".to_string(), collapse(site))),
            }
            collapse(title)
        }
        None => collapse(t),
    };
    let title_line = lines[k].no();
    let mut end = k + 1;
    while header.is_some()
        && end < main.end
        && fate[end] == Fate::Body
        && is_centred(&lines[end])
        && lines[end].trimmed().contains(' ')
        && !is_date_line(lines[end].trimmed())
    {
        push_words(&mut title, lines[end].text);
        end += 1;
    }
    if end < main.end && is_underline(lines[end].text) {
        end += 1;
    }
    if let Some(r) = next(fate, end)
        && collapse(lines[r].text).to_lowercase() == title.to_lowercase()
    {
        fate[r] = Fate::Residue(Residue::Headline);
    }
    let mut subtitles_until = title_line;
    let mut j = end;
    while j < main.end && !lines[j].brk() {
        if fate[j] == Fate::Body && !lines[j].is_blank() {
            // Centred, or a title-like line of its own right below the
            // title (`INTERNAL AUDIT REPORT` / `Procurement Controls, Fiscal
            // Year 2024`); a byline or a field (`Source: …`, a speaker's
            // `A: …`) is left to the news opening below.
            let u = lines[j].trimmed();
            let right_below = j == end
                && end == k + 1
                && lines.get(j + 1).is_none_or(Line::is_blank)
                && is_title_like(u)
                && !is_byline(u)
                && u.split_once(':')
                    .is_none_or(|(key, _)| key.split_whitespace().count() > 3);
            if !(is_centred(&lines[j]) || right_below) {
                break;
            }
            let t = lines[j].trimmed();
            if md.date.is_none() && is_date_line(t) {
                md.date = Some(collapse(t));
                fate[j] = Fate::Meta;
            }
            subtitles_until = lines[j].no();
        }
        j += 1;
    }
    if let Some(no) = read_news_opening(lines, fate, j..main.end, &mut md, set_aside) {
        subtitles_until = subtitles_until.max(no);
    }
    // A memorandum is known by its subject, not by `MEMORANDUM FOR THE
    // RECORD`, the line every memorandum opens with.
    let is_memo = title
        .split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("memorandum") || w.eq_ignore_ascii_case("memo"));
    let subject = md.extra.iter().find(|(key, _)| {
        ["subject", "subj", "re"]
            .iter()
            .any(|k| key.eq_ignore_ascii_case(k))
    });
    let briefing_title = match subject {
        Some((_, subject)) if is_memo => subject.clone(),
        _ => title.clone(),
    };
    Some(Opening {
        briefing_title: label(&briefing_title, usize::MAX, TITLE_CHARS),
        title,
        title_line,
        title_is_source: true,
        metadata: md,
        body_start: end,
        subtitles_until,
    })
}

/// Lines longer than this are never a title: they are paragraphs written
/// on one line.
const PROSE_LINE_CHARS: usize = 240;

/// Whether the text's first line `k` opens a paragraph of prose rather
/// than standing as its title: it is longer than any title
/// ([`PROSE_LINE_CHARS`]), or it is a long line (40 columns or more)
/// whose sentence goes on in the line right below it, at its indent: that
/// line opens with a word in lower case; or the first ends in a comma or
/// semicolon (also `，` `、` `،`…); or it ends in a word that cannot end a
/// title (`…before the`) over a long line that ends a sentence and starts
/// another (`11:00 call. The short version…`); or it does that itself; or
/// it ends a sentence of 60 characters or more (a title seldom ends in a
/// full stop) over a long line. A date or byline below (`by Jane Doe`,
/// `updated 27 November`) keeps the title.
fn opens_prose(lines: &[Line], fate: &[Fate], k: usize) -> bool {
    let t = lines[k].trimmed();
    // No title ends in a comma: a greeting (`Dear residents,`, `Hi all,`)
    // opens a letter's first paragraph.
    if t.ends_with([',', '，', '、', '،']) {
        return true;
    }
    // Most titles are short: no more to ask (a line of fewer than 40
    // bytes has fewer than 40 characters).
    if t.len() < 40 {
        return false;
    }
    let chars = t.chars().count();
    if chars > PROSE_LINE_CHARS {
        return true;
    }
    // At its indent, or under a first line indented as paragraphs are
    // (eight columns at most; a centred title is further in).
    let indent = lines[k].indent();
    let Some(below) = lines.get(k + 1).filter(|l| {
        fate[k + 1] == Fate::Body
            && !l.is_blank()
            && l.indent() <= indent
            && indent - l.indent() <= 8
    }) else {
        return false;
    };
    // Only the start of the line below matters (it may be megabytes long).
    let mut cut = below.trimmed().len().min(320);
    while !below.trimmed().is_char_boundary(cut) {
        cut -= 1;
    }
    let u = &below.trimmed()[..cut];
    // Long in columns: 20 Chinese characters are as long as 40 letters.
    let long = |s: &str| unicode_width::UnicodeWidthStr::width(s) >= 40;
    if !long(t) || is_date_line(u) || is_byline(u) {
        return false;
    }
    let long_below = long(u);
    let dangling = ends_with_word_of(t, &DANGLING);
    opens_with_lowercase_word(u)
        || t.ends_with([';', '；', '؛'])
        || (long_below
            && !t.ends_with(':')
            && (has_sentence_break(t) || (dangling && has_sentence_break(u))))
        || (long_below && chars >= 60 && t.ends_with('.') && ends_lowercase_word(t))
}

/// Words in lower case that end in a full stop without ending a sentence.
const ABBREVIATIONS: [&str; 10] = [
    "vs", "etc", "approx", "incl", "cf", "al", "fig", "no", "viz", "ca",
];

/// Whether `t` ends a sentence and starts another inside it: a word in
/// lower case (two letters or more, so not an initial or an abbreviation
/// such as `Dr.`, `U.S.` or `etc.`), a full stop, a space and a capital.
fn has_sentence_break(t: &str) -> bool {
    t.match_indices('.').any(|(at, _)| {
        let after = &t[at + 1..];
        after.starts_with(' ')
            && after[1..].chars().next().is_some_and(char::is_uppercase)
            && ends_lowercase_word(&t[..=at])
    })
}

/// Whether `t` ends in a word in lower case of two letters or more and a
/// full stop, the word not an abbreviation. Looks back 24 characters at
/// most.
fn ends_lowercase_word(t: &str) -> bool {
    let Some(head) = t.strip_suffix('.') else {
        return false;
    };
    let mut bytes = 0;
    for (n, c) in head.chars().rev().enumerate() {
        if c == ' ' {
            break;
        }
        if n == 24 || !c.is_lowercase() {
            return false;
        }
        bytes += c.len_utf8();
    }
    let word = &head[head.len() - bytes..];
    word.chars().nth(1).is_some() && !ABBREVIATIONS.contains(&word)
}

/// Whether the first word of `t` is in lower case throughout (not a name
/// such as `iPhone`).
fn opens_with_lowercase_word(t: &str) -> bool {
    let word = t.split(' ').next().unwrap_or("");
    starts_lowercase(word) && !word.chars().any(char::is_uppercase)
}

/// A run of `Key: value` lines, as [`field_run`] reads one.
struct FieldRun {
    /// The index of its first line, and of the line after it.
    start: usize,
    end: usize,
    /// Its fields in source order, each with the index of its line and its
    /// value's continuations joined.
    fields: Vec<(usize, String, String)>,
}

/// The run of `Key: value` lines starting at `lines[start]` (body lines,
/// up to a blank one or `end`): every line a field (`Key: value`, or an
/// Org file's `#+KEY: value`) or, indented deeper than the first, the
/// value above continued (a PEP's or an e-mail's folded header). At most
/// 40 lines; `None` when a line is neither.
fn field_run(lines: &[Line], fate: &[Fate], start: usize, end: usize) -> Option<FieldRun> {
    const MAX_LINES: usize = 40;
    let indent = lines.get(start)?.indent();
    let mut fields: Vec<(usize, String, String)> = Vec::new();
    let mut j = start;
    while j < end && fate[j] == Fate::Body && !lines[j].is_blank() {
        if j - start >= MAX_LINES {
            return None;
        }
        let t = lines[j].trimmed();
        if lines[j].indent() > indent {
            let (_, _, value) = fields.last_mut()?;
            push_words(value, t);
        } else {
            let (key, value) = org_keyword(t).or_else(|| field_line(t))?;
            fields.push((j, key, value));
        }
        j += 1;
    }
    Some(FieldRun {
        start,
        end: j,
        fields,
    })
}

/// Keys whose value is the title of a text that opens with its fields.
const TITLE_KEYS: [&str; 3] = ["title", "subject", "subj"];

/// A run of fields opening the text ([`field_run`] at `lines[k]`) with a
/// `Title` or `Subject` among two or more, as an e-mail's headers, a PEP's
/// preamble (`PEP: 8` / `Title: …` / `Author: …`) or an Org file's
/// `#+TITLE:` and `#+DATE:`: the run, and which field is the title.
fn leading_fields(
    lines: &[Line],
    fate: &[Fate],
    k: usize,
    end: usize,
) -> Option<(FieldRun, usize)> {
    let run = field_run(lines, fate, k, end).filter(|r| r.fields.len() >= 2)?;
    let title = run
        .fields
        .iter()
        .position(|(_, key, _)| TITLE_KEYS.iter().any(|t| t.eq_ignore_ascii_case(key)))?;
    Some((run, title))
}

/// The opening of a text whose fields come first ([`leading_fields`]):
/// the title field's value is the title, the other fields go to the
/// metadata, and the body starts after them.
fn open_on_fields(
    lines: &mut [Line],
    fate: &mut [Fate],
    main: Range<usize>,
    (run, title_at): (FieldRun, usize),
    mut md: Metadata,
    set_aside: &mut Vec<String>,
) -> Opening {
    let title_line = lines[run.fields[title_at].0].no();
    fate[run.start..run.end].fill(Fate::Meta);
    let mut title = String::new();
    for (i, (_, key, value)) in run.fields.into_iter().enumerate() {
        if i == title_at {
            set_aside.push(format!("{key}:"));
            title = value;
        } else {
            put_field(&mut md, set_aside, key, value);
        }
    }
    let subtitle = read_news_opening(lines, fate, run.end..main.end, &mut md, set_aside);
    Opening {
        briefing_title: label(&title, usize::MAX, TITLE_CHARS),
        title,
        title_line,
        title_is_source: true,
        metadata: md,
        body_start: run.end,
        subtitles_until: subtitle.unwrap_or(title_line).max(title_line),
    }
}

/// The news-style lines at the top of the body: date, byline, source and
/// contact lines go to `md`; then a dateline opening the first paragraph.
/// Returns the source line of a subtitle passed over on the way (never a
/// heading, then).
fn read_news_opening(
    lines: &mut [Line],
    fate: &mut [Fate],
    range: Range<usize>,
    md: &mut Metadata,
    set_aside: &mut Vec<String>,
) -> Option<usize> {
    read_field_block(lines, fate, range.clone(), md, set_aside);
    let mut seen = 0;
    let mut paragraph_start = true;
    // A subtitle right below the title and above a date or a byline
    // (`River Valley Flood Response` over `As of 0600, 6 December 2026`)
    // is passed over, once.
    let mut subtitle = None;
    let mut may_be_subtitle = true;
    for k in range {
        if fate[k] != Fate::Body {
            continue;
        }
        if lines[k].is_blank() {
            paragraph_start = true;
            continue;
        }
        let t = lines[k].trimmed();
        let moved = if is_navigation(t) {
            fate[k] = Fate::Residue(Residue::Navigation);
            true
        } else if let Some((key, value)) = memo_line(t) {
            put_field(md, set_aside, key, value);
            true
        } else if md.date.is_none() && is_date_line(t) {
            md.date = Some(collapse(t));
            true
        } else if is_byline(t) {
            md.extra.push(("byline".to_string(), collapse(t)));
            true
        } else if let Some((key, value)) = contact_line(t) {
            put_field(md, set_aside, key, value);
            true
        } else if is_release_line(t) {
            md.extra.push(("release".to_string(), collapse(t)));
            true
        } else {
            false
        };
        if moved {
            if fate[k] == Fate::Body {
                fate[k] = Fate::Meta;
            }
            seen += 1;
            if seen >= OPENING_LINES {
                return subtitle;
            }
            continue;
        }
        if std::mem::take(&mut may_be_subtitle)
            && seen == 0
            && t.chars().count() <= 60
            && !ends_sentence(t)
            && !t.ends_with([',', ':', ';'])
            && lines.get(k + 1).is_some_and(|l| {
                let n = l.trimmed();
                is_date_line(n) || is_byline(n)
            })
        {
            paragraph_start = false;
            subtitle = Some(lines[k].no());
            continue;
        }
        if paragraph_start && let Some((place, rest)) = dateline(lines[k].text) {
            md.extra.push(("dateline".to_string(), collapse(place)));
            let cut = lines[k].text.len() - rest.len();
            set_aside.push(lines[k].text[place.len()..cut].trim().to_string());
            lines[k] = Line::new(lines[k].no(), rest);
        }
        return subtitle;
    }
    subtitle
}

/// A classification banner over the text (`UNCLASSIFIED//FOR OFFICIAL USE
/// ONLY`, `OFFICIAL-SENSITIVE`, `TLP:AMBER`), in capitals: a fact, not the
/// title.
fn is_classification(t: &str) -> bool {
    static BANNER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|TOP SECRET|RESTRICTED|OFFICIAL|OFFICIAL-SENSITIVE|PROTECTED|CUI)(?:\s*//\s*[A-Z0-9 ,/.-]+)?|TLP:\s?(?:CLEAR|WHITE|GREEN|AMBER|AMBER\+STRICT|RED))$")
            .expect("valid regex")
    });
    const FIRST_WORDS: [&str; 10] = [
        "UNCLASSIFIED",
        "CONFIDENTIAL",
        "SECRET",
        "TOP",
        "RESTRICTED",
        "OFFICIAL",
        "OFFICIAL-SENSITIVE",
        "PROTECTED",
        "CUI",
        "TLP",
    ];
    // The cheap tests first, so that the regex is built only for a line
    // that opens as a banner does: every text's top lines are asked, and
    // many titles are in capitals.
    t.len() <= 120
        && t.split([' ', '/', ':'])
            .next()
            .is_some_and(|w| FIRST_WORDS.contains(&w))
        && BANNER.is_match(t)
}

/// Web-page navigation left in a copy of the page.
fn is_navigation(t: &str) -> bool {
    static NAV: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:skip to (?:the )?(?:main )?(?:content|navigation|search)|skip navigation|jump to (?:the )?(?:main )?(?:content|navigation)|toggle navigation|back to top)$")
            .expect("valid regex")
    });
    // Checked first, so that most texts never build the regex: every
    // alternative starts with one of these words.
    t.len() <= 40
        && shapes::first_word_is(t, &["skip", "jump", "toggle", "back"])
        && NAV.is_match(t)
}

/// `FOR IMMEDIATE RELEASE`, `Embargoed until …`, `PRESS RELEASE`.
fn is_release_line(t: &str) -> bool {
    static RELEASE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:for immediate release|(?:news|press|media) release|embargoed (?:until|till)\b.*|for release\b.*)$")
            .expect("valid regex")
    });
    t.len() <= 80
        && shapes::first_word_is(t, &["for", "news", "press", "media", "embargoed"])
        && RELEASE.is_match(t)
}

/// A line that is only a date, maybe with a weekday, a time and a zone
/// (`Wednesday, 18 November 2026 - 11:00 local time`, `Nov. 3, 2025`,
/// `2026-11-25`, `September 1981`).
fn is_date_line(t: &str) -> bool {
    // Or a date after a one-word label in any language (`التاريخ:
    // 2027-02-25`, `Fecha: 3 de marzo`): the label is the date line's.
    // The label says "date": in a script beyond ASCII, or one of a few
    // languages' words for it (not `Deadline:`, `Expires:`).
    const DATE_WORDS: [&str; 6] = ["date", "datum", "fecha", "data", "dato", "tarih"];
    is_date(t)
        || t.split_once(':').is_some_and(|(key, value)| {
            !key.is_empty()
                && key.chars().count() <= 20
                && key.chars().all(char::is_alphabetic)
                && (!key.is_ascii() || DATE_WORDS.iter().any(|w| key.eq_ignore_ascii_case(w)))
                && value.starts_with(char::is_whitespace)
                && is_date(value.trim())
        })
}

/// A date, as [`is_date_line`] reads one.
fn is_date(t: &str) -> bool {
    is_latin_date(t) || is_cjk_date(t)
}

/// `2027年4月8日`, `2027년 6월 7일`, with a weekday or time after it:
/// a date as Chinese, Japanese and Korean write one.
fn is_cjk_date(t: &str) -> bool {
    static CJK_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[0-9]{4}\s*[年년]\s*[0-9]{1,2}\s*[月월]\s*[0-9]{1,2}\s*[日일]")
            .expect("valid regex")
    });
    // Four ASCII digits, then a character beyond ASCII.
    t.len() <= 80
        && t.as_bytes()
            .get(..4)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        && t.as_bytes()
            .get(4..)
            .is_some_and(|r| r.iter().find(|b| **b != b' ').is_some_and(|&b| b >= 0x80))
        && CJK_DATE.is_match(t)
}

/// A date in Latin script (see [`is_date_line`]).
fn is_latin_date(t: &str) -> bool {
    static DATE: LazyLock<Regex> = LazyLock::new(date_regex);
    // Every form has a digit.
    t.len() <= 80
        && t.bytes().any(|b| b.is_ascii_digit())
        && (is_plain_date(t)
            || shapes::may_hold_date(t) && (DATE.is_match(t) || shapes::zoned_date(t, &DATE)))
}

/// The commonest date lines, told without building a regex: `27 November
/// 2026`, `November 27, 2026`, `2026-11-27` (single spaces, ASCII). Each is
/// a form the date regex takes.
fn is_plain_date(t: &str) -> bool {
    let month = |w: &str| super::month_number(w).is_some();
    let digits = |w: &str, min: usize, max: usize| {
        (min..=max).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit())
    };
    let mut words = t.split(' ');
    match (words.next(), words.next(), words.next(), words.next()) {
        (Some(day), Some(m), Some(year), None) if digits(day, 1, 2) => {
            month(m) && digits(year, 4, 4)
        }
        (Some(m), Some(day), Some(year), None) => {
            month(m) && digits(day.strip_suffix(',').unwrap_or(day), 1, 2) && digits(year, 4, 4)
        }
        (Some(iso), None, None, None) => {
            let b = iso.as_bytes();
            b.len() == 10
                && b.iter().enumerate().all(|(i, &c)| match i {
                    4 | 7 => c == b'-',
                    _ => c.is_ascii_digit(),
                })
        }
        _ => false,
    }
}

/// The date line's regex: the time after the date captured as `time`, a
/// full stop ending the line as `dot`. A zone after the time (`11:00 local
/// time`) is found by [`shapes::zoned_date`]: in the regex, its `\p{L}`
/// made the regex take three times as long to build.
fn date_regex() -> Regex {
    Regex::new(&date_pattern("")).expect("valid regex")
}

/// [`date_regex`]'s pattern, `after_time` put right after the time.
fn date_pattern(after_time: &str) -> String {
    let month = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
    let pattern = format!(
        r"(?i)^(?:(?:updated|published|posted|issued|released|dated?|as of)\s*:?\s+)?(?:(?:\d{{4}}|\d{{1,2}}:\d{{2}})\s*(?:hrs?|z|utc|[ap]\.?m\.?)?,?\s+)?(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{month}\.?,?\s+\d{{4}}|{month}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|{month}\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})(?P<time>\s*(?:[-–—,|@]|at)?\s*\d{{1,2}}(?::\d{{2}}\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?){after_time})?(?P<dot>\.)?$"
    );
    // ASCII digits (`[0-9]`, not `\d`): Unicode's decimal digits,
    // repeated in every numeric form, made this the slowest regex to
    // build at start-up.
    pattern.replace(r"\d", "[0-9]")
}

/// `By Jane Doe`, `Prepared by the Review Panel, …`.
fn is_byline(t: &str) -> bool {
    static BY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:(?:written|prepared|reported|compiled|edited|issued|produced|posted)\s+)?(?i:by)\s+(?:the\s+)?\p{Lu}")
            .expect("valid regex")
    });
    let has_by = t
        .as_bytes()
        .windows(2)
        .any(|w| w[0] | 0x20 == b'b' && w[1] | 0x20 == b'y');
    t.len() <= 160 && has_by && t.split_whitespace().count() <= 16 && BY.is_match(t)
}

/// A paragraph of two or more `Key: value` lines ([`field_run`]) opening the body
/// (`Status: Resolved` / `Severity: SEV-2` / `Date: 4 December 2026`, as
/// incident and status reports start): every line goes to `md`, the date
/// to `date` and a source to `source` (their labels set aside), the rest
/// to `extra` under their keys as written. Left in the body, the lines ran
/// together into one sentence.
fn read_field_block(
    lines: &[Line],
    fate: &mut [Fate],
    range: Range<usize>,
    md: &mut Metadata,
    set_aside: &mut Vec<String>,
) {
    let Some(start) = range
        .clone()
        .find(|&k| fate[k] == Fate::Body && !lines[k].is_blank())
    else {
        return;
    };
    // A question and its answer (`Q: …?` / `A: …`) are no facts.
    // (`T:` and `E:` are a contact's telephone and e-mail; a question
    // among the values, `Root cause: Unknown?`, is no dialogue.)
    let dialogue = |r: &FieldRun| {
        r.fields
            .first()
            .is_some_and(|(_, key, value)| key == "Q" || value.ends_with('?'))
    };
    let Some(run) =
        field_run(lines, fate, start, range.end).filter(|r| r.fields.len() >= 2 && !dialogue(r))
    else {
        return;
    };
    for (_, key, value) in run.fields {
        put_field(md, set_aside, key, value);
    }
    fate[run.start..run.end].fill(Fate::Meta);
}

/// An Org file's `#+KEY: value` line (`#+TITLE: …`, `#+date: …`), as
/// (key as written, value).
fn org_keyword(t: &str) -> Option<(String, String)> {
    let (key, value) = t.strip_prefix("#+")?.split_once(':')?;
    let is_key = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let mut value = value.trim();
    // An Org timestamp's date (`<2027-03-19 Fri>`, `[2027-03-19 Fri
    // 10:00]`): its brackets and weekday go.
    let stamp;
    if key.eq_ignore_ascii_case("date")
        && let Some(inner) = value
            .strip_prefix(['<', '['])
            .and_then(|v| v.strip_suffix(['>', ']']))
        && inner.starts_with(|c: char| c.is_ascii_digit())
    {
        stamp = inner
            .split_whitespace()
            .filter(|w| w.contains(|c: char| c.is_ascii_digit()))
            .collect::<Vec<_>>()
            .join(" ");
        value = &stamp;
    }
    (is_key && !value.is_empty()).then(|| (key.to_string(), collapse(value)))
}

/// A `Key: value` line's field into `md`: a date to `date` and a source
/// to `source` when they have none yet (their labels set aside), the rest
/// to `extra` under the key as written.
fn put_field(md: &mut Metadata, set_aside: &mut Vec<String>, key: String, value: String) {
    // Outlook heads an e-mail with `Sent:` where others write `Date:`.
    let sent = key.eq_ignore_ascii_case("sent") && is_date_line(&value);
    let slot = if key.eq_ignore_ascii_case("date") || sent {
        &mut md.date
    } else if key.eq_ignore_ascii_case("source") || key.eq_ignore_ascii_case("sources") {
        &mut md.source
    } else {
        md.extra.push((key, value));
        return;
    };
    if slot.is_none() {
        set_aside.push(format!("{key}:"));
        *slot = Some(value);
    } else {
        md.extra.push((key, value));
    }
}

/// `Key: value`, the key one to three words (at most 30 characters)
/// starting in upper case, as (key, value).
fn field_line(t: &str) -> Option<(String, String)> {
    if t.len() > 200 {
        return None;
    }
    let (key, value) = shapes::field(t)?;
    (key.chars().count() <= 30).then(|| (collapse(key), collapse(value)))
}

/// A memorandum's header line (`FROM:    Policy Staff`, `Subject: …`,
/// `RE: …`) as (key as written, value).
fn memo_line(t: &str) -> Option<(String, String)> {
    keyed_line(t, &shapes::MEMO_KEYS)
}

/// `Source: …`, `Contact: …`, `Media contact: …` as (key as written, value).
fn contact_line(t: &str) -> Option<(String, String)> {
    keyed_line(t, &shapes::CONTACT_KEYS)
}

/// A line of at most 200 bytes whose key is one of `keys`
/// ([`shapes::keyed`]): the key and value, each collapsed.
fn keyed_line(t: &str, keys: &[&str]) -> Option<(String, String)> {
    if t.len() > 200 {
        return None;
    }
    let (key, value) = shapes::keyed(t, keys)?;
    Some((collapse(key), collapse(value)))
}

/// A news dateline opening a paragraph (`WASHINGTON, Nov. 3 (Reuters) -
/// The…`, `LONDON — …`): the place part and the text after the dash.
fn dateline(text: &str) -> Option<(&str, &str)> {
    static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(\p{Lu}[\p{Lu}\p{M} .'’-]*\p{Lu}\.?(?:,\s*[^-—–()]{1,40}?)?(?:\s*\([^()]{1,30}\))?)\s*(?:--|[-—–])\s+(\S.*)$")
            .expect("valid regex")
    });
    // A place in capitals first and a dash somewhere, or no dateline.
    if text.len() > 4000 || !shapes::may_open_dateline(text) || !text.contains(['-', '—', '–'])
    {
        return None;
    }
    let caps = DATELINE.captures(text)?;
    let place = caps.get(1)?;
    let rest = caps.get(2)?;
    let letters = place
        .as_str()
        .chars()
        .take_while(|c| *c != ',' && *c != '(')
        .filter(|c| c.is_alphabetic())
        .count();
    (letters >= 3).then(|| (&text[..place.end()], rest.as_str()))
}

/// `Title | Site`: the title and the site's name.
fn split_site(t: &str) -> Option<(&str, &str)> {
    let (title, site) = t.rsplit_once(" | ")?;
    let fits = !title.trim().is_empty()
        && !site.trim().is_empty()
        && site.split_whitespace().count() <= 6
        && site.chars().count() <= 50;
    fits.then_some((title, site))
}

/// Centred on a 72-column page and indented (a title or subtitle).
fn is_centred(line: &Line) -> bool {
    !line.is_blank() && line.indent() >= 6 && is_centered(line.trimmed(), line.indent())
}

/// The end of an RFC-style header block starting at `k`: a run of lines of
/// two columns, right-aligned lines and `Key: value` lines (with indented
/// continuations), at least one of them two-column or `Key: value`, and a
/// centred title after it.
fn header_block(lines: &[Line], fate: &[Fate], k: usize, end: usize) -> Option<usize> {
    let mut j = k;
    let mut anchored = false;
    let mut after_kv = false;
    while j < end && fate[j] == Fate::Body && !lines[j].is_blank() {
        let (left, right) = columns(&lines[j]);
        let kv = key_value(left).is_some();
        let continuation = after_kv && right.is_empty() && lines[j].indent() >= 4 && !kv;
        if right.is_empty() && !kv && !continuation {
            return None;
        }
        anchored |= kv || (!left.is_empty() && !right.is_empty());
        after_kv = kv || continuation;
        j += 1;
        if j - k > 16 {
            return None;
        }
    }
    let title = (j..end).find(|&t| fate[t] == Fate::Body && !lines[t].is_blank())?;
    (anchored && is_centred(&lines[title])).then_some(j)
}

/// The left and right columns of a header line, split at the first gap of
/// three or more spaces; a line indented 30 or more columns is all right
/// column.
fn columns<'a>(line: &Line<'a>) -> (&'a str, &'a str) {
    let t = line.trimmed();
    if line.indent() >= 30 {
        return ("", t);
    }
    match t.find("   ") {
        Some(gap) => (t[..gap].trim(), t[gap..].trim()),
        None => (t, ""),
    }
}

/// `Key: value` with a short key starting with a letter.
fn key_value(t: &str) -> Option<(String, String)> {
    let (key, value) = t.split_once(':')?;
    let key = key.trim();
    let value = value.trim();
    let fits = !value.is_empty()
        && key.chars().next().is_some_and(char::is_alphabetic)
        && key.chars().count() <= 32
        && key.split_whitespace().count() <= 4
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || " .'-".contains(c));
    fits.then(|| (collapse(key), collapse(value)))
}

/// Whether `t` opens with an initial and its dot (`J.`), as the name of an
/// author in a header block must (checked before the regex, so that most
/// texts never build it).
fn is_initialled(t: &str) -> bool {
    let mut chars = t.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.next() == Some('.')
}

/// Read a header block into `md`.
fn read_header(block: &[Line], md: &mut Metadata) {
    static PERSON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\p{Lu}\.[\s-]?){1,3}\s*\p{Lu}[\p{L}'’-]+(?:,\s*Ed\.?)?$")
            .expect("valid regex")
    });
    let mut last_kv: Option<usize> = None;
    let mut author: Option<usize> = None;
    for line in block {
        let (left, right) = columns(line);
        if !left.is_empty() {
            if let Some(pair) = key_value(left) {
                md.extra.push(pair);
                last_kv = Some(md.extra.len() - 1);
            } else if let Some(i) = last_kv.filter(|_| line.indent() >= 4) {
                push_words(&mut md.extra[i].1, left);
            } else if md.source.is_none() {
                md.source = Some(collapse(left));
                last_kv = None;
            } else {
                md.extra.push(("header".to_string(), collapse(left)));
                last_kv = None;
            }
        }
        if right.is_empty() {
            continue;
        }
        if md.date.is_none() && is_date_line(right) {
            md.date = Some(collapse(right));
        } else if is_initialled(right) && PERSON.is_match(right) {
            md.extra.push(("author".to_string(), collapse(right)));
            author = Some(md.extra.len() - 1);
        } else if let Some((_, a)) = author.and_then(|i| md.extra.get_mut(i)) {
            a.push(',');
            push_words(a, right);
        } else {
            md.extra.push(("header".to_string(), collapse(right)));
        }
    }
}

// ---------------------------------------------------------------------------
// Line shapes

/// The character of a rule line: three or more of one of `-=*_~`, alone or
/// separated by single spaces (`* * *`).
fn rule_char(s: &str) -> Option<char> {
    // Most lines start with a letter or digit.
    if s.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let t = s.trim();
    let c = t
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '=' | '*' | '_' | '~'))?;
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

/// The character of a line that may underline a heading: three or more of
/// one of reStructuredText's adornment characters and nothing else
/// (`=====`, `-----`, `~~~~~`, `'''''`, `^^^^^`).
fn underline_char(s: &str) -> Option<char> {
    // Most lines start with a letter or digit.
    if s.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let t = s.trim();
    let c = *t.as_bytes().first()?;
    let adornment = matches!(
        c,
        b'=' | b'-' | b'~' | b'^' | b'\'' | b'"' | b'`' | b'+' | b'*' | b'#' | b':' | b'_'
    );
    (adornment && t.len() >= 3 && t.bytes().all(|b| b == c)).then_some(char::from(c))
}

/// A line of only one adornment character, as under a heading.
fn is_underline(s: &str) -> bool {
    underline_char(s).is_some()
}

/// The levels of underlined headings. `=` is level 2 and `-` level 3, as
/// in Markdown's setext headings and most plain text (a plain text's
/// numbered sections may come first underlined with `-`, yet sit under
/// its `=` ones). The other characters of reStructuredText come below
/// them in the order the body first uses them, that markup's own rule:
/// a PEP's `'`, Sphinx's `^` then `"`.
#[derive(Debug, Clone, Default)]
struct Adornments {
    /// The characters other than `=` and `-`, in order.
    order: Vec<char>,
    /// How many lines are underlined (with any character).
    underlined: usize,
}

impl Adornments {
    /// The underlines of `lines`: lines of one adornment character under a
    /// line of text (one pass; most lines are told by their first byte).
    fn of(lines: &[Line]) -> Adornments {
        let mut order = Vec::new();
        let mut underlined = 0;
        for pair in lines.windows(2) {
            let t = pair[1].trimmed();
            if t.len() < 3 || t.as_bytes()[0].is_ascii_alphanumeric() {
                continue;
            }
            if let Some(c) = underline_char(t)
                && !pair[0].is_blank()
                && underline_char(pair[0].text).is_none()
            {
                underlined += 1;
                if c != '=' && c != '-' && !order.contains(&c) {
                    order.push(c);
                }
            }
        }
        Adornments { order, underlined }
    }

    /// Whether the text marks its headings by underlining them (two or
    /// more): then a title-like line, or a field in capitals (`CVSS 3.1:
    /// 9.8 (…)`), standing alone is a line of the section, not a heading
    /// of its own.
    fn marks_headings(&self) -> bool {
        self.underlined >= 2
    }

    /// The level of a heading underlined with `c`.
    fn level(&self, c: char) -> u8 {
        match c {
            '=' => 2,
            '-' => 3,
            _ => {
                let k = self.order.iter().position(|&o| o == c).unwrap_or(0);
                u8::try_from(k + 4).map_or(MAX_LEVEL, |l| l.min(MAX_LEVEL))
            }
        }
    }
}

/// The heading level given by `underline` under the (trimmed) text `t`, if
/// it is an underline of similar length.
fn underline_level(t: &str, underline: &str, adornments: &Adornments) -> Option<u8> {
    let c = underline_char(underline)?;
    let text_len = t.chars().count();
    let rule_len = underline.trim().chars().count();
    if rule_len * 2 < text_len || rule_len > text_len * 2 + 2 {
        return None;
    }
    Some(adornments.level(c))
}

/// A run of spaces inside the text that looks like alignment: a tab, three
/// or more spaces, or two spaces not following the end of a sentence (nor a
/// list marker).
fn has_wide_gap(t: &str) -> bool {
    let t = t.trim();
    // (A trimmed line cannot start with a tab.)
    let spaced = t.contains("  ") || t.contains('\t');
    if !spaced {
        return false;
    }
    let t = after_marker(t);
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
    t.contains("....") || t.contains(". . .")
}

/// A list item's marker and the text after it: bullets give `•`, ordered
/// items their number or letter as written (`3.`, `2)`, `b)`, `b.` before
/// a capital, `(b)`, `(12)`, `(iv)`).
fn list_marker(t: &str) -> Option<(String, &str)> {
    // Two letters open neither a bullet (a glyph then a space) nor a number
    // or letter (`3.`, `b)`): most lines of prose.
    if let [a, b, ..] = t.trim_start().as_bytes()
        && a.is_ascii_alphabetic()
        && b.is_ascii_alphabetic()
    {
        return None;
    }
    if let Some(rest) = bullet_rest(t) {
        return Some(("•".to_string(), rest));
    }
    ordered_marker(t).map(|(marker, rest)| (marker.to_string(), rest))
}

/// An ordered item's marker as written (`3.`, `12)`, `b)`, `b.` before a
/// capital, `(b)`, `(12)`, `(iv)`) and the text after it.
fn ordered_marker(t: &str) -> Option<(&str, &str)> {
    let t = t.trim();
    let end = t.find(char::is_whitespace)?;
    let (marker, rest) = t.split_at(end);
    let rest = rest.trim_start();
    // `(a)`, `(2)`, `(iv)`, as contracts and statutes number their items.
    // Not `(614) 555-0199` nor `(c) 2026`: at most two digits, and words
    // after it.
    if let Some(body) = marker.strip_prefix('(').and_then(|m| m.strip_suffix(')')) {
        let fits = !body.is_empty()
            && ((body.len() == 1 && body.bytes().all(|b| b.is_ascii_alphanumeric()))
                || (body.len() <= 2 && body.bytes().all(|b| b.is_ascii_digit()))
                || (body.len() <= 4 && body.bytes().all(|b| b"ivx".contains(&b))));
        let worded = rest.starts_with(|c: char| !c.is_ascii_digit());
        return (fits && worded).then_some((marker, rest));
    }
    let body = marker.strip_suffix(['.', ')'])?;
    let digits = !body.is_empty() && body.len() <= 3 && body.bytes().all(|b| b.is_ascii_digit());
    // `b)`, and `b.` in lower case before a word in upper case (`a.  The
    // failover…`, a memorandum's subparagraph).
    let letter = body.len() == 1
        && body.bytes().all(|b| b.is_ascii_alphabetic())
        && (marker.ends_with(')')
            || (body.bytes().all(|b| b.is_ascii_lowercase())
                && rest.chars().next().is_some_and(char::is_uppercase)));
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
    // A quick bound first, a byte at a time: every lower-case ASCII letter
    // is a lower-case letter, and the upper-case letters are at most the
    // upper-case ASCII letters and the characters beyond ASCII (counted by
    // their lead bytes). Prose fails it.
    let bytes = t.as_bytes();
    let lower_ascii = bytes.iter().filter(|b| b.is_ascii_lowercase()).count();
    let upper_at_most = bytes
        .iter()
        .filter(|&&b| b.is_ascii_uppercase() || b >= 0xC0)
        .count();
    upper_at_most >= 2 && lower_ascii * 5 <= upper_at_most && is_all_caps_counted(t)
}

/// [`is_all_caps`] without its quick bound: the letters counted.
fn is_all_caps_counted(t: &str) -> bool {
    let (upper, lower, alpha, visible) = letter_counts(t);
    upper >= 2
        && lower * 5 <= upper
        && alpha * 2 >= visible
        && !starts_lowercase(t)
        && !t.contains([
            '<', '>', '=', '_', '{', '}', '\\', '|', '@', '#', '$', '^', '~', '+',
        ])
}

// ---------------------------------------------------------------------------
// Table of contents

/// A table of contents: its heading line (if it has one), the lines of its
/// entries, and the keys of the entries not yet matched by a heading.
#[derive(Debug, Clone)]
struct Toc {
    heading: Option<usize>,
    range: Range<usize>,
    entries: HashSet<String>,
    /// The first character of every entry's key.
    firsts: HashSet<char>,
}

impl Toc {
    fn new(heading: Option<usize>, range: Range<usize>, entries: HashSet<String>) -> Self {
        let firsts = entries.iter().filter_map(|k| k.chars().next()).collect();
        Toc {
            heading,
            range,
            entries,
            firsts,
        }
    }

    /// Whether `t` may be an unmatched entry: a cheap test before
    /// [`toc_key`], on the length and the first letter or digit.
    fn may_match(&self, t: &str) -> bool {
        !self.entries.is_empty()
            && t.len() <= MAX_HEADING_CHARS * 4
            && t.chars().count() <= MAX_HEADING_CHARS
            && t.chars()
                .find(|c| c.is_alphanumeric())
                .and_then(|c| c.to_lowercase().next())
                .is_some_and(|c| self.firsts.contains(&c))
    }
}

/// The table of contents of the body, if it has one.
fn find_toc(lines: &[Line]) -> Option<Toc> {
    lines
        .iter()
        .position(|l| {
            // Quick: no title is longer, colons aside.
            let t = l.trimmed();
            (t.len() <= 30 || t.ends_with(':')) && is_contents_title(t)
        })
        .and_then(|h| toc_after(lines, h))
        .or_else(|| dotted_toc(lines))
}

/// `Contents`, `Table of Contents` and their like.
fn is_contents_title(t: &str) -> bool {
    const TITLES: [&str; 13] = [
        "contents",
        "table of contents",
        "toc",
        "inhalt",
        "inhaltsverzeichnis",
        "sommaire",
        "table des matières",
        "índice",
        "indice",
        "contenido",
        "contenidos",
        "目次",
        "目录",
    ];
    let t = t.trim().trim_end_matches(':');
    let Some(first) = t.bytes().next().map(|b| b.to_ascii_lowercase()) else {
        return false;
    };
    t.len() <= 30
        && TITLES.iter().any(|title| {
            (title.as_bytes()[0] == first || !first.is_ascii()) && same_words(t, title)
        })
}

/// The entries after the contents heading at `h`, a run of lines at a
/// time: up to the first run that repeats an entry (the body's first
/// heading), or that holds a line that is no entry (prose). A one-line run
/// without page number just before such prose, when there are three or more
/// entries, is the body's first heading, not an entry.
fn toc_after(lines: &[Line], h: usize) -> Option<Toc> {
    let start = (h + 1..lines.len()).find(|&k| !lines[k].is_blank())?;
    let mut keys: HashSet<String> = HashSet::new();
    let mut end = start;
    // The last run when it was one line without a page number: its index
    // and key.
    let mut single: Option<(usize, String)> = None;
    let mut j = start;
    loop {
        while lines.get(j).is_some_and(Line::is_blank) {
            j += 1;
        }
        if j >= lines.len() {
            break;
        }
        let run_end = (j..lines.len())
            .find(|&k| lines[k].is_blank())
            .unwrap_or(lines.len());
        let run = &lines[j..run_end];
        if run.iter().any(|l| repeats_entry(&keys, &toc_key(l.text))) {
            break;
        }
        if !run.iter().all(is_toc_entry) {
            if keys.len() >= 3
                && let Some((k, key)) = single.take()
            {
                keys.remove(&key);
                end = k;
            }
            break;
        }
        let mut last: Option<(String, bool)> = None;
        for line in run {
            let t = line.trimmed();
            let closed = line.dotted() || page_number(t).is_some();
            let text = match last.take() {
                Some((prev, false)) if closed && numbered(t).is_none() && appendix(t).is_none() => {
                    keys.remove(&toc_key(&prev));
                    format!("{prev} {t}")
                }
                _ => t.to_string(),
            };
            keys.insert(toc_key(&text));
            last = Some((text, closed));
        }
        single = match (run, last) {
            ([line], Some((text, false))) => Some((j, toc_key(&text))).filter(|_| !line.dotted()),
            _ => None,
        };
        end = run_end;
        j = run_end;
    }
    (keys.len() >= 2).then(|| Toc::new(Some(h), start..end, keys))
}

/// Whether `key` repeats an entry, or an entry's number and label without
/// its title (`chapter i` for the entry `chapter i the beginning`).
fn repeats_entry(keys: &HashSet<String>, key: &str) -> bool {
    keys.contains(key)
        || (key.split(' ').count() <= 3
            && keys.iter().any(|k| {
                k.strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with(' '))
            }))
}

/// Without a contents heading: three or more dotted-leader lines in a row
/// (blank lines between allowed).
fn dotted_toc(lines: &[Line]) -> Option<Toc> {
    let mut first: Option<usize> = None;
    let mut keys = HashSet::new();
    let mut end = 0;
    for (j, line) in lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        if line.dotted() {
            first.get_or_insert(j);
            keys.insert(toc_key(line.text));
            end = j + 1;
        } else if first.is_some() {
            if keys.len() >= 3 {
                break;
            }
            first = None;
            keys.clear();
        }
    }
    let start = first?;
    (keys.len() >= 3).then(|| Toc::new(None, start..end, keys))
}

/// A line that may be an entry of a table of contents.
fn is_toc_entry(line: &Line) -> bool {
    let t = line.trimmed();
    line.dotted()
        || page_number(t).is_some()
        || numbered(t).is_some()
        || appendix(t).is_some()
        || (!line.art()
            && t.chars().count() <= 72
            && t.split_whitespace().count() <= 12
            && !ends_sentence(t)
            && !t.ends_with([':', ',', ';'])
            && !starts_lowercase(t))
}

/// Where a page number after a wide gap ends an entry (`Scope      12`).
fn page_number(t: &str) -> Option<usize> {
    let t = t.trim_end();
    let number = t
        .rsplit(' ')
        .next()
        .filter(|n| !n.is_empty() && n.len() <= 6)?;
    let is_number =
        number.bytes().all(|b| b.is_ascii_digit()) || number.chars().all(|c| "ivxlcdm".contains(c));
    let before = &t[..t.len() - number.len()];
    (is_number && before.ends_with("  ") && !before.trim().is_empty()).then_some(before.len())
}

/// The key an entry and its heading share: the text before any dotted
/// leader or page number, lower case, white space collapsed, trailing dots
/// of the number and of the title dropped.
fn toc_key(t: &str) -> String {
    let mut s = t.trim();
    let bytes = s.as_bytes();
    if let Some(p) = (0..bytes.len())
        .find(|&i| bytes[i..].starts_with(b"....") || bytes[i..].starts_with(b". . ."))
    {
        s = &s[..p];
    } else if let Some(p) = page_number(s) {
        s = &s[..p];
    }
    let mut words: Vec<&str> = s.split_whitespace().collect();
    if words.len() >= 2
        && ["appendix", "annex"].contains(&words[0].to_lowercase().as_str())
        && words[1].trim_end_matches(['.', ':']).len() == 1
    {
        words.remove(0);
    }
    let mut key = String::with_capacity(s.len());
    for (n, word) in words.into_iter().enumerate() {
        if n > 0 {
            key.push(' ');
        }
        let is_number = word
            .trim_end_matches('.')
            .split('.')
            .all(|p| !p.is_empty() && (p.bytes().all(|b| b.is_ascii_digit()) || p.len() == 1));
        let word = if n <= 1 && is_number {
            word.trim_end_matches('.')
        } else {
            word
        };
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key.trim_end_matches(['.', ':', ' ']).to_string()
}

// ---------------------------------------------------------------------------
// Recurring labels

/// Label words that number figures, tables and pages, never sections.
const NOT_LABELS: [&str; 20] = [
    "FIGURE", "FIG", "TABLE", "EXHIBIT", "EXAMPLE", "NOTE", "PAGE", "LINE", "EQUATION", "LISTING",
    "RFC", "STD", "BCP", "FYI", "VERSION", "SLIDE", "PLATE", "MAP", "CHART", "BOX",
];

/// A labelled line (`PART 3`, `FEDERALIST. No. 1`, `Chapter IV: The
/// Storm`): the label word in capitals, the number's value and the title
/// after it (possibly empty).
fn label_parts(t: &str) -> Option<(String, u32, &str)> {
    let t = t.trim();
    let starts_upper = t.chars().next().is_some_and(char::is_uppercase);
    // The second word is a number, a roman numeral or `No.`.
    let second = t.split_whitespace().nth(1).unwrap_or("");
    let numeral = second.starts_with(|c: char| c.is_ascii_digit() || "IVXLCDMN".contains(c));
    if t.len() > MAX_HEADING_CHARS * 4
        || !starts_upper
        || !numeral
        || !ending_fits_heading(t, true, false)
    {
        return None;
    }
    let (word, number, rest) = shapes::label(t)?;
    if word.chars().count() > 16 {
        return None;
    }
    let word = word.to_uppercase();
    if NOT_LABELS.contains(&word.as_str()) {
        return None;
    }
    let value = number.parse().ok().or_else(|| roman(number))?;
    let title_ok = rest.is_empty()
        || (rest.chars().count() <= 60
            && !starts_lowercase(rest)
            && ending_fits_heading(rest, true, false));
    title_ok.then_some((word, value, rest))
}

/// The value of a roman numeral (upper case).
fn roman(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            'M' => 1000,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    (total > 0).then_some(total)
}

/// The label words that recur as stand-alone headings, with their levels.
fn find_labels(lines: &[Line]) -> HashMap<String, u8> {
    let mut seen: HashMap<String, Vec<u32>> = HashMap::new();
    let alone = |j: Option<usize>| j.and_then(|j| lines.get(j)).is_none_or(Line::is_blank);
    for (k, line) in lines.iter().enumerate() {
        if line.is_blank() || !alone(k.checked_sub(1)) {
            continue;
        }
        // Alone, or a bare label over its title (`ARTICLE I` /
        // `DEFINITIONS`).
        // Every paragraph's first line is asked: the cheap tests first (a
        // bare label is a word or two and a number).
        let titled = || {
            let t = line.trimmed();
            t.len() <= 32
                && t.split_whitespace().count() <= 3
                && t.ends_with(|c: char| c.is_ascii_digit() || "IVXLCDM.".contains(c))
                && label_parts(line.text).is_some_and(|(_, _, rest)| rest.is_empty())
                && label_title(lines, k + 1).is_some()
        };
        if !alone(Some(k + 1)) && !titled() {
            continue;
        }
        if let Some((word, value, _)) = label_parts(line.text) {
            seen.entry(word).or_default().push(value);
        }
    }
    let mut words: Vec<(u8, String)> = seen
        .into_iter()
        .filter(|(_, values)| {
            let rising = values.windows(2).filter(|w| w[1] > w[0]).count();
            values.len() >= 3 && rising * 3 >= (values.len() - 1) * 2
        })
        .map(|(word, _)| {
            let rank = match word.as_str() {
                "VOLUME" | "BOOK" => 0,
                "PART" => 1,
                "SECTION" | "ARTICLE" => 3,
                _ => 2,
            };
            (rank, word)
        })
        .collect();
    words.sort();
    let mut ranks: Vec<u8> = words.iter().map(|(r, _)| *r).collect();
    ranks.dedup();
    words
        .into_iter()
        .map(|(rank, word)| {
            let position = ranks.iter().position(|&r| r == rank).unwrap_or(0);
            (word, (2 + position).min(usize::from(MAX_LEVEL)) as u8)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Headings

/// A heading found at a line: its level, its title and how many lines it
/// takes (2 with an underline). `nested_at` is set for a capitals line in the
/// body's own column (as RFCs label states and events): its level is then
/// relative to the heading above it, at that indentation.
#[derive(Debug, PartialEq)]
struct Heading {
    level: u8,
    title: String,
    consumed: usize,
    nested_at: Option<usize>,
    /// Written in capitals.
    caps: bool,
    /// A recurring label (`PART 3`)...
    label: bool,
    /// ...with no title of its own yet.
    bare: bool,
    /// A line of adornment above it belongs to it (`-----` / `I. Background`
    /// / `-----`).
    overline: bool,
}

impl Heading {
    fn new(level: u8, title: String, consumed: usize) -> Self {
        Heading {
            level,
            title,
            consumed,
            nested_at: None,
            caps: false,
            label: false,
            bare: false,
            overline: false,
        }
    }
}

/// What decides headings beyond the shape of a line: the caller's pattern,
/// the table of contents, the recurring labels, the title (a line repeating
/// it is no heading) and the subtitles.
#[derive(Clone)]
struct Rules<'r> {
    /// Whether headings are looked for at all (not in boilerplate).
    headings: bool,
    pattern: Option<&'r Regex>,
    toc: Option<Toc>,
    labels: HashMap<String, u8>,
    /// The title, lower case, white space collapsed.
    title_key: String,
    /// Source lines up to this number are subtitles, never headings.
    quiet_until: usize,
    /// The levels of underlined headings.
    adornments: Adornments,
    /// Numbered paragraphs open with run-in titles ([`run_in`]).
    run_ins: bool,
    /// Paragraphs open with a title on a line of its own ([`glued_title`]),
    /// of up to this many words in sentence case.
    glued_titles: Option<usize>,
}

impl<'r> Rules<'r> {
    /// The rules for a body whose table of contents is `toc`, whose
    /// recurring labels are `labels` and whose underlines are `adornments`
    /// (see [`find_toc`], [`find_labels`], [`Adornments::of`]).
    fn new(
        pattern: Option<&'r Regex>,
        opening: &Opening,
        toc: Option<Toc>,
        labels: HashMap<String, u8>,
        adornments: Adornments,
        (run_ins, glued_titles): (bool, Option<usize>),
    ) -> Self {
        Rules {
            headings: true,
            pattern,
            toc,
            labels,
            title_key: opening.title.to_lowercase(),
            quiet_until: opening.subtitles_until,
            adornments,
            run_ins,
            glued_titles,
        }
    }

    /// No headings at all.
    fn none() -> Self {
        Rules {
            headings: false,
            pattern: None,
            toc: None,
            labels: HashMap::new(),
            title_key: String::new(),
            quiet_until: 0,
            adornments: Adornments::default(),
            run_ins: false,
            glued_titles: None,
        }
    }
}

/// Whether `t` has the words of `key` (lower case, single spaces), case
/// aside.
fn same_words(t: &str, key: &str) -> bool {
    let t = t.trim_start();
    match (t.bytes().next(), key.bytes().next()) {
        (Some(a), Some(b)) if a.is_ascii() && a.to_ascii_lowercase() != b => return false,
        (None, _) | (_, None) => return false,
        _ => {}
    }
    let mut words = t.split_whitespace();
    for want in key.split(' ') {
        let Some(word) = words.next() else {
            return false;
        };
        let same = if word.is_ascii() {
            word.eq_ignore_ascii_case(want)
        } else {
            word.chars().flat_map(char::to_lowercase).eq(want.chars())
        };
        if !same {
            return false;
        }
    }
    words.next().is_none()
}

/// The run of marks opening a heading matched by the caller's pattern (a
/// run of `#`, `=` or `*` and a space: Markdown's `## Risks`, AsciiDoc's
/// `== Risks`, Org's `** Risks`), as (mark, how many).
fn heading_marks(t: &str) -> Option<(u8, usize)> {
    let mark = *t
        .as_bytes()
        .first()
        .filter(|b| matches!(b, b'#' | b'=' | b'*'))?;
    let n = t.bytes().take_while(|&b| b == mark).count();
    t[n..].starts_with([' ', '\t']).then_some((mark, n))
}

/// The title of a heading matched by the caller's pattern: the line
/// without its [`heading_marks`], nor the same marks closing it (`== Risks
/// ==`), spaces collapsed.
fn pattern_title(t: &str) -> String {
    let Some((mark, n)) = heading_marks(t) else {
        return collapse(t);
    };
    let rest = t[n..].trim();
    let closed = rest.trim_end_matches(char::from(mark));
    let rest = if closed.ends_with([' ', '\t']) {
        closed.trim_end()
    } else {
        rest
    };
    collapse(rest)
}

/// The level of a line matched by the caller's pattern: its leading `#`s
/// or `=`s (one is the title's level), one more than its leading `*`s
/// (Org's top headings sit under the title), else its number, else 2.
fn pattern_level(t: &str) -> u8 {
    if let Some((mark, n)) = heading_marks(t) {
        let n = if mark == b'*' { n + 1 } else { n };
        return n.min(usize::from(MAX_LEVEL)) as u8;
    }
    numbered(t)
        .map(|(components, _)| level_for(components))
        .or_else(|| appendix(t).map(level_for))
        .unwrap_or(2)
}

/// The heading a layout suggests at `lines[i]`, which follows a blank line
/// (or the start of the body). `before` is the last body line above it, if
/// no heading came between.
fn heading_guess(
    lines: &[Line],
    i: usize,
    base: usize,
    before: Option<&Line>,
    rules: &Rules,
) -> Option<Heading> {
    let line = lines.get(i)?;
    let t = line.trimmed();
    if t.len() > MAX_HEADING_CHARS * 4
        || t.chars().count() > MAX_HEADING_CHARS
        || bullet_rest(t).is_some()
        || line.dotted()
        || line.art()
    {
        return None;
    }
    if let Some(label) = message_separator(t) {
        return Some(Heading::new(2, label.to_string(), 1));
    }
    let indent = line.indent();
    if let Some((level, title)) = wiki_heading(t)
        && indent < base + PRE_INDENT
    {
        return Some(Heading::new(level, collapse(title), 1));
    }
    let next = lines.get(i + 1).filter(|n| !n.is_blank());
    // Framed by adornment lines of any length, as advisories frame theirs.
    let overlined = i
        .checked_sub(1)
        .and_then(|p| lines.get(p))
        .is_some_and(|p| underline_char(p.text).is_some());
    if overlined
        && indent < base + PRE_INDENT
        && let Some(c) = next.and_then(|n| underline_char(n.text))
    {
        return Some(Heading {
            overline: true,
            ..Heading::new(rules.adornments.level(c), collapse(t), 2)
        });
    }
    if let Some(level) = next.and_then(|n| underline_level(t, n.text, &rules.adornments))
        && indent < base + PRE_INDENT
    {
        return Some(Heading::new(level, collapse(t), 2));
    }
    if let Some(h) = wrapped_numbered(lines, i) {
        return Some(h);
    }
    // A label over the block it heads, indented under it (`SITUATION:` /
    // `<tab>River levels at…`, as situation reports write theirs): in
    // capitals, or further left than an indented body (minutes' `Action
    // items:` after their indented agenda items).
    let outdented = base >= 2 && indent + 2 <= base;
    if let Some(label) = t.strip_suffix(':')
        && indent < base + PRE_INDENT
        && next.is_some_and(|n| n.indent() > indent)
        && label.chars().count() <= 40
        && (is_all_caps(label)
            || (outdented
                && label.starts_with(char::is_uppercase)
                && label.split_whitespace().count() <= 6))
    {
        return Some(Heading {
            caps: true,
            ..Heading::new(2, collapse(label), 1)
        });
    }
    let glued = rules
        .glued_titles
        .is_some_and(|words| glued_title(lines, i, words));
    if next.is_some_and(|n| !glued && !may_follow_heading(line, n, base))
        || numbered_list_goes_on(lines, i)
        || (indent >= base + PRE_INDENT && !is_centered(t, indent))
        || (body_continues_sentence(lines, i)
            // A roman-numbered heading standing alone may be followed by
            // a name in lower case (`I. Background` / `libquill is…`); a
            // number, in double-spaced text, may open a sentence.
            && !(next.is_none() && roman_numbered(t).is_some()))
    {
        return None;
    }
    let shape = heading_shape(lines, i, next.is_none(), glued, base, rules)?;
    if has_wide_gap(shape.checked) || !ending_fits_heading(t, next.is_none(), shape.numbered) {
        return None;
    }
    if !shape.labelled
        && before.is_some_and(|b| {
            let p = b.text.trim_end();
            leaves_sentence_open(b) || p.ends_with(':') || (shape.caps && p.ends_with(','))
        })
    {
        return None;
    }
    if shape.caps && is_signature(lines, i) {
        return None;
    }
    let nested =
        (shape.caps || shape.titled) && base >= 2 && indent >= base && indent < base + PRE_INDENT;
    Some(Heading {
        nested_at: nested.then_some(indent),
        caps: shape.caps,
        ..Heading::new(shape.level, collapse(t), 1)
    })
}

/// Whether `next`, right below a heading candidate `line`, lets it be a
/// heading.
fn may_follow_heading(line: &Line, next: &Line, base: usize) -> bool {
    let t = line.trimmed();
    let n = next.trimmed();
    let indent = line.indent();
    // A short name in capitals may head the table right below it (`KEY
    // METRICS` / `        Q1    Q2`).
    let over_table = is_all_caps(t)
        && !line.gap()
        && t.split_whitespace().count() <= 4
        && next.gap()
        && !is_all_caps(n);
    // A lettered item (`a) Approve…`) opens in lower case, and no sentence.
    !((starts_lowercase(n) && ordered_marker(n).is_none())
        || indent >= base + PRE_INDENT
        || (next.indent() >= indent + PRE_INDENT && !over_table)
        // A run of numbered lines (or of bullets) is a list, and so is a
        // numbered item over bullets indented under it; a numbered title
        // may stand over bullets at its own indent (`2. Measures` / `-
        // Sandbags…`).
        || ordered_marker(t).is_some_and(|(a, _)| {
            ordered_marker(n).is_some_and(|(b, _)| same_numbering(a, b))
                || (bullet_rest(n).is_some() && next.indent() > indent)
        })
        || (bullet_rest(t).is_some() && list_marker(n).is_some())
        || (is_all_caps(t) && is_all_caps(n))
        || (next.gap() && !over_table)
        || next.art())
}

/// Whether two ordered markers number alike: both with digits (`3.`,
/// `4)`), or both with letters or roman numerals (`a)`, `(iv)`). A
/// numbered title may stand over a lettered list (`4. Decisions needed` /
/// `a) Approve the budget.`).
fn same_numbering(a: &str, b: &str) -> bool {
    let digit = |m: &str| {
        m.trim_start_matches('(')
            .starts_with(|c: char| c.is_ascii_digit())
    };
    digit(a) == digit(b)
}

/// Whether the numbered line `lines[i]`, over bullets, is an item of a
/// list that goes on: a line numbered alike follows before a blank line
/// (`1. Freeze the branch` / `- Tell the team` / `2. Run the tests`).
fn numbered_list_goes_on(lines: &[Line], i: usize) -> bool {
    let (Some((marker, _)), Some(next)) = (
        lines.get(i).and_then(|l| ordered_marker(l.trimmed())),
        lines.get(i + 1),
    ) else {
        return false;
    };
    bullet_rest(next.trimmed()).is_some()
        && lines
            .iter()
            .skip(i + 2)
            .take(64)
            .take_while(|l| !l.is_blank())
            .any(|l| ordered_marker(l.trimmed()).is_some_and(|(b, _)| same_numbering(marker, b)))
}

/// A numbered heading whose title wraps onto a second line aligned with the
/// title's first word (`3.9.1.9.  Set ... (IPv4 TOS or IPv6 Traffic` /
/// `Class)`), with a blank line (or the end) after it.
fn wrapped_numbered(lines: &[Line], i: usize) -> Option<Heading> {
    let line = lines.get(i)?;
    let next = lines.get(i + 1)?;
    let t = line.trimmed();
    let n = next.trimmed();
    let (components, rest) = numbered(t)?;
    let title_column = line.indent() + t[..t.len() - rest.len()].chars().count();
    let fits = !rest.is_empty()
        && !n.is_empty()
        && next.indent() == title_column
        && !starts_lowercase(n)
        && list_marker(n).is_none()
        && lines.get(i + 2).is_none_or(Line::is_blank)
        && n.chars().count() + t.chars().count() <= MAX_HEADING_CHARS * 2
        && !has_wide_gap(rest)
        && !next.gap()
        && !next.dotted()
        && !next.art()
        && ending_fits_heading(n, true, true);
    fits.then(|| {
        Heading::new(
            level_for(components),
            format!("{} {}", collapse(t), collapse(n)),
            2,
        )
    })
}

/// Whether a body line leaves its sentence open: a long line of prose ending
/// in a letter or a comma, not a list item. A capitals line after it (as in
/// double-spaced text with words in capitals) continues the sentence.
fn leaves_sentence_open(prev: &Line) -> bool {
    let p = prev.trimmed();
    !prev.gap()
        && !prev.art()
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
        .is_some_and(|l| starts_lowercase(l.trimmed()) && ordered_marker(l.trimmed()).is_none())
}

/// A name in capitals with a short line or two right below it and then a
/// blank line: a signature block (`JANE DOE` / `Director`).
fn is_signature(lines: &[Line], i: usize) -> bool {
    let Some(line) = lines.get(i) else {
        return false;
    };
    if !is_name_line(line.trimmed()) {
        return false;
    }
    let below: Vec<&Line> = lines
        .iter()
        .skip(i + 1)
        .take_while(|l| !l.is_blank())
        .take(4)
        .collect();
    // Not the rows of a table (`KEY METRICS` / `  ARR    $2.6M    $3.4M`).
    (1..=3).contains(&below.len()) && below.iter().all(|l| signs(l))
}

/// [`is_signature_line`], for a line of neither art nor columns.
fn signs(l: &Line) -> bool {
    !l.art() && !l.gap() && is_signature_line(l.trimmed())
}

/// A line of a signature block below a name: a short rank, office or
/// place (`Colonel, USAF`), not a sentence, a list item or capitals.
fn is_signature_line(t: &str) -> bool {
    t.chars().count() <= 50
        && !ends_sentence(t)
        && list_marker(t).is_none()
        && !is_all_caps(t)
        && !starts_lowercase(t)
}

/// A name or names in capitals (`HAMILTON`, `HAMILTON AND MADISON`, `J. R.
/// SMITH`): one to five words of capitals, initials and `AND`, `OR`, `&`,
/// none of them a word that usually heads a section.
fn is_name_line(t: &str) -> bool {
    const CONNECTORS: [&str; 6] = ["AND", "OR", "&", "WITH", "and", "or"];
    const SECTION_WORDS: [&str; 40] = [
        "SUMMARY",
        "INTRODUCTION",
        "CONTENTS",
        "ABSTRACT",
        "BACKGROUND",
        "PREFACE",
        "FOREWORD",
        "CONCLUSION",
        "CONCLUSIONS",
        "APPENDIX",
        "ANNEX",
        "NOTES",
        "NOTE",
        "OVERVIEW",
        "CHAPTER",
        "PART",
        "SECTION",
        "REFERENCES",
        "GLOSSARY",
        "INDEX",
        "RECOMMENDATIONS",
        "FINDINGS",
        "DISCUSSION",
        "RESULTS",
        "METHODS",
        "SCOPE",
        "PURPOSE",
        "STATE",
        "STATUS",
        "ACKNOWLEDGMENTS",
        "ACKNOWLEDGEMENTS",
        "BIBLIOGRAPHY",
        "EPILOGUE",
        "PROLOGUE",
        "CONTACT",
        "CONTACTS",
        "AGENDA",
        "UPDATE",
        "DETAILS",
        "TIMELINE",
    ];
    let words: Vec<&str> = t.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && t.chars().count() <= 40
        && words.iter().any(|w| !CONNECTORS.contains(w))
        && words.iter().all(|w| {
            CONNECTORS.contains(w)
                || (w.chars().any(char::is_alphabetic)
                    && w.chars().all(|c| c.is_uppercase() || ".'’-,".contains(c))
                    && !SECTION_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphabetic())))
        })
}

/// What a heading-shaped line is: its level, the part of it that must not
/// hold wide gaps (the title after any number), and its kind.
struct Shape<'a> {
    level: u8,
    checked: &'a str,
    /// Numbered (`2.1`): a closing `:` introduces a list.
    numbered: bool,
    /// Numbered or an appendix: a line above that leaves its sentence
    /// open does not matter.
    labelled: bool,
    caps: bool,
    /// A title-like line.
    titled: bool,
}

/// The shape of the heading line `lines[i]`, if it has one. `alone`: a
/// blank line (or the end) follows it; `glued`: it is a title right above
/// its paragraph ([`glued_title`]) in a body that has them. Of `rules`:
/// the title's subtitles, and whether the text underlines its headings
/// (see [`Adornments::marks_headings`]).
fn heading_shape<'a>(
    lines: &[Line<'a>],
    i: usize,
    alone: bool,
    glued: bool,
    base: usize,
    rules: &Rules,
) -> Option<Shape<'a>> {
    let marked = rules.adornments.marks_headings();
    let line = lines.get(i)?;
    let t = line.trimmed();
    let shape = |level, checked, numbered, labelled, caps| Shape {
        level,
        checked,
        numbered,
        labelled,
        caps,
        titled: false,
    };
    if let Some((components, rest)) = numbered(t) {
        return Some(shape(level_for(components), rest, true, true, false));
    }
    if let Some(components) = appendix(t) {
        return Some(shape(level_for(components), t, false, true, false));
    }
    if alone
        && let Some((letter, rest)) = lettered(t)
        && lettered_in_sequence(lines, i, letter)
    {
        return Some(shape(3, rest, false, true, false));
    }
    if let Some(rest) = roman_numbered(t) {
        return Some(shape(2, rest, true, true, false));
    }
    if let Some(level) = atx_level(t).filter(|_| alone) {
        return Some(shape(level, t, false, true, false));
    }
    // In a text that underlines its headings, a line of capitals may
    // still head a part (`CHAPTER RIVER 1`), but not a field (`CVSS 3.1:
    // 9.8 (AV:N/…)`).
    if is_all_caps(t) && transcript::speaker(t).is_none() && !(marked && t.contains(": ")) {
        return Some(shape(2, t, false, false, true));
    }
    if alone && is_outdented_title(line, base) {
        return Some(shape(2, t, false, false, false));
    }
    let titled = line.indent() <= base
        && (glued || (alone && !marked && is_title_like(t) && paragraph_follows(lines, i)))
        && !follows_short_line(lines, i, rules.quiet_until);
    titled.then(|| Shape {
        titled: true,
        ..shape(2, t, false, false, false)
    })
}

/// `== Title ==`, as wikis mark headings: the same run of two or more `=`
/// on both sides of a title, spaces between. Level: the number of `=`s
/// (2 to 6, as many as wikis use); the title.
fn wiki_heading(t: &str) -> Option<(u8, &str)> {
    if !t.starts_with("==") {
        return None;
    }
    let open = t.bytes().take_while(|&b| b == b'=').count();
    let close = t.bytes().rev().take_while(|&b| b == b'=').count();
    let inner = t.get(open..t.len().checked_sub(close)?)?;
    let title = inner.trim();
    // Six at most, as wikis have them: a banner of test output
    // (`===== FAILURES =====`) is no heading.
    (open == close
        && open <= 6
        && inner.starts_with(' ')
        && inner.ends_with(' ')
        && !title.is_empty())
    .then(|| (u8::try_from(open).unwrap_or(6), title))
}

/// `## Title` as in Markdown: the number of `#`s (1 to 6), followed by a
/// space and a title.
fn atx_level(t: &str) -> Option<u8> {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    let rest = &t[hashes..];
    let titled = rest.starts_with(' ') && rest.trim().chars().any(char::is_alphanumeric);
    ((1..=usize::from(MAX_LEVEL)).contains(&hashes) && titled).then_some(hashes as u8)
}

fn level_for(components: usize) -> u8 {
    (components + 1).min(usize::from(MAX_LEVEL)) as u8
}

/// `1.`, `1.2`, `3.2.1.` and the title after it: the number of components
/// and the title. A single component needs its dot; a title must start
/// with a letter that is not lower case, or a quote; a bare number needs a
/// trailing dot.
fn numbered(t: &str) -> Option<(usize, &str)> {
    // The first component is digits (most lines start otherwise).
    if !t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return full_width_numbered(t);
    }
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
    let fits = (first.is_alphabetic() && !first.is_lowercase()) || "\"'“‘«".contains(first);
    fits.then_some((components, rest))
}

/// Abbreviations that end in a dot and are no run-in title (`1. Dr. Lee
/// will…`).
const NOT_RUN_IN: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "No", "Nos", "Gen", "Col", "Lt", "Maj", "Capt", "Sgt", "Cpl",
    "Adm", "Cmdr", "Gov", "Sen", "Rep", "Prof", "Rev", "Hon", "Inc", "Co", "Corp", "Ltd", "Jr",
    "Sr", "Fig", "Figs", "Vol", "Art", "Sec", "Ch", "Pt", "Para", "Ref", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Approx", "Est", "Ave",
];

/// `1.  Purpose.  This memorandum…`, `2.3. Scope: …`: a numbered paragraph
/// opening with a run-in title, as memoranda and policy papers number
/// theirs. The title is one word, or up to five in Title Case, of at most
/// 48 characters, ending in `.` or `:` before a space or the line's end,
/// with no other punctuation, not an abbreviation. Returns the number's
/// components, the number and title, and the text after them.
fn run_in(t: &str) -> Option<(usize, &str, &str)> {
    let (components, rest) = numbered(t)?;
    let end = rest.char_indices().find_map(|(k, c)| {
        let closes =
            matches!(c, '.' | ':') && rest[k + 1..].chars().next().is_none_or(char::is_whitespace);
        closes.then_some(k)
    })?;
    let title = &rest[..end];
    let words: Vec<&str> = title.split_whitespace().collect();
    let fits = !words.is_empty()
        && words.len() <= 5
        && title.chars().count() <= 48
        && title
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '\'' || c == '’')
        && (words.len() > 1 || !NOT_RUN_IN.contains(&title))
        && (words.len() == 1 || is_title_case(&words));
    if !fits {
        return None;
    }
    let head = t.len() - rest.len() + end + 1;
    Some((components, &t[..head], t[head..].trim_start()))
}

/// How the body titles its paragraphs: whether two or more open with a
/// run-in title ([`run_in`]), each number mostly the one before or one more
/// (`1.  Purpose.`, `2.  Background.`); and whether two or more open with
/// a title on a line of its own ([`glued_title`]): up to how many words
/// such a title may have in sentence case. Four when two or more titles
/// have at most four (or are in Title Case); eight (a digest's headlines:
/// `Port strike enters day four`) when such titles open one paragraph in
/// eight or more, as they do in a digest and seldom elsewhere (a paragraph
/// of a book whose first line is cut short).
fn paragraph_titles(lines: &[Line]) -> (bool, Option<usize>) {
    let mut numbers = Vec::new();
    let (mut strict, mut headlines, mut paragraphs) = (0usize, 0usize, 0usize);
    let mut after_blank = true;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trimmed();
        if after_blank && !t.is_empty() {
            paragraphs += 1;
            if t.as_bytes().first().is_some_and(u8::is_ascii_digit) && run_in(t).is_some() {
                let first = t
                    .split(['.', ' '])
                    .next()
                    .and_then(|n| n.parse::<u32>().ok());
                numbers.push(first.unwrap_or(0));
            } else if glued_title(lines, i, HEADLINE_WORDS) {
                headlines += 1;
                strict += usize::from(glued_title(lines, i, TITLE_WORDS));
            }
        }
        after_blank = line.is_blank();
    }
    let rising = numbers
        .windows(2)
        .filter(|w| w[1] == w[0] + 1 || w[1] == w[0])
        .count();
    let glued = if headlines >= 2 && headlines * 8 >= paragraphs {
        Some(HEADLINE_WORDS)
    } else {
        (strict >= 2).then_some(TITLE_WORDS)
    };
    (numbers.len() >= 2 && rising * 2 >= numbers.len() - 1, glued)
}

/// Words a title in sentence case may have ([`is_title_like`]).
const TITLE_WORDS: usize = 4;
/// ...and a headline in a digest ([`paragraph_titles`]).
const HEADLINE_WORDS: usize = 8;
/// ...and a numbered story's title (`1) Why cities…`, [`glued_title`]).
const STORY_WORDS: usize = 12;

/// The label of the line that opens an earlier message in an e-mail
/// (`-----Original Message-----`, `---------- Forwarded message
/// ---------`), without its dashes.
fn message_separator(t: &str) -> Option<&str> {
    let label = t.strip_prefix("--")?.trim_start_matches('-').trim();
    let label = label.strip_suffix("--")?.trim_end_matches('-').trim();
    ["original message", "forwarded message", "message d'origine"]
        .iter()
        .any(|m| label.eq_ignore_ascii_case(m))
        .then_some(label)
}

/// Whether `lines[i]`, at the start of a run, is a title on a line of its
/// own right above its paragraph, as e-mails and status notes have them
/// (`What happened` / `A certificate on the gateway expired at 07:55.`):
/// a title-like line ([`is_title_like`]) over a list or a line of prose
/// (five words or more, or a sentence, most in lower case) at its
/// indentation, or over any block indented one to three columns deeper.
///
/// The title may have up to `sentence_words` words in sentence case.
fn glued_title(lines: &[Line], i: usize, sentence_words: usize) -> bool {
    let (Some(line), Some(next)) = (lines.get(i), lines.get(i + 1)) else {
        return false;
    };
    let (t, n) = (line.trimmed(), next.trimmed());
    // Every run of a body is asked: the cheap tests first (most runs open
    // with a line longer than a title).
    if t.is_empty()
        || next.is_blank()
        || next.indent() < line.indent()
        || !(t.len() <= 60 || (t.len() <= 240 && t.chars().count() <= 60))
    {
        return false;
    }
    // A block indented a little under it (a table, notes: `Open incidents`
    // / `  INC-40211  P2  FRA2 storage…`); four columns or more would make
    // it a term and its definition.
    let under = next.indent() > line.indent();
    if under {
        return next.indent() < line.indent() + PRE_INDENT && !next.dotted() && is_title_like(t);
    }
    // A title right above its first numbered subheading (`Section 3 —
    // Findings` / `3.1 Split orders`).
    if numbered(t).is_none() && numbered(n).is_some_and(|(components, _)| components >= 2) {
        return reads_as_title(t, sentence_words);
    }
    // A numbered story's title (`1) Why cities…`) may be longer, but not
    // over another numbered line (a list).
    let story = story_title(t);
    let numbered_story = story.len() < t.len();
    let words = if numbered_story {
        sentence_words.max(STORY_WORDS)
    } else {
        sentence_words
    };
    // Below a numbered story's title, a short sentence will do.
    if (n.len() <= t.len() && !(numbered_story && ends_sentence(n)))
        || next.art()
        || next.gap()
        || next.dotted()
        || starts_lowercase(n)
        || (numbered_story && list_marker(n).is_some())
        || !reads_as_title(story, words)
    {
        return false;
    }
    // A list may follow its title at once (`Next steps` / `1. Make the
    // column mandatory…`).
    if list_marker(n).is_some() {
        return true;
    }
    // Most words of prose start in lower case (or in a script without
    // case), where a title's do not.
    let words = n.split_whitespace().count();
    let lower = n
        .split_whitespace()
        .filter(|w| !w.starts_with(char::is_uppercase))
        .count();
    // A short sentence will do too (`Next steps` / `Renew earlier.`).
    (words >= 5 || (words >= 2 && ends_sentence(n))) && lower * 2 >= words
}

/// A newsletter's story title without its number (`1) Why cities are
/// ripping out parking minimums`); any other line as it is.
fn story_title(t: &str) -> &str {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    match t[digits..].strip_prefix(") ") {
        Some(rest) if (1..=2).contains(&digits) => rest.trim_start(),
        _ => t,
    }
}

/// `II. Problem Description`: a roman numeral and a title starting with a
/// letter not in lower case, the title. One letter alone counts only as
/// `I`, `V` or `X` (a `C.` is more likely the third of a lettered list).
fn roman_numbered(t: &str) -> Option<&str> {
    let (label, rest) = t.split_once(". ")?;
    let fits = (label.len() > 1 || matches!(label, "I" | "V" | "X"))
        && label.len() <= 7
        && roman(label).is_some();
    let rest = rest.trim_start();
    (fits && rest.starts_with(|c: char| c.is_alphabetic() && !c.is_lowercase())).then_some(rest)
}

/// `１．概要`, `２．１．影響`: a number in full-width digits, as Japanese
/// and Chinese documents number their parts, and the title right after
/// its full stop; the number of components and the title.
fn full_width_numbered(t: &str) -> Option<(usize, &str)> {
    // Full-width digits are three bytes, the first 0xEF.
    if t.as_bytes().first() != Some(&0xEF) {
        return None;
    }
    let digit = |c: char| ('０'..='９').contains(&c);
    let mut components = 0;
    let mut rest = t;
    loop {
        let digits = rest.chars().take_while(|&c| digit(c)).count();
        if digits == 0 || digits > 3 {
            break;
        }
        let after = &rest[digits * '０'.len_utf8()..];
        let Some(next) = after.strip_prefix(['．', '.']) else {
            break;
        };
        components += 1;
        rest = next;
    }
    let rest = rest.trim_start();
    let fits = components > 0
        && rest
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() && !c.is_lowercase());
    fits.then_some((components, rest))
}

/// `A. Transmission`, `B) Distribution`: an outline's lettered label and
/// a short title (at most 60 characters and 10 words, starting in upper
/// case, not ending a sentence); the letter and the title.
fn lettered(t: &str) -> Option<(u8, &str)> {
    let bytes = t.as_bytes();
    let letter = *bytes.first().filter(|b| b.is_ascii_uppercase())?;
    if !matches!(bytes.get(1), Some(b'.' | b')')) || bytes.get(2) != Some(&b' ') {
        return None;
    }
    let rest = t[2..].trim_start();
    let starts_upper = rest.chars().next().is_some_and(char::is_uppercase);
    let short = rest.chars().count() <= 60 && rest.split_whitespace().count() <= 10;
    let ends = !rest.ends_with(['.', ',', ';', ':']);
    (starts_upper && short && ends).then_some((letter, rest))
}

/// Lines either side of a lettered label where its neighbour in the
/// sequence is looked for.
const LETTERED_REACH: usize = 400;

/// Whether the lettered label at line `i` (letter `letter`) is one of a
/// sequence: `A.` with a `B.` standing alone below it, any other letter
/// with the ones before it, back to `A.`, standing alone above it in
/// order. A lone `J. Smith` (a signature) is not a heading.
fn lettered_in_sequence(lines: &[Line], i: usize, letter: u8) -> bool {
    // The letter of a lettered label standing alone at line `k`.
    let alone_letter = |k: usize| {
        let blank_after = lines.get(k + 1).is_none_or(Line::is_blank);
        let blank_before = k == 0 || lines[k - 1].is_blank();
        (blank_before && blank_after)
            .then(|| lettered(lines[k].trimmed()).map(|(l, _)| l))
            .flatten()
    };
    if letter == b'A' {
        // The next label below is `B.`.
        let end = lines.len().min(i + LETTERED_REACH);
        return (i + 1..end).find_map(alone_letter) == Some(b'B');
    }
    // The labels above are the letters before, in order, back to `A.`:
    // any other (a repeat, a gap, the `I.` of a roman outline before
    // `J. Smith`) breaks it. Each line is looked at once.
    let mut want = letter - 1;
    for k in (i.saturating_sub(LETTERED_REACH)..i).rev() {
        match alone_letter(k) {
            Some(l) if l == want && l == b'A' => return true,
            Some(l) if l == want => want -= 1,
            Some(_) => return false,
            None => {}
        }
    }
    false
}

/// `Appendix A.`, `Annex B: Title` (1 component) or `A.1.`, `B.2.3 Title`
/// (the letter and each number count): the number of components.
fn appendix(t: &str) -> Option<usize> {
    static APPENDIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:Appendix|APPENDIX|Annex|ANNEX)\s+[A-Z]((?:\.\d{1,3})*)\.?:?|[A-Z]((?:\.\d{1,3})+)\.?)(?:\s+\S.*)?$")
            .expect("valid regex")
    });
    let bytes = t.as_bytes();
    let shaped = bytes.first().is_some_and(u8::is_ascii_uppercase)
        && (bytes.get(1) == Some(&b'.')
            || ["Appendix", "APPENDIX", "Annex", "ANNEX"]
                .iter()
                .any(|w| t.starts_with(w)));
    if !shaped || t.len() > MAX_HEADING_CHARS * 4 {
        return None;
    }
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
    let t = line.trimmed();
    base >= 2
        && line.indent() + 2 <= base
        && t.chars().next().is_some_and(char::is_uppercase)
        && t.split_whitespace().count() <= 10
        && t.chars().count() <= 60
        && !t.ends_with(':')
        // `Next meeting: 18 November 2026` is a fact, not a title.
        && !field_line(t).is_some_and(|(_, value)| value.contains(|c: char| c.is_ascii_digit()))
}

/// A short line that reads like a title: at most 60 characters and 10
/// words, one sentence, starting in upper case and ending in a letter, digit,
/// bracket or quote (a `?` only in Title Case), not a speaker's turn, a date
/// or a numbered item, not a greeting or sign-off (`Dear Sir`, `Best
/// regards`), and in Title Case unless it has at most four words and no
/// comma.
fn is_title_like(t: &str) -> bool {
    reads_as_title(t, TITLE_WORDS)
}

/// [`is_title_like`], with up to `sentence_words` words in sentence case:
/// a title right above its paragraph may be a headline (`Port strike
/// enters day four` / `Dockworkers at the three largest…`).
fn reads_as_title(t: &str, sentence_words: usize) -> bool {
    const GREETINGS: [&str; 12] = [
        "Dear",
        "Hi",
        "Hello",
        "Hey",
        "Sincerely",
        "Regards",
        "Thanks",
        "Thank",
        "Cheers",
        "Best",
        "Yours",
        "Greetings",
    ];
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 10
        || t.chars().count() > 60
        || t.contains(". ")
        || GREETINGS.contains(&words[0])
    {
        return false;
    }
    let title_case = is_title_case(&words);
    let ends_well = t.chars().last().is_some_and(|c| {
        c.is_alphanumeric() || matches!(c, ')' | '"' | '\'' | '’' | '”') || (c == '?' && title_case)
    });
    // Upper case, or a letter of a script without case (Arabic, Hebrew,
    // Chinese…).
    let starts_well = t
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()));
    starts_well
        && ends_well
        && !t.contains(['،', '、', '，'])
        && (title_case || (words.len() <= sentence_words && !t.contains(',')))
        && transcript::speaker(t).is_none()
        && ordered_marker(t).is_none()
        && !is_date_line(t)
}

/// Whether `lines[i]` comes after a short line standing alone (as in a list
/// of names, one per paragraph).
fn follows_short_line(lines: &[Line], i: usize, quiet_until: usize) -> bool {
    let Some(prev) = i
        .checked_sub(2)
        .and_then(|k| lines.get(k))
        .filter(|p| p.no() > quiet_until)
    else {
        return false;
    };
    let alone = i
        .checked_sub(3)
        .and_then(|k| lines.get(k))
        .is_none_or(Line::is_blank);
    let p = prev.trimmed();
    // A rule (`* * *`) parts stories; it is no line of a list.
    !prev.is_blank()
        && alone
        && p.chars().count() <= 60
        && !ends_sentence(p)
        && rule_char(p).is_none()
}

/// Most words of four letters or more start in upper case.
fn is_title_case(words: &[&str]) -> bool {
    let long: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let capitalised = long
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    !long.is_empty() && capitalised * 4 >= long.len() * 3
}

/// Whether a paragraph (two lines or more, or one of 60 characters or more,
/// not art or a table, not indented deeper: that would make `lines[i]` a
/// term it defines) comes after `lines[i]` and the blank lines below it.
fn paragraph_follows(lines: &[Line], i: usize) -> bool {
    let Some(start) = (i + 1..lines.len()).find(|&k| !lines[k].is_blank()) else {
        return false;
    };
    let first = &lines[start];
    let second = lines.get(start + 1).filter(|l| !l.is_blank());
    !(first.art() || first.gap() || first.dotted())
        && first.indent() <= lines[i].indent()
        && (second.is_some() || first.trimmed().chars().count() >= 60)
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

/// The title of a bare label heading, from the run of lines at `lines[i..]`
/// (up to a blank line): one to three short lines that read like a title,
/// not a byline, a date or a speaker's turn, not ending in `.`, `,`, `;` or
/// `:`. Returns the title and the number of lines.
fn label_title(lines: &[Line], i: usize) -> Option<(String, usize)> {
    let run: Vec<&Line> = lines
        .iter()
        .skip(i)
        .take_while(|l| !l.is_blank())
        .take(4)
        .collect();
    let first = run.first()?.trimmed();
    let fits = (1..=3).contains(&run.len())
        && run.iter().all(|l| {
            let t = l.trimmed();
            t.chars().count() <= MAX_HEADING_CHARS && !l.art() && !l.gap() && !l.dotted()
        })
        && run
            .iter()
            .map(|l| l.trimmed().chars().count())
            .sum::<usize>()
            <= 160
        && first.chars().next().is_some_and(char::is_uppercase)
        // A name in capitals after a blank line is a byline (`HAMILTON`);
        // right under the label, a title (`ARTICLE I` / `DEFINITIONS`).
        && (i.checked_sub(1).is_some_and(|p| !lines[p].is_blank()) || !is_name_line(first))
        && !is_date_line(first)
        && list_marker(first).is_none()
        && transcript::speaker(first).is_none()
        && run
            .last()
            .is_some_and(|l| !l.text.trim_end().ends_with(['.', ',', ';', ':']));
    if !fits {
        return None;
    }
    let mut title = String::new();
    for line in &run {
        push_words(&mut title, line.text);
    }
    let mut taken = run.len();
    // A title broken by a blank line after a word that cannot end it.
    let dangling = ends_with_word_of(&title, &DANGLING);
    let after = i + taken + 1;
    if dangling
        && let Some(next) = lines.get(after)
        && lines.get(after + 1).is_none_or(Line::is_blank)
        && is_title_like(next.trimmed())
    {
        push_words(&mut title, next.text);
        taken += 2;
    }
    Some((title, taken))
}

/// Words of other languages a sentence does not end with (German, French,
/// Spanish, Italian, Dutch articles and conjunctions), for
/// [`is_labelled_lines`] (not for titles: `Die` ends an English one).
const GOES_ON: [&str; 24] = [
    "der", "die", "das", "den", "dem", "des", "und", "oder", "mit", "von", "zu", "für", "le", "la",
    "les", "et", "el", "los", "las", "del", "il", "di", "het", "een",
];

/// Whether the last word of `t` is one of `words` (lower case), case
/// aside.
fn ends_with_word_of(t: &str, words: &[&str]) -> bool {
    t.rsplit(' ')
        .next()
        .is_some_and(|w| words.contains(&w.to_lowercase().as_str()))
}

/// Words a title cannot end with.
const DANGLING: [&str; 16] = [
    "a", "an", "the", "of", "to", "and", "or", "no", "in", "for", "from", "with", "by", "on", "at",
    "as",
];

// ---------------------------------------------------------------------------
// Body blocks

/// The opening line of a fenced block of code in plain text: Markdown's
/// (```` ```rust ````, three to ten backticks) or Org's (`#+BEGIN_SRC
/// rust`, `#+begin_example`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fence {
    Ticks(usize),
    Org,
}

impl Fence {
    /// Whether the (trimmed) line `t` closes this fence: as many backticks
    /// or more and nothing else, or Org's `#+END_…`.
    fn closes(self, t: &str) -> bool {
        match self {
            Fence::Ticks(n) => t.len() >= n && t.bytes().all(|b| b == b'`'),
            Fence::Org => t.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("#+end_")),
        }
    }
}

/// The fence the (trimmed) line `t` opens, and the language it names.
fn fence(t: &str) -> Option<(Fence, &str)> {
    // Every line is asked: most start with neither.
    if !t.starts_with(['`', '#']) {
        return None;
    }
    let ticks = t.bytes().take_while(|&b| b == b'`').count();
    if (3..=10).contains(&ticks) {
        let info = t[ticks..].trim();
        return (!info.contains('`')).then(|| (Fence::Ticks(ticks), first_word(info)));
    }
    let rest = ["#+begin_src", "#+begin_example"].iter().find_map(|p| {
        t.get(..p.len())
            .filter(|head| head.eq_ignore_ascii_case(p))
            .map(|_| &t[p.len()..])
    })?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then(|| (Fence::Org, first_word(rest)))
}

/// The first word of `s`, or nothing.
fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

/// A letter's or an e-mail's sign-off: two to six short lines opened by a
/// closing (`Regards,`, `Thanks,`, `Yours sincerely,`) or by an e-mail's
/// signature mark (`-- `); or a signature block, a name in capitals over
/// one to three lines of rank or office (`JANE DOE` / `Colonel, USAF`).
fn is_sign_off(run: &[Line]) -> bool {
    let Some(first) = run.first().map(Line::trimmed) else {
        return false;
    };
    // Every run of a text is asked: the cheap tests first.
    let closed = (2..=6).contains(&run.len())
        && (first == "--" || is_closing(first))
        && run.iter().all(|l| l.trimmed().chars().count() <= 60);
    closed || ((2..=4).contains(&run.len()) && is_name_line(first) && run[1..].iter().all(signs))
}

/// A label and the short lines it introduces, one entry each, without
/// bullets (`New vendors onboarded:` / `Acme Payroll Ltd - tier 2` /
/// `Bluefin Analytics - tier 3`): two to twelve lines below a label of at
/// most five words ending in `:` (a longer line introduces a paragraph),
/// each line at most 72 characters, none a list item (a list is read as
/// one) or in columns (a table, kept as it is laid out), opening in lower
/// case (the sentence would go on) or ending in a comma or a word that
/// cannot end one (`and`, `the`, `die`, `und`…).
fn is_labelled_lines(run: &[Line]) -> bool {
    let Some((first, rest)) = run.split_first() else {
        return false;
    };
    // Every run of a text is asked: the cheap tests first.
    let label = first.trimmed();
    (2..=12).contains(&rest.len())
        && label.ends_with(':')
        && label.chars().count() <= 40
        && label.split_whitespace().count() <= 5
        && rest.iter().all(|l| {
            let t = l.trimmed();
            t.chars().count() <= 72
                && !starts_lowercase(t)
                && !t.ends_with(',')
                && !ends_with_word_of(t, &DANGLING)
                && !ends_with_word_of(t, &GOES_ON)
                && !l.art()
                && !l.gap()
                && list_marker(t).is_none()
        })
}

/// A letter's closing: `Regards,`, `Thanks,`, `Yours sincerely,`…
fn is_closing(t: &str) -> bool {
    static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:best|kind|warm|warmest|with)?\s*regards|(?:many\s+|with\s+)?thanks|thank\s+you|best(?:\s+wishes)?|all\s+the\s+best|cheers|sincerely|(?:yours\s+)?(?:sincerely|faithfully|truly)|respectfully|cordially),$")
            .expect("valid regex")
    });
    t.len() <= 24 && t.ends_with(',') && CLOSING.is_match(t)
}

/// A run of two to twelve short `Key: value` lines ([`field_line`]), not
/// a transcript's turns, such as the header of an earlier message in an
/// e-mail.
fn is_field_run(run: &[Line]) -> bool {
    // Every run of a text is asked: the cheap tests first.
    let field = |l: &Line| {
        let t = l.trimmed();
        t.len() <= 120
            && t.as_bytes().iter().take(32).any(|&b| b == b':')
            && no_columns(l)
            && transcript::speaker(t).is_none()
    };
    (2..=12).contains(&run.len()) && run.iter().all(field)
}

/// Whether `t` opens with a time: `14:02`, `9:05`, `[10:42]`, `02:14:33`,
/// or a date and a time (`2026-12-07 14:02`, `2026-12-07T14:02Z`).
fn starts_with_time(t: &str) -> bool {
    let b = t.strip_prefix('[').unwrap_or(t).as_bytes();
    let digits = |from: usize, n: usize| {
        b.get(from..from + n)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let hours = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let clock = (1..=2).contains(&hours) && b.get(hours) == Some(&b':') && digits(hours + 1, 2);
    let dated = digits(0, 4)
        && b.get(4) == Some(&b'-')
        && digits(5, 2)
        && b.get(7) == Some(&b'-')
        && digits(8, 2)
        && matches!(b.get(10), Some(b' ' | b'T'))
        && digits(11, 2)
        && b.get(13) == Some(&b':');
    clock || dated
}

/// The text of a timeline or a chat log: a run whose first line and at
/// least half of all its lines, two or more, open with a time
/// ([`starts_with_time`]). Each such line starts a line of the text; the
/// others go on the line before. `None` for any other run, and for one
/// mostly laid out in columns (a table, read as preformatted).
fn timeline(run: &[Line]) -> Option<String> {
    // Every run of a text is asked: the cheap tests first.
    let first = run.first()?;
    if run.len() < 2 || !starts_with_time(first.trimmed()) {
        return None;
    }
    let stamped = run.iter().filter(|l| starts_with_time(l.trimmed())).count();
    let columns = run.iter().filter(|l| l.gap() || l.art()).count();
    if stamped < 2 || stamped * 2 < run.len() || columns * 2 > run.len() {
        return None;
    }
    let mut text = String::new();
    for line in run {
        let t = line.trimmed();
        if starts_with_time(t) && !text.is_empty() {
            text.push('\n');
            text.push_str(&collapse(t));
        } else {
            push_words(&mut text, t);
        }
    }
    Some(text)
}

/// Whether `line` is a `Key: value` line ([`field_line`]) whose value has
/// no wide gaps: values aligned after their keys (`Fax:   +1-617…`) are
/// fields, columns after them (`Time:    10:00    Room A`) a table.
fn no_columns(line: &Line) -> bool {
    let t = line.trimmed();
    field_line(t).is_some()
        && t.split_once(':')
            .is_some_and(|(_, value)| !has_wide_gap(value.trim_start()))
}

/// A contact or address block: two to eight short lines, none a sentence
/// or a list item, one of them an e-mail address or a telephone number
/// (`Media Contact:` / `Jordan Lee` / `press@example.com` / `+1 614 555
/// 0199`).
fn is_contact_block(run: &[Line]) -> bool {
    // Every run of a text is asked: the cheap tests first.
    (2..=8).contains(&run.len())
        && run.iter().all(|l| {
            let t = l.trimmed();
            t.len() <= 240
                && (!l.gap() || no_columns(l))
                && t.chars().count() <= 60
                && !ends_sentence(t)
                && list_marker(t).is_none()
        })
        && run.iter().any(|l| is_contact_line(l.trimmed()))
}

/// A line holding an e-mail address, or a telephone number (seven digits
/// or more among `+`, `(`, `)`, `-`, `.` and spaces).
fn is_contact_line(t: &str) -> bool {
    let email = t.split_whitespace().any(|w| {
        w.split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
    });
    let phone = t.split_once(':').map_or(t, |(_, v)| v).trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    email
        || (digits >= 7
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +()-./".contains(c)))
}

/// A line of an e-mail's quoted text (`> text`, `>> text`, `> > text`, or
/// the marks alone), as its depth and its text without the marks. The
/// first mark is followed by a space, another mark or nothing, so that
/// `>= 5 ms` and `>5%` are no quotes.
fn quoted(t: &str) -> Option<(u8, &str)> {
    let after = t.strip_prefix('>')?;
    if !(after.is_empty() || after.starts_with([' ', '>'])) {
        return None;
    }
    let mut depth = 0u8;
    let mut rest = t;
    while let Some(r) = rest.strip_prefix('>') {
        depth = depth.saturating_add(1);
        rest = r.strip_prefix(' ').unwrap_or(r);
    }
    Some((depth, rest.trim_start()))
}

/// Whether a line introduces a literal block in reStructuredText: a
/// paragraph ending in `::`, or a directive for code (`.. code-block::
/// python`, `.. code::`, `.. sourcecode::`).
fn introduces_literal(t: &str) -> bool {
    t.ends_with("::")
        || t.strip_prefix(".. ").is_some_and(|d| {
            ["code-block::", "code::", "sourcecode::"]
                .iter()
                .any(|name| d.starts_with(name))
        })
}

/// Whether a run of non-blank lines is preformatted: more than half its
/// lines are art, have wide gaps or dotted leaders; or it holds some art or
/// is indented deeper than the body, and does not read like prose.
fn is_preformatted(run: &[Line], base: usize) -> bool {
    let lines = run.len();
    let art = run.iter().filter(|l| l.art()).count();
    let gappy = run.iter().filter(|l| l.gap()).count();
    let dotted = run.iter().filter(|l| l.dotted()).count();
    let indent = run.iter().map(Line::indent).min().unwrap_or(0);
    if art * 2 > lines || gappy * 2 > lines || dotted * 2 > lines {
        return true;
    }
    (art > 0 || indent >= base + PRE_INDENT) && !reads_like_prose(run)
}

/// A run that reads like prose: lines (after the first) share one
/// indentation, or are list items at the first line's with their wrapped
/// lines at one deeper (`a.  The reserve vessel…` / `    its four deck
/// officers…`); mostly letters, long enough to be wrapped sentences (or a
/// single sentence).
fn reads_like_prose(run: &[Line]) -> bool {
    let Some(first) = run.first() else {
        return false;
    };
    // A sentence starts in upper case, or goes on from the text above and
    // ends as sentences do; commands (`tar xzf …`, `$ make`,
    // `./configure`) need neither.
    let t = first.trimmed();
    let ends_as_prose = run
        .last()
        .is_some_and(|l| l.trimmed().ends_with(['.', ':', ';', ',', '?', '!', ')']));
    let shell_word = |w: &str| w.contains(['/', '-', '=', '_', '*']) || w.starts_with('.');
    let commands = || {
        run.iter()
            .any(|l| l.trimmed().split_whitespace().skip(1).any(shell_word))
    };
    if (starts_lowercase(t) || t.starts_with(['$', '#', '.', '/', '~', '>']))
        && list_marker(t).is_none()
        && !ends_as_prose
        && commands()
    {
        return false;
    }
    let rest_indent = run.get(1).map_or(first.indent(), Line::indent);
    let hanging_list = || {
        let item = first.indent();
        let mut wrapped = None;
        run.iter().all(|l| {
            if l.indent() == item {
                list_marker(l.trimmed()).is_some()
            } else {
                l.indent() > item && *wrapped.get_or_insert(l.indent()) == l.indent()
            }
        })
    };
    if run.iter().skip(1).any(|l| l.indent() != rest_indent) && !hanging_list() {
        return false;
    }
    let (mut alpha, mut visible, mut longest, mut words) = (0, 0, 0, 0);
    for line in run {
        let (_, _, a, v) = letter_counts(line.text);
        alpha += a;
        visible += v;
        longest = longest.max(line.trimmed().chars().count());
        words += line.text.split_whitespace().count();
    }
    let long_enough = if run.len() > 1 {
        longest >= 40
    } else {
        words >= 4 || ends_sentence(first.trimmed())
    };
    alpha * 10 >= visible * 6 && long_enough
}

/// A block with its first line and the spans its text is still to be
/// copied from (see [`Texts`]).
type ProseBlock = (usize, Block, Option<Range<u32>>);

/// The paragraphs and list items of a prose run, pushed on `out`.
fn prose_blocks(run: &[Line], texts: &mut Texts, out: &mut Vec<ProseBlock>) {
    let mut current: Option<Pending> = None;
    let mut list_indents: Vec<usize> = Vec::new();
    // Bytes of the run from the current line on: what a block opened here
    // may take at most, so its text is allocated once.
    let mut remaining: usize = run.iter().map(|l| l.text.len() + 1).sum();
    for (k, line) in run.iter().enumerate() {
        let t = line.trimmed();
        let indent = line.indent();
        let capacity = remaining.min(BLOCK_RESERVE).max(t.len());
        remaining -= line.text.len() + 1;
        let in_list = current.as_ref().is_some_and(|p| p.marker.is_some());
        if let Some((marker, rest)) = list_marker(t)
            && starts_item(run, k, in_list)
        {
            out.extend(current.take().map(|p| p.into_block(texts)));
            let depth = list_depth(&mut list_indents, indent);
            current = Some(Pending::item(
                line.no(),
                marker,
                indent,
                depth,
                rest,
                capacity,
                texts,
            ));
            continue;
        }
        // The cheap tests first: most lines continue a paragraph in lower
        // case.
        let continues = |p: &Pending| {
            starts_lowercase(t) || indent > p.indent || (p.marker.is_none() && !starts_speech(t))
        };
        match current.as_mut() {
            Some(p) if continues(p) => {
                texts.push(&mut p.words, t, Spacing::single(line.spaced()));
            }
            _ => {
                out.extend(current.take().map(|p| p.into_block(texts)));
                list_indents.clear();
                current = Some(Pending::paragraph(
                    line.no(),
                    t,
                    line.spaced(),
                    capacity,
                    texts,
                ));
            }
        }
    }
    out.extend(current.map(|p| p.into_block(texts)));
}

/// Whether a line opens a speaker's turn in a transcript (`NAME: words`).
fn starts_speech(t: &str) -> bool {
    transcript::speaker(t).is_some_and(|s| !s.bare)
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
        let p = prev.trimmed();
        ends_sentence(p) || p.ends_with([':', ';']) || line.indent() > prev.indent()
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
    words: Words,
}

impl Pending {
    /// A paragraph opening with the line's trimmed text `t`, single
    /// spaced or not; a text copied at once is allocated with room for
    /// `capacity` bytes.
    fn paragraph(line: usize, t: &str, spaced: bool, capacity: usize, texts: &mut Texts) -> Self {
        let mut words = texts.open(capacity);
        texts.push(&mut words, t, Spacing::single(spaced));
        Pending {
            line,
            marker: None,
            indent: 0,
            depth: 0,
            words,
        }
    }

    fn item(
        line: usize,
        marker: String,
        indent: usize,
        depth: u8,
        rest: &str,
        capacity: usize,
        texts: &mut Texts,
    ) -> Self {
        let mut words = texts.open(capacity);
        texts.push(&mut words, rest, Spacing::Detect);
        Pending {
            line,
            marker: Some(marker),
            indent,
            depth,
            words,
        }
    }

    /// The block, and the spans its text is still to be copied from.
    fn into_block(self, texts: &mut Texts) -> (usize, Block, Option<Range<u32>>) {
        let (text, spans) = texts.close(self.words);
        let block = match self.marker {
            Some(marker) => Block {
                list_depth: self.depth,
                ..Block::new(BlockKind::ListItem { marker }, text)
            },
            None => Block::paragraph(text),
        };
        (self.line, block, spans)
    }
}

/// One code block from preformatted lines (`None` for a blank line): common
/// indentation stripped, trailing space trimmed, blank lines kept inside.
fn code_block(lines: &[Option<Line>]) -> Option<(usize, Block)> {
    let first = lines.iter().flatten().next()?;
    let strip = lines.iter().flatten().map(Line::indent).min().unwrap_or(0);
    let mut text = String::new();
    for (k, line) in lines.iter().enumerate() {
        if k > 0 {
            text.push('\n');
        }
        if let Some(line) = line {
            let extra = line.indent().saturating_sub(strip);
            text.extend(std::iter::repeat_n(' ', extra));
            text.push_str(line.trimmed());
        }
    }
    let text = text.trim_end().to_string();
    Some((
        first.no(),
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
struct Builder<'a, 'r> {
    sections: Vec<Section>,
    /// The source line of each block of the title's section, to split it
    /// into paragraph sections when no heading follows.
    lead_lines: Vec<usize>,
    base: usize,
    rules: Rules<'r>,
    /// The current run of non-blank lines.
    run: Vec<Line<'a>>,
    /// Room for the blocks of a run.
    blocks: Vec<ProseBlock>,
    /// Preformatted lines waiting to become one code block; `None` is a blank
    /// line between runs.
    code: Vec<Option<Line<'a>>>,
    /// The last body line, unless a heading came after it.
    before: Option<Line<'a>>,
    /// The level of the last heading that was not nested.
    anchor: u8,
    /// Indentations of the nested headings open below the anchor.
    nested: Vec<usize>,
    /// The open section was opened by a recurring label...
    in_label: bool,
    /// ...which still waits for its title.
    wants_title: bool,
    /// The open section holds only a few short blocks so far.
    opening: bool,
    /// The texts of paragraphs and list items.
    texts: Texts<'a>,
    /// The indentation of the last run when it introduced a literal block
    /// (reStructuredText's `Example::` and `.. code-block::`): a run
    /// indented deeper right after it is preformatted.
    literal_after: Option<usize>,
    /// The run before was a closing alone (`Yours sincerely,`).
    after_closing: bool,
    /// How deep in an e-mail's quoted text the current run is (0: not).
    run_quote: u8,
    /// A line of quote marks alone ended the last run: the next quoted
    /// run goes on with its quote.
    quote_goes_on: bool,
    /// The quote depth of the last block pushed.
    last_quote: u8,
    /// Fences found never closed from some line on ([`Builder::fenced`]):
    /// the fewest backticks, and whether an Org block, that need not be
    /// looked for again.
    unclosed_ticks: Option<usize>,
    unclosed_org: bool,
}

impl<'a, 'r> Builder<'a, 'r> {
    /// A builder that copies texts at once.
    fn new(title: Section, base: usize, rules: Rules<'r>) -> Self {
        Builder::with_texts(title, base, rules, Texts::at_once())
    }

    fn with_texts(title: Section, base: usize, rules: Rules<'r>, texts: Texts<'a>) -> Self {
        Builder {
            sections: vec![title],
            lead_lines: Vec::new(),
            base,
            rules,
            run: Vec::new(),
            blocks: Vec::new(),
            code: Vec::new(),
            before: None,
            anchor: 1,
            nested: Vec::new(),
            in_label: false,
            wants_title: false,
            opening: true,
            texts,
            literal_after: None,
            after_closing: false,
            run_quote: 0,
            quote_goes_on: false,
            last_quote: 0,
            unclosed_ticks: None,
            unclosed_org: false,
        }
    }

    fn run(&mut self, lines: &[Line<'a>]) {
        self.run_until(lines, 0, lines.len());
        self.end_run();
        self.flush_code();
    }

    /// Walk `lines` from `start` until at or past `end`; return where it
    /// stopped. Runs and code are left open.
    fn run_until(&mut self, lines: &[Line<'a>], start: usize, end: usize) -> usize {
        let toc_range = self
            .rules
            .toc
            .as_ref()
            .map(|t| t.range.clone())
            .filter(|r| !r.is_empty());
        let mut i = start;
        while i < end
            && let Some(&line) = lines.get(i)
        {
            if let Some(range) = toc_range.as_ref().filter(|r| r.start == i) {
                self.push_toc(&lines[range.clone()]);
                i = range.end;
                continue;
            }
            i += 1;
            if line.is_blank() {
                self.end_run();
                if self.code.last().is_some_and(Option::is_some) {
                    self.code.push(None);
                }
            } else if let Some((close, lang)) = self.fenced(lines, i - 1) {
                self.end_run();
                self.flush_code();
                let code: Vec<Option<Line>> = lines[i..close]
                    .iter()
                    .map(|l| (!l.is_blank()).then_some(*l))
                    .collect();
                if let Some((no, mut block)) = code_block(&code) {
                    block.kind = BlockKind::Code { lang };
                    self.push_block(no, block);
                }
                self.before = None;
                i = close + 1;
            } else if let Some((depth, rest)) = self.quote_of(&line) {
                // A quote's lines make runs of their own; a line of marks
                // alone ends a paragraph of the quote.
                if self.run_quote != depth || rest.is_empty() {
                    self.end_run();
                }
                if rest.is_empty() {
                    self.quote_goes_on = true;
                } else {
                    self.run_quote = depth;
                    self.run.push(Line::new(line.no(), rest));
                    self.before = Some(line);
                }
            } else if rule_char(line.text).is_some() && line.indent() < self.base + PRE_INDENT {
                self.end_run();
                self.push_block(line.no(), Block::new(BlockKind::Rule, ""));
            } else if let Some(h) = self.pattern_heading(&line) {
                self.end_run();
                self.before = None;
                self.open_section(h, line.no());
            } else if let Some(n) = self.label_title(lines, i - 1) {
                i += n - 1;
            } else if let Some((h, rest)) = self.run_in_at(&line) {
                self.before = None;
                self.open_section(h, line.no());
                if !rest.is_empty() {
                    self.run.push(Line::new(line.no(), rest));
                    self.before = Some(line);
                }
            } else if let Some(h) = self
                .run
                .is_empty()
                .then(|| self.heading_at(lines, i - 1))
                .flatten()
            {
                i += h.consumed - 1;
                self.before = None;
                if h.overline {
                    self.drop_overline();
                }
                self.open_section(h, line.no());
            } else {
                if self.run_quote > 0 {
                    self.end_run();
                }
                self.run.push(line);
                self.before = Some(line);
            }
        }
        i
    }

    /// When `lines[k]` opens a fenced block of code ([`fence`]) closed
    /// further on, the index of its closing line and the code's language.
    /// A fence never closed is text; the search for its close is not made
    /// again for a fence like it further on, so that a text full of
    /// opening fences is read in linear time.
    fn fenced(&mut self, lines: &[Line], k: usize) -> Option<(usize, String)> {
        let line = lines.get(k)?;
        if line.indent() >= self.base + PRE_INDENT {
            return None;
        }
        let (open, lang) = fence(line.trimmed())?;
        let known_unclosed = match open {
            Fence::Ticks(n) => self.unclosed_ticks.is_some_and(|m| n >= m),
            Fence::Org => self.unclosed_org,
        };
        if known_unclosed {
            return None;
        }
        let close = lines[k + 1..]
            .iter()
            .position(|l| open.closes(l.trimmed()))
            .map(|p| k + 1 + p);
        if close.is_none() {
            match open {
                Fence::Ticks(n) => self.unclosed_ticks = Some(n),
                Fence::Org => self.unclosed_org = true,
            }
        }
        Some((close?, lang.to_string()))
    }

    /// The heading a numbered paragraph's run-in title opens at `line`,
    /// at the start of a run, when the body numbers its paragraphs so
    /// ([`paragraph_titles`]), and the text after the title.
    fn run_in_at(&self, line: &Line<'a>) -> Option<(Heading, &'a str)> {
        if !self.rules.run_ins
            || !self.rules.headings
            || !self.run.is_empty()
            || line.no() <= self.rules.quiet_until
            || line.indent() >= self.base + PRE_INDENT
        {
            return None;
        }
        let (components, head, rest) = run_in(line.trimmed())?;
        let title = collapse(head.trim_end_matches(['.', ':']));
        Some((Heading::new(level_for(components), title, 1), rest))
    }

    /// The depth and text of a line of quoted text ([`quoted`]) not
    /// indented as code.
    fn quote_of(&self, line: &Line<'a>) -> Option<(u8, &'a str)> {
        if line.indent() >= self.base + PRE_INDENT {
            return None;
        }
        quoted(line.trimmed())
    }

    /// The heading [`Builder::run_until`] would open at `lines[i]` in the
    /// builder's present state, when it would open one there and the
    /// state before does not matter after it: no run open, no label
    /// waiting for its title, a heading not nested under the one before.
    fn opens_clean_section(&mut self, lines: &[Line], i: usize) -> Option<Heading> {
        let line = lines.get(i)?;
        if line.is_blank()
            || !self.run.is_empty()
            || self.wants_title
            || self.rules.toc.is_some()
            || self.quote_of(line).is_some()
            || self.run_in_at(line).is_some()
            || (rule_char(line.text).is_some() && line.indent() < self.base + PRE_INDENT)
        {
            return None;
        }
        // An overlined heading takes its overline from the piece before.
        self.pattern_heading(line)
            .or_else(|| self.heading_at(lines, i))
            .filter(|h| h.nested_at.is_none() && !h.overline)
    }

    /// Take back the rule pushed for the line above an overlined heading,
    /// which is the heading's.
    fn drop_overline(&mut self) {
        let single = self.sections.len() == 1;
        if let Some(section) = self.sections.last_mut()
            && section
                .blocks
                .last()
                .is_some_and(|b| b.kind == BlockKind::Rule)
        {
            section.blocks.pop();
            if single {
                self.lead_lines.pop();
            }
        }
    }

    /// The heading at `lines[i]`, at the start of a run: the contents
    /// heading, an entry of the table of contents, a recurring label, then
    /// the layout's guess (less bylines).
    fn heading_at(&mut self, lines: &[Line], i: usize) -> Option<Heading> {
        let line = lines.get(i)?;
        let t = line.trimmed();
        if !self.rules.headings || line.no() <= self.rules.quiet_until {
            return None;
        }
        if let Some(toc) = &mut self.rules.toc {
            if toc.heading == Some(i) {
                return Some(Heading::new(2, collapse(t), 1));
            }
            if toc.may_match(t) && !line.dotted() {
                if let Some(h) = wrapped_numbered(lines, i)
                    && toc.entries.remove(&toc_key(&h.title))
                {
                    return Some(h);
                }
                if toc.entries.remove(&toc_key(t)) {
                    let level = pattern_level(t);
                    return Some(Heading::new(level, collapse(t), 1));
                }
            }
        }
        if same_words(t, &self.rules.title_key) {
            return None;
        }
        if !self.rules.labels.is_empty()
            && let Some((word, _, rest)) = label_parts(t)
            && let Some(&level) = self.rules.labels.get(&word)
        {
            let nested = self.base >= 2 && line.indent() >= self.base;
            return Some(Heading {
                label: true,
                bare: rest.is_empty(),
                nested_at: nested.then_some(line.indent()),
                ..Heading::new(level, collapse(t), 1)
            });
        }
        let h = heading_guess(lines, i, self.base, self.before.as_ref(), &self.rules)?;
        let byline = h.caps && self.in_label && self.opening && is_name_line(t);
        (!byline).then_some(h)
    }

    /// The heading the caller's pattern makes of `line`, anywhere in a run.
    fn pattern_heading(&self, line: &Line) -> Option<Heading> {
        let pattern = self.rules.pattern.filter(|_| self.rules.headings)?;
        let t = line.trimmed();
        let matches = t.chars().count() <= MAX_HEADING_CHARS * 2 && pattern.is_match(t);
        matches.then(|| Heading::new(pattern_level(t), pattern_title(t), 1))
    }

    /// When a bare label heading waits for its title and `lines[i]` starts
    /// one, join it to the heading (`FEDERALIST No. 1 — General
    /// Introduction`) and return how many lines it took.
    fn label_title(&mut self, lines: &[Line], i: usize) -> Option<usize> {
        if !std::mem::take(&mut self.wants_title) || !self.run.is_empty() {
            return None;
        }
        let (title, n) = label_title(lines, i)?;
        let section = self.sections.last_mut()?;
        section.title.push_str(" — ");
        section.title.push_str(&title);
        Some(n)
    }

    /// Start a new section at heading `h`. A nested capitals heading sits one
    /// level below the last other heading, plus one per shallower nested
    /// heading still open.
    fn open_section(&mut self, h: Heading, line: usize) {
        self.flush_code();
        // A closing ends nothing in the next section (and a body built in
        // two pieces starts each with none).
        self.after_closing = false;
        let level = if let Some(indent) = h.nested_at {
            let depth = list_depth(&mut self.nested, indent);
            self.anchor.saturating_add(depth).min(MAX_LEVEL)
        } else {
            self.anchor = h.level;
            self.nested.clear();
            h.level
        };
        self.in_label = h.label;
        self.wants_title = h.bare;
        self.opening = true;
        if let Some(done) = self.sections.last_mut() {
            // Its blocks are all in: give back the room the list grew into
            // (a third of it, in a large file).
            done.blocks.shrink_to_fit();
        }
        self.literal_after = None;
        self.sections.push(Section::new(level, h.title, line));
    }

    /// The table of contents: one code block in the open section.
    fn push_toc(&mut self, lines: &[Line<'a>]) {
        self.end_run();
        self.flush_code();
        let code: Vec<Option<Line>> = lines
            .iter()
            .map(|l| (!l.is_blank()).then_some(*l))
            .collect();
        if let Some((line, block)) = code_block(&code) {
            self.push_block(line, block);
        }
        self.before = None;
    }

    /// Turn the current run into blocks (or pending code).
    fn end_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        // The run's list and the list of its blocks keep their room from
        // run to run (a large file has a hundred thousand runs).
        let mut run = std::mem::take(&mut self.run);
        let quote = std::mem::take(&mut self.run_quote);
        // A quoted run opens a quote unless a line of marks or a deeper
        // quote came just before it.
        let goes_on = std::mem::take(&mut self.quote_goes_on) || self.last_quote > quote;
        let indent = run.iter().map(Line::indent).min().unwrap_or(0);
        let literal = self.literal_after.take().is_some_and(|i| indent > i);
        if !literal {
            self.literal_after = run
                .last()
                .is_some_and(|l| introduces_literal(l.trimmed()))
                .then_some(indent);
        }
        // Runs that keep their lines: a letter's sign-off (`Regards,` /
        // `J. Smith` / `Director`, run together, read as one name), also
        // its name and office after a closing of its own (`Yours
        // sincerely,` / blank / `J. Whitfield` / `Network Manager`), the
        // header fields of an earlier message (`From:` / `Sent:` / `To:`),
        // a contact block; and, an entry per line, a timeline or a chat log.
        let signed = std::mem::replace(
            &mut self.after_closing,
            run.len() == 1 && is_closing(run[0].trimmed()),
        ) && (2..=4).contains(&run.len())
            && run.iter().all(signs);
        let kept = if quote > 0 {
            None
        } else if signed
            || is_sign_off(&run)
            || (!literal
                && indent <= self.base
                && (is_field_run(&run) || is_contact_block(&run) || is_labelled_lines(&run)))
        {
            let lines: Vec<String> = run.iter().map(|l| collapse(l.trimmed())).collect();
            Some(lines.join("\n"))
        } else if literal {
            None
        } else {
            timeline(&run)
        };
        if let Some(text) = kept {
            self.flush_code();
            self.push_block(run[0].no(), Block::paragraph(text));
            run.clear();
            self.run = run;
            return;
        }
        // Quoted text is read as prose: its lines lost their indentation
        // with their marks.
        if quote == 0 && (literal || is_preformatted(&run, self.base)) {
            self.code.extend(run.drain(..).map(Some));
        } else {
            self.flush_code();
            let mut blocks = std::mem::take(&mut self.blocks);
            prose_blocks(&run, &mut self.texts, &mut blocks);
            for (k, (line, mut block, spans)) in blocks.drain(..).enumerate() {
                block.quote_depth = quote;
                block.opens_quote = quote > 0 && k == 0 && !goes_on;
                self.push_spanned_block(line, block, spans);
            }
            self.blocks = blocks;
            run.clear();
        }
        self.run = run;
    }

    fn flush_code(&mut self) {
        let code = std::mem::take(&mut self.code);
        if let Some((line, block)) = code_block(&code) {
            self.push_block(line, block);
        }
    }

    fn push_block(&mut self, line: usize, block: Block) {
        self.push_spanned_block(line, block, None);
    }

    /// Push `block`, whose text is `spans` of [`Builder::texts`] if given.
    fn push_spanned_block(&mut self, line: usize, block: Block, spans: Option<Range<u32>>) {
        self.last_quote = block.quote_depth;
        if block.kind == BlockKind::Rule {
            self.flush_code();
        }
        if self.sections.len() == 1 {
            self.lead_lines.push(line);
        }
        let Some(at) = self.sections.len().checked_sub(1) else {
            return;
        };
        let section = &mut self.sections[at];
        // The length of a text still in spans is only found when it counts.
        self.opening = self.opening
            && section.blocks.len() < 6
            && match &spans {
                Some(spans) => self.texts.fits(spans.clone(), 150),
                None => block.text.len() <= 150,
            };
        if let Some(spans) = spans {
            self.texts.later(at, section.blocks.len(), spans);
        }
        section.blocks.push(block);
    }

    /// The sections built, their texts still to fill.
    fn into_piece(mut self) -> Piece {
        // Its blocks are all in: see `open_section`.
        if let Some(last) = self.sections.last_mut() {
            last.blocks.shrink_to_fit();
        }
        self.sections.shrink_to_fit();
        Piece {
            sections: self.sections,
            spans: self.texts.into_spans(),
            lead_lines: self.lead_lines,
        }
    }
}

/// Sections as a [`Builder`] leaves them, the texts of some blocks still
/// spans of the source.
struct Piece {
    sections: Vec<Section>,
    spans: Spans,
    lead_lines: Vec<usize>,
}

/// What [`build`] makes of a body: one piece, or two to put end to end
/// (the second's first section a placeholder).
enum Drafts {
    Whole(Piece),
    Two(Piece, Piece),
}

impl Drafts {
    /// The sections, their texts copied out of `source` (the text the
    /// body's lines were cut from), which goes bit by bit as they are.
    /// Called once the line records are let go of. Without headings,
    /// each paragraph is a section.
    fn finish(self, mut source: String) -> Vec<Section> {
        match self {
            Drafts::Whole(mut piece) => {
                piece.spans.fill(&mut source, 0, 0, &mut piece.sections);
                if piece.sections.len() == 1 {
                    sections_per_paragraph(piece.sections, &piece.lead_lines)
                } else {
                    piece.sections
                }
            }
            Drafts::Two(mut first, mut second) => {
                let floor = first.spans.need();
                // The second piece's part of the source is moved to a
                // string of its own (a copy) so that the two pieces are
                // copied out on two threads, each giving back its own part.
                if let Some(cut) = second.spans.first().filter(|&cut| cut >= floor) {
                    let mut tail = source.split_off(cut);
                    source.shrink_to_fit();
                    on_two_threads(
                        || first.spans.fill(&mut source, 0, 0, &mut first.sections),
                        || second.spans.fill(&mut tail, cut, cut, &mut second.sections),
                    );
                } else {
                    second
                        .spans
                        .fill(&mut source, 0, floor, &mut second.sections);
                    first.spans.fill(&mut source, 0, 0, &mut first.sections);
                }
                first.sections.extend(second.sections.into_iter().skip(1));
                first.sections
            }
        }
    }
}

/// Bodies of at least this many lines are built in two pieces.
const PIECE_LINES: usize = 1 << 14;

/// The sections of the body `lines`, the first being `title`, with the
/// texts of paragraphs and list items still spans of `source` (the text
/// the lines were cut from) until [`Drafts::finish`].
///
/// A long body is built in two pieces on two threads: the second piece
/// starts at a line after a blank line that opens a section (as seen by a
/// new builder) near the middle. The cut holds when the first piece,
/// built up to it, would open the same section there: what a builder does
/// after opening a section not nested under the one before depends on the
/// section alone. Otherwise the body is built again in one piece.
fn build<'a>(
    title: Section,
    base: usize,
    rules: Rules,
    lines: &[Line<'a>],
    cut: Cut,
    source: &'a str,
) -> Drafts {
    let candidates = match cut {
        Cut::Middle if lines.len() >= PIECE_LINES => {
            lines.len() / 2..lines.len().min(lines.len() / 2 + PIECE_LINES / 4)
        }
        Cut::Middle => 0..0,
        #[cfg(test)]
        Cut::At(i) => i..i + 1,
    };
    let mut probe = Builder::new(Section::new(1, String::new(), 0), base, rules.clone());
    let cut = candidates.into_iter().find(|&i| {
        i > 0
            && lines.get(i - 1).is_some_and(Line::is_blank)
            && probe.opens_clean_section(lines, i).is_some()
    });
    if let Some((first, second)) =
        cut.and_then(|cut| build_in_two(&title, base, &rules, lines, cut, source))
    {
        return Drafts::Two(first, second);
    }
    let mut builder = Builder::with_texts(title, base, rules, Texts::spanning(source));
    builder.run(lines);
    Drafts::Whole(builder.into_piece())
}

/// [`build`] in two pieces cut before `lines[cut]`, if the cut holds.
fn build_in_two<'a>(
    title: &Section,
    base: usize,
    rules: &Rules,
    lines: &[Line<'a>],
    cut: usize,
    source: &'a str,
) -> Option<(Piece, Piece)> {
    let (first, second) = on_two_threads(
        || {
            let texts = Texts::spanning(source);
            let mut builder = Builder::with_texts(title.clone(), base, rules.clone(), texts);
            let stop = builder.run_until(lines, 0, cut);
            let opens = (stop == cut)
                .then(|| builder.opens_clean_section(lines, cut))
                .flatten();
            builder.end_run();
            builder.flush_code();
            (builder.into_piece(), opens)
        },
        || {
            let title = Section::new(1, String::new(), 0);
            let texts = Texts::spanning(source);
            let mut builder = Builder::with_texts(title, base, rules.clone(), texts);
            let opens = builder.opens_clean_section(lines, cut);
            builder.run_until(lines, cut, lines.len());
            builder.end_run();
            builder.flush_code();
            (builder.into_piece(), opens)
        },
    );
    let ((first, opens), (second, expected)) = (first, second);
    // The second piece's first section is the new builder's placeholder.
    (opens.is_some() && opens == expected).then_some((first, second))
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

/// A paragraph section's label: its opening words, or the label in
/// capitals it opens with (`SITUATION: River levels fell…`, as situation
/// reports write theirs; a speaker's, in text that is no transcript).
pub(crate) fn opening_words(text: &str) -> String {
    match transcript::speaker(text) {
        Some(s) if !s.bare && s.label.chars().any(char::is_uppercase) && !s.question => {
            label(s.label, LABEL_WORDS, LABEL_CHARS)
        }
        _ => label(text, LABEL_WORDS, LABEL_CHARS),
    }
}

/// The first words of `text`, at most `max_words` and `max_chars`
/// characters, cut at a word boundary (inside a word only when the first
/// word alone is too long), with `…` when something was left out.
pub(crate) fn label(text: &str, max_words: usize, max_chars: usize) -> String {
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
    use proptest::prelude::*;

    /// [`Scan`] read byte by byte, as its documentation says.
    fn scan_bytewise(t: &[u8]) -> Scan {
        let (mut shape, mut spaced, mut digit) = (false, true, false);
        for (i, &b) in t.iter().enumerate() {
            let before = |n: usize| i.checked_sub(n).map(|j| t[j]);
            let control = (b'\t'..=b'\r').contains(&b);
            let two_spaces = b == b' ' && before(1) == Some(b' ');
            shape |= matches!(b, b'+' | b'<' | b'=' | b'|' | 0xE2)
                || control
                || two_spaces
                || (b == b'-' && before(1) == Some(b'-'))
                || (b == b'.' && before(1) == Some(b'.'))
                || (b == b'.' && before(1) == Some(b' ') && before(2) == Some(b'.'));
            spaced &= !(control || two_spaces || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3));
            digit |= b.is_ascii_digit();
        }
        Scan {
            shape,
            spaced,
            digit,
        }
    }

    #[test]
    fn a_body_built_in_two_pieces_is_the_body_built_whole() {
        let labels = "THE PAPERS\n\nFEDERALIST No. 1\n\nGeneral Introduction\n\nHAMILTON\n\n\
            To the People of the State of New York:\n\nAfter an unequivocal experience.\n\n\
            FEDERALIST No. 2\n\nHAMILTON AND MADISON\n\nText of the second paper here.\n\n\
            FEDERALIST No. 3\n\nThe Same Subject Continued\n\nMore text.\n\n\
            1. Scope\n\n    indented code\n\n    more code\n\nA long line of prose that leaves its sentence open and goes on to\n\n\
            SHOUTING HEADING\n\nBody.\n\n2. Terms\n   ===\n\nSpeaker: words\n";
        let texts = [
            labels,
            include_str!("../../briefings/2026-11-18-press-briefing-transcript.txt"),
            include_str!("../../briefings/2026-11-20-grid-resilience-report.txt"),
            include_str!("../../briefings/2026-11-25-rfc-style-memo.txt"),
            include_str!("../../briefings/2026-11-26-morning-news-brief.txt"),
            include_str!("../../briefings/2026-11-23-ferry-service-memorandum.txt"),
            MEMORANDUM,
            E_MAIL,
            SIGNED_ADVISORY,
        ];
        for text in texts {
            let (whole, _) = read(text, "t.txt", None);
            for i in 0..text.lines().count() {
                let (pieced, _) = read_cut(text.to_owned(), "t.txt", None, Cut::At(i));
                assert_eq!(pieced, whole, "cut at body line {i}");
            }
        }
    }

    #[test]
    fn a_large_text_split_on_two_threads_gives_the_lines_of_one() {
        // Blank lines, page breaks and blank runs fall at the cut (the line
        // feed after the middle) as the padding moves it.
        let block = "A line of prose here.\n\n\n\x0C\nPage 2 head 12\n\x0C\x0C\n\n1. Item\n* star [Page 3]\n";
        for pad in 0..block.len() + 2 {
            let mut text = "x".repeat(pad);
            while text.len() < 2000 {
                text.push_str(block);
            }
            let split = split_lines_over(&text, 1000);
            assert_eq!(split, split_lines_from(&text, 1, 0), "pad {pad}");
            // The marks are those a pass over the lines would find, and only
            // periodic lines have a key.
            let having = |test: fn(&str) -> bool| -> Vec<usize> {
                (0..split.lines.len())
                    .filter(|&k| test(split.lines[k].trimmed()))
                    .collect()
            };
            let places = |p: &Places| p.iter().collect::<Vec<usize>>();
            assert_eq!(places(&split.marks.brackets), having(|t| t.ends_with(']')));
            assert_eq!(places(&split.marks.stars), having(|t| t.starts_with('*')));
            assert_eq!(
                places(&split.marks.short),
                having(|t| !t.is_empty() && t.len() <= END_MARKER_BYTES)
            );
            assert!(split.marks.stars.iter().next().is_some());
            assert_eq!(split.marks.breaks, split.lines.iter().any(Line::brk));
            for (line, &key) in split.lines.iter().zip(&split.keys) {
                let periodic = !line.is_blank() && line.text.len() <= PERIODIC_BYTES;
                assert_eq!(key != 0, periodic, "{line:?}");
            }
        }
    }

    #[test]
    fn a_scan_sees_pairs_and_triples_across_its_spans() {
        // Every place in the first three spans, on texts of every length
        // from just the mark to two spans past it: the padded short path,
        // the first span, the spans read in place and the last span, which
        // reads again bytes already read.
        for (mark, shape, spaced) in [
            ("  ", true, false),
            ("--", true, true),
            ("..", true, true),
            (". .", true, true),
            ("\t", true, false),
            ("+", true, true),
            ("7", false, true),
        ] {
            for at in 0..3 * Scan::SPAN {
                for after in 0..2 * Scan::SPAN + 2 {
                    let s = format!("{}{mark}{}", "a".repeat(at), "b".repeat(after));
                    let scan = Scan::of(s.as_bytes());
                    assert_eq!(
                        (scan.shape, scan.spaced, scan.digit),
                        (shape, spaced, mark == "7"),
                        "{mark:?} at {at} of {}",
                        s.len()
                    );
                    assert_eq!(scan, scan_bytewise(s.as_bytes()));
                }
            }
        }
        for n in 0..4 * Scan::SPAN {
            let s = "a b".repeat(n);
            assert_eq!(Scan::of(s.as_bytes()), scan_bytewise(s.as_bytes()), "{n}");
            assert!(!Scan::of(s.as_bytes()).shape);
        }
    }

    proptest! {
        #[test]
        fn quick_rejects_answer_as_the_whole_tests_do(
            s in "[ a-zA-Z0-9.\\]\\[=_~*\t\u{b}\u{a0}ÉéŞßΣσ한-]{0,40}"
        ) {
            prop_assert_eq!(is_all_caps(&s), is_all_caps_counted(&s));
            let upper = s.to_uppercase();
            prop_assert_eq!(is_all_caps(&upper), is_all_caps_counted(&upper));
            let t = s.trim();
            let c = t.chars().next().filter(|c| "-=*_~".contains(*c));
            if c.is_none() {
                prop_assert_eq!(rule_char(&s), None);
            }
            if !t.is_empty() && !t.starts_with(|c: char| c.is_ascii_digit()) {
                prop_assert_eq!(numbered(&s), None);
            }
            let page = format!("{s} [Page 12]{}", if s.len() % 2 == 0 { " " } else { "" });
            prop_assert_eq!(page_number_at(&page).map(|r| &page[r]), Some("12"));
            if !s.trim_end().ends_with(']') {
                prop_assert_eq!(page_number_at(&s), None);
            }
        }
    }

    proptest! {
        #[test]
        fn a_scan_a_span_at_a_time_reads_as_one_byte_at_a_time(
            s in "[ a-z.+<=|\\-0-9\t\u{b}\u{a0}\u{2003}\u{201c}\u{2500}é]{0,200}"
        ) {
            let scan = Scan::of(s.as_bytes());
            prop_assert_eq!(scan, scan_bytewise(s.as_bytes()));
            let t = s.trim();
            let line = Line::new(1, &s);
            if !line.is_blank() && !Scan::of(t.as_bytes()).shape {
                prop_assert!(!has_art(&s) && !has_wide_gap(&s) && !is_dotted_leader(&s));
            }
            prop_assert_eq!((line.art(), line.gap(), line.dotted()), (
                !line.is_blank() && has_art(&s),
                !line.is_blank() && has_wide_gap(&s),
                !line.is_blank() && is_dotted_leader(&s),
            ));
            let words: Vec<&str> = s.split_whitespace().collect();
            prop_assert_eq!(collapse(&s), words.join(" "));
            if line.spaced() {
                prop_assert_eq!(collapse(t), t);
            }
            // Every way to a furniture key gives the key of the text
            // normalised character by character.
            if !line.is_blank() && page_number_at(t).is_none() {
                let (mut normal, mut previous) = (Vec::new(), b' ');
                push_key(&mut normal, t, &mut previous);
                prop_assert_eq!(furniture_key(&line, &mut Vec::new()), xxh3_64(&normal));
            }
        }
    }

    #[test]
    fn bounds_checked_in_code_match_the_old_counted_patterns() {
        // Date lines: the zone after the time is at most 21 characters.
        assert!(is_date_line("18 November 2026 - 11:00 local time"));
        assert!(is_date_line("18 November 2026 - 11:00 Central European"));
        assert!(!is_date_line(
            "18 November 2026 - 11:00 Eastern European Summer Time"
        ));
        assert!(is_date_line("2026-11-25"));
        // The forms told without a regex are forms the regex takes.
        for t in [
            "27 November 2026",
            "7 nov 2026",
            "NOVEMBER 27, 2026",
            "Sept 3 2025",
            "2026-11-25",
        ] {
            assert!(is_plain_date(t) && date_regex().is_match(t), "{t}");
        }
        for t in [
            "27 Novembre 2026",
            "2026-11-2x",
            "Nov 27,, 2026",
            "27  November 2026",
        ] {
            assert!(!is_plain_date(t), "{t}");
        }
        // Labels: the label word is at most 16 letters.
        assert!(label_parts("Chapter 4 The Storm").is_some());
        assert!(label_parts("Extraordinarilyy 4").is_some());
        assert!(label_parts("Extraordinarilyyy 4").is_none());
    }

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

    /// Bullet glyphs become the `•` marker, so all of them count as `•`;
    /// a trailing `,` or `:` does not count (metadata keys lose their
    /// colon, joined values gain commas); `—` and `|` separators the loader
    /// adds or drops do not count.
    /// A word cut before and after each character of a script written
    /// without spaces, which lines join without one.
    fn unspaced_apart(word: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in word.char_indices() {
            if crate::loader::joins_without_space(c) {
                out.push(&word[start..i]);
                out.push(&word[i..i + c.len_utf8()]);
                start = i + c.len_utf8();
            }
        }
        out.push(&word[start..]);
        out.retain(|w| !w.is_empty());
        out
    }

    fn normalise(word: &str) -> Option<String> {
        let mut chars = word.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && BULLETS.contains(&c)
        {
            return Some("•".to_string());
        }
        // A run-in title drops its closing `.` or `:`, a message
        // separator its dashes.
        let word = word.trim_end_matches([',', ':', '.', '-']);
        let word = word.trim_start_matches('-');
        // A wiki heading's marks (`== Title ==`) are markup.
        let word = word.trim_matches('=');
        (!word.is_empty() && word != "—" && word != "|").then(|| word.to_string())
    }

    /// Invented metadata keys, whose words are not from the source.
    const OWN_KEYS: [&str; 8] = [
        "byline",
        "dateline",
        "author",
        "header",
        "release",
        "site",
        "speakers",
        "classification",
    ];

    /// Every word of the briefing, sorted: section titles that are source
    /// text (not the labels of paragraph sections, which repeat their
    /// paragraph), block texts, list markers and metadata moved out of the
    /// body (not the derived `speakers`).
    fn words(b: &Briefing) -> Vec<String> {
        let mut text: Vec<String> = Vec::new();
        for section in &b.sections {
            if section.kind.title_is_source() {
                text.push(section.title.clone());
            }
            for block in &section.blocks {
                text.push(block.text.clone());
                if let BlockKind::ListItem { marker } = &block.kind {
                    text.push(marker.clone());
                }
            }
        }
        let md = &b.metadata;
        text.extend(md.date.clone());
        text.extend(md.source.clone());
        for (key, value) in &md.extra {
            if key == transcript::SPEAKERS_KEY {
                continue;
            }
            if !OWN_KEYS.contains(&key.as_str()) {
                text.push(key.clone());
            }
            text.push(value.clone());
        }
        let mut out: Vec<String> = text
            .iter()
            .flat_map(|t| t.split_whitespace())
            .flat_map(unspaced_apart)
            .filter_map(normalise)
            .collect();
        out.sort();
        out
    }

    /// Every word of the source, sorted, less underline and rule lines.
    fn source_words(text: &str) -> Vec<String> {
        // Nor are the marks of quoted text.
        fn unquoted(l: &str) -> &str {
            quoted(l.trim()).map_or(l, |(_, rest)| rest)
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text.split(['\n', '\x0C']).collect();
        // Rules, and underlines under a line of text, are not words.
        let underlines =
            |i: usize| is_underline(lines[i]) && i > 0 && !lines[i - 1].trim().is_empty();
        let mut out: Vec<String> = (0..lines.len())
            .filter(|&i| rule_char(lines[i]).is_none() && !underlines(i))
            .flat_map(|i| unquoted(lines[i]).split_whitespace())
            .flat_map(unspaced_apart)
            .filter_map(normalise)
            .collect();
        out.sort();
        out
    }

    /// Parse, and check that no word was lost or doubled on the way, but
    /// for the lines set aside, which are returned.
    fn parse_aside(text: &str) -> (Briefing, Vec<String>) {
        let (briefing, aside) = read(text, "fallback.txt", None);
        let mut ours = words(&briefing);
        ours.extend(
            aside
                .iter()
                .flat_map(|t| t.split_whitespace())
                .flat_map(unspaced_apart)
                .filter_map(normalise),
        );
        ours.sort();
        let theirs = source_words(text);
        if ours != theirs {
            let (mut missing, mut extra) = (theirs.clone(), Vec::new());
            for w in &ours {
                match missing.iter().position(|m| m == w) {
                    Some(k) => {
                        missing.remove(k);
                    }
                    None => extra.push(w.clone()),
                }
            }
            panic!("words of {text:?}: missing {missing:?}, extra {extra:?}");
        }
        for section in &briefing.sections {
            assert!(!section.title.contains('\x0C'));
            assert!(section.blocks.iter().all(|b| !b.text.contains('\x0C')));
        }
        (briefing, aside)
    }

    /// Parse, and check that no word was lost or doubled, and nothing set
    /// aside.
    fn parse_checked(text: &str) -> Briefing {
        let (briefing, aside) = parse_aside(text);
        assert!(aside.is_empty(), "set aside {aside:?}");
        briefing
    }

    #[test]
    fn text_opening_on_a_paragraph_has_no_title_line() {
        // The first line's sentence goes on below it: it is no title.
        let text = "The committee met on Tuesday to review the storm response and agreed that\n\
                    restoration of power to the coastal towns comes first.\n\n\
                    Crews from three counties will start on Monday.\n\n\
                    The inland lines follow.\n";
        let b = parse_checked(text);
        assert_eq!(b.title, "fallback.txt");
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "fallback.txt"),
                (2, "The committee met on Tuesday to review the…"),
                (2, "Crews from three counties will start on Monday."),
                (2, "The inland lines follow."),
            ])
        );
        assert_eq!(b.sections[0].kind, SectionKind::Lead);
        assert_eq!(
            blocks(&b.sections[1]),
            [para(
                "The committee met on Tuesday to review the storm response and agreed that \
                 restoration of power to the coastal towns comes first."
            )]
        );
        assert_eq!(b.sections[1].line, 1);
        // Nor is a line longer than any title, or one ending in a comma or
        // a full stop over more of its paragraph.
        let long = format!("{}\n\nThe end.\n", "Words without end ".repeat(20));
        let b = parse_checked(&long);
        assert_eq!(b.title, "fallback.txt");
        assert_eq!(b.sections[1].blocks[0].text, long[..long.len() - 11].trim());
        for text in [
            "    The committee met on Tuesday to review the storm response and agreed\n\
             that restoration of power to the coastal towns comes first.\n",
            "Hi all, a quick update on the payments outage from this morning before the\n\
             11:00 call. The short version is that we are stable, but not yet out of the\n\
             woods.\n",
            "After a long night of work across the region, Crews restored\npower to most homes.\n",
            // Long in columns, ending in a comma.
            "今天上午的支付系统故障已经基本恢复，但是我们仍然需要继续观察一段时间，\n请大家注意后续的通知。\n",
            "Crews restored power to most homes across the region overnight.\n\
             Officials said the last streets would be back on by noon today.\n",
        ] {
            assert_eq!(parse_checked(text).title, "fallback.txt", "{text}");
        }
    }

    #[test]
    fn a_newsletter_titles_its_numbered_stories() {
        let text = "THE FRIDAY FIVE\n\nHello again! Five links, five minutes.\n\n\
                    1) Why cities are ripping out parking minimums\n\
                    More than forty cities have dropped parking requirements for new\n\
                    housing.\n\n\
                    2) The quiet comeback of the fax machine\n\
                    Hospitals never stopped using them, and now some logistics firms are\n\
                    buying them back.\n\n\
                    3) Steps to take today\n\
                    4) Steps to take tomorrow\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "THE FRIDAY FIVE"),
                (2, "1) Why cities are ripping out parking minimums"),
                (2, "2) The quiet comeback of the fax machine"),
            ])
        );
    }

    #[test]
    fn a_digest_titles_its_stories_with_headlines_in_sentence_case() {
        let text = "Morning Briefing\n\nGood morning. Here is what you need to know today.\n\n\
                    Central bank holds rates\n\
                    The central bank kept its main rate at 3.25% for a third meeting, citing\n\
                    sticky services inflation.\n\n* * *\n\n\
                    Port strike enters day four\n\
                    Dockworkers at the three largest container ports extended their walkout.\n\n\
                    * * *\n\n\
                    Heatwave warning in the south\n\
                    Temperatures are forecast to reach 41C on Thursday. Schools will close.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Morning Briefing"),
                (2, "Central bank holds rates"),
                (2, "Port strike enters day four"),
                (2, "Heatwave warning in the south"),
            ])
        );
        // In a book, a paragraph whose first line is cut short is rare: two
        // such in twenty paragraphs are no headlines.
        let mut book = String::from("Essays\n\n");
        for i in 0..20 {
            if i % 10 == 3 {
                book.push_str(
                    "Thus differently from the adversaries of the proposed\n\
                     Constitution should I reason on the same subject, deducing arguments.\n\n",
                );
            } else {
                book.push_str("The argument goes on through this paragraph, as arguments do.\n\n");
            }
        }
        let b = parse_checked(&book);
        assert!(
            b.sections.iter().flat_map(|s| &s.blocks).any(|b| b
                .text
                .starts_with("Thus differently from the adversaries of the proposed Constitution")),
            "{:?}",
            titles(&b)
        );
        assert!(
            b.sections
                .iter()
                .all(|s| s.kind != SectionKind::Heading || s.level == 1)
        );
    }

    #[test]
    fn a_numbered_title_may_stand_over_bullets_at_its_indent() {
        let text = "Flood report\n\n1. Situation\nThe river rose again overnight at every gauge.\n\n\
                    2. Measures\n- Sandbags: 12,000 issued\n- Shelter opened at the school\n\n\
                    3. Outlook\nMore rain is expected until Friday.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Flood report"),
                (2, "1. Situation"),
                (2, "2. Measures"),
                (2, "3. Outlook"),
            ])
        );
        assert_eq!(
            blocks(&b.sections[2]),
            [
                item("•", "Sandbags: 12,000 issued"),
                item("•", "Shelter opened at the school")
            ]
        );
        // Bullets indented under a numbered line are its sub-items.
        let text = "Flood report\n\nIssues\n1. Sandbags ran short\n   - two depots empty\n\n\
                    2. The school shelter is full\n   - eighty places taken\n";
        let b = parse_checked(text);
        assert!(
            b.sections.iter().all(|s| !s.title.starts_with("2.")),
            "{:?}",
            titles(&b)
        );
    }

    #[test]
    fn headings_marked_as_wikis_mark_them_lose_their_marks() {
        let text = "==== Weekly Ops Summary ====\n\n== Availability ==\nAPI: 99.97%\nWeb: 99.99%\n\n\
                    === Batch failures ===\nThe nightly batch failed twice.\n\n\
                    == Notes ==\nNone.\n\nA == B == C stays a line.\n";
        let b = parse_checked(text);
        assert_eq!(b.title, "Weekly Ops Summary");
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Weekly Ops Summary"),
                (2, "Availability"),
                (3, "Batch failures"),
                (2, "Notes"),
            ])
        );
        assert_eq!(wiki_heading("==x=="), None);
        assert_eq!(wiki_heading("== =="), None);
        assert_eq!(wiki_heading("== Title ==="), None);
    }

    #[test]
    fn a_signature_after_a_closing_of_its_own_keeps_its_lines() {
        let text = "Dear residents,\n\nThe water will be off on Monday.\n\nYours sincerely,\n\n\
                    J. Whitfield\nNetwork Maintenance Manager\nEastvale Water\n";
        let b = parse_checked(text);
        assert_eq!(b.title, "fallback.txt");
        let last = b.sections.last().expect("sections");
        assert_eq!(
            blocks(last),
            [para(
                "J. Whitfield\nNetwork Maintenance Manager\nEastvale Water"
            )]
        );
        // Not after anything else.
        let b =
            parse_checked("Notice\n\nThe water will be off.\n\nJ. Whitfield\nNetwork Manager\n");
        assert!(
            b.sections
                .iter()
                .flat_map(|s| &s.blocks)
                .any(|b| b.text == "J. Whitfield Network Manager"),
            "{:?}",
            b.sections
        );
    }

    #[test]
    fn a_first_question_and_answer_are_no_facts() {
        let text = "Travel policy questions\n\n\
                    Q: Do I still need approval for domestic trips?\nA: Only for long trips.\n\n\
                    Q: Can I book business class?\nA: On long flights.\n";
        let b = parse_checked(text);
        assert!(
            b.metadata.extra.iter().all(|(k, _)| k == "speakers"),
            "{:?}",
            b.metadata.extra
        );
        assert!(
            titles(&b)
                .iter()
                .any(|(_, t)| t == "Q: Do I still need approval for domestic trips?"),
            "{:?}",
            titles(&b)
        );
    }

    #[test]
    fn short_lines_under_a_label_keep_their_lines() {
        let text = "Vendor risk update\n\nNew vendors onboarded:\n\
                    Acme Payroll Ltd - tier 2, SOC 2 received\nBluefin Analytics - tier 3\n\n\
                    Our plan:\nPhase one moves the servers to the new region, and\n\
                    Phase two retires the old ones.\n\nNext:\n- Call Acme\n- Call Bluefin\n";
        let b = parse_checked(text);
        let texts: Vec<&str> = b
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .map(|b| b.text.as_str())
            .collect();
        assert!(
            texts.contains(
                &"New vendors onboarded:\nAcme Payroll Ltd - tier 2, SOC 2 received\nBluefin Analytics - tier 3"
            ),
            "{texts:?}"
        );
        // A sentence going on over its lines, and a list, are read as ever.
        assert!(
            texts.contains(
                &"Our plan: Phase one moves the servers to the new region, and Phase two retires the old ones."
            ),
            "{texts:?}"
        );
        assert!(texts.contains(&"Call Acme"), "{texts:?}");
    }

    #[test]
    fn a_subject_line_alone_at_the_top_gives_the_title() {
        let (b, aside) = parse_aside("Subject: Weekly vendor risk update\n\nTeam,\n\nAll quiet.\n");
        assert_eq!(aside, ["Subject:"]);
        assert_eq!(b.title, "Weekly vendor risk update");
        assert_eq!(titles(&b)[0], (1, "Weekly vendor risk update".to_owned()));
    }

    #[test]
    fn second_review_cases_read_as_before_or_better() {
        // A question among the values is no dialogue; `T:` and `E:` are a
        // contact's.
        let (b, aside) = parse_aside(
            "Incident report\n\nStatus: Resolved\nSeverity: SEV-2\nDate: 4 December 2026\n\
             Root cause: Unknown?\n\nText.\n",
        );
        assert_eq!(aside, ["Date:"]);
        assert_eq!(b.metadata.date.as_deref(), Some("4 December 2026"));
        let b = parse_checked(
            "Press notice\n\nContact: Jane Doe\nT: +44 20 7946 0000\nE: jane@example.org\n\nText here.\n",
        );
        assert!(
            b.sections.iter().all(|s| s.title != "T"),
            "{:?}",
            titles(&b)
        );
        // A table under a label keeps its columns; a sentence under a long
        // introduction (in German) is reflowed.
        let b = parse_checked(
            "Results\n\nResults by team:\nTeam          Score    Rank\nNorth         91       1\n\
             South         87       2\n",
        );
        assert!(
            b.sections[0]
                .blocks
                .iter()
                .any(|b| matches!(b.kind, BlockKind::Code { .. })
                    && b.text.contains("North         91")),
            "{:?}",
            b.sections
        );
        let b = parse_checked(
            "Lage\n\nZur Lage an der Elbe teilt die Leitstelle mit:\n\
             Die Pegel an der Elbe steigen seit Montag wieder, die\n\
             Deiche im Landkreis halten bisher.\n",
        );
        assert!(
            b.sections
                .iter()
                .flat_map(|s| &s.blocks)
                .any(|b| b.text.contains("wieder, die Deiche")),
            "{:?}",
            b.sections
        );
        // A compact numbered list with bullets under its items is a list.
        let b = parse_checked(
            "Release checklist\n\nGo through these steps.\n\n1. Freeze the branch\n- Lock merges\n\
             2. Run the tests\n- Check the flaky ones\n\nThat is all.\n",
        );
        assert!(
            b.sections.iter().all(|s| !s.title.starts_with("1.")),
            "{:?}",
            titles(&b)
        );
        // A numbered title over a lettered list.
        let b = parse_checked(
            "Board pack\n\n4. Decisions needed\na) Approve the budget.\nb) Note the change.\n",
        );
        assert_eq!(
            titles(&b),
            outline(&[(1, "Board pack"), (2, "4. Decisions needed")])
        );
        // A banner of test output is no wiki heading.
        assert_eq!(wiki_heading("======= FAILURES ======="), None);
    }

    #[test]
    fn a_name_in_capitals_heads_the_table_right_below_it() {
        let text = "Investor update\n\nHIGHLIGHTS\nRevenue grew by a third this quarter.\n\n\
                    KEY METRICS\n                    Q1        Q2       Change\n\
                    \x20 ARR            $2.6M     $3.4M       +31%\n\
                    \x20 Headcount         38        41        +3\n\nTEAM\nWe hired three engineers.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Investor update"),
                (2, "HIGHLIGHTS"),
                (2, "KEY METRICS"),
                (2, "TEAM"),
            ])
        );
        assert!(matches!(
            b.sections[2].blocks[0].kind,
            BlockKind::Code { .. }
        ));
    }

    #[test]
    fn a_text_that_underlines_its_headings_has_no_others() {
        let text = "Advisory\n\nSummary\n=======\n\nTwo flaws are fixed in 4.2.7.\n\n\
                    CVE-2025-31877: Heap overflow in the IKEv2 handler\n\
                    --------------------------------------------------\n\n\
                    CVSS 3.1: 9.8 (AV:N/AC:L/PR:N)\n\n\
                    A crafted packet can overflow a buffer in the parser.\n\n\
                    Workarounds\n===========\n\nBlock UDP 500.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Advisory"),
                (2, "Summary"),
                (3, "CVE-2025-31877: Heap overflow in the IKEv2 handler"),
                (2, "Workarounds"),
            ])
        );
    }

    #[test]
    fn a_line_right_below_the_title_is_its_subtitle() {
        let text = "INTERNAL AUDIT REPORT\nProcurement Controls, Fiscal Year 2024\n\n\
                    Section 1 — Scope\n\
                    We reviewed purchase orders above 25,000 EUR raised between January and\n\
                    December 2024.\n\n\
                    Section 2 — Method\n\
                    A random sample of 120 orders was tested against the approval matrix.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "INTERNAL AUDIT REPORT"),
                (2, "Section 1 — Scope"),
                (2, "Section 2 — Method"),
            ])
        );
        assert_eq!(
            blocks(&b.sections[0]),
            [para("Procurement Controls, Fiscal Year 2024")]
        );
        // A title right above its first numbered subheading.
        let text = "AUDIT\n\nSection 2 — Method\nA sample of 120 orders was tested against the matrix.\n\n\
                    Section 3 — Findings\n3.1 Split orders\nEleven orders were split to stay under it.\n\n\
                    3.2 Missing quotes\nFourteen orders lacked the three quotes required.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "AUDIT"),
                (2, "Section 2 — Method"),
                (2, "Section 3 — Findings"),
                (3, "3.1 Split orders"),
                (3, "3.2 Missing quotes"),
            ])
        );
    }

    #[test]
    fn short_or_closed_first_lines_are_still_titles() {
        for (text, title) in [
            // Short, whatever follows.
            (
                "Storm update\nwe restored power overnight.\n",
                "Storm update",
            ),
            // A headline over a byline, a date or a short line.
            (
                "Storm knocks out power to 40,000 homes across the coastal region.\nBy Jane Doe\n\nText.\n",
                "Storm knocks out power to 40,000 homes across the coastal region.",
            ),
            (
                "Regional infrastructure briefing for the week of the storm response\n27 November 2026\n\nText.\n",
                "Regional infrastructure briefing for the week of the storm response",
            ),
            (
                "Regional infrastructure briefing for the week of the storm response\nPrepared for the board\n\nText.\n",
                "Regional infrastructure briefing for the week of the storm response",
            ),
            // A byline or date below, in lower case; a name in lower case;
            // a dek of two sentences; a question; abbreviations.
            (
                "Storm knocks out power to 40,000 homes across the coastal region\nby Jane Doe, staff writer\n\nText.\n",
                "Storm knocks out power to 40,000 homes across the coastal region",
            ),
            (
                "Storm knocks out power to 40,000 homes across the coastal region\nupdated 27 November 2026, 14:05 GMT\n\nText.\n",
                "Storm knocks out power to 40,000 homes across the coastal region",
            ),
            (
                "Apple announces its new lineup at the September event in Cupertino\n\
                 iPhone 17 Pro and Apple Watch Series 11 headline the autumn launch event\n\nText.\n",
                "Apple announces its new lineup at the September event in Cupertino",
            ),
            (
                "Storm knocks out power to 40,000 homes across the coastal region\n\
                 Officials say crews will work through the night. Restoration could take days.\n\nText.\n",
                "Storm knocks out power to 40,000 homes across the coastal region",
            ),
            (
                "Will rates fall? Economists are divided on the outlook for 2027\n\
                 The central bank meets on Thursday with inflation still above its target\n\nText.\n",
                "Will rates fall? Economists are divided on the outlook for 2027",
            ),
            (
                "Smith vs. The State: what the ruling means for tenants in the city\n\
                 A long explanation of the case follows here, with the background and more\n\nText.\n",
                "Smith vs. The State: what the ruling means for tenants in the city",
            ),
            (
                "Quarterly results and outlook for Acme Industrial Holdings Co.\n\
                 The company reported revenue of 4.2 billion for the quarter ending in June\n\nText.\n",
                "Quarterly results and outlook for Acme Industrial Holdings Co.",
            ),
            // Short in columns, in any script.
            (
                "Сводка по шторму за неделю\nмы восстановили электроснабжение в большинстве районов\n\nТекст.\n",
                "Сводка по шторму за неделю",
            ),
            // A long subtitle, even with an abbreviation in it.
            (
                "Weekly Threat Intelligence Summary for Financial Sector Partners\n\
                 Covering activity observed between 30 Nov. and 6 Dec. by the U.S. desk\n\nText.\n",
                "Weekly Threat Intelligence Summary for Financial Sector Partners",
            ),
        ] {
            assert_eq!(parse_checked(text).title, title, "{text}");
        }
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
        assert_eq!(blocks(&b.sections[0]), [para("Demand peaked early.")]);
        assert_eq!(b.metadata.date.as_deref(), Some("3 March 2025"));
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
    fn underlines_of_other_adornments_are_headings_below_dashes() {
        // `=`, `-`, then the others in the order the body first uses
        // them: a PEP's `'`, Sphinx's `~` or `^`; a line of stars is an
        // underline too.
        let text = "Spec\n\nMotivation\n==========\n\nWhy.\n\nPrior art\n---------\n\n\
                    Some.\n\nThe form\n''''''''\n\nHow.\n\nOffline mode\n~~~~~~~~~~~~\n\n\
                    Read.\n\nThanks\n******\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Spec"),
                (2, "Motivation"),
                (3, "Prior art"),
                (4, "The form"),
                (5, "Offline mode"),
                (6, "Thanks"),
            ])
        );
        assert_eq!(blocks(&b.sections[3]), [para("How.")]);
        // Sphinx's `^` then `"` are two levels, not one.
        let b = parse_checked(
            "Doc\n\nPart\n====\n\nSub\n^^^\n\nText.\n\nDetail\n\"\"\"\"\"\"\n\nMore.\n",
        );
        assert_eq!(
            titles(&b),
            outline(&[(1, "Doc"), (2, "Part"), (4, "Sub"), (5, "Detail")])
        );
        // Spaced stars are a rule, not an underline.
        assert!(!is_underline("* * *"));
        assert!(!is_underline("~~"));
    }

    #[test]
    fn a_literal_block_after_two_colons_keeps_its_lines() {
        let text = "Notes\n\nUsage\n-----\n\nEach line holds a field::\n\n   Severity: high\n   \
                    Source: desk\n\n.. code-block:: python\n\n   def parse(h):\n       return h\n\nA plain \
                    line ends the block.\n\n   Indented prose after it\n   is joined.\n";
        let b = parse_checked(text);
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("Each line holds a field::"),
                code("Severity: high\nSource: desk"),
                para(".. code-block:: python"),
                code("def parse(h):\n    return h"),
                para("A plain line ends the block."),
                para("Indented prose after it is joined."),
            ]
        );
    }

    #[test]
    fn an_e_mails_quoted_text_is_quoted() {
        let text = "Re: Outage window\n\nREPLY\n\nAgreed, Saturday works.\n\nOn Friday, Ben wrote:\n\
                    > Can we move the window\n> to Saturday?\n>\n> > It was Friday.\n>> Or \
                    not.\nThanks.\n\nLatency\n>= 5 ms at peak.\n";
        let b = parse_checked(text);
        let got: Vec<(&str, u8, bool)> = b.sections[1]
            .blocks
            .iter()
            .map(|k| (k.text.as_str(), k.quote_depth, k.opens_quote))
            .collect();
        assert_eq!(
            got,
            [
                ("Agreed, Saturday works.", 0, false),
                ("On Friday, Ben wrote:", 0, false),
                ("Can we move the window to Saturday?", 1, true),
                // After a line of marks: within the quote above.
                ("It was Friday. Or not.", 2, false),
                ("Thanks.", 0, false),
                ("Latency >= 5 ms at peak.", 0, false),
            ]
        );
        assert_eq!(quoted(">"), Some((1, "")));
        assert_eq!(quoted(">>text"), Some((2, "text")));
        assert_eq!(quoted(">5%"), None);
    }

    #[test]
    fn fenced_code_keeps_its_lines_and_a_fence_never_closed_is_text() {
        let text = "Notes\n\nUSAGE\n\nRun this:\n```bash\n# install\ncargo install brief\n  \
                    more\n```\n\n#+BEGIN_SRC rust\nfn main() {}\n#+END_SRC\n\n```\nnot closed\n";
        let (b, _) = read(text, "x.txt", None);
        assert_eq!(
            b.sections[1]
                .blocks
                .iter()
                .map(|k| (k.kind.clone(), k.text.as_str()))
                .collect::<Vec<_>>(),
            [
                (BlockKind::Paragraph, "Run this:"),
                (
                    BlockKind::Code {
                        lang: "bash".into()
                    },
                    "# install\ncargo install brief\n  more"
                ),
                (
                    BlockKind::Code {
                        lang: "rust".into()
                    },
                    "fn main() {}"
                ),
                (BlockKind::Paragraph, "``` not closed"),
            ]
        );
        // Fences never closed stay text (and the search for a close is
        // made once for fences like them).
        let many = "T\n\n".to_owned() + &"```x\n".repeat(20_000);
        let b = parse(many, "x.txt", None);
        let texts: Vec<&str> = b
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .map(|k| k.text.as_str())
            .collect();
        assert_eq!(texts.concat().matches("```x").count(), 20_000);
        assert_eq!(fence("`````"), Some((Fence::Ticks(5), "")));
        assert_eq!(fence("``` a`b"), None);
        assert_eq!(fence("#+begin_example"), Some((Fence::Org, "")));
        assert_eq!(fence("#+BEGIN_SRCX"), None);
    }

    /// A memorandum in the form armies and ministries write them:
    /// numbered paragraphs with run-in titles, lettered subparagraphs, a
    /// signature block.
    const MEMORANDUM: &str = "MEMORANDUM FOR THE RECORD\n\n\
        SUBJECT: Outage of the billing service\n\n\
        1.  Purpose.  This memorandum records the outage of the billing service\n\
        and the steps taken to restore it.\n\n\
        2.  Background.  The service runs in two regions.\n\n\
        3.  Points of Contact:\n    a.  The failover script waited for a lock.\n\
        \x20   b.  Operators failed over by hand at 0951.\n\n\
        4.  Recommendations.  Replace the lock with a lease.\n\n\
        JANE DOE\nColonel, USAF\n";

    #[test]
    fn numbered_paragraphs_with_run_in_titles_open_sections() {
        let b = parse_checked(MEMORANDUM);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "MEMORANDUM FOR THE RECORD"),
                (2, "1. Purpose"),
                (2, "2. Background"),
                (2, "3. Points of Contact"),
                (2, "4. Recommendations"),
            ])
        );
        assert_eq!(b.sections[1].line, 5);
        assert_eq!(
            blocks(&b.sections[1]),
            [para(
                "This memorandum records the outage of the billing service and the steps taken to restore it."
            )]
        );
        assert_eq!(
            blocks(&b.sections[3]),
            [
                item("a.", "The failover script waited for a lock."),
                item("b.", "Operators failed over by hand at 0951."),
            ]
        );
        assert_eq!(
            blocks(&b.sections[4]),
            [
                para("Replace the lock with a lease."),
                para("JANE DOE\nColonel, USAF"),
            ]
        );
    }

    #[test]
    fn numbered_items_that_open_with_no_run_in_title_stay_a_list() {
        for text in [
            // Steps: a short sentence in sentence case is no title.
            "Steps\n\n1. Isolate the host. Pull the cable.\n\n2. Collect memory. Use the tool.\n\n\
             3. Notify the desk. Call the number.\n",
            // Abbreviations.
            "Panel\n\n1. Dr. Lee opens the session.\n\n2. Gen. Ortiz speaks next.\n",
            // One alone is not a body numbered so.
            "Notes\n\n1. Purpose. To record the outage.\n\nOther words follow here.\n",
            // A title ending a question, or with a comma in it.
            "Q\n\n1. Why? Because.\n\n2. Who, then. Nobody.\n",
        ] {
            let b = parse_checked(text);
            assert!(
                b.sections
                    .iter()
                    .all(|s| !s.title.starts_with(|c: char| c.is_ascii_digit())),
                "{text:?}: {:?}",
                titles(&b)
            );
        }
        assert_eq!(
            run_in("12.3. Scope of Work: all regions"),
            Some((2, "12.3. Scope of Work:", "all regions"))
        );
        assert_eq!(run_in("1. U.S. policy. Text"), None);
    }

    /// An e-mail whose paragraphs have their titles on a line above them,
    /// with an earlier message below it.
    const E_MAIL: &str = "From: Operations Desk <ops@example.org>\n\
        Sent: Thursday, December 3, 2026 9:12 AM\n\
        To: All Staff <staff@example.org>\n\
        Subject: Service status\n\n\
        Good morning,\n\n\
        Payments are fully restored as of 08:40.\n\n\
        What happened\nA certificate on the internal gateway expired at 07:55.\n\n\
        What we are doing\nWe are adding expiry alerts for every certificate.\n\n\
        Thanks,\nOps Desk\n\n\
        -----Original Message-----\n\
        From: Operations Desk <ops@example.org>\n\
        Sent: Thursday, December 3, 2026 8:05 AM\n\
        Subject: Service degraded\n\n\
        We are seeing failed card authorisations.\n";

    #[test]
    fn titles_right_above_their_paragraphs_open_sections_in_an_e_mail() {
        let text = E_MAIL;
        // The `Subject:` label is set aside: its value is the title; and
        // `Sent:`, Outlook's word for the date.
        let (b, aside) = parse_aside(text);
        assert_eq!(aside, ["Sent:", "Subject:"]);
        assert_eq!(
            b.metadata.date.as_deref(),
            Some("Thursday, December 3, 2026 9:12 AM")
        );
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Service status"),
                (2, "What happened"),
                (2, "What we are doing"),
                (2, "Original Message"),
            ])
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [para(
                "A certificate on the internal gateway expired at 07:55."
            )]
        );
        assert_eq!(
            blocks(&b.sections[3]),
            [
                para(
                    "From: Operations Desk <ops@example.org>\n\
                     Sent: Thursday, December 3, 2026 8:05 AM\n\
                     Subject: Service degraded"
                ),
                para("We are seeing failed card authorisations."),
            ]
        );
        // One such title alone is no pattern: its lines are a paragraph.
        let b = parse_checked(
            "Notes\n\nIntro text here.\n\nWhat happened\nA certificate on the gateway expired at 07:55.\n",
        );
        assert_eq!(titles(&b).len(), 3, "{:?}", titles(&b));
        assert!(b.sections.iter().all(|s| s.title != "What happened"));
        // Names over an address are no titles.
        let b = parse_checked(
            "Contacts\n\nJane Doe\nDirector of Operations, Example Corp, 12 Main Street\n\n\
             John Roe\nHead of Policy, Example Corp, 14 High Street, Springfield\n",
        );
        assert!(
            b.sections.iter().all(|s| s.title != "Jane Doe"),
            "{:?}",
            titles(&b)
        );
    }

    #[test]
    fn a_situation_report_is_labelled_by_its_labels_and_no_transcript() {
        let text = "SITUATION REPORT #14\nRiver Valley Flood Response\nAs of 0600, 6 December 2026\n\n\
            SITUATION: River levels fell overnight but remain above flood stage.\n\n\
            ACTIONS TAKEN: Crews placed sandbags along the east levee.\n\n\
            CASUALTIES: No deaths, and three minor injuries.\n\n\
            NEXT REPORT: 1800, 6 December 2026\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "SITUATION REPORT #14"),
                (2, "River Valley Flood Response"),
                (2, "SITUATION"),
                (2, "ACTIONS TAKEN"),
                (2, "CASUALTIES"),
                (2, "NEXT REPORT"),
            ])
        );
        assert!(b.sections.iter().all(|s| s.kind != SectionKind::Transcript));
        assert_eq!(
            b.metadata.date.as_deref(),
            Some("As of 0600, 6 December 2026")
        );
        // The paragraph keeps its label.
        assert_eq!(
            blocks(&b.sections[3]),
            [para(
                "ACTIONS TAKEN: Crews placed sandbags along the east levee."
            )]
        );
    }

    #[test]
    fn titles_right_above_lists_and_in_scripts_without_case() {
        let b = parse_checked(
            "Update\n\nWhat happened\nThe export job failed on a null column in the mapping.\n\n\
             Next steps\n1. Make the column mandatory.\n2. Add an alert.\n",
        );
        assert_eq!(
            titles(&b),
            outline(&[(1, "Update"), (2, "What happened"), (2, "Next steps")])
        );
        assert_eq!(
            blocks(&b.sections[2]),
            [
                item("1.", "Make the column mandatory."),
                item("2.", "Add an alert.")
            ]
        );
        // Arabic: no upper case, a date after a label of its own.
        let (b, _) = parse_aside(
            "نشرة الأمن الأسبوعية\nالتاريخ: 2027-02-25\n\nملخص\nشهد هذا الأسبوع ارتفاعاً في حملات التصيد الاحتيالي.\n\n\
             التوصيات\n1. تحديث الأنظمة فوراً.\n2. تفعيل المصادقة.\n",
        );
        assert_eq!(
            titles(&b),
            outline(&[(1, "نشرة الأمن الأسبوعية"), (2, "ملخص"), (2, "التوصيات")])
        );
        assert_eq!(b.metadata.date.as_deref(), Some("التاريخ: 2027-02-25"));
    }

    #[test]
    fn indented_commands_stay_lines_and_indented_prose_is_joined() {
        let b = parse_checked(
            "Install\n\nThe tool backs up a folder to a remote store each night, and keeps\n\
             thirty days of copies. It runs on Linux and macOS, and needs no\n\
             service of its own. Unpack the archive:\n\n\ttar xzf tool-3.2-linux-amd64.tar.gz\n\
             \tsudo cp tool /usr/local/bin/\n\nThe timeout is then:\n\n        \
             where UBOUND is an upper bound on the timeout and LBOUND\n        \
             is a lower bound on it.\n",
        );
        let all: Vec<_> = b.sections.iter().flat_map(blocks).collect();
        assert_eq!(
            all,
            [
                para(
                    "The tool backs up a folder to a remote store each night, and keeps thirty \
                     days of copies. It runs on Linux and macOS, and needs no service of its own. \
                     Unpack the archive:"
                ),
                code("tar xzf tool-3.2-linux-amd64.tar.gz\nsudo cp tool /usr/local/bin/"),
                para("The timeout is then:"),
                para(
                    "where UBOUND is an upper bound on the timeout and LBOUND is a lower bound on it."
                ),
            ]
        );
    }

    /// A security advisory signed in clear text, its rule lines escaped
    /// (`- ---`), its headings framed by rules.
    const SIGNED_ADVISORY: &str = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n\
        - -------------------------------------------------------------\n\
        Acme Security Advisory ASA-2027-004\n\
        - -------------------------------------------------------------\n\n\
        Severity:  High\nPublished: 2027-02-20\n\n\
        - -------------------------------------------------------------\n\
        I. Background\n\
        - -------------------------------------------------------------\n\n\
        libquill is an image decoding library used by document viewers.\n\n\
        - -------------------------------------------------------------\n\
        II. Problem Description\n\
        - -------------------------------------------------------------\n\n\
        The decoder trusts the tile width field.\n\n\
        -----BEGIN PGP SIGNATURE-----\n\n\
        iQIzBAEBCgAdFiEEx7Hs3p0fGq0vK1o2bL8r0m0aV3MFAmXU1AAACgkQbL8r0m0a\n\
        =AbCd\n-----END PGP SIGNATURE-----\n";

    #[test]
    fn a_signed_advisory_loses_its_armour_and_keeps_its_framed_headings() {
        let (b, aside) = parse_aside(SIGNED_ADVISORY);
        assert_eq!(aside.len(), 6, "{aside:?}");
        assert_eq!(aside[1], "Hash: SHA512");
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Acme Security Advisory ASA-2027-004"),
                (3, "I. Background"),
                (3, "II. Problem Description"),
            ])
        );
        // No rule is left of the frames; the signature is set aside.
        assert!(
            b.sections
                .iter()
                .flat_map(|s| &s.blocks)
                .all(|bl| bl.kind != BlockKind::Rule && !bl.text.contains("PGP")),
            "{:?}",
            b.sections
        );
        assert_eq!(
            b.warnings[0].message,
            "set aside 6 lines of page residue (a PGP signature)"
        );
        // Headings numbered in roman standing alone, unframed.
        let b = parse_checked(
            "Advisory\n\nI. Background\n\nlibquill is an image library.\n\n\
             II. Problem Description\n\nThe decoder overflows.\n",
        );
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Advisory"),
                (2, "I. Background"),
                (2, "II. Problem Description")
            ])
        );
        assert_eq!(roman_numbered("C. Persistence"), None);
        assert_eq!(roman_numbered("IV. Workaround"), Some("Workaround"));
    }

    #[test]
    fn labels_over_indented_blocks_are_headings() {
        let b = parse_checked(
            "SITUATION REPORT #12\n\nSITUATION:\n\tRiver levels at the gauge are 4.82 m and falling.\n\n\
             CASUALTIES:\n\tDeaths:\t\t0\n\tInjured:\t3 (minor)\n\n\
             ACTIONS TAKEN:\n\t- Residents evacuated to the school.\n\t- Road B4211 closed.\n",
        );
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "SITUATION REPORT #12"),
                (2, "SITUATION"),
                (2, "CASUALTIES"),
                (2, "ACTIONS TAKEN"),
            ])
        );
        // Minutes: agenda items with indented bodies, then a label further
        // left over its list, and a closing fact that is no title.
        let b = parse_checked(
            "Steering Committee Minutes\n\n1. Approval of minutes\n\
             \x20  The minutes of 21 October were approved without\n\
             \x20  changes, and signed by the chair of the committee.\n\n\
             2. Cost report\n   Chiara presented the October bill: EUR 412k, up\n\
             \x20  nine per cent on the month before, mostly compute.\n\
             \x20  Main drivers:\n     - GPU nodes left running\n\
             \x20  Emil asked for budgets per team, with alerts on each.\n\n\
             Action items:\n  - Dev: fix the chart (due 14 Nov)\n  - Emil: check egress\n\n\
             Next meeting: 18 November 2026, 14:00 CET\n",
        );
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Steering Committee Minutes"),
                (2, "1. Approval of minutes"),
                (2, "2. Cost report"),
                (2, "Action items"),
            ])
        );
    }

    #[test]
    fn an_agreement_s_articles_over_their_titles_and_its_lettered_items() {
        let mut text = String::from("DATA SHARING AGREEMENT\n\n");
        for (n, title) in
            ["I", "II", "III"]
                .iter()
                .zip(["DEFINITIONS", "SCOPE AND PURPOSE", "TERM"])
        {
            text.push_str(&format!(
                "ARTICLE {n}\n{title}\n\nSection 1.01. The Recipient shall implement, including:\n\
                 \x20  (a) encryption at rest;\n   (b) access limited to analysts; and\n\
                 \x20  (iv) quarterly reviews.\n\n"
            ));
        }
        let b = parse_checked(&text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "DATA SHARING AGREEMENT"),
                (2, "ARTICLE I — DEFINITIONS"),
                (2, "ARTICLE II — SCOPE AND PURPOSE"),
                (2, "ARTICLE III — TERM"),
            ])
        );
        assert_eq!(
            blocks(&b.sections[1])[1..],
            [
                item("(a)", "encryption at rest;"),
                item("(b)", "access limited to analysts; and"),
                item("(iv)", "quarterly reviews."),
            ]
        );
    }

    #[test]
    fn a_contact_block_keeps_its_lines() {
        let b = parse_checked(
            "Helix Raises Funds\n\nThe round was led by Northgate.\n\nMedia Contact:\nJordan Lee\n\
             press@helix.example\n+1 614 555 0199\n\nKofi Oduya\nHalvard Labs\nEmail: k.oduya@halvard.example\n\n\
             Call us at 555 0199 or write to us, and we will answer within\na day: press@helix.example.\n",
        );
        let all: Vec<_> = b.sections.iter().flat_map(blocks).collect();
        assert_eq!(
            all[1..],
            [
                para("Media Contact:\nJordan Lee\npress@helix.example\n+1 614 555 0199"),
                para("Kofi Oduya\nHalvard Labs\nEmail: k.oduya@halvard.example"),
                // Prose that names an address is still prose.
                para(
                    "Call us at 555 0199 or write to us, and we will answer within a day: \
                     press@helix.example."
                ),
            ]
        );
    }

    #[test]
    fn japanese_lines_join_without_spaces_under_full_width_numbers() {
        let (b, _) = parse_aside(
            "障害報告書\n2027年4月8日\n\n１．概要\n基幹販売システムにおいて受注登録が\nできない障害が発生しました。\n\n\
             ２．原因\nAmazonで\nソフトウェアの設定を\nchanged it back.\n",
        );
        assert_eq!(
            titles(&b),
            outline(&[(1, "障害報告書"), (2, "１．概要"), (2, "２．原因")])
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [para(
                "基幹販売システムにおいて受注登録ができない障害が発生しました。"
            )]
        );
        // Between a Latin letter and a kana, and between two Latin words,
        // the space stays.
        assert_eq!(
            blocks(&b.sections[2]),
            [para("Amazonでソフトウェアの設定を changed it back.")]
        );
        assert_eq!(b.metadata.date.as_deref(), Some("2027年4月8日"));
        // Thai, like Chinese and Japanese, writes no spaces between words;
        // Korean does.
        assert!(crate::loader::joins_unspaced("ภาษา", "ไทย"));
        assert!(!crate::loader::joins_unspaced("주간", "보안"));
        assert!(is_date_line("2027년 6월 7일 (월)"));
        assert!(!is_date_line("2027年度の予算"));
    }

    #[test]
    fn titles_over_blocks_indented_under_them_open_sections() {
        let b = parse_checked(
            "NOC SHIFT HANDOVER\n\nSummary\nQuiet night overall, one incident still open in FRA2.\n\n\
             Open incidents\n  INC-40211  P2  FRA2 storage latency spikes\n  INC-40198  P4  Printer queue stuck\n\n\
             Next steps\nRenew earlier.\n\nGlossary\n\nTerm One\n      What the first term means here.\n",
        );
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "NOC SHIFT HANDOVER"),
                (2, "Summary"),
                (2, "Open incidents"),
                (2, "Next steps"),
                (2, "Glossary"),
            ])
        );
        // The table under its title keeps its columns; a term over its
        // definition, four columns in, stays text.
        assert_eq!(
            blocks(&b.sections[2]),
            [code(
                "INC-40211  P2  FRA2 storage latency spikes\nINC-40198  P4  Printer queue stuck"
            )]
        );
        assert_eq!(
            blocks(&b.sections[4]).len(),
            1,
            "{:?}",
            blocks(&b.sections[4])
        );
    }

    #[test]
    fn what_looks_like_a_field_or_an_item_but_is_not() {
        // A telephone number and a copyright are no list items; columns
        // stay columns; a deadline is no date.
        let b = parse_checked(
            "Notice\n\nThe office opens at nine every day of the week.\n\nMedia Contact:\nJordan Lee\n(614) 555-0199\n\n\
             (c) 2026 Helix Labs\n\nTime:    10:00    Room A\nTime:    11:00    Room B\n\n\
             Deadline: 3 December 2026\n",
        );
        let all: Vec<_> = b.sections.iter().flat_map(blocks).collect();
        assert_eq!(
            all[1..],
            [
                para("Media Contact:\nJordan Lee\n(614) 555-0199"),
                para("(c) 2026 Helix Labs"),
                code("Time:    10:00    Room A\nTime:    11:00    Room B"),
                para("Deadline: 3 December 2026"),
            ]
        );
        assert_eq!(b.metadata.date, None);
        assert!(is_date_line("Datum: 3 December 2026"));
    }

    #[test]
    fn a_classification_banner_is_a_fact_and_an_org_timestamp_a_date() {
        let b = parse_checked(
            "UNCLASSIFIED//FOR OFFICIAL USE ONLY\n\nREGIONAL SECURITY DAILY BRIEF\n\n\
             Militia activity rose for a third day along the corridor.\n",
        );
        assert_eq!(b.title, "REGIONAL SECURITY DAILY BRIEF");
        assert_eq!(
            b.metadata.extra,
            pairs(&[("classification", "UNCLASSIFIED//FOR OFFICIAL USE ONLY")])
        );
        assert!(is_classification("TLP:AMBER+STRICT") && is_classification("OFFICIAL-SENSITIVE"));
        assert!(!is_classification("SECRETS OF THE TRADE") && !is_classification("Secret"));
        assert_eq!(
            org_keyword("#+DATE: <2027-03-19 Fri>"),
            Some(("DATE".to_string(), "2027-03-19".to_string()))
        );
        assert_eq!(
            org_keyword("#+DATE: [2027-03-19 Fri 10:00]"),
            Some(("DATE".to_string(), "2027-03-19 10:00".to_string()))
        );
    }

    #[test]
    fn a_timeline_and_a_chat_log_keep_an_entry_per_line() {
        let b = parse_checked(
            "Incident 42\n\nTIMELINE\n\n14:02 Alerts fired for checkout latency\n14:05 On-call paged,\n\
             \x20 then the rollback began\n2026-12-07 14:47 Latency back to normal\n\n\
             [10:42] alice: is the deploy done?\n[10:43] bob: yes\n\n\
             The outage began at\n14:02 when alerts fired, and lasted until the rollback.\n",
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para(
                    "14:02 Alerts fired for checkout latency\n14:05 On-call paged, then the \
                     rollback began\n2026-12-07 14:47 Latency back to normal"
                ),
                para("[10:42] alice: is the deploy done?\n[10:43] bob: yes"),
                // A sentence wrapped before a time is prose.
                para("The outage began at 14:02 when alerts fired, and lasted until the rollback."),
            ]
        );
    }

    #[test]
    fn a_signature_block_keeps_its_lines() {
        let b = parse_checked(
            "Note\n\nBACKGROUND\n\nThe plan is ready.\n\nJANE DOE\nColonel, USAF\nCommander\n",
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("The plan is ready."),
                para("JANE DOE\nColonel, USAF\nCommander"),
            ]
        );
    }

    #[test]
    fn a_sign_off_keeps_its_lines() {
        let text = "Memo\n\nNOTE\n\nThe plan is ready.\n\nRegards,\nJ. Smith\nDirector,  Policy Unit\n\n\
                    -- \nSecurity Operations\nsecops@example.org\n\nHowever,\nthe team decided to \
                    wait.\n";
        let b = parse_checked(text);
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("The plan is ready."),
                para("Regards,\nJ. Smith\nDirector, Policy Unit"),
                para("--\nSecurity Operations\nsecops@example.org"),
                // Not a closing: a paragraph as any other.
                para("However, the team decided to wait."),
            ]
        );
    }

    #[test]
    fn marked_headings_lose_their_marks_and_take_levels_from_them() {
        assert_eq!(pattern_title("== Risks =="), "Risks");
        assert_eq!(pattern_title("## Risks"), "Risks");
        assert_eq!(pattern_title("*** Deep  part"), "Deep part");
        assert_eq!(pattern_title("== C# == C++"), "C# == C++");
        assert_eq!(pattern_title("Chapter 2"), "Chapter 2");
        assert_eq!(pattern_level("= Title"), 1);
        assert_eq!(pattern_level("=== Sub"), 3);
        // Org's top headings sit under the title.
        assert_eq!(pattern_level("* Top"), 2);
        assert_eq!(pattern_level("####### Seven"), MAX_LEVEL);
        assert_eq!(pattern_level("#tag"), 2);
        let adoc = Regex::new(r"^={1,6}[ \t]+\S").expect("valid regex");
        let text = "= Design Brief\n\n== Problem\n\nStaff lose work.\n\n=== Non-goals\n\nSync.\n";
        let b = parse(text.to_owned(), "x.adoc", Some(&adoc));
        assert_eq!(b.title, "Design Brief");
        assert_eq!(
            titles(&b),
            outline(&[(1, "Design Brief"), (2, "Problem"), (3, "Non-goals")])
        );
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
            outline(&[(1, "Report"), (2, "Contents"), (2, "1. Introduction")])
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [code(
                "1.  Introduction . . . . . . . 4\n\n2.  Findings ................ 9"
            )]
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
    fn form_feed_is_page_break_and_a_cut_sentence_is_joined() {
        let text = "Report\n\nFirst page text\x0Cstill text.\n\x0C\nSECOND\x0C\nPage two.\x0C";
        let b = parse_checked(text);
        assert_eq!(titles(&b), outline(&[(1, "Report"), (2, "SECOND")]));
        assert_eq!(
            blocks(&b.sections[0]),
            [para("First page text still text.")]
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

    fn kinds(b: &Briefing) -> Vec<(SectionKind, u8, String)> {
        b.sections
            .iter()
            .map(|s| (s.kind, s.level, s.title.clone()))
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|&(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// A page of an RFC: running header, `body` lines, padding, footer.
    fn rfc_page(number: usize, body: &str) -> String {
        let mut page = String::new();
        if number > 1 {
            page.push_str(
                "\nRFC 9999                 Example Protocol                  May 2001\n\n",
            );
        }
        page.push_str(body);
        page.push_str(
            "\n\n\nDoe                          Informational                     [Page ",
        );
        page.push_str(&number.to_string());
        page.push_str("]\n\x0C");
        page
    }

    #[test]
    fn tabs_expand_to_multiples_of_eight() {
        let b = parse_checked("Report\n\nDATA\n\nName\tValue\nAda\t1\nGrace Hopper\t2\n");
        assert_eq!(
            blocks(&b.sections[1]),
            [code("Name    Value\nAda     1\nGrace Hopper    2")]
        );
        assert_eq!(expand_tabs("a\tb\n\tc"), "a       b\n        c");
    }

    #[test]
    fn rfc_header_block_goes_to_metadata_and_the_centred_line_is_the_title() {
        let text = "Example Working Group                                     J. Doe\nRequest for Comments: 9999                               Acme Inc\nObsoletes: 1111, 2222,                                  R. Roe\n           3333                                       Roe Labs\nCategory: Informational                                May 2001\n\n\n              The Example Protocol for Testing Things\n\nAbstract\n\n   This memo describes a protocol for things that are connected to\n   other things.\n";
        let b = parse_checked(text);
        assert_eq!(b.title, "The Example Protocol for Testing Things");
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "The Example Protocol for Testing Things"),
                (2, "Abstract")
            ])
        );
        assert_eq!(b.sections[0].line, 8);
        assert_eq!(
            b.metadata,
            Metadata {
                date: Some("May 2001".to_string()),
                source: Some("Example Working Group".to_string()),
                extra: pairs(&[
                    ("author", "J. Doe, Acme Inc"),
                    ("Request for Comments", "9999"),
                    ("Obsoletes", "1111, 2222, 3333"),
                    ("author", "R. Roe, Roe Labs"),
                    ("Category", "Informational"),
                ]),
                ..Metadata::default()
            }
        );
    }

    #[test]
    fn rfc_affiliations_join_their_author() {
        let mut md = Metadata::default();
        let text = "Group                         A. Author\nRFC: 1                        Org One\n                              B. Other, Ed.\n                              Org Two\n";
        let lines = split_lines(text).lines;
        read_header(&lines[..4], &mut md);
        assert_eq!(
            md.extra,
            pairs(&[
                ("author", "A. Author, Org One"),
                ("RFC", "1"),
                ("author", "B. Other, Ed., Org Two"),
            ])
        );
    }

    #[test]
    fn page_furniture_is_removed_counted_and_cut_sentences_joined() {
        let mut text = String::from(
            "Network Working Group                                      J. Doe\nRequest for Comments: 9999                                May 2001\n\n\n                      Example Protocol\n\n",
        );
        text.push_str(&rfc_page(1, "1.  Introduction\n\n   The protocol connects things to other things, and this text\n   continues"));
        text.push_str(&rfc_page(
            2,
            "   on the next page.\n\n2.  Terms\n\n   A term is a word.",
        ));
        text.push_str(&rfc_page(3, "3.  Rules\n\n   A rule is a line."));
        text.push_str(&rfc_page(4, "4.  End\n\n   Nothing more."));
        let (b, aside) = parse_aside(&text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Example Protocol"),
                (2, "1. Introduction"),
                (2, "2. Terms"),
                (2, "3. Rules"),
                (2, "4. End"),
            ])
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [para(
                "The protocol connects things to other things, and this text continues on the next page."
            )]
        );
        assert_eq!(aside.len(), 7);
        assert!(
            aside
                .iter()
                .all(|l| l.contains("[Page ") || l.starts_with("RFC 9999"))
        );
        assert_eq!(
            b.warnings,
            [Warning::new(
                None,
                "removed 7 lines of page headers and footers"
            )]
        );
        // Without form feeds the `[Page N]` footers end the pages.
        let (b, aside) = parse_aside(&text.replace('\x0C', ""));
        assert_eq!(
            titles(&b)[1..],
            outline(&[
                (2, "1. Introduction"),
                (2, "2. Terms"),
                (2, "3. Rules"),
                (2, "4. End"),
            ])[..]
        );
        assert_eq!(aside.len(), 7, "{aside:?}");
        assert!(
            aside
                .iter()
                .all(|l| l.contains("[Page ") || l.starts_with("RFC 9999"))
        );
    }

    #[test]
    fn running_headers_every_fifty_lines_without_form_feeds_are_removed() {
        let mut text = String::from("Annual Report\n\n");
        for page in 1..=4 {
            text.push_str(&format!(
                "Acme Annual Report 2025                       Page {page}\n\n"
            ));
            for line in 0..47 {
                text.push_str(&format!(
                    "Line {line} of page {page} says something plain.\n"
                ));
            }
            text.push('\n');
        }
        let (b, aside) = parse_aside(&text);
        assert_eq!(aside.len(), 4, "{aside:?}");
        assert_eq!(
            b.warnings,
            [Warning::new(
                None,
                "removed 4 lines of page headers and footers"
            )]
        );
    }

    #[test]
    fn a_repeated_line_in_the_text_is_not_furniture() {
        let text = "Notes\n\nMinutes\n\nThe council met.\n\nMinutes\n\nThe council met again.\n\nMinutes\n\nAnd again.\n";
        let b = parse_checked(text);
        assert!(b.warnings.is_empty());
    }

    #[test]
    fn gutenberg_licence_is_boilerplate_around_the_content() {
        let text = "The Project Gutenberg EBook of Essays, by A. Writer\n\nThis eBook is for the use of anyone anywhere at no cost.\n\nTitle: Essays\n\nAuthor: A. Writer\n\n*** START OF THIS PROJECT GUTENBERG EBOOK ESSAYS ***\n\nProduced by Volunteers\n\n          ESSAYS\n\nCHAPTER I\n\nIt was a dark night and the wind was high.\n\nCHAPTER II\n\nThe morning came.\n\nCHAPTER III\n\nIt rained.\n\nEnd of the Project Gutenberg EBook of Essays, by A. Writer\n\n*** END OF THIS PROJECT GUTENBERG EBOOK ESSAYS ***\n\nThe Full Project Gutenberg License applies.\n";
        let b = parse_checked(text);
        assert_eq!(b.title, "Essays");
        assert_eq!(
            kinds(&b),
            [
                (
                    SectionKind::Boilerplate,
                    1,
                    "Front matter (Project Gutenberg licence)".to_string()
                ),
                (SectionKind::Lead, 1, "Essays".to_string()),
                (SectionKind::Heading, 2, "CHAPTER I".to_string()),
                (SectionKind::Heading, 2, "CHAPTER II".to_string()),
                (SectionKind::Heading, 2, "CHAPTER III".to_string()),
                (
                    SectionKind::Boilerplate,
                    1,
                    "Back matter (Project Gutenberg licence)".to_string()
                ),
            ]
        );
        assert_eq!(
            blocks(&b.sections[0]).last(),
            Some(&para("Produced by Volunteers"))
        );
        assert_eq!(blocks(&b.sections[1]), [code("ESSAYS")]);
        assert_eq!(
            blocks(&b.sections[5]),
            [
                para("End of the Project Gutenberg EBook of Essays, by A. Writer"),
                para("*** END OF THIS PROJECT GUTENBERG EBOOK ESSAYS ***"),
                para("The Full Project Gutenberg License applies."),
            ]
        );
    }

    /// Three essays in the layout of the Federalist Papers.
    const ESSAYS: &str = "The Essays\n\nFEDERALIST. No. 1\n\n\nGeneral Introduction\n\nFor the Independent Journal.\n\n\nHAMILTON\n\n\nTo the People of the State of New York:\n\nAFTER an unequivocal experience of the inefficacy of the\nsubsisting federal government, you are called upon to deliberate.\n\nI propose to discuss the following\ninteresting particulars:\n\nTHE UTILITY OF THE UNION TO YOUR POLITICAL PROSPERITY\n\nand the rest.\n\nPUBLIUS.\n\nFEDERALIST No. 2\n\nConcerning Dangers from Foreign Force and Influence\n\n(Concerning Dangers From Foreign Force and Influence)\n\nFor the Independent Journal.\n\nJAY\n\nWHEN the people of America reflect, they decide.\n\nPUBLIUS.\n\nFEDERALIST No. 3\n\nThese Departments Should Not Be So Far Separated as to Have No\n\nConstitutional Control Over Each Other\n\nFrom the New York Packet. Friday, February 1, 1788.\n\nHAMILTON AND MADISON\n\nIT WAS shown in the last paper that the departments must be kept apart.\n\nPUBLIUS.\n";

    #[test]
    fn recurring_labels_are_headings_with_their_titles_and_bylines_stay_in_the_body() {
        let b = parse_checked(ESSAYS);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "The Essays"),
                (2, "FEDERALIST. No. 1 — General Introduction"),
                (
                    2,
                    "FEDERALIST No. 2 — Concerning Dangers from Foreign Force and Influence"
                ),
                (
                    2,
                    "FEDERALIST No. 3 — These Departments Should Not Be So Far Separated as to Have No Constitutional Control Over Each Other"
                ),
            ])
        );
        assert_eq!(
            blocks(&b.sections[1])[..3],
            [
                para("For the Independent Journal."),
                para("HAMILTON"),
                para("To the People of the State of New York:"),
            ]
        );
        assert_eq!(
            blocks(&b.sections[2])[..3],
            [
                para("(Concerning Dangers From Foreign Force and Influence)"),
                para("For the Independent Journal."),
                para("JAY"),
            ]
        );
        assert_eq!(blocks(&b.sections[3])[1], para("HAMILTON AND MADISON"));
        let lines: Vec<usize> = b.sections.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 3, 28, 42]);
    }

    #[test]
    fn label_words_rank_their_levels_and_figures_are_no_labels() {
        let text = "Book\n\nPART I\n\nIntro text here.\n\nChapter 1: Dawn\n\nText.\n\nChapter 2: Noon\n\nText.\n\nPART II\n\nMore.\n\nChapter 3: Dusk\n\nText.\n\nPART III\n\nEnd.\n\nFigure 1\n\nA drawing.\n\nFigure 2\n\nA drawing.\n\nFigure 3\n\nA drawing.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Book"),
                (2, "PART I"),
                (3, "Chapter 1: Dawn"),
                (3, "Chapter 2: Noon"),
                (2, "PART II"),
                (3, "Chapter 3: Dusk"),
                (2, "PART III"),
            ])
        );
    }

    #[test]
    fn labels_that_do_not_recur_or_rise_are_not_headings() {
        let text = "Notes\n\nStep 3\n\ntext follows here.\n\nRound 5\n\nPlay.\n\nRound 2\n\nPlay.\n\nRound 9\n\nPlay.\n\nRound 1\n\nPlay.\n";
        let b = parse_checked(text);
        assert_eq!(titles(&b)[0], (1, "Notes".to_string()));
        assert!(
            b.sections[1..]
                .iter()
                .all(|s| s.kind == SectionKind::Paragraph)
        );
    }

    #[test]
    fn contents_without_leaders_add_no_entries_and_each_entry_is_a_heading_once() {
        let text = "Spec\n\nTable of Contents\n\n   1.  Scope\n   2.  Terms\n     2.1.  Words\n   Acknowledgments\n\n1.  Scope\n\n   This covers the scope of the spec in a few words of prose.\n\n2.  Terms\n\n   Terms are defined here for the reader of this spec.\n\n2.1.  Words\n\n   Words are terms.\n\nAcknowledgments\n\n   Thanks to all.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Spec"),
                (2, "Table of Contents"),
                (2, "1. Scope"),
                (2, "2. Terms"),
                (3, "2.1. Words"),
                (2, "Acknowledgments"),
            ])
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [code("1.  Scope\n2.  Terms\n  2.1.  Words\nAcknowledgments")]
        );
    }

    #[test]
    fn a_contents_entry_makes_a_heading_the_layout_would_miss() {
        let text = "Brief\n\nContents\n\nBackground\nWhat we found\n\nBackground\n\nShort.\n\nWhat we found\n\nLittle.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Brief"),
                (2, "Contents"),
                (2, "Background"),
                (2, "What we found"),
            ])
        );
    }

    #[test]
    fn contents_end_before_prose_and_wrapped_entries_join() {
        let text = "Spec\n\nContents\n\n1.  Set the Field (Version Four or\n      Version Six) . . . . . . 2\n2.  Rules . . . . . . . . . . . 3\n\nOverview\n\nThis spec sets the field and the rules that go with it, in prose.\n\n1.  Set the Field (Version Four or\n    Version Six)\n\nText.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Spec"),
                (2, "Contents"),
                (2, "Overview"),
                (2, "1. Set the Field (Version Four or Version Six)"),
            ])
        );
    }

    #[test]
    fn news_opening_goes_to_metadata_and_residue_is_set_aside() {
        let text = "Skip to main content\nCity Council Approves Budget | Springfield Gazette\nCity Council Approves Budget\nBy Jane Doe\nNov. 3, 2025\nContact: press@springfield.example\n\nSPRINGFIELD, Nov. 3 (Gazette) - The council approved the budget\non Monday after a long debate.\n\nThe mayor welcomed the vote.\n\n###\n";
        let (b, aside) = parse_aside(text);
        assert_eq!(b.title, "City Council Approves Budget");
        assert_eq!(
            b.metadata,
            Metadata {
                date: Some("Nov. 3, 2025".to_string()),
                source: Some("Springfield Gazette".to_string()),
                extra: pairs(&[
                    ("byline", "By Jane Doe"),
                    ("Contact", "press@springfield.example"),
                    ("dateline", "SPRINGFIELD, Nov. 3 (Gazette)"),
                ]),
                ..Metadata::default()
            }
        );
        assert_eq!(
            kinds(&b),
            [
                (
                    SectionKind::Heading,
                    1,
                    "City Council Approves Budget".to_string()
                ),
                (
                    SectionKind::Paragraph,
                    2,
                    "The council approved the budget on Monday after…".to_string()
                ),
                (
                    SectionKind::Paragraph,
                    2,
                    "The mayor welcomed the vote.".to_string()
                ),
            ]
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [para(
                "The council approved the budget on Monday after a long debate."
            )]
        );
        assert_eq!(
            aside,
            [
                "|",
                "-",
                "Skip to main content",
                "City Council Approves Budget",
                "###"
            ]
        );
        assert_eq!(
            b.warnings,
            [Warning::new(
                None,
                "set aside 3 lines of page residue (navigation links, a repeated headline, end markers)"
            )]
        );
    }

    #[test]
    fn release_line_source_and_dash_dateline() {
        let text = "FOR IMMEDIATE RELEASE\n\nAcme Opens a Plant\n\nSource: Acme Corp\n\nLONDON — Acme opened a plant on Tuesday.\n\n-30-\n";
        let (b, aside) = parse_aside(text);
        assert_eq!(b.title, "Acme Opens a Plant");
        assert_eq!(b.metadata.source.as_deref(), Some("Acme Corp"));
        assert_eq!(
            b.metadata.extra,
            pairs(&[("release", "FOR IMMEDIATE RELEASE"), ("dateline", "LONDON")])
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [para("Acme opened a plant on Tuesday.")]
        );
        assert_eq!(aside, ["Source:", "—", "-30-"]);
    }

    #[test]
    fn a_block_of_fields_opening_the_body_goes_to_metadata() {
        let text = "Incident Report INC-3310\n\nStatus: Resolved\nSeverity: SEV-2\n\
                    Date: 4 December 2026\n\nSummary\n-------\n\nLatency rose for \
                    45 minutes.\n\nNote: one line of fields is text.\n";
        let (b, aside) = parse_aside(text);
        assert_eq!(aside, ["Date:"]);
        assert_eq!(b.metadata.date.as_deref(), Some("4 December 2026"));
        assert_eq!(
            b.metadata.extra,
            pairs(&[("Status", "Resolved"), ("Severity", "SEV-2")])
        );
        assert_eq!(
            blocks(&b.sections[1]),
            [
                para("Latency rose for 45 minutes."),
                para("Note: one line of fields is text.")
            ]
        );
    }

    #[test]
    fn fields_opening_the_text_give_the_title_and_the_metadata() {
        // An e-mail: its headers, one folded, then the message.
        let text = "From: Security Operations <secops@example.org>\nTo: all-staff\n\
                    Date: Mon, 7 Dec 2026 09:14:02 +0000\nSubject: Phishing campaign\n\
                    \x20targeting payroll\nMessage-ID: <abc@example.org>\n\nTeam,\n\n\
                    We have seen a phishing campaign.\n\nWHAT TO DO\n\nReport it.\n";
        let (b, aside) = parse_aside(text);
        assert_eq!(b.title, "Phishing campaign targeting payroll");
        assert_eq!(
            titles(&b),
            [
                (1, "Phishing campaign targeting payroll".to_owned()),
                (2, "WHAT TO DO".to_owned())
            ]
        );
        assert_eq!(b.sections[0].line, 4);
        assert_eq!(aside, ["Date:", "Subject:"]);
        assert_eq!(
            b.metadata.date.as_deref(),
            Some("Mon, 7 Dec 2026 09:14:02 +0000")
        );
        assert_eq!(
            b.metadata.extra,
            pairs(&[
                ("From", "Security Operations <secops@example.org>"),
                ("To", "all-staff"),
                ("Message-ID", "<abc@example.org>")
            ])
        );
        assert_eq!(
            blocks(&b.sections[0]),
            [para("Team,"), para("We have seen a phishing campaign.")]
        );
        // A PEP's preamble, an author continued on an indented line.
        let text = "PEP: 9999\nTitle: Structured headers\nAuthor: Jane Doe,\n\
                    \x20       John Roe\nStatus: Draft\n\n\nAbstract\n========\n\n\
                    This PEP proposes a header.\n";
        let (b, aside) = parse_aside(text);
        assert_eq!(aside, ["Title:"]);
        assert_eq!(
            titles(&b),
            [
                (1, "Structured headers".to_owned()),
                (2, "Abstract".to_owned())
            ]
        );
        assert_eq!(
            b.metadata.extra,
            pairs(&[
                ("PEP", "9999"),
                ("Author", "Jane Doe, John Roe"),
                ("Status", "Draft")
            ])
        );
        // Without a title among them, the first line is still the title
        // and a transcript's labels stay text.
        let b = parse_checked("Q: Who called?\nA: The mayor.\n\nQ: When?\nA: At noon.\n");
        assert!(b.metadata.extra.iter().all(|(k, _)| k == "speakers"));
    }

    #[test]
    fn a_memorandum_header_goes_to_metadata() {
        let text = "MEMORANDUM FOR THE COUNCIL\n\nFROM:    Policy Planning Staff\n\
                    DATE:    3 December 2026\nSUBJECT: Grid resilience after the storms\n\n\
                    I. BACKGROUND\n\nThe storms cut power.\n\nII. FINDINGS\n\nThree \
                    substations flooded.\n";
        let (b, aside) = parse_aside(text);
        assert_eq!(aside, ["DATE:"]);
        assert_eq!(b.metadata.date.as_deref(), Some("3 December 2026"));
        // It is known by its subject.
        assert_eq!(b.title, "Grid resilience after the storms");
        assert_eq!(
            b.metadata.extra,
            pairs(&[
                ("FROM", "Policy Planning Staff"),
                ("SUBJECT", "Grid resilience after the storms")
            ])
        );
        // With the header out of the body, the first heading stands alone.
        let titles: Vec<&str> = b.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "MEMORANDUM FOR THE COUNCIL",
                "I. BACKGROUND",
                "II. FINDINGS"
            ]
        );
    }

    #[test]
    fn lettered_labels_in_sequence_are_headings_under_the_one_above() {
        let text = "MEMO\n\nI. FINDINGS\n\nA. Transmission\n\nThree substations flooded.\n\n\
                    B. Distribution\n\nPoles failed.\n\nII. NEXT STEPS\n\nStaff will \
                    brief.\n\nRegards,\n\nJ. Smith\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            [
                (1, "MEMO".to_owned()),
                (2, "I. FINDINGS".to_owned()),
                (3, "A. Transmission".to_owned()),
                (3, "B. Distribution".to_owned()),
                (2, "II. NEXT STEPS".to_owned()),
            ]
        );
        // A lone letter is a name, not a heading.
        assert!(!lettered_in_sequence(
            &split_lines("Regards,\n\nJ. Smith\n").lines,
            2,
            b'J'
        ));
    }

    #[test]
    fn dates_bylines_and_datelines_are_recognised() {
        for date in [
            "Wednesday, 18 November 2026 - 11:00 local time",
            "20 November 2026",
            "Nov. 3, 2025",
            "September 1981",
            "2026-11-25",
            "Updated: March 4, 2024 at 9:30 am ET",
            "Tuesday, November 20, 1787.",
        ] {
            assert!(is_date_line(date), "{date}");
        }
        for not_date in [
            "May the best win",
            "November 3 people came",
            "In 2026 we grew",
        ] {
            assert!(!is_date_line(not_date), "{not_date}");
        }
        assert!(is_byline("By Jane Doe and John Roe, Reuters"));
        assert!(is_byline("Prepared by the Technical Review Panel"));
        assert!(!is_byline("By the time we arrived, it was over."));
        assert_eq!(
            dateline("WASHINGTON, Nov. 3 (Reuters) - The Senate voted."),
            Some(("WASHINGTON, Nov. 3 (Reuters)", "The Senate voted."))
        );
        assert_eq!(
            dateline("NEW YORK (AP) -- Stocks fell."),
            Some(("NEW YORK (AP)", "Stocks fell."))
        );
        assert_eq!(dateline("MODERATOR: Good morning - all."), None);
        assert_eq!(dateline("COVID-19 cases rose."), None);
    }

    #[test]
    fn a_transcript_without_headings_becomes_questions_and_remarks() {
        let text = "Press Briefing on Rail Services\nWednesday, 18 November 2026 - 11:00 local time\n\nMODERATOR: Good morning. The spokesperson will\nmake a statement.\n\nMS. ALVAREZ: Thank you. The timetable changes.\n\nQ: Marco Ruiz, Radio Centro. How long will the work last?\n\nMS. ALVAREZ: Fourteen weeks.\n\nMODERATOR: Thank you all.\n\n# # #\n";
        let (b, _) = parse_aside(text);
        assert_eq!(
            kinds(&b),
            [
                (
                    SectionKind::Heading,
                    1,
                    "Press Briefing on Rail Services".to_string()
                ),
                (
                    SectionKind::Transcript,
                    2,
                    "MODERATOR — opening remarks".to_string()
                ),
                (
                    SectionKind::Transcript,
                    2,
                    "MS. ALVAREZ — opening remarks".to_string()
                ),
                (
                    SectionKind::Transcript,
                    2,
                    "Q: How long will the work last?".to_string()
                ),
                (
                    SectionKind::Transcript,
                    2,
                    "MODERATOR — closing remarks".to_string()
                ),
            ]
        );
        assert_eq!(
            b.metadata.date.as_deref(),
            Some("Wednesday, 18 November 2026 - 11:00 local time")
        );
        let lines: Vec<usize> = b.sections.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 4, 7, 9, 13]);
    }

    #[test]
    fn false_heading_traps() {
        // A list in capitals after a colon, a signature after `Sincerely,`,
        // a signature block, a numbered line in a diagram, a short sentence
        // with a comma, a definition term, a list of names, and the title
        // repeated.
        let text = "Letter\n\nTHE PLAN\n\nDear Sir\n\nWe write about the plan that the council approved last week, in detail.\n\nWe propose the following interesting particulars:\n\nTHE UTILITY OF THE UNION\n\nThat is all I have to say about the matter at hand today.\n\nSincerely,\n\nJANE DOE\n\nFor example, the text\n\n      Yes, Jim, I found it, but you can probably pick it up later\n      from the other site.\n\n   6.  (2 MSL)\n       CLOSED\n\nResource\n\n      This specification does not limit the scope of what might be\n      a resource.\n\nAlice Smith\n\nBob Jones\n\nCarol White\n\nThanks go to all of these people for their careful reviews of the text.\n\nLETTER\n\nThe letter ends here with a few more words of plain prose.\n\nJOHN SMITH\nChief Executive\nAcme Ltd\n";
        let b = parse_checked(text);
        assert_eq!(titles(&b), outline(&[(1, "Letter"), (2, "THE PLAN")]));
    }

    #[test]
    fn short_title_lines_alone_before_a_paragraph_are_headings() {
        let text = "Brief\n\nKey findings\n\nThe panel found that the network is ready for winter, with two gaps.\n\nWhat Happens Next?\n\nThe operator will publish a plan in December and report monthly.\n\nOil fell\n\nShort.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[(1, "Brief"), (2, "Key findings"), (2, "What Happens Next?")])
        );
        assert_eq!(blocks(&b.sections[2]).len(), 3);
    }

    #[test]
    fn title_like_and_label_lines_in_an_indented_body_nest_under_the_section() {
        let text = "Protocol\n\n3.3.  Sequence Numbers\n\n  The protocol numbers every octet that it sends on a connection.\n\n  Initial Sequence Number Selection\n\n  The protocol places no restriction on a connection being used again.\n\n3.4.  Closing\n\n  Case 1:  Local user initiates the close\n\n  The user closes the connection when it has no more data to send.\n\n  Case 2:  Remote end closes\n\n  The remote end sends a segment to say that it has finished.\n\n  Case 3:  Both close\n\n  Both ends close at the same time and the segments cross in flight.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Protocol"),
                (3, "3.3. Sequence Numbers"),
                (4, "Initial Sequence Number Selection"),
                (3, "3.4. Closing"),
                (4, "Case 1: Local user initiates the close"),
                (4, "Case 2: Remote end closes"),
                (4, "Case 3: Both close"),
            ])
        );
    }

    #[test]
    fn cover_page_lines_are_subtitles_and_its_date_is_metadata() {
        let text = "RFC: 793\n\n\n                     TRANSMISSION CONTROL PROTOCOL\n\n                         DARPA INTERNET PROGRAM\n\n                         PROTOCOL SPECIFICATION\n\n                             September 1981\n\x0C\n                     TRANSMISSION CONTROL PROTOCOL\n\n1.  INTRODUCTION\n\nThe protocol is intended for use between hosts.\n";
        let b = parse_checked(text);
        assert_eq!(b.title, "TRANSMISSION CONTROL PROTOCOL");
        assert_eq!(
            titles(&b),
            outline(&[(1, "TRANSMISSION CONTROL PROTOCOL"), (2, "1. INTRODUCTION")])
        );
        assert_eq!(b.metadata.date.as_deref(), Some("September 1981"));
        assert_eq!(b.metadata.extra, pairs(&[("RFC", "793")]));
        assert_eq!(
            blocks(&b.sections[0]),
            [code(
                "    DARPA INTERNET PROGRAM\n\n    PROTOCOL SPECIFICATION\n\nTRANSMISSION CONTROL PROTOCOL"
            )]
        );
    }

    #[test]
    fn heading_pattern_makes_headings_anywhere() {
        let pattern = Regex::new(r"^(?:Chapter \d+|#+ )").expect("valid regex");
        let text =
            "Story\nChapter 1\nIt was dark.\nChapter 2\nIt was light.\n## Deep part\nThe end.\n";
        let b = parse(text.to_owned(), "x.txt", Some(&pattern));
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "Story"),
                (2, "Chapter 1"),
                (2, "Chapter 2"),
                (2, "Deep part"),
            ])
        );
        assert_eq!(blocks(&b.sections[1]), [para("It was dark.")]);
    }

    #[test]
    fn heading_pattern_promotes_one_line_markdown_paragraphs() {
        let pattern = Regex::new(r"^PART \d+$").expect("valid regex");
        let mut b = super::super::markdown::parse_with_progress(
            "PART 1\n\nFirst text.\n\nPART 2\n\nSecond\ntext.\n",
            "x.md",
            None,
            false,
        );
        promote_heading_paragraphs(&mut b, &pattern);
        assert_eq!(
            kinds(&b),
            [
                (SectionKind::Heading, 2, "PART 1".to_string()),
                (SectionKind::Heading, 2, "PART 2".to_string()),
            ]
        );
        assert_eq!(blocks(&b.sections[1]), [para("Second text.")]);
    }

    #[test]
    fn book_contents_end_at_the_first_chapter_and_chapters_take_their_titles() {
        let text = "A Novel\n\nCONTENTS\n\n CHAPTER I. The Beginning\n CHAPTER II. The Middle\n CHAPTER III. The End\n\nCHAPTER I.\n\nThe Beginning\n\nIt was a dark and stormy night, and the rain fell in torrents.\n\nCHAPTER II.\n\nThe Middle\n\nThe night went on.\n\nCHAPTER III.\n\nThe End\n\nMorning came.\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[
                (1, "A Novel"),
                (2, "CONTENTS"),
                (2, "CHAPTER I. — The Beginning"),
                (2, "CHAPTER II. — The Middle"),
                (2, "CHAPTER III. — The End"),
            ])
        );
    }

    #[test]
    fn markdown_style_hashes_are_headings_in_plain_text() {
        let text = "Notes\n\n## Background\n\nSome text.\n\n### Detail\n\nMore text.\n\n#hashtag and # not a heading\nline\n";
        let b = parse_checked(text);
        assert_eq!(
            titles(&b),
            outline(&[(1, "Notes"), (2, "## Background"), (3, "### Detail")])
        );
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
        let mut expected = vec![
            (1, "Generated Briefing".to_string()),
            (2, "Contents".to_string()),
        ];
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
            let (b, _) = parse_aside(&doc);
            assert!(
                b.sections
                    .iter()
                    .all(|s| (1..=MAX_LEVEL).contains(&s.level))
            );
            assert!(b.sections.iter().all(|s| s.line >= 1));
        }
    }

    /// Turns of a press briefing, of a realistic length.
    const TRANSCRIPT_TURNS: &str = "MODERATOR: Good morning, everyone. The spokesperson will make a short\nstatement and then take your questions.\n\nQ: Thank you. Marco Ruiz, Radio Centro. How long will the viaduct work\nlast, and can you guarantee it will be finished by the spring?\n\nMS. ALVAREZ: The engineering plan allows for fourteen weeks of work, so we\nexpect full services to resume in the second half of March.\n\n";

    /// A corpus file's text, or nothing when the corpus is not there.
    fn corpus_or_empty(name: &str) -> String {
        std::fs::read_to_string(std::path::Path::new("/work/shared/corpus").join(name))
            .unwrap_or_default()
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
            corpus_or_empty("rfc3986-uri.txt"),
            corpus_or_empty("federalist-papers-gutenberg.txt"),
            TRANSCRIPT_TURNS.repeat(ten_mb / TRANSCRIPT_TURNS.len()),
            "RFC 1   Head   2001\n\nBody line of text.\n\nDoe   Informational   [Page 1]\n\x0C"
                .repeat(ten_mb / 70),
            "FEDERALIST No. 1\n\nGeneral Title\n\nHAMILTON\n\nText of the essay.\n\n"
                .repeat(ten_mb / 70),
        ];
        let inputs: Vec<String> = inputs
            .into_iter()
            .filter(|t| !t.is_empty())
            .map(|t| {
                if t.len() < ten_mb / 2 {
                    t.repeat(ten_mb / t.len() + 1)
                } else {
                    t
                }
            })
            .collect();
        let mut slowest = std::time::Duration::ZERO;
        for big in &inputs {
            let text = big.clone();
            let start = std::time::Instant::now();
            let b = parse(text, "big.txt", None);
            let took = start.elapsed();
            eprintln!(
                "{} bytes, {} sections in {took:?}",
                big.len(),
                b.sections.len()
            );
            slowest = slowest.max(took);
        }
        assert!(slowest.as_secs_f64() < 1.0, "slowest took {slowest:?}");
    }

    /// The entries of an RFC's own table of contents, read from the source
    /// text on their own (leaders, page numbers and page furniture skipped,
    /// wrapped titles joined), as table-of-contents keys.
    fn rfc_toc_keys(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.split(['\n', '\x0C']).collect();
        let Some(h) = lines
            .iter()
            .position(|l| l.trim().eq_ignore_ascii_case("table of contents"))
        else {
            return Vec::new();
        };
        let leader = |t: &str| t.find(". . .").or_else(|| t.find("...."));
        let dotted = lines[h + 1..]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .take(3)
            .any(|l| leader(l).is_some());
        let furniture = |t: &str| {
            t.contains("[Page ")
                || (t.starts_with("RFC ") && t.contains("   "))
                || t == "September 1981"
                || t == "Transmission Control Protocol"
        };
        let mut out = Vec::new();
        let mut pending: Option<String> = None;
        for (k, l) in lines.iter().enumerate().skip(h + 1) {
            let t = l.trim();
            if t.is_empty() || furniture(t) {
                continue;
            }
            if dotted {
                if let Some(p) = leader(t) {
                    let entry = match pending.take() {
                        Some(pre) => format!("{pre} {}", &t[..p]),
                        None => t[..p].to_string(),
                    };
                    out.push(toc_key(&entry));
                } else if l.starts_with(' ')
                    && pending.is_none()
                    && lines.get(k + 1).is_some_and(|n| leader(n).is_some())
                {
                    pending = Some(t.to_string());
                } else {
                    break;
                }
            } else if l.starts_with(' ') {
                out.push(toc_key(t));
            } else {
                break;
            }
        }
        out
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
            let (b, aside) = parse_aside(&text);
            let took = start.elapsed();
            for s in &b.sections {
                let pad = "  ".repeat(usize::from(s.level) - 1);
                let kind = match s.kind {
                    SectionKind::Heading => "",
                    SectionKind::Lead => "[lead] ",
                    SectionKind::Paragraph => "[para] ",
                    SectionKind::Transcript => "[turn] ",
                    SectionKind::Boilerplate => "[boilerplate] ",
                };
                eprintln!("{:>6} {pad}{kind}{}", s.line, s.title);
            }
            eprintln!("title: {}", b.title);
            eprintln!("metadata: {:?}", b.metadata);
            eprintln!("warnings: {:?}", b.warnings);
            eprintln!(
                "set aside (first 8 of {}): {:?}",
                aside.len(),
                &aside[..aside.len().min(8)]
            );
            let toc = rfc_toc_keys(&text);
            if !toc.is_empty() {
                let outline: Vec<String> = b
                    .sections
                    .iter()
                    .filter(|s| s.kind == SectionKind::Heading)
                    .map(|s| toc_key(&s.title))
                    .collect();
                let misses: Vec<(&String, usize)> = toc
                    .iter()
                    .map(|k| (k, outline.iter().filter(|o| *o == k).count()))
                    .filter(|(_, n)| *n != 1)
                    .collect();
                eprintln!(
                    "{name}: {} contents entries; not exactly once in the outline: {misses:?}",
                    toc.len()
                );
            }
            eprintln!("{name}: {} sections in {took:?}", b.sections.len());
        }
    }
}
