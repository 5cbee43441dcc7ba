//! `spiegel new KIND "Title"`: a new entry file with its kind's front matter filled in.
//!
//! Takes the site root, a kind (by name, folder or label) and a title; writes
//! `content/<folder>/<slug>.md` with every field the kind declares, the required ones
//! marked and the allowed values named in a comment, and hands back its path. Never
//! overwrites a file; opens nothing.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::config::{self, Config, Field, FieldType, Kind};
use crate::diag::{Diagnostic, Diagnostics, Hint, Message};
use crate::load::{self, CONTENT_DIR};
use crate::slug::{fold, slugify, suggestion};

/// How many existing slugs a reference field's comment names.
const SLUGS_SHOWN: usize = 12;

/// Writes the new entry and returns its path relative to `root`. `today` is the
/// `date:` to fill in (YYYY-MM-DD).
pub fn new_entry(
    root: &Path,
    kind: &str,
    title: &str,
    today: &str,
) -> Result<PathBuf, Diagnostics> {
    let config = config::load(root)?;
    let kind = find_kind(&config, kind)?;
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::file(
            CONTENT_DIR,
            Message::TitleWithoutLetters { title: title.to_string() },
        )
        .with_hint(Hint::TitleWithWords)
        .into());
    }
    let relative = Path::new(CONTENT_DIR).join(&kind.folder).join(format!("{slug}.md"));
    let has_references = kind.fields.values().any(|f| f.ty == FieldType::Reference);
    // The site may have problems elsewhere: they are `build`'s to report, not `new`'s.
    let site = has_references.then(|| load::load(root, &config, &mut Diagnostics::new()));
    let text = front_matter(&config, kind, title, today, site.as_ref());
    write_new(&root.join(&relative), &relative, &text)?;
    Ok(relative)
}

/// The kind named by its key, folder, singular or plural, ignoring case and accents.
fn find_kind<'c>(config: &'c Config, wanted: &str) -> Result<&'c Kind, Diagnostic> {
    let folded = fold(wanted);
    let found = config
        .kinds()
        .find(|k| [&k.name, &k.folder, &k.singular, &k.plural].iter().any(|n| fold(n) == folded));
    found.ok_or_else(|| {
        let names: Vec<&str> = config.kinds().map(|k| k.name.as_str()).collect();
        let kinds = config.kinds().map(|k| format!("{} ({})", k.name, k.folder)).collect();
        let suggestion = suggestion(wanted, names.iter().copied());
        Diagnostic::file(
            config::FILE_NAME,
            Message::NoKind { name: wanted.to_string(), suggestion },
        )
        .with_hint(Hint::KindsOfSite { kinds })
    })
}

fn front_matter(
    config: &Config,
    kind: &Kind,
    title: &str,
    today: &str,
    site: Option<&load::Site>,
) -> String {
    let mut text =
        format!("---\ntitle: {}\ndate: {today}\nsummary:\ntags: []\n", yaml_quoted(title));
    if !kind.fields.is_empty() {
        text.push_str(&format!(
            "# {}: fill in the fields marked \"required\" before you build.\n",
            kind.singular
        ));
    }
    for (name, field) in &kind.fields {
        let required = if field.required { "required · " } else { "" };
        let expects = expected(field, site, config);
        text.push_str(&format!("{name}:  # {required}{} · {expects}\n", field.label_or(name)));
    }
    text.push_str("---\n\n");
    text
}

/// What a field takes, in words, with its allowed values.
fn expected(field: &Field, site: Option<&load::Site>, config: &Config) -> String {
    let values = field.values.as_deref().map(|v| v.join(", "));
    match (field.ty, values) {
        (FieldType::Text, _) => "text".into(),
        (FieldType::Number, _) => "a number".into(),
        (FieldType::Date, _) => "a date, YYYY-MM-DD".into(),
        (FieldType::Bool, _) => "true or false".into(),
        (FieldType::OneOf, Some(values)) => format!("one of: {values}"),
        (FieldType::List, Some(values)) => format!("a list of: {values}"),
        (FieldType::OneOf | FieldType::List, None) => "a list: [eerste, tweede]".into(),
        (FieldType::Reference, _) => {
            let target = field.kind.as_deref().unwrap_or_default();
            let label = config.kind(target).map_or(target, |k| k.plural.as_str());
            let slugs = site.map(|s| existing_slugs(s, target)).unwrap_or_default();
            let shown: Vec<&str> = slugs.iter().take(SLUGS_SHOWN).map(String::as_str).collect();
            let more = if slugs.len() > SLUGS_SHOWN { ", ..." } else { "" };
            format!("a list of {label}: [{}{more}]", shown.join(", "))
        }
    }
}

/// The slugs of the existing entries of a kind, by weight, then title.
fn existing_slugs(site: &load::Site, kind: &str) -> Vec<String> {
    let mut entries: Vec<&load::Page> = site
        .pages
        .iter()
        .filter(|p| p.role == load::Role::Entry && p.kind.as_deref() == Some(kind))
        .map(|p| &**p)
        .collect();
    entries.sort_by(|a, b| {
        let weight = |p: &load::Page| p.weight.unwrap_or(f64::MAX);
        weight(a).total_cmp(&weight(b)).then_with(|| fold(&a.title).cmp(&fold(&b.title)))
    });
    entries.into_iter().map(|p| p.slug.clone()).collect()
}

/// A YAML double-quoted string: safe for any title (`&`, `:`, `#`, quotes).
pub(crate) fn yaml_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_new(path: &Path, relative: &Path, text: &str) -> Result<(), Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::file(relative, Message::CannotWriteEntry { cause: e.to_string() })
            .with_hint(Hint::MayWriteSite)
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(cannot)?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(
                Diagnostic::file(relative, Message::AlreadyExists).with_hint(Hint::EditExisting)
            )
        }
        Err(e) => return Err(cannot(e)),
    };
    file.write_all(text.as_bytes()).map_err(cannot)
}

/// Today's date in UTC as YYYY-MM-DD.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(seconds / 86_400)
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_089), "2025-01-01");
    }

    #[test]
    fn quoting() {
        assert_eq!(yaml_quoted("Fantasiespel & creëren"), "\"Fantasiespel & creëren\"");
        assert_eq!(yaml_quoted("Zeg \"ja\": \\"), "\"Zeg \\\"ja\\\": \\\\\"");
    }
}
