//! Browser search for spiegel: the index the build writes and the client that reads it.
//!
//! Search runs in the reader's browser, over http and from `file://` alike, offline. So
//! the index cannot be fetched with `fetch()`: every part is a classic script that calls
//! `spiegelSearch.add(key, data)`, loaded on demand with a `<script src>` element by
//! `search.js`. A query loads the small entry file, the one or two shards that hold its
//! words, and the fragments of the results it shows; a filter loads the page list of the
//! chosen value. Tens of kilobytes for a 10,000-page site, not megabytes.
//!
//! Stages, each a module handing a plain value to the next:
//! `tokenize` (fold and split, shared with the client) → `analyse` (weighted terms per
//! page, with `synonyms` and `compound` parts) → `rank` (quantised BM25 impacts, posting
//! lists cut to the best pages) → `shard` (dictionary cut into small files) plus
//! `fragment` (what a result shows), `filter` (kind and facet lists) and `entry` (the
//! map to all of it), written through `encode`. `index` keeps all of it between builds
//! ([`SearchIndex`]), so that `serve` writes after an edit only the files it touches;
//! `once` makes every file a single time in little memory, for `build` ([`index_once`]);
//! `steps` holds what the two share, so that both make the same bytes.
//!
//! Takes the rendered pages as [`SearchDoc`]s and hands on [`SearchFile`]s under
//! `search/`, byte-identical for the same input:
//!
//! | file | holds | loaded |
//! |---|---|---|
//! | `search/search.js` | the client | by the page |
//! | `search/entry.js` | fold rules, stop words, shard boundaries, kinds, facets, strings | first query or filter |
//! | `search/s/<name>.js` | terms and their best pages, at most 10 KB; named by the shard's first prefix in hex | when a query word falls in it |
//! | `search/d/<id>.js` | one page's URL, title, kind, headings, anchors, excerpt text | when the page is shown as a result |
//! | `search/f/k-<n>.js`, `search/f/<f>-<v>.js` | all pages of a kind or facet value | when that filter is chosen |
//!
//! The theme's side: a form the client enhances, which without JavaScript submits to the
//! plain index page:
//!
//! ```html
//! <form role="search" action="../../zoeken/index.html" data-search-root="../../search/"
//!       data-search-filters>  <!-- optional: draw kind and facet selects -->
//!   <label for="q">Zoeken</label> <input type="search" id="q" name="q">
//!   <div id="search-results"></div>
//! </form>
//! <script src="../../search/search.js"></script>
//! ```
//!
//! Interface strings come from the entry file in the site's language; any of them can be
//! overridden on the form (`data-search-results="{n} resultaten"`, `-one`, `-none`,
//! `-more`, `-kind`, `-any`, `-error`, and `data-search-label-<field>` for a facet's
//! label). The client adds these classes for the theme to style: `search-status` (the
//! live region), `search-results` (the listbox), `search-result`, `search-result-title`,
//! `search-result-kind`, `search-result-heading`, `search-result-excerpt` (with `<mark>`),
//! `search-more`, `search-filters`, `search-filter-label`, `search-filter`. Tests and
//! benchmarks call `spiegelSearch.query(text, {kind, <field>: value}, {offset, limit})`.

mod analyse;
mod compound;
mod encode;
mod entry;
mod fasthash;
mod filter;
mod fragment;
mod from_site;
mod index;
mod once;
mod parked;
mod rank;
mod shard;
mod steps;
mod stopwords;
mod synonyms;
pub mod tokenize;

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod synthetic;
#[cfg(test)]
mod tests;

pub use from_site::{config, document, documents};
pub use index::{IndexUpdate, SearchIndex};
pub use once::index_once;
pub use parked::{Doc, ParkedDoc};
pub use synonyms::default_synonyms;

/// One page as search sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchDoc {
    /// Site-relative URL, e.g. `inspiratie/fantasiespel/index.html`.
    pub url: String,
    pub title: String,
    /// The kind's name, or `""` for pages of no kind.
    pub kind: String,
    /// The kind's singular label, shown with each result.
    pub kind_label: String,
    pub sections: Vec<SearchSection>,
    pub tags: Vec<String>,
    /// Facet field name → values, e.g. `("fase", ["pitstop"])`.
    pub facets: Vec<(String, Vec<String>)>,
}

/// A part of a page under one heading (the text before the first heading has none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchSection {
    /// The heading's id, so a result can link to the section that matched.
    pub anchor: Option<String>,
    pub heading: String,
    /// Plain text, no markup.
    pub text: String,
}

/// The site's search settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchConfig {
    /// `nl`, `fr` or `en`: stop words, compound splitting (Dutch) and interface strings.
    pub language: String,
    /// Groups of equivalent words or phrases.
    pub synonyms: Vec<Vec<String>>,
}

impl SearchConfig {
    /// The settings for a language with its [`default_synonyms`].
    pub fn new(language: &str) -> Self {
        SearchConfig { language: language.to_string(), synonyms: default_synonyms(language) }
    }
}

/// A file to write, relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchFile {
    /// Under `search/`, e.g. `search/s/3.js`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The client, written beside the index as `search/search.js`.
const CLIENT_SCRIPT: &str = include_str!("search.js");

/// Builds the index and the client for `docs`, sorted by path: the first update of a
/// [`SearchIndex`], which `serve` keeps to update after each change.
pub fn build_index(docs: &[SearchDoc], config: &SearchConfig) -> Vec<SearchFile> {
    let docs = docs.iter().cloned().map(std::sync::Arc::new).collect();
    SearchIndex::new(config.clone()).update(docs).files
}

/// Languages that write compounds as one word.
pub(super) fn splits_compounds(language: &str) -> bool {
    language == "nl"
}
