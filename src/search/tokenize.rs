//! The one definition of a search term, shared by the index and by `search.js`.
//!
//! Text is folded (Unicode NFKD, combining marks dropped, lowercased, a few letters that
//! NFKD keeps spelled out, e.g. `ß` → `ss`), then split on everything that is not a letter
//! or digit. So `creëren`, `creeren` and `CREËREN` all become `creeren`. A word counts as a
//! term when it has 2 to 40 characters, or is a number: single letters (`auto's` → `auto`
//! `s`) and run-together junk would only bloat the index. It takes text and hands on
//! folded terms; the client receives [`LETTER_FOLDS`] and the limits through the entry file
//! and applies the same steps, which `testdata/fold_cases.json` proves on both sides.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Letters that NFKD leaves alone but that readers type without their special form.
/// Final sigma folds to sigma so that the context rules of lowercasing cannot matter.
pub(super) const LETTER_FOLDS: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('ø', "o"),
    ('ł', "l"),
    ('đ', "d"),
    ('ð', "d"),
    ('þ', "th"),
    ('ı', "i"),
    ('ς', "σ"),
];

/// About how many bytes of folded text a page has per distinct word (18 on a generated
/// Dutch site): a page's word maps are made this large up front, not grown step by step.
pub(super) const BYTES_PER_DISTINCT_WORD: usize = 16;

/// Shortest word (in characters) that is a term, unless it is a number.
pub(super) const MIN_TERM_CHARS: usize = 2;
/// Longest word that is a term: longer ones are codes or run-together text.
pub(super) const MAX_TERM_CHARS: usize = 40;
/// Query words this long or longer also match terms one edit away.
pub(super) const TYPO_MIN_CHARS: usize = 5;

/// Folds case and diacritics: NFKD, drop combining marks, lowercase, [`LETTER_FOLDS`].
///
/// Character by character, which gives what folding the whole text's NFKD gives: NFKD
/// is each character's decomposition, then a reordering that moves only characters of a
/// non-zero combining class, and all of those are combining marks, which go (a test
/// checks every character). Lowercasing a whole text differs from lowercasing each
/// character only in the final sigma, and [`LETTER_FOLDS`] makes both sigmas one.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`], appended to `out`: one buffer for many texts.
pub(super) fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
        return;
    }
    out.reserve(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        decompose_compatible(c, |d| {
            if !is_combining_mark(d) {
                for lower in d.to_lowercase() {
                    push_folded(out, lower);
                }
            }
        });
    }
}

fn push_folded(out: &mut String, c: char) {
    match LETTER_FOLDS.iter().find(|(from, _)| *from == c) {
        Some((_, to)) => out.push_str(to),
        None => out.push(c),
    }
}

/// The terms of `text`, in order, repeats kept.
pub fn terms(text: &str) -> Vec<String> {
    split_folded(&fold(text)).map(String::from).collect()
}

/// The terms of text that is already folded, borrowed from it.
pub(super) fn split_folded(folded: &str) -> SplitFolded<'_> {
    SplitFolded { text: folded, at: 0 }
}

/// The iterator of [`split_folded`]: the words of the text between characters that are
/// not letters or digits, those that are terms ([`is_term`]).
///
/// Every word of every page goes through here twice (weights, fragments), so it runs
/// over bytes: an ASCII byte is a letter or digit or it ends the word, which a table
/// tells, and only other characters are decoded for Unicode to judge. A word of ASCII
/// has as many characters as bytes, so only other words are counted for [`is_term`].
pub(super) struct SplitFolded<'t> {
    text: &'t str,
    /// Where the next word or the separators before it start.
    at: usize,
}

/// What a byte is to [`SplitFolded`]: an ASCII letter or digit, other ASCII, or part of
/// a longer character.
#[derive(Clone, Copy, PartialEq)]
enum ByteClass {
    Word,
    Separator,
    Other,
}

const BYTE_CLASS: [ByteClass; 256] = {
    let mut classes = [ByteClass::Other; 256];
    let mut byte = 0;
    while byte < 128 {
        classes[byte] = match (byte as u8).is_ascii_alphanumeric() {
            true => ByteClass::Word,
            false => ByteClass::Separator,
        };
        byte += 1;
    }
    classes
};

fn class(byte: u8) -> ByteClass {
    BYTE_CLASS[usize::from(byte)]
}

impl<'t> Iterator for SplitFolded<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut at = self.at;
        loop {
            while bytes.get(at).is_some_and(|&b| class(b) == ByteClass::Separator) {
                at += 1;
            }
            if at >= bytes.len() {
                self.at = at;
                return None;
            }
            let start = at;
            let mut ascii = true;
            // The word runs to `at`; `next` is where the next one may start.
            let next = loop {
                while bytes.get(at).is_some_and(|&b| class(b) == ByteClass::Word) {
                    at += 1;
                }
                let Some(&byte) = bytes.get(at) else { break at };
                if class(byte) == ByteClass::Separator {
                    break at + 1;
                }
                let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                    break at + 1;
                };
                if !c.is_alphanumeric() {
                    break at + c.len_utf8();
                }
                at += c.len_utf8();
                ascii = false;
            };
            let word = &text[start..at];
            at = next;
            let chars = if ascii { word.len() } else { word.chars().count() };
            let numeric = || chars > 0 && word.chars().all(char::is_numeric);
            if chars <= MAX_TERM_CHARS && (chars >= MIN_TERM_CHARS || numeric()) {
                self.at = at;
                return Some(word);
            }
        }
    }
}

/// Whether a folded word is long enough (or numeric) and short enough to be a term.
pub fn is_term(word: &str) -> bool {
    if word.is_ascii() {
        let n = word.len();
        let numeric = || n > 0 && word.bytes().all(|b| b.is_ascii_digit());
        return n <= MAX_TERM_CHARS && (n >= MIN_TERM_CHARS || numeric());
    }
    let chars = word.chars().count();
    let numeric = chars > 0 && word.chars().all(char::is_numeric);
    chars <= MAX_TERM_CHARS && (chars >= MIN_TERM_CHARS || numeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table that `search.js` is checked against too (see `client_tests`).
    const FOLD_CASES: &str = include_str!("testdata/fold_cases.json");

    #[test]
    fn shared_fold_cases() {
        let cases: serde_json::Value = serde_json::from_str(FOLD_CASES).expect("valid JSON");
        let cases = cases.as_array().expect("an array of cases");
        assert!(cases.len() >= 20, "the table should cover many cases");
        for case in cases {
            let text = case["text"].as_str().expect("text");
            let expected: Vec<&str> = case["terms"]
                .as_array()
                .expect("terms")
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            assert_eq!(terms(text), expected, "terms of {text:?}");
        }
    }

    #[test]
    fn diacritics_and_case_fold_both_ways() {
        assert_eq!(fold("creëren"), fold("CREËREN"));
        assert_eq!(fold("creëren"), "creeren");
        assert_eq!(fold("creeren"), "creeren");
    }

    /// Folding the whole text at once, as defined: the reference for [`fold`].
    fn fold_whole(text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let unmarked: String = text.nfkd().filter(|&c| !is_combining_mark(c)).collect();
        let mut out = String::new();
        for c in unmarked.to_lowercase().chars() {
            push_folded(&mut out, c);
        }
        out
    }

    #[test]
    fn folding_by_character_is_folding_the_whole_text() {
        use unicode_normalization::char::canonical_combining_class;
        let all = || (0..=0x10FFFF_u32).filter_map(char::from_u32);
        for c in all().filter(|&c| canonical_combining_class(c) != 0) {
            assert!(is_combining_mark(c), "{c:?} is reordered by NFKD but kept by fold");
        }
        let every: String = all().collect();
        for chunk in every.chars().collect::<Vec<_>>().chunks(97) {
            let text: String = chunk.iter().collect();
            assert_eq!(fold(&text), fold_whole(&text), "{text:?}");
        }
        for text in ["ΟΔΟΣ Σ σς", "e\u{301}\u{327}x", "İstanbul Straße", "ﬁ ½ Ⅻ 한글 ǅ"]
        {
            assert_eq!(fold(text), fold_whole(text), "{text:?}");
        }
    }

    /// Splitting as first defined, character by character: the reference for
    /// [`split_folded`].
    fn split_by_char(folded: &str) -> Vec<&str> {
        folded.split(|c: char| !c.is_alphanumeric()).filter(|w| is_term(w)).collect()
    }

    #[test]
    fn splitting_by_byte_is_splitting_by_character() {
        let long = format!(
            "{} {}x 12345678901234567890123456789012345678901234567890",
            "y".repeat(40),
            "z".repeat(40)
        );
        let texts = [
            "",
            "a",
            "ab",
            "a b",
            "3 x 42",
            " ab,cd;;ef  ",
            "ß½1⁄2 ³ 五 ٣ x٣ ٣٣",
            "é e\u{301} ab\u{a0}cd",
            "baby\u{1F476}x baby\u{FFFD}y \u{10400}\u{10401}",
            "a\u{2028}bc\u{3000}de",
            &long,
        ];
        for text in texts {
            assert_eq!(split_folded(text).collect::<Vec<_>>(), split_by_char(text), "{text:?}");
        }
        let every: String = (0..=0x10FFFF_u32).filter_map(char::from_u32).collect();
        for chunk in every.chars().collect::<Vec<_>>().chunks(5) {
            let text: String = chunk.iter().collect();
            assert_eq!(split_folded(&text).collect::<Vec<_>>(), split_by_char(&text), "{text:?}");
        }
    }

    #[test]
    fn term_limits() {
        assert!(is_term("ab"));
        assert!(!is_term("a"));
        assert!(is_term("3"));
        assert!(!is_term(&"x".repeat(MAX_TERM_CHARS + 1)));
        assert!(!is_term(""));
    }
}
