//! A fast, deterministic hasher for the builder's string-keyed maps.
//!
//! Building the index hashes every word of every page several times; std's SipHash is
//! built to resist hash flooding, which an index builder fed by the site's own content
//! does not need, and costs a large part of the build time. This is the multiply-rotate
//! hash used inside rustc (FxHash). Takes bytes, hands on a `u64`. Also [`WordFilter`],
//! which spares most lookups in the small word sets that every word of a text is looked
//! up in (stop words, synonyms).

use std::borrow::Borrow;
use std::collections::hash_map::IntoValues;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::iter::Chain;

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

    fn write_u128(&mut self, value: u128) {
        self.mix(value as u64);
        self.mix((value >> 64) as u64);
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

/// A map keyed by words that holds each word of up to 15 bytes, nearly all, in its slot
/// as one number ([`short_word`]). A lookup by string hashes it in pieces, calls `memcmp`
/// and waits for the memory the key points to; a short word is two numbers to hash and
/// one to compare. Every word of every page is looked up in such maps.
pub(super) struct WordMap<K, V> {
    short: FastMap<u128, V>,
    /// Longer words, as `&str` or as owned strings.
    long: FastMap<K, V>,
}

impl<K: Borrow<str> + Hash + Eq, V> WordMap<K, V> {
    pub(super) fn with_capacity(words: usize) -> Self {
        let short = FastMap::with_capacity_and_hasher(words, Default::default());
        WordMap { short, long: FastMap::default() }
    }

    pub(super) fn get(&self, word: &str) -> Option<&V> {
        match short_word(word) {
            Some(key) => self.short.get(&key),
            None => self.long.get(word),
        }
    }

    /// The value of `word`, made by `make` if it has none yet.
    pub(super) fn get_or_insert_with<'w>(
        &mut self,
        word: &'w str,
        make: impl FnOnce() -> V,
    ) -> &mut V
    where
        K: From<&'w str>,
    {
        match short_word(word) {
            Some(key) => self.short.entry(key).or_insert_with(make),
            None => self.long.entry(K::from(word)).or_insert_with(make),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// The values, in no particular order.
    pub(super) fn into_values(self) -> Chain<IntoValues<u128, V>, IntoValues<K, V>> {
        self.short.into_values().chain(self.long.into_values())
    }
}

/// A word of at most 15 bytes as one number: its bytes little-endian, zeros, and its
/// length in the last byte. Put together from loads that may overlap, as copying the
/// bytes into a padded array is a call to `memcpy`.
fn short_word(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    let len = bytes.len();
    let load4 = |b: &[u8]| b.first_chunk::<4>().map_or(0, |c| u64::from(u32::from_le_bytes(*c)));
    let load8 = |b: &[u8]| b.first_chunk::<8>().map_or(0, |c| u64::from_le_bytes(*c));
    // Of the last four or eight bytes, those the first load did not take.
    let rest = |last: u64, bytes_beyond: usize, width: usize| match bytes_beyond {
        0 => 0,
        n => last >> (8 * (width - n)),
    };
    let (low, high) = match len {
        0..4 => (bytes.iter().rev().fold(0, |word, &byte| word << 8 | u64::from(byte)), 0),
        4..=8 => (load4(bytes) | rest(load4(&bytes[len - 4..]), len - 4, 4) << 32, 0),
        9..16 => (load8(bytes), rest(load8(&bytes[len - 8..]), len - 8, 8)),
        _ => return None,
    };
    Some(u128::from(low) | u128::from(high) << 64 | (len as u128) << 120)
}

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
    fn short_words_are_their_padded_bytes_and_length() {
        let text = "abcdefghijklmnopé€👶";
        let words = (0..text.len()).flat_map(|a| (a..=text.len()).map(move |b| (a, b)));
        for word in words.filter_map(|(a, b)| text.get(a..b)) {
            let mut padded = [0u8; 16];
            let expected = (word.len() < 16).then(|| {
                padded[..word.len()].copy_from_slice(word.as_bytes());
                padded[15] = word.len() as u8;
                u128::from_le_bytes(padded)
            });
            assert_eq!(short_word(word), expected, "{word:?}");
        }
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
