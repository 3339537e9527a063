//! The texts of paragraphs and list items, gathered while the body's line
//! records are read and copied out once they are gone.
//!
//! A large file has a million line records beside its text, and its
//! paragraphs copied out come to about the size of the text again: held
//! all at once, that was 3.5 times the file. So while the records are
//! read, a block's text is kept as spans of the source text (8 bytes a
//! line); [`Spans::fill`] copies the spans out after the records are let
//! go of, with the very calls that would have copied them at once, so the
//! texts are the same either way. It copies the blocks of the source's
//! last MiB, gives that MiB back, and so on to the start, so that the
//! source and its copy are not held whole at once either.

use std::ops::Range;

use crate::briefing::Section;

use super::{push_spaced_words, push_words};

/// Sources at least this long copy texts at once: a span holds its length
/// in 30 bits.
const MAX_SOURCE: usize = 1 << 30;

/// How the words of a part of a text are joined on to what is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Spacing {
    /// The part is single spaced: it goes on as it is.
    Single,
    /// Its words are taken one by one.
    Collapse,
    /// Whichever of the two it needs.
    Detect,
}

impl Spacing {
    pub(super) fn single(spaced: bool) -> Spacing {
        if spaced {
            Spacing::Single
        } else {
            Spacing::Collapse
        }
    }

    /// Join the words of `s` on to `out`, separated by single spaces.
    fn push(self, out: &mut String, s: &str) {
        match self {
            Spacing::Single => push_spaced_words(out, s, true),
            Spacing::Collapse => push_spaced_words(out, s, false),
            Spacing::Detect => push_words(out, s),
        }
    }

    fn bits(self) -> u32 {
        match self {
            Spacing::Single => 0,
            Spacing::Collapse => 1,
            Spacing::Detect => 2,
        }
    }

    fn of_bits(bits: u32) -> Spacing {
        match bits {
            0 => Spacing::Single,
            1 => Spacing::Collapse,
            _ => Spacing::Detect,
        }
    }
}

/// A part of a text: bytes of the source, and how they are joined on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    /// The length in the low 30 bits, the [`Spacing`] above them.
    len_spacing: u32,
}

impl Span {
    const LEN_BITS: u32 = 30;

    fn len(self) -> usize {
        (self.len_spacing & ((1 << Span::LEN_BITS) - 1)) as usize
    }

    fn end(self) -> usize {
        self.start as usize + self.len()
    }

    fn spacing(self) -> Spacing {
        Spacing::of_bits(self.len_spacing >> Span::LEN_BITS)
    }
}

/// A text being gathered: copied at once, or spans from this one on.
#[derive(Debug)]
pub(super) enum Words {
    Text(String),
    Spans(u32),
}

/// A block whose text is still spans: its place and its spans.
#[derive(Debug, Clone)]
struct Later {
    section: u32,
    block: u32,
    spans: Range<u32>,
}

/// Where texts are gathered: as spans of `source` (when it is given and
/// short enough to be spanned), or copied at once.
#[derive(Debug)]
pub(super) struct Texts<'a> {
    source: Option<&'a str>,
    spans: Vec<Span>,
    later: Vec<Later>,
    /// Room to find out how long a text of spans would be.
    scratch: String,
}

impl<'a> Texts<'a> {
    /// Texts copied at once.
    pub(super) fn at_once() -> Self {
        Texts {
            source: None,
            spans: Vec::new(),
            later: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Texts kept as spans of `source` until [`Spans::fill`], for lines
    /// cut from it.
    pub(super) fn spanning(source: &'a str) -> Self {
        Texts {
            source: (source.len() < MAX_SOURCE).then_some(source),
            ..Texts::at_once()
        }
    }

    /// A new text; copied at once, it has room for `capacity` bytes.
    pub(super) fn open(&self, capacity: usize) -> Words {
        match self.source {
            Some(_) => Words::Spans(self.spans.len() as u32),
            None => Words::Text(String::with_capacity(capacity)),
        }
    }

    /// Join the words of `s` on to `words`.
    pub(super) fn push(&mut self, words: &mut Words, s: &str, spacing: Spacing) {
        match words {
            Words::Text(text) => spacing.push(text, s),
            Words::Spans(first) => {
                if let Some(span) = self.span(s, spacing) {
                    self.spans.push(span);
                } else {
                    // Not a part of the source (no line of the body is
                    // that): copied at once from here on.
                    let first = *first;
                    let mut text = self.copy(first..self.spans.len() as u32);
                    self.spans.truncate(first as usize);
                    spacing.push(&mut text, s);
                    *words = Words::Text(text);
                }
            }
        }
    }

    /// The text of `words` if it is copied (with its spare room given
    /// back), else an empty one and its spans.
    pub(super) fn close(&mut self, words: Words) -> (String, Option<Range<u32>>) {
        match words {
            Words::Text(mut text) => {
                text.shrink_to_fit();
                (text, None)
            }
            Words::Spans(first) => (String::new(), Some(first..self.spans.len() as u32)),
        }
    }

    /// Whether the text of `spans` is at most `limit` bytes long (found by
    /// copying at most one part past the limit).
    pub(super) fn fits(&mut self, spans: Range<u32>, limit: usize) -> bool {
        let Some(source) = self.source else {
            return true;
        };
        self.scratch.clear();
        let parts = &self.spans[spans.start as usize..spans.end as usize];
        push_spans(&mut self.scratch, source, 0, parts, limit)
    }

    /// The spans left to copy, which no longer borrow the source.
    pub(super) fn into_spans(mut self) -> Spans {
        // The lists are done growing: give back the room they grew into.
        self.spans.shrink_to_fit();
        self.later.shrink_to_fit();
        Spans {
            spans: self.spans,
            later: self.later,
        }
    }

    /// Record that the text of `sections[section].blocks[block]` is
    /// `spans`.
    pub(super) fn later(&mut self, section: usize, block: usize, spans: Range<u32>) {
        self.later.push(Later {
            section: section as u32,
            block: block as u32,
            spans,
        });
    }

    /// The span of `s` in the source, if it is a part of it.
    fn span(&self, s: &str, spacing: Spacing) -> Option<Span> {
        let source = self.source?;
        let start = (s.as_ptr() as usize).checked_sub(source.as_ptr() as usize)?;
        (start + s.len() <= source.len()).then(|| Span {
            start: start as u32,
            len_spacing: s.len() as u32 | (spacing.bits() << Span::LEN_BITS),
        })
    }

    /// The text of `spans`.
    fn copy(&self, spans: Range<u32>) -> String {
        let Some(source) = self.source else {
            return String::new();
        };
        copy(
            source,
            0,
            &self.spans[spans.start as usize..spans.end as usize],
        )
    }
}

/// [`Spans::fill`] gives back the end of the source every this many bytes.
const GIVE_BACK: usize = 1 << 20;

/// The blocks of some sections whose texts are still spans of the source.
#[derive(Debug)]
pub(super) struct Spans {
    spans: Vec<Span>,
    later: Vec<Later>,
}

impl Spans {
    /// How much of the source the blocks need: where their last span ends.
    pub(super) fn need(&self) -> usize {
        self.spans.iter().map(|s| s.end()).max().unwrap_or(0)
    }

    /// Where their first span starts, if they have one.
    pub(super) fn first(&self) -> Option<usize> {
        self.spans.iter().map(|s| s.start as usize).min()
    }

    /// Copy the text of every block still in spans into `sections`, the
    /// blocks of the last [`GIVE_BACK`] bytes of `source` first (in their
    /// order, which reads the source front to back), then cutting `source`
    /// short to what the blocks left (and `floor` bytes, for others) need
    /// of it, and so on back to the first block.
    /// `source` starts at byte `base` of the text the spans are of.
    pub(super) fn fill(
        self,
        source: &mut String,
        base: usize,
        floor: usize,
        sections: &mut [Section],
    ) {
        let parts =
            |later: &Later| &self.spans[later.spans.start as usize..later.spans.end as usize];
        // What the blocks up to each one need of the source. (A block's
        // spans follow those of the blocks before it, but nothing hangs on
        // that.)
        let mut need = floor;
        let needs: Vec<usize> = self
            .later
            .iter()
            .map(|later| {
                need = parts(later).iter().map(|s| s.end()).fold(need, usize::max);
                need
            })
            .collect();
        let need_before = |k: usize| k.checked_sub(1).map_or(floor, |before| needs[before]);
        let mut end = self.later.len();
        while end > 0 {
            let limit = (base + source.len()).saturating_sub(GIVE_BACK);
            let mut start = end - 1;
            while start > 0 && need_before(start) > limit {
                start -= 1;
            }
            for later in &self.later[start..end] {
                let text = copy(source, base, parts(later));
                if let Some(block) = sections
                    .get_mut(later.section as usize)
                    .and_then(|s| s.blocks.get_mut(later.block as usize))
                {
                    block.text = text;
                }
            }
            let keep = need_before(start).saturating_sub(base);
            if keep < source.len() {
                source.truncate(keep);
                source.shrink_to_fit();
            }
            end = start;
        }
    }
}

/// The text of `spans` of `source` (which starts at byte `base` of the
/// text the spans are of), in a string no longer than it.
fn copy(source: &str, base: usize, spans: &[Span]) -> String {
    // Exact when the parts are single spaced, as most are.
    let most = spans.iter().map(|s| s.len() + 1).sum::<usize>();
    let mut text = String::with_capacity(most.saturating_sub(1));
    push_spans(&mut text, source, base, spans, usize::MAX);
    if text.len() < text.capacity() {
        text.shrink_to_fit();
    }
    text
}

/// Join `spans` of `source` (as [`copy`]) on to `out` while it is at most
/// `limit` bytes long; whether it still is.
fn push_spans(out: &mut String, source: &str, base: usize, spans: &[Span], limit: usize) -> bool {
    for span in spans {
        let start = span.start as usize - base;
        span.spacing().push(out, &source[start..start + span.len()]);
        if out.len() > limit {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::briefing::Block;

    /// Gather `parts` of `source` both ways.
    fn both(source: &str, parts: &[(Range<usize>, Spacing)]) -> (String, String) {
        let mut at_once = Texts::at_once();
        let mut spanning = Texts::spanning(source);
        let (mut a, mut b) = (at_once.open(16), spanning.open(16));
        for (range, spacing) in parts {
            at_once.push(&mut a, &source[range.clone()], *spacing);
            spanning.push(&mut b, &source[range.clone()], *spacing);
        }
        let (a, none) = at_once.close(a);
        assert_eq!(none, None);
        let (empty, spans) = spanning.close(b);
        assert!(empty.is_empty());
        let spans = spans.expect("spans of the source");
        let mut sections = vec![Section::new(1, "t", 1)];
        sections[0].blocks.push(Block::paragraph(""));
        spanning.later(0, 0, spans);
        spanning
            .into_spans()
            .fill(&mut source.to_string(), 0, 0, &mut sections);
        (a, std::mem::take(&mut sections[0].blocks[0].text))
    }

    #[test]
    fn spans_copied_later_are_the_text_copied_at_once() {
        let source =
            "Single spaced words\n   two  spaced   words \n- item  rest\n\u{a0}wide\u{2003}space";
        let at = |part: &str| {
            let start = source.find(part).expect("a part of the source");
            start..start + part.len()
        };
        let parts = [
            (at("Single spaced words"), Spacing::Single),
            (at("two  spaced   words "), Spacing::Collapse),
            (at("item  rest"), Spacing::Detect),
            (at("\u{a0}wide\u{2003}space"), Spacing::Detect),
            (0..0, Spacing::Single),
        ];
        let (at_once, later) = both(source, &parts);
        assert_eq!(
            at_once,
            "Single spaced words two spaced words item rest wide space"
        );
        assert_eq!(later, at_once);
    }

    #[test]
    fn a_part_from_elsewhere_is_copied_at_once_with_what_came_before() {
        let source = "first part here";
        let mut texts = Texts::spanning(source);
        let mut words = texts.open(8);
        texts.push(&mut words, &source[..10], Spacing::Single);
        texts.push(&mut words, "not  from the source", Spacing::Collapse);
        texts.push(&mut words, &source[11..], Spacing::Single);
        let (text, spans) = texts.close(words);
        assert_eq!(spans, None);
        assert_eq!(text, "first part not from the source here");
        assert!(texts.spans.is_empty());
    }

    #[test]
    fn fits_tells_the_length_of_spans_against_a_limit() {
        let source = "one two three four";
        let mut texts = Texts::spanning(source);
        let mut words = texts.open(0);
        texts.push(&mut words, &source[..7], Spacing::Single);
        texts.push(&mut words, &source[8..], Spacing::Single);
        let (_, spans) = texts.close(words);
        let spans = spans.expect("spans");
        assert!(texts.fits(spans.clone(), 18));
        assert!(!texts.fits(spans, 17));
    }

    /// Blocks of five lines of `source` from `from` to `to`, gathered as
    /// spans, and their texts copied at once.
    fn blocks_of(
        source: &str,
        line: usize,
        from: usize,
        to: usize,
    ) -> (Spans, Vec<Section>, Vec<String>) {
        let mut texts = Texts::spanning(source);
        let mut sections = vec![Section::new(1, "t", 1)];
        let mut expected = Vec::new();
        let mut offset = from;
        while offset + 5 * line <= to {
            let mut words = texts.open(0);
            let mut at_once = String::new();
            for _ in 0..5 {
                let part = &source[offset..offset + line - 1];
                texts.push(&mut words, part, Spacing::Detect);
                Spacing::Detect.push(&mut at_once, part);
                offset += line;
            }
            let (_, spans) = texts.close(words);
            texts.later(0, sections[0].blocks.len(), spans.expect("spans"));
            sections[0].blocks.push(Block::paragraph(""));
            expected.push(at_once);
        }
        (texts.into_spans(), sections, expected)
    }

    fn texts_of(sections: &[Section]) -> Vec<String> {
        sections[0].blocks.iter().map(|b| b.text.clone()).collect()
    }

    #[test]
    fn a_long_source_is_copied_out_and_given_back_in_parts() {
        // Three MiB (three parts given back), copied out whole, and as two
        // pieces, the second from a string of its own as `Drafts` does.
        let line = "words of a line,  some  double  spaced\n";
        let source = line.repeat(3 * (1 << 20) / line.len());
        let (spans, mut sections, expected) = blocks_of(&source, line.len(), 0, source.len());
        spans.fill(&mut source.clone(), 0, 0, &mut sections);
        assert_eq!(texts_of(&sections), expected);

        let cut = source.len() / 2 / (5 * line.len()) * (5 * line.len());
        let (first, mut head, first_texts) = blocks_of(&source, line.len(), 0, cut);
        let (second, mut tail, second_texts) = blocks_of(&source, line.len(), cut, source.len());
        assert_eq!((first.need(), second.first()), (cut - 1, Some(cut)));
        let mut head_text = source[..cut].to_string();
        let mut tail_text = source[cut..].to_string();
        second.fill(&mut tail_text, cut, cut, &mut tail);
        first.fill(&mut head_text, 0, 0, &mut head);
        assert_eq!(texts_of(&head), first_texts);
        assert_eq!(texts_of(&tail), second_texts);
        assert!(
            head_text.is_empty() && tail_text.is_empty(),
            "all given back"
        );
    }
}
