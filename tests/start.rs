//! Starting a site: `init` gives a site that builds and checks clean, `new` gives an
//! entry per kind that `check` accepts once its required fields are filled, and
//! `check` reports like `build` (and more) without writing anything.

mod support;

use std::fs;
use std::path::Path;

use spiegel::cli::check_json;
use spiegel::config::{self, FieldType, Kind};
use spiegel::diag::{Lang, Message};
use spiegel::new_entry::new_entry;
use spiegel::starter::init;
use support::{assert_all_links_resolve, snapshot, TempSite};

fn headlines(result: Result<usize, spiegel::diag::Diagnostics>) -> Vec<String> {
    match result {
        Ok(pages) => panic!("check should have failed, but passed {pages} pages"),
        Err(d) => d.into_sorted().iter().map(|d| d.headline(Lang::Nl)).collect(),
    }
}

#[test]
fn init_then_build_gives_the_organisations_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("de-zon");
    let files = init(&root, "Kinderopvang De Zon", "nl").unwrap();
    assert!(files > 30, "{files} files");
    let pages = spiegel::check(&root)
        .unwrap_or_else(|d| panic!("the starter has problems:\n{}", d.in_language(Lang::Nl)));
    let out = dir.path().join("out");
    let report = spiegel::build(&spiegel::BuildOptions { root: root.clone(), output: out.clone() })
        .unwrap_or_else(|d| panic!("{}", d.in_language(Lang::Nl)));
    assert_eq!(report.pages, pages);
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("<title>Kinderopvang De Zon</title>"), "{home}");
    assert!(home.contains("Welkom op de site van Kinderopvang De Zon."));
    let coaching = fs::read_to_string(out.join("bouwstenen/coaching/index.html")).unwrap();
    assert!(coaching.contains("Kinderopvang De Zon</a>"), "the name is in the header");
    let vision = fs::read_to_string(out.join("visie/onze-visie-op-coaching/index.html")).unwrap();
    assert!(vision.contains("Bij Kinderopvang De Zon coachen we omdat"));
    assert!(!vision.contains("naam van je organisatie»"));
    for kind in ["bouwstenen", "methodieken"] {
        let default_count =
            fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content").join(kind))
                .unwrap()
                .count();
        assert_eq!(fs::read_dir(root.join("content").join(kind)).unwrap().count(), default_count);
    }
    assert_eq!(
        fs::read_dir(root.join("content/inspiratie")).unwrap().count(),
        3,
        "two entries and the index"
    );
    assert_all_links_resolve(&out);
}

#[test]
fn init_writes_the_chosen_language() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), "Crèche Le Soleil", "fr").unwrap();
    let yaml = fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    assert!(yaml.contains("language: fr\n"));
    assert!(yaml.contains("  name: \"Crèche Le Soleil\"\n"));
    let home = fs::read_to_string(dir.path().join("content/_index.md")).unwrap();
    assert!(home.contains("Bienvenue sur le site de Crèche Le Soleil."));
    spiegel::check(dir.path()).unwrap_or_else(|d| panic!("{}", d.in_language(Lang::Fr)));
}

/// The vision template, the example entries and the building blocks of a French or
/// English starter are in its language, with the organisation's name, and build with
/// every link resolved.
#[test]
fn the_vision_examples_and_building_blocks_come_in_the_starters_language() {
    let cases = [
        (
            "fr",
            "Notre vision du coaching : un modèle",
            "Chez Crèche Le Soleil, nous coachons parce que",
            "L'après-midi pédagogique",
            "Prêt à jouer plutôt que rangé",
            "L'équipe",
            "fase: [moment sur le terrain, point d'étape]",
        ),
        (
            "en",
            "Our vision of coaching: a template",
            "At Crèche Le Soleil we coach because",
            "The pedagogical lunch",
            "Ready to play instead of tidied away",
            "The team",
            "fase: [on-the-floor session, pit stop]",
        ),
    ];
    for (language, vision_title, vision_line, lunch, play, team, method) in cases {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        init(&root, "Crèche Le Soleil", language).unwrap();
        let read = |path: &str| fs::read_to_string(root.join("content").join(path)).unwrap();
        let vision = read("visie/onze-visie-op-coaching.md");
        assert!(vision.contains(&format!("title: \"{vision_title}\"")), "{language}: {vision}");
        assert!(vision.contains(vision_line), "{language}: {vision}");
        assert!(!vision.contains("«naam van je organisatie»"), "{language}: {vision}");
        assert!(read("inspiratie/pedagogische-middag.md").contains(&format!("title: \"{lunch}\"")));
        assert!(read("inspiratie/spel-klaargezet.md").contains(&format!("title: \"{play}\"")));
        assert!(read("bouwstenen/team.md").starts_with(&format!("---\ntitle: {team}\n")));
        assert!(read("methodieken/intervisie.md").contains(method), "{language}");
        let out = dir.path().join("out");
        spiegel::build(&spiegel::BuildOptions { root, output: out.clone() })
            .unwrap_or_else(|d| panic!("{language}: {}", d.in_language(Lang::En)));
        let page = fs::read_to_string(out.join("visie/onze-visie-op-coaching/index.html")).unwrap();
        assert!(page.contains(&format!("<h1>{vision_title}</h1>")), "{language}: {page}");
        assert_all_links_resolve(&out);
    }
}

#[test]
fn init_refuses_a_folder_with_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let err = init(dir.path(), "X", "nl").unwrap_err();
    assert_eq!(*err.message, Message::FolderNotEmpty);
    assert_eq!(snapshot(dir.path()).len(), 1, "nothing was added");
    let err = init(dir.path(), "X", "de").unwrap_err();
    assert_eq!(*err.message, Message::NoStarter { language: "de".into() });
}

/// A value `check` accepts for a field.
fn valid_value(field: &config::Field, root: &Path, config: &config::Config) -> String {
    match field.ty {
        FieldType::Text => "\"Eigen tekst\"".into(),
        FieldType::Number => "15".into(),
        FieldType::Date => "2025-03-14".into(),
        FieldType::Bool => "true".into(),
        FieldType::OneOf => field.values.as_ref().unwrap()[0].clone(),
        FieldType::List => match &field.values {
            Some(values) => format!("[\"{}\"]", values[0]),
            None => "[\"eerste\"]".into(),
        },
        FieldType::Reference => {
            let target: &Kind = config.kind(field.kind.as_deref().unwrap()).unwrap();
            let any = fs::read_dir(root.join("content").join(&target.folder))
                .unwrap()
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n != "_index.md")
                .unwrap();
            format!("[{}]", any.trim_end_matches(".md"))
        }
    }
}

#[test]
fn new_gives_an_entry_per_kind_that_check_accepts_once_filled() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root, "De Zon", "nl").unwrap();
    let config = config::load(root).unwrap();
    for kind in config.kinds() {
        let title = format!("Nieuw {}: spel & creëren", kind.singular);
        let path = new_entry(root, &kind.name, &title, "2025-06-01").unwrap();
        let want = format!(
            "content/{}/nieuw-{}-spel-creeren.md",
            kind.folder,
            spiegel::slug::slugify(&kind.singular)
        );
        assert_eq!(path, Path::new(&want));
        let text = fs::read_to_string(root.join(&path)).unwrap();
        assert!(
            text.starts_with(&format!("---\ntitle: \"{title}\"\ndate: 2025-06-01\n")),
            "{text}"
        );
        let required: Vec<&String> =
            kind.fields.iter().filter(|(_, f)| f.required).map(|(n, _)| n).collect();
        // A template may fail on the missing value too; only the entry's own count here.
        let problems: Vec<String> =
            headlines(spiegel::check(root)).into_iter().filter(|p| p.starts_with(&want)).collect();
        assert_eq!(problems.len(), required.len(), "{problems:#?}");
        for name in &required {
            assert!(
                problems.iter().any(|p| p.starts_with(&want)
                    && p.contains(&format!("het verplichte veld \"{name}\""))),
                "{name}: {problems:#?}"
            );
            let marked = text.lines().find(|l| l.starts_with(&format!("{name}:"))).unwrap();
            assert!(marked.contains("# required"), "{marked}");
        }
        let filled: String = text
            .lines()
            .map(|line| {
                let field = kind
                    .fields
                    .iter()
                    .find(|(n, f)| f.required && line.starts_with(&format!("{n}:")));
                match field {
                    Some((name, field)) => {
                        format!("{name}: {}\n", valid_value(field, root, &config))
                    }
                    None => format!("{line}\n"),
                }
            })
            .collect();
        fs::write(root.join(&path), filled).unwrap();
        spiegel::check(root)
            .unwrap_or_else(|d| panic!("{}: {}", kind.name, d.in_language(Lang::Nl)));
    }
}

#[test]
fn new_finds_kinds_by_folder_and_label_and_never_overwrites() {
    let site = TempSite::new();
    let path =
        new_entry(&site.root(), "Methodieken", "Fantasiespel & creëren", "2025-06-01").unwrap();
    assert_eq!(path, Path::new("content/methodieken/fantasiespel-creeren.md"));
    fs::write(site.root().join(&path), "mine").unwrap();
    let err =
        new_entry(&site.root(), "method", "Fantasiespel & Creëren", "2025-06-01").unwrap_err();
    let d = err.into_sorted().remove(0);
    assert_eq!(
        d.headline(Lang::Nl),
        "content/methodieken/fantasiespel-creeren.md: bestaat al; er is niets geschreven"
    );
    assert_eq!(fs::read_to_string(site.root().join(&path)).unwrap(), "mine");
    let err = new_entry(&site.root(), "methd", "X", "2025-06-01").unwrap_err();
    assert_eq!(
        err.into_sorted()[0].headline(Lang::Nl),
        "site.yaml: er is geen soort \"methd\" (bedoel je \"method\"?)"
    );
}

#[test]
fn check_reports_what_build_reports_and_writes_nothing() {
    let site = TempSite::new();
    site.write("content/a.md", "# A\n\nZie [[nergens]].\n");
    let before = snapshot(&site.root());
    let from_check = headlines(spiegel::check(&site.root()));
    assert_eq!(snapshot(&site.root()), before, "check writes nothing");
    assert_eq!(from_check, site.build_err());
    assert_eq!(from_check, ["content/a.md:3:5: er is geen pagina \"nergens\""]);
    assert!(!site.out().exists());
}

#[test]
fn check_finds_what_makes_pages_hard_to_read() {
    let site = TempSite::new();
    site.write(
        "content/a.md",
        "# A\n\n![](foto.svg)\n\n#### Te diep\n\n[Klik hier](b.md) of [](b.md).\n",
    );
    site.write("content/b.md", "# B\n");
    site.write("content/foto.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    let problems = headlines(spiegel::check(&site.root()));
    assert_eq!(
        problems,
        [
            "content/a.md:3:1: afbeelding zonder beschrijving (alt-tekst)",
            "content/a.md:5:1: een kop van niveau 4 volgt op niveau 1: niveau 2 wordt overgeslagen",
            "content/a.md:7:1: de linktekst \"Klik hier\" zegt niet waar de link naartoe gaat",
            "content/a.md:7:22: link zonder tekst",
        ]
    );
}

#[test]
fn check_json_is_for_machines() {
    let site = TempSite::new();
    site.write("content/a.md", "Zie [[nergens]].\n");
    let json: serde_json::Value =
        serde_json::from_str(&check_json(&spiegel::check(&site.root()), Lang::Nl)).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["problems"][0]["path"], "content/a.md");
    assert_eq!(json["problems"][0]["line"], 1);
    assert_eq!(json["problems"][0]["column"], 5);
    assert_eq!(json["problems"][0]["message"], "er is geen pagina \"nergens\"");
    let clean = TempSite::new();
    clean.write("content/_index.md", "# Welkom\n");
    let json: serde_json::Value =
        serde_json::from_str(&check_json(&spiegel::check(&clean.root()), Lang::Nl)).unwrap();
    assert_eq!(json["ok"], true);
    assert_eq!(json["problems"].as_array().unwrap().len(), 0);
}

#[test]
fn the_default_site_passes_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = spiegel::check(root).unwrap_or_else(|d| panic!("{}", d.in_language(Lang::Nl)));
    assert!(pages > 40, "{pages} pages");
}
