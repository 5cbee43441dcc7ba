//! Steps of the index build that the kept index (`index`, for `serve`) and the one-shot
//! build (`once`, for `build`) share, so that both make the same bytes from the same
//! pages: doc ids, compound parts, word rarity, and the shard, fragment, entry and
//! client files.

use rayon::prelude::*;

use super::compound::CompoundSplitter;
use super::entry::Entry;
use super::filter::Filters;
use super::parked::Doc;
use super::rank::{client_order, LEVEL_STEP};
use super::synonyms::SynonymTable;
use super::{encode, fragment, shard, stopwords, tokenize};
use super::{SearchConfig, SearchDoc, SearchFile, CLIENT_SCRIPT};

/// A shard: its boundary, its first term and its number of terms.
pub(super) type Shard = (String, String, usize);

/// Doc ids follow the folded title (then URL), so that browsing a filter lists pages
/// alphabetically and the output does not depend on the order pages were handed in.
pub(super) fn title_order<D: Doc>(docs: &[D]) -> Vec<u32> {
    let mut keyed: Vec<(String, usize)> =
        docs.iter().enumerate().map(|(n, d)| (tokenize::fold(&d.meta().title), n)).collect();
    keyed.sort_by(|a, b| {
        let (x, y) = (docs[a.1].meta(), docs[b.1].meta());
        a.0.cmp(&b.0).then_with(|| x.title.cmp(&y.title)).then_with(|| x.url.cmp(&y.url))
    });
    let mut id_of_input = vec![0; docs.len()];
    for (id, (_, n)) in keyed.into_iter().enumerate() {
        id_of_input[n] = id as u32;
    }
    id_of_input
}

/// The pages of `input` in doc-id order.
pub(super) fn in_id_order<D>(input: Vec<D>, id_of_input: &[u32]) -> Vec<D> {
    let mut keyed: Vec<(u32, D)> = id_of_input.iter().copied().zip(input).collect();
    keyed.sort_unstable_by_key(|(id, _)| *id);
    keyed.into_iter().map(|(_, doc)| doc).collect()
}

/// Words compound parts are found among: three letters or more, not numbers.
pub(super) fn is_vocabulary_word(word: &str) -> bool {
    word.chars().count() >= 3 && !word.chars().all(char::is_numeric)
}

/// The compound splitter over the site's `words` (every term of its pages before compound
/// parts), and the parts of each word that has any.
pub(super) fn compound_parts<'w>(
    words: &[&'w str],
) -> (CompoundSplitter, Vec<(&'w str, Vec<String>)>) {
    let vocabulary = words.iter().filter(|w| is_vocabulary_word(w)).map(|w| w.to_string());
    let splitter = CompoundSplitter::new(vocabulary);
    let parts = words
        .par_iter()
        .map(|&w| (w, splitter.parts(w)))
        .filter(|(_, parts)| !parts.is_empty())
        .collect();
    (splitter, parts)
}

/// How rare a word is, as fragments weigh it: `ln(N / df)` rounded to quarters, so that
/// one more or one fewer page with a common word does not change other pages' fragments.
pub(super) fn rarity(doc_count: usize, doc_frequency: usize) -> f64 {
    if doc_frequency == 0 {
        return 0.0;
    }
    ((doc_count as f64 / doc_frequency as f64).ln() * 4.0).round() / 4.0
}

/// The fragment file of the page `doc` with doc id `id`, `search/d/<id>.js`; `rarity`
/// tells how rare a word is on the site.
pub(super) fn fragment_file(
    id: u32,
    doc: &SearchDoc,
    filters: &Filters,
    rarity: &dyn Fn(&str) -> f64,
) -> SearchFile {
    let json = fragment::fragment(doc, filters.kind_index(&doc.kind), rarity);
    SearchFile {
        path: format!("search/d/{id}.js"),
        bytes: encode::registration_of_json(&format!("d{id}"), &json),
    }
}

/// Where the shards of `order` (terms in client order with their encoded postings) start.
pub(super) fn shard_starts<T: AsRef<str>>(order: &[(T, String)]) -> Vec<Shard> {
    let starts = shard::starts(order.iter().map(|(t, p)| (t.as_ref(), p.as_str())));
    let ends = starts.iter().skip(1).map(|s| s.0).chain([order.len()]);
    let first = |at: usize| order.get(at).map(|t| t.0.as_ref().to_string()).unwrap_or_default();
    starts.iter().zip(ends).map(|((at, b), end)| (b.clone(), first(*at), end - at)).collect()
}

/// The file of one shard of `order`.
pub(super) fn shard_file<T: AsRef<str>>(
    order: &[(T, String)],
    (boundary, first, count): &Shard,
) -> SearchFile {
    let at = order.partition_point(|(t, _)| client_order(t.as_ref(), first).is_lt());
    let terms = order[at..at + count].iter().map(|(t, p)| (t.as_ref(), p.as_str()));
    let records = shard::records(terms);
    shard::file(&shard::SearchShard { boundary: boundary.clone(), records })
}

/// The entry file, `search/entry.js`.
pub(super) fn entry_file(
    config: &SearchConfig,
    doc_count: usize,
    shards: &[Shard],
    filters: &Filters,
) -> SearchFile {
    let synonyms = SynonymTable::new(&config.synonyms);
    Entry {
        language: &config.language,
        doc_count,
        stop_words: stopwords::stop_words(&config.language),
        shard_boundaries: shards.iter().map(|s| s.0.as_str()).collect(),
        level_step: LEVEL_STEP,
        filters,
        synonyms: synonyms.folded_groups(),
    }
    .file()
}

/// The client, `search/search.js`.
pub(super) fn client_file() -> SearchFile {
    SearchFile { path: "search/search.js".into(), bytes: CLIENT_SCRIPT.into() }
}
