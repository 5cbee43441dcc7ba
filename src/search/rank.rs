//! Relevance, computed once at build time: a quantised BM25 impact per term and page.
//!
//! The client must answer from a few kilobytes, so it cannot compute BM25 itself (that
//! needs every page's length and every term's frequency). Instead the builder scores each
//! (term, page) pair with BM25 over the weighted frequency from `analyse` (so title and
//! heading hits, and shorter pages, score higher) plus a bonus for a title that names the
//! term (so a title hit stays above any number of body hits), maps the score to one of
//! [`LEVELS`] levels on a fixed log scale (so levels of different query words can be
//! added), and keeps for each term only its best [`MAX_POSTINGS`] pages: a common word's
//! full list would be most of the index, and nobody reads its 2,000th result.
//!
//! A term's levels depend only on its own pages, their rounded lengths, the number of
//! pages and the rounded average length: nothing that an edit to another page moves,
//! except in the rare edit that crosses a rounding step. So serve ranks again only the
//! terms an edit touches (see `index`). Takes each term's pages with their weights and
//! lengths, hands on impact-sorted posting lists.

#[cfg(test)]
use super::fasthash::FastMap;
use std::cmp::Ordering;

#[cfg(test)]
use rayon::prelude::*;

#[cfg(test)]
use super::analyse::DocTerms;
use super::analyse::TermWeight;

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
#[cfg(test)]
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TermPostings {
    pub(super) term: String,
    pub(super) postings: Vec<(u32, u8)>,
}

/// All posting lists, sorted in the client's string order, and the document frequencies.
#[cfg(test)]
pub(super) struct Ranking {
    pub(super) terms: Vec<TermPostings>,
    pub(super) doc_frequency: FastMap<String, u32>,
}

#[cfg(test)]
pub(super) fn rank(docs: &[DocTerms]) -> Ranking {
    let inverted = invert(docs);
    let lengths: Vec<u32> = docs.iter().map(|d| d.length).collect();
    let total: u64 = lengths.iter().map(|&l| u64::from(l.max(1))).sum();
    let pivot = pivot_length(total, docs.len());
    let doc_frequency =
        inverted.iter().map(|(term, list)| (term.to_string(), list.len() as u32)).collect();
    let mut terms: Vec<TermPostings> = inverted
        .into_par_iter()
        .map(|(term, list)| TermPostings {
            term: term.to_string(),
            postings: best_postings(&list, &lengths, pivot),
        })
        .collect();
    terms.sort_by(|a, b| client_order(&a.term, &b.term));
    Ranking { terms, doc_frequency }
}

/// The page length BM25 compares each page with: the average length (`total` terms over
/// `doc_count` pages), rounded to one of a few values per doubling. Rounded, so that an
/// edit to one page changes it only when it crosses a step, and does not change the
/// level of every term on every other page (see `index`).
pub(super) fn pivot_length(total: u64, doc_count: usize) -> f64 {
    let average = (total as f64 / doc_count.max(1) as f64).max(1.0);
    ((average.log2() * PIVOT_STEPS).round() / PIVOT_STEPS).exp2()
}

/// A page's length as BM25 weighs it: rounded like [`pivot_length`], so that a sentence
/// more or less moves the page's level in none of its terms, most of the time.
pub(super) fn rounded_length(length: u32) -> f64 {
    ((f64::from(length.max(1)).log2() * PIVOT_STEPS).round() / PIVOT_STEPS).exp2()
}

/// Steps of the rounded average length per doubling (about 9% apart).
const PIVOT_STEPS: f64 = 8.0;

/// One term's best pages as `(doc id, level)`: `list` holds every page with the term, in
/// ascending doc order, `lengths` every page's length.
pub(super) fn best_postings(
    list: &[(u32, TermWeight)],
    lengths: &[u32],
    pivot: f64,
) -> Vec<(u32, u8)> {
    let idf = idf(lengths.len(), list.len());
    let mut postings: Vec<(u32, u8)> = list
        .iter()
        .map(|&(doc, weight)| (doc, impact(idf, weight, lengths[doc as usize], pivot)))
        .collect();
    keep_best(&mut postings);
    postings
}

/// The impact level of a term on a page: the term's [`idf`], its weight on the page, the
/// page's length and the pivot length.
pub(super) fn impact(idf: f64, weight: TermWeight, length: u32, pivot: f64) -> u8 {
    impact_of_norm(idf, weight, length_norm(length, pivot))
}

/// [`impact`] with the page's [`length_norm`] worked out once for all its terms.
pub(super) fn impact_of_norm(idf: f64, weight: TermWeight, norm: f64) -> u8 {
    level(idf * relevance(weight, norm))
}

/// Sorts `(doc id, level)` postings best first (highest level, then lowest doc id) and
/// keeps the best [`MAX_POSTINGS`]. Cutting a part of a list first does not change the
/// result: what is not among the best of a part is not among the best of the whole.
pub(super) fn keep_best(postings: &mut Vec<(u32, u8)>) {
    cut_to_best(postings);
    postings.sort_unstable_by_key(best_first);
}

/// [`keep_best`] in no particular order: while a list is still growing, its order is
/// work for nothing.
pub(super) fn cut_to_best(postings: &mut Vec<(u32, u8)>) {
    if postings.len() > MAX_POSTINGS {
        postings.select_nth_unstable_by_key(MAX_POSTINGS, best_first);
        postings.truncate(MAX_POSTINGS);
    }
}

/// The order of [`keep_best`] as one number, which compares faster than a pair.
fn best_first(&(doc, level): &(u32, u8)) -> u64 {
    u64::from(u8::MAX - level) << 32 | u64::from(doc)
}

/// The order in which the client compares strings: UTF-16 code units. It differs from
/// Rust's byte order only for characters beyond the Basic Multilingual Plane, but shard
/// boundaries must agree with the client exactly.
pub(super) fn client_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// term → `(doc, weight)` in ascending doc order, terms in sorted order.
#[cfg(test)]
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
pub(super) fn idf(doc_count: usize, doc_frequency: usize) -> f64 {
    (1.0 + doc_count as f64 / doc_frequency as f64).ln()
}

/// BM25's saturated, length-normalised frequency plus the title bonus (idf aside).
fn relevance(weight: TermWeight, norm: f64) -> f64 {
    weight.frequency * (K1 + 1.0) / (weight.frequency + norm) + TITLE_BONUS * weight.title
}

/// BM25's length normalisation of a page of `length` terms against the pivot length.
pub(super) fn length_norm(length: u32, average_length: f64) -> f64 {
    K1 * (1.0 - B + B * rounded_length(length) / average_length)
}

/// Scores mapped to levels on one fixed log scale, the same for every site and every
/// term: a level depends only on its own score, so levels of different query words can
/// be added, and a change to one page moves no other page's levels.
const LOWEST_SCORE: f64 = 0.02;
#[cfg(test)]
const HIGHEST_SCORE: f64 = 40.0;
/// `ln(HIGHEST_SCORE / LOWEST_SCORE) / (LEVELS - 1)`: neighbouring levels differ by about 6%.
pub(super) const LEVEL_STEP: f64 = 0.060_324_622_694_778_43;

fn level(score: f64) -> u8 {
    let from_lowest = (score.max(f64::MIN_POSITIVE).ln() - LOWEST_SCORE.ln()) / LEVEL_STEP;
    (from_lowest.round() + 1.0).clamp(1.0, f64::from(LEVELS)) as u8
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

    fn level_of(ranking: &Ranking, term: &str, doc: u32) -> u8 {
        let list = &ranking.terms.iter().find(|t| t.term == term).expect("term").postings;
        list.iter().find(|p| p.0 == doc).expect("posting").1
    }

    #[test]
    fn shorter_page_with_the_term_ranks_higher() {
        let ranking =
            rank(&[doc(&[("spel", 1.0)], 50), doc(&[("spel", 1.0)], 800), doc(&[("x", 1.0)], 400)]);
        assert!(level_of(&ranking, "spel", 0) > level_of(&ranking, "spel", 1));
    }

    #[test]
    fn a_title_hit_beats_any_number_of_body_mentions() {
        // A title hit weighs 6 (see `analyse`) and names the term.
        let mut in_title = doc(&[], 400);
        in_title.weights.push(("spel".into(), TermWeight { frequency: 6.0, title: 1.0 }));
        let ranking = rank(&[in_title, doc(&[("spel", 60.0)], 400), doc(&[("x", 1.0)], 400)]);
        assert!(level_of(&ranking, "spel", 0) > level_of(&ranking, "spel", 1));
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
    fn levels_follow_a_fixed_scale_that_other_pages_do_not_move() {
        assert!(
            (LEVEL_STEP - (HIGHEST_SCORE / LOWEST_SCORE).ln() / f64::from(LEVELS - 1)).abs()
                < 1e-12
        );
        assert_eq!(level(LOWEST_SCORE), 1);
        assert_eq!(level(HIGHEST_SCORE), LEVELS);
        let docs = [doc(&[("a", 0.1)], 900), doc(&[("b", 20.0)], 10), doc(&[("c", 1.0)], 100)];
        let mut other = docs.to_vec();
        other[2] = doc(&[("d", 3.0), ("e", 0.01)], 100);
        let (few, many) = (rank(&docs), rank(&other));
        assert_eq!(
            level_of(&few, "b", 1),
            level_of(&many, "b", 1),
            "same pages, length pivot and document frequency"
        );
    }

    #[test]
    fn the_pivot_length_moves_in_steps() {
        assert_eq!(pivot_length(4000, 10), pivot_length(4010, 10));
        assert!(pivot_length(8000, 10) > pivot_length(4000, 10));
        assert_eq!(pivot_length(0, 0), 1.0);
    }

    #[test]
    fn client_order_is_utf16() {
        assert_eq!(client_order("a\u{FFFD}", "a\u{1F476}"), Ordering::Greater);
        assert_eq!("a\u{FFFD}".cmp("a\u{1F476}"), Ordering::Less);
    }
}
