//! The domain model: a briefing is a title, metadata, a flat list of sections
//! and the warnings the loader raised.
//!
//! This module knows nothing of terminals or ratatui. Text is stored as plain
//! `String`s; inline styling is a list of byte ranges over that text
//! ([`StyleRun`]), so matching, wrapping and rendering all speak the same
//! language: ranges over plain text.
//!
//! The outline is not a tree of pointers: sections sit in document order, each
//! with a heading `level`, and the tree facts a reader needs (depth, parent,
//! outline number such as `2.3`) are derived by [`Outline::new`].

use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

/// A whole document, ready to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Briefing {
    /// Front-matter title, else the first level-1 heading, else the file name.
    pub title: String,
    pub format: Format,
    pub metadata: Metadata,
    pub sections: Vec<Section>,
    pub warnings: Vec<Warning>,
}

impl Briefing {
    /// Put the briefing's facts ([`Metadata::shown`]: date, source, byline…)
    /// first in its first section, as a [`BlockKind::Facts`] block; nothing
    /// when there are none, or none is there already.
    pub fn add_facts(&mut self) {
        let facts = self.metadata.shown();
        let Some(first) = self.sections.first_mut() else {
            return;
        };
        let present = first
            .blocks
            .first()
            .is_some_and(|b| b.kind == BlockKind::Facts);
        if facts.is_empty() || present {
            return;
        }
        first
            .blocks
            .insert(0, Block::new(BlockKind::Facts, facts.join("\n")));
    }

    /// Whether the briefing's text (titles and blocks) is at most `bytes`
    /// long; stops counting past that.
    pub fn holds_at_most(&self, bytes: usize) -> bool {
        let mut total = 0;
        self.sections.iter().all(|section| {
            total += section.title.len();
            total += section.blocks.iter().map(|b| b.text.len()).sum::<usize>();
            total <= bytes
        })
    }
}

/// The source format the loader recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Markdown,
    PlainText,
    /// An HTML page, read as Markdown made from it.
    Html,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::PlainText => "plain text",
            Format::Html => "html",
        }
    }
}

/// Facts about the briefing taken from front matter (or, for plain text, from
/// its opening lines). Never shown as body text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub keywords: Vec<String>,
    /// Every other scalar field, in source order, as `(key, value)`.
    pub extra: Vec<(String, String)>,
}

impl Metadata {
    /// The fields a reader is shown with the title, one `Label: value`
    /// line each: the date, the source, then the other fields in source
    /// order, a repeated key's values joined (`Author: A; B`). A byline is
    /// shown as it reads (`Prepared by …`). Left out: the title and
    /// keywords (shown elsewhere), a transcript's `speakers` (read from
    /// labels still in the text), and fields that serve a site's build
    /// rather than a reader (`aliases`, `path`, `draft`, `published_time`,
    /// nested `extra.*` tables…), an e-mail's transport headers
    /// (`Message-ID`, `Content-Type`, `X-…`) and an Org file's export
    /// settings (`#+OPTIONS:`).
    pub fn shown(&self) -> Vec<String> {
        const BUILD: &[&str] = &[
            // Derived from the speaker labels, which stay in the text.
            "speakers",
            "aliases",
            "path",
            "slug",
            "url",
            "permalink",
            "layout",
            "template",
            "type",
            "draft",
            "weight",
            "id",
            "uuid",
            "menu",
            "toc",
            "comments",
            "modified_time",
            "published_time",
            "lastmod",
            "last_modified",
            "header",
            "image",
            "images",
            "thumbnail",
            "cover",
            // An e-mail's transport headers.
            "message-id",
            "in-reply-to",
            "references",
            "mime-version",
            "content-type",
            "content-transfer-encoding",
            "return-path",
            "received",
            // An Org file's settings for its export.
            "options",
            "startup",
            "setupfile",
        ];
        let mut fields: Vec<(&str, String)> = Vec::new();
        for (key, value) in &self.extra {
            let hidden = key.contains('.')
                || key.get(..2).is_some_and(|x| x.eq_ignore_ascii_case("x-"))
                || BUILD.iter().any(|b| b.eq_ignore_ascii_case(key));
            if hidden || value.trim().is_empty() {
                continue;
            }
            match fields.iter_mut().find(|(k, _)| *k == key.as_str()) {
                Some((_, values)) => {
                    values.push_str("; ");
                    values.push_str(value);
                }
                None => fields.push((key, value.clone())),
            }
        }
        let date = self.date.iter().map(|d| format!("Date: {d}"));
        let source = self.source.iter().map(|s| format!("Source: {s}"));
        let rest = fields.into_iter().map(|(key, value)| match key {
            "byline" => value,
            key => format!("{}: {value}", label_of(key)),
        });
        date.chain(source).chain(rest).collect()
    }
}

/// A field's key as a label: one written in lower case gets a capital and
/// spaces (`published_time` → `Published time`); others stay as written
/// (`Request for Comments`, `STD`).
fn label_of(key: &str) -> String {
    if key.chars().any(char::is_uppercase) {
        return key.to_owned();
    }
    let spaced = key.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Something the loader noticed and worked around; shown to the user, never
/// fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// 1-based source line, when the warning is about one place.
    pub line: Option<usize>,
    pub message: String,
}

impl Warning {
    pub fn new(line: Option<usize>, message: impl Into<String>) -> Self {
        Warning {
            line,
            message: message.into(),
        }
    }
}

/// Where a section's title comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// A heading in the source: the title is source text.
    #[default]
    Heading,
    /// Text before the first heading. The title is a label the reader made.
    Lead,
    /// A paragraph of a briefing without headings. The title is a label
    /// made from its opening words; the whole paragraph is in the body.
    Paragraph,
    /// A turn of a transcript: a question with its answers and follow-ups,
    /// or a speaker's opening or closing remarks. The title is a label
    /// (`Q: How long will…`, `MS. ALVAREZ — opening remarks`); every word,
    /// speaker labels included, is in the body.
    Transcript,
    /// Text that wraps the real content, such as an e-book licence before
    /// and after it. The title is a label (`Front matter (Project Gutenberg
    /// licence)`); the text is in the body, meant to be shown folded.
    Boilerplate,
}

impl SectionKind {
    /// Whether the title is text of the source (rather than a label).
    pub fn title_is_source(self) -> bool {
        self == SectionKind::Heading
    }
}

/// One outline entry and the body text up to the next heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub kind: SectionKind,
    /// Heading level, 1 (top) to 6. Only the order of levels matters: the
    /// outline depth is derived from the levels of the sections before it.
    pub level: u8,
    pub title: String,
    /// 1-based line in the source where the section starts.
    pub line: usize,
    pub blocks: Vec<Block>,
    /// Every block of this section repeats earlier text; this is the first
    /// section it repeats (see `repeat`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<usize>,
    /// Links written in this section's text (Markdown links and autolinks),
    /// in order. Bare URLs in plain text are found by [`crate::links`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// A link in a briefing: the text shown and where it points (a URL, a
/// path, or `#anchor` inside the briefing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub text: String,
    pub target: String,
}

impl Section {
    /// How many of its blocks repeat earlier text.
    pub fn repeated_blocks(&self) -> usize {
        self.blocks.iter().filter(|b| b.repeat_of.is_some()).count()
    }

    pub fn new(level: u8, title: impl Into<String>, line: usize) -> Self {
        Section {
            kind: SectionKind::Heading,
            level,
            title: title.into(),
            line,
            blocks: Vec::new(),
            duplicate_of: None,
            links: Vec::new(),
        }
    }

    /// The section's body as one plain string, blocks separated by blank
    /// lines, without the briefing's facts (JSON has them as metadata).
    /// Used for JSON.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in self.blocks.iter().filter(|b| b.kind != BlockKind::Facts) {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&block.text);
        }
        out
    }
}

/// A unit of body text: one paragraph, one list item, one code block...
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Plain text. Soft line breaks are spaces; hard breaks are `\n`. For a
    /// table, cells are separated by `\t` and rows by `\n` (see
    /// [`BlockKind::Table`]).
    pub text: String,
    /// Inline styles as sorted, non-overlapping byte ranges over `text`.
    /// Text outside every run is plain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<StyleRun>,
    /// How many block quotes enclose this block.
    #[serde(skip_serializing_if = "is_zero")]
    pub quote_depth: u8,
    /// This block opens a quote of its depth rather than going on with
    /// the quote of the block before (two quotes one after the other are
    /// two, and the gap between them is drawn without their bar).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub opens_quote: bool,
    /// How many list levels enclose this block (a list item's own level
    /// counts).
    #[serde(skip_serializing_if = "is_zero")]
    pub list_depth: u8,
    /// This block repeats an earlier one (see `repeat`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat_of: Option<BlockRef>,
}

/// The place of a block: section index and block index within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct BlockRef {
    /// 32 bits each: a `Block` is one of hundreds of thousands.
    pub section: u32,
    pub block: u32,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if takes a reference
fn is_zero(n: &u8) -> bool {
    *n == 0
}

impl Block {
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
            runs: Vec::new(),
            quote_depth: 0,
            opens_quote: false,
            list_depth: 0,
            repeat_of: None,
        }
    }

    /// A paragraph with no inline styles.
    pub fn paragraph(text: impl Into<String>) -> Self {
        Block::new(BlockKind::Paragraph, text)
    }
}

/// What kind of block this is; decides its decoration and wrapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum BlockKind {
    Paragraph,
    /// A list item's first paragraph; `marker` is `•`, `3.` or a task box
    /// (`[x]`/`[ ]`). Later paragraphs of the same item are `Paragraph`s with
    /// the same `list_depth`.
    ListItem {
        marker: String,
    },
    /// Preformatted text, never wrapped or reflowed; `lang` may be empty.
    Code {
        lang: String,
    },
    /// A table whose cells are `\t`-separated and rows `\n`-separated in the
    /// block text. `header_rows` rows at the top are headers.
    Table {
        header_rows: usize,
        alignments: Box<[Alignment]>,
    },
    /// A thematic break.
    Rule,
    /// The briefing's facts (see [`Metadata::shown`]), one per line: put
    /// first in the first section by the loader (see
    /// [`Briefing::add_facts`]), so that they are shown, searched and
    /// counted like text. Not source text of that section.
    Facts,
}

/// Column alignment of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Alignment {
    None,
    Left,
    Center,
    Right,
}

/// An inline style applied to a byte range of a block's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StyleRun {
    pub range: Range<usize>,
    pub style: Inline,
}

/// Inline style flags, combined when nested (`**_x_**` is bold and italic).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Inline(u8);

impl Inline {
    pub const PLAIN: Inline = Inline(0);
    pub const BOLD: Inline = Inline(1);
    pub const ITALIC: Inline = Inline(1 << 1);
    pub const CODE: Inline = Inline(1 << 2);
    pub const STRIKE: Inline = Inline(1 << 3);
    /// The visible text of a link.
    pub const LINK: Inline = Inline(1 << 4);
    /// A link's target, shown after its text.
    pub const LINK_TARGET: Inline = Inline(1 << 5);
    /// A footnote reference or label.
    pub const FOOTNOTE: Inline = Inline(1 << 6);
    /// A table header cell.
    pub const HEADER: Inline = Inline(1 << 7);

    pub fn contains(self, other: Inline) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    pub fn is_plain(self) -> bool {
        self.0 == 0
    }

    #[must_use]
    pub fn with(self, other: Inline) -> Inline {
        Inline(self.0 | other.0)
    }
}

impl std::ops::BitOr for Inline {
    type Output = Inline;
    fn bitor(self, rhs: Inline) -> Inline {
        self.with(rhs)
    }
}

/// Builds a block's text and its style runs together, merging adjacent runs
/// of the same style. Loaders push text with the current style; nobody edits
/// `runs` by hand.
#[derive(Debug, Default)]
pub struct TextBuilder {
    text: String,
    runs: Vec<StyleRun>,
}

impl TextBuilder {
    pub fn new() -> Self {
        TextBuilder::default()
    }

    pub fn push(&mut self, s: &str, style: Inline) {
        if s.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(s);
        let end = self.text.len();
        if style.is_plain() {
            return;
        }
        if let Some(last) = self.runs.last_mut()
            && last.range.end == start
            && last.style == style
        {
            last.range.end = end;
            return;
        }
        self.runs.push(StyleRun {
            range: start..end,
            style,
        });
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Remove trailing white space (and any run parts over it).
    pub fn trim_end(&mut self) {
        let new_len = self.text.trim_end().len();
        self.truncate(new_len);
    }

    fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        self.runs.retain_mut(|run| {
            run.range.end = run.range.end.min(len);
            run.range.start < run.range.end
        });
    }

    /// Take the text and runs out, leaving the builder empty. Leading and
    /// trailing white space is trimmed.
    ///
    /// The text and runs are copied out at their size (they are kept for as
    /// long as the briefing is open), and the builder keeps its buffers for
    /// the next block: one allocation per block instead of a string grown
    /// by doubling and then shrunk.
    pub fn finish(&mut self) -> (String, Vec<StyleRun>) {
        self.trim_end();
        let lead = self.text.len() - self.text.trim_start().len();
        let text = self.text[lead..].to_owned();
        let mut runs = Vec::with_capacity(self.runs.len());
        for run in &self.runs {
            let start = run.range.start.saturating_sub(lead);
            let end = run.range.end.saturating_sub(lead);
            if start < end {
                runs.push(StyleRun {
                    range: start..end,
                    style: run.style,
                });
            }
        }
        self.text.clear();
        self.runs.clear();
        (text, runs)
    }
}

/// Tree facts derived from the sections' levels: depth, parent, children and
/// the outline number (`2.3`) of every section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub entries: Vec<OutlineEntry>,
    /// Most headings carry their own numbers (`2.1 Findings`), so the
    /// reader shows theirs and not its own.
    pub self_numbered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineEntry {
    /// 0 for a top-level entry.
    pub depth: usize,
    pub parent: Option<usize>,
    pub has_children: bool,
    /// Dotted number such as `2.3`.
    pub number: String,
    /// What to show before the title: `number`, or nothing when the
    /// document numbers its own headings.
    pub label: String,
}

impl Outline {
    /// Derive the tree from levels: a section's parent is the nearest earlier
    /// section with a lower level.
    pub fn new(sections: &[Section]) -> Outline {
        let headings = sections.iter().filter(|s| s.kind.title_is_source()).count();
        let numbered = sections
            .iter()
            .filter(|s| s.kind.title_is_source() && own_number(&s.title).is_some())
            .count();
        let self_numbered = headings > 0 && numbered * 2 >= headings;
        let mut entries: Vec<OutlineEntry> = Vec::with_capacity(sections.len());
        // Stack of (level, index) of open ancestors.
        let mut stack: Vec<(u8, usize)> = Vec::new();
        // Counters per depth.
        let mut counters: Vec<usize> = Vec::new();
        for (i, section) in sections.iter().enumerate() {
            while stack
                .last()
                .is_some_and(|&(level, _)| level >= section.level)
            {
                stack.pop();
            }
            let parent = stack.last().map(|&(_, idx)| idx);
            let depth = stack.len();
            counters.truncate(depth + 1);
            if counters.len() <= depth {
                counters.resize(depth + 1, 0);
            }
            counters[depth] += 1;
            // The parent's number and this one's count.
            let mut number = String::with_capacity(4 * counters.len());
            if let Some(p) = parent {
                number.push_str(&entries[p].number);
                number.push('.');
            }
            write!(number, "{}", counters[depth]).expect("writing to a String");
            if let Some(p) = parent {
                entries[p].has_children = true;
            }
            entries.push(OutlineEntry {
                depth,
                parent,
                has_children: false,
                label: if self_numbered {
                    String::new()
                } else {
                    number.clone()
                },
                number,
            });
            stack.push((section.level, i));
        }
        Outline {
            entries,
            self_numbered,
        }
    }

    /// Index of the section numbered `number` (`"2.3"`): by the document's
    /// own numbering when it has one, else by the outline's.
    pub fn find_number(&self, sections: &[Section], number: &str) -> Option<usize> {
        let wanted = number.trim().trim_end_matches('.');
        if self.self_numbered
            && let Some(i) = sections
                .iter()
                .position(|s| own_number(&s.title).is_some_and(|n| n.eq_ignore_ascii_case(wanted)))
        {
            return Some(i);
        }
        self.entries.iter().position(|e| e.number == wanted)
    }
}

/// The number a title starts with (`"2.3"` for `2.3. Scope`, `"A.1"` for
/// `A.1 Terms`, `"B"` for `Appendix B.`), without a trailing dot.
pub fn own_number(title: &str) -> Option<&str> {
    // Most titles start with a word, which no number does: a lower-case
    // letter other than the `a` of `appendix` or `annex`, a capital other
    // than `A` with a letter, a digit or a character beyond ASCII after it
    // (a one-letter number has `.`, `:` or `)` or a space there, and a
    // space beyond ASCII leaves it without its dot), or punctuation.
    match title.as_bytes() {
        [b, ..] if b.is_ascii_lowercase() && *b != b'a' => return None,
        [b, c, ..]
            if b.is_ascii_uppercase()
                && *b != b'A'
                && (c.is_ascii_alphanumeric() || *c >= 0x80) =>
        {
            return None;
        }
        [b, ..] if b.is_ascii_punctuation() => return None,
        _ => {}
    }
    number_of(title)
}

/// [`own_number`] without its quick rejects.
fn number_of(title: &str) -> Option<&str> {
    let mut words = title.split_whitespace();
    let mut first = words.next()?;
    if first.eq_ignore_ascii_case("appendix") || first.eq_ignore_ascii_case("annex") {
        first = words.next()?;
    } else if words.next().is_none() {
        // A bare number is a title, not a numbered title.
        return None;
    }
    let number = first.trim_end_matches(['.', ':', ')']);
    let mut parts = number.split('.');
    let head = parts.next()?;
    let head_ok = (!head.is_empty() && head.len() <= 3 && head.bytes().all(|b| b.is_ascii_digit()))
        || (head.len() == 1 && head.bytes().all(|b| b.is_ascii_uppercase()));
    let rest_ok =
        parts.all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
    let single_letter_needs_dot =
        head.len() == 1 && head.bytes().all(|b| b.is_ascii_uppercase()) && number == head;
    if head_ok
        && rest_ok
        && !(single_letter_needs_dot
            && !first.ends_with('.')
            && !title.to_ascii_lowercase().starts_with("appendix"))
    {
        Some(number)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_shown_to_a_reader() {
        let meta = Metadata {
            title: Some("Brief".into()),
            date: Some("3 December 2026".into()),
            source: None,
            keywords: vec!["grid".into()],
            extra: [
                ("from", "Policy Staff"),
                ("author", "A. One"),
                ("published_time", "2026-12-03 08:00"),
                ("extra.release", "true"),
                ("byline", "Prepared by the desk"),
                ("author", "B. Two"),
                ("Request for Comments", "3986"),
                ("severity_level", "SEV-1"),
                ("Message-ID", "<a@b>"),
                ("X-Mailer", "mutt"),
                ("OPTIONS", "toc:nil"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        };
        assert_eq!(
            meta.shown(),
            [
                "Date: 3 December 2026",
                "From: Policy Staff",
                "Author: A. One; B. Two",
                "Prepared by the desk",
                "Request for Comments: 3986",
                "Severity level: SEV-1",
            ]
        );
        assert!(Metadata::default().shown().is_empty());
    }
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn own_number_rejects_quickly_only_what_it_would_reject(
            title in "[ A-Za-z0-9.:)(\u{a0}ã]{0,12}",
            shaped in "(Appendix |annex |[A-Za-z0-9]{0,2}[.:)]?[0-9]{0,2}[.]?)[ \u{a0}]?[A-Za-zã]{0,3}"
        ) {
            prop_assert_eq!(own_number(&title), number_of(&title));
            prop_assert_eq!(own_number(&shaped), number_of(&shaped));
        }
    }

    fn sections(levels: &[u8]) -> Vec<Section> {
        levels
            .iter()
            .enumerate()
            .map(|(i, &l)| Section::new(l, format!("s{i}"), i + 1))
            .collect()
    }

    #[test]
    fn outline_numbers_follow_levels() {
        let outline = Outline::new(&sections(&[1, 2, 2, 3, 1, 3]));
        let numbers: Vec<_> = outline.entries.iter().map(|e| e.number.as_str()).collect();
        assert_eq!(numbers, ["1", "1.1", "1.2", "1.2.1", "2", "2.1"]);
        let parents: Vec<_> = outline.entries.iter().map(|e| e.parent).collect();
        assert_eq!(parents, [None, Some(0), Some(0), Some(2), None, Some(4)]);
        assert!(outline.entries[0].has_children);
        assert!(!outline.entries[1].has_children);
    }

    #[test]
    fn outline_starting_below_level_one_is_top_level() {
        let outline = Outline::new(&sections(&[2, 3, 2]));
        let depths: Vec<_> = outline.entries.iter().map(|e| e.depth).collect();
        assert_eq!(depths, [0, 1, 0]);
        let s = sections(&[2, 3, 2]);
        assert_eq!(outline.find_number(&s, "2"), Some(2));
        assert_eq!(outline.find_number(&s, "1.1."), Some(1));
        assert!(!outline.self_numbered);
    }

    #[test]
    fn documents_that_number_their_headings_keep_their_numbers() {
        let mut s = sections(&[1, 1, 2, 1]);
        for (section, title) in
            s.iter_mut()
                .zip(["Summary", "1. Background", "1.1 Basin", "2. Options"])
        {
            section.title = title.to_owned();
        }
        let outline = Outline::new(&s);
        assert!(outline.self_numbered);
        assert!(outline.entries.iter().all(|e| e.label.is_empty()));
        assert_eq!(outline.find_number(&s, "1.1"), Some(2));
        assert_eq!(outline.find_number(&s, "2"), Some(3));
    }

    #[test]
    fn own_numbers_are_recognised() {
        for title in [
            "Sa. b",
            "S\u{a0}b",
            "S\u{a0}.1 b",
            "B: Terms",
            "B) x",
            "b. x",
            "(1) x",
            "annex C x",
        ] {
            assert_eq!(own_number(title), number_of(title), "{title:?}");
        }
        assert_eq!(own_number("2.3. Scope"), Some("2.3"));
        assert_eq!(own_number("10 Appendix"), Some("10"));
        assert_eq!(own_number("A.1 Terms"), Some("A.1"));
        assert_eq!(own_number("Appendix B. Examples"), Some("B"));
        assert_eq!(own_number("A quick note"), None);
        assert_eq!(own_number("2026 outlook"), None);
        assert_eq!(own_number("42"), None);
    }

    #[test]
    fn text_builder_merges_runs_and_trims() {
        let mut b = TextBuilder::new();
        b.push("  a ", Inline::PLAIN);
        b.push("bold", Inline::BOLD);
        b.push(" more", Inline::BOLD);
        b.push(" end  ", Inline::PLAIN);
        let (text, runs) = b.finish();
        assert_eq!(text, "a bold more end");
        assert_eq!(
            runs,
            vec![StyleRun {
                range: 2..11,
                style: Inline::BOLD
            }]
        );
    }
}
