//! reStructuredText read as plain text: its inline markup and its comments
//! are taken out of its lines before the plain-text loader reads them, as a
//! reader of the rendered page never sees them. Line for line: every line
//! keeps its number, so sections still point at the right source line.
//!
//! - ``` ``literal`` ``` → `literal`; `` :role:`text` `` → `text` (a
//!   `` :pep:`8` `` → `PEP 8`, `` :rfc:`2119` `` → `RFC 2119`; a role's
//!   `title <target>` → `title`);
//! - `` `text <url>`_ `` → `text <url>`; `` `text`_ ``, `` `text` `` →
//!   `text`; a footnote or citation reference `[1]_` → `[1]`;
//! - a comment (`..` alone, or `.. text` that is no directive, footnote or
//!   substitution) and a hyperlink target (`.. _name: url`) are blanked,
//!   with the lines indented under them.
//!
//! Left as written: `*emphasis*`, `**strong**` (readable as they are),
//! directives (`.. note::`, `.. code-block::`, whose `::` the plain
//! loader reads), and a paragraph's closing `::`.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// `text` without reStructuredText's inline markup and comments, line for
/// line.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The indentation of the comment being blanked, if in one.
    let mut comment: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let t = body.trim();
        let indent = body.len() - body.trim_start().len();
        if let Some(at) = comment {
            if t.is_empty() || indent > at {
                out.push_str(end);
                continue;
            }
            comment = None;
        }
        if is_comment(t) {
            comment = Some(indent);
            out.push_str(end);
            continue;
        }
        if body.contains('`') || body.contains("]_") {
            out.push_str(&inline(body));
        } else {
            out.push_str(body);
        }
        out.push_str(end);
    }
    out
}

/// A line opening a comment or a hyperlink target: `..` alone, `.. _name:
/// url`, or `.. text` that is no directive (`.. note::`), footnote (`..
/// [1]`) or substitution (`.. |name|`).
fn is_comment(t: &str) -> bool {
    if t == ".." {
        return true;
    }
    let Some(rest) = t.strip_prefix(".. ") else {
        return false;
    };
    rest.starts_with('_') || !(rest.contains("::") || rest.starts_with(['[', '|']))
}

/// One line without its inline markup.
fn inline(line: &str) -> String {
    static INLINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"``(.+?)``",
            r"|:(pep|rfc|PEP|RFC):`(\d+)`",
            r"|:[\w.+-]+(?::[\w.+-]+)*:`([^`]+)`",
            r"|`([^`<]*?)\s*<([^>`]+)>`__?",
            r"|`([^`]+)`__?",
            r"|`([^`]+)`",
            r"|(\[[^\]\s]+\])_",
        ))
        .expect("valid regex")
    });
    INLINE
        .replace_all(line, |c: &Captures| {
            let group = |i: usize| c.get(i).map(|m| m.as_str());
            if let Some(literal) = group(1) {
                literal.to_owned()
            } else if let (Some(role), Some(number)) = (group(2), group(3)) {
                format!("{} {number}", role.to_ascii_uppercase())
            } else if let Some(text) = group(4) {
                role_text(text).to_owned()
            } else if let Some(url) = group(6) {
                match group(5).filter(|t| !t.is_empty()) {
                    Some(text) => format!("{text} <{url}>"),
                    None => url.to_owned(),
                }
            } else {
                group(7)
                    .or_else(|| group(8))
                    .or_else(|| group(9))
                    .unwrap_or_default()
                    .to_owned()
            }
        })
        .into_owned()
}

/// A role's text without its target: `title <target>` → `title`.
fn role_text(text: &str) -> &str {
    match text.strip_suffix('>').and_then(|t| t.rsplit_once('<')) {
        Some((title, target)) => {
            let title = title.trim();
            if title.is_empty() { target } else { title }
        }
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_goes_and_its_text_stays() {
        assert_eq!(
            inline("The ``Key: value`` form, see :pep:`8` and :rfc:`2119`."),
            "The Key: value form, see PEP 8 and RFC 2119."
        );
        assert_eq!(
            inline("Read `the guide <https://example.org/g>`_ or `Python`_ or `x`__."),
            "Read the guide <https://example.org/g> or Python or x."
        );
        assert_eq!(
            inline(":ref:`Installing <install>` and :func:`os.path.join`, see [1]_ and [#]_."),
            "Installing and os.path.join, see [1] and [#]."
        );
        assert_eq!(inline("`<https://example.org>`_"), "https://example.org");
        // Nothing to take: as it was.
        assert_eq!(inline("a `lone backtick"), "a `lone backtick");
    }

    #[test]
    fn comments_and_targets_are_blanked_line_for_line() {
        let text = "Title\n=====\n\n.. a comment\n   over two lines\n\nText.\n\n\
                    .. _target: https://example.org\n.. note::\n\n   Kept.\n\n.. [1] A note.\n\n\
                    ..\n   Local Variables:\n   mode: indented-text\n";
        let cleaned = clean(text);
        assert_eq!(cleaned.lines().count(), text.lines().count());
        assert_eq!(
            cleaned,
            "Title\n=====\n\n\n\n\nText.\n\n\n.. note::\n\n   Kept.\n\n.. [1] A note.\n\n\n\n\n"
        );
    }
}
