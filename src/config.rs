//! `site.yaml`: the site's settings and its content kinds, as typed structs.
//!
//! Reads and checks the file once and hands a [`Config`] to every later stage. Kinds are
//! data: a site declares its folders, labels, templates and typed fields here. A site
//! without `kinds:` gets the four default kinds of the repository's own `site.yaml`.
//! serde_yaml is used here and in `load::frontmatter` only.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Diagnostics, Hint, Message, YamlDetail};
use crate::slug::{slugify, suggestion};

/// The file name of a site's settings.
pub const FILE_NAME: &str = "site.yaml";

/// The default site's settings, whose kinds a site without `kinds:` inherits.
const DEFAULT_SITE_YAML: &str = include_str!("../site.yaml");

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Where the site will be published, e.g. `https://example.org/inspiratie/`.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Link to folders (`a/b/`) instead of files (`a/b/index.html`); only with `base_url`,
    /// since clean URLs do not work from `file://`.
    #[serde(default)]
    pub clean_urls: bool,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub organisation: Organisation,
    #[serde(default)]
    pub kinds: Option<IndexMap<String, Kind>>,
    /// Which kind's pages form the graph drawn on the home page and their own pages.
    #[serde(default = "default_graph_kind")]
    pub graph_kind: String,
    #[serde(default)]
    pub search: SearchSettings,
    /// What raw HTML in Markdown may do.
    #[serde(default)]
    pub html: HtmlPolicy,
    /// Free values for templates (`site.extra.x`).
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The text of `site.yaml`, for positions in later diagnostics.
    #[serde(skip)]
    pub source_text: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchSettings {
    /// Groups of words that find each other, e.g. `[kinderopvang, kinderdagverblijf, crèche]`.
    /// Without it, the language's default groups.
    #[serde(default)]
    pub synonyms: Option<Vec<Vec<String>>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    #[serde(default)]
    pub name: String,
    /// A file in `static/`.
    #[serde(default)]
    pub logo: Option<String>,
    #[serde(default)]
    pub colours: Colours,
    #[serde(default)]
    pub footer: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    #[serde(default = "default_primary")]
    pub primary: String,
}

impl Default for Colours {
    fn default() -> Self {
        Colours { primary: default_primary() }
    }
}

/// Raw HTML in Markdown: cleaned to an allow-list unless the site trusts its authors.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HtmlPolicy {
    /// Clean raw HTML (no scripts, event handlers, `javascript:` URLs...). Switch off
    /// only for a site whose every author is trusted.
    #[serde(default = "default_true")]
    pub sanitize: bool,
    /// Origins whose pages may be embedded with `<iframe>`, e.g.
    /// `https://www.youtube-nocookie.com`.
    #[serde(default)]
    pub allow_iframe_origins: Vec<String>,
}

impl Default for HtmlPolicy {
    fn default() -> Self {
        HtmlPolicy { sanitize: true, allow_iframe_origins: Vec::new() }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    /// Filled in from the key under `kinds:`.
    #[serde(skip_deserializing)]
    pub name: String,
    /// Folder under `content/`.
    pub folder: String,
    pub singular: String,
    pub plural: String,
    #[serde(default = "default_template")]
    pub template: String,
    #[serde(default = "default_index_template")]
    pub index_template: String,
    /// A field to order the kind's pages by; a leading `-` sorts descending.
    /// Without it: `weight`, then title.
    #[serde(default)]
    pub sort_by: Option<String>,
    /// The slug of a page that shows every entry of the kind, for printing (`boek` gives
    /// `inspiratie/boek/`); no such page without it.
    #[serde(default)]
    pub book: Option<String>,
    #[serde(default)]
    pub fields: IndexMap<String, Field>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    #[serde(rename = "type")]
    pub ty: FieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub facet: bool,
    #[serde(default)]
    pub label: Option<String>,
    /// Allowed values of a `one_of`, or of each item of a `list`.
    #[serde(default)]
    pub values: Option<Vec<String>>,
    /// The kind a `reference` points at.
    #[serde(default)]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Number,
    Date,
    List,
    OneOf,
    Reference,
    Bool,
}

fn default_true() -> bool {
    true
}
fn default_language() -> String {
    "nl".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_primary() -> String {
    "#1f5f7a".into()
}
fn default_template() -> String {
    "page.html".into()
}
fn default_index_template() -> String {
    "kind_index.html".into()
}
fn default_graph_kind() -> String {
    "building_block".into()
}

impl Config {
    /// The declared kinds, in the order of `site.yaml`.
    pub fn kinds(&self) -> impl Iterator<Item = &Kind> {
        self.kinds.iter().flat_map(|k| k.values())
    }

    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.kinds.as_ref().and_then(|k| k.get(name))
    }

    /// The kind whose folder is `folder` (the first path component under `content/`).
    pub fn kind_for_folder(&self, folder: &str) -> Option<&Kind> {
        self.kinds().find(|k| k.folder == folder)
    }
}

impl Field {
    pub fn label_or<'a>(&'a self, name: &'a str) -> &'a str {
        self.label.as_deref().unwrap_or(name)
    }
}

/// Reads `ROOT/site.yaml`.
pub fn load(root: &Path) -> Result<Config, Diagnostics> {
    let path = root.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Diagnostic::file(FILE_NAME, Message::CannotReadSettings { cause: e.to_string() })
            .with_hint(Hint::RunInSiteFolder { path: path.display().to_string() })
    })?;
    parse(&text, Path::new(FILE_NAME))
}

/// Parses and checks the text of a `site.yaml`; `path` is used in diagnostics.
pub fn parse(text: &str, path: &Path) -> Result<Config, Diagnostics> {
    let mut config: Config =
        serde_yaml::from_str(text).map_err(|e| yaml_diagnostic(&e, text, path))?;
    if config.kinds.is_none() {
        let defaults: Config =
            serde_yaml::from_str(DEFAULT_SITE_YAML).expect("the built-in site.yaml is valid");
        config.kinds = defaults.kinds;
    }
    config.source_text = text.to_string();
    for (name, kind) in config.kinds.iter_mut().flatten() {
        kind.name = name.clone();
    }
    let mut diagnostics = Diagnostics::new();
    check(&config, text, path, &mut diagnostics);
    diagnostics.into_result(config)
}

/// A theme's UI strings in one language: key → text, in the file's order.
pub type Strings = IndexMap<String, String>;

/// Parses a language file (`themes/default/i18n/nl.yaml`): a flat map of keys to texts.
/// `path` is used in diagnostics.
pub fn parse_strings(text: &str, path: &Path) -> Result<Strings, Diagnostic> {
    let strings: Option<Strings> =
        serde_yaml::from_str(text).map_err(|e| yaml_diagnostic(&e, text, path))?;
    Ok(strings.unwrap_or_default())
}

fn yaml_diagnostic(error: &serde_yaml::Error, text: &str, path: &Path) -> Diagnostic {
    let (line, col) = crate::load::frontmatter::yaml_error_position(error, text);
    let message = error.to_string();
    // serde_yaml appends " at line L column C"; the position is already in front.
    let detail = YamlDetail::parse(message.split(" at line ").next().unwrap_or(&message));
    Diagnostic::new(path, line, col, Message::YamlSyntax { detail })
        .with_hint(Hint::CheckYamlForm)
        .with_source(text)
}

/// Semantic checks serde cannot make: references to kinds, values of `one_of`, folders.
fn check(config: &Config, text: &str, path: &Path, out: &mut Diagnostics) {
    let kind_names: Vec<&str> = config.kinds().map(|k| k.name.as_str()).collect();
    let mut folders: Vec<&str> = Vec::new();
    for kind in config.kinds() {
        let at = |key: &str| locate(text, &[&kind.name, key]);
        if folders.contains(&kind.folder.as_str()) {
            out.push(
                error_at(
                    path,
                    text,
                    at("folder"),
                    Message::FolderUsedTwice { folder: kind.folder.clone() },
                )
                .with_hint(Hint::OwnFolderPerKind),
            );
        }
        folders.push(&kind.folder);
        if let Some(book) = kind.book.as_deref().filter(|b| b.is_empty() || slugify(b) != *b) {
            out.push(
                error_at(path, text, at("book"), Message::InvalidSlug { value: book.to_string() })
                    .with_hint(Hint::WriteBook { slug: slugify_or(book, "boek") }),
            );
        }
        check_folder(kind, text, path, out);
        for (name, field) in &kind.fields {
            let field_at = || locate(text, &[&kind.name, name]);
            match field.ty {
                FieldType::OneOf if field.values.as_ref().is_none_or(Vec::is_empty) => {
                    out.push(
                        error_at(
                            path,
                            text,
                            field_at(),
                            Message::OneOfWithoutValues { field: name.clone() },
                        )
                        .with_hint(Hint::AddValues),
                    );
                }
                FieldType::Reference => match &field.kind {
                    None => out.push(
                        error_at(
                            path,
                            text,
                            field_at(),
                            Message::ReferenceWithoutKind { field: name.clone() },
                        )
                        .with_hint(Hint::AddKind),
                    ),
                    Some(target) if !kind_names.contains(&target.as_str()) => out.push(
                        error_at(
                            path,
                            text,
                            field_at(),
                            Message::NoKind {
                                name: target.clone(),
                                suggestion: suggestion(target, kind_names.iter().copied()),
                            },
                        )
                        .with_hint(Hint::KindsOfSite {
                            kinds: kind_names.iter().map(|k| k.to_string()).collect(),
                        }),
                    ),
                    Some(_) => {}
                },
                _ => {}
            }
        }
    }
    if !kind_names.contains(&config.graph_kind.as_str())
        && !kind_names.is_empty()
        && config.graph_kind != default_graph_kind()
    {
        out.push(error_at(
            path,
            text,
            locate(text, &["graph_kind"]),
            Message::NoKind { name: config.graph_kind.clone(), suggestion: None },
        ));
    }
    check_iframe_origins(&config.html, text, path, out);
    if config.clean_urls && config.base_url.is_none() {
        out.push(
            error_at(path, text, locate(text, &["clean_urls"]), Message::CleanUrlsNeedBaseUrl)
                .with_hint(Hint::CleanUrls),
        );
    }
}

fn slugify_or(text: &str, fallback: &str) -> String {
    Some(slugify(text)).filter(|s| !s.is_empty()).unwrap_or_else(|| fallback.to_string())
}

/// A kind's folder is one folder name under `content/`: its index page is written to
/// that folder of the output, so `..` or `/` would write outside it.
fn check_folder(kind: &Kind, text: &str, path: &Path, out: &mut Diagnostics) {
    let folder = kind.folder.as_str();
    let plain = !folder.is_empty()
        && !folder.starts_with('.')
        && !folder.contains(['/', '\\', ':'])
        && !folder.chars().any(char::is_control);
    if !plain {
        out.push(
            error_at(
                path,
                text,
                locate(text, &[&kind.name, "folder"]),
                Message::KindFolderNotPlain { kind: kind.name.clone(), folder: folder.to_string() },
            )
            .with_hint(Hint::FolderUnderContent),
        );
    }
}

/// Every allowed iframe origin is `https://host` (or http, with a port if needed).
fn check_iframe_origins(html: &HtmlPolicy, text: &str, path: &Path, out: &mut Diagnostics) {
    for origin in &html.allow_iframe_origins {
        let trimmed = origin.trim_end_matches('/');
        if crate::markdown::origin(trimmed).is_none_or(|o| !o.eq_ignore_ascii_case(trimmed)) {
            out.push(
                error_at(
                    path,
                    text,
                    locate(text, &["html", "allow_iframe_origins"]),
                    Message::NotAnOrigin { origin: origin.clone() },
                )
                .with_hint(Hint::OriginForm),
            );
        }
    }
}

fn error_at(path: &Path, text: &str, (line, col): (usize, usize), message: Message) -> Diagnostic {
    Diagnostic::new(PathBuf::from(path), line, col, message).with_source(text)
}

/// The position of a nested key (`kinds: → method: → fase:`), found by indentation.
/// Falls back to the nearest parent found, then to 1:1.
pub(crate) fn locate(text: &str, keys: &[&str]) -> (usize, usize) {
    let mut found = (1, 1);
    let mut min_indent = 0;
    let mut lines = text.lines().enumerate();
    for key in keys {
        let wanted = format!("{key}:");
        let hit = lines.by_ref().find(|(_, line)| {
            let indent = line.len() - line.trim_start().len();
            indent >= min_indent && line.trim_start().starts_with(&wanted)
        });
        match hit {
            Some((n, line)) => {
                let indent = line.len() - line.trim_start().len();
                found = (n + 1, indent + 1);
                min_indent = indent + 1;
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_site_yaml_parses() {
        let config = parse(DEFAULT_SITE_YAML, Path::new("site.yaml")).unwrap();
        let names: Vec<&str> = config.kinds().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["building_block", "inspiration", "vision", "method"]);
        assert_eq!(config.kind_for_folder("methodieken").unwrap().name, "method");
    }

    #[test]
    fn missing_kinds_get_defaults() {
        let config = parse("title: X\n", Path::new("site.yaml")).unwrap();
        assert_eq!(config.kinds().count(), 4);
        assert_eq!(config.language, "nl");
    }

    #[test]
    fn unknown_key_is_positioned() {
        let err = parse("title: X\ntitel: Y\n", Path::new("site.yaml")).unwrap_err();
        let d = err.into_sorted().remove(0);
        assert_eq!((d.line, d.col), (2, 1), "{}", d.message.text(crate::diag::Lang::En));
        assert!(
            d.message.text(crate::diag::Lang::En).starts_with("unknown field `titel`"),
            "{}",
            d.message.text(crate::diag::Lang::En)
        );
    }

    #[test]
    fn language_files_are_flat_maps() {
        let strings = parse_strings("a: Een\nb: \"Twee: {n}\"\n", Path::new("nl.yaml")).unwrap();
        assert_eq!(strings.get("b").map(String::as_str), Some("Twee: {n}"));
        assert!(parse_strings("", Path::new("nl.yaml")).unwrap().is_empty());
        let d = parse_strings("a: Een\nb:\n  c: d\n", Path::new("i18n/nl.yaml")).unwrap_err();
        assert_eq!(d.line, 3, "{}", d.message.text(crate::diag::Lang::En));
    }

    #[test]
    fn book_must_be_a_slug() {
        let text = "title: X\nkinds:\n  a:\n    folder: a\n    singular: A\n    plural: As\n    book: Het Boek\n";
        let d = parse(text, Path::new("site.yaml")).unwrap_err().into_sorted().remove(0);
        assert_eq!(
            d.headline(crate::diag::Lang::En),
            "site.yaml:7:5: \"Het Boek\" is not a valid slug"
        );
        assert_eq!(d.hint_text(crate::diag::Lang::En).as_deref(), Some("write `book: het-boek`"));
    }

    #[test]
    fn html_policy_and_its_checks() {
        let config = parse("title: X\n", Path::new("site.yaml")).unwrap();
        assert!(config.html.sanitize, "sanitising is on by default");
        let text = "title: X\nhtml:\n  sanitize: false\n  allow_iframe_origins:\n    - https://www.youtube-nocookie.com/\n    - https://x.org/embed\n";
        let d = parse(text, Path::new("site.yaml")).unwrap_err().into_sorted().remove(0);
        assert_eq!(
            d.headline(crate::diag::Lang::En),
            "site.yaml:4:3: \"https://x.org/embed\" is not an origin"
        );
        let d = parse("title: X\nhtml: { sanitise: false }\n", Path::new("site.yaml"))
            .unwrap_err()
            .into_sorted()
            .remove(0);
        assert!(
            d.message.text(crate::diag::Lang::En).contains("unknown field `sanitise`"),
            "{}",
            d.message.text(crate::diag::Lang::En)
        );
    }

    #[test]
    fn kind_folders_stay_under_content() {
        for folder in ["../uit", "a/b", ".verborgen", "\"\""] {
            let text = format!("title: X\nkinds:\n  note:\n    folder: {folder}\n    singular: N\n    plural: Ns\n");
            let d = parse(&text, Path::new("site.yaml")).unwrap_err().into_sorted().remove(0);
            assert_eq!(
                (d.line, d.col),
                (4, 5),
                "{folder}: {}",
                d.message.text(crate::diag::Lang::En)
            );
            assert!(
                d.message.text(crate::diag::Lang::En).contains("must be one folder name"),
                "{}",
                d.message.text(crate::diag::Lang::En)
            );
        }
    }

    #[test]
    fn reference_to_unknown_kind() {
        let text = "title: X\nkinds:\n  a:\n    folder: a\n    singular: A\n    plural: As\n    fields:\n      b: { type: reference, kind: methd }\n  method:\n    folder: m\n    singular: M\n    plural: Ms\n";
        let d = parse(text, Path::new("site.yaml")).unwrap_err().into_sorted().remove(0);
        assert_eq!(
            d.headline(crate::diag::Lang::En),
            "site.yaml:8:7: no kind \"methd\" (did you mean \"method\"?)"
        );
    }
}
