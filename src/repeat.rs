//! Repeated text: paragraphs and runs of paragraphs that a briefing already
//! said (a quote pasted twice, one story under two sections, a whole body
//! pasted twice).
//!
//! [`mark`] fills `Block::repeat_of` for every block that repeats an earlier
//! one, exactly after normalising white space, case and punctuation, or
//! nearly (word-trigram Jaccard similarity of at least
//! [`NEAR_SIMILARITY`]), and `Section::duplicate_of` for every section whose
//! whole body repeats earlier text. It deletes nothing: the reader collapses
//! repeats into a marker line and can show them again.
//!
//! Near repeats are found with min-hashing: each block's trigram set is reduced
//! to a few minimum hashes, blocks sharing one become candidates, and each
//! candidate is checked exactly. Work is linear in the text; candidates per
//! block are capped.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use crate::briefing::{BlockKind, BlockRef, Briefing};

/// Blocks with fewer words are never counted as repeats: salutations,
/// sign-offs and recurring labels ("To the People of the State of New
/// York:") repeat by design.
pub const MIN_WORDS: usize = 12;
/// Blocks with fewer words only count as repeats when exact: in short text
/// a changed date or number is the news.
pub const MIN_WORDS_NEAR: usize = 20;
/// Trigram Jaccard similarity above which two blocks are the same text.
pub const NEAR_SIMILARITY: f64 = 0.8;
const MINHASHES: usize = 8;
const MAX_CANDIDATES: usize = 24;

struct Seen {
    at: BlockRef,
    trigrams: Vec<u64>,
    words: usize,
}

/// Mark every repeated block and every section made only of repeats.
pub fn mark(briefing: &mut Briefing) {
    let mut exact: HashMap<u64, BlockRef> = HashMap::new();
    let mut seen: Vec<Seen> = Vec::new();
    let mut buckets: Vec<HashMap<u64, Vec<usize>>> =
        (0..MINHASHES).map(|_| HashMap::new()).collect();
    for s in 0..briefing.sections.len() {
        for b in 0..briefing.sections[s].blocks.len() {
            let block = &briefing.sections[s].blocks[b];
            // Code repeats by design (examples); rules have no text.
            if matches!(block.kind, BlockKind::Rule | BlockKind::Code { .. }) {
                continue;
            }
            let words = normalised_words(&block.text);
            if words.len() < MIN_WORDS {
                continue;
            }
            let here = BlockRef {
                section: s,
                block: b,
            };
            let key = hash_of(&words);
            if let Some(&first) = exact.get(&key) {
                briefing.sections[s].blocks[b].repeat_of = Some(first);
                continue;
            }
            let trigrams = trigram_set(&words);
            let signature = minhash(&trigrams);
            let mut found = None;
            let mut checked = 0;
            let near = words.len() >= MIN_WORDS_NEAR;
            'bands: for (band, &h) in signature.iter().enumerate() {
                if !near {
                    break;
                }
                if let Some(list) = buckets[band].get(&h) {
                    for &i in list.iter().rev() {
                        checked += 1;
                        let other = &seen[i];
                        let ratio = other.words.min(words.len()) as f64
                            / other.words.max(words.len()) as f64;
                        if ratio >= NEAR_SIMILARITY
                            && jaccard(&other.trigrams, &trigrams) >= NEAR_SIMILARITY
                        {
                            found = Some(other.at);
                            break 'bands;
                        }
                        if checked >= MAX_CANDIDATES {
                            break 'bands;
                        }
                    }
                }
            }
            if let Some(first) = found {
                briefing.sections[s].blocks[b].repeat_of = Some(first);
                continue;
            }
            exact.insert(key, here);
            let index = seen.len();
            for (band, &h) in signature.iter().enumerate() {
                buckets[band].entry(h).or_default().push(index);
            }
            seen.push(Seen {
                at: here,
                trigrams,
                words: words.len(),
            });
        }
    }
    for section in &mut briefing.sections {
        let mut counted = 0;
        let mut origins: Vec<usize> = Vec::new();
        let mut all_repeats = true;
        for block in &section.blocks {
            if matches!(block.kind, BlockKind::Rule | BlockKind::Code { .. }) {
                continue;
            }
            match block.repeat_of {
                Some(r) => {
                    counted += 1;
                    origins.push(r.section);
                }
                None if normalised_words(&block.text).len() < MIN_WORDS => {}
                None => all_repeats = false,
            }
        }
        section.duplicate_of = (all_repeats && counted > 0)
            .then(|| origins.iter().copied().min())
            .flatten();
    }
}

/// Lower-cased alphanumeric words: white space, case and punctuation do not
/// count.
fn normalised_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Sorted, deduplicated hashes of word trigrams.
fn trigram_set(words: &[String]) -> Vec<u64> {
    let mut set: Vec<u64> = words.windows(3).map(hash_of).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// The minimum of each of a few independent hashes over the set.
fn minhash(set: &[u64]) -> [u64; MINHASHES] {
    let mut out = [u64::MAX; MINHASHES];
    for &x in set {
        for (i, slot) in out.iter_mut().enumerate() {
            // A cheap family of hashes: multiply-xorshift with distinct odd
            // constants.
            let k = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(2 * i as u64 + 1);
            let mut h = x ^ k;
            h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            h ^= h >> 31;
            *slot = (*slot).min(h);
        }
    }
    out
}

/// Jaccard similarity of two sorted sets.
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        1.0
    } else {
        common as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::briefing::{Block, Format, Metadata, Section};

    fn briefing(sections: &[(&str, &[&str])]) -> Briefing {
        Briefing {
            title: "t".into(),
            format: Format::Markdown,
            metadata: Metadata::default(),
            sections: sections
                .iter()
                .enumerate()
                .map(|(i, (title, paras))| {
                    let mut s = Section::new(2, *title, i + 1);
                    s.blocks = paras.iter().map(|p| Block::paragraph(*p)).collect();
                    s
                })
                .collect(),
            warnings: Vec::new(),
        }
    }

    const STORY: &str = "The regional council voted on Tuesday evening to extend the emergency water \
        restrictions for households and farms in the lower valley until the end of March.";
    const OTHER: &str = "Ministers from nine countries met in Geneva on Wednesday to discuss a new \
        framework for grain exports, shipping insurance and port inspections in the Black Sea.";

    fn repeats(b: &Briefing) -> Vec<Vec<Option<(usize, usize)>>> {
        b.sections
            .iter()
            .map(|s| {
                s.blocks
                    .iter()
                    .map(|bl| bl.repeat_of.map(|r| (r.section, r.block)))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn exact_repeat_after_normalising_case_space_and_punctuation() {
        let shouted = "THE REGIONAL COUNCIL voted on tuesday evening,  to extend the emergency water \
            restrictions for households and farms in the lower valley until the end of March!!";
        let mut b = briefing(&[("A", &[STORY]), ("B", &[OTHER, shouted])]);
        mark(&mut b);
        assert_eq!(repeats(&b), vec![vec![None], vec![None, Some((0, 0))]]);
        assert_eq!(b.sections[1].duplicate_of, None, "section B has new text");
    }

    #[test]
    fn near_repeat_with_a_changed_word() {
        let edited = "The regional council voted on Tuesday evening to extend the emergency water \
            restrictions for households and farms in the lower valley until the end of April.";
        let mut b = briefing(&[("A", &[STORY]), ("B", &[edited])]);
        mark(&mut b);
        assert_eq!(repeats(&b), vec![vec![None], vec![Some((0, 0))]]);
        assert_eq!(b.sections[1].duplicate_of, Some(0));
    }

    #[test]
    fn whole_body_pasted_twice_marks_every_later_section() {
        let mut b = briefing(&[
            ("A", &[STORY]),
            ("B", &[OTHER]),
            ("A again", &[STORY]),
            ("B again", &[OTHER]),
        ]);
        mark(&mut b);
        let dups: Vec<_> = b.sections.iter().map(|s| s.duplicate_of).collect();
        assert_eq!(dups, [None, None, Some(0), Some(1)]);
    }

    #[test]
    fn short_text_with_a_changed_date_is_not_a_repeat() {
        let a = "From the New York Packet, published on Tuesday, February 5, 1788, in the city.";
        let b = "From the New York Packet, published on Friday, February 8, 1788, in the city.";
        let mut x = briefing(&[("A", &[a]), ("B", &[b]), ("C", &[a])]);
        mark(&mut x);
        assert_eq!(
            repeats(&x),
            vec![vec![None], vec![None], vec![Some((0, 0))]]
        );
    }

    #[test]
    fn short_and_different_paragraphs_are_not_repeats() {
        let mut b = briefing(&[
            ("A", &["Thank you.", STORY]),
            ("B", &["Thank you.", OTHER]),
            (
                "C",
                &[
                    "The regional council voted on Monday against new limits for river abstraction \
                     in the north, citing the cost to farms and the lack of data on private wells.",
                ],
            ),
        ]);
        mark(&mut b);
        assert_eq!(
            repeats(&b),
            vec![vec![None, None], vec![None, None], vec![None]]
        );
    }
}
