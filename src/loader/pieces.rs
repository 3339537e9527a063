//! Cutting a large Markdown text into pieces that parse alone, so that the
//! pieces can be parsed on several threads and the parser's tree never
//! holds more than one piece per thread.
//!
//! A piece starts at a top-level ATX heading (`#`…`######` at column 0)
//! after a blank line, outside fenced code and outside raw HTML blocks. Such
//! a heading closes every block open before it, so what follows it parses
//! the same alone as in the whole document. This line scan only *proposes*
//! cuts: the Markdown loader parses each piece together with the next
//! piece's first line and takes the cut only if pulldown-cmark starts a
//! heading exactly there (see `Job::parse` in `markdown/pieced.rs`);
//! otherwise the two pieces are parsed as one. The scan may therefore be simple, and wrong in
//! the safe direction only.
//!
//! Two things in Markdown reach across the whole document: link reference
//! definitions (`[label]: /url`) and footnote definitions (`[^1]: text`).
//! Lines that look like either are gathered into [`Plan::definitions`], so
//! that the loader can give a piece the definitions made in other pieces
//! (and check afterwards that each one it gave was a real definition).

use std::ops::Range;

/// How a text is cut.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Byte ranges, in order, covering the whole text.
    pub pieces: Vec<Range<usize>>,
    /// The 1-based line number of each piece's first line.
    pub first_lines: Vec<usize>,
    /// Where each piece's first line ends (after its `\n`).
    pub first_line_ends: Vec<usize>,
    /// Lines that look like link reference or footnote definitions, each
    /// with its byte offset and the lines after it that can hold its
    /// destination or title.
    pub definitions: Vec<(usize, String)>,
}

/// Plan pieces of about `target` bytes (a piece ends at the first good cut
/// after `target` bytes; a text without good cuts is one piece).
pub(crate) fn plan(text: &str, target: usize) -> Plan {
    let mut planner = Planner::new(target);
    planner.lines(text);
    planner.finish()
}

/// Plans pieces line by line, for a text that is read bit by bit (see
/// `loader::load_markdown_in_pieces`).
///
/// A text can also be planned in two parts at once: a planner for the
/// part after an empty line ([`Planner::after_empty_line`]) is then
/// [joined](Planner::join) to the one for the part before it, which holds
/// when the first part ends outside code and HTML blocks (see
/// [`Planner::ends_clear`]).
pub(crate) struct Planner {
    target: usize,
    plan: Plan,
    piece_start: usize,
    scan: Scan,
    /// Lines seen; for a planner of a later part, lines of that part.
    line_no: usize,
    offset: usize,
    /// Lines after a definition that may still belong to it (a title).
    title_lines: usize,
    /// Whether the first line is the text's first.
    at_text_start: bool,
}

impl Planner {
    pub(crate) fn new(target: usize) -> Self {
        Planner {
            target,
            plan: Plan {
                pieces: Vec::new(),
                first_lines: vec![1],
                first_line_ends: Vec::new(),
                definitions: Vec::new(),
            },
            piece_start: 0,
            scan: Scan {
                after_blank: true,
                ..Scan::default()
            },
            line_no: 0,
            offset: 0,
            title_lines: 0,
            at_text_start: true,
        }
    }

    /// A planner for the part of a text from byte `offset` on, where the
    /// line before `offset` is empty. Its pieces and line numbers make
    /// sense only once it is joined to the planner of what comes before.
    pub(crate) fn after_empty_line(target: usize, offset: usize) -> Self {
        let mut planner = Planner::new(target);
        planner.plan.first_lines.clear();
        planner.piece_start = offset;
        planner.offset = offset;
        planner.at_text_start = false;
        planner
    }

    /// The byte offset after the lines seen so far.
    pub(crate) fn offset(&self) -> usize {
        self.offset
    }

    /// Whether the lines so far end outside fenced code and raw HTML, after
    /// an empty line, with no definition that the next line could go on:
    /// the state [`Planner::after_empty_line`] starts in.
    pub(crate) fn ends_clear(&self) -> bool {
        self.scan.fence.is_none()
            && self.scan.raw_html_end.is_none()
            && self.scan.after_blank
            && self.title_lines == 0
    }

    /// This planner followed by `next`, which planned the lines from this
    /// one's [`offset`](Planner::offset) on and started
    /// [after an empty line](Planner::after_empty_line). The plan is the
    /// one of planning every line here, when this one [`ends_clear`], but
    /// for where the pieces near the join are cut: the other planner
    /// started its first piece at the join, so that piece may be up to
    /// twice the target. Every cut is as good (a heading after a blank
    /// line, outside code).
    ///
    /// [`ends_clear`]: Planner::ends_clear
    pub(crate) fn join(mut self, next: Planner) -> Planner {
        debug_assert!(self.ends_clear() && next.piece_start <= next.offset);
        debug_assert_eq!(
            self.offset,
            next.plan
                .pieces
                .first()
                .map_or(next.piece_start, |p| p.start)
        );
        let Planner {
            plan,
            piece_start,
            scan,
            line_no,
            offset,
            title_lines,
            ..
        } = next;
        let mut pieces = plan.pieces.into_iter();
        if let Some(first) = pieces.next() {
            // This planner's open piece runs on to the other's first cut.
            self.plan.pieces.push(self.piece_start..first.end);
            self.plan.pieces.extend(pieces);
            self.piece_start = piece_start;
        }
        let lines_before = self.line_no;
        self.plan
            .first_lines
            .extend(plan.first_lines.into_iter().map(|n| n + lines_before));
        self.plan.first_line_ends.extend(plan.first_line_ends);
        self.plan.definitions.extend(plan.definitions);
        self.scan = scan;
        self.line_no += line_no;
        self.offset = offset;
        self.title_lines = title_lines;
        self
    }

    /// The next lines: `text` is whole lines, but for the last line of the
    /// whole text, which may have no `\n`.
    pub(crate) fn lines(&mut self, text: &str) {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
            self.line(&text[start..=end]);
            start = end + 1;
        }
        if start < text.len() {
            self.line(&text[start..]);
        }
    }

    /// The next line, with its `\n` (the last line may have none).
    fn line(&mut self, raw: &str) {
        self.line_no += 1;
        if self.line_no == 1 && self.at_text_start {
            self.plan.first_line_ends.push(raw.len());
        }
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let kind = self.scan.line(line);
        // Most lines are neither cuts nor definitions, nor after one.
        if kind != Kind::Other || self.title_lines > 0 {
            self.take(kind, line, raw.len());
        }
        self.offset += raw.len();
    }

    /// A line of `len` bytes (with its `\n`) that is a cut, a definition or
    /// a line after one.
    #[cold]
    fn take(&mut self, kind: Kind, line: &str, len: usize) {
        let definitions = &mut self.plan.definitions;
        match definitions.last_mut() {
            Some((_, definition))
                if kind != Kind::Definition
                    && self.title_lines > 0
                    && continues_definition(line) =>
            {
                definition.push_str(line);
                definition.push('\n');
                self.title_lines -= 1;
            }
            _ => self.title_lines = 0,
        }
        match kind {
            Kind::Heading if self.offset > 0 && self.offset - self.piece_start >= self.target => {
                self.plan.pieces.push(self.piece_start..self.offset);
                self.plan.first_lines.push(self.line_no);
                self.plan.first_line_ends.push(self.offset + len);
                self.piece_start = self.offset;
            }
            Kind::Definition => {
                definitions.push((self.offset, format!("{line}\n")));
                self.title_lines = 2;
            }
            _ => {}
        }
    }

    /// The plan, once every line is in.
    pub(crate) fn finish(mut self) -> Plan {
        if self.line_no == 0 {
            self.plan.first_line_ends.push(0);
        }
        self.plan.pieces.push(self.piece_start..self.offset);
        self.plan
    }
}

/// What a line is, as far as cutting is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A heading where a piece may start.
    Heading,
    /// Looks like a link reference or footnote definition.
    Definition,
    Other,
}

/// The line scanner's state: inside fenced code, inside a raw HTML block
/// (the text that ends it), and whether the line before was blank.
#[derive(Default)]
struct Scan {
    fence: Option<(u8, usize)>,
    raw_html_end: Option<&'static str>,
    after_blank: bool,
}

impl Scan {
    fn line(&mut self, line: &str) -> Kind {
        // Most lines are text that starts with a letter or digit (or a
        // character beyond ASCII): not blank, and it neither opens nor
        // closes anything the scan looks for but a raw HTML block's end.
        if self.raw_html_end.is_none()
            && line
                .as_bytes()
                .first()
                .is_some_and(|&b| b.is_ascii_alphanumeric() || b >= 0x80)
        {
            self.after_blank = false;
            return Kind::Other;
        }
        let after_blank = std::mem::replace(&mut self.after_blank, is_blank(line));
        // Definitions are gathered even where the scan believes it is in
        // code: a fence it sees may have been closed by its list item
        // ending, and a definition too many is harmless where one too few
        // leaves a reference unresolved.
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() <= 3 && trimmed.starts_with('[') && trimmed.contains("]:") {
            return Kind::Definition;
        }
        if let Some((fence_char, fence_len)) = self.fence {
            if closes_fence(line, fence_char, fence_len) {
                self.fence = None;
            }
            return Kind::Other;
        }
        if let Some(end) = self.raw_html_end {
            if contains_ignore_case(line, end) {
                self.raw_html_end = None;
            }
            return Kind::Other;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            return Kind::Other;
        }
        let rest = &line[indent..];
        if let Some(fence) = opens_fence(rest) {
            self.fence = Some(fence);
            return Kind::Other;
        }
        if let Some(after) = rest.strip_prefix('<') {
            if let Some(end) = raw_html_end(rest)
                && !contains_ignore_case(after, end)
            {
                self.raw_html_end = Some(end);
            }
            return Kind::Other;
        }
        if indent == 0 && after_blank && is_atx_heading(rest) {
            return Kind::Heading;
        }
        Kind::Other
    }
}

/// A line after a definition that can only be its destination or title
/// (so that gathering it cannot open a block that swallows what follows).
fn continues_definition(line: &str) -> bool {
    let t = line.trim();
    t.starts_with(['"', '\'', '('])
        || (!t.is_empty()
            && !t.contains(' ')
            && !t.starts_with(['`', '~', '<', '#', '>', '-', '*', '+', '|', '[', '=']))
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

/// `#` to `######` followed by a space, a tab or the end of the line.
fn is_atx_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(line.as_bytes().get(hashes), None | Some(b' ' | b'\t'))
}

/// A line (indentation removed) that opens a fenced code block: three or
/// more backticks (with no backtick in the info string) or tildes.
fn opens_fence(rest: &str) -> Option<(u8, usize)> {
    let first = *rest.as_bytes().first()?;
    if first != b'`' && first != b'~' {
        return None;
    }
    let len = rest.bytes().take_while(|&b| b == first).count();
    if len < 3 || (first == b'`' && rest[len..].contains('`')) {
        return None;
    }
    Some((first, len))
}

fn closes_fence(line: &str, fence_char: u8, fence_len: usize) -> bool {
    let rest = line.trim_start_matches(' ');
    if line.len() - rest.len() > 3 {
        return false;
    }
    let len = rest.bytes().take_while(|&b| b == fence_char).count();
    len >= fence_len && is_blank(&rest[len..])
}

/// The end marker of an HTML block of `CommonMark` types 1 to 5 (which may
/// hold blank lines), if the line starts one.
fn raw_html_end(rest: &str) -> Option<&'static str> {
    let lower = |n: usize| rest.get(..n).map(str::to_ascii_lowercase);
    for (open, end) in [
        ("<pre", "</pre>"),
        ("<script", "</script>"),
        ("<style", "</style>"),
        ("<textarea", "</textarea>"),
    ] {
        if lower(open.len()).as_deref() == Some(open)
            && matches!(
                rest.as_bytes().get(open.len()),
                None | Some(b' ' | b'\t' | b'>')
            )
        {
            return Some(end);
        }
    }
    if rest.starts_with("<!--") {
        Some("-->")
    } else if rest.starts_with("<?") {
        Some("?>")
    } else if rest.starts_with("<![CDATA[") {
        Some("]]>")
    } else if rest.starts_with("<!") && rest[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some(">")
    } else {
        None
    }
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(text: &str) -> Vec<&str> {
        plan(text, 1).pieces.into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn cuts_before_top_level_headings_after_a_blank_line() {
        let text = "intro\n\n# One\ntext\n## Two\n\n## Three\nmore\n";
        assert_eq!(
            cuts(text),
            ["intro\n\n", "# One\ntext\n## Two\n\n", "## Three\nmore\n"]
        );
        let plan = plan(text, 1);
        assert_eq!(plan.first_lines, [1, 3, 7]);
    }

    #[test]
    fn no_cut_inside_fences_html_blocks_or_indented_lines() {
        let text = "# A\n\n```sh\n\n# not a heading\n```\n\n<!--\n\n# hidden\n-->\n\n    # code\n\n~~~~\n\n# x\n~~~\n\n# x\n~~~~\n\n# B\n";
        let pieces = cuts(text);
        assert_eq!(pieces.len(), 2, "{pieces:?}");
        assert_eq!(pieces[1], "# B\n");
    }

    #[test]
    fn pieces_are_about_the_target_size() {
        let section = "# Heading\n\nSome text of the section.\n\n";
        let text = section.repeat(1000);
        let plan = plan(&text, 10 * section.len());
        assert_eq!(plan.pieces.len(), 100);
        assert!(plan.pieces.iter().all(|r| r.len() == 10 * section.len()));
        assert_eq!(plan.pieces.last().map(|r| r.end), Some(text.len()));
    }

    #[test]
    fn definitions_are_gathered_with_their_titles() {
        let text =
            "# A\n\nSee [x] and [^1].\n\n[x]: https://example.org\n  \"Title\"\n\n[^1]: A note.\n";
        let plan = plan(text, usize::MAX);
        assert_eq!(
            plan.definitions,
            [
                (24, "[x]: https://example.org\n  \"Title\"\n".to_owned()),
                (60, "[^1]: A note.\n".to_owned())
            ]
        );
        assert_eq!(plan.pieces.len(), 1);
    }

    #[test]
    fn lines_fed_in_blocks_plan_as_the_whole_text() {
        let text = "intro\n\n# One\ntext\n\n[x]: /u\n\n# Two\nlast line";
        let mut planner = Planner::new(1);
        planner.lines("intro\n\n# One\n");
        planner.lines("");
        planner.lines("text\n\n[x]: /u\n\n# Two\n");
        planner.lines("last line");
        let plan = planner.finish();
        assert_eq!(plan, super::plan(text, 1));
        assert_eq!(
            plan,
            Plan {
                pieces: vec![0..7, 7..28, 28..43],
                first_lines: vec![1, 3, 8],
                first_line_ends: vec![6, 13, 34],
                definitions: vec![(19, "[x]: /u\n".to_owned())],
            }
        );
    }

    /// A text with every kind of line the scan tells apart, blank lines
    /// inside code and HTML blocks among them.
    fn varied_text() -> String {
        let mut text = String::from("---\ntitle: T\n---\n\nLead.\n\n");
        for i in 0..40 {
            text.push_str(&format!(
                "# Part {i}\n\nText [a][r{i}].\n\n```sh\n\n# not a heading\n\n```\n\n\
                 <!--\n\n# hidden\n\n-->\n\n[r{i}]: /u{i}\n  \"Title {i}\"\n\n\
                 ## Detail {i}\nclose under it\n\n    # indented code\n\n\
                 > quoted\n\n~~~~\n\n~~~\n\n# x\n~~~~\n\n"
            ));
        }
        text
    }

    /// `text` planned as two parts at `half` (after an empty line) and
    /// joined, or the second part planned again after the first where the
    /// first does not end clear; and whether they were joined.
    fn plan_in_two_parts(text: &str, half: usize, target: usize) -> (Plan, bool) {
        let mut head = Planner::new(target);
        head.lines(&text[..half]);
        let mut tail = Planner::after_empty_line(target, half);
        tail.lines(&text[half..]);
        if head.ends_clear() {
            (head.join(tail).finish(), true)
        } else {
            head.lines(&text[half..]);
            (head.finish(), false)
        }
    }

    #[test]
    fn a_text_planned_in_two_parts_at_any_empty_line_is_planned_as_well() {
        let text = varied_text();
        let candidates = plan(&text, 1);
        let halves: Vec<usize> = text.match_indices("\n\n").map(|(at, _)| at + 2).collect();
        let mut joined = 0;
        for &half in &halves {
            for target in [1, 300, 2000] {
                let (two, was_joined) = plan_in_two_parts(&text, half, target);
                joined += usize::from(was_joined);
                let context = format!("half {half}, target {target}");
                if !was_joined {
                    assert_eq!(two, plan(&text, target), "{context}");
                    continue;
                }
                assert_eq!(two.definitions, candidates.definitions, "{context}");
                assert_eq!(two.pieces.first().map(|r| r.start), Some(0), "{context}");
                assert_eq!(
                    two.pieces.last().map(|r| r.end),
                    Some(text.len()),
                    "{context}"
                );
                assert!(
                    two.pieces.windows(2).all(|w| w[0].end == w[1].start),
                    "{context}"
                );
                assert_eq!(two.first_lines.len(), two.pieces.len(), "{context}");
                assert_eq!(two.first_line_ends.len(), two.pieces.len(), "{context}");
                for (k, piece) in two.pieces.iter().enumerate() {
                    let start = piece.start;
                    if k > 0 {
                        assert!(
                            candidates.pieces.iter().any(|c| c.start == start),
                            "{context}: cut at {start} is no heading after a blank line"
                        );
                    }
                    let line = 1 + text[..start].matches('\n').count();
                    let line_end = text[start..]
                        .find('\n')
                        .map_or(text.len(), |n| start + n + 1);
                    assert_eq!(two.first_lines[k], line, "{context}");
                    assert_eq!(two.first_line_ends[k], line_end, "{context}");
                }
                if target == 1 {
                    // Every cut but one at the join itself, which the part
                    // after it cannot make alone.
                    let cuts: Vec<usize> = candidates
                        .pieces
                        .iter()
                        .map(|r| r.start)
                        .filter(|&s| s != half)
                        .collect();
                    let made: Vec<usize> = two.pieces.iter().map(|r| r.start).collect();
                    assert_eq!(made, cuts, "{context}");
                }
            }
        }
        // Both ways were taken: joined, and planned again.
        assert!(
            joined > 0 && joined < halves.len() * 3,
            "{joined} of {}",
            halves.len() * 3
        );
    }

    #[test]
    fn heading_shapes() {
        assert!(is_atx_heading("# a"));
        assert!(is_atx_heading("######"));
        assert!(!is_atx_heading("####### a"));
        assert!(!is_atx_heading("#hashtag"));
    }
}
