//! Tests of the whole build: what lands in the files, read back the way the client reads
//! it. The client's own behaviour is tested in `client_tests`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value;

use super::client_tests::fixture_site;
use super::encode::decode;
use super::fragment::FRAGMENT_TEXT_CHARS;
use super::shard::SHARD_BYTES;
use super::synthetic::site;
use super::{build_index, SearchConfig, SearchDoc, SearchFile, SearchIndex};

/// The payload of an index file: `spiegelSearch.add("key",<payload>);`.
fn payload(file: &SearchFile) -> Value {
    let text = std::str::from_utf8(&file.bytes).expect("index files are UTF-8");
    let start = text.find(',').expect("a registration call") + 1;
    let end = text.rfind(");").expect("a registration call");
    serde_json::from_str(&text[start..end]).expect("the payload is JSON")
}

fn file<'f>(files: &'f [SearchFile], path: &str) -> &'f SearchFile {
    files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"))
}

/// Every term of the index with its postings, decoded like `search.js` does.
fn index_terms(files: &[SearchFile]) -> HashMap<String, Vec<(u32, u8)>> {
    let mut terms = HashMap::new();
    for shard in files.iter().filter(|f| f.path.starts_with("search/s/")) {
        let mut term = String::new();
        let records = payload(shard);
        for record in records.as_str().unwrap().split(',').filter(|r| !r.is_empty()) {
            let (head, postings) = record.split_once(' ').unwrap();
            let shared = decode::numbers(&head[..1])[0] as usize;
            term = term.chars().take(shared).collect::<String>() + &head[1..];
            terms.insert(term.clone(), decode::postings(postings));
        }
    }
    terms
}

/// Doc id of each URL, from the fragment files.
fn doc_ids(files: &[SearchFile]) -> HashMap<String, u32> {
    files
        .iter()
        .filter_map(|f| f.path.strip_prefix("search/d/").map(|name| (f, name)))
        .map(|(f, name)| {
            (
                payload(f)["u"].as_str().unwrap().to_string(),
                name.trim_end_matches(".js").parse().unwrap(),
            )
        })
        .collect()
}

fn level(terms: &HashMap<String, Vec<(u32, u8)>>, term: &str, doc: u32) -> Option<u8> {
    terms.get(term)?.iter().find(|p| p.0 == doc).map(|p| p.1)
}

#[test]
fn same_pages_give_identical_files_in_any_order() {
    let docs = site(200);
    let config = SearchConfig::new("nl");
    let first = build_index(&docs, &config);
    let mut reversed = docs.clone();
    reversed.reverse();
    assert!(first == build_index(&docs, &config), "a second build differs");
    assert!(first == build_index(&reversed, &config), "the order of the pages matters");
}

#[test]
fn shards_and_fragments_stay_small_on_a_larger_site() {
    let files = build_index(&site(1_000), &SearchConfig::new("nl"));
    let shards: Vec<&SearchFile> =
        files.iter().filter(|f| f.path.starts_with("search/s/")).collect();
    assert!(shards.len() > 10, "a 1,000-page site needs many shards, got {}", shards.len());
    for shard in &shards {
        assert!(shard.bytes.len() <= SHARD_BYTES, "{} has {} bytes", shard.path, shard.bytes.len());
    }
    let entry = payload(file(&files, "search/entry.js"));
    assert_eq!(entry["shards"].as_array().unwrap().len(), shards.len());
    assert!(file(&files, "search/entry.js").bytes.len() < 6_000, "the entry file stays small");
    for fragment in files.iter().filter(|f| f.path.starts_with("search/d/")) {
        let text: usize = payload(fragment)["s"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s[2].as_str().unwrap().chars().count())
            .sum();
        assert!(text <= FRAGMENT_TEXT_CHARS, "{} keeps {text} characters", fragment.path);
    }
}

#[test]
fn shorter_page_and_title_hits_rank_higher() {
    let files = build_index(&fixture_site(), &SearchConfig::new("nl"));
    let (terms, ids) = (index_terms(&files), doc_ids(&files));
    let id = |url: &str| ids[&format!("{url}/index.html")];
    let fantasy = |url| level(&terms, "fantasiespel", id(url)).unwrap();
    assert!(
        fantasy("methodieken/kort") > fantasy("methodieken/lang"),
        "the short page ranks above the long one"
    );
    let outdoor = |url| level(&terms, "buitenspelen", id(url)).unwrap();
    assert!(
        outdoor("inspiratie/buitenspelen") > outdoor("inspiratie/tuin"),
        "the title hit ranks above the body hit"
    );
}

#[test]
fn compounds_synonyms_and_stop_words_in_the_index() {
    let files = build_index(&fixture_site(), &SearchConfig::new("nl"));
    let (terms, ids) = (index_terms(&files), doc_ids(&files));
    let id = |url: &str| ids[&format!("{url}/index.html")];
    assert!(
        level(&terms, "opvang", id("inspiratie/kinderopvang")).is_some(),
        "opvang finds kinderopvang"
    );
    assert!(level(&terms, "begeleider", id("inspiratie/kinderbegeleider")).is_some());
    assert!(level(&terms, "kind", id("inspiratie/kinderopvang")).is_some(), "kind(er)opvang");
    assert!(
        level(&terms, "creche", id("inspiratie/dagverblijf")).is_some(),
        "kinderdagverblijf ~ crèche"
    );
    assert!(level(&terms, "kinderdagverblijf", id("inspiratie/kinderopvang")).is_some());
    assert!(!terms.contains_key("de") && !terms.contains_key("het"), "stop words are not indexed");
    assert!(
        level(&terms, "opvang", id("visie/opvang"))
            >= level(&terms, "opvang", id("inspiratie/kinderopvang")),
        "the word itself counts more than a compound part"
    );
}

#[test]
fn languages_without_compounds_do_not_split() {
    let files = build_index(&fixture_site(), &SearchConfig::new("en"));
    let terms = index_terms(&files);
    assert!(terms.contains_key("kinderopvang"));
    assert!(!terms["opvang"].iter().any(|p| terms["kinderopvang"].iter().any(|q| q.0 == p.0)));
    assert!(terms.contains_key("de"), "Dutch stop words are words in an English site");
}

#[test]
fn every_file_is_under_search_and_the_entry_describes_the_site() {
    let files = build_index(&fixture_site(), &SearchConfig::new("nl"));
    assert!(files.iter().all(|f| f.path.starts_with("search/")));
    assert!(files.windows(2).all(|w| w[0].path < w[1].path), "sorted and unique");
    assert!(
        files.iter().all(|f| f.bytes.is_ascii()),
        "index files are ASCII, whatever the page charset"
    );
    let entry = payload(file(&files, "search/entry.js"));
    assert_eq!(entry["docs"], 10);
    assert_eq!(entry["lang"], "nl");
    assert_eq!(
        entry["kinds"],
        serde_json::json!([["inspiration", "Inspiratie", 6], ["method", "Methodiek", 3]])
    );
    assert_eq!(entry["facets"][0][0], "fase");
    assert!(entry["stop"].as_str().unwrap().split(' ').any(|w| w == "het"));
    assert_eq!(entry["text"]["results"], "{n} resultaten");
}

#[test]
fn an_empty_site_still_gets_a_working_index() {
    let files = build_index(&[], &SearchConfig::new("nl"));
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["search/entry.js", "search/s/0.js", "search/search.js"]);
    let one = build_index(
        &[SearchDoc { title: "Leeg".into(), ..SearchDoc::default() }],
        &SearchConfig::default(),
    );
    assert!(one.iter().any(|f| f.path == "search/d/0.js"));
}

/// The files of an index update applied to the files served so far; hands on how many
/// shard and fragment files it wrote.
fn apply(served: &mut BTreeMap<String, Vec<u8>>, update: super::IndexUpdate) -> (usize, usize) {
    for path in update.removed {
        served.remove(&path);
    }
    let count = |dir: &str| update.files.iter().filter(|f| f.path.starts_with(dir)).count();
    let written = (count("search/s/"), count("search/d/"));
    served.extend(update.files.into_iter().map(|f| (f.path, f.bytes)));
    written
}

/// A page, an edit to it, and whether the edit is small.
type Edit<'e> = (usize, &'e dyn Fn(&mut SearchDoc), bool);

#[test]
fn an_edit_to_one_page_rewrites_a_few_files_and_equals_a_full_build() {
    let config = SearchConfig::new("nl");
    let mut docs = site(1_000);
    let arcs = |docs: &[SearchDoc]| docs.iter().cloned().map(Arc::new).collect::<Vec<_>>();
    let mut index = SearchIndex::new(config.clone());
    let mut served = BTreeMap::new();
    let all = apply(&mut served, index.update(arcs(&docs)));
    // (page, edit, whether it is small: a sentence, a tag, a heading)
    let edits: [Edit<'_>; 5] = [
        (17, &|d| d.sections[0].text.push_str(" Een zin over het sprookjesbos."), true),
        (17, &|d| d.sections[0].text.push_str(" Meetpunt 12345 in de kinderopvangtuin."), true),
        (90, &|d| d.tags.push("nieuwtag".into()), true),
        (3, &|d| d.sections[0].heading = "Speelhoek".into(), true),
        (404, &|d| d.sections.truncate(1), false),
    ];
    for (step, (page, edit, small)) in edits.iter().enumerate() {
        edit(&mut docs[*page]);
        let (shards, fragments) = apply(&mut served, index.update(arcs(&docs)));
        // Shards hold the changed terms; fragments are the page's own and those of
        // pages sharing a word whose rounded rarity moved (a few per word).
        if *small {
            assert!(shards <= 8, "step {step}: {shards} of {} shards written", all.0);
            assert!(fragments <= 100, "step {step}: {fragments} of {} fragments", all.1);
        }
        let full: BTreeMap<String, Vec<u8>> =
            build_index(&docs, &config).into_iter().map(|f| (f.path, f.bytes)).collect();
        assert!(served == full, "step {step}: the index differs from a full build");
    }
    docs[5].title = "Aaaa een nieuwe titel".into();
    apply(&mut served, index.update(arcs(&docs)));
    let full: BTreeMap<String, Vec<u8>> =
        build_index(&docs, &config).into_iter().map(|f| (f.path, f.bytes)).collect();
    assert!(served == full, "after a title change, which moves doc ids");
}
