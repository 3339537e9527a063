//! Any bytes, loaded as plain text: never a panic, and the result is inert.
#![no_main]

use brief::loader::{FormatHint, load_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(briefing) = load_bytes(data, "f", FormatHint::PlainText) {
        brief_fuzz::check_briefing(&briefing);
    }
});
