//! Building, and building again after a change: the pipeline's values kept between
//! builds, so that an edit to one entry renders only the pages whose output depends on it.
//!
//! A [`Session`] holds what the stages handed on: the config, the compiled theme, every
//! loaded file of `content/`, each page's link scan, and the site, links, entry lists
//! and non-page output files of the last good build. [`Session::update`] takes the paths that changed and runs the
//! same stage functions a build runs, reloading only the changed files and rescanning
//! only changed pages; it then renders only the pages `affected` names (all of them
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
use affected::{affected, Affected, Build};

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
    /// Each page's scan at the last update, reused while the page is the same loaded file.
    scans: Vec<(Arc<Page>, Arc<Scan>)>,
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
    /// Every changed path since the last good build: a file copied into the output
    /// (a static file, an image) is a changed output file even where its place is not.
    touched: BTreeSet<PathBuf>,
}

/// The last good build.
struct Good {
    site: Site,
    links: Links,
    lists: render::Lists,
    files: SiteFiles,
}

/// Output files that are not pages, by output path.
type SiteFiles = BTreeMap<String, Content>;

impl Session {
    /// A session for the site at `root`; nothing is read until the first update.
    pub fn new(root: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            config: None,
            theme: None,
            theme_problems: Vec::new(),
            entries: Entries::new(),
            scans: Vec::new(),
            highlighter: Highlighter::default(),
            stale: Stale {
                config: true,
                theme: true,
                content: BTreeSet::from([String::new()]),
                everything: true,
                touched: BTreeSet::new(),
            },
            good: None,
        }
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
        let config = self.reload_config(timings)?;
        self.reload_theme(&config, timings);
        self.reload_content(&config, timings);
        let mut diagnostics = Diagnostics::new();
        let site =
            timings.time("load", || load::site_from(&self.entries, &config, &mut diagnostics));
        let links = timings.time("link", || self.link(&site, &config, &mut diagnostics));
        diagnostics.extend(self.theme_problems.iter().cloned());
        let Some(theme) = self.theme.as_mut() else { return Err(diagnostics) };
        render::register_functions(theme, &site, &links, &config);
        let lists = render::Lists::new(&site);
        let files = site_files(&site, theme);
        let new = Build { site: &site, links: &links, lists: &lists };
        let any_page_shows = theme.texts.values().any(|t| t.contains("get_page"));
        let affected = pages_affected(
            self.good.as_ref(),
            &new,
            &config,
            any_page_shows,
            self.stale.everything,
        );
        let which: Vec<usize> = (0..site.pages.len()).filter(|&i| affected.render[i]).collect();
        let inputs =
            render::Inputs { site: &site, lists: &lists, links: &links, config: &config, theme };
        let pages = timings.time("render", || {
            render::render(&inputs, &which, &self.highlighter, &mut diagnostics)
        });
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let old = self.good.as_ref().map(|g| (&g.site, &g.files));
        let touched = &self.stale.touched;
        let update = timings
            .time("assemble", || changes(&site, &files, old, &affected.gone, pages, touched));
        self.good = Some(Good { site, links, lists, files });
        self.stale.everything = false;
        self.stale.touched.clear();
        Ok(update)
    }

    /// Notes what a changed path makes stale.
    fn mark(&mut self, path: &Path) {
        self.stale.touched.insert(self.root.join(path));
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
    fn reload_config(&mut self, timings: &mut Timings) -> Result<Config, Diagnostics> {
        match &self.config {
            Some(config) if !self.stale.config => return Ok(config.clone()),
            _ => {}
        }
        let config = timings.time("config", || config::load(&self.root))?;
        if self.config.as_ref().map(|c| &c.source_text) != Some(&config.source_text) {
            self.stale.content = BTreeSet::from([String::new()]);
            self.stale.theme = true;
            self.stale.everything = true;
        }
        self.config = Some(config.clone());
        self.stale.config = false;
        Ok(config)
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

    /// The link stage, scanning only pages that are not the same loaded file as before,
    /// and resolving again only what [`link::relink`] must.
    fn link(&mut self, site: &Site, config: &Config, diagnostics: &mut Diagnostics) -> Links {
        use rayon::prelude::*;
        let scans: Vec<Arc<Scan>> = {
            let cached = Scans::new(&self.scans);
            let reused: Vec<Option<Arc<Scan>>> =
                site.pages.iter().enumerate().map(|(i, p)| cached.get(i, p)).collect();
            reused
                .into_par_iter()
                .zip(&site.pages)
                .map(|(scan, page)| scan.unwrap_or_else(|| Arc::new(link::scan::scan(page.body()))))
                .collect()
        };
        let refs: Vec<&Scan> = scans.iter().map(|s| &**s).collect();
        let links = match &self.good {
            Some(good) => {
                let previous = link::Previous { site: &good.site, links: &good.links };
                link::relink(site, config, &refs, &previous, diagnostics)
            }
            None => link::link_scanned(site, config, &refs, diagnostics),
        };
        self.scans = site.pages.iter().cloned().zip(scans).collect();
        links
    }
}

/// The scans of the previous update, found for a page by its place, or by its source
/// when pages moved.
struct Scans<'a> {
    by_place: &'a [(Arc<Page>, Arc<Scan>)],
    by_source: std::sync::OnceLock<HashMap<&'a Path, usize>>,
}

impl<'a> Scans<'a> {
    fn new(by_place: &'a [(Arc<Page>, Arc<Scan>)]) -> Scans<'a> {
        Scans { by_place, by_source: std::sync::OnceLock::new() }
    }

    /// The scan of `page` (at `i`), if it is the same loaded page as before.
    fn get(&self, i: usize, page: &Arc<Page>) -> Option<Arc<Scan>> {
        let same = |j: usize| {
            let (cached, scan) = self.by_place.get(j)?;
            Arc::ptr_eq(cached, page).then(|| Arc::clone(scan))
        };
        if let Some((cached, _)) = self.by_place.get(i).filter(|(c, _)| c.source == page.source) {
            return Arc::ptr_eq(cached, page).then(|| Arc::clone(&self.by_place[i].1));
        }
        same(i).or_else(|| {
            let by_source = self.by_source.get_or_init(|| {
                self.by_place
                    .iter()
                    .enumerate()
                    .map(|(j, (p, _))| (p.source.as_path(), j))
                    .collect()
            });
            same(*by_source.get(page.source.as_path())?)
        })
    }
}

/// The pages to render: all of them for a first build or after the config or a
/// template changed, else those a comparison with the last good build names.
fn pages_affected(
    good: Option<&Good>,
    new: &Build<'_>,
    config: &Config,
    any_page_shows: bool,
    everything: bool,
) -> Affected {
    let Some(good) = good else {
        return Affected { render: vec![true; new.site.pages.len()], gone: Vec::new() };
    };
    let old = Build { site: &good.site, links: &good.links, lists: &good.lists };
    let mut affected = affected(&old, new, config, any_page_shows);
    if everything {
        affected.render.fill(true);
    }
    affected
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

/// The output files that are not pages: the theme's and the site's static files, then
/// the content folder's other files. A page at the same path replaces them.
fn site_files(site: &Site, theme: &Theme) -> SiteFiles {
    let mut files = theme.static_files.clone();
    for asset in &site.assets {
        files.insert(asset.output.clone(), Content::Copy(asset.source.clone()));
    }
    files
}

/// Whether a page of `site` is written at `path`. Pages are sorted by url.
fn is_page_path(site: &Site, path: &str) -> bool {
    path.strip_suffix("index.html")
        .is_some_and(|url| site.pages.binary_search_by(|p| p.url.as_str().cmp(url)).is_ok())
}

/// The output files that are new or changed, and the paths that are gone: the rendered
/// pages, the other files that differ from `old`'s or whose source was `touched`, and
/// the pages and files of `old` that the site no longer has (`gone`: its pages without
/// a page now).
fn changes(
    site: &Site,
    files: &SiteFiles,
    old: Option<(&Site, &SiteFiles)>,
    gone: &[usize],
    rendered: Vec<render::RenderedPage>,
    touched: &BTreeSet<PathBuf>,
) -> Update {
    let count = rendered.len();
    let mut out: Vec<OutputFile> = rendered
        .into_iter()
        .map(|page| OutputFile { path: page.path, content: Content::Bytes(page.html.into_bytes()) })
        .collect();
    let before = |path: &str| match old {
        Some((site, files)) if !is_page_path(site, path) => files.get(path),
        _ => None,
    };
    let copied_from_touched =
        |content: &Content| matches!(content, Content::Copy(source) if touched.contains(source));
    for (path, content) in files {
        let changed = before(path) != Some(content) || copied_from_touched(content);
        if changed && !is_page_path(site, path) {
            out.push(OutputFile { path: path.clone(), content: content.clone() });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    let mut removed = Vec::new();
    if let Some((old_site, old_files)) = old {
        for &o in gone {
            let path = format!("{}index.html", old_site.pages[o].url);
            if !files.contains_key(&path) {
                removed.push(path);
            }
        }
        for path in old_files.keys() {
            let still = files.contains_key(path) || is_page_path(site, path);
            if !still && !is_page_path(old_site, path) {
                removed.push(path.clone());
            }
        }
    }
    removed.sort();
    Update { files: out, removed, pages: site.pages.len(), rendered: count }
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
