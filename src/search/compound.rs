//! Dutch compound splitting against the site's own vocabulary.
//!
//! Dutch writes compounds as one word (`kinderopvang`, `kinderbegeleider`), so a reader
//! searching `opvang` or `begeleider` would miss them. Prefix search already covers the
//! head (`kind` finds `kinderopvang`); this module finds the tail. A word is split where
//! both sides are words the site itself uses elsewhere, allowing a linking element
//! (`s`, `e`, `en`, `er`) after the head: `kinderopvang` → `kinder` + `kind` + `opvang`.
//! Using the site's vocabulary instead of a dictionary keeps the build self-contained and
//! the splits relevant. It takes the vocabulary and hands on, per word, the parts to index
//! beside the word itself.

use super::fasthash::FastSet;

/// Shortest head, after removing a linking element.
const MIN_HEAD_CHARS: usize = 3;
/// Shortest tail: three-letter tails (`kindsoep` → `soep` is fine, but `verbod` → `bod`)
/// give too many false splits.
const MIN_TAIL_CHARS: usize = 4;
/// Linking elements between the parts of a Dutch compound (`bedrijfsleider`,
/// `boekenkast`, `kinderopvang`), longest first so `en` is tried before `e`.
const LINKS: &[&str] = &["en", "er", "s", "e"];
/// Nesting depth for compounds of compounds (`kinderopvangorganisatie`).
const MAX_DEPTH: usize = 3;

/// Splits words into the known words they are made of.
pub(super) struct CompoundSplitter {
    vocabulary: FastSet<String>,
}

/// One way to cut a word: what to index for its head, and the tail's own parts.
struct Cut {
    parts: Vec<String>,
    components: usize,
    tail_chars: usize,
}

impl CompoundSplitter {
    /// `vocabulary`: folded words that the site uses on their own (stop words excluded).
    pub(super) fn new(vocabulary: impl IntoIterator<Item = String>) -> Self {
        CompoundSplitter { vocabulary: vocabulary.into_iter().collect() }
    }

    /// The parts of `word` worth indexing for it, without the word itself; empty when it
    /// is not a compound of known words. Parts of parts are included.
    pub(super) fn parts(&self, word: &str) -> Vec<String> {
        let mut parts = self.cut(word, 0).map(|cut| cut.parts).unwrap_or_default();
        parts.sort();
        parts.dedup();
        parts
    }

    /// A word the site now uses: serve's index keeps one splitter between builds.
    pub(super) fn add(&mut self, word: &str) {
        self.vocabulary.insert(word.to_string());
    }

    /// A word the site no longer uses.
    pub(super) fn remove(&mut self, word: &str) {
        self.vocabulary.remove(word);
    }

    fn known(&self, word: &str) -> bool {
        self.vocabulary.contains(word)
    }

    /// The best cut: fewest components, then the longest tail (Dutch compounds are
    /// right-headed, so the tail is the more meaningful part).
    fn cut(&self, word: &str, depth: usize) -> Option<Cut> {
        if depth > MAX_DEPTH || word.chars().count() < MIN_HEAD_CHARS + MIN_TAIL_CHARS {
            return None;
        }
        let mut best: Option<Cut> = None;
        for (at, _) in word.char_indices().skip(MIN_HEAD_CHARS) {
            let (head, tail) = word.split_at(at);
            let tail_chars = tail.chars().count();
            if tail_chars < MIN_TAIL_CHARS {
                break;
            }
            let Some(candidate) = self.cut_at(head, tail, tail_chars, depth) else { continue };
            let better = best.as_ref().is_none_or(|b| {
                (candidate.components, std::cmp::Reverse(candidate.tail_chars))
                    < (b.components, std::cmp::Reverse(b.tail_chars))
            });
            if better {
                best = Some(candidate);
            }
        }
        best
    }

    fn cut_at(&self, head: &str, tail: &str, tail_chars: usize, depth: usize) -> Option<Cut> {
        let mut parts = self.head_parts(head)?;
        let tail_components = if self.known(tail) {
            parts.push(tail.to_string());
            parts.extend(self.cut(tail, depth + 1).map(|c| c.parts).unwrap_or_default());
            1
        } else {
            let inner = self.cut(tail, depth + 1)?;
            parts.extend(inner.parts);
            inner.components
        };
        Some(Cut { parts, components: 1 + tail_components, tail_chars })
    }

    /// The head as written (`kinder`) and, when it ends in a linking element, the word
    /// without it (`kind`), if either is known. A known head that is itself a compound
    /// contributes its parts too.
    fn head_parts(&self, head: &str) -> Option<Vec<String>> {
        let mut parts = Vec::new();
        if self.known(head) {
            parts.push(head.to_string());
        }
        for link in LINKS {
            if let Some(stem) = head.strip_suffix(link) {
                if stem.chars().count() >= MIN_HEAD_CHARS && self.known(stem) {
                    if parts.is_empty() {
                        parts.push(head.to_string());
                    }
                    parts.push(stem.to_string());
                    break;
                }
            }
        }
        if parts.is_empty() {
            return None;
        }
        if let Some(inner) = self.cut(head, MAX_DEPTH - 1) {
            parts.extend(inner.parts);
        }
        Some(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splitter(words: &[&str]) -> CompoundSplitter {
        CompoundSplitter::new(words.iter().map(|w| w.to_string()))
    }

    fn vocabulary() -> CompoundSplitter {
        splitter(&[
            "kind",
            "kinderen",
            "begeleider",
            "opvang",
            "organisatie",
            "boek",
            "kast",
            "bedrijf",
            "leider",
            "spel",
            "fantasie",
            "belang",
            "gesprek",
            "buiten",
            "school",
        ])
    }

    #[test]
    fn splits_against_the_site_vocabulary() {
        let cases: &[(&str, &[&str])] = &[
            ("kinderbegeleider", &["begeleider", "kind", "kinder"]),
            ("kinderopvang", &["kind", "kinder", "opvang"]),
            ("kindgesprek", &["gesprek", "kind"]),
            ("boekenkast", &["boek", "boeken", "kast"]),
            ("bedrijfsleider", &["bedrijf", "bedrijfs", "leider"]),
            ("fantasiespel", &["fantasie", "spel"]),
            ("kinderopvangorganisatie", &["kind", "kinder", "opvang", "organisatie"]),
            ("buitenschoolse", &[]),
            ("begeleider", &[]),
            ("kinderen", &[]),
            ("onbekendewoord", &[]),
        ];
        let splitter = vocabulary();
        for (word, expected) in cases {
            assert_eq!(splitter.parts(word), *expected, "parts of {word}");
        }
    }

    #[test]
    fn prefers_fewest_parts() {
        let splitter = splitter(&["kinder", "kinderopvang", "opvang", "leidster", "kind"]);
        assert_eq!(
            splitter.parts("kinderopvangleidster"),
            ["kind", "kinder", "kinderopvang", "leidster", "opvang"]
        );
    }
}
