//! Splitting a Markdown file into its YAML front matter and body, and parsing the YAML.
//!
//! Takes a file's text; hands on the parsed mapping (as JSON values, so serde_yaml stays
//! in this file and `config`) with the line where the YAML starts, and the byte offset
//! of the body. Positions of YAML errors are turned into positions in the whole file.

use serde_json::{Map, Value};

use crate::diag::{Diagnostic, Hint, LineIndex, Message, YamlDetail};

/// A file cut in two.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    /// The YAML text between the fences, if the file has front matter.
    pub yaml: Option<&'a str>,
    /// 1-based line of the first YAML line in the file.
    pub yaml_line: usize,
    /// Byte offset of the body in the file.
    pub body_start: usize,
}

/// Why a file's front matter could not be split off.
#[derive(Debug, PartialEq)]
pub struct Unclosed;

/// Splits `text` (BOM already removed) at its `---` fences. A file that does not start
/// with `---` has no front matter. A closing `---` or `...` line ends the block.
pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let Some(first_end) = fence_line_end(text, 0, &["---"]) else {
        return Ok(Split { yaml: None, yaml_line: 1, body_start: 0 });
    };
    let mut offset = first_end;
    while offset < text.len() {
        if let Some(end) = fence_line_end(text, offset, &["---", "..."]) {
            return Ok(Split {
                yaml: Some(&text[first_end..offset]),
                yaml_line: 2,
                body_start: end,
            });
        }
        offset = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
    }
    Err(Unclosed)
}

/// If the line at `start` is one of `fences` (trailing spaces and CR allowed), the offset
/// just past it.
fn fence_line_end(text: &str, start: usize, fences: &[&str]) -> Option<usize> {
    let rest = &text[start..];
    let (line, len) = match rest.find('\n') {
        Some(i) => (&rest[..i], i + 1),
        None => (rest, rest.len()),
    };
    let trimmed = line.trim_end_matches([' ', '\t', '\r']);
    fences.contains(&trimmed).then_some(start + len)
}

/// Parses front matter YAML into a JSON object. `yaml_line` is where it starts in the
/// file, so errors point into the file, not into the block.
pub fn parse(
    yaml: &str,
    yaml_line: usize,
    path: &std::path::Path,
) -> Result<Map<String, Value>, Diagnostic> {
    if let Some((line, col)) = tab_indentation(yaml) {
        return Err(Diagnostic::new(path, yaml_line + line - 1, col, Message::TabIndentation)
            .with_hint(Hint::SpacesNotTabs));
    }
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|e| {
        let (line, col) = yaml_error_position(&e, yaml);
        let message = e.to_string();
        let detail = YamlDetail::parse(message.split(" at line ").next().unwrap_or(&message));
        Diagnostic::new(path, yaml_line + line - 1, col, Message::InvalidFrontMatter { detail })
            .with_hint(Hint::FrontMatterYaml)
    })?;
    match value {
        serde_yaml::Value::Null => Ok(Map::new()),
        serde_yaml::Value::Mapping(_) => match serde_json::to_value(&value) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) | Err(_) => {
                Err(Diagnostic::new(path, yaml_line, 1, Message::FrontMatterKeysPlain)
                    .with_hint(Hint::PlainKeyNames))
            }
        },
        _ => Err(Diagnostic::new(path, yaml_line, 1, Message::FrontMatterNotMap)
            .with_hint(Hint::FrontMatterExample)),
    }
}

/// Where a YAML error is, as (line, col) in `yaml` the way the rest of spiegel counts
/// lines: YAML also breaks lines at a lone carriage return, so its own line numbers can
/// point past the end of the file; its character index cannot.
pub(crate) fn yaml_error_position(error: &serde_yaml::Error, yaml: &str) -> (usize, usize) {
    error.location().map_or((1, 1), |l| LineIndex::position_of_char(yaml, l.index()))
}

/// (line, col) within the block of the first tab in a line's indentation.
fn tab_indentation(yaml: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(n, line)| {
        let indent: String = line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        indent.find('\t').map(|col| (n + 1, col + 1))
    })
}

/// Where a top-level key and its value sit in the block: (line in block, column of the
/// value), both 1-based. serde_yaml keeps no positions, so we find the key by text.
pub fn locate_key(yaml: &str, key: &str) -> Option<(usize, usize)> {
    let wanted = format!("{key}:");
    yaml.lines().enumerate().find_map(|(n, line)| {
        let rest = line.strip_prefix(&wanted)?;
        let value_col = wanted.chars().count() + 1 + (rest.len() - rest.trim_start().len());
        Some((n + 1, value_col))
    })
}

/// Where `item` of the list under top-level `key` sits: the first occurrence of the
/// item's text after the key and before the next top-level key.
pub fn locate_item(yaml: &str, key: &str, item: &str) -> Option<(usize, usize)> {
    let (key_line, _) = locate_key(yaml, key)?;
    for (n, line) in yaml.lines().enumerate().skip(key_line - 1) {
        let is_next_key =
            n + 1 > key_line && !line.starts_with([' ', '\t', '-']) && !line.trim().is_empty();
        if is_next_key {
            break;
        }
        let search_from = if n + 1 == key_line { key.len() + 1 } else { 0 };
        if let Some(i) = line.get(search_from..).and_then(|rest| find_word(rest, item)) {
            return Some((n + 1, line[..search_from + i].chars().count() + 1));
        }
    }
    None
}

/// Where each of `items`, the values of the list under top-level `key` in order, sits:
/// one pass over the block, each item looked for after the one before, so a list of a
/// hundred thousand items costs no more than reading it. An item not found as written
/// (an alias, a number written `1.0`) gets `None`; after a few of those the rest do too.
pub fn locate_items(yaml: &str, key: &str, items: &[String]) -> Vec<Option<(usize, usize)>> {
    const MAX_MISSES: usize = 8;
    let mut found = vec![None; items.len()];
    let Some((key_line, _)) = locate_key(yaml, key) else { return found };
    let mut lines: Vec<(usize, &str, usize)> = Vec::new(); // (line, text, search from)
    for (n, line) in yaml.lines().enumerate().skip(key_line - 1) {
        let is_next_key =
            n + 1 > key_line && !line.starts_with([' ', '\t', '-']) && !line.trim().is_empty();
        if is_next_key {
            break;
        }
        let from = if n + 1 == key_line { (key.len() + 1).min(line.len()) } else { 0 };
        lines.push((n + 1, line, from));
    }
    let (mut at_line, mut at_byte) = (0, lines.first().map_or(0, |l| l.2));
    let mut misses = 0;
    for (item, slot) in items.iter().zip(&mut found) {
        let hit = lines.iter().enumerate().skip(at_line).find_map(|(k, &(_, line, from))| {
            let start = if k == at_line { at_byte } else { from };
            let i = line.get(start..).and_then(|rest| find_word(rest, item))?;
            Some((k, start + i))
        });
        match hit {
            Some((k, byte)) => {
                let (number, line, _) = lines[k];
                *slot = Some((number, line[..byte].chars().count() + 1));
                (at_line, at_byte) = (k, byte + item.len());
            }
            None => {
                misses += 1;
                if misses == MAX_MISSES {
                    break;
                }
            }
        }
    }
    found
}

/// The byte offset of `word` in `text` where it is not part of a longer word.
fn find_word(text: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let is_word_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back().is_none_or(|c| !is_word_char(c));
        let after = text[i + word.len()..].chars().next().is_none_or(|c| !is_word_char(c));
        before && after
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn splits() {
        let cases: &[(&str, Option<&str>, usize)] = &[
            ("# Hi\n", None, 0),
            ("---\ntitle: A\n---\nbody", Some("title: A\n"), 17),
            ("---\r\ntitle: A\r\n---\r\nbody", Some("title: A\r\n"), 20),
            ("---\n---\n", Some(""), 8),
            ("---\ntitle: A\n...\n", Some("title: A\n"), 17),
            ("---  \na: 1\n---", Some("a: 1\n"), 14),
            ("----\n", None, 0),
        ];
        for (text, yaml, body_start) in cases {
            let split = split(text).unwrap();
            assert_eq!((split.yaml, split.body_start), (*yaml, *body_start), "{text:?}");
        }
        assert_eq!(split("---\ntitle: A\n"), Err(Unclosed));
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let err = parse("title: A\nfase: [a, b\n", 2, Path::new("x.md")).unwrap_err();
        assert_eq!(err.line, 4, "{}", err.message.text(crate::diag::Lang::En));
        // A lone CR is a line break to YAML, not to editors that show this file.
        let err = parse("a: 1\rb: [\r\r\r", 2, Path::new("x.md")).unwrap_err();
        assert_eq!((err.line, err.col), (2, 13), "{}", err.message.text(crate::diag::Lang::En));
        let err = parse("é: ë\nfase: [a\n", 2, Path::new("x.md")).unwrap_err();
        assert_eq!((err.line, err.col), (4, 1), "{}", err.message.text(crate::diag::Lang::En));
        let err = parse("title: A\n\tfase: a\n", 2, Path::new("x.md")).unwrap_err();
        assert_eq!((err.line, err.col), (3, 1));
        assert!(err.message.text(crate::diag::Lang::En).contains("tab"));
    }

    #[test]
    fn locates_keys_and_items() {
        let yaml = "title: X\nbouwstenen: [team, coachng]\nfase:\n  - pitstp\n  - team\nduur: 5\n";
        assert_eq!(locate_key(yaml, "duur"), Some((6, 7)));
        assert_eq!(locate_item(yaml, "bouwstenen", "coachng"), Some((2, 20)));
        assert_eq!(locate_item(yaml, "fase", "pitstp"), Some((4, 5)));
        assert_eq!(locate_item(yaml, "fase", "team"), Some((5, 5)));
        assert_eq!(locate_item(yaml, "fase", "duur"), None);
        let items = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            locate_items(yaml, "fase", &items(&["pitstp", "team"])),
            [Some((4, 5)), Some((5, 5))]
        );
        let yaml = "tags: [a, a, b]\nlijst: [x, '1.0', x]\n";
        assert_eq!(
            locate_items(yaml, "lijst", &items(&["x", "zz", "x"])),
            [Some((2, 9)), None, Some((2, 19))]
        );
        let long: Vec<String> = (0..50_000).map(|i| format!("w{i}")).collect();
        let yaml =
            format!("lijst:\n{}", long.iter().map(|w| format!("  - {w}\n")).collect::<String>());
        let found = locate_items(&yaml, "lijst", &long);
        assert_eq!(found[49_999], Some((50_001, 5)));
    }
}
