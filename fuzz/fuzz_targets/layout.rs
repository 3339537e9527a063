//! Any text at any width, laid out and drawn at any terminal size after a
//! few keys: see `brief_fuzz::layout` for the input format and the checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| brief_fuzz::layout(data));
