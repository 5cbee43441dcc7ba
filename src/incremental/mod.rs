//! Building, and building again after a change: the pipeline's values kept between
//! builds, so that an edit to one entry renders only the pages whose output depends on it.
//!
//! A [`Session`] holds what the stages handed on: the config, the compiled theme, every
//! loaded file of `content/`, each page's link scan, and the site, links and output plan
//! of the last good build. [`Session::update`] takes the paths that changed and runs the
//! same stage functions a build runs, reloading only the changed files and rescanning
//! only changed pages; it then renders only the pages [`affected`] names (all of them
//! after a change to `site.yaml` or a template) and hands on the output files that
//! changed. `build` is the first update of a new session, so build and serve run one
//! pipeline; tests check that a series of updates gives a fresh build's output, byte
//! for byte. A failed update changes nothing: the next one compares with the last good.

mod affected;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::{self, scan::Scan, Links};
use crate::load::{self, Entries, Page, Site, CONTENT_DIR};
use crate::markdown::Highlighter;
use crate::render::{self, theme::Theme};
use crate::write::{Content, OutputFile};
use crate::Timings;
use affected::{affected, Build};

/// What an update produced.
#[derive(Debug, Default)]
pub struct Update {
    /// Output files that are new or changed (after the first update: all of them).
    pub files: Vec<OutputFile>,
    /// Output paths the site no longer produces.
    pub removed: Vec<String>,
    /// Pages in the site, and how many of them were rendered.
    pub pages: usize,
    pub rendered: usize,
}

/// The pipeline's values between builds of one site.
pub struct Session {
    root: PathBuf,
    config: Option<Config>,
    theme: Option<Theme>,
    theme_problems: Vec<Diagnostic>,
    entries: Entries,
    /// Each page's scan, reused while the page is the same loaded file.
    scans: HashMap<PathBuf, (Arc<Page>, Scan)>,
    highlighter: Highlighter,
    stale: Stale,
    good: Option<Good>,
}

/// What to read again at the next update.
#[derive(Default)]
struct Stale {
    config: bool,
    theme: bool,
    /// Paths under `content/` (files or folders; `` for all of it).
    content: BTreeSet<String>,
    /// Since the last good build the config or a template changed: render every page.
    everything: bool,
}

/// The last good build.
struct Good {
    site: Site,
    links: Links,
    plan: Plan,
}

/// Every output path and where its bytes come from. Later sources replace earlier
/// ones: the theme's and the site's static files, content assets, then pages.
type Plan = BTreeMap<String, Source>;

#[derive(Debug, Clone, PartialEq)]
enum Source {
    File(Content),
    /// Index in `site.pages`.
    Page(usize),
}

impl Session {
    /// A session for the site at `root`; nothing is read until the first update.
    pub fn new(root: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            config: None,
            theme: None,
            theme_problems: Vec::new(),
            entries: Entries::new(),
            scans: HashMap::new(),
            highlighter: Highlighter::default(),
            stale: Stale {
                config: true,
                theme: true,
                content: BTreeSet::from([String::new()]),
                everything: true,
            },
            good: None,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Builds again after `changed` (paths of the site, absolute or relative to the
    /// root) changed on disk. On any problem the last good build stays as it was.
    pub fn update(
        &mut self,
        changed: &[PathBuf],
        timings: &mut Timings,
    ) -> Result<Update, Diagnostics> {
        for path in changed {
            self.mark(path);
        }
        self.reload_config(timings)?;
        let mut diagnostics = Diagnostics::new();
        let config = self.config.clone().ok_or_else(Diagnostics::new)?;
        self.reload_theme(&config, timings);
        self.reload_content(&config, timings);
        let site =
            timings.time("load", || load::site_from(&self.entries, &config, &mut diagnostics));
        let links = timings.time("link", || self.link(&site, &config, &mut diagnostics));
        diagnostics.extend(self.theme_problems.iter().cloned());
        let Some(theme) = self.theme.as_mut() else { return Err(diagnostics) };
        render::register_functions(theme, &site, &links, &config);
        let render_all = self.stale.everything || self.good.is_none();
        let to_render = match &self.good {
            Some(good) if !render_all => {
                let uses_get_page = theme.texts.values().any(|t| t.contains("get_page"));
                let old = Build { site: &good.site, links: &good.links };
                affected(&old, &Build { site: &site, links: &links }, &config, uses_get_page)
            }
            _ => vec![true; site.pages.len()],
        };
        let plan = plan(&site, theme);
        let old_plan = self.good.as_ref().map(|g| &g.plan);
        let needed = needed_pages(&plan, old_plan, &to_render);
        let inputs = render::Inputs { site: &site, links: &links, config: &config, theme };
        let pages = timings.time("render", || {
            render::render(&inputs, &needed, &self.highlighter, &mut diagnostics)
        });
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let update = timings.time("assemble", || changes(&plan, old_plan, pages, site.pages.len()));
        self.good = Some(Good { site, links, plan });
        self.stale.everything = false;
        Ok(update)
    }

    /// Notes what a changed path makes stale.
    fn mark(&mut self, path: &Path) {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        if rel == Path::new(config::FILE_NAME) {
            self.stale.config = true;
        } else if let Ok(under) = rel.strip_prefix(CONTENT_DIR) {
            self.stale.content.insert(under.to_string_lossy().replace('\\', "/"));
        } else {
            self.stale.theme = true;
        }
    }

    /// A changed `site.yaml` means reading everything again and rendering every page.
    fn reload_config(&mut self, timings: &mut Timings) -> Result<(), Diagnostics> {
        if !self.stale.config {
            return Ok(());
        }
        let config = timings.time("config", || config::load(&self.root))?;
        if self.config.as_ref().map(|c| &c.source_text) != Some(&config.source_text) {
            self.stale.content = BTreeSet::from([String::new()]);
            self.stale.theme = true;
            self.stale.everything = true;
        }
        self.config = Some(config);
        self.stale.config = false;
        Ok(())
    }

    /// Templates that changed mean rendering every page; static files alone do not.
    fn reload_theme(&mut self, config: &Config, timings: &mut Timings) {
        if !self.stale.theme {
            return;
        }
        let mut problems = Diagnostics::new();
        let theme =
            timings.time("templates", || render::theme::load(&self.root, config, &mut problems));
        let same_templates = match (&theme, &self.theme) {
            (Some(new), Some(old)) => new.texts == old.texts && new.sources == old.sources,
            _ => false,
        };
        self.stale.everything |= !same_templates;
        self.theme = theme;
        self.theme_problems = problems.into_iter().collect();
        self.stale.theme = false;
    }

    /// Reads the changed files and folders of `content/` again.
    fn reload_content(&mut self, config: &Config, timings: &mut Timings) {
        let stale = std::mem::take(&mut self.stale.content);
        timings.time("read", || {
            for prefix in &stale {
                remove_prefix(&mut self.entries, prefix);
                self.entries.extend(load::read_tree(&self.root, prefix, config));
            }
        });
    }

    /// The link stage, scanning only pages that are not the same loaded file as before.
    fn link(&mut self, site: &Site, config: &Config, diagnostics: &mut Diagnostics) -> Links {
        use rayon::prelude::*;
        let mut old = std::mem::take(&mut self.scans);
        let mut reused: Vec<Option<Scan>> = site
            .pages
            .iter()
            .map(|page| {
                let (cached, _) = old.get(&page.source)?;
                Arc::ptr_eq(cached, page).then(|| old.remove(&page.source).map(|(_, s)| s))?
            })
            .collect();
        reused.par_iter_mut().zip(&site.pages).for_each(|(scan, page)| {
            if scan.is_none() {
                *scan = Some(link::scan::scan(page.body()));
            }
        });
        let scans: Vec<Scan> = reused.into_iter().map(Option::unwrap_or_default).collect();
        let refs: Vec<&Scan> = scans.iter().collect();
        let links = link::link_scanned(site, config, &refs, diagnostics);
        for (page, scan) in site.pages.iter().zip(scans) {
            if !page.source.as_os_str().is_empty() {
                self.scans.insert(page.source.clone(), (Arc::clone(page), scan));
            }
        }
        links
    }
}

/// Removes the entries at `prefix` and under it (everything for ``).
fn remove_prefix(entries: &mut Entries, prefix: &str) {
    if prefix.is_empty() {
        entries.clear();
        return;
    }
    let folder = format!("{prefix}/");
    let doomed: Vec<String> = entries
        .range(prefix.to_string()..)
        .map(|(k, _)| k)
        .take_while(|k| k.starts_with(prefix))
        .filter(|k| k.as_str() == prefix || k.starts_with(&folder))
        .cloned()
        .collect();
    for key in doomed {
        entries.remove(&key);
    }
}

/// Where every output file comes from.
fn plan(site: &Site, theme: &Theme) -> Plan {
    let mut plan: Plan =
        theme.static_files.iter().map(|(p, c)| (p.clone(), Source::File(c.clone()))).collect();
    for asset in &site.assets {
        plan.insert(asset.output.clone(), Source::File(Content::Copy(asset.source.clone())));
    }
    for (i, page) in site.pages.iter().enumerate() {
        plan.insert(format!("{}index.html", page.url), Source::Page(i));
    }
    plan
}

/// The pages to render: those affected, and any whose path was not a page before.
fn needed_pages(plan: &Plan, old: Option<&Plan>, affected: &[bool]) -> Vec<usize> {
    let mut needed: BTreeSet<usize> =
        affected.iter().enumerate().filter(|(_, a)| **a).map(|(i, _)| i).collect();
    for (path, source) in plan {
        if let Source::Page(i) = source {
            if !matches!(old.and_then(|old| old.get(path)), Some(Source::Page(_))) {
                needed.insert(*i);
            }
        }
    }
    needed.into_iter().collect()
}

/// The output files that are new or changed, and the paths that are gone.
fn changes(
    plan: &Plan,
    old: Option<&Plan>,
    rendered: Vec<render::RenderedPage>,
    pages: usize,
) -> Update {
    let count = rendered.len();
    let mut html: Vec<Option<String>> = vec![None; pages];
    for page in rendered {
        html[page.index] = Some(page.html);
    }
    let mut files = Vec::new();
    for (path, source) in plan {
        let content = match source {
            Source::Page(i) => html[*i].take().map(String::into_bytes).map(Content::Bytes),
            Source::File(content) => {
                let same = old.and_then(|old| old.get(path)) == Some(source);
                (!same).then(|| content.clone())
            }
        };
        if let Some(content) = content {
            files.push(OutputFile { path: path.clone(), content });
        }
    }
    let removed = old
        .map(|old| old.keys().filter(|p| !plan.contains_key(*p)).cloned().collect())
        .unwrap_or_default();
    Update { files, removed, pages, rendered: count }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_a_file_or_a_folder_but_not_its_neighbours() {
        let mut entries = Entries::new();
        for key in ["a.md", "a/b.md", "a/c/d.md", "a-b.md", "ab.md", "b.md"] {
            let d = Diagnostic::file(key, "x");
            entries.insert(key.to_string(), load::Entry::Unreadable(d));
        }
        remove_prefix(&mut entries, "a");
        let left: Vec<&str> = entries.keys().map(String::as_str).collect();
        assert_eq!(left, ["a-b.md", "a.md", "ab.md", "b.md"]);
        remove_prefix(&mut entries, "a.md");
        assert_eq!(entries.len(), 3);
        remove_prefix(&mut entries, "");
        assert!(entries.is_empty());
    }
}
