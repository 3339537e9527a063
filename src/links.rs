//! The links of a section and where they lead.
//!
//! Markdown links are kept by the loader with their section; bare URLs in
//! the text (plain-text briefings, RFC references) are found here. A
//! target that is an anchor (`#background`, `#section-3.2`) resolves to a
//! section of the same briefing; anything else is opened by the system.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::briefing::{Briefing, Link, Outline, Section};

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A section of this briefing.
    Section(usize),
    /// An anchor that names no section here.
    MissingAnchor(String),
    /// A URL, or a file (resolved against the briefing's folder), for the
    /// system's opener.
    External(String),
}

static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:https?|ftp)://[^\s<>\x22'`]+|mailto:[^\s<>\x22'`]+")
        .expect("the URL pattern is valid")
});

/// The links of `section`: its Markdown links, then bare URLs in its text
/// that are not already among them, each target once.
pub fn of_section(section: &Section) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    let mut push = |link: Link| {
        if !links.iter().any(|l| l.target == link.target) {
            links.push(link);
        }
    };
    for link in &section.links {
        push(link.clone());
    }
    for block in &section.blocks {
        for m in BARE_URL.find_iter(&block.text) {
            // A sentence's full stop or a closing bracket is not the URL's.
            let url = m
                .as_str()
                .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '>']);
            if url.ends_with("://") || url.ends_with(':') {
                continue;
            }
            push(Link {
                text: url.to_owned(),
                target: url.to_owned(),
            });
        }
    }
    links
}

/// Resolve a link's target. `dir` is the briefing's folder, for relative
/// file links.
pub fn resolve(briefing: &Briefing, outline: &Outline, target: &str, dir: Option<&Path>) -> Target {
    if let Some(anchor) = target.strip_prefix('#') {
        return find_anchor(briefing, outline, anchor)
            .map_or_else(|| Target::MissingAnchor(target.to_owned()), Target::Section);
    }
    let is_url = target.contains("://") || target.starts_with("mailto:");
    if is_url {
        return Target::External(target.to_owned());
    }
    // A relative file, maybe with an anchor in it.
    let file = target.split('#').next().unwrap_or(target);
    let path = match dir {
        Some(dir) if Path::new(file).is_relative() => dir.join(file),
        _ => PathBuf::from(file),
    };
    Target::External(path.to_string_lossy().into_owned())
}

/// The section an anchor names: a heading's slug as GitHub and most
/// renderers make it (`## The Plan` → `the-plan`, repeats get `-1`, `-2`),
/// or a section number (`#section-3.2`, `#3.2`).
fn find_anchor(briefing: &Briefing, outline: &Outline, anchor: &str) -> Option<usize> {
    let wanted = anchor.to_lowercase();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, section) in briefing.sections.iter().enumerate() {
        let base = slug(&section.title);
        let n = seen.entry(base.clone()).or_insert(0);
        let slug = if *n == 0 { base } else { format!("{base}-{n}") };
        *n += 1;
        if slug == wanted {
            return Some(i);
        }
    }
    let number = wanted
        .strip_prefix("section-")
        .or_else(|| wanted.strip_prefix("appendix-"))
        .unwrap_or(&wanted);
    if number.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return outline.find_number(&briefing.sections, number);
    }
    None
}

/// A heading's anchor slug: lower case, letters, digits, `-` and `_`
/// kept, spaces to `-`, everything else dropped.
pub fn slug(title: &str) -> String {
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{self, FormatHint};

    fn load(text: &str, hint: FormatHint) -> Briefing {
        loader::load_bytes(text.as_bytes(), "t", hint).expect("loads")
    }

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slug("The Plan"), "the-plan");
        assert_eq!(slug("2.3 Scope & Limits"), "23-scope--limits");
        assert_eq!(slug("Über uns"), "über-uns");
        assert_eq!(slug("  What's next?  "), "whats-next");
    }

    #[test]
    fn markdown_links_stay_with_their_section() {
        let b = load(
            "# Intro\n\nSee [the plan](#the-plan) and [docs](https://example.org/docs).\n\n\
             ## The Plan\n\nRead [notes](notes.md#top), <https://example.org/a>.\n\n\
             ## The Plan\n\nAgain [first](#the-plan) or [second](#the-plan-1).\n",
            FormatHint::Markdown,
        );
        let targets = |s: usize| -> Vec<String> {
            of_section(&b.sections[s])
                .into_iter()
                .map(|l| l.target)
                .collect()
        };
        assert_eq!(targets(0), ["#the-plan", "https://example.org/docs"]);
        assert_eq!(targets(1), ["notes.md#top", "https://example.org/a"]);
        let links = of_section(&b.sections[0]);
        assert_eq!(links[0].text, "the plan");
        assert_eq!(links[1].text, "docs");
        let outline = Outline::new(&b.sections);
        assert_eq!(resolve(&b, &outline, "#the-plan", None), Target::Section(1));
        assert_eq!(
            resolve(&b, &outline, "#the-plan-1", None),
            Target::Section(2)
        );
        assert_eq!(
            resolve(&b, &outline, "#nowhere", None),
            Target::MissingAnchor("#nowhere".into())
        );
        assert_eq!(
            resolve(&b, &outline, "notes.md#top", Some(Path::new("/docs"))),
            Target::External("/docs/notes.md".into())
        );
        assert_eq!(
            resolve(&b, &outline, "https://example.org/a", None),
            Target::External("https://example.org/a".into())
        );
    }

    #[test]
    fn bare_urls_in_plain_text_are_links() {
        let b = load(
            "REPORT\n\n1. Sources\n\nSee https://example.org/report.pdf, and (https://example.org/x).\n\
             Mail mailto:desk@example.org. Not a link: https:// alone.\n",
            FormatHint::PlainText,
        );
        let all: Vec<String> = b
            .sections
            .iter()
            .flat_map(of_section)
            .map(|l| l.target)
            .collect();
        assert_eq!(
            all,
            [
                "https://example.org/report.pdf",
                "https://example.org/x",
                "mailto:desk@example.org"
            ]
        );
    }

    #[test]
    fn section_numbers_are_anchors() {
        let b = load(
            "Title\n\n1. Introduction\n\nText here.\n\n2. Terms\n\nMore.\n\n2.1. Words\n\nEven more.\n",
            FormatHint::PlainText,
        );
        let outline = Outline::new(&b.sections);
        let Target::Section(s) = resolve(&b, &outline, "#section-2.1", None) else {
            panic!("resolves");
        };
        assert!(
            b.sections[s].title.contains("Words"),
            "{}",
            b.sections[s].title
        );
    }
}
