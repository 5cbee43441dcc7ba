//! Time and peak memory of the search index build on a real site, one-shot
//! (`search::index_once`) against the kept index (`SearchIndex::update`).
//!
//! The documents are made once and stored as JSON lines, so that each measurement runs in
//! a fresh process that holds only the documents when the index build starts:
//!
//! ```sh
//! cargo run --release -- generate /tmp/s10k --pages 10000 --seed 1
//! cargo run --release --example index_once -- dump /tmp/s10k /tmp/s10k-docs.jsonl
//! cargo run --release --example index_once -- once /tmp/s10k-docs.jsonl
//! cargo run --release --example index_once -- update /tmp/s10k-docs.jsonl
//! ```
//!
//! Prints the wall and CPU time of the index build, the resident memory before it and the
//! peak during it (the peak is reset when the documents are loaded), and a digest of the
//! files, equal for both variants.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};
use spiegel::search::{self, SearchConfig, SearchDoc, SearchFile, SearchSection};

// As in the `spiegel` binary, so that the figures are the build's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["dump", site, out] => dump(Path::new(site), Path::new(out)),
        [mode @ ("once" | "update"), docs] => measure(mode, Path::new(docs)),
        _ => {
            eprintln!(
                "usage: index_once dump SITE DOCS.jsonl | once DOCS.jsonl | update DOCS.jsonl"
            );
            ExitCode::from(2)
        }
    }
}

/// Renders the site and writes its search settings and documents, one JSON value a line.
fn dump(root: &Path, out: &Path) -> ExitCode {
    use spiegel::{diag::Diagnostics, link, load, photos, publish, render, taxonomy};
    let mut diagnostics = Diagnostics::new();
    let config = match spiegel::config::load(root) {
        Ok(config) => config,
        Err(_) => return fail("the site's settings do not load"),
    };
    let site = load::load(root, &config, &mut diagnostics);
    let links = link::link(&site, &config, &mut diagnostics);
    let Some(mut theme) = render::theme::load(root, &config, &mut diagnostics) else {
        return fail("the theme does not load");
    };
    render::register_functions(&mut theme, &site, &links, &config);
    let taxonomies = taxonomy::collect(&site, &links, &config, &mut diagnostics);
    let feeds = publish::feeds(&site, &links, &config);
    let photos = photos::plan(root, &site, &mut diagnostics);
    let inputs = render::Inputs {
        site: &site,
        links: &links,
        config: &config,
        theme: &theme,
        released: None,
        card_parts: None,
        taxonomies: &taxonomies,
        feeds: &feeds,
        photos: &photos,
    };
    let which: Vec<usize> = (0..site.pages.len()).collect();
    let highlighter = spiegel::markdown::Highlighter::default();
    let lists = render::Lists::new(&site, &config, &links);
    let rendered = render::render(&inputs, &which, (&lists, &highlighter), &mut diagnostics);
    let docs = search::documents(&site, &links, &config, &rendered);
    let settings = search::config(&config);
    let Ok(file) = std::fs::File::create(out) else { return fail("cannot write the output") };
    let mut out = std::io::BufWriter::new(file);
    let mut lines = vec![json!({"language": settings.language, "synonyms": settings.synonyms})];
    lines.extend(docs.iter().map(doc_json));
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            return fail("cannot write the output");
        }
    }
    eprintln!("{} documents", docs.len());
    ExitCode::SUCCESS
}

fn doc_json(doc: &SearchDoc) -> Value {
    let sections: Vec<Value> =
        doc.sections.iter().map(|s| json!([s.anchor, s.heading, s.text])).collect();
    json!({"u": doc.url, "t": doc.title, "k": doc.kind, "l": doc.kind_label, "s": sections,
           "g": doc.tags, "f": doc.facets})
}

fn doc_from(value: Value) -> Option<SearchDoc> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    let sections = value["s"].as_array()?.iter().map(|s| {
        Some(SearchSection { anchor: text(&s[0]), heading: text(&s[1])?, text: text(&s[2])? })
    });
    Some(SearchDoc {
        url: text(&value["u"])?,
        title: text(&value["t"])?,
        kind: text(&value["k"])?,
        kind_label: text(&value["l"])?,
        sections: sections.collect::<Option<_>>()?,
        tags: serde_json::from_value(value["g"].clone()).ok()?,
        facets: serde_json::from_value(value["f"].clone()).ok()?,
    })
}

/// Loads the documents line by line (so that no large parse tree raises the peak), then
/// builds the index the way `mode` says.
fn measure(mode: &str, path: &Path) -> ExitCode {
    let Ok(file) = std::fs::File::open(path) else { return fail("cannot read the documents") };
    let mut lines = std::io::BufReader::new(file).lines().map_while(Result::ok);
    let Some(settings) = lines.next().and_then(|l| serde_json::from_str::<Value>(&l).ok()) else {
        return fail("no settings line");
    };
    let config = SearchConfig {
        language: settings["language"].as_str().unwrap_or("nl").to_string(),
        synonyms: serde_json::from_value(settings["synonyms"].clone()).unwrap_or_default(),
    };
    let docs: Option<Vec<Arc<SearchDoc>>> =
        lines.map(|l| serde_json::from_str(&l).ok().and_then(doc_from).map(Arc::new)).collect();
    let Some(docs) = docs else { return fail("a document does not read") };
    let count = docs.len();
    reset_peak();
    let before = memory();
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let files = match mode {
        "once" => {
            let mut files = Vec::new();
            if let Err(e) = search::index_once(&config, docs, &mut |batch| files.extend(batch)) {
                return fail(&format!("a page does not read back: {e}"));
            }
            files
        }
        _ => search::SearchIndex::new(config).update(docs).files,
    };
    let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    let after = memory();
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    println!(
        "{mode}: {count} docs, {} files, {bytes} bytes, digest {:016x}",
        files.len(),
        digest(files)
    );
    println!("{mode}: wall {wall:.3} s, cpu {cpu:.3} s");
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "{mode}: rss before {:.1} MiB, peak {:.1} MiB, peak raised by {:.1} MiB",
        mib(before.0),
        mib(after.1),
        mib(after.1.saturating_sub(before.0))
    );
    ExitCode::SUCCESS
}

/// A digest of the files in any order: the same for the same set of (path, bytes).
fn digest(mut files: Vec<SearchFile>) -> u64 {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for file in &files {
        for &b in file.path.as_bytes().iter().chain([&0u8]).chain(&file.bytes) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Resident memory now and at its peak, in KiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Sets the peak to the current resident memory (Linux: `5` to `clear_refs`).
fn reset_peak() {
    if std::fs::write("/proc/self/clear_refs", "5").is_err() {
        eprintln!("cannot reset the peak: it includes loading the documents");
    }
}

/// User and system time of the process so far, from `/proc/self/stat`.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |n: usize| fields.get(n).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn fail(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::FAILURE
}
