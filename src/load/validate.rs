//! Checking front matter against its kind: the common fields every page has and the
//! typed fields its kind declares in `site.yaml`.
//!
//! Takes the parsed front matter of one file; hands on typed [`Common`] values, the
//! field values for templates (declared fields normalised, undeclared ones kept as
//! they are), the reference fields to resolve in `link`, and a diagnostic for every
//! value that does not fit, positioned at the value in the file.

use serde_json::{Map, Value};

use super::frontmatter::{locate_item, locate_items, locate_key};
use super::Reference;
use crate::config::{Field, FieldType, Kind};
use crate::diag::{Diagnostic, Expected, Found, Hint, LineIndex, Message, MAX_PER_FILE};
use crate::slug::{slugify, suggestion};

/// The fields every page may have.
#[derive(Debug, Default)]
pub(super) struct Common {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub date: Option<String>,
    pub draft: bool,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub weight: Option<f64>,
}

const COMMON: [&str; 7] = ["title", "slug", "date", "draft", "summary", "tags", "weight"];

/// Where the value is, for diagnostics.
pub(super) struct Place<'a> {
    pub path: &'a std::path::Path,
    pub text: &'a str,
    pub yaml: &'a str,
    pub yaml_line: usize,
    pub lines: &'a LineIndex,
    /// Problems not listed because the file already has [`MAX_PER_FILE`].
    pub unlisted: std::cell::Cell<usize>,
}

impl Place<'_> {
    fn key(&self, key: &str) -> (usize, usize) {
        locate_key(self.yaml, key).map_or((self.yaml_line.saturating_sub(1).max(1), 1), |(l, c)| {
            (self.yaml_line + l - 1, c)
        })
    }

    fn item(&self, key: &str, item: &str) -> (usize, usize) {
        locate_item(self.yaml, key, item)
            .map_or_else(|| self.key(key), |(l, c)| (self.yaml_line + l - 1, c))
    }

    /// The places of a list's items, in one pass; an item not found points at its key.
    fn items(&self, key: &str, items: &[String]) -> Vec<(usize, usize)> {
        locate_items(self.yaml, key, items)
            .into_iter()
            .map(|at| at.map_or_else(|| self.key(key), |(l, c)| (self.yaml_line + l - 1, c)))
            .collect()
    }

    fn error(&self, (line, col): (usize, usize), message: Message) -> Diagnostic {
        Diagnostic::new(self.path, line, col, message).with_source_indexed(self.text, self.lines)
    }
}

/// The outcome of validating one page's front matter.
pub(super) struct Validated {
    pub common: Common,
    pub fields: Map<String, Value>,
    pub references: Vec<Reference>,
}

pub(super) fn validate(
    mut map: Map<String, Value>,
    kind: Option<&Kind>,
    place: &Place<'_>,
    out: &mut Vec<Diagnostic>,
) -> Validated {
    let common = common_fields(&mut map, place, out);
    let mut references = Vec::new();
    if let Some(kind) = kind {
        for (name, field) in &kind.fields {
            match map.remove(name) {
                Some(Value::Null) | None if field.required => {
                    out.push(missing(kind, name, field, place))
                }
                Some(Value::Null) | None => {}
                Some(value) => {
                    if let Some(v) = typed_value(name, field, value, place, out, &mut references) {
                        map.insert(name.clone(), v);
                    }
                }
            }
        }
    }
    if place.unlisted.get() > 0 {
        out.push(
            Diagnostic::file(
                place.path,
                Message::MoreUnknownValues { count: place.unlisted.get() },
            )
            .with_hint(Hint::FixListedValues),
        );
    }
    Validated { common, fields: map, references }
}

fn missing(kind: &Kind, name: &str, field: &Field, place: &Place<'_>) -> Diagnostic {
    let example = match field.ty {
        FieldType::List | FieldType::Reference => format!("{name}: [...]"),
        _ => format!("{name}: ..."),
    };
    place
        .error(
            place.key(name),
            Message::MissingField { field: name.to_string(), label: field.label_or(name).into() },
        )
        .with_hint(Hint::RequiredField { kind: kind.singular.to_lowercase(), example })
}

fn common_fields(
    map: &mut Map<String, Value>,
    place: &Place<'_>,
    out: &mut Vec<Diagnostic>,
) -> Common {
    let mut common = Common::default();
    for key in COMMON {
        let Some(value) = map.remove(key) else { continue };
        if value.is_null() {
            continue;
        }
        let wrong = |expected: Expected| {
            place.error(
                place.key(key),
                Message::WrongType { field: key.to_string(), expected, found: describe(&value) },
            )
        };
        match key {
            "title" => scalar_text(&value)
                .map_or_else(|| out.push(wrong(Expected::Text)), |t| common.title = Some(t)),
            "summary" => scalar_text(&value)
                .map_or_else(|| out.push(wrong(Expected::Text)), |t| common.summary = Some(t)),
            "slug" => match value.as_str() {
                Some(s) if slugify(s) == s && !s.is_empty() => common.slug = Some(s.to_string()),
                Some(s) => out.push(
                    place
                        .error(place.key(key), Message::InvalidSlug { value: s.to_string() })
                        .with_hint(Hint::SlugForm { example: slugify(s) }),
                ),
                None => out.push(wrong(Expected::Text)),
            },
            "date" => match date_value(&value) {
                Some(d) => common.date = Some(d),
                None => out.push(wrong(Expected::Date).with_hint(Hint::DateForm)),
            },
            "draft" => value
                .as_bool()
                .map_or_else(|| out.push(wrong(Expected::TrueOrFalse)), |b| common.draft = b),
            "weight" => value
                .as_f64()
                .map_or_else(|| out.push(wrong(Expected::Number)), |w| common.weight = Some(w)),
            "tags" => match string_list(&value) {
                Some(tags) => common.tags = tags,
                None => out.push(wrong(Expected::ListOfWords).with_hint(Hint::TagsExample)),
            },
            _ => unreachable!("COMMON lists only the keys matched above"),
        }
    }
    common
}

fn typed_value(
    name: &str,
    field: &Field,
    value: Value,
    place: &Place<'_>,
    out: &mut Vec<Diagnostic>,
    references: &mut Vec<Reference>,
) -> Option<Value> {
    let wrong = |expected: Expected| {
        place.error(
            place.key(name),
            Message::WrongType { field: name.to_string(), expected, found: describe(&value) },
        )
    };
    match field.ty {
        FieldType::Text => scalar_text(&value).map(Value::String).or_else(|| {
            out.push(wrong(Expected::Text));
            None
        }),
        FieldType::Number => value.is_number().then(|| value.clone()).or_else(|| {
            out.push(wrong(Expected::Number).with_hint(Hint::NumberExample { field: name.into() }));
            None
        }),
        FieldType::Bool => value.is_boolean().then(|| value.clone()).or_else(|| {
            out.push(wrong(Expected::TrueOrFalse));
            None
        }),
        FieldType::Date => date_value(&value).map(Value::String).or_else(|| {
            out.push(wrong(Expected::Date).with_hint(Hint::DateForm));
            None
        }),
        FieldType::OneOf => {
            let Some(text) = scalar_text(&value) else {
                out.push(wrong(Expected::OneValue));
                return None;
            };
            let at = place.item(name, &text);
            check_allowed(name, field, &text, at, place, out).then_some(Value::String(text))
        }
        FieldType::List => {
            let Some(items) = string_list(&value) else {
                out.push(wrong(Expected::List).with_hint(Hint::ListExample { field: name.into() }));
                return None;
            };
            // Count, not `all`: every unknown item gets its own diagnostic.
            let places = place.items(name, &items);
            let unknown = items
                .iter()
                .zip(places)
                .filter(|(item, at)| !check_allowed(name, field, item, *at, place, out))
                .count();
            (unknown == 0).then(|| Value::Array(items.into_iter().map(Value::String).collect()))
        }
        FieldType::Reference => {
            let Some(items) = string_list(&value) else {
                out.push(
                    wrong(Expected::ListOfSlugs)
                        .with_hint(Hint::ReferenceListExample { field: name.into() }),
                );
                return None;
            };
            let target_kind = field.kind.clone().unwrap_or_default();
            for (item, (line, col)) in items.iter().zip(place.items(name, &items)) {
                references.push(Reference {
                    field: name.to_string(),
                    target: item.clone(),
                    kind: target_kind.clone(),
                    line,
                    col,
                });
            }
            Some(Value::Array(items.into_iter().map(Value::String).collect()))
        }
    }
}

/// Whether `value` is allowed by the field's `values`; reports it if not.
fn check_allowed(
    name: &str,
    field: &Field,
    value: &str,
    at: (usize, usize),
    place: &Place<'_>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let Some(allowed) = &field.values else { return true };
    if allowed.iter().any(|a| a == value) {
        return true;
    }
    if out.len() >= MAX_PER_FILE {
        place.unlisted.set(place.unlisted.get() + 1);
        return false;
    }
    let suggestion = suggestion(value, allowed.iter().map(String::as_str));
    let message = Message::UnknownValue { value: value.into(), field: name.into(), suggestion };
    let hint = Hint::AllowedValues { label: field.label_or(name).into(), values: allowed.clone() };
    out.push(place.error(at, message).with_hint(hint));
    false
}

/// Text of a scalar: strings as they are, numbers and booleans written out.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of scalars; a single scalar counts as a list of one.
fn string_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Array(items) => items.iter().map(scalar_text).collect(),
        other => scalar_text(other).map(|s| vec![s]),
    }
}

/// `YYYY-MM-DD`, optionally followed by a time; returns the text as written.
fn date_value(value: &Value) -> Option<String> {
    let text = value.as_str()?;
    let date = text.get(..10)?;
    let rest = &text[10..];
    let bytes = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| bytes[r].iter().all(u8::is_ascii_digit);
    let shape =
        digits(0..4) && bytes[4] == b'-' && digits(5..7) && bytes[7] == b'-' && digits(8..10);
    let month: u32 = date.get(5..7)?.parse().ok()?;
    let day: u32 = date.get(8..10)?.parse().ok()?;
    let time_ok = rest.is_empty() || rest.starts_with(['T', ' ']);
    (shape && (1..=12).contains(&month) && (1..=31).contains(&day) && time_ok)
        .then(|| text.to_string())
}

fn describe(value: &Value) -> Found {
    match value {
        Value::Null => Found::Nothing,
        Value::Bool(b) => Found::Bool(*b),
        Value::Number(n) => Found::Number(n.to_string()),
        Value::String(s) => Found::Text(s.chars().take(40).collect()),
        Value::Array(_) => Found::List,
        Value::Object(_) => Found::Group,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates() {
        for (input, ok) in [
            ("2025-03-14", true),
            ("2025-13-01", false),
            ("14-03-2025", false),
            ("2025-03-14T10:00:00", true),
            ("2025-3-1", false),
        ] {
            assert_eq!(date_value(&json!(input)).is_some(), ok, "{input}");
        }
        assert_eq!(date_value(&json!(2025)), None);
    }

    #[test]
    fn lists_accept_a_single_value() {
        assert_eq!(string_list(&json!("team")), Some(vec!["team".to_string()]));
        assert_eq!(string_list(&json!([1, "a"])), Some(vec!["1".to_string(), "a".to_string()]));
        assert_eq!(string_list(&json!([{"a": 1}])), None);
    }
}
