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

use super::fasthash::{FastMap, FastSet};

use super::synonyms::SynonymTable;
use super::tokenize::{fold, split_folded};
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
    synonyms: &'a SynonymTable,
}

impl<'a> Analyser<'a> {
    pub(super) fn new(stop_words: &[&'static str], synonyms: &'a SynonymTable) -> Self {
        Analyser { stop_words: stop_words.iter().copied().collect(), synonyms }
    }

    pub(super) fn is_stop_word(&self, term: &str) -> bool {
        self.stop_words.contains(term)
    }

    pub(super) fn analyse(&self, doc: &SearchDoc) -> DocTerms {
        let mut weights = TermWeights::default();
        let mut length = self.add_field(&mut weights, &doc.title, field(TITLE_WEIGHT, true));
        for section in &doc.sections {
            length += self.add_field(&mut weights, &section.heading, field(HEADING_WEIGHT, false));
            length += self.add_field(&mut weights, &section.text, field(BODY_WEIGHT, false));
        }
        for tag in &doc.tags {
            self.add_field(&mut weights, tag, field(TAG_WEIGHT, false));
        }
        for value in doc.facets.iter().flat_map(|(_, values)| values) {
            self.add_field(&mut weights, value, field(FACET_WEIGHT, false));
        }
        DocTerms { weights: weights.sorted(), length }
    }

    /// Adds one field's terms and their synonyms; returns how many terms it counted.
    fn add_field(&self, weights: &mut TermWeights, text: &str, weight: TermWeight) -> u32 {
        let folded = fold(text);
        let tokens: Vec<&str> = split_folded(&folded).collect();
        let mut counted = 0;
        for token in tokens.iter().filter(|t| !self.is_stop_word(t)) {
            weights.add(token, weight);
            counted += 1;
        }
        for synonym in self.synonyms.expansions(&tokens) {
            if !self.is_stop_word(synonym) {
                weights.add(synonym, weight.scaled(SYNONYM_FACTOR));
            }
        }
        counted
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
/// the index, are the same on every build.
#[derive(Default)]
struct TermWeights(FastMap<String, TermWeight>);

impl TermWeights {
    fn add(&mut self, term: &str, weight: TermWeight) {
        match self.0.get_mut(term) {
            Some(sum) => sum.add(weight),
            None => {
                self.0.insert(term.to_string(), weight);
            }
        }
    }

    fn sorted(self) -> Vec<(String, TermWeight)> {
        let mut weights: Vec<(String, TermWeight)> = self.0.into_iter().collect();
        weights.sort_by(|a, b| a.0.cmp(&b.0));
        weights
    }
}

#[cfg(test)]
mod tests {
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
