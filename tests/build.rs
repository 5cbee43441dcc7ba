//! The build pipeline on fixture sites: where pages land, what they show, that every
//! link works from disk, overrides, determinism, and that failed builds write nothing.

mod support;

use std::fs;

use support::{assert_all_links_resolve, between, snapshot, TempSite};

#[test]
fn pages_land_at_their_paths() {
    let site = TempSite::fixture("basic");
    let report = site.build_ok();
    for path in [
        "index.html",
        "notes/index.html",
        "notes/first/index.html",
        "notes/second/index.html",
        "notes/code/index.html",
        "about/index.html",
        "deep/nested/page/index.html",
        "style.css",
        "logo.svg",
        "notes/bijlage.txt",
    ] {
        assert!(site.out().join(path).is_file(), "{path} is missing");
    }
    assert!(!site.out().join("notes/draft").exists(), "drafts are left out");
    assert_eq!(report.pages, 9, "eight pages and the search page");
}

#[test]
fn front_matter_values_reach_the_html() {
    let site = TempSite::fixture("basic");
    site.build_ok();
    let first = site.read("notes/first/index.html");
    assert!(first.contains("<title>Eerste notitie · Testsite</title>"));
    assert!(first.contains("<p class=\"prop-level\">Niveau: 3</p>"), "{first}");
    assert!(first.contains("<p class=\"prop-stage\">Fase: midden</p>"));
    assert!(first.contains("<p class=\"prop-topics\">Onderwerpen: buiten spelen, eten</p>"));
    assert!(first.contains("<p class=\"prop-related\">Verwant: <a href=\"../../notes/second/index.html\">Tweede notitie</a></p>"));
    assert!(first.contains("<p class=\"prop-when\">Wanneer: 2025-03-14</p>"));
    assert!(first.contains("<p class=\"prop-done\">Klaar: true</p>"));
    assert!(first.contains("<p class=\"date\">2025-02-01</p>"));
    assert!(first.contains("stemming: blij"), "undeclared fields are kept for templates");
    assert!(first.contains("<meta name=\"description\" content=\"Een notitie met alle velden.\">"));
    assert!(first.contains("<h2 id=\"rol-van-de-coach\">Rol van de coach</h2>"));
}

#[test]
fn titles_fall_back_to_heading_then_file_name() {
    let site = TempSite::fixture("basic");
    site.build_ok();
    assert!(site
        .read("notes/second/index.html")
        .contains("<title>Tweede notitie · Testsite</title>"));
    assert!(site.read("about/index.html").contains("<title>Over de site · Testsite</title>"));
    assert!(site.read("zonder-kop/index.html").contains("<title>Zonder kop · Testsite</title>"));
}

#[test]
fn index_pages_list_their_entries_in_the_kinds_order() {
    let site = TempSite::fixture("basic");
    site.build_ok();
    let index = site.read("notes/index.html");
    assert!(index.contains("Notities, van eenvoudig naar moeilijk."));
    let cards = between(&index, "<ul class=\"cards\">", "</ul>");
    let order: Vec<usize> = ["Tweede notitie", "Met code", "Eerste notitie"]
        .iter()
        .map(|t| cards.find(t).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "sorted by level: {cards}");
    assert!(!cards.contains("Nog niet klaar"));
}

#[test]
fn every_internal_link_resolves_from_disk() {
    let site = TempSite::fixture("basic");
    site.build_ok();
    let checked = assert_all_links_resolve(&site.out());
    assert!(checked > 40, "only {checked} links checked");
    let deep = site.read("deep/nested/page/index.html");
    assert!(
        deep.contains("<a href=\"../../../notes/first/index.html\">Eerste notitie</a>"),
        "{deep}"
    );
    assert!(deep.contains("href=\"../../../style.css\""));
}

#[test]
fn site_templates_override_theme_templates() {
    let site = TempSite::fixture("basic");
    site.build_ok();
    let about = site.read("about/index.html");
    assert!(about.contains("<p class=\"override\">Door de site vervangen sjabloon</p>"));
    assert!(about.contains("<a class=\"skip-link\""), "the theme's base.html is still used");
    let home = site.read("index.html");
    assert!(!home.contains("class=\"override\""), "other templates come from the theme");
}

#[test]
fn fenced_code_is_highlighted_with_classes() {
    let site = TempSite::fixture("basic");
    site.build_ok();
    let code = site.read("notes/code/index.html");
    assert!(
        code.contains("<pre><code class=\"language-rust\"><span class=\"hl-source hl-rust\">"),
        "{code}"
    );
    assert!(!code.contains("style=\""), "colours belong to the theme's CSS");
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TempSite::fixture("basic");
    let other = tempfile::tempdir().unwrap();
    site.build_ok();
    site.build_into(other.path()).unwrap();
    assert_eq!(snapshot(&site.out()), snapshot(other.path()));
}

#[test]
fn a_second_build_rewrites_nothing_and_removes_what_is_gone() {
    let site = TempSite::fixture("basic");
    let first = site.build_ok();
    let again = site.build_ok();
    assert_eq!(again.written.written, 0);
    assert_eq!(again.written.unchanged, first.files);
    fs::remove_file(site.root().join("content/notes/code.md")).unwrap();
    let after = site.build_ok();
    // The page, its card.js, and the search fragment of the last document (ids follow the
    // titles).
    assert_eq!(after.written.removed, 3);
    assert!(!site.out().join("notes/code").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TempSite::fixture("basic");
    site.build_ok();
    let before = snapshot(&site.out());
    site.write("content/notes/first.md", "---\ntitle: [kapot\n---\n");
    site.write("content/notes/new.md", "---\nlevel: 4\n---\nNieuw, maar de build faalt.\n");
    assert!(site.build().is_err());
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn the_output_folder_must_not_hold_the_site() {
    let site = TempSite::fixture("basic");
    for output in [site.root(), site.root().join("content"), site.root().join("content/out")] {
        let err = site.build_into(&output).unwrap_err().into_sorted();
        assert_eq!(*err[0].message, spiegel::diag::Message::WriteIntoSite);
    }
}

#[test]
fn the_cli_builds_and_reports() {
    let site = TempSite::fixture("basic");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_spiegel"))
        .args(["build", "--timings", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(site.out())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.starts_with("9 pagina's gebouwd"), "{stdout}");
    for stage in ["load", "link", "templates", "render", "search", "write", "pages/s"] {
        assert!(stdout.contains(stage), "--timings shows {stage}: {stdout}");
    }
}

/// `spiegel build --timings | head -1`: the reader of the output goes away early; the
/// build still succeeds, as it would in a shell, instead of panicking on the closed pipe.
#[test]
fn the_cli_does_not_crash_when_its_output_is_closed() {
    let site = TempSite::fixture("basic");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_spiegel"))
        .args(["build", "--timings", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(site.out())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let run = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{:?}: {stderr}", run.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(site.out().join("index.html").is_file());
}

/// The pages are written while the build renders; a problem found after that (here in
/// the tag and facet pages' template) takes every written file back.
#[test]
fn a_build_failing_after_its_pages_were_written_takes_them_back() {
    let site = TempSite::fixture("basic");
    let broken =
        "{% extends \"base.html\" %}{% block main %}{{ nergens.te_vinden }}{% endblock main %}";
    site.write("templates/taxonomy.html", broken);
    let elsewhere = tempfile::tempdir().unwrap();
    let fresh = elsewhere.path().join("uit");
    let problems = site.build_into(&fresh).unwrap_err().into_sorted();
    assert!(
        problems.iter().any(|d| d.path.ends_with("taxonomy.html")),
        "{:?}",
        problems.iter().map(|d| d.path.display().to_string()).collect::<Vec<_>>()
    );
    assert!(!fresh.exists(), "a first build that failed leaves no output folder");

    std::fs::remove_file(site.root().join("templates/taxonomy.html")).unwrap();
    site.build_ok();
    let before = snapshot(&site.out());
    site.write(
        "content/notes/new.md",
        "---\ntitle: Nieuw\nlevel: 4\n---\nNieuw, maar de build faalt.\n",
    );
    site.write("templates/taxonomy.html", broken);
    assert!(site.build().is_err());
    assert_eq!(snapshot(&site.out()), before, "no file added, changed or removed");
}

/// A one-shot build parks search texts and the book's parts in a temporary file, and
/// reads page texts again from their files. Where no temporary file can be made (here
/// `TMPDIR` names no folder), it keeps them in memory and builds the same site.
#[test]
fn a_build_without_a_temporary_folder_builds_the_same_site() {
    let site = TempSite::fixture("basic");
    let config = fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let with_book =
        config.replace("    plural: Notities\n", "    plural: Notities\n    book: boek\n");
    assert_ne!(with_book, config, "the fixture's note kind gets a book");
    site.write("site.yaml", &with_book);
    let build = |out: &std::path::Path, tmpdir: Option<&std::path::Path>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_spiegel"));
        command.args(["build", "--root"]).arg(site.root()).arg("--output").arg(out);
        if let Some(tmpdir) = tmpdir {
            command.env("TMPDIR", tmpdir);
        }
        let run = command.output().unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        snapshot(out)
    };
    let elsewhere = tempfile::tempdir().unwrap();
    let usual = build(&elsewhere.path().join("gewoon"), None);
    assert!(usual.contains_key("notes/boek/index.html"), "the book is built");
    let missing = elsewhere.path().join("bestaat-niet");
    let without = build(&elsewhere.path().join("zonder"), Some(&missing));
    assert!(!missing.exists());
    assert_eq!(usual, without, "the same files, byte for byte");
}
