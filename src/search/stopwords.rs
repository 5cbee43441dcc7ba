//! Stop words per site language, already folded.
//!
//! Words like `de`, `het`, `een` occur in nearly every page: as terms they would make the
//! largest posting lists of the index and pull every page into every result. The builder
//! leaves them out of the index; the client gets the same list through the entry file and
//! drops them from queries (except a last word still being typed, which may be the start
//! of a longer word). Takes a language code, hands on a word list.

/// The stop words of `language` (`nl`, `fr` or `en`; anything else gets none).
pub(super) fn stop_words(language: &str) -> &'static [&'static str] {
    match language {
        "nl" => DUTCH,
        "fr" => FRENCH,
        "en" => ENGLISH,
        _ => &[],
    }
}

const DUTCH: &[&str] = &[
    "aan", "al", "alle", "alles", "als", "altijd", "ander", "andere", "ben", "bij", "daar", "dan",
    "dat", "de", "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "elk",
    "elke", "en", "er", "ge", "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem",
    "het", "hier", "hij", "hoe", "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "jij",
    "jou", "jouw", "jullie", "kan", "kon", "kunnen", "maar", "me", "meer", "men", "met", "mij",
    "mijn", "moet", "na", "naar", "niet", "niets", "nog", "nu", "of", "om", "omdat", "onder",
    "ons", "onze", "ook", "op", "over", "reeds", "te", "tegen", "toch", "toen", "tot", "u", "uit",
    "uw", "van", "veel", "voor", "waar", "wanneer", "want", "waren", "was", "wat", "we", "wel",
    "welke", "werd", "wie", "wij", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich", "zij",
    "zijn", "zo", "zoals", "zonder", "zou",
];

const FRENCH: &[&str] = &[
    "a", "ai", "au", "aux", "avec", "avoir", "ce", "ces", "cet", "cette", "comme", "dans", "de",
    "des", "du", "elle", "elles", "en", "est", "et", "etaient", "etait", "ete", "etre", "eu", "il",
    "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "meme", "mes",
    "moi", "mon", "ne", "nos", "notre", "nous", "on", "ont", "ou", "par", "pas", "plus", "pour",
    "qu", "que", "qui", "sa", "sans", "se", "ses", "si", "son", "sont", "sur", "ta", "te", "tes",
    "toi", "ton", "tous", "tout", "tu", "un", "une", "vos", "votre", "vous", "y",
];

const ENGLISH: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he",
    "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "may", "more", "no", "not",
    "of", "on", "or", "our", "she", "should", "so", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "to", "us", "was", "we", "were", "what", "when",
    "which", "who", "will", "with", "would", "you", "your",
];

#[cfg(test)]
mod tests {
    use super::super::tokenize::fold;
    use super::*;

    #[test]
    fn lists_are_folded_sorted_and_unique() {
        for language in ["nl", "fr", "en"] {
            let words = stop_words(language);
            assert!(words.len() > 50, "{language} has a real list");
            for pair in words.windows(2) {
                assert!(pair[0] < pair[1], "{language}: {:?} before {:?}", pair[0], pair[1]);
            }
            for word in words {
                assert_eq!(&fold(word), word, "{language}: stop words are stored folded");
            }
        }
        assert!(stop_words("de").is_empty());
    }
}
