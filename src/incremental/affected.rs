//! Which pages a change affects: compares the site and links of the last good build
//! with the new ones and marks every page whose rendered output could differ.
//!
//! Takes both builds' [`Site`] and [`Links`]; hands on one flag per new page. A page
//! renders again when it is new or its own file changed, when its links, backlinks or
//! reference fields changed, when a page it shows (a link target, a backlink's source,
//! an entry it lists, a graph node) looks different, or when its entry list or the graph
//! changed. Everything a page's template sees is covered; see `render::render_page`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::link::{Links, PageLinks};
use crate::load::{Page, Role, Site};
use crate::render::views::Linker;
use crate::render::{shows_graph, Lists};

/// One build's pipeline values, as far as deciding what to render needs them.
pub(crate) struct Build<'a> {
    pub(crate) site: &'a Site,
    pub(crate) links: &'a Links,
    pub(crate) lists: &'a Lists,
}

/// What a change does to the pages.
pub(crate) struct Affected {
    /// `true` for each page of the new build that must render again.
    pub(crate) render: Vec<bool>,
    /// The old build's pages that the new one does not have.
    pub(crate) gone: Vec<usize>,
    /// For each page of the new build, the same page in the old one.
    pub(crate) old_of: Vec<Option<usize>>,
}

/// Which pages of `new` must render again. A page that looks different, or any page
/// added or removed, renders the pages marked in `shows_any` (their template can show
/// any page, through `get_page`).
pub(crate) fn affected(
    old: &Build<'_>,
    new: &Build<'_>,
    config: &Config,
    shows_any: &[bool],
) -> Affected {
    let (old_of, new_of) = match_pages(old.site, new.site);
    let gone: Vec<usize> = (0..new_of.len()).filter(|&o| new_of[o].is_none()).collect();
    let render = pages_to_render(old, new, config, shows_any, (&old_of, &new_of));
    Affected { render, gone, old_of }
}

fn pages_to_render(
    old: &Build<'_>,
    new: &Build<'_>,
    config: &Config,
    shows_any: &[bool],
    (old_of, new_of): (&[Option<usize>], &[Option<usize>]),
) -> Vec<bool> {
    let n = new.site.pages.len();
    let changed: Vec<bool> = (0..n)
        .map(|i| old_of[i].is_none_or(|o| !same_page(&old.site.pages[o], &new.site.pages[i])))
        .collect();
    let looks_different: Vec<bool> = (0..n)
        .map(|i| {
            changed[i]
                && old_of[i]
                    .is_none_or(|o| !Linker::same_card(&old.site.pages[o], &new.site.pages[i]))
        })
        .collect();
    let pages_added_or_removed = old_of.iter().any(Option::is_none) || new_of.contains(&None);
    let mut render = changed;
    if pages_added_or_removed || looks_different.contains(&true) {
        for (render, shows) in render.iter_mut().zip(shows_any) {
            *render |= shows;
        }
    }
    for i in 0..n {
        let same = old_of[i].is_some_and(|o| {
            let (new, old) = (&new.links.pages[i], &old.links.pages[o]);
            Arc::ptr_eq(new, old) || same_links(new, old, new_of)
        });
        render[i] |= !same;
    }
    for (i, _) in looks_different.iter().enumerate().filter(|(_, d)| **d) {
        let links = &new.links.pages[i];
        for &t in links.outgoing.iter().chain(links.backlinks.iter().map(|b| &b.source)) {
            render[t] = true;
        }
    }
    mark_neighbours(new, &looks_different, &mut render);
    mark_lists(old, new, new_of, &looks_different, &mut render);
    if graph_changed(old, new, new_of, &looks_different) {
        for (i, page) in new.site.pages.iter().enumerate() {
            render[i] |= shows_graph(page, config);
        }
    }
    render
}

/// Whether a page's own values are the same: the same loaded file (shared), or equal.
fn same_page(old: &Arc<Page>, new: &Arc<Page>) -> bool {
    Arc::ptr_eq(old, new) || old == new
}

/// Pages of the two builds matched by url: (new → old, old → new).
fn match_pages(old: &Site, new: &Site) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let same_order = old.pages.len() == new.pages.len()
        && old.pages.iter().zip(&new.pages).all(|(a, b)| a.url == b.url);
    if same_order {
        let identity: Vec<Option<usize>> = (0..new.pages.len()).map(Some).collect();
        return (identity.clone(), identity);
    }
    let by_url: HashMap<&str, usize> =
        old.pages.iter().enumerate().map(|(i, p)| (p.url.as_str(), i)).collect();
    let old_of: Vec<Option<usize>> =
        new.pages.iter().map(|p| by_url.get(p.url.as_str()).copied()).collect();
    let mut new_of = vec![None; old.pages.len()];
    for (i, o) in old_of.iter().enumerate() {
        if let Some(o) = *o {
            new_of[o] = Some(i);
        }
    }
    (old_of, new_of)
}

/// Equal slices, elements compared by `same`.
fn eq_by<A, B>(a: &[A], b: &[B], same: impl Fn(&A, &B) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
}

/// Whether a page's link data is the same in both builds, its page numbers mapped.
fn same_links(new: &PageLinks, old: &PageLinks, new_of: &[Option<usize>]) -> bool {
    let same_page = |n: usize, o: usize| new_of[o] == Some(n);
    new.headings == old.headings
        && eq_by(&new.resolved, &old.resolved, |n, o| {
            same_page(n.target, o.target)
                && n.offset == o.offset
                && n.fragment == o.fragment
                && n.use_title == o.use_title
                && n.context == o.context
        })
        && eq_by(&new.outgoing, &old.outgoing, |&n, &o| same_page(n, o))
        && eq_by(&new.references, &old.references, |n, o| {
            n.0 == o.0 && eq_by(&n.1, &o.1, |&n, &o| same_page(n, o))
        })
        && eq_by(&new.backlinks, &old.backlinks, |n, o| {
            same_page(n.source, o.source) && n.context == o.context && n.field == o.field
        })
}

/// Marks the entries next to one that looks different in its kind: they link to it as
/// the previous or next. (A changed order of the entries renders everything.)
fn mark_neighbours(new: &Build<'_>, looks_different: &[bool], render: &mut [bool]) {
    for (i, page) in new.site.pages.iter().enumerate().filter(|&(i, _)| looks_different[i]) {
        let Some(kind) = page.kind.as_deref() else { continue };
        let entries = new.links.index.entries_of_kind(kind);
        let Some(n) = entries.iter().position(|&e| e == i) else { continue };
        let before = n.checked_sub(1).and_then(|m| entries.get(m));
        for &e in before.into_iter().chain(entries.get(n + 1)) {
            render[e] = true;
        }
    }
}

/// Marks the index pages whose entry list changed, or lists a page that looks different.
fn mark_lists(
    old: &Build<'_>,
    new: &Build<'_>,
    new_of: &[Option<usize>],
    looks_different: &[bool],
    render: &mut [bool],
) {
    let is_list = |p: &Page| {
        matches!(p.role, Role::Home | Role::KindIndex | Role::Section | Role::SearchIndex)
    };
    let (old_lists, new_lists) = (old.lists, new.lists);
    let old_by_url: HashMap<&str, &Page> =
        old.site.pages.iter().filter(|p| is_list(p)).map(|p| (p.url.as_str(), &**p)).collect();
    for (i, page) in new.site.pages.iter().enumerate().filter(|(_, p)| is_list(p)) {
        let entries = new_lists.entries_for(page, new.site, new.links);
        let before = old_by_url
            .get(page.url.as_str())
            .map(|p| old_lists.entries_for(p, old.site, old.links));
        let same =
            before.is_some_and(|before| eq_by(&entries, &before, |&n, &o| new_of[o] == Some(n)));
        render[i] |= !same || entries.iter().any(|&e| looks_different[e]);
    }
}

fn graph_changed(
    old: &Build<'_>,
    new: &Build<'_>,
    new_of: &[Option<usize>],
    looks_different: &[bool],
) -> bool {
    let (old, new) = (&old.links.graph, &new.links.graph);
    !eq_by(&new.nodes, &old.nodes, |&n, &o| new_of[o] == Some(n))
        || new.edges != old.edges
        || new.nodes.iter().any(|&n| looks_different[n])
}
