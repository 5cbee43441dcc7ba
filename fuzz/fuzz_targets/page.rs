//! The whole pipeline for one page: bytes as a Markdown file in a small site on disk,
//! through the same `render_site` as `spiegel build` (load, link, Markdown, templates,
//! listings, search). It must never panic, and with sanitising on, no rendered body
//! may carry markup that runs script (see `spiegel_fuzz::check`).

#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;

const SITE_YAML: &str = "title: Fuzz </script><script>alert(1)</script>\n\
html:\n  allow_iframe_origins: [\"https://www.youtube-nocookie.com\"]\n";

/// Pages beside the fuzzed one, so links, references and the graph have targets.
const OTHERS: &[(&str, &str)] = &[
    (
        "bouwstenen/coaching.md",
        "---\ntitle: Coaching\nnummer: 1\nbron: b\n---\n# Coaching\n\n## Rol\n\nZie [[team]].\n",
    ),
    ("bouwstenen/team.md", "---\ntitle: Team\nnummer: 2\nbron: b\n---\nMet [[coaching#rol]].\n"),
    ("over.md", "# Over\n\nNaar [[coaching]].\n"),
];

const FOLDERS: [&str; 6] =
    ["", "bouwstenen/", "inspiratie/", "visie/", "methodieken/", "notities/"];

/// A site folder, made once per process; each input replaces `content/<folder>fuzz.md`.
struct Fixture {
    sanitized: std::path::PathBuf,
    trusted: std::path::PathBuf,
    last: Mutex<Option<std::path::PathBuf>>,
}

fn site(name: &str, site_yaml: &str) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("spiegel-fuzz-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in OTHERS {
        let file = root.join("content").join(path);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("the fuzz site");
        std::fs::write(file, text).expect("the fuzz site");
    }
    std::fs::write(root.join("site.yaml"), site_yaml).expect("the fuzz site");
    root
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| Fixture {
        sanitized: site("sanitized", SITE_YAML),
        trusted: site("trusted", &format!("{SITE_YAML}  sanitize: false\n")),
        last: Mutex::new(None),
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let fixture = fixture();
    let sanitized = selector & 0x80 == 0;
    let root = if sanitized { &fixture.sanitized } else { &fixture.trusted };
    let rel = format!("{}fuzz.md", FOLDERS[usize::from(selector & 0x7F) % FOLDERS.len()]);
    let file = root.join("content").join(&rel);
    let mut last = fixture.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(previous) = last.take() {
        let _ = std::fs::remove_file(previous);
    }
    std::fs::create_dir_all(file.parent().expect("a folder")).expect("the fuzz site");
    std::fs::write(&file, bytes).expect("the fuzz page");
    *last = Some(file);
    // The same pipeline `spiegel build` runs; problems are diagnostics, never a panic.
    let rendered = match spiegel::render_site(root, &mut spiegel::Timings::default()) {
        Ok(rendered) => rendered,
        Err(diagnostics) => {
            for lang in spiegel::diag::Lang::ALL {
                let _ = diagnostics.in_language(lang).to_string();
            }
            return;
        }
    };
    if sanitized {
        for file in &rendered.files {
            let spiegel::write::Content::Bytes(bytes) = &file.content else { continue };
            if !file.path.ends_with(".html") {
                continue;
            }
            // The theme's own scripts, forms and buttons are not the writer's: check the
            // page bodies, the HTML that comes from the fuzzed Markdown.
            let html = String::from_utf8_lossy(bytes);
            for body in bodies(&html) {
                if let Err(problem) = spiegel_fuzz::check(body) {
                    panic!("{problem} in {}:\n{body}", file.path);
                }
            }
        }
    }
});

/// The rendered Markdown bodies of a page: each `<div class="content">` up to its end.
fn bodies(html: &str) -> impl Iterator<Item = &str> {
    const START: &str = "<div class=\"content\">";
    html.match_indices(START).map(move |(at, _)| {
        let body = &html[at + START.len()..];
        body.find("</div>\n").map_or(body, |end| &body[..end])
    })
}
