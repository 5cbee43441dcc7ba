//! Front matter splitting and parsing: any text splits without panicking, the pieces
//! are where `split` says, and YAML errors point inside the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use spiegel::load::frontmatter::{locate_item, locate_key, parse, split, Unclosed};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let split = match split(text) {
        Ok(split) => split,
        Err(Unclosed) => {
            assert!(text.starts_with("---"), "only a file that opens front matter is unclosed");
            return;
        }
    };
    assert!(text.is_char_boundary(split.body_start) && split.body_start <= text.len());
    let Some(yaml) = split.yaml else {
        assert_eq!(split.body_start, 0);
        return;
    };
    let yaml_start = yaml.as_ptr() as usize - text.as_ptr() as usize;
    assert!(yaml_start + yaml.len() <= split.body_start, "the YAML lies before the body");
    let lines = text.lines().count().max(1);
    match parse(yaml, split.yaml_line, std::path::Path::new("content/x.md")) {
        Ok(map) => {
            for (key, value) in &map {
                let _ = locate_key(yaml, key);
                let items = value.as_array().map_or(&[][..], Vec::as_slice);
                for item in items.iter().filter_map(|v| v.as_str()) {
                    let _ = locate_item(yaml, key, item);
                }
            }
        }
        Err(d) => {
            assert!(
                d.line >= 1 && d.line <= lines + 1,
                "line {} of {lines}: {}",
                d.line,
                d.message.text(spiegel::diag::Lang::En)
            );
            let d = d.with_source(text);
            for lang in spiegel::diag::Lang::ALL {
                let _ = d.in_language(lang).to_string();
            }
        }
    }
});
