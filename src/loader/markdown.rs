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

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use pulldown_cmark::{
    CodeBlockKind, Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd,
};

use crate::briefing::{
    Alignment, Block, BlockKind, Briefing, Format, Inline, Link, Metadata, Section, SectionKind,
    StyleRun, TextBuilder, Warning,
};
use crate::loader::{pieces, sanitize_line};

/// The one place that decides which Markdown extensions are on.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
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
/// [`pieces`](crate::loader::pieces)) that are parsed on as many threads as
/// the machine has cores, then joined in order.
pub(crate) fn parse_with_progress(
    text: &str,
    name: &str,
    progress: Option<&AtomicU64>,
    split_paragraphs: bool,
) -> Briefing {
    let target = piece_target(text.len() as u64);
    parse_in_pieces(text, name, progress, split_paragraphs, target)
}

/// Pieces are at least this long: smaller ones are not worth a thread.
const MIN_PIECE_BYTES: usize = 256 * 1024;
/// Pieces are at most about this long, so that pulldown-cmark's tree of a
/// piece stays small beside the briefing.
const MAX_PIECE_BYTES: usize = 1024 * 1024;

/// The size of the pieces a text of `len` bytes is cut into.
pub(crate) fn piece_target(len: u64) -> usize {
    usize::try_from(len / 16)
        .unwrap_or(usize::MAX)
        .clamp(MIN_PIECE_BYTES, MAX_PIECE_BYTES)
}

/// [`parse_with_progress`] with pieces of about `target` bytes.
pub(crate) fn parse_in_pieces(
    text: &str,
    name: &str,
    progress: Option<&AtomicU64>,
    split_paragraphs: bool,
    target: usize,
) -> Briefing {
    let plan = if text.len() > target {
        pieces::plan(text, target)
    } else {
        pieces::Plan {
            pieces: std::iter::once(0..text.len()).collect(),
            first_lines: vec![1],
            first_line_ends: vec![text.find('\n').map_or(text.len(), |n| n + 1)],
            definitions: Vec::new(),
        }
    };
    let job = Job::new(Source::Text(text), &plan, progress);
    if let Some(builder) = job.run() {
        return builder.finish(name, split_paragraphs);
    }
    if let Some(p) = progress {
        p.store(0, Ordering::Relaxed);
    }
    parse_in_pieces(text, name, progress, split_paragraphs, usize::MAX)
}

/// Parse the Markdown file at `path` as `plan` cuts it, reading each piece
/// from the file when it is parsed, so that the whole text is never in
/// memory at once. The plan's scan must have checked that the file is UTF-8
/// text that needs no normalising. `None` when a piece cannot be read as
/// such (the file changed meanwhile) or the text must be parsed as one.
pub(crate) fn parse_file_in_pieces(
    path: &std::path::Path,
    plan: &pieces::Plan,
    name: &str,
    progress: Option<&AtomicU64>,
) -> Option<Briefing> {
    let job = Job::new(Source::File(path), plan, progress);
    job.run().map(|builder| builder.finish(name, true))
}

/// Where the text of a job comes from.
#[derive(Clone, Copy)]
enum Source<'a> {
    Text(&'a str),
    /// A file, read piece by piece.
    File(&'a std::path::Path),
}

impl Source<'_> {
    /// The text of `range`; `None` if it cannot be read, or is not UTF-8.
    fn read(&self, range: Range<usize>) -> Option<std::borrow::Cow<'_, str>> {
        use std::io::{Read, Seek, SeekFrom};
        match *self {
            Source::Text(text) => text.get(range).map(std::borrow::Cow::Borrowed),
            Source::File(path) => {
                let mut file = std::fs::File::open(path).ok()?;
                file.seek(SeekFrom::Start(range.start as u64)).ok()?;
                let mut bytes = vec![0; range.len()];
                file.read_exact(&mut bytes).ok()?;
                String::from_utf8(bytes).ok().map(std::borrow::Cow::Owned)
            }
        }
    }
}

/// At most this much footnote stub text goes with each piece (see
/// [`Job::run`]).
const MAX_NOTE_STUBS: usize = 64 * 1024;

/// Parsing a text's pieces.
struct Job<'a> {
    source: Source<'a>,
    plan: &'a pieces::Plan,
    progress: Option<&'a AtomicU64>,
    /// Link reference definitions of the whole text, by [`label_key`]:
    /// destination and title, for a piece that uses one it does not make.
    links: HashMap<Label, (String, String)>,
    /// Footnote labels, with the offset of their definitions.
    notes: Vec<(usize, String)>,
}

/// One piece parsed: the model built from it, and whether the cut after it
/// holds (the next piece starts with a heading in this piece's context).
struct Parsed {
    builder: Builder,
    cut_holds: bool,
    labels: Labels,
}

/// The labels (by [`label_key`]) of the definitions a piece makes, and of
/// those it uses from other pieces.
#[derive(Default)]
struct Labels {
    links_made: HashSet<Label>,
    notes_made: HashSet<Label>,
    links_borrowed: HashSet<Label>,
    notes_borrowed: HashSet<Label>,
    /// A definition made in the piece that is not the document's one for
    /// its label as the scan gathered it: one the scan missed (in a quote
    /// or a list item), or a label defined again (the first definition in
    /// the document counts, a piece sees only its own).
    unsure: bool,
}

impl Labels {
    fn add(&mut self, other: Labels) {
        self.links_made.extend(other.links_made);
        self.notes_made.extend(other.notes_made);
        self.links_borrowed.extend(other.links_borrowed);
        self.notes_borrowed.extend(other.notes_borrowed);
        self.unsure |= other.unsure;
    }

    /// Whether the pieces together saw what one parse sees: every
    /// definition made where the scan found it, and everything borrowed
    /// made somewhere.
    fn hold(&self) -> bool {
        !self.unsure
            && self.links_borrowed.is_subset(&self.links_made)
            && self.notes_borrowed.is_subset(&self.notes_made)
    }
}

/// A label as `CommonMark` matches it: Unicode case folding, runs of white
/// space as one space.
type Label = unicase::UniCase<String>;

fn label_key(label: &str) -> Label {
    unicase::UniCase::new(label.split_whitespace().collect::<Vec<_>>().join(" "))
}

impl<'a> Job<'a> {
    fn new(source: Source<'a>, plan: &'a pieces::Plan, progress: Option<&'a AtomicU64>) -> Self {
        let mut links = HashMap::new();
        let mut notes = Vec::new();
        if plan.pieces.len() > 1 && !plan.definitions.is_empty() {
            // All the definitions as one text, parsed once: where each one
            // starts in it, and where it stood in the briefing.
            let mut all = String::new();
            let mut starts = Vec::with_capacity(plan.definitions.len());
            for (_, definition) in &plan.definitions {
                starts.push(all.len());
                all.push_str(definition);
                all.push('\n');
            }
            let mut events = Parser::new_ext(&all, options()).into_offset_iter();
            for (event, at) in events.by_ref() {
                if let Event::Start(Tag::FootnoteDefinition(label)) = event {
                    let k = starts.partition_point(|&s| s <= at.start).saturating_sub(1);
                    notes.push((plan.definitions[k].0, label.into_string()));
                }
            }
            for (label, def) in events.reference_definitions().iter() {
                links.entry(label_key(label)).or_insert_with(|| {
                    (
                        def.dest.to_string(),
                        def.title.as_deref().unwrap_or("").to_owned(),
                    )
                });
            }
        }
        Job {
            source,
            plan,
            progress,
            links,
            notes,
        }
    }

    /// Parse the pieces and join what was built from them; `None` when the
    /// text must be parsed as one instead: a piece used a definition from
    /// another that is not one where it stands (a line in a code block that
    /// the scan took for a definition).
    fn run(&self) -> Option<Builder> {
        let count = self.plan.pieces.len();
        // Every piece parses the stubs of the footnotes it does not define:
        // with very many footnotes, parsing in pieces would cost more than
        // it saves.
        let stubs: usize = self.notes.iter().map(|(_, label)| label.len() + 8).sum();
        if count > 1 && stubs > MAX_NOTE_STUBS {
            return None;
        }
        let mut parsed = self.parse_all();
        let mut builder: Option<Builder> = None;
        let mut labels = Labels::default();
        let mut k = 0;
        while k < count {
            // A cut that did not hold (the next piece's first line is not a
            // heading here) joins the pieces after it, parsed again as one:
            // twice as many each time, so that a run of such cuts costs no
            // more than parsing its pieces a few times over. Parsing again
            // reports no progress (the pieces were counted once).
            let mut last = k;
            let mut piece = match parsed[k].take() {
                Some(piece) => piece,
                None => self.parse(k, k, false)?,
            };
            let mut more = 1;
            while !piece.cut_holds && last + 1 < count {
                last = (last + more).min(count - 1);
                more *= 2;
                piece = self.parse(k, last, false)?;
            }
            labels.add(piece.labels);
            match builder.as_mut() {
                Some(b) => b.append(piece.builder),
                None => builder = Some(piece.builder),
            }
            k = last + 1;
        }
        labels.hold().then(|| builder.unwrap_or_default())
    }

    /// Parse every piece, on up to one thread per core (the calling thread
    /// is one of them). A slot is `None` if its thread could not be started
    /// or its text could not be read; a parser panic is raised again on the
    /// calling thread.
    fn parse_all(&self) -> Vec<Option<Parsed>> {
        let count = self.plan.pieces.len();
        if count == 1 {
            return vec![self.parse(0, 0, true)];
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(count);
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= count {
                    return done;
                }
                done.push((k, crate::guard::contain(|| self.parse(k, k, true))));
            }
        };
        let results: Vec<(usize, Result<Option<Parsed>, String>)> = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads)
                .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
                .collect();
            let mut results = work();
            for helper in helpers {
                results.extend(helper.join().unwrap_or_default());
            }
            results
        });
        let mut slots: Vec<Option<Parsed>> = (0..count).map(|_| None).collect();
        for (k, piece) in results {
            match piece {
                Ok(piece) => slots[k] = piece,
                Err(message) => std::panic::resume_unwind(Box::new(message)),
            }
        }
        slots
    }

    /// Parse pieces `first..=last` as one, with the first line of the piece
    /// after them (to check the cut), links defined elsewhere given by the
    /// broken-link callback, and footnotes defined elsewhere as stubs
    /// (pulldown-cmark takes a footnote reference only where its
    /// definition is in the text). `report`: add the bytes parsed to the
    /// progress.
    fn parse(&self, first: usize, last: usize, report: bool) -> Option<Parsed> {
        let plan = self.plan;
        let range = plan.pieces[first].start..plan.pieces[last].end;
        // With the next piece's first line, parsed to see that it is a
        // heading.
        let end = plan
            .first_line_ends
            .get(last + 1)
            .copied()
            .unwrap_or(range.end);
        let text = self.source.read(range.start..end)?;
        let (body, check) = text.split_at_checked(range.len())?;
        let mut stubs = String::new();
        for (_, label) in self.notes.iter().filter(|(at, _)| !range.contains(at)) {
            stubs.push_str(&format!("[^{label}]: .\n\n"));
        }
        // Stubs go before a piece that starts with a heading, and after the
        // first piece's check line (its front matter must open the text).
        let (input, prefix): (std::borrow::Cow<'_, str>, usize) = if stubs.is_empty() {
            (std::borrow::Cow::Borrowed(&*text), 0)
        } else if first == 0 {
            (format!("{body}{check}\n\n{stubs}").into(), 0)
        } else {
            (format!("{stubs}\n{body}{check}").into(), stubs.len() + 1)
        };
        let end = prefix + body.len();
        let borrowed = std::cell::RefCell::new(HashSet::new());
        let lend = |link: pulldown_cmark::BrokenLink<'_>| {
            let key = label_key(&link.reference);
            let (dest, title) = self.links.get(&key)?;
            borrowed.borrow_mut().insert(key);
            Some((dest.clone().into(), title.clone().into()))
        };
        let mut labels = Labels::default();
        let mut lines = LineCounter::new(body, self.plan.first_lines[first]);
        let mut b = Builder::default();
        let mut cut_holds = check.is_empty();
        let mut reported = 0;
        let mut events =
            Parser::new_with_broken_link_callback(&input, options(), Some(lend)).into_offset_iter();
        for (event, at) in events.by_ref() {
            if at.start < prefix {
                continue;
            }
            if at.start >= end {
                if !check.is_empty() {
                    cut_holds =
                        at.start == end && matches!(event, Event::Start(Tag::Heading { .. }));
                }
                break;
            }
            match &event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    labels.notes_made.insert(label_key(label));
                }
                Event::FootnoteReference(label) if !stubs.is_empty() => {
                    labels.notes_borrowed.insert(label_key(label));
                }
                _ => {}
            }
            let at = at.start - prefix;
            if let Some(p) = self.progress.filter(|_| report)
                && at >= reported + PROGRESS_STEP
            {
                p.fetch_add((at - reported) as u64, Ordering::Relaxed);
                reported = at;
            }
            // Lines are taken where blocks and inline spans start: the first
            // text of a block is on its start's line, and counting line
            // feeds up to every text event cost a call per event.
            if matches!(event, Event::Start(_) | Event::Rule | Event::Html(_)) {
                b.line = lines.line_at(at);
            }
            b.event(event);
        }
        if let Some(p) = self.progress.filter(|_| report) {
            p.fetch_add((body.len() - reported) as u64, Ordering::Relaxed);
        }
        if plan.pieces.len() > 1 {
            for (label, def) in events.reference_definitions().iter() {
                if !(prefix..end).contains(&def.span.start) {
                    continue;
                }
                let key = label_key(label);
                let title = def.title.as_deref().unwrap_or("");
                labels.unsure |= self
                    .links
                    .get(&key)
                    .is_none_or(|(d, t)| *d != *def.dest || t != title);
                labels.links_made.insert(key);
            }
            labels.unsure |= !labels
                .notes_made
                .iter()
                .all(|made| self.notes.iter().any(|(_, l)| label_key(l) == *made));
        }
        drop(events);
        labels.links_borrowed = borrowed.into_inner();
        // A reference to a note made in this piece borrowed nothing.
        labels
            .notes_borrowed
            .retain(|l| !labels.notes_made.contains(l));
        b.flush();
        Some(Parsed {
            builder: b,
            cut_holds,
            labels,
        })
    }
}

/// How often (in bytes of source) parsing reports its progress.
const PROGRESS_STEP: usize = 256 * 1024;

/// Line numbers of byte offsets that come in source order (the offsets of
/// start and text events), counted forward from the last one.
struct LineCounter<'a> {
    text: &'a [u8],
    /// The offset of the last lookup and its line.
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    /// Counting in `text`, whose first line has number `first`.
    fn new(text: &'a str, first: usize) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: first,
        }
    }

    /// The line of `offset`; an offset before the last one gets the last
    /// one's line.
    fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset > self.offset {
            let passed = &self.text[self.offset..offset];
            self.line += memchr::memchr_iter(b'\n', passed).count();
            self.offset = offset;
        }
        self.line
    }
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
            Event::SoftBreak => self.push_text(" ", Inline::PLAIN),
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
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_add(1);
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
                    let text = strip_html(&html);
                    self.push_text(&text, Inline::PLAIN);
                    self.flush();
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
                    let text = self.target().text();
                    let shown = text.get(start..).unwrap_or_default().trim().to_owned();
                    let bare = url.trim_start_matches("mailto:");
                    let is_external = url.contains("://") || url.starts_with("mailto:");
                    if is_external && !text.ends_with(bare) {
                        self.push_text(&format!(" <{url}>"), Inline::LINK_TARGET);
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
        if self.text.is_blank() {
            self.text.finish();
            return;
        }
        let (text, runs) = self.text.finish();
        let kind = match self.pending_marker.take() {
            Some(marker) => BlockKind::ListItem { marker },
            None => BlockKind::Paragraph,
        };
        let block = Block {
            kind,
            text,
            runs,
            quote_depth: self.quote_depth,
            list_depth: self.list_depth(),
            repeat_of: None,
        };
        self.push_block(block);
    }

    fn push_block(&mut self, mut block: Block) {
        if block.quote_depth == 0 {
            block.quote_depth = self.quote_depth;
        }
        if let Some(section) = self.sections.last_mut() {
            section.blocks.push(block);
        } else {
            if self.lead.is_empty() {
                self.lead_line = self.text_line.max(1);
            }
            self.lead_lines.push(self.text_line.max(1));
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
        let title = sanitize_line(&title);
        if level == 1 && self.first_h1.is_none() && !title.is_empty() {
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
            list_depth: self.list_depth(),
            repeat_of: None,
        };
        self.text_line = table.line;
        self.push_block(block);
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

    fn finish(mut self, name: &str, split_paragraphs: bool) -> Briefing {
        self.flush();
        for (kind, text, line) in std::mem::take(&mut self.metadata_blocks) {
            self.read_front_matter(kind, &text, line);
        }
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
        let no_headings = self.sections.is_empty();
        sections.append(&mut self.sections);
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
                ..Section::new(2, crate::loader::plain::label(&block.text, 8, 48), line)
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
    let bytes = s.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        0..=0x1F | 0x7F => true,
        0xC2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
        0xE2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        _ => false,
    })
}

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
    let mut out = String::with_capacity(code.len());
    for (i, line) in code.trim_end_matches('\n').split('\n').enumerate() {
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

/// Remove HTML comments and tags, keeping the text between them.
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else if rest.starts_with('<')
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
        {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = rest[..end].to_ascii_lowercase();
            if tag.starts_with("<br") || tag.starts_with("<p") || tag.starts_with("</p") {
                out.push(' ');
            }
            rest = &rest[end..];
        } else {
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let next = rest[first..].find('<').map_or(rest.len(), |i| i + first);
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
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
            Yaml::Array(items) => items.iter().filter_map(yaml_scalar).collect(),
            other => yaml_scalar(other).into_iter().collect(),
        };
        set_field(meta, &key, &list, matches!(value, Yaml::Array(_)));
    }
    Ok(())
}

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
                let list: Vec<String> = items.iter().filter_map(toml_scalar).collect();
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
    fn html_with_non_ascii_text_between_tags() {
        assert_eq!(
            strip_html("<summary>ترجمه ها:</summary>\n<b>日本</b>"),
            "ترجمه ها:\n日本"
        );
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

    #[test]
    fn character_references_cannot_smuggle_escapes() {
        let b = parse("# T&#27;[2J\n\nA&#x1b;]52;c;x&#7;\n", "f.md");
        assert_eq!(b.sections[0].title, "T\u{241B}[2J");
        assert_eq!(b.sections[0].blocks[0].text, "A\u{241B}]52;c;x\u{2407}");
    }
}

/// Parsing in pieces gives exactly what parsing the whole text gives.
#[cfg(test)]
mod piece_tests {
    use super::*;
    use proptest::prelude::*;

    fn whole(text: &str) -> Briefing {
        parse_in_pieces(text, "doc.md", None, true, usize::MAX)
    }

    fn pieced(text: &str, target: usize) -> Briefing {
        parse_in_pieces(text, "doc.md", None, true, target)
    }

    /// Fragments chosen to trip a line scan: headings in code, comments and
    /// HTML blocks, lists and quotes that a heading closes, definitions far
    /// from their use, setext headings, tables.
    const FRAGMENTS: &[&str] = &[
        "# Title\n\n",
        "## Section\n\nA paragraph with a [reference][ref] and a note.[^n]\n\n",
        "### Deeper\ntext right under it\n\n",
        "```sh\n\n# not a heading\n\n",
        "```\n\n",
        "~~~\n\n# also code\n~~~\n\n",
        "<!--\n\n# commented out\n\n",
        "-->\n\n",
        "<div>\n# inside html\n</div>\n\n",
        "<pre>\n\n# preformatted\n</pre>\n\n",
        "- item one\n- item two\n\n  continued\n\n",
        "1. first\n   ```\n   # shell comment\n\n",
        "> quoted\n> # quoted heading\n\n",
        "Setext heading\n--------------\n\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
        "[ref]: https://example.org/ref \"Ref\"\n\n",
        "[^n]: The note, defined far away.\n\n",
        "Plain words and *emphasis* and `code`.\n\n",
        "    # indented code\n\n",
        "#hashtag is not a heading\n\n",
        "# \n\n",
        "---\ntitle: Metadata anywhere\nkeywords: [k]\n---\n\n",
        "+++\ntitle = \"TOML\"\n+++\n\n",
        "[ref]: https://example.org/defined-again\n\n",
        "> [q]: https://example.org/quoted\n\nSee [q] and [REF].\n\n",
    ];

    /// A long well-formed document: every fence and comment closed, the
    /// definitions at the end.
    fn long_document() -> String {
        let mut text = String::from("---\ntitle: Pieces\n---\n\nLead paragraph.\n\n");
        for i in 0..400 {
            text.push_str(&format!(
                "# Part {i}\n\nText with a [reference][ref] and a note.[^n]\n\n\
                 ```sh\n\n# not a heading\n\n[fake]: /in-code\n```\n\n\
                 <!--\n\n# commented out\n\n-->\n\n\
                 - item\n- item\n\n  more\n\n> quoted\n\n\
                 Setext {i}\n--------\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            ));
        }
        text.push_str("[ref]: https://example.org/ref\n\n[^n]: The note.\n");
        text
    }

    #[test]
    fn a_large_document_parses_the_same_in_pieces() {
        let text = long_document();
        let expected = whole(&text);
        for target in [64, 1000, 10_000] {
            assert_eq!(pieced(&text, target), expected, "pieces of {target} bytes");
        }
    }

    #[test]
    fn a_large_well_formed_document_is_not_parsed_whole_again() {
        let text = long_document().replace("[fake]", "fake");
        let plan = pieces::plan(&text, 1000);
        assert!(plan.pieces.len() > 50, "{}", plan.pieces.len());
        let job = Job::new(Source::Text(&text), &plan, None);
        assert!(job.run().is_some());
    }

    #[test]
    fn a_definition_seen_in_code_makes_the_text_parse_whole() {
        // `[fake]: /in-code` sits in fenced code: the scan gathers it, the
        // pieces do not define it, and when a piece uses `[fake]` the text
        // is parsed as one.
        let text = long_document() + "\n# Last\n\nSee [fake].\n";
        assert_eq!(pieced(&text, 1000), whole(&text));
        let plan = pieces::plan(&text, 1000);
        let job = Job::new(Source::Text(&text), &plan, None);
        assert!(job.run().is_none());
    }

    #[test]
    fn references_and_notes_defined_in_another_piece_are_resolved() {
        let text = "# A\n\nSee [the site][ref] and a note.[^n]\n\n# B\n\nMore.\n\n\
                    [ref]: https://example.org/\n\n[^n]: The note.\n";
        let b = pieced(text, 1);
        assert!(pieces::plan(text, 1).pieces.len() >= 2);
        assert_eq!(b, whole(text));
        let first = &b.sections[0];
        assert_eq!(first.links[0].target, "https://example.org/");
        assert!(
            first.blocks[0].text.contains("[n]"),
            "{:?}",
            first.blocks[0]
        );
    }

    #[test]
    fn definitions_the_scan_cannot_see_or_made_twice_make_the_text_parse_whole() {
        // A definition inside a quote is the document's all the same, and
        // of a label defined twice the first counts: pieces parsed alone
        // would see neither, so the text is parsed as one.
        let quoted = "# A\n\nSee [q] and [dup].\n\n# B\n\n> [q]: https://example.org/quoted\n\n\
                      [dup]: https://example.org/first\n\n# C\n\n[dup]: https://example.org/second\n\n\
                      And [dup] again.\n";
        let plan = pieces::plan(quoted, 1);
        assert!(plan.pieces.len() >= 3);
        assert!(Job::new(Source::Text(quoted), &plan, None).run().is_none());
        assert_eq!(pieced(quoted, 1), whole(quoted));
        // Labels match as CommonMark says: case folded, spaces collapsed.
        let folded = "# A\n\nSee [STRASSE  Plan].\n\n# B\n\n[straße plan]: https://example.org/\n";
        assert_eq!(pieced(folded, 1), whole(folded));
        assert_eq!(
            pieced(folded, 1).sections[0].links[0].target,
            "https://example.org/"
        );
    }

    #[test]
    fn metadata_blocks_after_the_top_apply_in_order() {
        // pulldown-cmark reads a `---` block anywhere as metadata: a later
        // piece's block applies after the first piece's, as in one parse.
        let text = "---\ntitle: First\nkeywords: [a]\n---\n\n# One\n\ntext\n\n\
                    # Two\n\n---\ntitle: Second\nkeywords: [b]\n---\n\nmore\n\n\
                    # Three\n\n---\n: [not yaml\n---\n";
        assert!(pieces::plan(text, 1).pieces.len() >= 3);
        assert_eq!(pieced(text, 1), whole(text));
    }

    #[test]
    fn very_many_footnotes_make_the_text_parse_whole() {
        let mut text = String::new();
        for i in 0..10_000 {
            text.push_str(&format!(
                "# Part {i}\n\nA claim.[^{i}]\n\n[^{i}]: Its source.\n\n"
            ));
        }
        let plan = pieces::plan(&text, 1000);
        assert!(plan.pieces.len() > 100);
        assert!(Job::new(Source::Text(&text), &plan, None).run().is_none());
        assert_eq!(pieced(&text, 1000), whole(&text));
    }

    #[test]
    fn a_file_that_changed_after_its_plan_is_not_loaded_in_pieces() {
        let text = long_document();
        let plan = pieces::plan(&text, 1000);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("changed.md");
        std::fs::write(&path, &text[..text.len() / 2]).unwrap();
        assert!(parse_file_in_pieces(&path, &plan, "changed.md", None).is_none());
        std::fs::write(&path, &text).unwrap();
        assert_eq!(
            parse_file_in_pieces(&path, &plan, "changed.md", None),
            Some(whole(&text))
        );
    }

    #[test]
    fn progress_counts_every_byte_once() {
        // Pieces joined again, and a text parsed whole after its pieces,
        // are not counted twice.
        let joined = "# A\n\n- item\n\n    - nested\n\n      ```\n\n# one\n\n# B\n\ntext\n";
        let whole_again = long_document() + "\n# Last\n\nSee [fake].\n";
        for text in [joined, &whole_again] {
            let progress = AtomicU64::new(0);
            parse_in_pieces(text, "doc.md", Some(&progress), true, 1);
            assert_eq!(progress.load(Ordering::Relaxed), text.len() as u64);
        }
    }

    #[test]
    fn a_cut_that_does_not_hold_joins_the_pieces() {
        // The scan cannot see the fence opened inside the list item (indent
        // 4), so it proposes a cut at the heading line inside the code; the
        // parse shows that line is not a heading and the pieces are joined.
        let text = "# A\n\n- item\n\n    - nested\n\n      ```\n\n# one\n\n# B\n\ntext\n";
        assert_eq!(pieced(text, 1), whole(text));
    }

    /// The real documents beside the repository (`../shared/corpus/`), when
    /// it is there, cut into small pieces.
    #[test]
    fn corpus_documents_parse_the_same_in_pieces() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: no corpus at {}", dir.display());
            return;
        };
        let mut checked = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let text = text.replace("\r\n", "\n");
            let expected = whole(&text);
            for target in [2_000, 20_000] {
                assert!(
                    pieced(&text, target) == expected,
                    "{} in pieces of {target} bytes",
                    path.display()
                );
            }
            checked += 1;
        }
        eprintln!("{checked} corpus documents checked");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_mix_of_fragments_parses_the_same_in_pieces(
            picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..60),
            target in 1usize..400,
        ) {
            let text: String = picks.iter().map(|&i| FRAGMENTS[i]).collect();
            prop_assert_eq!(pieced(&text, target), whole(&text));
        }
    }
}
