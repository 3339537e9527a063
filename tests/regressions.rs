//! Every input the fuzzers found a crash with, replayed through the same
//! code the fuzz targets run (`fuzz/src/lib.rs`, included here as a
//! module): loaded as Markdown and as plain text, and laid out and drawn.
//!
//! A crash input goes into `tests/regressions/` under a name that says what
//! it broke; nothing else needs to change for it to be tested.

#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::path::Path;

use brief::loader::FormatHint;

#[test]
fn every_kept_fuzz_crash_input_now_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/regressions exists")
        .map(|e| e.expect("directory entry").path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    for path in inputs {
        let data = std::fs::read(&path).expect("input readable");
        let name = path.display();
        let outcome = std::panic::catch_unwind(|| {
            fuzz::load(&data, FormatHint::Markdown);
            fuzz::load(&data, FormatHint::PlainText);
            fuzz::layout(&data);
        });
        assert!(outcome.is_ok(), "{name} fails again");
    }
}

/// The first crash the layout fuzzer found, spelled out: a 7-row terminal
/// (6 rows above the status bar) with the keyword panel open asked for a
/// panel of at least 3 and at most 2 rows.
#[test]
fn keyword_panel_fits_a_terminal_of_seven_or_eight_rows() {
    for rows in 1..=12 {
        let mut data = vec![50, 80, rows - 1, 0];
        data.extend_from_slice(b"# Title\n\nthe a text\n");
        fuzz::layout(&data);
    }
}
