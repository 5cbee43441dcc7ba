//! Slugs, anchors and "did you mean": the small text rules every stage shares.
//!
//! One definition of how a title becomes a slug or a heading anchor, so that a link
//! written by hand (`[[rol-van-de-coach]]`, `#rol-van-de-coach`) and the id the
//! renderer gives a heading always agree.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercase with diacritics removed: `Creëren` → `creeren`.
pub fn fold(text: &str) -> String {
    text.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// A URL- and id-safe slug: folded, letters and digits kept, runs of spaces, hyphens
/// and underscores become one hyphen, other punctuation is dropped.
/// `Rol van de coach` → `rol-van-de-coach`, `Fantasiespel & creëren` → `fantasiespel-creeren`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in fold(text).chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c);
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '/' {
            pending_hyphen = true;
        }
    }
    slug
}

/// Levenshtein distance in characters, for suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate closest to `wanted`, if it is close enough to be a likely typo.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Like [`suggest`], owned: for the catalogue's "did you mean" in a diagnostic.
pub fn suggestion<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(wanted, candidates).map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        let cases = [
            ("Rol van de coach", "rol-van-de-coach"),
            ("Fantasiespel & creëren", "fantasiespel-creeren"),
            ("CREËREN", "creeren"),
            ("  Visie, missie en doelen  ", "visie-missie-en-doelen"),
            ("Plan-do-check-act", "plan-do-check-act"),
            ("Wat? 3 stappen!", "wat-3-stappen"),
            ("baby's", "babys"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "{input}");
        }
    }

    #[test]
    fn suggestions() {
        let slugs = ["coaching", "cultuur", "team"];
        assert_eq!(suggest("coachng", slugs), Some("coaching"));
        assert_eq!(suggest("teem", slugs), Some("team"));
        assert_eq!(suggest("zwembad", slugs), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
