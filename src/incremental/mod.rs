//! Building, and building again after a change: the pipeline's values kept between
//! builds, so that an edit to one entry renders only the pages whose output depends on it.
//!
//! A [`Session`] holds what the stages handed on: the config, the compiled theme, every
//! loaded file of `content/`, each page's link scan, and the site, links, entry lists,
//! rendered pages and non-page output files of the last good build. [`Session::update`]
//! takes the paths that changed and runs the same stage functions a build runs,
//! reloading only the changed files and rescanning only changed pages; it then renders
//! only the pages `affected` names (all of them after a change to `site.yaml` or a
//! template), plus those whose taxonomy terms, place in their kind or shared values
//! changed. What is made from all pages is made again only where the change reaches:
//! the taxonomies while no page changes what lists show, the listing pages that
//! `listings` names, the cards of the rendered pages, each book from its entries' kept
//! parts, and the search index through its own [`search::SearchIndex`], which gets each
//! page's search document (made again for rendered pages only). Feeds, sitemap and
//! copied files are cheap and made every time; photos go through the same processing
//! (with its cache). The non-page files live in `files` layers, which compare only what
//! was made again and hand on the output files that changed. `build` is the first
//! update of a new session, so build and serve run one pipeline; tests check that a
//! series of updates gives a fresh build's output, byte for byte. A failed update
//! changes nothing: the next one compares with the last good. A one-shot build
//! ([`Session::once`], [`Session::update_into`]) keeps nothing for a next update and
//! hands each output file to a [`Stream`] as soon as it is made.

mod affected;
mod files;
mod listings;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::{self, scan::Scan, Links};
use crate::load::{self, Entries, Page, Site, CONTENT_DIR};
use crate::markdown::Highlighter;
use crate::photos::{self, process::PhotoStats};
use crate::render::{self, theme::Theme};
use crate::write::stream::Stream;
use crate::write::{Content, OutputFile};
use crate::{publish, readers, search, taxonomy, Purpose, Timings};
use affected::{affected, Affected, Build};
use files::{Layer, Layers, Made};

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
    /// Photos processed, or taken from the photo cache.
    pub photos: PhotoStats,
}

/// The pipeline's values between builds of one site.
pub struct Session {
    root: PathBuf,
    purpose: Purpose,
    config: Option<Config>,
    theme: Option<Theme>,
    theme_problems: Vec<Diagnostic>,
    entries: Entries,
    /// Each page's scan at the last update, reused while the page is the same loaded file.
    scans: Vec<(Arc<Page>, Arc<Scan>)>,
    /// Each page's photo plan at the last update.
    plans: photos::Plans,
    highlighter: Highlighter,
    stale: Stale,
    good: Option<Good>,
    /// Whether the theme's `get_page` shows the pages of the last good build.
    functions_good: bool,
    /// Whether there will be a next update: if not ([`Session::once`]), an update hands
    /// its output over instead of copying it, and keeps nothing.
    keep: bool,
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
    files: Layers,
    /// The search index, and what it sees of each page (none for the search page).
    search: Option<search::SearchIndex>,
    docs: Vec<Option<Arc<search::SearchDoc>>>,
    /// What the books are put together from.
    books: render::Books,
    /// Every page as rendered, indexed like `site.pages`.
    pages: Vec<render::RenderedPage>,
    /// What every page may show of the others, see [`shape`].
    shape: String,
    /// The taxonomies, [`Terms`] and [`Kinds`], kept while no page changes what lists show.
    taxonomies: Arc<Vec<taxonomy::Taxonomy>>,
    terms: Arc<Terms>,
    kinds: Arc<Kinds>,
}

/// Each kind's entries in order, by url, with their facet values: an entry shows its
/// number and its neighbours, the kind's index page the facet values.
struct Kinds(BTreeMap<String, Vec<(String, String)>>);

impl Kinds {
    fn new(inputs: &render::Inputs<'_>) -> Kinds {
        let (site, links) = (inputs.site, inputs.links);
        let kinds = inputs.config.kinds().map(|kind| {
            let entries = links.index.entries_of_kind(&kind.name).iter().map(|&e| {
                let values = render::facets::values(e, kind, inputs);
                (site.pages[e].url.clone(), format!("{values:?}"))
            });
            (kind.name.clone(), entries.collect())
        });
        Kinds(kinds.collect())
    }

    /// The entries whose number or neighbours changed since `old`, and the index pages
    /// of the kinds whose entries' facet values changed.
    fn changed_since(&self, old: &Kinds, inputs: &render::Inputs<'_>) -> Vec<usize> {
        let site = inputs.site;
        let mut pages = Vec::new();
        for (kind, entries) in &self.0 {
            let before = old.0.get(kind).map_or(&[][..], Vec::as_slice);
            let place = |list: &[(String, String)], n: usize| {
                let url = |m: Option<usize>| m.and_then(|m| list.get(m)).map(|e| e.0.clone());
                (n, list.len(), url(n.checked_sub(1)), url(Some(n + 1)))
            };
            let old_at: HashMap<&str, usize> =
                before.iter().enumerate().map(|(n, e)| (e.0.as_str(), n)).collect();
            let new_entries = inputs.links.index.entries_of_kind(kind);
            for (n, (url, _)) in entries.iter().enumerate() {
                let same = old_at
                    .get(url.as_str())
                    .is_some_and(|&o| place(before, o) == place(entries, n));
                if !same {
                    pages.extend(new_entries.get(n));
                }
            }
            let values_changed = !before.iter().map(|e| &e.1).eq(entries.iter().map(|e| &e.1))
                || before.len() != entries.len();
            if values_changed {
                let is_index =
                    |p: &Page| p.role == load::Role::KindIndex && p.kind.as_deref() == Some(kind);
                pages.extend((0..site.pages.len()).filter(|&i| is_index(&site.pages[i])));
            }
        }
        pages
    }
}

/// Each taxonomy term's label and the pages it lists, by taxonomy and term url: pages
/// show the label and count next to their tags and facet values, listing pages the pages.
struct Terms(BTreeMap<(String, String), (String, Vec<usize>)>);

impl Terms {
    fn new(taxonomies: &[taxonomy::Taxonomy]) -> Terms {
        let terms = taxonomies.iter().flat_map(|t| {
            t.terms.iter().map(|term| {
                ((t.url.clone(), term.url.clone()), (term.label.clone(), term.pages.clone()))
            })
        });
        Terms(terms.collect())
    }

    /// The pages that show a term that is new or changed since `old`, and the index
    /// pages of the kinds whose terms changed.
    fn changed_since(
        &self,
        old: &Terms,
        taxonomies: &[taxonomy::Taxonomy],
        site: &Site,
    ) -> Vec<usize> {
        let mut pages = Vec::new();
        let mut kinds = BTreeSet::new();
        for t in taxonomies {
            for term in &t.terms {
                let key = (t.url.clone(), term.url.clone());
                let shown = |terms: &Terms| terms.0.get(&key).map(|(l, p)| (l.clone(), p.len()));
                if shown(old) != shown(self) {
                    pages.extend(&term.pages);
                    kinds.insert(t.kind.clone());
                }
            }
            let gone =
                old.0.range((t.url.clone(), String::new())..).take_while(|((u, _), _)| *u == t.url);
            if gone.clone().any(|(key, _)| !self.0.contains_key(key)) {
                kinds.insert(t.kind.clone());
            }
        }
        let is_index = |p: &Page| p.role == load::Role::KindIndex && kinds.contains(&p.kind);
        pages.extend((0..site.pages.len()).filter(|&i| is_index(&site.pages[i])));
        pages
    }
}

/// The values the files made from all pages are made of.
#[derive(Clone, Copy)]
struct Built<'a> {
    site: &'a Site,
    links: &'a Links,
    config: &'a Config,
    feeds: &'a [publish::Feed],
}

/// The output files rendered at every update, not per page.
struct Outputs<'a> {
    copied: Vec<OutputFile>,
    listings: Made,
    cards: Made,
    collections: Made,
    taxonomies: &'a [taxonomy::Taxonomy],
}

impl Session {
    /// A session for the site at `root`; nothing is read until the first update. With
    /// [`Purpose::Check`] the readers' checks run too, and there is no search index and
    /// no photo processing.
    pub fn new(root: &Path, purpose: Purpose) -> Session {
        Session {
            root: root.to_path_buf(),
            purpose,
            config: None,
            theme: None,
            theme_problems: Vec::new(),
            entries: Entries::new(),
            scans: Vec::new(),
            plans: photos::Plans::default(),
            highlighter: Highlighter::default(),
            stale: Stale {
                config: true,
                theme: true,
                content: BTreeSet::from([String::new()]),
                everything: true,
                touched: BTreeSet::new(),
            },
            good: None,
            functions_good: false,
            keep: true,
        }
    }

    /// A session for one update only (`build`, `check`): its output is handed over, not
    /// copied, and nothing is kept for a next update.
    pub fn once(root: &Path, purpose: Purpose) -> Session {
        Session { keep: false, ..Session::new(root, purpose) }
    }

    /// The site's settings as the last update read them.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// Builds again after `changed` (paths of the site, absolute or relative to the
    /// root) changed on disk. On any problem the last good build stays as it was.
    pub fn update(
        &mut self,
        changed: &[PathBuf],
        timings: &mut Timings,
    ) -> Result<Update, Diagnostics> {
        self.update_into(changed, timings, None)
    }

    /// Like [`Session::update`]; with a `stream` (a session made by [`Session::once`]),
    /// every output file goes to the stream as soon as it is made (each page as it is
    /// rendered), and the update hands on none, so memory never holds the whole site's
    /// output. On a problem the caller aborts the stream.
    pub fn update_into(
        &mut self,
        changed: &[PathBuf],
        timings: &mut Timings,
        mut stream: Option<&mut Stream>,
    ) -> Result<Update, Diagnostics> {
        if self.keep {
            stream = None;
        }
        for path in changed {
            self.mark(path);
        }
        let config = self.reload_config(timings)?;
        let theme_loaded = self.reload_theme(&config, timings);
        self.reload_content(&config, timings);
        let mut diagnostics = Diagnostics::new();
        let mut site =
            timings.time("load", || load::site_from(&self.entries, &config, &mut diagnostics));
        let links = timings.time("link", || self.link(&site, &config, &mut diagnostics));
        // Only other files than Markdown can change where an unchanged page's images lead.
        let reuse = self.stale.touched.iter().all(|p| p.extension().is_some_and(|e| e == "md"));
        let photos = timings.time("photos", || {
            photos::plan_kept(&self.root, &site, (&mut self.plans, reuse), &mut diagnostics)
        });
        if self.purpose == Purpose::Check {
            timings.time("readers", || readers::check(&site, &mut diagnostics));
        }
        // Nothing but rendering reads a page's text from here on: a build for one time
        // lets go of them, and each page's render reads its file again.
        let released = (!self.keep).then(|| {
            self.entries = Entries::new();
            self.plans = photos::Plans::default();
            timings.time("release", || load::release::Released::release(&self.root, &mut site))
        });
        let kept = self
            .good
            .as_ref()
            .filter(|g| !self.stale.everything && same_list_inputs(g, &site, &links, &config));
        let taxonomies = match kept {
            Some(good) => Arc::clone(&good.taxonomies),
            None => Arc::new(timings.time("taxonomies", || {
                taxonomy::collect(&site, &links, &config, &mut diagnostics)
            })),
        };
        let kept = kept.map(|g| (Arc::clone(&g.terms), Arc::clone(&g.kinds)));
        let feeds = timings.time("feeds", || publish::feeds(&site, &links, &config));
        diagnostics.extend(self.theme_problems.iter().cloned());
        let Some(theme) = self.theme.as_mut() else { return Err(diagnostics) };
        // `get_page` shows pages as lists do: the same while they look the same.
        let same_pages = self.good.as_ref().is_some_and(|g| same_cards(&g.site, &site));
        if theme_loaded || self.stale.everything || !same_pages || !self.functions_good {
            self.functions_good = false;
            timings.time("functions", || render::register_functions(theme, &site, &links, &config));
        }
        let lists = timings.time("lists", || render::Lists::new(&site, &config, &links));
        // A build for one time draws its entries' parts of the books with their pages.
        let mut one_time_books = (!self.keep).then(|| render::Books::new(false));
        let card_parts = one_time_books.as_mut().and_then(|b| b.card_parts(theme, &config));
        let inputs = render::Inputs {
            site: &site,
            links: &links,
            config: &config,
            theme,
            taxonomies: &taxonomies,
            feeds: &feeds,
            photos: &photos,
            released: released.as_ref(),
            card_parts: card_parts.as_ref(),
        };
        let shape = timings.time("shape", || shape(&inputs));
        let new = Build { site: &site, links: &links, lists: &lists };
        let shows_any = timings.time("shows any", || shows_any_page(&site, &config, theme));
        let everything =
            self.stale.everything || self.good.as_ref().is_some_and(|g| g.shape != shape);
        let mut affected = timings.time("affected", || {
            pages_affected(self.good.as_ref(), &new, &config, &shows_any, everything)
        });
        let (terms, kinds) = timings.time("terms and kinds", || {
            if let Some(kept) = kept {
                return kept;
            }
            let terms = Terms::new(&taxonomies);
            let kinds = Kinds::new(&inputs);
            if let Some(good) = &self.good {
                let changed = terms.changed_since(&good.terms, &taxonomies, &site);
                for i in changed.into_iter().chain(kinds.changed_since(&good.kinds, &inputs)) {
                    affected.render[i] = true;
                }
            }
            (Arc::new(terms), Arc::new(kinds))
        });
        let which: Vec<usize> = (0..site.pages.len()).filter(|&i| affected.render[i]).collect();
        let search_now = (stream.is_some() && self.purpose == Purpose::Publish).then_some(&config);
        let (mut rendered, streamed_docs) = timings.time("render", || {
            let streaming = stream.as_deref_mut().map(|s| (s, search_now));
            let with = (&lists, &self.highlighter);
            render_pages(&inputs, &which, with, streaming, &mut diagnostics)
        });
        // A stream's search index is made now, while its documents are the most memory
        // the build holds: they go as the index files are made, and the pages made from
        // all pages (next) reuse their memory. No index file can take the place of one
        // of those pages: they are all `index.html`, the index's files are not.
        let streamed_docs = match (stream.as_deref_mut(), streamed_docs) {
            (Some(stream), Some(docs)) => {
                let docs: Vec<_> = docs.into_iter().flatten().collect();
                if diagnostics.is_empty() {
                    let made = timings.time("search", || {
                        search::index_once(&search::config(&config), docs, &mut |files| {
                            stream.put(files.into_iter().map(search_file).collect())
                        })
                    });
                    if let Err(e) = made {
                        diagnostics.push(crate::spill::read_error(&e));
                    }
                }
                Some(Vec::new())
            }
            _ => None,
        };
        // Taken out of the last good build: a failed update drops it, and the next one
        // makes every part again.
        let books =
            self.good.as_mut().filter(|_| !everything).map(|g| std::mem::take(&mut g.books));
        let all = books.is_none();
        let mut books = books.or(one_time_books).unwrap_or_else(|| render::Books::new(self.keep));
        books.provide(rendered.iter_mut().filter_map(|p| Some((p.index, p.book_parts.take()?))));
        let fresh = |i: usize| affected.render[i];
        let collections = timings.time("collections", || {
            let made = render::render_collections_kept(
                &inputs,
                &lists,
                &mut books,
                &fresh,
                &mut diagnostics,
            );
            match all {
                true => Made::All(streamed(&mut stream, made, &diagnostics)),
                false => Made::Some(made, Vec::new()),
            }
        });
        // After the collections: where a listing page and a collection page have the
        // same path, the collection page wins, and a stream keeps the first it gets.
        let old_terms = self.good.as_ref().filter(|_| !everything).map(|g| (&*g.terms, &g.site));
        let listings = timings.time("listings", || {
            let terms = (old_terms, &*terms);
            render_listings(&inputs, terms, &affected.old_of, &mut stream, &mut diagnostics)
        });
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let (copied, photo_stats) =
            copied_files(&self.root, self.purpose, (&site, theme, &photos), timings)?;
        // From here on nothing fails: the last good build's pages may be taken apart.
        let mut good = self.good.take();
        let old_pages = good.as_mut().map(|g| std::mem::take(&mut g.pages));
        let pages = all_pages(rendered, old_pages.unwrap_or_default(), &affected.old_of);
        let built = Built { site: &site, links: &links, config: &config, feeds: &feeds };
        let (mut files, mut search, old_docs) = match good.as_mut() {
            Some(g) => (std::mem::take(&mut g.files), g.search.take(), std::mem::take(&mut g.docs)),
            None => (Layers::default(), None, Vec::new()),
        };
        let docs = match streamed_docs {
            Some(docs) => docs,
            None => timings
                .time("search documents", || search_documents(&built, &pages, &affected, old_docs)),
        };
        if stream.is_none() && self.purpose == Purpose::Publish {
            // A new config may bring a new language or synonyms: a new index.
            let fresh = everything || search.is_none();
            let index = match &mut search {
                Some(index) if !fresh => index,
                _ => search.insert(search::SearchIndex::new(search::config(&config))),
            };
            let update =
                timings.time("search", || index.update(docs.iter().flatten().cloned().collect()));
            let made = update.files.into_iter().map(|f| (f.path, Content::Bytes(f.bytes)));
            let made = match fresh {
                true => Made::All(made.collect()),
                false => Made::Some(made.collect(), update.removed),
            };
            files.put(Layer::Search, made, &self.stale.touched);
        }
        let old_site = good.as_ref().map(|g| &g.site);
        let cards = card_files(&pages, &which, old_site.map(|s| (s, &affected.gone[..])));
        let outputs = Outputs { copied, listings, cards, collections, taxonomies: &taxonomies };
        let touched = &self.stale.touched;
        timings.time("site files", || site_files(&built, &pages, outputs, touched, &mut files));
        if let Some(stream) = stream {
            stream.put(
                files
                    .into_all()
                    .into_iter()
                    .map(|(p, c)| OutputFile { path: p, content: c })
                    .collect(),
            );
            let (pages, rendered) = (site.pages.len(), which.len());
            return Ok(Update { photos: photo_stats, pages, rendered, ..Update::default() });
        }
        let mut pages = pages;
        let update = timings.time("changes", || {
            let rendered = (pages.as_mut_slice(), which.as_slice());
            changes(&site, (&mut files, self.keep), old_site, &affected.gone, rendered)
        });
        if !self.keep {
            return Ok(Update { photos: photo_stats, ..update });
        }
        self.good = Some(Good {
            site,
            links,
            lists,
            files,
            pages,
            shape,
            taxonomies,
            terms,
            kinds,
            search,
            docs,
            books,
        });
        // The last good build is large (every page as rendered): let it go off the way.
        if let Some(good) = good {
            let _ =
                std::thread::Builder::new().name("spiegel-drop".into()).spawn(move || drop(good));
        }
        self.functions_good = true;
        self.stale.everything = false;
        self.stale.touched.clear();
        Ok(Update { photos: photo_stats, ..update })
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
    /// Hands on whether it loaded the theme again.
    fn reload_theme(&mut self, config: &Config, timings: &mut Timings) -> bool {
        if !self.stale.theme {
            return false;
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
        true
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
        // Kept for the next update only: a one-shot build lets them go now.
        if self.keep {
            self.scans = site.pages.iter().cloned().zip(scans).collect();
        }
        links
    }
}

/// Where the `card.js` of the page written at `page` (`…/index.html`) goes.
fn card_path(page: &str) -> String {
    format!("{}card.js", page.strip_suffix("index.html").unwrap_or_default())
}

/// What search sees of each page, indexed like `site.pages` (none for the search page),
/// its text parked outside memory where it can be until the index is made.
type Docs = Vec<Option<search::ParkedDoc>>;

/// Renders the pages `which`. With a stream, each page's html and card go to the stream
/// from the thread that rendered it, the page keeps only what later stages read (its
/// description), and, given the config, what search sees of it is made at once and
/// handed on, indexed like `site.pages`.
fn render_pages(
    inputs: &render::Inputs<'_>,
    which: &[usize],
    with: (&render::Lists, &Highlighter),
    streaming: Option<(&mut Stream, Option<&Config>)>,
    diagnostics: &mut Diagnostics,
) -> (Vec<render::RenderedPage>, Option<Docs>) {
    let Some((stream, search)) = streaming else {
        return (render::render(inputs, which, with, diagnostics), None);
    };
    let Some(sender) = stream.sender() else {
        return (render::render(inputs, which, with, diagnostics), None);
    };
    // A build that already failed writes nothing more: it will take back what it wrote.
    let send = diagnostics.is_empty();
    let spill = search.and_then(|_| crate::spill::Spill::new().ok());
    let each = |mut page: render::RenderedPage| {
        let doc = search.and_then(|config| {
            let doc = search::document(inputs.site, inputs.links, config, &page)?;
            Some(search::ParkedDoc::new(spill.as_ref(), doc))
        });
        let html = std::mem::take(&mut page.html).into_bytes();
        let mut files = vec![OutputFile { path: page.path.clone(), content: Content::Bytes(html) }];
        let card = page.card.take().map(|card| {
            let path = card_path(&page.path);
            files.push(OutputFile { path: path.clone(), content: Content::Bytes(card.into()) });
            path
        });
        if send {
            sender.put(files);
        }
        page.sections = Vec::new();
        (page, card, doc)
    };
    let made = render::render_each(inputs, which, with, &each, diagnostics);
    drop(sender);
    let mut docs: Option<Docs> = search.map(|_| inputs.site.pages.iter().map(|_| None).collect());
    let mut pages = Vec::with_capacity(made.len());
    let mut claimed = Vec::with_capacity(made.len() * 2);
    for (page, card, doc) in made {
        claimed.push(page.path.clone());
        claimed.extend(card);
        if let Some(docs) = docs.as_mut() {
            docs[page.index] = doc;
        }
        pages.push(page);
    }
    stream.claim(claimed);
    (pages, docs)
}

/// Files made from all pages: with a stream, handed to it (unless a problem was found),
/// else kept for the layers.
fn streamed(
    stream: &mut Option<&mut Stream>,
    files: Vec<(String, Content)>,
    diagnostics: &Diagnostics,
) -> Vec<(String, Content)> {
    let Some(stream) = stream else { return files };
    if diagnostics.is_empty() {
        stream.put(files.into_iter().map(|(path, content)| OutputFile { path, content }).collect());
    }
    Vec::new()
}

fn search_file(file: search::SearchFile) -> OutputFile {
    OutputFile { path: file.path, content: Content::Bytes(file.bytes) }
}

/// The theme's and the site's static files and the content folder's other files,
/// photos among them processed (not when only checking: then nothing is written,
/// not even the photo cache).
fn copied_files(
    root: &Path,
    purpose: Purpose,
    (site, theme, photos): (&Site, &Theme, &photos::Photos),
    timings: &mut Timings,
) -> Result<(Vec<OutputFile>, PhotoStats), Diagnostics> {
    let mut files = theme.static_files.clone();
    for asset in &site.assets {
        files.insert(asset.output.clone(), Content::Copy(asset.source.clone()));
    }
    let files: Vec<OutputFile> =
        files.into_iter().map(|(path, content)| OutputFile { path, content }).collect();
    match purpose {
        Purpose::Publish => {
            timings.time("resize", || photos::process::process(root, files, photos))
        }
        Purpose::Check => Ok((files, PhotoStats::default())),
    }
}

/// The output files that are not pages, from all pages (the last update's where a
/// page did not render again), into their layers: feeds, robots.txt and sitemap, the
/// copied files (a site's own robots.txt wins), listing pages, cards and the pages that
/// gather others (book, selection). The search index is put in by the caller.
fn site_files(
    built: &Built<'_>,
    pages: &[render::RenderedPage],
    outputs: Outputs<'_>,
    touched: &BTreeSet<PathBuf>,
    files: &mut Layers,
) {
    let Built { site, config, feeds, .. } = *built;
    let descriptions: Vec<String> = pages.iter().map(|p| p.description.clone()).collect();
    let listing_urls = render::listing::listing_urls(outputs.taxonomies);
    let published = publish::files(&publish::Published {
        site,
        config,
        feeds,
        descriptions: &descriptions,
        listings: &listing_urls,
    });
    let pairs = |files: Vec<OutputFile>| files.into_iter().map(|f| (f.path, f.content)).collect();
    files.replace(Layer::Published, pairs(published), touched);
    files.replace(Layer::Copied, pairs(outputs.copied), touched);
    files.put(Layer::Listings, outputs.listings, touched);
    files.put(Layer::Cards, outputs.cards, touched);
    files.put(Layer::Collections, outputs.collections, touched);
}

/// The listing pages: all of them, or after an edit those [`listings::changed`] names.
/// With a stream, all of them go to it one taxonomy at a time (unless a problem was
/// found before).
fn render_listings(
    inputs: &render::Inputs<'_>,
    (old, new): (Option<(&Terms, &Site)>, &Terms),
    old_of: &[Option<usize>],
    stream: &mut Option<&mut Stream>,
    diagnostics: &mut Diagnostics,
) -> Made {
    let pairs = |files: Vec<OutputFile>| files.into_iter().map(|f| (f.path, f.content));
    let Some(old) = old else {
        let send = diagnostics.is_empty();
        let mut kept = Vec::new();
        let mut emit = |files: Vec<OutputFile>| match stream {
            Some(stream) if send => stream.put(files),
            Some(_) => {}
            None => kept.extend(pairs(files)),
        };
        render::listing::render_each(inputs, &render::listing::Wanted::ALL, &mut emit, diagnostics);
        return Made::All(kept);
    };
    let changed = listings::changed(old, (new, inputs.site), old_of);
    let wanted = render::listing::Wanted {
        overview: &|t| changed.overviews.contains(&t.url),
        term: &|t, term| changed.terms.contains(&(t.url.clone(), term.url.clone())),
        not_found: false,
    };
    let files = render::listing::render_wanted(inputs, &wanted, diagnostics);
    Made::Some(pairs(files).collect(), changed.gone)
}

/// Each entry's `card.js`: all of them at a first build, afterwards those of the pages
/// rendered again (`which`), and the gone pages' cards removed.
fn card_files(
    pages: &[render::RenderedPage],
    which: &[usize],
    old: Option<(&Site, &[usize])>,
) -> Made {
    let card = |page: &render::RenderedPage| {
        let content = |card: &String| Content::Bytes(card.clone().into_bytes());
        page.card.as_ref().map(|card| (card_path(&page.path), content(card)))
    };
    let Some((old_site, gone)) = old else {
        return Made::All(pages.iter().filter_map(card).collect());
    };
    let mut files = Vec::new();
    let mut removed: Vec<String> =
        gone.iter().map(|&o| format!("{}card.js", old_site.pages[o].url)).collect();
    for page in which.iter().filter_map(|&i| pages.get(i)) {
        match card(page) {
            Some(file) => files.push(file),
            None => removed.push(card_path(&page.path)),
        }
    }
    Made::Some(files, removed)
}

/// What search sees of each page, indexed like `site.pages`: made again for the pages
/// rendered again, the last update's for the others.
fn search_documents(
    built: &Built<'_>,
    pages: &[render::RenderedPage],
    affected: &Affected,
    old: Vec<Option<Arc<search::SearchDoc>>>,
) -> Vec<Option<Arc<search::SearchDoc>>> {
    use rayon::prelude::*;
    let Built { site, links, config, .. } = *built;
    let made: Vec<(usize, Option<Arc<search::SearchDoc>>)> = pages
        .par_iter()
        .map(|page| {
            let i = page.index;
            let kept = (!affected.render[i]).then(|| affected.old_of[i]).flatten();
            let doc = match kept.and_then(|o| old.get(o)) {
                Some(doc) => doc.clone(),
                None => search::document(site, links, config, page).map(Arc::new),
            };
            (i, doc)
        })
        .collect();
    let mut docs = vec![None; site.pages.len()];
    for (i, doc) in made {
        docs[i] = doc;
    }
    docs
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
    shows_any: &[bool],
    everything: bool,
) -> Affected {
    let Some(good) = good else {
        let n = new.site.pages.len();
        return Affected { render: vec![true; n], gone: Vec::new(), old_of: vec![None; n] };
    };
    let old = Build { site: &good.site, links: &good.links, lists: &good.lists };
    let mut affected = affected(&old, new, config, shows_any);
    if everything {
        affected.render.fill(true);
    }
    affected
}

/// Per page: whether its template can show any page (through `get_page`). When a
/// template that others extend or include calls it, every page can.
fn shows_any_page(site: &Site, config: &Config, theme: &Theme) -> Vec<bool> {
    let calls: Vec<&str> = theme
        .texts
        .iter()
        .filter(|(_, text)| text.contains("get_page"))
        .map(|(name, _)| name.as_str())
        .collect();
    let shared = calls.iter().any(|name| {
        let quoted = [format!("\"{name}\""), format!("'{name}'")];
        theme.texts.values().any(|t| quoted.iter().any(|q| t.contains(q.as_str())))
    });
    let names: Vec<&str> = site.pages.iter().map(|p| render::template_name(p, config)).collect();
    if shared || calls.iter().any(|name| !names.contains(name)) {
        return vec![!calls.is_empty(); site.pages.len()];
    }
    names.iter().map(|name| calls.contains(name)).collect()
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

/// Every page rendered: those of this update, and the last update's for the others
/// (their old place in `old_of`).
fn all_pages(
    rendered: Vec<render::RenderedPage>,
    old: Vec<render::RenderedPage>,
    old_of: &[Option<usize>],
) -> Vec<render::RenderedPage> {
    let mut old: Vec<Option<render::RenderedPage>> = old.into_iter().map(Some).collect();
    let mut pages: Vec<Option<render::RenderedPage>> = vec![None; old_of.len()];
    for page in rendered {
        let i = page.index;
        pages[i] = Some(page);
    }
    for (i, slot) in pages.iter_mut().enumerate() {
        if slot.is_none() {
            let kept = old_of[i].and_then(|o| old.get_mut(o)?.take());
            *slot = kept.map(|page| render::RenderedPage { index: i, ..page });
        }
    }
    pages.into_iter().flatten().collect()
}

/// Whether the taxonomies, [`Terms`] and [`Kinds`] of the last good build hold for the
/// new one: the same pages at the same places, each looking the same where lists show
/// it (tags and fields among that), with the same references, and each kind's entries
/// in the same order. Collecting them again costs tens of milliseconds on a big site.
fn same_list_inputs(good: &Good, site: &Site, links: &Links, config: &Config) -> bool {
    let same_links = |a: &Arc<link::PageLinks>, b: &Arc<link::PageLinks>| {
        Arc::ptr_eq(a, b) || a.references == b.references
    };
    let old_links = &good.links;
    same_cards(&good.site, site)
        && old_links.pages.iter().zip(&links.pages).all(|(a, b)| same_links(a, b))
        && config.kinds().all(|k| {
            old_links.index.entries_of_kind(&k.name) == links.index.entries_of_kind(&k.name)
        })
}

/// Whether every page of `site` looks as it did in `old` wherever other pages show it,
/// at the same place.
fn same_cards(old: &Site, site: &Site) -> bool {
    use render::views::Linker;
    let same_page = |a: &Arc<Page>, b: &Arc<Page>| {
        Arc::ptr_eq(a, b) || (Linker::same_card(a, b) && a.role == b.role && a.source == b.source)
    };
    old.pages.len() == site.pages.len()
        && old.pages.iter().zip(&site.pages).all(|(a, b)| same_page(a, b))
}

/// What a page may show of other pages beyond its links, entry lists, [`Terms`] and
/// [`Kinds`], as text to compare between updates: each kind's index page, the
/// taxonomies, the feeds (in every page's head) and the planned photos. When it
/// differs, every page renders again.
fn shape(inputs: &render::Inputs<'_>) -> String {
    use std::fmt::Write;
    let site = inputs.site;
    let mut shape = String::new();
    for kind in inputs.config.kinds() {
        let index = site.pages.iter().find(|p| {
            p.role == load::Role::KindIndex && p.kind.as_deref() == Some(kind.name.as_str())
        });
        let _ = writeln!(shape, "{} {:?}", kind.name, index.map(|p| &p.url));
    }
    let feeds: Vec<(&str, &str)> =
        inputs.feeds.iter().map(|f| (f.title.as_str(), f.path.as_str())).collect();
    let planned: Vec<(&String, &Vec<photos::Version>)> =
        inputs.photos.planned.iter().map(|(path, p)| (path, &p.resized)).collect();
    let taxonomies: Vec<(&str, &Option<String>, &str, &str)> = inputs
        .taxonomies
        .iter()
        .map(|t| (t.label.as_str(), &t.kind, t.field.as_str(), t.url.as_str()))
        .collect();
    let _ = write!(shape, "{taxonomies:?}{feeds:?}{planned:?}");
    shape
}

/// Whether a page of `site` is written at `path`. Pages are sorted by url.
fn is_page_path(site: &Site, path: &str) -> bool {
    path.strip_suffix("index.html")
        .is_some_and(|url| site.pages.binary_search_by(|p| p.url.as_str().cmp(url)).is_ok())
}

/// The output files that are new or changed, and the paths that are gone: the rendered
/// pages, the other files that `files` noted as changed, and the pages of `old` that the
/// site no longer has (`gone`: its pages without a page now), unless a file now takes
/// their place. A page wins over any other file at its path. The pages' html moves into
/// the update (nothing reads it again); the other files are copied when the session
/// `keep`s them for the next update, else moved too.
fn changes(
    site: &Site,
    (files, keep): (&mut Layers, bool),
    old: Option<&Site>,
    gone: &[usize],
    (pages, rendered): (&mut [render::RenderedPage], &[usize]),
) -> Update {
    let count = rendered.len();
    let mut out: Vec<OutputFile> = rendered
        .iter()
        .map(|&i| {
            let page = &mut pages[i];
            let html = std::mem::take(&mut page.html);
            OutputFile { path: page.path.clone(), content: Content::Bytes(html.into_bytes()) }
        })
        .collect();
    let mut removed = Vec::new();
    let Some(old_site) = old else {
        files.take_changed();
        let all = match keep {
            true => files.all().into_iter().map(|(p, c)| (p.to_string(), c.clone())).collect(),
            false => std::mem::take(files).into_all(),
        };
        for (path, content) in all {
            if !is_page_path(site, &path) {
                out.push(OutputFile { path, content });
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        return Update {
            files: out,
            pages: site.pages.len(),
            rendered: count,
            ..Update::default()
        };
    };
    let mut changed = files.take_changed();
    changed.extend(gone.iter().map(|&o| format!("{}index.html", old_site.pages[o].url)));
    for path in changed.into_iter().filter(|path| !is_page_path(site, path)) {
        match files.get(&path) {
            Some(content) => out.push(OutputFile { path, content: content.clone() }),
            None => removed.push(path),
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    removed.sort();
    Update { files: out, removed, pages: site.pages.len(), rendered: count, ..Update::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_a_file_or_a_folder_but_not_its_neighbours() {
        let mut entries = Entries::new();
        for key in ["a.md", "a/b.md", "a/c/d.md", "a-b.md", "ab.md", "b.md"] {
            let d = Diagnostic::file(key, crate::diag::Message::NotUtf8Text);
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
