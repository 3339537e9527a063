//! AsciiDoc read as plain text: its block syntax is turned into what the
//! plain-text loader reads, and its markup taken out, line for line (every
//! line keeps its number). Its `=` headings are found by the loader's
//! heading pattern for the markup (see `loader::dialect_heading`).
//!
//! - the header's author and revision lines (under the `= Title`) become
//!   `Author:` and `Revision:` fields, or a lone author line a `By …`
//!   byline, which the loader puts with the facts;
//! - listing and literal blocks (`----`, `....`) become fenced code, with
//!   the language of a `[source,rust]` line above them;
//! - a quote block (`____`) becomes `>` quoted text;
//! - `. item` lists are numbered, `** item` nested under `* item`;
//! - `.Title` block titles lose their dot;
//! - attribute lines (`:toc:`, `[source,rust]`, `[[anchor]]`), comments
//!   (`// …`, `////` blocks), example and sidebar delimiters (`====`,
//!   `****`) and `include::` lines are blanked;
//! - `` `mono` `` loses its backticks, `link:url[text]` and `url[text]`
//!   read `text <url>`.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// `text` with AsciiDoc's block syntax made plain, line for line.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut state = State::default();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (k, line) in lines.iter().enumerate() {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (*line, ""),
        };
        let next = lines.get(k + 1).map_or("", |l| l.trim_end());
        out.push_str(&state.line(k, body, next));
        out.push_str(end);
    }
    out
}

#[derive(Default)]
struct State {
    /// The delimiter of the open listing or literal block, if in one.
    code: Option<String>,
    /// The language of a `[source,…]` line just read.
    lang: Option<String>,
    /// Inside a `////` comment block.
    comment: bool,
    /// Inside a `____` quote block.
    quote: bool,
    /// The number of the next `. item`, 0 outside such a list.
    item: usize,
    /// The header's lines are still being read: the title's line and the
    /// author and revision lines right under it.
    header: usize,
    /// The title has been seen.
    titled: bool,
}

impl State {
    /// The plain line for `body`, the `k`th line (`next` is the one after).
    fn line(&mut self, k: usize, body: &str, next: &str) -> String {
        let t = body.trim_end();
        if self.comment {
            self.comment = t != "////";
            return String::new();
        }
        if let Some(delimiter) = &self.code {
            if t == delimiter {
                self.code = None;
                return "```".to_owned();
            }
            return body.to_owned();
        }
        if t == "////" {
            self.comment = true;
            return String::new();
        }
        if is_delimiter(t, '-') || is_delimiter(t, '.') {
            self.code = Some(t.to_owned());
            return format!("```{}", self.lang.take().unwrap_or_default());
        }
        self.lang = None;
        if is_delimiter(t, '_') {
            self.quote = !self.quote;
            return String::new();
        }
        // The header: `= Title`, then its author and revision lines.
        if !self.titled && t.starts_with("= ") {
            self.titled = true;
            self.header = k + 1;
            return body.to_owned();
        }
        if self.header == k && !t.is_empty() && !t.starts_with(':') {
            self.header = k + 1;
            return if looks_like_revision(t) {
                format!("Revision: {t}")
            } else if looks_like_revision(next) {
                format!("Author: {t}")
            } else {
                format!("By {t}")
            };
        }
        if t.is_empty() {
            self.item = 0;
            return if self.quote {
                ">".to_owned()
            } else {
                String::new()
            };
        }
        if let Some(lang) = source_lang(t) {
            self.lang = Some(lang);
            return String::new();
        }
        if is_attribute_line(t) || is_delimiter(t, '=') || is_delimiter(t, '*') {
            return String::new();
        }
        if t.starts_with("//") || t.starts_with("include::") {
            return String::new();
        }
        let body = if let Some(rest) = t.strip_prefix(". ") {
            self.item += 1;
            format!("{}. {}", self.item, inline(rest))
        } else if let Some((depth, rest)) = nested_item(t) {
            format!("{}* {}", "  ".repeat(depth - 1), inline(rest))
        } else if let Some(title) = t
            .strip_prefix('.')
            .filter(|r| r.starts_with(char::is_alphanumeric))
        {
            inline(title)
        } else {
            inline(body)
        };
        if self.quote {
            format!("> {body}")
        } else {
            body
        }
    }
}

/// A block delimiter: four or more of `c` and nothing else.
fn is_delimiter(t: &str, c: char) -> bool {
    t.len() >= 4 && t.chars().all(|x| x == c)
}

/// `v1.2, 2026-11-20` or `2026-11-20`: a header's revision line.
fn looks_like_revision(t: &str) -> bool {
    let first = t.split([',', ' ', ':']).next().unwrap_or("");
    let version = first.strip_prefix(['v', 'V']).unwrap_or(first);
    version.starts_with(|c: char| c.is_ascii_digit())
}

/// The language of a `[source,rust]` line (`""` when it names none).
fn source_lang(t: &str) -> Option<String> {
    let inner = t.strip_prefix('[')?.strip_suffix(']')?;
    let mut parts = inner.split(',').map(str::trim);
    (parts.next()? == "source").then(|| parts.next().unwrap_or("").to_owned())
}

/// A line of attributes: `:toc: left`, `[NOTE]`, `[[anchor]]`, `[#id.role]`.
fn is_attribute_line(t: &str) -> bool {
    let entry = t.len() > 2
        && t.starts_with(':')
        && t[1..].find(':').is_some_and(|end| {
            end > 0
                && t[1..=end]
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '!')
        });
    let block = t.starts_with('[') && t.ends_with(']') && !t.contains("](");
    entry || block
}

/// A nested list item: `** item` as (2, `item`).
fn nested_item(t: &str) -> Option<(usize, &str)> {
    let depth = t.bytes().take_while(|&b| b == b'*').count();
    let rest = t[depth..].strip_prefix(' ')?;
    (depth >= 2).then_some((depth, rest))
}

/// A line without its inline markup: `` `mono` ``, `link:url[text]`,
/// `https://url[text]`.
fn inline(line: &str) -> String {
    static INLINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"`([^`]+)`|(?:link:)?((?:https?|mailto):[^\s\[\]]+|[^\s\[\]:]+\.[a-z]{2,4})\[([^\]]*)\]")
            .expect("valid regex")
    });
    if !line.contains('`') && !line.contains('[') {
        return line.to_owned();
    }
    INLINE
        .replace_all(line, |c: &Captures| {
            if let Some(mono) = c.get(1) {
                return mono.as_str().to_owned();
            }
            let url = c.get(2).map_or("", |m| m.as_str());
            match c
                .get(3)
                .map(|m| m.as_str().trim())
                .filter(|t| !t.is_empty())
            {
                Some(text) => format!("{text} <{url}>"),
                None => url.to_owned(),
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_what_the_plain_loader_reads_line_for_line() {
        let text = "= Design Brief\nJane Doe <jane@example.org>\nv1.2, 2026-11-20\n:toc: left\n\n\
                    == Proposal\n\n[source,rust]\n----\nfn replay() {}\n----\n\n.Open questions\n\
                    . How long?\n. Who resolves?\n\n* Kept\n** Nested\n\n____\nWe saw it.\n\nTwice.\n\
                    ____\n\n// a comment\n////\nhidden\n////\n[NOTE]\nSee `brief` and \
                    https://example.org[the site].\n";
        let cleaned = clean(text);
        assert_eq!(cleaned.lines().count(), text.lines().count());
        assert_eq!(
            cleaned,
            "= Design Brief\nAuthor: Jane Doe <jane@example.org>\nRevision: v1.2, 2026-11-20\n\n\n\
             == Proposal\n\n\n```rust\nfn replay() {}\n```\n\nOpen questions\n1. How long?\n\
             2. Who resolves?\n\n* Kept\n  * Nested\n\n\n> We saw it.\n>\n> Twice.\n\n\n\n\n\n\n\n\
             See brief and the site <https://example.org>.\n"
        );
    }

    #[test]
    fn a_lone_author_line_is_a_byline() {
        assert_eq!(
            clean("= Brief\nJane Doe\n\nText.\n"),
            "= Brief\nBy Jane Doe\n\nText.\n"
        );
    }

    #[test]
    fn a_literal_block_keeps_its_lines_as_written() {
        let text = "....\n// not a comment\n. not an item\n....\n";
        assert_eq!(clean(text), "```\n// not a comment\n. not an item\n```\n");
    }
}
