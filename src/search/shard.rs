//! Splitting the term dictionary into small shards, so a query loads only what it needs.
//!
//! Terms are kept in the client's sort order and cut into consecutive runs of at most
//! [`SHARD_BYTES`], starting where the terms themselves say (see [`starts`]), so that an
//! edit changes the shards around the terms it touches and no others: where terms are
//! dense (many `kinder…` words, long lists) shards cover a short prefix range, where they
//! are sparse a long one. The entry file lists, for each shard, the shortest prefix that
//! separates it from the one before, so the client finds the shard of a word (and of the
//! words it is a prefix of) with a binary search; a shard's file is named by that prefix.
//! Inside a shard each term is stored as `<shared prefix length><rest of term>
//! <postings>`, records separated by commas: sorted neighbours share most of their
//! letters. Takes the sorted, encoded posting lists, hands on shard starts and payloads.

#[cfg(test)]
use super::encode::postings;
use super::encode::{push_json_str, push_number, registration_of_json};
use super::rank::client_order;
#[cfg(test)]
use super::rank::TermPostings;
use super::SearchFile;

/// The largest shard file, in bytes: small enough that a first query stays below its 60 KB
/// budget even when its word's completions span two shards, large enough that a 10,000-page
/// site needs only a few hundred shards (the entry file lists them all).
pub(super) const SHARD_BYTES: usize = 10 * 1024;
/// The size shards have on average (many are cut where the content says, see [`starts`]).
const TARGET_SHARD_BYTES: usize = 6 * 1024;
/// What the registration call around a shard's payload costs, with room to spare, besides
/// the shard's name (twice the boundary's length).
const WRAPPER_BYTES: usize = 40;
/// The shared prefix length is one base-32 digit.
const MAX_SHARED: usize = 31;

/// One shard's term records and the shortest prefix that leads the client to it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SearchShard {
    pub(super) boundary: String,
    pub(super) records: String,
}

/// Where shards start, for terms in client order given as `(term, encoded postings)`:
/// `(index of the first term, boundary)` per shard, the first at 0 with boundary `""`.
///
/// Shards start where the content says, not where the previous shard filled up: a shard
/// starts before a term whose [`starts_shard`] holds (about one term per
/// [`TARGET_SHARD_BYTES`]), and only when a shard would outgrow [`SHARD_BYTES`] before
/// such a term does it start early. So a change to one term's postings changes the shards
/// from the last content-defined start before it to the next one after it, not every
/// shard after it, and serve writes a few shard files per edit instead of all of them.
pub(super) fn starts<'t>(terms: impl Iterator<Item = (&'t str, &'t str)>) -> Vec<(usize, String)> {
    let mut starts = vec![(0, String::new())];
    let mut bytes = WRAPPER_BYTES + 1;
    let mut previous = "";
    for (n, (term, postings)) in terms.enumerate() {
        let record = record_bytes(previous, term, postings);
        let early = bytes + 1 + record > SHARD_BYTES;
        if n > 0 && (starts_shard(term, postings) || early) {
            let boundary = separating_prefix(previous, term);
            bytes = WRAPPER_BYTES + 2 * boundary.len() + record_bytes("", term, postings);
            starts.push((n, boundary));
        } else {
            bytes += record + usize::from(n > 0);
        }
        previous = term;
    }
    starts
}

/// Packs the terms (in client order) into shards of at most [`SHARD_BYTES`].
#[cfg(test)]
pub(super) fn pack(terms: &[TermPostings]) -> Vec<SearchShard> {
    let encoded: Vec<(&str, String)> =
        terms.iter().map(|t| (t.term.as_str(), postings(&t.postings))).collect();
    let starts = starts(encoded.iter().map(|(t, p)| (*t, p.as_str())));
    let ends = starts.iter().skip(1).map(|s| s.0).chain([encoded.len()]);
    starts
        .iter()
        .zip(ends)
        .map(|((start, boundary), end)| SearchShard {
            boundary: boundary.clone(),
            records: records(encoded[*start..end].iter().map(|(t, p)| (*t, p.as_str()))),
        })
        .collect()
}

/// A shard's records: `(term, encoded postings)` in client order.
pub(super) fn records<'t>(terms: impl Iterator<Item = (&'t str, &'t str)>) -> String {
    let mut records = String::new();
    let mut previous = "";
    for (term, postings) in terms {
        if !records.is_empty() {
            records.push(',');
        }
        let (shared_units, rest) = shared_prefix(previous, term);
        push_number(&mut records, shared_units as u32);
        records.push_str(rest);
        records.push(' ');
        records.push_str(postings);
        previous = term;
    }
    records
}

/// `text` as a JSON string.
fn json_str(text: &str) -> String {
    let mut json = String::new();
    push_json_str(&mut json, text);
    json
}

/// The file of the shard at `boundary`.
pub(super) fn file(shard: &SearchShard) -> SearchFile {
    let name = name(&shard.boundary);
    SearchFile {
        path: format!("search/s/{name}.js"),
        bytes: registration_of_json(&format!("s{name}"), &json_str(&shard.records)),
    }
}

/// The shard files, `search/s/<name>.js`.
#[cfg(test)]
pub(super) fn files(shards: &[SearchShard]) -> Vec<SearchFile> {
    shards.iter().map(file).collect()
}

/// A shard's file name: its boundary's UTF-8 bytes in hex, `0` for the first shard (no
/// other name has an odd length). Named by boundary, not by number, so that a shard added
/// or dropped does not rename every shard after it; `search.js` computes the same name.
pub(super) fn name(boundary: &str) -> String {
    if boundary.is_empty() {
        return "0".into();
    }
    boundary.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Shards start before about one term in [`TARGET_SHARD_BYTES`] of records: a term starts
/// a shard when a hash of it falls below its record's share of that size.
fn starts_shard(term: &str, postings: &str) -> bool {
    let share = (term.len() + postings.len() + 2) as u64;
    stable_hash(term) / (u64::MAX / TARGET_SHARD_BYTES as u64) < share
}

/// FNV-1a: the same on every machine and in every release, unlike std's hasher.
fn stable_hash(text: &str) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Bytes the record of `term` takes in its file after `previous`.
fn record_bytes(previous: &str, term: &str, postings: &str) -> usize {
    let (_, rest) = shared_prefix(previous, term);
    1 + file_bytes(rest) + 1 + postings.len()
}

/// The length of the shared prefix in UTF-16 units (the client slices JS strings) and the
/// rest of `term`. The prefix ends on a character boundary and is at most [`MAX_SHARED`].
fn shared_prefix<'t>(previous: &str, term: &'t str) -> (usize, &'t str) {
    // Most terms are ASCII, a unit a byte: compare bytes (every term's record is sized at
    // every update).
    let same = previous.bytes().zip(term.bytes()).take_while(|(a, b)| a == b).count();
    if term.as_bytes()[..same].is_ascii() && term.as_bytes().get(same).is_none_or(u8::is_ascii) {
        let units = same.min(MAX_SHARED);
        return (units, &term[units..]);
    }
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
        assert_eq!(shared_prefix("kaé", "kaè"), (2, "è"), "a character differing in its last byte");
        assert_eq!(shared_prefix("ka", "kaè"), (2, "è"));
        assert_eq!(shared_prefix("kaé", "ka"), (2, ""));
        assert_eq!(shared_prefix("a\u{1F476}b", "a\u{1F476}c"), (3, "c"));
        let long = "x".repeat(40);
        assert_eq!(shared_prefix(&long, &(long.clone() + "y")).0, MAX_SHARED);
    }
}
