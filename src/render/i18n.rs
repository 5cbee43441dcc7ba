//! The theme's UI strings in the site's language, and the `t(key="…")` template function.
//!
//! Takes the theme folder (or the built-in theme), the site root and `language` from the
//! config; hands on the [`Strings`] of that language: the theme's `i18n/<language>.yaml`,
//! with the site's own `i18n/<language>.yaml` replacing or adding keys. Every key a
//! template names in `t(key="…")` must be defined: a missing one is an error at the
//! template's line that names the key and the file to add it to.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::config::{parse_strings, Config, Strings};
use crate::diag::{Diagnostic, Diagnostics, Hint, LineIndex, Message};

/// The folder of language files, in a theme and in a site.
pub const I18N_DIR: &str = "i18n";

/// Where the theme's files come from.
pub enum Source<'a> {
    Folder(&'a Path),
    BuiltIn(&'a [(&'a str, &'a str)]),
}

/// The strings of `config.language`: the theme's, then the site's overrides. `None`
/// (with a diagnostic) when the theme has no file for the language or a file is broken.
pub fn load(
    root: &Path,
    theme: Source<'_>,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Option<(Strings, PathBuf)> {
    let file = format!("{I18N_DIR}/{}.yaml", config.language);
    let (theme_text, theme_path) = match theme {
        Source::Folder(dir) => {
            let path = dir.join(&file);
            let text = std::fs::read_to_string(&path).ok();
            (text, path.strip_prefix(root).unwrap_or(&path).to_path_buf())
        }
        Source::BuiltIn(files) => (
            files.iter().find(|(p, _)| *p == file).map(|(_, t)| t.to_string()),
            Path::new("(built-in theme)").join(&file),
        ),
    };
    let site_path = root.join(&file);
    let site_text = std::fs::read_to_string(&site_path).ok();
    let Some(theme_text) = theme_text.or_else(|| site_text.clone()) else {
        diagnostics.push(no_language(config, &theme, &file));
        return None;
    };
    let mut strings = parse(&theme_text, &theme_path, diagnostics)?;
    let mut defined_in = theme_path;
    if let Some(site_text) = site_text {
        strings.extend(parse(&site_text, Path::new(&file), diagnostics)?);
        defined_in = PathBuf::from(&file);
    }
    Some((strings, defined_in))
}

fn parse(text: &str, path: &Path, diagnostics: &mut Diagnostics) -> Option<Strings> {
    parse_strings(text, path).map_err(|d| diagnostics.push(d)).ok()
}

fn no_language(config: &Config, theme: &Source<'_>, file: &str) -> Diagnostic {
    let mut have: Vec<String> = match theme {
        Source::Folder(dir) => std::fs::read_dir(dir.join(I18N_DIR))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str()?.strip_suffix(".yaml").map(String::from))
            .collect(),
        Source::BuiltIn(files) => files
            .iter()
            .filter_map(|(p, _)| p.strip_prefix("i18n/")?.strip_suffix(".yaml").map(String::from))
            .collect(),
    };
    have.sort();
    let (line, col) = crate::config::locate(&config.source_text, &["language"]);
    Diagnostic::new(
        crate::config::FILE_NAME,
        line,
        col,
        Message::NoUiStrings { language: config.language.clone() },
    )
    .with_hint(Hint::ChooseLanguage { have, file: file.to_string() })
    .with_source(&config.source_text)
}

/// Every `t(key="…")` with a literal key in the templates must name a defined string.
/// The hint names the site's own file of the language: the one place a writer can always
/// add a string (a built-in theme's files cannot be edited).
pub fn check_keys(
    texts: &BTreeMap<String, String>,
    sources: &BTreeMap<String, PathBuf>,
    strings: &Strings,
    (defined_in, language): (&Path, &str),
    diagnostics: &mut Diagnostics,
) {
    let add_to = format!("{I18N_DIR}/{language}.yaml");
    for (name, text) in texts {
        let lines = LineIndex::new(text);
        for (offset, key) in literal_keys(text) {
            if strings.contains_key(key) {
                continue;
            }
            let (line, col) = lines.position(text, offset);
            let path = sources.get(name).cloned().unwrap_or_else(|| PathBuf::from(name));
            diagnostics.push(
                Diagnostic::new(
                    path,
                    line,
                    col,
                    Message::NoUiString {
                        key: key.to_string(),
                        file: defined_in.display().to_string(),
                    },
                )
                .with_hint(Hint::AddUiString { key: key.to_string(), file: add_to.clone() })
                .with_source(text),
            );
        }
    }
}

/// `(byte offset of the key, key)` of every `t(key="…")` or `t(key='…')` in a template.
fn literal_keys(text: &str) -> Vec<(usize, &str)> {
    let mut keys = Vec::new();
    for (at, _) in text.match_indices("t(") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let rest = &text[at + 2..];
        let after_key = rest.trim_start().strip_prefix("key").map(str::trim_start);
        let Some(value) = after_key.and_then(|r| r.strip_prefix('=')).map(str::trim_start) else {
            continue;
        };
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let start = text.len() - value.len() + 1;
        if let Some(len) = text[start..].find(quote) {
            keys.push((start, &text[start..start + len]));
        }
    }
    keys
}

/// `t(key="picker_count", shown=3)`: the string, with `{shown}` replaced by 3.
pub struct Translate {
    pub strings: Strings,
    pub language: String,
}

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = args.get("key").and_then(Value::as_str).ok_or("t needs key=\"…\"")?;
        let Some(text) = self.strings.get(key) else {
            return Err(format!("no UI string `{key}` for language \"{}\"", self.language).into());
        };
        let mut text = text.clone();
        for (name, value) in args.iter().filter(|(name, _)| *name != "key") {
            let value = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            text = text.replace(&format!("{{{name}}}"), &value);
        }
        Ok(Value::String(text))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_literal_keys_only() {
        let text =
            "{{ t(key=\"a\") }} {{ t( key = 'b', n=2) }} {{ get(key=\"x\") }} {{ t(key=k) }}";
        let keys: Vec<&str> = literal_keys(text).into_iter().map(|(_, k)| k).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(&text[literal_keys(text)[1].0..][..1], "b");
    }

    #[test]
    fn substitutes_arguments() {
        let t = Translate {
            strings: Strings::from([("n".to_string(), "{shown} van {total}".to_string())]),
            language: "nl".into(),
        };
        let args = HashMap::from([
            ("key".to_string(), Value::from("n")),
            ("shown".to_string(), Value::from(3)),
            ("total".to_string(), Value::from("12")),
        ]);
        assert_eq!(tera::Function::call(&t, &args).unwrap(), Value::from("3 van 12"));
        let missing = HashMap::from([("key".to_string(), Value::from("nee"))]);
        let e = tera::Function::call(&t, &missing).unwrap_err();
        assert_eq!(e.to_string(), "no UI string `nee` for language \"nl\"");
    }

    #[test]
    fn the_built_in_languages_define_the_same_keys() {
        let files = super::super::builtin::DEFAULT_THEME;
        let keys = |lang: &str| -> Vec<String> {
            let text = files.iter().find(|(p, _)| *p == format!("i18n/{lang}.yaml")).unwrap().1;
            let mut keys: Vec<String> =
                parse_strings(text, Path::new(lang)).unwrap().into_keys().collect();
            keys.sort();
            keys
        };
        let nl = keys("nl");
        assert!(nl.len() > 40, "{nl:?}");
        assert_eq!(keys("fr"), nl, "fr.yaml and nl.yaml must define the same keys");
        assert_eq!(keys("en"), nl, "en.yaml and nl.yaml must define the same keys");
    }
}
