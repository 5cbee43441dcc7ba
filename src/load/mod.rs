//! Loading: walk `content/`, read every Markdown file, split and validate its front
//! matter, and decide each page's kind, slug and output place.
//!
//! Takes the [`Config`] and the site root; hands on a [`Site`]: every page with its text
//! and typed values, plus the non-Markdown files under `content/` to copy. Reading and
//! parsing run in parallel; the result is in a stable order (sorted by path).

pub mod frontmatter;
pub mod release;
mod validate;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::config::{Config, Kind};
use crate::diag::{Diagnostic, Diagnostics, Hint, LineIndex, Message};
use crate::slug::slugify;
use validate::{validate, Place};

/// The folder under the site root that holds the Markdown.
pub const CONTENT_DIR: &str = "content";

/// What a page is for; decides its template and what it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `content/_index.md`.
    Home,
    /// The `_index.md` of a kind's folder, or a generated one: lists the kind's entries.
    KindIndex,
    /// The `_index.md` of another folder.
    Section,
    /// A page in a kind's folder.
    Entry,
    /// Any other Markdown page.
    Page,
    /// The generated list of all pages that the search field leads to without JavaScript.
    SearchIndex,
}

/// A reference-field value to resolve in `link`, with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub field: String,
    pub target: String,
    /// The kind the target must be.
    pub kind: String,
    pub line: usize,
    pub col: usize,
}

/// One page, as loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Site-relative source path (`content/inspiratie/x.md`); empty for a generated page.
    pub source: PathBuf,
    /// The whole file, for positions in diagnostics.
    pub text: String,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    pub role: Role,
    /// Name of the page's kind, for entries and kind indexes.
    pub kind: Option<String>,
    pub slug: String,
    /// The name a link can always use: `inspiratie/x`, `inspiratie` for its folder page,
    /// `` for the home page.
    pub key: String,
    /// Site-relative folder of the output: `inspiratie/x/`; empty for the home page.
    pub url: String,
    pub title: String,
    pub date: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub weight: Option<f64>,
    /// Kind fields (validated) and any other front matter, for templates.
    pub fields: Map<String, Value>,
    pub references: Vec<Reference>,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A file under `content/` that is not Markdown: copied to the same place in the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    pub output: String,
}

/// Everything `load` found.
#[derive(Debug, Default)]
pub struct Site {
    /// Sorted by url. Shared (`Arc`) so that a rebuild keeps the pages it did not reload.
    pub pages: Vec<Arc<Page>>,
    pub assets: Vec<Asset>,
}

/// One file under `content/` as loading found it, by its path under `content/`.
#[derive(Debug, Clone)]
pub enum Entry {
    /// A Markdown file: its page (none for a draft or a file that failed), and problems.
    Markdown {
        page: Option<Arc<Page>>,
        problems: Vec<Diagnostic>,
    },
    Asset(Asset),
    /// A file or folder that could not be read.
    Unreadable(Diagnostic),
}

/// The files of `content/`, by path under `content/`.
pub type Entries = BTreeMap<String, Entry>;

/// Loads every page under `ROOT/content`. Problems are pushed to `diagnostics`; pages
/// with problems are still returned where possible, so later stages can report theirs.
pub fn load(root: &Path, config: &Config, diagnostics: &mut Diagnostics) -> Site {
    site_from(&read_tree(root, "", config), config, diagnostics)
}

/// Reads the files under `ROOT/content/PREFIX` (a file or a folder; all of `content/`
/// for an empty prefix). Hidden files are left out, as is a prefix that does not exist.
pub fn read_tree(root: &Path, prefix: &str, config: &Config) -> Entries {
    let content = root.join(CONTENT_DIR);
    let mut entries = Entries::new();
    if prefix.split('/').any(|part| part.starts_with('.')) {
        return entries;
    }
    if prefix.is_empty() && !content.is_dir() {
        let d =
            Diagnostic::file(CONTENT_DIR, Message::NoContentFolder).with_hint(Hint::CreateContent);
        entries.insert(String::new(), Entry::Unreadable(d));
        return entries;
    }
    let start = content.join(prefix);
    if std::fs::symlink_metadata(&start).is_err() {
        return entries;
    }
    let markdown = walk(root, &start, &content, &mut entries);
    let loaded: Vec<(String, Entry)> = markdown
        .into_par_iter()
        .map(|(abs, rel)| {
            let (page, problems) = load_file(&abs, &rel, config);
            (rel, Entry::Markdown { page: page.map(Arc::new), problems })
        })
        .collect();
    entries.extend(loaded);
    entries
}

/// The site of the loaded files: pages in url order, generated indexes added, clashes
/// reported.
pub fn site_from(entries: &Entries, config: &Config, diagnostics: &mut Diagnostics) -> Site {
    let mut pages = Vec::with_capacity(entries.len());
    let mut assets = Vec::new();
    for entry in entries.values() {
        match entry {
            Entry::Markdown { page, problems } => {
                diagnostics.extend(problems.iter().cloned());
                pages.extend(page.iter().cloned());
            }
            Entry::Asset(asset) => assets.push(asset.clone()),
            Entry::Unreadable(d) => diagnostics.push(d.clone()),
        }
    }
    add_missing_indexes(&mut pages, config);
    check_duplicates(&pages, diagnostics);
    Site { pages, assets }
}

/// Markdown files (absolute path, path under `content/`) under `start`, sorted; other
/// files and unreadable ones go straight into `entries`.
fn walk(
    root: &Path,
    start: &Path,
    content: &Path,
    entries: &mut Entries,
) -> Vec<(PathBuf, String)> {
    let mut markdown = Vec::new();
    let under_content = |path: &Path| {
        path.strip_prefix(content).unwrap_or(path).to_string_lossy().replace('\\', "/")
    };
    // Links are followed (walkdir notices loops), but never out of the site: a link to
    // a folder elsewhere would publish whatever is there.
    let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let outside = std::cell::RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(start).follow_links(true).sort_by_file_name().into_iter();
    let walker = walker.filter_entry(|e| {
        let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
        let leaves = e.depth() > 0
            && e.path_is_symlink()
            && std::fs::canonicalize(e.path()).is_ok_and(|real| !real.starts_with(&site));
        if leaves {
            outside.borrow_mut().push(e.path().to_path_buf());
        }
        !hidden && !leaves
    });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(start);
                entries.insert(under_content(path), Entry::Unreadable(walk_error(root, &e)));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel_to_content = entry.path().strip_prefix(content).unwrap_or(entry.path());
        let Some(rel) = rel_to_content.to_str().map(|s| s.replace('\\', "/")) else {
            let d = Diagnostic::file(relative(root, entry.path()), Message::FileNameNotUtf8)
                .with_hint(Hint::RenameFile);
            entries.insert(under_content(entry.path()), Entry::Unreadable(d));
            continue;
        };
        if rel.ends_with(".md") {
            markdown.push((entry.path().to_path_buf(), rel));
        } else {
            let asset = Asset { source: entry.path().to_path_buf(), output: rel.clone() };
            entries.insert(rel, Entry::Asset(asset));
        }
    }
    for path in outside.into_inner() {
        let d = Diagnostic::file(relative(root, &path), Message::LinkOutsideSite)
            .with_hint(Hint::CopyIntoSite);
        entries.insert(under_content(&path), Entry::Unreadable(d));
    }
    markdown
}

fn walk_error(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let path = error.path().map_or_else(|| PathBuf::from(CONTENT_DIR), |p| relative(root, p));
    if error.loop_ancestor().is_some() {
        return Diagnostic::file(path, Message::LinkLoop).with_hint(Hint::RemoveLoopLink);
    }
    let cause = error.io_error().map_or_else(|| error.to_string(), |io| io.to_string());
    Diagnostic::file(path, Message::CannotReadFile { cause }).with_hint(Hint::CheckFileOrLink)
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Reads and validates one Markdown file; `rel` is its path under `content/`.
fn load_file(abs: &Path, rel: &str, config: &Config) -> (Option<Page>, Vec<Diagnostic>) {
    match std::fs::read(abs) {
        Ok(bytes) => load_page(rel, bytes, config),
        Err(e) => {
            let d = Diagnostic::file(
                Path::new(CONTENT_DIR).join(rel),
                Message::CannotReadFile { cause: e.to_string() },
            )
            .with_hint(Hint::CheckFile);
            (None, vec![d])
        }
    }
}

/// Loads one Markdown file from its bytes; `rel` is its path under `content/`. A draft,
/// or a file whose front matter cannot be read, gives no page.
pub fn load_page(rel: &str, bytes: Vec<u8>, config: &Config) -> (Option<Page>, Vec<Diagnostic>) {
    let source = Path::new(CONTENT_DIR).join(rel);
    let mut problems = Vec::new();
    let text = match decode_text(bytes, &source) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(frontmatter::Unclosed) => {
            let d = Diagnostic::new(&source, 1, 1, Message::FrontMatterNotClosed)
                .with_hint(Hint::CloseFrontMatter)
                .with_source(&text);
            return (None, vec![d]);
        }
    };
    let map = match split.yaml.map(|yaml| frontmatter::parse(yaml, split.yaml_line, &source)) {
        Some(Ok(map)) => map,
        Some(Err(d)) => return (None, vec![d.with_source(&text)]),
        None => Map::new(),
    };
    let placement = Placement::of(rel, config);
    let kind = placement.kind_name.as_deref().and_then(|k| config.kind(k));
    let lines = LineIndex::new(&text);
    let place = Place {
        path: &source,
        text: &text,
        yaml: split.yaml.unwrap_or(""),
        yaml_line: split.yaml_line,
        lines: &lines,
        unlisted: Default::default(),
    };
    let entry_kind = kind.filter(|_| placement.role == Role::Entry);
    let validated = validate(map, entry_kind, &place, &mut problems);
    if validated.common.draft {
        return (None, problems);
    }
    let common = validated.common;
    let body = &text[split.body_start..];
    let slug = common.slug.clone().unwrap_or_else(|| placement.default_slug.clone());
    let title = common
        .title
        .clone()
        .or_else(|| first_heading(body))
        .unwrap_or_else(|| title_from_slug(&placement, kind));
    let (key, url) = placement.key_and_url(&slug);
    let page = Page {
        source,
        body_start: split.body_start,
        role: placement.role,
        kind: placement.kind_name.clone(),
        slug,
        key,
        url,
        title,
        date: common.date,
        summary: common.summary,
        tags: common.tags,
        weight: common.weight,
        fields: validated.fields,
        references: validated.references,
        text,
    };
    (Some(page), problems)
}

/// The file's text without a byte order mark; invalid UTF-8 is a positioned error.
fn decode_text(mut bytes: Vec<u8>, source: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = &bytes[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let col = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostic::new(source, line, col, Message::NotUtf8Text).with_hint(Hint::SaveAsUtf8)
    })
}

/// Where a file sits: its role, kind and the parts of its output path.
struct Placement {
    role: Role,
    kind_name: Option<String>,
    /// The folder under `content/`, without trailing slash (`inspiratie`, or ``).
    folder: String,
    default_slug: String,
}

impl Placement {
    fn of(rel: &str, config: &Config) -> Placement {
        let (folder, file) = rel.rsplit_once('/').unwrap_or(("", rel));
        let stem = file.trim_end_matches(".md");
        let top = folder.split('/').next().unwrap_or("");
        let kind = config.kind_for_folder(top);
        let is_index = stem == "_index";
        let role = match (is_index, folder.is_empty(), kind) {
            (true, true, _) => Role::Home,
            (true, false, Some(k)) if k.folder == folder => Role::KindIndex,
            (true, false, _) => Role::Section,
            (false, _, Some(_)) => Role::Entry,
            (false, _, None) => Role::Page,
        };
        let default_slug =
            if is_index { slugify(folder.rsplit('/').next().unwrap_or("")) } else { slugify(stem) };
        Placement {
            role,
            kind_name: kind.map(|k| k.name.clone()),
            folder: folder.to_string(),
            default_slug,
        }
    }

    fn key_and_url(&self, slug: &str) -> (String, String) {
        match self.role {
            Role::Home => (String::new(), String::new()),
            Role::KindIndex | Role::Section => (self.folder.clone(), format!("{}/", self.folder)),
            Role::SearchIndex => (slug.to_string(), format!("{slug}/")),
            Role::Entry | Role::Page if self.folder.is_empty() => {
                (slug.to_string(), format!("{slug}/"))
            }
            Role::Entry | Role::Page => {
                (format!("{}/{slug}", self.folder), format!("{}/{slug}/", self.folder))
            }
        }
    }
}

fn title_from_slug(placement: &Placement, kind: Option<&Kind>) -> String {
    match (placement.role, kind) {
        (Role::KindIndex, Some(kind)) => kind.plural.clone(),
        _ => {
            let words = placement.default_slug.replace('-', " ");
            let mut chars = words.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// The text of the first heading, ATX (`# Titel`) or setext, outside code.
fn first_heading(body: &str) -> Option<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut title: Option<String> = None;
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Heading { .. }) => title = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(title) = title.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => return title.filter(|t| !t.trim().is_empty()),
            _ => {}
        }
    }
    None
}

/// Kind folders without `_index.md` still get an index page; a site without
/// `content/_index.md` still gets a home page.
fn add_missing_indexes(pages: &mut Vec<Arc<Page>>, config: &Config) {
    let mut generated = Vec::new();
    if !pages.iter().any(|p| p.role == Role::Home) {
        generated.push(generated_page(Role::Home, None, String::new(), config.title.clone()));
    }
    for kind in config.kinds() {
        let has_index = pages
            .iter()
            .any(|p| p.role == Role::KindIndex && p.kind.as_deref() == Some(kind.name.as_str()));
        if !has_index {
            generated.push(generated_page(
                Role::KindIndex,
                Some(kind),
                kind.folder.clone(),
                kind.plural.clone(),
            ));
        }
    }
    let (slug, title) = search_page_name(&config.language);
    let url = format!("{slug}/");
    if !pages.iter().any(|p| p.url == url) {
        generated.push(generated_page(
            Role::SearchIndex,
            None,
            slug.to_string(),
            title.to_string(),
        ));
    }
    pages.extend(generated.into_iter().map(Arc::new));
    pages.sort_by(|a, b| a.url.cmp(&b.url));
}

/// The slug and title of the search page in the site's language.
pub fn search_page_name(language: &str) -> (&'static str, &'static str) {
    match language {
        "fr" => ("recherche", "Recherche"),
        "en" => ("search", "Search"),
        _ => ("zoeken", "Zoeken"),
    }
}

fn generated_page(role: Role, kind: Option<&Kind>, folder: String, title: String) -> Page {
    let url = if folder.is_empty() { String::new() } else { format!("{folder}/") };
    Page {
        source: PathBuf::new(),
        text: String::new(),
        body_start: 0,
        role,
        kind: kind.map(|k| k.name.clone()),
        slug: slugify(&folder),
        key: folder,
        url,
        title,
        date: None,
        summary: None,
        tags: Vec::new(),
        weight: None,
        fields: Map::new(),
        references: Vec::new(),
    }
}

/// Two pages with the same output place: the second is an error.
fn check_duplicates(pages: &[Arc<Page>], diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    let mut clashes: BTreeMap<PathBuf, Diagnostic> = BTreeMap::new();
    for page in pages {
        let page: &Page = page;
        if let Some(first) = seen.insert(&page.url, page) {
            let (earlier, later) =
                if first.source < page.source { (first, page) } else { (page, first) };
            let d = Diagnostic::new(
                &later.source,
                1,
                1,
                Message::DuplicateSlug {
                    slug: later.slug.clone(),
                    other: earlier.source.display().to_string(),
                },
            )
            .with_hint(Hint::OtherNameOrSlug);
            clashes.insert(later.source.clone(), d);
        }
    }
    diagnostics.extend(clashes.into_values());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_heading_skips_code() {
        assert_eq!(
            first_heading("```\n# not\n```\n\n## Echte titel\n"),
            Some("Echte titel".into())
        );
        assert_eq!(first_heading("Titel\n=====\n"), Some("Titel".into()));
        assert_eq!(first_heading("geen kop"), None);
    }
}
