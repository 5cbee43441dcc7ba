//! The built default site in a real browser, from disk and over http: pages load
//! without console errors and the graph's nodes lead to their pages.

mod support;

use std::time::Duration;

use support::browser::{file_url, Browser};
use support::http::StaticServer;

fn built_default_site() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    spiegel::build(&spiegel::BuildOptions { root, output: out.path().to_path_buf() })
        .unwrap_or_else(|d| panic!("{}", d.in_language(spiegel::diag::Lang::Nl)));
    out
}

fn follow_graph_node(start: &str) {
    let browser = Browser::launch().unwrap();
    let page = browser.new_page().unwrap();
    page.goto(start).unwrap();
    assert_eq!(page.eval("document.querySelectorAll('figure.graph svg a').length").unwrap(), 12);
    page.click("figure.graph svg a[aria-label='Coaching']").unwrap();
    page.wait_for(
        "document.querySelector('h1') && document.querySelector('h1').textContent === 'Coaching'",
        Duration::from_secs(10),
    )
    .unwrap();
    assert!(
        page.url().unwrap().ends_with("bouwstenen/coaching/index.html"),
        "{}",
        page.url().unwrap()
    );
    // The heading is parsed before the stylesheet has loaded: wait for it to apply.
    let stylesheet = "getComputedStyle(document.body).fontFamily.includes('system-ui')";
    let loaded = page.wait_for(stylesheet, Duration::from_secs(10));
    assert!(loaded.is_ok(), "the theme's CSS loads through its relative link: {loaded:?}");
    assert_eq!(page.console_errors(), Vec::<String>::new());
}

#[test]
#[ignore = "needs Chromium"]
fn graph_nodes_lead_to_their_pages_from_disk() {
    let out = built_default_site();
    follow_graph_node(&file_url(out.path().join("index.html")));
}

#[test]
#[ignore = "needs Chromium"]
fn graph_nodes_lead_to_their_pages_over_http() {
    let out = built_default_site();
    let server = StaticServer::start(out.path());
    follow_graph_node(&server.url("/"));
}
