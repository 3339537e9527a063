//! Transcripts of press briefings and calls: speaker turns become sections.
//!
//! This module owns two things: recognising a speaker label at the start of
//! a paragraph ([`speaker`]), and regrouping the body of a briefing that is
//! mostly speaker turns ([`apply`]). It works on a built [`Briefing`], so any
//! loader can use it; it never renders, never reads files, and never drops,
//! edits or reorders a block: labels stay in the body text.
//!
//! Grammar of a speaker label, at the start of a paragraph:
//!
//! * a question: `Q:`, `Q.`, or `Q` alone followed by a word that does not
//!   start in lower case (`Q    Mr. President, …`), and `QUESTION:`,
//!   `REPORTER:`;
//! * a name or role in capitals followed by a colon and ordinary text:
//!   `MODERATOR:`, `MS. ALVAREZ:`, `SECRETARY BLINKEN:`, `THE PRESIDENT:`
//!   (at most six words; the text after the colon must hold a lower-case
//!   letter, so `APPENDIX: METHOD` is not a turn; `NOTE:`, `UPDATE:` and
//!   similar signposts are not speakers);
//! * an honorific or role in ordinary case: `Ms. Alvarez:`, `Moderator:`.
//!
//! A body is a transcript when at least three of its paragraphs open with a
//! label, labelled paragraphs are at least half of all paragraphs, and a
//! question is asked or some speaker opens two or more: labels that each
//! open one paragraph are a report's (`SITUATION:`, `ACTIONS TAKEN:`).
//! Then:
//!
//! * each question (a question label) opens a section titled `Q: ` and the
//!   question's opening words, after any greeting or self-introduction
//!   (`Thank you. Marco Ruiz, Radio Centro.`); answers and follow-ups
//!   (questions that say `follow-up` or start with `And`) stay with it;
//! * turns before the first question open one section per change of
//!   speaker, titled `SPEAKER — opening remarks`;
//! * a host (a label naming `MODERATOR`, `OPERATOR`, `HOST`, `CHAIR`,
//!   `PRESENTER` or `ANCHOR`) speaking after the answers to the last
//!   question, and after no one else, opens a `SPEAKER — closing remarks`
//!   section;
//! * unlabelled paragraphs continue the turn before them, and anything
//!   before the first turn stays where it was;
//! * the speakers (not `Q`) are listed in `metadata.extra` as
//!   `("speakers", "MODERATOR, MS. ALVAREZ")`.
//!
//! The new sections are [`SectionKind::Transcript`] sections at the level of
//! the first body section; each starts at the source line of the section
//! its first paragraph came from.

use std::sync::LazyLock;

use regex::Regex;

use crate::briefing::{Block, BlockKind, Briefing, Section, SectionKind};
use crate::loader::plain::{LABEL_CHARS, LABEL_WORDS, collapse, label};

/// The key under which the speakers are listed in `metadata.extra`.
pub(crate) const SPEAKERS_KEY: &str = "speakers";

/// A speaker label at the start of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Speaker<'a> {
    /// The label as written, without its colon (`MS. ALVAREZ`, `Q`).
    pub(crate) label: &'a str,
    /// The label marks a question (`Q`, `QUESTION`, `REPORTER`).
    pub(crate) question: bool,
    /// A bare `Q` without colon or full stop: only trusted at the start of a
    /// paragraph, never to split one.
    pub(crate) bare: bool,
}

/// Words in capitals followed by a colon that introduce a note, not a
/// speaker.
const SIGNPOSTS: [&str; 22] = [
    "NOTE",
    "NOTES",
    "NB",
    "N.B.",
    "PS",
    "P.S.",
    "WARNING",
    "CAUTION",
    "IMPORTANT",
    "UPDATE",
    "UPDATED",
    "CORRECTION",
    "SOURCE",
    "SOURCES",
    "CONTACT",
    "EDITOR'S NOTE",
    "EDITOR’S NOTE",
    "SUMMARY",
    "BACKGROUND",
    "DISCLAIMER",
    "EXAMPLE",
    "TIP",
];

/// Labels that mark a question.
const QUESTION_LABELS: [&str; 4] = ["Q", "QUESTION", "REPORTER", "AUDIENCE MEMBER"];

/// Labels of whoever runs the event.
const HOST_WORDS: [&str; 6] = [
    "MODERATOR",
    "OPERATOR",
    "HOST",
    "CHAIR",
    "PRESENTER",
    "ANCHOR",
];

/// The speaker label `text` opens with, if any.
pub(crate) fn speaker(text: &str) -> Option<Speaker<'_>> {
    let t = text.trim_start();
    if let Some(rest) = t.strip_prefix('Q') {
        let marked = rest.strip_prefix([':', '.']);
        let after = marked.unwrap_or(rest);
        let next = after.trim_start().chars().next();
        if after.starts_with(char::is_whitespace)
            && next.is_some_and(|c| marked.is_some() || !c.is_lowercase())
        {
            return Some(Speaker {
                label: "Q",
                question: true,
                bare: marked.is_none(),
            });
        }
    }
    let colon = t.get(..64).unwrap_or(t).find(':')?;
    let name = t[..colon].trim_end();
    let said = t[colon + 1..].trim_start();
    // A time is no label: `ETA 08:00 UTC`.
    let time = name.ends_with(|c: char| c.is_ascii_digit())
        && t[colon + 1..].starts_with(|c: char| c.is_ascii_digit());
    if time || said.is_empty() || name.is_empty() || name.split_whitespace().count() > 6 {
        return None;
    }
    let caps = is_caps_name(name) && said.chars().any(char::is_lowercase);
    if !(caps || is_titled_name(name)) {
        return None;
    }
    let upper = name.to_uppercase();
    if SIGNPOSTS.contains(&upper.as_str()) {
        return None;
    }
    Some(Speaker {
        label: name,
        question: QUESTION_LABELS.contains(&upper.as_str()),
        bare: false,
    })
}

/// A name in capitals: upper-case letters, digits, spaces and `.'’-`.
fn is_caps_name(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
        && name.chars().any(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || " .'’-".contains(c))
}

/// An honorific or role in ordinary case (`Ms. Alvarez`, `Moderator`).
fn is_titled_name(name: &str) -> bool {
    static TITLED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:(?:Mr|Ms|Mrs|Dr|Prof|Sen|Senator|Rep|Gen|General|Adm|Amb|Ambassador|Gov|Governor|Secretary|President|Minister|Mayor|Commissioner|Chairman|Chairwoman|Chair)\.?(?:\s+\p{Lu}[\p{L}'’.-]*)+|Moderator|Operator|Question|Answer|Host)$",
        )
        .expect("valid regex")
    });
    // At most three names after the title: counted here, because a counted
    // group of Unicode classes is slow to build (milliseconds at start-up).
    TITLED.is_match(name) && name.split_whitespace().count() <= 4
}

/// Restructure a briefing whose body is mostly speaker turns: see the
/// module documentation. The body is every section after a leading
/// [`SectionKind::Heading`] (the title's own section), all of which must be
/// [`SectionKind::Lead`] or [`SectionKind::Paragraph`]. Returns whether the
/// briefing was changed.
pub(crate) fn apply(briefing: &mut Briefing) -> bool {
    let head = usize::from(
        briefing
            .sections
            .first()
            .is_some_and(|s| s.kind == SectionKind::Heading),
    );
    let body = briefing.sections.get(head..).unwrap_or_default();
    if body.is_empty()
        || body
            .iter()
            .any(|s| !matches!(s.kind, SectionKind::Lead | SectionKind::Paragraph))
    {
        return false;
    }
    let Some(speakers) = transcript_speakers(body) else {
        return false;
    };
    let level = body[0].level;
    let sections = std::mem::take(&mut briefing.sections);
    briefing.sections = regroup(sections, head, level, &speakers);
    if !speakers.is_empty()
        && !briefing
            .metadata
            .extra
            .iter()
            .any(|(k, _)| k == SPEAKERS_KEY)
    {
        briefing
            .metadata
            .extra
            .push((SPEAKERS_KEY.to_string(), speakers.join(", ")));
    }
    true
}

/// The turn a block opens, if it is a paragraph that starts with a label.
fn turn(block: &Block) -> Option<Speaker<'_>> {
    (block.kind == BlockKind::Paragraph)
        .then(|| speaker(&block.text))
        .flatten()
}

/// The distinct speakers (questions left out) when the sections are mostly
/// speaker turns; `None` when they are not a transcript.
fn transcript_speakers(body: &[Section]) -> Option<Vec<String>> {
    let mut paragraphs = 0usize;
    let mut turns = 0usize;
    let mut speakers: Vec<String> = Vec::new();
    let mut questions = 0usize;
    for block in body.iter().flat_map(|s| &s.blocks) {
        if block.kind != BlockKind::Paragraph {
            continue;
        }
        paragraphs += 1;
        if let Some(s) = turn(block) {
            turns += 1;
            if s.question {
                questions += 1;
            } else if !speakers.iter().any(|known| same_label(known, s.label)) {
                speakers.push(collapse(s.label));
            }
        }
    }
    // Questions are asked, or someone speaks twice: labels that each open
    // one paragraph are a report's (`SITUATION:`, `ACTIONS TAKEN:`), not a
    // conversation.
    let conversation = questions > 0 || turns > speakers.len();
    (turns >= 3 && turns * 2 >= paragraphs && conversation).then_some(speakers)
}

/// Whether a label as written is `known` (white space collapsed).
fn same_label(known: &str, label: &str) -> bool {
    known.split(' ').eq(label.split_whitespace())
}

/// What a group of turns is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Group {
    /// A speaker's remarks outside the questions.
    Remarks { speaker: String, closing: bool },
    /// A question with its answers.
    Question,
}

/// A group of turns being gathered: its blocks, each with the source line
/// of the section it came from.
struct Turns {
    group: Group,
    blocks: Vec<(usize, Block)>,
}

/// Sections: the first `head` sections unchanged, then the body regrouped
/// into turn sections at `level`.
fn regroup(sections: Vec<Section>, head: usize, level: u8, speakers: &[String]) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::with_capacity(sections.len());
    let mut groups: Vec<Turns> = Vec::new();
    let mut seen_question = false;
    for (k, mut section) in sections.into_iter().enumerate() {
        if k < head {
            out.push(section);
            continue;
        }
        let line = section.line;
        let mut kept = Vec::new();
        for block in std::mem::take(&mut section.blocks) {
            let Some(s) = turn(&block) else {
                match groups.last_mut() {
                    Some(turns) => turns.blocks.push((line, block)),
                    None => kept.push(block),
                }
                continue;
            };
            let new_group = if s.question {
                let follow_up = seen_question && is_follow_up(&block.text, s);
                seen_question = true;
                (!follow_up).then_some(Group::Question)
            } else if seen_question {
                None
            } else {
                match groups.last() {
                    Some(Turns {
                        group: Group::Remarks { speaker, .. },
                        ..
                    }) if same_label(speaker, s.label) => None,
                    _ => Some(Group::Remarks {
                        speaker: collapse(s.label),
                        closing: false,
                    }),
                }
            };
            if let Some(group) = new_group {
                if groups.is_empty() && !kept.is_empty() {
                    let mut lead = section.clone();
                    lead.blocks = std::mem::take(&mut kept);
                    out.push(lead);
                }
                groups.push(Turns {
                    group,
                    blocks: Vec::new(),
                });
            }
            if let Some(turns) = groups.last_mut() {
                turns.blocks.push((line, block));
            }
        }
        if !kept.is_empty() {
            section.blocks = kept;
            out.push(section);
        }
    }
    if let Some(host) = host_speaker(speakers) {
        split_closing(&mut groups, host);
    }
    for turns in groups {
        let line = turns.blocks.first().map_or(1, |(line, _)| *line);
        let title = match &turns.group {
            Group::Remarks { speaker, closing } => format!(
                "{speaker} — {} remarks",
                if *closing { "closing" } else { "opening" }
            ),
            Group::Question => {
                question_title(turns.blocks.first().map_or("", |(_, b)| b.text.as_str()))
            }
        };
        let mut section = Section::new(level, title, line);
        section.kind = SectionKind::Transcript;
        section.blocks = turns.blocks.into_iter().map(|(_, b)| b).collect();
        out.push(section);
    }
    out
}

/// The host: the first speaker whose label names a host role.
fn host_speaker(speakers: &[String]) -> Option<&str> {
    speakers
        .iter()
        .find(|s| HOST_WORDS.iter().any(|w| s.to_uppercase().contains(w)))
        .map(String::as_str)
}

/// When the host speaks after the answers to the last question, those
/// closing turns become their own group.
fn split_closing(groups: &mut Vec<Turns>, host: &str) {
    let Some(last) = groups.last_mut() else {
        return;
    };
    if last.group != Group::Question {
        return;
    }
    let mut answered = false;
    let mut split = None;
    for (k, (_, block)) in last.blocks.iter().enumerate().skip(1) {
        match turn(block) {
            Some(s) if same_label(host, s.label) && answered && split.is_none() => {
                split = Some(k);
            }
            Some(s) if same_label(host, s.label) => {}
            Some(s) => {
                split = None;
                answered = !s.question;
            }
            None => {}
        }
    }
    if let Some(k) = split {
        let blocks = last.blocks.split_off(k);
        groups.push(Turns {
            group: Group::Remarks {
                speaker: host.to_string(),
                closing: true,
            },
            blocks,
        });
    }
}

/// Whether a question follows up on the one before it.
fn is_follow_up(text: &str, s: Speaker) -> bool {
    let said = after_label(text, s).to_lowercase();
    let opening: String = said.chars().take(80).collect();
    [
        "follow-up",
        "follow up",
        "followup",
        "following up",
        "to follow on",
    ]
    .iter()
    .any(|w| opening.contains(w))
        || said.starts_with("and ")
}

/// The text of a turn after its label.
fn after_label<'a>(text: &'a str, s: Speaker) -> &'a str {
    let t = text.trim_start();
    let rest = t.strip_prefix(s.label).unwrap_or(t);
    rest.trim_start_matches([':', '.']).trim_start()
}

/// `Q: ` and the opening words of the question, after greetings and the
/// questioner's introduction.
fn question_title(text: &str) -> String {
    let said = speaker(text).map_or(text, |s| after_label(text, s));
    let gist = skip_preamble(said);
    label(&format!("Q: {gist}"), LABEL_WORDS + 1, LABEL_CHARS + 3)
}

/// `text` without the sentences at its start that greet, thank, announce a
/// last or follow-up question, or introduce the speaker (`Marco Ruiz, Radio
/// Centro.`), as long as something is left.
fn skip_preamble(text: &str) -> &str {
    let mut rest = text.trim_start();
    loop {
        let Some(end) = sentence_end(rest) else {
            return rest;
        };
        let sentence = &rest[..end];
        let after = rest[end..].trim_start();
        if after.is_empty() || !is_preamble(sentence) {
            return rest;
        }
        rest = after;
    }
}

/// The byte offset just past the first sentence of `text` (a `.`, `?` or
/// `!` followed by white space), if it has a second sentence.
fn sentence_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().find_map(|(i, &b)| {
        (matches!(b, b'.' | b'?' | b'!') && bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace))
            .then_some(i + 1)
    })
}

fn is_preamble(sentence: &str) -> bool {
    const OPENERS: [&str; 16] = [
        "thank you",
        "thanks",
        "hi",
        "hello",
        "good morning",
        "good afternoon",
        "good evening",
        "yes",
        "sure",
        "okay",
        "ok",
        "sorry",
        "last question",
        "one more",
        "quick question",
        "a quick one",
    ];
    let lower = sentence.to_lowercase();
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() <= 6
        && OPENERS.iter().any(|o| {
            lower.starts_with(o)
                && !lower[o.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        })
    {
        return true;
    }
    is_introduction(&words, sentence)
}

/// A short sentence of capitalised words with a comma: the questioner's
/// name and outlet (`Ana Ferreira, El Diario Económico.`).
fn is_introduction(words: &[&str], sentence: &str) -> bool {
    const SMALL: [&str; 12] = [
        "de", "del", "la", "el", "of", "the", "and", "for", "from", "with", "at", "da",
    ];
    (2..=8).contains(&words.len())
        && sentence.contains(',')
        && words.iter().all(|w| {
            let first = w.chars().find(|c| c.is_alphanumeric());
            first.is_none_or(|c| c.is_uppercase() || c.is_numeric())
                || SMALL.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::briefing::{Format, Metadata};

    #[test]
    fn a_titled_name_has_at_most_three_names() {
        assert!(is_titled_name("Ms. Alvarez"));
        assert!(is_titled_name("Dr Ana Maria Lopez"));
        assert!(!is_titled_name("Dr Ana Maria Lopez Garcia"));
        assert!(is_titled_name("Moderator"));
    }

    fn briefing(paragraphs: &[&str]) -> Briefing {
        let mut sections = vec![Section::new(1, "Briefing", 1)];
        for (k, p) in paragraphs.iter().enumerate() {
            let mut s = Section::new(2, label(p, LABEL_WORDS, LABEL_CHARS), 3 + 2 * k);
            s.kind = SectionKind::Paragraph;
            s.blocks.push(Block::paragraph(*p));
            sections.push(s);
        }
        Briefing {
            title: "Briefing".to_string(),
            format: Format::PlainText,
            metadata: Metadata::default(),
            sections,
            warnings: Vec::new(),
        }
    }

    /// (kind, level, title, line, block texts) of every section.
    fn shape(b: &Briefing) -> Vec<(SectionKind, u8, String, usize, Vec<String>)> {
        b.sections
            .iter()
            .map(|s| {
                (
                    s.kind,
                    s.level,
                    s.title.clone(),
                    s.line,
                    s.blocks.iter().map(|b| b.text.clone()).collect(),
                )
            })
            .collect()
    }

    fn turn_section(
        title: &str,
        line: usize,
        blocks: &[&str],
    ) -> (SectionKind, u8, String, usize, Vec<String>) {
        (
            SectionKind::Transcript,
            2,
            title.to_string(),
            line,
            blocks.iter().map(|b| (*b).to_string()).collect(),
        )
    }

    #[test]
    fn speaker_labels_are_recognised() {
        fn label_of(t: &str) -> Option<(&str, bool, bool)> {
            speaker(t).map(|s| (s.label, s.question, s.bare))
        }
        assert_eq!(
            label_of("MODERATOR: Good morning."),
            Some(("MODERATOR", false, false))
        );
        assert_eq!(
            label_of("MS. ALVAREZ: Thank you."),
            Some(("MS. ALVAREZ", false, false))
        );
        assert_eq!(
            label_of("THE PRESIDENT: Please sit."),
            Some(("THE PRESIDENT", false, false))
        );
        assert_eq!(
            label_of("SECRETARY BLINKEN: Well, look."),
            Some(("SECRETARY BLINKEN", false, false))
        );
        assert_eq!(label_of("Q: Why now?"), Some(("Q", true, false)));
        assert_eq!(label_of("Q. And then?"), Some(("Q", true, false)));
        assert_eq!(
            label_of("Q    Mr. President, thank you."),
            Some(("Q", true, true))
        );
        assert_eq!(label_of("QUESTION: When?"), Some(("QUESTION", true, false)));
        assert_eq!(
            label_of("Ms. Alvarez: Good morning."),
            Some(("Ms. Alvarez", false, false))
        );
        assert_eq!(label_of("APPENDIX: METHOD"), None);
        assert_eq!(label_of("NOTE: figures are provisional."), None);
        assert_eq!(label_of("Quarterly results: better."), None);
        assert_eq!(label_of("Q fever is rare."), None);
        assert_eq!(label_of("The time: noon."), None);
        assert_eq!(label_of("MODERATOR:"), None);
        assert_eq!(label_of("ETA 08:00 UTC tomorrow."), None);
        assert_eq!(
            label_of("AGENT 47: Done."),
            Some(("AGENT 47", false, false))
        );
    }

    #[test]
    fn press_briefing_becomes_remarks_and_questions() {
        let mut b = briefing(&[
            "MODERATOR: Good morning. The spokesperson will make a statement.",
            "MS. ALVAREZ: Thank you. The timetable changes in December.",
            "Replacement buses will run at peak hours.",
            "Q: Thank you. Marco Ruiz, Radio Centro. How long will the work last, and can you guarantee it?",
            "MS. ALVAREZ: Fourteen weeks.",
            "Q: Ana Ferreira, El Diario. Why is the refund so low?",
            "MS. ALVAREZ: It reflects the services removed.",
            "Q: A follow-up on that, please. Will the review be public?",
            "MS. ALVAREZ: Yes.",
            "MODERATOR: Thank you all. This concludes the briefing.",
        ]);
        assert!(apply(&mut b));
        assert_eq!(
            shape(&b),
            [
                (SectionKind::Heading, 1, "Briefing".to_string(), 1, vec![]),
                turn_section(
                    "MODERATOR — opening remarks",
                    3,
                    &["MODERATOR: Good morning. The spokesperson will make a statement."]
                ),
                turn_section(
                    "MS. ALVAREZ — opening remarks",
                    5,
                    &[
                        "MS. ALVAREZ: Thank you. The timetable changes in December.",
                        "Replacement buses will run at peak hours.",
                    ]
                ),
                turn_section(
                    "Q: How long will the work last, and can…",
                    9,
                    &[
                        "Q: Thank you. Marco Ruiz, Radio Centro. How long will the work last, and can you guarantee it?",
                        "MS. ALVAREZ: Fourteen weeks.",
                    ]
                ),
                turn_section(
                    "Q: Why is the refund so low?",
                    13,
                    &[
                        "Q: Ana Ferreira, El Diario. Why is the refund so low?",
                        "MS. ALVAREZ: It reflects the services removed.",
                        "Q: A follow-up on that, please. Will the review be public?",
                        "MS. ALVAREZ: Yes.",
                    ]
                ),
                turn_section(
                    "MODERATOR — closing remarks",
                    21,
                    &["MODERATOR: Thank you all. This concludes the briefing."]
                ),
            ]
        );
        assert_eq!(
            b.metadata.extra,
            [("speakers".to_string(), "MODERATOR, MS. ALVAREZ".to_string())]
        );
    }

    #[test]
    fn bare_q_and_unlabelled_lead_paragraph() {
        let mut b = briefing(&[
            "Remarks as delivered.",
            "THE PRESIDENT: Please, sit down. We have news.",
            "Q Mr. President, what happens next?",
            "THE PRESIDENT: We wait.",
            "Q And after that?",
            "THE PRESIDENT: We see.",
        ]);
        assert!(apply(&mut b));
        let titles: Vec<(SectionKind, String)> = b
            .sections
            .iter()
            .map(|s| (s.kind, s.title.clone()))
            .collect();
        assert_eq!(
            titles,
            [
                (SectionKind::Heading, "Briefing".to_string()),
                (SectionKind::Paragraph, "Remarks as delivered.".to_string()),
                (
                    SectionKind::Transcript,
                    "THE PRESIDENT — opening remarks".to_string()
                ),
                (
                    SectionKind::Transcript,
                    "Q: Mr. President, what happens next?".to_string()
                ),
            ]
        );
        assert_eq!(b.sections[3].blocks.len(), 4);
    }

    #[test]
    fn a_single_lead_section_is_split() {
        let mut lead = Section::new(1, "Call", 1);
        lead.kind = SectionKind::Lead;
        for t in [
            "Operator: Welcome to the call.",
            "Question: What changed?",
            "Dr. Smith: The data.",
        ] {
            lead.blocks.push(Block::paragraph(t));
        }
        let mut b = briefing(&[]);
        b.sections = vec![lead];
        assert!(apply(&mut b));
        let titles: Vec<&str> = b.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Operator — opening remarks", "Q: What changed?"]);
        assert!(b.sections.iter().all(|s| s.level == 1));
        assert_eq!(
            b.metadata.extra,
            [("speakers".to_string(), "Operator, Dr. Smith".to_string())]
        );
    }

    #[test]
    fn prose_with_a_few_labels_is_left_alone() {
        let mut b = briefing(&[
            "The council met on Tuesday.",
            "NOTE: figures are provisional.",
            "MAYOR: We will decide soon.",
            "Budgets were cut.",
            "Roads will be repaired.",
        ]);
        let before = b.clone();
        assert!(!apply(&mut b));
        assert_eq!(b, before);
    }

    #[test]
    fn briefings_with_headings_are_left_alone() {
        let mut b = briefing(&["MODERATOR: a.", "Q: b?", "MR. X: c."]);
        b.sections[2].kind = SectionKind::Heading;
        assert!(!apply(&mut b));
    }

    #[test]
    fn preamble_is_skipped_only_when_something_is_left() {
        assert_eq!(
            skip_preamble(
                "Thank you. Lucía Manzano, Agencia Norte. Unions have threatened a strike."
            ),
            "Unions have threatened a strike."
        );
        assert_eq!(skip_preamble("Thank you."), "Thank you.");
        assert_eq!(
            skip_preamble("Last question. Is there a plan?"),
            "Is there a plan?"
        );
    }
}
