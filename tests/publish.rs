//! Publishing: taxonomy and facet pages, feeds, sitemap, canonical URLs, OpenGraph,
//! 404.html and robots.txt.

mod support;

use std::path::Path;

use spiegel::diag::Diagnostics;
use spiegel::slug::slugify;
use support::{assert_all_links_resolve, between, TempSite};

/// The default site, built with a base URL.
fn default_site_with_base_url() -> TempSite {
    let site = TempSite::new();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    support::copy_tree(&repo.join("content"), &site.root().join("content"));
    let yaml = std::fs::read_to_string(repo.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml
            .replace("theme: default\n", "theme: default\nbase_url: https://example.org/spiegel\n"),
    );
    site.build_ok();
    site
}

#[test]
fn every_tag_and_facet_value_has_a_listing_page() {
    let site = default_site_with_base_url();
    let root = site.root();
    let config = spiegel::config::load(&root).unwrap();
    let loaded = spiegel::load::load(&root, &config, &mut Diagnostics::new());
    let mut checked = 0;
    for page in loaded.pages.iter().filter(|p| p.role == spiegel::load::Role::Entry) {
        let kind = config.kind(page.kind.as_deref().unwrap()).unwrap();
        let own_href = format!("{}index.html", page.url);
        for name in kind.fields.iter().filter(|(_, f)| f.facet).map(|(n, _)| n) {
            let values: Vec<String> = match page.fields.get(name) {
                Some(serde_json::Value::Array(items)) => items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), String::from))
                    .collect(),
                Some(v) => vec![v.as_str().map_or_else(|| v.to_string(), String::from)],
                None => Vec::new(),
            };
            for value in values {
                let listing = format!("{}/{name}/{}/index.html", kind.folder, slugify(&value));
                assert!(site.read(&listing).contains(&own_href), "{listing} lists {own_href}");
                checked += 1;
            }
        }
        for tag in &page.tags {
            assert!(site.read(&format!("tags/{}/index.html", slugify(tag))).contains(&own_href));
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked} values checked");
    let overview = site.read("methodieken/fase/index.html");
    let phases = ["beginfoto", "coachingsplan", "werkmoment", "pitstop", "eindevaluatie"];
    let at: Vec<usize> =
        phases.iter().map(|p| overview.find(&format!("fase/{p}/index.html")).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "phases in their declared order");
    assert!(site
        .read("methodieken/index.html")
        .contains("<a href=\"../methodieken/fase/pitstop/index.html\">pitstop</a>"));
    assert!(site.read("methodieken/bouwstenen/coaching/index.html").contains("<h1>Coaching</h1>"));
    assert_all_links_resolve(&site.out());
}

#[test]
fn tags_ignore_case_and_diacritics() {
    let site = TempSite::new();
    site.write("content/_index.md", "# Home\n");
    site.write("content/a.md", "---\ntitle: A\ntags: [Creëren, Buiten spelen]\n---\nA.\n");
    site.write("content/b.md", "---\ntitle: B\ntags: [creeren]\n---\nB.\n");
    site.write("content/c.md", "---\ntitle: C\ntags: [creëren]\n---\nC.\n");
    site.write("content/d.md", "---\ntitle: D\ntags: [creëren]\n---\nD.\n");
    site.build_ok();
    let tag = site.read("tags/creeren/index.html");
    assert!(tag.contains("<h1>creëren</h1>"), "the most used spelling: {tag}");
    for page in ["a", "b", "c", "d"] {
        assert!(tag.contains(&format!("href=\"../../{page}/index.html\"")), "{page}");
    }
    let all = site.read("tags/index.html");
    assert!(all.contains("<a href=\"../tags/buiten-spelen/index.html\">Buiten spelen</a> <span class=\"count\">(1)</span>"), "{all}");
    assert!(all.contains("creëren</a> <span class=\"count\">(4)</span>"));
    assert!(site
        .read("a/index.html")
        .contains("<a href=\"../tags/creeren/index.html\">creëren</a>"));
    assert_all_links_resolve(&site.out());
}

#[test]
fn a_page_in_the_place_of_a_listing_is_an_error() {
    let site = TempSite::new();
    site.write("content/tags.md", "# Mijn tags\n");
    site.write("content/a.md", "---\ntags: [x]\n---\n");
    assert_eq!(site.build_err(), ["content/tags.md:1:1: deze pagina zou op tags/ komen, waar het overzicht van \"Trefwoorden\" hoort"]);
}

#[test]
fn feeds_and_sitemap_are_valid_xml() {
    let site = default_site_with_base_url();
    let feed = site.read("inspiratie/atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(atom));
    let entries: Vec<_> =
        doc.root_element().children().filter(|n| n.has_tag_name((atom, "entry"))).collect();
    assert_eq!(entries.len(), 12);
    let dates: Vec<&str> = entries
        .iter()
        .map(|e| e.children().find(|n| n.has_tag_name((atom, "updated"))).unwrap().text().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");
    let first_link = entries[0]
        .children()
        .find(|n| n.has_tag_name((atom, "link")))
        .unwrap()
        .attribute("href")
        .unwrap();
    assert_eq!(
        first_link,
        "https://example.org/spiegel/inspiratie/ontmoeting-met-ouders/index.html"
    );
    assert!(!site.out().join("bouwstenen/atom.xml").exists(), "building blocks have no dates");

    let sitemap = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("loc")).map(|n| n.text().unwrap()).collect();
    assert!(locs.contains(&"https://example.org/spiegel/index.html"));
    assert!(locs.contains(&"https://example.org/spiegel/methodieken/pitstop/index.html"));
    assert!(locs.contains(&"https://example.org/spiegel/methodieken/fase/pitstop/index.html"));
    assert!(!locs.iter().any(|l| l.contains("404")));
    for loc in &locs {
        let path = loc.strip_prefix("https://example.org/spiegel/").unwrap();
        assert!(site.out().join(path).is_file(), "{loc}");
    }
    assert!(sitemap.contains("<loc>https://example.org/spiegel/inspiratie/spel-klaargezet/index.html</loc><lastmod>2025-01-27</lastmod>"));
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/spiegel/sitemap.xml\n"
    );
}

#[test]
fn pages_carry_canonical_url_opengraph_and_feed_links() {
    let site = default_site_with_base_url();
    let page = site.read("inspiratie/spel-klaargezet/index.html");
    let head = between(&page, "<head>", "</head>");
    for wanted in [
        "<link rel=\"canonical\" href=\"https://example.org/spiegel/inspiratie/spel-klaargezet/index.html\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:title\" content=\"Speelklaar in plaats van opgeruimd\">",
        "<meta property=\"og:description\" content=\"Een coach zette in op het spelaanbod, en opruimen werd klaarzetten: de ruimte nodigt kinderen opnieuw uit om te spelen.\">",
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Spiegel: Inspiratieboek\" href=\"../../inspiratie/atom.xml\">",
    ] {
        assert!(head.contains(wanted), "{wanted}\n{head}");
    }
    let not_found = site.read("404.html");
    assert!(not_found.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(
        not_found.contains("href=\"https://example.org/spiegel/style.css\""),
        "404 works at any depth"
    );
}

#[test]
fn without_a_base_url_there_is_no_sitemap_and_the_feed_is_relative() {
    let site = TempSite::new();
    site.write("content/_index.md", "# Home\n");
    site.write(
        "content/inspiratie/a.md",
        "---\ntitle: A & B\ndate: 2025-02-03\nvragen: [x]\ndimensies: [omgeving]\nbouwstenen: []\nbron: x\n---\nDe eerste alinea,\nover twee regels.\n\nDe tweede alinea.\n",
    );
    site.build_ok();
    assert!(!site.out().join("sitemap.xml").exists());
    assert_eq!(site.read("robots.txt"), "User-agent: *\nAllow: /\n");
    let feed = site.read("inspiratie/atom.xml");
    roxmltree::Document::parse(&feed).unwrap();
    assert!(feed.contains("<title>A &amp; B</title>"));
    assert!(feed.contains("<link href=\"../inspiratie/a/index.html\"/>"));
    assert!(feed.contains("<id>urn:spiegel:testsite:inspiratie/a</id>"));
    assert!(
        feed.contains("<summary>De eerste alinea, over twee regels.</summary>"),
        "first paragraph: {feed}"
    );
    let page = site.read("inspiratie/a/index.html");
    assert!(page
        .contains("<meta name=\"description\" content=\"De eerste alinea, over twee regels.\">"));
    assert!(!page.contains("rel=\"canonical\""));
    assert!(site.read("404.html").contains("href=\"/style.css\""));
}

#[test]
fn the_zip_unpacks_to_a_site_whose_links_work() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    spiegel::starter::init(&root, "Kinderopvang De Zon", "nl").unwrap();
    let zip_path = dir.path().join("de-zon.zip");
    let report = spiegel::build_zip(&root, &zip_path)
        .unwrap_or_else(|d| panic!("{}", d.in_language(spiegel::diag::Lang::Nl)));
    assert!(!root.join("public").exists(), "the zip replaces the output folder");
    let first = std::fs::read(&zip_path).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    assert_eq!(archive.len(), report.files);
    let unpacked = dir.path().join("unpacked");
    archive.extract(&unpacked).unwrap();
    let site = unpacked.join("kinderopvang-de-zon");
    assert!(std::fs::read_to_string(site.join("index.html"))
        .unwrap()
        .contains("Kinderopvang De Zon"));
    assert!(assert_all_links_resolve(&site) > 1000);
    spiegel::build_zip(&root, &zip_path).unwrap();
    assert_eq!(std::fs::read(&zip_path).unwrap(), first, "the same site gives the same zip");
}

#[test]
fn the_zip_never_goes_into_the_sites_own_folders() {
    let site = TempSite::new();
    site.write("content/_index.md", "# Home\n");
    let err = spiegel::build_zip(&site.root(), &site.root().join("content/site.zip")).unwrap_err();
    let headline = err.into_sorted().remove(0).headline(spiegel::diag::Lang::Nl);
    assert!(
        headline.ends_with("spiegel schrijft de zip niet in de map content/ van de site"),
        "{headline}"
    );
    assert!(!site.root().join("content/site.zip").exists());
}

#[test]
fn a_broken_listing_template_is_reported_once() {
    let site = TempSite::new();
    site.write("content/_index.md", "# Home\n");
    site.write("content/a.md", "---\ntags: [x, y, z]\n---\n");
    site.write("templates/taxonomy.html", "<h1>{{ page.titel }}</h1>\n");
    assert_eq!(
        site.build_err(),
        ["templates/taxonomy.html:1:8: fout in het sjabloon: Variable `page.titel` not found in context while rendering 'taxonomy.html'"]
    );
}
