//! Compact text encodings for the index files.
//!
//! Index parts are classic scripts (so they load from `file://` too), so every number has
//! to travel as text. This module turns doc ids and impact levels into a self-delimiting
//! base-32 text (one character for values below 32, two below 1024), wraps payloads in the
//! `spiegelSearch.add(...)` registration call that `search.js` defines, and writes JSON
//! with every non-ASCII character escaped, so a page's charset can never garble an index.
//! It takes plain numbers and JSON values and hands on strings and file bytes.

use serde_json::Value;

/// Digits 0..32 end a number; digits 32..64 say "more digits follow". None of them needs
/// escaping in a JS string, and none is a space or a comma, which the shards use as
/// separators.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Appends `value` most significant digit first.
pub(super) fn push_number(out: &mut String, value: u32) {
    let mut digits = [0u8; 7];
    let mut count = 0;
    let mut rest = value;
    loop {
        digits[count] = (rest % 32) as u8;
        count += 1;
        rest /= 32;
        if rest == 0 {
            break;
        }
    }
    for &digit in digits[1..count].iter().rev() {
        out.push(DIGITS[32 + usize::from(digit)] as char);
    }
    out.push(DIGITS[usize::from(digits[0])] as char);
}

/// Ascending doc ids as gaps (`id - previous - 1`), the form used for filter lists and
/// inside each impact group of a posting list.
pub(super) fn push_ascending(out: &mut String, ids: &[u32]) {
    let mut previous: i64 = -1;
    for &id in ids {
        push_number(out, (i64::from(id) - previous - 1) as u32);
        previous = i64::from(id);
    }
}

/// A posting list sorted by impact level (descending), then doc id: groups of
/// `level count-1 gaps...`, where every level after the first is written as the drop from
/// the one before minus one. Impact-sorted lists let the builder cut a common word's list
/// to its best documents, and grouping makes a level cost one character per group.
pub(super) fn postings(sorted: &[(u32, u8)]) -> String {
    let mut out = String::with_capacity(sorted.len() * 2 + 8);
    let mut previous_level: Option<u8> = None;
    for group in sorted.chunk_by(|a, b| a.1 == b.1) {
        let level = group[0].1;
        match previous_level {
            None => push_number(&mut out, u32::from(level)),
            Some(previous) => push_number(&mut out, u32::from(previous - level - 1)),
        }
        previous_level = Some(level);
        push_number(&mut out, group.len() as u32 - 1);
        let ids: Vec<u32> = group.iter().map(|p| p.0).collect();
        push_ascending(&mut out, &ids);
    }
    out
}

/// JSON text with every non-ASCII character written as `\uXXXX`.
pub(super) fn ascii_json(value: &Value) -> String {
    escape_non_ascii(&value.to_string())
}

/// Escapes non-ASCII characters of JSON text; they can only occur inside its strings.
fn escape_non_ascii(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Appends `text` as a JSON string, as [`ascii_json`] writes one: serde_json's escapes,
/// then every non-ASCII character as `\uXXXX`. For the texts of every page's fragment,
/// which would otherwise be copied into a JSON value, written out and escaped again.
pub(super) fn push_json_str(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    // Text from `plain` to `at` needs no escapes: it is copied in one piece.
    let (mut plain, mut at) = (0, 0);
    while let Some(&byte) = bytes.get(at) {
        let escape = match byte {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0C => Some("\\f"),
            0x20..0x80 => {
                at += 1;
                continue;
            }
            _ => None,
        };
        out.push_str(&text[plain..at]);
        match escape {
            Some(escape) => {
                out.push_str(escape);
                at += 1;
            }
            // Other control characters and all beyond ASCII: their UTF-16 units.
            None => {
                let c = text[at..].chars().next().unwrap_or_default();
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    push_unit_escape(out, *unit);
                }
                at += c.len_utf8();
            }
        }
        plain = at;
    }
    out.push_str(&text[plain..]);
    out.push('"');
}

/// `\u` and the UTF-16 unit in four lowercase hex digits.
fn push_unit_escape(out: &mut String, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((unit >> shift) & 0xF)] as char);
    }
}

/// The bytes of an index file: one call of the registration function that `search.js`
/// defines. `key` names the part (e.g. `s3`), so the client can tell parts apart even when
/// several load at once.
pub(super) fn registration(key: &str, payload: &Value) -> Vec<u8> {
    registration_of_json(key, &ascii_json(payload))
}

/// [`registration`] of a payload already written as ASCII JSON text.
pub(super) fn registration_of_json(key: &str, json: &str) -> Vec<u8> {
    const START: &str = "spiegelSearch.add(\"";
    const END: &str = ");\n";
    let mut bytes = Vec::with_capacity(START.len() + key.len() + 2 + json.len() + END.len());
    for part in [START, key, "\",", json, END] {
        bytes.extend_from_slice(part.as_bytes());
    }
    bytes
}

#[cfg(test)]
pub(super) mod decode {
    //! Readers for the encodings above, for tests that check what the client will see.

    use super::DIGITS;

    pub(in super::super) fn numbers(text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut value = 0u32;
        for byte in text.bytes() {
            let digit = DIGITS.iter().position(|&d| d == byte).expect("digit") as u32;
            if digit >= 32 {
                value = value * 32 + digit - 32;
            } else {
                out.push(value * 32 + digit);
                value = 0;
            }
        }
        out
    }

    /// `(doc, level)` pairs in stored order.
    pub(in super::super) fn postings(text: &str) -> Vec<(u32, u8)> {
        let numbers = numbers(text);
        let mut out = Vec::new();
        let mut at = 0;
        let mut level: Option<u32> = None;
        while at < numbers.len() {
            let current = match level {
                None => numbers[at],
                Some(previous) => previous - numbers[at] - 1,
            };
            level = Some(current);
            let count = numbers[at + 1] + 1;
            at += 2;
            let mut doc: i64 = -1;
            for _ in 0..count {
                doc += i64::from(numbers[at]) + 1;
                at += 1;
                out.push((doc as u32, current as u8));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_small_ones_take_one_character() {
        let values = [0, 1, 31, 32, 1023, 1024, 99_999, u32::MAX];
        let mut text = String::new();
        for value in values {
            push_number(&mut text, value);
        }
        assert_eq!(decode::numbers(&text), values);
        let mut one = String::new();
        push_number(&mut one, 31);
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn postings_round_trip() {
        let list = [(3, 60), (9, 60), (1, 41), (2, 41), (7, 1)];
        assert_eq!(decode::postings(&postings(&list)), list);
    }

    #[test]
    fn json_strings_are_written_as_ascii_json_writes_them() {
        let every: String = (0..=0x10FFFF_u32).filter_map(char::from_u32).collect();
        let chunks = every.chars().collect::<Vec<_>>();
        let mut texts: Vec<String> = chunks.chunks(61).map(|c| c.iter().collect()).collect();
        texts.extend(["", "plain", "\"q\" \\ \u{7f}\u{1}\n", "é👶x\u{2028}"].map(String::from));
        for text in texts {
            let mut out = String::new();
            push_json_str(&mut out, &text);
            assert_eq!(out, ascii_json(&Value::String(text.clone())), "{text:?}");
        }
    }

    #[test]
    fn json_is_ascii_with_escapes() {
        let text = ascii_json(&serde_json::json!({"t": "Creëren 👶"}));
        assert_eq!(text, r#"{"t":"Cre\u00ebren \ud83d\udc76"}"#);
    }
}
