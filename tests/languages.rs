//! Messages in the site's language: the same broken site, set to `language: nl`, `fr`
//! and `en`, gets the same problems at the same places with the same hints, written in
//! its language, from `spiegel check` and `build` (text and JSON) and from the preview;
//! a site whose settings cannot be read still gets the language its `language:` line
//! names, and Dutch without one.

mod support;

use std::process::{Command, Output};

use spiegel::diag::Lang;
use support::TempSite;

/// A site with five problems: a date that is none, a link to a page that does not exist,
/// an image without alt text, a heading that skips a level and a vague link text.
fn broken_site(language: &str) -> TempSite {
    let site = TempSite::new();
    site.write("site.yaml", &format!("title: Testsite\nlanguage: {language}\n"));
    site.write(
        "content/bouwstenen/coaching.md",
        "---\ntitle: Coaching\nnummer: 1\nbron: Eigen tekst\n---\nCoaching.\n",
    );
    site.write(
        "content/over.md",
        "---\ntitle: Over ons\ndate: gisteren\n---\nZie [[coachng]] en ![](foto.svg).\n\n#### Te diep\n\n[klik hier](bouwstenen/coaching.md)\n",
    );
    site.write("content/foto.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site
}

fn spiegel(args: &[&str], site: &TempSite) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_spiegel"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    output
}

/// The source lines and carets under each problem: the same in every language.
const SOURCES: [&str; 5] = [
    "  |\n3 | date: gisteren\n  |       ^\n",
    "  |\n5 | Zie [[coachng]] en ![](foto.svg).\n  |     ^\n",
    "  |\n5 | Zie [[coachng]] en ![](foto.svg).\n  |                    ^\n",
    "  |\n7 | #### Te diep\n  | ^\n",
    "  |\n9 | [klik hier](bouwstenen/coaching.md)\n  | ^\n",
];

/// Per language: each problem's headline and hint line, and the closing line.
fn expected(language: &str) -> ([(&'static str, &'static str); 5], &'static str) {
    match language {
        "nl" => ([
            ("content/over.md:3:7: \"date\" moet een datum zijn, maar is \"gisteren\"",
             "  = tip: schrijf een datum als JJJJ-MM-DD, bijvoorbeeld 2025-03-14"),
            ("content/over.md:5:5: er is geen pagina \"coachng\" (bedoel je \"coaching\"?)",
             "  = tip: kijk de spelling na; een link noemt een pagina bij haar bestandsnaam zonder .md, bijvoorbeeld [[coaching]]"),
            ("content/over.md:5:20: afbeelding zonder beschrijving (alt-tekst)",
             "  = tip: beschrijf wat er op de foto te zien is, voor wie hem niet kan zien: ![Kinderen bouwen een toren](foto.jpg)"),
            ("content/over.md:7:1: een kop van niveau 4 volgt op niveau 1: niveau 2 wordt overgeslagen",
             "  = tip: wie een schermlezer gebruikt, springt van kop naar kop per niveau; gebruik hier ##, of voeg het ontbrekende niveau erboven toe"),
            ("content/over.md:9:1: de linktekst \"klik hier\" zegt niet waar de link naartoe gaat",
             "  = tip: zeg waar de link heen gaat, bijvoorbeeld [de methodiek Observeren](...) in plaats van [klik hier](...)"),
        ], "5 problemen gevonden; er is niets geschreven."),
        "fr" => ([
            ("content/over.md:3:7: « date » doit être une date, mais c'est « gisteren »",
             "  = conseil : écrivez les dates sous la forme AAAA-MM-JJ, par exemple 2025-03-14"),
            ("content/over.md:5:5: il n'y a pas de page « coachng » (vouliez-vous dire « coaching » ?)",
             "  = conseil : vérifiez l'orthographe ; un lien désigne une page par son nom de fichier sans .md, par exemple [[coaching]]"),
            ("content/over.md:5:20: image sans texte alternatif",
             "  = conseil : décrivez ce que montre la photo, pour les personnes qui ne peuvent pas la voir : ![Des enfants construisent une tour](photo.jpg)"),
            ("content/over.md:7:1: un titre de niveau 4 suit le niveau 1 : le niveau 2 est sauté",
             "  = conseil : les personnes qui utilisent un lecteur d'écran naviguent d'un niveau de titre à l'autre ; utilisez ## ici, ou ajoutez le niveau manquant au-dessus"),
            ("content/over.md:9:1: le texte du lien « klik hier » ne dit pas où mène le lien",
             "  = conseil : nommez la destination, par exemple [la méthode Observer](...) au lieu de [cliquez ici](...)"),
        ], "5 problèmes trouvés ; rien n'a été écrit."),
        _ => ([
            ("content/over.md:3:7: \"date\" must be a date, found \"gisteren\"",
             "  = hint: write dates as YYYY-MM-DD, e.g. 2025-03-14"),
            ("content/over.md:5:5: no page \"coachng\" (did you mean \"coaching\"?)",
             "  = hint: check the spelling; a link names a page by its file name without .md, e.g. [[coaching]]"),
            ("content/over.md:5:20: image without alt text",
             "  = hint: describe what the photo shows for readers who cannot see it: ![Children building a tower](photo.jpg)"),
            ("content/over.md:7:1: heading level 4 follows level 1: level 2 is skipped",
             "  = hint: screen reader users jump by heading level; use ## here, or add the missing level above"),
            ("content/over.md:9:1: link text \"klik hier\" does not say where the link goes",
             "  = hint: name the destination, e.g. [the Observing method](...) instead of [click here](...)"),
        ], "5 problems found; nothing was written."),
    }
}

#[test]
fn check_reports_the_same_problems_in_each_language() {
    for language in ["nl", "fr", "en"] {
        let site = broken_site(language);
        let run = spiegel(&["check"], &site);
        let (problems, end) = expected(language);
        let mut want = String::new();
        for ((headline, hint), source) in problems.iter().zip(SOURCES) {
            want.push_str(&format!("{headline}\n{source}{hint}\n"));
        }
        want.push_str(end);
        want.push('\n');
        assert_eq!(String::from_utf8_lossy(&run.stderr), want, "{language}");
    }
}

#[test]
fn build_reports_in_the_language_and_the_library_in_any() {
    let site = broken_site("fr");
    let run = spiegel(&["build"], &site);
    let stderr = String::from_utf8_lossy(&run.stderr);
    // `build` does not check what makes pages hard to read: two of the five.
    assert!(stderr.starts_with(expected("fr").0[0].0), "{stderr}");
    assert!(stderr.ends_with("2 problèmes trouvés ; rien n'a été écrit.\n"), "{stderr}");
    let diagnostics = spiegel::check(&site.root()).unwrap_err().into_sorted();
    for (lang, code) in [(Lang::Nl, "nl"), (Lang::Fr, "fr"), (Lang::En, "en")] {
        let (problems, _) = expected(code);
        let shown: Vec<String> = diagnostics.iter().map(|d| d.headline(lang)).collect();
        assert_eq!(shown, problems.map(|(headline, _)| headline), "{code}");
    }
}

#[test]
fn check_json_is_in_the_sites_language_at_the_same_places() {
    let json = |language: &str| -> serde_json::Value {
        let run = spiegel(&["check", "--format", "json"], &broken_site(language));
        serde_json::from_slice(&run.stdout).unwrap()
    };
    let (dutch, french) = (json("nl"), json("fr"));
    let problem = &french["problems"][1];
    assert_eq!(
        problem["message"],
        "il n'y a pas de page « coachng » (vouliez-vous dire « coaching » ?)"
    );
    assert_eq!(
        problem["hint"],
        "vérifiez l'orthographe ; un lien désigne une page par son nom de fichier sans .md, par exemple [[coaching]]"
    );
    assert_eq!(
        dutch["problems"][1]["message"],
        "er is geen pagina \"coachng\" (bedoel je \"coaching\"?)"
    );
    let places = |json: &serde_json::Value| -> Vec<(String, u64, u64)> {
        let problems = json["problems"].as_array().unwrap();
        problems
            .iter()
            .map(|p| {
                let (line, col) = (p["line"].as_u64().unwrap(), p["column"].as_u64().unwrap());
                (p["path"].as_str().unwrap().to_string(), line, col)
            })
            .collect()
    };
    assert_eq!(places(&french).len(), 5);
    assert_eq!(places(&french), places(&dutch));
    assert_eq!(french["ok"], false);
}

#[test]
fn broken_settings_keep_their_language_and_dutch_is_the_default() {
    let site = TempSite::new();
    site.write("content/_index.md", "# Accueil\n");
    // The quote is never closed: YAML cannot read the file, the language line is found.
    site.write("site.yaml", "title: \"pas fermé\nlanguage: fr\n");
    let stderr = String::from_utf8_lossy(&spiegel(&["build"], &site).stderr).into_owned();
    let want = "site.yaml:3:1: l'écriture n'est pas correcte ici : le texte s'arrête alors que quelque chose est resté ouvert, comme un guillemet";
    assert!(stderr.starts_with(want), "{stderr}");
    assert!(stderr.contains("\n  = conseil : vérifiez l'indentation"), "{stderr}");
    assert!(stderr.ends_with("1 problème trouvé ; rien n'a été écrit.\n"), "{stderr}");

    site.write("site.yaml", "title: \"niet gesloten\n");
    let stderr = String::from_utf8_lossy(&spiegel(&["build"], &site).stderr).into_owned();
    assert!(stderr.starts_with("site.yaml:2:1: hier klopt de schrijfwijze niet: de tekst houdt op terwijl er nog iets openstaat"), "{stderr}");

    // A language spiegel does not speak: its messages in Dutch.
    site.write("site.yaml", "title: Test\nlanguage: de\n");
    let stderr = String::from_utf8_lossy(&spiegel(&["build"], &site).stderr).into_owned();
    assert!(
        stderr.starts_with("site.yaml:2:1: het thema heeft geen teksten in de taal \"de\""),
        "{stderr}"
    );
}

#[test]
fn what_commands_say_is_in_the_sites_language() {
    let site = TempSite::new();
    site.write("site.yaml", "title: Test\nlanguage: fr\n");
    site.write("content/_index.md", "# Accueil\n");
    let run = Command::new(env!("CARGO_BIN_EXE_spiegel"))
        .args(["check", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.ends_with(" pages vérifiées : aucun problème trouvé\n"), "{stdout}");
    let dir = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_spiegel"))
        .arg("init")
        .arg(dir.path().join("site"))
        .args(["--org", "Crèche Le Soleil", "--language", "en"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.starts_with("wrote a new site for Crèche Le Soleil into "), "{stdout}");
    assert!(stdout.contains("\nnext:\n"), "{stdout}");
}
