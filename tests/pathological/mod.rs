//! Pathological documents, generated: the inputs that make parsers recurse,
//! backtrack or go quadratic, and the bytes that try to drive the terminal.
//!
//! Shared by `tests/hostile.rs`, `tests/sizes.rs` and `benches/hostile.rs`
//! (each includes this file as a module). Every generator takes a size `n`
//! so a test can use a small one in debug builds and a bench can double it.
#![allow(dead_code)]

/// One generated input: a name for messages, the bytes, and whether the
/// loader must refuse it (binary data) instead of loading it.
pub struct Case {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub refused: bool,
}

impl Case {
    fn text(name: &'static str, text: String) -> Case {
        Case {
            name,
            bytes: text.into_bytes(),
            refused: false,
        }
    }
}

/// `n` nested block quotes: `>>>>… deep`.
pub fn deep_quotes(n: usize) -> String {
    format!("{} deep\n", ">".repeat(n))
}

/// `n` nested list items on one line: `- - - … deep`.
pub fn deep_list_inline(n: usize) -> String {
    format!("{}deep\n", "- ".repeat(n))
}

/// `n` list items, each indented one level deeper than the one before.
pub fn deep_list_indented(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&"  ".repeat(i));
        out.push_str("- item\n");
    }
    out
}

/// Block quotes and lists alternating, `n` levels.
pub fn deep_quote_list(n: usize) -> String {
    format!("{}deep\n", "> - ".repeat(n))
}

/// `n` nested brackets around a word: `[[[…x…]]]`.
pub fn deep_brackets(n: usize) -> String {
    format!("{}x{}\n", "[".repeat(n), "]".repeat(n))
}

/// `n` emphasis markers around a word: `***…x…***`.
pub fn deep_emphasis(n: usize) -> String {
    format!("{}x{}\n", "*".repeat(n), "*".repeat(n))
}

/// `n` nested links: `[a[a[a…](u)](u)](u)`.
pub fn nested_links(n: usize) -> String {
    format!("{}x{}\n", "[a".repeat(n), "](u)".repeat(n))
}

/// `a***` repeated `n` times: unmatched delimiter runs.
pub fn delimiter_runs(n: usize) -> String {
    format!("{}\n", "a***".repeat(n))
}

/// `[ (](` repeated `n` times: unclosed link destinations.
pub fn unclosed_links(n: usize) -> String {
    format!("{}\n", "[ (](".repeat(n))
}

/// `_a ` repeated: many openers that never close.
pub fn open_underscores(n: usize) -> String {
    format!("{}\n", "_a ".repeat(n))
}

/// `n` backtick runs of growing length: code spans that never close.
pub fn backtick_runs(n: usize) -> String {
    let mut out = String::new();
    for i in 1..=n {
        out.push_str(&"`".repeat(i % 64 + 1));
        out.push('a');
    }
    out.push('\n');
    out
}

/// `n` link reference definitions and one paragraph using many of them.
pub fn reference_definitions(n: usize) -> String {
    let mut out = String::from("# Refs\n\n");
    for i in 0..n {
        out.push_str(&format!("[r{i}]: https://example.org/{i} \"t{i}\"\n"));
    }
    out.push('\n');
    for i in (0..n).step_by(97) {
        out.push_str(&format!("[x][r{i}] "));
    }
    out.push('\n');
    out
}

/// `n` headings, levels cycling 1 to 6.
pub fn many_headings(n: usize) -> String {
    let mut out = String::with_capacity(n * 16);
    for i in 0..n {
        out.push_str(&"#".repeat(i % 6 + 1));
        out.push_str(&format!(" H{i}\n"));
    }
    out
}

/// One line of `n` bytes of words.
pub fn long_line(n: usize) -> String {
    let mut out = String::with_capacity(n + 16);
    while out.len() < n {
        out.push_str("lorem ipsum dolor ");
    }
    out.push('\n');
    out
}

/// A long title line over one line of about `n` bytes of full stops and
/// digits and no space (`1.5.5.5…`): a check that looks back from each
/// full stop for the word before it must not scan the whole line.
pub fn title_over_dots(n: usize) -> String {
    format!(
        "Quarterly review of the regional grid operators in 2026\n1{}\n",
        ".5".repeat(n / 2)
    )
}

/// One word of `n` bytes (no break opportunity).
pub fn long_word(n: usize) -> String {
    format!("{}\n", "x".repeat(n))
}

/// A table with `n` columns and a few rows.
pub fn wide_table(n: usize) -> String {
    let mut out = String::from("# Table\n\n");
    for row in 0..4 {
        out.push('|');
        for c in 0..n {
            out.push_str(&format!(" c{c}r{row} |"));
        }
        out.push('\n');
        if row == 0 {
            out.push('|');
            for _ in 0..n {
                out.push_str("---|");
            }
            out.push('\n');
        }
    }
    out
}

/// A table with `n` rows of three columns.
pub fn long_table(n: usize) -> String {
    let mut out = String::from("| a | b | c |\n|---|:-:|--:|\n");
    for r in 0..n {
        out.push_str(&format!("| {r} | word {r} | **{r}** |\n"));
    }
    out
}

/// `n` lines of HTML: unclosed tags and comments.
pub fn html_soup(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&format!("<div><span a='{i}'><!-- c {i}\n"));
    }
    out
}

/// `n` footnote references and definitions, each definition referring to
/// the next.
pub fn footnote_chain(n: usize) -> String {
    let mut out = String::from("Start[^0]\n\n");
    for i in 0..n {
        out.push_str(&format!("[^{i}]: note[^{}]\n\n", i + 1));
    }
    out
}

/// `n` lines that look like plain-text headings (numbered, ALL CAPS,
/// underlined), for the plain-text parser.
pub fn plain_headings(n: usize) -> String {
    let mut out = String::from("TITLE\n\n");
    for i in 0..n {
        match i % 3 {
            0 => out.push_str(&format!("{}. SECTION {i}\n\ntext\n\n", i + 1)),
            1 => out.push_str(&format!("HEADING NUMBER {i}\n\ntext\n\n")),
            _ => out.push_str(&format!("Underlined {i}\n------------\n\ntext\n\n")),
        }
    }
    out
}

/// `n` pseudo-random bytes (binary garbage), the same on every call.
pub fn garbage(n: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// Mostly text with invalid UTF-8 sprinkled in.
pub fn invalid_utf8(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 32);
    let mut i = 0usize;
    while out.len() < n {
        out.extend_from_slice("Résumé naïve ".as_bytes());
        if i.is_multiple_of(3) {
            out.extend_from_slice(b"\xff\xfe\xc3(");
        }
        i += 1;
    }
    out.push(b'\n');
    out
}

/// Text with a NUL byte in the middle.
pub fn with_nul(n: usize) -> Vec<u8> {
    let mut out = long_line(n).into_bytes();
    let mid = out.len() / 2;
    out.insert(mid, 0);
    out
}

/// Every pathological input at scale `n` (about `n` repetitions of its
/// unit; the byte inputs are about `n` bytes).
pub fn all(n: usize) -> Vec<Case> {
    let mut cases = vec![
        Case::text("deep_quotes", deep_quotes(n)),
        Case::text("deep_list_inline", deep_list_inline(n)),
        Case::text("deep_list_indented", deep_list_indented((n / 2).min(3_000))),
        Case::text("deep_quote_list", deep_quote_list(n / 2)),
        Case::text("deep_brackets", deep_brackets(n)),
        Case::text("deep_emphasis", deep_emphasis(n)),
        Case::text("nested_links", nested_links(n / 4)),
        Case::text("delimiter_runs", delimiter_runs(n)),
        Case::text("unclosed_links", unclosed_links(n)),
        Case::text("open_underscores", open_underscores(n)),
        Case::text("backtick_runs", backtick_runs(n / 4)),
        Case::text("reference_definitions", reference_definitions(n / 2)),
        Case::text("many_headings", many_headings(n / 2)),
        Case::text("long_line", long_line(n * 10)),
        Case::text("long_word", long_word(n * 10)),
        Case::text("title_over_dots", title_over_dots(n * 10)),
        Case::text("wide_table", wide_table(n / 20)),
        Case::text("long_table", long_table(n / 10)),
        Case::text("html_soup", html_soup(n / 10)),
        Case::text("footnote_chain", footnote_chain(n / 10)),
        Case::text("plain_headings", plain_headings(n / 10)),
    ];
    cases.push(Case {
        name: "garbage",
        bytes: garbage(n),
        refused: true,
    });
    cases.push(Case {
        name: "invalid_utf8",
        bytes: invalid_utf8(n),
        refused: false,
    });
    cases.push(Case {
        name: "nul",
        bytes: with_nul(n),
        refused: true,
    });
    cases
}
