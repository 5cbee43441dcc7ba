//! Pages that gather other pages: a kind's book (every entry on one printable page,
//! with a table of contents), the reader's selection, and each entry's printable card
//! as a small script the selection page loads.
//!
//! Takes the same inputs as page rendering; hands on output files (path, text). Each
//! page is drawn by a theme template (`book.html`, `selection.html`, `card.html`); a
//! theme without one simply does not get that page. The selection page is the same for
//! every reader: which cards it shows lives in the URL and the browser's storage.

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::views::{book_url, root_prefix, PageView, SiteView, SELECTION_URL};
use super::{
    linker, page_source, page_view, render_template, report_once, split_results, Inputs, Lists,
    ViewOptions,
};
use crate::config::{Kind, FILE_NAME};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Role;
use crate::markdown::Highlighter;

/// The books of the kinds that have one, and the selection page.
pub fn render_collections(
    inputs: &Inputs<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, String)> {
    let has = |name: &str| inputs.theme.tera.get_template_names().any(|t| t == name);
    let mut results = Vec::new();
    if has("book.html") {
        let books: Vec<(&Kind, String)> =
            inputs.config.kinds().filter_map(|k| Some((k, book_url(k)?))).collect();
        results = books
            .par_iter()
            .map(|(kind, url)| free_url(url, inputs).and_then(|()| book(kind, url, inputs)))
            .collect();
    }
    if has("selection.html") {
        results.push(selection_url_is_free(inputs).and_then(|()| selection(inputs)));
    }
    let (files, errors) = split_results(results);
    report_once(errors, diagnostics);
    files
}

/// A kind's book may not take the place of a page.
fn free_url(url: &str, inputs: &Inputs<'_>) -> Result<(), Diagnostic> {
    let Some(page) = inputs.site.pages.iter().find(|p| p.url == url) else { return Ok(()) };
    let kind = inputs.config.kinds().find(|k| book_url(k).as_deref() == Some(url));
    let (line, col) = kind
        .map_or((1, 1), |k| crate::config::locate(&inputs.config.source_text, &[&k.name, "book"]));
    Err(Diagnostic::new(
        FILE_NAME,
        line,
        col,
        format!("the book page {url} would take the place of {}", page.source.display()),
    )
    .with_hint("give `book:` another slug, or rename the page")
    .with_source(&inputs.config.source_text))
}

fn selection_url_is_free(inputs: &Inputs<'_>) -> Result<(), Diagnostic> {
    match inputs.site.pages.iter().find(|p| p.url == SELECTION_URL) {
        None => Ok(()),
        Some(page) => Err(Diagnostic::new(
            &page.source,
            1,
            1,
            format!("the address {SELECTION_URL} is the page of the reader's selection"),
        )
        .with_hint("rename the file or give it another `slug:`")),
    }
}

fn book(kind: &Kind, url: &str, inputs: &Inputs<'_>) -> Result<(String, String), Diagnostic> {
    let linker = linker(inputs);
    let lists = Lists::new(inputs.site, inputs.config, inputs.links);
    let highlighter = Highlighter::default();
    let root = root_prefix(url);
    let entries = inputs.links.index.entries_of_kind(&kind.name);
    // Each entry's view becomes template data on its own thread and is dropped there: a
    // book holds every entry's text, which should not be held twice.
    let views: Vec<Value> = entries
        .par_iter()
        .map(|&e| {
            let prefix = format!("{}--", inputs.site.pages[e].slug);
            let options = ViewOptions { root: &root, id_prefix: Some(&prefix) };
            let view = page_view(e, inputs, &linker, &lists, &highlighter, &options).0;
            serde_json::to_value(&view).unwrap_or_default()
        })
        .collect();
    let fields = Map::new();
    let index = lists.kind_index.get(&kind.name).map(|&i| &inputs.site.pages[i]);
    let page = PageView {
        title: &kind.plural,
        slug: kind.book.as_deref().unwrap_or_default(),
        key: url.trim_end_matches('/'),
        role: "book",
        kind: Some(&kind.name),
        kind_singular: Some(&kind.singular),
        kind_plural: Some(&kind.plural),
        href: super::views::href_for_url(url, linker.clean_urls),
        summary: index.and_then(|p| p.summary.as_deref()),
        description: index.and_then(|p| p.summary.clone()).unwrap_or_default(),
        kind_href: index.map(|p| linker.href(p)),
        ..PageView::empty(&fields)
    };
    let site = SiteView::new(inputs.config, &inputs.theme.brand, linker.clean_urls);
    let mut data = Map::new();
    data.insert("site".into(), serde_json::to_value(&site).unwrap_or_default());
    data.insert("page".into(), serde_json::to_value(&page).unwrap_or_default());
    data.insert("book".into(), Value::Array(views));
    data.insert("root".into(), Value::String(root.clone()));
    // Moved into the context, not copied as `insert` would.
    let context = tera::Context::from_value(Value::Object(data)).unwrap_or_default();
    let html = render_template(inputs.theme, "book.html", &context, url)?;
    Ok((format!("{url}index.html"), html))
}

fn selection(inputs: &Inputs<'_>) -> Result<(String, String), Diagnostic> {
    let linker = linker(inputs);
    let title = inputs.theme.strings.get("selection_title").map_or("", String::as_str);
    let fields = Map::new();
    let page = PageView {
        title,
        slug: SELECTION_URL.trim_end_matches('/'),
        key: SELECTION_URL.trim_end_matches('/'),
        role: "selection",
        href: super::views::href_for_url(SELECTION_URL, linker.clean_urls),
        ..PageView::empty(&fields)
    };
    let root = root_prefix(SELECTION_URL);
    let mut context = tera::Context::new();
    context.insert("site", &SiteView::new(inputs.config, &inputs.theme.brand, linker.clean_urls));
    context.insert("page", &page);
    context.insert("root", &root);
    let html = render_template(inputs.theme, "selection.html", &context, SELECTION_URL)?;
    Ok((format!("{SELECTION_URL}index.html"), html))
}

/// `card.js` of an entry: its card (the theme's `card.html`, filled with the page's own
/// context) handed to `window.spiegelCard(key, html)`. Links in it are relative to the
/// entry's page; the selection page resolves them from there.
pub(super) fn card_script(
    inputs: &Inputs<'_>,
    page: &crate::load::Page,
    context: &tera::Context,
) -> Result<Option<String>, Diagnostic> {
    if page.role != Role::Entry || !inputs.theme.tera.get_template_names().any(|t| t == "card.html")
    {
        return Ok(None);
    }
    let html = render_template(inputs.theme, "card.html", context, &page_source(page))?;
    let key = serde_json::Value::from(page.key.as_str());
    let html = serde_json::Value::from(html);
    Ok(Some(format!("if (window.spiegelCard) window.spiegelCard({key}, {html});\n")))
}
