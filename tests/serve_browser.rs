//! `spiegel serve` in a real browser: an open tab reloads itself after an edit; a
//! broken edit shows the problems as an overlay over the last good page, as text (never
//! markup), and the next good build takes the overlay away.

mod support;

use std::time::Duration;

use support::browser::Browser;
use support::TempSite;

const PATIENCE: Duration = Duration::from_secs(20);

const OVERLAY: &str = "document.getElementById('spiegel-errors')";

#[test]
#[ignore = "needs Chromium"]
fn a_tab_reloads_and_shows_problems_until_they_are_fixed() {
    let site = TempSite::fixture("links");
    let server = site.serve();
    let browser = Browser::launch().unwrap();
    let page = browser.new_page().unwrap();
    page.goto(&format!("{}bouwstenen/alpha/", server.url())).unwrap();
    let alpha = site.root().join("content/bouwstenen/alpha.md");
    let text = std::fs::read_to_string(&alpha).unwrap();

    std::fs::write(&alpha, text.replace("title: Alpha", "title: Alfa")).unwrap();
    page.wait_for("document.querySelector('h1').textContent === 'Alfa'", PATIENCE).unwrap();

    let broken = text
        .replace("title: Alpha", "title: Alfa")
        .replace("hangt samen met [[beta]]", "hangt <b>vet</b> samen met [[betta]]");
    std::fs::write(&alpha, broken).unwrap();
    page.wait_for(&format!("{OVERLAY} !== null"), PATIENCE).unwrap();
    let shown = page.eval(&format!("{OVERLAY}.textContent")).unwrap();
    let shown = shown.as_str().unwrap();
    assert!(shown.contains("1 probleem in de site; je ziet de laatste goede versie."), "{shown}");
    assert!(
        shown.contains("content/bouwstenen/alpha.md:8:34: er is geen pagina \"betta\""),
        "file, line, column: {shown}"
    );
    assert!(
        shown.contains("8 | Alpha hangt <b>vet</b> samen"),
        "the source line, as text: {shown}"
    );
    assert_eq!(
        page.eval(&format!("{OVERLAY}.querySelector('b')")).unwrap(),
        serde_json::Value::Null
    );
    assert_eq!(page.eval("document.querySelector('h1').textContent").unwrap(), "Alfa");
    let visible = page.eval(&format!("{OVERLAY}.getBoundingClientRect().height > 50")).unwrap();
    assert_eq!(visible, true, "the overlay is on screen");

    std::fs::write(&alpha, text.replace("title: Alpha", "title: Alfa weer")).unwrap();
    page.wait_for(
        &format!("{OVERLAY} === null && document.querySelector('h1').textContent === 'Alfa weer'"),
        PATIENCE,
    )
    .unwrap();
    assert_eq!(page.console_errors(), Vec::<String>::new());
}

#[test]
#[ignore = "needs Chromium"]
fn a_new_tab_on_a_broken_site_shows_the_problems_at_once() {
    let site = TempSite::fixture("links");
    site.write("content/notes/los.md", "---\ntitle: Los\n---\nNaar [[nergens]].\n");
    let server = site.serve();
    let browser = Browser::launch().unwrap();
    let page = browser.new_page().unwrap();
    page.goto(&server.url()).unwrap();
    page.wait_for(&format!("{OVERLAY} !== null"), PATIENCE).unwrap();
    let shown = page.eval(&format!("{OVERLAY}.textContent")).unwrap();
    assert!(
        shown.as_str().unwrap().contains("content/notes/los.md:4:6: er is geen pagina \"nergens\""),
        "{shown}"
    );
    site.write("content/notes/los.md", "---\ntitle: Los\n---\nNaar [[alpha]].\n");
    page.wait_for(&format!("{OVERLAY} === null && !!document.querySelector('main')"), PATIENCE)
        .unwrap();
}
