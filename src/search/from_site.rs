//! Turns the rendered site into [`SearchDoc`]s: what search sees of each page.
//!
//! Takes the loaded pages, their links, the config and the rendered pages (whose plain
//! text is already cut into sections at the headings); hands on one document per page,
//! with the facet values of its kind (reference fields by their targets' titles).

use serde_json::Value;

use super::{SearchConfig, SearchDoc, SearchSection};
use crate::config::{Config, FieldType};
use crate::link::Links;
use crate::load::{Page, Role, Site};
use crate::render::views::href_for_url;
use crate::render::{clean_urls, RenderedPage};

/// The site's search settings: its language and synonyms (or the language's defaults).
pub fn config(config: &Config) -> SearchConfig {
    match &config.search.synonyms {
        Some(groups) => {
            SearchConfig { language: config.language.clone(), synonyms: groups.clone() }
        }
        None => SearchConfig::new(&config.language),
    }
}

/// One document per rendered page, except the search page itself.
pub fn documents(
    site: &Site,
    links: &Links,
    config: &Config,
    rendered: &[RenderedPage],
) -> Vec<SearchDoc> {
    rendered.iter().filter_map(|r| document(site, links, config, r)).collect()
}

/// What search sees of one rendered page; nothing for the search page itself.
pub fn document(
    site: &Site,
    links: &Links,
    config: &Config,
    rendered: &RenderedPage,
) -> Option<SearchDoc> {
    let page = &site.pages[rendered.index];
    if page.role == Role::SearchIndex {
        return None;
    }
    let kind = page.kind.as_deref().and_then(|k| config.kind(k));
    let sections = rendered.sections.iter().map(|s| SearchSection {
        anchor: s.anchor.clone(),
        heading: s.heading.clone(),
        text: s.text.clone(),
    });
    Some(SearchDoc {
        url: href_for_url(&page.url, clean_urls(config)),
        title: page.title.clone(),
        kind: page.kind.clone().unwrap_or_default(),
        kind_label: kind.map(|k| k.singular.clone()).unwrap_or_default(),
        sections: sections.collect(),
        tags: page.tags.clone(),
        facets: facets(site, links, config, rendered.index, page),
    })
}

fn facets(
    site: &Site,
    links: &Links,
    config: &Config,
    index: usize,
    page: &Page,
) -> Vec<(String, Vec<String>)> {
    let Some(kind) = page.kind.as_deref().and_then(|k| config.kind(k)) else { return Vec::new() };
    if page.role != Role::Entry {
        return Vec::new();
    }
    kind.fields
        .iter()
        .filter(|(_, field)| field.facet)
        .filter_map(|(name, field)| {
            let values: Vec<String> = if field.ty == FieldType::Reference {
                let targets = links.pages[index].references.iter().find(|(f, _)| f == name)?;
                targets.1.iter().map(|&t| site.pages[t].title.clone()).collect()
            } else {
                match page.fields.get(name)? {
                    Value::Array(items) => items.iter().map(plain).collect(),
                    other => vec![plain(other)],
                }
            };
            (!values.is_empty()).then(|| (name.clone(), values))
        })
        .collect()
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
