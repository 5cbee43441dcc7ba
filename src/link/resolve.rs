//! Resolving link targets against an index of the site's pages.
//!
//! [`Index`] answers "which page is `coaching`?" by slug, by qualified key
//! (`bouwstenen/coaching`) and by source path (`bouwstenen/coaching.md`), and knows each
//! kind's entries in the kind's order. [`page`] resolves one page's links with it.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::scan::{fill_titles, Heading, LinkForm, RawLink, Scan};
use super::{PageLinks, ResolvedLink};
use crate::config::Config;
use crate::diag::{Diagnostic, Hint, LineIndex, Message, MAX_PER_FILE};
use crate::load::{Page, Reference, Role, Site, CONTENT_DIR};
use crate::slug::{fold, suggestion};

/// Look-ups over all pages of a site.
#[derive(Debug, Default)]
pub struct Index {
    names: Arc<Names>,
    kinds: HashMap<String, Vec<usize>>,
}

/// What a page can be named by. Shared between builds while no page is added, removed
/// or renamed: then every name finds the same page.
#[derive(Debug, Default)]
struct Names {
    by_slug: HashMap<String, Vec<usize>>,
    by_key: HashMap<String, usize>,
    by_source: HashMap<String, usize>,
    kind_of: Vec<Option<String>>,
}

impl Index {
    pub fn new(site: &Site, config: &Config) -> Index {
        let mut names = Names::default();
        for (i, page) in site.pages.iter().enumerate() {
            if page.role != Role::Home {
                names.by_slug.entry(page.slug.clone()).or_default().push(i);
                names.by_key.insert(page.key.clone(), i);
            }
            if let Ok(rel) = page.source.strip_prefix(CONTENT_DIR) {
                names.by_source.insert(rel.to_string_lossy().replace('\\', "/"), i);
            }
            names.kind_of.push(page.kind.clone());
        }
        Index { names: Arc::new(names), kinds: kinds(site, config) }
    }

    /// The index of `site`, whose pages have the same names, at the same places, as the
    /// pages this index was made for; `changed` marks the pages whose values may differ.
    /// The names are shared; a kind's order is mended where its changed entries go.
    pub fn renamed_none(&self, site: &Site, config: &Config, changed: &[bool]) -> Index {
        let mut kinds = self.kinds.clone();
        for kind in config.kinds() {
            let Some(entries) = kinds.get_mut(&kind.name) else { continue };
            let moved: Vec<usize> = entries.iter().copied().filter(|&e| changed[e]).collect();
            if !moved.is_empty() {
                entries.retain(|&e| !changed[e]);
                reorder_entries(entries, &moved, &site.pages, kind.sort_by.as_deref());
            }
        }
        Index { names: Arc::clone(&self.names), kinds }
    }

    /// The entries of a kind, in the kind's order.
    pub fn entries_of_kind(&self, kind: &str) -> &[usize] {
        self.kinds.get(kind).map_or(&[], Vec::as_slice)
    }

    fn by_slug(&self) -> &HashMap<String, Vec<usize>> {
        &self.names.by_slug
    }

    fn by_key(&self) -> &HashMap<String, usize> {
        &self.names.by_key
    }

    /// The page a slug or qualified key names, if exactly one does.
    pub fn find(&self, name: &str) -> Option<usize> {
        if let Some(&i) = self.by_key().get(name) {
            return Some(i);
        }
        match self.by_slug().get(name).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    /// Resolves a wiki-link target (`slug` or `folder/slug`).
    fn wiki(&self, target: &str) -> Result<usize, Box<Message>> {
        if let Some(i) = self.find(target) {
            return Ok(i);
        }
        match self.by_slug().get(target) {
            Some(many) if many.len() > 1 => {
                Err(Box::new(Message::AmbiguousSlug { target: target.to_string() }))
            }
            _ => {
                let names = self.by_slug().keys().chain(self.by_key().keys()).map(String::as_str);
                let suggestion = suggestion(target, names);
                Err(Box::new(Message::NoPage { target: target.to_string(), suggestion }))
            }
        }
    }
}

/// Each kind's entries, in the kind's order.
fn kinds(site: &Site, config: &Config) -> HashMap<String, Vec<usize>> {
    let mut kinds: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, page) in site.pages.iter().enumerate() {
        if let (Role::Entry, Some(kind)) = (page.role, &page.kind) {
            kinds.entry(kind.clone()).or_default().push(i);
        }
    }
    for kind in config.kinds() {
        if let Some(entries) = kinds.get_mut(&kind.name) {
            sort_entries(entries, &site.pages, kind.sort_by.as_deref());
        }
    }
    kinds
}

/// Orders a kind's entries by `sort_by` (a field, `-field` descending), then weight,
/// then title.
fn sort_entries(entries: &mut [usize], pages: &[Arc<Page>], sort_by: Option<&str>) {
    let order = EntryOrder::new(sort_by);
    // Keys are made once per entry, not once per comparison.
    let keys: HashMap<usize, SortKey> =
        entries.iter().map(|&e| (e, order.key(&pages[e]))).collect();
    entries.sort_by(|a, b| order.compare((&pages[*a], &keys[a]), (&pages[*b], &keys[b])));
}

/// Puts the `moved` entries (whose values changed) into their places in `entries`,
/// which is in order without them: the same order [`sort_entries`] gives.
fn reorder_entries(
    entries: &mut Vec<usize>,
    moved: &[usize],
    pages: &[Arc<Page>],
    sort_by: Option<&str>,
) {
    let order = EntryOrder::new(sort_by);
    for &m in moved {
        let key = order.key(&pages[m]);
        let at = entries.partition_point(|&e| {
            order.compare((&pages[e], &order.key(&pages[e])), (&pages[m], &key)).is_lt()
        });
        entries.insert(at, m);
    }
}

/// How a kind orders its entries.
struct EntryOrder<'a> {
    field: &'a str,
    descending: bool,
}

struct SortKey {
    value: Option<SortValue>,
    title: String,
}

impl<'a> EntryOrder<'a> {
    fn new(sort_by: Option<&'a str>) -> Self {
        match sort_by {
            Some(f) => EntryOrder {
                field: f.strip_prefix('-').unwrap_or(f),
                descending: f.starts_with('-'),
            },
            None => EntryOrder { field: "weight", descending: false },
        }
    }

    fn key(&self, page: &Page) -> SortKey {
        let value = match self.field {
            "weight" => page.weight.map(Value::from),
            "date" => page.date.clone().map(Value::String),
            "title" => Some(Value::String(fold(&page.title))),
            other => page.fields.get(other).cloned(),
        };
        SortKey { value: value.map(SortValue::of), title: fold(&page.title) }
    }

    /// Entries with the field first, by its value; then by title, then by url.
    fn compare(&self, (pa, ka): (&Page, &SortKey), (pb, kb): (&Page, &SortKey)) -> Ordering {
        let by_field = match (&ka.value, &kb.value) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => return Ordering::Less,
            (None, Some(_)) => return Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        let by_field = if self.descending { by_field.reverse() } else { by_field };
        by_field.then_with(|| ka.title.cmp(&kb.title)).then_with(|| pa.url.cmp(&pb.url))
    }
}

/// A field value to sort by: numbers by number, anything else by its JSON text.
struct SortValue {
    number: Option<f64>,
    text: String,
}

impl SortValue {
    fn of(value: Value) -> SortValue {
        SortValue { number: value.as_f64(), text: value.to_string() }
    }

    fn cmp(&self, other: &SortValue) -> Ordering {
        match (self.number, other.number) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => self.text.cmp(&other.text),
        }
    }
}

/// What resolving a page looks at: the index, and every page with its scan (for the
/// titles and heading ids of link targets).
pub(super) struct Resolver<'a> {
    pub(super) index: &'a Index,
    pub(super) pages: &'a [Arc<Page>],
    pub(super) scans: &'a [&'a Scan],
}

/// Resolves the links and reference fields of page `i`.
pub(super) fn page(i: usize, resolver: &Resolver<'_>) -> (PageLinks, Vec<Diagnostic>) {
    let (page, scan, index) = (&*resolver.pages[i], resolver.scans[i], resolver.index);
    let mut problems = Vec::new();
    let mut lines: Option<LineIndex> = None;
    let position = |lines: &mut Option<LineIndex>, offset: usize| {
        let lines = lines.get_or_insert_with(|| LineIndex::new(&page.text));
        lines.position(&page.text, page.body_start + offset)
    };
    let mut resolved = Vec::new();
    let mut unlisted = 0;
    let raw_targets: Vec<(usize, String)> =
        scan.links.iter().map(|l| (l.offset, l.target.clone())).collect();
    for link in &scan.links {
        match resolve_link(i, page, link, resolver) {
            Ok(r) => resolved.push(r),
            Err(_) if problems.len() >= MAX_PER_FILE => unlisted += 1,
            Err((message, hint)) => {
                let (line, col) = position(&mut lines, link.offset);
                let lines = lines.get_or_insert_with(|| LineIndex::new(&page.text));
                problems.push(
                    Diagnostic::new(&page.source, line, col, *message)
                        .with_hint(hint)
                        .with_source_indexed(&page.text, lines),
                );
            }
        }
    }
    if unlisted > 0 {
        problems.push(
            Diagnostic::file(&page.source, Message::MoreBrokenLinks { count: unlisted })
                .with_hint(Hint::FixListedLinks),
        );
    }
    let titles: HashMap<usize, usize> =
        resolved.iter().map(|r: &ResolvedLink| (r.offset, r.target)).collect();
    for link in &mut resolved {
        link.context = fill_titles(&link.context, |k| {
            let raw = &raw_targets[k];
            titles.get(&raw.0).map_or_else(|| raw.1.clone(), |&t| resolver.pages[t].title.clone())
        });
    }
    let references = resolve_references(page, index, &mut problems);
    let mut outgoing: Vec<usize> = Vec::new();
    let targets = resolved
        .iter()
        .map(|r| r.target)
        .chain(references.iter().flat_map(|(_, t)| t.iter().copied()));
    for target in targets {
        if target != i && !outgoing.contains(&target) {
            outgoing.push(target);
        }
    }
    let links = PageLinks {
        headings: scan.headings.clone(),
        resolved,
        outgoing,
        references,
        backlinks: Vec::new(),
    };
    (links, problems)
}

/// A broken link: what is wrong (boxed, to keep the `Result` small) and what to do.
type Problem = (Box<Message>, Hint);

fn resolve_link(
    i: usize,
    page: &Page,
    link: &RawLink,
    resolver: &Resolver<'_>,
) -> Result<ResolvedLink, Problem> {
    let index = resolver.index;
    let target = match link.form {
        LinkForm::Wiki { .. } if link.target.is_empty() => i,
        LinkForm::Wiki { .. } => index.wiki(&link.target).map_err(|message| {
            let hint = if matches!(*message, Message::AmbiguousSlug { .. }) {
                ambiguity_hint(&link.target, index)
            } else {
                Hint::CheckWikiSpelling
            };
            (message, hint)
        })?,
        LinkForm::Markdown => markdown_target(page, &link.target, index)?,
    };
    if let Some(fragment) = &link.fragment {
        check_fragment(&resolver.scans[target].headings, fragment, &link.target)?;
    }
    Ok(ResolvedLink {
        offset: link.offset,
        target,
        fragment: link.fragment.clone(),
        use_title: link.form == LinkForm::Wiki { has_label: false },
        context: link.context.clone(),
    })
}

fn ambiguity_hint(slug: &str, index: &Index) -> Hint {
    let mut keys: Vec<&str> = index
        .by_key()
        .iter()
        .filter(|(key, _)| key.rsplit('/').next() == Some(slug))
        .map(|(k, _)| k.as_str())
        .collect();
    keys.sort_unstable();
    Hint::SayWhichOne { options: keys.iter().map(|k| format!("[[{k}]]")).collect() }
}

/// A `.md` path relative to the page's folder, or to `content/` when it starts with `/`.
fn markdown_target(page: &Page, target: &str, index: &Index) -> Result<usize, Problem> {
    let base = page
        .source
        .strip_prefix(CONTENT_DIR)
        .ok()
        .and_then(|p| p.parent())
        .map(|p| p.to_string_lossy().replace('\\', "/"));
    let joined = match target.strip_prefix('/') {
        Some(from_root) => from_root.to_string(),
        None => match base.as_deref() {
            Some("") | None => target.to_string(),
            Some(base) => format!("{base}/{target}"),
        },
    };
    let normalised = normalise(&joined);
    normalised.as_deref().and_then(|p| index.names.by_source.get(p).copied()).ok_or_else(|| {
        let names = index.names.by_source.keys().map(String::as_str);
        let wanted = normalised.as_deref().unwrap_or(target);
        let suggestion = suggestion(wanted, names);
        (
            Box::new(Message::NoPage { target: target.to_string(), suggestion }),
            Hint::MarkdownLinkPath,
        )
    })
}

/// Resolves `.` and `..` in a slash path; `None` if it climbs out of `content/`.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn check_fragment(headings: &[Heading], fragment: &str, written: &str) -> Result<(), Problem> {
    let ids: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
    if ids.contains(&fragment) {
        return Ok(());
    }
    let page = (!written.is_empty()).then(|| written.to_string());
    let hint = if ids.is_empty() {
        Hint::NoHeadingsThere
    } else {
        Hint::HeadingsThere { ids: ids.iter().map(|id| id.to_string()).collect() }
    };
    let suggestion = suggestion(fragment, ids.iter().copied());
    Err((Box::new(Message::NoHeading { fragment: fragment.to_string(), page, suggestion }), hint))
}

fn resolve_references(
    page: &Page,
    index: &Index,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<usize>)> {
    let mut fields: Vec<(String, Vec<usize>)> = Vec::new();
    let lines = std::cell::OnceCell::new();
    for reference in &page.references {
        let Some(target) = resolve_reference(page, reference, index, &lines, problems) else {
            continue;
        };
        match fields.iter_mut().find(|(f, _)| *f == reference.field) {
            Some((_, targets)) => targets.push(target),
            None => fields.push((reference.field.clone(), vec![target])),
        }
    }
    fields
}

fn resolve_reference(
    page: &Page,
    reference: &Reference,
    index: &Index,
    lines: &std::cell::OnceCell<LineIndex>,
    problems: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let candidates = index.entries_of_kind(&reference.kind);
    let found = index.find(&reference.target).filter(|i| candidates.contains(i)).or_else(|| {
        index
            .by_slug()
            .get(&reference.target)?
            .iter()
            .copied()
            .find(|i| index.names.kind_of[*i].as_deref() == Some(&reference.kind))
    });
    if found.is_none() {
        let kind = reference.kind.replace('_', " ");
        let slugs: Vec<&str> = index
            .by_slug()
            .iter()
            .filter(|(_, pages)| pages.iter().any(|i| candidates.contains(i)))
            .map(|(slug, _)| slug.as_str())
            .collect();
        let mut sorted = slugs.clone();
        sorted.sort_unstable();
        let hint = if sorted.is_empty() {
            Hint::NoPagesOfKind { kind: reference.kind.clone() }
        } else {
            Hint::ReferenceSlugs {
                field: reference.field.clone(),
                kind: kind.clone(),
                slugs: sorted.iter().map(|s| s.to_string()).collect(),
            }
        };
        problems.push(
            Diagnostic::new(
                &page.source,
                reference.line,
                reference.col,
                Message::UnknownReference {
                    suggestion: suggestion(&reference.target, slugs),
                    kind,
                    field: reference.field.clone(),
                    target: reference.target.clone(),
                },
            )
            .with_hint(hint)
            .with_source_indexed(&page.text, lines.get_or_init(|| LineIndex::new(&page.text))),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn normalises_paths() {
        assert_eq!(
            normalise("inspiratie/../methodieken/./a.md").as_deref(),
            Some("methodieken/a.md")
        );
        assert_eq!(normalise("../a.md"), None);
    }
}
