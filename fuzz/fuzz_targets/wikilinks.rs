//! Link scanning: any body scans without panicking; every link's offset is a place in
//! the body where a link starts, heading ids are unique, and contexts fill in.

#![no_main]

use libfuzzer_sys::fuzz_target;
use spiegel::link::scan::{fill_titles, scan};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let found = scan(body);
    for link in &found.links {
        assert!(body.is_char_boundary(link.offset), "offset {} inside a character", link.offset);
        let at = &body[link.offset..];
        assert!(at.starts_with(['[', '<']), "a link starts at its offset: {at:?}");
        let _ = fill_titles(&link.context, |i| format!("titel {i}"));
    }
    let mut ids: Vec<&str> = found.headings.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "heading ids are unique");
});
