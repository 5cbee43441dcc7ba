//! Filters: which pages have a kind or a facet value, for browsing and narrowing results.
//!
//! A filter must work with a query and without one (browse a facet), so the client needs
//! the full list of pages per value, not only the best few hundred a term keeps. One file
//! per kind and per facet value (`search/f/k-2.js`, `search/f/0-5.js`), as gaps between
//! ascending doc ids, loaded the first time that value is chosen: a 10,000-page site's
//! complete facet map would be tens of kilobytes, one value's list is a few hundred bytes.
//! Doc ids follow title order, so browsing a value lists pages alphabetically for free.
//! Takes the documents in doc-id order; hands on the names and counts for the entry file
//! and the list files.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::encode::{push_ascending, registration};
use super::tokenize::fold;
use super::{SearchDoc, SearchFile};

/// The facet field that [`SearchDoc::tags`] fill.
const TAGS_FIELD: &str = "tags";

/// A content kind and its pages.
pub(super) struct KindFilter {
    pub(super) name: String,
    pub(super) label: String,
    docs: Vec<u32>,
}

/// A facet field and, per value, its pages.
pub(super) struct FacetFilter {
    field: String,
    values: Vec<(String, Vec<u32>)>,
}

/// Every kind and facet of the site.
pub(super) struct Filters {
    pub(super) kinds: Vec<KindFilter>,
    facets: Vec<FacetFilter>,
}

impl Filters {
    /// Collects kinds (sorted by name) and facets (sorted by field name, tags last; values
    /// sorted by their folded form).
    pub(super) fn collect(docs: &[&SearchDoc]) -> Self {
        Filters { kinds: collect_kinds(docs), facets: collect_facets(docs) }
    }

    /// The position of a kind in [`Filters::kinds`], as fragments refer to it.
    pub(super) fn kind_index(&self, name: &str) -> Option<usize> {
        self.kinds.iter().position(|k| k.name == name)
    }

    /// `[[name, label, count], ...]` for the entry file.
    pub(super) fn kinds_json(&self) -> Value {
        self.kinds.iter().map(|k| json!([k.name, k.label, k.docs.len()])).collect()
    }

    /// `[[field, [[value, count], ...]], ...]` for the entry file.
    pub(super) fn facets_json(&self) -> Value {
        self.facets
            .iter()
            .map(|f| {
                json!([
                    f.field,
                    f.values.iter().map(|(v, docs)| json!([v, docs.len()])).collect::<Value>()
                ])
            })
            .collect()
    }

    /// One list file per kind and per facet value.
    pub(super) fn files(&self) -> Vec<SearchFile> {
        let kinds =
            self.kinds.iter().enumerate().map(|(k, kind)| list_file(&format!("k-{k}"), &kind.docs));
        let values = self.facets.iter().enumerate().flat_map(|(f, facet)| {
            facet
                .values
                .iter()
                .enumerate()
                .map(move |(v, (_, docs))| list_file(&format!("{f}-{v}"), docs))
        });
        kinds.chain(values).collect()
    }
}

fn collect_kinds(docs: &[&SearchDoc]) -> Vec<KindFilter> {
    let mut kinds: BTreeMap<&str, KindFilter> = BTreeMap::new();
    for (id, doc) in docs.iter().enumerate().filter(|(_, doc)| !doc.kind.is_empty()) {
        let kind = kinds.entry(&doc.kind).or_insert_with(|| KindFilter {
            name: doc.kind.clone(),
            label: doc.kind_label.clone(),
            docs: Vec::new(),
        });
        kind.docs.push(id as u32);
    }
    kinds.into_values().collect()
}

/// A field's values keyed by (folded value, value), each with its pages.
type ValueLists<'d> = BTreeMap<(String, &'d str), Vec<u32>>;

fn collect_facets(docs: &[&SearchDoc]) -> Vec<FacetFilter> {
    // Keyed by (is the tags field, name) so tags sort last.
    let mut fields: BTreeMap<(bool, &str), ValueLists<'_>> = BTreeMap::new();
    for (id, doc) in docs.iter().enumerate() {
        let tags = (TAGS_FIELD, doc.tags.as_slice());
        for (field, values) in
            doc.facets.iter().map(|(f, v)| (f.as_str(), v.as_slice())).chain([tags])
        {
            let lists = fields.entry((field == TAGS_FIELD, field)).or_default();
            for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
                let list = lists.entry((fold(value), value)).or_default();
                if list.last() != Some(&(id as u32)) {
                    list.push(id as u32);
                }
            }
        }
    }
    fields
        .into_iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|((_, field), values)| FacetFilter {
            field: field.to_string(),
            values: values
                .into_iter()
                .map(|((_, value), docs)| (value.to_string(), docs))
                .collect(),
        })
        .collect()
}

fn list_file(name: &str, docs: &[u32]) -> SearchFile {
    let mut gaps = String::new();
    push_ascending(&mut gaps, docs);
    SearchFile {
        path: format!("search/f/{name}.js"),
        bytes: registration(&format!("f{name}"), &Value::String(gaps)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::encode::decode;
    use super::*;

    fn doc(kind: &str, tags: &[&str], phase: &[&str]) -> SearchDoc {
        SearchDoc {
            kind: kind.into(),
            kind_label: kind.to_uppercase(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            facets: vec![("fase".into(), phase.iter().map(|p| p.to_string()).collect())],
            ..SearchDoc::default()
        }
    }

    #[test]
    fn kinds_and_facets_list_their_pages() {
        let docs = [
            doc("method", &["spel"], &["pitstop"]),
            doc("", &["Spel", "coaching"], &[]),
            doc("method", &["spel", "spel"], &["beginfoto", "pitstop"]),
        ];
        let refs: Vec<&SearchDoc> = docs.iter().collect();
        let filters = Filters::collect(&refs);
        assert_eq!(filters.kinds_json(), json!([["method", "METHOD", 2]]));
        assert_eq!(
            filters.facets_json(),
            json!([
                ["fase", [["beginfoto", 1], ["pitstop", 2]]],
                ["tags", [["coaching", 1], ["Spel", 1], ["spel", 2]]]
            ])
        );
        let files = filters.files();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "search/f/k-0.js",
                "search/f/0-0.js",
                "search/f/0-1.js",
                "search/f/1-0.js",
                "search/f/1-1.js",
                "search/f/1-2.js"
            ]
        );
        let text = String::from_utf8(files[0].bytes.clone()).unwrap();
        let payload = text.split('"').nth(3).unwrap();
        assert_eq!(decode::numbers(payload), [0, 1], "ids 0 and 2 as gaps");
        assert_eq!(filters.kind_index("method"), Some(0));
    }
}
