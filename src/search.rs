//! Search across the whole briefing: where a query (or one watched term)
//! matches, in document order, and which match is current.
//!
//! Matching is a smart-case substring (see `highlight`). The result is a
//! flat list of positions; the app moves through it with `n`/`N` and the
//! renderer highlights the ones in the section on screen.

use std::ops::Range;

use crate::briefing::Briefing;
use crate::highlight::{MatchMode, Matcher};

/// A match: which section, which text in it (0 = title, `i + 1` = block
/// `i`), which bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchPos {
    pub section: usize,
    pub source: usize,
    pub range: Range<usize>,
}

/// What the matches are of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SearchKind {
    /// A typed query.
    #[default]
    Query,
    /// The hits of one watched term (its index in the keyword terms).
    Term(usize),
}

/// The current search and its matches in document order.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    pub kind: SearchKind,
    pub matches: Vec<MatchPos>,
    pub current: Option<usize>,
}

impl Search {
    /// Search every section for `query`. Blocks that repeat earlier text
    /// are searched only when `include_repeats` is set.
    pub fn run(query: &str, briefing: &Briefing, include_repeats: bool) -> Search {
        let mut matches = Vec::new();
        if let Some(m) = Matcher::new(&[query.to_owned()], MatchMode::SmartCaseSubstring) {
            for (s, section) in briefing.sections.iter().enumerate() {
                let texts =
                    std::iter::once(section.title.as_str()).chain(section.blocks.iter().map(|b| {
                        if include_repeats || b.repeat_of.is_none() {
                            b.text.as_str()
                        } else {
                            ""
                        }
                    }));
                for (source, text) in texts.enumerate() {
                    for hit in m.find(text) {
                        matches.push(MatchPos {
                            section: s,
                            source,
                            range: hit.range,
                        });
                    }
                }
            }
        }
        Search {
            query: query.to_owned(),
            kind: SearchKind::Query,
            matches,
            current: None,
        }
    }

    /// Matches inside section `s`.
    pub fn in_section(&self, s: usize) -> &[MatchPos] {
        let start = self.matches.partition_point(|m| m.section < s);
        let end = self.matches.partition_point(|m| m.section <= s);
        &self.matches[start..end]
    }

    pub fn is_active(&self) -> bool {
        !self.query.is_empty()
    }
}
