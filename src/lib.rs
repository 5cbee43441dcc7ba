//! spiegel: a static site generator for the reflection and inspiration material of
//! childcare organisations.
//!
//! The pipeline reads top to bottom in [`incremental::Session::update`]: `config` →
//! `load` → `link` → `render` (Markdown, then templates) → output files, which [`build`]
//! hands to `write` and `serve` keeps in memory. Each stage takes plain values and
//! hands on a plain value; problems are collected as [`diag::Diagnostics`] and a build
//! with any problem writes nothing.

pub mod cli;
pub mod config;
pub mod diag;
pub mod generate;
pub mod incremental;
pub mod link;
pub mod load;
pub mod markdown;
pub mod render;
pub mod serve;
pub mod slug;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diag::Diagnostics;
use write::{OutputFile, WriteStats};

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
    pub fn time<T>(&mut self, stage: &'static str, work: impl FnOnce() -> T) -> T {
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
/// could run come back together. This is the first update of an [`incremental::Session`],
/// the same code `serve` runs after every change.
pub fn render_site(root: &Path, timings: &mut Timings) -> Result<Rendered, Diagnostics> {
    let update = incremental::Session::new(root).update(&[], timings)?;
    Ok(Rendered { files: update.files, pages: update.pages })
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
