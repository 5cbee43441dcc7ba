//! The pages spiegel makes itself: a listing page per taxonomy and per tag or facet
//! value (template `taxonomy.html`), and `404.html`; and the links from content pages
//! to those listings.
//!
//! Takes the render [`Inputs`]; hands on output files. Listing pages are not part of
//! `site.pages`, so they are neither link targets nor search results.

use serde_json::{Map, Value};

use super::views::{href_for_url, root_prefix, FacetLinks, LinkView, PageView, TermLink};
use super::{clean_urls, page_context, render_error, site_view, Inputs};
use crate::diag::{Diagnostic, Diagnostics};
use crate::publish::{base_url, permalink};
use crate::taxonomy::{Taxonomy, Term};
use crate::write::{Content, OutputFile};

const TAXONOMY_TEMPLATE: &str = "taxonomy.html";
const NOT_FOUND_TEMPLATE: &str = "404.html";

fn find<'a>(inputs: &Inputs<'a>, kind: Option<&str>, field: &str) -> Option<&'a Taxonomy> {
    inputs.taxonomies.iter().find(|t| t.kind.as_deref() == kind && t.field == field)
}

fn term_link(term: &Term, clean_urls: bool) -> TermLink<'_> {
    TermLink {
        label: &term.label,
        href: href_for_url(&term.url, clean_urls),
        count: term.pages.len(),
    }
}

/// Links to the tag pages of `tags`.
pub(super) fn tag_links<'a>(
    inputs: &Inputs<'a>,
    tags: &[String],
    clean: bool,
) -> Vec<TermLink<'a>> {
    let Some(taxonomy) = find(inputs, None, "tags") else { return Vec::new() };
    tags.iter().filter_map(|tag| taxonomy.term(tag)).map(|t| term_link(t, clean)).collect()
}

/// Links to the listing pages of a facet field's value (one, or each of a list).
pub(super) fn value_links<'a>(
    inputs: &Inputs<'a>,
    kind: &str,
    field: &str,
    value: &Value,
    clean: bool,
) -> Vec<TermLink<'a>> {
    let Some(taxonomy) = find(inputs, Some(kind), field) else { return Vec::new() };
    let items = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| item.as_str().map_or_else(|| item.to_string(), str::to_string))
        .filter_map(|text| taxonomy.term(&text))
        .map(|t| term_link(t, clean))
        .collect()
}

/// The facet fields of a kind with their values, for its index page.
pub(super) fn facets<'a>(
    inputs: &Inputs<'a>,
    kind: Option<&str>,
    clean: bool,
) -> Vec<FacetLinks<'a>> {
    inputs
        .taxonomies
        .iter()
        .filter(|t| t.kind.is_some() && t.kind.as_deref() == kind)
        .map(|t| FacetLinks {
            label: &t.label,
            href: href_for_url(&t.url, clean),
            terms: t.terms.iter().map(|term| term_link(term, clean)).collect(),
        })
        .collect()
}

/// Which listing pages to render: after an edit, serve renders only those whose
/// inputs changed.
pub struct Wanted<'w> {
    /// A taxonomy's overview of all its values.
    pub overview: &'w (dyn Fn(&Taxonomy) -> bool + Sync),
    /// One value's page.
    pub term: &'w (dyn Fn(&Taxonomy, &Term) -> bool + Sync),
    pub not_found: bool,
}

impl Wanted<'static> {
    /// Every listing page and the 404 page.
    pub const ALL: Wanted<'static> =
        Wanted { overview: &|_| true, term: &|_, _| true, not_found: true };
}

/// The listing pages `wanted` names.
pub fn render_wanted(
    inputs: &Inputs<'_>,
    wanted: &Wanted<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut files = Vec::new();
    render_each(inputs, wanted, &mut |made| files.extend(made), diagnostics);
    files
}

/// The listing pages `wanted` names, handed to `emit` one taxonomy at a time, so that a
/// build holds one taxonomy's pages at most (each value's page lists all its entries:
/// together they are about as large as the site's text).
pub fn render_each(
    inputs: &Inputs<'_>,
    wanted: &Wanted<'_>,
    emit: &mut dyn FnMut(Vec<OutputFile>),
    diagnostics: &mut Diagnostics,
) {
    let mut problems = Vec::new();
    for taxonomy in inputs.taxonomies {
        match render_taxonomy(inputs, taxonomy, wanted) {
            Ok(pages) => emit(pages),
            Err(d) => problems.push(d),
        }
    }
    if wanted.not_found {
        match render_not_found(inputs) {
            Ok(file) => emit(vec![file]),
            Err(d) => problems.push(d),
        }
    }
    // One broken template would fail every listing: report each error once.
    let mut seen = std::collections::HashSet::new();
    problems.retain(|d| seen.insert((d.path.clone(), d.line, d.col, d.message.clone())));
    diagnostics.extend(problems);
}

/// Where a listing sits in the site: its kind's index, or nothing for tags.
#[derive(serde::Serialize)]
struct Parent<'a> {
    label: &'a str,
    href: String,
}

fn render_taxonomy(
    inputs: &Inputs<'_>,
    taxonomy: &Taxonomy,
    wanted: &Wanted<'_>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    use rayon::prelude::*;
    let clean = clean_urls(inputs.config);
    let linker = super::linker(inputs);
    let kind = taxonomy.kind.as_deref().and_then(|k| inputs.config.kind(k));
    let empty = Map::new();
    let mut files = Vec::new();
    if (wanted.overview)(taxonomy) {
        let kind_parent = kind.map(|k| Parent {
            label: &k.plural,
            href: href_for_url(&format!("{}/", k.folder), clean),
        });
        let terms: Vec<TermLink<'_>> = taxonomy.terms.iter().map(|t| term_link(t, clean)).collect();
        let title = match kind {
            Some(k) => format!("{}: {}", k.plural, taxonomy.label),
            None => taxonomy.label.clone(),
        };
        files.push(listing_page(
            inputs,
            &ListingPage {
                title: &title,
                role: "taxonomy",
                kind,
                url: &taxonomy.url,
                parent: kind_parent.as_ref(),
                terms: &terms,
                entries: Vec::new(),
                fields: &empty,
            },
        )?);
    }
    let parent = Parent { label: &taxonomy.label, href: href_for_url(&taxonomy.url, clean) };
    let terms: Vec<&Term> = taxonomy.terms.iter().filter(|t| (wanted.term)(taxonomy, t)).collect();
    // Rendered in parallel, the first problem in term order reported.
    let pages: Vec<Result<OutputFile, Diagnostic>> = terms
        .par_iter()
        .map(|term| {
            let entries: Vec<LinkView<'_>> = term.pages.iter().map(|&i| linker.link(i)).collect();
            listing_page(
                inputs,
                &ListingPage {
                    title: &term.label,
                    role: "term",
                    kind,
                    url: &term.url,
                    parent: Some(&parent),
                    terms: &[],
                    entries,
                    fields: &empty,
                },
            )
        })
        .collect();
    for page in pages {
        files.push(page?);
    }
    Ok(files)
}

struct ListingPage<'a, 'p> {
    title: &'p str,
    /// `taxonomy` for the overview of all values, `term` for one value's page.
    role: &'static str,
    kind: Option<&'a crate::config::Kind>,
    url: &'p str,
    parent: Option<&'p Parent<'p>>,
    terms: &'p [TermLink<'p>],
    entries: Vec<LinkView<'a>>,
    fields: &'p Map<String, Value>,
}

fn listing_page(
    inputs: &Inputs<'_>,
    listing: &ListingPage<'_, '_>,
) -> Result<OutputFile, Diagnostic> {
    let clean = clean_urls(inputs.config);
    let href = href_for_url(listing.url, clean);
    let description = match listing.parent {
        Some(parent) => format!("{}: {}", parent.label, listing.title),
        None => listing.title.to_string(),
    };
    let mut view =
        PageView::generated(listing.title, listing.role, href.clone(), description, listing.fields);
    view.kind = listing.kind.map(|k| k.name.as_str());
    view.kind_singular = listing.kind.map(|k| k.singular.as_str());
    view.kind_plural = listing.kind.map(|k| k.plural.as_str());
    view.permalink = base_url(inputs.config).map(|b| permalink(&b, &href));
    let site = site_view(inputs, clean);
    let root = root_prefix(listing.url);
    let mut context = page_context(&site, &view, &listing.entries, &root);
    context.insert("terms", listing.terms);
    context.insert("parent", &listing.parent);
    let html = inputs
        .theme
        .tera
        .render(TAXONOMY_TEMPLATE, &context)
        .map_err(|e| render_error(listing.url, TAXONOMY_TEMPLATE, &e, inputs.theme))?;
    Ok(OutputFile {
        path: format!("{}index.html", listing.url),
        content: Content::Bytes(html.into_bytes()),
    })
}

/// `404.html`, which a web host shows at any depth: its links start from the base URL,
/// or from the host's root when the site has none.
fn render_not_found(inputs: &Inputs<'_>) -> Result<OutputFile, Diagnostic> {
    let clean = clean_urls(inputs.config);
    let empty = Map::new();
    let view = PageView::generated(
        "404",
        "not_found",
        NOT_FOUND_TEMPLATE.to_string(),
        String::new(),
        &empty,
    );
    let site = site_view(inputs, clean);
    let root = base_url(inputs.config).unwrap_or_else(|| "/".to_string());
    let context = page_context(&site, &view, &[], &root);
    let html = inputs
        .theme
        .tera
        .render(NOT_FOUND_TEMPLATE, &context)
        .map_err(|e| render_error(NOT_FOUND_TEMPLATE, NOT_FOUND_TEMPLATE, &e, inputs.theme))?;
    Ok(OutputFile {
        path: NOT_FOUND_TEMPLATE.to_string(),
        content: Content::Bytes(html.into_bytes()),
    })
}

/// The site-relative folders of all listing pages, for the sitemap.
pub fn listing_urls(taxonomies: &[Taxonomy]) -> Vec<String> {
    taxonomies
        .iter()
        .flat_map(|t| {
            std::iter::once(t.url.clone()).chain(t.terms.iter().map(|term| term.url.clone()))
        })
        .collect()
}
