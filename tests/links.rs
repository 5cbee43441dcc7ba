//! Cross-links: every link form resolves to an existing file, code stays untouched,
//! broken links are reported with position and suggestion, backlinks are complete, and
//! the graph is valid SVG with one link per node.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use support::{assert_all_links_resolve, between, check_link, links_in, TempSite};

fn built() -> TempSite {
    let site = TempSite::fixture("links");
    site.build_ok();
    site
}

fn content(site: &TempSite, page: &str) -> String {
    between(&site.read(page), "<div class=\"content\">", "</div>\n").to_string()
}

#[test]
fn every_link_form_resolves_to_an_existing_file() {
    let site = built();
    let alpha = content(&site, "bouwstenen/alpha/index.html");
    assert!(
        alpha.contains("<a href=\"../../bouwstenen/beta/index.html\">Beta</a>"),
        "[[slug]] shows the title: {alpha}"
    );
    assert!(
        alpha.contains("<a href=\"../../bouwstenen/gamma/index.html\">de derde steen</a>"),
        "[[slug|label]]"
    );
    let beta = content(&site, "bouwstenen/beta/index.html");
    assert!(
        beta.contains("<a href=\"../../bouwstenen/alpha/index.html#kop-twee\">Alpha</a>"),
        "[[slug#heading]]: {beta}"
    );
    let gamma = content(&site, "bouwstenen/gamma/index.html");
    assert!(
        gamma.contains("<a href=\"../../bouwstenen/alpha/index.html\">de eerste</a>"),
        "[[folder/slug|label]]"
    );
    let kijken = content(&site, "methodieken/kijken/index.html");
    assert!(
        kijken.contains("<a href=\"../../bouwstenen/alpha/index.html#kop-een\">de eerste kop</a>"),
        "relative .md: {kijken}"
    );
    assert!(
        kijken.contains("<a href=\"../../bouwstenen/beta/index.html\">beta</a>"),
        "/-rooted .md"
    );
    let los = content(&site, "notes/los/index.html");
    assert!(
        los.contains("<a href=\"../../notes/los/index.html#eigen-kop\">Losse notitie</a>"),
        "[[#heading]]: {los}"
    );
    for (page, html) in [
        ("bouwstenen/alpha/index.html", &alpha),
        ("methodieken/kijken/index.html", &kijken),
        ("notes/los/index.html", &los),
    ] {
        for link in links_in(html).iter().filter(|l| !l.contains("://")) {
            check_link(&site.out(), page, link).unwrap();
        }
    }
    assert_all_links_resolve(&site.out());
}

#[test]
fn reference_fields_are_links_and_facets() {
    let site = built();
    let kijken = site.read("methodieken/kijken/index.html");
    let card = between(&kijken, "<dl class=\"properties\">", "</dl>");
    assert!(card.contains("<a href=\"../../bouwstenen/alpha/index.html\">Alpha</a>, <a href=\"../../bouwstenen/beta/index.html\">Beta</a>"), "{card}");
    let alpha = site.read("bouwstenen/alpha/index.html");
    let methods = between(&alpha, "<h3>Methodieken</h3>", "</ul>");
    assert!(
        methods.contains("href=\"../../methodieken/kijken/index.html\""),
        "a block lists the methods that serve it: {methods}"
    );
}

#[test]
fn links_in_code_stay_untouched() {
    let site = built();
    let alpha = content(&site, "bouwstenen/alpha/index.html");
    assert!(alpha.contains("<code>[[nergens]]</code>"), "{alpha}");
    assert!(
        alpha.contains("<pre><code>[[ook-nergens]] en [x](nergens.md)\n</code></pre>"),
        "{alpha}"
    );
}

#[test]
fn pages_without_cross_links_are_plain_pulldown_cmark() {
    let site = built();
    let body = std::fs::read_to_string(site.root().join("content/notes/gewoon.md")).unwrap();
    let body = body.splitn(3, "---\n").nth(2).unwrap();
    let mut plain = String::new();
    pulldown_cmark::html::push_html(
        &mut plain,
        pulldown_cmark::Parser::new_ext(body, spiegel::markdown::options()),
    );
    assert_eq!(content(&site, "notes/gewoon/index.html"), plain);
}

/// The slug a site-relative href from a page two folders deep points at.
fn slug_of(href: &str) -> String {
    href.trim_end_matches("/index.html").rsplit('/').next().unwrap().to_string()
}

#[test]
fn backlinks_are_complete() {
    let site = built();
    let expected: BTreeMap<&str, Vec<&str>> = BTreeMap::from([
        ("bouwstenen/alpha", vec!["beta", "gamma", "kijken", "los"]),
        ("bouwstenen/beta", vec!["alpha", "gamma", "kijken"]),
        ("bouwstenen/gamma", vec!["alpha"]),
        ("methodieken/kijken", vec!["los"]),
        ("notes/los", vec![]),
        ("notes/gewoon", vec![]),
    ]);
    for (page, sources) in expected {
        let html = site.read(&format!("{page}/index.html"));
        let found: BTreeSet<String> = match html.find("<section class=\"backlinks\"") {
            Some(start) => links_in(between(&html[start..], ">", "</section>"))
                .iter()
                .map(|h| slug_of(h))
                .collect(),
            None => BTreeSet::new(),
        };
        let sources: BTreeSet<String> = sources.into_iter().map(String::from).collect();
        assert_eq!(found, sources, "backlinks of {page}");
    }
}

#[test]
fn backlinks_are_grouped_by_kind_with_context() {
    let site = built();
    let alpha = site.read("bouwstenen/alpha/index.html");
    let backlinks = between(&alpha, "<section class=\"backlinks\"", "</section>");
    let referenced = between(backlinks, "<div class=\"referenced-by\">", "</div>");
    assert!(
        referenced.contains("<h3>Methodieken</h3>") && referenced.contains("Kijken"),
        "a method that names the block in `bouwstenen` serves it, even if its text links too: {referenced}"
    );
    let mentioned = between(backlinks, "<div class=\"mentioned-by\">", "</div>");
    let groups: Vec<usize> = ["<h3>Bouwstenen</h3>", "<h3>Pagina&#39;s</h3>"]
        .iter()
        .map(|h| mentioned.find(h).unwrap_or_else(|| panic!("{h} in {mentioned}")))
        .collect();
    assert!(groups.windows(2).all(|w| w[0] < w[1]), "groups follow site.yaml's kinds: {mentioned}");
    assert!(
        backlinks.contains("<blockquote>Beta verwijst terug naar Alpha.</blockquote>"),
        "{backlinks}"
    );
}

#[test]
fn broken_links_are_reported_with_position_and_suggestion() {
    let site = TempSite::fixture("links");
    site.write(
        "content/notes/kapot.md",
        "---\ntitle: Kapot\n---\nZie [[alpah]] en\n[[bouwstenen/gama|g]], [[alpha#kop-tweee]].\n\nOok [dit](../bouwstenen/alpah.md) en [[beta#]].\n",
    );
    assert_eq!(
        site.build_err(),
        [
            "content/notes/kapot.md:4:5: er is geen pagina \"alpah\" (bedoel je \"alpha\"?)",
            "content/notes/kapot.md:5:1: er is geen pagina \"bouwstenen/gama\" (bedoel je \"bouwstenen/gamma\"?)",
            "content/notes/kapot.md:5:24: er is geen tussenkop \"#kop-tweee\" op \"alpha\" (bedoel je \"kop-twee\"?)",
            "content/notes/kapot.md:7:5: er is geen pagina \"../bouwstenen/alpah.md\" (bedoel je \"bouwstenen/alpha.md\"?)",
            "content/notes/kapot.md:7:38: er is geen tussenkop \"#\" op \"beta\"",
        ]
    );
}

#[test]
fn ambiguous_slugs_must_be_qualified() {
    let site = TempSite::fixture("links");
    site.write("content/notes/dubbel.md", "Een.\n");
    site.write("content/andere/dubbel.md", "Twee.\n");
    site.write("content/notes/wijzer.md", "Naar [[dubbel]].\n");
    let errors = match site.build() {
        Ok(_) => panic!("should fail"),
        Err(d) => d.into_sorted(),
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].headline(spiegel::diag::Lang::Nl),
        "content/notes/wijzer.md:1:6: \"dubbel\" is niet duidelijk: meer dan één pagina heeft deze slug"
    );
    assert_eq!(
        errors[0].hint_text(spiegel::diag::Lang::Nl).as_deref(),
        Some("zeg welke je bedoelt: [[andere/dubbel]] of [[notes/dubbel]]")
    );
    site.write("content/notes/wijzer.md", "Naar [[notes/dubbel]].\n");
    site.build_ok();
}

#[test]
fn the_graph_is_valid_svg_with_a_link_per_node() {
    let site = built();
    let home = site.read("index.html");
    let svg = format!("<svg{}</svg>", between(&home, "<svg", "</svg>"));
    let doc = roxmltree::Document::parse(&svg).expect("the graph is well-formed XML");
    let links: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            (
                a.attribute("href").unwrap().to_string(),
                a.attribute("aria-label").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("bouwstenen/alpha/index.html".to_string(), "Alpha".to_string()),
            ("bouwstenen/beta/index.html".to_string(), "Beta".to_string()),
            ("bouwstenen/gamma/index.html".to_string(), "Gamma".to_string()),
        ]
    );
    let edges: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path"))
        .filter_map(|p| p.attribute("class"))
        .filter(|c| c.contains("-edge"))
        .collect();
    assert_eq!(edges.len(), 3, "{edges:?}");
    assert!(
        edges.contains(&"g-edge g-mutual g-adj-0 g-adj-1"),
        "alpha and beta link both ways: {edges:?}"
    );
    assert!(edges.contains(&"g-edge g-mutual g-adj-0 g-adj-2"), "{edges:?}");
    assert!(
        edges.iter().any(|e| e.starts_with("g-edge g-oneway")
            && e.contains("g-adj-1")
            && e.contains("g-adj-2")),
        "gamma → beta is one-way: {edges:?}"
    );
    for link in links.iter().map(|(h, _)| h) {
        check_link(&site.out(), "index.html", link).unwrap();
    }
}

#[test]
fn each_block_shows_its_neighbourhood() {
    let site = built();
    let gamma = site.read("bouwstenen/gamma/index.html");
    let svg = format!("<svg{}</svg>", between(&gamma, "<svg", "</svg>"));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let hrefs: BTreeSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|a| a.attribute("href"))
        .collect();
    assert_eq!(
        hrefs,
        BTreeSet::from([
            "../../bouwstenen/alpha/index.html",
            "../../bouwstenen/beta/index.html",
            "../../bouwstenen/gamma/index.html"
        ])
    );
}

#[test]
fn templates_can_look_up_any_page() {
    let site = TempSite::fixture("links");
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block main %}{% set p = get_page(slug=\"gamma\") %}<a id=\"lookup\" href=\"{{ root }}{{ p.href }}\">{{ p.title }}</a>{% endblock main %}");
    site.build_ok();
    let page = site.read("notes/gewoon/index.html");
    assert!(
        page.contains("<a id=\"lookup\" href=\"../../bouwstenen/gamma/index.html\">Gamma</a>"),
        "{page}"
    );
}
