//! Taxonomies: every tag and every value of a kind's facet fields gets a listing page,
//! so readers without JavaScript can still browse by building block, phase or tag.
//!
//! Takes the loaded site, its links and the config; hands on a [`Taxonomy`] per facet
//! field (`methodieken/fase/`, one page per value: `methodieken/fase/pitstop/`) and
//! one for tags (`tags/`, `tags/<slug>/`). Tags and values are told apart by their
//! slug, so case and diacritics do not matter (`Creëren` and `creeren` are one tag).
//! A content page at the place of a listing page is an error.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::config::{Config, Field, FieldType, Kind};
use crate::diag::{Diagnostic, Diagnostics, Hint, Message};
use crate::link::Links;
use crate::load::{Page, Role, Site};
use crate::slug::{fold, slugify};

/// The folder of the tag pages.
pub const TAGS_DIR: &str = "tags";

/// One listing: a kind's facet field, or the tags.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// The field's label, or the word for tags in the site's language.
    pub label: String,
    /// The kind of a facet field; `None` for tags.
    pub kind: Option<String>,
    /// The field's name; `tags` for tags.
    pub field: String,
    /// Site-relative folder of the overview page: `methodieken/fase/`, `tags/`.
    pub url: String,
    pub terms: Vec<Term>,
}

/// One value of a taxonomy and the pages that have it.
#[derive(Debug, Clone)]
pub struct Term {
    pub label: String,
    pub slug: String,
    /// Site-relative folder: `methodieken/fase/pitstop/`.
    pub url: String,
    /// Indices in `site.pages`, in listing order.
    pub pages: Vec<usize>,
}

impl Taxonomy {
    /// The term a value (as written, or a referenced page's slug) belongs to.
    pub fn term(&self, value: &str) -> Option<&Term> {
        let slug = slugify(value);
        self.terms.iter().find(|t| t.slug == slug)
    }
}

/// Collects all taxonomies; clashes with content pages go to `diagnostics`.
pub fn collect(
    site: &Site,
    links: &Links,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Vec<Taxonomy> {
    let rank = listing_order(site, links, config);
    let mut taxonomies = Vec::new();
    for kind in config.kinds() {
        for (name, field) in kind.fields.iter().filter(|(_, f)| f.facet) {
            let values = facet_values(site, links, kind, name, field);
            let url = format!("{}/{}/", kind.folder, slugify(name));
            let terms = terms(&url, values, &rank);
            if !terms.is_empty() {
                let label = field.label_or(name).to_string();
                let kind_name = Some(kind.name.clone());
                taxonomies.push(Taxonomy {
                    label,
                    kind: kind_name,
                    field: name.clone(),
                    url,
                    terms,
                });
            }
        }
    }
    let tags = terms(&format!("{TAGS_DIR}/"), tag_values(site), &rank);
    if !tags.is_empty() {
        let label = tags_label(&config.language).to_string();
        let url = format!("{TAGS_DIR}/");
        taxonomies.push(Taxonomy { label, kind: None, field: "tags".into(), url, terms: tags });
    }
    check_clashes(site, &taxonomies, diagnostics);
    taxonomies
}

fn tags_label(language: &str) -> &'static str {
    match language {
        "fr" => "Mots-clés",
        "en" => "Tags",
        _ => "Trefwoorden",
    }
}

/// A value as found on a page.
struct Found {
    key: SortKey,
    label: String,
    /// The slug of a referenced page; values are slugified from their label.
    slug: String,
    page: usize,
}

/// Slugs and folded forms of the values met so far: the same few values recur on
/// thousands of pages, and serve collects the taxonomies at every edit.
#[derive(Default)]
struct Memo(HashMap<String, (String, String)>);

impl Memo {
    fn slug_and_fold(&mut self, label: &str) -> &(String, String) {
        if !self.0.contains_key(label) {
            self.0.insert(label.to_string(), (slugify(label), fold(label)));
        }
        &self.0[label]
    }

    /// A value as found on a page, keyed by `key`, or by its folded text when `None`.
    fn value(&mut self, key: Option<SortKey>, label: String, page: usize) -> Found {
        let (slug, folded) = self.slug_and_fold(&label);
        let key = key.unwrap_or_else(|| SortKey::Text(folded.clone()));
        Found { key, slug: slug.clone(), label, page }
    }
}

/// How terms are ordered: declared values and referenced pages in their order,
/// numbers by value, other text alphabetically.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum SortKey {
    Position(usize),
    Number(f64),
    Text(String),
}

fn facet_values(site: &Site, links: &Links, kind: &Kind, name: &str, field: &Field) -> Vec<Found> {
    let mut found = Vec::new();
    let mut memo = Memo::default();
    for &i in links.index.entries_of_kind(&kind.name) {
        if field.ty == FieldType::Reference {
            let targets = links.pages[i].references.iter().filter(|(f, _)| f == name);
            for &target in targets.flat_map(|(_, t)| t) {
                let target_kind = site.pages[target].kind.as_deref().unwrap_or_default();
                let position =
                    links.index.entries_of_kind(target_kind).iter().position(|&e| e == target);
                let target = &site.pages[target];
                found.push(Found {
                    key: SortKey::Position(position.unwrap_or(usize::MAX)),
                    label: target.title.clone(),
                    slug: target.slug.clone(),
                    page: i,
                });
            }
            continue;
        }
        let items = match site.pages[i].fields.get(name) {
            Some(Value::Array(items)) => items.clone(),
            Some(value) => vec![value.clone()],
            None => Vec::new(),
        };
        for item in items {
            let label = match &item {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let declared = field.values.as_ref().and_then(|v| v.iter().position(|d| *d == label));
            let key = match (declared, item.as_f64()) {
                (Some(p), _) => Some(SortKey::Position(p)),
                (None, Some(n)) => Some(SortKey::Number(n)),
                (None, None) => None,
            };
            found.push(memo.value(key, label, i));
        }
    }
    found
}

fn tag_values(site: &Site) -> Vec<Found> {
    let mut found = Vec::new();
    let mut memo = Memo::default();
    for (i, page) in site.pages.iter().enumerate().filter(|(_, p)| p.role != Role::Home) {
        for tag in &page.tags {
            found.push(memo.value(None, tag.clone(), i));
        }
    }
    found
}

/// Groups values by slug. A term's label is its most used spelling (ties: the first
/// in listing order); its pages come in listing order, each once.
fn terms(parent: &str, found: Vec<Found>, rank: &[usize]) -> Vec<Term> {
    let mut groups: BTreeMap<String, (SortKey, Vec<(String, usize)>)> = BTreeMap::new();
    for Found { key, label, slug, page } in found {
        if slug.is_empty() {
            continue;
        }
        let group = groups.entry(slug).or_insert_with(|| (key.clone(), Vec::new()));
        if key < group.0 {
            group.0 = key;
        }
        group.1.push((label, page));
    }
    let mut terms: Vec<(SortKey, Term)> = groups
        .into_iter()
        .map(|(slug, (key, mut uses))| {
            uses.sort_by_key(|&(_, page)| rank[page]);
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for (label, _) in &uses {
                *counts.entry(label).or_default() += 1;
            }
            let most = counts.values().copied().max().unwrap_or(0);
            let label =
                uses.iter().find(|(l, _)| counts[l.as_str()] == most).map(|(l, _)| l.clone());
            let mut pages: Vec<usize> = uses.iter().map(|&(_, page)| page).collect();
            pages.dedup();
            let url = format!("{parent}{slug}/");
            (key, Term { label: label.unwrap_or_default(), slug, url, pages })
        })
        .collect();
    terms.sort_by(|a, b| {
        a.0.partial_cmp(&b.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.1.slug.cmp(&b.1.slug))
    });
    terms.into_iter().map(|(_, term)| term).collect()
}

/// Each page's place in listings: kinds in the order of `site.yaml`, each kind's
/// entries in its order, then other pages by title.
fn listing_order(site: &Site, links: &Links, config: &Config) -> Vec<usize> {
    let mut order: Vec<usize> =
        config.kinds().flat_map(|k| links.index.entries_of_kind(&k.name).iter().copied()).collect();
    let mut listed = vec![false; site.pages.len()];
    for &page in &order {
        listed[page] = true;
    }
    let mut rest: Vec<usize> = (0..site.pages.len()).filter(|&i| !listed[i]).collect();
    rest.sort_by_key(|&i| (fold(&site.pages[i].title), site.pages[i].url.clone()));
    order.extend(rest);
    let mut rank = vec![0; site.pages.len()];
    for (position, &page) in order.iter().enumerate() {
        rank[page] = position;
    }
    rank
}

/// A content page where a listing page goes: the content page must move.
fn check_clashes(site: &Site, taxonomies: &[Taxonomy], diagnostics: &mut Diagnostics) {
    let by_url: HashMap<&str, &Page> = site.pages.iter().map(|p| (p.url.as_str(), &**p)).collect();
    for taxonomy in taxonomies {
        let places = std::iter::once((&taxonomy.url, &taxonomy.label))
            .chain(taxonomy.terms.iter().map(|t| (&t.url, &t.label)));
        for (url, label) in places {
            if let Some(page) =
                by_url.get(url.as_str()).filter(|p| !p.source.as_os_str().is_empty())
            {
                diagnostics.push(
                    Diagnostic::new(
                        &page.source,
                        1,
                        1,
                        Message::ListingTakesPlace {
                            url: url.to_string(),
                            label: label.to_string(),
                        },
                    )
                    .with_hint(Hint::OtherNameOrSlug),
                );
            }
        }
    }
}
