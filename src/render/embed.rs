//! Data embedded in pages: JSON inside a `<script>` element (search data, a page's
//! facts for the theme's scripts) that can never end its element or start markup,
//! whatever a title or text holds.
//!
//! Takes any JSON value; hands on JSON text in which `<`, `>` and `&` (and the line
//! separators old JavaScript chokes on) are written as `\u` escapes. Such text is
//! still the same JSON, but holds no `</script>` and no `<!--`. Templates use it as
//! the `json_script` filter: `<script type="application/json">{{ page | json_script }}</script>`.

use std::collections::HashMap;

use serde_json::Value;

/// `value` as JSON that is safe between `<script>` and `</script>`.
pub fn script_json(value: &Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
    }
    out
}

/// The `json_script` template filter. Its output is marked safe: HTML escaping would
/// break the JSON, and [`script_json`] already keeps it inside its element. Only for
/// use inside `<script>`; in an attribute, use `json_encode` (escaped as usual).
pub(crate) struct JsonScript;

impl tera::Filter for JsonScript {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(Value::String(script_json(value)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cannot_close_its_script() {
        let value = json!({"title": "</script><script>alert(1)</script><!-- & \u{2028}"});
        let text = script_json(&value);
        assert_eq!(
            text,
            "{\"title\":\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\"}"
        );
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value, "still the same JSON");
    }
}
