//! Line shapes once matched with regexes built from Unicode classes
//! (`\p{Lu}`, `\p{L}`, `\w`), matched here by hand.
//!
//! Building such a regex compiles each class into an automaton of UTF-8
//! sequences: 0.2–1.3 ms apiece, paid by the first screen of a plain-text
//! briefing (the preview is loaded before the terminal is set up), up to
//! 6 ms in all for one text. These functions take the classes from
//! regex-syntax's Unicode tables, which the regex crate itself uses (a
//! class is read in microseconds), and look characters up by binary
//! search. Each function's doc comment gives the regex it replaces, and a
//! property test in this module checks it against that regex.

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex_syntax::hir::{Class as HirClass, HirKind};
use regex_syntax::is_word_character;

/// A Unicode class as a regex reads it (`\p{Lu}`), as sorted ranges.
struct Class(Box<[(char, char)]>);

impl Class {
    fn of(pattern: &str) -> Class {
        let hir = regex_syntax::Parser::new()
            .parse(pattern)
            .expect("a valid class");
        let HirKind::Class(HirClass::Unicode(class)) = hir.kind() else {
            unreachable!("{pattern} is a Unicode class");
        };
        Class(
            class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
        )
    }

    fn contains(&self, c: char) -> bool {
        self.0
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    Ordering::Less
                } else if lo > c {
                    Ordering::Greater
                } else {
                    Ordering::Equal
                }
            })
            .is_ok()
    }
}

/// `\p{Lu}`.
fn is_upper(c: char) -> bool {
    static UPPER: LazyLock<Class> = LazyLock::new(|| Class::of(r"\p{Lu}"));
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        UPPER.contains(c)
    }
}

/// `\p{L}`.
fn is_letter(c: char) -> bool {
    static LETTER: LazyLock<Class> = LazyLock::new(|| Class::of(r"\p{L}"));
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        LETTER.contains(c)
    }
}

/// `\p{M}`.
fn is_mark(c: char) -> bool {
    static MARK: LazyLock<Class> = LazyLock::new(|| Class::of(r"\p{M}"));
    !c.is_ascii() && MARK.contains(c)
}

/// `\d`, Unicode's decimal digits.
fn is_digit(c: char) -> bool {
    static DIGIT: LazyLock<Class> = LazyLock::new(|| Class::of(r"\d"));
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        DIGIT.contains(c)
    }
}

/// Whether `s` equals `lower` (ASCII lower case) as a case-insensitive
/// regex compares: `K` (the Kelvin sign) folds to `k` and `ſ` to `s`.
fn folds_to(s: &str, lower: &str) -> bool {
    let fold = |c: char| match c {
        '\u{212A}' => 'k',
        '\u{17F}' => 's',
        c => c.to_ascii_lowercase(),
    };
    s.chars().map(fold).eq(lower.chars())
}

/// Whether `s`'s first word (up to a space) is one of `words` (ASCII lower
/// case), compared as [`folds_to`] does: a test that must pass before
/// a case-insensitive regex whose every alternative starts so is built.
pub(super) fn first_word_is(s: &str, words: &[&str]) -> bool {
    let first = s.split(' ').next().unwrap_or("");
    words.iter().any(|w| folds_to(first, w))
}

/// `^(\p{Lu}[\w./()-]*(?: [\w./()-]+){0,2}):\s+(\S.*)$`: `Key: value`,
/// the key one to three words, the first in upper case; (key, value).
pub(super) fn field(t: &str) -> Option<(&str, &str)> {
    let is_key_char = |c: char| matches!(c, '.' | '/' | '(' | ')' | '-') || is_word_character(c);
    let (key, rest) = t.split_once(':')?;
    let mut words = key.split(' ');
    let mut first = words.next()?.chars();
    if !first.next().is_some_and(is_upper) || !first.all(is_key_char) {
        return None;
    }
    for (n, word) in words.enumerate() {
        if n >= 2 || word.is_empty() || !word.chars().all(is_key_char) {
            return None;
        }
    }
    let value = rest.trim_start();
    let spaced = value.len() < rest.len();
    (spaced && !value.is_empty() && !value.contains('\n')).then_some((key, value))
}

/// A memorandum's header keys: `(?i)^(to|from|…)\s*:\s*(\S.*)$` with
/// [`keyed`].
pub(super) const MEMO_KEYS: [&str; 14] = [
    "to",
    "from",
    "date",
    "subject",
    "subj",
    "re",
    "cc",
    "bcc",
    "through",
    "thru",
    "attn",
    "attention",
    "memorandum for",
    "classification",
];

/// A press release's contact keys (`(?i)^((?:media |press )?contacts?|
/// sources?|press office|media (?:enquiries|inquiries)|for (?:more|
/// further) information)\s*:\s*(\S.*)$` with [`keyed`]).
pub(super) const CONTACT_KEYS: [&str; 13] = [
    "contact",
    "contacts",
    "media contact",
    "media contacts",
    "press contact",
    "press contacts",
    "source",
    "sources",
    "press office",
    "media enquiries",
    "media inquiries",
    "for more information",
    "for further information",
];

/// `(?i)^(KEY)\s*:\s*(\S.*)$`, KEY one of `keys` (ASCII lower case): the
/// key as written and the value.
pub(super) fn keyed<'t>(t: &'t str, keys: &[&str]) -> Option<(&'t str, &'t str)> {
    let (left, rest) = t.split_once(':')?;
    let key = left.trim_end();
    if !keys.iter().any(|k| folds_to(key, k)) {
        return None;
    }
    let value = rest.trim_start();
    (!value.is_empty() && !value.contains('\n')).then_some((key, value))
}

/// `^(\p{Lu}\p{L}+)\.?\s+(?:(?:No|NO|Nr|Number|NUMBER)\.?\s*)?
/// (\d{1,4}|[IVXLCDM]{1,7})\b\.?(?:\s*[:.—–-]?\s+(\S.*))?$`: a labelled
/// line (`PART 3`, `FEDERALIST. No. 1`, `Chapter IV: The Storm`) as the
/// label word, the number as written and the title after it (empty if
/// none).
pub(super) fn label(t: &str) -> Option<(&str, &str, &str)> {
    let word_end = t.find(|c: char| !is_letter(c)).unwrap_or(t.len());
    let word = &t[..word_end];
    let mut letters = word.chars();
    if !letters.next().is_some_and(is_upper) || letters.next().is_none() {
        return None;
    }
    let s = &t[word_end..];
    let s = s.strip_prefix('.').unwrap_or(s);
    let spaced = s.trim_start();
    if spaced.len() == s.len() {
        return None;
    }
    let mut s = spaced;
    if s.starts_with('N') {
        let after = ["Number", "NUMBER", "No", "NO", "Nr"]
            .iter()
            .find_map(|p| s.strip_prefix(p))?;
        s = after.strip_prefix('.').unwrap_or(after).trim_start();
    }
    let digits = s.find(|c: char| !is_digit(c)).unwrap_or(s.len());
    let (number, after) = if digits > 0 {
        if s[..digits].chars().count() > 4 {
            return None;
        }
        s.split_at(digits)
    } else {
        let roman = s.find(|c: char| !"IVXLCDM".contains(c)).unwrap_or(s.len());
        if roman == 0 || roman > 7 {
            return None;
        }
        s.split_at(roman)
    };
    // `\b`: the numeral ends a word.
    if after.chars().next().is_some_and(is_word_character) {
        return None;
    }
    Some((word, number, label_tail(after)?))
}

/// `\.?(?:\s*[:.—–-]?\s+(\S.*))?$` over `s`, tried in the order a regex
/// tries it: the title (group 1, empty if none), or `None`.
fn label_tail(s: &str) -> Option<&str> {
    let dotted = s.strip_prefix('.');
    for rest in dotted.into_iter().chain([s]) {
        if let Some(title) = separated_title(rest) {
            return Some(title);
        }
        if rest.is_empty() {
            return Some("");
        }
    }
    None
}

/// `\s*[:.—–-]?\s+(\S.*)$` over `s`: group 1.
fn separated_title(s: &str) -> Option<&str> {
    let spaces = s.len() - s.trim_start().len();
    // `\s*` takes as many spaces as it can, then gives them back one by one.
    let ends = s[..spaces]
        .char_indices()
        .map(|(i, _)| i)
        .chain([spaces])
        .rev();
    for end in ends {
        let after = &s[end..];
        let sep = after
            .chars()
            .next()
            .filter(|c| matches!(c, ':' | '.' | '—' | '–' | '-'));
        let without = sep.map(|c| &after[c.len_utf8()..]);
        for rest in without.into_iter().chain([after]) {
            let title = rest.trim_start();
            if title.len() < rest.len() && !title.is_empty() && !title.contains('\n') {
                return Some(title);
            }
        }
    }
    None
}

/// Whether the date regex of [`super::date_regex`] may match `t`: each of
/// its forms has a month's name (its first three letters), a `-` or a
/// `/`. A test that most lines with digits fail, before that regex (the
/// largest of the loader's) is built.
pub(super) fn may_hold_date(t: &str) -> bool {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    // `ſ` folds to `s` (`ſep`).
    t.contains(['-', '/', '\u{17F}'])
        || t.as_bytes().windows(3).any(|w| {
            let lower = [w[0] | 0x20, w[1] | 0x20, w[2] | 0x20];
            MONTHS.contains(&&lower)
        })
}

/// Whether `t` is a date line whose time has a zone after it (`Nov 3,
/// 2025 10:00 am Pacific Time`, at most 21 characters): `date` (the date
/// regex, its time captured as `time` and a closing full stop as `dot`)
/// matches what comes before the zone, with a time and no full stop.
///
/// The regex once ended its time with `(?:\s+(\p{L}[\p{L} ]*))?`, and
/// counted the zone it captured. That capture was the shortest zone any
/// reading allows (the time takes `am` if it can), so any reading with a
/// zone short enough will do.
pub(super) fn zoned_date(t: &str, date: &regex::Regex) -> bool {
    const ZONE_CHARS: usize = 21;
    let body = t.strip_suffix('.').unwrap_or(t);
    // Letters and spaces to the end: the zone is a tail of them.
    let run = body
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c == ' ' || is_letter(c))
        .last()
        .map_or(body.len(), |(i, _)| i);
    let mut before = body[..run].chars().next_back();
    for (i, c) in body[run..].char_indices() {
        let at = run + i;
        let starts_zone = is_letter(c) && before.is_some_and(char::is_whitespace);
        before = Some(c);
        if !starts_zone || body[at..].chars().count() > ZONE_CHARS {
            continue;
        }
        let rest = body[..at].trim_end();
        let timed = date
            .captures(rest)
            .is_some_and(|c| c.name("time").is_some() && c.name("dot").is_none());
        if timed {
            return true;
        }
    }
    false
}

/// Whether a news dateline's place (`^\s*(\p{Lu}[\p{Lu}\p{M} .'’-]*\p{Lu}`,
/// the start of the dateline regex) may open `text`: after the first
/// capital, the run of characters that may follow it holds another. A
/// test that most paragraphs fail (`The…`, `A new…`) before that regex is
/// built.
pub(super) fn may_open_dateline(text: &str) -> bool {
    let mut chars = text.trim_start().chars();
    chars.next().is_some_and(is_upper)
        && chars
            .take_while(|&c| is_upper(c) || is_mark(c) || matches!(c, ' ' | '.' | '\'' | '’' | '-'))
            .any(is_upper)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    const FIELD: &str = r"^(\p{Lu}[\w./()-]*(?: [\w./()-]+){0,2}):\s+(\S.*)$";
    const MEMO: &str = r"(?i)^(to|from|date|subject|subj|re|cc|bcc|through|thru|attn|attention|memorandum for|classification)\s*:\s*(\S.*)$";
    const CONTACT: &str = r"(?i)^((?:media |press )?contacts?|sources?|press office|media (?:enquiries|inquiries)|for (?:more|further) information)\s*:\s*(\S.*)$";
    const LABEL: &str = r"^(\p{Lu}\p{L}+)\.?\s+(?:(?:No|NO|Nr|Number|NUMBER)\.?\s*)?(\d{1,4}|[IVXLCDM]{1,7})\b\.?(?:\s*[:.—–-]?\s+(\S.*))?$";
    const PLACE: &str = r"^\s*(\p{Lu}[\p{Lu}\p{M} .'’-]*\p{Lu})";

    /// Characters on the edges of the classes: `K` and `ſ` (which fold to
    /// ASCII letters), `Ⅻ` (upper case but not `\p{Lu}`), `ǅ` (title
    /// case), `²` (a number, not a digit), `٣` (a digit beyond ASCII), a
    /// combining accent, a no-break space, a line feed.
    const EDGES: &[&str] = &[
        "É", "Σ", "é", "ß", "中", "Ⅻ", "ǅ", "K", "ſ", "İ", "ı", "²", "٣", "\u{301}", "\u{a0}",
        "\n", "_", "?", "'", "’",
    ];
    const WORDS: &[&str] = &[
        "A",
        "Z",
        "a",
        "Key",
        "key",
        "x_y",
        "Q",
        "v2",
        "(EU)",
        "a/b",
        "St.",
        "No",
        "NO",
        "Nr",
        "Number",
        "NUMBER",
        "Nov",
        "Chapter",
        "PART",
        "FEDERALIST",
        "Section",
        "Title",
        "WASHINGTON",
    ];
    const SPACES: &[&str] = &["", " ", " ", "  ", "\t", "\u{a0}", "\n"];
    const SEPARATORS: &[&str] = &["", ":", ".", "-", "—", "–", ",", " - ", ": ", ". "];
    /// Mostly one space: keys of one to three words and more.
    const KEY_SPACES: &[&str] = &[" ", " ", " ", " ", " ", "", "  ", "\t"];
    /// Mostly what a label's word may have after it: a dot, spaces.
    const LABEL_DOTS: &[&str] = &["", "", ".", ","];
    const LABEL_SPACES: &[&str] = &[" ", " ", "  ", "", "\u{a0}"];
    const DATE_SEPARATORS: &[&str] = &[" ", " ", ", ", ". ", "", "-", "/", " at "];
    const NUMERALS: &[&str] = &[
        "1", "12", "2026", "12345", "²", "٣", "٣٣", "I", "IV", "XIV", "MMXXVI", "MMMDCCC",
        "VIIIIIII", "IVXLCDMI", "Ix", "5a", "N",
    ];
    const DATES: &[&str] = &[
        "jan",
        "Sep",
        "ſep",
        "NOV",
        "mar",
        "May",
        "2026-11-27",
        "3/4/26",
        "27",
        "2026",
        "at",
        "10:00",
        "am",
        "UTC",
    ];

    const ZONED_DATES: &[&str] = &[
        "27 November 2026",
        "Nov. 3, 2025",
        "2026-11-27",
        "3/4/26",
        "Monday, 3 May 2026",
        "updated 27 Nov 2026",
        "September 2026",
        "10:00 UTC, 3 May 2026",
    ];
    const TIMES: &[&str] = &[
        "10:00", "10", "10:00 am", "10 a.m.", "3pm", "10:00am", "9 p.m", "9 pm", "10:00 ",
    ];
    const ZONES: &[&str] = &[
        "UTC",
        "local time",
        "Pacific Time",
        "am",
        "am UTC",
        "pm  CET",
        "Central European Summer Time",
        "Coordinated Universal T",
        "Coordinated Universal",
        "Zürich",
        "UTC ",
        "ЕКТ",
        "GMT+1",
    ];

    /// Pieces joined at random.
    fn joined(pieces: &'static [&'static str], n: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(pieces), 0..n).prop_map(|p| p.concat())
    }

    /// One piece in `pieces`, possibly with one of [`EDGES`] in it.
    fn piece(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
        (
            prop::sample::select(pieces),
            prop::option::weighted(0.2, prop::sample::select(EDGES)),
            any::<prop::sample::Index>(),
        )
            .prop_map(|(p, edge, at)| {
                let mut s = p.to_owned();
                if let Some(e) = edge {
                    let at = (0..=s.len())
                        .filter(|&i| s.is_char_boundary(i))
                        .nth(at.index(s.chars().count() + 1))
                        .unwrap_or(0);
                    s.insert_str(at, e);
                }
                s
            })
    }

    /// Lines in the shapes of this module, near misses of them, and
    /// pieces of them at random.
    fn line() -> impl Strategy<Value = String> {
        let key_word = || piece(WORDS);
        let field = (
            prop::collection::vec((key_word(), prop::sample::select(KEY_SPACES)), 1..6),
            prop::sample::select(&["", "", "", " "][..]),
            prop::sample::select(&[":", ":", ":", "", "-"][..]),
            prop::sample::select(SPACES),
            joined(WORDS, 3),
        )
            .prop_map(|(words, before, sep, after, value)| {
                let key: String = words.iter().flat_map(|(w, s)| [*s, w.as_str()]).collect();
                format!("{}{before}{sep}{after}{value}", key.trim_start())
            });
        let keys: Vec<&'static str> = MEMO_KEYS.iter().chain(&CONTACT_KEYS).copied().collect();
        let keyed = (
            prop::sample::select(keys),
            any::<u8>(),
            prop::sample::select(SPACES),
            prop::sample::select(SEPARATORS),
            prop::sample::select(SPACES),
            joined(WORDS, 3),
        )
            .prop_map(|(key, case, before, sep, after, value)| {
                let key: String = key
                    .chars()
                    .enumerate()
                    .map(|(i, c)| match (c, case >> (i % 8) & 1) {
                        ('s', 1) if case > 200 => '\u{17F}',
                        ('k', 1) if case > 200 => '\u{212A}',
                        (c, 1) => c.to_ascii_uppercase(),
                        (c, _) => c,
                    })
                    .collect();
                format!("{key}{before}{sep}{after}{value}")
            });
        let label = (
            piece(WORDS),
            prop::sample::select(LABEL_DOTS),
            prop::sample::select(LABEL_SPACES),
            prop::option::of(piece(&["No", "NO", "Nr", "Number", "NUMBER", "No.", "Nov"])),
            prop::sample::select(LABEL_SPACES),
            piece(NUMERALS),
            prop::sample::select(SEPARATORS),
            prop::sample::select(SPACES),
            joined(WORDS, 3),
        )
            .prop_map(|(w, s1, w1, no, w2, n, s2, w3, rest)| {
                format!("{w}{s1}{w1}{}{w2}{n}{s2}{w3}{rest}", no.unwrap_or_default())
            });
        let zoned = (
            prop::sample::select(ZONED_DATES),
            prop::sample::select(&["", " ", " - ", ", ", " at ", "@", "."][..]),
            prop::sample::select(TIMES),
            prop::sample::select(&[" ", " ", "  ", "", "\t", "\u{a0}", "."][..]),
            piece(ZONES),
            prop::sample::select(&["", "", ".", " .", ".."][..]),
        )
            .prop_map(|(d, s, t, w, z, e)| format!("{d}{s}{t}{w}{z}{e}"));
        let date =
            prop::collection::vec((piece(DATES), prop::sample::select(DATE_SEPARATORS)), 1..6)
                .prop_map(|p| p.into_iter().map(|(a, b)| a + b).collect::<String>());
        let loose = prop::collection::vec(
            prop_oneof![
                piece(WORDS),
                piece(SEPARATORS),
                piece(SPACES),
                piece(NUMERALS)
            ],
            0..9,
        )
        .prop_map(|p| p.concat());
        prop_oneof![field, keyed, label, zoned, date, loose]
    }

    /// The regexes, built once for all cases (a debug build takes a
    /// while for each).
    static ORACLES: LazyLock<[Regex; 5]> = LazyLock::new(|| {
        [FIELD, MEMO, CONTACT, LABEL, PLACE].map(|p| Regex::new(p).expect("valid regex"))
    });
    static DATE: LazyLock<Regex> = LazyLock::new(super::super::date_regex);
    /// The date regex as it was, with the zone after the time.
    static DATE_ZONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&super::super::date_pattern(
            r"(?:\s+(?P<zone>\p{L}[\p{L} ]*))?",
        ))
        .expect("valid regex")
    });

    fn oracle(pattern: &str) -> &'static Regex {
        let at = [FIELD, MEMO, CONTACT, LABEL, PLACE]
            .iter()
            .position(|p| *p == pattern);
        &ORACLES[at.expect("one of the patterns")]
    }

    fn groups<'t>(re: &Regex, t: &'t str) -> Option<Vec<&'t str>> {
        let caps = re.captures(t)?;
        Some(
            (1..caps.len())
                .map(|i| caps.get(i).map_or("", |m| m.as_str()))
                .collect(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn field_is_its_regex(t in line()) {
            prop_assert_eq!(field(&t).map(|(k, v)| vec![k, v]), groups(oracle(FIELD), &t));
        }

        #[test]
        fn keyed_is_its_regex(t in line()) {
            prop_assert_eq!(
                keyed(&t, &MEMO_KEYS).map(|(k, v)| vec![k, v]),
                groups(oracle(MEMO), &t)
            );
            prop_assert_eq!(
                keyed(&t, &CONTACT_KEYS).map(|(k, v)| vec![k, v]),
                groups(oracle(CONTACT), &t)
            );
        }

        #[test]
        fn label_is_its_regex(t in line()) {
            prop_assert_eq!(
                label(&t).map(|(w, n, r)| vec![w, n, r]),
                groups(oracle(LABEL), &t)
            );
        }

        #[test]
        fn zoned_dates_are_the_zoned_regex(t in line()) {
            let zoned = DATE_ZONE.captures(&t).is_some_and(|c| {
                c.name("zone").is_none_or(|z| z.as_str().chars().count() <= 21)
            });
            prop_assert_eq!(DATE.is_match(&t) || zoned_date(&t, &DATE), zoned, "{:?}", t);
        }

        #[test]
        fn prefilters_pass_whatever_their_regex_matches(t in line()) {
            if DATE_ZONE.is_match(&t) {
                prop_assert!(may_hold_date(&t), "{t:?}");
            }
            if oracle(PLACE).is_match(&t) {
                prop_assert!(may_open_dateline(&t), "{t:?}");
            }
        }
    }

    #[test]
    fn the_shapes_read_what_they_are_for() {
        assert_eq!(field("Status: Resolved"), Some(("Status", "Resolved")));
        assert_eq!(
            field("Next review date: 4 May"),
            Some(("Next review date", "4 May"))
        );
        assert_eq!(field("status: resolved"), None);
        assert_eq!(field("One two three four: no"), None);
        assert_eq!(
            keyed("SUBJECT :  Budget", &MEMO_KEYS),
            Some(("SUBJECT", "Budget"))
        );
        assert_eq!(
            keyed("Media Contacts: Ann", &CONTACT_KEYS),
            Some(("Media Contacts", "Ann"))
        );
        assert_eq!(label("FEDERALIST. No. 1"), Some(("FEDERALIST", "1", "")));
        assert_eq!(
            label("Chapter IV: The Storm"),
            Some(("Chapter", "IV", "The Storm"))
        );
        assert_eq!(label("Chapter 12345"), None);
        assert!(first_word_is("PRESS release", &["news", "press"]));
        assert!(!first_word_is("Pressing on", &["press"]));
        assert!(may_hold_date("Nov. 3, 2025") && !may_hold_date("3. Scope 2"));
        assert!(zoned_date(
            "Wednesday, 18 November 2026 - 11:00 local time",
            &DATE
        ));
        assert!(zoned_date("Nov 3, 2025 10 a.m. Pacific Time.", &DATE));
        // A full stop ends the time: no zone after it.
        assert!(!zoned_date("Jan 2026 10:00. UTC", &DATE));
        assert!(!zoned_date(
            "3 May 2026 10:00 Central European Summer Time",
            &DATE
        ));
        // `ſ` folds to `s`: the date regex reads `ſep` as September.
        assert!(DATE.is_match("ſep 2026") && may_hold_date("ſep 2026"));
        assert!(may_open_dateline("LONDON, Dec 7 - …") && !may_open_dateline("A new plan - …"));
    }
}
