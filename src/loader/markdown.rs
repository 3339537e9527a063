//! Markdown → [`Briefing`], using pulldown-cmark.
//!
//! Grammar accepted: `CommonMark` plus tables, footnotes, strikethrough, task
//! lists, and a front-matter block at the very top, either YAML between `---`
//! lines (closed by `---` or `...`) or TOML between `+++` lines.
//!
//! - Every heading (ATX or setext, any level, also inside list items and block
//!   quotes) starts a section. Text before the first heading is a lead
//!   section. `#` lines inside code blocks and HTML comments are text or
//!   markup, never headings: pulldown-cmark decides that, not a line scan.
//! - Front matter fills [`Metadata`] and never appears in the body.
//! - HTML is markup: tags and comments are dropped, the text between tags is
//!   kept (`<br>` is a line break).
//! - Links keep their text and show an external target after it
//!   (`text <https://…>`); relative and in-document targets are not shown.
//!
//! Parser options are set in one place ([`options`]); events are matched
//! exhaustively so that a pulldown-cmark upgrade that adds one fails to
//! compile here instead of silently dropping text.

use std::sync::atomic::AtomicU64;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, MetadataBlockKind, Options, Tag, TagEnd,
};

use super::html::{HtmlPart, HtmlTable, html_parts};
use crate::briefing::{
    Alignment, Block, BlockKind, Briefing, Format, Inline, Link, Metadata, Section, SectionKind,
    StyleRun, TextBuilder, Warning,
};
use crate::loader::{Kept, changes_any, sanitize_line, sanitize_owned};

pub(crate) mod pieced;
pub(crate) use pieced::{PIECE_BYTES, parse_file_in_pieces};

/// The one place that decides which Markdown extensions are on.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        // GitHub's alerts: `> [!WARNING]` opening a quote.
        | Options::ENABLE_GFM
}

/// A heading's title without pandoc's attributes after it (`Introduction
/// {#sec:intro .unnumbered}`): a closing group of braces whose words are
/// all an id, a class or a `key=value`. Other braces are the title's
/// (`GET /users/{id}`, `The set {1, 2, 3}`): pulldown-cmark's own
/// attribute option took those too.
fn without_attributes(title: &str) -> &str {
    let Some(open) = title.strip_suffix('}').and_then(|t| t.rfind('{')) else {
        return title;
    };
    let inner = &title[open + 1..title.len() - 1];
    let attributes = !inner.trim().is_empty()
        && inner
            .split_whitespace()
            .all(|w| (w.len() > 1 && w.starts_with(['#', '.'])) || w.contains('='));
    let before = title[..open].trim_end();
    if attributes && !before.is_empty() {
        before
    } else {
        title
    }
}

/// A link's target as shown after its text: without a text fragment
/// (`#:~:text=…`, a browser's instruction to highlight a passage, which
/// took five lines of a KEP's paragraph). The link keeps it whole.
fn without_text_fragment(url: &str) -> &str {
    match url.find(":~:") {
        Some(at) => url[..at].trim_end_matches('#'),
        None => url,
    }
}

/// The label GitHub shows over an alert (`> [!WARNING]`).
fn alert_label(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "Note",
        BlockQuoteKind::Tip => "Tip",
        BlockQuoteKind::Important => "Important",
        BlockQuoteKind::Warning => "Warning",
        BlockQuoteKind::Caution => "Caution",
    }
}

/// Parse Markdown text (already decoded, `\n` line endings). `name` is the
/// file name, the title of last resort.
#[cfg(test)]
pub(crate) fn parse(text: &str, name: &str) -> Briefing {
    parse_with_progress(text, name, None, true)
}

/// [`parse`], adding the bytes parsed to `progress` as it goes.
///
/// `split_paragraphs`: a briefing without headings gets a section per
/// paragraph (off when the caller promotes paragraphs to headings itself).
///
/// A large text is cut into pieces at top-level headings (see
/// [`pieces`](crate::loader::pieces)) that are parsed on a thread per core
/// (eight at most), then joined in order.
pub(crate) fn parse_with_progress(
    text: &str,
    name: &str,
    progress: Option<&AtomicU64>,
    split_paragraphs: bool,
) -> Briefing {
    pieced::parse_in_pieces(text, name, progress, split_paragraphs, PIECE_BYTES)
}

/// One list level being built: the next number for an ordered list.
struct ListLevel {
    next_number: Option<u64>,
}

struct TableBuilder {
    line: usize,
    alignments: Vec<Alignment>,
    rows: Vec<Vec<TextBuilder>>,
    in_head: bool,
    header_rows: usize,
}

#[derive(Default)]
struct Builder {
    /// Line of the event being handled.
    line: usize,
    sections: Vec<Section>,
    /// Blocks seen before the first heading, and the line each starts on.
    lead: Vec<Block>,
    lead_lines: Vec<usize>,
    lead_line: usize,
    /// Inline text of the block being built.
    text: TextBuilder,
    text_line: usize,
    styles: Vec<Inline>,
    quote_depth: u8,
    /// A quote has opened and its first block is still to come.
    quote_opens: bool,
    lists: Vec<ListLevel>,
    /// Marker of the list item whose first block is pending.
    pending_marker: Option<String>,
    heading: Option<(u8, usize, TextBuilder)>,
    code: Option<(String, String, usize)>,
    html: Option<String>,
    table: Option<TableBuilder>,
    /// Open links: target, and where their text starts in the target
    /// builder.
    links: Vec<(String, usize)>,
    /// Links found in a heading not yet ended, or before the first heading.
    heading_links: Vec<Link>,
    lead_links: Vec<Link>,
    image_depth: usize,
    metadata_text: Option<(MetadataBlockKind, String, usize)>,
    /// Every metadata block, in order (pulldown-cmark takes one anywhere,
    /// not only at the top), read when the briefing is finished: after
    /// joining pieces, a later piece's blocks apply after an earlier one's.
    metadata_blocks: Vec<(MetadataBlockKind, String, usize)>,
    metadata: Metadata,
    first_h1: Option<String>,
    warnings: Vec<Warning>,
    /// Paragraphs that may be labels standing for headings (see
    /// [`is_label`]), in document order.
    labels: Vec<LabelAt>,
    /// Where the soft line breaks of the block being built are in its text.
    soft_breaks: Vec<usize>,
}

/// Where a paragraph that may be a label is: its section (`None`: the
/// lead), its block there, and its source line.
#[derive(Debug, Clone, Copy)]
struct LabelAt {
    section: Option<usize>,
    block: usize,
    line: usize,
}

impl Builder {
    fn style(&self) -> Inline {
        self.styles.iter().fold(Inline::PLAIN, |a, &b| a | b)
    }

    /// The text builder that inline content goes to right now.
    fn target(&mut self) -> &mut TextBuilder {
        if let Some((_, _, ref mut t)) = self.heading {
            return t;
        }
        if let Some(table) = self.table.as_mut()
            && let Some(cell) = table.rows.last_mut().and_then(|r| r.last_mut())
        {
            return cell;
        }
        &mut self.text
    }

    fn push_text(&mut self, s: &str, extra: Inline) {
        if let Some((_, ref mut buf, _)) = self.metadata_text {
            buf.push_str(s);
            return;
        }
        if let Some((_, ref mut buf, _)) = self.code {
            buf.push_str(s);
            return;
        }
        if let Some(ref mut buf) = self.html {
            buf.push_str(s);
            return;
        }
        let style = self.style() | extra;
        if self.heading.is_none() && self.table.is_none() && self.text.text().is_empty() {
            self.text_line = self.line;
        }
        if needs_cleaning(s) {
            let clean = clean_inline(s);
            self.target().push(&clean, style);
        } else {
            self.target().push(s, style);
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(s) => self.push_text(&s, Inline::PLAIN),
            Event::Code(s) | Event::InlineMath(s) | Event::DisplayMath(s) => {
                self.push_text(&s, Inline::CODE);
            }
            Event::Html(s) => match self.html.as_mut() {
                Some(buf) => buf.push_str(&s),
                None => self.inline_html(&s),
            },
            Event::InlineHtml(s) => self.inline_html(&s),
            Event::FootnoteReference(label) => {
                self.push_text(&format!("[{label}]"), Inline::FOOTNOTE);
            }
            Event::SoftBreak => {
                let in_text = self.metadata_text.is_none()
                    && self.code.is_none()
                    && self.html.is_none()
                    && self.heading.is_none()
                    && self.table.is_none();
                if in_text {
                    self.soft_breaks.push(self.text.text().len());
                }
                self.push_text(" ", Inline::PLAIN);
            }
            Event::HardBreak => {
                let style = self.style();
                self.target().push("\n", style);
            }
            Event::Rule => {
                self.flush();
                self.push_block(Block::new(BlockKind::Rule, ""));
            }
            Event::TaskListMarker(checked) => {
                let marker = if checked { "[x]" } else { "[ ]" };
                self.pending_marker = Some(marker.to_owned());
            }
        }
    }

    fn inline_html(&mut self, html: &str) {
        let tag = html.trim().to_ascii_lowercase();
        if tag.starts_with("<br") {
            let style = self.style();
            self.target().push("\n", style);
        } else if !tag.starts_with('<') {
            self.push_text(html, Inline::PLAIN);
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.flush(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.pending_marker = None;
                self.heading = Some((heading_level(level), self.line, TextBuilder::new()));
            }
            Tag::BlockQuote(kind) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_add(1);
                self.quote_opens = true;
                // An alert's `[!WARNING]` is gone from the text: its kind
                // opens the quote as a line of its own, as GitHub shows it.
                if let Some(kind) = kind {
                    self.push_text(alert_label(kind), Inline::BOLD);
                    self.flush();
                }
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        sanitize_line(info.split_whitespace().next().unwrap_or(""))
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new(), self.line));
            }
            Tag::HtmlBlock => {
                self.flush();
                self.html = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(ListLevel { next_number: start });
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(ListLevel {
                        next_number: Some(n),
                    }) => {
                        let m = format!("{n}.");
                        *n += 1;
                        m
                    }
                    _ => "•".to_owned(),
                };
                self.pending_marker = Some(marker);
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                self.pending_marker = Some(format!("[{}]", sanitize_line(&label)));
            }
            Tag::Table(alignments) => {
                self.flush();
                self.table = Some(TableBuilder {
                    line: self.line,
                    alignments: alignments.into_iter().map(alignment).collect(),
                    rows: Vec::new(),
                    in_head: false,
                    header_rows: 0,
                });
            }
            Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = true;
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(TextBuilder::new());
                }
            }
            Tag::Emphasis => self.styles.push(Inline::ITALIC),
            Tag::Strong => self.styles.push(Inline::BOLD),
            Tag::Strikethrough => self.styles.push(Inline::STRIKE),
            Tag::Superscript | Tag::Subscript => self.styles.push(Inline::PLAIN),
            Tag::Link { dest_url, .. } => {
                self.styles.push(Inline::LINK);
                let start = self.target().text().len();
                self.links.push((sanitize_line(&dest_url), start));
            }
            Tag::Image { .. } => {
                self.image_depth += 1;
                self.push_text("[image: ", Inline::LINK_TARGET);
                self.styles.push(Inline::ITALIC);
            }
            Tag::MetadataBlock(kind) => {
                self.metadata_text = Some((kind, String::new(), self.line));
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::FootnoteDefinition => self.flush(),
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                if let Some((lang, code, line)) = self.code.take() {
                    let mut block = Block::new(BlockKind::Code { lang }, code_text(&code));
                    block.quote_depth = self.quote_depth;
                    block.list_depth = self.list_depth();
                    self.text_line = line;
                    self.push_block(block);
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(html) = self.html.take() {
                    for part in html_parts(&html) {
                        match part {
                            HtmlPart::Text(text) => {
                                self.push_text(&text, Inline::PLAIN);
                                self.flush();
                            }
                            HtmlPart::Table(table) => self.push_html_table(table),
                        }
                    }
                }
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.flush();
                self.pending_marker = None;
            }
            TagEnd::Table => self.end_table(),
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = false;
                    t.header_rows = t.rows.len();
                }
            }
            TagEnd::TableRow | TagEnd::TableCell => {}
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {
                self.styles.pop();
            }
            TagEnd::Link => {
                self.styles.pop();
                if let Some((url, start)) = self.links.pop() {
                    let in_heading = self.heading.is_some();
                    let text = self.target().text();
                    let shown = text.get(start..).unwrap_or_default().trim().to_owned();
                    let bare = url.trim_start_matches("mailto:");
                    let is_external = url.contains("://") || url.starts_with("mailto:");
                    // A heading's title is a name in the outline: its
                    // link stays in the list of links, its target unshown.
                    if is_external && !in_heading && !text.ends_with(bare) {
                        let target = without_text_fragment(&url);
                        self.push_text(&format!(" <{target}>"), Inline::LINK_TARGET);
                    }
                    self.record_link(Link {
                        text: shown,
                        target: url,
                    });
                }
            }
            TagEnd::Image => {
                self.styles.pop();
                self.image_depth = self.image_depth.saturating_sub(1);
                self.push_text("]", Inline::LINK_TARGET);
            }
            TagEnd::MetadataBlock(_) => {
                if let Some(block) = self.metadata_text.take() {
                    self.metadata_blocks.push(block);
                }
            }
        }
    }

    fn list_depth(&self) -> u8 {
        u8::try_from(self.lists.len()).unwrap_or(u8::MAX)
    }

    /// Turn the pending inline text into a block, if there is any.
    fn flush(&mut self) {
        let mut breaks = std::mem::take(&mut self.soft_breaks);
        if self.text.is_blank() {
            self.text.finish();
            return;
        }
        // The places of the soft breaks in the text as `finish` trims it.
        let lead = self.text.text().len() - self.text.text().trim_start().len();
        breaks.retain_mut(|at| at.checked_sub(lead).map(|moved| *at = moved).is_some());
        let (mut text, mut runs) = self.text.finish();
        keep_field_lines(&mut text, &breaks);
        join_unspaced(&mut text, &mut runs, &breaks);
        let first_break = breaks.first().copied();
        // The list's room is kept for the next block.
        breaks.clear();
        self.soft_breaks = breaks;
        let kind = match self.pending_marker.take() {
            Some(marker) => BlockKind::ListItem { marker },
            None => BlockKind::Paragraph,
        };
        let block = Block {
            kind,
            text,
            runs,
            quote_depth: self.quote_depth,
            opens_quote: false,
            list_depth: self.list_depth(),
            repeat_of: None,
        };
        // A callout as Obsidian writes one (`> [!warning] Embargoed`): its
        // title opens the quote in bold, as an alert's kind does.
        if self.quote_opens
            && block.kind == BlockKind::Paragraph
            && let Some((title, cut)) = callout(&block.text, first_break)
        {
            let mut head = Block::paragraph(title);
            head.runs = vec![StyleRun {
                range: 0..head.text.len(),
                style: Inline::BOLD,
            }];
            self.push_block(head);
            if let Some(rest) = block_after(&block, cut) {
                self.push_block(rest);
            }
            return;
        }
        self.push_block(block);
    }

    fn push_block(&mut self, mut block: Block) {
        if block.quote_depth == 0 {
            block.quote_depth = self.quote_depth;
        }
        if block.quote_depth > 0 {
            block.opens_quote = std::mem::take(&mut self.quote_opens);
        }
        let label = is_label(&block);
        let line = self.text_line.max(1);
        let last = self.sections.len().checked_sub(1);
        if let Some(section) = self.sections.last_mut() {
            if label {
                self.labels.push(LabelAt {
                    section: last,
                    block: section.blocks.len(),
                    line,
                });
            }
            section.blocks.push(block);
        } else {
            if self.lead.is_empty() {
                self.lead_line = line;
            }
            if label {
                self.labels.push(LabelAt {
                    section: None,
                    block: self.lead.len(),
                    line,
                });
            }
            self.lead_lines.push(line);
            self.lead.push(block);
        }
    }

    /// Keep a link with the section it is written in.
    fn record_link(&mut self, link: Link) {
        if link.target.is_empty() || self.metadata_text.is_some() {
            return;
        }
        if self.heading.is_some() {
            self.heading_links.push(link);
        } else if let Some(section) = self.sections.last_mut() {
            section.links.push(link);
        } else {
            self.lead_links.push(link);
        }
    }

    fn end_heading(&mut self) {
        let Some((level, line, mut text)) = self.heading.take() else {
            return;
        };
        let (title, _) = text.finish();
        let mut title = sanitize_owned(without_attributes(&title).to_owned());
        let untitled = title.trim().is_empty();
        if untitled {
            // `##` alone: an outline entry of nothing is no place to go to.
            UNTITLED.clone_into(&mut title);
        }
        if level == 1 && self.first_h1.is_none() && !untitled {
            self.first_h1 = Some(title.clone());
        }
        let mut section = Section::new(level, title, line);
        section.links = std::mem::take(&mut self.heading_links);
        // The section before is complete: give back what its lists did not
        // use (a large briefing has tens of thousands of sections).
        if let Some(done) = self.sections.last_mut() {
            done.blocks.shrink_to_fit();
            done.links.shrink_to_fit();
        }
        self.sections.push(section);
    }

    fn end_table(&mut self) {
        let Some(table) = self.table.take() else {
            return;
        };
        let mut out = TextBuilder::new();
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        for (r, row) in table.rows.into_iter().enumerate() {
            if r > 0 {
                out.push("\n", Inline::PLAIN);
            }
            let header = r < table.header_rows;
            for (c, mut cell) in row.into_iter().enumerate() {
                if c > 0 {
                    out.push("\t", Inline::PLAIN);
                }
                let (text, runs) = cell.finish();
                let base = if header {
                    Inline::HEADER
                } else {
                    Inline::PLAIN
                };
                push_with_runs(&mut out, &text, &runs, base);
            }
        }
        let (text, runs) = finish_keep_tabs(out);
        let mut alignments = table.alignments;
        alignments.resize(columns, Alignment::None);
        let block = Block {
            kind: BlockKind::Table {
                header_rows: table.header_rows,
                alignments: alignments.into(),
            },
            text,
            runs,
            quote_depth: self.quote_depth,
            opens_quote: false,
            list_depth: self.list_depth(),
            repeat_of: None,
        };
        self.text_line = table.line;
        self.push_block(block);
    }

    /// A table written in HTML, as one written in Markdown.
    fn push_html_table(&mut self, table: HtmlTable) {
        let rows = table
            .rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|cell| {
                        let mut text = TextBuilder::new();
                        if needs_cleaning(&cell) {
                            text.push(&clean_inline(&cell), Inline::PLAIN);
                        } else {
                            text.push(&cell, Inline::PLAIN);
                        }
                        text
                    })
                    .collect()
            })
            .collect();
        self.table = Some(TableBuilder {
            line: self.line,
            alignments: Vec::new(),
            rows,
            in_head: false,
            header_rows: table.header_rows,
        });
        self.end_table();
    }

    fn read_front_matter(&mut self, kind: MetadataBlockKind, text: &str, line: usize) {
        let result = match kind {
            MetadataBlockKind::YamlStyle => read_yaml(text, &mut self.metadata),
            MetadataBlockKind::PlusesStyle => read_toml(text, &mut self.metadata),
        };
        if let Err(message) = result {
            self.warnings.push(Warning::new(
                Some(line),
                format!("front matter ignored: {message}"),
            ));
        }
    }

    /// Add what was built from the piece of text after this one.
    fn append(&mut self, mut next: Builder) {
        // The next piece's labels, counted from this one's end.
        let sections = self.sections.len();
        let lead_to = self.sections.last().map_or((None, self.lead.len()), |s| {
            (Some(sections - 1), s.blocks.len())
        });
        self.labels
            .extend(next.labels.drain(..).map(|l| match l.section {
                None => LabelAt {
                    section: lead_to.0,
                    block: lead_to.1 + l.block,
                    line: l.line,
                },
                Some(i) => LabelAt {
                    section: Some(sections + i),
                    ..l
                },
            }));
        // A piece after the first starts with a heading, so it has no lead;
        // should it have one, its blocks belong to the section before.
        if let Some(section) = self.sections.last_mut() {
            section.blocks.append(&mut next.lead);
            section.links.append(&mut next.lead_links);
        } else {
            if self.lead.is_empty() {
                self.lead_line = next.lead_line;
            }
            self.lead.append(&mut next.lead);
            self.lead_lines.append(&mut next.lead_lines);
            self.lead_links.append(&mut next.lead_links);
        }
        self.sections.append(&mut next.sections);
        self.metadata_blocks.append(&mut next.metadata_blocks);
        if self.first_h1.is_none() {
            self.first_h1 = next.first_h1;
        }
    }

    /// A briefing without headings or a title that opens with a label
    /// right above another (`**Weekly brief**` / `**Summary**`) is titled
    /// by the first.
    fn title_from_label(&mut self) {
        let opens_with_two = matches!(
            self.labels.as_slice(),
            [
                LabelAt {
                    section: None,
                    block: 0,
                    ..
                },
                LabelAt {
                    section: None,
                    block: 1,
                    ..
                },
                ..
            ]
        );
        if !opens_with_two
            || !self.sections.is_empty()
            || self.metadata.title.is_some()
            || self.first_h1.is_some()
        {
            return;
        }
        let title = self.lead.remove(0).text;
        self.first_h1 = Some(label_title(&title).to_owned());
        self.lead_lines.remove(0);
        self.labels.remove(0);
        for label in &mut self.labels {
            label.block -= 1;
        }
    }

    fn finish(mut self, name: &str, split_paragraphs: bool) -> Briefing {
        self.flush();
        for (kind, text, line) in std::mem::take(&mut self.metadata_blocks) {
            self.read_front_matter(kind, &text, line);
        }
        self.title_from_label();
        let title = self
            .metadata
            .title
            .clone()
            .or_else(|| self.first_h1.clone())
            .unwrap_or_else(|| name.to_owned());
        let mut sections = Vec::with_capacity(self.sections.len() + 1);
        if !self.lead.is_empty() {
            let level = self.sections.iter().map(|s| s.level).min().unwrap_or(1);
            let lead_title = if self.sections.is_empty() {
                title.clone()
            } else {
                "Lead".to_owned()
            };
            let mut lead = Section::new(level, lead_title, self.lead_line);
            lead.kind = SectionKind::Lead;
            lead.blocks = self.lead;
            lead.links = std::mem::take(&mut self.lead_links);
            sections.push(lead);
        }
        let has_lead = !sections.is_empty();
        let labels: Vec<LabelAt> = self
            .labels
            .iter()
            .map(|l| LabelAt {
                section: Some(l.section.map_or(0, |i| i + usize::from(has_lead))),
                ..*l
            })
            .collect();
        let no_headings = self.sections.is_empty();
        sections.append(&mut self.sections);
        let before = sections.len();
        promote_labels(&mut sections, &labels);
        let no_headings = no_headings && sections.len() == before;
        let mut briefing = Briefing {
            title,
            format: Format::Markdown,
            metadata: self.metadata,
            sections,
            warnings: self.warnings,
        };
        if no_headings && split_paragraphs {
            split_into_paragraphs(&mut briefing, &self.lead_lines);
            crate::loader::transcript::apply(&mut briefing);
        }
        briefing
    }
}

/// A paragraph of `Key: value` lines (`**Date:** 16 Feb 2027` /
/// `**Author:** CERT`, `Created: …` / `Owner: …`, `发布日期：…`), as word
/// processors, Notion and chat assistants write a briefing's facts, keeps
/// its lines: its soft breaks, at `breaks` in `text`, become line breaks.
fn keep_field_lines(text: &mut String, breaks: &[usize]) {
    let mut start = 0;
    let mut lines = 0;
    for end in breaks.iter().copied().chain([text.len()]) {
        let Some(line) = text.get(start..end) else {
            return;
        };
        if !is_field(line.trim()) {
            return;
        }
        lines += 1;
        start = end + 1;
    }
    if lines < 2 {
        return;
    }
    for &at in breaks {
        if text.get(at..=at) == Some(" ") {
            text.replace_range(at..=at, "\n");
        }
    }
}

/// Drop the spaces that soft breaks (at `breaks`, in order) left between
/// two characters of a script written without spaces (Chinese, Japanese:
/// see [`crate::loader::joins_unspaced`]), moving the styles after them back.
fn join_unspaced(text: &mut String, runs: &mut Vec<StyleRun>, breaks: &[usize]) {
    let gone: Vec<usize> = breaks
        .iter()
        .copied()
        .filter(|&at| {
            text.get(at..=at) == Some(" ")
                && crate::loader::joins_unspaced(&text[..at], &text[at + 1..])
        })
        .collect();
    if gone.is_empty() {
        return;
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for &at in &gone {
        out.push_str(&text[from..at]);
        from = at + 1;
    }
    out.push_str(&text[from..]);
    *text = out;
    let moved = |x: usize| x - gone.partition_point(|&g| g < x);
    for run in runs.iter_mut() {
        run.range = moved(run.range.start)..moved(run.range.end);
    }
    runs.retain(|r| r.range.start < r.range.end);
}

/// `Key: value` with a key of one to three words, at most 30 characters,
/// starting with a letter, and a value (a full-width colon too).
fn is_field(line: &str) -> bool {
    let Some((key, value)) = line.split_once([':', '：']) else {
        return false;
    };
    let words = key.split_whitespace().count();
    (1..=3).contains(&words)
        && key.chars().count() <= 30
        && key.starts_with(char::is_alphabetic)
        && !key.contains(['.', ',', ';', '(', '['])
        && !value.trim().is_empty()
        && !value.starts_with("//")
}

/// The title of a callout opening a quote's first paragraph: its kind,
/// capitalised, and its own title (`[!warning] Embargoed` is `Warning:
/// Embargoed`, `[!tip]-` is `Tip`), and where the text after its line
/// starts. `first_break` is the
/// paragraph's first soft break.
fn callout(text: &str, first_break: Option<usize>) -> Option<(String, usize)> {
    let rest = text.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let kind = &rest[..close];
    let fits = !kind.is_empty()
        && kind.len() <= 20
        && kind
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if !fits {
        return None;
    }
    let after = &rest[close + 1..];
    let after = after.strip_prefix(['+', '-']).unwrap_or(after);
    let start = text.len() - after.len();
    let end = first_break
        .filter(|&b| b >= start && b <= text.len())
        .unwrap_or(text.len());
    let title = text[start..end].trim();
    let mut chars = kind.chars();
    let kind: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let title = if title.is_empty() {
        kind
    } else {
        format!("{kind}: {title}")
    };
    Some((title, end))
}

/// `block` from byte `cut` of its text on (white space at the cut
/// trimmed), its styles moved with it; `None` when nothing is left.
fn block_after(block: &Block, cut: usize) -> Option<Block> {
    let rest = block.text.get(cut..)?;
    let start = cut + (rest.len() - rest.trim_start().len());
    let text = block.text[start..].to_owned();
    if text.is_empty() {
        return None;
    }
    let runs = block
        .runs
        .iter()
        .filter(|r| r.range.end > start)
        .map(|r| StyleRun {
            range: r.range.start.max(start) - start..r.range.end - start,
            style: r.style,
        })
        .collect();
    Some(Block {
        text,
        runs,
        ..block.clone()
    })
}

/// The title of a heading with no text (`##` alone).
const UNTITLED: &str = "(untitled)";

/// Most characters of a label (see [`is_label`]).
const LABEL_MAX_CHARS: usize = 80;
/// Most words of a label.
const LABEL_MAX_WORDS: usize = 10;

/// Whether `block` may be a label standing for a heading: a paragraph of
/// its own, outside lists and quotes, all in bold, short, and not a
/// sentence (`**Summary**`, `**Key developments:**`, as briefs written in
/// a word processor or by a chat assistant have them). A bold sentence
/// (`**Do not forward.**`) is emphasis, not a label.
fn is_label(block: &Block) -> bool {
    let text = block.text.as_str();
    if block.kind != BlockKind::Paragraph
        || block.list_depth > 0
        || block.quote_depth > 0
        || text.is_empty()
        || text.len() > 4 * LABEL_MAX_CHARS
        || text.contains('\n')
        || text.ends_with(['.', '!', '?', ',', ';', '。', '！', '？', '…'])
        || text.chars().count() > LABEL_MAX_CHARS
        || text.split_whitespace().count() > LABEL_MAX_WORDS
    {
        return false;
    }
    // Bold from the first byte to the last, with no gap.
    let mut end = 0;
    for run in &block.runs {
        if run.range.start != end || !run.style.contains(Inline::BOLD) {
            return false;
        }
        end = run.range.end;
    }
    end == text.len()
}

/// A label's text as a title: without a closing colon.
fn label_title(text: &str) -> &str {
    text.trim_end_matches([':', '：']).trim_end()
}

/// How many texts ahead of the last link's a link is looked for when a
/// section's links are shared out among its new subsections.
const LINK_LOOKAHEAD: usize = 16;

/// Make labels headings: in a section with two or more labels that have
/// text after them, each such label opens a section one level below (its title the
/// label, without a closing colon), holding the blocks up to the next
/// label. One label alone in a section stays bold text (`**Note**`).
/// `labels` are in document order, their sections counted in `sections`.
fn promote_labels(sections: &mut Vec<Section>, labels: &[LabelAt]) {
    if labels.len() < 2 {
        return;
    }
    let mut out = Vec::with_capacity(sections.len() + labels.len());
    let mut labels = labels.iter().peekable();
    for (i, mut section) in std::mem::take(sections).into_iter().enumerate() {
        let mut here = Vec::new();
        while let Some(l) = labels.next_if(|l| l.section.is_some_and(|s| s <= i)) {
            // A label with nothing after it in its section heads nothing.
            if l.section == Some(i) && l.block + 1 < section.blocks.len() {
                here.push(*l);
            }
        }
        if here.len() < 2 {
            out.push(section);
            continue;
        }
        let level = (section.level + 1).min(6);
        let mut blocks = std::mem::take(&mut section.blocks).into_iter();
        let links = std::mem::take(&mut section.links);
        let mut taken = 0;
        let mut parts = vec![section];
        for l in &here {
            if let Some(part) = parts.last_mut() {
                part.blocks.extend(blocks.by_ref().take(l.block - taken));
            }
            let Some(label) = blocks.next() else { break };
            taken = l.block + 1;
            parts.push(Section::new(level, label_title(&label.text), l.line));
        }
        if let Some(last) = parts.last_mut() {
            last.blocks.extend(blocks);
        }
        // Each link goes with the part whose text (its title included)
        // holds it, looked for in order a few texts ahead of the last
        // link's, so that the work stays linear; a link not found stays
        // with the last one's part.
        let texts: Vec<(usize, &str)> = parts
            .iter()
            .enumerate()
            .flat_map(|(k, part)| {
                let title = (k > 0).then_some((k, part.title.as_str()));
                title
                    .into_iter()
                    .chain(part.blocks.iter().map(move |b| (k, b.text.as_str())))
            })
            .collect();
        let mut at = 0;
        let mut owners = Vec::with_capacity(links.len());
        for link in &links {
            if let Some(found) = texts
                .iter()
                .enumerate()
                .skip(at)
                .take(LINK_LOOKAHEAD)
                .find(|(_, (_, text))| text.contains(link.text.as_str()))
            {
                at = found.0;
            }
            owners.push(texts.get(at).map_or(0, |&(k, _)| k));
        }
        drop(texts);
        for (link, owner) in links.into_iter().zip(owners) {
            parts[owner].links.push(link);
        }
        for part in &mut parts {
            part.blocks.shrink_to_fit();
            part.links.shrink_to_fit();
        }
        out.append(&mut parts);
    }
    *sections = out;
}

/// A Markdown briefing without headings reads like plain text without
/// headings: the title's section, then one section per paragraph, titled
/// by its opening words (lists, quotes and code stay with the paragraph
/// before them). A single paragraph stays as it is.
fn split_into_paragraphs(briefing: &mut Briefing, lines: &[usize]) {
    let Some(lead) = briefing.sections.first() else {
        return;
    };
    // An end marker (`###`, `-30-`) closes the last story, it is not one.
    let is_end_marker = |t: &str| {
        let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        matches!(t.as_str(), "###" | "-30-" | "30" | "ENDS" | "END" | "***")
    };
    let starts = |b: &Block| {
        b.kind == BlockKind::Paragraph
            && b.list_depth == 0
            && b.quote_depth == 0
            && !is_end_marker(&b.text)
    };
    if lead.blocks.iter().filter(|b| starts(b)).count() < 2 {
        return;
    }
    let mut lead = briefing.sections.remove(0);
    let mut sections = vec![Section {
        kind: SectionKind::Lead,
        ..Section::new(1, lead.title.clone(), lead.line)
    }];
    for (i, block) in std::mem::take(&mut lead.blocks).into_iter().enumerate() {
        if starts(&block) || sections.len() == 1 {
            let line = lines.get(i).copied().unwrap_or(lead.line);
            sections.push(Section {
                kind: SectionKind::Paragraph,
                ..Section::new(2, crate::loader::plain::opening_words(&block.text), line)
            });
        }
        if let Some(last) = sections.last_mut() {
            last.blocks.push(block);
        }
    }
    briefing.sections = sections;
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alignment(a: pulldown_cmark::Alignment) -> Alignment {
    match a {
        pulldown_cmark::Alignment::None => Alignment::None,
        pulldown_cmark::Alignment::Left => Alignment::Left,
        pulldown_cmark::Alignment::Center => Alignment::Center,
        pulldown_cmark::Alignment::Right => Alignment::Right,
    }
}

/// Whether [`clean_inline`] would change `s`: it holds a control character
/// (tab and newline included), DEL, a C1 control (`C2 80`–`C2 9F`) or a
/// bidi control (`E2 80 AA`–`AE`, `E2 81 A6`–`A9`). Most text events hold
/// none and are pushed without a copy.
fn needs_cleaning(s: &str) -> bool {
    changes_any(s.as_bytes(), INLINE_KEEPS)
}

/// What inline text keeps as it is (see [`clean_inline`]): no tab or line
/// break; line and paragraph separators, which [`crate::loader::visible`] leaves.
const INLINE_KEEPS: Kept = Kept {
    tab: false,
    newline: false,
    form_feed: false,
    separators: true,
    zero_width: true,
};

/// What code keeps as it is (see [`code_text`]): its line breaks too.
const CODE_KEEPS: Kept = Kept {
    newline: true,
    ..INLINE_KEEPS
};

/// Inline text: tabs and newlines become spaces, control characters visible.
fn clean_inline(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' => ' ',
            c => crate::loader::visible(c),
        })
        .collect()
}

/// Code text: tabs expanded to 8-column stops, controls visible, the final
/// newline dropped.
fn code_text(code: &str) -> String {
    let code = code.trim_end_matches('\n');
    if !changes_any(code.as_bytes(), CODE_KEEPS) {
        return code.to_owned();
    }
    let mut out = String::with_capacity(code.len());
    for (i, line) in code.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut col = 0;
        for c in line.chars() {
            if c == '\t' {
                let n = 8 - col % 8;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            } else {
                out.push(crate::loader::visible(c));
                col += 1;
            }
        }
    }
    out
}

fn push_with_runs(out: &mut TextBuilder, text: &str, runs: &[StyleRun], base: Inline) {
    let text = text.replace(['\t', '\n'], " ");
    let mut pos = 0;
    for run in runs {
        out.push(&text[pos..run.range.start], base);
        out.push(&text[run.range.clone()], base | run.style);
        pos = run.range.end;
    }
    out.push(&text[pos..], base);
}

/// Like [`TextBuilder::finish`] but without trimming, so empty leading cells
/// keep their tab separators.
fn finish_keep_tabs(mut b: TextBuilder) -> (String, Vec<StyleRun>) {
    let text = b.text().to_owned();
    let (_, runs) = b.finish();
    let lead = text.len() - text.trim_start().len();
    let runs = runs
        .into_iter()
        .map(|r| StyleRun {
            range: r.range.start + lead..r.range.end + lead,
            style: r.style,
        })
        .collect();
    (text, runs)
}

fn read_yaml(text: &str, meta: &mut Metadata) -> Result<(), String> {
    use yaml_rust2::{Yaml, YamlLoader};
    let docs = YamlLoader::load_from_str(text).map_err(|e| format!("YAML: {e}"))?;
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return Ok(());
    };
    for (key, value) in map {
        let Some(key) = yaml_scalar(&key) else {
            continue;
        };
        let list: Vec<String> = match &value {
            Yaml::Array(items) => items.iter().filter_map(yaml_item).collect(),
            other => yaml_item(other).into_iter().collect(),
        };
        set_field(meta, &key, &list, matches!(value, Yaml::Array(_)));
    }
    Ok(())
}

/// A front-matter value as text: a scalar, or an entry that names
/// itself (`authors: [{name: Dana Reyes, team: Intel}]`) by its `name` or
/// `title`.
fn yaml_item(y: &yaml_rust2::Yaml) -> Option<String> {
    use yaml_rust2::Yaml;
    match y {
        Yaml::Hash(map) => NAMING_KEYS
            .iter()
            .find_map(|k| map.get(&Yaml::String((*k).to_owned())))
            .and_then(yaml_scalar),
        other => yaml_scalar(other),
    }
}

/// The keys by which an entry of a front-matter list names itself.
const NAMING_KEYS: [&str; 2] = ["name", "title"];

fn yaml_scalar(y: &yaml_rust2::Yaml) -> Option<String> {
    use yaml_rust2::Yaml;
    match y {
        Yaml::Real(s) | Yaml::String(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn read_toml(text: &str, meta: &mut Metadata) -> Result<(), String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| format!("TOML: {}", e.message()))?;
    read_toml_table("", &table, meta);
    Ok(())
}

fn read_toml_table(prefix: &str, table: &toml::Table, meta: &mut Metadata) {
    for (key, value) in table {
        let key = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => read_toml_table(&key, inner, meta),
            toml::Value::Array(items) => {
                let list: Vec<String> = items
                    .iter()
                    .filter_map(|item| match item {
                        // `[[authors]]` with a `name`.
                        toml::Value::Table(entry) => NAMING_KEYS
                            .iter()
                            .find_map(|k| entry.get(*k))
                            .and_then(toml_scalar),
                        other => toml_scalar(other),
                    })
                    .collect();
                set_field(meta, &key, &list, true);
            }
            other => {
                let list: Vec<String> = toml_scalar(other).into_iter().collect();
                set_field(meta, &key, &list, false);
            }
        }
    }
}

fn toml_scalar(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Array(_) | toml::Value::Table(_) => None,
    }
}

/// Store one front-matter field. `keywords`/`tags` may be a list or a
/// comma-separated string.
fn set_field(meta: &mut Metadata, key: &str, values: &[String], is_list: bool) {
    let values: Vec<String> = values
        .iter()
        .map(|v| sanitize_line(v))
        .filter(|v| !v.is_empty())
        .collect();
    let joined = values.join(", ");
    match key.to_ascii_lowercase().as_str() {
        "title" if !joined.is_empty() => meta.title = Some(joined),
        "date" | "published" | "pubdate" if meta.date.is_none() && !joined.is_empty() => {
            meta.date = Some(joined);
        }
        "source" | "source_url" | "url" | "publisher"
            if meta.source.is_none() && !joined.is_empty() =>
        {
            meta.source = Some(joined);
        }
        "keywords" | "tags" => {
            let terms: Vec<String> = if is_list {
                values
            } else {
                joined
                    .split(',')
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .collect()
            };
            for term in terms {
                if !meta.keywords.contains(&term) {
                    meta.keywords.push(term);
                }
            }
        }
        _ if !joined.is_empty() => meta.extra.push((sanitize_line(key), joined)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(b: &Briefing) -> Vec<(u8, &str, usize)> {
        b.sections
            .iter()
            .map(|s| (s.level, s.title.as_str(), s.line))
            .collect()
    }

    #[test]
    fn headings_of_every_kind_build_the_outline() {
        let b = parse(
            "# One\n\nText.\n\nTwo\n---\n\n- ### In a list\n\n> ## In a quote\n\n###### Six\n",
            "f.md",
        );
        assert_eq!(
            outline(&b),
            vec![
                (1, "One", 1),
                (2, "Two", 5),
                (3, "In a list", 8),
                (2, "In a quote", 10),
                (6, "Six", 12)
            ]
        );
        assert_eq!(b.title, "One");
    }

    #[test]
    fn a_heading_with_no_text_is_untitled_in_the_outline() {
        let b = parse("##\n\nOrphan text.\n\n# Real\n", "f.md");
        assert_eq!(outline(&b), vec![(2, "(untitled)", 1), (1, "Real", 5)]);
        assert_eq!(b.title, "Real");
    }

    #[test]
    fn hashes_in_code_and_comments_are_not_headings() {
        let b = parse(
            "# Real\n\n```sh\n# comment\n```\n\n<!--\n# hidden\n-->\n\n    # indented code\n",
            "f.md",
        );
        assert_eq!(outline(&b), vec![(1, "Real", 1)]);
        let kinds: Vec<_> = b.sections[0]
            .blocks
            .iter()
            .map(|bl| (&bl.kind, bl.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (&BlockKind::Code { lang: "sh".into() }, "# comment"),
                (
                    &BlockKind::Code {
                        lang: String::new()
                    },
                    "# indented code"
                ),
            ]
        );
    }

    #[test]
    fn text_before_first_heading_is_a_lead_section() {
        let b = parse("Opening words.\n\n## Details\n\nMore.\n", "brief.md");
        assert_eq!(outline(&b), vec![(2, "Lead", 1), (2, "Details", 3)]);
        assert_eq!(b.title, "brief.md");
        assert_eq!(
            b.sections[0].blocks,
            vec![Block::paragraph("Opening words.")]
        );
    }

    #[test]
    fn yaml_front_matter_fills_metadata_and_not_the_body() {
        let b = parse(
            "---\ntitle: Daily brief\ndate: 2026-11-27\nsource: Desk\nkeywords: [alpha, beta gamma]\nclassification: TLP:CLEAR\n---\n\n# Heading\n\nBody.\n",
            "f.md",
        );
        assert_eq!(
            b.metadata,
            Metadata {
                title: Some("Daily brief".into()),
                date: Some("2026-11-27".into()),
                source: Some("Desk".into()),
                keywords: vec!["alpha".into(), "beta gamma".into()],
                extra: vec![("classification".into(), "TLP:CLEAR".into())],
            }
        );
        assert_eq!(b.title, "Daily brief");
        assert_eq!(outline(&b), vec![(1, "Heading", 9)]);
    }

    #[test]
    fn toml_front_matter_fills_metadata() {
        let b = parse(
            "+++\ntitle = \"Water\"\ndate = 2026-11-15\nkeywords = [\"drought\"]\n[extra]\nteam = \"policy\"\n+++\n\nLead text.\n",
            "f.md",
        );
        assert_eq!(b.title, "Water");
        assert_eq!(b.metadata.date.as_deref(), Some("2026-11-15"));
        assert_eq!(b.metadata.keywords, vec!["drought".to_owned()]);
        assert_eq!(
            b.metadata.extra,
            vec![("extra.team".to_owned(), "policy".to_owned())]
        );
        assert_eq!(outline(&b), vec![(1, "Water", 9)]);
    }

    #[test]
    fn front_matter_entries_that_name_themselves_give_their_names() {
        let yaml = parse(
            "---\nauthors:\n  - name: Dana Reyes\n    team: Intel\n  - name: Lee Park\n\
             editor: {name: Kim Ode, mail: k@x.example}\ncover:\n  image: /c.png\n---\n\nText.\n",
            "f.md",
        );
        assert_eq!(
            yaml.metadata.extra,
            [
                ("authors".to_owned(), "Dana Reyes, Lee Park".to_owned()),
                ("editor".to_owned(), "Kim Ode".to_owned()),
            ]
        );
        let toml = parse(
            "+++\n[[authors]]\nname = \"Dana Reyes\"\n[[authors]]\nname = \"Lee Park\"\n+++\n\nText.\n",
            "f.md",
        );
        assert_eq!(
            toml.metadata.extra,
            [("authors".to_owned(), "Dana Reyes, Lee Park".to_owned())]
        );
    }

    #[test]
    fn broken_front_matter_is_a_warning() {
        let b = parse("---\ntitle: [unclosed\n---\n\nBody.\n", "f.md");
        assert_eq!(b.warnings.len(), 1);
        assert_eq!(b.warnings[0].line, Some(1));
    }

    #[test]
    fn inline_styles_are_ranges_over_plain_text() {
        let b = parse(
            "Some **bold _both_** and `code` [link](https://x.org).\n",
            "f.md",
        );
        let block = &b.sections[0].blocks[0];
        assert_eq!(block.text, "Some bold both and code link <https://x.org>.");
        assert_eq!(
            block.runs,
            vec![
                StyleRun {
                    range: 5..10,
                    style: Inline::BOLD
                },
                StyleRun {
                    range: 10..14,
                    style: Inline::BOLD | Inline::ITALIC
                },
                StyleRun {
                    range: 19..23,
                    style: Inline::CODE
                },
                StyleRun {
                    range: 24..28,
                    style: Inline::LINK
                },
                StyleRun {
                    range: 28..44,
                    style: Inline::LINK_TARGET
                },
            ]
        );
    }

    #[test]
    fn lists_tasks_and_quotes_become_marked_blocks() {
        let b = parse(
            "1. first\n2. second\n   - nested\n- [x] done\n\n> quoted\n",
            "f.md",
        );
        let blocks: Vec<_> = b.sections[0]
            .blocks
            .iter()
            .map(|bl| {
                (
                    bl.kind.clone(),
                    bl.text.as_str(),
                    bl.list_depth,
                    bl.quote_depth,
                )
            })
            .collect();
        let item = |m: &str| BlockKind::ListItem { marker: m.into() };
        assert_eq!(
            blocks,
            vec![
                (item("1."), "first", 1, 0),
                (item("2."), "second", 1, 0),
                (item("•"), "nested", 2, 0),
                (item("[x]"), "done", 1, 0),
                (BlockKind::Paragraph, "quoted", 0, 1),
            ]
        );
    }

    #[test]
    fn a_text_fragment_is_not_shown_after_a_link() {
        let url = "https://example.org/docs/#:~:text=if%20a%20pod's%20init%20container%20fails";
        let b = parse(
            &format!("See [the docs]({url}) and [more](https://e.org/a#b:~:text=x).\n"),
            "f.md",
        );
        assert_eq!(
            b.sections[0].blocks[0].text,
            "See the docs <https://example.org/docs/> and more <https://e.org/a#b>."
        );
        assert_eq!(b.sections[0].links[0].target, url);
    }

    #[test]
    fn bold_labels_open_sections_below_their_section() {
        let b = parse(
            "# Weekly brief\n\nLead in.\n\n**Summary**\n\nThree campaigns.\n\n\
             **Key developments:**\n\n- See [the note](https://e.org/n).\n\n\
             **Appendix**\n\n| a |\n|---|\n| 1 |\n\n## Next\n\nText.\n",
            "f.md",
        );
        let outline: Vec<_> = b
            .sections
            .iter()
            .map(|s| (s.level, s.title.as_str(), s.line, s.blocks.len()))
            .collect();
        assert_eq!(
            outline,
            [
                (1, "Weekly brief", 1, 1),
                (2, "Summary", 5, 1),
                (2, "Key developments", 9, 1),
                (2, "Appendix", 13, 1),
                (2, "Next", 19, 1),
            ]
        );
        assert_eq!(b.sections[2].links[0].target, "https://e.org/n");
        assert!(b.sections[0].links.is_empty());
        // A label that is a link keeps it, and the links after it go on
        // with their parts.
        let b = parse(
            "# T\n\n**[Summary](#s)**\n\nSee [a](https://e.org/a).\n\n**Details**\n\n\
             See [b](https://e.org/b) and [here](https://e.org/h).\n",
            "f.md",
        );
        let links: Vec<Vec<&str>> = b
            .sections
            .iter()
            .map(|s| s.links.iter().map(|l| l.target.as_str()).collect())
            .collect();
        assert_eq!(
            links,
            [
                vec![],
                vec!["#s", "https://e.org/a"],
                vec!["https://e.org/b", "https://e.org/h"]
            ]
        );
    }

    #[test]
    fn bold_text_that_is_no_label_stays_text() {
        for text in [
            // One label alone in its section.
            "# T\n\n**Note**\n\nText.\n",
            // Bold sentences: emphasis.
            "# T\n\n**Do not forward this.**\n\nText.\n\n**Patch before Friday!**\n\nText.\n",
            // Partly bold, in a list, in a quote, or too long.
            "# T\n\n**Part** of it\n\nText.\n\n*Italic*\n\nText.\n",
            "# T\n\n- **Item**\n\n  Text.\n\n- **Item**\n\n  Text.\n",
            "# T\n\n> **Quoted**\n>\n> Text.\n\n> **Quoted**\n>\n> Text.\n",
            "# T\n\n**one two three four five six seven eight nine ten eleven**\n\nText.\n\n**A**\n\nText.\n",
            // The second label has nothing after it.
            "# T\n\n**Summary**\n\nText.\n\n**Thanks**\n",
        ] {
            let b = parse(text, "f.md");
            assert_eq!(b.sections.len(), 1, "{text:?}");
        }
    }

    #[test]
    fn a_headingless_briefing_opening_with_two_labels_is_titled_by_the_first() {
        let b = parse(
            "**Threat brief, week 48**\n\n**Summary**\n\nText.\n\n**Actions**\n\nMore.\n",
            "f.md",
        );
        assert_eq!(b.title, "Threat brief, week 48");
        let titles: Vec<_> = b.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Threat brief, week 48", "Summary", "Actions"]);
        assert_eq!(b.sections[1].line, 3);
        // Without a second label right below, the first is a section.
        let b = parse("**Summary**\n\nText.\n\n**Actions**\n\nMore.\n", "f.md");
        assert_eq!(b.title, "f.md");
        let titles: Vec<_> = b.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["f.md", "Summary", "Actions"]);
    }

    #[test]
    fn an_obsidian_callout_opens_its_quote_with_its_title() {
        let b = parse(
            "> [!warning] Embargoed\n> Do not **forward** this.\n\n> [!tip]-\n> Folded.\n\n> [!x\n> y\n",
            "f.md",
        );
        let blocks: Vec<_> = b.sections[0]
            .blocks
            .iter()
            .map(|bl| (bl.text.as_str(), bl.opens_quote))
            .collect();
        assert_eq!(
            blocks,
            [
                ("Warning: Embargoed", true),
                ("Do not forward this.", false),
                ("Tip", true),
                ("Folded.", false),
                ("[!x y", true),
            ]
        );
        let body = &b.sections[0].blocks[1];
        assert_eq!(&body.text[body.runs[0].range.clone()], "forward");
        assert_eq!(b.sections[0].blocks[0].runs[0].style, Inline::BOLD);
    }

    #[test]
    fn japanese_soft_breaks_join_without_spaces() {
        let b = parse(
            "日本語の文章が\n改行されている場合。**太字**が\n続きます。\nEnglish words\nstay spaced.\n",
            "f.md",
        );
        let block = &b.sections[0].blocks[0];
        assert_eq!(
            block.text,
            "日本語の文章が改行されている場合。太字が続きます。 English words stay spaced."
        );
        assert_eq!(&block.text[block.runs[0].range.clone()], "太字");
    }

    #[test]
    fn a_paragraph_of_fields_keeps_its_lines() {
        let b = parse(
            "# Lagebericht\n\n**Stand:** 16. Februar 2027\n**Verfasser:** Referat CERT\n\n\
             Created: September 30, 2026\nOwner: Daniel Okafor\n\n\
             发布日期：2027年2月24日\n发布单位：信息安全中心\n\n\
             Note: this wraps\nlike any paragraph.\n\nSource: the desk\nhttps://e.org/a: here\n",
            "f.md",
        );
        let texts: Vec<_> = b.sections[0]
            .blocks
            .iter()
            .map(|bl| bl.text.as_str())
            .collect();
        assert_eq!(
            texts,
            [
                "Stand: 16. Februar 2027\nVerfasser: Referat CERT",
                "Created: September 30, 2026\nOwner: Daniel Okafor",
                "发布日期：2027年2月24日\n发布单位：信息安全中心",
                "Note: this wraps like any paragraph.",
                "Source: the desk https://e.org/a: here",
            ]
        );
        // The bold keys stay bold.
        assert_eq!(b.sections[0].blocks[0].runs[0].range, 0..6);
    }

    #[test]
    fn pandoc_heading_attributes_are_not_part_of_the_title() {
        let b = parse(
            "# Introduction {#sec:intro}\n\nText.\n\n## Option A {#opt-a .unnumbered}\n\nMore.\n",
            "f.md",
        );
        let titles: Vec<_> = b.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Introduction", "Option A"]);
        for kept in [
            "GET /users/{id}",
            "Path parameter {id}",
            "The set {1, 2, 3}",
            "{#only}",
        ] {
            assert_eq!(without_attributes(kept), kept);
        }
        assert_eq!(without_attributes("Scope {.unnumbered lang=en}"), "Scope");
    }

    #[test]
    fn a_heading_title_leaves_its_link_target_out() {
        let b = parse(
            "# Changelog\n\n## [2.1.0] - 2026-11-20\n\nFixed.\n\n[2.1.0]: https://example.com/compare/v2.0.0...v2.1.0\n",
            "CHANGELOG.md",
        );
        assert_eq!(b.sections[1].title, "2.1.0 - 2026-11-20");
        assert_eq!(
            b.sections[1].links[0].target,
            "https://example.com/compare/v2.0.0...v2.1.0"
        );
        assert_eq!(b.sections[1].links[0].text, "2.1.0");
    }

    #[test]
    fn an_alert_opens_its_quote_with_its_kind() {
        let b = parse(
            "> [!WARNING]\n> Patch before **Friday**.\n\n> [!NOTE]\n> Nothing else.\n\n> [!FOO]\n> x\n",
            "f.md",
        );
        let blocks: Vec<_> = b.sections[0]
            .blocks
            .iter()
            .map(|bl| (bl.text.as_str(), bl.quote_depth))
            .collect();
        assert_eq!(
            blocks,
            [
                ("Warning", 1),
                ("Patch before Friday.", 1),
                ("Note", 1),
                ("Nothing else.", 1),
                // Not a kind GitHub knows: a callout as Obsidian has them.
                ("FOO", 1),
                ("x", 1),
            ]
        );
        let opens: Vec<bool> = b.sections[0].blocks.iter().map(|k| k.opens_quote).collect();
        assert_eq!(opens, [true, false, true, false, true, false]);
        let label = &b.sections[0].blocks[0];
        assert_eq!(label.runs.len(), 1);
        assert!(label.runs[0].style.contains(Inline::BOLD));
    }

    #[test]
    fn tables_keep_cells_as_tab_separated_text() {
        let b = parse("| A | B |\n|:--|--:|\n| 1 | **2** |\n|  | x |\n", "f.md");
        let block = &b.sections[0].blocks[0];
        assert_eq!(
            block.kind,
            BlockKind::Table {
                header_rows: 1,
                alignments: [Alignment::Left, Alignment::Right].into()
            }
        );
        assert_eq!(block.text, "A\tB\n1\t2\n\tx");
        assert_eq!(
            block.runs[0],
            StyleRun {
                range: 0..1,
                style: Inline::HEADER
            }
        );
    }

    #[test]
    fn footnotes_keep_reference_and_definition() {
        let b = parse("Claim.[^1]\n\n[^1]: The source.\n", "f.md");
        let texts: Vec<_> = b.sections[0]
            .blocks
            .iter()
            .map(|bl| (&bl.kind, bl.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                (&BlockKind::Paragraph, "Claim.[1]"),
                (
                    &BlockKind::ListItem {
                        marker: "[1]".into()
                    },
                    "The source."
                ),
            ]
        );
    }

    #[test]
    fn html_tags_are_markup_and_their_text_is_kept() {
        let b = parse(
            "# <span id=\"x\">SUMMARY</span>\n\n<div dir=\"rtl\">\nسلام <b>world</b>\n</div>\n",
            "f.md",
        );
        assert_eq!(b.sections[0].title, "SUMMARY");
        assert_eq!(b.sections[0].blocks[0].text, "سلام world");
    }

    #[test]
    fn an_html_table_is_a_table() {
        let b = parse(
            "# T\n\n<p>Before</p>\n<table>\n<tr><th>Service</th><th>Up</th></tr>\n\
             <tr class=\"odd\"><td>API</td><td>99.95%</td></tr>\n<tr><td><b>Web</b></td></tr>\n\
             </table>\n<p>After</p>\n\n<TABLE><TR><TD><strong>Type</strong></TD><TD><b>Life</b>\
             </TD></TR><TR><TD>PFOA</TD><TD>2&ndash;10 years</TD></TR></TABLE>\n",
            "f.md",
        );
        let blocks: Vec<(&BlockKind, &str)> = b.sections[0]
            .blocks
            .iter()
            .map(|k| (&k.kind, k.text.as_str()))
            .collect();
        let table = |header_rows| BlockKind::Table {
            header_rows,
            alignments: vec![Alignment::None; 2].into(),
        };
        assert_eq!(
            blocks,
            [
                (&BlockKind::Paragraph, "Before"),
                (&table(1), "Service\tUp\nAPI\t99.95%\nWeb\t"),
                (&BlockKind::Paragraph, "After"),
                // A first row all in bold is a header (as pandoc writes it).
                (&table(1), "Type\tLife\nPFOA\t2–10 years"),
            ]
        );
        // A table not closed within its block is text, its cells apart.
        let b = parse("<table><tr><td>a</td><td>b</td></tr>\n", "f.md");
        assert_eq!(b.sections[0].blocks[0].text, "a b");
        // A control character written as a reference is shown, not sent.
        let b = parse("<table><tr><td>&#27;[31m</td></tr></table>\n", "f.md");
        assert_eq!(b.sections[0].blocks[0].text, "␛[31m");
    }

    #[test]
    fn markdown_without_headings_gets_a_section_per_paragraph() {
        let b = parse(
            "---\ntitle: Statement\n---\n\nFirst paragraph about the council vote today.\n\n- a list item\n\nSecond paragraph about the budget.\n",
            "s.md",
        );
        let outline: Vec<_> = b
            .sections
            .iter()
            .map(|s| (s.kind, s.level, s.title.as_str(), s.blocks.len()))
            .collect();
        assert_eq!(
            outline,
            vec![
                (SectionKind::Lead, 1, "Statement", 0),
                (
                    SectionKind::Paragraph,
                    2,
                    "First paragraph about the council vote today.",
                    2
                ),
                (
                    SectionKind::Paragraph,
                    2,
                    "Second paragraph about the budget.",
                    1
                ),
            ]
        );
    }

    /// What [`changes_any`] must say, one character at a time.
    fn changes_any_slowly(s: &str, keep_newlines: bool) -> bool {
        s.chars().any(|c| {
            (c != '\n' || !keep_newlines)
                && (c == '\t' || c == '\n' || crate::loader::visible(c) != c)
        })
    }

    #[test]
    fn control_characters_are_found_at_every_offset_and_length() {
        let specials = [
            "\t", "\n", "\x1b", "\x7f", "\u{85}", "\u{9f}", "\u{a0}", "\u{202a}", "\u{202e}",
            "\u{202f}", "\u{2066}", "\u{2069}", "\u{206a}", "\u{2019}", "é",
        ];
        // Across three 16-byte spans and the rest after them.
        for len in 0..53 {
            for special in specials {
                for at in 0..=len {
                    let s = format!("{}{special}{}", "a".repeat(at), "b".repeat(len - at));
                    for keep in [false, true] {
                        let kept = if keep { CODE_KEEPS } else { INLINE_KEEPS };
                        let found = changes_any(s.as_bytes(), kept);
                        assert_eq!(found, changes_any_slowly(&s, keep), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn code_text_is_copied_when_nothing_changes() {
        assert_eq!(code_text("let x = 1;\n\nfoo()\n\n"), "let x = 1;\n\nfoo()");
        assert_eq!(code_text("a\tb\n\u{1b}\n"), "a       b\n\u{241b}");
        assert_eq!(code_text("\n"), "");
    }

    #[test]
    fn character_references_cannot_smuggle_escapes() {
        let b = parse("# T&#27;[2J\n\nA&#x1b;]52;c;x&#7;\n", "f.md");
        assert_eq!(b.sections[0].title, "T\u{241B}[2J");
        assert_eq!(b.sections[0].blocks[0].text, "A\u{241B}]52;c;x\u{2407}");
    }
}
