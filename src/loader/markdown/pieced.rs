//! Parsing a large Markdown text in pieces, on a thread per core (eight at
//! most), and joining what was built from them: the same [`Briefing`] as
//! one parse.
//! Where the pieces are cut is [`pieces`]' business; this module parses
//! them (from a string, or from the file piece by piece), checks each cut
//! and the definitions that reach across pieces, and falls back to one
//! parse when a piece could not stand alone.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use pulldown_cmark::{Event, Parser, Tag};

use super::{Builder, options};
use crate::briefing::Briefing;
use crate::loader::pieces;

/// The size of the pieces a large text is cut into (a piece ends at the
/// first good cut after this many bytes).
///
/// What a thread holds while it parses a piece (the piece's text,
/// pulldown-cmark's tree of it) is given back to its allocator when the
/// piece is done, but stays in the process: each thread parsing adds about
/// 3.4 times a piece to the peak memory. Loading 50 MiB of Markdown with
/// 1 MiB pieces peaked at 105 MiB on two threads and 125 MiB on eight;
/// with 256 KiB pieces at 102 and 108 MiB, and it took as long (two
/// cores: 10 MiB in a median 41 ms against 43, 50 MiB in 188 ms against
/// 200). Smaller pieces are not worth a thread.
pub(crate) const PIECE_BYTES: usize = 256 * 1024;

/// At most this many threads parse pieces at once, however many cores
/// there are, so that the peak memory stays bounded (see
/// [`PIECE_BYTES`]): 2 MiB of source in flight.
const MAX_THREADS: usize = 8;

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
        use std::io::Read;
        match *self {
            Source::Text(text) => text.get(range).map(std::borrow::Cow::Borrowed),
            Source::File(path) => {
                let mut file =
                    crate::loader::open_at(path, range.start as u64, range.len() as u64).ok()?;
                // Not zeroed first: that was 1.5% of a 10 MiB load.
                let mut bytes = Vec::with_capacity(range.len());
                file.read_to_end(&mut bytes).ok()?;
                if bytes.len() != range.len() {
                    return None;
                }
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
        let threads = crate::parallel::cores().min(MAX_THREADS).min(count);
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
            self.line += count_newlines(passed);
            self.offset = offset;
        }
        self.line
    }
}

/// The number of `\n` in `bytes`. Most steps of a [`LineCounter`] are
/// short (from one block or span to the next), so this counts without
/// memchr's set-up: 32 bytes at a time into byte-wide counters, which the
/// compiler vectorises.
fn count_newlines(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(32);
    let mut count = 0;
    for chunk in &mut chunks {
        let in_chunk = chunk.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
        count += usize::from(in_chunk);
    }
    let rest = chunks.remainder();
    count + rest.iter().fold(0, |n, &b| n + usize::from(b == b'\n'))
}

/// Parsing in pieces gives exactly what parsing the whole text gives.
#[cfg(test)]
mod tests {
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
        "**A label**\n\n",
        "**Another label:**\n\nText under it, with [a link](https://example.org/l).\n\n",
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
                 Setext {i}\n--------\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\
                 **Summary**\n\nText.\n\n**Details:**\n\nMore.\n\n"
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

    #[test]
    fn newlines_are_counted_in_every_length() {
        let text: Vec<u8> = (0..200u8)
            .map(|i| if i % 7 == 0 { b'\n' } else { b'a' })
            .collect();
        for start in 0..40 {
            for end in start..text.len() {
                let passed = &text[start..end];
                let expected = memchr::memchr_iter(b'\n', passed).count();
                assert_eq!(count_newlines(passed), expected, "{start}..{end}");
            }
        }
        assert_eq!(count_newlines(&[b'\n'; 1000]), 1000);
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
