//! `--export`: the outline of a briefing with what a reader tracks about
//! each section (keyword hits per term, repeats, read state), as Markdown
//! for people or as JSON for programs.
//!
//! [`Export::new`] gathers the facts once; [`Export::markdown`] and
//! [`Export::json`] only format them, so the two can never disagree. Every
//! string that came from outside (titles, terms, the source path) is made
//! inert here with [`loader::sanitize_line`], and Markdown punctuation in it
//! is escaped, so an export is safe to print and loads back with the same
//! structure. This module knows nothing of where read marks are kept: the
//! caller passes them in.

use std::path::Path;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::briefing::{Briefing, Format, Outline};
use crate::keywords::Keywords;
use crate::loader;

/// Version of the JSON shape; raised when a field changes meaning or goes
/// away (new fields may appear without it).
pub const EXPORT_VERSION: u32 = 1;

/// The exported outline. Serialised as is for `--export json` (the shape is
/// documented in the README).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Export {
    /// [`EXPORT_VERSION`].
    pub version: u32,
    pub title: String,
    /// The file the briefing came from; `None` for standard input.
    pub source: Option<String>,
    pub format: Format,
    pub sections_total: usize,
    pub sections_read: usize,
    /// Whether hit counts include text that repeats earlier text.
    pub keyword_counts_include_repeats: bool,
    /// Every watched term, in the order they were given.
    pub keywords: Vec<ExportTerm>,
    pub sections: Vec<ExportSection>,
}

/// A watched term and its hits in the whole briefing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportTerm {
    pub term: String,
    pub hits: usize,
    /// How many sections it hits in.
    pub sections: usize,
}

/// One outline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportSection {
    /// Position in the briefing, from 0: what `:N` jumps to, less one.
    pub index: usize,
    /// Dotted outline number (`1.2.3`).
    pub number: String,
    /// What the reader shows before the title: `number`, or empty when the
    /// briefing numbers its own headings.
    pub label: String,
    /// Heading level in the source (1 to 6).
    pub level: u8,
    /// Depth in the outline, 0 at the top.
    pub depth: usize,
    pub title: String,
    /// 1-based line in the source.
    pub line: usize,
    /// Hits per term, terms with no hit left out, in the order of
    /// [`Export::keywords`]; serialised as a JSON object.
    #[serde(serialize_with = "ordered_map")]
    pub hits: Vec<(String, usize)>,
    /// Outline number of the section this one repeats, when all of it does.
    pub duplicate_of: Option<String>,
    /// Blocks of this section that repeat earlier text.
    pub repeated_blocks: usize,
    pub read: bool,
}

/// A list of pairs as a JSON object, in list order.
fn ordered_map<S: Serializer>(pairs: &[(String, usize)], serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for (key, value) in pairs {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

impl Export {
    /// Gather the outline of `briefing` with the hits of `keywords` and
    /// the read state `read`, indexed by section (a section past its end
    /// counts as unread, so `&[]` means nothing is read). `source` is the
    /// file the briefing came from, `None` for standard input.
    pub fn new(
        briefing: &Briefing,
        keywords: &Keywords,
        source: Option<&Path>,
        read: &[bool],
    ) -> Export {
        let outline = Outline::new(&briefing.sections);
        let terms: Vec<String> = keywords
            .terms
            .iter()
            .map(|t| loader::sanitize_line(&t.text))
            .collect();
        let sections: Vec<ExportSection> = briefing
            .sections
            .iter()
            .zip(&outline.entries)
            .enumerate()
            .map(|(i, (section, entry))| ExportSection {
                index: i,
                number: entry.number.clone(),
                label: entry.label.clone(),
                level: section.level,
                depth: entry.depth,
                title: loader::sanitize_line(&section.title),
                line: section.line,
                hits: terms
                    .iter()
                    .zip(keywords.section_term_counts(i))
                    .filter(|(_, n)| *n > 0)
                    .map(|(term, n)| (term.clone(), n))
                    .collect(),
                duplicate_of: section
                    .duplicate_of
                    .and_then(|d| outline.entries.get(d))
                    .map(|e| e.number.clone()),
                repeated_blocks: section.repeated_blocks(),
                read: read.get(i).copied().unwrap_or(false),
            })
            .collect();
        Export {
            version: EXPORT_VERSION,
            title: loader::sanitize_line(&briefing.title),
            source: source.map(|p| loader::sanitize_line(&p.display().to_string())),
            format: briefing.format,
            sections_total: sections.len(),
            sections_read: sections.iter().filter(|s| s.read).count(),
            keyword_counts_include_repeats: keywords.includes_repeats,
            keywords: terms
                .into_iter()
                .zip(keywords.term_totals.iter().zip(&keywords.term_sections))
                .map(|(term, (&hits, &sections))| ExportTerm {
                    term,
                    hits,
                    sections,
                })
                .collect(),
            sections,
        }
    }

    /// Pretty JSON, ending with a newline.
    pub fn json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self)
            .expect("the export has only string keys and integers");
        out.push('\n');
        out
    }

    /// A Markdown document: the title as a heading, where it came from, a
    /// progress line, the watched terms, then the outline as a nested task
    /// list (`[x]` read, `[ ]` unread) with numbers, hit counts and a `⟳`
    /// marker for repeats.
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}\n\n", escape(&self.title));
        match &self.source {
            Some(path) => out.push_str(&format!(
                "Outline of {}, exported by brief.\n\n",
                escape(path)
            )),
            None => out.push_str("Outline of standard input, exported by brief.\n\n"),
        }
        out.push_str(&format!(
            "Progress: {} of {} {} read.\n\n",
            self.sections_read,
            self.sections_total,
            plural(self.sections_total, "section", "sections")
        ));
        if !self.keywords.is_empty() {
            let terms: Vec<String> = self
                .keywords
                .iter()
                .map(|t| {
                    format!(
                        "{} {} in {} {}",
                        escape(&t.term),
                        t.hits,
                        t.sections,
                        plural(t.sections, "section", "sections")
                    )
                })
                .collect();
            let repeats = if self.keyword_counts_include_repeats {
                "counting repeated text"
            } else {
                "not counting repeated text"
            };
            out.push_str(&format!("Keywords ({repeats}): {}.\n\n", terms.join(", ")));
        }
        if self.sections.is_empty() {
            out.push_str("No sections.\n");
        }
        for section in &self.sections {
            out.push_str(&"  ".repeat(section.depth));
            out.push_str(if section.read { "- [x] " } else { "- [ ] " });
            if !section.label.is_empty() {
                out.push_str(&section.label);
                out.push(' ');
            }
            if section.title.is_empty() {
                out.push_str("(untitled)");
            } else {
                out.push_str(&escape(&section.title));
            }
            if !section.hits.is_empty() {
                let hits: Vec<String> = section
                    .hits
                    .iter()
                    .map(|(term, n)| format!("{} {n}", escape(term)))
                    .collect();
                out.push_str(" — ");
                out.push_str(&hits.join(", "));
            }
            if let Some(origin) = &section.duplicate_of {
                out.push_str(&format!(" ⟳ repeats {origin}"));
            } else if section.repeated_blocks > 0 {
                out.push_str(&format!(
                    " ⟳ {} repeated {}",
                    section.repeated_blocks,
                    plural(section.repeated_blocks, "block", "blocks")
                ));
            }
            out.push('\n');
        }
        out
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `text` on one line, inert, with every ASCII punctuation character that
/// can start Markdown syntax backslash-escaped (`CommonMark` allows escaping
/// any ASCII punctuation, so this never shows a stray backslash).
fn escape(text: &str) -> String {
    let text = loader::sanitize_line(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '#'
                | '!'
                | '&'
                | '|'
                | '~'
                | '$'
                | '^'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::briefing::BlockKind;
    use crate::loader::{FormatHint, load_bytes};

    const SAMPLE: &[u8] = b"# Brief\n\nLynx news.\n\n\
        ## Alpha\n\nThe Harbour Lynx group claimed four new victims on their leak site overnight in two countries.\n\n\
        ## Beta\n\nThe Harbour Lynx group claimed four new victims on their leak site overnight in two countries.\n\n\
        ### Gamma\n\nThe Harbour Lynx group claimed four new victims on their leak site overnight in two countries.\n\nA fox crossed the quay near the harbour this morning and nobody saw where it went.\n";

    fn sample_export(read: &[bool]) -> Export {
        let briefing = load_bytes(SAMPLE, "sample.md", FormatHint::Markdown).expect("loads");
        let keywords = Keywords::new(["lynx".to_owned(), "fox".to_owned()], &briefing, false);
        Export::new(&briefing, &keywords, Some(Path::new("b/sample.md")), read)
    }

    #[test]
    fn markdown_export_lists_sections_with_read_boxes_hits_and_repeats() {
        assert_eq!(
            sample_export(&[true, false, true]).markdown(),
            "# Brief\n\
             \n\
             Outline of b/sample.md, exported by brief.\n\
             \n\
             Progress: 2 of 4 sections read.\n\
             \n\
             Keywords (not counting repeated text): lynx 2 in 2 sections, fox 1 in 1 section.\n\
             \n\
             - [x] 1 Brief — lynx 1\n\
             \x20 - [ ] 1.1 Alpha — lynx 1\n\
             \x20 - [x] 1.2 Beta ⟳ repeats 1.1\n\
             \x20   - [ ] 1.2.1 Gamma — fox 1 ⟳ 1 repeated block\n"
        );
    }

    #[test]
    fn json_export_has_the_documented_shape() {
        let json: serde_json::Value =
            serde_json::from_str(&sample_export(&[false, true]).json()).expect("valid JSON");
        let section = |index: usize,
                       number: &str,
                       level: u8,
                       depth: usize,
                       title: &str,
                       line: usize,
                       hits: serde_json::Value,
                       duplicate_of: Option<&str>,
                       repeated_blocks: usize,
                       read: bool| {
            serde_json::json!({
                "index": index, "number": number, "label": number, "level": level,
                "depth": depth, "title": title, "line": line, "hits": hits,
                "duplicate_of": duplicate_of, "repeated_blocks": repeated_blocks, "read": read,
            })
        };
        let expected = serde_json::json!({
            "version": 1,
            "title": "Brief",
            "source": "b/sample.md",
            "format": "markdown",
            "sections_total": 4,
            "sections_read": 1,
            "keyword_counts_include_repeats": false,
            "keywords": [
                { "term": "lynx", "hits": 2, "sections": 2 },
                { "term": "fox", "hits": 1, "sections": 1 },
            ],
            "sections": [
                section(0, "1", 1, 0, "Brief", 1, serde_json::json!({ "lynx": 1 }), None, 0, false),
                section(1, "1.1", 2, 1, "Alpha", 5, serde_json::json!({ "lynx": 1 }), None, 0, true),
                section(2, "1.2", 2, 1, "Beta", 9, serde_json::json!({}), Some("1.1"), 1, false),
                section(3, "1.2.1", 3, 2, "Gamma", 13, serde_json::json!({ "fox": 1 }), None, 1, false),
            ],
        });
        assert_eq!(json, expected);
    }

    #[test]
    fn json_hits_keep_the_order_of_the_terms() {
        let briefing =
            load_bytes(b"# T\n\nzebra and apple\n", "t.md", FormatHint::Markdown).expect("loads");
        let keywords = Keywords::new(["zebra".to_owned(), "apple".to_owned()], &briefing, false);
        let json = Export::new(&briefing, &keywords, None, &[]).json();
        let zebra = json.find("\"zebra\": 1").expect("zebra counted");
        let apple = json.find("\"apple\": 1").expect("apple counted");
        assert!(zebra < apple, "{json}");
    }

    #[test]
    fn markdown_export_loads_back_as_one_section_with_a_nested_task_list() {
        let markdown = sample_export(&[true]).markdown();
        let back = load_bytes(markdown.as_bytes(), "export.md", FormatHint::Auto).expect("loads");
        assert_eq!(back.format, Format::Markdown);
        assert_eq!(back.title, "Brief");
        assert_eq!(back.sections.len(), 1, "{markdown}");
        let items: Vec<(String, u8, &str)> = back.sections[0]
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::ListItem { marker } => {
                    Some((marker.clone(), b.list_depth, b.text.as_str()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            items,
            [
                ("[x]".to_owned(), 1, "1 Brief — lynx 1"),
                ("[ ]".to_owned(), 2, "1.1 Alpha — lynx 1"),
                ("[ ]".to_owned(), 2, "1.2 Beta ⟳ repeats 1.1"),
                (
                    "[ ]".to_owned(),
                    3,
                    "1.2.1 Gamma — fox 1 ⟳ 1 repeated block"
                ),
            ]
        );
    }

    #[test]
    fn hostile_titles_come_out_inert_and_load_back_unchanged() {
        let source = "# Evil \x1b]0;pwned\x07 *not bold* [link](x) `code` <b>&amp; #tag \\\n\n## Two\n\nText.\n";
        let briefing =
            load_bytes(source.as_bytes(), "evil.md", FormatHint::Markdown).expect("loads");
        let export = Export::new(
            &briefing,
            &Keywords::default(),
            Some(Path::new("e\x1bvil.md")),
            &[],
        );
        for text in [export.markdown(), export.json()] {
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{text:?}"
            );
            assert!(!text.contains("\\u001b"), "{text}");
        }
        assert_eq!(export.source.as_deref(), Some("e\u{241B}vil.md"));
        let markdown = export.markdown();
        let back = load_bytes(markdown.as_bytes(), "x.md", FormatHint::Markdown).expect("loads");
        assert_eq!(back.title, briefing.title);
        let first = &back.sections[0]
            .blocks
            .iter()
            .find(|b| matches!(b.kind, BlockKind::ListItem { .. }))
            .expect("an item")
            .text;
        assert_eq!(first, &format!("1 {}", briefing.title));
    }

    #[test]
    fn self_numbered_headings_are_not_numbered_twice() {
        let briefing = load_bytes(
            b"# 1. Scope\n\nText.\n\n# 2. Findings\n\nText.\n",
            "n.md",
            FormatHint::Markdown,
        )
        .expect("loads");
        let export = Export::new(&briefing, &Keywords::default(), None, &[]);
        assert_eq!(
            export.markdown(),
            "# 1. Scope\n\
             \n\
             Outline of standard input, exported by brief.\n\
             \n\
             Progress: 0 of 2 sections read.\n\
             \n\
             - [ ] 1. Scope\n\
             - [ ] 2. Findings\n"
        );
        assert_eq!(export.sections[1].number, "2");
        assert_eq!(export.sections[1].label, "");
    }

    #[test]
    fn an_empty_briefing_exports_an_empty_outline() {
        let briefing = load_bytes(b"", "stdin", FormatHint::Auto).expect("loads");
        let export = Export::new(&briefing, &Keywords::default(), None, &[true]);
        assert_eq!(export.sections_read, 0);
        assert!(
            export
                .markdown()
                .ends_with("Progress: 0 of 0 sections read.\n\nNo sections.\n"),
            "{}",
            export.markdown()
        );
    }
}
