//! Reader checks: what makes a page hard to use for the people who read it, found in
//! the Markdown so that each problem points at its line. `spiegel check` runs these on
//! top of everything `build` checks; `build` itself does not, so that a missing alt
//! text never stops an urgent publication.
//!
//! Takes the loaded pages; hands on a diagnostic for every image without alt text,
//! heading that skips a level, link whose text says nothing ("klik hier") and link
//! without text or target.

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Hint, LineIndex, Message};
use crate::load::{Page, Site};
use crate::markdown::options;
use crate::slug::fold;

/// Link texts that say nothing about where the link goes, folded, in Dutch, French
/// and English.
const VAGUE_LINK_TEXTS: &[&str] = &[
    "klik hier",
    "klik",
    "hier",
    "lees meer",
    "lees verder",
    "meer",
    "meer info",
    "meer informatie",
    "link",
    "deze link",
    "cliquez ici",
    "ici",
    "en savoir plus",
    "lire la suite",
    "plus",
    "lien",
    "ce lien",
    "click here",
    "here",
    "read more",
    "more",
    "learn more",
    "this link",
];

/// Runs the reader checks on every page.
pub fn check(site: &Site, diagnostics: &mut Diagnostics) {
    let problems: Vec<Vec<Diagnostic>> = site.pages.par_iter().map(|p| check_page(p)).collect();
    diagnostics.extend(problems.into_iter().flatten());
}

/// A link or image being read: where it starts and the text inside it so far.
struct Open {
    offset: usize,
    text: String,
    /// The alt text of images inside a link: they name the link too.
    image_alt: String,
    dest_empty: bool,
    /// A wiki link without a label shows its target's title: never vague or empty.
    titled: bool,
}

fn check_page(page: &Page) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if page.source.as_os_str().is_empty() {
        return problems;
    }
    let lines = LineIndex::new(&page.text);
    let at = |offset: usize, message: Message, hint: Hint| {
        let (line, col) = lines.position(&page.text, page.body_start + offset);
        Diagnostic::new(&page.source, line, col, message).with_hint(hint).with_source(&page.text)
    };
    // The page title is the h1 every template shows.
    let mut level = 1;
    let mut link: Option<Open> = None;
    let mut image: Option<Open> = None;
    for (event, range) in Parser::new_ext(page.body(), options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level: h, .. }) => {
                let h = h as usize;
                if h > level + 1 {
                    problems.push(at(
                        range.start,
                        Message::SkippedHeading { level: h, previous: level },
                        Hint::HeadingLevel { level: level + 1 },
                    ));
                }
                level = h;
            }
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                let titled = link_type == LinkType::WikiLink { has_pothole: false };
                link = Some(open(range.start, &dest_url, titled));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some(open(range.start, &dest_url, false));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(image) = image.as_mut() {
                    image.text.push_str(&text);
                } else if let Some(link) = link.as_mut() {
                    link.text.push_str(&text);
                }
            }
            Event::End(TagEnd::Image) => {
                let Some(done) = image.take() else { continue };
                if done.text.trim().is_empty() {
                    problems.push(at(done.offset, Message::ImageWithoutAlt, Hint::DescribePhoto));
                }
                if let Some(link) = link.as_mut() {
                    link.image_alt.push_str(&done.text);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some(done) = link.take() {
                    problems.extend(link_problem(&done).map(|(m, h)| at(done.offset, m, h)));
                }
            }
            _ => {}
        }
    }
    problems
}

fn open(offset: usize, dest: &str, titled: bool) -> Open {
    Open {
        offset,
        text: String::new(),
        image_alt: String::new(),
        dest_empty: dest.trim().is_empty(),
        titled,
    }
}

/// What is wrong with a finished link, if anything: (message, hint).
fn link_problem(link: &Open) -> Option<(Message, Hint)> {
    if link.dest_empty {
        return Some((Message::LinkWithoutTarget, Hint::PutTarget));
    }
    if link.titled {
        return None;
    }
    let text = format!("{}{}", link.text, link.image_alt);
    if text.trim().is_empty() {
        return Some((Message::LinkWithoutText, Hint::WriteLinkText));
    }
    let folded = fold(text.trim().trim_matches(|c: char| c.is_ascii_punctuation()).trim());
    VAGUE_LINK_TEXTS
        .contains(&folded.as_str())
        .then(|| (Message::VagueLinkText { text: text.trim().to_string() }, Hint::NameDestination))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn problems(body: &str) -> Vec<String> {
        let text = format!("---\ntitle: T\n---\n{body}");
        let page = Page {
            source: PathBuf::from("content/p.md"),
            body_start: 16,
            role: crate::load::Role::Page,
            kind: None,
            slug: "p".into(),
            key: "p".into(),
            url: "p/".into(),
            title: "T".into(),
            date: None,
            summary: None,
            tags: Vec::new(),
            weight: None,
            fields: Default::default(),
            references: Vec::new(),
            text,
        };
        check_page(&page).iter().map(|d| d.headline(crate::diag::Lang::En)).collect()
    }

    #[test]
    fn finds_each_reader_problem_at_its_place() {
        let cases: &[(&str, &[&str])] = &[
            ("Goed: [de methodiek](x.md), ![Kinderen](a.jpg).\n\n## Twee\n\n### Drie\n", &[]),
            ("![](foto.jpg)\n", &["content/p.md:4:1: image without alt text"]),
            (
                "### Te diep\n",
                &["content/p.md:4:1: heading level 3 follows level 1: level 2 is skipped"],
            ),
            (
                "## A\n\n#### B\n",
                &["content/p.md:6:1: heading level 4 follows level 2: level 3 is skipped"],
            ),
            (
                "Zie [Klik hier!](x.md)\n",
                &["content/p.md:4:5: link text \"Klik hier!\" does not say where the link goes"],
            ),
            (
                "Zie [ICI](x.md) en [[slug]] en [[slug|lees méér]]\n",
                &[
                    "content/p.md:4:5: link text \"ICI\" does not say where the link goes",
                    "content/p.md:4:32: link text \"lees méér\" does not say where the link goes",
                ],
            ),
            (
                "Zie [](x.md) of [tekst]()\n",
                &[
                    "content/p.md:4:5: link without text",
                    "content/p.md:4:17: link without a target",
                ],
            ),
            ("[![Logo van de opvang](logo.png)](x.md)\n", &[]),
            ("```\n### geen kop\n[hier](x)\n```\n", &[]),
        ];
        for (body, want) in cases {
            assert_eq!(problems(body), *want, "{body}");
        }
    }
}
