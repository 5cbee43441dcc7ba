//! The corpus of bad inputs: every file under `tests/bad_inputs/` is put at the same
//! place under `content/` of a small site, which is built. Its sibling `.expected`
//! holds the exact headlines (`path:line:col: message`) the build must report, one per
//! line; an empty `.expected` means the input must be handled and build. No input may
//! panic or hang. Run with `BLESS=1` to write the `.expected` files from what the build
//! reports now (then read them before committing).
//!
//! Inputs that are not one file (links, vanished files, the output folder, the disk)
//! have their own tests in `tests/failures.rs`.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::TempSite;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

/// The site every input is tried in: default kinds, two building blocks to link to.
fn base_site() -> TempSite {
    let site = TempSite::new();
    site.write(
        "content/bouwstenen/coaching.md",
        "---\ntitle: Coaching\nnummer: 8\nbron: test\n---\nOver coaching.\n",
    );
    site.write("content/bouwstenen/team.md", "---\ntitle: Team\nnummer: 2\nbron: test\n---\n");
    site
}

/// The headlines a build of the site with `input` at `content/<rel>` reports.
fn headlines(rel: &str, input: &[u8]) -> Vec<String> {
    let site = base_site();
    let target = site.root().join("content").join(rel);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, input).unwrap();
    match site.build() {
        Ok(_) => Vec::new(),
        Err(d) => d.into_sorted().iter().map(|d| d.headline(spiegel::diag::Lang::Nl)).collect(),
    }
}

#[test]
fn every_bad_input_gives_its_expected_diagnostics() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let mut cases = 0;
    for entry in walkdir::WalkDir::new(corpus()).sort_by_file_name() {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        cases += 1;
        let rel = path.strip_prefix(corpus()).unwrap().to_string_lossy().replace('\\', "/");
        let input = std::fs::read(&path).unwrap();
        let start = Instant::now();
        let got = headlines(&rel, &input);
        let took = start.elapsed();
        if took > Duration::from_secs(10) {
            failures.push(format!("{rel}: took {took:?}"));
        }
        let expected_path = path.with_extension("expected");
        if bless {
            let text: String = got.iter().map(|l| format!("{l}\n")).collect();
            std::fs::write(&expected_path, text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} is missing", expected_path.display()));
        let expected: Vec<&str> = expected.lines().collect();
        if got != expected {
            failures.push(format!("{rel}:\n  expected {expected:#?}\n  got {got:#?}"));
        }
    }
    assert!(cases >= 30, "only {cases} cases found in {}", corpus().display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Big inputs are generated, not committed: a 19 MB file, a 5 MB line, 20,000 broken links, 5,000
/// tags, a front matter block of 100,000 list items, one never closed. Each must finish in
/// linear time.
#[test]
fn huge_inputs_finish() {
    let item_list: String = (0..100_000).map(|i| format!("  - woord{i}\n")).collect();
    // Every tag gets a listing page, a whole page to render: 5,000 keep the test quick
    // while a quadratic step (each tag page listing every tag) would still show.
    let tag_list: String = (0..5_000).map(|i| format!("  - woord{i}\n")).collect();
    let cases: Vec<(&str, String, &str)> = vec![
        ("groot.md", "Een alinea met *nadruk* en `code`.\n\n".repeat(500_000), ""),
        ("lange-regel.md", "woord ".repeat(900_000), ""),
        (
            "veel-links.md",
            "[[coachng]] ".repeat(20_000),
            "content/veel-links.md: nog 19900 kapotte links staan niet in deze lijst",
        ),
        ("lange-kop.md", format!("---\ntitle: Lijst\ntags:\n{tag_list}---\nTekst.\n"), ""),
        (
            "methodieken/veel-fasen.md",
            format!("---\ntitle: Fasen\nfase:\n{item_list}duur: 5\ngroep: [team]\nmateriaal: [a]\nstappen: [b]\nbouwstenen: [team]\ntrajecttype: [\"1\"]\nbron: x\n---\n"),
            "content/methodieken/veel-fasen.md: nog 99900 onbekende waarden staan niet in deze lijst",
        ),
        (
            "nooit-dicht.md",
            format!("---\ntitle: x\n{}", "sleutel: waarde\n".repeat(500_000)),
            "content/nooit-dicht.md:1:1: het blok met gegevens bovenaan (front matter) wordt nergens afgesloten",
        ),
    ];
    for (name, text, first) in cases {
        let start = Instant::now();
        let got = headlines(name, text.as_bytes());
        let took = start.elapsed();
        eprintln!("{name}: {took:?}");
        assert_eq!(got.first().map_or("", String::as_str), first, "{name}");
        assert!(took < Duration::from_secs(60), "{name} took {took:?}");
    }
}
