//! Relevance, computed once at build time: a quantised BM25 impact per term and page.
//!
//! The client must answer from a few kilobytes, so it cannot compute BM25 itself (that
//! needs every page's length and every term's frequency). Instead the builder scores each
//! (term, page) pair with BM25 over the weighted frequency from `analyse` (so title and
//! heading hits, and shorter pages, score higher) plus a bonus for a title that names the
//! term (so a title hit stays above any number of body hits), maps the score to one of [`LEVELS`] levels on a
//! log scale shared by all terms (so levels of different query words can be added), and
//! keeps for each term only its best [`MAX_POSTINGS`] pages: a common word's full list
//! would be most of the index, and nobody reads its 2,000th result. Takes [`DocTerms`] in
//! doc-id order, hands on impact-sorted posting lists.

use super::fasthash::FastMap;
use std::cmp::Ordering;

use rayon::prelude::*;

use super::analyse::{DocTerms, TermWeight};

/// BM25's saturation: the fifth mention of a word adds much less than the first.
const K1: f64 = 1.2;
/// BM25's length normalisation: how much a long page is penalised for being long.
const B: f64 = 0.75;
/// Added to the saturated frequency (at most `K1 + 1`) when the title names the term.
const TITLE_BONUS: f64 = 1.0;
/// Impact levels (1..=LEVELS): on a typical site neighbouring levels differ by about 5%
/// in score, fine enough that pages which differ a little in relevance rarely tie, and a
/// level still costs at most two characters.
pub(super) const LEVELS: u8 = 127;
/// Pages kept per term. Enough for every realistic result list and for filtering a common
/// word by kind; small enough that a common word's list stays about half a kilobyte.
pub(super) const MAX_POSTINGS: usize = 300;

/// One term's best pages as `(doc id, level)`, highest level first, then by doc id.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TermPostings {
    pub(super) term: String,
    pub(super) postings: Vec<(u32, u8)>,
}

/// All posting lists, sorted in the client's string order, plus what it needs to turn a
/// level back into a score (`exp(level * level_step)`) and the document frequencies.
pub(super) struct Ranking {
    pub(super) terms: Vec<TermPostings>,
    pub(super) level_step: f64,
    pub(super) doc_frequency: FastMap<String, u32>,
}

pub(super) fn rank(docs: &[DocTerms]) -> Ranking {
    let inverted = invert(docs);
    let doc_count = docs.len() as f64;
    let average_length =
        docs.iter().map(|d| f64::from(d.length.max(1))).sum::<f64>() / doc_count.max(1.0);
    let scored: Vec<(&str, Vec<(u32, f64)>)> = inverted
        .into_par_iter()
        .map(|(term, list)| {
            let idf = idf(doc_count, list.len() as f64);
            let scores = list
                .iter()
                .map(|&(doc, weight)| {
                    (doc, idf * relevance(weight, docs[doc as usize].length, average_length))
                })
                .collect();
            (term, scores)
        })
        .collect();
    let scale = LevelScale::fit(scored.iter().flat_map(|(_, list)| list.iter().map(|p| p.1)));
    let doc_frequency =
        scored.iter().map(|(term, list)| (term.to_string(), list.len() as u32)).collect();
    let mut terms: Vec<TermPostings> =
        scored.into_par_iter().map(|(term, list)| best_postings(term, &list, &scale)).collect();
    terms.sort_by(|a, b| client_order(&a.term, &b.term));
    Ranking { terms, level_step: scale.step, doc_frequency }
}

/// The order in which the client compares strings: UTF-16 code units. It differs from
/// Rust's byte order only for characters beyond the Basic Multilingual Plane, but shard
/// boundaries must agree with the client exactly.
pub(super) fn client_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// term → `(doc, weight)` in ascending doc order, terms in sorted order.
fn invert(docs: &[DocTerms]) -> Vec<(&str, Vec<(u32, TermWeight)>)> {
    let mut inverted: FastMap<&str, Vec<(u32, TermWeight)>> = FastMap::default();
    for (id, doc) in docs.iter().enumerate() {
        for (term, weight) in &doc.weights {
            inverted.entry(term.as_str()).or_default().push((id as u32, *weight));
        }
    }
    let mut sorted: Vec<(&str, Vec<(u32, TermWeight)>)> = inverted.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted
}

/// Inverse document frequency, `ln(1 + N/df)`. Not BM25's own `ln(1 + (N - df + 0.5) /
/// (df + 0.5))`: that one drops to nearly zero for a word on almost every page, so all of
/// that word's pages would tie and a title hit could no longer lift a page above the rest.
fn idf(doc_count: f64, doc_frequency: f64) -> f64 {
    (1.0 + doc_count / doc_frequency).ln()
}

/// BM25's saturated, length-normalised frequency plus the title bonus (idf aside).
fn relevance(weight: TermWeight, length: u32, average_length: f64) -> f64 {
    let norm = K1 * (1.0 - B + B * f64::from(length.max(1)) / average_length);
    weight.frequency * (K1 + 1.0) / (weight.frequency + norm) + TITLE_BONUS * weight.title
}

fn best_postings(term: &str, scores: &[(u32, f64)], scale: &LevelScale) -> TermPostings {
    let mut postings: Vec<(u32, u8)> =
        scores.iter().map(|&(doc, score)| (doc, scale.level(score))).collect();
    postings.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    postings.truncate(MAX_POSTINGS);
    TermPostings { term: term.to_string(), postings }
}

/// Maps scores to levels on a log scale spanning every score of the site.
struct LevelScale {
    log_min: f64,
    step: f64,
}

impl LevelScale {
    fn fit(scores: impl Iterator<Item = f64>) -> Self {
        let (min, max) = scores
            .filter(|s| *s > 0.0)
            .fold((f64::MAX, f64::MIN), |(lo, hi), s| (lo.min(s), hi.max(s)));
        if min >= max {
            return LevelScale { log_min: min.max(f64::MIN_POSITIVE).ln(), step: 1.0 };
        }
        let step = (max.ln() - min.ln()) / f64::from(LEVELS - 1);
        LevelScale { log_min: min.ln() - step, step }
    }

    fn level(&self, score: f64) -> u8 {
        let level = ((score.max(f64::MIN_POSITIVE).ln() - self.log_min) / self.step).round();
        level.clamp(1.0, f64::from(LEVELS)) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page with body weights (title factor 0).
    fn doc(weights: &[(&str, f64)], length: u32) -> DocTerms {
        let weights =
            weights.iter().map(|(t, w)| (t.to_string(), TermWeight { frequency: *w, title: 0.0 }));
        DocTerms { weights: weights.collect(), length }
    }

    fn level(ranking: &Ranking, term: &str, doc: u32) -> u8 {
        let list = &ranking.terms.iter().find(|t| t.term == term).expect("term").postings;
        list.iter().find(|p| p.0 == doc).expect("posting").1
    }

    #[test]
    fn shorter_page_with_the_term_ranks_higher() {
        let ranking =
            rank(&[doc(&[("spel", 1.0)], 50), doc(&[("spel", 1.0)], 800), doc(&[("x", 1.0)], 400)]);
        assert!(level(&ranking, "spel", 0) > level(&ranking, "spel", 1));
    }

    #[test]
    fn a_title_hit_beats_any_number_of_body_mentions() {
        // A title hit weighs 6 (see `analyse`) and names the term.
        let mut in_title = doc(&[], 400);
        in_title.weights.push(("spel".into(), TermWeight { frequency: 6.0, title: 1.0 }));
        let ranking = rank(&[in_title, doc(&[("spel", 60.0)], 400), doc(&[("x", 1.0)], 400)]);
        assert!(level(&ranking, "spel", 0) > level(&ranking, "spel", 1));
    }

    #[test]
    fn lists_are_sorted_by_level_and_capped() {
        let docs: Vec<DocTerms> =
            (0..MAX_POSTINGS as u32 + 50).map(|i| doc(&[("kind", 1.0)], 100 + i)).collect();
        let ranking = rank(&docs);
        let list = &ranking.terms[0].postings;
        assert_eq!(list.len(), MAX_POSTINGS);
        assert!(list.windows(2).all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0)));
        assert_eq!(list[0].0, 0, "the shortest page is the best");
        assert_eq!(ranking.doc_frequency["kind"], MAX_POSTINGS as u32 + 50);
    }

    #[test]
    fn levels_span_one_to_max() {
        let ranking =
            rank(&[doc(&[("a", 0.1)], 900), doc(&[("b", 20.0)], 10), doc(&[("c", 1.0)], 100)]);
        assert_eq!(level(&ranking, "a", 0), 1);
        assert_eq!(level(&ranking, "b", 1), LEVELS);
    }

    #[test]
    fn client_order_is_utf16() {
        assert_eq!(client_order("a\u{FFFD}", "a\u{1F476}"), Ordering::Greater);
        assert_eq!("a\u{FFFD}".cmp("a\u{1F476}"), Ordering::Less);
    }
}
