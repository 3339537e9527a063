//! What the user typed on the command line (clap derive), nothing more.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// A terminal reader for briefings: the outline beside the text, jumps
/// between sections, keyword highlighting and search.
///
/// With no PATH, opens the `briefings/` folder of the current directory.
/// When standard output is not a terminal, prints the briefing as plain
/// text instead of drawing the reader.
#[derive(Debug, Clone, Parser)]
#[command(name = "brief", version, about, long_about = None)]
pub struct Cli {
    /// A briefing (Markdown or plain text) or a folder of briefings.
    pub path: Option<PathBuf>,

    /// Highlight TERM (a word or a phrase); repeat for more terms.
    #[arg(short = 'k', long = "keyword", value_name = "TERM")]
    pub keywords: Vec<String>,

    /// Read terms to highlight from FILE, one per line; `#` starts a comment.
    #[arg(long = "keywords", value_name = "FILE")]
    pub keywords_file: Option<PathBuf>,

    /// Highlight the terms of the watch list NAME from the config file;
    /// repeat for more lists.
    #[arg(short = 'w', long = "watch", value_name = "NAME")]
    pub watch: Vec<String>,

    /// Read settings from FILE instead of the platform config directory
    /// (`~/.config/brief/config.toml` on Linux).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Treat lines matching REGEX as headings (for odd plain-text files).
    #[arg(long, value_name = "REGEX")]
    pub heading: Option<String>,

    /// Print the suggested key terms of the briefing with their counts and
    /// exit.
    #[arg(long, conflicts_with_all = ["json", "outline"])]
    pub suggest: bool,

    /// Print the numbered outline (with keyword hit counts) and exit.
    #[arg(long, conflicts_with = "json")]
    pub outline: bool,

    /// Print the parsed briefing as JSON and exit.
    #[arg(long)]
    pub json: bool,

    /// Parse as this format instead of guessing from the name and content.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,

    /// Wrap plain-text output at this many columns.
    #[arg(long, value_name = "COLUMNS", default_value_t = 80)]
    pub width: usize,

    /// Start at the top instead of where you left off last time (read marks
    /// and bookmarks are kept).
    #[arg(long)]
    pub fresh: bool,

    /// Refuse files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = crate::loader::DEFAULT_MAX_BYTES)]
    pub max_size: u64,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Auto,
    Markdown,
    Text,
}
