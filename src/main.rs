//! The `brief` binary: parse the command line, load (all fallible work
//! happens before the terminal changes mode), run the reader or print, and
//! turn errors into one line on stderr and a non-zero exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;
use ratatui::layout::Size;

use brief::app::App;
use brief::cli::{Cli, FormatArg};
use brief::keymap::Keymap;
use brief::keywords::{Keywords, Term, TermOrigin};
use brief::library::Library;
use brief::loader::{self, FormatHint, LoadOptions};
use brief::theme::Theme;
use brief::{output, tui};

fn main() -> ExitCode {
    brief::guard::install_hook();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut message = format!("brief: {e}");
            for cause in e.chain().skip(1) {
                let cause = cause.to_string();
                if !message.contains(&cause) {
                    message.push_str(": ");
                    message.push_str(&cause);
                }
            }
            // Error text can hold document-derived names: keep it inert.
            let message: String = message.chars().map(loader::visible).collect();
            let _ = writeln!(std::io::stderr(), "{message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    let options = LoadOptions {
        format: match cli.format {
            FormatArg::Auto => FormatHint::Auto,
            FormatArg::Markdown => FormatHint::Markdown,
            FormatArg::Text => FormatHint::PlainText,
        },
        max_bytes: cli.max_size,
    };
    let terms = collect_terms(cli)?;
    let path = if let Some(p) = &cli.path {
        p.clone()
    } else {
        let default = PathBuf::from("briefings");
        if !default.is_dir() {
            bail!(
                "no briefing given and no ./briefings folder here; try `brief FILE` or `brief --help`"
            );
        }
        default
    };
    let interactive = std::io::stdout().is_terminal() && !cli.outline && !cli.json;
    let mut stdout = std::io::stdout().lock();
    if path.is_dir() {
        let library = Library::scan(&path, &options)?;
        if !interactive {
            let text = if cli.json {
                output::library_json(&library)
            } else {
                output::library_text(&library)
            };
            write_out(&mut stdout, &text)?;
            return Ok(());
        }
        let app = App::with_library(
            library,
            terms,
            Keymap::default(),
            Theme::from_env(),
            terminal_size(),
        );
        tui::run(app, &options).context("terminal error")?;
        return Ok(());
    }
    let briefing = loader::load_file(&path, &options)?;
    if !interactive {
        let reader = brief::app::Reader::new(Some(path.clone()), briefing, &terms);
        let keywords: &Keywords = &reader.keywords;
        let text = if cli.json {
            output::json(&reader.briefing, keywords)
        } else if cli.outline {
            output::outline_text(&reader.briefing, keywords)
        } else {
            output::plain_text(&reader.briefing, cli.width)
        };
        write_out(&mut stdout, &text)?;
        return Ok(());
    }
    let app = App::with_briefing(
        Some(path),
        briefing,
        terms,
        Keymap::default(),
        Theme::from_env(),
        terminal_size(),
    );
    tui::run(app, &options).context("terminal error")?;
    Ok(())
}

fn terminal_size() -> Size {
    crossterm::terminal::size().map_or(
        Size {
            width: 80,
            height: 24,
        },
        |(width, height)| Size { width, height },
    )
}

/// Write output, treating a closed pipe (`brief x | head`) as success.
fn write_out(out: &mut impl Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing output"),
    }
}

fn collect_terms(cli: &Cli) -> Result<Vec<Term>> {
    let mut terms: Vec<Term> = cli
        .keywords
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(|t| Term::new(t, TermOrigin::CommandLine))
        .collect();
    if let Some(file) = &cli.keywords_file {
        terms.extend(
            read_terms(file)?
                .into_iter()
                .map(|t| Term::new(t, TermOrigin::File)),
        );
    }
    for term in &terms {
        if let Err(e) = brief::highlight::validate(&term.text) {
            bail!("keyword `{}`: {e}", term.text);
        }
    }
    Ok(terms)
}

fn read_terms(file: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("{}", file.display()))?;
    Ok(text
        .lines()
        .map(|l| l.split_once('#').map_or(l, |(before, _)| before).trim())
        .filter(|l| !l.is_empty())
        .map(loader::sanitize_line)
        .collect())
}
