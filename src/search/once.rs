//! The one-shot index build of `spiegel build`: every file once, in little memory.
//!
//! [`SearchIndex`](super::SearchIndex) keeps every page's terms and every term's full page
//! list, to update them after an edit; a build needs none of that once the files are
//! made, and holding it costs several times the site's text. So this build keeps each
//! term as a string once and refers to it by an id that sorts like the string, and each
//! page's weights as a pair of ids (a site has few distinct weights); reads the pages once
//! for their terms, then finds compound parts, document frequencies and the pivot length,
//! and then, chunk by chunk, makes each page's impacts and its fragment and drops the
//! page; keeps of each term only its best pages as it goes. Files are handed on in
//! batches as they are made. Every step and encoding is the one `index` uses (`steps`,
//! `analyse`, `rank`), so the bytes are the same.

use std::io;

use rayon::prelude::*;

use super::analyse::{with_compound_parts, Analyser, DocTerms, FlatTerms, TermWeight};
use super::fasthash::{FastMap, WordMap};
use super::filter::Filters;
use super::parked::Doc;
use super::rank::MAX_POSTINGS;
use super::rank::{client_order, cut_to_best, idf, impact_of_norm, keep_best};
use super::rank::{length_norm, pivot_length};
use super::steps::{
    client_file, compound_parts, entry_file, fragment_file, in_id_order, rarity, shard_file,
    shard_starts, title_order,
};
use super::synonyms::SynonymTable;
use super::{encode, splits_compounds, stopwords};
use super::{SearchConfig, SearchFile};

/// Pages analysed or made into fragments together: enough to keep both cores busy, few
/// enough that their terms and fragments take little memory.
const CHUNK: usize = 256;
/// Shard files handed on together.
const SHARD_BATCH: usize = 64;

/// Every file of the index for `docs` (any order), handed to `emit` in batches as they
/// are made, each file exactly once; the same bytes as
/// `SearchIndex::new(config).update(docs).files`. Each page is dropped once its fragment
/// is made, so the caller should hand over the only references to them. Fails only when
/// a page cannot be read back (from a [`Spill`](crate::spill::Spill)).
pub fn index_once<D: Doc>(
    config: &SearchConfig,
    docs: Vec<D>,
    emit: &mut dyn FnMut(Vec<SearchFile>),
) -> io::Result<()> {
    let synonyms = SynonymTable::new(&config.synonyms);
    let analyser = Analyser::new(stopwords::stop_words(&config.language), &synonyms);
    let id_of_input = title_order(&docs);
    let docs = in_id_order(docs, &id_of_input);
    drop(id_of_input);
    let doc_count = docs.len();
    let filters = Filters::collect(&docs.iter().map(Doc::meta).collect::<Vec<_>>());
    let mut first = filters.files();
    first.push(client_file());
    emit(first);
    let mut vocabulary = Vocabulary::read(&analyser, &docs, splits_compounds(&config.language))?;
    let doc_terms = std::mem::take(&mut vocabulary.doc_terms);
    let rarity = Rarity::new(&vocabulary, doc_count);
    let pass = Impacts { vocabulary: &vocabulary, rarity: &rarity, filters: &filters };
    let lists = pass.run(docs, doc_terms, emit)?;
    drop(rarity);
    let mut order: Vec<(&str, String)> = lists
        .into_par_iter()
        .enumerate()
        .filter(|(_, list)| !list.is_empty())
        .map(|(id, mut list)| {
            keep_best(&mut list);
            (&*vocabulary.terms[id], encode::postings(&list))
        })
        .collect();
    // Ids follow byte order, which differs from the client's only beyond the BMP: the
    // run-finding stable sort makes this nearly linear.
    order.sort_by(|a, b| client_order(a.0, b.0));
    let shards = shard_starts(&order);
    for batch in shards.chunks(SHARD_BATCH) {
        emit(batch.par_iter().map(|s| shard_file(&order, s)).collect());
    }
    emit(vec![entry_file(config, doc_count, &shards, &filters)]);
    Ok(())
}

/// A page's terms before compound parts: `(term id, weight id)`, sorted.
type PageTerms = Box<[(u32, u32)]>;

/// What reading the pages finds out.
struct Vocabulary {
    /// Every term of the site (compound parts included), sorted: a term's id is its place.
    terms: Vec<Box<str>>,
    /// Each page's terms before compound parts, by doc id: `(term id, weight id)` sorted.
    doc_terms: Vec<PageTerms>,
    /// The distinct weights, by weight id.
    weights: Vec<TermWeight>,
    /// The compound parts of the terms that have any, sorted.
    parts: FastMap<u32, Box<[u32]>>,
    /// On how many pages each term is, compound parts counted.
    doc_frequency: Vec<u32>,
    /// Each page's length in terms, by doc id, and the pivot length of BM25.
    lengths: Vec<u32>,
    pivot: f64,
}

/// Terms and weights interned in the order they are met, before terms are sorted.
struct Interner {
    /// Each term by id, and the id of each term.
    terms: Vec<Box<str>>,
    ids: WordMap<Box<str>, u32>,
    weight_ids: FastMap<(u64, u64), u32>,
    weights: Vec<TermWeight>,
}

impl Interner {
    fn new() -> Self {
        let ids = WordMap::with_capacity(0);
        Interner { terms: Vec::new(), ids, weight_ids: FastMap::default(), weights: Vec::new() }
    }

    fn id(&mut self, term: &str) -> u32 {
        let next = self.terms.len() as u32;
        let id = *self.ids.get_or_insert_with(term, || next);
        if id == next {
            self.terms.push(term.into());
        }
        id
    }

    /// Weights by their bits: the same float is the same weight.
    fn weight_id(&mut self, weight: TermWeight) -> u32 {
        let key = (weight.frequency.to_bits(), weight.title.to_bits());
        let next = self.weights.len() as u32;
        let id = *self.weight_ids.entry(key).or_insert(next);
        if id == next {
            self.weights.push(weight);
        }
        id
    }

    fn doc(&mut self, doc: &FlatTerms) -> PageTerms {
        doc.terms().map(|(t, w)| (self.id(t), self.weight_id(w))).collect()
    }
}

impl Vocabulary {
    /// Analyses `docs` (in doc-id order) for their terms and lengths and, when the
    /// language `splits` compounds, finds the parts of every word.
    fn read<D: Doc>(analyser: &Analyser<'_>, docs: &[D], splits: bool) -> io::Result<Vocabulary> {
        let mut interner = Interner::new();
        let mut doc_terms: Vec<PageTerms> = Vec::with_capacity(docs.len());
        let mut lengths: Vec<u32> = Vec::with_capacity(docs.len());
        let analyse = |chunk: &[D]| -> io::Result<Vec<FlatTerms>> {
            chunk.par_iter().map(|d| Ok(analyser.analyse_flat(&*d.full()?))).collect()
        };
        let mut chunks = docs.chunks(CHUNK);
        let mut pending: Vec<FlatTerms> =
            chunks.next().map(analyse).transpose()?.unwrap_or_default();
        // Interning is one thread's work: it goes on while the next chunk is analysed.
        loop {
            let done = std::mem::take(&mut pending);
            let next = chunks.next();
            let (_, analysed) = rayon::join(
                || {
                    for doc in done {
                        lengths.push(doc.length);
                        doc_terms.push(interner.doc(&doc));
                    }
                },
                || next.map(analyse),
            );
            match analysed {
                Some(analysed) => pending = analysed?,
                None => break,
            }
        }
        let parts = match splits {
            true => split(&mut interner),
            false => Vec::new(),
        };
        // Ids in sorted order, so that compound parts add up in the order `index` adds them.
        let mut all: Vec<(Box<str>, u32)> = interner.terms.into_iter().zip(0..).collect();
        all.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut sorted_id = vec![0u32; all.len()];
        for (id, (_, old)) in all.iter().enumerate() {
            sorted_id[*old as usize] = id as u32;
        }
        let terms: Vec<Box<str>> = all.into_iter().map(|(t, _)| t).collect();
        doc_terms.par_iter_mut().for_each(|doc| {
            doc.iter_mut().for_each(|(t, _)| *t = sorted_id[*t as usize]);
            // A page has each term once: its term ids alone order it.
            doc.sort_unstable_by_key(|&(t, _)| t);
        });
        let parts: FastMap<u32, Box<[u32]>> = parts
            .into_iter()
            .map(|(word, parts)| {
                let mut parts: Vec<u32> = parts.iter().map(|&p| sorted_id[p as usize]).collect();
                parts.sort_unstable();
                (sorted_id[word as usize], parts.into_boxed_slice())
            })
            .collect();
        let doc_frequency = doc_frequencies(&doc_terms, &parts, terms.len());
        let total_length = lengths.iter().map(|&l| u64::from(l.max(1))).sum();
        let pivot = pivot_length(total_length, docs.len());
        let weights = interner.weights;
        Ok(Vocabulary { terms, doc_terms, weights, parts, doc_frequency, lengths, pivot })
    }

    fn parts_of(&self, term: &u32) -> &[u32] {
        self.parts.get(term).map_or(&[], |p| p)
    }
}

/// The compound parts of every interned word, as `(word, parts)` in interned ids; parts
/// that are no word of the site's own are interned too.
fn split(interner: &mut Interner) -> Vec<(u32, Vec<u32>)> {
    let words: Vec<&str> = interner.terms.iter().map(|t| &**t).collect();
    let found: Vec<(u32, Vec<String>)> = {
        let (splitter, parts) = compound_parts(&words);
        drop(splitter);
        parts.into_iter().filter_map(|(w, p)| Some((*interner.ids.get(w)?, p))).collect()
    };
    drop(words);
    found
        .into_iter()
        .map(|(word, parts)| (word, parts.iter().map(|p| interner.id(p)).collect()))
        .collect()
}

/// On how many pages each term is: `doc_terms` with their compound `parts`.
fn doc_frequencies(
    doc_terms: &[PageTerms],
    parts: &FastMap<u32, Box<[u32]>>,
    term_count: usize,
) -> Vec<u32> {
    doc_terms
        .par_iter()
        .with_min_len(CHUNK)
        .fold(
            || vec![0u32; term_count],
            |mut counts, raw| {
                let mut terms: Vec<u32> = raw.iter().map(|&(t, _)| t).collect();
                let with_parts = terms.iter().filter_map(|t| parts.get(t)).flatten().copied();
                let with_parts: Vec<u32> = with_parts.collect();
                terms.extend(with_parts);
                terms.sort_unstable();
                terms.dedup();
                for t in terms {
                    counts[t as usize] += 1;
                }
                counts
            },
        )
        .reduce(
            || vec![0u32; term_count],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                a
            },
        )
}

/// A page's impacts `(term id, level)` and its fragment file.
type Made = (Vec<(u32, u8)>, SearchFile);

/// Adds the impacts of the pages made (doc ids from `first` on) to the term lists, cut to
/// the best as they grow; hands on their fragment files.
fn add_to_lists(lists: &mut [Vec<(u32, u8)>], first: u32, made: Vec<Made>) -> Vec<SearchFile> {
    let mut files = Vec::with_capacity(made.len());
    for (id, (impacts, file)) in (first..).zip(made) {
        for (term, level) in impacts {
            let list = &mut lists[term as usize];
            list.push((id, level));
            if list.len() >= 2 * MAX_POSTINGS {
                cut_to_best(list);
            }
        }
        files.push(file);
    }
    files
}

/// How rare words are on the site, as fragments weigh them.
///
/// A lookup in a map of every term mostly waits for memory: for the map's slot, and
/// again for the term the slot points to. So words short enough, nearly all, are kept
/// in the slot itself ([`WordMap`]).
struct Rarity<'a> {
    of_term: WordMap<&'a str, f64>,
    doc_count: usize,
}

impl<'a> Rarity<'a> {
    fn new(vocabulary: &'a Vocabulary, doc_count: usize) -> Self {
        let mut of_term = WordMap::with_capacity(vocabulary.terms.len());
        for (term, &df) in vocabulary.terms.iter().zip(&vocabulary.doc_frequency) {
            of_term.get_or_insert_with(term, || rarity(doc_count, df as usize));
        }
        Rarity { of_term, doc_count }
    }

    fn of(&self, word: &str) -> f64 {
        self.of_term.get(word).copied().unwrap_or(rarity(self.doc_count, 0))
    }
}

/// The impacts and fragments of the pages.
struct Impacts<'a> {
    vocabulary: &'a Vocabulary,
    rarity: &'a Rarity<'a>,
    filters: &'a Filters,
}

impl Impacts<'_> {
    /// Hands on the fragment files of `docs` (in doc-id order, with their `doc_terms`)
    /// chunk by chunk, dropping the pages as it goes; returns each term's best postings
    /// found, by term id.
    fn run<D: Doc>(
        &self,
        docs: Vec<D>,
        doc_terms: Vec<PageTerms>,
        emit: &mut dyn FnMut(Vec<SearchFile>),
    ) -> io::Result<Vec<Vec<(u32, u8)>>> {
        let vocabulary = self.vocabulary;
        let doc_count = docs.len();
        let idf: Vec<f64> =
            vocabulary.doc_frequency.iter().map(|&df| idf(doc_count, df as usize)).collect();
        let mut lists: Vec<Vec<(u32, u8)>> = vec![Vec::new(); vocabulary.terms.len()];
        let mut pages = docs.into_iter().zip(doc_terms);
        let mut base = 0u32;
        let mut pending: Vec<Made> = Vec::new();
        // Adding a chunk's impacts to the lists is one thread's work: it goes on while the
        // next chunk is made.
        loop {
            let chunk: Vec<_> = pages.by_ref().take(CHUNK).collect();
            let done = std::mem::take(&mut pending);
            let (files, made) = rayon::join(
                || add_to_lists(&mut lists, base - done.len() as u32, done),
                || {
                    let at = base;
                    let made = chunk.into_par_iter().enumerate().map(|(n, (doc, terms))| {
                        let id = at + n as u32;
                        let rarity = |word: &str| self.rarity.of(word);
                        let fragment = fragment_file(id, &*doc.full()?, self.filters, &rarity);
                        Ok((self.impacts(&terms, id, &idf), fragment))
                    });
                    made.collect::<io::Result<Vec<Made>>>()
                },
            );
            if !files.is_empty() {
                emit(files);
            }
            let made = made?;
            if made.is_empty() {
                break;
            }
            base += made.len() as u32;
            pending = made;
        }
        Ok(lists)
    }

    /// The impact level of each term (compound parts included) on the page `id` with the
    /// terms `raw`.
    fn impacts(&self, raw: &[(u32, u32)], id: u32, idf: &[f64]) -> Vec<(u32, u8)> {
        let vocabulary = self.vocabulary;
        let weight = |w: u32| vocabulary.weights[w as usize];
        let length = vocabulary.lengths[id as usize];
        let terms =
            DocTerms { weights: raw.iter().map(|&(t, w)| (t, weight(w))).collect(), length };
        let terms = with_compound_parts(terms, |t| vocabulary.parts_of(t));
        let norm = length_norm(length, vocabulary.pivot);
        let impacts = terms.weights.into_iter();
        impacts.map(|(t, w)| (t, impact_of_norm(idf[t as usize], w, norm))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::client_tests::fixture_site;
    use super::super::parked::ParkedDoc;
    use super::super::synthetic::site;
    use super::super::{SearchDoc, SearchIndex, SearchSection};
    use super::*;
    use crate::spill::Spill;
    use std::sync::Arc;

    /// The files of a one-shot build, sorted by path, each path handed on once.
    fn once_files<D: Doc>(docs: Vec<D>, config: &SearchConfig) -> Vec<SearchFile> {
        let count = docs.len();
        let mut once = Vec::new();
        let mut batches = 0;
        let made = index_once(config, docs, &mut |batch| {
            batches += 1;
            once.extend(batch);
        });
        assert!(made.is_ok(), "{made:?}");
        once.sort_by(|a, b| a.path.cmp(&b.path));
        assert!(once.windows(2).all(|w| w[0].path != w[1].path), "a file handed on twice");
        assert!(count < CHUNK || batches > 2, "files come in batches");
        once
    }

    /// The files of both builds, sorted by path; the one-shot build's the same whether
    /// its pages' texts were parked in a spill file or held in memory.
    fn both(docs: &[SearchDoc], config: &SearchConfig) -> (Vec<SearchFile>, Vec<SearchFile>) {
        let arcs = || docs.iter().cloned().map(Arc::new).collect::<Vec<_>>();
        let mut kept = SearchIndex::new(config.clone()).update(arcs()).files;
        kept.sort_by(|a, b| a.path.cmp(&b.path));
        let once = once_files(arcs(), config);
        let spill = Spill::new().unwrap();
        let parked = docs.iter().map(|d| ParkedDoc::new(Some(&spill), d.clone())).collect();
        let from_spill = once_files::<ParkedDoc>(parked, config);
        assert!(
            once.iter()
                .map(|f| (&f.path, &f.bytes))
                .eq(from_spill.iter().map(|f| (&f.path, &f.bytes))),
            "the same files from a spill"
        );
        (kept, once)
    }

    fn assert_same(docs: &[SearchDoc], language: &str) {
        let (kept, once) = both(docs, &SearchConfig::new(language));
        assert_eq!(kept.len(), once.len(), "{language}: number of files");
        for (a, b) in kept.iter().zip(&once) {
            assert_eq!(a.path, b.path, "{language}");
            assert!(a.bytes == b.bytes, "{language}: {} differs", a.path);
        }
    }

    /// The client tests' site and a page with words beyond the Basic Multilingual Plane,
    /// where the client's string order is not Rust's.
    fn fixture_and_astral_page() -> Vec<SearchDoc> {
        let mut docs = fixture_site();
        docs.push(SearchDoc {
            url: "x/index.html".into(),
            title: "Baby \u{1F476} babyfoon".into(),
            sections: vec![SearchSection {
                anchor: None,
                heading: String::new(),
                text: "baby\u{1F476}x baby\u{FFFD}y babyfoon kinderbabyfoon".into(),
            }],
            ..SearchDoc::default()
        });
        docs
    }

    #[test]
    fn the_same_files_as_the_kept_index_on_a_dutch_site_with_compounds() {
        assert_same(&fixture_and_astral_page(), "nl");
        assert_same(&site(700), "nl");
    }

    #[test]
    fn the_same_files_as_the_kept_index_without_compound_splitting() {
        assert_same(&fixture_and_astral_page(), "en");
        assert_same(&site(300), "fr");
    }

    #[test]
    fn no_pages_still_give_the_entry_client_and_an_empty_shard() {
        assert_same(&[], "nl");
    }
}
