//! The one definition of a search term, shared by the index and by `search.js`.
//!
//! Text is folded (Unicode NFKD, combining marks dropped, lowercased, a few letters that
//! NFKD keeps spelled out, e.g. `ß` → `ss`), then split on everything that is not a letter
//! or digit. So `creëren`, `creeren` and `CREËREN` all become `creeren`. A word counts as a
//! term when it has 2 to 40 characters, or is a number: single letters (`auto's` → `auto`
//! `s`) and run-together junk would only bloat the index. It takes text and hands on
//! folded terms; the client receives [`LETTER_FOLDS`] and the limits through the entry file
//! and applies the same steps, which `testdata/fold_cases.json` proves on both sides.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

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

/// Shortest word (in characters) that is a term, unless it is a number.
pub(super) const MIN_TERM_CHARS: usize = 2;
/// Longest word that is a term: longer ones are codes or run-together text.
pub(super) const MAX_TERM_CHARS: usize = 40;
/// Query words this long or longer also match terms one edit away.
pub(super) const TYPO_MIN_CHARS: usize = 5;

/// Folds case and diacritics: NFKD, drop combining marks, lowercase, [`LETTER_FOLDS`].
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let unmarked: String = text.nfkd().filter(|&c| !is_combining_mark(c)).collect();
    let mut out = String::with_capacity(unmarked.len());
    for c in unmarked.to_lowercase().chars() {
        match LETTER_FOLDS.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => out.push_str(to),
            None => out.push(c),
        }
    }
    out
}

/// The terms of `text`, in order, repeats kept.
pub fn terms(text: &str) -> Vec<String> {
    split_folded(&fold(text)).map(String::from).collect()
}

/// The terms of text that is already folded, borrowed from it.
pub(super) fn split_folded(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| is_term(w))
}

/// Whether a folded word is long enough (or numeric) and short enough to be a term.
pub fn is_term(word: &str) -> bool {
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

    #[test]
    fn term_limits() {
        assert!(is_term("ab"));
        assert!(!is_term("a"));
        assert!(is_term("3"));
        assert!(!is_term(&"x".repeat(MAX_TERM_CHARS + 1)));
        assert!(!is_term(""));
    }
}
