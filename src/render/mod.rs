//! Rendering: each page's Markdown to HTML, then into its Tera template.
//!
//! Takes the loaded site, its links and the compiled theme; hands on one
//! [`RenderedPage`] per page (its output path, HTML and plain-text sections). Pages
//! render in parallel; a page's context holds only what that page shows (its own
//! links, and the entry list on index pages), so no page's work grows with the site.

pub mod brand;
pub mod builtin;
mod card_parts;
mod collections;
pub mod embed;
pub(crate) mod facets;
pub mod i18n;
pub mod listing;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::{Config, FieldType};
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::graph::{render_svg, GraphEdge, GraphNode, GraphOptions};
use crate::link::Heading;
use crate::link::Links;
use crate::load::{Page, Role, Site};
use crate::markdown::{self, Highlighter, LinkWriter, Section};
pub use card_parts::CardParts;
pub use collections::{render_collections, render_collections_kept, Books};
use theme::{error_chain, Theme};
use views::{role_name, root_prefix, LinkView, Linker, PageView, Property, Sequence, SiteView};

/// One page, ready to write.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    /// Index in `site.pages`.
    pub index: usize,
    /// Site-relative output file, e.g. `inspiratie/x/index.html`.
    pub path: String,
    pub html: String,
    pub sections: Vec<Section>,
    /// For entries: `card.js` beside the page, which hands the page's printable card to
    /// the selection page (a script, so that it also loads from `file://`).
    pub card: Option<String>,
    /// For entries whose book parts are drawn with the page (see [`CardParts`]): those,
    /// one per loop of the book's template.
    pub book_parts: Option<Vec<crate::write::Piece>>,
    /// The meta description: the summary, or the start of the first paragraph.
    pub description: String,
}

/// What rendering needs from the earlier stages.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub links: &'a Links,
    pub config: &'a Config,
    pub theme: &'a Theme,
    pub taxonomies: &'a [crate::taxonomy::Taxonomy],
    pub feeds: &'a [crate::publish::Feed],
    pub photos: &'a crate::photos::Photos,
    /// The page texts a one-shot build let go of, read again as each page renders.
    pub released: Option<&'a crate::load::release::Released>,
    /// Which entries' book parts a one-shot build draws with their pages.
    pub card_parts: Option<&'a CardParts>,
}

/// Renders the pages `which` (indices in `site.pages`; a rebuild passes only the pages
/// whose inputs changed, a build all of them).
pub fn render(
    inputs: &Inputs<'_>,
    which: &[usize],
    with: (&Lists, &Highlighter),
    diagnostics: &mut Diagnostics,
) -> Vec<RenderedPage> {
    render_each(inputs, which, with, &|page| page, diagnostics)
}

/// Like [`render`], handing each page to `each` on the thread that rendered it, as soon
/// as it is rendered (a build writes it there and keeps only what `each` returns).
pub fn render_each<T: Send>(
    inputs: &Inputs<'_>,
    which: &[usize],
    (lists, highlighter): (&Lists, &Highlighter),
    each: &(dyn Fn(RenderedPage) -> T + Sync),
    diagnostics: &mut Diagnostics,
) -> Vec<T> {
    let linker = linker(inputs);
    let site = site_view(inputs, linker.clean_urls);
    // One context per piece of work, `site` in it once, not serialised and dropped
    // again for every page.
    let results: Vec<Result<T, Diagnostic>> = which
        .par_iter()
        .map_init(
            || site_context(&site),
            |context, &i| render_page(i, inputs, &linker, lists, highlighter, context).map(each),
        )
        .collect();
    let (pages, errors) = split_results(results);
    report_once(errors, diagnostics);
    pages
}

/// Successes, and the failures with how many pages each one failed.
fn split_results<T>(results: Vec<Result<T, Diagnostic>>) -> (Vec<T>, Vec<(Diagnostic, usize)>) {
    let mut done = Vec::with_capacity(results.len());
    let mut errors: BTreeMap<(PathBuf, usize, usize, crate::diag::Message), (Diagnostic, usize)> =
        BTreeMap::new();
    for result in results {
        match result {
            Ok(page) => done.push(page),
            Err(d) => {
                // One broken template fails every page that uses it: report it once.
                let key = (d.path.clone(), d.line, d.col, (*d.message).clone());
                errors.entry(key).or_insert((d, 0)).1 += 1;
            }
        }
    }
    (done, errors.into_values().collect())
}

fn report_once(errors: Vec<(Diagnostic, usize)>, diagnostics: &mut Diagnostics) {
    for (mut d, count) in errors {
        if count > 1 {
            d.message = Box::new(crate::diag::Message::OnPages { message: d.message, count });
        }
        diagnostics.push(d);
    }
}

fn linker<'a>(inputs: &Inputs<'a>) -> Linker<'a> {
    Linker {
        pages: &inputs.site.pages,
        config: inputs.config,
        clean_urls: clean_urls(inputs.config),
        other_pages: inputs.theme.strings.get("backlinks_other_pages").map_or("", String::as_str),
    }
}

/// Clean URLs only where they can work: on a site with a base URL.
pub fn clean_urls(config: &Config) -> bool {
    config.clean_urls && config.base_url.is_some()
}

/// The entry lists index pages show, and each entry's place in its kind, computed once.
pub struct Lists {
    /// Dated entries, newest first, for the home page.
    recent: Vec<usize>,
    /// Section folder url → the pages directly in it.
    children: BTreeMap<String, Vec<usize>>,
    /// Per page: its position among its kind's entries.
    position: Vec<Option<usize>>,
    /// Kind name → its index page.
    kind_index: BTreeMap<String, usize>,
}

impl Lists {
    pub fn new(site: &Site, config: &Config, links: &Links) -> Lists {
        let pages = &site.pages;
        let mut recent: Vec<usize> = (0..pages.len())
            .filter(|&i| pages[i].role == Role::Entry && pages[i].date.is_some())
            .collect();
        let newest_first = |&a: &usize, &b: &usize| {
            pages[b].date.cmp(&pages[a].date).then(pages[a].url.cmp(&pages[b].url))
        };
        // The six newest, without sorting all (this runs at every serve update).
        if recent.len() > 6 {
            recent.select_nth_unstable_by(6, newest_first);
            recent.truncate(6);
        }
        recent.sort_by(newest_first);
        let mut children: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut kind_index = BTreeMap::new();
        for (i, page) in pages.iter().enumerate() {
            if matches!(page.role, Role::Page | Role::Entry) {
                let parent = page.url.trim_end_matches('/').rsplit_once('/').map_or("", |(p, _)| p);
                // `{parent}/`, which begins the url, unless the parent is the root.
                let key = match parent {
                    "" => "/",
                    _ => &page.url[..parent.len() + 1],
                };
                match children.get_mut(key) {
                    Some(list) => list.push(i),
                    None => drop(children.insert(key.to_string(), vec![i])),
                }
            }
            if let (Role::KindIndex, Some(kind)) = (page.role, &page.kind) {
                kind_index.insert(kind.clone(), i);
            }
        }
        let mut position = vec![None; pages.len()];
        for kind in config.kinds() {
            for (n, &i) in links.index.entries_of_kind(&kind.name).iter().enumerate() {
                position[i] = Some(n);
            }
        }
        Lists { recent, children, position, kind_index }
    }

    /// The entries an index page lists; none for other pages.
    pub fn entries_for(&self, page: &Page, site: &Site, links: &Links) -> Vec<usize> {
        match page.role {
            Role::KindIndex => page
                .kind
                .as_deref()
                .map(|k| links.index.entries_of_kind(k).to_vec())
                .unwrap_or_default(),
            Role::Home => self.recent.clone(),
            Role::Section => self.children.get(&page.url).cloned().unwrap_or_default(),
            Role::SearchIndex => {
                (0..site.pages.len()).filter(|&i| site.pages[i].role == Role::Entry).collect()
            }
            Role::Entry | Role::Page => Vec::new(),
        }
    }

    /// The previous and next entry of the page's kind.
    fn sequence<'a>(
        &self,
        i: usize,
        inputs: &Inputs<'a>,
        linker: &Linker<'a>,
    ) -> Option<Sequence<'a>> {
        let n = self.position[i]?;
        let entries = inputs.links.index.entries_of_kind(inputs.site.pages[i].kind.as_deref()?);
        let link = |at: Option<usize>| at.and_then(|at| entries.get(at)).map(|&e| linker.link(e));
        Some(Sequence {
            prev: link(n.checked_sub(1)),
            next: link(Some(n + 1)),
            number: n + 1,
            count: entries.len(),
        })
    }
}

/// Writes links from one page: `root` prefix plus the target's site-relative href.
struct FromPage<'a> {
    root: &'a str,
    linker: &'a Linker<'a>,
}

impl LinkWriter for FromPage<'_> {
    fn href(&self, target: usize, fragment: Option<&str>) -> String {
        let page = &self.linker.pages[target];
        let mut href = format!("{}{}", self.root, self.linker.href(page));
        if href.is_empty() {
            href.push_str("./");
        }
        if let Some(fragment) = fragment {
            href.push('#');
            href.push_str(fragment);
        }
        href
    }

    fn title(&self, target: usize) -> &str {
        &self.linker.pages[target].title
    }

    fn file_href(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }
}

/// How one page is shown: where its links start from and how its heading ids read.
struct ViewOptions<'r> {
    /// The way from the page the view appears on back to the site root.
    root: &'r str,
    /// Put in front of every heading id, where several pages share one HTML page.
    id_prefix: Option<&'r str>,
    /// Mark the heading ids with [`card_parts::ID_MARK`] (unless the text holds it),
    /// for a card that is also a book part.
    mark_ids: bool,
}

/// What templates see of page `i`, the plain text of its sections, and whether its
/// heading ids are marked (`options.mark_ids`).
fn page_view<'a>(
    i: usize,
    inputs: &Inputs<'a>,
    linker: &Linker<'a>,
    lists: &Lists,
    highlighter: &Highlighter,
    options: &ViewOptions<'_>,
) -> Result<(PageView<'a>, Vec<Section>, bool), Diagnostic> {
    let page = &inputs.site.pages[i];
    let page_links = &inputs.links.pages[i];
    let writer = FromPage { root: options.root, linker };
    let text = crate::load::release::Released::body(inputs.released, i, page)?;
    let marked = options.mark_ids && !text.contains(card_parts::ID_MARK);
    let prefixed: Vec<Heading>;
    let headings = match options.id_prefix.or(marked.then_some(card_parts::ID_MARK)) {
        Some(prefix) => {
            prefixed = page_links
                .headings
                .iter()
                .map(|h| Heading { id: format!("{prefix}{}", h.id), ..h.clone() })
                .collect();
            &prefixed
        }
        None => &page_links.headings,
    };
    let images = inputs.photos.pages.get(i).map_or(&[][..], Vec::as_slice);
    let refs = markdown::References { headings, links: &page_links.resolved, images };
    let body = markdown::render(&text, &refs, &writer, highlighter, &inputs.config.html);
    let kind = page.kind.as_deref().and_then(|k| inputs.config.kind(k));
    let backlinks = &page_links.backlinks;
    let href = linker.href(page);
    let properties = properties(i, inputs, linker);
    let view = PageView {
        title: &page.title,
        slug: &page.slug,
        key: &page.key,
        role: role_name(page.role),
        kind: page.kind.as_deref(),
        kind_singular: kind.map(|k| k.singular.as_str()),
        kind_plural: kind.map(|k| k.plural.as_str()),
        permalink: crate::publish::base_url(inputs.config)
            .map(|base| crate::publish::permalink(&base, &href)),
        href,
        source: page.source.to_string_lossy().replace('\\', "/"),
        date: page.date.as_deref(),
        summary: page.summary.as_deref(),
        description: description(page, &body),
        tags: &page.tags,
        tag_links: listing::tag_links(inputs, &page.tags, linker.clean_urls),
        weight: page.weight,
        fields: &page.fields,
        labels: properties.iter().map(|p| (p.name, p.label)).collect(),
        properties,
        content: body.html,
        toc: if options.id_prefix.is_some() { &[] } else { &page_links.headings },
        outgoing: page_links.outgoing.iter().map(|&t| linker.link(t)).collect(),
        backlinks: linker.group_backlinks(backlinks, |_| true),
        referenced_by: linker.group_backlinks(backlinks, |b| b.field.is_some()),
        mentioned_by: linker.group_backlinks(backlinks, |b| b.field.is_none()),
        kind_href: page
            .kind
            .as_deref()
            .and_then(|k| lists.kind_index.get(k))
            .map(|&k| linker.href(&inputs.site.pages[k])),
        sequence: lists.sequence(i, inputs, linker),
        facets: match (page.role, kind) {
            (Role::KindIndex, Some(kind)) => facets::facets(kind, inputs),
            _ => Vec::new(),
        },
        graph: graph_svg(i, inputs, &writer),
    };
    Ok((view, body.sections, marked))
}

fn render_page(
    i: usize,
    inputs: &Inputs<'_>,
    linker: &Linker<'_>,
    lists: &Lists,
    highlighter: &Highlighter,
    context: &mut tera::Context,
) -> Result<RenderedPage, Diagnostic> {
    let page = &inputs.site.pages[i];
    let root = root_prefix(&page.url);
    let drawing = inputs.card_parts.filter(|c| c.wanted(page, &root));
    let options = ViewOptions { root: &root, id_prefix: None, mark_ids: drawing.is_some() };
    let (view, mut sections, marked) = page_view(i, inputs, linker, lists, highlighter, &options)?;
    let kind = page.kind.as_deref().and_then(|k| inputs.config.kind(k));
    let entries: Vec<LinkView<'_>> = lists
        .entries_for(page, inputs.site, inputs.links)
        .into_iter()
        .map(|e| LinkView {
            facets: kind
                .filter(|_| page.role == Role::KindIndex)
                .map(|k| facets::values(e, k, inputs)),
            ..linker.link(e)
        })
        .collect();
    page_into(context, &view, &entries, &root);
    if page.role == Role::KindIndex {
        let facets = listing::facets(inputs, page.kind.as_deref(), linker.clean_urls);
        context.insert("facets", &facets);
    } else {
        context.remove("facets");
    }
    // With marked ids the book's parts come first, with the marks in; the page, its
    // sections and `card.js` go without them.
    let drawing = drawing.filter(|_| marked);
    let drawn = drawing.and_then(|parts| card_parts::draw(context, parts));
    if marked {
        for anchor in sections.iter_mut().filter_map(|s| s.anchor.as_mut()) {
            *anchor = anchor.replace(card_parts::ID_MARK, "");
        }
    }
    let template = template_name(page, inputs.config);
    let source = page_source(page);
    let html = render_template(inputs.theme, template, context, &source)?;
    let (card, book_parts) = match drawing {
        Some(parts) => card_parts::card_and_parts(inputs, page, context, drawn, parts)?,
        None => (collections::card_script(inputs, page, context)?, None),
    };
    let path = format!("{}index.html", page.url);
    let description = view.description.clone();
    Ok(RenderedPage { index: i, path, html, sections, card, book_parts, description })
}

/// What every template sees of the site, feeds included.
fn site_view<'a>(inputs: &Inputs<'a>, clean_urls: bool) -> SiteView<'a> {
    let mut site = SiteView::new(inputs.config, &inputs.theme.brand, clean_urls);
    site.feeds =
        inputs.feeds.iter().map(|f| views::FeedLink { title: &f.title, href: &f.path }).collect();
    site
}

/// The context every template gets: `site`, `page`, `entries` and `root`.
fn page_context(
    site: &SiteView<'_>,
    page: &PageView<'_>,
    entries: &[LinkView<'_>],
    root: &str,
) -> tera::Context {
    let mut context = site_context(site);
    page_into(&mut context, page, entries, root);
    context
}

/// A context with only `site` in it, to put one page after another into.
fn site_context(site: &SiteView<'_>) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("site", site);
    context
}

/// Puts a page's `page`, `entries` and `root` into `context`, in place of the last's.
fn page_into(
    context: &mut tera::Context,
    page: &PageView<'_>,
    entries: &[LinkView<'_>],
    root: &str,
) {
    context.insert("page", page);
    context.insert("entries", entries);
    context.insert("root", root);
}

/// Fills a template; a failure is a diagnostic at the template's line.
fn render_template(
    theme: &Theme,
    template: &str,
    context: &tera::Context,
    rendering: &str,
) -> Result<String, Diagnostic> {
    theme.tera.render(template, context).map_err(|e| render_error(rendering, template, &e, theme))
}

/// What a diagnostic calls the page being rendered.
fn page_source(page: &Page) -> String {
    if page.source.as_os_str().is_empty() {
        page.url.clone()
    } else {
        page.source.display().to_string()
    }
}

/// The template a page renders with.
pub fn template_name<'c>(page: &Page, config: &'c Config) -> &'c str {
    let kind = page.kind.as_deref().and_then(|k| config.kind(k));
    match (page.role, kind) {
        (Role::Home, _) => "home.html",
        (Role::KindIndex, Some(kind)) => &kind.index_template,
        (Role::Entry, Some(kind)) => &kind.template,
        (Role::Section, _) => "section.html",
        (Role::SearchIndex, _) => "search.html",
        _ => "page.html",
    }
}

/// The declared fields the page has, in the kind's order, references resolved.
fn properties<'a>(i: usize, inputs: &Inputs<'a>, linker: &Linker<'a>) -> Vec<Property<'a>> {
    let page = &inputs.site.pages[i];
    let Some(kind) = page.kind.as_deref().and_then(|k| inputs.config.kind(k)) else {
        return Vec::new();
    };
    if page.role != Role::Entry {
        return Vec::new();
    }
    kind.fields
        .iter()
        .filter_map(|(name, field)| {
            let value = page.fields.get(name)?;
            let links = if field.ty == FieldType::Reference {
                let targets = inputs.links.pages[i].references.iter().find(|(f, _)| f == name);
                targets
                    .map(|(_, t)| t.iter().map(|&t| linker.link(t)).collect())
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            let terms = if field.facet && field.ty != FieldType::Reference {
                listing::value_links(inputs, &kind.name, name, value, linker.clean_urls)
            } else {
                Vec::new()
            };
            Some(Property { name, label: field.label_or(name), value, links, terms })
        })
        .collect()
}

/// The summary, or the first ~160 characters of the first paragraph, cut at a word.
fn description(page: &Page, body: &markdown::RenderedBody) -> String {
    if let Some(summary) = &page.summary {
        return summary.clone();
    }
    let text = body.first_paragraph.as_str();
    if text.chars().count() <= 160 {
        return text.to_string();
    }
    let cut: String = text.chars().take(160).collect();
    format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head))
}

fn graph_svg(i: usize, inputs: &Inputs<'_>, writer: &FromPage<'_>) -> Option<String> {
    let page = &inputs.site.pages[i];
    let graph = &inputs.links.graph;
    let is_graph_kind = page.kind.as_deref() == Some(inputs.config.graph_kind.as_str());
    let focus = match page.role {
        Role::Home => None,
        Role::KindIndex if is_graph_kind => None,
        Role::Entry if is_graph_kind => Some(graph.nodes.iter().position(|&n| n == i)?),
        _ => return None,
    };
    if graph.nodes.is_empty() {
        return None;
    }
    let nodes: Vec<GraphNode> = graph
        .nodes
        .iter()
        .map(|&n| {
            let target = &inputs.site.pages[n];
            GraphNode {
                id: target.slug.clone(),
                label: target.title.clone(),
                href: writer.href(n, None),
            }
        })
        .collect();
    // A neighbourhood shows the page's own links only: the links among its neighbours
    // are on their own pages, and would crowd the picture.
    let edges: Vec<GraphEdge> = graph
        .edges
        .iter()
        .filter(|&&(from, to)| focus.is_none_or(|f| from == f || to == f))
        .map(|&(from, to)| GraphEdge { from, to })
        .collect();
    let strings = &inputs.theme.strings;
    let text = |key: &str| strings.get(key).map_or("", String::as_str);
    let title = match focus {
        Some(_) => text("graph_neighbourhood").replace("{title}", &page.title),
        None => text("graph_whole").to_string(),
    };
    Some(render_svg(&nodes, &edges, &GraphOptions { title: &title, focus, css_prefix: "g" }))
}

/// Whether a page shows the graph: the home page, and the graph kind's index and entries.
pub fn shows_graph(page: &Page, config: &Config) -> bool {
    let is_graph_kind = page.kind.as_deref() == Some(config.graph_kind.as_str());
    match page.role {
        Role::Home => true,
        Role::KindIndex | Role::Entry => is_graph_kind,
        Role::Section | Role::Page | Role::SearchIndex => false,
    }
}

/// A Tera error while rendering, placed at the variable it names where we can find it.
fn render_error(source: &str, template: &str, error: &tera::Error, theme: &Theme) -> Diagnostic {
    let chain = error_chain(error);
    let template = last_quoted(&chain, '\'').unwrap_or(template);
    let detail = chain.lines().last().unwrap_or(&chain).to_string();
    let needle = last_quoted(&detail, '`');
    // The variable may sit in a template this one extends or includes: look there too.
    let found = needle.and_then(|needle| {
        let named = theme.texts.get_key_value(template).into_iter();
        named
            .chain(theme.texts.iter())
            .find_map(|(name, text)| Some((name, text, find_position(text, needle)?)))
    });
    let (template, text, (line, col)) = match found {
        Some((name, text, position)) => (name.as_str(), text.as_str(), position),
        None => (template, theme.texts.get(template).map_or("", String::as_str), (1, 1)),
    };
    let path = theme.sources.get(template).cloned().unwrap_or_else(|| PathBuf::from(template));
    Diagnostic::new(path, line, col, crate::diag::Message::TemplateError { detail })
        .with_hint(crate::diag::Hint::CheckTemplateData { page: source.to_string() })
        .with_source(text)
}

fn last_quoted(text: &str, quote: char) -> Option<&str> {
    let end = text.rfind(quote)?;
    let start = text[..end].rfind(quote)?;
    Some(&text[start + 1..end])
}

fn find_position(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .find_map(|(n, line)| line.find(needle).map(|i| (n + 1, line[..i].chars().count() + 1)))
}

/// `get_page(slug="coaching")` in templates: any page's title, href, kind and summary,
/// made when a template asks (most templates never do; a copy of every page's view
/// would cost memory in proportion to the site).
struct PageLookup {
    index: std::sync::Arc<crate::link::Index>,
    pages: Vec<std::sync::Arc<crate::load::Page>>,
    config: Config,
}

impl tera::Function for PageLookup {
    fn call(
        &self,
        args: &std::collections::HashMap<String, serde_json::Value>,
    ) -> tera::Result<serde_json::Value> {
        let slug =
            args.get("slug").and_then(|s| s.as_str()).ok_or("get_page needs slug=\"...\"")?;
        let Some(i) = self.index.find(slug) else {
            return Err(format!("get_page: no page \"{slug}\"").into());
        };
        let (pages, config) = (&self.pages[..], &self.config);
        let linker = Linker { pages, config, clean_urls: clean_urls(config), other_pages: "" };
        Ok(serde_json::to_value(linker.link(i)).unwrap_or_default())
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// Registers the template functions that need the site: `get_page`.
pub fn register_functions(theme: &mut Theme, site: &Site, links: &Links, config: &Config) {
    let lookup = PageLookup {
        index: std::sync::Arc::clone(&links.index),
        pages: site.pages.clone(),
        config: config.clone(),
    };
    theme.tera.register_function("get_page", lookup);
}
