//! One pass over a page's Markdown that finds what the link stage needs: its headings
//! (with the ids the renderer will give them) and every cross-link with its position
//! and the sentence around it.
//!
//! Links come from pulldown-cmark's own parse, so text inside code spans and code
//! blocks is never taken for a link.

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::markdown::{heading_ids, options};

/// A heading of a page, with its anchor id.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkForm {
    /// `[[slug]]`, `[[slug|label]]`, `[[folder/slug#heading]]`.
    Wiki { has_label: bool },
    /// `[text](../map/pagina.md#kop)`.
    Markdown,
}

/// A link found in a page body, not yet resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct RawLink {
    /// Byte offset of the link in the body: the key under which `markdown` finds it again.
    pub offset: usize,
    pub form: LinkForm,
    /// The slug, key or `.md` path, without fragment.
    pub target: String,
    pub fragment: Option<String>,
    /// The sentence around the link, as plain text.
    pub context: String,
}

/// What [`scan`] found in one body.
#[derive(Debug, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    pub links: Vec<RawLink>,
}

/// Scans one Markdown body.
pub fn scan(body: &str) -> Scan {
    let mut scan = Scan::default();
    let mut heading: Option<(u8, String)> = None;
    let mut block = BlockText::default();
    // Inside a wiki link without a label: its text is the slug, shown as the title.
    let mut in_titled_link = false;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    scan.headings.push(Heading { level, id: String::new(), text });
                }
                block.finish(&mut scan.links);
            }
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                if let Some(link) = raw_link(link_type, &dest_url, range.start) {
                    block.mark(scan.links.len());
                    if link.form == (LinkForm::Wiki { has_label: false }) {
                        block.text.push_str(&title_placeholder(scan.links.len()));
                        in_titled_link = true;
                    }
                    scan.links.push(link);
                }
            }
            Event::End(TagEnd::Link) => in_titled_link = false,
            Event::Text(text) | Event::Code(text) if in_titled_link => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&text);
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&text);
                }
                block.text.push_str(&text);
            }
            Event::SoftBreak | Event::HardBreak => block.text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                block.finish(&mut scan.links);
            }
            _ => {}
        }
    }
    block.finish(&mut scan.links);
    let ids = heading_ids(scan.headings.iter().map(|h| h.text.as_str()));
    for (heading, id) in scan.headings.iter_mut().zip(ids) {
        heading.id = id;
    }
    scan
}

fn raw_link(link_type: LinkType, dest: &str, offset: usize) -> Option<RawLink> {
    let (target, fragment) = match dest.split_once('#') {
        Some((t, f)) => (t.to_string(), Some(f.to_string())),
        None => (dest.to_string(), None),
    };
    let form = match link_type {
        LinkType::WikiLink { has_pothole } => LinkForm::Wiki { has_label: has_pothole },
        _ if is_markdown_file_link(&target) => LinkForm::Markdown,
        _ => return None,
    };
    Some(RawLink { offset, form, target, fragment, context: String::new() })
}

/// A link to another `.md` file of the site (not a URL with a scheme).
pub fn is_markdown_file_link(target: &str) -> bool {
    let has_scheme = target.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    !has_scheme && !target.starts_with("//") && target.ends_with(".md")
}

/// Stands in a context for the title of link `index`'s target, which is known only
/// once links are resolved (see [`fill_titles`]).
fn title_placeholder(index: usize) -> String {
    format!("\u{E000}{index}\u{E001}")
}

/// Replaces the placeholders in a context with `title(link index)`.
pub fn fill_titles(context: &str, title: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(context.len());
    let mut rest = context;
    while let Some(start) = rest.find('\u{E000}') {
        out.push_str(&rest[..start]);
        let after = &rest[start + '\u{E000}'.len_utf8()..];
        let Some(end) = after.find('\u{E001}') else {
            rest = ""; // cut off by the sentence's length limit
            break;
        };
        if let Ok(index) = after[..end].parse() {
            out.push_str(&title(index));
        }
        rest = &after[end + '\u{E001}'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The plain text of the block being read, and which links sit where in it.
#[derive(Default)]
struct BlockText {
    text: String,
    /// (link index, byte position in `text`).
    marks: Vec<(usize, usize)>,
}

impl BlockText {
    fn mark(&mut self, link: usize) {
        self.marks.push((link, self.text.len()));
    }

    fn finish(&mut self, links: &mut [RawLink]) {
        for &(link, at) in &self.marks {
            links[link].context = sentence_around(&self.text, at);
        }
        self.text.clear();
        self.marks.clear();
    }
}

/// The sentence of `text` that contains byte position `at`, trimmed to a readable length.
/// Only a window around `at` is searched: a paragraph of many links and no full stop
/// would otherwise be read once per link.
fn sentence_around(text: &str, at: usize) -> String {
    const WINDOW: usize = 500;
    let at = floor_boundary(text, at.min(text.len()));
    let window_start = floor_boundary(text, at.saturating_sub(WINDOW));
    let window_end = floor_boundary(text, (at + WINDOW).min(text.len()));
    let is_end = |c: char| matches!(c, '.' | '!' | '?');
    let start = text[window_start..at].rfind(is_end).map_or(window_start, |i| window_start + i + 1);
    let end = text[at..window_end].find(is_end).map_or(window_end, |i| at + i + 1);
    let sentence = text[start..end].split_whitespace().collect::<Vec<_>>().join(" ");
    const LIMIT: usize = 240;
    if sentence.chars().count() <= LIMIT {
        return sentence;
    }
    let cut: String = sentence.chars().take(LIMIT).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

/// The nearest char boundary at or before `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_not_in_code() {
        let body = "Zie [[coaching]] en [[team|het team]].\n\n`[[niet]]`\n\n```\n[[ook-niet]]\n```\n\n[tekst](../methodieken/observeren.md#stappen) en [web](https://x.org/a.md)\n";
        let scan = scan(body);
        let targets: Vec<(&str, Option<&str>, LinkForm)> =
            scan.links.iter().map(|l| (l.target.as_str(), l.fragment.as_deref(), l.form)).collect();
        assert_eq!(
            targets,
            [
                ("coaching", None, LinkForm::Wiki { has_label: false }),
                ("team", None, LinkForm::Wiki { has_label: true }),
                ("../methodieken/observeren.md", Some("stappen"), LinkForm::Markdown),
            ]
        );
        assert_eq!(scan.links[0].offset, 4);
        let titled = fill_titles(&scan.links[0].context, |i| format!("<{i}>"));
        assert_eq!(titled, "Zie <0> en het team.");
    }

    #[test]
    fn headings_get_unique_ids() {
        let scan = scan("# Rol van de coach\n\n## Vragen\n\n## Vragen\n\n## Creëren & `spel`\n");
        let ids: Vec<&str> = scan.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["rol-van-de-coach", "vragen", "vragen-1", "creeren-spel"]);
    }

    #[test]
    fn context_is_the_sentence() {
        let text = "Eerst dit. Dan de link hier, midden in de zin! En daarna nog iets.";
        assert_eq!(sentence_around(text, 20), "Dan de link hier, midden in de zin!");
    }

    #[test]
    fn the_sentence_is_searched_near_the_link_only() {
        // Searched through the whole text, these calls read 6 GB; near the link, 3 MB.
        let text = "woord ".repeat(350_000);
        let start = std::time::Instant::now();
        for _ in 0..3000 {
            assert!(sentence_around(&text, text.len() - 3).chars().count() <= 242);
        }
        let elapsed = start.elapsed();
        assert!(elapsed < std::time::Duration::from_secs(10), "took {elapsed:?}");
    }

    #[test]
    fn markdown_file_links() {
        assert!(is_markdown_file_link("../a/b.md"));
        assert!(is_markdown_file_link("/a/b.md"));
        assert!(!is_markdown_file_link("https://x.org/b.md"));
        assert!(!is_markdown_file_link("mailto:a@b.md"));
        assert!(!is_markdown_file_link("b.html"));
    }
}
