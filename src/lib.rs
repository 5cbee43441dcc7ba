//! spiegel: a static site generator for the reflection and inspiration material of
//! childcare organisations.
//!
//! The pipeline reads top to bottom in [`build`]: `config` → `load` → `link` →
//! `render` (Markdown, then templates) → `write`. Each stage takes plain values and
//! hands on a plain value; problems are collected as [`diag::Diagnostics`] and a build
//! with any problem writes nothing.

pub mod cli;
pub mod config;
pub mod diag;
pub mod generate;
pub mod link;
pub mod load;
pub mod markdown;
pub mod render;
pub mod slug;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diag::Diagnostics;
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
    pub timings: Timings,
}

/// Everything a build produces, before it is written: for `build`, `check` and tests.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub pages: usize,
}

/// Runs the pipeline up to, not including, writing. All problems of all stages that
/// could run come back together.
pub fn render_site(root: &Path, timings: &mut Timings) -> Result<Rendered, Diagnostics> {
    let config = timings.time("config", || config::load(root))?;
    let mut diagnostics = Diagnostics::new();
    let site = timings.time("load", || load::load(root, &config, &mut diagnostics));
    let links = timings.time("link", || link::link(&site, &config, &mut diagnostics));
    let theme = timings.time("templates", || render::theme::load(root, &config, &mut diagnostics));
    let Some(mut theme) = theme else { return Err(diagnostics) };
    render::register_functions(&mut theme, &site, &links, &config);
    let inputs = render::Inputs { site: &site, links: &links, config: &config, theme: &theme };
    let pages = timings.time("render", || render::render(&inputs, &mut diagnostics));
    let collections =
        timings.time("collections", || render::render_collections(&inputs, &mut diagnostics));
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let files = timings.time("assemble", || assemble(&site, pages, collections, &theme));
    let pages = site.pages.len();
    Ok(Rendered { files, pages })
}

/// Builds the site at `options.root` into `options.output`. On any problem nothing is
/// written and the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let mut timings = Timings::default();
    write::check_output_dir(&options.root, &options.output)?;
    let rendered = render_site(&options.root, &mut timings)?;
    let written = timings.time("write", || write::write(&options.output, &rendered.files))?;
    Ok(BuildReport { pages: rendered.pages, files: rendered.files.len(), written, timings })
}

/// The output files: the theme's and the site's static files, content assets, and the
/// pages (with their cards, and the pages that gather others). A later file with the
/// same path replaces an earlier one: pages win over all.
fn assemble(
    site: &load::Site,
    pages: Vec<render::RenderedPage>,
    collections: Vec<(String, String)>,
    theme: &render::theme::Theme,
) -> Vec<OutputFile> {
    let mut files: std::collections::BTreeMap<String, Content> = theme.static_files.clone();
    for asset in &site.assets {
        files.insert(asset.output.clone(), Content::Copy(asset.source.clone()));
    }
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
