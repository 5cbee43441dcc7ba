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
    pub pages: Vec<PageLinks>,
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
/// so a rebuild rescans only the pages whose text changed. Resolving is cheap.
pub fn link_scanned(
    site: &Site,
    config: &Config,
    scans: &[&scan::Scan],
    diagnostics: &mut Diagnostics,
) -> Links {
    let index = Index::new(site, config, scans);
    let results: Vec<(PageLinks, Vec<Diagnostic>)> = site
        .pages
        .par_iter()
        .zip(scans)
        .enumerate()
        .map(|(i, (page, scan))| resolve::page(i, page, scan, &index))
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for (links, problems) in results {
        diagnostics.extend(problems);
        pages.push(links);
    }
    add_backlinks(&mut pages);
    let graph = build_graph(config, &pages, &index);
    Links { pages, graph, index: Arc::new(index) }
}

fn add_backlinks(pages: &mut [PageLinks]) {
    let mut incoming: Vec<Vec<Backlink>> = vec![Vec::new(); pages.len()];
    for (source, links) in pages.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for link in &links.resolved {
            if link.target != source && seen.insert(link.target) {
                let context = Some(link.context.clone()).filter(|c| !c.is_empty());
                incoming[link.target].push(Backlink { source, context, field: None });
            }
        }
        for (field, targets) in &links.references {
            for &target in targets {
                if target != source && seen.insert(target) {
                    incoming[target].push(Backlink {
                        source,
                        context: None,
                        field: Some(field.clone()),
                    });
                }
            }
        }
    }
    for (links, backlinks) in pages.iter_mut().zip(incoming) {
        links.backlinks = backlinks;
    }
}

fn build_graph(config: &Config, pages: &[PageLinks], index: &Index) -> Graph {
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
