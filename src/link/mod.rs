//! The link stage: resolve every cross-link and reference field to a page, and compute
//! backlinks and the graph of the graph kind's pages (the building blocks).
//!
//! Takes the loaded [`Site`]; hands on [`Links`], indexed like `site.pages`: per page its
//! headings, its resolved body links (keyed by byte offset, for `markdown`), its
//! outgoing links, reference fields and backlinks; and the [`Graph`]. Every broken or
//! ambiguous link becomes a positioned diagnostic with a suggestion.

pub mod graph;
mod resolve;
pub mod scan;

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Site;
pub use resolve::Index;
pub use scan::Heading;

/// A body link that resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedLink {
    /// Byte offset of the link in the body (as in [`scan::RawLink::offset`]).
    pub offset: usize,
    /// Index of the target in `site.pages`.
    pub target: usize,
    pub fragment: Option<String>,
    /// A wiki link without a label shows the target's title.
    pub use_title: bool,
    /// The sentence around the link, shown with the backlink.
    pub context: String,
}

/// A page that links to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Backlink {
    pub source: usize,
    /// The sentence around the link in the source, when it came from the body.
    pub context: Option<String>,
    /// The reference field, when it came from front matter.
    pub field: Option<String>,
}

/// All link data of one page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageLinks {
    pub headings: Vec<Heading>,
    /// Sorted by offset.
    pub resolved: Vec<ResolvedLink>,
    /// Distinct targets, body links first, in order of appearance.
    pub outgoing: Vec<usize>,
    /// Reference fields: field name and target pages.
    pub references: Vec<(String, Vec<usize>)>,
    pub backlinks: Vec<Backlink>,
}

/// The graph kind's pages and the links among them.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Graph {
    /// Page indices, in the kind's order.
    pub nodes: Vec<usize>,
    /// Directed edges between positions in `nodes`, sorted, no duplicates.
    pub edges: Vec<(usize, usize)>,
}

/// Everything the link stage hands on.
#[derive(Debug, Default)]
pub struct Links {
    /// Per page; shared with the previous build where a page's links stayed the same.
    pub pages: Vec<Arc<PageLinks>>,
    pub graph: Graph,
    /// Shared with the `get_page` template function.
    pub index: Arc<Index>,
}

/// Resolves every link of the site. Problems go to `diagnostics`; broken links are left
/// out of the result so rendering can still go on and report its own problems.
pub fn link(site: &Site, config: &Config, diagnostics: &mut Diagnostics) -> Links {
    let scans: Vec<scan::Scan> = site.pages.par_iter().map(|p| scan::scan(p.body())).collect();
    let scans: Vec<&scan::Scan> = scans.iter().collect();
    link_scanned(site, config, &scans, diagnostics)
}

/// [`link`] with each page's [`scan::scan`] already done (`scans[i]` of `site.pages[i]`),
/// so a rebuild rescans only the pages whose text changed.
pub fn link_scanned(
    site: &Site,
    config: &Config,
    scans: &[&scan::Scan],
    diagnostics: &mut Diagnostics,
) -> Links {
    let index = Index::new(site, config);
    let resolver = resolve::Resolver { index: &index, pages: &site.pages, scans };
    let all: Vec<usize> = (0..site.pages.len()).collect();
    let mut pages = resolve_pages(&all, &resolver, diagnostics);
    add_backlinks(&mut pages);
    let pages: Vec<Arc<PageLinks>> = pages.into_iter().map(Arc::new).collect();
    let graph = build_graph(config, &pages, &index);
    Links { pages, graph, index: Arc::new(index) }
}

/// The last good build, for [`relink`].
pub struct Previous<'a> {
    pub site: &'a Site,
    pub links: &'a Links,
}

/// [`link_scanned`] after a change, reusing what it can of `previous`. When no page was
/// added, removed or renamed, every name still finds the same page: then only the pages
/// that changed, and the pages that link to them (whose link titles, sentences and
/// heading checks come from them), are resolved again, and only the backlinks of their
/// targets are gathered again. Every other page keeps its links as they were, which
/// for a site without problems before means no problems now.
pub fn relink(
    site: &Site,
    config: &Config,
    scans: &[&scan::Scan],
    previous: &Previous<'_>,
    diagnostics: &mut Diagnostics,
) -> Links {
    let Some(changed) = changed_pages(previous.site, site) else {
        return link_scanned(site, config, scans, diagnostics);
    };
    let old = &previous.links.pages;
    let index = previous.links.index.renamed_none(site, config, &changed);
    let mut again = changed.clone();
    for (c, _) in changed.iter().enumerate().filter(|(_, c)| **c) {
        for backlink in &old[c].backlinks {
            again[backlink.source] = true;
        }
    }
    let redo: Vec<usize> = (0..again.len()).filter(|&i| again[i]).collect();
    let resolver = resolve::Resolver { index: &index, pages: &site.pages, scans };
    let fresh = resolve_pages(&redo, &resolver, diagnostics);
    let mut pages: Vec<Arc<PageLinks>> = old.clone();
    let mut targets = BTreeSet::new();
    for (&i, links) in redo.iter().zip(fresh) {
        targets.extend(old[i].outgoing.iter().chain(&links.outgoing).copied());
        pages[i] = Arc::new(PageLinks { backlinks: old[i].backlinks.clone(), ..links });
    }
    for t in targets {
        // The backlinks from pages resolved again are replaced; the others stay.
        let mut backlinks: Vec<Backlink> =
            old[t].backlinks.iter().filter(|b| !again[b.source]).cloned().collect();
        for &s in redo.iter().filter(|&&s| pages[s].outgoing.contains(&t)) {
            if let Some(b) = backlink(s, &pages[s], t) {
                let at = backlinks.partition_point(|x| x.source < s);
                backlinks.insert(at, b);
            }
        }
        Arc::make_mut(&mut pages[t]).backlinks = backlinks;
    }
    let graph = build_graph(config, &pages, &index);
    Links { pages, graph, index: Arc::new(index) }
}

/// Which pages differ from the previous build's, if every page keeps its place and the
/// names it is found by; `None` when a page was added, removed or renamed.
fn changed_pages(old: &Site, new: &Site) -> Option<Vec<bool>> {
    if old.pages.len() != new.pages.len() {
        return None;
    }
    let mut changed = Vec::with_capacity(new.pages.len());
    for (a, b) in old.pages.iter().zip(&new.pages) {
        let same = Arc::ptr_eq(a, b);
        let same_names = || {
            a.url == b.url
                && a.slug == b.slug
                && a.key == b.key
                && a.source == b.source
                && a.kind == b.kind
                && a.role == b.role
        };
        if !same && !same_names() {
            return None;
        }
        changed.push(!same);
    }
    Some(changed)
}

/// Resolves the pages `which`, in parallel.
fn resolve_pages(
    which: &[usize],
    resolver: &resolve::Resolver<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<PageLinks> {
    let results: Vec<(PageLinks, Vec<Diagnostic>)> =
        which.par_iter().map(|&i| resolve::page(i, resolver)).collect();
    let mut pages = Vec::with_capacity(results.len());
    for (links, problems) in results {
        diagnostics.extend(problems);
        pages.push(links);
    }
    pages
}

fn add_backlinks(pages: &mut [PageLinks]) {
    let mut incoming: Vec<Vec<Backlink>> = vec![Vec::new(); pages.len()];
    for (source, links) in pages.iter().enumerate() {
        for &target in &links.outgoing {
            incoming[target].extend(backlink(source, links, target));
        }
    }
    for (links, backlinks) in pages.iter_mut().zip(incoming) {
        links.backlinks = backlinks;
    }
}

/// The backlink `source` (with `links`) gives `target`: the sentence of its first body
/// link there, else the first reference field naming it.
fn backlink(source: usize, links: &PageLinks, target: usize) -> Option<Backlink> {
    let field = links
        .references
        .iter()
        .find(|(_, targets)| targets.contains(&target))
        .map(|(field, _)| field.clone());
    if let Some(link) = links.resolved.iter().find(|l| l.target == target) {
        // Linked in the text too: keep the sentence, and say it is a reference.
        let context = Some(link.context.clone()).filter(|c| !c.is_empty());
        return Some(Backlink { source, context, field });
    }
    Some(Backlink { source, context: None, field: Some(field?) })
}

fn build_graph(config: &Config, pages: &[Arc<PageLinks>], index: &Index) -> Graph {
    let nodes = index.entries_of_kind(&config.graph_kind).to_vec();
    let position = |page: usize| nodes.iter().position(|&n| n == page);
    let mut edges = BTreeSet::new();
    for (from, &page) in nodes.iter().enumerate() {
        for &target in &pages[page].outgoing {
            if let Some(to) = position(target).filter(|&to| to != from) {
                edges.insert((from, to));
            }
        }
    }
    Graph { nodes, edges: edges.into_iter().collect() }
}
