//! The entry file: the one small part every search loads first.
//!
//! It tells the client how to read everything else: how to fold and split words (so the
//! client tokenises exactly like the builder), which words to drop, which shard holds which
//! words, how to turn impact levels back into scores, which kinds and facet values exist
//! (to draw the filter controls), the synonym groups (for highlighting) and the interface
//! strings in the site's language. Takes those pieces, hands on `search/entry.js`.

use serde_json::{json, Map, Value};

use super::encode::registration;
use super::filter::Filters;
use super::tokenize::{LETTER_FOLDS, MAX_TERM_CHARS, MIN_TERM_CHARS, TYPO_MIN_CHARS};
use super::SearchFile;

/// Format version, for a client that meets an index built by another release.
const FORMAT: u32 = 1;

/// Everything the entry file describes.
pub(super) struct Entry<'a> {
    pub(super) language: &'a str,
    pub(super) doc_count: usize,
    pub(super) stop_words: &'a [&'a str],
    pub(super) shard_boundaries: Vec<&'a str>,
    pub(super) level_step: f64,
    pub(super) filters: &'a Filters,
    pub(super) synonyms: Vec<Vec<String>>,
}

impl Entry<'_> {
    pub(super) fn file(&self) -> SearchFile {
        let payload = json!({
            "v": FORMAT,
            "lang": self.language,
            "docs": self.doc_count,
            "fold": fold_rules(),
            "stop": self.stop_words.join(" "),
            "shards": self.shard_boundaries,
            "step": (self.level_step * 1e6).round() / 1e6,
            "kinds": self.filters.kinds_json(),
            "facets": self.filters.facets_json(),
            "syn": self.synonyms,
            "text": ui_strings(self.language),
        });
        SearchFile { path: "search/entry.js".into(), bytes: registration("e", &payload) }
    }
}

/// The parameters of `tokenize`, which the client applies the same way.
fn fold_rules() -> Value {
    let letters: Map<String, Value> = LETTER_FOLDS
        .iter()
        .map(|(from, to)| (from.to_string(), Value::String(to.to_string())))
        .collect();
    json!({"letters": letters, "min": MIN_TERM_CHARS, "max": MAX_TERM_CHARS, "typo": TYPO_MIN_CHARS})
}

/// Interface strings; a page can override each with a `data-search-<key>` attribute on the
/// form. `{n}` stands for a number, `{q}` for the query.
fn ui_strings(language: &str) -> Value {
    match language {
        "fr" => json!({
            "results": "{n} résultats", "one": "1 résultat", "none": "Aucun résultat pour « {q} »",
            "more": "Plus de résultats", "kind": "Type", "any": "Tous", "tags": "Mots-clés",
            "error": "La recherche n’a pas pu être chargée"
        }),
        "en" => json!({
            "results": "{n} results", "one": "1 result", "none": "No results for “{q}”",
            "more": "More results", "kind": "Kind", "any": "All", "tags": "Tags",
            "error": "Search could not be loaded"
        }),
        _ => json!({
            "results": "{n} resultaten", "one": "1 resultaat", "none": "Geen resultaten voor ‘{q}’",
            "more": "Meer resultaten", "kind": "Soort", "any": "Alle", "tags": "Trefwoorden",
            "error": "Zoeken kon niet geladen worden"
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_string() {
        let keys: Vec<String> = ui_strings("nl").as_object().unwrap().keys().cloned().collect();
        for language in ["fr", "en"] {
            let other: Vec<String> =
                ui_strings(language).as_object().unwrap().keys().cloned().collect();
            assert_eq!(other, keys, "{language}");
        }
    }
}
