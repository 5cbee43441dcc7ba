//! `spiegel init DIR`: a new site from the starter built into the binary, so that an
//! organisation without IT staff has a working site of its own in one command.
//!
//! Takes a folder, the organisation's name and the site's language; writes `site.yaml`
//! (the default kinds, named in the chosen language, and the organisation's name), the
//! twelve building blocks, the methods, the vision template with the organisation's name
//! filled in and two example inspiration entries (the default site's Dutch pages, or
//! their French or English versions under `starter/<language>/`), and a home page in the
//! chosen language. Links to
//! default pages the starter leaves out become plain text, so the new site builds.
//! The theme is not copied: a site without `themes/` uses the built-in default theme,
//! and so gets its improvements with every new spiegel.

mod content;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use crate::diag::{Action, Diagnostic, Hint, Message};
use crate::load::frontmatter;
use crate::markdown::options;
use crate::new_entry::yaml_quoted;
use content::DEFAULT_CONTENT;

/// The languages a starter can be written in.
pub const LANGUAGES: [&str; 3] = ["nl", "fr", "en"];

/// The default site's settings, the starter's `site.yaml` with its first lines replaced.
const DEFAULT_SITE_YAML: &str = include_str!("../../site.yaml");

/// Files of the default content the starter takes over as they are (links aside).
fn taken_over(path: &str) -> bool {
    let folders = ["bouwstenen/", "methodieken/"];
    let pages =
        ["inspiratie/pedagogische-middag.md", "inspiratie/spel-klaargezet.md", VISION_TEMPLATE];
    folders.iter().any(|f| path.starts_with(f)) || pages.contains(&path)
}

const VISION_TEMPLATE: &str = "visie/onze-visie-op-coaching.md";

/// `(language, path under content/, text)` for every French and English page kept
/// under the same path in `starter/<language>/`, e.g. `starter/fr/bouwstenen/team.md`.
macro_rules! translated {
    ($($path:literal),* $(,)?) => {
        [
            $(("fr", $path, include_str!(concat!("../../starter/fr/", $path))),)*
            $(("en", $path, include_str!(concat!("../../starter/en/", $path))),)*
        ]
    };
}

/// The starter's own pages, per language: (language, path under `content/`, text). A
/// page here replaces the default page at its path, so that a French or English starter
/// has its building blocks, vision template and example entries in its own language.
const OWN_PAGES: &[(&str, &str, &str)] = &[
    ("nl", "_index.md", include_str!("../../starter/nl/_index.md")),
    ("nl", "inspiratie/_index.md", include_str!("../../starter/nl/inspiratie.md")),
    ("nl", "visie/_index.md", include_str!("../../starter/nl/visie.md")),
    ("fr", "_index.md", include_str!("../../starter/fr/_index.md")),
    ("fr", "inspiratie/_index.md", include_str!("../../starter/fr/inspiratie.md")),
    ("fr", "visie/_index.md", include_str!("../../starter/fr/visie.md")),
    ("en", "_index.md", include_str!("../../starter/en/_index.md")),
    ("en", "inspiratie/_index.md", include_str!("../../starter/en/inspiratie.md")),
    ("en", "visie/_index.md", include_str!("../../starter/en/visie.md")),
];

/// The default pages the French and English starters have in their own language:
/// the building blocks, the vision template and the two example entries.
const TRANSLATED: &[(&str, &str, &str)] = &translated![
    "visie/onze-visie-op-coaching.md",
    "inspiratie/pedagogische-middag.md",
    "inspiratie/spel-klaargezet.md",
    "bouwstenen/_index.md",
    "bouwstenen/coaching.md",
    "bouwstenen/cultuur.md",
    "bouwstenen/innovatie.md",
    "bouwstenen/monitoring-en-evaluatie.md",
    "bouwstenen/partnerschap-met-ouders.md",
    "bouwstenen/pedagogisch-leiderschap.md",
    "bouwstenen/pedagogisch-professionals.md",
    "bouwstenen/professionalisering.md",
    "bouwstenen/relatie-met-ketenpartners.md",
    "bouwstenen/structuur.md",
    "bouwstenen/team.md",
    "bouwstenen/visie-missie-doelen.md",
    "methodieken/_index.md",
    "methodieken/beginfoto-en-leervraag.md",
    "methodieken/casusbespreking.md",
    "methodieken/coachingsplan-schrijven.md",
    "methodieken/eindevaluatie-met-toekomstblik.md",
    "methodieken/intervisie.md",
    "methodieken/kindobservatie-met-oudergesprek.md",
    "methodieken/kleine-opdrachten-interesses-kinderen.md",
    "methodieken/meedraaien.md",
    "methodieken/observeren.md",
    "methodieken/pitstop.md",
    "methodieken/plan-do-check-act.md",
    "methodieken/reflectiemoment-pedagogische-middag.md",
    "methodieken/tempo-van-het-team-bewaken.md",
    "methodieken/voorleven.md",
    "methodieken/werkmoment.md",
];

/// The `kinds:` block of `site.yaml` per language: the Dutch one is the default
/// site's; the others name the kinds, their fields and their facet values in the
/// starter's language, the values its translated pages use.
const KINDS: [(&str, &str); 2] = [
    ("fr", include_str!("../../starter/fr/kinds.yaml")),
    ("en", include_str!("../../starter/en/kinds.yaml")),
];

const DESCRIPTIONS: [(&str, &str); 3] = [
    ("nl", "Inspiratie en reflectie van {organisation}"),
    ("fr", "Inspiration et réflexion de {organisation}"),
    ("en", "Inspiration and reflection from {organisation}"),
];

/// Writes a new site into `dir`, which must be empty or not exist yet. Returns the
/// number of files written.
pub fn init(dir: &Path, organisation: &str, language: &str) -> Result<usize, Diagnostic> {
    if !LANGUAGES.contains(&language) {
        return Err(Diagnostic::file(dir, Message::NoStarter { language: language.to_string() })
            .with_hint(Hint::ChooseOneOf { options: LANGUAGES.map(String::from).to_vec() }));
    }
    refuse_non_empty(dir)?;
    let files = starter_files(organisation, language);
    for (path, text) in &files {
        let target = dir.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, text));
        written.map_err(|e| {
            let cause = e.to_string();
            Diagnostic::file(&target, Message::CannotDo { action: Action::Write, cause })
                .with_hint(Hint::MayWriteFolder)
        })?;
    }
    let _ = std::fs::create_dir_all(dir.join("static"));
    Ok(files.len())
}

fn refuse_non_empty(dir: &Path) -> Result<(), Diagnostic> {
    if dir.is_file() {
        return Err(Diagnostic::file(dir, Message::IsAFile).with_hint(Hint::NewFolderName));
    }
    let non_empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if non_empty {
        return Err(Diagnostic::file(dir, Message::FolderNotEmpty).with_hint(Hint::InitOnlyEmpty));
    }
    Ok(())
}

/// Every file of the starter: (path under the site folder, text).
fn starter_files(organisation: &str, language: &str) -> Vec<(String, String)> {
    let own: Vec<(&str, &str)> = OWN_PAGES
        .iter()
        .chain(TRANSLATED)
        .filter(|(lang, _, _)| *lang == language)
        .map(|&(_, path, text)| (path, text))
        .collect();
    let mut pages: Vec<(String, String)> = DEFAULT_CONTENT
        .iter()
        .filter(|(path, _)| taken_over(path) && !own.iter().any(|(p, _)| p == path))
        .chain(&own)
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
    let kept: HashSet<String> = pages.iter().map(|(path, _)| page_name(path)).collect();
    let titles = default_titles();
    for (path, text) in &mut pages {
        if path == VISION_TEMPLATE {
            *text = text
                .replace(
                    "te beginnen bij «naam van je organisatie»",
                    "de naam van je organisatie staat er al",
                )
                .replace("«naam van je organisatie»", "{organisation}");
        }
        *text = fill_in(&unlink(text, &kept, &titles), organisation);
    }
    let mut files = vec![
        ("site.yaml".to_string(), site_yaml(organisation, language)),
        (".gitignore".to_string(), "/public\n/.spiegel-cache\n".to_string()),
    ];
    files.extend(pages.into_iter().map(|(path, text)| (format!("content/{path}"), text)));
    files
}

/// The name a wiki link uses for a page: its file name, or its folder for `_index.md`.
fn page_name(path: &str) -> String {
    let path = path.trim_end_matches(".md");
    let path = path.strip_suffix("/_index").unwrap_or(path);
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// The title of every default page, by name: what a link left without target shows.
fn default_titles() -> HashMap<String, String> {
    DEFAULT_CONTENT
        .iter()
        .filter_map(|(path, text)| {
            let yaml = frontmatter::split(text).ok()?.yaml?;
            let map = frontmatter::parse(yaml, 2, Path::new(path)).ok()?;
            Some((page_name(path), map.get("title")?.as_str()?.to_string()))
        })
        .collect()
}

/// Replaces wiki links to pages that are not `kept` by their label or target's title.
fn unlink(text: &str, kept: &HashSet<String>, titles: &HashMap<String, String>) -> String {
    let body_start = frontmatter::split(text).map_or(0, |s| s.body_start);
    let body = &text[body_start..];
    let mut replacements = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let Event::Start(Tag::Link {
            link_type: LinkType::WikiLink { has_pothole }, dest_url, ..
        }) = event
        else {
            continue;
        };
        let target = dest_url.split('#').next().unwrap_or_default();
        let name = target.rsplit('/').next().unwrap_or(target);
        if kept.contains(name) {
            continue;
        }
        let written = &body[range.clone()];
        let label = match written.trim_start_matches("[[").trim_end_matches("]]").split_once('|') {
            Some((_, label)) if has_pothole => label.to_string(),
            _ => titles.get(name).cloned().unwrap_or_else(|| name.to_string()),
        };
        replacements.push((range, label));
    }
    let mut out = text.to_string();
    for (range, label) in replacements.into_iter().rev() {
        out.replace_range(body_start + range.start..body_start + range.end, &label);
    }
    out
}

/// Puts the organisation's name in: escaped in the front matter (where the starter's
/// texts quote it), as it is in the body.
fn fill_in(text: &str, organisation: &str) -> String {
    let body_start = frontmatter::split(text).map_or(0, |s| s.body_start);
    let quoted = yaml_quoted(organisation);
    let escaped = &quoted[1..quoted.len() - 1];
    let (front, body) = text.split_at(body_start);
    format!(
        "{}{}",
        front.replace("{organisation}", escaped),
        body.replace("{organisation}", organisation)
    )
}

/// The default `site.yaml` with the site's own title, description, language and name.
fn site_yaml(organisation: &str, language: &str) -> String {
    let name = yaml_quoted(organisation);
    let description = DESCRIPTIONS
        .iter()
        .find(|(lang, _)| *lang == language)
        .map_or(String::new(), |(_, d)| d.replace("{organisation}", organisation));
    let mut out = String::from(
        "# The settings of this site. Everything here can be changed without touching Rust.\n",
    );
    let kinds = KINDS.iter().find(|(lang, _)| *lang == language).map(|(_, kinds)| *kinds);
    for line in DEFAULT_SITE_YAML.lines().skip(1) {
        if let Some(kinds) = kinds.filter(|_| line.starts_with("kinds:")) {
            out.push_str(kinds);
            break;
        }
        let replaced = match line {
            l if l.starts_with("title:") => format!("title: {name}"),
            l if l.starts_with("description:") => {
                format!("description: {}", yaml_quoted(&description))
            }
            l if l.starts_with("language:") => format!("language: {language}"),
            l if l.starts_with("  name:") => format!("  name: {name}"),
            l if l.starts_with("  footer:") => format!("  footer: {name}"),
            l => l.to_string(),
        };
        out.push_str(&replaced);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_pages_left_out_become_text() {
        let kept: HashSet<String> = ["coaching".to_string()].into();
        let titles: HashMap<String, String> =
            [("fantasiespel".into(), "Fantasiespel".into())].into();
        let text = "---\ntitle: \"[[x]]\"\n---\nZie [[coaching]], [[fantasiespel]], [[fantasiespel|dit verhaal]] en [[inspiratie/fantasiespel#kop]]. `[[code]]`\n";
        assert_eq!(
            unlink(text, &kept, &titles),
            "---\ntitle: \"[[x]]\"\n---\nZie [[coaching]], Fantasiespel, dit verhaal en Fantasiespel. `[[code]]`\n"
        );
    }

    #[test]
    fn the_name_is_escaped_in_front_matter_only() {
        let text = "---\ntitle: \"{organisation}\"\n---\nWelkom bij {organisation}.\n";
        assert_eq!(
            fill_in(text, "De \"Zon\""),
            "---\ntitle: \"De \\\"Zon\\\"\"\n---\nWelkom bij De \"Zon\".\n"
        );
    }

    #[test]
    fn site_yaml_has_the_organisation() {
        let yaml = site_yaml("Kinderopvang De Zon", "fr");
        let config = crate::config::parse(&yaml, Path::new("site.yaml")).unwrap();
        assert_eq!(config.title, "Kinderopvang De Zon");
        assert_eq!(config.organisation.name, "Kinderopvang De Zon");
        assert_eq!(config.language, "fr");
        assert_eq!(config.description, "Inspiration et réflexion de Kinderopvang De Zon");
        assert_eq!(config.kinds().count(), 4);
        let method = config.kinds().find(|k| k.name == "method").unwrap();
        assert_eq!(method.singular, "Méthode");
    }
}
