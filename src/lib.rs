//! spiegel: a static site generator for the reflection and inspiration material of
//! childcare organisations.
//!
//! The pipeline reads top to bottom in [`incremental::Session::update`]: `config` →
//! `load` → `link` → `photos` (plan) → `taxonomy` → `render` (Markdown, then templates;
//! listing and collection pages) → `publish` (feeds, sitemap) → `search` →
//! `photos::process` → output files. [`build`] hands them to a [`write::stream::Stream`]
//! as they are made (so memory never holds the whole output), `build_zip` to `archive`,
//! and `serve` keeps them in memory; [`check`] runs it with the reader checks and writes
//! nothing. A one-shot run also lets go of each page's text once the pages are linked
//! (`load::release`: the render reads each file again) and parks what it makes long
//! before it is written, the pages' search texts and the books' parts, in a temporary
//! file (`spill`), so its memory stays a small multiple of the site's Markdown. Each stage takes plain values and hands on a plain value; problems are
//! collected as [`diag::Diagnostics`] and a build with any problem leaves the previous
//! output as it was.

pub mod archive;
pub mod cli;
pub mod config;
pub mod diag;
pub mod generate;
pub mod incremental;
pub mod link;
pub mod load;
pub mod markdown;
pub mod new_entry;
pub mod photos;
pub mod publish;
pub mod readers;
pub mod render;
pub mod search;
pub mod serve;
pub mod slug;
pub mod spill;
pub mod starter;
pub mod taxonomy;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diag::Diagnostics;
use photos::process::PhotoStats;
use write::{OutputFile, WriteStats};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
}

/// How long each stage took, and, where the system tells (Linux), the processor time
/// all threads spent in it and the process's resident memory after it (in bytes), so
/// `--timings` shows where time and memory go, and how well a stage uses the cores.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// Per stage: resident memory after it, and the peak so far.
    pub memory: Vec<Option<(u64, u64)>>,
    /// Per stage: processor time (user and system, every thread).
    pub cpu: Vec<Option<Duration>>,
}

impl Timings {
    pub fn time<T>(&mut self, stage: &'static str, work: impl FnOnce() -> T) -> T {
        let (start, cpu) = (Instant::now(), cpu_time());
        let value = work();
        self.stages.push((stage, start.elapsed()));
        self.cpu.push(cpu.zip(cpu_time()).map(|(before, after)| after.saturating_sub(before)));
        self.memory.push(resident_memory());
        value
    }

    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }
}

/// The process's resident memory now and at its peak, from `/proc/self/status`.
fn resident_memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kib: u64 = line[name.len()..].trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kib * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The processor time of the process so far, from `/proc/self/stat` (in the kernel's
/// clock ticks, a hundredth of a second on Linux).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name, in parentheses, may hold spaces: fields are counted after it.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
    let ticks = |n: usize| fields.get(n)?.parse::<u64>().ok();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    Some(Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
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
/// could run come back together. This is the only update of an [`incremental::Session`],
/// the same code `serve` runs after every change.
pub fn render_site(root: &Path, timings: &mut Timings) -> Result<Rendered, Diagnostics> {
    run_pipeline(root, Purpose::Publish, timings)
}

/// Everything `build` checks, plus the reader checks; writes nothing. Returns how many
/// pages were checked.
pub fn check(root: &Path) -> Result<usize, Diagnostics> {
    run_pipeline(root, Purpose::Check, &mut Timings::default()).map(|r| r.pages)
}

/// The pipeline, run once: the first update of a new session.
fn run_pipeline(
    root: &Path,
    purpose: Purpose,
    timings: &mut Timings,
) -> Result<Rendered, Diagnostics> {
    let update = incremental::Session::once(root, purpose).update(&[], timings)?;
    Ok(Rendered { files: update.files, pages: update.pages, photos: update.photos })
}

/// Builds the site at `options.root` into `options.output`. Files are written while
/// the site renders ([`write::stream`]); on any problem they are taken back, and the
/// previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let mut timings = Timings::default();
    write::check_output_dir(&options.root, &options.output)?;
    let mut stream = write::stream::Stream::open(&options.output)?;
    let mut session = incremental::Session::once(&options.root, Purpose::Publish);
    let update = match session.update_into(&[], &mut timings, Some(&mut stream)) {
        Ok(update) => update,
        Err(problems) => {
            stream.abort();
            return Err(problems);
        }
    };
    let written = timings.time("write", || stream.finish())?;
    let (pages, files, photos) = (update.pages, written.files, update.photos);
    Ok(BuildReport { pages, files, written: written.stats, photos, timings })
}

/// Builds the site at `root` into one zip file at `zip`, instead of a folder. The zip
/// holds one folder named after the organisation.
pub fn build_zip(root: &Path, zip: &Path) -> Result<BuildReport, Diagnostics> {
    let mut timings = Timings::default();
    archive::check_zip_path(root, zip)?;
    let mut session = incremental::Session::once(root, Purpose::Publish);
    let update = session.update(&[], &mut timings)?;
    // The settings the build just read name the folder: not read from disk again.
    let name = session.config().map_or("", |c| {
        if c.organisation.name.is_empty() {
            &c.title
        } else {
            &c.organisation.name
        }
    });
    let folder =
        Some(slug::slugify(name)).filter(|s| !s.is_empty()).unwrap_or_else(|| "site".into());
    timings.time("zip", || archive::write_zip(zip, &folder, &update.files))?;
    let (pages, files, photos) = (update.pages, update.files.len(), update.photos);
    let written = WriteStats { written: files, ..WriteStats::default() };
    Ok(BuildReport { pages, files, written, photos, timings })
}
