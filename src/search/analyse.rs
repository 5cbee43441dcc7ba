//! Per-page term weights: which terms a page is about, and how strongly.
//!
//! Every field of a [`SearchDoc`] is split into terms and each occurrence adds the field's
//! weight, so a word in the title counts six times a word in the body and the ranking
//! (in `rank`) can stay a BM25 over one weighted frequency; whether the title has the term
//! is kept apart too, because BM25 saturates and a page that says a common word fifty
//! times would otherwise catch up with one that names it in its title. Synonyms are added here,
//! where the order of words is still known (phrases), and compound parts afterwards, once
//! the whole site's vocabulary is known. Takes a document, hands on [`DocTerms`].

use std::collections::BTreeMap;
use std::ops::Range;

use super::fasthash::{FastSet, WordFilter, WordMap};

use super::synonyms::SynonymTable;
use super::tokenize::{fold_into, split_folded, BYTES_PER_DISTINCT_WORD};
use super::SearchDoc;

/// Field weights: title, tags and headings say what a page is about more than its body.
const TITLE_WEIGHT: f64 = 6.0;
const TAG_WEIGHT: f64 = 4.0;
const HEADING_WEIGHT: f64 = 3.0;
const FACET_WEIGHT: f64 = 2.0;
const BODY_WEIGHT: f64 = 1.0;
/// A synonym counts a little less than the word the author chose.
const SYNONYM_FACTOR: f64 = 0.8;
/// A compound part (`opvang` in `kinderopvang`) counts half: the page is about the whole.
const COMPOUND_PART_FACTOR: f64 = 0.5;

/// The weighted terms of one page, sorted by term, and its length in terms (for BM25's
/// preference of shorter pages). Terms are strings, or ids that sort like their strings
/// (the one-shot build's, see `once`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DocTerms<K = String> {
    pub(super) weights: Vec<(K, TermWeight)>,
    pub(super) length: u32,
}

/// How strongly a page is about a term: its weighted frequency, and how directly the
/// title names it (1 as written, less for a synonym or a compound part, 0 not at all).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct TermWeight {
    pub(super) frequency: f64,
    pub(super) title: f64,
}

impl TermWeight {
    fn scaled(self, factor: f64) -> Self {
        TermWeight { frequency: self.frequency * factor, title: self.title * factor }
    }

    fn add(&mut self, other: TermWeight) {
        self.frequency += other.frequency;
        self.title = self.title.max(other.title);
    }
}

/// What one occurrence in a field adds.
fn field(weight: f64, is_title: bool) -> TermWeight {
    TermWeight { frequency: weight, title: if is_title { 1.0 } else { 0.0 } }
}

/// Turns documents into [`DocTerms`] with the site's stop words and synonyms.
pub(super) struct Analyser<'a> {
    stop_words: FastSet<&'static str>,
    /// Spares the lookup in `stop_words` for most other words.
    stop_filter: WordFilter,
    synonyms: &'a SynonymTable,
}

impl<'a> Analyser<'a> {
    pub(super) fn new(stop_words: &[&'static str], synonyms: &'a SynonymTable) -> Self {
        let stop_filter = WordFilter::new(stop_words.iter().copied());
        Analyser { stop_words: stop_words.iter().copied().collect(), stop_filter, synonyms }
    }

    pub(super) fn is_stop_word(&self, term: &str) -> bool {
        self.stop_filter.may_hold(term) && self.stop_words.contains(term)
    }

    pub(super) fn analyse(&self, doc: &SearchDoc) -> DocTerms {
        let folded = Folded::new(doc);
        let (weights, length) = self.weigh(&folded);
        let mut weights: Vec<(&str, TermWeight)> = weights.0.into_values().collect();
        weights.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let weights = weights.into_iter().map(|(t, w)| (t.to_string(), w)).collect();
        DocTerms { weights, length }
    }

    /// [`Analyser::analyse`] unsorted, with the terms in one string: what the one-shot
    /// build interns, without a string per term or a sort by string.
    pub(super) fn analyse_flat(&self, doc: &SearchDoc) -> FlatTerms {
        let folded = Folded::new(doc);
        let (weights, length) = self.weigh(&folded);
        let mut flat = FlatTerms {
            text: String::with_capacity(weights.0.len() * BYTES_PER_DISTINCT_WORD),
            ends: Vec::with_capacity(weights.0.len()),
            weights: Vec::with_capacity(weights.0.len()),
            length,
        };
        for (term, weight) in weights.0.into_values() {
            flat.text.push_str(term);
            flat.ends.push(flat.text.len() as u32);
            flat.weights.push(weight);
        }
        flat
    }

    /// The weights of the page's terms and its length in terms.
    fn weigh<'t>(&'t self, folded: &'t Folded) -> (TermWeights<'t>, u32) {
        let mut weights = TermWeights::with_capacity(folded.text.len() / BYTES_PER_DISTINCT_WORD);
        let mut tokens = Vec::new();
        let mut length = 0;
        for (range, weight, counts) in &folded.fields {
            let text = &folded.text[range.clone()];
            let added = self.add_field(&mut weights, &mut tokens, text, *weight);
            if *counts {
                length += added;
            }
        }
        (weights, length)
    }

    /// Adds one folded field's terms and their synonyms; returns how many terms it counted.
    fn add_field<'t>(
        &'t self,
        weights: &mut TermWeights<'t>,
        tokens: &mut Vec<&'t str>,
        folded: &'t str,
        weight: TermWeight,
    ) -> u32 {
        tokens.clear();
        tokens.extend(split_folded(folded));
        let mut counted = 0;
        for token in tokens.iter().filter(|t| !self.is_stop_word(t)) {
            weights.add(token, weight);
            counted += 1;
        }
        for synonym in self.synonyms.expansions(tokens) {
            if !self.is_stop_word(synonym) {
                weights.add(synonym, weight.scaled(SYNONYM_FACTOR));
            }
        }
        counted
    }
}

/// A page's fields folded into one string, in the order they are weighed: each field's
/// range, its weight and whether it counts towards the page's length.
struct Folded {
    text: String,
    fields: Vec<(Range<usize>, TermWeight, bool)>,
}

impl Folded {
    fn new(doc: &SearchDoc) -> Folded {
        let sections = doc.sections.iter().map(|s| s.heading.len() + s.text.len()).sum::<usize>();
        let text = String::with_capacity(doc.title.len() + sections);
        let mut folded = Folded { text, fields: Vec::new() };
        folded.add(&doc.title, field(TITLE_WEIGHT, true), true);
        for section in &doc.sections {
            folded.add(&section.heading, field(HEADING_WEIGHT, false), true);
            folded.add(&section.text, field(BODY_WEIGHT, false), true);
        }
        for tag in &doc.tags {
            folded.add(tag, field(TAG_WEIGHT, false), false);
        }
        for value in doc.facets.iter().flat_map(|(_, values)| values) {
            folded.add(value, field(FACET_WEIGHT, false), false);
        }
        folded
    }

    fn add(&mut self, text: &str, weight: TermWeight, counts: bool) {
        let start = self.text.len();
        fold_into(text, &mut self.text);
        self.fields.push((start..self.text.len(), weight, counts));
    }
}

/// A page's weighted terms in no particular order: the terms one after another in `text`,
/// each ending at its `ends`, with its weight at the same place in `weights`.
pub(super) struct FlatTerms {
    pub(super) text: String,
    pub(super) ends: Vec<u32>,
    pub(super) weights: Vec<TermWeight>,
    pub(super) length: u32,
}

impl FlatTerms {
    pub(super) fn terms(&self) -> impl Iterator<Item = (&str, TermWeight)> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        let ranges = starts.zip(self.ends.iter().copied());
        ranges.zip(&self.weights).map(|((a, b), &w)| (&self.text[a as usize..b as usize], w))
    }
}

/// Adds the parts of the page's compounds (`parts_of`: a term's parts, sorted). Sums go in
/// term order, so ids that sort like their strings give the same floats as strings.
pub(super) fn with_compound_parts<'p, K: Ord + Clone + 'p>(
    mut doc: DocTerms<K>,
    parts_of: impl Fn(&K) -> &'p [K],
) -> DocTerms<K> {
    let mut added: BTreeMap<K, TermWeight> = BTreeMap::new();
    for (term, weight) in &doc.weights {
        for part in parts_of(term) {
            let scaled = weight.scaled(COMPOUND_PART_FACTOR);
            match added.get_mut(part) {
                Some(sum) => sum.add(scaled),
                None => {
                    added.insert(part.clone(), scaled);
                }
            }
        }
    }
    let mut new_terms = Vec::new();
    for (part, weight) in added {
        match doc.weights.binary_search_by(|(term, _)| term.cmp(&part)) {
            Ok(at) => doc.weights[at].1.add(weight),
            Err(_) => new_terms.push((part, weight)),
        }
    }
    if !new_terms.is_empty() {
        doc.weights.extend(new_terms);
        doc.weights.sort_by(|a, b| a.0.cmp(&b.0));
    }
    doc
}

/// Sums weights per term. Additions happen in text order, so the float sums, and with them
/// the index, are the same on every build. Each term is kept with its weight.
struct TermWeights<'t>(WordMap<&'t str, (&'t str, TermWeight)>);

impl<'t> TermWeights<'t> {
    fn with_capacity(terms: usize) -> Self {
        TermWeights(WordMap::with_capacity(terms))
    }

    fn add(&mut self, term: &'t str, weight: TermWeight) {
        let mut new = false;
        let sum = self.0.get_or_insert_with(term, || {
            new = true;
            (term, weight)
        });
        if !new {
            sum.1.add(weight);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fasthash::FastMap;
    use super::super::stopwords::stop_words;
    use super::super::synonyms::default_synonyms;
    use super::super::SearchSection;
    use super::*;

    fn weight(doc: &DocTerms, term: &str) -> (f64, f64) {
        doc.weights
            .iter()
            .find(|(t, _)| t == term)
            .map_or((0.0, 0.0), |(_, w)| (w.frequency, w.title))
    }

    #[test]
    fn fields_weigh_differently_and_stop_words_are_left_out() {
        let synonyms = SynonymTable::new(&default_synonyms("nl"));
        let analyser = Analyser::new(stop_words("nl"), &synonyms);
        let doc = SearchDoc {
            title: "Fantasiespel in de crèche".into(),
            sections: vec![SearchSection {
                anchor: Some("spelen".into()),
                heading: "Samen spelen".into(),
                text: "De kinderen spelen fantasiespel.".into(),
            }],
            tags: vec!["spel".into()],
            ..SearchDoc::default()
        };
        let terms = analyser.analyse(&doc);
        assert_eq!(weight(&terms, "fantasiespel"), (TITLE_WEIGHT + BODY_WEIGHT, 1.0));
        assert_eq!(weight(&terms, "spelen"), (HEADING_WEIGHT + BODY_WEIGHT, 0.0));
        assert_eq!(weight(&terms, "spel"), (TAG_WEIGHT, 0.0));
        assert_eq!(weight(&terms, "de"), (0.0, 0.0));
        assert_eq!(
            weight(&terms, "kinderdagverblijf"),
            (TITLE_WEIGHT * SYNONYM_FACTOR, SYNONYM_FACTOR)
        );
        assert_eq!(terms.length, 2 + 2 + 3, "title, heading, body without stop words");
    }

    #[test]
    fn compound_parts_count_half() {
        let title = TermWeight { frequency: 6.0, title: 1.0 };
        let body = TermWeight { frequency: 1.0, title: 0.0 };
        let doc = DocTerms {
            weights: vec![("kinderopvang".into(), title), ("opvang".into(), body)],
            length: 2,
        };
        let parts: FastMap<String, Vec<String>> =
            [("kinderopvang".to_string(), vec!["kind".to_string(), "opvang".to_string()])]
                .into_iter()
                .collect();
        let doc = with_compound_parts(doc, |t| parts.get(t).map_or(&[][..], Vec::as_slice));
        assert_eq!(weight(&doc, "opvang"), (4.0, 0.5));
        assert_eq!(weight(&doc, "kind"), (3.0, 0.5));
        assert_eq!(weight(&doc, "kinderopvang"), (6.0, 1.0));
    }
}
