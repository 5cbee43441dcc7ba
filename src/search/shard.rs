//! Splitting the term dictionary into small shards, so a query loads only what it needs.
//!
//! Terms are kept in the client's sort order and cut into consecutive runs of at most
//! [`SHARD_BYTES`]: where terms are dense (many `kinder…` words, long lists) shards cover
//! a short prefix range, where they are sparse a long one. The entry file lists, for each
//! shard, the shortest prefix that separates it from the one before, so the client finds
//! the shard of a word (and of the words it is a prefix of) with a binary search. Inside a
//! shard each term is stored as `<shared prefix length><rest of term> <postings>`, records
//! separated by commas: sorted neighbours share most of their letters. Takes the sorted
//! posting lists, hands on the shard payloads and their boundaries.

use serde_json::Value;

use super::encode::{postings, push_number, registration};
use super::rank::{client_order, TermPostings};
use super::SearchFile;

/// The largest shard file, in bytes: small enough that a first query stays below its 60 KB
/// budget even when its word's completions span two shards, large enough that a 10,000-page
/// site needs only a few hundred shards (the entry file lists them all).
pub(super) const SHARD_BYTES: usize = 10 * 1024;
/// What the registration call around a shard's payload costs, with room to spare.
const WRAPPER_BYTES: usize = 40;
/// The shared prefix length is one base-32 digit.
const MAX_SHARED: usize = 31;

/// One shard's term records and the shortest prefix that leads the client to it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SearchShard {
    pub(super) boundary: String,
    pub(super) records: String,
}

/// Packs the terms (in client order) into shards of at most [`SHARD_BYTES`].
pub(super) fn pack(terms: &[TermPostings]) -> Vec<SearchShard> {
    let mut shards = Vec::new();
    let mut records = String::new();
    let mut boundary = String::new();
    let mut previous: Option<&str> = None;
    // `file_bytes(&records)`, kept as records are added rather than counted again.
    let mut records_bytes = 0;
    for term in terms {
        let mut record = encode_record(previous.unwrap_or(""), term);
        let full = WRAPPER_BYTES + records_bytes + 1 + file_bytes(&record) > SHARD_BYTES;
        if full && !records.is_empty() {
            shards.push(SearchShard { boundary, records: std::mem::take(&mut records) });
            records_bytes = 0;
            boundary = separating_prefix(previous.unwrap_or(""), &term.term);
            record = encode_record("", term);
        }
        if !records.is_empty() {
            records.push(',');
            records_bytes += 1;
        }
        records_bytes += file_bytes(&record);
        records.push_str(&record);
        previous = Some(&term.term);
    }
    shards.push(SearchShard { boundary, records });
    shards
}

/// The shard files, `search/s/<n>.js`.
pub(super) fn files(shards: &[SearchShard]) -> Vec<SearchFile> {
    shards
        .iter()
        .enumerate()
        .map(|(n, shard)| SearchFile {
            path: format!("search/s/{n}.js"),
            bytes: registration(&format!("s{n}"), &Value::String(shard.records.clone())),
        })
        .collect()
}

fn encode_record(previous: &str, term: &TermPostings) -> String {
    let (shared_units, rest) = shared_prefix(previous, &term.term);
    let mut record = String::with_capacity(rest.len() + term.postings.len() * 2 + 4);
    push_number(&mut record, shared_units as u32);
    record.push_str(rest);
    record.push(' ');
    record.push_str(&postings(&term.postings));
    record
}

/// The length of the shared prefix in UTF-16 units (the client slices JS strings) and the
/// rest of `term`. The prefix ends on a character boundary and is at most [`MAX_SHARED`].
fn shared_prefix<'t>(previous: &str, term: &'t str) -> (usize, &'t str) {
    let mut units = 0;
    let mut bytes = 0;
    for (a, b) in previous.chars().zip(term.chars()) {
        if a != b || units + a.len_utf16() > MAX_SHARED {
            break;
        }
        units += a.len_utf16();
        bytes += a.len_utf8();
    }
    (units, &term[bytes..])
}

/// The shortest prefix of `first` that sorts after `last` (`first` > `last`).
fn separating_prefix(last: &str, first: &str) -> String {
    let mut prefix = String::new();
    for c in first.chars() {
        prefix.push(c);
        if client_order(&prefix, last).is_gt() {
            break;
        }
    }
    prefix
}

/// Bytes a payload takes in its file: non-ASCII characters are written as `\uXXXX`.
fn file_bytes(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 6 * c.len_utf16() }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(term: &str, docs: u32) -> TermPostings {
        TermPostings { term: term.to_string(), postings: (0..docs).map(|d| (d * 7, 10)).collect() }
    }

    /// Reads records back the way `search.js` does.
    fn decode(records: &str) -> Vec<String> {
        let mut previous = String::new();
        records
            .split(',')
            .map(|record| {
                let shared = super::super::encode::decode::numbers(&record[..1])[0] as usize;
                let rest = &record[1..record.find(' ').unwrap()];
                let units: Vec<u16> = previous.encode_utf16().take(shared).collect();
                previous = String::from_utf16(&units).unwrap() + rest;
                previous.clone()
            })
            .collect()
    }

    fn shard_of<'s>(shards: &'s [SearchShard], word: &str) -> &'s SearchShard {
        shards.iter().rev().find(|s| client_order(&s.boundary, word).is_le()).unwrap()
    }

    #[test]
    fn shards_stay_under_the_cap_and_every_term_is_where_the_boundaries_say() {
        let mut terms: Vec<TermPostings> =
            (0..3000).map(|i| term(&format!("kinder{i:05}"), 1 + i % 150)).collect();
        terms.push(term("zzp\u{e9}", 3));
        terms.sort_by(|a, b| client_order(&a.term, &b.term));
        let shards = pack(&terms);
        assert!(shards.len() > 10);
        for (shard, file) in shards.iter().zip(files(&shards)) {
            assert!(file.bytes.len() <= SHARD_BYTES, "{} is {} bytes", file.path, file.bytes.len());
            for word in decode(&shard.records) {
                assert_eq!(shard_of(&shards, &word), shard, "{word}");
            }
        }
        let all: Vec<String> = shards.iter().flat_map(|s| decode(&s.records)).collect();
        assert_eq!(all, terms.iter().map(|t| t.term.clone()).collect::<Vec<_>>());
    }

    #[test]
    fn boundaries_are_short_prefixes() {
        assert_eq!(separating_prefix("kinderen", "kinderopvang"), "kindero");
        assert_eq!(separating_prefix("appel", "boek"), "b");
    }

    #[test]
    fn shared_prefix_counts_utf16_units_and_is_capped() {
        assert_eq!(shared_prefix("kind", "kinderen"), (4, "eren"));
        assert_eq!(shared_prefix("a\u{1F476}b", "a\u{1F476}c"), (3, "c"));
        let long = "x".repeat(40);
        assert_eq!(shared_prefix(&long, &(long.clone() + "y")).0, MAX_SHARED);
    }
}
