//! The default theme's build-time side: UI strings per language and the missing-key
//! error, the contrast check of the primary colour, branding, next/previous within a
//! kind, the picker's data in the HTML (the full list without JavaScript), the book
//! page, each entry's card script, and that nothing is loaded from elsewhere.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;
use spiegel::diag::Diagnostics;
use spiegel::load::{Page, Role};
use support::{assert_all_links_resolve, between, snapshot, TempSite};

const BLOCK: &str = "---\ntitle: Coaching\nnummer: 8\nbron: test\n---\nOver coaching.\n";

fn entry(title: &str, date: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\nvragen: [Wat zie je?]\ndimensies: [omgeving]\nbouwstenen: [coaching]\nbron: test\n---\nEen verhaal.\n\n## Uit de praktijk\n\nMeer.\n")
}

/// A small site of the default kinds: one block and three inspiration entries.
fn small_site(settings: &str) -> TempSite {
    let site = TempSite::new();
    site.write("site.yaml", &format!("title: Testsite\n{settings}"));
    site.write("content/bouwstenen/coaching.md", BLOCK);
    site.write("content/inspiratie/a.md", &entry("Aap", "2025-01-01"));
    site.write("content/inspiratie/b.md", &entry("Beer", "2025-02-01"));
    site.write("content/inspiratie/c.md", &entry("Cavia", "2025-03-01"));
    site
}

#[test]
fn the_language_chooses_the_ui_strings() {
    for (language, skip_link) in
        [("nl", "Naar de inhoud"), ("fr", "Aller au contenu"), ("en", "Skip to content")]
    {
        let site = small_site(&format!("language: {language}\n"));
        site.build_ok();
        let home = site.read("index.html");
        assert!(home.contains(&format!("<html lang=\"{language}\"")), "{language}");
        assert!(
            home.contains(&format!("<a class=\"skip-link\" href=\"#inhoud\">{skip_link}</a>")),
            "{language}: {home}"
        );
    }
}

#[test]
fn a_site_can_change_single_ui_strings() {
    let site = small_site("");
    site.write("i18n/nl.yaml", "skip_link: Spring naar de tekst\n");
    site.build_ok();
    let home = site.read("index.html");
    assert!(home.contains(">Spring naar de tekst</a>"), "{home}");
    assert!(home.contains(">Verras me</a>"), "the other strings stay the theme's");
}

#[test]
fn a_missing_ui_string_is_an_error_at_the_template_line() {
    let site = small_site("");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ t(key=\"welkom\") }}</p>\n{% endblock main %}\n",
    );
    assert_eq!(
        site.build_err(),
        ["templates/page.html:3:14: de tekst \"welkom\" ontbreekt in (built-in theme)/i18n/nl.yaml"]
    );
    let problems = site.build().unwrap_err().into_sorted();
    let hint = problems[0].hint.as_ref().map(|h| h.text(spiegel::diag::Lang::Nl));
    assert_eq!(hint.as_deref(), Some("voeg `welkom: …` toe aan i18n/nl.yaml"));
    site.write("i18n/nl.yaml", "welkom: Dag!\n");
    site.build_ok();
}

#[test]
fn a_language_without_strings_is_an_error() {
    let site = small_site("language: de\n");
    assert_eq!(site.build_err(), ["site.yaml:2:1: het thema heeft geen teksten in de taal \"de\""]);
}

#[test]
fn a_primary_colour_with_too_little_contrast_is_an_error_with_the_ratio() {
    let site = small_site("organisation:\n  name: De Test\n  colours:\n    primary: \"#7fb2c8\"\n");
    assert_eq!(
        site.build_err(),
        ["site.yaml:5:14: hoofdkleur #7fb2c8: het contrast met de achtergrond #fbfaf7 is 2.2:1, minder dan 4.5:1"]
    );
    let site = small_site("organisation:\n  colours:\n    primary: blauw\n");
    assert_eq!(site.build_err(), ["site.yaml:4:14: \"blauw\" is geen kleur"]);
}

#[test]
fn the_organisation_brands_every_page() {
    let site = small_site(
        "organisation:\n  name: Kinderopvang Het Nest\n  logo: nest.svg\n  colours:\n    primary: \"#8b1e3f\"\n  footer: Met zorg gemaakt in Gent.\n",
    );
    site.write("static/nest.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.build_ok();
    for page in ["index.html", "inspiratie/a/index.html", "inspiratie/boek/index.html"] {
        let html = site.read(page);
        assert!(html.contains("--brand: #8b1e3f;"), "{page}");
        let dark = between(&html, "--brand-dark: ", ";");
        assert!(
            dark.starts_with('#') && dark != "#8b1e3f",
            "{page}: a lighter colour for dark mode, got {dark}"
        );
        assert!(html.contains("<span>Kinderopvang Het Nest</span>"), "{page}");
        assert!(html.contains("nest.svg\" alt=\"\""), "{page}");
        assert!(html.contains("<p>Met zorg gemaakt in Gent.</p>"), "{page}");
    }
    site.write("site.yaml", "title: T\norganisation:\n  logo: weg.svg\n");
    assert_eq!(site.build_err(), ["site.yaml:3:3: het logo \"weg.svg\" staat niet in static/"]);
}

#[test]
fn panels_are_titled_with_the_labels_of_site_yaml() {
    let site = small_site("");
    let settings = default_settings();
    site.write(
        "site.yaml",
        &settings.replace("label: Om over te praten", "label: Vragen voor het team"),
    );
    site.build_ok();
    let a = site.read("inspiratie/a/index.html");
    assert!(a.contains("<h2 id=\"a-vragen\">Vragen voor het team</h2>"), "{a}");
    assert!(site
        .read("inspiratie/boek/index.html")
        .contains("<h3 id=\"a-vragen\">Vragen voor het team</h3>"));
}

#[test]
fn entries_lead_to_their_neighbours_in_the_kind() {
    let site = small_site("");
    site.build_ok();
    let a = site.read("inspiratie/a/index.html");
    let b = site.read("inspiratie/b/index.html");
    let c = site.read("inspiratie/c/index.html");
    assert!(!a.contains("rel=\"prev\""));
    assert!(a.contains("rel=\"next\" href=\"../../inspiratie/b/index.html\""));
    assert!(b.contains("rel=\"prev\" href=\"../../inspiratie/a/index.html\""));
    assert!(b.contains("rel=\"next\" href=\"../../inspiratie/c/index.html\""));
    assert!(!c.contains("rel=\"next\""));
    let bar = between(&b, "<nav class=\"lunch-bar\"", "</nav>");
    assert!(bar.contains("href=\"../../inspiratie/c/index.html#lunch\""), "{bar}");
    assert!(bar.contains(">2 van 3</span>"), "{bar}");
    assert!(b.contains("<div id=\"lunch\" class=\"lunch-anchor\"></div>"));
}

#[test]
fn the_home_page_has_its_purpose_graph_newest_and_surprise() {
    let site = small_site("");
    site.write(
        "content/_index.md",
        "---\ntitle: Welkom\nsummary: Waar deze site voor is.\n---\nTekst.\n",
    );
    site.build_ok();
    let home = site.read("index.html");
    assert!(home.contains("<p class=\"lead\">Waar deze site voor is.</p>"));
    assert!(home.contains("<figure class=\"graph\"><svg"), "the building-block graph");
    let newest = between(&home, "<section class=\"home-newest\"", "</section>");
    let order: Vec<usize> =
        ["Cavia", "Beer", "Aap"].iter().map(|t| newest.find(t).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "newest first: {newest}");
    // Without JavaScript "verras me" is a link to the list; surprise.js picks from there.
    assert!(home.contains("href=\"inspiratie/index.html?surprise\">Verras me</a>"), "{home}");
}

/// The repository's own site.yaml, with its kinds.
fn default_settings() -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("site.yaml")).unwrap()
}

fn default_site() -> (PathBuf, tempfile::TempDir) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    spiegel::build(&spiegel::BuildOptions { root: root.clone(), output: out.path().to_path_buf() })
        .unwrap_or_else(|d| panic!("{}", d.in_language(spiegel::diag::Lang::Nl)));
    (root, out)
}

fn entries_of(root: &std::path::Path, kind: &str) -> Vec<std::sync::Arc<Page>> {
    let config = spiegel::config::load(root).unwrap();
    let mut diagnostics = Diagnostics::new();
    let site = spiegel::load::load(root, &config, &mut diagnostics);
    site.pages
        .into_iter()
        .filter(|p| p.role == Role::Entry && p.kind.as_deref() == Some(kind))
        .collect()
}

fn texts(value: Option<&Value>) -> BTreeSet<String> {
    match value {
        Some(Value::Array(items)) => {
            items.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), String::from)).collect()
        }
        Some(Value::Number(n)) => BTreeSet::from([n.to_string()]),
        _ => BTreeSet::new(),
    }
}

#[test]
fn the_picker_lists_every_method_with_its_facets_without_javascript() {
    let (root, out) = default_site();
    let html = std::fs::read_to_string(out.path().join("methodieken/index.html")).unwrap();
    let picker = between(&html, "<form class=\"picker-form\"", "</form>");
    for legend in ["Fase van het traject", "Voor wie", "Bouwstenen", "Trajecttype"] {
        assert!(picker.contains(&format!("<legend>{legend}</legend>")), "{legend}");
    }
    assert!(picker.contains("<select id=\"facet-duur\" name=\"duur\" data-mode=\"max\">"));
    assert!(
        html.contains("<details class=\"picker\" id=\"picker\" hidden>"),
        "hidden until picker.js runs"
    );
    let list = between(&html, "<ul class=\"cards\">", "</ul>");
    let methods = entries_of(&root, "method");
    assert!(methods.len() >= 14);
    for method in &methods {
        let item = between(list, &format!("data-key=\"{}\"", method.key), ">");
        let json =
            between(item, "data-facets=\"", "\"").replace("&quot;", "\"").replace("&#39;", "'");
        let facets: BTreeMap<String, Vec<String>> = serde_json::from_str(&json).unwrap();
        for field in ["fase", "groep", "duur", "trajecttype", "bouwstenen"] {
            let expected = texts(method.fields.get(field));
            let found: BTreeSet<String> = facets[field].iter().cloned().collect();
            assert_eq!(found, expected, "{} {field}", method.key);
        }
    }
}

/// A build for one time draws an entry's parts of the book with its page, marking the
/// heading ids for the book's prefix. A text that holds the mark itself is drawn the
/// usual way: the page and the book keep it as written, the ids are right in both.
#[test]
fn an_entry_whose_text_holds_the_id_mark_keeps_it() {
    let site = small_site("");
    let mark = "\u{1}spiegel-id\u{1}";
    site.write(
        "content/inspiratie/d.md",
        &format!("---\ntitle: Das\nvragen: [Wat?]\ndimensies: [omgeving]\nbouwstenen: [coaching]\nbron: test\n---\nTekst met {mark} erin.\n\n## Kop\n\nMeer.\n"),
    );
    site.build_ok();
    let page = site.read("inspiratie/d/index.html");
    let book = site.read("inspiratie/boek/index.html");
    for (name, html, id) in [("page", &page, "kop"), ("book", &book, "d--kop")] {
        assert!(html.contains(&format!("Tekst met {mark} erin.")), "{name}: {html}");
        assert!(html.contains(&format!("<h2 id=\"{id}\">Kop</h2>")), "{name}: {html}");
    }
    for other in ["a", "b", "c"] {
        assert!(book.contains(&format!("<h2 id=\"{other}--uit-de-praktijk\">")), "{book}");
        let page = site.read(&format!("inspiratie/{other}/index.html"));
        assert!(page.contains("<h2 id=\"uit-de-praktijk\">"), "{page}");
        assert!(!page.contains('\u{1}') && !book.contains(&format!("{other}--\u{1}")));
    }
}

/// The theme's templates include partials; `macros.html` keeps its macros for a site's
/// own templates written against them, and they draw the same markup.
#[test]
fn a_sites_templates_can_still_call_the_themes_macros() {
    let site = small_site("");
    site.write(
        "templates/inspiration.html",
        "{% extends \"base.html\" %}{% import \"macros.html\" as m %}{% block main %}\
         {{ m::panel(page=page, name=\"vragen\", fallback=\"Vragen\", class=\"questions\", level=2) }}\
         [{{ m::label(page=page, name=\"bron\", fallback=\"Herkomst\") }}]\
         [{{ m::label(page=page, name=\"nergens\", fallback=\"Terugval\") }}]\
         {{ m::source(page=page) }}{{ m::method_steps(page=page, level=3) }}\
         <ul>{{ m::card(entry=page) }}</ul>{% endblock main %}",
    );
    site.build_ok();
    let page = site.read("inspiratie/a/index.html");
    let default = small_site("");
    default.build_ok();
    let theme_page = default.read("inspiratie/a/index.html");
    let panel = between(&theme_page, "<section class=\"questions\"", "</section>");
    assert!(page.contains(panel), "the macro's panel is the theme's: {page}");
    let source = between(&theme_page, "<p class=\"source\">", "</p>");
    assert!(page.contains(source), "the macro's source line is the theme's: {page}");
    assert!(page.contains("[Bron]") && page.contains("[Terugval]"), "{page}");
    assert!(page.contains("<div class=\"method-columns\">\n</div>"), "{page}");
    assert!(page.contains("<ul><li class=\"card\" data-key=\"inspiratie/a\">"), "{page}");
}

/// A site's own `book.html` may loop over the book more than once, one loop naming each
/// entry `page` and another showing the book's own `page`: every loop sees its own, for
/// every entry (the book is made from parts, one per entry and loop).
#[test]
fn each_loop_of_a_sites_book_sees_its_own_page() {
    let site = small_site("");
    site.write(
        "templates/book.html",
        "{% extends \"base.html\" %}{% block main %}\
         <ol>{% for entry in book %}<li>{{ entry.title }} in {{ page.title }}</li>{% endfor %}</ol>\
         {% for page in book %}<h2>{{ page.title }}</h2>{% endfor %}\
         <ul>{% for entry in book %}<li>{{ page.title }}: {{ entry.title }}</li>{% endfor %}</ul>\
         {% endblock main %}",
    );
    site.build_ok();
    let book = site.read("inspiratie/boek/index.html");
    for title in ["Aap", "Beer", "Cavia"] {
        assert!(book.contains(&format!("<li>{title} in Inspiratieboek</li>")), "{book}");
        assert!(book.contains(&format!("<h2>{title}</h2>")), "{book}");
        assert!(book.contains(&format!("<li>Inspiratieboek: {title}</li>")), "{book}");
    }
}

#[test]
fn the_book_holds_every_entry_with_a_table_of_contents() {
    let (root, out) = default_site();
    let book = std::fs::read_to_string(out.path().join("inspiratie/boek/index.html")).unwrap();
    let toc = between(&book, "<nav class=\"book-toc\"", "</nav>");
    let entries = entries_of(&root, "inspiration");
    assert!(entries.len() >= 12);
    for entry in &entries {
        let anchor = format!("#card-{}", entry.slug);
        assert!(toc.contains(&format!("href=\"{anchor}\">")), "{anchor} in the contents");
        assert!(book.contains(&format!(
            "<article class=\"print-card kind-inspiration\" id=\"card-{}\"",
            entry.slug
        )));
        for vraag in texts(entry.fields.get("vragen")) {
            let escaped = vraag.replace('\'', "&#39;").replace('"', "&quot;");
            assert!(book.contains(&escaped), "{}: {vraag}", entry.slug);
        }
    }
    let mut ids = BTreeSet::new();
    for id in book.split(" id=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
        assert!(ids.insert(id), "duplicate id {id} in the book");
    }
    let kind_index = std::fs::read_to_string(out.path().join("inspiratie/index.html")).unwrap();
    assert!(
        kind_index.contains("href=\"../inspiratie/boek/index.html\""),
        "the list links to its book"
    );
    assert_all_links_resolve(out.path());
}

#[test]
fn a_book_may_not_take_the_place_of_a_page() {
    let site = small_site("");
    let settings = default_settings();
    let line = settings.lines().position(|l| l == "    book: boek").unwrap() + 1;
    site.write("site.yaml", &settings);
    site.write("content/inspiratie/boek.md", &entry("Boek", "2025-01-05"));
    assert_eq!(
        site.build_err(),
        [format!("site.yaml:{line}:5: de boekpagina inspiratie/boek/ zou de plaats innemen van content/inspiratie/boek.md")]
    );
}

#[test]
fn every_entry_hands_its_card_to_the_selection_page() {
    let (root, out) = default_site();
    let files = snapshot(out.path());
    for kind in ["building_block", "inspiration", "vision", "method"] {
        for entry in entries_of(&root, kind) {
            let path = format!("{}/card.js", entry.key);
            let script = String::from_utf8(files[&path].clone()).unwrap();
            let prefix =
                format!("if (window.spiegelCard) window.spiegelCard(\"{}\", \"", entry.key);
            assert!(script.starts_with(&prefix), "{path}: {}", &script[..80]);
            let title = serde_json::to_string(&entry.title.replace('\'', "&#39;")).unwrap();
            assert!(script.contains(title.trim_matches('"')), "{path}");
        }
    }
    assert!(files.contains_key("selectie/index.html"));
}

#[test]
fn nothing_is_loaded_from_elsewhere() {
    let (_, out) = default_site();
    for (path, bytes) in snapshot(out.path()) {
        let text = String::from_utf8_lossy(&bytes);
        if path.ends_with(".css") {
            assert!(!text.contains("@import") && !text.contains("url(http"), "{path}");
        }
        if path.ends_with(".html") {
            for tag in ["<script", "<link", "<img", "<iframe"] {
                for rest in text.split(tag).skip(1) {
                    let tag_text = &rest[..rest.find('>').unwrap()];
                    assert!(!tag_text.contains("://"), "{path}: {tag}{tag_text}>");
                }
            }
            assert!(!text.contains("type=\"module\""), "{path}: modules do not load from file://");
        }
    }
}
