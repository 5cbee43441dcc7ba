//! Search benchmark: builds a generated 10,000-entry site and measures, in headless
//! Chromium from `file://`, what a first query loads and how fast the client answers.
//!
//!     cargo bench --bench search            # PAGES=2000 cargo bench --bench search
//!
//! Prints the total index size, the bytes loaded (client script included) for the first
//! query of a common and of a rare word, and the median time to answer a query.

#[path = "../tests/support/browser.rs"]
mod browser;

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use browser::{file_url, Browser, Page};

fn main() {
    let pages: usize = std::env::var("PAGES").ok().and_then(|p| p.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let site = dir.path().join("site");
    spiegel::generate::generate(&site, pages, 1).expect("generate the site");
    let output = dir.path().join("out");
    let started = Instant::now();
    let report =
        spiegel::build(&spiegel::BuildOptions { root: site.clone(), output: output.clone() })
            .unwrap_or_else(|d| {
                panic!("the generated site must build:\n{}", d.in_language(spiegel::diag::Lang::Nl))
            });
    println!("built {} pages in {:.2} s", report.pages, started.elapsed().as_secs_f64());
    let (files, bytes) = folder_size(&output.join("search"));
    println!("index: {files} files, {bytes} bytes ({:.1} MB)", bytes as f64 / 1e6);

    let rare = rare_word(&site.join("content"));
    let browser = Browser::launch().expect("Chromium (apt-get install chromium)");
    let page = browser.new_page().expect("a page");
    let start = file_url(output.join("index.html"));
    for (label, word) in [
        ("common word \"kinderen\"", "kinderen"),
        (&format!("rare word \"{rare}\"") as &str, rare.as_str()),
    ] {
        page.goto(&start).expect("open the site");
        let loaded = first_query_bytes(&page, &output, word);
        println!("first query, {label}: {loaded} bytes loaded ({:.1} KB)", loaded as f64 / 1024.0);
    }
    let median = median_answer_ms(
        &page,
        &["kinderen", "kind", "begeleider", "observeren team", &rare, "coahcing"],
    );
    println!("answer time, median of 20 rounds over 6 queries: {median:.2} ms");
}

fn folder_size(dir: &Path) -> (usize, u64) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(n, b), e| (n + 1, b + e.metadata().map_or(0, |m| m.len())))
}

/// A word that occurs in two to five pages of the generated content.
fn rare_word(content: &Path) -> String {
    let mut pages_with: HashMap<String, usize> = HashMap::new();
    for entry in walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default().to_lowercase();
        let mut words: Vec<&str> =
            text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 8).collect();
        words.sort_unstable();
        words.dedup();
        for word in words {
            *pages_with.entry(word.to_string()).or_default() += 1;
        }
    }
    let mut rare: Vec<(&String, &usize)> =
        pages_with.iter().filter(|(_, &n)| (2..=5).contains(&n)).collect();
    rare.sort();
    rare.first().map(|(w, _)| w.to_string()).expect("a rare word")
}

/// Records the script files a first query loads and sums their sizes on disk.
fn first_query_bytes(page: &Page, output: &Path, word: &str) -> u64 {
    let js = format!(
        "(async () => {{ const loaded = []; const load = spiegelSearch.loadScript; \
         spiegelSearch.loadScript = (src) => {{ loaded.push(src); return load(src); }}; \
         const results = await spiegelSearch.query({word:?}); \
         await Promise.all(results.slice(0, 10).map(r => r.excerpt)); return loaded; }})()"
    );
    let loaded = page.eval(&js).expect("the query runs");
    let scripts: Vec<String> = loaded
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    let size = |url: &str| {
        std::fs::metadata(output.join(url.split("/out/").nth(1).unwrap_or(url)))
            .map_or(0, |m| m.len())
    };
    size("search/search.js") + scripts.iter().map(|s| size(s)).sum::<u64>()
}

fn median_answer_ms(page: &Page, queries: &[&str]) -> f64 {
    let list = serde_json::to_string(queries).expect("json");
    let js = format!(
        "(async () => {{ const qs = {list}; for (const q of qs) await spiegelSearch.query(q); const times = []; \
         for (let round = 0; round < 20; round++) for (const q of qs) {{ const t = performance.now(); \
         await spiegelSearch.query(q); times.push(performance.now() - t); }} \
         times.sort((a, b) => a - b); return times[Math.floor(times.length / 2)]; }})()"
    );
    page.eval(&js).expect("timing runs").as_f64().expect("a number")
}
