//! What the user typed on the command line (clap derive), nothing more.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// A terminal reader for briefings: the outline beside the text, jumps
/// between sections, keyword highlighting and search.
///
/// With no PATH, opens the `briefings/` folder of the current directory;
/// with `-`, reads the briefing from standard input. When standard output
/// is not a terminal, prints the briefing as plain text instead of drawing
/// the reader.
#[derive(Debug, Clone, Parser)]
#[command(name = "brief", version, about, long_about = None)]
pub struct Cli {
    /// A briefing (Markdown or plain text), a folder of briefings, several
    /// briefings (listed as a folder's are: `brief reports/*.md`), or `-`
    /// to read a briefing from standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

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

    /// Print the outline with keyword hits per section, repeats and read
    /// state, as a Markdown task list or as JSON, and exit.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with_all = ["json", "outline", "suggest"])]
    pub export: Option<ExportArg>,

    /// Print the completion script for SHELL and exit.
    #[arg(long, value_enum, value_name = "SHELL", exclusive = true)]
    pub completions: Option<clap_complete::Shell>,

    /// Print the man page (roff) and exit: `brief --man | man -l -`.
    #[arg(long, exclusive = true)]
    pub man: bool,

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

    /// Refuse files (and standard input) larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = crate::loader::DEFAULT_MAX_BYTES)]
    pub max_size: u64,
}

/// The `PATH` that stands for standard input.
pub const STDIN_PATH: &str = "-";

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Auto,
    Markdown,
    Text,
    /// An HTML page, made into Markdown.
    Html,
}

/// `--export` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportArg {
    /// A Markdown document: the outline as a nested task list.
    Markdown,
    /// JSON, in the shape documented in the README.
    Json,
}
