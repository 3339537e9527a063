//! Benchmarks of the core paths on large generated briefings: loading,
//! keyword matching, layout, drawing a frame and the cost of one keypress.
//!
//! The inputs are made in-process by the generators in `gen` from a fixed
//! seed, so every run measures the same bytes and nothing is read from disk.
//! A smaller briefing is a prefix of a larger one, so the `scaling` group
//! compares documents of the same make-up. Big inputs are built once, on
//! first use, so a filtered run (`cargo bench --bench core -- wrap`) only
//! builds what it needs.
//!
//! What each group shows:
//! - `load`, `scaling`: bytes → `Briefing`; time should grow linearly.
//! - `keywords`, `wrap`: whole-document passes (done on open, or never).
//! - `frame`, `keypress`: work per screen; should not depend on the size of
//!   the document (compare `keypress/next_section_1mb` with `_10mb`).
//! - `outline`: the tree facts of every section, derived once per load.
//! - `search`: every match of a word at the very end (the background job)
//!   and one key's budgeted pass while typing (bounded at any size).
//! - `scaling` ends with the doubling check: 8 MB against 4 MB, printed.

use std::hint::black_box;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use brief::app::{App, Message};
use brief::briefing::{Block, Briefing, Outline};
use brief::keymap::{Key, Keymap};
use brief::keywords::Keywords;
use brief::layout::{SectionView, layout_section};
use brief::loader::{FormatHint, load_bytes};
use brief::search::Search;
use brief::theme::Theme;
use brief::ui;
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Size;

mod r#gen;

use r#gen::{KEYWORDS, markdown_briefing, plain_briefing};

const MB: usize = 1024 * 1024;

static MARKDOWN_10MB: LazyLock<String> = LazyLock::new(|| markdown_briefing(10 * MB));
static PLAIN_10MB: LazyLock<String> = LazyLock::new(|| plain_briefing(10 * MB));
static BRIEFING_10MB: LazyLock<Briefing> = LazyLock::new(|| load_markdown(&MARKDOWN_10MB));

fn load_markdown(text: &str) -> Briefing {
    load_bytes(text.as_bytes(), "bench.md", FormatHint::Markdown)
        .expect("generated Markdown is valid UTF-8 text")
}

fn terms() -> Vec<String> {
    KEYWORDS.iter().map(|&t| t.to_owned()).collect()
}

/// Bytes of text the reader matches and lays out: every title and block.
fn text_bytes(briefing: &Briefing) -> u64 {
    briefing
        .sections
        .iter()
        .map(|s| s.title.len() + s.blocks.iter().map(|b| b.text.len()).sum::<usize>())
        .sum::<usize>() as u64
}

/// An app over `briefing` at 120×40 and a test terminal of the same size.
fn app_and_terminal(briefing: Briefing) -> (App, Terminal<TestBackend>) {
    let app = App::with_briefing(
        None,
        briefing,
        terms(),
        Keymap::default(),
        Theme::colored(),
        Size::new(120, 40),
    );
    let Ok(terminal) = Terminal::new(TestBackend::new(120, 40));
    (app, terminal)
}

fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    let Ok(frame) = terminal.draw(|frame| ui::render(app, frame));
    black_box(frame);
}

/// Configure a group for inputs that take a good part of a second each.
fn slow_group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group
}

fn load(c: &mut Criterion) {
    let mut group = slow_group(c, "load");
    for (name, text, hint) in [
        ("markdown_10mb", &*MARKDOWN_10MB, FormatHint::Markdown),
        ("plain_10mb", &*PLAIN_10MB, FormatHint::PlainText),
    ] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| load_bytes(black_box(text.as_bytes()), "bench", hint));
        });
    }
    group.finish();
}

/// A thousand watched terms: the five real ones, words and phrases that
/// occur in the generated text, and made-up names that do not.
fn thousand_terms() -> Vec<String> {
    let mut list = terms();
    let words = [
        "council", "budget", "outage", "supply", "network", "minister", "report", "agency",
        "pressure", "capacity",
    ];
    for (i, w) in words.iter().cycle().take(200).enumerate() {
        list.push(if i < words.len() {
            (*w).to_owned()
        } else {
            format!("{w} {i}")
        });
    }
    while list.len() < 1000 {
        list.push(format!("Name{} Surname{}", list.len(), list.len() * 7));
    }
    list
}

fn keywords(c: &mut Criterion) {
    let briefing = &*BRIEFING_10MB;
    let mut group = slow_group(c, "keywords");
    group.throughput(Throughput::Bytes(text_bytes(briefing)));
    group.bench_function("match_10mb_5_terms", |b| {
        b.iter(|| Keywords::new(terms(), black_box(briefing), false));
    });
    group.bench_function("match_10mb_1000_terms", |b| {
        b.iter(|| Keywords::new(thousand_terms(), black_box(briefing), false));
    });
    group.finish();
    // With 1,000 terms watched, a key press still styles only the screen.
    let mut group = c.benchmark_group("keywords_frame");
    let app = App::with_briefing(
        None,
        BRIEFING_10MB.clone(),
        thousand_terms(),
        Keymap::default(),
        Theme::colored(),
        Size::new(120, 40),
    );
    let Ok(mut terminal) = Terminal::new(TestBackend::new(120, 40));
    group.bench_function("draw_120x40_1000_terms_10mb", |b| {
        b.iter(|| draw(&app, &mut terminal));
    });
    group.finish();
}

fn wrap(c: &mut Criterion) {
    let briefing = &*BRIEFING_10MB;
    let outline = Outline::new(&briefing.sections);
    let mut group = slow_group(c, "wrap");
    // A pass takes about half a second: ten samples need more than 4 s.
    group.measurement_time(Duration::from_secs(7));
    group.throughput(Throughput::Bytes(text_bytes(briefing)));
    for width in [40, 80, 160] {
        group.bench_function(width.to_string(), |b| {
            b.iter(|| {
                let mut lines = 0;
                for (section, entry) in briefing.sections.iter().zip(&outline.entries) {
                    let view = SectionView {
                        number: &entry.number,
                        section,
                        children: &[],
                        next: None,
                        hide_repeats: false,
                    };
                    lines += layout_section(black_box(&view), width).len();
                }
                lines
            });
        });
    }
    group.finish();
}

fn frame(c: &mut Criterion) {
    let (app, mut terminal) = app_and_terminal(BRIEFING_10MB.clone());
    let mut group = c.benchmark_group("frame");
    group.bench_function("draw_120x40", |b| {
        b.iter(|| draw(black_box(&app), &mut terminal));
    });
    group.finish();
}

fn keypress(c: &mut Criterion) {
    let next = Key::parse("]").expect("`]` is a key name");
    let small = load_markdown(&markdown_briefing(MB));
    let mut group = c.benchmark_group("keypress");
    for (name, briefing) in [
        ("next_section_1mb", small),
        ("next_section_10mb", BRIEFING_10MB.clone()),
    ] {
        assert!(briefing.sections.len() > 1, "`]` needs somewhere to go");
        let (mut app, mut terminal) = app_and_terminal(briefing);
        group.bench_function(name, |b| {
            // `]` on the last section does nothing, so go back to the first
            // one whenever the end is reached, outside the timed part.
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let mut left = iters;
                while left > 0 {
                    let reader = app
                        .reader
                        .as_ref()
                        .expect("the app was built on a briefing");
                    let room = (reader.section_count() - 1 - reader.selected) as u64;
                    if room == 0 {
                        app.select(0);
                        continue;
                    }
                    let steps = left.min(room);
                    let start = Instant::now();
                    for _ in 0..steps {
                        black_box(app.update(Message::Key(next)));
                        draw(&app, &mut terminal);
                    }
                    total += start.elapsed();
                    left -= steps;
                }
                total
            });
        });
    }
    group.finish();
}

fn outline(c: &mut Criterion) {
    let briefing = &*BRIEFING_10MB;
    let mut group = c.benchmark_group("outline");
    group.bench_function("tree_10mb", |b| {
        b.iter(|| Outline::new(black_box(&briefing.sections)));
    });
    group.finish();
}

/// A word that is only in the last section: what a search of the whole
/// briefing costs (the background job), and what a key costs while typing
/// it (one budgeted pass, whatever the size).
fn search(c: &mut Criterion) {
    let mut briefing = BRIEFING_10MB.clone();
    if let Some(last) = briefing.sections.last_mut() {
        last.blocks
            .push(Block::paragraph("The very end mentions zyxwvutsrq once."));
    }
    let mut group = slow_group(c, "search");
    group.throughput(Throughput::Bytes(text_bytes(&briefing)));
    // The background job as the reader runs it (on its threads).
    let job = Search::start("zyxwvutsrq", &briefing, false, (0, 0))
        .pending
        .expect("10 MB is more than one key searches")
        .job;
    group.bench_function("all_matches_10mb", |b| {
        b.iter(|| job.run(black_box(&briefing)));
    });
    group.bench_function("key_while_typing_10mb", |b| {
        b.iter(|| Search::start(black_box("zyxwvutsrq"), &briefing, false, (0, 0)));
    });
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let mut group = slow_group(c, "scaling");
    for (format, generate, hint) in [
        (
            "markdown",
            markdown_briefing as fn(usize) -> String,
            FormatHint::Markdown,
        ),
        ("plain", plain_briefing, FormatHint::PlainText),
    ] {
        for mb in [2, 4, 8] {
            let text = generate(mb * MB);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_function(format!("load_{format}_{mb}mb"), |b| {
                b.iter(|| load_bytes(black_box(text.as_bytes()), "bench", hint));
            });
        }
    }
    group.finish();
    doubling_check();
}

/// The doubling check: loading twice the text should take about twice the
/// time. Medians of five loads of 4 and 8 MB, printed with their ratio and
/// flagged above 2.5× (a warning, not a failure: on a shared machine one
/// run can be unlucky; criterion's `scaling` figures above are the record).
fn doubling_check() {
    // Only when the scaling group runs: not in test mode, not when a
    // filter picks other benches.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let picked = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .all(|f| "scaling".contains(f.as_str()) || f.contains("scaling"));
    if args.iter().any(|a| a == "--test" || a == "--list") || !picked {
        return;
    }
    let median = |text: &str, hint| {
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                let start = Instant::now();
                black_box(load_bytes(text.as_bytes(), "bench", hint).ok());
                start.elapsed()
            })
            .collect();
        times.sort();
        times[2]
    };
    for (format, generate, hint) in [
        (
            "markdown",
            markdown_briefing as fn(usize) -> String,
            FormatHint::Markdown,
        ),
        ("plain", plain_briefing, FormatHint::PlainText),
    ] {
        let small = median(&generate(4 * MB), hint);
        let large = median(&generate(8 * MB), hint);
        let ratio = large.as_secs_f64() / small.as_secs_f64();
        let verdict = if ratio <= 2.5 { "ok" } else { "SUPERLINEAR" };
        println!(
            "doubling check, {format} load: 4 MB {small:.1?}, 8 MB {large:.1?}: {ratio:.2}x ({verdict})"
        );
    }
}

criterion_group!(
    benches, load, outline, keywords, search, wrap, frame, keypress, scaling
);
criterion_main!(benches);
