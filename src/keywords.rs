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
    /// `hits[section][source]`: hits in the title (source 0) and each block.
    pub hits: Vec<Vec<Vec<Hit>>>,
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
        let mut section_counts = Vec::with_capacity(briefing.sections.len());
        let mut term_totals = vec![0; kept.len()];
        let mut term_sections = vec![0; kept.len()];
        let mut seen_in_section = vec![usize::MAX; kept.len()];
        for (s, section) in briefing.sections.iter().enumerate() {
            let per_source: Vec<Vec<Hit>> = match &matcher {
                Some(m) => std::iter::once(m.find(&section.title))
                    .chain(section.blocks.iter().map(|b| {
                        if include_repeats || b.repeat_of.is_none() {
                            m.find(&b.text)
                        } else {
                            Vec::new()
                        }
                    }))
                    .collect(),
                None => Vec::new(),
            };
            let mut count = 0;
            for hit in per_source.iter().flatten() {
                term_totals[hit.term] += 1;
                if seen_in_section[hit.term] != s {
                    seen_in_section[hit.term] = s;
                    term_sections[hit.term] += 1;
                }
                count += 1;
            }
            section_counts.push(count);
            hits.push(per_source);
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

    /// Every hit of term `term`, in document order, as search matches.
    pub fn positions_of(&self, term: usize) -> Vec<MatchPos> {
        let mut out = Vec::new();
        for (section, per_source) in self.hits.iter().enumerate() {
            for (source, hits) in per_source.iter().enumerate() {
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
        if let Some(per_source) = self.hits.get(s) {
            for hit in per_source.iter().flatten() {
                counts[hit.term] += 1;
            }
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
