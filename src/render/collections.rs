//! Pages that gather other pages: a kind's book (every entry on one printable page,
//! with a table of contents), the reader's selection, and each entry's printable card
//! as a small script the selection page loads.
//!
//! Takes the same inputs as page rendering; hands on output files (path, text). Each
//! page is drawn by a theme template (`book.html`, `selection.html`, `card.html`); a
//! theme without one simply does not get that page. The selection page is the same for
//! every reader: which cards it shows lives in the URL and the browser's storage.

use std::collections::HashMap;

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
    let lists = Lists::new(inputs.site, inputs.config, inputs.links);
    render_collections_kept(inputs, &lists, &mut Books::default(), &|_| true, diagnostics)
}

/// Each book's entries: their views (as the template sees them) and their cards as
/// rendered inside the book, kept between builds: after an edit serve makes only the
/// edited entries' parts again and puts the book together from the kept ones.
#[derive(Default)]
pub struct Books {
    books: HashMap<String, BookParts>,
    /// The theme with `book.html` cut at its cards, when the book can be put together.
    skeleton: Option<Option<tera::Tera>>,
}

/// One book's entries, by page url, in order.
#[derive(Default)]
struct BookParts {
    urls: Vec<String>,
    views: Vec<Value>,
    cards: Vec<String>,
    /// Whether the book was put together from these parts.
    made: bool,
}

/// Like [`render_collections`], taking the parts of the entries that are not `fresh`
/// (indices in `site.pages`) from `books`, and leaving out the books that are the same
/// as when `books` last made them.
pub fn render_collections_kept(
    inputs: &Inputs<'_>,
    lists: &Lists,
    books: &mut Books,
    fresh: &(dyn Fn(usize) -> bool + Sync),
    diagnostics: &mut Diagnostics,
) -> Vec<(String, String)> {
    let has = |name: &str| inputs.theme.tera.get_template_names().any(|t| t == name);
    let mut results = Vec::new();
    if has("book.html") {
        let skeleton = books.skeleton.get_or_insert_with(|| skeleton(inputs)).take();
        for kind in inputs.config.kinds() {
            if let Some(url) = book_url(kind) {
                let mut parts = books.books.remove(&url).unwrap_or_default();
                let made = free_url(&url, inputs).and_then(|()| {
                    book(kind, &url, (inputs, lists), (skeleton.as_ref(), fresh), &mut parts)
                });
                books.books.insert(url, parts);
                // `None`: the book is the same as last time.
                results.extend(made.transpose());
            }
        }
        books.skeleton = Some(skeleton);
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
        crate::diag::Message::BookTakesPlace {
            url: url.to_string(),
            page: page.source.display().to_string(),
        },
    )
    .with_hint(crate::diag::Hint::OtherBookSlug)
    .with_source(&inputs.config.source_text))
}

fn selection_url_is_free(inputs: &Inputs<'_>) -> Result<(), Diagnostic> {
    match inputs.site.pages.iter().find(|p| p.url == SELECTION_URL) {
        None => Ok(()),
        Some(page) => Err(Diagnostic::new(
            &page.source,
            1,
            1,
            crate::diag::Message::SelectionAddress { url: SELECTION_URL.to_string() },
        )
        .with_hint(crate::diag::Hint::RenameOrSlug)),
    }
}

/// Where the cards go in the book's skeleton: no template text holds this.
const CARDS_MARK: &str = "\u{1}spiegel-book-cards\u{1}";
/// The loop that the default `book.html` draws the cards with.
const CARDS_LOOP: &str = "{% for page in book %}{% include \"card.html\" %}{% endfor %}";

/// The theme with `book.html` cut where [`CARDS_LOOP`] draws the cards, when the book
/// can be put together from cards rendered one by one: the loop occurs once, the book
/// sets no variables, and the card uses neither the loop nor the book.
fn skeleton(inputs: &Inputs<'_>) -> Option<tera::Tera> {
    let texts = &inputs.theme.texts;
    let book = texts.get("book.html")?;
    let card = without_comments(texts.get("card.html")?);
    let settles = book.matches(CARDS_LOOP).count() == 1 && !book.contains("set ");
    if !settles || card.contains("loop") || card.contains("book") {
        return None;
    }
    let mut tera = inputs.theme.tera.clone();
    tera.add_raw_template("book.html", &book.replacen(CARDS_LOOP, CARDS_MARK, 1)).ok()?;
    Some(tera)
}

/// Template text without its `{# … #}` comments.
fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("#}").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// The theme cut at the cards (none: render the whole template), and which entries to
/// make again.
type Making<'m> = (Option<&'m tera::Tera>, &'m (dyn Fn(usize) -> bool + Sync));

fn book(
    kind: &Kind,
    url: &str,
    (inputs, lists): (&Inputs<'_>, &Lists),
    (skeleton, fresh): Making<'_>,
    parts: &mut BookParts,
) -> Result<Option<(String, String)>, Diagnostic> {
    let linker = linker(inputs);
    let root = root_prefix(url);
    let site_view = SiteView::new(inputs.config, &inputs.theme.brand, linker.clean_urls);
    let entries = inputs.links.index.entries_of_kind(&kind.name);
    let urls: Vec<&str> = entries.iter().map(|&e| inputs.site.pages[e].url.as_str()).collect();
    let make: Vec<usize> = if urls.iter().copied().eq(parts.urls.iter().map(String::as_str)) {
        let make: Vec<usize> = (0..entries.len()).filter(|&n| fresh(entries[n])).collect();
        let index = lists.kind_index.get(&kind.name).copied();
        if make.is_empty() && parts.made && !index.is_some_and(fresh) {
            return Ok(None);
        }
        make
    } else {
        *parts = kept_in_order(std::mem::take(parts), &urls);
        (0..entries.len()).filter(|&n| fresh(entries[n]) || parts.urls[n].is_empty()).collect()
    };
    let highlighter = Highlighter::default();
    let made: Vec<Result<(Value, String), Diagnostic>> = make
        .par_iter()
        .map(|&n| {
            let e = entries[n];
            let prefix = format!("{}--", inputs.site.pages[e].slug);
            let options = ViewOptions { root: &root, id_prefix: Some(&prefix) };
            let view = page_view(e, inputs, &linker, lists, &highlighter, &options).0;
            let view = tera::to_value(&view).map_err(|e| tera_error(url, &e.into(), inputs))?;
            let card = match skeleton {
                Some(tera) => {
                    let mut context = tera::Context::new();
                    context.insert("site", &site_view);
                    context.insert("page", &view);
                    context.insert("root", &root);
                    tera.render("card.html", &context).map_err(|e| tera_error(url, &e, inputs))?
                }
                None => String::new(),
            };
            Ok((view, card))
        })
        .collect();
    for (n, made) in make.into_iter().zip(made) {
        let (view, card) = made?;
        (parts.urls[n], parts.views[n], parts.cards[n]) = (urls[n].to_string(), view, card);
    }
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
    let mut context = tera::Context::new();
    context.insert("site", &site_view);
    context.insert("page", &page);
    context.insert("root", &root);
    // The views move into the context and back, not copied: a book has thousands.
    let views = Value::Array(std::mem::take(&mut parts.views));
    let mut book = Map::new();
    book.insert("book".into(), views);
    context.extend(tera::Context::from_value(Value::Object(book)).unwrap_or_default());
    let html = match skeleton {
        Some(tera) => tera.render("book.html", &context).map_err(|e| tera_error(url, &e, inputs)),
        None => render_template(inputs.theme, "book.html", &context, url),
    };
    if let Some(Value::Array(views)) = context.remove("book") {
        parts.views = views;
    }
    let html = match skeleton {
        Some(_) => with_cards(&html?, &parts.cards),
        None => html?,
    };
    parts.made = true;
    Ok(Some((format!("{url}index.html"), html)))
}

/// The book's skeleton with the cards where [`CARDS_MARK`] is.
fn with_cards(skeleton: &str, cards: &[String]) -> String {
    let (before, after) = skeleton.split_once(CARDS_MARK).unwrap_or((skeleton, ""));
    let size = before.len() + cards.iter().map(String::len).sum::<usize>() + after.len();
    let mut html = String::with_capacity(size);
    html.push_str(before);
    for card in cards {
        html.push_str(card);
    }
    html.push_str(after);
    html
}

/// The kept parts of the entries at `urls`, in that order; an entry not kept before
/// gets an empty url, to be made.
fn kept_in_order(mut old: BookParts, urls: &[&str]) -> BookParts {
    let at: HashMap<&str, usize> =
        old.urls.iter().enumerate().map(|(n, u)| (u.as_str(), n)).collect();
    let mut parts = BookParts::default();
    for url in urls {
        match at.get(url) {
            Some(&o) => {
                parts.urls.push(url.to_string());
                parts.views.push(std::mem::take(&mut old.views[o]));
                parts.cards.push(std::mem::take(&mut old.cards[o]));
            }
            None => {
                parts.urls.push(String::new());
                parts.views.push(Value::Null);
                parts.cards.push(String::new());
            }
        }
    }
    parts
}

fn tera_error(url: &str, error: &tera::Error, inputs: &Inputs<'_>) -> Diagnostic {
    super::render_error(url, "book.html", error, inputs.theme)
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
