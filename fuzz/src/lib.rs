//! The fuzz targets' oracle: a small, independent reading of an HTML page that finds
//! markup able to run script. It is deliberately not the sanitiser's code: it tokenises
//! the page as a browser would and rejects script-capable elements, event handlers,
//! script URLs and comments, so a hole in the sanitiser shows up as a crash.

/// Elements that run or embed code, or change where the page's links and forms go.
const FORBIDDEN: &[&str] = &[
    "script",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "button",
    "math",
    "frame",
    "frameset",
    "template",
    "textarea",
    "select",
    "noscript",
    "xmp",
    "plaintext",
    "noembed",
    "portal",
];

/// Attributes whose value is a URL.
const URL_ATTRIBUTES: &[&str] =
    &["href", "src", "xlink:href", "cite", "poster", "data", "background", "action"];

/// The one origin the fuzz site allows in iframes.
const IFRAME_ORIGIN: &str = "https://www.youtube-nocookie.com";

/// `Err` with what was found if `html` holds markup that could run script.
pub fn check(html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let at = &rest[lt..];
        rest = &at[1..];
        let lower = at.get(..15).unwrap_or(at).to_ascii_lowercase();
        if lower.starts_with("<!doctype html>") {
            continue;
        }
        if at.starts_with("<!") || at.starts_with("<?") {
            return Err(format!("markup declaration or comment {:?}", snippet(at)));
        }
        let (is_end, name_start) = if at.starts_with("</") { (true, 2) } else { (false, 1) };
        if !at[name_start..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let (name, attributes, after) = read_tag(&at[name_start..])
            .ok_or_else(|| format!("unterminated tag {:?}", snippet(at)))?;
        if FORBIDDEN.contains(&name.as_str()) {
            return Err(format!("<{name}> element"));
        }
        if is_end {
            rest = after;
            continue;
        }
        if name == "input" && !is_task_checkbox(&attributes) {
            return Err(format!("<input> element {attributes:?}"));
        }
        check_attributes(&name, &attributes)?;
        rest = after;
        if name == "style" {
            // Raw text up to the first `</style`, as a browser reads it.
            let end = rest.to_ascii_lowercase().find("</style").unwrap_or(rest.len());
            rest = &rest[end..];
        }
    }
    Ok(())
}

fn check_attributes(tag: &str, attributes: &[(String, String)]) -> Result<(), String> {
    for (name, value) in attributes {
        if name.starts_with("on") || ["srcdoc", "formaction", "http-equiv"].contains(&name.as_str())
        {
            return Err(format!("<{tag} {name}=\"{value}\">"));
        }
        if name == "style" && !allowed_style(value) {
            return Err(format!("<{tag} style=\"{value}\">"));
        }
        if URL_ATTRIBUTES.contains(&name.as_str()) && !safe_url(value) {
            return Err(format!("<{tag} {name}=\"{value}\">"));
        }
    }
    if tag == "iframe" {
        let src = attributes.iter().find(|(n, _)| n == "src").map_or("", |(_, v)| v.as_str());
        let allowed = src
            .strip_prefix(IFRAME_ORIGIN)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']));
        if !allowed {
            return Err(format!("<iframe src=\"{src}\">"));
        }
    }
    Ok(())
}

/// The checkbox pulldown-cmark writes for a task list item.
fn is_task_checkbox(attributes: &[(String, String)]) -> bool {
    attributes.iter().all(|(name, value)| {
        name == "disabled" || name == "checked" || name == "type" && value == "checkbox"
    })
}

/// The styles spiegel itself writes: table alignment (pulldown-cmark) and the graph's size.
fn allowed_style(value: &str) -> bool {
    let align = ["left", "center", "right"].iter().any(|a| value == format!("text-align: {a}"));
    let graph = value
        .strip_prefix("max-width: ")
        .and_then(|v| v.strip_suffix("px; height: auto"))
        .is_some_and(|n| n.parse::<f64>().is_ok());
    align || graph
}

/// No scheme, or http(s), mailto, tel; read more strictly than a browser does
/// (every control character and space removed anywhere).
fn safe_url(value: &str) -> bool {
    let compact: String = value
        .chars()
        .filter(|c| *c > ' ' && *c != '\u{7F}')
        .collect::<String>()
        .to_ascii_lowercase();
    let Some((scheme, _)) = compact.split_once(':') else { return true };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    !is_scheme || ["http", "https", "mailto", "tel"].contains(&scheme)
}

/// A tag's attributes: lowercased names, decoded values.
type Attributes = Vec<(String, String)>;

/// Reads a tag from just after `<` or `</`: lowercased name, attributes with values
/// decoded, and the text after `>`.
fn read_tag(at: &str) -> Option<(String, Attributes, &str)> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C');
    let name_end = at.find(|c: char| is_space(c) || c == '/' || c == '>')?;
    let name = at[..name_end].to_ascii_lowercase();
    let mut rest = &at[name_end..];
    let mut attributes = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| is_space(c) || c == '/');
        if let Some(after) = rest.strip_prefix('>') {
            return Some((name, attributes, after));
        }
        let first = rest.chars().next()?.len_utf8();
        let len = rest[first..]
            .find(|c: char| is_space(c) || c == '/' || c == '>' || c == '=')
            .map_or(rest.len(), |i| first + i);
        let attribute = rest[..len].to_ascii_lowercase();
        rest = rest[len..].trim_start_matches(is_space);
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start_matches(is_space);
            let (raw, next) = match after.chars().next()? {
                q @ ('"' | '\'') => {
                    let close = after[1..].find(q)?;
                    (&after[1..1 + close], &after[close + 2..])
                }
                _ => {
                    let end = after.find(|c: char| is_space(c) || c == '>').unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode(raw);
            rest = next;
        }
        attributes.push((attribute, value));
    }
}

/// Decodes the character references spiegel writes (its five escapes) and numeric
/// ones; other named references stay as they are.
fn decode(raw: &str) -> String {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let known =
            [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\'')];
        if let Some((entity, c)) = known.iter().find(|(e, _)| rest.starts_with(e)) {
            out.push(*c);
            rest = &rest[entity.len()..];
        } else if let Some((c, len)) = numeric_reference(rest) {
            out.push(c);
            rest = &rest[len..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `&#106;` or `&#x6A;` (semicolon optional, as browsers read them): the character and
/// the reference's length.
fn numeric_reference(at: &str) -> Option<(char, usize)> {
    let number = at.strip_prefix("&#")?;
    let (digits, radix, prefix) = match number.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16, 3),
        None => (number, 10, 2),
    };
    let len = digits.chars().take_while(|c| c.is_digit(radix)).count();
    let value = u32::from_str_radix(digits.get(..len.min(8))?, radix).ok()?;
    let semicolon = usize::from(digits[len..].starts_with(';'));
    Some((char::from_u32(value).unwrap_or('\u{FFFD}'), prefix + len + semicolon))
}

fn snippet(at: &str) -> String {
    at.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn finds_what_runs_script() {
        for bad in [
            "<p>x</p><script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\" java&#x09;script:alert(1)\">",
            "<a href=\"JAVASCRIPT:alert(1)\">",
            "<iframe src=\"https://evil.example/\"></iframe>",
            "<!-- x -->",
            "<p style=\"background:url(x)\">",
            "<style></style><script>",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
        for good in [
            "<!doctype html><p class=\"a\">a &lt;script&gt; b</p><a href=\"../x/index.html\">x</a>",
            "<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>",
            "<style>a:hover{x:y}</style><td style=\"text-align: left\">",
            "3 < 4",
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
    }
}
