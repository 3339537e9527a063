//! An HTML page (a saved web page, a newsletter, `curl URL | brief -`) made
//! into Markdown for the Markdown loader: its headings, paragraphs, lists,
//! quotes, preformatted text, links, images and tables, without what a
//! reader of the page never reads (`<head>` but for its `<title>`,
//! scripts, styles, navigation, forms, comments).
//!
//! A tag-soup walk rather than a parser of the standard: tags need not be
//! closed or nested well, and whatever is not understood is read for its
//! text. Text is escaped, so that nothing in it is read as Markdown.
//! Inline emphasis is left out: its markers next to the page's spacing too
//! often would not parse. The Markdown's lines are not the page's, so a
//! section's source line is the converted text's.
//!
//! Also the HTML inside Markdown, for the Markdown loader: an HTML block's
//! text and tables ([`html_parts`]). Both read tags, block names and
//! character references the same way, here.

use super::plain::collapse;

/// Tags whose content is not read.
const SKIPPED: [&str; 11] = [
    "head", "noscript", "template", "svg", "nav", "iframe", "select", "button", "form", "object",
    "canvas",
];

/// Tags whose content is raw text, ended only by their closing tag (the
/// title is kept, the others' text left out).
const RAW_TEXT: [&str; 4] = ["script", "style", "title", "textarea"];

/// Tags of blocks and line breaks: each parts the words on either side,
/// and (but for those `Writer::tag` reads on their own) ends a paragraph.
const BLOCKS: [&str; 36] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "dl",
    "dt",
    "dd",
    "center",
    "fieldset",
    "body",
    "html",
    "br",
    "hr",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

/// Markdown for the HTML page `html`. Its `<title>` is the first heading
/// when the page has no `<h1>`.
pub(crate) fn to_markdown(page: &str) -> String {
    // ASCII lower case keeps every byte where it was: closing tags are
    // looked for in it, from the offset of `rest`.
    let page_lower = page.to_ascii_lowercase();
    let mut w = Writer {
        title: title_of(page, &page_lower),
        ..Writer::default()
    };
    let (html, lower) = match main_part(&page_lower) {
        Some(part) => (&page[part.clone()], &page_lower[part]),
        None => (page, page_lower.as_str()),
    };
    let find_from = |rest: &str, needle: &str| {
        let at = html.len() - rest.len();
        lower[at..].find(needle)
    };
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
        } else if let Some(tag) = Tag::at(rest) {
            rest = &rest[tag.len..];
            if RAW_TEXT.contains(&tag.name.as_str()) && !tag.end && !tag.closed {
                // Their text is not HTML: only their closing tag ends them.
                let close = format!("</{}", tag.name);
                let end = find_from(rest, &close).unwrap_or(rest.len());
                rest = &rest[end..];
                continue;
            }
            if let Some(name) = w.skipping.last() {
                if tag.end && tag.name == *name {
                    w.skipping.pop();
                } else if !tag.end && tag.name == *name && !tag.closed {
                    w.skipping.push(tag.name.clone());
                }
                continue;
            }
            if tag.name == "table" && !tag.end {
                // The Markdown loader reads an HTML table: given whole, on
                // one line, as an HTML block of its own.
                let end = find_from(rest, "</table>").map_or(rest.len(), |e| e + "</table>".len());
                let mut table = String::from("<table>");
                table.push_str(&rest[..end]);
                w.table(&table);
                rest = &rest[end..];
                continue;
            }
            if tag.name == "pre" && !tag.end {
                let end = find_from(rest, "</pre").unwrap_or(rest.len());
                w.pre(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            w.tag(&tag);
        } else {
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let end = rest[first..].find('<').map_or(rest.len(), |i| i + first);
            if w.skipping.is_empty() {
                w.text(&decode_entities(&rest[..end]));
            }
            rest = &rest[end..];
        }
    }
    w.finish()
}

/// The text of the page's `<title>`.
fn title_of(page: &str, lower: &str) -> Option<String> {
    let open = tag_starts(lower, "<title").next()?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    Some(collapse(&decode_entities(&page[start..end])))
}

/// The part of the page a reader reads, when the page marks it: its one
/// `<main>`, else its one `<article>` (a site's header, menus, sidebars
/// and footer lie outside). `None` when there is none, or several.
fn main_part(lower: &str) -> Option<std::ops::Range<usize>> {
    ["main", "article"].iter().find_map(|name| {
        let open = format!("<{name}");
        let close = format!("</{name}>");
        let mut starts = tag_starts(lower, &open);
        let start = starts.next()?;
        if starts.next().is_some() {
            return None;
        }
        let end = start + lower[start..].find(&close)? + close.len();
        Some(start..end)
    })
}

/// A tag at the start of `s`: `<a href="x">`, `</p>`, `<br/>`.
struct Tag {
    name: String,
    end: bool,
    /// Written closed (`<br/>`).
    closed: bool,
    /// Its bytes in the source.
    len: usize,
    /// The text of the tag between `<` and `>`, for its attributes.
    inner: String,
}

impl Tag {
    fn at(s: &str) -> Option<Tag> {
        let after = s.strip_prefix('<')?;
        let (end, after) = match after.strip_prefix('/') {
            Some(a) => (true, a),
            None => (false, after),
        };
        if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let close = tag_end(s)?;
        let name: String = after
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let inner = &s[1..close];
        Some(Tag {
            name,
            end,
            closed: inner.ends_with('/'),
            len: close + 1,
            inner: inner.to_owned(),
        })
    }

    /// The value of the attribute `name` (`href="x"`, `alt='y'`, `src=z`).
    fn attribute(&self, name: &str) -> Option<String> {
        let lower = self.inner.to_ascii_lowercase();
        let mut from = 0;
        while let Some(i) = lower[from..].find(name).map(|i| from + i) {
            from = i + name.len();
            let before_ok = lower[..i].ends_with(|c: char| c.is_ascii_whitespace());
            let rest = lower[from..].trim_start();
            if !before_ok || !rest.starts_with('=') {
                continue;
            }
            let start = self.inner.len() - rest.len() + 1;
            let value = self.inner[start..].trim_start();
            let value = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
                _ => value
                    .split(|c: char| c.is_ascii_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            return Some(decode_entities(value));
        }
        None
    }
}

/// Where the tag opening `s` ends (its `>`), quotes in attributes skipped.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Tags whose content is being skipped, innermost last.
    skipping: Vec<String>,
    title: Option<String>,
    has_h1: bool,
    /// Open lists: ordered, and the next number.
    lists: Vec<(bool, usize)>,
    quote_depth: usize,
    /// Inside a heading: line breaks are spaces.
    heading: bool,
    /// Open links: the target, and where their text starts in `out`.
    links: Vec<Option<(String, usize)>>,
    /// Text since the last paragraph break.
    in_paragraph: bool,
}

impl Writer {
    fn prefix(&self) -> String {
        "> ".repeat(self.quote_depth)
    }

    /// At the start of a line: write the quote marks it opens with.
    fn line_start(&mut self) {
        if self.out.is_empty() || self.out.ends_with('\n') {
            let prefix = self.prefix();
            self.out.push_str(&prefix);
        }
    }

    /// End the paragraph: a blank line (inside a quote, a line of its
    /// marks alone).
    fn paragraph_break(&mut self) {
        if !self.in_paragraph {
            return;
        }
        let prefix = self.prefix();
        self.out.push('\n');
        self.out.push_str(prefix.trim_end());
        self.out.push('\n');
        self.in_paragraph = false;
    }

    /// Start a block that must begin a line of its own, after a blank one.
    fn block_start(&mut self) {
        if self.in_paragraph {
            self.paragraph_break();
        } else if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push_str("\n\n");
        }
    }

    fn tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        if SKIPPED.contains(&name) && !tag.end && !tag.closed {
            self.skipping.push(tag.name.clone());
            return;
        }
        match (name, tag.end) {
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.block_start();
                self.line_start();
                let level = usize::from(name.as_bytes()[1] - b'0');
                self.has_h1 |= level == 1;
                self.out.push_str(&"#".repeat(level));
                self.out.push(' ');
                self.heading = true;
                self.in_paragraph = true;
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                self.heading = false;
                self.paragraph_break();
            }
            ("br", _) => {
                if self.heading || self.lists.last().is_some() {
                    self.out.push(' ');
                } else if self.in_paragraph {
                    self.out.push_str("\\\n");
                    self.line_start();
                }
            }
            ("hr", _) => {
                self.block_start();
                self.line_start();
                self.out.push_str("* * *");
                self.in_paragraph = true;
                self.paragraph_break();
            }
            ("ul" | "ol", false) => {
                // A nested list goes on in its item's lines.
                if self.lists.is_empty() {
                    self.block_start();
                }
                let start = tag
                    .attribute("start")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1);
                self.lists.push((name == "ol", start));
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.paragraph_break();
                }
            }
            ("li", false) => {
                let depth = self.lists.len().max(1);
                let marker = match self.lists.last_mut() {
                    Some((true, n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_owned(),
                };
                if !self.out.is_empty() && !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.line_start();
                self.out.push_str(&"    ".repeat(depth - 1));
                self.out.push_str(&marker);
                self.in_paragraph = true;
            }
            ("blockquote", false) => {
                self.block_start();
                self.quote_depth += 1;
            }
            ("blockquote", true) if self.quote_depth > 0 => {
                if self.in_paragraph {
                    self.out.push('\n');
                    self.in_paragraph = false;
                } else {
                    // No line of marks alone at the quote's end.
                    let marks = format!("\n{}\n", self.prefix().trim_end());
                    if self.out.ends_with(&marks) {
                        self.out.truncate(self.out.len() - marks.len() + 1);
                    }
                }
                self.quote_depth -= 1;
                let prefix = self.prefix();
                self.out.push_str(prefix.trim_end());
                self.out.push('\n');
            }
            ("a", false) => {
                let target = tag.attribute("href").filter(|h| {
                    h.starts_with("http://")
                        || h.starts_with("https://")
                        || h.starts_with("mailto:")
                });
                if target.is_some() {
                    if !self.in_paragraph {
                        self.line_start();
                    }
                    self.out.push('[');
                    self.in_paragraph = true;
                }
                self.links.push(target.map(|t| (t, self.out.len())));
            }
            ("a", true) => {
                if let Some(Some((target, start))) = self.links.pop() {
                    if self.out[start..].trim().is_empty() {
                        // No text: the bracket goes, the target stands in.
                        self.out.truncate(start - 1);
                        self.text(&target);
                    } else {
                        self.out.push_str("](<");
                        self.out.push_str(&target.replace(['<', '>', '\n'], ""));
                        self.out.push_str(">)");
                    }
                }
            }
            ("img", _) => {
                if let Some(alt) = tag
                    .attribute("alt")
                    .map(|a| collapse(&a))
                    .filter(|a| !a.is_empty())
                {
                    if !self.in_paragraph {
                        self.line_start();
                    }
                    self.out.push_str("![");
                    self.out.push_str(&escape(&alt));
                    self.out.push_str("]()");
                    self.in_paragraph = true;
                }
            }
            ("code", _) if !self.heading => {}
            // An item ends where the next begins, or its list ends.
            ("li", true) => {}
            // A cell outside a table parts words.
            ("td" | "th" | "tr", _) => self.out.push(' '),
            (name, _) if BLOCKS.contains(&name) => {
                if self.lists.is_empty() {
                    self.paragraph_break();
                } else {
                    self.out.push(' ');
                }
            }
            // `span`, `b`…: their text is read.
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        let mut words = text.split_whitespace().peekable();
        if words.peek().is_none() {
            if !text.is_empty() && self.in_paragraph && !self.out.ends_with([' ', '\n']) {
                self.out.push(' ');
            }
            return;
        }
        if text.starts_with(char::is_whitespace)
            && self.in_paragraph
            && !self.out.ends_with([' ', '\n', '['])
        {
            self.out.push(' ');
        }
        let at_start = !self.in_paragraph;
        let joined: Vec<&str> = words.collect();
        let mut escaped = escape(&joined.join(" "));
        if at_start {
            self.line_start();
            escaped = escape_line_start(&escaped);
        }
        self.out.push_str(&escaped);
        if text.ends_with(char::is_whitespace) {
            self.out.push(' ');
        }
        self.in_paragraph = true;
    }

    fn pre(&mut self, raw: &str) {
        self.block_start();
        // The text of the lines, tags inside (`<code>`, `<span>`) gone.
        let mut text = String::new();
        let mut rest = raw;
        while !rest.is_empty() {
            if rest.starts_with('<')
                && let Some(end) = tag_end(rest)
            {
                rest = &rest[end + 1..];
                continue;
            }
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let end = rest[first..].find('<').map_or(rest.len(), |i| i + first);
            text.push_str(&rest[..end]);
            rest = &rest[end..];
        }
        let text = decode_entities(text.trim_matches('\n'));
        let fence = if text.contains("```") { "~~~~" } else { "```" };
        let prefix = self.prefix();
        self.line_start();
        self.out.push_str(fence);
        for line in text.lines() {
            self.out.push('\n');
            self.out.push_str(&prefix);
            self.out.push_str(line);
        }
        self.out.push('\n');
        self.out.push_str(&prefix);
        self.out.push_str(fence);
        self.in_paragraph = true;
        self.paragraph_break();
    }

    fn table(&mut self, html: &str) {
        self.block_start();
        // One line: a blank line would end the HTML block.
        let line: String = html.split_whitespace().collect::<Vec<_>>().join(" ");
        self.line_start();
        self.out.push_str(&line);
        self.in_paragraph = true;
        self.paragraph_break();
    }

    fn finish(self) -> String {
        let body = self.out.trim().to_owned();
        match self.title.filter(|t| !t.is_empty() && !self.has_h1) {
            Some(title) => format!("# {}\n\n{body}\n", escape(&title)),
            None => format!("{body}\n"),
        }
    }
}

/// Text with every character Markdown might read as markup escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text opening a line, with what would open a list item or a heading
/// there escaped (`- `, `+ `, `1. `, `1) `, `=`).
fn escape_line_start(text: &str) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if text.starts_with(['-', '+', '=']) {
        Some(0)
    } else if digits > 0 && text[digits..].starts_with(['.', ')']) {
        Some(digits)
    } else {
        None
    };
    match marker {
        Some(at) => format!("{}\\{}", &text[..at], &text[at..]),
        None => text.to_owned(),
    }
}

/// A part of an HTML block: text, or a table.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum HtmlPart {
    Text(String),
    Table(HtmlTable),
}

/// A table written in HTML: its cells' text, row by row.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct HtmlTable {
    pub(super) rows: Vec<Vec<String>>,
    /// Rows at the top of `<th>` cells, or a first row all in bold (as
    /// converters such as pandoc write a header).
    pub(super) header_rows: usize,
}

/// An HTML block as text and the tables in it (`<table>` … `</table>`
/// within the block). Before, a table's cells ran together into one line
/// (`ServiceUptimeIncidents API99.95%1`).
pub(super) fn html_parts(html: &str) -> Vec<HtmlPart> {
    // ASCII lower case keeps every byte where it was.
    let lower = html.to_ascii_lowercase();
    let mut parts = Vec::new();
    let mut at = 0;
    while let Some(open) = lower[at..].find("<table").map(|i| at + i) {
        let Some(close) = lower[open..].find("</table>").map(|i| open + i) else {
            break;
        };
        parts.push(HtmlPart::Text(strip_html(&html[at..open])));
        if let Some(table) = html_table(&html[open..close], &lower[open..close]) {
            parts.push(HtmlPart::Table(table));
        }
        at = close + "</table>".len();
    }
    parts.push(HtmlPart::Text(strip_html(&html[at..])));
    parts
}

/// Where the tags named `name` (written `<name`) open in `lower`, an ASCII
/// lower-cased text (`<td>`, `<td class=…>`, not `<tdx>`).
fn tag_starts<'a>(lower: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    lower.match_indices(name).map(|(i, _)| i).filter(move |&i| {
        lower[i + name.len()..]
            .starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace())
    })
}

/// The rows and cells of one `<table>` (`html` and its ASCII lower case,
/// without the closing tag); `None` when it has no cell.
fn html_table(html: &str, lower: &str) -> Option<HtmlTable> {
    let row_starts: Vec<usize> = tag_starts(lower, "<tr").collect();
    let mut rows = Vec::new();
    let mut header_cells = Vec::new();
    let mut bold_cells = Vec::new();
    for (k, &start) in row_starts.iter().enumerate() {
        let end = row_starts.get(k + 1).copied().unwrap_or(lower.len());
        let (row, row_lower) = (&html[start..end], &lower[start..end]);
        let mut cells: Vec<(usize, bool)> = tag_starts(row_lower, "<td")
            .map(|i| (i, false))
            .chain(tag_starts(row_lower, "<th").map(|i| (i, true)))
            .collect();
        cells.sort_unstable();
        if cells.is_empty() {
            continue;
        }
        let mut texts = Vec::new();
        let (mut all_th, mut all_bold) = (true, true);
        for (c, &(cell_start, th)) in cells.iter().enumerate() {
            let cell_end = cells.get(c + 1).map_or(row.len(), |&(i, _)| i);
            let inner_start = row_lower[cell_start..cell_end]
                .find('>')
                .map_or(cell_end, |i| cell_start + i + 1);
            let inner = &row_lower[inner_start..cell_end];
            let inner = inner.trim().trim_end_matches("</tr>").trim();
            let inner = inner
                .strip_suffix("</td>")
                .or(inner.strip_suffix("</th>"))
                .unwrap_or(inner)
                .trim();
            all_th &= th;
            all_bold &= ["<strong>", "<b>"].iter().any(|t| inner.starts_with(t))
                && ["</strong>", "</b>"].iter().any(|t| inner.ends_with(t));
            let text = strip_html(&row[inner_start..cell_end]);
            texts.push(collapse(&text));
        }
        rows.push(texts);
        header_cells.push(all_th);
        bold_cells.push(all_bold);
    }
    if rows.is_empty() {
        return None;
    }
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut rows {
        row.resize(columns, String::new());
    }
    let th_rows = header_cells.iter().take_while(|&&h| h).count();
    let header_rows = if th_rows == 0 && rows.len() > 1 && bold_cells[0] {
        1
    } else {
        th_rows.min(rows.len() - 1)
    };
    Some(HtmlTable { rows, header_rows })
}

/// Remove HTML comments and tags, keeping the text between them, but for
/// the text of scripts and styles (a notebook's exported table brings its
/// `<style scoped>` along).
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else if rest.starts_with('<')
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
        {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            // A block's tag parts words: `<li>a</li><li>b</li>` is `a b`.
            if is_block_tag(&rest[..end]) && !out.ends_with(char::is_whitespace) {
                out.push(' ');
            }
            let name = rest[1..end]
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or_default();
            rest = &rest[end..];
            if let Some(raw) = ["script", "style"]
                .into_iter()
                .find(|raw| name.eq_ignore_ascii_case(raw))
            {
                let closes = |&(at, _): &(usize, &str)| {
                    rest.as_bytes()
                        .get(at + 2..at + 2 + raw.len())
                        .is_some_and(|n| n.eq_ignore_ascii_case(raw.as_bytes()))
                };
                rest = rest
                    .match_indices("</")
                    .find(closes)
                    .and_then(|(at, _)| rest[at..].find('>').map(|e| &rest[at + e + 1..]))
                    .unwrap_or("");
            }
        } else {
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let next = rest[first..].find('<').map_or(rest.len(), |i| i + first);
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    decode_entities(&out)
}

/// Whether an HTML tag (`<li class=x>`, `</div>`, `<br/>`) is one of a
/// block or a line break, which parts the words on either side.
fn is_block_tag(tag: &str) -> bool {
    let name: String = tag
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCKS.contains(&name.as_str())
}

/// HTML's character references in text between tags: numeric ones
/// (`&#8212;`, `&#x2014;`) and the named ones briefings use; any other is
/// left as written.
fn decode_entities(s: &str) -> String {
    const NAMED: [(&str, char); 22] = [
        ("nbsp", ' '),
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("mdash", '—'),
        ("ndash", '–'),
        ("hellip", '…'),
        ("lsquo", '‘'),
        ("rsquo", '’'),
        ("ldquo", '“'),
        ("rdquo", '”'),
        ("laquo", '«'),
        ("raquo", '»'),
        ("copy", '©'),
        ("reg", '®'),
        ("trade", '™'),
        ("middot", '·'),
        ("bull", '•'),
        ("deg", '°'),
        ("euro", '€'),
    ];
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest[1..].find(';').filter(|&n| n <= 10).and_then(|n| {
            let name = &rest[1..=n];
            let c = match name.strip_prefix('#') {
                Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16)
                    .ok()
                    .and_then(char::from_u32),
                Some(dec) => dec.parse().ok().and_then(char::from_u32),
                None => NAMED.iter().find(|(n, _)| *n == name).map(|&(_, c)| c),
            };
            c.filter(|&c| c != '\0').map(|c| (c, n + 2))
        });
        if let Some((c, len)) = decoded {
            out.push(c);
            rest = &rest[len..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_references_between_tags_are_read() {
        assert_eq!(
            decode_entities("a&mdash;b &#8212; &#x2014; &copy; &bogus; &#0; AT&T &amp;"),
            "a—b — — © &bogus; &#0; AT&T &"
        );
        assert_eq!(strip_html("<ul><li>one</li><li>two</li></ul>"), " one two ");
        assert!(is_block_tag("</DIV>") && is_block_tag("<br/>") && !is_block_tag("<b>"));
    }

    #[test]
    fn the_text_of_styles_and_scripts_is_left_out() {
        assert_eq!(
            strip_html(
                "<div><style scoped>\n.df th { x: 1; }\n</STYLE >Kept<script>if (a </b) {}</script>, too\
                 <style>never closed"
            ),
            " Kept, too"
        );
    }

    #[test]
    fn html_with_non_ascii_text_between_tags() {
        assert_eq!(
            strip_html("<summary>ترجمه ها:</summary>\n<b>日本</b>"),
            " ترجمه ها: \n日本"
        );
    }

    #[test]
    fn a_page_becomes_markdown() {
        let html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Press release: \
                    Grid</title><style>p { x: 1 }</style><script>var a = '<p>';</script></head>\n\
                    <body><nav><a href=\"/\">Home</a></nav>\n<h2>What   changes</h2>\n<p>The \
                    operator finished the <strong>upgrade</strong> early &mdash; see \
                    <a href=\"https://example.org/r\">the report</a>.<br>Next line.</p>\n\
                    <ul><li>Fewer outages</li><li>Faster <em>repairs</em><ol><li>one</li></ol></li></ul>\n\
                    <blockquote><p>We saw it.</p><p>Twice.</p></blockquote>\n<pre><code>a &lt; b\n  \
                    c</code></pre>\n<p>1. Not a list *nor* emphasis</p>\n<!-- gone --></body></html>";
        assert_eq!(
            to_markdown(html),
            "# Press release: Grid\n\n## What changes\n\nThe operator finished the upgrade early — \
             see [the report](<https://example.org/r>).\\\nNext line.\n\n- Fewer outages\n- Faster \
             repairs\n    1. one\n\n> We saw it.\n>\n> Twice.\n\n```\na < b\n  c\n```\n\n1\\. Not a \
             list \\*nor\\* emphasis\n"
        );
    }

    #[test]
    fn a_script_ends_only_at_its_closing_tag() {
        let html = "<html><body><script>if (a <b) { x = '<script>'; }</script><p>Kept.</p>\
                    <title>Late &amp; odd</title><style>p { }</style><p>Also.</p></body></html>";
        assert_eq!(to_markdown(html), "# Late \\& odd\n\nKept.\n\nAlso.\n");
        // Many blocks cost no more than one each: each close is looked for
        // once in the lower-cased page.
        let many = "<pre>x</pre>".repeat(20_000);
        assert_eq!(to_markdown(&many).matches("```").count(), 40_000);
    }

    #[test]
    fn a_page_s_one_main_or_article_is_what_is_read() {
        let page = |body: &str| {
            format!(
                "<html><head><title>Story | Site</title></head><body><header><p>Site \
                 name</p></header>{body}<footer><p>Cookies</p></footer></body></html>"
            )
        };
        let main = page("<main><h1>Story</h1><p>Text.</p></main>");
        assert_eq!(to_markdown(&main), "# Story\n\nText.\n");
        let article = page("<article><p>Text.</p></article><aside><p>Ads</p></aside>");
        assert_eq!(to_markdown(&article), "# Story \\| Site\n\nText.\n");
        // Several articles (a list of them): the whole page.
        let two = page("<article><p>One.</p></article><article><p>Two.</p></article>");
        assert_eq!(
            to_markdown(&two),
            "# Story \\| Site\n\nSite name\n\nOne.\n\nTwo.\n\nCookies\n"
        );
    }

    #[test]
    fn attributes_are_read_with_or_without_quotes() {
        let tag = Tag::at("<a class=x HREF='https://e.org/a b' data-href=\"no\">").unwrap();
        assert_eq!(tag.attribute("href").as_deref(), Some("https://e.org/a b"));
        let tag = Tag::at("<img src=a.png alt=\"A &amp; B\">").unwrap();
        assert_eq!(tag.attribute("alt").as_deref(), Some("A & B"));
        assert_eq!(tag.attribute("title"), None);
        assert!(Tag::at("< not a tag").is_none());
        assert!(Tag::at("<a href=\"x>").is_none());
    }
}
