//! Pages that gather other pages: a kind's book (every entry on one printable page,
//! with a table of contents), the reader's selection, and each entry's printable card
//! as a small script the selection page loads.
//!
//! Takes the same inputs as page rendering; hands on output files (path, text). Each
//! page is drawn by a theme template (`book.html`, `selection.html`, `card.html`); a
//! theme without one simply does not get that page. The selection page is the same for
//! every reader: which cards it shows lives in the URL and the browser's storage.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::card_parts::CardParts;
use super::theme::Theme;
use super::views::{book_url, root_prefix, PageView, SiteView, SELECTION_URL};
use super::{
    linker, page_source, page_view, render_template, report_once, split_results, Inputs, Lists,
    ViewOptions,
};
use crate::config::{Config, Kind, FILE_NAME};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Role;
use crate::markdown::Highlighter;
use crate::spill::Spill;
use crate::write::{Content, Parts, Piece};

/// The books of the kinds that have one, and the selection page.
pub fn render_collections(
    inputs: &Inputs<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, Content)> {
    let lists = Lists::new(inputs.site, inputs.config, inputs.links);
    render_collections_kept(inputs, &lists, &mut Books::default(), &|_| true, diagnostics)
}

/// Each book's entries: their views (as the template sees them) and their parts of the
/// book (a card, a line of the table of contents) as rendered inside it, kept between
/// builds: after an edit serve makes only the edited entries' parts again and puts the
/// book together from the kept ones, as shared parts that nothing copies.
#[derive(Default)]
pub struct Books {
    /// Whether the entries' views may go once their parts are made (nothing makes the
    /// book again), where the book's skeleton does not show them.
    drop_views: bool,
    books: HashMap<String, BookParts>,
    /// The theme with `book.html` cut at its loops over the entries, when the book can be
    /// put together.
    skeleton: Option<Option<Skeleton>>,
    /// Where a build for one time parks the entries' parts until the book is written:
    /// a book holds every entry, and is larger than their Markdown.
    spill: Option<Arc<Spill>>,
    /// Parts drawn with the entries' pages (see [`CardParts`]), by page.
    provided: HashMap<usize, Vec<Piece>>,
}

impl Books {
    /// Books for builds to come (`keep`), or for one build only.
    pub fn new(keep: bool) -> Books {
        let spill = if keep { None } else { Spill::new().ok() };
        Books { drop_views: !keep, spill, ..Books::default() }
    }

    /// For a build for one time: the kinds whose entries' parts of the book can be drawn
    /// with their pages (see [`CardParts`]).
    pub fn card_parts(&mut self, theme: &Theme, config: &Config) -> Option<CardParts> {
        if !self.drop_views || !theme.texts.contains_key("book.html") {
            return None;
        }
        let skeleton = self.skeleton.get_or_insert_with(|| skeleton(theme)).as_ref()?;
        if skeleton.shows_views {
            return None;
        }
        let roots: HashMap<String, String> = config
            .kinds()
            .filter_map(|kind| book_url(kind).map(|url| (kind.name.clone(), root_prefix(&url))))
            .collect();
        if roots.is_empty() {
            return None;
        }
        let cut = (&skeleton.tera, &skeleton.loops[..], &skeleton.bodies[..]);
        CardParts::new(cut, &theme.texts, roots, self.spill.clone())
    }

    /// The parts drawn with the entries' pages, by page: the book takes them instead of
    /// drawing them again.
    pub fn provide(&mut self, parts: impl IntoIterator<Item = (usize, Vec<Piece>)>) {
        self.provided.extend(parts);
    }
}

/// One book's entries, by page url, in order.
#[derive(Default)]
struct BookParts {
    urls: Vec<String>,
    views: Vec<Value>,
    /// Per entry, its part for each of the skeleton's loops.
    parts: Vec<Vec<Piece>>,
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
) -> Vec<(String, Content)> {
    let has = |name: &str| inputs.theme.tera.get_template_names().any(|t| t == name);
    let mut results = Vec::new();
    if has("book.html") {
        let skeleton = books.skeleton.get_or_insert_with(|| skeleton(inputs.theme)).take();
        for kind in inputs.config.kinds() {
            if let Some(url) = book_url(kind) {
                let mut parts = books.books.remove(&url).unwrap_or_default();
                let making = Making {
                    skeleton: skeleton.as_ref(),
                    fresh,
                    drop_views: books.drop_views,
                    spill: books.spill.as_ref(),
                    provided: &books.provided,
                };
                let made = free_url(&url, inputs)
                    .and_then(|()| book(kind, &url, (inputs, lists), making, &mut parts));
                books.books.insert(url, parts);
                // `None`: the book is the same as last time.
                results.extend(made.transpose());
            }
        }
        books.skeleton = Some(skeleton);
        // Parts drawn with the pages are for this build's books only.
        books.provided.clear();
    }
    if has("selection.html") {
        let selection = selection_url_is_free(inputs).and_then(|()| selection(inputs));
        results.push(selection.map(|(path, html)| (path, Content::Bytes(html.into_bytes()))));
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

/// Where a loop's parts go in the book's skeleton, followed by the loop's number and
/// this again: no template text holds this.
const MARK: &str = "\u{1}spiegel-book-";

/// The theme with `book.html` cut at its loops over the book's entries, each loop's
/// body a template of its own that draws one entry's part.
struct Skeleton {
    tera: tera::Tera,
    /// Each loop's variable, by loop number.
    loops: Vec<String>,
    /// Each loop's body, by loop number.
    bodies: Vec<String>,
    /// Whether the template outside its loops may show the entries' views.
    shows_views: bool,
}

pub(super) fn part_template(n: usize) -> String {
    format!("spiegel-book-part-{n}.html")
}

/// The theme with `book.html` cut at each `{% for NAME in book %}…{% endfor %}`, when
/// the book can be put together from parts rendered one by one: the book sets no
/// variables, and a loop's body (with what it includes) nests no loop and uses neither
/// `loop`, nor the book, nor the book's macros.
fn skeleton(theme: &Theme) -> Option<Skeleton> {
    let texts = &theme.texts;
    let book = texts.get("book.html")?;
    if book.contains("set ") {
        return None;
    }
    let mut tera = theme.tera.clone();
    let (mut cut, mut rest, mut loops) = (String::new(), book.as_str(), Vec::new());
    let mut bodies = Vec::new();
    while let Some((before, name, body, after)) = next_book_loop(rest) {
        if !stands_alone(body, texts) {
            return None;
        }
        tera.add_raw_template(&part_template(loops.len()), body).ok()?;
        cut.push_str(before);
        cut.push_str(&format!("{MARK}{}\u{1}", loops.len()));
        loops.push(name.to_string());
        bodies.push(body.to_string());
        rest = after;
    }
    cut.push_str(rest);
    if loops.is_empty() {
        return None;
    }
    tera.add_raw_template("book.html", &cut).ok()?;
    let shows_views = names_variable(&cut, "book");
    Some(Skeleton { tera, loops, bodies, shows_views })
}

/// The first loop over the book in `text`: the text before it, its variable, its body
/// and the text after it.
fn next_book_loop(text: &str) -> Option<(&str, &str, &str, &str)> {
    let mut from = 0;
    loop {
        let start = from + text[from..].find("{% for ")?;
        let head_end = start + text[start..].find("%}")? + 2;
        let head = text[start + "{% for ".len()..head_end - 2].trim();
        from = head_end;
        let Some((name, "book")) = head.split_once(" in ").map(|(n, c)| (n.trim(), c.trim()))
        else {
            continue;
        };
        let body_end = head_end + text[head_end..].find("{% endfor %}")?;
        let after = &text[body_end + "{% endfor %}".len()..];
        return Some((&text[..start], name, &text[head_end..body_end], after));
    }
}

/// Whether template text may use the variable `name`: the word standing alone, not
/// part of a longer name (`book_title`), a quoted text or a class (`"book"`, `book-toc`).
pub(super) fn names_variable(text: &str, name: &str) -> bool {
    let part_of_name = |c: char| c.is_alphanumeric() || "_-\"'".contains(c);
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(part_of_name) && !after.is_some_and(part_of_name)
    })
}

/// Whether a loop's body draws the same outside the loop: see [`skeleton`].
fn stands_alone(body: &str, texts: &std::collections::BTreeMap<String, String>) -> bool {
    let uses_book = |text: &str| text.contains("loop") || text.contains("book");
    let nests = ["{% for", "{%- for", "set ", "::"].iter().any(|word| body.contains(word));
    if nests || uses_book(body) {
        return false;
    }
    included(body).all(|name| texts.get(name).is_some_and(|t| !uses_book(&without_comments(t))))
}

/// The names of the templates `text` includes (`{% include "name" %}`), in order.
pub(super) fn included(text: &str) -> impl Iterator<Item = &str> {
    text.split("include \"").skip(1).map(|rest| rest.split('"').next().unwrap_or_default())
}

/// Template text without its `{# … #}` comments.
pub(super) fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("#}").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// How a book's entries are made this time.
struct Making<'m> {
    /// The theme cut at the book's loops (none: render the whole template).
    skeleton: Option<&'m Skeleton>,
    /// Which entries to make again.
    fresh: &'m (dyn Fn(usize) -> bool + Sync),
    /// Whether their views may go once their parts are made.
    drop_views: bool,
    /// Where their parts wait for the book to be written, if not in memory.
    spill: Option<&'m Arc<Spill>>,
    /// Parts already drawn with the entries' pages, by page.
    provided: &'m HashMap<usize, Vec<Piece>>,
}

fn book(
    kind: &Kind,
    url: &str,
    (inputs, lists): (&Inputs<'_>, &Lists),
    Making { skeleton, fresh, drop_views, spill, provided }: Making<'_>,
    parts: &mut BookParts,
) -> Result<Option<(String, Content)>, Diagnostic> {
    let linker = linker(inputs);
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
    let root = root_prefix(url);
    let mut context = tera::Context::new();
    context.insert("site", &SiteView::new(inputs.config, &inputs.theme.brand, linker.clean_urls));
    context.insert("page", &page);
    context.insert("root", &root);
    let drop_views = drop_views && skeleton.is_some_and(|s| !s.shows_views);
    let making =
        Entries { url, inputs, lists, skeleton, context: &context, drop_views, spill, provided };
    for (n, made) in make.iter().zip(making.make(&make, entries)) {
        let (view, entry_parts) = made?;
        (parts.urls[*n], parts.views[*n], parts.parts[*n]) =
            (urls[*n].to_string(), view, entry_parts);
    }
    let content = put_together(url, inputs, (skeleton, context), parts)?;
    parts.made = true;
    Ok(Some((format!("{url}index.html"), content)))
}

/// Puts `value` into `context` as `name` without a copy: Tera's `insert` serialises one.
pub(super) fn move_into(context: &mut tera::Context, name: &str, value: Value) {
    let mut one = Map::new();
    one.insert(name.to_string(), value);
    // Only a value that is not an object fails to become a context.
    if let Ok(one) = tera::Context::from_value(Value::Object(one)) {
        context.extend(one);
    }
}

/// An entry's view, and its part for each of the book's loops.
type EntryParts = (Value, Vec<Piece>);

/// What rendering a book's entries takes: the book's own context among that.
struct Entries<'e> {
    url: &'e str,
    inputs: &'e Inputs<'e>,
    lists: &'e Lists,
    skeleton: Option<&'e Skeleton>,
    context: &'e tera::Context,
    drop_views: bool,
    spill: Option<&'e Arc<Spill>>,
    provided: &'e HashMap<usize, Vec<Piece>>,
}

impl Entries<'_> {
    /// The view and the parts of the book's `n`th entries for each `n` in `make`.
    fn make(&self, make: &[usize], entries: &[usize]) -> Vec<Result<EntryParts, Diagnostic>> {
        let (inputs, url) = (self.inputs, self.url);
        let linker = linker(inputs);
        let root = root_prefix(url);
        let highlighter = Highlighter::default();
        // One copy of the book's context per piece of work, each entry's view moved into
        // it for its part and out again: no copy of the context or the view per entry.
        make.par_iter()
            .map_init(
                || self.context.clone(),
                |context, &n| {
                    let e = entries[n];
                    if let Some(part) = self.provided.get(&e).filter(|_| self.drop_views) {
                        return Ok((Value::Null, part.clone()));
                    }
                    let prefix = format!("{}--", inputs.site.pages[e].slug);
                    let options =
                        ViewOptions { root: &root, id_prefix: Some(&prefix), mark_ids: false };
                    let view = page_view(e, inputs, &linker, self.lists, &highlighter, &options)?.0;
                    let view =
                        tera::to_value(&view).map_err(|e| tera_error(url, &e.into(), inputs))?;
                    let Some(skeleton) = self.skeleton else { return Ok((view, Vec::new())) };
                    let mut parts = Vec::with_capacity(skeleton.loops.len());
                    let mut view = view;
                    for (i, name) in skeleton.loops.iter().enumerate() {
                        // The loop's variable may hide one of the book's (`page`): that
                        // one goes back afterwards, for the next loop and entry.
                        let outer = context.remove(name);
                        move_into(context, name, view);
                        let part = skeleton.tera.render(&part_template(i), context);
                        view = context.remove(name).unwrap_or_default();
                        if let Some(outer) = outer {
                            move_into(context, name, outer);
                        }
                        parts.push(Piece::parked_or_held(
                            self.spill,
                            part.map_err(|e| tera_error(url, &e, inputs))?,
                        ));
                    }
                    // The book's length stays what the skeleton sees.
                    let view = if self.drop_views { Value::Null } else { view };
                    Ok((view, parts))
                },
            )
            .collect()
    }
}
/// The book: its skeleton rendered, with the entries' kept parts where its loops were;
/// or the whole template rendered, where the theme's book cannot be cut.
fn put_together(
    url: &str,
    inputs: &Inputs<'_>,
    (skeleton, mut context): (Option<&Skeleton>, tera::Context),
    parts: &mut BookParts,
) -> Result<Content, Diagnostic> {
    // The views move into the context and back, not copied: a book has thousands.
    let render = |tera: &tera::Tera, context: &mut tera::Context, parts: &mut BookParts| {
        let mut book = Map::new();
        book.insert("book".into(), Value::Array(std::mem::take(&mut parts.views)));
        context.extend(tera::Context::from_value(Value::Object(book)).unwrap_or_default());
        let html = tera.render("book.html", context).map_err(|e| tera_error(url, &e, inputs));
        if let Some(Value::Array(views)) = context.remove("book") {
            parts.views = views;
        }
        html
    };
    if let Some(skeleton) = skeleton {
        let html = render(&skeleton.tera, &mut context, parts)?;
        if let Some(joined) = with_parts(&html, skeleton.loops.len(), &parts.parts) {
            return Ok(Content::Parts(joined));
        }
    }
    Ok(Content::Bytes(render(&inputs.theme.tera, &mut context, parts)?.into_bytes()))
}

/// The book's skeleton with each loop's parts where its mark is, or `None` when the
/// skeleton does not show each loop once.
fn with_parts(skeleton: &str, loops: usize, entries: &[Vec<Piece>]) -> Option<Parts> {
    let mut joined: Vec<Piece> = Vec::with_capacity(loops * (entries.len() + 1) + 1);
    let mut seen = vec![false; loops];
    let mut rest = skeleton;
    while let Some(at) = rest.find(MARK) {
        let (n, after) = rest[at + MARK.len()..].split_once('\u{1}')?;
        let n: usize = n.parse().ok()?;
        if std::mem::replace(seen.get_mut(n)?, true) {
            return None;
        }
        joined.push(Piece::Text(Arc::from(&rest[..at])));
        joined
            .extend(entries.iter().map(|parts| parts.get(n).cloned()).collect::<Option<Vec<_>>>()?);
        rest = after;
    }
    joined.push(Piece::Text(Arc::from(rest)));
    seen.iter().all(|&s| s).then(|| Parts(joined.into()))
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
                parts.parts.push(std::mem::take(&mut old.parts[o]));
            }
            None => {
                parts.urls.push(String::new());
                parts.views.push(Value::Null);
                parts.parts.push(Vec::new());
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
    Ok(Some(card_script_text(page, html)))
}

/// The text of `card.js`: `html`, the entry's card, handed to the selection page.
pub(super) fn card_script_text(page: &crate::load::Page, html: String) -> String {
    let key = serde_json::Value::from(page.key.as_str());
    let html = serde_json::Value::from(html);
    format!("if (window.spiegelCard) window.spiegelCard({key}, {html});\n")
}
