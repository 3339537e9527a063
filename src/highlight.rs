//! Term sets → sorted, non-overlapping byte ranges over plain text.
//!
//! Two kinds of matcher share one engine (the `regex` crate, which is
//! Unicode-aware in case folding and word boundaries):
//!
//! - keywords: whole words or phrases, case-insensitive; a phrase matches
//!   across any run of white space (soft breaks, hard breaks, table cells).
//!   Scripts written without spaces (CJK, Thai) match on the characters.
//! - search: a literal substring, case-insensitive unless the query has an
//!   upper-case letter (smart case).
//!
//! This module knows nothing of styles or terminals: it only reports where
//! each term occurs.

use std::ops::Range;

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder};

/// One occurrence of a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub range: Range<usize>,
    /// Index of the term in the list the matcher was built from.
    pub term: usize,
}

/// Finds a fixed set of terms in text.
///
/// Plain ASCII words and phrases (most watch lists) go to one Aho-Corasick
/// automaton, case-insensitive, whose hits are then checked for word
/// boundaries: fast for a thousand terms. Everything else (non-ASCII terms,
/// which need Unicode case folding, and `re:` patterns) goes to one
/// alternation run by the regex crate; which term such a hit belongs to is
/// looked up by its normalised text, so no capture groups are needed.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// ASCII literal terms: the automaton and, per pattern, its term.
    ascii: Option<(AhoCorasick, Vec<usize>)>,
    regex: Option<Regex>,
    /// Normalised literal term → term index (regex side).
    literals: HashMap<String, usize>,
    /// `(term index, anchored regex)` for `re:` terms.
    patterns: Vec<(usize, Regex)>,
    /// The only regex-side term, when there is one.
    single: Option<usize>,
}

/// How terms match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchMode {
    /// Whole words or phrases, case-insensitive.
    Word,
    /// A substring; case-insensitive unless it contains an upper-case letter.
    SmartCaseSubstring,
}

/// Lower-cased, white space collapsed: how a hit and a term are compared.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Matcher {
    /// Build a matcher for `terms`. Empty terms are ignored; `None` when none
    /// is left or the terms do not form a valid pattern.
    pub fn new(terms: &[String], mode: MatchMode) -> Option<Matcher> {
        let mut order: Vec<usize> = (0..terms.len())
            .filter(|&i| !terms[i].trim().is_empty())
            .collect();
        if order.is_empty() {
            return None;
        }
        // Longer terms first, so "New York City" wins over "New York".
        order.sort_by_key(|&i| std::cmp::Reverse(terms[i].trim().len()));
        let is_ascii_literal =
            |t: &str| mode == MatchMode::Word && t.is_ascii() && !t.starts_with("re:");
        let (simple, complex): (Vec<usize>, Vec<usize>) = order
            .iter()
            .partition(|&&i| is_ascii_literal(terms[i].trim()));
        let ascii = if simple.is_empty() {
            None
        } else {
            let patterns: Vec<String> = simple
                .iter()
                .map(|&i| terms[i].split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            let automaton = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .ok()?;
            Some((automaton, simple))
        };
        let case_insensitive = match mode {
            MatchMode::Word => true,
            MatchMode::SmartCaseSubstring => {
                !terms.iter().any(|t| t.chars().any(char::is_uppercase))
            }
        };
        let mut pattern = String::new();
        let mut literals = HashMap::new();
        let mut patterns = Vec::new();
        for (n, &i) in complex.iter().enumerate() {
            if n > 0 {
                pattern.push('|');
            }
            let one = term_pattern(terms[i].trim(), mode);
            pattern.push_str("(?:");
            pattern.push_str(&one);
            pattern.push(')');
            if mode == MatchMode::Word && terms[i].trim().starts_with("re:") {
                let anchored = RegexBuilder::new(&format!("^(?:{one})$"))
                    .case_insensitive(case_insensitive)
                    .build()
                    .ok()?;
                patterns.push((i, anchored));
            } else {
                literals.entry(normalise(terms[i].trim())).or_insert(i);
            }
        }
        let regex = if complex.is_empty() {
            None
        } else {
            Some(
                RegexBuilder::new(&pattern)
                    .case_insensitive(case_insensitive)
                    .size_limit(64 * 1024 * 1024)
                    .dfa_size_limit(64 * 1024 * 1024)
                    .build()
                    .ok()?,
            )
        };
        let single = (complex.len() == 1).then(|| complex[0]);
        Some(Matcher {
            ascii,
            regex,
            literals,
            patterns,
            single,
        })
    }

    /// Hits of the ASCII terms: automaton matches that stand on word
    /// boundaries. ASCII white space in the text matches the single space
    /// between the words of a phrase.
    fn find_ascii(&self, text: &str, hits: &mut Vec<Hit>) {
        let Some((automaton, term_of)) = &self.ascii else {
            return;
        };
        // Runs of ASCII white space become one space (phrases match across
        // line breaks and double spaces); `map` leads back to the text.
        let bytes = text.as_bytes();
        let needs_compacting = bytes
            .windows(2)
            .any(|w| w[0].is_ascii_whitespace() && (w[0] != b' ' || w[1].is_ascii_whitespace()))
            || bytes
                .last()
                .is_some_and(|&b| b.is_ascii_whitespace() && b != b' ');
        let (haystack, map): (std::borrow::Cow<'_, [u8]>, Option<Vec<usize>>) = if needs_compacting
        {
            let mut compact = Vec::with_capacity(bytes.len());
            let mut map = Vec::with_capacity(bytes.len() + 1);
            let mut previous_space = false;
            for (i, &b) in bytes.iter().enumerate() {
                if b.is_ascii_whitespace() {
                    if !previous_space {
                        compact.push(b' ');
                        map.push(i);
                    }
                    previous_space = true;
                } else {
                    compact.push(b);
                    map.push(i);
                    previous_space = false;
                }
            }
            (compact.into(), Some(map))
        } else {
            (bytes.into(), None)
        };
        for m in automaton.find_iter(haystack.as_ref()) {
            let (start, end) = match &map {
                Some(map) => (map[m.start()], map[m.end() - 1] + 1),
                None => (m.start(), m.end()),
            };
            if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            let first = text[start..end].chars().next().unwrap_or(' ');
            let last = text[start..end].chars().next_back().unwrap_or(' ');
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            let is_word = |c: char| c.is_alphanumeric() || c == '_';
            if (needs_boundary(first) && before.is_some_and(is_word))
                || (needs_boundary(last) && after.is_some_and(is_word))
            {
                continue;
            }
            hits.push(Hit {
                range: start..end,
                term: term_of[m.pattern().as_usize()],
            });
        }
    }

    /// Which term a hit's text belongs to. `buf` is scratch space, reused
    /// across hits.
    fn term_of(&self, hit: &str, buf: &mut String) -> usize {
        if let Some(only) = self.single {
            return only;
        }
        buf.clear();
        if hit
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_whitespace())
        {
            buf.extend(hit.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            buf.push_str(&normalise(hit));
        }
        if let Some(&i) = self.literals.get(buf.as_str()) {
            return i;
        }
        if let Some((i, _)) = self.patterns.iter().find(|(_, re)| re.is_match(hit)) {
            return *i;
        }
        // Case folding that lower-casing does not reproduce (rare): the
        // closest literal by comparison of folded characters.
        let folded = normalise(hit);
        self.literals
            .iter()
            .find(|(k, _)| k.chars().count() == folded.chars().count())
            .map_or(0, |(_, &i)| i)
    }

    /// Every hit in `text`, in order, non-overlapping.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.find_ascii(text, &mut hits);
        let Some(regex) = &self.regex else {
            return hits;
        };
        let from_ascii = hits.len();
        let mut buf = String::new();
        hits.extend(
            regex
                .find_iter(text)
                .filter(|m| !m.is_empty())
                .map(|m| Hit {
                    range: m.range(),
                    term: self.term_of(m.as_str(), &mut buf),
                }),
        );
        if from_ascii > 0 && hits.len() > from_ascii {
            // Both sides found something: order and drop overlaps, the
            // earlier (then longer) hit winning.
            hits.sort_by_key(|h| (h.range.start, std::cmp::Reverse(h.range.end)));
            let mut end = 0;
            hits.retain(|h| {
                let keep = h.range.start >= end;
                if keep {
                    end = h.range.end;
                }
                keep
            });
        }
        hits
    }
}

/// Check that a term can be matched: a `re:` term must be a valid regular
/// expression (without capture groups of its own mattering).
pub fn validate(term: &str) -> Result<(), String> {
    match term.strip_prefix("re:") {
        Some(pattern) if pattern.trim().is_empty() => Err("empty regular expression".to_owned()),
        Some(pattern) => RegexBuilder::new(pattern)
            .size_limit(8 * 1024 * 1024)
            .build()
            .map(|_| ())
            .map_err(|e| format!("invalid regular expression: {e}")),
        None => Ok(()),
    }
}

fn term_pattern(term: &str, mode: MatchMode) -> String {
    if mode == MatchMode::Word
        && let Some(pattern) = term.strip_prefix("re:")
    {
        return pattern.to_owned();
    }
    match mode {
        MatchMode::SmartCaseSubstring => regex::escape(term),
        MatchMode::Word => {
            let body = term
                .split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+");
            let first = term.chars().next().unwrap_or(' ');
            let last = term.chars().next_back().unwrap_or(' ');
            let open = if needs_boundary(first) { r"\b" } else { "" };
            let close = if needs_boundary(last) { r"\b" } else { "" };
            format!("{open}{body}{close}")
        }
    }
}

/// A word boundary is required at a term's edge when the edge is a word
/// character of a script that separates words with spaces.
fn needs_boundary(c: char) -> bool {
    (c.is_alphanumeric() || c == '_') && !is_unspaced_script(c)
}

/// Scripts written without spaces between words: matching there is on the
/// characters alone.
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3100..=0x312F    // Bopomofo
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x3FFFF) // CJK extensions B and later
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn hits(list: &[&str], mode: MatchMode, text: &str) -> Vec<(usize, &'static str)> {
        let m = Matcher::new(&terms(list), mode).expect("non-empty terms");
        m.find(text)
            .into_iter()
            .map(|h| (h.term, &*String::leak(text[h.range].to_owned())))
            .collect()
    }

    #[test]
    fn keywords_match_whole_words_case_insensitively() {
        assert_eq!(
            hits(
                &["port"],
                MatchMode::Word,
                "Port, report, PORT port_x ports"
            ),
            vec![(0, "Port"), (0, "PORT")]
        );
    }

    #[test]
    fn phrases_match_across_any_white_space() {
        assert_eq!(
            hits(&["New York"], MatchMode::Word, "in new\nYork and New  York"),
            vec![(0, "new\nYork"), (0, "New  York")]
        );
    }

    #[test]
    fn longer_overlapping_term_wins_and_keeps_its_index() {
        assert_eq!(
            hits(&["York", "New York"], MatchMode::Word, "New York; York"),
            vec![(1, "New York"), (0, "York")]
        );
    }

    #[test]
    fn unicode_case_folding_and_boundaries() {
        assert_eq!(
            hits(
                &["überschwemmung", "straße"],
                MatchMode::Word,
                "ÜBERSCHWEMMUNG in der Straße, Straßenbahn"
            ),
            vec![(0, "ÜBERSCHWEMMUNG"), (1, "Straße")]
        );
    }

    #[test]
    fn cjk_terms_match_inside_unspaced_text() {
        assert_eq!(
            hits(&["台風"], MatchMode::Word, "大型の台風が接近"),
            vec![(0, "台風")]
        );
    }

    #[test]
    fn terms_with_punctuation_edges_match() {
        assert_eq!(
            hits(
                &["CVE-2026-4411", "C++"],
                MatchMode::Word,
                "see CVE-2026-4411. Also C++!"
            ),
            vec![(0, "CVE-2026-4411"), (1, "C++")]
        );
    }

    #[test]
    fn search_is_smart_case_substring() {
        assert_eq!(
            hits(&["port"], MatchMode::SmartCaseSubstring, "Report PORT"),
            vec![(0, "port"), (0, "PORT")]
        );
        assert_eq!(
            hits(&["Port"], MatchMode::SmartCaseSubstring, "Report Port"),
            vec![(0, "Port")]
        );
    }

    #[test]
    fn regex_metacharacters_are_literal() {
        assert_eq!(
            hits(&["a.b"], MatchMode::SmartCaseSubstring, "axb a.b"),
            vec![(0, "a.b")]
        );
    }

    #[test]
    fn regex_terms_match_and_keep_their_index() {
        assert_eq!(
            hits(
                &["lynx", r"re:CVE-\d{4}-\d+"],
                MatchMode::Word,
                "CVE-2026-4411 and Lynx, cve-2025-1"
            ),
            vec![(1, "CVE-2026-4411"), (0, "Lynx"), (1, "cve-2025-1")]
        );
        assert!(validate("re:(").is_err());
        assert!(validate("re:a(b)c").is_ok());
    }

    #[test]
    fn many_terms_keep_their_indices() {
        let list: Vec<String> = (0..1000).map(|i| format!("term{i}")).collect();
        let m = Matcher::new(&list, MatchMode::Word).expect("terms");
        let found: Vec<usize> = m
            .find("x term999 term0 TERM500")
            .iter()
            .map(|h| h.term)
            .collect();
        assert_eq!(found, vec![999, 0, 500]);
    }

    #[test]
    fn empty_term_set_gives_no_matcher() {
        assert!(Matcher::new(&terms(&[" ", ""]), MatchMode::Word).is_none());
        assert!(Matcher::new(&[], MatchMode::Word).is_none());
    }
}
