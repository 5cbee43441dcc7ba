//! The default site (the repository root): it builds, holds the twelve building blocks
//! with every relation of the source as a working link and a graph edge, and its
//! entries carry all their typed fields.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use spiegel::diag::Diagnostics;
use spiegel::load::Role;
use support::{assert_all_links_resolve, between};

const BLOCKS: [&str; 12] = [
    "pedagogisch-professionals",
    "team",
    "visie-missie-doelen",
    "pedagogisch-leiderschap",
    "monitoring-en-evaluatie",
    "innovatie",
    "professionalisering",
    "coaching",
    "structuur",
    "cultuur",
    "partnerschap-met-ouders",
    "relatie-met-ketenpartners",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_default_site() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    spiegel::build(&spiegel::BuildOptions { root: root(), output: out.path().to_path_buf() })
        .unwrap_or_else(|d| {
            panic!("the default site must build:\n{}", d.in_language(spiegel::diag::Lang::Nl))
        });
    out
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The relations between blocks that the source document states (from, to).
fn relations() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("tests/data/bouwsteen-relaties.tsv")).unwrap();
    text.lines()
        .map(|l| {
            let (from, to) = l.split_once('\t').unwrap();
            (from.to_string(), to.to_string())
        })
        .collect()
}

#[test]
fn builds_with_working_links() {
    let out = build_default_site();
    for page in [
        "index.html",
        "over/index.html",
        "bouwstenen/index.html",
        "inspiratie/index.html",
        "visie/index.html",
        "methodieken/index.html",
    ] {
        assert!(out.path().join(page).is_file(), "{page}");
    }
    assert!(assert_all_links_resolve(out.path()) > 1000);
}

#[test]
fn every_relation_of_the_source_is_a_link_in_the_text() {
    let out = build_default_site();
    let relations = relations();
    assert!(relations.len() >= 40, "the source states dozens of relations");
    for block in BLOCKS {
        assert!(
            out.path().join(format!("bouwstenen/{block}/index.html")).is_file(),
            "block page {block}"
        );
    }
    for (from, to) in relations {
        assert!(BLOCKS.contains(&from.as_str()) && BLOCKS.contains(&to.as_str()), "{from} → {to}");
        let html = read(out.path(), &format!("bouwstenen/{from}/index.html"));
        let text = between(&html, "<div class=\"content\">", "</div>\n");
        assert!(
            text.contains(&format!("href=\"../../bouwstenen/{to}/index.html")),
            "{from} must link to {to} in its text"
        );
    }
}

#[test]
fn every_relation_is_an_edge_of_the_graph() {
    let out = build_default_site();
    let home = read(out.path(), "index.html");
    let svg = format!("<svg{}</svg>", between(&home, "<svg", "</svg>"));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let nodes: BTreeMap<String, usize> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .enumerate()
        .map(|(i, a)| {
            (
                a.attribute("href")
                    .unwrap()
                    .trim_end_matches("/index.html")
                    .trim_start_matches("bouwstenen/")
                    .to_string(),
                i,
            )
        })
        .collect();
    assert_eq!(nodes.len(), 12, "{nodes:?}");
    let edges: Vec<Vec<String>> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path"))
        .filter_map(|p| p.attribute("class"))
        .filter(|c| c.contains("g-edge"))
        .map(|c| c.split(' ').map(String::from).collect())
        .collect();
    for (from, to) in relations() {
        let (a, b) = (format!("g-adj-{}", nodes[&from]), format!("g-adj-{}", nodes[&to]));
        assert!(edges.iter().any(|e| e.contains(&a) && e.contains(&b)), "no edge {from} → {to}");
    }
}

#[test]
fn entries_have_their_typed_fields() {
    let config = spiegel::config::load(&root()).unwrap();
    let mut diagnostics = Diagnostics::new();
    let site = spiegel::load::load(&root(), &config, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{}", diagnostics.in_language(spiegel::diag::Lang::Nl));
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for page in site.pages.iter().filter(|p| p.role == Role::Entry) {
        let kind = config.kind(page.kind.as_deref().unwrap()).unwrap();
        *counts.entry(kind.name.as_str()).or_default() += 1;
        if kind.name == "method" || kind.name == "inspiration" {
            for field in kind.fields.keys() {
                assert!(page.fields.contains_key(field), "{} lacks {field}", page.source.display());
            }
        }
        assert!(
            page.fields.get("bron").and_then(|b| b.as_str()).is_some_and(|b| !b.is_empty()),
            "{} cites its source",
            page.source.display()
        );
    }
    assert_eq!(counts["building_block"], 12);
    assert!(counts["inspiration"] >= 12, "{counts:?}");
    assert!(counts["vision"] >= 3, "{counts:?}");
    assert!(counts["method"] >= 14, "{counts:?}");
}

#[test]
fn a_block_page_lists_the_methods_and_entries_that_serve_it() {
    let out = build_default_site();
    let coaching = read(out.path(), "bouwstenen/coaching/index.html");
    let backlinks = between(&coaching, "<section class=\"backlinks\"", "</section>");
    assert!(backlinks.contains("<h3>Methodieken</h3>"), "{backlinks}");
    assert!(backlinks.contains("<h3>Inspiratieboek</h3>"), "{backlinks}");
    assert!(backlinks.contains("href=\"../../methodieken/observeren/index.html\""));
}
