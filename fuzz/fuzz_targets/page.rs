//! The whole pipeline for one page: bytes as a Markdown file in a small site, through
//! load, link, Markdown and the default theme. It must never panic, and with
//! sanitising on, no page may carry markup that runs script (see `spiegel_fuzz::check`).

#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use spiegel::config::Config;
use spiegel::diag::Diagnostics;
use spiegel::render::theme::Theme;
use spiegel::{link, load, render};

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

struct Fixture {
    sanitized: Config,
    trusted: Config,
    theme: Mutex<Theme>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let path = std::path::Path::new("site.yaml");
        let sanitized = spiegel::config::parse(SITE_YAML, path).expect("the fuzz site.yaml");
        let mut trusted = sanitized.clone();
        trusted.html.sanitize = false;
        // A root without themes/ or templates/: the built-in default theme.
        let root = std::path::Path::new("/nonexistent/spiegel-fuzz-site");
        let theme = render::theme::load(root, &sanitized, &mut Diagnostics::new())
            .expect("the built-in theme compiles");
        Fixture { sanitized, trusted, theme: Mutex::new(theme) }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let fixture = fixture();
    let config = if selector & 0x80 == 0 { &fixture.sanitized } else { &fixture.trusted };
    let rel = format!("{}fuzz.md", FOLDERS[usize::from(selector & 0x7F) % FOLDERS.len()]);
    let mut diagnostics = Diagnostics::new();
    let mut pages = Vec::new();
    for (other, text) in OTHERS {
        let (page, problems) = load::load_page(other, text.as_bytes().to_vec(), config);
        assert!(problems.is_empty(), "{problems:?}");
        pages.extend(page);
    }
    let (page, problems) = load::load_page(&rel, bytes.to_vec(), config);
    for problem in &problems {
        let _ = problem.to_string();
    }
    diagnostics.extend(problems);
    pages.extend(page);
    let site = load::site_from_pages(pages, Vec::new(), config, &mut diagnostics);
    let links = link::link(&site, config, &mut diagnostics);
    let mut theme = fixture.theme.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    render::register_functions(&mut theme, &site, &links, config);
    let inputs = render::Inputs { site: &site, links: &links, config, theme: &theme };
    let rendered = render::render(&inputs, &mut diagnostics);
    let _ = diagnostics.to_string();
    if config.html.sanitize {
        for page in &rendered {
            if let Err(problem) = spiegel_fuzz::check(&page.html) {
                panic!("{problem} in {}:\n{}", page.path, page.html);
            }
        }
    }
});
