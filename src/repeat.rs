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
//! Near repeats are found with min-hashing: each block's word-trigram set is
//! reduced to 16 minimum hashes; blocks that share a band of four become
//! candidates, and a candidate is a repeat when most of the 16 agree (an
//! estimate of their Jaccard similarity). Work is linear in the text, memory
//! constant per block; candidates per block are capped.
//!
//! Of a block's signature only the low byte of each minimum is kept: where
//! minima agree their low bytes do, so a candidate whose bytes agree too
//! rarely is no repeat, and only one whose bytes agree often enough has
//! its whole signature worked out again from its text to decide. Keeping
//! whole signatures took 10 MB for the 160,000 blocks of 50 MiB of
//! generated Markdown (the peak of finding repeats there went from 118 to
//! 113 MiB); the bytes take 2.5 MB.

use foldhash::{HashMap, HashMapExt};

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
const MINHASHES: usize = 16;
const MAX_CANDIDATES: usize = 8;

/// What is kept of a block seen before: where it is, the low byte of each
/// minimum of its min-hash signature, and its length. Not its trigrams:
/// the signature estimates their Jaccard similarity in constant memory per
/// block.
struct Seen {
    at: BlockRef,
    sketch: [u8; MINHASHES],
    words: u32,
}

/// The low byte of each minimum of `signature`.
fn sketch(signature: &[u32; MINHASHES]) -> [u8; MINHASHES] {
    signature.map(|m| m as u8)
}

/// Bands of the min-hash signature: blocks sharing all the rows of one band
/// are candidates. Four rows per band keep unrelated blocks of a small
/// vocabulary from all becoming candidates of each other.
const BANDS: usize = MINHASHES / ROWS;
const ROWS: usize = 4;

/// Mark every repeated block and every section made only of repeats.
pub fn mark(briefing: &mut Briefing) {
    let marks = find(briefing);
    apply(briefing, &marks);
}

/// Where a briefing repeats itself, found without changing it (so a
/// background thread can look while the reader shows the briefing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepeatMarks {
    /// `(section, block, first)`: that block repeats `first`.
    pub blocks: Vec<(usize, usize, BlockRef)>,
    /// `(section, first)`: every block of that section repeats earlier
    /// text, first found in section `first`.
    pub sections: Vec<(usize, usize)>,
}

impl RepeatMarks {
    /// Whether any mark falls in section `s` (whose layout then changes).
    pub fn touches(&self, s: usize) -> bool {
        self.blocks.iter().any(|&(at, ..)| at == s) || self.sections.iter().any(|&(at, _)| at == s)
    }
}

/// Set `repeat_of` and `duplicate_of` from marks found by [`find`].
pub fn apply(briefing: &mut Briefing, marks: &RepeatMarks) {
    for &(s, b, first) in &marks.blocks {
        if let Some(block) = briefing
            .sections
            .get_mut(s)
            .and_then(|sec| sec.blocks.get_mut(b))
        {
            block.repeat_of = Some(first);
        }
    }
    for &(s, first) in &marks.sections {
        if let Some(section) = briefing.sections.get_mut(s) {
            section.duplicate_of = Some(first);
        }
    }
}

/// Find every repeated block and every section made only of repeats.
pub fn find(briefing: &Briefing) -> RepeatMarks {
    let mut marks = RepeatMarks::default();
    let blocks: usize = briefing.sections.iter().map(|s| s.blocks.len()).sum();
    let mut exact: HashMap<u64, BlockRef> = HashMap::with_capacity(blocks);
    // At most the blocks long enough to be near repeats (20 words take at
    // least 39 bytes): reserved at once, so the list never doubles (a large
    // briefing has a hundred thousand of them).
    let long = briefing
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter(|b| b.text.len() >= 2 * MIN_WORDS_NEAR - 1)
        .count();
    let mut seen: Vec<Seen> = Vec::with_capacity(long);
    // Per band: band key → the latest block seen with it; `chain` links each
    // block to the previous one with the same key (no list per key). Keys
    // are 32 bits: a chance collision only adds a candidate, which the
    // signatures then tell apart, and the maps take half the memory.
    let mut heads: Vec<HashMap<u32, u32>> = (0..BANDS).map(|_| HashMap::new()).collect();
    let mut chain: Vec<[u32; BANDS]> = Vec::with_capacity(long);
    // Which blocks are too short to count, in document order, for the
    // section pass below.
    let mut short: Vec<bool> = Vec::with_capacity(blocks);
    let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    for s in 0..briefing.sections.len() {
        for b in 0..briefing.sections[s].blocks.len() {
            let block = &briefing.sections[s].blocks[b];
            // Code repeats by design (examples); rules have no text.
            if matches!(
                block.kind,
                BlockKind::Rule | BlockKind::Code { .. } | BlockKind::Facts
            ) {
                short.push(true);
                continue;
            }
            let words = word_hashes(&block.text);
            short.push(words.len() < MIN_WORDS);
            if words.len() < MIN_WORDS {
                continue;
            }
            let here = BlockRef {
                section: narrow(s),
                block: narrow(b),
            };
            let key = combine(words.iter().copied());
            if let Some(&first) = exact.get(&key) {
                marks.blocks.push((s, b, first));
                continue;
            }
            let near = words.len() >= MIN_WORDS_NEAR;
            if !near {
                exact.insert(key, here);
                continue;
            }
            let signature = minhash(&words);
            let bytes = sketch(&signature);
            let bands: [u32; BANDS] = std::array::from_fn(|band| {
                combine(
                    signature[band * ROWS..(band + 1) * ROWS]
                        .iter()
                        .map(|&v| u64::from(v)),
                ) as u32
            });
            let mut found = None;
            let mut checked = 0;
            'bands: for (band, h) in bands.iter().enumerate() {
                let mut next = heads[band].get(h).copied();
                while let Some(i) = next {
                    if checked >= MAX_CANDIDATES {
                        break 'bands;
                    }
                    checked += 1;
                    let i = i as usize;
                    next = Some(chain[i][band]).filter(|&p| p != u32::MAX);
                    let other = &seen[i];
                    let other_words = other.words as usize;
                    let ratio =
                        other_words.min(words.len()) as f64 / other_words.max(words.len()) as f64;
                    // Bytes agree wherever minima do: this is at least the
                    // estimate of the whole signatures, which decides.
                    if ratio >= NEAR_SIMILARITY
                        && estimated_jaccard(&other.sketch, &bytes) >= NEAR_SIMILARITY
                        && estimated_jaccard(&signature_at(briefing, other.at), &signature)
                            >= NEAR_SIMILARITY
                    {
                        found = Some(other.at);
                        break 'bands;
                    }
                }
            }
            if let Some(first) = found {
                marks.blocks.push((s, b, first));
                continue;
            }
            exact.insert(key, here);
            let index = u32::try_from(seen.len()).unwrap_or(u32::MAX);
            let mut links = [u32::MAX; BANDS];
            for (band, h) in bands.into_iter().enumerate() {
                links[band] = heads[band].insert(h, index).unwrap_or(u32::MAX);
            }
            chain.push(links);
            seen.push(Seen {
                at: here,
                sketch: bytes,
                words: narrow(words.len()),
            });
        }
    }
    let mut marked = marks.blocks.iter().peekable();
    let mut short = short.into_iter();
    for (s, section) in briefing.sections.iter().enumerate() {
        let mut repeats = 0;
        let mut origin: Option<usize> = None;
        let mut all_repeats = true;
        for (b, block) in section.blocks.iter().enumerate() {
            let is_short = short.next().unwrap_or(true);
            if matches!(
                block.kind,
                BlockKind::Rule | BlockKind::Code { .. } | BlockKind::Facts
            ) {
                continue;
            }
            // Marks are in document order: the next one is this block's if
            // any is.
            while marked.peek().is_some_and(|&&(ms, mb, _)| (ms, mb) < (s, b)) {
                marked.next();
            }
            let repeat_of = marked
                .peek()
                .filter(|&&&(ms, mb, _)| (ms, mb) == (s, b))
                .map(|&&(_, _, first)| first);
            match repeat_of {
                Some(r) => {
                    repeats += 1;
                    origin = Some(origin.map_or(r.section as usize, |o| o.min(r.section as usize)));
                }
                None if is_short => {}
                None => all_repeats = false,
            }
        }
        if all_repeats
            && repeats > 0
            && let Some(first) = origin
        {
            marks.sections.push((s, first));
        }
    }
    marks
}

/// A fast 64-bit mix (from SplitMix64): good enough to tell words apart,
/// much cheaper than `SipHash`.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 30;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// Hashes of the lower-cased alphanumeric words of `text`: white space,
/// case and punctuation do not count. No allocation per word.
fn word_hashes(text: &str) -> Vec<u64> {
    const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
    const FNV_PRIME: u64 = 0x0100_0000_01B3;
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut h = FNV_OFFSET;
    let mut in_word = false;
    for c in text.chars() {
        let alnum = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if alnum {
            if c.is_ascii() {
                h = (h ^ u64::from(c.to_ascii_lowercase() as u8)).wrapping_mul(FNV_PRIME);
            } else {
                for l in c.to_lowercase() {
                    h = (h ^ u64::from(u32::from(l))).wrapping_mul(FNV_PRIME);
                }
            }
            in_word = true;
        } else if in_word {
            out.push(mix(h));
            h = FNV_OFFSET;
            in_word = false;
        }
    }
    if in_word {
        out.push(mix(h));
    }
    out
}

/// One hash for a sequence of hashes.
fn combine(values: impl Iterator<Item = u64>) -> u64 {
    values.fold(0x9E37_79B9_7F4A_7C15u64, |acc, v| {
        mix(acc.rotate_left(17) ^ v)
    })
}

/// The min-hash signature of a block's set of word trigrams, by one-
/// permutation hashing: each trigram is hashed once, the hash's top bits
/// pick one of 16 bins, and each bin keeps its minimum. Duplicates do not
/// change a minimum, so the trigrams need no sorting. Each minimum is kept
/// as its low 32 bits: equal minima stay equal, and two different ones
/// agree by chance once in four billion, which halves what is kept of
/// every block seen.
fn minhash(words: &[u64]) -> [u32; MINHASHES] {
    let mut out = [u64::MAX; MINHASHES];
    for w in words.windows(3) {
        let x = mix(w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(42));
        let bin = (x >> 60) as usize % MINHASHES;
        out[bin] = out[bin].min(x);
    }
    out.map(|m| m as u32)
}

/// The Jaccard similarity of two sets estimated from their min-hash
/// signatures (or sketches): the share of positions where they agree.
fn estimated_jaccard<T: PartialEq>(a: &[T; MINHASHES], b: &[T; MINHASHES]) -> f64 {
    let agree = a.iter().zip(b).filter(|(x, y)| x == y).count();
    agree as f64 / MINHASHES as f64
}

/// The min-hash signature of the block at `at`, worked out again.
fn signature_at(briefing: &Briefing, at: BlockRef) -> [u32; MINHASHES] {
    let block = &briefing.sections[at.section as usize].blocks[at.block as usize];
    minhash(&word_hashes(&block.text))
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
                    .map(|bl| bl.repeat_of.map(|r| (r.section as usize, r.block as usize)))
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
    fn sketches_agree_at_least_where_signatures_do() {
        // Pairs of signatures that agree in 0 to 16 places, with low bytes
        // that agree by chance elsewhere too: the sketch never rejects a
        // pair the whole signatures would take.
        let mut x = 1u64;
        let mut next = || {
            x = mix(x);
            x as u32
        };
        for same in 0..=MINHASHES {
            for _ in 0..200 {
                let a: [u32; MINHASHES] = std::array::from_fn(|_| next());
                let b: [u32; MINHASHES] = std::array::from_fn(|i| {
                    if i < same {
                        a[i]
                    } else if i % 3 == 0 {
                        // Same low byte, different minimum.
                        (a[i] & 0xFF) | (next() & !0xFF) | 0x100
                    } else {
                        next()
                    }
                });
                let whole = estimated_jaccard(&a, &b);
                assert!((whole - same as f64 / MINHASHES as f64).abs() < 0.07);
                assert!(estimated_jaccard(&sketch(&a), &sketch(&b)) >= whole);
            }
        }
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
