//! Bytes → [`Briefing`]: reading, decoding, sanitising and format sniffing.
//!
//! This module owns the boundary with the file system and with untrusted
//! bytes. It decides whether input is text at all, decodes it to UTF-8,
//! normalises line endings, makes control characters visible, and hands the
//! text to the Markdown or plain-text parser. It never renders and never
//! touches the terminal.

pub(crate) mod markdown;
pub(crate) mod plain;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::briefing::{Briefing, Format, Warning};

/// Files larger than this are refused unless the caller raises the limit.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// Why a file could not be loaded. Every variant names the path.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a text file ({reason})")]
    NotText { path: PathBuf, reason: String },
    #[error(
        "{path}: file is {size} bytes, over the limit of {limit} bytes (raise it with --max-size)"
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path}: is a directory")]
    IsDirectory { path: PathBuf },
}

/// Which parser to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormatHint {
    /// Decide from the extension, then from the content.
    #[default]
    Auto,
    Markdown,
    PlainText,
}

/// How to load a file.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub format: FormatHint,
    pub max_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            format: FormatHint::Auto,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Read and parse the briefing at `path`.
pub fn load_file(path: &Path, options: &LoadOptions) -> Result<Briefing, LoadError> {
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(LoadError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > options.max_bytes {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: options.max_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    fs::File::open(path)
        .and_then(|f| f.take(options.max_bytes + 1).read_to_end(&mut bytes))
        .map_err(io_err)?;
    if bytes.len() as u64 > options.max_bytes {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: options.max_bytes,
        });
    }
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let hint = match options.format {
        FormatHint::Auto => hint_from_extension(path),
        other => other,
    };
    load_bytes(&bytes, &name, hint).map_err(|reason| LoadError::NotText {
        path: path.to_path_buf(),
        reason,
    })
}

fn hint_from_extension(path: &Path) -> FormatHint {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "md" | "markdown" | "mdown" | "mkd" | "mkdn" | "mdwn" => FormatHint::Markdown,
        "txt" | "text" => FormatHint::PlainText,
        _ => FormatHint::Auto,
    }
}

/// Whether a path looks like a briefing by its extension (used to list a
/// directory).
pub fn is_briefing_path(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "md" | "markdown" | "mdown" | "mkd" | "mkdn" | "mdwn" | "txt" | "text"
    )
}

/// Parse bytes that came from `name`. Fails (with a reason) only when the
/// bytes are not text.
pub fn load_bytes(bytes: &[u8], name: &str, hint: FormatHint) -> Result<Briefing, String> {
    let mut warnings = Vec::new();
    let text = decode(bytes, &mut warnings)?;
    let text = normalise(&text);
    let format = match hint {
        FormatHint::Markdown => Format::Markdown,
        FormatHint::PlainText => Format::PlainText,
        FormatHint::Auto => sniff(&text),
    };
    let mut briefing = match format {
        Format::Markdown => markdown::parse(&text.replace('\x0C', "\n"), name),
        Format::PlainText => plain::parse(&text, name),
    };
    warnings.append(&mut briefing.warnings);
    briefing.warnings = warnings;
    Ok(briefing)
}

/// Decode bytes to text: UTF-8 (BOM stripped) or UTF-16 with a BOM. Invalid
/// UTF-8 is replaced and reported once. Refuses binary data.
fn decode(bytes: &[u8], warnings: &mut Vec<Warning>) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok(decode_utf16(rest, u16::from_le_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok(decode_utf16(rest, u16::from_be_bytes));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(pos) = memchr_nul(bytes) {
        return Err(format!("it contains a NUL byte at offset {pos}"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(e) => {
            warnings.push(Warning::new(
                None,
                format!(
                    "invalid UTF-8 at byte offset {}; replaced with U+FFFD",
                    e.valid_up_to()
                ),
            ));
            String::from_utf8_lossy(bytes).into_owned()
        }
    };
    let sample: Vec<char> = text.chars().take(64 * 1024).collect();
    let controls = sample
        .iter()
        .filter(|&&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0C'))
        .count();
    let replaced = sample.iter().filter(|&&c| c == '\u{FFFD}').count();
    let unprintable = controls + replaced;
    if !sample.is_empty() && (controls * 10 > sample.len() || replaced * 10 > sample.len() * 3) {
        return Err(format!(
            "{unprintable} of its first {} characters are unprintable",
            sample.len()
        ));
    }
    Ok(text)
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

fn decode_utf16(bytes: &[u8], from: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| from([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Normalise line endings to `\n` and make control characters visible.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\n' | '\t' | '\x0C' => out.push(c),
            c => out.push(visible(c)),
        }
    }
    out
}

/// The character to show for `c`: control characters become visible symbols
/// (ESC becomes `␛`) so that no document byte can drive the terminal.
pub fn visible(c: char) -> char {
    match c {
        '\0'..='\x1F' => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        '\x7F' => '\u{2421}',
        '\u{80}'..='\u{9F}' => '\u{FFFD}',
        c => c,
    }
}

/// Replace control characters (including tabs and newlines) in a single line
/// of text, e.g. a title or a metadata value.
pub fn sanitize_line(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' | '\x0C' => ' ',
            c => visible(c),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Markdown when the extension says so or when the text has Markdown
/// structure (ATX headings, fences, front matter, links, tables).
fn sniff(text: &str) -> Format {
    let mut score = 0;
    for (i, line) in text.lines().take(400).enumerate() {
        let t = line.trim_start();
        if (i == 0 && (line == "---" || line == "+++"))
            || t.starts_with("```")
            || t.starts_with("~~~")
        {
            score += 3;
        }
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            score += 2;
        }
        if t.contains("](") || (t.starts_with('|') && t.ends_with('|')) || t.starts_with("> ") {
            score += 1;
        }
        if t.contains("**") {
            score += 1;
        }
    }
    if score >= 3 {
        Format::Markdown
    } else {
        Format::PlainText
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_are_refused() {
        let err = load_bytes(b"hello\0world", "x.txt", FormatHint::Auto).unwrap_err();
        assert_eq!(err, "it contains a NUL byte at offset 5");
    }

    #[test]
    fn mostly_unprintable_text_is_refused() {
        let bytes: Vec<u8> = (0..200)
            .map(|i| if i % 3 == 0 { b'a' } else { 0x01 })
            .collect();
        assert!(load_bytes(&bytes, "x", FormatHint::Auto).is_err());
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported_once() {
        let b = load_bytes(b"Title\n\nok \xFF and \xFE\n", "x.txt", FormatHint::Auto).unwrap();
        assert_eq!(
            b.warnings,
            vec![Warning::new(
                None,
                "invalid UTF-8 at byte offset 10; replaced with U+FFFD"
            )]
        );
    }

    #[test]
    fn line_endings_and_controls_are_normalised() {
        assert_eq!(
            normalise("a\r\nb\rc\u{2028}d\x1b[2J"),
            "a\nb\nc\nd\u{241B}[2J"
        );
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Héllo\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let b = load_bytes(&bytes, "x.txt", FormatHint::Auto).unwrap();
        assert_eq!(b.title, "Héllo");
    }

    #[test]
    fn sniffing_tells_markdown_from_plain_text() {
        assert_eq!(
            sniff("# Title\n\nSome *text*.\n\n## More\n"),
            Format::Markdown
        );
        assert_eq!(sniff("Title\n\nJust a paragraph.\n"), Format::PlainText);
    }
}
