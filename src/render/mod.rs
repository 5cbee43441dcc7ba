//! Rendering: each page's Markdown to HTML, then into its Tera template.
//!
//! Takes the loaded site, its links and the compiled theme; hands on one
//! [`RenderedPage`] per page (its output path, HTML and plain-text sections). Pages
//! render in parallel; a page's context holds only what that page shows (its own
//! links, and the entry list on index pages), so no page's work grows with the site.

pub mod builtin;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, FieldType};
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::graph::{render_svg, GraphEdge, GraphNode, GraphOptions};
use crate::link::{Index, Links};
use crate::load::{Page, Role, Site};
use crate::markdown::{self, Highlighter, LinkWriter, Section};
use theme::{error_chain, Theme};
use views::{role_name, root_prefix, LinkView, Linker, PageView, Property, SiteView};

/// One page, ready to write.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    /// Index in `site.pages`.
    pub index: usize,
    /// Site-relative output file, e.g. `inspiratie/x/index.html`.
    pub path: String,
    pub html: String,
    pub sections: Vec<Section>,
}

/// What rendering needs from the earlier stages.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub lists: &'a Lists,
    pub links: &'a Links,
    pub config: &'a Config,
    pub theme: &'a Theme,
}

/// Renders the pages `which` (indices in `site.pages`; a rebuild passes only the pages
/// whose inputs changed, a build all of them).
pub fn render(
    inputs: &Inputs<'_>,
    which: &[usize],
    highlighter: &Highlighter,
    diagnostics: &mut Diagnostics,
) -> Vec<RenderedPage> {
    let linker = Linker {
        pages: &inputs.site.pages,
        config: inputs.config,
        clean_urls: clean_urls(inputs.config),
    };
    let results: Vec<Result<RenderedPage, Diagnostic>> = which
        .par_iter()
        .map(|&i| render_page(i, inputs, &linker, inputs.lists, highlighter))
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut errors: BTreeMap<(PathBuf, usize, usize, String), (Diagnostic, usize)> =
        BTreeMap::new();
    for result in results {
        match result {
            Ok(page) => pages.push(page),
            Err(d) => {
                // One broken template fails every page that uses it: report it once.
                let key = (d.path.clone(), d.line, d.col, d.message.clone());
                errors.entry(key).or_insert((d, 0)).1 += 1;
            }
        }
    }
    for (mut d, count) in errors.into_values() {
        if count > 1 {
            d.message.push_str(&format!(" (on {count} pages)"));
        }
        diagnostics.push(d);
    }
    pages
}

/// Clean URLs only where they can work: on a site with a base URL.
pub fn clean_urls(config: &Config) -> bool {
    config.clean_urls && config.base_url.is_some()
}

/// How many dated entries the home page shows.
const RECENT: usize = 6;

/// The entry lists index pages show, computed once.
pub struct Lists {
    /// Dated entries, newest first, for the home page.
    recent: Vec<usize>,
    /// Section folder url → the pages directly in it.
    children: BTreeMap<String, Vec<usize>>,
}

impl Lists {
    /// One pass over the pages, without sorting them all: a rebuild of a large site
    /// makes this for every change.
    pub fn new(site: &Site) -> Lists {
        let pages = &site.pages;
        let newer = |a: usize, b: usize| {
            pages[b].date.cmp(&pages[a].date).then(pages[a].url.cmp(&pages[b].url))
        };
        let mut recent: Vec<usize> = Vec::with_capacity(RECENT + 1);
        let mut children: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, page) in pages.iter().enumerate() {
            let full = recent.len() == RECENT;
            if page.role == Role::Entry
                && page.date.is_some()
                && !(full && recent.last().is_some_and(|&last| newer(last, i).is_lt()))
            {
                let at = recent.partition_point(|&r| newer(r, i).is_lt());
                if at < RECENT {
                    recent.insert(at, i);
                    recent.truncate(RECENT);
                }
            }
            if matches!(page.role, Role::Page | Role::Entry) {
                let parent = page.url.trim_end_matches('/').rsplit_once('/').map_or("", |(p, _)| p);
                // The folder's url is the start of the page's: no new string per page.
                let folder = if parent.is_empty() { "/" } else { &page.url[..=parent.len()] };
                match children.get_mut(folder) {
                    Some(list) => list.push(i),
                    None => {
                        children.insert(folder.to_string(), vec![i]);
                    }
                }
            }
        }
        Lists { recent, children }
    }

    /// The entries an index page lists; none for other pages.
    pub fn entries_for(&self, page: &Page, links: &Links) -> Vec<usize> {
        match page.role {
            Role::KindIndex => page
                .kind
                .as_deref()
                .map(|k| links.index.entries_of_kind(k).to_vec())
                .unwrap_or_default(),
            Role::Home => self.recent.clone(),
            Role::Section => self.children.get(&page.url).cloned().unwrap_or_default(),
            Role::Entry | Role::Page => Vec::new(),
        }
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
}

fn render_page(
    i: usize,
    inputs: &Inputs<'_>,
    linker: &Linker<'_>,
    lists: &Lists,
    highlighter: &Highlighter,
) -> Result<RenderedPage, Diagnostic> {
    let page = &inputs.site.pages[i];
    let page_links = &inputs.links.pages[i];
    let root = root_prefix(&page.url);
    let writer = FromPage { root: &root, linker };
    let body = markdown::render(
        page.body(),
        &page_links.headings,
        &page_links.resolved,
        &writer,
        highlighter,
    );
    let kind = page.kind.as_deref().and_then(|k| inputs.config.kind(k));
    let view = PageView {
        title: &page.title,
        slug: &page.slug,
        key: &page.key,
        role: role_name(page.role),
        kind: page.kind.as_deref(),
        kind_singular: kind.map(|k| k.singular.as_str()),
        kind_plural: kind.map(|k| k.plural.as_str()),
        href: linker.href(page),
        source: page.source.to_string_lossy().replace('\\', "/"),
        date: page.date.as_deref(),
        summary: page.summary.as_deref(),
        description: description(page, &body.sections),
        tags: &page.tags,
        weight: page.weight,
        fields: &page.fields,
        properties: properties(i, inputs, linker),
        content: body.html,
        toc: &page_links.headings,
        outgoing: page_links.outgoing.iter().map(|&t| linker.link(t)).collect(),
        backlinks: linker.group_backlinks(&page_links.backlinks),
        graph: graph_svg(i, inputs, &writer),
    };
    let entries: Vec<LinkView<'_>> =
        lists.entries_for(page, inputs.links).into_iter().map(|e| linker.link(e)).collect();
    let site = SiteView::new(inputs.config, |url| views::href_for_url(url, linker.clean_urls));
    let mut context = tera::Context::new();
    context.insert("site", &site);
    context.insert("page", &view);
    context.insert("entries", &entries);
    context.insert("root", &root);
    let template = template_name(page, inputs.config);
    let html = inputs
        .theme
        .tera
        .render(template, &context)
        .map_err(|e| render_error(page, template, &e, inputs.theme))?;
    let path = format!("{}index.html", page.url);
    Ok(RenderedPage { index: i, path, html, sections: body.sections })
}

fn template_name<'c>(page: &Page, config: &'c Config) -> &'c str {
    let kind = page.kind.as_deref().and_then(|k| config.kind(k));
    match (page.role, kind) {
        (Role::Home, _) => "home.html",
        (Role::KindIndex, Some(kind)) => &kind.index_template,
        (Role::Entry, Some(kind)) => &kind.template,
        (Role::Section, _) => "section.html",
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
            Some(Property { name, label: field.label_or(name), value, links })
        })
        .collect()
}

/// The summary, or the first ~160 characters of the text, cut at a word.
fn description(page: &Page, sections: &[Section]) -> String {
    if let Some(summary) = &page.summary {
        return summary.clone();
    }
    let text = sections.iter().map(|s| s.text.as_str()).find(|t| !t.is_empty()).unwrap_or("");
    if text.chars().count() <= 160 {
        return text.to_string();
    }
    let cut: String = text.chars().take(160).collect();
    format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head))
}

fn graph_svg(i: usize, inputs: &Inputs<'_>, writer: &FromPage<'_>) -> Option<String> {
    let page = &inputs.site.pages[i];
    let graph = &inputs.links.graph;
    if !shows_graph(page, inputs.config) {
        return None;
    }
    let focus = match page.role {
        Role::Entry => Some(graph.nodes.iter().position(|&n| n == i)?),
        _ => None,
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
    let title = match focus {
        Some(_) => format!("{} en de bouwstenen waarmee het samenhangt", page.title),
        None => "Hoe de bouwstenen met elkaar samenhangen".to_string(),
    };
    Some(render_svg(&nodes, &edges, &GraphOptions { title: &title, focus, css_prefix: "g" }))
}

/// Whether a page shows the graph: the home page, and the graph kind's index and entries.
pub fn shows_graph(page: &Page, config: &Config) -> bool {
    let is_graph_kind = page.kind.as_deref() == Some(config.graph_kind.as_str());
    match page.role {
        Role::Home => true,
        Role::KindIndex | Role::Entry => is_graph_kind,
        Role::Section | Role::Page => false,
    }
}

/// A Tera error while rendering, placed at the variable it names where we can find it.
fn render_error(page: &Page, template: &str, error: &tera::Error, theme: &Theme) -> Diagnostic {
    let chain = error_chain(error);
    let template = last_quoted(&chain, '\'').unwrap_or(template);
    let path = theme.sources.get(template).cloned().unwrap_or_else(|| PathBuf::from(template));
    let detail = chain.lines().last().unwrap_or(&chain).to_string();
    let text = theme.texts.get(template).map_or("", String::as_str);
    let (line, col) =
        last_quoted(&detail, '`').and_then(|needle| find_position(text, needle)).unwrap_or((1, 1));
    let source = if page.source.as_os_str().is_empty() {
        page.url.clone()
    } else {
        page.source.display().to_string()
    };
    Diagnostic::new(path, line, col, format!("template error: {detail}"))
        .with_hint(format!(
            "rendering {source}; check the names the template uses against the page's data"
        ))
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

/// `get_page(slug="coaching")` in templates: any page's title, href, kind and summary.
/// It holds the pages and the link index by `Arc`, and makes the view on call, so
/// registering it costs nothing per page.
struct PageLookup {
    pages: Vec<Arc<Page>>,
    index: Arc<Index>,
    config: Config,
}

impl tera::Function for PageLookup {
    fn call(
        &self,
        args: &std::collections::HashMap<String, serde_json::Value>,
    ) -> tera::Result<serde_json::Value> {
        let slug =
            args.get("slug").and_then(|s| s.as_str()).ok_or("get_page needs slug=\"...\"")?;
        let found = if slug.is_empty() {
            self.pages.iter().position(|p| p.role == Role::Home)
        } else {
            self.index.find(slug)
        };
        let page = found.ok_or_else(|| format!("get_page: no page \"{slug}\""))?;
        let linker = Linker {
            pages: &self.pages,
            config: &self.config,
            clean_urls: clean_urls(&self.config),
        };
        serde_json::to_value(linker.link(page)).map_err(|e| e.to_string().into())
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// Registers the template functions that need the site: `get_page`.
pub fn register_functions(theme: &mut Theme, site: &Site, links: &Links, config: &Config) {
    let lookup = PageLookup {
        pages: site.pages.clone(),
        index: Arc::clone(&links.index),
        config: config.clone(),
    };
    theme.tera.register_function("get_page", lookup);
}
