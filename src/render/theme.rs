//! The theme: Tera templates from `themes/<theme>/templates/`, each overridable by a
//! file of the same name in the site's `templates/`, and the static folders to copy.
//!
//! Takes the site root and config; hands on a compiled [`Theme`]. Every template is
//! parsed on its own first, so that all broken templates are reported in one run, each
//! at its file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::brand::{self, Brand};
use super::builtin::DEFAULT_THEME;
use super::i18n;
use crate::config::{Config, Strings};
use crate::diag::{Diagnostic, Diagnostics, Hint, Message};
use crate::write::Content;

/// Templates compiled once for the whole build.
pub struct Theme {
    pub tera: tera::Tera,
    /// Template name → the file it came from (site-relative), for diagnostics.
    pub sources: BTreeMap<String, PathBuf>,
    /// Template name → its text, for positions in render errors.
    pub texts: BTreeMap<String, String>,
    /// Files copied into the output: the theme's `static/`, then the site's (which wins).
    pub static_files: BTreeMap<String, Content>,
    /// The UI strings of the site's language (also behind the templates' `t()`).
    pub strings: Strings,
    /// The organisation's colours, contrast-checked.
    pub brand: Brand,
}

/// The folder of the site's theme.
pub fn theme_dir(root: &Path, config: &Config) -> PathBuf {
    root.join("themes").join(&config.theme)
}

/// Where built-in theme files say they come from in diagnostics.
const BUILT_IN: &str = "(built-in theme)";

pub fn load(root: &Path, config: &Config, diagnostics: &mut Diagnostics) -> Option<Theme> {
    let theme = theme_dir(root, config);
    let mut sources = BTreeMap::new();
    let mut texts = BTreeMap::new();
    let mut static_files = BTreeMap::new();
    let strings_source;
    if theme.join("templates").is_dir() {
        collect_templates(root, &theme.join("templates"), &mut sources, &mut texts, diagnostics);
        collect_static(&theme.join("static"), &mut static_files);
        strings_source = i18n::Source::Folder(&theme);
    } else if config.theme == "default" {
        strings_source = i18n::Source::BuiltIn(DEFAULT_THEME);
        for (path, text) in DEFAULT_THEME {
            if let Some(name) = path.strip_prefix("templates/") {
                texts.insert(name.to_string(), text.to_string());
                sources.insert(name.to_string(), Path::new(BUILT_IN).join(path));
            } else if let Some(name) = path.strip_prefix("static/") {
                static_files.insert(name.to_string(), Content::Bytes(text.as_bytes().to_vec()));
            }
        }
    } else {
        diagnostics.push(
            Diagnostic::file("site.yaml", Message::ThemeNotFound { theme: config.theme.clone() })
                .with_hint(Hint::ChooseTheme),
        );
        return None;
    }
    collect_templates(root, &root.join("templates"), &mut sources, &mut texts, diagnostics);
    collect_static(&root.join("static"), &mut static_files);
    let brand = brand::brand(config).map_err(|d| diagnostics.push(d)).ok();
    check_logo(config, &static_files, diagnostics);
    let strings = i18n::load(root, strings_source, config, diagnostics);
    let mut tera = compile(&texts, &sources, diagnostics)?;
    check_kind_templates(config, &tera, diagnostics);
    let (strings, defined_in) = strings?;
    i18n::check_keys(&texts, &sources, &strings, (&defined_in, &config.language), diagnostics);
    let language = config.language.clone();
    tera.register_function("t", i18n::Translate { strings: strings.clone(), language });
    Some(Theme { tera, sources, texts, static_files, strings, brand: brand? })
}

/// The logo must be one of the static files, or the page would show a broken image.
fn check_logo(
    config: &Config,
    static_files: &BTreeMap<String, Content>,
    diagnostics: &mut Diagnostics,
) {
    let Some(logo) = config.organisation.logo.as_deref() else { return };
    if !static_files.contains_key(logo.trim_start_matches('/')) {
        let (line, col) = crate::config::locate(&config.source_text, &["organisation", "logo"]);
        diagnostics.push(
            Diagnostic::new(
                crate::config::FILE_NAME,
                line,
                col,
                Message::LogoNotInStatic { logo: logo.to_string() },
            )
            .with_hint(Hint::PutLogoInStatic)
            .with_source(&config.source_text),
        );
    }
}

/// Parses every template on its own (so all broken ones are reported), then together.
fn compile(
    texts: &BTreeMap<String, String>,
    sources: &BTreeMap<String, PathBuf>,
    diagnostics: &mut Diagnostics,
) -> Option<tera::Tera> {
    let mut broken = false;
    for (name, text) in texts {
        if let Err(e) = tera::Template::new(name, None, text) {
            diagnostics.push(template_diagnostic(&sources[name], text, &e));
            broken = true;
        }
    }
    if broken {
        return None;
    }
    let mut tera = tera::Tera::default();
    // Every template, whatever its name ends with: a site may name a kind's template
    // `entry.htm`, and front matter must be escaped there too.
    tera.autoescape_on(vec![""]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("json_script", super::embed::JsonScript);
    if let Err(e) = tera.add_raw_templates(texts.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        diagnostics.push(
            Diagnostic::file("templates", Message::TemplatesDoNotFit { detail: error_chain(&e) })
                .with_hint(Hint::CheckTemplateNames),
        );
        return None;
    }
    Some(tera)
}

/// Every file under `dir`, by its path relative to `dir`.
fn collect_static(dir: &Path, files: &mut BTreeMap<String, Content>) {
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        if let Some(rel) = entry.path().strip_prefix(dir).ok().and_then(Path::to_str) {
            files.insert(rel.replace('\\', "/"), Content::Copy(entry.path().to_path_buf()));
        }
    }
}

fn collect_templates(
    root: &Path,
    dir: &Path,
    sources: &mut BTreeMap<String, PathBuf>,
    texts: &mut BTreeMap<String, String>,
    diagnostics: &mut Diagnostics,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        let Some(name) = entry
            .path()
            .strip_prefix(dir)
            .ok()
            .and_then(Path::to_str)
            .map(|n| n.replace('\\', "/"))
        else {
            continue;
        };
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => {
                texts.insert(name.clone(), text);
                sources.insert(name, rel);
            }
            Err(e) => diagnostics
                .push(Diagnostic::file(rel, Message::CannotReadTemplate { cause: e.to_string() })),
        }
    }
}

/// Escapes text for HTML text and quoted attributes. Unlike Tera's default it leaves
/// `/` alone, so hrefs stay readable in the output.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // The characters to escape are ASCII, so cutting at their bytes keeps the text's
    // characters whole; the runs between them are copied at once.
    let mut from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[from..at]);
        out.push_str(escaped);
        from = at + 1;
    }
    out.push_str(&text[from..]);
    out
}

/// Every kind's templates must exist.
fn check_kind_templates(config: &Config, tera: &tera::Tera, diagnostics: &mut Diagnostics) {
    let names: Vec<&str> = tera.get_template_names().collect();
    for kind in config.kinds() {
        for (key, template) in
            [("template", &kind.template), ("index_template", &kind.index_template)]
        {
            if !names.contains(&template.as_str()) {
                let (line, col) = crate::config::locate(&config.source_text, &[&kind.name, key]);
                diagnostics.push(
                    Diagnostic::new(
                        "site.yaml",
                        line,
                        col,
                        Message::KindTemplateMissing {
                            kind: kind.name.clone(),
                            template: template.clone(),
                        },
                    )
                    .with_hint(Hint::AddTemplate)
                    .with_source(&config.source_text),
                );
            }
        }
    }
}

/// Tera reports parse errors as ` --> line:col`; use that position.
fn template_diagnostic(path: &Path, text: &str, error: &tera::Error) -> Diagnostic {
    let chain = error_chain(error);
    let (line, col) = arrow_position(&chain).unwrap_or((1, 1));
    let message = chain
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("= "))
        .map(|l| l.trim_start()[2..].to_string());
    let detail = message.unwrap_or_else(|| chain.lines().next().unwrap_or("").to_string());
    Diagnostic::new(path, line, col, Message::TemplateError { detail })
        .with_hint(Hint::CheckTemplateTags)
        .with_source(text)
}

/// The error and all its causes, one per line.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push('\n');
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn arrow_position(text: &str) -> Option<(usize, usize)> {
    let after = &text[text.find("--> ")? + 4..];
    let end = after.find(|c: char| !(c.is_ascii_digit() || c == ':')).unwrap_or(after.len());
    let (line, col) = after[..end].split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters_and_keeps_every_other() {
        let text = "a&b<c>d\"e'f/g é ✓ 𝄞&";
        assert_eq!(escape_html(text), "a&amp;b&lt;c&gt;d&quot;e&#39;f/g é ✓ 𝄞&amp;");
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("niets"), "niets");
    }

    #[test]
    fn parse_errors_are_positioned() {
        let text = "<p>\n{{ page.title }\n</p>";
        let e = tera::Template::new("x.html", None, text).unwrap_err();
        let d = template_diagnostic(Path::new("templates/x.html"), text, &e);
        assert_eq!((d.line, d.col), (2, 15), "{}", d.message.text(crate::diag::Lang::En));
    }
}
