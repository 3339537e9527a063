//! Any bytes, loaded as Markdown: never a panic, and the result is inert.
#![no_main]

use brief::loader::FormatHint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| brief_fuzz::load(data, FormatHint::Markdown));
