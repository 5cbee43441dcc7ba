//! The search index kept between builds, so that an edit to a few pages writes only the
//! index files those pages touch.
//!
//! Every file is a function of the current pages alone (a build and a series of edits
//! reaching the same pages give the same bytes), and each depends on few pages: doc ids
//! follow title order, levels a fixed scale and a rounded average length (`rank`), shards
//! start where their terms say (`shard::starts`) and are named by boundary, fragments
//! weigh words by a rounded rarity. So [`SearchIndex::update`] keeps each page's
//! document, the site's vocabulary and compound parts, and every term's full page list;
//! for the pages that changed it analyses them again, updates the lists of the terms
//! they (or the compounds whose parts changed) have, ranks those terms again, and hands
//! on the shards holding them, the fragments of the pages whose text or word rarities
//! changed, the filter files and the entry file when they changed. A change of the doc
//! ids (a title, a page added or removed), of a page's kind or of the rounded average
//! length makes everything again.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::analyse::{with_compound_parts, Analyser, DocTerms, TermWeight};
use super::compound::CompoundSplitter;
use super::fasthash::{FastMap, FastSet};
use super::filter::Filters;
use super::rank::{best_postings, client_order, pivot_length, rounded_length};
use super::steps::{
    client_file, compound_parts, entry_file, fragment_file, in_id_order, is_vocabulary_word,
    rarity, shard_file, shard_starts, title_order, Shard,
};
use super::synonyms::SynonymTable;
use super::{encode, shard, stopwords};
use super::{SearchConfig, SearchDoc, SearchFile};

/// The index of one site between builds.
pub struct SearchIndex {
    config: SearchConfig,
    synonyms: SynonymTable,
    state: Option<State>,
}

/// What an update hands on: files that are new or may have changed, and paths gone.
#[derive(Debug, Default)]
pub struct IndexUpdate {
    pub files: Vec<SearchFile>,
    pub removed: Vec<String>,
}

/// Everything the files are made of.
struct State {
    /// Pages in doc-id order, and each page's doc id by its place in the input.
    docs: Vec<Arc<SearchDoc>>,
    id_of_input: Vec<u32>,
    lengths: Vec<u32>,
    total_length: u64,
    pivot: f64,
    /// Words of the pages (before compound parts) and on how many pages each is.
    vocabulary: FastMap<String, u32>,
    splitter: Option<CompoundSplitter>,
    parts: FastMap<String, Vec<String>>,
    /// Every term's pages in doc order, and its encoded best postings.
    lists: FastMap<String, Vec<(u32, TermWeight)>>,
    /// Terms in client order with their encoded postings.
    order: Vec<(String, String)>,
    filters: Filters,
    filter_files: BTreeMap<String, Vec<u8>>,
    /// Each shard's boundary, first term and number of terms, in client order.
    shards: Vec<Shard>,
    entry: Vec<u8>,
}

impl SearchIndex {
    pub fn new(config: SearchConfig) -> SearchIndex {
        let synonyms = SynonymTable::new(&config.synonyms);
        SearchIndex { config, synonyms, state: None }
    }

    pub fn config(&self) -> &SearchConfig {
        &self.config
    }

    /// The index for `docs` (in any order): everything at the first update, afterwards
    /// what changed since the last one.
    pub fn update(&mut self, docs: Vec<Arc<SearchDoc>>) -> IndexUpdate {
        let analyser = Analyser::new(stopwords::stop_words(&self.config.language), &self.synonyms);
        let config = &self.config;
        let changed = self.state.as_ref().and_then(|s| s.changed_docs(&docs));
        match (self.state.as_mut(), changed) {
            (Some(state), Some(changed)) => state.update(config, &analyser, docs, &changed),
            (old, _) => {
                let old_paths = old.map(|s| s.paths()).unwrap_or_default();
                let state = State::build(config, &analyser, docs);
                let files = state.files();
                let new_paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
                let removed =
                    old_paths.into_iter().filter(|p| !new_paths.contains(p.as_str())).collect();
                self.state = Some(state);
                IndexUpdate { files, removed }
            }
        }
    }
}

/// The terms of a page, compound parts added.
fn with_parts(raw: DocTerms, parts: &FastMap<String, Vec<String>>, splits: bool) -> DocTerms {
    if splits {
        with_compound_parts(raw, |t| parts.get(t).map_or(&[][..], Vec::as_slice))
    } else {
        raw
    }
}

impl State {
    fn build(config: &SearchConfig, analyser: &Analyser<'_>, input: Vec<Arc<SearchDoc>>) -> State {
        let id_of_input = title_order(&input);
        let docs = in_id_order(input, &id_of_input);
        let raw: Vec<DocTerms> = docs.par_iter().map(|doc| analyser.analyse(doc)).collect();
        let mut vocabulary: FastMap<String, u32> = FastMap::default();
        for doc in &raw {
            for (term, _) in &doc.weights {
                *vocabulary.entry(term.clone()).or_default() += 1;
            }
        }
        let splits = super::splits_compounds(&config.language);
        let (splitter, parts) = match splits {
            true => {
                let words: Vec<&str> = vocabulary.keys().map(String::as_str).collect();
                let (splitter, parts) = compound_parts(&words);
                let parts = parts.into_iter().map(|(w, p)| (w.to_string(), p)).collect();
                (Some(splitter), parts)
            }
            false => (None, FastMap::default()),
        };
        let terms: Vec<DocTerms> =
            raw.into_par_iter().map(|d| with_parts(d, &parts, splits)).collect();
        let lengths: Vec<u32> = terms.iter().map(|d| d.length).collect();
        let total_length = lengths.iter().map(|&l| u64::from(l.max(1))).sum();
        let pivot = pivot_length(total_length, docs.len());
        let mut lists: FastMap<String, Vec<(u32, TermWeight)>> = FastMap::default();
        for (id, doc) in terms.into_iter().enumerate() {
            for (term, weight) in doc.weights {
                lists.entry(term).or_default().push((id as u32, weight));
            }
        }
        let mut order: Vec<(String, String)> = lists
            .par_iter()
            .map(|(term, list)| {
                (term.clone(), encode::postings(&best_postings(list, &lengths, pivot)))
            })
            .collect();
        order.sort_by(|a, b| client_order(&a.0, &b.0));
        let filters = Filters::collect(&docs.iter().map(|d| &**d).collect::<Vec<_>>());
        let filter_files = filters.files().into_iter().map(|f| (f.path, f.bytes)).collect();
        let mut state = State {
            docs,
            id_of_input,
            lengths,
            total_length,
            pivot,
            vocabulary,
            splitter,
            parts,
            lists,
            order,
            filters,
            filter_files,
            shards: Vec::new(),
            entry: Vec::new(),
        };
        state.shards = state.shard_starts();
        state.entry = state.entry_file(config).bytes;
        state
    }

    /// Every file of the index.
    fn files(&self) -> Vec<SearchFile> {
        let mut files = vec![
            SearchFile { path: "search/entry.js".into(), bytes: self.entry.clone() },
            client_file(),
        ];
        files.extend(self.shards.iter().map(|s| self.shard_file(s)));
        let ids: Vec<u32> = (0..self.docs.len() as u32).collect();
        files.extend(self.fragment_files(&ids));
        files.extend(
            self.filter_files
                .iter()
                .map(|(path, bytes)| SearchFile { path: path.clone(), bytes: bytes.clone() }),
        );
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    fn paths(&self) -> Vec<String> {
        let mut paths = vec!["search/entry.js".to_string(), "search/search.js".to_string()];
        paths.extend(self.shards.iter().map(|s| format!("search/s/{}.js", shard::name(&s.0))));
        paths.extend((0..self.docs.len()).map(|id| format!("search/d/{id}.js")));
        paths.extend(self.filter_files.keys().cloned());
        paths
    }

    /// The doc ids whose page changed, when the ids themselves did not (the same pages,
    /// titles and kinds at the same places); `None` when they did.
    fn changed_docs(&self, input: &[Arc<SearchDoc>]) -> Option<Vec<u32>> {
        if input.len() != self.docs.len() {
            return None;
        }
        let mut changed = Vec::new();
        for (n, doc) in input.iter().enumerate() {
            let id = self.id_of_input[n];
            let old = &self.docs[id as usize];
            if Arc::ptr_eq(old, doc) {
                continue;
            }
            let same_place = old.url == doc.url && old.title == doc.title;
            if !same_place || old.kind != doc.kind || old.kind_label != doc.kind_label {
                return None;
            }
            if **old != **doc {
                changed.push(id);
            }
        }
        changed.sort_unstable();
        Some(changed)
    }
}

impl State {
    /// Brings the index up to date after the pages `changed` (doc ids) changed.
    fn update(
        &mut self,
        config: &SearchConfig,
        analyser: &Analyser<'_>,
        input: Vec<Arc<SearchDoc>>,
        changed: &[u32],
    ) -> IndexUpdate {
        let mut new_docs = self.docs.clone();
        for (n, doc) in input.into_iter().enumerate() {
            new_docs[self.id_of_input[n] as usize] = doc;
        }
        if changed.is_empty() {
            self.docs = new_docs;
            return IndexUpdate::default();
        }
        let old_raw: Vec<DocTerms> =
            changed.par_iter().map(|&d| analyser.analyse(&self.docs[d as usize])).collect();
        let new_raw: Vec<DocTerms> =
            changed.par_iter().map(|&d| analyser.analyse(&new_docs[d as usize])).collect();
        let crossed = self.count_words(&old_raw, &new_raw);
        let new_parts = self.split_again(&crossed);
        // Pages whose terms may change: the changed ones, and those with a word whose
        // compound parts changed.
        let mut again: BTreeSet<u32> = changed.iter().copied().collect();
        for (word, _) in &new_parts {
            again.extend(self.lists.get(word).into_iter().flatten().map(|p| p.0));
        }
        let again: Vec<u32> = again.into_iter().collect();
        let splits = self.splitter.is_some();
        let raw_of =
            |d: u32, raw: &[DocTerms], docs: &[Arc<SearchDoc>]| match changed.binary_search(&d) {
                Ok(at) => raw[at].clone(),
                Err(_) => analyser.analyse(&docs[d as usize]),
            };
        let old_terms: Vec<DocTerms> = again
            .par_iter()
            .map(|&d| with_parts(raw_of(d, &old_raw, &self.docs), &self.parts, splits))
            .collect();
        for (word, parts) in new_parts {
            if parts.is_empty() {
                self.parts.remove(&word);
            } else {
                self.parts.insert(word, parts);
            }
        }
        let new_terms: Vec<DocTerms> = again
            .par_iter()
            .map(|&d| with_parts(raw_of(d, &new_raw, &new_docs), &self.parts, splits))
            .collect();
        let filters_changed = changed.iter().any(|&d| {
            let (old, new) = (&self.docs[d as usize], &new_docs[d as usize]);
            old.tags != new.tags || old.facets != new.facets
        });
        self.docs = new_docs;
        let old_counts = self.apply_terms(&again, old_terms, new_terms);
        let pivot = pivot_length(self.total_length, self.docs.len());
        let rescale = pivot != self.pivot;
        self.pivot = pivot;
        let all_terms: Vec<&String>;
        let touched: Vec<&String> = match rescale {
            true => {
                all_terms = self.lists.keys().collect();
                all_terms
            }
            false => old_counts.keys().collect(),
        };
        let touched: Vec<String> = touched.into_iter().cloned().collect();
        let touched = self.rank_again(&touched);
        let mut fragments: BTreeSet<u32> = changed.iter().copied().collect();
        let n = self.docs.len();
        for (term, &before) in &old_counts {
            let pages = self.lists.get(term).map_or(&[][..], Vec::as_slice);
            if rarity(n, before) != rarity(n, pages.len()) {
                fragments.extend(pages.iter().map(|p| p.0));
            }
        }
        let mut update = IndexUpdate::default();
        self.update_shards(&touched, rescale, &mut update);
        if filters_changed {
            self.update_filters(&mut update);
        }
        let entry = self.entry_file(config);
        if entry.bytes != self.entry {
            self.entry = entry.bytes.clone();
            update.files.push(entry);
        }
        update.files.extend(self.fragment_files(&fragments.into_iter().collect::<Vec<_>>()));
        update
    }

    /// Counts the words of the changed pages again; hands on the words that the site
    /// now uses and did not before, or the other way round.
    fn count_words(&mut self, old: &[DocTerms], new: &[DocTerms]) -> Vec<(String, bool)> {
        let mut delta: BTreeMap<&str, i64> = BTreeMap::new();
        for (doc, sign) in old.iter().map(|d| (d, -1)).chain(new.iter().map(|d| (d, 1))) {
            for (term, _) in &doc.weights {
                *delta.entry(term).or_default() += sign;
            }
        }
        let mut crossed = Vec::new();
        for (word, delta) in delta.into_iter().filter(|(_, d)| *d != 0) {
            let before = i64::from(self.vocabulary.get(word).copied().unwrap_or(0));
            let after = before + delta;
            if after > 0 {
                self.vocabulary.insert(word.to_string(), after as u32);
            } else {
                self.vocabulary.remove(word);
            }
            if (before > 0) != (after > 0) {
                crossed.push((word.to_string(), after > 0));
            }
        }
        crossed
    }

    /// The compound parts that change with the vocabulary: of the words the site uses
    /// for the first time, and of the words that hold a word that came or went. Hands on
    /// each such word with its new parts (empty: none, or the word is gone).
    fn split_again(&mut self, crossed: &[(String, bool)]) -> Vec<(String, Vec<String>)> {
        let Some(splitter) = self.splitter.as_mut() else { return Vec::new() };
        let mut words: BTreeSet<&str> = BTreeSet::new();
        let mut known = Vec::new();
        for (word, present) in crossed {
            words.insert(word);
            if is_vocabulary_word(word) {
                known.push(word.as_str());
                if *present {
                    splitter.add(word);
                } else {
                    splitter.remove(word);
                }
            }
        }
        if !known.is_empty() {
            let holds = |w: &str| known.iter().any(|k| w.len() > k.len() && w.contains(k));
            words.extend(self.vocabulary.keys().map(String::as_str).filter(|w| holds(w)));
        }
        let mut changed = Vec::new();
        for word in words {
            let parts = match self.vocabulary.contains_key(word) {
                true => splitter.parts(word),
                false => Vec::new(),
            };
            if self.parts.get(word).map_or(&[][..], Vec::as_slice) != parts.as_slice() {
                changed.push((word.to_string(), parts));
            }
        }
        changed
    }

    /// Replaces the terms of the pages `again` in the term lists and lengths; hands on
    /// each term whose list changed with how many pages it had before.
    fn apply_terms(
        &mut self,
        again: &[u32],
        old: Vec<DocTerms>,
        new: Vec<DocTerms>,
    ) -> BTreeMap<String, usize> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for ((&d, old), new) in again.iter().zip(old).zip(new) {
            self.total_length -= u64::from(old.length.max(1));
            self.total_length += u64::from(new.length.max(1));
            self.lengths[d as usize] = new.length;
            let old_length = old.length;
            let old: FastMap<&str, TermWeight> =
                old.weights.iter().map(|(t, w)| (t.as_str(), *w)).collect();
            let new_terms: FastSet<&str> = new.weights.iter().map(|(t, _)| t.as_str()).collect();
            // A page's length is in the score of each of its terms.
            let same_length = rounded_length(old_length) == rounded_length(new.length);
            for (term, weight) in &new.weights {
                if same_length && old.get(term.as_str()) == Some(weight) {
                    continue;
                }
                let list = self.lists.entry(term.clone()).or_default();
                counts.entry(term.clone()).or_insert(list.len());
                match list.binary_search_by_key(&d, |p| p.0) {
                    Ok(at) => list[at].1 = *weight,
                    Err(at) => list.insert(at, (d, *weight)),
                }
            }
            for term in old.keys().filter(|t| !new_terms.contains(*t)) {
                let Some(list) = self.lists.get_mut(*term) else { continue };
                counts.entry(term.to_string()).or_insert(list.len());
                if let Ok(at) = list.binary_search_by_key(&d, |p| p.0) {
                    list.remove(at);
                }
            }
        }
        counts
    }

    /// Ranks `terms` again and puts their postings in the client-ordered list; hands on
    /// the terms whose postings changed.
    fn rank_again(&mut self, terms: &[String]) -> Vec<String> {
        let ranked: Vec<(&String, Option<String>)> = terms
            .par_iter()
            .map(|term| {
                let list = self.lists.get(term).filter(|l| !l.is_empty());
                let postings = list.map(|l| best_postings(l, &self.lengths, self.pivot));
                (term, postings.map(|p| encode::postings(&p)))
            })
            .collect();
        let mut changed = Vec::new();
        for (term, postings) in ranked {
            let at = self.order.binary_search_by(|(t, _)| client_order(t, term));
            match (at, postings) {
                (Ok(at), Some(p)) if self.order[at].1 == p => continue,
                (Ok(at), Some(p)) => self.order[at].1 = p,
                (Err(at), Some(p)) => self.order.insert(at, (term.clone(), p)),
                (Ok(at), None) => {
                    self.order.remove(at);
                    self.lists.remove(term);
                }
                (Err(_), None) => {
                    self.lists.remove(term);
                    continue;
                }
            }
            changed.push(term.clone());
        }
        changed
    }

    /// Each shard's boundary, first term and number of terms.
    fn shard_starts(&self) -> Vec<Shard> {
        shard_starts(&self.order)
    }

    /// The file of one shard of [`State::shards`].
    fn shard_file(&self, shard: &Shard) -> SearchFile {
        shard_file(&self.order, shard)
    }

    /// Cuts the shards again and hands on those that hold a `touched` term or are new
    /// (all of them when every term was ranked again), and the paths of shards gone.
    fn update_shards(&mut self, touched: &[String], all: bool, update: &mut IndexUpdate) {
        let starts = self.shard_starts();
        let boundaries: Vec<&str> = starts.iter().map(|s| s.0.as_str()).collect();
        let mut dirty: FastSet<&str> = FastSet::default();
        for term in touched {
            let at = boundaries.partition_point(|b| client_order(b, term).is_le());
            dirty.extend(at.checked_sub(1).map(|at| boundaries[at]));
        }
        let old: FastMap<&str, (&str, usize)> =
            self.shards.iter().map(|(b, f, n)| (b.as_str(), (f.as_str(), *n))).collect();
        let emit: Vec<&Shard> = starts
            .iter()
            .filter(|(b, f, n)| {
                all || dirty.contains(b.as_str()) || old.get(b.as_str()) != Some(&(f.as_str(), *n))
            })
            .collect();
        let files: Vec<SearchFile> = emit.into_iter().map(|s| self.shard_file(s)).collect();
        let new: FastSet<&str> = boundaries.iter().copied().collect();
        for (boundary, _, _) in self.shards.iter().filter(|s| !new.contains(s.0.as_str())) {
            update.removed.push(format!("search/s/{}.js", shard::name(boundary)));
        }
        update.files.extend(files);
        self.shards = starts;
    }

    /// Collects the filters again; hands on the filter files that changed or are gone.
    fn update_filters(&mut self, update: &mut IndexUpdate) {
        self.filters = Filters::collect(&self.docs.iter().map(|d| &**d).collect::<Vec<_>>());
        let files: BTreeMap<String, Vec<u8>> =
            self.filters.files().into_iter().map(|f| (f.path, f.bytes)).collect();
        for (path, bytes) in &files {
            if self.filter_files.get(path) != Some(bytes) {
                update.files.push(SearchFile { path: path.clone(), bytes: bytes.clone() });
            }
        }
        update
            .removed
            .extend(self.filter_files.keys().filter(|p| !files.contains_key(*p)).cloned());
        self.filter_files = files;
    }

    fn entry_file(&self, config: &SearchConfig) -> SearchFile {
        entry_file(config, self.docs.len(), &self.shards, &self.filters)
    }

    /// The fragment files of the pages `ids`, `search/d/<id>.js`.
    fn fragment_files(&self, ids: &[u32]) -> Vec<SearchFile> {
        let n = self.docs.len();
        let rarity = |term: &str| rarity(n, self.lists.get(term).map_or(0, Vec::len));
        ids.par_iter()
            .map(|&id| fragment_file(id, &self.docs[id as usize], &self.filters, &rarity))
            .collect()
    }
}
