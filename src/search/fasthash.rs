//! A fast, deterministic hasher for the builder's string-keyed maps.
//!
//! Building the index hashes every word of every page several times; std's SipHash is
//! built to resist hash flooding, which an index builder fed by the site's own content
//! does not need, and costs a large part of the build time. This is the multiply-rotate
//! hash used inside rustc (FxHash). Takes bytes, hands on a `u64`. Also [`WordFilter`],
//! which spares most lookups in the small word sets that every word of a text is looked
//! up in (stop words, synonyms).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Default, Clone, Copy)]
pub(super) struct FastHasher(u64);

impl FastHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.mix(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        // The last few bytes as one word: most words are shorter than eight bytes, and
        // a mix per byte made hashing a large part of the index build.
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.mix(tail_word(rest));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.mix(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.mix(value as u64);
    }

    /// The multiply leaves the low bits, which pick the bucket, depending on the low
    /// bytes of the input only; the well-mixed high bits are turned down to them.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// The 1 to 7 bytes of `rest` as one word that tells them apart, from loads that may
/// overlap: copying them into a padded word instead is a call to `memcpy`.
fn tail_word(rest: &[u8]) -> u64 {
    let len = rest.len();
    let word = match (rest.first_chunk::<4>(), rest.last_chunk::<4>()) {
        (Some(first), Some(last)) => {
            u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32
        }
        _ => rest.iter().fold(0, |word, &byte| word << 8 | u64::from(byte)),
    };
    word ^ (len as u64) << 59
}

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub(super) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// Whether a word may be one of a few words, by its first byte and length: a test
/// cheaper than hashing it, which most words of a text fail, as they are none of the
/// site's stop words or synonyms. A word that passes must still be looked up.
pub(super) struct WordFilter {
    /// For each first byte, bit `n` set when some word of `n` bytes (63 or more for 63)
    /// starts with it.
    lengths: [u64; 256],
}

impl WordFilter {
    pub(super) fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> Self {
        let mut filter = WordFilter { lengths: [0; 256] };
        for word in words {
            if let Some(&first) = word.as_bytes().first() {
                filter.lengths[usize::from(first)] |= length_bit(word);
            }
        }
        filter
    }

    /// False only when `word` is none of the words (the empty word always passes).
    pub(super) fn may_hold(&self, word: &str) -> bool {
        match word.as_bytes().first() {
            Some(&first) => self.lengths[usize::from(first)] & length_bit(word) != 0,
            None => true,
        }
    }
}

fn length_bit(word: &str) -> u64 {
    1 << word.len().min(63)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tails_are_told_apart() {
        let words: Vec<Vec<u8>> = (1..8)
            .flat_map(|len| (0..40u8).map(move |n| (0..len).map(|i| b'a' + (n + i) % 7).collect()))
            .collect();
        let tails: std::collections::HashSet<u64> = words.iter().map(|w| tail_word(w)).collect();
        let distinct: std::collections::HashSet<&Vec<u8>> = words.iter().collect();
        assert_eq!(tails.len(), distinct.len());
    }

    #[test]
    fn the_filter_passes_its_words_and_stops_most_others() {
        let long = "x".repeat(70);
        let filter = WordFilter::new(["de", "het", "", &long]);
        for word in ["de", "het", "", long.as_str(), &"x".repeat(64), "dx"] {
            assert!(filter.may_hold(word), "{word}");
        }
        for word in ["d", "den", "ha", "kinderen", "x", "ëen"] {
            assert!(!filter.may_hold(word), "{word}");
        }
    }
}
