//! Raw HTML in Markdown, cleaned to an allow-list, so that a page can never run a script
//! its author slipped in (or pasted from somewhere without knowing).
//!
//! Takes the event stream as the parser made it and the site's [`HtmlPolicy`]; hands on
//! the same stream with every piece of raw HTML rebuilt from what the allow-list keeps:
//! ordinary formatting, `<details>`, `<figure>`, images, tables, media, and `<iframe>`s
//! from origins the site allows. Scripts, styles, SVG and MathML go with their content;
//! other unknown tags go and their text stays; event handlers, `style` and URLs with a
//! scheme other than http(s), mailto and tel are dropped. Markdown links and images with
//! such URLs lose their link. It runs before our own passes, so the HTML they make
//! (highlighted code) and the links they resolve are never touched.
//!
//! Why not a full HTML parser (ammonia on html5ever): raw HTML in Markdown comes in
//! pieces between Markdown (`<details>`, then Markdown, then `</details>`), and a
//! fragment parser closes each piece on its own. This cleaner works piece by piece and
//! is safe by construction: every `<` it writes starts a tag it built itself from the
//! allow-list, with each attribute value decoded, checked and escaped again, so however
//! a browser would have read the original, it can only see what the cleaner wrote.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::config::HtmlPolicy;
use crate::render::theme::escape_html;

/// Elements kept, with the attributes each may carry besides [`GLOBAL_ATTRIBUTES`].
const ELEMENTS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("abbr", &[]),
    ("address", &[]),
    ("article", &[]),
    ("aside", &[]),
    ("audio", &["src", "controls", "loop", "muted", "preload"]),
    ("b", &[]),
    ("bdi", &[]),
    ("bdo", &[]),
    ("blockquote", &["cite"]),
    ("br", &[]),
    ("caption", &[]),
    ("center", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("data", &["value"]),
    ("dd", &[]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    ("dfn", &[]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("footer", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("header", &[]),
    ("hr", &[]),
    ("i", &[]),
    (
        "iframe",
        &["src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"],
    ),
    ("img", &["src", "alt", "width", "height", "loading"]),
    ("ins", &["cite", "datetime"]),
    ("kbd", &[]),
    ("li", &["value"]),
    ("mark", &[]),
    ("ol", &["start", "reversed", "type"]),
    ("p", &[]),
    ("picture", &[]),
    ("pre", &[]),
    ("q", &["cite"]),
    ("rp", &[]),
    ("rt", &[]),
    ("ruby", &[]),
    ("s", &[]),
    ("samp", &[]),
    ("section", &[]),
    ("small", &[]),
    ("source", &["src", "type", "media"]),
    ("span", &[]),
    ("strike", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("summary", &[]),
    ("sup", &[]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("tfoot", &[]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("thead", &[]),
    ("time", &["datetime"]),
    ("tr", &[]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    ("u", &[]),
    ("ul", &[]),
    ("var", &[]),
    (
        "video",
        &[
            "src",
            "controls",
            "width",
            "height",
            "poster",
            "loop",
            "muted",
            "playsinline",
            "preload",
        ],
    ),
    ("wbr", &[]),
];

/// Attributes every kept element may carry. Not `style` (it can hide or overlay the
/// page), not `name` or `data-*` (they reach into the theme's scripts).
const GLOBAL_ATTRIBUTES: &[&str] = &["class", "id", "title", "lang", "dir"];

/// Attributes holding a URL, checked by [`is_safe_url`].
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "poster"];

/// Elements dropped together with everything up to their end tag: their content is
/// code, styling, foreign markup or text a browser would not show as such.
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "noscript",
    "textarea",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
    "select",
    "frameset",
];

/// Elements whose content a browser reads as text up to the first end tag (no nesting).
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "iframe",
    "noscript",
    "textarea",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
];

/// An event with the byte offset in the body where it starts.
type Placed<'a> = (Event<'a>, usize);

/// Cleans the raw HTML in `events`, straight from the parser (see the module doc), so
/// that the later passes, the page's text for search included, see only what is kept.
/// Call only when sanitising is on.
pub(crate) fn clean_events<'a>(events: Vec<Placed<'a>>, policy: &HtmlPolicy) -> Vec<Placed<'a>> {
    let mut cleaner = Cleaner { policy, skipping: None };
    let mut out = Vec::with_capacity(events.len());
    // An HTML block comes line by line; a tag may span lines, so it is cleaned whole.
    let mut block: Option<(String, usize)> = None;
    // Markdown links and images whose URL was refused: their end events go too.
    let mut dropped_ends: Vec<TagEnd> = Vec::new();
    for (event, offset) in events {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                block = Some((String::new(), offset));
                out.push((event, offset));
            }
            Event::Html(html) if block.is_some() => {
                if let Some((block, _)) = block.as_mut() {
                    block.push_str(&html);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                let (html, start) = block.take().unwrap_or_default();
                out.push((Event::Html(cleaner.clean(&html).into()), start));
                out.push((event, offset));
            }
            Event::Html(html) => out.push((Event::Html(cleaner.clean(&html).into()), offset)),
            Event::InlineHtml(html) => {
                out.push((Event::InlineHtml(cleaner.clean(&html).into()), offset));
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if !is_safe_url(dest_url, false) =>
            {
                dropped_ends.push(match event {
                    Event::Start(Tag::Image { .. }) => TagEnd::Image,
                    _ => TagEnd::Link,
                });
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image))
                if dropped_ends.last() == Some(&end) =>
            {
                dropped_ends.pop();
            }
            Event::Start(_) | Event::End(_) => out.push((event, offset)),
            // Text inside a dropped element (`<script>` in a paragraph) goes with it.
            _ if cleaner.skipping.is_some() => {}
            other => out.push((other, offset)),
        }
    }
    if let Some((html, start)) = block {
        out.push((Event::Html(cleaner.clean(&html).into()), start));
    }
    out
}

/// Cleans pieces of raw HTML one after another; an element dropped with its content may
/// span pieces (`<script>` inline, its text, `</script>`).
struct Cleaner<'p> {
    policy: &'p HtmlPolicy,
    /// Inside an element dropped with its content: its name and nesting depth.
    skipping: Option<(String, usize)>,
}

impl Cleaner<'_> {
    fn clean(&mut self, html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while !rest.is_empty() {
            if self.skipping.is_some() {
                rest = self.skip(rest);
                continue;
            }
            let Some(lt) = rest.find('<') else {
                push_text(&mut out, rest);
                break;
            };
            push_text(&mut out, &rest[..lt]);
            rest = self.markup(&rest[lt..], &mut out);
        }
        out
    }

    /// Handles what starts at a `<`; returns the text after it.
    fn markup<'s>(&mut self, at: &'s str, out: &mut String) -> &'s str {
        if let Some(after) = at.strip_prefix("<!--") {
            return skip_comment(after);
        }
        if at.starts_with("<!") || at.starts_with("<?") {
            // Declarations, CDATA, processing instructions: a browser reads them as
            // comments up to the next `>`.
            return at.find('>').map_or("", |i| &at[i + 1..]);
        }
        match parse_tag(at) {
            Some((tag, rest)) => {
                self.tag(&tag, out);
                rest
            }
            None => {
                out.push_str("&lt;");
                &at[1..]
            }
        }
    }

    fn tag(&mut self, tag: &ParsedTag, out: &mut String) {
        let name = tag.name.as_str();
        if tag.end {
            if allowed_attributes(name).is_some() && name != "iframe" {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
            return;
        }
        if name == "iframe" {
            self.iframe(tag, out);
        } else if let Some(allowed) = allowed_attributes(name) {
            write_start_tag(name, &tag.attributes, allowed, out);
        }
        let foreign_and_closed = matches!(name, "svg" | "math") && tag.self_closing;
        if DROPPED_WITH_CONTENT.contains(&name) && !foreign_and_closed {
            self.skipping = Some((name.to_string(), 1));
        }
    }

    /// An `<iframe>` from an allowed origin is kept, closed at once: its content is
    /// never shown, and an unclosed one would swallow the rest of the page.
    fn iframe(&self, tag: &ParsedTag, out: &mut String) {
        let src = tag.attributes.iter().find(|(n, _)| n == "src").map(|(_, v)| v.as_str());
        let origin_allowed = src.and_then(origin).is_some_and(|origin| {
            self.policy.allow_iframe_origins.iter().any(|o| o.trim_end_matches('/') == origin)
        });
        if origin_allowed {
            let allowed = allowed_attributes("iframe").unwrap_or_default();
            write_start_tag("iframe", &tag.attributes, allowed, out);
            out.push_str("</iframe>");
        }
    }

    /// Drops text up to the end tag of the element being skipped; returns what follows.
    fn skip<'s>(&mut self, text: &'s str) -> &'s str {
        let Some((name, depth)) = self.skipping.as_mut() else { return text };
        let raw_text = RAW_TEXT.contains(&name.as_str());
        let mut rest = text;
        while let Some(lt) = rest.find('<') {
            let at = &rest[lt..];
            let parsed = if raw_text && !is_end_tag_of(at, name) { None } else { parse_tag(at) };
            let Some((tag, after)) = parsed else {
                rest = &at[1..];
                continue;
            };
            if tag.name == *name && tag.end {
                *depth -= 1;
            } else if tag.name == *name && !raw_text && !tag.self_closing {
                *depth += 1;
            }
            rest = after;
            if *depth == 0 {
                self.skipping = None;
                return rest;
            }
        }
        ""
    }
}

/// Whether `at` starts with `</name` and the name ends there, as a browser finds the end
/// of raw text (a `</script>` inside a quoted attribute still ends a script).
fn is_end_tag_of(at: &str, name: &str) -> bool {
    let Some(rest) = at.strip_prefix("</") else { return false };
    rest.get(..name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name))
        && rest[name.len()..].chars().next().is_none_or(is_tag_name_end)
}

/// The attributes `name` may carry, or `None` if the element is not kept.
fn allowed_attributes(name: &str) -> Option<&'static [&'static str]> {
    ELEMENTS.iter().find(|(n, _)| *n == name).map(|(_, attributes)| *attributes)
}

fn write_start_tag(
    name: &str,
    attributes: &[(String, String)],
    allowed: &[&str],
    out: &mut String,
) {
    out.push('<');
    out.push_str(name);
    let mut written: Vec<&str> = Vec::new();
    for (attribute, value) in attributes {
        let attribute = attribute.as_str();
        let keep = (allowed.contains(&attribute) || GLOBAL_ATTRIBUTES.contains(&attribute))
            && !written.contains(&attribute)
            && (!URL_ATTRIBUTES.contains(&attribute) || is_safe_url(value, attribute != "href"));
        if keep {
            // A browser ignores control characters and spaces around a URL; so do we.
            let value = if URL_ATTRIBUTES.contains(&attribute) {
                value.trim_matches(|c: char| c <= ' ')
            } else {
                value
            };
            written.push(attribute);
            out.push(' ');
            out.push_str(attribute);
            if !value.is_empty() {
                out.push_str("=\"");
                out.push_str(&escape_html(value));
                out.push('"');
            }
        }
    }
    out.push('>');
}

/// Text between tags: `<` and `>` escaped, `&` kept only where it starts a character
/// reference (which a browser turns into text, never into markup).
fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find(['<', '>', '&']) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        rest = &rest[i + 1..];
        match c {
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            _ if starts_character_reference(rest) => out.push('&'),
            _ => out.push_str("&amp;"),
        }
    }
    out.push_str(rest);
}

/// Whether the text after a `&` is `name;`, `#123;` or `#x1F;`.
fn starts_character_reference(after_amp: &str) -> bool {
    let (digits, is_digit): (&str, fn(&u8) -> bool) =
        if let Some(hex) = after_amp.strip_prefix("#x").or_else(|| after_amp.strip_prefix("#X")) {
            (hex, u8::is_ascii_hexdigit)
        } else if let Some(decimal) = after_amp.strip_prefix('#') {
            (decimal, u8::is_ascii_digit)
        } else {
            if !after_amp.starts_with(|c: char| c.is_ascii_alphabetic()) {
                return false;
            }
            (after_amp, u8::is_ascii_alphanumeric)
        };
    let len = digits.bytes().take_while(is_digit).count();
    len > 0 && len <= 32 && digits.as_bytes().get(len) == Some(&b';')
}

/// What follows a comment's start: the text after its end, or nothing if it never ends.
fn skip_comment(after: &str) -> &str {
    for abrupt in [">", "->"] {
        if let Some(rest) = after.strip_prefix(abrupt) {
            return rest;
        }
    }
    let ends = [after.find("-->").map(|i| i + 3), after.find("--!>").map(|i| i + 4)];
    ends.into_iter().flatten().min().map_or("", |end| &after[end..])
}

/// A start or end tag as a browser would tokenise it.
#[derive(Debug, PartialEq)]
struct ParsedTag {
    name: String,
    end: bool,
    self_closing: bool,
    /// Lowercased names with decoded values, in order; later duplicates are ignored
    /// when written.
    attributes: Vec<(String, String)>,
}

/// Parses the tag at the start of `at` (which starts with `<`); returns it and the text
/// after its `>`. `None` if no tag starts here or it is not closed by a `>`.
fn parse_tag(at: &str) -> Option<(ParsedTag, &str)> {
    let (end, rest) = match at.strip_prefix("</") {
        Some(rest) => (true, rest),
        None => (false, at.strip_prefix('<')?),
    };
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len = rest.find(is_tag_name_end).unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    let mut rest = &rest[name_len..];
    let mut attributes = Vec::new();
    let mut self_closing = false;
    loop {
        rest = rest.trim_start_matches(is_html_space);
        if let Some(after) = rest.strip_prefix('>') {
            return Some((ParsedTag { name, end, self_closing, attributes }, after));
        }
        if let Some(after) = rest.strip_prefix('/') {
            self_closing = after.starts_with('>');
            rest = after;
            continue;
        }
        if rest.is_empty() {
            return None;
        }
        self_closing = false;
        let (attribute, after) = parse_attribute(rest)?;
        attributes.push(attribute);
        rest = after;
    }
}

fn is_tag_name_end(c: char) -> bool {
    is_html_space(c) || c == '/' || c == '>'
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C')
}

/// One `name`, `name=value`, `name="value"` or `name='value'`, at a non-space.
fn parse_attribute(at: &str) -> Option<((String, String), &str)> {
    // A name may start with `=`; after that `=` ends it.
    let first = at.chars().next()?.len_utf8();
    let name_len =
        at[first..].find(|c: char| is_tag_name_end(c) || c == '=').map_or(at.len(), |i| first + i);
    let name = at[..name_len].to_ascii_lowercase();
    let rest = at[name_len..].trim_start_matches(is_html_space);
    let Some(rest) = rest.strip_prefix('=') else {
        return Some(((name, String::new()), rest));
    };
    let rest = rest.trim_start_matches(is_html_space);
    let (raw, after) = match rest.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &rest[1..];
            let close = inner.find(quote)?;
            (&inner[..close], &inner[close + 1..])
        }
        Some(_) => {
            let len = rest.find(|c: char| is_html_space(c) || c == '>').unwrap_or(rest.len());
            (&rest[..len], &rest[len..])
        }
        None => return None,
    };
    Some(((name, decode_references(raw)), after))
}

/// Decodes numeric character references and the common named ones. A reference left
/// undecoded is written back with its `&` escaped, so a browser sees the same text
/// this decoder saw: decoding more or less changes fidelity, never safety.
fn decode_references(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        match decode_one(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// The character of the reference at the start of `after_amp` and its length.
fn decode_one(after_amp: &str) -> Option<(char, usize)> {
    if let Some(number) = after_amp.strip_prefix('#') {
        let (digits, radix, prefix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (number, 10, 1),
        };
        let len = digits.bytes().take_while(|b| (*b as char).is_digit(radix)).count();
        if len == 0 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len.min(8)], radix).unwrap_or(u32::MAX);
        let c = char::from_u32(value).filter(|&c| c != '\0').unwrap_or('\u{FFFD}');
        let semicolon = usize::from(digits.as_bytes().get(len) == Some(&b';'));
        return Some((c, prefix + len + semicolon));
    }
    const NAMED: &[(&str, char)] = &[
        ("amp;", '&'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("apos;", '\''),
        ("nbsp;", '\u{A0}'),
        ("Tab;", '\t'),
        ("NewLine;", '\n'),
        ("colon;", ':'),
        ("sol;", '/'),
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("nbsp", '\u{A0}'),
    ];
    NAMED.iter().find(|(name, _)| after_amp.starts_with(name)).map(|(name, c)| (*c, name.len()))
}

/// Whether a URL cannot run script: relative, or http(s); for links also mailto and tel.
/// The URL is read more strictly than a browser reads it (which ignores tabs and
/// newlines anywhere, and control characters and spaces at the ends): every control
/// character and space is ignored, so `java script:` counts as `javascript:` too.
pub(crate) fn is_safe_url(url: &str, media: bool) -> bool {
    let compact: String = url.chars().filter(|&c| c > ' ' && c != '\u{7F}').collect();
    let Some(scheme) = scheme(&compact) else { return true };
    let allowed: &[&str] =
        if media { &["http", "https"] } else { &["http", "https", "mailto", "tel"] };
    allowed.contains(&scheme.to_ascii_lowercase().as_str())
}

/// The scheme of an absolute URL: a letter, then letters, digits, `+`, `-`, `.`, then `:`.
fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// `https://host[:port]` of an absolute http(s) URL, lowercased; `None` for anything
/// else, and for URLs with user info (`https://trusted@evil/`).
pub(crate) fn origin(url: &str) -> Option<String> {
    let url = url.trim_matches(|c: char| c <= ' ');
    let scheme = scheme(url)?.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let after = url[scheme.len() + 1..].strip_prefix("//")?;
    let host = &after[..after.find(['/', '\\', '?', '#']).unwrap_or(after.len())];
    if host.is_empty() || host.contains('@') || host.contains(|c: char| c <= ' ') {
        return None;
    }
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

#[cfg(test)]
fn clean_html(html: &str, policy: &HtmlPolicy) -> String {
    Cleaner { policy, skipping: None }.clean(html)
}

/// Checks (raw HTML, cleaned HTML) pairs under a policy that allows one iframe origin.
#[cfg(test)]
fn assert_cleaned(cases: &[(&str, &str)]) {
    let policy = HtmlPolicy {
        sanitize: true,
        allow_iframe_origins: vec!["https://www.youtube-nocookie.com".into()],
    };
    for (html, want) in cases {
        assert_eq!(clean_html(html, &policy), *want, "{html}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ordinary_formatting() {
        let cases = [
            "<details open><summary>Meer</summary>",
            "<figure><img src=\"foto.jpg\" alt=\"Kinderen &amp; spel\"><figcaption>Spel</figcaption></figure>",
            "<table><tr><td colspan=\"2\">a</td></tr></table>",
            "<p class=\"tip\">Let op: 3 &lt; 4 &amp; &eacute;</p>",
            "<a href=\"https://example.org/a?b=1&amp;c=2\">x</a>",
            "<a href=\"../visie/index.html#kern\">x</a><br>",
        ];
        assert_cleaned(&cases.map(|html| (html, html)));
    }

    #[test]
    fn rebuilds_tags_in_one_form() {
        let cases = [
            ("<IMG SRC=foto.jpg ALT='a \"b\"'/>", "<img src=\"foto.jpg\" alt=\"a &quot;b&quot;\">"),
            ("<p title=\"a>b\">x", "<p title=\"a&gt;b\">x"),
            ("<b id=a id=b>x</b >", "<b id=\"a\">x</b>"),
            ("a < b && c > d", "a &lt; b &amp;&amp; c &gt; d"),
            ("<div\nclass=\"x\"\n>", "<div class=\"x\">"),
            ("<p", "&lt;p"),
        ];
        assert_cleaned(&cases);
    }

    #[test]
    fn drops_what_can_run_script() {
        let cases = [
            ("<script>alert(1)</script>ok", "ok"),
            ("<SCRIPT type=module>x</script >ok", "ok"),
            ("<script>a</p></script>ok", "ok"),
            ("<img src=x onerror=alert(1)>", "<img src=\"x\">"),
            ("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>"),
            ("<a href=\"  JaVa\tScRiPt:alert(1)\">x</a>", "<a>x</a>"),
            ("<a href=\"java&#x09;script&#58;alert(1)\">x</a>", "<a>x</a>"),
            ("<a href=\"&#106;avascript:alert(1)\">x</a>", "<a>x</a>"),
            ("<a href=\"java&Tab;script&colon;alert(1)\">x</a>", "<a>x</a>"),
            ("<a href=\"vbscript:x\">x</a>", "<a>x</a>"),
            ("<a href=\"javascript   :x\">x</a>", "<a>x</a>"),
            ("<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">", "<img>"),
            ("<svg><script>alert(1)</script><svg></svg></svg>ok", "ok"),
            ("<svg/onload=alert(1)>ok", ""),
            ("<svg/>ok", "ok"),
            ("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>ok", "ok"),
            ("<iframe src=\"https://evil.example/\"></iframe>ok", "ok"),
            ("<style>body{display:none}</style>ok", "ok"),
            ("<p style=\"position:fixed\">x</p>", "<p>x</p>"),
            ("<base href=\"https://evil.example/\"><form action=x><input name=a></form>", ""),
            ("<object data=x.swf>fallback</object>ok", "ok"),
            ("<embed src=x.swf>ok", "ok"),
            ("<!-- <script>alert(1)</script> -->ok", "ok"),
            ("<!--><script>x</script>", ""),
            ("<![CDATA[<script>x</script>]]>", "x]]&gt;"),
            (
                "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
                "<img src=\"x\">\"&gt;",
            ),
            ("<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">", ""),
            ("<link rel=stylesheet href=x.css>", ""),
            ("<div onclick=\"alert(1)\" class=x>y</div>", "<div class=\"x\">y</div>"),
        ];
        assert_cleaned(&cases);
    }

    #[test]
    fn iframes_only_from_allowed_origins() {
        let cases = [
            (
                "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" width=560 onload=x>inside</iframe>ok",
                "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" width=\"560\"></iframe>ok",
            ),
            ("<iframe src=\"https://www.youtube-nocookie.com@evil.example/\"></iframe>", ""),
            ("<iframe src=\"https://www.youtube-nocookie.com.evil.example/\"></iframe>", ""),
            ("<iframe src=\"//www.youtube-nocookie.com/embed/x\"></iframe>", ""),
            (
                "<iframe src=\"\u{2} https://www.youtube-nocookie.com/x \"></iframe>",
                "<iframe src=\"https://www.youtube-nocookie.com/x\"></iframe>",
            ),
            ("<iframe srcdoc=\"<script>x</script>\"></iframe>", ""),
        ];
        assert_cleaned(&cases);
    }

    #[test]
    fn urls() {
        for url in [
            "a.html",
            "../b/",
            "#kop",
            "https://x.org",
            "mailto:a@b.nl",
            "tel:+31",
            "//x.org/a",
            "a:b/c",
        ] {
            let safe = url != "a:b/c";
            assert_eq!(is_safe_url(url, false), safe, "{url}");
        }
        assert!(!is_safe_url("mailto:a@b.nl", true));
        assert!(!is_safe_url("\u{1}javascript:x", false));
        assert_eq!(
            origin("HTTPS://Player.Vimeo.com/video/1"),
            Some("https://player.vimeo.com".into())
        );
        assert_eq!(origin("https://a.nl@b.nl/"), None);
        assert_eq!(origin("https://a.nl\\@b.nl/"), Some("https://a.nl".into()));
    }

    #[test]
    fn character_references_in_text() {
        assert!(starts_character_reference("amp; x"));
        assert!(starts_character_reference("#x1F600;"));
        assert!(!starts_character_reference("amp x"));
        assert!(!starts_character_reference("#;"));
        assert_eq!(
            decode_references("a&#0;b&#x110000;&amp&unknown;"),
            "a\u{FFFD}b\u{FFFD}&&unknown;"
        );
    }
}
