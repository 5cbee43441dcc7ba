//! A fast, deterministic hasher for the builder's string-keyed maps.
//!
//! Building the index hashes every word of every page several times; std's SipHash is
//! built to resist hash flooding, which an index builder fed by the site's own content
//! does not need, and costs a large part of the build time. This is the multiply-rotate
//! hash used inside rustc (FxHash). Takes bytes, hands on a `u64`.

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
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word));
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

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub(super) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;
