//! Suggested key terms of a briefing, found without a language model.
//!
//! Four kinds of candidate are harvested from the body text (section
//! headings, paragraphs, list items, quotes and tables; never code blocks or
//! link targets):
//!
//! - **names**: runs of capitalised words (`World Health Organization`),
//!   with lower-case connectors inside (`Bank of England`), titles and
//!   initials (`Ms. Alvarez`, `K. Oduya`), and single capitalised words
//!   that are not merely capitalised because they start a sentence;
//! - **acronyms**: `NATO`, `WHO`, `U.S.`, `CVE-2026-4411`, but not words
//!   written in capitals for emphasis or in a shouted heading;
//! - **phrases**: lower-case two- and three-word runs that recur and neither
//!   start nor end with a stop word (`regional banks`);
//! - **terms**: lower-case words that recur here but are rare in ordinary
//!   English, judged by `assets/common-words.txt` (see `assets/README.md`).
//!
//! Months, weekdays (English, French, German, Spanish), stop words, numbers,
//! URLs and one-letter words never become candidates. Candidates are then
//! counted the way `highlight` matches keywords (whole words, case
//! insensitive, phrases across any white space, so `Lynx's` counts for
//! `Lynx`), scored by count × rarity × a bonus for names and acronyms, and a
//! candidate that mostly occurs inside a longer one (`Alvarez` inside
//! `Ms. Alvarez`) is folded into it.
//!
//! Scripts written without spaces (CJK, Thai) give no candidates. The work
//! is linear in the text: two passes over it and hash look-ups. In a large
//! briefing candidates are harvested from [`HARVEST_BYTES`] of its text,
//! spread evenly over it, so that the tables of sightings stay small; they
//! are still counted over all of it.
//!
//! This module only reads a [`Briefing`]; it knows nothing of the reader's
//! state, keywords on screen, or terminals.

use std::sync::LazyLock;

// A fast hash: every word of the text is looked up, and the text is the
// user's own file, so resistance to crafted collisions buys nothing.
use foldhash::{HashMap, HashSet};
use serde::Serialize;

use crate::briefing::{BlockKind, Briefing, Inline, StyleRun};
use crate::highlight::is_unspaced_script;

/// One suggested key term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The term as it appears in the text (lower case for phrases and terms).
    pub term: String,
    /// Whole-word, case-insensitive occurrences in the body text.
    pub count: usize,
    pub kind: SuggestionKind,
    /// Higher is better; only the order is meaningful.
    pub score: f64,
}

/// Why a term was suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// A capitalised name: a person, place or organisation.
    Name,
    /// Capitals (and digits): `NATO`, `CVE-2026-4411`.
    Acronym,
    /// A recurring lower-case phrase of two or three words.
    Phrase,
    /// A word frequent here and rare in ordinary English.
    Term,
}

impl SuggestionKind {
    pub fn name(self) -> &'static str {
        match self {
            SuggestionKind::Name => "name",
            SuggestionKind::Acronym => "acronym",
            SuggestionKind::Phrase => "phrase",
            SuggestionKind::Term => "term",
        }
    }
}

/// Candidates are harvested from at most this much of a briefing's body
/// text. Harvesting all of 50 MiB of Markdown took 0.8 s and grew the
/// process by 89 MiB (the reader's peak from 113 to 202 MiB), most of it
/// for names seen once.
pub const HARVEST_BYTES: usize = 4 << 20;

/// The key terms of `briefing`, best first, at most `limit` of them.
pub fn suggest(briefing: &Briefing, limit: usize) -> Vec<Suggestion> {
    if limit == 0 {
        return Vec::new();
    }
    let texts = body_texts(briefing);
    let mut harvest = Harvest::default();
    for text in spread(&texts, HARVEST_BYTES) {
        harvest.text(text);
    }
    let mut candidates = shortlist(harvest.into_sightings(), limit);
    count(&texts, &mut candidates);
    fold_contained(&mut candidates);
    fold_plurals(&mut candidates);
    let mut ranked: Vec<(f64, Candidate)> = candidates
        .into_iter()
        .filter(|c| c.count > 0 && !c.folded)
        .map(|c| (c.score(), c))
        .filter(|(score, _)| *score > 0.0)
        .collect();
    ranked.sort_by(|(sa, a), (sb, b)| {
        sb.total_cmp(sa)
            .then(b.count.cmp(&a.count))
            .then(a.first.cmp(&b.first))
    });
    ranked
        .into_iter()
        .take(limit)
        .map(|(score, c)| Suggestion {
            term: c.display,
            count: c.count,
            kind: c.kind,
            score,
        })
        .collect()
}

/// How many terms the keyword panel suggests.
pub const PANEL_SUGGESTIONS: usize = 20;

/// The terms the keyword panel suggests for `briefing`, best first, with
/// their counts.
pub fn for_panel(briefing: &Briefing) -> Vec<(String, usize)> {
    suggest(briefing, PANEL_SUGGESTIONS)
        .into_iter()
        .map(|s| (s.term, s.count))
        .collect()
}

// ---------------------------------------------------------------------------
// Body text

/// About `budget` bytes of `texts`, whole texts spread evenly over them:
/// each is taken when what was taken before it is below the budget's share
/// of what has been passed with it, so at most one text goes beyond the
/// budget (a text larger than all of it is still taken). All of them when
/// they are no more.
fn spread<'t, 'a>(texts: &'t [Text<'a>], budget: usize) -> impl Iterator<Item = &'t Text<'a>> {
    let len = |text: &Text<'_>| text.body.len();
    let total: usize = texts.iter().map(len).sum();
    let (mut passed, mut taken) = (0usize, 0usize);
    texts.iter().filter(move |text| {
        let n = len(text);
        passed += n;
        // taken < budget × passed / total, in integers.
        let take = total <= budget
            || (taken as u128) * (total as u128) < (budget as u128) * (passed as u128);
        if take {
            taken += n;
        }
        take
    })
}

/// A unit of body text: a heading or one block, minus link targets. No
/// more than references: a large briefing has hundreds of thousands (a
/// list of pieces each made them 16 MiB for 50 MiB of Markdown).
struct Text<'a> {
    body: &'a str,
    /// The text's style runs: those of link targets are left out.
    runs: &'a [StyleRun],
    /// Whether capitals are evidence of names here: not in headings, and
    /// not in German, where every noun is capitalised.
    names: bool,
}

impl<'a> Text<'a> {
    /// The stretches of the text between link targets.
    fn pieces(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let (text, mut runs) = (self.body, self.runs.iter());
        // Where the next piece starts; `None` once the last is given.
        let mut pos = Some(0);
        std::iter::from_fn(move || {
            let mut from = pos?;
            for run in runs.by_ref() {
                if run.style.contains(Inline::LINK_TARGET) && run.range.start >= from {
                    let piece = text.get(from..run.range.start);
                    from = run.range.end;
                    pos = Some(from);
                    if piece.is_some() {
                        return piece;
                    }
                }
            }
            pos = None;
            Some(text.get(from..).unwrap_or(""))
        })
    }
}

fn body_texts(briefing: &Briefing) -> Vec<Text<'_>> {
    let mut texts = Vec::new();
    for section in &briefing.sections {
        if section.kind.title_is_source() {
            texts.push(Text {
                body: &section.title,
                runs: &[],
                names: false,
            });
        }
        let first = texts.len();
        for block in &section.blocks {
            match block.kind {
                BlockKind::Code { .. } | BlockKind::Rule => {}
                // Counted as the highlighter counts them; their labels
                // (`Source:`) are no evidence of names.
                BlockKind::Facts => texts.push(Text {
                    body: &block.text,
                    runs: &block.runs,
                    names: false,
                }),
                BlockKind::Paragraph | BlockKind::ListItem { .. } | BlockKind::Table { .. } => {
                    texts.push(Text {
                        body: &block.text,
                        runs: &block.runs,
                        names: true,
                    });
                }
            }
        }
        if is_german(&texts[first..]) {
            for text in &mut texts[first..] {
                text.names = false;
            }
        }
    }
    texts
}

/// Whether a section reads as German: more German than English function
/// words among its first few hundred.
fn is_german(texts: &[Text<'_>]) -> bool {
    let (mut german, mut english) = (0usize, 0usize);
    let words = texts
        .iter()
        .flat_map(Text::pieces)
        .flat_map(|p| p.split_whitespace())
        .take(400);
    for word in words {
        german += usize::from(GERMAN_MARKERS.contains(&word));
        english += usize::from(ENGLISH_MARKERS.contains(&word));
    }
    german >= 2 && german > english
}

/// Lines of a piece: hard breaks, table cells and column gaps (three or more
/// spaces) end a line, and a line starts like a sentence.
fn lines(piece: &str) -> impl Iterator<Item = &str> {
    // The separators are ASCII, so byte positions are character boundaries.
    let bytes = piece.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (at, len) = match bytes[i] {
                b'\n' | b'\t' => (i, 1),
                b' ' if bytes[i..].starts_with(b"   ") => (i, 3),
                _ => {
                    i += 1;
                    continue;
                }
            };
            let line = &piece[start..at];
            i = at + len;
            start = i;
            return Some(line);
        }
        (start <= bytes.len()).then(|| {
            let line = &piece[start..];
            start = bytes.len() + 1;
            line
        })
    })
}

/// The white-space separated words of `text`; ASCII text is split by
/// bytes, which is faster.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let ascii = text.is_ascii();
    let (mut fast, mut slow) = if ascii {
        (Some(text.split_ascii_whitespace()), None)
    } else {
        (None, Some(text.split_whitespace()))
    };
    std::iter::from_fn(move || match (&mut fast, &mut slow) {
        (Some(words), _) => words.next(),
        (None, Some(words)) => words.next(),
        (None, None) => None,
    })
}

// ---------------------------------------------------------------------------
// Word lists

/// `assets/common-words.txt`: common English words, most frequent first.
const COMMON_WORDS: &str = include_str!("../assets/common-words.txt");

/// Rank of each common word (0 = most frequent).
static COMMON_RANK: LazyLock<HashMap<&'static str, u32>> = LazyLock::new(|| {
    COMMON_WORDS
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| (w, i as u32))
        .collect()
});

/// Words too common to carry meaning: English, French, German, Spanish.
const STOP_WORDS: &str = "\
a about above after again against all also am an and any are as at be because been before \
being below between both but by can could did do does doing down during each either even \
every few for from further had has have having he her here hers herself him himself his how \
however i if in into is it its itself just least less may me might more most much must my \
myself neither no nor not now of off on once one only or other our ours ourselves out over \
own per same shall she should since so some such than that the their theirs them themselves \
then there these they this those though through thus to too under until up upon us very via \
was we were what when where whether which while who whom whose why will with within without \
would yet you your yours yourself yourselves s t don ll re ve d m \
au aux avec ce ces cette dans de des du elle elles en est et eux il ils je la le les leur \
leurs lui mais même ne nous ont ou où par pas pour qu que qui sa sans se ses sont sur un \
une vous été être à l n c j \
als am auch auf aus bei bis das dass dem den der des die durch ein eine einem einen einer \
eines er es für im ist mit nach nicht noch oder sich sie sind um und vom von vor \
wird werden wie zu zum zur über \
al como con el ella ellos entre es esta este fue ha han hay las lo los más muy para pero \
por se sin sobre su sus también una uno y ya";

/// Months and weekdays, with their usual abbreviations: English, French,
/// German, Spanish.
const CALENDAR_WORDS: &str = "\
january february march april may june july august september october november december jan \
feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday \
saturday sunday mon tue tues wed thu thur thurs fri sat sun \
janvier février mars avril mai juin juillet août septembre octobre novembre décembre lundi \
mardi mercredi jeudi vendredi samedi dimanche \
januar jänner februar märz juni juli oktober dezember montag dienstag mittwoch donnerstag \
freitag samstag sonnabend sonntag \
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre \
diciembre lunes martes miércoles jueves viernes sábado domingo";

/// Lower-case words allowed inside a name: `Bank of England`.
const CONNECTORS: &str = "\
of for the de du des del della di da do dos das van von der den la le y al upon";

/// Abbreviated titles that belong to the name after them: `Ms. Alvarez`.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "sir", "st", "gen", "sen", "rep", "gov", "lt", "col",
    "capt", "sgt", "hon", "rev", "mme", "mlle", "sr", "sra", "jr",
];

/// Words that label a field (`Email: …`) rather than name anything.
const LABELS: &[&str] = &[
    "email", "e-mail", "phone", "tel", "fax", "web", "url", "address", "note", "notes", "date",
    "status", "source", "subject", "from", "to", "cc", "re", "ref",
];

/// Acronyms too common in briefings to be key terms: time zones, and the
/// requirement words of standards (RFC 2119).
const IGNORED_ACRONYMS: &str = "\
UTC GMT CET CEST EET EEST WET BST IST JST EST EDT CST CDT MST MDT PST PDT AM PM \
MUST SHALL SHOULD NOT";

/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "cf", "vs", "approx", "fig", "no", "nos", "vol", "ca", "incl", "esp",
];

/// Words that mark a German text (where every noun is capitalised).
const GERMAN_MARKERS: &[&str] = &[
    "der", "die", "das", "und", "ist", "nicht", "mit", "von", "den", "dem", "auf", "ein", "eine",
    "im", "für", "wird", "sind", "auch", "sich", "zu", "nach", "bei",
];

/// Words that mark an English text.
const ENGLISH_MARKERS: &[&str] = &[
    "the", "and", "is", "of", "to", "in", "that", "for", "with", "on", "are", "was", "be", "by",
];

/// A word list above as a set.
type WordSet = LazyLock<HashSet<&'static str>>;

fn word_set(list: &'static str) -> HashSet<&'static str> {
    list.split_whitespace().collect()
}

static STOP: WordSet = LazyLock::new(|| word_set(STOP_WORDS));
static CALENDAR: WordSet = LazyLock::new(|| word_set(CALENDAR_WORDS));
static CONNECTOR: WordSet = LazyLock::new(|| word_set(CONNECTORS));
static IGNORED_ACRONYM: WordSet = LazyLock::new(|| word_set(IGNORED_ACRONYMS));

/// Whether `word` is in a short `list`, ignoring ASCII case.
fn in_list(list: &[&str], word: &str) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

fn is_stop(word: &str) -> bool {
    STOP.contains(word)
}

fn is_calendar(word: &str) -> bool {
    CALENDAR.contains(word)
}

/// How rare `word` (lower case) is in ordinary English, from 0 (the most
/// common words) to 1 (not in the list).
fn rarity(word: &str) -> f64 {
    /// Below this rank a word carries no weight at all.
    const FLOOR: f64 = 50.0;
    /// The rank given to a word missing from the list.
    const UNLISTED: f64 = 50_000.0;
    match COMMON_RANK.get(word) {
        None => 1.0,
        Some(&rank) => ((f64::from(rank) + 2.0) / FLOOR).ln().max(0.0) / (UNLISTED / FLOOR).ln(),
    }
}

/// Whether every letter of `word` is Latin script: the common-word list
/// says nothing about other scripts.
fn is_latin(word: &str) -> bool {
    word.chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| c <= '\u{24f}' || ('\u{1e00}'..='\u{1eff}').contains(&c))
}

/// The most common words of the list (SCOWL's size 10, its first lines):
/// never a term on their own, however often they occur.
const EVERYDAY_WORDS: u32 = 4015;

fn is_common(word: &str) -> bool {
    is_stop(word) || COMMON_RANK.contains_key(word)
}

// ---------------------------------------------------------------------------
// Chunks: white-space separated words with their punctuation

/// What a chunk's core is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Starts with a capital, has lower-case letters: `Lynx`, `SecureEdge`.
    Capitalised,
    /// A title or an initial with its dot: `Ms.`, `K.`.
    Title,
    /// `NATO`, `CVE-2026-4411`, `U.S.`.
    Acronym,
    /// Capitals that are no acronym: `ALVAREZ`, `SUMMARY`.
    Shout,
    Lower,
    /// No letters, a URL, or unspaced script: never a candidate.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Chunk<'a> {
    /// The word itself, punctuation around it and a possessive `'s` removed.
    core: &'a str,
    class: Class,
    /// Punctuation before the core: the chunk cannot continue a name.
    lead: bool,
    /// An opening quote before the core: a quotation starts a sentence.
    quote: bool,
    /// Punctuation after the core: no name or phrase continues past it.
    trail: bool,
    /// The punctuation after the core ends a sentence.
    ends_sentence: bool,
    /// A colon follows: `Email:`, `Note:`.
    label: bool,
    /// The first chunk of a line.
    line_start: bool,
    /// The chunk's line has lower-case letters (else capitals are shouting).
    line_has_lower: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_url(raw: &str) -> bool {
    raw.starts_with("www.")
        || (raw.bytes().any(|b| b == b':' || b == b'@')
            && (raw.contains("://") || raw.contains('@')))
}

/// Append `s` in lower case.
fn push_lower(buf: &mut String, s: &str) {
    if s.is_ascii() {
        let start = buf.len();
        buf.push_str(s);
        buf[start..].make_ascii_lowercase();
    } else {
        buf.extend(s.chars().flat_map(char::to_lowercase));
    }
}

impl<'a> Chunk<'a> {
    fn new(raw: &'a str, line_start: bool, line_has_lower: bool) -> Chunk<'a> {
        let mut chunk = Chunk {
            core: "",
            class: Class::Other,
            lead: false,
            quote: false,
            trail: true,
            ends_sentence: false,
            label: false,
            line_start,
            line_has_lower,
        };
        // One pass: where the word characters start and end, and whether
        // this is a URL or has an apostrophe.
        let (mut first, mut last) = (None, 0);
        let (mut url, mut apostrophe) = (false, false);
        let mut prev = ' ';
        let ascii = raw.is_ascii();
        if ascii {
            for (i, &b) in raw.as_bytes().iter().enumerate() {
                if b.is_ascii_alphanumeric() || b == b'_' {
                    first.get_or_insert(i);
                    last = i + 1;
                } else {
                    match b {
                        b'@' => url = true,
                        b'/' if prev == ':' => url = true,
                        b'\'' => apostrophe = true,
                        _ => {}
                    }
                }
                prev = char::from(b);
            }
        } else {
            for (i, c) in raw.char_indices() {
                if is_word_char(c) {
                    first.get_or_insert(i);
                    last = i + c.len_utf8();
                } else {
                    match c {
                        '@' => url = true,
                        '/' if prev == ':' => url = true,
                        '\'' | '’' => apostrophe = true,
                        _ => {}
                    }
                }
                prev = c;
            }
        }
        let Some(first) = first else {
            chunk.ends_sentence = raw.contains(['.', '!', '?', ':', '…']);
            return chunk;
        };
        if url || raw.starts_with("www.") {
            return chunk;
        }
        let lead = &raw[..first];
        let mut core = &raw[first..last];
        let trail = &raw[last..];
        chunk.lead = !lead.is_empty();
        chunk.quote = lead.contains(['"', '“', '«', '„', '‘']);
        chunk.trail = !trail.is_empty();
        let sentence_end = trail.contains(['.', '!', '?', ':', '…']);
        chunk.ends_sentence = sentence_end;
        chunk.label = trail.starts_with(':');

        // `U.S.`: single capitals with dots.
        if trail.starts_with('.') && is_dotted_acronym(core) {
            chunk.core = &raw[first..=last];
            chunk.class = Class::Acronym;
            chunk.trail = trail.len() > 1;
            chunk.ends_sentence = false;
            return chunk;
        }
        if apostrophe && core.contains(['\'', '’']) {
            // Possessive: `Lynx's` is `Lynx`, and ends the name.
            if let Some(base) = strip_possessive(core) {
                core = base;
                chunk.trail = true;
            }
            // French elision: `l'Hérault` is `Hérault`.
            core = strip_elision(core);
        }
        chunk.core = core;
        // A word has letters, and digits, joined by hyphens, apostrophes or
        // dots at most: `O(n` or `and/or` is no word.
        let joiner = |c: char| matches!(c, '-' | '\'' | '’' | '.');
        let (mut alphabetic, mut lower_case, mut other) = (false, false, false);
        if core.is_ascii() {
            for b in core.bytes() {
                alphabetic |= b.is_ascii_alphabetic();
                lower_case |= b.is_ascii_lowercase();
                other |= !b.is_ascii_alphanumeric() && b != b'_' && !joiner(char::from(b));
            }
        } else {
            for c in core.chars() {
                if is_unspaced_script(c) {
                    return chunk;
                }
                alphabetic |= c.is_alphabetic();
                lower_case |= c.is_lowercase();
                other |= !is_word_char(c) && !joiner(c);
            }
        }
        if !alphabetic || other {
            return chunk;
        }
        let dotted = trail.starts_with('.');
        if dotted && in_list(ABBREVIATIONS, core) {
            chunk.ends_sentence = false;
        }
        let mut chars = core.chars();
        let initial = chars.next().unwrap_or(' ');
        let single = chars.next().is_none();
        let plural_acronym =
            core.len() > 2 && core.ends_with('s') && is_acronym(&core[..core.len() - 1]);
        chunk.class = if is_acronym(core) || plural_acronym {
            Class::Acronym
        } else if initial.is_uppercase() {
            if dotted && (single || in_list(TITLES, core)) {
                chunk.ends_sentence = false;
                chunk.trail = trail.len() > 1;
                chunk.core = &raw[first..=last];
                Class::Title
            } else if lower_case {
                Class::Capitalised
            } else {
                Class::Shout
            }
        } else if initial.is_lowercase() {
            Class::Lower
        } else {
            Class::Other
        };
        chunk
    }

    /// Capitals without digits, two letters or more: shouting, or an
    /// acronym next to shouting.
    fn is_capitals(&self) -> bool {
        matches!(self.class, Class::Shout | Class::Acronym)
            && !self.core.chars().any(|c| c.is_ascii_digit())
    }
}

fn strip_possessive(core: &str) -> Option<&str> {
    ["'s", "’s", "'S", "’S"]
        .iter()
        .find_map(|suffix| core.strip_suffix(suffix))
        .filter(|base| !base.is_empty())
}

fn strip_elision(core: &str) -> &str {
    for prefix in [
        "l'", "d'", "j'", "n'", "s'", "c'", "m'", "t'", "qu'", "l’", "d’", "j’", "n’", "s’", "c’",
        "m’", "t’", "qu’",
    ] {
        if let Some(rest) = core.strip_prefix(prefix)
            && rest.starts_with(char::is_alphabetic)
        {
            return rest;
        }
    }
    core
}

/// `U.S` (the final dot is outside the core): capitals separated by dots.
fn is_dotted_acronym(core: &str) -> bool {
    let mut letters = 0;
    for (i, part) in core.split('.').enumerate() {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_uppercase() => letters += 1,
            _ => return false,
        }
        if i > 5 {
            return false;
        }
    }
    letters >= 2
}

/// `NATO`, `G7`, `H5N1`, `COVID-19`, `CVE-2026-4411`: capitals and digits,
/// 2 to 6 before any hyphen, two capitals or a capital and a digit; not a
/// Roman numeral.
fn is_acronym(core: &str) -> bool {
    if !core.starts_with(char::is_uppercase) || core.len() > 24 {
        return false;
    }
    let mut parts = core.split('-');
    let head = parts.next().unwrap_or("");
    if !(2..=6).contains(&head.chars().count()) {
        return false;
    }
    let (mut capitals, mut digits) = (0, 0);
    for part in std::iter::once(head).chain(parts) {
        if part.is_empty() {
            return false;
        }
        for c in part.chars() {
            if c.is_uppercase() {
                capitals += 1;
            } else if c.is_ascii_digit() {
                digits += 1;
            } else {
                return false;
            }
        }
    }
    (capitals >= 2 || digits >= 1) && !is_roman_numeral(core)
}

fn is_roman_numeral(s: &str) -> bool {
    const ROMAN: &[&str] = &[
        "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "XIII", "XIV", "XV", "XVI",
        "XVII", "XVIII", "XIX", "XX", "XXI", "XXX", "XL", "LX", "XC", "CX", "MM",
    ];
    ROMAN.contains(&s)
}

// ---------------------------------------------------------------------------
// Harvest: one pass that collects candidates and their evidence

/// Where a chunk stands in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// Starts a sentence, a line or a quotation: a capital says nothing.
    Initial,
    Mid,
}

/// A name seen in the text, keyed by its lower-case form.
#[derive(Debug)]
struct NameRun {
    /// The words as first written (titles with their dot).
    parts: Vec<String>,
    /// Occurrences in mid-sentence, where the capital is evidence.
    mid: usize,
    /// Occurrences at the start of a sentence.
    initial: usize,
    /// Every word is an acronym, a title or a connector.
    bare: bool,
}

/// A word of a name being built.
#[derive(Debug, Clone, Copy)]
struct Part<'a> {
    core: &'a str,
    position: Position,
    /// An acronym, title or connector: not a name on its own.
    bare: bool,
}

/// What the word lists say about one word.
#[derive(Debug, Clone, Copy)]
struct WordInfo {
    stop: bool,
    calendar: bool,
    connector: bool,
    common: bool,
    /// May start or end a phrase.
    phrase_end: bool,
    /// Has a digit: never part of a phrase.
    digit: bool,
}

impl WordInfo {
    fn new(lower: &str) -> WordInfo {
        let stop = is_stop(lower);
        WordInfo {
            stop,
            calendar: is_calendar(lower),
            connector: CONNECTOR.contains(lower),
            common: stop || COMMON_RANK.contains_key(lower),
            phrase_end: !stop && lower.chars().count() >= 3,
            digit: lower.bytes().any(|b| b.is_ascii_digit()),
        }
    }
}

/// Evidence collected in one pass over the text.
#[derive(Debug, Default)]
struct Harvest<'a> {
    /// Lower-case word → id.
    vocab: HashMap<String, u32>,
    /// Per word id: what the word lists say.
    info: Vec<WordInfo>,
    /// Per word id: lower-case occurrences.
    lower: Vec<usize>,
    /// Word ids in order of their first lower-case sighting.
    lower_order: Vec<u32>,
    /// Names by lower-case key → index into `name_runs`.
    names: HashMap<String, usize>,
    name_runs: Vec<NameRun>,
    /// Acronyms as written → sightings in mixed-case text.
    acronyms: HashMap<String, usize>,
    acronym_order: Vec<String>,
    bigrams: HashMap<(u32, u32), usize>,
    trigrams: HashMap<(u32, u32, u32), usize>,
    /// Phrases in the order they were first seen twice.
    phrase_order: Vec<Vec<u32>>,
    /// Scratch space, kept to save allocations: a name key, the chunks of
    /// a text, a name being built, a phrase window.
    key: String,
    scratch: Vec<Chunk<'a>>,
    run: Vec<Part<'a>>,
    window: Vec<u32>,
}

impl<'a> Harvest<'a> {
    /// The id of a lower-case word; the word lists are consulted once per
    /// distinct word.
    fn word_id(&mut self, lower: &str) -> u32 {
        if let Some(&id) = self.vocab.get(lower) {
            return id;
        }
        let id = self.vocab.len() as u32;
        self.vocab.insert(lower.to_owned(), id);
        self.info.push(WordInfo::new(lower));
        self.lower.push(0);
        id
    }

    fn text(&mut self, text: &Text<'a>) {
        let mut chunks = std::mem::take(&mut self.scratch);
        chunks.clear();
        for piece in text.pieces() {
            for line in lines(piece) {
                let line_has_lower = if line.is_ascii() {
                    line.bytes().any(|b| b.is_ascii_lowercase())
                } else {
                    line.chars().any(char::is_lowercase)
                };
                for (i, raw) in words(line).enumerate() {
                    chunks.push(Chunk::new(raw, i == 0, line_has_lower));
                }
            }
        }
        self.chunks(&chunks, text.names);
        self.scratch = chunks;
    }

    /// Walk the chunks of one text. `names`: whether capitals are evidence
    /// of names here.
    fn chunks(&mut self, chunks: &[Chunk<'a>], names: bool) {
        let mut run: Vec<Part<'a>> = std::mem::take(&mut self.run);
        let mut window: Vec<u32> = std::mem::take(&mut self.window);
        window.clear();
        let mut sentence_start = true;
        let mut lower = String::new();
        for (i, chunk) in chunks.iter().enumerate() {
            if chunk.line_start {
                sentence_start = true;
                self.flush(&mut run);
                window.clear();
            }
            let position = if sentence_start || chunk.quote {
                Position::Initial
            } else {
                Position::Mid
            };
            sentence_start = chunk.ends_sentence;
            if chunk.lead {
                self.flush(&mut run);
                window.clear();
            }
            let (id, info) = if chunk.class == Class::Other {
                (0, None)
            } else {
                lower.clear();
                push_lower(&mut lower, chunk.core);
                let id = self.word_id(&lower);
                (id, Some(self.info[id as usize]))
            };
            let calendar = info.is_some_and(|w| w.calendar);
            match chunk.class {
                Class::Other | Class::Shout => {
                    self.flush(&mut run);
                    window.clear();
                }
                Class::Acronym => {
                    window.clear();
                    let neighbour_shouts = |j: Option<usize>| {
                        j.and_then(|j| chunks.get(j))
                            .is_some_and(|n| !n.line_start && n.is_capitals())
                    };
                    let shouting = chunk.is_capitals()
                        && (!chunk.line_has_lower
                            || (!chunk.line_start && neighbour_shouts(i.checked_sub(1)))
                            || neighbour_shouts(Some(i + 1)));
                    if shouting || calendar {
                        self.flush(&mut run);
                        continue;
                    }
                    self.acronym(chunk.core);
                    let next_is_name = chunks
                        .get(i + 1)
                        .is_some_and(|n| !n.line_start && !n.lead && n.class == Class::Capitalised);
                    if names && !chunk.trail && next_is_name {
                        run.push(Part {
                            core: chunk.core,
                            position,
                            bare: true,
                        });
                    } else {
                        self.flush(&mut run);
                    }
                }
                Class::Capitalised | Class::Title => {
                    window.clear();
                    // A sentence may open a phrase: `Regional banks …`.
                    if position == Position::Initial
                        && chunk.class == Class::Capitalised
                        && info.is_some_and(|w| !w.calendar && !w.digit)
                    {
                        window.push(id);
                    }
                    // Not a name: a month, a capitalised stop word opening a
                    // sentence, or a label such as `Email:`.
                    let skip = !names
                        || calendar
                        || (run.is_empty()
                            && position == Position::Initial
                            && info.is_some_and(|w| w.stop))
                        || (chunk.label
                            && (info.is_some_and(|w| w.common) || in_list(LABELS, &lower)));
                    if skip {
                        self.flush(&mut run);
                    } else {
                        run.push(Part {
                            core: chunk.core,
                            position,
                            bare: chunk.class == Class::Title,
                        });
                    }
                }
                Class::Lower => {
                    let info = self.info[id as usize];
                    if self.lower[id as usize] == 0 {
                        self.lower_order.push(id);
                    }
                    self.lower[id as usize] += 1;
                    let trailing_connectors = run.iter().rev().take_while(|p| p.bare).count();
                    let connector = !run.is_empty()
                        && !chunk.trail
                        && trailing_connectors < 2
                        && info.connector;
                    if connector {
                        run.push(Part {
                            core: chunk.core,
                            position,
                            bare: true,
                        });
                    } else {
                        self.flush(&mut run);
                    }
                    if info.calendar || info.digit {
                        window.clear();
                    } else {
                        window.push(id);
                        self.phrases(&window);
                    }
                }
            }
            if chunk.trail {
                self.flush(&mut run);
                window.clear();
            }
        }
        self.flush(&mut run);
        self.run = run;
        self.window = window;
    }

    /// Record the name in `run`, if any, and empty it.
    fn flush(&mut self, run: &mut Vec<Part<'a>>) {
        // A name ends on a capitalised word, not on a connector.
        while run
            .last()
            .is_some_and(|p| p.core.starts_with(char::is_lowercase))
        {
            run.pop();
        }
        let Some(first) = run.first() else {
            return;
        };
        let position = first.position;
        let bare = run.iter().all(|p| p.bare);
        let mut key = std::mem::take(&mut self.key);
        key.clear();
        for (i, part) in run.iter().enumerate() {
            if i > 0 {
                key.push(' ');
            }
            push_lower(&mut key, part.core);
        }
        let index = if let Some(&index) = self.names.get(key.as_str()) {
            index
        } else {
            self.name_runs.push(NameRun {
                parts: run.iter().map(|p| p.core.to_owned()).collect(),
                mid: 0,
                initial: 0,
                bare,
            });
            self.names.insert(key.clone(), self.name_runs.len() - 1);
            self.name_runs.len() - 1
        };
        self.key = key;
        let entry = &mut self.name_runs[index];
        match position {
            Position::Mid => entry.mid += 1,
            Position::Initial => entry.initial += 1,
        }
        run.clear();
    }

    fn acronym(&mut self, core: &str) {
        if let Some(n) = self.acronyms.get_mut(core) {
            *n += 1;
        } else {
            self.acronyms.insert(core.to_owned(), 1);
            self.acronym_order.push(core.to_owned());
        }
    }

    /// Count the phrases that end at the last word of `window`.
    fn phrases(&mut self, window: &[u32]) {
        let n = window.len();
        let end = |id: u32| self.info[id as usize].phrase_end;
        if n < 2 || !end(window[n - 1]) {
            return;
        }
        let last = window[n - 1];
        if end(window[n - 2]) {
            let pair = (window[n - 2], last);
            let seen = self.bigrams.entry(pair).or_insert(0);
            *seen += 1;
            if *seen == 2 {
                self.phrase_order.push(vec![pair.0, pair.1]);
            }
        }
        if n >= 3 && end(window[n - 3]) {
            let triple = (window[n - 3], window[n - 2], last);
            let seen = self.trigrams.entry(triple).or_insert(0);
            *seen += 1;
            if *seen == 2 {
                self.phrase_order.push(vec![triple.0, triple.1, triple.2]);
            }
        }
    }

    /// Decide which of the sightings are candidates.
    fn into_sightings(mut self) -> Vec<Sighting> {
        let mut out = Vec::new();
        self.resolve_sentence_starts();
        // How often each word occurs in any name: a single name's estimate
        // (`Trump` is mostly seen inside `President Trump`).
        let mut in_names: HashMap<String, usize> = HashMap::default();
        for run in &self.name_runs {
            for part in &run.parts {
                *in_names.entry(part.to_lowercase()).or_default() += run.mid + run.initial;
            }
        }
        for run in &self.name_runs {
            if run.bare || run.mid + run.initial == 0 {
                continue;
            }
            let display = run.parts.join(" ");
            if run.parts.len() >= 2 {
                out.push(Sighting::new(
                    display,
                    SuggestionKind::Name,
                    NAME_BONUS,
                    run.mid + run.initial,
                ));
                continue;
            }
            let word = display.to_lowercase();
            if word.chars().count() < 2 || is_stop(&word) {
                continue;
            }
            let lower = self
                .vocab
                .get(&word)
                .map_or(0, |&id| self.lower[id as usize]);
            // Capitalised mid-sentence, and more often than not.
            if run.mid > 0 && run.mid >= lower {
                let seen = in_names.get(&word).copied().unwrap_or(run.mid);
                out.push(Sighting::new(
                    display,
                    SuggestionKind::Name,
                    SINGLE_NAME_BONUS,
                    seen,
                ));
            }
        }
        for acronym in &self.acronym_order {
            let lower = acronym.to_lowercase();
            // `WHO` is worth watching where `who` is not written: matching
            // ignores case.
            let written_lower = self
                .vocab
                .get(&lower)
                .is_some_and(|&id| self.lower[id as usize] > 0);
            if written_lower
                || (is_common(&lower) && self.acronyms[acronym] < 2)
                || IGNORED_ACRONYM.contains(acronym.as_str())
            {
                continue;
            }
            out.push(Sighting::new(
                acronym.clone(),
                SuggestionKind::Acronym,
                ACRONYM_BONUS,
                self.acronyms[acronym],
            ));
        }
        let mut words = vec![""; self.vocab.len()];
        for (word, &id) in &self.vocab {
            words[id as usize] = word;
        }
        for phrase in &self.phrase_order {
            if !phrase.iter().all(|&id| is_latin(words[id as usize])) {
                continue;
            }
            let display = phrase
                .iter()
                .map(|&id| words[id as usize])
                .collect::<Vec<_>>()
                .join(" ");
            let seen = match phrase[..] {
                [a, b] => self.bigrams[&(a, b)],
                [a, b, c] => self.trigrams[&(a, b, c)],
                _ => 0,
            };
            out.push(Sighting::new(display, SuggestionKind::Phrase, 1.0, seen));
        }
        for &id in &self.lower_order {
            let word = words[id as usize];
            if self.lower[id as usize] >= 2
                && word.chars().count() >= 3
                && !is_stop(word)
                && !is_calendar(word)
                && !word.chars().any(|c| c.is_ascii_digit())
                && is_latin(word)
                && COMMON_RANK
                    .get(word)
                    .is_none_or(|&rank| rank >= EVERYDAY_WORDS)
            {
                out.push(Sighting::new(
                    word.to_owned(),
                    SuggestionKind::Term,
                    1.0,
                    self.lower[id as usize],
                ));
            }
        }
        out
    }

    /// A run seen only at sentence starts whose first word is ordinary
    /// English (`Finance Minister Jane Doe`) is the rest of the run
    /// (`Minister Jane Doe`), unless the whole run occurs mid-sentence too.
    fn resolve_sentence_starts(&mut self) {
        for i in 0..self.name_runs.len() {
            let run = &self.name_runs[i];
            if run.parts.len() < 2 || run.mid > 0 {
                continue;
            }
            let first = run.parts[0].trim_end_matches('.').to_lowercase();
            if !is_common(&first) {
                continue;
            }
            // The rest, from its first capitalised word that is no stop word.
            let Some(start) = (1..run.parts.len()).find(|&j| {
                let part = &run.parts[j];
                !part.starts_with(char::is_lowercase) && !is_stop(&part.to_lowercase())
            }) else {
                continue;
            };
            let parts = run.parts[start..].to_vec();
            let count = run.initial;
            self.name_runs[i].initial = 0;
            let key = parts
                .iter()
                .map(|p| p.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            let index = if let Some(&index) = self.names.get(&key) {
                index
            } else {
                let bare = parts.iter().all(|p| {
                    p.ends_with('.') || is_acronym(p) || p.starts_with(char::is_lowercase)
                });
                self.name_runs.push(NameRun {
                    parts,
                    mid: 0,
                    initial: 0,
                    bare,
                });
                self.names.insert(key, self.name_runs.len() - 1);
                self.name_runs.len() - 1
            };
            self.name_runs[index].mid += count;
        }
    }
}

// ---------------------------------------------------------------------------
// Candidates, counting and ranking

const NAME_BONUS: f64 = 2.0;
const SINGLE_NAME_BONUS: f64 = 1.5;
const ACRONYM_BONUS: f64 = 1.5;

/// A term to count, as highlight would match it: lower-case words, the
/// text between them (white space collapsed to one space) and any
/// punctuation that must follow the last word (`U.S.`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    words: Vec<String>,
    gaps: Vec<String>,
    trail: String,
}

impl Pattern {
    fn new(term: &str) -> Pattern {
        let mut words = Vec::new();
        let mut gaps = Vec::new();
        let mut gap = String::new();
        let mut word = String::new();
        for c in term.chars() {
            if is_word_char(c) {
                if word.is_empty() && !words.is_empty() {
                    gaps.push(std::mem::take(&mut gap));
                }
                word.extend(c.to_lowercase());
            } else {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                if c.is_whitespace() {
                    if !gap.ends_with(' ') {
                        gap.push(' ');
                    }
                } else if !words.is_empty() {
                    gap.push(c);
                }
            }
        }
        if !word.is_empty() {
            words.push(word);
            gap.clear();
        }
        Pattern {
            words,
            gaps,
            trail: gap.trim_end().to_owned(),
        }
    }

    /// The words `from..to` with the text between them.
    fn key(&self, from: usize, to: usize) -> String {
        let mut key = String::new();
        for i in from..to {
            if i > from {
                key.push_str(&self.gaps[i - 1]);
            }
            key.push_str(&self.words[i]);
        }
        key
    }

    fn full_key(&self) -> String {
        let mut key = self.key(0, self.words.len());
        key.push_str(&self.trail);
        key
    }

    /// Whether the term occurs at token `t` of `piece`.
    fn matches_at(&self, piece: &str, tokens: &[(usize, usize)], t: usize) -> bool {
        let n = self.words.len();
        if t + n > tokens.len() {
            return false;
        }
        for k in 1..n {
            let (start, end) = tokens[t + k];
            let gap = &piece[tokens[t + k - 1].1..start];
            if !gap_eq(gap, &self.gaps[k - 1]) || !eq_lower(&piece[start..end], &self.words[k]) {
                return false;
            }
        }
        piece[tokens[t + n - 1].1..].starts_with(self.trail.as_str())
    }
}

/// Whether `gap` equals `canonical` once white-space runs are one space.
fn gap_eq(gap: &str, canonical: &str) -> bool {
    let mut want = canonical.chars();
    let mut in_space = false;
    for c in gap.chars() {
        if c.is_whitespace() {
            if in_space {
                continue;
            }
            in_space = true;
            if want.next() != Some(' ') {
                return false;
            }
        } else {
            in_space = false;
            if want.next() != Some(c) {
                return false;
            }
        }
    }
    want.next().is_none()
}

fn eq_lower(text: &str, lower: &str) -> bool {
    text.chars().flat_map(char::to_lowercase).eq(lower.chars())
}

#[derive(Debug, Clone)]
struct Candidate {
    display: String,
    kind: SuggestionKind,
    bonus: f64,
    pattern: Pattern,
    count: usize,
    /// Occurrences of plural or singular forms folded into this one.
    variants: usize,
    /// Index of the first occurrence among all tokens, for stable ties.
    first: usize,
    folded: bool,
}

impl Candidate {
    fn score(&self) -> f64 {
        (self.count + self.variants) as f64 * self.rarity() * self.bonus
    }

    fn rarity(&self) -> f64 {
        let words: Vec<&str> = self.pattern.words.iter().map(String::as_str).collect();
        term_rarity(self.kind, &words)
    }
}

/// How unusual a term of lower-case `words` is in ordinary English, 0 to 1.
///
/// A name of several words is rare even when its words are not (`Red
/// Cross`). A phrase or term must be rare to be worth suggesting, so its
/// rarity counts twice.
fn term_rarity(kind: SuggestionKind, words: &[&str]) -> f64 {
    match kind {
        // `WHO` is not `who`.
        SuggestionKind::Acronym => 1.0,
        SuggestionKind::Name => {
            let floor = if words.len() > 1 { 0.9 } else { 0.0 };
            words.iter().map(|w| rarity(w)).fold(floor, f64::max)
        }
        SuggestionKind::Phrase | SuggestionKind::Term => {
            let content: Vec<f64> = words
                .iter()
                .filter(|w| words.len() == 1 || !is_stop(w))
                .map(|w| rarity(w))
                .collect();
            let r = content.iter().sum::<f64>() / content.len().max(1) as f64;
            r * r
        }
    }
}

/// Candidates without duplicates: the first kind pushed for a key wins.
#[derive(Debug, Default)]
struct Candidates {
    keys: HashMap<String, usize>,
    list: Vec<Candidate>,
}

impl Candidates {
    fn push(&mut self, display: String, kind: SuggestionKind, bonus: f64) {
        let pattern = Pattern::new(&display);
        if pattern.words.is_empty() {
            return;
        }
        let key = pattern.full_key();
        if self.keys.contains_key(&key) {
            return;
        }
        self.keys.insert(key, self.list.len());
        self.list.push(Candidate {
            display,
            kind,
            bonus,
            pattern,
            count: 0,
            variants: 0,
            first: usize::MAX,
            folded: false,
        });
    }
}

/// A candidate as the harvest saw it, before it is counted.
#[derive(Debug)]
struct Sighting {
    display: String,
    kind: SuggestionKind,
    bonus: f64,
    /// Times the harvest saw it: close to the real count (a name's misses
    /// its sentence-initial and upper-case occurrences).
    seen: usize,
}

impl Sighting {
    fn new(display: String, kind: SuggestionKind, bonus: f64, seen: usize) -> Sighting {
        Sighting {
            display,
            kind,
            bonus,
            seen,
        }
    }

    fn estimate(&self) -> f64 {
        let rarity = match self.kind {
            SuggestionKind::Acronym => 1.0,
            // Terms are lower case already.
            SuggestionKind::Term if !self.display.contains(|c| !is_word_char(c)) => {
                let r = rarity(&self.display);
                r * r
            }
            _ => {
                let lower = self.display.to_lowercase();
                let words: Vec<&str> = lower
                    .split(|c| !is_word_char(c))
                    .filter(|w| !w.is_empty())
                    .collect();
                term_rarity(self.kind, &words)
            }
        };
        self.seen as f64 * rarity * self.bonus
    }
}

/// The candidates worth counting exactly: the best by the harvest's
/// counts. Keeps the counting pass linear however many candidates a long
/// text yields.
fn shortlist(mut sightings: Vec<Sighting>, limit: usize) -> Vec<Candidate> {
    let keep = limit.saturating_mul(4).saturating_add(200);
    if sightings.len() > keep {
        let mut order: Vec<(f64, usize)> = sightings
            .iter()
            .enumerate()
            .map(|(i, s)| (s.estimate(), i))
            .collect();
        order.select_nth_unstable_by(keep - 1, |a, b| b.0.total_cmp(&a.0));
        let mut chosen: Vec<usize> = order[..keep].iter().map(|&(_, i)| i).collect();
        chosen.sort_unstable();
        let mut chosen = chosen.into_iter().peekable();
        let mut i = 0;
        sightings.retain(|_| {
            let hit = chosen.next_if_eq(&i).is_some();
            i += 1;
            hit
        });
    }
    let mut candidates = Candidates::default();
    for s in sightings {
        candidates.push(s.display, s.kind, s.bonus);
    }
    candidates.list
}

/// Count every candidate in the body text, as highlight matches keywords.
fn count(texts: &[Text<'_>], candidates: &mut [Candidate]) {
    let mut by_first: HashMap<String, Vec<usize>> = HashMap::default();
    // Most words start no candidate: a table of (first byte, last byte)
    // of the candidates' first words rejects them without a look-up.
    let mut edges = vec![false; 256 * 256];
    for (i, c) in candidates.iter().enumerate() {
        let word = &c.pattern.words[0];
        edges[edge_index(word)] = true;
        by_first.entry(word.clone()).or_default().push(i);
    }
    // Per candidate: (piece serial, token index) where its last match ended,
    // so that matches of one term do not overlap.
    let mut ends: Vec<(usize, usize)> = vec![(usize::MAX, 0); candidates.len()];
    let mut tokens = Vec::new();
    let mut lower = String::new();
    let mut seen = 0;
    let mut serial = 0;
    for piece in texts.iter().flat_map(Text::pieces) {
        serial += 1;
        tokens.clear();
        word_tokens(piece, &mut tokens);
        for (t, &(start, end)) in tokens.iter().enumerate() {
            let word = &piece[start..end];
            if word.is_ascii() && !edges[edge_index(word)] {
                continue;
            }
            lower.clear();
            push_lower(&mut lower, word);
            let Some(list) = by_first.get(lower.as_str()) else {
                continue;
            };
            for &i in list {
                let (last_piece, last_end) = ends[i];
                if last_piece == serial && t < last_end {
                    continue;
                }
                let c = &mut candidates[i];
                if c.pattern.matches_at(piece, &tokens, t) {
                    c.count += 1;
                    c.first = c.first.min(seen + t);
                    ends[i] = (serial, t + c.pattern.words.len());
                }
            }
        }
        seen += tokens.len();
    }
}

/// Index of a word's first and last bytes, in lower case, in a 256 × 256
/// table. Words with other than ASCII are not filtered this way.
fn edge_index(word: &str) -> usize {
    let bytes = word.as_bytes();
    let first = bytes.first().map_or(0, u8::to_ascii_lowercase);
    let last = bytes.last().map_or(0, u8::to_ascii_lowercase);
    usize::from(first) * 256 + usize::from(last)
}

/// Byte ranges of the words of `piece`, URLs left out.
fn word_tokens(piece: &str, out: &mut Vec<(usize, usize)>) {
    let base = piece.as_ptr() as usize;
    for chunk in words(piece) {
        if is_url(chunk) {
            continue;
        }
        let offset = chunk.as_ptr() as usize - base;
        if chunk.is_ascii() {
            let mut start = None;
            for (i, &b) in chunk.as_bytes().iter().enumerate() {
                match (b.is_ascii_alphanumeric() || b == b'_', start) {
                    (true, None) => start = Some(i),
                    (false, Some(s)) => {
                        out.push((offset + s, offset + i));
                        start = None;
                    }
                    _ => {}
                }
            }
            if let Some(s) = start {
                out.push((offset + s, offset + chunk.len()));
            }
            continue;
        }
        let mut start = None;
        for (i, c) in chunk.char_indices() {
            match (is_word_char(c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push((offset + s, offset + i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((offset + s, offset + chunk.len()));
        }
    }
}

/// Fold a candidate into a longer one that contains it when most of its
/// occurrences are inside the longer one (`Alvarez` into `Ms. Alvarez`).
fn fold_contained(candidates: &mut [Candidate]) {
    let index: HashMap<String, usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.pattern.full_key(), i))
        .collect();
    let mut folded = Vec::new();
    for (b, long) in candidates.iter().enumerate() {
        let n = long.pattern.words.len();
        if n < 2 || long.count == 0 {
            continue;
        }
        for from in 0..n {
            for to in from + 1..=n {
                if to - from == n {
                    continue;
                }
                if let Some(&a) = index.get(&long.pattern.key(from, to))
                    && a != b
                    && long.count * 4 >= candidates[a].count * 3
                {
                    folded.push(a);
                }
            }
        }
    }
    for a in folded {
        candidates[a].folded = true;
    }
}

/// Fold the singular and plural of one word (`digest`, `digests`) into the
/// more frequent of the two, which then ranks on both counts.
fn fold_plurals(candidates: &mut [Candidate]) {
    let index: HashMap<(String, SuggestionKind), usize> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.folded)
        .map(|(i, c)| ((c.display.to_lowercase(), c.kind), i))
        .collect();
    for one in 0..candidates.len() {
        let word = candidates[one].display.to_lowercase();
        let kind = candidates[one].kind;
        let mut plurals = vec![format!("{word}s"), format!("{word}es")];
        if let Some(stem) = word.strip_suffix('y') {
            plurals.push(format!("{stem}ies"));
        }
        for plural in plurals {
            let Some(&many) = index.get(&(plural, kind)) else {
                continue;
            };
            let (keep, fold) = if candidates[many].count > candidates[one].count {
                (many, one)
            } else {
                (one, many)
            };
            if candidates[keep].folded || candidates[fold].folded {
                continue;
            }
            candidates[fold].folded = true;
            candidates[keep].variants += candidates[fold].count;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SuggestionKind as K;
    use super::*;
    use crate::highlight::{MatchMode, Matcher};
    use crate::loader::{FormatHint, LoadOptions, load_bytes, load_file};

    fn briefing(markdown: &str) -> Briefing {
        load_bytes(markdown.as_bytes(), "test.md", FormatHint::Markdown).expect("text loads")
    }

    fn top(markdown: &str, limit: usize) -> Vec<(String, usize, SuggestionKind)> {
        suggest(&briefing(markdown), limit)
            .into_iter()
            .map(|s| (s.term, s.count, s.kind))
            .collect()
    }

    fn s(term: &str, count: usize, kind: SuggestionKind) -> (String, usize, SuggestionKind) {
        (term.to_owned(), count, kind)
    }

    #[test]
    fn pieces_leave_out_link_targets() {
        let text = "see Alpha (a.org) and Beta (b.org) now";
        let run = |range: std::ops::Range<usize>, style| StyleRun { range, style };
        let runs = [
            run(4..9, Inline::LINK),
            run(10..17, Inline::LINK_TARGET),
            run(11..13, Inline::LINK_TARGET),
            run(27..34, Inline::LINK_TARGET),
        ];
        let t = Text {
            body: text,
            runs: &runs,
            names: true,
        };
        let pieces: Vec<&str> = t.pieces().collect();
        assert_eq!(pieces, ["see Alpha ", " and Beta ", " now"]);
        let whole = Text {
            body: text,
            runs: &[],
            names: true,
        };
        assert_eq!(whole.pieces().collect::<Vec<_>>(), [text]);
    }

    #[test]
    fn a_large_text_is_harvested_from_an_even_sample_within_the_budget() {
        let words: Vec<String> = (0..1000).map(|i| format!("{i:>10}")).collect();
        let texts: Vec<Text<'_>> = words
            .iter()
            .map(|w| Text {
                body: w,
                runs: &[],
                names: true,
            })
            .collect();
        // 10,000 bytes in all.
        assert_eq!(spread(&texts, 10_000).count(), 1000, "all within budget");
        let taken: Vec<usize> = spread(&texts, 2_500)
            .map(|t| t.body.trim().parse().expect("a number"))
            .collect();
        assert_eq!(taken.len(), 250, "a quarter");
        assert!(
            taken.windows(2).all(|w| w[1] - w[0] == 4),
            "every fourth: {taken:?}"
        );
        assert_eq!(spread(&texts, 0).count(), 0);
        // One text larger than the budget is taken, and then no more.
        let long = "x".repeat(100);
        let large: Vec<Text<'_>> = std::iter::once(long.as_str())
            .chain(words.iter().take(3).map(String::as_str))
            .map(|body| Text {
                body,
                runs: &[],
                names: true,
            })
            .collect();
        assert_eq!(spread(&large, 50).count(), 1);
    }

    #[test]
    fn candidates_from_a_sample_are_counted_over_the_whole_text() {
        // Over the harvest budget: "Quorvex" stands in every paragraph, so
        // the sample sees it, and its count is of the whole text.
        let paragraph = "The Quorvex board met again about the harbour plan today.\n\n";
        let n = HARVEST_BYTES / paragraph.len() * 2;
        let found = top(&format!("# Notes\n\n{}", paragraph.repeat(n)), 5);
        assert!(
            found
                .iter()
                .any(|(term, count, _)| term == "Quorvex" && *count == n),
            "{found:?}"
        );
    }

    #[test]
    fn names_lead_and_sentence_starts_are_not_names() {
        assert_eq!(
            top(
                "# Brief\n\n\
                 Finance ministers met in Brussels. Heavy rain hit Kenya, and the \
                 Kenya Meteorological Department warned of floods. The World Health \
                 Organization met in Geneva. Officials said the rain in Kenya would ease.\n",
                10
            ),
            [
                s("Kenya", 3, K::Name),
                s("Kenya Meteorological Department", 1, K::Name),
                s("World Health Organization", 1, K::Name),
                s("Brussels", 1, K::Name),
                s("Geneva", 1, K::Name),
            ]
        );
    }

    #[test]
    fn connectors_join_names() {
        assert_eq!(
            top(
                "The rate set by the Bank of England rose. Traders at the Bank of \
                 England and at the Bank of Japan agreed.\n",
                5
            ),
            [
                s("Bank of England", 2, K::Name),
                s("Bank of Japan", 1, K::Name)
            ]
        );
    }

    #[test]
    fn possessives_count_for_the_name() {
        assert_eq!(
            top(
                "Victims of Harbour Lynx rose. Harbour Lynx's leak site lists four. \
                 We track Harbour Lynx closely.\n",
                5
            ),
            [s("Harbour Lynx", 3, K::Name)]
        );
    }

    #[test]
    fn a_surname_folds_into_the_title_and_name_it_mostly_follows() {
        assert_eq!(
            top(
                "MODERATOR: Welcome. Ms. Alvarez, the floor is yours.\n\n\
                 MS. ALVAREZ: Thank you.\n\n\
                 Q: Ms. Alvarez, when will the viaduct reopen?\n\n\
                 MS. ALVAREZ: In March.\n",
                5
            ),
            [s("Ms. Alvarez", 4, K::Name)]
        );
    }

    #[test]
    fn acronyms_are_found_but_not_shouted_words() {
        assert_eq!(
            top(
                "# EXECUTIVE SUMMARY\n\n\
                 NATO met the WHO today. NATO said CVE-2026-4411 is patched and the \
                 U.S. agreed; the WHO did not. It was NOT enough.\n",
                10
            ),
            [
                s("NATO", 2, K::Acronym),
                s("WHO", 2, K::Acronym),
                s("CVE-2026-4411", 1, K::Acronym),
                s("U.S.", 1, K::Acronym),
            ]
        );
    }

    #[test]
    fn months_weekdays_numbers_and_urls_are_never_suggested() {
        assert_eq!(
            top(
                "On Monday 3 March 2026 the Senate met; on Tuesday, 4 March, the \
                 Senate met again. Le lundi 3 mars, der Montag, el lunes 3 de marzo. \
                 See https://example.org/Senate/Zebrafish and www.zebrafish.org.\n",
                10
            ),
            [s("Senate", 2, K::Name)]
        );
    }

    #[test]
    fn recurring_phrases_and_rare_terms_are_suggested() {
        assert_eq!(
            top(
                "Regional banks are lending less. Analysts at regional banks expect \
                 the aquifer to recover. The aquifer is low and the aquifer tariff \
                 rises; the tariff is new.\n",
                5
            ),
            [
                s("aquifer", 3, K::Term),
                s("tariff", 2, K::Term),
                s("regional banks", 2, K::Phrase),
            ]
        );
    }

    #[test]
    fn code_blocks_and_link_targets_are_ignored() {
        assert_eq!(
            top(
                "The firmware update is at [the portal](https://example.org/Zebrafish). \
                 Apply the firmware.\n\n```\nZebrafish Zebrafish Zebrafish\n```\n",
                5
            ),
            [s("firmware", 2, K::Term)]
        );
    }

    #[test]
    fn german_nouns_are_not_names() {
        assert_eq!(
            top(
                "## Deutsch\n\nDie Stadt hat mobile Schutzwände aufgebaut und mehrere \
                 Straßen in der Altstadt gesperrt. Die Überschwemmung betrifft vor allem \
                 Keller und Straßen in der Nähe des Ufers.\n",
                5
            ),
            []
        );
    }

    #[test]
    fn unspaced_scripts_give_only_latin_names() {
        assert_eq!(
            top(
                "大型の台風が接近。沖縄では台風に警戒。Officials at Tokyo Electric said \
                 that Tokyo Electric crews are ready.\n",
                5
            ),
            [s("Tokyo Electric", 2, K::Name)]
        );
    }

    #[test]
    fn nothing_to_suggest_in_an_empty_briefing_or_with_no_room() {
        assert_eq!(top("", 5), []);
        assert_eq!(top("Harbour Lynx and Harbour Lynx.", 0), []);
    }

    #[test]
    fn lines_split_at_hard_breaks_cells_and_column_gaps() {
        let split: Vec<&str> = lines("a b\tc\nd   e  f").collect();
        assert_eq!(split, ["a b", "c", "d", "e  f"]);
        assert_eq!(lines("").collect::<Vec<_>>(), [""]);
    }

    /// Counts agree with what the keyword highlighter finds in the same
    /// text (headings and every block but code).
    #[test]
    fn counts_match_the_highlighter() {
        for name in [
            "2026-11-27-daily-security-brief.md",
            "2026-11-18-press-briefing-transcript.txt",
        ] {
            let briefing = sample(name);
            for suggestion in suggest(&briefing, 20) {
                let matcher = Matcher::new(std::slice::from_ref(&suggestion.term), MatchMode::Word)
                    .expect("a term");
                let mut texts: Vec<&str> = Vec::new();
                for section in &briefing.sections {
                    if section.kind.title_is_source() {
                        texts.push(&section.title);
                    }
                    for block in &section.blocks {
                        if !matches!(block.kind, BlockKind::Code { .. }) {
                            let text = Text {
                                body: &block.text,
                                runs: &block.runs,
                                names: true,
                            };
                            texts.extend(text.pieces());
                        }
                    }
                }
                let hits: usize = texts.iter().map(|t| matcher.find(t).len()).sum();
                assert_eq!(hits, suggestion.count, "{name}: {}", suggestion.term);
            }
        }
    }

    fn sample(name: &str) -> Briefing {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("briefings")
            .join(name);
        load_file(&path, &LoadOptions::default()).expect("sample briefing loads")
    }

    fn top_terms(name: &str) -> Vec<String> {
        suggest(&sample(name), 10)
            .into_iter()
            .map(|s| s.term)
            .collect()
    }

    /// Words that must never lead: months, weekdays, and words capitalised
    /// only because they start a sentence in the sample briefings.
    const NEVER: &[&str] = &[
        "November",
        "December",
        "August",
        "October",
        "Wednesday",
        "Thursday",
        "The",
        "In",
        "Finance",
        "Heavy",
        "Health",
        "Road",
        "Shares",
        "Officials",
        "Environmental",
        "Finally",
        "Analysts",
        "Key",
        "Prepared",
        "Exploitation",
        "Initial",
        "Indicators",
        "Ransomware",
        "Organisations",
        "Landing",
        "Affected",
        "Fixed",
        "We",
        "This",
    ];

    #[test]
    fn news_brief_leads_with_the_places_and_organisations_it_names() {
        let terms = top_terms("2026-11-26-morning-news-brief.txt");
        for name in [
            "Kenya",
            "World Health Organization",
            "Red Cross",
            "Aldmere Semiconductors",
        ] {
            assert!(terms.iter().any(|t| t == name), "{name} not in {terms:?}");
        }
        for word in NEVER {
            assert!(!terms.iter().any(|t| t == word), "{word} in {terms:?}");
        }
        let kinds: Vec<SuggestionKind> = suggest(&sample("2026-11-26-morning-news-brief.txt"), 10)
            .into_iter()
            .map(|s| s.kind)
            .collect();
        assert_eq!(kinds, [K::Name; 10]);
    }

    #[test]
    fn security_brief_leads_with_the_group_flaw_and_product_it_names() {
        let terms = top_terms("2026-11-27-daily-security-brief.md");
        for name in [
            "Harbour Lynx",
            "CVE-2026-4411",
            "SecureEdge",
            "VPN",
            "firmware",
        ] {
            assert!(terms.iter().any(|t| t == name), "{name} not in {terms:?}");
        }
        for word in NEVER {
            assert!(!terms.iter().any(|t| t == word), "{word} in {terms:?}");
        }
        assert_eq!(terms[0], "Harbour Lynx");
    }

    #[test]
    fn transcript_leads_with_the_speaker() {
        let terms = top_terms("2026-11-18-press-briefing-transcript.txt");
        assert_eq!(terms[0], "Ms. Alvarez");
        for word in NEVER {
            assert!(!terms.iter().any(|t| t == word), "{word} in {terms:?}");
        }
    }

    #[test]
    fn every_sample_briefing_gives_suggestions_without_calendar_words() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("briefings");
        let mut names: Vec<_> = std::fs::read_dir(&folder)
            .expect("briefings folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let suggestions = suggest(&sample(&name), 10);
            assert!(!suggestions.is_empty(), "{name}");
            for s in &suggestions {
                for word in s.term.split_whitespace() {
                    let word = word.to_lowercase();
                    assert!(!is_calendar(&word), "{name}: {}", s.term);
                }
            }
        }
    }
}
