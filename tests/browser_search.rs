//! Search on the default site in a real browser, from disk and over http: folded
//! diacritics, prefixes, typos, facet filters, the keyboard, and result links that open
//! the right page.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use support::browser::{file_url, Browser, Page};
use support::http::StaticServer;

fn built_default_site() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    spiegel::build(&spiegel::BuildOptions { root, output: out.path().to_path_buf() })
        .unwrap_or_else(|d| panic!("{}", d.in_language(spiegel::diag::Lang::Nl)));
    out
}

/// The site-relative URLs of the results for `query` (and filters, as a JS object).
fn urls(page: &Page, query: &str, filters: &str) -> Vec<String> {
    let js = format!(
        "spiegelSearch.query({}, {filters}, {{limit: 50}}).then(r => r.map(x => x.url))",
        Value::from(query)
    );
    match page.eval(&js).unwrap() {
        Value::Array(items) => items.into_iter().map(|v| v.as_str().unwrap().to_string()).collect(),
        other => panic!("{other}"),
    }
}

fn check_queries(page: &Page) {
    let folded = urls(page, "coordinatieteam", "{}");
    assert!(folded.contains(&"inspiratie/coordinatieteam/index.html".to_string()), "{folded:?}");
    assert_eq!(
        urls(page, "COÖRDINATIETEAM", "{}"),
        folded,
        "diacritics and case fold on both sides"
    );
    let prefix = urls(page, "obser", "{}");
    assert!(
        prefix.contains(&"methodieken/observeren/index.html".to_string()),
        "prefix: {prefix:?}"
    );
    let typo = urls(page, "intervsie", "{}");
    assert_eq!(
        typo.first().map(String::as_str),
        Some("methodieken/intervisie/index.html"),
        "one typo: {typo:?}"
    );
    let pitstop = urls(page, "", "{fase: 'pitstop'}");
    assert!(
        !pitstop.is_empty() && pitstop.iter().all(|u| u.starts_with("methodieken/")),
        "facet alone: {pitstop:?}"
    );
    assert!(pitstop.contains(&"methodieken/pitstop/index.html".to_string()));
    let combined = urls(page, "team", "{kind: 'method', fase: 'pitstop'}");
    assert!(
        !combined.is_empty() && combined.iter().all(|u| pitstop.contains(u)),
        "query with filters: {combined:?}"
    );
}

fn check_keyboard(page: &Page, start: &str) {
    page.goto(start).unwrap();
    page.press("/").unwrap();
    assert_eq!(
        page.eval("document.activeElement.id").unwrap(),
        "zoekveld",
        "/ focuses the search field"
    );
    page.type_text("intervisie").unwrap();
    page.wait_for(
        "document.querySelectorAll('#search-results .search-result').length > 0",
        Duration::from_secs(10),
    )
    .unwrap();
    let status = page.eval("document.querySelector('.search-status').textContent").unwrap();
    assert!(
        status.as_str().unwrap().contains("resultat")
            || status.as_str().unwrap().contains("resultaat"),
        "{status}"
    );
    page.press("ArrowDown").unwrap();
    assert_eq!(
        page.eval("document.querySelector('#search-results [aria-selected=true]') !== null")
            .unwrap(),
        true
    );
    page.press("Enter").unwrap();
    page.wait_for("location.href.includes('methodieken/intervisie/')", Duration::from_secs(10))
        .unwrap();
    page.wait_for("document.readyState === 'complete'", Duration::from_secs(10)).unwrap();
    assert_eq!(page.eval("document.querySelector('h1').textContent").unwrap(), "Intervisie");
}

fn run(start: &str) {
    let browser = Browser::launch().unwrap();
    let page = browser.new_page().unwrap();
    page.goto(start).unwrap();
    check_queries(&page);
    check_keyboard(&page, start);
    page.goto(start).unwrap();
    page.press("/").unwrap();
    page.type_text("pitstop").unwrap();
    page.wait_for(
        "document.querySelectorAll('#search-results .search-result').length > 0",
        Duration::from_secs(10),
    )
    .unwrap();
    page.press("Escape").unwrap();
    assert_eq!(
        page.eval("document.getElementById('search-results').hidden").unwrap(),
        true,
        "Escape closes"
    );
    assert_eq!(page.console_errors(), Vec::<String>::new());
}

fn start_page(out: &Path) -> PathBuf {
    out.join("bouwstenen/coaching/index.html")
}

#[test]
#[ignore = "needs Chromium"]
fn search_works_from_disk() {
    let out = built_default_site();
    run(&file_url(start_page(out.path())));
}

#[test]
#[ignore = "needs Chromium"]
fn search_works_over_http() {
    let out = built_default_site();
    let server = StaticServer::start(out.path());
    run(&server.url("/bouwstenen/coaching/index.html"));
}

#[test]
fn the_search_field_leads_to_a_plain_index_without_javascript() {
    let out = built_default_site();
    let page =
        std::fs::read_to_string(out.path().join("inspiratie/fantasiespel/index.html")).unwrap();
    assert!(
        page.contains(
            "<form class=\"site-search\" role=\"search\" action=\"../../zoeken/index.html\""
        ),
        "{page}"
    );
    let index = std::fs::read_to_string(out.path().join("zoeken/index.html")).unwrap();
    for href in [
        "../inspiratie/fantasiespel/index.html",
        "../methodieken/pitstop/index.html",
        "../bouwstenen/coaching/index.html",
    ] {
        assert!(index.contains(&format!("href=\"{href}\"")), "the plain index lists {href}");
    }
}
