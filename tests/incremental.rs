//! Incremental rebuilds equal full builds: a long series of random edits to a generated
//! site (text, titles, summaries, dates, tags, facet values, links, references, new,
//! deleted and renamed files, broken links and their repair, templates, static files,
//! site.yaml), and after each one the session's output (pages, cards, tag and facet pages, feeds, the search index,
//! the book) must equal a fresh build's, file for file and byte for byte;
//! when the fresh build fails, the update must fail with the same problems.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use spiegel::incremental::{Session, Update};
use spiegel::write::{Content, Piece};
use spiegel::{render_site, Purpose, Timings};

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

type Files = BTreeMap<String, Content>;

fn apply(files: &mut Files, update: Update) {
    for path in update.removed {
        files.remove(&path);
    }
    for file in update.files {
        files.insert(file.path, file.content);
    }
}

fn full_build(root: &Path) -> Result<Files, Vec<String>> {
    match render_site(root, &mut Timings::default()) {
        Ok(rendered) => Ok(rendered.files.into_iter().map(|f| (f.path, f.content)).collect()),
        Err(d) => Err(d
            .into_sorted()
            .iter()
            .map(|d| d.in_language(spiegel::diag::Lang::Nl).to_string())
            .collect()),
    }
}

fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// One random edit; returns the paths it touched (relative to the root).
fn edit(root: &Path, rng: &mut Rng, step: usize) -> Vec<PathBuf> {
    let files = markdown_files(root);
    let entries: Vec<&PathBuf> = files.iter().filter(|p| stem(p) != "_index").collect();
    let file = rng.pick(&entries).to_path_buf();
    let text = fs::read_to_string(root.join(&file)).unwrap();
    let other = stem(rng.pick(&entries).as_path());
    let new_text = match rng.below(16) {
        0 => format!("{text}\nEen nieuwe alinea {step}.\n"),
        1 => format!("{text}\nZie ook [[{other}]] bij stap {step}.\n"),
        2 => text.replacen("title: \"", &format!("title: \"Stap {step} "), 1),
        3 => text.replacen("date: 20", "date: 19", 1),
        4 => text.replacen("tags: [", &format!("tags: [\"stap{step}\", "), 1),
        5 => text.replacen("[[", "[[bestaat-niet-", 1),
        6 => text.replacen("bouwstenen: [\"", "bouwstenen: [\"team\", \"", 1),
        7 => format!("{text}\n## Nieuwe kop {step}\n\nMet [[{other}#nieuwe-kop-{step}]].\n"),
        8 => {
            let copy = file.with_file_name(format!("kopie-{step}.md"));
            fs::write(root.join(&copy), format!("{text}\nZie [[{other}]].\n")).unwrap();
            return vec![copy];
        }
        9 => {
            fs::remove_file(root.join(&file)).unwrap();
            return vec![file];
        }
        10 => {
            let renamed = file.with_file_name(format!("hernoemd-{step}.md"));
            fs::rename(root.join(&file), root.join(&renamed)).unwrap();
            return vec![file, renamed];
        }
        11 => text.clone(),
        14 => text.replacen("fase: [\"", "fase: [\"pitstop\", \"", 1),
        15 => text.replacen("summary: \"", &format!("summary: \"Stap {step} "), 1),
        12 => return edit_site_files(root, rng, step),
        _ => text.replacen("Zie ook [[", "Zie ook [[bouwstenen/", 1),
    };
    fs::write(root.join(&file), new_text).unwrap();
    vec![file]
}

/// An edit outside content/: a template, a static file, or site.yaml.
fn edit_site_files(root: &Path, rng: &mut Rng, step: usize) -> Vec<PathBuf> {
    let path = match rng.below(3) {
        0 => {
            let path = PathBuf::from("templates/page.html");
            let text = format!(
                "{{% extends \"base.html\" %}}{{% block main %}}<h1>{{{{ page.title }}}}</h1>\
                 <p>stap {step}</p>{{{{ page.content | safe }}}}{{% endblock main %}}"
            );
            fs::create_dir_all(root.join("templates")).unwrap();
            fs::write(root.join(&path), text).unwrap();
            path
        }
        1 => {
            let path = PathBuf::from(format!("static/extra-{}.css", step % 3));
            fs::create_dir_all(root.join("static")).unwrap();
            fs::write(root.join(&path), format!("body {{ margin: {step}px }}\n")).unwrap();
            path
        }
        _ => {
            let path = PathBuf::from("site.yaml");
            let text = fs::read_to_string(root.join(&path)).unwrap();
            let text = text.replacen("title: ", &format!("title: Stap {step} "), 1);
            fs::write(root.join(&path), text).unwrap();
            path
        }
    };
    vec![path]
}

/// Puts the site back to a state that builds, when random edits broke it.
fn repair(root: &Path, pristine: &Path) {
    fs::remove_dir_all(root.join("content")).unwrap();
    support::copy_tree(&pristine.join("content"), &root.join("content"));
}

#[test]
fn random_edits_give_the_same_output_as_full_builds() {
    let dir = tempfile::tempdir().unwrap();
    let (root, pristine) = (dir.path().join("site"), dir.path().join("pristine"));
    spiegel::generate::generate(&root, 40, 7).unwrap();
    support::copy_tree(&root, &pristine);
    let mut session = Session::new(&root, Purpose::Publish);
    let mut served = Files::new();
    apply(&mut served, session.update(&[], &mut Timings::default()).unwrap());
    for made in
        ["inspiratie/atom.xml", "tags/buiten/index.html", "search/", "selectie/", "404.html"]
    {
        assert!(served.keys().any(|p| p.starts_with(made)), "the site has {made}");
    }
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let (mut failures, mut partial, mut failed_before) = (0, 0, false);
    for step in 0..120 {
        let mut changed = edit(&root, &mut rng, step);
        if failed_before && rng.below(2) == 0 {
            repair(&root, &pristine);
            changed.push(PathBuf::from("content"));
        }
        failed_before = false;
        let full = full_build(&root);
        let update = session.update(&changed, &mut Timings::default());
        match (full, update) {
            (Ok(full), Ok(update)) => {
                partial += usize::from(update.rendered < update.pages);
                apply(&mut served, update);
                assert_same(&served, &full, step);
            }
            (Err(full), Err(update)) => {
                let update: Vec<String> = update
                    .into_sorted()
                    .iter()
                    .map(|d| d.in_language(spiegel::diag::Lang::Nl).to_string())
                    .collect();
                assert_eq!(update, full, "step {step}: the same problems");
                failures += 1;
                failed_before = true;
            }
            (Ok(_), Err(d)) => {
                panic!(
                    "step {step}: the update failed, the full build did not:\n{}",
                    d.in_language(spiegel::diag::Lang::Nl)
                )
            }
            (Err(d), Ok(_)) => panic!("step {step}: the full build failed:\n{}", d.join("")),
        }
    }
    assert!(failures >= 10, "the edits include broken ones ({failures})");
    assert!(partial >= 50, "most good updates render only some pages ({partial})");
}

fn assert_same(served: &Files, full: &Files, step: usize) {
    let paths = |f: &Files| f.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(served), paths(full), "step {step}: the same files");
    // A book is compared as the text it writes, whatever its parts.
    let text = |c: &Content| match c {
        Content::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Content::Parts(parts) => String::from_utf8_lossy(&parts.join().unwrap()).into_owned(),
        Content::Copy(p) => format!("copy of {}", p.display()),
    };
    for (path, content) in full {
        if text(&served[path]) != text(content) {
            panic!(
                "step {step}: {path} differs\n--- incremental\n{}\n--- full\n{}",
                text(&served[path]),
                text(content)
            );
        }
    }
}

#[test]
fn a_one_entry_edit_renders_only_the_pages_that_show_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    spiegel::generate::generate(&root, 40, 3).unwrap();
    let mut session = Session::new(&root, Purpose::Publish);
    let first = session.update(&[], &mut Timings::default()).unwrap();
    assert_eq!(first.rendered, first.pages);
    let file = PathBuf::from("content/inspiratie/inspiratie-00002.md");
    let text = fs::read_to_string(root.join(&file)).unwrap();
    fs::write(root.join(&file), format!("{text}\nEen nieuwe zin.\n")).unwrap();
    let update = session.update(std::slice::from_ref(&file), &mut Timings::default()).unwrap();
    assert_eq!(update.rendered, 1, "a body edit renders one page");
    let paths: Vec<&str> = update.files.iter().map(|f| f.path.as_str()).collect();
    let html: Vec<&str> = paths.iter().copied().filter(|p| p.ends_with(".html")).collect();
    assert_eq!(html, ["inspiratie/boek/index.html", "inspiratie/inspiratie-00002/index.html"]);
    assert!(paths.iter().any(|p| p.starts_with("search/")), "the index has the new sentence");
    fs::write(root.join(&file), text.replacen("title: \"", "title: \"Anders ", 1)).unwrap();
    let update = session.update(&[file], &mut Timings::default()).unwrap();
    assert!(update.rendered > 1 && update.rendered < update.pages / 2, "{}", update.rendered);
    let paths: Vec<&str> = update.files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"inspiratie/index.html"), "the kind index lists the new title");
}

/// The photos fixture in `dir`, and a session's first build of it.
fn photo_site(dir: &Path) -> (PathBuf, Session, Files) {
    let root = dir.join("site");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/photos");
    support::copy_tree(&fixture, &root);
    let mut session = Session::new(&root, Purpose::Publish);
    let mut served = Files::new();
    apply(&mut served, session.update(&[], &mut Timings::default()).unwrap());
    (root, session, served)
}

#[test]
fn photos_are_served_processed_and_follow_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let (root, mut session, mut served) = photo_site(dir.path());
    assert_same(&served, &full_build(&root).unwrap(), 0);
    let photo = "verhalen/gps-orientation.jpg";
    let source = PathBuf::from("content").join(photo);
    let copied = Content::Copy(root.join(&source));
    assert_ne!(served[photo], copied, "the photo is processed (cleaned), not copied");
    let before = served[photo].clone();
    let replaced = image::RgbImage::from_fn(1600, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    replaced.save(root.join(&source)).unwrap();
    apply(&mut served, session.update(&[source], &mut Timings::default()).unwrap());
    assert_same(&served, &full_build(&root).unwrap(), 1);
    assert_ne!(served[photo], before, "the new photo is served");
}

#[test]
fn a_one_entry_edit_changes_only_its_parts_of_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    spiegel::generate::generate(&root, 40, 3).unwrap();
    let book = "inspiratie/boek/index.html";
    let parts_of = |files: &[spiegel::write::OutputFile]| match files
        .iter()
        .find(|f| f.path == book)
    {
        Some(spiegel::write::OutputFile { content: Content::Parts(parts), .. }) => parts.clone(),
        other => panic!("the book is put together from parts: {other:?}"),
    };
    let mut session = Session::new(&root, Purpose::Publish);
    let before = parts_of(&session.update(&[], &mut Timings::default()).unwrap().files);
    let file = PathBuf::from("content/inspiratie/inspiratie-00002.md");
    let text = fs::read_to_string(root.join(&file)).unwrap();
    fs::write(root.join(&file), format!("{text}\nEen zin voor het boek.\n")).unwrap();
    let update = session.update(std::slice::from_ref(&file), &mut Timings::default()).unwrap();
    let after = parts_of(&update.files);
    assert_eq!(before.0.len(), after.0.len(), "a part per entry and loop, and the text between");
    // `serve` keeps every part in memory and shares the ones it did not make again.
    let text = |piece: &Piece| match piece {
        Piece::Text(text) => text.clone(),
        Piece::Parked(_) => panic!("serve parks no part of a book"),
    };
    let made: Vec<std::sync::Arc<str>> = before
        .0
        .iter()
        .zip(after.0.iter())
        .map(|(a, b)| (text(a), text(b)))
        .filter(|(a, b)| !std::sync::Arc::ptr_eq(a, b))
        .map(|(_, b)| b)
        .collect();
    let entry_parts = made.iter().filter(|p| p.contains("inspiratie-00002")).count();
    assert_eq!(entry_parts, 2, "its card and its line in the contents: {made:?}");
    assert!(made.len() <= 2 + 3, "besides those only the text around the loops: {}", made.len());
    assert!(made.iter().any(|p| p.contains("Een zin voor het boek.")));
    let full = full_build(&root).unwrap();
    let Content::Parts(fresh) = &full[book] else { panic!("a fresh build's book has parts too") };
    let (after, fresh, before) =
        (after.join().unwrap(), fresh.join().unwrap(), before.join().unwrap());
    assert_eq!(after, fresh, "the book equals a fresh build's, byte for byte");
    assert_ne!(before, after);
}

#[test]
fn a_kept_photo_plan_follows_its_image_moving_away_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let (root, mut session, mut served) = photo_site(dir.path());
    // An edit elsewhere keeps the page's plan; the photo is still there.
    let other = PathBuf::from("content/_index.md");
    let text = fs::read_to_string(root.join(&other)).unwrap();
    fs::write(root.join(&other), format!("{text}\nNog een zin.\n")).unwrap();
    apply(&mut served, session.update(&[other], &mut Timings::default()).unwrap());
    assert_same(&served, &full_build(&root).unwrap(), 1);
    let photo = PathBuf::from("content/verhalen/gps-orientation.jpg");
    let moved = root.join("gps-orientation.jpg");
    fs::rename(root.join(&photo), &moved).unwrap();
    let problems = session.update(std::slice::from_ref(&photo), &mut Timings::default());
    let problems = problems.expect_err("the page shows a photo that is gone");
    assert_eq!(
        Err(problems
            .into_sorted()
            .iter()
            .map(|d| d.in_language(spiegel::diag::Lang::Nl).to_string())
            .collect()),
        full_build(&root).map(|_| ())
    );
    fs::rename(&moved, root.join(&photo)).unwrap();
    apply(&mut served, session.update(&[photo], &mut Timings::default()).unwrap());
    assert_same(&served, &full_build(&root).unwrap(), 2);
}
