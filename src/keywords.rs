//! Watched terms and where they hit across a whole briefing.
//!
//! A [`Term`] is what the reader watches for (from the command line, a
//! keywords file, the front matter, a watch list, the prompt, or a
//! suggestion). [`Keywords`] runs one matcher over every section once, when
//! the terms change, and keeps per-section hits as ranges for the renderer,
//! plus the counts the outline, the panel and the status bar show. It knows
//! nothing of styles: a term's colour is a name the theme resolves.

use crate::briefing::Briefing;
use crate::highlight::{Hit, MatchMode, Matcher};
use crate::search::MatchPos;

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
    /// Hits per section (see [`Keywords::section_hits`]).
    hits: Vec<SectionHits>,
    /// Hits per section.
    pub section_counts: Vec<usize>,
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
        let mut hits = Vec::with_capacity(briefing.sections.len());
        let (mut found, mut ends) = (Vec::new(), Vec::new());
        let mut section_counts = Vec::with_capacity(briefing.sections.len());
        let mut term_totals = vec![0; kept.len()];
        let mut term_sections = vec![0; kept.len()];
        let mut seen_in_section = vec![usize::MAX; kept.len()];
        for (s, section) in briefing.sections.iter().enumerate() {
            found.clear();
            ends.clear();
            if let Some(m) = &matcher {
                found.extend(m.find(&section.title));
                ends.push(found.len());
                for block in &section.blocks {
                    if include_repeats || block.repeat_of.is_none() {
                        found.extend(m.find(&block.text));
                    }
                    ends.push(found.len());
                }
            }
            let mut count = 0;
            for hit in &found {
                term_totals[hit.term] += 1;
                if seen_in_section[hit.term] != s {
                    seen_in_section[hit.term] = s;
                    term_sections[hit.term] += 1;
                }
                count += 1;
            }
            section_counts.push(count);
            hits.push(SectionHits {
                hits: found.as_slice().into(),
                ends: ends.as_slice().into(),
            });
        }
        let sections_with_hits = section_counts.iter().filter(|&&c| c > 0).count();
        Keywords {
            terms: kept,
            sections_with_hits,
            matcher,
            hits,
            section_counts,
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

    /// The hits in section `s`, source by source: the title (source 0),
    /// then each block. Nothing for a section out of range, or when no
    /// term is watched.
    pub fn section_hits(&self, s: usize) -> impl Iterator<Item = &[Hit]> {
        self.hits.get(s).into_iter().flat_map(|section| {
            let starts = std::iter::once(0).chain(section.ends.iter().copied());
            starts
                .zip(section.ends.iter())
                .map(|(start, &end)| &section.hits[start..end])
        })
    }

    /// Every hit of term `term`, in document order, as search matches.
    pub fn positions_of(&self, term: usize) -> Vec<MatchPos> {
        let mut out = Vec::new();
        for section in 0..self.hits.len() {
            for (source, hits) in self.section_hits(section).enumerate() {
                for hit in hits.iter().filter(|h| h.term == term) {
                    out.push(MatchPos {
                        section,
                        source,
                        range: hit.range.clone(),
                    });
                }
            }
        }
        out
    }

    /// Hits of each term in section `s`.
    pub fn section_term_counts(&self, s: usize) -> Vec<usize> {
        let mut counts = vec![0; self.terms.len()];
        for hit in self.section_hits(s).flatten() {
            counts[hit.term] += 1;
        }
        counts
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
