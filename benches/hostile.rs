//! Pathological inputs at doubling sizes: loading, opening (the first
//! layout) and drawing the first frame must grow about linearly, so each
//! doubling of the input should at most about double the time.
//!
//! Each case runs at `n`, `2n` and `4n` repetitions of its unit with
//! `Throughput::Bytes`, so Criterion reports bytes per second: a flat
//! throughput across the three sizes is linear time, a throughput that
//! halves with each doubling is quadratic. The generators are shared with
//! the tests (`tests/pathological/mod.rs`).
//!
//! Run one case: `cargo bench --bench hostile -- deep_quotes`.

#[path = "../tests/pathological/mod.rs"]
mod pathological;

use std::hint::black_box;
use std::time::Duration;

use brief::app::App;
use brief::keymap::Keymap;
use brief::loader::{FormatHint, load_bytes};
use brief::theme::Theme;
use brief::ui;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Size;

/// A generator and the base number of repetitions for it.
type Generator = fn(usize) -> String;

const CASES: &[(&str, Generator, usize)] = &[
    ("deep_quotes", pathological::deep_quotes, 25_000),
    ("deep_list_inline", pathological::deep_list_inline, 25_000),
    ("deep_brackets", pathological::deep_brackets, 25_000),
    ("deep_emphasis", pathological::deep_emphasis, 25_000),
    ("nested_links", pathological::nested_links, 10_000),
    ("delimiter_runs", pathological::delimiter_runs, 25_000),
    ("unclosed_links", pathological::unclosed_links, 25_000),
    ("open_underscores", pathological::open_underscores, 25_000),
    (
        "reference_definitions",
        pathological::reference_definitions,
        10_000,
    ),
    ("many_headings", pathological::many_headings, 10_000),
    ("wide_table", pathological::wide_table, 1_000),
    ("long_table", pathological::long_table, 5_000),
    ("long_line", pathological::long_line, 500_000),
    ("long_word", pathological::long_word, 500_000),
    ("html_soup", pathological::html_soup, 10_000),
    ("footnote_chain", pathological::footnote_chain, 5_000),
];

/// Load, open at 80×24 and draw the first frame.
fn open_and_draw(bytes: &[u8]) {
    let briefing = load_bytes(bytes, "bench", FormatHint::Markdown).expect("text loads");
    let size = Size {
        width: 80,
        height: 24,
    };
    let app = App::with_briefing(
        None,
        briefing,
        vec!["a".to_owned()],
        Keymap::default(),
        Theme::colored(),
        size,
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    terminal
        .draw(|frame| ui::render(black_box(&app), frame))
        .expect("test backend");
}

fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for &(name, generate, n) in CASES {
        for factor in [1, 2, 4] {
            let text = generate(n * factor);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(BenchmarkId::new(name, factor), &text, |b, text| {
                b.iter(|| open_and_draw(text.as_bytes()));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);
