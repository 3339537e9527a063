//! Output without a terminal: the numbered outline, JSON, the briefing as
//! wrapped plain text, and the `--export` of the outline (in `export`).
//! Everything here returns a `String`; `main` prints it.

mod export;

pub use export::{EXPORT_VERSION, Export, ExportSection, ExportTerm};

use serde::Serialize;

use crate::briefing::{Briefing, Format, Metadata, Outline, SectionKind, Warning};
use crate::keywords::Keywords;
use crate::layout::{SectionView, layout_section};
use crate::library::Library;
use crate::suggest::Suggestion;

/// The numbered outline, one section per line, indented by depth, with hit
/// counts when keywords are active.
pub fn outline_text(briefing: &Briefing, keywords: &Keywords) -> String {
    let outline = Outline::new(&briefing.sections);
    let mut out = String::new();
    for (i, (section, entry)) in briefing.sections.iter().zip(&outline.entries).enumerate() {
        out.push_str(&"  ".repeat(entry.depth));
        if !entry.label.is_empty() {
            out.push_str(&entry.label);
            out.push(' ');
        }
        out.push_str(&section.title);
        if let Some(first) = section.duplicate_of {
            let origin = outline
                .entries
                .get(first)
                .map_or(String::new(), |e| e.number.clone());
            out.push_str(&format!("  [repeats {origin}]"));
        }
        if keywords.is_active() {
            let n = keywords.section_counts.get(i).copied().unwrap_or(0);
            if n > 0 {
                let s = if n == 1 { "" } else { "s" };
                let per_term: Vec<String> = keywords
                    .section_term_counts(i)
                    .iter()
                    .zip(&keywords.terms)
                    .filter(|(c, _)| **c > 0)
                    .map(|(c, t)| format!("{} {c}", t.text))
                    .collect();
                out.push_str(&format!("  [{n} hit{s}: {}]", per_term.join(", ")));
            }
        }
        out.push('\n');
    }
    out
}

/// The briefing as plain text wrapped at `width`: a header with the title and
/// metadata, then each section with its number.
///
/// A large briefing is laid out on two threads, each taking the sections of
/// half its text: wrapping is most of the time (50 MiB of Markdown took
/// 1.7 s on one thread).
pub fn plain_text(briefing: &Briefing, width: usize) -> String {
    plain_text_parts(briefing, width).concat()
}

/// [`plain_text`] in the parts laid out apart, to write one after the
/// other: a large briefing's two halves are not copied into one string
/// (which raised the peak memory of printing 50 MiB by about 30 MiB).
pub fn plain_text_parts(briefing: &Briefing, width: usize) -> Vec<String> {
    plain_text_over(briefing, width, 1 << 20)
}

/// [`plain_text_parts`], on two threads from `parallel_bytes` of text on.
fn plain_text_over(briefing: &Briefing, width: usize, parallel_bytes: usize) -> Vec<String> {
    let outline = Outline::new(&briefing.sections);
    let width = width.max(10);
    let mut out = String::new();
    let meta = &briefing.metadata;
    // The facts (date, source…) are the first section's first block.
    let mut header = vec![briefing.title.clone()];
    if !meta.keywords.is_empty() {
        header.push(format!("Keywords: {}", meta.keywords.join(", ")));
    }
    // A title alone, said again by the first section (a title heading, a
    // plain-text title line), read as a repeat: the section says it.
    if header.len() == 1
        && briefing
            .sections
            .first()
            .is_some_and(|s| s.title.trim() == briefing.title.trim())
    {
        header.clear();
    }
    for line in &header {
        for range in crate::layout::wrap_ranges(line, width) {
            out.push_str(line[range].trim_end());
            out.push('\n');
        }
    }
    // Sections `range`, laid out at the end of `out`.
    let lay_out = |range: std::ops::Range<usize>, out: &mut String| {
        let sections = briefing.sections.iter().zip(&outline.entries);
        for (i, (section, entry)) in sections.enumerate().skip(range.start).take(range.len()) {
            // An empty line between sections, and after the header.
            if i > 0 || !header.is_empty() {
                out.push('\n');
            }
            let view = SectionView {
                number: &entry.label,
                section,
                children: &[],
                next: None,
                hide_repeats: false,
            };
            let texts = view.texts();
            let lines = layout_section(&view, width);
            // Labels the reader made for the outline (see `SectionKind`):
            // a paragraph's opening words, which print would say twice,
            // and the `Lead` of the text before the first heading.
            let labelled = matches!(section.kind, SectionKind::Paragraph | SectionKind::Lead);
            let body = if labelled && !section.blocks.is_empty() {
                lines
                    .iter()
                    .position(|l| l.plain(&texts).trim().is_empty())
                    .map_or(0, |k| k + 1)
            } else {
                0
            };
            for line in &lines[body..] {
                out.push_str(line.plain(&texts).trim_end());
                out.push('\n');
            }
        }
    };
    let sizes: Vec<usize> = briefing
        .sections
        .iter()
        .map(|s| s.blocks.iter().map(|b| b.text.len()).sum::<usize>())
        .collect();
    let total: usize = sizes.iter().sum();
    let n = sizes.len();
    if total < parallel_bytes {
        lay_out(0..n, &mut out);
        return vec![out];
    }
    // The section that takes the text past its half ends the first half.
    let mut seen = 0;
    let half = sizes
        .iter()
        .position(|&size| {
            seen += size;
            seen > total / 2
        })
        .map_or(n, |i| i + 1);
    let ((), second) = crate::parallel::on_two_threads(
        || lay_out(0..half, &mut out),
        || {
            let mut second = String::new();
            lay_out(half..n, &mut second);
            second
        },
    );
    vec![out, second]
}

#[derive(Serialize)]
struct JsonBriefing<'a> {
    title: &'a str,
    format: Format,
    metadata: &'a Metadata,
    keywords: Vec<JsonTerm<'a>>,
    /// Whether keyword counts include text that repeats earlier text.
    keyword_counts_include_repeats: bool,
    /// Key terms of the briefing, best first.
    suggested: Vec<JsonSuggestion<'a>>,
    sections: Vec<JsonSection<'a>>,
    warnings: &'a [Warning],
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    term: &'a str,
    kind: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct JsonTerm<'a> {
    term: &'a str,
    origin: String,
    hits: usize,
    sections: usize,
}

#[derive(Serialize)]
struct JsonSection<'a> {
    number: &'a str,
    kind: SectionKind,
    level: u8,
    depth: usize,
    title: &'a str,
    line: usize,
    hits: serde_json::Map<String, serde_json::Value>,
    /// Outline number of the section this one repeats, when all of it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<String>,
    /// Blocks of this section that repeat earlier text.
    repeated_blocks: usize,
    text: String,
}

/// The parsed briefing as pretty JSON (shape documented in the README).
pub fn json(briefing: &Briefing, keywords: &Keywords, suggested: &[Suggestion]) -> String {
    let outline = Outline::new(&briefing.sections);
    let sections = briefing
        .sections
        .iter()
        .zip(&outline.entries)
        .enumerate()
        .map(|(i, (section, entry))| {
            let mut hits = serde_json::Map::new();
            for (term, n) in keywords.terms.iter().zip(keywords.section_term_counts(i)) {
                if n > 0 {
                    hits.insert(term.text.clone(), n.into());
                }
            }
            JsonSection {
                number: &entry.number,
                kind: section.kind,
                level: section.level,
                depth: entry.depth,
                title: &section.title,
                line: section.line,
                hits,
                duplicate_of: section
                    .duplicate_of
                    .and_then(|d| outline.entries.get(d))
                    .map(|e| e.number.clone()),
                repeated_blocks: section.repeated_blocks(),
                text: section.plain_text(),
            }
        })
        .collect();
    let doc = JsonBriefing {
        title: &briefing.title,
        format: briefing.format,
        metadata: &briefing.metadata,
        keywords: keywords
            .terms
            .iter()
            .zip(keywords.term_totals.iter().zip(&keywords.term_sections))
            .map(|(term, (&hits, &sections))| JsonTerm {
                term: &term.text,
                origin: term.origin.label(),
                hits,
                sections,
            })
            .collect(),
        keyword_counts_include_repeats: keywords.includes_repeats,
        suggested: suggested
            .iter()
            .map(|s| JsonSuggestion {
                term: &s.term,
                kind: s.kind.name(),
                count: s.count,
            })
            .collect(),
        sections,
        warnings: &briefing.warnings,
    };
    serde_json::to_string_pretty(&doc)
        .expect("briefing JSON has only string keys and finite numbers")
}

/// A folder of briefings as text: date, title and path per line.
pub fn library_text(library: &Library) -> String {
    let mut out = String::new();
    for e in &library.entries {
        let note = e
            .error
            .as_deref()
            .map(|err| format!("  ({err})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}  {}  {}{}\n",
            e.date,
            e.title,
            e.path.display(),
            note
        ));
    }
    out
}

/// Serialise a folder listing as JSON.
pub fn library_json(library: &Library) -> String {
    let items: Vec<serde_json::Value> = library
        .entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "path": e.path.display().to_string(),
                "title": e.title,
                "date": e.date,
                "sections": e.sections,
                "error": e.error,
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("listing JSON is plain strings and numbers")
}

/// Suggested terms, one per line: count, kind and term, best first.
pub fn suggestions_text(suggested: &[Suggestion]) -> String {
    let mut out = String::new();
    for s in suggested {
        out.push_str(&format!(
            "{:>5}  {:<8} {}\n",
            s.count,
            s.kind.name(),
            s.term
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_laid_out_on_two_threads_is_that_laid_out_on_one() {
        use std::fmt::Write as _;
        let mut text = String::from("# Brief\n\nLead.\n\n");
        for i in 0..200 {
            let words = "Words of the part, long-term, in São Paulo and 東京. ".repeat(i % 7 + 1);
            let _ = write!(text, "## Part {i}\n\n{words}\n\n- an item\n\n");
        }
        let briefing = crate::loader::markdown::parse(&text, "brief.md");
        let one = plain_text_over(&briefing, 60, usize::MAX).concat();
        assert!(one.contains("Part 199"), "{one}");
        assert_eq!(plain_text_over(&briefing, 60, 0).concat(), one);
        // One section, and none: nothing for the second thread.
        let single = crate::loader::markdown::parse("# Brief\n\nOnly the lead.\n", "b.md");
        assert_eq!(
            plain_text_over(&single, 60, 0).concat(),
            plain_text_over(&single, 60, usize::MAX).concat()
        );
        let none = Briefing {
            sections: Vec::new(),
            ..single
        };
        assert_eq!(plain_text_over(&none, 60, 0).concat(), "Brief\n");
    }

    #[test]
    fn the_title_is_printed_once() {
        // Said by the first heading: not again above it.
        let titled = crate::loader::markdown::parse("# Port brief\n\nIntro.\n", "b.md");
        assert_eq!(plain_text(&titled, 60), "1 Port brief\n\nIntro.\n");
        // From front matter, above other headings: printed, and the facts
        // under the first heading, as the reader shows them.
        let mut matter = crate::loader::markdown::parse(
            "---\ntitle: Weekly brief\ndate: 2026-12-07\n---\n\n# Summary\n\nQuiet.\n",
            "b.md",
        );
        matter.add_facts();
        assert_eq!(
            plain_text(&matter, 60),
            "Weekly brief\n\n1 Summary\n\nDate: 2026-12-07\n\nQuiet.\n"
        );
    }

    #[test]
    fn the_lead_label_is_not_printed_over_the_text_before_the_first_heading() {
        let briefing =
            crate::loader::markdown::parse("Opening words.\n\n# Summary\n\nQuiet.\n", "b.md");
        assert_eq!(
            briefing.sections.first().map(|s| s.kind),
            Some(SectionKind::Lead)
        );
        assert_eq!(
            plain_text(&briefing, 60),
            "Summary\n\nOpening words.\n\n2 Summary\n\nQuiet.\n"
        );
    }

    #[test]
    fn paragraph_labels_are_not_printed_over_their_paragraphs() {
        let text = "Morning brief\n\nMarkets opened flat after a quiet night in Asia, \
                    with oil near its high.\n\nThe port reopened at dawn; two ships \
                    waited offshore for the tide.\n";
        let briefing = crate::loader::plain::parse(text.to_owned(), "b.txt", None);
        assert!(
            briefing.sections[1..]
                .iter()
                .all(|s| s.kind == SectionKind::Paragraph),
            "{briefing:?}"
        );
        assert_eq!(
            plain_text(&briefing, 80),
            "1 Morning brief\n\nMarkets opened flat after a quiet night in Asia, with oil near its \
             high.\n\nThe port reopened at dawn; two ships waited offshore for the tide.\n"
        );
    }
}
