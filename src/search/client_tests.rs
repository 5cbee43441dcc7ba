//! Tests of `search.js` itself, run in node against a real index of a small fixture site:
//! the shared fold table (so Rust and JS provably tokenise alike) and whole queries
//! (prefix, typo, compounds, synonyms, ranking, filters, anchors, excerpts).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use super::{build_index, SearchConfig, SearchDoc, SearchSection};

const NODE_CHECK: &str = include_str!("testdata/node_check.js");
const FOLD_CASES: &str = include_str!("testdata/fold_cases.json");
const UI_CHECK: &str = include_str!("testdata/ui_check.js");
const UI_PAGE: &str = r#"<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>search ui check</title></head><body>
<form role="search" data-search-root="search/" data-search-filters data-search-one="precies 1 resultaat"
      action="zoeken/index.html">
  <label for="q">Zoeken</label> <input type="search" id="q" name="q">
  <div id="search-results"></div>
</form>
<input type="text" id="other" aria-label="other field">
<pre id="report"></pre>
<script src="search/search.js"></script>
<script src="ui_check.js"></script>
</body></html>
"#;

fn section(anchor: Option<&str>, heading: &str, text: &str) -> SearchSection {
    SearchSection { anchor: anchor.map(String::from), heading: heading.into(), text: text.into() }
}

fn page(url: &str, title: &str, kind: &str, sections: Vec<SearchSection>) -> SearchDoc {
    let kind_label = match kind {
        "method" => "Methodiek",
        "inspiration" => "Inspiratie",
        _ => "",
    };
    SearchDoc {
        url: url.into(),
        title: title.into(),
        kind: kind.into(),
        kind_label: kind_label.into(),
        sections,
        ..SearchDoc::default()
    }
}

/// A small Dutch site with one page per behaviour under test.
pub(super) fn fixture_site() -> Vec<SearchDoc> {
    let filler = "Het team praat samen over wat het ziet in de groep en wat het daarvan leert. ";
    let mut docs = vec![
        page(
            "inspiratie/kinderbegeleider/index.html",
            "Een dag als kinderbegeleider",
            "inspiration",
            vec![
                section(None, "", "De kinderbegeleider kijkt naar elk kind en zijn spel."),
                section(
                    Some("reflectie"),
                    "Reflectie",
                    "Wat zie je als je terugkijkt? Welke keuze maakte je?",
                ),
            ],
        ),
        page(
            "inspiratie/begeleider/index.html",
            "De rol van de begeleider",
            "inspiration",
            vec![section(
                None,
                "",
                "Een begeleider geeft ruimte. Elke begeleider doet dat anders, samen met het kind.",
            )],
        ),
        page(
            "inspiratie/kinderopvang/index.html",
            "Werken in de kinderopvang",
            "inspiration",
            vec![section(None, "", "In de kinderopvang spelen kinderen de hele dag.")],
        ),
        page(
            "visie/opvang/index.html",
            "Visie op opvang",
            "",
            vec![section(None, "", "Goede opvang begint bij vertrouwen. Opvang is meer dan zorg.")],
        ),
        page(
            "inspiratie/dagverblijf/index.html",
            "Het dagverblijf",
            "inspiration",
            vec![section(None, "", "Ons kinderdagverblijf heeft drie groepen.")],
        ),
        page(
            "methodieken/coaching/index.html",
            "Coaching op de vloer",
            "method",
            vec![
                section(None, "", "Coaching gebeurt tijdens het werk."),
                section(
                    Some("pitstop"),
                    "De pitstop",
                    "Een korte pitstop om samen te creëren wat nodig is.",
                ),
            ],
        ),
        page(
            "methodieken/kort/index.html",
            "Kort verhaal",
            "method",
            vec![section(None, "", "Een fantasiespel met blokken.")],
        ),
        page(
            "methodieken/lang/index.html",
            "Lang verhaal",
            "method",
            vec![section(
                None,
                "",
                &format!(
                    "{} Een fantasiespel met blokken. {}",
                    filler.repeat(10),
                    filler.repeat(10)
                ),
            )],
        ),
        page(
            "inspiratie/buitenspelen/index.html",
            "Buitenspelen",
            "inspiration",
            vec![section(None, "", "Naar buiten in weer en wind, met laarzen aan.")],
        ),
        page(
            "inspiratie/tuin/index.html",
            "De tuin",
            "inspiration",
            vec![section(None, "", "In de tuin is buitenspelen elke dag een feest.")],
        ),
    ];
    docs[5].facets = vec![("fase".into(), vec!["pitstop".into(), "werkmoment".into()])];
    docs[6].facets = vec![("fase".into(), vec!["beginfoto".into()])];
    docs[7].facets = vec![("fase".into(), vec!["pitstop".into()])];
    docs[5].tags = vec!["coaching".into()];
    docs
}

fn query_checks() -> Value {
    json!([
        {"q": "kind", "has": ["inspiratie/kinderbegeleider/index.html", "inspiratie/kinderopvang/index.html"]},
        {"q": "begeleider", "has": ["inspiratie/kinderbegeleider/index.html", "inspiratie/begeleider/index.html"],
         "before": ["inspiratie/begeleider/index.html", "inspiratie/kinderbegeleider/index.html"]},
        {"q": "opvang", "has": ["inspiratie/kinderopvang/index.html", "visie/opvang/index.html"]},
        {"q": "crèche", "has": ["inspiratie/kinderopvang/index.html", "inspiratie/dagverblijf/index.html"]},
        {"q": "kinderdagverblijf ", "has": ["inspiratie/kinderopvang/index.html", "inspiratie/dagverblijf/index.html"]},
        {"q": "coahcing", "first": "methodieken/coaching/index.html", "excerpt": "<mark>Coaching</mark>"},
        {"q": "creeren", "first": "methodieken/coaching/index.html", "anchor": "pitstop", "excerpt": "<mark>creëren</mark>"},
        {"q": "CREËREN", "first": "methodieken/coaching/index.html"},
        {"q": "terugkijkt", "first": "inspiratie/kinderbegeleider/index.html", "anchor": "reflectie", "kindLabel": "Inspiratie"},
        {"q": "fantasiespel ", "first": "methodieken/kort/index.html", "total": 2},
        {"q": "buitenspelen ", "first": "inspiratie/buitenspelen/index.html", "total": 2},
        {"q": "de ", "total": 0},
        {"q": "de fantasiespel ", "first": "methodieken/kort/index.html", "total": 2},
        {"q": "", "filters": {"kind": "method"}, "total": 3},
        {"q": "", "filters": {"fase": "pitstop"}, "total": 2, "has": ["methodieken/coaching/index.html", "methodieken/lang/index.html"]},
        {"q": "", "filters": {"kind": "method", "fase": ["beginfoto", "werkmoment"]}, "total": 2},
        {"q": "fantasiespel ", "filters": {"fase": "pitstop"}, "total": 1, "first": "methodieken/lang/index.html"},
        {"q": "blokken", "filters": {"kind": "inspiration"}, "total": 0},
        {"q": "", "filters": {"fase": "onbekend"}, "total": 0},
        {"q": "", "total": 0}
    ])
}

/// A scratch folder with the index of `docs` written under `search/`.
fn write_index(name: &str, docs: &[SearchDoc]) -> PathBuf {
    let dir = scratch_dir(name);
    for file in build_index(docs, &SearchConfig::new("nl")) {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.bytes).unwrap();
    }
    dir
}

/// Runs the node harness on an index of `docs`; panics with node's output on failure.
fn run_node(name: &str, docs: &[SearchDoc], checks: &Value) -> String {
    let dir = write_index(name, docs);
    let checks_path = dir.join("checks.json");
    std::fs::write(&checks_path, checks.to_string()).unwrap();
    let harness = dir.join("node_check.js");
    std::fs::write(&harness, NODE_CHECK).unwrap();
    let output = match Command::new("node").arg(&harness).arg(dir.join("search")).arg(&checks_path).output() {
        Ok(output) => output,
        Err(err) => panic!(
            "cannot run `node` ({err}): the search client tests run search.js in Node.js 18 or newer, which must be on PATH"
        ),
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "search.js checks failed in node:\n{text}");
    std::fs::remove_dir_all(&dir).ok();
    text
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("spiegel-search-{name}-{}", std::process::id()));
    if Path::new(&dir).exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn node_folds_and_splits_like_rust() {
    let cases: Value = serde_json::from_str(FOLD_CASES).unwrap();
    let output = run_node("fold", &fixture_site(), &json!({ "fold": cases }));
    assert!(output.contains(" passed, 0 failed"), "{output}");
}

#[test]
fn node_answers_queries() {
    let output = run_node("query", &fixture_site(), &json!({ "queries": query_checks() }));
    assert!(output.contains(" passed, 0 failed"), "{output}");
}

/// The form in a real browser from disk: keyboard, ARIA state, filters, links to sections.
#[test]
#[ignore = "needs Chromium"]
fn chromium_drives_the_search_form_from_file() {
    let dir = ui_site("ui-file");
    run_ui_check(&dir, &format!("file://{}/ui.html", dir.display()));
}

/// The same over http, served from a small server on the loopback address.
#[test]
#[ignore = "needs Chromium"]
fn chromium_drives_the_search_form_over_http() {
    let dir = ui_site("ui-http");
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().unwrap().port();
    let root = dir.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            serve_file(stream, &root);
        }
    });
    run_ui_check(&dir, &format!("http://127.0.0.1:{port}/ui.html"));
}

fn ui_site(name: &str) -> PathBuf {
    let dir = write_index(name, &fixture_site());
    std::fs::write(dir.join("ui.html"), UI_PAGE).unwrap();
    std::fs::write(dir.join("ui_check.js"), UI_CHECK).unwrap();
    dir
}

/// Answers one GET with the file under `root`, or 404.
fn serve_file(mut stream: TcpStream, root: &Path) {
    let mut request = [0u8; 2048];
    let read = stream.read(&mut request).unwrap_or(0);
    let request = String::from_utf8_lossy(&request[..read]);
    let path = request.split(' ').nth(1).unwrap_or("/").split('?').next().unwrap_or("/");
    let file = root.join(path.trim_start_matches('/'));
    let response = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => {
            let kind = if path.ends_with(".html") { "text/html" } else { "text/javascript" };
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: {kind}; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            [head.into_bytes(), body].concat()
        }
        _ => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    };
    stream.write_all(&response).ok();
}

/// Opens `url` (ui.html with ui_check.js) in headless Chromium and asserts that every check
/// passed. Chromium's virtual time makes the debounce and script loading deterministic.
fn run_ui_check(dir: &Path, url: &str) {
    let output = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(["--virtual-time-budget=60000", "--dump-dom", url])
        .output()
        .unwrap_or_else(|err| {
            panic!("cannot run `chromium` ({err}): the search UI test needs it (apt-get install -y chromium)")
        });
    let dom = String::from_utf8_lossy(&output.stdout);
    let report = dom
        .split("<pre id=\"report\">")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or("");
    assert!(
        report.ends_with("DONE"),
        "the UI check at {url} did not finish:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!report.contains("FAIL"), "search UI checks failed in Chromium at {url}:\n{report}");
    std::fs::remove_dir_all(dir).ok();
}
