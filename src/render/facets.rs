//! Facets: the fields a kind's entries can be filtered by on its index page (the method
//! picker), and each entry's values of them.
//!
//! Takes a kind (its fields marked `facet: true`) and the linked site; hands on the
//! [`FacetView`]s with the values that occur, in a reader's order (declared values as
//! declared, referenced pages in their kind's order, numbers ascending), and per entry
//! a map of field name to values, which the theme writes into the list so that the
//! filtering script needs nothing else.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::views::{FacetOption, FacetView};
use super::Inputs;
use crate::config::{FieldType, Kind};

/// The values entry `i` has for each facet field of `kind`, as text.
pub(crate) fn values<'a>(
    i: usize,
    kind: &'a Kind,
    inputs: &Inputs<'_>,
) -> BTreeMap<&'a str, Vec<String>> {
    let page = &inputs.site.pages[i];
    let mut values = BTreeMap::new();
    for (name, field) in kind.fields.iter().filter(|(_, f)| f.facet) {
        let found: Vec<String> = if field.ty == FieldType::Reference {
            let references = inputs.links.pages[i].references.iter().find(|(f, _)| f == name);
            let targets = references.map(|(_, t)| t.as_slice()).unwrap_or_default();
            targets.iter().map(|&t| inputs.site.pages[t].slug.clone()).collect()
        } else {
            match page.fields.get(name) {
                Some(Value::Array(items)) => items.iter().map(text).collect(),
                Some(Value::Null) | None => Vec::new(),
                Some(value) => vec![text(value)],
            }
        };
        if !found.is_empty() {
            values.insert(name.as_str(), found);
        }
    }
    values
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The facets of `kind` with the values its entries have.
pub(super) fn facets<'a>(kind: &'a Kind, inputs: &Inputs<'_>) -> Vec<FacetView<'a>> {
    let entries = inputs.links.index.entries_of_kind(&kind.name);
    let all: Vec<BTreeMap<&str, Vec<String>>> =
        entries.iter().map(|&e| values(e, kind, inputs)).collect();
    kind.fields
        .iter()
        .filter(|(_, f)| f.facet)
        .filter_map(|(name, field)| {
            let present: BTreeSet<&str> = all
                .iter()
                .filter_map(|v| v.get(name.as_str()))
                .flatten()
                .map(String::as_str)
                .collect();
            let options = options(field, &present, inputs);
            (!options.is_empty()).then(|| FacetView {
                name,
                label: field.label_or(name),
                mode: if field.ty == FieldType::Number { "max" } else { "any" },
                linked: field.ty == FieldType::Reference,
                options,
            })
        })
        .collect()
}

fn options(
    field: &crate::config::Field,
    present: &BTreeSet<&str>,
    inputs: &Inputs<'_>,
) -> Vec<FacetOption> {
    let plain = |value: &str| FacetOption { value: value.to_string(), label: value.to_string() };
    if let Some(declared) = &field.values {
        return declared
            .iter()
            .filter(|v| present.contains(v.as_str()))
            .map(|v| plain(v))
            .collect();
    }
    match (field.ty, field.kind.as_deref()) {
        (FieldType::Reference, Some(target)) => inputs
            .links
            .index
            .entries_of_kind(target)
            .iter()
            .map(|&t| &inputs.site.pages[t])
            .filter(|p| present.contains(p.slug.as_str()))
            .map(|p| FacetOption { value: p.slug.clone(), label: p.title.clone() })
            .collect(),
        (FieldType::Number, _) => {
            let mut numbers: Vec<(f64, &str)> =
                present.iter().filter_map(|v| Some((v.parse().ok()?, *v))).collect();
            numbers.sort_by(|a, b| a.0.total_cmp(&b.0));
            numbers.into_iter().map(|(_, v)| plain(v)).collect()
        }
        _ => present.iter().map(|v| plain(v)).collect(),
    }
}
