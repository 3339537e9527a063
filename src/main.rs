//! The `brief` binary: parse the command line, load (all fallible work
//! happens before the terminal changes mode), run the reader or print, and
//! turn errors into one line on stderr and a non-zero exit code.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;
use ratatui::layout::Size;

use brief::app::{App, Reader};
use brief::background::Pipe;
use brief::briefing::Briefing;
use brief::cli::{Cli, ExportArg, FormatArg, STDIN_PATH};
use brief::keymap::Keymap;
use brief::keywords::{Keywords, Term, TermOrigin};
use brief::library::Library;
use brief::loader::{self, FormatHint, LoadOptions, StreamName, StreamStart};
use brief::state::{self, Store};
use brief::theme::Theme;
use brief::{config, manual, output, tui, watch};

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
    // These need nothing else: no briefing, no config.
    if let Some(shell) = cli.completions {
        return write_out(&mut std::io::stdout().lock(), &manual::completions(shell));
    }
    if cli.man {
        return write_out(&mut std::io::stdout().lock(), &manual::man_page());
    }
    let options = LoadOptions {
        format: match cli.format {
            FormatArg::Auto => FormatHint::Auto,
            FormatArg::Markdown => FormatHint::Markdown,
            FormatArg::Text => FormatHint::PlainText,
            FormatArg::Html => FormatHint::Html,
        },
        max_bytes: cli.max_size,
        heading: cli
            .heading
            .as_deref()
            .map(|pattern| {
                regex::Regex::new(pattern).with_context(|| format!("--heading {pattern:?}"))
            })
            .transpose()?,
        ..LoadOptions::default()
    };
    let config = config::load(cli.config.as_deref())?;
    let keymap = config.keymap()?;
    let theme = config.theme(Theme::from_env());
    let mut terms = collect_terms(cli)?;
    for (text, color) in config.watch_terms(&cli.watch)? {
        let mut term = Term::new(text, TermOrigin::Watch(cli.watch.join(", ")));
        term.color = color;
        terms.push(term);
    }
    let interactive = std::io::stdout().is_terminal()
        && !cli.outline
        && !cli.json
        && !cli.suggest
        && cli.export.is_none();
    let mut stdout = std::io::stdout().lock();
    let several = matches!(cli.paths.as_slice(), [_, _, ..]);
    let path = cli.paths.first();
    if !several && path.map(PathBuf::as_path) == Some(Path::new(STDIN_PATH)) {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            bail!(
                "`-` reads a briefing from standard input, but it is a terminal; pipe one in: `cat FILE | brief -`"
            );
        }
        if !interactive {
            let briefing = loader::load_stdin(stdin.lock(), &options)?;
            return write_parts(&mut stdout, &printed(cli, None, briefing, &terms));
        }
        // Keys come from the terminal: crossterm reads /dev/tty when
        // standard input is not one.
        let app = stream_app(terms, keymap, theme, config.max_width);
        return read_stream(Box::new(stdin), &StreamName::stdin(), &options, app);
    }
    let path = if let Some(p) = path {
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
    let listed = if several {
        let library = list_of_files(cli, &options, interactive)?;
        Some((format!("{} briefings", library.entries.len()), library))
    } else if path.is_dir() {
        if cli.export.is_some() {
            bail!(
                "{}: is a folder; --export takes one briefing",
                path.display()
            );
        }
        // The reader lists the folder at once from the first screenful of
        // each file and counts the outlines of larger ones after.
        let library = if interactive {
            Library::scan_first(&path, &options)?
        } else {
            Library::scan(&path, &options)?
        };
        Some((path.display().to_string(), library))
    } else {
        None
    };
    if let Some((label, library)) = listed {
        return show_library(
            cli,
            &options,
            library,
            &label,
            interactive,
            (terms, keymap, theme, config.max_width),
        );
    }
    if !interactive {
        // Repeats are marked by `printed`, only for what shows them.
        let briefing = loader::load_file_unmarked(&path, &options)?;
        return write_parts(&mut stdout, &printed(cli, Some(&path), briefing, &terms));
    }
    if loader::is_stream_path(&path) {
        // A named pipe (`brief <(command)`): its size says nothing, so it
        // is read as standard input is, and not remembered either.
        let (file, name, options) = loader::open_stream(&path, &options)?;
        let app = stream_app(terms, keymap, theme, config.max_width);
        return read_stream(Box::new(file), &name, &options, app);
    }
    // A large file shows its first screenful at once; the rest loads in
    // the background. Errors in that first part are reported here, before
    // the terminal changes mode.
    let stamp = watch::Stamp::of(&path);
    let (briefing, complete) = loader::load_preview(&path, &options, loader::PREVIEW_BYTES)?;
    let startup = (!complete).then(|| tui::Startup::Load(tui::Load::of(path.clone())));
    let store = Store::locate();
    let recall = store.as_ref().map(|s| s.recall(&path)).unwrap_or_default();
    let app = App::with_briefing(
        Some(path.clone()),
        briefing,
        terms,
        keymap,
        theme,
        terminal_size(),
    );
    let mut app = App {
        max_width: config.max_width,
        ..app
    }
    .with_memory(recall.memory, !cli.fresh);
    if let Some(reader) = &mut app.reader {
        reader.stamp = stamp;
    }
    if !recall.warnings.is_empty() {
        app.notice = Some(recall.warnings.join("; "));
    }
    tui::run(app, &options, startup, store.as_ref()).context("terminal error")?;
    Ok(())
}

/// How long the first screen of a stream waits, once something has come,
/// for a screenful or the end: a command that prints as it goes shows its
/// first lines this soon.
const STREAM_PATIENCE: std::time::Duration = std::time::Duration::from_millis(150);

/// How long a stream's writer must stop, once the first screen is shown,
/// for what it wrote so far to be shown.
const STREAM_PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

/// Open the reader on a stream: like a large file, on its first screenful
/// as soon as that has come, the rest read in the background (a pipe's
/// writer may take its time). Errors in that first part are reported here,
/// before the terminal changes mode. `app` makes the reader's app.
fn read_stream(
    input: Box<dyn Read + Send>,
    name: &StreamName,
    options: &LoadOptions,
    app: impl FnOnce(Briefing) -> App,
) -> Result<()> {
    // Once something has come, the first screen waits this long at most
    // for a screenful or the end.
    let mut pipe = Pipe::spawn(input, STREAM_PATIENCE);
    let start = loader::load_stream_start(&mut pipe, name, options, loader::PREVIEW_BYTES)?;
    // From here, a writer that stops for a moment has what it wrote so far
    // shown (see `loader::Growth`).
    pipe.time_pauses(STREAM_PAUSE);
    let (briefing, startup) = match start {
        StreamStart::Whole(briefing) => (briefing, None),
        StreamStart::Part { preview, head } => {
            let load = tui::Load::of_stream(head, Box::new(pipe), name.clone());
            (preview, Some(tui::Startup::Load(load)))
        }
    };
    tui::run(app(briefing), options, startup, None).context("terminal error")
}

/// A list of briefings (a folder's, or the files named): printed, or
/// shown in the reader. `label` names it in errors.
fn show_library(
    cli: &Cli,
    options: &LoadOptions,
    library: Library,
    label: &str,
    interactive: bool,
    (terms, keymap, theme, max_width): (Vec<Term>, Keymap, Theme, usize),
) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    if let Some(first) = library.entries.iter().find(|e| e.error.is_some())
        && library.entries.iter().all(|e| e.error.is_some())
    {
        let name = first.path.file_name().unwrap_or_default().to_string_lossy();
        let error = first.error.as_deref().unwrap_or_default();
        bail!(
            "{label}: no readable briefings ({} tried; {name}: {error})",
            library.entries.len()
        );
    }
    if !interactive {
        let text = if cli.json {
            output::library_json(&library)
        } else {
            output::library_text(&library)
        };
        write_out(&mut stdout, &text)?;
        return Ok(());
    }
    let store = Store::locate();
    let read = store.as_ref().map(|s| {
        let paths: Vec<PathBuf> = library.entries.iter().map(|e| e.path.clone()).collect();
        s.read_marks(&paths)
    });
    let app = App::with_library(library, terms, keymap, theme, terminal_size());
    let mut app = App { max_width, ..app };
    if let Some(read) = read {
        app.set_library_read(&read);
    }
    let startup = app.library.as_ref().and_then(|view| {
        let partial = view.library.partial();
        (!partial.is_empty()).then(|| tui::Startup::Library(partial, view.hold.clone()))
    });
    tui::run(app, options, startup, store.as_ref()).context("terminal error")?;
    Ok(())
}

/// The files named on the command line, listed (see
/// [`Library::files_first`]). Each must be a file: a folder or `-` among
/// several is refused, as is `--export`, which takes one briefing.
fn list_of_files(cli: &Cli, options: &LoadOptions, interactive: bool) -> Result<Library> {
    if cli.export.is_some() {
        bail!("--export takes one briefing, not {}", cli.paths.len());
    }
    for path in &cli.paths {
        if path.as_path() == Path::new(STDIN_PATH) {
            bail!("`-` (standard input) cannot be listed with other briefings");
        }
        let meta = std::fs::metadata(path).with_context(|| format!("{}", path.display()))?;
        if meta.is_dir() {
            bail!(
                "{}: is a folder; give one folder, or briefings",
                path.display()
            );
        }
    }
    Ok(if interactive {
        Library::files_first(&cli.paths, options)
    } else {
        Library::files(&cli.paths, options)
    })
}

/// How [`read_stream`] makes the reader's app: no path (nothing to
/// remember it by), the terms, keys, colours and width as for a file.
fn stream_app(
    terms: Vec<Term>,
    keymap: Keymap,
    theme: Theme,
    max_width: usize,
) -> impl FnOnce(Briefing) -> App {
    move |briefing| App {
        max_width,
        ..App::with_briefing(None, briefing, terms, keymap, theme, terminal_size())
    }
}

/// What `brief` prints instead of drawing the reader, for one briefing
/// from `path` (`None`: standard input), loaded with its repeats not yet
/// marked, in parts to write one after the other (the text of a large
/// briefing is laid out in two halves).
fn printed(cli: &Cli, path: Option<&Path>, mut briefing: Briefing, terms: &[Term]) -> Vec<String> {
    // `--export` first, then `--suggest`, `--json`, `--outline`, the text.
    if cli.export.is_none() && (cli.suggest || !shows_keywords_or_repeats(cli)) {
        // Neither needs the keyword counts (50 MiB: 0.2 s) nor the reader.
        return if cli.suggest {
            vec![output::suggestions_text(&brief::suggest::suggest(
                &briefing, 30,
            ))]
        } else {
            output::plain_text_parts(&briefing, cli.width)
        };
    }
    // Shown in the outline and counted out of the keyword hits (50 MiB:
    // 0.35 s, which the text and the suggestions do without).
    brief::repeat::mark(&mut briefing);
    let reader = Reader::new(path.map(Path::to_path_buf), briefing, terms);
    let keywords: &Keywords = &reader.keywords;
    if let Some(format) = cli.export {
        // Read marks per section, by index, as remembered for this file.
        let read = path
            .zip(Store::locate())
            .map(|(p, store)| state::read_sections(&reader.briefing, &store.recall(p).memory.read))
            .unwrap_or_default();
        let export = output::Export::new(&reader.briefing, keywords, path, &read);
        return vec![match format {
            ExportArg::Markdown => export.markdown(),
            ExportArg::Json => export.json(),
        }];
    }
    vec![if cli.json {
        output::json(
            &reader.briefing,
            keywords,
            &brief::suggest::suggest(&reader.briefing, 30),
        )
    } else {
        output::outline_text(&reader.briefing, keywords)
    }]
}

/// Whether what `brief` prints instead of drawing the reader shows keyword
/// counts and repeats (`--export`, `--json`, `--outline`); the text and
/// `--suggest` show neither.
fn shows_keywords_or_repeats(cli: &Cli) -> bool {
    cli.export.is_some() || cli.json || cli.outline
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

/// [`write_out`] each of `parts` in turn.
fn write_parts(out: &mut impl Write, parts: &[String]) -> Result<()> {
    parts.iter().try_for_each(|part| write_out(out, part))
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
