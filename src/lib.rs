//! spiegel: a static site generator for the reflection and inspiration material of
//! childcare organisations.
//!
//! The pipeline reads top to bottom in [`build`]: `config` → `load` → `link` →
//! `render` (Markdown, then templates) → `write`. Each stage takes plain values and
//! hands on a plain value; problems are collected as [`diag::Diagnostics`] and a build
//! with any problem writes nothing.

pub mod archive;
pub mod cli;
pub mod config;
pub mod diag;
pub mod generate;
pub mod link;
pub mod load;
pub mod markdown;
pub mod new_entry;
pub mod photos;
pub mod publish;
pub mod readers;
pub mod render;
pub mod search;
pub mod slug;
pub mod starter;
pub mod taxonomy;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diag::Diagnostics;
use photos::process::PhotoStats;
use write::{Content, OutputFile, WriteStats};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
}

/// How long each stage took.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn time<T>(&mut self, stage: &'static str, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = work();
        self.stages.push((stage, start.elapsed()));
        value
    }

    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub written: WriteStats,
    pub photos: PhotoStats,
    pub timings: Timings,
}

/// Everything a build produces, before it is written: for `build`, `check` and tests.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub pages: usize,
    pub photos: PhotoStats,
}

/// Why the pipeline runs: to publish the site, or only to check it (`spiegel check`:
/// the reader checks on top, and nothing written, not even the photo cache).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Publish,
    Check,
}

/// Runs the pipeline up to, not including, writing. All problems of all stages that
/// could run come back together.
pub fn render_site(root: &Path, timings: &mut Timings) -> Result<Rendered, Diagnostics> {
    run_pipeline(root, Purpose::Publish, timings)
}

/// Everything `build` checks, plus the reader checks; writes nothing. Returns how many
/// pages were checked.
pub fn check(root: &Path) -> Result<usize, Diagnostics> {
    run_pipeline(root, Purpose::Check, &mut Timings::default()).map(|r| r.pages)
}

fn run_pipeline(
    root: &Path,
    purpose: Purpose,
    timings: &mut Timings,
) -> Result<Rendered, Diagnostics> {
    let config = timings.time("config", || config::load(root))?;
    let mut diagnostics = Diagnostics::new();
    let site = timings.time("load", || load::load(root, &config, &mut diagnostics));
    let links = timings.time("link", || link::link(&site, &config, &mut diagnostics));
    let photos = timings.time("photos", || photos::plan(root, &site, &mut diagnostics));
    if purpose == Purpose::Check {
        timings.time("readers", || readers::check(&site, &mut diagnostics));
    }
    let taxonomies = taxonomy::collect(&site, &links, &config, &mut diagnostics);
    let feeds = publish::feeds(&site, &links, &config);
    let theme = timings.time("templates", || render::theme::load(root, &config, &mut diagnostics));
    let Some(mut theme) = theme else { return Err(diagnostics) };
    render::register_functions(&mut theme, &site, &links, &config);
    let inputs = render::Inputs {
        site: &site,
        links: &links,
        config: &config,
        theme: &theme,
        taxonomies: &taxonomies,
        feeds: &feeds,
        photos: &photos,
    };
    let pages = timings.time("render", || render::render(&inputs, &mut diagnostics));
    let listings = timings.time("listings", || render::listing::render(&inputs, &mut diagnostics));
    let collections =
        timings.time("collections", || render::render_collections(&inputs, &mut diagnostics));
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut descriptions = vec![String::new(); site.pages.len()];
    for page in &pages {
        descriptions[page.index] = page.description.clone();
    }
    let listing_urls = render::listing::listing_urls(&taxonomies);
    let published = publish::files(&publish::Published {
        site: &site,
        config: &config,
        feeds: &feeds,
        descriptions: &descriptions,
        listings: &listing_urls,
    });
    let index = match purpose {
        Purpose::Publish => timings.time("search", || {
            search::build_index(
                &search::documents(&site, &links, &config, &pages),
                &search::config(&config),
            )
        }),
        Purpose::Check => Vec::new(),
    };
    let files = timings.time("assemble", || {
        assemble(&site, pages, listings, collections, published, index, &theme)
    });
    let (files, photo_stats) = match purpose {
        Purpose::Publish => {
            timings.time("resize", || photos::process::process(root, files, &photos))?
        }
        Purpose::Check => (files, PhotoStats::default()),
    };
    Ok(Rendered { files, pages: site.pages.len(), photos: photo_stats })
}

/// Builds the site at `options.root` into `options.output`. On any problem nothing is
/// written and the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let mut timings = Timings::default();
    write::check_output_dir(&options.root, &options.output)?;
    let rendered = render_site(&options.root, &mut timings)?;
    let written = timings.time("write", || write::write(&options.output, &rendered.files))?;
    let (pages, files, photos) = (rendered.pages, rendered.files.len(), rendered.photos);
    Ok(BuildReport { pages, files, written, photos, timings })
}

/// Builds the site at `root` into one zip file at `zip`, instead of a folder. The zip
/// holds one folder named after the organisation.
pub fn build_zip(root: &Path, zip: &Path) -> Result<BuildReport, Diagnostics> {
    let mut timings = Timings::default();
    archive::check_zip_path(root, zip)?;
    let rendered = render_site(root, &mut timings)?;
    let config = config::load(root)?;
    let name =
        if config.organisation.name.is_empty() { &config.title } else { &config.organisation.name };
    let folder =
        Some(slug::slugify(name)).filter(|s| !s.is_empty()).unwrap_or_else(|| "site".into());
    timings.time("zip", || archive::write_zip(zip, &folder, &rendered.files))?;
    let (pages, files, photos) = (rendered.pages, rendered.files.len(), rendered.photos);
    let written = WriteStats { written: files, ..WriteStats::default() };
    Ok(BuildReport { pages, files, written, photos, timings })
}

/// The output files: feeds, robots.txt and sitemap, the theme's and the site's static
/// files (a site's own robots.txt wins), content assets, the search index, listing pages,
/// the pages (with their cards) and the pages that gather others (book, selection).
/// A later file with the same path replaces an earlier one: pages win over all.
fn assemble(
    site: &load::Site,
    pages: Vec<render::RenderedPage>,
    listings: Vec<OutputFile>,
    collections: Vec<(String, String)>,
    published: Vec<OutputFile>,
    index: Vec<search::SearchFile>,
    theme: &render::theme::Theme,
) -> Vec<OutputFile> {
    let mut files: std::collections::BTreeMap<String, Content> =
        published.into_iter().map(|f| (f.path, f.content)).collect();
    files.extend(theme.static_files.clone());
    for asset in &site.assets {
        files.insert(asset.output.clone(), Content::Copy(asset.source.clone()));
    }
    files.extend(index.into_iter().map(|f| (f.path, Content::Bytes(f.bytes))));
    files.extend(listings.into_iter().map(|f| (f.path, f.content)));
    for page in pages {
        if let Some(card) = page.card {
            let folder = page.path.strip_suffix("index.html").unwrap_or_default();
            files.insert(format!("{folder}card.js"), Content::Bytes(card.into_bytes()));
        }
        files.insert(page.path, Content::Bytes(page.html.into_bytes()));
    }
    for (path, html) in collections {
        files.insert(path, Content::Bytes(html.into_bytes()));
    }
    files.into_iter().map(|(path, content)| OutputFile { path, content }).collect()
}
