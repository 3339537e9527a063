//! Watched terms and where they hit across a whole briefing.
//!
//! A [`Term`] is what the reader watches for (from the command line, a
//! keywords file, the front matter, a watch list, the prompt, or a
//! suggestion). [`Keywords`] runs one matcher over every section once, when
//! the terms change, and keeps per-section hits as ranges for the renderer,
//! plus the counts the outline, the panel and the status bar show. Past
//! [`LIST_LIMIT`] hits it keeps the counts only, and finds the hits of the
//! section on screen again (see [`Keywords::show`]), so that a term that
//! hits every word does not cost memory in proportion. It knows nothing of
//! styles: a term's colour is a name the theme resolves.

use crate::briefing::{Briefing, Section};
use crate::highlight::{Hit, MatchMode, Matcher};
use crate::search::{Counted, MatchPos, Matches};

/// Past this many hits only counts are kept, as for a search (the same
/// bound: see [`crate::search::LIST_LIMIT`]). `-k 're:\w+'` has 6.7 million
/// hits in 50 MiB of Markdown, which took the reader from 118 to 266 MiB.
pub const LIST_LIMIT: usize = crate::search::LIST_LIMIT;

/// Where a term came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermOrigin {
    CommandLine,
    File,
    FrontMatter,
    /// A named watch list of the config file.
    Watch(String),
    /// Typed into the running reader.
    Added,
    /// Adopted from the suggested terms.
    Suggested,
}

impl TermOrigin {
    pub fn label(&self) -> String {
        match self {
            TermOrigin::CommandLine => "command line".to_owned(),
            TermOrigin::File => "keywords file".to_owned(),
            TermOrigin::FrontMatter => "front matter".to_owned(),
            TermOrigin::Watch(name) => format!("watch list {name}"),
            TermOrigin::Added => "added".to_owned(),
            TermOrigin::Suggested => "suggested".to_owned(),
        }
    }
}

/// One watched term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// A word, a phrase, or `re:` followed by a regular expression.
    pub text: String,
    pub origin: TermOrigin,
    /// Whether its hits are highlighted (they are counted either way).
    pub enabled: bool,
    /// A colour name from a watch list (`yellow`, `#ffaa00`), if any.
    pub color: Option<String>,
}

impl Term {
    pub fn new(text: impl Into<String>, origin: TermOrigin) -> Term {
        Term {
            text: text.into(),
            origin,
            enabled: true,
            color: None,
        }
    }
}

impl From<String> for Term {
    fn from(text: String) -> Term {
        Term::new(text, TermOrigin::CommandLine)
    }
}

/// Keyword terms and where they hit, for the whole briefing.
#[derive(Debug, Clone, Default)]
pub struct Keywords {
    pub terms: Vec<Term>,
    matcher: Option<Matcher>,
    /// The hits (see [`Keywords::section_hits`]).
    hits: Hits,
    /// Hits per section.
    pub section_counts: Vec<usize>,
    /// For each term, the sections it hits, with how many hits each has,
    /// in order.
    term_counts: Vec<Vec<(usize, usize)>>,
    /// Hits per term.
    pub term_totals: Vec<usize>,
    /// Sections in which each term hits.
    pub term_sections: Vec<usize>,
    /// Sections with at least one hit.
    pub sections_with_hits: usize,
    /// Whether hits in repeated blocks are counted.
    pub includes_repeats: bool,
    /// Terms that were dropped, with the reason (an invalid `re:` pattern).
    pub rejected: Vec<(String, String)>,
}

/// Where the hits are kept.
#[derive(Debug, Clone)]
enum Hits {
    /// Every section's, in order.
    Listed(Vec<SectionHits>),
    /// Past [`LIST_LIMIT`] hits: those of the section shown, if found again
    /// (see [`Keywords::show`]).
    Counted(Option<(usize, SectionHits)>),
    /// Not counted yet: the count is being made in the background (see
    /// [`Keywords::uncounted`]).
    Pending,
}

impl Default for Hits {
    fn default() -> Hits {
        Hits::Listed(Vec::new())
    }
}

/// The hits in one section, in lists of the size they need. Counting
/// 168,000 hits in 50 MiB of Markdown grew the process by 11.7 MiB with a
/// list per block, 9.5 MiB with one list for the whole briefing (grown as
/// it went), and 2.7 MiB so.
#[derive(Debug, Clone, Default)]
struct SectionHits {
    /// In order: the title's (source 0), then each block's.
    hits: Box<[Hit]>,
    /// Where the hits of each source end in `hits`.
    ends: Box<[usize]>,
}

impl SectionHits {
    /// The hits of each source in turn.
    fn sources(&self) -> impl Iterator<Item = &[Hit]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter())
            .map(|(start, &end)| &self.hits[start..end])
    }
}

impl Keywords {
    /// Find `terms` in every section. Blocks that repeat earlier text are
    /// counted only when `include_repeats` is set. Duplicate terms (same
    /// text, any case) keep their first occurrence; invalid `re:` patterns
    /// are set aside in `rejected`.
    pub fn new<T: Into<Term>>(
        terms: impl IntoIterator<Item = T>,
        briefing: &Briefing,
        include_repeats: bool,
    ) -> Keywords {
        Keywords::new_within(terms, briefing, include_repeats, LIST_LIMIT)
    }

    /// Whether counting `briefing` is quick enough to do while a key is
    /// handled: it holds at most [`crate::search::SYNC_BYTES`] of text (a
    /// few terms take about 4 ms a MiB, a thousand more). Else the count is
    /// made in the background, [`Keywords::uncounted`] standing in.
    pub fn count_at_once(briefing: &Briefing) -> bool {
        briefing.holds_at_most(crate::search::SYNC_BYTES)
    }

    /// The terms as [`Keywords::new`] keeps them (rejected ones set
    /// aside), with no hits yet: what the reader shows while they are
    /// counted in the background.
    pub fn uncounted<T: Into<Term>>(
        terms: impl IntoIterator<Item = T>,
        briefing: &Briefing,
        include_repeats: bool,
    ) -> Keywords {
        let (kept, rejected, matcher) = sift(terms);
        let n = kept.len();
        Keywords {
            terms: kept,
            matcher,
            hits: Hits::Pending,
            section_counts: vec![0; briefing.sections.len()],
            term_counts: vec![Vec::new(); n],
            term_totals: vec![0; n],
            term_sections: vec![0; n],
            sections_with_hits: 0,
            includes_repeats: include_repeats,
            rejected,
        }
    }

    /// Whether the hits are still being counted (see
    /// [`Keywords::uncounted`]).
    pub fn is_pending(&self) -> bool {
        matches!(self.hits, Hits::Pending)
    }

    /// [`Keywords::new`], keeping the hits themselves only while there are
    /// at most `limit`.
    pub fn new_within<T: Into<Term>>(
        terms: impl IntoIterator<Item = T>,
        briefing: &Briefing,
        include_repeats: bool,
        limit: usize,
    ) -> Keywords {
        let (kept, rejected, matcher) = sift(terms);
        // `None` once past the limit.
        let mut listed = Some(Vec::with_capacity(briefing.sections.len()));
        let mut total = 0;
        let (mut found, mut ends) = (Vec::new(), Vec::new());
        let mut section_counts = Vec::with_capacity(briefing.sections.len());
        let mut term_counts: Vec<Vec<(usize, usize)>> = vec![Vec::new(); kept.len()];
        for (s, section) in briefing.sections.iter().enumerate() {
            found.clear();
            ends.clear();
            if let Some(m) = &matcher {
                find_in(m, section, include_repeats, &mut found, &mut ends);
            }
            for hit in &found {
                let counts = &mut term_counts[hit.term];
                match counts.last_mut() {
                    Some((at, n)) if *at == s => *n += 1,
                    _ => counts.push((s, 1)),
                }
            }
            section_counts.push(found.len());
            total += found.len();
            if total > limit {
                listed = None;
            }
            if let Some(listed) = listed.as_mut() {
                listed.push(SectionHits {
                    hits: found.as_slice().into(),
                    ends: ends.as_slice().into(),
                });
            }
        }
        let sections_with_hits = section_counts.iter().filter(|&&c| c > 0).count();
        let term_totals = term_counts
            .iter()
            .map(|counts| counts.iter().map(|&(_, n)| n).sum())
            .collect();
        let term_sections = term_counts.iter().map(Vec::len).collect();
        Keywords {
            terms: kept,
            sections_with_hits,
            matcher,
            hits: listed.map_or(Hits::Counted(None), Hits::Listed),
            section_counts,
            term_counts,
            term_totals,
            term_sections,
            includes_repeats: include_repeats,
            rejected,
        }
    }

    pub fn is_active(&self) -> bool {
        self.matcher.is_some()
    }

    pub fn total(&self) -> usize {
        self.term_totals.iter().sum()
    }

    /// Whether only the counts are kept, past [`LIST_LIMIT`] hits.
    pub fn is_counted(&self) -> bool {
        matches!(self.hits, Hits::Counted(_))
    }

    /// Find the hits of section `s` again, for [`Keywords::section_hits`],
    /// when only the counts are kept (those of the section shown before
    /// are let go of). The reader calls it when it lays out the section it
    /// shows.
    pub fn show(&mut self, s: usize, briefing: &Briefing) {
        let Hits::Counted(shown) = &mut self.hits else {
            return;
        };
        if shown.as_ref().is_some_and(|(at, _)| *at == s) {
            return;
        }
        let (mut found, mut ends) = (Vec::new(), Vec::new());
        if let Some(m) = &self.matcher
            && let Some(section) = briefing.sections.get(s)
            && self.section_counts.get(s).is_some_and(|&n| n > 0)
        {
            find_in(m, section, self.includes_repeats, &mut found, &mut ends);
        }
        *shown = Some((
            s,
            SectionHits {
                hits: found.into(),
                ends: ends.into(),
            },
        ));
    }

    /// The hits in section `s`, source by source: the title (source 0),
    /// then each block. Nothing for a section out of range, or when no
    /// term is watched; past [`LIST_LIMIT`] hits, nothing but for the
    /// section last shown (see [`Keywords::show`]).
    pub fn section_hits(&self, s: usize) -> impl Iterator<Item = &[Hit]> {
        let section = match &self.hits {
            Hits::Listed(listed) => listed.get(s),
            Hits::Counted(shown) => shown.as_ref().filter(|(at, _)| *at == s).map(|(_, h)| h),
            Hits::Pending => None,
        };
        section.into_iter().flat_map(SectionHits::sources)
    }

    /// Every hit of term `term`, in document order, as search matches:
    /// listed, or past [`LIST_LIMIT`] hits counted per section (and found
    /// again where needed, as a search's are).
    pub fn positions_of(&self, term: usize) -> Matches {
        let (Some(counts), Some(matcher)) = (self.term_counts.get(term), &self.matcher) else {
            return Matches::default();
        };
        let Hits::Listed(listed) = &self.hits else {
            return Matches::Counted(Counted::of_term(
                matcher.clone(),
                term,
                self.includes_repeats,
                counts,
            ));
        };
        let mut out = Vec::with_capacity(self.term_totals[term]);
        for &(section, _) in counts {
            let sources = listed[section].sources();
            for (source, hits) in sources.enumerate() {
                for hit in hits.iter().filter(|h| h.term == term) {
                    out.push(MatchPos {
                        section,
                        source,
                        range: hit.range.clone(),
                    });
                }
            }
        }
        Matches::Listed(out)
    }

    /// Hits of each term in section `s`.
    pub fn section_term_counts(&self, s: usize) -> Vec<usize> {
        self.term_counts
            .iter()
            .map(|counts| {
                counts
                    .binary_search_by_key(&s, |&(at, _)| at)
                    .map_or(0, |k| counts[k].1)
            })
            .collect()
    }
}

/// The terms to keep of `terms` (trimmed; empty ones and those the same
/// as one before in any case left out), those rejected with the reason (an
/// invalid `re:` pattern), and a matcher for the kept ones.
fn sift<T: Into<Term>>(
    terms: impl IntoIterator<Item = T>,
) -> (Vec<Term>, Vec<(String, String)>, Option<Matcher>) {
    let mut kept: Vec<Term> = Vec::new();
    let mut rejected = Vec::new();
    for term in terms.into_iter().map(Into::into) {
        let text = term.text.trim();
        if text.is_empty()
            || kept
                .iter()
                .any(|k| k.text.to_lowercase() == text.to_lowercase())
        {
            continue;
        }
        if let Err(e) = crate::highlight::validate(text) {
            rejected.push((text.to_owned(), e));
            continue;
        }
        kept.push(Term {
            text: text.to_owned(),
            ..term
        });
    }
    let texts: Vec<String> = kept.iter().map(|t| t.text.clone()).collect();
    let matcher = Matcher::new(&texts, MatchMode::Word);
    (kept, rejected, matcher)
}

/// The hits of `matcher` in `section`, appended to `found`, with where each
/// source's end (the title's, then each block's) pushed to `ends`. Blocks
/// that repeat earlier text have none unless `include_repeats`.
fn find_in(
    matcher: &Matcher,
    section: &Section,
    include_repeats: bool,
    found: &mut Vec<Hit>,
    ends: &mut Vec<usize>,
) {
    found.extend(matcher.find(&section.title));
    ends.push(found.len());
    for block in &section.blocks {
        if include_repeats || block.repeat_of.is_none() {
            found.extend(matcher.find(&block.text));
        }
        ends.push(found.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{FormatHint, load_bytes};

    #[test]
    fn counts_per_term_and_per_section() {
        let b = load_bytes(
            b"# A\n\nLynx and lynx.\n\n# B\n\nNothing.\n\n# C\n\nA lynx and a fox.\n",
            "k.md",
            FormatHint::Markdown,
        )
        .expect("loads");
        let k = Keywords::new(
            ["lynx".to_owned(), "fox".to_owned(), "LYNX".to_owned()],
            &b,
            false,
        );
        assert_eq!(k.terms.len(), 2, "duplicates in another case are dropped");
        assert_eq!(k.term_totals, vec![3, 1]);
        assert_eq!(k.term_sections, vec![2, 1]);
        assert_eq!(k.section_counts, vec![2, 0, 2]);
        assert_eq!(k.positions_of(1).len(), 1);
        assert_eq!(k.section_term_counts(2), vec![1, 1]);
    }

    #[test]
    fn hits_are_kept_per_section_and_source() {
        let b = load_bytes(
            b"# Lynx\n\nA fox.\n\nNone here.\n\n# B\n\n# C lynx\n\nfox, lynx, fox\n",
            "k.md",
            FormatHint::Markdown,
        )
        .expect("loads");
        let k = Keywords::new(["lynx".to_owned(), "fox".to_owned()], &b, false);
        let terms = |s: usize| -> Vec<Vec<(usize, usize)>> {
            k.section_hits(s)
                .map(|hits| hits.iter().map(|h| (h.range.start, h.term)).collect())
                .collect()
        };
        assert_eq!(terms(0), vec![vec![(0, 0)], vec![(2, 1)], vec![]]);
        assert_eq!(terms(1), vec![vec![]], "a title without hits, no blocks");
        assert_eq!(terms(2), vec![vec![(2, 0)], vec![(0, 1), (5, 0), (11, 1)]]);
        assert!(terms(3).is_empty(), "out of range");
        let none = Keywords::new(Vec::<String>::new(), &b, false);
        assert_eq!(none.section_hits(0).count(), 0, "no terms, no sources");
    }

    #[test]
    fn past_the_limit_only_counts_are_kept_and_hits_are_found_again() {
        let b = load_bytes(
            b"# Lynx\n\nA lynx fox, a fox.\n\nNone here.\n\n# B\n\nNothing.\n\n\
              # C lynx fox\n\nfox, lynx fox, fox\n\n- lynx\n- fox\n",
            "k.md",
            FormatHint::Markdown,
        )
        .expect("loads");
        // The phrase overlaps both words: its hits must win in the hits
        // found again as they do in the list.
        let terms = || ["lynx".to_owned(), "fox".to_owned(), "lynx fox".to_owned()];
        let listed = Keywords::new_within(terms(), &b, false, usize::MAX);
        let mut counted = Keywords::new_within(terms(), &b, false, 3);
        assert!(!listed.is_counted());
        assert!(counted.is_counted());
        assert_eq!(listed.term_totals, vec![2, 4, 3]);
        assert_eq!(counted.term_totals, listed.term_totals);
        assert_eq!(counted.term_sections, listed.term_sections);
        assert_eq!(counted.section_counts, listed.section_counts);
        assert_eq!(counted.sections_with_hits, listed.sections_with_hits);
        let hits = |k: &Keywords, s: usize| -> Vec<(usize, usize, usize)> {
            k.section_hits(s)
                .enumerate()
                .flat_map(|(source, hits)| {
                    hits.iter().map(move |h| (source, h.range.start, h.term))
                })
                .collect()
        };
        assert!(hits(&counted, 2).is_empty(), "not shown yet");
        for s in 0..=b.sections.len() {
            assert_eq!(
                counted.section_term_counts(s),
                listed.section_term_counts(s)
            );
            counted.show(s, &b);
            assert_eq!(hits(&counted, s), hits(&listed, s), "section {s}");
        }
        assert!(hits(&counted, 0).is_empty(), "only the section last shown");
        for t in 0..3 {
            let found = counted.positions_of(t);
            assert!(found.is_counted());
            assert_eq!(found.len(), listed.term_totals[t]);
            assert_eq!(
                found.to_vec(&b),
                listed.positions_of(t).to_vec(&b),
                "term {t}"
            );
        }
    }

    #[test]
    fn invalid_regex_terms_are_set_aside() {
        let b = load_bytes(
            b"# A\n\nCVE-2026-1 and CVE-2026-22.\n",
            "k.md",
            FormatHint::Markdown,
        )
        .expect("loads");
        let k = Keywords::new(
            ["re:CVE-\\d+-\\d+".to_owned(), "re:(".to_owned()],
            &b,
            false,
        );
        assert_eq!(k.term_totals, vec![2]);
        assert_eq!(k.rejected.len(), 1);
    }
}
