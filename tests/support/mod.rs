//! Shared helpers for the integration tests: sites in temporary folders, building them
//! through the library, and checking the output the way a browser would follow it.

#![allow(dead_code, unreachable_pub)]

pub mod browser;
pub mod http;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use spiegel::diag::Diagnostics;
use spiegel::{build, BuildOptions, BuildReport};

/// A site in a temporary folder, with its output in `out/` beside it.
pub struct TempSite {
    dir: tempfile::TempDir,
}

impl TempSite {
    /// An empty site with a minimal `site.yaml` (default kinds, built-in theme).
    pub fn new() -> TempSite {
        let site = TempSite { dir: tempfile::tempdir().expect("temp dir") };
        site.write("site.yaml", "title: Testsite\n");
        site
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TempSite {
        let site = TempSite { dir: tempfile::tempdir().expect("temp dir") };
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        copy_tree(&from, &site.root().join("site"));
        site
    }

    pub fn root(&self) -> PathBuf {
        let nested = self.dir.path().join("site");
        if nested.is_dir() {
            nested
        } else {
            self.dir.path().to_path_buf()
        }
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn write(&self, path: &str, text: &str) -> &TempSite {
        let file = self.root().join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, text).unwrap();
        self
    }

    pub fn build(&self) -> Result<BuildReport, Diagnostics> {
        build(&BuildOptions { root: self.root(), output: self.out() })
    }

    pub fn build_into(&self, output: &Path) -> Result<BuildReport, Diagnostics> {
        build(&BuildOptions { root: self.root(), output: output.to_path_buf() })
    }

    /// Builds and panics with the diagnostics if the build fails.
    pub fn build_ok(&self) -> BuildReport {
        self.build()
            .unwrap_or_else(|d| panic!("build failed:\n{}", d.in_language(spiegel::diag::Lang::Nl)))
    }

    /// Builds, expects failure, and returns the headlines (`path:line:col: message`).
    pub fn build_err(&self) -> Vec<String> {
        match self.build() {
            Ok(_) => panic!("the build should have failed"),
            Err(d) => d.into_sorted().iter().map(|d| d.headline(spiegel::diag::Lang::Nl)).collect(),
        }
    }

    /// Serves the site with `spiegel serve` on a free port of 127.0.0.1, quietly.
    pub fn serve(&self) -> spiegel::serve::Server {
        let options = spiegel::serve::ServeOptions {
            root: self.root(),
            bind: std::net::Ipv4Addr::LOCALHOST.into(),
            port: 0,
            verbose: false,
        };
        spiegel::serve::Server::start(&options)
            .unwrap_or_else(|d| panic!("{}", d.in_language(spiegel::diag::Lang::Nl)))
    }

    pub fn read(&self, output_path: &str) -> String {
        let path = self.out().join(output_path);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The values of `href="…"` and `src="…"` attributes, entities decoded.
pub fn links_in(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            let end = after.find('"').unwrap_or(after.len());
            let preceded_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
            if preceded_ok {
                links.push(
                    after[..end]
                        .replace("&amp;", "&")
                        .replace("&#39;", "'")
                        .replace("&quot;", "\""),
                );
            }
            rest = &after[end..];
        }
    }
    links
}

/// Whether a link leaves the site (or stays on the page).
pub fn is_external(link: &str) -> bool {
    link.starts_with('#')
        || link.contains("://")
        || link.starts_with("mailto:")
        || link.starts_with("data:")
}

/// Follows a relative link from the page at `from` (relative to `out`) as a browser on
/// `file://` would: it must name an existing file, and a `#fragment` an existing id. A
/// `?query` is for the page's scripts; the file is found without it.
pub fn check_link(out: &Path, from: &str, link: &str) -> Result<(), String> {
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    let mut target = out.join(base);
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                target.pop();
            }
            other => target.push(other),
        }
    }
    if path.is_empty() {
        target = out.join(from);
    } else if path.ends_with('/') || target.is_dir() {
        target.push("index.html");
    }
    if !target.starts_with(out) {
        return Err(format!("{from}: {link} leaves the output folder"));
    }
    if !target.is_file() {
        return Err(format!("{from}: {link} points to {}, which does not exist", target.display()));
    }
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        let html = fs::read_to_string(&target).unwrap_or_default();
        if !html.contains(&format!("id=\"{fragment}\"")) {
            return Err(format!("{from}: {link}: no id \"{fragment}\" in {}", target.display()));
        }
    }
    Ok(())
}

/// Checks every internal link of every HTML file under `out`; returns how many.
pub fn assert_all_links_resolve(out: &Path) -> usize {
    let mut problems = Vec::new();
    let mut count = 0;
    for (path, bytes) in snapshot(out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for link in links_in(&html).iter().filter(|l| !is_external(l)) {
            count += 1;
            if let Err(e) = check_link(out, &path, link) {
                problems.push(e);
            }
        }
    }
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));
    count
}

/// The part of `html` between `start` and the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start:?} in the page")) + start.len();
    let to = html[from..].find(end).map_or(html.len(), |i| from + i);
    &html[from..to]
}
