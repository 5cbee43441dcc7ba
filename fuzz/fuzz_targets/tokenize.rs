//! The search tokeniser: any text folds and splits without a panic, and every term it
//! hands on is one the index accepts.

#![no_main]

use libfuzzer_sys::fuzz_target;
use spiegel::search::tokenize::{fold, is_term, terms};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let folded = fold(&text);
    for term in terms(&text) {
        assert!(is_term(&term), "{term:?} from {text:?}");
    }
    let _ = terms(&folded);
});
