//! Markdown to HTML: pulldown-cmark with the site's extensions, heading ids, resolved
//! cross-links and syntect highlighting, as small passes over the event stream.
//!
//! Takes a page body and its link data; hands on the HTML and the page's plain text cut
//! into sections at its headings (for search and summaries). Apart from heading ids,
//! links the link stage resolved and code blocks with a language, the HTML is exactly
//! what pulldown-cmark renders.

use std::collections::HashMap;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::link::{Heading, ResolvedLink};
use crate::photos::PageImage;
use crate::render::theme::escape_html;
use crate::slug::slugify;

/// The Markdown dialect of every page: CommonMark plus tables, footnotes,
/// strikethrough, task lists and wiki links.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
}

/// Unique anchor ids for a page's headings, in order: `Vragen`, `Vragen` →
/// `vragen`, `vragen-1`. A heading with no letters or digits gets `kop`.
pub fn heading_ids<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut used: HashMap<String, usize> = HashMap::new();
    texts
        .map(|text| {
            let mut base = slugify(text);
            if base.is_empty() {
                base = "kop".into();
            }
            let count = used.entry(base.clone()).or_insert(0);
            let id = if *count == 0 { base.clone() } else { format!("{base}-{count}") };
            *count += 1;
            id
        })
        .collect()
}

/// A part of a page's text under one heading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// The heading's id; `None` for the text before the first heading.
    pub anchor: Option<String>,
    pub heading: String,
    pub text: String,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    pub html: String,
    pub sections: Vec<Section>,
    /// The plain text of the first paragraph, for descriptions.
    pub first_paragraph: String,
}

/// Syntax highlighting, loaded on first use: most pages have no code.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    /// The code as HTML with `hl-` classes, or `None` for an unknown language.
    fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = syntaxes.find_syntax_by_token(lang)?;
        let mut generator = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            syntaxes,
            ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(generator.finalize())
    }
}

/// How a resolved link is written into this page.
pub trait LinkWriter {
    /// The href from the current page to `target`, with `#fragment`.
    fn href(&self, target: usize, fragment: Option<&str>) -> String;
    fn title(&self, target: usize) -> &str;
    /// The href from the current page to a site-relative file.
    fn file_href(&self, path: &str) -> String;
}

/// What earlier stages found in a body, each keyed by its byte offset there.
pub struct References<'r> {
    /// From the link stage's scan of the same body.
    pub headings: &'r [Heading],
    pub links: &'r [ResolvedLink],
    /// From the photo plan: the images, sorted by offset.
    pub images: &'r [PageImage],
}

/// Renders a body.
pub fn render(
    body: &str,
    refs: &References<'_>,
    writer: &dyn LinkWriter,
    highlighter: &Highlighter,
) -> RenderedBody {
    let mut pass = Pass {
        headings: refs.headings,
        heading: 0,
        links: refs.links,
        images: refs.images,
        writer,
        highlighter,
        replace_label: None,
        code: None,
        image: None,
        sections: Sections::default(),
    };
    let mut events: Vec<Event<'_>> = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        pass.event(event, range.start, &mut events);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let first_paragraph = pass.sections.first_paragraph.trim().to_string();
    RenderedBody { html, sections: pass.sections.finish(), first_paragraph }
}

struct Pass<'p> {
    headings: &'p [Heading],
    heading: usize,
    links: &'p [ResolvedLink],
    images: &'p [PageImage],
    writer: &'p dyn LinkWriter,
    highlighter: &'p Highlighter,
    /// Inside a wiki link shown with its target's title: the title, until written.
    replace_label: Option<Option<String>>,
    /// Inside a fenced code block with a language: (language, code so far).
    code: Option<(String, String)>,
    /// Inside an image the plan resolved: it, its title and its alt text so far.
    image: Option<(&'p PageImage, String, String)>,
    sections: Sections,
}

impl<'a> Pass<'_> {
    fn event(&mut self, event: Event<'a>, offset: usize, out: &mut Vec<Event<'a>>) {
        self.sections.observe(&event, self.headings.get(self.heading));
        match event {
            Event::Start(Tag::Image { ref title, .. }) => {
                match self.images.binary_search_by_key(&offset, |i| i.offset) {
                    Ok(i) => self.image = Some((&self.images[i], title.to_string(), String::new())),
                    Err(_) => out.push(event),
                }
            }
            Event::Text(text) | Event::Code(text) if self.image.is_some() => {
                if let Some((_, _, alt)) = self.image.as_mut() {
                    alt.push_str(&text);
                }
            }
            Event::End(TagEnd::Image) if self.image.is_some() => {
                if let Some((image, title, alt)) = self.image.take() {
                    out.push(Event::Html(self.img_tag(image, &title, &alt).into()));
                }
            }
            Event::Start(Tag::Heading { level, id: None, classes, attrs }) => {
                let id = self.headings.get(self.heading).map(|h| CowStr::from(h.id.clone()));
                self.heading += 1;
                out.push(Event::Start(Tag::Heading { level, id, classes, attrs }));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = match self.links.binary_search_by_key(&offset, |l| l.offset) {
                    Ok(i) => {
                        let link = &self.links[i];
                        if link.use_title {
                            self.replace_label =
                                Some(Some(self.writer.title(link.target).to_string()));
                        }
                        CowStr::from(self.writer.href(link.target, link.fragment.as_deref()))
                    }
                    Err(_) => dest_url,
                };
                out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Event::End(TagEnd::Link) => {
                if let Some(Some(title)) = self.replace_label.take() {
                    out.push(Event::Text(title.into()));
                }
                out.push(Event::End(TagEnd::Link));
            }
            Event::Text(_) | Event::Code(_) if self.replace_label.is_some() => {
                if let Some(Some(title)) = self.replace_label.as_mut().map(Option::take) {
                    out.push(Event::Text(title.into()));
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref lang)))
                if !lang.trim().is_empty() =>
            {
                let lang = lang.split_whitespace().next().unwrap_or_default().to_string();
                self.code = Some((lang, String::new()));
                out.push(event);
            }
            Event::Text(text) if self.code.is_some() => {
                if let Some((_, code)) = self.code.as_mut() {
                    code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) if self.code.is_some() => {
                let (lang, code) = self.code.take().unwrap_or_default();
                match self.highlighter.highlight(&lang, &code) {
                    Some(html) => out.push(Event::Html(html.into())),
                    None => out.push(Event::Text(code.into())),
                }
                out.push(Event::End(TagEnd::CodeBlock));
            }
            other => out.push(other),
        }
    }
}

impl Pass<'_> {
    /// `<img>` with `srcset` and the size of the largest version, loaded lazily.
    fn img_tag(&self, image: &PageImage, title: &str, alt: &str) -> String {
        let mut tag = format!("<img src=\"{}\"", escape_html(&self.writer.file_href(&image.src)));
        if let Some(largest) = image.srcset.last() {
            let srcset: Vec<String> = image
                .srcset
                .iter()
                .map(|v| format!("{} {}w", escape_html(&self.writer.file_href(&v.path)), v.width))
                .collect();
            tag.push_str(&format!(
                " srcset=\"{}\" sizes=\"(min-width: 46rem) 43rem, 100vw\" width=\"{}\" height=\"{}\"",
                srcset.join(", "),
                largest.width,
                largest.height
            ));
        }
        tag.push_str(&format!(" alt=\"{}\"", escape_html(alt)));
        if !title.is_empty() {
            tag.push_str(&format!(" title=\"{}\"", escape_html(title)));
        }
        tag.push_str(" loading=\"lazy\" decoding=\"async\">");
        tag
    }
}

/// Collects plain text per heading section.
#[derive(Default)]
struct Sections {
    done: Vec<Section>,
    current: Section,
    in_heading: bool,
    /// The first paragraph's text; `in_first_paragraph` while it is being read.
    first_paragraph: String,
    in_first_paragraph: bool,
    seen_paragraph: bool,
}

impl Sections {
    fn observe(&mut self, event: &Event<'_>, next_heading: Option<&Heading>) {
        self.observe_first_paragraph(event);
        match event {
            Event::Start(Tag::Heading { .. }) => {
                let finished = std::mem::take(&mut self.current);
                if !finished.text.is_empty() || finished.anchor.is_some() {
                    self.done.push(finished);
                }
                self.current.anchor = next_heading.map(|h| h.id.clone());
                self.in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => self.in_heading = false,
            Event::Text(t) | Event::Code(t) => {
                let target = if self.in_heading {
                    &mut self.current.heading
                } else {
                    &mut self.current.text
                };
                target.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => self.current.text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) if !self.current.text.ends_with(' ') && !self.current.text.is_empty() => {
                self.current.text.push(' ');
            }
            _ => {}
        }
    }

    fn observe_first_paragraph(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Paragraph) if !self.seen_paragraph => {
                self.seen_paragraph = true;
                self.in_first_paragraph = true;
            }
            Event::End(TagEnd::Paragraph) => self.in_first_paragraph = false,
            Event::Text(t) | Event::Code(t) if self.in_first_paragraph => {
                self.first_paragraph.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak if self.in_first_paragraph => {
                self.first_paragraph.push(' ')
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Vec<Section> {
        if !self.current.text.is_empty() || self.current.anchor.is_some() {
            self.done.push(self.current);
        }
        for section in &mut self.done {
            let trimmed = section.text.trim_end().len();
            section.text.truncate(trimmed);
        }
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::scan::scan;

    struct Fixed;
    impl LinkWriter for Fixed {
        fn href(&self, target: usize, fragment: Option<&str>) -> String {
            format!(
                "../p{target}/index.html{}",
                fragment.map(|f| format!("#{f}")).unwrap_or_default()
            )
        }
        fn title(&self, _: usize) -> &str {
            "Coaching & co"
        }
        fn file_href(&self, path: &str) -> String {
            format!("../../{path}")
        }
    }

    fn render_with_links(body: &str, targets: &[usize]) -> RenderedBody {
        let s = scan(body);
        let links: Vec<ResolvedLink> = s
            .links
            .iter()
            .zip(targets)
            .map(|(l, &target)| ResolvedLink {
                offset: l.offset,
                target,
                fragment: l.fragment.clone(),
                use_title: l.form == crate::link::scan::LinkForm::Wiki { has_label: false },
                context: String::new(),
            })
            .collect();
        let refs = References { headings: &s.headings, links: &links, images: &[] };
        render(body, &refs, &Fixed, &Highlighter::default())
    }

    #[test]
    fn plain_commonmark_is_untouched() {
        let body = "Een *alinea* met `code` en <b>html</b>.\n\n> citaat\n\n- a\n- [ ] taak\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nvoet[^1]\n\n[^1]: noot\n\n    ingesprongen\n\n```\nzonder taal\n```\n";
        let mut plain = String::new();
        pulldown_cmark::html::push_html(&mut plain, Parser::new_ext(body, options()));
        assert_eq!(render_with_links(body, &[]).html, plain);
    }

    #[test]
    fn links_and_headings() {
        let body = "## Rol van de coach\n\nZie [[coaching]], [[team|het team]] en [x](a.md#kop).\n";
        let html = render_with_links(body, &[3, 4, 5]).html;
        assert_eq!(
            html,
            "<h2 id=\"rol-van-de-coach\">Rol van de coach</h2>\n<p>Zie <a href=\"../p3/index.html\">Coaching &amp; co</a>, <a href=\"../p4/index.html\">het team</a> en <a href=\"../p5/index.html#kop\">x</a>.</p>\n"
        );
    }

    #[test]
    fn planned_images_get_srcset_and_size() {
        use crate::photos::Version;
        let body = "Tekst.\n\n![Kinderen & blokken](toren.jpg \"De toren\") en ![ander](https://x.org/a.png)\n";
        let version = |path: &str, width, height| Version { path: path.into(), width, height };
        let images = [PageImage {
            offset: 8,
            src: "v/toren-800w.jpg".into(),
            srcset: vec![
                version("v/toren-800w.jpg", 800, 1200),
                version("v/toren.jpg", 1000, 1500),
            ],
        }];
        let refs = References { headings: &[], links: &[], images: &images };
        let html = render(body, &refs, &Fixed, &Highlighter::default()).html;
        assert_eq!(
            html,
            "<p>Tekst.</p>\n<p><img src=\"../../v/toren-800w.jpg\" srcset=\"../../v/toren-800w.jpg 800w, ../../v/toren.jpg 1000w\" sizes=\"(min-width: 46rem) 43rem, 100vw\" width=\"1000\" height=\"1500\" alt=\"Kinderen &amp; blokken\" title=\"De toren\" loading=\"lazy\" decoding=\"async\"> en <img src=\"https://x.org/a.png\" alt=\"ander\" /></p>\n"
        );
    }

    #[test]
    fn code_with_a_language_is_highlighted() {
        let html = render_with_links("```rust\nfn main() {}\n```\n", &[]).html;
        assert!(
            html.starts_with(
                "<pre><code class=\"language-rust\"><span class=\"hl-source hl-rust\">"
            ),
            "{html}"
        );
        let unknown = render_with_links("```onbekend\n<x>\n```\n", &[]).html;
        assert_eq!(unknown, "<pre><code class=\"language-onbekend\">&lt;x&gt;\n</code></pre>\n");
    }

    #[test]
    fn sections_follow_headings() {
        let body = "Intro tekst.\n\n## Eerste\n\nA *b*.\n\n## Tweede\n\n- c\n- d\n";
        let sections = render_with_links(body, &[]).sections;
        let got: Vec<(Option<&str>, &str, &str)> = sections
            .iter()
            .map(|s| (s.anchor.as_deref(), s.heading.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (None, "", "Intro tekst."),
                (Some("eerste"), "Eerste", "A b."),
                (Some("tweede"), "Tweede", "c d")
            ]
        );
    }
}
