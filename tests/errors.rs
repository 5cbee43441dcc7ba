//! Every kind of content error, with its exact position and message, all in one run,
//! and the CLI's exit code and output for them.

mod support;

use support::TempSite;

const METHOD_OK: &str = "---\ntitle: Observeren\nfase: [beginfoto]\ngroep: [team]\nduur: 30\nmateriaal: [papier]\nstappen: [kijken]\nbouwstenen: [coaching]\ntrajecttype: [\"1\"]\nbron: test\n---\nTekst.\n";

fn site_with_blocks() -> TempSite {
    let site = TempSite::new();
    site.write(
        "content/bouwstenen/coaching.md",
        "---\ntitle: Coaching\nnummer: 8\nbron: test\n---\nOver coaching.\n",
    );
    site.write(
        "content/bouwstenen/team.md",
        "---\ntitle: Team\nnummer: 2\nbron: test\n---\nOver het team.\n",
    );
    site
}

#[test]
fn invalid_yaml_is_positioned_in_the_file() {
    let site = site_with_blocks();
    site.write("content/over.md", "---\ntitle: Over\nsummary: [niet gesloten\n---\nTekst\n");
    let errors = site.build_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/over.md:4:1: de gegevens bovenaan kloppen niet: "),
        "{errors:?}"
    );
}

#[test]
fn wrong_field_type() {
    let site = site_with_blocks();
    site.write(
        "content/methodieken/observeren.md",
        &METHOD_OK.replace("duur: 30", "duur: half uur"),
    );
    assert_eq!(
        site.build_err(),
        ["content/methodieken/observeren.md:5:7: \"duur\" moet een getal zijn, maar is \"half uur\""]
    );
}

#[test]
fn missing_required_field() {
    let site = site_with_blocks();
    site.write("content/methodieken/observeren.md", &METHOD_OK.replace("duur: 30\n", ""));
    assert_eq!(
        site.build_err(),
        ["content/methodieken/observeren.md:1:1: het verplichte veld \"duur\" (Duur (minuten)) ontbreekt"]
    );
}

#[test]
fn unknown_value_of_a_field_with_a_suggestion() {
    let site = site_with_blocks();
    site.write(
        "content/methodieken/observeren.md",
        &METHOD_OK.replace("fase: [beginfoto]", "fase: [werkmoment, pitstp]"),
    );
    assert_eq!(
        site.build_err(),
        ["content/methodieken/observeren.md:3:20: \"pitstp\" is geen bekende waarde voor \"fase\" (bedoel je \"pitstop\"?)"]
    );
}

#[test]
fn unknown_reference_with_a_suggestion() {
    let site = site_with_blocks();
    site.write(
        "content/methodieken/observeren.md",
        &METHOD_OK.replace("bouwstenen: [coaching]", "bouwstenen:\n  - team\n  - coachng"),
    );
    assert_eq!(
        site.build_err(),
        ["content/methodieken/observeren.md:10:5: er is geen pagina \"coachng\" voor \"bouwstenen\" (bedoel je \"coaching\"?)"]
    );
}

#[test]
fn duplicate_slug() {
    let site = site_with_blocks();
    site.write("content/over.md", "Over ons.\n");
    site.write("content/over-ons.md", "---\nslug: over\n---\nOok over ons.\n");
    assert_eq!(
        site.build_err(),
        ["content/over.md:1:1: de slug \"over\" komt twee keer voor: content/over-ons.md heeft hem ook"]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    let site = site_with_blocks();
    std::fs::create_dir_all(site.root().join("content")).unwrap();
    std::os::unix::fs::symlink(site.root().join("nergens.md"), site.root().join("content/weg.md"))
        .unwrap();
    let errors = site.build_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("content/weg.md: het bestand is niet te lezen: "), "{errors:?}");
}

#[test]
fn unclosed_front_matter_tabs_and_bad_utf8() {
    let site = site_with_blocks();
    site.write("content/a.md", "---\ntitle: Nooit gesloten\n\nTekst.\n");
    site.write("content/b.md", "---\ntitle: B\ntags:\n\t- x\n---\n");
    std::fs::write(site.root().join("content/c.md"), b"---\ntitle: C\n---\nGoed\nfo\xFFut\n")
        .unwrap();
    assert_eq!(
        site.build_err(),
        [
            "content/a.md:1:1: het blok met gegevens bovenaan (front matter) wordt nergens afgesloten",
            "content/b.md:4:1: in de gegevens bovenaan springt een regel in met een tab",
            "content/c.md:5:3: het bestand is geen UTF-8-tekst",
        ]
    );
}

#[test]
fn template_errors_name_the_template_and_line() {
    let site = site_with_blocks();
    site.write("content/over.md", "Over ons.\n");
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock main %}\n");
    let errors = site.build_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("templates/page.html:3:19: fout in het sjabloon: "),
        "{errors:?}"
    );
}

#[test]
fn template_render_errors_point_at_the_variable() {
    let site = site_with_blocks();
    site.write("content/over.md", "Over ons.\n");
    site.write("content/contact.md", "Contact.\n");
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.titel }}</h1>\n{% endblock main %}\n");
    assert_eq!(
        site.build_err(),
        ["templates/page.html:3:8: fout in het sjabloon: Variable `page.titel` not found in context while rendering 'page.html' (op 2 pagina's)"]
    );
}

#[test]
fn config_errors_are_positioned() {
    let site = TempSite::new();
    site.write("site.yaml", "title: X\nlanguage: nl\nkinds:\n  note:\n    folder: notes\n    singular: Notitie\n    plural: Notities\n    fields:\n      fase: { type: one_of }\n      over: { type: reference, kind: nots }\n");
    assert_eq!(
        site.build_err(),
        [
            "site.yaml:9:7: het veld \"fase\" is one_of, maar heeft geen waarden",
            "site.yaml:10:7: er is geen soort \"nots\" (bedoel je \"note\"?)",
        ]
    );
}

#[test]
fn all_problems_come_in_one_run() {
    let site = site_with_blocks();
    site.write("content/methodieken/a.md", &METHOD_OK.replace("duur: 30", "duur: lang"));
    site.write("content/methodieken/b.md", &METHOD_OK.replace("groep: [team]", "groep: [klas]"));
    site.write("content/over.md", "Zie [[coachng]] en [[team#bestaat-niet]].\n");
    let errors = site.build_err();
    assert_eq!(
        errors,
        [
            "content/methodieken/a.md:5:7: \"duur\" moet een getal zijn, maar is \"lang\"",
            "content/methodieken/b.md:4:9: \"klas\" is geen bekende waarde voor \"groep\"",
            "content/over.md:1:5: er is geen pagina \"coachng\" (bedoel je \"coaching\"?)",
            "content/over.md:1:20: er is geen tussenkop \"#bestaat-niet\" op \"team\"",
        ]
    );
}

#[test]
fn the_cli_prints_diagnostics_and_exits_with_1() {
    let site = site_with_blocks();
    site.write("content/over.md", "Tekst\n\nZie [[coachng]].\n");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_spiegel"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(site.out())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        stderr,
        "content/over.md:3:5: er is geen pagina \"coachng\" (bedoel je \"coaching\"?)\n  |\n3 | Zie [[coachng]].\n  |     ^\n  = tip: kijk de spelling na; een link noemt een pagina bij haar bestandsnaam zonder .md, bijvoorbeeld [[coaching]]\n1 probleem gevonden; er is niets geschreven.\n"
    );
    assert!(!site.out().exists());
}

#[test]
fn usage_errors_exit_with_2() {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_spiegel"))
        .args(["build", "--wat"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
}
