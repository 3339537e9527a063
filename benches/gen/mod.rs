//! Deterministic generators of large briefings for the benchmarks: a
//! Markdown one and a plain-text one, made in-process from a fixed seed, so
//! every run sees the same bytes and nothing is read from disk. A smaller
//! briefing is a prefix of a larger one made by the same generator.
//!
//! Shared by `core.rs` (in-process benchmarks) and `e2e.rs` (the real binary
//! in a pseudo-terminal). It lives in `gen/mod.rs` rather than `gen.rs`
//! because Cargo would take every `benches/*.rs` for a benchmark of its own.
//! It must stay free of I/O and of anything from `brief`: it only makes text.

/// Generate a Markdown briefing of about `target_bytes` bytes (it stops at
/// the first section boundary past the target), the same text on every call.
///
/// It opens with YAML front matter (title, date, source and the five
/// [`KEYWORDS`]), then has sections of about 2 KB each. Heading levels walk
/// between 1 and 4 the way a report's outline does (never more than one level
/// deeper than the section before). A section body has one to four
/// paragraphs of prose (function words, content words, figures, a few
/// accented words, about one keyword term in forty words; inline bold,
/// italic, code spans and links; half the paragraphs hard-wrapped at 80
/// columns), often a bullet list (sometimes nested, numbered or a task list),
/// now and then a block quote, a fenced code block (every seventh section or
/// so, with some lines over 100 columns), a table (every eleventh or so) or a
/// thematic break.
pub(crate) fn markdown_briefing(target_bytes: usize) -> String {
    let mut rng = Rng(0x5EED_B41E_F000_0001);
    let mut out = String::with_capacity(target_bytes + 4096);
    out.push_str("---\ntitle: Regional infrastructure briefing\ndate: 2026-11-27\n");
    out.push_str("source: Operations desk\nclassification: TLP:CLEAR\nkeywords: [");
    out.push_str(&KEYWORDS.join(", "));
    out.push_str("]\n---\n\n");
    let mut level = 0;
    while out.len() < target_bytes {
        level = next_level(&mut rng, level, 4);
        out.push_str(&"#".repeat(level));
        out.push(' ');
        out.push_str(&title(&mut rng));
        out.push_str("\n\n");
        for _ in 0..=rng.below(4) {
            let text = paragraph(&mut rng, true);
            if rng.chance(50) {
                push_wrapped(&mut out, &text, 80);
            } else {
                out.push_str(&text);
                out.push('\n');
            }
            out.push('\n');
        }
        if rng.chance(45) {
            push_list(&mut rng, &mut out);
        }
        if rng.chance(11) {
            out.push_str("> ");
            out.push_str(&sentence(&mut rng, true));
            out.push_str("\n> ");
            out.push_str(&sentence(&mut rng, true));
            out.push_str("\n\n");
        }
        if rng.chance(14) {
            push_code(&mut rng, &mut out);
        }
        if rng.chance(9) {
            push_table(&mut rng, &mut out);
        }
        if rng.chance(4) {
            out.push_str("---\n\n");
        }
    }
    out
}

/// Generate a plain-text briefing of about `target_bytes` bytes, the same
/// text on every call: a title line and a date line, a lead paragraph, then
/// numbered headings (`3. Title`, `3.2 Title`, `3.2.1 Title`, levels 1 to
/// 3, each on its own line between blank lines, in the forms the plain-text
/// loader takes for headings: a single number has its dot and no number has
/// more than three digits, so numbering starts again at 1 after 999, as in
/// a new volume), each followed by one to four paragraphs of prose
/// hard-wrapped at 72 columns and separated by blank lines. The prose is
/// the Markdown generator's without inline markup.
pub(crate) fn plain_briefing(target_bytes: usize) -> String {
    let mut rng = Rng(0x5EED_B41E_F000_0002);
    let mut out = String::with_capacity(target_bytes + 4096);
    out.push_str("REGIONAL INFRASTRUCTURE BRIEFING\n27 November 2026\n\n");
    push_wrapped(&mut out, &paragraph(&mut rng, false), 72);
    let mut numbers = [0_usize; 3];
    let mut level = 0;
    while out.len() < target_bytes {
        level = next_level(&mut rng, level, 3);
        numbers[level - 1] = numbers[level - 1] % 999 + 1;
        numbers[level..].fill(0);
        out.push('\n');
        let number: Vec<String> = numbers[..level].iter().map(ToString::to_string).collect();
        out.push_str(&number.join("."));
        if level == 1 {
            out.push('.');
        }
        out.push(' ');
        out.push_str(&title(&mut rng));
        out.push_str("\n\n");
        for i in 0..=rng.below(4) {
            if i > 0 {
                out.push('\n');
            }
            push_wrapped(&mut out, &paragraph(&mut rng, false), 72);
        }
    }
    out
}

/// The keyword terms: single words, a phrase and a term with punctuation.
#[allow(
    dead_code,
    reason = "core.rs watches these; e2e.rs only needs the text"
)]
pub(crate) const KEYWORDS: &[&str] = &[
    "substation",
    "grid operator",
    "ransomware",
    "CVE-2026-4411",
    "outage",
];

const FUNCTION_WORDS: &[&str] = &[
    "the", "the", "the", "of", "of", "and", "and", "to", "to", "in", "in", "a", "a", "is", "that",
    "for", "on", "with", "as", "by", "at", "from", "was", "were", "has", "have", "been", "will",
    "not", "are", "its", "their", "which", "this", "after", "before", "during", "while", "but",
    "or", "an", "into", "over", "under", "between", "across", "within", "per",
];

const CONTENT_WORDS: &[&str] = &[
    "report",
    "region",
    "network",
    "supply",
    "demand",
    "capacity",
    "operators",
    "assessment",
    "incident",
    "response",
    "restoration",
    "transmission",
    "distribution",
    "authority",
    "ministry",
    "contractors",
    "maintenance",
    "schedule",
    "forecast",
    "temperatures",
    "flooding",
    "drought",
    "reservoir",
    "pipeline",
    "pressure",
    "sensors",
    "telemetry",
    "firmware",
    "vulnerability",
    "patch",
    "exposure",
    "mitigation",
    "customers",
    "households",
    "hospitals",
    "schools",
    "backup",
    "generators",
    "diesel",
    "reserves",
    "procurement",
    "budget",
    "estimates",
    "delays",
    "investigation",
    "evidence",
    "attribution",
    "campaign",
    "phishing",
    "credentials",
    "intrusion",
    "detection",
    "monitoring",
    "coordination",
    "agencies",
    "municipal",
    "northern",
    "southern",
    "coastal",
    "rural",
    "urban",
    "critical",
    "temporary",
    "significant",
    "limited",
    "reported",
    "confirmed",
    "expected",
    "restored",
    "disrupted",
    "affected",
    "increased",
    "reduced",
    "deployed",
    "interconnector",
    "frequency",
    "voltage",
    "transformer",
    "switchgear",
    "substations",
    "outages",
    "Zürich",
    "Kraków",
    "São",
    "café",
    "naïve",
    "façade",
    "régime",
    "Ångström",
    "Düsseldorf",
    "Malmö",
];

const LANGS: &[&str] = &["rust", "json", "sh", "yaml", "", "text"];

const SITES: &[&str] = &[
    "Zürich", "Kraków", "Porto", "Leeds", "Malmö", "Lyon", "Gdańsk", "Bilbao", "Tampere", "Graz",
];

/// `SplitMix64`: a tiny, fast, deterministic generator; good enough to vary
/// text and needs no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The next heading level: at most one deeper than `level` (so the first
/// heading, after level 0, is at level 1), at most `max`, mostly at the
/// deeper levels like a real outline.
fn next_level(rng: &mut Rng, level: usize, max: usize) -> usize {
    let wanted = match rng.below(20) {
        0 => 1,
        1..=5 => 2,
        6..=12 => 3,
        _ => 4,
    };
    wanted.min(level + 1).min(max)
}

fn push_capitalised(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// A heading title of two to seven words in title case, sometimes with a
/// keyword term.
fn title(rng: &mut Rng) -> String {
    let mut out = String::new();
    for i in 0..2 + rng.below(6) {
        if i > 0 {
            out.push(' ');
        }
        let word = if rng.chance(6) {
            rng.pick(KEYWORDS)
        } else if i > 0 && rng.chance(20) {
            rng.pick(FUNCTION_WORDS)
        } else {
            rng.pick(CONTENT_WORDS)
        };
        push_capitalised(&mut out, word);
    }
    out
}

/// One sentence of six to twenty-two words ending with a content word and a
/// full stop. Figures carry a unit (`14%`, `€48m`) so that a hard-wrapped
/// line never starts with a bare number that could pass for a list item or
/// a numbered heading.
fn sentence(rng: &mut Rng, markup: bool) -> String {
    let mut out = String::new();
    let words = 6 + rng.below(17);
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        let last = i + 1 == words;
        let roll = rng.below(1000);
        let mut word = if roll < 25 {
            rng.pick(KEYWORDS).to_owned()
        } else if roll < 45 && !last {
            match rng.below(4) {
                0 => format!("{}%", rng.below(100)),
                1 => format!("€{}m", 1 + rng.below(900)),
                2 => format!("{}MW", 10 * (1 + rng.below(120))),
                _ => format!("Q{}", 1 + rng.below(4)),
            }
        } else if roll < 460 && !last {
            rng.pick(FUNCTION_WORDS).to_owned()
        } else {
            rng.pick(CONTENT_WORDS).to_owned()
        };
        if i == 0 {
            let mut capitalised = String::new();
            push_capitalised(&mut capitalised, &word);
            word = capitalised;
        }
        if markup {
            match rng.below(200) {
                0..=3 => word = format!("**{word}**"),
                4..=7 => word = format!("*{word}*"),
                8..=9 => word = format!("`{word}`"),
                10 => word = format!("[{word}](https://example.org/brief/{})", rng.below(10_000)),
                _ => {}
            }
        }
        out.push_str(&word);
        if !last && rng.chance(7) {
            out.push(',');
        }
    }
    out.push('.');
    out
}

/// Two to six sentences on one line.
fn paragraph(rng: &mut Rng, markup: bool) -> String {
    let sentences: Vec<String> = (0..2 + rng.below(5))
        .map(|_| sentence(rng, markup))
        .collect();
    sentences.join(" ")
}

/// Append `text` hard-wrapped at `width` columns (counted in chars), each
/// line ending in `\n`.
fn push_wrapped(out: &mut String, text: &str, width: usize) {
    let mut column = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if column > 0 && column + 1 + len > width {
            out.push('\n');
            column = 0;
        }
        if column > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
    }
    out.push('\n');
}

/// A bullet, numbered or task list of two to six items, some with a nested
/// list.
fn push_list(rng: &mut Rng, out: &mut String) {
    let kind = rng.below(10);
    for n in 1..=2 + rng.below(5) {
        match kind {
            0 => out.push_str(&format!("{n}. ")),
            1 => out.push_str(if rng.chance(50) { "- [x] " } else { "- [ ] " }),
            _ => out.push_str("- "),
        }
        out.push_str(&sentence(rng, true));
        out.push('\n');
        if rng.chance(15) {
            let indent = if kind == 0 { "   " } else { "  " };
            for _ in 0..=rng.below(3) {
                out.push_str(indent);
                out.push_str("- ");
                out.push_str(&sentence(rng, true));
                out.push('\n');
            }
        }
    }
    out.push('\n');
}

/// A fenced code block of five to twenty-four lines, some longer than 100
/// columns.
fn push_code(rng: &mut Rng, out: &mut String) {
    out.push_str("```");
    out.push_str(rng.pick(LANGS));
    out.push('\n');
    for i in 0..5 + rng.below(20) {
        let indent = "    ".repeat(rng.below(3));
        let a = rng.pick(CONTENT_WORDS);
        let b = rng.pick(CONTENT_WORDS);
        let n = rng.below(10_000);
        let line = match rng.below(5) {
            0 => format!("{indent}let {a}_{i} = fetch(\"{b}\", {n})?;"),
            1 => format!("{indent}\"{a}\": {{ \"{b}\": {n}, \"ok\": true }},"),
            2 => format!("{indent}curl -s https://api.example.org/v2/{a}/{b}?limit={n} | jq ."),
            3 => format!(
                "{indent}2026-11-27T04:{:02}:{:02}Z WARN {a}: {b} threshold exceeded on feeder {n}; \
                 switching to backup path and paging the on-call grid operator",
                rng.below(60),
                rng.below(60)
            ),
            _ => format!("{indent}# {}", sentence(rng, false)),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("```\n\n");
}

/// A table of three to five columns and three to twelve rows with an
/// alignment row.
fn push_table(rng: &mut Rng, out: &mut String) {
    let columns = 3 + rng.below(3);
    let headers = ["Site", "Feeders", "Customers", "Status", "Notes"];
    let aligns = [":---", "---:", "---:", ":---:", "---"];
    out.push('|');
    for header in &headers[..columns] {
        out.push(' ');
        out.push_str(header);
        out.push_str(" |");
    }
    out.push_str("\n|");
    for align in &aligns[..columns] {
        out.push_str(align);
        out.push('|');
    }
    out.push('\n');
    for _ in 0..3 + rng.below(10) {
        out.push('|');
        for column in 0..columns {
            out.push(' ');
            match column {
                0 => out.push_str(rng.pick(SITES)),
                1 | 2 => out.push_str(&rng.below(50_000).to_string()),
                3 => out.push_str(rng.pick(&["restored", "partial", "outage", "monitoring"])),
                _ => out.push_str(&sentence(rng, false)),
            }
            out.push_str(" |");
        }
        out.push('\n');
    }
    out.push('\n');
}
