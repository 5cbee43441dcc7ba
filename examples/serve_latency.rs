//! Edit-to-updated-page latency of `spiegel serve`.
//!
//! Copies a site to a temporary folder, serves it, then 20 times appends a sentence to
//! one entry and polls the served page over HTTP until the sentence is there. Prints
//! the median, fastest and slowest time from the file write to the first response
//! with the change.
//!
//! ```sh
//! cargo run --release --example serve_latency -- .          # the default site
//! cargo run --release -- generate /tmp/big --pages 10000
//! cargo run --release --example serve_latency -- /tmp/big
//! ```
//!
//! Options after the site folder: `--entry content/x/y.md` (default: the first
//! entry of `inspiratie/`), `--edits N` (default 20), `--timings` (instead of serving,
//! run the same edits through an incremental session and print each stage's median).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use spiegel::incremental::Session;
use spiegel::serve::{ServeOptions, Server};
use spiegel::{Purpose, Timings};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(site) = args.first().map(PathBuf::from) else {
        eprintln!("usage: serve_latency SITE [--entry content/x/y.md] [--edits N]");
        return ExitCode::from(2);
    };
    let option = |name: &str| args.windows(2).find(|w| w[0] == name).map(|w| w[1].clone());
    let edits: usize = option("--edits").and_then(|n| n.parse().ok()).unwrap_or(20);
    let copy = std::env::temp_dir().join(format!("spiegel-latency-{}", std::process::id()));
    let result = if args.iter().any(|a| a == "--timings") {
        stage_timings(&site, &copy, option("--entry"), edits)
    } else {
        run(&site, &copy, option("--entry"), edits)
    };
    let _ = std::fs::remove_dir_all(&copy);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve_latency: {e}");
            ExitCode::from(1)
        }
    }
}

/// Copies the site; returns the entry to edit.
fn prepare(site: &Path, copy: &Path, entry: Option<String>) -> Result<PathBuf, String> {
    for part in ["site.yaml", "content", "static", "templates", "themes"] {
        copy_tree(&site.join(part), &copy.join(part))
            .map_err(|e| format!("copying {part}: {e}"))?;
    }
    match entry {
        Some(entry) => Ok(PathBuf::from(entry)),
        None => first_entry(copy),
    }
}

/// The same edits through a session, without a server: each stage's median.
fn stage_timings(
    site: &Path,
    copy: &Path,
    entry: Option<String>,
    edits: usize,
) -> Result<(), String> {
    let entry = prepare(site, copy, entry)?;
    let mut session = Session::new(copy, Purpose::Publish);
    session
        .update(&[], &mut Timings::default())
        .map_err(|d| d.in_language(spiegel::diag::Lang::En).to_string())?;
    let file = copy.join(&entry);
    let original = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let mut stages: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
    let mut totals = Vec::new();
    for edit in 0..edits {
        std::fs::write(&file, format!("{original}\nMeetpunt {edit}.\n"))
            .map_err(|e| e.to_string())?;
        let mut timings = Timings::default();
        let update = session
            .update(std::slice::from_ref(&entry), &mut timings)
            .map_err(|d| d.in_language(spiegel::diag::Lang::En).to_string())?;
        if edit == 0 {
            println!(
                "rendered {} of {} pages, {} files changed, {} removed",
                update.rendered,
                update.pages,
                update.files.len(),
                update.removed.len()
            );
        }
        totals.push(timings.total());
        for (stage, took) in timings.stages {
            stages.entry(stage).or_default().push(took);
        }
    }
    let median = |list: &mut Vec<Duration>| {
        list.sort();
        list[list.len() / 2].as_secs_f64() * 1000.0
    };
    for (stage, list) in &mut stages {
        println!("{stage:>20}: {:8.2} ms", median(list));
    }
    println!("{:>20}: {:8.2} ms (median of {edits} updates)", "total", median(&mut totals));
    Ok(())
}

fn run(site: &Path, copy: &Path, entry: Option<String>, edits: usize) -> Result<(), String> {
    let entry = prepare(site, copy, entry)?;
    let stem = entry.file_stem().and_then(|s| s.to_str()).ok_or("bad entry name")?;
    let folder =
        entry.parent().and_then(|p| p.strip_prefix("content").ok()).ok_or("not in content/")?;
    let url = format!("/{}/{stem}/", folder.to_string_lossy());
    let started = Instant::now();
    let options = ServeOptions {
        root: copy.to_path_buf(),
        bind: [127, 0, 0, 1].into(),
        port: 0,
        verbose: false,
    };
    let server =
        Server::start(&options).map_err(|d| d.in_language(spiegel::diag::Lang::En).to_string())?;
    let pages = count_pages(server.addr(), &url, copy)?;
    println!(
        "{}: first build {} ms; editing {}",
        site.display(),
        started.elapsed().as_millis(),
        entry.display()
    );
    let file = copy.join(&entry);
    let original = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let mut times = Vec::with_capacity(edits);
    for edit in 0..edits {
        std::thread::sleep(Duration::from_millis(150)); // let the watcher settle between edits
        let marker = format!("Meetpunt {edit} {}", std::process::id());
        let written = Instant::now();
        std::fs::write(&file, format!("{original}\n{marker}.\n")).map_err(|e| e.to_string())?;
        poll_until(server.addr(), &url, &marker)?;
        times.push(written.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{pages} Markdown files: edit-to-updated-page median {:.1} ms (fastest {:.1}, slowest {:.1}) over {edits} edits",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
    Ok(())
}

fn first_entry(site: &Path) -> Result<PathBuf, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(site.join("content/inspiratie"))
        .map_err(|e| format!("content/inspiratie: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md"))
        .collect();
    entries.sort();
    let first = entries.first().ok_or("no entry in content/inspiratie")?;
    Ok(first.strip_prefix(site).map_err(|e| e.to_string())?.to_path_buf())
}

/// Checks that the page is served; returns how many Markdown files the site has.
fn count_pages(addr: SocketAddr, url: &str, site: &Path) -> Result<usize, String> {
    if !get(addr, url)?.starts_with("HTTP/1.1 200") {
        return Err(format!("{url} is not served"));
    }
    let markdown = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    Ok(markdown)
}

fn poll_until(addr: SocketAddr, url: &str, marker: &str) -> Result<(), String> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if get(addr, url)?.contains(marker) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Err(format!("{url} did not change within a minute"))
}

fn get(addr: SocketAddr, path: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").map_err(|e| e.to_string())?;
    let mut body = String::new();
    stream.read_to_string(&mut body).map_err(|e| e.to_string())?;
    Ok(body)
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_file() {
        std::fs::create_dir_all(to.parent().unwrap_or(Path::new(".")))?;
        return std::fs::copy(from, to).map(|_| ());
    }
    if !from.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(std::io::Error::other)?;
        let target = to.join(entry.path().strip_prefix(from).map_err(std::io::Error::other)?);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
